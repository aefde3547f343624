//! The config builder through the C ABI: each setter checks its value at once
//! and leaves the builder unchanged on error.

mod ffi_common;

use core::ptr;

use ffi_common::*;
use wshandshake_ffi::ffi::deflate::{wsh_deflate_config, wsh_deflate_config_default};
use wshandshake_ffi::ffi::limits::{wsh_limits, wsh_limits_default};
use wshandshake_ffi::ffi::result::wsh_result::{self, *};
use wshandshake_ffi::ffi::server_config::*;

type Setter = unsafe extern "C" fn(*mut wsh_server_config_builder, *const u8, usize) -> wsh_result;

const TEXT_SETTERS: [Setter; 3] = [
    wsh_server_config_builder_add_subprotocol,
    wsh_server_config_builder_add_allowed_origin,
    wsh_server_config_builder_add_upgrade_protocol,
];

#[test]
fn null_builder_is_refused_by_every_setter() {
    let b = ptr::null_mut();
    let limits = wsh_limits {
        max_head_bytes: 4096,
        max_headers: 8,
        max_request_line: 100,
        max_header_line: 100,
    };
    unsafe {
        for set in TEXT_SETTERS {
            assert_eq!(set(b, b"x".as_ptr(), 1), WSH_NULL_POINTER);
        }
        assert_eq!(
            wsh_server_config_builder_subprotocol_selection(b, 0),
            WSH_NULL_POINTER
        );
        assert_eq!(
            wsh_server_config_builder_require_subprotocol(b, true),
            WSH_NULL_POINTER
        );
        assert_eq!(
            wsh_server_config_builder_require_origin(b, true),
            WSH_NULL_POINTER
        );
        assert_eq!(
            wsh_server_config_builder_websocket(b, true),
            WSH_NULL_POINTER
        );
        assert_eq!(
            wsh_server_config_builder_limits(b, &limits),
            WSH_NULL_POINTER
        );
        assert_eq!(
            wsh_server_config_builder_allow_bare_lf(b, true),
            WSH_NULL_POINTER
        );
        assert_eq!(
            wsh_server_config_builder_allow_obs_fold(b, true),
            WSH_NULL_POINTER
        );
        assert_eq!(
            wsh_server_config_builder_allow_missing_host(b, true),
            WSH_NULL_POINTER
        );
        assert_eq!(
            wsh_server_config_builder_allow_unbracketed_ipv6_host(b, true),
            WSH_NULL_POINTER
        );
        assert_eq!(
            wsh_server_config_builder_response_capacity(b, 1024),
            WSH_NULL_POINTER
        );
        let mut out = ptr::null();
        assert_eq!(
            wsh_server_config_builder_build(b, &mut out),
            WSH_NULL_POINTER
        );
        assert!(out.is_null());
        // Freeing NULL is a no-op.
        wsh_server_config_builder_free(ptr::null_mut());
        wsh_server_config_free(ptr::null());
    }
}

#[test]
fn text_setters_check_pointers_lengths_and_values() {
    let b = wsh_server_config_builder_new();
    unsafe {
        for set in TEXT_SETTERS {
            // (NULL, n > 0) is an invalid argument; (NULL, 0) is the empty string,
            // which no setter accepts.
            assert_eq!(set(b, ptr::null(), 3), WSH_INVALID_ARGUMENT);
            assert_eq!(set(b, ptr::null(), 0), WSH_INVALID_CONFIG);
            assert_eq!(set(b, b"".as_ptr(), 0), WSH_INVALID_CONFIG);
            assert_eq!(set(b, b"\xff\xfe".as_ptr(), 2), WSH_INVALID_UTF8);
            assert_eq!(set(b, b"a b".as_ptr(), 3), WSH_INVALID_CONFIG);
        }
        assert_eq!(
            wsh_server_config_builder_add_allowed_origin(b, b"null".as_ptr(), 4),
            WSH_INVALID_CONFIG
        );
        assert_eq!(
            wsh_server_config_builder_add_upgrade_protocol(b, b"websocket".as_ptr(), 9),
            WSH_INVALID_CONFIG
        );
        assert_eq!(
            wsh_server_config_builder_add_upgrade_protocol(b, b"foo/2".as_ptr(), 5),
            OK
        );
        assert_eq!(
            wsh_server_config_builder_subprotocol_selection(b, 2),
            WSH_INVALID_ARGUMENT
        );
        assert_eq!(wsh_server_config_builder_subprotocol_selection(b, 1), OK);
        // The refused values left the builder valid: it builds.
        let mut config = ptr::null();
        assert_eq!(wsh_server_config_builder_build(b, &mut config), OK);
        wsh_server_config_free(config);
    }
}

#[test]
fn numeric_settings_are_range_checked() {
    let b = wsh_server_config_builder_new();
    unsafe {
        let mut limits = core::mem::zeroed::<wsh_limits>();
        assert_eq!(wsh_limits_default(ptr::null_mut()), WSH_NULL_POINTER);
        assert_eq!(wsh_limits_default(&mut limits), OK);
        assert_eq!(limits.max_head_bytes, 16 * 1024);
        assert_eq!(limits.max_headers, 128);
        assert_eq!(
            wsh_server_config_builder_limits(b, ptr::null()),
            WSH_NULL_POINTER
        );
        let bad = [
            wsh_limits {
                max_headers: 0,
                ..limits
            },
            wsh_limits {
                max_headers: 129,
                ..limits
            },
            wsh_limits {
                max_head_bytes: 15,
                ..limits
            },
            wsh_limits {
                max_head_bytes: (1 << 20) + 1,
                ..limits
            },
            wsh_limits {
                max_request_line: 0,
                ..limits
            },
            wsh_limits {
                max_header_line: 0,
                ..limits
            },
        ];
        for l in bad {
            assert_eq!(
                wsh_server_config_builder_limits(b, &l),
                WSH_INVALID_CONFIG,
                "{l:?}"
            );
        }
        assert_eq!(wsh_server_config_builder_limits(b, &limits), OK);

        let mut deflate = core::mem::zeroed::<wsh_deflate_config>();
        assert_eq!(
            wsh_deflate_config_default(ptr::null_mut()),
            WSH_NULL_POINTER
        );
        assert_eq!(wsh_deflate_config_default(&mut deflate), OK);
        assert_eq!(deflate.server_max_window_bits, 15);
        assert_eq!(deflate.client_max_window_bits, 15);
        for bits in [0, 7, 16, 255] {
            let bad = wsh_deflate_config {
                server_max_window_bits: bits,
                ..deflate
            };
            assert_eq!(
                wsh_server_config_builder_permessage_deflate(b, &bad),
                WSH_INVALID_CONFIG
            );
            let bad = wsh_deflate_config {
                client_max_window_bits: bits,
                ..deflate
            };
            assert_eq!(
                wsh_server_config_builder_permessage_deflate(b, &bad),
                WSH_INVALID_CONFIG
            );
        }
        assert_eq!(
            wsh_server_config_builder_permessage_deflate(b, ptr::null()),
            WSH_NULL_POINTER
        );
        assert_eq!(
            wsh_server_config_builder_permessage_deflate(b, &deflate),
            OK
        );

        for cap in [0, 255, (1 << 20) + 1, usize::MAX] {
            assert_eq!(
                wsh_server_config_builder_response_capacity(b, cap),
                WSH_INVALID_CONFIG
            );
        }
        assert_eq!(wsh_server_config_builder_response_capacity(b, 256), OK);
        let mut config = ptr::null();
        assert_eq!(wsh_server_config_builder_build(b, &mut config), OK);
        wsh_server_config_free(config);
    }
}

#[test]
fn build_consumes_the_builder_even_without_an_output() {
    let b = wsh_server_config_builder_new();
    // With a NULL output the builder is still consumed (no leak: Miri and the
    // leak checkers would see one).
    assert_eq!(
        unsafe { wsh_server_config_builder_build(b, ptr::null_mut()) },
        WSH_NULL_POINTER
    );
}

#[test]
fn settings_take_effect() {
    // Origins: once one is allowed, others (and "null") get 403.
    let config = config_with(|b| unsafe {
        let o = b"https://example.com";
        assert_eq!(
            wsh_server_config_builder_add_allowed_origin(b, o.as_ptr(), o.len()),
            OK
        );
    });
    let server = Server::new(&config);
    let (r, _, _) = server.feed(&ws_request("Origin: https://evil.example\r\n"));
    assert_eq!(r, WSH_REQUEST_ORIGIN_NOT_ALLOWED);
    server.reset();
    let (r, _, _) = server.feed(&ws_request("Origin: HTTPS://EXAMPLE.COM\r\n"));
    assert_eq!(r, OK);

    // Required subprotocol.
    let config = config_with(|b| unsafe {
        assert_eq!(
            wsh_server_config_builder_add_subprotocol(b, b"chat".as_ptr(), 4),
            OK
        );
        assert_eq!(wsh_server_config_builder_require_subprotocol(b, true), OK);
    });
    let server = Server::new(&config);
    let (r, _, _) = server.feed(&ws_request("Sec-WebSocket-Protocol: other\r\n"));
    assert_eq!(r, WSH_REQUEST_NO_SUBPROTOCOL_MATCH);

    // Server preference picks the server's first supported protocol.
    let config = config_with(|b| unsafe {
        for p in ["b", "a"] {
            assert_eq!(
                wsh_server_config_builder_add_subprotocol(b, p.as_ptr(), p.len()),
                OK
            );
        }
        assert_eq!(
            wsh_server_config_builder_subprotocol_selection(
                b,
                wsh_subprotocol_selection::WSH_SELECT_SERVER_PREFERENCE as u32
            ),
            OK
        );
    });
    let server = Server::new(&config);
    assert_eq!(
        server
            .feed(&ws_request("Sec-WebSocket-Protocol: a, b\r\n"))
            .0,
        OK
    );
    assert_eq!(
        server.part(wshandshake_ffi::ffi::server::wsh_server_subprotocol),
        Ok(b"b".to_vec())
    );

    // Lenient parsing switches.
    let strict = default_config();
    let lenient = config_with(|b| unsafe {
        assert_eq!(wsh_server_config_builder_allow_bare_lf(b, true), OK);
        assert_eq!(wsh_server_config_builder_allow_missing_host(b, true), OK);
    });
    let bare_lf = b"GET / HTTP/1.1\nHost: a\nUpgrade: websocket\nConnection: Upgrade\n\
        Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\nSec-WebSocket-Version: 13\n\n";
    assert_eq!(
        Server::new(&strict).feed(bare_lf).0,
        WSH_REQUEST_BARE_LINE_FEED
    );
    assert_eq!(Server::new(&lenient).feed(bare_lf).0, OK);
    let no_host = String::from_utf8(ws_request(""))
        .unwrap()
        .replace("Host: example.com\r\n", "");
    assert_eq!(
        Server::new(&strict).feed(no_host.as_bytes()).0,
        WSH_REQUEST_MISSING_HOST
    );
    assert_eq!(Server::new(&lenient).feed(no_host.as_bytes()).0, OK);
    // WebSocket-Node's Host: an IPv6 address without brackets.
    let unbracketed = String::from_utf8(ws_request(""))
        .unwrap()
        .replace("Host: example.com", "Host: ::1:43343");
    let ipv6 = config_with(|b| unsafe {
        assert_eq!(
            wsh_server_config_builder_allow_unbracketed_ipv6_host(b, true),
            OK
        );
    });
    assert_eq!(
        Server::new(&strict).feed(unbracketed.as_bytes()).0,
        WSH_REQUEST_INVALID_HOST
    );
    let server = Server::new(&ipv6);
    assert_eq!(server.feed(unbracketed.as_bytes()).0, OK);
    assert_eq!(
        server.part(wshandshake_ffi::ffi::server::wsh_server_host),
        Ok(b"::1:43343".to_vec())
    );

    // WebSocket off: the request is an upgrade to a protocol not supported.
    let off = config_with(|b| unsafe {
        assert_eq!(wsh_server_config_builder_websocket(b, false), OK);
    });
    let (r, _, d) = Server::new(&off).feed(RFC_REQUEST);
    assert_eq!(r, OK);
    assert_eq!(
        d,
        wshandshake_ffi::ffi::decision::wsh_decision::WSH_DECISION_NOT_UPGRADE_UNSUPPORTED
    );

    // Limits.
    let small = config_with(|b| unsafe {
        let mut l = core::mem::zeroed();
        assert_eq!(wsh_limits_default(&mut l), OK);
        l.max_headers = 2;
        assert_eq!(wsh_server_config_builder_limits(b, &l), OK);
    });
    assert_eq!(
        Server::new(&small).feed(RFC_REQUEST).0,
        WSH_REQUEST_TOO_MANY_HEADERS
    );
}

#[test]
fn handles_keep_the_config_alive() {
    let config = chat_config();
    let server = Server::new(&config);
    drop(config); // the caller's reference is gone; the handle keeps its own
    assert_eq!(server.feed(RFC_REQUEST).0, OK);
    assert_eq!(
        server.part(wshandshake_ffi::ffi::server::wsh_server_subprotocol),
        Ok(b"chat".to_vec())
    );
}

/// A config pointer handed to other threads (a config is immutable and may be
/// used by any number of threads at once).
#[derive(Clone, Copy)]
struct SharedConfig(*const wsh_server_config);
unsafe impl Send for SharedConfig {}

#[test]
fn a_config_is_shared_by_threads() {
    let config = chat_config();
    let shared = SharedConfig(config.0);
    let threads: Vec<_> = (0..4)
        .map(|_| {
            std::thread::spawn(move || {
                let shared = shared;
                for _ in 0..if cfg!(miri) { 2 } else { 200 } {
                    let mut server = ptr::null_mut();
                    let r = unsafe {
                        wshandshake_ffi::ffi::server::wsh_server_new(shared.0, &mut server)
                    };
                    assert_eq!(r, OK);
                    let s = Server(server);
                    assert_eq!(s.feed(RFC_REQUEST).0, OK);
                }
            })
        })
        .collect();
    for t in threads {
        t.join().unwrap();
    }
}
