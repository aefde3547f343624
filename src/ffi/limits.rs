//! `wsh_limits`: size limits on a request head.

use super::{Out, ffi_boundary, try_ffi, wsh_result};
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

impl From<Limits> for wsh_limits {
    fn from(l: Limits) -> Self {
        wsh_limits {
            max_head_bytes: l.max_head_bytes,
            max_headers: l.max_headers,
            max_request_line: l.max_request_line,
            max_header_line: l.max_header_line,
        }
    }
}

impl From<wsh_limits> for Limits {
    fn from(l: wsh_limits) -> Self {
        Limits {
            max_head_bytes: l.max_head_bytes,
            max_headers: l.max_headers,
            max_request_line: l.max_request_line,
            max_header_line: l.max_header_line,
        }
    }
}

/// Writes the default limits into `*out`.
///
/// Returns WSH_OK, or WSH_NULL_POINTER when `out` is NULL.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wsh_limits_default(out: *mut wsh_limits) -> wsh_result {
    ffi_boundary! {
        // SAFETY: `out` is NULL or points to a writable wsh_limits (C contract).
        let out = try_ffi!(unsafe { Out::new(out) });
        out.write(Limits::default().into());
        wsh_result::WSH_OK
    }
}
