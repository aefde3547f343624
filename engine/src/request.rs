//! A parsed request head, stored as offsets into the head bytes so that a handle
//! can keep it without borrowing, and read back through [`RequestView`].

use core::mem::MaybeUninit;

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
    fn in_bounded_head(start: usize, end: usize) -> Span {
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

    pub(crate) fn get(self, head: &[u8]) -> &[u8] {
        head.get(self.start as usize..self.end as usize)
            .unwrap_or_default()
    }
}

/// Where one header field's name and value are in the head.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct HeaderSpan {
    name: Span,
    value: Span,
}

/// The request line and header count of a parsed head.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct ParsedHead {
    pub(crate) method: Span,
    pub(crate) target: Span,
    pub(crate) minor_version: u8,
    pub(crate) header_count: usize,
}

/// Parses a complete head (ending in an empty line) into `spans`.
pub(crate) fn parse_head(
    head: &[u8],
    spans: &mut [HeaderSpan],
) -> Result<ParsedHead, RequestError> {
    match parse_prefix(head, spans)? {
        Some((parsed, _)) => Ok(parsed),
        None => Err(RequestError::MalformedHead),
    }
}

/// Parses the head at the start of `head`; None when it is not complete.
/// Returns the parsed head and its length.
pub(crate) fn parse_prefix(
    head: &[u8],
    spans: &mut [HeaderSpan],
) -> Result<Option<(ParsedHead, usize)>, RequestError> {
    let mut storage =
        [const { MaybeUninit::<httparse::Header<'_>>::uninit() }; Limits::MAX_HEADERS_CAP];
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
    // syntax, RFC 3986) allows visible ASCII only, as the strict parser
    // does. Raw UTF-8 (`/caf\xc3\xa9`, a right-to-left override) is refused
    // here too, so no path decides differently or hands them on.
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

/// Test oracle for [`parse_strict`]: true when a head parsed by httparse also
/// meets the rules and limits the incremental scanner enforces (CRLF line
/// ends, line lengths). The strict parser must decide only such heads.
#[cfg(test)]
pub(crate) fn fast_path_ok(
    head: &[u8],
    parsed: &ParsedHead,
    spans: &[HeaderSpan],
    limits: &Limits,
) -> bool {
    let crlf_at = |pos: usize| head.get(pos..pos.saturating_add(2)) == Some(b"\r\n");
    // " HTTP/1.x" follows the target; empty lines before the method are rare and
    // left to the scanner.
    let request_line_end = (parsed.target.end as usize).saturating_add(9);
    if parsed.method.start != 0
        || !crlf_at(request_line_end)
        || request_line_end > limits.max_request_line
    {
        return false;
    }
    for h in spans.get(..parsed.header_count).unwrap_or_default() {
        let (name_start, name_end) = (h.name.start as usize, h.name.end as usize);
        let mut end = h.value.end as usize;
        if (h.value.start as usize) < name_end || end > head.len() {
            return false;
        }
        while matches!(head.get(end), Some(b' ' | b'\t')) {
            end = end.saturating_add(1);
        }
        if !crlf_at(end) || end.saturating_sub(name_start) > limits.max_header_line {
            return false;
        }
    }
    head.len() <= limits.max_head_bytes && head.ends_with(b"\r\n\r\n")
}

/// What the one-pass parser tells about the header fields it finds.
pub(crate) trait FieldSink {
    /// When `line` starts with a name the sink looks for (any case) directly
    /// followed by `:`, records field `index` and returns the name's length,
    /// so the parser need not scan the name. The default knows no name.
    fn recognize(&mut self, _index: usize, _line: &[u8]) -> Option<usize> {
        None
    }
    /// Field `index` has `name` (a token); called for the fields `recognize`
    /// did not take.
    fn see(&mut self, index: usize, name: &[u8]);
}

/// Parses a head that is strictly well-formed in one pass over the bytes,
/// telling `fields` about each header field as it is found.
///
/// Accepts a subset of what httparse plus the scanner's line rules accept (a
/// token method, a visible-ASCII target, `HTTP/1.0` or `HTTP/1.1`, token names
/// followed directly by `:`, CRLF line ends, no folding, no leading empty
/// lines, within `limits` and `spans.len()` fields) and records the same
/// positions. None means "not decided here": the caller takes the scanner
/// path, which classifies incomplete and invalid heads exactly.
#[inline]
pub(crate) fn parse_strict(
    input: &[u8],
    spans: &mut [HeaderSpan],
    limits: &Limits,
    fields: &mut impl FieldSink,
) -> Option<(ParsedHead, usize)> {
    // Offsets into at most `max_head_bytes` (capped at 1 MiB) fit in u32.
    let input = input.get(
        ..input
            .len()
            .min(limits.max_head_bytes.min(Limits::MAX_HEAD_BYTES_CAP)),
    )?;
    let method_end = token_prefix_len(input)?;
    let after_method = input.get(method_end..)?;
    let [b' ', after_space @ ..] = after_method else {
        return None;
    };
    let target_len = crate::byte_scan::find(after_space, crate::byte_scan::NotVisibleAscii);
    let target_start = method_end.wrapping_add(1);
    let target_end = target_start.wrapping_add(target_len);
    let minor_version = match after_space.get(target_len..target_len.wrapping_add(11))? {
        b" HTTP/1.1\r\n" => 1,
        b" HTTP/1.0\r\n" => 0,
        _ => return None,
    };
    if method_end == 0 || target_len == 0 || target_end.wrapping_add(9) > limits.max_request_line {
        return None;
    }
    let head_len = |rest: &[u8]| input.len().wrapping_sub(rest.len());
    let mut rest = input.get(target_end.wrapping_add(11)..)?;
    let mut count = 0usize;
    let mut slots = spans.iter_mut();
    loop {
        if rest.starts_with(b"\r\n") {
            // The empty line ends the head.
            return Some((
                ParsedHead {
                    method: Span::in_bounded_head(0, method_end),
                    target: Span::in_bounded_head(target_start, target_end),
                    minor_version,
                    header_count: count,
                },
                head_len(rest).wrapping_add(2),
            ));
        }
        let recognized = fields.recognize(count, rest);
        let (name, after_colon) = match recognized {
            Some(len) => match rest.split_at_checked(len)? {
                (name, [b':', after_colon @ ..]) => (name, after_colon),
                _ => return None,
            },
            None => {
                // Names are nearly always letters, digits and `-` up to the
                // colon; other token bytes take the general run.
                let name_len = crate::byte_scan::find(rest, crate::byte_scan::NotNameByte);
                match rest.split_at_checked(name_len) {
                    Some((name, [b':', after_colon @ ..])) => (name, after_colon),
                    _ => split_general_name(rest)?,
                }
            }
        };
        if name.is_empty() {
            return None;
        }
        // Usually exactly one space; more OWS takes the loop.
        let mut value_and_rest = match after_colon {
            [b' ', more @ ..] => more,
            _ => after_colon,
        };
        while let [b' ' | b'\t', more @ ..] = value_and_rest {
            value_and_rest = more;
        }
        let (mut value, next_line) = split_at_line_end(value_and_rest)?;
        let name_start = head_len(rest);
        // The line's length without its CRLF.
        if head_len(next_line).wrapping_sub(name_start).wrapping_sub(2) > limits.max_header_line {
            return None;
        }
        while let [more @ .., b' ' | b'\t'] = value {
            value = more;
        }
        let value_start = head_len(value_and_rest);
        *slots.next()? = HeaderSpan {
            name: Span::in_bounded_head(name_start, name_start.wrapping_add(name.len())),
            value: Span::in_bounded_head(value_start, value_start.wrapping_add(value.len())),
        };
        if recognized.is_none() {
            fields.see(count, name);
        }
        count = count.wrapping_add(1);
        rest = next_line;
    }
}

/// A name with token bytes other than letters, digits and `-` (rare, so out
/// of line): the name and what follows its colon, or None when the name is
/// not followed directly by one.
#[cold]
#[inline(never)]
fn split_general_name(line: &[u8]) -> Option<(&[u8], &[u8])> {
    match line.split_at_checked(crate::token_list::tchar_run(line))? {
        (name, [b':', after_colon @ ..]) => Some((name, after_colon)),
        _ => None,
    }
}

/// Length of the run of `tchar` bytes at the start of `input`; None when the
/// run reaches the end (the line is not complete).
#[inline(always)]
fn token_prefix_len(input: &[u8]) -> Option<usize> {
    let len = crate::token_list::tchar_run(input);
    (len < input.len()).then_some(len)
}

/// Splits a field value from the rest of the head at the CRLF that ends its
/// line, returning the value and the bytes after the CRLF. Value bytes are
/// HTAB, SP, visible ASCII and obs-text (httparse's set); any other control
/// byte, a CR without LF, or no line end gives None.
#[inline(always)]
fn split_at_line_end(value_and_rest: &[u8]) -> Option<(&[u8], &[u8])> {
    let mut at = 0usize;
    loop {
        at = at.wrapping_add(crate::byte_scan::find(
            value_and_rest.get(at..)?,
            crate::byte_scan::ControlByte,
        ));
        match value_and_rest.split_at_checked(at)? {
            (value, [b'\r', b'\n', next_line @ ..]) => return Some((value, next_line)),
            (_, [b'\t', ..]) => at = at.wrapping_add(1),
            _ => return None,
        }
    }
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

    /// Every field as raw bytes, in order.
    #[inline]
    pub(crate) fn raw_headers(&self) -> impl Iterator<Item = (&'a [u8], &'a [u8])> + 'a {
        let head = self.head;
        self.headers
            .iter()
            .map(move |h| (h.name.get(head), h.value.get(head)))
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
    use proptest::prelude::*;

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

    fn naive_token_len(input: &[u8]) -> Option<usize> {
        input.iter().position(|&b| !crate::token_list::is_tchar(b))
    }

    fn naive_line_end(value: &[u8]) -> Option<usize> {
        let stop = value
            .iter()
            .position(|&b| b != b'\t' && (b < 0x20 || b == 0x7f))?;
        (value.get(stop..stop + 2)? == b"\r\n").then_some(stop)
    }

    #[test]
    fn word_scanners_agree_with_byte_loops_for_every_byte_at_every_position() {
        // Lengths around the 16- and 8-byte steps of `byte_scan::find`.
        for len in (1..=20usize).chain([23, 24, 25, 31, 32, 33, 40]) {
            for pos in 0..len {
                for b in 0..=255u8 {
                    for filler in [b'a', b'Z', b'7', b'-', b'_', 0x80, 0xff] {
                        let mut input = vec![filler; len];
                        input[pos] = b;
                        assert_eq!(
                            token_prefix_len(&input),
                            naive_token_len(&input),
                            "{input:?}"
                        );
                        let mut line = input.clone();
                        line.extend_from_slice(b"\r\nX");
                        assert_eq!(
                            split_at_line_end(&line).map(|(value, _)| value.len()),
                            naive_line_end(&line),
                            "{line:?}"
                        );
                    }
                }
            }
        }
    }

    fn reference(input: &[u8], limits: &Limits) -> Option<(ParsedHead, usize, Vec<HeaderSpan>)> {
        let mut spans = vec![HeaderSpan::default(); limits.max_headers];
        let bounded = &input[..input.len().min(limits.max_head_bytes)];
        let (parsed, n) = parse_prefix(bounded, &mut spans).ok()??;
        fast_path_ok(&bounded[..n], &parsed, &spans, limits).then_some(())?;
        spans.truncate(parsed.header_count);
        Some((parsed, n, spans))
    }

    /// Records every field's name; recognizes `Host` and `Upgrade` lines the
    /// way the server's index does, so both of the parser's name paths run.
    #[derive(Default)]
    struct Names(Vec<(usize, Vec<u8>)>);

    impl FieldSink for Names {
        fn recognize(&mut self, index: usize, line: &[u8]) -> Option<usize> {
            for name in [&b"host:"[..], b"upgrade:"] {
                if crate::token_list::starts_with_lowercase(line, name) {
                    let len = name.len() - 1;
                    self.0.push((index, line[..len].to_vec()));
                    return Some(len);
                }
            }
            None
        }

        fn see(&mut self, index: usize, name: &[u8]) {
            self.0.push((index, name.to_vec()));
        }
    }

    fn strict(input: &[u8], limits: &Limits) -> Option<(ParsedHead, usize, Vec<HeaderSpan>)> {
        let mut spans = vec![HeaderSpan::default(); limits.max_headers];
        let mut names = Names::default();
        let (parsed, n) = parse_strict(input, &mut spans, limits, &mut names)?;
        spans.truncate(parsed.header_count);
        for (i, name) in &names.0 {
            assert_eq!(spans[*i].name.get(input), &name[..]);
        }
        assert_eq!(names.0.len(), parsed.header_count);
        Some((parsed, n, spans))
    }

    fn fragment() -> impl Strategy<Value = Vec<u8>> {
        prop_oneof![
            Just(b"GET /chat HTTP/1.1\r\n".to_vec()),
            Just(b"Host: a\r\n".to_vec()),
            Just(b"hOST:".to_vec()),
            Just(b"Upgrade\r".to_vec()),
            Just(b"Upgrade: websocket\r\n".to_vec()),
            Just(b"X_y.z: \t v a l \t\r\n".to_vec()),
            Just(b"Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n".to_vec()),
            Just(b"\r\n".to_vec()),
            Just(b"A: b\n".to_vec()),
            Just(b"A:\r\n \tfolded\r\n".to_vec()),
            Just(b"A: b\r\n\r\n".to_vec()),
            Just(b" ".to_vec()),
            Just(b"\t".to_vec()),
            Just(b":".to_vec()),
            Just(b"\n".to_vec()),
            Just(b"\r".to_vec()),
            Just(b"HTTP/1.0".to_vec()),
            Just(vec![0x80, 0xff]),
            Just(vec![0, 0x7f, 0x1f]),
            proptest::collection::vec(any::<u8>(), 0..12),
            proptest::collection::vec(prop_oneof![Just(b'a'), Just(b'-'), Just(b'_')], 0..20),
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 3000, ..ProptestConfig::default() })]

        /// The one-pass parser only ever decides what httparse plus the scanner's
        /// line rules decide, with the same positions.
        #[test]
        fn strict_parser_is_a_subset_of_the_reference(
            framed in any::<bool>(),
            parts in proptest::collection::vec(fragment(), 1..14),
            max_headers in 1usize..8,
            max_line in 8usize..64,
            max_head in 16usize..400,
        ) {
            let mut input = parts.concat();
            if framed {
                // Most random inputs fail at the first byte; framing them as a
                // request line plus an empty line reaches the header rules.
                input.splice(0..0, b"GET /chat HTTP/1.1\r\n".iter().copied());
                input.extend_from_slice(b"\r\n\r\n");
            }
            let limits = Limits {
                max_head_bytes: max_head,
                max_headers,
                max_request_line: max_line,
                max_header_line: max_line,
            };
            if let Some(got) = strict(&input, &limits) {
                prop_assert_eq!(Some(got), reference(&input, &limits));
            }
        }

        /// And it decides every well-formed head itself.
        #[test]
        fn strict_parser_takes_every_plain_head(
            lines in proptest::collection::vec(
                ("[A-Za-z0-9_.!#-]{1,12}", "[ \t]{0,2}", "[ -~]{0,30}"), 0..10),
            target in "/[!-~]{0,20}",
        ) {
            let mut input = format!("GET {target} HTTP/1.1\r\n").into_bytes();
            for (name, ows, value) in &lines {
                let value = value.trim_end_matches([' ', '\t']);
                input.extend_from_slice(format!("{name}:{ows}{value}\r\n").as_bytes());
            }
            input.extend_from_slice(b"\r\nbody");
            let limits = Limits::default();
            let got = strict(&input, &limits);
            prop_assert!(got.is_some());
            prop_assert_eq!(got, reference(&input, &limits));
        }
    }
}
