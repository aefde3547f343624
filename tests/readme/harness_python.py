"""Runs the README's Python example: answers the RFC 6455 sample request
(sent a few bytes at a time, followed by a frame) over a socketpair; then a
client that connects and closes, and one that closes mid-request: the example
returns at EOF after a bounded number of engine calls (counted, not timed)."""
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


# EOF before a complete head: the example returns None at once. Counted: one
# respond() call per recv() that brought bytes, plus the first on no bytes.
import wshandshake  # noqa: E402

calls = 0
real_respond = wshandshake.respond


progresses = []


def counting_respond(config, data, *progress):
    global calls
    calls += 1
    progresses.extend(progress)
    return real_respond(config, data, *progress)


wshandshake.respond = counting_respond
for sent in (b"", REQUEST[:40]):
    server, client = socket.socketpair()
    server.settimeout(5)
    if sent:
        client.sendall(sent)
    client.close()  # connect, (maybe send a part), close
    calls = 0
    assert namespace["handshake"](server) is None
    assert calls <= 2, f"{calls} respond() calls for a client that sent {len(sent)} bytes and left"
    server.close()
    print(f"README Python example: EOF after {len(sent)} bytes: returned after {calls} respond() calls")
wshandshake.respond = real_respond
# The loop carries a RespondProgress, so no call re-examines earlier bytes.
assert progresses and all(isinstance(p, wshandshake.RespondProgress) for p in progresses)
