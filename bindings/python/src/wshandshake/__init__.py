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

from typing import TYPE_CHECKING, Any

from ._codes import Decision, ResultCode
from ._config import ServerConfig
from . import _errors
from ._errors import *  # noqa: F403 - the exceptions, listed once in _errors.__all__
from ._ffi import library_path, library_version
from ._respond import RespondProgress, accept_key, respond
from ._types import DeflateConfig, DeflateParams, Extension, FeedResult, Limits, Response
from ._version import __version__

if TYPE_CHECKING:  # the lazily imported names, for type checkers
    from ._client import (
        ClientConfig,
        ClientDecision,
        ClientFeedResult,
        ClientHandshake,
        ClientLimits,
        DeflateOffer,
        ResponseError,
    )
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
    from ._headers import Headers
    from ._server import POLICY, ServerHandshake
    from ._wsproto import wsproto_can_deflate, wsproto_connection

#: Names imported on first use (PEP 562), so ``import wshandshake`` loads only
#: what the one-call server path needs: module -> names.
_LAZY = {
    "_server": ("POLICY", "ServerHandshake"),
    "_headers": ("Headers",),
    "_client": (
        "ClientConfig",
        "ClientDecision",
        "ClientFeedResult",
        "ClientHandshake",
        "ClientLimits",
        "DeflateOffer",
        "ResponseError",
    ),
    "_connect": (
        "SETTINGS_ENABLE_CONNECT_PROTOCOL",
        "ConnectClientOutcome",
        "ConnectClientResponse",
        "ConnectOutcome",
        "ConnectRequest",
        "ConnectResponse",
        "connect_analyze",
        "connect_client_check_response",
        "connect_client_request",
        "connect_reject",
        "connect_respond",
    ),
    "_wsproto": ("wsproto_connection", "wsproto_can_deflate"),
}
_LAZY_NAMES = {name: module for module, names in _LAZY.items() for name in names}


def __getattr__(name: str) -> Any:
    module = _LAZY_NAMES.get(name)
    if module is None:
        raise AttributeError(f"module 'wshandshake' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value  # later lookups skip this function
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY_NAMES))


__all__ = [
    "__version__",
    "library_path",
    "library_version",
    # one call
    "respond",
    "RespondProgress",
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
    # frames after the handshake: wsproto (optional extra)
    "wsproto_connection",
    "wsproto_can_deflate",
    # errors (and those of _errors.__all__, added below)
    "ResponseError",
]
__all__ += _errors.__all__
