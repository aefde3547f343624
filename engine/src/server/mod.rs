//! The server side of the opening handshake: decide what a request head is,
//! then accept or reject it.
//!
//! Two ways in:
//! - [`respond`]: complete request bytes in, the whole response written into the
//!   caller's buffer, in one call, with the default policy;
//! - [`ServerHandshake`]: a reusable handle fed bytes in any chunking, whose
//!   request the application inspects before it accepts or rejects.
//!
//! Where things are:
//! - `handle.rs`: [`ServerHandshake`], its state and buffers;
//! - `field_index.rs`: the fields the handshake reads, found as the head is parsed;
//! - `checklist.rs`: RFC 6455 §4.2.1 and the server's policy, rule by rule;
//! - `h2c.rs`: the HTTP2-Settings rules of an h2c upgrade;
//! - `response.rs`: the 101, the ready rejections and custom rejections;
//! - `one_shot.rs`: [`respond`], the whole exchange in one call.

use crate::error::RequestError;
use crate::request::HeaderSpan;
use crate::request_parser::{Parse, RequestParser};
use crate::server_config::ServerConfig;
use field_index::Fields;

mod checklist;
mod field_index;
mod h2c;
mod handle;
mod one_shot;
mod response;

pub use h2c::decode_http2_settings;
pub use handle::{Feed, ServerHandshake};
pub use one_shot::{
    RespondProgress, Response, respond, respond_bytes, respond_resume, respond_resume_bytes,
};
#[cfg(feature = "extended-connect")]
pub(crate) use response::check_extra_extensions;

/// The first bytes of an HTTP/2 connection (RFC 9113 §3.4).
#[cfg(feature = "test-internals")]
pub(crate) const HTTP2_PREFACE: &[u8; 24] = b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n";

/// Why a complete head is not an upgrade this server performs; the host serves it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum NotUpgrade {
    /// An ordinary request without `Upgrade`.
    Plain,
    /// An HTTP/1.0 request: its Upgrade field is ignored (RFC 9110 §7.8).
    Http10,
    /// `Upgrade` names only protocols this server does not switch to.
    UnsupportedProtocol,
    /// The HTTP/2 connection preface: hand every byte to an HTTP/2 stack.
    Http2Preface,
}

/// The protocol a valid upgrade request switches to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum UpgradeTarget {
    /// The WebSocket protocol.
    WebSocket,
    /// The generic protocol at this index of [`ServerConfig::upgrade_protocols`].
    Other(usize),
}

/// What the engine decided about the bytes fed so far.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Outcome {
    /// The head is not complete yet.
    NeedMore,
    /// A valid upgrade request: inspect it, then accept or reject.
    UpgradeRequest(UpgradeTarget),
    /// An invalid request; the ready-made rejection is the response to send.
    Rejected(RequestError),
    /// Not an upgrade this server performs; serve it as ordinary HTTP.
    NotUpgrade(NotUpgrade),
}

/// Which subprotocol an accept selects.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SubprotocolChoice<'o> {
    /// The one the configured policy picked (or none).
    #[default]
    Policy,
    /// No subprotocol.
    None,
    /// This one; it must be among those the client offered.
    Named(&'o str),
}

/// How the application accepts an upgrade request.
#[derive(Debug, Clone, Copy, Default)]
pub struct AcceptOptions<'o> {
    /// The subprotocol to select.
    pub subprotocol: SubprotocolChoice<'o>,
    /// Decline permessage-deflate for this connection even if it was negotiated.
    pub decline_deflate: bool,
    /// Extra `Sec-WebSocket-Extensions` response elements for extensions the engine
    /// does not know: each one element in RFC 6455 §9.1 syntax, of an extension
    /// the client offered ([`crate::UsageError::ExtensionNotOffered`] otherwise), and
    /// not permessage-deflate, which the engine negotiates itself
    /// ([`crate::UsageError::ReservedExtension`]); each extension at most once
    /// ([`crate::UsageError::InvalidExtension`]).
    pub extensions: &'o [&'o str],
    /// Extra response headers (token names; values without CR, LF, NUL; not
    /// the handshake's own fields).
    pub headers: &'o [(&'o str, &'o [u8])],
}

/// How far the head has been read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum HeadRead {
    NeedMore,
    Rejected(RequestError),
    /// The head ends after this many bytes.
    Complete(usize),
}

/// Runs the request parser over `buf`, the head's bytes so far; `cut` means
/// more bytes were fed than the head limit let into `buf`. The one step the
/// one-shot call and the handle share: they differ only in where the bytes
/// are (the caller's input, the handle's buffer).
#[inline(always)]
fn read_head(
    parser: &mut RequestParser,
    buf: &[u8],
    cut: bool,
    spans: &mut [HeaderSpan],
    fields: &mut Fields,
    config: &ServerConfig,
) -> HeadRead {
    let limits = &config.limits;
    match parser.parse(buf, spans, fields, limits, config.line_rules) {
        Parse::Partial if cut || buf.len() > limits.max_head_bytes => {
            HeadRead::Rejected(RequestError::HeadTooLarge)
        }
        Parse::Partial => HeadRead::NeedMore,
        Parse::Error(e) => HeadRead::Rejected(e),
        Parse::Complete(n) => HeadRead::Complete(n),
    }
}
