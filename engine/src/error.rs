//! Error types: what a peer did wrong (with the HTTP status to answer with) and
//! what a caller did wrong.

use core::fmt;

/// Why a request head was refused. Every variant maps to the HTTP status that the
/// engine's ready-made rejection carries ([`RequestError::status`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum RequestError {
    /// The head is larger than the configured limit (431).
    HeadTooLarge,
    /// More header fields than the configured limit (431).
    TooManyHeaders,
    /// One header line is longer than the configured limit (431).
    HeaderLineTooLong,
    /// The request line is longer than the configured limit (414).
    RequestLineTooLong,
    /// The head does not follow the HTTP/1.1 message syntax (400).
    MalformedHead,
    /// A line ends in a bare LF and lenient line ends are off (400).
    BareLineFeed,
    /// A CR not followed by LF (400).
    BareCarriageReturn,
    /// An obsolete line folding and lenient unfolding is off (400).
    ObsoleteLineFolding,
    /// The request is a WebSocket upgrade but its method is not GET (405).
    MethodNotAllowed,
    /// No Host field and lenient Host is off (400).
    MissingHost,
    /// More than one Host field (400).
    DuplicateHost,
    /// `Upgrade: websocket` without `upgrade` in the Connection list (400).
    MissingConnectionUpgrade,
    /// A Host value that is not `host [ ":" port ]` (RFC 9112 §3.2 requires a
    /// 400 for it) (400).
    InvalidHost,
    /// An upgrade request whose target is neither origin-form (`/chat?x`) nor
    /// absolute-form (`http://host/chat`), or carries a fragment: asterisk-form
    /// is for OPTIONS and authority-form for CONNECT (RFC 9112 §3.2), and a
    /// WebSocket URI has no fragment (RFC 6455 §3) (400).
    InvalidTarget,
    /// No `Sec-WebSocket-Key` (400).
    MissingKey,
    /// More than one `Sec-WebSocket-Key` (400).
    DuplicateKey,
    /// The key is not the base64 encoding of 16 bytes (400).
    InvalidKey,
    /// No `Sec-WebSocket-Version` (426: the answer names the version we speak).
    MissingVersion,
    /// More than one `Sec-WebSocket-Version` (400).
    DuplicateVersion,
    /// A version other than 13 (426 with `Sec-WebSocket-Version: 13`).
    UnsupportedVersion,
    /// More than one Origin field (400).
    DuplicateOrigin,
    /// The Origin is not in the allow-list, or is `null` while a list is set (403).
    OriginNotAllowed,
    /// `Sec-WebSocket-Protocol` is not a list of tokens (400).
    InvalidSubprotocolList,
    /// A subprotocol is required and none offered is supported (400).
    NoSubprotocolMatch,
    /// `Sec-WebSocket-Extensions` does not follow RFC 6455 §9.1 (400).
    InvalidExtensionList,
    /// An upgrade request that carries a body (Transfer-Encoding or a non-zero
    /// Content-Length), which could smuggle bytes past the switch (400).
    RequestHasBody,
    /// An invalid or duplicated Content-Length (400).
    InvalidContentLength,
}

impl RequestError {
    /// The HTTP status code the rejection carries.
    pub const fn status(self) -> u16 {
        use RequestError::*;
        match self {
            HeadTooLarge | TooManyHeaders | HeaderLineTooLong => 431,
            RequestLineTooLong => 414,
            MethodNotAllowed => 405,
            MissingVersion | UnsupportedVersion => 426,
            OriginNotAllowed => 403,
            MalformedHead
            | BareLineFeed
            | BareCarriageReturn
            | ObsoleteLineFolding
            | MissingHost
            | DuplicateHost
            | InvalidHost
            | InvalidTarget
            | MissingConnectionUpgrade
            | MissingKey
            | DuplicateKey
            | InvalidKey
            | DuplicateVersion
            | DuplicateOrigin
            | InvalidSubprotocolList
            | NoSubprotocolMatch
            | InvalidExtensionList
            | RequestHasBody
            | InvalidContentLength => 400,
        }
    }

    /// A short, fixed description, used as the rejection's text body.
    pub const fn description(self) -> &'static str {
        use RequestError::*;
        match self {
            HeadTooLarge => "request head too large",
            TooManyHeaders => "too many header fields",
            HeaderLineTooLong => "header line too long",
            RequestLineTooLong => "request line too long",
            MalformedHead => "malformed request head",
            BareLineFeed => "line ends in a bare LF",
            BareCarriageReturn => "bare CR in request head",
            ObsoleteLineFolding => "obsolete line folding",
            MethodNotAllowed => "WebSocket upgrade requires GET",
            MissingHost => "missing Host",
            DuplicateHost => "duplicate Host",
            InvalidHost => "invalid Host",
            InvalidTarget => "request target is not origin-form or absolute-form",
            MissingConnectionUpgrade => "Connection does not list upgrade",
            MissingKey => "missing Sec-WebSocket-Key",
            DuplicateKey => "duplicate Sec-WebSocket-Key",
            InvalidKey => "Sec-WebSocket-Key is not 16 bytes of base64",
            MissingVersion => "missing Sec-WebSocket-Version",
            DuplicateVersion => "duplicate Sec-WebSocket-Version",
            UnsupportedVersion => "unsupported Sec-WebSocket-Version",
            DuplicateOrigin => "duplicate Origin",
            OriginNotAllowed => "origin not allowed",
            InvalidSubprotocolList => "invalid Sec-WebSocket-Protocol",
            NoSubprotocolMatch => "no supported subprotocol offered",
            InvalidExtensionList => "invalid Sec-WebSocket-Extensions",
            RequestHasBody => "upgrade request with a body",
            InvalidContentLength => "invalid Content-Length",
        }
    }
}

impl fmt::Display for RequestError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({})", self.description(), self.status())
    }
}

impl core::error::Error for RequestError {}

/// Misuse of the API by the caller: nothing a peer sent causes these.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum UsageError {
    /// The call is not valid in the handshake's current state.
    WrongState,
    /// A header name is not a token.
    InvalidHeaderName,
    /// A header value contains CR, LF, NUL or another control byte.
    InvalidHeaderValue,
    /// The header is one the handshake writes itself and may not be overridden.
    ReservedHeader,
    /// The chosen subprotocol was not offered by the client.
    SubprotocolNotOffered,
    /// The status is not allowed here (a rejection takes 300..=599, the answer
    /// to a request that is not an upgrade 200..=599).
    InvalidStatus,
    /// An extension response element does not follow RFC 6455 §9.1.
    InvalidExtension,
    /// An extension response element names an extension the client did not
    /// offer (RFC 6455 §9.1: the server answers only offered extensions).
    ExtensionNotOffered,
    /// An extension response element names permessage-deflate, which the
    /// engine negotiates itself (configure it, or decline it at accept).
    ReservedExtension,
    /// A body for a response HTTP allows no content in (204, 304; RFC 9110
    /// §15.3.5, §15.4.5).
    BodyNotAllowed,
    /// The output does not fit in the buffer; `needed` bytes are required.
    BufferTooSmall {
        /// Size the buffer must have.
        needed: usize,
    },
    /// A caller's field array holds fewer entries than the field list needs
    /// (extended CONNECT output); `needed` entries are required.
    FieldArrayTooSmall {
        /// Entries the array must have.
        needed: usize,
    },
    /// A configuration value is out of its allowed range.
    InvalidConfig,
    /// An index is out of range.
    OutOfRange,
    /// A URL is not a valid `ws://` or `wss://` URL.
    InvalidUrl,
    /// The operating system's random source failed.
    RandomSourceFailed,
    /// An `Origin` value is not `null` or a serialized origin (`scheme://host[:port]`).
    InvalidOrigin,
    /// An offered subprotocol is not a token.
    InvalidSubprotocol,
    /// The same subprotocol is offered twice.
    DuplicateSubprotocol,
}

impl UsageError {
    /// A short, fixed description.
    pub const fn description(self) -> &'static str {
        use UsageError::*;
        match self {
            WrongState => "call not valid in the current state",
            InvalidHeaderName => "header name is not a token",
            InvalidHeaderValue => "header value contains a forbidden byte",
            ReservedHeader => "header is written by the handshake itself",
            SubprotocolNotOffered => "subprotocol was not offered by the client",
            InvalidStatus => "status code not allowed here",
            InvalidExtension => "invalid extension element",
            ExtensionNotOffered => "extension was not offered by the client",
            ReservedExtension => "permessage-deflate is negotiated by the handshake itself",
            BodyNotAllowed => "a response with this status has no body",
            BufferTooSmall { .. } => "buffer too small",
            FieldArrayTooSmall { .. } => "field array too small",
            InvalidConfig => "configuration value out of range",
            OutOfRange => "index out of range",
            InvalidUrl => "invalid WebSocket URL",
            RandomSourceFailed => "random source failed",
            InvalidOrigin => "invalid Origin value",
            InvalidSubprotocol => "subprotocol is not a token",
            DuplicateSubprotocol => "subprotocol offered twice",
        }
    }
}

impl fmt::Display for UsageError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            UsageError::BufferTooSmall { needed } => {
                write!(f, "buffer too small: {needed} bytes needed")
            }
            UsageError::FieldArrayTooSmall { needed } => {
                write!(f, "field array too small: {needed} entries needed")
            }
            other => f.write_str(other.description()),
        }
    }
}

impl core::error::Error for UsageError {}

/// Why a server's response to the opening request fails the handshake (RFC 6455
/// §4.1): what the server did wrong, one variant per rule. A well-formed refusal
/// (a non-101 final response) is not an error.
#[cfg(feature = "client")]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ResponseError {
    /// The head does not follow the HTTP/1.1 message syntax (bare LF, obs-fold,
    /// bad status line, bad field line...).
    MalformedHead,
    /// The head is larger than the configured limit.
    HeadTooLarge,
    /// More header fields than the configured limit.
    TooManyHeaders,
    /// A status code outside 100..=599.
    InvalidStatus,
    /// A 101 response in a version other than HTTP/1.1.
    InvalidVersion,
    /// A 101 whose `Upgrade` list does not contain `websocket`.
    MissingUpgrade,
    /// A 101 whose `Connection` list does not contain `upgrade`.
    MissingConnectionUpgrade,
    /// A 101 without `Sec-WebSocket-Accept`.
    MissingAccept,
    /// A 101 with more than one `Sec-WebSocket-Accept`.
    DuplicateAccept,
    /// `Sec-WebSocket-Accept` does not match the key sent.
    WrongAccept,
    /// The server selected a subprotocol the client did not offer.
    UnexpectedSubprotocol,
    /// Subprotocols were offered, none was selected, and the client is in
    /// browser mode.
    MissingSubprotocol,
    /// More than one `Sec-WebSocket-Protocol` field, or more than one value.
    DuplicateSubprotocol,
    /// `Sec-WebSocket-Extensions` does not follow RFC 6455 §9.1.
    InvalidExtensions,
    /// The server accepted an extension the client did not offer.
    UnexpectedExtension,
    /// The server accepted the same extension twice.
    DuplicateExtension,
    /// permessage-deflate: an unknown, duplicated or malformed parameter.
    InvalidDeflateParameter,
    /// permessage-deflate: `client_max_window_bits` in the response although the
    /// offer did not allow it, or without a value (RFC 7692 §7.1.2.2).
    UnexpectedClientWindowBits,
    /// permessage-deflate: a window larger than the offer allowed.
    DeflateWindowTooLarge,
    /// permessage-deflate: the offer asked for `server_no_context_takeover` and
    /// the response lacks it.
    MissingServerNoContextTakeover,
    /// permessage-deflate: the offer carried `server_max_window_bits` and the
    /// response lacks it (RFC 7692 §7.1.2.1), so the server never agreed to the
    /// window the client would size its decompressor for.
    MissingServerMaxWindowBits,
    /// A refusal with an invalid or repeated `Content-Length`.
    InvalidContentLength,
    /// A refusal whose chunked body does not follow RFC 9112 §7.1.
    InvalidChunkedBody,
    /// A refusal whose body is larger than the configured limit. The head is
    /// still available for inspection.
    BodyTooLarge,
    /// The connection ended before the response head was complete.
    IncompleteHead,
    /// The connection ended before the refusal's body was complete.
    IncompleteBody,
}

#[cfg(feature = "client")]
impl ResponseError {
    /// A short, fixed description.
    pub const fn description(self) -> &'static str {
        use ResponseError::*;
        match self {
            MalformedHead => "malformed response head",
            HeadTooLarge => "response head too large",
            TooManyHeaders => "too many header fields in response",
            InvalidStatus => "invalid status code",
            InvalidVersion => "101 response not in HTTP/1.1",
            MissingUpgrade => "Upgrade does not list websocket",
            MissingConnectionUpgrade => "Connection does not list upgrade",
            MissingAccept => "missing Sec-WebSocket-Accept",
            DuplicateAccept => "duplicate Sec-WebSocket-Accept",
            WrongAccept => "Sec-WebSocket-Accept does not match the key",
            UnexpectedSubprotocol => "server selected a subprotocol not offered",
            MissingSubprotocol => "server selected no subprotocol",
            DuplicateSubprotocol => "more than one subprotocol selected",
            InvalidExtensions => "invalid Sec-WebSocket-Extensions",
            UnexpectedExtension => "server accepted an extension not offered",
            DuplicateExtension => "server accepted an extension twice",
            InvalidDeflateParameter => "invalid permessage-deflate parameter",
            UnexpectedClientWindowBits => "unexpected client_max_window_bits",
            DeflateWindowTooLarge => "permessage-deflate window larger than offered",
            MissingServerNoContextTakeover => "missing server_no_context_takeover",
            MissingServerMaxWindowBits => "missing server_max_window_bits",
            InvalidContentLength => "invalid Content-Length",
            InvalidChunkedBody => "invalid chunked body",
            BodyTooLarge => "response body too large",
            IncompleteHead => "connection closed before the response head ended",
            IncompleteBody => "connection closed before the response body ended",
        }
    }
}

#[cfg(feature = "client")]
impl fmt::Display for ResponseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.description())
    }
}

#[cfg(feature = "client")]
impl core::error::Error for ResponseError {}
