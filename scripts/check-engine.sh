#!/usr/bin/env bash
# Checks the engine crate (engine/, `wshandshake`) the way a Rust or embedded
# user gets it, apart from the C library:
#   - its dependency tree has no cbindgen, and no getrandom without that feature;
#   - it builds and lints clean with no features and with each feature alone;
#   - it builds without std for thumbv7em-none-eabihf (Cortex-M4F/M7F), with no
#     features and with everything but getrandom; the target is installed with
#     rustup first, and when that is impossible on this machine the check says
#     so and is skipped, not failed;
#   - it builds with the toolchain its rust-version names (installed with
#     rustup, or skipped with a message where that is impossible);
#   - a downstream cdylib that depends on the engine carries no SONAME of ours
#     (the C library's build.rs sets libwshandshake.so.0 for its own cdylib only);
#   - `cargo publish --dry-run --workspace` packages and verifies both crates,
#     each with only its own files, without warnings.
#
#   bash scripts/check-engine.sh
set -uo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$REPO"
EMBEDDED_TARGET=thumbv7em-none-eabihf
FEATURES=(client extended-connect getrandom)
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
passed=0
failed=0
skipped=0

check() {
    local name="$1"
    shift
    if "$@" >"$WORK/log" 2>&1; then
        passed=$((passed + 1))
        echo "ok   $name"
    else
        failed=$((failed + 1))
        echo "FAIL $name"
        sed 's/^/     /' "$WORK/log" | tail -30
    fi
}

# The tree a user's `cargo add wshandshake` brings in (normal and build edges).
tree_has_no() {
    local crate="$1"
    shift
    cargo tree -p wshandshake -e normal,build --prefix none "$@" >"$WORK/tree" || return 1
    cat "$WORK/tree"
    # The tree must list the engine itself, so an empty answer cannot pass.
    grep -q '^wshandshake v' "$WORK/tree" && ! grep -q "^$crate v" "$WORK/tree"
}
check "cargo tree -p wshandshake: no cbindgen" tree_has_no cbindgen
check "cargo tree -p wshandshake --no-default-features: no getrandom" \
    tree_has_no getrandom --no-default-features
check "cargo tree -p wshandshake-ffi: cbindgen is the C library's build dependency" bash -c \
    "cargo tree -p wshandshake-ffi -e build --prefix none | grep -q '^cbindgen v'"

# Clippy with -D warnings: an item that only one feature uses must not be dead
# code (or unreachable pub) when that feature is off.
check "engine, no features: builds and lints clean" \
    cargo clippy -p wshandshake --no-default-features --lib -- -D warnings
for feature in "${FEATURES[@]}"; do
    check "engine, feature $feature alone: builds and lints clean" \
        cargo clippy -p wshandshake --no-default-features --features "$feature" --lib -- -D warnings
done
check "engine, default features: builds and lints clean" \
    cargo clippy -p wshandshake --lib -- -D warnings

if rustup target list --installed 2>/dev/null | grep -qx "$EMBEDDED_TARGET" ||
    rustup target add "$EMBEDDED_TARGET" >"$WORK/rustup.log" 2>&1; then
    check "engine, no_std: builds for $EMBEDDED_TARGET with no features" \
        cargo build -p wshandshake --no-default-features --target "$EMBEDDED_TARGET"
    check "engine, no_std: builds for $EMBEDDED_TARGET with client and extended-connect" \
        cargo build -p wshandshake --no-default-features --features client,extended-connect \
        --target "$EMBEDDED_TARGET"
else
    skipped=$((skipped + 1))
    echo "skip engine for $EMBEDDED_TARGET: rustup cannot install the target on this machine:"
    sed 's/^/     /' "$WORK/rustup.log" | tail -5
fi

# The declared rust-version is the oldest toolchain that builds the engine.
MSRV="$(sed -n 's/^rust-version = "\(.*\)"/\1/p' engine/Cargo.toml)"
if [ -z "$MSRV" ]; then
    check "engine/Cargo.toml declares rust-version" false
elif rustup run "$MSRV" cargo --version >/dev/null 2>&1 ||
    rustup toolchain install "$MSRV" --profile minimal >"$WORK/rustup.log" 2>&1; then
    check "engine builds with its rust-version ($MSRV), every feature" \
        cargo "+$MSRV" build -p wshandshake --features test-internals
else
    skipped=$((skipped + 1))
    echo "skip engine with Rust $MSRV: rustup cannot install that toolchain on this machine:"
    sed 's/^/     /' "$WORK/rustup.log" | tail -5
fi

# A crate of a user's that depends on the engine and ships its own cdylib.
downstream_cdylib() {
    local dir="$WORK/downstream"
    mkdir -p "$dir/src"
    cat >"$dir/Cargo.toml" <<EOF
[package]
name = "wsh-downstream"
version = "0.0.0"
edition = "2024"
publish = false

[lib]
crate-type = ["cdylib"]

[dependencies]
wshandshake = { path = "$REPO/engine" }

[workspace]
EOF
    cat >"$dir/src/lib.rs" <<'EOF'
//! A downstream C library built over the engine.

/// Writes the Sec-WebSocket-Accept value for the 24-byte key at `key` to `out`.
///
/// # Safety
/// `key` points to 24 readable bytes and `out` to 28 writable bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn downstream_accept(key: *const u8, out: *mut u8) {
    // SAFETY: the caller guarantees both ranges (see above).
    let (key, out) = unsafe {
        (
            core::slice::from_raw_parts(key, wshandshake::KEY_LEN),
            core::slice::from_raw_parts_mut(out, wshandshake::ACCEPT_LEN),
        )
    };
    out.copy_from_slice(&wshandshake::accept_key(key));
}
EOF
    cargo build --quiet --manifest-path "$dir/Cargo.toml" || return 1
    local so="${CARGO_TARGET_DIR:-$dir/target}/debug/libwsh_downstream.so"
    readelf -d "$so" >"$WORK/dynamic" || return 1
    cat "$WORK/dynamic"
    # It is a real shared library exporting the function, and has no SONAME of ours.
    grep -q 'Shared library' "$WORK/dynamic" &&
        nm -D --defined-only "$so" | grep -q ' T downstream_accept$' &&
        ! grep -q 'SONAME.*libwshandshake' "$WORK/dynamic"
}
check "downstream cdylib over the engine: no SONAME libwshandshake" downstream_cdylib

# The same readelf test finds the C library's own SONAME, so the check above
# can fail when the SONAME leaks.
c_library_soname() {
    cargo build --quiet -p wshandshake-ffi || return 1
    readelf -d "${CARGO_TARGET_DIR:-$REPO/target}/debug/libwshandshake_ffi.so" |
        grep 'SONAME.*\[libwshandshake\.so\.0\]'
}
check "the C library's own cdylib: SONAME libwshandshake.so.0" c_library_soname

# Both crates package only their own files and pass the publish checks (the C
# crate is verified against the engine packaged in the same run), with no
# warning but the dry run's own.
publish_dry_run() {
    # The C crate is verified against the engine packaged here, served from a
    # local registry. Cargo takes registry crates as immutable: it reuses an
    # unpacked copy and its compiled artifacts while the version stays the same,
    # so after an engine change it would check the C crate against the old
    # engine. Drop both first: our crates' copies under the local registries
    # (the `-<hash>` ones; crates.io's are not touched), and the fingerprints of
    # engine builds from such a copy (their dep-info names its path).
    rm -rf "${CARGO_HOME:-$HOME/.cargo}"/registry/src/-*/wshandshake-[0-9]*
    local target="${CARGO_TARGET_DIR:-$REPO/target}" info hash
    for info in "$target"/debug/deps/wshandshake-*.d; do
        [ -f "$info" ] && grep -q '/registry/src/-' "$info" || continue
        hash="${info##*/wshandshake-}"
        rm -rf "$target/debug/.fingerprint/wshandshake-${hash%.d}"
    done
    cargo publish --dry-run --workspace --allow-dirty >"$WORK/publish" 2>&1 || {
        cat "$WORK/publish"
        return 1
    }
    cat "$WORK/publish"
    cargo package -p wshandshake --list --allow-dirty >"$WORK/engine-files" 2>/dev/null &&
        cargo package -p wshandshake-ffi --list --allow-dirty >"$WORK/ffi-files" 2>/dev/null || return 1
    # Each crate carries its licences; none carries the other's sources or the bindings.
    grep -qx 'LICENSE-APACHE' "$WORK/engine-files" && grep -qx 'LICENSE-MIT' "$WORK/ffi-files" &&
        grep -qx 'src/server.rs' "$WORK/engine-files" && grep -qx 'src/ffi/mod.rs' "$WORK/ffi-files" &&
        ! grep -q '^src/ffi/\|^bindings/' "$WORK/engine-files" &&
        ! grep -q '^engine/\|^bindings/\|^fuzz/' "$WORK/ffi-files" &&
        [ "$(grep -c '^warning' "$WORK/publish")" -eq "$(grep -c '^warning: aborting upload due to dry run$' "$WORK/publish")" ]
}
check "cargo publish --dry-run --workspace: both crates, no warnings" publish_dry_run

echo "engine: $passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
