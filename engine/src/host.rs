//! RFC 3986 host and port syntax (§3.2.2, §3.2.3), the one copy used by the
//! server's `Host` check, the `ws://` URL parser and extended CONNECT's
//! `:authority`.
//!
//! [`split`] takes `host [ ":" port ]` apart by the grammar alone: the host is
//! a bracketed IP literal or a (possibly empty) reg-name of unreserved,
//! sub-delims and `%XX` bytes (IPv4 addresses included), the port is digits
//! (possibly none). Each caller adds its own policy on top: the server takes
//! the grammar as it is (RFC 9112 §3.2), the URL parser refuses what it would
//! not write into a request (sub-delims, escapes, IPvFuture, port 0), and
//! `:authority` must not be empty.

use crate::byte_scan::{NotUsualTokenByte, find_by_words};

/// `host [ ":" port ]`, split by [`split`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Authority<'a> {
    /// The host as written: brackets included for an IP literal.
    pub(crate) host: &'a [u8],
    /// True when `host` is a bracketed IP literal.
    pub(crate) is_ip_literal: bool,
    /// The digits after the `:`, when there is one (possibly empty).
    pub(crate) port: Option<&'a [u8]>,
}

impl<'a> Authority<'a> {
    /// The inside of an IP literal's brackets (the whole host otherwise).
    pub(crate) fn unbracketed(&self) -> &'a [u8] {
        match self.host {
            [b'[', inner @ .., b']'] if self.is_ip_literal => inner,
            host => host,
        }
    }
}

/// Splits `value` into host and port when it is `uri-host [ ":" port ]`; None
/// when it is not. The IP literal is checked for its alphabet only.
#[inline]
pub(crate) fn split(value: &[u8]) -> Option<Authority<'_>> {
    // Most hosts are a plain name with an optional port: one pass up to the
    // first byte that is not a reg-name byte. A `[` or `%` there takes the
    // general path below; anything else is decided here.
    let plain = reg_name_run(value);
    let (host, after) = value.split_at_checked(plain)?;
    match after {
        [] => return Some(reg_name(host, None)),
        [b':', port @ ..] if digits(port) => return Some(reg_name(host, Some(port))),
        [b'[' | b'%', ..] => {}
        _ => return None,
    }
    split_general(value)
}

/// True for a `Host` value (RFC 9112 §3.2): `uri-host [ ":" port ]`.
#[inline]
pub(crate) fn is_valid_host(value: &[u8]) -> bool {
    split(value).is_some()
}

/// `split` for a host that is an IP literal or holds a `%` escape.
#[cold]
fn split_general(value: &[u8]) -> Option<Authority<'_>> {
    if let Some(rest) = value.strip_prefix(b"[") {
        let close = rest.iter().position(|&b| b == b']')?;
        let (host, after) = value.split_at_checked(close.checked_add(2)?)?;
        let port = match after {
            [] => None,
            [b':', port @ ..] if digits(port) => Some(port),
            _ => return None,
        };
        let literal = Authority {
            host,
            is_ip_literal: true,
            port,
        };
        return is_ip_literal(literal.unbracketed()).then_some(literal);
    }
    let (host, port) = match value.iter().position(|&b| b == b':') {
        Some(i) => {
            let (h, p) = value.split_at(i);
            (h, Some(p.get(1..).unwrap_or_default()))
        }
        None => (value, None),
    };
    (is_reg_name(host) && port.is_none_or(digits)).then_some(reg_name(host, port))
}

fn reg_name<'a>(host: &'a [u8], port: Option<&'a [u8]>) -> Authority<'a> {
    Authority {
        host,
        is_ip_literal: false,
        port,
    }
}

fn digits(p: &[u8]) -> bool {
    p.iter().all(u8::is_ascii_digit)
}

/// RFC 3986 `unreserved` and `sub-delims`.
#[inline]
pub(crate) fn is_reg_name_byte(b: u8) -> bool {
    matches!(REG_NAME.get(usize::from(b)), Some(true))
}

/// RFC 3986 `unreserved` alone: the reg-name bytes a URL we write may hold.
#[cfg(feature = "client")]
pub(crate) fn is_unreserved(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~')
}

/// `is_reg_name_byte` as a table: one load per byte.
#[allow(clippy::indexing_slicing, clippy::arithmetic_side_effects)] // const evaluation: checked at compile time
static REG_NAME: [bool; 256] = {
    let mut table = [false; 256];
    let extra = b"-._~!$&'()*+,;=";
    let mut i = 0;
    while i < 256 {
        table[i] = (i as u8).is_ascii_alphanumeric();
        i += 1;
    }
    let mut j = 0;
    while j < extra.len() {
        table[extra[j] as usize] = true;
        j += 1;
    }
    table
};

/// Length of the run of reg-name bytes at the start of `value`: eight bytes
/// per step while they are letters, digits, `-`, `.` and `_` (nearly every
/// host name), then one table lookup per byte.
fn reg_name_run(value: &[u8]) -> usize {
    let usual = find_by_words(value, NotUsualTokenByte);
    let rest = value.get(usual..).unwrap_or_default();
    usual.wrapping_add(
        rest.iter()
            .position(|&b| !is_reg_name_byte(b))
            .unwrap_or(rest.len()),
    )
}

/// A reg-name: reg-name bytes and `%XX` escapes.
fn is_reg_name(host: &[u8]) -> bool {
    // Most hosts are plain names: a fast run up to the first byte that needs
    // a closer look (a `%` escape or an invalid byte).
    let plain = reg_name_run(host);
    let mut rest = host.get(plain..).unwrap_or_default();
    while let [first, tail @ ..] = rest {
        rest = match (*first, tail) {
            (b'%', [h1, h2, more @ ..]) if h1.is_ascii_hexdigit() && h2.is_ascii_hexdigit() => more,
            (b, _) if is_reg_name_byte(b) => tail,
            _ => return false,
        };
    }
    true
}

/// IPv6 (hex digits, `:` and `.`, with at least one `:`) or IPvFuture
/// (`v` HEXDIG... `.` then unreserved, sub-delims or `:`).
fn is_ip_literal(literal: &[u8]) -> bool {
    let ipv6 = literal.contains(&b':')
        && literal
            .iter()
            .all(|&b| b.is_ascii_hexdigit() || b == b':' || b == b'.');
    let future = match literal {
        [b'v' | b'V', rest @ ..] => match rest.iter().position(|&b| b == b'.') {
            Some(dot) => {
                let (version, tail) = rest.split_at(dot);
                let tail = tail.get(1..).unwrap_or_default();
                !version.is_empty()
                    && version.iter().all(u8::is_ascii_hexdigit)
                    && !tail.is_empty()
                    && tail.iter().all(|&b| is_reg_name_byte(b) || b == b':')
            }
            None => false,
        },
        _ => false,
    };
    ipv6 || future
}

/// Four decimal octets 0..=255 without leading zeros (RFC 3986 `IPv4address`).
#[cfg(any(test, feature = "client"))]
pub(crate) fn is_ipv4_address(host: &[u8]) -> bool {
    let mut octets = 0usize;
    for part in host.split(|&b| b == b'.') {
        octets = octets.saturating_add(1);
        let value = part.iter().try_fold(0u16, |n, &b| {
            b.is_ascii_digit().then(|| {
                n.saturating_mul(10)
                    .saturating_add(u16::from(b.wrapping_sub(b'0')))
            })
        });
        let ok = matches!(part.len(), 1..=3)
            && !(part.len() > 1 && part.first() == Some(&b'0'))
            && value.is_some_and(|v| v <= 255);
        if !ok {
            return false;
        }
    }
    octets == 4
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `is_valid_host` as first written (split at the first `:`, then check
    /// each part byte by byte): the oracle for the one-pass version.
    fn reference_valid_host(value: &[u8]) -> bool {
        let digits = |p: &[u8]| p.iter().all(u8::is_ascii_digit);
        let reg_name = |mut rest: &[u8]| {
            while let [first, tail @ ..] = rest {
                rest = match (*first, tail) {
                    (b'%', [h1, h2, more @ ..])
                        if h1.is_ascii_hexdigit() && h2.is_ascii_hexdigit() =>
                    {
                        more
                    }
                    (b, _) if is_reg_name_byte(b) => tail,
                    _ => return false,
                };
            }
            true
        };
        if let Some(rest) = value.strip_prefix(b"[") {
            let Some(close) = rest.iter().position(|&b| b == b']') else {
                return false;
            };
            let (literal, after) = rest.split_at(close);
            let port_ok = match &after[1..] {
                [] => true,
                [b':', port @ ..] => digits(port),
                _ => false,
            };
            return port_ok && is_ip_literal(literal);
        }
        match value.iter().position(|&b| b == b':') {
            Some(i) => reg_name(&value[..i]) && digits(&value[i + 1..]),
            None => reg_name(value),
        }
    }

    #[test]
    fn reg_name_run_matches_a_byte_loop_for_every_byte_at_every_position() {
        for len in 0..=19 {
            let base: Vec<u8> = b"Server-1.example.co"[..len].to_vec();
            assert_eq!(reg_name_run(&base), len);
            for at in 0..len {
                for b in 0..=255u8 {
                    let mut v = base.clone();
                    v[at] = b;
                    // A second odd byte further on must not change the answer.
                    for after in [None, Some(0xffu8), Some(b':')] {
                        let mut v = v.clone();
                        if let (Some(x), Some(slot)) = (after, v.get_mut(at + 1)) {
                            *slot = x;
                        }
                        let naive = v
                            .iter()
                            .position(|&c| !is_reg_name_byte(c))
                            .unwrap_or(v.len());
                        assert_eq!(reg_name_run(&v), naive, "{v:?}");
                    }
                }
            }
        }
    }

    #[test]
    fn one_pass_host_check_matches_the_reference() {
        let hosts: &[&[u8]] = &[
            b"",
            b":",
            b":80",
            b"example.com",
            b"Example.COM:8080",
            b"server.example.com:",
            b"127.0.0.1:36899",
            b"a%41b.example:1",
            b"a%4:1",
            b"[::1]",
            b"[::1]:80",
            b"[v1.x]:1",
            b"x[::1]",
            b"host:80:90",
            b"host:8a",
            b"under_score~!$&'()*+,;=.example:443",
        ];
        for host in hosts {
            assert_eq!(is_valid_host(host), reference_valid_host(host), "{host:?}");
            for at in 0..host.len() {
                for b in 0..=255u8 {
                    let mut v = host.to_vec();
                    v[at] = b;
                    assert_eq!(is_valid_host(&v), reference_valid_host(&v), "{v:?}");
                }
            }
        }
    }

    #[test]
    fn split_gives_host_and_port() {
        let a = split(b"example.com:8080").unwrap();
        assert_eq!(
            (a.host, a.is_ip_literal, a.port),
            (&b"example.com"[..], false, Some(&b"8080"[..]))
        );
        let a = split(b"[::1]:80").unwrap();
        assert_eq!(
            (a.host, a.unbracketed(), a.port),
            (&b"[::1]"[..], &b"::1"[..], Some(&b"80"[..]))
        );
        let a = split(b"a%41:").unwrap();
        assert_eq!((a.host, a.port), (&b"a%41"[..], Some(&b""[..])));
        assert_eq!(split(b"h").unwrap().port, None);
        for bad in [&b"u@h"[..], b"h/p", b"[::1", b"[::1]x", b"h:1:2", b"[::g]"] {
            assert_eq!(split(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn ipv4_addresses() {
        for good in [&b"0.0.0.0"[..], b"127.0.0.1", b"255.255.255.255"] {
            assert!(is_ipv4_address(good), "{good:?}");
        }
        for bad in [
            &b"1.2.3"[..],
            b"1.2.3.256",
            b"01.2.3.4",
            b"1.2.3.4.5",
            b"0x7f.1.1.1",
            b"1..2.3",
            b"",
        ] {
            assert!(!is_ipv4_address(bad), "{bad:?}");
        }
    }
}
