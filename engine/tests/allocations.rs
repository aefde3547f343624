//! Zero heap allocations per handshake once the config (and handle) exist.

mod common;

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::sync::Arc;

use wshandshake::*;

struct CountingAllocator;

thread_local! {
    static ALLOCATIONS: Cell<usize> = const { Cell::new(0) };
}

// SAFETY: forwards every call to the system allocator unchanged; only counts.
unsafe impl GlobalAlloc for CountingAllocator {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        ALLOCATIONS.with(|c| c.set(c.get() + 1));
        // SAFETY: same contract as the caller's.
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: same contract as the caller's.
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        ALLOCATIONS.with(|c| c.set(c.get() + 1));
        // SAFETY: same contract as the caller's.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static GLOBAL: CountingAllocator = CountingAllocator;

fn allocations_during(f: impl FnOnce()) -> usize {
    let before = ALLOCATIONS.with(Cell::get);
    f();
    ALLOCATIONS.with(Cell::get) - before
}

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
