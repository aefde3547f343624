#!/usr/bin/env bash
# The main job: builds the library and the C examples, then runs the echo
# server on 127.0.0.1 (port ${PORT:-8080}). Open http://127.0.0.1:8080/ in a
# browser (the page runs a WebSocket round trip and shows PASS), or connect a
# client: bindings/c/examples/build/client 127.0.0.1 8080 /echo hello
# Stop it with Ctrl-C.
set -euo pipefail
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
if ! [ -f /usr/include/wslay/wslay.h ]; then
    echo "installing libwslay-dev (the examples' framing library)" >&2
    if [ "$(id -u)" -eq 0 ]; then SUDO=""; else SUDO="sudo"; fi
    $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq libwslay-dev >/dev/null
fi
make -C "$REPO/bindings/c/examples" --no-print-directory >&2
exec "$REPO/bindings/c/examples/build/echo_server" "${PORT:-8080}"
