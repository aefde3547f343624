//! permessage-deflate negotiation on arbitrary offers under a policy chosen by
//! the first two bytes: the agreed parameters match an independent model, the
//! response element re-parses and the engine's own client check
//! (`ClientOffer::check_response`) accepts it for the matching offer.
#![no_main]

#[path = "../../engine/tests/support/mod.rs"]
mod support;

use libfuzzer_sys::fuzz_target;
use support::grammar_check::{check_client_offer_round_trip, check_deflate, deflate_config_from};

fuzz_target!(|data: &[u8]| {
    let [a, b, offers @ ..] = data else {
        return;
    };
    let result = check_deflate(&deflate_config_from(*a, *b), offers)
        .and_then(|()| check_client_offer_round_trip(*a, *b));
    if let Err(e) = result {
        panic!("{e}");
    }
});
