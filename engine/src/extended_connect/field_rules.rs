//! Field rules of HTTP/2 and HTTP/3 that both sides of an extended CONNECT check:
//! name and value syntax (RFC 9113 §8.2.1, RFC 9114 §4.2), connection-specific
//! fields (RFC 9113 §8.2.2), and the `:path` and `:authority` forms.

use crate::error::UsageError;
use crate::response_writer::is_safe_value;
use crate::token_list::{is_tchar, is_token};

/// True for a regular field name as HTTP/2 and HTTP/3 carry it: a non-empty
/// token without uppercase letters (RFC 9113 §8.2.1).
pub fn is_valid_name(name: &[u8]) -> bool {
    !name.is_empty() && name.iter().all(|&b| is_tchar(b) && !b.is_ascii_uppercase())
}

/// True for a field value HTTP/2 and HTTP/3 allow: no NUL, CR or LF anywhere,
/// and no SP or HTAB at either end (RFC 9113 §8.2.1). An empty value is valid.
pub fn is_valid_value(value: &[u8]) -> bool {
    let edges_ok =
        !matches!(value.first(), Some(b' ' | b'\t')) && !matches!(value.last(), Some(b' ' | b'\t'));
    edges_ok && !value.iter().any(|&b| matches!(b, 0 | b'\r' | b'\n'))
}

/// True for a connection-specific field, which HTTP/2 and HTTP/3 messages must not
/// carry (RFC 9113 §8.2.2, RFC 9114 §4.2): `connection`, `upgrade`,
/// `keep-alive`, `transfer-encoding`, `proxy-connection`, and `te` with any value
/// but `trailers`. `name` is compared ASCII case-insensitively.
pub fn is_connection_specific(name: &[u8], value: &[u8]) -> bool {
    const NAMES: [&[u8]; 5] = [
        b"connection",
        b"upgrade",
        b"keep-alive",
        b"transfer-encoding",
        b"proxy-connection",
    ];
    if name.eq_ignore_ascii_case(b"te") {
        return !value.eq_ignore_ascii_case(b"trailers");
    }
    NAMES.iter().any(|n| n.eq_ignore_ascii_case(name))
}

/// True for a `:path` of an extended CONNECT: the path and query of the
/// WebSocket URI (RFC 8441 §5), so it starts with `/` and holds only visible
/// ASCII without `#` (a fragment is never sent).
pub fn is_valid_path(path: &[u8]) -> bool {
    path.first() == Some(&b'/') && path.iter().all(|&b| (0x21..0x7f).contains(&b) && b != b'#')
}

/// True for an `:authority`: `host [ ":" port ]` by the RFC 3986 grammar
/// (the engine's host module) with a non-empty host, so without the userinfo that
/// RFC 9113 §8.3.1 forbids for http and https.
pub fn is_valid_authority(authority: &[u8]) -> bool {
    crate::host::split(authority).is_some_and(|a| !a.host.is_empty())
}

/// True for an `Origin` value we send or accept in a list: visible ASCII only
/// (`null` or `scheme://host[:port]`, RFC 6454 §7).
pub fn is_valid_origin(origin: &[u8]) -> bool {
    !origin.is_empty() && origin.iter().all(|&b| (0x21..0x7f).contains(&b))
}

/// Checks fields the application adds to an output list: token names (the
/// output lowercases them), values [`is_safe_value`] accepts (no control bytes but
/// HTAB, no whitespace at the ends), and none of the `reserved` or
/// connection-specific names.
pub(crate) fn check_app_fields(
    fields: &[(&str, &[u8])],
    reserved: &[&str],
) -> Result<(), UsageError> {
    for &(name, value) in fields {
        let n = name.as_bytes();
        if !is_token(n) {
            return Err(UsageError::InvalidHeaderName);
        }
        if !is_safe_value(value) {
            return Err(UsageError::InvalidHeaderValue);
        }
        if is_connection_specific(n, value)
            || reserved
                .iter()
                .any(|r| r.as_bytes().eq_ignore_ascii_case(n))
        {
            return Err(UsageError::ReservedHeader);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        assert!(is_valid_name(b"sec-websocket-version"));
        assert!(is_valid_name(b"x-a_b.c~1"));
        assert!(!is_valid_name(b""));
        assert!(!is_valid_name(b"Origin"));
        assert!(!is_valid_name(b":path"));
        assert!(!is_valid_name(b"a b"));
        assert!(!is_valid_name(b"a\x80"));
    }

    #[test]
    fn values() {
        assert!(is_valid_value(b""));
        assert!(is_valid_value(b"chat, superchat"));
        assert!(is_valid_value(b"a\tb"));
        assert!(is_valid_value(b"caf\xc3\xa9"));
        for bad in [&b" a"[..], b"a ", b"\ta", b"a\t", b"a\rb", b"a\nb", b"a\0b"] {
            assert!(!is_valid_value(bad), "{bad:?}");
        }
    }

    #[test]
    fn connection_specific() {
        for name in [
            &b"connection"[..],
            b"upgrade",
            b"keep-alive",
            b"transfer-encoding",
            b"proxy-connection",
            b"Connection",
        ] {
            assert!(is_connection_specific(name, b"x"));
        }
        assert!(!is_connection_specific(b"te", b"trailers"));
        assert!(is_connection_specific(b"te", b"gzip"));
        assert!(is_connection_specific(b"te", b"trailers, gzip"));
        assert!(!is_connection_specific(b"origin", b"x"));
    }

    #[test]
    fn paths_and_authorities() {
        assert!(is_valid_path(b"/"));
        assert!(is_valid_path(b"/chat?room=1&x=%20"));
        for bad in [
            &b""[..],
            b"chat",
            b"*",
            b"/a b",
            b"/a#frag",
            b"/\x7f",
            b"/caf\xc3\xa9",
        ] {
            assert!(!is_valid_path(bad), "{bad:?}");
        }
        assert!(is_valid_authority(b"server.example.com"));
        assert!(is_valid_authority(b"server.example.com:8443"));
        assert!(is_valid_authority(b"[::1]:443"));
        for bad in [
            &b""[..],
            b"user@host",
            b"host/path",
            b"host?q",
            b"a b",
            b":443",
            b"[::1",
            b"host:1:2",
        ] {
            assert!(!is_valid_authority(bad), "{bad:?}");
        }
    }
}
