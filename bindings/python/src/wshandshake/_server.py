"""ServerHandshake: incremental input, inspection, accept or reject."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from ctypes import byref, c_char, c_size_t, c_uint8, c_void_p
from typing import Any, Union

from ._codes import DECISIONS, Decision, ResultCode, is_request_error
from ._config import ServerConfig
from ._errors import StateError, UsageError, error_for, request_error
from ._ffi import (
    AcceptOptions,
    DeflateParamsC,
    ExtensionParamC,
    lib,
    raw,
    pointer_arg,
    read_memory,
    scratch,
    thread_local,
)
from ._handle import NativeHandle
from ._headers import Headers
from ._types import CODES, DeflateParams, Extension, FeedResult
from ._util import as_bytes, bytes_array, header_array, header_pairs, text_bytes, text_list

__all__ = ["ServerHandshake", "POLICY"]


class _Policy:
    """The default of ``accept(subprotocol=...)``: the config's policy picks."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "POLICY"


#: ``accept(subprotocol=POLICY)``: select what the config's policy picked.
POLICY: Any = _Policy()

HeadersArg = Union[Mapping[Any, Any], Iterable[Any]]

_raw_new = raw.wsh_server_new
_raw_free = raw.wsh_server_free
_raw_reset = raw.wsh_server_reset
_raw_feed = raw.wsh_server_feed
_raw_accept = raw.wsh_server_accept
_raw_drain = raw.wsh_server_drain

_NEED_MORE = Decision.NEED_MORE
_CODE_OK = ResultCode.OK
_CODE_NEED_MORE = ResultCode.NEED_MORE
_WRONG_STATE = ResultCode.WRONG_STATE
_NOT_FOUND = ResultCode.NOT_FOUND
_BUFFER_TOO_SMALL = ResultCode.BUFFER_TOO_SMALL
_new_tuple = tuple.__new__


def _closed() -> StateError:
    return StateError(_WRONG_STATE, "the handshake is closed")


def accept_options(
    subprotocol: Any, headers: HeadersArg, extensions: Iterable[Any], decline_deflate: bool
) -> AcceptOptions:
    """A ``wsh_accept_options`` for :meth:`ServerHandshake.accept` and
    :func:`connect_respond` (it keeps the bytes it points to alive)."""
    if not isinstance(decline_deflate, bool):
        raise TypeError("decline_deflate must be a bool")
    options = AcceptOptions()
    if subprotocol is POLICY:
        options.subprotocol_mode = 0
    elif subprotocol is None:
        options.subprotocol_mode = 1
    else:
        # UTF-8: the library checks a named subprotocol is valid UTF-8.
        name = text_bytes(subprotocol, "subprotocol", "utf-8")
        options.subprotocol_mode = 2
        options.subprotocol = name
        options.subprotocol_len = len(name)
    options.decline_deflate = decline_deflate
    pairs = header_pairs(headers)
    options.headers = header_array(pairs)
    options.header_count = len(pairs)
    elements = text_list(extensions, "extensions")
    options.extensions = bytes_array(elements)
    options.extension_count = len(elements)
    return options


class ServerHandshake(NativeHandle):
    """The server side of one handshake: feed request bytes, inspect, answer.

    Typical use::

        hs = ServerHandshake(config)
        result = hs.feed(chunk)              # repeat while NEED_MORE
        if result.decision is Decision.UPGRADE_WEBSOCKET:
            if hs.path != "/chat":
                hs.reject(404, body="no such room")
            else:
                hs.accept()                  # the config's subprotocol policy
        send(hs.data_to_send())              # the 101, or any rejection
        # after a 101: result.leftover holds the first WebSocket bytes

    A rejected request is an ordinary outcome: ``feed`` returns
    ``Decision.REJECTED`` with ``result.error`` (an :class:`InvalidRequest`)
    and the ready rejection pending in :meth:`data_to_send`.

    The handle owns native buffers: ``close()`` it (or use ``with``); it is
    also freed when garbage collected. One thread at a time may use it.
    ``reset()`` reuses it for the next connection without reallocating.

    Raises:
        TypeError: ``config`` is not a :class:`ServerConfig`.
    """

    __slots__ = ("_h", "_config", "_decision", "_code", "_cache", "_answered")

    def __init__(self, config: ServerConfig) -> None:
        self._h: Any = None  # a pointer argument (see _ffi.pointer_arg) or None
        if not isinstance(config, ServerConfig):
            raise TypeError(f"config must be a ServerConfig, not {type(config).__name__}")
        self._config = config
        self._decision = _NEED_MORE
        self._code = 1
        self._cache: dict[str, Any] | None = None
        self._answered = False
        try:
            # A handle closed earlier, already reset (see close()).
            self._h = config._pool.pop()
        except IndexError:
            handle = c_void_p()
            code = _raw_new(config._arg, byref(handle))
            if code:
                raise error_for(code, "wsh_server_new") from None
            # Kept as a ready-made pointer argument (see _ffi.pointer_arg).
            self._h = pointer_arg(handle.value or 0)

    # --- life cycle -------------------------------------------------------------

    def close(self) -> None:
        """Releases the native handle. Idempotent; later calls raise StateError.

        The handle is reset and kept by the config for the next
        ServerHandshake (up to 32 per config, and about 4 MiB of buffers; the
        rest are freed), which saves allocating and zeroing its buffers for
        every connection.
        """
        handle = self._h
        if handle is not None:
            self._h = None
            self._cache = None
            config = self._config
            pool = config._pool
            if len(pool) < config._pool_limit and not _raw_reset(handle):
                pool.append(handle)
            else:
                _raw_free(handle)

    def __del__(self, _free: Any = _raw_free, _reset: Any = _raw_reset) -> None:
        # __del__ rather than weakref.finalize: a finalizer object costs about
        # 2 us per handle (a third of a whole handshake); __del__ costs nothing
        # until it runs, and handles hold no reference cycles.
        handle = getattr(self, "_h", None)
        if handle is not None:
            self._h = None
            try:
                config = self._config
                pool = config._pool
                if len(pool) < config._pool_limit and not _reset(handle):
                    pool.append(handle)
                    return
            except Exception:  # pragma: no cover - interpreter shutdown
                pass
            _free(handle)

    @property
    def config(self) -> ServerConfig:
        """The config this handshake uses."""
        return self._config

    def reset(self) -> None:
        """Forgets the current request so the handle serves a new connection."""
        handle = self._h
        if handle is None:
            raise _closed()
        code = _raw_reset(handle)
        if code:
            raise error_for(code, "reset")
        self._decision = _NEED_MORE
        self._code = 1
        self._cache = None
        self._answered = False

    def __repr__(self) -> str:
        if self._h is None:
            return "<ServerHandshake closed>"
        return f"<ServerHandshake {self._decision.name}>"

    # --- input ------------------------------------------------------------------

    def feed(self, data: bytes) -> FeedResult:
        """Feeds received bytes (any chunking) and returns what they decided.

        Args:
            data: the bytes received (``bytes``, ``bytearray``, ``memoryview``).

        Returns:
            A :class:`FeedResult`: ``decision`` stays ``NEED_MORE`` until the
            head is complete; then ``leftover`` holds the bytes after the head.
            An invalid request gives ``REJECTED`` with ``error`` set and the
            rejection pending (send :meth:`data_to_send`, then close).

        Raises:
            StateError: a decision was already made (``reset()`` first), or
                the handle is closed.
            TypeError: ``data`` is not bytes-like.
        """
        handle = self._h
        if handle is None:
            raise _closed()
        if type(data) is not bytes:
            data = as_bytes(data)
        if self._decision is not _NEED_MORE:
            raise StateError(
                _WRONG_STATE,
                f"feed: the request is already decided ({self._decision.name}); reset() first",
            )
        try:
            s = thread_local.scratch
        except AttributeError:
            s = scratch()
        n = len(data)
        code = _raw_feed(handle, data, n, s.consumed, s.decision)
        self._cache = None
        if code > 1 and not is_request_error(code):
            raise error_for(code, "feed")
        consumed = s.consumed.value
        decision = DECISIONS[s.decision.value]
        self._decision = decision
        self._code = code
        if code == 1:
            return _new_tuple(FeedResult, (decision, consumed, b"", _CODE_NEED_MORE, None))
        if code == 0:
            return _new_tuple(FeedResult, (decision, consumed, data[consumed:], _CODE_OK, None))
        error = request_error(code, self.response)
        return _new_tuple(FeedResult, (decision, consumed, b"", CODES.get(code, code), error))

    @property
    def decision(self) -> Decision:
        """The decision so far (as the last :meth:`feed` reported)."""
        return self._decision

    @property
    def code(self) -> ResultCode | int:
        """The result code of the last :meth:`feed` (the error when rejected)."""
        return CODES.get(self._code, self._code)

    # --- answer -----------------------------------------------------------------

    def accept(
        self,
        subprotocol: str | bytes | None = POLICY,
        headers: HeadersArg = (),
        extensions: Iterable[str] = (),
        decline_deflate: bool = False,
    ) -> None:
        """Accepts the upgrade request: the 101 response becomes pending.

        Args:
            subprotocol: ``POLICY`` (default) selects what the config's policy
                picked (see :attr:`subprotocol`); None selects none; a name
                (str, or bytes) selects that one, which the client must have
                offered.
            headers: extra response fields, a mapping or ``(name, value)``
                pairs (str as ISO-8859-1, or bytes), e.g. Set-Cookie. The
                handshake's own fields may not be given.
            extensions: extra ``Sec-WebSocket-Extensions`` elements for
                extensions the engine does not know, e.g. ``"x-foo; level=2"``:
                each must name an extension the client offered (RFC 6455
                section 9.1) and not ``permessage-deflate``, which the engine
                negotiates itself.
            decline_deflate: do not use permessage-deflate even if negotiated.

        Raises:
            StateError: the request is not a valid upgrade, or was answered.
            SubprotocolNotOffered: ``subprotocol`` was not offered.
            InvalidHeader: a header name or value is invalid or reserved.
            ResponseTooLarge: the response exceeds ``response_capacity``.
            UsageError: an invalid extension element (``INVALID_EXTENSION``),
                one the client did not offer (``EXTENSION_NOT_OFFERED``), or
                ``permessage-deflate`` (``RESERVED_EXTENSION``).
        """
        handle = self._h
        if handle is None:
            raise _closed()
        if subprotocol is POLICY and not headers and not extensions and not decline_deflate:
            code = _raw_accept(handle, None)
        else:
            options = accept_options(subprotocol, headers, extensions, decline_deflate)
            code = _raw_accept(handle, byref(options))
        if code:
            raise self._answer_error(code, "accept")
        self._answered = True

    def reject(self, status: int, headers: HeadersArg = (), body: bytes | str = b"") -> None:
        """Answers with the application's own response instead of a 101.

        For an upgrade request (``UPGRADE_WEBSOCKET`` or ``UPGRADE_OTHER``) it
        refuses it (401 with WWW-Authenticate, 403, 404, a 426 with Upgrade,
        ...); for a request that is not an upgrade (``decision.is_plain_http``:
        ``NOT_UPGRADE``, ``NOT_UPGRADE_HTTP10``, ``NOT_UPGRADE_UNSUPPORTED``)
        it may serve a plain response (200, 204, 3xx, 4xx, 5xx). The response
        carries ``headers``, ``Content-Type`` when there is a body
        (``text/plain``, or ``text/plain; charset=utf-8`` for a str body,
        unless given), ``Connection: close`` (``upgrade, close`` when
        ``headers`` include Upgrade, as RFC 9110 section 7.8 asks),
        ``Content-Length`` and the body. HTTP allows no content in some
        answers: a 204 or 304 takes no body (and gets no ``Content-Length``);
        the answer to a HEAD request has the fields a GET would get and the
        body is dropped.

        Args:
            status: 300-599 for an upgrade request; 200-599 for a request
                that is not an upgrade. Never 1xx (nor 101: use
                :meth:`accept`), never 2xx to an upgrade request (it would
                read as an upgrade that went through without switching).
            headers: extra fields (not Content-Length, Transfer-Encoding or
                Connection): a mapping or ``(name, value)`` pairs.
            body: bytes, or str (encoded as UTF-8).

        Raises:
            StateError: no request is decided, the engine already rejected it,
                or it was already answered.
            UsageError: a status outside those ranges (``INVALID_STATUS``), or
                a body with a 204 or 304 (``BODY_NOT_ALLOWED``);
            InvalidHeader: an invalid or reserved header;
            ResponseTooLarge: the response exceeds ``response_capacity``.
        """
        handle = self._h
        if handle is None:
            raise _closed()
        if isinstance(status, bool) or not isinstance(status, int):
            raise TypeError(f"status must be an int, not {type(status).__name__}")
        if not 0 <= status <= 0xFFFF:
            raise UsageError(ResultCode.INVALID_STATUS, f"invalid status {status}")
        pairs = header_pairs(headers)
        if isinstance(body, str):
            body_bytes = body.encode("utf-8")
            if body_bytes and not any(name.lower() == b"content-type" for name, _ in pairs):
                pairs.append((b"Content-Type", b"text/plain; charset=utf-8"))
        else:
            body_bytes = as_bytes(body, "body")
        array = header_array(pairs)
        code = lib.wsh_server_reject(handle, status, array, len(pairs), body_bytes, len(body_bytes))
        if code:
            raise self._answer_error(code, f"reject({status})")
        self._answered = True

    def _answer_error(self, code: int, what: str) -> Exception:
        if code == _WRONG_STATE:
            if self._decision is _NEED_MORE:
                reason = "the request head is not complete"
            elif self._answered:
                reason = "the request was already " + (
                    "accepted" if self.accepted else "answered with reject()"
                )
            elif self._decision is Decision.REJECTED:
                reason = "the engine rejected the request; its response is pending"
            else:
                reason = f"not allowed for {self._decision.name}"
            return StateError(code, f"{what}: {reason}")
        return error_for(code, what)

    # --- output -----------------------------------------------------------------

    def data_to_send(self) -> bytes:
        """Returns the pending response bytes and marks them as sent.

        The 101 after :meth:`accept`, the application's response after
        :meth:`reject`, or the engine's rejection of an invalid request;
        ``b""`` when nothing is pending.
        """
        handle = self._h
        if handle is None:
            raise _closed()
        try:
            s = thread_local.scratch
        except AttributeError:
            s = scratch()
        code = _raw_drain(handle, s.out_arg, s.cap_arg, s.written)
        if code:
            raise error_for(code, "data_to_send")
        written = s.written.value
        if written < s.out_cap:
            pending: bytes = s.out[:written]
            return pending
        chunks = [s.out[:written]]
        while written == s.out_cap:
            code = _raw_drain(handle, s.out_arg, s.cap_arg, s.written)
            if code:
                raise error_for(code, "data_to_send")
            written = s.written.value
            chunks.append(s.out[:written])
        return b"".join(chunks)

    @property
    def response(self) -> bytes:
        """The pending response bytes, without marking them sent (see data_to_send)."""
        handle = self._check_open()
        data, length = c_void_p(), c_size_t()
        code = lib.wsh_server_response(handle, byref(data), byref(length))
        if code:
            raise error_for(code, "response")
        return read_memory(data.value, length.value)

    @property
    def accepted(self) -> bool:
        """True after a successful :meth:`accept`."""
        return bool(lib.wsh_server_is_accepted(self._check_open()))

    # --- request inspection -------------------------------------------------------

    def _check_open(self) -> Any:
        handle = self._h
        if handle is None:
            raise _closed()
        return handle

    def _cached(self) -> dict[str, Any]:
        cache = self._cache
        if cache is None:
            cache = self._cache = {}
        return cache

    def _head_view(self) -> tuple[int, bytes]:
        """(address, bytes) of the head: views into it are sliced from the copy."""
        cache = self._cached()
        head = cache.get("head")
        if head is None:
            data, length = c_void_p(), c_size_t()
            code = lib.wsh_server_head(self._check_open(), byref(data), byref(length))
            if code:
                raise error_for(code, "head")
            head = cache["head"] = (data.value or 0, read_memory(data.value, length.value))
        return head

    def _bytes_at(self, address: int | None, length: int) -> bytes:
        """A view into the handle, sliced from one copy of the head when it
        lies there: listing N headers then costs N + 2 foreign calls."""
        if not length:
            return b""
        head_address, head = self._head_view()
        offset = (address or 0) - head_address
        if 0 <= offset and offset + length <= len(head):
            return head[offset : offset + length]
        return read_memory(address, length)

    def _request_error(self, code: int, what: str) -> Exception:
        if code == _WRONG_STATE:
            if self._decision is _NEED_MORE:
                reason = "the request head is not complete"
            else:
                reason = f"no parsed request for {self._decision.name}"
            return StateError(code, f"{what}: {reason}")
        return error_for(code, what)

    def _view(self, name: str, optional: bool = False) -> str | None:
        cache = self._cached()
        if name in cache:
            return cache[name]  # type: ignore[no-any-return]
        handle = self._check_open()
        data, length = c_void_p(), c_size_t()
        code = getattr(lib, "wsh_server_" + name)(handle, byref(data), byref(length))
        if code == _NOT_FOUND and optional:
            value = None
        elif code:
            raise self._request_error(code, name)
        else:
            value = read_memory(data.value, length.value).decode("latin-1")
        cache[name] = value
        return value

    @property
    def head(self) -> bytes:
        """The raw request head received so far (the whole head once decided)."""
        self._check_open()
        return self._head_view()[1]

    @property
    def method(self) -> str:
        """The request method, e.g. ``"GET"``."""
        return self._view("method")  # type: ignore[return-value]

    @property
    def target(self) -> str:
        """The request target as sent, e.g. ``"/chat?room=1"``."""
        return self._view("target")  # type: ignore[return-value]

    @property
    def path(self) -> str:
        """The path of the target without the query, e.g. ``"/chat"``; for an
        absolute-form target also without scheme and authority (``"/chat"`` for
        ``"http://example.com/chat?x"``, ``"/"`` when the URI has no path)."""
        return self._view("path")  # type: ignore[return-value]

    @property
    def query(self) -> str | None:
        """The query (after the first ``?``, before any ``#``), or None when the
        target has no ``?``."""
        return self._view("query", optional=True)

    @property
    def host(self) -> str | None:
        """The host the request is for: the authority of an absolute-form
        target (RFC 9112 section 3.2.2), else the (first) Host field; or None."""
        return self._view("host", optional=True)

    @property
    def origin(self) -> str | None:
        """The value of the (first) Origin field, or None."""
        return self._view("origin", optional=True)

    @property
    def http_version(self) -> str:
        """``"1.1"`` or ``"1.0"``."""
        minor = c_uint8()
        code = lib.wsh_server_minor_version(self._check_open(), byref(minor))
        if code:
            raise self._request_error(code, "http_version")
        return f"1.{minor.value}"

    @property
    def headers(self) -> Headers:
        """Every header field, as a read-only case-insensitive :class:`Headers`."""
        cache = self._cached()
        headers = cache.get("headers")
        if headers is None:
            handle = self._check_open()
            count = c_size_t()
            code = lib.wsh_server_header_count(handle, byref(count))
            if code:
                raise self._request_error(code, "headers")
            name, name_len, value, value_len = c_void_p(), c_size_t(), c_void_p(), c_size_t()
            refs = (byref(name), byref(name_len), byref(value), byref(value_len))
            items = []
            for index in range(count.value):
                code = lib.wsh_server_header_at(handle, index, *refs)
                if code:
                    raise self._request_error(code, "headers")
                items.append(
                    (
                        self._bytes_at(name.value, name_len.value).decode("latin-1"),
                        self._bytes_at(value.value, value_len.value).decode("latin-1"),
                    )
                )
            headers = cache["headers"] = Headers(items)
        return headers

    @property
    def subprotocols(self) -> list[str]:
        """The subprotocols the client offered, in its order of preference."""
        cache = self._cached()
        offered = cache.get("subprotocols")
        if offered is None:
            handle = self._check_open()
            count = c_size_t()
            code = lib.wsh_server_subprotocol_count(handle, byref(count))
            if code:
                raise self._request_error(code, "subprotocols")
            data, length = c_void_p(), c_size_t()
            offered = []
            for index in range(count.value):
                code = lib.wsh_server_subprotocol_at(handle, index, byref(data), byref(length))
                if code:
                    raise self._request_error(code, "subprotocols")
                offered.append(self._bytes_at(data.value, length.value).decode("latin-1"))
            cache["subprotocols"] = offered
        return list(offered)

    @property
    def extensions(self) -> list[Extension]:
        """The extension offers, in order, each with its parameters."""
        cache = self._cached()
        offers = cache.get("extensions")
        if offers is None:
            offers = self._read_extensions()
            cache["extensions"] = offers
        return [Extension(e.name, list(e.params)) for e in offers]

    def _read_extensions(self) -> list[Extension]:
        handle = self._check_open()
        count = c_size_t()
        code = lib.wsh_server_extension_count(handle, byref(count))
        if code:
            raise self._request_error(code, "extensions")
        name, name_len, params, params_len = c_void_p(), c_size_t(), c_void_p(), c_size_t()
        param_count = c_size_t()
        param = ExtensionParamC()
        offers = []
        for index in range(count.value):
            code = lib.wsh_server_extension_at(
                handle, index, byref(name), byref(name_len), byref(params), byref(params_len)
            )
            if code:
                raise self._request_error(code, "extensions")
            extension_name = self._bytes_at(name.value, name_len.value).decode("latin-1")
            code = lib.wsh_server_extension_param_count(handle, index, byref(param_count))
            if code:
                raise self._request_error(code, "extensions")
            values: list[tuple[str, str | None]] = []
            for p in range(param_count.value):
                code = lib.wsh_server_extension_param_at(handle, index, p, byref(param))
                if code:
                    raise self._request_error(code, "extensions")
                param_name = self._bytes_at(param.name, param.name_len).decode("latin-1")
                value: str | None = None
                if param.has_value:
                    if param.quoted:
                        value = self._param_value(handle, index, p).decode("latin-1")
                    else:
                        value = self._bytes_at(param.value, param.value_len).decode("latin-1")
                values.append((param_name, value))
            offers.append(Extension(extension_name, values))
        return offers

    def _param_value(self, handle: Any, extension: int, index: int) -> bytes:
        written = c_size_t()
        code = lib.wsh_server_extension_param_value(handle, extension, index, None, 0, byref(written))
        if code == 0:
            return b""
        if code != _BUFFER_TOO_SMALL:
            raise self._request_error(code, "extensions")
        buffer = (c_char * written.value)()
        code = lib.wsh_server_extension_param_value(
            handle, extension, index, buffer, written.value, byref(written)
        )
        if code:
            raise self._request_error(code, "extensions")
        return buffer.raw[: written.value]

    @property
    def subprotocol(self) -> str | None:
        """The subprotocol the policy picks (before accept) or the 101 selected
        (after); None when there is none."""
        data, length = c_void_p(), c_size_t()
        code = lib.wsh_server_subprotocol(self._check_open(), byref(data), byref(length))
        if code == _NOT_FOUND:
            return None
        if code:
            raise self._request_error(code, "subprotocol")
        return read_memory(data.value, length.value).decode("latin-1")

    @property
    def deflate(self) -> DeflateParams | None:
        """The permessage-deflate parameters negotiated (before accept: what
        the 101 will carry; after: what it carried), or None."""
        params = DeflateParamsC()
        code = lib.wsh_server_deflate(self._check_open(), byref(params))
        if code == _NOT_FOUND:
            return None
        if code:
            raise self._request_error(code, "deflate")
        return DeflateParams(
            params.server_no_context_takeover,
            params.client_no_context_takeover,
            params.server_max_window_bits,
            params.client_max_window_bits,
        )

    @property
    def upgrade_protocol(self) -> str | None:
        """For ``UPGRADE_OTHER``: the protocol to switch to (e.g. ``"h2c"``), else None."""
        handle = self._check_open()
        if self._decision is not Decision.UPGRADE_OTHER:
            return None
        data, length = c_void_p(), c_size_t()
        code = lib.wsh_server_upgrade_protocol(handle, byref(data), byref(length))
        if code:
            raise self._request_error(code, "upgrade_protocol")
        return read_memory(data.value, length.value).decode("latin-1")

    @property
    def http2_settings(self) -> bytes | None:
        """For an h2c upgrade: the decoded HTTP2-Settings (a SETTINGS frame
        payload, 6 bytes per setting); None when the request has none."""
        handle = self._check_open()
        written = c_size_t()
        code = lib.wsh_server_http2_settings(handle, None, 0, byref(written))
        if code == _NOT_FOUND:
            return None
        if code == 0:
            return b""
        if code != _BUFFER_TOO_SMALL:
            raise self._request_error(code, "http2_settings")
        buffer = (c_char * written.value)()
        code = lib.wsh_server_http2_settings(handle, buffer, written.value, byref(written))
        if code:
            raise self._request_error(code, "http2_settings")
        return buffer.raw[: written.value]

    def header(self, name: str, default: str | None = None) -> str | None:
        """The first value of the field ``name`` (case-insensitive), or ``default``."""
        return self.headers.get(name, default)

