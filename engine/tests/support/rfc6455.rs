//! An independent reading of the rules a server must check before it answers
//! 101 (RFC 6455 §4.2.1, RFC 9112 §2-§6, RFC 9110 §7.8, RFC 7540 §3.2), with its
//! own head parser, SHA-1 and base64. Written from the RFCs, not from the
//! engine: when both agree, two different readings agree.

use super::http_check::{field_byte, list_elements, token, trim_ows};

/// Which legacy line forms the parser tolerates.
#[derive(Debug, Clone, Copy, Default)]
pub struct LineOptions {
    /// A line may end in LF alone.
    pub bare_lf: bool,
    /// A field line may continue on lines starting with SP or HTAB.
    pub obs_fold: bool,
}

/// One field line (continuations joined with SP).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Field {
    /// The name as sent.
    pub name: Vec<u8>,
    /// The value without surrounding OWS.
    pub value: Vec<u8>,
}

/// A request head that passed [`parse_head`].
#[derive(Debug, Clone)]
pub struct Head {
    /// Method token.
    pub method: Vec<u8>,
    /// Request target as sent.
    pub target: Vec<u8>,
    /// `HTTP/1.x`.
    pub version: Vec<u8>,
    /// Field lines in order.
    pub fields: Vec<Field>,
    /// Length of the request line without its line ending.
    pub request_line_len: usize,
    /// Longest field line (continuations counted separately) without its ending.
    pub longest_field_line: usize,
    /// True when a continuation line was joined (lenient obs-fold).
    pub folded: bool,
}

impl Head {
    /// Values of every field named `name` (ASCII case-insensitive).
    pub fn values<'s>(&'s self, name: &'s str) -> impl Iterator<Item = &'s [u8]> + 's {
        self.fields
            .iter()
            .filter(move |f| f.name.eq_ignore_ascii_case(name.as_bytes()))
            .map(|f| f.value.as_slice())
    }

    /// How many fields are named `name`.
    pub fn count(&self, name: &str) -> usize {
        self.values(name).count()
    }

    /// True when the comma lists of every `name` field contain `element`.
    pub fn list_has(&self, name: &str, element: &str) -> bool {
        self.values(name).any(|v| {
            list_elements(v)
                .iter()
                .any(|e| e.eq_ignore_ascii_case(element.as_bytes()))
        })
    }

    /// The comma-list elements over every `name` field, in order.
    pub fn list(&self, name: &str) -> Vec<Vec<u8>> {
        self.values(name)
            .flat_map(|v| list_elements(v).into_iter().map(<[u8]>::to_vec))
            .collect()
    }
}

/// Splits `input` into lines; each item is (content, ending length). Stops at
/// the first line without LF.
fn lines(input: &[u8]) -> impl Iterator<Item = (&[u8], usize)> {
    let mut rest = input;
    std::iter::from_fn(move || {
        let lf = rest.iter().position(|&b| b == b'\n')?;
        let (content, ending) = if lf > 0 && rest[lf - 1] == b'\r' {
            (&rest[..lf - 1], 2)
        } else {
            (&rest[..lf], 1)
        };
        rest = &rest[lf + 1..];
        Some((content, ending))
    })
}

/// What a model of the end-of-head search finds in a byte stream.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ModelScan {
    /// No complete head (and no forbidden line ending) yet.
    Partial,
    /// The first head ends after this many bytes.
    Complete(usize),
    /// A line ends in a bare LF while those are refused.
    BareLf,
}

/// Finds where the first head ends: empty lines before the request line are
/// skipped (RFC 9112 §2.2), and the head ends at the first empty line after it.
pub fn model_scan(input: &[u8], opts: LineOptions) -> ModelScan {
    let mut offset = 0;
    let mut started = false;
    for (content, ending) in lines(input) {
        offset += content.len() + ending;
        if ending == 1 && !opts.bare_lf {
            return ModelScan::BareLf;
        }
        if content.is_empty() {
            if started {
                return ModelScan::Complete(offset);
            }
        } else {
            started = true;
        }
    }
    ModelScan::Partial
}

/// Parses a complete head (exactly; nothing may follow the empty line).
pub fn parse_head(head: &[u8], opts: LineOptions) -> Result<Head, String> {
    let mut it = lines(head);
    let mut consumed = 0;
    let request_line = loop {
        let (content, ending) = it.next().ok_or("no request line")?;
        consumed += content.len() + ending;
        if ending == 1 && !opts.bare_lf {
            return Err("bare LF".into());
        }
        if !content.is_empty() {
            break content;
        }
    };
    if request_line.contains(&b'\r') {
        return Err("bare CR in request line".into());
    }
    let parts: Vec<&[u8]> = request_line.split(|&b| b == b' ').collect();
    let [method, target, version] = parts.as_slice() else {
        return Err("request line is not three parts separated by single spaces".into());
    };
    if !token(method) {
        return Err("method is not a token".into());
    }
    if target.is_empty()
        || !target
            .iter()
            .all(|&b| (0x21..0x7f).contains(&b) || b >= 0x80)
    {
        return Err("request target has a control byte or is empty".into());
    }
    if version.len() != 8 || &version[..7] != b"HTTP/1." || !version[7].is_ascii_digit() {
        return Err("version is not HTTP/1.x".into());
    }
    let mut fields: Vec<Field> = Vec::new();
    let mut longest = 0;
    let mut ended = false;
    let mut folded = false;
    for (content, ending) in it.by_ref() {
        consumed += content.len() + ending;
        if ending == 1 && !opts.bare_lf {
            return Err("bare LF".into());
        }
        if content.contains(&b'\r') {
            return Err("bare CR".into());
        }
        if content.is_empty() {
            ended = true;
            break;
        }
        longest = longest.max(content.len());
        if matches!(content[0], b' ' | b'\t') {
            let Some(last) = fields.last_mut() else {
                return Err("whitespace line before any field".into());
            };
            if !opts.obs_fold {
                return Err("obsolete line folding".into());
            }
            folded = true;
            let more = trim_ows(content);
            if !more.iter().all(|&b| field_byte(b)) {
                return Err("control byte in a continuation".into());
            }
            if !more.is_empty() {
                if !last.value.is_empty() {
                    last.value.push(b' ');
                }
                last.value.extend_from_slice(more);
            }
            continue;
        }
        let colon = content
            .iter()
            .position(|&b| b == b':')
            .ok_or("field line without colon")?;
        let name = &content[..colon];
        if !token(name) {
            return Err("field name is not a token".into());
        }
        let value = trim_ows(&content[colon + 1..]);
        if !value.iter().all(|&b| field_byte(b)) {
            return Err("control byte in a field value".into());
        }
        fields.push(Field {
            name: name.to_vec(),
            value: value.to_vec(),
        });
    }
    if !ended || consumed != head.len() {
        return Err("head does not end with exactly one empty line".into());
    }
    Ok(Head {
        method: method.to_vec(),
        target: target.to_vec(),
        version: version.to_vec(),
        fields,
        request_line_len: request_line.len(),
        longest_field_line: longest,
        folded,
    })
}

/// RFC 3986 `unreserved` / `sub-delims` bytes allowed in a reg-name.
fn reg_name_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"-._~!$&'()*+,;=".contains(&b)
}

/// True for a Host value per RFC 9112 §3.2 / RFC 3986 §3.2.2:
/// `uri-host [ ":" port ]`, host an IP-literal, IPv4 address or reg-name
/// (which may be empty), port `*DIGIT`.
pub fn host_value_ok(v: &[u8]) -> bool {
    let (host, port) = if v.first() == Some(&b'[') {
        let Some(close) = v.iter().position(|&b| b == b']') else {
            return false;
        };
        let inside = &v[1..close];
        let ipv6 = !inside.is_empty()
            && inside
                .iter()
                .all(|&b| b.is_ascii_hexdigit() || b == b':' || b == b'.')
            && inside.contains(&b':');
        // IPvFuture = "v" 1*HEXDIG "." 1*( unreserved / sub-delims / ":" )
        let future = matches!(inside.first(), Some(b'v' | b'V'))
            && inside.iter().position(|&b| b == b'.').is_some_and(|dot| {
                dot > 1
                    && dot + 1 < inside.len()
                    && inside[1..dot].iter().all(u8::is_ascii_hexdigit)
                    && inside[dot + 1..]
                        .iter()
                        .all(|&b| reg_name_byte(b) || b == b':')
            });
        if !(ipv6 || future) {
            return false;
        }
        match &v[close + 1..] {
            [] => (&v[..0], None),
            [b':', port @ ..] => (&v[..0], Some(port)),
            _ => return false,
        }
    } else {
        match v.iter().position(|&b| b == b':') {
            Some(i) => (&v[..i], Some(&v[i + 1..])),
            None => (v, None),
        }
    };
    let host_ok = {
        let mut i = 0;
        let mut ok = true;
        while i < host.len() {
            if host[i] == b'%' {
                ok &= host.len() > i + 2
                    && host[i + 1].is_ascii_hexdigit()
                    && host[i + 2].is_ascii_hexdigit();
                i += 3;
            } else {
                ok &= reg_name_byte(host[i]);
                i += 1;
            }
        }
        ok
    };
    host_ok && port.is_none_or(|p| p.iter().all(u8::is_ascii_digit))
}

/// What the independent check learned from a valid WebSocket request.
#[derive(Debug, Clone)]
pub struct WsFacts {
    /// The `Sec-WebSocket-Key` value as sent.
    pub key: Vec<u8>,
    /// Offered subprotocols in order.
    pub offered: Vec<Vec<u8>>,
    /// Every `Sec-WebSocket-Extensions` value in order.
    pub extension_values: Vec<Vec<u8>>,
}

/// Server policy the independent check applies besides the RFC.
#[derive(Debug, Clone, Default)]
pub struct Policy {
    /// Legacy line forms accepted.
    pub lines: LineOptions,
    /// A request without Host may be upgraded.
    pub allow_missing_host: bool,
    /// WebSocket upgrades are performed at all.
    pub websocket: bool,
    /// Supported subprotocols in server order.
    pub subprotocols: Vec<String>,
    /// Server order decides (else client order).
    pub server_preference: bool,
    /// A request offering no supported subprotocol is refused.
    pub require_subprotocol: bool,
    /// Allowed origins, when a list is set.
    pub origins: Option<Vec<String>>,
    /// A request without Origin is refused.
    pub require_origin: bool,
    /// Generic upgrade protocols in config order.
    pub upgrade_protocols: Vec<String>,
}

fn common_ok(head: &Head, policy: &Policy) -> Result<(), String> {
    if head.version != b"HTTP/1.1" {
        return Err("not HTTP/1.1".into());
    }
    match head.count("host") {
        0 if policy.allow_missing_host => {}
        1 => {
            let v = head.values("host").next().unwrap_or_default();
            if !host_value_ok(v) {
                return Err(format!("invalid Host {:?}", String::from_utf8_lossy(v)));
            }
        }
        n => return Err(format!("{n} Host fields")),
    }
    if head.count("transfer-encoding") != 0 {
        return Err("Transfer-Encoding present".into());
    }
    match head.values("content-length").collect::<Vec<_>>().as_slice() {
        [] => {}
        [v] if !v.is_empty() && v.iter().all(|&b| b == b'0') => {}
        _ => return Err("Content-Length other than one field of zero".into()),
    }
    if !head.list_has("connection", "upgrade") {
        return Err("Connection does not list upgrade".into());
    }
    Ok(())
}

/// RFC 6455 §4.2.1 plus the policy: Ok with what was learned, or why not.
pub fn websocket_request_ok(head: &Head, policy: &Policy) -> Result<WsFacts, String> {
    if !policy.websocket {
        return Err("WebSocket not enabled".into());
    }
    if head.method != b"GET" {
        return Err("method is not GET".into());
    }
    common_ok(head, policy)?;
    if !head.list_has("upgrade", "websocket") {
        return Err("Upgrade does not list websocket".into());
    }
    let keys: Vec<&[u8]> = head.values("sec-websocket-key").collect();
    let [key] = keys.as_slice() else {
        return Err(format!("{} keys", keys.len()));
    };
    if !key_ok(key) {
        return Err("key is not 16 bytes of canonical base64".into());
    }
    let versions: Vec<&[u8]> = head.values("sec-websocket-version").collect();
    if versions.as_slice() != [b"13".as_slice()] {
        return Err("version is not exactly one 13".into());
    }
    let offered = head.list("sec-websocket-protocol");
    if !offered.iter().all(|p| token(p)) {
        return Err("subprotocol list has a non-token".into());
    }
    if policy.require_subprotocol
        && !offered.iter().any(|o| {
            policy
                .subprotocols
                .iter()
                .any(|s| s.as_bytes() == o.as_slice())
        })
    {
        return Err("no supported subprotocol offered".into());
    }
    let extension_values: Vec<Vec<u8>> = head
        .values("sec-websocket-extensions")
        .map(<[u8]>::to_vec)
        .collect();
    for v in &extension_values {
        if super::grammar_check::extension_list_model(v).is_none() {
            return Err("extension list syntax".into());
        }
    }
    let origins: Vec<&[u8]> = head.values("origin").collect();
    if origins.len() > 1 {
        return Err("several Origin fields".into());
    }
    match (origins.first(), &policy.origins) {
        (None, _) if policy.require_origin => return Err("Origin required".into()),
        (None, _) => {}
        (Some(_), None) => {}
        (Some(o), Some(list)) => {
            if !list.iter().any(|a| a.as_bytes().eq_ignore_ascii_case(o)) {
                return Err("Origin not allowed".into());
            }
        }
    }
    Ok(WsFacts {
        key: key.to_vec(),
        offered,
        extension_values,
    })
}

/// RFC 9110 §7.8 for a generic protocol (and RFC 7540 §3.2.1 for h2c).
pub fn generic_upgrade_ok(head: &Head, policy: &Policy, protocol: &str) -> Result<(), String> {
    common_ok(head, policy)?;
    if !head.list_has("upgrade", protocol) {
        return Err(format!("Upgrade does not list {protocol}"));
    }
    if protocol.eq_ignore_ascii_case("h2c") {
        if !head.list_has("connection", "http2-settings") {
            return Err("Connection does not list HTTP2-Settings".into());
        }
        let settings: Vec<&[u8]> = head.values("http2-settings").collect();
        let [s] = settings.as_slice() else {
            return Err(format!("{} HTTP2-Settings fields", settings.len()));
        };
        let decoded = base64url_decode(s).ok_or("HTTP2-Settings is not base64url")?;
        if decoded.len() % 6 != 0 {
            return Err("HTTP2-Settings is not a whole number of settings".into());
        }
    }
    Ok(())
}

const STD_ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const URL_ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// Decodes unpadded base64 text in `alphabet`, refusing non-canonical trailing bits.
fn decode_unpadded(text: &[u8], alphabet: &[u8; 64]) -> Option<Vec<u8>> {
    if text.len() % 4 == 1 {
        return None;
    }
    let mut out = Vec::new();
    let mut acc: u32 = 0;
    let mut bits = 0;
    for &c in text {
        let v = alphabet.iter().position(|&a| a == c)? as u32;
        acc = (acc << 6) | v;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    (acc == 0).then_some(out)
}

/// base64url without padding (RFC 4648 §5), canonical.
pub fn base64url_decode(text: &[u8]) -> Option<Vec<u8>> {
    decode_unpadded(text, URL_ALPHABET)
}

/// True for a `Sec-WebSocket-Key`: canonical padded base64 of exactly 16 bytes.
pub fn key_ok(key: &[u8]) -> bool {
    key.len() == 24
        && key.ends_with(b"==")
        && decode_unpadded(&key[..22], STD_ALPHABET).is_some_and(|d| d.len() == 16)
}

/// Standard padded base64.
pub fn base64_encode(data: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    for chunk in data.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(STD_ALPHABET[((n >> (18 - 6 * i)) & 63) as usize]);
            } else {
                out.push(b'=');
            }
        }
    }
    out
}

/// SHA-1 (FIPS 180-4), a plain implementation for checking accept values.
pub fn sha1(data: &[u8]) -> [u8; 20] {
    let mut h: [u32; 5] = [
        0x6745_2301,
        0xEFCD_AB89,
        0x98BA_DCFE,
        0x1032_5476,
        0xC3D2_E1F0,
    ];
    let mut msg = data.to_vec();
    let bit_len = (data.len() as u64).wrapping_mul(8);
    msg.push(0x80);
    while msg.len() % 64 != 56 {
        msg.push(0);
    }
    msg.extend_from_slice(&bit_len.to_be_bytes());
    for block in msg.chunks(64) {
        let mut w = [0u32; 80];
        for (i, word) in block.chunks(4).enumerate() {
            w[i] = u32::from_be_bytes([word[0], word[1], word[2], word[3]]);
        }
        for i in 16..80 {
            w[i] = (w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16]).rotate_left(1);
        }
        let [mut a, mut b, mut c, mut d, mut e] = h;
        for (i, &wi) in w.iter().enumerate() {
            let (f, k) = match i {
                0..=19 => ((b & c) | (!b & d), 0x5A82_7999),
                20..=39 => (b ^ c ^ d, 0x6ED9_EBA1),
                40..=59 => ((b & c) | (b & d) | (c & d), 0x8F1B_BCDC),
                _ => (b ^ c ^ d, 0xCA62_C1D6),
            };
            let t = a
                .rotate_left(5)
                .wrapping_add(f)
                .wrapping_add(e)
                .wrapping_add(k)
                .wrapping_add(wi);
            e = d;
            d = c;
            c = b.rotate_left(30);
            b = a;
            a = t;
        }
        for (x, y) in h.iter_mut().zip([a, b, c, d, e]) {
            *x = x.wrapping_add(y);
        }
    }
    let mut out = [0u8; 20];
    for (i, x) in h.iter().enumerate() {
        out[4 * i..4 * i + 4].copy_from_slice(&x.to_be_bytes());
    }
    out
}

/// The `Sec-WebSocket-Accept` value for `key`, computed independently.
pub fn expected_accept(key: &[u8]) -> Vec<u8> {
    let mut input = key.to_vec();
    input.extend_from_slice(b"258EAFA5-E914-47DA-95CA-C5AB0DC85B11");
    base64_encode(&sha1(&input))
}
