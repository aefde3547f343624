"""Runs the README's Python example: answers the RFC 6455 sample request
(sent a few bytes at a time, followed by a frame) over a socketpair."""
import socket
import sys
import threading

namespace: dict = {}
exec(compile(open(sys.argv[1]).read(), "README example", "exec"), namespace)

REQUEST = (
    b"GET /chat HTTP/1.1\r\nHost: server.example.com\r\nUpgrade: websocket\r\n"
    b"Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
    b"Sec-WebSocket-Protocol: chat\r\nSec-WebSocket-Version: 13\r\n\r\n"
)
FRAME = b"\x81\x80\x01\x02\x03\x04"

server, client = socket.socketpair()
server.settimeout(5)
client.settimeout(5)


def send() -> None:
    data = REQUEST + FRAME
    for i in range(0, len(data), 7):
        client.sendall(data[i : i + 7])


sender = threading.Thread(target=send)
sender.start()
leftover = namespace["handshake"](server)
sender.join()
reply = client.recv(4096)
assert reply.startswith(b"HTTP/1.1 101"), reply
assert b"Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=" in reply, reply
assert b"Sec-WebSocket-Protocol: chat" in reply, reply
assert leftover is not None and FRAME.startswith(leftover), leftover
print("README Python example: 101 sent, leftover", leftover)
