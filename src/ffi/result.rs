//! `wsh_result`: the one result code type of the C API, with its strings and
//! HTTP statuses.

use core::ffi::{CStr, c_char};

use super::ffi_boundary;
use wshandshake::DeflateResponseError;
use wshandshake::extended_connect::{ConnectError, ConnectResponseError};
use wshandshake::{RequestError, ResponseError, UsageError};

/// The result of a call. Numbers are stable and never reused; they are grouped:
///
/// - 0..=99: success and non-error progress (WSH_OK, WSH_NEED_MORE, WSH_NOT_FOUND);
/// - 100..=199: misuse by the caller (bad pointer, argument or call order);
/// - 1000..=1099: the peer's request is invalid: the engine has a ready-made
///   rejection response pending, and wsh_result_http_status() gives its status;
/// - 2000..=2099: the server's response to the client's opening request breaks
///   RFC 6455 (client side): fail the connection;
/// - 3000..=3099: an extended CONNECT request (WebSocket over HTTP/2 or HTTP/3)
///   is invalid: a ready-made rejection goes with it, and
///   wsh_result_http_status() gives its status;
/// - 3100..=3199: the server's response to an extended CONNECT breaks the rules
///   (client side): fail the WebSocket connection and reset the stream;
/// - 9000: WSH_PANIC, an internal error; the handle involved is poisoned.
///
/// Functions return it as a `uint32_t` (C enums have no fixed size); compare it
/// with the WSH_* constants. wsh_result_str() describes any value.
#[repr(u32)]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum wsh_result {
    /// Success.
    WSH_OK = 0,
    /// The request head is not complete yet: feed more bytes.
    WSH_NEED_MORE = 1,
    /// The item asked for is not present (no such header, no query, no
    /// subprotocol selected, ...). Outputs are left untouched.
    WSH_NOT_FOUND = 2,

    /// A required pointer (a handle or an output) is NULL.
    WSH_NULL_POINTER = 100,
    /// An argument is invalid: `(NULL, n)` with n > 0, a misaligned pointer, an
    /// impossible length, overlapping buffers, or an unknown enum value.
    WSH_INVALID_ARGUMENT = 101,
    /// Bytes that must be text are not valid UTF-8.
    WSH_INVALID_UTF8 = 102,
    /// The call is not valid in the handle's current state (e.g. accept before
    /// the request is complete, feed after a decision, accept twice).
    WSH_WRONG_STATE = 103,
    /// The output buffer is too small; the call reports the size needed.
    WSH_BUFFER_TOO_SMALL = 104,
    /// A header name is not an HTTP token.
    WSH_INVALID_HEADER_NAME = 105,
    /// A header value contains CR, LF, NUL or another control byte.
    WSH_INVALID_HEADER_VALUE = 106,
    /// The header is one the handshake writes itself and may not be added.
    WSH_RESERVED_HEADER = 107,
    /// The chosen subprotocol was not offered by the client.
    WSH_SUBPROTOCOL_NOT_OFFERED = 108,
    /// The status code is not allowed here (a rejection needs 300..=599).
    WSH_INVALID_STATUS = 109,
    /// An extension response element does not follow RFC 6455 section 9.1.
    WSH_INVALID_EXTENSION = 110,
    /// A configuration value is invalid or out of its range.
    WSH_INVALID_CONFIG = 111,
    /// An index is out of range.
    WSH_OUT_OF_RANGE = 112,
    /// A URL is not a valid ws:// or wss:// URL.
    WSH_INVALID_URL = 113,
    /// The operating system's random source failed.
    WSH_RANDOM_SOURCE_FAILED = 114,
    /// The handle was poisoned by an earlier internal error (WSH_PANIC); only
    /// its free function may still be called.
    WSH_POISONED = 115,
    /// A caller's field array holds fewer entries than the field list needs
    /// (extended CONNECT); the call reports the number needed.
    WSH_FIELD_ARRAY_TOO_SMALL = 116,
    /// An Origin value is not "null" or a serialized origin (scheme://host,
    /// optionally with :port).
    WSH_INVALID_ORIGIN = 117,
    /// An offered subprotocol is not an HTTP token.
    WSH_INVALID_SUBPROTOCOL = 118,
    /// The same subprotocol is offered twice.
    WSH_DUPLICATE_SUBPROTOCOL = 119,
    /// A list passed to an extended CONNECT function (fields, headers,
    /// subprotocols, extensions) has more than WSH_CONNECT_MAX_FIELDS elements.
    /// For a peer's request, answer 431 or reset the stream yourself.
    WSH_TOO_MANY_FIELDS = 120,
    /// An extension response element names an extension the client did not
    /// offer (RFC 6455 section 9.1).
    WSH_EXTENSION_NOT_OFFERED = 121,
    /// An extension response element names permessage-deflate, which the
    /// engine negotiates itself: configure it, or decline it at accept.
    WSH_RESERVED_EXTENSION = 122,
    /// A body for a response that HTTP allows no content in (a 304, RFC 9110
    /// section 15.4.5).
    WSH_BODY_NOT_ALLOWED = 123,

    /// The request head is larger than the configured limit (431).
    WSH_REQUEST_HEAD_TOO_LARGE = 1000,
    /// More header fields than the configured limit (431).
    WSH_REQUEST_TOO_MANY_HEADERS = 1001,
    /// A header line is longer than the configured limit (431).
    WSH_REQUEST_HEADER_LINE_TOO_LONG = 1002,
    /// The request line is longer than the configured limit (414).
    WSH_REQUEST_LINE_TOO_LONG = 1003,
    /// The head does not follow the HTTP/1.1 message syntax (400).
    WSH_REQUEST_MALFORMED_HEAD = 1010,
    /// A line ends in a bare LF and bare LF is not allowed (400).
    WSH_REQUEST_BARE_LINE_FEED = 1011,
    /// A CR not followed by LF (400).
    WSH_REQUEST_BARE_CARRIAGE_RETURN = 1012,
    /// Obsolete line folding, not allowed (400).
    WSH_REQUEST_OBSOLETE_LINE_FOLDING = 1013,
    /// A WebSocket upgrade whose method is not GET (405, with Allow: GET).
    WSH_REQUEST_METHOD_NOT_ALLOWED = 1020,
    /// No Host field (400).
    WSH_REQUEST_MISSING_HOST = 1021,
    /// More than one Host field (400).
    WSH_REQUEST_DUPLICATE_HOST = 1022,
    /// Upgrade: websocket without "upgrade" in Connection (400).
    WSH_REQUEST_MISSING_CONNECTION_UPGRADE = 1023,
    /// A Host value that is not "host" or "host:port" (400, RFC 9112 section 3.2).
    WSH_REQUEST_INVALID_HOST = 1024,
    /// An upgrade request whose target is neither origin-form nor absolute-form
    /// (asterisk-form is for OPTIONS, authority-form for CONNECT), or carries a
    /// fragment (400, RFC 9112 section 3.2, RFC 6455 section 3).
    WSH_REQUEST_INVALID_TARGET = 1025,
    /// No Sec-WebSocket-Key (400).
    WSH_REQUEST_MISSING_KEY = 1030,
    /// More than one Sec-WebSocket-Key (400).
    WSH_REQUEST_DUPLICATE_KEY = 1031,
    /// The key is not the base64 encoding of 16 bytes (400).
    WSH_REQUEST_INVALID_KEY = 1032,
    /// No Sec-WebSocket-Version (426, with Sec-WebSocket-Version: 13).
    WSH_REQUEST_MISSING_VERSION = 1033,
    /// More than one Sec-WebSocket-Version (400).
    WSH_REQUEST_DUPLICATE_VERSION = 1034,
    /// A version other than 13 (426, with Sec-WebSocket-Version: 13).
    WSH_REQUEST_UNSUPPORTED_VERSION = 1035,
    /// More than one Origin field (400).
    WSH_REQUEST_DUPLICATE_ORIGIN = 1040,
    /// The Origin is not allowed (403).
    WSH_REQUEST_ORIGIN_NOT_ALLOWED = 1041,
    /// Sec-WebSocket-Protocol is not a list of tokens (400).
    WSH_REQUEST_INVALID_SUBPROTOCOL_LIST = 1050,
    /// A subprotocol is required and none offered is supported (400).
    WSH_REQUEST_NO_SUBPROTOCOL_MATCH = 1051,
    /// Sec-WebSocket-Extensions does not follow RFC 6455 section 9.1 (400).
    WSH_REQUEST_INVALID_EXTENSION_LIST = 1052,
    /// An upgrade request with a body (Transfer-Encoding or Content-Length > 0)
    /// (400).
    WSH_REQUEST_HAS_BODY = 1060,
    /// An invalid or duplicated Content-Length (400).
    WSH_REQUEST_INVALID_CONTENT_LENGTH = 1061,

    /// The response head does not follow the HTTP/1.1 message syntax (bare LF,
    /// obs-fold, bad status line or field line).
    WSH_RESPONSE_MALFORMED_HEAD = 2000,
    /// The response head is larger than the configured limit.
    WSH_RESPONSE_HEAD_TOO_LARGE = 2001,
    /// More header fields in the response than the configured limit.
    WSH_RESPONSE_TOO_MANY_HEADERS = 2002,
    /// A status code outside 100..=599.
    WSH_RESPONSE_INVALID_STATUS = 2003,
    /// A 101 response in a version other than HTTP/1.1.
    WSH_RESPONSE_INVALID_VERSION = 2004,

    /// A 101 whose Upgrade is not exactly websocket.
    WSH_RESPONSE_MISSING_UPGRADE = 2010,
    /// A 101 whose Connection does not list upgrade.
    WSH_RESPONSE_MISSING_CONNECTION_UPGRADE = 2011,
    /// A 101 without Sec-WebSocket-Accept.
    WSH_RESPONSE_MISSING_ACCEPT = 2012,
    /// A 101 with more than one Sec-WebSocket-Accept.
    WSH_RESPONSE_DUPLICATE_ACCEPT = 2013,
    /// Sec-WebSocket-Accept does not match the key sent.
    WSH_RESPONSE_WRONG_ACCEPT = 2014,

    /// The server selected a subprotocol the client did not offer.
    WSH_RESPONSE_UNEXPECTED_SUBPROTOCOL = 2020,
    /// Subprotocols were offered, none was selected, and the config's
    /// subprotocol mode is WSH_CLIENT_SUBPROTOCOL_BROWSER.
    WSH_RESPONSE_MISSING_SUBPROTOCOL = 2021,
    /// More than one Sec-WebSocket-Protocol field, or more than one value.
    WSH_RESPONSE_DUPLICATE_SUBPROTOCOL = 2022,

    /// Sec-WebSocket-Extensions in the response does not follow RFC 6455
    /// section 9.1.
    WSH_RESPONSE_INVALID_EXTENSIONS = 2030,
    /// The server accepted an extension the client did not offer.
    WSH_RESPONSE_UNEXPECTED_EXTENSION = 2031,
    /// The server accepted the same extension twice.
    WSH_RESPONSE_DUPLICATE_EXTENSION = 2032,
    /// permessage-deflate: an unknown, duplicated or malformed parameter.
    WSH_RESPONSE_INVALID_DEFLATE_PARAMETER = 2033,
    /// permessage-deflate: client_max_window_bits in the response although the
    /// offer did not allow it, or without a value.
    WSH_RESPONSE_UNEXPECTED_CLIENT_WINDOW_BITS = 2034,
    /// permessage-deflate: a window larger than the offer allowed.
    WSH_RESPONSE_DEFLATE_WINDOW_TOO_LARGE = 2035,
    /// permessage-deflate: the offer asked for server_no_context_takeover and the
    /// response lacks it.
    WSH_RESPONSE_MISSING_SERVER_NO_CONTEXT_TAKEOVER = 2036,
    /// permessage-deflate: the offer carried server_max_window_bits and the
    /// response lacks it (RFC 7692 section 7.1.2.1): the server never agreed to
    /// the window the client's decompressor would be sized for.
    WSH_RESPONSE_MISSING_SERVER_MAX_WINDOW_BITS = 2037,

    /// A refusal with an invalid or repeated Content-Length.
    WSH_RESPONSE_INVALID_CONTENT_LENGTH = 2040,
    /// A refusal whose chunked body does not follow RFC 9112 section 7.1.
    WSH_RESPONSE_INVALID_CHUNKED_BODY = 2041,
    /// A refusal whose body is larger than the configured limit; the head is
    /// still available.
    WSH_RESPONSE_BODY_TOO_LARGE = 2042,

    /// The connection ended before the response head was complete.
    WSH_RESPONSE_INCOMPLETE_HEAD = 2050,
    /// The connection ended before the refusal's body was complete.
    WSH_RESPONSE_INCOMPLETE_BODY = 2051,

    /// A field name is empty, not a token, or has uppercase letters (400,
    /// malformed).
    WSH_CONNECT_REQUEST_INVALID_FIELD_NAME = 3000,
    /// A field value holds NUL, CR or LF, or starts or ends with SP or HTAB
    /// (400, malformed).
    WSH_CONNECT_REQUEST_INVALID_FIELD_VALUE = 3001,
    /// A pseudo-header field after a regular field (400, malformed).
    WSH_CONNECT_REQUEST_MISPLACED_PSEUDO_HEADER = 3002,
    /// A pseudo-header field not defined for requests (400, malformed).
    WSH_CONNECT_REQUEST_UNKNOWN_PSEUDO_HEADER = 3003,
    /// A pseudo-header field appears more than once (400, malformed).
    WSH_CONNECT_REQUEST_DUPLICATE_PSEUDO_HEADER = 3004,

    /// :protocol on a request whose :method is missing or not CONNECT (400,
    /// malformed).
    WSH_CONNECT_REQUEST_METHOD_NOT_CONNECT = 3010,
    /// No :scheme (400, malformed).
    WSH_CONNECT_REQUEST_MISSING_SCHEME = 3011,
    /// :scheme is neither http nor https (400).
    WSH_CONNECT_REQUEST_INVALID_SCHEME = 3012,
    /// No :path, or an empty one (400, malformed).
    WSH_CONNECT_REQUEST_MISSING_PATH = 3013,
    /// :path does not start with / or holds bytes a path and query cannot (400).
    WSH_CONNECT_REQUEST_INVALID_PATH = 3014,
    /// No :authority, or an empty one (400, malformed).
    WSH_CONNECT_REQUEST_MISSING_AUTHORITY = 3015,
    /// :authority holds userinfo or bytes an authority cannot (400).
    WSH_CONNECT_REQUEST_INVALID_AUTHORITY = 3016,
    /// A host field that differs from :authority (400, malformed).
    WSH_CONNECT_REQUEST_HOST_MISMATCH = 3017,

    /// A connection-specific field (connection, upgrade, keep-alive,
    /// transfer-encoding, proxy-connection, te other than trailers) (400,
    /// malformed).
    WSH_CONNECT_REQUEST_CONNECTION_SPECIFIC_FIELD = 3020,
    /// content-length on a CONNECT request, which has no content (400).
    WSH_CONNECT_REQUEST_HAS_CONTENT = 3021,

    /// No sec-websocket-version (400 with sec-websocket-version: 13).
    WSH_CONNECT_REQUEST_MISSING_VERSION = 3030,
    /// More than one sec-websocket-version (400 with sec-websocket-version: 13).
    WSH_CONNECT_REQUEST_DUPLICATE_VERSION = 3031,
    /// A version other than 13 (400 with sec-websocket-version: 13).
    WSH_CONNECT_REQUEST_UNSUPPORTED_VERSION = 3032,
    /// sec-websocket-key or sec-websocket-accept in the request: the HTTP/1.1
    /// key exchange, which extended CONNECT replaces (400).
    WSH_CONNECT_REQUEST_KEY_NOT_ALLOWED = 3033,

    /// More than one origin (400).
    WSH_CONNECT_REQUEST_DUPLICATE_ORIGIN = 3040,
    /// The origin is not allowed (403).
    WSH_CONNECT_REQUEST_ORIGIN_NOT_ALLOWED = 3041,

    /// sec-websocket-protocol is not a list of tokens (400).
    WSH_CONNECT_REQUEST_INVALID_SUBPROTOCOL_LIST = 3050,
    /// A subprotocol is required and none offered is supported (400).
    WSH_CONNECT_REQUEST_NO_SUBPROTOCOL_MATCH = 3051,
    /// sec-websocket-extensions does not follow RFC 6455 section 9.1 (400).
    WSH_CONNECT_REQUEST_INVALID_EXTENSION_LIST = 3052,

    /// A field name is empty, not a token, or has uppercase letters.
    WSH_CONNECT_RESPONSE_INVALID_FIELD_NAME = 3100,
    /// A field value holds NUL, CR or LF, or starts or ends with SP or HTAB.
    WSH_CONNECT_RESPONSE_INVALID_FIELD_VALUE = 3101,
    /// A pseudo-header field after a regular field.
    WSH_CONNECT_RESPONSE_MISPLACED_PSEUDO_HEADER = 3102,
    /// A pseudo-header field other than :status.
    WSH_CONNECT_RESPONSE_UNKNOWN_PSEUDO_HEADER = 3103,
    /// :status more than once.
    WSH_CONNECT_RESPONSE_DUPLICATE_STATUS = 3104,
    /// No :status.
    WSH_CONNECT_RESPONSE_MISSING_STATUS = 3105,
    /// :status is not three digits in 100..=599, or is 101.
    WSH_CONNECT_RESPONSE_INVALID_STATUS = 3106,
    /// A connection-specific field.
    WSH_CONNECT_RESPONSE_CONNECTION_SPECIFIC_FIELD = 3107,

    /// More than one sec-websocket-protocol.
    WSH_CONNECT_RESPONSE_DUPLICATE_SUBPROTOCOL = 3110,
    /// The selected subprotocol was not offered (or none was offered).
    WSH_CONNECT_RESPONSE_SUBPROTOCOL_NOT_OFFERED = 3111,

    /// sec-websocket-extensions does not follow RFC 6455 section 9.1.
    WSH_CONNECT_RESPONSE_INVALID_EXTENSION_LIST = 3120,
    /// An extension that was not offered.
    WSH_CONNECT_RESPONSE_EXTENSION_NOT_OFFERED = 3121,
    /// permessage-deflate accepted more than once.
    WSH_CONNECT_RESPONSE_DUPLICATE_EXTENSION = 3122,

    /// permessage-deflate: an unknown, duplicated or malformed parameter.
    WSH_CONNECT_RESPONSE_DEFLATE_INVALID_PARAMETER = 3130,
    /// permessage-deflate: client_max_window_bits although the offer did not
    /// allow it, or without a value.
    WSH_CONNECT_RESPONSE_DEFLATE_UNEXPECTED_CLIENT_WINDOW = 3131,
    /// permessage-deflate: a window larger than the offer allowed.
    WSH_CONNECT_RESPONSE_DEFLATE_WINDOW_TOO_LARGE = 3132,
    /// permessage-deflate: the offer asked for server_no_context_takeover and the
    /// response lacks it.
    WSH_CONNECT_RESPONSE_DEFLATE_MISSING_SERVER_NO_CONTEXT_TAKEOVER = 3133,
    /// permessage-deflate: the offer carried server_max_window_bits and the
    /// response lacks it.
    WSH_CONNECT_RESPONSE_DEFLATE_MISSING_SERVER_MAX_WINDOW_BITS = 3134,

    /// An internal error (a Rust panic) was caught at the API boundary. The
    /// handle involved is poisoned: free it. Please report it as a bug.
    WSH_PANIC = 9000,
}

impl From<wsh_result> for u32 {
    fn from(r: wsh_result) -> u32 {
        r as u32
    }
}

impl From<UsageError> for wsh_result {
    fn from(e: UsageError) -> Self {
        use wsh_result::*;
        match e {
            UsageError::WrongState => WSH_WRONG_STATE,
            UsageError::InvalidHeaderName => WSH_INVALID_HEADER_NAME,
            UsageError::InvalidHeaderValue => WSH_INVALID_HEADER_VALUE,
            UsageError::ReservedHeader => WSH_RESERVED_HEADER,
            UsageError::SubprotocolNotOffered => WSH_SUBPROTOCOL_NOT_OFFERED,
            UsageError::InvalidStatus => WSH_INVALID_STATUS,
            UsageError::InvalidExtension => WSH_INVALID_EXTENSION,
            UsageError::ExtensionNotOffered => WSH_EXTENSION_NOT_OFFERED,
            UsageError::ReservedExtension => WSH_RESERVED_EXTENSION,
            UsageError::BodyNotAllowed => WSH_BODY_NOT_ALLOWED,
            UsageError::BufferTooSmall { .. } => WSH_BUFFER_TOO_SMALL,
            UsageError::InvalidConfig => WSH_INVALID_CONFIG,
            UsageError::OutOfRange => WSH_OUT_OF_RANGE,
            UsageError::InvalidUrl => WSH_INVALID_URL,
            UsageError::RandomSourceFailed => WSH_RANDOM_SOURCE_FAILED,
            UsageError::FieldArrayTooSmall { .. } => WSH_FIELD_ARRAY_TOO_SMALL,
            UsageError::InvalidOrigin => WSH_INVALID_ORIGIN,
            UsageError::InvalidSubprotocol => WSH_INVALID_SUBPROTOCOL,
            UsageError::DuplicateSubprotocol => WSH_DUPLICATE_SUBPROTOCOL,
            // The engine's errors are `#[non_exhaustive]`; a variant this crate does
            // not know yet is a version mismatch inside the workspace, never peer input.
            _ => WSH_PANIC,
        }
    }
}

impl From<ResponseError> for wsh_result {
    fn from(e: ResponseError) -> Self {
        use wsh_result::*;
        match e {
            ResponseError::MalformedHead => WSH_RESPONSE_MALFORMED_HEAD,
            ResponseError::HeadTooLarge => WSH_RESPONSE_HEAD_TOO_LARGE,
            ResponseError::TooManyHeaders => WSH_RESPONSE_TOO_MANY_HEADERS,
            ResponseError::InvalidStatus => WSH_RESPONSE_INVALID_STATUS,
            ResponseError::InvalidVersion => WSH_RESPONSE_INVALID_VERSION,
            ResponseError::MissingUpgrade => WSH_RESPONSE_MISSING_UPGRADE,
            ResponseError::MissingConnectionUpgrade => WSH_RESPONSE_MISSING_CONNECTION_UPGRADE,
            ResponseError::MissingAccept => WSH_RESPONSE_MISSING_ACCEPT,
            ResponseError::DuplicateAccept => WSH_RESPONSE_DUPLICATE_ACCEPT,
            ResponseError::WrongAccept => WSH_RESPONSE_WRONG_ACCEPT,
            ResponseError::UnexpectedSubprotocol => WSH_RESPONSE_UNEXPECTED_SUBPROTOCOL,
            ResponseError::MissingSubprotocol => WSH_RESPONSE_MISSING_SUBPROTOCOL,
            ResponseError::DuplicateSubprotocol => WSH_RESPONSE_DUPLICATE_SUBPROTOCOL,
            ResponseError::InvalidExtensions => WSH_RESPONSE_INVALID_EXTENSIONS,
            ResponseError::UnexpectedExtension => WSH_RESPONSE_UNEXPECTED_EXTENSION,
            ResponseError::DuplicateExtension => WSH_RESPONSE_DUPLICATE_EXTENSION,
            ResponseError::InvalidDeflateParameter => WSH_RESPONSE_INVALID_DEFLATE_PARAMETER,
            ResponseError::UnexpectedClientWindowBits => WSH_RESPONSE_UNEXPECTED_CLIENT_WINDOW_BITS,
            ResponseError::DeflateWindowTooLarge => WSH_RESPONSE_DEFLATE_WINDOW_TOO_LARGE,
            ResponseError::MissingServerNoContextTakeover => {
                WSH_RESPONSE_MISSING_SERVER_NO_CONTEXT_TAKEOVER
            }
            ResponseError::MissingServerMaxWindowBits => {
                WSH_RESPONSE_MISSING_SERVER_MAX_WINDOW_BITS
            }
            ResponseError::InvalidContentLength => WSH_RESPONSE_INVALID_CONTENT_LENGTH,
            ResponseError::InvalidChunkedBody => WSH_RESPONSE_INVALID_CHUNKED_BODY,
            ResponseError::BodyTooLarge => WSH_RESPONSE_BODY_TOO_LARGE,
            ResponseError::IncompleteHead => WSH_RESPONSE_INCOMPLETE_HEAD,
            ResponseError::IncompleteBody => WSH_RESPONSE_INCOMPLETE_BODY,
            // The engine's errors are `#[non_exhaustive]`; a variant this crate does
            // not know yet is a version mismatch inside the workspace, never peer input.
            _ => WSH_PANIC,
        }
    }
}

impl From<ConnectError> for wsh_result {
    fn from(e: ConnectError) -> Self {
        use wsh_result::*;
        match e {
            ConnectError::InvalidFieldName => WSH_CONNECT_REQUEST_INVALID_FIELD_NAME,
            ConnectError::InvalidFieldValue => WSH_CONNECT_REQUEST_INVALID_FIELD_VALUE,
            ConnectError::MisplacedPseudoHeader => WSH_CONNECT_REQUEST_MISPLACED_PSEUDO_HEADER,
            ConnectError::UnknownPseudoHeader => WSH_CONNECT_REQUEST_UNKNOWN_PSEUDO_HEADER,
            ConnectError::DuplicatePseudoHeader => WSH_CONNECT_REQUEST_DUPLICATE_PSEUDO_HEADER,
            ConnectError::MethodNotConnect => WSH_CONNECT_REQUEST_METHOD_NOT_CONNECT,
            ConnectError::MissingScheme => WSH_CONNECT_REQUEST_MISSING_SCHEME,
            ConnectError::InvalidScheme => WSH_CONNECT_REQUEST_INVALID_SCHEME,
            ConnectError::MissingPath => WSH_CONNECT_REQUEST_MISSING_PATH,
            ConnectError::InvalidPath => WSH_CONNECT_REQUEST_INVALID_PATH,
            ConnectError::MissingAuthority => WSH_CONNECT_REQUEST_MISSING_AUTHORITY,
            ConnectError::InvalidAuthority => WSH_CONNECT_REQUEST_INVALID_AUTHORITY,
            ConnectError::HostMismatch => WSH_CONNECT_REQUEST_HOST_MISMATCH,
            ConnectError::ConnectionSpecificField => WSH_CONNECT_REQUEST_CONNECTION_SPECIFIC_FIELD,
            ConnectError::RequestHasContent => WSH_CONNECT_REQUEST_HAS_CONTENT,
            ConnectError::MissingVersion => WSH_CONNECT_REQUEST_MISSING_VERSION,
            ConnectError::DuplicateVersion => WSH_CONNECT_REQUEST_DUPLICATE_VERSION,
            ConnectError::UnsupportedVersion => WSH_CONNECT_REQUEST_UNSUPPORTED_VERSION,
            ConnectError::KeyNotAllowed => WSH_CONNECT_REQUEST_KEY_NOT_ALLOWED,
            ConnectError::DuplicateOrigin => WSH_CONNECT_REQUEST_DUPLICATE_ORIGIN,
            ConnectError::OriginNotAllowed => WSH_CONNECT_REQUEST_ORIGIN_NOT_ALLOWED,
            ConnectError::InvalidSubprotocolList => WSH_CONNECT_REQUEST_INVALID_SUBPROTOCOL_LIST,
            ConnectError::NoSubprotocolMatch => WSH_CONNECT_REQUEST_NO_SUBPROTOCOL_MATCH,
            ConnectError::InvalidExtensionList => WSH_CONNECT_REQUEST_INVALID_EXTENSION_LIST,
            // The engine's errors are `#[non_exhaustive]`; a variant this crate does
            // not know yet is a version mismatch inside the workspace, never peer input.
            _ => WSH_PANIC,
        }
    }
}

impl From<ConnectResponseError> for wsh_result {
    fn from(e: ConnectResponseError) -> Self {
        use wsh_result::*;
        match e {
            ConnectResponseError::InvalidFieldName => WSH_CONNECT_RESPONSE_INVALID_FIELD_NAME,
            ConnectResponseError::InvalidFieldValue => WSH_CONNECT_RESPONSE_INVALID_FIELD_VALUE,
            ConnectResponseError::MisplacedPseudoHeader => {
                WSH_CONNECT_RESPONSE_MISPLACED_PSEUDO_HEADER
            }
            ConnectResponseError::UnknownPseudoHeader => WSH_CONNECT_RESPONSE_UNKNOWN_PSEUDO_HEADER,
            ConnectResponseError::DuplicatePseudoHeader => WSH_CONNECT_RESPONSE_DUPLICATE_STATUS,
            ConnectResponseError::MissingStatus => WSH_CONNECT_RESPONSE_MISSING_STATUS,
            ConnectResponseError::InvalidStatus => WSH_CONNECT_RESPONSE_INVALID_STATUS,
            ConnectResponseError::ConnectionSpecificField => {
                WSH_CONNECT_RESPONSE_CONNECTION_SPECIFIC_FIELD
            }
            ConnectResponseError::DuplicateSubprotocol => {
                WSH_CONNECT_RESPONSE_DUPLICATE_SUBPROTOCOL
            }
            ConnectResponseError::SubprotocolNotOffered => {
                WSH_CONNECT_RESPONSE_SUBPROTOCOL_NOT_OFFERED
            }
            ConnectResponseError::InvalidExtensionList => {
                WSH_CONNECT_RESPONSE_INVALID_EXTENSION_LIST
            }
            ConnectResponseError::ExtensionNotOffered => WSH_CONNECT_RESPONSE_EXTENSION_NOT_OFFERED,
            ConnectResponseError::DuplicateExtension => WSH_CONNECT_RESPONSE_DUPLICATE_EXTENSION,
            ConnectResponseError::Deflate(DeflateResponseError::InvalidParameter) => {
                WSH_CONNECT_RESPONSE_DEFLATE_INVALID_PARAMETER
            }
            ConnectResponseError::Deflate(DeflateResponseError::UnexpectedClientWindow) => {
                WSH_CONNECT_RESPONSE_DEFLATE_UNEXPECTED_CLIENT_WINDOW
            }
            ConnectResponseError::Deflate(DeflateResponseError::WindowTooLarge) => {
                WSH_CONNECT_RESPONSE_DEFLATE_WINDOW_TOO_LARGE
            }
            ConnectResponseError::Deflate(DeflateResponseError::MissingServerNoContextTakeover) => {
                WSH_CONNECT_RESPONSE_DEFLATE_MISSING_SERVER_NO_CONTEXT_TAKEOVER
            }
            ConnectResponseError::Deflate(DeflateResponseError::MissingServerMaxWindowBits) => {
                WSH_CONNECT_RESPONSE_DEFLATE_MISSING_SERVER_MAX_WINDOW_BITS
            }
            // The engine's errors are `#[non_exhaustive]`; a variant this crate does
            // not know yet is a version mismatch inside the workspace, never peer input.
            _ => WSH_PANIC,
        }
    }
}

impl From<RequestError> for wsh_result {
    fn from(e: RequestError) -> Self {
        use wsh_result::*;
        match e {
            RequestError::HeadTooLarge => WSH_REQUEST_HEAD_TOO_LARGE,
            RequestError::TooManyHeaders => WSH_REQUEST_TOO_MANY_HEADERS,
            RequestError::HeaderLineTooLong => WSH_REQUEST_HEADER_LINE_TOO_LONG,
            RequestError::RequestLineTooLong => WSH_REQUEST_LINE_TOO_LONG,
            RequestError::MalformedHead => WSH_REQUEST_MALFORMED_HEAD,
            RequestError::BareLineFeed => WSH_REQUEST_BARE_LINE_FEED,
            RequestError::BareCarriageReturn => WSH_REQUEST_BARE_CARRIAGE_RETURN,
            RequestError::ObsoleteLineFolding => WSH_REQUEST_OBSOLETE_LINE_FOLDING,
            RequestError::MethodNotAllowed => WSH_REQUEST_METHOD_NOT_ALLOWED,
            RequestError::MissingHost => WSH_REQUEST_MISSING_HOST,
            RequestError::DuplicateHost => WSH_REQUEST_DUPLICATE_HOST,
            RequestError::InvalidHost => WSH_REQUEST_INVALID_HOST,
            RequestError::InvalidTarget => WSH_REQUEST_INVALID_TARGET,
            RequestError::MissingConnectionUpgrade => WSH_REQUEST_MISSING_CONNECTION_UPGRADE,
            RequestError::MissingKey => WSH_REQUEST_MISSING_KEY,
            RequestError::DuplicateKey => WSH_REQUEST_DUPLICATE_KEY,
            RequestError::InvalidKey => WSH_REQUEST_INVALID_KEY,
            RequestError::MissingVersion => WSH_REQUEST_MISSING_VERSION,
            RequestError::DuplicateVersion => WSH_REQUEST_DUPLICATE_VERSION,
            RequestError::UnsupportedVersion => WSH_REQUEST_UNSUPPORTED_VERSION,
            RequestError::DuplicateOrigin => WSH_REQUEST_DUPLICATE_ORIGIN,
            RequestError::OriginNotAllowed => WSH_REQUEST_ORIGIN_NOT_ALLOWED,
            RequestError::InvalidSubprotocolList => WSH_REQUEST_INVALID_SUBPROTOCOL_LIST,
            RequestError::NoSubprotocolMatch => WSH_REQUEST_NO_SUBPROTOCOL_MATCH,
            RequestError::InvalidExtensionList => WSH_REQUEST_INVALID_EXTENSION_LIST,
            RequestError::RequestHasBody => WSH_REQUEST_HAS_BODY,
            RequestError::InvalidContentLength => WSH_REQUEST_INVALID_CONTENT_LENGTH,
            // The engine's errors are `#[non_exhaustive]`; a variant this crate does
            // not know yet is a version mismatch inside the workspace, never peer input.
            _ => WSH_PANIC,
        }
    }
}

impl wsh_result {
    /// Every code, in numeric order (for tests and bindings).
    pub const ALL: [wsh_result; 122] = {
        use wsh_result::*;
        [
            WSH_OK,
            WSH_NEED_MORE,
            WSH_NOT_FOUND,
            WSH_NULL_POINTER,
            WSH_INVALID_ARGUMENT,
            WSH_INVALID_UTF8,
            WSH_WRONG_STATE,
            WSH_BUFFER_TOO_SMALL,
            WSH_INVALID_HEADER_NAME,
            WSH_INVALID_HEADER_VALUE,
            WSH_RESERVED_HEADER,
            WSH_SUBPROTOCOL_NOT_OFFERED,
            WSH_INVALID_STATUS,
            WSH_INVALID_EXTENSION,
            WSH_INVALID_CONFIG,
            WSH_OUT_OF_RANGE,
            WSH_INVALID_URL,
            WSH_RANDOM_SOURCE_FAILED,
            WSH_POISONED,
            WSH_FIELD_ARRAY_TOO_SMALL,
            WSH_INVALID_ORIGIN,
            WSH_INVALID_SUBPROTOCOL,
            WSH_DUPLICATE_SUBPROTOCOL,
            WSH_TOO_MANY_FIELDS,
            WSH_EXTENSION_NOT_OFFERED,
            WSH_RESERVED_EXTENSION,
            WSH_BODY_NOT_ALLOWED,
            WSH_REQUEST_HEAD_TOO_LARGE,
            WSH_REQUEST_TOO_MANY_HEADERS,
            WSH_REQUEST_HEADER_LINE_TOO_LONG,
            WSH_REQUEST_LINE_TOO_LONG,
            WSH_REQUEST_MALFORMED_HEAD,
            WSH_REQUEST_BARE_LINE_FEED,
            WSH_REQUEST_BARE_CARRIAGE_RETURN,
            WSH_REQUEST_OBSOLETE_LINE_FOLDING,
            WSH_REQUEST_METHOD_NOT_ALLOWED,
            WSH_REQUEST_MISSING_HOST,
            WSH_REQUEST_DUPLICATE_HOST,
            WSH_REQUEST_MISSING_CONNECTION_UPGRADE,
            WSH_REQUEST_INVALID_HOST,
            WSH_REQUEST_INVALID_TARGET,
            WSH_REQUEST_MISSING_KEY,
            WSH_REQUEST_DUPLICATE_KEY,
            WSH_REQUEST_INVALID_KEY,
            WSH_REQUEST_MISSING_VERSION,
            WSH_REQUEST_DUPLICATE_VERSION,
            WSH_REQUEST_UNSUPPORTED_VERSION,
            WSH_REQUEST_DUPLICATE_ORIGIN,
            WSH_REQUEST_ORIGIN_NOT_ALLOWED,
            WSH_REQUEST_INVALID_SUBPROTOCOL_LIST,
            WSH_REQUEST_NO_SUBPROTOCOL_MATCH,
            WSH_REQUEST_INVALID_EXTENSION_LIST,
            WSH_REQUEST_HAS_BODY,
            WSH_REQUEST_INVALID_CONTENT_LENGTH,
            WSH_RESPONSE_MALFORMED_HEAD,
            WSH_RESPONSE_HEAD_TOO_LARGE,
            WSH_RESPONSE_TOO_MANY_HEADERS,
            WSH_RESPONSE_INVALID_STATUS,
            WSH_RESPONSE_INVALID_VERSION,
            WSH_RESPONSE_MISSING_UPGRADE,
            WSH_RESPONSE_MISSING_CONNECTION_UPGRADE,
            WSH_RESPONSE_MISSING_ACCEPT,
            WSH_RESPONSE_DUPLICATE_ACCEPT,
            WSH_RESPONSE_WRONG_ACCEPT,
            WSH_RESPONSE_UNEXPECTED_SUBPROTOCOL,
            WSH_RESPONSE_MISSING_SUBPROTOCOL,
            WSH_RESPONSE_DUPLICATE_SUBPROTOCOL,
            WSH_RESPONSE_INVALID_EXTENSIONS,
            WSH_RESPONSE_UNEXPECTED_EXTENSION,
            WSH_RESPONSE_DUPLICATE_EXTENSION,
            WSH_RESPONSE_INVALID_DEFLATE_PARAMETER,
            WSH_RESPONSE_UNEXPECTED_CLIENT_WINDOW_BITS,
            WSH_RESPONSE_DEFLATE_WINDOW_TOO_LARGE,
            WSH_RESPONSE_MISSING_SERVER_NO_CONTEXT_TAKEOVER,
            WSH_RESPONSE_MISSING_SERVER_MAX_WINDOW_BITS,
            WSH_RESPONSE_INVALID_CONTENT_LENGTH,
            WSH_RESPONSE_INVALID_CHUNKED_BODY,
            WSH_RESPONSE_BODY_TOO_LARGE,
            WSH_RESPONSE_INCOMPLETE_HEAD,
            WSH_RESPONSE_INCOMPLETE_BODY,
            WSH_CONNECT_REQUEST_INVALID_FIELD_NAME,
            WSH_CONNECT_REQUEST_INVALID_FIELD_VALUE,
            WSH_CONNECT_REQUEST_MISPLACED_PSEUDO_HEADER,
            WSH_CONNECT_REQUEST_UNKNOWN_PSEUDO_HEADER,
            WSH_CONNECT_REQUEST_DUPLICATE_PSEUDO_HEADER,
            WSH_CONNECT_REQUEST_METHOD_NOT_CONNECT,
            WSH_CONNECT_REQUEST_MISSING_SCHEME,
            WSH_CONNECT_REQUEST_INVALID_SCHEME,
            WSH_CONNECT_REQUEST_MISSING_PATH,
            WSH_CONNECT_REQUEST_INVALID_PATH,
            WSH_CONNECT_REQUEST_MISSING_AUTHORITY,
            WSH_CONNECT_REQUEST_INVALID_AUTHORITY,
            WSH_CONNECT_REQUEST_HOST_MISMATCH,
            WSH_CONNECT_REQUEST_CONNECTION_SPECIFIC_FIELD,
            WSH_CONNECT_REQUEST_HAS_CONTENT,
            WSH_CONNECT_REQUEST_MISSING_VERSION,
            WSH_CONNECT_REQUEST_DUPLICATE_VERSION,
            WSH_CONNECT_REQUEST_UNSUPPORTED_VERSION,
            WSH_CONNECT_REQUEST_KEY_NOT_ALLOWED,
            WSH_CONNECT_REQUEST_DUPLICATE_ORIGIN,
            WSH_CONNECT_REQUEST_ORIGIN_NOT_ALLOWED,
            WSH_CONNECT_REQUEST_INVALID_SUBPROTOCOL_LIST,
            WSH_CONNECT_REQUEST_NO_SUBPROTOCOL_MATCH,
            WSH_CONNECT_REQUEST_INVALID_EXTENSION_LIST,
            WSH_CONNECT_RESPONSE_INVALID_FIELD_NAME,
            WSH_CONNECT_RESPONSE_INVALID_FIELD_VALUE,
            WSH_CONNECT_RESPONSE_MISPLACED_PSEUDO_HEADER,
            WSH_CONNECT_RESPONSE_UNKNOWN_PSEUDO_HEADER,
            WSH_CONNECT_RESPONSE_DUPLICATE_STATUS,
            WSH_CONNECT_RESPONSE_MISSING_STATUS,
            WSH_CONNECT_RESPONSE_INVALID_STATUS,
            WSH_CONNECT_RESPONSE_CONNECTION_SPECIFIC_FIELD,
            WSH_CONNECT_RESPONSE_DUPLICATE_SUBPROTOCOL,
            WSH_CONNECT_RESPONSE_SUBPROTOCOL_NOT_OFFERED,
            WSH_CONNECT_RESPONSE_INVALID_EXTENSION_LIST,
            WSH_CONNECT_RESPONSE_EXTENSION_NOT_OFFERED,
            WSH_CONNECT_RESPONSE_DUPLICATE_EXTENSION,
            WSH_CONNECT_RESPONSE_DEFLATE_INVALID_PARAMETER,
            WSH_CONNECT_RESPONSE_DEFLATE_UNEXPECTED_CLIENT_WINDOW,
            WSH_CONNECT_RESPONSE_DEFLATE_WINDOW_TOO_LARGE,
            WSH_CONNECT_RESPONSE_DEFLATE_MISSING_SERVER_NO_CONTEXT_TAKEOVER,
            WSH_CONNECT_RESPONSE_DEFLATE_MISSING_SERVER_MAX_WINDOW_BITS,
        ]
    };

    /// The code with this number, if any.
    pub fn from_u32(code: u32) -> Option<wsh_result> {
        if code == wsh_result::WSH_PANIC as u32 {
            return Some(wsh_result::WSH_PANIC);
        }
        wsh_result::ALL.iter().copied().find(|r| *r as u32 == code)
    }

    /// The request error this code stands for (codes 1000..=1099).
    pub fn request_error(self) -> Option<RequestError> {
        use RequestError::*;
        use wsh_result::*;
        Some(match self {
            WSH_REQUEST_HEAD_TOO_LARGE => HeadTooLarge,
            WSH_REQUEST_TOO_MANY_HEADERS => TooManyHeaders,
            WSH_REQUEST_HEADER_LINE_TOO_LONG => HeaderLineTooLong,
            WSH_REQUEST_LINE_TOO_LONG => RequestLineTooLong,
            WSH_REQUEST_MALFORMED_HEAD => MalformedHead,
            WSH_REQUEST_BARE_LINE_FEED => BareLineFeed,
            WSH_REQUEST_BARE_CARRIAGE_RETURN => BareCarriageReturn,
            WSH_REQUEST_OBSOLETE_LINE_FOLDING => ObsoleteLineFolding,
            WSH_REQUEST_METHOD_NOT_ALLOWED => MethodNotAllowed,
            WSH_REQUEST_MISSING_HOST => MissingHost,
            WSH_REQUEST_DUPLICATE_HOST => DuplicateHost,
            WSH_REQUEST_INVALID_HOST => InvalidHost,
            WSH_REQUEST_INVALID_TARGET => InvalidTarget,
            WSH_REQUEST_MISSING_CONNECTION_UPGRADE => MissingConnectionUpgrade,
            WSH_REQUEST_MISSING_KEY => MissingKey,
            WSH_REQUEST_DUPLICATE_KEY => DuplicateKey,
            WSH_REQUEST_INVALID_KEY => InvalidKey,
            WSH_REQUEST_MISSING_VERSION => MissingVersion,
            WSH_REQUEST_DUPLICATE_VERSION => DuplicateVersion,
            WSH_REQUEST_UNSUPPORTED_VERSION => UnsupportedVersion,
            WSH_REQUEST_DUPLICATE_ORIGIN => DuplicateOrigin,
            WSH_REQUEST_ORIGIN_NOT_ALLOWED => OriginNotAllowed,
            WSH_REQUEST_INVALID_SUBPROTOCOL_LIST => InvalidSubprotocolList,
            WSH_REQUEST_NO_SUBPROTOCOL_MATCH => NoSubprotocolMatch,
            WSH_REQUEST_INVALID_EXTENSION_LIST => InvalidExtensionList,
            WSH_REQUEST_HAS_BODY => RequestHasBody,
            WSH_REQUEST_INVALID_CONTENT_LENGTH => InvalidContentLength,
            _ => return None,
        })
    }

    /// The response error this code stands for (codes 2000..=2099).
    pub fn response_error(self) -> Option<ResponseError> {
        use wsh_result::*;
        Some(match self {
            WSH_RESPONSE_MALFORMED_HEAD => ResponseError::MalformedHead,
            WSH_RESPONSE_HEAD_TOO_LARGE => ResponseError::HeadTooLarge,
            WSH_RESPONSE_TOO_MANY_HEADERS => ResponseError::TooManyHeaders,
            WSH_RESPONSE_INVALID_STATUS => ResponseError::InvalidStatus,
            WSH_RESPONSE_INVALID_VERSION => ResponseError::InvalidVersion,
            WSH_RESPONSE_MISSING_UPGRADE => ResponseError::MissingUpgrade,
            WSH_RESPONSE_MISSING_CONNECTION_UPGRADE => ResponseError::MissingConnectionUpgrade,
            WSH_RESPONSE_MISSING_ACCEPT => ResponseError::MissingAccept,
            WSH_RESPONSE_DUPLICATE_ACCEPT => ResponseError::DuplicateAccept,
            WSH_RESPONSE_WRONG_ACCEPT => ResponseError::WrongAccept,
            WSH_RESPONSE_UNEXPECTED_SUBPROTOCOL => ResponseError::UnexpectedSubprotocol,
            WSH_RESPONSE_MISSING_SUBPROTOCOL => ResponseError::MissingSubprotocol,
            WSH_RESPONSE_DUPLICATE_SUBPROTOCOL => ResponseError::DuplicateSubprotocol,
            WSH_RESPONSE_INVALID_EXTENSIONS => ResponseError::InvalidExtensions,
            WSH_RESPONSE_UNEXPECTED_EXTENSION => ResponseError::UnexpectedExtension,
            WSH_RESPONSE_DUPLICATE_EXTENSION => ResponseError::DuplicateExtension,
            WSH_RESPONSE_INVALID_DEFLATE_PARAMETER => ResponseError::InvalidDeflateParameter,
            WSH_RESPONSE_UNEXPECTED_CLIENT_WINDOW_BITS => ResponseError::UnexpectedClientWindowBits,
            WSH_RESPONSE_DEFLATE_WINDOW_TOO_LARGE => ResponseError::DeflateWindowTooLarge,
            WSH_RESPONSE_MISSING_SERVER_NO_CONTEXT_TAKEOVER => {
                ResponseError::MissingServerNoContextTakeover
            }
            WSH_RESPONSE_MISSING_SERVER_MAX_WINDOW_BITS => {
                ResponseError::MissingServerMaxWindowBits
            }
            WSH_RESPONSE_INVALID_CONTENT_LENGTH => ResponseError::InvalidContentLength,
            WSH_RESPONSE_INVALID_CHUNKED_BODY => ResponseError::InvalidChunkedBody,
            WSH_RESPONSE_BODY_TOO_LARGE => ResponseError::BodyTooLarge,
            WSH_RESPONSE_INCOMPLETE_HEAD => ResponseError::IncompleteHead,
            WSH_RESPONSE_INCOMPLETE_BODY => ResponseError::IncompleteBody,
            _ => return None,
        })
    }

    /// The extended CONNECT request error this code stands for (codes
    /// 3000..=3099).
    pub fn connect_error(self) -> Option<ConnectError> {
        use wsh_result::*;
        Some(match self {
            WSH_CONNECT_REQUEST_INVALID_FIELD_NAME => ConnectError::InvalidFieldName,
            WSH_CONNECT_REQUEST_INVALID_FIELD_VALUE => ConnectError::InvalidFieldValue,
            WSH_CONNECT_REQUEST_MISPLACED_PSEUDO_HEADER => ConnectError::MisplacedPseudoHeader,
            WSH_CONNECT_REQUEST_UNKNOWN_PSEUDO_HEADER => ConnectError::UnknownPseudoHeader,
            WSH_CONNECT_REQUEST_DUPLICATE_PSEUDO_HEADER => ConnectError::DuplicatePseudoHeader,
            WSH_CONNECT_REQUEST_METHOD_NOT_CONNECT => ConnectError::MethodNotConnect,
            WSH_CONNECT_REQUEST_MISSING_SCHEME => ConnectError::MissingScheme,
            WSH_CONNECT_REQUEST_INVALID_SCHEME => ConnectError::InvalidScheme,
            WSH_CONNECT_REQUEST_MISSING_PATH => ConnectError::MissingPath,
            WSH_CONNECT_REQUEST_INVALID_PATH => ConnectError::InvalidPath,
            WSH_CONNECT_REQUEST_MISSING_AUTHORITY => ConnectError::MissingAuthority,
            WSH_CONNECT_REQUEST_INVALID_AUTHORITY => ConnectError::InvalidAuthority,
            WSH_CONNECT_REQUEST_HOST_MISMATCH => ConnectError::HostMismatch,
            WSH_CONNECT_REQUEST_CONNECTION_SPECIFIC_FIELD => ConnectError::ConnectionSpecificField,
            WSH_CONNECT_REQUEST_HAS_CONTENT => ConnectError::RequestHasContent,
            WSH_CONNECT_REQUEST_MISSING_VERSION => ConnectError::MissingVersion,
            WSH_CONNECT_REQUEST_DUPLICATE_VERSION => ConnectError::DuplicateVersion,
            WSH_CONNECT_REQUEST_UNSUPPORTED_VERSION => ConnectError::UnsupportedVersion,
            WSH_CONNECT_REQUEST_KEY_NOT_ALLOWED => ConnectError::KeyNotAllowed,
            WSH_CONNECT_REQUEST_DUPLICATE_ORIGIN => ConnectError::DuplicateOrigin,
            WSH_CONNECT_REQUEST_ORIGIN_NOT_ALLOWED => ConnectError::OriginNotAllowed,
            WSH_CONNECT_REQUEST_INVALID_SUBPROTOCOL_LIST => ConnectError::InvalidSubprotocolList,
            WSH_CONNECT_REQUEST_NO_SUBPROTOCOL_MATCH => ConnectError::NoSubprotocolMatch,
            WSH_CONNECT_REQUEST_INVALID_EXTENSION_LIST => ConnectError::InvalidExtensionList,
            _ => return None,
        })
    }

    /// The extended CONNECT response error this code stands for (codes
    /// 3100..=3199).
    pub fn connect_response_error(self) -> Option<ConnectResponseError> {
        use wsh_result::*;
        Some(match self {
            WSH_CONNECT_RESPONSE_INVALID_FIELD_NAME => ConnectResponseError::InvalidFieldName,
            WSH_CONNECT_RESPONSE_INVALID_FIELD_VALUE => ConnectResponseError::InvalidFieldValue,
            WSH_CONNECT_RESPONSE_MISPLACED_PSEUDO_HEADER => {
                ConnectResponseError::MisplacedPseudoHeader
            }
            WSH_CONNECT_RESPONSE_UNKNOWN_PSEUDO_HEADER => ConnectResponseError::UnknownPseudoHeader,
            WSH_CONNECT_RESPONSE_DUPLICATE_STATUS => ConnectResponseError::DuplicatePseudoHeader,
            WSH_CONNECT_RESPONSE_MISSING_STATUS => ConnectResponseError::MissingStatus,
            WSH_CONNECT_RESPONSE_INVALID_STATUS => ConnectResponseError::InvalidStatus,
            WSH_CONNECT_RESPONSE_CONNECTION_SPECIFIC_FIELD => {
                ConnectResponseError::ConnectionSpecificField
            }
            WSH_CONNECT_RESPONSE_DUPLICATE_SUBPROTOCOL => {
                ConnectResponseError::DuplicateSubprotocol
            }
            WSH_CONNECT_RESPONSE_SUBPROTOCOL_NOT_OFFERED => {
                ConnectResponseError::SubprotocolNotOffered
            }
            WSH_CONNECT_RESPONSE_INVALID_EXTENSION_LIST => {
                ConnectResponseError::InvalidExtensionList
            }
            WSH_CONNECT_RESPONSE_EXTENSION_NOT_OFFERED => ConnectResponseError::ExtensionNotOffered,
            WSH_CONNECT_RESPONSE_DUPLICATE_EXTENSION => ConnectResponseError::DuplicateExtension,
            WSH_CONNECT_RESPONSE_DEFLATE_INVALID_PARAMETER => {
                ConnectResponseError::Deflate(DeflateResponseError::InvalidParameter)
            }
            WSH_CONNECT_RESPONSE_DEFLATE_UNEXPECTED_CLIENT_WINDOW => {
                ConnectResponseError::Deflate(DeflateResponseError::UnexpectedClientWindow)
            }
            WSH_CONNECT_RESPONSE_DEFLATE_WINDOW_TOO_LARGE => {
                ConnectResponseError::Deflate(DeflateResponseError::WindowTooLarge)
            }
            WSH_CONNECT_RESPONSE_DEFLATE_MISSING_SERVER_NO_CONTEXT_TAKEOVER => {
                ConnectResponseError::Deflate(DeflateResponseError::MissingServerNoContextTakeover)
            }
            WSH_CONNECT_RESPONSE_DEFLATE_MISSING_SERVER_MAX_WINDOW_BITS => {
                ConnectResponseError::Deflate(DeflateResponseError::MissingServerMaxWindowBits)
            }
            _ => return None,
        })
    }

    /// A fixed description.
    pub fn description(self) -> &'static CStr {
        use wsh_result::*;
        match self {
            WSH_OK => c"ok",
            WSH_NEED_MORE => c"need more bytes",
            WSH_NOT_FOUND => c"not found",
            WSH_NULL_POINTER => c"NULL pointer",
            WSH_INVALID_ARGUMENT => c"invalid argument",
            WSH_INVALID_UTF8 => c"text is not valid UTF-8",
            WSH_WRONG_STATE => c"call not valid in the current state",
            WSH_BUFFER_TOO_SMALL => c"buffer too small",
            WSH_INVALID_HEADER_NAME => c"header name is not a token",
            WSH_INVALID_HEADER_VALUE => c"header value contains a forbidden byte",
            WSH_RESERVED_HEADER => c"header is written by the handshake itself",
            WSH_SUBPROTOCOL_NOT_OFFERED => c"subprotocol was not offered by the client",
            WSH_INVALID_STATUS => c"status code not allowed here",
            WSH_INVALID_EXTENSION => c"invalid extension element",
            WSH_INVALID_CONFIG => c"invalid configuration value",
            WSH_OUT_OF_RANGE => c"index out of range",
            WSH_INVALID_URL => c"invalid WebSocket URL",
            WSH_RANDOM_SOURCE_FAILED => c"random source failed",
            WSH_POISONED => c"handle poisoned by an earlier internal error",
            WSH_FIELD_ARRAY_TOO_SMALL => c"field array too small",
            WSH_INVALID_ORIGIN => c"invalid Origin value",
            WSH_INVALID_SUBPROTOCOL => c"subprotocol is not a token",
            WSH_DUPLICATE_SUBPROTOCOL => c"subprotocol offered twice",
            WSH_TOO_MANY_FIELDS => c"more list elements than WSH_CONNECT_MAX_FIELDS",
            WSH_EXTENSION_NOT_OFFERED => c"extension was not offered by the client",
            WSH_RESERVED_EXTENSION => c"permessage-deflate is negotiated by the handshake itself",
            WSH_BODY_NOT_ALLOWED => c"a response with this status has no body",
            WSH_REQUEST_HEAD_TOO_LARGE => c"request head too large",
            WSH_REQUEST_TOO_MANY_HEADERS => c"too many header fields",
            WSH_REQUEST_HEADER_LINE_TOO_LONG => c"header line too long",
            WSH_REQUEST_LINE_TOO_LONG => c"request line too long",
            WSH_REQUEST_MALFORMED_HEAD => c"malformed request head",
            WSH_REQUEST_BARE_LINE_FEED => c"line ends in a bare LF",
            WSH_REQUEST_BARE_CARRIAGE_RETURN => c"bare CR in request head",
            WSH_REQUEST_OBSOLETE_LINE_FOLDING => c"obsolete line folding",
            WSH_REQUEST_METHOD_NOT_ALLOWED => c"WebSocket upgrade requires GET",
            WSH_REQUEST_MISSING_HOST => c"missing Host",
            WSH_REQUEST_DUPLICATE_HOST => c"duplicate Host",
            WSH_REQUEST_INVALID_HOST => c"invalid Host",
            WSH_REQUEST_INVALID_TARGET => c"request target is not origin-form or absolute-form",
            WSH_REQUEST_MISSING_CONNECTION_UPGRADE => c"Connection does not list upgrade",
            WSH_REQUEST_MISSING_KEY => c"missing Sec-WebSocket-Key",
            WSH_REQUEST_DUPLICATE_KEY => c"duplicate Sec-WebSocket-Key",
            WSH_REQUEST_INVALID_KEY => c"Sec-WebSocket-Key is not 16 bytes of base64",
            WSH_REQUEST_MISSING_VERSION => c"missing Sec-WebSocket-Version",
            WSH_REQUEST_DUPLICATE_VERSION => c"duplicate Sec-WebSocket-Version",
            WSH_REQUEST_UNSUPPORTED_VERSION => c"unsupported Sec-WebSocket-Version",
            WSH_REQUEST_DUPLICATE_ORIGIN => c"duplicate Origin",
            WSH_REQUEST_ORIGIN_NOT_ALLOWED => c"origin not allowed",
            WSH_REQUEST_INVALID_SUBPROTOCOL_LIST => c"invalid Sec-WebSocket-Protocol",
            WSH_REQUEST_NO_SUBPROTOCOL_MATCH => c"no supported subprotocol offered",
            WSH_REQUEST_INVALID_EXTENSION_LIST => c"invalid Sec-WebSocket-Extensions",
            WSH_REQUEST_HAS_BODY => c"upgrade request with a body",
            WSH_REQUEST_INVALID_CONTENT_LENGTH => c"invalid Content-Length",
            WSH_RESPONSE_MALFORMED_HEAD => c"malformed response head",
            WSH_RESPONSE_HEAD_TOO_LARGE => c"response head too large",
            WSH_RESPONSE_TOO_MANY_HEADERS => c"too many header fields in response",
            WSH_RESPONSE_INVALID_STATUS => c"invalid status code in response",
            WSH_RESPONSE_INVALID_VERSION => c"101 response not in HTTP/1.1",
            WSH_RESPONSE_MISSING_UPGRADE => c"101 response without Upgrade: websocket",
            WSH_RESPONSE_MISSING_CONNECTION_UPGRADE => c"101 response without Connection: upgrade",
            WSH_RESPONSE_MISSING_ACCEPT => c"missing Sec-WebSocket-Accept",
            WSH_RESPONSE_DUPLICATE_ACCEPT => c"duplicate Sec-WebSocket-Accept",
            WSH_RESPONSE_WRONG_ACCEPT => c"Sec-WebSocket-Accept does not match the key",
            WSH_RESPONSE_UNEXPECTED_SUBPROTOCOL => c"server selected a subprotocol not offered",
            WSH_RESPONSE_MISSING_SUBPROTOCOL => c"server selected no subprotocol",
            WSH_RESPONSE_DUPLICATE_SUBPROTOCOL => c"more than one subprotocol selected",
            WSH_RESPONSE_INVALID_EXTENSIONS => c"invalid Sec-WebSocket-Extensions in response",
            WSH_RESPONSE_UNEXPECTED_EXTENSION => c"server accepted an extension not offered",
            WSH_RESPONSE_DUPLICATE_EXTENSION => c"server accepted an extension twice",
            WSH_RESPONSE_INVALID_DEFLATE_PARAMETER => {
                c"invalid permessage-deflate parameter in response"
            }
            WSH_RESPONSE_UNEXPECTED_CLIENT_WINDOW_BITS => {
                c"unexpected client_max_window_bits in response"
            }
            WSH_RESPONSE_DEFLATE_WINDOW_TOO_LARGE => {
                c"permessage-deflate window larger than offered"
            }
            WSH_RESPONSE_MISSING_SERVER_NO_CONTEXT_TAKEOVER => {
                c"missing server_no_context_takeover in response"
            }
            WSH_RESPONSE_MISSING_SERVER_MAX_WINDOW_BITS => {
                c"server_max_window_bits offered but missing in response"
            }
            WSH_RESPONSE_INVALID_CONTENT_LENGTH => c"invalid Content-Length in response",
            WSH_RESPONSE_INVALID_CHUNKED_BODY => c"invalid chunked body in response",
            WSH_RESPONSE_BODY_TOO_LARGE => c"response body too large",
            WSH_RESPONSE_INCOMPLETE_HEAD => c"connection closed before the response head ended",
            WSH_RESPONSE_INCOMPLETE_BODY => c"connection closed before the response body ended",
            WSH_CONNECT_REQUEST_INVALID_FIELD_NAME => {
                c"extended CONNECT request: invalid field name"
            }
            WSH_CONNECT_REQUEST_INVALID_FIELD_VALUE => {
                c"extended CONNECT request: invalid field value"
            }
            WSH_CONNECT_REQUEST_MISPLACED_PSEUDO_HEADER => {
                c"extended CONNECT request: pseudo-header field after a regular field"
            }
            WSH_CONNECT_REQUEST_UNKNOWN_PSEUDO_HEADER => {
                c"extended CONNECT request: unknown pseudo-header field"
            }
            WSH_CONNECT_REQUEST_DUPLICATE_PSEUDO_HEADER => {
                c"extended CONNECT request: duplicate pseudo-header field"
            }
            WSH_CONNECT_REQUEST_METHOD_NOT_CONNECT => {
                c"extended CONNECT request: :protocol on a request that is not CONNECT"
            }
            WSH_CONNECT_REQUEST_MISSING_SCHEME => c"extended CONNECT request: missing :scheme",
            WSH_CONNECT_REQUEST_INVALID_SCHEME => {
                c"extended CONNECT request: :scheme is not http or https"
            }
            WSH_CONNECT_REQUEST_MISSING_PATH => c"extended CONNECT request: missing or empty :path",
            WSH_CONNECT_REQUEST_INVALID_PATH => c"extended CONNECT request: invalid :path",
            WSH_CONNECT_REQUEST_MISSING_AUTHORITY => {
                c"extended CONNECT request: missing or empty :authority"
            }
            WSH_CONNECT_REQUEST_INVALID_AUTHORITY => {
                c"extended CONNECT request: invalid :authority"
            }
            WSH_CONNECT_REQUEST_HOST_MISMATCH => {
                c"extended CONNECT request: host differs from :authority"
            }
            WSH_CONNECT_REQUEST_CONNECTION_SPECIFIC_FIELD => {
                c"extended CONNECT request: connection-specific field"
            }
            WSH_CONNECT_REQUEST_HAS_CONTENT => {
                c"extended CONNECT request: content-length on CONNECT"
            }
            WSH_CONNECT_REQUEST_MISSING_VERSION => {
                c"extended CONNECT request: missing sec-websocket-version"
            }
            WSH_CONNECT_REQUEST_DUPLICATE_VERSION => {
                c"extended CONNECT request: duplicate sec-websocket-version"
            }
            WSH_CONNECT_REQUEST_UNSUPPORTED_VERSION => {
                c"extended CONNECT request: unsupported sec-websocket-version"
            }
            WSH_CONNECT_REQUEST_KEY_NOT_ALLOWED => {
                c"extended CONNECT request: sec-websocket-key or sec-websocket-accept present"
            }
            WSH_CONNECT_REQUEST_DUPLICATE_ORIGIN => c"extended CONNECT request: duplicate origin",
            WSH_CONNECT_REQUEST_ORIGIN_NOT_ALLOWED => {
                c"extended CONNECT request: origin not allowed"
            }
            WSH_CONNECT_REQUEST_INVALID_SUBPROTOCOL_LIST => {
                c"extended CONNECT request: invalid sec-websocket-protocol"
            }
            WSH_CONNECT_REQUEST_NO_SUBPROTOCOL_MATCH => {
                c"extended CONNECT request: no supported subprotocol offered"
            }
            WSH_CONNECT_REQUEST_INVALID_EXTENSION_LIST => {
                c"extended CONNECT request: invalid sec-websocket-extensions"
            }
            WSH_CONNECT_RESPONSE_INVALID_FIELD_NAME => {
                c"extended CONNECT response: invalid field name"
            }
            WSH_CONNECT_RESPONSE_INVALID_FIELD_VALUE => {
                c"extended CONNECT response: invalid field value"
            }
            WSH_CONNECT_RESPONSE_MISPLACED_PSEUDO_HEADER => {
                c"extended CONNECT response: pseudo-header field after a regular field"
            }
            WSH_CONNECT_RESPONSE_UNKNOWN_PSEUDO_HEADER => {
                c"extended CONNECT response: pseudo-header field other than :status"
            }
            WSH_CONNECT_RESPONSE_DUPLICATE_STATUS => {
                c"extended CONNECT response: duplicate :status"
            }
            WSH_CONNECT_RESPONSE_MISSING_STATUS => c"extended CONNECT response: missing :status",
            WSH_CONNECT_RESPONSE_INVALID_STATUS => c"extended CONNECT response: invalid :status",
            WSH_CONNECT_RESPONSE_CONNECTION_SPECIFIC_FIELD => {
                c"extended CONNECT response: connection-specific field"
            }
            WSH_CONNECT_RESPONSE_DUPLICATE_SUBPROTOCOL => {
                c"extended CONNECT response: duplicate sec-websocket-protocol"
            }
            WSH_CONNECT_RESPONSE_SUBPROTOCOL_NOT_OFFERED => {
                c"extended CONNECT response: subprotocol not offered"
            }
            WSH_CONNECT_RESPONSE_INVALID_EXTENSION_LIST => {
                c"extended CONNECT response: invalid sec-websocket-extensions"
            }
            WSH_CONNECT_RESPONSE_EXTENSION_NOT_OFFERED => {
                c"extended CONNECT response: extension not offered"
            }
            WSH_CONNECT_RESPONSE_DUPLICATE_EXTENSION => {
                c"extended CONNECT response: extension accepted twice"
            }
            WSH_CONNECT_RESPONSE_DEFLATE_INVALID_PARAMETER => {
                c"extended CONNECT response: invalid permessage-deflate parameter"
            }
            WSH_CONNECT_RESPONSE_DEFLATE_UNEXPECTED_CLIENT_WINDOW => {
                c"extended CONNECT response: unexpected client_max_window_bits"
            }
            WSH_CONNECT_RESPONSE_DEFLATE_WINDOW_TOO_LARGE => {
                c"extended CONNECT response: permessage-deflate window larger than offered"
            }
            WSH_CONNECT_RESPONSE_DEFLATE_MISSING_SERVER_NO_CONTEXT_TAKEOVER => {
                c"extended CONNECT response: missing server_no_context_takeover"
            }
            WSH_CONNECT_RESPONSE_DEFLATE_MISSING_SERVER_MAX_WINDOW_BITS => {
                c"extended CONNECT response: server_max_window_bits offered but missing"
            }
            WSH_PANIC => c"internal error (panic caught at the API boundary)",
        }
    }
}

/// The string for an unknown result number.
const UNKNOWN_RESULT: &CStr = c"unknown result";

/// Describes a result code.
///
/// `result`: any integer; numbers that are not a wsh_result give
/// "unknown result".
///
/// Returns a static NUL-terminated string (never NULL, never to be freed). Safe
/// to call from any thread.
#[unsafe(no_mangle)]
pub extern "C" fn wsh_result_str(result: u32) -> *const c_char {
    ffi_boundary! {
        wsh_result::from_u32(result)
            .map_or(UNKNOWN_RESULT, wsh_result::description)
            .as_ptr()
    }
}

/// The HTTP status code of the ready-made rejection that goes with a request
/// error: for WSH_REQUEST_* (1000..=1099) 400, 403, 405, 414, 426 or 431; for
/// WSH_CONNECT_REQUEST_* (3000..=3099) 400 or 403.
///
/// Returns 0 for every other number (client-side errors have no status to
/// send). Safe to call from any thread.
#[unsafe(no_mangle)]
pub extern "C" fn wsh_result_http_status(result: u32) -> u16 {
    ffi_boundary! {
        let Some(code) = wsh_result::from_u32(result) else {
            return 0;
        };
        match (code.request_error(), code.connect_error()) {
            (Some(e), _) => e.status(),
            (None, Some(e)) => e.status(),
            (None, None) => 0,
        }
    }
}
