//! `wsh_limits`: size limits on a request head.

use super::args::{arg, put, same_fields};
use super::{ffi_boundary, wsh_result};
use wshandshake::Limits;

/// Size limits on a request head; memory per handshake handle is bounded by
/// them. Start from wsh_limits_default() and change the fields you need.
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct wsh_limits {
    /// Maximum bytes in the head, request line and final empty line included
    /// (default 16384; 16..=1048576).
    pub max_head_bytes: usize,
    /// Maximum number of header fields (default 128; 1..=128).
    pub max_headers: usize,
    /// Maximum length of the request line without CRLF (default 8192; >= 1).
    pub max_request_line: usize,
    /// Maximum length of one header line without CRLF (default 8192; >= 1).
    pub max_header_line: usize,
}

same_fields!(wsh_limits <=> Limits { max_head_bytes, max_headers, max_request_line, max_header_line });

/// Writes the default limits into `*out`.
///
/// Returns WSH_OK, or WSH_NULL_POINTER when `out` is NULL.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wsh_limits_default(out: *mut wsh_limits) -> wsh_result {
    ffi_boundary! { put(arg!(out out), Ok(Limits::default().into())) }
}
