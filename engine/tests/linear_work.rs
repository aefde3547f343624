//! Feeding a head a byte at a time costs the same work as feeding it whole: every
//! byte is scanned once (work counted in bytes scanned, not time).

use std::sync::Arc;

use wshandshake::internals::BytesScanned;
use wshandshake::*;

fn big_head(target: usize) -> Vec<u8> {
    let mut v = b"GET /chat HTTP/1.1\r\nHost: a\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\
Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
        .to_vec();
    let mut i = 0;
    while v.len() + 600 < target {
        v.extend_from_slice(format!("X-Filler-{i}: {}\r\n", "z".repeat(550)).as_bytes());
        i += 1;
    }
    v.extend_from_slice(b"\r\n");
    v
}

#[test]
fn byte_at_a_time_scans_each_byte_once() {
    let head = big_head(16 * 1024);
    assert!(head.len() > 15 * 1024 && head.len() <= 16 * 1024);
    let config = Arc::new(ServerConfig::builder().build().unwrap());
    let mut whole = ServerHandshake::new(config.clone());
    assert_eq!(
        whole.feed(&head).unwrap().outcome,
        Outcome::UpgradeRequest(UpgradeTarget::WebSocket)
    );
    let mut bytewise = ServerHandshake::new(config);
    let mut outcome = Outcome::NeedMore;
    for b in head.chunks(1) {
        outcome = bytewise.feed(b).unwrap().outcome;
    }
    assert_eq!(outcome, Outcome::UpgradeRequest(UpgradeTarget::WebSocket));
    assert_eq!(whole.bytes_scanned(), head.len());
    // A small constant: exactly the same bytes examined.
    assert!(bytewise.bytes_scanned() <= 2 * whole.bytes_scanned());
    assert_eq!(bytewise.bytes_scanned(), head.len());
}

#[test]
fn oversized_head_fed_bytewise_stops_at_the_limit() {
    let config = Arc::new(ServerConfig::builder().build().unwrap());
    let mut hs = ServerHandshake::new(config);
    let head = big_head(20 * 1024);
    let mut fed = 0;
    let mut outcome = Outcome::NeedMore;
    for b in head.chunks(1) {
        outcome = hs.feed(b).unwrap().outcome;
        fed += 1;
        if outcome != Outcome::NeedMore {
            break;
        }
    }
    assert_eq!(outcome, Outcome::Rejected(RequestError::HeadTooLarge));
    assert!(fed <= 16 * 1024 + 1, "stopped after {fed} bytes");
    assert!(hs.bytes_scanned() <= 16 * 1024);
}

/// The README's read loop around the one-shot call, a byte per read:
/// returns the final response, the bytes examined, and the calls made.
fn byte_per_read_loop(config: &ServerConfig, head: &[u8]) -> (Outcome, usize, Vec<u8>, usize) {
    let mut progress = RespondProgress::default();
    let mut out = vec![0u8; 4096];
    let mut calls = 0;
    for have in 1..=head.len() {
        calls += 1;
        let r = respond_resume(config, &mut progress, &head[..have], &mut out).unwrap();
        if r.outcome != Outcome::NeedMore {
            return (
                r.outcome,
                progress.bytes_examined(),
                out[..r.response_len].to_vec(),
                calls,
            );
        }
    }
    (
        Outcome::NeedMore,
        progress.bytes_examined(),
        Vec::new(),
        calls,
    )
}

#[test]
fn the_one_shot_read_loop_is_linear_with_resume() {
    // Without resume, each call looked at the whole input again: a byte per
    // read cost n²/2 bytes (16 KiB: 134 million; 64 KiB: 2.1 billion).
    let limits = Limits {
        max_head_bytes: 1 << 20,
        max_headers: Limits::MAX_HEADERS_CAP,
        ..Limits::default()
    };
    let config = ServerConfig::builder().limits(limits).build().unwrap();
    let mut work = Vec::new();
    for size in [16 * 1024, 64 * 1024] {
        let head = big_head(size);
        let mut whole = vec![0u8; 4096];
        let expected = respond(&config, &head, &mut whole).unwrap();
        let (outcome, examined, response, calls) = byte_per_read_loop(&config, &head);
        assert_eq!(calls, head.len());
        assert_eq!(outcome, expected.outcome);
        assert_eq!(outcome, Outcome::UpgradeRequest(UpgradeTarget::WebSocket));
        assert_eq!(response, &whole[..expected.response_len]);
        // The first byte's one-pass attempt, each byte scanned once, then
        // the complete head parsed at most twice.
        assert!(
            examined <= 3 * head.len() + 1,
            "{examined} for {}",
            head.len()
        );
        work.push((head.len(), examined));
    }
    let ((n, w_n), (n4, w_4n)) = (work[0], work[1]);
    assert!(n4 * 10 >= 39 * n, "{n} and {n4} bytes");
    // Four times the bytes, four times the work (it was sixteen): the work
    // per byte does not grow.
    assert!(
        w_4n * n * 100 <= 105 * w_n * n4,
        "{w_n} for {n}, {w_4n} for {n4}"
    );
}

#[test]
fn resume_decides_as_respond_for_every_split() {
    let config = ServerConfig::builder()
        .subprotocols(["chat"])
        .build()
        .unwrap();
    let sample: &[u8] = b"GET /chat HTTP/1.1\r\nHost: a\r\nUpgrade: websocket\r\n\
        Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\
        Sec-WebSocket-Protocol: chat\r\nSec-WebSocket-Version: 13\r\n\r\nframe";
    let bare_lf = b"GET / HTTP/1.1\nHost: a\n\n".to_vec();
    let long_line = [b"GET / HTTP/1.1\r\nX: ".to_vec(), vec![b'a'; 9000]].concat();
    let plain = b"GET /page HTTP/1.1\r\nHost: a\r\n\r\nGET /next".to_vec();
    for input in [sample.to_vec(), bare_lf, long_line, plain] {
        let mut out = vec![0u8; 4096];
        let whole = respond(&config, &input, &mut out).unwrap();
        let whole_response = out[..whole.response_len].to_vec();
        for step in [1, 2, 7, 64] {
            let mut progress = RespondProgress::default();
            let mut have = 0;
            let got = loop {
                have = (have + step).min(input.len());
                let r = respond_resume(&config, &mut progress, &input[..have], &mut out).unwrap();
                if r.outcome != Outcome::NeedMore || have == input.len() {
                    break r;
                }
            };
            assert_eq!(
                (got.outcome, got.subprotocol),
                (whole.outcome, whole.subprotocol)
            );
            if got.outcome != Outcome::NeedMore {
                assert_eq!(&out[..got.response_len], &whole_response[..], "step {step}");
                // Decided: the progress is ready for the next request.
                assert_eq!(progress.bytes_scanned(), 0);
            }
            if !matches!(got.outcome, Outcome::Rejected(_)) {
                assert_eq!(got.consumed, whole.consumed, "step {step}");
            }
        }
    }
}

#[test]
fn resume_keeps_its_progress_when_the_buffer_is_too_small() {
    let config = ServerConfig::builder().build().unwrap();
    let head = big_head(4096);
    let mut progress = RespondProgress::default();
    let mut out = vec![0u8; 4096];
    let half = head.len() / 2;
    assert_eq!(
        respond_resume(&config, &mut progress, &head[..half], &mut out)
            .unwrap()
            .outcome,
        Outcome::NeedMore
    );
    let scanned = progress.bytes_scanned();
    assert_eq!(scanned, half);
    let mut small = [0u8; 16];
    assert!(matches!(
        respond_resume(&config, &mut progress, &head, &mut small),
        Err(UsageError::BufferTooSmall { .. })
    ));
    assert_eq!(
        progress.bytes_scanned(),
        scanned,
        "nothing decided, nothing lost"
    );
    let r = respond_resume(&config, &mut progress, &head, &mut out).unwrap();
    assert_eq!(r.outcome, Outcome::UpgradeRequest(UpgradeTarget::WebSocket));
    // A shorter input than what was scanned is a new request.
    let mut progress = RespondProgress::default();
    respond_resume(&config, &mut progress, &head[..half], &mut out).unwrap();
    let r = respond_resume(&config, &mut progress, &head[..10], &mut out).unwrap();
    assert_eq!(r.outcome, Outcome::NeedMore);
    assert_eq!(progress.bytes_scanned(), 10);
    // The words round-trip.
    let words = progress.to_words();
    assert_eq!(RespondProgress::from_words(words).to_words(), words);
    assert_eq!(
        RespondProgress::from_words([0; 5]),
        RespondProgress::default()
    );
}
