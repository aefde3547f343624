"""Result codes and decisions: the numbers of ``wsh_result`` and ``wsh_decision``.

The C header promises these numbers are stable and never reused; the test suite
checks that this table matches ``include/wshandshake.h`` exactly.
"""

from __future__ import annotations

import enum

__all__ = ["Decision", "ResultCode", "NamedIntEnum"]


class NamedIntEnum(enum.IntEnum):
    """An ``IntEnum`` that prints as ``Decision.REJECTED``, not ``3``.

    Python 3.11 made ``str()`` of an ``IntEnum`` its number; a decision or a
    code in a log line or an f-string reads better by name. A format spec
    (``f"{code:d}"``) still formats the number.
    """

    def __str__(self) -> str:
        return f"{type(self).__name__}.{self.name}"

    def __format__(self, spec: str) -> str:
        return str(self) if not spec else int.__format__(int(self), spec)


class ResultCode(NamedIntEnum):
    """A ``wsh_result`` value: what a call into the library returned.

    Ranges: 0-99 success and progress; 100-199 misuse by the caller (these
    become :class:`ValueError` subclasses); 1000-1099 an invalid request from
    the peer (each with an HTTP status, see :attr:`http_status`); 2000-2099 an
    invalid response to the client; 3000-3099 an invalid extended CONNECT
    request (with an HTTP status); 3100-3199 an invalid answer to an extended
    CONNECT; 9000 an internal error. The functions :func:`is_request_error`,
    :func:`is_response_error`, :func:`is_connect_request_error` and
    :func:`is_connect_response_error` below test those ranges.
    """

    OK = 0
    NEED_MORE = 1
    NOT_FOUND = 2
    NULL_POINTER = 100
    INVALID_ARGUMENT = 101
    INVALID_UTF8 = 102
    WRONG_STATE = 103
    BUFFER_TOO_SMALL = 104
    INVALID_HEADER_NAME = 105
    INVALID_HEADER_VALUE = 106
    RESERVED_HEADER = 107
    SUBPROTOCOL_NOT_OFFERED = 108
    INVALID_STATUS = 109
    INVALID_EXTENSION = 110
    INVALID_CONFIG = 111
    OUT_OF_RANGE = 112
    INVALID_URL = 113
    RANDOM_SOURCE_FAILED = 114
    POISONED = 115
    FIELD_ARRAY_TOO_SMALL = 116
    INVALID_ORIGIN = 117
    INVALID_SUBPROTOCOL = 118
    DUPLICATE_SUBPROTOCOL = 119
    TOO_MANY_FIELDS = 120
    EXTENSION_NOT_OFFERED = 121
    RESERVED_EXTENSION = 122
    BODY_NOT_ALLOWED = 123
    REQUEST_HEAD_TOO_LARGE = 1000
    REQUEST_TOO_MANY_HEADERS = 1001
    REQUEST_HEADER_LINE_TOO_LONG = 1002
    REQUEST_LINE_TOO_LONG = 1003
    REQUEST_MALFORMED_HEAD = 1010
    REQUEST_BARE_LINE_FEED = 1011
    REQUEST_BARE_CARRIAGE_RETURN = 1012
    REQUEST_OBSOLETE_LINE_FOLDING = 1013
    REQUEST_METHOD_NOT_ALLOWED = 1020
    REQUEST_MISSING_HOST = 1021
    REQUEST_DUPLICATE_HOST = 1022
    REQUEST_MISSING_CONNECTION_UPGRADE = 1023
    REQUEST_INVALID_HOST = 1024
    REQUEST_INVALID_TARGET = 1025
    REQUEST_MISSING_KEY = 1030
    REQUEST_DUPLICATE_KEY = 1031
    REQUEST_INVALID_KEY = 1032
    REQUEST_MISSING_VERSION = 1033
    REQUEST_DUPLICATE_VERSION = 1034
    REQUEST_UNSUPPORTED_VERSION = 1035
    REQUEST_DUPLICATE_ORIGIN = 1040
    REQUEST_ORIGIN_NOT_ALLOWED = 1041
    REQUEST_INVALID_SUBPROTOCOL_LIST = 1050
    REQUEST_NO_SUBPROTOCOL_MATCH = 1051
    REQUEST_INVALID_EXTENSION_LIST = 1052
    REQUEST_HAS_BODY = 1060
    REQUEST_INVALID_CONTENT_LENGTH = 1061
    RESPONSE_MALFORMED_HEAD = 2000
    RESPONSE_HEAD_TOO_LARGE = 2001
    RESPONSE_TOO_MANY_HEADERS = 2002
    RESPONSE_INVALID_STATUS = 2003
    RESPONSE_INVALID_VERSION = 2004
    RESPONSE_MISSING_UPGRADE = 2010
    RESPONSE_MISSING_CONNECTION_UPGRADE = 2011
    RESPONSE_MISSING_ACCEPT = 2012
    RESPONSE_DUPLICATE_ACCEPT = 2013
    RESPONSE_WRONG_ACCEPT = 2014
    RESPONSE_UNEXPECTED_SUBPROTOCOL = 2020
    RESPONSE_MISSING_SUBPROTOCOL = 2021
    RESPONSE_DUPLICATE_SUBPROTOCOL = 2022
    RESPONSE_INVALID_EXTENSIONS = 2030
    RESPONSE_UNEXPECTED_EXTENSION = 2031
    RESPONSE_DUPLICATE_EXTENSION = 2032
    RESPONSE_INVALID_DEFLATE_PARAMETER = 2033
    RESPONSE_UNEXPECTED_CLIENT_WINDOW_BITS = 2034
    RESPONSE_DEFLATE_WINDOW_TOO_LARGE = 2035
    RESPONSE_MISSING_SERVER_NO_CONTEXT_TAKEOVER = 2036
    RESPONSE_MISSING_SERVER_MAX_WINDOW_BITS = 2037
    RESPONSE_INVALID_CONTENT_LENGTH = 2040
    RESPONSE_INVALID_CHUNKED_BODY = 2041
    RESPONSE_BODY_TOO_LARGE = 2042
    RESPONSE_INCOMPLETE_HEAD = 2050
    RESPONSE_INCOMPLETE_BODY = 2051
    CONNECT_REQUEST_INVALID_FIELD_NAME = 3000
    CONNECT_REQUEST_INVALID_FIELD_VALUE = 3001
    CONNECT_REQUEST_MISPLACED_PSEUDO_HEADER = 3002
    CONNECT_REQUEST_UNKNOWN_PSEUDO_HEADER = 3003
    CONNECT_REQUEST_DUPLICATE_PSEUDO_HEADER = 3004
    CONNECT_REQUEST_METHOD_NOT_CONNECT = 3010
    CONNECT_REQUEST_MISSING_SCHEME = 3011
    CONNECT_REQUEST_INVALID_SCHEME = 3012
    CONNECT_REQUEST_MISSING_PATH = 3013
    CONNECT_REQUEST_INVALID_PATH = 3014
    CONNECT_REQUEST_MISSING_AUTHORITY = 3015
    CONNECT_REQUEST_INVALID_AUTHORITY = 3016
    CONNECT_REQUEST_HOST_MISMATCH = 3017
    CONNECT_REQUEST_CONNECTION_SPECIFIC_FIELD = 3020
    CONNECT_REQUEST_HAS_CONTENT = 3021
    CONNECT_REQUEST_MISSING_VERSION = 3030
    CONNECT_REQUEST_DUPLICATE_VERSION = 3031
    CONNECT_REQUEST_UNSUPPORTED_VERSION = 3032
    CONNECT_REQUEST_KEY_NOT_ALLOWED = 3033
    CONNECT_REQUEST_DUPLICATE_ORIGIN = 3040
    CONNECT_REQUEST_ORIGIN_NOT_ALLOWED = 3041
    CONNECT_REQUEST_INVALID_SUBPROTOCOL_LIST = 3050
    CONNECT_REQUEST_NO_SUBPROTOCOL_MATCH = 3051
    CONNECT_REQUEST_INVALID_EXTENSION_LIST = 3052
    CONNECT_RESPONSE_INVALID_FIELD_NAME = 3100
    CONNECT_RESPONSE_INVALID_FIELD_VALUE = 3101
    CONNECT_RESPONSE_MISPLACED_PSEUDO_HEADER = 3102
    CONNECT_RESPONSE_UNKNOWN_PSEUDO_HEADER = 3103
    CONNECT_RESPONSE_DUPLICATE_STATUS = 3104
    CONNECT_RESPONSE_MISSING_STATUS = 3105
    CONNECT_RESPONSE_INVALID_STATUS = 3106
    CONNECT_RESPONSE_CONNECTION_SPECIFIC_FIELD = 3107
    CONNECT_RESPONSE_DUPLICATE_SUBPROTOCOL = 3110
    CONNECT_RESPONSE_SUBPROTOCOL_NOT_OFFERED = 3111
    CONNECT_RESPONSE_INVALID_EXTENSION_LIST = 3120
    CONNECT_RESPONSE_EXTENSION_NOT_OFFERED = 3121
    CONNECT_RESPONSE_DUPLICATE_EXTENSION = 3122
    CONNECT_RESPONSE_DEFLATE_INVALID_PARAMETER = 3130
    CONNECT_RESPONSE_DEFLATE_UNEXPECTED_CLIENT_WINDOW = 3131
    CONNECT_RESPONSE_DEFLATE_WINDOW_TOO_LARGE = 3132
    CONNECT_RESPONSE_DEFLATE_MISSING_SERVER_NO_CONTEXT_TAKEOVER = 3133
    CONNECT_RESPONSE_DEFLATE_MISSING_SERVER_MAX_WINDOW_BITS = 3134
    PANIC = 9000

    @property
    def is_request_error(self) -> bool:
        """True for the codes of an invalid request (1000-1099)."""
        return is_request_error(self.value)

    @property
    def http_status(self) -> int:
        """The HTTP status of the ready-made rejection (0 unless a request error)."""
        from ._ffi import lib

        return int(lib.wsh_result_http_status(self.value))

    @property
    def description(self) -> str:
        """The library's one-line description of the code (``wsh_result_str``)."""
        from ._ffi import result_str

        return result_str(self.value)


class Decision(NamedIntEnum):
    """What the engine decided about the request bytes fed so far."""

    #: The head is not complete yet: feed more bytes.
    NEED_MORE = 0
    #: A valid WebSocket upgrade request: inspect it, then accept or reject.
    UPGRADE_WEBSOCKET = 1
    #: A valid upgrade to another configured protocol (``upgrade_protocols``).
    UPGRADE_OTHER = 2
    #: An invalid request: the ready-made rejection is pending; send it, close.
    REJECTED = 3
    #: An ordinary HTTP request without Upgrade: serve it yourself.
    NOT_UPGRADE = 4
    #: An HTTP/1.0 request: its Upgrade field is ignored; serve it as HTTP.
    NOT_UPGRADE_HTTP10 = 5
    #: Upgrade names only protocols this server does not switch to: serve as HTTP.
    NOT_UPGRADE_UNSUPPORTED = 6
    #: The HTTP/2 connection preface: hand every byte to an HTTP/2 stack.
    HTTP2_PREFACE = 7

    @property
    def is_decided(self) -> bool:
        """True once the head is complete (anything but NEED_MORE)."""
        return self is not Decision.NEED_MORE

    @property
    def is_upgrade(self) -> bool:
        """True for a valid upgrade request (WebSocket or another protocol)."""
        return self is Decision.UPGRADE_WEBSOCKET or self is Decision.UPGRADE_OTHER

    @property
    def is_plain_http(self) -> bool:
        """True for a request to serve as ordinary HTTP (the NOT_UPGRADE family)."""
        return self in _PLAIN_HTTP


_PLAIN_HTTP = frozenset(
    (Decision.NOT_UPGRADE, Decision.NOT_UPGRADE_HTTP10, Decision.NOT_UPGRADE_UNSUPPORTED)
)

# The ranges of ``wsh_result`` that are outcomes of the peer's bytes, not
# failed calls (include/wshandshake.h, "The result of a call").

#: ``WSH_REQUEST_*`` (first, end): the peer's HTTP/1.1 request is invalid and
#: the engine's rejection is pending.
REQUEST_ERRORS_FIRST = ResultCode.REQUEST_HEAD_TOO_LARGE.value
REQUEST_ERRORS_END = 1100


def is_request_error(code: int) -> bool:
    """True for a ``WSH_REQUEST_*`` code (1000-1099): the peer's request is
    invalid and its rejection is ready (a decided request, not a failed call)."""
    return REQUEST_ERRORS_FIRST <= code < REQUEST_ERRORS_END


def is_response_error(code: int) -> bool:
    """True for a ``WSH_RESPONSE_*`` code (2000-2099): the server's answer to
    the client's opening request breaks RFC 6455; fail the connection."""
    return 2000 <= code < 2100


def is_connect_request_error(code: int) -> bool:
    """True for a ``WSH_CONNECT_REQUEST_*`` code (3000-3099): the extended
    CONNECT request is invalid and its rejection fields are written."""
    return 3000 <= code < 3100


def is_connect_response_error(code: int) -> bool:
    """True for a ``WSH_CONNECT_RESPONSE_*`` code (3100-3199): the server's
    answer to an extended CONNECT breaks the rules; reset the stream."""
    return 3100 <= code < 3200


#: The last code of progress, not of failure (0 OK, 1 NEED_MORE).
LAST_PROGRESS_CODE = ResultCode.NEED_MORE.value

#: Decision members indexed by number: a tuple lookup is much cheaper than
#: calling the enum class on the hot path.
DECISIONS: tuple[Decision, ...] = tuple(Decision)
