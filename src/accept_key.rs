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
    match <&[u8; KEY_LEN]>::try_from(key) {
        Ok(k) => accept_key_for(k),
        Err(_) => {
            let mut hasher = Sha1::new();
            hasher.update(key);
            hasher.update(WEBSOCKET_GUID);
            encode_digest(&hasher.finalize().into())
        }
    }
}

/// The accept value for a well-formed 24-byte key: key and GUID are 60 bytes,
/// so the padded message is exactly two blocks, the second one constant. Both
/// are built here and compressed in one call (the `sha1` crate picks SHA-NI at
/// run time); no streaming buffer is involved.
fn accept_key_for(key: &[u8; KEY_LEN]) -> [u8; ACCEPT_LEN] {
    let mut first = FIRST_BLOCK;
    if let Some(dst) = first.first_chunk_mut::<KEY_LEN>() {
        *dst = *key;
    }
    let mut state = SHA1_IV;
    sha1::block_api::compress(&mut state, &[first, LAST_BLOCK]);
    let mut digest = [0u8; 20];
    for (dst, word) in digest.chunks_exact_mut(4).zip(state) {
        dst.copy_from_slice(&word.to_be_bytes());
    }
    encode_digest(&digest)
}

/// SHA-1's initial state (FIPS 180-4 §5.3.1).
const SHA1_IV: [u32; 5] = [
    0x6745_2301,
    0xEFCD_AB89,
    0x98BA_DCFE,
    0x1032_5476,
    0xC3D2_E1F0,
];

/// The first block with the GUID and the padding's leading 1 bit in place; the
/// key goes into bytes 0..24.
#[allow(clippy::indexing_slicing, clippy::arithmetic_side_effects)] // const evaluation: checked at compile time
const FIRST_BLOCK: [u8; 64] = {
    let mut block = [0u8; 64];
    let mut i = 0;
    while i < WEBSOCKET_GUID.len() {
        block[KEY_LEN + i] = WEBSOCKET_GUID[i];
        i += 1;
    }
    block[KEY_LEN + WEBSOCKET_GUID.len()] = 0x80;
    block
};

/// The second block: zeros, then the message length in bits (60 * 8 = 480).
#[allow(clippy::indexing_slicing)] // const evaluation: checked at compile time
const LAST_BLOCK: [u8; 64] = {
    let mut block = [0u8; 64];
    let bits = ((KEY_LEN + WEBSOCKET_GUID.len()) * 8) as u64;
    let be = bits.to_be_bytes();
    let mut i = 0;
    while i < 8 {
        block[56 + i] = be[i];
        i += 1;
    }
    block
};

/// Standard base64 of a 20-byte digest: six 3-byte groups, then 2 bytes and `=`.
fn encode_digest(digest: &[u8; 20]) -> [u8; ACCEPT_LEN] {
    let mut out = [b'='; ACCEPT_LEN];
    // Seven 3-byte groups, the last one padded with a zero byte, whose fourth
    // character is then put back to `=`. Each group is read as the top three
    // bytes of a big-endian word.
    let mut padded = [0u8; 24];
    if let Some(dst) = padded.first_chunk_mut::<20>() {
        *dst = *digest;
    }
    for (dst, src) in out.chunks_exact_mut(4).zip(padded.chunks_exact(3)) {
        if let ([a, b, c], [d0, d1, d2, d3]) = (src, dst) {
            let n = u32::from_be_bytes([0, *a, *b, *c]);
            *d0 = base64_char(n >> 18);
            *d1 = base64_char(n >> 12);
            *d2 = base64_char(n >> 6);
            *d3 = base64_char(n);
        }
    }
    if let Some(last) = out.last_mut() {
        *last = b'=';
    }
    out
}

#[inline]
fn base64_char(sextet: u32) -> u8 {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    // The mask keeps the index below 64.
    ALPHABET
        .get((sextet & 63) as usize)
        .copied()
        .unwrap_or(b'=')
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
    fn fixed_block_path_matches_the_streaming_hasher() {
        use base64::Engine as _;
        let mut key = *b"dGhlIHNhbXBsZSBub25jZQ==";
        for round in 0..2000u32 {
            for (i, b) in key.iter_mut().enumerate() {
                *b = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
                    [(round as usize * 7 + i * 13 + (*b as usize)) % 64];
            }
            let mut hasher = Sha1::new();
            hasher.update(key);
            hasher.update(WEBSOCKET_GUID);
            let expected = STANDARD.encode(hasher.finalize());
            assert_eq!(&accept_key(&key)[..], expected.as_bytes());
        }
        // Other lengths take the streaming path and still agree.
        for len in [0usize, 1, 23, 25, 55, 56, 64, 100] {
            let key = vec![b'k'; len];
            let mut hasher = Sha1::new();
            hasher.update(&key);
            hasher.update(WEBSOCKET_GUID);
            assert_eq!(
                &accept_key(&key)[..],
                STANDARD.encode(hasher.finalize()).as_bytes()
            );
        }
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
