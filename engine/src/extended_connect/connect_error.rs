//! Why the server refuses an extended CONNECT request for WebSocket.

use core::fmt;

/// Why an extended CONNECT request for WebSocket (RFC 8441, RFC 9220) was
/// refused. Each variant maps to the status of the ready-made rejection
/// ([`ConnectError::status`]).
///
/// Variants for which [`ConnectError::is_malformed`] is true describe a request
/// that HTTP/2 (RFC 9113 §8.1.1) and HTTP/3 (RFC 9114 §4.1.2) call malformed:
/// the host may send the rejection, and then (or instead) must reset the stream
/// with `PROTOCOL_ERROR` (HTTP/2) or `H3_MESSAGE_ERROR` (HTTP/3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ConnectError {
    /// A field name is empty, not a token, or has uppercase letters (400, malformed).
    InvalidFieldName,
    /// A field value holds NUL, CR or LF, or starts or ends with SP or HTAB
    /// (400, malformed).
    InvalidFieldValue,
    /// A pseudo-header field after a regular field (400, malformed).
    MisplacedPseudoHeader,
    /// A pseudo-header field not defined for requests, e.g. `:status` (400, malformed).
    UnknownPseudoHeader,
    /// A pseudo-header field appears more than once (400, malformed).
    DuplicatePseudoHeader,
    /// `:protocol` on a request whose `:method` is missing or not `CONNECT`
    /// (400, malformed).
    MethodNotConnect,
    /// No `:scheme` (400, malformed).
    MissingScheme,
    /// `:scheme` is neither `http` nor `https` (400).
    InvalidScheme,
    /// No `:path`, or an empty one (400, malformed).
    MissingPath,
    /// `:path` does not start with `/` or holds bytes a URI path and query cannot
    /// (400).
    InvalidPath,
    /// No `:authority`, or an empty one (400, malformed).
    MissingAuthority,
    /// `:authority` holds userinfo or bytes an authority cannot (400).
    InvalidAuthority,
    /// A `host` field that differs from `:authority` (400, malformed).
    HostMismatch,
    /// A connection-specific field: `connection`, `upgrade`, `keep-alive`,
    /// `transfer-encoding`, `proxy-connection`, or `te` other than `trailers`
    /// (400, malformed).
    ConnectionSpecificField,
    /// `content-length` on a CONNECT request, which has no content (400).
    RequestHasContent,
    /// No `sec-websocket-version` (400 with `sec-websocket-version: 13`).
    MissingVersion,
    /// More than one `sec-websocket-version` (400 with `sec-websocket-version: 13`).
    DuplicateVersion,
    /// A version other than 13 (400 with `sec-websocket-version: 13`).
    UnsupportedVersion,
    /// `sec-websocket-key` or `sec-websocket-accept` in the request: the
    /// HTTP/1.1 key exchange, which extended CONNECT replaces (400).
    KeyNotAllowed,
    /// More than one `origin` (400).
    DuplicateOrigin,
    /// The origin is not in the allow-list, or is `null` while a list is set (403).
    OriginNotAllowed,
    /// `sec-websocket-protocol` is not a list of tokens (400).
    InvalidSubprotocolList,
    /// A subprotocol is required and none offered is supported (400).
    NoSubprotocolMatch,
    /// `sec-websocket-extensions` does not follow RFC 6455 §9.1 (400).
    InvalidExtensionList,
}

impl ConnectError {
    /// The status of the ready-made rejection.
    pub const fn status(self) -> u16 {
        match self {
            ConnectError::OriginNotAllowed => 403,
            _ => 400,
        }
    }

    /// True when the rejection carries `sec-websocket-version: 13`, naming the
    /// version this server speaks (RFC 6455 §4.4).
    pub const fn names_version(self) -> bool {
        matches!(
            self,
            ConnectError::MissingVersion
                | ConnectError::DuplicateVersion
                | ConnectError::UnsupportedVersion
        )
    }

    /// True when HTTP/2 and HTTP/3 call such a request malformed (see the type's
    /// documentation for what the host does then).
    pub const fn is_malformed(self) -> bool {
        use ConnectError::*;
        matches!(
            self,
            InvalidFieldName
                | InvalidFieldValue
                | MisplacedPseudoHeader
                | UnknownPseudoHeader
                | DuplicatePseudoHeader
                | MethodNotConnect
                | MissingScheme
                | MissingPath
                | MissingAuthority
                | HostMismatch
                | ConnectionSpecificField
        )
    }

    /// A short, fixed description, usable as a text body.
    pub const fn description(self) -> &'static str {
        use ConnectError::*;
        match self {
            InvalidFieldName => "invalid field name",
            InvalidFieldValue => "invalid field value",
            MisplacedPseudoHeader => "pseudo-header field after a regular field",
            UnknownPseudoHeader => "unknown pseudo-header field",
            DuplicatePseudoHeader => "duplicate pseudo-header field",
            MethodNotConnect => ":protocol on a request that is not CONNECT",
            MissingScheme => "missing :scheme",
            InvalidScheme => ":scheme is not http or https",
            MissingPath => "missing or empty :path",
            InvalidPath => "invalid :path",
            MissingAuthority => "missing or empty :authority",
            InvalidAuthority => "invalid :authority",
            HostMismatch => "host differs from :authority",
            ConnectionSpecificField => "connection-specific field",
            RequestHasContent => "CONNECT request with content-length",
            MissingVersion => "missing sec-websocket-version",
            DuplicateVersion => "duplicate sec-websocket-version",
            UnsupportedVersion => "unsupported sec-websocket-version",
            KeyNotAllowed => "sec-websocket-key or sec-websocket-accept in extended CONNECT",
            DuplicateOrigin => "duplicate origin",
            OriginNotAllowed => "origin not allowed",
            InvalidSubprotocolList => "invalid sec-websocket-protocol",
            NoSubprotocolMatch => "no supported subprotocol offered",
            InvalidExtensionList => "invalid sec-websocket-extensions",
        }
    }
}

impl fmt::Display for ConnectError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({})", self.description(), self.status())
    }
}

impl core::error::Error for ConnectError {}
