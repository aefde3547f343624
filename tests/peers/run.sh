#!/usr/bin/env bash
# Real WebSocket peers against wshandshake's C examples, all on 127.0.0.1.
#
#   bash tests/peers/run.sh
#
# Builds the library and bindings/c/examples (with AddressSanitizer + UBSan),
# starts the echo server on a free port and drives it with: Python
# `websockets`, `websocket-client` and `aiohttp`, Node `ws`, headless Chromium,
# raw-socket checks (partial heads, bytes after the head, rejections), the C
# client, kosoku (the Autobahn testsuite's cases 1.* to 11.*) and `websockets`
# again through an nginx reverse proxy. The C client (wshandshake's client
# side) also talks to Python `websockets` servers (with and without
# subprotocols, with permessage-deflate: both sides must report the same
# parameters), a Node `ws` server and a raw server (a trickled 101, a refusal,
# a wrong accept). Python `websockets` clients offering permessage-deflate talk
# to deflate_server (our engine with deflate enabled): again both sides must
# report the same parameters. The C++ example (asio_echo_server: standalone
# Asio, the handshake through include/wshandshake.hpp, wslay framing) gets the
# Python clients, the raw-socket checks, Chromium and kosoku too. Then the
# servers are stopped (SIGTERM, and SIGINT with connections still open) and
# must exit cleanly with no sanitizer report.
#
# Needs what scripts/install-test-deps.sh installs. Environment:
#   WSH_VENV           the Python venv             (default: <repo>/.venv)
#   CARGO_TARGET_DIR   cargo's target dir; logs and reports go to
#                      $CARGO_TARGET_DIR/peers     (default: <repo>/target)
#   KOSOKU_CASES       kosoku case globs to run, e.g. "1.* 5.*" (default:
#                      every case but 12.* and 13.*, i.e. 1.* to 11.*: the
#                      suite has no 8.* or 11.*; 301 cases, about 15 s)
#   CHROMIUM           the browser binary          (default: chromium)
#
# Every step is bounded in time; every process started here is stopped here.
# The last line is "peers: N passed, M failed"; the exit status is non-zero
# when anything failed.
set -uo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
PEERS="$REPO/tests/peers"
VENV="${WSH_VENV:-$REPO/.venv}"
PY="$VENV/bin/python"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$REPO/target}"
OUT="$CARGO_TARGET_DIR/peers"
LOGS="$OUT/logs"
SANITIZER_LOGS="$OUT/sanitizers"
BIN="$REPO/bindings/c/examples/build"
CHROMIUM="${CHROMIUM:-chromium}"
KOSOKU_CASES="${KOSOKU_CASES:-}"
STEP_TIMEOUT=60
KOSOKU_TIMEOUT=900

# Sanitizer reports go to files (one per process, only when there is one).
export ASAN_OPTIONS="detect_leaks=1:detect_stack_use_after_return=1:log_path=$SANITIZER_LOGS/asan"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1:log_path=$SANITIZER_LOGS/ubsan"

TMP="$(mktemp -d "${TMPDIR:-/tmp}/wsh-peers.XXXXXX")"
STARTED_PIDS=()

cleanup() {
    local pid
    for pid in "${STARTED_PIDS[@]}"; do
        kill -TERM "$pid" 2>/dev/null
    done
    for pid in "${STARTED_PIDS[@]}"; do
        # Give each a moment to exit cleanly, then insist.
        for _ in 1 2 3 4 5 6 7 8 9 10; do
            kill -0 "$pid" 2>/dev/null || break
            sleep 0.2
        done
        kill -KILL "$pid" 2>/dev/null
    done
    rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP

passed=0
failed=0
failed_names=()

pass() { passed=$((passed + 1)); printf 'PASS  %-44s %s\n' "$1" "$2"; }
fail() {
    failed=$((failed + 1))
    failed_names+=("$1")
    printf 'FAIL  %-44s %s\n' "$1" "$2"
}

# step NAME FUNCTION [ARGS...]: runs a check, its output to a log file.
step() {
    local name="$1" log="$LOGS/$(printf '%s' "$1" | tr -c 'A-Za-z0-9._-' '_').log"
    shift
    local start=$SECONDS
    if "$@" >"$log" 2>&1; then
        pass "$name" "($((SECONDS - start))s)"
    else
        fail "$name" "($((SECONDS - start))s, log: $log)"
        tail -n 25 "$log" | sed 's/^/      /'
    fi
}

# bounded_for SECONDS COMMAND...: runs COMMAND with a time limit. It runs in
# the background and we wait for it, so that SIGINT or SIGTERM reaches our
# trap at once instead of after the command, and the trap stops it.
bounded_for() {
    local limit="$1"
    shift
    timeout --kill-after=5 "$limit" "$@" &
    local pid=$!
    STARTED_PIDS+=("$pid")
    wait "$pid"
    local status=$?
    forget_pid "$pid"
    return $status
}

bounded() { bounded_for "$STEP_TIMEOUT" "$@"; }

forget_pid() {
    local kept=() started
    for started in "${STARTED_PIDS[@]}"; do
        [ "$started" = "$1" ] || kept+=("$started")
    done
    STARTED_PIDS=("${kept[@]}")
}

# start_server NAME COMMAND...: starts a server that prints "listening on
# PORT"; sets SERVER_PID and SERVER_PORT. Fails after 10 s.
start_server() {
    local name="$1"
    shift
    "$@" >"$LOGS/$name.out" 2>"$LOGS/$name.log" &
    SERVER_PID=$!
    STARTED_PIDS+=("$SERVER_PID")
    SERVER_PORT=""
    for _ in $(seq 100); do
        SERVER_PORT="$(sed -n 's/^listening on \([0-9]*\)$/\1/p' "$LOGS/$name.out")"
        [ -n "$SERVER_PORT" ] && return 0
        kill -0 "$SERVER_PID" 2>/dev/null || break
        sleep 0.1
    done
    echo "$name did not start; its log:" >&2
    cat "$LOGS/$name.log" >&2
    return 1
}

# stop_server PID SIGNAL: signals it and waits (bounded); returns its status.
stop_server() {
    local pid="$1" signal="$2"
    kill -"$signal" "$pid" 2>/dev/null
    for _ in $(seq 100); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
    done
    if kill -0 "$pid" 2>/dev/null; then
        echo "process $pid did not stop after SIG$signal" >&2
        kill -KILL "$pid"
    fi
    forget_pid "$pid"
    wait "$pid"
}

free_port() {
    "$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

wait_for_port() {
    local port="$1"
    for _ in $(seq 100); do
        (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && return 0
        sleep 0.1
    done
    return 1
}

sanitizer_reports() { ls "$SANITIZER_LOGS" 2>/dev/null; }

# ------------------------------------------------------------- checks -----

check_tools() {
    local missing=0
    [ -x "$PY" ] || { echo "no Python venv at $VENV"; missing=1; }
    "$PY" -c 'import websockets, websocket, aiohttp, kosoku' || missing=1
    [ -d "$PEERS/node/node_modules/ws" ] || { echo "node ws missing"; missing=1; }
    local tool
    for tool in "$CHROMIUM" nginx node cc c++ make cargo; do
        command -v "$tool" >/dev/null || { echo "$tool not found"; missing=1; }
    done
    [ -f /usr/include/wslay/wslay.h ] || { echo "libwslay-dev missing"; missing=1; }
    [ -f /usr/include/zlib.h ] || { echo "zlib1g-dev missing"; missing=1; }
    [ -f /usr/include/asio.hpp ] || { echo "libasio-dev missing"; missing=1; }
    [ $missing -eq 0 ] || echo "run scripts/install-test-deps.sh first"
    return $missing
}

build() { bounded_for 1200 make -C "$REPO/bindings/c/examples" all asan; }

python_client() { bounded "$PY" "$PEERS/py_clients.py" "$1" "ws://127.0.0.1:$2/echo"; }

node_client() {
    bounded node "$PEERS/node/ws_client.js" "ws://127.0.0.1:$1/echo" chat >"$TMP/node.out" ||
        return 1
    cat "$TMP/node.out"
    # The node client offers permessage-deflate: the server must decline it.
    grep -qx 'open protocol="chat" extensions=""' "$TMP/node.out" &&
        grep -qx 'message "hello"' "$TMP/node.out" &&
        grep -qx 'close 1000' "$TMP/node.out"
}

# --dump-dom may print the page before its script has had the echo back
# (virtual time does not wait for WebSocket frames), so ask again while the
# page still says RUNNING; PASS or FAIL ends it.
chromium_page() {
    local port="$1" attempt result
    for attempt in 1 2 3 4 5; do
        local profile="$TMP/chromium-profile-$attempt"
        mkdir -p "$profile"
        bounded "$CHROMIUM" --headless --no-sandbox --disable-gpu --disable-quic \
            --no-first-run --disable-background-networking --disable-component-update \
            --disable-sync --user-data-dir="$profile" --virtual-time-budget=5000 \
            --dump-dom "http://127.0.0.1:$port/" >"$TMP/dom.html" 2>"$TMP/chromium.log"
        rm -rf "$profile"
        result="$(sed -n 's|.*<div id="result">\(.*\)</div>.*|\1|p' "$TMP/dom.html")"
        echo "attempt $attempt: result: ${result:-<none>}"
        case "$result" in
        PASS) return 0 ;;
        RUNNING) ;;
        *) cat "$TMP/dom.html" "$TMP/chromium.log"; return 1 ;;
        esac
    done
    return 1
}

# c_client [OPTIONS...] URL [MESSAGE]: the C client (ASan+UBSan), bounded.
c_client() { bounded "$BIN/client-asan" "$@"; }

# kosoku_run PORT [REPORTS]: reports go to $OUT/REPORTS (default kosoku).
kosoku_run() {
    local port="$1" reports="$OUT/${2:-kosoku}" args=() glob
    for glob in $KOSOKU_CASES; do args+=(-i "$glob"); done
    rm -rf "$reports"
    echo "cases: ${KOSOKU_CASES:-all} but 12.* and 13.* (they need permessage-deflate)"
    bounded_for "$KOSOKU_TIMEOUT" env -C "$TMP" "$VENV/bin/kosoku" \
        "127.0.0.1:$port" "${args[@]}" -x '12.*' -x '13.*' -o "$reports"
    local status=$?
    "$PY" "$PEERS/kosoku_summary.py" "$reports" && [ $status -eq 0 ]
}

# expect_line FILE LINE: FILE has exactly this line.
expect_line() {
    grep -qxF -- "$2" "$1" && return 0
    echo "expected in $1: $2"
    return 1
}

# same_deflate CLIENT_OUT SERVER_OUT: the last "deflate:" lines of both are
# equal and report permessage-deflate in use.
same_deflate() {
    local ours theirs
    ours="$(grep '^deflate:' "$1" | tail -n 1)"
    theirs="$(grep '^deflate:' "$2" | tail -n 1)"
    echo "client: ${ours:-<none>}"
    echo "server: ${theirs:-<none>}"
    [ -n "$ours" ] && [ "$ours" = "$theirs" ] && [ "$ours" != "deflate: none" ]
}

# deflate_agrees CLIENT_OUT SERVER_OUT: as same_deflate, except that the
# client's server_max_window_bits may exceed the server's: the engine answers a
# reduced server window only to an offer that asked for one and otherwise uses it
# without telling (the client's 15-bit inflater decodes any smaller window).
deflate_agrees() {
    local ours theirs strip='s/ server_max_window_bits=[0-9]*//' bits
    bits='s/.* server_max_window_bits=\([0-9]*\).*/\1/p'
    ours="$(grep '^deflate:' "$1" | tail -n 1)"
    theirs="$(grep '^deflate:' "$2" | tail -n 1)"
    echo "client: ${ours:-<none>}"
    echo "server: ${theirs:-<none>}"
    [ -n "$ours" ] && [ "$ours" != "deflate: none" ] &&
        [ "$(sed "$strip" <<<"$ours")" = "$(sed "$strip" <<<"$theirs")" ] &&
        [ "$(sed -n "$bits" <<<"$ours")" -ge "$(sed -n "$bits" <<<"$theirs")" ]
}

# The C client and a Python websockets server that selects "chat": the
# subprotocol is negotiated, no extension offered or accepted.
c_client_vs_python_server() {
    start_server py_echo_server "$PY" "$PEERS/py_echo_server.py" 0 || return 1
    local pid=$SERVER_PID status=0 out="$TMP/c_client_py.out"
    c_client "ws://127.0.0.1:$SERVER_PORT/" "hello, Python" >"$out" || status=1
    # The old argument form: HOST PORT PATH [MESSAGE].
    c_client 127.0.0.1 "$SERVER_PORT" /old-form >>"$out" || status=1
    stop_server "$pid" TERM
    cat "$out" "$LOGS/py_echo_server.out"
    [ "$(grep -cx 'subprotocol: chat' "$out")" = 2 ] || status=1
    [ "$(grep -cx 'subprotocol: chat' "$LOGS/py_echo_server.out")" = 2 ] || status=1
    expect_line "$out" 'deflate: none' || status=1
    expect_line "$out" 'echo (uncompressed, 13 bytes on the wire): hello, Python' || status=1
    return $status
}

# A Python websockets server without subprotocols. Offering "chat": the
# browser rule (default) fails the connection, --rfc6455 accepts it.
# Offering nothing: accepted.
c_client_vs_python_server_no_subprotocols() {
    start_server py_echo_server_plain "$PY" "$PEERS/py_echo_server.py" 0 --no-subprotocols ||
        return 1
    local pid=$SERVER_PID status=0 url="ws://127.0.0.1:$SERVER_PORT/plain" out="$TMP/plain.out"
    c_client --no-subprotocol "$url" "no subprotocol offered" >"$out" 2>&1 || status=1
    c_client --rfc6455 "$url" "chat offered, RFC 6455 rules" >>"$out" 2>&1 || status=1
    if c_client "$url" "chat offered, browser rules" >>"$out" 2>&1; then
        echo "the browser rule accepted a server that selected no subprotocol"
        status=1
    fi
    stop_server "$pid" TERM
    cat "$out" "$LOGS/py_echo_server_plain.out"
    [ "$(grep -cx 'subprotocol: (none)' "$out")" = 2 ] || status=1
    [ "$(grep -cx 'ok' "$out")" = 2 ] || status=1
    expect_line "$out" 'client: handshake failed: response: server selected no subprotocol (2021)' ||
        status=1
    return $status
}

# A Python websockets server with permessage-deflate (as websockets enables it
# by default): both sides report the same parameters; messages go both ways
# compressed.
c_client_vs_python_server_deflate() {
    start_server py_echo_server_deflate "$PY" "$PEERS/py_echo_server.py" 0 --deflate || return 1
    local pid=$SERVER_PID status=0 out="$TMP/deflate.out"
    local text="compressed hello, compressed hello, compressed hello"
    c_client --deflate "ws://127.0.0.1:$SERVER_PORT/deflate" "$text" >"$out" || status=1
    stop_server "$pid" TERM
    cat "$out" "$LOGS/py_echo_server_deflate.out"
    same_deflate "$out" "$LOGS/py_echo_server_deflate.out" || status=1
    expect_line "$out" 'subprotocol: chat' || status=1
    grep -q '^sent: text, compressed' "$out" || status=1
    grep -qx "echo (compressed, [0-9]* bytes on the wire): $text" "$out" || status=1
    grep -qx 'echo (compressed, [0-9]* bytes on the wire): 6 binary bytes' "$out" || status=1
    return $status
}

# The C client offering two deflate configurations (RFC 7692 section 5.1) to a
# Python websockets server: both windows at 10 first, accepted (offer 0); both
# at 8 first, which websockets declines (zlib has no 8-bit raw deflate), so the
# browsers' offer that follows is accepted (offer 1). Each side reports the
# same parameters and messages go both ways compressed.
c_client_two_deflate_offers() {
    start_server py_echo_server_offers "$PY" "$PEERS/py_echo_server.py" 0 --deflate || return 1
    local pid=$SERVER_PID status=0 bits index n=0 text="two offers, two offers, two offers"
    for bits in 10 8; do
        n=$((n + 1))
        local out="$TMP/offers$bits.out"
        c_client --deflate-windows "$bits" "ws://127.0.0.1:$SERVER_PORT/offers" "$text" >"$out" ||
            status=1
        cat "$out"
        index=$([ "$bits" = 10 ] && echo 0 || echo 1)
        expect_line "$out" "deflate offer: $index" || status=1
        grep '^deflate:' "$LOGS/py_echo_server_offers.out" | sed -n "${n}p" >"$TMP/offers_server$n"
        same_deflate "$out" "$TMP/offers_server$n" || status=1
        grep -qx "echo (compressed, [0-9]* bytes on the wire): $text" "$out" || status=1
    done
    grep -qx 'deflate: .* server_max_window_bits=10 client_max_window_bits=10' \
        "$TMP/offers10.out" || status=1
    stop_server "$pid" TERM
    return $status
}

# A Node ws server (chat, permessage-deflate with every message compressed).
c_client_vs_node_server() {
    start_server node_echo_server node "$PEERS/node/ws_echo_server.js" 0 || return 1
    local pid=$SERVER_PID status=0 out="$TMP/node_server.out"
    c_client --deflate "ws://127.0.0.1:$SERVER_PORT/node" "hello, Node" >"$out" || status=1
    c_client "ws://127.0.0.1:$SERVER_PORT/node" "hello again, Node" >>"$out" || status=1
    stop_server "$pid" TERM
    cat "$out" "$LOGS/node_echo_server.out"
    [ "$(grep -cx 'subprotocol: chat' "$out")" = 2 ] || status=1
    grep -m 1 '^deflate:' "$out" >"$TMP/node_first.out"
    grep -m 1 '^deflate:' "$LOGS/node_echo_server.out" >"$TMP/node_server_first.out"
    same_deflate "$TMP/node_first.out" "$TMP/node_server_first.out" || status=1
    grep -qx 'echo (compressed, [0-9]* bytes on the wire): hello, Node' "$out" || status=1
    grep -qx 'echo (uncompressed, [0-9]* bytes on the wire): hello again, Node' "$out" ||
        status=1
    [ "$(grep -cx 'ok' "$out")" = 2 ] || status=1
    return $status
}

# deflate_client_offers SERVER_ARGS... -- OFFER...: our engine (deflate_server,
# ASan+UBSan) with deflate enabled as SERVER_ARGS say, and a Python websockets
# client per OFFER (its options, "default" for websockets' default offer):
# each side's extension and deflate lines must agree (deflate_agrees when the
# offer does not ask for a server window).
deflate_client_offers() {
    local server_args=()
    while [ "$1" != "--" ]; do server_args+=("$1"); shift; done
    shift
    start_server deflate_server "$BIN/deflate_server-asan" 0 "${server_args[@]}" || return 1
    local pid=$SERVER_PID status=0 offer n=0
    for offer in "$@"; do
        n=$((n + 1))
        local out="$TMP/offer$n.out" args=()
        [ "$offer" = default ] || read -ra args <<<"$offer"
        echo "== server ${server_args[*]:-(defaults)}; client offer: $offer"
        bounded env -C "$PEERS" "$PY" "$PEERS/py_deflate_client.py" \
            "ws://127.0.0.1:$SERVER_PORT/" "${args[@]}" >"$out" || status=1
        cat "$out"
        # The server prints its lines before sending the 101.
        local theirs
        theirs="$(grep '^extension:' "$LOGS/deflate_server.out" | sed -n "${n}p")"
        echo "server $theirs"
        [ "$(grep '^extension:' "$out")" = "$theirs" ] || status=1
        grep '^deflate:' "$LOGS/deflate_server.out" | sed -n "${n}p" >"$TMP/server_deflate$n"
        if [[ "$offer" == *--server-max-window-bits* ]]; then
            same_deflate "$out" "$TMP/server_deflate$n" || status=1
        else
            deflate_agrees "$out" "$TMP/server_deflate$n" || status=1
        fi
        expect_line "$out" 'close: 1000' || status=1
    done
    stop_server "$pid" TERM || status=1
    [ "$(grep -cx 'close: received' "$LOGS/deflate_server.out")" = "$n" ] || status=1
    cat "$LOGS/deflate_server.log"
    return $status
}

# A raw server: a 101 trickled byte by byte with a Ping right after the head
# (handed to wslay first), a trickled refusal (status and body reported), and
# a 101 with the wrong Sec-WebSocket-Accept (the engine's error reported).
c_client_edge_cases() {
    start_server py_raw_server "$PY" "$PEERS/py_raw_server.py" 0 || return 1
    local pid=$SERVER_PID status=0 base="ws://127.0.0.1:$SERVER_PORT" out="$TMP/raw.out"
    c_client "$base/trickle" "trickled hello" >"$out" 2>&1 || status=1
    expect_line "$out" 'after the head: 21 bytes, for wslay' || status=1
    expect_line "$out" 'echo (uncompressed, 14 bytes on the wire): trickled hello' || status=1
    expect_line "$out" 'ok' || status=1
    if c_client "$base/refuse" >>"$out" 2>&1; then status=1; fi
    expect_line "$out" 'client: status 403 Forbidden' || status=1
    expect_line "$out" 'client: body (17 bytes): no entry for you' || status=1
    if c_client "$base/bad-accept" >>"$out" 2>&1; then status=1; fi
    expect_line "$out" \
        'client: handshake failed: response: Sec-WebSocket-Accept does not match the key (2014)' ||
        status=1
    stop_server "$pid" TERM
    cat "$out" "$LOGS/py_raw_server.out"
    return $status
}

server_deflate_interop() {
    local status=0
    deflate_client_offers -- default \
        "--server-max-window-bits 10 --client-max-window-bits 12" \
        "--server-no-context-takeover --client-no-context-takeover --client-max-window-bits 9" \
        || status=1
    # A server that limits both windows and asks for no context takeover.
    deflate_client_offers --server-max-window-bits 11 --client-max-window-bits 10 \
        --client-no-context-takeover -- default \
        "--server-max-window-bits 9 --client-max-window-bits 12" \
        || status=1
    return $status
}

through_nginx() {
    local echo_port="$1" port conf
    port="$(free_port)"
    conf="$TMP/nginx/nginx.conf"
    mkdir -p "$TMP/nginx"
    cat >"$conf" <<EOF
daemon off;
master_process off;
worker_processes 1;
pid $TMP/nginx/nginx.pid;
error_log $TMP/nginx/error.log info;
events { worker_connections 64; }
http {
    access_log $TMP/nginx/access.log;
    client_body_temp_path $TMP/nginx/client_body;
    proxy_temp_path $TMP/nginx/proxy;
    fastcgi_temp_path $TMP/nginx/fastcgi;
    uwsgi_temp_path $TMP/nginx/uwsgi;
    scgi_temp_path $TMP/nginx/scgi;
    server {
        listen 127.0.0.1:$port;
        location / {
            proxy_pass http://127.0.0.1:$echo_port;
            proxy_http_version 1.1;
            proxy_set_header Upgrade \$http_upgrade;
            proxy_set_header Connection "upgrade";
            proxy_set_header Host \$host;
            proxy_read_timeout 30s;
        }
    }
}
EOF
    nginx -c "$conf" -p "$TMP/nginx/" -e "$TMP/nginx/error.log" &
    local pid=$! status=0
    STARTED_PIDS+=("$pid")
    if wait_for_port "$port"; then
        bounded "$PY" "$PEERS/py_clients.py" websockets "ws://127.0.0.1:$port/echo" || status=1
        bounded "$PY" "$PEERS/py_clients.py" aiohttp "ws://127.0.0.1:$port/echo" || status=1
    else
        echo "nginx did not start"
        status=1
    fi
    stop_server "$pid" QUIT || true
    cat "$TMP/nginx/access.log" "$TMP/nginx/error.log" 2>/dev/null | grep -v '\[info\]'
    return $status
}

# stop_main_server [PID NAME]: stops a server (default: the C echo server)
# with SIGTERM: exit status 0, nothing from ASan/UBSan.
stop_main_server() {
    local pid="${1:-$ECHO_PID}" name="${2:-echo_server}"
    stop_server "$pid" TERM
    local status=$?
    echo "$name exit status: $status"
    tail -n 3 "$LOGS/$name.log"
    [ $status -eq 0 ]
}

# python_clients PORT LIBRARY...: each Python client library against PORT.
python_clients() {
    local port="$1" lib status=0
    shift
    for lib in "$@"; do
        echo "== $lib"
        python_client "$lib" "$port" || status=1
    done
    return $status
}

# sigint_with_open_connections [PROGRAM]: a server (default: the C echo
# server) stopped by SIGINT while connections are open in every state: it must
# free them all (LeakSanitizer checks at exit).
sigint_with_open_connections() {
    local program="${1:-echo_server}"
    start_server "${program}_sigint" "$BIN/$program-asan" 0 || return 1
    # One file per program: a stale "holding" from an earlier run must not count.
    local pid=$SERVER_PID port=$SERVER_PORT status=0 hold_out="$TMP/hold-$program.out"
    # Not through bounded(): $! must be timeout itself, which passes our
    # SIGTERM on to the holder (a function would run in a subshell).
    timeout --kill-after=5 "$STEP_TIMEOUT" "$PY" "$PEERS/http_checks.py" 127.0.0.1 "$port" \
        --hold >"$hold_out" 2>&1 &
    local holder=$!
    STARTED_PIDS+=("$holder")
    for _ in $(seq 100); do
        grep -q '^holding$' "$hold_out" && break
        sleep 0.1
    done
    cat "$hold_out"
    grep -q '^holding$' "$hold_out" || status=1
    stop_server "$pid" INT || { echo "$program exited with $?"; status=1; }
    kill -TERM "$holder" 2>/dev/null
    wait "$holder" 2>/dev/null
    cat "$LOGS/${program}_sigint.log"
    return $status
}

no_sanitizer_reports() {
    local reports
    reports="$(sanitizer_reports)"
    [ -z "$reports" ] && { echo "no ASan/UBSan/LSan reports"; return 0; }
    echo "sanitizer reports:"
    local f
    for f in $reports; do
        echo "== $f"
        cat "$SANITIZER_LOGS/$f"
    done
    return 1
}

# -------------------------------------------------------------- main ------

mkdir -p "$LOGS"
rm -rf "$SANITIZER_LOGS" "$LOGS"/*
mkdir -p "$SANITIZER_LOGS"
run_start=$SECONDS
echo "peers: logs in $LOGS"

step "tools installed" check_tools
step "build library and C examples (+asan)" build
if [ $failed -gt 0 ]; then
    echo "peers: $passed passed, $failed failed"
    exit 1
fi

if start_server echo_server "$BIN/echo_server-asan" 0; then
    ECHO_PID=$SERVER_PID
    PORT=$SERVER_PORT
    echo "echo server (ASan+UBSan) on 127.0.0.1:$PORT"
    step "python websockets" python_client websockets "$PORT"
    step "python websocket-client" python_client websocket-client "$PORT"
    step "python aiohttp" python_client aiohttp "$PORT"
    step "node ws" node_client "$PORT"
    step "chromium (page + WebSocket, PASS in DOM)" chromium_page "$PORT"
    step "raw sockets: partial heads, rejections" bounded "$PY" "$PEERS/http_checks.py" 127.0.0.1 "$PORT"
    step "C client -> C echo server" c_client "ws://127.0.0.1:$PORT/echo" "hello from the C client"
    step "kosoku (Autobahn cases)" kosoku_run "$PORT"
    step "nginx proxy: websockets, aiohttp" through_nginx "$PORT"
    step "echo server stops on SIGTERM, exit 0" stop_main_server
else
    fail "start echo server" "(log: $LOGS/echo_server.log)"
fi
# The C++ example: the same clients and checks as the C echo server.
if start_server asio_echo_server "$BIN/asio_echo_server-asan" 0; then
    ASIO_PID=$SERVER_PID
    ASIO_PORT=$SERVER_PORT
    echo "C++ Asio echo server (ASan+UBSan) on 127.0.0.1:$ASIO_PORT"
    step "C++ Asio server: python websockets" python_client websockets "$ASIO_PORT"
    step "C++ Asio server: websocket-client, aiohttp" python_clients "$ASIO_PORT" websocket-client aiohttp
    step "C++ Asio server: raw sockets" bounded "$PY" "$PEERS/http_checks.py" 127.0.0.1 "$ASIO_PORT"
    step "C++ Asio server: chromium (PASS in DOM)" chromium_page "$ASIO_PORT"
    step "C++ Asio server: kosoku (Autobahn cases)" kosoku_run "$ASIO_PORT" kosoku-asio
    step "C++ Asio server stops on SIGTERM, exit 0" stop_main_server "$ASIO_PID" asio_echo_server
else
    fail "start C++ Asio echo server" "(log: $LOGS/asio_echo_server.log)"
fi
step "C client -> Python websockets server (chat)" c_client_vs_python_server
step "C client -> websockets, no subprotocols" c_client_vs_python_server_no_subprotocols
step "C client -> websockets, permessage-deflate" c_client_vs_python_server_deflate
step "C client, two deflate offers -> websockets" c_client_two_deflate_offers
step "C client -> Node ws server (chat, deflate)" c_client_vs_node_server
step "C client: trickled 101, refusal, bad accept" c_client_edge_cases
step "websockets deflate offers -> our server" server_deflate_interop
step "SIGINT with open connections, exit 0" sigint_with_open_connections
step "C++ Asio server: SIGINT with open connections" sigint_with_open_connections asio_echo_server
step "no ASan/UBSan/LSan reports" no_sanitizer_reports

echo "peers: run time $((SECONDS - run_start))s"
[ $failed -gt 0 ] && echo "failed: ${failed_names[*]}"
echo "peers: $passed passed, $failed failed"
[ $failed -eq 0 ]
