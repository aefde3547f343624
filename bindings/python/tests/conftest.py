"""Shared helpers for the wshandshake Python tests.

The tests run against the *installed* package (run-tests.sh installs it into a
fresh venv); request fixtures come from the repository's tests/fixtures.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

import wshandshake as wsh

REPO_ROOT = Path(__file__).resolve().parents[3]
FIXTURES = REPO_ROOT / "tests" / "fixtures" / "requests"
HEADER_FILE = REPO_ROOT / "include" / "wshandshake.h"

#: RFC 6455 section 1.3 sample handshake (also tests/fixtures/.../rfc6455_sample.http).
RFC_REQUEST = (
    b"GET /chat HTTP/1.1\r\n"
    b"Host: server.example.com\r\n"
    b"Upgrade: websocket\r\n"
    b"Connection: Upgrade\r\n"
    b"Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
    b"Origin: http://example.com\r\n"
    b"Sec-WebSocket-Protocol: chat, superchat\r\n"
    b"Sec-WebSocket-Version: 13\r\n"
    b"\r\n"
)
RFC_ACCEPT = "s3pPLMBiTxaQ9kYGzzhZRbK+xOo="

#: A frame that follows a head in tests: it must never be echoed or consumed.
FRAME = b"\x81\x05hello"


#: RFC 8441 section 5: the client's extended CONNECT request.
RFC8441_REQUEST = [
    (b":method", b"CONNECT"),
    (b":protocol", b"websocket"),
    (b":scheme", b"https"),
    (b":path", b"/chat"),
    (b":authority", b"server.example.com"),
    (b"sec-websocket-protocol", b"chat, superchat"),
    (b"sec-websocket-extensions", b"permessage-deflate"),
    (b"sec-websocket-version", b"13"),
    (b"origin", b"http://www.example.com"),
]


def replace_field(
    fields: list[tuple[bytes, bytes]], name: bytes, value: bytes | None
) -> list[tuple[bytes, bytes]]:
    """``fields`` with ``name``'s value replaced, or the field dropped for None."""
    if value is None:
        return [(n, v) for n, v in fields if n != name]
    return [(n, value if n == name else v) for n, v in fields]


def run_python(code: str, **options: object) -> subprocess.CompletedProcess[str]:
    """Runs ``code`` in a new interpreter (this one), its output captured as text."""
    return subprocess.run(  # type: ignore[call-overload, no-any-return]
        [sys.executable, "-c", code], capture_output=True, text=True, **options
    )


def ws_request(extra: str = "") -> bytes:
    """A minimal valid WebSocket request with ``extra`` header lines (CRLF-ended)."""
    return (
        "GET /chat HTTP/1.1\r\nHost: example.com\r\nUpgrade: websocket\r\n"
        "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
        f"Sec-WebSocket-Version: 13\r\n{extra}\r\n"
    ).encode("latin-1")


def fixture(name: str) -> bytes:
    """The bytes of tests/fixtures/requests/<name>."""
    path = FIXTURES / name
    if not path.is_file():
        raise FileNotFoundError(f"missing request fixture {path}: run from a repository checkout")
    return path.read_bytes()


def status_line(response: bytes) -> str:
    return response.split(b"\r\n", 1)[0].decode("latin-1")


def has_header(response: bytes, line: str) -> bool:
    head = response.split(b"\r\n\r\n", 1)[0].decode("latin-1")
    return line.lower() in (h.lower() for h in head.split("\r\n")[1:])


@pytest.fixture
def chat_config() -> wsh.ServerConfig:
    return wsh.ServerConfig(["chat", "superchat"])


@pytest.fixture
def deflate_config() -> wsh.ServerConfig:
    return wsh.ServerConfig(["chat"], permessage_deflate=True)
