"""The bridge to wsproto's frames: wsproto_connection() after our handshake."""

from __future__ import annotations

import pytest

import wshandshake as wsh

from conftest import ws_request

wsproto = pytest.importorskip("wsproto")
from wsproto.connection import Connection, ConnectionType  # noqa: E402
from wsproto.events import TextMessage  # noqa: E402
from wsproto.extensions import PerMessageDeflate  # noqa: E402

DEFLATE = wsh.ServerConfig(["chat"], permessage_deflate=True)


def client_for(deflate: wsh.DeflateParams | None) -> Connection:
    """A wsproto client connection set as our 101 told the client."""
    extensions = []
    if deflate is not None:
        extension = PerMessageDeflate()
        extension.finalize(wsh._wsproto._agreed(deflate))
        extensions.append(extension)
    return Connection(ConnectionType.CLIENT, extensions)


def offer(params: str = "") -> bytes:
    element = "permessage-deflate" + (f"; {params}" if params else "")
    return ws_request(f"Sec-WebSocket-Extensions: {element}\r\n")


@pytest.mark.parametrize(
    "params, expected",
    [
        ("", (False, False, 15, 15)),
        ("client_max_window_bits", (False, False, 15, 15)),
        ("server_max_window_bits=10; client_max_window_bits=12", (False, False, 10, 12)),
        ("server_no_context_takeover; client_no_context_takeover", (True, True, 15, 15)),
    ],
)
def test_the_negotiated_parameters_reach_wsproto(params, expected):
    r = wsh.respond(DEFLATE, offer(params))
    assert r.status == 101 and tuple(r.deflate) == expected
    server = wsh.wsproto_connection(r)
    (extension,) = server._proto.extensions
    assert isinstance(extension, PerMessageDeflate) and extension.enabled()
    got = (
        extension.server_no_context_takeover,
        extension.client_no_context_takeover,
        extension.server_max_window_bits,
        extension.client_max_window_bits,
    )
    assert got == expected
    # Compressed both ways, several messages (context takeover or not).
    client = client_for(r.deflate)
    for text in ["hello " * 200, "again " * 200, "x"]:
        frame = client.send(TextMessage(data=text))
        assert frame[0] & 0x40, "RSV1: the client compressed it"
        assert len(frame) < len(text) or len(text) < 10
        server.receive_data(frame)
        (event,) = list(server.events())
        assert event.data == text and event.message_finished
        reply = server.send(TextMessage(data=text))
        assert reply[0] & 0x40
        client.receive_data(reply)
        (back,) = list(client.events())
        assert back.data == text


def test_trailing_frames_after_the_head_are_read():
    client = client_for(None)
    frame = client.send(TextMessage(data="first"))
    r = wsh.respond(wsh.ServerConfig(), ws_request() + frame)
    assert r.deflate is None and r.leftover == frame
    server = wsh.wsproto_connection(r)
    assert server._proto.extensions == []
    (event,) = list(server.events())
    assert event.data == "first"


def test_server_handshake_and_explicit_parameters():
    with wsh.ServerHandshake(DEFLATE) as hs:
        result = hs.feed(offer("server_max_window_bits=11"))
        with pytest.raises(ValueError, match="not accepted"):
            wsh.wsproto_connection(hs)
        hs.accept()
        server = wsh.wsproto_connection(hs, trailing_data=result.leftover)
        assert server._proto.extensions[0].server_max_window_bits == 11
    explicit = wsh.wsproto_connection(deflate=wsh.DeflateParams(False, True, 12, 13))
    extension = explicit._proto.extensions[0]
    assert (extension.client_no_context_takeover, extension.client_max_window_bits) == (True, 13)


def test_an_8_bit_window_is_refused_cleanly():
    r = wsh.respond(DEFLATE, offer("server_max_window_bits=8"))
    assert r.status == 101 and r.deflate.server_max_window_bits == 8
    assert not wsh.wsproto_can_deflate(r.deflate)
    with pytest.raises(ValueError, match="9-15 bits.*server_max_window_bits=8"):
        wsh.wsproto_connection(r)
    # The documented way out: decline deflate for such an offer.
    with wsh.ServerHandshake(DEFLATE) as hs:
        hs.feed(offer("server_max_window_bits=8"))
        hs.accept(decline_deflate=not wsh.wsproto_can_deflate(hs.deflate))
        assert b"Sec-WebSocket-Extensions" not in hs.data_to_send()
        assert wsh.wsproto_connection(hs)._proto.extensions == []


def test_what_is_not_an_accepted_upgrade_is_refused():
    rejected = wsh.respond(DEFLATE, ws_request("Sec-WebSocket-Version: 12\r\n"))
    with pytest.raises(ValueError, match="did not accept"):
        wsh.wsproto_connection(rejected)
    incomplete = wsh.respond(DEFLATE, b"GET / HTTP/1.1\r\n")
    with pytest.raises(ValueError, match="NEED_MORE"):
        wsh.wsproto_connection(incomplete)
    with pytest.raises(TypeError):
        wsh.wsproto_connection("a 101")
    with pytest.raises(TypeError):
        wsh.wsproto_connection(deflate=(False, False, 15, 15))
