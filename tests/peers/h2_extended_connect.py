#!/usr/bin/env python3
"""Carries wshandshake's extended CONNECT field lists over a real HTTP/2
connection on loopback, using the `h2` package for both endpoints.

Driven by tests/extended_connect.rs (test `h2_peer_carries_our_field_lists`),
one JSON command per stdin line, one JSON answer per stdout line; bytes travel
as hex strings:

  {"op": "request", "fields": [[name, value], ...]}
      the client sends HEADERS on a new stream; answer
      {"server_got": [[name, value], ...], "stream": id}
  {"op": "respond", "stream": id, "fields": [...], "end_stream": bool}
      the server sends HEADERS; answer {"client_got": [[name, value], ...]}
  {"op": "data", "stream": id, "bytes": hex}
      the client sends DATA, the server echoes it; answer {"echo": hex}
  {"op": "quit"}

The server advertises SETTINGS_ENABLE_CONNECT_PROTOCOL = 1 (RFC 8441 §3).
Every wait is bounded; the script exits non-zero on any h2 error.
"""

import json
import select
import socket
import sys
import time

import h2.config
import h2.connection
import h2.events
import h2.settings

DEADLINE_SECONDS = 5.0


def pairs_out(headers):
    return [[bytes(n).hex(), bytes(v).hex()] for n, v in headers]


def pairs_in(fields):
    return [(bytes.fromhex(n), bytes.fromhex(v)) for n, v in fields]


class Loopback:
    """Two h2 endpoints joined by a real TCP connection on 127.0.0.1."""

    def __init__(self):
        listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        listener.bind(("127.0.0.1", 0))
        listener.listen(1)
        self.client_sock = socket.create_connection(listener.getsockname(), timeout=DEADLINE_SECONDS)
        self.server_sock, _ = listener.accept()
        listener.close()
        for s in (self.client_sock, self.server_sock):
            s.setblocking(False)
        self.client = h2.connection.H2Connection(h2.config.H2Configuration(client_side=True))
        self.server = h2.connection.H2Connection(
            h2.config.H2Configuration(client_side=False, header_encoding=None)
        )
        self.server.local_settings = h2.settings.Settings(
            client=False,
            initial_values={h2.settings.SettingCodes.ENABLE_CONNECT_PROTOCOL: 1},
        )
        self.client.initiate_connection()
        self.server.initiate_connection()
        self.events = {"client": [], "server": []}
        self.pump_until(lambda: self.client.remote_settings.enable_connect_protocol == 1)

    def flush(self):
        for conn, sock in ((self.client, self.client_sock), (self.server, self.server_sock)):
            data = conn.data_to_send()
            if data:
                sock.sendall(data)

    def pump_until(self, done):
        deadline = time.monotonic() + DEADLINE_SECONDS
        while True:
            self.flush()
            if done():
                return
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError("h2 peer: no progress")
            readable, _, _ = select.select([self.client_sock, self.server_sock], [], [], left)
            for sock in readable:
                data = sock.recv(65536)
                if not data:
                    raise ConnectionError("h2 peer: connection closed")
                side, conn = (
                    ("client", self.client) if sock is self.client_sock else ("server", self.server)
                )
                for event in conn.receive_data(data):
                    if isinstance(event, (h2.events.StreamReset, h2.events.ConnectionTerminated)):
                        raise RuntimeError(f"h2 peer: {side} got {event}")
                    if isinstance(event, h2.events.DataReceived):
                        conn.acknowledge_received_data(event.flow_controlled_length, event.stream_id)
                    self.events[side].append(event)

    def take(self, side, kind):
        for i, event in enumerate(self.events[side]):
            if isinstance(event, kind):
                return self.events[side].pop(i)
        return None

    def wait_for(self, side, kind):
        found = []

        def done():
            event = self.take(side, kind)
            if event is not None:
                found.append(event)
            return bool(found)

        self.pump_until(done)
        return found[0]


def main():
    link = Loopback()
    for line in sys.stdin:
        cmd = json.loads(line)
        op = cmd["op"]
        if op == "quit":
            break
        if op == "request":
            stream = link.client.get_next_available_stream_id()
            link.client.send_headers(stream, pairs_in(cmd["fields"]))
            event = link.wait_for("server", h2.events.RequestReceived)
            answer = {"server_got": pairs_out(event.headers), "stream": event.stream_id}
        elif op == "respond":
            stream = cmd["stream"]
            link.server.send_headers(stream, pairs_in(cmd["fields"]), end_stream=cmd["end_stream"])
            event = link.wait_for("client", h2.events.ResponseReceived)
            answer = {"client_got": pairs_out(event.headers)}
        elif op == "data":
            stream = cmd["stream"]
            link.client.send_data(stream, bytes.fromhex(cmd["bytes"]))
            got = link.wait_for("server", h2.events.DataReceived)
            link.server.send_data(stream, got.data)
            echo = link.wait_for("client", h2.events.DataReceived)
            answer = {"echo": echo.data.hex()}
        else:
            raise ValueError(f"unknown op {op}")
        print(json.dumps(answer), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
