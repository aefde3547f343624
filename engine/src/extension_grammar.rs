//! The `Sec-WebSocket-Extensions` grammar (RFC 6455 §9.1):
//!
//! ```text
//! extension-list  = 1#extension
//! extension       = extension-token *( ";" extension-param )
//! extension-param = token [ "=" ( token / quoted-string ) ]
//! ```
//!
//! with optional whitespace around separators and empty list elements skipped
//! (RFC 9110 §5.6.1). A quoted value must unescape to a token. A comma inside a
//! quoted string never splits an offer. Parsing is one linear pass, no allocation.

use crate::token_list::{is_ows, is_tchar};

/// Why an extension list failed to parse.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct ExtensionSyntaxError {
    /// Byte offset in the field value where parsing stopped.
    pub offset: usize,
}

/// One extension offer or response element: a name and its parameters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Extension<'a> {
    name: &'a [u8],
    params: &'a [u8],
}

impl<'a> Extension<'a> {
    /// An element from its parts (for an index that stored them).
    pub(crate) fn from_parts(name: &'a [u8], params: &'a [u8]) -> Self {
        Extension { name, params }
    }

    /// The extension token, e.g. `permessage-deflate`.
    pub fn name(&self) -> &'a str {
        // Tokens are ASCII, so this never fails.
        core::str::from_utf8(self.name).unwrap_or_default()
    }

    /// The extension token as bytes.
    pub fn name_bytes(&self) -> &'a [u8] {
        self.name
    }

    /// The raw parameter text after the name (starting at the first `;`), as sent.
    pub fn raw_params(&self) -> &'a [u8] {
        self.params
    }

    /// Iterates the parameters in order.
    pub fn params(&self) -> Params<'a> {
        crate::grammar_work::start(self.params.len());
        Params {
            cursor: Cursor {
                s: self.params,
                i: 0,
            },
        }
    }
}

/// A parameter value as sent: a bare token or a quoted string.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ParamValue<'a> {
    /// The bytes between the quotes (escapes included) or the bare token.
    raw: &'a [u8],
    quoted: bool,
}

impl<'a> ParamValue<'a> {
    /// A value from its parts (for an index that stored them).
    pub(crate) fn from_parts(raw: &'a [u8], quoted: bool) -> Self {
        ParamValue { raw, quoted }
    }

    /// True when the value was sent as a quoted string.
    pub fn is_quoted(&self) -> bool {
        self.quoted
    }

    /// The value as sent, without the surrounding quotes.
    pub fn raw(&self) -> &'a [u8] {
        self.raw
    }

    /// The unescaped bytes of the value, one at a time.
    pub fn unescaped(&self) -> impl Iterator<Item = u8> + 'a {
        let raw = self.raw;
        let quoted = self.quoted;
        let mut escaped = false;
        raw.iter().filter_map(move |&b| {
            if quoted && !escaped && b == b'\\' {
                escaped = true;
                None
            } else {
                escaped = false;
                Some(b)
            }
        })
    }

    /// Length of the unescaped value.
    pub fn unescaped_len(&self) -> usize {
        self.unescaped().count()
    }

    /// The value as a token slice when no unescaping is needed (the usual case).
    pub fn as_plain(&self) -> Option<&'a str> {
        if self.quoted && self.raw.contains(&b'\\') {
            return None;
        }
        core::str::from_utf8(self.raw).ok()
    }

    /// Compares the unescaped value with `other`, byte for byte.
    pub fn eq_bytes(&self, other: &[u8]) -> bool {
        self.unescaped().eq(other.iter().copied())
    }
}

/// One `name[=value]` parameter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Param<'a> {
    name: &'a [u8],
    value: Option<ParamValue<'a>>,
}

impl<'a> Param<'a> {
    /// A parameter from its parts (for an index that stored them).
    pub(crate) fn from_parts(name: &'a [u8], value: Option<ParamValue<'a>>) -> Self {
        Param { name, value }
    }

    /// The parameter name as bytes.
    pub fn name_bytes(&self) -> &'a [u8] {
        self.name
    }

    /// The parameter name (a token).
    pub fn name(&self) -> &'a str {
        core::str::from_utf8(self.name).unwrap_or_default()
    }

    /// The value, when one was given.
    pub fn value(&self) -> Option<ParamValue<'a>> {
        self.value
    }
}

#[derive(Debug, Clone)]
struct Cursor<'a> {
    s: &'a [u8],
    i: usize,
}

impl<'a> Cursor<'a> {
    fn peek(&self) -> Option<u8> {
        self.s.get(self.i).copied()
    }

    fn bump(&mut self) {
        self.i = self.i.saturating_add(1);
    }

    fn skip_ows(&mut self) {
        while self.peek().is_some_and(is_ows) {
            self.bump();
        }
    }

    fn token(&mut self) -> Option<&'a [u8]> {
        let rest = self.s.get(self.i..).unwrap_or_default();
        let t = rest.get(..crate::token_list::tchar_run(rest))?;
        self.i = self.i.saturating_add(t.len());
        (!t.is_empty()).then_some(t)
    }

    /// Parses a quoted string whose unescaped content is a token; returns the inner
    /// bytes (escapes kept).
    fn quoted_token(&mut self) -> Option<&'a [u8]> {
        if self.peek() != Some(b'"') {
            return None;
        }
        self.bump();
        let start = self.i;
        let mut len = 0usize;
        loop {
            let b = self.peek()?;
            self.bump();
            match b {
                b'"' => break,
                b'\\' => {
                    let escaped = self.peek()?;
                    self.bump();
                    if !is_tchar(escaped) {
                        return None;
                    }
                }
                b if is_tchar(b) => {}
                _ => return None,
            }
            len = len.saturating_add(1);
        }
        if len == 0 {
            return None;
        }
        self.s.get(start..self.i.saturating_sub(1))
    }

    fn error(&self) -> ExtensionSyntaxError {
        ExtensionSyntaxError { offset: self.i }
    }

    /// Parses one `;`-parameter starting at a `;`. Returns None at the end of the
    /// element (`,` or end of input), leaving the cursor on the comma. Inlined
    /// into the element loop, where the `Result<Option<Param>>` then never
    /// has to be built in memory.
    #[inline(always)]
    fn param(&mut self) -> Result<Option<Param<'a>>, ExtensionSyntaxError> {
        self.skip_ows();
        match self.peek() {
            None | Some(b',') => return Ok(None),
            Some(b';') => self.bump(),
            Some(_) => return Err(self.error()),
        }
        self.skip_ows();
        let name = self.token().ok_or_else(|| self.error())?;
        self.skip_ows();
        let value = if self.peek() == Some(b'=') {
            self.bump();
            self.skip_ows();
            let value = if self.peek() == Some(b'"') {
                let raw = self.quoted_token().ok_or_else(|| self.error())?;
                ParamValue { raw, quoted: true }
            } else {
                let raw = self.token().ok_or_else(|| self.error())?;
                ParamValue { raw, quoted: false }
            };
            Some(value)
        } else {
            None
        };
        Ok(Some(Param { name, value }))
    }
}

/// Iterates the parameters of one extension element.
#[derive(Debug, Clone)]
pub struct Params<'a> {
    cursor: Cursor<'a>,
}

impl<'a> Iterator for Params<'a> {
    type Item = Param<'a>;

    fn next(&mut self) -> Option<Param<'a>> {
        self.cursor.param().ok().flatten()
    }
}

/// Iterates the extension elements of one field value. Stops at the first syntax
/// error; call [`validate`] first to tell a bad value from the end of the list.
#[derive(Debug, Clone)]
pub(crate) struct Extensions<'a> {
    cursor: Cursor<'a>,
    failed: bool,
}

impl<'a> Extensions<'a> {
    /// Starts iterating `value`.
    pub(crate) fn new(value: &'a [u8]) -> Self {
        crate::grammar_work::start(value.len());
        Extensions {
            cursor: Cursor { s: value, i: 0 },
            failed: false,
        }
    }

    /// The next element, or the syntax error that stops the list.
    pub(crate) fn next_element(&mut self) -> Result<Option<Extension<'a>>, ExtensionSyntaxError> {
        self.next_element_with(|_| false, |_| {})
    }

    /// Like [`Extensions::next_element`]; when `wants(name)` says the element
    /// is of interest, hands each of its parameters to `on_param` as the
    /// grammar pass reads it, so the caller need not parse the offer again.
    pub(crate) fn next_element_with(
        &mut self,
        wants: impl FnOnce(&'a [u8]) -> bool,
        mut on_param: impl FnMut(&Param<'a>),
    ) -> Result<Option<Extension<'a>>, ExtensionSyntaxError> {
        let c = &mut self.cursor;
        loop {
            c.skip_ows();
            match c.peek() {
                None => return Ok(None),
                Some(b',') => c.bump(),
                Some(_) => break,
            }
        }
        let name = c.token().ok_or_else(|| c.error())?;
        let params_start = c.i;
        let wanted = wants(name);
        while let Some(p) = c.param()? {
            if wanted {
                on_param(&p);
            }
        }
        let params = c.s.get(params_start..c.i).unwrap_or_default();
        // The cursor is on a comma or at the end.
        if c.peek() == Some(b',') {
            c.bump();
        }
        Ok(Some(Extension {
            name,
            params: crate::token_list::trim_ows(params),
        }))
    }
}

impl<'a> Iterator for Extensions<'a> {
    type Item = Extension<'a>;

    fn next(&mut self) -> Option<Extension<'a>> {
        if self.failed {
            return None;
        }
        match self.next_element() {
            Ok(e) => e,
            Err(_) => {
                self.failed = true;
                None
            }
        }
    }
}

/// Checks a whole field value against the grammar; returns the number of elements.
pub(crate) fn validate(value: &[u8]) -> Result<usize, ExtensionSyntaxError> {
    let mut it = Extensions::new(value);
    let mut count = 0usize;
    while it.next_element()?.is_some() {
        count = count.saturating_add(1);
    }
    Ok(count)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chrome_offer() {
        let v = b"permessage-deflate; client_max_window_bits";
        assert_eq!(validate(v), Ok(1));
        let e = Extensions::new(v).next().unwrap();
        assert_eq!(e.name(), "permessage-deflate");
        let params: Vec<_> = e.params().collect();
        assert_eq!(params.len(), 1);
        assert_eq!(params[0].name(), "client_max_window_bits");
        assert!(params[0].value().is_none());
    }

    #[test]
    fn several_offers_and_values() {
        let v = b"permessage-deflate; client_max_window_bits=10 ;server_no_context_takeover, \
                  permessage-deflate; server_max_window_bits=\"12\", x-foo";
        assert_eq!(validate(v), Ok(3));
        let all: Vec<_> = Extensions::new(v).collect();
        assert_eq!(all[2].name(), "x-foo");
        assert_eq!(all[2].params().count(), 0);
        let p: Vec<_> = all[1].params().collect();
        assert_eq!(p[0].name(), "server_max_window_bits");
        let val = p[0].value().unwrap();
        assert!(val.is_quoted());
        assert_eq!(val.as_plain(), Some("12"));
        let p0: Vec<_> = all[0].params().collect();
        assert_eq!(p0.len(), 2);
        assert_eq!(p0[0].value().unwrap().as_plain(), Some("10"));
    }

    #[test]
    fn quoted_comma_is_not_a_separator_and_is_invalid() {
        // A comma is not a tchar, so it cannot appear even inside a quoted value:
        // the whole header is rejected rather than split into two offers.
        assert!(validate(b"foo; bar=\"a,b\", baz").is_err());
        assert_eq!(Extensions::new(b"foo; bar=\"a,b\", baz").count(), 0);
    }

    #[test]
    fn escapes_unescape_to_tokens() {
        let v = b"foo; bar=\"a\\bc\"";
        assert_eq!(validate(v), Ok(1));
        let e = Extensions::new(v).next().unwrap();
        let val = e.params().next().unwrap().value().unwrap();
        assert!(val.eq_bytes(b"abc"));
        assert_eq!(val.as_plain(), None);
        assert_eq!(val.unescaped_len(), 3);
    }

    #[test]
    fn syntax_errors() {
        for bad in [
            &b"foo;"[..],
            b";foo",
            b"foo bar",
            b"foo; a=",
            b"foo; a=\"\"",
            b"foo; a=\"b",
            b"foo; a=b c",
            b"foo; a=\"b c\"",
            b"fo\"o",
            b"foo; =b",
        ] {
            assert!(validate(bad).is_err(), "{:?}", String::from_utf8_lossy(bad));
        }
    }

    #[test]
    fn empty_elements_and_whitespace() {
        assert_eq!(validate(b""), Ok(0));
        assert_eq!(validate(b" , ,foo , ,\tbar ;  x = 1 ,"), Ok(2));
        let all: Vec<_> = Extensions::new(b" , ,foo , ,\tbar ;  x = 1 ,").collect();
        assert_eq!(all[1].name(), "bar");
        let p = all[1].params().next().unwrap();
        assert_eq!(p.name(), "x");
        assert_eq!(p.value().unwrap().as_plain(), Some("1"));
    }

    #[test]
    fn thousand_offers_is_linear() {
        let mut v = Vec::new();
        for _ in 0..1000 {
            v.extend_from_slice(b"permessage-deflate; client_max_window_bits=15, ");
        }
        assert_eq!(validate(&v), Ok(1000));
    }
}
