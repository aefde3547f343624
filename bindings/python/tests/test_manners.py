"""Python manners: exceptions that pickle with their fields, readable str/repr,
an import that loads only what the one-call path needs."""

from __future__ import annotations

import pickle

import pytest

import wshandshake as wsh
from wshandshake import Decision, ResultCode

from conftest import run_python, ws_request


def round_trip(error):
    copy = pickle.loads(pickle.dumps(error))
    assert type(copy) is type(error)
    assert str(copy) == str(error) and copy.args == error.args
    assert copy.code == error.code and type(copy.code) is type(error.code)
    return copy


def test_a_rejection_pickles_with_its_fields():
    r = wsh.respond(wsh.ServerConfig(), ws_request("Sec-WebSocket-Version: 12\r\n"))
    error = r.error
    assert isinstance(error, wsh.InvalidRequest)
    copy = round_trip(error)
    assert (copy.status, copy.response) == (error.status, error.response)
    assert copy.response.startswith(b"HTTP/1.1 400 ")
    unsupported = wsh.respond(
        wsh.ServerConfig(), ws_request().replace(b"Version: 13", b"Version: 12")
    ).error
    copy = round_trip(unsupported)
    assert isinstance(copy, wsh.UnsupportedVersion) and copy.status == 426
    assert "Sec-WebSocket-Version" in str(copy)


@pytest.mark.parametrize(
    "error",
    [
        wsh.StateError(ResultCode.WRONG_STATE, "feed: the request is already decided"),
        wsh.InvalidHeader(ResultCode.INVALID_HEADER_NAME),
        wsh.ConfigError(ResultCode.INVALID_CONFIG, "bad window"),
        wsh.InternalError(ResultCode.PANIC),
        wsh.HandshakeError(4242, "a code this version does not know"),
    ],
)
def test_usage_and_internal_errors_pickle(error):
    copy = round_trip(error)
    if isinstance(error, wsh.HandshakeError):
        assert copy.status == error.status and copy.response == error.response


def test_a_client_response_error_pickles():
    config = wsh.ClientConfig("ws://example.com/chat")
    hs = wsh.ClientHandshake(config, nonce=bytes(16))
    hs.data_to_send()
    result = hs.feed(b"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n\r\n")
    error = result.error
    assert isinstance(error, wsh.ResponseError)
    copy = round_trip(error)
    assert isinstance(copy, wsh.ResponseError) and copy.code.name.startswith("RESPONSE_")


def test_decisions_and_codes_print_their_names():
    assert str(Decision.NOT_UPGRADE) == "Decision.NOT_UPGRADE"
    assert f"{Decision.UPGRADE_WEBSOCKET}" == "Decision.UPGRADE_WEBSOCKET"
    assert str(ResultCode.REQUEST_INVALID_KEY) == "ResultCode.REQUEST_INVALID_KEY"
    assert f"{Decision.REJECTED:>3d}" == "  3"  # a format spec still formats the number
    assert Decision.REJECTED == 3


def test_response_repr_says_what_happened(chat_config):
    accepted = wsh.respond(chat_config, ws_request("Sec-WebSocket-Protocol: chat\r\n") + b"\x81")
    text = repr(accepted)
    assert text.startswith("Response(decision=UPGRADE_WEBSOCKET, status=101, subprotocol='chat'")
    assert "leftover=1 bytes" in text and "HTTP/1.1 101 Switching Protocols" in text
    assert str(accepted) == text
    rejected = wsh.respond(chat_config, ws_request("Sec-WebSocket-Key: x\r\n"))
    assert "decision=REJECTED, status=400" in repr(rejected)
    assert "code=<ResultCode.REQUEST_DUPLICATE_KEY" in repr(rejected)
    assert repr(wsh.respond(chat_config, b"GET")) == (
        "Response(decision=NEED_MORE, status=0, consumed=0, response=b'')"
    )


def test_the_import_loads_only_the_one_call_path():
    code = (
        "import sys, wshandshake as wsh\n"
        "before = sorted(m for m in sys.modules if m.startswith('wshandshake.'))\n"
        "wsh.ClientConfig, wsh.connect_analyze, wsh.ServerHandshake\n"
        "after = sorted(m for m in sys.modules if m.startswith('wshandshake.'))\n"
        "print(before); print(after)\n"
    )
    output = run_python(code, check=True).stdout.splitlines()
    before, after = eval(output[0]), eval(output[1])  # noqa: S307 - our own output
    for lazy in ("wshandshake._client", "wshandshake._connect", "wshandshake._server"):
        assert lazy not in before and lazy in after
    assert "wshandshake._respond" in before


def test_lazy_names_are_listed_and_unknown_names_fail():
    assert "ClientHandshake" in dir(wsh) and "wsproto_connection" in dir(wsh)
    with pytest.raises(AttributeError, match="no attribute 'nope'"):
        wsh.nope  # noqa: B018
