//! h2c, the upgrade to HTTP/2 over cleartext (RFC 7540 §3.2): the
//! `HTTP2-Settings` rules the server checks before it may switch, and the
//! decoder for the settings it hands to the application.

use super::field_index::{Fields, value_at};
use crate::error::UsageError;
use crate::request::RequestView;
use crate::token_list::list_contains;

/// True for a valid h2c upgrade (RFC 7540 §3.2.1): exactly one HTTP2-Settings,
/// base64url without padding, a whole number of settings, listed in Connection.
pub(super) fn h2c_settings_ok(view: &RequestView<'_>, f: &Fields) -> bool {
    if f.http2_settings().count != 1
        || !list_contains(view.header_values("connection"), b"http2-settings")
    {
        return false;
    }
    let Some(v) = value_at(view, f.http2_settings()) else {
        return false;
    };
    let alphabet_ok = v
        .iter()
        .all(|&b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    // Decoded length must be a multiple of 6 (one setting is 6 bytes); an empty
    // value (no settings) is allowed. 4 chars -> 3 bytes.
    let decoded = unpadded_base64_len(v.len());
    alphabet_ok && v.len() % 4 != 1 && decoded.is_multiple_of(6)
}

/// Bytes that `chars` characters of unpadded base64 decode to.
fn unpadded_base64_len(chars: usize) -> usize {
    (chars / 4)
        .saturating_mul(3)
        .saturating_add((chars % 4).saturating_sub(1))
}

/// Decodes an `HTTP2-Settings` value (base64url, no padding) into `out`.
pub fn decode_http2_settings(value: &[u8], out: &mut [u8]) -> Result<usize, UsageError> {
    use base64::Engine as _;
    let needed = unpadded_base64_len(value.len());
    if out.len() < needed {
        return Err(UsageError::BufferTooSmall { needed });
    }
    base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode_slice(value, out)
        .map_err(|_| UsageError::InvalidHeaderValue)
}
