//! The body of a refusal (a non-101 final response), read within a size limit.
//!
//! Framing follows RFC 9112 §6.3: no body for 204 and 304; a chunked body when
//! `Transfer-Encoding` ends in `chunked` (decoded: chunk sizes, extensions and
//! trailers are dropped; `Transfer-Encoding` overrides `Content-Length`); a
//! `Content-Length` body; otherwise everything until the connection closes,
//! which the caller signals. Every byte is examined once.

use crate::error::ResponseError;
use crate::response_head::ResponseView;
use alloc::vec::Vec;

/// Longest chunk-size line (size and extensions) accepted.
const MAX_CHUNK_LINE: usize = 1024;

/// How the body ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Framing {
    /// No body (or all of it has been read).
    Complete,
    /// This many bytes remain.
    Length(usize),
    /// A chunked body in this decoding state.
    Chunked(ChunkState),
    /// The body ends when the connection closes.
    UntilClose,
}

/// Where the chunked decoder is (RFC 9112 §7.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ChunkState {
    /// Reading the hex digits of a chunk size.
    Size,
    /// Skipping chunk extensions after the size.
    Extension,
    /// The chunk-size line's CR was seen.
    SizeLf,
    /// This many data bytes of the current chunk remain.
    Data(usize),
    /// The CR after a chunk's data is expected.
    DataCr,
    /// The LF after a chunk's data is expected.
    DataLf,
    /// At the start of a trailer field line or of the final empty line.
    TrailerLineStart,
    /// Inside a trailer field line.
    TrailerLine,
    /// A trailer line's CR was seen; `empty` when the line was empty.
    TrailerLf {
        /// The line was the empty line that ends the message.
        empty: bool,
    },
}

/// Reads a refusal's body into a caller-owned buffer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct BodyReader {
    framing: Framing,
    max_body: usize,
    max_trailer: usize,
    /// Value of the chunk size being read.
    chunk_size: usize,
    /// Bytes of the current chunk-size line.
    line_len: usize,
    /// Bytes of the trailer section so far.
    trailer_len: usize,
}

impl BodyReader {
    /// A reader with nothing to read.
    pub(crate) const fn empty() -> Self {
        BodyReader {
            framing: Framing::Complete,
            max_body: 0,
            max_trailer: 0,
            chunk_size: 0,
            line_len: 0,
            trailer_len: 0,
        }
    }

    /// Chooses the framing of a final non-101 response.
    pub(crate) fn for_response(
        view: &ResponseView<'_>,
        max_body: usize,
        max_trailer: usize,
    ) -> Result<BodyReader, ResponseError> {
        let mut reader = BodyReader {
            max_body,
            max_trailer,
            ..BodyReader::empty()
        };
        reader.framing = if matches!(view.status(), 100..=199 | 204 | 304) {
            Framing::Complete
        } else if view.header_occurrences("transfer-encoding") > 0 {
            let last = view.list("transfer-encoding").last();
            if last.is_some_and(|c| c.eq_ignore_ascii_case(b"chunked")) {
                Framing::Chunked(ChunkState::Size)
            } else {
                Framing::UntilClose
            }
        } else {
            match view.header_occurrences("content-length") {
                0 => Framing::UntilClose,
                1 => {
                    let value = view.header("content-length").unwrap_or_default();
                    let len = parse_length(value).ok_or(ResponseError::InvalidContentLength)?;
                    if len > max_body {
                        return Err(ResponseError::BodyTooLarge);
                    }
                    Framing::Length(len)
                }
                _ => return Err(ResponseError::InvalidContentLength),
            }
        };
        if reader.framing == Framing::Length(0) {
            reader.framing = Framing::Complete;
        }
        Ok(reader)
    }

    /// True once the whole body has been read.
    pub(crate) fn is_complete(&self) -> bool {
        self.framing == Framing::Complete
    }

    /// The connection closed: fine for a body that runs until close or is
    /// complete, an error otherwise.
    pub(crate) fn at_eof(&mut self) -> Result<(), ResponseError> {
        match self.framing {
            Framing::Complete => Ok(()),
            Framing::UntilClose => {
                self.framing = Framing::Complete;
                Ok(())
            }
            Framing::Length(_) | Framing::Chunked(_) => Err(ResponseError::IncompleteBody),
        }
    }

    /// Reads body bytes from `input` into `body`; returns how many input bytes
    /// belong to the body. Stops at the end of the body.
    pub(crate) fn read(
        &mut self,
        input: &[u8],
        body: &mut Vec<u8>,
    ) -> Result<usize, ResponseError> {
        match self.framing {
            Framing::Complete => Ok(0),
            Framing::Length(remaining) => {
                let n = remaining.min(input.len());
                append(body, input.get(..n).unwrap_or_default(), self.max_body)?;
                let left = remaining.saturating_sub(n);
                self.framing = if left == 0 {
                    Framing::Complete
                } else {
                    Framing::Length(left)
                };
                Ok(n)
            }
            Framing::UntilClose => {
                append(body, input, self.max_body)?;
                Ok(input.len())
            }
            Framing::Chunked(state) => self.read_chunked(state, input, body),
        }
    }

    fn read_chunked(
        &mut self,
        mut state: ChunkState,
        input: &[u8],
        body: &mut Vec<u8>,
    ) -> Result<usize, ResponseError> {
        use ChunkState::*;
        let bad = ResponseError::InvalidChunkedBody;
        let mut pos = 0usize;
        while let Some(rest) = input.get(pos..).filter(|r| !r.is_empty()) {
            if let Data(remaining) = state {
                let n = remaining.min(rest.len());
                append(body, rest.get(..n).unwrap_or_default(), self.max_body)?;
                pos = pos.saturating_add(n);
                let left = remaining.saturating_sub(n);
                state = if left == 0 { DataCr } else { Data(left) };
                continue;
            }
            let b = rest.first().copied().unwrap_or_default();
            pos = pos.saturating_add(1);
            if matches!(state, Size | Extension | SizeLf) {
                self.line_len = self.line_len.saturating_add(1);
                if self.line_len > MAX_CHUNK_LINE {
                    return Err(bad);
                }
            }
            if matches!(state, TrailerLineStart | TrailerLine | TrailerLf { .. }) {
                self.trailer_len = self.trailer_len.saturating_add(1);
                if self.trailer_len > self.max_trailer {
                    return Err(ResponseError::BodyTooLarge);
                }
            }
            state = match (state, b) {
                (Size, _) if b.is_ascii_hexdigit() => {
                    let digit = usize::from(hex_value(b));
                    self.chunk_size = self
                        .chunk_size
                        .checked_mul(16)
                        .and_then(|v| v.checked_add(digit))
                        .filter(|&v| v <= self.max_body.saturating_sub(body.len()))
                        .ok_or(ResponseError::BodyTooLarge)?;
                    Size
                }
                // At least one digit before the extensions or the line end:
                // `line_len` counts this byte too.
                (Size, b';' | b' ' | b'\t') if self.line_len > 1 => Extension,
                (Size, b'\r') if self.line_len > 1 => SizeLf,
                (Extension, b'\r') => SizeLf,
                (Extension, _) if is_field_byte(b) => Extension,
                (SizeLf, b'\n') => {
                    self.line_len = 0;
                    let size = core::mem::take(&mut self.chunk_size);
                    if size == 0 {
                        TrailerLineStart
                    } else {
                        Data(size)
                    }
                }
                (DataCr, b'\r') => DataLf,
                (DataLf, b'\n') => Size,
                (TrailerLineStart, b'\r') => TrailerLf { empty: true },
                (TrailerLineStart | TrailerLine, _) if is_field_byte(b) && b != b'\r' => {
                    TrailerLine
                }
                (TrailerLine, b'\r') => TrailerLf { empty: false },
                (TrailerLf { empty: true }, b'\n') => {
                    self.framing = Framing::Complete;
                    return Ok(pos);
                }
                (TrailerLf { empty: false }, b'\n') => TrailerLineStart,
                _ => return Err(bad),
            };
        }
        self.framing = Framing::Chunked(state);
        Ok(pos)
    }
}

/// Appends within the limit; the buffer's capacity is the limit, so this never
/// reallocates.
fn append(body: &mut Vec<u8>, bytes: &[u8], max_body: usize) -> Result<(), ResponseError> {
    if body.len().saturating_add(bytes.len()) > max_body {
        return Err(ResponseError::BodyTooLarge);
    }
    body.extend_from_slice(bytes);
    Ok(())
}

/// Visible ASCII, SP, HTAB and obs-text: what a field line or chunk extension may
/// contain.
fn is_field_byte(b: u8) -> bool {
    b == b'\t' || b == b' ' || (0x21..=0x7e).contains(&b) || b >= 0x80
}

fn hex_value(b: u8) -> u8 {
    match b {
        b'0'..=b'9' => b.wrapping_sub(b'0'),
        b'a'..=b'f' => b.wrapping_sub(b'a').wrapping_add(10),
        b'A'..=b'F' => b.wrapping_sub(b'A').wrapping_add(10),
        _ => 0,
    }
}

/// A `Content-Length` value: one decimal number (RFC 9110 §8.6).
fn parse_length(value: &[u8]) -> Option<usize> {
    if value.is_empty() || !value.iter().all(u8::is_ascii_digit) {
        return None;
    }
    value.iter().try_fold(0usize, |n, &d| {
        n.checked_mul(10)?
            .checked_add(usize::from(d.wrapping_sub(b'0')))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::response_head::{FieldSpan, parse_response_head};

    fn reader(head: &[u8], max_body: usize) -> Result<BodyReader, ResponseError> {
        let mut spans = vec![FieldSpan::default(); 16];
        let parsed = parse_response_head(head, &mut spans).unwrap();
        let view = ResponseView::new(head, parsed, &spans);
        BodyReader::for_response(&view, max_body, 64)
    }

    /// Reads `input` in pieces of `step` bytes; returns the body and the bytes used.
    fn read_all(
        mut r: BodyReader,
        input: &[u8],
        step: usize,
        max_body: usize,
    ) -> Result<(Vec<u8>, usize, bool), ResponseError> {
        let mut body = Vec::with_capacity(max_body);
        let mut used = 0;
        for piece in input.chunks(step.max(1)) {
            let n = r.read(piece, &mut body)?;
            used += n;
            if r.is_complete() {
                break;
            }
            assert_eq!(n, piece.len());
        }
        Ok((body, used, r.is_complete()))
    }

    const CHUNKED: &[u8] = b"HTTP/1.1 401 X\r\nTransfer-Encoding: chunked\r\n\r\n";

    #[test]
    fn chunked_decoding_is_split_invariant() {
        let input = b"5;ext=\"v\"\r\nhello\r\nA\r\n, world!!!\r\n0\r\nX-T: 1\r\n\r\nNEXT";
        for step in 1..input.len() {
            let (body, used, done) =
                read_all(reader(CHUNKED, 100).unwrap(), input, step, 100).unwrap();
            assert_eq!(body, b"hello, world!!!");
            assert_eq!(used, input.len() - 4);
            assert!(done);
        }
    }

    #[test]
    fn chunked_errors() {
        for (bad, err) in [
            (&b"\r\n"[..], ResponseError::InvalidChunkedBody),
            (b"x\r\n", ResponseError::InvalidChunkedBody),
            (b"5\nhello\r\n", ResponseError::InvalidChunkedBody),
            (b"5\r\nhelloX\r\n", ResponseError::InvalidChunkedBody),
            (b"1\r\na\r\n0\r\nbad\nline\r\n", ResponseError::InvalidChunkedBody),
            (b";x\r\n", ResponseError::InvalidChunkedBody),
            (b"65\r\n", ResponseError::BodyTooLarge),
            (b"ffffffffffffffffffffffff\r\n", ResponseError::BodyTooLarge),
            (b"0\r\nX-Long: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\r\n\r\n", ResponseError::BodyTooLarge),
        ] {
            assert_eq!(
                read_all(reader(CHUNKED, 100).unwrap(), bad, 1, 100).unwrap_err(),
                err,
                "{:?}",
                String::from_utf8_lossy(bad)
            );
        }
        let long_line = [b'0'; MAX_CHUNK_LINE + 1];
        assert_eq!(
            read_all(reader(CHUNKED, 100).unwrap(), &long_line, 7, 100).unwrap_err(),
            ResponseError::InvalidChunkedBody
        );
        // Leading zeros are fine below the line limit.
        let (body, _, done) = read_all(
            reader(CHUNKED, 100).unwrap(),
            b"0001\r\nz\r\n0\r\n\r\n",
            1,
            100,
        )
        .unwrap();
        assert_eq!((body.as_slice(), done), (&b"z"[..], true));
    }

    #[test]
    fn framing_choice() {
        let r = reader(b"HTTP/1.1 204 No Content\r\nContent-Length: 5\r\n\r\n", 10).unwrap();
        assert!(r.is_complete());
        let r = reader(b"HTTP/1.1 302 Found\r\nContent-Length: 0\r\n\r\n", 10).unwrap();
        assert!(r.is_complete());
        let r = reader(b"HTTP/1.1 403 F\r\nContent-Length: 3\r\n\r\n", 10).unwrap();
        let (body, used, done) = read_all(r, b"abcdef", 2, 10).unwrap();
        assert_eq!((body.as_slice(), used, done), (&b"abc"[..], 3, true));
        assert_eq!(
            reader(b"HTTP/1.1 403 F\r\nContent-Length: 11\r\n\r\n", 10).unwrap_err(),
            ResponseError::BodyTooLarge
        );
        for bad in [
            &b"HTTP/1.1 403 F\r\nContent-Length: 1, 1\r\n\r\n"[..],
            b"HTTP/1.1 403 F\r\nContent-Length: 1\r\nContent-Length: 1\r\n\r\n",
            b"HTTP/1.1 403 F\r\nContent-Length: -1\r\n\r\n",
            b"HTTP/1.1 403 F\r\nContent-Length: 99999999999999999999999\r\n\r\n",
        ] {
            assert_eq!(
                reader(bad, 10).unwrap_err(),
                ResponseError::InvalidContentLength
            );
        }
        // Transfer-Encoding overrides Content-Length.
        let r = reader(
            b"HTTP/1.1 403 F\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n",
            10,
        )
        .unwrap();
        let (body, _, done) = read_all(r, b"1\r\nx\r\n0\r\n\r\n", 100, 10).unwrap();
        assert_eq!((body.as_slice(), done), (&b"x"[..], true));
        // A final coding other than chunked: until close.
        let mut r = reader(
            b"HTTP/1.1 403 F\r\nTransfer-Encoding: chunked, gzip\r\n\r\n",
            10,
        )
        .unwrap();
        let (body, _, done) = read_all(r, b"raw", 1, 10).unwrap();
        assert_eq!((body.as_slice(), done), (&b"raw"[..], false));
        assert_eq!(r.at_eof(), Ok(()));
        assert!(r.is_complete());
    }

    #[test]
    fn until_close_and_eof() {
        let mut r = reader(b"HTTP/1.1 500 E\r\nConnection: close\r\n\r\n", 4).unwrap();
        let mut body = Vec::with_capacity(4);
        assert_eq!(r.read(b"abcd", &mut body), Ok(4));
        assert_eq!(r.read(b"e", &mut body), Err(ResponseError::BodyTooLarge));
        assert_eq!(r.at_eof(), Ok(()));
        let mut r = reader(b"HTTP/1.1 500 E\r\nContent-Length: 3\r\n\r\n", 4).unwrap();
        let mut body = Vec::with_capacity(4);
        assert_eq!(r.read(b"ab", &mut body), Ok(2));
        assert_eq!(r.at_eof(), Err(ResponseError::IncompleteBody));
        let mut r = reader(CHUNKED, 4).unwrap();
        assert_eq!(r.at_eof(), Err(ResponseError::IncompleteBody));
    }
}
