//! `wsh_result`: the one result code type of the C API, with its strings and
//! HTTP statuses.

use core::ffi::{CStr, c_char};

use super::ffi_boundary;
use super::result_table::{self, result_table};
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
    /// The status code is not allowed here (a rejection of an upgrade request
    /// needs 300..=599, the answer to a request that is not an upgrade
    /// 200..=599).
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
    /// A body for a response that HTTP allows no content in (a 204 or 304, RFC
    /// 9110 sections 15.3.5 and 15.4.5).
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

result_table! {
    {
        WSH_OK => "ok",
        WSH_NEED_MORE => "need more bytes",
        WSH_NOT_FOUND => "not found",
        WSH_NULL_POINTER => "NULL pointer",
        WSH_INVALID_ARGUMENT => "invalid argument",
        WSH_INVALID_UTF8 => "text is not valid UTF-8",
        WSH_POISONED => "handle poisoned by an earlier internal error",
        WSH_TOO_MANY_FIELDS => "more list elements than WSH_CONNECT_MAX_FIELDS",
        WSH_PANIC => "internal error (panic caught at the API boundary)",
    }
    UsageError as usage_error, prefix "" {
        WSH_WRONG_STATE => WrongState,
        WSH_INVALID_HEADER_NAME => InvalidHeaderName,
        WSH_INVALID_HEADER_VALUE => InvalidHeaderValue,
        WSH_RESERVED_HEADER => ReservedHeader,
        WSH_SUBPROTOCOL_NOT_OFFERED => SubprotocolNotOffered,
        WSH_INVALID_STATUS => InvalidStatus,
        WSH_INVALID_EXTENSION => InvalidExtension,
        WSH_EXTENSION_NOT_OFFERED => ExtensionNotOffered,
        WSH_RESERVED_EXTENSION => ReservedExtension,
        WSH_BODY_NOT_ALLOWED => BodyNotAllowed,
        WSH_BUFFER_TOO_SMALL => BufferTooSmall { needed },
        WSH_INVALID_CONFIG => InvalidConfig,
        WSH_OUT_OF_RANGE => OutOfRange,
        WSH_INVALID_URL => InvalidUrl,
        WSH_RANDOM_SOURCE_FAILED => RandomSourceFailed,
        WSH_FIELD_ARRAY_TOO_SMALL => FieldArrayTooSmall { needed },
        WSH_INVALID_ORIGIN => InvalidOrigin,
        WSH_INVALID_SUBPROTOCOL => InvalidSubprotocol,
        WSH_DUPLICATE_SUBPROTOCOL => DuplicateSubprotocol,
    }
    RequestError as request_error, prefix "" {
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
    }
    ResponseError as response_error, prefix "response: " {
        WSH_RESPONSE_MALFORMED_HEAD => MalformedHead,
        WSH_RESPONSE_HEAD_TOO_LARGE => HeadTooLarge,
        WSH_RESPONSE_TOO_MANY_HEADERS => TooManyHeaders,
        WSH_RESPONSE_INVALID_STATUS => InvalidStatus,
        WSH_RESPONSE_INVALID_VERSION => InvalidVersion,
        WSH_RESPONSE_MISSING_UPGRADE => MissingUpgrade,
        WSH_RESPONSE_MISSING_CONNECTION_UPGRADE => MissingConnectionUpgrade,
        WSH_RESPONSE_MISSING_ACCEPT => MissingAccept,
        WSH_RESPONSE_DUPLICATE_ACCEPT => DuplicateAccept,
        WSH_RESPONSE_WRONG_ACCEPT => WrongAccept,
        WSH_RESPONSE_UNEXPECTED_SUBPROTOCOL => UnexpectedSubprotocol,
        WSH_RESPONSE_MISSING_SUBPROTOCOL => MissingSubprotocol,
        WSH_RESPONSE_DUPLICATE_SUBPROTOCOL => DuplicateSubprotocol,
        WSH_RESPONSE_INVALID_EXTENSIONS => InvalidExtensions,
        WSH_RESPONSE_UNEXPECTED_EXTENSION => UnexpectedExtension,
        WSH_RESPONSE_DUPLICATE_EXTENSION => DuplicateExtension,
        WSH_RESPONSE_INVALID_DEFLATE_PARAMETER => InvalidDeflateParameter,
        WSH_RESPONSE_UNEXPECTED_CLIENT_WINDOW_BITS => UnexpectedClientWindowBits,
        WSH_RESPONSE_DEFLATE_WINDOW_TOO_LARGE => DeflateWindowTooLarge,
        WSH_RESPONSE_MISSING_SERVER_NO_CONTEXT_TAKEOVER => MissingServerNoContextTakeover,
        WSH_RESPONSE_MISSING_SERVER_MAX_WINDOW_BITS => MissingServerMaxWindowBits,
        WSH_RESPONSE_INVALID_CONTENT_LENGTH => InvalidContentLength,
        WSH_RESPONSE_INVALID_CHUNKED_BODY => InvalidChunkedBody,
        WSH_RESPONSE_BODY_TOO_LARGE => BodyTooLarge,
        WSH_RESPONSE_INCOMPLETE_HEAD => IncompleteHead,
        WSH_RESPONSE_INCOMPLETE_BODY => IncompleteBody,
    }
    ConnectError as connect_error, prefix "extended CONNECT request: " {
        WSH_CONNECT_REQUEST_INVALID_FIELD_NAME => InvalidFieldName,
        WSH_CONNECT_REQUEST_INVALID_FIELD_VALUE => InvalidFieldValue,
        WSH_CONNECT_REQUEST_MISPLACED_PSEUDO_HEADER => MisplacedPseudoHeader,
        WSH_CONNECT_REQUEST_UNKNOWN_PSEUDO_HEADER => UnknownPseudoHeader,
        WSH_CONNECT_REQUEST_DUPLICATE_PSEUDO_HEADER => DuplicatePseudoHeader,
        WSH_CONNECT_REQUEST_METHOD_NOT_CONNECT => MethodNotConnect,
        WSH_CONNECT_REQUEST_MISSING_SCHEME => MissingScheme,
        WSH_CONNECT_REQUEST_INVALID_SCHEME => InvalidScheme,
        WSH_CONNECT_REQUEST_MISSING_PATH => MissingPath,
        WSH_CONNECT_REQUEST_INVALID_PATH => InvalidPath,
        WSH_CONNECT_REQUEST_MISSING_AUTHORITY => MissingAuthority,
        WSH_CONNECT_REQUEST_INVALID_AUTHORITY => InvalidAuthority,
        WSH_CONNECT_REQUEST_HOST_MISMATCH => HostMismatch,
        WSH_CONNECT_REQUEST_CONNECTION_SPECIFIC_FIELD => ConnectionSpecificField,
        WSH_CONNECT_REQUEST_HAS_CONTENT => RequestHasContent,
        WSH_CONNECT_REQUEST_MISSING_VERSION => MissingVersion,
        WSH_CONNECT_REQUEST_DUPLICATE_VERSION => DuplicateVersion,
        WSH_CONNECT_REQUEST_UNSUPPORTED_VERSION => UnsupportedVersion,
        WSH_CONNECT_REQUEST_KEY_NOT_ALLOWED => KeyNotAllowed,
        WSH_CONNECT_REQUEST_DUPLICATE_ORIGIN => DuplicateOrigin,
        WSH_CONNECT_REQUEST_ORIGIN_NOT_ALLOWED => OriginNotAllowed,
        WSH_CONNECT_REQUEST_INVALID_SUBPROTOCOL_LIST => InvalidSubprotocolList,
        WSH_CONNECT_REQUEST_NO_SUBPROTOCOL_MATCH => NoSubprotocolMatch,
        WSH_CONNECT_REQUEST_INVALID_EXTENSION_LIST => InvalidExtensionList,
    }
    ConnectResponseError as connect_response_error, prefix "extended CONNECT response: " {
        WSH_CONNECT_RESPONSE_INVALID_FIELD_NAME => InvalidFieldName,
        WSH_CONNECT_RESPONSE_INVALID_FIELD_VALUE => InvalidFieldValue,
        WSH_CONNECT_RESPONSE_MISPLACED_PSEUDO_HEADER => MisplacedPseudoHeader,
        WSH_CONNECT_RESPONSE_UNKNOWN_PSEUDO_HEADER => UnknownPseudoHeader,
        WSH_CONNECT_RESPONSE_DUPLICATE_STATUS => DuplicatePseudoHeader,
        WSH_CONNECT_RESPONSE_MISSING_STATUS => MissingStatus,
        WSH_CONNECT_RESPONSE_INVALID_STATUS => InvalidStatus,
        WSH_CONNECT_RESPONSE_CONNECTION_SPECIFIC_FIELD => ConnectionSpecificField,
        WSH_CONNECT_RESPONSE_DUPLICATE_SUBPROTOCOL => DuplicateSubprotocol,
        WSH_CONNECT_RESPONSE_SUBPROTOCOL_NOT_OFFERED => SubprotocolNotOffered,
        WSH_CONNECT_RESPONSE_INVALID_EXTENSION_LIST => InvalidExtensionList,
        WSH_CONNECT_RESPONSE_EXTENSION_NOT_OFFERED => ExtensionNotOffered,
        WSH_CONNECT_RESPONSE_DUPLICATE_EXTENSION => DuplicateExtension,
        WSH_CONNECT_RESPONSE_DEFLATE_INVALID_PARAMETER => Deflate(DeflateResponseError::InvalidParameter) text ResponseError::InvalidDeflateParameter,
        WSH_CONNECT_RESPONSE_DEFLATE_UNEXPECTED_CLIENT_WINDOW => Deflate(DeflateResponseError::UnexpectedClientWindow) text ResponseError::UnexpectedClientWindowBits,
        WSH_CONNECT_RESPONSE_DEFLATE_WINDOW_TOO_LARGE => Deflate(DeflateResponseError::WindowTooLarge) text ResponseError::DeflateWindowTooLarge,
        WSH_CONNECT_RESPONSE_DEFLATE_MISSING_SERVER_NO_CONTEXT_TAKEOVER => Deflate(DeflateResponseError::MissingServerNoContextTakeover) text ResponseError::MissingServerNoContextTakeover,
        WSH_CONNECT_RESPONSE_DEFLATE_MISSING_SERVER_MAX_WINDOW_BITS => Deflate(DeflateResponseError::MissingServerMaxWindowBits) text ResponseError::MissingServerMaxWindowBits,
    }
}

impl wsh_result {
    /// Every code but WSH_PANIC, in numeric order (for tests and bindings).
    pub const ALL: [wsh_result; COUNT - 1] = result_table::first(CODES);

    /// The code with this number, if any.
    pub fn from_u32(code: u32) -> Option<wsh_result> {
        let at = CODES.binary_search_by_key(&code, |c| *c as u32).ok()?;
        CODES.get(at).copied()
    }
}

const _: () = assert!(CODES[COUNT - 1] as u32 == wsh_result::WSH_PANIC as u32);

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
