"""The client handshake: ClientConfig and ClientHandshake."""

from __future__ import annotations

import base64
import gc
import os
import socket
import struct
import threading

import pytest

import wshandshake as wsh
from wshandshake import ClientDecision, ResultCode

from conftest import RFC_ACCEPT

#: The RFC 6455 section 1.3 sample nonce (its key is dGhlIHNhbXBsZSBub25jZQ==).
NONCE = base64.b64decode("dGhlIHNhbXBsZSBub25jZQ==")

#: The RFC 6455 section 1.3 sample response.
RFC_RESPONSE = (
    b"HTTP/1.1 101 Switching Protocols\r\n"
    b"Upgrade: websocket\r\n"
    b"Connection: Upgrade\r\n"
    b"Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n"
    b"Sec-WebSocket-Protocol: chat\r\n"
    b"\r\n"
)

REFUSAL = (
    b"HTTP/1.1 401 Unauthorized\r\n"
    b"WWW-Authenticate: Bearer realm=\"chat\"\r\n"
    b"Content-Length: 12\r\n"
    b"\r\n"
    b"who are you?"
)


def rfc_config(**kwargs: object) -> wsh.ClientConfig:
    options: dict[str, object] = {
        "origin": "http://example.com",
        "subprotocols": ["chat", "superchat"],
    }
    options.update(kwargs)
    return wsh.ClientConfig("ws://server.example.com/chat", **options)  # type: ignore[arg-type]


def response_101(*extra: str, protocol: str | None = "chat", accept: str = RFC_ACCEPT) -> bytes:
    lines = ["HTTP/1.1 101 Switching Protocols", "Upgrade: websocket", "Connection: Upgrade"]
    if accept:
        lines.append(f"Sec-WebSocket-Accept: {accept}")
    if protocol is not None:
        lines.append(f"Sec-WebSocket-Protocol: {protocol}")
    lines.extend(extra)
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")


# --- config ------------------------------------------------------------------------


def test_config_url_parts() -> None:
    config = wsh.ClientConfig("wss://Example.COM:8443/a/b?x=1")
    assert config.host == "example.com"
    assert config.port == 8443
    assert config.secure is True
    assert config.resource == "/a/b?x=1"
    assert config.host_header == "example.com:8443"
    assert config.host_kind == "name"
    plain = wsh.ClientConfig("ws://[::1]")
    assert (plain.host, plain.port, plain.secure, plain.resource) == ("::1", 80, False, "/")
    assert plain.host_kind == "ipv6"
    assert plain.host_header == "[::1]"
    with pytest.raises(AttributeError):
        config.url = "ws://other"  # type: ignore[misc]


@pytest.mark.parametrize(
    "kwargs, error",
    [
        ({"url": "http://example.com/"}, wsh.ConfigError),
        ({"url": "ws://example.com/#frag"}, wsh.ConfigError),
        ({"origin": "http://example.com/path"}, wsh.ConfigError),
        ({"subprotocols": ["not a token"]}, wsh.ConfigError),
        ({"subprotocols": ["chat", "chat"]}, wsh.ConfigError),
        ({"extensions": ["permessage-deflate"]}, wsh.ConfigError),
        ({"extensions": [";;"]}, wsh.ConfigError),
        ({"headers": [("Bad Name", "x")]}, wsh.InvalidHeader),
        ({"headers": [("Sec-WebSocket-Key", "x")]}, wsh.InvalidHeader),
        ({"headers": [("X-Ok", "bad\r\nvalue")]}, wsh.InvalidHeader),
        ({"permessage_deflate": wsh.DeflateOffer(server_max_window_bits=16)}, wsh.ConfigError),
        ({"limits": wsh.ClientLimits(max_headers=0)}, wsh.ConfigError),
        ({"subprotocol_mode": "lenient"}, ValueError),
        ({"subprotocols": "chat"}, TypeError),
        ({"permessage_deflate": "yes"}, TypeError),
        ({"limits": {"max_headers": 1}}, TypeError),
        ({"url": b"ws://example.com/"}, TypeError),
    ],
)
def test_config_errors(kwargs: dict[str, object], error: type[Exception]) -> None:
    url = kwargs.pop("url", "ws://example.com/")
    with pytest.raises(error):
        wsh.ClientConfig(url, **kwargs)  # type: ignore[arg-type]
    assert issubclass(error, (ValueError, TypeError))


def test_request_carries_options() -> None:
    config = wsh.ClientConfig(
        "ws://127.0.0.1:9000/x?y=1",
        origin="https://example.com",
        subprotocols=["a", "b"],
        permessage_deflate=True,
        extensions=["x-test; level=2"],
        headers={"Authorization": "Bearer t", "User-Agent": b"pytest"},
    )
    with wsh.ClientHandshake(config, NONCE) as hs:
        request = hs.request
        lines = request.decode("latin-1").split("\r\n")
        assert lines[0] == "GET /x?y=1 HTTP/1.1"
        assert request.endswith(b"\r\n\r\n")
        assert "Host: 127.0.0.1:9000" in lines
        assert "Origin: https://example.com" in lines
        assert "Sec-WebSocket-Protocol: a, b" in lines
        assert "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits, x-test; level=2" in lines
        assert "Authorization: Bearer t" in lines
        assert "User-Agent: pytest" in lines
        assert hs.key == "dGhlIHNhbXBsZSBub25jZQ=="


# --- RFC 6455 sample ----------------------------------------------------------------


def test_rfc6455_sample_exchange() -> None:
    with wsh.ClientHandshake(rfc_config(), nonce=NONCE) as hs:
        request = hs.request
        lines = request.decode("latin-1").split("\r\n")
        assert lines[0] == "GET /chat HTTP/1.1"
        assert set(lines[1:-2]) == {
            "Host: server.example.com",
            "Upgrade: websocket",
            "Connection: Upgrade",
            "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==",
            "Origin: http://example.com",
            "Sec-WebSocket-Protocol: chat, superchat",
            "Sec-WebSocket-Version: 13",
        }
        assert hs.data_to_send() == request
        assert hs.data_to_send() == b""
        assert hs.request == request  # still the whole request
        assert hs.decision is ClientDecision.NEED_MORE
        result = hs.feed(RFC_RESPONSE)
        assert result.decision is ClientDecision.ACCEPTED
        assert result.consumed == len(RFC_RESPONSE)
        assert result.leftover == b""
        assert result.error is None
        result.raise_for_error()
        assert hs.accepted and hs.decision is ClientDecision.ACCEPTED
        assert hs.status == 101
        assert hs.reason == "Switching Protocols"
        assert hs.subprotocol == "chat"
        assert hs.deflate is None
        assert hs.extensions == []
        assert hs.headers["sec-websocket-accept"] == RFC_ACCEPT
        assert hs.headers.get_all("UPGRADE") == ["websocket"]
        assert hs.head == RFC_RESPONSE
        assert hs.body == b""


def test_byte_at_a_time_with_leftover() -> None:
    frames = b"\x81\x05hello\x88\x00"
    data = RFC_RESPONSE + frames
    with wsh.ClientHandshake(rfc_config(), NONCE) as hs:
        for index in range(len(RFC_RESPONSE) - 1):
            result = hs.feed(data[index : index + 1])
            assert result.decision is ClientDecision.NEED_MORE
            assert result.consumed == 1 and result.leftover == b""
        last = hs.feed(data[len(RFC_RESPONSE) - 1 :])
        assert last.decision is ClientDecision.ACCEPTED
        assert last.consumed == 1
        assert last.leftover == frames
        assert hs.subprotocol == "chat"
        with pytest.raises(wsh.StateError):
            hs.feed(b"more")


def test_leftover_in_one_chunk() -> None:
    with wsh.ClientHandshake(rfc_config(), NONCE) as hs:
        result = hs.feed(bytearray(RFC_RESPONSE + b"\x81\x00"))
        assert result.decision is ClientDecision.ACCEPTED
        assert result.leftover == b"\x81\x00"
        assert result.consumed == len(RFC_RESPONSE)


def test_interim_response_is_skipped() -> None:
    with wsh.ClientHandshake(rfc_config(), NONCE) as hs:
        result = hs.feed(b"HTTP/1.1 100 Continue\r\n\r\n" + RFC_RESPONSE)
        assert result.decision is ClientDecision.ACCEPTED
        assert hs.status == 101


def test_refusal_with_body() -> None:
    with wsh.ClientHandshake(rfc_config(), NONCE) as hs:
        result = hs.feed(REFUSAL + b"NEXT")
        assert result.decision is ClientDecision.REFUSED
        assert result.error is None
        assert result.leftover == b"NEXT"
        assert hs.status == 401
        assert hs.reason == "Unauthorized"
        assert hs.headers["www-authenticate"] == 'Bearer realm="chat"'
        assert hs.body == b"who are you?"
        assert not hs.accepted
        with pytest.raises(wsh.StateError):
            hs.subprotocol
        with pytest.raises(wsh.StateError):
            hs.deflate


def test_refusal_body_until_close_and_chunked() -> None:
    with wsh.ClientHandshake(rfc_config(), NONCE) as hs:
        assert hs.feed(b"HTTP/1.1 403 Forbidden\r\n\r\nno ").decision is ClientDecision.NEED_MORE
        assert hs.feed(b"way").decision is ClientDecision.NEED_MORE
        result = hs.finish()
        assert result.decision is ClientDecision.REFUSED
        assert hs.body == b"no way"
        assert hs.status == 403
    with wsh.ClientHandshake(rfc_config(), NONCE) as hs:
        chunked = (
            b"HTTP/1.1 404 Not Found\r\nTransfer-Encoding: chunked\r\n\r\n"
            b"5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n"
        )
        assert hs.feed(chunked).decision is ClientDecision.REFUSED
        assert hs.body == b"hello world"


# --- invalid responses ----------------------------------------------------------------

RC = ResultCode
_DEFLATE_BARE = wsh.DeflateOffer(offer_client_max_window_bits=False)

INVALID_RESPONSES = [
    ("malformed", {}, b"HTTP/1.1 101 Switching Protocols\r\nUpgrade websocket\r\n\r\n", RC.RESPONSE_MALFORMED_HEAD),
    ("status", {}, b"HTTP/1.1 999 Nope\r\n\r\n", RC.RESPONSE_INVALID_STATUS),
    ("version", {}, response_101().replace(b"HTTP/1.1", b"HTTP/1.0", 1), RC.RESPONSE_INVALID_VERSION),
    ("upgrade", {}, response_101().replace(b"Upgrade: websocket", b"Upgrade: h2c"), RC.RESPONSE_MISSING_UPGRADE),
    ("connection", {}, response_101().replace(b"Connection: Upgrade", b"Connection: close"), RC.RESPONSE_MISSING_CONNECTION_UPGRADE),
    ("no accept", {}, response_101(accept=""), RC.RESPONSE_MISSING_ACCEPT),
    ("two accepts", {}, response_101(f"Sec-WebSocket-Accept: {RFC_ACCEPT}"), RC.RESPONSE_DUPLICATE_ACCEPT),
    ("wrong accept", {}, response_101(accept="AAAAAAAAAAAAAAAAAAAAAAAAAAA="), RC.RESPONSE_WRONG_ACCEPT),
    ("other subprotocol", {}, response_101(protocol="other"), RC.RESPONSE_UNEXPECTED_SUBPROTOCOL),
    ("no subprotocol", {}, response_101(protocol=None), RC.RESPONSE_MISSING_SUBPROTOCOL),
    ("two subprotocols", {}, response_101(protocol="chat, superchat"), RC.RESPONSE_DUPLICATE_SUBPROTOCOL),
    ("bad extensions", {}, response_101("Sec-WebSocket-Extensions: ;;"), RC.RESPONSE_INVALID_EXTENSIONS),
    ("unoffered extension", {}, response_101("Sec-WebSocket-Extensions: x-foo"), RC.RESPONSE_UNEXPECTED_EXTENSION),
    (
        "two deflates",
        {"permessage_deflate": True},
        response_101("Sec-WebSocket-Extensions: permessage-deflate, permessage-deflate"),
        RC.RESPONSE_DUPLICATE_EXTENSION,
    ),
    (
        "deflate parameter",
        {"permessage_deflate": True},
        response_101("Sec-WebSocket-Extensions: permessage-deflate; bogus"),
        RC.RESPONSE_INVALID_DEFLATE_PARAMETER,
    ),
    (
        "client window",
        {"permessage_deflate": _DEFLATE_BARE},
        response_101("Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits=10"),
        RC.RESPONSE_UNEXPECTED_CLIENT_WINDOW_BITS,
    ),
    (
        "window too large",
        {"permessage_deflate": wsh.DeflateOffer(server_max_window_bits=10)},
        response_101("Sec-WebSocket-Extensions: permessage-deflate; server_max_window_bits=12"),
        RC.RESPONSE_DEFLATE_WINDOW_TOO_LARGE,
    ),
    (
        "server takeover",
        {"permessage_deflate": wsh.DeflateOffer(server_no_context_takeover=True)},
        response_101("Sec-WebSocket-Extensions: permessage-deflate"),
        RC.RESPONSE_MISSING_SERVER_NO_CONTEXT_TAKEOVER,
    ),
    (
        "server window not answered",
        {"permessage_deflate": wsh.DeflateOffer(server_max_window_bits=10)},
        response_101("Sec-WebSocket-Extensions: permessage-deflate"),
        RC.RESPONSE_MISSING_SERVER_MAX_WINDOW_BITS,
    ),
    ("content length", {}, b"HTTP/1.1 401 No\r\nContent-Length: abc\r\n\r\n", RC.RESPONSE_INVALID_CONTENT_LENGTH),
    (
        "chunked",
        {},
        b"HTTP/1.1 401 No\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
        RC.RESPONSE_INVALID_CHUNKED_BODY,
    ),
    (
        "body too large",
        {"limits": wsh.ClientLimits(max_body_bytes=4)},
        b"HTTP/1.1 401 No\r\nContent-Length: 10\r\n\r\n0123456789",
        RC.RESPONSE_BODY_TOO_LARGE,
    ),
    (
        "head too large",
        {"limits": wsh.ClientLimits(max_head_bytes=64)},
        response_101("X-Padding: " + "p" * 80),
        RC.RESPONSE_HEAD_TOO_LARGE,
    ),
    (
        "too many headers",
        {"limits": wsh.ClientLimits(max_headers=2)},
        response_101(),
        RC.RESPONSE_TOO_MANY_HEADERS,
    ),
]


@pytest.mark.parametrize(
    "config_kwargs, response, code",
    [case[1:] for case in INVALID_RESPONSES],
    ids=[case[0] for case in INVALID_RESPONSES],
)
def test_invalid_response(config_kwargs: dict[str, object], response: bytes, code: ResultCode) -> None:
    for chunk_size in (len(response), 1):
        with wsh.ClientHandshake(rfc_config(**config_kwargs), NONCE) as hs:
            result = None
            for start in range(0, len(response), chunk_size):
                result = hs.feed(response[start : start + chunk_size])
                if result.decision is not ClientDecision.NEED_MORE:
                    break
            assert result is not None
            assert result.decision is ClientDecision.FAILED, (chunk_size, result)
            assert result.code == code
            assert result.leftover == b""
            assert isinstance(result.error, wsh.ResponseError)
            assert isinstance(result.error, wsh.HandshakeError)
            assert result.error.code == code
            assert result.error.status == 0
            with pytest.raises(wsh.ResponseError) as raised:
                result.raise_for_error()
            assert raised.value.code == code
            assert hs.decision is ClientDecision.FAILED
            assert hs.error is not None and hs.error.code == code
            assert not hs.accepted
            with pytest.raises(wsh.StateError):
                hs.subprotocol
            with pytest.raises(wsh.StateError):
                hs.feed(b"x")


@pytest.mark.parametrize(
    "partial, code",
    [
        (RFC_RESPONSE[:20], RC.RESPONSE_INCOMPLETE_HEAD),
        (b"HTTP/1.1 401 No\r\nContent-Length: 10\r\n\r\n012", RC.RESPONSE_INCOMPLETE_BODY),
    ],
)
def test_finish_incomplete(partial: bytes, code: ResultCode) -> None:
    with wsh.ClientHandshake(rfc_config(), NONCE) as hs:
        assert hs.feed(partial).decision is ClientDecision.NEED_MORE
        result = hs.finish()
        assert result.decision is ClientDecision.FAILED
        assert result.error is not None and result.error.code == code
        with pytest.raises(wsh.StateError):
            hs.finish()


def test_rfc6455_mode_accepts_no_subprotocol() -> None:
    with wsh.ClientHandshake(rfc_config(subprotocol_mode="rfc6455"), NONCE) as hs:
        assert hs.feed(response_101(protocol=None)).decision is ClientDecision.ACCEPTED
        assert hs.subprotocol is None


def test_deflate_and_extension_results() -> None:
    config = rfc_config(
        permessage_deflate=wsh.DeflateOffer(client_max_window_bits=12),
        extensions=["x-test"],
    )
    with wsh.ClientHandshake(config, NONCE) as hs:
        response = response_101(
            "Sec-WebSocket-Extensions: permessage-deflate; server_max_window_bits=10;"
            " client_max_window_bits=11, x-test; level=2"
        )
        assert hs.feed(response).decision is ClientDecision.ACCEPTED
        assert hs.deflate == wsh.DeflateParams(False, False, 10, 11)
        assert hs.extensions == [
            "permessage-deflate; server_max_window_bits=10; client_max_window_bits=11",
            "x-test; level=2",
        ]


def test_several_deflate_offers_in_preference_order() -> None:
    """RFC 7692 section 5.1: offers preferred first; the index of the one the
    response answers (the first it is a valid answer to) and its parameters."""
    small = wsh.DeflateOffer(server_max_window_bits=10, client_max_window_bits=10)
    config = rfc_config(permessage_deflate=[small, wsh.DeflateOffer()])
    assert config.deflate_offers == (small, wsh.DeflateOffer())
    assert config.permessage_deflate == small
    with wsh.ClientHandshake(config, NONCE) as hs:
        assert (
            b"\r\nSec-WebSocket-Extensions: permessage-deflate; server_max_window_bits=10;"
            b" client_max_window_bits=10, permessage-deflate; client_max_window_bits\r\n"
        ) in hs.request
        with pytest.raises(wsh.StateError):
            hs.deflate_offer_index
    for element, index, params in [
        ("permessage-deflate; server_max_window_bits=9", 0, wsh.DeflateParams(False, False, 9, 10)),
        ("permessage-deflate", 1, wsh.DeflateParams(False, False, 15, 15)),
        ("permessage-deflate; server_max_window_bits=12", 1, wsh.DeflateParams(False, False, 12, 15)),
    ]:
        with wsh.ClientHandshake(config, NONCE) as hs:
            result = hs.feed(response_101(f"Sec-WebSocket-Extensions: {element}"))
            assert result.decision is ClientDecision.ACCEPTED, element
            assert hs.deflate_offer_index == index, element
            assert hs.deflate == params, element
    with wsh.ClientHandshake(config, NONCE) as hs:
        assert hs.feed(response_101()).decision is ClientDecision.ACCEPTED
        assert hs.deflate_offer_index is None
    # Wrong for both offers: the error against the preferred one.
    with wsh.ClientHandshake(config, NONCE) as hs:
        result = hs.feed(response_101("Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits"))
        assert result.code == ResultCode.RESPONSE_UNEXPECTED_CLIENT_WINDOW_BITS
    # One offer stays one offer; no offer is an empty tuple.
    assert rfc_config(permessage_deflate=True).deflate_offers == (wsh.DeflateOffer(),)
    assert rfc_config().deflate_offers == ()
    assert rfc_config(permessage_deflate=[]).permessage_deflate is None


def test_several_deflate_offers_bad_arguments() -> None:
    small = wsh.DeflateOffer(server_max_window_bits=10)
    with pytest.raises(wsh.ConfigError) as caught:
        rfc_config(permessage_deflate=[small, small])
    assert caught.value.code == ResultCode.INVALID_EXTENSION
    with pytest.raises(TypeError):
        rfc_config(permessage_deflate=[small, True])
    with pytest.raises(wsh.ConfigError):
        rfc_config(permessage_deflate=[small, wsh.DeflateOffer(client_max_window_bits=16)])


# --- life cycle and misuse -----------------------------------------------------------


def test_random_keys_differ_and_reset() -> None:
    config = rfc_config()
    with wsh.ClientHandshake(config) as first, wsh.ClientHandshake(config) as second:
        assert first.key != second.key
        assert len(base64.b64decode(first.key)) == 16
        first.data_to_send()
        assert first.feed(REFUSAL).decision is ClientDecision.REFUSED
        first.reset(NONCE)
        assert first.key == "dGhlIHNhbXBsZSBub25jZQ=="
        assert first.decision is ClientDecision.NEED_MORE
        assert first.data_to_send() == first.request
        assert first.feed(RFC_RESPONSE).decision is ClientDecision.ACCEPTED
        old = second.key
        second.reset()
        assert second.key != old


def test_misuse() -> None:
    config = rfc_config()
    with pytest.raises(ValueError):
        wsh.ClientHandshake(config, b"short")
    with pytest.raises(TypeError):
        wsh.ClientHandshake(wsh.ServerConfig())  # type: ignore[arg-type]
    hs = wsh.ClientHandshake(config, NONCE)
    with pytest.raises(TypeError):
        hs.feed("text")  # type: ignore[arg-type]
    with pytest.raises(wsh.StateError):
        hs.status  # no response yet
    with pytest.raises(wsh.StateError):
        hs.subprotocol
    hs.close()
    hs.close()
    assert hs.closed
    for action in (lambda: hs.feed(b""), hs.data_to_send, hs.finish, lambda: hs.request):
        with pytest.raises(wsh.StateError):
            action()
    assert repr(hs) == "<ClientHandshake closed>"


def test_finalizer_frees_handle() -> None:
    config = rfc_config()
    hs = wsh.ClientHandshake(config, NONCE)
    finalizer = hs._finalizer
    assert finalizer.alive
    del hs
    gc.collect()
    assert not finalizer.alive
    # The config outlives the handles made from it, and the reverse.
    other = wsh.ClientHandshake(config, NONCE)
    del config
    gc.collect()
    assert other.feed(RFC_RESPONSE).decision is ClientDecision.ACCEPTED
    other.close()


# --- against our own server -----------------------------------------------------------


def test_round_trip_with_our_server() -> None:
    server = wsh.ServerConfig(["superchat", "chat"], permessage_deflate=True)
    client = rfc_config(permessage_deflate=True)
    with wsh.ClientHandshake(client) as hs:
        answer = wsh.respond(server, hs.data_to_send())
        assert answer.decision is wsh.Decision.UPGRADE_WEBSOCKET
        assert answer.subprotocol == "chat"  # the client's preference
        result = hs.feed(answer.response + b"\x82\x00")
        assert result.decision is ClientDecision.ACCEPTED
        assert result.leftover == b"\x82\x00"
        assert hs.subprotocol == answer.subprotocol
        assert hs.deflate == answer.deflate
        assert hs.deflate is not None


def test_round_trip_with_our_server_rejection() -> None:
    server = wsh.ServerConfig(["chat"], allowed_origins=["https://good.example"])
    with wsh.ClientHandshake(rfc_config(), NONCE) as hs:
        answer = wsh.respond(server, hs.data_to_send())
        assert answer.decision is wsh.Decision.REJECTED
        result = hs.feed(answer.response)
        assert result.decision is ClientDecision.REFUSED
        assert hs.status == answer.status == 403
    with wsh.ClientHandshake(rfc_config(), NONCE) as hs, wsh.ServerHandshake(
        wsh.ServerConfig(["chat"])
    ) as server_hs:
        assert server_hs.feed(hs.data_to_send()).decision is wsh.Decision.UPGRADE_WEBSOCKET
        server_hs.reject(401, headers=[("WWW-Authenticate", "Basic")], body=b"nope")
        assert hs.feed(server_hs.data_to_send()).decision is ClientDecision.REFUSED
        assert hs.headers["www-authenticate"] == "Basic"
        assert hs.body == b"nope"


# --- a real peer: the Python websockets server --------------------------------------------


def _recv_exactly(sock: socket.socket, n: int, buffered: bytearray) -> bytes:
    while len(buffered) < n:
        chunk = sock.recv(4096)
        if not chunk:
            raise ConnectionError("closed early")
        buffered.extend(chunk)
    data = bytes(buffered[:n])
    del buffered[:n]
    return data


def _masked_frame(opcode: int, payload: bytes) -> bytes:
    """One final client frame (masked, RFC 6455 section 5.3), payload < 126 bytes."""
    assert len(payload) < 126
    mask = os.urandom(4)
    masked = bytes(byte ^ mask[index % 4] for index, byte in enumerate(payload))
    return bytes([0x80 | opcode, 0x80 | len(payload)]) + mask + masked


def _read_frame(sock: socket.socket, buffered: bytearray) -> tuple[int, bytes]:
    """One unmasked server frame: (opcode, payload)."""
    first, second = _recv_exactly(sock, 2, buffered)
    assert first & 0x80, "fragmented frames are not expected here"
    assert not second & 0x80, "server frames are never masked"
    length = second & 0x7F
    if length == 126:
        (length,) = struct.unpack("!H", _recv_exactly(sock, 2, buffered))
    elif length == 127:
        (length,) = struct.unpack("!Q", _recv_exactly(sock, 8, buffered))
    return first & 0x0F, _recv_exactly(sock, length, buffered)


@pytest.fixture
def websockets_server():  # type: ignore[no-untyped-def]
    sync_server = pytest.importorskip("websockets.sync.server")

    def echo(connection) -> None:  # type: ignore[no-untyped-def]
        for message in connection:
            connection.send(message)

    server = sync_server.serve(echo, "127.0.0.1", 0, subprotocols=["chat"])
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.socket.getsockname()[1]
    finally:
        server.shutdown()
        thread.join(timeout=5)


def _open(port: int, config: wsh.ClientConfig) -> tuple[socket.socket, wsh.ClientHandshake, bytearray]:
    sock = socket.create_connection((config.host, config.port), timeout=5)
    hs = wsh.ClientHandshake(config)
    sock.sendall(hs.data_to_send())
    while True:
        chunk = sock.recv(4096)
        result = hs.feed(chunk) if chunk else hs.finish()
        if result.decision is not ClientDecision.NEED_MORE:
            break
    result.raise_for_error()
    assert result.decision is ClientDecision.ACCEPTED
    return sock, hs, bytearray(result.leftover)


def test_real_peer_websockets_server(websockets_server: int) -> None:
    port = websockets_server
    config = wsh.ClientConfig(
        f"ws://127.0.0.1:{port}/echo", subprotocols=["superchat", "chat"], origin="http://127.0.0.1"
    )
    assert (config.host, config.port) == ("127.0.0.1", port)
    sock, hs, buffered = _open(port, config)
    with sock, hs:
        assert hs.status == 101
        assert hs.subprotocol == "chat"
        assert hs.deflate is None  # not offered
        sock.sendall(_masked_frame(0x1, "héllo".encode()))
        opcode, payload = _read_frame(sock, buffered)
        assert opcode == 0x1
        assert payload.decode() == "héllo"
        sock.sendall(_masked_frame(0x8, struct.pack("!H", 1000)))
        opcode, payload = _read_frame(sock, buffered)
        assert opcode == 0x8
        assert payload[:2] == struct.pack("!H", 1000)


def test_real_peer_negotiates_deflate(websockets_server: int) -> None:
    config = wsh.ClientConfig(
        f"ws://127.0.0.1:{websockets_server}/", subprotocols=["chat"], permessage_deflate=True
    )
    sock, hs, _ = _open(websockets_server, config)
    with sock, hs:
        assert hs.subprotocol == "chat"
        params = hs.deflate
        assert params is not None
        assert 8 <= params.server_max_window_bits <= 15
        assert 8 <= params.client_max_window_bits <= 15
        assert hs.extensions and hs.extensions[0].startswith("permessage-deflate")
        sock.sendall(_masked_frame(0x8, struct.pack("!H", 1000)))
