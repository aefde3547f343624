#!/usr/bin/env bash
# Compiles and runs the README's C, C++ and Python examples so the
# documentation cannot rot. (The Rust examples are doctests: src/lib.rs includes README.md.)
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$HERE/../.." && pwd)"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
TARGET_DIR="${CARGO_TARGET_DIR:-$REPO/target}"
passed=0
failed=0
run() {
    local name="$1"
    shift
    if "$@" >"$WORK/log" 2>&1; then
        passed=$((passed + 1)); echo "ok   $name"
    else
        failed=$((failed + 1)); echo "FAIL $name"; tail -20 "$WORK/log"
    fi
}

(cd "$REPO" && cargo build --release --lib --quiet)
{
    echo '#define _POSIX_C_SOURCE 200809L'
    echo '#include <sys/types.h>'
    python3 "$HERE/extract.py" c-server
    cat "$HERE/harness_c_server.c"
} >"$WORK/c_server.c"
run "README C example compiles (-std=c99 -Wall -Wextra -Werror -pedantic) and answers a request" bash -c "
    cc -std=c99 -Wall -Wextra -Werror -pedantic -I'$REPO/include' '$WORK/c_server.c' '$TARGET_DIR/release/libwshandshake_ffi.a' \
        -lgcc_s -lutil -lrt -lpthread -lm -ldl -lc -o '$WORK/c_server' && '$WORK/c_server'"

{
    python3 "$HERE/extract.py" cxx-server
    cat "$HERE/harness_cxx_server.cpp"
} >"$WORK/cxx_server.cpp"
run "README C++ example compiles (-std=c++17 and c++20, -Wall -Wextra -Werror -pedantic) and answers requests" bash -c "
    for std in c++17 c++20; do
        c++ -std=\$std -Wall -Wextra -Werror -pedantic -pthread -I'$REPO/include' '$WORK/cxx_server.cpp' \
            '$TARGET_DIR/release/libwshandshake_ffi.a' -lgcc_s -lutil -lrt -lpthread -lm -ldl -lc -o '$WORK/cxx_server' &&
            '$WORK/cxx_server' || exit 1
    done"

if [ -n "${WSH_README_PYTHON:-}" ]; then
    python3 "$HERE/extract.py" python-server >"$WORK/example.py"
    run "README Python example runs" "$WSH_README_PYTHON" "$HERE/harness_python.py" "$WORK/example.py"
else
    echo "skip README Python example: set WSH_README_PYTHON to a python with wshandshake installed"
    [ -z "${WSH_REQUIRE_PEERS:-}" ] || failed=$((failed + 1))
fi
echo "readme: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
