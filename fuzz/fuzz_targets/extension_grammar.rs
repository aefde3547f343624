//! The Sec-WebSocket-Extensions grammar (RFC 6455 §9.1) against an
//! independent lexer-based model: same verdict, same elements streamed before
//! the first error, and written-back elements parse the same.
#![no_main]

#[path = "../../engine/tests/support/mod.rs"]
mod support;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Err(e) = support::grammar_check::check_extension_grammar(data) {
        panic!("{e}");
    }
});
