//! `wsh_result`: the one result code type of the C API, with its strings and
//! HTTP statuses.

use core::ffi::{CStr, c_char};

use super::ffi_boundary;
use crate::error::{RequestError, UsageError};

/// The result of a call. Numbers are stable and never reused; they are grouped:
///
/// - 0..=99: success and non-error progress (WSH_OK, WSH_NEED_MORE, WSH_NOT_FOUND);
/// - 100..=199: misuse by the caller (bad pointer, argument or call order);
/// - 1000..=1099: the peer's request is invalid: the engine has a ready-made
///   rejection response pending, and wsh_result_http_status() gives its status;
/// - 2000..=2099: reserved for errors in a server's response (client side);
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
            UsageError::BufferTooSmall { .. } => WSH_BUFFER_TOO_SMALL,
            UsageError::InvalidConfig => WSH_INVALID_CONFIG,
            UsageError::OutOfRange => WSH_OUT_OF_RANGE,
            UsageError::InvalidUrl => WSH_INVALID_URL,
            UsageError::RandomSourceFailed => WSH_RANDOM_SOURCE_FAILED,
            UsageError::FieldArrayTooSmall { .. } => WSH_FIELD_ARRAY_TOO_SMALL,
            UsageError::InvalidOrigin => WSH_INVALID_ORIGIN,
            UsageError::InvalidSubprotocol => WSH_INVALID_SUBPROTOCOL,
            UsageError::DuplicateSubprotocol => WSH_DUPLICATE_SUBPROTOCOL,
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
        }
    }
}

impl wsh_result {
    /// Every code, in numeric order (for tests and bindings).
    pub const ALL: [wsh_result; 49] = {
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
/// error (WSH_REQUEST_*, 1000..=1099): 400, 403, 405, 414, 426 or 431.
///
/// Returns 0 for every other number. Safe to call from any thread.
#[unsafe(no_mangle)]
pub extern "C" fn wsh_result_http_status(result: u32) -> u16 {
    ffi_boundary! {
        wsh_result::from_u32(result)
            .and_then(wsh_result::request_error)
            .map_or(0, RequestError::status)
    }
}
