"""Every ready-made rejection, through both paths, with its exception class."""

from __future__ import annotations

import pytest

import wshandshake as wsh
from wshandshake import Decision, ResultCode

from conftest import FRAME, has_header, status_line, ws_request

GOOD = ws_request().decode("latin-1")


def _config() -> wsh.ServerConfig:
    return wsh.ServerConfig(
        allowed_origins=["https://good.example"],
        limits=wsh.Limits(
            max_headers=10, max_request_line=200, max_header_line=200, max_head_bytes=600
        ),
    )


CASES = [
    (GOOD.replace("GET", "POST", 1), ResultCode.REQUEST_METHOD_NOT_ALLOWED, 405,
     wsh.InvalidUpgrade, ["Allow: GET", "Connection: close"]),
    (GOOD.replace("Version: 13", "Version: 12"), ResultCode.REQUEST_UNSUPPORTED_VERSION, 426,
     wsh.UnsupportedVersion, ["Sec-WebSocket-Version: 13", "Upgrade: websocket"]),
    (GOOD.replace("Sec-WebSocket-Version: 13\r\n", ""), ResultCode.REQUEST_MISSING_VERSION, 426,
     wsh.UnsupportedVersion, ["Sec-WebSocket-Version: 13"]),
    (GOOD.replace("dGhlIHNhbXBsZSBub25jZQ==", "short"), ResultCode.REQUEST_INVALID_KEY, 400,
     wsh.InvalidUpgrade, ["Connection: close"]),
    (GOOD.replace("Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n", ""),
     ResultCode.REQUEST_MISSING_KEY, 400, wsh.InvalidUpgrade, []),
    (GOOD.replace("Connection: Upgrade", "Connection: keep-alive"),
     ResultCode.REQUEST_MISSING_CONNECTION_UPGRADE, 400, wsh.InvalidUpgrade, []),
    (GOOD.replace("Host: example.com\r\n", ""), ResultCode.REQUEST_MISSING_HOST, 400,
     wsh.InvalidUpgrade, []),
    (GOOD.replace("Host: example.com", "Host: exa mple.com"), ResultCode.REQUEST_INVALID_HOST,
     400, wsh.InvalidUpgrade, []),
    (GOOD.replace("GET /chat", "GET *"), ResultCode.REQUEST_INVALID_TARGET, 400,
     wsh.InvalidUpgrade, []),
    (GOOD.replace("GET /chat", "GET example.com:80"), ResultCode.REQUEST_INVALID_TARGET, 400,
     wsh.InvalidUpgrade, []),
    (GOOD.replace("GET /chat", "GET /chat#top"), ResultCode.REQUEST_INVALID_TARGET, 400,
     wsh.InvalidUpgrade, []),
    (GOOD.replace("Host: example.com", "Host: a\r\nHost: b"), ResultCode.REQUEST_DUPLICATE_HOST,
     400, wsh.InvalidUpgrade, []),
    (GOOD.replace("\r\n\r\n", "\r\nOrigin: https://evil.example\r\n\r\n"),
     ResultCode.REQUEST_ORIGIN_NOT_ALLOWED, 403, wsh.InvalidOrigin, []),
    (GOOD.replace("\r\n\r\n", "\r\nOrigin: null\r\n\r\n"), ResultCode.REQUEST_ORIGIN_NOT_ALLOWED,
     403, wsh.InvalidOrigin, []),
    (GOOD.replace("\r\n\r\n", "\r\nA: 1\r\nB: 1\r\nC: 1\r\nD: 1\r\nE: 1\r\nF: 1\r\n\r\n"),
     ResultCode.REQUEST_TOO_MANY_HEADERS, 431, wsh.RequestTooLarge, []),
    (GOOD.replace("\r\n\r\n", "\r\nX-Long: " + "a" * 300 + "\r\n\r\n"),
     ResultCode.REQUEST_HEADER_LINE_TOO_LONG, 431, wsh.RequestTooLarge, []),
    (GOOD.replace("GET /chat", "GET /" + "a" * 300), ResultCode.REQUEST_LINE_TOO_LONG, 414,
     wsh.RequestTooLarge, []),
    (GOOD.replace("\r\n\r\n", "\r\n" + "\r\n".join(["X-Pad: " + "a" * 150] * 3) + "\r\n\r\n"),
     ResultCode.REQUEST_HEAD_TOO_LARGE, 431, wsh.RequestTooLarge, []),
    (GOOD.replace("\r\n\r\n", "\r\nContent-Length: 5\r\n\r\n"), ResultCode.REQUEST_HAS_BODY, 400,
     wsh.InvalidUpgrade, []),
    (GOOD.replace("\r\n\r\n", "\r\nSec-WebSocket-Protocol: a b\r\n\r\n"),
     ResultCode.REQUEST_INVALID_SUBPROTOCOL_LIST, 400, wsh.NegotiationFailed, []),
    (GOOD.replace("\r\n\r\n", "\r\nSec-WebSocket-Extensions: ;;\r\n\r\n"),
     ResultCode.REQUEST_INVALID_EXTENSION_LIST, 400, wsh.NegotiationFailed, []),
    ("GET / HTTP/1.1\r\nHost: a\r\n bad fold\r\n\r\n", ResultCode.REQUEST_OBSOLETE_LINE_FOLDING,
     400, wsh.MalformedRequest, []),
    ("GET / HTTP/1.1\nHost: a\n\n", ResultCode.REQUEST_BARE_LINE_FEED, 400,
     wsh.MalformedRequest, []),
]


@pytest.mark.parametrize("request_text,code,status,error_class,headers", CASES)
def test_rejection_through_both_paths(request_text, code, status, error_class, headers):
    config = _config()
    request = request_text.encode("latin-1") + FRAME

    one_shot = wsh.respond(config, request)
    with wsh.ServerHandshake(config) as hs:
        fed = hs.feed(request)
        assert fed.decision is Decision.REJECTED
        assert fed.code is code
        assert fed.consumed == len(request), "a rejection takes every byte"
        assert fed.leftover == b""
        assert isinstance(fed.error, error_class)
        assert fed.error.code is code
        assert fed.error.status == status == code.http_status
        assert hs.decision is Decision.REJECTED
        assert hs.code is code
        # The rejection is pending until drained, and data_to_send drains it.
        assert hs.response == fed.error.response
        response = hs.data_to_send()
        assert response == fed.error.response
        assert hs.data_to_send() == b""
        # The request of a rejected head is not available for inspection.
        with pytest.raises(wsh.StateError):
            hs.method
        with pytest.raises(wsh.StateError):
            hs.accept()
        with pytest.raises(wsh.StateError):
            hs.reject(403)
        with pytest.raises(error_class):
            fed.raise_for_error()

    assert status_line(response).startswith(f"HTTP/1.1 {status} ")
    for line in headers:
        assert has_header(response, line), (line, response)
    assert b"hello" not in response, "no request byte is echoed"

    if code is not ResultCode.REQUEST_OBSOLETE_LINE_FOLDING:
        assert one_shot.decision is Decision.REJECTED
        assert one_shot.code is code
        assert one_shot.status == status
        assert one_shot.response == response
        assert one_shot.consumed == len(request)
        assert isinstance(one_shot.error, error_class)


def test_lenient_switches_accept_legacy_requests():
    bare_lf = GOOD.replace("\r\n", "\n").encode()
    assert wsh.respond(wsh.ServerConfig(), bare_lf).decision is Decision.REJECTED
    assert (
        wsh.respond(wsh.ServerConfig(allow_bare_lf=True), bare_lf).decision
        is Decision.UPGRADE_WEBSOCKET
    )
    no_host = GOOD.replace("Host: example.com\r\n", "").encode()
    assert (
        wsh.respond(wsh.ServerConfig(allow_missing_host=True), no_host).decision
        is Decision.UPGRADE_WEBSOCKET
    )


def test_origin_policies():
    config = wsh.ServerConfig(allowed_origins=["https://Good.Example"], require_origin=True)
    with_origin = ws_request("Origin: https://good.example\r\n")
    assert wsh.respond(config, with_origin).decision is Decision.UPGRADE_WEBSOCKET
    missing = wsh.respond(config, ws_request())
    assert missing.code is ResultCode.REQUEST_ORIGIN_NOT_ALLOWED
    assert missing.status == 403


def test_required_subprotocol():
    config = wsh.ServerConfig(["chat"], require_subprotocol=True)
    r = wsh.respond(config, ws_request("Sec-WebSocket-Protocol: other\r\n"))
    assert r.code is ResultCode.REQUEST_NO_SUBPROTOCOL_MATCH
    assert isinstance(r.error, wsh.NegotiationFailed)
    ok = wsh.respond(config, ws_request("Sec-WebSocket-Protocol: other, chat\r\n"))
    assert ok.subprotocol == "chat"
