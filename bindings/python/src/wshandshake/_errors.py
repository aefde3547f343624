"""Exceptions.

Two families:

- :class:`HandshakeError` and its subclasses describe a *peer's* invalid
  request (or an internal error). A rejected request is a normal outcome, not
  an exception: :meth:`ServerHandshake.feed` and :func:`respond` return it with
  ``decision == Decision.REJECTED`` and the error object in ``.error`` (with the
  ready rejection bytes in ``.error.response``). Call ``.raise_for_error()`` on
  the result if raising suits your code better.
- :class:`UsageError` (a :class:`ValueError`) and its subclasses are raised for
  *caller* misuse: a call in the wrong state, an invalid header, a subprotocol
  the client did not offer, an invalid configuration. Wrong argument types
  raise :class:`TypeError`.
"""

from __future__ import annotations

from ._codes import ResultCode, is_request_error
from ._ffi import lib, result_str

__all__ = [
    "HandshakeError",
    "InvalidRequest",
    "RequestTooLarge",
    "MalformedRequest",
    "InvalidUpgrade",
    "UnsupportedVersion",
    "InvalidOrigin",
    "NegotiationFailed",
    "InternalError",
    "UsageError",
    "StateError",
    "InvalidHeader",
    "SubprotocolNotOffered",
    "ConfigError",
    "ResponseTooLarge",
]


def _code(value: int) -> ResultCode | int:
    try:
        return ResultCode(value)
    except ValueError:
        return value


class HandshakeError(Exception):
    """A request the engine refused (or an internal error).

    Attributes:
        code: the :class:`ResultCode` (an ``int`` if this version does not
            know the number).
        status: the HTTP status of the ready rejection (0 when none).
        response: the ready-to-send rejection bytes, when there is one.
    """

    code: ResultCode | int
    status: int
    response: bytes | None

    def __init__(self, code: int, message: str | None = None, *, response: bytes | None = None):
        self.code = _code(code)
        self.status = int(lib.wsh_result_http_status(int(code)))
        self.response = response
        super().__init__(message if message is not None else result_str(int(code)))

    def __repr__(self) -> str:
        name = self.code.name if isinstance(self.code, ResultCode) else str(self.code)
        return f"{type(self).__name__}({name}, status={self.status}, {str(self)!r})"

    def __reduce__(self) -> tuple[object, ...]:
        # Exception's default pickles ``args`` (the message) and calls the
        # class with it; this one passes the code, the message and the
        # response, so the copy (another process) has every field.
        return (_rebuild_handshake_error, (type(self), int(self.code), str(self), self.response))


def _rebuild_handshake_error(
    cls: type[HandshakeError], code: int, message: str, response: bytes | None
) -> HandshakeError:
    return cls(code, message, response=response)


class InvalidRequest(HandshakeError):
    """The peer's request is invalid (codes 1000-1099); ``response`` rejects it."""


class RequestTooLarge(InvalidRequest):
    """The head, a line or the header count is over the limits (431 or 414)."""


class MalformedRequest(InvalidRequest):
    """The head does not follow the HTTP/1.1 syntax (400)."""


class InvalidUpgrade(InvalidRequest):
    """The upgrade request breaks a rule: method, Host, Connection, key, body (400/405)."""


class UnsupportedVersion(InvalidRequest):
    """Sec-WebSocket-Version is missing or not 13 (426 with Sec-WebSocket-Version: 13)."""


class InvalidOrigin(InvalidRequest):
    """The Origin is not allowed (403) or is duplicated (400)."""


class NegotiationFailed(InvalidRequest):
    """Invalid subprotocol or extension lists, or no required subprotocol (400)."""


class InternalError(HandshakeError):
    """An internal error in the library (a caught Rust panic, a poisoned handle).

    Please report it; the handle involved can only be closed.
    """


class UsageError(ValueError):
    """The caller used the API wrongly. ``code`` is the library's result code."""

    code: ResultCode | int

    def __init__(self, code: int, message: str | None = None):
        self.code = _code(code)
        super().__init__(message if message is not None else result_str(int(code)))

    def __reduce__(self) -> tuple[object, ...]:
        return (type(self), (int(self.code), str(self)))

    def __repr__(self) -> str:
        name = self.code.name if isinstance(self.code, ResultCode) else str(self.code)
        return f"{type(self).__name__}({name}, {str(self)!r})"


class StateError(UsageError):
    """The call is not valid in the handshake's state (or the handle is closed)."""


class InvalidHeader(UsageError):
    """A header name is not a token, a value has control bytes, or it is reserved."""


class SubprotocolNotOffered(UsageError):
    """The subprotocol chosen in ``accept()`` was not offered by the client."""


class ConfigError(UsageError):
    """A configuration value is invalid or out of range."""


class ResponseTooLarge(UsageError):
    """The response does not fit the config's ``response_capacity``."""


_REQUEST_FAMILIES: dict[int, type[InvalidRequest]] = {
    100: RequestTooLarge,
    101: MalformedRequest,
    102: InvalidUpgrade,
    103: InvalidUpgrade,
    104: InvalidOrigin,
    105: NegotiationFailed,
    106: InvalidUpgrade,
}

_USAGE_CLASSES: dict[int, type[UsageError]] = {
    ResultCode.WRONG_STATE: StateError,
    ResultCode.BUFFER_TOO_SMALL: ResponseTooLarge,
    ResultCode.INVALID_HEADER_NAME: InvalidHeader,
    ResultCode.INVALID_HEADER_VALUE: InvalidHeader,
    ResultCode.RESERVED_HEADER: InvalidHeader,
    ResultCode.SUBPROTOCOL_NOT_OFFERED: SubprotocolNotOffered,
    ResultCode.INVALID_CONFIG: ConfigError,
}


def request_error(code: int, response: bytes | None = None) -> InvalidRequest:
    """The :class:`InvalidRequest` subclass instance for a request error code."""
    if code in (ResultCode.REQUEST_MISSING_VERSION, ResultCode.REQUEST_UNSUPPORTED_VERSION):
        cls: type[InvalidRequest] = UnsupportedVersion
    else:
        cls = _REQUEST_FAMILIES.get(code // 10, InvalidRequest)
    return cls(code, response=response)


def error_for(code: int, context: str = "") -> Exception:
    """The exception for a failing result code of a call (not a request error)."""
    message = result_str(code)
    if context:
        message = f"{context}: {message}"
    if code == ResultCode.PANIC or code == ResultCode.POISONED:
        return InternalError(code, message)
    if is_request_error(code):
        return request_error(code)
    if code >= 1000:  # client-side and extended CONNECT codes: not misuse
        return HandshakeError(code, message)
    return _USAGE_CLASSES.get(code, UsageError)(code, message)
