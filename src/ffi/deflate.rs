//! `wsh_deflate_config` (the server's permessage-deflate policy) and
//! `wsh_deflate_params` (what was negotiated).

use super::args::{arg, put, same_fields};
use super::{ffi_boundary, wsh_result};
use wshandshake::{DeflateConfig, DeflateParams};

/// The server's permessage-deflate policy (RFC 7692). Start from
/// wsh_deflate_config_default(), which accepts every offer with the largest
/// windows and context takeover allowed.
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct wsh_deflate_config {
    /// Largest LZ77 window (bits, 8..=15) the server's compressor will use.
    /// Written in the 101 only when the offer carried server_max_window_bits;
    /// otherwise used without telling (the client's 15-bit inflater decodes it).
    pub server_max_window_bits: u8,
    /// Largest window (bits, 8..=15) the server lets the client's compressor
    /// use. Below 15, offers that do not allow limiting the client are declined.
    pub client_max_window_bits: u8,
    /// The server resets its compression context after every message.
    pub server_no_context_takeover: bool,
    /// The server asks the client to reset its context after every message.
    pub client_no_context_takeover: bool,
}

same_fields!(wsh_deflate_config <=> DeflateConfig {
    server_max_window_bits,
    client_max_window_bits,
    server_no_context_takeover,
    client_no_context_takeover,
});

/// The permessage-deflate parameters both sides agreed on: how the framing
/// layer must configure its compressor and decompressor.
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct wsh_deflate_params {
    /// The server resets its compression context after each message.
    pub server_no_context_takeover: bool,
    /// The client resets its compression context after each message.
    pub client_no_context_takeover: bool,
    /// Window bits of the server's compressor (the client's decompressor needs
    /// at least this), 8..=15.
    pub server_max_window_bits: u8,
    /// Window bits of the client's compressor (the server's decompressor needs
    /// at least this), 8..=15.
    pub client_max_window_bits: u8,
}

same_fields!(DeflateParams => wsh_deflate_params {
    server_no_context_takeover,
    client_no_context_takeover,
    server_max_window_bits,
    client_max_window_bits,
});

/// Writes the default permessage-deflate policy into `*out`: windows of 15 bits
/// both ways, context takeover allowed both ways.
///
/// Returns WSH_OK, or WSH_NULL_POINTER when `out` is NULL.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wsh_deflate_config_default(out: *mut wsh_deflate_config) -> wsh_result {
    ffi_boundary! { put(arg!(out out), Ok(DeflateConfig::default().into())) }
}
