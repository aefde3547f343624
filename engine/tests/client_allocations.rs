//! The client allocates only when a config or handle is created: writing the
//! request, feeding responses, reading results and resetting allocate nothing.

#[path = "common/counting_alloc.rs"]
mod counting_alloc;
use counting_alloc::allocations_during;

use std::sync::Arc;

use wshandshake::{ClientConfig, ClientHandshake, ClientKey, ClientOffer, ClientOutcome};

const ACCEPT: &[u8] = b"HTTP/1.1 100 Continue\r\n\r\n\
    HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\
    Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\nSec-WebSocket-Protocol: chat\r\n\
    Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits=10, x-foo\r\n\r\n\x81\x00";

fn config() -> Arc<ClientConfig> {
    Arc::new(
        ClientConfig::builder("ws://server.example.com/chat")
            .origin("http://example.com")
            .subprotocols(["chat", "superchat"])
            .permessage_deflate(ClientOffer::default())
            .extension("x-foo")
            .header("Authorization", "Bearer t")
            .build()
            .unwrap(),
    )
}

#[test]
fn handshake_after_construction_allocates_nothing() {
    let config = config();
    let key = ClientKey::from_nonce(*b"the sample nonce");
    let mut client = ClientHandshake::with_key(config.clone(), key);
    let mut out = [0u8; 1024];
    for round in 0..3 {
        let n = allocations_during(|| {
            if round > 0 {
                client.reset(key);
            }
            assert!(config.write_request(&key, &mut out).unwrap() > 0);
            assert!(client.write_request(&mut out).unwrap() > 0);
            while client.drain_request(&mut out[..100]) > 0 {}
            // A byte at a time, the worst case for buffering.
            let mut offset = 0;
            while client.outcome() == ClientOutcome::NeedMore {
                offset += client.feed(&ACCEPT[offset..offset + 1]).unwrap().consumed;
            }
            assert_eq!(client.outcome(), ClientOutcome::Accepted);
            assert_eq!(client.subprotocol(), Some("chat"));
            assert_eq!(client.deflate().unwrap().client_max_window_bits, 10);
            assert_eq!(client.extensions().count(), 2);
            assert_eq!(client.extension_at(1), Some("x-foo"));
            assert_eq!(client.response().unwrap().header_count(), 5);
        });
        assert_eq!(n, 0, "round {round}");
    }
}

#[test]
fn refusal_bodies_allocate_nothing() {
    let config = config();
    let key = ClientKey::from_nonce([9; 16]);
    let mut client = ClientHandshake::with_key(config, key);
    let mut response = b"HTTP/1.1 403 Forbidden\r\nTransfer-Encoding: chunked\r\n\r\n".to_vec();
    for _ in 0..64 {
        response.extend_from_slice(b"3FF\r\n");
        response.extend_from_slice(&[b'x'; 0x3ff]);
        response.extend_from_slice(b"\r\n");
    }
    response.extend_from_slice(b"0\r\n\r\n");
    let n = allocations_during(|| {
        for piece in response.chunks(1000) {
            client.feed(piece).unwrap();
        }
        assert_eq!(client.outcome(), ClientOutcome::Refused(403));
        assert_eq!(client.body().len(), 64 * 0x3ff);
    });
    assert_eq!(n, 0);
}
