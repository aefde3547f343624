"""wshandshake: a sans-I/O WebSocket opening handshake and HTTP/1.1 Upgrade engine.

Python bindings (ctypes) to the bundled Rust library. You own the sockets; the
engine reads the request bytes you feed it and gives you the response bytes to
send.

One call, the common case::

    import wshandshake as wsh

    config = wsh.ServerConfig(["chat"])
    r = wsh.respond(config, request_bytes)
    if r.decision is wsh.Decision.NEED_MORE: ...      # read more, call again
    sock.sendall(r.response)                          # 101 or a rejection
    if r.decision is wsh.Decision.UPGRADE_WEBSOCKET:  # r.leftover: first frames
        ...

Incremental input, inspection, custom answers: :class:`ServerHandshake`.
Rejected requests are ordinary results (``Decision.REJECTED`` with ``.error``),
not exceptions; misuse raises :class:`UsageError` (a ``ValueError``).
"""

from __future__ import annotations

from ._client import (
    ClientConfig,
    ClientDecision,
    ClientFeedResult,
    ClientHandshake,
    ClientLimits,
    DeflateOffer,
    ResponseError,
)
from ._codes import Decision, ResultCode
from ._connect import (
    SETTINGS_ENABLE_CONNECT_PROTOCOL,
    ConnectClientOutcome,
    ConnectClientResponse,
    ConnectOutcome,
    ConnectRequest,
    ConnectResponse,
    connect_analyze,
    connect_client_check_response,
    connect_client_request,
    connect_reject,
    connect_respond,
)
from ._config import ServerConfig
from ._errors import (
    ConfigError,
    HandshakeError,
    InternalError,
    InvalidHeader,
    InvalidOrigin,
    InvalidRequest,
    InvalidUpgrade,
    MalformedRequest,
    NegotiationFailed,
    RequestTooLarge,
    ResponseTooLarge,
    StateError,
    SubprotocolNotOffered,
    UnsupportedVersion,
    UsageError,
)
from ._ffi import lib as _lib
from ._ffi import library_path
from ._headers import Headers
from ._respond import accept_key, respond
from ._server import POLICY, ServerHandshake
from ._types import DeflateConfig, DeflateParams, Extension, FeedResult, Limits, Response

#: The version of the native library in use (``wsh_version()``).
__version__: str = _lib.wsh_version().decode("ascii")

__all__ = [
    "__version__",
    "library_path",
    # one call
    "respond",
    "accept_key",
    "Response",
    # configuration
    "ServerConfig",
    "DeflateConfig",
    "Limits",
    # incremental handshake
    "ServerHandshake",
    "POLICY",
    "FeedResult",
    "Decision",
    "ResultCode",
    "Headers",
    "Extension",
    "DeflateParams",
    # client handshake
    "ClientConfig",
    "ClientHandshake",
    "ClientDecision",
    "ClientFeedResult",
    "ClientLimits",
    "DeflateOffer",
    # extended CONNECT (RFC 8441, RFC 9220)
    "connect_analyze",
    "connect_respond",
    "connect_reject",
    "connect_client_request",
    "connect_client_check_response",
    "ConnectOutcome",
    "ConnectClientOutcome",
    "ConnectRequest",
    "ConnectResponse",
    "ConnectClientResponse",
    "SETTINGS_ENABLE_CONNECT_PROTOCOL",
    # errors
    "ResponseError",
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
