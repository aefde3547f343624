//! Incremental search for the end of a request or response head, with limits.
//!
//! The scanner remembers how far it has looked, so feeding a head one byte at a
//! time costs the same as feeding it whole: every byte is examined once
//! (CVE-2023-43669 was a parser that rescanned from byte 0 on every read).

use crate::error::RequestError;

/// Size limits on a head. Memory per handshake is bounded by these.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Maximum bytes in the head, request line and final empty line included.
    pub max_head_bytes: usize,
    /// Maximum number of header fields (default 128, the cap: python-websockets'
    /// value; a request through a few proxies carries 100 legitimately, and the
    /// head-bytes limit already bounds the work).
    pub max_headers: usize,
    /// Maximum length of the request line (status line for responses), without CRLF.
    pub max_request_line: usize,
    /// Maximum length of one header line, without CRLF.
    pub max_header_line: usize,
}

impl Limits {
    /// Largest `max_headers` a config may set (bounds the parser's stack array).
    pub const MAX_HEADERS_CAP: usize = 128;
    /// Largest `max_head_bytes` a config may set (offsets are stored as `u32`).
    pub const MAX_HEAD_BYTES_CAP: usize = 1 << 20;
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_head_bytes: 16 * 1024,
            max_headers: Limits::MAX_HEADERS_CAP,
            max_request_line: 8 * 1024,
            max_header_line: 8 * 1024,
        }
    }
}

/// What the scanner found so far.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Scan {
    /// The head is not complete yet.
    Partial,
    /// The head ends after this many bytes.
    Complete(usize),
    /// A limit or line-ending rule was broken.
    Error(RequestError),
}

/// Line-ending and folding rules the scanner applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct LineRules {
    /// Accept lines that end in LF alone.
    pub allow_bare_lf: bool,
    /// Accept obsolete line folding (continuation lines starting with SP/HTAB).
    pub allow_obs_fold: bool,
}

/// Incremental head scanner; see the module docs.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct HeadScanner {
    /// Bytes of the buffer already examined.
    scanned: usize,
    /// Offset where the current, unfinished line starts.
    line_start: usize,
    /// True once the start line (request or status line) has been seen.
    start_line_seen: bool,
    /// Header fields counted so far.
    headers: usize,
    /// True when at least one obs-fold continuation line was accepted.
    folded: bool,
    /// The buffer length up to which bytes without an LF break no limit (the
    /// current line's limit and the head limit), refreshed by every `scan`;
    /// 0 before the first one.
    fast_limit: usize,
}

impl HeadScanner {
    /// A scanner at the start of a head.
    pub(crate) const fn new() -> Self {
        HeadScanner {
            scanned: 0,
            line_start: 0,
            start_line_seen: false,
            headers: 0,
            folded: false,
            fast_limit: 0,
        }
    }

    /// Bytes examined so far (a measure of work; what a resumed one-shot
    /// call need not look at again).
    pub(crate) fn bytes_scanned(&self) -> usize {
        self.scanned
    }

    /// The state as plain numbers (bytes scanned, line start, header count,
    /// flags), for a caller that keeps it in its own memory between calls.
    pub(crate) fn to_words(self) -> [usize; 4] {
        let flags = usize::from(self.start_line_seen) | usize::from(self.folded) << 1;
        [self.scanned, self.line_start, self.headers, flags]
    }

    /// A scanner from [`HeadScanner::to_words`]. Any numbers make a scanner
    /// that stays panic-free (every access is checked); wrong ones only give
    /// a wrong verdict for the bytes they claim were checked.
    pub(crate) fn from_words([scanned, line_start, headers, flags]: [usize; 4]) -> Self {
        HeadScanner {
            scanned,
            line_start,
            start_line_seen: flags & 1 != 0,
            headers,
            folded: flags & 2 != 0,
            fast_limit: 0,
        }
    }

    /// Fast path for a feed of a few bytes with no LF among them: advances the
    /// scan to `new_len` and returns true when no limit can be broken yet;
    /// false means "call `scan`" (nothing was changed).
    #[inline]
    pub(crate) fn advance_without_lf(&mut self, new_len: usize) -> bool {
        // Strictly below the limits, so `check_partial` would say Partial.
        if new_len <= self.fast_limit {
            self.scanned = new_len;
            true
        } else {
            false
        }
    }

    /// Ends the scan (the head was decided): `advance_without_lf` refuses every
    /// length from now on, so a caller's byte fast path needs no state check.
    pub(crate) fn stop(&mut self) {
        self.fast_limit = 0;
    }

    /// Records that a head of `len` bytes was found complete by another parser
    /// (the one-pass path), so the work count stays exact.
    pub(crate) fn mark_complete(&mut self, len: usize) {
        self.scanned = len;
        self.line_start = len;
        self.start_line_seen = true;
    }

    /// True when an obs-fold continuation was accepted (the head needs unfolding).
    pub(crate) fn saw_obs_fold(&self) -> bool {
        self.folded
    }

    /// Examines the bytes of `buf` not seen before. `buf` must start with the
    /// same bytes as on every earlier call (it only grows).
    pub(crate) fn scan(&mut self, buf: &[u8], limits: &Limits, rules: LineRules) -> Scan {
        let scan = self.scan_lines(buf, limits, rules);
        let (line_limit, _) = self.line_limit(limits);
        self.fast_limit = self
            .line_start
            .saturating_add(line_limit)
            .min(limits.max_head_bytes);
        scan
    }

    /// The length limit of the line being read, and the error for breaking it.
    fn line_limit(&self, limits: &Limits) -> (usize, RequestError) {
        if self.start_line_seen {
            (limits.max_header_line, RequestError::HeaderLineTooLong)
        } else {
            (limits.max_request_line, RequestError::RequestLineTooLong)
        }
    }

    fn scan_lines(&mut self, buf: &[u8], limits: &Limits, rules: LineRules) -> Scan {
        loop {
            if self.scanned == buf.len() {
                // Every byte so far was checked against the limits (here or by
                // `advance_without_lf`, which is stricter than `check_partial`).
                return Scan::Partial;
            }
            let unseen = buf.get(self.scanned..).unwrap_or_default();
            let Some(rel) = find_lf(unseen) else {
                self.scanned = buf.len();
                return self.check_partial(buf.len(), limits);
            };
            let lf = self.scanned.saturating_add(rel);
            self.scanned = lf.saturating_add(1);
            // A line already too long before its LF is refused as too long, as
            // `check_partial` would have done had the LF come in a later call:
            // the verdict must not depend on the chunking.
            let (line_limit, too_long) = self.line_limit(limits);
            if lf.saturating_sub(self.line_start) > line_limit.saturating_add(1) {
                return Scan::Error(too_long);
            }
            let line_end = if lf > self.line_start && buf.get(lf.wrapping_sub(1)) == Some(&b'\r') {
                lf.wrapping_sub(1)
            } else {
                if !rules.allow_bare_lf {
                    return Scan::Error(RequestError::BareLineFeed);
                }
                lf
            };
            let line = buf.get(self.line_start..line_end).unwrap_or_default();
            self.line_start = self.scanned;
            if self.scanned > limits.max_head_bytes {
                return Scan::Error(RequestError::HeadTooLarge);
            }
            if !self.start_line_seen {
                if line.is_empty() {
                    // RFC 9112 §2.2: empty lines before the request line are ignored.
                    continue;
                }
                if line.len() > limits.max_request_line {
                    return Scan::Error(RequestError::RequestLineTooLong);
                }
                self.start_line_seen = true;
                continue;
            }
            if line.is_empty() {
                return Scan::Complete(self.scanned);
            }
            if line.len() > limits.max_header_line {
                return Scan::Error(RequestError::HeaderLineTooLong);
            }
            if matches!(line.first(), Some(b' ' | b'\t')) {
                // A continuation line; RFC 9112 §5.2. Whitespace right after the
                // start line is never a fold (§2.2) and is always refused.
                if self.headers == 0 || !rules.allow_obs_fold {
                    return Scan::Error(if self.headers == 0 {
                        RequestError::MalformedHead
                    } else {
                        RequestError::ObsoleteLineFolding
                    });
                }
                self.folded = true;
                continue;
            }
            self.headers = self.headers.saturating_add(1);
            if self.headers > limits.max_headers {
                return Scan::Error(RequestError::TooManyHeaders);
            }
        }
    }

    fn check_partial(&self, len: usize, limits: &Limits) -> Scan {
        let (line_limit, too_long) = self.line_limit(limits);
        // +1: the CR of the line ending may already be here.
        if len.saturating_sub(self.line_start) > line_limit.saturating_add(1) {
            Scan::Error(too_long)
        } else if len > limits.max_head_bytes {
            Scan::Error(RequestError::HeadTooLarge)
        } else {
            Scan::Partial
        }
    }
}

/// Position of the first LF, scanning a machine word at a time.
#[inline]
pub(crate) fn find_lf(s: &[u8]) -> Option<usize> {
    const LO: u64 = 0x0101_0101_0101_0101;
    const HI: u64 = 0x8080_8080_8080_8080;
    const LF: u64 = LO.wrapping_mul(b'\n' as u64);
    let mut chunks = s.chunks_exact(8);
    let mut offset = 0usize;
    for chunk in &mut chunks {
        let mut word = [0u8; 8];
        word.copy_from_slice(chunk);
        let x = u64::from_le_bytes(word) ^ LF;
        let found = x.wrapping_sub(LO) & !x & HI;
        if found != 0 {
            return Some(offset.wrapping_add((found.trailing_zeros() / 8) as usize));
        }
        offset = offset.wrapping_add(8);
    }
    chunks
        .remainder()
        .iter()
        .position(|&b| b == b'\n')
        .map(|p| offset.wrapping_add(p))
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

#[cfg(test)]
#[allow(clippy::field_reassign_with_default)]
mod tests {
    use super::*;

    const STRICT: LineRules = LineRules {
        allow_bare_lf: false,
        allow_obs_fold: false,
    };

    fn scan_whole(head: &[u8], limits: &Limits, rules: LineRules) -> Scan {
        HeadScanner::new().scan(head, limits, rules)
    }

    #[test]
    fn advance_without_lf_stops_exactly_at_the_line_and_head_limits() {
        let l = Limits {
            max_head_bytes: 40,
            max_headers: 4,
            max_request_line: 20,
            max_header_line: 10,
        };
        let mut s = HeadScanner::new();
        // Nothing is known before the first scan.
        assert!(!s.advance_without_lf(1));
        assert_eq!(s.scan(b"G", &l, STRICT), Scan::Partial);
        // The request line may grow to 20 bytes, not 21.
        assert!(s.advance_without_lf(20));
        assert!(!s.advance_without_lf(21));
        let head = b"GET / HTTP/1.1\r\nX:";
        let mut s = HeadScanner::new();
        assert_eq!(s.scan(head, &l, STRICT), Scan::Partial);
        // A header line starting at 16 may reach 26...
        assert!(s.advance_without_lf(26));
        assert!(!s.advance_without_lf(27));
        assert_eq!(s.bytes_scanned(), 26);
        // ...unless the head limit comes first.
        let tight = Limits {
            max_head_bytes: 24,
            ..l
        };
        let mut s = HeadScanner::new();
        assert_eq!(s.scan(head, &tight, STRICT), Scan::Partial);
        assert!(s.advance_without_lf(24));
        assert!(!s.advance_without_lf(25));
    }

    #[test]
    fn finds_end_and_is_split_invariant() {
        let head = b"GET / HTTP/1.1\r\nHost: a\r\n\r\nextra";
        let l = Limits::default();
        assert_eq!(scan_whole(head, &l, STRICT), Scan::Complete(27));
        let mut s = HeadScanner::new();
        let mut result = Scan::Partial;
        for n in 1..=head.len() {
            result = s.scan(&head[..n], &l, STRICT);
            if result != Scan::Partial {
                break;
            }
        }
        assert_eq!(result, Scan::Complete(27));
        assert_eq!(s.bytes_scanned(), 27);
    }

    #[test]
    fn find_lf_matches_naive() {
        let data: Vec<u8> = (0..200u8)
            .map(|i| if i % 37 == 36 { b'\n' } else { i | 0x80 })
            .collect();
        for start in 0..data.len() {
            let s = &data[start..];
            assert_eq!(find_lf(s), s.iter().position(|&b| b == b'\n'));
        }
    }

    #[test]
    fn bare_lf_rules() {
        let l = Limits::default();
        let head = b"GET / HTTP/1.1\nHost: a\n\n";
        assert_eq!(
            scan_whole(head, &l, STRICT),
            Scan::Error(RequestError::BareLineFeed)
        );
        let lenient = LineRules {
            allow_bare_lf: true,
            allow_obs_fold: false,
        };
        assert_eq!(scan_whole(head, &l, lenient), Scan::Complete(head.len()));
    }

    #[test]
    fn leading_empty_lines_are_skipped() {
        let head = b"\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\n";
        assert_eq!(
            scan_whole(head, &Limits::default(), STRICT),
            Scan::Complete(head.len())
        );
    }

    #[test]
    fn limits_at_and_past_the_boundary() {
        let head = b"GET / HTTP/1.1\r\nA: 1\r\nB: 2\r\n\r\n";
        let mut l = Limits::default();
        l.max_headers = 2;
        assert_eq!(scan_whole(head, &l, STRICT), Scan::Complete(head.len()));
        l.max_headers = 1;
        assert_eq!(
            scan_whole(head, &l, STRICT),
            Scan::Error(RequestError::TooManyHeaders)
        );
        let mut l = Limits::default();
        l.max_head_bytes = head.len();
        assert_eq!(scan_whole(head, &l, STRICT), Scan::Complete(head.len()));
        l.max_head_bytes = head.len() - 1;
        assert_eq!(
            scan_whole(head, &l, STRICT),
            Scan::Error(RequestError::HeadTooLarge)
        );
        let mut l = Limits::default();
        l.max_request_line = 14;
        assert_eq!(scan_whole(head, &l, STRICT), Scan::Complete(head.len()));
        l.max_request_line = 13;
        assert_eq!(
            scan_whole(head, &l, STRICT),
            Scan::Error(RequestError::RequestLineTooLong)
        );
        // Detected before the line ends.
        assert_eq!(
            scan_whole(b"GET /aaaaaaaaaaaaaaaaaaaa", &l, STRICT),
            Scan::Error(RequestError::RequestLineTooLong)
        );
        let mut l = Limits::default();
        l.max_header_line = 4;
        assert_eq!(scan_whole(head, &l, STRICT), Scan::Complete(head.len()));
        l.max_header_line = 3;
        assert_eq!(
            scan_whole(head, &l, STRICT),
            Scan::Error(RequestError::HeaderLineTooLong)
        );
    }

    #[test]
    fn obs_fold() {
        let head = b"GET / HTTP/1.1\r\nA: 1\r\n 2\r\n\r\n";
        let l = Limits::default();
        assert_eq!(
            scan_whole(head, &l, STRICT),
            Scan::Error(RequestError::ObsoleteLineFolding)
        );
        let rules = LineRules {
            allow_bare_lf: false,
            allow_obs_fold: true,
        };
        let mut s = HeadScanner::new();
        assert_eq!(s.scan(head, &l, rules), Scan::Complete(head.len()));
        assert!(s.saw_obs_fold());
        let mut owned = head.to_vec();
        unfold_in_place(&mut owned);
        assert_eq!(&owned[..], b"GET / HTTP/1.1\r\nA: 1   2\r\n\r\n");
        // Whitespace right after the request line is never a fold.
        assert_eq!(
            scan_whole(b"GET / HTTP/1.1\r\n A: 1\r\n\r\n", &l, rules),
            Scan::Error(RequestError::MalformedHead)
        );
    }
}
