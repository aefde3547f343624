//! `wsh_accept_key`: the Sec-WebSocket-Accept value for a key.

use super::{ffi_boundary, input_slice, output_slice, try_ffi, wsh_result};

/// Length of a Sec-WebSocket-Accept value: 28 base64 characters (no NUL).
pub const WSH_ACCEPT_KEY_LEN: usize = 28;

// The header needs a literal; this keeps it equal to the core's constant.
const _: () = assert!(WSH_ACCEPT_KEY_LEN == wshandshake::ACCEPT_LEN);

/// Computes the Sec-WebSocket-Accept value for a Sec-WebSocket-Key
/// (RFC 6455 section 4.2.2: base64 of SHA-1 of the key and the RFC's GUID).
///
/// `key`, `key_len`: the key exactly as sent (normally 24 base64 characters; the
/// RFC hashes the text, so it is not decoded or validated here). Borrowed for
/// the call.
/// `out`: receives exactly WSH_ACCEPT_KEY_LEN (28) bytes, not NUL-terminated.
///
/// Returns WSH_OK; WSH_NULL_POINTER when `out` is NULL; WSH_INVALID_ARGUMENT
/// for `(NULL, n > 0)` input. Allocates nothing; safe to call from any thread.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wsh_accept_key(
    key: *const u8,
    key_len: usize,
    out: *mut u8,
) -> wsh_result {
    ffi_boundary! {
        if out.is_null() {
            return wsh_result::WSH_NULL_POINTER;
        }
        // SAFETY: the caller passes `key_len` readable bytes at `key` (C contract).
        let key = try_ffi!(unsafe { input_slice(key, key_len) });
        // SAFETY: the caller passes WSH_ACCEPT_KEY_LEN writable bytes at `out`.
        let out = try_ffi!(unsafe { output_slice(out, WSH_ACCEPT_KEY_LEN) });
        out.copy_from_slice(&wshandshake::accept_key(key));
        wsh_result::WSH_OK
    }
}
