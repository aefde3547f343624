"""One config shared by several threads: respond() and ServerHandshake."""

from __future__ import annotations

import threading

import wshandshake as wsh
from wshandshake import Decision

from conftest import FRAME, fixture, ws_request

THREADS = 6
ROUNDS = 300


def test_one_config_many_threads():
    config = wsh.ServerConfig(["chat", "v2.chat"], permessage_deflate=True)
    long_name = "y" * 1500
    big_config = wsh.ServerConfig([long_name])
    requests = [
        fixture("rfc6455_sample.http"),
        fixture("chrome_deflate.http"),
        fixture("three_subprotocols.http") + FRAME,
        ws_request().replace(b"13", b"12"),
        b"GET / HTTP/1.1\r\nHost: a\r\n\r\n",
    ]
    expected = [wsh.respond(config, r) for r in requests]
    big_request = ws_request(f"Sec-WebSocket-Protocol: {long_name}\r\n")
    big_expected = wsh.respond(big_config, big_request)
    failures: list[str] = []
    start = threading.Barrier(THREADS)

    def work(worker: int) -> None:
        start.wait()
        try:
            for round_ in range(ROUNDS):
                index = (worker + round_) % len(requests)
                got = wsh.respond(config, requests[index])
                if got != expected[index]:
                    failures.append(f"respond {index}: {got!r}")
                if round_ % 10 == worker % 10:
                    # Grows this thread's buffer mid-run (the second-call path).
                    if wsh.respond(big_config, big_request) != big_expected:
                        failures.append("big respond")
                with wsh.ServerHandshake(config) as hs:
                    fed = hs.feed(requests[index])
                    if fed.decision is not expected[index].decision:
                        failures.append(f"feed {index}: {fed!r}")
                    if fed.decision is Decision.UPGRADE_WEBSOCKET:
                        hs.accept()
                    if fed.decision is not Decision.NOT_UPGRADE:
                        if hs.data_to_send() != expected[index].response:
                            failures.append(f"response {index}")
        except Exception as error:  # pragma: no cover - reported below
            failures.append(repr(error))

    threads = [threading.Thread(target=work, args=(i,)) for i in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
        assert not thread.is_alive()
    assert failures == []


def test_a_handle_may_move_between_threads():
    config = wsh.ServerConfig(["chat"])
    hs = wsh.ServerHandshake(config)
    request = fixture("rfc6455_sample.http")
    results = []
    first = threading.Thread(target=lambda: results.append(hs.feed(request[:40])))
    first.start()
    first.join()
    second = threading.Thread(target=lambda: results.append(hs.feed(request[40:])))
    second.start()
    second.join()
    assert [r.decision for r in results] == [Decision.NEED_MORE, Decision.UPGRADE_WEBSOCKET]
    hs.accept()
    assert hs.data_to_send() == wsh.respond(config, request).response
    hs.close()
