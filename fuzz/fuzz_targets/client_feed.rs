//! The client handle fed a server response in random chunks (same layout as
//! server_feed: `[config][k][k chunk sizes][response…]`): the outcome agrees
//! across chunkings, and a 101 is accepted only when an independent reading of
//! RFC 6455 §4.1 accepts it, with the same subprotocol and deflate parameters.
#![no_main]

#[path = "../../engine/tests/support/mod.rs"]
mod support;

use libfuzzer_sys::fuzz_target;
use support::chunking::Framed;
use support::client_check::{check_client_input, client_configs};

fuzz_target!(|data: &[u8]| {
    let input = Framed::parse(data);
    let all = client_configs();
    let h = &all[usize::from(input.selector) % all.len()];
    let bytewise = input.payload.len() <= 1 << 16;
    if let Err(e) = check_client_input(h, input.payload, &input.sizes, bytewise) {
        panic!("{e}");
    }
});
