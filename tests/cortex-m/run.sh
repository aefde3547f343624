#!/usr/bin/env bash
# Builds the bare-metal program (tests/cortex-m, thumbv7em-none-eabihf) and runs
# it under qemu-system-arm on the MPS2 AN386 board model (Cortex-M4) with
# semihosting: the engine answers the RFC 6455 sample request and the program
# exits 0 only if the 101 matches RFC 6455 §1.3 byte for byte. Bounded: 120 s.
# Prints the image's section sizes (README "Footprint").
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
TARGET_DIR="${CARGO_TARGET_DIR:-$HERE/../../target}/cortex-m"
passed=0
failed=0
check() {
    local name="$1"
    shift
    if "$@" >"$WORK/log" 2>&1; then
        passed=$((passed + 1)); echo "ok   $name"
    else
        failed=$((failed + 1)); echo "FAIL $name"; sed 's/^/     /' "$WORK/log" | tail -25
    fi
}
elf="$TARGET_DIR/thumbv7em-none-eabihf/release/wshandshake-cortex-m"
# The directory's .cargo/config.toml sets the target and the linker script.
build() { (cd "$HERE" && CARGO_TARGET_DIR="$TARGET_DIR" cargo build --release --quiet); }
run_qemu() {
    timeout 120 qemu-system-arm -machine mps2-an386 -cpu cortex-m4 -nographic -monitor none -serial none \
        -semihosting-config enable=on,target=native -kernel "$elf" >"$WORK/out" 2>&1
    local status=$?
    cat "$WORK/out"
    [ $status -eq 0 ] && grep -q '^PASS: thumbv7em-none-eabihf 101 is RFC 6455 section 1.3 byte for byte$' "$WORK/out"
}
check "cortex-m: the engine builds into a thumbv7em-none-eabihf program" build
check "cortex-m: under qemu-system-arm (mps2-an386) the 101 matches RFC 6455 byte for byte; exit status 0" run_qemu
if [ -f "$elf" ]; then
    sed -n 's/^\(heap used.*\)$/cortex-m: \1/p' "$WORK/out" 2>/dev/null || true
    readelf -S -W "$elf" | sed -n 's/^ *\[ *[0-9]*\] \(\.[a-z_]*\) *[A-Z]* *[0-9a-f]* *[0-9a-f]* *\([0-9a-f]*\).*/\1 \2/p' |
        while read -r name hex; do
            case "$name" in .vector_table | .text | .rodata | .data | .bss) printf 'cortex-m: %-13s %6d bytes\n' "$name" $((16#$hex)) ;; esac
        done
fi
echo "cortex-m: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
