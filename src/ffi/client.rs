//! `wsh_client`: the client handshake handle. Send its request bytes, feed it
//! the server's response, learn whether the server accepted, refused or broke
//! the protocol; reset and reuse.

use std::sync::Arc;

use super::client_config::{client_config_ref, wsh_client_config};
use super::deflate::wsh_deflate_params;
use super::{
    Guarded, Handle, Out, ffi_boundary, free_raw_handle, handle_mut, handle_ref, input_slice,
    into_raw_handle, output_slice, overlaps, ptr_len, try_ffi, wsh_result,
};
use wshandshake::ClientKey;
use wshandshake::ResponseView;
use wshandshake::{ClientHandshake, ClientOutcome};

/// Length of the nonce a Sec-WebSocket-Key encodes: 16 bytes.
pub const WSH_NONCE_LEN: usize = 16;

/// Length of a Sec-WebSocket-Key value: 24 base64 characters (no NUL).
pub const WSH_KEY_LEN: usize = 24;

// The header needs literals; these keep them equal to the core's constants.
const _: () = assert!(WSH_KEY_LEN == wshandshake::KEY_LEN);

/// What the client knows about the server's answer so far.
#[repr(u32)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum wsh_client_decision {
    /// The response is not complete yet: feed more bytes, or call
    /// wsh_client_finish() when the connection closed.
    WSH_CLIENT_DECISION_NEED_MORE = 0,
    /// A valid 101: once the request was sent in full, the connection speaks
    /// WebSocket. The bytes after the head are the first frames.
    WSH_CLIENT_DECISION_ACCEPTED = 1,
    /// A well-formed final response other than 101 (wsh_client_status());
    /// its head and body are available. Close the connection (or follow a
    /// redirect).
    WSH_CLIENT_DECISION_REFUSED = 2,
    /// The response breaks the protocol; the result code (WSH_RESPONSE_*) says
    /// how. Close the connection.
    WSH_CLIENT_DECISION_FAILED = 3,
}

impl From<ClientOutcome> for wsh_client_decision {
    fn from(outcome: ClientOutcome) -> Self {
        use wsh_client_decision::*;
        match outcome {
            ClientOutcome::NeedMore => WSH_CLIENT_DECISION_NEED_MORE,
            ClientOutcome::Accepted => WSH_CLIENT_DECISION_ACCEPTED,
            ClientOutcome::Refused(_) => WSH_CLIENT_DECISION_REFUSED,
            ClientOutcome::Failed(_) => WSH_CLIENT_DECISION_FAILED,
        }
    }
}

/// The result code that goes with an outcome: WSH_NEED_MORE, WSH_OK for an
/// accept or a refusal, the response error of a failure.
fn outcome_result(outcome: ClientOutcome) -> wsh_result {
    match outcome {
        ClientOutcome::NeedMore => wsh_result::WSH_NEED_MORE,
        ClientOutcome::Accepted | ClientOutcome::Refused(_) => wsh_result::WSH_OK,
        ClientOutcome::Failed(e) => e.into(),
    }
}

/// A client handshake handle (opaque).
///
/// Life cycle: wsh_client_new() (or wsh_client_new_with_key()); send the bytes
/// of wsh_client_request() and acknowledge them with
/// wsh_client_request_advance(), or copy them out with wsh_client_drain();
/// wsh_client_feed() the server's bytes until the result is not
/// WSH_NEED_MORE (wsh_client_finish() if the connection closes first); read
/// the outcome (wsh_client_subprotocol(), wsh_client_deflate(),
/// wsh_client_status(), wsh_client_body(), ...); wsh_client_reset() for the
/// next connection with the same buffers; wsh_client_free().
///
/// Memory: the buffers are allocated once by wsh_client_new(), sized from the
/// config's request and limits; feeding and resetting never reallocate them.
///
/// Borrowed views: the response views (head, reason, header fields, body,
/// subprotocol, extensions) stay valid until wsh_client_feed(),
/// wsh_client_finish(), wsh_client_reset() or wsh_client_free() is called on
/// the handle. The views of wsh_client_request() and wsh_client_key() stay
/// valid until the next call that is not const on the handle.
///
/// Thread safety: use a handle from one thread at a time; it may move between
/// threads. Different handles are independent.
///
/// After WSH_PANIC the handle is poisoned: every call but wsh_client_free()
/// returns WSH_POISONED.
pub struct wsh_client {
    state: Guarded<ClientHandshake>,
}

impl Handle for wsh_client {
    type State = ClientHandshake;
    fn guarded(&self) -> &Guarded<ClientHandshake> {
        &self.state
    }
}

impl wsh_client {
    /// Test hook: the next call entering this handle panics inside the boundary.
    #[cfg(test)]
    pub(crate) fn panic_on_next_call(&self) {
        self.state.panic_on_next_entry();
    }
}

/// Reads the 16 nonce bytes at `nonce`, or asks the operating system for them
/// when `nonce` is NULL and `random_when_null` is set.
///
/// # Safety
/// `nonce` is NULL or points to WSH_NONCE_LEN readable bytes.
unsafe fn key_from(nonce: *const u8, random_when_null: bool) -> Result<ClientKey, wsh_result> {
    if nonce.is_null() {
        return if random_when_null {
            ClientKey::random().map_err(wsh_result::from)
        } else {
            Err(wsh_result::WSH_NULL_POINTER)
        };
    }
    // SAFETY: WSH_NONCE_LEN readable bytes at `nonce` (C contract).
    let bytes = unsafe { input_slice(nonce, WSH_NONCE_LEN) }?;
    let nonce: [u8; WSH_NONCE_LEN] = bytes
        .try_into()
        .map_err(|_| wsh_result::WSH_INVALID_ARGUMENT)?;
    Ok(ClientKey::from_nonce(nonce))
}

/// Shared body of wsh_client_new() and wsh_client_new_with_key().
///
/// # Safety
/// `config` is NULL or a live config; `nonce` as for [`key_from`]; `out` is
/// NULL or valid for one write.
unsafe fn new_client(
    config: *const wsh_client_config,
    nonce: *const u8,
    random: bool,
    out: *mut *mut wsh_client,
) -> wsh_result {
    // SAFETY: forwarded from the caller.
    let config = try_ffi!(unsafe { client_config_ref(config) });
    // SAFETY: forwarded from the caller.
    let out = try_ffi!(unsafe { Out::new(out) });
    // SAFETY: forwarded from the caller.
    let key = try_ffi!(unsafe { key_from(nonce, random) });
    let handshake = ClientHandshake::with_key(Arc::clone(&config.config), key);
    out.write(into_raw_handle(wsh_client {
        state: Guarded::new(handshake),
    }));
    wsh_result::WSH_OK
}

/// Checks two output pointers for a byte string.
///
/// # Safety
/// Each pointer is NULL or valid for one write until the call returns.
unsafe fn bytes_out(
    data: *mut *const u8,
    len: *mut usize,
) -> Result<(Out<*const u8>, Out<usize>), wsh_result> {
    // SAFETY: forwarded from the caller.
    let data = unsafe { Out::new(data) }?;
    // SAFETY: forwarded from the caller.
    let len = unsafe { Out::new(len) }?;
    Ok((data, len))
}

/// Writes a byte string to checked outputs.
fn write_bytes(out: (Out<*const u8>, Out<usize>), bytes: &[u8]) {
    let (ptr, len) = ptr_len(bytes);
    out.0.write(ptr);
    out.1.write(len);
}

/// The final response head, or WSH_WRONG_STATE while it is incomplete.
fn response_of(handshake: &ClientHandshake) -> Result<ResponseView<'_>, wsh_result> {
    handshake.response().ok_or(wsh_result::WSH_WRONG_STATE)
}

/// WSH_WRONG_STATE unless the server accepted.
fn require_accepted(handshake: &ClientHandshake) -> Result<(), wsh_result> {
    if handshake.outcome() == ClientOutcome::Accepted {
        Ok(())
    } else {
        Err(wsh_result::WSH_WRONG_STATE)
    }
}

/// Makes a client handshake handle for `config`, with a key from the operating
/// system's random source. The opening request is ready at once in
/// wsh_client_request().
///
/// `config`: borrowed for the call; the handle keeps its own reference.
/// `out`: on WSH_OK receives the handle, owned by the caller: free it with
/// wsh_client_free().
///
/// Returns WSH_OK; WSH_RANDOM_SOURCE_FAILED when the operating system gives no
/// random bytes (never a predictable key); WSH_NULL_POINTER when `config` or
/// `out` is NULL.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wsh_client_new(
    config: *const wsh_client_config,
    out: *mut *mut wsh_client,
) -> wsh_result {
    ffi_boundary! {
        // SAFETY: `config` is NULL or a live config, `out` NULL or writable.
        unsafe { new_client(config, core::ptr::null(), true, out) }
    }
}

/// Makes a client handshake handle whose Sec-WebSocket-Key encodes the caller's
/// 16 bytes (for callers that own their randomness, and for tests). Use fresh
/// random bytes for every connection: a predictable key lets caches and proxies
/// replay old handshakes.
///
/// `nonce`: WSH_NONCE_LEN (16) bytes, read during the call.
/// `config`, `out`: as for wsh_client_new().
///
/// Returns WSH_OK; WSH_NULL_POINTER when `config`, `nonce` or `out` is NULL.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wsh_client_new_with_key(
    config: *const wsh_client_config,
    nonce: *const u8,
    out: *mut *mut wsh_client,
) -> wsh_result {
    ffi_boundary! {
        // SAFETY: `config` is NULL or a live config, `nonce` NULL or 16 readable
        // bytes, `out` NULL or writable.
        unsafe { new_client(config, nonce, false, out) }
    }
}

/// Frees a handle and every buffer it owns; borrowed views into it become
/// invalid. Also valid on a poisoned handle. NULL is a no-op.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wsh_client_free(client: *mut wsh_client) {
    ffi_boundary! {
        // SAFETY: `client` is NULL or a live handle the caller gives up.
        unsafe { free_raw_handle(client) }
    }
}

/// Starts over for a new connection with a new key: the request is rewritten
/// and pending again, the response is forgotten. Keeps the buffers (nothing is
/// reallocated). Invalidates every borrowed view.
///
/// `nonce`: WSH_NONCE_LEN (16) bytes for the new key, read during the call, or
/// NULL for a key from the operating system's random source.
///
/// Returns WSH_OK; WSH_RANDOM_SOURCE_FAILED (the handle is unchanged);
/// WSH_NULL_POINTER for a NULL handle; WSH_POISONED (a poisoned handle cannot
/// be reset: free it).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wsh_client_reset(client: *mut wsh_client, nonce: *const u8) -> wsh_result {
    ffi_boundary! {
        // SAFETY: `client` is NULL or a live handle used by one thread (C contract).
        let mut handshake = try_ffi!(unsafe { handle_mut(client) });
        // SAFETY: `nonce` is NULL or points to 16 readable bytes.
        let key = try_ffi!(unsafe { key_from(nonce, true) });
        handshake.reset(key);
        wsh_result::WSH_OK
    }
}

/// The Sec-WebSocket-Key the request carries.
///
/// `data`, `len`: receive a borrowed view into the handle (WSH_KEY_LEN bytes of
/// base64, not NUL-terminated).
///
/// Returns WSH_OK; WSH_NULL_POINTER; WSH_POISONED.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wsh_client_key(
    client: *const wsh_client,
    data: *mut *const u8,
    len: *mut usize,
) -> wsh_result {
    ffi_boundary! {
        // SAFETY: `client` is NULL or a live handle used by one thread (C contract).
        let handshake = try_ffi!(unsafe { handle_ref(client) });
        // SAFETY: `data` and `len` are NULL or valid for one write.
        let out = try_ffi!(unsafe { bytes_out(data, len) });
        write_bytes(out, handshake.get().key().as_bytes());
        wsh_result::WSH_OK
    }
}

/// The request bytes not yet sent (the whole opening request after
/// wsh_client_new() or wsh_client_reset(); empty once all was sent).
///
/// `data`, `len`: receive a borrowed view into the handle, valid until the next
/// call on the handle that is not const. Send some or all of it, then call
/// wsh_client_request_advance() with the number of bytes sent.
///
/// Returns WSH_OK; WSH_NULL_POINTER; WSH_POISONED.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wsh_client_request(
    client: *const wsh_client,
    data: *mut *const u8,
    len: *mut usize,
) -> wsh_result {
    ffi_boundary! {
        // SAFETY: `client` is NULL or a live handle used by one thread (C contract).
        let handshake = try_ffi!(unsafe { handle_ref(client) });
        // SAFETY: `data` and `len` are NULL or valid for one write.
        let out = try_ffi!(unsafe { bytes_out(data, len) });
        write_bytes(out, handshake.get().pending_request());
        wsh_result::WSH_OK
    }
}

/// Marks the first `n` pending request bytes as sent.
///
/// Returns WSH_OK; WSH_OUT_OF_RANGE when `n` is more than is pending (nothing
/// changes); WSH_NULL_POINTER; WSH_POISONED.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wsh_client_request_advance(
    client: *mut wsh_client,
    n: usize,
) -> wsh_result {
    ffi_boundary! {
        // SAFETY: `client` is NULL or a live handle used by one thread (C contract).
        let mut handshake = try_ffi!(unsafe { handle_mut(client) });
        if n > handshake.pending_request().len() {
            return wsh_result::WSH_OUT_OF_RANGE;
        }
        handshake.advance_request(n);
        wsh_result::WSH_OK
    }
}

/// Copies pending request bytes into a caller buffer and marks them sent.
///
/// `buf`, `cap`: the buffer; borrowed for the call. Call again while
/// `*written` is `cap` and more is pending.
/// `written`: receives the number of bytes copied (0 when nothing is pending).
///
/// Returns WSH_OK; WSH_INVALID_ARGUMENT for `(NULL, cap > 0)` or a buffer
/// that overlaps the pending request; WSH_NULL_POINTER; WSH_POISONED.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wsh_client_drain(
    client: *mut wsh_client,
    buf: *mut u8,
    cap: usize,
    written: *mut usize,
) -> wsh_result {
    ffi_boundary! {
        // SAFETY: `client` is NULL or a live handle used by one thread (C contract).
        let mut handshake = try_ffi!(unsafe { handle_mut(client) });
        let (pending, pending_len) = ptr_len(handshake.pending_request());
        if overlaps(buf.cast_const(), cap, pending, pending_len) {
            return wsh_result::WSH_INVALID_ARGUMENT;
        }
        // SAFETY: `cap` writable bytes at `buf` (C contract), checked above not to
        // overlap the pending request.
        let buf = try_ffi!(unsafe { output_slice(buf, cap) });
        // SAFETY: `written` is NULL or valid for one write.
        let written = try_ffi!(unsafe { Out::new(written) });
        written.write(handshake.drain_request(buf));
        wsh_result::WSH_OK
    }
}

/// Feeds bytes received from the server, in any chunking (one byte at a time
/// gives the same result as the whole response at once). Interim 1xx responses
/// other than 101 are skipped. A refusal's body is read as its Content-Length
/// or chunked framing says (up to the config's max_body_bytes); a refusal
/// without either ends at the close: call wsh_client_finish() then.
///
/// `data`, `len`: the bytes received; borrowed for the call (copied as
/// needed).
/// `consumed`: receives how many of these bytes the handshake took. While the
/// response is incomplete that is all of them. After
/// WSH_CLIENT_DECISION_ACCEPTED the bytes not taken are the first WebSocket
/// frames; after WSH_CLIENT_DECISION_REFUSED, what follows the response; after
/// WSH_CLIENT_DECISION_FAILED every byte is taken (none may be used).
/// `decision`: receives the decision (a wsh_client_decision).
///
/// Returns WSH_NEED_MORE (feed more); WSH_OK (accepted or refused: see
/// `decision`); a WSH_RESPONSE_* error (the response breaks the protocol,
/// `decision` is WSH_CLIENT_DECISION_FAILED: close the connection). In those
/// three cases both outputs are written. Misuse, with nothing written:
/// WSH_NULL_POINTER; WSH_INVALID_ARGUMENT for `(NULL, len > 0)`;
/// WSH_WRONG_STATE once a decision was made (reset first); WSH_POISONED.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wsh_client_feed(
    client: *mut wsh_client,
    data: *const u8,
    len: usize,
    consumed: *mut usize,
    decision: *mut wsh_client_decision,
) -> wsh_result {
    ffi_boundary! {
        // SAFETY: `client` is NULL or a live handle used by one thread (C contract).
        let mut handshake = try_ffi!(unsafe { handle_mut(client) });
        // SAFETY: `len` readable bytes at `data` (C contract).
        let data = try_ffi!(unsafe { input_slice(data, len) });
        // SAFETY: `consumed` is NULL or valid for one write.
        let consumed = try_ffi!(unsafe { Out::new(consumed) });
        // SAFETY: `decision` is NULL or valid for one write.
        let decision = try_ffi!(unsafe { Out::new(decision) });
        let fed = try_ffi!(handshake.feed(data));
        consumed.write(fed.consumed);
        decision.write(fed.outcome.into());
        outcome_result(fed.outcome)
    }
}

/// Tells the handle the connection closed before a decision. A refusal whose
/// body runs until the close is then complete (WSH_OK, refused); anything else
/// unfinished fails (WSH_RESPONSE_INCOMPLETE_HEAD,
/// WSH_RESPONSE_INCOMPLETE_BODY).
///
/// `decision`: receives the decision (written whenever the result is WSH_OK or
/// a WSH_RESPONSE_* error).
///
/// Returns as described; WSH_WRONG_STATE once a decision was made;
/// WSH_NULL_POINTER; WSH_POISONED.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wsh_client_finish(
    client: *mut wsh_client,
    decision: *mut wsh_client_decision,
) -> wsh_result {
    ffi_boundary! {
        // SAFETY: `client` is NULL or a live handle used by one thread (C contract).
        let mut handshake = try_ffi!(unsafe { handle_mut(client) });
        // SAFETY: `decision` is NULL or valid for one write.
        let decision = try_ffi!(unsafe { Out::new(decision) });
        let outcome = try_ffi!(handshake.finish());
        decision.write(outcome.into());
        outcome_result(outcome)
    }
}

/// The decision so far (the same as the last wsh_client_feed() or
/// wsh_client_finish() reported).
///
/// `decision`: receives a wsh_client_decision.
///
/// Returns what wsh_client_feed() returned for it (WSH_NEED_MORE, WSH_OK or the
/// WSH_RESPONSE_* error); WSH_NULL_POINTER; WSH_POISONED.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wsh_client_outcome(
    client: *const wsh_client,
    decision: *mut wsh_client_decision,
) -> wsh_result {
    ffi_boundary! {
        // SAFETY: `client` is NULL or a live handle used by one thread (C contract).
        let handshake = try_ffi!(unsafe { handle_ref(client) });
        // SAFETY: `decision` is NULL or valid for one write.
        let decision = try_ffi!(unsafe { Out::new(decision) });
        let outcome = handshake.outcome();
        decision.write(outcome.into());
        outcome_result(outcome)
    }
}

/// True once the server accepted (WSH_CLIENT_DECISION_ACCEPTED). False
/// otherwise, and for a NULL or poisoned handle.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wsh_client_is_accepted(client: *const wsh_client) -> bool {
    ffi_boundary! {
        // SAFETY: `client` is NULL or a live handle used by one thread (C contract).
        match unsafe { handle_ref(client) } {
            Ok(handshake) => handshake.outcome() == ClientOutcome::Accepted,
            Err(_) => false,
        }
    }
}

/// The status code of the final response (101 for an accept), once its head
/// is complete, also when the handshake failed afterwards (e.g. a 101 with the
/// wrong Sec-WebSocket-Accept, or a refusal whose body is too large).
///
/// `status`: receives it.
///
/// Returns WSH_OK; WSH_WRONG_STATE while no final response head is complete
/// (and after a failure in the head itself); WSH_NULL_POINTER; WSH_POISONED.
/// The response accessors below return the same.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wsh_client_status(
    client: *const wsh_client,
    status: *mut u16,
) -> wsh_result {
    ffi_boundary! {
        // SAFETY: `client` is NULL or a live handle used by one thread (C contract).
        let handshake = try_ffi!(unsafe { handle_ref(client) });
        // SAFETY: `status` is NULL or valid for one write.
        let status = try_ffi!(unsafe { Out::new(status) });
        let view = try_ffi!(response_of(handshake.get()));
        status.write(view.status());
        wsh_result::WSH_OK
    }
}

/// The reason phrase of the final response as sent (e.g. "Unauthorized";
/// empty when absent or not UTF-8).
///
/// `data`, `len`: receive a borrowed view into the handle.
///
/// Returns as wsh_client_status().
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wsh_client_reason(
    client: *const wsh_client,
    data: *mut *const u8,
    len: *mut usize,
) -> wsh_result {
    ffi_boundary! {
        // SAFETY: `client` is NULL or a live handle used by one thread (C contract).
        let handshake = try_ffi!(unsafe { handle_ref(client) });
        // SAFETY: `data` and `len` are NULL or valid for one write.
        let out = try_ffi!(unsafe { bytes_out(data, len) });
        let view = try_ffi!(response_of(handshake.get()));
        write_bytes(out, view.reason().as_bytes());
        wsh_result::WSH_OK
    }
}

/// The raw bytes of the final response head, status line to final empty line.
///
/// `data`, `len`: receive a borrowed view into the handle.
///
/// Returns as wsh_client_status().
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wsh_client_head(
    client: *const wsh_client,
    data: *mut *const u8,
    len: *mut usize,
) -> wsh_result {
    ffi_boundary! {
        // SAFETY: `client` is NULL or a live handle used by one thread (C contract).
        let handshake = try_ffi!(unsafe { handle_ref(client) });
        // SAFETY: `data` and `len` are NULL or valid for one write.
        let out = try_ffi!(unsafe { bytes_out(data, len) });
        let view = try_ffi!(response_of(handshake.get()));
        write_bytes(out, view.head());
        wsh_result::WSH_OK
    }
}

/// The number of header fields in the final response.
///
/// `count`: receives it.
///
/// Returns as wsh_client_status().
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wsh_client_header_count(
    client: *const wsh_client,
    count: *mut usize,
) -> wsh_result {
    ffi_boundary! {
        // SAFETY: `client` is NULL or a live handle used by one thread (C contract).
        let handshake = try_ffi!(unsafe { handle_ref(client) });
        // SAFETY: `count` is NULL or valid for one write.
        let count = try_ffi!(unsafe { Out::new(count) });
        let view = try_ffi!(response_of(handshake.get()));
        count.write(view.header_count());
        wsh_result::WSH_OK
    }
}

/// The header field at `index` (0-based, in the order received) of the final
/// response.
///
/// `name`, `name_len`, `value`, `value_len`: receive borrowed views into the
/// handle (the value without surrounding whitespace).
///
/// Returns as wsh_client_status(), and WSH_OUT_OF_RANGE when `index` >=
/// wsh_client_header_count().
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wsh_client_header_at(
    client: *const wsh_client,
    index: usize,
    name: *mut *const u8,
    name_len: *mut usize,
    value: *mut *const u8,
    value_len: *mut usize,
) -> wsh_result {
    ffi_boundary! {
        // SAFETY: `client` is NULL or a live handle used by one thread (C contract).
        let handshake = try_ffi!(unsafe { handle_ref(client) });
        // SAFETY: `name` and `name_len` are NULL or valid for one write.
        let name = try_ffi!(unsafe { bytes_out(name, name_len) });
        // SAFETY: `value` and `value_len` are NULL or valid for one write.
        let value = try_ffi!(unsafe { bytes_out(value, value_len) });
        let view = try_ffi!(response_of(handshake.get()));
        let (n, v) = try_ffi!(view.header_at(index).ok_or(wsh_result::WSH_OUT_OF_RANGE));
        write_bytes(name, n.as_bytes());
        write_bytes(value, v);
        wsh_result::WSH_OK
    }
}

/// The value of the `nth` (0-based) header field named `name` in the final
/// response, compared ASCII case-insensitively (e.g. "WWW-Authenticate" of a
/// 401, "Location" of a redirect).
///
/// `name`, `name_len`: borrowed for the call.
/// `value`, `value_len`: receive a borrowed view into the handle.
///
/// Returns as wsh_client_status(), and WSH_NOT_FOUND when there are not
/// `nth + 1` such fields; WSH_INVALID_ARGUMENT for `(NULL, name_len > 0)`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wsh_client_header(
    client: *const wsh_client,
    name: *const u8,
    name_len: usize,
    nth: usize,
    value: *mut *const u8,
    value_len: *mut usize,
) -> wsh_result {
    ffi_boundary! {
        // SAFETY: `client` is NULL or a live handle used by one thread (C contract).
        let handshake = try_ffi!(unsafe { handle_ref(client) });
        // SAFETY: `name_len` readable bytes at `name` (C contract).
        let name = try_ffi!(unsafe { input_slice(name, name_len) });
        // SAFETY: `value` and `value_len` are NULL or valid for one write.
        let value = try_ffi!(unsafe { bytes_out(value, value_len) });
        let view = try_ffi!(response_of(handshake.get()));
        let found = view
            .headers()
            .filter(|(n, _)| n.as_bytes().eq_ignore_ascii_case(name))
            .nth(nth);
        match found {
            Some((_, v)) => {
                write_bytes(value, v);
                wsh_result::WSH_OK
            }
            None => wsh_result::WSH_NOT_FOUND,
        }
    }
}

/// The body of a refusal (decoded when chunked): complete once the decision is
/// WSH_CLIENT_DECISION_REFUSED. Empty before, for an accept, and after
/// WSH_RESPONSE_BODY_TOO_LARGE; after WSH_RESPONSE_INCOMPLETE_BODY, what
/// arrived before the close.
///
/// `data`, `len`: receive a borrowed view into the handle.
///
/// Returns WSH_OK; WSH_NULL_POINTER; WSH_POISONED.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wsh_client_body(
    client: *const wsh_client,
    data: *mut *const u8,
    len: *mut usize,
) -> wsh_result {
    ffi_boundary! {
        // SAFETY: `client` is NULL or a live handle used by one thread (C contract).
        let handshake = try_ffi!(unsafe { handle_ref(client) });
        // SAFETY: `data` and `len` are NULL or valid for one write.
        let out = try_ffi!(unsafe { bytes_out(data, len) });
        write_bytes(out, handshake.get().body());
        wsh_result::WSH_OK
    }
}

/// The subprotocol the server selected.
///
/// `data`, `len`: receive a borrowed view into the handle.
///
/// Returns WSH_OK; WSH_NOT_FOUND when the server selected none;
/// WSH_WRONG_STATE unless the decision is WSH_CLIENT_DECISION_ACCEPTED;
/// WSH_NULL_POINTER; WSH_POISONED.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wsh_client_subprotocol(
    client: *const wsh_client,
    data: *mut *const u8,
    len: *mut usize,
) -> wsh_result {
    ffi_boundary! {
        // SAFETY: `client` is NULL or a live handle used by one thread (C contract).
        let handshake = try_ffi!(unsafe { handle_ref(client) });
        // SAFETY: `data` and `len` are NULL or valid for one write.
        let out = try_ffi!(unsafe { bytes_out(data, len) });
        let handshake = handshake.get();
        try_ffi!(require_accepted(handshake));
        match handshake.subprotocol() {
            Some(p) => {
                write_bytes(out, p.as_bytes());
                wsh_result::WSH_OK
            }
            None => wsh_result::WSH_NOT_FOUND,
        }
    }
}

/// The permessage-deflate parameters both sides agreed on: how the framing
/// layer configures its compressor and decompressor.
///
/// `out`: receives them.
///
/// Returns WSH_OK; WSH_NOT_FOUND when permessage-deflate is not in use (not
/// offered, or the server declined); WSH_WRONG_STATE unless the decision is
/// WSH_CLIENT_DECISION_ACCEPTED; WSH_NULL_POINTER; WSH_POISONED.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wsh_client_deflate(
    client: *const wsh_client,
    out: *mut wsh_deflate_params,
) -> wsh_result {
    ffi_boundary! {
        // SAFETY: `client` is NULL or a live handle used by one thread (C contract).
        let handshake = try_ffi!(unsafe { handle_ref(client) });
        // SAFETY: `out` is NULL or valid for one write.
        let out = try_ffi!(unsafe { Out::new(out) });
        try_ffi!(require_accepted(&handshake));
        match handshake.deflate() {
            Some(params) => {
                out.write(params.into());
                wsh_result::WSH_OK
            }
            None => wsh_result::WSH_NOT_FOUND,
        }
    }
}

/// Which permessage-deflate offer the server accepted: its position among the
/// offers of the config, 0 for the one set with
/// wsh_client_config_builder_permessage_deflate(), then one per
/// wsh_client_config_builder_add_permessage_deflate() in call order. The
/// response does not name it: it is the first offer the response is a valid
/// answer to.
///
/// `index`: receives it.
///
/// Returns WSH_OK; WSH_NOT_FOUND when permessage-deflate is not in use;
/// WSH_WRONG_STATE unless the decision is WSH_CLIENT_DECISION_ACCEPTED;
/// WSH_NULL_POINTER; WSH_POISONED.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wsh_client_deflate_offer_index(
    client: *const wsh_client,
    index: *mut usize,
) -> wsh_result {
    ffi_boundary! {
        // SAFETY: `client` is NULL or a live handle used by one thread (C contract).
        let handshake = try_ffi!(unsafe { handle_ref(client) });
        // SAFETY: `index` is NULL or valid for one write.
        let out = try_ffi!(unsafe { Out::new(index) });
        try_ffi!(require_accepted(&handshake));
        match handshake.deflate_offer_index() {
            Some(i) => {
                out.write(i);
                wsh_result::WSH_OK
            }
            None => wsh_result::WSH_NOT_FOUND,
        }
    }
}

/// The number of extension elements the server accepted (permessage-deflate
/// included), in the order the framing layer applies them.
///
/// `count`: receives it.
///
/// Returns WSH_OK; WSH_WRONG_STATE unless the decision is
/// WSH_CLIENT_DECISION_ACCEPTED; WSH_NULL_POINTER; WSH_POISONED.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wsh_client_extension_count(
    client: *const wsh_client,
    count: *mut usize,
) -> wsh_result {
    ffi_boundary! {
        // SAFETY: `client` is NULL or a live handle used by one thread (C contract).
        let handshake = try_ffi!(unsafe { handle_ref(client) });
        // SAFETY: `count` is NULL or valid for one write.
        let count = try_ffi!(unsafe { Out::new(count) });
        try_ffi!(require_accepted(&handshake));
        count.write(handshake.extension_count());
        wsh_result::WSH_OK
    }
}

/// The accepted extension element at `index`, as the server sent it, e.g.
/// "permessage-deflate; server_max_window_bits=10".
///
/// `data`, `len`: receive a borrowed view into the handle.
///
/// Returns WSH_OK; WSH_OUT_OF_RANGE when `index` >=
/// wsh_client_extension_count(); WSH_WRONG_STATE unless the decision is
/// WSH_CLIENT_DECISION_ACCEPTED; WSH_NULL_POINTER; WSH_POISONED.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wsh_client_extension_at(
    client: *const wsh_client,
    index: usize,
    data: *mut *const u8,
    len: *mut usize,
) -> wsh_result {
    ffi_boundary! {
        // SAFETY: `client` is NULL or a live handle used by one thread (C contract).
        let handshake = try_ffi!(unsafe { handle_ref(client) });
        // SAFETY: `data` and `len` are NULL or valid for one write.
        let out = try_ffi!(unsafe { bytes_out(data, len) });
        let handshake = handshake.get();
        try_ffi!(require_accepted(handshake));
        let element = try_ffi!(handshake
            .extension_at(index)
            .ok_or(wsh_result::WSH_OUT_OF_RANGE));
        write_bytes(out, element.as_bytes());
        wsh_result::WSH_OK
    }
}
