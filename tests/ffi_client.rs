//! The client side through the C ABI: config builder, URL parts, the handle's
//! request output, response feeding, results, every response error, misuse,
//! a round trip with the C server API, and no allocation per handshake.

#[path = "ffi_common/counting_alloc.rs"]
mod counting_alloc;
mod ffi_common;
use counting_alloc::allocations;

use core::ptr;

use base64::Engine as _;
use ffi_common::*;
use wshandshake_ffi::ffi::client::wsh_client_decision::{self, *};
use wshandshake_ffi::ffi::client::*;
use wshandshake_ffi::ffi::client_config::wsh_client_subprotocol_mode::*;
use wshandshake_ffi::ffi::client_config::wsh_host_kind::*;
use wshandshake_ffi::ffi::client_config::*;
use wshandshake_ffi::ffi::decision::wsh_decision::*;
use wshandshake_ffi::ffi::deflate::wsh_deflate_params;
use wshandshake_ffi::ffi::one_shot::{wsh_respond, wsh_respond_info};
use wshandshake_ffi::ffi::result::wsh_result::{self, *};

/// The 16 bytes whose base64 is the RFC 6455 sample key dGhlIHNhbXBsZSBub25jZQ==.
const NONCE: &[u8; 16] = b"the sample nonce";
const KEY: &str = "dGhlIHNhbXBsZSBub25jZQ==";
const ACCEPT: &str = "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=";

/// The request the RFC 6455 section 1.3 client sends, in this engine's order.
const RFC_CLIENT_REQUEST: &str = "GET /chat HTTP/1.1\r\nHost: server.example.com\r\n\
    Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\
    Sec-WebSocket-Version: 13\r\nOrigin: http://example.com\r\n\
    Sec-WebSocket-Protocol: chat, superchat\r\n\r\n";

fn accepted_101(extra: &str) -> String {
    format!(
        "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\
         Sec-WebSocket-Accept: {ACCEPT}\r\n{extra}\r\n"
    )
}

/// A builder owned by a test (freed unless built).
struct Builder(*mut wsh_client_config_builder);

impl Builder {
    fn new(url: &str) -> Builder {
        let mut b = ptr::null_mut();
        let r = unsafe { wsh_client_config_builder_new(url.as_ptr(), url.len(), &mut b) };
        assert_eq!(r, OK, "{url}");
        assert!(!b.is_null());
        Builder(b)
    }

    fn origin(&self, origin: &str) -> wsh_result {
        unsafe { wsh_client_config_builder_origin(self.0, origin.as_ptr(), origin.len()) }
    }

    fn subprotocol(&self, name: &str) -> wsh_result {
        unsafe { wsh_client_config_builder_add_subprotocol(self.0, name.as_ptr(), name.len()) }
    }

    fn extension(&self, element: &str) -> wsh_result {
        unsafe { wsh_client_config_builder_add_extension(self.0, element.as_ptr(), element.len()) }
    }

    fn header(&self, name: &str, value: &str) -> wsh_result {
        unsafe {
            wsh_client_config_builder_add_header(
                self.0,
                name.as_ptr(),
                name.len(),
                value.as_ptr(),
                value.len(),
            )
        }
    }

    fn deflate(&self, offer: &wsh_deflate_offer) -> wsh_result {
        unsafe { wsh_client_config_builder_permessage_deflate(self.0, offer) }
    }

    fn add_deflate(&self, offer: &wsh_deflate_offer) -> wsh_result {
        unsafe { wsh_client_config_builder_add_permessage_deflate(self.0, offer) }
    }

    fn limits(&self, limits: &wsh_client_limits) -> wsh_result {
        unsafe { wsh_client_config_builder_limits(self.0, limits) }
    }

    fn build(mut self) -> ClientConfig {
        let mut config = ptr::null();
        let r = unsafe { wsh_client_config_builder_build(self.0, &mut config) };
        self.0 = ptr::null_mut();
        assert_eq!(r, OK);
        assert!(!config.is_null());
        ClientConfig(config)
    }
}

impl Drop for Builder {
    fn drop(&mut self) {
        unsafe { wsh_client_config_builder_free(self.0) }
    }
}

/// A client config owned by a test.
struct ClientConfig(*const wsh_client_config);

impl Drop for ClientConfig {
    fn drop(&mut self) {
        unsafe { wsh_client_config_free(self.0) }
    }
}

fn config_of(url: &str, setup: impl FnOnce(&Builder)) -> ClientConfig {
    let b = Builder::new(url);
    setup(&b);
    b.build()
}

/// The RFC 6455 sample client's config.
fn rfc_config() -> ClientConfig {
    config_of("ws://server.example.com/chat", |b| {
        assert_eq!(b.origin("http://example.com"), OK);
        assert_eq!(b.subprotocol("chat"), OK);
        assert_eq!(b.subprotocol("superchat"), OK);
    })
}

/// Subprotocols chat and superchat, the browsers' deflate offer, x-foo.
fn full_config() -> ClientConfig {
    config_of("ws://server.example.com/chat", |b| {
        assert_eq!(b.subprotocol("chat"), OK);
        assert_eq!(b.subprotocol("superchat"), OK);
        assert_eq!(b.deflate(&default_offer()), OK);
        assert_eq!(b.extension("x-foo"), OK);
    })
}

fn default_offer() -> wsh_deflate_offer {
    let mut offer = unsafe { core::mem::zeroed() };
    assert_eq!(unsafe { wsh_deflate_offer_default(&mut offer) }, OK);
    offer
}

fn default_limits() -> wsh_client_limits {
    let mut limits = unsafe { core::mem::zeroed() };
    assert_eq!(unsafe { wsh_client_limits_default(&mut limits) }, OK);
    limits
}

/// A client handle owned by a test.
struct Client(*mut wsh_client);

impl Client {
    fn with_nonce(config: &ClientConfig, nonce: &[u8; 16]) -> Client {
        let mut c = ptr::null_mut();
        assert_eq!(
            unsafe { wsh_client_new_with_key(config.0, nonce.as_ptr(), &mut c) },
            OK
        );
        assert!(!c.is_null());
        Client(c)
    }

    fn sample(config: &ClientConfig) -> Client {
        Client::with_nonce(config, NONCE)
    }

    /// Feeds bytes; returns (result, consumed, decision).
    fn feed(&self, data: &[u8]) -> (wsh_result, usize, wsh_client_decision) {
        let mut consumed = usize::MAX;
        let mut decision = WSH_CLIENT_DECISION_NEED_MORE;
        let r = unsafe {
            wsh_client_feed(
                self.0,
                data.as_ptr(),
                data.len(),
                &mut consumed,
                &mut decision,
            )
        };
        (r, consumed, decision)
    }

    fn finish(&self) -> (wsh_result, wsh_client_decision) {
        let mut decision = WSH_CLIENT_DECISION_NEED_MORE;
        let r = unsafe { wsh_client_finish(self.0, &mut decision) };
        (r, decision)
    }

    /// Calls an accessor of the (data, len) shape.
    fn part(
        &self,
        f: unsafe extern "C" fn(*const wsh_client, *mut *const u8, *mut usize) -> wsh_result,
    ) -> Result<Vec<u8>, wsh_result> {
        let mut data = ptr::null();
        let mut len = 0;
        match unsafe { f(self.0, &mut data, &mut len) } {
            wsh_result::WSH_OK => Ok(unsafe { view(data, len) }.to_vec()),
            other => Err(other),
        }
    }

    fn request(&self) -> Vec<u8> {
        self.part(wsh_client_request).unwrap()
    }

    fn status(&self) -> Result<u16, wsh_result> {
        let mut status = 0;
        match unsafe { wsh_client_status(self.0, &mut status) } {
            wsh_result::WSH_OK => Ok(status),
            other => Err(other),
        }
    }

    fn header(&self, name: &str, nth: usize) -> Result<Vec<u8>, wsh_result> {
        let mut data = ptr::null();
        let mut len = 0;
        match unsafe {
            wsh_client_header(self.0, name.as_ptr(), name.len(), nth, &mut data, &mut len)
        } {
            wsh_result::WSH_OK => Ok(unsafe { view(data, len) }.to_vec()),
            other => Err(other),
        }
    }

    fn deflate(&self) -> Result<wsh_deflate_params, wsh_result> {
        let mut params = wsh_deflate_params::default();
        match unsafe { wsh_client_deflate(self.0, &mut params) } {
            wsh_result::WSH_OK => Ok(params),
            other => Err(other),
        }
    }

    fn extensions(&self) -> Result<Vec<String>, wsh_result> {
        let mut count = 0;
        match unsafe { wsh_client_extension_count(self.0, &mut count) } {
            wsh_result::WSH_OK => {}
            other => return Err(other),
        }
        let mut out = Vec::new();
        for i in 0..count {
            let mut data = ptr::null();
            let mut len = 0;
            assert_eq!(
                unsafe { wsh_client_extension_at(self.0, i, &mut data, &mut len) },
                OK
            );
            out.push(String::from_utf8(unsafe { view(data, len) }.to_vec()).unwrap());
        }
        Ok(out)
    }
}

impl Drop for Client {
    fn drop(&mut self) {
        unsafe { wsh_client_free(self.0) }
    }
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn rfc6455_sample_exchange() {
    let config = rfc_config();
    let client = Client::sample(&config);
    assert_eq!(text(&client.request()), RFC_CLIENT_REQUEST);
    assert_eq!(client.part(wsh_client_key), Ok(KEY.as_bytes().to_vec()));
    assert_eq!(KEY.len(), WSH_KEY_LEN);
    assert_eq!(client.status(), Err(WSH_WRONG_STATE));
    assert!(!unsafe { wsh_client_is_accepted(client.0) });

    let response = accepted_101("Sec-WebSocket-Protocol: chat\r\n");
    assert_eq!(
        client.feed(response.as_bytes()),
        (OK, response.len(), WSH_CLIENT_DECISION_ACCEPTED)
    );
    assert!(unsafe { wsh_client_is_accepted(client.0) });
    assert_eq!(client.status(), Ok(101));
    assert_eq!(
        client.part(wsh_client_reason),
        Ok(b"Switching Protocols".to_vec())
    );
    assert_eq!(client.part(wsh_client_subprotocol), Ok(b"chat".to_vec()));
    assert_eq!(client.deflate().unwrap_err(), WSH_NOT_FOUND);
    assert_eq!(client.extensions(), Ok(vec![]));
    assert_eq!(client.part(wsh_client_body), Ok(vec![]));
    assert_eq!(
        client.part(wsh_client_head),
        Ok(response.clone().into_bytes())
    );
    let mut decision = WSH_CLIENT_DECISION_NEED_MORE;
    assert_eq!(unsafe { wsh_client_outcome(client.0, &mut decision) }, OK);
    assert_eq!(decision, WSH_CLIENT_DECISION_ACCEPTED);
    // Decided: more input is misuse.
    assert_eq!(client.feed(b"x").0, WSH_WRONG_STATE);
    assert_eq!(client.finish().0, WSH_WRONG_STATE);
}

#[test]
fn request_output_in_pieces() {
    let config = rfc_config();
    let client = Client::sample(&config);
    let whole = client.request();
    unsafe {
        assert_eq!(
            wsh_client_request_advance(client.0, whole.len() + 1),
            WSH_OUT_OF_RANGE
        );
        assert_eq!(client.request(), whole, "a refused advance changes nothing");
        assert_eq!(wsh_client_request_advance(client.0, 10), OK);
    }
    assert_eq!(client.request(), &whole[10..]);
    let mut sent = whole[..10].to_vec();
    loop {
        let mut buf = [0u8; 7];
        let mut written = usize::MAX;
        assert_eq!(
            unsafe { wsh_client_drain(client.0, buf.as_mut_ptr(), buf.len(), &mut written) },
            OK
        );
        if written == 0 {
            break;
        }
        sent.extend_from_slice(&buf[..written]);
    }
    assert_eq!(sent, whole);
    assert_eq!(client.request(), b"");
    // Draining into the pending request itself is refused.
    unsafe { wsh_client_reset(client.0, NONCE.as_ptr()) };
    let mut data = ptr::null();
    let mut len = 0;
    let mut written = 0;
    unsafe {
        assert_eq!(wsh_client_request(client.0, &mut data, &mut len), OK);
        assert_eq!(
            wsh_client_drain(client.0, data.cast_mut(), len, &mut written),
            WSH_INVALID_ARGUMENT
        );
        assert_eq!(
            wsh_client_drain(client.0, ptr::null_mut(), 0, &mut written),
            OK
        );
        assert_eq!(written, 0);
    }
}

#[test]
fn byte_at_a_time_gives_the_same_result() {
    let config = full_config();
    let response = accepted_101(
        "Sec-WebSocket-Protocol: superchat\r\n\
         Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits=10, x-foo; a=1\r\n",
    );
    let client = Client::sample(&config);
    let bytes = response.as_bytes();
    for (i, b) in bytes.iter().enumerate() {
        let (r, consumed, decision) = client.feed(core::slice::from_ref(b));
        if i + 1 < bytes.len() {
            assert_eq!(
                (r, consumed, decision),
                (WSH_NEED_MORE, 1, WSH_CLIENT_DECISION_NEED_MORE)
            );
        } else {
            assert_eq!(
                (r, consumed, decision),
                (OK, 1, WSH_CLIENT_DECISION_ACCEPTED)
            );
        }
    }
    assert_eq!(
        client.part(wsh_client_subprotocol),
        Ok(b"superchat".to_vec())
    );
    assert_eq!(
        client.deflate(),
        Ok(wsh_deflate_params {
            server_no_context_takeover: false,
            client_no_context_takeover: false,
            server_max_window_bits: 15,
            client_max_window_bits: 10,
        })
    );
    assert_eq!(
        client.extensions(),
        Ok(vec![
            "permessage-deflate; client_max_window_bits=10".to_owned(),
            "x-foo; a=1".to_owned()
        ])
    );
    let mut data = ptr::null();
    let mut len = 0;
    assert_eq!(
        unsafe { wsh_client_extension_at(client.0, 2, &mut data, &mut len) },
        WSH_OUT_OF_RANGE
    );
    assert!(data.is_null() && len == 0, "nothing written on error");
}

#[test]
fn bytes_after_the_101_are_left_for_the_framing_layer() {
    let config = rfc_config();
    let client = Client::sample(&config);
    let head = accepted_101("Sec-WebSocket-Protocol: chat\r\n");
    let mut input = head.clone().into_bytes();
    input.extend_from_slice(b"\x81\x02hi");
    let (r, consumed, decision) = client.feed(&input);
    assert_eq!((r, decision), (OK, WSH_CLIENT_DECISION_ACCEPTED));
    assert_eq!(consumed, head.len());
    assert_eq!(&input[consumed..], b"\x81\x02hi");
}

#[test]
fn interim_responses_are_skipped() {
    let config = rfc_config();
    let client = Client::sample(&config);
    let input = format!(
        "HTTP/1.1 100 Continue\r\n\r\n{}",
        accepted_101("Sec-WebSocket-Protocol: chat\r\n")
    );
    assert_eq!(
        client.feed(input.as_bytes()),
        (OK, input.len(), WSH_CLIENT_DECISION_ACCEPTED)
    );
    assert_eq!(client.status(), Ok(101));
}

#[test]
fn refusal_401_with_body_and_headers() {
    let config = rfc_config();
    let client = Client::sample(&config);
    let response = "HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: Bearer\r\n\
        X-Trace: a\r\nX-Trace: b\r\nContent-Length: 12\r\n\r\nlogin first!NEXT";
    let (r, consumed, decision) = client.feed(response.as_bytes());
    assert_eq!((r, decision), (OK, WSH_CLIENT_DECISION_REFUSED));
    assert_eq!(&response[consumed..], "NEXT");
    assert!(!unsafe { wsh_client_is_accepted(client.0) });
    assert_eq!(client.status(), Ok(401));
    assert_eq!(client.part(wsh_client_reason), Ok(b"Unauthorized".to_vec()));
    assert_eq!(client.part(wsh_client_body), Ok(b"login first!".to_vec()));
    assert_eq!(client.header("www-authenticate", 0), Ok(b"Bearer".to_vec()));
    assert_eq!(client.header("X-TRACE", 1), Ok(b"b".to_vec()));
    assert_eq!(client.header("X-Trace", 2), Err(WSH_NOT_FOUND));
    assert_eq!(client.header("Location", 0), Err(WSH_NOT_FOUND));
    let mut count = 0;
    assert_eq!(unsafe { wsh_client_header_count(client.0, &mut count) }, OK);
    assert_eq!(count, 4);
    let (mut n, mut n_len, mut v, mut v_len) = (ptr::null(), 0, ptr::null(), 0);
    unsafe {
        assert_eq!(
            wsh_client_header_at(client.0, 3, &mut n, &mut n_len, &mut v, &mut v_len),
            OK
        );
        assert_eq!(
            (view(n, n_len), view(v, v_len)),
            (&b"Content-Length"[..], &b"12"[..])
        );
        assert_eq!(
            wsh_client_header_at(client.0, 4, &mut n, &mut n_len, &mut v, &mut v_len),
            WSH_OUT_OF_RANGE
        );
    }
    // No negotiation results for a refusal.
    assert_eq!(client.part(wsh_client_subprotocol), Err(WSH_WRONG_STATE));
    assert_eq!(client.deflate().unwrap_err(), WSH_WRONG_STATE);
    assert_eq!(client.extensions(), Err(WSH_WRONG_STATE));
}

#[test]
fn refusal_without_length_ends_at_the_close() {
    let config = rfc_config();
    let client = Client::sample(&config);
    let response = "HTTP/1.1 403 Forbidden\r\nConnection: close\r\n\r\nno way";
    let (r, consumed, decision) = client.feed(response.as_bytes());
    assert_eq!(
        (r, consumed, decision),
        (WSH_NEED_MORE, response.len(), WSH_CLIENT_DECISION_NEED_MORE)
    );
    assert_eq!(
        client.status(),
        Ok(403),
        "the head is available before the body ends"
    );
    assert_eq!(client.finish(), (OK, WSH_CLIENT_DECISION_REFUSED));
    assert_eq!(client.part(wsh_client_body), Ok(b"no way".to_vec()));
    assert_eq!(client.finish().0, WSH_WRONG_STATE);
}

/// Feeds `response` to a new client of `config`; returns the result, after
/// checking what a failure must look like.
fn failure_of(config: &ClientConfig, response: &str, finish: bool) -> wsh_result {
    let client = Client::sample(config);
    let (mut r, consumed, mut decision) = client.feed(response.as_bytes());
    if finish {
        assert_eq!(r, WSH_NEED_MORE, "{response:?}");
        (r, decision) = client.finish();
    } else {
        assert_eq!(consumed, response.len(), "a failure takes every byte");
    }
    assert_eq!(decision, WSH_CLIENT_DECISION_FAILED, "{response:?}");
    assert!(!unsafe { wsh_client_is_accepted(client.0) });
    assert_eq!(client.part(wsh_client_subprotocol), Err(WSH_WRONG_STATE));
    let mut again = WSH_CLIENT_DECISION_NEED_MORE;
    assert_eq!(unsafe { wsh_client_outcome(client.0, &mut again) }, r);
    assert_eq!(again, WSH_CLIENT_DECISION_FAILED);
    r
}

#[test]
fn every_response_error_has_its_code() {
    let full = full_config();
    let small = config_of("ws://h/", |b| {
        let limits = wsh_client_limits {
            max_head_bytes: 64,
            max_headers: 3,
            max_body_bytes: 8,
        };
        assert_eq!(b.limits(&limits), OK);
    });
    let strict = config_of("ws://h/", |b| {
        let offer = wsh_deflate_offer {
            server_no_context_takeover: true,
            client_no_context_takeover: false,
            server_max_window_bits: 9,
            offer_client_max_window_bits: true,
            client_max_window_bits: 10,
        };
        assert_eq!(b.deflate(&offer), OK);
    });
    let accept_line = format!("Sec-WebSocket-Accept: {ACCEPT}\r\n");
    let head = "HTTP/1.1 101 Switching Protocols\r\n";
    let both = "Upgrade: websocket\r\nConnection: Upgrade\r\n";
    let proto = "Sec-WebSocket-Protocol: chat\r\n";
    let ext = |e: &str| accepted_101(&format!("{proto}Sec-WebSocket-Extensions: {e}\r\n"));
    let cases: Vec<(&ClientConfig, String, bool, wsh_result)> = vec![
        (
            &small,
            "HTTP/1.1 200 OK\nA: 1\r\n\r\n".into(),
            false,
            WSH_RESPONSE_MALFORMED_HEAD,
        ),
        (
            &small,
            format!("HTTP/1.1 200 OK\r\nX-Pad: {}\r\n\r\n", "p".repeat(80)),
            false,
            WSH_RESPONSE_HEAD_TOO_LARGE,
        ),
        (
            &small,
            "HTTP/1.1 200 OK\r\nA: 1\r\nB: 2\r\nC: 3\r\nD: 4\r\n\r\n".into(),
            false,
            WSH_RESPONSE_TOO_MANY_HEADERS,
        ),
        (
            &full,
            "HTTP/1.1 700 What\r\n\r\n".into(),
            false,
            WSH_RESPONSE_INVALID_STATUS,
        ),
        (
            &full,
            format!("HTTP/1.0 101 S\r\n{both}{accept_line}{proto}\r\n"),
            false,
            WSH_RESPONSE_INVALID_VERSION,
        ),
        (
            &full,
            format!("{head}Connection: Upgrade\r\n{accept_line}{proto}\r\n"),
            false,
            WSH_RESPONSE_MISSING_UPGRADE,
        ),
        (
            &full,
            format!("{head}Upgrade: websocket\r\n{accept_line}{proto}\r\n"),
            false,
            WSH_RESPONSE_MISSING_CONNECTION_UPGRADE,
        ),
        (
            &full,
            format!("{head}{both}{proto}\r\n"),
            false,
            WSH_RESPONSE_MISSING_ACCEPT,
        ),
        (
            &full,
            format!("{head}{both}{accept_line}{accept_line}{proto}\r\n"),
            false,
            WSH_RESPONSE_DUPLICATE_ACCEPT,
        ),
        (
            &full,
            format!("{head}{both}Sec-WebSocket-Accept: {KEY}\r\n{proto}\r\n"),
            false,
            WSH_RESPONSE_WRONG_ACCEPT,
        ),
        (
            &full,
            accepted_101("Sec-WebSocket-Protocol: other\r\n"),
            false,
            WSH_RESPONSE_UNEXPECTED_SUBPROTOCOL,
        ),
        (
            &full,
            accepted_101(""),
            false,
            WSH_RESPONSE_MISSING_SUBPROTOCOL,
        ),
        (
            &full,
            accepted_101(&format!("{proto}{proto}")),
            false,
            WSH_RESPONSE_DUPLICATE_SUBPROTOCOL,
        ),
        (
            &full,
            ext("x-foo; ="),
            false,
            WSH_RESPONSE_INVALID_EXTENSIONS,
        ),
        (
            &full,
            ext("x-unknown"),
            false,
            WSH_RESPONSE_UNEXPECTED_EXTENSION,
        ),
        (
            &full,
            ext("x-foo, x-foo"),
            false,
            WSH_RESPONSE_DUPLICATE_EXTENSION,
        ),
        (
            &full,
            ext("permessage-deflate; server_max_window_bits=16"),
            false,
            WSH_RESPONSE_INVALID_DEFLATE_PARAMETER,
        ),
        (
            &full,
            ext("permessage-deflate; client_max_window_bits"),
            false,
            WSH_RESPONSE_UNEXPECTED_CLIENT_WINDOW_BITS,
        ),
        (
            &strict,
            accepted_101(
                "Sec-WebSocket-Extensions: permessage-deflate; server_no_context_takeover; \
                 server_max_window_bits=10\r\n",
            ),
            false,
            WSH_RESPONSE_DEFLATE_WINDOW_TOO_LARGE,
        ),
        (
            &strict,
            accepted_101(
                "Sec-WebSocket-Extensions: permessage-deflate; server_max_window_bits=9\r\n",
            ),
            false,
            WSH_RESPONSE_MISSING_SERVER_NO_CONTEXT_TAKEOVER,
        ),
        (
            &strict,
            accepted_101(
                "Sec-WebSocket-Extensions: permessage-deflate; server_no_context_takeover\r\n",
            ),
            false,
            WSH_RESPONSE_MISSING_SERVER_MAX_WINDOW_BITS,
        ),
        (
            &full,
            "HTTP/1.1 200 OK\r\nContent-Length: x\r\n\r\n".into(),
            false,
            WSH_RESPONSE_INVALID_CONTENT_LENGTH,
        ),
        (
            &full,
            "HTTP/1.1 500 Oops\r\nTransfer-Encoding: chunked\r\n\r\n4\r\nabc\r\n".into(),
            false,
            WSH_RESPONSE_INVALID_CHUNKED_BODY,
        ),
        (
            &small,
            "HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n0123456789".into(),
            false,
            WSH_RESPONSE_BODY_TOO_LARGE,
        ),
        (
            &full,
            "HTTP/1.1 101 S\r\nUpgrade: websocket\r".into(),
            true,
            WSH_RESPONSE_INCOMPLETE_HEAD,
        ),
        (
            &full,
            "HTTP/1.1 401 U\r\nContent-Length: 10\r\n\r\nshort".into(),
            true,
            WSH_RESPONSE_INCOMPLETE_BODY,
        ),
    ];
    let mut seen = std::collections::HashSet::new();
    for (config, response, finish, expected) in cases {
        assert_eq!(
            failure_of(config, &response, finish),
            expected,
            "{response:?}"
        );
        seen.insert(expected);
    }
    // Every code of the 2000 range is produced by some response.
    let all: Vec<_> = wsh_result::ALL
        .iter()
        .filter(|c| c.response_error().is_some())
        .collect();
    assert_eq!(seen.len(), all.len());
    assert!(all.iter().all(|c| seen.contains(*c)));
}

#[test]
fn a_failure_after_the_head_keeps_the_head() {
    let config = full_config();
    let client = Client::sample(&config);
    let response = accepted_101("Sec-WebSocket-Protocol: other\r\n");
    assert_eq!(
        client.feed(response.as_bytes()).0,
        WSH_RESPONSE_UNEXPECTED_SUBPROTOCOL
    );
    assert_eq!(client.status(), Ok(101));
    assert_eq!(
        client.header("sec-websocket-protocol", 0),
        Ok(b"other".to_vec())
    );
    // A failure inside the head leaves no head to inspect.
    let client = Client::sample(&config);
    assert_eq!(
        client.feed(b"HTTP/1.1 abc\r\n\r\n").0,
        WSH_RESPONSE_MALFORMED_HEAD
    );
    assert_eq!(client.status(), Err(WSH_WRONG_STATE));
    assert_eq!(client.part(wsh_client_head), Err(WSH_WRONG_STATE));
}

#[test]
fn subprotocol_mode_rfc6455_accepts_a_missing_subprotocol() {
    let config = config_of("ws://h/", |b| {
        assert_eq!(b.subprotocol("chat"), OK);
        assert_eq!(
            unsafe {
                wsh_client_config_builder_subprotocol_mode(
                    b.0,
                    WSH_CLIENT_SUBPROTOCOL_RFC6455 as u32,
                )
            },
            OK
        );
        assert_eq!(
            unsafe { wsh_client_config_builder_subprotocol_mode(b.0, 2) },
            WSH_INVALID_ARGUMENT
        );
    });
    let client = Client::sample(&config);
    assert_eq!(
        client.feed(accepted_101("").as_bytes()).2,
        WSH_CLIENT_DECISION_ACCEPTED
    );
    assert_eq!(client.part(wsh_client_subprotocol), Err(WSH_NOT_FOUND));
}

#[test]
fn full_request_and_url_parts() {
    let config = config_of("wss://[::1]:9000/x?y", |b| {
        assert_eq!(b.origin("https://example.com"), OK);
        assert_eq!(b.subprotocol("chat"), OK);
        let offer = wsh_deflate_offer {
            server_no_context_takeover: true,
            client_no_context_takeover: true,
            server_max_window_bits: 10,
            offer_client_max_window_bits: true,
            client_max_window_bits: 12,
        };
        assert_eq!(b.deflate(&offer), OK);
        assert_eq!(b.extension("x-foo; a=1"), OK);
        assert_eq!(b.header("Authorization", "Bearer t"), OK);
    });
    let client = Client::sample(&config);
    assert_eq!(
        text(&client.request()),
        "GET /x?y HTTP/1.1\r\nHost: [::1]:9000\r\nUpgrade: websocket\r\n\
         Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\
         Sec-WebSocket-Version: 13\r\nOrigin: https://example.com\r\n\
         Sec-WebSocket-Protocol: chat\r\n\
         Sec-WebSocket-Extensions: permessage-deflate; server_no_context_takeover; \
         client_no_context_takeover; server_max_window_bits=10; client_max_window_bits=12, \
         x-foo; a=1\r\nAuthorization: Bearer t\r\n\r\n"
    );
    let mut url: wsh_client_url = unsafe { core::mem::zeroed() };
    assert_eq!(unsafe { wsh_client_config_url(config.0, &mut url) }, OK);
    unsafe {
        assert_eq!(view(url.host, url.host_len), b"::1");
        assert_eq!(view(url.host_header, url.host_header_len), b"[::1]:9000");
        assert_eq!(view(url.resource, url.resource_len), b"/x?y");
    }
    assert_eq!(
        (url.host_kind, url.port, url.secure),
        (WSH_HOST_IPV6, 9000, true)
    );

    for (input, host, kind, port, secure, host_header, resource) in [
        (
            "ws://Example.COM",
            "example.com",
            WSH_HOST_NAME,
            80,
            false,
            "example.com",
            "/",
        ),
        (
            "wss://127.0.0.1/a/b?",
            "127.0.0.1",
            WSH_HOST_IPV4,
            443,
            true,
            "127.0.0.1",
            "/a/b",
        ),
        ("ws://h:443/", "h", WSH_HOST_NAME, 443, false, "h:443", "/"),
    ] {
        let config = config_of(input, |_| {});
        assert_eq!(unsafe { wsh_client_config_url(config.0, &mut url) }, OK);
        unsafe {
            assert_eq!(view(url.host, url.host_len), host.as_bytes(), "{input}");
            assert_eq!(
                view(url.host_header, url.host_header_len),
                host_header.as_bytes()
            );
            assert_eq!(view(url.resource, url.resource_len), resource.as_bytes());
        }
        assert_eq!(
            (url.host_kind, url.port, url.secure),
            (kind, port, secure),
            "{input}"
        );
    }
}

#[test]
fn invalid_urls_are_refused_at_once() {
    for url in [
        &b"http://h/"[..],
        b"ws://h/#x",
        b"ws://user@h/",
        b"ws://",
        b"ws://h:0/",
        b"ws://h/a b",
        b"ws://h/\xff",
        b"",
    ] {
        let mut b = ptr::null_mut();
        let r = unsafe { wsh_client_config_builder_new(url.as_ptr(), url.len(), &mut b) };
        assert_eq!(r, WSH_INVALID_URL, "{}", text(url));
        assert!(b.is_null(), "nothing written on error");
    }
    let mut b = ptr::null_mut();
    unsafe {
        assert_eq!(
            wsh_client_config_builder_new(ptr::null(), 3, &mut b),
            WSH_INVALID_ARGUMENT
        );
        assert_eq!(
            wsh_client_config_builder_new(b"ws://h/".as_ptr(), 7, ptr::null_mut()),
            WSH_NULL_POINTER
        );
    }
    assert!(b.is_null());
}

#[test]
fn invalid_settings_are_refused_and_leave_the_builder_unchanged() {
    let b = Builder::new("ws://h/");
    let offer = |f: fn(&mut wsh_deflate_offer)| {
        let mut o = default_offer();
        f(&mut o);
        o
    };
    let limits = |f: fn(&mut wsh_client_limits)| {
        let mut l = default_limits();
        f(&mut l);
        l
    };
    assert_eq!(b.origin("https://a/"), WSH_INVALID_ORIGIN);
    assert_eq!(b.origin("https://a\r\nX: y"), WSH_INVALID_ORIGIN);
    assert_eq!(
        unsafe { wsh_client_config_builder_origin(b.0, b"\xff".as_ptr(), 1) },
        WSH_INVALID_ORIGIN
    );
    assert_eq!(b.subprotocol("a b"), WSH_INVALID_SUBPROTOCOL);
    assert_eq!(b.subprotocol(""), WSH_INVALID_SUBPROTOCOL);
    assert_eq!(b.subprotocol("chat"), OK);
    assert_eq!(b.subprotocol("chat"), WSH_DUPLICATE_SUBPROTOCOL);
    assert_eq!(
        b.deflate(&offer(|o| o.server_max_window_bits = 7)),
        WSH_INVALID_EXTENSION
    );
    assert_eq!(
        b.deflate(&offer(|o| o.client_max_window_bits = 16)),
        WSH_INVALID_EXTENSION
    );
    assert_eq!(
        b.deflate(&offer(|o| {
            o.offer_client_max_window_bits = false;
            o.client_max_window_bits = 10;
        })),
        WSH_INVALID_EXTENSION
    );
    assert_eq!(b.extension("a, b"), WSH_INVALID_EXTENSION);
    assert_eq!(b.extension(""), WSH_INVALID_EXTENSION);
    assert_eq!(b.extension("Permessage-Deflate"), WSH_INVALID_EXTENSION);
    assert_eq!(b.header("X A", "v"), WSH_INVALID_HEADER_NAME);
    assert_eq!(b.header("X-A", "v\r\nHost: evil"), WSH_INVALID_HEADER_VALUE);
    assert_eq!(b.header("Sec-WebSocket-Key", "k"), WSH_RESERVED_HEADER);
    assert_eq!(b.header("origin", "null"), WSH_RESERVED_HEADER);
    assert_eq!(
        unsafe { wsh_client_config_builder_add_header(b.0, b"\xff".as_ptr(), 1, ptr::null(), 0) },
        WSH_INVALID_HEADER_NAME
    );
    assert_eq!(b.limits(&limits(|l| l.max_headers = 0)), WSH_INVALID_CONFIG);
    assert_eq!(
        b.limits(&limits(|l| l.max_headers = 129)),
        WSH_INVALID_CONFIG
    );
    assert_eq!(
        b.limits(&limits(|l| l.max_head_bytes = 15)),
        WSH_INVALID_CONFIG
    );
    assert_eq!(
        b.limits(&limits(|l| l.max_body_bytes = (16 << 20) + 1)),
        WSH_INVALID_CONFIG
    );
    unsafe {
        assert_eq!(
            wsh_client_config_builder_permessage_deflate(b.0, ptr::null()),
            WSH_NULL_POINTER
        );
        assert_eq!(
            wsh_client_config_builder_limits(b.0, ptr::null()),
            WSH_NULL_POINTER
        );
        assert_eq!(
            wsh_client_config_builder_add_subprotocol(b.0, ptr::null(), 2),
            WSH_INVALID_ARGUMENT
        );
    }
    // Only the valid subprotocol made it into the request.
    let config = b.build();
    let client = Client::sample(&config);
    let request = text(&client.request());
    assert!(
        request.contains("\r\nSec-WebSocket-Protocol: chat\r\n"),
        "{request}"
    );
    for absent in ["Origin", "Extensions", "X-A", "Sec-WebSocket-Key: k"] {
        assert!(!request.contains(absent), "{absent} in {request}");
    }
}

#[test]
fn null_handles_and_outputs_are_refused() {
    let c: *mut wsh_client = ptr::null_mut();
    let cc = c as *const wsh_client;
    let config = rfc_config();
    let client = Client::sample(&config);
    let mut p = ptr::null();
    let mut n = 0usize;
    let mut d = WSH_CLIENT_DECISION_NEED_MORE;
    let mut status = 0u16;
    let mut params = wsh_deflate_params::default();
    let mut handle = ptr::null_mut();
    unsafe {
        assert_eq!(wsh_client_new(ptr::null(), &mut handle), WSH_NULL_POINTER);
        assert_eq!(wsh_client_new(config.0, ptr::null_mut()), WSH_NULL_POINTER);
        assert_eq!(
            wsh_client_new_with_key(config.0, ptr::null(), &mut handle),
            WSH_NULL_POINTER
        );
        assert!(handle.is_null());
        assert_eq!(wsh_client_reset(c, NONCE.as_ptr()), WSH_NULL_POINTER);
        assert_eq!(wsh_client_request_advance(c, 0), WSH_NULL_POINTER);
        assert_eq!(
            wsh_client_drain(c, ptr::null_mut(), 0, &mut n),
            WSH_NULL_POINTER
        );
        assert_eq!(
            wsh_client_feed(c, b"x".as_ptr(), 1, &mut n, &mut d),
            WSH_NULL_POINTER
        );
        assert_eq!(wsh_client_finish(c, &mut d), WSH_NULL_POINTER);
        assert_eq!(wsh_client_outcome(cc, &mut d), WSH_NULL_POINTER);
        assert_eq!(wsh_client_status(cc, &mut status), WSH_NULL_POINTER);
        assert_eq!(wsh_client_header_count(cc, &mut n), WSH_NULL_POINTER);
        assert_eq!(wsh_client_extension_count(cc, &mut n), WSH_NULL_POINTER);
        assert_eq!(
            wsh_client_extension_at(cc, 0, &mut p, &mut n),
            WSH_NULL_POINTER
        );
        assert_eq!(wsh_client_deflate(cc, &mut params), WSH_NULL_POINTER);
        assert_eq!(wsh_client_deflate_offer_index(cc, &mut n), WSH_NULL_POINTER);
        assert_eq!(
            wsh_client_header(cc, b"a".as_ptr(), 1, 0, &mut p, &mut n),
            WSH_NULL_POINTER
        );
        let mut n2 = 0;
        let mut p2 = ptr::null();
        assert_eq!(
            wsh_client_header_at(cc, 0, &mut p, &mut n, &mut p2, &mut n2),
            WSH_NULL_POINTER
        );
        assert!(!wsh_client_is_accepted(cc));
        let parts: [unsafe extern "C" fn(
            *const wsh_client,
            *mut *const u8,
            *mut usize,
        ) -> wsh_result; 7] = [
            wsh_client_key,
            wsh_client_request,
            wsh_client_reason,
            wsh_client_head,
            wsh_client_body,
            wsh_client_subprotocol,
            wsh_client_request,
        ];
        for f in parts {
            assert_eq!(f(cc, &mut p, &mut n), WSH_NULL_POINTER);
            // NULL outputs on a live handle.
            assert_eq!(f(client.0, ptr::null_mut(), &mut n), WSH_NULL_POINTER);
            assert_eq!(f(client.0, &mut p, ptr::null_mut()), WSH_NULL_POINTER);
        }
        assert!(p.is_null() && n == 0, "nothing written on error");
        assert_eq!(
            wsh_client_feed(client.0, b"x".as_ptr(), 1, ptr::null_mut(), &mut d),
            WSH_NULL_POINTER
        );
        assert_eq!(
            wsh_client_feed(client.0, b"x".as_ptr(), 1, &mut n, ptr::null_mut()),
            WSH_NULL_POINTER
        );
        assert_eq!(
            wsh_client_feed(client.0, ptr::null(), 1, &mut n, &mut d),
            WSH_INVALID_ARGUMENT
        );
        assert_eq!(n, 0, "nothing written on error");
        // (NULL, 0) is an empty chunk.
        assert_eq!(
            wsh_client_feed(client.0, ptr::null(), 0, &mut n, &mut d),
            WSH_NEED_MORE
        );
        assert_eq!((n, d), (0, WSH_CLIENT_DECISION_NEED_MORE));
        assert_eq!(
            wsh_client_status(client.0, ptr::null_mut()),
            WSH_NULL_POINTER
        );
        assert_eq!(
            wsh_client_finish(client.0, ptr::null_mut()),
            WSH_NULL_POINTER
        );
        assert_eq!(
            wsh_client_drain(client.0, ptr::null_mut(), 5, &mut n),
            WSH_INVALID_ARGUMENT
        );
        assert_eq!(
            wsh_client_header(client.0, ptr::null(), 3, 0, &mut p, &mut n),
            WSH_INVALID_ARGUMENT
        );
        // Free and the config setters accept NULL as documented.
        wsh_client_free(ptr::null_mut());
        wsh_client_config_free(ptr::null());
        wsh_client_config_builder_free(ptr::null_mut());
        let mut url: wsh_client_url = core::mem::zeroed();
        assert_eq!(
            wsh_client_config_url(ptr::null(), &mut url),
            WSH_NULL_POINTER
        );
        assert_eq!(
            wsh_client_config_url(config.0, ptr::null_mut()),
            WSH_NULL_POINTER
        );
        let mut built = ptr::null();
        assert_eq!(
            wsh_client_config_builder_build(ptr::null_mut(), &mut built),
            WSH_NULL_POINTER
        );
        assert_eq!(wsh_deflate_offer_default(ptr::null_mut()), WSH_NULL_POINTER);
        assert_eq!(wsh_client_limits_default(ptr::null_mut()), WSH_NULL_POINTER);
        let b = ptr::null_mut();
        assert_eq!(
            wsh_client_config_builder_origin(b, b"null".as_ptr(), 4),
            WSH_NULL_POINTER
        );
        assert_eq!(
            wsh_client_config_builder_subprotocol_mode(b, 0),
            WSH_NULL_POINTER
        );
    }
}

#[test]
fn results_before_a_decision_are_wrong_state() {
    let config = full_config();
    let client = Client::sample(&config);
    assert_eq!(client.feed(b"HTTP/1.1 101 Switching").0, WSH_NEED_MORE);
    assert_eq!(client.status(), Err(WSH_WRONG_STATE));
    assert_eq!(client.part(wsh_client_reason), Err(WSH_WRONG_STATE));
    assert_eq!(client.header("upgrade", 0), Err(WSH_WRONG_STATE));
    assert_eq!(client.part(wsh_client_subprotocol), Err(WSH_WRONG_STATE));
    assert_eq!(client.deflate().unwrap_err(), WSH_WRONG_STATE);
    assert_eq!(client.extensions(), Err(WSH_WRONG_STATE));
    assert_eq!(client.part(wsh_client_body), Ok(vec![]));
    let mut d = WSH_CLIENT_DECISION_ACCEPTED;
    assert_eq!(
        unsafe { wsh_client_outcome(client.0, &mut d) },
        WSH_NEED_MORE
    );
    assert_eq!(d, WSH_CLIENT_DECISION_NEED_MORE);
}

#[test]
fn reset_starts_over_with_a_new_key() {
    let config = rfc_config();
    let client = Client::sample(&config);
    let first = client.request();
    let response = accepted_101("Sec-WebSocket-Protocol: chat\r\n");
    assert_eq!(client.feed(response.as_bytes()).0, OK);
    unsafe {
        assert_eq!(wsh_client_request_advance(client.0, first.len()), OK);
        assert_eq!(wsh_client_reset(client.0, [0u8; 16].as_ptr()), OK);
    }
    assert_eq!(
        client.part(wsh_client_key),
        Ok(b"AAAAAAAAAAAAAAAAAAAAAA==".to_vec())
    );
    assert_eq!(
        text(&client.request()),
        RFC_CLIENT_REQUEST.replace(KEY, "AAAAAAAAAAAAAAAAAAAAAA==")
    );
    assert_eq!(client.status(), Err(WSH_WRONG_STATE));
    assert!(!unsafe { wsh_client_is_accepted(client.0) });
    // The old accept value does not match the new key.
    assert_eq!(
        client.feed(response.as_bytes()).0,
        WSH_RESPONSE_WRONG_ACCEPT
    );
    // Back to the sample key: accepted again.
    assert_eq!(unsafe { wsh_client_reset(client.0, NONCE.as_ptr()) }, OK);
    assert_eq!(
        client.feed(response.as_bytes()).2,
        WSH_CLIENT_DECISION_ACCEPTED
    );
    // NULL: a key from the operating system.
    assert_eq!(unsafe { wsh_client_reset(client.0, ptr::null()) }, OK);
    let random = client.part(wsh_client_key).unwrap();
    assert_eq!(random.len(), WSH_KEY_LEN);
    assert_ne!(random, KEY.as_bytes());
}

#[test]
fn os_keys_are_fresh_and_valid() {
    let config = rfc_config();
    let mut keys = std::collections::HashSet::new();
    for _ in 0..8 {
        let mut handle = ptr::null_mut();
        assert_eq!(unsafe { wsh_client_new(config.0, &mut handle) }, OK);
        let client = Client(handle);
        let key = client.part(wsh_client_key).unwrap();
        assert_eq!(key.len(), WSH_KEY_LEN);
        assert!(key.ends_with(b"=="));
        let mut valid = [0u8; 28];
        assert_eq!(
            unsafe {
                wshandshake_ffi::ffi::accept_key::wsh_accept_key(
                    key.as_ptr(),
                    key.len(),
                    valid.as_mut_ptr(),
                )
            },
            OK
        );
        let nonce = base64::engine::general_purpose::STANDARD.decode(&key);
        assert_eq!(
            nonce.map(|n| n.len()),
            Ok(16),
            "{key:?} is not 16 bytes of base64"
        );
        keys.insert(key);
    }
    assert_eq!(keys.len(), 8);
}

#[test]
fn the_config_may_be_freed_before_the_handle() {
    let config = rfc_config();
    let client = Client::sample(&config);
    drop(config);
    let response = accepted_101("Sec-WebSocket-Protocol: chat\r\n");
    assert_eq!(
        client.feed(response.as_bytes()).2,
        WSH_CLIENT_DECISION_ACCEPTED
    );
    assert_eq!(text(&client.request()), RFC_CLIENT_REQUEST);
}

#[test]
fn round_trip_with_the_c_server_api() {
    // Server: chat and permessage-deflate; client: chat, superchat, deflate.
    let server_config = chat_config();
    let config = full_config();
    for nonce in [*NONCE, [7u8; 16], [0xff; 16]] {
        let client = Client::with_nonce(&config, &nonce);
        let request = client.request();
        let mut out = [0u8; 512];
        let mut info: wsh_respond_info = unsafe { core::mem::zeroed() };
        let r = unsafe {
            wsh_respond(
                server_config.0,
                request.as_ptr(),
                request.len(),
                out.as_mut_ptr(),
                out.len(),
                &mut info,
            )
        };
        assert_eq!(
            (r, info.decision, info.status),
            (OK, WSH_DECISION_UPGRADE_WEBSOCKET, 101)
        );
        assert_eq!(info.consumed, request.len());
        let response = &out[..info.response_len];
        let (r, consumed, decision) = client.feed(response);
        assert_eq!(
            (r, consumed, decision),
            (OK, response.len(), WSH_CLIENT_DECISION_ACCEPTED)
        );
        // Both sides agree on what was negotiated.
        assert_eq!(client.part(wsh_client_subprotocol).unwrap(), unsafe {
            view(info.subprotocol, info.subprotocol_len)
        });
        assert!(info.has_deflate);
        assert_eq!(client.deflate(), Ok(info.deflate));
    }
}

#[test]
#[cfg_attr(miri, ignore = "Miri's own machinery allocates")]
fn a_reused_client_does_not_allocate() {
    let config = full_config();
    let client = Client::sample(&config);
    let responses = [
        accepted_101(
            "Sec-WebSocket-Protocol: chat\r\n\
             Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits=9, x-foo\r\n",
        ),
        "HTTP/1.1 401 Unauthorized\r\nContent-Length: 5\r\n\r\nlogin".to_owned(),
        "HTTP/1.1 403 Forbidden\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nno\r\n0\r\n\r\n"
            .to_owned(),
    ];
    let mut buf = [0u8; 64];
    for response in responses.iter().chain(responses.iter()) {
        let before = allocations();
        unsafe {
            assert_eq!(wsh_client_reset(client.0, NONCE.as_ptr()), OK);
            let mut written = 1;
            while written > 0 {
                assert_eq!(
                    wsh_client_drain(client.0, buf.as_mut_ptr(), buf.len(), &mut written),
                    OK
                );
            }
        }
        let mut decided = None;
        for chunk in response.as_bytes().chunks(5) {
            let (r, _, decision) = client.feed(chunk);
            if r != WSH_NEED_MORE {
                decided = Some((r, decision));
                break;
            }
        }
        let (r, decision) = decided.expect("decided");
        assert_eq!(r, OK);
        assert_ne!(decision, WSH_CLIENT_DECISION_FAILED);
        let _ = client.status();
        let (mut body, mut body_len) = (ptr::null(), 0);
        assert_eq!(
            unsafe { wsh_client_body(client.0, &mut body, &mut body_len) },
            OK
        );
        assert_eq!(
            allocations() - before,
            0,
            "the client path allocated: {response:?}"
        );
    }
}

#[test]
fn deflate_offer_default_is_the_browser_offer() {
    let offer = default_offer();
    assert!(offer.offer_client_max_window_bits);
    assert_eq!(
        (offer.server_max_window_bits, offer.client_max_window_bits),
        (0, 0)
    );
    assert!(!offer.server_no_context_takeover && !offer.client_no_context_takeover);
    let limits = default_limits();
    assert_eq!(
        (
            limits.max_head_bytes,
            limits.max_headers,
            limits.max_body_bytes
        ),
        (16384, 128, 65536)
    );
    // A zero-initialized offer is the bare "permessage-deflate".
    let config = config_of("ws://h/", |b| {
        assert_eq!(b.deflate(&unsafe { core::mem::zeroed() }), OK);
    });
    let request = text(&Client::sample(&config).request());
    assert!(
        request.contains("\r\nSec-WebSocket-Extensions: permessage-deflate\r\n"),
        "{request}"
    );
}

/// Several permessage-deflate offers (RFC 7692 section 5.1): the request lists
/// them in order; wsh_client_deflate_offer_index() reports the one the response
/// answers, with its parameters from wsh_client_deflate().
#[test]
fn several_deflate_offers() {
    let small = wsh_deflate_offer {
        server_no_context_takeover: false,
        client_no_context_takeover: true,
        server_max_window_bits: 10,
        offer_client_max_window_bits: true,
        client_max_window_bits: 0,
    };
    let config = config_of("ws://h/", |b| {
        assert_eq!(b.deflate(&small), OK);
        assert_eq!(b.add_deflate(&default_offer()), OK);
        // The same offer twice, or an invalid one: refused, the builder unchanged.
        assert_eq!(b.add_deflate(&small), WSH_INVALID_EXTENSION);
        let mut bad = small;
        bad.server_max_window_bits = 16;
        assert_eq!(b.add_deflate(&bad), WSH_INVALID_EXTENSION);
        assert_eq!(
            unsafe { wsh_client_config_builder_add_permessage_deflate(b.0, ptr::null()) },
            WSH_NULL_POINTER
        );
        assert_eq!(
            unsafe { wsh_client_config_builder_add_permessage_deflate(ptr::null_mut(), &small) },
            WSH_NULL_POINTER
        );
    });
    let request = String::from_utf8(Client::sample(&config).request()).unwrap();
    assert!(
        request.contains(
            "\r\nSec-WebSocket-Extensions: permessage-deflate; client_no_context_takeover; \
             server_max_window_bits=10; client_max_window_bits, \
             permessage-deflate; client_max_window_bits\r\n"
        ),
        "{request}"
    );
    for (element, index, server_bits, client_takeover) in [
        ("permessage-deflate; server_max_window_bits=9", 0, 9, true),
        ("permessage-deflate", 1, 15, false),
        (
            "permessage-deflate; server_max_window_bits=12",
            1,
            12,
            false,
        ),
    ] {
        let client = Client::sample(&config);
        let mut got = usize::MAX;
        assert_eq!(
            unsafe { wsh_client_deflate_offer_index(client.0, &mut got) },
            WSH_WRONG_STATE
        );
        let response = accepted_101(&format!("Sec-WebSocket-Extensions: {element}\r\n"));
        assert_eq!(client.feed(response.as_bytes()).0, OK, "{element}");
        assert_eq!(
            unsafe { wsh_client_deflate_offer_index(client.0, &mut got) },
            OK
        );
        assert_eq!(got, index, "{element}");
        let params = client.deflate().unwrap();
        assert_eq!(params.server_max_window_bits, server_bits, "{element}");
        assert_eq!(
            params.client_no_context_takeover, client_takeover,
            "{element}"
        );
        assert_eq!(
            unsafe { wsh_client_deflate_offer_index(client.0, ptr::null_mut()) },
            WSH_NULL_POINTER
        );
    }
    // Declined: nothing to report.
    let client = Client::sample(&config);
    assert_eq!(client.feed(accepted_101("").as_bytes()).0, OK);
    let mut got = 7usize;
    assert_eq!(
        unsafe { wsh_client_deflate_offer_index(client.0, &mut got) },
        WSH_NOT_FOUND
    );
    assert_eq!(got, 7, "outputs are written only on success");
    // wsh_client_config_builder_permessage_deflate replaces every offer.
    let replaced = config_of("ws://h/", |b| {
        assert_eq!(b.deflate(&small), OK);
        assert_eq!(b.add_deflate(&default_offer()), OK);
        assert_eq!(b.deflate(&default_offer()), OK);
    });
    let request = String::from_utf8(Client::sample(&replaced).request()).unwrap();
    assert!(
        request.contains(
            "\r\nSec-WebSocket-Extensions: permessage-deflate; client_max_window_bits\r\n"
        )
    );
}
