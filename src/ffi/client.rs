//! `wsh_client`: the client handshake handle. Send its request bytes, feed it
//! the server's response, learn whether the server accepted, refused or broke
//! the protocol; reset and reuse.

use alloc::sync::Arc;

use super::accessor::{Decides, decision_so_far, feed, field_bytes, nth_named, read, read_named};
use super::args::{Out, arg, enum_from, found, put, try_ffi};
use super::client_config::wsh_client_config;
use super::deflate::wsh_deflate_params;
use super::handle::{Guarded, handle_type, into_raw};
use super::outgoing::{Outgoing, advance, drain};
use super::{ffi_boundary, wsh_result};
use wshandshake::{ClientHandshake, ClientKey, ClientOutcome, ResponseView, UsageError};

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

enum_from!(ClientOutcome => wsh_client_decision {
    ClientOutcome::NeedMore => WSH_CLIENT_DECISION_NEED_MORE,
    ClientOutcome::Accepted => WSH_CLIENT_DECISION_ACCEPTED,
    ClientOutcome::Refused(_) => WSH_CLIENT_DECISION_REFUSED,
    ClientOutcome::Failed(_) => WSH_CLIENT_DECISION_FAILED,
});

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

handle_type!(wsh_client => ClientHandshake);

impl Decides for ClientHandshake {
    type Outcome = ClientOutcome;
    type Decision = wsh_client_decision;
    fn feed_bytes(&mut self, data: &[u8]) -> Result<(usize, ClientOutcome), UsageError> {
        self.feed(data).map(|fed| (fed.consumed, fed.outcome))
    }
    fn decision(&self) -> ClientOutcome {
        self.outcome()
    }
    fn result_of(outcome: ClientOutcome) -> wsh_result {
        outcome_result(outcome)
    }
}

/// The key for a nonce argument: its WSH_NONCE_LEN bytes, or (NULL) bytes from
/// the operating system's random source when `random_when_null` is set.
fn key_from(nonce: Option<&[u8]>, random_when_null: bool) -> Result<ClientKey, wsh_result> {
    match nonce {
        Some(bytes) => bytes
            .try_into()
            .map(ClientKey::from_nonce)
            .map_err(|_| wsh_result::WSH_INVALID_ARGUMENT),
        None if random_when_null => ClientKey::random().map_err(wsh_result::from),
        None => Err(wsh_result::WSH_NULL_POINTER),
    }
}

/// Shared body of wsh_client_new() and wsh_client_new_with_key().
fn new_client(
    config: &wsh_client_config,
    nonce: Option<&[u8]>,
    random: bool,
    out: Out<*mut wsh_client>,
) -> wsh_result {
    let key = key_from(nonce, random);
    put(
        out,
        key.map(|key| into_raw(ClientHandshake::with_key(Arc::clone(&config.config), key))),
    )
}

/// The final response head, or WSH_WRONG_STATE while it is incomplete.
fn response_of(handshake: &ClientHandshake) -> Result<ResponseView<'_>, wsh_result> {
    handshake.response().ok_or(wsh_result::WSH_WRONG_STATE)
}

/// The handshake once the server accepted, or WSH_WRONG_STATE.
fn accepted(handshake: &ClientHandshake) -> Result<&ClientHandshake, wsh_result> {
    match handshake.outcome() {
        ClientOutcome::Accepted => Ok(handshake),
        _ => Err(wsh_result::WSH_WRONG_STATE),
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
        let config = arg!(borrow config);
        new_client(config, None, true, arg!(out out))
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
        let config = arg!(borrow config);
        let out = arg!(out out);
        let nonce = if nonce.is_null() { None } else { Some(arg!(slice nonce, WSH_NONCE_LEN)) };
        new_client(config, nonce, false, out)
    }
}

/// Frees a handle and every buffer it owns; borrowed views into it become
/// invalid. Also valid on a poisoned handle. NULL is a no-op.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wsh_client_free(client: *mut wsh_client) {
    ffi_boundary! { arg!(free client) }
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
        let mut handshake = arg!(mut client);
        let nonce = if nonce.is_null() { None } else { Some(arg!(slice nonce, WSH_NONCE_LEN)) };
        handshake.reset(try_ffi!(key_from(nonce, true)));
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
    ffi_boundary! { arg!(run read, client, (data, len), |c| Ok(c.key().as_bytes().as_slice())) }
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
    ffi_boundary! { arg!(run read, client, (data, len), |c| Ok(c.pending())) }
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
    ffi_boundary! { advance(&mut *arg!(mut client), n) }
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
    ffi_boundary! { arg!(run drain, client, buf, cap, written) }
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
    ffi_boundary! { arg!(run feed, client, data, len, consumed, decision) }
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
        let mut handshake = arg!(mut client);
        let decision = arg!(out decision);
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
    ffi_boundary! { arg!(run decision_so_far, client, decision) }
}

/// True once the server accepted (WSH_CLIENT_DECISION_ACCEPTED). False
/// otherwise, and for a NULL or poisoned handle.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wsh_client_is_accepted(client: *const wsh_client) -> bool {
    ffi_boundary! { arg!(ref client, or false).outcome() == ClientOutcome::Accepted }
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
    ffi_boundary! { arg!(run read, client, status, |c| Ok(response_of(c)?.status())) }
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
        arg!(run read, client, (data, len), |c| Ok(response_of(c)?.reason().as_bytes()))
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
    ffi_boundary! { arg!(run read, client, (data, len), |c| Ok(response_of(c)?.head())) }
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
    ffi_boundary! { arg!(run read, client, count, |c| Ok(response_of(c)?.header_count())) }
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
        let outs = ((name, name_len), (value, value_len));
        arg!(run read, client, outs, |c| field_bytes(response_of(c)?.header_at(index)))
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
        arg!(run read_named, client, name, name_len, nth, value, value_len, |c, name, nth| {
            nth_named(response_of(c)?.headers(), name, nth)
        })
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
    ffi_boundary! { arg!(run read, client, (data, len), |c| Ok(c.body())) }
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
        arg!(run read, client, (data, len), |c| {
            found(accepted(c)?.subprotocol(), wsh_result::WSH_NOT_FOUND).map(str::as_bytes)
        })
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
        arg!(run read, client, out, |c| {
            found(accepted(c)?.deflate(), wsh_result::WSH_NOT_FOUND).map(Into::into)
        })
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
        arg!(run read, client, index, |c| {
            found(accepted(c)?.deflate_offer_index(), wsh_result::WSH_NOT_FOUND)
        })
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
    ffi_boundary! { arg!(run read, client, count, |c| Ok(accepted(c)?.extension_count())) }
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
        arg!(run read, client, (data, len), |c| {
            let extension = accepted(c)?.extension_at(index);
            found(extension, wsh_result::WSH_OUT_OF_RANGE).map(str::as_bytes)
        })
    }
}
