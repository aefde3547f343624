"""ServerConfig validation and immutability."""

from __future__ import annotations

import pytest

import wshandshake as wsh
from wshandshake import Decision, ResultCode
from wshandshake import _ffi

from conftest import ws_request


def test_defaults_match_the_library():
    limits = _ffi.LimitsC()
    assert _ffi.lib.wsh_limits_default(limits) == 0
    assert wsh.Limits() == wsh.Limits(
        limits.max_head_bytes, limits.max_headers, limits.max_request_line, limits.max_header_line
    )
    deflate = _ffi.DeflateConfigC()
    assert _ffi.lib.wsh_deflate_config_default(deflate) == 0
    assert wsh.DeflateConfig() == wsh.DeflateConfig(
        deflate.server_max_window_bits,
        deflate.client_max_window_bits,
        deflate.server_no_context_takeover,
        deflate.client_no_context_takeover,
    )


def test_attributes_and_repr():
    config = wsh.ServerConfig(["chat"], permessage_deflate=True, allowed_origins=["https://a"])
    assert config.subprotocols == ("chat",)
    assert config.permessage_deflate == wsh.DeflateConfig()
    assert config.allowed_origins == ("https://a",)
    assert config.limits == wsh.Limits()
    assert config.response_capacity == 4096
    text = repr(config)
    assert "subprotocols=('chat',)" in text and "allowed_origins" in text
    assert "allow_bare_lf" not in text  # defaults are left out
    with pytest.raises(AttributeError):
        config.subprotocols = ("x",)  # type: ignore[misc]
    with pytest.raises(AttributeError):
        del config.selection


@pytest.mark.parametrize(
    "kwargs",
    [
        {"subprotocols": ["not a token"]},
        {"subprotocols": [""]},
        {"allowed_origins": ["null"]},
        {"allowed_origins": []},
        {"upgrade_protocols": ["websocket"]},
        {"upgrade_protocols": ["bad protocol"]},
        {"permessage_deflate": wsh.DeflateConfig(server_max_window_bits=7)},
        {"permessage_deflate": wsh.DeflateConfig(client_max_window_bits=16)},
        {"limits": wsh.Limits(max_headers=0)},
        {"limits": wsh.Limits(max_headers=129)},
        {"limits": wsh.Limits(max_head_bytes=2**70)},
        {"response_capacity": 10},
        {"response_capacity": -1},
    ],
)
def test_invalid_values_raise_config_error(kwargs):
    with pytest.raises(wsh.ConfigError) as info:
        wsh.ServerConfig(**kwargs)
    assert isinstance(info.value, ValueError)
    assert info.value.code is ResultCode.INVALID_CONFIG


@pytest.mark.parametrize(
    "kwargs",
    [
        {"subprotocols": "chat"},
        {"subprotocols": [b"chat"]},
        {"subprotocols": 5},
        {"allowed_origins": "https://a"},
        {"require_subprotocol": 1},
        {"websocket": "yes"},
        {"permessage_deflate": "on"},
        {"limits": {"max_headers": 3}},
        {"response_capacity": 4096.0},
        {"response_capacity": True},
    ],
)
def test_wrong_types_raise_type_error(kwargs):
    with pytest.raises(TypeError):
        wsh.ServerConfig(**kwargs)


def test_bad_selection():
    with pytest.raises(ValueError):
        wsh.ServerConfig(["a"], selection="random")


def test_window_bits_reach_the_negotiation():
    config = wsh.ServerConfig(
        permessage_deflate=wsh.DeflateConfig(server_max_window_bits=10, server_no_context_takeover=True)
    )
    r = wsh.respond(config, ws_request("Sec-WebSocket-Extensions: permessage-deflate\r\n"))
    assert r.deflate == wsh.DeflateParams(True, False, 10, 15)
    # Not asked for: the smaller window is used without telling the client.
    assert b"server_max_window_bits" not in r.response
    assert b"server_no_context_takeover" in r.response
    asked = "Sec-WebSocket-Extensions: permessage-deflate; server_max_window_bits=12\r\n"
    r = wsh.respond(config, ws_request(asked))
    assert r.deflate == wsh.DeflateParams(True, False, 10, 15)
    assert b"server_max_window_bits=10" in r.response


def test_limits_reach_the_parser():
    config = wsh.ServerConfig(limits=wsh.Limits(max_headers=3))
    r = wsh.respond(config, ws_request())
    assert r.decision is Decision.REJECTED
    assert r.code is ResultCode.REQUEST_TOO_MANY_HEADERS


def test_unbracketed_ipv6_host_is_lenient_and_off_by_default():
    """WebSocket-Node sends ``Host: ::1:PORT``; RFC 3986 brackets IP literals."""
    request = ws_request().replace(b"Host: example.com", b"Host: ::1:43343")
    strict = wsh.respond(wsh.ServerConfig(), request)
    assert strict.code is ResultCode.REQUEST_INVALID_HOST
    lenient = wsh.ServerConfig(allow_unbracketed_ipv6_host=True)
    assert lenient.allow_unbracketed_ipv6_host is True
    assert wsh.respond(lenient, request).decision is wsh.Decision.UPGRADE_WEBSOCKET
    with wsh.ServerHandshake(lenient) as hs:
        hs.feed(request)
        assert hs.host == "::1:43343"
    bad = ws_request().replace(b"Host: example.com", b"Host: ::g:80")
    assert wsh.respond(lenient, bad).code is ResultCode.REQUEST_INVALID_HOST
    with pytest.raises(TypeError):
        wsh.ServerConfig(allow_unbracketed_ipv6_host=1)
