"""The asyncio example server, driven by a real `websockets` client on loopback."""

from __future__ import annotations

import asyncio
import importlib.util
import sys
from pathlib import Path

import pytest

websockets = pytest.importorskip("websockets")
from websockets.asyncio.client import connect  # noqa: E402

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "asyncio_server.py"
TIMEOUT = 20


def load_example():
    spec = importlib.util.spec_from_file_location("wsh_asyncio_example", EXAMPLE)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def run(coroutine):
    return asyncio.run(asyncio.wait_for(coroutine, TIMEOUT))


async def with_server(body):
    example = load_example()
    server = await example.start_server("127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    try:
        return await body(port)
    finally:
        server.close()
        await server.wait_closed()


async def raw_exchange(port: int, request: bytes) -> bytes:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(request)
    await writer.drain()
    response = await reader.read()
    writer.close()
    return response


def test_websockets_client_negotiates_chat_and_gets_echoes():
    async def body(port):
        async with connect(f"ws://127.0.0.1:{port}/chat", subprotocols=["chat"]) as ws:
            assert ws.subprotocol == "chat"
            await ws.send("hello")
            assert await ws.recv() == "hello"
            await ws.send(b"\x00\x01" * 150)  # 16-bit length
            assert await ws.recv() == b"\x00\x01" * 150
            big = "z" * 70000  # 64-bit length
            await ws.send(big)
            assert await ws.recv() == big
            await ws.send(["frag", "mented"])  # fragmented message
            assert await ws.recv() == "fragmented"
            pong = await ws.ping(b"are you there")
            await asyncio.wait_for(pong, TIMEOUT)
        assert ws.close_code == 1000

    run(with_server(body))


def test_client_without_subprotocol():
    async def body(port):
        async with connect(f"ws://127.0.0.1:{port}/") as ws:
            assert ws.subprotocol is None
            await ws.send("plain")
            assert await ws.recv() == "plain"

    run(with_server(body))


def test_plain_get_rejections_and_bad_requests():
    async def body(port):
        home = await raw_exchange(port, b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
        assert home.startswith(b"HTTP/1.1 200 OK\r\n")
        assert b"wshandshake asyncio example" in home
        missing = await raw_exchange(port, b"GET /nope HTTP/1.1\r\nHost: x\r\n\r\n")
        assert missing.startswith(b"HTTP/1.1 404 ")
        post = await raw_exchange(port, b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n")
        assert post.startswith(b"HTTP/1.1 405 ") and b"Allow: GET" in post
        bad = await raw_exchange(
            port,
            b"GET /chat HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n",
        )
        assert bad.startswith(b"HTTP/1.1 426 ")
        # A request that arrives in small pieces.
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        for piece in (b"GET / HT", b"TP/1.1\r\nHo", b"st: x\r\n", b"\r\n"):
            writer.write(piece)
            await writer.drain()
            await asyncio.sleep(0.01)
        assert (await reader.read()).startswith(b"HTTP/1.1 200 OK")
        writer.close()

    run(with_server(body))


def test_unmasked_client_frame_is_closed_with_1002():
    async def body(port):
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        writer.write(
            b"GET / HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            b"Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n"
            b"\x81\x02hi"  # unmasked: a protocol error from a client
        )
        data = await reader.read()
        head, _, frames = data.partition(b"\r\n\r\n")
        assert head.startswith(b"HTTP/1.1 101 ")
        assert frames[:1] == b"\x88" and frames[2:4] == b"\x03\xea"  # close 1002
        writer.close()

    run(with_server(body))


def test_compression_is_negotiated_and_used_with_a_websockets_client():
    async def body(port):
        # websockets offers permessage-deflate by default; the example's
        # frames are wsproto's, set by wsproto_connection().
        async with connect(f"ws://127.0.0.1:{port}/", subprotocols=["chat"]) as ws:
            extensions = ws.response.headers["Sec-WebSocket-Extensions"]
            assert extensions.startswith("permessage-deflate")
            assert [type(e).__name__ for e in ws.protocol.extensions] == ["PerMessageDeflate"]
            for message in ["compress me " * 1000, b"\x00" * 50000, "short"]:
                await ws.send(message)
                assert await ws.recv() == message
            await ws.send(["frag" * 100, "mented" * 100])
            assert await ws.recv() == "frag" * 100 + "mented" * 100

    run(with_server(body))


def test_an_offer_wsproto_cannot_frame_is_answered_without_deflate():
    from websockets.extensions.permessage_deflate import ClientPerMessageDeflateFactory

    async def body(port):
        # A server window of 8 bits: RFC 7692 allows it, wsproto does not.
        factory = ClientPerMessageDeflateFactory(server_max_window_bits=8)
        async with connect(f"ws://127.0.0.1:{port}/", extensions=[factory], compression=None) as ws:
            assert "Sec-WebSocket-Extensions" not in ws.response.headers
            await ws.send("plain " * 100)
            assert await ws.recv() == "plain " * 100

    run(with_server(body))
