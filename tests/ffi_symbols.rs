//! The shared library exports only `wsh_` symbols, exactly those the header
//! declares, and carries the SONAME `libwshandshake.so.0`.
#![cfg(target_os = "linux")]

mod ffi_common;

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::process::Command;

use ffi_common::*;

/// The cdylib Cargo built next to this test (target/<profile>/deps or
/// target/<profile>).
fn shared_library() -> PathBuf {
    let exe = std::env::current_exe().unwrap();
    let deps = exe.parent().unwrap();
    [
        deps.join("libwshandshake_ffi.so"),
        deps.parent().unwrap().join("libwshandshake_ffi.so"),
    ]
    .into_iter()
    .find(|p| p.exists())
    .expect("cargo builds libwshandshake_ffi.so (crate-type cdylib) with the tests")
}

fn run(program: &str, args: &[&str]) -> String {
    let out = Command::new(program)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("{program} (binutils) must be installed: {e}"));
    assert!(
        out.status.success(),
        "{program} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

#[test]
#[cfg_attr(miri, ignore = "runs external tools")]
fn only_wsh_symbols_are_exported_and_all_are_declared() {
    let lib = shared_library();
    let lib = lib.to_str().unwrap();
    let listing = run("nm", &["-D", "--defined-only", lib]);
    let symbols: BTreeSet<String> = listing
        .lines()
        .filter_map(|l| l.split_whitespace().nth(2))
        .map(str::to_owned)
        .collect();
    let foreign: Vec<_> = symbols.iter().filter(|s| !s.starts_with("wsh_")).collect();
    assert!(foreign.is_empty(), "non-wsh symbols exported: {foreign:?}");
    assert_eq!(
        symbols,
        header_functions(&committed_header()),
        "exports differ from the header"
    );
}

#[test]
#[cfg_attr(miri, ignore = "runs external tools")]
fn soname_is_major_version_zero() {
    let lib = shared_library();
    let dynamic = run("readelf", &["-d", lib.to_str().unwrap()]);
    assert!(
        dynamic.contains("Library soname: [libwshandshake.so.0]"),
        "SONAME missing:\n{dynamic}"
    );
}
