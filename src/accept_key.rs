//! `Sec-WebSocket-Accept` computation (RFC 6455 §4.2.2 step 5.4).

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use sha1::{Digest, Sha1};

/// The GUID that RFC 6455 appends to the client's key before hashing.
pub const WEBSOCKET_GUID: &[u8; 36] = b"258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

/// Length of an encoded `Sec-WebSocket-Key` (16 bytes in base64).
pub const KEY_LEN: usize = 24;

/// Length of an encoded `Sec-WebSocket-Accept` (20 bytes of SHA-1 in base64).
pub const ACCEPT_LEN: usize = 28;

/// Computes `base64(sha1(key + GUID))` into a fixed array, without allocating.
///
/// `key` is the client's `Sec-WebSocket-Key` value exactly as sent (the RFC hashes
/// the encoded text, not the decoded bytes).
pub fn accept_key(key: &[u8]) -> [u8; ACCEPT_LEN] {
    let mut hasher = Sha1::new();
    hasher.update(key);
    hasher.update(WEBSOCKET_GUID);
    let digest = hasher.finalize();
    let mut out = [0u8; ACCEPT_LEN];
    // 20 bytes always encode to exactly 28 bytes, so this cannot fail; the fallback
    // keeps the function panic-free without an unwrap.
    if STANDARD.encode_slice(digest, &mut out).is_err() {
        out = [b'='; ACCEPT_LEN];
    }
    out
}

/// Checks that a `Sec-WebSocket-Key` value is the base64 encoding of exactly 16
/// bytes in canonical form (24 characters ending in `==`, RFC 4648 alphabet).
///
/// Keys that decode to 15, 17 or 18 bytes, or that use the URL-safe alphabet, are
/// refused: a length check alone would let them through.
pub fn is_valid_key(key: &[u8]) -> bool {
    // 16 bytes are 21 full base64 characters, one character carrying the last
    // 2 bits (so its low 4 bits are zero: A, Q, g or w), then "==".
    let Some((body, tail)) = key.split_first_chunk::<21>() else {
        return false;
    };
    body.iter().all(|&b| is_base64_char(b))
        && matches!(tail, [b'A' | b'Q' | b'g' | b'w', b'=', b'='])
}

#[inline]
fn is_base64_char(b: u8) -> bool {
    // A u8 always indexes a 256-entry table.
    matches!(BASE64_ALPHABET.get(b as usize), Some(true))
}

#[allow(clippy::indexing_slicing, clippy::arithmetic_side_effects)] // const evaluation: checked at compile time
static BASE64_ALPHABET: [bool; 256] = {
    let mut table = [false; 256];
    let mut i = 0;
    while i < 256 {
        let b = i as u8;
        table[i] = b.is_ascii_alphanumeric() || b == b'+' || b == b'/';
        i += 1;
    }
    table
};

/// Encodes 16 random bytes as a `Sec-WebSocket-Key` value.
pub fn encode_key(nonce: &[u8; 16]) -> [u8; KEY_LEN] {
    let mut out = [0u8; KEY_LEN];
    if STANDARD.encode_slice(nonce, &mut out).is_err() {
        out = [b'A'; KEY_LEN];
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc6455_sample_vector() {
        assert_eq!(
            &accept_key(b"dGhlIHNhbXBsZSBub25jZQ=="),
            b"s3pPLMBiTxaQ9kYGzzhZRbK+xOo="
        );
    }

    #[test]
    fn key_validation() {
        assert!(is_valid_key(b"dGhlIHNhbXBsZSBub25jZQ=="));
        // 15, 17 and 18 bytes
        assert!(!is_valid_key(b"dGhlIHNhbXBsZSBub25j"));
        assert!(!is_valid_key(b"dGhlIHNhbXBsZSBub25jZQo="));
        assert!(!is_valid_key(b"dGhlIHNhbXBsZSBub25jZQpx"));
        // non-canonical trailing bits
        assert!(!is_valid_key(b"dGhlIHNhbXBsZSBub25jZR=="));
        // url-safe alphabet
        assert!(!is_valid_key(b"-_hlIHNhbXBsZSBub25jZQ=="));
        assert!(!is_valid_key(b""));
    }

    #[test]
    fn key_check_matches_a_real_decoder() {
        use base64::Engine as _;
        let reference = |k: &[u8]| {
            let mut out = [0u8; 18];
            k.len() == 24 && STANDARD.decode_slice(k, &mut out) == Ok(16)
        };
        let base = *b"dGhlIHNhbXBsZSBub25jZQ==";
        for pos in [0, 10, 20, 21, 22, 23] {
            for b in 0..=255u8 {
                let mut k = base;
                k[pos] = b;
                assert_eq!(is_valid_key(&k), reference(&k), "{pos} {b}");
            }
        }
    }

    #[test]
    fn encode_round_trip() {
        let key = encode_key(&[7u8; 16]);
        assert!(is_valid_key(&key));
    }
}
