"""How many foreign calls each path makes per handshake.

The hot-path functions are module-level names bound once; the test wraps them
(and the declared-argtypes library object) with counters.
"""

from __future__ import annotations

from collections import Counter

import pytest

import wshandshake as wsh
from wshandshake import _ffi, _respond, _server

from conftest import RFC_REQUEST, fixture

RAW_NAMES = {
    _respond: ["_raw_respond"],
    _server: ["_raw_new", "_raw_free", "_raw_reset", "_raw_feed", "_raw_accept", "_raw_drain"],
}


class CountingLibrary:
    """Counts calls through the declared-argtypes library object."""

    def __init__(self, lib, counter):
        self._lib, self._counter = lib, counter

    def __getattr__(self, name):
        function = getattr(self._lib, name)

        def call(*args):
            self._counter[name] += 1
            return function(*args)

        return call


@pytest.fixture
def calls(monkeypatch):
    counter: Counter[str] = Counter()
    for module, names in RAW_NAMES.items():
        for name in names:
            function = getattr(module, name)

            def counted(*args, _f=function, _n=name):
                counter[_n] += 1
                return _f(*args)

            monkeypatch.setattr(module, name, counted)
    for module in (_respond, _server):
        monkeypatch.setattr(module, "lib", CountingLibrary(_ffi.lib, counter))
    return counter


@pytest.mark.parametrize(
    "name", ["rfc6455_sample.http", "chrome_deflate.http", "three_subprotocols.http"]
)
def test_respond_makes_one_call(calls, name):
    config = wsh.ServerConfig(["chat"], permessage_deflate=True)
    request = fixture(name)
    wsh.respond(config, request)  # the thread's buffers exist from here on
    calls.clear()
    r = wsh.respond(config, request)
    assert r.decision is wsh.Decision.UPGRADE_WEBSOCKET
    assert r.subprotocol == "chat"
    assert sum(calls.values()) == 1, calls


def test_object_path_calls(calls):
    config = wsh.ServerConfig(["chat"])
    # First handshake on a config: new + feed + accept + drain + reset (close).
    with wsh.ServerHandshake(config) as hs:
        hs.feed(RFC_REQUEST)
        hs.accept()
        hs.data_to_send()
    assert dict(calls) == {
        "_raw_new": 1,
        "_raw_feed": 1,
        "_raw_accept": 1,
        "_raw_drain": 1,
        "_raw_reset": 1,
    }
    # Later handshakes reuse the pooled handle: four calls each.
    calls.clear()
    with wsh.ServerHandshake(config) as hs:
        hs.feed(RFC_REQUEST)
        hs.accept()
        assert hs.subprotocol == "chat"  # inspection is one declared call
        hs.data_to_send()
    assert dict(calls) == {
        "_raw_feed": 1,
        "_raw_accept": 1,
        "_raw_drain": 1,
        "_raw_reset": 1,
        "wsh_server_subprotocol": 1,
    }
