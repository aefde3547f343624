#!/usr/bin/env bash
# Runs every cargo-fuzz target in fuzz/ for FUZZ_SECONDS (default 60) seconds,
# one target at a time, seeded from tests/fixtures/requests/*.http.
#
#   bash scripts/fuzz-smoke.sh                      # all targets, fixed seed
#   FUZZ_SEED=random FUZZ_SECONDS=600 bash scripts/fuzz-smoke.sh   # explore (by hand)
#   FUZZ_TARGETS="server_feed token_list" bash scripts/fuzz-smoke.sh
#   FUZZ_SEEDS_ONLY=1 bash scripts/fuzz-smoke.sh    # only write fuzz/corpus seeds
#
# Needs `cargo +nightly`; installs cargo-fuzz when missing (about 2 minutes).
# Without a nightly toolchain it says why it skips and exits 0: the same
# invariants run on stable in tests/fuzz_smoke.rs. A crash, a broken invariant
# (a panic in the target), a hang (-timeout) or a memory blow-up (-rss_limit_mb)
# fails the run and leaves the input in fuzz/artifacts/<target>/.
set -uo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$REPO"
SECONDS_PER_TARGET="${FUZZ_SECONDS:-60}"
# The test run is reproducible: one libFuzzer seed and a fixed number of
# executions per target (the time is only a cap), so a clean clone explores the
# same inputs every time. Exploring new ground is the by-hand run with
# FUZZ_SEED=random and a long FUZZ_SECONDS; what it finds becomes a test in
# engine/tests/regressions.rs.
FUZZ_SEED="${FUZZ_SEED:-20261204}"
if [ "$FUZZ_SEED" = random ]; then
    seed_args=()
    runs_args=()
else
    seed_args=(-seed="$FUZZ_SEED")
fi

skip() {
    echo "fuzz-smoke: skipping: $1 (the stable invariants run in tests/fuzz_smoke.rs)"
    exit 0
}

command -v cargo >/dev/null 2>&1 || skip "cargo not found"
cargo +nightly --version >/dev/null 2>&1 || skip "no nightly toolchain (cargo +nightly fails)"
if ! cargo +nightly fuzz --version >/dev/null 2>&1; then
    echo "fuzz-smoke: installing cargo-fuzz (cargo install cargo-fuzz --locked)"
    cargo install cargo-fuzz --locked >/dev/null 2>&1 ||
        skip "cargo-fuzz is missing and could not be installed"
fi

TARGET_DIR="${CARGO_TARGET_DIR:-$REPO/fuzz/target}/fuzz"
LOG_DIR="$(mktemp -d "${TMPDIR:-/tmp}/wsh-fuzz.XXXXXX")"

byte() { printf "\\$(printf '%03o' "$1")"; }

# Seeds: fixtures framed for each target (see tests/support/chunking.rs and the
# targets' layout comments), and the header values they carry.
make_seeds() {
    local c="$REPO/fuzz/corpus"
    mkdir -p "$c"/{server_feed,server_accessors,server_one_shot,client_feed,token_list,extension_grammar,permessage_deflate}
    local f base cfg n=0
    for f in tests/fixtures/requests/*.http; do
        base="$(basename "$f" .http)"
        for cfg in 0 1 2 3 4 5; do
            { byte "$cfg"; byte 0; cat "$f"; } >"$c/server_feed/seed-$base-$cfg-whole"
            { byte "$cfg"; byte 2; byte 0; byte 6; cat "$f"; } >"$c/server_feed/seed-$base-$cfg-1-7"
            { byte "$cfg"; byte 2; byte 0; byte 6; cat "$f"; } >"$c/server_accessors/seed-$base-$cfg-1-7"
            { byte "$cfg"; byte 255; byte 0; cat "$f"; } >"$c/server_one_shot/seed-$base-$cfg"
        done
        { byte 1; byte 255; byte 24; cat "$f"; printf 'X-A|ok|X-B|v|x-ext; a=1|chat'; } \
            >"$c/server_one_shot/seed-$base-choices"
        while IFS= read -r line; do
            n=$((n + 1))
            line="${line%$'\r'}"
            case "$line" in
            [Ss]ec-[Ww]eb[Ss]ocket-[Ee]xtensions:*)
                printf '%s' "${line#*: }" >"$c/extension_grammar/seed-$n"
                { byte 8; byte 8; printf '%s' "${line#*: }"; } >"$c/permessage_deflate/seed-$n-a"
                { byte 18; byte 3; printf '%s' "${line#*: }"; } >"$c/permessage_deflate/seed-$n-b"
                ;;
            *:*) printf '%s' "${line#*: }" >"$c/token_list/seed-$n" ;;
            esac
        done <"$f"
    done
    local ok='HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n'
    for cfg in 0 1 2; do
        { byte "$cfg"; byte 0; printf "$ok"'\r\n'; } >"$c/client_feed/seed-101-$cfg"
        { byte "$cfg"; byte 1; byte 3; printf "$ok"'Sec-WebSocket-Protocol: chat\r\nSec-WebSocket-Extensions: permessage-deflate; server_no_context_takeover; server_max_window_bits=9\r\n\r\n'; } \
            >"$c/client_feed/seed-101-ext-$cfg"
        { byte "$cfg"; byte 0; printf 'HTTP/1.1 100 Continue\r\n\r\n'"$ok"'\r\n\x81\x05hello'; } >"$c/client_feed/seed-interim-$cfg"
        { byte "$cfg"; byte 0; printf 'HTTP/1.1 401 Unauthorized\r\nTransfer-Encoding: chunked\r\n\r\n4\r\nauth\r\n0\r\n\r\n'; } \
            >"$c/client_feed/seed-401-$cfg"
        { byte "$cfg"; byte 0; printf 'HTTP/1.1 403 Forbidden\r\nContent-Length: 5\r\n\r\nnope!'; } >"$c/client_feed/seed-403-$cfg"
        { byte "$cfg"; byte 0; printf 'HTTP/1.1 304 Not Modified\r\nContent-Length: 4\r\n\r\n'; } >"$c/client_feed/seed-304-$cfg"
    done
    printf '%s' 'permessage-deflate; client_max_window_bits; server_max_window_bits=10, permessage-deflate' \
        >"$c/extension_grammar/seed-rfc7692"
    { byte 8; byte 8; printf '%s' 'permessage-deflate; server_max_window_bits="12"; client_no_context_takeover, permessage-deflate'; } \
        >"$c/permessage_deflate/seed-rfc7692"
}

make_seeds
[ -n "${FUZZ_SEEDS_ONLY:-}" ] && { echo "fuzz-smoke: seeds written to fuzz/corpus"; exit 0; }
targets="${FUZZ_TARGETS:-$(cd fuzz && cargo +nightly fuzz list 2>/dev/null)}"
[ -n "$targets" ] || skip "no fuzz targets listed by cargo fuzz list"

echo "fuzz-smoke: building targets"
(cd fuzz && cargo +nightly fuzz build --target-dir "$TARGET_DIR") >"$LOG_DIR/build.log" 2>&1 || {
    tail -30 "$LOG_DIR/build.log"
    echo "fuzz-smoke: build failed"
    exit 1
}

failed=0
passed=0
for t in $targets; do
    case "$t" in
    server_* | client_*) max_len=24576 len_control=20 ;;
    *) max_len=4096 len_control=100 ;;
    esac
    # 20-40 s each on a 2-core machine, under the time cap even when loaded
    # (a run the cap stops is a prefix of the same sequence, and passes).
    case "$t" in
    server_feed | client_feed) runs=250000 ;;
    server_accessors | server_one_shot | permessage_deflate) runs=600000 ;;
    *) runs=1000000 ;;
    esac
    [ "$FUZZ_SEED" = random ] || runs_args=(-runs="$runs")
    log="$LOG_DIR/$t.log"
    start=$(date +%s)
    (cd fuzz && cargo +nightly fuzz run --target-dir "$TARGET_DIR" "$t" -- \
        "${seed_args[@]}" "${runs_args[@]}" \
        -max_total_time="$SECONDS_PER_TARGET" -dict=http.dict -max_len="$max_len" -len_control="$len_control" \
        -timeout=10 -rss_limit_mb=2048 -print_final_stats=1) >"$log" 2>&1
    rc=$?
    executed=$(grep -o 'stat::number_of_executed_units: [0-9]*' "$log" | tail -1 | grep -o '[0-9]*$')
    if [ $rc -eq 0 ]; then
        passed=$((passed + 1))
        echo "fuzz-smoke: $t: ${executed:-?} executions in $(($(date +%s) - start))s, no finding"
    else
        failed=$((failed + 1))
        grep -E 'panicked|ERROR|SUMMARY|Test unit written|Running:' "$log" | head -20
        echo "fuzz-smoke: $t: FAILED after ${executed:-?} executions (FUZZ_SEED=$FUZZ_SEED) (log: $log)"
        echo "  reproduce: (cd fuzz && cargo +nightly fuzz run $t artifacts/$t/<file>)"
    fi
done
echo "fuzz-smoke: $passed passed, $failed failed"
[ $failed -eq 0 ]
