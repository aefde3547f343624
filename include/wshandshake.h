/*
 * wshandshake: a sans-I/O engine for the HTTP/1.1 Upgrade mechanism and the
 * WebSocket opening handshake (RFC 6455, RFC 7692 permessage-deflate).
 * You own the sockets, threads and clocks; the engine reads the bytes you feed
 * it and writes the bytes you send.
 *
 * Server in one call (no allocation):
 *
 *     wsh_server_config_builder *b = wsh_server_config_builder_new();
 *     wsh_server_config_builder_add_subprotocol(b, (const uint8_t *)"chat", 4);
 *     const wsh_server_config *config;
 *     if (wsh_server_config_builder_build(b, &config) != WSH_OK) ...;
 *     wsh_respond_info info;
 *     uint8_t out[512];
 *     wsh_result r = wsh_respond(config, request, request_len, out, sizeof out, &info);
 *     // WSH_NEED_MORE: read more; WSH_OK: send out[0..info.response_len) (a 101
 *     // when info.decision is WSH_DECISION_UPGRADE_WEBSOCKET); 1000..1099: send the
 *     // rejection in out and close.
 *
 * For incremental input, inspection before accepting, custom rejections and
 * handle reuse, see wsh_server.
 *
 * Client: wsh_client_config_builder_new() with a ws:// or wss:// URL, then
 * wsh_client_new(); send wsh_client_request(), feed the server's bytes to
 * wsh_client_feed() until it returns something other than WSH_NEED_MORE.
 *
 * WebSocket over HTTP/2 and HTTP/3 (extended CONNECT, RFC 8441 and RFC 9220),
 * on field lists your HTTP/2 or HTTP/3 stack decodes and sends: server
 * wsh_connect_analyze() and wsh_connect_respond(), client
 * wsh_connect_client_request() and wsh_connect_client_check_response().
 *
 * Conventions (the same for every function):
 * - Names: wsh_<type>_<verb>, the handle first. A `const` handle means the call
 *   does not change it. Opaque handles are created by *_new (or *_build) and
 *   destroyed by *_free; freeing NULL does nothing.
 * - Results: most functions return a wsh_result (a uint32_t); WSH_OK is 0.
 *   wsh_result_str() describes any code. Codes 1000..1099 (HTTP/1.1) and
 *   3000..3099 (extended CONNECT) are invalid requests and carry an HTTP status
 *   (wsh_result_http_status()); 2000..2099 and 3100..3199 are invalid
 *   responses seen by a client.
 * - Pointers: a NULL handle or output pointer gives WSH_NULL_POINTER. Byte
 *   strings are (pointer, length) pairs, never NUL-terminated: (NULL, 0) is the
 *   empty string, (NULL, n > 0) gives WSH_INVALID_ARGUMENT. Inputs are borrowed
 *   for the call only (copied if kept).
 * - Outputs are written only when the call succeeds (and, where documented,
 *   with WSH_BUFFER_TOO_SMALL to report the size needed).
 * - Borrowed views (pointer + length returned by the engine) point into the
 *   handle and stay valid as documented on its type (wsh_server, wsh_client;
 *   at least until the next call that is not const on the same handle), or
 *   into the caller's own inputs and buffers where documented. Never free them.
 * - Memory: configs allocate when built; a wsh_server from wsh_server_new()
 *   allocates its buffers once, one from wsh_server_init() lives in memory
 *   you provide (wsh_server_size() bytes, WSH_SERVER_ALIGN) and allocates
 *   nothing; wsh_respond() never allocates.
 * - Threads: a wsh_server_config or wsh_client_config is immutable and may be
 *   used by any number of threads at once. A handle (wsh_server, wsh_client,
 *   the builders) is used by one thread at a time and may move between
 *   threads. The library keeps no global state, does no I/O and reads no
 *   environment variables, with two exceptions in the default build: the
 *   Rust standard library's panic handler, reached only by an internal error
 *   (next point), writes a message to standard error and reads RUST_BACKTRACE
 *   (when that is set it also opens the program's files for a backtrace); and
 *   the random client key of wsh_client_new() comes from getrandom(2), or
 *   from /dev/urandom on kernels older than 3.17. That is why the default
 *   shared library imports getenv, open and write. The min-size build (below)
 *   has neither: it imports only the malloc family, getrandom, abort and
 *   memory routines.
 * - Errors inside the library (Rust panics) never cross into C. In the
 *   default build (panic = "unwind") the call returns WSH_PANIC (or NULL,
 *   false, 0 for other return types) and the handle is poisoned (later calls
 *   give WSH_POISONED; free it). The small-footprint build (cargo profile
 *   min-size without the `std` feature, as scripts/install-c.sh --profile
 *   min-size makes it) has no such boundary: an internal error calls abort()
 *   at once, without a message. The engine's own code has no panic sites
 *   (enforced by lints), so neither path is expected to run. In every build a
 *   failed memory allocation aborts the process; it is not reported as
 *   WSH_PANIC.
 * - Stack (measured by bindings/c/tests/stack_use.sh, x86_64 / armv7, caller
 *   buffers excluded): wsh_respond 3.3 / 2.9 KiB; wsh_server_feed 1.5 / 1.1
 *   KiB; wsh_server_accept 0.9 / 0.8 KiB; wsh_client_feed 5.1 / 2.7 KiB; every
 *   other HTTP/1.1 call less; the extended CONNECT calls up to 18 / 9 KiB (their
 *   field lists live in bounded stack arrays). Give a thread that runs
 *   handshakes at least 32 KiB of stack.
 */

#ifndef WSHANDSHAKE_H
#define WSHANDSHAKE_H

/*
 * Generated by cbindgen from src/ffi/ (Rust) by build.rs; do not edit.
 * Regenerate with: WSH_UPDATE_HEADER=1 cargo build
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/** Major version of the header (from Cargo.toml; see also wsh_version()). */
#define WSH_VERSION_MAJOR 0
/** Minor version of the header. */
#define WSH_VERSION_MINOR 2
/** Patch version of the header. */
#define WSH_VERSION_PATCH 0
/** The full version of the header, e.g. "0.1.0". */
#define WSH_VERSION_STRING "0.2.0"


/**
 * Length of a Sec-WebSocket-Accept value: 28 base64 characters (no NUL).
 */
#define WSH_ACCEPT_KEY_LEN 28

/**
 * The alignment wsh_server_init() needs for its memory (a multiple of the
 * alignment of every type in the block; 16 on every platform).
 */
#define WSH_SERVER_ALIGN 16

/**
 * Length of the nonce a Sec-WebSocket-Key encodes: 16 bytes.
 */
#define WSH_NONCE_LEN 16

/**
 * Length of a Sec-WebSocket-Key value: 24 base64 characters (no NUL).
 */
#define WSH_KEY_LEN 24

/**
 * The HTTP/2 SETTINGS parameter a server sends with value
 * WSH_ENABLE_CONNECT_PROTOCOL before clients may use extended CONNECT
 * (SETTINGS_ENABLE_CONNECT_PROTOCOL, RFC 8441 section 3).
 */
#define WSH_SETTINGS_ENABLE_CONNECT_PROTOCOL 8

/**
 * The HTTP/3 SETTINGS parameter with the same meaning and number
 * (SETTINGS_ENABLE_CONNECT_PROTOCOL, RFC 9220 section 3).
 */
#define WSH_H3_SETTINGS_ENABLE_CONNECT_PROTOCOL 8

/**
 * The value of the SETTINGS parameter that enables extended CONNECT.
 */
#define WSH_ENABLE_CONNECT_PROTOCOL 1

/**
 * The most elements a list passed to an extended CONNECT function may have
 * (request or response fields, extra headers, subprotocols, extensions): more
 * give WSH_TOO_MANY_FIELDS. The lists are copied into fixed arrays on the
 * stack, which is what keeps these functions free of heap allocation.
 */
#define WSH_CONNECT_MAX_FIELDS 128

/**
 * The most permessage-deflate offers a wsh_connect_client_options may carry
 * (more give WSH_TOO_MANY_FIELDS); they too are copied onto the stack.
 */
#define WSH_CONNECT_MAX_DEFLATE_OFFERS 8

/**
 * The result of a call. Numbers are stable and never reused; they are grouped:
 *
 * - 0..=99: success and non-error progress (WSH_OK, WSH_NEED_MORE, WSH_NOT_FOUND);
 * - 100..=199: misuse by the caller (bad pointer, argument or call order);
 * - 1000..=1099: the peer's request is invalid: the engine has a ready-made
 *   rejection response pending, and wsh_result_http_status() gives its status;
 * - 2000..=2099: the server's response to the client's opening request breaks
 *   RFC 6455 (client side): fail the connection;
 * - 3000..=3099: an extended CONNECT request (WebSocket over HTTP/2 or HTTP/3)
 *   is invalid: a ready-made rejection goes with it, and
 *   wsh_result_http_status() gives its status;
 * - 3100..=3199: the server's response to an extended CONNECT breaks the rules
 *   (client side): fail the WebSocket connection and reset the stream;
 * - 9000: WSH_PANIC, an internal error; the handle involved is poisoned.
 *
 * Functions return it as a `uint32_t` (C enums have no fixed size); compare it
 * with the WSH_* constants. wsh_result_str() describes any value.
 */
enum wsh_result
#if defined(__cplusplus) || __STDC_VERSION__ >= 202311L
  : uint32_t
#endif // defined(__cplusplus) || __STDC_VERSION__ >= 202311L
 {
    /**
     * Success.
     */
    WSH_OK = 0,
    /**
     * The request head is not complete yet: feed more bytes.
     */
    WSH_NEED_MORE = 1,
    /**
     * The item asked for is not present (no such header, no query, no
     * subprotocol selected, ...). Outputs are left untouched.
     */
    WSH_NOT_FOUND = 2,
    /**
     * A required pointer (a handle or an output) is NULL.
     */
    WSH_NULL_POINTER = 100,
    /**
     * An argument is invalid: `(NULL, n)` with n > 0, a misaligned pointer, an
     * impossible length, overlapping buffers, or an unknown enum value.
     */
    WSH_INVALID_ARGUMENT = 101,
    /**
     * Bytes that must be text are not valid UTF-8.
     */
    WSH_INVALID_UTF8 = 102,
    /**
     * The call is not valid in the handle's current state (e.g. accept before
     * the request is complete, feed after a decision, accept twice).
     */
    WSH_WRONG_STATE = 103,
    /**
     * The output buffer is too small; the call reports the size needed.
     */
    WSH_BUFFER_TOO_SMALL = 104,
    /**
     * A header name is not an HTTP token.
     */
    WSH_INVALID_HEADER_NAME = 105,
    /**
     * A header value contains CR, LF, NUL or another control byte.
     */
    WSH_INVALID_HEADER_VALUE = 106,
    /**
     * The header is one the handshake writes itself and may not be added.
     */
    WSH_RESERVED_HEADER = 107,
    /**
     * The chosen subprotocol was not offered by the client.
     */
    WSH_SUBPROTOCOL_NOT_OFFERED = 108,
    /**
     * The status code is not allowed here (a rejection of an upgrade request
     * needs 300..=599, the answer to a request that is not an upgrade
     * 200..=599).
     */
    WSH_INVALID_STATUS = 109,
    /**
     * An extension response element does not follow RFC 6455 section 9.1.
     */
    WSH_INVALID_EXTENSION = 110,
    /**
     * A configuration value is invalid or out of its range.
     */
    WSH_INVALID_CONFIG = 111,
    /**
     * An index is out of range.
     */
    WSH_OUT_OF_RANGE = 112,
    /**
     * A URL is not a valid ws:// or wss:// URL.
     */
    WSH_INVALID_URL = 113,
    /**
     * The operating system's random source failed.
     */
    WSH_RANDOM_SOURCE_FAILED = 114,
    /**
     * The handle was poisoned by an earlier internal error (WSH_PANIC); only
     * its free function may still be called.
     */
    WSH_POISONED = 115,
    /**
     * A caller's field array holds fewer entries than the field list needs
     * (extended CONNECT); the call reports the number needed.
     */
    WSH_FIELD_ARRAY_TOO_SMALL = 116,
    /**
     * An Origin value is not "null" or a serialized origin (scheme://host,
     * optionally with :port).
     */
    WSH_INVALID_ORIGIN = 117,
    /**
     * An offered subprotocol is not an HTTP token.
     */
    WSH_INVALID_SUBPROTOCOL = 118,
    /**
     * The same subprotocol is offered twice.
     */
    WSH_DUPLICATE_SUBPROTOCOL = 119,
    /**
     * A list passed to an extended CONNECT function (fields, headers,
     * subprotocols, extensions) has more than WSH_CONNECT_MAX_FIELDS elements.
     * For a peer's request, answer 431 or reset the stream yourself.
     */
    WSH_TOO_MANY_FIELDS = 120,
    /**
     * An extension response element names an extension the client did not
     * offer (RFC 6455 section 9.1).
     */
    WSH_EXTENSION_NOT_OFFERED = 121,
    /**
     * An extension response element names permessage-deflate, which the
     * engine negotiates itself: configure it, or decline it at accept.
     */
    WSH_RESERVED_EXTENSION = 122,
    /**
     * A body for a response that HTTP allows no content in (a 204 or 304, RFC
     * 9110 sections 15.3.5 and 15.4.5).
     */
    WSH_BODY_NOT_ALLOWED = 123,
    /**
     * The request head is larger than the configured limit (431).
     */
    WSH_REQUEST_HEAD_TOO_LARGE = 1000,
    /**
     * More header fields than the configured limit (431).
     */
    WSH_REQUEST_TOO_MANY_HEADERS = 1001,
    /**
     * A header line is longer than the configured limit (431).
     */
    WSH_REQUEST_HEADER_LINE_TOO_LONG = 1002,
    /**
     * The request line is longer than the configured limit (414).
     */
    WSH_REQUEST_LINE_TOO_LONG = 1003,
    /**
     * The head does not follow the HTTP/1.1 message syntax (400).
     */
    WSH_REQUEST_MALFORMED_HEAD = 1010,
    /**
     * A line ends in a bare LF and bare LF is not allowed (400).
     */
    WSH_REQUEST_BARE_LINE_FEED = 1011,
    /**
     * A CR not followed by LF (400).
     */
    WSH_REQUEST_BARE_CARRIAGE_RETURN = 1012,
    /**
     * Obsolete line folding, not allowed (400).
     */
    WSH_REQUEST_OBSOLETE_LINE_FOLDING = 1013,
    /**
     * A WebSocket upgrade whose method is not GET (405, with Allow: GET).
     */
    WSH_REQUEST_METHOD_NOT_ALLOWED = 1020,
    /**
     * No Host field (400).
     */
    WSH_REQUEST_MISSING_HOST = 1021,
    /**
     * More than one Host field (400).
     */
    WSH_REQUEST_DUPLICATE_HOST = 1022,
    /**
     * Upgrade: websocket without "upgrade" in Connection (400).
     */
    WSH_REQUEST_MISSING_CONNECTION_UPGRADE = 1023,
    /**
     * A Host value that is not "host" or "host:port" (400, RFC 9112 section 3.2).
     */
    WSH_REQUEST_INVALID_HOST = 1024,
    /**
     * An upgrade request whose target is neither origin-form nor absolute-form
     * (asterisk-form is for OPTIONS, authority-form for CONNECT), or carries a
     * fragment (400, RFC 9112 section 3.2, RFC 6455 section 3).
     */
    WSH_REQUEST_INVALID_TARGET = 1025,
    /**
     * No Sec-WebSocket-Key (400).
     */
    WSH_REQUEST_MISSING_KEY = 1030,
    /**
     * More than one Sec-WebSocket-Key (400).
     */
    WSH_REQUEST_DUPLICATE_KEY = 1031,
    /**
     * The key is not the base64 encoding of 16 bytes (400).
     */
    WSH_REQUEST_INVALID_KEY = 1032,
    /**
     * No Sec-WebSocket-Version (426, with Sec-WebSocket-Version: 13).
     */
    WSH_REQUEST_MISSING_VERSION = 1033,
    /**
     * More than one Sec-WebSocket-Version (400).
     */
    WSH_REQUEST_DUPLICATE_VERSION = 1034,
    /**
     * A version other than 13 (426, with Sec-WebSocket-Version: 13).
     */
    WSH_REQUEST_UNSUPPORTED_VERSION = 1035,
    /**
     * More than one Origin field (400).
     */
    WSH_REQUEST_DUPLICATE_ORIGIN = 1040,
    /**
     * The Origin is not allowed (403).
     */
    WSH_REQUEST_ORIGIN_NOT_ALLOWED = 1041,
    /**
     * Sec-WebSocket-Protocol is not a list of tokens (400).
     */
    WSH_REQUEST_INVALID_SUBPROTOCOL_LIST = 1050,
    /**
     * A subprotocol is required and none offered is supported (400).
     */
    WSH_REQUEST_NO_SUBPROTOCOL_MATCH = 1051,
    /**
     * Sec-WebSocket-Extensions does not follow RFC 6455 section 9.1 (400).
     */
    WSH_REQUEST_INVALID_EXTENSION_LIST = 1052,
    /**
     * An upgrade request with a body (Transfer-Encoding or Content-Length > 0)
     * (400).
     */
    WSH_REQUEST_HAS_BODY = 1060,
    /**
     * An invalid or duplicated Content-Length (400).
     */
    WSH_REQUEST_INVALID_CONTENT_LENGTH = 1061,
    /**
     * The response head does not follow the HTTP/1.1 message syntax (bare LF,
     * obs-fold, bad status line or field line).
     */
    WSH_RESPONSE_MALFORMED_HEAD = 2000,
    /**
     * The response head is larger than the configured limit.
     */
    WSH_RESPONSE_HEAD_TOO_LARGE = 2001,
    /**
     * More header fields in the response than the configured limit.
     */
    WSH_RESPONSE_TOO_MANY_HEADERS = 2002,
    /**
     * A status code outside 100..=599.
     */
    WSH_RESPONSE_INVALID_STATUS = 2003,
    /**
     * A 101 response in a version other than HTTP/1.1.
     */
    WSH_RESPONSE_INVALID_VERSION = 2004,
    /**
     * A 101 whose Upgrade is not exactly websocket.
     */
    WSH_RESPONSE_MISSING_UPGRADE = 2010,
    /**
     * A 101 whose Connection does not list upgrade.
     */
    WSH_RESPONSE_MISSING_CONNECTION_UPGRADE = 2011,
    /**
     * A 101 without Sec-WebSocket-Accept.
     */
    WSH_RESPONSE_MISSING_ACCEPT = 2012,
    /**
     * A 101 with more than one Sec-WebSocket-Accept.
     */
    WSH_RESPONSE_DUPLICATE_ACCEPT = 2013,
    /**
     * Sec-WebSocket-Accept does not match the key sent.
     */
    WSH_RESPONSE_WRONG_ACCEPT = 2014,
    /**
     * The server selected a subprotocol the client did not offer.
     */
    WSH_RESPONSE_UNEXPECTED_SUBPROTOCOL = 2020,
    /**
     * Subprotocols were offered, none was selected, and the config's
     * subprotocol mode is WSH_CLIENT_SUBPROTOCOL_BROWSER.
     */
    WSH_RESPONSE_MISSING_SUBPROTOCOL = 2021,
    /**
     * More than one Sec-WebSocket-Protocol field, or more than one value.
     */
    WSH_RESPONSE_DUPLICATE_SUBPROTOCOL = 2022,
    /**
     * Sec-WebSocket-Extensions in the response does not follow RFC 6455
     * section 9.1.
     */
    WSH_RESPONSE_INVALID_EXTENSIONS = 2030,
    /**
     * The server accepted an extension the client did not offer.
     */
    WSH_RESPONSE_UNEXPECTED_EXTENSION = 2031,
    /**
     * The server accepted the same extension twice.
     */
    WSH_RESPONSE_DUPLICATE_EXTENSION = 2032,
    /**
     * permessage-deflate: an unknown, duplicated or malformed parameter.
     */
    WSH_RESPONSE_INVALID_DEFLATE_PARAMETER = 2033,
    /**
     * permessage-deflate: client_max_window_bits in the response although the
     * offer did not allow it, or without a value.
     */
    WSH_RESPONSE_UNEXPECTED_CLIENT_WINDOW_BITS = 2034,
    /**
     * permessage-deflate: a window larger than the offer allowed.
     */
    WSH_RESPONSE_DEFLATE_WINDOW_TOO_LARGE = 2035,
    /**
     * permessage-deflate: the offer asked for server_no_context_takeover and the
     * response lacks it.
     */
    WSH_RESPONSE_MISSING_SERVER_NO_CONTEXT_TAKEOVER = 2036,
    /**
     * permessage-deflate: the offer carried server_max_window_bits and the
     * response lacks it (RFC 7692 section 7.1.2.1): the server never agreed to
     * the window the client's decompressor would be sized for.
     */
    WSH_RESPONSE_MISSING_SERVER_MAX_WINDOW_BITS = 2037,
    /**
     * A refusal with an invalid or repeated Content-Length.
     */
    WSH_RESPONSE_INVALID_CONTENT_LENGTH = 2040,
    /**
     * A refusal whose chunked body does not follow RFC 9112 section 7.1.
     */
    WSH_RESPONSE_INVALID_CHUNKED_BODY = 2041,
    /**
     * A refusal whose body is larger than the configured limit; the head is
     * still available.
     */
    WSH_RESPONSE_BODY_TOO_LARGE = 2042,
    /**
     * The connection ended before the response head was complete.
     */
    WSH_RESPONSE_INCOMPLETE_HEAD = 2050,
    /**
     * The connection ended before the refusal's body was complete.
     */
    WSH_RESPONSE_INCOMPLETE_BODY = 2051,
    /**
     * A field name is empty, not a token, or has uppercase letters (400,
     * malformed).
     */
    WSH_CONNECT_REQUEST_INVALID_FIELD_NAME = 3000,
    /**
     * A field value holds NUL, CR or LF, or starts or ends with SP or HTAB
     * (400, malformed).
     */
    WSH_CONNECT_REQUEST_INVALID_FIELD_VALUE = 3001,
    /**
     * A pseudo-header field after a regular field (400, malformed).
     */
    WSH_CONNECT_REQUEST_MISPLACED_PSEUDO_HEADER = 3002,
    /**
     * A pseudo-header field not defined for requests (400, malformed).
     */
    WSH_CONNECT_REQUEST_UNKNOWN_PSEUDO_HEADER = 3003,
    /**
     * A pseudo-header field appears more than once (400, malformed).
     */
    WSH_CONNECT_REQUEST_DUPLICATE_PSEUDO_HEADER = 3004,
    /**
     * :protocol on a request whose :method is missing or not CONNECT (400,
     * malformed).
     */
    WSH_CONNECT_REQUEST_METHOD_NOT_CONNECT = 3010,
    /**
     * No :scheme (400, malformed).
     */
    WSH_CONNECT_REQUEST_MISSING_SCHEME = 3011,
    /**
     * :scheme is neither http nor https (400).
     */
    WSH_CONNECT_REQUEST_INVALID_SCHEME = 3012,
    /**
     * No :path, or an empty one (400, malformed).
     */
    WSH_CONNECT_REQUEST_MISSING_PATH = 3013,
    /**
     * :path does not start with / or holds bytes a path and query cannot (400).
     */
    WSH_CONNECT_REQUEST_INVALID_PATH = 3014,
    /**
     * No :authority, or an empty one (400, malformed).
     */
    WSH_CONNECT_REQUEST_MISSING_AUTHORITY = 3015,
    /**
     * :authority holds userinfo or bytes an authority cannot (400).
     */
    WSH_CONNECT_REQUEST_INVALID_AUTHORITY = 3016,
    /**
     * A host field that differs from :authority (400, malformed).
     */
    WSH_CONNECT_REQUEST_HOST_MISMATCH = 3017,
    /**
     * A connection-specific field (connection, upgrade, keep-alive,
     * transfer-encoding, proxy-connection, te other than trailers) (400,
     * malformed).
     */
    WSH_CONNECT_REQUEST_CONNECTION_SPECIFIC_FIELD = 3020,
    /**
     * content-length on a CONNECT request, which has no content (400).
     */
    WSH_CONNECT_REQUEST_HAS_CONTENT = 3021,
    /**
     * No sec-websocket-version (400 with sec-websocket-version: 13).
     */
    WSH_CONNECT_REQUEST_MISSING_VERSION = 3030,
    /**
     * More than one sec-websocket-version (400 with sec-websocket-version: 13).
     */
    WSH_CONNECT_REQUEST_DUPLICATE_VERSION = 3031,
    /**
     * A version other than 13 (400 with sec-websocket-version: 13).
     */
    WSH_CONNECT_REQUEST_UNSUPPORTED_VERSION = 3032,
    /**
     * sec-websocket-key or sec-websocket-accept in the request: the HTTP/1.1
     * key exchange, which extended CONNECT replaces (400).
     */
    WSH_CONNECT_REQUEST_KEY_NOT_ALLOWED = 3033,
    /**
     * More than one origin (400).
     */
    WSH_CONNECT_REQUEST_DUPLICATE_ORIGIN = 3040,
    /**
     * The origin is not allowed (403).
     */
    WSH_CONNECT_REQUEST_ORIGIN_NOT_ALLOWED = 3041,
    /**
     * sec-websocket-protocol is not a list of tokens (400).
     */
    WSH_CONNECT_REQUEST_INVALID_SUBPROTOCOL_LIST = 3050,
    /**
     * A subprotocol is required and none offered is supported (400).
     */
    WSH_CONNECT_REQUEST_NO_SUBPROTOCOL_MATCH = 3051,
    /**
     * sec-websocket-extensions does not follow RFC 6455 section 9.1 (400).
     */
    WSH_CONNECT_REQUEST_INVALID_EXTENSION_LIST = 3052,
    /**
     * A field name is empty, not a token, or has uppercase letters.
     */
    WSH_CONNECT_RESPONSE_INVALID_FIELD_NAME = 3100,
    /**
     * A field value holds NUL, CR or LF, or starts or ends with SP or HTAB.
     */
    WSH_CONNECT_RESPONSE_INVALID_FIELD_VALUE = 3101,
    /**
     * A pseudo-header field after a regular field.
     */
    WSH_CONNECT_RESPONSE_MISPLACED_PSEUDO_HEADER = 3102,
    /**
     * A pseudo-header field other than :status.
     */
    WSH_CONNECT_RESPONSE_UNKNOWN_PSEUDO_HEADER = 3103,
    /**
     * :status more than once.
     */
    WSH_CONNECT_RESPONSE_DUPLICATE_STATUS = 3104,
    /**
     * No :status.
     */
    WSH_CONNECT_RESPONSE_MISSING_STATUS = 3105,
    /**
     * :status is not three digits in 100..=599, or is 101.
     */
    WSH_CONNECT_RESPONSE_INVALID_STATUS = 3106,
    /**
     * A connection-specific field.
     */
    WSH_CONNECT_RESPONSE_CONNECTION_SPECIFIC_FIELD = 3107,
    /**
     * More than one sec-websocket-protocol.
     */
    WSH_CONNECT_RESPONSE_DUPLICATE_SUBPROTOCOL = 3110,
    /**
     * The selected subprotocol was not offered (or none was offered).
     */
    WSH_CONNECT_RESPONSE_SUBPROTOCOL_NOT_OFFERED = 3111,
    /**
     * sec-websocket-extensions does not follow RFC 6455 section 9.1.
     */
    WSH_CONNECT_RESPONSE_INVALID_EXTENSION_LIST = 3120,
    /**
     * An extension that was not offered.
     */
    WSH_CONNECT_RESPONSE_EXTENSION_NOT_OFFERED = 3121,
    /**
     * permessage-deflate accepted more than once.
     */
    WSH_CONNECT_RESPONSE_DUPLICATE_EXTENSION = 3122,
    /**
     * permessage-deflate: an unknown, duplicated or malformed parameter.
     */
    WSH_CONNECT_RESPONSE_DEFLATE_INVALID_PARAMETER = 3130,
    /**
     * permessage-deflate: client_max_window_bits although the offer did not
     * allow it, or without a value.
     */
    WSH_CONNECT_RESPONSE_DEFLATE_UNEXPECTED_CLIENT_WINDOW = 3131,
    /**
     * permessage-deflate: a window larger than the offer allowed.
     */
    WSH_CONNECT_RESPONSE_DEFLATE_WINDOW_TOO_LARGE = 3132,
    /**
     * permessage-deflate: the offer asked for server_no_context_takeover and the
     * response lacks it.
     */
    WSH_CONNECT_RESPONSE_DEFLATE_MISSING_SERVER_NO_CONTEXT_TAKEOVER = 3133,
    /**
     * permessage-deflate: the offer carried server_max_window_bits and the
     * response lacks it.
     */
    WSH_CONNECT_RESPONSE_DEFLATE_MISSING_SERVER_MAX_WINDOW_BITS = 3134,
    /**
     * An internal error (a Rust panic) was caught at the API boundary. The
     * handle involved is poisoned: free it. Please report it as a bug.
     */
    WSH_PANIC = 9000,
};
#ifndef __cplusplus
#if __STDC_VERSION__ >= 202311L
typedef enum wsh_result wsh_result;
#else
typedef uint32_t wsh_result;
#endif // __STDC_VERSION__ >= 202311L
#endif // __cplusplus

/**
 * What the engine decided about the request bytes fed so far.
 */
enum wsh_decision
#if defined(__cplusplus) || __STDC_VERSION__ >= 202311L
  : uint32_t
#endif // defined(__cplusplus) || __STDC_VERSION__ >= 202311L
 {
    /**
     * The head is not complete yet.
     */
    WSH_DECISION_NEED_MORE = 0,
    /**
     * A valid WebSocket upgrade request: inspect it, then accept or reject.
     */
    WSH_DECISION_UPGRADE_WEBSOCKET = 1,
    /**
     * A valid upgrade to another configured protocol (see
     * wsh_server_upgrade_protocol()): accept or reject.
     */
    WSH_DECISION_UPGRADE_OTHER = 2,
    /**
     * An invalid request: the ready-made rejection is pending; send it and
     * close. The result code says why.
     */
    WSH_DECISION_REJECTED = 3,
    /**
     * An ordinary HTTP request without Upgrade: serve it yourself (or answer
     * it with wsh_server_reject()).
     */
    WSH_DECISION_NOT_UPGRADE = 4,
    /**
     * An HTTP/1.0 request: its Upgrade field is ignored (RFC 9110 section 7.8);
     * serve it as ordinary HTTP.
     */
    WSH_DECISION_NOT_UPGRADE_HTTP10 = 5,
    /**
     * Upgrade names only protocols this server does not switch to (or is not
     * listed in Connection): serve it as ordinary HTTP.
     */
    WSH_DECISION_NOT_UPGRADE_UNSUPPORTED = 6,
    /**
     * The HTTP/2 connection preface: hand every byte received (wsh_server_head()
     * then the rest) to an HTTP/2 stack.
     */
    WSH_DECISION_HTTP2_PREFACE = 7,
};
#ifndef __cplusplus
#if __STDC_VERSION__ >= 202311L
typedef enum wsh_decision wsh_decision;
#else
typedef uint32_t wsh_decision;
#endif // __STDC_VERSION__ >= 202311L
#endif // __cplusplus

/**
 * What kind of host a URL names (wsh_client_url). TLS clients send SNI only
 * for WSH_HOST_NAME.
 */
enum wsh_host_kind
#if defined(__cplusplus) || __STDC_VERSION__ >= 202311L
  : uint32_t
#endif // defined(__cplusplus) || __STDC_VERSION__ >= 202311L
 {
    /**
     * A registered name such as example.com.
     */
    WSH_HOST_NAME = 0,
    /**
     * A dotted-quad IPv4 address such as 127.0.0.1.
     */
    WSH_HOST_IPV4 = 1,
    /**
     * An IPv6 literal such as ::1 (bracketed in the URL and in Host).
     */
    WSH_HOST_IPV6 = 2,
};
#ifndef __cplusplus
#if __STDC_VERSION__ >= 202311L
typedef enum wsh_host_kind wsh_host_kind;
#else
typedef uint32_t wsh_host_kind;
#endif // __STDC_VERSION__ >= 202311L
#endif // __cplusplus

/**
 * What the client knows about the server's answer so far.
 */
enum wsh_client_decision
#if defined(__cplusplus) || __STDC_VERSION__ >= 202311L
  : uint32_t
#endif // defined(__cplusplus) || __STDC_VERSION__ >= 202311L
 {
    /**
     * The response is not complete yet: feed more bytes, or call
     * wsh_client_finish() when the connection closed.
     */
    WSH_CLIENT_DECISION_NEED_MORE = 0,
    /**
     * A valid 101: once the request was sent in full, the connection speaks
     * WebSocket. The bytes after the head are the first frames.
     */
    WSH_CLIENT_DECISION_ACCEPTED = 1,
    /**
     * A well-formed final response other than 101 (wsh_client_status());
     * its head and body are available. Close the connection (or follow a
     * redirect).
     */
    WSH_CLIENT_DECISION_REFUSED = 2,
    /**
     * The response breaks the protocol; the result code (WSH_RESPONSE_*) says
     * how. Close the connection.
     */
    WSH_CLIENT_DECISION_FAILED = 3,
};
#ifndef __cplusplus
#if __STDC_VERSION__ >= 202311L
typedef enum wsh_client_decision wsh_client_decision;
#else
typedef uint32_t wsh_client_decision;
#endif // __STDC_VERSION__ >= 202311L
#endif // __cplusplus

/**
 * What an extended CONNECT request is (wsh_connect_info).
 */
enum wsh_connect_outcome
#if defined(__cplusplus) || __STDC_VERSION__ >= 202311L
  : uint32_t
#endif // defined(__cplusplus) || __STDC_VERSION__ >= 202311L
 {
    /**
     * A valid WebSocket request (:protocol websocket): inspect it, then
     * accept it (wsh_connect_respond()) or refuse it (wsh_connect_reject()).
     */
    WSH_CONNECT_WEBSOCKET = 0,
    /**
     * An invalid WebSocket request: send the ready-made rejection
     * (wsh_connect_respond() writes it); the result code says why.
     */
    WSH_CONNECT_REJECTED = 1,
    /**
     * No :protocol and the method is not CONNECT: an ordinary request; serve
     * it yourself.
     */
    WSH_CONNECT_NOT_CONNECT = 2,
    /**
     * A classic CONNECT without :protocol: a tunnel request for a proxy.
     */
    WSH_CONNECT_PLAIN_CONNECT = 3,
    /**
     * An extended CONNECT for another protocol (or WebSocket is turned off in
     * the config). If you do not handle it, answer 501 (RFC 9220 section 3),
     * e.g. with wsh_connect_reject().
     */
    WSH_CONNECT_OTHER_PROTOCOL = 4,
};
#ifndef __cplusplus
#if __STDC_VERSION__ >= 202311L
typedef enum wsh_connect_outcome wsh_connect_outcome;
#else
typedef uint32_t wsh_connect_outcome;
#endif // __STDC_VERSION__ >= 202311L
#endif // __cplusplus

/**
 * What the server's response to an extended CONNECT means
 * (wsh_connect_client_info).
 */
enum wsh_connect_client_outcome
#if defined(__cplusplus) || __STDC_VERSION__ >= 202311L
  : uint32_t
#endif // defined(__cplusplus) || __STDC_VERSION__ >= 202311L
 {
    /**
     * A 2xx: the stream now carries WebSocket frames.
     */
    WSH_CONNECT_CLIENT_ACCEPTED = 0,
    /**
     * A 3xx, 4xx or 5xx: no WebSocket. The response's fields (e.g. a 401's
     * www-authenticate) and body are still yours to act on.
     */
    WSH_CONNECT_CLIENT_REFUSED = 1,
    /**
     * An informational 1xx: the final response is still to come; check it
     * when it arrives.
     */
    WSH_CONNECT_CLIENT_INTERIM = 2,
};
#ifndef __cplusplus
#if __STDC_VERSION__ >= 202311L
typedef enum wsh_connect_client_outcome wsh_connect_client_outcome;
#else
typedef uint32_t wsh_connect_client_outcome;
#endif // __STDC_VERSION__ >= 202311L
#endif // __cplusplus

/**
 * How the server picks one subprotocol from the client's offer
 * (wsh_server_config_builder_subprotocol_selection()).
 */
enum wsh_subprotocol_selection
#if defined(__cplusplus) || __STDC_VERSION__ >= 202311L
  : uint32_t
#endif // defined(__cplusplus) || __STDC_VERSION__ >= 202311L
 {
    /**
     * The first protocol in the client's order that the server supports (the
     * default; the rule MDN describes).
     */
    WSH_SELECT_CLIENT_PREFERENCE = 0,
    /**
     * The first protocol in the server's order that the client offered.
     */
    WSH_SELECT_SERVER_PREFERENCE = 1,
};
#ifndef __cplusplus
#if __STDC_VERSION__ >= 202311L
typedef enum wsh_subprotocol_selection wsh_subprotocol_selection;
#else
typedef uint32_t wsh_subprotocol_selection;
#endif // __STDC_VERSION__ >= 202311L
#endif // __cplusplus

/**
 * Which subprotocol wsh_server_accept() selects (wsh_accept_options).
 */
enum wsh_subprotocol_mode
#if defined(__cplusplus) || __STDC_VERSION__ >= 202311L
  : uint32_t
#endif // defined(__cplusplus) || __STDC_VERSION__ >= 202311L
 {
    /**
     * The one the config's policy picked, if any (see wsh_server_subprotocol()).
     */
    WSH_SUBPROTOCOL_POLICY = 0,
    /**
     * No subprotocol.
     */
    WSH_SUBPROTOCOL_NONE = 1,
    /**
     * The one named in wsh_accept_options.subprotocol; it must be among those
     * the client offered.
     */
    WSH_SUBPROTOCOL_NAMED = 2,
};
#ifndef __cplusplus
#if __STDC_VERSION__ >= 202311L
typedef enum wsh_subprotocol_mode wsh_subprotocol_mode;
#else
typedef uint32_t wsh_subprotocol_mode;
#endif // __STDC_VERSION__ >= 202311L
#endif // __cplusplus

/**
 * What a client does when it offered subprotocols and the server selected
 * none (wsh_client_config_builder_subprotocol_mode()).
 */
enum wsh_client_subprotocol_mode
#if defined(__cplusplus) || __STDC_VERSION__ >= 202311L
  : uint32_t
#endif // defined(__cplusplus) || __STDC_VERSION__ >= 202311L
 {
    /**
     * Fail the handshake with WSH_RESPONSE_MISSING_SUBPROTOCOL, as browsers do
     * (the default).
     */
    WSH_CLIENT_SUBPROTOCOL_BROWSER = 0,
    /**
     * Accept the connection without a subprotocol, as RFC 6455 section 4.1
     * allows.
     */
    WSH_CLIENT_SUBPROTOCOL_RFC6455 = 1,
};
#ifndef __cplusplus
#if __STDC_VERSION__ >= 202311L
typedef enum wsh_client_subprotocol_mode wsh_client_subprotocol_mode;
#else
typedef uint32_t wsh_client_subprotocol_mode;
#endif // __STDC_VERSION__ >= 202311L
#endif // __cplusplus

/**
 * The :scheme of an extended CONNECT (wsh_connect_client_options).
 */
enum wsh_scheme
#if defined(__cplusplus) || __STDC_VERSION__ >= 202311L
  : uint32_t
#endif // defined(__cplusplus) || __STDC_VERSION__ >= 202311L
 {
    /**
     * "https", for a wss URI (the default).
     */
    WSH_SCHEME_HTTPS = 0,
    /**
     * "http", for a ws URI.
     */
    WSH_SCHEME_HTTP = 1,
};
#ifndef __cplusplus
#if __STDC_VERSION__ >= 202311L
typedef enum wsh_scheme wsh_scheme;
#else
typedef uint32_t wsh_scheme;
#endif // __STDC_VERSION__ >= 202311L
#endif // __cplusplus

/**
 * A client handshake handle (opaque).
 *
 * Life cycle: wsh_client_new() (or wsh_client_new_with_key()); send the bytes
 * of wsh_client_request() and acknowledge them with
 * wsh_client_request_advance(), or copy them out with wsh_client_drain();
 * wsh_client_feed() the server's bytes until the result is not
 * WSH_NEED_MORE (wsh_client_finish() if the connection closes first); read
 * the outcome (wsh_client_subprotocol(), wsh_client_deflate(),
 * wsh_client_status(), wsh_client_body(), ...); wsh_client_reset() for the
 * next connection with the same buffers; wsh_client_free().
 *
 * Memory: the buffers are allocated once by wsh_client_new(), sized from the
 * config's request and limits; feeding and resetting never reallocate them.
 *
 * Borrowed views: the response views (head, reason, header fields, body,
 * subprotocol, extensions) stay valid until wsh_client_feed(),
 * wsh_client_finish(), wsh_client_reset() or wsh_client_free() is called on
 * the handle. The views of wsh_client_request() and wsh_client_key() stay
 * valid until the next call that is not const on the handle.
 *
 * Thread safety: use a handle from one thread at a time; it may move between
 * threads. Different handles are independent.
 *
 * After WSH_PANIC the handle is poisoned: every call but wsh_client_free()
 * returns WSH_POISONED.
 */
typedef struct wsh_client wsh_client;

/**
 * An immutable client configuration (opaque), made by
 * wsh_client_config_builder_build(). It writes the same request for every
 * connection but the key.
 *
 * Thread safety: a config is never modified; any number of threads may use the
 * same config at the same time. Each wsh_client made from it keeps its own
 * reference, so the config may be freed with wsh_client_config_free() while
 * handles made from it are still in use (views into the config, such as
 * wsh_client_url, end with the caller's reference).
 */
typedef struct wsh_client_config wsh_client_config;

/**
 * A client configuration under construction (opaque). Made by
 * wsh_client_config_builder_new() with the URL, changed by the setters, and
 * consumed by wsh_client_config_builder_build() (or freed by
 * wsh_client_config_builder_free()).
 *
 * Each setter checks its value at once: an invalid value returns an error and
 * leaves the builder as it was. Use a builder from one thread at a time.
 */
typedef struct wsh_client_config_builder wsh_client_config_builder;

/**
 * A server handshake handle (opaque).
 *
 * Life cycle: wsh_server_new(); wsh_server_feed() until the result is not
 * WSH_NEED_MORE; inspect the request (wsh_server_path(), wsh_server_header(),
 * ...); wsh_server_accept() or wsh_server_reject() (or nothing, for a request
 * that is not an upgrade); send the bytes of wsh_server_response() and
 * acknowledge them with wsh_server_response_advance(), or copy them out with
 * wsh_server_drain(); wsh_server_reset() to handle the next connection with the
 * same buffers; wsh_server_free().
 *
 * Memory: the buffers are allocated once by wsh_server_new(), sized from the
 * config's limits and response capacity; feeding, accepting and resetting
 * never reallocate them. Alternatively wsh_server_init() places the handle
 * and its buffers in memory the caller provides (wsh_server_size() bytes,
 * aligned to WSH_SERVER_ALIGN: static, stack or pool memory), and nothing is
 * allocated for it. The first list accessor after a head completes
 * (wsh_server_subprotocol_count(), wsh_server_extension_at(), ...) indexes
 * the offered lists in one pass (one allocation, a few bytes per element,
 * bounded by the head limit); every list accessor is then O(1), so reading
 * whole lists is linear in their size. The index is dropped by
 * wsh_server_feed() and wsh_server_reset().
 *
 * Borrowed views: pointers into the request (method, headers, subprotocols,
 * ...) and wsh_server_head() stay valid until wsh_server_feed(),
 * wsh_server_reset() or wsh_server_free() is called on the handle; accepting,
 * rejecting and sending do not move them. The pointer of wsh_server_response()
 * stays valid until the next call that is not const on the handle.
 *
 * Thread safety: use a handle from one thread at a time; it may move between
 * threads. Different handles are independent.
 *
 * After WSH_PANIC the handle is poisoned: every call but wsh_server_free()
 * returns WSH_POISONED.
 */
typedef struct wsh_server wsh_server;

/**
 * An immutable server configuration (opaque), made by
 * wsh_server_config_builder_build().
 *
 * Thread safety: a config is never modified; any number of threads may use the
 * same config at the same time (wsh_server_new(), wsh_respond()). Each
 * wsh_server made from it keeps its own reference, so the config may be freed
 * with wsh_server_config_free() while handles made from it are still in use.
 */
typedef struct wsh_server_config wsh_server_config;

/**
 * A server configuration under construction (opaque). Made by
 * wsh_server_config_builder_new(), changed by the setters, and consumed by
 * wsh_server_config_builder_build() (or freed by
 * wsh_server_config_builder_free()).
 *
 * Each setter checks its value at once: an invalid value returns an error and
 * leaves the builder as it was. Use a builder from one thread at a time.
 */
typedef struct wsh_server_config_builder wsh_server_config_builder;

/**
 * Size limits on a request head; memory per handshake handle is bounded by
 * them. Start from wsh_limits_default() and change the fields you need.
 */
typedef struct wsh_limits {
    /**
     * Maximum bytes in the head, request line and final empty line included
     * (default 16384; 16..=1048576).
     */
    size_t max_head_bytes;
    /**
     * Maximum number of header fields (default 128; 1..=128).
     */
    size_t max_headers;
    /**
     * Maximum length of the request line without CRLF (default 8192; >= 1).
     */
    size_t max_request_line;
    /**
     * Maximum length of one header line without CRLF (default 8192; >= 1).
     */
    size_t max_header_line;
} wsh_limits;

/**
 * The server's permessage-deflate policy (RFC 7692). Start from
 * wsh_deflate_config_default(), which accepts every offer with the largest
 * windows and context takeover allowed.
 */
typedef struct wsh_deflate_config {
    /**
     * Largest LZ77 window (bits, 8..=15) the server's compressor will use.
     * Written in the 101 only when the offer carried server_max_window_bits;
     * otherwise used without telling (the client's 15-bit inflater decodes it).
     */
    uint8_t server_max_window_bits;
    /**
     * Largest window (bits, 8..=15) the server lets the client's compressor
     * use. Below 15, offers that do not allow limiting the client are declined.
     */
    uint8_t client_max_window_bits;
    /**
     * The server resets its compression context after every message.
     */
    bool server_no_context_takeover;
    /**
     * The server asks the client to reset its context after every message.
     */
    bool client_no_context_takeover;
} wsh_deflate_config;

/**
 * One parameter of an extension offer, as sent (see
 * wsh_server_extension_param_at()). Pointers are borrowed views into the
 * request.
 */
typedef struct wsh_extension_param {
    /**
     * The parameter name (a token).
     */
    const uint8_t *name;
    /**
     * Length of `name`.
     */
    size_t name_len;
    /**
     * The value as sent, without surrounding quotes and with escapes kept
     * (NULL when there is no value). wsh_server_extension_param_value() gives
     * the unescaped value.
     */
    const uint8_t *value;
    /**
     * Length of `value` (0 when there is no value).
     */
    size_t value_len;
    /**
     * True when the parameter has a value (`name=value`).
     */
    bool has_value;
    /**
     * True when the value was sent as a quoted string.
     */
    bool quoted;
} wsh_extension_param;

/**
 * The permessage-deflate parameters both sides agreed on: how the framing
 * layer must configure its compressor and decompressor.
 */
typedef struct wsh_deflate_params {
    /**
     * The server resets its compression context after each message.
     */
    bool server_no_context_takeover;
    /**
     * The client resets its compression context after each message.
     */
    bool client_no_context_takeover;
    /**
     * Window bits of the server's compressor (the client's decompressor needs
     * at least this), 8..=15.
     */
    uint8_t server_max_window_bits;
    /**
     * Window bits of the client's compressor (the server's decompressor needs
     * at least this), 8..=15.
     */
    uint8_t client_max_window_bits;
} wsh_deflate_params;

/**
 * A header field to add to a response: a name (an HTTP token such as
 * "WWW-Authenticate") and a value (no CR, LF, NUL or other control bytes
 * except HTAB). Both borrowed for the call only; not NUL-terminated.
 */
typedef struct wsh_header {
    /**
     * The name's first byte.
     */
    const uint8_t *name;
    /**
     * The name's length.
     */
    size_t name_len;
    /**
     * The value's first byte (may be NULL when `value_len` is 0).
     */
    const uint8_t *value;
    /**
     * The value's length.
     */
    size_t value_len;
} wsh_header;

/**
 * A borrowed byte string: `len` bytes at `data`. `(NULL, 0)` is the empty
 * string; `(NULL, n > 0)` is invalid. Not NUL-terminated.
 */
typedef struct wsh_bytes {
    /**
     * The first byte (may be NULL when `len` is 0).
     */
    const uint8_t *data;
    /**
     * Number of bytes.
     */
    size_t len;
} wsh_bytes;

/**
 * How wsh_server_accept() answers. A zero-initialized struct
 * (`wsh_accept_options opts = {0};`) means the defaults: the policy's
 * subprotocol, negotiated permessage-deflate, no extra headers or extensions.
 * Everything it points to is borrowed for the call only.
 */
typedef struct wsh_accept_options {
    /**
     * A wsh_subprotocol_mode value.
     */
    uint32_t subprotocol_mode;
    /**
     * With WSH_SUBPROTOCOL_NAMED: the subprotocol to select (ignored
     * otherwise).
     */
    const uint8_t *subprotocol;
    /**
     * Length of `subprotocol`.
     */
    size_t subprotocol_len;
    /**
     * Decline permessage-deflate for this connection even if it was
     * negotiated.
     */
    bool decline_deflate;
    /**
     * Extra response header fields (e.g. Set-Cookie). They may not be the
     * handshake's own fields (Upgrade, Connection, Sec-WebSocket-*,
     * Content-Length, Transfer-Encoding).
     */
    const struct wsh_header *headers;
    /**
     * Number of elements in `headers`.
     */
    size_t header_count;
    /**
     * Extra Sec-WebSocket-Extensions response elements for extensions the
     * engine does not know, each one element in RFC 6455 section 9.1 syntax
     * (e.g. "x-foo; level=2"); WebSocket upgrades only. Each must name an
     * extension the client offered (WSH_EXTENSION_NOT_OFFERED otherwise), not
     * permessage-deflate, which the engine negotiates itself
     * (WSH_RESERVED_EXTENSION), and each extension at most once
     * (WSH_INVALID_EXTENSION).
     */
    const struct wsh_bytes *extensions;
    /**
     * Number of elements in `extensions`.
     */
    size_t extension_count;
} wsh_accept_options;

/**
 * What wsh_respond() decided and wrote.
 */
typedef struct wsh_respond_info {
    /**
     * The decision (WSH_DECISION_NEED_MORE when the input holds no complete
     * head, or when the call returned WSH_BUFFER_TOO_SMALL).
     */
    wsh_decision decision;
    /**
     * HTTP status of the response written: 101, the rejection's 4xx, or 0 when
     * nothing was written.
     */
    uint16_t status;
    /**
     * Bytes of the request that belong to the head. After a 101 the rest is
     * the new protocol's; for a request that is not an upgrade, the rest
     * follows the head as in any HTTP request; after a rejection every byte
     * is counted (none may be used).
     */
    size_t consumed;
    /**
     * Length of the response written at the start of `out` (0 when nothing
     * was written: incomplete head, not an upgrade, HTTP/2 preface).
     */
    size_t response_len;
    /**
     * With WSH_BUFFER_TOO_SMALL: the output size needed (0 otherwise).
     */
    size_t needed;
    /**
     * The selected subprotocol, a view into the caller's request bytes (NULL
     * when none).
     */
    const uint8_t *subprotocol;
    /**
     * Length of `subprotocol`.
     */
    size_t subprotocol_len;
    /**
     * For WSH_DECISION_UPGRADE_OTHER: the protocol switched to, a view into
     * the config (NULL otherwise).
     */
    const uint8_t *upgrade_protocol;
    /**
     * Length of `upgrade_protocol`.
     */
    size_t upgrade_protocol_len;
    /**
     * True when permessage-deflate was negotiated; `deflate` holds the
     * parameters.
     */
    bool has_deflate;
    /**
     * The negotiated permessage-deflate parameters (zero when `has_deflate` is
     * false).
     */
    struct wsh_deflate_params deflate;
    /**
     * When `subprotocol` is not NULL: its index in the config's subprotocol
     * list (the order of wsh_server_config_builder_add_subprotocol() calls), so
     * a binding can name it without reading `subprotocol`'s bytes. 0 otherwise.
     */
    size_t subprotocol_index;
} wsh_respond_info;

/**
 * Where a read loop around wsh_respond_resume() left off: the scan state of
 * the request head received so far. Zero it before a request's first call
 * (`wsh_respond_progress progress = {0};`) and pass the same struct to every
 * call for that request; the calls update it. The fields other than
 * `scanned` and `examined` are private: do not change them (wrong values
 * cannot make the library misbehave, but may give a wrong verdict).
 */
typedef struct wsh_respond_progress {
    /**
     * Bytes of the request examined so far by the scan (what the next call
     * need not look at again, like picohttpparser's `last_len`); 0 once a
     * call decided, ready for the next request.
     */
    size_t scanned;
    /**
     * Private: where the line being read starts.
     */
    size_t line_start;
    /**
     * Private: header fields counted so far.
     */
    size_t header_count;
    /**
     * Private: scan flags.
     */
    size_t flags;
    /**
     * Bytes examined by every pass of every call made with this struct (an
     * upper bound; a measure of work, kept across requests).
     */
    size_t examined;
} wsh_respond_progress;

/**
 * A permessage-deflate offer (RFC 7692 section 7.1), sent by a client.
 * wsh_deflate_offer_default() gives the offer browsers send
 * ("permessage-deflate; client_max_window_bits"); a zero-initialized struct
 * is the bare "permessage-deflate".
 */
typedef struct wsh_deflate_offer {
    /**
     * Ask the server to reset its compression context after every message.
     */
    bool server_no_context_takeover;
    /**
     * Tell the server the client resets its context after every message.
     */
    bool client_no_context_takeover;
    /**
     * Ask the server to use at most this window: 8..=15, or 0 to leave the
     * parameter out.
     */
    uint8_t server_max_window_bits;
    /**
     * Send client_max_window_bits, telling the server it may limit the
     * client's window.
     */
    bool offer_client_max_window_bits;
    /**
     * With `offer_client_max_window_bits`: the largest window the client will
     * use, 8..=15, or 0 to send the parameter without a value. Must be 0
     * otherwise.
     */
    uint8_t client_max_window_bits;
} wsh_deflate_offer;

/**
 * Bounds on what a client reads from the server; memory per client handle is
 * bounded by them. Start from wsh_client_limits_default().
 */
typedef struct wsh_client_limits {
    /**
     * Maximum bytes in one response head, status line and final empty line
     * included (default 16384; 16..=1048576). Also bounds a chunked body's
     * trailer section.
     */
    size_t max_head_bytes;
    /**
     * Maximum number of header fields in one response head (default 128;
     * 1..=128).
     */
    size_t max_headers;
    /**
     * Maximum body bytes kept from a refusal (default 65536; 0..=16777216). A
     * longer body fails the handshake with WSH_RESPONSE_BODY_TOO_LARGE.
     */
    size_t max_body_bytes;
} wsh_client_limits;

/**
 * The parts of a config's URL a client needs to open the connection
 * (wsh_client_config_url()). The pointers are views into the config, valid
 * until wsh_client_config_free(); not NUL-terminated.
 */
typedef struct wsh_client_url {
    /**
     * The host to resolve or connect to: lowercase, an IPv6 literal without
     * its brackets (e.g. "example.com", "127.0.0.1", "::1").
     */
    const uint8_t *host;
    /**
     * Length of `host`.
     */
    size_t host_len;
    /**
     * What kind of host it is.
     */
    wsh_host_kind host_kind;
    /**
     * The port to connect to (80 or 443 when the URL gives none).
     */
    uint16_t port;
    /**
     * True for wss://: run TLS on the connection before the handshake.
     */
    bool secure;
    /**
     * The Host field the request carries: the host (IPv6 in brackets), then
     * ":port" unless it is the scheme's default.
     */
    const uint8_t *host_header;
    /**
     * Length of `host_header`.
     */
    size_t host_header_len;
    /**
     * The resource name of the request line: the path ("/" when empty), then
     * "?query" when the query is not empty.
     */
    const uint8_t *resource;
    /**
     * Length of `resource`.
     */
    size_t resource_len;
} wsh_client_url;

/**
 * One header field of an HTTP/2 or HTTP/3 field list, as the stack decodes
 * it or takes it: pseudo-header fields (":method", ":status", ...) first, then
 * regular fields with lowercase names. Not NUL-terminated.
 *
 * In an input list (a request or response the stack decoded) the bytes are
 * borrowed for the call only. In an output list the engine fills in, the
 * pointers are views into the caller's byte buffer passed to the same call.
 */
typedef struct wsh_field {
    /**
     * The name's first byte (may be NULL when `name_len` is 0).
     */
    const uint8_t *name;
    /**
     * The name's length.
     */
    size_t name_len;
    /**
     * The value's first byte (may be NULL when `value_len` is 0).
     */
    const uint8_t *value;
    /**
     * The value's length.
     */
    size_t value_len;
} wsh_field;

/**
 * What wsh_connect_analyze() or wsh_connect_respond() learned and wrote.
 * Pointers are views into the caller's request fields (NULL when absent),
 * valid as long as those bytes are.
 */
typedef struct wsh_connect_info {
    /**
     * What the request is.
     */
    wsh_connect_outcome outcome;
    /**
     * The :status of the response written (wsh_connect_respond()) or that
     * wsh_connect_respond() would write without options
     * (wsh_connect_analyze()): 200 for WSH_CONNECT_WEBSOCKET, the rejection's
     * 400 or 403 for WSH_CONNECT_REJECTED, 0 otherwise.
     */
    uint16_t status;
    /**
     * WSH_CONNECT_REJECTED only: HTTP/2 and HTTP/3 call such a request
     * malformed. After sending the rejection (or instead), reset the stream
     * with PROTOCOL_ERROR (HTTP/2) or H3_MESSAGE_ERROR (HTTP/3).
     */
    bool malformed;
    /**
     * WSH_CONNECT_WEBSOCKET: true for :scheme https (a wss URI), false for
     * http (ws).
     */
    bool secure;
    /**
     * WSH_CONNECT_WEBSOCKET: :path, the path and query of the WebSocket URI.
     */
    const uint8_t *path;
    /**
     * Length of `path`.
     */
    size_t path_len;
    /**
     * WSH_CONNECT_WEBSOCKET: :authority, the host and port of the URI.
     */
    const uint8_t *authority;
    /**
     * Length of `authority`.
     */
    size_t authority_len;
    /**
     * WSH_CONNECT_WEBSOCKET: the origin field (NULL when there is none).
     */
    const uint8_t *origin;
    /**
     * Length of `origin`.
     */
    size_t origin_len;
    /**
     * WSH_CONNECT_WEBSOCKET: the number of subprotocols offered (see
     * wsh_connect_offers()).
     */
    size_t subprotocol_count;
    /**
     * WSH_CONNECT_WEBSOCKET: the number of extension offers (see
     * wsh_connect_offers()).
     */
    size_t extension_count;
    /**
     * WSH_CONNECT_WEBSOCKET: the subprotocol the config's policy picks
     * (wsh_connect_analyze()) or the response selected
     * (wsh_connect_respond()); NULL when none.
     */
    const uint8_t *subprotocol;
    /**
     * Length of `subprotocol`.
     */
    size_t subprotocol_len;
    /**
     * True when permessage-deflate is negotiated; `deflate` holds the
     * parameters.
     */
    bool has_deflate;
    /**
     * The permessage-deflate parameters (zero when `has_deflate` is false).
     */
    struct wsh_deflate_params deflate;
    /**
     * Response fields written into the caller's field array; with
     * WSH_FIELD_ARRAY_TOO_SMALL or WSH_BUFFER_TOO_SMALL the number needed. From
     * wsh_connect_analyze(): what wsh_connect_respond() without options needs.
     */
    size_t field_count;
    /**
     * Response bytes written into the caller's buffer; with
     * WSH_FIELD_ARRAY_TOO_SMALL or WSH_BUFFER_TOO_SMALL the size needed. From
     * wsh_connect_analyze(): what wsh_connect_respond() without options needs.
     */
    size_t bytes_len;
} wsh_connect_info;

/**
 * What an extended CONNECT client asks for. A zero-initialized struct is the
 * default but for `authority`, which is required: scheme https, path "/", no
 * subprotocols, no permessage-deflate, no origin, no extra fields. Everything
 * it points to is borrowed for the call only; byte strings are not
 * NUL-terminated.
 */
typedef struct wsh_connect_client_options {
    /**
     * A wsh_scheme value.
     */
    uint32_t scheme;
    /**
     * :authority, the host and port of the WebSocket URI (e.g.
     * "server.example.com" or "[::1]:8443"), without userinfo. Required.
     */
    const uint8_t *authority;
    /**
     * Length of `authority`.
     */
    size_t authority_len;
    /**
     * :path, the path and query of the WebSocket URI, starting with "/";
     * `(NULL, 0)` means "/".
     */
    const uint8_t *path;
    /**
     * Length of `path`.
     */
    size_t path_len;
    /**
     * Subprotocols to offer, in order of preference (unique tokens).
     */
    const struct wsh_bytes *subprotocols;
    /**
     * Number of elements in `subprotocols`.
     */
    size_t subprotocol_count;
    /**
     * The permessage-deflate offers, in order of preference (RFC 7692
     * section 5.1: the server accepts the first it supports), or NULL for
     * none. wsh_connect_client_info.deflate_offer_index tells which one the
     * response accepted.
     */
    const struct wsh_deflate_offer *deflate;
    /**
     * Number of offers at `deflate`, at most WSH_CONNECT_MAX_DEFLATE_OFFERS;
     * 0 with a non-NULL `deflate` means one offer, so a single offer needs
     * only the pointer.
     */
    size_t deflate_count;
    /**
     * The origin field (e.g. "https://example.com"; visible ASCII), or NULL
     * for none.
     */
    const uint8_t *origin;
    /**
     * Length of `origin` (0 when `origin` is NULL).
     */
    size_t origin_len;
    /**
     * Extra fields (token names, lowercased on output; values without control
     * bytes but HTAB and without whitespace at either end; not host, origin,
     * content-length, sec-websocket-* or connection-specific fields).
     */
    const struct wsh_header *headers;
    /**
     * Number of elements in `headers`.
     */
    size_t header_count;
} wsh_connect_client_options;

/**
 * What wsh_connect_client_check_response() found.
 */
typedef struct wsh_connect_client_info {
    /**
     * What the response means.
     */
    wsh_connect_client_outcome outcome;
    /**
     * The :status.
     */
    uint16_t status;
    /**
     * WSH_CONNECT_CLIENT_ACCEPTED: the subprotocol the server selected, a view
     * into the response fields passed in (NULL when none).
     */
    const uint8_t *subprotocol;
    /**
     * Length of `subprotocol`.
     */
    size_t subprotocol_len;
    /**
     * True when permessage-deflate was agreed on; `deflate` holds the
     * parameters.
     */
    bool has_deflate;
    /**
     * The permessage-deflate parameters, for the framing layer (zero when
     * `has_deflate` is false).
     */
    struct wsh_deflate_params deflate;
    /**
     * With `has_deflate`: which of the options' deflate offers the response
     * accepted (0 for the first). The response does not name it: it is the
     * first offer the response is a valid answer to. 0 otherwise.
     */
    size_t deflate_offer_index;
} wsh_connect_client_info;

#ifdef __cplusplus
extern "C" {
#endif // __cplusplus

/**
 * The version of the library that is running, e.g. "0.1.0" (the same text as
 * WSH_VERSION_STRING for the header it was built with).
 *
 * Returns a static NUL-terminated string (never NULL, never to be freed). Safe
 * to call from any thread.
 */
const char *wsh_version(void);

/**
 * Describes a result code.
 *
 * `result`: any integer; numbers that are not a wsh_result give
 * "unknown result".
 *
 * Returns a static NUL-terminated string (never NULL, never to be freed). Safe
 * to call from any thread.
 */
const char *wsh_result_str(uint32_t result);

/**
 * The HTTP status code of the ready-made rejection that goes with a request
 * error: for WSH_REQUEST_* (1000..=1099) 400, 403, 405, 414, 426 or 431; for
 * WSH_CONNECT_REQUEST_* (3000..=3099) 400 or 403.
 *
 * Returns 0 for every other number (client-side errors have no status to
 * send). Safe to call from any thread.
 */
uint16_t wsh_result_http_status(uint32_t result);

/**
 * Computes the Sec-WebSocket-Accept value for a Sec-WebSocket-Key
 * (RFC 6455 section 4.2.2: base64 of SHA-1 of the key and the RFC's GUID).
 *
 * `key`, `key_len`: the key exactly as sent (normally 24 base64 characters; the
 * RFC hashes the text, so it is not decoded or validated here). Borrowed for
 * the call.
 * `out`: receives exactly WSH_ACCEPT_KEY_LEN (28) bytes, not NUL-terminated.
 *
 * Returns WSH_OK; WSH_NULL_POINTER when `out` is NULL; WSH_INVALID_ARGUMENT
 * for `(NULL, n > 0)` input. Allocates nothing; safe to call from any thread.
 */
wsh_result wsh_accept_key(const uint8_t *key,
                          size_t key_len,
                          uint8_t *out);

/**
 * Writes the default limits into `*out`.
 *
 * Returns WSH_OK, or WSH_NULL_POINTER when `out` is NULL.
 */
wsh_result wsh_limits_default(struct wsh_limits *out);

/**
 * Writes the default permessage-deflate policy into `*out`: windows of 15 bits
 * both ways, context takeover allowed both ways.
 *
 * Returns WSH_OK, or WSH_NULL_POINTER when `out` is NULL.
 */
wsh_result wsh_deflate_config_default(struct wsh_deflate_config *out);

/**
 * Makes a builder with the defaults: WebSocket enabled, no subprotocols, no
 * extensions, any origin, strict parsing, the default limits (see
 * wsh_limits_default()), a 4096-byte response buffer per handshake.
 *
 * Returns the new builder, owned by the caller: pass it to
 * wsh_server_config_builder_build() or wsh_server_config_builder_free().
 * Returns NULL only on an internal error.
 */
struct wsh_server_config_builder *wsh_server_config_builder_new(void);

/**
 * Frees a builder that was not built. NULL is a no-op.
 */
void wsh_server_config_builder_free(struct wsh_server_config_builder *builder);

/**
 * Adds a supported subprotocol, after those added before (the server's order
 * of preference).
 *
 * `name`, `len`: an HTTP token such as "chat" or "v2.json.example"; borrowed
 * for the call (copied).
 *
 * Returns WSH_OK; WSH_INVALID_CONFIG when it is not a token (or empty);
 * WSH_INVALID_UTF8; WSH_NULL_POINTER for a NULL builder;
 * WSH_INVALID_ARGUMENT for `(NULL, len > 0)`.
 */
wsh_result wsh_server_config_builder_add_subprotocol(struct wsh_server_config_builder *builder,
                                                     const uint8_t *name,
                                                     size_t len);

/**
 * Chooses how one subprotocol is picked from the client's offer.
 *
 * `selection`: a wsh_subprotocol_selection value (default
 * WSH_SELECT_CLIENT_PREFERENCE).
 *
 * Returns WSH_OK; WSH_INVALID_ARGUMENT for any other number;
 * WSH_NULL_POINTER for a NULL builder.
 */
wsh_result wsh_server_config_builder_subprotocol_selection(struct wsh_server_config_builder *builder,
                                                           uint32_t selection);

/**
 * When `required` is true, WebSocket requests that offer no supported
 * subprotocol are rejected with 400 (WSH_REQUEST_NO_SUBPROTOCOL_MATCH).
 * Default false.
 *
 * Returns WSH_OK, or WSH_NULL_POINTER for a NULL builder.
 */
wsh_result wsh_server_config_builder_require_subprotocol(struct wsh_server_config_builder *builder,
                                                         bool required);

/**
 * Adds an allowed origin, e.g. `https://example.com` (compared exactly,
 * ASCII case-insensitively). Once any origin is added, requests from other
 * origins and from "null" are rejected with 403; without any, every origin is
 * allowed.
 *
 * `origin`, `len`: visible ASCII, not empty, not "null"; borrowed for the call.
 *
 * Returns WSH_OK; WSH_INVALID_CONFIG for an invalid origin; WSH_INVALID_UTF8;
 * WSH_NULL_POINTER for a NULL builder; WSH_INVALID_ARGUMENT for
 * `(NULL, len > 0)`.
 */
wsh_result wsh_server_config_builder_add_allowed_origin(struct wsh_server_config_builder *builder,
                                                        const uint8_t *origin,
                                                        size_t len);

/**
 * When `required` is true, requests without an Origin field are rejected with
 * 403 (browsers always send one). Default false.
 *
 * Returns WSH_OK, or WSH_NULL_POINTER for a NULL builder.
 */
wsh_result wsh_server_config_builder_require_origin(struct wsh_server_config_builder *builder,
                                                    bool required);

/**
 * Whether WebSocket upgrades are handled (default true). Turn it off for a
 * server that only switches to other protocols (wsh_server_config_builder_add_upgrade_protocol()).
 *
 * Returns WSH_OK, or WSH_NULL_POINTER for a NULL builder.
 */
wsh_result wsh_server_config_builder_websocket(struct wsh_server_config_builder *builder,
                                               bool enabled);

/**
 * Adds another protocol the server may switch to besides WebSocket, such as
 * "h2c", "TLS/1.2" or "foo/2" (token or token/token). The client's Upgrade
 * order decides among the supported ones. An accepted request of this kind is
 * reported as WSH_DECISION_UPGRADE_OTHER. For "h2c" the RFC 7540 section 3.2
 * rules apply (exactly one valid HTTP2-Settings, listed in Connection).
 *
 * `protocol`, `len`: borrowed for the call.
 *
 * Returns WSH_OK; WSH_INVALID_CONFIG for an invalid protocol or "websocket";
 * WSH_INVALID_UTF8; WSH_NULL_POINTER for a NULL builder;
 * WSH_INVALID_ARGUMENT for `(NULL, len > 0)`.
 */
wsh_result wsh_server_config_builder_add_upgrade_protocol(struct wsh_server_config_builder *builder,
                                                          const uint8_t *protocol,
                                                          size_t len);

/**
 * Enables permessage-deflate (RFC 7692) with this policy. Off by default.
 *
 * `deflate`: read during the call (copied).
 *
 * Returns WSH_OK; WSH_INVALID_CONFIG when a window size is outside 8..=15;
 * WSH_NULL_POINTER when `builder` or `deflate` is NULL.
 */
wsh_result wsh_server_config_builder_permessage_deflate(struct wsh_server_config_builder *builder,
                                                        const struct wsh_deflate_config *deflate);

/**
 * Sets the size limits on request heads (see wsh_limits for the ranges).
 *
 * `limits`: read during the call (copied).
 *
 * Returns WSH_OK; WSH_INVALID_CONFIG when a value is out of range;
 * WSH_NULL_POINTER when `builder` or `limits` is NULL.
 */
wsh_result wsh_server_config_builder_limits(struct wsh_server_config_builder *builder,
                                            const struct wsh_limits *limits);

/**
 * Lenient parsing: accept lines that end in a bare LF (legacy devices).
 * Default false (such requests get 400).
 *
 * Returns WSH_OK, or WSH_NULL_POINTER for a NULL builder.
 */
wsh_result wsh_server_config_builder_allow_bare_lf(struct wsh_server_config_builder *builder,
                                                   bool allow);

/**
 * Lenient parsing: unfold obsolete line folding instead of rejecting it.
 * Applies to wsh_server handles; wsh_respond() always rejects folding (it
 * cannot rewrite the caller's bytes). Default false.
 *
 * Returns WSH_OK, or WSH_NULL_POINTER for a NULL builder.
 */
wsh_result wsh_server_config_builder_allow_obs_fold(struct wsh_server_config_builder *builder,
                                                    bool allow);

/**
 * Lenient parsing: accept a WebSocket request without Host. Default false.
 *
 * Returns WSH_OK, or WSH_NULL_POINTER for a NULL builder.
 */
wsh_result wsh_server_config_builder_allow_missing_host(struct wsh_server_config_builder *builder,
                                                        bool allow);

/**
 * Lenient parsing: accept a Host that is an IPv6 address without brackets,
 * perhaps followed by ":port" (WebSocket-Node sends "Host: ::1:8080").
 * Default false. Risk: such a value has no single reading ("::1:8080" is also
 * a whole address without a port), so a proxy in front may route it elsewhere
 * than the application reads it. Only its shape is checked (hex digits, ':'
 * and '.', at least two colons); wsh_server_host() reports it as sent.
 *
 * Returns WSH_OK, or WSH_NULL_POINTER for a NULL builder.
 */
wsh_result wsh_server_config_builder_allow_unbracketed_ipv6_host(struct wsh_server_config_builder *builder,
                                                                 bool allow);

/**
 * Sets the size of each wsh_server's response buffer (default 4096,
 * 256..=1048576). The 101 response with the extra headers given to
 * wsh_server_accept() must fit in it.
 *
 * Returns WSH_OK; WSH_INVALID_CONFIG when out of range; WSH_NULL_POINTER for
 * a NULL builder.
 */
wsh_result wsh_server_config_builder_response_capacity(struct wsh_server_config_builder *builder,
                                                       size_t bytes);

/**
 * Finishes the configuration.
 *
 * `builder`: consumed by this call whatever the result (do not use or free it
 * afterwards), except when it is NULL.
 * `out`: on WSH_OK receives the new config, owned by the caller: free it with
 * wsh_server_config_free().
 *
 * Returns WSH_OK; WSH_NULL_POINTER when `builder` or `out` is NULL;
 * WSH_POISONED when an earlier call on the builder failed internally.
 */
wsh_result wsh_server_config_builder_build(struct wsh_server_config_builder *builder,
                                           const struct wsh_server_config **out);

/**
 * Releases the caller's reference to a config. Handles made from it keep it
 * alive until they are freed. Call it once no other call using this pointer
 * (on any thread) is running or will run. NULL is a no-op.
 */
void wsh_server_config_free(const struct wsh_server_config *config);

/**
 * Makes a handshake handle that uses `config`.
 *
 * `config`: borrowed for the call; the handle keeps its own reference, so the
 * config may be freed before the handle.
 * `out`: on WSH_OK receives the handle, owned by the caller: free it with
 * wsh_server_free().
 *
 * Returns WSH_OK, or WSH_NULL_POINTER when `config` or `out` is NULL.
 */
wsh_result wsh_server_new(const struct wsh_server_config *config,
                          struct wsh_server **out);

/**
 * Frees a handle and every buffer it owns; borrowed views into it become
 * invalid. Also valid on a poisoned handle. NULL is a no-op. For a handle
 * made by wsh_server_init() it ends the handle (dropping its reference to
 * the config) and leaves the memory to the caller, who may reuse it.
 */
void wsh_server_free(struct wsh_server *server);

/**
 * Forgets the current handshake so the handle can serve a new connection.
 * Keeps the buffers (nothing is reallocated). Invalidates every borrowed view.
 *
 * Returns WSH_OK; WSH_NULL_POINTER; WSH_POISONED (a poisoned handle cannot be
 * reset: free it).
 */
wsh_result wsh_server_reset(struct wsh_server *server);

/**
 * Feeds request bytes, in any chunking (one byte at a time gives the same
 * result as the whole head at once, and each byte is examined once).
 *
 * `data`, `len`: the bytes received; borrowed for the call (copied as needed).
 * `consumed`: receives how many of these bytes the handshake took. While the
 * head is incomplete that is all of them. When the head completes, the bytes
 * after it are not taken: after an accepted upgrade they are the new
 * protocol's first bytes; for a request that is not an upgrade, what follows
 * the head. After a rejection every byte is taken (none may be used: close
 * the connection once the response is sent). For WSH_DECISION_HTTP2_PREFACE,
 * hand wsh_server_head() and then the untaken bytes to the HTTP/2 stack.
 * `decision`: receives the decision (a wsh_decision).
 *
 * Returns WSH_NEED_MORE (feed more); WSH_OK (decided: see `decision`); a
 * WSH_REQUEST_* error (the request is invalid, `decision` is
 * WSH_DECISION_REJECTED, and the ready-made rejection with status
 * wsh_result_http_status(result) is pending in wsh_server_response()). In
 * those three cases both outputs are written. Misuse, with nothing written:
 * WSH_NULL_POINTER; WSH_INVALID_ARGUMENT for `(NULL, len > 0)`;
 * WSH_WRONG_STATE once a decision was made (reset first); WSH_POISONED.
 */
wsh_result wsh_server_feed(struct wsh_server *server,
                           const uint8_t *data,
                           size_t len,
                           size_t *consumed,
                           wsh_decision *decision);

/**
 * The decision so far (the same as the last wsh_server_feed() reported).
 *
 * `decision`: receives a wsh_decision.
 *
 * Returns what wsh_server_feed() returned for it (WSH_NEED_MORE, WSH_OK or the
 * WSH_REQUEST_* error); WSH_NULL_POINTER; WSH_POISONED.
 */
wsh_result wsh_server_decision(const struct wsh_server *server,
                               wsh_decision *decision);

/**
 * The raw request head bytes received so far (the whole head, final empty line
 * included, once decided; unfolded in place when obs-fold is allowed).
 *
 * `data`, `len`: receive a borrowed view into the handle.
 *
 * Returns WSH_OK; WSH_NULL_POINTER; WSH_POISONED.
 */
wsh_result wsh_server_head(const struct wsh_server *server,
                           const uint8_t **data,
                           size_t *len);

/**
 * The request method, e.g. "GET".
 *
 * `data`, `len`: receive a borrowed view into the handle (not NUL-terminated).
 *
 * Returns WSH_OK; WSH_WRONG_STATE when no parsed request is available (head
 * incomplete, rejected, or HTTP/2 preface); WSH_NULL_POINTER; WSH_POISONED.
 * The same holds for every request accessor below.
 */
wsh_result wsh_server_method(const struct wsh_server *server,
                             const uint8_t **data,
                             size_t *len);

/**
 * The request target as sent, e.g. "/chat?room=1" or
 * "http://example.com/chat?room=1".
 *
 * `data`, `len`: receive a borrowed view into the handle.
 *
 * Returns as wsh_server_method().
 */
wsh_result wsh_server_target(const struct wsh_server *server,
                             const uint8_t **data,
                             size_t *len);

/**
 * The path of the target, without the query: "/chat" for "/chat?room=1", and
 * for an absolute-form target without its scheme and authority ("/chat" for
 * "http://example.com/chat?room=1"; "/" when the URI has no path). Other
 * forms ("*", "host:port", only in requests that are not upgrades) as sent.
 *
 * `data`, `len`: receive a borrowed view into the handle.
 *
 * Returns as wsh_server_method().
 */
wsh_result wsh_server_path(const struct wsh_server *server,
                           const uint8_t **data,
                           size_t *len);

/**
 * The query of the target (after the first "?", before any "#"), e.g.
 * "room=1".
 *
 * `data`, `len`: receive a borrowed view into the handle.
 *
 * Returns as wsh_server_method(), and WSH_NOT_FOUND when the target has no
 * "?" (an empty query after "?" is WSH_OK with length 0).
 */
wsh_result wsh_server_query(const struct wsh_server *server,
                            const uint8_t **data,
                            size_t *len);

/**
 * The host the request is for: the authority of an absolute-form target
 * ("GET http://example.com:8080/chat", userinfo left out), which RFC 9112
 * section 3.2.2 says rules over the Host field; otherwise the value of the
 * (first) Host field.
 *
 * `data`, `len`: receive a borrowed view into the handle.
 *
 * Returns as wsh_server_method(), and WSH_NOT_FOUND when there is neither.
 */
wsh_result wsh_server_host(const struct wsh_server *server,
                           const uint8_t **data,
                           size_t *len);

/**
 * The value of the (first) Origin field.
 *
 * `data`, `len`: receive a borrowed view into the handle.
 *
 * Returns as wsh_server_method(), and WSH_NOT_FOUND when there is no Origin.
 */
wsh_result wsh_server_origin(const struct wsh_server *server,
                             const uint8_t **data,
                             size_t *len);

/**
 * The minor HTTP version of the request: 1 for HTTP/1.1, 0 for HTTP/1.0.
 *
 * `minor`: receives it.
 *
 * Returns as wsh_server_method().
 */
wsh_result wsh_server_minor_version(const struct wsh_server *server,
                                    uint8_t *minor);

/**
 * The number of header fields in the request.
 *
 * `count`: receives it.
 *
 * Returns as wsh_server_method().
 */
wsh_result wsh_server_header_count(const struct wsh_server *server,
                                   size_t *count);

/**
 * The header field at `index` (0-based, in the order sent).
 *
 * `name`, `name_len`, `value`, `value_len`: receive borrowed views into the
 * handle (the value without surrounding whitespace).
 *
 * Returns as wsh_server_method(), and WSH_OUT_OF_RANGE when `index` >=
 * wsh_server_header_count().
 */
wsh_result wsh_server_header_at(const struct wsh_server *server,
                                size_t index,
                                const uint8_t **name,
                                size_t *name_len,
                                const uint8_t **value,
                                size_t *value_len);

/**
 * The value of the `nth` (0-based) header field named `name`, compared
 * ASCII case-insensitively. Fields sent on several lines (e.g. two
 * Sec-WebSocket-Protocol lines) are separate occurrences.
 *
 * `name`, `name_len`: borrowed for the call.
 * `value`, `value_len`: receive a borrowed view into the handle.
 *
 * Returns as wsh_server_method(), and WSH_NOT_FOUND when there are not
 * `nth + 1` such fields; WSH_INVALID_ARGUMENT for `(NULL, name_len > 0)`.
 */
wsh_result wsh_server_header(const struct wsh_server *server,
                             const uint8_t *name,
                             size_t name_len,
                             size_t nth,
                             const uint8_t **value,
                             size_t *value_len);

/**
 * The number of subprotocols the client offered (elements of every
 * Sec-WebSocket-Protocol field, in order).
 *
 * `count`: receives it.
 *
 * Returns as wsh_server_method().
 */
wsh_result wsh_server_subprotocol_count(const struct wsh_server *server,
                                        size_t *count);

/**
 * The offered subprotocol at `index` (0-based, the client's order of
 * preference).
 *
 * `data`, `len`: receive a borrowed view into the handle.
 *
 * Returns as wsh_server_method(), and WSH_OUT_OF_RANGE when `index` >=
 * wsh_server_subprotocol_count().
 */
wsh_result wsh_server_subprotocol_at(const struct wsh_server *server,
                                     size_t index,
                                     const uint8_t **data,
                                     size_t *len);

/**
 * The number of extension offers (elements of every Sec-WebSocket-Extensions
 * field, in order).
 *
 * `count`: receives it.
 *
 * Returns as wsh_server_method().
 */
wsh_result wsh_server_extension_count(const struct wsh_server *server,
                                      size_t *count);

/**
 * The extension offer at `index`: its name (e.g. "permessage-deflate") and
 * its raw parameter text as sent (from the first ";", possibly empty).
 *
 * `name`, `name_len`, `params`, `params_len`: receive borrowed views into the
 * handle.
 *
 * Returns as wsh_server_method(), and WSH_OUT_OF_RANGE when `index` >=
 * wsh_server_extension_count().
 */
wsh_result wsh_server_extension_at(const struct wsh_server *server,
                                   size_t index,
                                   const uint8_t **name,
                                   size_t *name_len,
                                   const uint8_t **params,
                                   size_t *params_len);

/**
 * The number of parameters of the extension offer at `extension`.
 *
 * `count`: receives it.
 *
 * Returns as wsh_server_method(), and WSH_OUT_OF_RANGE for a bad `extension`.
 */
wsh_result wsh_server_extension_param_count(const struct wsh_server *server,
                                            size_t extension,
                                            size_t *count);

/**
 * The parameter at `index` of the extension offer at `extension`.
 *
 * `out`: receives the parameter; its pointers are borrowed views into the
 * handle.
 *
 * Returns as wsh_server_method(), and WSH_OUT_OF_RANGE for a bad `extension`
 * or `index`.
 */
wsh_result wsh_server_extension_param_at(const struct wsh_server *server,
                                         size_t extension,
                                         size_t index,
                                         struct wsh_extension_param *out);

/**
 * Copies the unescaped value of a parameter (quotes removed, backslash escapes
 * resolved) into a caller buffer.
 *
 * `buf`, `cap`: the buffer (`(NULL, 0)` asks for the size only).
 * `written`: receives the length copied on WSH_OK, or the size needed on
 * WSH_BUFFER_TOO_SMALL (then `buf` is untouched).
 *
 * Returns as wsh_server_method(), and WSH_NOT_FOUND when the parameter has no
 * value; WSH_OUT_OF_RANGE for a bad `extension` or `index`;
 * WSH_BUFFER_TOO_SMALL.
 */
wsh_result wsh_server_extension_param_value(const struct wsh_server *server,
                                            size_t extension,
                                            size_t index,
                                            uint8_t *buf,
                                            size_t cap,
                                            size_t *written);

/**
 * For WSH_DECISION_UPGRADE_OTHER: the protocol to switch to, as configured
 * with wsh_server_config_builder_add_upgrade_protocol() (e.g. "h2c").
 *
 * `data`, `len`: receive a view into the handle's config (valid as long as the
 * handle).
 *
 * Returns WSH_OK; WSH_WRONG_STATE for any other decision; WSH_NULL_POINTER;
 * WSH_POISONED.
 */
wsh_result wsh_server_upgrade_protocol(const struct wsh_server *server,
                                       const uint8_t **data,
                                       size_t *len);

/**
 * For an h2c upgrade: decodes the request's HTTP2-Settings field (base64url)
 * into a caller buffer: the SETTINGS frame payload, 6 bytes per setting.
 *
 * `buf`, `cap`: the buffer (`(NULL, 0)` asks for the size only).
 * `written`: receives the decoded length on WSH_OK, or the size needed on
 * WSH_BUFFER_TOO_SMALL (then `buf` is untouched).
 *
 * Returns WSH_OK; WSH_NOT_FOUND when the decided request is not an upgrade
 * with HTTP2-Settings; WSH_BUFFER_TOO_SMALL; WSH_INVALID_HEADER_VALUE when
 * the value is not valid base64url; WSH_NULL_POINTER; WSH_POISONED.
 */
wsh_result wsh_server_http2_settings(const struct wsh_server *server,
                                     uint8_t *buf,
                                     size_t cap,
                                     size_t *written);

/**
 * The subprotocol the config's policy picks from the offer (before accept),
 * or the one the 101 response selected (after wsh_server_accept()).
 *
 * `data`, `len`: receive a borrowed view into the handle.
 *
 * Returns WSH_OK; WSH_NOT_FOUND when there is none; WSH_NULL_POINTER;
 * WSH_POISONED.
 */
wsh_result wsh_server_subprotocol(const struct wsh_server *server,
                                  const uint8_t **data,
                                  size_t *len);

/**
 * The permessage-deflate parameters negotiated for the request (before
 * accept: what the 101 will carry; after wsh_server_accept(): what it
 * carried).
 *
 * `out`: receives them.
 *
 * Returns WSH_OK; WSH_NOT_FOUND when permessage-deflate is not in use (not
 * configured, not offered, no acceptable offer, or declined at accept);
 * WSH_NULL_POINTER; WSH_POISONED.
 */
wsh_result wsh_server_deflate(const struct wsh_server *server,
                              struct wsh_deflate_params *out);

/**
 * Accepts the upgrade request (WSH_DECISION_UPGRADE_WEBSOCKET or
 * WSH_DECISION_UPGRADE_OTHER): the 101 Switching Protocols response becomes
 * pending in wsh_server_response().
 *
 * `options`: NULL for the defaults (see wsh_accept_options); borrowed for the
 * call. For WSH_DECISION_UPGRADE_OTHER only extra headers are allowed (mode
 * POLICY or NONE, no extensions).
 *
 * Returns WSH_OK; WSH_WRONG_STATE when the decision is not an upgrade or a
 * response was already made; WSH_SUBPROTOCOL_NOT_OFFERED; WSH_INVALID_UTF8
 * (named subprotocol); WSH_INVALID_HEADER_NAME; WSH_INVALID_HEADER_VALUE;
 * WSH_RESERVED_HEADER; WSH_INVALID_EXTENSION; WSH_EXTENSION_NOT_OFFERED;
 * WSH_RESERVED_EXTENSION; WSH_INVALID_ARGUMENT (unknown
 * mode, `(NULL, n > 0)`, or a `header_count` or `extension_count` above half
 * the config's response capacity, which no response could hold: checked
 * before anything is allocated); WSH_BUFFER_TOO_SMALL when the response does not fit
 * the config's response capacity; WSH_NULL_POINTER; WSH_POISONED. On error
 * nothing changes: the request may still be accepted or rejected.
 */
wsh_result wsh_server_accept(struct wsh_server *server,
                             const struct wsh_accept_options *options);

/**
 * Answers the request with the application's own response instead of a 101:
 * for an upgrade request (WSH_DECISION_UPGRADE_WEBSOCKET or
 * WSH_DECISION_UPGRADE_OTHER) it refuses (401 with WWW-Authenticate, 403,
 * 404, a 426 with Upgrade, ...); for a request that is not an upgrade
 * (WSH_DECISION_NOT_UPGRADE*) it may serve a plain response (200, 204, 3xx,
 * 4xx, 5xx). The response carries the given headers, Content-Type
 * (text/plain, unless given) when there is a body, Connection, Content-Length
 * and the body. Connection is "close", or "upgrade, close" when `headers`
 * include Upgrade (RFC 9110 section 7.8: a sender of Upgrade lists upgrade in
 * Connection). It becomes pending in wsh_server_response(). HTTP allows no
 * content in some answers (RFC 9110 sections 6.4.1, 9.3.2): a 204 or 304
 * takes no body (WSH_BODY_NOT_ALLOWED) and gets no Content-Length; the answer
 * to a HEAD request has the fields a GET would get, Content-Length included,
 * and the body is dropped.
 *
 * `status`: 300..=599 for an upgrade request; 200..=599 for a request that is
 * not an upgrade. 1xx (and 101) are never allowed.
 * `headers`, `header_count`: extra header fields (not Content-Length,
 * Transfer-Encoding or Connection); borrowed for the call.
 * `body`, `body_len`: the body; borrowed for the call.
 *
 * Returns WSH_OK; WSH_INVALID_STATUS (outside the range above);
 * WSH_BODY_NOT_ALLOWED (a 204 or 304 with a body); WSH_INVALID_HEADER_NAME;
 * WSH_INVALID_HEADER_VALUE; WSH_RESERVED_HEADER; WSH_WRONG_STATE when no
 * request is decided, it was rejected by the engine (its rejection is already
 * pending), or a response was already made; WSH_BUFFER_TOO_SMALL when the
 * response does not fit the config's response capacity; WSH_INVALID_ARGUMENT
 * for `(NULL, n > 0)` or a `header_count` above half the response capacity
 * (checked before anything is allocated); WSH_NULL_POINTER; WSH_POISONED. On
 * error nothing changes.
 */
wsh_result wsh_server_reject(struct wsh_server *server,
                             uint16_t status,
                             const struct wsh_header *headers,
                             size_t header_count,
                             const uint8_t *body,
                             size_t body_len);

/**
 * The response bytes not yet sent: the 101 after wsh_server_accept(), the
 * application's response after wsh_server_reject(), or the engine's ready-made
 * rejection after a WSH_REQUEST_* result. Empty when no response is pending.
 *
 * `data`, `len`: receive a borrowed view into the handle, valid until the next
 * call on the handle that is not const. Send some or all of it, then call
 * wsh_server_response_advance() with the number of bytes sent.
 *
 * Returns WSH_OK; WSH_NULL_POINTER; WSH_POISONED.
 */
wsh_result wsh_server_response(const struct wsh_server *server,
                               const uint8_t **data,
                               size_t *len);

/**
 * Marks the first `n` pending response bytes as sent.
 *
 * Returns WSH_OK; WSH_OUT_OF_RANGE when `n` is more than is pending (nothing
 * changes); WSH_NULL_POINTER; WSH_POISONED.
 */
wsh_result wsh_server_response_advance(struct wsh_server *server,
                                       size_t n);

/**
 * Copies pending response bytes into a caller buffer and marks them sent.
 *
 * `buf`, `cap`: the buffer; borrowed for the call. Call again while
 * `*written` is `cap` and more is pending.
 * `written`: receives the number of bytes copied (0 when nothing is pending).
 *
 * Returns WSH_OK; WSH_INVALID_ARGUMENT for `(NULL, cap > 0)` or a buffer
 * that overlaps the pending response; WSH_NULL_POINTER; WSH_POISONED.
 */
wsh_result wsh_server_drain(struct wsh_server *server,
                            uint8_t *buf,
                            size_t cap,
                            size_t *written);

/**
 * True after a successful wsh_server_accept(): once the pending response is
 * sent, the connection speaks the new protocol. False otherwise, and for a
 * NULL or poisoned handle.
 */
bool wsh_server_is_accepted(const struct wsh_server *server);

/**
 * The number of bytes wsh_server_init() needs for a handle of `config`: the
 * handle, its field index (max_headers entries), its head buffer
 * (max_head_bytes) and its response buffer (the response capacity).
 *
 * Returns the size, or 0 for a NULL config. Safe to call from any thread.
 */
size_t wsh_server_size(const struct wsh_server_config *config);

/**
 * Makes a server handshake handle in memory the caller provides: static,
 * stack or pool memory, so that nothing is allocated after the config.
 * The handle behaves as one from wsh_server_new(), and is ended with
 * wsh_server_free(), which leaves the memory to the caller. Its only
 * allocation is the offer index that the first list accessor after a head
 * builds (wsh_server_subprotocol_count(), wsh_server_extension_at(), ...);
 * feeding, inspecting single fields, accepting, rejecting and sending never
 * allocate.
 *
 * `config`: borrowed for the call; the handle keeps its own reference.
 * `mem`, `len`: at least wsh_server_size(config) bytes, aligned to
 * WSH_SERVER_ALIGN; its contents need not be initialized. The memory must
 * stay valid, and be used for nothing else, until wsh_server_free() on the
 * handle.
 * `out`: on WSH_OK receives the handle, which points into `mem`.
 *
 * Returns WSH_OK; WSH_NULL_POINTER when `config`, `mem` or `out` is NULL;
 * WSH_INVALID_ARGUMENT when `mem` is not aligned to WSH_SERVER_ALIGN;
 * WSH_BUFFER_TOO_SMALL when `len` is below wsh_server_size(config).
 */
wsh_result wsh_server_init(const struct wsh_server_config *config,
                           uint8_t *mem,
                           size_t len,
                           struct wsh_server **out);

/**
 * Handles complete request bytes in one call with the config's policy: writes
 * a 101 for a valid upgrade (the policy's subprotocol, negotiated
 * permessage-deflate), the ready-made rejection for an invalid request, and
 * nothing for a request that is not an upgrade. Allocates nothing on the heap;
 * safe to call from many threads with the same config.
 *
 * `config`: borrowed for the call.
 * `request`, `request_len`: the bytes received so far; borrowed for the call.
 * `out`, `out_cap`: the response buffer; must not overlap `request`. 512 bytes
 * fit the usual responses.
 * `info`: receives what was decided (see wsh_respond_info). Its pointers are
 * views into `request` and `config`.
 *
 * Returns, like wsh_server_feed(): WSH_NEED_MORE (no complete head yet; call
 * again with more bytes); WSH_OK (an upgrade was accepted, or the request is
 * not an upgrade: see `info->decision`); a WSH_REQUEST_* error (the rejection
 * is in `out`: send it and close). `info` is written in those cases and with
 * WSH_BUFFER_TOO_SMALL, when the response does not fit: then only
 * `info->needed` is set, nothing was decided, and the call may be repeated
 * with a buffer of that size. Misuse, with nothing written: WSH_NULL_POINTER
 * (`config` or `info`); WSH_INVALID_ARGUMENT for `(NULL, n > 0)` or
 * overlapping buffers.
 */
wsh_result wsh_respond(const struct wsh_server_config *config,
                       const uint8_t *request,
                       size_t request_len,
                       uint8_t *out,
                       size_t out_cap,
                       struct wsh_respond_info *info);

/**
 * wsh_respond() for a read loop: call it after every read with every byte of
 * the request received so far (the same buffer, grown) and the request's
 * `progress`. Only the bytes no earlier call examined are scanned until the
 * head is complete; the complete head is then parsed once. So the loop's
 * total work is linear in the head's size however the peer splits it
 * (calling wsh_respond() after every read looks at the whole buffer each
 * time: quadratic for a peer that sends a byte per read). Decides exactly
 * as wsh_respond() and the handle do. Allocates nothing on the heap.
 *
 * `config`, `request`, `request_len`, `out`, `out_cap`, `info`: as for
 * wsh_respond().
 * `progress`: the request's wsh_respond_progress, zeroed before its first
 * call; read and updated. A call that decides (any result but
 * WSH_NEED_MORE) resets its scan for the next request; a `request_len`
 * below `progress->scanned` starts a new request; with WSH_BUFFER_TOO_SMALL
 * it is left as it was, so the call may be repeated with a larger buffer.
 *
 * Returns as wsh_respond(), and WSH_NULL_POINTER for a NULL `progress`
 * (WSH_INVALID_ARGUMENT when it overlaps `request` or `out`).
 */
wsh_result wsh_respond_resume(const struct wsh_server_config *config,
                              struct wsh_respond_progress *progress,
                              const uint8_t *request,
                              size_t request_len,
                              uint8_t *out,
                              size_t out_cap,
                              struct wsh_respond_info *info);

/**
 * Writes the offer browsers send into `*out`:
 * "permessage-deflate; client_max_window_bits".
 *
 * Returns WSH_OK, or WSH_NULL_POINTER when `out` is NULL.
 */
wsh_result wsh_deflate_offer_default(struct wsh_deflate_offer *out);

/**
 * Writes the default client limits into `*out`.
 *
 * Returns WSH_OK, or WSH_NULL_POINTER when `out` is NULL.
 */
wsh_result wsh_client_limits_default(struct wsh_client_limits *out);

/**
 * Makes a client config builder for a ws:// or wss:// URL, with the defaults:
 * no Origin, no subprotocols, no extensions, no extra headers,
 * WSH_CLIENT_SUBPROTOCOL_BROWSER, the default limits (see
 * wsh_client_limits_default()).
 *
 * `url`, `url_len`: e.g. "wss://example.com/chat?room=1"; checked at once and
 * copied. Refused: other schemes, a fragment, userinfo, an empty host or port,
 * bytes outside RFC 3986 (give internationalized names in punycode and
 * percent-encode other bytes).
 * `out`: on WSH_OK receives the builder, owned by the caller: pass it to
 * wsh_client_config_builder_build() or wsh_client_config_builder_free().
 *
 * Returns WSH_OK; WSH_INVALID_URL (also for bytes that are not UTF-8);
 * WSH_NULL_POINTER when `out` is NULL; WSH_INVALID_ARGUMENT for
 * `(NULL, url_len > 0)`.
 */
wsh_result wsh_client_config_builder_new(const uint8_t *url,
                                         size_t url_len,
                                         struct wsh_client_config_builder **out);

/**
 * Frees a builder that was not built. NULL is a no-op.
 */
void wsh_client_config_builder_free(struct wsh_client_config_builder *builder);

/**
 * Sets the Origin field: "null" or a serialized origin such as
 * "https://example.com" (scheme://host, optionally :port; no path). Browsers
 * always send one; servers may check it. Replaces an earlier origin.
 *
 * `origin`, `len`: borrowed for the call (copied).
 *
 * Returns WSH_OK; WSH_INVALID_ORIGIN (also for bytes that are not UTF-8);
 * WSH_NULL_POINTER for a NULL builder; WSH_INVALID_ARGUMENT for
 * `(NULL, len > 0)`; WSH_POISONED.
 */
wsh_result wsh_client_config_builder_origin(struct wsh_client_config_builder *builder,
                                            const uint8_t *origin,
                                            size_t len);

/**
 * Adds a subprotocol to offer, after those added before (the client's order
 * of preference).
 *
 * `name`, `len`: an HTTP token such as "chat"; borrowed for the call (copied).
 *
 * Returns WSH_OK; WSH_INVALID_SUBPROTOCOL when it is not a token (also empty,
 * or not UTF-8); WSH_DUPLICATE_SUBPROTOCOL when it was added before;
 * WSH_NULL_POINTER for a NULL builder; WSH_INVALID_ARGUMENT for
 * `(NULL, len > 0)`; WSH_POISONED.
 */
wsh_result wsh_client_config_builder_add_subprotocol(struct wsh_client_config_builder *builder,
                                                     const uint8_t *name,
                                                     size_t len);

/**
 * Offers permessage-deflate (written first in Sec-WebSocket-Extensions); the
 * client checks the server's answer against the offer and reports the agreed
 * parameters (wsh_client_deflate()). Replaces earlier offers; add more with
 * wsh_client_config_builder_add_permessage_deflate().
 *
 * `offer`: read during the call (copied).
 *
 * Returns WSH_OK; WSH_INVALID_EXTENSION when a window is outside 8..=15 (or
 * client_max_window_bits is set without offer_client_max_window_bits);
 * WSH_NULL_POINTER when `builder` or `offer` is NULL; WSH_POISONED.
 */
wsh_result wsh_client_config_builder_permessage_deflate(struct wsh_client_config_builder *builder,
                                                        const struct wsh_deflate_offer *offer);

/**
 * Adds a further permessage-deflate offer after those set before (RFC 7692
 * section 5.1: the client's order of preference; the server accepts the first
 * it supports), e.g. small windows first and the browsers' offer as the
 * fallback. wsh_client_deflate_offer_index() tells which one was accepted.
 *
 * `offer`: read during the call (copied).
 *
 * Returns WSH_OK; WSH_INVALID_EXTENSION when a window is outside 8..=15 (or
 * client_max_window_bits is set without offer_client_max_window_bits), or when
 * the same offer was added before; WSH_NULL_POINTER when `builder` or `offer`
 * is NULL; WSH_POISONED.
 */
wsh_result wsh_client_config_builder_add_permessage_deflate(struct wsh_client_config_builder *builder,
                                                            const struct wsh_deflate_offer *offer);

/**
 * Offers another extension, after permessage-deflate and those added before.
 * The server may accept it; the client only checks that an accepted extension
 * was offered (its parameters are the application's business:
 * wsh_client_extension_at()).
 *
 * `element`, `len`: exactly one element of the RFC 6455 section 9.1 grammar,
 * e.g. "x-webkit-frame; level=2", not permessage-deflate (use
 * wsh_client_config_builder_permessage_deflate()); borrowed for the call.
 *
 * Returns WSH_OK; WSH_INVALID_EXTENSION (also for bytes that are not UTF-8);
 * WSH_NULL_POINTER for a NULL builder; WSH_INVALID_ARGUMENT for
 * `(NULL, len > 0)`; WSH_POISONED.
 */
wsh_result wsh_client_config_builder_add_extension(struct wsh_client_config_builder *builder,
                                                   const uint8_t *element,
                                                   size_t len);

/**
 * Adds an extra request header field (e.g. Authorization, Cookie,
 * User-Agent), after those added before.
 *
 * `name`, `name_len`: an HTTP token, not one the request writes itself (Host,
 * Upgrade, Connection, Sec-WebSocket-*, Origin, Content-Length,
 * Transfer-Encoding).
 * `value`, `value_len`: no CR, LF, NUL or other control bytes but HTAB, no
 * whitespace at either end. Both borrowed for the call (copied).
 *
 * Returns WSH_OK; WSH_INVALID_HEADER_NAME (also for a name that is not UTF-8);
 * WSH_INVALID_HEADER_VALUE; WSH_RESERVED_HEADER; WSH_NULL_POINTER for a NULL
 * builder; WSH_INVALID_ARGUMENT for `(NULL, n > 0)`; WSH_POISONED.
 */
wsh_result wsh_client_config_builder_add_header(struct wsh_client_config_builder *builder,
                                                const uint8_t *name,
                                                size_t name_len,
                                                const uint8_t *value,
                                                size_t value_len);

/**
 * Sets the limits on what the client reads (see wsh_client_limits for the
 * ranges).
 *
 * `limits`: read during the call (copied).
 *
 * Returns WSH_OK; WSH_INVALID_CONFIG when a value is out of range;
 * WSH_NULL_POINTER when `builder` or `limits` is NULL; WSH_POISONED.
 */
wsh_result wsh_client_config_builder_limits(struct wsh_client_config_builder *builder,
                                            const struct wsh_client_limits *limits);

/**
 * Chooses what happens when subprotocols were offered and the server selected
 * none.
 *
 * `mode`: a wsh_client_subprotocol_mode value (default
 * WSH_CLIENT_SUBPROTOCOL_BROWSER).
 *
 * Returns WSH_OK; WSH_INVALID_ARGUMENT for any other number;
 * WSH_NULL_POINTER for a NULL builder; WSH_POISONED.
 */
wsh_result wsh_client_config_builder_subprotocol_mode(struct wsh_client_config_builder *builder,
                                                      uint32_t mode);

/**
 * Finishes the configuration.
 *
 * `builder`: consumed by this call whatever the result (do not use or free it
 * afterwards), except when it is NULL.
 * `out`: on WSH_OK receives the new config, owned by the caller: free it with
 * wsh_client_config_free().
 *
 * Returns WSH_OK; WSH_NULL_POINTER when `builder` or `out` is NULL;
 * WSH_POISONED when an earlier call on the builder failed internally.
 */
wsh_result wsh_client_config_builder_build(struct wsh_client_config_builder *builder,
                                           const struct wsh_client_config **out);

/**
 * Releases the caller's reference to a config. Handles made from it keep it
 * alive until they are freed; views into it (wsh_client_url) end here. Call it
 * once no other call using this pointer (on any thread) is running or will
 * run. NULL is a no-op.
 */
void wsh_client_config_free(const struct wsh_client_config *config);

/**
 * The parts of the config's URL needed to open the connection: host, port,
 * TLS or not (and what the request line and Host field carry).
 *
 * `out`: receives them; its pointers are views into the config, valid until
 * wsh_client_config_free() on this pointer.
 *
 * Returns WSH_OK, or WSH_NULL_POINTER when `config` or `out` is NULL. Safe to
 * call from any thread.
 */
wsh_result wsh_client_config_url(const struct wsh_client_config *config,
                                 struct wsh_client_url *out);

/**
 * Makes a client handshake handle for `config`, with a key from the operating
 * system's random source. The opening request is ready at once in
 * wsh_client_request().
 *
 * `config`: borrowed for the call; the handle keeps its own reference.
 * `out`: on WSH_OK receives the handle, owned by the caller: free it with
 * wsh_client_free().
 *
 * Returns WSH_OK; WSH_RANDOM_SOURCE_FAILED when the operating system gives no
 * random bytes (never a predictable key); WSH_NULL_POINTER when `config` or
 * `out` is NULL.
 */
wsh_result wsh_client_new(const struct wsh_client_config *config,
                          struct wsh_client **out);

/**
 * Makes a client handshake handle whose Sec-WebSocket-Key encodes the caller's
 * 16 bytes (for callers that own their randomness, and for tests). Use fresh
 * random bytes for every connection: a predictable key lets caches and proxies
 * replay old handshakes.
 *
 * `nonce`: WSH_NONCE_LEN (16) bytes, read during the call.
 * `config`, `out`: as for wsh_client_new().
 *
 * Returns WSH_OK; WSH_NULL_POINTER when `config`, `nonce` or `out` is NULL.
 */
wsh_result wsh_client_new_with_key(const struct wsh_client_config *config,
                                   const uint8_t *nonce,
                                   struct wsh_client **out);

/**
 * Frees a handle and every buffer it owns; borrowed views into it become
 * invalid. Also valid on a poisoned handle. NULL is a no-op.
 */
void wsh_client_free(struct wsh_client *client);

/**
 * Starts over for a new connection with a new key: the request is rewritten
 * and pending again, the response is forgotten. Keeps the buffers (nothing is
 * reallocated). Invalidates every borrowed view.
 *
 * `nonce`: WSH_NONCE_LEN (16) bytes for the new key, read during the call, or
 * NULL for a key from the operating system's random source.
 *
 * Returns WSH_OK; WSH_RANDOM_SOURCE_FAILED (the handle is unchanged);
 * WSH_NULL_POINTER for a NULL handle; WSH_POISONED (a poisoned handle cannot
 * be reset: free it).
 */
wsh_result wsh_client_reset(struct wsh_client *client,
                            const uint8_t *nonce);

/**
 * The Sec-WebSocket-Key the request carries.
 *
 * `data`, `len`: receive a borrowed view into the handle (WSH_KEY_LEN bytes of
 * base64, not NUL-terminated).
 *
 * Returns WSH_OK; WSH_NULL_POINTER; WSH_POISONED.
 */
wsh_result wsh_client_key(const struct wsh_client *client,
                          const uint8_t **data,
                          size_t *len);

/**
 * The request bytes not yet sent (the whole opening request after
 * wsh_client_new() or wsh_client_reset(); empty once all was sent).
 *
 * `data`, `len`: receive a borrowed view into the handle, valid until the next
 * call on the handle that is not const. Send some or all of it, then call
 * wsh_client_request_advance() with the number of bytes sent.
 *
 * Returns WSH_OK; WSH_NULL_POINTER; WSH_POISONED.
 */
wsh_result wsh_client_request(const struct wsh_client *client,
                              const uint8_t **data,
                              size_t *len);

/**
 * Marks the first `n` pending request bytes as sent.
 *
 * Returns WSH_OK; WSH_OUT_OF_RANGE when `n` is more than is pending (nothing
 * changes); WSH_NULL_POINTER; WSH_POISONED.
 */
wsh_result wsh_client_request_advance(struct wsh_client *client,
                                      size_t n);

/**
 * Copies pending request bytes into a caller buffer and marks them sent.
 *
 * `buf`, `cap`: the buffer; borrowed for the call. Call again while
 * `*written` is `cap` and more is pending.
 * `written`: receives the number of bytes copied (0 when nothing is pending).
 *
 * Returns WSH_OK; WSH_INVALID_ARGUMENT for `(NULL, cap > 0)` or a buffer
 * that overlaps the pending request; WSH_NULL_POINTER; WSH_POISONED.
 */
wsh_result wsh_client_drain(struct wsh_client *client,
                            uint8_t *buf,
                            size_t cap,
                            size_t *written);

/**
 * Feeds bytes received from the server, in any chunking (one byte at a time
 * gives the same result as the whole response at once). Interim 1xx responses
 * other than 101 are skipped. A refusal's body is read as its Content-Length
 * or chunked framing says (up to the config's max_body_bytes); a refusal
 * without either ends at the close: call wsh_client_finish() then.
 *
 * `data`, `len`: the bytes received; borrowed for the call (copied as
 * needed).
 * `consumed`: receives how many of these bytes the handshake took. While the
 * response is incomplete that is all of them. After
 * WSH_CLIENT_DECISION_ACCEPTED the bytes not taken are the first WebSocket
 * frames; after WSH_CLIENT_DECISION_REFUSED, what follows the response; after
 * WSH_CLIENT_DECISION_FAILED every byte is taken (none may be used).
 * `decision`: receives the decision (a wsh_client_decision).
 *
 * Returns WSH_NEED_MORE (feed more); WSH_OK (accepted or refused: see
 * `decision`); a WSH_RESPONSE_* error (the response breaks the protocol,
 * `decision` is WSH_CLIENT_DECISION_FAILED: close the connection). In those
 * three cases both outputs are written. Misuse, with nothing written:
 * WSH_NULL_POINTER; WSH_INVALID_ARGUMENT for `(NULL, len > 0)`;
 * WSH_WRONG_STATE once a decision was made (reset first); WSH_POISONED.
 */
wsh_result wsh_client_feed(struct wsh_client *client,
                           const uint8_t *data,
                           size_t len,
                           size_t *consumed,
                           wsh_client_decision *decision);

/**
 * Tells the handle the connection closed before a decision. A refusal whose
 * body runs until the close is then complete (WSH_OK, refused); anything else
 * unfinished fails (WSH_RESPONSE_INCOMPLETE_HEAD,
 * WSH_RESPONSE_INCOMPLETE_BODY).
 *
 * `decision`: receives the decision (written whenever the result is WSH_OK or
 * a WSH_RESPONSE_* error).
 *
 * Returns as described; WSH_WRONG_STATE once a decision was made;
 * WSH_NULL_POINTER; WSH_POISONED.
 */
wsh_result wsh_client_finish(struct wsh_client *client,
                             wsh_client_decision *decision);

/**
 * The decision so far (the same as the last wsh_client_feed() or
 * wsh_client_finish() reported).
 *
 * `decision`: receives a wsh_client_decision.
 *
 * Returns what wsh_client_feed() returned for it (WSH_NEED_MORE, WSH_OK or the
 * WSH_RESPONSE_* error); WSH_NULL_POINTER; WSH_POISONED.
 */
wsh_result wsh_client_outcome(const struct wsh_client *client,
                              wsh_client_decision *decision);

/**
 * True once the server accepted (WSH_CLIENT_DECISION_ACCEPTED). False
 * otherwise, and for a NULL or poisoned handle.
 */
bool wsh_client_is_accepted(const struct wsh_client *client);

/**
 * The status code of the final response (101 for an accept), once its head
 * is complete, also when the handshake failed afterwards (e.g. a 101 with the
 * wrong Sec-WebSocket-Accept, or a refusal whose body is too large).
 *
 * `status`: receives it.
 *
 * Returns WSH_OK; WSH_WRONG_STATE while no final response head is complete
 * (and after a failure in the head itself); WSH_NULL_POINTER; WSH_POISONED.
 * The response accessors below return the same.
 */
wsh_result wsh_client_status(const struct wsh_client *client,
                             uint16_t *status);

/**
 * The reason phrase of the final response as sent (e.g. "Unauthorized";
 * empty when absent or not UTF-8).
 *
 * `data`, `len`: receive a borrowed view into the handle.
 *
 * Returns as wsh_client_status().
 */
wsh_result wsh_client_reason(const struct wsh_client *client,
                             const uint8_t **data,
                             size_t *len);

/**
 * The raw bytes of the final response head, status line to final empty line.
 *
 * `data`, `len`: receive a borrowed view into the handle.
 *
 * Returns as wsh_client_status().
 */
wsh_result wsh_client_head(const struct wsh_client *client,
                           const uint8_t **data,
                           size_t *len);

/**
 * The number of header fields in the final response.
 *
 * `count`: receives it.
 *
 * Returns as wsh_client_status().
 */
wsh_result wsh_client_header_count(const struct wsh_client *client,
                                   size_t *count);

/**
 * The header field at `index` (0-based, in the order received) of the final
 * response.
 *
 * `name`, `name_len`, `value`, `value_len`: receive borrowed views into the
 * handle (the value without surrounding whitespace).
 *
 * Returns as wsh_client_status(), and WSH_OUT_OF_RANGE when `index` >=
 * wsh_client_header_count().
 */
wsh_result wsh_client_header_at(const struct wsh_client *client,
                                size_t index,
                                const uint8_t **name,
                                size_t *name_len,
                                const uint8_t **value,
                                size_t *value_len);

/**
 * The value of the `nth` (0-based) header field named `name` in the final
 * response, compared ASCII case-insensitively (e.g. "WWW-Authenticate" of a
 * 401, "Location" of a redirect).
 *
 * `name`, `name_len`: borrowed for the call.
 * `value`, `value_len`: receive a borrowed view into the handle.
 *
 * Returns as wsh_client_status(), and WSH_NOT_FOUND when there are not
 * `nth + 1` such fields; WSH_INVALID_ARGUMENT for `(NULL, name_len > 0)`.
 */
wsh_result wsh_client_header(const struct wsh_client *client,
                             const uint8_t *name,
                             size_t name_len,
                             size_t nth,
                             const uint8_t **value,
                             size_t *value_len);

/**
 * The body of a refusal (decoded when chunked): complete once the decision is
 * WSH_CLIENT_DECISION_REFUSED. Empty before, for an accept, and after
 * WSH_RESPONSE_BODY_TOO_LARGE; after WSH_RESPONSE_INCOMPLETE_BODY, what
 * arrived before the close.
 *
 * `data`, `len`: receive a borrowed view into the handle.
 *
 * Returns WSH_OK; WSH_NULL_POINTER; WSH_POISONED.
 */
wsh_result wsh_client_body(const struct wsh_client *client,
                           const uint8_t **data,
                           size_t *len);

/**
 * The subprotocol the server selected.
 *
 * `data`, `len`: receive a borrowed view into the handle.
 *
 * Returns WSH_OK; WSH_NOT_FOUND when the server selected none;
 * WSH_WRONG_STATE unless the decision is WSH_CLIENT_DECISION_ACCEPTED;
 * WSH_NULL_POINTER; WSH_POISONED.
 */
wsh_result wsh_client_subprotocol(const struct wsh_client *client,
                                  const uint8_t **data,
                                  size_t *len);

/**
 * The permessage-deflate parameters both sides agreed on: how the framing
 * layer configures its compressor and decompressor.
 *
 * `out`: receives them.
 *
 * Returns WSH_OK; WSH_NOT_FOUND when permessage-deflate is not in use (not
 * offered, or the server declined); WSH_WRONG_STATE unless the decision is
 * WSH_CLIENT_DECISION_ACCEPTED; WSH_NULL_POINTER; WSH_POISONED.
 */
wsh_result wsh_client_deflate(const struct wsh_client *client,
                              struct wsh_deflate_params *out);

/**
 * Which permessage-deflate offer the server accepted: its position among the
 * offers of the config, 0 for the one set with
 * wsh_client_config_builder_permessage_deflate(), then one per
 * wsh_client_config_builder_add_permessage_deflate() in call order. The
 * response does not name it: it is the first offer the response is a valid
 * answer to.
 *
 * `index`: receives it.
 *
 * Returns WSH_OK; WSH_NOT_FOUND when permessage-deflate is not in use;
 * WSH_WRONG_STATE unless the decision is WSH_CLIENT_DECISION_ACCEPTED;
 * WSH_NULL_POINTER; WSH_POISONED.
 */
wsh_result wsh_client_deflate_offer_index(const struct wsh_client *client,
                                          size_t *index);

/**
 * The number of extension elements the server accepted (permessage-deflate
 * included), in the order the framing layer applies them.
 *
 * `count`: receives it.
 *
 * Returns WSH_OK; WSH_WRONG_STATE unless the decision is
 * WSH_CLIENT_DECISION_ACCEPTED; WSH_NULL_POINTER; WSH_POISONED.
 */
wsh_result wsh_client_extension_count(const struct wsh_client *client,
                                      size_t *count);

/**
 * The accepted extension element at `index`, as the server sent it, e.g.
 * "permessage-deflate; server_max_window_bits=10".
 *
 * `data`, `len`: receive a borrowed view into the handle.
 *
 * Returns WSH_OK; WSH_OUT_OF_RANGE when `index` >=
 * wsh_client_extension_count(); WSH_WRONG_STATE unless the decision is
 * WSH_CLIENT_DECISION_ACCEPTED; WSH_NULL_POINTER; WSH_POISONED.
 */
wsh_result wsh_client_extension_at(const struct wsh_client *client,
                                   size_t index,
                                   const uint8_t **data,
                                   size_t *len);

/**
 * Decides what a request is, from the field list the host's HTTP/2 or HTTP/3
 * stack decoded, with the config's policy (origins, subprotocols,
 * permessage-deflate), without writing a response. Allocates nothing;
 * linear in the fields' size; safe to call from many threads with the same
 * config.
 *
 * `config`: borrowed for the call.
 * `fields`, `field_count`: the request's fields, pseudo-header fields first,
 * names as received (lowercase); at most WSH_CONNECT_MAX_FIELDS; borrowed for
 * the call.
 * `info`: receives what the request is (see wsh_connect_info): for a
 * WebSocket request the URI parts, the offers and what the policy would
 * answer, and the sizes wsh_connect_respond() without options needs.
 *
 * Returns WSH_OK (WSH_CONNECT_WEBSOCKET or one of the outcomes that are not
 * WebSocket: see `info->outcome`); a WSH_CONNECT_REQUEST_* error (the request
 * is invalid, `info->outcome` is WSH_CONNECT_REJECTED; its status is
 * wsh_result_http_status(result)). `info` is written in those cases. Misuse,
 * with nothing written: WSH_NULL_POINTER (`config` or `info`);
 * WSH_INVALID_ARGUMENT for `(NULL, n > 0)`; WSH_TOO_MANY_FIELDS.
 */
wsh_result wsh_connect_analyze(const struct wsh_server_config *config,
                               const struct wsh_field *fields,
                               size_t field_count,
                               struct wsh_connect_info *info);

/**
 * Analyzes a request (as wsh_connect_analyze()) and writes its response
 * fields: for a valid WebSocket request, the accept (":status" 200, the
 * selected subprotocol and extensions, your extra fields) as `options` say;
 * for an invalid one, the ready-made rejection; nothing for a request that is
 * not WebSocket. Allocates nothing; safe to call from many threads with the
 * same config. To refuse a valid request, use wsh_connect_reject() instead.
 *
 * `config`, `fields`, `field_count`: as for wsh_connect_analyze().
 * `options`: NULL for the defaults (the policy's subprotocol, negotiated
 * permessage-deflate, nothing extra); otherwise as for wsh_server_accept().
 * Extra header names are lowercased on output; fields HTTP/2 and HTTP/3 do
 * not allow (connection-specific ones, te) or that the accept writes itself
 * (sec-websocket-*, content-length) are refused. Borrowed for the call.
 * `buf`, `buf_cap`: receives the names and values, back to back.
 * `out_fields`, `out_cap`: receives the response fields (views into `buf`),
 * :status first, ready for the HTTP/2 or HTTP/3 stack. Neither may overlap
 * the inputs or each other.
 * `info`: receives what was decided and written (see wsh_connect_info); its
 * views point into `fields`.
 *
 * Returns WSH_OK (accepted, or not a WebSocket request: see
 * `info->outcome`); a WSH_CONNECT_REQUEST_* error (the rejection is written;
 * send it, then close the stream, resetting it when `info->malformed`);
 * WSH_FIELD_ARRAY_TOO_SMALL or WSH_BUFFER_TOO_SMALL (nothing written to the
 * outputs; `info->field_count` and `info->bytes_len` give both sizes needed:
 * call again). `info` is written in those cases. Misuse, with nothing
 * written: the errors of wsh_server_accept() for bad options
 * (WSH_SUBPROTOCOL_NOT_OFFERED, WSH_INVALID_HEADER_NAME, ...; checked for
 * valid WebSocket requests only, but pointers always); WSH_NULL_POINTER
 * (`config` or `info`); WSH_INVALID_ARGUMENT for `(NULL, n > 0)` or
 * overlapping buffers; WSH_TOO_MANY_FIELDS.
 */
wsh_result wsh_connect_respond(const struct wsh_server_config *config,
                               const struct wsh_field *fields,
                               size_t field_count,
                               const struct wsh_accept_options *options,
                               uint8_t *buf,
                               size_t buf_cap,
                               struct wsh_field *out_fields,
                               size_t out_cap,
                               struct wsh_connect_info *info);

/**
 * Writes the application's own refusal of a request: the :status and extra
 * fields (names lowercased). Use it for a valid request you do not want (401,
 * 403, 404, ...), for an extended CONNECT for a protocol you do not handle
 * (501), or for any request. A body, if any, is yours to send on the stream.
 * Allocates nothing.
 *
 * `status`: 300..=599.
 * `headers`, `header_count`: extra fields (token names; values without
 * control bytes but HTAB and without whitespace at either end; not
 * connection-specific, not te); at most WSH_CONNECT_MAX_FIELDS; borrowed for
 * the call.
 * `buf`, `buf_cap`, `out_fields`, `out_cap`: as for wsh_connect_respond().
 * `field_count`, `bytes_len`: receive the fields and bytes written; with
 * WSH_FIELD_ARRAY_TOO_SMALL or WSH_BUFFER_TOO_SMALL, the numbers needed.
 *
 * Returns WSH_OK; WSH_FIELD_ARRAY_TOO_SMALL; WSH_BUFFER_TOO_SMALL (both
 * outputs written, nothing else); WSH_INVALID_STATUS;
 * WSH_INVALID_HEADER_NAME; WSH_INVALID_HEADER_VALUE; WSH_RESERVED_HEADER;
 * WSH_NULL_POINTER (`field_count` or `bytes_len`); WSH_INVALID_ARGUMENT for
 * `(NULL, n > 0)` or overlapping buffers; WSH_TOO_MANY_FIELDS.
 */
wsh_result wsh_connect_reject(uint16_t status,
                              const struct wsh_header *headers,
                              size_t header_count,
                              uint8_t *buf,
                              size_t buf_cap,
                              struct wsh_field *out_fields,
                              size_t out_cap,
                              size_t *field_count,
                              size_t *bytes_len);

/**
 * Writes every subprotocol and every extension offer of a valid WebSocket
 * request into caller arrays, analysing the request once: the way to read
 * the offered lists (linear in the fields' size however long they are).
 * Allocates nothing.
 *
 * `config`, `fields`, `field_count`: as for wsh_connect_analyze().
 * `subprotocols`, `subprotocol_cap`: receive the offered subprotocols, in
 * the client's order of preference, as views into the caller's fields.
 * `extensions`, `extension_cap`: receive the extension offers, in order over
 * every sec-websocket-extensions field: `name` is the extension's name (e.g.
 * "permessage-deflate"), `value` its raw parameter text as sent (from the
 * first ";", possibly empty); views into the caller's fields.
 * `subprotocol_count`, `extension_count`: receive the list lengths (also
 * with WSH_FIELD_ARRAY_TOO_SMALL: the sizes needed). wsh_connect_analyze()
 * reports them too (`info->subprotocol_count`, `info->extension_count`).
 *
 * Returns WSH_OK (both arrays filled); WSH_FIELD_ARRAY_TOO_SMALL when an
 * array is smaller than its list (only the counts are written: call again
 * with arrays that large); WSH_WRONG_STATE when the request is not a valid
 * WebSocket request; WSH_NULL_POINTER (`config` or a count);
 * WSH_INVALID_ARGUMENT for `(NULL, n > 0)`, a misaligned array, or arrays
 * that overlap each other or the fields; WSH_TOO_MANY_FIELDS.
 */
wsh_result wsh_connect_offers(const struct wsh_server_config *config,
                              const struct wsh_field *fields,
                              size_t field_count,
                              struct wsh_bytes *subprotocols,
                              size_t subprotocol_cap,
                              struct wsh_field *extensions,
                              size_t extension_cap,
                              size_t *subprotocol_count,
                              size_t *extension_count);

/**
 * The subprotocol offered at `index` (0-based, the client's order of
 * preference) by a valid WebSocket request. Each call analyses the request
 * again: to read the whole list, use wsh_connect_offers() (one call).
 *
 * `config`, `fields`, `field_count`: as for wsh_connect_analyze().
 * `data`, `len`: receive a view into the caller's fields.
 *
 * Returns WSH_OK; WSH_OUT_OF_RANGE when `index` >=
 * `info->subprotocol_count`; WSH_WRONG_STATE when the request is not a valid
 * WebSocket request; WSH_NULL_POINTER; WSH_INVALID_ARGUMENT for
 * `(NULL, n > 0)`; WSH_TOO_MANY_FIELDS.
 */
wsh_result wsh_connect_subprotocol_at(const struct wsh_server_config *config,
                                      const struct wsh_field *fields,
                                      size_t field_count,
                                      size_t index,
                                      const uint8_t **data,
                                      size_t *len);

/**
 * The extension offer at `index` (0-based, over every
 * sec-websocket-extensions field) of a valid WebSocket request: its name
 * (e.g. "permessage-deflate") and its raw parameter text as sent (from the
 * first ";", possibly empty). Each call analyses the request again: to read
 * the whole list, use wsh_connect_offers() (one call).
 *
 * `config`, `fields`, `field_count`: as for wsh_connect_analyze().
 * `name`, `name_len`, `params`, `params_len`: receive views into the
 * caller's fields.
 *
 * Returns as wsh_connect_subprotocol_at(), with `info->extension_count` as
 * the bound.
 */
wsh_result wsh_connect_extension_at(const struct wsh_server_config *config,
                                    const struct wsh_field *fields,
                                    size_t field_count,
                                    size_t index,
                                    const uint8_t **name,
                                    size_t *name_len,
                                    const uint8_t **params,
                                    size_t *params_len);

/**
 * Writes the field list of an extended CONNECT request for WebSocket
 * (RFC 8441 section 4): :method CONNECT, :protocol websocket, :scheme, :path,
 * :authority, then sec-websocket-protocol, sec-websocket-extensions,
 * sec-websocket-version 13, origin and the extra fields. Hand them to the
 * HTTP/2 or HTTP/3 stack once the server's SETTINGS carried
 * WSH_SETTINGS_ENABLE_CONNECT_PROTOCOL (or
 * WSH_H3_SETTINGS_ENABLE_CONNECT_PROTOCOL) = 1. Allocates nothing; safe to
 * call from any thread.
 *
 * `options`: what to ask for; borrowed for the call.
 * `buf`, `buf_cap`: receives the names and values, back to back.
 * `out_fields`, `out_cap`: receives the fields (views into `buf`). Neither
 * may overlap the options' bytes or each other.
 * `field_count`, `bytes_len`: receive the fields and bytes written; with
 * WSH_FIELD_ARRAY_TOO_SMALL or WSH_BUFFER_TOO_SMALL, the numbers needed.
 *
 * Returns WSH_OK; WSH_FIELD_ARRAY_TOO_SMALL; WSH_BUFFER_TOO_SMALL (both
 * counts written, nothing else). Invalid options: WSH_INVALID_URL (a bad or
 * missing authority, a bad path); WSH_INVALID_HEADER_VALUE (a subprotocol
 * that is not a token or is repeated, a bad origin); WSH_INVALID_CONFIG (a
 * deflate window outside 8..=15, the same deflate offer twice);
 * WSH_INVALID_HEADER_NAME, WSH_RESERVED_HEADER (extra fields);
 * WSH_INVALID_ARGUMENT (an unknown scheme, `(NULL, n > 0)`, overlapping
 * buffers); WSH_TOO_MANY_FIELDS (also more than
 * WSH_CONNECT_MAX_DEFLATE_OFFERS deflate offers);
 * WSH_NULL_POINTER (`options`, `field_count` or `bytes_len`).
 */
wsh_result wsh_connect_client_request(const struct wsh_connect_client_options *options,
                                      uint8_t *buf,
                                      size_t buf_cap,
                                      struct wsh_field *out_fields,
                                      size_t out_cap,
                                      size_t *field_count,
                                      size_t *bytes_len);

/**
 * Judges the server's response field list (as the HTTP/2 or HTTP/3 stack
 * decoded it) against the request the same options produce. Any 2xx accepts
 * (RFC 9110 section 9.3.6): the subprotocol must be one offered, the
 * extensions the permessage-deflate offer's with parameters that fit it. A
 * 1xx is interim; 3xx to 5xx refuse. A malformed list is an error whatever
 * its status. Allocates nothing; safe to call from any thread.
 *
 * `options`: the options the request was made from; borrowed for the call.
 * `fields`, `field_count`: the response's fields, :status first, names as
 * received; at most WSH_CONNECT_MAX_FIELDS; borrowed for the call.
 * `info`: receives what the response means; its view points into `fields`.
 *
 * Returns WSH_OK (accepted, refused or interim: see `info->outcome`); a
 * WSH_CONNECT_RESPONSE_* error (the response breaks the rules: fail the
 * WebSocket connection and reset the stream; nothing written). Misuse, with
 * nothing written: the option errors of wsh_connect_client_request();
 * WSH_NULL_POINTER (`options` or `info`); WSH_INVALID_ARGUMENT for
 * `(NULL, n > 0)`; WSH_TOO_MANY_FIELDS.
 */
wsh_result wsh_connect_client_check_response(const struct wsh_connect_client_options *options,
                                             const struct wsh_field *fields,
                                             size_t field_count,
                                             struct wsh_connect_client_info *info);

#ifdef __cplusplus
}  // extern "C"
#endif  // __cplusplus

#endif  /* WSHANDSHAKE_H */
