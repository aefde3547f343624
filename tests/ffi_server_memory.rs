//! A wsh_server in caller memory (wsh_server_size + wsh_server_init): no
//! allocation from init to free, the same bytes as a heap handle, and every
//! misuse refused.

#[path = "ffi_common/counting_alloc.rs"]
mod counting_alloc;
mod ffi_common;
use counting_alloc::allocations;

use core::ptr;

use ffi_common::*;
use wshandshake_ffi::ffi::result::wsh_result::{self, *};
use wshandshake_ffi::ffi::server::*;
use wshandshake_ffi::ffi::server_memory::*;

/// Memory aligned to WSH_SERVER_ALIGN (16), as u128s.
fn aligned(bytes: usize) -> Vec<u128> {
    vec![0u128; bytes.div_ceil(16) + 1]
}

fn init(config: &Config, mem: *mut u8, len: usize) -> Result<*mut wsh_server, wsh_result> {
    let mut server = ptr::null_mut();
    match unsafe { wsh_server_init(config.0, mem, len, &mut server) } {
        WSH_OK => Ok(server),
        e => Err(e),
    }
}

#[test]
fn a_handle_in_caller_memory_allocates_nothing_and_answers_the_same() {
    let config = chat_config();
    let size = unsafe { wsh_server_size(config.0) };
    assert!(size > 4096, "{size}");
    let mut mem = aligned(size);
    let heap = Server::new(&config);
    assert_eq!(heap.feed(CHROMIUM_REQUEST).0, OK);
    assert_eq!(unsafe { wsh_server_accept(heap.0, ptr::null()) }, OK);
    let expected = heap.response();

    let placed = Server(init(&config, mem.as_mut_ptr().cast(), size).unwrap());
    for round in 0..3 {
        // A byte at a time on the first round, whole afterwards.
        if round == 0 {
            for b in CHROMIUM_REQUEST.chunks(1) {
                let (r, _, _) = placed.feed(b);
                assert!(r == OK || r == WSH_NEED_MORE);
            }
        } else {
            placed.reset();
            assert_eq!(placed.feed(CHROMIUM_REQUEST).0, OK);
        }
        assert_eq!(unsafe { wsh_server_accept(placed.0, ptr::null()) }, OK);
        assert_eq!(placed.response(), expected, "round {round}");
    }
    // A rejection too.
    placed.reset();
    assert_eq!(placed.feed(CHROMIUM_REQUEST).0, OK);
    let r = unsafe { wsh_server_reject(placed.0, 403, ptr::null(), 0, b"no".as_ptr(), 2) };
    assert_eq!(r, OK);
    assert!(placed.response().starts_with(b"HTTP/1.1 403 "));
    drop(placed);
    // Counted: init through free of a handle in the same memory, nothing else.
    let before = allocations();
    let again = init(&config, mem.as_mut_ptr().cast(), size).unwrap();
    unsafe {
        let mut consumed = 0;
        let mut decision = core::mem::zeroed();
        let rq = CHROMIUM_REQUEST;
        assert_eq!(
            wsh_server_feed(again, rq.as_ptr(), rq.len(), &mut consumed, &mut decision),
            OK
        );
        assert_eq!(wsh_server_accept(again, ptr::null()), OK);
        let mut out = [0u8; 512];
        let mut written = 0;
        assert_eq!(
            wsh_server_drain(again, out.as_mut_ptr(), out.len(), &mut written),
            OK
        );
        assert_eq!(&out[..written], &expected[..]);
        assert_eq!(wsh_server_reset(again), OK);
        wsh_server_free(again);
    }
    assert_eq!(
        allocations() - before,
        0,
        "init, feed, accept, drain, reset, free allocated"
    );
}

#[test]
fn init_refuses_null_misaligned_and_small_memory() {
    let config = default_config();
    let size = unsafe { wsh_server_size(config.0) };
    assert_eq!(unsafe { wsh_server_size(ptr::null()) }, 0);
    let mut mem = aligned(size + 16);
    let base: *mut u8 = mem.as_mut_ptr().cast();
    assert_eq!(init(&config, ptr::null_mut(), size), Err(WSH_NULL_POINTER));
    assert_eq!(
        init(&config, unsafe { base.add(1) }.cast(), size),
        Err(WSH_INVALID_ARGUMENT)
    );
    assert_eq!(
        init(&config, base.cast(), size - 1),
        Err(WSH_BUFFER_TOO_SMALL)
    );
    let mut out = ptr::null_mut();
    assert_eq!(
        unsafe { wsh_server_init(ptr::null(), base.cast(), size, &mut out) },
        WSH_NULL_POINTER
    );
    assert_eq!(
        unsafe { wsh_server_init(config.0, base.cast(), size, ptr::null_mut()) },
        WSH_NULL_POINTER
    );
    // The first 16-aligned address past `base` works with exactly `size`.
    let server = init(&config, unsafe { base.add(16) }.cast(), size).unwrap();
    assert_eq!(server.cast::<u8>(), unsafe { base.add(16) });
    unsafe { wsh_server_free(server) };
}

#[test]
fn the_config_may_be_freed_while_a_placed_handle_lives() {
    let config = default_config();
    let size = unsafe { wsh_server_size(config.0) };
    let mut mem = aligned(size);
    let server = Server(init(&config, mem.as_mut_ptr().cast(), size).unwrap());
    drop(config);
    assert_eq!(server.feed(RFC_REQUEST).0, OK);
    assert_eq!(unsafe { wsh_server_accept(server.0, ptr::null()) }, OK);
    assert!(server.response().starts_with(b"HTTP/1.1 101 "));
}
