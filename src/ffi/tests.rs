//! Panics at the C boundary: the fallback values, and the poisoning of server
//! and client handles and of both config builders. Uses the test-only hook
//! that makes the next entry into a handle panic.
// The tests call the C API with pointers they have just made and checked.
#![allow(clippy::undocumented_unsafe_blocks)]

use core::ptr;
use std::boxed::Box;
use std::panic::resume_unwind;

use super::client::*;
use super::client_config::*;
use super::decision::wsh_decision;
use super::deflate::wsh_deflate_params;
use super::result::wsh_result::*;
use super::server::*;
use super::server_config::*;
use super::{PanicFallback, ffi_boundary, wsh_result};

const REQUEST: &[u8] = b"GET /chat HTTP/1.1\r\nHost: a\r\nUpgrade: websocket\r\n\
    Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\
    Sec-WebSocket-Version: 13\r\n\r\n";
const URL: &[u8] = b"ws://server.example.com/chat";
const NONCE: &[u8; 16] = b"the sample nonce";
const RESPONSE: &[u8] = b"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n\
    Connection: Upgrade\r\nSec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n\r\n";

/// The feed function of a handle type (wsh_server_feed, wsh_client_feed).
type FeedFn<H, D> =
    unsafe extern "C" fn(*mut H, *const u8, usize, *mut usize, *mut D) -> wsh_result;

/// Feeds `data` to a handle; `decision` is the initial value of the output.
fn feed_with<H, D>(feed: FeedFn<H, D>, handle: *mut H, data: &[u8], mut decision: D) -> wsh_result {
    let mut consumed = 0;
    unsafe {
        feed(
            handle,
            data.as_ptr(),
            data.len(),
            &mut consumed,
            &mut decision,
        )
    }
}

fn feed_server(server: *mut wsh_server, data: &[u8]) -> wsh_result {
    feed_with(
        wsh_server_feed,
        server,
        data,
        wsh_decision::WSH_DECISION_NEED_MORE,
    )
}

fn feed_client(client: *mut wsh_client, data: &[u8]) -> wsh_result {
    let decision = wsh_client_decision::WSH_CLIENT_DECISION_NEED_MORE;
    feed_with(wsh_client_feed, client, data, decision)
}

fn server_config() -> *const wsh_server_config {
    let mut config = ptr::null();
    let builder = wsh_server_config_builder_new();
    let built = unsafe { wsh_server_config_builder_build(builder, &mut config) };
    assert_eq!(built, WSH_OK);
    config
}

fn new_server(config: *const wsh_server_config) -> *mut wsh_server {
    let mut server = ptr::null_mut();
    assert_eq!(unsafe { wsh_server_new(config, &mut server) }, WSH_OK);
    server
}

fn client_builder() -> *mut wsh_client_config_builder {
    let mut builder = ptr::null_mut();
    let made = unsafe { wsh_client_config_builder_new(URL.as_ptr(), URL.len(), &mut builder) };
    assert_eq!(made, WSH_OK);
    builder
}

fn client_config() -> *const wsh_client_config {
    let mut config = ptr::null();
    let built = unsafe { wsh_client_config_builder_build(client_builder(), &mut config) };
    assert_eq!(built, WSH_OK);
    config
}

fn new_client(config: *const wsh_client_config) -> *mut wsh_client {
    let mut client = ptr::null_mut();
    let made = unsafe { wsh_client_new_with_key(config, NONCE.as_ptr(), &mut client) };
    assert_eq!(made, WSH_OK);
    client
}

/// How to make and free a handle type and its config.
struct HandleKind<C, H> {
    new_config: fn() -> *const C,
    new_handle: fn(*const C) -> *mut H,
    free_handle: unsafe extern "C" fn(*mut H),
    free_config: unsafe extern "C" fn(*const C),
}

const SERVER: HandleKind<wsh_server_config, wsh_server> = HandleKind {
    new_config: server_config,
    new_handle: new_server,
    free_handle: wsh_server_free,
    free_config: wsh_server_config_free,
};

const CLIENT: HandleKind<wsh_client_config, wsh_client> = HandleKind {
    new_config: client_config,
    new_handle: new_client,
    free_handle: wsh_client_free,
    free_config: wsh_client_config_free,
};

/// Runs `test` on a new handle of `kind` and its config, then frees both
/// (also a poisoned handle: freeing one is allowed and leaks nothing).
fn with_handle<C, H>(kind: HandleKind<C, H>, test: impl FnOnce(*const C, *mut H)) {
    let config = (kind.new_config)();
    let handle = (kind.new_handle)(config);
    test(config, handle);
    unsafe { (kind.free_handle)(handle) };
    unsafe { (kind.free_config)(config) };
}

/// With the handle's test hook set, the first call panics inside the boundary
/// (WSH_PANIC); the next one finds the handle poisoned.
fn assert_panic_then_poisoned(
    panic_on_next_call: impl FnOnce(),
    mut call: impl FnMut() -> wsh_result,
) {
    panic_on_next_call();
    assert_eq!(call(), WSH_PANIC);
    assert_eq!(call(), WSH_POISONED);
}

/// Building from a poisoned builder still consumes it (nothing leaks) and
/// reports the poison, with no config written.
fn assert_build_poisoned<B, C>(
    build: unsafe extern "C" fn(*mut B, *mut *const C) -> wsh_result,
    builder: *mut B,
) {
    let mut config = ptr::null();
    assert_eq!(unsafe { build(builder, &mut config) }, WSH_POISONED);
    assert!(config.is_null());
}

#[test]
fn a_panic_in_feed_returns_panic_and_poisons_the_server() {
    with_handle(SERVER, |config, server| unsafe {
        let hook = || (*server).panic_on_next_call();
        assert_panic_then_poisoned(hook, || feed_server(server, REQUEST));
        // Every later call on the handle is refused, and writes nothing.
        let (mut data, mut len) = (ptr::null(), 0);
        assert_eq!(wsh_server_reset(server), WSH_POISONED);
        assert_eq!(wsh_server_accept(server, ptr::null()), WSH_POISONED);
        let response = wsh_server_response(server, &mut data, &mut len);
        assert_eq!(response, WSH_POISONED);
        assert_eq!(wsh_server_method(server, &mut data, &mut len), WSH_POISONED);
        assert_eq!(wsh_server_response_advance(server, 0), WSH_POISONED);
        assert!(!wsh_server_is_accepted(server));
        assert!(data.is_null() && len == 0);
        // Other handles are unaffected.
        let other = new_server(config);
        assert_eq!(feed_server(other, REQUEST), WSH_OK);
        wsh_server_free(other);
    });
}

#[test]
fn a_panic_in_feed_returns_panic_and_poisons_the_client() {
    with_handle(CLIENT, |config, client| unsafe {
        assert_panic_then_poisoned(
            || (*client).panic_on_next_call(),
            || feed_client(client, RESPONSE),
        );
        let (mut data, mut len) = (ptr::null(), 0);
        let mut decision = wsh_client_decision::WSH_CLIENT_DECISION_NEED_MORE;
        let mut deflate = wsh_deflate_params::default();
        assert_eq!(wsh_client_reset(client, NONCE.as_ptr()), WSH_POISONED);
        let request = wsh_client_request(client, &mut data, &mut len);
        assert_eq!(request, WSH_POISONED);
        assert_eq!(wsh_client_request_advance(client, 0), WSH_POISONED);
        assert_eq!(wsh_client_finish(client, &mut decision), WSH_POISONED);
        assert_eq!(wsh_client_outcome(client, &mut decision), WSH_POISONED);
        assert_eq!(wsh_client_body(client, &mut data, &mut len), WSH_POISONED);
        assert_eq!(wsh_client_deflate(client, &mut deflate), WSH_POISONED);
        assert!(!wsh_client_is_accepted(client));
        assert!(data.is_null() && len == 0);
        // Other handles are unaffected.
        let other = new_client(config);
        assert_eq!(feed_client(other, RESPONSE), WSH_OK);
        assert!(wsh_client_is_accepted(other));
        wsh_client_free(other);
    });
}

/// On an accepted handle whose next entry panics, the bool accessor falls
/// back to false (though the handle was accepted) and poisons the handle, so
/// the accessor after it returns WSH_POISONED.
fn assert_const_accessor_poisons(
    panic_on_next_call: impl FnOnce(),
    is_accepted: impl Fn() -> bool,
    accessor: impl FnOnce() -> wsh_result,
) {
    assert!(is_accepted());
    panic_on_next_call();
    assert!(!is_accepted());
    assert_eq!(accessor(), WSH_POISONED);
}

#[test]
fn a_panic_in_a_const_accessor_poisons_the_server_too() {
    with_handle(SERVER, |_, server| unsafe {
        assert_eq!(feed_server(server, REQUEST), WSH_OK);
        assert_eq!(wsh_server_accept(server, ptr::null()), WSH_OK);
        let (mut data, mut len) = (ptr::null(), 0);
        assert_const_accessor_poisons(
            || (*server).panic_on_next_call(),
            || wsh_server_is_accepted(server),
            || wsh_server_response(server, &mut data, &mut len),
        );
    });
}

#[test]
fn a_panic_in_a_const_accessor_poisons_the_client_too() {
    with_handle(CLIENT, |_, client| unsafe {
        assert_eq!(feed_client(client, RESPONSE), WSH_OK);
        let mut status = 0;
        assert_const_accessor_poisons(
            || (*client).panic_on_next_call(),
            || wsh_client_is_accepted(client),
            || wsh_client_status(client, &mut status),
        );
        assert_eq!(status, 0);
    });
}

#[test]
fn a_panic_in_a_builder_setter_poisons_the_server_builder() {
    let builder = wsh_server_config_builder_new();
    let hook = || unsafe { &*builder }.panic_on_next_call();
    assert_panic_then_poisoned(hook, || unsafe {
        wsh_server_config_builder_websocket(builder, true)
    });
    assert_build_poisoned(wsh_server_config_builder_build, builder);
}

#[test]
fn a_panic_in_a_builder_setter_poisons_the_client_builder() {
    let builder = client_builder();
    let add_chat =
        || unsafe { wsh_client_config_builder_add_subprotocol(builder, b"chat".as_ptr(), 4) };
    assert_panic_then_poisoned(|| unsafe { &*builder }.panic_on_next_call(), add_chat);
    assert_build_poisoned(wsh_client_config_builder_build, builder);
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
