//! `Sec-WebSocket-Accept` computation (RFC 6455 §4.2.2 step 5.4).

use sha1::{Digest, Sha1};

/// The GUID that RFC 6455 appends to the client's key before hashing.
pub(crate) const WEBSOCKET_GUID: &[u8; 36] = b"258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

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
            let digest: [u8; 20] = hasher.finalize().into();
            let mut words = [0u32; 5];
            for (word, bytes) in words.iter_mut().zip(digest.chunks_exact(4)) {
                if let Ok(b) = <[u8; 4]>::try_from(bytes) {
                    *word = u32::from_be_bytes(b);
                }
            }
            encode_digest(words)
        }
    }
}

/// The accept value for a well-formed 24-byte key: key and GUID are 60 bytes,
/// so the padded message is exactly two blocks, the second one constant. Both
/// are built here and compressed in one call (the `sha1` crate picks SHA-NI at
/// run time); no streaming buffer is involved.
fn accept_key_for(key: &[u8; KEY_LEN]) -> [u8; ACCEPT_LEN] {
    // Built in place: the key written into the first block of the pair.
    let mut blocks = [FIRST_BLOCK, LAST_BLOCK];
    if let Some(dst) = blocks
        .first_mut()
        .and_then(|b| b.first_chunk_mut::<KEY_LEN>())
    {
        *dst = *key;
    }
    let mut state = SHA1_IV;
    sha1::block_api::compress(&mut state, &blocks);
    encode_digest(state)
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

/// Standard base64 of a SHA-1 digest given as its five big-endian words,
/// read straight from the hash state: three 48-bit groups of eight characters,
/// then the last 16 bits as three characters and `=`. Characters are looked up
/// two at a time (12 bits per lookup).
fn encode_digest(words: [u32; 5]) -> [u8; ACCEPT_LEN] {
    let [w0, w1, w2, w3, w4] = words.map(u64::from);
    let groups = [
        (w0 << 16) | (w1 >> 16),
        ((w1 & 0xffff) << 32) | w2,
        (w3 << 16) | (w4 >> 16),
    ];
    let mut out = [b'='; ACCEPT_LEN];
    for (dst, group) in out.chunks_exact_mut(8).zip(groups) {
        for (pair, shift) in dst.chunks_exact_mut(2).zip([36, 24, 12, 0]) {
            pair.copy_from_slice(&base64_pair(group >> shift));
        }
    }
    // 16 bits padded to 18: three characters, then the `=` already in place.
    let tail = (w4 & 0xffff) << 2;
    if let Some([a, b, c, _]) = out.last_chunk_mut::<4>() {
        [*a, *b] = base64_pair(tail >> 6);
        *c = BASE64_CHARS
            .get((tail & 63) as usize)
            .copied()
            .unwrap_or(b'=');
    }
    out
}

const BASE64_CHARS: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// The two characters for the low 12 bits of `bits`.
#[inline]
fn base64_pair(bits: u64) -> [u8; 2] {
    // The mask keeps the index below 4096.
    BASE64_PAIRS
        .get((bits & 0xfff) as usize)
        .copied()
        .unwrap_or([b'='; 2])
}

/// Every pair of base64 characters, indexed by the 12 bits they encode.
#[allow(clippy::indexing_slicing, clippy::arithmetic_side_effects)] // const evaluation: checked at compile time
static BASE64_PAIRS: [[u8; 2]; 4096] = {
    let mut table = [[0u8; 2]; 4096];
    let mut i = 0;
    while i < 4096 {
        table[i] = [BASE64_CHARS[i >> 6], BASE64_CHARS[i & 63]];
        i += 1;
    }
    table
};

/// Checks that a `Sec-WebSocket-Key` value is the base64 encoding of exactly 16
/// bytes in canonical form (24 characters ending in `==`, RFC 4648 alphabet).
///
/// Keys that decode to 15, 17 or 18 bytes, or that use the URL-safe alphabet, are
/// refused: a length check alone would let them through.
pub(crate) fn is_valid_key(key: &[u8]) -> bool {
    // 16 bytes are 21 full base64 characters, one character carrying the last
    // 2 bits (so its low 4 bits are zero: A, Q, g or w), then "==".
    let Some((body, tail)) = key.split_first_chunk::<21>() else {
        return false;
    };
    // Without an early exit the fixed 21 lookups unroll into straight-line code.
    body.iter().fold(true, |ok, &b| ok & is_base64_char(b))
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
#[cfg(feature = "client")]
pub(crate) fn encode_key(nonce: &[u8; 16]) -> [u8; KEY_LEN] {
    use base64::Engine as _;
    use base64::engine::general_purpose::STANDARD;
    let mut out = [0u8; KEY_LEN];
    if STANDARD.encode_slice(nonce, &mut out).is_err() {
        out = [b'A'; KEY_LEN];
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use base64::engine::general_purpose::STANDARD;

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
        for pos in 0..base.len() {
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
