//! A parsed response head, stored as offsets into the head bytes so that the
//! client handle keeps it without borrowing, and read back through
//! [`ResponseView`].

use core::mem::MaybeUninit;

use crate::error::ResponseError;
use crate::head_scanner::Limits;
use crate::request::Span;
use crate::token_list::CommaList;

/// Where one header field's name and value are in the head.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct FieldSpan {
    name: Span,
    value: Span,
}

/// The status line and header count of a parsed response head.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct ParsedResponse {
    pub(crate) status: u16,
    pub(crate) reason: Span,
    pub(crate) minor_version: u8,
    pub(crate) header_count: usize,
}

/// The offset of `part` inside `head`, when `part` lies inside it.
pub(crate) fn offset_in(head: &[u8], part: &[u8]) -> Option<usize> {
    let start = (part.as_ptr() as usize).checked_sub(head.as_ptr() as usize)?;
    (start.checked_add(part.len())? <= head.len()).then_some(start)
}

/// The span of `part` inside `head` (empty when it is not inside).
pub(crate) fn span_of(head: &[u8], part: &[u8]) -> Span {
    match offset_in(head, part) {
        Some(start) => Span::new(start, start.saturating_add(part.len())),
        None => Span::default(),
    }
}

/// Parses a complete response head (ending in an empty line) into `spans`.
pub(crate) fn parse_response_head(
    head: &[u8],
    spans: &mut [FieldSpan],
) -> Result<ParsedResponse, ResponseError> {
    let mut storage =
        [const { MaybeUninit::<httparse::Header<'_>>::uninit() }; Limits::MAX_HEADERS_CAP];
    let room = spans.len().min(Limits::MAX_HEADERS_CAP);
    let headers = storage.get_mut(..room).unwrap_or_default();
    let mut resp = httparse::Response::new(&mut []);
    match httparse::ParserConfig::default()
        .parse_response_with_uninit_headers(&mut resp, head, headers)
    {
        Ok(httparse::Status::Complete(_)) => {}
        Ok(httparse::Status::Partial) => return Err(ResponseError::MalformedHead),
        Err(httparse::Error::TooManyHeaders) => return Err(ResponseError::TooManyHeaders),
        Err(_) => return Err(ResponseError::MalformedHead),
    }
    let (Some(version), Some(status)) = (resp.version, resp.code) else {
        return Err(ResponseError::MalformedHead);
    };
    if !(100..=599).contains(&status) {
        return Err(ResponseError::InvalidStatus);
    }
    let mut count = 0usize;
    for (slot, h) in spans.iter_mut().zip(resp.headers.iter()) {
        *slot = FieldSpan {
            name: span_of(head, h.name.as_bytes()),
            value: span_of(head, h.value),
        };
        count = count.saturating_add(1);
    }
    Ok(ParsedResponse {
        status,
        reason: span_of(head, resp.reason.unwrap_or_default().as_bytes()),
        minor_version: version,
        header_count: count,
    })
}

/// A read-only view of a parsed response head.
#[derive(Debug, Clone, Copy)]
pub struct ResponseView<'a> {
    head: &'a [u8],
    parsed: ParsedResponse,
    headers: &'a [FieldSpan],
}

impl<'a> ResponseView<'a> {
    pub(crate) fn new(head: &'a [u8], parsed: ParsedResponse, headers: &'a [FieldSpan]) -> Self {
        let count = parsed.header_count.min(headers.len());
        ResponseView {
            head,
            parsed,
            headers: headers.get(..count).unwrap_or_default(),
        }
    }

    /// The raw head bytes, final empty line included.
    pub fn head(&self) -> &'a [u8] {
        self.head
    }

    /// The status code (100..=599).
    pub fn status(&self) -> u16 {
        self.parsed.status
    }

    /// The reason phrase as sent (empty when absent or not valid text).
    pub fn reason(&self) -> &'a str {
        core::str::from_utf8(self.parsed.reason.get(self.head)).unwrap_or_default()
    }

    /// The minor HTTP version: 1 for HTTP/1.1, 0 for HTTP/1.0.
    pub fn minor_version(&self) -> u8 {
        self.parsed.minor_version
    }

    /// Number of header fields.
    pub fn header_count(&self) -> usize {
        self.headers.len()
    }

    /// The name and value of the header field at `index`, in the order received.
    pub fn header_at(&self, index: usize) -> Option<(&'a str, &'a [u8])> {
        let h = self.headers.get(index)?;
        Some((self.name_of(h), h.value.get(self.head)))
    }

    fn name_of(&self, h: &FieldSpan) -> &'a str {
        // httparse only accepts token bytes in names.
        core::str::from_utf8(h.name.get(self.head)).unwrap_or_default()
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
        self.header_values(name).next()
    }

    /// The first value of `name` as text, when it is valid UTF-8.
    pub fn header_str(&self, name: &str) -> Option<&'a str> {
        self.header(name).and_then(|v| core::str::from_utf8(v).ok())
    }

    /// Every value of the header field `name` (ASCII case-insensitive), in order.
    pub fn header_values<'n>(&self, name: &'n str) -> impl Iterator<Item = &'a [u8]> + 'n
    where
        'a: 'n,
    {
        let head = self.head;
        self.headers
            .iter()
            .filter(move |h| h.name.get(head).eq_ignore_ascii_case(name.as_bytes()))
            .map(move |h| h.value.get(head))
    }

    /// How many fields are named `name` (ASCII case-insensitive).
    pub fn header_occurrences(&self, name: &str) -> usize {
        self.header_values(name).count()
    }

    /// The elements of the comma-separated field `name` over all its lines.
    pub fn list<'n>(&self, name: &'n str) -> impl Iterator<Item = &'a [u8]> + 'n
    where
        'a: 'n,
    {
        self.header_values(name).flat_map(CommaList::new)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(head: &[u8]) -> Result<(ParsedResponse, Vec<FieldSpan>), ResponseError> {
        let mut spans = vec![FieldSpan::default(); 8];
        let p = parse_response_head(head, &mut spans)?;
        Ok((p, spans))
    }

    #[test]
    fn view_accessors() {
        let head = b"HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: Basic\r\n\
                     Vary: a\r\nvary: b, c\r\nContent-Length: 0\r\n\r\n";
        let (p, spans) = parse(head).unwrap();
        let v = ResponseView::new(head, p, &spans);
        assert_eq!(v.status(), 401);
        assert_eq!(v.reason(), "Unauthorized");
        assert_eq!(v.minor_version(), 1);
        assert_eq!(v.header_count(), 4);
        assert_eq!(v.header("www-authenticate"), Some(&b"Basic"[..]));
        assert_eq!(v.header_str("VARY"), Some("a"));
        assert_eq!(v.header_occurrences("vary"), 2);
        assert_eq!(v.list("vary").collect::<Vec<_>>(), [&b"a"[..], b"b", b"c"]);
        assert_eq!(v.header_at(3), Some(("Content-Length", &b"0"[..])));
        assert_eq!(v.header_at(4), None);
        assert_eq!(v.headers().count(), 4);
        assert_eq!(v.header("missing"), None);
        assert_eq!(v.head(), head);
    }

    #[test]
    fn status_line_variants() {
        let (p, _) = parse(b"HTTP/1.0 200\r\n\r\n").unwrap();
        assert_eq!((p.status, p.minor_version), (200, 0));
        assert_eq!(
            parse(b"HTTP/1.1 600 X\r\n\r\n").unwrap_err(),
            ResponseError::InvalidStatus
        );
        assert_eq!(
            parse(b"HTTP/1.1 099 X\r\n\r\n").unwrap_err(),
            ResponseError::InvalidStatus
        );
        for bad in [
            &b"HTTP/2 101 X\r\n\r\n"[..],
            b"HTTP/1.1 1011 X\r\n\r\n",
            b"ICY 200 OK\r\n\r\n",
            b"HTTP/1.1 101 X\r\nBad Name: v\r\n\r\n",
        ] {
            assert_eq!(
                parse(bad).unwrap_err(),
                ResponseError::MalformedHead,
                "{bad:?}"
            );
        }
    }
}
