//! Comma lists and tokens (RFC 9110 §5.6) against an independent model; LF in
//! the input separates field values of one list.
#![no_main]

#[path = "../../engine/tests/support/mod.rs"]
mod support;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Err(e) = support::grammar_check::check_token_list(data) {
        panic!("{e}");
    }
});
