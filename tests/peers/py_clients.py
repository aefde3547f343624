#!/usr/bin/env python3
"""Python WebSocket clients against an echo server (tests/peers/run.sh).

    py_clients.py LIBRARY URL

LIBRARY is one of `websockets`, `websocket-client`, `aiohttp`. The client
offers the subprotocol "chat" and checks the server selected it, sends a text
and a binary message and checks each comes back unchanged, then closes with
1000. With `websockets` it also checks the selection rule (offering
"superchat, chat" gets "superchat", the client's first choice) and that no
subprotocol is selected when none is offered.

Prints one line per check; exit status 0 when every check passed.
"""

import asyncio
import sys

TIMEOUT = 10
TEXT = "hello from Python \u00e9\u2603"
BINARY = bytes([0, 1, 2, 0x7F, 0x80, 0xFE, 0xFF]) * 100


class CheckFailed(Exception):
    pass


def expect(what, got, want):
    if got != want:
        raise CheckFailed(f"{what}: got {got!r}, want {want!r}")
    print(f"ok: {what} = {short(got)}")


def short(value):
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def with_websockets(url):
    from websockets.sync.client import connect

    with connect(url, subprotocols=["chat"], open_timeout=TIMEOUT,
                 close_timeout=TIMEOUT, compression=None) as ws:
        expect("subprotocol", ws.subprotocol, "chat")
        ws.send(TEXT)
        expect("text echo", ws.recv(timeout=TIMEOUT), TEXT)
        ws.send(BINARY)
        expect("binary echo", ws.recv(timeout=TIMEOUT), BINARY)
        ws.close(1000)
        expect("close code from the server", ws.close_code, 1000)
    with connect(url, subprotocols=["superchat", "chat"], open_timeout=TIMEOUT) as ws:
        expect("subprotocol for 'superchat, chat'", ws.subprotocol, "superchat")
    with connect(url, open_timeout=TIMEOUT) as ws:
        expect("subprotocol when none offered", ws.subprotocol, None)
        expect("extensions (permessage-deflate offered, server has none)",
               ws.response.headers.get("Sec-WebSocket-Extensions"), None)


def with_websocket_client(url):
    import websocket

    ws = websocket.create_connection(url, subprotocols=["chat"], timeout=TIMEOUT)
    try:
        expect("subprotocol", ws.getsubprotocol(), "chat")
        ws.send(TEXT)
        expect("text echo", ws.recv(), TEXT)
        ws.send_binary(BINARY)
        opcode, data = ws.recv_data()
        expect("binary echo opcode", opcode, websocket.ABNF.OPCODE_BINARY)
        expect("binary echo", data, BINARY)
        ws.send_close(1000)
        opcode, frame = ws.recv_data_frame(control_frame=True)
        expect("close reply opcode", opcode, websocket.ABNF.OPCODE_CLOSE)
        expect("close code from the server", int.from_bytes(frame.data[:2], "big"), 1000)
    finally:
        ws.shutdown()


async def with_aiohttp_async(url):
    import aiohttp

    timeout = aiohttp.ClientTimeout(total=TIMEOUT)
    async with aiohttp.ClientSession(timeout=timeout) as session:
        async with session.ws_connect(url, protocols=("chat",), compress=0,
                                      timeout=aiohttp.ClientWSTimeout(ws_close=TIMEOUT)) as ws:
            expect("subprotocol", ws.protocol, "chat")
            await ws.send_str(TEXT)
            msg = await ws.receive(timeout=TIMEOUT)
            expect("text echo type", msg.type, aiohttp.WSMsgType.TEXT)
            expect("text echo", msg.data, TEXT)
            await ws.send_bytes(BINARY)
            msg = await ws.receive(timeout=TIMEOUT)
            expect("binary echo type", msg.type, aiohttp.WSMsgType.BINARY)
            expect("binary echo", msg.data, BINARY)
            expect("clean close", await ws.close(code=1000), True)
            expect("close code from the server", ws.close_code, 1000)


def with_aiohttp(url):
    asyncio.run(asyncio.wait_for(with_aiohttp_async(url), TIMEOUT * 2))


CLIENTS = {
    "websockets": with_websockets,
    "websocket-client": with_websocket_client,
    "aiohttp": with_aiohttp,
}


def main():
    if len(sys.argv) != 3 or sys.argv[1] not in CLIENTS:
        sys.exit(f"usage: {sys.argv[0]} {{{'|'.join(CLIENTS)}}} URL")
    library, url = sys.argv[1], sys.argv[2]
    try:
        CLIENTS[library](url)
    except Exception as error:  # every failure of the peer is a test failure
        print(f"FAIL ({library}): {type(error).__name__}: {error}")
        sys.exit(1)
    print(f"PASS ({library})")


if __name__ == "__main__":
    main()
