//! `wsh_respond`, `wsh_accept_key` and `wsh_version` through the C ABI, and the
//! promise that the one-shot path never touches the heap.

#[path = "ffi_common/counting_alloc.rs"]
mod counting_alloc;
mod ffi_common;
use counting_alloc::allocations;

use core::ptr;
use std::ffi::CStr;

use ffi_common::*;
use wshandshake_ffi::ffi::accept_key::{WSH_ACCEPT_KEY_LEN, wsh_accept_key};
use wshandshake_ffi::ffi::decision::wsh_decision::*;
use wshandshake_ffi::ffi::one_shot::{wsh_respond, wsh_respond_info};
use wshandshake_ffi::ffi::result::wsh_result::*;
use wshandshake_ffi::ffi::server::wsh_server_accept;
use wshandshake_ffi::ffi::server_config::wsh_server_config_builder_add_subprotocol;
use wshandshake_ffi::ffi::version::wsh_version;

fn empty_info() -> wsh_respond_info {
    unsafe { core::mem::zeroed() }
}

fn respond(
    config: &Config,
    request: &[u8],
    out: &mut [u8],
) -> (wshandshake_ffi::ffi::wsh_result, wsh_respond_info) {
    let mut info = empty_info();
    let r = unsafe {
        wsh_respond(
            config.0,
            request.as_ptr(),
            request.len(),
            out.as_mut_ptr(),
            out.len(),
            &mut info,
        )
    };
    (r, info)
}

#[test]
fn rfc_sample_in_one_call() {
    let config = chat_config();
    let mut out = [0u8; 512];
    let (r, info) = respond(&config, RFC_REQUEST, &mut out);
    assert_eq!(r, OK);
    assert_eq!(info.decision, WSH_DECISION_UPGRADE_WEBSOCKET);
    assert_eq!(info.status, 101);
    assert_eq!(info.consumed, RFC_REQUEST.len());
    assert_eq!(info.needed, 0);
    assert_eq!(
        unsafe { view(info.subprotocol, info.subprotocol_len) },
        b"chat"
    );
    // The subprotocol is a view into the request.
    assert!(RFC_REQUEST.as_ptr_range().contains(&info.subprotocol));
    assert!(!info.has_deflate);
    assert!(info.upgrade_protocol.is_null());
    let response = &out[..info.response_len];
    assert!(response.starts_with(b"HTTP/1.1 101 Switching Protocols\r\n"));
    assert!(has_header(
        response,
        "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo="
    ));

    // The same bytes as the handle path with default options.
    let server = Server::new(&config);
    assert_eq!(server.feed(RFC_REQUEST).0, OK);
    assert_eq!(unsafe { wsh_server_accept(server.0, ptr::null()) }, OK);
    assert_eq!(server.response(), response);
}

#[test]
fn too_small_buffers_report_the_size_needed() {
    let config = chat_config();
    let mut big = [0u8; 1024];
    let (r, info) = respond(&config, CHROMIUM_REQUEST, &mut big);
    assert_eq!(r, OK);
    assert!(info.has_deflate);
    assert_eq!(info.deflate.server_max_window_bits, 15);
    let full = big[..info.response_len].to_vec();
    for cap in [0, 1, 50, full.len() - 1] {
        let mut out = vec![b'#'; cap];
        let (r, info) = respond(&config, CHROMIUM_REQUEST, &mut out);
        assert_eq!(r, WSH_BUFFER_TOO_SMALL, "cap {cap}");
        assert_eq!(info.needed, full.len());
        assert_eq!(info.decision, WSH_DECISION_NEED_MORE);
        assert_eq!((info.response_len, info.consumed, info.status), (0, 0, 0));
    }
    let mut exact = vec![0u8; full.len()];
    let (r, info) = respond(&config, CHROMIUM_REQUEST, &mut exact);
    assert_eq!((r, info.response_len), (OK, full.len()));
    assert_eq!(exact, full);
    // (NULL, 0) output: a size query.
    let mut info = empty_info();
    let r = unsafe {
        wsh_respond(
            config.0,
            RFC_REQUEST.as_ptr(),
            RFC_REQUEST.len(),
            ptr::null_mut(),
            0,
            &mut info,
        )
    };
    assert_eq!(r, WSH_BUFFER_TOO_SMALL);
    assert!(info.needed > 100);
}

#[test]
fn partial_rejected_and_plain_requests() {
    let config = chat_config();
    let mut out = [0u8; 512];
    let (r, info) = respond(&config, &RFC_REQUEST[..50], &mut out);
    assert_eq!(
        (r, info.decision, info.response_len, info.consumed),
        (WSH_NEED_MORE, WSH_DECISION_NEED_MORE, 0, 0)
    );

    let bad = String::from_utf8(ws_request(""))
        .unwrap()
        .replace("Version: 13", "Version: 12")
        .into_bytes();
    let (r, info) = respond(&config, &bad, &mut out);
    assert_eq!(r, WSH_REQUEST_UNSUPPORTED_VERSION);
    assert_eq!(
        (info.decision, info.status, info.consumed),
        (WSH_DECISION_REJECTED, 426, bad.len())
    );
    let response = &out[..info.response_len];
    assert!(response.starts_with(b"HTTP/1.1 426 Upgrade Required\r\n"));
    assert!(has_header(response, "Sec-WebSocket-Version: 13"));

    let plain = b"GET / HTTP/1.1\r\nHost: a\r\n\r\nnext";
    let (r, info) = respond(&config, plain, &mut out);
    assert_eq!(
        (r, info.decision, info.status, info.response_len),
        (OK, WSH_DECISION_NOT_UPGRADE, 0, 0)
    );
    assert_eq!(info.consumed, plain.len() - 4);
}

#[test]
fn generic_upgrade_reports_its_protocol() {
    let config = config_with(|b| unsafe {
        assert_eq!(
            wshandshake_ffi::ffi::server_config::wsh_server_config_builder_add_upgrade_protocol(
                b,
                b"foo/2".as_ptr(),
                5
            ),
            OK
        );
    });
    let request = b"GET / HTTP/1.1\r\nHost: a\r\nUpgrade: foo/2\r\nConnection: upgrade\r\n\r\n";
    let mut out = [0u8; 256];
    let (r, info) = respond(&config, request, &mut out);
    assert_eq!(
        (r, info.decision, info.status),
        (OK, WSH_DECISION_UPGRADE_OTHER, 101)
    );
    assert_eq!(
        unsafe { view(info.upgrade_protocol, info.upgrade_protocol_len) },
        b"foo/2"
    );
    assert!(out[..info.response_len].ends_with(b"Upgrade: foo/2\r\n\r\n"));
}

#[test]
fn pointer_misuse() {
    let config = chat_config();
    let mut out = [0u8; 512];
    let mut info = empty_info();
    info.status = 7;
    unsafe {
        let r = wsh_respond(
            ptr::null(),
            RFC_REQUEST.as_ptr(),
            RFC_REQUEST.len(),
            out.as_mut_ptr(),
            512,
            &mut info,
        );
        assert_eq!(r, WSH_NULL_POINTER);
        let r = wsh_respond(
            config.0,
            RFC_REQUEST.as_ptr(),
            RFC_REQUEST.len(),
            out.as_mut_ptr(),
            512,
            ptr::null_mut(),
        );
        assert_eq!(r, WSH_NULL_POINTER);
        let r = wsh_respond(config.0, ptr::null(), 10, out.as_mut_ptr(), 512, &mut info);
        assert_eq!(r, WSH_INVALID_ARGUMENT);
        let r = wsh_respond(
            config.0,
            RFC_REQUEST.as_ptr(),
            RFC_REQUEST.len(),
            ptr::null_mut(),
            512,
            &mut info,
        );
        assert_eq!(r, WSH_INVALID_ARGUMENT);
        assert_eq!(info.status, 7, "nothing written on misuse");
        // Overlapping request and output.
        let mut both = [0u8; 1024];
        both[..RFC_REQUEST.len()].copy_from_slice(RFC_REQUEST);
        let p = both.as_mut_ptr();
        let r = wsh_respond(config.0, p, RFC_REQUEST.len(), p.add(100), 512, &mut info);
        assert_eq!(r, WSH_INVALID_ARGUMENT);
        let r = wsh_respond(
            config.0,
            p,
            RFC_REQUEST.len(),
            p.add(RFC_REQUEST.len()),
            512,
            &mut info,
        );
        assert_eq!(r, OK, "adjacent buffers do not overlap");
        // (NULL, 0) request: nothing to decide yet.
        let r = wsh_respond(config.0, ptr::null(), 0, out.as_mut_ptr(), 512, &mut info);
        assert_eq!(r, WSH_NEED_MORE);
    }
}

#[test]
#[cfg_attr(miri, ignore = "Miri's own machinery allocates")]
fn one_shot_does_not_allocate() {
    let config = chat_config();
    let mut out = [0u8; 1024];
    let mut info = empty_info();
    let requests: [&[u8]; 4] = [
        RFC_REQUEST,
        CHROMIUM_REQUEST,
        b"GET / HTTP/1.1\r\nHost: a\r\n\r\n",
        b"POST / HTTP/1.1\r\n",
    ];
    for request in requests {
        let before = allocations();
        let r = unsafe {
            wsh_respond(
                config.0,
                request.as_ptr(),
                request.len(),
                out.as_mut_ptr(),
                out.len(),
                &mut info,
            )
        };
        let after = allocations();
        assert!(matches!(r, OK | WSH_NEED_MORE));
        assert_eq!(after - before, 0, "wsh_respond allocated");
    }
    // Sanity check of the counter itself.
    let before = allocations();
    drop(std::hint::black_box(vec![1u8; 10]));
    assert_eq!(allocations() - before, 1);
}

#[test]
#[cfg_attr(miri, ignore = "Miri's own machinery allocates")]
fn a_reused_handle_does_not_allocate() {
    let config = chat_config();
    let server = Server::new(&config);
    let mut buf = [0u8; 256];
    for request in [RFC_REQUEST, CHROMIUM_REQUEST, RFC_REQUEST] {
        let before = allocations();
        unsafe {
            assert_eq!(wshandshake_ffi::ffi::server::wsh_server_reset(server.0), OK);
        }
        let mut consumed = 0;
        let mut decision = WSH_DECISION_NEED_MORE;
        for chunk in request.chunks(7) {
            let r = unsafe {
                wshandshake_ffi::ffi::server::wsh_server_feed(
                    server.0,
                    chunk.as_ptr(),
                    chunk.len(),
                    &mut consumed,
                    &mut decision,
                )
            };
            assert!(matches!(r, OK | WSH_NEED_MORE));
        }
        let mut written = 1;
        unsafe {
            assert_eq!(wsh_server_accept(server.0, ptr::null()), OK);
            while written > 0 {
                let r = wshandshake_ffi::ffi::server::wsh_server_drain(
                    server.0,
                    buf.as_mut_ptr(),
                    buf.len(),
                    &mut written,
                );
                assert_eq!(r, OK);
            }
        }
        assert_eq!(allocations() - before, 0, "the handle path allocated");
    }
}

#[test]
fn accept_key_of_the_rfc_sample() {
    let key = b"dGhlIHNhbXBsZSBub25jZQ==";
    let mut out = [b'#'; WSH_ACCEPT_KEY_LEN + 1];
    unsafe {
        assert_eq!(
            wsh_accept_key(key.as_ptr(), key.len(), out.as_mut_ptr()),
            OK
        );
        assert_eq!(&out[..28], RFC_ACCEPT);
        assert_eq!(out[28], b'#', "exactly 28 bytes written");
        assert_eq!(
            wsh_accept_key(key.as_ptr(), key.len(), ptr::null_mut()),
            WSH_NULL_POINTER
        );
        assert_eq!(
            wsh_accept_key(ptr::null(), 24, out.as_mut_ptr()),
            WSH_INVALID_ARGUMENT
        );
        // The empty key still has a (well-defined) accept value.
        assert_eq!(wsh_accept_key(ptr::null(), 0, out.as_mut_ptr()), OK);
    }
}

#[test]
fn version_matches_cargo() {
    let v = unsafe { CStr::from_ptr(wsh_version()) };
    assert_eq!(v.to_str().unwrap(), env!("CARGO_PKG_VERSION"));
}

#[test]
fn subprotocol_index_names_the_config_entry() {
    let config = config_with(|b| unsafe {
        for p in [&b"superchat"[..], b"v2.chat", b"chat"] {
            assert_eq!(
                wsh_server_config_builder_add_subprotocol(b, p.as_ptr(), p.len()),
                OK
            );
        }
    });
    let mut out = [0u8; 512];
    for (offer, index) in [("chat", 2), ("v2.chat, chat", 1), ("x, superchat", 0)] {
        let request = ws_request(&format!("Sec-WebSocket-Protocol: {offer}\r\n"));
        let (r, info) = respond(&config, &request, &mut out);
        assert_eq!(r, OK, "{offer}");
        assert!(!info.subprotocol.is_null(), "{offer}");
        assert_eq!(info.subprotocol_index, index, "{offer}");
    }
    // None selected: the index is 0 and the pointer NULL.
    let (r, info) = respond(&config, &ws_request(""), &mut out);
    assert_eq!(r, OK);
    assert!(info.subprotocol.is_null());
    assert_eq!(info.subprotocol_index, 0);
}

/// The README's read loop, a byte per read, through wsh_respond_resume:
/// returns the result, the info and the bytes examined.
fn resume_loop(
    config: &Config,
    request: &[u8],
    out: &mut [u8],
) -> (
    wshandshake_ffi::ffi::result::wsh_result,
    wshandshake_ffi::ffi::one_shot::wsh_respond_info,
    usize,
) {
    use wshandshake_ffi::ffi::one_shot::*;
    let mut progress = wsh_respond_progress::default();
    let mut info: wsh_respond_info = unsafe { core::mem::zeroed() };
    let mut rc = WSH_NEED_MORE;
    for have in 1..=request.len() {
        rc = unsafe {
            wsh_respond_resume(
                config.0,
                &mut progress,
                request.as_ptr(),
                have,
                out.as_mut_ptr(),
                out.len(),
                &mut info,
            )
        };
        if rc != WSH_NEED_MORE {
            break;
        }
    }
    (rc, info, progress.examined)
}

#[test]
fn resume_read_loop_is_linear_and_decides_as_wsh_respond() {
    let config = chat_config();
    let mut whole_out = [0u8; 1024];
    let mut info: wshandshake_ffi::ffi::one_shot::wsh_respond_info = unsafe { core::mem::zeroed() };
    let rc = unsafe {
        wshandshake_ffi::ffi::one_shot::wsh_respond(
            config.0,
            RFC_REQUEST.as_ptr(),
            RFC_REQUEST.len(),
            whole_out.as_mut_ptr(),
            whole_out.len(),
            &mut info,
        )
    };
    assert_eq!(rc, OK);
    let mut out = [0u8; 1024];
    let (r, resumed, examined) = resume_loop(&config, RFC_REQUEST, &mut out);
    assert_eq!(r, OK);
    assert_eq!(resumed.response_len, info.response_len);
    assert_eq!(
        &out[..resumed.response_len],
        &whole_out[..info.response_len]
    );
    assert_eq!(resumed.subprotocol_index, info.subprotocol_index);
    assert!(examined <= 3 * RFC_REQUEST.len() + 1, "{examined}");
    // n and 4n bytes of head (filler fields): the work per byte stays put.
    let padded = |fields: usize| {
        let mut r = RFC_REQUEST[..RFC_REQUEST.len() - 2].to_vec();
        for i in 0..fields {
            r.extend_from_slice(format!("X-Pad-{i}: {}\r\n", "p".repeat(80)).as_bytes());
        }
        r.extend_from_slice(b"\r\n");
        r
    };
    let (small, large) = (padded(10), padded(40));
    let (r1, _, w1) = resume_loop(&config, &small, &mut out);
    let (r4, _, w4) = resume_loop(&config, &large, &mut out);
    assert_eq!((r1, r4), (OK, OK));
    assert!(
        w4 * small.len() * 100 <= 105 * w1 * large.len(),
        "{w1} -> {w4}"
    );
    assert!(w4 <= 3 * large.len() + 1);
}

#[test]
fn resume_misuse() {
    use wshandshake_ffi::ffi::one_shot::*;
    let config = chat_config();
    let mut out = [0u8; 512];
    let mut info: wsh_respond_info = unsafe { core::mem::zeroed() };
    unsafe {
        assert_eq!(
            wsh_respond_resume(
                config.0,
                ptr::null_mut(),
                RFC_REQUEST.as_ptr(),
                RFC_REQUEST.len(),
                out.as_mut_ptr(),
                out.len(),
                &mut info
            ),
            WSH_NULL_POINTER
        );
        // The progress inside the output buffer (both pointers from one
        // base, as C would have them).
        let base = out.as_mut_ptr();
        let at = base.cast::<wsh_respond_progress>();
        assert_eq!(
            wsh_respond_resume(
                config.0,
                at,
                RFC_REQUEST.as_ptr(),
                RFC_REQUEST.len(),
                base,
                out.len(),
                &mut info
            ),
            WSH_INVALID_ARGUMENT
        );
    }
}
