#!/usr/bin/env bash
# Runs the Python binding's test suite against a freshly installed package.
#
# 1. Makes a fresh venv under ${TMPDIR:-/tmp} (removed afterwards), or reuses
#    the one named by WSH_PY_TEST_VENV (created if missing, kept).
# 2. Installs pytest, websockets and wsproto at the versions pinned in
#    tests/peers/requirements.txt, then `pip install ./bindings/python`, whose
#    build runs `cargo build --release` (honouring CARGO_TARGET_DIR) and bundles
#    the library in the package. Works from a clean clone.
# 3. Runs pytest on bindings/python/tests; extra arguments go to pytest.
#    pytest's exit code 5 (no tests collected) is a failure.
#
# Environment: WSH_PYTHON (interpreter for the venv, default python3),
# WSH_PY_TEST_VENV (venv to reuse), CARGO_TARGET_DIR (cargo's).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
python="${WSH_PYTHON:-python3}"
requirements="$repo/tests/peers/requirements.txt"

pin() {
    local line
    line="$(grep -E "^$1==" "$requirements" | head -n 1 || true)"
    if [ -z "$line" ]; then
        echo "run-tests.sh: no pin for $1 in $requirements" >&2
        exit 1
    fi
    echo "$line"
}

if [ -n "${WSH_PY_TEST_VENV:-}" ]; then
    venv="$WSH_PY_TEST_VENV"
    if [ ! -x "$venv/bin/python" ]; then
        "$python" -m venv "$venv"
    fi
else
    venv="$(mktemp -d "${TMPDIR:-/tmp}/wsh-py-test.XXXXXX")"
    trap 'rm -rf "$venv"' EXIT
    "$python" -m venv "$venv"
fi

echo "run-tests.sh: venv $venv ($("$venv/bin/python" --version))"
"$venv/bin/python" -m pip install --quiet "$(pin pytest)" "$(pin websockets)" "$(pin wsproto)"
echo "run-tests.sh: pip install $here (builds the Rust library with cargo)"
"$venv/bin/python" -m pip install --quiet --force-reinstall --no-deps "$here"

cd "$here"
set +e
"$venv/bin/python" -m pytest tests "$@"
status=$?
set -e
if [ "$status" -eq 5 ]; then
    echo "run-tests.sh: pytest collected no tests" >&2
    exit 1
fi
exit "$status"
