//! Result codes: numbers, strings, HTTP statuses.

use std::collections::{HashMap, HashSet};
use std::ffi::CStr;

use wshandshake::DeflateResponseError as DeflateError;
use wshandshake::extended_connect::{ConnectError, ConnectResponseError};
use wshandshake::{RequestError, ResponseError};
use wshandshake_ffi::ffi::result::{wsh_result, wsh_result_http_status, wsh_result_str};

fn text(code: u32) -> String {
    let p = wsh_result_str(code);
    assert!(!p.is_null());
    unsafe { CStr::from_ptr(p) }.to_str().unwrap().to_owned()
}

#[test]
fn every_code_has_a_distinct_string() {
    let mut seen = HashMap::new();
    let mut all: Vec<wsh_result> = wsh_result::ALL.to_vec();
    all.push(wsh_result::WSH_PANIC);
    for code in all {
        let s = text(code as u32);
        assert!(!s.is_empty());
        assert_ne!(s, "unknown result", "{code:?}");
        if let Some(other) = seen.insert(s.clone(), code) {
            panic!("{code:?} and {other:?} share the string {s:?}");
        }
    }
}

#[test]
fn unknown_numbers_are_described_as_unknown() {
    for code in [
        3,
        99,
        124,
        199,
        999,
        1004,
        1099,
        1999,
        2005,
        2099,
        2100,
        2999,
        3005,
        3099,
        3108,
        3199,
        3200,
        8999,
        9001,
        u32::MAX,
    ] {
        assert_eq!(text(code), "unknown result", "{code}");
        assert_eq!(wsh_result_http_status(code), 0, "{code}");
    }
}

#[test]
fn numbers_are_stable() {
    use wsh_result::*;
    let fixed = [
        (WSH_OK, 0),
        (WSH_NEED_MORE, 1),
        (WSH_NOT_FOUND, 2),
        (WSH_NULL_POINTER, 100),
        (WSH_INVALID_ARGUMENT, 101),
        (WSH_INVALID_UTF8, 102),
        (WSH_WRONG_STATE, 103),
        (WSH_BUFFER_TOO_SMALL, 104),
        (WSH_INVALID_HEADER_NAME, 105),
        (WSH_INVALID_HEADER_VALUE, 106),
        (WSH_RESERVED_HEADER, 107),
        (WSH_SUBPROTOCOL_NOT_OFFERED, 108),
        (WSH_INVALID_STATUS, 109),
        (WSH_INVALID_EXTENSION, 110),
        (WSH_INVALID_CONFIG, 111),
        (WSH_OUT_OF_RANGE, 112),
        (WSH_INVALID_URL, 113),
        (WSH_RANDOM_SOURCE_FAILED, 114),
        (WSH_POISONED, 115),
        (WSH_FIELD_ARRAY_TOO_SMALL, 116),
        (WSH_INVALID_ORIGIN, 117),
        (WSH_INVALID_SUBPROTOCOL, 118),
        (WSH_DUPLICATE_SUBPROTOCOL, 119),
        (WSH_TOO_MANY_FIELDS, 120),
        (WSH_REQUEST_HEAD_TOO_LARGE, 1000),
        (WSH_REQUEST_LINE_TOO_LONG, 1003),
        (WSH_REQUEST_MALFORMED_HEAD, 1010),
        (WSH_REQUEST_METHOD_NOT_ALLOWED, 1020),
        (WSH_REQUEST_MISSING_KEY, 1030),
        (WSH_REQUEST_UNSUPPORTED_VERSION, 1035),
        (WSH_REQUEST_ORIGIN_NOT_ALLOWED, 1041),
        (WSH_REQUEST_INVALID_EXTENSION_LIST, 1052),
        (WSH_REQUEST_INVALID_CONTENT_LENGTH, 1061),
        (WSH_RESPONSE_MALFORMED_HEAD, 2000),
        (WSH_RESPONSE_INVALID_VERSION, 2004),
        (WSH_RESPONSE_MISSING_UPGRADE, 2010),
        (WSH_RESPONSE_WRONG_ACCEPT, 2014),
        (WSH_RESPONSE_UNEXPECTED_SUBPROTOCOL, 2020),
        (WSH_RESPONSE_INVALID_EXTENSIONS, 2030),
        (WSH_RESPONSE_MISSING_SERVER_NO_CONTEXT_TAKEOVER, 2036),
        (WSH_RESPONSE_MISSING_SERVER_MAX_WINDOW_BITS, 2037),
        (WSH_RESPONSE_INVALID_CONTENT_LENGTH, 2040),
        (WSH_RESPONSE_BODY_TOO_LARGE, 2042),
        (WSH_RESPONSE_INCOMPLETE_HEAD, 2050),
        (WSH_RESPONSE_INCOMPLETE_BODY, 2051),
        (WSH_CONNECT_REQUEST_INVALID_FIELD_NAME, 3000),
        (WSH_CONNECT_REQUEST_METHOD_NOT_CONNECT, 3010),
        (WSH_CONNECT_REQUEST_HOST_MISMATCH, 3017),
        (WSH_CONNECT_REQUEST_CONNECTION_SPECIFIC_FIELD, 3020),
        (WSH_CONNECT_REQUEST_MISSING_VERSION, 3030),
        (WSH_CONNECT_REQUEST_ORIGIN_NOT_ALLOWED, 3041),
        (WSH_CONNECT_REQUEST_INVALID_EXTENSION_LIST, 3052),
        (WSH_CONNECT_RESPONSE_INVALID_FIELD_NAME, 3100),
        (WSH_CONNECT_RESPONSE_CONNECTION_SPECIFIC_FIELD, 3107),
        (WSH_CONNECT_RESPONSE_DUPLICATE_SUBPROTOCOL, 3110),
        (WSH_CONNECT_RESPONSE_INVALID_EXTENSION_LIST, 3120),
        (WSH_CONNECT_RESPONSE_DEFLATE_INVALID_PARAMETER, 3130),
        (
            WSH_CONNECT_RESPONSE_DEFLATE_MISSING_SERVER_NO_CONTEXT_TAKEOVER,
            3133,
        ),
        (WSH_PANIC, 9000),
    ];
    for (code, number) in fixed {
        assert_eq!(code as u32, number, "{code:?}");
    }
}

#[test]
fn codes_are_grouped_and_unique() {
    let mut numbers = HashSet::new();
    for code in wsh_result::ALL {
        let n = code as u32;
        assert!(numbers.insert(n), "duplicate number {n}");
        assert_eq!(wsh_result::from_u32(n), Some(code));
        let request = code.request_error().is_some();
        let response = code.response_error().is_some();
        let connect = code.connect_error().is_some();
        let connect_response = code.connect_response_error().is_some();
        assert_eq!(request, (1000..1100).contains(&n), "{code:?}");
        assert_eq!(response, (2000..2100).contains(&n), "{code:?}");
        assert_eq!(connect, (3000..3100).contains(&n), "{code:?}");
        assert_eq!(connect_response, (3100..3200).contains(&n), "{code:?}");
        assert!(
            n < 200 || request || response || connect || connect_response,
            "{code:?} outside the groups"
        );
    }
}

#[test]
fn request_codes_carry_the_http_status_of_their_error() {
    let (mut requests, mut connects) = (0, 0);
    for code in wsh_result::ALL {
        let status = wsh_result_http_status(code as u32);
        match (code.request_error(), code.connect_error()) {
            (Some(e), None) => {
                requests += 1;
                assert_eq!(status, e.status(), "{code:?}");
                assert!(matches!(status, 400 | 403 | 405 | 414 | 426 | 431));
                // The mapping is a bijection with the core's error enum.
                assert_eq!(wsh_result::from(e), code);
            }
            (None, Some(e)) => {
                connects += 1;
                assert_eq!(status, e.status(), "{code:?}");
                assert!(matches!(status, 400 | 403));
                assert_eq!(wsh_result::from(e), code);
            }
            (None, None) => assert_eq!(status, 0, "{code:?}"),
            (Some(_), Some(_)) => panic!("{code:?} in two groups"),
        }
    }
    assert_eq!(requests, 27, "one code per RequestError variant");
    assert_eq!(connects, 24, "one code per ConnectError variant");
    assert_eq!(wsh_result_http_status(wsh_result::WSH_PANIC as u32), 0);
    assert_eq!(
        wsh_result_http_status(wsh_result::WSH_CONNECT_REQUEST_ORIGIN_NOT_ALLOWED as u32),
        403
    );
    assert_eq!(
        wsh_result_http_status(wsh_result::WSH_CONNECT_REQUEST_UNSUPPORTED_VERSION as u32),
        400
    );
}

#[test]
fn request_codes_follow_the_declaration_order_of_request_error() {
    use RequestError::*;
    let declared = [
        HeadTooLarge,
        TooManyHeaders,
        HeaderLineTooLong,
        RequestLineTooLong,
        MalformedHead,
        BareLineFeed,
        BareCarriageReturn,
        ObsoleteLineFolding,
        MethodNotAllowed,
        MissingHost,
        DuplicateHost,
        MissingConnectionUpgrade,
        InvalidHost,
        InvalidTarget,
        MissingKey,
        DuplicateKey,
        InvalidKey,
        MissingVersion,
        DuplicateVersion,
        UnsupportedVersion,
        DuplicateOrigin,
        OriginNotAllowed,
        InvalidSubprotocolList,
        NoSubprotocolMatch,
        InvalidExtensionList,
        RequestHasBody,
        InvalidContentLength,
    ];
    let numbers: Vec<u32> = declared
        .iter()
        .map(|e| wsh_result::from(*e) as u32)
        .collect();
    assert!(numbers.windows(2).all(|w| w[0] < w[1]), "{numbers:?}");
    assert!(numbers.iter().all(|n| (1000..1100).contains(n)));
}

/// Numbers increase along `declared`, stay inside `range`, and each maps back to
/// its error.
fn assert_ordered<E: Copy + PartialEq + std::fmt::Debug>(
    declared: &[E],
    range: std::ops::Range<u32>,
    to_code: impl Fn(E) -> wsh_result,
    back: impl Fn(wsh_result) -> Option<E>,
) {
    let numbers: Vec<u32> = declared.iter().map(|e| to_code(*e) as u32).collect();
    assert!(numbers.windows(2).all(|w| w[0] < w[1]), "{numbers:?}");
    assert!(numbers.iter().all(|n| range.contains(n)), "{numbers:?}");
    for e in declared {
        assert_eq!(back(to_code(*e)), Some(*e));
    }
    let in_range = wsh_result::ALL
        .iter()
        .filter(|c| range.contains(&(**c as u32)))
        .count();
    assert_eq!(
        in_range,
        declared.len(),
        "one code per variant in {range:?}"
    );
}

#[test]
fn response_codes_follow_the_declaration_order_of_response_error() {
    use ResponseError::*;
    let declared = [
        MalformedHead,
        HeadTooLarge,
        TooManyHeaders,
        InvalidStatus,
        InvalidVersion,
        MissingUpgrade,
        MissingConnectionUpgrade,
        MissingAccept,
        DuplicateAccept,
        WrongAccept,
        UnexpectedSubprotocol,
        MissingSubprotocol,
        DuplicateSubprotocol,
        InvalidExtensions,
        UnexpectedExtension,
        DuplicateExtension,
        InvalidDeflateParameter,
        UnexpectedClientWindowBits,
        DeflateWindowTooLarge,
        MissingServerNoContextTakeover,
        MissingServerMaxWindowBits,
        InvalidContentLength,
        InvalidChunkedBody,
        BodyTooLarge,
        IncompleteHead,
        IncompleteBody,
    ];
    assert_ordered(
        &declared,
        2000..2100,
        wsh_result::from,
        wsh_result::response_error,
    );
}

#[test]
fn connect_codes_follow_the_declaration_order_of_connect_error() {
    use ConnectError::*;
    let declared = [
        InvalidFieldName,
        InvalidFieldValue,
        MisplacedPseudoHeader,
        UnknownPseudoHeader,
        DuplicatePseudoHeader,
        MethodNotConnect,
        MissingScheme,
        InvalidScheme,
        MissingPath,
        InvalidPath,
        MissingAuthority,
        InvalidAuthority,
        HostMismatch,
        ConnectionSpecificField,
        RequestHasContent,
        MissingVersion,
        DuplicateVersion,
        UnsupportedVersion,
        KeyNotAllowed,
        DuplicateOrigin,
        OriginNotAllowed,
        InvalidSubprotocolList,
        NoSubprotocolMatch,
        InvalidExtensionList,
    ];
    assert_ordered(
        &declared,
        3000..3100,
        wsh_result::from,
        wsh_result::connect_error,
    );
}

#[test]
fn connect_response_codes_follow_the_declaration_order_of_their_error() {
    use ConnectResponseError::*;
    let declared = [
        InvalidFieldName,
        InvalidFieldValue,
        MisplacedPseudoHeader,
        UnknownPseudoHeader,
        DuplicatePseudoHeader,
        MissingStatus,
        InvalidStatus,
        ConnectionSpecificField,
        DuplicateSubprotocol,
        SubprotocolNotOffered,
        InvalidExtensionList,
        ExtensionNotOffered,
        DuplicateExtension,
        // The permessage-deflate failures get one code each.
        Deflate(DeflateError::InvalidParameter),
        Deflate(DeflateError::UnexpectedClientWindow),
        Deflate(DeflateError::WindowTooLarge),
        Deflate(DeflateError::MissingServerNoContextTakeover),
        Deflate(DeflateError::MissingServerMaxWindowBits),
    ];
    assert_ordered(
        &declared,
        3100..3200,
        wsh_result::from,
        wsh_result::connect_response_error,
    );
}

/// The C text of every code that stands for an engine error is the engine's
/// own sentence (its `Display`, without the status Display appends), behind a
/// family prefix where two families share a sentence: one copy of each
/// sentence, in the engine.
#[test]
fn texts_of_engine_errors_are_the_engine_sentences() {
    let mut checked = 0;
    for code in wsh_result::ALL {
        let c = text(code as u32);
        let (prefix, sentence) = if let Some(e) = code.request_error() {
            ("", e.description())
        } else if let Some(e) = code.usage_error() {
            ("", e.description())
        } else if let Some(e) = code.response_error() {
            ("response: ", e.description())
        } else if let Some(e) = code.connect_error() {
            ("extended CONNECT request: ", e.description())
        } else if let Some(e) = code.connect_response_error() {
            let sentence = match e {
                // One engine sentence covers the five deflate variants; their
                // C texts take the HTTP/1.1 client's sentence for the same rule.
                ConnectResponseError::Deflate(d) => match d {
                    DeflateError::InvalidParameter => ResponseError::InvalidDeflateParameter,
                    DeflateError::UnexpectedClientWindow => {
                        ResponseError::UnexpectedClientWindowBits
                    }
                    DeflateError::WindowTooLarge => ResponseError::DeflateWindowTooLarge,
                    DeflateError::MissingServerNoContextTakeover => {
                        ResponseError::MissingServerNoContextTakeover
                    }
                    DeflateError::MissingServerMaxWindowBits => {
                        ResponseError::MissingServerMaxWindowBits
                    }
                }
                .description(),
                other => other.description(),
            };
            ("extended CONNECT response: ", sentence)
        } else {
            continue;
        };
        assert_eq!(c, format!("{prefix}{sentence}"), "{code:?}");
        // Display says the same sentence (plus the status for request errors).
        if let Some(e) = code.request_error() {
            assert_eq!(e.to_string(), format!("{sentence} ({})", e.status()));
        }
        checked += 1;
    }
    assert!(checked >= 100, "only {checked} codes carry an engine error");
}

/// The engine error a code stands for maps back to the same code, for every
/// family (the table's two directions agree).
#[test]
fn every_engine_error_code_round_trips() {
    for code in wsh_result::ALL {
        let back = [
            code.request_error().map(wsh_result::from),
            code.usage_error().map(wsh_result::from),
            code.response_error().map(wsh_result::from),
            code.connect_error().map(wsh_result::from),
            code.connect_response_error().map(wsh_result::from),
        ];
        let found: Vec<_> = back.into_iter().flatten().collect();
        assert!(found.len() <= 1, "{code:?} in two families");
        if let Some(back) = found.first() {
            assert_eq!(*back, code);
        }
    }
}
