"""The client side of the opening handshake: ClientConfig and ClientHandshake."""

from __future__ import annotations

import weakref
from collections.abc import Iterable, Mapping
from ctypes import byref, c_size_t, c_uint16, c_uint32, c_void_p
from dataclasses import dataclass
from typing import Any, NamedTuple, Optional, Union

from ._codes import NamedIntEnum, ResultCode, is_connect_response_error, is_response_error
from ._errors import (
    ConfigError,
    HandshakeError,
    InternalError,
    StateError,
    UsageError,
    _code,
    error_for,
)
from ._ffi import (
    NONCE_LEN,
    ClientLimitsC,
    ClientUrlC,
    DeflateOfferC,
    DeflateParamsC,
    lib,
    read_memory,
)
from ._handle import NativeHandle
from ._headers import Headers
from ._types import DeflateParams
from ._util import as_bytes, header_pairs, items_arg

__all__ = [
    "ClientConfig",
    "ClientDecision",
    "ClientFeedResult",
    "ClientHandshake",
    "ClientLimits",
    "DeflateOffer",
    "ResponseError",
]


class ResponseError(HandshakeError):
    """The server's response breaks the protocol: fail the connection.

    ``code`` is the :class:`ResultCode` (``RESPONSE_*`` for an HTTP/1.1
    response, ``CONNECT_RESPONSE_*`` for an extended CONNECT one); ``status``
    is 0 (a client has nothing to send back).
    """


def client_error_for(code: int, context: str = "") -> Exception:
    """The exception for a failing client-side result code."""
    if is_response_error(code) or is_connect_response_error(code):
        message = lib.wsh_result_str(code).decode("utf-8", "replace")
        return ResponseError(code, f"{context}: {message}" if context else message)
    return error_for(code, context)


def _config_error(code: int, context: str) -> Exception:
    """Builder errors: the usage classes where they apply, else ConfigError."""
    error = error_for(code, context)
    if type(error) is UsageError:
        return ConfigError(code, str(error))
    return error


class ClientDecision(NamedIntEnum):
    """What the client knows about the server's answer so far."""

    #: The response is incomplete: feed more bytes (or ``finish()`` at the close).
    NEED_MORE = 0
    #: A valid 101: the bytes after the head are the first WebSocket frames.
    ACCEPTED = 1
    #: A well-formed final response other than 101: read ``status``,
    #: ``headers``, ``body``; close the connection (or follow a redirect).
    REFUSED = 2
    #: The response breaks the protocol (``error`` says how): close the connection.
    FAILED = 3


_DECISIONS = tuple(ClientDecision)


@dataclass(frozen=True)
class DeflateOffer:
    """A client's permessage-deflate offer (RFC 7692 section 7.1).

    The defaults are the offer browsers send
    (``permessage-deflate; client_max_window_bits``), like
    ``permessage_deflate=True``.

    Attributes:
        server_no_context_takeover: ask the server to reset its compression
            context after every message.
        client_no_context_takeover: tell the server the client resets its
            context after every message.
        server_max_window_bits: ask the server to use at most this window
            (8-15), or None to leave the parameter out.
        offer_client_max_window_bits: send ``client_max_window_bits`` (the
            server may then limit the client's window).
        client_max_window_bits: with ``offer_client_max_window_bits``, the
            largest window (8-15) the client will use, or None to send the
            parameter without a value.
    """

    server_no_context_takeover: bool = False
    client_no_context_takeover: bool = False
    server_max_window_bits: Optional[int] = None
    offer_client_max_window_bits: bool = True
    client_max_window_bits: Optional[int] = None

    def _to_c(self) -> DeflateOfferC:
        offer = DeflateOfferC()
        for name in (
            "server_no_context_takeover",
            "client_no_context_takeover",
            "offer_client_max_window_bits",
        ):
            value = getattr(self, name)
            if not isinstance(value, bool):
                raise TypeError(f"{name} must be a bool, got {type(value).__name__}")
            setattr(offer, name, value)
        for name in ("server_max_window_bits", "client_max_window_bits"):
            value = getattr(self, name)
            if value is None:
                continue
            if isinstance(value, bool) or not isinstance(value, int):
                raise TypeError(f"{name} must be an int or None, got {type(value).__name__}")
            if not 8 <= value <= 15:
                raise ConfigError(ResultCode.INVALID_CONFIG, f"{name} must be 8-15, not {value}")
            setattr(offer, name, value)
        return offer


def deflate_offer_arg(value: object) -> DeflateOffer | None:
    """``permessage_deflate`` argument: None/False, True or a DeflateOffer."""
    if value is None or value is False:
        return None
    if value is True:
        return DeflateOffer()
    if isinstance(value, DeflateOffer):
        return value
    raise TypeError(
        "permessage_deflate must be None, a bool or a DeflateOffer, not "
        f"{type(value).__name__}"
    )


def deflate_offers_arg(value: object) -> tuple[DeflateOffer, ...]:
    """The client's ``permessage_deflate`` argument: what ``deflate_offer_arg``
    takes, or a list or tuple of DeflateOffer (several offers, preferred first)."""
    if isinstance(value, (list, tuple)):
        for item in value:
            if not isinstance(item, DeflateOffer):
                raise TypeError(
                    "permessage_deflate offers must be DeflateOffer, not "
                    f"{type(item).__name__}"
                )
        return tuple(value)
    offer = deflate_offer_arg(value)
    return () if offer is None else (offer,)


@dataclass(frozen=True)
class ClientLimits:
    """Bounds on what a client reads from the server (the library's defaults).

    Attributes:
        max_head_bytes: bytes in one response head (16-1048576).
        max_headers: header fields in one response head (1-128).
        max_body_bytes: body bytes kept from a refusal (0-16777216); a longer
            body fails the handshake with ``RESPONSE_BODY_TOO_LARGE``.
    """

    max_head_bytes: int = 16384
    max_headers: int = 128
    max_body_bytes: int = 65536


_SUBPROTOCOL_MODES = {"browser": 0, "rfc6455": 1}
_HOST_KINDS = {0: "name", 1: "ipv4", 2: "ipv6"}


def _text_items(value: object, what: str) -> tuple[str, ...]:
    items = items_arg(value, what, "str")
    for item in items:
        if not isinstance(item, str):
            raise TypeError(f"{what} must contain str, got {type(item).__name__}")
    return items  # type: ignore[return-value]


class ClientConfig:
    """The client's opening request for one URL: immutable, shareable across threads.

    Args:
        url: ``ws://`` or ``wss://`` URL, e.g. ``"ws://127.0.0.1:8765/chat"``
            (no fragment, no userinfo; internationalized names in punycode).
        origin: the Origin field (``"null"`` or ``scheme://host[:port]``), or None.
        subprotocols: subprotocols to offer, in order of preference.
        permessage_deflate: None/False (no offer), True (the browsers' offer),
            a :class:`DeflateOffer`, or a list of them: several offers in
            order of preference (RFC 7692 section 5.1), e.g. small windows
            first and ``DeflateOffer()`` as the fallback;
            :attr:`ClientHandshake.deflate_offer_index` tells which one the
            server accepted.
        extensions: other extension elements to offer, e.g.
            ``"x-custom; level=2"`` (not permessage-deflate).
        headers: extra request fields (a mapping or ``(name, value)`` pairs of
            str or bytes), e.g. Authorization; not those the request writes.
        limits: a :class:`ClientLimits`, or None for the defaults.
        subprotocol_mode: when subprotocols were offered and the server
            selected none: ``"browser"`` fails the handshake (the default),
            ``"rfc6455"`` accepts without a subprotocol.

    Attributes:
        url, origin, subprotocols, extensions, headers, limits,
        subprotocol_mode: the arguments, normalized.
        deflate_offers: the permessage-deflate offers, a tuple (empty: none).
        permessage_deflate: the first (preferred) offer, or None.

    Raises:
        TypeError: an argument of the wrong type.
        ConfigError: an invalid URL, origin, subprotocol, extension or limit.
        InvalidHeader: an invalid or reserved extra header.
    """

    __slots__ = (
        "_ptr",
        "_finalizer",
        "_url",
        "url",
        "origin",
        "subprotocols",
        "permessage_deflate",
        "deflate_offers",
        "extensions",
        "headers",
        "limits",
        "subprotocol_mode",
        "__weakref__",
    )

    def __init__(
        self,
        url: str,
        *,
        origin: str | None = None,
        subprotocols: Iterable[str] = (),
        permessage_deflate: Union[None, bool, DeflateOffer, Iterable[DeflateOffer]] = None,
        extensions: Iterable[str] = (),
        headers: Union[Mapping[Any, Any], Iterable[Any]] = (),
        limits: ClientLimits | None = None,
        subprotocol_mode: str = "browser",
    ) -> None:
        set_ = object.__setattr__
        set_(self, "_ptr", None)
        if not isinstance(url, str):
            raise TypeError(f"url must be str, not {type(url).__name__}")
        set_(self, "url", url)
        if origin is not None and not isinstance(origin, str):
            raise TypeError(f"origin must be str or None, not {type(origin).__name__}")
        set_(self, "origin", origin)
        set_(self, "subprotocols", _text_items(subprotocols, "subprotocols"))
        offers = deflate_offers_arg(permessage_deflate)
        set_(self, "deflate_offers", offers)
        set_(self, "permessage_deflate", offers[0] if offers else None)
        set_(self, "extensions", _text_items(extensions, "extensions"))
        set_(self, "headers", tuple(header_pairs(headers)))
        if limits is None:
            limits = ClientLimits()
        elif not isinstance(limits, ClientLimits):
            raise TypeError(f"limits must be a ClientLimits or None, not {type(limits).__name__}")
        set_(self, "limits", limits)
        if subprotocol_mode not in _SUBPROTOCOL_MODES:
            raise ValueError(
                f'subprotocol_mode must be "browser" or "rfc6455", not {subprotocol_mode!r}'
            )
        set_(self, "subprotocol_mode", subprotocol_mode)
        pointer = self._build()
        set_(self, "_ptr", pointer)
        set_(self, "_finalizer", weakref.finalize(self, lib.wsh_client_config_free, pointer))
        parts = ClientUrlC()
        code = lib.wsh_client_config_url(pointer, byref(parts))
        if code:
            raise error_for(code, "wsh_client_config_url")
        set_(
            self,
            "_url",
            (
                read_memory(parts.host, parts.host_len).decode("ascii"),
                _HOST_KINDS.get(parts.host_kind, "name"),
                int(parts.port),
                bool(parts.secure),
                read_memory(parts.host_header, parts.host_header_len).decode("ascii"),
                read_memory(parts.resource, parts.resource_len).decode("ascii"),
            ),
        )

    def _build(self) -> c_void_p:
        builder = c_void_p()
        url = self.url.encode("utf-8")
        code = lib.wsh_client_config_builder_new(url, len(url), byref(builder))
        if code:
            raise _config_error(code, f"url {self.url!r}")
        try:
            if self.origin is not None:
                data = self.origin.encode("utf-8")
                code = lib.wsh_client_config_builder_origin(builder, data, len(data))
                if code:
                    raise _config_error(code, f"origin {self.origin!r}")
            for name in self.subprotocols:
                data = name.encode("utf-8")
                code = lib.wsh_client_config_builder_add_subprotocol(builder, data, len(data))
                if code:
                    raise _config_error(code, f"subprotocol {name!r}")
            for deflate_offer in self.deflate_offers:
                offer = deflate_offer._to_c()
                code = lib.wsh_client_config_builder_add_permessage_deflate(builder, byref(offer))
                if code:
                    raise _config_error(code, f"permessage_deflate {deflate_offer!r}")
            for element in self.extensions:
                data = element.encode("utf-8")
                code = lib.wsh_client_config_builder_add_extension(builder, data, len(data))
                if code:
                    raise _config_error(code, f"extension {element!r}")
            for name_bytes, value_bytes in self.headers:
                code = lib.wsh_client_config_builder_add_header(
                    builder, name_bytes, len(name_bytes), value_bytes, len(value_bytes)
                )
                if code:
                    raise _config_error(code, f"header {name_bytes!r}")
            limits = ClientLimitsC()
            for name in ("max_head_bytes", "max_headers", "max_body_bytes"):
                value = getattr(self.limits, name)
                if isinstance(value, bool) or not isinstance(value, int):
                    raise TypeError(f"limits.{name} must be an int, got {type(value).__name__}")
                if not 0 <= value < 1 << 62:
                    raise ConfigError(ResultCode.INVALID_CONFIG, f"limits.{name} is out of range")
                setattr(limits, name, value)
            code = lib.wsh_client_config_builder_limits(builder, byref(limits))
            if code:
                raise _config_error(code, f"limits {self.limits!r}")
            code = lib.wsh_client_config_builder_subprotocol_mode(
                builder, _SUBPROTOCOL_MODES[self.subprotocol_mode]
            )
            if code:
                raise _config_error(code, "subprotocol_mode")
        except BaseException:
            lib.wsh_client_config_builder_free(builder)
            raise
        config = c_void_p()
        code = lib.wsh_client_config_builder_build(builder, byref(config))
        if code:
            raise error_for(code, "wsh_client_config_builder_build")
        return config

    @property
    def host(self) -> str:
        """The host to connect to (lowercase; an IPv6 literal without brackets)."""
        return self._url[0]  # type: ignore[no-any-return]

    @property
    def host_kind(self) -> str:
        """``"name"``, ``"ipv4"`` or ``"ipv6"`` (TLS clients send SNI for names only)."""
        return self._url[1]  # type: ignore[no-any-return]

    @property
    def port(self) -> int:
        """The port to connect to (80 or 443 when the URL gives none)."""
        return self._url[2]  # type: ignore[no-any-return]

    @property
    def secure(self) -> bool:
        """True for ``wss://``: run TLS before the handshake."""
        return self._url[3]  # type: ignore[no-any-return]

    @property
    def host_header(self) -> str:
        """The Host field the request carries."""
        return self._url[4]  # type: ignore[no-any-return]

    @property
    def resource(self) -> str:
        """The request target: the path (``/`` when empty) and ``?query``."""
        return self._url[5]  # type: ignore[no-any-return]

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError("ClientConfig is immutable")

    def __delattr__(self, name: str) -> None:
        raise AttributeError("ClientConfig is immutable")

    def __repr__(self) -> str:
        return f"ClientConfig({self.url!r}, subprotocols={list(self.subprotocols)!r})"


class ClientFeedResult(NamedTuple):
    """What :meth:`ClientHandshake.feed` (or ``finish``) saw.

    Attributes:
        decision: the :class:`ClientDecision`.
        consumed: how many of the given bytes the handshake took.
        leftover: the given bytes it did not take: after ``ACCEPTED`` the
            first WebSocket frames, after ``REFUSED`` what follows the
            response; empty otherwise.
        code: the :class:`ResultCode` (``NEED_MORE``, ``OK`` or the
            ``RESPONSE_*`` error).
        error: for ``FAILED``, the :class:`ResponseError`; None otherwise.
    """

    decision: ClientDecision
    consumed: int
    leftover: bytes
    code: Union[ResultCode, int]
    error: Optional[ResponseError]

    def raise_for_error(self) -> None:
        """Raises :attr:`error` when the response broke the protocol."""
        if self.error is not None:
            raise self.error


def _free_client(handle: c_void_p) -> None:
    lib.wsh_client_free(handle)


def _nonce_arg(nonce: object) -> bytes | None:
    if nonce is None:
        return None
    data = as_bytes(nonce, "nonce")
    if len(data) != NONCE_LEN:
        raise ValueError(f"nonce must be {NONCE_LEN} bytes, not {len(data)}")
    return data


class ClientHandshake(NativeHandle):
    """The client side of one handshake: send the request, feed the response.

    Typical use::

        config = ClientConfig("ws://127.0.0.1:8765/chat", subprotocols=["chat"])
        with ClientHandshake(config) as hs:
            sock.sendall(hs.data_to_send())
            while (r := hs.feed(sock.recv(4096))).decision is ClientDecision.NEED_MORE:
                pass
            r.raise_for_error()                      # ResponseError when FAILED
            if r.decision is ClientDecision.ACCEPTED:
                ...  # hs.subprotocol, hs.deflate; r.leftover: first frames
            else:
                ...  # REFUSED: hs.status, hs.headers, hs.body

    A response that breaks the protocol is an outcome, like a server's
    rejected request: ``feed`` returns ``FAILED`` with ``result.error`` (a
    :class:`ResponseError`); ``raise_for_error()`` raises it. Misuse (e.g.
    feeding after a decision, a use after ``close()``) raises
    :class:`StateError`, a ``ValueError``.

    Args:
        config: the :class:`ClientConfig`.
        nonce: 16 bytes for the Sec-WebSocket-Key (tests, own randomness);
            None (the default) draws them from the operating system.

    The handle owns native buffers: ``close()`` it (or use ``with``); it is
    also freed when garbage collected. One thread at a time may use it.
    """

    __slots__ = ("_h", "_config", "_finalizer", "_request", "__weakref__")

    def __init__(self, config: ClientConfig, nonce: bytes | None = None) -> None:
        self._h: c_void_p | None = None
        if not isinstance(config, ClientConfig):
            raise TypeError(f"config must be a ClientConfig, not {type(config).__name__}")
        self._config = config
        key = _nonce_arg(nonce)
        handle = c_void_p()
        if key is None:
            code = lib.wsh_client_new(config._ptr, byref(handle))
        else:
            code = lib.wsh_client_new_with_key(config._ptr, key, byref(handle))
        if code:
            raise error_for(code, "wsh_client_new")
        self._h = handle
        self._finalizer = weakref.finalize(self, _free_client, handle)
        self._request = self._pending()

    # --- life cycle -------------------------------------------------------------

    def close(self) -> None:
        """Frees the native handle. Idempotent; later calls raise StateError."""
        if self._h is not None:
            self._h = None
            self._finalizer()

    @property
    def config(self) -> ClientConfig:
        """The config this handshake uses."""
        return self._config

    def reset(self, nonce: bytes | None = None) -> None:
        """Starts over for a new connection with a new key (same buffers)."""
        key = _nonce_arg(nonce)
        code = lib.wsh_client_reset(self._handle(), key)
        if code:
            raise error_for(code, "reset")
        self._request = self._pending()

    def _handle(self) -> c_void_p:
        handle = self._h
        if handle is None:
            raise StateError(ResultCode.WRONG_STATE, "the handshake is closed")
        return handle

    def __repr__(self) -> str:
        if self._h is None:
            return "<ClientHandshake closed>"
        return f"<ClientHandshake {self.decision.name}>"

    # --- request ------------------------------------------------------------------

    def _view(self, function: Any, context: str) -> bytes:
        data = c_void_p()
        length = c_size_t()
        code = function(self._handle(), byref(data), byref(length))
        if code:
            raise client_error_for(code, context)
        return read_memory(data.value, length.value)

    def _pending(self) -> bytes:
        return self._view(lib.wsh_client_request, "request")

    @property
    def request(self) -> bytes:
        """The whole opening request (also after it was sent)."""
        self._handle()
        return self._request

    @property
    def key(self) -> str:
        """The Sec-WebSocket-Key the request carries."""
        return self._view(lib.wsh_client_key, "key").decode("ascii")

    def data_to_send(self) -> bytes:
        """The request bytes not yet sent, marked as sent (empty once all were)."""
        pending = self._pending()
        if pending:
            code = lib.wsh_client_request_advance(self._handle(), len(pending))
            if code:
                raise error_for(code, "data_to_send")
        return pending

    # --- response -----------------------------------------------------------------

    def _result(self, code: int, decision: int, consumed: int, data: bytes) -> ClientFeedResult:
        if code == ResultCode.PANIC or code == ResultCode.POISONED:
            raise InternalError(code)
        if code in (ResultCode.OK, ResultCode.NEED_MORE) or is_response_error(code):
            verdict = _DECISIONS[decision]
            error = None
            if verdict is ClientDecision.FAILED:
                error = client_error_for(code)
                assert isinstance(error, ResponseError)
            leftover = data[consumed:] if verdict in _HAS_LEFTOVER else b""
            return ClientFeedResult(verdict, consumed, leftover, _code(code), error)
        raise error_for(code, "feed")

    def feed(self, data: bytes) -> ClientFeedResult:
        """Feeds bytes received from the server (any chunking).

        Args:
            data: the bytes received (``bytes``, ``bytearray``, ``memoryview``).

        Returns:
            A :class:`ClientFeedResult`. Interim 1xx responses are skipped; a
            refusal's body is read as its framing says (a body that runs to
            the close needs :meth:`finish`).

        Raises:
            StateError: a decision was already made (``reset()`` first), or closed.
        """
        payload = as_bytes(data)
        consumed = c_size_t()
        decision = c_uint32()
        code = lib.wsh_client_feed(
            self._handle(), payload, len(payload), byref(consumed), byref(decision)
        )
        return self._result(code, decision.value, consumed.value, payload)

    def finish(self) -> ClientFeedResult:
        """Tells the handshake the connection closed before a decision.

        A refusal whose body runs to the close is then complete (``REFUSED``);
        anything else unfinished is ``FAILED`` (``RESPONSE_INCOMPLETE_*``).
        """
        decision = c_uint32()
        code = lib.wsh_client_finish(self._handle(), byref(decision))
        return self._result(code, decision.value, 0, b"")

    @property
    def decision(self) -> ClientDecision:
        """The decision so far."""
        decision = c_uint32()
        code = lib.wsh_client_outcome(self._handle(), byref(decision))
        if code == ResultCode.PANIC or code == ResultCode.POISONED or code == ResultCode.NULL_POINTER:
            raise error_for(code, "decision")
        return _DECISIONS[decision.value]

    @property
    def error(self) -> ResponseError | None:
        """The :class:`ResponseError` once the handshake failed, else None."""
        decision = c_uint32()
        code = lib.wsh_client_outcome(self._handle(), byref(decision))
        if is_response_error(code):
            error = client_error_for(code)
            assert isinstance(error, ResponseError)
            return error
        return None

    @property
    def accepted(self) -> bool:
        """True once the server accepted (a valid 101)."""
        return bool(lib.wsh_client_is_accepted(self._handle()))

    @property
    def status(self) -> int:
        """The final response's status code (StateError until its head is complete)."""
        status = c_uint16()
        code = lib.wsh_client_status(self._handle(), byref(status))
        if code:
            raise error_for(code, "status")
        return int(status.value)

    @property
    def reason(self) -> str:
        """The final response's reason phrase as sent (may be empty)."""
        return self._view(lib.wsh_client_reason, "reason").decode("utf-8", "replace")

    @property
    def head(self) -> bytes:
        """The raw final response head, status line to the final empty line."""
        return self._view(lib.wsh_client_head, "head")

    @property
    def headers(self) -> Headers:
        """The final response's header fields (read-only, case-insensitive names)."""
        handle = self._handle()
        count = c_size_t()
        code = lib.wsh_client_header_count(handle, byref(count))
        if code:
            raise error_for(code, "headers")
        name, name_len, value, value_len = c_void_p(), c_size_t(), c_void_p(), c_size_t()
        items = []
        for index in range(count.value):
            code = lib.wsh_client_header_at(
                handle, index, byref(name), byref(name_len), byref(value), byref(value_len)
            )
            if code:
                raise error_for(code, "headers")
            items.append(
                (
                    read_memory(name.value, name_len.value).decode("latin-1"),
                    read_memory(value.value, value_len.value).decode("latin-1"),
                )
            )
        return Headers(items)

    @property
    def body(self) -> bytes:
        """A refusal's body (decoded when chunked); empty for an accept."""
        return self._view(lib.wsh_client_body, "body")

    @property
    def subprotocol(self) -> str | None:
        """The subprotocol the server selected, or None (StateError unless accepted)."""
        data = c_void_p()
        length = c_size_t()
        code = lib.wsh_client_subprotocol(self._handle(), byref(data), byref(length))
        if code == ResultCode.NOT_FOUND:
            return None
        if code:
            raise error_for(code, "subprotocol")
        return read_memory(data.value, length.value).decode("utf-8")

    @property
    def deflate(self) -> DeflateParams | None:
        """The agreed permessage-deflate parameters, or None (StateError unless accepted)."""
        params = DeflateParamsC()
        code = lib.wsh_client_deflate(self._handle(), byref(params))
        if code == ResultCode.NOT_FOUND:
            return None
        if code:
            raise error_for(code, "deflate")
        return DeflateParams(
            bool(params.server_no_context_takeover),
            bool(params.client_no_context_takeover),
            int(params.server_max_window_bits),
            int(params.client_max_window_bits),
        )

    @property
    def deflate_offer_index(self) -> int | None:
        """Which of ``config.deflate_offers`` the server accepted (an index), or
        None when permessage-deflate is not in use (StateError unless accepted).

        The response does not name the offer: it is the first one, in the
        client's order, that the response is a valid answer to.
        """
        index = c_size_t()
        code = lib.wsh_client_deflate_offer_index(self._handle(), byref(index))
        if code == ResultCode.NOT_FOUND:
            return None
        if code:
            raise error_for(code, "deflate_offer_index")
        return int(index.value)

    @property
    def extensions(self) -> list[str]:
        """The extension elements the server accepted, as sent, in order
        (e.g. ``"permessage-deflate; server_max_window_bits=10"``)."""
        handle = self._handle()
        count = c_size_t()
        code = lib.wsh_client_extension_count(handle, byref(count))
        if code:
            raise error_for(code, "extensions")
        data = c_void_p()
        length = c_size_t()
        elements = []
        for index in range(count.value):
            code = lib.wsh_client_extension_at(handle, index, byref(data), byref(length))
            if code:
                raise error_for(code, "extensions")
            elements.append(read_memory(data.value, length.value).decode("latin-1"))
        return elements


_HAS_LEFTOVER = frozenset((ClientDecision.ACCEPTED, ClientDecision.REFUSED))
