//! The committed C header is the one build.rs generates, and it agrees with the
//! Rust definitions it documents.

mod ffi_common;

use ffi_common::*;
use wshandshake_ffi::ffi::result::wsh_result;

const GENERATED: &str = include_str!(concat!(env!("OUT_DIR"), "/wshandshake.h"));

#[test]
fn committed_header_is_up_to_date() {
    let committed = committed_header();
    if committed != GENERATED {
        let line = committed
            .lines()
            .zip(GENERATED.lines())
            .position(|(a, b)| a != b)
            .map_or_else(|| "the end".to_owned(), |i| format!("line {}", i + 1));
        panic!(
            "include/wshandshake.h is stale (first difference at {line}).\n\
             Regenerate it with `WSH_UPDATE_HEADER=1 cargo build` and commit it."
        );
    }
}

#[test]
fn version_macros_come_from_cargo() {
    let expect = [
        format!(
            "#define WSH_VERSION_MAJOR {}",
            env!("CARGO_PKG_VERSION_MAJOR")
        ),
        format!(
            "#define WSH_VERSION_MINOR {}",
            env!("CARGO_PKG_VERSION_MINOR")
        ),
        format!(
            "#define WSH_VERSION_PATCH {}",
            env!("CARGO_PKG_VERSION_PATCH")
        ),
        format!(
            "#define WSH_VERSION_STRING \"{}\"",
            env!("CARGO_PKG_VERSION")
        ),
    ];
    for line in expect {
        assert!(GENERATED.lines().any(|l| l == line), "missing {line}");
    }
}

#[test]
fn header_is_guarded_and_cpp_ready() {
    for needle in [
        "#ifndef WSHANDSHAKE_H",
        "#define WSHANDSHAKE_H",
        "#include <stdbool.h>",
        "#include <stddef.h>",
        "#include <stdint.h>",
        "extern \"C\" {",
        "typedef struct wsh_server wsh_server;",
        "#define WSH_ACCEPT_KEY_LEN 28",
    ] {
        assert!(GENERATED.contains(needle), "missing {needle}");
    }
}

#[test]
fn result_enum_in_the_header_matches_rust() {
    let start = GENERATED.find("enum wsh_result").expect("enum wsh_result");
    let body = &GENERATED[start..];
    let body = &body[body.find('{').unwrap() + 1..body.find("};").unwrap()];
    let mut count = 0;
    for line in body
        .lines()
        .map(str::trim)
        .filter(|l| l.starts_with("WSH_"))
    {
        let (name, number) = line.trim_end_matches(',').split_once(" = ").unwrap();
        let number: u32 = number.parse().unwrap();
        let code = wsh_result::from_u32(number)
            .unwrap_or_else(|| panic!("{name} = {number} unknown to from_u32"));
        assert_eq!(format!("{code:?}"), name);
        count += 1;
    }
    assert_eq!(
        count,
        wsh_result::ALL.len() + 1,
        "ALL lists every code but WSH_PANIC"
    );
}

#[test]
fn every_item_in_the_header_is_documented() {
    // Each declaration (function, typedef, enum, struct field, enumerator) is
    // directly preceded by the end of a doc comment.
    let lines: Vec<&str> = GENERATED.lines().collect();
    let mut undocumented = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let t = line.trim();
        let is_item = (line.starts_with(|c: char| c.is_ascii_alphabetic())
            && !line.starts_with("extern"))
            || (line.starts_with("    ")
                && !t.starts_with('*')
                && !t.starts_with('/')
                && !t.is_empty());
        let continuation = i > 0
            && lines[i - 1].trim_end().ends_with(',')
            && !lines[i - 1].trim().starts_with("WSH_");
        let after_typedef_enum = t.starts_with("typedef") && i > 0 && lines[i - 1].starts_with('#');
        if !is_item || continuation || after_typedef_enum || t.starts_with(':') {
            continue;
        }
        let previous = lines[..i]
            .iter()
            .rev()
            .find(|l| !l.trim().is_empty())
            .map(|l| l.trim());
        if previous != Some("*/") && !matches!(previous, Some(p) if p.starts_with("#")) {
            undocumented.push(format!("{}: {}", i + 1, line));
        }
    }
    assert!(
        undocumented.is_empty(),
        "undocumented:\n{}",
        undocumented.join("\n")
    );
}

#[test]
fn header_declares_the_server_api() {
    let functions = header_functions(GENERATED);
    for f in [
        "wsh_version",
        "wsh_result_str",
        "wsh_result_http_status",
        "wsh_accept_key",
        "wsh_server_config_builder_new",
        "wsh_server_config_builder_build",
        "wsh_server_config_free",
        "wsh_server_new",
        "wsh_server_feed",
        "wsh_server_accept",
        "wsh_server_reject",
        "wsh_server_response",
        "wsh_server_response_advance",
        "wsh_server_drain",
        "wsh_server_free",
        "wsh_respond",
    ] {
        assert!(functions.contains(f), "{f} missing from the header");
    }
}

#[test]
fn header_declares_the_client_and_connect_api() {
    let functions = header_functions(GENERATED);
    for f in [
        "wsh_client_config_builder_new",
        "wsh_client_config_builder_build",
        "wsh_client_config_url",
        "wsh_client_config_free",
        "wsh_client_new",
        "wsh_client_new_with_key",
        "wsh_client_request",
        "wsh_client_request_advance",
        "wsh_client_drain",
        "wsh_client_feed",
        "wsh_client_finish",
        "wsh_client_reset",
        "wsh_client_free",
        "wsh_connect_analyze",
        "wsh_connect_respond",
        "wsh_connect_reject",
        "wsh_connect_client_request",
        "wsh_connect_client_check_response",
    ] {
        assert!(functions.contains(f), "{f} missing from the header");
    }
    for needle in [
        "typedef struct wsh_client wsh_client;",
        "typedef struct wsh_field {",
        "#define WSH_NONCE_LEN 16",
        "#define WSH_SETTINGS_ENABLE_CONNECT_PROTOCOL 8",
        "WSH_CLIENT_SUBPROTOCOL_RFC6455 = 1,",
        "WSH_SCHEME_HTTP = 1,",
    ] {
        assert!(GENERATED.contains(needle), "missing {needle}");
    }
}
