//! The server side of the opening handshake: decide what a request head is,
//! then accept or reject it.
//!
//! Two ways in:
//! - [`respond`]: complete request bytes in, the whole response written into the
//!   caller's buffer, in one call, with the default policy;
//! - [`ServerHandshake`]: a reusable handle fed bytes in any chunking, whose
//!   request the application inspects before it accepts or rejects.

use std::sync::Arc;

use crate::accept_key::{accept_key, is_valid_key};
use crate::error::{RequestError, UsageError};
use crate::extension_grammar;
use crate::head_scanner::{HeadScanner, Limits, Scan, unfold_in_place};
use crate::permessage_deflate::{self, Accepted, DeflateParams};
use crate::request::{HeaderSpan, ParsedHead, RequestView, Span, parse_head};
use crate::response_writer::{ResponseWriter, check_header, is_safe_value};
use crate::server_config::{ServerConfig, SubprotocolSelection};
use crate::token_list::{is_token, list_contains};

/// The first bytes of an HTTP/2 connection (RFC 9113 §3.4).
pub const HTTP2_PREFACE: &[u8; 24] = b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n";

/// Why a complete head is not an upgrade this server performs; the host serves it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum NotUpgrade {
    /// An ordinary request without `Upgrade`.
    Plain,
    /// An HTTP/1.0 request: its Upgrade field is ignored (RFC 9110 §7.8).
    Http10,
    /// `Upgrade` names only protocols this server does not switch to.
    UnsupportedProtocol,
    /// The HTTP/2 connection preface: hand every byte to an HTTP/2 stack.
    Http2Preface,
}

/// The protocol a valid upgrade request switches to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum UpgradeTarget {
    /// The WebSocket protocol.
    WebSocket,
    /// The generic protocol at this index of [`ServerConfig::upgrade_protocols`].
    Other(usize),
}

/// What the engine decided about the bytes fed so far.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Outcome {
    /// The head is not complete yet.
    NeedMore,
    /// A valid upgrade request: inspect it, then accept or reject.
    UpgradeRequest(UpgradeTarget),
    /// An invalid request; the ready-made rejection is the response to send.
    Rejected(RequestError),
    /// Not an upgrade this server performs; serve it as ordinary HTTP.
    NotUpgrade(NotUpgrade),
}

/// Which subprotocol an accept selects.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SubprotocolChoice<'o> {
    /// The one the configured policy picked (or none).
    #[default]
    Policy,
    /// No subprotocol.
    None,
    /// This one; it must be among those the client offered.
    Named(&'o str),
}

/// How the application accepts an upgrade request.
#[derive(Debug, Clone, Copy, Default)]
pub struct AcceptOptions<'o> {
    /// The subprotocol to select.
    pub subprotocol: SubprotocolChoice<'o>,
    /// Decline permessage-deflate for this connection even if it was negotiated.
    pub decline_deflate: bool,
    /// Extra `Sec-WebSocket-Extensions` response elements for extensions the engine
    /// does not know (each one element, checked against RFC 6455 §9.1).
    pub extensions: &'o [&'o str],
    /// Extra response headers (token names; values without CR, LF, NUL; not
    /// the handshake's own fields).
    pub headers: &'o [(&'o str, &'o [u8])],
}

/// Headers the 101 response writes itself.
const ACCEPT_RESERVED: &[&str] = &[
    "upgrade",
    "connection",
    "sec-websocket-accept",
    "sec-websocket-protocol",
    "sec-websocket-extensions",
    "sec-websocket-version",
    "content-length",
    "transfer-encoding",
];

/// Headers a rejection writes itself.
const REJECT_RESERVED: &[&str] = &["content-length", "transfer-encoding", "connection"];

/// Everything decided about a complete head.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Analysis {
    pub(crate) outcome: Outcome,
    pub(crate) parsed: ParsedHead,
    pub(crate) key: Span,
    pub(crate) subprotocol: Option<Span>,
    pub(crate) deflate: Option<Accepted>,
    pub(crate) http2_settings: Option<Span>,
}

impl Analysis {
    fn new(outcome: Outcome) -> Self {
        Analysis {
            outcome,
            parsed: ParsedHead::default(),
            key: Span::default(),
            subprotocol: None,
            deflate: None,
            http2_settings: None,
        }
    }
}

/// How often a single-valued field appears and where first.
#[derive(Debug, Clone, Copy, Default)]
struct Occurrence {
    count: u8,
    first: Option<usize>,
}

impl Occurrence {
    fn see(&mut self, index: usize) {
        self.count = self.count.saturating_add(1);
        self.first.get_or_insert(index);
    }
}

/// The fields the handshake cares about, found in one pass.
#[derive(Debug, Clone, Copy, Default)]
struct Fields {
    host: Occurrence,
    origin: Occurrence,
    key: Occurrence,
    version: Occurrence,
    content_length: Occurrence,
    http2_settings: Occurrence,
    transfer_encoding: bool,
    upgrade: bool,
}

fn index_fields(view: &RequestView<'_>) -> Fields {
    let mut f = Fields::default();
    for (i, (name, _)) in view.headers().enumerate() {
        let n = name.as_bytes();
        let is = |s: &[u8]| n.eq_ignore_ascii_case(s);
        match n.len() {
            4 if is(b"host") => f.host.see(i),
            6 if is(b"origin") => f.origin.see(i),
            7 if is(b"upgrade") => f.upgrade = true,
            14 if is(b"content-length") => f.content_length.see(i),
            14 if is(b"http2-settings") => f.http2_settings.see(i),
            17 if is(b"sec-websocket-key") => f.key.see(i),
            17 if is(b"transfer-encoding") => f.transfer_encoding = true,
            21 if is(b"sec-websocket-version") => f.version.see(i),
            _ => {}
        }
    }
    f
}

fn value_at<'a>(view: &RequestView<'a>, o: Occurrence) -> Option<&'a [u8]> {
    view.header_at(o.first?).map(|(_, v)| v)
}

fn span_in(view: &RequestView<'_>, part: &[u8]) -> Span {
    let head = view.head();
    let start = (part.as_ptr() as usize).wrapping_sub(head.as_ptr() as usize);
    Span::new(start, start.wrapping_add(part.len()))
}

/// True for a valid h2c upgrade (RFC 7540 §3.2.1): exactly one HTTP2-Settings,
/// base64url without padding, a whole number of settings, listed in Connection.
fn h2c_settings_ok(view: &RequestView<'_>, f: &Fields) -> bool {
    if f.http2_settings.count != 1
        || !list_contains(view.header_values("connection"), b"http2-settings")
    {
        return false;
    }
    let Some(v) = value_at(view, f.http2_settings) else {
        return false;
    };
    let alphabet_ok = v
        .iter()
        .all(|&b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    // Decoded length must be a multiple of 6 (one setting is 6 bytes); an empty
    // value (no settings) is allowed. 4 chars -> 3 bytes.
    let decoded = unpadded_base64_len(v.len());
    alphabet_ok && v.len() % 4 != 1 && decoded.is_multiple_of(6)
}

/// Bytes that `chars` characters of unpadded base64 decode to.
fn unpadded_base64_len(chars: usize) -> usize {
    (chars / 4)
        .saturating_mul(3)
        .saturating_add((chars % 4).saturating_sub(1))
}

/// Decodes an `HTTP2-Settings` value (base64url, no padding) into `out`.
pub fn decode_http2_settings(value: &[u8], out: &mut [u8]) -> Result<usize, UsageError> {
    use base64::Engine as _;
    let needed = unpadded_base64_len(value.len());
    if out.len() < needed {
        return Err(UsageError::BufferTooSmall { needed });
    }
    base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode_slice(value, out)
        .map_err(|_| UsageError::InvalidHeaderValue)
}

/// Picks the upgrade target in the client's order.
fn choose_target(
    view: &RequestView<'_>,
    f: &Fields,
    config: &ServerConfig,
) -> Option<UpgradeTarget> {
    for element in view.list("upgrade") {
        if config.websocket && element.eq_ignore_ascii_case(b"websocket") {
            return Some(UpgradeTarget::WebSocket);
        }
        let found = config
            .upgrade_protocols
            .iter()
            .position(|p| p.as_bytes().eq_ignore_ascii_case(element));
        if let Some(i) = found {
            if element.eq_ignore_ascii_case(b"h2c") && !h2c_settings_ok(view, f) {
                // RFC 7540 §3.2.1: the server must not switch; try the next one.
                continue;
            }
            return Some(UpgradeTarget::Other(i));
        }
    }
    None
}

fn check_body(view: &RequestView<'_>, f: &Fields) -> Result<(), RequestError> {
    if f.transfer_encoding {
        return Err(RequestError::RequestHasBody);
    }
    if f.content_length.count > 1 {
        return Err(RequestError::InvalidContentLength);
    }
    if let Some(v) = value_at(view, f.content_length) {
        if v.is_empty() || !v.iter().all(u8::is_ascii_digit) {
            return Err(RequestError::InvalidContentLength);
        }
        if v.iter().any(|&b| b != b'0') {
            return Err(RequestError::RequestHasBody);
        }
    }
    Ok(())
}

fn select_subprotocol<'a>(
    view: &RequestView<'a>,
    config: &ServerConfig,
) -> Result<Option<&'a [u8]>, RequestError> {
    let mut offered = view.list("sec-websocket-protocol").peekable();
    if offered.peek().is_none() {
        return Ok(None);
    }
    // Validate the whole list first: a bad element refuses the request.
    if !view.list("sec-websocket-protocol").all(is_token) {
        return Err(RequestError::InvalidSubprotocolList);
    }
    let chosen = match config.selection {
        SubprotocolSelection::ClientPreference => {
            offered.find(|o| config.subprotocols.iter().any(|s| s.as_bytes() == *o))
        }
        SubprotocolSelection::ServerPreference => config.subprotocols.iter().find_map(|s| {
            view.list("sec-websocket-protocol")
                .find(|o| s.as_bytes() == *o)
        }),
    };
    Ok(chosen)
}

/// Applies RFC 6455 §4.2.1 and the server's policy to a WebSocket request.
fn analyze_websocket(
    view: &RequestView<'_>,
    f: &Fields,
    config: &ServerConfig,
    a: &mut Analysis,
) -> Result<(), RequestError> {
    if view.method() != "GET" {
        return Err(RequestError::MethodNotAllowed);
    }
    if !list_contains(view.header_values("connection"), b"upgrade") {
        return Err(RequestError::MissingConnectionUpgrade);
    }
    match f.version.count {
        0 => return Err(RequestError::MissingVersion),
        1 => {}
        _ => return Err(RequestError::DuplicateVersion),
    }
    if value_at(view, f.version) != Some(b"13") {
        return Err(RequestError::UnsupportedVersion);
    }
    match f.key.count {
        0 => return Err(RequestError::MissingKey),
        1 => {}
        _ => return Err(RequestError::DuplicateKey),
    }
    let key = value_at(view, f.key).unwrap_or_default();
    if !is_valid_key(key) {
        return Err(RequestError::InvalidKey);
    }
    a.key = span_in(view, key);
    if f.origin.count > 1 {
        return Err(RequestError::DuplicateOrigin);
    }
    if !config.origin_allowed(value_at(view, f.origin)) {
        return Err(RequestError::OriginNotAllowed);
    }
    check_body(view, f)?;
    let chosen = select_subprotocol(view, config)?;
    if chosen.is_none() && config.require_subprotocol {
        return Err(RequestError::NoSubprotocolMatch);
    }
    a.subprotocol = chosen.map(|c| span_in(view, c));
    for v in view.header_values("sec-websocket-extensions") {
        extension_grammar::validate(v).map_err(|_| RequestError::InvalidExtensionList)?;
    }
    if let Some(d) = &config.deflate {
        a.deflate = permessage_deflate::negotiate(view.extensions(), d);
    }
    Ok(())
}

/// Decides what a complete head is. `spans` receives the header positions.
pub(crate) fn analyze(head: &[u8], spans: &mut [HeaderSpan], config: &ServerConfig) -> Analysis {
    if head.starts_with(HTTP2_PREFACE.get(..18).unwrap_or_default()) {
        return Analysis::new(Outcome::NotUpgrade(NotUpgrade::Http2Preface));
    }
    let parsed = match parse_head(head, spans) {
        Ok(p) => p,
        Err(e) => return Analysis::new(Outcome::Rejected(e)),
    };
    let mut a = Analysis::new(Outcome::NeedMore);
    a.parsed = parsed;
    let view = RequestView::new(head, parsed, spans);
    let f = index_fields(&view);
    a.outcome = if !f.upgrade {
        Outcome::NotUpgrade(NotUpgrade::Plain)
    } else if parsed.minor_version == 0 {
        Outcome::NotUpgrade(NotUpgrade::Http10)
    } else {
        match choose_target(&view, &f, config) {
            None => Outcome::NotUpgrade(NotUpgrade::UnsupportedProtocol),
            Some(target) => match analyze_upgrade(&view, &f, config, target, &mut a) {
                Ok(()) => Outcome::UpgradeRequest(target),
                Err(UpgradeRefusal::Reject(e)) => Outcome::Rejected(e),
                Err(UpgradeRefusal::Ignore) => Outcome::NotUpgrade(NotUpgrade::UnsupportedProtocol),
            },
        }
    };
    a
}

/// Why an upgrade request is not taken.
enum UpgradeRefusal {
    Reject(RequestError),
    /// RFC 9110 §7.8: an Upgrade not listed in Connection is not an upgrade.
    Ignore,
}

impl From<RequestError> for UpgradeRefusal {
    fn from(e: RequestError) -> Self {
        UpgradeRefusal::Reject(e)
    }
}

fn check_common(
    view: &RequestView<'_>,
    f: &Fields,
    config: &ServerConfig,
    target: UpgradeTarget,
) -> Result<(), UpgradeRefusal> {
    match f.host.count {
        0 if !config.allow_missing_host => return Err(RequestError::MissingHost.into()),
        0 | 1 => {}
        _ => return Err(RequestError::DuplicateHost.into()),
    }
    if target != UpgradeTarget::WebSocket
        && !list_contains(view.header_values("connection"), b"upgrade")
    {
        return Err(UpgradeRefusal::Ignore);
    }
    Ok(())
}

fn analyze_upgrade(
    view: &RequestView<'_>,
    f: &Fields,
    config: &ServerConfig,
    target: UpgradeTarget,
    a: &mut Analysis,
) -> Result<(), UpgradeRefusal> {
    check_common(view, f, config, target)?;
    match target {
        UpgradeTarget::WebSocket => analyze_websocket(view, f, config, a)?,
        UpgradeTarget::Other(_) => {
            a.http2_settings = value_at(view, f.http2_settings).map(|v| span_in(view, v));
            check_body(view, f)?;
        }
    }
    Ok(())
}

/// Writes the ready-made rejection for `e`.
pub(crate) fn write_rejection(w: &mut ResponseWriter<'_>, e: RequestError) {
    let body = e.description().as_bytes();
    w.status_line(e.status());
    match e.status() {
        405 => w.header(b"Allow", b"GET"),
        426 => {
            w.header(b"Upgrade", b"websocket");
            w.header(b"Sec-WebSocket-Version", b"13");
        }
        _ => {}
    }
    w.header(
        b"Connection",
        if e.status() == 426 {
            b"Upgrade, close"
        } else {
            b"close"
        },
    );
    w.header(b"Content-Type", b"text/plain; charset=utf-8");
    w.push(b"Content-Length: ");
    w.push_decimal(body.len().saturating_add(1));
    w.push(b"\r\n\r\n");
    w.push(body);
    w.push(b"\n");
}

/// Writes an application-chosen rejection after validating it.
pub(crate) fn write_custom_rejection(
    w: &mut ResponseWriter<'_>,
    status: u16,
    headers: &[(&str, &[u8])],
    body: &[u8],
) -> Result<(), UsageError> {
    if !(300..=599).contains(&status) {
        return Err(UsageError::InvalidStatus);
    }
    let mut has_content_type = false;
    for (name, value) in headers {
        check_header(name.as_bytes(), value, REJECT_RESERVED)?;
        has_content_type |= name.eq_ignore_ascii_case("content-type");
    }
    w.status_line(status);
    for (name, value) in headers {
        w.header(name.as_bytes(), value);
    }
    if !body.is_empty() && !has_content_type {
        w.header(b"Content-Type", b"text/plain; charset=utf-8");
    }
    w.header(b"Connection", b"close");
    w.push(b"Content-Length: ");
    w.push_decimal(body.len());
    w.push(b"\r\n\r\n");
    w.push(body);
    Ok(())
}

/// The result of writing a 101: what was selected.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct Selected {
    pub(crate) subprotocol: Option<Span>,
    pub(crate) deflate: Option<DeflateParams>,
}

/// Writes the 101 response for an analysed upgrade request.
pub(crate) fn write_accept(
    w: &mut ResponseWriter<'_>,
    view: &RequestView<'_>,
    a: &Analysis,
    config: &ServerConfig,
    opts: &AcceptOptions<'_>,
) -> Result<Selected, UsageError> {
    for (name, value) in opts.headers {
        check_header(name.as_bytes(), value, ACCEPT_RESERVED)?;
    }
    let target = match a.outcome {
        Outcome::UpgradeRequest(t) => t,
        _ => return Err(UsageError::WrongState),
    };
    let protocol = match target {
        UpgradeTarget::WebSocket => None,
        UpgradeTarget::Other(i) => Some(
            config
                .upgrade_protocols
                .get(i)
                .ok_or(UsageError::WrongState)?,
        ),
    };
    if let Some(p) = protocol {
        if !opts.extensions.is_empty()
            || !matches!(
                opts.subprotocol,
                SubprotocolChoice::Policy | SubprotocolChoice::None
            )
        {
            return Err(UsageError::WrongState);
        }
        w.status_line(101);
        w.header(b"Connection", b"Upgrade");
        w.header(b"Upgrade", p.as_bytes());
        for (name, value) in opts.headers {
            w.header(name.as_bytes(), value);
        }
        w.push(b"\r\n");
        return Ok(Selected::default());
    }
    for e in opts.extensions {
        if extension_grammar::validate(e.as_bytes()) != Ok(1) || !is_safe_value(e.as_bytes()) {
            return Err(UsageError::InvalidExtension);
        }
    }
    let subprotocol = match opts.subprotocol {
        SubprotocolChoice::Policy => a.subprotocol,
        SubprotocolChoice::None => None,
        SubprotocolChoice::Named(name) => Some(
            view.subprotocols()
                .find(|o| *o == name)
                .map(|o| span_in(view, o.as_bytes()))
                .ok_or(UsageError::SubprotocolNotOffered)?,
        ),
    };
    let deflate = if opts.decline_deflate {
        None
    } else {
        a.deflate
    };
    w.push(b"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ");
    w.push(&accept_key(a.key.get(view.head())));
    w.push(b"\r\n");
    if let Some(p) = subprotocol {
        w.header(b"Sec-WebSocket-Protocol", p.get(view.head()));
    }
    if deflate.is_some() || !opts.extensions.is_empty() {
        w.push(b"Sec-WebSocket-Extensions: ");
        let mut first = true;
        if let Some(d) = &deflate {
            d.write(|b| w.push(b));
            first = false;
        }
        for e in opts.extensions {
            if !first {
                w.push(b", ");
            }
            w.push(e.as_bytes());
            first = false;
        }
        w.push(b"\r\n");
    }
    for (name, value) in opts.headers {
        w.header(name.as_bytes(), value);
    }
    w.push(b"\r\n");
    Ok(Selected {
        subprotocol,
        deflate: deflate.map(|d| d.params),
    })
}

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
    let mut scanner = HeadScanner::new();
    let scan = scanner.scan(input, &config.limits, config.line_rules);
    let mut w = ResponseWriter::new(out);
    let mut spans = [HeaderSpan::default(); Limits::MAX_HEADERS_CAP];
    let mut result = Response {
        outcome: Outcome::NeedMore,
        consumed: 0,
        response_len: 0,
        subprotocol: None,
        deflate: None,
    };
    let head_len = match scan {
        Scan::Partial => return Ok(result),
        Scan::Error(e) => {
            write_rejection(&mut w, e);
            result.outcome = Outcome::Rejected(e);
            result.consumed = input.len();
            result.response_len = w.finish()?;
            return Ok(result);
        }
        Scan::Complete(n) if scanner.saw_obs_fold() => {
            // Unfolding needs a writable copy of the head; only the handle has one.
            let _ = n;
            let e = RequestError::ObsoleteLineFolding;
            write_rejection(&mut w, e);
            result.outcome = Outcome::Rejected(e);
            result.consumed = input.len();
            result.response_len = w.finish()?;
            return Ok(result);
        }
        Scan::Complete(n) => n,
    };
    let head = input.get(..head_len).unwrap_or_default();
    let room = config.limits.max_headers.min(spans.len());
    let spans = spans.get_mut(..room).unwrap_or_default();
    let a = analyze(head, spans, config);
    result.outcome = a.outcome;
    match a.outcome {
        Outcome::Rejected(e) => {
            write_rejection(&mut w, e);
            result.consumed = input.len();
        }
        Outcome::NotUpgrade(NotUpgrade::Http2Preface) => {}
        Outcome::NotUpgrade(_) => result.consumed = head_len,
        Outcome::UpgradeRequest(_) => {
            let view = RequestView::new(head, a.parsed, spans);
            let sel = write_accept(&mut w, &view, &a, config, &AcceptOptions::default())?;
            result.consumed = head_len;
            result.subprotocol = sel
                .subprotocol
                .map(|s| core::str::from_utf8(s.get(head)).unwrap_or_default());
            result.deflate = sel.deflate;
        }
        Outcome::NeedMore => {}
    }
    result.response_len = w.finish()?;
    Ok(result)
}

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
    head: Vec<u8>,
    spans: Vec<HeaderSpan>,
    scanner: HeadScanner,
    state: State,
    analysis: Analysis,
    response: Vec<u8>,
    response_len: usize,
    response_sent: usize,
    selected: Selected,
}

impl ServerHandshake {
    /// A handle for `config`, with buffers sized from its limits.
    pub fn new(config: Arc<ServerConfig>) -> Self {
        let head = Vec::with_capacity(config.limits.max_head_bytes);
        let spans = vec![HeaderSpan::default(); config.limits.max_headers];
        let response = vec![0u8; config.response_capacity];
        ServerHandshake {
            config,
            head,
            spans,
            scanner: HeadScanner::new(),
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
        self.scanner = HeadScanner::new();
        self.state = State::ReadingHead;
        self.analysis = Analysis::new(Outcome::NeedMore);
        self.response_len = 0;
        self.response_sent = 0;
        self.selected = Selected::default();
    }

    /// Bytes of head examined so far (a measure of work).
    pub fn bytes_scanned(&self) -> usize {
        self.scanner.bytes_scanned()
    }

    /// The decision so far.
    pub fn outcome(&self) -> Outcome {
        self.analysis.outcome
    }

    fn reject_now(&mut self, e: RequestError) {
        let mut w = ResponseWriter::new(&mut self.response);
        write_rejection(&mut w, e);
        // The ready-made rejections are far below the minimum response capacity.
        self.response_len = w.finish().unwrap_or(0);
        self.response_sent = 0;
        self.analysis = Analysis::new(Outcome::Rejected(e));
        self.state = State::Responding { accepted: false };
    }

    /// Feeds request bytes. Call again with more bytes while the outcome is
    /// `NeedMore`; calling after the head is complete is a `WrongState` error.
    pub fn feed(&mut self, data: &[u8]) -> Result<Feed, UsageError> {
        if self.state != State::ReadingHead {
            return Err(UsageError::WrongState);
        }
        let limits = self.config.limits;
        let before = self.head.len();
        let room = limits.max_head_bytes.saturating_sub(before);
        let take = data.len().min(room);
        self.head
            .extend_from_slice(data.get(..take).unwrap_or_default());
        let scan = self
            .scanner
            .scan(&self.head, &limits, self.config.line_rules);
        let head_len = match scan {
            Scan::Partial if take < data.len() => {
                self.reject_now(RequestError::HeadTooLarge);
                return Ok(Feed {
                    outcome: self.analysis.outcome,
                    consumed: data.len(),
                });
            }
            Scan::Partial => {
                return Ok(Feed {
                    outcome: Outcome::NeedMore,
                    consumed: data.len(),
                });
            }
            Scan::Error(e) => {
                self.reject_now(e);
                return Ok(Feed {
                    outcome: self.analysis.outcome,
                    consumed: data.len(),
                });
            }
            Scan::Complete(n) => n,
        };
        self.head.truncate(head_len);
        if self.scanner.saw_obs_fold() {
            unfold_in_place(&mut self.head);
        }
        let consumed = head_len.saturating_sub(before);
        let a = analyze(&self.head, &mut self.spans, &self.config);
        match a.outcome {
            Outcome::Rejected(e) => {
                self.reject_now(e);
                return Ok(Feed {
                    outcome: self.analysis.outcome,
                    consumed: data.len(),
                });
            }
            Outcome::NotUpgrade(NotUpgrade::Http2Preface) => {
                self.analysis = a;
                self.state = State::Decided;
                // Every byte belongs to the HTTP/2 stack, including those of
                // earlier calls: the host must replay `head()` then the rest.
                return Ok(Feed {
                    outcome: a.outcome,
                    consumed,
                });
            }
            _ => {}
        }
        self.analysis = a;
        self.state = State::Decided;
        Ok(Feed {
            outcome: a.outcome,
            consumed,
        })
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

    /// Rejects the upgrade request (or answers a not-upgrade request) with the
    /// application's own status (300..=599), headers and body.
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
        write_custom_rejection(&mut w, status, headers, body)?;
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
