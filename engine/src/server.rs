//! The server side of the opening handshake: decide what a request head is,
//! then accept or reject it.
//!
//! Two ways in:
//! - [`respond`]: complete request bytes in, the whole response written into the
//!   caller's buffer, in one call, with the default policy;
//! - [`ServerHandshake`]: a reusable handle fed bytes in any chunking, whose
//!   request the application inspects before it accepts or rejects.

use alloc::sync::Arc;
use alloc::{vec, vec::Vec};

use crate::accept_key::{accept_key, is_valid_key};
use crate::error::{RequestError, UsageError};
use crate::extension_grammar::{self, Extension, Extensions};
use crate::head_scanner::{HeadScanner, Limits, Scan, unfold_in_place};
use crate::permessage_deflate::{Accepted, DeflateParams, OfferReader, is_deflate_name};
use crate::request::{
    FieldSink, HeaderSpan, HeaderValues, ListElements, ParsedHead, RequestView, Span,
    is_absolute_form, parse_head, parse_strict,
};
use crate::response_writer::{ResponseWriter, check_header, is_safe_value};
use crate::server_config::ServerConfig;
use crate::token_list::{
    CommaList, HIGH_BITS, eq_lowercase_name, list_contains, splat, starts_with_lowercase,
};

/// The first bytes of an HTTP/2 connection (RFC 9113 §3.4).
pub(crate) const HTTP2_PREFACE: &[u8; 24] = b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n";

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
    /// does not know: each one element in RFC 6455 §9.1 syntax, of an extension
    /// the client offered ([`UsageError::ExtensionNotOffered`] otherwise), and
    /// not permessage-deflate, which the engine negotiates itself
    /// ([`UsageError::ReservedExtension`]).
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
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct Occurrence {
    count: u8,
    /// Index of the first occurrence; meaningful when `count > 0`. Field
    /// indexes stay below `Limits::MAX_HEADERS_CAP`, so they fit in a byte.
    first_index: u8,
}

impl Occurrence {
    #[inline]
    #[allow(clippy::cast_possible_truncation)]
    fn see(&mut self, index: usize) {
        const _: () = assert!(Limits::MAX_HEADERS_CAP <= u8::MAX as usize);
        if self.count == 0 {
            self.first_index = index as u8;
        }
        self.count = self.count.saturating_add(1);
    }

    #[inline]
    fn first(self) -> Option<usize> {
        (self.count > 0).then_some(self.first_index as usize)
    }
}

/// The fields the handshake cares about, found in one pass over the header
/// names (later rules read values through these indexes, never by rescanning).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct Fields {
    host: Occurrence,
    origin: Occurrence,
    key: Occurrence,
    version: Occurrence,
    content_length: Occurrence,
    http2_settings: Occurrence,
    transfer_encoding: Occurrence,
    upgrade: Occurrence,
    connection: Occurrence,
    protocol: Occurrence,
    extensions: Occurrence,
}

impl Fields {
    /// Records field `index` if its name is one the handshake reads.
    #[inline(always)]
    fn see(&mut self, index: usize, name: &[u8]) {
        let is = |s: &[u8]| eq_lowercase_name(name, s);
        let slot = match name.len() {
            4 if is(b"host") => &mut self.host,
            6 if is(b"origin") => &mut self.origin,
            7 if is(b"upgrade") => &mut self.upgrade,
            10 if is(b"connection") => &mut self.connection,
            14 if is(b"content-length") => &mut self.content_length,
            14 if is(b"http2-settings") => &mut self.http2_settings,
            17 if is(b"sec-websocket-key") => &mut self.key,
            17 if is(b"transfer-encoding") => &mut self.transfer_encoding,
            21 if is(b"sec-websocket-version") => &mut self.version,
            22 if is(b"sec-websocket-protocol") => &mut self.protocol,
            24 if is(b"sec-websocket-extensions") => &mut self.extensions,
            _ => return,
        };
        slot.see(index);
    }
}

impl FieldSink for Fields {
    /// The common fields by their first byte (and one more where two share
    /// it), then one compare with the name and its colon: a few instructions
    /// instead of scanning the name and matching it afterwards. Besides the
    /// fields the handshake reads, the ones browsers send with every
    /// handshake are recognized (and not recorded); rare fields are left to
    /// the general path and `see`.
    #[inline(always)]
    fn recognize(&mut self, index: usize, line: &[u8]) -> Option<usize> {
        // Inlined at each use, so every compare is against a constant.
        #[inline(always)]
        fn take_if(
            line: &[u8],
            index: usize,
            slot: Option<&mut Occurrence>,
            name_and_colon: &[u8],
        ) -> Option<usize> {
            starts_with_lowercase(line, name_and_colon).then(|| {
                if let Some(slot) = slot {
                    slot.see(index);
                }
                name_and_colon.len().wrapping_sub(1)
            })
        }
        let second = || line.get(1).map(|b| b | 0x20);
        match *line.first()? | 0x20 {
            b'h' => take_if(line, index, Some(&mut self.host), b"host:"),
            b'o' => take_if(line, index, Some(&mut self.origin), b"origin:"),
            b'u' if second() == Some(b'p') => {
                take_if(line, index, Some(&mut self.upgrade), b"upgrade:")
            }
            b'u' => take_if(line, index, None, b"user-agent:"),
            b'c' if second() == Some(b'o') => {
                take_if(line, index, Some(&mut self.connection), b"connection:")
            }
            b'c' => take_if(line, index, None, b"cache-control:"),
            b's' => match *line.get(14)? | 0x20 {
                b'k' => take_if(line, index, Some(&mut self.key), b"sec-websocket-key:"),
                b'v' => take_if(
                    line,
                    index,
                    Some(&mut self.version),
                    b"sec-websocket-version:",
                ),
                b'p' => take_if(
                    line,
                    index,
                    Some(&mut self.protocol),
                    b"sec-websocket-protocol:",
                ),
                b'e' => take_if(
                    line,
                    index,
                    Some(&mut self.extensions),
                    b"sec-websocket-extensions:",
                ),
                _ => None,
            },
            b'a' => match *line.get(7)? | 0x20 {
                b'e' => take_if(line, index, None, b"accept-encoding:"),
                b'l' => take_if(line, index, None, b"accept-language:"),
                _ => None,
            },
            b'p' => take_if(line, index, None, b"pragma:"),
            _ => None,
        }
    }

    #[inline(always)]
    fn see(&mut self, index: usize, name: &[u8]) {
        Fields::see(self, index, name);
    }
}

fn index_fields(view: &RequestView<'_>) -> Fields {
    let mut f = Fields::default();
    for (i, (n, _)) in view.raw_headers().enumerate() {
        f.see(i, n);
    }
    f
}

fn value_at<'a>(view: &RequestView<'a>, o: Occurrence) -> Option<&'a [u8]> {
    view.raw_header(o.first()?).map(|(_, v)| v)
}

/// Every value of a field found by `index_fields`.
fn field_values<'a>(
    view: &RequestView<'a>,
    o: Occurrence,
    name: &'static [u8],
) -> HeaderValues<'a> {
    match (o.first(), o.count) {
        (Some(first), 1) => view.value_only(first),
        (Some(first), _) => view.values_from(first, name),
        (None, _) => view.values_from(usize::MAX, name),
    }
}

/// The comma-separated elements of every line of a field found by
/// `index_fields`.
fn field_list<'a>(view: &RequestView<'a>, o: Occurrence, name: &'static [u8]) -> FieldList<'a> {
    match (o.count, value_at(view, o)) {
        (1, Some(value)) => FieldList::OneLine(CommaList::new(value)),
        _ => FieldList::Lines(ListElements::new(field_values(view, o, name))),
    }
}

/// The elements of a list field; a field on one line (the usual case) is split
/// directly, without going through the iterator over lines.
#[derive(Clone)]
enum FieldList<'a> {
    OneLine(CommaList<'a>),
    Lines(ListElements<'a>),
}

impl<'a> Iterator for FieldList<'a> {
    type Item = &'a [u8];

    #[inline]
    fn next(&mut self) -> Option<&'a [u8]> {
        match self {
            FieldList::OneLine(elements) => elements.next(),
            FieldList::Lines(elements) => elements.next(),
        }
    }
}

/// True when `Connection` lists `option` (lowercase letters).
fn connection_has(view: &RequestView<'_>, f: &Fields, option: &[u8]) -> bool {
    is_sole_element(view, f.connection, option)
        || field_list(view, f.connection, b"connection").any(|e| eq_lowercase_name(e, option))
}

/// True when a field sent on one line is exactly `token` (lowercase letters),
/// ignoring case: the usual `Connection: Upgrade` and `Upgrade: websocket`,
/// decided with one compare instead of splitting the list. Such a value is a
/// list of one element, `token` itself, so callers that then split the list
/// decide the same.
fn is_sole_element(view: &RequestView<'_>, o: Occurrence, token: &[u8]) -> bool {
    o.count == 1 && value_at(view, o).is_some_and(|v| eq_lowercase_name(v, token))
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
    let pick = |element: &[u8]| {
        if config.websocket && eq_lowercase_name(element, b"websocket") {
            return Some(UpgradeTarget::WebSocket);
        }
        let i = config
            .upgrade_protocols
            .iter()
            .position(|p| p.as_bytes().eq_ignore_ascii_case(element))?;
        if element.eq_ignore_ascii_case(b"h2c") && !h2c_settings_ok(view, f) {
            // RFC 7540 §3.2.1: the server must not switch; try the next one.
            return None;
        }
        Some(UpgradeTarget::Other(i))
    };
    // `pick` takes a first element `websocket` without further ado.
    if config.websocket && is_sole_element(view, f.upgrade, b"websocket") {
        return Some(UpgradeTarget::WebSocket);
    }
    field_list(view, f.upgrade, b"upgrade").find_map(pick)
}

fn check_body(view: &RequestView<'_>, f: &Fields) -> Result<(), RequestError> {
    if f.transfer_encoding.count > 0 {
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
    f: &Fields,
    config: &ServerConfig,
) -> Result<Option<&'a [u8]>, RequestError> {
    match (f.protocol.count, value_at(view, f.protocol)) {
        // The usual single line goes in as itself, not through the iterator
        // over lines.
        (1, Some(line)) => config.select_subprotocol(core::iter::once(line)),
        _ => config.select_subprotocol(field_values(view, f.protocol, b"sec-websocket-protocol")),
    }
}

/// Applies RFC 6455 §4.2.1 and the server's policy to a WebSocket request.
fn analyze_websocket(
    view: &RequestView<'_>,
    f: &Fields,
    config: &ServerConfig,
    a: &mut Analysis,
) -> Result<(), RequestError> {
    if view.method_bytes() != b"GET" {
        return Err(RequestError::MethodNotAllowed);
    }
    if !connection_has(view, f, b"upgrade") {
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
    let chosen = if f.protocol.count > 0 {
        select_subprotocol(view, f, config)?
    } else {
        None
    };
    if chosen.is_none() && config.require_subprotocol {
        return Err(RequestError::NoSubprotocolMatch);
    }
    a.subprotocol = chosen.map(|c| span_in(view, c));
    // One pass validates every extension element and negotiates deflate.
    match (f.extensions.count, value_at(view, f.extensions)) {
        (0, _) => {}
        // The usual single line is read directly, not through the iterator
        // over lines.
        (1, Some(line)) => read_extension_line(line, config, &mut a.deflate)?,
        _ => {
            for line in field_values(view, f.extensions, b"sec-websocket-extensions") {
                read_extension_line(line, config, &mut a.deflate)?;
            }
        }
    }
    Ok(())
}

/// Validates one `Sec-WebSocket-Extensions` line and, while no deflate offer
/// has been accepted yet, negotiates the first acceptable one in it.
#[inline]
fn read_extension_line(
    line: &[u8],
    config: &ServerConfig,
    deflate: &mut Option<Accepted>,
) -> Result<(), RequestError> {
    let mut elements = Extensions::new(line);
    loop {
        // A deflate offer's parameters are read while the grammar is checked.
        let mut is_offer = false;
        let mut offer = OfferReader::default();
        let element = elements
            .next_element_with(
                |name| {
                    is_offer =
                        deflate.is_none() && config.deflate.is_some() && is_deflate_name(name);
                    is_offer
                },
                |p| offer.add(p),
            )
            .map_err(|_| RequestError::InvalidExtensionList)?;
        if element.is_none() {
            return Ok(());
        }
        if let (true, Some(d)) = (is_offer, &config.deflate) {
            *deflate = offer.accept(d);
        }
    }
}

/// Decides what a complete head is. `spans` receives the header positions.
pub(crate) fn analyze(head: &[u8], spans: &mut [HeaderSpan], config: &ServerConfig) -> Analysis {
    if head.starts_with(HTTP2_PREFACE.get(..18).unwrap_or_default()) {
        return Analysis::new(Outcome::NotUpgrade(NotUpgrade::Http2Preface));
    }
    if let Some((parsed, n, f)) = parse_indexed(head, spans, &config.limits)
        && n == head.len()
    {
        return analyze_indexed(head, parsed, spans, &f, config);
    }
    match parse_head(head, spans) {
        Ok(parsed) => analyze_parsed(head, parsed, spans, config),
        Err(e) => Analysis::new(Outcome::Rejected(e)),
    }
}

/// The one-pass path: a strictly well-formed head is parsed and its fields
/// indexed in a single pass over the input. None means "take the scanner
/// path", which classifies every error exactly; both paths decide the same.
#[inline]
fn parse_fast(
    input: &[u8],
    spans: &mut [HeaderSpan],
    config: &ServerConfig,
) -> Option<(ParsedHead, usize, Fields)> {
    if config.line_rules.allow_bare_lf || config.line_rules.allow_obs_fold {
        return None;
    }
    parse_indexed(input, spans, &config.limits)
}

/// The strict one-pass parse, indexing the fields the handshake reads.
#[inline]
fn parse_indexed(
    input: &[u8],
    spans: &mut [HeaderSpan],
    limits: &Limits,
) -> Option<(ParsedHead, usize, Fields)> {
    let mut f = Fields::default();
    let (parsed, head_len) = parse_strict(input, spans, limits, &mut f)?;
    Some((parsed, head_len, f))
}

/// Decides what a parsed head is.
fn analyze_parsed(
    head: &[u8],
    parsed: ParsedHead,
    spans: &[HeaderSpan],
    config: &ServerConfig,
) -> Analysis {
    let view = RequestView::new(head, parsed, spans);
    let f = index_fields(&view);
    analyze_indexed(head, parsed, spans, &f, config)
}

/// Decides what a parsed head is, its fields already indexed.
fn analyze_indexed(
    head: &[u8],
    parsed: ParsedHead,
    spans: &[HeaderSpan],
    f: &Fields,
    config: &ServerConfig,
) -> Analysis {
    let mut a = Analysis::new(Outcome::NeedMore);
    a.parsed = parsed;
    let view = RequestView::new(head, parsed, spans);
    a.outcome = if f.upgrade.count == 0 {
        Outcome::NotUpgrade(NotUpgrade::Plain)
    } else if parsed.minor_version == 0 {
        Outcome::NotUpgrade(NotUpgrade::Http10)
    } else {
        match choose_target(&view, f, config) {
            None => Outcome::NotUpgrade(NotUpgrade::UnsupportedProtocol),
            Some(target) => match analyze_upgrade(&view, f, config, target, &mut a) {
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

/// True for a Host value (RFC 9112 §3.2, RFC 3986 §3.2.2): `uri-host [ ":" port ]`
/// where the host is a bracketed IP literal, or a possibly empty reg-name
/// (IPv4 addresses included) of unreserved, sub-delims and `%XX` bytes, and
/// the port is digits. The IP literal is checked for its alphabet only.
fn is_valid_host(value: &[u8]) -> bool {
    let digits = |p: &[u8]| p.iter().all(u8::is_ascii_digit);
    // Most hosts are a plain name with an optional port: one pass up to the
    // first byte that is not a reg-name byte. A `[` or `%` there takes the
    // general path below; anything else is decided here.
    let plain = reg_name_run(value);
    match value.get(plain..).unwrap_or_default() {
        [] => return true,
        [b':', port @ ..] => return digits(port),
        [b'[' | b'%', ..] => {}
        _ => return false,
    }
    if let Some(rest) = value.strip_prefix(b"[") {
        let Some(close) = rest.iter().position(|&b| b == b']') else {
            return false;
        };
        let (literal, after) = rest.split_at(close);
        let port_ok = match after.get(1..).unwrap_or_default() {
            [] => true,
            [b':', port @ ..] => digits(port),
            _ => false,
        };
        return port_ok && is_ip_literal(literal);
    }
    let (host, port) = match value.iter().position(|&b| b == b':') {
        Some(i) => {
            let (h, p) = value.split_at(i);
            (h, p.get(1..).unwrap_or_default())
        }
        None => (value, &[][..]),
    };
    is_reg_name(host) && digits(port)
}

/// The shape of an IPv6 address written without brackets, perhaps with a
/// port after it (`::1:8080`, as WebSocket-Node sends): hex digits, `:` and
/// `.` only (an embedded IPv4 tail), at least two colons (so never a name or an
/// IPv4 address with a port), no `:::`, at most 47 bytes (eight groups of four,
/// the separators and a five-digit port). The lenient switch's only check:
/// where the address ends and the port begins cannot be known.
fn is_unbracketed_ipv6_host(value: &[u8]) -> bool {
    value.len() <= 47
        && value
            .iter()
            .all(|&b| b.is_ascii_hexdigit() || b == b':' || b == b'.')
        && value.iter().filter(|&&b| b == b':').count() >= 2
        && !value.windows(3).any(|w| w == b":::")
}

/// RFC 3986 `unreserved` and `sub-delims`.
#[inline]
fn is_reg_name_byte(b: u8) -> bool {
    matches!(REG_NAME.get(usize::from(b)), Some(true))
}

/// `is_reg_name_byte` as a table: one load per byte.
#[allow(clippy::indexing_slicing, clippy::arithmetic_side_effects)] // const evaluation: checked at compile time
static REG_NAME: [bool; 256] = {
    let mut table = [false; 256];
    let extra = b"-._~!$&'()*+,;=";
    let mut i = 0;
    while i < 256 {
        table[i] = (i as u8).is_ascii_alphanumeric();
        i += 1;
    }
    let mut j = 0;
    while j < extra.len() {
        table[extra[j] as usize] = true;
        j += 1;
    }
    table
};

/// Length of the run of reg-name bytes at the start of `value`: eight bytes
/// per step while they are letters, digits, `-` and `.` (nearly every host
/// name), then one table lookup per byte.
fn reg_name_run(value: &[u8]) -> usize {
    let mut len = 0usize;
    while let Some(chunk) = value.get(len..).and_then(|rest| rest.first_chunk::<8>()) {
        if usual_host_bytes(u64::from_le_bytes(*chunk)) != HIGH_BITS {
            break;
        }
        len = len.wrapping_add(8);
    }
    let rest = value.get(len..).unwrap_or_default();
    len.wrapping_add(
        rest.iter()
            .position(|&b| !is_reg_name_byte(b))
            .unwrap_or(rest.len()),
    )
}

/// Sets the high bit of each byte of `word` that is an ASCII letter, digit,
/// `-` or `.`. Exact for every byte when all eight are below 0x80 (no sum then
/// carries into the next byte); a byte from 0x80 up is never marked, so "all
/// eight marked" is always exact.
#[inline]
fn usual_host_bytes(word: u64) -> u64 {
    // A range test: adding `0x80 - low` sets the high bit from `low` up, and
    // adding `0x7f - high` leaves it clear up to `high`. Setting bit 5 folds
    // upper-case letters onto lower-case ones and nothing else onto letters.
    let folded = word | splat(0x20);
    let letter = folded.wrapping_add(splat(0x80 - b'a')) & !folded.wrapping_add(splat(0x7f - b'z'));
    let digit = word.wrapping_add(splat(0x80 - b'0')) & !word.wrapping_add(splat(0x7f - b'9'));
    let dash_or_dot =
        word.wrapping_add(splat(0x80 - b'-')) & !word.wrapping_add(splat(0x7f - b'.'));
    (letter | digit | dash_or_dot) & !word & HIGH_BITS
}

fn is_reg_name(host: &[u8]) -> bool {
    // Most hosts are plain names: a fast run up to the first byte that needs
    // a closer look (a `%` escape or an invalid byte).
    let plain = reg_name_run(host);
    let mut rest = host.get(plain..).unwrap_or_default();
    while let [first, tail @ ..] = rest {
        rest = match (*first, tail) {
            (b'%', [h1, h2, more @ ..]) if h1.is_ascii_hexdigit() && h2.is_ascii_hexdigit() => more,
            (b, _) if is_reg_name_byte(b) => tail,
            _ => return false,
        };
    }
    true
}

/// IPv6 (hex digits, `:` and `.`, with at least one `:`) or IPvFuture
/// (`v` HEXDIG... `.` then unreserved, sub-delims or `:`).
fn is_ip_literal(literal: &[u8]) -> bool {
    let ipv6 = literal.contains(&b':')
        && literal
            .iter()
            .all(|&b| b.is_ascii_hexdigit() || b == b':' || b == b'.');
    let future = match literal {
        [b'v' | b'V', rest @ ..] => match rest.iter().position(|&b| b == b'.') {
            Some(dot) => {
                let (version, tail) = rest.split_at(dot);
                let tail = tail.get(1..).unwrap_or_default();
                !version.is_empty()
                    && version.iter().all(u8::is_ascii_hexdigit)
                    && !tail.is_empty()
                    && tail.iter().all(|&b| is_reg_name_byte(b) || b == b':')
            }
            None => false,
        },
        _ => false,
    };
    ipv6 || future
}

fn check_common(
    view: &RequestView<'_>,
    f: &Fields,
    config: &ServerConfig,
    target: UpgradeTarget,
) -> Result<(), UpgradeRefusal> {
    match f.host.count {
        0 if !config.allow_missing_host => return Err(RequestError::MissingHost.into()),
        0 => {}
        1 if !value_at(view, f.host).is_some_and(|h| {
            is_valid_host(h) || (config.allow_unbracketed_ipv6_host && is_unbracketed_ipv6_host(h))
        }) =>
        {
            return Err(RequestError::InvalidHost.into());
        }
        1 => {}
        _ => return Err(RequestError::DuplicateHost.into()),
    }
    if target != UpgradeTarget::WebSocket && !connection_has(view, f, b"upgrade") {
        return Err(UpgradeRefusal::Ignore);
    }
    if !is_upgrade_target(view.method_bytes(), view.target_bytes()) {
        return Err(RequestError::InvalidTarget.into());
    }
    Ok(())
}

/// RFC 9112 §3.2: the target of an upgrade request is origin-form (`/chat?x`)
/// or absolute-form (`http://example.com/chat`); asterisk-form (`*`) belongs to
/// OPTIONS and authority-form (`example.com:443`) to CONNECT (§3.2.3, §3.2.4),
/// so a generic upgrade may use them with those methods and a WebSocket GET
/// never. No form carries a fragment (RFC 6455 §3: fragment identifiers MUST
/// NOT be used on WebSocket URIs).
fn is_upgrade_target(method: &[u8], target: &[u8]) -> bool {
    // Bytes, not text: no UTF-8 check for the usual origin-form target.
    if target.contains(&b'#') {
        return false;
    }
    match target {
        [b'/', ..] => true,
        b"*" => method == b"OPTIONS",
        _ if is_absolute_form(target) => true,
        _ => method == b"CONNECT",
    }
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

/// True when `head` is a HEAD request (after the empty lines RFC 9112 §2.2
/// lets a server skip): its response carries no content (RFC 9110 §9.3.2).
fn is_head_request(head: &[u8]) -> bool {
    let start = head
        .iter()
        .position(|&b| b != b'\r' && b != b'\n')
        .unwrap_or(head.len());
    head.get(start..)
        .is_some_and(|line| line.starts_with(b"HEAD "))
}

/// Writes the ready-made rejection for `e`, in answer to `head` (the request
/// bytes: a HEAD request gets the same fields and no body).
pub(crate) fn write_rejection(w: &mut ResponseWriter<'_>, e: RequestError, head: &[u8]) {
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
    if !is_head_request(head) {
        w.push(body);
        w.push(b"\n");
    }
}

/// Writes an application-chosen rejection after validating it, in answer to
/// `head`. HTTP allows no content in a 304 (RFC 9110 §15.4.5: a body is
/// refused, and no Content-Length or Content-Type is written) nor in the
/// answer to a HEAD request (§9.3.2: the fields say what a GET would get,
/// Content-Length included, and the body is dropped). 1xx and 204, the other
/// statuses without content, are outside the 300..=599 a rejection may use.
pub(crate) fn write_custom_rejection(
    w: &mut ResponseWriter<'_>,
    status: u16,
    headers: &[(&str, &[u8])],
    body: &[u8],
    head: &[u8],
) -> Result<(), UsageError> {
    if !(300..=599).contains(&status) {
        return Err(UsageError::InvalidStatus);
    }
    let no_content = status == 304;
    if no_content && !body.is_empty() {
        return Err(UsageError::BodyNotAllowed);
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
    if no_content {
        w.push(b"\r\n");
        return Ok(());
    }
    w.push(b"Content-Length: ");
    w.push_decimal(body.len());
    w.push(b"\r\n\r\n");
    if !is_head_request(head) {
        w.push(body);
    }
    Ok(())
}

/// Checks the extension elements an application adds to an accept: each is
/// one element in RFC 6455 §9.1 syntax that is safe to write, does not name
/// permessage-deflate (the engine negotiates it: a second element would
/// carry parameters the framing layer never learns), and names an extension
/// the client offered (§9.1: the server answers only offered extensions).
pub(crate) fn check_extra_extensions<'a, I>(
    extras: &[&str],
    offers: impl Fn() -> I,
) -> Result<(), UsageError>
where
    I: Iterator<Item = Extension<'a>>,
{
    for e in extras {
        let element = e.as_bytes();
        if extension_grammar::validate(element) != Ok(1) || !is_safe_value(element) {
            return Err(UsageError::InvalidExtension);
        }
        let name = Extensions::new(element)
            .next()
            .map(|x| x.name_bytes())
            .unwrap_or_default();
        if is_deflate_name(name) {
            return Err(UsageError::ReservedExtension);
        }
        if !offers().any(|o| o.name_bytes().eq_ignore_ascii_case(name)) {
            return Err(UsageError::ExtensionNotOffered);
        }
    }
    Ok(())
}

/// The result of writing a 101: what was selected.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct Selected {
    pub(crate) subprotocol: Option<Span>,
    pub(crate) deflate: Option<DeflateParams>,
}

/// Writes the 101 response for an analysed upgrade request.
#[inline(always)]
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
    check_extra_extensions(opts.extensions, || view.extensions())?;
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
    // Each field line after the accept key goes out with the CRLF that ends
    // the line before it, so that constant text is one copy.
    w.push(b"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ");
    w.push(&accept_key(a.key.get(view.head())));
    if let Some(p) = subprotocol {
        w.push(b"\r\nSec-WebSocket-Protocol: ");
        w.push(p.get(view.head()));
    }
    if deflate.is_some() || !opts.extensions.is_empty() {
        w.push(b"\r\nSec-WebSocket-Extensions: ");
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
    }
    for (name, value) in opts.headers {
        w.push(b"\r\n");
        w.push(name.as_bytes());
        w.push(b": ");
        w.push(value);
    }
    w.push(b"\r\n\r\n");
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
fn respond_with<'i, const N: usize>(
    config: &ServerConfig,
    input: &'i [u8],
    out: &mut [u8],
) -> Result<(Response<'i>, Option<&'i [u8]>), UsageError> {
    let mut spans = [HeaderSpan::default(); N];
    let room = config.limits.max_headers.min(spans.len());
    let spans = spans.get_mut(..room).unwrap_or_default();
    let (head_len, a) = match parse_fast(input, spans, config) {
        Some((parsed, n, f)) => {
            let head = input.get(..n).unwrap_or_default();
            (n, analyze_indexed(head, parsed, spans, &f, config))
        }
        None => scan_and_analyze(config, input, spans),
    };
    finish_one_shot(config, input, head_len, &a, spans, ResponseWriter::new(out))
}

/// The one-shot's general path: the incremental scanner classifies the head
/// (an incomplete head is `NeedMore`, an invalid one `Rejected`), then the
/// complete head is analysed. Returns the head length and the analysis.
#[inline(never)]
fn scan_and_analyze(
    config: &ServerConfig,
    input: &[u8],
    spans: &mut [HeaderSpan],
) -> (usize, Analysis) {
    scan_and_analyze_from(config, input, spans, &mut HeadScanner::new())
}

/// What the scanner says about a one-shot input.
enum HeadScan {
    Partial,
    Rejected(RequestError),
    Complete(usize),
}

/// Resumes `scanner` (which examined a prefix of `input` in earlier calls)
/// over the rest of the input, within the head limit.
fn scan_head(config: &ServerConfig, input: &[u8], scanner: &mut HeadScanner) -> HeadScan {
    // Look at no more than the handle would buffer: the same verdict for
    // every chunking, and work bounded by the head limit whatever the
    // input's size.
    let window = input.get(..config.limits.max_head_bytes).unwrap_or(input);
    match scanner.scan(window, &config.limits, config.line_rules) {
        Scan::Partial if window.len() < input.len() => {
            HeadScan::Rejected(RequestError::HeadTooLarge)
        }
        Scan::Partial => HeadScan::Partial,
        Scan::Error(e) => HeadScan::Rejected(e),
        // Unfolding needs a writable copy of the head; only the handle has one.
        Scan::Complete(_) if scanner.saw_obs_fold() => {
            HeadScan::Rejected(RequestError::ObsoleteLineFolding)
        }
        Scan::Complete(n) => HeadScan::Complete(n),
    }
}

/// [`scan_and_analyze`] resuming `scanner`.
fn scan_and_analyze_from(
    config: &ServerConfig,
    input: &[u8],
    spans: &mut [HeaderSpan],
    scanner: &mut HeadScanner,
) -> (usize, Analysis) {
    match scan_head(config, input, scanner) {
        HeadScan::Partial => (0, Analysis::new(Outcome::NeedMore)),
        HeadScan::Rejected(e) => (0, Analysis::new(Outcome::Rejected(e))),
        HeadScan::Complete(n) => {
            let head = input.get(..n).unwrap_or_default();
            (n, analyze(head, spans, config))
        }
    }
}

/// Where a read loop around the one-shot call left off: the scan state of
/// the request head received so far. Start each request with
/// `RespondProgress::default()` and pass the same value to every
/// [`respond_resume`] call for it.
///
/// With it, a loop that calls the one-shot after every read examines each new
/// byte once until the head is complete, then parses the head once: linear
/// in the head's size however the peer splits it (without it, each call
/// looks at the whole input again: quadratic for a peer sending a byte per
/// read, the CVE-2023-43669 shape). picohttpparser's `last_len` has the same
/// purpose; this keeps the whole scan state, so the verdict is the one the
/// handle gives for any split.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RespondProgress {
    scanner: HeadScanner,
    examined: usize,
}

impl RespondProgress {
    /// Bytes of the current request's head examined so far (what the next
    /// call need not look at again).
    pub fn bytes_scanned(&self) -> usize {
        self.scanner.bytes_scanned()
    }

    /// Bytes examined by every pass of every call made with this progress
    /// (scan, parse, analysis), an upper bound: a measure of work, for tests.
    pub fn bytes_examined(&self) -> usize {
        self.examined
    }

    /// The state as plain numbers, for a binding that keeps it in its own
    /// memory (the C library's `wsh_respond_progress`): bytes scanned, line
    /// start, header count, flags, bytes examined.
    pub fn to_words(&self) -> [usize; 5] {
        let [a, b, c, d] = self.scanner.to_words();
        [a, b, c, d, self.examined]
    }

    /// A progress from [`RespondProgress::to_words`]. All zeros is the
    /// default. Numbers that did not come from `to_words` cannot make the
    /// engine misbehave, but may give a wrong verdict.
    pub fn from_words([a, b, c, d, examined]: [usize; 5]) -> Self {
        RespondProgress {
            scanner: HeadScanner::from_words([a, b, c, d]),
            examined,
        }
    }

    fn add_examined(&mut self, n: usize) {
        self.examined = self.examined.saturating_add(n);
    }
}

/// [`respond`] for a read loop: `input` is every byte of the request received
/// so far (the same buffer, grown), `progress` what the earlier calls for
/// this request examined. Only bytes not examined before are scanned until
/// the head is complete; the complete head is then parsed once, so the loop's
/// total work is linear in the head's size. Decides exactly as [`respond`]
/// and the handle do.
///
/// `progress` is reset (its scan, not its work count) once the call decides,
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

/// [`respond_resume`] with the subprotocol as bytes (see [`respond_bytes`]).
pub fn respond_resume_bytes<'i>(
    config: &ServerConfig,
    progress: &mut RespondProgress,
    input: &'i [u8],
    out: &mut [u8],
) -> Result<(Response<'i>, Option<&'i [u8]>), UsageError> {
    if config.limits.max_headers <= 64 {
        resume_with::<64>(config, progress, input, out)
    } else {
        resume_with::<{ Limits::MAX_HEADERS_CAP }>(config, progress, input, out)
    }
}

fn resume_with<'i, const N: usize>(
    config: &ServerConfig,
    progress: &mut RespondProgress,
    input: &'i [u8],
    out: &mut [u8],
) -> Result<(Response<'i>, Option<&'i [u8]>), UsageError> {
    let before = *progress;
    if progress.bytes_scanned() > input.len() {
        // Shorter than what was scanned: not the same request grown.
        progress.scanner = HeadScanner::new();
    }
    // A call that only extends an incomplete head (nearly every call of a
    // loop fed in small pieces) scans the new bytes and returns, before any
    // per-call setup.
    let mut scanned_head = None;
    if progress.bytes_scanned() > 0 {
        let scanned = progress.bytes_scanned();
        let scan = scan_head(config, input, &mut progress.scanner);
        let newly = progress.bytes_scanned().saturating_sub(scanned);
        progress.add_examined(newly);
        if let HeadScan::Partial = scan {
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
        scanned_head = Some(scan);
    }
    let mut spans = [HeaderSpan::default(); N];
    let room = config.limits.max_headers.min(spans.len());
    let spans = spans.get_mut(..room).unwrap_or_default();
    let window = input.len().min(config.limits.max_head_bytes);
    // The one-pass parse only on a request's first call: later calls resume
    // the scan instead of parsing from byte 0 again.
    let parsed = if scanned_head.is_none() {
        progress.add_examined(window);
        parse_fast(input, spans, config)
    } else {
        None
    };
    let (head_len, a) = match (parsed, scanned_head) {
        (Some((parsed, n, f)), _) => {
            let head = input.get(..n).unwrap_or_default();
            (n, analyze_indexed(head, parsed, spans, &f, config))
        }
        (None, Some(HeadScan::Rejected(e))) => (0, Analysis::new(Outcome::Rejected(e))),
        (None, Some(HeadScan::Complete(n))) => {
            let head = input.get(..n).unwrap_or_default();
            // The analysis parses the complete head at most twice (the strict
            // parser, then httparse when it declines).
            progress.add_examined(n.saturating_mul(2));
            (n, analyze(head, spans, config))
        }
        (None, _) => {
            let scanned = progress.bytes_scanned();
            let (n, a) = scan_and_analyze_from(config, input, spans, &mut progress.scanner);
            let newly = progress.bytes_scanned().saturating_sub(scanned);
            progress.add_examined(newly.saturating_add(n.saturating_mul(2)));
            (n, a)
        }
    };
    let result = finish_one_shot(config, input, head_len, &a, spans, ResponseWriter::new(out));
    match &result {
        Ok((r, _)) if r.outcome == Outcome::NeedMore => {}
        Ok(_) => progress.scanner = HeadScanner::new(),
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
            // parsed head (`head` is empty for the scanner's framing errors).
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
    #[cfg(any(test, feature = "test-internals"))]
    pub(crate) fn bytes_scanned(&self) -> usize {
        self.scanner.bytes_scanned()
    }

    /// The decision so far.
    pub fn outcome(&self) -> Outcome {
        self.analysis.outcome
    }

    /// Writes the ready-made rejection for `e`. `head_complete`: the head was
    /// complete and parsed (an analysis rejection), so whether it is a HEAD
    /// request is known whatever the chunking; a framing error found by the
    /// scanner is answered with its body, as its request line may be cut at
    /// a point that depends on the chunking.
    fn reject_now(&mut self, e: RequestError, head_complete: bool) {
        let mut w = ResponseWriter::new(&mut self.response);
        let head: &[u8] = if head_complete { &self.head } else { &[] };
        write_rejection(&mut w, e, head);
        // The ready-made rejections are far below the minimum response capacity.
        self.response_len = w.finish().unwrap_or(0);
        self.response_sent = 0;
        self.analysis = Analysis::new(Outcome::Rejected(e));
        self.state = State::Responding { accepted: false };
        self.scanner.stop();
    }

    /// Feeds request bytes. Call again with more bytes while the outcome is
    /// `NeedMore`; calling after the head is complete is a `WrongState` error.
    #[inline]
    pub fn feed(&mut self, data: &[u8]) -> Result<Feed, UsageError> {
        // One byte that cannot end a line (the byte-at-a-time case): only the
        // limits need a look, so skip the general path's setup.
        // The scanner refuses every length before its first scan and once the
        // head is decided (`stop`), so this also means "reading a started head".
        if let [byte] = data
            && *byte != b'\n'
            && self
                .scanner
                .advance_without_lf(self.head.len().saturating_add(1))
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
        let limits = self.config.limits;
        if before == 0
            && let Some((parsed, head_len, f)) = parse_fast(data, &mut self.spans, &self.config)
        {
            {
                // The whole head arrived in this call: one pass, no scanner.
                self.head
                    .extend_from_slice(data.get(..head_len).unwrap_or_default());
                self.scanner.mark_complete(head_len);
                let a = analyze_indexed(&self.head, parsed, &self.spans, &f, &self.config);
                return Ok(self.decided(a, head_len, data.len()));
            }
        }
        let room = limits.max_head_bytes.saturating_sub(before);
        let take = data.len().min(room);
        self.head
            .extend_from_slice(data.get(..take).unwrap_or_default());
        let scan = self
            .scanner
            .scan(&self.head, &limits, self.config.line_rules);
        let head_len = match scan {
            Scan::Partial if take < data.len() => {
                self.reject_now(RequestError::HeadTooLarge, false);
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
                self.reject_now(e, false);
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
        self.scanner.stop();
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

    /// Rejects the upgrade request (or answers a not-upgrade request) with the
    /// application's own status (300..=599), headers and body. HTTP allows no
    /// content in some answers: a 304 with a body is
    /// [`UsageError::BodyNotAllowed`] (and a 304 gets no Content-Length); the
    /// answer to a HEAD request carries the fields a GET would get, its
    /// Content-Length included, and no body.
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
        write_custom_rejection(&mut w, status, headers, body, &self.head)?;
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

#[cfg(test)]
mod tests {
    use super::{FieldSink, Fields, is_ip_literal, is_reg_name_byte, is_valid_host, reg_name_run};

    /// What the parser's general path makes of a line: the token run, a colon
    /// right after it, then `Fields::see`.
    fn general_path(line: &[u8]) -> (Fields, Option<usize>) {
        let mut f = Fields::default();
        let len = crate::token_list::tchar_run(line);
        if len > 0 && line.get(len) == Some(&b':') {
            f.see(0, &line[..len]);
            return (f, Some(len));
        }
        (f, None)
    }

    /// Whenever `recognize` takes a line, the general path finds the same
    /// name and records the same field; when it does not, it records nothing.
    fn check_recognize(line: &[u8]) {
        let mut f = Fields::default();
        match f.recognize(0, line) {
            Some(len) => {
                let (general, general_len) = general_path(line);
                assert_eq!(Some(len), general_len, "{line:?}");
                assert_eq!(f, general, "{line:?}");
            }
            None => assert_eq!(f, Fields::default(), "{line:?}"),
        }
    }

    #[test]
    fn recognized_names_agree_with_the_general_path_under_every_one_byte_change() {
        let names: [&[u8]; 20] = [
            b"user-agent",
            b"cache-control",
            b"accept-encoding",
            b"accept-language",
            b"pragma",
            b"up",
            b"host",
            b"origin",
            b"upgrade",
            b"connection",
            b"sec-websocket-key",
            b"sec-websocket-version",
            b"sec-websocket-protocol",
            b"sec-websocket-extensions",
            b"content-length",
            b"http2-settings",
            b"transfer-encoding",
            b"hostname",
            b"sec-websocket-keys",
            b"s",
        ];
        for name in names {
            for case in 0..4u32 {
                // Lower, upper, and two mixed spellings.
                let mut line: Vec<u8> = name
                    .iter()
                    .enumerate()
                    .map(|(i, &b)| match case {
                        0 => b,
                        1 => b.to_ascii_uppercase(),
                        _ if (i as u32 + case).is_multiple_of(2) => b.to_ascii_uppercase(),
                        _ => b,
                    })
                    .collect();
                line.extend_from_slice(b": value\r\n\r\n");
                check_recognize(&line);
                // A taken name is the general path's: recognition is checked
                // above; here every one-byte change at every position.
                for at in 0..=name.len() {
                    for b in 0..=255u8 {
                        let mut changed = line.clone();
                        changed[at] = b;
                        check_recognize(&changed);
                        // And cut short at every length.
                        check_recognize(&changed[..at]);
                    }
                }
            }
        }
    }

    #[test]
    fn common_names_are_recognized_in_any_case() {
        let mut f = Fields::default();
        assert_eq!(f.recognize(3, b"sEC-websocket-KEY: x"), Some(17));
        assert_eq!(f.key.first(), Some(3));
        assert_eq!(f.recognize(4, b"Host:x"), Some(4));
        assert_eq!(f.recognize(5, b"Host :x"), None);
        assert_eq!(f.recognize(6, b"Hos\x14:x"), None);
        assert_eq!(f.recognize(7, b"Content-Length: 0"), None, "left to `see`");
        assert_eq!(f.recognize(8, b"User-Agent: x"), Some(10));
        assert_eq!(f, {
            let mut only = Fields::default();
            only.key.see(3);
            only.host.see(4);
            only
        });
    }

    /// `is_valid_host` as first written (split at the first `:`, then check
    /// each part byte by byte): the oracle for the one-pass version.
    fn reference_valid_host(value: &[u8]) -> bool {
        let digits = |p: &[u8]| p.iter().all(u8::is_ascii_digit);
        let reg_name = |mut rest: &[u8]| {
            while let [first, tail @ ..] = rest {
                rest = match (*first, tail) {
                    (b'%', [h1, h2, more @ ..])
                        if h1.is_ascii_hexdigit() && h2.is_ascii_hexdigit() =>
                    {
                        more
                    }
                    (b, _) if is_reg_name_byte(b) => tail,
                    _ => return false,
                };
            }
            true
        };
        if let Some(rest) = value.strip_prefix(b"[") {
            let Some(close) = rest.iter().position(|&b| b == b']') else {
                return false;
            };
            let (literal, after) = rest.split_at(close);
            let port_ok = match &after[1..] {
                [] => true,
                [b':', port @ ..] => digits(port),
                _ => false,
            };
            return port_ok && is_ip_literal(literal);
        }
        match value.iter().position(|&b| b == b':') {
            Some(i) => reg_name(&value[..i]) && digits(&value[i + 1..]),
            None => reg_name(value),
        }
    }

    #[test]
    fn reg_name_run_matches_a_byte_loop_for_every_byte_at_every_position() {
        for len in 0..=19 {
            let base: Vec<u8> = b"Server-1.example.co"[..len].to_vec();
            assert_eq!(reg_name_run(&base), len);
            for at in 0..len {
                for b in 0..=255u8 {
                    let mut v = base.clone();
                    v[at] = b;
                    // A second odd byte further on must not change the answer.
                    for after in [None, Some(0xffu8), Some(b':')] {
                        let mut v = v.clone();
                        if let (Some(x), Some(slot)) = (after, v.get_mut(at + 1)) {
                            *slot = x;
                        }
                        let naive = v
                            .iter()
                            .position(|&c| !is_reg_name_byte(c))
                            .unwrap_or(v.len());
                        assert_eq!(reg_name_run(&v), naive, "{v:?}");
                    }
                }
            }
        }
    }

    #[test]
    fn one_pass_host_check_matches_the_reference() {
        let hosts: &[&[u8]] = &[
            b"",
            b":",
            b":80",
            b"example.com",
            b"Example.COM:8080",
            b"server.example.com:",
            b"127.0.0.1:36899",
            b"a%41b.example:1",
            b"a%4:1",
            b"[::1]",
            b"[::1]:80",
            b"[v1.x]:1",
            b"x[::1]",
            b"host:80:90",
            b"host:8a",
            b"under_score~!$&'()*+,;=.example:443",
        ];
        for host in hosts {
            assert_eq!(is_valid_host(host), reference_valid_host(host), "{host:?}");
            for at in 0..host.len() {
                for b in 0..=255u8 {
                    let mut v = host.to_vec();
                    v[at] = b;
                    assert_eq!(is_valid_host(&v), reference_valid_host(&v), "{v:?}");
                }
            }
        }
    }
}
