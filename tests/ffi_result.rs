//! Result codes: numbers, strings, HTTP statuses.

use std::collections::{HashMap, HashSet};
use std::ffi::CStr;

use wshandshake::RequestError;
use wshandshake::ffi::result::{wsh_result, wsh_result_http_status, wsh_result_str};

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
    for code in [3, 99, 120, 199, 999, 1004, 1099, 2000, 8999, 9001, u32::MAX] {
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
        (WSH_REQUEST_HEAD_TOO_LARGE, 1000),
        (WSH_REQUEST_LINE_TOO_LONG, 1003),
        (WSH_REQUEST_MALFORMED_HEAD, 1010),
        (WSH_REQUEST_METHOD_NOT_ALLOWED, 1020),
        (WSH_REQUEST_MISSING_KEY, 1030),
        (WSH_REQUEST_UNSUPPORTED_VERSION, 1035),
        (WSH_REQUEST_ORIGIN_NOT_ALLOWED, 1041),
        (WSH_REQUEST_INVALID_EXTENSION_LIST, 1052),
        (WSH_REQUEST_INVALID_CONTENT_LENGTH, 1061),
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
        assert_eq!(request, (1000..1100).contains(&n), "{code:?}");
        assert!(
            n < 100 || (100..200).contains(&n) || request,
            "{code:?} outside the groups"
        );
    }
}

#[test]
fn request_codes_carry_the_http_status_of_their_error() {
    let mut count = 0;
    for code in wsh_result::ALL {
        let status = wsh_result_http_status(code as u32);
        match code.request_error() {
            Some(e) => {
                count += 1;
                assert_eq!(status, e.status(), "{code:?}");
                assert!(matches!(status, 400 | 403 | 405 | 414 | 426 | 431));
                // The mapping is a bijection with the core's error enum.
                assert_eq!(wsh_result::from(e), code);
            }
            None => assert_eq!(status, 0, "{code:?}"),
        }
    }
    assert_eq!(count, 26, "one code per RequestError variant");
    assert_eq!(wsh_result_http_status(wsh_result::WSH_PANIC as u32), 0);
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
