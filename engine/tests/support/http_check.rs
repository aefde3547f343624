//! A strict, hand-written re-parser for the HTTP/1.1 responses the engine
//! writes (RFC 9112 §4, §5, §6). It shares no code with the engine.

/// A response that passed [`parse_response`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParsedResponse {
    /// The three-digit status code.
    pub status: u16,
    /// The reason phrase as sent.
    pub reason: Vec<u8>,
    /// Field names and values in order (values without surrounding OWS).
    pub fields: Vec<(String, Vec<u8>)>,
    /// The bytes after the head.
    pub body: Vec<u8>,
}

impl ParsedResponse {
    /// Every value of the field `name` (ASCII case-insensitive).
    pub fn values<'s, 'n>(&'s self, name: &'n str) -> impl Iterator<Item = &'s [u8]> + use<'s, 'n> {
        self.fields
            .iter()
            .filter(move |(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_slice())
    }

    /// The single value of `name`; an error when absent or repeated.
    pub fn single(&self, name: &str) -> Result<&[u8], String> {
        let mut it = self.values(name);
        match (it.next(), it.next()) {
            (Some(v), None) => Ok(v),
            (None, _) => Err(format!("no {name} field")),
            (Some(_), Some(_)) => Err(format!("{name} repeated")),
        }
    }
}

/// True for an RFC 9110 `tchar`, from the RFC's list (not the engine's table).
pub fn tchar(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b)
}

/// True for a non-empty RFC 9110 token.
pub fn token(s: &[u8]) -> bool {
    !s.is_empty() && s.iter().all(|&b| tchar(b))
}

/// True for a byte allowed inside a field value we send (HTAB, SP, VCHAR, obs-text).
pub fn field_byte(b: u8) -> bool {
    b == b'\t' || (0x20..0x7f).contains(&b) || b >= 0x80
}

/// Parses `bytes` as exactly one complete HTTP/1.1 response: one status line,
/// token field names, values without CR/LF/NUL or other controls, every line
/// ending in CRLF, no Transfer-Encoding, a Content-Length matching the body
/// (required except for 1xx/204/304), and no body or Content-Length on a 1xx.
pub fn parse_response(bytes: &[u8]) -> Result<ParsedResponse, String> {
    parse_response_to(bytes, false)
}

/// True when `request` is a HEAD request (leading empty lines skipped).
pub fn is_head_request(request: &[u8]) -> bool {
    let start = request
        .iter()
        .position(|&b| b != b'\r' && b != b'\n')
        .unwrap_or(request.len());
    request[start..].starts_with(b"HEAD ")
}

/// [`parse_response`] for the answer to a HEAD request when `to_head`: no
/// body, whatever its Content-Length says (RFC 9110 section 9.3.2).
pub fn parse_response_to(bytes: &[u8], to_head: bool) -> Result<ParsedResponse, String> {
    let head_end = bytes
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .ok_or("no CRLF CRLF ending the head")?
        + 4;
    let head = &bytes[..head_end - 2];
    let body = &bytes[head_end..];
    let mut lines = Vec::new();
    let mut rest = head;
    while !rest.is_empty() {
        let lf = rest
            .iter()
            .position(|&b| b == b'\n')
            .ok_or("line without LF")?;
        if lf == 0 || rest[lf - 1] != b'\r' {
            return Err("bare LF".into());
        }
        let line = &rest[..lf - 1];
        if line.contains(&b'\r') {
            return Err("bare CR".into());
        }
        lines.push(line);
        rest = &rest[lf + 1..];
    }
    let (status_line, field_lines) = lines.split_first().ok_or("empty head")?;
    let sl = *status_line;
    if sl.len() < 13 || &sl[..9] != b"HTTP/1.1 " || sl[12] != b' ' {
        return Err(format!("bad status line {:?}", String::from_utf8_lossy(sl)));
    }
    if !sl[9..12].iter().all(u8::is_ascii_digit) || sl[9] == b'0' {
        return Err("status is not three digits".into());
    }
    let status = sl[9..12]
        .iter()
        .fold(0u16, |n, &d| n * 10 + u16::from(d - b'0'));
    let reason = sl[13..].to_vec();
    if !reason.iter().all(|&b| field_byte(b)) {
        return Err("bad byte in reason phrase".into());
    }
    let mut fields = Vec::new();
    for line in field_lines {
        let colon = line
            .iter()
            .position(|&b| b == b':')
            .ok_or("field line without colon")?;
        let name = &line[..colon];
        if !token(name) {
            return Err(format!(
                "field name not a token: {:?}",
                String::from_utf8_lossy(name)
            ));
        }
        let mut value = &line[colon + 1..];
        while let [b' ' | b'\t', r @ ..] = value {
            value = r;
        }
        while let [r @ .., b' ' | b'\t'] = value {
            value = r;
        }
        if !value.iter().all(|&b| field_byte(b)) {
            return Err(format!(
                "control byte in value of {}",
                String::from_utf8_lossy(name)
            ));
        }
        fields.push((String::from_utf8_lossy(name).into_owned(), value.to_vec()));
    }
    let parsed = ParsedResponse {
        status,
        reason,
        fields,
        body: body.to_vec(),
    };
    if parsed.values("transfer-encoding").next().is_some() {
        return Err("Transfer-Encoding in a response we wrote".into());
    }
    let lengths: Vec<&[u8]> = parsed.values("content-length").collect();
    let bodyless = (100..200).contains(&status) || status == 204 || status == 304;
    if (bodyless || to_head) && !body.is_empty() {
        return Err(format!(
            "a body in a {status} response (or an answer to HEAD)"
        ));
    }
    if (status == 204 || status == 304) && !lengths.is_empty() {
        return Err(format!("Content-Length in a {status}"));
    }
    if to_head {
        // The fields say what a GET would get.
    } else if (100..200).contains(&status) {
        if !lengths.is_empty() || !body.is_empty() {
            return Err("a 1xx carries no Content-Length and no body".into());
        }
    } else if !bodyless {
        match lengths.as_slice() {
            [v] => {
                let n = std::str::from_utf8(v)
                    .ok()
                    .filter(|s| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()))
                    .and_then(|s| s.parse::<usize>().ok())
                    .ok_or("Content-Length is not a number")?;
                if n != body.len() {
                    return Err(format!("Content-Length {n} but body of {}", body.len()));
                }
            }
            _ => return Err(format!("{} Content-Length fields", lengths.len())),
        }
    }
    Ok(parsed)
}

/// Splits a field value into trimmed, non-empty comma-list elements.
pub fn list_elements(value: &[u8]) -> Vec<&[u8]> {
    value
        .split(|&b| b == b',')
        .map(trim_ows)
        .filter(|e| !e.is_empty())
        .collect()
}

/// Strips SP/HTAB on both sides.
pub fn trim_ows(mut s: &[u8]) -> &[u8] {
    while let [b' ' | b'\t', r @ ..] = s {
        s = r;
    }
    while let [r @ .., b' ' | b'\t'] = s {
        s = r;
    }
    s
}
