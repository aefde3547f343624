"""respond(): a whole request in, the whole response out, in one foreign call."""

from __future__ import annotations

from ctypes import byref, c_char, c_char_p

from ._codes import LAST_PROGRESS_CODE, ResultCode, is_request_error
from ._config import ServerConfig
from ._errors import error_for
from ._ffi import INFO_LAYOUT, RespondProgressC, Scratch, lib, raw, scratch, thread_local
from ._types import Response
from ._util import as_bytes

__all__ = ["respond", "accept_key", "RespondProgress"]

# Module-level names for the hot path (a global lookup is cheaper than an
# attribute lookup on another module).
_raw_respond = raw.wsh_respond
_unpack_info = INFO_LAYOUT.unpack_from
_thread_local = thread_local
_BUFFER_TOO_SMALL = ResultCode.BUFFER_TOO_SMALL.value
_PROGRESS = LAST_PROGRESS_CODE


class RespondProgress:
    """Where a read loop around :func:`respond` left off: the scan state of the
    request head received so far.

    Pass one to every ``respond(config, data, progress)`` call for a request:
    each call then examines only the bytes no earlier call saw, and parses the
    head once it is complete, so the loop is linear in the head's size however
    the peer splits it (without it, every call looks at all of ``data``
    again: quadratic for a peer sending a byte per read). A call that decides
    resets it for the next request. Keep ``data`` a ``bytearray`` you append
    to: it is passed without copying.
    """

    __slots__ = ("_c", "_ref")

    def __init__(self) -> None:
        self._c = RespondProgressC()
        self._ref = byref(self._c)

    @property
    def scanned(self) -> int:
        """Bytes of the current request's head examined so far."""
        return int(self._c.scanned)

    @property
    def examined(self) -> int:
        """Bytes examined by every pass of every call with this progress (an
        upper bound: a measure of work)."""
        return int(self._c.examined)

    def __repr__(self) -> str:
        return f"<RespondProgress scanned={self.scanned}>"


def respond(
    config: ServerConfig, data: bytes, progress: RespondProgress | None = None
) -> Response:
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
        progress: for a read loop, the request's :class:`RespondProgress`:
            then only bytes no earlier call examined are scanned (a
            ``bytearray`` ``data`` is read in place, not copied).

    Returns:
        A :class:`Response`: ``decision``, ``response`` bytes to send,
        ``consumed``, ``leftover``, ``subprotocol``, ``deflate``, ``status``,
        ``upgrade_protocol``, ``code``; for a rejection ``.error`` describes
        it (``.raise_for_error()`` raises it).

    Raises:
        TypeError: ``config`` is not a ServerConfig or ``data`` not bytes-like.
    """
    try:
        pointer = config._ptr
    except AttributeError:
        raise TypeError(f"config must be a ServerConfig, not {type(config).__name__}") from None
    try:
        s = _thread_local.scratch
    except AttributeError:
        s = scratch()
    if progress is not None:
        return _respond_resume(pointer, s, config, data, progress)
    if type(data) is not bytes:
        data = as_bytes(data)
    out = s.out
    code = _raw_respond(pointer, data, len(data), s.out_arg, s.cap_arg, s.info)
    # Success is OK or NEED_MORE; a request error is a rejected request.
    if code > _PROGRESS and not is_request_error(code):
        code, out = _respond_again(code, pointer, data, s)
    info = _unpack_info(s.info_view)
    return Response((info, out[: info[3]], data, config, code))


def _respond_again(code: int, pointer: object, data: bytes, s: Scratch) -> tuple[int, object]:
    """A failed first call: raises, or calls again with the buffer size reported."""
    if code != _BUFFER_TOO_SMALL:
        raise error_for(code, "respond")
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
    code = _raw_respond(pointer, data, len(data), out, capacity, s.info)
    if code > _PROGRESS and not is_request_error(code):
        raise error_for(code, "respond")
    return code, out


def _respond_resume(
    pointer: object, s: Scratch, config: ServerConfig, data: object, progress: RespondProgress
) -> Response:
    """:func:`respond` with a progress: ``wsh_respond_resume``."""
    if not isinstance(progress, RespondProgress):
        raise TypeError(f"progress must be a RespondProgress, not {type(progress).__name__}")
    if type(data) is bytearray:
        # Read in place: copying a growing buffer on every read would make the
        # loop quadratic again. The view is released before returning.
        n = len(data)
        request: object = (c_char * n).from_buffer(data) if n else None
    else:
        data = as_bytes(data)
        n = len(data)
        request = data
    out: object = s.out
    function = lib.wsh_respond_resume
    code = function(pointer, progress._ref, request, n, s.out_arg, s.cap_arg, s.info)
    if code == _BUFFER_TOO_SMALL:
        # Nothing was decided and the progress was kept: again, with room.
        needed = s.info.needed
        out = (c_char * needed)()
        code = function(pointer, progress._ref, request, n, out, needed, s.info)
    del request
    if code > _PROGRESS and not is_request_error(code):
        raise error_for(code, "respond")
    info = _unpack_info(s.info_view)
    # Only a decided request has bytes after its head (one copy, at the end).
    kept = bytes(data) if code != 1 and type(data) is bytearray else data
    return Response((info, out[: info[3]], kept, config, code))


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
