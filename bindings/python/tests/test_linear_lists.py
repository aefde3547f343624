"""Reading long offered lists costs work linear in their length.

Each list accessor of the C library is O(1) (an index built once per request:
the Rust test ``reading_every_list_visits_each_element_once`` counts the
elements it visits), so what the Python side adds is the number of foreign
calls it makes: counted here, for n and 4n elements.
"""

from __future__ import annotations

from collections import Counter

import pytest

import wshandshake as wsh
from wshandshake import _connect, _ffi, _server

from conftest import RFC8441_REQUEST, replace_field

HEAD = (
    b"GET / HTTP/1.1\r\nHost: a\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
    b"Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
)


class CountingLibrary:
    """Counts calls through the declared-argtypes library object."""

    def __init__(self, lib: object, counter: Counter[str]) -> None:
        self._lib, self._counter = lib, counter

    def __getattr__(self, name: str) -> object:
        function = getattr(self._lib, name)

        def call(*args: object) -> object:
            self._counter[name] += 1
            return function(*args)

        return call


@pytest.fixture
def calls(monkeypatch: pytest.MonkeyPatch) -> Counter[str]:
    counter: Counter[str] = Counter()
    for module in (_server, _connect):
        monkeypatch.setattr(module, "lib", CountingLibrary(_ffi.lib, counter))
    return counter


def request_with_lists(n: int) -> bytes:
    """n subprotocols and n extension offers on two lines, the last offer with
    n parameters (the shape of the hostile request)."""
    half = n // 2
    params = ";".join(["q"] * n)
    return (
        HEAD
        + b"Sec-WebSocket-Protocol: " + b",".join([b"p"] * n) + b"\r\n"
        + b"Sec-WebSocket-Extensions: " + b",".join([b"a"] * half) + b"\r\n"
        + b"Sec-WebSocket-Extensions: " + b",".join([b"a"] * (n - half - 1))
        + b",b;" + params.encode() + b"\r\n\r\n"
    )


def test_server_properties_make_a_few_calls_per_element(calls: Counter[str]) -> None:
    config = wsh.ServerConfig(limits=wsh.Limits(max_head_bytes=1 << 20, max_header_line=1 << 19))
    totals = []
    for n in (1000, 4000):
        with wsh.ServerHandshake(config) as hs:
            hs.feed(request_with_lists(n))
            calls.clear()
            assert hs.subprotocols == ["p"] * n
            extensions = hs.extensions
            assert len(extensions) == n
            assert extensions[-1].name == "b"
            assert extensions[-1].params == [("q", None)] * n
            # Cached: reading again makes no call.
            total = sum(calls.values())
            assert hs.extensions == extensions
            assert sum(calls.values()) == total
            # Per element: one call per subprotocol, two per offer, one per
            # parameter, plus the counts and the head.
            assert total <= 4 * n + 4, calls
            totals.append(total)
    assert totals[1] <= 4 * totals[0] + 4


def test_connect_analyze_reads_the_lists_in_one_call(calls: Counter[str]) -> None:
    config = wsh.ServerConfig()
    for n in (1000, 4000):
        calls.clear()
        subprotocols = replace_field(RFC8441_REQUEST, b"sec-websocket-protocol", b",".join([b"p"] * n))
        fields = replace_field(subprotocols, b"sec-websocket-extensions", b",".join([b"x; y"] * n))
        request = wsh.connect_analyze(config, fields)
        assert request.outcome is wsh.ConnectOutcome.WEBSOCKET
        assert request.subprotocols == ["p"] * n
        assert request.extensions == [("x", "; y")] * n
        # The analysis, then both lists at once: each call analyses the
        # request once (linear), whatever n is.
        assert dict(calls) == {"wsh_connect_analyze": 1, "wsh_connect_offers": 1}


def padded_request(fields: int) -> bytes:
    filler = b"".join(b"X-Pad-%d: %s\r\n" % (i, b"p" * 80) for i in range(fields))
    return HEAD + filler + b"\r\n"


def byte_per_read(config: wsh.ServerConfig, request: bytes) -> tuple[wsh.Response, int]:
    """The README loop, a byte per read: the response and the bytes examined."""
    data, progress = bytearray(), wsh.RespondProgress()
    while (r := wsh.respond(config, data, progress)).decision is wsh.Decision.NEED_MORE:
        data.append(request[len(data)])
    return r, progress.examined


def test_the_read_loop_is_linear_with_progress() -> None:
    # Without a progress every call looks at all the bytes again: n squared
    # over 2 for a byte per read.
    config = wsh.ServerConfig(limits=wsh.Limits(max_head_bytes=1 << 20, max_headers=128))
    work = []
    for fields in (25, 103):
        request = padded_request(fields) + b"frame"
        whole = wsh.respond(config, request)
        r, examined = byte_per_read(config, request)
        assert r.decision is wsh.Decision.UPGRADE_WEBSOCKET
        assert (r.response, r.consumed, r.leftover) == (whole.response, whole.consumed, b"")
        assert examined <= 3 * len(request)
        work.append((len(request), examined))
    (n, w_n), (n4, w_4n) = work
    assert n4 >= 3.9 * n
    assert w_4n / n4 <= 1.05 * w_n / n


def test_progress_accepts_bytes_and_returns_the_leftover() -> None:
    config = wsh.ServerConfig()
    request = padded_request(2)
    progress = wsh.RespondProgress()
    assert wsh.respond(config, request[:10], progress).decision is wsh.Decision.NEED_MORE
    assert progress.scanned == 10
    r = wsh.respond(config, bytearray(request + b"\x81\x00"), progress)
    assert r.decision is wsh.Decision.UPGRADE_WEBSOCKET
    assert r.leftover == b"\x81\x00" and type(r.leftover) is bytes
    assert progress.scanned == 0, "a decided call resets the scan"
    with pytest.raises(TypeError):
        wsh.respond(config, request, object())  # type: ignore[arg-type]
