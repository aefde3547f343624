//! The fuzz targets' invariants on stable Rust: a deterministic generator
//! mutates the captured fixtures, cuts them into random chunkings and checks
//! every run (tests/support/server_check.rs) — about 20k server cases plus the
//! header grammars, in a few seconds. `FUZZ_SMOKE_SEED` / `FUZZ_SMOKE_CASES`
//! change the seed and the count.

#[path = "support/mod.rs"]
mod support;

use std::path::PathBuf;

use support::chunking::random_sizes;
use support::grammar_check::{
    check_client_offer_round_trip, check_deflate, check_extension_grammar, check_token_list,
    deflate_config_from,
};
use support::mutate::{LINES, extra_seeds, mutate};
use support::rng::Rng;
use support::server_check::{Seen, check_application_choices, check_server_input, configs};

fn env_number(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// Every captured fixture plus the hand-made seeds.
fn seeds() -> Vec<Vec<u8>> {
    let dir =
        PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/..")).join("tests/fixtures/requests");
    let mut names: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "http"))
        .collect();
    names.sort();
    assert!(names.len() >= 8, "fixtures missing in {}", dir.display());
    let mut out: Vec<Vec<u8>> = names.iter().map(|p| std::fs::read(p).unwrap()).collect();
    out.extend(extra_seeds());
    out
}

#[test]
fn unmutated_seeds_pass_every_config() {
    let mut seen = Seen::default();
    for seed in seeds() {
        for hc in configs() {
            for sizes in [vec![], vec![1], vec![3, 17], vec![64]] {
                let o =
                    check_server_input(hc, &seed, &sizes, true).unwrap_or_else(|e| panic!("{e}"));
                seen.add(o);
            }
        }
    }
    assert!(
        seen.websocket > 0 && seen.generic > 0 && seen.not_upgrade > 0,
        "{seen:?}"
    );
}

#[test]
fn server_invariants_hold_on_mutated_fixtures() {
    let seed = env_number("FUZZ_SMOKE_SEED", 0x5eed_2026);
    let cases = env_number("FUZZ_SMOKE_CASES", 20_000) as usize;
    let mut rng = Rng::new(seed);
    let donors = seeds();
    let mut seen = Seen::default();
    for case in 0..cases {
        let hc = rng.pick(configs());
        let base = rng.pick(&donors);
        let input = mutate(&mut rng, base, &donors);
        let sizes = random_sizes(&mut rng);
        let bytewise = case % 8 == 0 && input.len() <= 4096;
        match check_server_input(hc, &input, &sizes, bytewise) {
            Ok(o) => seen.add(o),
            Err(e) => panic!("case {case} (FUZZ_SMOKE_SEED={seed}): {e}"),
        }
        if case % 4 == 0 {
            let choice: Vec<u8> = {
                let mut c: Vec<u8> = (0..3).map(|_| rng.byte()).collect();
                let pieces = [
                    "X-Trace",
                    "abc",
                    "Bad Name",
                    "v\r\nSet-Cookie: a=b",
                    "chat",
                    "permessage-deflate",
                    "x-ext; a=1",
                    "Upgrade",
                    "",
                    "\u{0}",
                    "ok value",
                ];
                for i in 0..6 {
                    if i > 0 {
                        c.push(b'|');
                    }
                    c.extend_from_slice(rng.pick(&pieces).as_bytes());
                }
                c
            };
            if let Err(e) = check_application_choices(hc, &input, &choice) {
                panic!("case {case} application (FUZZ_SMOKE_SEED={seed}): {e}");
            }
        }
    }
    eprintln!("{cases} cases: {seen:?}");
    // The mutations must reach every kind of outcome, or the test proves little.
    assert!(seen.websocket > cases / 50, "{seen:?}");
    assert!(seen.generic > cases / 500, "{seen:?}");
    assert!(seen.rejected > cases / 10, "{seen:?}");
    assert!(seen.not_upgrade > cases / 50, "{seen:?}");
    assert!(seen.need_more > 0, "{seen:?}");
}

#[test]
fn grammar_invariants_hold_on_random_values() {
    let mut rng = Rng::new(env_number("FUZZ_SMOKE_SEED", 0x5eed_2026) ^ 0xabc);
    let values: Vec<&[u8]> = LINES
        .iter()
        .filter_map(|l| l.split_once(':').map(|(_, v)| v.trim().as_bytes()))
        .chain([
            &b"permessage-deflate; client_max_window_bits; server_max_window_bits=10, permessage-deflate"[..],
            b"permessage-deflate; server_max_window_bits=\"1\\2\"; client_no_context_takeover",
            b" , ,foo , ,\tbar ;  x = 1 ,",
            b"keep-alive, Upgrade",
        ])
        .collect();
    let alphabet = b"ab;=,\" \t\\_-19\x7f\r";
    for case in 0..6000 {
        let base = rng.pick(&values);
        let mut v = base.to_vec();
        for _ in 0..rng.below(4) {
            let at = rng.below(v.len() + 1);
            match rng.below(3) {
                0 => v.insert(at, *rng.pick(alphabet)),
                1 if at < v.len() => {
                    v.remove(at);
                }
                _ => v.insert(at, rng.byte()),
            }
        }
        let a = rng.byte();
        let b = rng.byte();
        let fail = |e: String| panic!("case {case}: {e}");
        check_token_list(&v).unwrap_or_else(fail);
        check_extension_grammar(&v).unwrap_or_else(fail);
        check_deflate(&deflate_config_from(a, b), &v).unwrap_or_else(fail);
        check_client_offer_round_trip(a, b).unwrap_or_else(fail);
    }
}

#[test]
fn client_invariants_hold_on_mutated_responses() {
    use support::client_check::{
        check_client_input, check_round_trip, client_configs, client_seeds,
    };
    let seed = env_number("FUZZ_SMOKE_SEED", 0x5eed_2026) ^ 0xc11e;
    let cases = env_number("FUZZ_SMOKE_CASES", 20_000) as usize / 4;
    let mut rng = Rng::new(seed);
    let donors = client_seeds();
    let (mut accepted, mut refused, mut failed) = (0, 0, 0);
    for case in 0..cases {
        let h = rng.pick(client_configs());
        let base = rng.pick(&donors).clone();
        let input = mutate(&mut rng, &base, &donors);
        let sizes = random_sizes(&mut rng);
        match check_client_input(h, &input, &sizes, case % 8 == 0) {
            Ok(wshandshake::ClientOutcome::Accepted) => accepted += 1,
            Ok(wshandshake::ClientOutcome::Refused(_)) => refused += 1,
            Ok(_) => failed += 1,
            Err(e) => panic!("case {case} (FUZZ_SMOKE_SEED={seed}): {e}"),
        }
    }
    eprintln!("{cases} client cases: {accepted} accepted, {refused} refused, {failed} failed");
    assert!(accepted > cases / 50 && refused > cases / 50 && failed > cases / 10);
    for h in client_configs() {
        for hc in configs() {
            if let Err(e) = check_round_trip(h, &hc.config) {
                panic!("[{} -> {}] {e}", h.name, hc.name);
            }
        }
    }
}
