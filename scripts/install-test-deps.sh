#!/usr/bin/env bash
# Install everything wshandshake's test suites need (interop peers, fixture
# capture, valgrind, nginx, ...).  Idempotent: every step checks first and
# skips work already done, so a second run takes a few seconds and needs no
# network.
#
#   scripts/install-test-deps.sh            everything; cargo-c builds in the background
#   scripts/install-test-deps.sh --cargo-c  only cargo-c, in the foreground (waits for a
#                                           build already running); prints its bin dir
#
# Environment:
#   WSH_VENV    Python venv to create/use       (default: <repo>/.venv)
#   WSH_PYTHON  interpreter that creates it     (default: python3)
#
# Installs:
#   apt  chromium libwslay-dev zlib1g-dev libasio-dev g++ nginx valgrind pkg-config
#        curl cmake (+ python3-venv / nodejs npm only when missing)
#        cross builds (tests/packaging): gcc-aarch64-linux-gnu gcc-arm-linux-gnueabihf
#        and their libc6-dev-*-cross, qemu-user, libwslay1:arm64 and libwslay1:armhf
#        (multiarch: dpkg --add-architecture arm64 armhf), qemu-system-arm
#   rustup targets aarch64-unknown-linux-gnu armv7-unknown-linux-gnueabihf
#        thumbv7em-none-eabihf; a nightly toolchain (minimal profile) with the
#        miri and rust-src components, for the fuzz and miri stages
#   pip  tests/peers/requirements.txt into the venv (pinned)
#   npm  tests/peers/node (ws, pinned by package.json + package-lock.json)
#   cargo-c 0.10.24 (`cargo install --locked`) into WSH_CACHE_DIR/cargo-c-0.10.24
#        (default ~/.cache/wshandshake): built once per machine, since the build
#        takes long (README "Installing the C library" has the figure); Debian's
#        cargo-c 0.9.14 cannot read edition-2024 manifests
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="${WSH_VENV:-$REPO/.venv}"
PY="${WSH_PYTHON:-python3}"
PEERS="$REPO/tests/peers"
REQS="$PEERS/requirements.txt"
NODE_DIR="$PEERS/node"

log() { printf '[install-test-deps] %s\n' "$*" >&2; }

# -------------------------------------------------------------- cargo-c ----
CARGO_C_VERSION=0.10.24
CARGO_C_ROOT="${WSH_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/wshandshake}/cargo-c-$CARGO_C_VERSION"
cargo_c_cached() {
    "$CARGO_C_ROOT/bin/cargo-cinstall" cinstall --version 2>/dev/null | grep -q "$CARGO_C_VERSION" ||
        "$CARGO_C_ROOT/bin/cargo-cinstall" --version 2>/dev/null | grep -q "$CARGO_C_VERSION"
}
# Builds cargo-c unless the cache has it. One build at a time: a second caller
# waits on the lock, then finds the cache filled.
install_cargo_c() {
    mkdir -p "$(dirname "$CARGO_C_ROOT")"
    exec 9>"$CARGO_C_ROOT.lock"
    flock -w "${WSH_CARGO_C_WAIT:-3000}" 9 || { log "cargo-c: another build still runs after ${WSH_CARGO_C_WAIT:-3000} s (WSH_CARGO_C_WAIT)"; return 1; }
    if cargo_c_cached; then
        log "cargo-c: $CARGO_C_VERSION cached in $CARGO_C_ROOT"
    else
        log "cargo-c: building $CARGO_C_VERSION into $CARGO_C_ROOT (once per machine)"
        local start=$SECONDS
        rm -rf "$CARGO_C_ROOT" "$CARGO_C_ROOT.build"
        CARGO_TARGET_DIR="$CARGO_C_ROOT.build" cargo install cargo-c --version "$CARGO_C_VERSION" \
            --locked --quiet --root "$CARGO_C_ROOT" >&2 || { rm -rf "$CARGO_C_ROOT"; return 1; }
        rm -rf "$CARGO_C_ROOT.build"
        echo "$((SECONDS - start))" >"$CARGO_C_ROOT/build-seconds"
        log "cargo-c: built in $((SECONDS - start)) s"
    fi
    exec 9>&-
}
if [ "${1:-}" = "--cargo-c" ]; then
    install_cargo_c
    echo "$CARGO_C_ROOT/bin"
    exit 0
fi
[ $# -eq 0 ] || { log "unknown argument $1 (only --cargo-c)"; exit 2; }

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
        log "not root and no sudo: apt installs will fail if anything is missing"
    fi
fi

pkg_installed() {
    dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'
}

# ---------------------------------------------------------------- apt ------
# "command:package" pairs: the command proves the package is there.
missing=()
for pair in chromium:chromium nginx:nginx valgrind:valgrind \
            pkg-config:pkg-config curl:curl cmake:cmake; do
    cmd="${pair%%:*}" pkg="${pair#*:}"
    if ! command -v "$cmd" >/dev/null 2>&1 && ! pkg_installed "$pkg"; then
        missing+=("$pkg")
    fi
done
pkg_installed libwslay-dev || missing+=(libwslay-dev)
# zlib: the C client example inflates and deflates permessage-deflate messages.
pkg_installed zlib1g-dev || missing+=(zlib1g-dev)
# The C++ example server (bindings/c/examples/asio_echo_server.cpp) and the
# C++ layer's tests: standalone Asio and a C++17/C++20 compiler.
pkg_installed libasio-dev || missing+=(libasio-dev)
command -v g++ >/dev/null 2>&1 || pkg_installed g++ || missing+=(g++)

# Cross builds and their runs under qemu (tests/packaging, tests/cortex-m).
for pair in aarch64-linux-gnu-gcc:gcc-aarch64-linux-gnu arm-linux-gnueabihf-gcc:gcc-arm-linux-gnueabihf \
            qemu-aarch64:qemu-user qemu-system-arm:qemu-system-arm; do
    cmd="${pair%%:*}" pkg="${pair#*:}"
    command -v "$cmd" >/dev/null 2>&1 || missing+=("$pkg")
done
pkg_installed libc6-dev-arm64-cross || missing+=(libc6-dev-arm64-cross)
pkg_installed libc6-dev-armhf-cross || missing+=(libc6-dev-armhf-cross)
# The cross-built echo server links the target's wslay (the -dev package is not
# multiarch-installable; the host's headers serve every architecture).
foreign_arch_added=0
for arch in arm64 armhf; do
    if ! dpkg --print-foreign-architectures | grep -qx "$arch"; then
        log "dpkg: adding architecture $arch (for libwslay1:$arch)"
        $SUDO dpkg --add-architecture "$arch"
        foreign_arch_added=1
    fi
    pkg_installed "libwslay1:$arch" || missing+=("libwslay1:$arch")
done

# python3-venv only if the chosen interpreter cannot make a venv with pip.
if [ ! -x "$VENV/bin/python" ]; then
    if ! command -v "$PY" >/dev/null 2>&1 \
       || ! "$PY" -c 'import venv, ensurepip' >/dev/null 2>&1; then
        pkg_installed python3-venv || missing+=(python3-venv)
        PY=/usr/bin/python3
    fi
fi
if ! command -v node >/dev/null 2>&1; then missing+=(nodejs); fi
if ! command -v npm >/dev/null 2>&1; then missing+=(npm); fi

if [ "${#missing[@]}" -gt 0 ] || [ "$foreign_arch_added" = 1 ]; then
    log "apt: installing ${missing[*]}"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq \
        --no-install-recommends "${missing[@]}" >/dev/null
else
    log "apt: all packages present"
fi

# ------------------------------------------------------- rustup targets ----
installed_targets="$(rustup target list --installed)"
for target in aarch64-unknown-linux-gnu armv7-unknown-linux-gnueabihf thumbv7em-none-eabihf; do
    if ! printf '%s\n' "$installed_targets" | grep -qx "$target"; then
        log "rustup: adding target $target"
        rustup target add "$target" >&2
    fi
done

# ------------------------------------------------------- nightly, miri -----
# cargo-fuzz and Miri need a nightly compiler; the stable builds never use it.
if ! rustup run nightly rustc --version >/dev/null 2>&1; then
    log "rustup: installing a nightly toolchain (minimal)"
    rustup toolchain install nightly --profile minimal >&2
fi
nightly_components="$(rustup component list --toolchain nightly --installed)"
for component in miri rust-src; do
    if ! printf '%s\n' "$nightly_components" | grep -q "^$component"; then
        log "rustup: adding $component to nightly"
        rustup component add "$component" --toolchain nightly >&2
    fi
done

# ------------------------------------------------------------- python ------
if [ ! -x "$VENV/bin/python" ]; then
    log "venv: creating $VENV with $("$PY" --version 2>&1)"
    "$PY" -m venv "$VENV"
fi
# Keep the venv out of git even when the repo's .gitignore does not list it.
[ -f "$VENV/.gitignore" ] || printf '*\n' > "$VENV/.gitignore"

stamp="$VENV/.wsh-requirements.sha256"
want="$(sha256sum "$REQS" | cut -d' ' -f1)"
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ] \
   && "$VENV/bin/python" -c 'import pytest, websockets, websocket, aiohttp, wsproto, kosoku, h2' 2>/dev/null; then
    log "pip: requirements already installed"
else
    log "pip: installing $REQS"
    "$VENV/bin/python" -m pip install -q --disable-pip-version-check -r "$REQS"
    printf '%s\n' "$want" > "$stamp"
fi

# ---------------------------------------------------------------- npm ------
ws_want="$(node -p "require('$NODE_DIR/package.json').dependencies.ws")"
ws_have="$(node -p "try { require('$NODE_DIR/node_modules/ws/package.json').version } catch (e) { '' }")"
if [ "$ws_have" = "$ws_want" ]; then
    log "npm: ws@$ws_have already installed"
else
    log "npm: installing ws@$ws_want into $NODE_DIR"
    if [ -f "$NODE_DIR/package-lock.json" ]; then
        (cd "$NODE_DIR" && npm ci --no-audit --no-fund --loglevel=error >&2)
    else
        (cd "$NODE_DIR" && npm install --no-audit --no-fund --loglevel=error >&2)
    fi
fi

# cargo-c: in the background, so the stages before packaging run meanwhile
# (tests/packaging/run.sh calls --cargo-c, which waits for this build).
if cargo_c_cached; then
    log "cargo-c: $CARGO_C_VERSION cached in $CARGO_C_ROOT"
else
    mkdir -p "$(dirname "$CARGO_C_ROOT")"
    log "cargo-c: building $CARGO_C_VERSION in the background (log: $CARGO_C_ROOT.log)"
    nohup bash "$REPO/scripts/install-test-deps.sh" --cargo-c >"$CARGO_C_ROOT.log" 2>&1 </dev/null &
fi

# ------------------------------------------------------------ versions -----
ver() { printf '%-16s %s\n' "$1" "$2"; }
ver chromium         "$(chromium --version 2>/dev/null | head -n1)"
ver nginx            "$(nginx -v 2>&1 | head -n1)"
ver valgrind         "$(valgrind --version 2>&1 | head -n1)"
ver pkg-config       "$(pkg-config --version)"
# Debian's libwslay-dev ships no .pc file: report the package version.
ver libwslay-dev     "$(dpkg-query -W -f='${Version}' libwslay-dev) ($(ls /usr/include/wslay/wslay.h))"
ver zlib1g-dev       "$(dpkg-query -W -f='${Version}' zlib1g-dev)"
ver libasio-dev      "$(dpkg-query -W -f='${Version}' libasio-dev)"
ver g++              "$(g++ --version | head -n1)"
ver curl             "$(curl --version | head -n1 | cut -d' ' -f1-2)"
ver cmake            "$(cmake --version | head -n1)"
ver cross-gcc        "$(aarch64-linux-gnu-gcc -dumpversion) (aarch64), $(arm-linux-gnueabihf-gcc -dumpversion) (armhf)"
ver qemu-user        "$(qemu-aarch64 --version | head -n1)"
ver qemu-system-arm  "$(qemu-system-arm --version | head -n1)"
ver libwslay1        "$(dpkg-query -W -f='${Version}' libwslay1:arm64) (arm64), $(dpkg-query -W -f='${Version}' libwslay1:armhf) (armhf)"
ver cargo-c          "$CARGO_C_VERSION ($(cargo_c_cached && echo "cached in $CARGO_C_ROOT" || echo "building"))"
ver rustup-targets   "$(rustup target list --installed | tr '\n' ' ')"
ver python           "$("$VENV/bin/python" --version 2>&1) ($VENV)"
"$VENV/bin/python" - <<'EOF'
from importlib.metadata import version
for dist in ("pytest", "websockets", "websocket-client", "aiohttp", "wsproto", "kosoku"):
    print(f"{dist:<16} {version(dist)}")
EOF
ver node             "$(node --version)"
ver npm              "$(npm --version 2>/dev/null)"
ver ws               "$(node -p "require('$NODE_DIR/node_modules/ws/package.json').version")"
