//! Times the README's read loop around the one-shot call when the peer sends
//! a byte per read: `wsh_respond` on the whole buffer after every read (the
//! loop the README taught before) against `wsh_respond_resume`.
//!
//! `cargo run --release --example read_loop`

use core::ptr;
use std::time::{Duration, Instant};

use wshandshake_ffi::ffi::one_shot::*;
use wshandshake_ffi::ffi::result::wsh_result;
use wshandshake_ffi::ffi::server_config::*;

fn head(size: usize) -> Vec<u8> {
    let mut v = b"GET /chat HTTP/1.1\r\nHost: a\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\
Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
        .to_vec();
    let mut i = 0;
    while v.len() + 6100 < size {
        v.extend_from_slice(format!("X-Filler-{i}: {}\r\n", "z".repeat(6000)).as_bytes());
        i += 1;
    }
    v.extend_from_slice(b"\r\n");
    v
}

/// Calls `respond(have)` as a read loop would after each byte arrives, until
/// the head is complete; the time it took.
fn time_read_loop(len: usize, mut respond: impl FnMut(usize) -> wsh_result) -> Duration {
    let start = Instant::now();
    for have in 1..=len {
        let rc = respond(have);
        if rc != wsh_result::WSH_NEED_MORE {
            assert_eq!(rc, wsh_result::WSH_OK);
            break;
        }
    }
    start.elapsed()
}

fn main() {
    let builder = wsh_server_config_builder_new();
    let mut limits = core::mem::MaybeUninit::uninit();
    let mut config = ptr::null();
    unsafe {
        assert_eq!(
            wshandshake_ffi::ffi::limits::wsh_limits_default(limits.as_mut_ptr()),
            wsh_result::WSH_OK
        );
        let mut limits = limits.assume_init();
        limits.max_head_bytes = 1 << 20;
        limits.max_headers = 128;
        assert_eq!(
            wsh_server_config_builder_limits(builder, &limits),
            wsh_result::WSH_OK
        );
        assert_eq!(
            wsh_server_config_builder_build(builder, &mut config),
            wsh_result::WSH_OK
        );
    }
    let mut out = [0u8; 1024];
    let mut info: wsh_respond_info = unsafe { core::mem::zeroed() };
    for size in [16 << 10, 64 << 10, 256 << 10] {
        let request = head(size);
        let plain = time_read_loop(request.len(), |have| unsafe {
            wsh_respond(
                config,
                request.as_ptr(),
                have,
                out.as_mut_ptr(),
                out.len(),
                &mut info,
            )
        });
        let mut progress = wsh_respond_progress::default();
        let resumed = time_read_loop(request.len(), |have| unsafe {
            wsh_respond_resume(
                config,
                &mut progress,
                request.as_ptr(),
                have,
                out.as_mut_ptr(),
                out.len(),
                &mut info,
            )
        });
        println!(
            "{} bytes, a byte per read: wsh_respond {:.2} ms, wsh_respond_resume {:.2} ms ({} bytes examined)",
            request.len(),
            plain.as_secs_f64() * 1e3,
            resumed.as_secs_f64() * 1e3,
            progress.examined
        );
    }
    unsafe { wsh_server_config_free(config) };
}
