#!/usr/bin/env bash
# Measures the stack each libwshandshake call uses (tests/stack_use.c, a
# painted thread stack) on x86_64 and, when the cross tools are there
# (rustup target armv7-unknown-linux-gnueabihf, Debian gcc-arm-linux-gnueabihf
# and qemu-user), on armv7 under qemu-arm. Fails when a call exceeds the bound
# the header documents. Run from the repository root:
#   bash bindings/c/tests/stack_use.sh
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../../.." && pwd)
TARGET_DIR=${CARGO_TARGET_DIR:-$ROOT/target}
OUT=$ROOT/bindings/c/build
FIXTURES=$ROOT/tests/fixtures/requests
STRICT=(-std=c99 -Wall -Wextra -Werror -pedantic -O1 -g -I"$ROOT/include")
mkdir -p "$OUT"

cargo build --release --lib --manifest-path "$ROOT/Cargo.toml"
cc "${STRICT[@]}" "$ROOT/bindings/c/tests/stack_use.c" \
    "$TARGET_DIR/release/libwshandshake_ffi.a" -lpthread -lm -ldl -lc -o "$OUT/stack_use"
echo "x86_64:"
"$OUT/stack_use" "$FIXTURES"

ARM=armv7-unknown-linux-gnueabihf
if command -v arm-linux-gnueabihf-gcc >/dev/null && command -v qemu-arm >/dev/null &&
    rustup target list --installed 2>/dev/null | grep -qx "$ARM"; then
    CARGO_TARGET_ARMV7_UNKNOWN_LINUX_GNUEABIHF_LINKER=arm-linux-gnueabihf-gcc \
        cargo build --release --lib --target "$ARM" --manifest-path "$ROOT/Cargo.toml"
    # -w: the static glibc link warns about getaddrinfo in std, which is never called.
    arm-linux-gnueabihf-gcc "${STRICT[@]}" -w "$ROOT/bindings/c/tests/stack_use.c" \
        "$TARGET_DIR/$ARM/release/libwshandshake_ffi.a" -lpthread -lm -ldl -lc \
        -o "$OUT/stack_use_armv7"
    echo "armv7 (qemu-arm):"
    qemu-arm -L /usr/arm-linux-gnueabihf "$OUT/stack_use_armv7" "$FIXTURES"
else
    echo "armv7: skipped (needs rustup target $ARM, gcc-arm-linux-gnueabihf, qemu-user)"
fi
