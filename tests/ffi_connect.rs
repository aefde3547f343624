//! Extended CONNECT (RFC 8441, RFC 9220) through the C ABI: the RFC 8441
//! example on both sides, round trips, every request and response error code,
//! outcomes that are not WebSocket, options, custom rejections, sizes,
//! overlapping buffers, list limits, misuse, and no heap allocation.

#[path = "ffi_common/counting_alloc.rs"]
mod counting_alloc;
mod ffi_common;
use counting_alloc::allocations;

use core::ptr;
use std::collections::HashSet;

use ffi_common::*;
use wshandshake_ffi::ffi::bytes::{wsh_bytes, wsh_header};
use wshandshake_ffi::ffi::client_config::wsh_deflate_offer;
use wshandshake_ffi::ffi::connect_client::wsh_connect_client_outcome::*;
use wshandshake_ffi::ffi::connect_client::*;
use wshandshake_ffi::ffi::connect_server::wsh_connect_outcome::{self, *};
use wshandshake_ffi::ffi::connect_server::*;
use wshandshake_ffi::ffi::deflate::wsh_deflate_params;
use wshandshake_ffi::ffi::extended_connect::*;
use wshandshake_ffi::ffi::result::wsh_result::{self, *};
use wshandshake_ffi::ffi::server::{wsh_accept_options, wsh_subprotocol_mode};
use wshandshake_ffi::ffi::server_config::*;

type Pairs = Vec<(String, String)>;

/// Field arrays pointing into `list` (kept alive by the caller).
fn fields(list: &[(String, String)]) -> Vec<wsh_field> {
    list.iter()
        .map(|(n, v)| wsh_field {
            name: n.as_ptr(),
            name_len: n.len(),
            value: v.as_ptr(),
            value_len: v.len(),
        })
        .collect()
}

fn pairs(list: &[(&str, &str)]) -> Pairs {
    list.iter()
        .map(|(n, v)| (n.to_string(), v.to_string()))
        .collect()
}

/// Copies an output field list.
fn read(out: &[wsh_field]) -> Pairs {
    out.iter()
        .map(|f| unsafe {
            (
                String::from_utf8(view(f.name, f.name_len).to_vec()).unwrap(),
                String::from_utf8(view(f.value, f.value_len).to_vec()).unwrap(),
            )
        })
        .collect()
}

fn header(name: &'static str, value: &'static str) -> wsh_header {
    wsh_header {
        name: name.as_ptr(),
        name_len: name.len(),
        value: value.as_ptr(),
        value_len: value.len(),
    }
}

fn bytes(text: &'static str) -> wsh_bytes {
    wsh_bytes {
        data: text.as_ptr(),
        len: text.len(),
    }
}

/// The RFC 8441 section 5.1 request.
fn rfc_request() -> Pairs {
    pairs(&[
        (":method", "CONNECT"),
        (":protocol", "websocket"),
        (":scheme", "https"),
        (":path", "/chat"),
        (":authority", "server.example.com"),
        ("sec-websocket-protocol", "chat, superchat"),
        ("sec-websocket-extensions", "permessage-deflate"),
        ("sec-websocket-version", "13"),
        ("origin", "http://www.example.com"),
    ])
}

/// A config supporting subprotocol "chat" only (the RFC example's server).
fn rfc_server_config() -> Config {
    config_with(|b| unsafe {
        assert_eq!(
            wsh_server_config_builder_add_subprotocol(b, b"chat".as_ptr(), 4),
            OK
        );
    })
}

fn empty_info() -> wsh_connect_info {
    unsafe { core::mem::zeroed() }
}

fn analyze(config: &Config, request: &[(String, String)]) -> (wsh_result, wsh_connect_info) {
    let f = fields(request);
    let mut info = empty_info();
    let r = unsafe { wsh_connect_analyze(config.0, f.as_ptr(), f.len(), &mut info) };
    (r, info)
}

/// Runs wsh_connect_respond with room to spare; returns the result, the
/// response fields and the info.
fn respond_with(
    config: &Config,
    request: &[(String, String)],
    options: Option<&wsh_accept_options>,
) -> (wsh_result, Pairs, wsh_connect_info) {
    let f = fields(request);
    let mut buf = [0u8; 1024];
    let mut out = [wsh_field {
        name: ptr::null(),
        name_len: 0,
        value: ptr::null(),
        value_len: 0,
    }; 16];
    let mut info = empty_info();
    let r = unsafe {
        wsh_connect_respond(
            config.0,
            f.as_ptr(),
            f.len(),
            options.map_or(ptr::null(), |o| o as *const _),
            buf.as_mut_ptr(),
            buf.len(),
            out.as_mut_ptr(),
            out.len(),
            &mut info,
        )
    };
    let written = if matches!(r, WSH_OK) || r.connect_error().is_some() {
        read(&out[..info.field_count])
    } else {
        Vec::new()
    };
    (r, written, info)
}

fn respond(config: &Config, request: &[(String, String)]) -> (wsh_result, Pairs, wsh_connect_info) {
    respond_with(config, request, None)
}

/// Client options over borrowed data.
fn client_options(
    authority: &'static str,
    subprotocols: &[wsh_bytes],
    deflate: Option<&wsh_deflate_offer>,
) -> wsh_connect_client_options {
    wsh_connect_client_options {
        scheme: wsh_scheme::WSH_SCHEME_HTTPS as u32,
        authority: authority.as_ptr(),
        authority_len: authority.len(),
        path: ptr::null(),
        path_len: 0,
        subprotocols: subprotocols.as_ptr(),
        subprotocol_count: subprotocols.len(),
        deflate: deflate.map_or(ptr::null(), |d| d as *const _),
        deflate_count: 0,
        origin: ptr::null(),
        origin_len: 0,
        headers: ptr::null(),
        header_count: 0,
    }
}

/// Runs wsh_connect_client_request with room to spare.
fn client_request(options: &wsh_connect_client_options) -> Result<Pairs, wsh_result> {
    let mut buf = [0u8; 1024];
    let mut out = [wsh_field {
        name: ptr::null(),
        name_len: 0,
        value: ptr::null(),
        value_len: 0,
    }; 32];
    let (mut count, mut len) = (usize::MAX, usize::MAX);
    let r = unsafe {
        wsh_connect_client_request(
            options,
            buf.as_mut_ptr(),
            buf.len(),
            out.as_mut_ptr(),
            out.len(),
            &mut count,
            &mut len,
        )
    };
    match r {
        WSH_OK => {
            let list = read(&out[..count]);
            let total: usize = list.iter().map(|(n, v)| n.len() + v.len()).sum();
            assert_eq!(total, len);
            Ok(list)
        }
        other => {
            assert_eq!((count, len), (usize::MAX, usize::MAX), "outputs untouched");
            Err(other)
        }
    }
}

fn check(
    options: &wsh_connect_client_options,
    response: &[(String, String)],
) -> Result<wsh_connect_client_info, wsh_result> {
    let f = fields(response);
    let mut info: wsh_connect_client_info = unsafe { core::mem::zeroed() };
    info.status = 999;
    match unsafe { wsh_connect_client_check_response(options, f.as_ptr(), f.len(), &mut info) } {
        WSH_OK => Ok(info),
        other => {
            assert_eq!(info.status, 999, "info untouched on error");
            Err(other)
        }
    }
}

fn subprotocol_of(info: &wsh_connect_client_info) -> Option<String> {
    (!info.subprotocol.is_null()).then(|| {
        String::from_utf8(unsafe { view(info.subprotocol, info.subprotocol_len) }.to_vec()).unwrap()
    })
}

#[test]
#[cfg_attr(miri, ignore = "reads the committed header")]
fn constants_match_the_rfcs() {
    assert_eq!(WSH_SETTINGS_ENABLE_CONNECT_PROTOCOL, 0x08);
    assert_eq!(WSH_H3_SETTINGS_ENABLE_CONNECT_PROTOCOL, 0x08);
    assert_eq!(WSH_ENABLE_CONNECT_PROTOCOL, 1);
    assert_eq!(WSH_CONNECT_MAX_FIELDS, 128);
    let header = committed_header();
    for line in [
        "#define WSH_SETTINGS_ENABLE_CONNECT_PROTOCOL 8",
        "#define WSH_H3_SETTINGS_ENABLE_CONNECT_PROTOCOL 8",
        "#define WSH_ENABLE_CONNECT_PROTOCOL 1",
        "#define WSH_CONNECT_MAX_FIELDS 128",
    ] {
        assert!(header.lines().any(|l| l == line), "{line}");
    }
}

#[test]
fn rfc8441_example_server_side() {
    let config = rfc_server_config();
    let request = rfc_request();
    let (r, info) = analyze(&config, &request);
    assert_eq!(
        (r, info.outcome, info.status),
        (OK, WSH_CONNECT_WEBSOCKET, 200)
    );
    assert!(info.secure && !info.malformed);
    unsafe {
        assert_eq!(view(info.path, info.path_len), b"/chat");
        assert_eq!(
            view(info.authority, info.authority_len),
            b"server.example.com"
        );
        assert_eq!(
            view(info.origin, info.origin_len),
            b"http://www.example.com"
        );
        assert_eq!(view(info.subprotocol, info.subprotocol_len), b"chat");
    }
    // The views point into the caller's fields.
    assert_eq!(info.path, request[3].1.as_ptr());
    assert_eq!((info.subprotocol_count, info.extension_count), (2, 1));
    assert!(!info.has_deflate, "the config has no permessage-deflate");
    assert_eq!(info.deflate, wsh_deflate_params::default());

    let (r, response, written) = respond(&config, &request);
    assert_eq!(r, OK);
    assert_eq!(
        response,
        pairs(&[(":status", "200"), ("sec-websocket-protocol", "chat")])
    );
    assert_eq!(
        (written.outcome, written.status),
        (WSH_CONNECT_WEBSOCKET, 200)
    );
    // analyze predicted the sizes respond needed.
    assert_eq!(
        (info.field_count, info.bytes_len),
        (written.field_count, written.bytes_len)
    );
    assert_eq!(
        written.bytes_len,
        ":status200sec-websocket-protocolchat".len()
    );
    unsafe {
        assert_eq!(view(written.subprotocol, written.subprotocol_len), b"chat");
    }

    for (index, expected) in [(0, "chat"), (1, "superchat")] {
        let f = fields(&request);
        let (mut p, mut n) = (ptr::null(), 0);
        assert_eq!(
            unsafe {
                wsh_connect_subprotocol_at(config.0, f.as_ptr(), f.len(), index, &mut p, &mut n)
            },
            OK
        );
        assert_eq!(unsafe { view(p, n) }, expected.as_bytes());
    }
    let f = fields(&request);
    let (mut p, mut n) = (ptr::null(), 0);
    let (mut q, mut m) = (ptr::null(), 0);
    unsafe {
        assert_eq!(
            wsh_connect_subprotocol_at(config.0, f.as_ptr(), f.len(), 2, &mut p, &mut n),
            WSH_OUT_OF_RANGE
        );
        assert_eq!(
            wsh_connect_extension_at(
                config.0,
                f.as_ptr(),
                f.len(),
                0,
                &mut p,
                &mut n,
                &mut q,
                &mut m
            ),
            OK
        );
        assert_eq!(
            (view(p, n), view(q, m)),
            (&b"permessage-deflate"[..], &b""[..])
        );
        assert_eq!(
            wsh_connect_extension_at(
                config.0,
                f.as_ptr(),
                f.len(),
                1,
                &mut p,
                &mut n,
                &mut q,
                &mut m
            ),
            WSH_OUT_OF_RANGE
        );
    }
}

#[test]
fn rfc8441_example_client_side() {
    let subprotocols = [bytes("chat"), bytes("superchat")];
    let bare: wsh_deflate_offer = unsafe { core::mem::zeroed() };
    let origin = "http://www.example.com";
    let path = "/chat";
    let mut options = client_options("server.example.com", &subprotocols, Some(&bare));
    options.origin = origin.as_ptr();
    options.origin_len = origin.len();
    options.path = path.as_ptr();
    options.path_len = path.len();
    assert_eq!(client_request(&options), Ok(rfc_request()));

    // The RFC's response; the subprotocol view points into it.
    let response = pairs(&[(":status", "200"), ("sec-websocket-protocol", "chat")]);
    let info = check(&options, &response).unwrap();
    assert_eq!(
        (info.outcome, info.status),
        (WSH_CONNECT_CLIENT_ACCEPTED, 200)
    );
    assert_eq!(subprotocol_of(&info).as_deref(), Some("chat"));
    assert!(!info.has_deflate);
}

#[test]
fn round_trips_agree_on_subprotocol_and_deflate() {
    let server = chat_config(); // chat + permessage-deflate
    let subprotocols = [bytes("superchat"), bytes("chat")];
    let offer = wsh_deflate_offer {
        server_no_context_takeover: false,
        client_no_context_takeover: true,
        server_max_window_bits: 12,
        offer_client_max_window_bits: true,
        client_max_window_bits: 0,
    };
    for scheme in [wsh_scheme::WSH_SCHEME_HTTPS, wsh_scheme::WSH_SCHEME_HTTP] {
        let mut options = client_options("[::1]:8443", &subprotocols, Some(&offer));
        options.scheme = scheme as u32;
        let request = client_request(&options).unwrap();
        let (r, response, info) = respond(&server, &request);
        assert_eq!((r, info.outcome), (OK, WSH_CONNECT_WEBSOCKET));
        assert_eq!(info.secure, scheme == wsh_scheme::WSH_SCHEME_HTTPS);
        let got = check(&options, &response).unwrap();
        assert_eq!(got.outcome, WSH_CONNECT_CLIENT_ACCEPTED);
        assert_eq!(subprotocol_of(&got).as_deref(), Some("chat"));
        assert!(got.has_deflate && info.has_deflate);
        assert_eq!(got.deflate, info.deflate);
        assert_eq!(got.deflate.server_max_window_bits, 12);
        assert!(got.deflate.client_no_context_takeover);
    }
    // No options at all: a bare request, a bare 200.
    let options = client_options("example.com", &[], None);
    let request = client_request(&options).unwrap();
    assert_eq!(request.len(), 6, "{request:?}");
    let (r, response, _) = respond(&default_config(), &request);
    assert_eq!((r, &response), (OK, &pairs(&[(":status", "200")])));
    let got = check(&options, &response).unwrap();
    assert_eq!(
        (got.outcome, got.status, got.has_deflate),
        (WSH_CONNECT_CLIENT_ACCEPTED, 200, false)
    );
    assert!(got.subprotocol.is_null());
}

fn with(mut list: Pairs, name: &str, value: &str) -> Pairs {
    list.push((name.into(), value.into()));
    list
}

fn without(list: Pairs, name: &str) -> Pairs {
    list.into_iter().filter(|(n, _)| n != name).collect()
}

fn replaced(list: Pairs, name: &str, value: &str) -> Pairs {
    list.into_iter()
        .map(|(n, v)| if n == name { (n, value.into()) } else { (n, v) })
        .collect()
}

#[test]
fn every_request_error_has_its_code_status_and_rejection() {
    let restricted = config_with(|b| unsafe {
        assert_eq!(
            wsh_server_config_builder_add_subprotocol(b, b"chat".as_ptr(), 4),
            OK
        );
        assert_eq!(wsh_server_config_builder_require_subprotocol(b, true), OK);
        let origin = "https://allowed.example";
        assert_eq!(
            wsh_server_config_builder_add_allowed_origin(b, origin.as_ptr(), origin.len()),
            OK
        );
    });
    let base = || replaced(rfc_request(), "origin", "https://allowed.example");
    let mut late_pseudo = base();
    late_pseudo.push((":path".into(), "/again".into()));
    let cases: Vec<(Pairs, wsh_result)> = vec![
        (
            with(base(), "X-Upper", "1"),
            WSH_CONNECT_REQUEST_INVALID_FIELD_NAME,
        ),
        (
            with(base(), "x-a", " padded"),
            WSH_CONNECT_REQUEST_INVALID_FIELD_VALUE,
        ),
        (late_pseudo, WSH_CONNECT_REQUEST_MISPLACED_PSEUDO_HEADER),
        (
            {
                let mut l = base();
                l.insert(1, (":status".into(), "200".into()));
                l
            },
            WSH_CONNECT_REQUEST_UNKNOWN_PSEUDO_HEADER,
        ),
        (
            {
                let mut l = base();
                l.insert(1, (":scheme".into(), "https".into()));
                l
            },
            WSH_CONNECT_REQUEST_DUPLICATE_PSEUDO_HEADER,
        ),
        (
            replaced(base(), ":method", "GET"),
            WSH_CONNECT_REQUEST_METHOD_NOT_CONNECT,
        ),
        (
            without(base(), ":scheme"),
            WSH_CONNECT_REQUEST_MISSING_SCHEME,
        ),
        (
            replaced(base(), ":scheme", "ftp"),
            WSH_CONNECT_REQUEST_INVALID_SCHEME,
        ),
        (without(base(), ":path"), WSH_CONNECT_REQUEST_MISSING_PATH),
        (
            replaced(base(), ":path", "chat"),
            WSH_CONNECT_REQUEST_INVALID_PATH,
        ),
        (
            without(base(), ":authority"),
            WSH_CONNECT_REQUEST_MISSING_AUTHORITY,
        ),
        (
            replaced(base(), ":authority", "u@h"),
            WSH_CONNECT_REQUEST_INVALID_AUTHORITY,
        ),
        (
            with(base(), "host", "other.example"),
            WSH_CONNECT_REQUEST_HOST_MISMATCH,
        ),
        (
            with(base(), "connection", "keep-alive"),
            WSH_CONNECT_REQUEST_CONNECTION_SPECIFIC_FIELD,
        ),
        (
            with(base(), "content-length", "0"),
            WSH_CONNECT_REQUEST_HAS_CONTENT,
        ),
        (
            without(base(), "sec-websocket-version"),
            WSH_CONNECT_REQUEST_MISSING_VERSION,
        ),
        (
            with(base(), "sec-websocket-version", "13"),
            WSH_CONNECT_REQUEST_DUPLICATE_VERSION,
        ),
        (
            replaced(base(), "sec-websocket-version", "8"),
            WSH_CONNECT_REQUEST_UNSUPPORTED_VERSION,
        ),
        (
            with(base(), "sec-websocket-key", "dGhlIHNhbXBsZSBub25jZQ=="),
            WSH_CONNECT_REQUEST_KEY_NOT_ALLOWED,
        ),
        (
            with(base(), "origin", "https://allowed.example"),
            WSH_CONNECT_REQUEST_DUPLICATE_ORIGIN,
        ),
        (
            replaced(base(), "origin", "https://evil.example"),
            WSH_CONNECT_REQUEST_ORIGIN_NOT_ALLOWED,
        ),
        (
            replaced(base(), "sec-websocket-protocol", "a b"),
            WSH_CONNECT_REQUEST_INVALID_SUBPROTOCOL_LIST,
        ),
        (
            replaced(base(), "sec-websocket-protocol", "mqtt"),
            WSH_CONNECT_REQUEST_NO_SUBPROTOCOL_MATCH,
        ),
        (
            replaced(base(), "sec-websocket-extensions", "x;"),
            WSH_CONNECT_REQUEST_INVALID_EXTENSION_LIST,
        ),
    ];
    let (r, _) = analyze(&restricted, &base());
    assert_eq!(r, OK, "the base request is valid");
    let mut seen = HashSet::new();
    for (request, expected) in cases {
        let (r, info) = analyze(&restricted, &request);
        assert_eq!(r, expected, "{request:?}");
        let e = expected.connect_error().unwrap();
        assert_eq!(
            (info.outcome, info.status, info.malformed),
            (WSH_CONNECT_REJECTED, e.status(), e.is_malformed())
        );
        assert_eq!(wsh_result_http_status(expected as u32), e.status());
        assert!(info.path.is_null() && info.subprotocol.is_null());

        let (r, response, written) = respond(&restricted, &request);
        assert_eq!(r, expected);
        assert_eq!(
            (written.outcome, written.status, written.malformed),
            (info.outcome, info.status, info.malformed)
        );
        assert_eq!(
            (written.field_count, written.bytes_len),
            (info.field_count, info.bytes_len)
        );
        let mut want = vec![(":status".to_owned(), e.status().to_string())];
        if e.names_version() {
            want.push(("sec-websocket-version".into(), "13".into()));
        }
        assert_eq!(response, want, "{expected:?}");
        seen.insert(expected);
    }
    let all = wsh_result::ALL
        .iter()
        .filter(|c| c.connect_error().is_some())
        .count();
    assert_eq!(
        seen.len(),
        all,
        "every WSH_CONNECT_REQUEST_* code is produced"
    );
}

use wshandshake_ffi::ffi::result::wsh_result_http_status;

#[test]
fn requests_that_are_not_websocket_are_left_to_the_host() {
    let config = chat_config();
    let cases: [(Pairs, wsh_connect_outcome); 3] = [
        (
            pairs(&[
                (":method", "GET"),
                (":scheme", "https"),
                (":path", "/"),
                (":authority", "a"),
            ]),
            WSH_CONNECT_NOT_CONNECT,
        ),
        (
            pairs(&[(":method", "CONNECT"), (":authority", "a:443")]),
            WSH_CONNECT_PLAIN_CONNECT,
        ),
        (
            replaced(rfc_request(), ":protocol", "webtransport"),
            WSH_CONNECT_OTHER_PROTOCOL,
        ),
    ];
    for (request, outcome) in cases {
        let (r, info) = analyze(&config, &request);
        assert_eq!((r, info.outcome, info.status), (OK, outcome, 0));
        assert_eq!((info.field_count, info.bytes_len), (0, 0));
        let (r, response, info) = respond(&config, &request);
        assert_eq!((r, info.outcome), (OK, outcome));
        assert!(response.is_empty());
        let f = fields(&request);
        let (mut p, mut n) = (ptr::null(), 0);
        assert_eq!(
            unsafe { wsh_connect_subprotocol_at(config.0, f.as_ptr(), f.len(), 0, &mut p, &mut n) },
            WSH_WRONG_STATE
        );
    }
    // WebSocket turned off: even a valid WebSocket request is another protocol.
    let off = config_with(|b| unsafe {
        assert_eq!(wsh_server_config_builder_websocket(b, false), OK);
    });
    assert_eq!(
        analyze(&off, &rfc_request()).1.outcome,
        WSH_CONNECT_OTHER_PROTOCOL
    );
    // An invalid request: the accessors have no offers to show.
    let invalid = without(rfc_request(), ":path");
    let f = fields(&invalid);
    let (mut p, mut n) = (ptr::null(), 0);
    assert_eq!(
        unsafe { wsh_connect_subprotocol_at(config.0, f.as_ptr(), f.len(), 0, &mut p, &mut n) },
        WSH_WRONG_STATE
    );
}

fn accept_options() -> wsh_accept_options {
    unsafe { core::mem::zeroed() }
}

#[test]
fn accept_options_shape_the_response() {
    let config = chat_config();
    let request = rfc_request();
    // Defaults (NULL or zeroed): the policy's subprotocol and negotiated deflate.
    let (r, default_response, info) = respond(&config, &request);
    assert_eq!(r, OK);
    assert_eq!(
        default_response,
        pairs(&[
            (":status", "200"),
            ("sec-websocket-protocol", "chat"),
            ("sec-websocket-extensions", "permessage-deflate"),
        ])
    );
    assert!(info.has_deflate);
    assert_eq!(
        respond_with(&config, &request, Some(&accept_options())).1,
        default_response
    );

    // The extra extension must be one the client offered (RFC 6455 9.1).
    let mut request = request;
    request[6].1 = "permessage-deflate, x-foo".into();
    // Named, extra headers (lowercased), extra extension, deflate declined.
    let headers = [header("Set-Cookie", "id=1"), header("X-Server", "wsh")];
    let extensions = [bytes("x-foo; level=2")];
    let named = "superchat";
    let mut opts = accept_options();
    opts.subprotocol_mode = wsh_subprotocol_mode::WSH_SUBPROTOCOL_NAMED as u32;
    opts.subprotocol = named.as_ptr();
    opts.subprotocol_len = named.len();
    opts.decline_deflate = true;
    opts.headers = headers.as_ptr();
    opts.header_count = headers.len();
    opts.extensions = extensions.as_ptr();
    opts.extension_count = extensions.len();
    let (r, response, info) = respond_with(&config, &request, Some(&opts));
    assert_eq!(r, OK);
    assert_eq!(
        response,
        pairs(&[
            (":status", "200"),
            ("sec-websocket-protocol", "superchat"),
            ("sec-websocket-extensions", "x-foo; level=2"),
            ("set-cookie", "id=1"),
            ("x-server", "wsh"),
        ])
    );
    assert!(!info.has_deflate);
    unsafe { assert_eq!(view(info.subprotocol, info.subprotocol_len), b"superchat") };

    let mut none = accept_options();
    none.subprotocol_mode = wsh_subprotocol_mode::WSH_SUBPROTOCOL_NONE as u32;
    let (r, response, info) = respond_with(&config, &request, Some(&none));
    assert_eq!(r, OK);
    assert!(!response.iter().any(|(n, _)| n == "sec-websocket-protocol"));
    assert!(info.subprotocol.is_null());

    // Misuse: nothing written.
    let check_refused = |opts: &wsh_accept_options, expected: wsh_result| {
        let (r, response, info) = respond_with(&config, &request, Some(opts));
        assert_eq!(r, expected);
        assert!(response.is_empty());
        assert_eq!(info.status, 0, "info untouched");
    };
    let mut o = accept_options();
    o.subprotocol_mode = wsh_subprotocol_mode::WSH_SUBPROTOCOL_NAMED as u32;
    o.subprotocol = "mqtt".as_ptr();
    o.subprotocol_len = 4;
    check_refused(&o, WSH_SUBPROTOCOL_NOT_OFFERED);
    o.subprotocol = b"\xff".as_ptr();
    o.subprotocol_len = 1;
    check_refused(&o, WSH_INVALID_UTF8);
    let mut o = accept_options();
    o.subprotocol_mode = 7;
    check_refused(&o, WSH_INVALID_ARGUMENT);
    for (h, expected) in [
        (header("Connection", "close"), WSH_RESERVED_HEADER),
        (header("Sec-WebSocket-Accept", "x"), WSH_RESERVED_HEADER),
        (header("te", "gzip"), WSH_RESERVED_HEADER),
        (header("X A", "1"), WSH_INVALID_HEADER_NAME),
        (header("X-A", "1\r\n"), WSH_INVALID_HEADER_VALUE),
    ] {
        let list = [h];
        let mut o = accept_options();
        o.headers = list.as_ptr();
        o.header_count = 1;
        check_refused(&o, expected);
    }
    let list = [bytes("a, b")];
    let mut o = accept_options();
    o.extensions = list.as_ptr();
    o.extension_count = 1;
    check_refused(&o, WSH_INVALID_EXTENSION);
    let mut o = accept_options();
    o.header_count = 2;
    check_refused(&o, WSH_INVALID_ARGUMENT);
}

#[test]
fn custom_rejections() {
    let headers = [
        header("WWW-Authenticate", "Bearer"),
        header("Content-Type", "text/plain"),
    ];
    let reject = |status: u16, headers: &[wsh_header], buf: &mut [u8], out: &mut [wsh_field]| {
        let (mut count, mut len) = (usize::MAX, usize::MAX);
        let r = unsafe {
            wsh_connect_reject(
                status,
                headers.as_ptr(),
                headers.len(),
                buf.as_mut_ptr(),
                buf.len(),
                out.as_mut_ptr(),
                out.len(),
                &mut count,
                &mut len,
            )
        };
        (r, count, len)
    };
    let empty = wsh_field {
        name: ptr::null(),
        name_len: 0,
        value: ptr::null(),
        value_len: 0,
    };
    let mut buf = [0u8; 256];
    let mut out = [empty; 4];
    let (r, count, len) = reject(401, &headers, &mut buf, &mut out);
    assert_eq!((r, count), (OK, 3));
    assert_eq!(
        read(&out[..count]),
        pairs(&[
            (":status", "401"),
            ("www-authenticate", "Bearer"),
            ("content-type", "text/plain"),
        ])
    );
    let expected_len = ":status401www-authenticateBearercontent-typetext/plain".len();
    assert_eq!(len, expected_len);
    let (r, count, _) = reject(501, &[], &mut buf, &mut out);
    assert_eq!((r, read(&out[..count])), (OK, pairs(&[(":status", "501")])));
    // Too small: both sizes reported, nothing written.
    let (r, count, len) = reject(401, &headers, &mut buf, &mut out[..2]);
    assert_eq!(
        (r, count, len),
        (WSH_FIELD_ARRAY_TOO_SMALL, 3, expected_len)
    );
    let mut small = vec![0u8; expected_len - 1];
    let (r, count, len) = reject(401, &headers, &mut small, &mut out);
    assert_eq!((r, count, len), (WSH_BUFFER_TOO_SMALL, 3, expected_len));
    assert!(small.iter().all(|b| *b == 0), "nothing written");
    for status in [0u16, 101, 200, 299, 600] {
        assert_eq!(
            reject(status, &[], &mut buf, &mut out).0,
            WSH_INVALID_STATUS,
            "{status}"
        );
    }
    assert_eq!(
        reject(
            400,
            &[header("Transfer-Encoding", "chunked")],
            &mut buf,
            &mut out
        )
        .0,
        WSH_RESERVED_HEADER
    );
    unsafe {
        let mut n = 0;
        assert_eq!(
            wsh_connect_reject(
                404,
                ptr::null(),
                0,
                buf.as_mut_ptr(),
                8,
                out.as_mut_ptr(),
                4,
                ptr::null_mut(),
                &mut n
            ),
            WSH_NULL_POINTER
        );
        assert_eq!(
            wsh_connect_reject(
                404,
                ptr::null(),
                1,
                buf.as_mut_ptr(),
                8,
                out.as_mut_ptr(),
                4,
                &mut n,
                &mut n
            ),
            WSH_INVALID_ARGUMENT
        );
    }
}

#[test]
fn sizes_are_reported_and_nothing_is_written_when_short() {
    let config = chat_config();
    let request = rfc_request();
    let f = fields(&request);
    let (_, predicted) = analyze(&config, &request);
    assert_eq!(predicted.field_count, 3);
    let needed = predicted.bytes_len;
    let empty = wsh_field {
        name: ptr::null(),
        name_len: 0,
        value: ptr::null(),
        value_len: 0,
    };
    let run = |buf: &mut [u8], out: &mut [wsh_field]| {
        let mut info = empty_info();
        let r = unsafe {
            wsh_connect_respond(
                config.0,
                f.as_ptr(),
                f.len(),
                ptr::null(),
                if buf.is_empty() {
                    ptr::null_mut()
                } else {
                    buf.as_mut_ptr()
                },
                buf.len(),
                if out.is_empty() {
                    ptr::null_mut()
                } else {
                    out.as_mut_ptr()
                },
                out.len(),
                &mut info,
            )
        };
        (r, info)
    };
    // Size query with (NULL, 0) outputs.
    let (r, info) = run(&mut [], &mut []);
    assert_eq!(
        (r, info.field_count, info.bytes_len),
        (WSH_FIELD_ARRAY_TOO_SMALL, 3, needed)
    );
    assert_eq!(info.outcome, WSH_CONNECT_WEBSOCKET);
    let mut out = [empty; 3];
    for cap in 0..needed {
        let mut buf = vec![0xAAu8; cap];
        let (r, info) = run(&mut buf, &mut out);
        assert_eq!(
            (r, info.field_count, info.bytes_len),
            (WSH_BUFFER_TOO_SMALL, 3, needed)
        );
        assert!(buf.iter().all(|b| *b == 0xAA));
        assert!(out.iter().all(|f| f.name.is_null()));
    }
    let mut buf = vec![0u8; needed];
    let (r, info) = run(&mut buf, &mut out);
    assert_eq!((r, info.field_count, info.bytes_len), (OK, 3, needed));
    assert_eq!(read(&out).len(), 3);

    // The client's request reports both sizes too.
    let options = client_options("example.com", &[], None);
    let (mut count, mut len) = (0, 0);
    unsafe {
        assert_eq!(
            wsh_connect_client_request(
                &options,
                ptr::null_mut(),
                0,
                ptr::null_mut(),
                0,
                &mut count,
                &mut len
            ),
            WSH_FIELD_ARRAY_TOO_SMALL
        );
        assert_eq!((count, len), (6, ":methodCONNECT:protocolwebsocket:schemehttps:path/:authorityexample.comsec-websocket-version13".len()));
        let mut out = [empty; 6];
        assert_eq!(
            wsh_connect_client_request(
                &options,
                ptr::null_mut(),
                0,
                out.as_mut_ptr(),
                6,
                &mut count,
                &mut len
            ),
            WSH_BUFFER_TOO_SMALL
        );
    }
}

#[test]
fn outputs_may_not_overlap_the_inputs() {
    let config = chat_config();
    let request = rfc_request();
    let mut f = fields(&request);
    let mut info = empty_info();
    let mut buf = [0u8; 512];
    unsafe {
        // The request's own field array as the output array.
        let n = f.len();
        assert_eq!(
            wsh_connect_respond(
                config.0,
                f.as_ptr(),
                n,
                ptr::null(),
                buf.as_mut_ptr(),
                buf.len(),
                f.as_mut_ptr(),
                n,
                &mut info
            ),
            WSH_INVALID_ARGUMENT
        );
        // A buffer that holds a request value.
        let mut owned = request.clone();
        let mut storage = b"https://allowed.example".to_vec();
        let g = {
            owned.truncate(owned.len() - 1);
            let mut g = fields(&owned);
            g.push(wsh_field {
                name: b"origin".as_ptr(),
                name_len: 6,
                value: storage.as_ptr(),
                value_len: storage.len(),
            });
            g
        };
        let mut out = [f[0]; 8];
        assert_eq!(
            wsh_connect_respond(
                config.0,
                g.as_ptr(),
                g.len(),
                ptr::null(),
                storage.as_mut_ptr(),
                storage.len(),
                out.as_mut_ptr(),
                8,
                &mut info
            ),
            WSH_INVALID_ARGUMENT
        );
        // The byte buffer overlapping the field array.
        let mut both = [f[0]; 8];
        // One raw pointer for both views: C may alias, Rust references may not.
        let both_ptr = both.as_mut_ptr();
        let as_bytes = both_ptr.cast::<u8>();
        assert_eq!(
            wsh_connect_respond(
                config.0,
                f.as_ptr(),
                n,
                ptr::null(),
                as_bytes,
                64,
                both_ptr,
                8,
                &mut info
            ),
            WSH_INVALID_ARGUMENT
        );
        // Accept option headers inside the output buffer.
        let mut text = *b"X-A1";
        let text_ptr = text.as_mut_ptr();
        let h = [wsh_header {
            name: text_ptr.cast_const(),
            name_len: 3,
            value: text_ptr.cast_const().add(3),
            value_len: 1,
        }];
        let mut opts = accept_options();
        opts.headers = h.as_ptr();
        opts.header_count = 1;
        assert_eq!(
            wsh_connect_respond(
                config.0,
                f.as_ptr(),
                n,
                &opts,
                text_ptr,
                4,
                out.as_mut_ptr(),
                8,
                &mut info
            ),
            WSH_INVALID_ARGUMENT
        );
        // Client options inside the output.
        let mut authority = *b"example.com";
        let authority_len = authority.len();
        let authority_ptr = authority.as_mut_ptr();
        let mut options = client_options("x", &[], None);
        options.authority = authority_ptr.cast_const();
        options.authority_len = authority_len;
        let (mut count, mut len) = (0, 0);
        assert_eq!(
            wsh_connect_client_request(
                &options,
                authority_ptr,
                authority_len,
                out.as_mut_ptr(),
                8,
                &mut count,
                &mut len
            ),
            WSH_INVALID_ARGUMENT
        );
        // A misaligned field array.
        let misaligned = (out.as_mut_ptr() as *mut u8).add(1).cast::<wsh_field>();
        assert_eq!(
            wsh_connect_respond(
                config.0,
                f.as_ptr(),
                n,
                ptr::null(),
                buf.as_mut_ptr(),
                buf.len(),
                misaligned,
                2,
                &mut info
            ),
            WSH_INVALID_ARGUMENT
        );
    }
    assert_eq!(info.status, 0, "info untouched");
}

#[test]
fn lists_are_capped_at_the_documented_maximum() {
    let config = default_config();
    let mut request = replaced(rfc_request(), "sec-websocket-protocol", "chat");
    let filler = WSH_CONNECT_MAX_FIELDS - request.len();
    for i in 0..filler {
        request.push((format!("x-{i}"), "1".into()));
    }
    assert_eq!(request.len(), WSH_CONNECT_MAX_FIELDS);
    assert_eq!(analyze(&config, &request).0, OK);
    assert_eq!(respond(&config, &request).0, OK);
    request.push(("x-last".into(), "1".into()));
    let (r, info) = analyze(&config, &request);
    assert_eq!((r, info.status), (WSH_TOO_MANY_FIELDS, 0));
    assert_eq!(respond(&config, &request).0, WSH_TOO_MANY_FIELDS);
    let options = client_options("a", &[], None);
    let mut response = pairs(&[(":status", "200")]);
    for i in 0..WSH_CONNECT_MAX_FIELDS {
        response.push((format!("x-{i}"), "1".into()));
    }
    assert_eq!(check(&options, &response).unwrap_err(), WSH_TOO_MANY_FIELDS);
    response.pop();
    assert!(check(&options, &response).is_ok());
    // Options lists too.
    let many: Vec<wsh_bytes> = (0..=WSH_CONNECT_MAX_FIELDS)
        .map(|_| bytes("chat"))
        .collect();
    let options = client_options("a", &many, None);
    assert_eq!(client_request(&options), Err(WSH_TOO_MANY_FIELDS));
}

#[test]
fn client_options_are_validated() {
    let good = client_options("example.com", &[], None);
    assert!(client_request(&good).is_ok());
    let bad_offer = wsh_deflate_offer {
        server_no_context_takeover: false,
        client_no_context_takeover: false,
        server_max_window_bits: 7,
        offer_client_max_window_bits: false,
        client_max_window_bits: 0,
    };
    let dup = [bytes("chat"), bytes("chat")];
    let not_token = [bytes("a b")];
    let reserved = [header("Sec-WebSocket-Version", "13")];
    let connection = [header("Upgrade", "websocket")];
    let bad_name = [header("X A", "1")];
    let bad_value = [header("X-A", "1\n")];
    let cases: Vec<(wsh_connect_client_options, wsh_result)> = vec![
        (client_options("", &[], None), WSH_INVALID_URL),
        (client_options("user@host", &[], None), WSH_INVALID_URL),
        (
            wsh_connect_client_options {
                path: "chat".as_ptr(),
                path_len: 4,
                ..good
            },
            WSH_INVALID_URL,
        ),
        (
            wsh_connect_client_options {
                path: "/a#b".as_ptr(),
                path_len: 4,
                ..good
            },
            WSH_INVALID_URL,
        ),
        (
            wsh_connect_client_options {
                authority: b"\xff".as_ptr(),
                authority_len: 1,
                ..good
            },
            WSH_INVALID_URL,
        ),
        (client_options("a", &dup, None), WSH_INVALID_HEADER_VALUE),
        (
            client_options("a", &not_token, None),
            WSH_INVALID_HEADER_VALUE,
        ),
        (
            wsh_connect_client_options {
                origin: "".as_ptr(),
                origin_len: 0,
                ..good
            },
            WSH_INVALID_HEADER_VALUE,
        ),
        (
            wsh_connect_client_options {
                origin: "a b".as_ptr(),
                origin_len: 3,
                ..good
            },
            WSH_INVALID_HEADER_VALUE,
        ),
        (
            wsh_connect_client_options {
                origin: ptr::null(),
                origin_len: 3,
                ..good
            },
            WSH_INVALID_ARGUMENT,
        ),
        (
            client_options("a", &[], Some(&bad_offer)),
            WSH_INVALID_CONFIG,
        ),
        (
            wsh_connect_client_options {
                headers: reserved.as_ptr(),
                header_count: 1,
                ..good
            },
            WSH_RESERVED_HEADER,
        ),
        (
            wsh_connect_client_options {
                headers: connection.as_ptr(),
                header_count: 1,
                ..good
            },
            WSH_RESERVED_HEADER,
        ),
        (
            wsh_connect_client_options {
                headers: bad_name.as_ptr(),
                header_count: 1,
                ..good
            },
            WSH_INVALID_HEADER_NAME,
        ),
        (
            wsh_connect_client_options {
                headers: bad_value.as_ptr(),
                header_count: 1,
                ..good
            },
            WSH_INVALID_HEADER_VALUE,
        ),
        (
            wsh_connect_client_options { scheme: 2, ..good },
            WSH_INVALID_ARGUMENT,
        ),
        (
            wsh_connect_client_options {
                subprotocols: ptr::null(),
                subprotocol_count: 1,
                ..good
            },
            WSH_INVALID_ARGUMENT,
        ),
    ];
    for (options, expected) in cases {
        assert_eq!(client_request(&options), Err(expected));
        let ok = pairs(&[(":status", "200")]);
        assert_eq!(check(&options, &ok).unwrap_err(), expected);
    }
    // Extra fields are lowercased; the origin and path go where they belong.
    let extra = [header("User-Agent", "wsh")];
    let origin = "https://example.com";
    let path = "/x?y=1";
    let options = wsh_connect_client_options {
        scheme: wsh_scheme::WSH_SCHEME_HTTP as u32,
        path: path.as_ptr(),
        path_len: path.len(),
        origin: origin.as_ptr(),
        origin_len: origin.len(),
        headers: extra.as_ptr(),
        header_count: 1,
        ..good
    };
    assert_eq!(
        client_request(&options),
        Ok(pairs(&[
            (":method", "CONNECT"),
            (":protocol", "websocket"),
            (":scheme", "http"),
            (":path", "/x?y=1"),
            (":authority", "example.com"),
            ("sec-websocket-version", "13"),
            ("origin", "https://example.com"),
            ("user-agent", "wsh"),
        ]))
    );
    unsafe {
        let (mut count, mut len) = (0, 0);
        assert_eq!(
            wsh_connect_client_request(
                ptr::null(),
                ptr::null_mut(),
                0,
                ptr::null_mut(),
                0,
                &mut count,
                &mut len
            ),
            WSH_NULL_POINTER
        );
        assert_eq!(
            wsh_connect_client_request(
                &good,
                ptr::null_mut(),
                0,
                ptr::null_mut(),
                0,
                ptr::null_mut(),
                &mut len
            ),
            WSH_NULL_POINTER
        );
        assert_eq!(
            wsh_connect_client_request(
                &good,
                ptr::null_mut(),
                3,
                ptr::null_mut(),
                0,
                &mut count,
                &mut len
            ),
            WSH_INVALID_ARGUMENT
        );
        let mut info: wsh_connect_client_info = core::mem::zeroed();
        assert_eq!(
            wsh_connect_client_check_response(&good, ptr::null(), 0, ptr::null_mut()),
            WSH_NULL_POINTER
        );
        assert_eq!(
            wsh_connect_client_check_response(ptr::null(), ptr::null(), 0, &mut info),
            WSH_NULL_POINTER
        );
        assert_eq!(
            wsh_connect_client_check_response(&good, ptr::null(), 2, &mut info),
            WSH_INVALID_ARGUMENT
        );
        // (NULL, 0): an empty response has no :status.
        assert_eq!(
            wsh_connect_client_check_response(&good, ptr::null(), 0, &mut info),
            WSH_CONNECT_RESPONSE_MISSING_STATUS
        );
    }
}

#[test]
fn every_response_error_has_its_code() {
    let subprotocols = [bytes("chat"), bytes("superchat")];
    let offer = wsh_deflate_offer {
        server_no_context_takeover: true,
        client_no_context_takeover: false,
        server_max_window_bits: 10,
        offer_client_max_window_bits: false,
        client_max_window_bits: 0,
    };
    let options = client_options("server.example.com", &subprotocols, Some(&offer));
    let ok = |extra: &[(&str, &str)]| {
        let mut list = pairs(&[(":status", "200")]);
        list.extend(pairs(extra));
        list
    };
    let ext = "sec-websocket-extensions";
    let cases: Vec<(Pairs, wsh_result)> = vec![
        (ok(&[("X-A", "1")]), WSH_CONNECT_RESPONSE_INVALID_FIELD_NAME),
        (
            ok(&[("x-a", "1\r\n")]),
            WSH_CONNECT_RESPONSE_INVALID_FIELD_VALUE,
        ),
        (
            pairs(&[("x-a", "1"), (":status", "200")]),
            WSH_CONNECT_RESPONSE_MISPLACED_PSEUDO_HEADER,
        ),
        (
            ok(&[(":path", "/")]),
            WSH_CONNECT_RESPONSE_UNKNOWN_PSEUDO_HEADER,
        ),
        (
            ok(&[(":status", "200")]),
            WSH_CONNECT_RESPONSE_DUPLICATE_STATUS,
        ),
        (pairs(&[("x-a", "1")]), WSH_CONNECT_RESPONSE_MISSING_STATUS),
        (
            pairs(&[(":status", "101")]),
            WSH_CONNECT_RESPONSE_INVALID_STATUS,
        ),
        (
            ok(&[("connection", "close")]),
            WSH_CONNECT_RESPONSE_CONNECTION_SPECIFIC_FIELD,
        ),
        (
            ok(&[
                ("sec-websocket-protocol", "chat"),
                ("sec-websocket-protocol", "chat"),
            ]),
            WSH_CONNECT_RESPONSE_DUPLICATE_SUBPROTOCOL,
        ),
        (
            ok(&[("sec-websocket-protocol", "mqtt")]),
            WSH_CONNECT_RESPONSE_SUBPROTOCOL_NOT_OFFERED,
        ),
        (
            ok(&[(ext, "permessage-deflate;")]),
            WSH_CONNECT_RESPONSE_INVALID_EXTENSION_LIST,
        ),
        (
            ok(&[(ext, "x-foo")]),
            WSH_CONNECT_RESPONSE_EXTENSION_NOT_OFFERED,
        ),
        (
            ok(&[
                (
                    ext,
                    "permessage-deflate; server_no_context_takeover; server_max_window_bits=10",
                ),
                (
                    ext,
                    "permessage-deflate; server_no_context_takeover; server_max_window_bits=10",
                ),
            ]),
            WSH_CONNECT_RESPONSE_DUPLICATE_EXTENSION,
        ),
        (
            ok(&[(ext, "permessage-deflate; server_no_context_takeover; x=1")]),
            WSH_CONNECT_RESPONSE_DEFLATE_INVALID_PARAMETER,
        ),
        (
            ok(&[(
                ext,
                "permessage-deflate; server_no_context_takeover; client_max_window_bits=9",
            )]),
            WSH_CONNECT_RESPONSE_DEFLATE_UNEXPECTED_CLIENT_WINDOW,
        ),
        (
            ok(&[(
                ext,
                "permessage-deflate; server_no_context_takeover; server_max_window_bits=12",
            )]),
            WSH_CONNECT_RESPONSE_DEFLATE_WINDOW_TOO_LARGE,
        ),
        (
            ok(&[(ext, "permessage-deflate")]),
            WSH_CONNECT_RESPONSE_DEFLATE_MISSING_SERVER_NO_CONTEXT_TAKEOVER,
        ),
        (
            ok(&[(ext, "permessage-deflate; server_no_context_takeover")]),
            WSH_CONNECT_RESPONSE_DEFLATE_MISSING_SERVER_MAX_WINDOW_BITS,
        ),
    ];
    let mut seen = HashSet::new();
    for (response, expected) in cases {
        assert_eq!(
            check(&options, &response).unwrap_err(),
            expected,
            "{response:?}"
        );
        assert_eq!(wsh_result_http_status(expected as u32), 0);
        seen.insert(expected);
    }
    let all = wsh_result::ALL
        .iter()
        .filter(|c| c.connect_response_error().is_some())
        .count();
    assert_eq!(
        seen.len(),
        all,
        "every WSH_CONNECT_RESPONSE_* code is produced"
    );

    // The valid outcomes.
    let response = ok(&[
        ("sec-websocket-protocol", "superchat"),
        (
            ext,
            "permessage-deflate; server_no_context_takeover; server_max_window_bits=9",
        ),
    ]);
    let accepted = check(&options, &response).unwrap();
    assert_eq!(
        (accepted.outcome, accepted.status),
        (WSH_CONNECT_CLIENT_ACCEPTED, 200)
    );
    assert_eq!(subprotocol_of(&accepted).as_deref(), Some("superchat"));
    assert!(accepted.has_deflate);
    assert_eq!(accepted.deflate.server_max_window_bits, 9);
    let refused = check(
        &options,
        &pairs(&[(":status", "401"), ("www-authenticate", "Bearer")]),
    )
    .unwrap();
    assert_eq!(
        (refused.outcome, refused.status),
        (WSH_CONNECT_CLIENT_REFUSED, 401)
    );
    assert!(refused.subprotocol.is_null() && !refused.has_deflate);
    let interim = check(&options, &pairs(&[(":status", "103"), ("link", "</a>")])).unwrap();
    assert_eq!(
        (interim.outcome, interim.status),
        (WSH_CONNECT_CLIENT_INTERIM, 103)
    );
    // A server rejection through the C server API is a refusal to the client.
    let (r, rejection, _) = respond(
        &chat_config(),
        &without(rfc_request(), "sec-websocket-version"),
    );
    assert_eq!(r, WSH_CONNECT_REQUEST_MISSING_VERSION);
    let refused = check(&options, &rejection).unwrap();
    assert_eq!(
        (refused.outcome, refused.status),
        (WSH_CONNECT_CLIENT_REFUSED, 400)
    );
}

#[test]
fn null_and_misuse_on_the_server_side() {
    let config = chat_config();
    let request = rfc_request();
    let f = fields(&request);
    let mut info = empty_info();
    let mut buf = [0u8; 64];
    let (mut p, mut n) = (ptr::null(), 0);
    let (mut q, m) = (ptr::null(), 0usize);
    unsafe {
        assert_eq!(
            wsh_connect_analyze(ptr::null(), f.as_ptr(), f.len(), &mut info),
            WSH_NULL_POINTER
        );
        assert_eq!(
            wsh_connect_analyze(config.0, f.as_ptr(), f.len(), ptr::null_mut()),
            WSH_NULL_POINTER
        );
        assert_eq!(
            wsh_connect_analyze(config.0, ptr::null(), 3, &mut info),
            WSH_INVALID_ARGUMENT
        );
        // A field with (NULL, n > 0) bytes.
        let mut broken = f.clone();
        broken[2].value = ptr::null();
        assert_eq!(
            wsh_connect_analyze(config.0, broken.as_ptr(), broken.len(), &mut info),
            WSH_INVALID_ARGUMENT
        );
        assert_eq!(info.status, 0, "nothing written");
        // (NULL, 0): an empty list is an ordinary request.
        assert_eq!(wsh_connect_analyze(config.0, ptr::null(), 0, &mut info), OK);
        assert_eq!(info.outcome, WSH_CONNECT_NOT_CONNECT);
        assert_eq!(
            wsh_connect_respond(
                ptr::null(),
                f.as_ptr(),
                f.len(),
                ptr::null(),
                buf.as_mut_ptr(),
                64,
                ptr::null_mut(),
                0,
                &mut info
            ),
            WSH_NULL_POINTER
        );
        assert_eq!(
            wsh_connect_respond(
                config.0,
                f.as_ptr(),
                f.len(),
                ptr::null(),
                ptr::null_mut(),
                64,
                ptr::null_mut(),
                0,
                &mut info
            ),
            WSH_INVALID_ARGUMENT
        );
        assert_eq!(
            wsh_connect_respond(
                config.0,
                f.as_ptr(),
                f.len(),
                ptr::null(),
                buf.as_mut_ptr(),
                64,
                ptr::null_mut(),
                2,
                &mut info
            ),
            WSH_INVALID_ARGUMENT
        );
        assert_eq!(
            wsh_connect_subprotocol_at(config.0, f.as_ptr(), f.len(), 0, ptr::null_mut(), &mut n),
            WSH_NULL_POINTER
        );
        assert_eq!(
            wsh_connect_subprotocol_at(ptr::null(), f.as_ptr(), f.len(), 0, &mut p, &mut n),
            WSH_NULL_POINTER
        );
        assert_eq!(
            wsh_connect_extension_at(
                config.0,
                f.as_ptr(),
                f.len(),
                0,
                &mut p,
                &mut n,
                &mut q,
                ptr::null_mut()
            ),
            WSH_NULL_POINTER
        );
        assert!(
            p.is_null() && q.is_null() && n == 0 && m == 0,
            "nothing written"
        );
    }
}

#[test]
#[cfg_attr(miri, ignore = "Miri's own machinery allocates")]
fn the_connect_calls_do_not_allocate() {
    let config = chat_config();
    let request = rfc_request();
    let f = fields(&request);
    let subprotocols = [bytes("chat"), bytes("superchat")];
    let offer = wsh_deflate_offer {
        server_no_context_takeover: false,
        client_no_context_takeover: false,
        server_max_window_bits: 0,
        offer_client_max_window_bits: true,
        client_max_window_bits: 0,
    };
    let options = client_options("server.example.com", &subprotocols, Some(&offer));
    let headers = [header("Set-Cookie", "a=1")];
    let mut opts = accept_options();
    opts.headers = headers.as_ptr();
    opts.header_count = 1;
    let empty = wsh_field {
        name: ptr::null(),
        name_len: 0,
        value: ptr::null(),
        value_len: 0,
    };
    let mut buf = [0u8; 512];
    let mut out = [empty; 16];
    let mut info = empty_info();
    let mut client_info: wsh_connect_client_info = unsafe { core::mem::zeroed() };
    let (mut count, mut len) = (0, 0);
    let before = allocations();
    unsafe {
        assert_eq!(
            wsh_connect_analyze(config.0, f.as_ptr(), f.len(), &mut info),
            OK
        );
        assert_eq!(
            wsh_connect_respond(
                config.0,
                f.as_ptr(),
                f.len(),
                &opts,
                buf.as_mut_ptr(),
                buf.len(),
                out.as_mut_ptr(),
                out.len(),
                &mut info
            ),
            OK
        );
        let n = info.field_count;
        assert_eq!(
            wsh_connect_client_check_response(&options, out.as_ptr(), n, &mut client_info),
            OK
        );
        assert_eq!(
            wsh_connect_client_request(
                &options,
                buf.as_mut_ptr(),
                buf.len(),
                out.as_mut_ptr(),
                out.len(),
                &mut count,
                &mut len
            ),
            OK
        );
        assert_eq!(
            wsh_connect_reject(
                401,
                headers.as_ptr(),
                1,
                buf.as_mut_ptr(),
                buf.len(),
                out.as_mut_ptr(),
                out.len(),
                &mut count,
                &mut len
            ),
            OK
        );
    }
    assert_eq!(
        allocations() - before,
        0,
        "an extended CONNECT call allocated"
    );
    assert_eq!(client_info.outcome, WSH_CONNECT_CLIENT_ACCEPTED);
}

/// Calls wsh_connect_offers with arrays of the given sizes; returns the
/// result, both counts and the lists read back.
fn offers(
    config: &Config,
    request: &[(String, String)],
    caps: (usize, usize),
) -> (wsh_result, (usize, usize), Vec<Vec<u8>>, Pairs) {
    let f = fields(request);
    let empty = wsh_field {
        name: ptr::null(),
        name_len: 0,
        value: ptr::null(),
        value_len: 0,
    };
    let mut subprotocols = vec![bytes(""); caps.0];
    let mut extensions = vec![empty; caps.1];
    let mut counts = (usize::MAX, usize::MAX);
    let r = unsafe {
        wsh_connect_offers(
            config.0,
            f.as_ptr(),
            f.len(),
            if caps.0 == 0 {
                ptr::null_mut()
            } else {
                subprotocols.as_mut_ptr()
            },
            caps.0,
            if caps.1 == 0 {
                ptr::null_mut()
            } else {
                extensions.as_mut_ptr()
            },
            caps.1,
            &mut counts.0,
            &mut counts.1,
        )
    };
    let (mut subs, mut exts) = (Vec::new(), Vec::new());
    if r == OK {
        subs = subprotocols[..counts.0]
            .iter()
            .map(|b| unsafe { view(b.data, b.len) }.to_vec())
            .collect();
        exts = read(&extensions[..counts.1]);
    }
    (r, counts, subs, exts)
}

#[test]
fn offers_returns_both_lists_in_one_call() {
    let config = rfc_server_config();
    let mut request = rfc_request();
    request.push((
        "sec-websocket-extensions".into(),
        "x-foo; a=1, x-bar".into(),
    ));
    let (r, counts, subs, exts) = offers(&config, &request, (2, 3));
    assert_eq!((r, counts), (OK, (2, 3)));
    assert_eq!(subs, [b"chat".to_vec(), b"superchat".to_vec()]);
    assert_eq!(
        exts,
        pairs(&[
            ("permessage-deflate", ""),
            ("x-foo", "; a=1"),
            ("x-bar", "")
        ])
    );
    // The same elements the one-at-a-time accessors give.
    let f = fields(&request);
    let (mut p, mut n, mut q, mut m) = (ptr::null(), 0, ptr::null(), 0);
    unsafe {
        assert_eq!(
            wsh_connect_extension_at(
                config.0,
                f.as_ptr(),
                f.len(),
                1,
                &mut p,
                &mut n,
                &mut q,
                &mut m
            ),
            OK
        );
        assert_eq!((view(p, n), view(q, m)), (&b"x-foo"[..], &b"; a=1"[..]));
    }
    // Too small: only the counts, the sizes needed.
    assert_eq!(
        offers(&config, &request, (2, 2)).0,
        WSH_FIELD_ARRAY_TOO_SMALL
    );
    assert_eq!(offers(&config, &request, (0, 0)).1, (2, 3));
    // Not a valid WebSocket request.
    let mut bad = rfc_request();
    bad[6].1 = "x; =".into();
    assert_eq!(offers(&config, &bad, (4, 4)).0, WSH_WRONG_STATE);
}

#[test]
fn offers_refuses_bad_arrays() {
    let config = rfc_server_config();
    let request = rfc_request();
    let f = fields(&request);
    let mut counts = (0, 0);
    let mut fields_copy = f.clone();
    unsafe {
        // (NULL, n > 0).
        assert_eq!(
            wsh_connect_offers(
                config.0,
                f.as_ptr(),
                f.len(),
                ptr::null_mut(),
                1,
                ptr::null_mut(),
                0,
                &mut counts.0,
                &mut counts.1
            ),
            WSH_INVALID_ARGUMENT
        );
        // An output array over the request's own fields.
        assert_eq!(
            wsh_connect_offers(
                config.0,
                fields_copy.as_ptr(),
                fields_copy.len(),
                ptr::null_mut(),
                0,
                fields_copy.as_mut_ptr(),
                2,
                &mut counts.0,
                &mut counts.1
            ),
            WSH_INVALID_ARGUMENT
        );
        assert_eq!(
            wsh_connect_offers(
                config.0,
                f.as_ptr(),
                f.len(),
                ptr::null_mut(),
                0,
                ptr::null_mut(),
                0,
                ptr::null_mut(),
                &mut counts.1
            ),
            WSH_NULL_POINTER
        );
    }
}

#[test]
fn reading_long_offered_lists_takes_one_analysis() {
    // The analysis is linear in the fields' size, so one call for the whole
    // list is linear; element by element it took one analysis per element.
    let config = rfc_server_config();
    for n in [1_000, 4_000] {
        let mut request = rfc_request();
        request[6].1 = vec!["a"; n].join(",");
        let (_, info) = analyze(&config, &request);
        assert_eq!(info.extension_count, n);
        let (r, counts, _, exts) = offers(&config, &request, (2, n));
        assert_eq!((r, counts.1, exts.len()), (OK, n, n));
        assert!(
            exts.iter()
                .all(|(name, params)| name == "a" && params.is_empty())
        );
    }
}
