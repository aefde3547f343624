//! Comma-separated field values (RFC 9110 §5.6.1) and tokens (§5.6.2).
//!
//! A list may be split over several field lines with the same name; the recipient
//! treats them as one list. Empty elements and optional whitespace are skipped.

/// True for the bytes RFC 9110 allows in a `token` (`tchar`).
#[inline]
#[allow(clippy::indexing_slicing)] // a u8 always indexes a 256-entry table
pub(crate) const fn is_tchar(b: u8) -> bool {
    TCHAR[b as usize]
}

/// `tchar` as a table: one load per byte instead of a chain of range checks.
#[allow(clippy::indexing_slicing, clippy::arithmetic_side_effects)] // const evaluation: checked at compile time
static TCHAR: [bool; 256] = {
    let mut table = [false; 256];
    let mut i = 0;
    while i < 256 {
        table[i] = is_tchar_slow(i as u8);
        i += 1;
    }
    table
};

const fn is_tchar_slow(b: u8) -> bool {
    matches!(b,
        b'!' | b'#' | b'$' | b'%' | b'&' | b'\'' | b'*' | b'+' | b'-' | b'.' |
        b'^' | b'_' | b'`' | b'|' | b'~' | b'0'..=b'9' | b'a'..=b'z' | b'A'..=b'Z')
}

/// Length of the run of `tchar` bytes at the start of `input` (all of it when
/// every byte is one). Eight bytes per step for letters, digits, `-`, `.` and
/// `_`, one at a time for the other token bytes. Tokens in field values are short, so
/// one word is the right step here; the head parser's long runs go sixteen at
/// a time (`byte_scan::find`).
#[inline]
pub(crate) fn tchar_run(input: &[u8]) -> usize {
    let mut len = 0usize;
    loop {
        let rest = input.get(len..).unwrap_or_default();
        len = len.wrapping_add(crate::byte_scan::find_by_words(
            rest,
            crate::byte_scan::NotUsualTokenByte,
        ));
        match input.get(len) {
            Some(&b) if is_tchar(b) => len = len.wrapping_add(1),
            _ => return len,
        }
    }
}

/// True when `s` is a non-empty RFC 9110 token.
pub(crate) fn is_token(s: &[u8]) -> bool {
    !s.is_empty() && tchar_run(s) == s.len()
}

/// True for the optional whitespace bytes (SP, HTAB).
pub(crate) const fn is_ows(b: u8) -> bool {
    b == b' ' || b == b'\t'
}

/// Removes leading and trailing OWS.
pub(crate) fn trim_ows(mut s: &[u8]) -> &[u8] {
    while let [first, rest @ ..] = s {
        if is_ows(*first) {
            s = rest;
        } else {
            break;
        }
    }
    while let [rest @ .., last] = s {
        if is_ows(*last) {
            s = rest;
        } else {
            break;
        }
    }
    s
}

/// Iterates the non-empty, OWS-trimmed elements of one comma-separated field value.
///
/// This splits on every comma: it is for lists whose elements cannot contain
/// quoted strings (Connection, Upgrade, Sec-WebSocket-Protocol). Extension lists,
/// which can, have their own parser.
#[derive(Clone, Debug)]
pub(crate) struct CommaList<'a> {
    rest: &'a [u8],
    done: bool,
}

impl<'a> CommaList<'a> {
    /// Starts iterating `value`.
    pub(crate) fn new(value: &'a [u8]) -> Self {
        crate::grammar_work::start(value.len());
        CommaList {
            rest: value,
            done: false,
        }
    }
}

impl<'a> Iterator for CommaList<'a> {
    type Item = &'a [u8];

    #[inline]
    fn next(&mut self) -> Option<&'a [u8]> {
        while !self.done {
            let (element, rest) = match self.rest.iter().position(|&b| b == b',') {
                Some(i) => {
                    let (element, rest) = self.rest.split_at(i);
                    (element, rest.get(1..).unwrap_or_default())
                }
                None => {
                    self.done = true;
                    (self.rest, &[][..])
                }
            };
            self.rest = rest;
            let element = trim_ows(element);
            if !element.is_empty() {
                return Some(element);
            }
        }
        None
    }
}

/// Calls `each` with every element of one comma-separated list of tokens, in
/// one pass; false when an element is not a token. The elements are those of
/// [`CommaList`] (OWS trimmed, empty ones skipped).
#[inline]
pub(crate) fn for_each_token<'a>(value: &'a [u8], mut each: impl FnMut(&'a [u8])) -> bool {
    crate::grammar_work::start(value.len());
    let mut rest = value;
    loop {
        // OWS and empty elements before the next element.
        while let [b' ' | b'\t' | b',', tail @ ..] = rest {
            rest = tail;
        }
        if rest.is_empty() {
            return true;
        }
        let (token, after) = rest.split_at(tchar_run(rest).min(rest.len()));
        if token.is_empty() {
            return false;
        }
        each(token);
        rest = after;
        while let [b' ' | b'\t', tail @ ..] = rest {
            rest = tail;
        }
        match rest {
            [] => return true,
            [b',', tail @ ..] => rest = tail,
            _ => return false,
        }
    }
}

/// True when any element of any of `values` equals `token`, ASCII case-insensitively.
pub(crate) fn list_contains<'a>(values: impl IntoIterator<Item = &'a [u8]>, token: &[u8]) -> bool {
    values
        .into_iter()
        .any(|v| CommaList::new(v).any(|e| e.eq_ignore_ascii_case(token)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn elements(v: &str) -> Vec<&[u8]> {
        CommaList::new(v.as_bytes()).collect()
    }

    #[test]
    fn splits_and_trims() {
        assert_eq!(
            elements("keep-alive, Upgrade"),
            vec![&b"keep-alive"[..], b"Upgrade"]
        );
        assert_eq!(elements(" ,, a ,\tb\t,"), vec![&b"a"[..], b"b"]);
        assert!(elements("").is_empty());
        assert!(elements(" , ,").is_empty());
    }

    #[test]
    fn contains_is_whole_token_and_case_insensitive() {
        assert!(list_contains([&b"keep-alive, UPGRADE"[..]], b"upgrade"));
        assert!(!list_contains([&b"up"[..]], b"upgrade"));
        assert!(!list_contains([&b"No-Upgrade"[..]], b"upgrade"));
        assert!(!list_contains([&b"upgrade2"[..]], b"upgrade"));
        assert!(list_contains([&b"close"[..], &b"Upgrade"[..]], b"upgrade"));
    }

    #[test]
    fn one_pass_token_lists_match_the_comma_list_model() {
        let alphabet = b"ab, \t/\"_";
        // Every string of up to 6 bytes over a small alphabet.
        let mut stack = vec![Vec::new()];
        while let Some(v) = stack.pop() {
            let model: Vec<&[u8]> = CommaList::new(&v).collect();
            let model_ok = model.iter().all(|e| is_token(e));
            let mut got = Vec::new();
            let ok = for_each_token(&v, |e| got.push(e));
            assert_eq!(ok, model_ok, "{v:?}");
            if ok {
                assert_eq!(got, model, "{v:?}");
            }
            if v.len() < 6 {
                for &b in alphabet {
                    let mut next = v.clone();
                    next.push(b);
                    stack.push(next);
                }
            }
        }
    }

    #[test]
    fn tokens() {
        assert!(is_token(b"chat"));
        assert!(is_token(b"v2.chat"));
        assert!(!is_token(b""));
        assert!(!is_token(b"a b"));
        assert!(!is_token(b"a/b"));
        assert!(!is_token(b"a\"b"));
    }
}
