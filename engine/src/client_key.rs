//! The client's `Sec-WebSocket-Key` (RFC 6455 §4.1): 16 random bytes, base64.
//!
//! The bytes come from the caller (deterministic tests, embedded RNGs) or from the
//! operating system. A failing random source is an error, never a fixed key: a
//! predictable key would let a cache or proxy replay an old handshake.

use crate::accept_key::{ACCEPT_LEN, KEY_LEN, accept_key, encode_key};
#[cfg(feature = "getrandom")]
use crate::error::UsageError;

/// A `Sec-WebSocket-Key` value, 24 bytes of base64.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ClientKey {
    encoded: [u8; KEY_LEN],
}

impl ClientKey {
    /// The key for these 16 bytes. Use it when the caller owns randomness, and
    /// in tests (16 zero bytes give `AAAAAAAAAAAAAAAAAAAAAA==`).
    pub fn from_nonce(nonce: [u8; 16]) -> ClientKey {
        ClientKey {
            encoded: encode_key(&nonce),
        }
    }

    /// A key from the operating system's random source.
    #[cfg(feature = "getrandom")]
    pub fn random() -> Result<ClientKey, UsageError> {
        ClientKey::random_from(getrandom::fill)
    }

    /// A key from `fill`; any failure is [`UsageError::RandomSourceFailed`].
    #[cfg(feature = "getrandom")]
    fn random_from<E>(
        fill: impl FnOnce(&mut [u8]) -> Result<(), E>,
    ) -> Result<ClientKey, UsageError> {
        let mut nonce = [0u8; 16];
        fill(&mut nonce).map_err(|_| UsageError::RandomSourceFailed)?;
        Ok(ClientKey::from_nonce(nonce))
    }

    /// The encoded key, as sent.
    pub fn as_bytes(&self) -> &[u8; KEY_LEN] {
        &self.encoded
    }

    /// The encoded key as text.
    pub fn as_str(&self) -> &str {
        // base64 output is ASCII.
        core::str::from_utf8(&self.encoded).unwrap_or_default()
    }

    /// The `Sec-WebSocket-Accept` value a server must answer with.
    pub fn expected_accept(&self) -> [u8; ACCEPT_LEN] {
        accept_key(&self.encoded)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deterministic_keys() {
        assert_eq!(
            ClientKey::from_nonce([0; 16]).as_str(),
            "AAAAAAAAAAAAAAAAAAAAAA=="
        );
        // RFC 6455 §1.3's sample nonce is the text "the sample nonce".
        let sample = ClientKey::from_nonce(*b"the sample nonce");
        assert_eq!(sample.as_str(), "dGhlIHNhbXBsZSBub25jZQ==");
        assert_eq!(&sample.expected_accept(), b"s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
    }

    #[test]
    #[cfg(feature = "getrandom")]
    fn random_keys_are_valid_and_differ() {
        let a = ClientKey::random().unwrap();
        let b = ClientKey::random().unwrap();
        assert!(crate::accept_key::is_valid_key(a.as_bytes()));
        assert_ne!(a, b);
    }

    #[test]
    #[cfg(feature = "getrandom")]
    fn failing_source_is_an_error_not_a_fixed_key() {
        let failing = |_: &mut [u8]| Err(());
        assert_eq!(
            ClientKey::random_from(failing),
            Err(UsageError::RandomSourceFailed)
        );
        let fixed = |b: &mut [u8]| {
            b.fill(1);
            Ok::<(), ()>(())
        };
        assert_eq!(
            ClientKey::random_from(fixed),
            Ok(ClientKey::from_nonce([1; 16]))
        );
    }
}
