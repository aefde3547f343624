"""WebSocket over HTTP/2 and HTTP/3: extended CONNECT (RFC 8441, RFC 9220).

The HTTP/2 or HTTP/3 stack is yours: these functions judge and write *field
lists*, ``[(name, value), ...]`` with the pseudo-header fields (``:method``,
``:status``, ...) first. Inputs may be ``bytes`` or ``str`` (ISO-8859-1);
outputs are ``bytes`` pairs, ready for the stack.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from ctypes import (
    POINTER,
    Structure,
    addressof,
    byref,
    c_char,
    c_size_t,
    c_uint32,
    c_void_p,
    cast,
)
from typing import Any, List, NamedTuple, Optional, Tuple, Union

from ._client import DeflateOffer, client_error_for, deflate_offers_arg
from ._codes import NamedIntEnum, ResultCode, is_connect_request_error
from ._config import ServerConfig
from ._errors import InvalidRequest, _code, error_for, request_error
from ._ffi import (
    Bytes,
    BytesOut,
    ConnectClientInfoC,
    ConnectClientOptionsC,
    ConnectInfoC,
    DeflateOfferC,
    DeflateParamsC,
    FieldC,
    lib,
    read_memory,
)
from ._server import POLICY, accept_options
from ._types import DeflateParams
from ._util import bytes_array, header_array, header_pairs, text_bytes, text_list

__all__ = [
    "ConnectOutcome",
    "ConnectClientOutcome",
    "ConnectRequest",
    "ConnectResponse",
    "ConnectClientResponse",
    "connect_analyze",
    "connect_respond",
    "connect_reject",
    "connect_client_request",
    "connect_client_check_response",
    "SETTINGS_ENABLE_CONNECT_PROTOCOL",
]

#: The HTTP/2 (and HTTP/3) SETTINGS identifier a server sends with value 1
#: before clients may use extended CONNECT.
SETTINGS_ENABLE_CONNECT_PROTOCOL = 8

Field = Tuple[bytes, bytes]
FieldsArg = Iterable[Tuple[Union[bytes, str], Union[bytes, str]]]
HeadersArg = Union[Mapping[Any, Any], Iterable[Any]]


class ConnectOutcome(NamedIntEnum):
    """What an extended CONNECT request is."""

    #: A valid WebSocket request: accept (``connect_respond``) or refuse it.
    WEBSOCKET = 0
    #: An invalid WebSocket request: send the ready rejection, then close (or
    #: reset, when ``malformed``) the stream.
    REJECTED = 1
    #: Not CONNECT and no ``:protocol``: an ordinary request.
    NOT_CONNECT = 2
    #: A classic CONNECT (a tunnel request for a proxy).
    PLAIN_CONNECT = 3
    #: An extended CONNECT for another protocol: answer 501 if you do not handle it.
    OTHER_PROTOCOL = 4


class ConnectClientOutcome(NamedIntEnum):
    """What the server's response to an extended CONNECT means."""

    #: A 2xx: the stream carries WebSocket frames now.
    ACCEPTED = 0
    #: A 3xx-5xx: no WebSocket; the fields and body are yours to act on.
    REFUSED = 1
    #: A 1xx: the final response is still to come.
    INTERIM = 2


class ConnectRequest(NamedTuple):
    """What :func:`connect_analyze` learned about a request.

    Attributes:
        outcome: the :class:`ConnectOutcome`.
        status: the ``:status`` :func:`connect_respond` would write without
            options (200, the rejection's 400/403), 0 otherwise.
        code: the :class:`ResultCode` (OK, or the ``CONNECT_REQUEST_*`` error).
        malformed: for REJECTED: reset the stream (PROTOCOL_ERROR /
            H3_MESSAGE_ERROR) after the rejection.
        secure: ``:scheme`` is https (a wss URI).
        path, authority, origin: of a WebSocket request (None otherwise /
            when absent).
        subprotocols: the subprotocols offered, in the client's order.
        extensions: the extension offers as ``(name, raw parameter text)``.
        subprotocol: the subprotocol the config's policy picks, or None.
        deflate: the permessage-deflate parameters the policy agrees to, or None.
    """

    outcome: ConnectOutcome
    status: int
    code: Union[ResultCode, int]
    malformed: bool
    secure: bool
    path: Optional[str]
    authority: Optional[str]
    origin: Optional[str]
    subprotocols: List[str]
    extensions: List[Tuple[str, str]]
    subprotocol: Optional[str]
    deflate: Optional[DeflateParams]

    @property
    def error(self) -> InvalidRequest | None:
        """For REJECTED, the :class:`InvalidRequest` (``.status``, ``.code``)."""
        if self.outcome is ConnectOutcome.REJECTED:
            return request_error(int(self.code))
        return None


class ConnectResponse(NamedTuple):
    """What :func:`connect_respond` decided and wrote.

    Attributes:
        outcome: the :class:`ConnectOutcome`.
        status: the ``:status`` written (200 or the rejection's), 0 when none.
        fields: the response fields to hand to the stack (``:status`` first);
            empty for requests that are not WebSocket (serve those yourself).
        subprotocol: the selected subprotocol, or None.
        deflate: the negotiated :class:`DeflateParams`, or None.
        code: the :class:`ResultCode` (OK, or the ``CONNECT_REQUEST_*`` error).
        malformed: for REJECTED: reset the stream after sending the rejection.
    """

    outcome: ConnectOutcome
    status: int
    fields: List[Field]
    subprotocol: Optional[str]
    deflate: Optional[DeflateParams]
    code: Union[ResultCode, int]
    malformed: bool

    @property
    def error(self) -> InvalidRequest | None:
        """For REJECTED, the :class:`InvalidRequest` (``.status``, ``.code``)."""
        if self.outcome is ConnectOutcome.REJECTED:
            return request_error(int(self.code))
        return None

    def raise_for_error(self) -> None:
        """Raises :attr:`error` when the request was rejected."""
        error = self.error
        if error is not None:
            raise error


class ConnectClientResponse(NamedTuple):
    """What :func:`connect_client_check_response` found.

    Attributes:
        outcome: the :class:`ConnectClientOutcome`.
        status: the response's ``:status``.
        subprotocol: for ACCEPTED, the subprotocol the server selected, or None.
        deflate: for ACCEPTED, the agreed permessage-deflate parameters, or None.
        deflate_offer_index: with ``deflate``, which of the offers passed as
            ``permessage_deflate`` the response accepted (0 for the first), or
            None. The response does not name it: it is the first offer the
            response is a valid answer to.
    """

    outcome: ConnectClientOutcome
    status: int
    subprotocol: Optional[str]
    deflate: Optional[DeflateParams]
    deflate_offer_index: Optional[int] = None


# --- conversion ------------------------------------------------------------------


class _InputFields:
    """A ``wsh_field`` array over ``(name, value)`` pairs; keeps the bytes alive."""

    __slots__ = ("array", "count", "_keep")

    def __init__(self, fields: object) -> None:
        if isinstance(fields, (str, bytes)) or isinstance(fields, Mapping):
            raise TypeError("fields must be an iterable of (name, value) pairs")
        try:
            items = list(fields)  # type: ignore[call-overload]
        except TypeError:
            raise TypeError("fields must be an iterable of (name, value) pairs") from None
        keep: list[bytes] = []
        self.count = len(items)
        self.array = (FieldC * max(self.count, 1))()
        for slot, item in zip(self.array, items):
            if not isinstance(item, tuple) or len(item) != 2:
                raise TypeError(f"each field must be a (name, value) pair, not {item!r}")
            name = text_bytes(item[0], "field name")
            value = text_bytes(item[1], "field value")
            keep.append(name)
            keep.append(value)
            slot.name = cast(name, c_void_p).value
            slot.name_len = len(name)
            slot.value = cast(value, c_void_p).value
            slot.value_len = len(value)
        self._keep = keep


def _deflate(has: bool, params: DeflateParamsC) -> DeflateParams | None:
    if not has:
        return None
    return DeflateParams(
        bool(params.server_no_context_takeover),
        bool(params.client_no_context_takeover),
        int(params.server_max_window_bits),
        int(params.client_max_window_bits),
    )


def _optional_text(address: int | None, length: int) -> str | None:
    if not address:
        return None
    return read_memory(address, length).decode("latin-1")


def _output_fields(buffer: Any, fields: Any, count: int) -> list[Field]:
    """Copies ``count`` output fields (views into ``buffer``) into bytes pairs."""
    base = addressof(buffer)
    data = buffer.raw
    pairs = []
    for slot in fields[:count]:
        name_at = (slot.name or base) - base
        value_at = (slot.value or base) - base
        pairs.append(
            (
                data[name_at : name_at + slot.name_len],
                data[value_at : value_at + slot.value_len],
            )
        )
    return pairs


_TOO_SMALL = (ResultCode.FIELD_ARRAY_TOO_SMALL, ResultCode.BUFFER_TOO_SMALL)


def _write_fields(call: Any, sizes: Any) -> tuple[int, list[Field]]:
    """Runs ``call(buf, cap, fields, cap)`` with buffers grown to fit.

    ``sizes()`` gives the (fields, bytes) needed after a too-small result.
    """
    field_cap, byte_cap = 16, 512
    for _ in range(2):
        buffer = (c_char * byte_cap)()
        fields = (FieldC * field_cap)()
        code, count = call(buffer, byte_cap, fields, field_cap)
        if code not in _TOO_SMALL:
            return code, _output_fields(buffer, fields, count)
        need_fields, need_bytes = sizes()
        field_cap, byte_cap = max(need_fields, 1), max(need_bytes, 1)
    raise error_for(code, "field list")  # pragma: no cover - sizes were reported


# --- server side -----------------------------------------------------------------




def _offers(
    config: ServerConfig, request: _InputFields, info: ConnectInfoC
) -> tuple[list[str], list[tuple[str, str]]]:
    """Both offered lists of a WebSocket request, in one foreign call (the
    request is analysed once, however long the lists)."""
    subprotocol_count, extension_count = c_size_t(), c_size_t()
    subprotocols = (BytesOut * max(info.subprotocol_count, 1))()
    extensions = (FieldC * max(info.extension_count, 1))()
    code = lib.wsh_connect_offers(
        config._ptr,
        request.array,
        request.count,
        cast(subprotocols, POINTER(Bytes)),
        info.subprotocol_count,
        extensions,
        info.extension_count,
        byref(subprotocol_count),
        byref(extension_count),
    )
    if code:
        raise error_for(code, "connect_analyze")
    return (
        [
            read_memory(item.data, item.len).decode("latin-1")
            for item in subprotocols[: subprotocol_count.value]
        ],
        [
            (
                read_memory(item.name, item.name_len).decode("latin-1"),
                read_memory(item.value, item.value_len).decode("latin-1"),
            )
            for item in extensions[: extension_count.value]
        ],
    )


def _check_config(config: object) -> ServerConfig:
    if not isinstance(config, ServerConfig):
        raise TypeError(f"config must be a ServerConfig, not {type(config).__name__}")
    return config


def connect_analyze(config: ServerConfig, fields: FieldsArg) -> ConnectRequest:
    """Decides what an HTTP/2 or HTTP/3 request is, without writing a response.

    Args:
        config: the :class:`ServerConfig` whose policy (origins,
            subprotocols, permessage-deflate) applies.
        fields: the request's fields as the stack decoded them.

    Returns:
        A :class:`ConnectRequest`. An invalid WebSocket request is an outcome
        (``REJECTED``, with ``.error``), not an exception.

    Raises:
        UsageError: more than 128 fields (``TOO_MANY_FIELDS``).
        TypeError: fields that are not ``(name, value)`` pairs of bytes/str.
    """
    config = _check_config(config)
    request = _InputFields(fields)
    info = ConnectInfoC()
    code = lib.wsh_connect_analyze(config._ptr, request.array, request.count, byref(info))
    if code and not is_connect_request_error(code):
        raise error_for(code, "connect_analyze")
    outcome = ConnectOutcome(info.outcome)
    subprotocols: list[str] = []
    extensions: list[tuple[str, str]] = []
    if outcome is ConnectOutcome.WEBSOCKET:
        subprotocols, extensions = _offers(config, request, info)
    return ConnectRequest(
        outcome,
        int(info.status),
        _code(code),
        bool(info.malformed),
        bool(info.secure),
        _optional_text(info.path, info.path_len),
        _optional_text(info.authority, info.authority_len),
        _optional_text(info.origin, info.origin_len),
        subprotocols,
        extensions,
        _optional_text(info.subprotocol, info.subprotocol_len),
        _deflate(info.has_deflate, info.deflate),
    )


def connect_respond(
    config: ServerConfig,
    fields: FieldsArg,
    *,
    subprotocol: Any = POLICY,
    decline_deflate: bool = False,
    headers: HeadersArg = (),
    extensions: Iterable[Union[str, bytes]] = (),
) -> ConnectResponse:
    """Analyzes a request and writes its response fields.

    For a valid WebSocket request, the accept (``:status`` 200, the selected
    subprotocol and extensions, your extra fields); for an invalid one, the
    ready-made rejection; nothing for a request that is not WebSocket. To
    refuse a valid request, use :func:`connect_reject`.

    Args:
        config: the :class:`ServerConfig`.
        fields: the request's fields as the stack decoded them.
        subprotocol: ``POLICY`` (the config's pick), None (none) or a name the
            client offered.
        decline_deflate: answer without permessage-deflate even if negotiable.
        headers: extra response fields (names are lowercased).
        extensions: other extension elements to accept, as written.

    Raises:
        SubprotocolNotOffered, InvalidHeader, UsageError: bad options (checked
            for valid WebSocket requests).
    """
    config = _check_config(config)
    request = _InputFields(fields)
    options = accept_options(subprotocol, headers, extensions, decline_deflate)
    info = ConnectInfoC()

    def call(buffer: Any, byte_cap: int, out: Any, field_cap: int) -> tuple[int, int]:
        code = lib.wsh_connect_respond(
            config._ptr,
            request.array,
            request.count,
            byref(options),
            buffer,
            byte_cap,
            out,
            field_cap,
            byref(info),
        )
        return code, int(info.field_count)

    code, written = _write_fields(call, lambda: (info.field_count, info.bytes_len))
    if code and not is_connect_request_error(code):
        raise error_for(code, "connect_respond")
    return ConnectResponse(
        ConnectOutcome(info.outcome),
        int(info.status),
        written,
        _optional_text(info.subprotocol, info.subprotocol_len),
        _deflate(info.has_deflate, info.deflate),
        _code(code),
        bool(info.malformed),
    )


def connect_reject(status: int, headers: HeadersArg = ()) -> list[Field]:
    """The fields of your own refusal: ``:status``, then the extra fields.

    Use it for a valid request you do not want (401, 404, ...) or an extended
    CONNECT for a protocol you do not handle (501). A body is yours to send.

    Args:
        status: 300-599, for any request: a 2xx answer to a CONNECT opens the
            tunnel (that is :func:`connect_respond`'s job), and 1xx is interim.
        headers: extra fields (names are lowercased; not connection-specific,
            not ``te``).

    Raises:
        UsageError: a status outside 300-599 (``INVALID_STATUS``);
        InvalidHeader: a bad or reserved field.
    """
    if isinstance(status, bool) or not isinstance(status, int):
        raise TypeError(f"status must be an int, not {type(status).__name__}")
    if not 0 <= status <= 0xFFFF:
        raise error_for(ResultCode.INVALID_STATUS, f"status {status}")
    pairs = header_pairs(headers)
    array = header_array(pairs)
    count, size = c_size_t(), c_size_t()

    def call(buffer: Any, byte_cap: int, out: Any, field_cap: int) -> tuple[int, int]:
        code = lib.wsh_connect_reject(
            status, array, len(pairs), buffer, byte_cap, out, field_cap, byref(count), byref(size)
        )
        return code, int(count.value)

    code, written = _write_fields(call, lambda: (count.value, size.value))
    if code:
        raise error_for(code, "connect_reject")
    return written


# --- client side -----------------------------------------------------------------

_SCHEMES = {"https": 0, "http": 1, "wss": 0, "ws": 1}

#: ``permessage_deflate``: None/False, True, one offer, or several in order.
DeflateOffersArg = Union[None, bool, DeflateOffer, Iterable[DeflateOffer]]


class _ClientOptions:
    """A ``wsh_connect_client_options`` and the objects it points to."""

    __slots__ = ("options", "_keep")

    def __init__(
        self,
        scheme: str,
        authority: Union[str, bytes],
        path: Union[str, bytes],
        subprotocols: Iterable[Union[str, bytes]],
        permessage_deflate: DeflateOffersArg,
        origin: Union[None, str, bytes],
        headers: HeadersArg,
    ) -> None:
        if scheme not in _SCHEMES:
            raise ValueError(f'scheme must be "https" or "http", not {scheme!r}')
        options = ConnectClientOptionsC()
        keep: list[Any] = []
        options.scheme = _SCHEMES[scheme]
        authority_bytes = text_bytes(authority, "authority")
        options.authority = authority_bytes
        options.authority_len = len(authority_bytes)
        path_bytes = text_bytes(path, "path")
        options.path = path_bytes
        options.path_len = len(path_bytes)
        names = text_list(subprotocols, "subprotocols")
        if names:
            array = bytes_array(names)
            keep.append(array)
            options.subprotocols = array
            options.subprotocol_count = len(names)
        offers = deflate_offers_arg(permessage_deflate)
        if offers:
            offers_c = (DeflateOfferC * len(offers))(*(offer._to_c() for offer in offers))
            keep.append(offers_c)
            options.deflate = offers_c
            options.deflate_count = len(offers)
        if origin is not None:
            origin_bytes = text_bytes(origin, "origin")
            options.origin = origin_bytes
            options.origin_len = len(origin_bytes)
        pairs = header_pairs(headers)
        if pairs:
            header_c = header_array(pairs)
            keep.append(header_c)
            options.headers = header_c
            options.header_count = len(pairs)
        self.options = options
        self._keep = keep


def connect_client_request(
    scheme: str,
    authority: Union[str, bytes],
    path: Union[str, bytes] = "/",
    subprotocols: Iterable[Union[str, bytes]] = (),
    permessage_deflate: DeflateOffersArg = None,
    origin: Union[None, str, bytes] = None,
    headers: HeadersArg = (),
) -> list[Field]:
    """The field list of an extended CONNECT request for WebSocket (RFC 8441 §4).

    Send it once the server's SETTINGS enabled extended CONNECT
    (:data:`SETTINGS_ENABLE_CONNECT_PROTOCOL` = 1).

    Args:
        scheme: ``"https"`` (a wss URI) or ``"http"`` (ws).
        authority: ``:authority``, host and port, e.g. ``"server.example.com"``.
        path: ``:path``, the path and query (``"/"`` by default).
        subprotocols: subprotocols to offer, in order of preference.
        permessage_deflate: None/False, True (the browsers' offer), a
            :class:`DeflateOffer`, or a list of at most 8 of them: several
            offers in order of preference (RFC 7692 section 5.1).
        origin: the origin field, or None.
        headers: extra fields (names are lowercased).

    Raises:
        UsageError: invalid options (``INVALID_URL``, ``INVALID_HEADER_VALUE``
            for a bad subprotocol or origin, ``INVALID_CONFIG``, ...).
    """
    options = _ClientOptions(
        scheme, authority, path, subprotocols, permessage_deflate, origin, headers
    )
    count, size = c_size_t(), c_size_t()

    def call(buffer: Any, byte_cap: int, out: Any, field_cap: int) -> tuple[int, int]:
        code = lib.wsh_connect_client_request(
            byref(options.options), buffer, byte_cap, out, field_cap, byref(count), byref(size)
        )
        return code, int(count.value)

    code, written = _write_fields(call, lambda: (count.value, size.value))
    if code:
        raise error_for(code, "connect_client_request")
    return written


def connect_client_check_response(
    scheme: str,
    authority: Union[str, bytes],
    path: Union[str, bytes] = "/",
    subprotocols: Iterable[Union[str, bytes]] = (),
    permessage_deflate: DeflateOffersArg = None,
    origin: Union[None, str, bytes] = None,
    headers: HeadersArg = (),
    *,
    fields: FieldsArg,
) -> ConnectClientResponse:
    """Judges the server's response fields against the request the same
    arguments produce (pass those given to :func:`connect_client_request`).

    Returns:
        A :class:`ConnectClientResponse`: any 2xx accepts, 1xx is interim,
        3xx-5xx refuse.

    Raises:
        ResponseError: the response breaks the rules (``CONNECT_RESPONSE_*``):
            fail the WebSocket connection and reset the stream.
        UsageError: invalid options, or more than 128 fields.
    """
    options = _ClientOptions(
        scheme, authority, path, subprotocols, permessage_deflate, origin, headers
    )
    response = _InputFields(fields)
    info = ConnectClientInfoC()
    code = lib.wsh_connect_client_check_response(
        byref(options.options), response.array, response.count, byref(info)
    )
    if code:
        raise client_error_for(code, "connect_client_check_response")
    return ConnectClientResponse(
        ConnectClientOutcome(info.outcome),
        int(info.status),
        _optional_text(info.subprotocol, info.subprotocol_len),
        _deflate(info.has_deflate, info.deflate),
        int(info.deflate_offer_index) if info.has_deflate else None,
    )

