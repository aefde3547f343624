#!/usr/bin/env bash
# The packaging suite: installs the C library the ways a user would and builds
# consumers against each install.
#
# - scripts/install-c.sh into a prefix with both libraries: layout, SONAME, the
#   README recipes (shared through pkg-config, static from that layout), C++,
#   CMake find_package() with the shared and the static imported target, CMake
#   pkg_check_modules;
# - a static-only install (--library-type staticlib): `pkg-config --static`
#   (and plain --libs) link the archive; CMake's default target is the archive;
# - refusals: a --target that contradicts CARGO_BUILD_TARGET, and a build that
#   cargo made for another machine than the one asked for; nothing is installed;
# - cross installs for aarch64-unknown-linux-gnu and armv7-unknown-linux-gnueabihf
#   (Debian cross gcc, linker through CARGO_TARGET_<TRIPLE>_LINKER): the ELF
#   machine of what is installed, the C echo server (static libwshandshake.a +
#   wslay) under qemu-user answering the Python `websockets` client on
#   loopback, and a program linked to the shared library through pkg-config;
# - the min-size build: no getenv/open imports, its sizes per target;
# - cargo-c (`cargo cinstall`, pinned; built once per machine by
#   scripts/install-test-deps.sh): host (the same consumers), static-only and
#   aarch64 installs.
#
# Every README recipe it runs is checked to appear, line for line, in the README
# that shows it.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$HERE/../.." && pwd)"
WORK="$(mktemp -d)"
VENV="${WSH_VENV:-$REPO/.venv}"
server_pid=""
cleanup() {
    [ -z "$server_pid" ] || kill "$server_pid" 2>/dev/null || true
    rm -rf "$WORK"
}
trap cleanup EXIT
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
        sed 's/^/     /' "$WORK/log" | tail -25
    fi
}

# The README recipes, as the READMEs show them (PREFIX and PKG_CONFIG_PATH are set
# by the caller); recipe() checks the line is in the README, then runs it.
R_INSTALL='bash scripts/install-c.sh "$PREFIX"'
R_SHARED='cc app.c $(pkg-config --cflags --libs wshandshake) -o app'
R_STATIC_FULL='cc app.c $(pkg-config --cflags wshandshake) "$(pkg-config --variable=libdir wshandshake)/libwshandshake.a" $(pkg-config --static --libs-only-l wshandshake | sed "s/-lwshandshake //") -o app'
R_STATIC_ONLY_INSTALL='bash scripts/install-c.sh --library-type staticlib "$PREFIX"'
R_STATIC_ONLY='cc app.c $(pkg-config --static --cflags --libs wshandshake) -o app'
recipe() { # DOC CWD LINE
    grep -qxF -- "$3" "$REPO/$1" || { echo "$1 does not show the line: $3"; return 1; }
    (cd "$2" && echo "+ $3" && eval "$3")
}
not_needed() { ! readelf -d "$1" | grep -q "NEEDED.*libwshandshake"; }
needs_so0() { readelf -d "$1" | grep -q 'NEEDED.*\[libwshandshake\.so\.0\]'; }
elf_is() { # FILE CLASS MACHINE: every object in FILE (an archive has many) is of that kind
    local headers
    headers=$(readelf -h "$1") || return 1
    [ "$(printf '%s\n' "$headers" | sed -n 's/^ *Class: *//p' | sort -u)" = "$2" ] &&
        [ "$(printf '%s\n' "$headers" | sed -n 's/^ *Machine: *//p' | sort -u)" = "$3" ] ||
        { echo "$1 is not $2 $3:"; printf '%s\n' "$headers" | grep -E 'Class|Machine' | sort | uniq -c; return 1; }
}
with_pc() { # PREFIX COMMAND...: runs COMMAND with PREFIX and PKG_CONFIG_PATH for that install
    local prefix="$1"
    shift
    (export PREFIX="$prefix" PKG_CONFIG_PATH="$prefix/lib/pkgconfig" && "$@")
}
APP="$WORK/app"
mkdir -p "$APP"
cp "$HERE/hello.c" "$APP/app.c"

# ------------------------------------------------------------ host, both ----
layout_ok() {
    local prefix="$1" lib="$1/lib"
    test -f "$prefix/include/wshandshake.h" && test -f "$lib/libwshandshake.a" &&
        test -f "$lib/pkgconfig/wshandshake.pc" && test -L "$lib/libwshandshake.so" &&
        test -L "$lib/libwshandshake.so.0" && ls "$lib"/libwshandshake.so.0.* >/dev/null &&
        readelf -d "$lib/libwshandshake.so" | grep -q 'SONAME.*\[libwshandshake.so.0\]'
}
shared_recipe() {
    rm -f "$APP/app" && recipe README.md "$APP" "$R_SHARED" && needs_so0 "$APP/app" &&
        LD_LIBRARY_PATH="$PREFIX/lib" "$APP/app"
}
static_full_recipe() {
    rm -f "$APP/app" && recipe bindings/c/README.md "$APP" "$R_STATIC_FULL" && not_needed "$APP/app" && "$APP/app"
}
cxx_shared() {
    c++ -std=c++11 -Wall -Wextra -Werror "$HERE/hello.cpp" -o "$WORK/hello_cpp" $(pkg-config --cflags --libs wshandshake) &&
        LD_LIBRARY_PATH="$PREFIX/lib" "$WORK/hello_cpp"
}
cmake_pkg_config() {
    rm -rf "$WORK/cmake-pc" && cmake -S "$HERE/cmake" -B "$WORK/cmake-pc" >/dev/null &&
        cmake --build "$WORK/cmake-pc" >/dev/null && LD_LIBRARY_PATH="$PREFIX/lib" "$WORK/cmake-pc/hello"
}
cmake_package() { # BUILD_DIR: find_package(wshandshake) with both targets
    local build="$1"
    rm -rf "$build" && cmake -S "$HERE/cmake-package" -B "$build" -DCMAKE_PREFIX_PATH="$PREFIX" >/dev/null &&
        cmake --build "$build" >/dev/null &&
        needs_so0 "$build/hello_default" && LD_LIBRARY_PATH="$PREFIX/lib" "$build/hello_default" &&
        LD_LIBRARY_PATH="$PREFIX/lib" "$build/hello_hpp" &&
        not_needed "$build/hello_static" && "$build/hello_static"
}
VERSION=$(sed -n 's/^version = "\([^"]*\)"/\1/p' "$REPO/Cargo.toml" | head -1)
MAJOR=${VERSION%%.*} MINOR=${VERSION#*.} MINOR=${MINOR%%.*}
cmake_versions() { # BUILD_DIR: the next minor (ABI break before 1.0) and the next major are refused; MAJOR.MINOR and VERSION are found
    local v
    for v in "$MAJOR.$((MINOR + 1))" "$((MAJOR + 1)).0"; do
        rm -rf "$1"
        ! cmake -S "$HERE/cmake-package" -B "$1" -DCMAKE_PREFIX_PATH="$PREFIX" -DWSH_VERSION="$v" >"$1.log" 2>&1 &&
            grep -q 'wshandshakeConfig.cmake' "$1.log" || { echo "version $v:"; cat "$1.log"; return 1; }
    done
    for v in "$MAJOR.$MINOR" "$VERSION"; do
        rm -rf "$1" && cmake -S "$HERE/cmake-package" -B "$1" -DCMAKE_PREFIX_PATH="$PREFIX" -DWSH_VERSION="$v" >/dev/null ||
            { echo "version $v not found"; return 1; }
    done
}
consumers() { # PREFIX LABEL
    check "$2: layout (header, .so.X.Y.Z -> .so.X -> .so, .a, .pc), SONAME libwshandshake.so.0" layout_ok "$1"
    check "$2: README recipe, shared through pkg-config (NEEDED libwshandshake.so.0, runs)" with_pc "$1" shared_recipe
    check "$2: README recipe, static from a full install (no NEEDED libwshandshake, runs)" with_pc "$1" static_full_recipe
    check "$2: C++, shared, through pkg-config" with_pc "$1" cxx_shared
    check "$2: CMake pkg_check_modules IMPORTED_TARGET" with_pc "$1" cmake_pkg_config
}

check "install-c.sh: full install (shared + static; README recipe)" with_pc "$WORK/prefix" recipe README.md "$REPO" "$R_INSTALL"
consumers "$WORK/prefix" "install-c.sh"
check "install-c.sh: CMake find_package: wshandshake::wshandshake shared (C and the C++ layer), wshandshake::wshandshake_static static; all run" \
    with_pc "$WORK/prefix" cmake_package "$WORK/cmake-pkg"
check "install-c.sh: CMake find_package refuses $MAJOR.$((MINOR + 1)) and $((MAJOR + 1)).0, takes $MAJOR.$MINOR and $VERSION ($VERSION installed)" \
    with_pc "$WORK/prefix" cmake_versions "$WORK/cmake-ver"
check "install-c.sh: CMake package files and the headers installed" bash -c "
    test -f '$WORK/prefix/lib/cmake/wshandshake/wshandshakeConfig.cmake' &&
    test -f '$WORK/prefix/lib/cmake/wshandshake/wshandshakeConfigVersion.cmake' &&
    cmp '$REPO/include/wshandshake.hpp' '$WORK/prefix/include/wshandshake.hpp'"

# ------------------------------------------------------- host, static-only --
static_only_layout() {
    test -f "$PREFIX/lib/libwshandshake.a" && ! ls "$PREFIX"/lib/libwshandshake.so* 2>/dev/null &&
        pkg-config --libs wshandshake | grep -q -- '-lpthread'
}
static_only_recipe() {
    rm -f "$APP/app" && recipe bindings/c/README.md "$APP" "$R_STATIC_ONLY" && not_needed "$APP/app" && "$APP/app"
}
static_only_plain() {
    cc -std=c99 -Wall -Wextra -Werror "$HERE/hello.c" $(pkg-config --cflags --libs wshandshake) -o "$WORK/hello_plain" &&
        not_needed "$WORK/hello_plain" && "$WORK/hello_plain"
}
static_only_cmake() {
    rm -rf "$WORK/cmake-static" &&
        cmake -S "$HERE/cmake-package" -B "$WORK/cmake-static" -DCMAKE_PREFIX_PATH="$PREFIX" >/dev/null &&
        cmake --build "$WORK/cmake-static" >/dev/null &&
        not_needed "$WORK/cmake-static/hello_default" && "$WORK/cmake-static/hello_default" &&
        not_needed "$WORK/cmake-static/hello_hpp" && "$WORK/cmake-static/hello_hpp" &&
        not_needed "$WORK/cmake-static/hello_static" && "$WORK/cmake-static/hello_static"
}
static_only() { # PREFIX LABEL
    check "$2: static-only layout (no .so; Libs carries what Libs.private has)" with_pc "$1" static_only_layout
    check "$2: README recipe, pkg-config --static links the archive (no NEEDED libwshandshake, runs)" with_pc "$1" static_only_recipe
    check "$2: plain pkg-config --libs links the archive too" with_pc "$1" static_only_plain
}
check "install-c.sh --library-type staticlib (README recipe)" with_pc "$WORK/static" recipe bindings/c/README.md "$REPO" "$R_STATIC_ONLY_INSTALL"
static_only "$WORK/static" "install-c.sh static-only"
check "install-c.sh static-only: CMake wshandshake::wshandshake is the archive" with_pc "$WORK/static" static_only_cmake

# ----------------------------------------------------------------- refusals --
check "install-c.sh refuses --target contradicting CARGO_BUILD_TARGET; nothing installed" bash -c "
    ! CARGO_BUILD_TARGET=aarch64-unknown-linux-gnu bash '$REPO/scripts/install-c.sh' --target armv7-unknown-linux-gnueabihf '$WORK/contradiction' 2>'$WORK/err' &&
    grep -q 'contradicts CARGO_BUILD_TARGET' '$WORK/err' && test ! -e '$WORK/contradiction'"
check "install-c.sh refuses an unknown --library-type and a relative prefix" bash -c "
    ! bash '$REPO/scripts/install-c.sh' --library-type dll '$WORK/x' 2>'$WORK/err' && grep -q 'cdylib, staticlib or both' '$WORK/err' &&
    ! bash '$REPO/scripts/install-c.sh' relative/prefix 2>'$WORK/err' && grep -q 'must be absolute' '$WORK/err' && test ! -e '$WORK/x'"

# ----------------------------------------------------------------- min-size --
# The small-footprint build (Cargo.toml [profile.min-size], without the `std`
# feature): stripped, smaller than release, both libraries work, and its imports
# are exactly the ones README "Footprint" lists (no getenv, open or unwinder).
so_imports() { nm -D --undefined-only "$1" | awk '{ sub(/@.*/, "", $2); print $2 }' | sort -u | tr '\n' ' ' | sed 's/ $//'; }
min_size_ok() {
    local so="$PREFIX/lib/libwshandshake.so.0" release_so="$WORK/prefix/lib/libwshandshake.so.0"
    ! readelf -S "$so" | grep -q '\.symtab' &&
        [ "$(stat -L -c %s "$so")" -lt "$(stat -L -c %s "$release_so")" ] &&
        cc -std=c99 -Wall -Wextra -Werror "$HERE/hello.c" $(pkg-config --cflags --libs wshandshake) -o "$WORK/hello_min" &&
        LD_LIBRARY_PATH="$PREFIX/lib" "$WORK/hello_min" &&
        rm -f "$APP/app" && (cd "$APP" && eval "$R_STATIC_FULL") && not_needed "$APP/app" && "$APP/app"
}
min_size_imports() {
    local listed actual
    listed=$(sed -n 's/^Imports of the min-size x86_64 `libwshandshake.so`: `\(.*\)`\.$/\1/p' "$REPO/README.md")
    actual=$(so_imports "$PREFIX/lib/libwshandshake.so.0")
    [ -n "$listed" ] || { echo "README.md lists no min-size imports"; return 1; }
    [ "$listed" = "$actual" ] || { echo "README.md lists: $listed"; echo "the build has:   $actual"; return 1; }
}
check "install-c.sh --profile min-size" bash "$REPO/scripts/install-c.sh" --profile min-size "$WORK/min-size"
check "min-size: stripped, smaller than release; shared and static programs run" with_pc "$WORK/min-size" min_size_ok
check "min-size: the .so imports exactly what README \"Footprint\" lists" with_pc "$WORK/min-size" min_size_imports

# -------------------------------------------------------------------- cross --
# TRIPLE GCC QEMU SYSROOT MULTIARCH_LIBDIR CLASS MACHINE
CROSS_TARGETS=(
    "aarch64-unknown-linux-gnu aarch64-linux-gnu-gcc qemu-aarch64 /usr/aarch64-linux-gnu /usr/lib/aarch64-linux-gnu ELF64 AArch64"
    "armv7-unknown-linux-gnueabihf arm-linux-gnueabihf-gcc qemu-arm /usr/arm-linux-gnueabihf /usr/lib/arm-linux-gnueabihf ELF32 ARM"
)
linker_var() { printf 'CARGO_TARGET_%s_LINKER' "$(printf '%s' "$1" | tr 'a-z-' 'A-Z_')"; }
mkdir -p "$WORK/wslay-include"
ln -s /usr/include/wslay "$WORK/wslay-include/wslay"
py_client_ok() { [ -x "$VENV/bin/python" ] && "$VENV/bin/python" -c 'import websockets' 2>/dev/null; }

# Starts the echo server under qemu, runs the websockets client against it,
# stops the server with SIGTERM and expects a clean exit; all bounded in time.
echo_under_qemu() { # QEMU SYSROOT LIBPATH BINARY
    local qemu="$1" sysroot="$2" libpath="$3" binary="$4" out="$WORK/echo.out" port="" status=0
    timeout 300 "$qemu" -L "$sysroot" -E "LD_LIBRARY_PATH=$libpath" "$binary" 0 >"$out" 2>&1 &
    server_pid=$!
    for _ in $(seq 1 300); do
        port=$(sed -n 's/^listening on \([0-9]*\)$/\1/p' "$out")
        [ -z "$port" ] || break
        kill -0 "$server_pid" 2>/dev/null || break
        sleep 0.1
    done
    if [ -z "$port" ]; then echo "echo server did not start:"; cat "$out"; status=1; else
        timeout 120 "$VENV/bin/python" "$REPO/tests/peers/py_clients.py" websockets "ws://127.0.0.1:$port/echo" || status=1
    fi
    kill -TERM "$server_pid" 2>/dev/null || true
    wait "$server_pid" || { echo "echo server exit status $?"; cat "$out"; status=1; }
    server_pid=""
    return $status
}

for spec in "${CROSS_TARGETS[@]}"; do
    read -r triple gcc qemu sysroot multiarch class machine <<<"$spec"
    var=$(linker_var "$triple")
    export "$var=${!var:-$gcc}"
    prefix="$WORK/cross-$triple"
    # aarch64 names the target with --target, armv7 with CARGO_BUILD_TARGET.
    if [ "$triple" = aarch64-unknown-linux-gnu ]; then
        check "$triple: install-c.sh --target" bash "$REPO/scripts/install-c.sh" --target "$triple" "$prefix"
    else
        check "$triple: CARGO_BUILD_TARGET=$triple install-c.sh" env CARGO_BUILD_TARGET="$triple" bash "$REPO/scripts/install-c.sh" "$prefix"
    fi
    check "$triple: installed .so and .a are $class $machine" bash -c "
        $(declare -f elf_is)
        elf_is '$prefix/lib/libwshandshake.so.0' $class '$machine' && elf_is '$prefix/lib/libwshandshake.a' $class '$machine' &&
        grep -q 'set(PACKAGE_VERSION_UNSUITABLE' '$prefix/lib/cmake/wshandshake/wshandshakeConfigVersion.cmake'"
    check "$triple: C echo server (static libwshandshake.a + wslay) cross-built" bash -c "
        $(declare -f elf_is)
        $gcc -std=c99 -Wall -Wextra -Werror -pedantic -O2 -I'$prefix/include' -I'$WORK/wslay-include' \
            '$REPO/bindings/c/examples/echo_server.c' '$prefix/lib/libwshandshake.a' '$multiarch/libwslay.so.1' \
            \$(PKG_CONFIG_LIBDIR='$prefix/lib/pkgconfig' pkg-config --static --libs-only-l wshandshake | sed 's/-lwshandshake //') \
            -o '$WORK/echo_server-$triple' && elf_is '$WORK/echo_server-$triple' $class '$machine'"
    if py_client_ok; then
        check "$triple: echo server under $qemu answers the Python websockets client on 127.0.0.1" \
            echo_under_qemu "$qemu" "$sysroot" "$multiarch" "$WORK/echo_server-$triple"
    else
        check "$triple: Python websockets client in $VENV (scripts/install-test-deps.sh installs it)" false
    fi
    check "$triple: program linked to libwshandshake.so.0 through pkg-config runs under $qemu" bash -c "
        $(declare -f needs_so0)
        $gcc -std=c99 -Wall -Wextra -Werror '$HERE/hello.c' \$(PKG_CONFIG_LIBDIR='$prefix/lib/pkgconfig' pkg-config --cflags --libs wshandshake) \
            -o '$WORK/hello-$triple' && needs_so0 '$WORK/hello-$triple' &&
        $qemu -L '$sysroot' -E 'LD_LIBRARY_PATH=$prefix/lib' '$WORK/hello-$triple'"
done

# A build cargo made for another machine than asked (here a .cargo/config.toml
# in the working directory sends it to aarch64) is refused before anything is
# installed.
mkdir -p "$WORK/elsewhere/.cargo"
printf '[build]\ntarget = "aarch64-unknown-linux-gnu"\n' >"$WORK/elsewhere/.cargo/config.toml"
check "install-c.sh refuses a library of another ELF machine than the target; nothing installed" bash -c "
    cd '$WORK/elsewhere' && ! bash '$REPO/scripts/install-c.sh' '$WORK/mismatch' 2>'$WORK/err' &&
    grep -q 'refusing .*AArch64 but target x86_64' '$WORK/err' && test ! -e '$WORK/mismatch'"

# ------------------------------------------------------------------ cargo-c --
# Pinned cargo-c, cached per machine by scripts/install-test-deps.sh (the deps
# stage starts its build in the background; this waits for it).
cargo_c_bin=""
find_cargo_c() { cargo_c_bin=$(bash "$REPO/scripts/install-test-deps.sh" --cargo-c | tail -1) && test -x "$cargo_c_bin/cargo-cinstall"; }
check "cargo-c 0.10.24 (cached build from scripts/install-test-deps.sh)" find_cargo_c
if [ -x "$cargo_c_bin/cargo-cinstall" ]; then
    export PATH="$cargo_c_bin:$PATH"
    cinstall() { (cd "$REPO" && cargo cinstall --release --prefix="$1" --libdir="$1/lib" "${@:2}"); }
    check "cargo cinstall" cinstall "$WORK/cprefix"
    consumers "$WORK/cprefix" "cargo cinstall"
    check "cargo cinstall: C++ layer installed" cmp "$REPO/include/wshandshake.hpp" "$WORK/cprefix/include/wshandshake.hpp"
    check "cargo cinstall --library-type staticlib" cinstall "$WORK/cstatic" --library-type staticlib
    static_only "$WORK/cstatic" "cargo cinstall static-only"
    read -r triple gcc qemu sysroot multiarch class machine <<<"${CROSS_TARGETS[0]}"
    # cargo-c 0.10.24 ignores CARGO_BUILD_TARGET (it installs a host library
    # then; README says so): the target goes in --target.
    check "cargo cinstall --target $triple" cinstall "$WORK/ccross" --target "$triple"
    check "cargo cinstall for $triple: installed .so and .a are $class $machine; runs under $qemu" bash -c "
        $(declare -f elf_is needs_so0)
        elf_is '$WORK/ccross/lib/libwshandshake.so.0' $class '$machine' && elf_is '$WORK/ccross/lib/libwshandshake.a' $class '$machine' &&
        $gcc -std=c99 -Wall -Wextra -Werror '$HERE/hello.c' \$(PKG_CONFIG_LIBDIR='$WORK/ccross/lib/pkgconfig' pkg-config --cflags --libs wshandshake) \
            -o '$WORK/chello' && needs_so0 '$WORK/chello' && $qemu -L '$sysroot' -E 'LD_LIBRARY_PATH=$WORK/ccross/lib' '$WORK/chello'"
fi

echo "packaging: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
