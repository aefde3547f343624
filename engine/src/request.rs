//! A parsed request head, stored as offsets into the head bytes so that a handle
//! can keep it without borrowing, and read back through [`RequestView`].

#[cfg(test)]
use crate::error::RequestError;
use crate::extension_grammar::{Extension, Extensions};
use crate::head_scanner::Limits;
use crate::token_list::CommaList;

/// A byte range in the head.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct Span {
    start: u32,
    end: u32,
}

impl Span {
    pub(crate) fn of(head: &[u8], part: &[u8]) -> Span {
        // Both slices come from the same allocation; the subtraction gives the
        // offset of `part` inside `head`.
        let start = (part.as_ptr() as usize).wrapping_sub(head.as_ptr() as usize);
        let end = start.wrapping_add(part.len());
        Span {
            start: u32::try_from(start).unwrap_or(u32::MAX),
            end: u32::try_from(end).unwrap_or(u32::MAX),
        }
    }

    /// A span of a head no longer than `Limits::MAX_HEAD_BYTES_CAP`, whose
    /// offsets always fit in `u32`.
    #[inline(always)]
    #[allow(clippy::cast_possible_truncation)]
    pub(crate) fn in_bounded_head(start: usize, end: usize) -> Span {
        const _: () = assert!(Limits::MAX_HEAD_BYTES_CAP < u32::MAX as usize);
        Span {
            start: start as u32,
            end: end as u32,
        }
    }

    pub(crate) fn new(start: usize, end: usize) -> Span {
        Span {
            start: u32::try_from(start).unwrap_or(u32::MAX),
            end: u32::try_from(end).unwrap_or(u32::MAX),
        }
    }

    pub(crate) fn is_empty(self) -> bool {
        self.start == self.end
    }

    /// This span's start with a new end, in a head no longer than
    /// `Limits::MAX_HEAD_BYTES_CAP`.
    #[allow(clippy::cast_possible_truncation)]
    pub(crate) fn ending_at(self, end: usize) -> Span {
        Span {
            start: self.start,
            end: end as u32,
        }
    }

    pub(crate) fn get(self, head: &[u8]) -> &[u8] {
        head.get(self.start as usize..self.end as usize)
            .unwrap_or_default()
    }
}

/// Where one header field's name and value are in the head (opaque outside
/// the engine: a handle's field index is a slice of them).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct HeaderSpan {
    pub(crate) name: Span,
    pub(crate) value: Span,
}

/// The request line and header count of a parsed head.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct ParsedHead {
    pub(crate) method: Span,
    pub(crate) target: Span,
    pub(crate) minor_version: u8,
    pub(crate) header_count: usize,
}

/// The test oracle for the request parser: httparse's parse of the head at
/// the start of `head`; None when it is not complete. Returns the parsed head
/// and its length.
#[cfg(test)]
pub(crate) fn parse_prefix(
    head: &[u8],
    spans: &mut [HeaderSpan],
) -> Result<Option<(ParsedHead, usize)>, RequestError> {
    let mut storage = [const { core::mem::MaybeUninit::<httparse::Header<'_>>::uninit() };
        Limits::MAX_HEADERS_CAP];
    let room = spans.len().min(Limits::MAX_HEADERS_CAP);
    let headers = storage.get_mut(..room).unwrap_or_default();
    let mut req = httparse::Request::new(&mut []);
    let head_len = match httparse::ParserConfig::default()
        .parse_request_with_uninit_headers(&mut req, head, headers)
    {
        Ok(httparse::Status::Complete(n)) => n,
        Ok(httparse::Status::Partial) => return Ok(None),
        Err(httparse::Error::TooManyHeaders) => return Err(RequestError::TooManyHeaders),
        Err(_) => return Err(RequestError::MalformedHead),
    };
    let (Some(method), Some(path), Some(version)) = (req.method, req.path, req.version) else {
        return Err(RequestError::MalformedHead);
    };
    // httparse lets bytes from 0x80 up into the target; RFC 9112 §3.2 (URI
    // syntax, RFC 3986) allows visible ASCII only, as the request parser
    // does (raw UTF-8 such as `/caf\xc3\xa9` or a right-to-left override is
    // refused), so the oracle refuses them too.
    if !path.bytes().all(|b| b.is_ascii_graphic()) {
        return Err(RequestError::MalformedHead);
    }
    let mut count = 0usize;
    for (slot, h) in spans.iter_mut().zip(req.headers.iter()) {
        *slot = HeaderSpan {
            name: Span::of(head, h.name.as_bytes()),
            value: Span::of(head, h.value),
        };
        count = count.saturating_add(1);
    }
    Ok(Some((
        ParsedHead {
            method: Span::of(head, method.as_bytes()),
            target: Span::of(head, path.as_bytes()),
            minor_version: version,
            header_count: count,
        },
        head_len,
    )))
}

/// A read-only view of a parsed request head.
#[derive(Debug, Clone, Copy)]
pub struct RequestView<'a> {
    head: &'a [u8],
    parsed: ParsedHead,
    headers: &'a [HeaderSpan],
}

/// Iterates the values of the header fields with one name, in order.
#[derive(Clone)]
pub struct HeaderValues<'a> {
    head: &'a [u8],
    headers: core::slice::Iter<'a, HeaderSpan>,
    /// None: every field in `headers` is known to have the name already.
    name: Option<&'a [u8]>,
}

impl<'a> Iterator for HeaderValues<'a> {
    type Item = &'a [u8];

    #[inline]
    fn next(&mut self) -> Option<&'a [u8]> {
        let head = self.head;
        match self.name {
            None => self.headers.next().map(|h| h.value.get(head)),
            Some(name) => self
                .headers
                .by_ref()
                .find(|h| h.name.get(head).eq_ignore_ascii_case(name))
                .map(|h| h.value.get(head)),
        }
    }
}

/// Iterates the elements of a comma-separated field that may span several lines.
#[derive(Clone)]
pub struct ListElements<'a> {
    values: HeaderValues<'a>,
    current: Option<CommaList<'a>>,
}

impl<'a> ListElements<'a> {
    pub(crate) fn new(values: HeaderValues<'a>) -> Self {
        ListElements {
            values,
            current: None,
        }
    }
}

impl<'a> Iterator for ListElements<'a> {
    type Item = &'a [u8];

    fn next(&mut self) -> Option<&'a [u8]> {
        loop {
            if let Some(e) = self.current.as_mut().and_then(|c| c.next()) {
                return Some(e);
            }
            self.current = Some(CommaList::new(self.values.next()?));
        }
    }
}

/// Iterates extension offers over every `Sec-WebSocket-Extensions` line.
pub struct ExtensionOffers<'a> {
    values: HeaderValues<'a>,
    current: Option<Extensions<'a>>,
}

impl<'a> Iterator for ExtensionOffers<'a> {
    type Item = Extension<'a>;

    fn next(&mut self) -> Option<Extension<'a>> {
        loop {
            if let Some(e) = self.current.as_mut().and_then(|c| c.next()) {
                return Some(e);
            }
            self.current = Some(Extensions::new(self.values.next()?));
        }
    }
}

impl<'a> RequestView<'a> {
    pub(crate) fn new(head: &'a [u8], parsed: ParsedHead, headers: &'a [HeaderSpan]) -> Self {
        let count = parsed.header_count.min(headers.len());
        RequestView {
            head,
            parsed,
            headers: headers.get(..count).unwrap_or_default(),
        }
    }

    fn text(&self, span: Span) -> &'a str {
        // The method is a token and the target visible ASCII (both parsers
        // refuse anything else), so both are valid UTF-8.
        core::str::from_utf8(span.get(self.head)).unwrap_or_default()
    }

    /// Name and value of field `index`, as raw bytes (no UTF-8 check).
    #[inline]
    pub(crate) fn raw_header(&self, index: usize) -> Option<(&'a [u8], &'a [u8])> {
        let h = self.headers.get(index)?;
        Some((h.name.get(self.head), h.value.get(self.head)))
    }

    /// Values of the fields named `name`, starting the search at field `first`.
    pub(crate) fn values_from(&self, first: usize, name: &'static [u8]) -> HeaderValues<'a> {
        HeaderValues {
            head: self.head,
            headers: self.headers.get(first..).unwrap_or_default().iter(),
            name: Some(name),
        }
    }

    /// The value of field `index` alone, as a one-item iterator.
    pub(crate) fn value_only(&self, index: usize) -> HeaderValues<'a> {
        HeaderValues {
            head: self.head,
            headers: self.headers.get(index..=index).unwrap_or_default().iter(),
            name: None,
        }
    }

    /// The raw head bytes, final empty line included.
    pub fn head(&self) -> &'a [u8] {
        self.head
    }

    /// The method as bytes.
    pub(crate) fn method_bytes(&self) -> &'a [u8] {
        self.parsed.method.get(self.head)
    }

    /// The target as bytes (no UTF-8 check).
    pub(crate) fn target_bytes(&self) -> &'a [u8] {
        self.parsed.target.get(self.head)
    }

    /// The method, e.g. `GET`.
    pub fn method(&self) -> &'a str {
        self.text(self.parsed.method)
    }

    /// The request target as sent, e.g. `/chat?room=1` or
    /// `http://example.com/chat?room=1`.
    pub fn target(&self) -> &'a str {
        self.text(self.parsed.target)
    }

    /// The path of the target, without the query: `/chat` for `/chat?room=1`,
    /// and for an absolute-form target without its scheme and authority
    /// (`/chat` for `http://example.com/chat?room=1`; `/` when the URI has no
    /// path, RFC 3986 §6.2.3). Other forms (`*`, `host:port`) as sent.
    pub fn path(&self) -> &'a str {
        let target = self.target();
        let (resource, absolute) = match split_absolute_form(target) {
            Some((_, rest)) => (rest, true),
            None => (target, false),
        };
        let end = resource.find(['?', '#']).unwrap_or(resource.len());
        let path = resource.get(..end).unwrap_or(resource);
        if absolute && path.is_empty() {
            "/"
        } else {
            path
        }
    }

    /// The query of the target (after `?`, before any `#`), if any.
    pub fn query(&self) -> Option<&'a str> {
        let t = resource_part(self.target());
        let t = t.split_once('#').map_or(t, |(r, _)| r);
        t.split_once('?').map(|(_, q)| q)
    }

    /// The minor HTTP version: 1 for HTTP/1.1, 0 for HTTP/1.0.
    pub fn minor_version(&self) -> u8 {
        self.parsed.minor_version
    }

    /// Number of header fields.
    pub fn header_count(&self) -> usize {
        self.headers.len()
    }

    /// The name and value of the header field at `index`, in the order sent.
    pub fn header_at(&self, index: usize) -> Option<(&'a str, &'a [u8])> {
        let h = self.headers.get(index)?;
        let name = core::str::from_utf8(h.name.get(self.head)).unwrap_or_default();
        Some((name, h.value.get(self.head)))
    }

    /// Iterates all header fields in order.
    pub fn headers(&self) -> impl Iterator<Item = (&'a str, &'a [u8])> + 'a {
        let head = self.head;
        self.headers.iter().map(move |h| {
            (
                core::str::from_utf8(h.name.get(head)).unwrap_or_default(),
                h.value.get(head),
            )
        })
    }

    /// The first value of the header field `name` (ASCII case-insensitive).
    pub fn header(&self, name: &str) -> Option<&'a [u8]> {
        let head = self.head;
        self.headers
            .iter()
            .find(|h| h.name.get(head).eq_ignore_ascii_case(name.as_bytes()))
            .map(|h| h.value.get(head))
    }

    /// The first value of `name` as text, when it is valid UTF-8.
    pub fn header_str(&self, name: &str) -> Option<&'a str> {
        self.header(name).and_then(|v| core::str::from_utf8(v).ok())
    }

    /// Every value of the header field `name`, in order.
    pub fn header_values<'n>(&self, name: &'n str) -> HeaderValues<'n>
    where
        'a: 'n,
    {
        HeaderValues {
            head: self.head,
            headers: self.headers.iter(),
            name: Some(name.as_bytes()),
        }
    }

    /// The elements of the comma-separated field `name` over all its lines.
    pub fn list<'n>(&self, name: &'n str) -> ListElements<'n>
    where
        'a: 'n,
    {
        ListElements {
            values: self.header_values(name),
            current: None,
        }
    }

    /// The host the request is for: the authority of an absolute-form target
    /// (`GET http://example.com:8080/chat`, userinfo left out), which RFC 9112
    /// §3.2.2 says rules over the `Host` field; otherwise the `Host` value.
    pub fn host(&self) -> Option<&'a str> {
        self.host_bytes().and_then(|h| core::str::from_utf8(h).ok())
    }

    /// [`RequestView::host`] as raw bytes (a `Host` value need not be text).
    pub fn host_bytes(&self) -> Option<&'a [u8]> {
        match absolute_form_authority(self.target()) {
            Some(authority) => Some(authority.as_bytes()),
            None => self.header("host"),
        }
    }

    /// The `Origin` value.
    pub fn origin(&self) -> Option<&'a str> {
        self.header_str("origin")
    }

    /// The subprotocols the client offered, in its order of preference.
    /// Elements that are not UTF-8 text are skipped (never reported as ""); a
    /// WebSocket upgrade request has none, as its list must be tokens.
    pub fn subprotocols(&self) -> impl Iterator<Item = &'a str> + 'a {
        ListElements {
            values: HeaderValues {
                head: self.head,
                headers: self.headers.iter(),
                name: Some(b"sec-websocket-protocol"),
            },
            current: None,
        }
        .filter_map(|e| core::str::from_utf8(e).ok())
    }

    /// The extension offers, in order, over every `Sec-WebSocket-Extensions` line.
    pub fn extensions(&self) -> ExtensionOffers<'a> {
        ExtensionOffers {
            values: HeaderValues {
                head: self.head,
                headers: self.headers.iter(),
                name: Some(b"sec-websocket-extensions"),
            },
            current: None,
        }
    }
}

/// An absolute-form target (`scheme "://" authority ...`, RFC 3986 §3) split
/// into its authority (userinfo included) and the rest (path, query,
/// fragment); None for every other form.
fn split_absolute_form(target: &str) -> Option<(&str, &str)> {
    let (scheme, rest) = target.split_once(':')?;
    let mut scheme_bytes = scheme.bytes();
    let scheme_ok = scheme_bytes.next().is_some_and(|b| b.is_ascii_alphabetic())
        && scheme_bytes.all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'-' | b'.'));
    let rest = rest.strip_prefix("//").filter(|_| scheme_ok)?;
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    Some((rest.get(..end)?, rest.get(end..)?))
}

/// True for an absolute-form target (RFC 9112 §3.2.2).
pub(crate) fn is_absolute_form(target: &[u8]) -> bool {
    core::str::from_utf8(target).is_ok_and(|t| split_absolute_form(t).is_some())
}

/// The target without the scheme and authority of an absolute form.
fn resource_part(target: &str) -> &str {
    split_absolute_form(target).map_or(target, |(_, rest)| rest)
}

/// The authority of an absolute-form target, without its userinfo; None for
/// every other form.
fn absolute_form_authority(target: &str) -> Option<&str> {
    let (authority, _) = split_absolute_form(target)?;
    Some(
        authority
            .rsplit_once('@')
            .map_or(authority, |(_, host)| host),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn absolute_form_authority_is_found_only_in_absolute_form() {
        for (target, authority) in [
            ("http://example.com:8080/chat?x", Some("example.com:8080")),
            ("ws://user:pw@host.example/", Some("host.example")),
            ("https://[::1]:443?q", Some("[::1]:443")),
            ("HTTP+x.y://a", Some("a")),
            ("/chat", None),
            ("/a://b", None),
            ("*", None),
            ("example.com:443", None),
            ("urn:example", None),
            ("1http://a/", None),
        ] {
            assert_eq!(absolute_form_authority(target), authority, "{target}");
        }
    }
}
