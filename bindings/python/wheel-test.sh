#!/usr/bin/env bash
# Builds the wheel (`pip wheel ./bindings/python`), checks it is platform-tagged
# and bundles the library, installs it into a fresh venv and runs the asyncio
# example server against a real websockets client.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
work="$(mktemp -d "${TMPDIR:-/tmp}/wsh-wheel.XXXXXX")"
trap 'rm -rf "$work"' EXIT
python="${WSH_PYTHON:-python3}"
"$python" -m venv "$work/build-venv"
"$work/build-venv/bin/python" -m pip install --quiet --upgrade pip setuptools wheel
"$work/build-venv/bin/python" -m pip wheel --quiet --no-deps -w "$work/dist" "$here"
wheel="$(ls "$work"/dist/wshandshake-*.whl)"
echo "wheel-test: built $(basename "$wheel")"
case "$(basename "$wheel")" in
    *-none-any.whl) echo "wheel-test: FAIL: the wheel is not platform-tagged"; exit 1 ;;
esac
# List first, then search: `grep -q` closing the pipe early would fail the listing.
listing="$("$python" -m zipfile -l "$wheel")"
grep -q "wshandshake/libwshandshake.so" <<<"$listing" || {
    echo "wheel-test: FAIL: libwshandshake.so is not in the wheel"; exit 1; }
"$python" -m venv "$work/venv"
"$work/venv/bin/python" -m pip install --quiet "$wheel" "$(grep -E '^websockets==' "$repo/tests/peers/requirements.txt")"
cd "$work"  # not the source tree: import the installed package
"$work/venv/bin/python" - "$here/examples/asyncio_server.py" <<'PY'
import asyncio, importlib.util, socket, subprocess, sys, time
import websockets
import wshandshake
assert wshandshake.accept_key("dGhlIHNhbXBsZSBub25jZQ==") == "s3pPLMBiTxaQ9kYGzzhZRbK+xOo="
with socket.socket() as s:
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
server = subprocess.Popen([sys.executable, sys.argv[1], "--port", str(port)], stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
try:
    async def main():
        for _ in range(100):
            try:
                async with websockets.connect(f"ws://127.0.0.1:{port}/echo", subprotocols=["chat"], open_timeout=5) as ws:
                    await ws.send("hello")
                    echo = await asyncio.wait_for(ws.recv(), 5)
                    return ws.subprotocol, echo
            except OSError:
                await asyncio.sleep(0.05)
        raise SystemExit("server never came up")
    subprotocol, echo = asyncio.run(main())
    assert (subprotocol, echo) == ("chat", "hello"), (subprotocol, echo)
    print(f"wheel-test: installed wheel {wshandshake.__version__}: example server echoed {echo!r} with {subprotocol}")
finally:
    server.terminate()
    server.wait(5)
PY
echo "wheel-test: 1 passed, 0 failed"
