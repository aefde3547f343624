#!/usr/bin/env python3
"""Byte-level checks of the C echo server over raw sockets (tests/peers/run.sh).

    http_checks.py HOST PORT [--hold]

What the library peers do not exercise on their own:
- a request head fed one byte at a time (partial heads), then an echo;
- a request head and the client's first frame in one write: the bytes after
  the head must reach the framing layer before anything read later;
- several connections interleaving their partial heads;
- invalid upgrade requests: the engine's rejection (status, the fields it
  promises, Connection: close) and the connection closed after it;
- an upgrade to an unknown path (404 from wsh_server_reject());
- plain HTTP: GET / serves the browser page, other paths 404, POST 405.

Prints one line per check; exit status 0 when every check passed. With
--hold it only opens connections and keeps them open (see hold()).
"""

import base64
import hashlib
import os
import socket
import struct
import sys
import time

TIMEOUT = 5
GUID = b"258EAFA5-E914-47DA-95CA-C5AB0DC85B11"

failures = 0


def check(name, ok, detail=""):
    global failures
    if ok:
        print(f"ok: {name}")
    else:
        failures += 1
        print(f"FAIL: {name} {detail}")


def short(frame):
    opcode, payload = frame
    return (opcode, payload if len(payload) < 40 else payload[:20] + b"...")


def connect(host, port):
    sock = socket.create_connection((host, port), timeout=TIMEOUT)
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    return sock


def upgrade_request(host, port, path="/echo", key=None, extra=b""):
    key = key or base64.b64encode(os.urandom(16))
    head = (b"GET " + path.encode() + b" HTTP/1.1\r\n"
            b"Host: " + f"{host}:{port}".encode() + b"\r\n"
            b"Upgrade: websocket\r\n"
            b"Connection: Upgrade\r\n"
            b"Sec-WebSocket-Key: " + key + b"\r\n"
            b"Sec-WebSocket-Version: 13\r\n"
            b"Sec-WebSocket-Protocol: chat\r\n" + extra + b"\r\n")
    return head, key


def masked_frame(opcode, payload):
    mask = os.urandom(4)
    if len(payload) < 126:
        header = struct.pack("!BB", 0x80 | opcode, 0x80 | len(payload))
    else:
        header = struct.pack("!BBH", 0x80 | opcode, 0x80 | 126, len(payload))
    body = bytes(b ^ mask[i % 4] for i, b in enumerate(payload))
    return header + mask + body


def read_until(sock, buffer, predicate):
    """Reads into `buffer` until predicate(buffer) or end of stream."""
    deadline = time.monotonic() + TIMEOUT
    while not predicate(buffer):
        sock.settimeout(max(0.01, deadline - time.monotonic()))
        chunk = sock.recv(65536)
        if not chunk:
            break
        buffer.extend(chunk)
    return buffer


def read_head(sock):
    """Returns (status, headers dict with lower-case names, rest)."""
    data = read_until(sock, bytearray(), lambda b: b"\r\n\r\n" in b)
    head, _, rest = bytes(data).partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split(" ")[1]) if lines[0].startswith("HTTP/1.1 ") else 0
    headers = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    return status, headers, bytearray(rest)


def read_frame(sock, buffer):
    """Reads one unmasked server frame: (opcode, payload)."""
    read_until(sock, buffer, lambda b: len(b) >= 2)
    if len(buffer) < 2:
        return None, b""
    opcode, length = buffer[0] & 0x0F, buffer[1] & 0x7F
    offset = 2
    if length == 126:
        read_until(sock, buffer, lambda b: len(b) >= 4)
        length, offset = struct.unpack("!H", buffer[2:4])[0], 4
    read_until(sock, buffer, lambda b: len(b) >= offset + length)
    payload = bytes(buffer[offset:offset + length])
    del buffer[:offset + length]
    return opcode, payload


def closed_by_server(sock, rest=b""):
    """True when the server closes the connection (reads to end of stream)."""
    try:
        read_until(sock, bytearray(rest), lambda b: False)
        return True
    except (socket.timeout, TimeoutError):
        return False
    except ConnectionResetError:
        return True


def expect_upgrade(sock, key, label):
    status, headers, rest = read_head(sock)
    accept = base64.b64encode(hashlib.sha1(key + GUID).digest()).decode()
    check(f"{label}: 101", status == 101, f"(got {status})")
    check(f"{label}: Sec-WebSocket-Accept", headers.get("sec-websocket-accept") == accept)
    check(f"{label}: subprotocol chat", headers.get("sec-websocket-protocol") == "chat")
    return rest


def echo_and_close(sock, rest, label, payload=b"ping through the echo"):
    opcode, data = read_frame(sock, rest)
    check(f"{label}: text echo", (opcode, data) == (1, payload), f"(got {opcode}, {data!r})")
    sock.sendall(masked_frame(8, struct.pack("!H", 1000)))
    opcode, data = read_frame(sock, rest)
    check(f"{label}: close reply 1000", opcode == 8 and data[:2] == struct.pack("!H", 1000),
          f"(got {opcode}, {data!r})")
    check(f"{label}: server closes the TCP connection", closed_by_server(sock, rest))


def byte_at_a_time(host, port):
    head, key = upgrade_request(host, port)
    with connect(host, port) as sock:
        for i in range(len(head)):
            sock.sendall(head[i:i + 1])
            if i % 16 == 0:
                time.sleep(0.001)  # let the server see many partial heads
        rest = expect_upgrade(sock, key, "byte at a time")
        sock.sendall(masked_frame(1, b"ping through the echo"))
        echo_and_close(sock, rest, "byte at a time")


def head_and_frames_together(host, port):
    head, key = upgrade_request(host, port)
    big = bytes(range(256)) * 8
    with connect(host, port) as sock:
        # The first frames travel in the same segment as the head: they are
        # the bytes the handshake leaves over.
        sock.sendall(head + masked_frame(1, b"first") + masked_frame(2, big) +
                     masked_frame(9, b"are you there"))
        rest = expect_upgrade(sock, key, "head + frames in one write")
        got = [read_frame(sock, rest) for _ in range(3)]
        # A pong may overtake the echoes (control frames can be sent between
        # messages); the two messages keep their order.
        messages = [frame for frame in got if frame[0] in (1, 2)]
        check("head + frames: text then binary echoed",
              messages == [(1, b"first"), (2, big)], f"(got {[short(f) for f in got]})")
        check("head + frames: pong", (10, b"are you there") in got,
              f"(got {[short(f) for f in got]})")
        sock.sendall(masked_frame(1, b"ping through the echo"))
        echo_and_close(sock, rest, "head + frames")


def interleaved(host, port, count=8):
    requests = [upgrade_request(host, port) for _ in range(count)]
    socks = [connect(host, port) for _ in range(count)]
    try:
        for sock, (head, _) in zip(socks, requests):
            sock.sendall(head[:40])
        for sock, (head, _) in zip(socks, requests):
            sock.sendall(head[40:90])
        for sock, (head, _) in zip(socks, requests):
            sock.sendall(head[90:])
        ok = True
        for n, (sock, (_, key)) in enumerate(zip(socks, requests)):
            status, headers, rest = read_head(sock)
            accept = base64.b64encode(hashlib.sha1(key + GUID).digest()).decode()
            sock.sendall(masked_frame(1, f"connection {n}".encode()))
            frame = read_frame(sock, rest)
            ok = ok and status == 101 and headers.get("sec-websocket-accept") == accept \
                and frame == (1, f"connection {n}".encode())
        check(f"{count} interleaved partial heads, each echoed", ok)
    finally:
        for sock in socks:
            sock.close()


def rejections(host, port):
    cases = [
        ("missing Sec-WebSocket-Key",
         b"GET /echo HTTP/1.1\r\nHost: h\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
         b"Sec-WebSocket-Version: 13\r\n\r\n", 400, {}),
        ("key of 15 bytes",
         b"GET /echo HTTP/1.1\r\nHost: h\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
         b"Sec-WebSocket-Key: " + base64.b64encode(b"x" * 15) + b"\r\n"
         b"Sec-WebSocket-Version: 13\r\n\r\n", 400, {}),
        ("version 8",
         b"GET /echo HTTP/1.1\r\nHost: h\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
         b"Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 8\r\n\r\n",
         426, {"sec-websocket-version": "13"}),
        ("POST upgrade",
         b"POST /echo HTTP/1.1\r\nHost: h\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
         b"Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n",
         405, {"allow": "GET"}),
        ("no Host",
         b"GET /echo HTTP/1.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
         b"Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n",
         400, {}),
        ("obsolete line folding",
         b"GET /echo HTTP/1.1\r\nHost: h\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
         b"X-Folded: a\r\n b\r\n"
         b"Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n",
         400, {}),
        ("bare LF line endings",
         b"GET /echo HTTP/1.1\nHost: h\nUpgrade: websocket\nConnection: Upgrade\n"
         b"Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\nSec-WebSocket-Version: 13\n\n", 400, {}),
        ("head over 16 KiB",
         b"GET /echo HTTP/1.1\r\nHost: h\r\n" + b"X-Filler: " + b"a" * 4000 + b"\r\n"
         + (b"X-More: " + b"b" * 4000 + b"\r\n") * 4 + b"\r\n", 431, {}),
        ("Upgrade without Connection: upgrade",
         b"GET /echo HTTP/1.1\r\nHost: h\r\nUpgrade: websocket\r\nConnection: keep-alive\r\n"
         b"Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n",
         400, {}),
        ("upgrade to an unknown path", upgrade_request(host, port, path="/nowhere")[0], 404, {}),
    ]
    for name, request, want_status, want_headers in cases:
        with connect(host, port) as sock:
            try:
                sock.sendall(request)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the server may answer and close before reading it all
            try:
                status, headers, rest = read_head(sock)
            except ConnectionResetError:
                status, headers, rest = 0, {}, b""
            connection = [t.strip().lower() for t in headers.get("connection", "").split(",")]
            ok = status == want_status and "close" in connection and all(
                headers.get(k) == v for k, v in want_headers.items())
            check(f"rejects {name}: {want_status}", ok, f"(got {status} {headers})")
            check(f"rejects {name}: closes the connection", closed_by_server(sock, rest))


def plain_http(host, port):
    for method, path, want in [("GET", "/", 200), ("GET", "/favicon.ico", 404),
                               ("POST", "/", 405)]:
        with connect(host, port) as sock:
            sock.sendall(f"{method} {path} HTTP/1.1\r\nHost: {host}:{port}\r\n"
                         f"Content-Length: 0\r\n\r\n".encode())
            status, headers, rest = read_head(sock)
            body = bytes(read_until(sock, rest, lambda b: False))
            length_ok = int(headers.get("content-length", -1)) == len(body)
            check(f"{method} {path}: {want}", status == want and length_ok,
                  f"(got {status}, {len(body)} bytes, {headers})")
            if want == 200:
                check("GET /: the browser test page",
                      b"<div id=result>" in body and b"new WebSocket(" in body)
    # Requests whose Upgrade field must be ignored are ordinary requests.
    for name, request in [
        ("HTTP/1.0 with Upgrade: websocket",
         b"GET / HTTP/1.0\r\nHost: h\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
         b"Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n"),
        ("Upgrade: h2c (not supported here)",
         b"GET / HTTP/1.1\r\nHost: h\r\nUpgrade: h2c\r\nConnection: Upgrade, HTTP2-Settings\r\n"
         b"HTTP2-Settings: AAMAAABkAAQAAP__\r\n\r\n"),
    ]:
        with connect(host, port) as sock:
            sock.sendall(request)
            status, headers, rest = read_head(sock)
            check(f"{name}: served as plain HTTP (200)", status == 200, f"(got {status})")
    with connect(host, port) as sock:
        sock.sendall(b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n")
        data = bytes(read_until(sock, bytearray(), lambda b: False))
        check("HTTP/2 preface: closed without a response", data == b"", f"(got {data[:40]!r})")


def hold(host, port, seconds=30):
    """Leaves connections open in every state, for a shutdown test: a partial
    head, an upgraded connection with half a frame sent, an idle upgraded
    one. Prints "holding" once they are set up."""
    partial = connect(host, port)
    partial.sendall(upgrade_request(host, port)[0][:30])
    half_frame = connect(host, port)
    head, key = upgrade_request(host, port)
    half_frame.sendall(head)
    expect_upgrade(half_frame, key, "hold: half a frame")
    half_frame.sendall(masked_frame(1, b"never finished")[:8])
    idle = connect(host, port)
    head, key = upgrade_request(host, port)
    idle.sendall(head + masked_frame(1, b"ping through the echo"))
    rest = expect_upgrade(idle, key, "hold: idle")
    check("hold: idle connection echoed", read_frame(idle, rest) == (1, b"ping through the echo"))
    print("holding" if failures == 0 else "FAIL", flush=True)
    time.sleep(seconds)
    for sock in (partial, half_frame, idle):
        sock.close()


def main():
    if len(sys.argv) == 4 and sys.argv[3] == "--hold":
        hold(sys.argv[1], int(sys.argv[2]))
        sys.exit(0)
    if len(sys.argv) != 3:
        sys.exit(f"usage: {sys.argv[0]} HOST PORT [--hold]")
    host, port = sys.argv[1], int(sys.argv[2])
    for run in (byte_at_a_time, head_and_frames_together, interleaved, rejections, plain_http):
        try:
            run(host, port)
        except Exception as error:  # a crash of one group is a failure, not the end
            check(run.__name__, False, f"raised {type(error).__name__}: {error}")
    print("PASS" if failures == 0 else f"FAIL: {failures} checks failed")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
