"""ctypes declarations for the client side and extended CONNECT of the C ABI.

Kept apart from ``_ffi`` (the server side): it declares the ``wsh_client_*``
and ``wsh_connect_*`` functions on the same loaded library object, once, with
full ``argtypes``/``restype``. None of these calls is on a per-request hot
path that would justify undeclared calls.
"""

from __future__ import annotations

from ctypes import (
    POINTER,
    Structure,
    c_bool,
    c_char_p,
    c_size_t,
    c_uint8,
    c_uint16,
    c_uint32,
    c_void_p,
)

from ._ffi import AcceptOptions, Bytes, DeflateParamsC, Header, lib

__all__ = [
    "ClientLimitsC",
    "ClientUrlC",
    "ConnectClientInfoC",
    "ConnectClientOptionsC",
    "ConnectInfoC",
    "DeflateOfferC",
    "FieldC",
    "NONCE_LEN",
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
    ]


_u8p = c_char_p  # input byte strings (bytes objects are passed as is)
_out_ptr = POINTER(c_void_p)
_out_size = POINTER(c_size_t)
_fields = POINTER(FieldC)

_SIGNATURES = {
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


def _declare() -> None:
    for name, (restype, argtypes) in _SIGNATURES.items():
        function = getattr(lib, name)
        function.restype = restype
        function.argtypes = argtypes


_declare()
