"""respond(): a whole request in, the whole response out, in one foreign call."""

from __future__ import annotations

from ctypes import c_char, c_char_p, c_size_t

from ._codes import DECISIONS, ResultCode
from ._config import ServerConfig
from ._errors import error_for
from ._ffi import (
    BYTES_DATA_OFFSET,
    DEFLATE_LAYOUT,
    DEFLATE_OFFSET,
    INFO_LAYOUT,
    SMALL_SIZE_MAX,
    Scratch,
    lib,
    raw,
    read_memory,
    scratch,
    thread_local,
)
from ._types import CODES, DeflateParams, Response
from ._util import as_bytes

__all__ = ["respond", "accept_key"]

# Module-level names for the hot path (a global lookup is cheaper than an
# attribute lookup on another module).
_raw_respond = raw.wsh_respond
_unpack_info = INFO_LAYOUT.unpack_from
_unpack_deflate = DEFLATE_LAYOUT.unpack_from
_DEFLATE_OFFSET = DEFLATE_OFFSET
_new_tuple = tuple.__new__
_thread_local = thread_local
_SMALL = SMALL_SIZE_MAX
_BYTES_OFFSET = BYTES_DATA_OFFSET
_DECISIONS = DECISIONS
_CODES = CODES
_SUCCESS_CODES = (ResultCode.OK, ResultCode.NEED_MORE)
_BUFFER_TOO_SMALL = 104


def respond(config: ServerConfig, data: bytes) -> Response:
    """Handles a request in one call with the config's policy.

    Writes a 101 for a valid upgrade (the policy's subprotocol, negotiated
    permessage-deflate), the ready rejection for an invalid request, and
    nothing for a request that is not an upgrade (serve it yourself) or an
    incomplete head (call again with more bytes: the whole request so far).

    Cost: one foreign call in the common case (a response that fits the
    per-thread buffer, 1 KiB at first); a larger response costs a second call
    and grows the buffer. Safe to call from many threads with one config: each
    thread has its own buffers.

    Args:
        config: the :class:`ServerConfig`.
        data: all request bytes received so far.

    Returns:
        A :class:`Response` (a named tuple): ``decision``, ``response``
        bytes to send, ``consumed``, ``leftover``, ``subprotocol``,
        ``deflate``, ``status``, ``upgrade_protocol``, ``code``; for a
        rejection ``.error`` describes it (``.raise_for_error()`` raises it).

    Raises:
        TypeError: ``config`` is not a ServerConfig or ``data`` not bytes-like.
    """
    if type(data) is not bytes:
        data = as_bytes(data)
    try:
        pointer = config._arg
    except AttributeError:
        raise TypeError(f"config must be a ServerConfig, not {type(config).__name__}") from None
    try:
        s = _thread_local.scratch
    except AttributeError:
        s = scratch()
    n = len(data)
    out = s.out
    code = _raw_respond(
        pointer, data, n if n <= _SMALL else c_size_t(n), s.out_ref, s.out_cap, s.info_ref
    )
    if code > 1 and not 1000 <= code < 1100:
        if code != _BUFFER_TOO_SMALL:
            raise error_for(code, "respond")
        code, out = _respond_large(pointer, data, s)
    (
        decision,
        status,
        consumed,
        response_len,
        subprotocol_at,
        subprotocol_len,
        has_deflate,
    ) = _unpack_info(s.info_view)
    if subprotocol_at:
        # The engine selects one of the config's subprotocols by exact byte
        # comparison, so a length that only one of them has names it.
        try:
            subprotocol = config._subprotocol_by_length[subprotocol_len]
        except KeyError:
            subprotocol = _subprotocol_text(data, subprotocol_at, subprotocol_len)
    else:
        subprotocol = None
    # Decisions 0 (NEED_MORE) and 3 (REJECTED) leave nothing after the head.
    return _new_tuple(
        Response,
        (
            _DECISIONS[decision],
            out[:response_len],
            consumed,
            data[consumed:] if decision != 3 and decision else b"",
            subprotocol,
            _new_tuple(DeflateParams, _unpack_deflate(s.info_view, _DEFLATE_OFFSET))
            if has_deflate
            else None,
            status,
            _upgrade_protocol(s) if decision == 2 else None,
            _SUCCESS_CODES[code] if code < 2 else _CODES.get(code, code),
        ),
    )


def _subprotocol_text(data: bytes, address: int, length: int) -> str:
    """The selected subprotocol, a view into ``data`` at ``address``."""
    if _BYTES_OFFSET is not None:
        offset = address - id(data) - _BYTES_OFFSET
        if 0 <= offset <= len(data) - length:
            return data[offset : offset + length].decode("latin-1")
    return read_memory(address, length).decode("latin-1")  # pragma: no cover


def _upgrade_protocol(s: Scratch) -> str | None:
    """For UPGRADE_OTHER: the protocol, a view into the config."""
    info = s.info
    if not info.upgrade_protocol:
        return None
    return read_memory(info.upgrade_protocol, info.upgrade_protocol_len).decode("latin-1")


def _respond_large(pointer: object, data: bytes, s: Scratch) -> tuple[int, object]:
    """Second call with a buffer of the size the first call reported."""
    needed = s.info.needed
    if needed <= Scratch.MAX_KEPT_CAPACITY:
        capacity = s.out_cap
        while capacity < needed:
            capacity *= 2
        s.resize(capacity)
        out: object = s.out
    else:
        capacity = needed
        out = (c_char * needed)()
    n = len(data)
    code = _raw_respond(
        pointer, data, n if n <= SMALL_SIZE_MAX else c_size_t(n), out, capacity, s.info_ref
    )
    if code > 1 and not 1000 <= code < 1100:
        raise error_for(code, "respond")
    return code, out


def accept_key(key: str | bytes) -> str:
    """The ``Sec-WebSocket-Accept`` value for a ``Sec-WebSocket-Key``.

    >>> accept_key("dGhlIHNhbXBsZSBub25jZQ==")
    's3pPLMBiTxaQ9kYGzzhZRbK+xOo='
    """
    if isinstance(key, str):
        key_bytes = key.encode("latin-1")
    else:
        key_bytes = as_bytes(key, "key")
    out = (c_char * 28)()
    code = lib.wsh_accept_key(c_char_p(key_bytes), len(key_bytes), out)
    if code:
        raise error_for(code, "accept_key")
    return out.raw.decode("ascii")
