//! `wsh_client_config_builder` and `wsh_client_config`: what a client asks for
//! (URL, origin, subprotocols, extensions, extra headers, response limits),
//! built once and then shared, read-only, by every client handshake.
//! Also `wsh_deflate_offer` (a permessage-deflate offer, used by the extended
//! CONNECT client too) and `wsh_client_limits`.

use alloc::sync::Arc;

use super::args::{arg, choose, enum_from, put, same_fields, try_ffi};
use super::builder::{build, set, set_from, set_text};
use super::handle::{Guarded, handle_type, into_raw};
use super::{ffi_boundary, ptr_len, wsh_result};
use wshandshake::{
    ClientConfig, ClientConfigBuilder, ClientLimits, ClientOffer, HostKind, SubprotocolMode,
};

/// A permessage-deflate offer (RFC 7692 section 7.1), sent by a client.
/// wsh_deflate_offer_default() gives the offer browsers send
/// ("permessage-deflate; client_max_window_bits"); a zero-initialized struct
/// is the bare "permessage-deflate".
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct wsh_deflate_offer {
    /// Ask the server to reset its compression context after every message.
    pub server_no_context_takeover: bool,
    /// Tell the server the client resets its context after every message.
    pub client_no_context_takeover: bool,
    /// Ask the server to use at most this window: 8..=15, or 0 to leave the
    /// parameter out.
    pub server_max_window_bits: u8,
    /// Send client_max_window_bits, telling the server it may limit the
    /// client's window.
    pub offer_client_max_window_bits: bool,
    /// With `offer_client_max_window_bits`: the largest window the client will
    /// use, 8..=15, or 0 to send the parameter without a value. Must be 0
    /// otherwise.
    pub client_max_window_bits: u8,
}

impl wsh_deflate_offer {
    /// The core offer, or None when a window is out of range or given without
    /// its flag.
    pub(crate) fn to_offer(self) -> Option<ClientOffer> {
        let client_max_window_bits = match (
            self.offer_client_max_window_bits,
            self.client_max_window_bits,
        ) {
            (false, 0) => None,
            (false, _) => return None,
            (true, 0) => Some(None),
            (true, bits) => Some(Some(bits)),
        };
        let offer = ClientOffer {
            server_no_context_takeover: self.server_no_context_takeover,
            client_no_context_takeover: self.client_no_context_takeover,
            server_max_window_bits: (self.server_max_window_bits != 0)
                .then_some(self.server_max_window_bits),
            client_max_window_bits,
        };
        offer.is_valid().then_some(offer)
    }
}

/// The offer of a builder setter: WSH_INVALID_EXTENSION when it is not valid.
fn checked_offer(offer: wsh_deflate_offer) -> Result<ClientOffer, wsh_result> {
    offer.to_offer().ok_or(wsh_result::WSH_INVALID_EXTENSION)
}

impl From<ClientOffer> for wsh_deflate_offer {
    fn from(o: ClientOffer) -> Self {
        wsh_deflate_offer {
            server_no_context_takeover: o.server_no_context_takeover,
            client_no_context_takeover: o.client_no_context_takeover,
            server_max_window_bits: o.server_max_window_bits.unwrap_or(0),
            offer_client_max_window_bits: o.client_max_window_bits.is_some(),
            client_max_window_bits: o.client_max_window_bits.flatten().unwrap_or(0),
        }
    }
}

/// Writes the offer browsers send into `*out`:
/// "permessage-deflate; client_max_window_bits".
///
/// Returns WSH_OK, or WSH_NULL_POINTER when `out` is NULL.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wsh_deflate_offer_default(out: *mut wsh_deflate_offer) -> wsh_result {
    ffi_boundary! { put(arg!(out out), Ok(ClientOffer::default().into())) }
}

/// Bounds on what a client reads from the server; memory per client handle is
/// bounded by them. Start from wsh_client_limits_default().
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct wsh_client_limits {
    /// Maximum bytes in one response head, status line and final empty line
    /// included (default 16384; 16..=1048576). Also bounds a chunked body's
    /// trailer section.
    pub max_head_bytes: usize,
    /// Maximum number of header fields in one response head (default 128;
    /// 1..=128).
    pub max_headers: usize,
    /// Maximum body bytes kept from a refusal (default 65536; 0..=16777216). A
    /// longer body fails the handshake with WSH_RESPONSE_BODY_TOO_LARGE.
    pub max_body_bytes: usize,
}

same_fields!(wsh_client_limits <=> ClientLimits { max_head_bytes, max_headers, max_body_bytes });

/// Writes the default client limits into `*out`.
///
/// Returns WSH_OK, or WSH_NULL_POINTER when `out` is NULL.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wsh_client_limits_default(out: *mut wsh_client_limits) -> wsh_result {
    ffi_boundary! { put(arg!(out out), Ok(ClientLimits::default().into())) }
}

/// What a client does when it offered subprotocols and the server selected
/// none (wsh_client_config_builder_subprotocol_mode()).
#[repr(u32)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum wsh_client_subprotocol_mode {
    /// Fail the handshake with WSH_RESPONSE_MISSING_SUBPROTOCOL, as browsers do
    /// (the default).
    WSH_CLIENT_SUBPROTOCOL_BROWSER = 0,
    /// Accept the connection without a subprotocol, as RFC 6455 section 4.1
    /// allows.
    WSH_CLIENT_SUBPROTOCOL_RFC6455 = 1,
}

/// What kind of host a URL names (wsh_client_url). TLS clients send SNI only
/// for WSH_HOST_NAME.
#[repr(u32)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum wsh_host_kind {
    /// A registered name such as example.com.
    WSH_HOST_NAME = 0,
    /// A dotted-quad IPv4 address such as 127.0.0.1.
    WSH_HOST_IPV4 = 1,
    /// An IPv6 literal such as ::1 (bracketed in the URL and in Host).
    WSH_HOST_IPV6 = 2,
}

enum_from!(HostKind => wsh_host_kind {
    HostKind::Name => WSH_HOST_NAME,
    HostKind::Ipv4 => WSH_HOST_IPV4,
    HostKind::Ipv6 => WSH_HOST_IPV6,
});

/// The parts of a config's URL a client needs to open the connection
/// (wsh_client_config_url()). The pointers are views into the config, valid
/// until wsh_client_config_free(); not NUL-terminated.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct wsh_client_url {
    /// The host to resolve or connect to: lowercase, an IPv6 literal without
    /// its brackets (e.g. "example.com", "127.0.0.1", "::1").
    pub host: *const u8,
    /// Length of `host`.
    pub host_len: usize,
    /// What kind of host it is.
    pub host_kind: wsh_host_kind,
    /// The port to connect to (80 or 443 when the URL gives none).
    pub port: u16,
    /// True for wss://: run TLS on the connection before the handshake.
    pub secure: bool,
    /// The Host field the request carries: the host (IPv6 in brackets), then
    /// ":port" unless it is the scheme's default.
    pub host_header: *const u8,
    /// Length of `host_header`.
    pub host_header_len: usize,
    /// The resource name of the request line: the path ("/" when empty), then
    /// "?query" when the query is not empty.
    pub resource: *const u8,
    /// Length of `resource`.
    pub resource_len: usize,
}

/// A client configuration under construction (opaque). Made by
/// wsh_client_config_builder_new() with the URL, changed by the setters, and
/// consumed by wsh_client_config_builder_build() (or freed by
/// wsh_client_config_builder_free()).
///
/// Each setter checks its value at once: an invalid value returns an error and
/// leaves the builder as it was. Use a builder from one thread at a time.
pub struct wsh_client_config_builder {
    state: Guarded<ClientConfigBuilder>,
}

handle_type!(wsh_client_config_builder => ClientConfigBuilder);

/// An immutable client configuration (opaque), made by
/// wsh_client_config_builder_build(). It writes the same request for every
/// connection but the key.
///
/// Thread safety: a config is never modified; any number of threads may use the
/// same config at the same time. Each wsh_client made from it keeps its own
/// reference, so the config may be freed with wsh_client_config_free() while
/// handles made from it are still in use (views into the config, such as
/// wsh_client_url, end with the caller's reference).
pub struct wsh_client_config {
    pub(crate) config: Arc<ClientConfig>,
}

/// Makes a client config builder for a ws:// or wss:// URL, with the defaults:
/// no Origin, no subprotocols, no extensions, no extra headers,
/// WSH_CLIENT_SUBPROTOCOL_BROWSER, the default limits (see
/// wsh_client_limits_default()).
///
/// `url`, `url_len`: e.g. "wss://example.com/chat?room=1"; checked at once and
/// copied. Refused: other schemes, a fragment, userinfo, an empty host or port,
/// bytes outside RFC 3986 (give internationalized names in punycode and
/// percent-encode other bytes).
/// `out`: on WSH_OK receives the builder, owned by the caller: pass it to
/// wsh_client_config_builder_build() or wsh_client_config_builder_free().
///
/// Returns WSH_OK; WSH_INVALID_URL (also for bytes that are not UTF-8);
/// WSH_NULL_POINTER when `out` is NULL; WSH_INVALID_ARGUMENT for
/// `(NULL, url_len > 0)`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wsh_client_config_builder_new(
    url: *const u8,
    url_len: usize,
    out: *mut *mut wsh_client_config_builder,
) -> wsh_result {
    ffi_boundary! {
        let out = arg!(out out);
        let url = arg!(text url, url_len, wsh_result::WSH_INVALID_URL);
        let builder = ClientConfig::builder(url);
        // An invalid URL is reported by build(); learn it now.
        let checked = builder.clone().build().map_err(wsh_result::from);
        put(out, checked.map(|_| into_raw(builder)))
    }
}

/// Frees a builder that was not built. NULL is a no-op.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wsh_client_config_builder_free(builder: *mut wsh_client_config_builder) {
    ffi_boundary! { arg!(free builder) }
}

/// Sets the Origin field: "null" or a serialized origin such as
/// "https://example.com" (scheme://host, optionally :port; no path). Browsers
/// always send one; servers may check it. Replaces an earlier origin.
///
/// `origin`, `len`: borrowed for the call (copied).
///
/// Returns WSH_OK; WSH_INVALID_ORIGIN (also for bytes that are not UTF-8);
/// WSH_NULL_POINTER for a NULL builder; WSH_INVALID_ARGUMENT for
/// `(NULL, len > 0)`; WSH_POISONED.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wsh_client_config_builder_origin(
    builder: *mut wsh_client_config_builder,
    origin: *const u8,
    len: usize,
) -> wsh_result {
    ffi_boundary! {
        let invalid = wsh_result::WSH_INVALID_ORIGIN;
        arg!(run set_text, builder, origin, len, invalid, |b, origin| b.origin(origin))
    }
}

/// Adds a subprotocol to offer, after those added before (the client's order
/// of preference).
///
/// `name`, `len`: an HTTP token such as "chat"; borrowed for the call (copied).
///
/// Returns WSH_OK; WSH_INVALID_SUBPROTOCOL when it is not a token (also empty,
/// or not UTF-8); WSH_DUPLICATE_SUBPROTOCOL when it was added before;
/// WSH_NULL_POINTER for a NULL builder; WSH_INVALID_ARGUMENT for
/// `(NULL, len > 0)`; WSH_POISONED.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wsh_client_config_builder_add_subprotocol(
    builder: *mut wsh_client_config_builder,
    name: *const u8,
    len: usize,
) -> wsh_result {
    ffi_boundary! {
        let invalid = wsh_result::WSH_INVALID_SUBPROTOCOL;
        arg!(run set_text, builder, name, len, invalid, |b, name| b.add_subprotocol(name))
    }
}

/// Offers permessage-deflate (written first in Sec-WebSocket-Extensions); the
/// client checks the server's answer against the offer and reports the agreed
/// parameters (wsh_client_deflate()). Replaces earlier offers; add more with
/// wsh_client_config_builder_add_permessage_deflate().
///
/// `offer`: read during the call (copied).
///
/// Returns WSH_OK; WSH_INVALID_EXTENSION when a window is outside 8..=15 (or
/// client_max_window_bits is set without offer_client_max_window_bits);
/// WSH_NULL_POINTER when `builder` or `offer` is NULL; WSH_POISONED.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wsh_client_config_builder_permessage_deflate(
    builder: *mut wsh_client_config_builder,
    offer: *const wsh_deflate_offer,
) -> wsh_result {
    ffi_boundary! {
        arg!(run set_from, builder, offer, checked_offer, |b, o| b.permessage_deflate(o))
    }
}

/// Adds a further permessage-deflate offer after those set before (RFC 7692
/// section 5.1: the client's order of preference; the server accepts the first
/// it supports), e.g. small windows first and the browsers' offer as the
/// fallback. wsh_client_deflate_offer_index() tells which one was accepted.
///
/// `offer`: read during the call (copied).
///
/// Returns WSH_OK; WSH_INVALID_EXTENSION when a window is outside 8..=15 (or
/// client_max_window_bits is set without offer_client_max_window_bits), or when
/// the same offer was added before; WSH_NULL_POINTER when `builder` or `offer`
/// is NULL; WSH_POISONED.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wsh_client_config_builder_add_permessage_deflate(
    builder: *mut wsh_client_config_builder,
    offer: *const wsh_deflate_offer,
) -> wsh_result {
    ffi_boundary! {
        arg!(run set_from, builder, offer, checked_offer, |b, o| b.add_permessage_deflate(o))
    }
}

/// Offers another extension, after permessage-deflate and those added before.
/// The server may accept it; the client only checks that an accepted extension
/// was offered (its parameters are the application's business:
/// wsh_client_extension_at()).
///
/// `element`, `len`: exactly one element of the RFC 6455 section 9.1 grammar,
/// e.g. "x-webkit-frame; level=2", not permessage-deflate (use
/// wsh_client_config_builder_permessage_deflate()); borrowed for the call.
///
/// Returns WSH_OK; WSH_INVALID_EXTENSION (also for bytes that are not UTF-8);
/// WSH_NULL_POINTER for a NULL builder; WSH_INVALID_ARGUMENT for
/// `(NULL, len > 0)`; WSH_POISONED.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wsh_client_config_builder_add_extension(
    builder: *mut wsh_client_config_builder,
    element: *const u8,
    len: usize,
) -> wsh_result {
    ffi_boundary! {
        let invalid = wsh_result::WSH_INVALID_EXTENSION;
        arg!(run set_text, builder, element, len, invalid, |b, e| b.extension(e))
    }
}

/// Adds an extra request header field (e.g. Authorization, Cookie,
/// User-Agent), after those added before.
///
/// `name`, `name_len`: an HTTP token, not one the request writes itself (Host,
/// Upgrade, Connection, Sec-WebSocket-*, Origin, Content-Length,
/// Transfer-Encoding).
/// `value`, `value_len`: no CR, LF, NUL or other control bytes but HTAB, no
/// whitespace at either end. Both borrowed for the call (copied).
///
/// Returns WSH_OK; WSH_INVALID_HEADER_NAME (also for a name that is not UTF-8);
/// WSH_INVALID_HEADER_VALUE; WSH_RESERVED_HEADER; WSH_NULL_POINTER for a NULL
/// builder; WSH_INVALID_ARGUMENT for `(NULL, n > 0)`; WSH_POISONED.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wsh_client_config_builder_add_header(
    builder: *mut wsh_client_config_builder,
    name: *const u8,
    name_len: usize,
    value: *const u8,
    value_len: usize,
) -> wsh_result {
    ffi_boundary! {
        let name = arg!(text name, name_len, wsh_result::WSH_INVALID_HEADER_NAME);
        let value = arg!(slice value, value_len);
        set(arg!(mut builder), |b| b.header(name, value))
    }
}

/// Sets the limits on what the client reads (see wsh_client_limits for the
/// ranges).
///
/// `limits`: read during the call (copied).
///
/// Returns WSH_OK; WSH_INVALID_CONFIG when a value is out of range;
/// WSH_NULL_POINTER when `builder` or `limits` is NULL; WSH_POISONED.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wsh_client_config_builder_limits(
    builder: *mut wsh_client_config_builder,
    limits: *const wsh_client_limits,
) -> wsh_result {
    ffi_boundary! { arg!(run set_from, builder, limits, |l| Ok(l.into()), |b, l| b.limits(l)) }
}

/// Chooses what happens when subprotocols were offered and the server selected
/// none.
///
/// `mode`: a wsh_client_subprotocol_mode value (default
/// WSH_CLIENT_SUBPROTOCOL_BROWSER).
///
/// Returns WSH_OK; WSH_INVALID_ARGUMENT for any other number;
/// WSH_NULL_POINTER for a NULL builder; WSH_POISONED.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wsh_client_config_builder_subprotocol_mode(
    builder: *mut wsh_client_config_builder,
    mode: u32,
) -> wsh_result {
    ffi_boundary! {
        use wsh_client_subprotocol_mode::*;
        let mode = try_ffi!(choose(mode, &[
            (WSH_CLIENT_SUBPROTOCOL_BROWSER as u32, SubprotocolMode::Browser),
            (WSH_CLIENT_SUBPROTOCOL_RFC6455 as u32, SubprotocolMode::Rfc6455),
        ]));
        set(arg!(mut builder), |b| b.subprotocol_mode(mode))
    }
}

/// Finishes the configuration.
///
/// `builder`: consumed by this call whatever the result (do not use or free it
/// afterwards), except when it is NULL.
/// `out`: on WSH_OK receives the new config, owned by the caller: free it with
/// wsh_client_config_free().
///
/// Returns WSH_OK; WSH_NULL_POINTER when `builder` or `out` is NULL;
/// WSH_POISONED when an earlier call on the builder failed internally.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wsh_client_config_builder_build(
    builder: *mut wsh_client_config_builder,
    out: *mut *const wsh_client_config,
) -> wsh_result {
    ffi_boundary! {
        let builder = arg!(take builder);
        build(builder, arg!(out out), |config| wsh_client_config { config })
    }
}

/// Releases the caller's reference to a config. Handles made from it keep it
/// alive until they are freed; views into it (wsh_client_url) end here. Call it
/// once no other call using this pointer (on any thread) is running or will
/// run. NULL is a no-op.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wsh_client_config_free(config: *const wsh_client_config) {
    ffi_boundary! { arg!(free config.cast_mut()) }
}

/// The parts of the config's URL needed to open the connection: host, port,
/// TLS or not (and what the request line and Host field carry).
///
/// `out`: receives them; its pointers are views into the config, valid until
/// wsh_client_config_free() on this pointer.
///
/// Returns WSH_OK, or WSH_NULL_POINTER when `config` or `out` is NULL. Safe to
/// call from any thread.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wsh_client_config_url(
    config: *const wsh_client_config,
    out: *mut wsh_client_url,
) -> wsh_result {
    ffi_boundary! {
        let config = arg!(borrow config);
        let out = arg!(out out);
        let url = config.config.url();
        let (host, host_len) = ptr_len(url.connect_host().as_bytes());
        let (host_header, host_header_len) = ptr_len(url.host_header().as_bytes());
        let (resource, resource_len) = ptr_len(url.resource().as_bytes());
        out.write(wsh_client_url {
            host,
            host_len,
            host_kind: url.host_kind().into(),
            port: url.port(),
            secure: url.secure(),
            host_header,
            host_header_len,
            resource,
            resource_len,
        });
        wsh_result::WSH_OK
    }
}
