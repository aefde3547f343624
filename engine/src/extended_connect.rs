//! WebSocket over HTTP/2 and HTTP/3: the extended CONNECT handshake
//! (RFC 8441, RFC 9220), both sides, over field lists.
//!
//! The host's HTTP/2 or HTTP/3 stack (nghttp2, h2, quiche, ...) owns frames,
//! HPACK/QPACK and streams; this module sees only a stream's decoded header
//! fields as `(name, value)` byte pairs, and produces the fields to send in the
//! same form. The stack must advertise [`SETTINGS_ENABLE_CONNECT_PROTOCOL`] = 1
//! (HTTP/2) or [`H3_SETTINGS_ENABLE_CONNECT_PROTOCOL`] = 1 (HTTP/3) before a
//! client may send an extended CONNECT.
//!
//! Server: [`analyze_request`] tells a WebSocket request ([`ConnectRequest`])
//! from an invalid one ([`ConnectError`], with [`rejection`] to answer it) and
//! from everything else ([`NotWebSocket`]). [`ConnectRequest::accept`] takes the
//! HTTP/1.1 [`AcceptOptions`](crate::AcceptOptions) and applies the same
//! [`ServerConfig`](crate::ServerConfig) policy (origins, subprotocol selection,
//! permessage-deflate) as the HTTP/1.1 handshake. There is no key and no accept:
//! `:protocol` replaces them (RFC 8441 §5).
//!
//! Client: [`ConnectClientRequest`] builds the request fields and judges the
//! response with [`ConnectClientRequest::check_response`].
//!
//! Output lists are copied into one caller buffer, the pairs written into a
//! caller array ([`ConnectResponse::write`]) or handed to a closure
//! (`write_each`), with no allocation; `to_vec` returns owned pairs instead.
//!
//! ```
//! use wshandshake::extended_connect::{analyze_request, ConnectOutcome};
//! use wshandshake::{AcceptOptions, ServerConfig};
//!
//! let config = ServerConfig::builder().subprotocols(["chat"]).build().unwrap();
//! let request: &[(&[u8], &[u8])] = &[
//!     (b":method", b"CONNECT"),
//!     (b":protocol", b"websocket"),
//!     (b":scheme", b"https"),
//!     (b":path", b"/chat"),
//!     (b":authority", b"server.example.com"),
//!     (b"sec-websocket-protocol", b"chat, superchat"),
//!     (b"sec-websocket-version", b"13"),
//! ];
//! let ConnectOutcome::WebSocket(req) = analyze_request(&config, request) else {
//!     panic!("not accepted")
//! };
//! let response = req.accept(&AcceptOptions::default()).unwrap();
//! let mut buf = [0u8; 256];
//! let mut fields = [(&[][..], &[][..]); 8];
//! let n = response.write(&mut buf, &mut fields).unwrap();
//! assert_eq!(
//!     &fields[..n],
//!     &[(&b":status"[..], &b"200"[..]), (b"sec-websocket-protocol", b"chat")]
//! );
//! ```
//!
//! Decisions where the RFCs leave room:
//! - A version other than 13 gets **400** with `sec-websocket-version: 13`, not
//!   RFC 6455's suggested 426: a 426 must carry `Upgrade` (RFC 9110 §15.5.22),
//!   a connection-specific field that HTTP/2 and HTTP/3 forbid.
//! - `sec-websocket-key` and `sec-websocket-accept` in a request are refused:
//!   RFC 8441 §5 says they are not processed, and their presence means a request
//!   built for HTTP/1.1.
//! - `:protocol` is compared ASCII case-insensitively, like upgrade tokens.
//! - The client takes any 2xx as success (RFC 9110 §9.3.6); the server always
//!   sends 200.

mod client;
mod connect_error;
mod field_output;
pub mod field_rules;
mod server;

pub use client::{
    ConnectClientOptions, ConnectClientRequest, ConnectEstablished, ConnectResponseError,
    ConnectResponseOutcome,
};
pub use connect_error::ConnectError;
pub use server::{
    ConnectOutcome, ConnectRequest, ConnectResponse, NotWebSocket, analyze_request, reject,
    rejection,
};

/// One header field as `(name, value)` bytes, the form HTTP/2 and HTTP/3 stacks
/// hand over and take.
pub type Field<'a> = (&'a [u8], &'a [u8]);

/// The HTTP/2 setting a server sends with value 1 to allow extended CONNECT
/// (RFC 8441 §3).
pub const SETTINGS_ENABLE_CONNECT_PROTOCOL: u16 = 0x08;

/// The HTTP/3 setting with the same meaning and number (RFC 9220 §3).
pub const H3_SETTINGS_ENABLE_CONNECT_PROTOCOL: u64 = 0x08;

/// The value that enables extended CONNECT.
pub const ENABLE_CONNECT_PROTOCOL: u32 = 1;

/// The `:protocol` value for WebSocket.
pub const PROTOCOL: &str = "websocket";

/// The `:scheme` of an extended CONNECT for WebSocket.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Scheme {
    /// `http`, for a `ws` URI.
    Http,
    /// `https`, for a `wss` URI.
    #[default]
    Https,
}

impl Scheme {
    /// `http` or `https`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Scheme::Http => "http",
            Scheme::Https => "https",
        }
    }

    /// Parses `http` or `https` (ASCII case-insensitive).
    pub fn from_bytes(value: &[u8]) -> Option<Scheme> {
        if value.eq_ignore_ascii_case(b"https") {
            Some(Scheme::Https)
        } else if value.eq_ignore_ascii_case(b"http") {
            Some(Scheme::Http)
        } else {
            None
        }
    }
}
