//! The field index: which of the fields the handshake reads a head has, how
//! often, and where the first one is, recorded while the head is parsed so
//! that no rule rescans the head to find a field.

use crate::byte_scan::{eq_lowercase_name, starts_with_lowercase};
use crate::head_scanner::Limits;
use crate::request::{HeaderValues, ListElements, RequestView, Span};
use crate::request_parser::FieldSink;
use crate::token_list::CommaList;

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

/// A field name the index knows; the discriminant is its slot in [`Fields`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
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
    /// A field the handshake does not read (its slot is never read).
    Other,
}

/// The fields the handshake cares about, found while the head is parsed
/// (later rules read values through these indexes, never by rescanning).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(super) struct Fields {
    /// One slot per `Known` name: recording a field is one indexed update.
    slots: [Occurrence; 12],
}

impl Fields {
    fn at(&self, name: Known) -> Occurrence {
        self.slots.get(name as usize).copied().unwrap_or_default()
    }

    pub(super) fn host(&self) -> Occurrence {
        self.at(Known::Host)
    }

    pub(super) fn origin(&self) -> Occurrence {
        self.at(Known::Origin)
    }

    pub(super) fn key(&self) -> Occurrence {
        self.at(Known::Key)
    }

    pub(super) fn version(&self) -> Occurrence {
        self.at(Known::Version)
    }

    pub(super) fn content_length(&self) -> Occurrence {
        self.at(Known::ContentLength)
    }

    pub(super) fn http2_settings(&self) -> Occurrence {
        self.at(Known::Http2Settings)
    }

    pub(super) fn transfer_encoding(&self) -> Occurrence {
        self.at(Known::TransferEncoding)
    }

    pub(super) fn upgrade(&self) -> Occurrence {
        self.at(Known::Upgrade)
    }

    pub(super) fn connection(&self) -> Occurrence {
        self.at(Known::Connection)
    }

    pub(super) fn protocol(&self) -> Occurrence {
        self.at(Known::Protocol)
    }

    pub(super) fn extensions(&self) -> Occurrence {
        self.at(Known::Extensions)
    }
}

impl FieldSink for Fields {
    type Name = Known;

    #[inline(always)]
    fn recognize(&mut self, index: usize, line: &[u8]) -> Option<(usize, Known)> {
        recognize(self, index, line)
    }

    fn forget(&mut self, name: Known) {
        if let Some(slot) = self.slots.get_mut(name as usize) {
            // `see` never saturates: there are at most MAX_HEADERS_CAP fields.
            slot.count = slot.count.saturating_sub(1);
        }
    }

    #[inline(always)]
    fn see(&mut self, index: usize, name: &[u8]) {
        self.record(index, name_of(name));
    }
}

impl Fields {
    #[inline(always)]
    fn record(&mut self, index: usize, name: Known) {
        if let Some(slot) = self.slots.get_mut(name as usize) {
            slot.see(index);
        }
    }
}

/// The common fields by their first byte (and one more where two share it),
/// then one compare with the name and its colon: a few instructions instead of
/// scanning the name and matching it afterwards. A taken line's field is
/// recorded as `index` at once. Besides the fields the handshake reads, the
/// ones browsers send with every handshake are recognized (as `Other`); rare
/// fields are left to the general path and `name_of`.
#[inline(always)]
fn recognize(f: &mut Fields, index: usize, line: &[u8]) -> Option<(usize, Known)> {
    // Inlined at each use, so every compare is against a constant and every
    // record goes to a slot known at compile time.
    #[inline(always)]
    fn take_if(
        f: &mut Fields,
        index: usize,
        line: &[u8],
        known: Known,
        name_and_colon: &[u8],
    ) -> Option<(usize, Known)> {
        starts_with_lowercase(line, name_and_colon).then(|| {
            f.record(index, known);
            (name_and_colon.len().wrapping_sub(1), known)
        })
    }
    let second = line.get(1).map(|b| b | 0x20);
    let take =
        |f: &mut Fields, known, name_and_colon| take_if(f, index, line, known, name_and_colon);
    match *line.first()? | 0x20 {
        b'h' => take(f, Known::Host, b"host:"),
        b'o' => take(f, Known::Origin, b"origin:"),
        b'u' if second == Some(b'p') => take(f, Known::Upgrade, b"upgrade:"),
        b'u' => take(f, Known::Other, b"user-agent:"),
        b'c' if second == Some(b'o') => take(f, Known::Connection, b"connection:"),
        b'c' => take(f, Known::Other, b"cache-control:"),
        b's' => match *line.get(14)? | 0x20 {
            b'k' => take(f, Known::Key, b"sec-websocket-key:"),
            b'v' => take(f, Known::Version, b"sec-websocket-version:"),
            b'p' => take(f, Known::Protocol, b"sec-websocket-protocol:"),
            b'e' => take(f, Known::Extensions, b"sec-websocket-extensions:"),
            _ => None,
        },
        b'a' => match *line.get(7)? | 0x20 {
            b'e' => take(f, Known::Other, b"accept-encoding:"),
            b'l' => take(f, Known::Other, b"accept-language:"),
            _ => None,
        },
        b'p' => take(f, Known::Other, b"pragma:"),
        _ => None,
    }
}

/// What a field name (a token) is.
#[inline(always)]
fn name_of(name: &[u8]) -> Known {
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

pub(super) fn value_at<'a>(view: &RequestView<'a>, o: Occurrence) -> Option<&'a [u8]> {
    view.raw_header(o.first()?).map(|(_, v)| v)
}

/// Every value of a field the index found.
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
/// the index.
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
    is_sole_element(view, f.connection(), option)
        || field_list(view, f.connection(), b"connection").any(|e| eq_lowercase_name(e, option))
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
    use super::{FieldSink, Fields, Known, name_of, recognize};

    /// What the parser's general path makes of a line: the token run, a colon
    /// right after it, then `name_of`.
    fn general_path(line: &[u8]) -> Option<(usize, Known)> {
        let len = crate::token_list::tchar_run(line);
        (len > 0 && line.get(len) == Some(&b':')).then(|| (len, name_of(&line[..len])))
    }

    /// Whenever `recognize` takes a line, the general path finds the same
    /// name and makes the same of it, and the record is that of `see`; when
    /// it does not, it records nothing.
    fn check_recognize(line: &[u8]) {
        let mut f = Fields::default();
        match recognize(&mut f, 0, line) {
            Some(taken) => {
                assert_eq!(Some(taken), general_path(line), "{line:?}");
                let mut general = Fields::default();
                general.see(0, &line[..taken.0]);
                assert_eq!(f, general, "{line:?}");
                f.forget(taken.1);
                assert_eq!(f.at(taken.1).count, 0, "{line:?}");
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
        assert_eq!(
            f.recognize(3, b"sEC-websocket-KEY: x"),
            Some((17, Known::Key))
        );
        assert_eq!(f.recognize(4, b"Host:x"), Some((4, Known::Host)));
        assert_eq!(f.recognize(5, b"Host :x"), None);
        assert_eq!(f.recognize(6, b"Hos\x14:x"), None);
        assert_eq!(f.recognize(7, b"Content-Length: 0"), None, "left to `see`");
        assert_eq!(f.recognize(8, b"User-Agent: x"), Some((10, Known::Other)));
        assert_eq!(
            f.recognize(9, b"sec-websocket-key: y"),
            Some((17, Known::Key))
        );
        assert_eq!((f.key().count, f.key().first()), (2, Some(3)));
        assert_eq!((f.host().count, f.host().first()), (1, Some(4)));
        f.forget(Known::Key);
        assert_eq!((f.key().count, f.key().first()), (1, Some(3)));
        assert_eq!(f.origin().count, 0);
    }
}
