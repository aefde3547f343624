#!/usr/bin/env bash
# Sizes of the C library per target and profile, for README "Footprint".
# Run by hand (the min-size builds use LTO and take minutes per target):
#
#   bash tests/packaging/footprint.sh [release|min-size ...]   (default: both)
#
# For each target (host x86_64, aarch64, armv7; cross linkers as in run.sh):
#   .so         the stripped shared library (bytes), and its text+data (size -B)
#   static app  tests/packaging/hello.c linked with libwshandshake.a,
#               -Wl,--gc-sections, stripped, minus the same link of a C program
#               that calls nothing (what the library adds to an executable)
#   imports     the shared library's undefined dynamic symbols, how many, and
#               whether getenv and open are among them
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$HERE/../.." && pwd)"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
PROFILES=("$@")
[ ${#PROFILES[@]} -gt 0 ] || PROFILES=(release min-size)
TARGETS=(
    "x86_64-unknown-linux-gnu cc"
    "aarch64-unknown-linux-gnu aarch64-linux-gnu-gcc"
    "armv7-unknown-linux-gnueabihf arm-linux-gnueabihf-gcc"
)
host=$(rustc -vV | sed -n 's/^host: //p')
printf 'int main(void) { return 0; }\n' >"$WORK/empty.c"
printf '%-32s %-9s %10s %10s %12s %8s %s\n' target profile ".so bytes" "text+data" "static app" imports "getenv/open"
for profile in "${PROFILES[@]}"; do
    for spec in "${TARGETS[@]}"; do
        read -r triple gcc <<<"$spec"
        args=()
        if [ "$triple" != "$host" ]; then
            args=(--target "$triple")
            var="CARGO_TARGET_$(printf '%s' "$triple" | tr 'a-z-' 'A-Z_')_LINKER"
            export "$var=${!var:-$gcc}"
        fi
        prefix="$WORK/$triple-$profile"
        bash "$REPO/scripts/install-c.sh" "${args[@]}" --profile "$profile" "$prefix" >/dev/null
        so="$prefix/lib/libwshandshake.so.0"
        tools=""
        [ "$gcc" = cc ] || tools="${gcc%gcc}"
        cp -L "$so" "$WORK/so" && "${tools}strip" "$WORK/so"
        so_bytes=$(stat -c %s "$WORK/so")
        text_data=$("${tools}size" -B "$WORK/so" | awk 'NR == 2 { print $1 + $2 }')
        libs=$(PKG_CONFIG_LIBDIR="$prefix/lib/pkgconfig" pkg-config --static --libs-only-l wshandshake | sed 's/-lwshandshake //')
        # shellcheck disable=SC2086
        $gcc -Os -I"$prefix/include" "$HERE/hello.c" "$prefix/lib/libwshandshake.a" $libs -Wl,--gc-sections -s -o "$WORK/app"
        # shellcheck disable=SC2086
        $gcc -Os "$WORK/empty.c" $libs -Wl,--gc-sections -s -o "$WORK/empty"
        app=$(($(stat -c %s "$WORK/app") - $(stat -c %s "$WORK/empty")))
        imports=$(nm -D --undefined-only "$so" | awk '{ sub(/@.*/, "", $2); print $2 }' | sort -u)
        bad=$(printf '%s\n' "$imports" | grep -xE 'getenv|open|open64|secure_getenv' | tr '\n' ' ' || true)
        printf '%-32s %-9s %10s %10s %12s %8s %s\n' "$triple" "$profile" "$so_bytes" "$text_data" "$app" \
            "$(printf '%s\n' "$imports" | wc -l)" "${bad:-none}"
        [ "$triple" != "$host" ] || printf '%s\n' "$imports" | tr '\n' ' ' >"$WORK/imports-$profile"
    done
done
for profile in "${PROFILES[@]}"; do
    echo "imports of the $host $profile .so: $(cat "$WORK/imports-$profile")"
done
