"""Extended CONNECT (RFC 8441, RFC 9220): both sides over field lists."""

from __future__ import annotations

import pytest

import wshandshake as wsh
from wshandshake import ConnectClientOutcome, ConnectOutcome, ResultCode

from conftest import RFC8441_REQUEST, replace_field

#: RFC 8441 section 5: the server's response to RFC8441_REQUEST.
RFC8441_RESPONSE = [
    (b":status", b"200"),
    (b"sec-websocket-protocol", b"chat"),
    (b"sec-websocket-extensions", b"permessage-deflate"),
]

#: The client options that produce the RFC's request.
CLIENT = dict(
    scheme="https",
    authority="server.example.com",
    path="/chat",
    subprotocols=["chat", "superchat"],
    permessage_deflate=wsh.DeflateOffer(offer_client_max_window_bits=False),
    origin="http://www.example.com",
)

SERVER = wsh.ServerConfig(["chat"], permessage_deflate=True)


def test_rfc8441_client_request() -> None:
    fields = wsh.connect_client_request(**CLIENT)  # type: ignore[arg-type]
    assert sorted(fields) == sorted(RFC8441_REQUEST)
    pseudo = [name for name, _ in fields if name.startswith(b":")]
    assert fields[: len(pseudo)] == [field for field in fields if field[0].startswith(b":")]


def test_rfc8441_server_side() -> None:
    request = wsh.connect_analyze(SERVER, RFC8441_REQUEST)
    assert request.outcome is ConnectOutcome.WEBSOCKET
    assert request.status == 200
    assert request.code == ResultCode.OK
    assert request.secure is True
    assert request.path == "/chat"
    assert request.authority == "server.example.com"
    assert request.origin == "http://www.example.com"
    assert request.subprotocols == ["chat", "superchat"]
    assert request.extensions == [("permessage-deflate", "")]
    assert request.subprotocol == "chat"
    assert request.deflate == wsh.DeflateParams(False, False, 15, 15)
    assert request.error is None

    response = wsh.connect_respond(SERVER, RFC8441_REQUEST)
    assert response.outcome is ConnectOutcome.WEBSOCKET
    assert response.status == 200
    assert response.fields == RFC8441_RESPONSE
    assert response.subprotocol == "chat"
    assert response.deflate == request.deflate
    assert not response.malformed
    response.raise_for_error()


def test_rfc8441_client_check() -> None:
    result = wsh.connect_client_check_response(**CLIENT, fields=RFC8441_RESPONSE)  # type: ignore[arg-type]
    assert result.outcome is ConnectClientOutcome.ACCEPTED
    assert result.status == 200
    assert result.subprotocol == "chat"
    assert result.deflate == wsh.DeflateParams(False, False, 15, 15)


def test_both_sides_round_trip_with_str_fields() -> None:
    fields = wsh.connect_client_request(
        "http", "127.0.0.1:8443", "/x?y=1", ["a"], True, headers=[("Authorization", "Bearer t")]
    )
    assert (b"authorization", b"Bearer t") in fields
    as_text = [(name.decode(), value.decode()) for name, value in fields]
    config = wsh.ServerConfig(["b", "a"], permessage_deflate=True)
    answer = wsh.connect_respond(config, as_text, headers={"X-Server": "wsh"})
    assert answer.outcome is ConnectOutcome.WEBSOCKET
    assert (b"x-server", b"wsh") in answer.fields
    assert answer.subprotocol == "a"
    checked = wsh.connect_client_check_response(
        "http", "127.0.0.1:8443", "/x?y=1", ["a"], True, fields=answer.fields
    )
    assert checked.outcome is ConnectClientOutcome.ACCEPTED
    assert checked.subprotocol == "a"
    assert checked.deflate == answer.deflate


def test_several_deflate_offers_in_order() -> None:
    small = wsh.DeflateOffer(server_max_window_bits=10)
    offers = [small, wsh.DeflateOffer()]
    fields = wsh.connect_client_request("https", "server.example.com", permessage_deflate=offers)
    assert (
        b"sec-websocket-extensions",
        b"permessage-deflate; server_max_window_bits=10; client_max_window_bits, "
        b"permessage-deflate; client_max_window_bits",
    ) in fields
    answer = wsh.connect_respond(SERVER, fields)
    checked = wsh.connect_client_check_response(
        "https", "server.example.com", permessage_deflate=offers, fields=answer.fields
    )
    assert checked.deflate_offer_index == 0
    assert checked.deflate is not None and checked.deflate.server_max_window_bits == 10
    # A bare answer leaves out the window the first offer asked for.
    bare = [(b":status", b"200"), (b"sec-websocket-extensions", b"permessage-deflate")]
    checked = wsh.connect_client_check_response(
        "https", "server.example.com", permessage_deflate=offers, fields=bare
    )
    assert checked.deflate_offer_index == 1
    assert checked.deflate == wsh.DeflateParams(False, False, 15, 15)
    plain = wsh.connect_client_check_response(
        "https", "server.example.com", permessage_deflate=offers, fields=[(b":status", b"200")]
    )
    assert plain.deflate is None and plain.deflate_offer_index is None
    with pytest.raises(wsh.UsageError) as same_twice:
        wsh.connect_client_request("https", "a.example", permessage_deflate=[small, small])
    assert same_twice.value.code == ResultCode.INVALID_CONFIG
    with pytest.raises(wsh.UsageError) as too_many:
        wsh.connect_client_request("https", "a.example", permessage_deflate=[wsh.DeflateOffer()] * 9)
    assert too_many.value.code == ResultCode.TOO_MANY_FIELDS
    with pytest.raises(TypeError):
        wsh.connect_client_request("https", "a.example", permessage_deflate=[True])


def test_respond_options() -> None:
    plain = wsh.connect_respond(SERVER, RFC8441_REQUEST, subprotocol=None, decline_deflate=True)
    assert plain.fields == [(b":status", b"200")]
    assert plain.subprotocol is None and plain.deflate is None
    named = wsh.connect_respond(SERVER, RFC8441_REQUEST, subprotocol="superchat")
    assert (b"sec-websocket-protocol", b"superchat") in named.fields
    with pytest.raises(wsh.SubprotocolNotOffered):
        wsh.connect_respond(SERVER, RFC8441_REQUEST, subprotocol="other")
    with pytest.raises(wsh.InvalidHeader):
        wsh.connect_respond(SERVER, RFC8441_REQUEST, headers=[("connection", "close")])
    with pytest.raises(wsh.InvalidHeader):
        wsh.connect_respond(SERVER, RFC8441_REQUEST, headers=[("bad name", "x")])
    many = [(f"x-h{index}", "v" * 40) for index in range(40)]
    large = wsh.connect_respond(SERVER, RFC8441_REQUEST, headers=many)  # grows the buffers
    assert len(large.fields) == 3 + 40
    assert large.fields[-1] == (b"x-h39", b"v" * 40)


@pytest.mark.parametrize(
    "fields, code, status",
    [
        (replace_field(RFC8441_REQUEST, b":path", None), ResultCode.CONNECT_REQUEST_MISSING_PATH, 400),
        (replace_field(RFC8441_REQUEST, b"sec-websocket-version", b"8"), ResultCode.CONNECT_REQUEST_UNSUPPORTED_VERSION, 400),
        (RFC8441_REQUEST + [(b"connection", b"upgrade")], ResultCode.CONNECT_REQUEST_CONNECTION_SPECIFIC_FIELD, 400),
        (RFC8441_REQUEST + [(b"Bad", b"x")], ResultCode.CONNECT_REQUEST_INVALID_FIELD_NAME, 400),
    ],
)
def test_rejected_requests(fields: list[tuple[bytes, bytes]], code: ResultCode, status: int) -> None:
    analysis = wsh.connect_analyze(SERVER, fields)
    assert analysis.outcome is ConnectOutcome.REJECTED
    assert analysis.code == code
    assert analysis.error is not None and analysis.error.code == code
    response = wsh.connect_respond(SERVER, fields)
    assert response.outcome is ConnectOutcome.REJECTED
    assert response.code == code
    assert response.status == status
    assert response.fields[0] == (b":status", str(status).encode())
    with pytest.raises(wsh.InvalidRequest) as raised:
        response.raise_for_error()
    assert raised.value.code == code and raised.value.status == status


def test_origin_rejection() -> None:
    config = wsh.ServerConfig(allowed_origins=["https://good.example"])
    response = wsh.connect_respond(config, RFC8441_REQUEST)
    assert response.outcome is ConnectOutcome.REJECTED
    assert response.code == ResultCode.CONNECT_REQUEST_ORIGIN_NOT_ALLOWED
    assert response.status == 403


def test_other_outcomes() -> None:
    get = [(b":method", b"GET"), (b":scheme", b"https"), (b":path", b"/"), (b":authority", b"a")]
    assert wsh.connect_analyze(SERVER, get).outcome is ConnectOutcome.NOT_CONNECT
    tunnel = [(b":method", b"CONNECT"), (b":authority", b"a:443")]
    assert wsh.connect_analyze(SERVER, tunnel).outcome is ConnectOutcome.PLAIN_CONNECT
    other = replace_field(RFC8441_REQUEST, b":protocol", b"connect-udp")
    analysis = wsh.connect_analyze(SERVER, other)
    assert analysis.outcome is ConnectOutcome.OTHER_PROTOCOL
    response = wsh.connect_respond(SERVER, other)
    assert response.outcome is ConnectOutcome.OTHER_PROTOCOL
    assert response.fields == []
    assert wsh.connect_reject(501) == [(b":status", b"501")]


def test_connect_reject() -> None:
    fields = wsh.connect_reject(401, [("WWW-Authenticate", 'Bearer realm="chat"')])
    assert fields == [(b":status", b"401"), (b"www-authenticate", b'Bearer realm="chat"')]
    for status in (300, 599):
        assert wsh.connect_reject(status) == [(b":status", str(status).encode())]
    for status in (101, 200, 299, 600):
        with pytest.raises(wsh.UsageError) as refused:
            wsh.connect_reject(status)
        assert refused.value.code is ResultCode.INVALID_STATUS, status
    with pytest.raises(wsh.InvalidHeader):
        wsh.connect_reject(400, [("transfer-encoding", "chunked")])


def test_client_refused_and_interim() -> None:
    refused = wsh.connect_client_check_response(
        **CLIENT, fields=[(":status", "401"), ("www-authenticate", "Basic")]  # type: ignore[arg-type]
    )
    assert refused.outcome is ConnectClientOutcome.REFUSED
    assert refused.status == 401
    assert refused.subprotocol is None
    interim = wsh.connect_client_check_response(**CLIENT, fields=[(b":status", b"103")])  # type: ignore[arg-type]
    assert interim.outcome is ConnectClientOutcome.INTERIM


@pytest.mark.parametrize(
    "fields, code",
    [
        ([(b"sec-websocket-protocol", b"chat")], ResultCode.CONNECT_RESPONSE_MISSING_STATUS),
        ([(b":status", b"200"), (b"sec-websocket-protocol", b"other")], ResultCode.CONNECT_RESPONSE_SUBPROTOCOL_NOT_OFFERED),
        ([(b":status", b"200"), (b"sec-websocket-extensions", b"x-foo")], ResultCode.CONNECT_RESPONSE_EXTENSION_NOT_OFFERED),
        ([(b":status", b"200"), (b":status", b"200")], ResultCode.CONNECT_RESPONSE_DUPLICATE_STATUS),
        ([(b":status", b"2x0")], ResultCode.CONNECT_RESPONSE_INVALID_STATUS),
        ([(b":status", b"200"), (b"connection", b"close")], ResultCode.CONNECT_RESPONSE_CONNECTION_SPECIFIC_FIELD),
    ],
)
def test_client_invalid_responses(fields: list[tuple[bytes, bytes]], code: ResultCode) -> None:
    with pytest.raises(wsh.ResponseError) as raised:
        wsh.connect_client_check_response(**CLIENT, fields=fields)  # type: ignore[arg-type]
    assert raised.value.code == code
    assert isinstance(raised.value, wsh.HandshakeError)


def test_misuse() -> None:
    with pytest.raises(wsh.UsageError):
        wsh.connect_client_request("https", "")  # no authority
    with pytest.raises(wsh.UsageError):
        wsh.connect_client_request("https", "a", subprotocols=["not a token"])
    with pytest.raises(ValueError):
        wsh.connect_client_request("gopher", "a")
    with pytest.raises(TypeError):
        wsh.connect_client_request("https", "a", subprotocols="chat")
    with pytest.raises(TypeError):
        wsh.connect_analyze(SERVER, [b":method"])  # type: ignore[list-item]
    with pytest.raises(TypeError):
        wsh.connect_analyze(object(), RFC8441_REQUEST)  # type: ignore[arg-type]
    with pytest.raises(wsh.UsageError) as raised:
        wsh.connect_analyze(SERVER, [(b"x-a", b"b")] * 200)
    assert raised.value.code == ResultCode.TOO_MANY_FIELDS
