#!/usr/bin/env bash
# Installs the C library without cargo-c: the shared library with its SONAME and
# version links, the static library, the C header and the C++ header over it,
# and a pkg-config file.
#
#   bash scripts/install-c.sh /usr/local          # or any prefix
#   DESTDIR=/tmp/stage bash scripts/install-c.sh /usr
#
# The result has the same layout `cargo cinstall --prefix=PREFIX` produces:
#   PREFIX/include/wshandshake.h, PREFIX/include/wshandshake.hpp
#   PREFIX/lib/libwshandshake.so.X.Y.Z, .so.X -> , .so ->
#   PREFIX/lib/libwshandshake.a
#   PREFIX/lib/pkgconfig/wshandshake.pc
set -euo pipefail
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PREFIX="${1:?usage: install-c.sh PREFIX}"
LIBDIR="${LIBDIR:-$PREFIX/lib}"
DEST="${DESTDIR:-}"
cd "$REPO"

cargo build --release --lib --quiet
TARGET_DIR="${CARGO_TARGET_DIR:-$REPO/target}"
version=$(cargo pkgid | sed 's/.*[#@]//')
major=${version%%.*}

install -d "$DEST$PREFIX/include" "$DEST$LIBDIR/pkgconfig"
install -m 644 include/wshandshake.h include/wshandshake.hpp "$DEST$PREFIX/include/"
install -m 755 "$TARGET_DIR/release/libwshandshake_ffi.so" "$DEST$LIBDIR/libwshandshake.so.$version"
ln -sf "libwshandshake.so.$version" "$DEST$LIBDIR/libwshandshake.so.$major"
ln -sf "libwshandshake.so.$major" "$DEST$LIBDIR/libwshandshake.so"
install -m 644 "$TARGET_DIR/release/libwshandshake_ffi.a" "$DEST$LIBDIR/libwshandshake.a"

# What a static link needs besides the archive, as rustc reports it.
libs_private=$(cargo rustc --release --lib --quiet --crate-type staticlib -- --print native-static-libs 2>&1 |
    sed -n 's/.*native-static-libs: //p' | tail -1)
sed -e "s|@PREFIX@|$PREFIX|" -e "s|@VERSION@|$version|" -e "s|@LIBS_PRIVATE@|${libs_private:--lgcc_s -lutil -lrt -lpthread -lm -ldl -lc}|" \
    -e "s|^libdir=.*|libdir=$LIBDIR|" \
    bindings/c/wshandshake.pc.in >"$DEST$LIBDIR/pkgconfig/wshandshake.pc"
echo "installed wshandshake $version into $DEST$PREFIX"
