#!/usr/bin/env bash
# Instruction counts per handshake under callgrind (stable on a noisy machine).
# Each case runs N+1 and 1 iterations; the difference / N is the cost of one
# handshake without process start-up. valgrind runs the software SHA-1 path
# for every case alike, so the ratios compare like with like.
#
#   bash scripts/bench-callgrind.sh            # writes target/bench/callgrind.json
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
N="${CALLGRIND_ITERATIONS:-1000}"
cargo bench --bench handshake --no-run --quiet 2>/dev/null || cargo bench --bench handshake --no-run
BIN=$(cargo bench --bench handshake --no-run --message-format=json 2>/dev/null |
    python3 -c 'import json,sys
for l in sys.stdin:
    m=json.loads(l)
    if m.get("reason")=="compiler-artifact" and m.get("target",{}).get("name")=="handshake" and m.get("executable"): print(m["executable"])' | tail -1)
count() {
    valgrind --tool=callgrind --callgrind-out-file=/dev/null "$BIN" --only "$1" "$2" "$3" 2>&1 |
        awk '/Collected/ {print $4}'
}
CASES="${CASES:-floor one-shot ffi-one-shot handle ffi-handle handle-bytewise tungstenite}"
mkdir -p target/bench
out=target/bench/callgrind.json
echo '{"unit":"instructions per handshake","results":[' >"$out"
first=1
printf '%-16s %-16s %12s %9s %10s\n' request case instructions "x FLOOR" "x tungst."
for req in rfc6455 chrome 3-subprotocols; do
    declare -A per=()
    for c in $CASES; do
        if ! "$BIN" --only "$c" "$req" 1 >/dev/null 2>&1; then continue; fi
        a=$(count "$c" "$req" 1)
        b=$(count "$c" "$req" $((N + 1)))
        per[$c]=$(( (b - a) / N ))
    done
    for c in $CASES; do
        [ -n "${per[$c]:-}" ] || continue
        printf '%-16s %-16s %12d %9.2f %10.2f\n' "$req" "$c" "${per[$c]}" \
            "$(echo "${per[$c]} / ${per[floor]:-${per[$c]}}" | bc -l)" "$(echo "${per[$c]} / ${per[tungstenite]:-${per[$c]}}" | bc -l)"
        [ $first -eq 1 ] || echo ',' >>"$out"
        first=0
        printf '{"request":"%s","case":"%s","instructions":%d}' "$req" "$c" "${per[$c]}" >>"$out"
    done
    unset per
done
echo ']}' >>"$out"
echo "wrote $out"
