//! The one-shot `respond` on arbitrary bytes with output buffers of every
//! size, then the application's choices (accept options, custom rejections)
//! built from the input's tail.
//!
//! Layout: `[selector][out_len][tail_len][request ...][tail (tail_len bytes)]`.
#![no_main]

#[path = "../../engine/tests/support/mod.rs"]
mod support;

use libfuzzer_sys::fuzz_target;
use support::server_check::{
    check_application_choices, check_run, check_run_consumption, configs, one_shot,
};

fuzz_target!(|data: &[u8]| {
    let [selector, out_len, tail_len, rest @ ..] = data else {
        return;
    };
    let all = configs();
    let hc = &all[usize::from(*selector) % all.len()];
    let split = rest.len().saturating_sub(usize::from(*tail_len));
    let (request, choice) = rest.split_at(split);
    let out_len = usize::from(*out_len) * 16;
    let run = match one_shot(hc, request, out_len) {
        Ok(run) => run,
        Err(e) => panic!("[{}] {e}", hc.name),
    };
    if let Err(e) = check_run_consumption(&run).and_then(|()| check_run(hc, request, &run)) {
        panic!("[{}] {e}\ninput: {:?}", hc.name, String::from_utf8_lossy(request));
    }
    if let Err(e) = check_application_choices(hc, request, choice) {
        panic!("[{}] application: {e}\ninput: {:?}", hc.name, String::from_utf8_lossy(request));
    }
});
