//! What a complete request head is: not an upgrade, an upgrade to a
//! protocol this server speaks, or an invalid request. Read top to bottom:
//! the upgrade target, the rules every upgrade meets (Host, Connection), then
//! RFC 6455 §4.2.1 and the server's policy for a WebSocket request, each rule
//! next to the rejection it produces.

use super::field_index::{
    Fields, connection_has, field_list, field_values, is_sole_element, span_in, value_at,
};
use super::h2c::h2c_settings_ok;
use super::{NotUpgrade, Outcome, UpgradeTarget};
use crate::accept_key::is_valid_key;
use crate::byte_scan::eq_lowercase_name;
use crate::error::RequestError;
use crate::extension_grammar::Extensions;
use crate::permessage_deflate::{Accepted, OfferReader, is_deflate_name};
use crate::request::{HeaderSpan, ParsedHead, RequestView, Span, is_absolute_form};
use crate::request_parser::RequestParser;
use crate::server_config::ServerConfig;

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
    pub(super) fn new(outcome: Outcome) -> Self {
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

/// Decides what a complete head is, from what the parser found in it.
#[inline(always)]
pub(super) fn analyze(
    head: &[u8],
    parser: &RequestParser,
    spans: &[HeaderSpan],
    f: &Fields,
    config: &ServerConfig,
) -> Analysis {
    if parser.is_http2_preface() {
        return Analysis::new(Outcome::NotUpgrade(NotUpgrade::Http2Preface));
    }
    analyze_indexed(head, parser.parsed(), spans, f, config)
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
    a.outcome = if f.upgrade().count == 0 {
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
    if config.websocket && is_sole_element(view, f.upgrade(), b"websocket") {
        return Some(UpgradeTarget::WebSocket);
    }
    field_list(view, f.upgrade(), b"upgrade").find_map(pick)
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
            a.http2_settings = value_at(view, f.http2_settings()).map(|v| span_in(view, v));
            check_body(view, f)?;
        }
    }
    Ok(())
}

/// The rules every upgrade request meets, whatever the protocol.
fn check_common(
    view: &RequestView<'_>,
    f: &Fields,
    config: &ServerConfig,
    target: UpgradeTarget,
) -> Result<(), UpgradeRefusal> {
    // RFC 9112 §3.2 (RFC 6455 §4.2.1 item 2): exactly one valid Host.
    match f.host().count {
        0 if !config.allow_missing_host => return Err(RequestError::MissingHost.into()),
        0 => {}
        1 if !value_at(view, f.host()).is_some_and(|h| {
            crate::host::is_valid_host(h)
                || (config.allow_unbracketed_ipv6_host && is_unbracketed_ipv6_host(h))
        }) =>
        {
            return Err(RequestError::InvalidHost.into());
        }
        1 => {}
        _ => return Err(RequestError::DuplicateHost.into()),
    }
    // RFC 9110 §7.8: an Upgrade not listed in Connection is not an upgrade
    // (for WebSocket, RFC 6455 makes it an error: see below).
    if target != UpgradeTarget::WebSocket && !connection_has(view, f, b"upgrade") {
        return Err(UpgradeRefusal::Ignore);
    }
    if !is_upgrade_target(view.method_bytes(), view.target_bytes()) {
        return Err(RequestError::InvalidTarget.into());
    }
    Ok(())
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

/// Applies RFC 6455 §4.2.1 and the server's policy to a WebSocket request
/// (items 1 to 9 of the section, in its order; item 2, Host, and item 3,
/// `Upgrade: websocket`, were checked before).
fn analyze_websocket(
    view: &RequestView<'_>,
    f: &Fields,
    config: &ServerConfig,
    a: &mut Analysis,
) -> Result<(), RequestError> {
    // 1. A GET request (HTTP/1.1 or higher: an HTTP/1.0 Upgrade was ignored).
    if view.method_bytes() != b"GET" {
        return Err(RequestError::MethodNotAllowed);
    }
    // 4. `Connection` lists `Upgrade`.
    if !connection_has(view, f, b"upgrade") {
        return Err(RequestError::MissingConnectionUpgrade);
    }
    // 6. `Sec-WebSocket-Version: 13`, exactly once (checked before the key:
    // a client of another version gets the 426 that tells it ours).
    match f.version().count {
        0 => return Err(RequestError::MissingVersion),
        1 => {}
        _ => return Err(RequestError::DuplicateVersion),
    }
    if value_at(view, f.version()) != Some(b"13") {
        return Err(RequestError::UnsupportedVersion);
    }
    // 5. One `Sec-WebSocket-Key`: base64 of 16 bytes.
    match f.key().count {
        0 => return Err(RequestError::MissingKey),
        1 => {}
        _ => return Err(RequestError::DuplicateKey),
    }
    let key = value_at(view, f.key()).unwrap_or_default();
    if !is_valid_key(key) {
        return Err(RequestError::InvalidKey);
    }
    a.key = span_in(view, key);
    // 7. `Origin`, at most once, among those allowed (a browser sends it).
    if f.origin().count > 1 {
        return Err(RequestError::DuplicateOrigin);
    }
    if !config.origin_allowed(value_at(view, f.origin())) {
        return Err(RequestError::OriginNotAllowed);
    }
    // A handshake request carries no body (RFC 6455 §4.1: a GET).
    check_body(view, f)?;
    // 8. `Sec-WebSocket-Protocol`: the subprotocol the policy picks.
    let chosen = if f.protocol().count > 0 {
        select_subprotocol(view, f, config)?
    } else {
        None
    };
    if chosen.is_none() && config.require_subprotocol {
        return Err(RequestError::NoSubprotocolMatch);
    }
    a.subprotocol = chosen.map(|c| span_in(view, c));
    // 9. `Sec-WebSocket-Extensions`: one pass validates every element and
    // negotiates permessage-deflate.
    match (f.extensions().count, value_at(view, f.extensions())) {
        (0, _) => {}
        // The usual single line is read directly, not through the iterator
        // over lines.
        (1, Some(line)) => read_extension_line(line, config, &mut a.deflate)?,
        _ => {
            for line in field_values(view, f.extensions(), b"sec-websocket-extensions") {
                read_extension_line(line, config, &mut a.deflate)?;
            }
        }
    }
    Ok(())
}

fn check_body(view: &RequestView<'_>, f: &Fields) -> Result<(), RequestError> {
    if f.transfer_encoding().count > 0 {
        return Err(RequestError::RequestHasBody);
    }
    if f.content_length().count > 1 {
        return Err(RequestError::InvalidContentLength);
    }
    if let Some(v) = value_at(view, f.content_length()) {
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
    match (f.protocol().count, value_at(view, f.protocol())) {
        // The usual single line goes in as itself, not through the iterator
        // over lines.
        (1, Some(line)) => config.select_subprotocol(core::iter::once(line)),
        _ => config.select_subprotocol(field_values(view, f.protocol(), b"sec-websocket-protocol")),
    }
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
