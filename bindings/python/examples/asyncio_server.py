"""A WebSocket echo server on asyncio: the handshake by wshandshake, the frames
by a minimal RFC 6455 loop written here.

    python asyncio_server.py --port 8765
    # then, e.g.: python -m websockets ws://127.0.0.1:8765/ (subprotocol "chat")

What it shows:
- feeding request bytes to :class:`wshandshake.ServerHandshake` chunk by chunk
  until a decision, then answering each decision: accept a WebSocket upgrade
  (subprotocol "chat" when offered), serve a small text on a plain ``GET /``,
  refuse other plain requests with the application's own response, and send
  the engine's ready rejection for an invalid request;
- keeping the bytes that arrived after the request head (``leftover``): they
  are the first WebSocket frames;
- an echo loop: text and binary messages (fragmented or not) are sent back,
  pings answered with pongs, close answered with close; client frames must be
  masked; 7-, 16- and 64-bit payload lengths.

This is a teaching example, not a production WebSocket stack: no
permessage-deflate (the config does not enable it), no backpressure tuning.
"""

from __future__ import annotations

import argparse
import asyncio
import struct

import wshandshake as wsh

#: The server's policy: offer the "chat" subprotocol, no extensions.
CONFIG = wsh.ServerConfig(["chat"])

#: Largest message echoed (bigger ones are closed with 1009).
MAX_MESSAGE = 1 << 20

HOME_PAGE = (
    "wshandshake asyncio example: connect a WebSocket client to this address "
    "(subprotocol 'chat') and every message comes back.\n"
).encode("utf-8")

OP_CONTINUATION, OP_TEXT, OP_BINARY = 0x0, 0x1, 0x2
OP_CLOSE, OP_PING, OP_PONG = 0x8, 0x9, 0xA


class ProtocolError(Exception):
    """The peer broke RFC 6455; ``code`` is the close code to send."""

    def __init__(self, code: int, reason: str) -> None:
        super().__init__(reason)
        self.code = code


# --- handshake ------------------------------------------------------------------


async def handshake(
    reader: asyncio.StreamReader,
    writer: asyncio.StreamWriter,
    config: wsh.ServerConfig,
) -> bytes | None:
    """Runs the opening handshake; returns the bytes after the head on success.

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
            # hs.reject(403) instead.
            hs.accept()
            writer.write(hs.data_to_send())
            await writer.drain()
            return result.leftover
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


# --- frames ---------------------------------------------------------------------


class FrameStream:
    """Reads and writes RFC 6455 frames on an asyncio stream (server side)."""

    def __init__(
        self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter, initial: bytes
    ) -> None:
        self.reader = reader
        self.writer = writer
        self.buffer = bytearray(initial)

    async def read_exactly(self, n: int) -> bytes:
        while len(self.buffer) < n:
            chunk = await self.reader.read(max(4096, n - len(self.buffer)))
            if not chunk:
                raise ConnectionError("connection closed in the middle of a frame")
            self.buffer += chunk
        data = bytes(self.buffer[:n])
        del self.buffer[:n]
        return data

    async def read_frame(self) -> tuple[bool, int, bytes]:
        """One frame: (fin, opcode, unmasked payload)."""
        first, second = await self.read_exactly(2)
        fin = bool(first & 0x80)
        if first & 0x70:
            raise ProtocolError(1002, "reserved bits set without an extension")
        opcode = first & 0x0F
        if not second & 0x80:
            raise ProtocolError(1002, "client frames must be masked")
        length = second & 0x7F
        if length == 126:
            (length,) = struct.unpack("!H", await self.read_exactly(2))
        elif length == 127:
            (length,) = struct.unpack("!Q", await self.read_exactly(8))
            if length >> 63:
                raise ProtocolError(1002, "64-bit length with the top bit set")
        if opcode >= 0x8 and (length > 125 or not fin):
            raise ProtocolError(1002, "control frames are short and not fragmented")
        if length > MAX_MESSAGE:
            raise ProtocolError(1009, "frame too large")
        mask = await self.read_exactly(4)
        payload = await self.read_exactly(length)
        return fin, opcode, unmask(payload, mask)

    def send_frame(self, opcode: int, payload: bytes = b"") -> None:
        """Writes one unmasked, final frame (servers never mask)."""
        length = len(payload)
        if length < 126:
            head = struct.pack("!BB", 0x80 | opcode, length)
        elif length < 1 << 16:
            head = struct.pack("!BBH", 0x80 | opcode, 126, length)
        else:
            head = struct.pack("!BBQ", 0x80 | opcode, 127, length)
        self.writer.write(head + payload)


def unmask(payload: bytes, mask: bytes) -> bytes:
    """XORs the payload with the 4-byte masking key (RFC 6455 section 5.3)."""
    if not payload:
        return payload
    length = len(payload)
    key = (mask * (length // 4 + 1))[:length]
    # One big-integer XOR: much faster in Python than a loop over the bytes.
    return (int.from_bytes(payload, "big") ^ int.from_bytes(key, "big")).to_bytes(length, "big")


async def echo(stream: FrameStream) -> None:
    """Echoes messages until the client closes (or breaks the protocol)."""
    message_opcode: int | None = None
    parts: list[bytes] = []
    size = 0
    try:
        while True:
            fin, opcode, payload = await stream.read_frame()
            if opcode == OP_PING:
                stream.send_frame(OP_PONG, payload)
            elif opcode == OP_PONG:
                pass
            elif opcode == OP_CLOSE:
                code = payload[:2] if len(payload) >= 2 else struct.pack("!H", 1000)
                stream.send_frame(OP_CLOSE, code)
                break
            elif opcode in (OP_TEXT, OP_BINARY, OP_CONTINUATION):
                if (opcode == OP_CONTINUATION) != (message_opcode is not None):
                    raise ProtocolError(1002, "unexpected continuation state")
                if message_opcode is None:
                    message_opcode = opcode
                parts.append(payload)
                size += len(payload)
                if size > MAX_MESSAGE:
                    raise ProtocolError(1009, "message too large")
                if fin:
                    message = b"".join(parts)
                    if message_opcode == OP_TEXT:
                        try:
                            message.decode("utf-8")
                        except UnicodeDecodeError:
                            raise ProtocolError(1007, "text is not UTF-8") from None
                    stream.send_frame(message_opcode, message)
                    message_opcode, parts, size = None, [], 0
            else:
                raise ProtocolError(1002, f"unknown opcode {opcode}")
            await stream.writer.drain()
    except ProtocolError as error:
        stream.send_frame(OP_CLOSE, struct.pack("!H", error.code) + str(error).encode()[:120])
    except (ConnectionError, asyncio.IncompleteReadError):
        return


# --- server ---------------------------------------------------------------------


async def serve_connection(
    reader: asyncio.StreamReader,
    writer: asyncio.StreamWriter,
    config: wsh.ServerConfig = CONFIG,
) -> None:
    """Handshake, then echo; always closes the connection."""
    try:
        leftover = await handshake(reader, writer, config)
        if leftover is not None:
            await echo(FrameStream(reader, writer, leftover))
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
    print(f"listening on ws://{address[0]}:{address[1]}/ (wshandshake {wsh.__version__})")
    async with server:
        await server.serve_forever()


if __name__ == "__main__":
    try:
        asyncio.run(main())
    except KeyboardInterrupt:
        pass
