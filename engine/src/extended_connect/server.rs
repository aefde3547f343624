//! The server side: decide what a request's field list is, then accept it with
//! a `:status 200` field list or refuse it with a 4xx one.

use crate::error::UsageError;
use crate::extension_grammar::{self, Extension, Extensions};
use crate::permessage_deflate::{self, Accepted, DeflateParams};
use crate::server::{AcceptOptions, SubprotocolChoice};
use crate::server_config::ServerConfig;
use crate::token_list::CommaList;

use super::connect_error::ConnectError;
use super::field_output::{EmitFields, FieldWriter, field_output_methods};
use super::field_rules::{
    check_app_fields, is_connection_specific, is_valid_authority, is_valid_name, is_valid_path,
    is_valid_value,
};
use super::{Field, PROTOCOL, Scheme};

/// Why a request is not a WebSocket extended CONNECT; the host serves it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum NotWebSocket {
    /// No `:protocol` and the method is not CONNECT: an ordinary request.
    NotConnect,
    /// A classic CONNECT (no `:protocol`): a tunnel request for a proxy.
    PlainConnect,
    /// An extended CONNECT for another protocol (or WebSocket is turned off in the
    /// config). A host that does not handle it answers 501 (RFC 9220 §3), e.g.
    /// with [`reject`].
    OtherProtocol,
}

/// What a request's field list is.
#[derive(Debug, Clone, Copy)]
pub enum ConnectOutcome<'a> {
    /// A valid WebSocket request: inspect it, then accept or reject.
    WebSocket(ConnectRequest<'a>),
    /// An invalid WebSocket request; send [`rejection`] of it.
    Rejected(ConnectError),
    /// Not a WebSocket request; serve it as ordinary HTTP.
    NotWebSocket(NotWebSocket),
}

/// How often a field appears, and its first value.
#[derive(Debug, Clone, Copy, Default)]
struct Once<'a> {
    count: u8,
    value: &'a [u8],
}

impl<'a> Once<'a> {
    fn see(&mut self, value: &'a [u8]) {
        if self.count == 0 {
            self.value = value;
        }
        self.count = self.count.saturating_add(1);
    }

    fn get(&self) -> Option<&'a [u8]> {
        (self.count > 0).then_some(self.value)
    }
}

/// Everything one pass over the fields learns.
#[derive(Debug, Default)]
struct Scan<'a> {
    method: Once<'a>,
    protocol: Once<'a>,
    scheme: Once<'a>,
    path: Once<'a>,
    authority: Once<'a>,
    version: Once<'a>,
    origin: Once<'a>,
    /// Some `:protocol` names WebSocket.
    websocket: bool,
    key_or_accept: bool,
    content_length: bool,
    host: bool,
    /// The first field-level error, in field order.
    first_error: Option<ConnectError>,
}

impl<'a> Scan<'a> {
    fn fail(&mut self, e: ConnectError) {
        self.first_error.get_or_insert(e);
    }

    fn pseudo(&mut self, name: &[u8], value: &'a [u8]) {
        let slot = match name {
            b":method" => &mut self.method,
            b":protocol" => {
                self.websocket |= value.eq_ignore_ascii_case(PROTOCOL.as_bytes());
                &mut self.protocol
            }
            b":scheme" => &mut self.scheme,
            b":path" => &mut self.path,
            b":authority" => &mut self.authority,
            _ => return self.fail(ConnectError::UnknownPseudoHeader),
        };
        slot.see(value);
    }

    fn regular(&mut self, name: &[u8], value: &'a [u8]) {
        if !is_valid_name(name) {
            return self.fail(ConnectError::InvalidFieldName);
        }
        if is_connection_specific(name, value) {
            self.fail(ConnectError::ConnectionSpecificField);
        }
        match name {
            b"sec-websocket-version" => self.version.see(value),
            b"origin" => self.origin.see(value),
            b"host" => self.host = true,
            b"content-length" => self.content_length = true,
            b"sec-websocket-key" | b"sec-websocket-accept" => self.key_or_accept = true,
            _ => {}
        }
    }
}

fn scan<'a>(fields: &'a [Field<'a>]) -> Scan<'a> {
    let mut s = Scan::default();
    let mut regular_seen = false;
    for &(name, value) in fields {
        if name.first() == Some(&b':') {
            if regular_seen {
                s.fail(ConnectError::MisplacedPseudoHeader);
            }
            s.pseudo(name, value);
        } else {
            regular_seen = true;
            s.regular(name, value);
        }
        if !is_valid_value(value) {
            s.fail(ConnectError::InvalidFieldValue);
        }
    }
    s
}

/// Every value of the regular field `name` (lowercase), in order.
pub(crate) fn values<'a, 'n>(
    fields: &'a [Field<'a>],
    name: &'n [u8],
) -> impl Iterator<Item = &'a [u8]> + Clone + 'n
where
    'a: 'n,
{
    fields.iter().filter(move |f| f.0 == name).map(|f| f.1)
}

/// The elements of the list field `name` over all its fields.
pub(crate) fn list<'a, 'n>(
    fields: &'a [Field<'a>],
    name: &'n [u8],
) -> impl Iterator<Item = &'a [u8]> + Clone + 'n
where
    'a: 'n,
{
    values(fields, name).flat_map(CommaList::new)
}

/// Applies RFC 8441 §4-§5, RFC 9113 §8.3.1 and the server's policy.
fn check<'a>(
    config: &ServerConfig,
    fields: &'a [Field<'a>],
    s: &Scan<'a>,
) -> Result<ConnectRequest<'a>, ConnectError> {
    if let Some(e) = s.first_error {
        return Err(e);
    }
    let pseudo = [s.method, s.protocol, s.scheme, s.path, s.authority];
    if pseudo.iter().any(|p| p.count > 1) {
        return Err(ConnectError::DuplicatePseudoHeader);
    }
    if s.method.get() != Some(b"CONNECT") {
        return Err(ConnectError::MethodNotConnect);
    }
    let scheme = s.scheme.get().ok_or(ConnectError::MissingScheme)?;
    let scheme = Scheme::from_bytes(scheme).ok_or(ConnectError::InvalidScheme)?;
    let path = s.path.get().filter(|p| !p.is_empty());
    let path = path.ok_or(ConnectError::MissingPath)?;
    if !is_valid_path(path) {
        return Err(ConnectError::InvalidPath);
    }
    let authority = s.authority.get().filter(|a| !a.is_empty());
    let authority = authority.ok_or(ConnectError::MissingAuthority)?;
    if !is_valid_authority(authority) {
        return Err(ConnectError::InvalidAuthority);
    }
    // RFC 9113 §8.3.1: a Host that names another entity makes the request malformed.
    if s.host && values(fields, b"host").any(|h| !h.eq_ignore_ascii_case(authority)) {
        return Err(ConnectError::HostMismatch);
    }
    if s.content_length {
        return Err(ConnectError::RequestHasContent);
    }
    if s.key_or_accept {
        return Err(ConnectError::KeyNotAllowed);
    }
    match s.version.count {
        0 => return Err(ConnectError::MissingVersion),
        1 => {}
        _ => return Err(ConnectError::DuplicateVersion),
    }
    if s.version.value != b"13" {
        return Err(ConnectError::UnsupportedVersion);
    }
    if s.origin.count > 1 {
        return Err(ConnectError::DuplicateOrigin);
    }
    if !config.origin_allowed(s.origin.get()) {
        return Err(ConnectError::OriginNotAllowed);
    }
    let subprotocol = config
        .select_subprotocol(values(fields, b"sec-websocket-protocol"))
        .map_err(|_| ConnectError::InvalidSubprotocolList)?;
    if subprotocol.is_none() && config.require_subprotocol {
        return Err(ConnectError::NoSubprotocolMatch);
    }
    for v in values(fields, b"sec-websocket-extensions") {
        extension_grammar::validate(v).map_err(|_| ConnectError::InvalidExtensionList)?;
    }
    let deflate = config.deflate.as_ref().and_then(|d| {
        let offers = values(fields, b"sec-websocket-extensions").flat_map(Extensions::new);
        permessage_deflate::negotiate(offers, d)
    });
    Ok(ConnectRequest {
        fields,
        scheme,
        path,
        authority,
        origin: s.origin.get(),
        subprotocol,
        deflate,
    })
}

/// Decides what a request is, from the field list the host's HTTP/2 or HTTP/3
/// stack decoded (pseudo-header fields first, names as received). Allocates
/// nothing; the cost is linear in the fields' size.
///
/// Only a request with `:protocol` naming `websocket` (ASCII case-insensitive,
/// like every upgrade token) is checked; every other request is
/// [`ConnectOutcome::NotWebSocket`] and left to the host.
pub fn analyze_request<'a>(config: &ServerConfig, fields: &'a [Field<'a>]) -> ConnectOutcome<'a> {
    let s = scan(fields);
    if s.protocol.count == 0 {
        return ConnectOutcome::NotWebSocket(if s.method.get() == Some(b"CONNECT") {
            NotWebSocket::PlainConnect
        } else {
            NotWebSocket::NotConnect
        });
    }
    if !s.websocket || !config.websocket {
        return ConnectOutcome::NotWebSocket(NotWebSocket::OtherProtocol);
    }
    match check(config, fields, &s) {
        Ok(request) => ConnectOutcome::WebSocket(request),
        Err(e) => ConnectOutcome::Rejected(e),
    }
}

/// A valid WebSocket extended CONNECT request, borrowed from the caller's fields.
#[derive(Debug, Clone, Copy)]
pub struct ConnectRequest<'a> {
    fields: &'a [Field<'a>],
    scheme: Scheme,
    path: &'a [u8],
    authority: &'a [u8],
    origin: Option<&'a [u8]>,
    subprotocol: Option<&'a [u8]>,
    deflate: Option<Accepted>,
}

/// Names an accept writes itself, or that HTTP/2, HTTP/3 or a 2xx response to
/// CONNECT (RFC 9110 §8.6) do not allow.
const ACCEPT_RESERVED: &[&str] = &[
    "sec-websocket-protocol",
    "sec-websocket-extensions",
    "sec-websocket-accept",
    "sec-websocket-key",
    "sec-websocket-version",
    "content-length",
    "te",
];

pub(crate) fn text(bytes: &[u8]) -> &str {
    // Callers pass bytes already checked to be ASCII.
    core::str::from_utf8(bytes).unwrap_or_default()
}

impl<'a> ConnectRequest<'a> {
    /// Every field of the request, as the host passed them.
    pub fn fields(&self) -> &'a [Field<'a>] {
        self.fields
    }

    /// The first value of the regular field `name` (lowercase).
    pub fn field(&self, name: &str) -> Option<&'a [u8]> {
        values(self.fields, name.as_bytes()).next()
    }

    /// `:scheme`: `https` for a `wss` URI, `http` for `ws`.
    pub fn scheme(&self) -> Scheme {
        self.scheme
    }

    /// `:path`: the path and query of the WebSocket URI.
    pub fn path(&self) -> &'a str {
        text(self.path)
    }

    /// `:authority`: the host and port of the WebSocket URI.
    pub fn authority(&self) -> &'a str {
        text(self.authority)
    }

    /// The `origin` value, when present.
    pub fn origin(&self) -> Option<&'a [u8]> {
        self.origin
    }

    /// The subprotocols the client offered, in its order of preference.
    pub fn subprotocols(&self) -> impl Iterator<Item = &'a str> + 'a {
        list(self.fields, b"sec-websocket-protocol").map(text)
    }

    /// The extension offers, in order, over every `sec-websocket-extensions` field.
    pub fn extensions(&self) -> impl Iterator<Item = Extension<'a>> + 'a {
        values(self.fields, b"sec-websocket-extensions").flat_map(Extensions::new)
    }

    /// The subprotocol the configured policy picks.
    pub fn subprotocol(&self) -> Option<&'a str> {
        self.subprotocol.map(text)
    }

    /// The permessage-deflate parameters the policy would agree to.
    pub fn deflate(&self) -> Option<DeflateParams> {
        self.deflate.map(|d| d.params)
    }

    /// Accepts the request: a `:status 200` field list with the selected
    /// subprotocol and extensions and the application's fields (names lowercased).
    /// The options mean what they mean for HTTP/1.1.
    pub fn accept<'o>(&self, opts: &AcceptOptions<'o>) -> Result<ConnectResponse<'o>, UsageError>
    where
        'a: 'o,
    {
        check_app_fields(opts.headers, ACCEPT_RESERVED)?;
        crate::server::check_extra_extensions(opts.extensions, || self.extensions())?;
        let subprotocol = match opts.subprotocol {
            SubprotocolChoice::Policy => self.subprotocol,
            SubprotocolChoice::None => None,
            SubprotocolChoice::Named(name) => Some(
                list(self.fields, b"sec-websocket-protocol")
                    .find(|o| *o == name.as_bytes())
                    .ok_or(UsageError::SubprotocolNotOffered)?,
            ),
        };
        Ok(ConnectResponse {
            status: 200,
            subprotocol,
            deflate: if opts.decline_deflate {
                None
            } else {
                self.deflate
            },
            extensions: opts.extensions,
            headers: opts.headers,
            names_version: false,
        })
    }
}

/// The ready-made rejection for `e`: `:status` and, for a version problem,
/// `sec-websocket-version: 13`. A body, if the host sends one, is its own
/// (`e.description()` will do).
pub fn rejection(e: ConnectError) -> ConnectResponse<'static> {
    ConnectResponse {
        status: e.status(),
        subprotocol: None,
        deflate: None,
        extensions: &[],
        headers: &[],
        names_version: e.names_version(),
    }
}

/// A rejection with the application's own status (300..=599) and fields (token
/// names, lowercased on output; no connection-specific fields). The body, if
/// any, is the host's to send.
pub fn reject<'o>(
    status: u16,
    headers: &'o [(&'o str, &'o [u8])],
) -> Result<ConnectResponse<'o>, UsageError> {
    if !(300..=599).contains(&status) {
        return Err(UsageError::InvalidStatus);
    }
    check_app_fields(headers, &["te"])?;
    Ok(ConnectResponse {
        status,
        subprotocol: None,
        deflate: None,
        extensions: &[],
        headers,
        names_version: false,
    })
}

/// The server's response field list, ready to hand to the HTTP/2 or HTTP/3 stack:
/// `:status` first, then regular fields, all names lowercase.
#[derive(Debug, Clone, Copy)]
pub struct ConnectResponse<'r> {
    status: u16,
    subprotocol: Option<&'r [u8]>,
    deflate: Option<Accepted>,
    extensions: &'r [&'r str],
    headers: &'r [(&'r str, &'r [u8])],
    names_version: bool,
}

/// The three ASCII digits of a status in 100..=999.
pub(crate) fn status_digits(status: u16) -> [u8; 3] {
    let digit = |n: u16| b'0'.wrapping_add((n % 10) as u8);
    [digit(status / 100), digit(status / 10), digit(status)]
}

impl EmitFields for ConnectResponse<'_> {
    fn emit<S: FieldWriter>(&self, sink: &mut S) {
        sink.field(b":status", &status_digits(self.status));
        if let Some(p) = self.subprotocol {
            sink.field(b"sec-websocket-protocol", p);
        }
        if self.deflate.is_some() || !self.extensions.is_empty() {
            sink.name(b"sec-websocket-extensions", false);
            permessage_deflate::write_answer(self.deflate.as_ref(), self.extensions, |b| {
                sink.value(b)
            });
            sink.end();
        }
        if self.names_version {
            sink.field(b"sec-websocket-version", b"13");
        }
        for (name, value) in self.headers {
            sink.name(name.as_bytes(), true);
            sink.value(value);
            sink.end();
        }
    }
}

impl<'r> ConnectResponse<'r> {
    /// The `:status` value.
    pub fn status(&self) -> u16 {
        self.status
    }

    /// True for an accept (`:status 200`): once the host has sent the fields,
    /// the stream carries WebSocket frames.
    pub fn is_accept(&self) -> bool {
        self.status == 200
    }

    /// The selected subprotocol.
    pub fn subprotocol(&self) -> Option<&'r str> {
        self.subprotocol.map(text)
    }

    /// The negotiated permessage-deflate parameters, for the framing layer.
    pub fn deflate(&self) -> Option<DeflateParams> {
        self.deflate.map(|d| d.params)
    }

    field_output_methods!("");
}
