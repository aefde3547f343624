//! Internals for this crate's own integration tests and fuzz targets, which
//! check the grammars against independent models and count the bytes scanned.
//!
//! Built only with the `test-internals` feature, which engine/Cargo.toml turns
//! on for the crate's own tests and fuzz/Cargo.toml for the fuzz targets. Not
//! API: no semver promise, hidden from the docs. Each item forwards to the
//! crate-private one, so nothing here widens what the engine exports.

use crate::{DeflateConfig, DeflateParams, Extension};

/// Work counting, for the linear-work tests (CVE-2023-43669 was a rescan).
pub trait BytesScanned {
    /// Bytes the head scanner has examined so far, over every feed.
    fn bytes_scanned(&self) -> usize;
}

impl BytesScanned for crate::ServerHandshake {
    fn bytes_scanned(&self) -> usize {
        crate::ServerHandshake::bytes_scanned(self)
    }
}

#[cfg(feature = "client")]
impl BytesScanned for crate::ClientHandshake {
    fn bytes_scanned(&self) -> usize {
        crate::ClientHandshake::bytes_scanned(self)
    }
}

/// Work counting for the offer index (reading every list stays linear).
pub trait ElementsVisited {
    /// Elements visited while building the index.
    fn elements_visited(&self) -> usize;
}

impl ElementsVisited for crate::OfferIndex {
    fn elements_visited(&self) -> usize {
        crate::OfferIndex::elements_visited(self)
    }
}

/// Bytes handed to the list grammars so far, in this process (see the
/// crate's grammar_work module): a test that reads it runs alone in its test
/// binary, since concurrent counting may lose counts.
#[cfg(all(feature = "grammar-work", target_has_atomic = "ptr"))]
pub fn grammar_bytes_handed() -> usize {
    crate::grammar_work::handed()
}

/// The server's constants.
pub mod server {
    /// The first bytes of an HTTP/2 connection (RFC 9113 §3.4).
    pub const HTTP2_PREFACE: &[u8; 24] = crate::server::HTTP2_PREFACE;
}

/// The `Sec-WebSocket-Extensions` grammar.
pub mod extension_grammar {
    use crate::Extension;

    /// Why an extension list failed to parse.
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    pub struct ExtensionSyntaxError {
        /// Byte offset in the field value where parsing stopped.
        pub offset: usize,
    }

    /// The elements of one field value, up to the first syntax error.
    #[derive(Debug, Clone)]
    pub struct Extensions<'a>(crate::extension_grammar::Extensions<'a>);

    impl<'a> Extensions<'a> {
        /// Starts iterating `value`.
        pub fn new(value: &'a [u8]) -> Self {
            Extensions(crate::extension_grammar::Extensions::new(value))
        }
    }

    impl<'a> Iterator for Extensions<'a> {
        type Item = Extension<'a>;

        fn next(&mut self) -> Option<Extension<'a>> {
            self.0.next()
        }
    }

    /// Checks a whole field value; returns the number of elements.
    pub fn validate(value: &[u8]) -> Result<usize, ExtensionSyntaxError> {
        crate::extension_grammar::validate(value)
            .map_err(|e| ExtensionSyntaxError { offset: e.offset })
    }
}

/// permessage-deflate negotiation.
pub mod permessage_deflate {
    use super::{DeflateConfig, DeflateParams, Extension};

    /// The offer a server accepted: the agreed parameters and the response
    /// element.
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    pub struct Accepted {
        /// What both sides use.
        pub params: DeflateParams,
        inner: crate::permessage_deflate::Accepted,
    }

    impl Accepted {
        /// Writes the response element with `push`.
        pub fn write(&self, push: impl FnMut(&[u8])) {
            self.inner.write(push);
        }
    }

    /// The first acceptable permessage-deflate offer among `offers`.
    pub fn negotiate<'a>(
        offers: impl Iterator<Item = Extension<'a>>,
        config: &DeflateConfig,
    ) -> Option<Accepted> {
        crate::permessage_deflate::negotiate(offers, config).map(|inner| Accepted {
            params: inner.params,
            inner,
        })
    }
}

/// Token and comma-list helpers (RFC 9110 §5.6).
pub mod token_list {
    /// True for a non-empty run of tchar.
    pub fn is_token(s: &[u8]) -> bool {
        crate::token_list::is_token(s)
    }

    /// `s` without leading and trailing spaces and tabs.
    pub fn trim_ows(s: &[u8]) -> &[u8] {
        crate::token_list::trim_ows(s)
    }

    /// True when any element of any of `values` equals `token`, ASCII
    /// case-insensitively.
    pub fn list_contains<'a>(values: impl IntoIterator<Item = &'a [u8]>, token: &[u8]) -> bool {
        crate::token_list::list_contains(values, token)
    }

    /// The non-empty elements of one comma-separated field value.
    #[derive(Debug, Clone)]
    pub struct CommaList<'a>(crate::token_list::CommaList<'a>);

    impl<'a> CommaList<'a> {
        /// Starts iterating `value`.
        pub fn new(value: &'a [u8]) -> Self {
            CommaList(crate::token_list::CommaList::new(value))
        }
    }

    impl<'a> Iterator for CommaList<'a> {
        type Item = &'a [u8];

        fn next(&mut self) -> Option<&'a [u8]> {
            self.0.next()
        }
    }
}
