//! The limits on a head and the line rules (read by the request parser and the
//! client), and the client's incremental search for the end of a response
//! head.
//!
//! The scanner remembers how far it has looked, so feeding a head one byte at a
//! time costs the same as feeding it whole: every byte is examined once
//! (CVE-2023-43669 was a parser that rescanned from byte 0 on every read).

#[cfg(feature = "client")]
use crate::byte_scan::find_lf;
#[cfg(feature = "client")]
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
#[cfg(feature = "client")]
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
#[cfg(feature = "client")]
#[derive(Debug, Clone, Default)]
pub(crate) struct HeadScanner {
    /// Bytes of the buffer already examined.
    scanned: usize,
    /// Offset where the current, unfinished line starts.
    line_start: usize,
    /// True once the start line (request or status line) has been seen.
    start_line_seen: bool,
    /// Header fields counted so far.
    headers: usize,
}

#[cfg(feature = "client")]
impl HeadScanner {
    /// A scanner at the start of a head.
    pub(crate) const fn new() -> Self {
        HeadScanner {
            scanned: 0,
            line_start: 0,
            start_line_seen: false,
            headers: 0,
        }
    }

    /// Bytes examined so far (a measure of work).
    pub(crate) fn bytes_scanned(&self) -> usize {
        self.scanned
    }

    /// Examines the bytes of `buf` not seen before. `buf` must start with the
    /// same bytes as on every earlier call (it only grows).
    pub(crate) fn scan(&mut self, buf: &[u8], limits: &Limits, rules: LineRules) -> Scan {
        self.scan_lines(buf, limits, rules)
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

#[cfg(all(test, feature = "client"))]
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
        // Whitespace right after the request line is never a fold.
        assert_eq!(
            scan_whole(b"GET / HTTP/1.1\r\n A: 1\r\n\r\n", &l, rules),
            Scan::Error(RequestError::MalformedHead)
        );
    }
}
