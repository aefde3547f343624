#!/usr/bin/env bash
# Installs the library into a temporary prefix (scripts/install-c.sh, and
# `cargo cinstall` when cargo-c is available or WSH_CARGO_C=1) and builds C, C++
# and CMake consumers against it with pkg-config, shared and static.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$HERE/../.." && pwd)"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
passed=0
failed=0
check() {
    local name="$1"
    shift
    if "$@" >"$WORK/log" 2>&1; then
        passed=$((passed + 1))
        echo "ok   $name"
    else
        failed=$((failed + 1))
        echo "FAIL $name"
        sed 's/^/     /' "$WORK/log" | tail -20
    fi
}

consumers() {
    local prefix="$1" label="$2"
    local pc="$prefix/lib/pkgconfig"
    local lib="$prefix/lib"
    check "$label: layout (header, .so.X.Y.Z -> .so.X -> .so, .a, .pc)" bash -c "
        test -f '$prefix/include/wshandshake.h' && test -f '$lib/libwshandshake.a' &&
        test -f '$pc/wshandshake.pc' && test -L '$lib/libwshandshake.so' && test -L '$lib/libwshandshake.so.0' &&
        ls '$lib'/libwshandshake.so.0.* >/dev/null"
    check "$label: SONAME is libwshandshake.so.0" bash -c "readelf -d '$lib/libwshandshake.so' | grep -q 'SONAME.*\[libwshandshake.so.0\]'"
    check "$label: C, shared, via pkg-config" bash -c "
        cc -std=c99 -Wall -Wextra -Werror -pedantic '$HERE/hello.c' -o '$WORK/hello' \$(PKG_CONFIG_PATH='$pc' pkg-config --cflags --libs wshandshake) &&
        readelf -d '$WORK/hello' | grep -q 'NEEDED.*libwshandshake.so.0' &&
        LD_LIBRARY_PATH='$lib' '$WORK/hello'"
    check "$label: C, static, via pkg-config --static" bash -c "
        cc -std=c99 -Wall -Wextra -Werror '$HERE/hello.c' -o '$WORK/hello_static' \$(PKG_CONFIG_PATH='$pc' pkg-config --cflags wshandshake) \
            -L'$lib' -Wl,-Bstatic -lwshandshake -Wl,-Bdynamic \$(PKG_CONFIG_PATH='$pc' pkg-config --static --libs-only-l wshandshake | sed 's/-lwshandshake//') &&
        ! readelf -d '$WORK/hello_static' | grep -q libwshandshake && '$WORK/hello_static'"
    check "$label: C++, shared, via pkg-config" bash -c "
        c++ -std=c++11 -Wall -Wextra -Werror '$HERE/hello.cpp' -o '$WORK/hello_cpp' \$(PKG_CONFIG_PATH='$pc' pkg-config --cflags --libs wshandshake) &&
        LD_LIBRARY_PATH='$lib' '$WORK/hello_cpp'"
    check "$label: CMake pkg_check_modules IMPORTED_TARGET" bash -c "
        rm -rf '$WORK/cmake-build' && PKG_CONFIG_PATH='$pc' cmake -S '$HERE/cmake' -B '$WORK/cmake-build' >/dev/null &&
        cmake --build '$WORK/cmake-build' >/dev/null && LD_LIBRARY_PATH='$lib' '$WORK/cmake-build/hello'"
}

check "fallback install (scripts/install-c.sh)" bash "$REPO/scripts/install-c.sh" "$WORK/prefix"
consumers "$WORK/prefix" "install-c.sh"

# Runs when cargo-c is installed; WSH_CARGO_C=1 installs it first (building it
# takes about ten minutes on two cores, so a fresh machine skips it by default).
if command -v cargo-cinstall >/dev/null 2>&1 || [ "${WSH_CARGO_C:-0}" = 1 ]; then
    if ! command -v cargo-cinstall >/dev/null 2>&1; then
        check "cargo-c 0.10.24 installs" cargo install cargo-c --version 0.10.24 --locked --quiet
    fi
    check "cargo cinstall" bash -c "cd '$REPO' && cargo cinstall --release --prefix='$WORK/cprefix' --libdir='$WORK/cprefix/lib'"
    consumers "$WORK/cprefix" "cargo cinstall"
else
    echo "skip cargo cinstall: cargo-c not installed (WSH_CARGO_C=1 installs cargo-c 0.10.24 first)"
fi
echo "packaging: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
