//! The request-head parser: one incremental parser for every way a head comes
//! in (the one-shot call, a handle fed the whole head, a handle fed a byte at
//! a time).
//!
//! It parses line by line, recording the request line and each header field's
//! positions and telling a [`FieldSink`] each field's name as it goes, and it
//! classifies every error itself (line and head limits, bare LF, obs-fold,
//! malformed lines). It resumes where it stopped: the lines already parsed are
//! never looked at again, and a line left unfinished is parsed again only once
//! the bytes that complete it have arrived, so the work is linear in the bytes
//! fed whatever the chunking (CVE-2023-43669 was a parser that rescanned from
//! byte 0 on every read).
//!
//! Each line is first tried by a strict one-pass path that takes the usual
//! shape (token name, `:`, value, CRLF) and decides nothing else; whatever it
//! does not take goes to the general path, which finds the line end first and
//! then applies the rules in one fixed order per line: the line's length, its
//! ending, the head's shape (request line, folding, header count), its
//! content. Errors are therefore reported for the first bad line, and an
//! unfinished line is judged only by its length, so the verdict does not
//! depend on how the head was split.

use crate::byte_scan::{ByteClass, ControlByte, NotNameByte, NotVisibleAscii, find, find_lf};
use crate::error::RequestError;
use crate::head_scanner::{Limits, LineRules};
use crate::request::{HeaderSpan, ParsedHead, Span};
use crate::token_list::{tchar_run, trim_ows};

/// What the parser has found so far.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Parse {
    /// The head is not complete yet.
    Partial,
    /// The head ends after this many bytes.
    Complete(usize),
    /// The head breaks a limit or a rule.
    Error(RequestError),
}

/// Where the parser tells the names of the header fields it finds.
pub(crate) trait FieldSink {
    /// What `recognize` says a name is.
    type Name: Copy;
    /// When `line` starts with a name the sink looks for (any case) directly
    /// followed by `:`, records field `index` and returns the name's length
    /// and what it is, so the parser need not scan the name.
    fn recognize(&mut self, index: usize, line: &[u8]) -> Option<(usize, Self::Name)>;
    /// Undoes the last `recognize`, whose line the parser then refused on its
    /// fast path (the general path reads the line again and calls `see`).
    fn forget(&mut self, name: Self::Name);
    /// Field `index`, accepted, has `name` (a token); called for the fields
    /// `recognize` did not take.
    fn see(&mut self, index: usize, name: &[u8]);
}

/// The parser's state between calls; see the module docs.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct RequestParser {
    /// Where the line being read starts; everything before it is parsed.
    line_start: usize,
    /// Bytes examined: beyond `line_start`, the bytes of the current line
    /// known to hold no LF.
    scanned: usize,
    request_line_seen: bool,
    parsed: ParsedHead,
    /// True when an obs-fold continuation was accepted (the head needs unfolding).
    folded: bool,
    /// True when the request line is the HTTP/2 connection preface's.
    http2_preface: bool,
    /// The buffer length up to which bytes without an LF break no limit,
    /// refreshed by every `parse` that ends partial; 0 otherwise.
    fast_limit: usize,
}

impl RequestParser {
    /// The request line and header count parsed so far.
    pub(crate) fn parsed(&self) -> ParsedHead {
        self.parsed
    }

    /// True when an obs-fold continuation was accepted: the head must be
    /// unfolded (`unfold_in_place`) before its values are read.
    pub(crate) fn saw_obs_fold(&self) -> bool {
        self.folded
    }

    /// True when the complete head is the start of the HTTP/2 connection
    /// preface (`PRI * HTTP/2.0`, then an empty line).
    pub(crate) fn is_http2_preface(&self) -> bool {
        self.http2_preface
    }

    /// Where the line being read starts (the bytes before it are parsed).
    pub(crate) fn line_start(&self) -> usize {
        self.line_start
    }

    /// The state that lets a parse go on without the positions it recorded
    /// (a caller that keeps them elsewhere, or parses the head again once it
    /// is complete) as plain numbers: bytes scanned, line start, header
    /// count, flags.
    pub(crate) fn to_words(self) -> [usize; 4] {
        let flags = usize::from(self.request_line_seen)
            | usize::from(self.folded) << 1
            | usize::from(self.http2_preface) << 2;
        [
            self.scanned,
            self.line_start,
            self.parsed.header_count,
            flags,
        ]
    }

    /// A parser from [`RequestParser::to_words`], without the request line's
    /// positions. Any numbers make a parser that stays panic-free (every
    /// access is checked); wrong ones only give a wrong verdict.
    pub(crate) fn from_words([scanned, line_start, header_count, flags]: [usize; 4]) -> Self {
        RequestParser {
            scanned,
            line_start,
            request_line_seen: flags & 1 != 0,
            parsed: ParsedHead {
                header_count,
                ..ParsedHead::default()
            },
            folded: flags & 2 != 0,
            http2_preface: flags & 4 != 0,
            fast_limit: 0,
        }
    }

    /// Bytes examined so far (a measure of work).
    pub(crate) fn bytes_scanned(&self) -> usize {
        self.scanned
    }

    /// Fast path for a feed of a few bytes without an LF: advances the scan to
    /// `new_len` and returns true when no limit can be broken yet; false means
    /// "call `parse`" (nothing was changed). Refuses every length before the
    /// first `parse` and once the head is decided.
    #[inline]
    pub(crate) fn advance_without_lf(&mut self, new_len: usize) -> bool {
        if new_len <= self.fast_limit {
            self.scanned = new_len;
            true
        } else {
            false
        }
    }

    /// Ends the parse (the head was decided): `advance_without_lf` refuses
    /// every length from now on, so a caller's byte fast path needs no state check.
    pub(crate) fn stop(&mut self) {
        self.fast_limit = 0;
    }

    /// Parses the bytes of `buf` not parsed before. `buf` must start with the
    /// same bytes as on every earlier call (it only grows); only its first
    /// `limits.max_head_bytes` are read, and the caller decides what a partial
    /// head that fills them means (a head too large).
    #[inline]
    pub(crate) fn parse<F: FieldSink>(
        &mut self,
        buf: &[u8],
        spans: &mut [HeaderSpan],
        fields: &mut F,
        limits: &Limits,
        rules: LineRules,
    ) -> Parse {
        // Offsets into at most `max_head_bytes` (capped at 1 MiB) fit in u32.
        let window = limits.max_head_bytes.min(Limits::MAX_HEAD_BYTES_CAP);
        let buf = buf.get(..window).unwrap_or(buf);
        let result = self.parse_lines(buf, spans, fields, limits, rules);
        self.fast_limit = match result {
            Parse::Partial => self
                .line_start
                .saturating_add(self.line_limit(limits).0)
                .min(window),
            _ => 0,
        };
        result
    }

    #[inline(always)]
    fn parse_lines<F: FieldSink>(
        &mut self,
        buf: &[u8],
        spans: &mut [HeaderSpan],
        fields: &mut F,
        limits: &Limits,
        rules: LineRules,
    ) -> Parse {
        if self.scanned > self.line_start {
            // The current line was looked at before and had no LF: it is
            // parsed again only once the bytes that complete it are here.
            let unseen = buf.get(self.scanned..).unwrap_or_default();
            if find_lf(unseen).is_none() {
                self.scanned = buf.len();
                return self.check_partial(buf.len(), limits);
            }
        }
        while !self.request_line_seen {
            let rest = buf.get(self.line_start..).unwrap_or_default();
            match self.request_line_fast(rest, limits) {
                Some(len) => self.line_start = len,
                None => {
                    if let Some(done) = self.line_general(buf, spans, fields, limits, rules) {
                        return done;
                    }
                }
            }
        }
        // The header lines: the position and the count live in locals (in
        // registers) and go back to `self` whenever the loop is left.
        let passed = |rest: &[u8]| buf.len().wrapping_sub(rest.len());
        let mut rest = buf.get(self.line_start..).unwrap_or_default();
        let mut count = self.parsed.header_count;
        loop {
            if rest.starts_with(b"\r\n") {
                // The empty line ends the head.
                let end = passed(rest).wrapping_add(2);
                self.line_start = end;
                self.scanned = end;
                self.parsed.header_count = count;
                return Parse::Complete(end);
            }
            let line_start = passed(rest);
            match header_line_fast(rest, line_start, count, spans, fields, limits) {
                Some(next_line) => {
                    rest = next_line;
                    count = count.wrapping_add(1);
                }
                None => {
                    self.line_start = line_start;
                    self.parsed.header_count = count;
                    if let Some(done) = self.line_general(buf, spans, fields, limits, rules) {
                        return done;
                    }
                    rest = buf.get(self.line_start..).unwrap_or_default();
                    count = self.parsed.header_count;
                }
            }
        }
    }

    /// The length limit of the line being read, and the error for breaking it.
    fn line_limit(&self, limits: &Limits) -> (usize, RequestError) {
        if self.request_line_seen || self.http2_preface {
            (limits.max_header_line, RequestError::HeaderLineTooLong)
        } else {
            (limits.max_request_line, RequestError::RequestLineTooLong)
        }
    }

    /// The verdict on an unfinished line `len - line_start` bytes long.
    fn check_partial(&self, len: usize, limits: &Limits) -> Parse {
        let (line_limit, too_long) = self.line_limit(limits);
        // +1: the CR of the line ending may already be here.
        if len.saturating_sub(self.line_start) > line_limit.saturating_add(1) {
            Parse::Error(too_long)
        } else {
            Parse::Partial
        }
    }

    /// The usual request line, `method SP target SP HTTP/1.x CRLF`, at the very
    /// start of the head: its length, or None for the general path.
    #[inline(always)]
    fn request_line_fast(&mut self, line: &[u8], limits: &Limits) -> Option<usize> {
        if self.line_start != 0 {
            return None;
        }
        let method_end = tchar_run(line);
        let [b' ', after_space @ ..] = line.get(method_end..)? else {
            return None;
        };
        let target_len = find(after_space, NotVisibleAscii);
        let target_start = method_end.wrapping_add(1);
        let target_end = target_start.wrapping_add(target_len);
        let minor_version = match after_space.get(target_len..target_len.wrapping_add(11))? {
            b" HTTP/1.1\r\n" => 1,
            b" HTTP/1.0\r\n" => 0,
            _ => return None,
        };
        if method_end == 0
            || target_len == 0
            || target_end.wrapping_add(9) > limits.max_request_line
        {
            return None;
        }
        self.parsed.method = Span::in_bounded_head(0, method_end);
        self.parsed.target = Span::in_bounded_head(target_start, target_end);
        self.parsed.minor_version = minor_version;
        self.request_line_seen = true;
        Some(target_end.wrapping_add(11))
    }

    /// Any line the fast paths did not take: finds its end, then applies the
    /// rules in order. None: the line was taken, go on with the next one.
    #[cold]
    #[inline(never)]
    fn line_general<F: FieldSink>(
        &mut self,
        buf: &[u8],
        spans: &mut [HeaderSpan],
        fields: &mut F,
        limits: &Limits,
        rules: LineRules,
    ) -> Option<Parse> {
        let start = self.line_start;
        let rest = buf.get(start..).unwrap_or_default();
        // The bytes up to `scanned` are known to hold no LF: search after them.
        let known = self.scanned.saturating_sub(start);
        let Some(lf_at) = rest
            .get(known..)
            .and_then(find_lf)
            .map(|at| at.wrapping_add(known))
        else {
            self.scanned = buf.len();
            return Some(self.check_partial(buf.len(), limits));
        };
        let (line_limit, too_long) = self.line_limit(limits);
        // A line already too long before its LF is refused as too long, as
        // `check_partial` would have done had the LF come in a later call.
        if lf_at > line_limit.saturating_add(1) {
            return Some(Parse::Error(too_long));
        }
        let crlf = lf_at > 0 && rest.get(lf_at.wrapping_sub(1)) == Some(&b'\r');
        if !crlf && !rules.allow_bare_lf {
            return Some(Parse::Error(RequestError::BareLineFeed));
        }
        let line = rest
            .get(..lf_at.wrapping_sub(usize::from(crlf)))
            .unwrap_or_default();
        self.line_start = start.wrapping_add(lf_at).wrapping_add(1);
        self.scanned = self.line_start;
        let malformed = Some(Parse::Error(RequestError::MalformedHead));
        if self.http2_preface {
            // The preface is exactly `PRI * HTTP/2.0` CRLF CRLF.
            return if line.is_empty() && crlf {
                Some(Parse::Complete(self.line_start))
            } else {
                malformed
            };
        }
        if !self.request_line_seen {
            if line.is_empty() {
                // RFC 9112 §2.2: empty lines before the request line are ignored.
                return None;
            }
            if line.len() > limits.max_request_line {
                return Some(Parse::Error(RequestError::RequestLineTooLong));
            }
            if start == 0 && crlf && line == b"PRI * HTTP/2.0" {
                // The HTTP/2 preface; only an empty line may follow (read
                // as the request line would be, and never as a field).
                self.http2_preface = true;
                return None;
            }
            self.request_line_seen = true;
            let Some((method_len, target_len, minor_version)) = parse_request_line(line) else {
                return malformed;
            };
            let target_start = start.wrapping_add(method_len).wrapping_add(1);
            self.parsed.method = Span::in_bounded_head(start, start.wrapping_add(method_len));
            self.parsed.target =
                Span::in_bounded_head(target_start, target_start.wrapping_add(target_len));
            self.parsed.minor_version = minor_version;
            return None;
        }
        if line.is_empty() {
            return Some(Parse::Complete(self.line_start));
        }
        if line.len() > limits.max_header_line {
            return Some(Parse::Error(RequestError::HeaderLineTooLong));
        }
        let count = self.parsed.header_count;
        if matches!(line.first(), Some(b' ' | b'\t')) {
            // A continuation line; RFC 9112 §5.2. Whitespace right after the
            // request line is never a fold (§2.2) and is always refused.
            if count == 0 || !rules.allow_obs_fold {
                return Some(Parse::Error(if count == 0 {
                    RequestError::MalformedHead
                } else {
                    RequestError::ObsoleteLineFolding
                }));
            }
            let more = trim_ows(line);
            if !is_field_value(more) {
                return malformed;
            }
            // The value runs on to the end of this line; unfolding turns the
            // line ends in between into spaces.
            let more_start =
                start.wrapping_add(line.len().wrapping_sub(trim_ows_start(line).len()));
            let more_end = more_start.wrapping_add(more.len());
            let last = count.checked_sub(1).and_then(|i| spans.get_mut(i));
            if let (Some(last), false) = (last, more.is_empty()) {
                last.value = if last.value.is_empty() {
                    Span::in_bounded_head(more_start, more_end)
                } else {
                    last.value.ending_at(more_end)
                };
            }
            self.folded = true;
            return None;
        }
        if count >= limits.max_headers {
            return Some(Parse::Error(RequestError::TooManyHeaders));
        }
        let Some((name_len, value_start, value_len)) = parse_header_line(line) else {
            return malformed;
        };
        let name = line.get(..name_len).unwrap_or_default();
        let value_start = start.wrapping_add(value_start);
        // Without room (a caller that only checks the head), nothing is kept.
        if let Some(slot) = spans.get_mut(count) {
            *slot = HeaderSpan {
                name: Span::in_bounded_head(start, start.wrapping_add(name_len)),
                value: Span::in_bounded_head(value_start, value_start.wrapping_add(value_len)),
            };
        }
        fields.see(count, name);
        self.parsed.header_count = count.wrapping_add(1);
        None
    }
}

/// The usual header line at `line_start`, `name ":" OWS value OWS CRLF`
/// within the limits: records it as field `index` and returns the bytes after
/// it, or None for the general path (nothing recorded).
#[inline(always)]
fn header_line_fast<'b, F: FieldSink>(
    line: &'b [u8],
    line_start: usize,
    index: usize,
    spans: &mut [HeaderSpan],
    fields: &mut F,
    limits: &Limits,
) -> Option<&'b [u8]> {
    // A recognized name is recorded at once, where the compiler sees which
    // one it is; the rare line refused after that is forgotten. Without room
    // for its positions (too many fields, or a caller that keeps none) a line
    // is the general path's.
    let recognized = fields.recognize(index, line);
    let slot = spans.get_mut(index);
    match header_line(
        line,
        recognized.map(|(len, _)| len),
        slot,
        line_start,
        limits,
    ) {
        Some((next_line, name)) => {
            if recognized.is_none() {
                fields.see(index, name);
            }
            Some(next_line)
        }
        None => {
            if let Some((_, known)) = recognized {
                fields.forget(known);
            }
            None
        }
    }
}

/// The fast path's reading of a header line at `line_start`, its name's
/// length already known when `recognized`: the bytes after the line and the
/// name, with the positions written to `slot`; None for any line it does not
/// take.
#[inline(always)]
fn header_line<'l>(
    line: &'l [u8],
    recognized: Option<usize>,
    slot: Option<&mut HeaderSpan>,
    line_start: usize,
    limits: &Limits,
) -> Option<(&'l [u8], &'l [u8])> {
    let (name, after_colon) = match recognized {
        Some(len) => match line.split_at_checked(len)? {
            (name, [b':', after_colon @ ..]) => (name, after_colon),
            _ => return None,
        },
        None => {
            // Names are nearly always letters, digits and `-` up to the
            // colon; other token bytes take the general path.
            let name_len = find(line, NotNameByte);
            match line.split_at_checked(name_len)? {
                (name, [b':', after_colon @ ..]) => (name, after_colon),
                _ => return None,
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
    let passed = |rest: &[u8]| line.len().wrapping_sub(rest.len());
    let slot = slot?;
    // The line's length without its CRLF.
    if passed(next_line).wrapping_sub(2) > limits.max_header_line {
        return None;
    }
    while let [more @ .., b' ' | b'\t'] = value {
        value = more;
    }
    let value_start = line_start.wrapping_add(passed(value_and_rest));
    *slot = HeaderSpan {
        name: Span::in_bounded_head(line_start, line_start.wrapping_add(name.len())),
        value: Span::in_bounded_head(value_start, value_start.wrapping_add(value.len())),
    };
    Some((next_line, name))
}

/// Replaces every obs-fold (CRLF or LF followed by SP/HTAB) inside the header
/// section with spaces, as RFC 9112 §5.2 allows a recipient to do.
pub(crate) fn unfold_in_place(head: &mut [u8]) {
    let len = head.len();
    let mut i = 0usize;
    while i < len {
        if head.get(i) == Some(&b'\n') && matches!(head.get(i.wrapping_add(1)), Some(b' ' | b'\t'))
        {
            if let Some(b) = head.get_mut(i) {
                *b = b' ';
            }
            if let Some(b) = i.checked_sub(1).and_then(|j| head.get_mut(j))
                && *b == b'\r'
            {
                *b = b' ';
            }
        }
        i = i.wrapping_add(1);
    }
}

/// `line` without its leading OWS.
fn trim_ows_start(mut line: &[u8]) -> &[u8] {
    while let [b' ' | b'\t', rest @ ..] = line {
        line = rest;
    }
    line
}

/// `method SP target SP HTTP/1.x` (RFC 9112 §3; the target visible ASCII):
/// the lengths of method and target (which starts after the method and a
/// space) and the minor version.
fn parse_request_line(line: &[u8]) -> Option<(usize, usize, u8)> {
    let method_len = tchar_run(line);
    let [b' ', after_space @ ..] = line.get(method_len..)? else {
        return None;
    };
    let target_len = find(after_space, NotVisibleAscii);
    let minor_version = match after_space.get(target_len..)? {
        b" HTTP/1.1" => 1,
        b" HTTP/1.0" => 0,
        _ => return None,
    };
    (method_len > 0 && target_len > 0).then_some((method_len, target_len, minor_version))
}

/// `name ":" OWS value OWS` (RFC 9112 §5): the name's length and the value's
/// start and length.
fn parse_header_line(line: &[u8]) -> Option<(usize, usize, usize)> {
    let name_len = tchar_run(line);
    let [b':', after_colon @ ..] = line.get(name_len..)? else {
        return None;
    };
    let value = trim_ows(after_colon);
    if name_len == 0 || !is_field_value(value) {
        return None;
    }
    let value_start = line.len().wrapping_sub(trim_ows_start(after_colon).len());
    Some((name_len, value_start, value.len()))
}

/// True when `value` holds only HTAB, SP, visible ASCII and obs-text.
fn is_field_value(value: &[u8]) -> bool {
    value.iter().all(|&b| b == b'\t' || !ControlByte.has(b))
}

/// Splits a field value from the rest of the head at the CRLF that ends its
/// line, returning the value and the bytes after the CRLF. Value bytes are
/// HTAB, SP, visible ASCII and obs-text; any other control byte, a CR without
/// LF, or no line end gives None.
#[inline(always)]
fn split_at_line_end(value_and_rest: &[u8]) -> Option<(&[u8], &[u8])> {
    let mut at = 0usize;
    loop {
        at = at.wrapping_add(find(value_and_rest.get(at..)?, ControlByte));
        match value_and_rest.split_at_checked(at)? {
            (value, [b'\r', b'\n', next_line @ ..]) => return Some((value, next_line)),
            (_, [b'\t', ..]) => at = at.wrapping_add(1),
            _ => return None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::request::parse_prefix;
    use proptest::prelude::*;

    const STRICT: LineRules = LineRules {
        allow_bare_lf: false,
        allow_obs_fold: false,
    };

    fn naive_line_end(value: &[u8]) -> Option<usize> {
        let stop = value
            .iter()
            .position(|&b| b != b'\t' && (b < 0x20 || b == 0x7f))?;
        (value.get(stop..stop + 2)? == b"\r\n").then_some(stop)
    }

    #[test]
    fn line_end_split_agrees_with_a_byte_loop_for_every_byte_at_every_position() {
        // Lengths around the 16- and 8-byte steps of `byte_scan::find`.
        for len in (1..=20usize).chain([23, 24, 25, 31, 32, 33, 40]) {
            for pos in 0..len {
                for b in 0..=255u8 {
                    for filler in [b'a', b'Z', b'7', b'-', b'_', 0x80, 0xff] {
                        let mut line = vec![filler; len];
                        line[pos] = b;
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

    /// Records every field's name; recognizes `Host` and `Upgrade` lines the
    /// way the server's index does, so both of the parser's name paths run.
    #[derive(Default, Debug, Clone, PartialEq, Eq)]
    struct Names(Vec<(usize, Vec<u8>)>);

    impl FieldSink for Names {
        type Name = ();

        fn recognize(&mut self, index: usize, line: &[u8]) -> Option<(usize, ())> {
            let name = [&b"host:"[..], b"upgrade:"]
                .into_iter()
                .find(|name| crate::byte_scan::starts_with_lowercase(line, name))?;
            let len = name.len() - 1;
            self.0.push((index, line[..len].to_vec()));
            Some((len, ()))
        }

        fn forget(&mut self, (): ()) {
            self.0.pop();
        }

        fn see(&mut self, index: usize, name: &[u8]) {
            self.0.push((index, name.to_vec()));
        }
    }

    /// What a parse found: the verdict, and for a complete head the request
    /// line and the fields.
    #[derive(Debug, Clone, PartialEq, Eq)]
    struct Found {
        parse: Parse,
        parsed: ParsedHead,
        spans: Vec<HeaderSpan>,
        names: Names,
        folded: bool,
    }

    fn found(parser: &RequestParser, parse: Parse, spans: &[HeaderSpan], names: Names) -> Found {
        let complete = matches!(parse, Parse::Complete(_));
        let parsed = parser.parsed();
        Found {
            parse,
            parsed: if complete {
                parsed
            } else {
                ParsedHead::default()
            },
            spans: if complete {
                spans[..parsed.header_count].to_vec()
            } else {
                Vec::new()
            },
            names: if complete { names } else { Names::default() },
            folded: complete && parser.saw_obs_fold(),
        }
    }

    /// Feeds `input` in pieces ending at `cuts` (then the rest), the way the
    /// handle does: a one-byte piece without an LF goes through
    /// `advance_without_lf` when it may.
    fn parse_in_pieces(input: &[u8], cuts: &[usize], limits: &Limits, rules: LineRules) -> Found {
        let mut spans = vec![HeaderSpan::default(); limits.max_headers];
        let mut names = Names::default();
        let mut parser = RequestParser::default();
        let mut ends: Vec<usize> = cuts.iter().map(|&c| c.min(input.len())).collect();
        ends.sort_unstable();
        ends.push(input.len());
        let mut fed = 0;
        let mut parse = Parse::Partial;
        for end in ends {
            if end <= fed && !(end == input.len() && fed == 0) {
                continue;
            }
            let piece = &input[fed..end];
            if piece.len() == 1 && piece[0] != b'\n' && parser.advance_without_lf(end) {
                fed = end;
                continue;
            }
            fed = end;
            parse = parser.parse(&input[..end], &mut spans, &mut names, limits, rules);
            if parse != Parse::Partial {
                break;
            }
        }
        if parse == Parse::Partial && fed == input.len() && parser.bytes_scanned() < fed {
            // The last bytes went through the byte path: one parse sees them
            // as the handle would at its next feed.
            parse = parser.parse(input, &mut spans, &mut names, limits, rules);
        }
        assert!(parser.bytes_scanned() <= input.len().min(limits.max_head_bytes));
        found(&parser, parse, &spans, names)
    }

    fn parse_whole(input: &[u8], limits: &Limits, rules: LineRules) -> Found {
        parse_in_pieces(input, &[], limits, rules)
    }

    /// True when httparse's complete head also meets what this parser adds:
    /// CRLF line ends, a visible-ASCII target, the limits.
    fn within_our_rules(head: &[u8], parsed: &ParsedHead, limits: &Limits) -> bool {
        let mut request_line_seen = false;
        let lines_ok = head.split_inclusive(|&b| b == b'\n').all(|line| {
            let content = line.len().saturating_sub(2);
            // Empty lines before the request line are skipped (RFC 9112 §2.2).
            let limit = if request_line_seen {
                limits.max_header_line
            } else {
                limits.max_request_line
            };
            request_line_seen |= content > 0;
            line.ends_with(b"\r\n") && content <= limit
        });
        let target = parsed.target.get(head);
        lines_ok
            && target.iter().all(u8::is_ascii_graphic)
            && parsed.header_count <= limits.max_headers
            && head.len() <= limits.max_head_bytes
    }

    /// httparse on the same input (the oracle): the verdict and positions of
    /// a complete head, None for an incomplete one, Err for an invalid one.
    fn oracle(input: &[u8], limits: &Limits) -> Result<Option<Found>, ()> {
        let mut spans = vec![HeaderSpan::default(); Limits::MAX_HEADERS_CAP];
        let Some((parsed, n)) = parse_prefix(input, &mut spans).map_err(|_| ())? else {
            return Ok(None);
        };
        let head = &input[..n];
        if !within_our_rules(head, &parsed, limits) {
            return Err(());
        }
        Ok(Some(Found {
            parse: Parse::Complete(n),
            parsed,
            spans: spans[..parsed.header_count].to_vec(),
            names: Names::default(),
            folded: false,
        }))
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
            Just(b"PRI * HTTP/2.0\r\n".to_vec()),
            Just(vec![0x80, 0xff]),
            Just(vec![0, 0x7f, 0x1f]),
            proptest::collection::vec(any::<u8>(), 0..12),
            proptest::collection::vec(prop_oneof![Just(b'a'), Just(b'-'), Just(b'_')], 0..20),
        ]
    }

    fn head_from(framed: bool, parts: &[Vec<u8>]) -> Vec<u8> {
        let mut input = parts.concat();
        if framed {
            // Most random inputs fail at the first byte; framing them as a
            // request line plus an empty line reaches the header rules.
            input.splice(0..0, b"GET /chat HTTP/1.1\r\n".iter().copied());
            input.extend_from_slice(b"\r\n\r\n");
        }
        input
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 3000, ..ProptestConfig::default() })]

        /// The parser decides what httparse decides, at the same positions,
        /// wherever httparse's verdict is within the rules this parser adds
        /// (CRLF only, the limits, a visible-ASCII target).
        #[test]
        fn agrees_with_httparse(
            framed in any::<bool>(),
            parts in proptest::collection::vec(fragment(), 1..14),
            max_headers in 1usize..8,
            max_line in 8usize..64,
            max_head in 16usize..400,
        ) {
            let input = head_from(framed, &parts);
            let limits = Limits {
                max_head_bytes: max_head,
                max_headers,
                max_request_line: max_line,
                max_header_line: max_line,
            };
            let got = parse_whole(&input, &limits, STRICT);
            let window = &input[..input.len().min(max_head)];
            match (oracle(window, &limits), got.parse) {
                (Ok(Some(want)), _) => {
                    if input.starts_with(b"PRI * HTTP/2.0\r\n\r\n") {
                        prop_assert_eq!(got.parse, Parse::Complete(18));
                    } else {
                        let names: Vec<Vec<u8>> = got.names.0.iter().map(|(_, n)| n.clone()).collect();
                        prop_assert_eq!(got.parsed, want.parsed);
                        prop_assert_eq!(&got.spans, &want.spans);
                        prop_assert_eq!(got.parse, want.parse);
                        prop_assert_eq!(names.len(), want.parsed.header_count);
                    }
                }
                (Ok(None), parse) => prop_assert!(
                    matches!(parse, Parse::Partial | Parse::Error(
                        RequestError::RequestLineTooLong | RequestError::HeaderLineTooLong
                        | RequestError::TooManyHeaders | RequestError::BareLineFeed)),
                    "{:?}", parse
                ),
                (Err(()), parse) => prop_assert!(
                    !matches!(parse, Parse::Complete(_))
                        || input.starts_with(b"PRI * HTTP/2.0\r\n\r\n"),
                    "{:?}", parse
                ),
            }
        }

        /// Fed in pieces cut anywhere, or a byte at a time, the parser finds
        /// exactly what it finds in the whole input, in every line mode.
        #[test]
        fn pieces_decide_as_the_whole(
            framed in any::<bool>(),
            parts in proptest::collection::vec(fragment(), 1..14),
            cuts in proptest::collection::vec(0usize..300, 0..6),
            bare_lf in any::<bool>(),
            obs_fold in any::<bool>(),
            max_line in 8usize..64,
        ) {
            let input = head_from(framed, &parts);
            let limits = Limits {
                max_head_bytes: 300,
                max_headers: 6,
                max_request_line: max_line,
                max_header_line: max_line,
            };
            let rules = LineRules { allow_bare_lf: bare_lf, allow_obs_fold: obs_fold };
            let whole = parse_whole(&input, &limits, rules);
            prop_assert_eq!(&parse_in_pieces(&input, &cuts, &limits, rules), &whole);
            let every: Vec<usize> = (1..input.len()).collect();
            prop_assert_eq!(&parse_in_pieces(&input, &every, &limits, rules), &whole);
        }

        /// And it decides every well-formed head itself, as httparse does.
        #[test]
        fn takes_every_plain_head(
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
            let got = parse_whole(&input, &limits, STRICT);
            let want = oracle(&input, &limits).ok().flatten();
            prop_assert!(want.is_some());
            let want = want.unwrap();
            prop_assert_eq!(got.parse, want.parse);
            prop_assert_eq!(got.parsed, want.parsed);
            prop_assert_eq!(got.spans, want.spans);
        }
    }

    #[test]
    fn folded_values_run_to_the_end_of_the_last_continuation() {
        let fold = LineRules {
            allow_bare_lf: false,
            allow_obs_fold: true,
        };
        let head = b"GET / HTTP/1.1\r\nA: 1\r\n 2 \r\nB:\r\n\t x\r\n\r\n";
        let got = parse_whole(head, &Limits::default(), fold);
        assert_eq!(got.parse, Parse::Complete(head.len()));
        assert!(got.folded);
        let values: Vec<&[u8]> = got.spans.iter().map(|s| s.value.get(head)).collect();
        assert_eq!(values, [&b"1\r\n 2"[..], b"x"]);
        // Unfolded, the first value is one line.
        let mut unfolded = head.to_vec();
        unfold_in_place(&mut unfolded);
        assert_eq!(got.spans[0].value.get(&unfolded), b"1   2");
        assert_eq!(
            &unfolded[..],
            b"GET / HTTP/1.1\r\nA: 1   2 \r\nB:  \t x\r\n\r\n"
        );
        assert_eq!(
            parse_whole(head, &Limits::default(), STRICT).parse,
            Parse::Error(RequestError::ObsoleteLineFolding)
        );
        // Whitespace right after the request line is never a fold.
        assert_eq!(
            parse_whole(b"GET / HTTP/1.1\r\n A: 1\r\n\r\n", &Limits::default(), fold).parse,
            Parse::Error(RequestError::MalformedHead)
        );
    }

    #[test]
    fn an_unfinished_line_is_judged_by_its_length_alone() {
        let limits = Limits {
            max_header_line: 10,
            ..Limits::default()
        };
        // A bad byte in a line whose end has not come: not decided yet...
        let partial = b"GET / HTTP/1.1\r\nA\x01b";
        assert_eq!(parse_whole(partial, &limits, STRICT).parse, Parse::Partial);
        // ...refused once the line ends, or once it is too long anyway.
        let ended = b"GET / HTTP/1.1\r\nA\x01b\r\n";
        assert_eq!(
            parse_whole(ended, &limits, STRICT).parse,
            Parse::Error(RequestError::MalformedHead)
        );
        let long = b"GET / HTTP/1.1\r\nA\x01bcdefghijkl";
        assert_eq!(
            parse_whole(long, &limits, STRICT).parse,
            Parse::Error(RequestError::HeaderLineTooLong)
        );
    }

    #[test]
    fn the_http2_preface_is_its_own_head() {
        let preface = b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n";
        let mut parser = RequestParser::default();
        let mut spans = [HeaderSpan::default(); 4];
        let parse = parser.parse(
            preface,
            &mut spans,
            &mut Names::default(),
            &Limits::default(),
            STRICT,
        );
        assert_eq!(parse, Parse::Complete(18));
        assert!(parser.is_http2_preface());
        for not_preface in [
            &b"PRI * HTTP/2.0\r\nA: b\r\n\r\n"[..],
            b"\r\nPRI * HTTP/2.0\r\n\r\n",
        ] {
            assert_eq!(
                parse_whole(not_preface, &Limits::default(), STRICT).parse,
                Parse::Error(RequestError::MalformedHead)
            );
        }
    }
}
