"""Loads the wshandshake shared library and declares its C ABI for ctypes.

Two views of the same library are made at import:

- ``lib``: every function with ``argtypes``/``restype`` declared, used for
  everything that is not on the per-handshake hot path (config building,
  request inspection, custom accept/reject). ctypes checks and converts each
  argument.
- ``raw``: the few hot-path functions (``wsh_respond``, ``wsh_server_new``,
  ``feed``, default ``accept``, ``drain``, ``reset``, ``free``) with only
  ``restype`` declared. Declared argtypes cost about 150 ns per argument per
  call (measured: a 6-argument call went from ~0.6 us to ~1.6 us), so the hot
  path passes arguments that ctypes converts directly: ``bytes`` (a pointer to
  their buffer), ctypes instances and ``byref()`` objects made once, and plain
  ``int`` lengths. Without argtypes an ``int`` is passed as a C ``int``, which
  libffi widens by sign extension to a 64-bit ``size_t`` register on the
  platforms listed in ``_INT_WIDENS``; elsewhere, and for lengths that do not
  fit a C ``int``, a ``c_size_t`` is passed instead (see :func:`size_arg`).
  The raw view is a ``PyDLL``: it keeps the GIL during the call. The calls
  take microseconds and never block, and releasing the GIL around each one
  would let another busy thread take it for a whole switch interval.

The library is found, in order: the ``WSH_LIBRARY`` environment variable (the
path of another build); the file bundled next to this module by the package
build; ``ctypes.util.find_library("wshandshake")``.
"""

from __future__ import annotations

import ctypes
import os
import platform
import struct
import sys
import threading
from ctypes import (
    POINTER,
    Structure,
    byref,
    c_bool,
    c_char,
    c_char_p,
    c_size_t,
    c_uint8,
    c_uint16,
    c_uint32,
    c_void_p,
)
from pathlib import Path
from typing import Any

__all__ = [
    "lib",
    "raw",
    "library_path",
    "result_str",
    "size_arg",
    "scratch",
    "read_memory",
    "pointer_arg",
    "bytes_address",
    "AcceptOptions",
    "Bytes",
    "DeflateConfigC",
    "DeflateParamsC",
    "ExtensionParamC",
    "Header",
    "LimitsC",
    "RespondInfo",
    "INFO_LAYOUT",
    "DEFLATE_LAYOUT",
    "DEFLATE_OFFSET",
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
        if not Path(override).is_file():
            raise ImportError(f"wshandshake: WSH_LIBRARY={override!r} is not a file")
        return override
    bundled = Path(__file__).resolve().parent / _LIBRARY_FILE
    if bundled.is_file():
        return str(bundled)
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
lib = ctypes.CDLL(library_path)
raw = ctypes.PyDLL(library_path)


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


def _layout(structure: type[Structure], fields: list[tuple[str, str]]) -> struct.Struct:
    """A native ``struct.Struct`` that reads ``fields`` of a ctypes structure.

    Built from the ctypes field offsets, with pad bytes for the fields it
    skips, so it matches the C layout on every platform.
    """
    parts = ["="]
    position = 0
    for name, code in fields:
        offset = getattr(structure, name).offset
        if offset < position:  # pragma: no cover - fields listed out of order
            raise ImportError(f"wshandshake: bad layout for {structure.__name__}.{name}")
        if offset > position:
            parts.append(f"{offset - position}x")
        parts.append(code)
        position = offset + struct.calcsize("=" + code)
    return struct.Struct("".join(parts))


_SIZE_CODE = {4: "I", 8: "Q"}[ctypes.sizeof(c_size_t)]
_POINTER_CODE = {4: "I", 8: "Q"}[ctypes.sizeof(c_void_p)]

#: The ``wsh_respond_info`` fields the one-shot call always needs, read with
#: one ``unpack_from`` (cheaper than one ctypes attribute access per field):
#: decision, status, consumed, response_len, subprotocol, subprotocol_len,
#: has_deflate.
INFO_LAYOUT = _layout(
    RespondInfo,
    [
        ("decision", "I"),
        ("status", "H"),
        ("consumed", _SIZE_CODE),
        ("response_len", _SIZE_CODE),
        ("subprotocol", _POINTER_CODE),
        ("subprotocol_len", _SIZE_CODE),
        ("has_deflate", "?"),
    ],
)
#: ``wsh_deflate_params`` inside ``wsh_respond_info`` (read when negotiated).
DEFLATE_LAYOUT = struct.Struct("=??BB")
DEFLATE_OFFSET = RespondInfo.deflate.offset + DeflateParamsC.server_no_context_takeover.offset

# --- Function declarations ----------------------------------------------------

_u8p = c_char_p  # `const uint8_t *` inputs: bytes objects
_out_ptr = POINTER(c_void_p)  # `const uint8_t **` outputs
_out_size = POINTER(c_size_t)

_SIGNATURES: dict[str, tuple[Any, list[Any]]] = {
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
    "wsh_server_config_builder_response_capacity": (c_uint32, [c_void_p, c_size_t]),
    "wsh_server_config_builder_build": (c_uint32, [c_void_p, _out_ptr]),
    "wsh_server_config_free": (None, [c_void_p]),
    "wsh_server_new": (c_uint32, [c_void_p, _out_ptr]),
    "wsh_server_free": (None, [c_void_p]),
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
}

#: Hot-path functions, called through ``raw`` with only the result type set.
_RAW_FUNCTIONS = (
    "wsh_respond",
    "wsh_server_new",
    "wsh_server_free",
    "wsh_server_reset",
    "wsh_server_feed",
    "wsh_server_accept",
    "wsh_server_drain",
)


def _declare() -> None:
    for name, (restype, argtypes) in _SIGNATURES.items():
        function = getattr(lib, name)
        function.restype = restype
        function.argtypes = argtypes
    for name in _RAW_FUNCTIONS:
        getattr(raw, name).restype = _SIGNATURES[name][0]


_declare()

# --- Helpers -------------------------------------------------------------------

_RESULT_STR_CACHE: dict[int, str] = {}


def result_str(code: int) -> str:
    """The library's description of a result code (cached)."""
    text = _RESULT_STR_CACHE.get(code)
    if text is None:
        text = lib.wsh_result_str(code).decode("utf-8", "replace")
        _RESULT_STR_CACHE[code] = text
    return text


#: Machines where libffi widens a C ``int`` argument to 64 bits by sign
#: extension (x86-64 System V and Windows, AArch64), so a small Python ``int``
#: may be passed where ``size_t`` is expected without declared argtypes.
_INT_WIDENS = {"x86_64", "amd64", "aarch64", "arm64"}
if ctypes.sizeof(c_size_t) == ctypes.sizeof(ctypes.c_int) or (
    platform.machine().lower() in _INT_WIDENS
):
    #: Largest length passed as a plain ``int`` to a raw function.
    SMALL_SIZE_MAX = 2**31 - 1
else:  # pragma: no cover - other machines always pass c_size_t
    SMALL_SIZE_MAX = -1


def size_arg(n: int) -> int | c_size_t:
    """A ``size_t`` argument for a raw (undeclared) call."""
    return n if n <= SMALL_SIZE_MAX else c_size_t(n)


def pointer_arg(address: int) -> Any:
    """A ready-made pointer argument for ``address`` (a handle or a buffer).

    ctypes converts a ``c_void_p`` or an array argument by allocating a small
    parameter object on every call; a ``byref()`` object made once is passed
    as is. ``byref(c_char.from_address(a))`` points at ``a`` itself, and
    declared ``c_void_p`` parameters accept it too.
    """
    if not address:
        raise ValueError("wshandshake: NULL pointer")
    return byref(c_char.from_address(address))


def read_memory(address: int | None, length: int) -> bytes:
    """Copies ``length`` bytes at ``address`` (a view returned by the library)."""
    if not length:
        return b""
    if not address:
        raise ValueError("wshandshake: NULL view with a non-zero length")
    return (c_char * length).from_address(address).raw


def _bytes_data_offset() -> int | None:
    """Offset of a ``bytes`` object's data from ``id()`` on CPython, if constant.

    ctypes passes a ``bytes`` argument as a pointer to its internal buffer; the
    one-shot call returns the selected subprotocol as a pointer into that
    buffer, and this offset turns it back into an index into the ``bytes``
    without another foreign call. Checked on a few objects; None (fall back to
    reading the memory) on other interpreters or if the layout is not constant.
    """
    if sys.implementation.name != "cpython":
        return None
    offsets = set()
    for sample in (b"ab", b"wshandshake" * 9, bytes(range(40))):
        address = ctypes.cast(sample, c_void_p).value  # type: ignore[arg-type]
        if address is None:
            return None
        offsets.add(address - id(sample))
    return offsets.pop() if len(offsets) == 1 else None


BYTES_DATA_OFFSET = _bytes_data_offset()


def bytes_address(data: bytes) -> int | None:
    """Address of ``data``'s buffer as ctypes passes it, or None if unknown."""
    if BYTES_DATA_OFFSET is None:
        return None
    return id(data) + BYTES_DATA_OFFSET


class _Outputs(Structure):
    """Output slots for hot-path calls (one per thread, see :class:`Scratch`)."""

    _fields_ = [
        ("consumed", c_size_t),
        ("written", c_size_t),
        ("decision", c_uint32),
    ]


class Scratch:
    """Per-thread buffers for hot-path calls, allocated once per thread.

    Every result is copied into Python objects before the function that used
    the scratch returns, so one scratch serves every config and handle used by
    its thread; two threads never share one.
    """

    __slots__ = (
        "out",
        "out_ref",
        "out_cap",
        "out_view",
        "info",
        "info_ref",
        "info_view",
        "outputs",
        "consumed_ref",
        "written_ref",
        "decision_ref",
    )

    #: Initial response buffer: the usual 101 is 130-250 bytes.
    INITIAL_CAPACITY = 1024
    #: Responses larger than this are not kept in the per-thread buffer.
    MAX_KEPT_CAPACITY = 1 << 16

    def __init__(self) -> None:
        self.resize(self.INITIAL_CAPACITY)
        self.info = RespondInfo()
        self.info_ref = byref(self.info)
        # unpack_from() on a memoryview made once is cheaper than on the
        # ctypes object, whose buffer export builds a format string each time.
        self.info_view = memoryview(self.info).cast("B")
        self.outputs = _Outputs()
        self.consumed_ref = byref(self.outputs, _Outputs.consumed.offset)
        self.written_ref = byref(self.outputs, _Outputs.written.offset)
        self.decision_ref = byref(self.outputs, _Outputs.decision.offset)

    def resize(self, capacity: int) -> None:
        """Replaces the response buffer with one of ``capacity`` bytes."""
        self.out = (c_char * capacity)()
        self.out_ref = byref(self.out)
        self.out_cap = capacity
        self.out_view = memoryview(self.out).cast("B")


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
