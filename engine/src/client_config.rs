//! What a client asks for: URL, origin, subprotocols, extensions, extra headers,
//! response limits. Built and validated once, immutable afterwards; it writes the
//! opening request (RFC 6455 §4.1) for any key.

use crate::client_key::ClientKey;
use crate::error::UsageError;
use crate::extension_grammar::{self, Extensions};
use crate::permessage_deflate::{self, ClientOffer};
use crate::response_writer::{ResponseWriter, check_header, is_safe_value};
use crate::token_list::is_token;
use crate::ws_url::{WsUrl, is_valid_origin};
use alloc::{string::String, vec, vec::Vec};

/// Header names the opening request writes itself; extra headers may not use them.
pub(crate) const REQUEST_RESERVED: &[&str] = &[
    "host",
    "upgrade",
    "connection",
    "sec-websocket-key",
    "sec-websocket-version",
    "sec-websocket-protocol",
    "sec-websocket-extensions",
    "content-length",
    "transfer-encoding",
    // Set with `origin()`, which validates it; a second Origin field would make
    // the server refuse the request.
    "origin",
];

/// What the client does when it offered subprotocols and the server selected none.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SubprotocolMode {
    /// Fail the handshake, as browsers do (the default).
    #[default]
    Browser,
    /// Accept the connection without a subprotocol, as RFC 6455 §4.1 allows.
    Rfc6455,
}

/// Bounds on what the client reads from the server.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClientLimits {
    /// Maximum bytes in one response head, status line and final empty line
    /// included (default 16 KiB). Also bounds a chunked body's trailer section.
    pub max_head_bytes: usize,
    /// Maximum number of header fields in one response head (default and most
    /// 128, as for requests).
    pub max_headers: usize,
    /// Maximum body bytes kept from a refusal (default 64 KiB). A longer body
    /// fails the handshake with `BodyTooLarge`; the head stays available.
    pub max_body_bytes: usize,
}

impl ClientLimits {
    /// Largest `max_body_bytes` a config may set.
    pub const MAX_BODY_BYTES_CAP: usize = 16 << 20;

    fn is_valid(&self) -> bool {
        use crate::head_scanner::Limits;
        (1..=Limits::MAX_HEADERS_CAP).contains(&self.max_headers)
            && (16..=Limits::MAX_HEAD_BYTES_CAP).contains(&self.max_head_bytes)
            && self.max_body_bytes <= Self::MAX_BODY_BYTES_CAP
    }
}

impl Default for ClientLimits {
    fn default() -> Self {
        ClientLimits {
            max_head_bytes: 16 * 1024,
            max_headers: crate::head_scanner::Limits::MAX_HEADERS_CAP,
            max_body_bytes: 64 * 1024,
        }
    }
}

/// An immutable client configuration. Build it with [`ClientConfig::builder`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClientConfig {
    pub(crate) url: WsUrl,
    pub(crate) origin: Option<String>,
    pub(crate) subprotocols: Vec<String>,
    /// permessage-deflate offers, in the client's order of preference.
    pub(crate) deflate: Vec<ClientOffer>,
    pub(crate) extensions: Vec<String>,
    pub(crate) headers: Vec<(String, Vec<u8>)>,
    pub(crate) limits: ClientLimits,
    pub(crate) subprotocol_mode: SubprotocolMode,
}

impl ClientConfig {
    /// A builder for `url` (`ws://` or `wss://`), with no subprotocols, no
    /// extensions, no Origin, browser subprotocol mode and default limits. An
    /// invalid URL is reported by `build`.
    pub fn builder(url: &str) -> ClientConfigBuilder {
        let (url, error) = match WsUrl::parse(url) {
            Ok(u) => (Some(u), None),
            Err(e) => (None, Some(e)),
        };
        ClientConfigBuilder {
            url,
            origin: None,
            subprotocols: Vec::new(),
            deflate: Vec::new(),
            extensions: Vec::new(),
            headers: Vec::new(),
            limits: ClientLimits::default(),
            subprotocol_mode: SubprotocolMode::default(),
            error,
        }
    }

    /// The parsed URL.
    pub fn url(&self) -> &WsUrl {
        &self.url
    }

    /// True for `wss://`: the caller must run TLS before the handshake.
    pub fn secure(&self) -> bool {
        self.url.secure()
    }

    /// The `Origin` value sent, if any.
    pub fn origin(&self) -> Option<&str> {
        self.origin.as_deref()
    }

    /// The offered subprotocols, in order of preference.
    pub fn subprotocols(&self) -> &[String] {
        &self.subprotocols
    }

    /// The first (preferred) permessage-deflate offer, if any.
    pub fn deflate_offer(&self) -> Option<&ClientOffer> {
        self.deflate.first()
    }

    /// Every permessage-deflate offer, in the order sent (the client's
    /// preference); [`ClientHandshake::deflate_offer_index`] says which one the
    /// server accepted.
    ///
    /// [`ClientHandshake::deflate_offer_index`]: crate::ClientHandshake::deflate_offer_index
    pub fn deflate_offers(&self) -> &[ClientOffer] {
        &self.deflate
    }

    /// The raw extension offer elements, in order.
    pub fn extensions(&self) -> &[String] {
        &self.extensions
    }

    /// The extra request headers, in order.
    pub fn headers(&self) -> &[(String, Vec<u8>)] {
        &self.headers
    }

    /// The response limits.
    pub fn limits(&self) -> &ClientLimits {
        &self.limits
    }

    /// The rule for a missing subprotocol.
    pub fn subprotocol_mode(&self) -> SubprotocolMode {
        self.subprotocol_mode
    }

    /// Number of distinct extensions offered (permessage-deflate counted once,
    /// whatever the number of its offers): the most a server may accept.
    pub(crate) fn offered_extension_count(&self) -> usize {
        self.extensions
            .len()
            .saturating_add(usize::from(!self.deflate.is_empty()))
    }

    /// The exact length of the opening request (the same for every key).
    pub fn request_len(&self) -> usize {
        let mut w = ResponseWriter::new(&mut []);
        self.write_to(&mut w, &ClientKey::from_nonce([0; 16]));
        w.len()
    }

    /// Writes the opening request for `key` into `out` and returns its length.
    /// When `out` is too small nothing usable is written and the error carries
    /// the size needed.
    pub fn write_request(&self, key: &ClientKey, out: &mut [u8]) -> Result<usize, UsageError> {
        let mut w = ResponseWriter::new(out);
        self.write_to(&mut w, key);
        w.finish()
    }

    /// The opening request for `key`, in a new buffer.
    pub fn request(&self, key: &ClientKey) -> Vec<u8> {
        let mut out = vec![0u8; self.request_len()];
        let len = self.write_request(key, &mut out).unwrap_or(0);
        out.truncate(len);
        out
    }

    pub(crate) fn write_to(&self, w: &mut ResponseWriter<'_>, key: &ClientKey) {
        w.push(b"GET ");
        w.push(self.url.resource().as_bytes());
        w.push(b" HTTP/1.1\r\nHost: ");
        w.push(self.url.host_header().as_bytes());
        w.push(b"\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: ");
        w.push(key.as_bytes());
        w.push(b"\r\nSec-WebSocket-Version: 13\r\n");
        if let Some(origin) = &self.origin {
            w.header(b"Origin", origin.as_bytes());
        }
        if !self.subprotocols.is_empty() {
            w.push(b"Sec-WebSocket-Protocol: ");
            push_joined(w, self.subprotocols.iter().map(String::as_bytes));
            w.push(b"\r\n");
        }
        if self.offered_extension_count() > 0 {
            w.push(b"Sec-WebSocket-Extensions: ");
            for (i, offer) in self.deflate.iter().enumerate() {
                if i > 0 {
                    w.push(b", ");
                }
                offer.write(|b| w.push(b));
            }
            if !self.deflate.is_empty() && !self.extensions.is_empty() {
                w.push(b", ");
            }
            push_joined(w, self.extensions.iter().map(String::as_bytes));
            w.push(b"\r\n");
        }
        for (name, value) in &self.headers {
            w.header(name.as_bytes(), value);
        }
        w.push(b"\r\n");
    }
}

fn push_joined<'a>(w: &mut ResponseWriter<'_>, items: impl Iterator<Item = &'a [u8]>) {
    for (i, item) in items.enumerate() {
        if i > 0 {
            w.push(b", ");
        }
        w.push(item);
    }
}

/// Builds a [`ClientConfig`]; the first invalid setting is reported by `build`,
/// so an invalid input never produces a request.
#[derive(Debug, Clone)]
pub struct ClientConfigBuilder {
    /// None when the URL failed to parse (`error` says why).
    url: Option<WsUrl>,
    origin: Option<String>,
    subprotocols: Vec<String>,
    deflate: Vec<ClientOffer>,
    extensions: Vec<String>,
    headers: Vec<(String, Vec<u8>)>,
    limits: ClientLimits,
    subprotocol_mode: SubprotocolMode,
    error: Option<UsageError>,
}

impl ClientConfigBuilder {
    fn fail(&mut self, e: UsageError) {
        self.error.get_or_insert(e);
    }

    /// The `Origin` field (`null` or `scheme://host[:port]`).
    pub fn origin(mut self, origin: impl Into<String>) -> Self {
        let origin = origin.into();
        if is_valid_origin(&origin) {
            self.origin = Some(origin);
        } else {
            self.fail(UsageError::InvalidOrigin);
        }
        self
    }

    /// Subprotocols to offer, in order of preference (tokens, no duplicates).
    pub fn subprotocols<I, S>(mut self, protocols: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        for p in protocols {
            self = self.add_subprotocol(p);
        }
        self
    }

    /// Adds one subprotocol to offer.
    pub fn add_subprotocol(mut self, protocol: impl Into<String>) -> Self {
        let p = protocol.into();
        if !is_token(p.as_bytes()) {
            self.fail(UsageError::InvalidSubprotocol);
        } else if self.subprotocols.contains(&p) {
            self.fail(UsageError::DuplicateSubprotocol);
        } else {
            self.subprotocols.push(p);
        }
        self
    }

    /// Offers permessage-deflate with these parameters (written first in
    /// `Sec-WebSocket-Extensions`), replacing earlier offers.
    /// [`ClientOffer::default`] is the browsers' offer.
    pub fn permessage_deflate(mut self, offer: ClientOffer) -> Self {
        self.deflate.clear();
        self.add_permessage_deflate(offer)
    }

    /// Adds a further permessage-deflate offer after those set before: the
    /// server accepts the first it supports (RFC 7692 §5.1), e.g. small windows
    /// first, then the browsers' offer as the fallback. The same offer twice is
    /// an [`UsageError::InvalidExtension`] (the second could never be chosen).
    pub fn add_permessage_deflate(mut self, offer: ClientOffer) -> Self {
        if offer.is_valid() && !self.deflate.contains(&offer) {
            self.deflate.push(offer);
        } else {
            self.fail(UsageError::InvalidExtension);
        }
        self
    }

    /// Offers another extension: exactly one element of the RFC 6455 §9.1 grammar,
    /// e.g. `x-webkit-frame; level=2`. permessage-deflate is offered with
    /// [`ClientConfigBuilder::permessage_deflate`] instead, whose response the
    /// engine checks.
    pub fn extension(mut self, element: impl Into<String>) -> Self {
        let e = element.into();
        let valid = extension_grammar::validate(e.as_bytes()) == Ok(1)
            && is_safe_value(e.as_bytes())
            && Extensions::new(e.as_bytes())
                .next()
                .is_some_and(|x| !x.name().eq_ignore_ascii_case(permessage_deflate::NAME));
        if valid {
            self.extensions.push(e);
        } else {
            self.fail(UsageError::InvalidExtension);
        }
        self
    }

    /// Adds an extra request header (a token name; a value without CR, LF, NUL or
    /// surrounding whitespace; none of the fields the request writes itself:
    /// Host, Upgrade, Connection, Sec-WebSocket-Key, -Version, -Protocol and
    /// -Extensions, Content-Length, Transfer-Encoding, Origin).
    pub fn header(mut self, name: impl Into<String>, value: impl Into<Vec<u8>>) -> Self {
        let name = name.into();
        let value = value.into();
        match check_header(name.as_bytes(), &value, REQUEST_RESERVED) {
            Ok(()) => self.headers.push((name, value)),
            Err(e) => self.fail(e),
        }
        self
    }

    /// Response limits (see [`ClientLimits`] for the defaults).
    pub fn limits(mut self, limits: ClientLimits) -> Self {
        if limits.is_valid() {
            self.limits = limits;
        } else {
            self.fail(UsageError::InvalidConfig);
        }
        self
    }

    /// What to do when subprotocols were offered and none was selected.
    pub fn subprotocol_mode(mut self, mode: SubprotocolMode) -> Self {
        self.subprotocol_mode = mode;
        self
    }

    /// Finishes the configuration, or reports the first invalid setting.
    pub fn build(self) -> Result<ClientConfig, UsageError> {
        if let Some(e) = self.error {
            return Err(e);
        }
        let url = self.url.ok_or(UsageError::InvalidUrl)?;
        Ok(ClientConfig {
            url,
            origin: self.origin,
            subprotocols: self.subprotocols,
            deflate: self.deflate,
            extensions: self.extensions,
            headers: self.headers,
            limits: self.limits,
            subprotocol_mode: self.subprotocol_mode,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(config: &ClientConfig, key: &ClientKey) -> String {
        String::from_utf8(config.request(key)).unwrap()
    }

    #[test]
    fn minimal_request() {
        let c = ClientConfig::builder("ws://example.com/chat")
            .build()
            .unwrap();
        let key = ClientKey::from_nonce([0; 16]);
        assert_eq!(
            text(&c, &key),
            "GET /chat HTTP/1.1\r\nHost: example.com\r\nUpgrade: websocket\r\n\
             Connection: Upgrade\r\nSec-WebSocket-Key: AAAAAAAAAAAAAAAAAAAAAA==\r\n\
             Sec-WebSocket-Version: 13\r\n\r\n"
        );
        assert_eq!(c.request_len(), text(&c, &key).len());
        assert!(!c.secure());
    }

    #[test]
    fn full_request() {
        let c = ClientConfig::builder("wss://[::1]:9000/x?y")
            .origin("https://example.com")
            .subprotocols(["chat", "superchat"])
            .permessage_deflate(ClientOffer::default())
            .extension("x-foo; a=1")
            .header("Authorization", "Bearer t")
            .build()
            .unwrap();
        assert!(c.secure());
        let key = ClientKey::from_nonce(*b"the sample nonce");
        assert_eq!(
            text(&c, &key),
            "GET /x?y HTTP/1.1\r\nHost: [::1]:9000\r\nUpgrade: websocket\r\n\
             Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\
             Sec-WebSocket-Version: 13\r\nOrigin: https://example.com\r\n\
             Sec-WebSocket-Protocol: chat, superchat\r\n\
             Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits, x-foo; a=1\r\n\
             Authorization: Bearer t\r\n\r\n"
        );
    }

    #[test]
    fn caller_buffer_reports_size_needed() {
        let c = ClientConfig::builder("ws://h/").build().unwrap();
        let key = ClientKey::from_nonce([3; 16]);
        let needed = c.request_len();
        let mut small = vec![0u8; needed - 1];
        assert_eq!(
            c.write_request(&key, &mut small),
            Err(UsageError::BufferTooSmall { needed })
        );
        let mut exact = vec![0u8; needed];
        assert_eq!(c.write_request(&key, &mut exact), Ok(needed));
        assert_eq!(exact, c.request(&key));
    }

    #[test]
    fn invalid_inputs_are_errors() {
        let b = || ClientConfig::builder("ws://h/");
        let cases: Vec<(ClientConfigBuilder, UsageError)> = vec![
            (ClientConfig::builder("http://h/"), UsageError::InvalidUrl),
            (ClientConfig::builder("ws://h/#x"), UsageError::InvalidUrl),
            (b().origin("https://a/"), UsageError::InvalidOrigin),
            (b().origin("https://a\r\nX: y"), UsageError::InvalidOrigin),
            (b().add_subprotocol("a b"), UsageError::InvalidSubprotocol),
            (b().add_subprotocol(""), UsageError::InvalidSubprotocol),
            (
                b().subprotocols(["chat", "x", "chat"]),
                UsageError::DuplicateSubprotocol,
            ),
            (
                b().permessage_deflate(ClientOffer {
                    server_max_window_bits: Some(7),
                    ..ClientOffer::default()
                }),
                UsageError::InvalidExtension,
            ),
            (
                b().permessage_deflate(ClientOffer {
                    client_max_window_bits: Some(Some(16)),
                    ..ClientOffer::default()
                }),
                UsageError::InvalidExtension,
            ),
            (b().extension("a, b"), UsageError::InvalidExtension),
            (b().extension(""), UsageError::InvalidExtension),
            (b().extension("a;"), UsageError::InvalidExtension),
            (b().extension(" a"), UsageError::InvalidExtension),
            (
                b().extension("Permessage-Deflate"),
                UsageError::InvalidExtension,
            ),
            (b().header("X A", "v"), UsageError::InvalidHeaderName),
            (
                b().header("X-A", "v\r\nHost: evil"),
                UsageError::InvalidHeaderValue,
            ),
            (b().header("X-A", "v\0"), UsageError::InvalidHeaderValue),
            (
                b().header("Sec-WebSocket-Key", "k"),
                UsageError::ReservedHeader,
            ),
            (b().header("HOST", "k"), UsageError::ReservedHeader),
            (b().header("origin", "null"), UsageError::ReservedHeader),
            (
                b().header("Transfer-Encoding", "chunked"),
                UsageError::ReservedHeader,
            ),
            (
                b().limits(ClientLimits {
                    max_headers: 0,
                    ..ClientLimits::default()
                }),
                UsageError::InvalidConfig,
            ),
            (
                b().limits(ClientLimits {
                    max_headers: 129,
                    ..ClientLimits::default()
                }),
                UsageError::InvalidConfig,
            ),
            (
                b().limits(ClientLimits {
                    max_body_bytes: ClientLimits::MAX_BODY_BYTES_CAP + 1,
                    ..ClientLimits::default()
                }),
                UsageError::InvalidConfig,
            ),
        ];
        for (builder, expected) in cases {
            assert_eq!(builder.build(), Err(expected));
        }
        // The first error wins.
        assert_eq!(
            ClientConfig::builder("ftp://x")
                .add_subprotocol("a b")
                .build(),
            Err(UsageError::InvalidUrl)
        );
    }
}
