"""The one native module: loads the wshandshake library and declares its C ABI.

Every function of ``include/wshandshake.h`` is declared here, once, with its
``argtypes`` and ``restype`` (a test checks each signature, structure layout
and number against the header), so ctypes converts and checks every argument
and a ``size_t`` is always passed as a ``size_t``.

Two views of the same library are made at import:

- ``lib`` (a ``CDLL``): every function, used for everything that is not on the
  per-handshake hot path;
- ``raw`` (a ``PyDLL``): the hot-path functions (``wsh_respond``, the handle's
  ``new``/``feed``/``accept``/``drain``/``reset``/``free``), with the same
  declarations. A ``PyDLL`` keeps the GIL during the call: the calls take
  microseconds and never block, and releasing the GIL around each one would
  let another busy thread take it for a whole switch interval. Hot paths pass
  arguments that the declared converters take cheaply: ``bytes``, ctypes
  instances of the declared type made once (see :class:`Scratch` and
  :func:`pointer_arg`).

The library is found, in order: the ``WSH_LIBRARY`` environment variable (the
path of another build, which must be of the package's version); the file
bundled next to this module by the package build;
``ctypes.util.find_library("wshandshake")``.
"""

from __future__ import annotations

import ctypes
import os
import struct
import sys
import threading
from ctypes import (
    POINTER,
    Structure,
    c_bool,
    c_char,
    c_char_p,
    c_size_t,
    c_uint8,
    c_uint16,
    c_uint32,
    c_void_p,
)
from typing import Any

__all__ = [
    "lib",
    "raw",
    "library_path",
    "library_version",
    "SIGNATURES",
    "STRUCTURES",
    "result_str",
    "scratch",
    "read_memory",
    "pointer_arg",
    "AcceptOptions",
    "Bytes",
    "DeflateConfigC",
    "DeflateParamsC",
    "ExtensionParamC",
    "Header",
    "LimitsC",
    "RespondInfo",
    "RespondProgressC",
    "INFO_LAYOUT",
    "ClientLimitsC",
    "ClientUrlC",
    "ConnectClientInfoC",
    "ConnectClientOptionsC",
    "ConnectInfoC",
    "DeflateOfferC",
    "FieldC",
    "NONCE_LEN",
]

if sys.platform == "win32":
    _LIBRARY_FILE = "wshandshake.dll"
elif sys.platform == "darwin":
    _LIBRARY_FILE = "libwshandshake.dylib"
else:
    _LIBRARY_FILE = "libwshandshake.so"


def _find_library() -> str:
    override = os.environ.get("WSH_LIBRARY")
    if override:
        if not os.path.isfile(override):
            raise ImportError(f"wshandshake: WSH_LIBRARY={override!r} is not a file")
        return override
    # os.path, not pathlib: importing pathlib would double this module's cost.
    bundled = os.path.join(os.path.dirname(os.path.realpath(__file__)), _LIBRARY_FILE)
    if os.path.isfile(bundled):
        return bundled
    import ctypes.util

    system = ctypes.util.find_library("wshandshake")
    if system:
        return system
    raise ImportError(
        f"wshandshake: the native library {_LIBRARY_FILE} is not bundled next to "
        f"{__file__} (install the package with pip, which builds it with cargo) "
        "and WSH_LIBRARY does not name one"
    )


library_path: str = _find_library()
_cdll = ctypes.CDLL(library_path)
# PyPy's ctypes has no PyDLL (and no GIL to keep): a CDLL is the same there.
_pydll = getattr(ctypes, "PyDLL", ctypes.CDLL)(library_path)


# --- Structures (layouts from include/wshandshake.h) -------------------------


class LimitsC(Structure):
    """``wsh_limits``."""

    _fields_ = [
        ("max_head_bytes", c_size_t),
        ("max_headers", c_size_t),
        ("max_request_line", c_size_t),
        ("max_header_line", c_size_t),
    ]


class DeflateConfigC(Structure):
    """``wsh_deflate_config``."""

    _fields_ = [
        ("server_max_window_bits", c_uint8),
        ("client_max_window_bits", c_uint8),
        ("server_no_context_takeover", c_bool),
        ("client_no_context_takeover", c_bool),
    ]


class ExtensionParamC(Structure):
    """``wsh_extension_param`` (pointers are views into the handle)."""

    _fields_ = [
        ("name", c_void_p),
        ("name_len", c_size_t),
        ("value", c_void_p),
        ("value_len", c_size_t),
        ("has_value", c_bool),
        ("quoted", c_bool),
    ]


class DeflateParamsC(Structure):
    """``wsh_deflate_params``."""

    _fields_ = [
        ("server_no_context_takeover", c_bool),
        ("client_no_context_takeover", c_bool),
        ("server_max_window_bits", c_uint8),
        ("client_max_window_bits", c_uint8),
    ]


class Header(Structure):
    """``wsh_header``: ``c_char_p`` fields keep the assigned ``bytes`` alive."""

    _fields_ = [
        ("name", c_char_p),
        ("name_len", c_size_t),
        ("value", c_char_p),
        ("value_len", c_size_t),
    ]


class Bytes(Structure):
    """``wsh_bytes``."""

    _fields_ = [("data", c_char_p), ("len", c_size_t)]


class BytesOut(Structure):
    """``wsh_bytes`` as an output (an array passed cast to ``POINTER(Bytes)``):
    the address is read back, so nothing is read as a NUL-terminated string."""

    _fields_ = [("data", c_void_p), ("len", c_size_t)]


class AcceptOptions(Structure):
    """``wsh_accept_options``."""

    _fields_ = [
        ("subprotocol_mode", c_uint32),
        ("subprotocol", c_char_p),
        ("subprotocol_len", c_size_t),
        ("decline_deflate", c_bool),
        ("headers", POINTER(Header)),
        ("header_count", c_size_t),
        ("extensions", POINTER(Bytes)),
        ("extension_count", c_size_t),
    ]


class RespondInfo(Structure):
    """``wsh_respond_info``."""

    _fields_ = [
        ("decision", c_uint32),
        ("status", c_uint16),
        ("consumed", c_size_t),
        ("response_len", c_size_t),
        ("needed", c_size_t),
        ("subprotocol", c_void_p),
        ("subprotocol_len", c_size_t),
        ("upgrade_protocol", c_void_p),
        ("upgrade_protocol_len", c_size_t),
        ("has_deflate", c_bool),
        ("deflate", DeflateParamsC),
        ("subprotocol_index", c_size_t),
    ]


class RespondProgressC(Structure):
    """``wsh_respond_progress``."""

    _fields_ = [
        ("scanned", c_size_t),
        ("line_start", c_size_t),
        ("header_count", c_size_t),
        ("flags", c_size_t),
        ("examined", c_size_t),
    ]


#: ``WSH_NONCE_LEN``: bytes of a Sec-WebSocket-Key nonce.
NONCE_LEN = 16


class DeflateOfferC(Structure):
    """``wsh_deflate_offer``."""

    _fields_ = [
        ("server_no_context_takeover", c_bool),
        ("client_no_context_takeover", c_bool),
        ("server_max_window_bits", c_uint8),
        ("offer_client_max_window_bits", c_bool),
        ("client_max_window_bits", c_uint8),
    ]


class ClientLimitsC(Structure):
    """``wsh_client_limits``."""

    _fields_ = [
        ("max_head_bytes", c_size_t),
        ("max_headers", c_size_t),
        ("max_body_bytes", c_size_t),
    ]


class ClientUrlC(Structure):
    """``wsh_client_url`` (pointers are views into the config)."""

    _fields_ = [
        ("host", c_void_p),
        ("host_len", c_size_t),
        ("host_kind", c_uint32),
        ("port", c_uint16),
        ("secure", c_bool),
        ("host_header", c_void_p),
        ("host_header_len", c_size_t),
        ("resource", c_void_p),
        ("resource_len", c_size_t),
    ]


class FieldC(Structure):
    """``wsh_field``: plain pointers (input bytes are kept alive by the caller)."""

    _fields_ = [
        ("name", c_void_p),
        ("name_len", c_size_t),
        ("value", c_void_p),
        ("value_len", c_size_t),
    ]


class ConnectInfoC(Structure):
    """``wsh_connect_info`` (views into the request fields passed in)."""

    _fields_ = [
        ("outcome", c_uint32),
        ("status", c_uint16),
        ("malformed", c_bool),
        ("secure", c_bool),
        ("path", c_void_p),
        ("path_len", c_size_t),
        ("authority", c_void_p),
        ("authority_len", c_size_t),
        ("origin", c_void_p),
        ("origin_len", c_size_t),
        ("subprotocol_count", c_size_t),
        ("extension_count", c_size_t),
        ("subprotocol", c_void_p),
        ("subprotocol_len", c_size_t),
        ("has_deflate", c_bool),
        ("deflate", DeflateParamsC),
        ("field_count", c_size_t),
        ("bytes_len", c_size_t),
    ]


class ConnectClientOptionsC(Structure):
    """``wsh_connect_client_options`` (``c_char_p`` fields keep their bytes alive)."""

    _fields_ = [
        ("scheme", c_uint32),
        ("authority", c_char_p),
        ("authority_len", c_size_t),
        ("path", c_char_p),
        ("path_len", c_size_t),
        ("subprotocols", POINTER(Bytes)),
        ("subprotocol_count", c_size_t),
        ("deflate", POINTER(DeflateOfferC)),
        ("deflate_count", c_size_t),
        ("origin", c_char_p),
        ("origin_len", c_size_t),
        ("headers", POINTER(Header)),
        ("header_count", c_size_t),
    ]


class ConnectClientInfoC(Structure):
    """``wsh_connect_client_info`` (the subprotocol is a view into the fields)."""

    _fields_ = [
        ("outcome", c_uint32),
        ("status", c_uint16),
        ("subprotocol", c_void_p),
        ("subprotocol_len", c_size_t),
        ("has_deflate", c_bool),
        ("deflate", DeflateParamsC),
        ("deflate_offer_index", c_size_t),
    ]


def _layout(fields: list[tuple[int, str]]) -> struct.Struct:
    """A native ``struct.Struct`` that reads ``(offset, code)`` fields.

    Offsets come from the ctypes structures, with pad bytes for what is
    skipped, so it matches the C layout on every platform.
    """
    parts = ["="]
    position = 0
    for offset, code in fields:
        if offset < position:  # pragma: no cover - fields listed out of order
            raise ImportError("wshandshake: fields listed out of order")
        if offset > position:
            parts.append(f"{offset - position}x")
        parts.append(code)
        position = offset + struct.calcsize("=" + code)
    return struct.Struct("".join(parts))


_SIZE_CODE = {4: "I", 8: "Q"}[ctypes.sizeof(c_size_t)]
_POINTER_CODE = {4: "I", 8: "Q"}[ctypes.sizeof(c_void_p)]
_DEFLATE = RespondInfo.deflate.offset

#: ``wsh_respond_info`` read with one ``unpack_from`` (cheaper than one ctypes
#: attribute access per field), in this order: 0 decision, 1 status,
#: 2 consumed, 3 response_len, 4 subprotocol_len, 5 upgrade_protocol,
#: 6 upgrade_protocol_len, 7 has_deflate, 8-11 the deflate parameters
#: (server_no_context_takeover, client_no_context_takeover,
#: server_max_window_bits, client_max_window_bits), 12 subprotocol_index.
INFO_LAYOUT = _layout(
    [
        (RespondInfo.decision.offset, "I"),
        (RespondInfo.status.offset, "H"),
        (RespondInfo.consumed.offset, _SIZE_CODE),
        (RespondInfo.response_len.offset, _SIZE_CODE),
        (RespondInfo.subprotocol_len.offset, _SIZE_CODE),
        (RespondInfo.upgrade_protocol.offset, _POINTER_CODE),
        (RespondInfo.upgrade_protocol_len.offset, _SIZE_CODE),
        (RespondInfo.has_deflate.offset, "?"),
        (_DEFLATE + DeflateParamsC.server_no_context_takeover.offset, "?"),
        (_DEFLATE + DeflateParamsC.client_no_context_takeover.offset, "?"),
        (_DEFLATE + DeflateParamsC.server_max_window_bits.offset, "B"),
        (_DEFLATE + DeflateParamsC.client_max_window_bits.offset, "B"),
        (RespondInfo.subprotocol_index.offset, _SIZE_CODE),
    ]
)

# --- Function declarations ----------------------------------------------------

_u8p = c_char_p  # `const uint8_t *` inputs: bytes objects
_out_ptr = POINTER(c_void_p)  # `const uint8_t **` outputs
_out_size = POINTER(c_size_t)
_fields = POINTER(FieldC)

#: Every function of the header: name -> (restype, argtypes).
SIGNATURES: dict[str, tuple[Any, list[Any]]] = {
    "wsh_version": (c_char_p, []),
    "wsh_result_str": (c_char_p, [c_uint32]),
    "wsh_result_http_status": (c_uint16, [c_uint32]),
    "wsh_accept_key": (c_uint32, [_u8p, c_size_t, c_void_p]),
    "wsh_limits_default": (c_uint32, [POINTER(LimitsC)]),
    "wsh_deflate_config_default": (c_uint32, [POINTER(DeflateConfigC)]),
    "wsh_server_config_builder_new": (c_void_p, []),
    "wsh_server_config_builder_free": (None, [c_void_p]),
    "wsh_server_config_builder_add_subprotocol": (c_uint32, [c_void_p, _u8p, c_size_t]),
    "wsh_server_config_builder_subprotocol_selection": (c_uint32, [c_void_p, c_uint32]),
    "wsh_server_config_builder_require_subprotocol": (c_uint32, [c_void_p, c_bool]),
    "wsh_server_config_builder_add_allowed_origin": (c_uint32, [c_void_p, _u8p, c_size_t]),
    "wsh_server_config_builder_require_origin": (c_uint32, [c_void_p, c_bool]),
    "wsh_server_config_builder_websocket": (c_uint32, [c_void_p, c_bool]),
    "wsh_server_config_builder_add_upgrade_protocol": (c_uint32, [c_void_p, _u8p, c_size_t]),
    "wsh_server_config_builder_permessage_deflate": (
        c_uint32,
        [c_void_p, POINTER(DeflateConfigC)],
    ),
    "wsh_server_config_builder_limits": (c_uint32, [c_void_p, POINTER(LimitsC)]),
    "wsh_server_config_builder_allow_bare_lf": (c_uint32, [c_void_p, c_bool]),
    "wsh_server_config_builder_allow_obs_fold": (c_uint32, [c_void_p, c_bool]),
    "wsh_server_config_builder_allow_missing_host": (c_uint32, [c_void_p, c_bool]),
    "wsh_server_config_builder_allow_unbracketed_ipv6_host": (c_uint32, [c_void_p, c_bool]),
    "wsh_server_config_builder_response_capacity": (c_uint32, [c_void_p, c_size_t]),
    "wsh_server_config_builder_build": (c_uint32, [c_void_p, _out_ptr]),
    "wsh_server_config_free": (None, [c_void_p]),
    "wsh_server_new": (c_uint32, [c_void_p, _out_ptr]),
    "wsh_server_free": (None, [c_void_p]),
    "wsh_server_size": (c_size_t, [c_void_p]),
    "wsh_server_init": (c_uint32, [c_void_p, c_void_p, c_size_t, _out_ptr]),
    "wsh_server_reset": (c_uint32, [c_void_p]),
    "wsh_server_feed": (c_uint32, [c_void_p, _u8p, c_size_t, _out_size, POINTER(c_uint32)]),
    "wsh_server_decision": (c_uint32, [c_void_p, POINTER(c_uint32)]),
    "wsh_server_head": (c_uint32, [c_void_p, _out_ptr, _out_size]),
    "wsh_server_method": (c_uint32, [c_void_p, _out_ptr, _out_size]),
    "wsh_server_target": (c_uint32, [c_void_p, _out_ptr, _out_size]),
    "wsh_server_path": (c_uint32, [c_void_p, _out_ptr, _out_size]),
    "wsh_server_query": (c_uint32, [c_void_p, _out_ptr, _out_size]),
    "wsh_server_host": (c_uint32, [c_void_p, _out_ptr, _out_size]),
    "wsh_server_origin": (c_uint32, [c_void_p, _out_ptr, _out_size]),
    "wsh_server_minor_version": (c_uint32, [c_void_p, POINTER(c_uint8)]),
    "wsh_server_header_count": (c_uint32, [c_void_p, _out_size]),
    "wsh_server_header_at": (
        c_uint32,
        [c_void_p, c_size_t, _out_ptr, _out_size, _out_ptr, _out_size],
    ),
    "wsh_server_header": (
        c_uint32,
        [c_void_p, _u8p, c_size_t, c_size_t, _out_ptr, _out_size],
    ),
    "wsh_server_subprotocol_count": (c_uint32, [c_void_p, _out_size]),
    "wsh_server_subprotocol_at": (c_uint32, [c_void_p, c_size_t, _out_ptr, _out_size]),
    "wsh_server_extension_count": (c_uint32, [c_void_p, _out_size]),
    "wsh_server_extension_at": (
        c_uint32,
        [c_void_p, c_size_t, _out_ptr, _out_size, _out_ptr, _out_size],
    ),
    "wsh_server_extension_param_count": (c_uint32, [c_void_p, c_size_t, _out_size]),
    "wsh_server_extension_param_at": (
        c_uint32,
        [c_void_p, c_size_t, c_size_t, POINTER(ExtensionParamC)],
    ),
    "wsh_server_extension_param_value": (
        c_uint32,
        [c_void_p, c_size_t, c_size_t, c_void_p, c_size_t, _out_size],
    ),
    "wsh_server_upgrade_protocol": (c_uint32, [c_void_p, _out_ptr, _out_size]),
    "wsh_server_http2_settings": (c_uint32, [c_void_p, c_void_p, c_size_t, _out_size]),
    "wsh_server_subprotocol": (c_uint32, [c_void_p, _out_ptr, _out_size]),
    "wsh_server_deflate": (c_uint32, [c_void_p, POINTER(DeflateParamsC)]),
    "wsh_server_accept": (c_uint32, [c_void_p, POINTER(AcceptOptions)]),
    "wsh_server_reject": (
        c_uint32,
        [c_void_p, c_uint16, POINTER(Header), c_size_t, _u8p, c_size_t],
    ),
    "wsh_server_response": (c_uint32, [c_void_p, _out_ptr, _out_size]),
    "wsh_server_response_advance": (c_uint32, [c_void_p, c_size_t]),
    "wsh_server_drain": (c_uint32, [c_void_p, c_void_p, c_size_t, _out_size]),
    "wsh_server_is_accepted": (c_bool, [c_void_p]),
    "wsh_respond": (
        c_uint32,
        [c_void_p, _u8p, c_size_t, c_void_p, c_size_t, POINTER(RespondInfo)],
    ),
    "wsh_respond_resume": (
        c_uint32,
        [
            c_void_p,
            POINTER(RespondProgressC),
            _u8p,
            c_size_t,
            c_void_p,
            c_size_t,
            POINTER(RespondInfo),
        ],
    ),
    "wsh_deflate_offer_default": (c_uint32, [POINTER(DeflateOfferC)]),
    "wsh_client_limits_default": (c_uint32, [POINTER(ClientLimitsC)]),
    "wsh_client_config_builder_new": (c_uint32, [_u8p, c_size_t, POINTER(c_void_p)]),
    "wsh_client_config_builder_free": (None, [c_void_p]),
    "wsh_client_config_builder_origin": (c_uint32, [c_void_p, _u8p, c_size_t]),
    "wsh_client_config_builder_add_subprotocol": (c_uint32, [c_void_p, _u8p, c_size_t]),
    "wsh_client_config_builder_permessage_deflate": (
        c_uint32,
        [c_void_p, POINTER(DeflateOfferC)],
    ),
    "wsh_client_config_builder_add_permessage_deflate": (
        c_uint32,
        [c_void_p, POINTER(DeflateOfferC)],
    ),
    "wsh_client_config_builder_add_extension": (c_uint32, [c_void_p, _u8p, c_size_t]),
    "wsh_client_config_builder_add_header": (
        c_uint32,
        [c_void_p, _u8p, c_size_t, _u8p, c_size_t],
    ),
    "wsh_client_config_builder_limits": (c_uint32, [c_void_p, POINTER(ClientLimitsC)]),
    "wsh_client_config_builder_subprotocol_mode": (c_uint32, [c_void_p, c_uint32]),
    "wsh_client_config_builder_build": (c_uint32, [c_void_p, POINTER(c_void_p)]),
    "wsh_client_config_free": (None, [c_void_p]),
    "wsh_client_config_url": (c_uint32, [c_void_p, POINTER(ClientUrlC)]),
    "wsh_client_new": (c_uint32, [c_void_p, POINTER(c_void_p)]),
    "wsh_client_new_with_key": (c_uint32, [c_void_p, _u8p, POINTER(c_void_p)]),
    "wsh_client_free": (None, [c_void_p]),
    "wsh_client_reset": (c_uint32, [c_void_p, _u8p]),
    "wsh_client_key": (c_uint32, [c_void_p, _out_ptr, _out_size]),
    "wsh_client_request": (c_uint32, [c_void_p, _out_ptr, _out_size]),
    "wsh_client_request_advance": (c_uint32, [c_void_p, c_size_t]),
    "wsh_client_drain": (c_uint32, [c_void_p, c_void_p, c_size_t, _out_size]),
    "wsh_client_feed": (
        c_uint32,
        [c_void_p, _u8p, c_size_t, _out_size, POINTER(c_uint32)],
    ),
    "wsh_client_finish": (c_uint32, [c_void_p, POINTER(c_uint32)]),
    "wsh_client_outcome": (c_uint32, [c_void_p, POINTER(c_uint32)]),
    "wsh_client_is_accepted": (c_bool, [c_void_p]),
    "wsh_client_status": (c_uint32, [c_void_p, POINTER(c_uint16)]),
    "wsh_client_reason": (c_uint32, [c_void_p, _out_ptr, _out_size]),
    "wsh_client_head": (c_uint32, [c_void_p, _out_ptr, _out_size]),
    "wsh_client_header_count": (c_uint32, [c_void_p, _out_size]),
    "wsh_client_header_at": (
        c_uint32,
        [c_void_p, c_size_t, _out_ptr, _out_size, _out_ptr, _out_size],
    ),
    "wsh_client_header": (
        c_uint32,
        [c_void_p, _u8p, c_size_t, c_size_t, _out_ptr, _out_size],
    ),
    "wsh_client_body": (c_uint32, [c_void_p, _out_ptr, _out_size]),
    "wsh_client_subprotocol": (c_uint32, [c_void_p, _out_ptr, _out_size]),
    "wsh_client_deflate": (c_uint32, [c_void_p, POINTER(DeflateParamsC)]),
    "wsh_client_deflate_offer_index": (c_uint32, [c_void_p, _out_size]),
    "wsh_client_extension_count": (c_uint32, [c_void_p, _out_size]),
    "wsh_client_extension_at": (c_uint32, [c_void_p, c_size_t, _out_ptr, _out_size]),
    "wsh_connect_offers": (
        c_uint32,
        [
            c_void_p,
            _fields,
            c_size_t,
            POINTER(Bytes),
            c_size_t,
            _fields,
            c_size_t,
            _out_size,
            _out_size,
        ],
    ),
    "wsh_connect_analyze": (
        c_uint32,
        [c_void_p, _fields, c_size_t, POINTER(ConnectInfoC)],
    ),
    "wsh_connect_respond": (
        c_uint32,
        [
            c_void_p,
            _fields,
            c_size_t,
            POINTER(AcceptOptions),
            c_void_p,
            c_size_t,
            _fields,
            c_size_t,
            POINTER(ConnectInfoC),
        ],
    ),
    "wsh_connect_reject": (
        c_uint32,
        [
            c_uint16,
            POINTER(Header),
            c_size_t,
            c_void_p,
            c_size_t,
            _fields,
            c_size_t,
            _out_size,
            _out_size,
        ],
    ),
    "wsh_connect_subprotocol_at": (
        c_uint32,
        [c_void_p, _fields, c_size_t, c_size_t, _out_ptr, _out_size],
    ),
    "wsh_connect_extension_at": (
        c_uint32,
        [c_void_p, _fields, c_size_t, c_size_t, _out_ptr, _out_size, _out_ptr, _out_size],
    ),
    "wsh_connect_client_request": (
        c_uint32,
        [
            POINTER(ConnectClientOptionsC),
            c_void_p,
            c_size_t,
            _fields,
            c_size_t,
            _out_size,
            _out_size,
        ],
    ),
    "wsh_connect_client_check_response": (
        c_uint32,
        [POINTER(ConnectClientOptionsC), _fields, c_size_t, POINTER(ConnectClientInfoC)],
    ),
}

#: Hot-path functions, also declared on ``raw`` (see the module docstring).
RAW_FUNCTIONS = (
    "wsh_respond",
    "wsh_server_new",
    "wsh_server_free",
    "wsh_server_reset",
    "wsh_server_feed",
    "wsh_server_accept",
    "wsh_server_drain",
)


class DeclaredLibrary:
    """A loaded library whose functions are declared from :data:`SIGNATURES`.

    Each function is looked up and declared on first use, then kept as an
    attribute: importing the package does not pay for the hundred functions
    a program may never call. A name the header does not have is an
    ``AttributeError``.
    """

    def __init__(self, dll: ctypes.CDLL, names: Any = None) -> None:
        self._dll = dll
        self._names = frozenset(SIGNATURES if names is None else names)

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_") or name not in self._names:
            raise AttributeError(f"wshandshake: the library declares no {name!r}")
        restype, argtypes = SIGNATURES[name]
        function = getattr(self._dll, name)
        function.restype = restype
        function.argtypes = argtypes
        setattr(self, name, function)  # later lookups skip __getattr__
        return function


#: Every function, through a ``CDLL`` (the GIL is released during calls).
lib = DeclaredLibrary(_cdll)
#: The hot-path functions through a ``PyDLL`` (see the module docstring).
raw = DeclaredLibrary(_pydll, RAW_FUNCTIONS)

#: Every ``wsh_*`` structure of the header, by C name (checked by a test).
STRUCTURES: dict[str, type[Structure]] = {
    "wsh_limits": LimitsC,
    "wsh_deflate_config": DeflateConfigC,
    "wsh_extension_param": ExtensionParamC,
    "wsh_deflate_params": DeflateParamsC,
    "wsh_header": Header,
    "wsh_bytes": Bytes,
    "wsh_accept_options": AcceptOptions,
    "wsh_respond_info": RespondInfo,
    "wsh_respond_progress": RespondProgressC,
    "wsh_deflate_offer": DeflateOfferC,
    "wsh_client_limits": ClientLimitsC,
    "wsh_client_url": ClientUrlC,
    "wsh_field": FieldC,
    "wsh_connect_info": ConnectInfoC,
    "wsh_connect_client_options": ConnectClientOptionsC,
    "wsh_connect_client_info": ConnectClientInfoC,
}

# --- Version check ---------------------------------------------------------------

#: The loaded library's version (``wsh_version()``).
library_version: str = lib.wsh_version().decode("ascii")


def _check_version() -> None:
    """Refuses a library of another version: its structures may differ."""
    from ._version import __version__

    if library_version != __version__:
        raise ImportError(
            f"wshandshake {__version__}: the native library {library_path} is version "
            f"{library_version}; the package and its library must be the same version "
            "(unset WSH_LIBRARY to use the bundled library, or point it at a build "
            f"of wshandshake {__version__})"
        )


_check_version()

# --- Helpers -------------------------------------------------------------------

_RESULT_STR_CACHE: dict[int, str] = {}


def result_str(code: int) -> str:
    """The library's description of a result code (cached)."""
    text = _RESULT_STR_CACHE.get(code)
    if text is None:
        text = lib.wsh_result_str(code).decode("utf-8", "replace")
        _RESULT_STR_CACHE[code] = text
    return text


def pointer_arg(address: int) -> Any:
    """A ready-made pointer argument for ``address`` (a handle or a buffer).

    A ``c_void_p`` instance, made once: the declared ``c_void_p`` converter
    passes an instance of its own type as it is, the fastest of the argument
    kinds it takes (an ``int`` or a ``byref()`` goes through more checks).
    """
    if not address:
        raise ValueError("wshandshake: NULL pointer")
    return c_void_p(address)


def read_memory(address: int | None, length: int) -> bytes:
    """Copies ``length`` bytes at ``address`` (a view returned by the library)."""
    if not length:
        return b""
    if not address:
        raise ValueError("wshandshake: NULL view with a non-zero length")
    return (c_char * length).from_address(address).raw


class Scratch:
    """Per-thread buffers for hot-path calls, allocated once per thread.

    Every result is copied into Python objects before the function that used
    the scratch returns, so one scratch serves every config and handle used by
    its thread; two threads never share one.

    Output parameters are passed as instances of the pointed-to type (``info``,
    ``consumed``, ``written``, ``decision``), not as ``byref()`` of them: the
    declared ``POINTER(T)`` converter accepts an exact ``T`` at once, where a
    ``byref()`` object goes through three ``isinstance`` checks (about 1,500
    machine instructions per argument under callgrind, a quarter of a call).
    """

    __slots__ = (
        "out",
        "out_cap",
        "out_arg",
        "cap_arg",
        "info",
        "info_view",
        "consumed",
        "written",
        "decision",
    )

    #: Initial response buffer: the usual 101 is 130-250 bytes.
    INITIAL_CAPACITY = 1024
    #: Responses larger than this are not kept in the per-thread buffer.
    MAX_KEPT_CAPACITY = 1 << 16

    def __init__(self) -> None:
        self.resize(self.INITIAL_CAPACITY)
        self.info = RespondInfo()
        # unpack_from() on a memoryview made once is cheaper than on the
        # ctypes object, whose buffer export builds a format string each time.
        self.info_view = memoryview(self.info).cast("B")
        self.consumed = c_size_t()
        self.written = c_size_t()
        self.decision = c_uint32()

    def resize(self, capacity: int) -> None:
        """Replaces the response buffer with one of ``capacity`` bytes."""
        self.out = (c_char * capacity)()
        self.out_cap = capacity
        # The declared converters pass an instance of their own type as it
        # is, without making a parameter object: hot paths pass these.
        self.out_arg = c_void_p(ctypes.addressof(self.out))
        self.cap_arg = c_size_t(capacity)


_local = threading.local()


def scratch() -> Scratch:
    """This thread's :class:`Scratch` (made on first use)."""
    try:
        return _local.scratch  # type: ignore[no-any-return]
    except AttributeError:
        made = _local.scratch = Scratch()
        return made


#: The thread-local holder, for hot paths that inline :func:`scratch`.
thread_local = _local
