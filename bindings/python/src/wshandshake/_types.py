"""Value types: configuration records and results."""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple, Optional, Tuple, List

from ._codes import Decision, ResultCode
from ._errors import HandshakeError, request_error

__all__ = [
    "DeflateConfig",
    "DeflateParams",
    "Extension",
    "FeedResult",
    "Limits",
    "Response",
]

#: ResultCode members by number (a dict lookup is cheaper than the enum call).
CODES: dict[int, ResultCode] = {member.value: member for member in ResultCode}


@dataclass(frozen=True)
class DeflateConfig:
    """The server's permessage-deflate policy (RFC 7692).

    The defaults accept every offer with the largest windows and context
    takeover allowed, like ``permessage_deflate=True``.

    Attributes:
        server_max_window_bits: largest LZ77 window (8-15) the server's
            compressor will use.
        client_max_window_bits: largest window (8-15) the server lets the
            client's compressor use; below 15, offers that do not allow
            limiting the client are declined.
        server_no_context_takeover: the server resets its compression context
            after every message.
        client_no_context_takeover: the server asks the client to reset its
            context after every message.
    """

    server_max_window_bits: int = 15
    client_max_window_bits: int = 15
    server_no_context_takeover: bool = False
    client_no_context_takeover: bool = False


@dataclass(frozen=True)
class Limits:
    """Size limits on a request head (the library's defaults).

    Attributes:
        max_head_bytes: bytes in the head, request line and final empty line
            included (16-1048576).
        max_headers: number of header fields (1-128).
        max_request_line: length of the request line without CRLF (>= 1).
        max_header_line: length of one header line without CRLF (>= 1).
    """

    max_head_bytes: int = 16384
    max_headers: int = 64
    max_request_line: int = 8192
    max_header_line: int = 8192


class DeflateParams(NamedTuple):
    """The permessage-deflate parameters both sides agreed on.

    They tell the framing layer how to set up its compressor (server side:
    ``server_max_window_bits``, ``server_no_context_takeover``) and its
    decompressor (``client_max_window_bits``, ``client_no_context_takeover``).
    """

    server_no_context_takeover: bool
    client_no_context_takeover: bool
    server_max_window_bits: int
    client_max_window_bits: int


class Extension(NamedTuple):
    """One extension offer from ``Sec-WebSocket-Extensions``.

    ``params`` lists ``(name, value)`` in the order sent; ``value`` is None for
    a parameter without value and is unquoted/unescaped otherwise.
    """

    name: str
    params: List[Tuple[str, Optional[str]]]

    def get(self, name: str, default: str | None = None) -> str | None:
        """The value of the first parameter called ``name`` (case-insensitive)."""
        lowered = name.lower()
        for param, value in self.params:
            if param.lower() == lowered:
                return value
        return default


class FeedResult(NamedTuple):
    """What :meth:`ServerHandshake.feed` saw in the bytes given to it.

    Attributes:
        decision: the :class:`Decision` (``NEED_MORE`` until the head is complete).
        consumed: how many of the given bytes the handshake took.
        leftover: the given bytes after the head, once the head is complete
            (the new protocol's first bytes after an upgrade, or what follows
            an ordinary request); empty while incomplete and after a rejection
            (a rejected request's bytes must never be used).
        code: the :class:`ResultCode` (OK, NEED_MORE or the request error).
        error: for ``REJECTED``: the :class:`InvalidRequest` describing why,
            with the ready rejection in ``error.response``; None otherwise.
    """

    decision: Decision
    consumed: int
    leftover: bytes
    code: ResultCode
    error: Optional[HandshakeError]

    def raise_for_error(self) -> None:
        """Raises :attr:`error` when the request was rejected."""
        if self.error is not None:
            raise self.error


class Response(NamedTuple):
    """What :func:`respond` decided and wrote.

    Attributes:
        decision: the :class:`Decision`.
        response: the bytes to send: the 101 for an accepted upgrade, the
            ready rejection for an invalid request; empty for an incomplete
            head and for requests that are not upgrades (serve those yourself).
        consumed: bytes of the input that belong to the head (all of them for
            a rejection).
        leftover: the input after the head once decided (the new protocol's
            first bytes after a 101); empty otherwise.
        subprotocol: the selected subprotocol, or None.
        deflate: the negotiated :class:`DeflateParams`, or None.
        status: HTTP status of ``response`` (101, 4xx), 0 when nothing written.
        upgrade_protocol: for ``UPGRADE_OTHER``, the protocol switched to.
        code: the :class:`ResultCode` (OK, NEED_MORE or the request error).
    """

    decision: Decision
    response: bytes
    consumed: int
    leftover: bytes
    subprotocol: Optional[str]
    deflate: Optional[DeflateParams]
    status: int
    upgrade_protocol: Optional[str]
    code: ResultCode

    @property
    def error(self) -> HandshakeError | None:
        """For ``REJECTED``: the :class:`InvalidRequest` (with ``.response``)."""
        if self.decision is Decision.REJECTED:
            return request_error(int(self.code), self.response)
        return None

    def raise_for_error(self) -> None:
        """Raises :attr:`error` when the request was rejected."""
        error = self.error
        if error is not None:
            raise error
