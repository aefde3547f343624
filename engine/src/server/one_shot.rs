//! The one-shot call: complete request bytes in, the whole response out.

use super::checklist::*;
use super::field_index::Fields;
use super::response::*;
use super::*;
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
    // A smaller stack array for the usual limits: less to initialise per call.
    if config.limits.max_headers <= 64 {
        respond_with::<64>(config, input, out)
    } else {
        respond_with::<{ Limits::MAX_HEADERS_CAP }>(config, input, out)
    }
}

#[inline(always)]
pub(super) fn respond_with<'i, const N: usize>(
    config: &ServerConfig,
    input: &'i [u8],
    out: &mut [u8],
) -> Result<(Response<'i>, Option<&'i [u8]>), UsageError> {
    let mut spans = [HeaderSpan::default(); N];
    let room = config.limits.max_headers.min(spans.len());
    let spans = spans.get_mut(..room).unwrap_or_default();
    let mut parser = RequestParser::default();
    let mut fields = Fields::default();
    let (head_len, a) = match read_head(&mut parser, input, false, spans, &mut fields, config) {
        HeadRead::NeedMore => (0, Analysis::new(Outcome::NeedMore)),
        HeadRead::Rejected(e) => (0, Analysis::new(Outcome::Rejected(e))),
        // Unfolding needs a writable copy of the head; only the handle has one.
        HeadRead::Complete(_) if parser.saw_obs_fold() => (
            0,
            Analysis::new(Outcome::Rejected(RequestError::ObsoleteLineFolding)),
        ),
        HeadRead::Complete(n) => {
            let head = input.get(..n).unwrap_or_default();
            (n, analyze(head, &parser, spans, &fields, config))
        }
    };
    finish_one_shot(config, input, head_len, &a, spans, ResponseWriter::new(out))
}

/// Writes the one-shot response for an analysed head.
#[inline(always)]
pub(super) fn finish_one_shot<'i>(
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
            write_rejection(&mut w, e, input);
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
