#!/usr/bin/env python3
"""A raw-socket WebSocket server for the C client's edge cases (tests/peers/run.sh).

    py_raw_server.py [PORT]        (0 or nothing: a free port)

Prints "listening on PORT", then serves connections one at a time; the
request path picks the behaviour:

    /trickle     a valid 101 (subprotocol "chat") sent one byte at a time,
                 its last byte in the same write as a Ping frame (bytes after
                 the head), then echoes every data frame and answers Close
    /refuse      403 with a plain-text body, sent one byte at a time
    /bad-accept  a 101 whose Sec-WebSocket-Accept is wrong

Stops on SIGTERM or SIGINT, and by itself after 120 seconds.
"""

import base64
import hashlib
import signal
import socket
import sys
import time

GUID = b"258EAFA5-E914-47DA-95CA-C5AB0DC85B11"
LIFETIME = 120


def read_head(conn):
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = conn.recv(4096)
        if not chunk:
            return None, b""
        data += chunk
    head, _, rest = data.partition(b"\r\n\r\n")
    return head.decode("latin-1"), rest


def header(head, name):
    for line in head.split("\r\n")[1:]:
        key, _, value = line.partition(":")
        if key.strip().lower() == name.lower():
            return value.strip()
    return ""


def trickle(conn, data):
    for i in range(len(data)):
        conn.sendall(data[i:i + 1])
        time.sleep(0.002)


def read_frame(conn, buffer):
    """One client frame: (fin_and_opcode byte, payload, rest of buffer)."""
    def need(n):
        nonlocal buffer
        while len(buffer) < n:
            chunk = conn.recv(4096)
            if not chunk:
                raise EOFError
            buffer += chunk
    need(2)
    first, length = buffer[0], buffer[1] & 0x7F
    offset = 2
    if length == 126:
        need(4)
        length, offset = int.from_bytes(buffer[2:4], "big"), 4
    elif length == 127:
        need(10)
        length, offset = int.from_bytes(buffer[2:10], "big"), 10
    need(offset + 4 + length)
    mask = buffer[offset:offset + 4]
    payload = bytes(b ^ mask[i % 4] for i, b in enumerate(buffer[offset + 4:offset + 4 + length]))
    return first, payload, buffer[offset + 4 + length:]


def frame(first, payload):
    if len(payload) < 126:
        return bytes([first, len(payload)]) + payload
    return bytes([first, 126]) + len(payload).to_bytes(2, "big") + payload


def serve(conn):
    head, rest = read_head(conn)
    if head is None:
        return
    path = head.split(" ")[1] if " " in head else ""
    key = header(head, "Sec-WebSocket-Key").encode()
    accept = base64.b64encode(hashlib.sha1(key + GUID).digest()).decode()
    if path == "/refuse":
        body = b"no entry for you\n"
        trickle(conn, b"HTTP/1.1 403 Forbidden\r\nContent-Type: text/plain\r\n"
                      b"Content-Length: %d\r\n\r\n" % len(body) + body)
        return
    if path == "/bad-accept":
        accept = base64.b64encode(b"x" * 20).decode()
    response = ("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"
                "Connection: Upgrade\r\nSec-WebSocket-Accept: " + accept + "\r\n"
                "Sec-WebSocket-Protocol: chat\r\n\r\n").encode()
    trickle(conn, response[:-1])
    conn.sendall(response[-1:] + frame(0x89, b"ping after the head"))
    if path != "/trickle":
        return
    buffer = rest
    while True:
        first, payload, buffer = read_frame(conn, buffer)
        opcode = first & 0x0F
        if opcode == 0x8:
            conn.sendall(frame(0x88, payload[:2]))
            return
        if opcode in (0x1, 0x2, 0x0):
            conn.sendall(frame(first, payload))


def main(port):
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    signal.signal(signal.SIGALRM, lambda *_: sys.exit(0))
    signal.alarm(LIFETIME)
    listener = socket.create_server(("127.0.0.1", port))
    print(f"listening on {listener.getsockname()[1]}", flush=True)
    while True:
        conn, _ = listener.accept()
        conn.settimeout(10)
        try:
            serve(conn)
        except (OSError, EOFError) as error:
            print(f"connection: {error!r}", flush=True)
        finally:
            conn.close()


if __name__ == "__main__":
    try:
        main(int(sys.argv[1]) if len(sys.argv) > 1 else 0)
    except KeyboardInterrupt:
        pass
