//! The client side of the opening handshake (RFC 6455 §4.1): send the request,
//! feed the server's response in any chunking, learn whether the server
//! accepted, refused (a non-101 final response with a bounded body) or broke the
//! protocol.
//!
//! ```
//! use wshandshake::{ClientConfig, ClientHandshake, ClientKey, ClientOutcome};
//!
//! let config = ClientConfig::builder("ws://server.example.com/chat")
//!     .subprotocols(["chat", "superchat"])
//!     .build()
//!     .unwrap();
//! let mut client = ClientHandshake::with_key(config, ClientKey::from_nonce(*b"the sample nonce"));
//! assert!(client.request().starts_with(b"GET /chat HTTP/1.1\r\n"));
//! let response = b"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n\
//!     Connection: Upgrade\r\nSec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n\
//!     Sec-WebSocket-Protocol: chat\r\n\r\n\x81\x02hi";
//! let fed = client.feed(response).unwrap();
//! assert_eq!(fed.outcome, ClientOutcome::Accepted);
//! assert_eq!(client.subprotocol(), Some("chat"));
//! // The bytes after the head are the first WebSocket frame: not consumed.
//! assert_eq!(&response[fed.consumed..], b"\x81\x02hi");
//! ```
//!
//! The handle allocates its buffers when it is created and never afterwards.

use alloc::sync::Arc;
use alloc::{vec, vec::Vec};

use crate::client_config::{ClientConfig, SubprotocolMode};
use crate::client_key::ClientKey;
use crate::error::{RequestError, ResponseError, UsageError};
use crate::extension_grammar::{self, Extension, Extensions};
use crate::head_scanner::{HeadScanner, LineRules, Scan};
use crate::permessage_deflate::{self, DeflateParams};
use crate::request::Span;
use crate::response_body::BodyReader;
use crate::response_head::{
    FieldSpan, ParsedResponse, ResponseView, offset_in, parse_response_head, span_of,
};
use crate::response_writer::ResponseWriter;
use crate::token_list::{CommaList, list_contains, trim_ows};

/// What the client knows about the server's answer so far.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ClientOutcome {
    /// The response is not complete yet: feed more bytes (or call
    /// [`ClientHandshake::finish`] when the connection closed).
    NeedMore,
    /// A valid 101: the connection now speaks WebSocket. Bytes after the head are
    /// the first frames.
    Accepted,
    /// A well-formed final response other than 101, with this status; the head
    /// and the body are available. Close the connection (or follow a redirect).
    Refused(u16),
    /// The response breaks the protocol; close the connection.
    Failed(ResponseError),
}

/// The result of [`ClientHandshake::feed`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClientFeed {
    /// The decision so far.
    pub outcome: ClientOutcome,
    /// Bytes of this call's input taken by the handshake. After `Accepted`, the
    /// rest of the input is WebSocket data; after `Refused`, the rest follows the
    /// response; after `Failed`, every byte is taken (none may be used).
    pub consumed: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    /// Reading a response head (after any interim 1xx responses).
    ReadingHead,
    /// Reading the body of a refusal.
    ReadingBody,
    /// Decided; no more input is taken.
    Done,
}

/// What the 101 settled.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
struct Negotiated {
    subprotocol: Option<Span>,
    /// The index of the deflate offer accepted, and the parameters agreed.
    deflate: Option<(usize, DeflateParams)>,
}

/// A client handshake handle: holds the request to send, takes the server's
/// response, reports the outcome and what was negotiated.
#[derive(Debug)]
pub struct ClientHandshake {
    config: Arc<ClientConfig>,
    key: ClientKey,
    request: Vec<u8>,
    request_sent: usize,
    head: Vec<u8>,
    spans: Vec<FieldSpan>,
    scanner: HeadScanner,
    /// Bytes examined in earlier (interim) heads.
    scanned_before: usize,
    /// The final response's status line, once its head is parsed.
    parsed: Option<ParsedResponse>,
    body: Vec<u8>,
    body_reader: BodyReader,
    state: State,
    outcome: ClientOutcome,
    negotiated: Negotiated,
    /// Accepted extension elements, in the server's order.
    extensions: Vec<Span>,
}

impl ClientHandshake {
    /// A handshake with a key from the operating system's random source.
    #[cfg(feature = "getrandom")]
    pub fn new(config: impl Into<Arc<ClientConfig>>) -> Result<Self, UsageError> {
        Ok(ClientHandshake::with_key(config, ClientKey::random()?))
    }

    /// A handshake with the caller's key. Allocates every buffer it will need:
    /// the request, a response head of `max_head_bytes`, a body of
    /// `max_body_bytes`.
    pub fn with_key(config: impl Into<Arc<ClientConfig>>, key: ClientKey) -> Self {
        let config = config.into();
        let limits = config.limits;
        let mut handshake = ClientHandshake {
            request: Vec::with_capacity(config.request_len()),
            request_sent: 0,
            head: Vec::with_capacity(limits.max_head_bytes),
            spans: vec![FieldSpan::default(); limits.max_headers],
            scanner: HeadScanner::new(),
            scanned_before: 0,
            parsed: None,
            body: Vec::with_capacity(limits.max_body_bytes),
            body_reader: BodyReader::empty(),
            state: State::ReadingHead,
            outcome: ClientOutcome::NeedMore,
            negotiated: Negotiated::default(),
            extensions: Vec::with_capacity(config.offered_extension_count()),
            key,
            config,
        };
        handshake.write_own_request();
        handshake
    }

    fn write_own_request(&mut self) {
        let len = self.config.request_len();
        self.request.clear();
        self.request.resize(len, 0);
        let mut w = ResponseWriter::new(&mut self.request);
        self.config.write_to(&mut w, &self.key);
    }

    /// Starts over for a new connection with a new key; the buffers are kept.
    pub fn reset(&mut self, key: ClientKey) {
        self.key = key;
        self.write_own_request();
        self.request_sent = 0;
        self.head.clear();
        self.scanner = HeadScanner::new();
        self.scanned_before = 0;
        self.parsed = None;
        self.body.clear();
        self.body_reader = BodyReader::empty();
        self.state = State::ReadingHead;
        self.outcome = ClientOutcome::NeedMore;
        self.negotiated = Negotiated::default();
        self.extensions.clear();
    }

    /// The config this handle uses.
    pub fn config(&self) -> &Arc<ClientConfig> {
        &self.config
    }

    /// The key sent.
    pub fn key(&self) -> &ClientKey {
        &self.key
    }

    /// The whole opening request.
    pub fn request(&self) -> &[u8] {
        &self.request
    }

    /// Writes the whole opening request into `out` (for callers that send from
    /// their own buffer); reports the size needed when `out` is too small.
    pub fn write_request(&self, out: &mut [u8]) -> Result<usize, UsageError> {
        let needed = self.request.len();
        let dst = out
            .get_mut(..needed)
            .ok_or(UsageError::BufferTooSmall { needed })?;
        dst.copy_from_slice(&self.request);
        Ok(needed)
    }

    /// The request bytes not yet marked sent.
    pub fn pending_request(&self) -> &[u8] {
        self.request.get(self.request_sent..).unwrap_or_default()
    }

    /// Marks `n` pending request bytes as sent (clamped to what is pending).
    pub fn advance_request(&mut self, n: usize) {
        self.request_sent = self.request_sent.saturating_add(n).min(self.request.len());
    }

    /// Copies pending request bytes into `out`, marks them sent, and returns how
    /// many were copied.
    pub fn drain_request(&mut self, out: &mut [u8]) -> usize {
        let pending = self.pending_request();
        let n = pending.len().min(out.len());
        if let (Some(dst), Some(src)) = (out.get_mut(..n), pending.get(..n)) {
            dst.copy_from_slice(src);
        }
        self.advance_request(n);
        n
    }

    /// The decision so far.
    pub fn outcome(&self) -> ClientOutcome {
        self.outcome
    }

    /// Bytes of response heads (interim ones included) examined so far: a
    /// measure of work, equal to the head bytes received when nothing is
    /// examined twice.
    pub(crate) fn bytes_scanned(&self) -> usize {
        self.scanned_before
            .saturating_add(self.scanner.bytes_scanned())
    }

    fn fail(&mut self, e: ResponseError) -> ClientOutcome {
        if e == ResponseError::BodyTooLarge {
            // How much was kept before the limit hit depends on the framing and
            // the chunking of the input; an empty body does not.
            self.body.clear();
        }
        self.state = State::Done;
        self.outcome = ClientOutcome::Failed(e);
        self.outcome
    }

    /// Feeds response bytes. Call again with more bytes while the outcome is
    /// `NeedMore`. Interim 1xx responses (other than 101) are skipped. Once the
    /// outcome is decided, further calls are `WrongState` errors.
    pub fn feed(&mut self, data: &[u8]) -> Result<ClientFeed, UsageError> {
        if self.state == State::Done {
            return Err(UsageError::WrongState);
        }
        let mut pos = 0usize;
        loop {
            let rest = data.get(pos..).unwrap_or_default();
            let step = match self.state {
                State::ReadingHead => self.feed_head(rest),
                State::ReadingBody => self.feed_body(rest),
                State::Done => return Err(UsageError::WrongState),
            };
            pos = pos.saturating_add(step.used);
            match step.outcome {
                // `used > 0` guarantees progress, so the loop always ends.
                ClientOutcome::NeedMore if step.used > 0 && step.used < rest.len() => continue,
                ClientOutcome::NeedMore => {}
                ClientOutcome::Failed(_) => pos = data.len(),
                ClientOutcome::Accepted | ClientOutcome::Refused(_) => {}
            }
            return Ok(ClientFeed {
                outcome: step.outcome,
                consumed: pos,
            });
        }
    }

    /// Takes head bytes from `input`; stops at the end of a head.
    fn feed_head(&mut self, input: &[u8]) -> Step {
        let limits = self.config.limits;
        let scan_limits = crate::head_scanner::Limits {
            max_head_bytes: limits.max_head_bytes,
            max_headers: limits.max_headers,
            max_request_line: limits.max_head_bytes,
            max_header_line: limits.max_head_bytes,
        };
        let before = self.head.len();
        let room = limits.max_head_bytes.saturating_sub(before);
        // Copy at most as much as is already buffered (256 at first): the bytes
        // copied past the end of a head stay bounded by the head's own size, so
        // a stream of small interim responses still costs linear time.
        let take = input.len().min(room).min(before.max(256));
        self.head
            .extend_from_slice(input.get(..take).unwrap_or_default());
        let head_len = match self
            .scanner
            .scan(&self.head, &scan_limits, LineRules::default())
        {
            Scan::Partial if take == room && take < input.len() => {
                return Step::failed(self.fail(ResponseError::HeadTooLarge));
            }
            Scan::Partial => {
                return Step {
                    outcome: ClientOutcome::NeedMore,
                    used: take,
                };
            }
            Scan::Error(e) => return Step::failed(self.fail(scan_error(e))),
            Scan::Complete(n) => n,
        };
        self.head.truncate(head_len);
        let used = head_len.saturating_sub(before);
        let parsed = match parse_response_head(&self.head, &mut self.spans) {
            Ok(p) => p,
            Err(e) => return Step::failed(self.fail(e)),
        };
        let outcome = match parsed.status {
            101 => {
                self.parsed = Some(parsed);
                match self.check_accept(parsed) {
                    Ok(()) => {
                        self.state = State::Done;
                        self.outcome = ClientOutcome::Accepted;
                        self.outcome
                    }
                    Err(e) => self.fail(e),
                }
            }
            100..=199 => {
                // An interim response: the next head follows on the same stream.
                self.head.clear();
                self.scanned_before = self.bytes_scanned();
                self.scanner = HeadScanner::new();
                ClientOutcome::NeedMore
            }
            status => {
                self.parsed = Some(parsed);
                let view = ResponseView::new(&self.head, parsed, &self.spans);
                match BodyReader::for_response(&view, limits.max_body_bytes, limits.max_head_bytes)
                {
                    Ok(reader) if reader.is_complete() => {
                        self.state = State::Done;
                        self.outcome = ClientOutcome::Refused(status);
                        self.outcome
                    }
                    Ok(reader) => {
                        self.body_reader = reader;
                        self.state = State::ReadingBody;
                        ClientOutcome::NeedMore
                    }
                    Err(e) => self.fail(e),
                }
            }
        };
        Step { outcome, used }
    }

    /// Takes body bytes of a refusal from `input`.
    fn feed_body(&mut self, input: &[u8]) -> Step {
        match self.body_reader.read(input, &mut self.body) {
            Ok(used) if self.body_reader.is_complete() => {
                self.state = State::Done;
                self.outcome = ClientOutcome::Refused(self.status().unwrap_or_default());
                Step {
                    outcome: self.outcome,
                    used,
                }
            }
            Ok(used) => Step {
                outcome: ClientOutcome::NeedMore,
                used,
            },
            Err(e) => Step::failed(self.fail(e)),
        }
    }

    /// Tells the handle the connection closed. A refusal whose body runs until
    /// the close is then complete; anything else unfinished is an error.
    /// Valid only while the outcome is `NeedMore`.
    pub fn finish(&mut self) -> Result<ClientOutcome, UsageError> {
        match self.state {
            State::Done => Err(UsageError::WrongState),
            State::ReadingHead => Ok(self.fail(ResponseError::IncompleteHead)),
            State::ReadingBody => Ok(match self.body_reader.at_eof() {
                Ok(()) => {
                    self.state = State::Done;
                    self.outcome = ClientOutcome::Refused(self.status().unwrap_or_default());
                    self.outcome
                }
                Err(e) => self.fail(e),
            }),
        }
    }

    /// Applies RFC 6455 §4.1's checks to a 101 response.
    fn check_accept(&mut self, parsed: ParsedResponse) -> Result<(), ResponseError> {
        let view = ResponseView::new(&self.head, parsed, &self.spans);
        let config = &*self.config;
        if parsed.minor_version != 1 {
            return Err(ResponseError::InvalidVersion);
        }
        // RFC 6455 §4.1: the value must be "websocket" itself, not a list
        // that contains it.
        let mut upgrade = view.list("upgrade");
        if !(upgrade
            .next()
            .is_some_and(|u| u.eq_ignore_ascii_case(b"websocket"))
            && upgrade.next().is_none())
        {
            return Err(ResponseError::MissingUpgrade);
        }
        if !list_contains(view.header_values("connection"), b"upgrade") {
            return Err(ResponseError::MissingConnectionUpgrade);
        }
        let mut accepts = view.header_values("sec-websocket-accept");
        let accept = accepts.next().ok_or(ResponseError::MissingAccept)?;
        if accepts.next().is_some() {
            return Err(ResponseError::DuplicateAccept);
        }
        if trim_ows(accept) != self.key.expected_accept() {
            return Err(ResponseError::WrongAccept);
        }
        let subprotocol = check_subprotocol(&view, config)?;
        self.negotiated.subprotocol = subprotocol.map(|s| span_of(view.head(), s));
        self.extensions.clear();
        let mut deflate = None;
        for value in view.header_values("sec-websocket-extensions") {
            extension_grammar::validate(value).map_err(|_| ResponseError::InvalidExtensions)?;
            for ext in Extensions::new(value) {
                let element = element_span(view.head(), &ext);
                let name = ext.name();
                let already = self.extensions.iter().any(|s| {
                    Extensions::new(s.get(view.head()))
                        .next()
                        .is_some_and(|e| e.name().eq_ignore_ascii_case(name))
                });
                if already {
                    return Err(ResponseError::DuplicateExtension);
                }
                if name.eq_ignore_ascii_case(permessage_deflate::NAME) {
                    if config.deflate.is_empty() {
                        return Err(ResponseError::UnexpectedExtension);
                    }
                    let matched = permessage_deflate::match_response(&config.deflate, &ext)
                        .map_err(deflate_error)?;
                    deflate = Some(matched);
                } else if !config.extensions.iter().any(|offered| {
                    Extensions::new(offered.as_bytes())
                        .next()
                        .is_some_and(|o| o.name().eq_ignore_ascii_case(name))
                }) {
                    return Err(ResponseError::UnexpectedExtension);
                }
                // Each accepted name is distinct and was offered, so this stays
                // within the capacity reserved at construction.
                if self.extensions.len() >= self.extensions.capacity() {
                    return Err(ResponseError::DuplicateExtension);
                }
                self.extensions.push(element);
            }
        }
        self.negotiated.deflate = deflate;
        Ok(())
    }

    /// The response head: the final response's, once it is complete (also after
    /// a `BodyTooLarge` or `IncompleteBody` failure, and for a 101).
    pub fn response(&self) -> Option<ResponseView<'_>> {
        self.parsed
            .map(|p| ResponseView::new(&self.head, p, &self.spans))
    }

    /// The final response's status code, once its head is complete.
    pub fn status(&self) -> Option<u16> {
        self.parsed.map(|p| p.status)
    }

    /// The body of a refusal (decoded when chunked); complete once the outcome
    /// is `Refused`. Empty after a `BodyTooLarge` failure; what arrived before
    /// the close after an `IncompleteBody` failure.
    pub fn body(&self) -> &[u8] {
        &self.body
    }

    /// The subprotocol the server selected, after `Accepted`.
    pub fn subprotocol(&self) -> Option<&str> {
        if self.outcome != ClientOutcome::Accepted {
            return None;
        }
        let span = self.negotiated.subprotocol?;
        core::str::from_utf8(span.get(&self.head)).ok()
    }

    /// The permessage-deflate parameters agreed on, after `Accepted`.
    pub fn deflate(&self) -> Option<DeflateParams> {
        self.accepted_deflate().map(|(_, params)| params)
    }

    /// Which permessage-deflate offer the server accepted, after `Accepted`: an
    /// index into [`ClientConfig::deflate_offers`]. The response does not name
    /// it: it is the first offer, in the client's order, that the response
    /// element is a valid answer to.
    pub fn deflate_offer_index(&self) -> Option<usize> {
        self.accepted_deflate().map(|(index, _)| index)
    }

    fn accepted_deflate(&self) -> Option<(usize, DeflateParams)> {
        if self.outcome != ClientOutcome::Accepted {
            return None;
        }
        self.negotiated.deflate
    }

    /// Number of extension elements the server accepted, after `Accepted`.
    pub fn extension_count(&self) -> usize {
        if self.outcome == ClientOutcome::Accepted {
            self.extensions.len()
        } else {
            0
        }
    }

    /// The accepted extension element at `index` (in the server's order, which is
    /// the order the framing layer applies them), e.g.
    /// `permessage-deflate; server_max_window_bits=10`.
    pub fn extension_at(&self, index: usize) -> Option<&str> {
        if index >= self.extension_count() {
            return None;
        }
        let span = self.extensions.get(index)?;
        core::str::from_utf8(span.get(&self.head)).ok()
    }

    /// Iterates the accepted extension elements, after `Accepted`.
    pub fn extensions(&self) -> impl Iterator<Item = &str> + '_ {
        (0..self.extension_count()).filter_map(|i| self.extension_at(i))
    }
}

/// Progress of one feed step.
struct Step {
    outcome: ClientOutcome,
    used: usize,
}

impl Step {
    fn failed(outcome: ClientOutcome) -> Step {
        Step { outcome, used: 0 }
    }
}

/// Head-scanner errors in response terms.
fn scan_error(e: RequestError) -> ResponseError {
    match e {
        RequestError::HeadTooLarge
        | RequestError::RequestLineTooLong
        | RequestError::HeaderLineTooLong => ResponseError::HeadTooLarge,
        RequestError::TooManyHeaders => ResponseError::TooManyHeaders,
        _ => ResponseError::MalformedHead,
    }
}

fn deflate_error(e: permessage_deflate::ResponseError) -> ResponseError {
    use permessage_deflate::ResponseError as D;
    match e {
        D::InvalidParameter => ResponseError::InvalidDeflateParameter,
        D::UnexpectedClientWindow => ResponseError::UnexpectedClientWindowBits,
        D::WindowTooLarge => ResponseError::DeflateWindowTooLarge,
        D::MissingServerNoContextTakeover => ResponseError::MissingServerNoContextTakeover,
        D::MissingServerMaxWindowBits => ResponseError::MissingServerMaxWindowBits,
    }
}

/// Checks `Sec-WebSocket-Protocol`: at most one field with one value, which the
/// client offered; none only in RFC 6455 mode or when nothing was offered.
fn check_subprotocol<'a>(
    view: &ResponseView<'a>,
    config: &ClientConfig,
) -> Result<Option<&'a [u8]>, ResponseError> {
    let mut fields = view.header_values("sec-websocket-protocol");
    let Some(value) = fields.next() else {
        let missing_is_error =
            !config.subprotocols.is_empty() && config.subprotocol_mode == SubprotocolMode::Browser;
        return if missing_is_error {
            Err(ResponseError::MissingSubprotocol)
        } else {
            Ok(None)
        };
    };
    if fields.next().is_some() || CommaList::new(value).nth(1).is_some() {
        return Err(ResponseError::DuplicateSubprotocol);
    }
    let selected = trim_ows(value);
    if config
        .subprotocols
        .iter()
        .any(|offered| offered.as_bytes() == selected)
    {
        Ok(Some(selected))
    } else {
        Err(ResponseError::UnexpectedSubprotocol)
    }
}

/// The span of a whole extension element (name and parameters) in the head.
fn element_span(head: &[u8], ext: &Extension<'_>) -> Span {
    let name = ext.name().as_bytes();
    let params = ext.raw_params();
    let Some(start) = offset_in(head, name) else {
        return Span::default();
    };
    let end = match offset_in(head, params) {
        Some(p) if !params.is_empty() => p.saturating_add(params.len()),
        _ => start.saturating_add(name.len()),
    };
    Span::new(start, end)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::client_config::ClientLimits;
    use crate::permessage_deflate::ClientOffer;

    const SAMPLE_ACCEPT: &str = "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=";

    fn sample_key() -> ClientKey {
        ClientKey::from_nonce(*b"the sample nonce")
    }

    fn client(config: ClientConfig) -> ClientHandshake {
        ClientHandshake::with_key(config, sample_key())
    }

    fn plain() -> ClientHandshake {
        client(
            ClientConfig::builder("ws://server.example.com/chat")
                .build()
                .unwrap(),
        )
    }

    fn ok_101(extra: &str) -> String {
        format!(
            "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\
             Sec-WebSocket-Accept: {SAMPLE_ACCEPT}\r\n{extra}\r\n"
        )
    }

    fn outcome_of(mut c: ClientHandshake, response: &str) -> ClientOutcome {
        c.feed(response.as_bytes()).unwrap().outcome
    }

    #[test]
    fn accepts_the_rfc_sample() {
        let mut c = plain();
        let response = ok_101("");
        let fed = c.feed(response.as_bytes()).unwrap();
        assert_eq!(fed.outcome, ClientOutcome::Accepted);
        assert_eq!(fed.consumed, response.len());
        assert_eq!(c.status(), Some(101));
        assert_eq!(c.subprotocol(), None);
        assert_eq!(c.deflate(), None);
        assert_eq!(c.extension_count(), 0);
        assert_eq!(c.feed(b"x"), Err(UsageError::WrongState));
        assert_eq!(c.finish(), Err(UsageError::WrongState));
    }

    #[test]
    fn each_accept_rule() {
        use ResponseError::*;
        let accept = format!("Sec-WebSocket-Accept: {SAMPLE_ACCEPT}\r\n");
        let cases: Vec<(String, ResponseError)> = vec![
            (
                format!(
                    "HTTP/1.0 101 S\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n{accept}\r\n"
                ),
                InvalidVersion,
            ),
            (
                format!("HTTP/1.1 101 S\r\nConnection: Upgrade\r\n{accept}\r\n"),
                MissingUpgrade,
            ),
            (
                format!("HTTP/1.1 101 S\r\nUpgrade: h2c\r\nConnection: Upgrade\r\n{accept}\r\n"),
                MissingUpgrade,
            ),
            (
                format!("HTTP/1.1 101 S\r\nUpgrade: websocket\r\n{accept}\r\n"),
                MissingConnectionUpgrade,
            ),
            (
                format!(
                    "HTTP/1.1 101 S\r\nUpgrade: websocket\r\nConnection: keep-alive\r\n{accept}\r\n"
                ),
                MissingConnectionUpgrade,
            ),
            (
                "HTTP/1.1 101 S\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n".into(),
                MissingAccept,
            ),
            (ok_101(&accept), DuplicateAccept),
            (
                "HTTP/1.1 101 S\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\
                 Sec-WebSocket-Accept: AAAAAAAAAAAAAAAAAAAAAAAAAAA=\r\n\r\n"
                    .into(),
                WrongAccept,
            ),
            (
                ok_101("Sec-WebSocket-Protocol: chat\r\n"),
                UnexpectedSubprotocol,
            ),
            (
                ok_101("Sec-WebSocket-Extensions: x-foo\r\n"),
                UnexpectedExtension,
            ),
            (
                ok_101("Sec-WebSocket-Extensions: permessage-deflate\r\n"),
                UnexpectedExtension,
            ),
            (
                ok_101("Sec-WebSocket-Extensions: x-foo;\r\n"),
                InvalidExtensions,
            ),
            (
                "HTTP/1.1 101 S\r\nUpgrade: websocket\nConnection: Upgrade\r\n\r\n".into(),
                MalformedHead,
            ),
            (
                "HTTP/1.1 101 S\r\nUpgrade: websocket\r\n folded\r\n\r\n".into(),
                MalformedHead,
            ),
            ("HTTP/1.1 101 S\r\n: x\r\n\r\n".into(), MalformedHead),
            ("HTTP/1.1 999 S\r\n\r\n".into(), InvalidStatus),
        ];
        for (response, expected) in cases {
            assert_eq!(
                outcome_of(plain(), &response),
                ClientOutcome::Failed(expected),
                "{response:?}"
            );
        }
        // The accept value must match exactly (base64 is case-sensitive).
        let lower = ok_101("").replace(SAMPLE_ACCEPT, &SAMPLE_ACCEPT.to_lowercase());
        assert_eq!(
            outcome_of(plain(), &lower),
            ClientOutcome::Failed(WrongAccept)
        );
        // Token lists are case-insensitive and may carry other tokens.
        let mixed = format!(
            "HTTP/1.1 101 S\r\nUPGRADE: WebSocket\r\nconnection: keep-alive, UPGRADE\r\n{accept}\r\n"
        );
        assert_eq!(outcome_of(plain(), &mixed), ClientOutcome::Accepted);
    }

    #[test]
    fn subprotocol_rules() {
        use ResponseError::*;
        let offer = |mode| {
            client(
                ClientConfig::builder("ws://h/")
                    .subprotocols(["chat", "superchat"])
                    .subprotocol_mode(mode)
                    .build()
                    .unwrap(),
            )
        };
        let browser = || offer(SubprotocolMode::Browser);
        let rfc = || offer(SubprotocolMode::Rfc6455);
        let mut c = browser();
        c.feed(ok_101("Sec-WebSocket-Protocol: superchat\r\n").as_bytes())
            .unwrap();
        assert_eq!(c.subprotocol(), Some("superchat"));
        assert_eq!(
            outcome_of(browser(), &ok_101("")),
            ClientOutcome::Failed(MissingSubprotocol)
        );
        let mut c = rfc();
        assert_eq!(
            c.feed(ok_101("").as_bytes()).unwrap().outcome,
            ClientOutcome::Accepted
        );
        assert_eq!(c.subprotocol(), None);
        for (extra, e) in [
            ("Sec-WebSocket-Protocol: other\r\n", UnexpectedSubprotocol),
            ("Sec-WebSocket-Protocol: Chat\r\n", UnexpectedSubprotocol),
            ("Sec-WebSocket-Protocol: \r\n", UnexpectedSubprotocol),
            (
                "Sec-WebSocket-Protocol: chat, superchat\r\n",
                DuplicateSubprotocol,
            ),
            (
                "Sec-WebSocket-Protocol: chat\r\nSec-WebSocket-Protocol: chat\r\n",
                DuplicateSubprotocol,
            ),
        ] {
            assert_eq!(
                outcome_of(rfc(), &ok_101(extra)),
                ClientOutcome::Failed(e),
                "{extra}"
            );
        }
    }

    fn deflate_client(offer: ClientOffer) -> ClientHandshake {
        client(
            ClientConfig::builder("ws://h/")
                .permessage_deflate(offer)
                .extension("x-foo; a=1")
                .extension("x-bar")
                .build()
                .unwrap(),
        )
    }

    #[test]
    fn extension_rules() {
        use ResponseError::*;
        let mut c = deflate_client(ClientOffer::default());
        let r = ok_101(
            "Sec-WebSocket-Extensions: x-bar, permessage-deflate; client_max_window_bits=10\r\n\
             Sec-WebSocket-Extensions: X-Foo; a=2\r\n",
        );
        assert_eq!(
            c.feed(r.as_bytes()).unwrap().outcome,
            ClientOutcome::Accepted
        );
        assert_eq!(
            c.extensions().collect::<Vec<_>>(),
            [
                "x-bar",
                "permessage-deflate; client_max_window_bits=10",
                "X-Foo; a=2"
            ]
        );
        assert_eq!(c.extension_at(3), None);
        let d = c.deflate().unwrap();
        assert_eq!(
            (d.client_max_window_bits, d.server_max_window_bits),
            (10, 15)
        );
        for (extra, e) in [
            ("Sec-WebSocket-Extensions: x-baz\r\n", UnexpectedExtension),
            (
                "Sec-WebSocket-Extensions: x-bar, x-bar\r\n",
                DuplicateExtension,
            ),
            (
                "Sec-WebSocket-Extensions: permessage-deflate\r\nSec-WebSocket-Extensions: permessage-deflate\r\n",
                DuplicateExtension,
            ),
            (
                "Sec-WebSocket-Extensions: permessage-deflate; x=1\r\n",
                InvalidDeflateParameter,
            ),
            (
                "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits\r\n",
                UnexpectedClientWindowBits,
            ),
            (
                "Sec-WebSocket-Extensions: x-bar; a=\"\r\n",
                InvalidExtensions,
            ),
        ] {
            assert_eq!(
                outcome_of(deflate_client(ClientOffer::default()), &ok_101(extra)),
                ClientOutcome::Failed(e),
                "{extra}"
            );
        }
        let strict = ClientOffer {
            server_no_context_takeover: true,
            client_no_context_takeover: false,
            server_max_window_bits: Some(10),
            client_max_window_bits: None,
        };
        assert_eq!(
            outcome_of(
                deflate_client(strict),
                &ok_101(
                    "Sec-WebSocket-Extensions: permessage-deflate; server_max_window_bits=10\r\n"
                )
            ),
            ClientOutcome::Failed(MissingServerNoContextTakeover)
        );
        assert_eq!(
            outcome_of(
                deflate_client(strict),
                &ok_101(
                    "Sec-WebSocket-Extensions: permessage-deflate; server_no_context_takeover; server_max_window_bits=11\r\n"
                )
            ),
            ClientOutcome::Failed(DeflateWindowTooLarge)
        );
    }

    #[test]
    fn leftover_bytes_are_not_consumed() {
        let mut c = plain();
        let head = ok_101("");
        let mut input = head.clone().into_bytes();
        input.extend_from_slice(b"\x81\x05hello");
        // Head split across two feeds, frame bytes in the second.
        let fed = c.feed(&input[..10]).unwrap();
        assert_eq!(
            fed,
            ClientFeed {
                outcome: ClientOutcome::NeedMore,
                consumed: 10
            }
        );
        let fed = c.feed(&input[10..]).unwrap();
        assert_eq!(fed.outcome, ClientOutcome::Accepted);
        assert_eq!(&input[10 + fed.consumed..], b"\x81\x05hello");
    }

    #[test]
    fn interim_responses_are_skipped() {
        let mut c = plain();
        let input = format!(
            "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\n{}tail",
            ok_101("")
        );
        let fed = c.feed(input.as_bytes()).unwrap();
        assert_eq!(fed.outcome, ClientOutcome::Accepted);
        assert_eq!(&input[fed.consumed..], "tail");
        assert_eq!(c.response().unwrap().header_count(), 3);
    }

    #[test]
    fn refusal_with_body() {
        let mut c = plain();
        let input = "HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: Basic realm=\"x\"\r\n\
                     Content-Length: 6\r\n\r\ndeniedEXTRA";
        let fed = c.feed(input.as_bytes()).unwrap();
        assert_eq!(fed.outcome, ClientOutcome::Refused(401));
        assert_eq!(&input[fed.consumed..], "EXTRA");
        assert_eq!(c.body(), b"denied");
        let r = c.response().unwrap();
        assert_eq!(r.reason(), "Unauthorized");
        assert_eq!(
            r.header("www-authenticate"),
            Some(&b"Basic realm=\"x\""[..])
        );
        assert_eq!(c.subprotocol(), None);
        assert_eq!(c.feed(b""), Err(UsageError::WrongState));
    }

    #[test]
    fn refusal_until_close() {
        let mut c = plain();
        let fed = c
            .feed(b"HTTP/1.1 302 Found\r\nLocation: ws://other/\r\nConnection: close\r\n\r\nmov")
            .unwrap();
        assert_eq!(fed.outcome, ClientOutcome::NeedMore);
        assert_eq!(c.status(), Some(302));
        assert_eq!(c.feed(b"ed").unwrap().outcome, ClientOutcome::NeedMore);
        assert_eq!(c.finish(), Ok(ClientOutcome::Refused(302)));
        assert_eq!(c.body(), b"moved");
        assert_eq!(c.outcome(), ClientOutcome::Refused(302));
        assert_eq!(c.finish(), Err(UsageError::WrongState));
    }

    #[test]
    fn limits_and_eof() {
        let small = ClientLimits {
            max_head_bytes: 64,
            max_headers: 2,
            max_body_bytes: 4,
        };
        let limited = || {
            client(
                ClientConfig::builder("ws://h/")
                    .limits(small)
                    .build()
                    .unwrap(),
            )
        };
        let mut c = limited();
        let fed = c.feed(&[b'a'; 100]).unwrap();
        assert_eq!(
            fed,
            ClientFeed {
                outcome: ClientOutcome::Failed(ResponseError::HeadTooLarge),
                consumed: 100
            }
        );
        assert_eq!(c.feed(b"x"), Err(UsageError::WrongState));
        let mut c = limited();
        assert_eq!(
            c.feed(b"HTTP/1.1 200 OK\r\nA: 1\r\nB: 2\r\nC: 3\r\n\r\n")
                .unwrap()
                .outcome,
            ClientOutcome::Failed(ResponseError::TooManyHeaders)
        );
        let mut c = limited();
        assert_eq!(
            c.feed(b"HTTP/1.1 403 F\r\nContent-Length: 5\r\n\r\n")
                .unwrap()
                .outcome,
            ClientOutcome::Failed(ResponseError::BodyTooLarge)
        );
        assert_eq!(c.status(), Some(403));
        let mut c = limited();
        c.feed(b"HTTP/1.1 403 F\r\n\r\nabc").unwrap();
        assert_eq!(
            c.feed(b"de").unwrap().outcome,
            ClientOutcome::Failed(ResponseError::BodyTooLarge)
        );
        let mut c = limited();
        c.feed(b"HTTP/1.1 101 S\r\n").unwrap();
        assert_eq!(
            c.finish(),
            Ok(ClientOutcome::Failed(ResponseError::IncompleteHead))
        );
        let mut c = limited();
        assert_eq!(
            c.finish(),
            Ok(ClientOutcome::Failed(ResponseError::IncompleteHead))
        );
        let mut c = limited();
        c.feed(b"HTTP/1.1 403 F\r\nContent-Length: 3\r\n\r\na")
            .unwrap();
        assert_eq!(
            c.finish(),
            Ok(ClientOutcome::Failed(ResponseError::IncompleteBody))
        );
    }

    #[test]
    fn request_buffers_and_reset() {
        let mut c = plain();
        let whole = c.request().to_vec();
        assert_eq!(whole, c.config().request(&sample_key()));
        let mut out = [0u8; 10];
        assert_eq!(c.drain_request(&mut out), 10);
        assert_eq!(&out, &whole[..10]);
        c.advance_request(5);
        assert_eq!(c.pending_request(), &whole[15..]);
        c.advance_request(usize::MAX);
        assert!(c.pending_request().is_empty());
        let mut small = vec![0u8; whole.len() - 1];
        assert_eq!(
            c.write_request(&mut small),
            Err(UsageError::BufferTooSmall {
                needed: whole.len()
            })
        );
        let mut big = vec![0u8; whole.len() + 7];
        assert_eq!(c.write_request(&mut big), Ok(whole.len()));
        assert_eq!(&big[..whole.len()], &whole[..]);
        c.feed(ok_101("").as_bytes()).unwrap();
        let capacity = (c.request.capacity(), c.head.capacity(), c.body.capacity());
        c.reset(ClientKey::from_nonce([0; 16]));
        assert_eq!(c.outcome(), ClientOutcome::NeedMore);
        assert_eq!(c.pending_request().len(), whole.len());
        assert!(
            c.request()
                .windows(24)
                .any(|w| w == b"AAAAAAAAAAAAAAAAAAAAAA==")
        );
        assert_eq!(
            (c.request.capacity(), c.head.capacity(), c.body.capacity()),
            capacity
        );
        // The old accept no longer matches the new key.
        assert_eq!(
            c.feed(ok_101("").as_bytes()).unwrap().outcome,
            ClientOutcome::Failed(ResponseError::WrongAccept)
        );
    }

    #[test]
    fn head_work_is_linear() {
        let mut c = plain();
        let response = ok_101("");
        for b in response.as_bytes() {
            c.feed(core::slice::from_ref(b)).unwrap();
        }
        assert_eq!(c.outcome(), ClientOutcome::Accepted);
        assert_eq!(c.bytes_scanned(), response.len());
    }
}
