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
