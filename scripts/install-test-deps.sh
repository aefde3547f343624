#!/usr/bin/env bash
# Install everything wshandshake's test suites need (interop peers, fixture
# capture, valgrind, nginx, ...).  Idempotent: every step checks first and
# skips work already done, so a second run takes a few seconds and needs no
# network.
#
#   scripts/install-test-deps.sh
#
# Environment:
#   WSH_VENV    Python venv to create/use       (default: <repo>/.venv)
#   WSH_PYTHON  interpreter that creates it     (default: python3)
#
# Installs:
#   apt  chromium libwslay-dev zlib1g-dev libasio-dev g++ nginx valgrind pkg-config
#        curl cmake (+ python3-venv / nodejs npm only when missing)
#   pip  tests/peers/requirements.txt into the venv (pinned)
#   npm  tests/peers/node (ws, pinned by package.json + package-lock.json)
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="${WSH_VENV:-$REPO/.venv}"
PY="${WSH_PYTHON:-python3}"
PEERS="$REPO/tests/peers"
REQS="$PEERS/requirements.txt"
NODE_DIR="$PEERS/node"

log() { printf '[install-test-deps] %s\n' "$*" >&2; }

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

if [ "${#missing[@]}" -gt 0 ]; then
    log "apt: installing ${missing[*]}"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq \
        --no-install-recommends "${missing[@]}" >/dev/null
else
    log "apt: all packages present"
fi

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
ver python           "$("$VENV/bin/python" --version 2>&1) ($VENV)"
"$VENV/bin/python" - <<'EOF'
from importlib.metadata import version
for dist in ("pytest", "websockets", "websocket-client", "aiohttp", "wsproto", "kosoku"):
    print(f"{dist:<16} {version(dist)}")
EOF
ver node             "$(node --version)"
ver npm              "$(npm --version 2>/dev/null)"
ver ws               "$(node -p "require('$NODE_DIR/node_modules/ws/package.json').version")"
