//! Helpers shared by the tests/ffi_*.rs suites: they call the exported C
//! functions exactly as C would, through raw pointers.
#![allow(dead_code, unsafe_code)]

use core::ptr;

use wshandshake_ffi::ffi::decision::wsh_decision;
use wshandshake_ffi::ffi::result::wsh_result;
use wshandshake_ffi::ffi::server::*;
use wshandshake_ffi::ffi::server_config::*;

/// The RFC 6455 section 1.3 sample request.
pub const RFC_REQUEST: &[u8] = include_bytes!("../fixtures/requests/rfc6455_sample.http");
/// A real Chromium request (subprotocols chat, superchat; permessage-deflate).
pub const CHROMIUM_REQUEST: &[u8] = include_bytes!("../fixtures/requests/chromium.http");
/// The accept value for the RFC sample key.
pub const RFC_ACCEPT: &[u8] = b"s3pPLMBiTxaQ9kYGzzhZRbK+xOo=";

pub const OK: wsh_result = wsh_result::WSH_OK;

/// A minimal valid WebSocket request with extra header lines.
pub fn ws_request(extra: &str) -> Vec<u8> {
    format!(
        "GET /chat HTTP/1.1\r\nHost: example.com\r\nUpgrade: websocket\r\n\
         Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\
         Sec-WebSocket-Version: 13\r\n{extra}\r\n"
    )
    .into_bytes()
}

/// Builds a config; `setup` calls setters on the builder and checks them.
pub fn config_with(setup: impl FnOnce(*mut wsh_server_config_builder)) -> Config {
    let builder = wsh_server_config_builder_new();
    assert!(!builder.is_null());
    setup(builder);
    let mut config = ptr::null();
    let r = unsafe { wsh_server_config_builder_build(builder, &mut config) };
    assert_eq!(r, OK);
    assert!(!config.is_null());
    Config(config)
}

/// A config owned by a test.
pub struct Config(pub *const wsh_server_config);

impl Drop for Config {
    fn drop(&mut self) {
        unsafe { wsh_server_config_free(self.0) }
    }
}

/// The default config.
pub fn default_config() -> Config {
    config_with(|_| {})
}

/// A config supporting subprotocol "chat" and permessage-deflate.
pub fn chat_config() -> Config {
    config_with(|b| unsafe {
        assert_eq!(
            wsh_server_config_builder_add_subprotocol(b, b"chat".as_ptr(), 4),
            OK
        );
        let mut deflate = core::mem::zeroed();
        assert_eq!(
            wshandshake_ffi::ffi::deflate::wsh_deflate_config_default(&mut deflate),
            OK
        );
        assert_eq!(
            wsh_server_config_builder_permessage_deflate(b, &deflate),
            OK
        );
    })
}

/// A server handle owned by a test.
pub struct Server(pub *mut wsh_server);

impl Server {
    pub fn new(config: &Config) -> Server {
        let mut server = ptr::null_mut();
        assert_eq!(unsafe { wsh_server_new(config.0, &mut server) }, OK);
        assert!(!server.is_null());
        Server(server)
    }

    /// Feeds bytes; returns (result, consumed, decision).
    pub fn feed(&self, data: &[u8]) -> (wsh_result, usize, wsh_decision) {
        let mut consumed = usize::MAX;
        let mut decision = wsh_decision::WSH_DECISION_NEED_MORE;
        let r = unsafe {
            wsh_server_feed(
                self.0,
                data.as_ptr(),
                data.len(),
                &mut consumed,
                &mut decision,
            )
        };
        (r, consumed, decision)
    }

    /// The pending response, copied.
    pub fn response(&self) -> Vec<u8> {
        let mut data = ptr::null();
        let mut len = 0;
        assert_eq!(
            unsafe { wsh_server_response(self.0, &mut data, &mut len) },
            OK
        );
        unsafe { view(data, len) }.to_vec()
    }

    /// Calls an accessor of the (data, len) shape.
    pub fn part(
        &self,
        f: unsafe extern "C" fn(*const wsh_server, *mut *const u8, *mut usize) -> wsh_result,
    ) -> Result<Vec<u8>, wsh_result> {
        let mut data = ptr::null();
        let mut len = 0;
        match unsafe { f(self.0, &mut data, &mut len) } {
            wsh_result::WSH_OK => Ok(unsafe { view(data, len) }.to_vec()),
            other => Err(other),
        }
    }

    pub fn reset(&self) {
        assert_eq!(unsafe { wsh_server_reset(self.0) }, OK);
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        unsafe { wsh_server_free(self.0) }
    }
}

/// A borrowed view as a slice.
///
/// # Safety
/// `(data, len)` is a live view returned by the library.
pub unsafe fn view<'a>(data: *const u8, len: usize) -> &'a [u8] {
    if len == 0 {
        &[]
    } else {
        unsafe { core::slice::from_raw_parts(data, len) }
    }
}

/// True when `response` has the header line `name: value` (exact bytes).
pub fn has_header(response: &[u8], line: &str) -> bool {
    let text = String::from_utf8_lossy(response);
    let head = text.split("\r\n\r\n").next().unwrap_or_default();
    head.split("\r\n").any(|l| l == line)
}

/// The committed header.
pub fn committed_header() -> String {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/include/wshandshake.h");
    std::fs::read_to_string(path).expect("include/wshandshake.h exists")
}

/// Names of the functions a C header declares (declarations start in column 0
/// and contain the opening parenthesis of their parameter list).
pub fn header_functions(header: &str) -> std::collections::BTreeSet<String> {
    header
        .lines()
        .filter(|l| l.starts_with(|c: char| c.is_ascii_alphabetic()) && !l.starts_with("typedef"))
        .filter_map(|l| {
            let before = &l[..l.find('(')?];
            let name = before.rsplit([' ', '*']).next()?;
            name.starts_with("wsh_").then(|| name.to_owned())
        })
        .collect()
}
