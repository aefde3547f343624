#!/usr/bin/env bash
# The package as PyPI and its users get it:
# 1. the release wheel (build-wheel.sh): tagged manylinux_2_17_x86_64 by
#    auditwheel, the bundled library stripped and linked against glibc <= 2.17,
#    exactly the package's modules, the metadata (licence, Requires-Python,
#    classifiers, the wsproto extra), twine check clean;
# 2. installed into a fresh venv and run with no cargo on PATH: the asyncio
#    example server (our handshake, wsproto's frames) against a real websockets
#    client with permessage-deflate on;
# 3. the same wheel for aarch64 from a cross-built library: tagged
#    manylinux_2_17_aarch64, an aarch64 library inside;
# 4. the sdist builds from source with cargo and the result imports and works.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
work="$(mktemp -d "${TMPDIR:-/tmp}/wsh-wheel.XXXXXX")"
trap 'rm -rf "$work"' EXIT
python="${WSH_PYTHON:-python3}"
requirements="$repo/tests/peers/requirements.txt"
pin() { grep -E "^$1==" "$requirements" | head -n 1; }
passed=0
failed=0
check() {  # check NAME COMMAND...: one counted step
    local name="$1"
    shift
    if "$@"; then
        passed=$((passed + 1))
        echo "wheel-test: ok: $name"
    else
        failed=$((failed + 1))
        echo "wheel-test: FAIL: $name"
    fi
}

# --- 1. the x86_64 wheel -----------------------------------------------------------
wheel="$(bash "$here/build-wheel.sh" "$work/dist" | tail -n 1)"
echo "wheel-test: built $(basename "$wheel")"

inspect_wheel() {  # inspect_wheel WHEEL ARCH ELF_MACHINE
    "$python" - "$1" "$2" "$3" "$here/src/wshandshake" <<'PY'
import email, pathlib, re, sys, zipfile
wheel, arch, machine, source = sys.argv[1], sys.argv[2], int(sys.argv[3]), pathlib.Path(sys.argv[4])
name = pathlib.Path(wheel).name
problems = []
if not re.search(rf"-py3-none-(manylinux2014_{arch}\.)?manylinux_2_17_{arch}(\.|$)", name):
    problems.append(f"tag: {name}")
with zipfile.ZipFile(wheel) as z:
    names = set(z.namelist())
    modules = {n.split("/", 1)[1] for n in names if n.startswith("wshandshake/") and n.endswith(".py")}
    expected = {p.name for p in source.glob("*.py")}
    if modules != expected:
        problems.append(f"modules: extra {sorted(modules - expected)}, missing {sorted(expected - modules)}")
    library = z.read("wshandshake/libwshandshake.so")
    meta = email.message_from_bytes(z.read(next(n for n in names if n.endswith(".dist-info/METADATA"))))
# ELF: the machine, and no symbol table or debug sections (stripped).
if library[:4] != b"\x7fELF" or int.from_bytes(library[18:20], "little") != machine:
    problems.append(f"library machine {int.from_bytes(library[18:20], 'little')}, want {machine}")
shoff = int.from_bytes(library[0x28:0x30], "little")
shentsize, shnum, shstrndx = (int.from_bytes(library[o:o + 2], "little") for o in (0x3A, 0x3C, 0x3E))
sections = [library[shoff + i * shentsize : shoff + (i + 1) * shentsize] for i in range(shnum)]
strtab = sections[shstrndx]
str_off = int.from_bytes(strtab[0x18:0x20], "little")
section_names = []
for s in sections:
    start = str_off + int.from_bytes(s[0:4], "little")
    section_names.append(library[start : library.index(b"\0", start)].decode())
if ".symtab" in section_names or any(n.startswith(".debug") for n in section_names):
    problems.append(f"not stripped: {[n for n in section_names if n == '.symtab' or n.startswith('.debug')]}")
if meta["License-Expression"] != "MIT OR Apache-2.0":
    problems.append(f"License-Expression: {meta['License-Expression']}")
if meta["Requires-Python"] != ">=3.9":
    problems.append(f"Requires-Python: {meta['Requires-Python']}")
classifiers = meta.get_all("Classifier") or []
for wanted in ("Operating System :: POSIX :: Linux", "Programming Language :: Python :: 3 :: Only"):
    if wanted not in classifiers:
        problems.append(f"classifier {wanted!r} missing")
if "wsproto" not in (meta.get_all("Provides-Extra") or []):
    problems.append("no wsproto extra")
print(f"wheel-test: {name}: library {len(library)} bytes, {len(modules)} modules")
for problem in problems:
    print(f"wheel-test: {problem}")
sys.exit(1 if problems else 0)
PY
}
check "x86_64 wheel: tag, stripped library, modules, metadata" inspect_wheel "$wheel" x86_64 62

# --- 2. a fresh venv, no cargo on PATH ----------------------------------------------
"$python" -m venv "$work/venv"
"$work/venv/bin/python" -m pip install --quiet "$wheel" "$(pin websockets)" "$(pin wsproto)"
run_example() {
    # PATH with the venv and the system only: no ~/.cargo/bin.
    (cd "$work" && env PATH="$work/venv/bin:/usr/bin:/bin" "$work/venv/bin/python" - \
        "$here/examples/asyncio_server.py" <<'PY'
import asyncio, shutil, socket, subprocess, sys
assert shutil.which("cargo") is None, "cargo is on PATH"
import websockets
import wshandshake
assert "site-packages" in wshandshake.__file__, wshandshake.__file__
assert wshandshake.accept_key("dGhlIHNhbXBsZSBub25jZQ==") == "s3pPLMBiTxaQ9kYGzzhZRbK+xOo="
with socket.socket() as s:
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
server = subprocess.Popen([sys.executable, sys.argv[1], "--port", str(port)])
try:
    async def main():
        for _ in range(100):
            try:
                # websockets offers permessage-deflate by default.
                async with websockets.connect(
                    f"ws://127.0.0.1:{port}/echo", subprotocols=["chat"], open_timeout=5
                ) as ws:
                    extensions = ws.response.headers.get("Sec-WebSocket-Extensions")
                    await ws.send("hello " * 100)
                    echo = await asyncio.wait_for(ws.recv(), 5)
                    return ws.subprotocol, extensions, echo
            except OSError:
                await asyncio.sleep(0.05)
        raise SystemExit("server never came up")
    subprotocol, extensions, echo = asyncio.run(main())
    assert (subprotocol, echo) == ("chat", "hello " * 100), (subprotocol, echo[:20])
    assert extensions and extensions.startswith("permessage-deflate"), extensions
    print(f"wheel-test: installed wheel {wshandshake.__version__}: echo with {subprotocol}, {extensions}")
finally:
    server.terminate()
    server.wait(5)
PY
    )
}
check "installed wheel, no cargo: example server with compression" run_example

# --- 3. aarch64 from a cross-built library -----------------------------------------
arm_wheel="$(bash "$here/build-wheel.sh" --arch aarch64 "$work/dist-aarch64" | tail -n 1)"
echo "wheel-test: built $(basename "$arm_wheel")"
check "aarch64 wheel: tag, aarch64 library, metadata" inspect_wheel "$arm_wheel" aarch64 183

# --- 4. the sdist builds from source ------------------------------------------------
sdist="$(bash "$here/build-wheel.sh" --sdist "$work/sdist" | tail -n 1)"
echo "wheel-test: built $(basename "$sdist")"
from_source() {
    "$python" -m venv "$work/sdist-venv"
    "$work/sdist-venv/bin/python" -m pip install --quiet "$sdist"
    (cd "$work" && "$work/sdist-venv/bin/python" -c '
import wshandshake as wsh
r = wsh.respond(wsh.ServerConfig(["chat"]), b"GET / HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: chat\r\n\r\n")
assert r.status == 101 and r.subprotocol == "chat", r
print("wheel-test: sdist build:", wsh.__file__, r)
')
}
check "sdist builds from source and works" from_source

echo "wheel-test: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
