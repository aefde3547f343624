//! The server handshake handle: fed bytes in any chunking, inspected, then
//! accepted or rejected; its response drained by the caller.

use super::checklist::{Analysis, analyze};
use super::field_index::Fields;
use super::response::{Selected, write_accept, write_custom_rejection, write_rejection};
use super::{AcceptOptions, HeadRead, NotUpgrade, Outcome, read_head};
use alloc::sync::Arc;

use crate::buffers::{HandleBuffers, Storage};

use crate::error::{RequestError, UsageError};
use crate::permessage_deflate::DeflateParams;
use crate::request::{HeaderSpan, RequestView};
use crate::request_parser::RequestParser;
use crate::request_parser::unfold_in_place;
use crate::response_writer::ResponseWriter;
use crate::server_config::ServerConfig;

/// The result of [`ServerHandshake::feed`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Feed {
    /// The decision so far.
    pub outcome: Outcome,
    /// Bytes of this call's input taken by the handshake. Once the head is
    /// complete, the input's remaining bytes are not taken: after a 101 they are
    /// the new protocol's first bytes; for `NotUpgrade`, what follows the head.
    /// After a rejection every byte is taken (none may be used).
    pub consumed: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    ReadingHead,
    Decided,
    Responding { accepted: bool },
}

/// A server handshake handle: feed it the request, inspect, accept or reject,
/// drain the response. Reusable with [`ServerHandshake::reset`]; after creation it
/// never allocates.
#[derive(Debug)]
pub struct ServerHandshake {
    config: Arc<ServerConfig>,
    head: Storage<u8>,
    spans: Storage<HeaderSpan>,
    parser: RequestParser,
    fields: Fields,
    state: State,
    analysis: Analysis,
    response: Storage<u8>,
    response_len: usize,
    response_sent: usize,
    selected: Selected,
}

impl ServerHandshake {
    /// A handle for `config`, with buffers sized from its limits.
    pub fn new(config: Arc<ServerConfig>) -> Self {
        let head = Storage::with_capacity(config.limits.max_head_bytes);
        let spans = Storage::filled(HeaderSpan::default(), config.limits.max_headers);
        let response = Storage::filled(0, config.response_capacity);
        Self::with_storage(config, head, spans, response)
    }

    /// A handle for `config` over the caller's buffers: it never allocates
    /// (the config's `Arc` is cloned, not copied). Each buffer must be at
    /// least the size [`HandleBuffers::sizes`] gives for the config
    /// ([`UsageError::BufferTooSmall`] otherwise, with the head bytes plus
    /// response bytes needed).
    pub fn with_buffers(config: Arc<ServerConfig>, b: HandleBuffers) -> Result<Self, UsageError> {
        let (head, spans, response) = HandleBuffers::sizes(&config);
        if b.head.len() < head || b.spans.len() < spans || b.response.len() < response {
            return Err(UsageError::BufferTooSmall {
                needed: head.saturating_add(response),
            });
        }
        let (head_buf, spans_buf, response_buf) = (
            b.head.get_mut(..head).unwrap_or_default(),
            b.spans.get_mut(..spans).unwrap_or_default(),
            b.response.get_mut(..response).unwrap_or_default(),
        );
        Ok(Self::with_storage(
            config,
            Storage::borrowed(head_buf, 0),
            Storage::borrowed(spans_buf, spans),
            Storage::borrowed(response_buf, response),
        ))
    }

    fn with_storage(
        config: Arc<ServerConfig>,
        head: Storage<u8>,
        spans: Storage<HeaderSpan>,
        response: Storage<u8>,
    ) -> Self {
        ServerHandshake {
            config,
            head,
            spans,
            parser: RequestParser::default(),
            fields: Fields::default(),
            state: State::ReadingHead,
            analysis: Analysis::new(Outcome::NeedMore),
            response,
            response_len: 0,
            response_sent: 0,
            selected: Selected::default(),
        }
    }

    /// The config this handle uses.
    pub fn config(&self) -> &Arc<ServerConfig> {
        &self.config
    }

    /// Forgets the current handshake; the buffers are kept.
    pub fn reset(&mut self) {
        self.head.clear();
        self.parser = RequestParser::default();
        self.fields = Fields::default();
        self.state = State::ReadingHead;
        self.analysis = Analysis::new(Outcome::NeedMore);
        self.response_len = 0;
        self.response_sent = 0;
        self.selected = Selected::default();
    }

    /// Bytes of head examined so far (a measure of work).
    #[cfg(any(test, feature = "test-internals"))]
    pub(crate) fn bytes_scanned(&self) -> usize {
        self.parser.bytes_scanned()
    }

    /// The decision so far.
    pub fn outcome(&self) -> Outcome {
        self.analysis.outcome
    }

    /// Writes the ready-made rejection for `e`. `head_complete`: the head was
    /// complete and parsed (an analysis rejection), so whether it is a HEAD
    /// request is known whatever the chunking; an error the parser found is
    /// answered with its body, as its request line may be cut at a point that
    /// depends on the chunking.
    fn reject_now(&mut self, e: RequestError, head_complete: bool) {
        let mut w = ResponseWriter::new(&mut self.response);
        let head: &[u8] = if head_complete { &self.head } else { &[] };
        write_rejection(&mut w, e, head);
        // The ready-made rejections are far below the minimum response capacity.
        self.response_len = w.finish().unwrap_or(0);
        self.response_sent = 0;
        self.analysis = Analysis::new(Outcome::Rejected(e));
        self.state = State::Responding { accepted: false };
        self.parser.stop();
    }

    /// Feeds request bytes. Call again with more bytes while the outcome is
    /// `NeedMore`; calling after the head is complete is a `WrongState` error.
    #[inline]
    pub fn feed(&mut self, data: &[u8]) -> Result<Feed, UsageError> {
        // One byte that cannot end a line (the byte-at-a-time case): only the
        // limits need a look, so skip the general path's setup.
        // The parser refuses every length before its first scan and once the
        // head is decided (`stop`), so this also means "reading a started head".
        // (A buffer's length is far below usize::MAX: the add cannot wrap.)
        if let [byte] = data
            && *byte != b'\n'
            && self
                .parser
                .advance_without_lf(self.head.len().wrapping_add(1))
        {
            self.head.push(*byte);
            return Ok(Feed {
                outcome: Outcome::NeedMore,
                consumed: 1,
            });
        }
        self.feed_general(data)
    }

    #[inline(never)]
    fn feed_general(&mut self, data: &[u8]) -> Result<Feed, UsageError> {
        if self.state != State::ReadingHead {
            return Err(UsageError::WrongState);
        }
        let before = self.head.len();
        let take = data
            .len()
            .min(self.config.limits.max_head_bytes.saturating_sub(before));
        let fed = data.get(..take).unwrap_or_default();
        let read = if before == 0 {
            // The first bytes are parsed where they lie; only the head's
            // bytes are then copied.
            let (spans, fields) = (&mut self.spans, &mut self.fields);
            read_head(&mut self.parser, data, false, spans, fields, &self.config)
        } else {
            self.head.extend_from_slice(fed);
            let cut = take < data.len();
            let (spans, fields) = (&mut self.spans, &mut self.fields);
            read_head(
                &mut self.parser,
                &self.head,
                cut,
                spans,
                fields,
                &self.config,
            )
        };
        if before == 0 && !matches!(read, HeadRead::Complete(_)) {
            // Keep what was read: more of the head, or the request a rejection
            // answers (a HEAD request's gets no body).
            self.head.extend_from_slice(fed);
        }
        let head_len = match read {
            HeadRead::NeedMore => {
                return Ok(Feed {
                    outcome: Outcome::NeedMore,
                    consumed: data.len(),
                });
            }
            HeadRead::Rejected(e) => {
                self.reject_now(e, false);
                return Ok(Feed {
                    outcome: self.analysis.outcome,
                    consumed: data.len(),
                });
            }
            HeadRead::Complete(n) => n,
        };
        if before == 0 {
            self.head
                .extend_from_slice(data.get(..head_len).unwrap_or_default());
        } else {
            self.head.truncate(head_len);
        }
        if self.parser.saw_obs_fold() {
            unfold_in_place(&mut self.head);
        }
        let consumed = head_len.saturating_sub(before);
        let a = analyze(
            &self.head,
            &self.parser,
            &self.spans,
            &self.fields,
            &self.config,
        );
        Ok(self.decided(a, consumed, data.len()))
    }

    /// Records the analysis of a complete head; `consumed` is this call's share
    /// of the head, `fed` the bytes this call was given.
    fn decided(&mut self, a: Analysis, consumed: usize, fed: usize) -> Feed {
        if let Outcome::Rejected(e) = a.outcome {
            self.reject_now(e, true);
            // Nothing after a rejection may be used: every byte is taken.
            return Feed {
                outcome: a.outcome,
                consumed: fed,
            };
        }
        // For the HTTP/2 preface, `consumed` counts this call's bytes in `head()`:
        // the host replays `head()` and then the rest of its input.
        self.analysis = a;
        self.state = State::Decided;
        self.parser.stop();
        Feed {
            outcome: a.outcome,
            consumed,
        }
    }

    /// The raw head bytes received (complete once the outcome is decided).
    pub fn head(&self) -> &[u8] {
        &self.head
    }

    /// The parsed request, once the head is complete and was parsed.
    pub fn request(&self) -> Option<RequestView<'_>> {
        match (self.state, self.analysis.outcome) {
            (State::ReadingHead, _)
            | (_, Outcome::Rejected(_))
            | (_, Outcome::NotUpgrade(NotUpgrade::Http2Preface)) => None,
            _ => Some(RequestView::new(
                &self.head,
                self.analysis.parsed,
                &self.spans,
            )),
        }
    }

    /// The subprotocol the policy picks (before accept) or that was selected
    /// (after accept).
    pub fn subprotocol(&self) -> Option<&str> {
        let span = match self.state {
            State::Responding { accepted: true } => self.selected.subprotocol,
            _ => self.analysis.subprotocol,
        }?;
        core::str::from_utf8(span.get(&self.head)).ok()
    }

    /// The permessage-deflate parameters negotiated (before accept: proposed).
    pub fn deflate(&self) -> Option<DeflateParams> {
        match self.state {
            State::Responding { accepted: true } => self.selected.deflate,
            _ => self.analysis.deflate.map(|d| d.params),
        }
    }

    /// The raw `HTTP2-Settings` value of an h2c upgrade request.
    pub fn http2_settings(&self) -> Option<&[u8]> {
        self.analysis.http2_settings.map(|s| s.get(&self.head))
    }

    /// Accepts the upgrade request: the 101 response becomes pending.
    pub fn accept(&mut self, opts: &AcceptOptions<'_>) -> Result<(), UsageError> {
        if self.state != State::Decided
            || !matches!(self.analysis.outcome, Outcome::UpgradeRequest(_))
        {
            return Err(UsageError::WrongState);
        }
        let view = RequestView::new(&self.head, self.analysis.parsed, &self.spans);
        let mut w = ResponseWriter::new(&mut self.response);
        let selected = write_accept(&mut w, &view, &self.analysis, &self.config, opts)?;
        self.response_len = w.finish()?;
        self.response_sent = 0;
        self.selected = selected;
        self.state = State::Responding { accepted: true };
        Ok(())
    }

    /// Rejects the upgrade request (status 300..=599), or answers a request
    /// that is not an upgrade (status 200..=599: a plain response), with the
    /// application's own status, headers and body; any other status is
    /// [`UsageError::InvalidStatus`]. HTTP allows no content in some answers: a
    /// 204 or 304 with a body is [`UsageError::BodyNotAllowed`] (and gets no
    /// Content-Length); the answer to a HEAD request carries the fields a GET
    /// would get, its Content-Length included, and no body. An `Upgrade` field
    /// among `headers` (e.g. a 426 naming the protocol to switch to) goes out
    /// with `Connection: upgrade, close` (RFC 9110 §7.8); otherwise
    /// `Connection: close`.
    pub fn reject(
        &mut self,
        status: u16,
        headers: &[(&str, &[u8])],
        body: &[u8],
    ) -> Result<(), UsageError> {
        if self.state != State::Decided {
            return Err(UsageError::WrongState);
        }
        let mut w = ResponseWriter::new(&mut self.response);
        let plain = matches!(self.analysis.outcome, Outcome::NotUpgrade(_));
        write_custom_rejection(&mut w, status, headers, body, &self.head, plain)?;
        self.response_len = w.finish()?;
        self.response_sent = 0;
        self.state = State::Responding { accepted: false };
        Ok(())
    }

    /// True after `accept` (the connection now speaks the new protocol once the
    /// response is sent).
    pub fn is_accepted(&self) -> bool {
        self.state == State::Responding { accepted: true }
    }

    /// The response bytes not yet drained.
    pub fn pending_response(&self) -> &[u8] {
        self.response
            .get(self.response_sent..self.response_len)
            .unwrap_or_default()
    }

    /// Marks `n` pending bytes as sent (clamped to what is pending).
    pub fn advance_response(&mut self, n: usize) {
        self.response_sent = self.response_sent.saturating_add(n).min(self.response_len);
    }

    /// Copies pending response bytes into `out`, marks them sent, and returns
    /// how many were copied.
    pub fn drain_response(&mut self, out: &mut [u8]) -> usize {
        let pending = self.pending_response();
        let n = pending.len().min(out.len());
        if let (Some(dst), Some(src)) = (out.get_mut(..n), pending.get(..n)) {
            dst.copy_from_slice(src);
        }
        self.advance_response(n);
        n
    }
}
