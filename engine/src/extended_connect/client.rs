//! The client side: build the extended CONNECT field list, then judge the
//! server's response field list.

use core::fmt;

use crate::error::UsageError;
use crate::extension_grammar::{self, Extensions};
use crate::permessage_deflate::{self, ClientOffer, DeflateParams};
use crate::token_list::is_token;

use super::field_output::{EmitFields, FieldWriter, field_output_methods};
use super::field_rules::{
    check_app_fields, is_connection_specific, is_valid_authority, is_valid_name, is_valid_origin,
    is_valid_path, is_valid_value,
};
use super::server::{text, values};
use super::{Field, PROTOCOL, Scheme};

/// What the client asks for. Check and freeze it with [`ConnectClientRequest::new`].
#[derive(Debug, Clone, Copy)]
pub struct ConnectClientOptions<'a> {
    /// `https` for a `wss` URI, `http` for `ws` (default https).
    pub scheme: Scheme,
    /// `host[:port]` of the WebSocket URI, without userinfo (required).
    pub authority: &'a str,
    /// Path and query of the WebSocket URI, starting with `/` (default `/`).
    pub path: &'a str,
    /// Subprotocols to offer, in order of preference (unique tokens).
    pub subprotocols: &'a [&'a str],
    /// The permessage-deflate offers, in the client's order of preference
    /// (RFC 7692 §5.1; empty for none): the server accepts the first it
    /// supports, and [`ConnectEstablished::deflate_offer_index`] says which.
    pub deflate: &'a [ClientOffer],
    /// The `origin` field, e.g. `https://example.com` (browsers always send one).
    pub origin: Option<&'a str>,
    /// Extra fields (token names, lowercased on output; safe values; not the
    /// handshake's own fields, `host`, `content-length` or connection-specific ones).
    pub headers: &'a [(&'a str, &'a [u8])],
}

impl Default for ConnectClientOptions<'_> {
    fn default() -> Self {
        ConnectClientOptions {
            scheme: Scheme::Https,
            authority: "",
            path: "/",
            subprotocols: &[],
            deflate: &[],
            origin: None,
            headers: &[],
        }
    }
}

/// Names the request writes itself or that an extended CONNECT must not carry.
const REQUEST_RESERVED: &[&str] = &[
    "host",
    "origin",
    "content-length",
    "sec-websocket-key",
    "sec-websocket-accept",
    "sec-websocket-version",
    "sec-websocket-protocol",
    "sec-websocket-extensions",
];

/// A checked extended CONNECT request: writes its field list and judges the
/// response. Holds only borrowed options; allocates nothing.
#[derive(Debug, Clone, Copy)]
pub struct ConnectClientRequest<'a> {
    opts: ConnectClientOptions<'a>,
}

impl EmitFields for ConnectClientRequest<'_> {
    fn emit<S: FieldWriter>(&self, sink: &mut S) {
        let o = &self.opts;
        sink.field(b":method", b"CONNECT");
        sink.field(b":protocol", PROTOCOL.as_bytes());
        sink.field(b":scheme", o.scheme.as_str().as_bytes());
        sink.field(b":path", o.path.as_bytes());
        sink.field(b":authority", o.authority.as_bytes());
        if !o.subprotocols.is_empty() {
            sink.name(b"sec-websocket-protocol", false);
            for (i, p) in o.subprotocols.iter().enumerate() {
                if i > 0 {
                    sink.value(b", ");
                }
                sink.value(p.as_bytes());
            }
            sink.end();
        }
        if !o.deflate.is_empty() {
            sink.name(b"sec-websocket-extensions", false);
            for (i, offer) in o.deflate.iter().enumerate() {
                if i > 0 {
                    sink.value(b", ");
                }
                offer.write(|b| sink.value(b));
            }
            sink.end();
        }
        sink.field(b"sec-websocket-version", b"13");
        if let Some(origin) = o.origin {
            sink.field(b"origin", origin.as_bytes());
        }
        for (name, value) in o.headers {
            sink.name(name.as_bytes(), true);
            sink.value(value);
            sink.end();
        }
    }
}

impl<'a> ConnectClientRequest<'a> {
    /// Checks the options: [`UsageError::InvalidUrl`] for a bad authority or path,
    /// [`UsageError::InvalidHeaderValue`] for a subprotocol that is not a token or
    /// is repeated, or a bad origin, [`UsageError::InvalidConfig`] for a deflate
    /// offer out of range or offered twice (the second could never be chosen),
    /// and the header errors for a bad extra field.
    pub fn new(opts: &ConnectClientOptions<'a>) -> Result<Self, UsageError> {
        if !is_valid_authority(opts.authority.as_bytes()) || !is_valid_path(opts.path.as_bytes()) {
            return Err(UsageError::InvalidUrl);
        }
        for (i, p) in opts.subprotocols.iter().enumerate() {
            let earlier = opts.subprotocols.get(..i).unwrap_or_default();
            if !is_token(p.as_bytes()) || earlier.contains(p) {
                return Err(UsageError::InvalidHeaderValue);
            }
        }
        for (i, offer) in opts.deflate.iter().enumerate() {
            let earlier = opts.deflate.get(..i).unwrap_or_default();
            if !offer.is_valid() || earlier.contains(offer) {
                return Err(UsageError::InvalidConfig);
            }
        }
        if opts.origin.is_some_and(|o| !is_valid_origin(o.as_bytes())) {
            return Err(UsageError::InvalidHeaderValue);
        }
        check_app_fields(opts.headers, REQUEST_RESERVED)?;
        Ok(ConnectClientRequest { opts: *opts })
    }

    /// The options this request was built from.
    pub fn options(&self) -> &ConnectClientOptions<'a> {
        &self.opts
    }

    field_output_methods!(", pseudo-header fields first");

    /// Judges the server's response field list (as the host's stack decoded it).
    ///
    /// Any 2xx accepts (RFC 9110 §9.3.6: a 2xx to CONNECT switches the stream to
    /// tunnel mode; RFC 8441 servers send 200): the subprotocol must be one
    /// offered, and the extensions among those offered with parameters
    /// [`ClientOffer::check_response`] accepts. A 1xx other than 101 is interim
    /// (wait for the final response); 3xx-5xx refuse. A malformed list is an error
    /// whatever its status.
    pub fn check_response<'r>(
        &self,
        fields: &'r [Field<'r>],
    ) -> Result<ConnectResponseOutcome<'r>, ConnectResponseError> {
        let status = check_response_structure(fields)?;
        match status {
            100..=199 => return Ok(ConnectResponseOutcome::Interim { status }),
            200..=299 => {}
            _ => return Ok(ConnectResponseOutcome::Refused { status }),
        }
        let mut protocols = values(fields, b"sec-websocket-protocol");
        let subprotocol = match (protocols.next(), protocols.next()) {
            (None, _) => None,
            (Some(_), Some(_)) => return Err(ConnectResponseError::DuplicateSubprotocol),
            (Some(p), None) => {
                if !self.opts.subprotocols.iter().any(|o| o.as_bytes() == p) {
                    return Err(ConnectResponseError::SubprotocolNotOffered);
                }
                Some(text(p))
            }
        };
        let mut deflate = None;
        for v in values(fields, b"sec-websocket-extensions") {
            extension_grammar::validate(v)
                .map_err(|_| ConnectResponseError::InvalidExtensionList)?;
            for ext in Extensions::new(v) {
                if self.opts.deflate.is_empty()
                    || !ext.name().eq_ignore_ascii_case(permessage_deflate::NAME)
                {
                    return Err(ConnectResponseError::ExtensionNotOffered);
                }
                if deflate.is_some() {
                    return Err(ConnectResponseError::DuplicateExtension);
                }
                deflate = Some(
                    permessage_deflate::match_response(self.opts.deflate, &ext)
                        .map_err(ConnectResponseError::Deflate)?,
                );
            }
        }
        Ok(ConnectResponseOutcome::Accepted(ConnectEstablished {
            status,
            subprotocol,
            deflate: deflate.map(|(_, params)| params),
            deflate_offer_index: deflate.map(|(index, _)| index),
        }))
    }
}

/// Parses a `:status` value: three digits, 100..=599, not 101 (HTTP/2 and
/// HTTP/3 have no 101, RFC 9113 §8.6, RFC 9114 §4.6).
fn parse_status(value: &[u8]) -> Option<u16> {
    let [a, b, c] = value else { return None };
    if !(a.is_ascii_digit() && b.is_ascii_digit() && c.is_ascii_digit()) {
        return None;
    }
    let digit = |d: u8| u16::from(d.wrapping_sub(b'0'));
    let status = digit(*a)
        .saturating_mul(100)
        .saturating_add(digit(*b).saturating_mul(10))
        .saturating_add(digit(*c));
    ((100..=599).contains(&status) && status != 101).then_some(status)
}

/// Checks the field rules every response follows and returns its status.
fn check_response_structure(fields: &[Field<'_>]) -> Result<u16, ConnectResponseError> {
    let mut status = None;
    let mut regular_seen = false;
    for &(name, value) in fields {
        if name.first() == Some(&b':') {
            if regular_seen {
                return Err(ConnectResponseError::MisplacedPseudoHeader);
            }
            if name != b":status" {
                return Err(ConnectResponseError::UnknownPseudoHeader);
            }
            if status.is_some() {
                return Err(ConnectResponseError::DuplicatePseudoHeader);
            }
            status = Some(parse_status(value).ok_or(ConnectResponseError::InvalidStatus)?);
        } else {
            regular_seen = true;
            if !is_valid_name(name) {
                return Err(ConnectResponseError::InvalidFieldName);
            }
            if is_connection_specific(name, value) {
                return Err(ConnectResponseError::ConnectionSpecificField);
            }
        }
        if !is_valid_value(value) {
            return Err(ConnectResponseError::InvalidFieldValue);
        }
    }
    status.ok_or(ConnectResponseError::MissingStatus)
}

/// What the server's response means.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConnectResponseOutcome<'r> {
    /// A 2xx: the stream now carries WebSocket frames.
    Accepted(ConnectEstablished<'r>),
    /// A 3xx, 4xx or 5xx: no WebSocket. The caller still has the fields (and
    /// the stream's body) to show or act on, e.g. a 401's `www-authenticate`.
    Refused {
        /// The `:status`.
        status: u16,
    },
    /// An informational 1xx (not 101): the final response is still to come.
    Interim {
        /// The `:status`.
        status: u16,
    },
}

/// What an accepted extended CONNECT agreed on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ConnectEstablished<'r> {
    /// The `:status` (200 from an RFC 8441 server).
    pub status: u16,
    /// The subprotocol the server selected, borrowed from its fields.
    pub subprotocol: Option<&'r str>,
    /// The permessage-deflate parameters, for the framing layer.
    pub deflate: Option<DeflateParams>,
    /// Which of [`ConnectClientOptions::deflate`] the server accepted: the
    /// response does not name it, so it is the first offer the response is a
    /// valid answer to.
    pub deflate_offer_index: Option<usize>,
}

/// Why a response field list is not acceptable: the client must fail the
/// WebSocket connection (and reset the stream).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ConnectResponseError {
    /// A field name is empty, not a token, or has uppercase letters.
    InvalidFieldName,
    /// A field value holds NUL, CR or LF, or starts or ends with SP or HTAB.
    InvalidFieldValue,
    /// A pseudo-header field after a regular field.
    MisplacedPseudoHeader,
    /// A pseudo-header field other than `:status`.
    UnknownPseudoHeader,
    /// `:status` more than once.
    DuplicatePseudoHeader,
    /// No `:status`.
    MissingStatus,
    /// `:status` is not three digits in 100..=599, or is 101.
    InvalidStatus,
    /// A connection-specific field.
    ConnectionSpecificField,
    /// More than one `sec-websocket-protocol`.
    DuplicateSubprotocol,
    /// The selected subprotocol was not offered (or none was offered).
    SubprotocolNotOffered,
    /// `sec-websocket-extensions` does not follow RFC 6455 §9.1.
    InvalidExtensionList,
    /// An extension that was not offered.
    ExtensionNotOffered,
    /// permessage-deflate accepted more than once.
    DuplicateExtension,
    /// The permessage-deflate parameters do not fit the offer.
    Deflate(permessage_deflate::ResponseError),
}

impl ConnectResponseError {
    /// A short, fixed description.
    pub const fn description(self) -> &'static str {
        use ConnectResponseError::*;
        match self {
            InvalidFieldName => "invalid field name",
            InvalidFieldValue => "invalid field value",
            MisplacedPseudoHeader => "pseudo-header field after a regular field",
            UnknownPseudoHeader => "unknown pseudo-header field in a response",
            DuplicatePseudoHeader => "duplicate :status",
            MissingStatus => "missing :status",
            InvalidStatus => "invalid :status",
            ConnectionSpecificField => "connection-specific field",
            DuplicateSubprotocol => "duplicate sec-websocket-protocol",
            SubprotocolNotOffered => "subprotocol not offered",
            InvalidExtensionList => "invalid sec-websocket-extensions",
            ExtensionNotOffered => "extension not offered",
            DuplicateExtension => "extension accepted twice",
            Deflate(_) => "permessage-deflate parameters do not fit the offer",
        }
    }
}

impl fmt::Display for ConnectResponseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.description())
    }
}

impl core::error::Error for ConnectResponseError {}
