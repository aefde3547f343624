//! Times reading every offered list of one hostile request through the C
//! accessors, the way a C or Python application reads them (count, then
//! `*_at(index)` for each element). The request is the one from the
//! hardening report: 16,208 bytes, two `Sec-WebSocket-Extensions` lines of
//! 4,000 elements each (and one `Sec-WebSocket-Protocol` line of 4,000).
//!
//! `cargo run --release --example list_walk`

use core::ptr;
use std::time::Instant;

use wshandshake_ffi::ffi::decision::wsh_decision;
use wshandshake_ffi::ffi::result::wsh_result;
use wshandshake_ffi::ffi::server::*;
use wshandshake_ffi::ffi::server_config::*;

fn request() -> Vec<u8> {
    let list = vec!["a"; 4000].join(",");
    let mut head = b"GET / HTTP/1.1\r\nHost: a\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\
        Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
        .to_vec();
    head.extend(format!("Sec-WebSocket-Extensions: {list}\r\n").bytes());
    head.extend(format!("Sec-WebSocket-Extensions: {list}\r\n\r\n").bytes());
    head
}

fn protocol_request() -> Vec<u8> {
    let list = vec!["p"; 4000].join(",");
    let mut head = b"GET / HTTP/1.1\r\nHost: a\r\n\r\n".to_vec();
    head.truncate(head.len() - 2);
    head.extend(format!("Sec-WebSocket-Protocol: {list}\r\n\r\n").bytes());
    head
}

fn check(r: wsh_result) {
    assert_eq!(r, wsh_result::WSH_OK);
}

fn fed(config: *const wsh_server_config, request: &[u8]) -> *mut wsh_server {
    let mut server = ptr::null_mut();
    let (mut consumed, mut decision) = (0, wsh_decision::WSH_DECISION_NEED_MORE);
    unsafe {
        check(wsh_server_new(config, &mut server));
        let start = Instant::now();
        wsh_server_feed(
            server,
            request.as_ptr(),
            request.len(),
            &mut consumed,
            &mut decision,
        );
        println!("  feed {} bytes: {:.3} ms", request.len(), ms(start));
    }
    server
}

fn ms(start: Instant) -> f64 {
    start.elapsed().as_secs_f64() * 1e3
}

fn main() {
    let builder = wsh_server_config_builder_new();
    let mut config = ptr::null();
    unsafe { check(wsh_server_config_builder_build(builder, &mut config)) };
    let (mut data, mut len) = (ptr::null(), 0usize);
    let (mut params, mut params_len) = (ptr::null(), 0usize);

    let request = request();
    println!("extensions request ({} bytes):", request.len());
    let server = fed(config, &request);
    let mut count = 0usize;
    unsafe {
        let start = Instant::now();
        check(wsh_server_extension_count(server, &mut count));
        let mut param_count = 0usize;
        for i in 0..count {
            check(wsh_server_extension_at(
                server,
                i,
                &mut data,
                &mut len,
                &mut params,
                &mut params_len,
            ));
            check(wsh_server_extension_param_count(
                server,
                i,
                &mut param_count,
            ));
        }
        println!(
            "  extension_at + param_count over {count} offers: {:.3} ms",
            ms(start)
        );
        wsh_server_free(server);
    }

    let request = protocol_request();
    println!("subprotocols request ({} bytes):", request.len());
    let server = fed(config, &request);
    unsafe {
        let start = Instant::now();
        check(wsh_server_subprotocol_count(server, &mut count));
        for i in 0..count {
            check(wsh_server_subprotocol_at(server, i, &mut data, &mut len));
        }
        println!(
            "  subprotocol_at over {count} subprotocols: {:.3} ms",
            ms(start)
        );
        wsh_server_free(server);
    }

    let params_text = vec!["q"; 4000].join(";");
    let mut request = b"GET / HTTP/1.1\r\nHost: a\r\n".to_vec();
    request.extend(format!("Sec-WebSocket-Extensions: x;{params_text}\r\n\r\n").bytes());
    println!("parameters request ({} bytes):", request.len());
    let server = fed(config, &request);
    unsafe {
        let start = Instant::now();
        let mut param = core::mem::zeroed::<wsh_extension_param>();
        check(wsh_server_extension_param_count(server, 0, &mut count));
        for i in 0..count {
            check(wsh_server_extension_param_at(server, 0, i, &mut param));
        }
        println!(
            "  extension_param_at over {count} parameters: {:.3} ms",
            ms(start)
        );
        wsh_server_free(server);
        wsh_server_config_free(config);
    }
}
