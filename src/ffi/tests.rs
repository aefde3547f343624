//! Panics at the C boundary: the fallback values and handle poisoning. Uses the
//! test-only hook that makes the next entry into a handle panic.
// The tests call the C API with pointers they have just made and checked.
#![allow(clippy::undocumented_unsafe_blocks)]

use core::ptr;
use std::boxed::Box;
use std::panic::resume_unwind;

use super::decision::wsh_decision;
use super::result::wsh_result::*;
use super::server::*;
use super::server_config::*;
use super::{PanicFallback, ffi_boundary, wsh_result};

const REQUEST: &[u8] = b"GET /chat HTTP/1.1\r\nHost: a\r\nUpgrade: websocket\r\n\
    Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\
    Sec-WebSocket-Version: 13\r\n\r\n";

fn new_config() -> *const wsh_server_config {
    let builder = wsh_server_config_builder_new();
    let mut config = ptr::null();
    assert_eq!(
        unsafe { wsh_server_config_builder_build(builder, &mut config) },
        WSH_OK
    );
    config
}

fn new_server(config: *const wsh_server_config) -> *mut wsh_server {
    let mut server = ptr::null_mut();
    assert_eq!(unsafe { wsh_server_new(config, &mut server) }, WSH_OK);
    server
}

fn feed(server: *mut wsh_server, data: &[u8]) -> wsh_result {
    let mut consumed = 0;
    let mut decision = wsh_decision::WSH_DECISION_NEED_MORE;
    unsafe {
        wsh_server_feed(
            server,
            data.as_ptr(),
            data.len(),
            &mut consumed,
            &mut decision,
        )
    }
}

#[test]
fn a_panic_in_feed_returns_panic_and_poisons_the_handle() {
    let config = new_config();
    let server = new_server(config);
    // SAFETY (test): `server` is live.
    unsafe { &*server }.panic_on_next_call();
    assert_eq!(feed(server, REQUEST), WSH_PANIC);
    // Every later call on the handle is refused.
    assert_eq!(feed(server, REQUEST), WSH_POISONED);
    let mut data = ptr::null();
    let mut len = 0;
    unsafe {
        assert_eq!(wsh_server_reset(server), WSH_POISONED);
        assert_eq!(wsh_server_accept(server, ptr::null()), WSH_POISONED);
        assert_eq!(
            wsh_server_response(server, &mut data, &mut len),
            WSH_POISONED
        );
        assert_eq!(wsh_server_method(server, &mut data, &mut len), WSH_POISONED);
        assert_eq!(wsh_server_response_advance(server, 0), WSH_POISONED);
        assert!(!wsh_server_is_accepted(server));
        assert!(data.is_null() && len == 0);
        // Other handles are unaffected.
        let other = new_server(config);
        assert_eq!(feed(other, REQUEST), WSH_OK);
        wsh_server_free(other);
        // Freeing a poisoned handle is allowed (and leaks nothing).
        wsh_server_free(server);
        wsh_server_config_free(config);
    }
}

#[test]
fn a_panic_in_a_const_accessor_poisons_too() {
    let config = new_config();
    let server = new_server(config);
    assert_eq!(feed(server, REQUEST), WSH_OK);
    unsafe {
        assert_eq!(wsh_server_accept(server, ptr::null()), WSH_OK);
        assert!(wsh_server_is_accepted(server));
        (*server).panic_on_next_call();
        // bool fallback: false, even though the handle was accepted.
        assert!(!wsh_server_is_accepted(server));
        let mut data = ptr::null();
        let mut len = 0;
        assert_eq!(
            wsh_server_response(server, &mut data, &mut len),
            WSH_POISONED
        );
        wsh_server_free(server);
        wsh_server_config_free(config);
    }
}

#[test]
fn a_panic_in_a_builder_setter_poisons_the_builder() {
    let builder = wsh_server_config_builder_new();
    unsafe {
        (*builder).panic_on_next_call();
        assert_eq!(
            wsh_server_config_builder_websocket(builder, true),
            WSH_PANIC
        );
        assert_eq!(
            wsh_server_config_builder_websocket(builder, true),
            WSH_POISONED
        );
        let mut config = ptr::null();
        // build still consumes the builder (nothing leaks) and reports it.
        assert_eq!(
            wsh_server_config_builder_build(builder, &mut config),
            WSH_POISONED
        );
        assert!(config.is_null());
    }
}

#[test]
fn fallback_values_by_return_type() {
    fn result() -> wsh_result {
        ffi_boundary! { resume_unwind(Box::new(1)) }
    }
    fn pointer() -> *const u8 {
        ffi_boundary! { resume_unwind(Box::new(1)) }
    }
    fn mut_pointer() -> *mut wsh_server {
        ffi_boundary! { resume_unwind(Box::new(1)) }
    }
    fn flag() -> bool {
        ffi_boundary! { resume_unwind(Box::new(1)) }
    }
    fn size() -> usize {
        ffi_boundary! { resume_unwind(Box::new(1)) }
    }
    fn status() -> u16 {
        ffi_boundary! { resume_unwind(Box::new(1)) }
    }
    fn nothing() {
        ffi_boundary! { resume_unwind(Box::new(1)) }
    }
    fn real_panic() -> wsh_result {
        ffi_boundary! { panic!("a real panic, with the hook's message") }
    }
    assert_eq!(result(), WSH_PANIC);
    assert!(pointer().is_null());
    assert!(mut_pointer().is_null());
    assert!(!flag());
    assert_eq!(size(), 0);
    assert_eq!(status(), 0);
    nothing();
    assert_eq!(real_panic(), WSH_PANIC);
    assert_eq!(<wsh_result as PanicFallback>::panic_fallback(), WSH_PANIC);
}

#[test]
#[cfg_attr(miri, ignore = "leaks the second payload on purpose")]
fn a_payload_whose_drop_panics_does_not_escape() {
    struct PanicsOnDrop;
    impl Drop for PanicsOnDrop {
        fn drop(&mut self) {
            resume_unwind(Box::new("from drop"));
        }
    }
    fn f() -> wsh_result {
        ffi_boundary! { resume_unwind(Box::new(PanicsOnDrop)) }
    }
    assert_eq!(f(), WSH_PANIC);
}
