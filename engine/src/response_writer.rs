//! Writes HTTP/1.1 responses into a caller's buffer with plain byte copies.
//!
//! The writer keeps counting past the end of the buffer, so a caller whose buffer
//! is too small learns the exact size it needs.

use crate::error::UsageError;
use crate::token_list::is_token;

/// Appends bytes to a fixed buffer, tracking the size needed.
#[derive(Debug)]
pub(crate) struct ResponseWriter<'b> {
    buf: &'b mut [u8],
    len: usize,
}

impl<'b> ResponseWriter<'b> {
    /// A writer over `buf`.
    pub(crate) fn new(buf: &'b mut [u8]) -> Self {
        ResponseWriter { buf, len: 0 }
    }

    /// Appends `bytes` (or only counts them once the buffer is full).
    #[inline]
    pub(crate) fn push(&mut self, bytes: &[u8]) {
        let end = self.len.saturating_add(bytes.len());
        if let Some(dst) = self.buf.get_mut(self.len..end) {
            dst.copy_from_slice(bytes);
        }
        self.len = end;
    }

    /// Appends a decimal number.
    pub(crate) fn push_decimal(&mut self, mut n: usize) {
        let mut digits = [0u8; 20];
        let mut i = digits.len();
        loop {
            i = i.saturating_sub(1);
            if let Some(d) = digits.get_mut(i) {
                *d = b'0'.wrapping_add((n % 10) as u8);
            }
            n /= 10;
            if n == 0 || i == 0 {
                break;
            }
        }
        self.push(digits.get(i..).unwrap_or_default());
    }

    /// Appends `name: value\r\n`. Inlined so that a constant name is copied
    /// without a call.
    #[inline(always)]
    pub(crate) fn header(&mut self, name: &[u8], value: &[u8]) {
        self.push(name);
        self.push(b": ");
        self.push(value);
        self.push(b"\r\n");
    }

    /// Appends `HTTP/1.1 <status> <reason>\r\n`.
    pub(crate) fn status_line(&mut self, status: u16) {
        self.push(b"HTTP/1.1 ");
        self.push_decimal(usize::from(status));
        self.push(b" ");
        self.push(reason_phrase(status).as_bytes());
        self.push(b"\r\n");
    }

    /// Bytes written (or needed) so far.
    #[cfg(feature = "client")]
    pub(crate) fn len(&self) -> usize {
        self.len
    }

    /// The total length, or the size needed when the buffer was too small.
    pub(crate) fn finish(self) -> Result<usize, UsageError> {
        if self.len <= self.buf.len() {
            Ok(self.len)
        } else {
            Err(UsageError::BufferTooSmall { needed: self.len })
        }
    }
}

/// The usual reason phrase for a status code (empty when unknown, which
/// RFC 9112 §4 allows).
pub(crate) fn reason_phrase(status: u16) -> &'static str {
    match status {
        101 => "Switching Protocols",
        200 => "OK",
        300 => "Multiple Choices",
        301 => "Moved Permanently",
        302 => "Found",
        303 => "See Other",
        307 => "Temporary Redirect",
        308 => "Permanent Redirect",
        400 => "Bad Request",
        401 => "Unauthorized",
        402 => "Payment Required",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        406 => "Not Acceptable",
        407 => "Proxy Authentication Required",
        408 => "Request Timeout",
        409 => "Conflict",
        410 => "Gone",
        413 => "Content Too Large",
        414 => "URI Too Long",
        421 => "Misdirected Request",
        426 => "Upgrade Required",
        428 => "Precondition Required",
        429 => "Too Many Requests",
        431 => "Request Header Fields Too Large",
        451 => "Unavailable For Legal Reasons",
        500 => "Internal Server Error",
        501 => "Not Implemented",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        _ => "",
    }
}

/// True for a field value the engine may send: HTAB, SP, visible ASCII and
/// obs-text, with no leading or trailing whitespace. CR, LF and NUL never pass,
/// so a caller's value cannot split the response.
pub(crate) fn is_safe_value(v: &[u8]) -> bool {
    let edges_ok =
        !matches!(v.first(), Some(b' ' | b'\t')) && !matches!(v.last(), Some(b' ' | b'\t'));
    edges_ok
        && v.iter()
            .all(|&b| b == b'\t' || (b' '..=b'~').contains(&b) || b >= 0x80)
}

/// Validates a caller-supplied header against the names the handshake owns.
pub(crate) fn check_header(name: &[u8], value: &[u8], reserved: &[&str]) -> Result<(), UsageError> {
    if !is_token(name) {
        return Err(UsageError::InvalidHeaderName);
    }
    if !is_safe_value(value) {
        return Err(UsageError::InvalidHeaderValue);
    }
    if reserved
        .iter()
        .any(|r| r.as_bytes().eq_ignore_ascii_case(name))
    {
        return Err(UsageError::ReservedHeader);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reports_needed_size() {
        let mut small = [0u8; 8];
        let mut w = ResponseWriter::new(&mut small);
        w.status_line(101);
        assert_eq!(w.finish(), Err(UsageError::BufferTooSmall { needed: 34 }));
        let mut big = [0u8; 64];
        let mut w = ResponseWriter::new(&mut big);
        w.status_line(426);
        w.push_decimal(0);
        w.push_decimal(1234);
        let n = w.finish().unwrap();
        assert_eq!(&big[..n], b"HTTP/1.1 426 Upgrade Required\r\n01234");
    }

    #[test]
    fn header_checks() {
        assert_eq!(check_header(b"X-A", b"ok value", &[]), Ok(()));
        assert_eq!(
            check_header(b"X A", b"v", &[]),
            Err(UsageError::InvalidHeaderName)
        );
        assert_eq!(
            check_header(b"X-A", b"v\r\nSet-Cookie: x", &[]),
            Err(UsageError::InvalidHeaderValue)
        );
        assert_eq!(
            check_header(b"X-A", b"v\0", &[]),
            Err(UsageError::InvalidHeaderValue)
        );
        assert_eq!(
            check_header(b"X-A", b" v", &[]),
            Err(UsageError::InvalidHeaderValue)
        );
        assert_eq!(
            check_header(b"upgrade", b"v", &["Upgrade"]),
            Err(UsageError::ReservedHeader)
        );
    }
}
