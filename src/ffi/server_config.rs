//! `wsh_server_config_builder` and `wsh_server_config`: the server's policy,
//! built once and then shared, read-only, by every handshake on every thread.

use alloc::sync::Arc;

use super::args::{arg, choose, try_ffi};
use super::builder::{build, set, set_from, set_text};
use super::deflate::wsh_deflate_config;
use super::handle::{Guarded, handle_type, into_raw};
use super::limits::wsh_limits;
use super::{ffi_boundary, wsh_result};
use wshandshake::{ServerConfig, ServerConfigBuilder, SubprotocolSelection};

/// A server configuration under construction (opaque). Made by
/// wsh_server_config_builder_new(), changed by the setters, and consumed by
/// wsh_server_config_builder_build() (or freed by
/// wsh_server_config_builder_free()).
///
/// Each setter checks its value at once: an invalid value returns an error and
/// leaves the builder as it was. Use a builder from one thread at a time.
pub struct wsh_server_config_builder {
    state: Guarded<ServerConfigBuilder>,
}

handle_type!(wsh_server_config_builder => ServerConfigBuilder);

/// An immutable server configuration (opaque), made by
/// wsh_server_config_builder_build().
///
/// Thread safety: a config is never modified; any number of threads may use the
/// same config at the same time (wsh_server_new(), wsh_respond()). Each
/// wsh_server made from it keeps its own reference, so the config may be freed
/// with wsh_server_config_free() while handles made from it are still in use.
pub struct wsh_server_config {
    pub(crate) config: Arc<ServerConfig>,
}

/// How the server picks one subprotocol from the client's offer
/// (wsh_server_config_builder_subprotocol_selection()).
#[repr(u32)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum wsh_subprotocol_selection {
    /// The first protocol in the client's order that the server supports (the
    /// default; the rule MDN describes).
    WSH_SELECT_CLIENT_PREFERENCE = 0,
    /// The first protocol in the server's order that the client offered.
    WSH_SELECT_SERVER_PREFERENCE = 1,
}

/// Makes a builder with the defaults: WebSocket enabled, no subprotocols, no
/// extensions, any origin, strict parsing, the default limits (see
/// wsh_limits_default()), a 4096-byte response buffer per handshake.
///
/// Returns the new builder, owned by the caller: pass it to
/// wsh_server_config_builder_build() or wsh_server_config_builder_free().
/// Returns NULL only on an internal error.
#[unsafe(no_mangle)]
pub extern "C" fn wsh_server_config_builder_new() -> *mut wsh_server_config_builder {
    ffi_boundary! { into_raw::<wsh_server_config_builder>(ServerConfig::builder()) }
}

/// Frees a builder that was not built. NULL is a no-op.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wsh_server_config_builder_free(builder: *mut wsh_server_config_builder) {
    ffi_boundary! { arg!(free builder) }
}

/// Adds a supported subprotocol, after those added before (the server's order
/// of preference).
///
/// `name`, `len`: an HTTP token such as "chat" or "v2.json.example"; borrowed
/// for the call (copied).
///
/// Returns WSH_OK; WSH_INVALID_CONFIG when it is not a token (or empty);
/// WSH_INVALID_UTF8; WSH_NULL_POINTER for a NULL builder;
/// WSH_INVALID_ARGUMENT for `(NULL, len > 0)`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wsh_server_config_builder_add_subprotocol(
    builder: *mut wsh_server_config_builder,
    name: *const u8,
    len: usize,
) -> wsh_result {
    ffi_boundary! {
        let invalid = wsh_result::WSH_INVALID_UTF8;
        arg!(run set_text, builder, name, len, invalid, |b, name| b.add_subprotocol(name))
    }
}

/// Chooses how one subprotocol is picked from the client's offer.
///
/// `selection`: a wsh_subprotocol_selection value (default
/// WSH_SELECT_CLIENT_PREFERENCE).
///
/// Returns WSH_OK; WSH_INVALID_ARGUMENT for any other number;
/// WSH_NULL_POINTER for a NULL builder.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wsh_server_config_builder_subprotocol_selection(
    builder: *mut wsh_server_config_builder,
    selection: u32,
) -> wsh_result {
    ffi_boundary! {
        use wsh_subprotocol_selection::*;
        let selection = try_ffi!(choose(selection, &[
            (WSH_SELECT_CLIENT_PREFERENCE as u32, SubprotocolSelection::ClientPreference),
            (WSH_SELECT_SERVER_PREFERENCE as u32, SubprotocolSelection::ServerPreference),
        ]));
        set(arg!(mut builder), |b| b.subprotocol_selection(selection))
    }
}

/// When `required` is true, WebSocket requests that offer no supported
/// subprotocol are rejected with 400 (WSH_REQUEST_NO_SUBPROTOCOL_MATCH).
/// Default false.
///
/// Returns WSH_OK, or WSH_NULL_POINTER for a NULL builder.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wsh_server_config_builder_require_subprotocol(
    builder: *mut wsh_server_config_builder,
    required: bool,
) -> wsh_result {
    ffi_boundary! { set(arg!(mut builder), |b| b.require_subprotocol(required)) }
}

/// Adds an allowed origin, e.g. `https://example.com` (compared exactly,
/// ASCII case-insensitively). Once any origin is added, requests from other
/// origins and from "null" are rejected with 403; without any, every origin is
/// allowed.
///
/// `origin`, `len`: visible ASCII, not empty, not "null"; borrowed for the call.
///
/// Returns WSH_OK; WSH_INVALID_CONFIG for an invalid origin; WSH_INVALID_UTF8;
/// WSH_NULL_POINTER for a NULL builder; WSH_INVALID_ARGUMENT for
/// `(NULL, len > 0)`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wsh_server_config_builder_add_allowed_origin(
    builder: *mut wsh_server_config_builder,
    origin: *const u8,
    len: usize,
) -> wsh_result {
    ffi_boundary! {
        let invalid = wsh_result::WSH_INVALID_UTF8;
        arg!(run set_text, builder, origin, len, invalid, |b, o| b.allowed_origins([o]))
    }
}

/// When `required` is true, requests without an Origin field are rejected with
/// 403 (browsers always send one). Default false.
///
/// Returns WSH_OK, or WSH_NULL_POINTER for a NULL builder.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wsh_server_config_builder_require_origin(
    builder: *mut wsh_server_config_builder,
    required: bool,
) -> wsh_result {
    ffi_boundary! { set(arg!(mut builder), |b| b.require_origin(required)) }
}

/// Whether WebSocket upgrades are handled (default true). Turn it off for a
/// server that only switches to other protocols (wsh_server_config_builder_add_upgrade_protocol()).
///
/// Returns WSH_OK, or WSH_NULL_POINTER for a NULL builder.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wsh_server_config_builder_websocket(
    builder: *mut wsh_server_config_builder,
    enabled: bool,
) -> wsh_result {
    ffi_boundary! { set(arg!(mut builder), |b| b.websocket(enabled)) }
}

/// Adds another protocol the server may switch to besides WebSocket, such as
/// "h2c", "TLS/1.2" or "foo/2" (token or token/token). The client's Upgrade
/// order decides among the supported ones. An accepted request of this kind is
/// reported as WSH_DECISION_UPGRADE_OTHER. For "h2c" the RFC 7540 section 3.2
/// rules apply (exactly one valid HTTP2-Settings, listed in Connection).
///
/// `protocol`, `len`: borrowed for the call.
///
/// Returns WSH_OK; WSH_INVALID_CONFIG for an invalid protocol or "websocket";
/// WSH_INVALID_UTF8; WSH_NULL_POINTER for a NULL builder;
/// WSH_INVALID_ARGUMENT for `(NULL, len > 0)`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wsh_server_config_builder_add_upgrade_protocol(
    builder: *mut wsh_server_config_builder,
    protocol: *const u8,
    len: usize,
) -> wsh_result {
    ffi_boundary! {
        let invalid = wsh_result::WSH_INVALID_UTF8;
        arg!(run set_text, builder, protocol, len, invalid, |b, p| b.upgrade_protocols([p]))
    }
}

/// Enables permessage-deflate (RFC 7692) with this policy. Off by default.
///
/// `deflate`: read during the call (copied).
///
/// Returns WSH_OK; WSH_INVALID_CONFIG when a window size is outside 8..=15;
/// WSH_NULL_POINTER when `builder` or `deflate` is NULL.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wsh_server_config_builder_permessage_deflate(
    builder: *mut wsh_server_config_builder,
    deflate: *const wsh_deflate_config,
) -> wsh_result {
    ffi_boundary! {
        arg!(run set_from, builder, deflate, |d| Ok(d.into()), |b, d| b.permessage_deflate(d))
    }
}

/// Sets the size limits on request heads (see wsh_limits for the ranges).
///
/// `limits`: read during the call (copied).
///
/// Returns WSH_OK; WSH_INVALID_CONFIG when a value is out of range;
/// WSH_NULL_POINTER when `builder` or `limits` is NULL.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wsh_server_config_builder_limits(
    builder: *mut wsh_server_config_builder,
    limits: *const wsh_limits,
) -> wsh_result {
    ffi_boundary! { arg!(run set_from, builder, limits, |l| Ok(l.into()), |b, l| b.limits(l)) }
}

/// Lenient parsing: accept lines that end in a bare LF (legacy devices).
/// Default false (such requests get 400).
///
/// Returns WSH_OK, or WSH_NULL_POINTER for a NULL builder.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wsh_server_config_builder_allow_bare_lf(
    builder: *mut wsh_server_config_builder,
    allow: bool,
) -> wsh_result {
    ffi_boundary! { set(arg!(mut builder), |b| b.allow_bare_lf(allow)) }
}

/// Lenient parsing: unfold obsolete line folding instead of rejecting it.
/// Applies to wsh_server handles; wsh_respond() always rejects folding (it
/// cannot rewrite the caller's bytes). Default false.
///
/// Returns WSH_OK, or WSH_NULL_POINTER for a NULL builder.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wsh_server_config_builder_allow_obs_fold(
    builder: *mut wsh_server_config_builder,
    allow: bool,
) -> wsh_result {
    ffi_boundary! { set(arg!(mut builder), |b| b.allow_obs_fold(allow)) }
}

/// Lenient parsing: accept a WebSocket request without Host. Default false.
///
/// Returns WSH_OK, or WSH_NULL_POINTER for a NULL builder.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wsh_server_config_builder_allow_missing_host(
    builder: *mut wsh_server_config_builder,
    allow: bool,
) -> wsh_result {
    ffi_boundary! { set(arg!(mut builder), |b| b.allow_missing_host(allow)) }
}

/// Lenient parsing: accept a Host that is an IPv6 address without brackets,
/// perhaps followed by ":port" (WebSocket-Node sends "Host: ::1:8080").
/// Default false. Risk: such a value has no single reading ("::1:8080" is also
/// a whole address without a port), so a proxy in front may route it elsewhere
/// than the application reads it. Only its shape is checked (hex digits, ':'
/// and '.', at least two colons); wsh_server_host() reports it as sent.
///
/// Returns WSH_OK, or WSH_NULL_POINTER for a NULL builder.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wsh_server_config_builder_allow_unbracketed_ipv6_host(
    builder: *mut wsh_server_config_builder,
    allow: bool,
) -> wsh_result {
    ffi_boundary! { set(arg!(mut builder), |b| b.allow_unbracketed_ipv6_host(allow)) }
}

/// Sets the size of each wsh_server's response buffer (default 4096,
/// 256..=1048576). The 101 response with the extra headers given to
/// wsh_server_accept() must fit in it.
///
/// Returns WSH_OK; WSH_INVALID_CONFIG when out of range; WSH_NULL_POINTER for
/// a NULL builder.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wsh_server_config_builder_response_capacity(
    builder: *mut wsh_server_config_builder,
    bytes: usize,
) -> wsh_result {
    ffi_boundary! { set(arg!(mut builder), |b| b.response_capacity(bytes)) }
}

/// Finishes the configuration.
///
/// `builder`: consumed by this call whatever the result (do not use or free it
/// afterwards), except when it is NULL.
/// `out`: on WSH_OK receives the new config, owned by the caller: free it with
/// wsh_server_config_free().
///
/// Returns WSH_OK; WSH_NULL_POINTER when `builder` or `out` is NULL;
/// WSH_POISONED when an earlier call on the builder failed internally.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wsh_server_config_builder_build(
    builder: *mut wsh_server_config_builder,
    out: *mut *const wsh_server_config,
) -> wsh_result {
    ffi_boundary! {
        let builder = arg!(take builder);
        build(builder, arg!(out out), |config| wsh_server_config { config })
    }
}

/// Releases the caller's reference to a config. Handles made from it keep it
/// alive until they are freed. Call it once no other call using this pointer
/// (on any thread) is running or will run. NULL is a no-op.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wsh_server_config_free(config: *const wsh_server_config) {
    ffi_boundary! { arg!(free config.cast_mut()) }
}
