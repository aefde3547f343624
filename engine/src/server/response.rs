//! The responses the server writes: the 101 for an accepted upgrade, the
//! ready rejection for each request error (with the 405 and 426 headers chosen
//! by its status), and the application's own rejections.

use super::checklist::Analysis;
use super::field_index::span_in;
use super::{AcceptOptions, Outcome, SubprotocolChoice, UpgradeTarget};
use crate::accept_key::accept_key;
use crate::error::{RequestError, UsageError};
use crate::extension_grammar::{self, Extension, Extensions};
use crate::permessage_deflate::DeflateParams;
use crate::permessage_deflate::is_deflate_name;
use crate::request::{RequestView, Span};
use crate::response_writer::{ResponseWriter, check_header, is_safe_value};
use crate::server_config::ServerConfig;

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

/// Writes an application-chosen response (a rejection, or the answer to a
/// request that is not an upgrade) after validating it, in answer to `head`.
///
/// Statuses: 300..=599 for an upgrade request (a 2xx would look like the
/// upgrade went through without switching); 200..=599 when `plain`, the
/// request is not an upgrade. HTTP allows no content in a 204 or 304 (RFC 9110
/// §15.3.5, §15.4.5: a body is refused, and no Content-Length or Content-Type
/// is written) nor in the answer to a HEAD request (§9.3.2: the fields say
/// what a GET would get, Content-Length included, and the body is dropped).
/// When the application's fields carry `Upgrade` (a 426 naming what to
/// switch to), `Connection` lists `upgrade` too (§7.8).
pub(crate) fn write_custom_rejection(
    w: &mut ResponseWriter<'_>,
    status: u16,
    headers: &[(&str, &[u8])],
    body: &[u8],
    head: &[u8],
    plain: bool,
) -> Result<(), UsageError> {
    let lowest = if plain { 200 } else { 300 };
    if !(lowest..=599).contains(&status) {
        return Err(UsageError::InvalidStatus);
    }
    let no_content = status == 204 || status == 304;
    if no_content && !body.is_empty() {
        return Err(UsageError::BodyNotAllowed);
    }
    let (mut has_content_type, mut has_upgrade) = (false, false);
    for (name, value) in headers {
        check_header(name.as_bytes(), value, REJECT_RESERVED)?;
        has_content_type |= name.eq_ignore_ascii_case("content-type");
        has_upgrade |= name.eq_ignore_ascii_case("upgrade");
    }
    w.status_line(status);
    for (name, value) in headers {
        w.header(name.as_bytes(), value);
    }
    if !body.is_empty() && !has_content_type {
        w.header(b"Content-Type", b"text/plain; charset=utf-8");
    }
    let connection: &[u8] = if has_upgrade {
        b"upgrade, close"
    } else {
        b"close"
    };
    w.header(b"Connection", connection);
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
/// the client offered (§9.1: the server answers only offered extensions),
/// once: the same name twice is [`UsageError::InvalidExtension`] (a client
/// refuses a 101 that answers one extension twice).
pub(crate) fn check_extra_extensions<'a, I>(
    extras: &[&str],
    offers: impl Fn() -> I,
) -> Result<(), UsageError>
where
    I: Iterator<Item = Extension<'a>>,
{
    fn name_of(element: &[u8]) -> &[u8] {
        Extensions::new(element)
            .next()
            .map(|x| x.name_bytes())
            .unwrap_or_default()
    }
    for (i, e) in extras.iter().enumerate() {
        let element = e.as_bytes();
        if extension_grammar::validate(element) != Ok(1) || !is_safe_value(element) {
            return Err(UsageError::InvalidExtension);
        }
        let name = name_of(element);
        if is_deflate_name(name) {
            return Err(UsageError::ReservedExtension);
        }
        if !offers().any(|o| o.name_bytes().eq_ignore_ascii_case(name)) {
            return Err(UsageError::ExtensionNotOffered);
        }
        // The earlier elements passed the checks above, so each has a name.
        if extras
            .iter()
            .take(i)
            .any(|earlier| name_of(earlier.as_bytes()).eq_ignore_ascii_case(name))
        {
            return Err(UsageError::InvalidExtension);
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
        crate::permessage_deflate::write_answer(deflate.as_ref(), opts.extensions, |b| w.push(b));
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
