#!/usr/bin/env bash
# Runs every test suite: Rust (fmt, clippy, unit + integration + doc tests),
# the engine crate alone (each feature, no_std for thumbv7em-none-eabihf, no
# cbindgen, no SONAME in a downstream cdylib), C (sanitizers, valgrind, C++ header,
# static/shared via pkg-config), the C library under Miri, packaging (installs,
# CMake, cross builds under
# qemu-user, cargo-c), the engine on a Cortex-M4 under qemu-system-arm, Python,
# real peers on loopback and a fuzz smoke run. Installs what it needs first.
#
#   bash scripts/test-all.sh            # everything
#   bash scripts/test-all.sh rust c     # only some stages
set -uo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$REPO"
export WSH_VENV="${WSH_VENV:-$REPO/.venv}"
export CARGO_TERM_COLOR=never
# Tests that drive real peers fail instead of skipping when a peer is missing.
export WSH_REQUIRE_PEERS=1

ALL_STAGES=(deps rust engine c miri packaging cortex_m python peers fuzz)
STAGES=("$@")
[ ${#STAGES[@]} -eq 0 ] && STAGES=("${ALL_STAGES[@]}")

passed=0
failed=0
failed_names=()

stage_deps() { bash scripts/install-test-deps.sh; }

stage_rust() {
    cargo fmt --all --check &&
        cargo clippy --workspace --all-targets -- -D warnings &&
        cargo clippy --profile min-size --no-default-features --lib -- -D warnings &&
        cargo test --workspace --all-targets &&
        cargo test --workspace --doc &&
        RUSTDOCFLAGS="-D warnings" cargo doc --workspace --no-deps --quiet
}

stage_engine() { bash scripts/check-engine.sh; }

stage_c() {
    [ -f bindings/c/Makefile ] || { echo "bindings/c/Makefile missing"; return 1; }
    make -C bindings/c test
}

# The C library's unsafe code under Miri (undefined behaviour, leaks, aliasing):
# its unit tests and the tests/ffi_*.rs suites that call the exported functions
# as C would (ffi_header, ffi_source_rules and ffi_symbols read files or run
# tools and hold no unsafe code). Needs the nightly toolchain the deps stage
# installs.
stage_miri() {
    cargo +nightly miri --version >/dev/null 2>&1 || { echo "miri: no nightly with miri (run the deps stage)"; return 1; }
    local suites=() t
    for t in client config connect one_shot result server server_memory; do suites+=(--test "ffi_$t"); done
    CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$REPO/target}/miri" \
        cargo +nightly miri test -p wshandshake-ffi --lib "${suites[@]}"
}

stage_packaging() { bash tests/packaging/run.sh; }

# The engine in a bare-metal Cortex-M4 program under qemu-system-arm (seconds).
stage_cortex_m() { bash tests/cortex-m/run.sh; }

stage_python() {
    [ -f bindings/python/pyproject.toml ] || { echo "bindings/python missing"; return 1; }
    local venv="${CARGO_TARGET_DIR:-$REPO/target}/py-test-venv"
    WSH_PY_TEST_VENV="$venv" bash bindings/python/run-tests.sh -q &&
        bash bindings/python/wheel-test.sh &&
        WSH_README_PYTHON="$venv/bin/python" bash tests/readme/run.sh
}

stage_peers() {
    [ -f tests/peers/run.sh ] || { echo "tests/peers/run.sh missing"; return 1; }
    bash tests/peers/run.sh
}

stage_fuzz() {
    [ -f scripts/fuzz-smoke.sh ] || { echo "scripts/fuzz-smoke.sh missing"; return 1; }
    bash scripts/fuzz-smoke.sh
}

for stage in "${STAGES[@]}"; do
    echo "=== stage: $stage ==="
    start=$(date +%s)
    if "stage_$stage"; then
        passed=$((passed + 1))
        echo "=== stage $stage passed in $(( $(date +%s) - start ))s ==="
    else
        failed=$((failed + 1))
        failed_names+=("$stage")
        echo "=== stage $stage FAILED in $(( $(date +%s) - start ))s ==="
    fi
done

[ $failed -gt 0 ] && echo "failed stages: ${failed_names[*]}"
echo "stages: $passed passed, $failed failed"
[ $failed -eq 0 ]
