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
# 4. Runs the same suite on PyPy (Debian's pypy3, installed with apt-get when
#    missing and possible), in its own venv, with the newest pytest,
#    websockets and wsproto that support its Python 3.9. WSH_PYPY=0 skips it.
#
# Environment: WSH_PYTHON (interpreter for the venv, default python3),
# WSH_PY_TEST_VENV (venv to reuse; the PyPy one is "$WSH_PY_TEST_VENV-pypy"),
# WSH_PYPY, CARGO_TARGET_DIR (cargo's).
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

run_pytest() {  # run_pytest PYTHON ARGS...: pytest's status, 5 (no tests) a failure
    local status
    set +e
    (cd "$here" && "$@")
    status=$?
    set -e
    if [ "$status" -eq 5 ]; then
        echo "run-tests.sh: pytest collected no tests" >&2
        return 1
    fi
    return "$status"
}

status=0
run_pytest "$venv/bin/python" -m pytest tests "$@" || status=$?

if [ "${WSH_PYPY:-1}" != 0 ]; then
    if ! command -v pypy3 >/dev/null && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
        echo "run-tests.sh: apt-get install pypy3 pypy3-venv"
        apt-get install -y -qq pypy3 pypy3-venv >/dev/null ||
            { apt-get update -qq >/dev/null && apt-get install -y -qq pypy3 pypy3-venv >/dev/null; }
    fi
    if ! command -v pypy3 >/dev/null; then
        echo "run-tests.sh: FAIL: pypy3 is not installed and could not be (set WSH_PYPY=0 to skip)" >&2
        exit 1
    fi
    if [ -n "${WSH_PY_TEST_VENV:-}" ]; then
        pypy_venv="$WSH_PY_TEST_VENV-pypy"
    else
        pypy_venv="$venv/pypy"
    fi
    [ -x "$pypy_venv/bin/python" ] || pypy3 -m venv "$pypy_venv"
    echo "run-tests.sh: PyPy venv $pypy_venv ($("$pypy_venv/bin/python" --version 2>&1 | tr '\n' ' '))"
    # The newest releases that support PyPy's Python 3.9.
    "$pypy_venv/bin/python" -m pip install --quiet pytest==8.4.2 websockets==15.0.1 wsproto==1.2.0
    "$pypy_venv/bin/python" -m pip install --quiet --force-reinstall --no-deps "$here"
    run_pytest "$pypy_venv/bin/python" -m pytest -p no:cacheprovider tests "$@" || status=$?
fi
exit "$status"
