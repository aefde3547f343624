//! `wsh_server`: the server handshake handle. Feed it request bytes, inspect the
//! request, accept or reject, send the response bytes; reset and reuse.

use alloc::sync::Arc;
use core::cell::OnceCell;

use super::accessor::{Decides, decision_so_far, feed, field_bytes, nth_named, read, read_named};
use super::args::{arg, choose, copy_out, found, put, try_ffi};
use super::bytes::{list_vec, text, wsh_bytes, wsh_header};
use super::decision::{outcome_result, wsh_decision};
use super::deflate::wsh_deflate_params;
use super::handle::{Guarded, handle_type, into_raw};
use super::outgoing::{Outgoing, advance, drain};
use super::server_config::wsh_server_config;
use super::server_memory::free_server;
use super::{ffi_boundary, wsh_result};
use wshandshake::{
    AcceptOptions, Extension, Feed, OfferIndex, Outcome, Param, RequestView, ServerHandshake,
    SubprotocolChoice, UpgradeTarget, UsageError, decode_http2_settings,
};

/// A server handshake handle (opaque).
///
/// Life cycle: wsh_server_new(); wsh_server_feed() until the result is not
/// WSH_NEED_MORE; inspect the request (wsh_server_path(), wsh_server_header(),
/// ...); wsh_server_accept() or wsh_server_reject() (or nothing, for a request
/// that is not an upgrade); send the bytes of wsh_server_response() and
/// acknowledge them with wsh_server_response_advance(), or copy them out with
/// wsh_server_drain(); wsh_server_reset() to handle the next connection with the
/// same buffers; wsh_server_free().
///
/// Memory: the buffers are allocated once by wsh_server_new(), sized from the
/// config's limits and response capacity; feeding, accepting and resetting
/// never reallocate them. Alternatively wsh_server_init() places the handle
/// and its buffers in memory the caller provides (wsh_server_size() bytes,
/// aligned to WSH_SERVER_ALIGN: static, stack or pool memory), and nothing is
/// allocated for it. The first list accessor after a head completes
/// (wsh_server_subprotocol_count(), wsh_server_extension_at(), ...) indexes
/// the offered lists in one pass (one allocation, a few bytes per element,
/// bounded by the head limit); every list accessor is then O(1), so reading
/// whole lists is linear in their size. The index is dropped by
/// wsh_server_feed() and wsh_server_reset().
///
/// Borrowed views: pointers into the request (method, headers, subprotocols,
/// ...) and wsh_server_head() stay valid until wsh_server_feed(),
/// wsh_server_reset() or wsh_server_free() is called on the handle; accepting,
/// rejecting and sending do not move them. The pointer of wsh_server_response()
/// stays valid until the next call that is not const on the handle.
///
/// Thread safety: use a handle from one thread at a time; it may move between
/// threads. Different handles are independent.
///
/// After WSH_PANIC the handle is poisoned: every call but wsh_server_free()
/// returns WSH_POISONED.
pub struct wsh_server {
    state: Guarded<ServerState>,
}

/// The handshake and the index of its request's offered lists, built by the
/// first list accessor after a head completes (so a handle whose lists are
/// never read never builds it) and dropped by every call that moves the head
/// (feed, reset). It makes each `*_at` accessor O(1); see `OfferIndex`.
pub(crate) struct ServerState {
    handshake: ServerHandshake,
    offers: OnceCell<OfferIndex>,
    /// True when the handle lives in the caller's memory (wsh_server_init()).
    pub(crate) placed: bool,
}

impl ServerState {
    pub(crate) fn new(handshake: ServerHandshake, placed: bool) -> Self {
        let offers = OnceCell::new();
        ServerState {
            handshake,
            offers,
            placed,
        }
    }

    /// Feeds the handshake; the head may change, so the index goes.
    fn feed(&mut self, data: &[u8]) -> Result<Feed, UsageError> {
        self.offers = OnceCell::new();
        self.handshake.feed(data)
    }

    /// Resets the handshake and drops the index.
    fn reset(&mut self) {
        self.offers = OnceCell::new();
        self.handshake.reset();
    }

    /// The request and the index of its lists (built on first use).
    fn offers(&self) -> Result<(RequestView<'_>, &OfferIndex), wsh_result> {
        let view = request_of(&self.handshake)?;
        Ok((view, self.offers.get_or_init(|| OfferIndex::build(&view))))
    }

    /// The index of the request's lists alone.
    fn offer_index(&self) -> Result<&OfferIndex, wsh_result> {
        self.offers().map(|(_, index)| index)
    }

    /// The index, if a list accessor built it (for the work-counting tests).
    #[cfg(test)]
    pub(crate) fn built_index(&self) -> Option<&OfferIndex> {
        self.offers.get()
    }
}

// Read access and the calls that leave the head in place (accept, reject,
// sending) go to the handshake directly; `feed` and `reset` above shadow the
// handshake's own, so the index never outlives the head it points into.
impl core::ops::Deref for ServerState {
    type Target = ServerHandshake;
    fn deref(&self) -> &ServerHandshake {
        &self.handshake
    }
}

impl core::ops::DerefMut for ServerState {
    fn deref_mut(&mut self) -> &mut ServerHandshake {
        &mut self.handshake
    }
}

handle_type!(wsh_server => ServerState);

impl Decides for ServerState {
    type Outcome = Outcome;
    type Decision = wsh_decision;
    fn feed_bytes(&mut self, data: &[u8]) -> Result<(usize, Outcome), UsageError> {
        self.feed(data).map(|fed| (fed.consumed, fed.outcome))
    }
    fn decision(&self) -> Outcome {
        self.outcome()
    }
    fn result_of(outcome: Outcome) -> wsh_result {
        outcome_result(outcome)
    }
}

/// Which subprotocol wsh_server_accept() selects (wsh_accept_options).
#[repr(u32)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum wsh_subprotocol_mode {
    /// The one the config's policy picked, if any (see wsh_server_subprotocol()).
    WSH_SUBPROTOCOL_POLICY = 0,
    /// No subprotocol.
    WSH_SUBPROTOCOL_NONE = 1,
    /// The one named in wsh_accept_options.subprotocol; it must be among those
    /// the client offered.
    WSH_SUBPROTOCOL_NAMED = 2,
}

/// How wsh_server_accept() answers. A zero-initialized struct
/// (`wsh_accept_options opts = {0};`) means the defaults: the policy's
/// subprotocol, negotiated permessage-deflate, no extra headers or extensions.
/// Everything it points to is borrowed for the call only.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct wsh_accept_options {
    /// A wsh_subprotocol_mode value.
    pub subprotocol_mode: u32,
    /// With WSH_SUBPROTOCOL_NAMED: the subprotocol to select (ignored
    /// otherwise).
    pub subprotocol: *const u8,
    /// Length of `subprotocol`.
    pub subprotocol_len: usize,
    /// Decline permessage-deflate for this connection even if it was
    /// negotiated.
    pub decline_deflate: bool,
    /// Extra response header fields (e.g. Set-Cookie). They may not be the
    /// handshake's own fields (Upgrade, Connection, Sec-WebSocket-*,
    /// Content-Length, Transfer-Encoding).
    pub headers: *const wsh_header,
    /// Number of elements in `headers`.
    pub header_count: usize,
    /// Extra Sec-WebSocket-Extensions response elements for extensions the
    /// engine does not know, each one element in RFC 6455 section 9.1 syntax
    /// (e.g. "x-foo; level=2"); WebSocket upgrades only. Each must name an
    /// extension the client offered (WSH_EXTENSION_NOT_OFFERED otherwise), not
    /// permessage-deflate, which the engine negotiates itself
    /// (WSH_RESERVED_EXTENSION), and each extension at most once
    /// (WSH_INVALID_EXTENSION).
    pub extensions: *const wsh_bytes,
    /// Number of elements in `extensions`.
    pub extension_count: usize,
}

/// One parameter of an extension offer, as sent (see
/// wsh_server_extension_param_at()). Pointers are borrowed views into the
/// request.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct wsh_extension_param {
    /// The parameter name (a token).
    pub name: *const u8,
    /// Length of `name`.
    pub name_len: usize,
    /// The value as sent, without surrounding quotes and with escapes kept
    /// (NULL when there is no value). wsh_server_extension_param_value() gives
    /// the unescaped value.
    pub value: *const u8,
    /// Length of `value` (0 when there is no value).
    pub value_len: usize,
    /// True when the parameter has a value (`name=value`).
    pub has_value: bool,
    /// True when the value was sent as a quoted string.
    pub quoted: bool,
}

/// The parsed request, or WSH_WRONG_STATE when there is none (head incomplete,
/// rejected, or the HTTP/2 preface).
fn request_of(handshake: &ServerHandshake) -> Result<RequestView<'_>, wsh_result> {
    handshake.request().ok_or(wsh_result::WSH_WRONG_STATE)
}

/// The protocol a WSH_DECISION_UPGRADE_OTHER request switches to, or
/// WSH_WRONG_STATE for any other decision.
fn upgrade_protocol(handshake: &ServerHandshake) -> Result<&[u8], wsh_result> {
    let Outcome::UpgradeRequest(UpgradeTarget::Other(i)) = handshake.outcome() else {
        return Err(wsh_result::WSH_WRONG_STATE);
    };
    let protocol = handshake.config().upgrade_protocols().get(i);
    found(protocol, wsh_result::WSH_WRONG_STATE).map(|p| p.as_bytes())
}

/// The extension offer at `index`, in O(1) (from the index).
fn extension_of(state: &ServerState, index: usize) -> Result<Extension<'_>, wsh_result> {
    let (view, offers) = state.offers()?;
    offers
        .extension(view.head(), index)
        .ok_or(wsh_result::WSH_OUT_OF_RANGE)
}

/// The parameter at `param` of the extension offer at `ext`, in O(1).
fn param_of(state: &ServerState, ext: usize, param: usize) -> Result<Param<'_>, wsh_result> {
    let (view, offers) = state.offers()?;
    offers
        .param(view.head(), ext, param)
        .ok_or(wsh_result::WSH_OUT_OF_RANGE)
}

/// The most elements a caller's list (extra headers, extension elements) may
/// have: every element takes more than two bytes of the response, so a
/// longer list can never fit the handle's response capacity. Bounds the
/// allocation the list's conversion makes.
fn list_bound(handshake: &ServerHandshake) -> usize {
    handshake.config().response_capacity() / 2
}

/// The subprotocol choice of a wsh_accept_options (server and extended
/// CONNECT accepts).
///
/// # Safety
/// `opts.subprotocol` is NULL or readable for `opts.subprotocol_len` bytes.
pub(crate) unsafe fn subprotocol_choice<'a>(
    opts: &wsh_accept_options,
) -> Result<SubprotocolChoice<'a>, wsh_result> {
    use wsh_subprotocol_mode::*;
    let name = match opts.subprotocol_mode == WSH_SUBPROTOCOL_NAMED as u32 {
        true => arg!(text opts.subprotocol, opts.subprotocol_len),
        false => "",
    };
    choose(
        opts.subprotocol_mode,
        &[
            (WSH_SUBPROTOCOL_POLICY as u32, SubprotocolChoice::Policy),
            (WSH_SUBPROTOCOL_NONE as u32, SubprotocolChoice::None),
            (WSH_SUBPROTOCOL_NAMED as u32, SubprotocolChoice::Named(name)),
        ],
    )
}

/// WSH_OK, or the engine's error.
fn put_result(result: Result<(), UsageError>) -> wsh_result {
    result.map_or_else(wsh_result::from, |()| wsh_result::WSH_OK)
}

impl From<Param<'_>> for wsh_extension_param {
    fn from(param: Param<'_>) -> Self {
        let (name, value) = (param.name().as_bytes(), param.value());
        let value_bytes = value.map_or(&[][..], |v| v.raw());
        wsh_extension_param {
            name: name.as_ptr(),
            name_len: name.len(),
            value: value.map_or(core::ptr::null(), |_| value_bytes.as_ptr()),
            value_len: value_bytes.len(),
            has_value: value.is_some(),
            quoted: value.is_some_and(|v| v.is_quoted()),
        }
    }
}

/// Makes a handshake handle that uses `config`.
///
/// `config`: borrowed for the call; the handle keeps its own reference, so the
/// config may be freed before the handle.
/// `out`: on WSH_OK receives the handle, owned by the caller: free it with
/// wsh_server_free().
///
/// Returns WSH_OK, or WSH_NULL_POINTER when `config` or `out` is NULL.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wsh_server_new(
    config: *const wsh_server_config,
    out: *mut *mut wsh_server,
) -> wsh_result {
    ffi_boundary! {
        let config = arg!(borrow config);
        let state = ServerState::new(ServerHandshake::new(Arc::clone(&config.config)), false);
        put(arg!(out out), Ok(into_raw::<wsh_server>(state)))
    }
}

/// Frees a handle and every buffer it owns; borrowed views into it become
/// invalid. Also valid on a poisoned handle. NULL is a no-op. For a handle
/// made by wsh_server_init() it ends the handle (dropping its reference to
/// the config) and leaves the memory to the caller, who may reuse it.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wsh_server_free(server: *mut wsh_server) {
    ffi_boundary! { arg!(run free_server, server) }
}

/// Forgets the current handshake so the handle can serve a new connection.
/// Keeps the buffers (nothing is reallocated). Invalidates every borrowed view.
///
/// Returns WSH_OK; WSH_NULL_POINTER; WSH_POISONED (a poisoned handle cannot be
/// reset: free it).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wsh_server_reset(server: *mut wsh_server) -> wsh_result {
    ffi_boundary! {
        arg!(mut server).reset();
        wsh_result::WSH_OK
    }
}

/// Feeds request bytes, in any chunking (one byte at a time gives the same
/// result as the whole head at once, and each byte is examined once).
///
/// `data`, `len`: the bytes received; borrowed for the call (copied as needed).
/// `consumed`: receives how many of these bytes the handshake took. While the
/// head is incomplete that is all of them. When the head completes, the bytes
/// after it are not taken: after an accepted upgrade they are the new
/// protocol's first bytes; for a request that is not an upgrade, what follows
/// the head. After a rejection every byte is taken (none may be used: close
/// the connection once the response is sent). For WSH_DECISION_HTTP2_PREFACE,
/// hand wsh_server_head() and then the untaken bytes to the HTTP/2 stack.
/// `decision`: receives the decision (a wsh_decision).
///
/// Returns WSH_NEED_MORE (feed more); WSH_OK (decided: see `decision`); a
/// WSH_REQUEST_* error (the request is invalid, `decision` is
/// WSH_DECISION_REJECTED, and the ready-made rejection with status
/// wsh_result_http_status(result) is pending in wsh_server_response()). In
/// those three cases both outputs are written. Misuse, with nothing written:
/// WSH_NULL_POINTER; WSH_INVALID_ARGUMENT for `(NULL, len > 0)`;
/// WSH_WRONG_STATE once a decision was made (reset first); WSH_POISONED.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wsh_server_feed(
    server: *mut wsh_server,
    data: *const u8,
    len: usize,
    consumed: *mut usize,
    decision: *mut wsh_decision,
) -> wsh_result {
    ffi_boundary! { arg!(run feed, server, data, len, consumed, decision) }
}

/// The decision so far (the same as the last wsh_server_feed() reported).
///
/// `decision`: receives a wsh_decision.
///
/// Returns what wsh_server_feed() returned for it (WSH_NEED_MORE, WSH_OK or the
/// WSH_REQUEST_* error); WSH_NULL_POINTER; WSH_POISONED.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wsh_server_decision(
    server: *const wsh_server,
    decision: *mut wsh_decision,
) -> wsh_result {
    ffi_boundary! { arg!(run decision_so_far, server, decision) }
}

/// The raw request head bytes received so far (the whole head, final empty line
/// included, once decided; unfolded in place when obs-fold is allowed).
///
/// `data`, `len`: receive a borrowed view into the handle.
///
/// Returns WSH_OK; WSH_NULL_POINTER; WSH_POISONED.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wsh_server_head(
    server: *const wsh_server,
    data: *mut *const u8,
    len: *mut usize,
) -> wsh_result {
    ffi_boundary! { arg!(run read, server, (data, len), |s| Ok(s.head())) }
}

/// The request method, e.g. "GET".
///
/// `data`, `len`: receive a borrowed view into the handle (not NUL-terminated).
///
/// Returns WSH_OK; WSH_WRONG_STATE when no parsed request is available (head
/// incomplete, rejected, or HTTP/2 preface); WSH_NULL_POINTER; WSH_POISONED.
/// The same holds for every request accessor below.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wsh_server_method(
    server: *const wsh_server,
    data: *mut *const u8,
    len: *mut usize,
) -> wsh_result {
    ffi_boundary! {
        arg!(run read, server, (data, len), |s| Ok(request_of(s)?.method().as_bytes()))
    }
}

/// The request target as sent, e.g. "/chat?room=1" or
/// "http://example.com/chat?room=1".
///
/// `data`, `len`: receive a borrowed view into the handle.
///
/// Returns as wsh_server_method().
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wsh_server_target(
    server: *const wsh_server,
    data: *mut *const u8,
    len: *mut usize,
) -> wsh_result {
    ffi_boundary! {
        arg!(run read, server, (data, len), |s| Ok(request_of(s)?.target().as_bytes()))
    }
}

/// The path of the target, without the query: "/chat" for "/chat?room=1", and
/// for an absolute-form target without its scheme and authority ("/chat" for
/// "http://example.com/chat?room=1"; "/" when the URI has no path). Other
/// forms ("*", "host:port", only in requests that are not upgrades) as sent.
///
/// `data`, `len`: receive a borrowed view into the handle.
///
/// Returns as wsh_server_method().
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wsh_server_path(
    server: *const wsh_server,
    data: *mut *const u8,
    len: *mut usize,
) -> wsh_result {
    ffi_boundary! { arg!(run read, server, (data, len), |s| Ok(request_of(s)?.path().as_bytes())) }
}

/// The query of the target (after the first "?", before any "#"), e.g.
/// "room=1".
///
/// `data`, `len`: receive a borrowed view into the handle.
///
/// Returns as wsh_server_method(), and WSH_NOT_FOUND when the target has no
/// "?" (an empty query after "?" is WSH_OK with length 0).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wsh_server_query(
    server: *const wsh_server,
    data: *mut *const u8,
    len: *mut usize,
) -> wsh_result {
    ffi_boundary! {
        arg!(run read, server, (data, len), |s| {
            found(request_of(s)?.query().map(str::as_bytes), wsh_result::WSH_NOT_FOUND)
        })
    }
}

/// The host the request is for: the authority of an absolute-form target
/// ("GET http://example.com:8080/chat", userinfo left out), which RFC 9112
/// section 3.2.2 says rules over the Host field; otherwise the value of the
/// (first) Host field.
///
/// `data`, `len`: receive a borrowed view into the handle.
///
/// Returns as wsh_server_method(), and WSH_NOT_FOUND when there is neither.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wsh_server_host(
    server: *const wsh_server,
    data: *mut *const u8,
    len: *mut usize,
) -> wsh_result {
    ffi_boundary! {
        arg!(run read, server, (data, len), |s| {
            found(request_of(s)?.host_bytes(), wsh_result::WSH_NOT_FOUND)
        })
    }
}

/// The value of the (first) Origin field.
///
/// `data`, `len`: receive a borrowed view into the handle.
///
/// Returns as wsh_server_method(), and WSH_NOT_FOUND when there is no Origin.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wsh_server_origin(
    server: *const wsh_server,
    data: *mut *const u8,
    len: *mut usize,
) -> wsh_result {
    ffi_boundary! {
        arg!(run read, server, (data, len), |s| {
            found(request_of(s)?.header("origin"), wsh_result::WSH_NOT_FOUND)
        })
    }
}

/// The minor HTTP version of the request: 1 for HTTP/1.1, 0 for HTTP/1.0.
///
/// `minor`: receives it.
///
/// Returns as wsh_server_method().
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wsh_server_minor_version(
    server: *const wsh_server,
    minor: *mut u8,
) -> wsh_result {
    ffi_boundary! { arg!(run read, server, minor, |s| Ok(request_of(s)?.minor_version())) }
}

/// The number of header fields in the request.
///
/// `count`: receives it.
///
/// Returns as wsh_server_method().
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wsh_server_header_count(
    server: *const wsh_server,
    count: *mut usize,
) -> wsh_result {
    ffi_boundary! { arg!(run read, server, count, |s| Ok(request_of(s)?.header_count())) }
}

/// The header field at `index` (0-based, in the order sent).
///
/// `name`, `name_len`, `value`, `value_len`: receive borrowed views into the
/// handle (the value without surrounding whitespace).
///
/// Returns as wsh_server_method(), and WSH_OUT_OF_RANGE when `index` >=
/// wsh_server_header_count().
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wsh_server_header_at(
    server: *const wsh_server,
    index: usize,
    name: *mut *const u8,
    name_len: *mut usize,
    value: *mut *const u8,
    value_len: *mut usize,
) -> wsh_result {
    ffi_boundary! {
        let outs = ((name, name_len), (value, value_len));
        arg!(run read, server, outs, |s| field_bytes(request_of(s)?.header_at(index)))
    }
}

/// The value of the `nth` (0-based) header field named `name`, compared
/// ASCII case-insensitively. Fields sent on several lines (e.g. two
/// Sec-WebSocket-Protocol lines) are separate occurrences.
///
/// `name`, `name_len`: borrowed for the call.
/// `value`, `value_len`: receive a borrowed view into the handle.
///
/// Returns as wsh_server_method(), and WSH_NOT_FOUND when there are not
/// `nth + 1` such fields; WSH_INVALID_ARGUMENT for `(NULL, name_len > 0)`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wsh_server_header(
    server: *const wsh_server,
    name: *const u8,
    name_len: usize,
    nth: usize,
    value: *mut *const u8,
    value_len: *mut usize,
) -> wsh_result {
    ffi_boundary! {
        arg!(run read_named, server, name, name_len, nth, value, value_len, |s, name, nth| {
            nth_named(request_of(s)?.headers(), name, nth)
        })
    }
}

/// The number of subprotocols the client offered (elements of every
/// Sec-WebSocket-Protocol field, in order).
///
/// `count`: receives it.
///
/// Returns as wsh_server_method().
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wsh_server_subprotocol_count(
    server: *const wsh_server,
    count: *mut usize,
) -> wsh_result {
    ffi_boundary! { arg!(run read, server, count, |s| Ok(s.offer_index()?.subprotocol_count())) }
}

/// The offered subprotocol at `index` (0-based, the client's order of
/// preference).
///
/// `data`, `len`: receive a borrowed view into the handle.
///
/// Returns as wsh_server_method(), and WSH_OUT_OF_RANGE when `index` >=
/// wsh_server_subprotocol_count().
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wsh_server_subprotocol_at(
    server: *const wsh_server,
    index: usize,
    data: *mut *const u8,
    len: *mut usize,
) -> wsh_result {
    ffi_boundary! {
        arg!(run read, server, (data, len), |s| {
            let (view, offers) = s.offers()?;
            let subprotocol = offers.subprotocol(view.head(), index);
            found(subprotocol, wsh_result::WSH_OUT_OF_RANGE).map(str::as_bytes)
        })
    }
}

/// The number of extension offers (elements of every Sec-WebSocket-Extensions
/// field, in order).
///
/// `count`: receives it.
///
/// Returns as wsh_server_method().
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wsh_server_extension_count(
    server: *const wsh_server,
    count: *mut usize,
) -> wsh_result {
    ffi_boundary! { arg!(run read, server, count, |s| Ok(s.offer_index()?.extension_count())) }
}

/// The extension offer at `index`: its name (e.g. "permessage-deflate") and
/// its raw parameter text as sent (from the first ";", possibly empty).
///
/// `name`, `name_len`, `params`, `params_len`: receive borrowed views into the
/// handle.
///
/// Returns as wsh_server_method(), and WSH_OUT_OF_RANGE when `index` >=
/// wsh_server_extension_count().
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wsh_server_extension_at(
    server: *const wsh_server,
    index: usize,
    name: *mut *const u8,
    name_len: *mut usize,
    params: *mut *const u8,
    params_len: *mut usize,
) -> wsh_result {
    ffi_boundary! {
        let outs = ((name, name_len), (params, params_len));
        arg!(run read, server, outs, |s| {
            extension_of(s, index).map(|e| (e.name().as_bytes(), e.raw_params()))
        })
    }
}

/// The number of parameters of the extension offer at `extension`.
///
/// `count`: receives it.
///
/// Returns as wsh_server_method(), and WSH_OUT_OF_RANGE for a bad `extension`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wsh_server_extension_param_count(
    server: *const wsh_server,
    extension: usize,
    count: *mut usize,
) -> wsh_result {
    ffi_boundary! {
        arg!(run read, server, count, |s| {
            found(s.offer_index()?.param_count(extension), wsh_result::WSH_OUT_OF_RANGE)
        })
    }
}

/// The parameter at `index` of the extension offer at `extension`.
///
/// `out`: receives the parameter; its pointers are borrowed views into the
/// handle.
///
/// Returns as wsh_server_method(), and WSH_OUT_OF_RANGE for a bad `extension`
/// or `index`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wsh_server_extension_param_at(
    server: *const wsh_server,
    extension: usize,
    index: usize,
    out: *mut wsh_extension_param,
) -> wsh_result {
    ffi_boundary! { arg!(run read, server, out, |s| param_of(s, extension, index).map(Into::into)) }
}

/// Copies the unescaped value of a parameter (quotes removed, backslash escapes
/// resolved) into a caller buffer.
///
/// `buf`, `cap`: the buffer (`(NULL, 0)` asks for the size only).
/// `written`: receives the length copied on WSH_OK, or the size needed on
/// WSH_BUFFER_TOO_SMALL (then `buf` is untouched).
///
/// Returns as wsh_server_method(), and WSH_NOT_FOUND when the parameter has no
/// value; WSH_OUT_OF_RANGE for a bad `extension` or `index`;
/// WSH_BUFFER_TOO_SMALL.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wsh_server_extension_param_value(
    server: *const wsh_server,
    extension: usize,
    index: usize,
    buf: *mut u8,
    cap: usize,
    written: *mut usize,
) -> wsh_result {
    ffi_boundary! {
        let handshake = arg!(ref server);
        let buf = arg!(buffer buf, cap);
        let written = arg!(out written);
        let param = try_ffi!(param_of(handshake.get(), extension, index));
        let value = try_ffi!(found(param.value(), wsh_result::WSH_NOT_FOUND));
        copy_out(buf, written, value.unescaped_len(), value.unescaped())
    }
}

/// For WSH_DECISION_UPGRADE_OTHER: the protocol to switch to, as configured
/// with wsh_server_config_builder_add_upgrade_protocol() (e.g. "h2c").
///
/// `data`, `len`: receive a view into the handle's config (valid as long as the
/// handle).
///
/// Returns WSH_OK; WSH_WRONG_STATE for any other decision; WSH_NULL_POINTER;
/// WSH_POISONED.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wsh_server_upgrade_protocol(
    server: *const wsh_server,
    data: *mut *const u8,
    len: *mut usize,
) -> wsh_result {
    ffi_boundary! { arg!(run read, server, (data, len), |s| upgrade_protocol(s)) }
}

/// For an h2c upgrade: decodes the request's HTTP2-Settings field (base64url)
/// into a caller buffer: the SETTINGS frame payload, 6 bytes per setting.
///
/// `buf`, `cap`: the buffer (`(NULL, 0)` asks for the size only).
/// `written`: receives the decoded length on WSH_OK, or the size needed on
/// WSH_BUFFER_TOO_SMALL (then `buf` is untouched).
///
/// Returns WSH_OK; WSH_NOT_FOUND when the decided request is not an upgrade
/// with HTTP2-Settings; WSH_BUFFER_TOO_SMALL; WSH_INVALID_HEADER_VALUE when
/// the value is not valid base64url; WSH_NULL_POINTER; WSH_POISONED.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wsh_server_http2_settings(
    server: *const wsh_server,
    buf: *mut u8,
    cap: usize,
    written: *mut usize,
) -> wsh_result {
    ffi_boundary! {
        let handshake = arg!(ref server);
        let buf = arg!(buffer buf, cap);
        let written = arg!(out written);
        let value = try_ffi!(found(handshake.get().http2_settings(), wsh_result::WSH_NOT_FOUND));
        match decode_http2_settings(value, buf) {
            Ok(n) => put(written, Ok(n)),
            Err(UsageError::BufferTooSmall { needed }) => copy_out(&mut [], written, needed, core::iter::empty()),
            Err(e) => e.into(),
        }
    }
}

/// The subprotocol the config's policy picks from the offer (before accept),
/// or the one the 101 response selected (after wsh_server_accept()).
///
/// `data`, `len`: receive a borrowed view into the handle.
///
/// Returns WSH_OK; WSH_NOT_FOUND when there is none; WSH_NULL_POINTER;
/// WSH_POISONED.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wsh_server_subprotocol(
    server: *const wsh_server,
    data: *mut *const u8,
    len: *mut usize,
) -> wsh_result {
    ffi_boundary! {
        arg!(run read, server, (data, len), |s| {
            found(s.subprotocol(), wsh_result::WSH_NOT_FOUND).map(str::as_bytes)
        })
    }
}

/// The permessage-deflate parameters negotiated for the request (before
/// accept: what the 101 will carry; after wsh_server_accept(): what it
/// carried).
///
/// `out`: receives them.
///
/// Returns WSH_OK; WSH_NOT_FOUND when permessage-deflate is not in use (not
/// configured, not offered, no acceptable offer, or declined at accept);
/// WSH_NULL_POINTER; WSH_POISONED.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wsh_server_deflate(
    server: *const wsh_server,
    out: *mut wsh_deflate_params,
) -> wsh_result {
    ffi_boundary! {
        arg!(run read, server, out, |s| {
            found(s.deflate(), wsh_result::WSH_NOT_FOUND).map(Into::into)
        })
    }
}

/// Accepts the upgrade request (WSH_DECISION_UPGRADE_WEBSOCKET or
/// WSH_DECISION_UPGRADE_OTHER): the 101 Switching Protocols response becomes
/// pending in wsh_server_response().
///
/// `options`: NULL for the defaults (see wsh_accept_options); borrowed for the
/// call. For WSH_DECISION_UPGRADE_OTHER only extra headers are allowed (mode
/// POLICY or NONE, no extensions).
///
/// Returns WSH_OK; WSH_WRONG_STATE when the decision is not an upgrade or a
/// response was already made; WSH_SUBPROTOCOL_NOT_OFFERED; WSH_INVALID_UTF8
/// (named subprotocol); WSH_INVALID_HEADER_NAME; WSH_INVALID_HEADER_VALUE;
/// WSH_RESERVED_HEADER; WSH_INVALID_EXTENSION; WSH_EXTENSION_NOT_OFFERED;
/// WSH_RESERVED_EXTENSION; WSH_INVALID_ARGUMENT (unknown
/// mode, `(NULL, n > 0)`, or a `header_count` or `extension_count` above half
/// the config's response capacity, which no response could hold: checked
/// before anything is allocated); WSH_BUFFER_TOO_SMALL when the response does not fit
/// the config's response capacity; WSH_NULL_POINTER; WSH_POISONED. On error
/// nothing changes: the request may still be accepted or rejected.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wsh_server_accept(
    server: *mut wsh_server,
    options: *const wsh_accept_options,
) -> wsh_result {
    ffi_boundary! {
        let mut handshake = arg!(mut server);
        if options.is_null() {
            // The usual call: the config's policy, nothing added.
            return put_result(handshake.accept(&AcceptOptions::default()));
        }
        let opts = *arg!(borrow options);
        let subprotocol = arg!(call subprotocol_choice, &opts);
        let max = list_bound(&handshake);
        let headers = arg!(call list_vec, opts.headers, opts.header_count, max, Ok);
        let not_utf8 = text(wsh_result::WSH_INVALID_EXTENSION);
        let extensions = arg!(call list_vec, opts.extensions, opts.extension_count, max, not_utf8);
        let decline_deflate = opts.decline_deflate;
        let (extensions, headers) = (&extensions[..], &headers[..]);
        put_result(handshake.accept(&AcceptOptions { subprotocol, decline_deflate, extensions, headers }))
    }
}

/// Answers the request with the application's own response instead of a 101:
/// for an upgrade request (WSH_DECISION_UPGRADE_WEBSOCKET or
/// WSH_DECISION_UPGRADE_OTHER) it refuses (401 with WWW-Authenticate, 403,
/// 404, a 426 with Upgrade, ...); for a request that is not an upgrade
/// (WSH_DECISION_NOT_UPGRADE*) it may serve a plain response (200, 204, 3xx,
/// 4xx, 5xx). The response carries the given headers, Content-Type
/// (text/plain, unless given) when there is a body, Connection, Content-Length
/// and the body. Connection is "close", or "upgrade, close" when `headers`
/// include Upgrade (RFC 9110 section 7.8: a sender of Upgrade lists upgrade in
/// Connection). It becomes pending in wsh_server_response(). HTTP allows no
/// content in some answers (RFC 9110 sections 6.4.1, 9.3.2): a 204 or 304
/// takes no body (WSH_BODY_NOT_ALLOWED) and gets no Content-Length; the answer
/// to a HEAD request has the fields a GET would get, Content-Length included,
/// and the body is dropped.
///
/// `status`: 300..=599 for an upgrade request; 200..=599 for a request that is
/// not an upgrade. 1xx (and 101) are never allowed.
/// `headers`, `header_count`: extra header fields (not Content-Length,
/// Transfer-Encoding or Connection); borrowed for the call.
/// `body`, `body_len`: the body; borrowed for the call.
///
/// Returns WSH_OK; WSH_INVALID_STATUS (outside the range above);
/// WSH_BODY_NOT_ALLOWED (a 204 or 304 with a body); WSH_INVALID_HEADER_NAME;
/// WSH_INVALID_HEADER_VALUE; WSH_RESERVED_HEADER; WSH_WRONG_STATE when no
/// request is decided, it was rejected by the engine (its rejection is already
/// pending), or a response was already made; WSH_BUFFER_TOO_SMALL when the
/// response does not fit the config's response capacity; WSH_INVALID_ARGUMENT
/// for `(NULL, n > 0)` or a `header_count` above half the response capacity
/// (checked before anything is allocated); WSH_NULL_POINTER; WSH_POISONED. On
/// error nothing changes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wsh_server_reject(
    server: *mut wsh_server,
    status: u16,
    headers: *const wsh_header,
    header_count: usize,
    body: *const u8,
    body_len: usize,
) -> wsh_result {
    ffi_boundary! {
        let mut handshake = arg!(mut server);
        let headers = arg!(call list_vec, headers, header_count, list_bound(&handshake), Ok);
        let body = arg!(slice body, body_len);
        put_result(handshake.reject(status, &headers, body))
    }
}

/// The response bytes not yet sent: the 101 after wsh_server_accept(), the
/// application's response after wsh_server_reject(), or the engine's ready-made
/// rejection after a WSH_REQUEST_* result. Empty when no response is pending.
///
/// `data`, `len`: receive a borrowed view into the handle, valid until the next
/// call on the handle that is not const. Send some or all of it, then call
/// wsh_server_response_advance() with the number of bytes sent.
///
/// Returns WSH_OK; WSH_NULL_POINTER; WSH_POISONED.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wsh_server_response(
    server: *const wsh_server,
    data: *mut *const u8,
    len: *mut usize,
) -> wsh_result {
    ffi_boundary! { arg!(run read, server, (data, len), |s| Ok(s.pending())) }
}

/// Marks the first `n` pending response bytes as sent.
///
/// Returns WSH_OK; WSH_OUT_OF_RANGE when `n` is more than is pending (nothing
/// changes); WSH_NULL_POINTER; WSH_POISONED.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wsh_server_response_advance(
    server: *mut wsh_server,
    n: usize,
) -> wsh_result {
    ffi_boundary! { advance(&mut *arg!(mut server), n) }
}

/// Copies pending response bytes into a caller buffer and marks them sent.
///
/// `buf`, `cap`: the buffer; borrowed for the call. Call again while
/// `*written` is `cap` and more is pending.
/// `written`: receives the number of bytes copied (0 when nothing is pending).
///
/// Returns WSH_OK; WSH_INVALID_ARGUMENT for `(NULL, cap > 0)` or a buffer
/// that overlaps the pending response; WSH_NULL_POINTER; WSH_POISONED.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wsh_server_drain(
    server: *mut wsh_server,
    buf: *mut u8,
    cap: usize,
    written: *mut usize,
) -> wsh_result {
    ffi_boundary! { arg!(run drain, server, buf, cap, written) }
}

/// True after a successful wsh_server_accept(): once the pending response is
/// sent, the connection speaks the new protocol. False otherwise, and for a
/// NULL or poisoned handle.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wsh_server_is_accepted(server: *const wsh_server) -> bool {
    ffi_boundary! { arg!(ref server, or false).is_accepted() }
}

#[cfg(test)]
mod tests {
    // The tests call the C API with pointers they have just made and checked.
    #![allow(clippy::undocumented_unsafe_blocks)]

    use core::ptr;
    use std::prelude::rust_2024::*;
    use std::{format, vec};

    use super::*;
    use crate::ffi::decision::wsh_decision::WSH_DECISION_NEED_MORE;
    use crate::ffi::limits::wsh_limits;
    use crate::ffi::server_config::*;
    use wsh_result::WSH_OK;
    use wshandshake::Limits;
    use wshandshake::internals::ElementsVisited;

    /// A WebSocket request offering `n` subprotocols and `n` extension offers
    /// (half on each of two lines, the shape of the attack), the last offer
    /// with `n` parameters.
    fn request_with_lists(n: usize) -> Vec<u8> {
        let half = n / 2;
        let list = |item: &str, count: usize| vec![item; count].join(",");
        let mut head =
            b"GET / HTTP/1.1\r\nHost: a\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\
            Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
                .to_vec();
        head.extend(format!("Sec-WebSocket-Protocol: {}\r\n", list("p", n)).bytes());
        head.extend(format!("Sec-WebSocket-Extensions: {}\r\n", list("a", half)).bytes());
        let (rest, params) = (list("a", n - half - 1), vec!["q"; n].join(";"));
        head.extend(format!("Sec-WebSocket-Extensions: {rest},b;{params}\r\n\r\n").bytes());
        head
    }

    /// A config whose limits admit the largest lists.
    fn big_config() -> *const wsh_server_config {
        let limits = wsh_limits {
            max_head_bytes: 1 << 20,
            max_header_line: 1 << 19,
            ..Limits::default().into()
        };
        let (builder, mut config) = (wsh_server_config_builder_new(), ptr::null());
        unsafe {
            assert_eq!(wsh_server_config_builder_limits(builder, &limits), WSH_OK);
            assert_eq!(
                wsh_server_config_builder_build(builder, &mut config),
                WSH_OK
            );
        }
        config
    }

    /// The elements the handle's offer index visited, if it was built.
    fn visited(server: *mut wsh_server) -> Option<usize> {
        let state = unsafe { (*server).state.enter() }.unwrap();
        state.get().built_index().map(OfferIndex::elements_visited)
    }

    /// Reads every list through the accessors, element by element as C and
    /// Python do, and returns the elements the handle visited to answer.
    fn walk_every_list(server: *mut wsh_server, n: usize) -> usize {
        let (mut data, mut len, mut count) = (ptr::null(), 0usize, 0usize);
        let (mut params, mut params_len) = (ptr::null(), 0usize);
        let mut param = unsafe { core::mem::zeroed::<wsh_extension_param>() };
        let bytes = |data, len| unsafe { core::slice::from_raw_parts(data, len) };
        unsafe {
            assert_eq!(wsh_server_subprotocol_count(server, &mut count), WSH_OK);
            assert_eq!(count, n);
            for i in 0..count {
                let at = wsh_server_subprotocol_at(server, i, &mut data, &mut len);
                assert_eq!(at, WSH_OK);
                assert_eq!(bytes(data, len), b"p");
            }
            assert_eq!(wsh_server_extension_count(server, &mut count), WSH_OK);
            assert_eq!(count, n);
            for i in 0..count {
                let (d, l, p, pl) = (&mut data, &mut len, &mut params, &mut params_len);
                assert_eq!(wsh_server_extension_at(server, i, d, l, p, pl), WSH_OK);
                let mut param_count = 0usize;
                let counted = wsh_server_extension_param_count(server, i, &mut param_count);
                assert_eq!(counted, WSH_OK);
                assert_eq!(param_count, if i + 1 == n { n } else { 0 });
                for j in 0..param_count {
                    let at = wsh_server_extension_param_at(server, i, j, &mut param);
                    assert_eq!(at, WSH_OK);
                    assert_eq!(bytes(param.name, param.name_len), b"q");
                }
            }
        }
        visited(server).unwrap_or(0)
    }

    fn fed_server(config: *const wsh_server_config, request: &[u8]) -> *mut wsh_server {
        let (mut server, mut consumed, mut decision) = (ptr::null_mut(), 0, WSH_DECISION_NEED_MORE);
        unsafe {
            assert_eq!(wsh_server_new(config, &mut server), WSH_OK);
            let (data, len) = (request.as_ptr(), request.len());
            let fed = wsh_server_feed(server, data, len, &mut consumed, &mut decision);
            assert_eq!(fed, WSH_OK);
        }
        server
    }

    #[test]
    fn reading_every_list_visits_each_element_once() {
        let config = big_config();
        let mut work = Vec::new();
        // Miri runs the same walk on shorter lists.
        let sizes = if cfg!(miri) { [20, 80] } else { [2_000, 8_000] };
        for n in sizes {
            let server = fed_server(config, &request_with_lists(n));
            let visited_once = walk_every_list(server, n);
            // One visit per subprotocol, offer and parameter: 3n, however
            // many accessor calls (about 3n, each O(1)) read them.
            assert_eq!(visited_once, 3 * n);
            // Reading again visits nothing more: the index is kept...
            assert_eq!(walk_every_list(server, n), 3 * n);
            work.push(visited_once);
            // ...until the head changes: reset drops it.
            unsafe {
                assert_eq!(wsh_server_reset(server), WSH_OK);
                assert_eq!(visited(server), None);
                wsh_server_free(server);
            }
        }
        // Four times the elements, four times the work (it was sixteen).
        assert_eq!(work[1], 4 * work[0]);
        unsafe { wsh_server_config_free(config) };
    }

    #[test]
    fn a_handle_whose_lists_are_not_read_builds_no_index() {
        let config = big_config();
        let server = fed_server(config, &request_with_lists(10));
        let (mut data, mut len) = (ptr::null(), 0usize);
        unsafe {
            assert_eq!(wsh_server_path(server, &mut data, &mut len), WSH_OK);
            assert_eq!(visited(server), None);
            wsh_server_free(server);
            wsh_server_config_free(config);
        }
    }
}
