//! # wshandshake
//!
//! A sans-I/O engine for the HTTP/1.1 `Upgrade` mechanism (RFC 9110 §7.8) and the
//! WebSocket opening handshake (RFC 6455 §4), with permessage-deflate negotiation
//! (RFC 7692). The caller owns sockets, threads, clocks and randomness: it feeds
//! bytes in and sends the bytes the engine writes.
//!
//! ```
//! use wshandshake::{respond, Outcome, ServerConfig, UpgradeTarget};
//!
//! let config = ServerConfig::builder().subprotocols(["chat"]).build().unwrap();
//! let request = b"GET /chat HTTP/1.1\r\nHost: server.example.com\r\n\
//!     Upgrade: websocket\r\nConnection: Upgrade\r\n\
//!     Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\
//!     Sec-WebSocket-Protocol: chat, superchat\r\nSec-WebSocket-Version: 13\r\n\r\n";
//! let mut out = [0u8; 512];
//! let r = respond(&config, request, &mut out).unwrap();
//! assert_eq!(r.outcome, Outcome::UpgradeRequest(UpgradeTarget::WebSocket));
//! assert_eq!(r.subprotocol, Some("chat"));
//! let response = &out[..r.response_len];
//! assert!(response.starts_with(b"HTTP/1.1 101 Switching Protocols\r\n"));
//! ```
//!
//! The client side is [`ClientConfig`] (URL, subprotocols, extensions, headers;
//! writes the opening request) and [`ClientHandshake`] (takes the server's
//! response in any chunking and reports `Accepted`, `Refused` or `Failed`); see
//! the [`client`] module.
//!
//! The engine is pure Rust without `unsafe`; the C ABI is the separate
//! `wshandshake-ffi` crate of this workspace.
#![forbid(unsafe_code)]
#![cfg_attr(
    not(test),
    deny(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::panic,
        clippy::indexing_slicing,
        clippy::arithmetic_side_effects
    )
)]
#![warn(missing_docs)]

pub mod accept_key;
mod byte_scan;
pub mod client;
pub mod client_config;
pub mod client_key;
pub mod error;
pub mod extended_connect;
pub mod extension_grammar;
pub mod head_scanner;
pub mod offer_index;
pub mod permessage_deflate;
pub mod request;
mod response_body;
pub mod response_head;
pub mod response_writer;
pub mod server;
pub mod server_config;
pub mod token_list;
pub mod ws_url;

pub use accept_key::accept_key;
pub use client::{ClientFeed, ClientHandshake, ClientOutcome};
pub use client_config::{ClientConfig, ClientConfigBuilder, ClientLimits, SubprotocolMode};
pub use client_key::ClientKey;
pub use error::{RequestError, ResponseError, UsageError};
pub use extended_connect::{
    ConnectClientOptions, ConnectClientRequest, ConnectError, ConnectOutcome, ConnectRequest,
    ConnectResponse,
};
pub use head_scanner::Limits;
pub use permessage_deflate::{ClientOffer, DeflateConfig, DeflateParams};
pub use request::RequestView;
pub use response_head::ResponseView;
pub use server::{
    AcceptOptions, Feed, NotUpgrade, Outcome, Response, ServerHandshake, SubprotocolChoice,
    UpgradeTarget, respond,
};
pub use server_config::{ServerConfig, ServerConfigBuilder, SubprotocolSelection};
pub use ws_url::{HostKind, WsUrl};

/// The README's Rust examples, compiled and run as doctests so they cannot rot.
#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
pub struct ReadmeDoctests;
