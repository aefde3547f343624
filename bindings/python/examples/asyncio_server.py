"""A WebSocket echo server on asyncio: the handshake by wshandshake, the frames
(with permessage-deflate) by wsproto.

    pip install 'wshandshake[wsproto]'
    python asyncio_server.py --port 8765
    # then, e.g.: python -m websockets ws://127.0.0.1:8765/ (subprotocol "chat")

What it shows:
- feeding request bytes to :class:`wshandshake.ServerHandshake` chunk by chunk
  until a decision, then answering each decision: accept a WebSocket upgrade
  (subprotocol "chat" when offered, permessage-deflate when the client offers
  it), serve a small text on a plain ``GET /``, refuse other plain requests
  with the application's own response, and send the engine's ready rejection
  for an invalid request;
- handing the connection to wsproto's frame layer with
  :func:`wshandshake.wsproto_connection`, which sets wsproto's
  permessage-deflate to the parameters the handshake agreed on; the bytes that
  arrived after the request head (``leftover``) are its first input;
- an echo loop: text and binary messages (fragmented or not) are sent back,
  pings answered with pongs, close answered with close, protocol errors closed
  with their code.

This is a teaching example, not a production WebSocket stack: no backpressure
tuning, no timeouts.
"""

from __future__ import annotations

import argparse
import asyncio

from wsproto.connection import Connection, ConnectionState
from wsproto.events import BytesMessage, CloseConnection, Message, Ping, TextMessage

import wshandshake as wsh

#: The server's policy: offer the "chat" subprotocol and permessage-deflate.
CONFIG = wsh.ServerConfig(["chat"], permessage_deflate=True)

#: Largest message echoed (bigger ones are closed with 1009).
MAX_MESSAGE = 1 << 20

HOME_PAGE = (
    "wshandshake asyncio example: connect a WebSocket client to this address "
    "(subprotocol 'chat') and every message comes back.\n"
).encode("utf-8")


# --- handshake ------------------------------------------------------------------


async def handshake(
    reader: asyncio.StreamReader,
    writer: asyncio.StreamWriter,
    config: wsh.ServerConfig,
) -> Connection | None:
    """Runs the opening handshake; returns wsproto's connection on success.

    Returns None when the connection is done (not an upgrade, rejected, or
    closed early): any response has been written.
    """
    with wsh.ServerHandshake(config) as hs:
        while True:
            chunk = await reader.read(4096)
            if not chunk:
                return None  # the client left before finishing its request
            result = hs.feed(chunk)
            if result.decision is not wsh.Decision.NEED_MORE:
                break

        decision = result.decision
        if decision is wsh.Decision.UPGRADE_WEBSOCKET:
            # The policy picks "chat" when the client offers it; a real server
            # would check hs.path, hs.origin or a cookie here and maybe
            # hs.reject(403) instead. wsproto compresses with windows of 9-15
            # bits only: an offer that asks for 8 is answered without deflate.
            hs.accept(decline_deflate=not wsh.wsproto_can_deflate(hs.deflate))
            writer.write(hs.data_to_send())
            await writer.drain()
            # The bytes after the head are the first frames.
            return wsh.wsproto_connection(hs, trailing_data=result.leftover)
        if decision.is_plain_http:
            if hs.method == "GET" and hs.path == "/":
                head = (
                    "HTTP/1.1 200 OK\r\n"
                    "Content-Type: text/plain; charset=utf-8\r\n"
                    f"Content-Length: {len(HOME_PAGE)}\r\n"
                    "Connection: close\r\n\r\n"
                ).encode("ascii")
                writer.write(head + HOME_PAGE)
            elif hs.method != "GET":
                hs.reject(405, headers=[("Allow", "GET")], body="only GET here\n")
                writer.write(hs.data_to_send())
            else:
                hs.reject(404, body="not found\n")
                writer.write(hs.data_to_send())
        elif decision is wsh.Decision.REJECTED:
            # An invalid request: the engine's rejection (400, 426, ...) is ready.
            writer.write(hs.data_to_send())
        # HTTP2_PREFACE, UPGRADE_OTHER (not configured here): just close.
        await writer.drain()
        return None


# --- frames (wsproto) ---------------------------------------------------------------


async def echo(
    reader: asyncio.StreamReader, writer: asyncio.StreamWriter, connection: Connection
) -> None:
    """Echoes messages until the client closes (or breaks the protocol)."""
    parts: list[str | bytes] = []
    size = 0
    while connection.state is ConnectionState.OPEN:
        for event in connection.events():
            if isinstance(event, Message):
                parts.append(event.data)
                size += len(event.data)
                if size > MAX_MESSAGE:
                    writer.write(connection.send(CloseConnection(1009, "message too large")))
                    break
                if event.message_finished:
                    if isinstance(event, TextMessage):
                        reply: Message = TextMessage(data="".join(parts))  # type: ignore[arg-type]
                    else:
                        reply = BytesMessage(data=b"".join(parts))  # type: ignore[arg-type]
                    writer.write(connection.send(reply))
                    parts, size = [], 0
            elif isinstance(event, Ping):
                writer.write(connection.send(event.response()))
            elif isinstance(event, CloseConnection):
                # The client's close (answered), or a protocol error wsproto
                # found in its frames (closed with that code).
                writer.write(connection.send(event.response()))
                break
        await writer.drain()
        if connection.state is not ConnectionState.OPEN:
            break
        chunk = await reader.read(65536)
        connection.receive_data(chunk or None)  # None: the peer went away


# --- server ---------------------------------------------------------------------


async def serve_connection(
    reader: asyncio.StreamReader,
    writer: asyncio.StreamWriter,
    config: wsh.ServerConfig = CONFIG,
) -> None:
    """Handshake, then echo; always closes the connection."""
    try:
        connection = await handshake(reader, writer, config)
        if connection is not None:
            await echo(reader, writer, connection)
        await writer.drain()
    except (ConnectionError, asyncio.IncompleteReadError):
        pass
    finally:
        writer.close()
        try:
            await writer.wait_closed()
        except (ConnectionError, OSError):
            pass


async def start_server(
    host: str = "127.0.0.1", port: int = 0, config: wsh.ServerConfig = CONFIG
) -> asyncio.Server:
    """Starts listening; ``port=0`` picks a free port (see ``server.sockets``)."""
    return await asyncio.start_server(
        lambda r, w: serve_connection(r, w, config), host=host, port=port
    )


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8765)
    args = parser.parse_args()
    server = await start_server(args.host, args.port)
    address = server.sockets[0].getsockname()
    print(f"listening on ws://{f'[{address[0]}]' if ':' in address[0] else address[0]}:{address[1]}/ (wshandshake {wsh.__version__})")
    async with server:
        await server.serve_forever()


if __name__ == "__main__":
    try:
        asyncio.run(main())
    except KeyboardInterrupt:
        pass
