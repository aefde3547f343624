#!/usr/bin/env bash
# Installs the C library without cargo-c: the shared library with its SONAME and
# version links, the static library, the C header and the C++ header over it, a
# pkg-config file and a CMake package.
#
#   bash scripts/install-c.sh /usr/local                  # or any prefix
#   DESTDIR=/tmp/stage bash scripts/install-c.sh /usr
#   bash scripts/install-c.sh --target aarch64-unknown-linux-gnu /usr/aarch64-linux-gnu
#   bash scripts/install-c.sh --library-type staticlib --profile min-size /opt/gw
#
# Options (each also has the spelling cargo and cargo-c use):
#   --target TRIPLE       cross build for TRIPLE (default: CARGO_BUILD_TARGET, else
#                         the host); the linker comes from CARGO_TARGET_<TRIPLE>_LINKER
#   --library-type TYPE   cdylib, staticlib, or both (default), like
#                         `cargo cinstall --library-type`
#   --profile NAME        cargo profile (default release). min-size (Cargo.toml)
#                         also builds without the `std` feature and, on Linux,
#                         with getrandom's getrandom(2)-only backend: README
#                         "Footprint" says what that removes
# Environment: LIBDIR (default PREFIX/lib), DESTDIR, CARGO_TARGET_DIR.
#
# The result has the layout `cargo cinstall --prefix=PREFIX` produces:
#   PREFIX/include/wshandshake.h, PREFIX/include/wshandshake.hpp
#   PREFIX/lib/libwshandshake.so.X.Y.Z, .so.X -> , .so ->
#   PREFIX/lib/libwshandshake.a
#   PREFIX/lib/pkgconfig/wshandshake.pc
# plus PREFIX/lib/cmake/wshandshake/ (find_package(wshandshake)). Every installed
# library is checked to be an ELF file for the target's machine; a mismatch stops
# the install with an error.
set -euo pipefail
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
die() { echo "install-c.sh: $*" >&2; exit 1; }

target="${CARGO_BUILD_TARGET:-}"
library_type=both
profile=release
PREFIX=""
while [ $# -gt 0 ]; do
    case "$1" in
    --target) [ $# -ge 2 ] || die "--target needs a value"
        [ -z "${CARGO_BUILD_TARGET:-}" ] || [ "$CARGO_BUILD_TARGET" = "$2" ] ||
            die "--target $2 contradicts CARGO_BUILD_TARGET=$CARGO_BUILD_TARGET"
        target="$2"; shift 2 ;;
    --target=*) set -- --target "${1#*=}" "${@:2}" ;;
    --library-type) [ $# -ge 2 ] || die "--library-type needs a value"; library_type="$2"; shift 2 ;;
    --library-type=*) library_type="${1#*=}"; shift ;;
    --profile) [ $# -ge 2 ] || die "--profile needs a value"; profile="$2"; shift 2 ;;
    --profile=*) profile="${1#*=}"; shift ;;
    -h | --help) sed -n '2,/^set -e/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    -*) die "unknown option $1 (see --help)" ;;
    *) [ -z "$PREFIX" ] || die "one PREFIX only (got '$PREFIX' and '$1')"; PREFIX="$1"; shift ;;
    esac
done
[ -n "$PREFIX" ] || die "usage: install-c.sh [--target TRIPLE] [--library-type cdylib|staticlib|both] [--profile NAME] PREFIX"
case "$library_type" in
cdylib | staticlib | both) ;;
*) die "--library-type is cdylib, staticlib or both, not '$library_type'" ;;
esac
case "$PREFIX" in /*) ;; *) die "PREFIX must be absolute (got '$PREFIX')" ;; esac
LIBDIR="${LIBDIR:-$PREFIX/lib}"
DEST="${DESTDIR:-}"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

host=$(rustc -vV | sed -n 's/^host: //p')
triple="${target:-$host}"
# The ELF class and machine (as readelf names them) every library must have.
case "$triple" in
x86_64-*) want_machine="Advanced Micro Devices X86-64" want_class=ELF64 ;;
aarch64-*) want_machine="AArch64" want_class=ELF64 ;;
arm* | thumb*) want_machine="ARM" want_class=ELF32 ;;
i?86-*) want_machine="Intel 80386" want_class=ELF32 ;;
riscv64*) want_machine="RISC-V" want_class=ELF64 ;;
*) die "no ELF machine known for target $triple: add it to install-c.sh" ;;
esac

cargo_args=(--manifest-path "$REPO/Cargo.toml" --lib --profile "$profile")
[ -z "$target" ] || cargo_args+=(--target "$target")
if [ "$profile" = min-size ]; then
    # panic = "abort" leaves the panic boundary nothing to do, and without std
    # the library has no panic hook, backtrace code or environment reads. The
    # getrandom crate's default Linux backend falls back to opening
    # /dev/urandom on kernels before 3.17; this one calls getrandom(2) only.
    cargo_args+=(--no-default-features)
    case "$triple" in
    *-linux-*) export RUSTFLAGS="${RUSTFLAGS:+$RUSTFLAGS }--cfg getrandom_backend=\"linux_getrandom\"" ;;
    esac
fi
# One build of every crate type. Cargo names the files it wrote (JSON on stdout;
# a .cargo/config.toml may send them elsewhere) and rustc reports what a static
# link of the archive needs (cargo replays that note when the build is fresh).
if ! cargo rustc "${cargo_args[@]}" --message-format=json-render-diagnostics -- \
    --print native-static-libs >"$work/build.json" 2>"$work/build.log"; then
    cat "$work/build.log" >&2
    die "cargo build for $triple failed (cross builds need CARGO_TARGET_<TRIPLE>_LINKER, e.g. aarch64-linux-gnu-gcc)"
fi
libs_private=$(sed -n 's/.*native-static-libs: //p' "$work/build.log" | tail -1)
[ -n "$libs_private" ] || { cat "$work/build.log" >&2; die "rustc did not report native-static-libs"; }
built() { grep -o "\"[^\"]*/libwshandshake_ffi\\.$1\"" "$work/build.json" | tail -1 | tr -d '"'; }
built_so=$(built so) built_a=$(built a)
[ -n "$built_a" ] || die "cargo reported no libwshandshake_ffi.a"
[ "$library_type" = staticlib ] || [ -n "$built_so" ] || die "cargo reported no libwshandshake_ffi.so (a target without shared libraries needs --library-type staticlib)"
version=$(cargo pkgid --manifest-path "$REPO/Cargo.toml" | sed 's/.*[#@]//')
major=${version%%.*}
minor=${version#*.} minor=${minor%%.*}

# Refuses FILE unless every ELF object in it (an archive has many) is of the target's machine.
check_elf() {
    local file="$1" headers classes machines
    headers=$(readelf -h "$file" 2>/dev/null) || die "$file is not an ELF file or archive"
    classes=$(printf '%s\n' "$headers" | sed -n 's/^ *Class: *//p' | sort -u | tr '\n' ' ')
    machines=$(printf '%s\n' "$headers" | sed -n 's/^ *Machine: *//p' | sort -u | tr '\n' ',')
    [ "$classes" = "$want_class " ] && [ "$machines" = "$want_machine," ] ||
        die "refusing $file: it is ${classes% } ${machines%,} but target $triple needs $want_class $want_machine (name the target with --target or CARGO_BUILD_TARGET)"
}

# Nothing is installed unless every library to install is for the target.
[ "$library_type" = staticlib ] || check_elf "$built_so"
[ "$library_type" = cdylib ] || check_elf "$built_a"

install -d "$DEST$PREFIX/include" "$DEST$LIBDIR/pkgconfig" "$DEST$LIBDIR/cmake/wshandshake"
install -m 644 "$REPO/include/wshandshake.h" "$REPO/include/wshandshake.hpp" "$DEST$PREFIX/include/"
has_shared=OFF has_static=OFF
if [ "$library_type" != staticlib ]; then
    install -m 755 "$built_so" "$DEST$LIBDIR/libwshandshake.so.$version"
    ln -sf "libwshandshake.so.$version" "$DEST$LIBDIR/libwshandshake.so.$major"
    ln -sf "libwshandshake.so.$major" "$DEST$LIBDIR/libwshandshake.so"
    check_elf "$DEST$LIBDIR/libwshandshake.so.$version"
    has_shared=ON
fi
if [ "$library_type" != cdylib ]; then
    install -m 644 "$built_a" "$DEST$LIBDIR/libwshandshake.a"
    check_elf "$DEST$LIBDIR/libwshandshake.a"
    has_static=ON
fi

# pkg-config: Libs.private is what `pkg-config --static` adds. A static-only
# install also puts it in Libs (as cargo-c, Meson, curl and SDL do), since its
# users may not know to pass --static.
libs_extra=""
[ "$library_type" != staticlib ] || libs_extra=" $libs_private"
sed -e "s|@PREFIX@|$PREFIX|" -e "s|@VERSION@|$version|" -e "s|@LIBS_PRIVATE@|$libs_private|" \
    -e "s|^libdir=.*|libdir=$LIBDIR|" -e "/^Libs:/s|\$|$libs_extra|" \
    "$REPO"/bindings/c/wshandshake.pc.in >"$DEST$LIBDIR/pkgconfig/wshandshake.pc"

# CMake: the package finds its files relative to its own directory, so a
# DESTDIR-staged or moved tree still works.
cmake_dir="$LIBDIR/cmake/wshandshake"
case "$want_class" in ELF64) sizeof_void_p=8 ;; *) sizeof_void_p=4 ;; esac
cmake_libs=$(printf '%s' "$libs_private" | sed 's/^-l//; s/ -l/;/g')
sed -e "s|@VERSION@|$version|g" -e "s|@HAS_SHARED@|$has_shared|g" -e "s|@HAS_STATIC@|$has_static|g" \
    -e "s|@TO_LIBDIR@|$(realpath -m --relative-to="$cmake_dir" "$LIBDIR")|g" \
    -e "s|@TO_INCLUDEDIR@|$(realpath -m --relative-to="$cmake_dir" "$PREFIX/include")|g" \
    -e "s|@MAJOR@|$major|g" -e "s|@MINOR@|$minor|g" -e "s|@STATIC_LIBS@|$cmake_libs|g" -e "s|@TARGET@|$triple|g" \
    "$REPO"/bindings/c/wshandshakeConfig.cmake.in >"$DEST$cmake_dir/wshandshakeConfig.cmake"
sed -e "s|@VERSION@|$version|g" -e "s|@SIZEOF_VOID_P@|$sizeof_void_p|g" -e "s|@TARGET@|$triple|g" \
    "$REPO"/bindings/c/wshandshakeConfigVersion.cmake.in >"$DEST$cmake_dir/wshandshakeConfigVersion.cmake"
echo "installed wshandshake $version ($triple, $library_type, profile $profile) into $DEST$PREFIX"
