"""respond(): the one-call path, every decision."""

from __future__ import annotations

import pytest

import wshandshake as wsh
from wshandshake import Decision, ResultCode
from wshandshake import _ffi

from conftest import FRAME, RFC_ACCEPT, RFC_REQUEST, fixture, has_header, status_line, ws_request


def test_rfc6455_vector(chat_config):
    r = wsh.respond(chat_config, RFC_REQUEST)
    assert r.decision is Decision.UPGRADE_WEBSOCKET
    assert r.code is ResultCode.OK
    assert r.status == 101
    assert r.consumed == len(RFC_REQUEST)
    assert r.leftover == b""
    assert r.subprotocol == "chat"
    assert r.deflate is None
    assert r.error is None
    assert r.upgrade_protocol is None
    assert r.response.startswith(b"HTTP/1.1 101 Switching Protocols\r\n")
    assert has_header(r.response, f"Sec-WebSocket-Accept: {RFC_ACCEPT}")
    assert has_header(r.response, "Sec-WebSocket-Protocol: chat")
    assert r.response.endswith(b"\r\n\r\n")
    r.raise_for_error()  # nothing to raise


def test_accept_key_vector():
    assert wsh.accept_key("dGhlIHNhbXBsZSBub25jZQ==") == RFC_ACCEPT
    assert wsh.accept_key(b"dGhlIHNhbXBsZSBub25jZQ==") == RFC_ACCEPT
    with pytest.raises(TypeError):
        wsh.accept_key(12)  # type: ignore[arg-type]


def test_leftover_after_the_head(chat_config):
    r = wsh.respond(chat_config, RFC_REQUEST + FRAME)
    assert r.decision is Decision.UPGRADE_WEBSOCKET
    assert r.consumed == len(RFC_REQUEST)
    assert r.leftover == FRAME


def test_need_more_for_every_prefix(chat_config):
    for end in range(len(RFC_REQUEST)):
        r = wsh.respond(chat_config, RFC_REQUEST[:end])
        assert r.decision is Decision.NEED_MORE, end
        assert r.code is ResultCode.NEED_MORE
        assert (r.response, r.leftover, r.status, r.subprotocol) == (b"", b"", 0, None)


def test_bytes_like_inputs(chat_config):
    expected = wsh.respond(chat_config, RFC_REQUEST)
    for data in (bytearray(RFC_REQUEST), memoryview(RFC_REQUEST)):
        assert wsh.respond(chat_config, data) == expected
    with pytest.raises(TypeError):
        wsh.respond(chat_config, RFC_REQUEST.decode())  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        wsh.respond(chat_config, 5)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        wsh.respond("config", RFC_REQUEST)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "name", ["rfc6455_sample.http", "chrome_deflate.http", "three_subprotocols.http"]
)
def test_fixtures_match_the_object_path(name):
    config = wsh.ServerConfig(["chat", "v2.chat"], permessage_deflate=True)
    request = fixture(name)
    r = wsh.respond(config, request)
    with wsh.ServerHandshake(config) as hs:
        fed = hs.feed(request)
        assert fed.decision is r.decision is Decision.UPGRADE_WEBSOCKET
        assert hs.subprotocol == r.subprotocol
        assert hs.deflate == r.deflate
        hs.accept()
        assert hs.data_to_send() == r.response
    # The selected subprotocol is the one the 101 names.
    assert has_header(r.response, f"Sec-WebSocket-Protocol: {r.subprotocol}")


def test_chrome_deflate_offer(deflate_config):
    r = wsh.respond(deflate_config, fixture("chrome_deflate.http"))
    assert r.subprotocol == "chat"
    assert r.deflate == wsh.DeflateParams(False, False, 15, 15)
    assert has_header(r.response, "Sec-WebSocket-Extensions: permessage-deflate")


def test_subprotocols_with_equal_lengths_are_told_apart():
    config = wsh.ServerConfig(["v2.chat", "v3.chat"])
    request = fixture("three_subprotocols.http")  # offers v3.chat, v2.chat, chat
    assert wsh.respond(config, request).subprotocol == "v3.chat"
    server_pref = wsh.ServerConfig(["v2.chat", "v3.chat"], selection="server")
    assert wsh.respond(server_pref, request).subprotocol == "v2.chat"


def test_rejection_is_a_result_not_an_exception(chat_config):
    request = ws_request().replace(b"Sec-WebSocket-Version: 13", b"Sec-WebSocket-Version: 12")
    r = wsh.respond(chat_config, request + FRAME)
    assert r.decision is Decision.REJECTED
    assert r.code is ResultCode.REQUEST_UNSUPPORTED_VERSION
    assert r.status == 426
    assert status_line(r.response) == "HTTP/1.1 426 Upgrade Required"
    assert has_header(r.response, "Sec-WebSocket-Version: 13")
    assert r.consumed == len(request) + len(FRAME), "a rejection takes every byte"
    assert r.leftover == b""
    assert b"hello" not in r.response
    error = r.error
    assert isinstance(error, wsh.UnsupportedVersion)
    assert isinstance(error, wsh.InvalidRequest)
    assert error.status == 426
    assert error.code is ResultCode.REQUEST_UNSUPPORTED_VERSION
    assert error.response == r.response
    with pytest.raises(wsh.UnsupportedVersion):
        r.raise_for_error()


def test_not_upgrade_writes_nothing(chat_config):
    plain = b"GET /index.html HTTP/1.1\r\nHost: a\r\n\r\n"
    r = wsh.respond(chat_config, plain + b"next")
    assert r.decision is Decision.NOT_UPGRADE
    assert r.decision.is_plain_http
    assert (r.response, r.status, r.code) == (b"", 0, ResultCode.OK)
    assert r.consumed == len(plain)
    assert r.leftover == b"next"


def test_http10_and_unsupported_upgrades(chat_config):
    http10 = b"GET / HTTP/1.0\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n"
    assert wsh.respond(chat_config, http10).decision is Decision.NOT_UPGRADE_HTTP10
    other = b"GET / HTTP/1.1\r\nHost: a\r\nUpgrade: foo/1\r\nConnection: Upgrade\r\n\r\n"
    assert wsh.respond(chat_config, other).decision is Decision.NOT_UPGRADE_UNSUPPORTED


def test_http2_preface(chat_config):
    preface = b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"
    r = wsh.respond(chat_config, preface + b"\x00\x00")
    assert r.decision is Decision.HTTP2_PREFACE
    assert r.response == b""
    assert preface[: r.consumed] + r.leftover == preface + b"\x00\x00"


H2C_REQUEST = (
    b"GET / HTTP/1.1\r\nHost: a\r\nConnection: Upgrade, HTTP2-Settings\r\n"
    b"Upgrade: h2c\r\nHTTP2-Settings: AAMAAABkAARAAAAAAAIAAAAA\r\n\r\n"
)


def test_upgrade_other(chat_config):
    config = wsh.ServerConfig(upgrade_protocols=["h2c"])
    r = wsh.respond(config, H2C_REQUEST + b"PRI")
    assert r.decision is Decision.UPGRADE_OTHER
    assert r.decision.is_upgrade
    assert r.upgrade_protocol == "h2c"
    assert r.response == b"HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: h2c\r\n\r\n"
    assert r.leftover == b"PRI"
    # Without h2c configured the same request is not an upgrade.
    assert wsh.respond(chat_config, H2C_REQUEST).decision is Decision.NOT_UPGRADE_UNSUPPORTED


def test_obs_fold_is_always_rejected_by_respond():
    folded = ws_request("X-A: a\r\n folded\r\n")
    lenient = wsh.ServerConfig(allow_obs_fold=True)
    assert wsh.respond(lenient, folded).code is ResultCode.REQUEST_OBSOLETE_LINE_FOLDING
    with wsh.ServerHandshake(lenient) as hs:
        assert hs.feed(folded).decision is Decision.UPGRADE_WEBSOCKET
        # Unfolded in place: the line break becomes spaces.
        assert hs.headers["x-a"].split() == ["a", "folded"]


def test_large_response_takes_the_second_call_path():
    # A 2000-character subprotocol makes the 101 larger than the 1 KiB
    # per-thread buffer: the first call reports the size, the second writes.
    long_name = "x" * 2000
    config = wsh.ServerConfig([long_name])
    request = ws_request(f"Sec-WebSocket-Protocol: {long_name}\r\n")
    r = wsh.respond(config, request + FRAME)
    assert r.decision is Decision.UPGRADE_WEBSOCKET
    assert r.subprotocol == long_name
    assert len(r.response) > 2000
    assert has_header(r.response, f"Sec-WebSocket-Protocol: {long_name}")
    assert r.leftover == FRAME
    # The grown buffer is kept for the thread; small responses still work.
    assert _ffi.scratch().out_cap >= len(r.response)
    assert wsh.respond(config, RFC_REQUEST).decision is Decision.UPGRADE_WEBSOCKET


def test_forced_small_buffer_gives_the_same_result(chat_config):
    expected = wsh.respond(chat_config, RFC_REQUEST)
    scratch = _ffi.scratch()
    scratch.resize(16)
    try:
        assert wsh.respond(chat_config, RFC_REQUEST) == expected
        assert scratch.out_cap >= len(expected.response)
    finally:
        scratch.resize(_ffi.Scratch.INITIAL_CAPACITY)
