"""ServerHandshake: incremental input, inspection, answers, life cycle, misuse."""

from __future__ import annotations

import gc

import pytest

import wshandshake as wsh
from wshandshake import POLICY, Decision, ResultCode

from conftest import (
    FRAME,
    RFC8441_REQUEST,
    RFC_ACCEPT,
    RFC_REQUEST,
    fixture,
    has_header,
    status_line,
    ws_request,
)


def test_rfc_sample_full_cycle(chat_config):
    with wsh.ServerHandshake(chat_config) as hs:
        assert hs.decision is Decision.NEED_MORE
        result = hs.feed(RFC_REQUEST + FRAME)
        assert result == wsh.FeedResult(
            Decision.UPGRADE_WEBSOCKET, len(RFC_REQUEST), FRAME, ResultCode.OK, None
        )
        result.raise_for_error()
        assert hs.subprotocol == "chat"  # what the policy picks
        assert not hs.accepted
        assert hs.response == b""
        hs.accept()
        assert hs.accepted
        pending = hs.response
        assert pending.startswith(b"HTTP/1.1 101 ")
        assert has_header(pending, f"Sec-WebSocket-Accept: {RFC_ACCEPT}")
        assert hs.data_to_send() == pending
        assert hs.data_to_send() == b""
        assert hs.response == b""
        assert hs.subprotocol == "chat"  # what the 101 selected


def test_byte_at_a_time_equals_one_chunk(deflate_config):
    request = fixture("chrome_deflate.http") + FRAME
    with wsh.ServerHandshake(deflate_config) as whole:
        expected = whole.feed(request)
        whole.accept()
        expected_response = whole.data_to_send()
    with wsh.ServerHandshake(deflate_config) as hs:
        head_length = expected.consumed
        for i in range(head_length - 1):
            r = hs.feed(request[i : i + 1])
            assert (r.decision, r.consumed, r.leftover) == (Decision.NEED_MORE, 1, b"")
        last = hs.feed(request[head_length - 1 :])
        assert last.decision is Decision.UPGRADE_WEBSOCKET
        assert last.consumed == 1
        assert last.leftover == FRAME
        hs.accept()
        assert hs.data_to_send() == expected_response


def test_split_anywhere_gives_the_same_decision(chat_config):
    with wsh.ServerHandshake(chat_config) as hs:
        for split in range(1, len(RFC_REQUEST)):
            hs.reset()
            first = hs.feed(RFC_REQUEST[:split])
            assert first.decision is Decision.NEED_MORE
            second = hs.feed(RFC_REQUEST[split:] + FRAME)
            assert second.decision is Decision.UPGRADE_WEBSOCKET
            assert second.leftover == FRAME


def test_inspection_of_a_real_chromium_request():
    config = wsh.ServerConfig(["chat"], permessage_deflate=True)
    with wsh.ServerHandshake(config) as hs:
        hs.feed(fixture("chromium.http"))
        assert hs.method == "GET"
        assert hs.target == "/chat?room=1"
        assert hs.path == "/chat"
        assert hs.query == "room=1"
        assert hs.host.startswith("127.0.0.1:")
        assert hs.origin.startswith("http://127.0.0.1:")
        assert hs.http_version == "1.1"
        assert hs.head == fixture("chromium.http")
        headers = hs.headers
        assert isinstance(headers, wsh.Headers)
        assert headers["sec-websocket-version"] == "13"
        assert headers["SEC-WEBSOCKET-VERSION"] == "13"
        assert "Upgrade" in headers and "upgrade" in headers and "nope" not in headers
        assert headers.get("x-none") is None
        assert list(headers)[0] == "Host"
        assert len(headers) == 13
        assert headers.raw_items()[0][0] == "Host"
        assert hs.header("user-agent").startswith("Mozilla/5.0")
        with pytest.raises(KeyError):
            headers["x-none"]
        with pytest.raises(TypeError):
            headers["a"] = "b"  # type: ignore[index]
        assert hs.subprotocols == ["chat", "superchat"]
        assert hs.extensions == [
            wsh.Extension("permessage-deflate", [("client_max_window_bits", None)])
        ]
        assert hs.extensions[0].get("client_max_window_bits") is None
        assert hs.subprotocol == "chat"
        assert hs.deflate == wsh.DeflateParams(False, False, 15, 15)
        assert hs.upgrade_protocol is None
        assert hs.http2_settings is None


def test_repeated_headers_and_quoted_extension_parameters():
    request = ws_request(
        "Sec-WebSocket-Protocol: a\r\nSec-WebSocket-Protocol: b, c\r\n"
        'Sec-WebSocket-Extensions: x-foo; b="q\\r"; c=1, x-bar\r\n'
        "X-Cafe: caf\xe9\r\n"
    )
    with wsh.ServerHandshake(wsh.ServerConfig()) as hs:
        assert hs.feed(request).decision is Decision.UPGRADE_WEBSOCKET
        assert hs.headers.get_all("sec-websocket-protocol") == ["a", "b, c"]
        assert hs.headers["Sec-WebSocket-Protocol"] == "a"
        assert hs.headers.get_all("x-none") == []
        assert hs.subprotocols == ["a", "b", "c"]
        assert hs.subprotocol is None
        assert hs.extensions == [
            wsh.Extension("x-foo", [("b", "qr"), ("c", "1")]),
            wsh.Extension("x-bar", []),
        ]
        # Names and values are ISO-8859-1: every byte is one character.
        assert hs.headers["x-cafe"] == "caf\xe9"
        assert hs.query is None
        assert hs.origin is None


def test_accept_options(chat_config):
    offering_x_foo = RFC_REQUEST.replace(
        b"Sec-WebSocket-Version: 13\r\n",
        b"Sec-WebSocket-Version: 13\r\nSec-WebSocket-Extensions: x-foo\r\n",
    )
    with wsh.ServerHandshake(chat_config) as hs:
        hs.feed(offering_x_foo)
        with pytest.raises(wsh.SubprotocolNotOffered):
            hs.accept(subprotocol="other")
        with pytest.raises(wsh.InvalidHeader):
            hs.accept(headers=[("Bad Name", "x")])
        with pytest.raises(wsh.InvalidHeader):
            hs.accept(headers=[("X-A", "a\r\nInjected: 1")])
        with pytest.raises(wsh.InvalidHeader):
            hs.accept(headers={"Sec-WebSocket-Accept": "forged"})
        with pytest.raises(wsh.InvalidHeader):
            hs.accept(headers=[("X-A", "\u20ac")])  # not ISO-8859-1
        with pytest.raises(wsh.UsageError):
            hs.accept(extensions=["x-foo; a, x-bar"])
        # RFC 6455 section 9.1: only offered extensions; permessage-deflate is
        # negotiated by the engine, never added.
        with pytest.raises(wsh.UsageError) as refused:
            hs.accept(extensions=["x-never-offered"])
        assert refused.value.code is wsh.ResultCode.EXTENSION_NOT_OFFERED
        with pytest.raises(wsh.UsageError) as refused:
            hs.accept(extensions=["permessage-deflate; server_max_window_bits=9"])
        assert refused.value.code is wsh.ResultCode.RESERVED_EXTENSION
        with pytest.raises(TypeError):
            hs.accept(headers=[("X-A",)])  # type: ignore[list-item]
        with pytest.raises(TypeError):
            hs.accept(subprotocol=5)  # type: ignore[arg-type]
        with pytest.raises(TypeError):
            hs.accept(extensions="x-foo")
        with pytest.raises(TypeError):
            hs.accept(extensions=[5])  # type: ignore[list-item]
        with pytest.raises(TypeError):
            hs.accept(decline_deflate=1)  # type: ignore[arg-type]
        assert not hs.accepted, "failed accepts change nothing"
        hs.accept(
            subprotocol="superchat",
            headers={"Set-Cookie": "a=1", "X-Bytes": b"v"},
            extensions=["x-foo; level=2"],
        )
        response = hs.data_to_send()
        assert has_header(response, "Sec-WebSocket-Protocol: superchat")
        assert has_header(response, "Set-Cookie: a=1")
        assert has_header(response, "X-Bytes: v")
        assert has_header(response, "Sec-WebSocket-Extensions: x-foo; level=2")
        assert hs.subprotocol == "superchat"
        with pytest.raises(wsh.StateError, match="already accepted"):
            hs.accept()


def test_accept_without_subprotocol_and_declining_deflate(deflate_config):
    with wsh.ServerHandshake(deflate_config) as hs:
        hs.feed(fixture("chrome_deflate.http"))
        assert hs.deflate is not None
        hs.accept(subprotocol=None, decline_deflate=True)
        response = hs.data_to_send()
        assert b"Sec-WebSocket-Protocol" not in response
        assert b"Sec-WebSocket-Extensions" not in response
        assert hs.subprotocol is None
        assert hs.deflate is None


def test_a_subprotocol_may_be_named_in_bytes(chat_config):
    # One options builder serves accept() and connect_respond(): str or bytes.
    with wsh.ServerHandshake(chat_config) as hs:
        hs.feed(RFC_REQUEST)
        hs.accept(subprotocol=b"superchat")
        assert has_header(hs.data_to_send(), "Sec-WebSocket-Protocol: superchat")
    response = wsh.connect_respond(chat_config, RFC8441_REQUEST, subprotocol=b"superchat")
    assert response.subprotocol == "superchat"


def test_accept_with_explicit_policy(chat_config):
    with wsh.ServerHandshake(chat_config) as hs:
        hs.feed(RFC_REQUEST)
        hs.accept(subprotocol=POLICY, headers=[("X-A", "1")])
        assert has_header(hs.data_to_send(), "Sec-WebSocket-Protocol: chat")


def test_response_larger_than_capacity_is_refused():
    config = wsh.ServerConfig(response_capacity=256)
    with wsh.ServerHandshake(config) as hs:
        hs.feed(RFC_REQUEST)
        with pytest.raises(wsh.ResponseTooLarge):
            hs.accept(headers=[("X-Big", "a" * 300)])
        hs.accept()
        assert hs.data_to_send().startswith(b"HTTP/1.1 101")


def test_custom_rejection(chat_config):
    with wsh.ServerHandshake(chat_config) as hs:
        hs.feed(RFC_REQUEST)
        with pytest.raises(wsh.UsageError) as status_error:
            hs.reject(200)
        assert status_error.value.code is ResultCode.INVALID_STATUS
        with pytest.raises(wsh.UsageError):
            hs.reject(70000)
        with pytest.raises(wsh.InvalidHeader):
            hs.reject(401, headers=[("X-A", "a\nb")])
        with pytest.raises(wsh.InvalidHeader):
            hs.reject(401, headers=[("Content-Length", "3")])
        with pytest.raises(TypeError):
            hs.reject("401")  # type: ignore[arg-type]
        with pytest.raises(TypeError):
            hs.reject(401, body=5)  # type: ignore[arg-type]
        hs.reject(401, headers=[("WWW-Authenticate", 'Bearer realm="chat"')], body=b"login first")
        response = hs.data_to_send()
        assert status_line(response) == "HTTP/1.1 401 Unauthorized"
        assert has_header(response, 'WWW-Authenticate: Bearer realm="chat"')
        assert has_header(response, "Connection: close")
        assert has_header(response, "Content-Length: 11")
        assert response.endswith(b"\r\n\r\nlogin first")
        assert not hs.accepted
        with pytest.raises(wsh.StateError, match="already answered"):
            hs.reject(403)
        with pytest.raises(wsh.StateError):
            hs.accept()


_H2C_REQUEST = (
    b"GET / HTTP/1.1\r\nHost: a\r\nConnection: Upgrade, HTTP2-Settings\r\n"
    b"Upgrade: h2c\r\nHTTP2-Settings: AAMAAABkAARAAAAAAAIAAAAA\r\n\r\n"
)
_STATUS_CASES = [
    # (request, decision, lowest status reject() takes): reject's docstring.
    (RFC_REQUEST, Decision.UPGRADE_WEBSOCKET, 300),
    (_H2C_REQUEST, Decision.UPGRADE_OTHER, 300),
    (b"GET /x HTTP/1.1\r\nHost: a\r\n\r\n", Decision.NOT_UPGRADE, 200),
    (b"GET / HTTP/1.0\r\nUpgrade: websocket\r\n\r\n", Decision.NOT_UPGRADE_HTTP10, 200),
    (
        b"GET / HTTP/1.1\r\nHost: a\r\nUpgrade: foo/1\r\nConnection: Upgrade\r\n\r\n",
        Decision.NOT_UPGRADE_UNSUPPORTED,
        200,
    ),
]


@pytest.mark.parametrize(("request_bytes", "decision", "lowest"), _STATUS_CASES)
def test_reject_takes_exactly_the_documented_statuses(request_bytes, decision, lowest):
    config = wsh.ServerConfig(["chat"], upgrade_protocols=["h2c"])
    with wsh.ServerHandshake(config) as hs:
        for status in (lowest, 599):
            hs.reset()
            assert hs.feed(request_bytes).decision is decision
            hs.reject(status)
            assert hs.data_to_send().startswith(f"HTTP/1.1 {status} ".encode())
        hs.reset()
        hs.feed(request_bytes)
        for status in (100, 101, lowest - 1, 600):
            with pytest.raises(wsh.UsageError) as refused:
                hs.reject(status)
            assert refused.value.code is ResultCode.INVALID_STATUS, status
        # A refused status changes nothing: the request may still be answered.
        assert hs.response == b""
        hs.reject(lowest)
        assert hs.data_to_send().startswith(f"HTTP/1.1 {lowest} ".encode())


def test_plain_answers_204_without_a_body_and_426_names_upgrade_in_connection(chat_config):
    with wsh.ServerHandshake(chat_config) as hs:
        assert hs.feed(b"GET /x HTTP/1.1\r\nHost: a\r\n\r\n").decision is Decision.NOT_UPGRADE
        with pytest.raises(wsh.UsageError) as refused:
            hs.reject(204, body=b"x")
        assert refused.value.code is ResultCode.BODY_NOT_ALLOWED
        hs.reject(204)
        response = hs.data_to_send()
        assert status_line(response) == "HTTP/1.1 204 No Content"
        assert b"Content-Length" not in response and response.endswith(b"\r\n\r\n")
    with wsh.ServerHandshake(chat_config) as hs:
        hs.feed(RFC_REQUEST)
        hs.reject(426, headers=[("Upgrade", "websocket")])
        response = hs.data_to_send()
        assert has_header(response, "Connection: upgrade, close"), response
        assert has_header(response, "Upgrade: websocket")


def test_text_body_rejection_of_a_plain_request(chat_config):
    with wsh.ServerHandshake(chat_config) as hs:
        assert hs.feed(b"GET /x HTTP/1.1\r\nHost: a\r\n\r\n").decision is Decision.NOT_UPGRADE
        with pytest.raises(wsh.StateError, match="NOT_UPGRADE"):
            hs.accept()
        hs.reject(404, body="caf\xe9")
        response = hs.data_to_send()
        assert status_line(response) == "HTTP/1.1 404 Not Found"
        assert has_header(response, "Content-Type: text/plain; charset=utf-8")
        assert response.endswith("caf\xe9".encode("utf-8"))


def test_wrong_state_before_the_head_is_complete(chat_config):
    with wsh.ServerHandshake(chat_config) as hs:
        hs.feed(RFC_REQUEST[:20])
        for name in ("method", "path", "headers", "subprotocols", "extensions", "http_version"):
            with pytest.raises(wsh.StateError, match="not complete"):
                getattr(hs, name)
        with pytest.raises(wsh.StateError, match="not complete"):
            hs.accept()
        with pytest.raises(wsh.StateError):
            hs.reject(403)
        assert hs.data_to_send() == b""
        assert hs.head == RFC_REQUEST[:20]


def test_feed_after_a_decision_needs_reset(chat_config):
    with wsh.ServerHandshake(chat_config) as hs:
        hs.feed(RFC_REQUEST)
        with pytest.raises(wsh.StateError, match="reset"):
            hs.feed(b"more")
        with pytest.raises(ValueError):  # StateError is a ValueError
            hs.feed(b"more")
        hs.reset()
        assert hs.decision is Decision.NEED_MORE
        assert hs.feed(RFC_REQUEST).decision is Decision.UPGRADE_WEBSOCKET


def test_one_handle_serves_many_handshakes(deflate_config):
    names = ["rfc6455_sample.http", "chrome_deflate.http", "three_subprotocols.http"]
    with wsh.ServerHandshake(deflate_config) as hs:
        for _ in range(3):
            for name in names:
                hs.reset()
                request = fixture(name)
                assert hs.feed(request).decision is Decision.UPGRADE_WEBSOCKET
                hs.accept()
                assert hs.data_to_send() == wsh.respond(deflate_config, request).response


def test_bad_feed_types(chat_config):
    with wsh.ServerHandshake(chat_config) as hs:
        with pytest.raises(TypeError):
            hs.feed("GET / HTTP/1.1\r\n")  # type: ignore[arg-type]
        with pytest.raises(TypeError):
            hs.feed(None)  # type: ignore[arg-type]
        assert hs.feed(bytearray(RFC_REQUEST[:5])).consumed == 5
        assert hs.feed(memoryview(RFC_REQUEST)[5:]).decision is Decision.UPGRADE_WEBSOCKET
    with pytest.raises(TypeError):
        wsh.ServerHandshake("config")  # type: ignore[arg-type]


def test_use_after_close_raises_value_error(chat_config):
    hs = wsh.ServerHandshake(chat_config)
    hs.feed(RFC_REQUEST)
    hs.close()
    hs.close()  # idempotent
    assert hs.closed
    assert "closed" in repr(hs)
    calls = [
        lambda: hs.feed(b"x"),
        lambda: hs.accept(),
        lambda: hs.reject(403),
        lambda: hs.data_to_send(),
        lambda: hs.response,
        lambda: hs.accepted,
        lambda: hs.reset(),
        lambda: hs.method,
        lambda: hs.headers,
        lambda: hs.subprotocol,
        lambda: hs.deflate,
        lambda: hs.head,
        lambda: hs.http2_settings,
        lambda: hs.upgrade_protocol,
    ]
    for call in calls:
        with pytest.raises(ValueError, match="closed"):
            call()
        with pytest.raises(wsh.StateError):
            call()


def test_context_manager_closes(chat_config):
    with wsh.ServerHandshake(chat_config) as hs:
        assert not hs.closed
        assert "NEED_MORE" in repr(hs)
    assert hs.closed


def test_garbage_collected_handles_are_released(chat_config):
    before = len(chat_config._pool)
    for _ in range(5):
        hs = wsh.ServerHandshake(chat_config)
        hs.feed(RFC_REQUEST)
        del hs
    gc.collect()
    # Each dropped handle went back (reset) to the config's pool.
    assert len(chat_config._pool) >= min(before + 1, 32)
    fresh = wsh.ServerHandshake(chat_config)
    assert fresh.decision is Decision.NEED_MORE
    assert fresh.feed(RFC_REQUEST).decision is Decision.UPGRADE_WEBSOCKET
    fresh.close()


def test_pooled_handles_start_clean(chat_config):
    hs = wsh.ServerHandshake(chat_config)
    hs.feed(b"GET /first HTTP/1.1\r\nHost: a\r\n\r\n")
    hs.close()
    again = wsh.ServerHandshake(chat_config)
    assert again.decision is Decision.NEED_MORE
    assert again.head == b""
    again.feed(RFC_REQUEST)
    assert again.path == "/chat"
    again.close()


def test_pool_is_bounded():
    config = wsh.ServerConfig()
    handles = [wsh.ServerHandshake(config) for _ in range(40)]
    for hs in handles:
        hs.close()
    assert len(config._pool) == 32
    # Handles with large buffers are kept in smaller numbers (~4 MiB in all).
    big = wsh.ServerConfig(limits=wsh.Limits(max_head_bytes=1 << 20))
    handles = [wsh.ServerHandshake(big) for _ in range(10)]
    for hs in handles:
        hs.close()
    assert len(big._pool) == 3


def test_h2c_upgrade_and_settings():
    config = wsh.ServerConfig(upgrade_protocols=["h2c"], websocket=False)
    request = (
        b"GET / HTTP/1.1\r\nHost: a\r\nConnection: Upgrade, HTTP2-Settings\r\n"
        b"Upgrade: h2c\r\nHTTP2-Settings: AAMAAABkAARAAAAAAAIAAAAA\r\n\r\n"
    )
    with wsh.ServerHandshake(config) as hs:
        assert hs.feed(request).decision is Decision.UPGRADE_OTHER
        assert hs.upgrade_protocol == "h2c"
        assert hs.http2_settings == bytes(
            [0, 3, 0, 0, 0, 100, 0, 4, 0x40, 0, 0, 0, 0, 2, 0, 0, 0, 0]
        )
        with pytest.raises(wsh.StateError):
            hs.accept(extensions=["x"])
        hs.accept(headers=[("X-A", "1")])
        assert hs.data_to_send().startswith(b"HTTP/1.1 101 Switching Protocols\r\n")
        # WebSocket is off: a WebSocket upgrade is just an unsupported upgrade.
        hs.reset()
        assert hs.feed(RFC_REQUEST).decision is Decision.NOT_UPGRADE_UNSUPPORTED


def test_http2_preface_and_http10():
    with wsh.ServerHandshake(wsh.ServerConfig()) as hs:
        preface = b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"
        r = hs.feed(preface + b"\x00")
        assert r.decision is Decision.HTTP2_PREFACE
        assert hs.head + r.leftover == preface + b"\x00"
        with pytest.raises(wsh.StateError, match="HTTP2_PREFACE"):
            hs.method
        hs.reset()
        assert (
            hs.feed(b"GET / HTTP/1.0\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n").decision
            is Decision.NOT_UPGRADE_HTTP10
        )
        assert hs.http_version == "1.0"
        assert hs.host is None


def test_no_body_where_http_allows_none(chat_config):
    # RFC 9110 sections 9.3.2 and 15.4.5: a body there would parse as a
    # second response.
    with wsh.ServerHandshake(chat_config) as hs:
        hs.feed(RFC_REQUEST)
        with pytest.raises(wsh.UsageError) as refused:
            hs.reject(304, body=b"second response")
        assert refused.value.code is wsh.ResultCode.BODY_NOT_ALLOWED
        hs.reject(304, headers=[("ETag", '"v1"')])
        response = hs.data_to_send()
        assert response.startswith(b"HTTP/1.1 304 ")
        assert b"Content-Length" not in response
        assert response.endswith(b"\r\n\r\n")
    with wsh.ServerHandshake(chat_config) as hs:
        hs.feed(b"HEAD /page HTTP/1.1\r\nHost: a\r\n\r\n")
        hs.reject(401, body="login first")
        response = hs.data_to_send()
        assert has_header(response, "Content-Length: 11")
        assert response.endswith(b"\r\n\r\n")
        assert b"login first" not in response


def test_path_is_the_path_part_in_every_form():
    """RFC 9112 section 3.2.2: an absolute-form target's path has no scheme or
    authority; the query and the raw target are separate accessors."""
    config = wsh.ServerConfig()
    for target, path, query in [
        ("/chat?room=1", "/chat", "room=1"),
        ("http://example.com/chat?room=1", "/chat", "room=1"),
        ("http://example.com", "/", None),
    ]:
        request = ws_request().replace(b"GET /chat ", f"GET {target} ".encode(), 1)
        with wsh.ServerHandshake(config) as hs:
            assert hs.feed(request).decision is wsh.Decision.UPGRADE_WEBSOCKET, target
            assert (hs.target, hs.path, hs.query) == (target, path, query)
