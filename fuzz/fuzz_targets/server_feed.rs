//! The server handle fed random bytes in random chunks (the first input bytes
//! choose the configuration and the chunk sizes, see support/chunking.rs);
//! every run is checked against the independent models and the runs must
//! agree with the one-shot call, a whole feed and a byte-at-a-time feed.
#![no_main]

#[path = "../../engine/tests/support/mod.rs"]
mod support;

use libfuzzer_sys::fuzz_target;
use support::chunking::Framed;
use support::server_check::{check_server_input, configs};

fuzz_target!(|data: &[u8]| {
    let input = Framed::parse(data);
    let all = configs();
    let hc = &all[usize::from(input.selector) % all.len()];
    let bytewise = input.payload.len() <= 1 << 16;
    if let Err(e) = check_server_input(hc, input.payload, &input.sizes, bytewise) {
        panic!("{e}");
    }
});
