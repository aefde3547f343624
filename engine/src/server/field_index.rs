//! The field index: which of the fields the handshake reads a head has, how
//! often, and where the first one is, recorded while the head is parsed so
//! that no rule rescans the head to find a field.

use crate::head_scanner::Limits;
use crate::request::{FieldSink, HeaderValues, ListElements, RequestView, Span};
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

pub(super) fn index_fields(view: &RequestView<'_>) -> Fields {
    let mut f = Fields::default();
    for (i, (n, _)) in view.raw_headers().enumerate() {
        f.see(i, n);
    }
    f
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
    use super::{FieldSink, Fields};

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
}
