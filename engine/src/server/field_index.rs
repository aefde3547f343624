//! The field index: which of the fields the handshake reads a head has, how
//! often, and where the first one is, recorded while the head is parsed so
//! that no rule rescans the head to find a field.

use crate::head_scanner::Limits;
use crate::request::{HeaderValues, ListElements, RequestView, Span};
use crate::request_parser::FieldSink;
use crate::token_list::{CommaList, eq_lowercase_name, starts_with_lowercase};

/// How often a single-valued field appears and where first.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(super) struct Occurrence {
    pub(super) count: u8,
    /// Index of the first occurrence; meaningful when `count > 0`. Field
    /// indexes stay below `Limits::MAX_HEADERS_CAP`, so they fit in a byte.
    pub(super) first_index: u8,
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
pub(super) struct Fields {
    pub(super) host: Occurrence,
    pub(super) origin: Occurrence,
    pub(super) key: Occurrence,
    pub(super) version: Occurrence,
    pub(super) content_length: Occurrence,
    pub(super) http2_settings: Occurrence,
    pub(super) transfer_encoding: Occurrence,
    pub(super) upgrade: Occurrence,
    pub(super) connection: Occurrence,
    pub(super) protocol: Occurrence,
    pub(super) extensions: Occurrence,
}

/// A field name the index knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Known {
    Host,
    Origin,
    Key,
    Version,
    ContentLength,
    Http2Settings,
    TransferEncoding,
    Upgrade,
    Connection,
    Protocol,
    Extensions,
    /// A field the handshake does not read.
    Other,
}

impl Fields {
    fn slot(&mut self, name: Known) -> Option<&mut Occurrence> {
        Some(match name {
            Known::Host => &mut self.host,
            Known::Origin => &mut self.origin,
            Known::Key => &mut self.key,
            Known::Version => &mut self.version,
            Known::ContentLength => &mut self.content_length,
            Known::Http2Settings => &mut self.http2_settings,
            Known::TransferEncoding => &mut self.transfer_encoding,
            Known::Upgrade => &mut self.upgrade,
            Known::Connection => &mut self.connection,
            Known::Protocol => &mut self.protocol,
            Known::Extensions => &mut self.extensions,
            Known::Other => return None,
        })
    }
}

impl FieldSink for Fields {
    type Name = Known;

    /// The common fields by their first byte (and one more where two share
    /// it), then one compare with the name and its colon: a few instructions
    /// instead of scanning the name and matching it afterwards. Besides the
    /// fields the handshake reads, the ones browsers send with every
    /// handshake are recognized (as `Other`); rare fields are left to the
    /// general path and `name`.
    #[inline(always)]
    fn recognize(&self, line: &[u8]) -> Option<(usize, Known)> {
        // Inlined at each use, so every compare is against a constant.
        #[inline(always)]
        fn take_if(line: &[u8], known: Known, name_and_colon: &[u8]) -> Option<(usize, Known)> {
            starts_with_lowercase(line, name_and_colon)
                .then(|| (name_and_colon.len().wrapping_sub(1), known))
        }
        let second = || line.get(1).map(|b| b | 0x20);
        match *line.first()? | 0x20 {
            b'h' => take_if(line, Known::Host, b"host:"),
            b'o' => take_if(line, Known::Origin, b"origin:"),
            b'u' if second() == Some(b'p') => take_if(line, Known::Upgrade, b"upgrade:"),
            b'u' => take_if(line, Known::Other, b"user-agent:"),
            b'c' if second() == Some(b'o') => take_if(line, Known::Connection, b"connection:"),
            b'c' => take_if(line, Known::Other, b"cache-control:"),
            b's' => match *line.get(14)? | 0x20 {
                b'k' => take_if(line, Known::Key, b"sec-websocket-key:"),
                b'v' => take_if(line, Known::Version, b"sec-websocket-version:"),
                b'p' => take_if(line, Known::Protocol, b"sec-websocket-protocol:"),
                b'e' => take_if(line, Known::Extensions, b"sec-websocket-extensions:"),
                _ => None,
            },
            b'a' => match *line.get(7)? | 0x20 {
                b'e' => take_if(line, Known::Other, b"accept-encoding:"),
                b'l' => take_if(line, Known::Other, b"accept-language:"),
                _ => None,
            },
            b'p' => take_if(line, Known::Other, b"pragma:"),
            _ => None,
        }
    }

    #[inline(always)]
    fn name(&self, name: &[u8]) -> Known {
        let is = |s: &[u8]| eq_lowercase_name(name, s);
        match name.len() {
            4 if is(b"host") => Known::Host,
            6 if is(b"origin") => Known::Origin,
            7 if is(b"upgrade") => Known::Upgrade,
            10 if is(b"connection") => Known::Connection,
            14 if is(b"content-length") => Known::ContentLength,
            14 if is(b"http2-settings") => Known::Http2Settings,
            17 if is(b"sec-websocket-key") => Known::Key,
            17 if is(b"transfer-encoding") => Known::TransferEncoding,
            21 if is(b"sec-websocket-version") => Known::Version,
            22 if is(b"sec-websocket-protocol") => Known::Protocol,
            24 if is(b"sec-websocket-extensions") => Known::Extensions,
            _ => Known::Other,
        }
    }

    #[inline(always)]
    fn record(&mut self, index: usize, name: Known) {
        if let Some(slot) = self.slot(name) {
            slot.see(index);
        }
    }
}

pub(super) fn value_at<'a>(view: &RequestView<'a>, o: Occurrence) -> Option<&'a [u8]> {
    view.raw_header(o.first()?).map(|(_, v)| v)
}

/// Every value of a field found by `index_fields`.
pub(super) fn field_values<'a>(
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
pub(super) fn field_list<'a>(
    view: &RequestView<'a>,
    o: Occurrence,
    name: &'static [u8],
) -> FieldList<'a> {
    match (o.count, value_at(view, o)) {
        (1, Some(value)) => FieldList::OneLine(CommaList::new(value)),
        _ => FieldList::Lines(ListElements::new(field_values(view, o, name))),
    }
}

/// The elements of a list field; a field on one line (the usual case) is split
/// directly, without going through the iterator over lines.
#[derive(Clone)]
pub(super) enum FieldList<'a> {
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
pub(super) fn connection_has(view: &RequestView<'_>, f: &Fields, option: &[u8]) -> bool {
    is_sole_element(view, f.connection, option)
        || field_list(view, f.connection, b"connection").any(|e| eq_lowercase_name(e, option))
}

/// True when a field sent on one line is exactly `token` (lowercase letters),
/// ignoring case: the usual `Connection: Upgrade` and `Upgrade: websocket`,
/// decided with one compare instead of splitting the list. Such a value is a
/// list of one element, `token` itself, so callers that then split the list
/// decide the same.
pub(super) fn is_sole_element(view: &RequestView<'_>, o: Occurrence, token: &[u8]) -> bool {
    o.count == 1 && value_at(view, o).is_some_and(|v| eq_lowercase_name(v, token))
}

pub(super) fn span_in(view: &RequestView<'_>, part: &[u8]) -> Span {
    let head = view.head();
    let start = (part.as_ptr() as usize).wrapping_sub(head.as_ptr() as usize);
    Span::new(start, start.wrapping_add(part.len()))
}

#[cfg(test)]
mod tests {
    use super::{FieldSink, Fields, Known};

    /// What the parser's general path makes of a line: the token run, a colon
    /// right after it, then `Fields::name`.
    fn general_path(line: &[u8]) -> Option<(usize, Known)> {
        let f = Fields::default();
        let len = crate::token_list::tchar_run(line);
        (len > 0 && line.get(len) == Some(&b':')).then(|| (len, f.name(&line[..len])))
    }

    /// Whenever `recognize` takes a line, the general path finds the same
    /// name and makes the same of it.
    fn check_recognize(line: &[u8]) {
        let f = Fields::default();
        if let Some(taken) = f.recognize(line) {
            assert_eq!(Some(taken), general_path(line), "{line:?}");
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
        assert_eq!(f.recognize(b"sEC-websocket-KEY: x"), Some((17, Known::Key)));
        assert_eq!(f.recognize(b"Host:x"), Some((4, Known::Host)));
        assert_eq!(f.recognize(b"Host :x"), None);
        assert_eq!(f.recognize(b"Hos\x14:x"), None);
        assert_eq!(f.recognize(b"Content-Length: 0"), None, "left to `name`");
        assert_eq!(f.recognize(b"User-Agent: x"), Some((10, Known::Other)));
        assert_eq!(f, Fields::default(), "recognizing records nothing");
        f.record(3, Known::Key);
        f.record(4, Known::Other);
        f.record(5, Known::Key);
        assert_eq!((f.key.count, f.key.first()), (2, Some(3)));
        assert_eq!(f.host.count, 0);
    }
}
