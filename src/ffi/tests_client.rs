//! Panics at the C boundary for the client handle and the client config
//! builder: the call returns WSH_PANIC and the handle is poisoned. Uses the
//! test-only hook that makes the next entry into a handle panic.
// The tests call the C API with pointers they have just made and checked.
#![allow(clippy::undocumented_unsafe_blocks)]

use core::ptr;

use super::client::*;
use super::client_config::*;
use super::deflate::wsh_deflate_params;
use super::result::wsh_result::*;

const URL: &[u8] = b"ws://server.example.com/chat";
const NONCE: &[u8; 16] = b"the sample nonce";
const RESPONSE: &[u8] = b"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n\
    Connection: Upgrade\r\nSec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n\r\n";

fn new_config() -> *const wsh_client_config {
    let mut builder = ptr::null_mut();
    let mut config = ptr::null();
    unsafe {
        assert_eq!(
            wsh_client_config_builder_new(URL.as_ptr(), URL.len(), &mut builder),
            WSH_OK
        );
        assert_eq!(
            wsh_client_config_builder_build(builder, &mut config),
            WSH_OK
        );
    }
    config
}

fn new_client(config: *const wsh_client_config) -> *mut wsh_client {
    let mut client = ptr::null_mut();
    assert_eq!(
        unsafe { wsh_client_new_with_key(config, NONCE.as_ptr(), &mut client) },
        WSH_OK
    );
    client
}

fn feed(client: *mut wsh_client, data: &[u8]) -> super::wsh_result {
    let mut consumed = 0;
    let mut decision = wsh_client_decision::WSH_CLIENT_DECISION_NEED_MORE;
    unsafe {
        wsh_client_feed(
            client,
            data.as_ptr(),
            data.len(),
            &mut consumed,
            &mut decision,
        )
    }
}

#[test]
fn a_panic_in_feed_returns_panic_and_poisons_the_client() {
    let config = new_config();
    let client = new_client(config);
    unsafe { &*client }.panic_on_next_call();
    assert_eq!(feed(client, RESPONSE), WSH_PANIC);
    assert_eq!(feed(client, RESPONSE), WSH_POISONED);
    let mut data = ptr::null();
    let mut len = 0;
    let mut decision = wsh_client_decision::WSH_CLIENT_DECISION_NEED_MORE;
    let mut deflate = wsh_deflate_params::default();
    unsafe {
        assert_eq!(wsh_client_reset(client, NONCE.as_ptr()), WSH_POISONED);
        assert_eq!(
            wsh_client_request(client, &mut data, &mut len),
            WSH_POISONED
        );
        assert_eq!(wsh_client_request_advance(client, 0), WSH_POISONED);
        assert_eq!(wsh_client_finish(client, &mut decision), WSH_POISONED);
        assert_eq!(wsh_client_outcome(client, &mut decision), WSH_POISONED);
        assert_eq!(wsh_client_body(client, &mut data, &mut len), WSH_POISONED);
        assert_eq!(wsh_client_deflate(client, &mut deflate), WSH_POISONED);
        assert!(!wsh_client_is_accepted(client));
        assert!(data.is_null() && len == 0);
        // Other handles are unaffected.
        let other = new_client(config);
        assert_eq!(feed(other, RESPONSE), WSH_OK);
        assert!(wsh_client_is_accepted(other));
        wsh_client_free(other);
        // Freeing a poisoned handle is allowed (and leaks nothing).
        wsh_client_free(client);
        wsh_client_config_free(config);
    }
}

#[test]
fn a_panic_in_a_const_accessor_poisons_the_client_too() {
    let config = new_config();
    let client = new_client(config);
    assert_eq!(feed(client, RESPONSE), WSH_OK);
    unsafe {
        assert!(wsh_client_is_accepted(client));
        (*client).panic_on_next_call();
        // bool fallback: false, even though the handshake was accepted.
        assert!(!wsh_client_is_accepted(client));
        let mut status = 0;
        assert_eq!(wsh_client_status(client, &mut status), WSH_POISONED);
        assert_eq!(status, 0);
        wsh_client_free(client);
        wsh_client_config_free(config);
    }
}

#[test]
fn a_panic_in_a_client_builder_setter_poisons_the_builder() {
    let mut builder = ptr::null_mut();
    unsafe {
        assert_eq!(
            wsh_client_config_builder_new(URL.as_ptr(), URL.len(), &mut builder),
            WSH_OK
        );
        (*builder).panic_on_next_call();
        assert_eq!(
            wsh_client_config_builder_add_subprotocol(builder, b"chat".as_ptr(), 4),
            WSH_PANIC
        );
        assert_eq!(
            wsh_client_config_builder_add_subprotocol(builder, b"chat".as_ptr(), 4),
            WSH_POISONED
        );
        let mut config = ptr::null();
        // build still consumes the builder (nothing leaks) and reports it.
        assert_eq!(
            wsh_client_config_builder_build(builder, &mut config),
            WSH_POISONED
        );
        assert!(config.is_null());
    }
}
