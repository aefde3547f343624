//! `ws://` and `wss://` URLs (RFC 6455 §3) and serialized origins (RFC 6454 §6.2),
//! parsed without a URL library.
//!
//! The parser is deliberately strict: what it accepts can be written into a
//! request head as is. It refuses a fragment, userinfo, an empty host, bad
//! percent-encoding, and any byte outside the RFC 3986 character classes
//! (spaces, control bytes, non-ASCII). Internationalized host names must be given
//! in their ASCII (punycode) form; non-ASCII path bytes must be percent-encoded.

use alloc::string::{String, ToString};
use core::net::Ipv6Addr;
use core::str::FromStr;

use crate::error::UsageError;

/// What kind of host a URL names. TLS callers send SNI only for [`HostKind::Name`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum HostKind {
    /// A registered name such as `example.com`.
    Name,
    /// A dotted-quad IPv4 address such as `127.0.0.1`.
    Ipv4,
    /// A bracketed IPv6 literal such as `[::1]`.
    Ipv6,
}

/// A parsed `ws://` or `wss://` URL: everything the opening request and the
/// connection need, normalized (lowercase scheme and host).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct WsUrl {
    secure: bool,
    kind: HostKind,
    port: u16,
    /// `host[:port]`, the port left out when it is the scheme's default.
    host_header: String,
    /// Length of the host (brackets included) at the start of `host_header`.
    host_len: usize,
    /// Path (at least `/`) and, when the query is non-empty, `?query`.
    resource: String,
}

/// The host and port of an authority, borrowed from the input.
struct Authority<'a> {
    host: &'a str,
    kind: HostKind,
    port: Option<u16>,
}

impl WsUrl {
    /// Parses `url`. Every refusal is [`UsageError::InvalidUrl`].
    pub fn parse(url: &str) -> Result<WsUrl, UsageError> {
        parse_url(url).ok_or(UsageError::InvalidUrl)
    }

    /// True for `wss://`: the caller must run TLS before the handshake.
    pub fn secure(&self) -> bool {
        self.secure
    }

    /// The host as it appears in the `Host` field: lowercase, IPv6 literals in
    /// brackets (`[::1]`).
    pub fn host(&self) -> &str {
        self.host_header.get(..self.host_len).unwrap_or_default()
    }

    /// The host to resolve or connect to: like [`WsUrl::host`] without the
    /// brackets of an IPv6 literal.
    pub fn connect_host(&self) -> &str {
        let host = self.host();
        match self.kind {
            HostKind::Ipv6 => host
                .strip_prefix('[')
                .and_then(|h| h.strip_suffix(']'))
                .unwrap_or(host),
            HostKind::Name | HostKind::Ipv4 => host,
        }
    }

    /// What kind of host the URL names.
    pub fn host_kind(&self) -> HostKind {
        self.kind
    }

    /// The port to connect to (80 or 443 when the URL gives none).
    pub fn port(&self) -> u16 {
        self.port
    }

    /// The `Host` field value: the host, then `:port` unless the port is the
    /// scheme's default (80 for `ws`, 443 for `wss`).
    pub fn host_header(&self) -> &str {
        &self.host_header
    }

    /// The resource name sent in the request line: the path (`/` when empty),
    /// then `?` and the query when the query is non-empty.
    pub fn resource(&self) -> &str {
        &self.resource
    }
}

impl FromStr for WsUrl {
    type Err = UsageError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        WsUrl::parse(s)
    }
}

fn parse_url(url: &str) -> Option<WsUrl> {
    let (scheme, rest) = url.split_once("://")?;
    let secure = if scheme.eq_ignore_ascii_case("ws") {
        false
    } else if scheme.eq_ignore_ascii_case("wss") {
        true
    } else {
        return None;
    };
    if rest.contains('#') {
        // RFC 6455 §3: fragment identifiers are meaningless here and refused.
        return None;
    }
    let authority_end = rest.find(['/', '?']).unwrap_or(rest.len());
    let (authority, path_and_query) = rest.split_at(authority_end);
    let authority = parse_authority(authority)?;
    let (path, query) = match path_and_query.split_once('?') {
        Some((p, q)) => (p, q),
        None => (path_and_query, ""),
    };
    if !path.bytes().all(|b| b == b'/' || is_pchar_byte(b)) || !pct_encoding_ok(path) {
        return None;
    }
    if !query
        .bytes()
        .all(|b| b == b'/' || b == b'?' || is_pchar_byte(b))
        || !pct_encoding_ok(query)
    {
        return None;
    }
    let default_port = if secure { 443 } else { 80 };
    let port = authority.port.unwrap_or(default_port);
    let mut host_header = authority.host.to_ascii_lowercase();
    let host_len = host_header.len();
    if port != default_port {
        host_header.push(':');
        host_header.push_str(&port.to_string());
    }
    let mut resource =
        String::with_capacity(path.len().saturating_add(query.len()).saturating_add(2));
    if path.is_empty() {
        resource.push('/');
    }
    resource.push_str(path);
    if !query.is_empty() {
        resource.push('?');
        resource.push_str(query);
    }
    Some(WsUrl {
        secure,
        kind: authority.kind,
        port,
        host_header,
        host_len,
        resource,
    })
}

/// Parses `host [ ":" port ]`, refusing userinfo and an empty host or port.
fn parse_authority(authority: &str) -> Option<Authority<'_>> {
    if authority.contains('@') {
        return None;
    }
    let (host, kind, after_host) = if let Some(inner_and_rest) = authority.strip_prefix('[') {
        let close = inner_and_rest.find(']')?;
        let (inner, rest) = inner_and_rest.split_at(close);
        // A zone identifier or IPvFuture does not parse as an address: refused.
        Ipv6Addr::from_str(inner).ok()?;
        let host_end = close.saturating_add(2);
        let host = authority.get(..host_end)?;
        (host, HostKind::Ipv6, rest.get(1..)?)
    } else {
        let host_end = authority.find(':').unwrap_or(authority.len());
        let (host, rest) = authority.split_at(host_end);
        (host, reg_name_or_ipv4(host)?, rest)
    };
    let port = match after_host.strip_prefix(':') {
        None if after_host.is_empty() => None,
        None => return None,
        Some(digits) => Some(parse_port(digits)?),
    };
    Some(Authority { host, kind, port })
}

/// 1..=65535, decimal digits only.
fn parse_port(digits: &str) -> Option<u16> {
    if digits.is_empty() || digits.len() > 5 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let port = digits.parse::<u16>().ok()?;
    (port != 0).then_some(port)
}

/// A host that is not bracketed: a registered name of unreserved characters, or a
/// dotted-quad IPv4 address. A name whose last label is numeric must be a valid
/// IPv4 address (`1.2.3.256` and `0x7f.1` are refused, as browsers do).
fn reg_name_or_ipv4(host: &str) -> Option<HostKind> {
    if host.is_empty()
        || !host
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~'))
    {
        return None;
    }
    let without_root = host.strip_suffix('.').unwrap_or(host);
    let last_label = without_root.rsplit('.').next().unwrap_or_default();
    if !last_label.is_empty() && last_label.bytes().all(|b| b.is_ascii_digit()) {
        return is_ipv4(host).then_some(HostKind::Ipv4);
    }
    Some(HostKind::Name)
}

/// Four decimal octets 0..=255 without leading zeros (RFC 3986 `IPv4address`).
fn is_ipv4(host: &str) -> bool {
    let mut octets = 0usize;
    for part in host.split('.') {
        octets = octets.saturating_add(1);
        let ok = !part.is_empty()
            && part.len() <= 3
            && part.bytes().all(|b| b.is_ascii_digit())
            && !(part.len() > 1 && part.starts_with('0'))
            && part.parse::<u8>().is_ok();
        if !ok {
            return false;
        }
    }
    octets == 4
}

/// RFC 3986 `pchar` bytes (the `%` of a pct-encoding is checked separately).
fn is_pchar_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric()
        || matches!(
            b,
            b'-' | b'.'
                | b'_'
                | b'~'
                | b'%'
                | b'!'
                | b'$'
                | b'&'
                | b'\''
                | b'('
                | b')'
                | b'*'
                | b'+'
                | b','
                | b';'
                | b'='
                | b':'
                | b'@'
        )
}

/// Every `%` is followed by two hex digits.
fn pct_encoding_ok(s: &str) -> bool {
    let b = s.as_bytes();
    let mut i = 0usize;
    while let Some(&c) = b.get(i) {
        if c == b'%' {
            let hex = |j: usize| b.get(j).is_some_and(u8::is_ascii_hexdigit);
            if !hex(i.saturating_add(1)) || !hex(i.saturating_add(2)) {
                return false;
            }
            i = i.saturating_add(3);
        } else {
            i = i.saturating_add(1);
        }
    }
    true
}

/// True for a value the `Origin` field may carry (RFC 6454 §7.1): `null`, or a
/// serialized origin `scheme "://" host [ ":" port ]` with no path, userinfo or
/// trailing slash.
pub(crate) fn is_valid_origin(origin: &str) -> bool {
    if origin == "null" {
        return true;
    }
    let Some((scheme, authority)) = origin.split_once("://") else {
        return false;
    };
    let mut scheme_bytes = scheme.bytes();
    let scheme_ok = scheme_bytes.next().is_some_and(|b| b.is_ascii_alphabetic())
        && scheme_bytes.all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'-' | b'.'));
    scheme_ok && parse_authority(authority).is_some()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn url(s: &str) -> WsUrl {
        WsUrl::parse(s).unwrap_or_else(|e| panic!("{s}: {e}"))
    }

    #[test]
    fn defaults_and_resource() {
        let u = url("ws://example.com");
        assert!(!u.secure());
        assert_eq!(u.host_header(), "example.com");
        assert_eq!(u.port(), 80);
        assert_eq!(u.resource(), "/");
        assert_eq!(u.host_kind(), HostKind::Name);
        let u = url("wss://example.com:443/chat?room=1&x=%20y");
        assert!(u.secure());
        assert_eq!(u.host_header(), "example.com");
        assert_eq!(u.port(), 443);
        assert_eq!(u.resource(), "/chat?room=1&x=%20y");
        // A query without a path still gets the "/" path.
        assert_eq!(url("ws://h?x=1").resource(), "/?x=1");
        // An empty query adds no "?" (RFC 6455 §3).
        assert_eq!(url("ws://h/a?").resource(), "/a");
        assert_eq!(url("ws://h/a/?b?c/d").resource(), "/a/?b?c/d");
    }

    #[test]
    fn ports() {
        assert_eq!(url("ws://h:80/").host_header(), "h");
        assert_eq!(url("ws://h:443/").host_header(), "h:443");
        assert_eq!(url("wss://h:80/").host_header(), "h:80");
        assert_eq!(url("wss://h:8443").port(), 8443);
        assert_eq!(url("ws://h:65535").port(), 65535);
        assert_eq!(url("ws://h:0080").host_header(), "h");
        for bad in [
            "ws://h:0/",
            "ws://h:65536/",
            "ws://h:/",
            "ws://h:8a/",
            "ws://h:-1/",
        ] {
            assert_eq!(WsUrl::parse(bad), Err(UsageError::InvalidUrl), "{bad}");
        }
    }

    #[test]
    fn scheme_and_host_are_case_insensitive() {
        let u = url("WSS://Example.COM:9000/Path");
        assert!(u.secure());
        assert_eq!(u.host_header(), "example.com:9000");
        assert_eq!(u.resource(), "/Path");
        assert!(!url("Ws://a").secure());
    }

    #[test]
    fn ip_literals() {
        let u = url("ws://[::1]:9000/x?y");
        assert_eq!(u.host_header(), "[::1]:9000");
        assert_eq!(u.host(), "[::1]");
        assert_eq!(u.connect_host(), "::1");
        assert_eq!(u.host_kind(), HostKind::Ipv6);
        assert_eq!(u.resource(), "/x?y");
        assert_eq!(url("wss://[2001:DB8::1]/").host_header(), "[2001:db8::1]");
        assert_eq!(
            url("ws://[::ffff:1.2.3.4]").connect_host(),
            "::ffff:1.2.3.4"
        );
        let v4 = url("ws://127.0.0.1:8080");
        assert_eq!(v4.host_kind(), HostKind::Ipv4);
        assert_eq!(v4.connect_host(), "127.0.0.1");
        for bad in [
            "ws://[::1/",
            "ws://[::g]/",
            "ws://[fe80::1%25eth0]/",
            "ws://[v1.x]/",
            "ws://[::1]x/",
            "ws://::1/",
            "ws://1.2.3.256/",
            "ws://1.2.3/",
            "ws://01.2.3.4/",
            "ws://0x7f.1/",
            "ws://1.2.3.4.5/",
        ] {
            assert_eq!(WsUrl::parse(bad), Err(UsageError::InvalidUrl), "{bad}");
        }
        // A numeric label that is not the last one is an ordinary name.
        assert_eq!(url("ws://1.example").host_kind(), HostKind::Name);
    }

    #[test]
    fn refusals() {
        for bad in [
            "",
            "ws:/h",
            "ws:h",
            "http://h/",
            "wss//h",
            "ws:///",
            "ws://",
            "ws://:80/",
            "ws://h/#f",
            "ws://h/a#",
            "ws://user@h/",
            "ws://user:pw@h/",
            "ws://h/a b",
            "ws://h /",
            " ws://h/",
            "ws://h/\r\nX: y",
            "ws://h/\0",
            "ws://h/%",
            "ws://h/%4",
            "ws://h/%zz",
            "ws://h/?%G0",
            "ws://h/é",
            "ws://hé/",
            "ws://h%41/",
            "ws://h/\\",
            "ws://h/<x>",
            "ws://h/a\"b",
        ] {
            assert_eq!(WsUrl::parse(bad), Err(UsageError::InvalidUrl), "{bad:?}");
        }
    }

    #[test]
    fn origins() {
        for good in [
            "null",
            "https://example.com",
            "http://example.com:8080",
            "https://[::1]:8443",
            "chrome-extension://abcdef",
        ] {
            assert!(is_valid_origin(good), "{good}");
        }
        for bad in [
            "",
            "example.com",
            "https://example.com/",
            "https://user@example.com",
            "https://",
            "1http://a",
            "https://a\r\nX: y",
            "https://a b",
            "NULL ",
        ] {
            assert!(!is_valid_origin(bad), "{bad:?}");
        }
    }
}
