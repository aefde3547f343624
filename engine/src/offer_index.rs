//! The offered lists of a parsed request (subprotocols, extension offers and
//! their parameters) indexed in one pass, so that the element at any position
//! is found in O(1).
//!
//! C and Python read lists by position (`count` + `*_at(index)`). Answering
//! each position by walking the list from its start made reading a list of n
//! elements cost n²/2 element visits: a 16 KB request with 8,000 extension
//! elements took seconds. The index is built once per request, visits every
//! element once, and holds at most one entry per element (each element takes
//! at least one byte of the head, so the head limit bounds it).

use crate::extension_grammar::{Extension, Param, ParamValue};
use crate::request::{RequestView, Span};
use alloc::vec::Vec;

/// One extension offer: its name, its raw parameter text, and where its
/// parameters start in the parameter list.
#[derive(Debug, Clone, Copy)]
struct ExtensionEntry {
    name: Span,
    params: Span,
    first_param: usize,
}

/// One parameter of an extension offer.
#[derive(Debug, Clone, Copy)]
struct ParamEntry {
    name: Span,
    /// The value as sent (inside the quotes when quoted); None without `=`.
    value: Option<(Span, bool)>,
}

/// The index of a request's offered lists; see the module docs. Positions are
/// offsets into the head the index was built from: read it back with that
/// same head.
#[derive(Debug, Clone, Default)]
pub struct OfferIndex {
    subprotocols: Vec<Span>,
    extensions: Vec<ExtensionEntry>,
    params: Vec<ParamEntry>,
    elements_visited: usize,
}

impl OfferIndex {
    /// Indexes the lists of `view`, in the order and with the elements its
    /// iterators ([`RequestView::subprotocols`], [`RequestView::extensions`])
    /// give.
    pub fn build(view: &RequestView<'_>) -> Self {
        let head = view.head();
        let mut index = OfferIndex::default();
        for p in view.subprotocols() {
            index.subprotocols.push(Span::of(head, p.as_bytes()));
            index.visit();
        }
        for e in view.extensions() {
            index.extensions.push(ExtensionEntry {
                name: Span::of(head, e.name_bytes()),
                params: Span::of(head, e.raw_params()),
                first_param: index.params.len(),
            });
            index.visit();
            for p in e.params() {
                index.params.push(ParamEntry {
                    name: Span::of(head, p.name_bytes()),
                    value: p.value().map(|v| (Span::of(head, v.raw()), v.is_quoted())),
                });
                index.visit();
            }
        }
        index
    }

    fn visit(&mut self) {
        self.elements_visited = self.elements_visited.saturating_add(1);
    }

    /// Elements visited while building the index (a measure of work, for
    /// tests): one per subprotocol, extension offer and parameter.
    #[cfg_attr(not(any(test, feature = "test-internals")), allow(dead_code))]
    pub(crate) fn elements_visited(&self) -> usize {
        self.elements_visited
    }

    /// The number of subprotocols offered.
    pub fn subprotocol_count(&self) -> usize {
        self.subprotocols.len()
    }

    /// The subprotocol at `index`.
    pub fn subprotocol<'h>(&self, head: &'h [u8], index: usize) -> Option<&'h str> {
        core::str::from_utf8(self.subprotocols.get(index)?.get(head)).ok()
    }

    /// The number of extension offers.
    pub fn extension_count(&self) -> usize {
        self.extensions.len()
    }

    /// The extension offer at `index`.
    pub fn extension<'h>(&self, head: &'h [u8], index: usize) -> Option<Extension<'h>> {
        let e = self.extensions.get(index)?;
        Some(Extension::from_parts(e.name.get(head), e.params.get(head)))
    }

    /// The parameters of the extension offer at `extension`, as a range of
    /// the parameter list.
    fn param_range(&self, extension: usize) -> Option<core::ops::Range<usize>> {
        let start = self.extensions.get(extension)?.first_param;
        let end = self
            .extensions
            .get(extension.wrapping_add(1))
            .map_or(self.params.len(), |next| next.first_param);
        Some(start..end)
    }

    /// The number of parameters of the extension offer at `extension`.
    pub fn param_count(&self, extension: usize) -> Option<usize> {
        self.param_range(extension).map(|r| r.len())
    }

    /// The parameter at `index` of the extension offer at `extension`.
    pub fn param<'h>(&self, head: &'h [u8], extension: usize, index: usize) -> Option<Param<'h>> {
        let range = self.param_range(extension)?;
        let at = range
            .start
            .checked_add(index)
            .filter(|at| *at < range.end)?;
        let p = self.params.get(at)?;
        let value = p
            .value
            .map(|(raw, quoted)| ParamValue::from_parts(raw.get(head), quoted));
        Some(Param::from_parts(p.name.get(head), value))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::request::{HeaderSpan, parse_head};

    fn with_view<R>(head: &[u8], f: impl FnOnce(&RequestView<'_>) -> R) -> R {
        let mut spans = vec![HeaderSpan::default(); 16];
        let parsed = parse_head(head, &mut spans).unwrap();
        f(&RequestView::new(head, parsed, &spans))
    }

    #[test]
    fn index_agrees_with_the_iterators() {
        let head = b"GET / HTTP/1.1\r\nSec-WebSocket-Protocol: a, b\r\n\
            Sec-WebSocket-Extensions: x; p=1; q=\"t\\u\", , y\r\n\
            Sec-WebSocket-Protocol: c\r\nSec-WebSocket-Extensions: z; r\r\n\r\n";
        with_view(head, |view| {
            let index = OfferIndex::build(view);
            let subprotocols: Vec<_> = view.subprotocols().collect();
            assert_eq!(subprotocols, ["a", "b", "c"]);
            assert_eq!(index.subprotocol_count(), 3);
            for (i, p) in subprotocols.iter().enumerate() {
                assert_eq!(index.subprotocol(head, i), Some(*p));
            }
            assert_eq!(index.subprotocol(head, 3), None);
            let extensions: Vec<_> = view.extensions().collect();
            assert_eq!(extensions.len(), 3);
            assert_eq!(index.extension_count(), 3);
            for (i, e) in extensions.iter().enumerate() {
                assert_eq!(index.extension(head, i), Some(*e));
                let params: Vec<_> = e.params().collect();
                assert_eq!(index.param_count(i), Some(params.len()));
                for (j, p) in params.iter().enumerate() {
                    assert_eq!(index.param(head, i, j), Some(*p));
                }
                assert_eq!(index.param(head, i, params.len()), None);
            }
            assert_eq!(index.param_count(3), None);
            assert_eq!(index.param(head, 0, usize::MAX), None);
            // 3 subprotocols, 3 offers, 3 parameters.
            assert_eq!(index.elements_visited(), 9);
        });
    }
}
