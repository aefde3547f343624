//! Zero heap allocations per handshake once the config (and handle) exist.

mod common;
#[path = "common/counting_alloc.rs"]
mod counting_alloc;
use counting_alloc::allocations_during;

use std::sync::Arc;

use wshandshake::*;

fn config() -> ServerConfig {
    ServerConfig::builder()
        .subprotocols(["chat", "superchat"])
        .permessage_deflate(DeflateConfig::default())
        .build()
        .unwrap()
}

#[test]
fn one_shot_allocates_nothing() {
    let config = config();
    let requests: Vec<Vec<u8>> = common::all_fixtures().into_iter().map(|(_, r)| r).collect();
    let mut out = [0u8; 1024];
    for req in &requests {
        let n = allocations_during(|| {
            let r = respond(&config, req, &mut out).unwrap();
            assert_eq!(r.outcome, Outcome::UpgradeRequest(UpgradeTarget::WebSocket));
            assert!(r.response_len > 0);
        });
        assert_eq!(n, 0);
    }
}

#[test]
fn handle_path_allocates_nothing_after_creation() {
    let config = Arc::new(config());
    let requests: Vec<Vec<u8>> = common::all_fixtures().into_iter().map(|(_, r)| r).collect();
    let mut hs = ServerHandshake::new(config);
    let mut out = [0u8; 64];
    for req in &requests {
        let n = allocations_during(|| {
            hs.reset();
            for byte in req.chunks(1) {
                if hs.feed(byte).unwrap().outcome != Outcome::NeedMore {
                    break;
                }
            }
            let view = hs.request().unwrap();
            assert!(view.header("host").is_some());
            assert!(view.subprotocols().count() <= 3);
            hs.accept(&AcceptOptions::default()).unwrap();
            while hs.drain_response(&mut out) > 0 {}
        });
        assert_eq!(n, 0);
    }
    // Rejections too.
    let n = allocations_during(|| {
        hs.reset();
        hs.feed(b"GET / HTTP/1.1\r\nHost: a\r\nUpgrade: websocket\r\nConnection: upgrade\r\n\r\n")
            .unwrap();
        assert!(!hs.pending_response().is_empty());
    });
    assert_eq!(n, 0);
}

/// A handle over the caller's buffers allocates nothing at all, creation
/// included, and answers byte for byte as a handle with its own buffers.
#[test]
fn a_handle_over_caller_buffers_never_allocates() {
    let config = Arc::new(config());
    let (head, slots, response) = HandleBuffers::sizes(&config);
    // The caller's memory: made (and leaked, as a static would be) up front.
    let buffers = HandleBuffers {
        head: Vec::leak(vec![0u8; head]),
        spans: Vec::leak(vec![FieldSlot::default(); slots]),
        response: Vec::leak(vec![0u8; response]),
    };
    let requests: Vec<Vec<u8>> = common::all_fixtures().into_iter().map(|(_, r)| r).collect();
    let mut owned = ServerHandshake::new(Arc::clone(&config));
    let mut placed = None;
    let n = allocations_during(|| {
        placed = Some(ServerHandshake::with_buffers(Arc::clone(&config), buffers).unwrap());
    });
    assert_eq!(n, 0, "creating the handle allocated");
    let placed = placed.as_mut().unwrap();
    let mut out = [0u8; 64];
    for req in &requests {
        owned.reset();
        owned.feed(req).unwrap();
        owned.accept(&AcceptOptions::default()).unwrap();
        let n = allocations_during(|| {
            placed.reset();
            // A byte at a time, then the rest: the bounded buffer never overflows.
            placed.feed(&req[..1]).unwrap();
            placed.feed(&req[1..]).unwrap();
            placed.accept(&AcceptOptions::default()).unwrap();
        });
        assert_eq!(n, 0);
        assert_eq!(placed.pending_response(), owned.pending_response());
        let mut sent = Vec::new();
        loop {
            let k = placed.drain_response(&mut out);
            if k == 0 {
                break;
            }
            sent.extend_from_slice(&out[..k]);
        }
        assert_eq!(sent, owned.pending_response());
    }
    // A head at the limit still fits; one byte more is the same 431 as owned.
    let too_long = [
        &b"GET / HTTP/1.1\r\nX: "[..],
        &vec![b'a'; head],
        b"\r\n\r\n",
    ]
    .concat();
    placed.reset();
    owned.reset();
    assert_eq!(
        placed.feed(&too_long).unwrap().outcome,
        owned.feed(&too_long).unwrap().outcome
    );
    assert_eq!(placed.pending_response(), owned.pending_response());
}

#[test]
fn caller_buffers_below_the_config_sizes_are_refused() {
    let config = Arc::new(config());
    let (head, slots, response) = HandleBuffers::sizes(&config);
    for (h, s, r) in [
        (head - 1, slots, response),
        (head, slots - 1, response),
        (head, slots, response - 1),
    ] {
        let buffers = HandleBuffers {
            head: Vec::leak(vec![0u8; h]),
            spans: Vec::leak(vec![FieldSlot::default(); s]),
            response: Vec::leak(vec![0u8; r]),
        };
        assert!(matches!(
            ServerHandshake::with_buffers(Arc::clone(&config), buffers),
            Err(UsageError::BufferTooSmall { .. })
        ));
    }
}
