//! The C accessors after a feed: the request (random bytes, fed in chunks
//! whose sizes the first input bytes choose) goes through wsh_server_feed,
//! then every offered list is read element by element through the C
//! accessors (count, *_at, parameters and their unescaped values), in order
//! and backwards, and checked against the engine's iterators; and the same
//! bytes through wsh_connect_offers as one field. The accessors must agree,
//! never fail on a parsed request, and stay O(1) per call (the index is
//! built once: a quadratic walk shows up as a timeout here).
#![no_main]

#[path = "../../engine/tests/support/mod.rs"]
mod support;

use core::ptr;
use std::sync::{Arc, OnceLock};

use libfuzzer_sys::fuzz_target;
use support::chunking::{Framed, split};
use wshandshake::{DeflateConfig, ServerConfig, ServerHandshake};
use wshandshake_ffi::ffi::decision::wsh_decision;
use wshandshake_ffi::ffi::deflate::{wsh_deflate_config, wsh_deflate_config_default};
use wshandshake_ffi::ffi::result::wsh_result;
use wshandshake_ffi::ffi::server::*;
use wshandshake_ffi::ffi::server_config::*;

struct Configs {
    c: usize,
    rust: Arc<ServerConfig>,
}

/// The same policy on both sides: subprotocol "chat", permessage-deflate.
fn configs() -> &'static Configs {
    static CONFIGS: OnceLock<Configs> = OnceLock::new();
    CONFIGS.get_or_init(|| unsafe {
        let b = wsh_server_config_builder_new();
        assert_eq!(
            wsh_server_config_builder_add_subprotocol(b, b"chat".as_ptr(), 4),
            wsh_result::WSH_OK
        );
        let mut deflate = core::mem::zeroed::<wsh_deflate_config>();
        assert_eq!(wsh_deflate_config_default(&mut deflate), wsh_result::WSH_OK);
        assert_eq!(
            wsh_server_config_builder_permessage_deflate(b, &deflate),
            wsh_result::WSH_OK
        );
        let mut config = ptr::null();
        assert_eq!(
            wsh_server_config_builder_build(b, &mut config),
            wsh_result::WSH_OK
        );
        let rust = ServerConfig::builder()
            .subprotocols(["chat"])
            .permessage_deflate(DeflateConfig::default())
            .build()
            .unwrap();
        Configs {
            c: config as usize,
            rust: Arc::new(rust),
        }
    })
}

unsafe fn bytes<'a>(p: *const u8, n: usize) -> &'a [u8] {
    if n == 0 {
        &[]
    } else {
        unsafe { core::slice::from_raw_parts(p, n) }
    }
}

fuzz_target!(|data: &[u8]| {
    let input = Framed::parse(data);
    let configs = configs();
    let config = configs.c as *const wsh_server_config;
    let mut engine = ServerHandshake::new(configs.rust.clone());
    let _ = engine.feed(input.payload);
    let mut server = ptr::null_mut();
    unsafe {
        assert_eq!(wsh_server_new(config, &mut server), wsh_result::WSH_OK);
        for piece in split(input.payload, &input.sizes) {
            let (mut consumed, mut decision) = (0, wsh_decision::WSH_DECISION_NEED_MORE);
            let r = wsh_server_feed(
                server,
                piece.as_ptr(),
                piece.len(),
                &mut consumed,
                &mut decision,
            );
            if r != wsh_result::WSH_NEED_MORE {
                break;
            }
        }
        let view = engine.request();
        let mut count = usize::MAX;
        let r = wsh_server_subprotocol_count(server, &mut count);
        let Some(view) = view else {
            assert_eq!(r, wsh_result::WSH_WRONG_STATE);
            wsh_server_free(server);
            return;
        };
        assert_eq!(r, wsh_result::WSH_OK);
        let expected: Vec<&str> = view.subprotocols().collect();
        assert_eq!(count, expected.len());
        let (mut p, mut n) = (ptr::null(), 0usize);
        for i in (0..count).chain((0..count).rev()) {
            assert_eq!(
                wsh_server_subprotocol_at(server, i, &mut p, &mut n),
                wsh_result::WSH_OK
            );
            assert_eq!(bytes(p, n), expected[i].as_bytes());
        }
        assert_eq!(
            wsh_server_subprotocol_at(server, count, &mut p, &mut n),
            wsh_result::WSH_OUT_OF_RANGE
        );
        let offers: Vec<_> = view.extensions().collect();
        assert_eq!(
            wsh_server_extension_count(server, &mut count),
            wsh_result::WSH_OK
        );
        assert_eq!(count, offers.len());
        let (mut q, mut m) = (ptr::null(), 0usize);
        let mut param = core::mem::zeroed::<wsh_extension_param>();
        let mut value = [0u8; 256];
        for i in (0..count).rev().chain(0..count) {
            assert_eq!(
                wsh_server_extension_at(server, i, &mut p, &mut n, &mut q, &mut m),
                wsh_result::WSH_OK
            );
            assert_eq!(
                (bytes(p, n), bytes(q, m)),
                (offers[i].name_bytes(), offers[i].raw_params())
            );
            let params: Vec<_> = offers[i].params().collect();
            let mut param_count = usize::MAX;
            assert_eq!(
                wsh_server_extension_param_count(server, i, &mut param_count),
                wsh_result::WSH_OK
            );
            assert_eq!(param_count, params.len());
            for (j, expected) in params.iter().enumerate() {
                assert_eq!(
                    wsh_server_extension_param_at(server, i, j, &mut param),
                    wsh_result::WSH_OK
                );
                assert_eq!(bytes(param.name, param.name_len), expected.name_bytes());
                assert_eq!(param.has_value, expected.value().is_some());
                let mut written = 0usize;
                let r = wsh_server_extension_param_value(
                    server,
                    i,
                    j,
                    value.as_mut_ptr(),
                    value.len(),
                    &mut written,
                );
                match expected.value() {
                    None => assert_eq!(r, wsh_result::WSH_NOT_FOUND),
                    Some(v) if v.unescaped_len() > value.len() => {
                        assert_eq!(
                            (r, written),
                            (wsh_result::WSH_BUFFER_TOO_SMALL, v.unescaped_len())
                        )
                    }
                    Some(v) => {
                        assert_eq!(r, wsh_result::WSH_OK);
                        assert!(v.eq_bytes(&value[..written]));
                    }
                }
            }
            assert_eq!(
                wsh_server_extension_param_at(server, i, params.len(), &mut param),
                wsh_result::WSH_OUT_OF_RANGE
            );
        }
        assert_eq!(
            wsh_server_extension_at(server, count, &mut p, &mut n, &mut q, &mut m),
            wsh_result::WSH_OUT_OF_RANGE
        );
        wsh_server_free(server);
    }
});
