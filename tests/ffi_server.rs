//! The server handle through the C ABI: pointers, call orders, inspection,
//! accept, reject, output.

mod ffi_common;

use core::ptr;

use ffi_common::*;
use wshandshake_ffi::ffi::bytes::{wsh_bytes, wsh_header};
use wshandshake_ffi::ffi::decision::wsh_decision::*;
use wshandshake_ffi::ffi::deflate::wsh_deflate_params;
use wshandshake_ffi::ffi::result::wsh_result::{self, *};
use wshandshake_ffi::ffi::server::*;

fn header(name: &'static str, value: &'static str) -> wsh_header {
    wsh_header {
        name: name.as_ptr(),
        name_len: name.len(),
        value: value.as_ptr(),
        value_len: value.len(),
    }
}

fn options() -> wsh_accept_options {
    // The documented default: a zero-initialized struct.
    unsafe { core::mem::zeroed() }
}

fn status_line(response: &[u8]) -> String {
    let text = String::from_utf8_lossy(response);
    text.split("\r\n").next().unwrap_or_default().to_owned()
}

#[test]
fn rfc_sample_is_accepted_with_the_rfc_accept_value() {
    let config = chat_config();
    let server = Server::new(&config);
    let (r, consumed, decision) = server.feed(RFC_REQUEST);
    assert_eq!(
        (r, consumed, decision),
        (OK, RFC_REQUEST.len(), WSH_DECISION_UPGRADE_WEBSOCKET)
    );
    assert_eq!(server.part(wsh_server_subprotocol), Ok(b"chat".to_vec()));
    assert!(!unsafe { wsh_server_is_accepted(server.0) });
    assert_eq!(server.response(), b"");
    assert_eq!(unsafe { wsh_server_accept(server.0, ptr::null()) }, OK);
    assert!(unsafe { wsh_server_is_accepted(server.0) });
    let response = server.response();
    assert_eq!(status_line(&response), "HTTP/1.1 101 Switching Protocols");
    assert!(has_header(
        &response,
        "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo="
    ));
    assert!(has_header(&response, "Sec-WebSocket-Protocol: chat"));
    assert!(has_header(&response, "Upgrade: websocket"));
    assert!(has_header(&response, "Connection: Upgrade"));
    assert!(response.ends_with(b"\r\n\r\n"));

    // Drain in small pieces; the pieces add up to the response.
    let mut drained = Vec::new();
    loop {
        let mut buf = [0u8; 7];
        let mut written = usize::MAX;
        assert_eq!(
            unsafe { wsh_server_drain(server.0, buf.as_mut_ptr(), 7, &mut written) },
            OK
        );
        if written == 0 {
            break;
        }
        drained.extend_from_slice(&buf[..written]);
    }
    assert_eq!(drained, response);
    assert_eq!(server.response(), b"");
}

#[test]
fn null_handle_is_refused_everywhere() {
    let s: *mut wsh_server = ptr::null_mut();
    let c = s as *const wsh_server;
    let mut p = ptr::null();
    let mut n = 0usize;
    let mut d = WSH_DECISION_NEED_MORE;
    let mut minor = 0u8;
    let mut param: wsh_extension_param = unsafe { core::mem::zeroed() };
    let mut deflate = wsh_deflate_params::default();
    let mut buf = [0u8; 8];
    unsafe {
        assert_eq!(
            wsh_server_new(ptr::null(), &mut (s as *mut _)),
            WSH_NULL_POINTER
        );
        assert_eq!(wsh_server_reset(s), WSH_NULL_POINTER);
        assert_eq!(
            wsh_server_feed(s, b"x".as_ptr(), 1, &mut n, &mut d),
            WSH_NULL_POINTER
        );
        assert_eq!(wsh_server_decision(c, &mut d), WSH_NULL_POINTER);
        let parts: [unsafe extern "C" fn(
            *const wsh_server,
            *mut *const u8,
            *mut usize,
        ) -> wsh_result; 10] = [
            wsh_server_head,
            wsh_server_method,
            wsh_server_target,
            wsh_server_path,
            wsh_server_query,
            wsh_server_host,
            wsh_server_origin,
            wsh_server_upgrade_protocol,
            wsh_server_subprotocol,
            wsh_server_response,
        ];
        for f in parts {
            assert_eq!(f(c, &mut p, &mut n), WSH_NULL_POINTER);
        }
        assert_eq!(wsh_server_minor_version(c, &mut minor), WSH_NULL_POINTER);
        assert_eq!(wsh_server_header_count(c, &mut n), WSH_NULL_POINTER);
        assert_eq!(
            wsh_server_header_at(c, 0, &mut p, &mut n, &mut p, &mut n),
            WSH_NULL_POINTER
        );
        assert_eq!(
            wsh_server_header(c, b"a".as_ptr(), 1, 0, &mut p, &mut n),
            WSH_NULL_POINTER
        );
        assert_eq!(wsh_server_subprotocol_count(c, &mut n), WSH_NULL_POINTER);
        assert_eq!(
            wsh_server_subprotocol_at(c, 0, &mut p, &mut n),
            WSH_NULL_POINTER
        );
        assert_eq!(wsh_server_extension_count(c, &mut n), WSH_NULL_POINTER);
        assert_eq!(
            wsh_server_extension_at(c, 0, &mut p, &mut n, &mut p, &mut n),
            WSH_NULL_POINTER
        );
        assert_eq!(
            wsh_server_extension_param_count(c, 0, &mut n),
            WSH_NULL_POINTER
        );
        assert_eq!(
            wsh_server_extension_param_at(c, 0, 0, &mut param),
            WSH_NULL_POINTER
        );
        assert_eq!(
            wsh_server_extension_param_value(c, 0, 0, buf.as_mut_ptr(), 8, &mut n),
            WSH_NULL_POINTER
        );
        assert_eq!(
            wsh_server_http2_settings(c, buf.as_mut_ptr(), 8, &mut n),
            WSH_NULL_POINTER
        );
        assert_eq!(wsh_server_deflate(c, &mut deflate), WSH_NULL_POINTER);
        assert_eq!(wsh_server_accept(s, ptr::null()), WSH_NULL_POINTER);
        assert_eq!(
            wsh_server_reject(s, 403, ptr::null(), 0, ptr::null(), 0),
            WSH_NULL_POINTER
        );
        assert_eq!(wsh_server_response_advance(s, 0), WSH_NULL_POINTER);
        assert_eq!(
            wsh_server_drain(s, buf.as_mut_ptr(), 8, &mut n),
            WSH_NULL_POINTER
        );
        assert!(!wsh_server_is_accepted(c));
        wsh_server_free(s); // no-op
    }
}

#[test]
fn null_outputs_are_refused_and_nothing_is_written() {
    let config = chat_config();
    let server = Server::new(&config);
    let s = server.0;
    let mut p: *const u8 = ptr::null();
    let mut n = 12345usize;
    let mut d = WSH_DECISION_NEED_MORE;
    unsafe {
        let mut out = ptr::null_mut();
        assert_eq!(wsh_server_new(config.0, ptr::null_mut()), WSH_NULL_POINTER);
        assert_eq!(wsh_server_new(ptr::null(), &mut out), WSH_NULL_POINTER);
        assert!(out.is_null());
        // feed: a NULL output refuses the call before any byte is taken.
        let data = RFC_REQUEST;
        assert_eq!(
            wsh_server_feed(s, data.as_ptr(), data.len(), ptr::null_mut(), &mut d),
            WSH_NULL_POINTER
        );
        assert_eq!(
            wsh_server_feed(s, data.as_ptr(), data.len(), &mut n, ptr::null_mut()),
            WSH_NULL_POINTER
        );
        assert_eq!(n, 12345);
        assert_eq!(wsh_server_decision(s, &mut d), WSH_NEED_MORE);
        assert_eq!(server.part(wsh_server_head), Ok(Vec::new()));
        // Now decide, then ask with NULL outputs.
        assert_eq!(server.feed(RFC_REQUEST).0, OK);
        assert_eq!(wsh_server_decision(s, ptr::null_mut()), WSH_NULL_POINTER);
        assert_eq!(
            wsh_server_method(s, ptr::null_mut(), &mut n),
            WSH_NULL_POINTER
        );
        assert_eq!(
            wsh_server_method(s, &mut p, ptr::null_mut()),
            WSH_NULL_POINTER
        );
        assert!(p.is_null());
        assert_eq!(n, 12345);
        assert_eq!(
            wsh_server_minor_version(s, ptr::null_mut()),
            WSH_NULL_POINTER
        );
        assert_eq!(
            wsh_server_header_count(s, ptr::null_mut()),
            WSH_NULL_POINTER
        );
        assert_eq!(
            wsh_server_header_at(s, 0, &mut p, &mut n, ptr::null_mut(), &mut n),
            WSH_NULL_POINTER
        );
        assert!(p.is_null(), "outputs are written only on success");
        assert_eq!(
            wsh_server_header(s, b"host".as_ptr(), 4, 0, ptr::null_mut(), &mut n),
            WSH_NULL_POINTER
        );
        assert_eq!(
            wsh_server_subprotocol_count(s, ptr::null_mut()),
            WSH_NULL_POINTER
        );
        assert_eq!(
            wsh_server_extension_count(s, ptr::null_mut()),
            WSH_NULL_POINTER
        );
        assert_eq!(
            wsh_server_extension_param_at(s, 0, 0, ptr::null_mut()),
            WSH_NULL_POINTER
        );
        assert_eq!(wsh_server_deflate(s, ptr::null_mut()), WSH_NULL_POINTER);
        assert_eq!(
            wsh_server_response(s, ptr::null_mut(), &mut n),
            WSH_NULL_POINTER
        );
        let mut buf = [0u8; 4];
        assert_eq!(
            wsh_server_drain(s, buf.as_mut_ptr(), 4, ptr::null_mut()),
            WSH_NULL_POINTER
        );
        assert_eq!(n, 12345);
    }
}

#[test]
fn null_with_a_length_is_an_invalid_argument_and_null_zero_is_empty() {
    let config = default_config();
    let server = Server::new(&config);
    let mut n = 0;
    let mut d = WSH_DECISION_NEED_MORE;
    unsafe {
        assert_eq!(
            wsh_server_feed(server.0, ptr::null(), 5, &mut n, &mut d),
            WSH_INVALID_ARGUMENT
        );
        assert_eq!(
            wsh_server_feed(server.0, ptr::null(), 0, &mut n, &mut d),
            WSH_NEED_MORE
        );
        assert_eq!((n, d), (0, WSH_DECISION_NEED_MORE));
        assert_eq!(
            wsh_server_feed(server.0, b"".as_ptr(), 0, &mut n, &mut d),
            WSH_NEED_MORE
        );
        // An impossible length is refused before any read.
        assert_eq!(
            wsh_server_feed(server.0, b"x".as_ptr(), usize::MAX, &mut n, &mut d),
            WSH_INVALID_ARGUMENT
        );
    }
    assert_eq!(server.feed(RFC_REQUEST).0, OK);
    let mut p = ptr::null();
    unsafe {
        assert_eq!(
            wsh_server_header(server.0, ptr::null(), 3, 0, &mut p, &mut n),
            WSH_INVALID_ARGUMENT
        );
        assert_eq!(
            wsh_server_header(server.0, ptr::null(), 0, 0, &mut p, &mut n),
            WSH_NOT_FOUND
        );
        assert_eq!(
            wsh_server_reject(server.0, 403, ptr::null(), 1, ptr::null(), 0),
            WSH_INVALID_ARGUMENT
        );
        assert_eq!(
            wsh_server_reject(server.0, 403, ptr::null(), 0, ptr::null(), 2),
            WSH_INVALID_ARGUMENT
        );
        let mut opts = options();
        opts.header_count = 1;
        assert_eq!(wsh_server_accept(server.0, &opts), WSH_INVALID_ARGUMENT);
        let mut opts = options();
        opts.extension_count = 1;
        assert_eq!(wsh_server_accept(server.0, &opts), WSH_INVALID_ARGUMENT);
        let bad = [
            header("X-A", "b"),
            wsh_header {
                name: ptr::null(),
                name_len: 3,
                value: ptr::null(),
                value_len: 0,
            },
        ];
        assert_eq!(
            wsh_server_reject(server.0, 403, bad.as_ptr(), 2, ptr::null(), 0),
            WSH_INVALID_ARGUMENT
        );
        let mut written = 0;
        assert_eq!(
            wsh_server_drain(server.0, ptr::null_mut(), 4, &mut written),
            WSH_INVALID_ARGUMENT
        );
        // (NULL, 0): an empty body and no headers are fine.
        assert_eq!(
            wsh_server_reject(server.0, 403, ptr::null(), 0, ptr::null(), 0),
            OK
        );
        assert_eq!(
            wsh_server_drain(server.0, ptr::null_mut(), 0, &mut written),
            OK
        );
        assert_eq!(written, 0);
    }
    assert_eq!(status_line(&server.response()), "HTTP/1.1 403 Forbidden");
}

#[test]
fn misuse_orders_are_wrong_state() {
    let config = chat_config();
    let server = Server::new(&config);
    let s = server.0;
    let mut p = ptr::null();
    let mut n = 0;
    unsafe {
        // Nothing fed yet.
        assert_eq!(wsh_server_accept(s, ptr::null()), WSH_WRONG_STATE);
        assert_eq!(
            wsh_server_reject(s, 404, ptr::null(), 0, ptr::null(), 0),
            WSH_WRONG_STATE
        );
        assert_eq!(wsh_server_method(s, &mut p, &mut n), WSH_WRONG_STATE);
        assert_eq!(wsh_server_header_count(s, &mut n), WSH_WRONG_STATE);
        assert_eq!(
            wsh_server_upgrade_protocol(s, &mut p, &mut n),
            WSH_WRONG_STATE
        );
        // Half a head.
        assert_eq!(server.feed(&RFC_REQUEST[..40]).0, WSH_NEED_MORE);
        assert_eq!(wsh_server_accept(s, ptr::null()), WSH_WRONG_STATE);
        assert_eq!(wsh_server_path(s, &mut p, &mut n), WSH_WRONG_STATE);
        assert_eq!(server.feed(&RFC_REQUEST[40..]).0, OK);
        // Feeding after the decision.
        assert_eq!(server.feed(b"more").0, WSH_WRONG_STATE);
        // A status that is not a rejection.
        assert_eq!(
            wsh_server_reject(s, 200, ptr::null(), 0, ptr::null(), 0),
            WSH_INVALID_STATUS
        );
        assert_eq!(
            wsh_server_reject(s, 101, ptr::null(), 0, ptr::null(), 0),
            WSH_INVALID_STATUS
        );
        assert_eq!(
            wsh_server_reject(s, 600, ptr::null(), 0, ptr::null(), 0),
            WSH_INVALID_STATUS
        );
        // The failed calls changed nothing: accept works, once.
        assert_eq!(wsh_server_accept(s, ptr::null()), OK);
        assert_eq!(wsh_server_accept(s, ptr::null()), WSH_WRONG_STATE);
        assert_eq!(
            wsh_server_reject(s, 403, ptr::null(), 0, ptr::null(), 0),
            WSH_WRONG_STATE
        );
        // Advancing past what is pending changes nothing.
        let pending = server.response().len();
        assert_eq!(
            wsh_server_response_advance(s, pending + 1),
            WSH_OUT_OF_RANGE
        );
        assert_eq!(server.response().len(), pending);
        assert_eq!(wsh_server_response_advance(s, 10), OK);
        assert_eq!(server.response().len(), pending - 10);
        assert_eq!(wsh_server_response_advance(s, pending - 10), OK);
        assert_eq!(wsh_server_response_advance(s, 0), OK);
    }

    // A rejected request cannot be accepted or re-rejected.
    server.reset();
    assert_eq!(
        server.feed(&ws_request("Sec-WebSocket-Version: 8\r\n")).0,
        WSH_REQUEST_DUPLICATE_VERSION
    );
    unsafe {
        assert_eq!(wsh_server_accept(s, ptr::null()), WSH_WRONG_STATE);
        assert_eq!(
            wsh_server_reject(s, 403, ptr::null(), 0, ptr::null(), 0),
            WSH_WRONG_STATE
        );
        assert_eq!(wsh_server_method(s, &mut p, &mut n), WSH_WRONG_STATE);
    }

    // A plain request cannot be accepted, but may be answered.
    server.reset();
    let plain = b"GET /index.html HTTP/1.1\r\nHost: a\r\n\r\n";
    assert_eq!(
        server.feed(plain),
        (OK, plain.len(), WSH_DECISION_NOT_UPGRADE)
    );
    unsafe {
        assert_eq!(wsh_server_accept(s, ptr::null()), WSH_WRONG_STATE);
        assert_eq!(wsh_server_path(s, &mut p, &mut n), OK);
        assert_eq!(view(p, n), b"/index.html");
        assert_eq!(
            wsh_server_reject(s, 404, ptr::null(), 0, ptr::null(), 0),
            OK
        );
    }
    assert_eq!(status_line(&server.response()), "HTTP/1.1 404 Not Found");
}

#[test]
fn out_of_range_indexes_leave_outputs_untouched() {
    let config = chat_config();
    let server = Server::new(&config);
    assert_eq!(server.feed(CHROMIUM_REQUEST).0, OK);
    let s = server.0;
    let sentinel = ptr::without_provenance::<u8>(0x1234);
    let (mut p, mut n, mut q, mut m) = (sentinel, 77usize, sentinel, 77usize);
    let mut count = 0;
    unsafe {
        assert_eq!(wsh_server_header_count(s, &mut count), OK);
        assert_eq!(count, 13);
        assert_eq!(
            wsh_server_header_at(s, count, &mut p, &mut n, &mut q, &mut m),
            WSH_OUT_OF_RANGE
        );
        assert_eq!(
            wsh_server_header_at(s, usize::MAX, &mut p, &mut n, &mut q, &mut m),
            WSH_OUT_OF_RANGE
        );
        assert_eq!((p, n, q, m), (sentinel, 77, sentinel, 77));
        assert_eq!(wsh_server_subprotocol_count(s, &mut count), OK);
        assert_eq!(count, 2);
        assert_eq!(
            wsh_server_subprotocol_at(s, 2, &mut p, &mut n),
            WSH_OUT_OF_RANGE
        );
        assert_eq!(wsh_server_extension_count(s, &mut count), OK);
        assert_eq!(count, 1);
        assert_eq!(
            wsh_server_extension_at(s, 1, &mut p, &mut n, &mut q, &mut m),
            WSH_OUT_OF_RANGE
        );
        assert_eq!(
            wsh_server_extension_param_count(s, 1, &mut count),
            WSH_OUT_OF_RANGE
        );
        let mut param = core::mem::zeroed();
        assert_eq!(
            wsh_server_extension_param_at(s, 0, 1, &mut param),
            WSH_OUT_OF_RANGE
        );
        assert_eq!(
            wsh_server_extension_param_at(s, 1, 0, &mut param),
            WSH_OUT_OF_RANGE
        );
        let mut buf = [0u8; 4];
        assert_eq!(
            wsh_server_extension_param_value(s, 0, 5, buf.as_mut_ptr(), 4, &mut n),
            WSH_OUT_OF_RANGE
        );
        assert_eq!((p, n, q, m), (sentinel, 77, sentinel, 77));
        assert_eq!(
            wsh_server_header(s, b"host".as_ptr(), 4, 1, &mut p, &mut n),
            WSH_NOT_FOUND
        );
        assert_eq!(
            wsh_server_header(s, b"x-none".as_ptr(), 6, 0, &mut p, &mut n),
            WSH_NOT_FOUND
        );
        assert_eq!((p, n), (sentinel, 77));
    }
}

#[test]
fn request_inspection_of_a_real_chromium_request() {
    let config = chat_config();
    let server = Server::new(&config);
    assert_eq!(
        server.feed(CHROMIUM_REQUEST),
        (OK, CHROMIUM_REQUEST.len(), WSH_DECISION_UPGRADE_WEBSOCKET)
    );
    assert_eq!(server.part(wsh_server_method), Ok(b"GET".to_vec()));
    assert_eq!(server.part(wsh_server_target), Ok(b"/chat?room=1".to_vec()));
    assert_eq!(server.part(wsh_server_path), Ok(b"/chat".to_vec()));
    assert_eq!(server.part(wsh_server_query), Ok(b"room=1".to_vec()));
    let host = server.part(wsh_server_host).unwrap();
    assert!(host.starts_with(b"127.0.0.1:"));
    let origin = server.part(wsh_server_origin).unwrap();
    assert!(origin.starts_with(b"http://127.0.0.1:"));
    assert_eq!(server.part(wsh_server_head), Ok(CHROMIUM_REQUEST.to_vec()));
    assert_eq!(
        server.part(wsh_server_upgrade_protocol),
        Err(WSH_WRONG_STATE)
    );
    let s = server.0;
    unsafe {
        let mut minor = 9;
        assert_eq!(wsh_server_minor_version(s, &mut minor), OK);
        assert_eq!(minor, 1);
        let (mut p, mut n, mut q, mut m) = (ptr::null(), 0, ptr::null(), 0);
        assert_eq!(
            wsh_server_header_at(s, 0, &mut p, &mut n, &mut q, &mut m),
            OK
        );
        assert_eq!(view(p, n), b"Host");
        assert_eq!(view(q, m), host.as_slice());
        assert_eq!(
            wsh_server_header(s, b"SEC-WEBSOCKET-VERSION".as_ptr(), 21, 0, &mut q, &mut m),
            OK
        );
        assert_eq!(view(q, m), b"13");
        let mut count = 0;
        assert_eq!(wsh_server_subprotocol_count(s, &mut count), OK);
        let offered: Vec<Vec<u8>> = (0..count)
            .map(|i| {
                assert_eq!(wsh_server_subprotocol_at(s, i, &mut p, &mut n), OK);
                view(p, n).to_vec()
            })
            .collect();
        assert_eq!(offered, [b"chat".to_vec(), b"superchat".to_vec()]);
        assert_eq!(
            wsh_server_extension_at(s, 0, &mut p, &mut n, &mut q, &mut m),
            OK
        );
        assert_eq!(view(p, n), b"permessage-deflate");
        assert_eq!(view(q, m), b"; client_max_window_bits");
        assert_eq!(wsh_server_extension_param_count(s, 0, &mut count), OK);
        assert_eq!(count, 1);
        let mut param: wsh_extension_param = core::mem::zeroed();
        assert_eq!(wsh_server_extension_param_at(s, 0, 0, &mut param), OK);
        assert_eq!(view(param.name, param.name_len), b"client_max_window_bits");
        assert!(!param.has_value && !param.quoted && param.value.is_null());
        let mut buf = [0u8; 4];
        assert_eq!(
            wsh_server_extension_param_value(s, 0, 0, buf.as_mut_ptr(), 4, &mut n),
            WSH_NOT_FOUND
        );
        let mut deflate = wsh_deflate_params::default();
        assert_eq!(wsh_server_deflate(s, &mut deflate), OK);
        assert_eq!(deflate.server_max_window_bits, 15);
        assert_eq!(deflate.client_max_window_bits, 15);
        assert_eq!(wsh_server_accept(s, ptr::null()), OK);
    }
    let response = server.response();
    assert!(has_header(&response, "Sec-WebSocket-Protocol: chat"));
    assert!(has_header(
        &response,
        "Sec-WebSocket-Extensions: permessage-deflate"
    ));
}

#[test]
fn extension_parameters_with_quoted_values() {
    let config = chat_config();
    let server = Server::new(&config);
    let request = ws_request("Sec-WebSocket-Extensions: x-foo; a=1; b=\"q\\r\"; c, x-bar\r\n");
    assert_eq!(server.feed(&request).0, OK);
    let s = server.0;
    unsafe {
        let mut count = 0;
        assert_eq!(wsh_server_extension_count(s, &mut count), OK);
        assert_eq!(count, 2);
        assert_eq!(wsh_server_extension_param_count(s, 0, &mut count), OK);
        assert_eq!(count, 3);
        assert_eq!(wsh_server_extension_param_count(s, 1, &mut count), OK);
        assert_eq!(count, 0);
        let mut param: wsh_extension_param = core::mem::zeroed();
        assert_eq!(wsh_server_extension_param_at(s, 0, 1, &mut param), OK);
        assert_eq!(view(param.name, param.name_len), b"b");
        assert_eq!(view(param.value, param.value_len), b"q\\r");
        assert!(param.has_value && param.quoted);
        // Unescaped: needs 2 bytes; a 1-byte buffer reports that and is untouched.
        let mut buf = [b'#'; 4];
        let mut written = 0;
        assert_eq!(
            wsh_server_extension_param_value(s, 0, 1, buf.as_mut_ptr(), 1, &mut written),
            WSH_BUFFER_TOO_SMALL
        );
        assert_eq!((written, buf), (2, [b'#'; 4]));
        assert_eq!(
            wsh_server_extension_param_value(s, 0, 1, ptr::null_mut(), 0, &mut written),
            WSH_BUFFER_TOO_SMALL
        );
        assert_eq!(written, 2);
        assert_eq!(
            wsh_server_extension_param_value(s, 0, 1, buf.as_mut_ptr(), 4, &mut written),
            OK
        );
        assert_eq!(&buf[..written], b"qr");
        assert_eq!(wsh_server_extension_param_at(s, 0, 0, &mut param), OK);
        assert!(param.has_value && !param.quoted);
        assert_eq!(view(param.value, param.value_len), b"1");
        assert_eq!(wsh_server_extension_param_at(s, 0, 2, &mut param), OK);
        assert!(!param.has_value);
        // permessage-deflate was not offered.
        let mut deflate = wsh_deflate_params::default();
        assert_eq!(wsh_server_deflate(s, &mut deflate), WSH_NOT_FOUND);
    }
}

/// Every rejection vector: (extra header lines or whole request, result,
/// status line, headers that must be present).
#[test]
fn ready_made_rejections() {
    let config = config_with(|b| unsafe {
        let o = b"https://good.example";
        assert_eq!(
            wshandshake_ffi::ffi::server_config::wsh_server_config_builder_add_allowed_origin(
                b,
                o.as_ptr(),
                o.len()
            ),
            OK
        );
        let mut l = core::mem::zeroed();
        assert_eq!(wshandshake_ffi::ffi::limits::wsh_limits_default(&mut l), OK);
        l.max_headers = 10;
        l.max_request_line = 200;
        l.max_header_line = 200;
        l.max_head_bytes = 600;
        assert_eq!(
            wshandshake_ffi::ffi::server_config::wsh_server_config_builder_limits(b, &l),
            OK
        );
    });
    let good = ws_request("");
    let good = String::from_utf8(good).unwrap();
    let cases: Vec<(String, wsh_result, &str, &[&str])> = vec![
        (
            good.replacen("GET", "POST", 1),
            WSH_REQUEST_METHOD_NOT_ALLOWED,
            "HTTP/1.1 405 Method Not Allowed",
            &["Allow: GET", "Connection: close"],
        ),
        (
            good.replace("Sec-WebSocket-Version: 13", "Sec-WebSocket-Version: 12"),
            WSH_REQUEST_UNSUPPORTED_VERSION,
            "HTTP/1.1 426 Upgrade Required",
            &["Sec-WebSocket-Version: 13", "Upgrade: websocket"],
        ),
        (
            good.replace("Sec-WebSocket-Version: 13\r\n", ""),
            WSH_REQUEST_MISSING_VERSION,
            "HTTP/1.1 426 Upgrade Required",
            &["Sec-WebSocket-Version: 13"],
        ),
        (
            good.replace("dGhlIHNhbXBsZSBub25jZQ==", "short"),
            WSH_REQUEST_INVALID_KEY,
            "HTTP/1.1 400 Bad Request",
            &["Connection: close"],
        ),
        (
            good.replace("Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n", ""),
            WSH_REQUEST_MISSING_KEY,
            "HTTP/1.1 400 Bad Request",
            &[],
        ),
        (
            good.replace("Connection: Upgrade", "Connection: keep-alive"),
            WSH_REQUEST_MISSING_CONNECTION_UPGRADE,
            "HTTP/1.1 400 Bad Request",
            &[],
        ),
        (
            good.replace("Host: example.com\r\n", ""),
            WSH_REQUEST_MISSING_HOST,
            "HTTP/1.1 400 Bad Request",
            &[],
        ),
        (
            good.replace("\r\n\r\n", "\r\nOrigin: https://evil.example\r\n\r\n"),
            WSH_REQUEST_ORIGIN_NOT_ALLOWED,
            "HTTP/1.1 403 Forbidden",
            &[],
        ),
        (
            good.replace("\r\n\r\n", "\r\nOrigin: null\r\n\r\n"),
            WSH_REQUEST_ORIGIN_NOT_ALLOWED,
            "HTTP/1.1 403 Forbidden",
            &[],
        ),
        (
            good.replace(
                "\r\n\r\n",
                "\r\nA: 1\r\nB: 1\r\nC: 1\r\nD: 1\r\nE: 1\r\nF: 1\r\n\r\n",
            ),
            WSH_REQUEST_TOO_MANY_HEADERS,
            "HTTP/1.1 431 Request Header Fields Too Large",
            &[],
        ),
        (
            good.replace(
                "\r\n\r\n",
                &format!("\r\nX-Long: {}\r\n\r\n", "a".repeat(300)),
            ),
            WSH_REQUEST_HEADER_LINE_TOO_LONG,
            "HTTP/1.1 431 Request Header Fields Too Large",
            &[],
        ),
        (
            good.replace("GET /chat", &format!("GET /{}", "a".repeat(300))),
            WSH_REQUEST_LINE_TOO_LONG,
            "HTTP/1.1 414 URI Too Long",
            &[],
        ),
        (
            good.replace(
                "\r\n\r\n",
                &format!(
                    "\r\n{}\r\n",
                    vec!["X-Pad: ".to_owned() + &"a".repeat(150); 3].join("\r\n")
                ),
            ),
            WSH_REQUEST_HEAD_TOO_LARGE,
            "HTTP/1.1 431 Request Header Fields Too Large",
            &[],
        ),
        (
            good.replace("\r\n\r\n", "\r\nContent-Length: 5\r\n\r\n"),
            WSH_REQUEST_HAS_BODY,
            "HTTP/1.1 400 Bad Request",
            &[],
        ),
        (
            good.replace("Host: example.com", "Host: a\r\nHost: b"),
            WSH_REQUEST_DUPLICATE_HOST,
            "HTTP/1.1 400 Bad Request",
            &[],
        ),
        (
            good.replace("Host: example.com", "Host: a b"),
            WSH_REQUEST_INVALID_HOST,
            "HTTP/1.1 400 Bad Request",
            &[],
        ),
        (
            good.replace("\r\n\r\n", "\r\nSec-WebSocket-Protocol: a b\r\n\r\n"),
            WSH_REQUEST_INVALID_SUBPROTOCOL_LIST,
            "HTTP/1.1 400 Bad Request",
            &[],
        ),
        (
            good.replace("\r\n\r\n", "\r\nSec-WebSocket-Extensions: ;;\r\n\r\n"),
            WSH_REQUEST_INVALID_EXTENSION_LIST,
            "HTTP/1.1 400 Bad Request",
            &[],
        ),
        (
            "GET / HTTP/1.1\r\nHost: a\r\n bad fold\r\n\r\n".to_owned(),
            WSH_REQUEST_OBSOLETE_LINE_FOLDING,
            "HTTP/1.1 400 Bad Request",
            &[],
        ),
    ];
    let server = Server::new(&config);
    for (request, code, line, headers) in &cases {
        server.reset();
        let extra = b"\x81\x05hello";
        let mut input = request.as_bytes().to_vec();
        input.extend_from_slice(extra);
        let (r, consumed, decision) = server.feed(&input);
        assert_eq!(r, *code, "{request:?}");
        assert_eq!(decision, WSH_DECISION_REJECTED);
        assert_eq!(consumed, input.len(), "a rejection takes every byte");
        let response = server.response();
        assert_eq!(status_line(&response), *line, "{request:?}");
        let status: u16 = line[9..12].parse().unwrap();
        assert_eq!(
            wshandshake_ffi::ffi::result::wsh_result_http_status(*code as u32),
            status
        );
        for h in *headers {
            assert!(
                has_header(&response, h),
                "{h} in {}",
                String::from_utf8_lossy(&response)
            );
        }
        assert!(
            !response.windows(5).any(|w| w == b"hello"),
            "no request byte echoed"
        );
        let mut d = WSH_DECISION_NEED_MORE;
        assert_eq!(unsafe { wsh_server_decision(server.0, &mut d) }, *code);
        assert_eq!(d, WSH_DECISION_REJECTED);
    }
}

#[test]
fn byte_at_a_time_gives_the_same_result_and_response() {
    let config = chat_config();
    for request in [RFC_REQUEST, CHROMIUM_REQUEST] {
        let whole = Server::new(&config);
        assert_eq!(whole.feed(request).0, OK);
        assert_eq!(unsafe { wsh_server_accept(whole.0, ptr::null()) }, OK);

        let bytewise = Server::new(&config);
        let mut total = 0;
        for (i, b) in request.iter().enumerate() {
            let (r, consumed, d) = bytewise.feed(core::slice::from_ref(b));
            total += consumed;
            if i + 1 < request.len() {
                assert_eq!((r, consumed, d), (WSH_NEED_MORE, 1, WSH_DECISION_NEED_MORE));
            } else {
                assert_eq!((r, d), (OK, WSH_DECISION_UPGRADE_WEBSOCKET));
            }
        }
        assert_eq!(total, request.len());
        assert_eq!(unsafe { wsh_server_accept(bytewise.0, ptr::null()) }, OK);
        assert_eq!(bytewise.response(), whole.response());
    }
}

#[test]
fn bytes_after_the_head_are_left_over() {
    let config = chat_config();
    let server = Server::new(&config);
    let mut input = RFC_REQUEST.to_vec();
    input.extend_from_slice(b"\x81\x05hello");
    // Split so that the head ends inside the second chunk.
    let (a, b) = input.split_at(100);
    assert_eq!(server.feed(a), (WSH_NEED_MORE, 100, WSH_DECISION_NEED_MORE));
    let (r, consumed, _) = server.feed(b);
    assert_eq!(r, OK);
    assert_eq!(consumed, RFC_REQUEST.len() - 100);
    assert_eq!(&b[consumed..], b"\x81\x05hello");
}

#[test]
fn accept_options() {
    let config = chat_config();
    let server = Server::new(&config);
    let request = ws_request(
        "Sec-WebSocket-Protocol: superchat, chat\r\nSec-WebSocket-Extensions: permessage-deflate, x-foo\r\n",
    );
    let s = server.0;
    let fresh = || {
        server.reset();
        assert_eq!(server.feed(&request).0, OK);
    };
    unsafe {
        fresh();
        // Named, offered.
        let mut opts = options();
        opts.subprotocol_mode = wsh_subprotocol_mode::WSH_SUBPROTOCOL_NAMED as u32;
        opts.subprotocol = b"superchat".as_ptr();
        opts.subprotocol_len = 9;
        opts.decline_deflate = true;
        let headers = [header("Set-Cookie", "id=1"), header("X-Server", "wsh")];
        opts.headers = headers.as_ptr();
        opts.header_count = 2;
        assert_eq!(wsh_server_accept(s, &opts), OK);
        let response = server.response();
        assert!(has_header(&response, "Sec-WebSocket-Protocol: superchat"));
        assert!(has_header(&response, "Set-Cookie: id=1"));
        assert!(has_header(&response, "X-Server: wsh"));
        assert!(!String::from_utf8_lossy(&response).contains("permessage-deflate"));
        assert_eq!(
            server.part(wsh_server_subprotocol),
            Ok(b"superchat".to_vec())
        );
        let mut deflate = wsh_deflate_params::default();
        assert_eq!(wsh_server_deflate(s, &mut deflate), WSH_NOT_FOUND);

        // Named, not offered; bad mode; non-UTF-8 name; each leaves the request
        // acceptable.
        fresh();
        let mut opts = options();
        opts.subprotocol_mode = wsh_subprotocol_mode::WSH_SUBPROTOCOL_NAMED as u32;
        opts.subprotocol = b"other".as_ptr();
        opts.subprotocol_len = 5;
        assert_eq!(wsh_server_accept(s, &opts), WSH_SUBPROTOCOL_NOT_OFFERED);
        opts.subprotocol = b"\xff".as_ptr();
        opts.subprotocol_len = 1;
        assert_eq!(wsh_server_accept(s, &opts), WSH_INVALID_UTF8);
        opts.subprotocol_mode = 3;
        assert_eq!(wsh_server_accept(s, &opts), WSH_INVALID_ARGUMENT);
        let mut opts = options();
        let bad = [header("Sec-WebSocket-Accept", "x")];
        opts.headers = bad.as_ptr();
        opts.header_count = 1;
        assert_eq!(wsh_server_accept(s, &opts), WSH_RESERVED_HEADER);
        let bad = [header("X-A", "a\r\nInjected: 1")];
        opts.headers = bad.as_ptr();
        assert_eq!(wsh_server_accept(s, &opts), WSH_INVALID_HEADER_VALUE);
        let bad = [header("X A", "a")];
        opts.headers = bad.as_ptr();
        assert_eq!(wsh_server_accept(s, &opts), WSH_INVALID_HEADER_NAME);
        let bad = [wsh_header {
            name: b"\xff".as_ptr(),
            name_len: 1,
            value: ptr::null(),
            value_len: 0,
        }];
        opts.headers = bad.as_ptr();
        assert_eq!(wsh_server_accept(s, &opts), WSH_INVALID_HEADER_NAME);
        let mut opts = options();
        let ext = [wsh_bytes {
            data: b"x-foo; a, x-bar".as_ptr(),
            len: 15,
        }];
        opts.extensions = ext.as_ptr();
        opts.extension_count = 1;
        assert_eq!(wsh_server_accept(s, &opts), WSH_INVALID_EXTENSION);
        // RFC 6455 section 9.1: only extensions the client offered, and never
        // permessage-deflate (the engine negotiates it).
        for (element, code) in [
            (&b"x-never-offered"[..], WSH_EXTENSION_NOT_OFFERED),
            (
                b"permessage-deflate; client_max_window_bits=9",
                WSH_RESERVED_EXTENSION,
            ),
            (b"PERMESSAGE-DEFLATE", WSH_RESERVED_EXTENSION),
        ] {
            let ext = [wsh_bytes {
                data: element.as_ptr(),
                len: element.len(),
            }];
            opts.extensions = ext.as_ptr();
            assert_eq!(wsh_server_accept(s, &opts), code);
        }
        assert!(server.response().is_empty());
        assert!(!wsh_server_is_accepted(s));

        // Mode NONE and an extra extension element.
        let mut opts = options();
        opts.subprotocol_mode = wsh_subprotocol_mode::WSH_SUBPROTOCOL_NONE as u32;
        let ext = [wsh_bytes {
            data: b"x-foo; level=2".as_ptr(),
            len: 14,
        }];
        opts.extensions = ext.as_ptr();
        opts.extension_count = 1;
        assert_eq!(wsh_server_accept(s, &opts), OK);
        let response = server.response();
        assert!(!String::from_utf8_lossy(&response).contains("Sec-WebSocket-Protocol"));
        assert!(has_header(
            &response,
            "Sec-WebSocket-Extensions: permessage-deflate, x-foo; level=2"
        ));
        assert_eq!(server.part(wsh_server_subprotocol), Err(WSH_NOT_FOUND));
    }
}

#[test]
fn accept_that_does_not_fit_the_response_capacity_is_refused() {
    let config = config_with(|b| unsafe {
        assert_eq!(
            wshandshake_ffi::ffi::server_config::wsh_server_config_builder_response_capacity(
                b, 256
            ),
            OK
        );
    });
    let server = Server::new(&config);
    assert_eq!(server.feed(RFC_REQUEST).0, OK);
    let value = "v".repeat(200);
    let h = [wsh_header {
        name: b"X-Big".as_ptr(),
        name_len: 5,
        value: value.as_ptr(),
        value_len: value.len(),
    }];
    let mut opts = options();
    opts.headers = h.as_ptr();
    opts.header_count = 1;
    unsafe {
        assert_eq!(wsh_server_accept(server.0, &opts), WSH_BUFFER_TOO_SMALL);
        assert_eq!(wsh_server_accept(server.0, ptr::null()), OK);
    }
}

#[test]
fn custom_rejection_with_headers_and_body() {
    let config = chat_config();
    let server = Server::new(&config);
    assert_eq!(server.feed(RFC_REQUEST).0, OK);
    let headers = [header("WWW-Authenticate", "Bearer realm=\"chat\"")];
    let body = b"login first";
    unsafe {
        let reserved = [header("Content-Length", "3")];
        assert_eq!(
            wsh_server_reject(server.0, 401, reserved.as_ptr(), 1, ptr::null(), 0),
            WSH_RESERVED_HEADER
        );
        let bad = [header("X-A", "a\nb")];
        assert_eq!(
            wsh_server_reject(server.0, 401, bad.as_ptr(), 1, ptr::null(), 0),
            WSH_INVALID_HEADER_VALUE
        );
        assert_eq!(
            wsh_server_reject(
                server.0,
                401,
                headers.as_ptr(),
                1,
                body.as_ptr(),
                body.len()
            ),
            OK
        );
        assert!(!wsh_server_is_accepted(server.0));
    }
    assert_eq!(
        server.response(),
        b"HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: Bearer realm=\"chat\"\r\n\
          Content-Type: text/plain; charset=utf-8\r\nConnection: close\r\n\
          Content-Length: 11\r\n\r\nlogin first"
    );
}

#[test]
fn h2c_upgrade_and_http2_settings() {
    let config = config_with(|b| unsafe {
        assert_eq!(
            wshandshake_ffi::ffi::server_config::wsh_server_config_builder_add_upgrade_protocol(
                b,
                b"h2c".as_ptr(),
                3
            ),
            OK
        );
    });
    let server = Server::new(&config);
    let request = b"GET / HTTP/1.1\r\nHost: a\r\nConnection: Upgrade, HTTP2-Settings\r\n\
        Upgrade: h2c\r\nHTTP2-Settings: AAMAAABkAARAAAAAAAIAAAAA\r\n\r\n";
    assert_eq!(
        server.feed(request),
        (OK, request.len(), WSH_DECISION_UPGRADE_OTHER)
    );
    assert_eq!(
        server.part(wsh_server_upgrade_protocol),
        Ok(b"h2c".to_vec())
    );
    let s = server.0;
    unsafe {
        let mut written = 0;
        let mut small = [0u8; 4];
        assert_eq!(
            wsh_server_http2_settings(s, small.as_mut_ptr(), 4, &mut written),
            WSH_BUFFER_TOO_SMALL
        );
        assert_eq!(written, 18);
        let mut buf = [0u8; 32];
        assert_eq!(
            wsh_server_http2_settings(s, buf.as_mut_ptr(), 32, &mut written),
            OK
        );
        assert_eq!(
            &buf[..written],
            &[0, 3, 0, 0, 0, 100, 0, 4, 0x40, 0, 0, 0, 0, 2, 0, 0, 0, 0]
        );
        let mut opts = options();
        let ext = [wsh_bytes {
            data: b"x".as_ptr(),
            len: 1,
        }];
        opts.extensions = ext.as_ptr();
        opts.extension_count = 1;
        assert_eq!(wsh_server_accept(s, &opts), WSH_WRONG_STATE);
        assert_eq!(wsh_server_accept(s, ptr::null()), OK);
    }
    assert_eq!(
        server.response(),
        b"HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: h2c\r\n\r\n"
    );
    // A WebSocket request has no HTTP2-Settings.
    server.reset();
    assert_eq!(server.feed(RFC_REQUEST).0, OK);
    let mut written = 0;
    assert_eq!(
        unsafe { wsh_server_http2_settings(server.0, ptr::null_mut(), 0, &mut written) },
        WSH_NOT_FOUND
    );
}

#[test]
fn http2_preface_and_other_not_upgrades() {
    let config = default_config();
    let server = Server::new(&config);
    let preface = b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n";
    let (r, consumed, d) = server.feed(preface);
    assert_eq!((r, d), (OK, WSH_DECISION_HTTP2_PREFACE));
    let head = server.part(wsh_server_head).unwrap();
    assert_eq!([&head[..], &preface[consumed..]].concat(), preface);
    assert_eq!(server.part(wsh_server_method), Err(WSH_WRONG_STATE));

    server.reset();
    let http10 = b"GET / HTTP/1.0\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n";
    assert_eq!(
        server.feed(http10),
        (OK, http10.len(), WSH_DECISION_NOT_UPGRADE_HTTP10)
    );
    let mut minor = 9;
    assert_eq!(
        unsafe { wsh_server_minor_version(server.0, &mut minor) },
        OK
    );
    assert_eq!(minor, 0);

    server.reset();
    let other = b"GET / HTTP/1.1\r\nHost: a\r\nUpgrade: foo/1\r\nConnection: Upgrade\r\n\r\n";
    assert_eq!(
        server.feed(other),
        (OK, other.len(), WSH_DECISION_NOT_UPGRADE_UNSUPPORTED)
    );
    assert_eq!(server.part(wsh_server_query), Err(WSH_NOT_FOUND));
    assert_eq!(server.part(wsh_server_origin), Err(WSH_NOT_FOUND));
}

#[test]
fn one_handle_serves_many_handshakes() {
    let config = chat_config();
    let server = Server::new(&config);
    let fixtures: [&[u8]; 4] = [
        RFC_REQUEST,
        CHROMIUM_REQUEST,
        include_bytes!("fixtures/requests/python-websockets.http"),
        include_bytes!("fixtures/requests/node-ws.http"),
    ];
    let rounds = if cfg!(miri) { 8 } else { 400 };
    let mut first_responses = Vec::new();
    for i in 0..rounds {
        let request = fixtures[i % fixtures.len()];
        server.reset();
        assert_eq!(
            server.feed(request),
            (OK, request.len(), WSH_DECISION_UPGRADE_WEBSOCKET)
        );
        assert_eq!(unsafe { wsh_server_accept(server.0, ptr::null()) }, OK);
        let response = server.response();
        if i < fixtures.len() {
            first_responses.push(response);
        } else {
            assert_eq!(response, first_responses[i % fixtures.len()], "round {i}");
        }
    }
}

#[test]
fn poisoned_handles_are_not_reachable_from_c_without_a_panic() {
    // A fresh handle is not poisoned: every call works (the poisoning itself is
    // tested inside the crate with a test-only hook).
    let config = default_config();
    let server = Server::new(&config);
    assert_eq!(server.feed(RFC_REQUEST).0, OK);
    server.reset();
    assert_eq!(server.feed(RFC_REQUEST).0, OK);
}

#[test]
fn huge_list_counts_are_refused_before_anything_is_allocated() {
    // A count of 1 << 40 used to reach Vec::with_capacity: "memory allocation
    // of 35184372088832 bytes failed" on stderr, then SIGABRT.
    let config = chat_config();
    let server = Server::new(&config);
    assert_eq!(server.feed(RFC_REQUEST).0, OK);
    let one = [header("X-A", "b")];
    let element = [wsh_bytes {
        data: b"x-foo".as_ptr(),
        len: 5,
    }];
    for count in [1usize << 40, usize::MAX, 4096 / 2 + 1] {
        let mut opts = options();
        opts.headers = one.as_ptr();
        opts.header_count = count;
        assert_eq!(
            unsafe { wsh_server_accept(server.0, &opts) },
            WSH_INVALID_ARGUMENT
        );
        let mut opts = options();
        opts.extensions = element.as_ptr();
        opts.extension_count = count;
        assert_eq!(
            unsafe { wsh_server_accept(server.0, &opts) },
            WSH_INVALID_ARGUMENT
        );
        assert_eq!(
            unsafe { wsh_server_reject(server.0, 403, one.as_ptr(), count, ptr::null(), 0) },
            WSH_INVALID_ARGUMENT
        );
    }
    // Nothing changed: the request may still be answered.
    assert_eq!(server.response(), b"");
    assert_eq!(
        unsafe { wsh_server_reject(server.0, 403, one.as_ptr(), 1, ptr::null(), 0) },
        OK
    );
    assert!(server.response().starts_with(b"HTTP/1.1 403 "));
}
