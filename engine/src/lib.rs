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
//! The server side is [`respond`] (one call: request bytes in, response bytes
//! out, no allocation) and [`ServerHandshake`] (a reusable handle: feed bytes
//! in any chunking, inspect the [`RequestView`], then [`accept`] or [`reject`]).
//! Both take a [`ServerConfig`], built once and shared.
//!
//! The client side is [`ClientConfig`] (URL, subprotocols, extensions, headers;
//! writes the opening request) and [`ClientHandshake`] (takes the server's
//! response in any chunking and reports `Accepted`, `Refused` or `Failed`).
//! WebSocket over HTTP/2 and HTTP/3 field lists is the [`extended_connect`]
//! module.
//!
//! # `no_std`
//!
//! The crate is `#![no_std]` and needs only `alloc` (configs and handles
//! allocate once, when built; a handshake allocates nothing). It builds for
//! bare-metal targets such as `thumbv7em-none-eabihf` with
//! `default-features = false`.
//!
//! # Features
//!
//! - `client` (default): the client side ([`ClientConfig`], [`ClientHandshake`],
//!   [`ClientKey`], [`WsUrl`]) and the extended CONNECT client.
//! - `extended-connect` (default): the [`extended_connect`] module (RFC 8441,
//!   RFC 9220).
//! - `getrandom` (default; implies `client`): `ClientKey::random` and
//!   `ClientHandshake::new`, keys from the operating system's random source.
//!   Without it, pass 16 random bytes of your own to [`ClientKey::from_nonce`]
//!   and [`ClientHandshake::with_key`].
//!
//! The server side is always there. The engine is pure Rust without `unsafe`;
//! the C library is the separate `wshandshake-ffi` crate of this workspace.
//!
//! [`accept`]: ServerHandshake::accept
//! [`reject`]: ServerHandshake::reject
#![cfg_attr(not(test), no_std)]
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
#![warn(unreachable_pub)]

extern crate alloc;

mod accept_key;
mod buffers;
mod byte_scan;
#[cfg(feature = "client")]
mod client;
#[cfg(feature = "client")]
mod client_config;
#[cfg(feature = "client")]
mod client_key;
mod error;
#[cfg(feature = "extended-connect")]
pub mod extended_connect;
mod extension_grammar;
mod grammar_work;
mod head_scanner;
mod host;
#[cfg(feature = "test-internals")]
#[doc(hidden)]
pub mod internals;
mod offer_index;
mod permessage_deflate;
mod request;
mod request_parser;
#[cfg(feature = "client")]
mod response_body;
#[cfg(feature = "client")]
mod response_head;
mod response_writer;
mod server;
mod server_config;
mod token_list;
#[cfg(feature = "client")]
mod ws_url;

pub use accept_key::{ACCEPT_LEN, KEY_LEN, accept_key};
pub use buffers::{FieldSlot, HandleBuffers};
#[cfg(feature = "client")]
pub use client::{ClientFeed, ClientHandshake, ClientOutcome};
#[cfg(feature = "client")]
pub use client_config::{ClientConfig, ClientConfigBuilder, ClientLimits, SubprotocolMode};
#[cfg(feature = "client")]
pub use client_key::ClientKey;
#[cfg(feature = "client")]
pub use error::ResponseError;
pub use error::{RequestError, UsageError};
#[cfg(feature = "extended-connect")]
pub use extended_connect::{
    ConnectClientOptions, ConnectClientRequest, ConnectError, ConnectOutcome, ConnectRequest,
    ConnectResponse,
};
pub use extension_grammar::{Extension, Param, ParamValue, Params};
pub use head_scanner::Limits;
pub use offer_index::OfferIndex;
pub use permessage_deflate::{
    ClientOffer, DeflateConfig, DeflateParams, ResponseError as DeflateResponseError,
};
pub use request::{ExtensionOffers, HeaderValues, ListElements, RequestView};
#[cfg(feature = "client")]
pub use response_head::ResponseView;
pub use server::{
    AcceptOptions, Feed, NotUpgrade, Outcome, RespondProgress, Response, ServerHandshake,
    SubprotocolChoice, UpgradeTarget, decode_http2_settings, respond, respond_resume,
};
/// The one-shot calls with the subprotocol as bytes, for the C library's
/// `wsh_respond` and `wsh_respond_resume`: not API.
#[doc(hidden)]
pub use server::{respond_bytes, respond_resume_bytes};
pub use server_config::{ServerConfig, ServerConfigBuilder, SubprotocolSelection};
#[cfg(feature = "client")]
pub use ws_url::{HostKind, WsUrl};

/// This crate's README (its crates.io page): the examples are compiled and run
/// as doctests so they cannot rot.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;
