//! The one-shot call: complete request bytes in, the whole response out.

use super::checklist::{Analysis, analyze};
use super::field_index::Fields;
use super::response::{write_accept, write_rejection};
use super::{AcceptOptions, HeadRead, NotUpgrade, Outcome, read_head};
use crate::error::{RequestError, UsageError};
use crate::head_scanner::Limits;
use crate::permessage_deflate::DeflateParams;
use crate::request::{HeaderSpan, RequestView};
use crate::request_parser::RequestParser;
use crate::response_writer::ResponseWriter;
use crate::server_config::ServerConfig;

/// The result of the one-shot [`respond`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Response<'i> {
    /// What the request was. `NeedMore` means the input holds no complete head.
    pub outcome: Outcome,
    /// Bytes of the input that belong to the head. After a 101, the rest is the
    /// new protocol's; after a rejection, nothing may be used (close); for
    /// `NotUpgrade`, the rest follows the head as in any HTTP request.
    pub consumed: usize,
    /// Length of the response written into the output buffer (0 when the
    /// outcome is `NeedMore` or `NotUpgrade`).
    pub response_len: usize,
    /// The selected subprotocol, borrowed from the input.
    pub subprotocol: Option<&'i str>,
    /// The negotiated permessage-deflate parameters.
    pub deflate: Option<DeflateParams>,
}

/// Handles complete request bytes in one call with the config's policy: writes a
/// 101 for a valid upgrade, the ready-made rejection for an invalid request, and
/// nothing for a request that is not an upgrade. Allocates nothing.
///
/// When `out` is too small, returns [`UsageError::BufferTooSmall`] with the size
/// needed, and nothing is decided; call again with a larger buffer.
pub fn respond<'i>(
    config: &ServerConfig,
    input: &'i [u8],
    out: &mut [u8],
) -> Result<Response<'i>, UsageError> {
    let (response, subprotocol) = respond_bytes(config, input, out)?;
    Ok(Response {
        // A selected subprotocol is a token, so always text.
        subprotocol: subprotocol.map(|s| core::str::from_utf8(s).unwrap_or_default()),
        ..response
    })
}

/// [`respond`] for callers that want the selected subprotocol as bytes (the C
/// library; hidden: not part of the engine's supported API), without the UTF-8 check: the `Response`'s `subprotocol` is left
/// `None` and the subprotocol's bytes come second.
#[inline]
#[doc(hidden)]
pub fn respond_bytes<'i>(
    config: &ServerConfig,
    input: &'i [u8],
    out: &mut [u8],
) -> Result<(Response<'i>, Option<&'i [u8]>), UsageError> {
    respond_from(config, &mut RequestParser::default(), input, out)
}

/// The one-shot call with `parser` fresh (its state is what a `NeedMore`
/// leaves for a read loop's next call).
#[inline(always)]
fn respond_from<'i>(
    config: &ServerConfig,
    parser: &mut RequestParser,
    input: &'i [u8],
    out: &mut [u8],
) -> Result<(Response<'i>, Option<&'i [u8]>), UsageError> {
    // A smaller stack array for the usual limits: less to initialise per call.
    if config.limits.max_headers <= 64 {
        respond_with::<64>(config, parser, input, out)
    } else {
        respond_with::<{ Limits::MAX_HEADERS_CAP }>(config, parser, input, out)
    }
}

#[inline(always)]
fn respond_with<'i, const N: usize>(
    config: &ServerConfig,
    parser: &mut RequestParser,
    input: &'i [u8],
    out: &mut [u8],
) -> Result<(Response<'i>, Option<&'i [u8]>), UsageError> {
    let mut spans = [HeaderSpan::default(); N];
    let room = config.limits.max_headers.min(spans.len());
    let spans = spans.get_mut(..room).unwrap_or_default();
    let mut fields = Fields::default();
    let (head_len, a) = match read_head(parser, input, false, spans, &mut fields, config) {
        HeadRead::NeedMore => (0, Analysis::new(Outcome::NeedMore)),
        HeadRead::Rejected(e) => (0, Analysis::new(Outcome::Rejected(e))),
        // Unfolding needs a writable copy of the head; only the handle has one.
        HeadRead::Complete(_) if parser.saw_obs_fold() => (
            0,
            Analysis::new(Outcome::Rejected(RequestError::ObsoleteLineFolding)),
        ),
        HeadRead::Complete(n) => {
            let head = input.get(..n).unwrap_or_default();
            (n, analyze(head, parser, spans, &fields, config))
        }
    };
    finish_one_shot(config, input, head_len, &a, spans, ResponseWriter::new(out))
}

/// Where a read loop around the one-shot call left off: the parser's state
/// for the request head received so far. Start each request with
/// `RespondProgress::default()` and pass the same value to every
/// [`respond_resume`] call for it.
///
/// With it, a loop that calls the one-shot after every read looks at each new
/// byte once until the head is complete, then parses the head once: linear
/// in the head's size however the peer splits it (without it, each call
/// parses the whole input again: quadratic for a peer sending a byte per
/// read, the CVE-2023-43669 shape). picohttpparser's `last_len` has the same
/// purpose; this keeps the parser's whole state, so the verdict is the one
/// the handle gives for any split.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RespondProgress {
    parser: RequestParser,
    examined: usize,
}

impl RespondProgress {
    /// Bytes of the current request's head examined so far (what the next
    /// call need not look at again).
    pub fn bytes_scanned(&self) -> usize {
        self.parser.bytes_scanned()
    }

    /// Bytes examined by every pass of every call made with this progress,
    /// an upper bound: a measure of work, for tests.
    pub fn bytes_examined(&self) -> usize {
        self.examined
    }

    /// The state as plain numbers, for a binding that keeps it in its own
    /// memory (the C library's `wsh_respond_progress`): bytes scanned, line
    /// start, header count, flags, bytes examined.
    pub fn to_words(&self) -> [usize; 5] {
        let [a, b, c, d] = self.parser.to_words();
        [a, b, c, d, self.examined]
    }

    /// A progress from [`RespondProgress::to_words`]. All zeros is the
    /// default. Numbers that did not come from `to_words` cannot make the
    /// engine misbehave, but may give a wrong verdict.
    pub fn from_words([a, b, c, d, examined]: [usize; 5]) -> Self {
        RespondProgress {
            parser: RequestParser::from_words([a, b, c, d]),
            examined,
        }
    }

    fn add_examined(&mut self, n: usize) {
        self.examined = self.examined.saturating_add(n);
    }
}

/// [`respond`] for a read loop: `input` is every byte of the request received
/// so far (the same buffer, grown), `progress` what the earlier calls for
/// this request examined. Only bytes not examined before are looked at until
/// the head is complete; the complete head is then parsed once, so the loop's
/// total work is linear in the head's size. Decides exactly as [`respond`]
/// and the handle do.
///
/// `progress` is reset (its parse, not its work count) once the call decides,
/// ready for the next request; an `input` shorter than what was scanned is
/// taken as a new request. With [`UsageError::BufferTooSmall`] it is left as
/// it was, so the call may be repeated with a larger buffer.
pub fn respond_resume<'i>(
    config: &ServerConfig,
    progress: &mut RespondProgress,
    input: &'i [u8],
    out: &mut [u8],
) -> Result<Response<'i>, UsageError> {
    let (response, subprotocol) = respond_resume_bytes(config, progress, input, out)?;
    Ok(Response {
        subprotocol: subprotocol.map(|s| core::str::from_utf8(s).unwrap_or_default()),
        ..response
    })
}

/// [`respond_resume`] with the subprotocol as bytes (see [`respond_bytes`];
/// hidden: for the C library).
#[doc(hidden)]
pub fn respond_resume_bytes<'i>(
    config: &ServerConfig,
    progress: &mut RespondProgress,
    input: &'i [u8],
    out: &mut [u8],
) -> Result<(Response<'i>, Option<&'i [u8]>), UsageError> {
    let before = *progress;
    if progress.bytes_scanned() > input.len() {
        // Shorter than what was scanned: not the same request grown.
        progress.parser = RequestParser::default();
    }
    let result = if progress.bytes_scanned() == 0 {
        // A request's first call: the one-shot itself, whose parser state a
        // `NeedMore` leaves in the progress.
        progress.add_examined(input.len().min(config.limits.max_head_bytes));
        respond_from(config, &mut progress.parser, input, out)
    } else {
        // Later calls go on with the parse, keeping no positions (nothing of
        // a partial head but the parser's state is kept between calls): each
        // new byte searched for its line's end once, each completed line
        // checked once. A complete head is then parsed once more in full.
        let (scanned, line_start) = (progress.bytes_scanned(), progress.parser.line_start());
        let read = read_head(
            &mut progress.parser,
            input,
            false,
            &mut [],
            &mut Fields::default(),
            config,
        );
        let newly = progress.bytes_scanned().saturating_sub(scanned);
        let lines = progress.parser.line_start().saturating_sub(line_start);
        progress.add_examined(newly.saturating_add(lines));
        match read {
            HeadRead::NeedMore => {
                return Ok((
                    Response {
                        outcome: Outcome::NeedMore,
                        consumed: 0,
                        response_len: 0,
                        subprotocol: None,
                        deflate: None,
                    },
                    None,
                ));
            }
            HeadRead::Rejected(e) => {
                let a = Analysis::new(Outcome::Rejected(e));
                finish_one_shot(config, input, 0, &a, &[], ResponseWriter::new(out))
            }
            HeadRead::Complete(n) => {
                progress.add_examined(n);
                respond_from(config, &mut RequestParser::default(), input, out)
            }
        }
    };
    match &result {
        Ok((r, _)) if r.outcome == Outcome::NeedMore => {}
        Ok(_) => progress.parser = RequestParser::default(),
        Err(_) => {
            let examined = progress.examined;
            *progress = before;
            progress.examined = examined;
        }
    }
    result
}

/// Writes the one-shot response for an analysed head.
#[inline(always)]
fn finish_one_shot<'i>(
    config: &ServerConfig,
    input: &'i [u8],
    head_len: usize,
    a: &Analysis,
    spans: &[HeaderSpan],
    mut w: ResponseWriter<'_>,
) -> Result<(Response<'i>, Option<&'i [u8]>), UsageError> {
    let head = input.get(..head_len).unwrap_or_default();
    let mut subprotocol = None;
    let mut result = Response {
        outcome: a.outcome,
        consumed: 0,
        response_len: 0,
        subprotocol: None,
        deflate: None,
    };
    match a.outcome {
        Outcome::Rejected(e) => {
            // As the handle: a HEAD request is recognized only in a complete,
            // parsed head (`head` is empty for the parser's errors).
            write_rejection(&mut w, e, head);
            result.consumed = input.len();
        }
        Outcome::NotUpgrade(NotUpgrade::Http2Preface) => {}
        Outcome::NotUpgrade(_) => result.consumed = head_len,
        Outcome::UpgradeRequest(_) => {
            let view = RequestView::new(head, a.parsed, spans);
            let sel = write_accept(&mut w, &view, a, config, &AcceptOptions::default())?;
            result.consumed = head_len;
            subprotocol = sel.subprotocol.map(|s| s.get(head));
            result.deflate = sel.deflate;
        }
        Outcome::NeedMore => {}
    }
    result.response_len = w.finish()?;
    Ok((result, subprotocol))
}
