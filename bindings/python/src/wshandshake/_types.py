"""Value types: configuration records and results."""

from __future__ import annotations

import operator
from ctypes import string_at
from typing import Any, List, NamedTuple, Optional, Tuple

from ._codes import DECISIONS, Decision, ResultCode
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
_new_tuple = tuple.__new__
_NOTHING_AFTER = frozenset((Decision.NEED_MORE.value, Decision.REJECTED.value))


class _Record:
    """A frozen record with keyword defaults, equality, hash and repr: what
    ``@dataclass(frozen=True)`` gives, without compiling methods at import
    (dataclasses and namedtuple ``exec`` code for each class, which was most
    of ``import wshandshake``). ``_replace(**changes)`` makes a changed copy."""

    __slots__ = ()
    _fields: Tuple[str, ...] = ()
    _defaults: Tuple[Any, ...] = ()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        name = type(self).__name__
        if len(args) > len(self._fields):
            raise TypeError(f"{name}() takes at most {len(self._fields)} arguments")
        values = dict(zip(self._fields, self._defaults))
        values.update(zip(self._fields, args))
        for key, value in kwargs.items():
            if key not in values:
                raise TypeError(f"{name}() got an unexpected keyword argument {key!r}")
            if key in self._fields[: len(args)]:
                raise TypeError(f"{name}() got multiple values for argument {key!r}")
            values[key] = value
        for key in self._fields:
            object.__setattr__(self, key, values[key])

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError(f"{type(self).__name__} is frozen: cannot assign to {name!r}")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"{type(self).__name__} is frozen: cannot delete {name!r}")

    def _astuple(self) -> Tuple[Any, ...]:
        return tuple(getattr(self, key) for key in self._fields)

    def _replace(self, **changes: Any) -> Any:
        return type(self)(**{**dict(zip(self._fields, self._astuple())), **changes})

    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        return self._astuple() == other._astuple()  # type: ignore[attr-defined]

    def __hash__(self) -> int:
        return hash((type(self).__name__,) + self._astuple())

    def __repr__(self) -> str:
        inner = ", ".join(f"{key}={getattr(self, key)!r}" for key in self._fields)
        return f"{type(self).__name__}({inner})"

    def __reduce__(self) -> Tuple[Any, ...]:
        return (type(self), self._astuple())


class DeflateConfig(_Record):
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

    __slots__ = (
        "server_max_window_bits",
        "client_max_window_bits",
        "server_no_context_takeover",
        "client_no_context_takeover",
    )
    _fields = __slots__
    _defaults = (15, 15, False, False)

    server_max_window_bits: int
    client_max_window_bits: int
    server_no_context_takeover: bool
    client_no_context_takeover: bool


class Limits(_Record):
    """Size limits on a request head (the library's defaults).

    Attributes:
        max_head_bytes: bytes in the head, request line and final empty line
            included (16-1048576).
        max_headers: number of header fields (1-128).
        max_request_line: length of the request line without CRLF (>= 1).
        max_header_line: length of one header line without CRLF (>= 1).
    """

    __slots__ = ("max_head_bytes", "max_headers", "max_request_line", "max_header_line")
    _fields = __slots__
    _defaults = (16384, 128, 8192, 8192)

    max_head_bytes: int
    max_headers: int
    max_request_line: int
    max_header_line: int


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


_item = operator.itemgetter


class Response(tuple):  # type: ignore[type-arg]
    """What :func:`respond` decided and wrote: an immutable record.

    :func:`respond` keeps what the library reported as it came (one unpacked
    ``wsh_respond_info``, the response bytes, the input) and each attribute
    decodes its part when read, which keeps the call itself close to the cost
    of the foreign call. It is a record, not a sequence: read the attributes
    (:meth:`_asdict` gives them all).

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

    # Storage: 0 the values of ``_ffi.INFO_LAYOUT`` (one unpacked
    # ``wsh_respond_info``), 1 the response bytes, 2 the input, 3 the
    # ServerConfig (its subprotocols, and the memory the upgrade protocol
    # points into), 4 the result code.
    __slots__ = ()

    _fields = (
        "decision",
        "response",
        "consumed",
        "leftover",
        "subprotocol",
        "deflate",
        "status",
        "upgrade_protocol",
        "code",
    )

    response: bytes = property(_item(1))  # type: ignore[assignment]

    @property
    def decision(self) -> Decision:
        return DECISIONS[self[0][0]]

    @property
    def status(self) -> int:
        return self[0][1]  # type: ignore[no-any-return]

    @property
    def consumed(self) -> int:
        return self[0][2]  # type: ignore[no-any-return]

    @property
    def leftover(self) -> bytes:
        # NEED_MORE and REJECTED leave nothing after the head.
        info = self[0]
        if info[0] in _NOTHING_AFTER:
            return b""
        return self[2][info[2] :]  # type: ignore[no-any-return]

    @property
    def subprotocol(self) -> Optional[str]:
        # A selected subprotocol is never empty; its index names the config's entry.
        info = self[0]
        return self[3].subprotocols[info[12]] if info[4] else None  # type: ignore[no-any-return]

    @property
    def upgrade_protocol(self) -> Optional[str]:
        # A view into the config, which this record keeps alive.
        info = self[0]
        if not info[5]:
            return None
        return string_at(info[5], info[6]).decode("latin-1")

    @property
    def deflate(self) -> Optional[DeflateParams]:
        info = self[0]
        return _new_tuple(DeflateParams, info[8:12]) if info[7] else None

    @property
    def code(self) -> ResultCode | int:
        code = self[4]
        return CODES.get(code, code)

    @property
    def error(self) -> HandshakeError | None:
        """For ``REJECTED``: the :class:`InvalidRequest` (with ``.response``)."""
        if self[0][0] == Decision.REJECTED:
            return request_error(self[4], self[1])
        return None

    def raise_for_error(self) -> None:
        """Raises :attr:`error` when the request was rejected."""
        error = self.error
        if error is not None:
            raise error

    def _asdict(self) -> dict[str, Any]:
        """The attributes as a dict, in the documented order."""
        return {name: getattr(self, name) for name in self._fields}

    def __eq__(self, other: object) -> bool:
        if type(other) is not Response:
            return NotImplemented
        return self._asdict() == other._asdict()  # type: ignore[attr-defined]

    def __ne__(self, other: object) -> bool:
        equal = self.__eq__(other)
        return equal if equal is NotImplemented else not equal

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        info = self[0]
        parts = [f"decision={self.decision.name}", f"status={info[1]}"]
        if info[4]:
            parts.append(f"subprotocol={self.subprotocol!r}")
        if info[7]:
            parts.append(f"deflate={self.deflate!r}")
        if info[5]:
            parts.append(f"upgrade_protocol={self.upgrade_protocol!r}")
        parts.append(f"consumed={info[2]}")
        leftover = self.leftover
        if leftover:
            parts.append(f"leftover={len(leftover)} bytes")
        parts.append(f"response={_preview(self[1])}")
        if info[0] == Decision.REJECTED:
            parts.append(f"code={self.code!r}")
        return "Response(" + ", ".join(parts) + ")"


def _preview(data: bytes) -> str:
    """The first line of a response and its size, for reprs."""
    if not data:
        return "b''"
    line = data.split(b"\r\n", 1)[0]
    return f"{line!r} ({len(data)} bytes)"
