//! Generates the C header from src/ffi with cbindgen and sets the shared
//! library's SONAME.
//!
//! - `$OUT_DIR/wshandshake.h` is written on every build; tests/ffi_header.rs
//!   fails when the committed `include/wshandshake.h` differs from it.
//! - `include/wshandshake.h` is rewritten only when `WSH_UPDATE_HEADER=1`.
//! - The `WSH_VERSION_*` macros come from Cargo's package version, so they never
//!   need to be kept in sync by hand.

use std::env;
use std::path::PathBuf;

fn main() {
    println!("cargo:rerun-if-changed=src/ffi");
    println!("cargo:rerun-if-changed=cbindgen.toml");
    println!("cargo:rerun-if-changed=Cargo.toml");
    println!("cargo:rerun-if-env-changed=WSH_UPDATE_HEADER");

    set_soname();
    generate_header();
}

/// `libwshandshake.so.0`: the ABI major version. cargo-c builds (`--cfg
/// cargo_c`) set the same SONAME themselves (`version_suffix_components = 1`).
fn set_soname() {
    let os = env::var("CARGO_CFG_TARGET_OS").unwrap_or_default();
    let under_cargo_c = env::var_os("CARGO_CFG_CARGO_C").is_some();
    if !under_cargo_c
        && matches!(
            os.as_str(),
            "linux" | "android" | "freebsd" | "netbsd" | "openbsd"
        )
    {
        let major = env::var("CARGO_PKG_VERSION_MAJOR").unwrap_or_else(|_| "0".into());
        println!("cargo:rustc-cdylib-link-arg=-Wl,-soname,libwshandshake.so.{major}");
    }
}

fn version_macros() -> String {
    let get = |name: &str| env::var(name).unwrap_or_else(|_| panic!("{name} is set by Cargo"));
    let (major, minor, patch, full) = (
        get("CARGO_PKG_VERSION_MAJOR"),
        get("CARGO_PKG_VERSION_MINOR"),
        get("CARGO_PKG_VERSION_PATCH"),
        get("CARGO_PKG_VERSION"),
    );
    format!(
        "\n/** Major version of the header (from Cargo.toml; see also wsh_version()). */\n\
         #define WSH_VERSION_MAJOR {major}\n\
         /** Minor version of the header. */\n\
         #define WSH_VERSION_MINOR {minor}\n\
         /** Patch version of the header. */\n\
         #define WSH_VERSION_PATCH {patch}\n\
         /** The full version of the header, e.g. \"0.1.0\". */\n\
         #define WSH_VERSION_STRING \"{full}\"\n"
    )
}

fn generate_header() {
    let root = PathBuf::from(env::var("CARGO_MANIFEST_DIR").expect("set by Cargo"));
    let mut config =
        cbindgen::Config::from_file(root.join("cbindgen.toml")).expect("cbindgen.toml is valid");
    config.after_includes = Some(version_macros());
    let bindings = cbindgen::Builder::new()
        .with_config(config)
        .with_src(root.join("src/ffi/mod.rs"))
        .generate()
        .expect("cbindgen could not generate the header from src/ffi");
    let out_dir = PathBuf::from(env::var("OUT_DIR").expect("set by Cargo"));
    bindings.write_to_file(out_dir.join("wshandshake.h"));
    if env::var("WSH_UPDATE_HEADER").is_ok_and(|v| v == "1") {
        bindings.write_to_file(root.join("include/wshandshake.h"));
    }
}
