//! The server side of extended CONNECT (RFC 8441, RFC 9220) over C field
//! lists: `wsh_connect_analyze` (what is this request?), `wsh_connect_respond`
//! (accept it, or write the ready-made rejection), `wsh_connect_reject` (the
//! application's own refusal) and the offer accessors.
//!
//! The calls keep no state: the caller's request fields are the state, and
//! each call analyzes them again (a linear pass). So the offered lists are
//! read whole, by `wsh_connect_offers` in one call, rather than element by
//! element (`wsh_connect_subprotocol_at` analyses the request for each
//! element: reading n elements that way costs n analyses). Views returned
//! point into the caller's fields or output buffer.

use core::iter::once;

use super::args::{Region, arg, found, put, try_ffi};
use super::bytes::{list_into, text};
use super::bytes::{wsh_bytes, wsh_header};
use super::deflate::wsh_deflate_params;
use super::extended_connect::{
    AppField, EMPTY_PAIR, FieldOutput, OutputArray, Pair, WSH_CONNECT_MAX_FIELDS, pair_regions,
    wsh_field,
};
use super::server::{subprotocol_choice, wsh_accept_options};
use super::server_config::wsh_server_config;
use super::{ffi_boundary, ptr_len, wsh_result};
use wshandshake::extended_connect::{
    ConnectOutcome, ConnectRequest, NotWebSocket, Scheme, analyze_request, reject, rejection,
};
use wshandshake::{AcceptOptions, SubprotocolChoice};

/// What an extended CONNECT request is (wsh_connect_info).
#[repr(u32)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum wsh_connect_outcome {
    /// A valid WebSocket request (:protocol websocket): inspect it, then
    /// accept it (wsh_connect_respond()) or refuse it (wsh_connect_reject()).
    WSH_CONNECT_WEBSOCKET = 0,
    /// An invalid WebSocket request: send the ready-made rejection
    /// (wsh_connect_respond() writes it); the result code says why.
    WSH_CONNECT_REJECTED = 1,
    /// No :protocol and the method is not CONNECT: an ordinary request; serve
    /// it yourself.
    WSH_CONNECT_NOT_CONNECT = 2,
    /// A classic CONNECT without :protocol: a tunnel request for a proxy.
    WSH_CONNECT_PLAIN_CONNECT = 3,
    /// An extended CONNECT for another protocol (or WebSocket is turned off in
    /// the config). If you do not handle it, answer 501 (RFC 9220 section 3),
    /// e.g. with wsh_connect_reject().
    WSH_CONNECT_OTHER_PROTOCOL = 4,
}

/// What wsh_connect_analyze() or wsh_connect_respond() learned and wrote.
/// Pointers are views into the caller's request fields (NULL when absent),
/// valid as long as those bytes are.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct wsh_connect_info {
    /// What the request is.
    pub outcome: wsh_connect_outcome,
    /// The :status of the response written (wsh_connect_respond()) or that
    /// wsh_connect_respond() would write without options
    /// (wsh_connect_analyze()): 200 for WSH_CONNECT_WEBSOCKET, the rejection's
    /// 400 or 403 for WSH_CONNECT_REJECTED, 0 otherwise.
    pub status: u16,
    /// WSH_CONNECT_REJECTED only: HTTP/2 and HTTP/3 call such a request
    /// malformed. After sending the rejection (or instead), reset the stream
    /// with PROTOCOL_ERROR (HTTP/2) or H3_MESSAGE_ERROR (HTTP/3).
    pub malformed: bool,
    /// WSH_CONNECT_WEBSOCKET: true for :scheme https (a wss URI), false for
    /// http (ws).
    pub secure: bool,
    /// WSH_CONNECT_WEBSOCKET: :path, the path and query of the WebSocket URI.
    pub path: *const u8,
    /// Length of `path`.
    pub path_len: usize,
    /// WSH_CONNECT_WEBSOCKET: :authority, the host and port of the URI.
    pub authority: *const u8,
    /// Length of `authority`.
    pub authority_len: usize,
    /// WSH_CONNECT_WEBSOCKET: the origin field (NULL when there is none).
    pub origin: *const u8,
    /// Length of `origin`.
    pub origin_len: usize,
    /// WSH_CONNECT_WEBSOCKET: the number of subprotocols offered (see
    /// wsh_connect_offers()).
    pub subprotocol_count: usize,
    /// WSH_CONNECT_WEBSOCKET: the number of extension offers (see
    /// wsh_connect_offers()).
    pub extension_count: usize,
    /// WSH_CONNECT_WEBSOCKET: the subprotocol the config's policy picks
    /// (wsh_connect_analyze()) or the response selected
    /// (wsh_connect_respond()); NULL when none.
    pub subprotocol: *const u8,
    /// Length of `subprotocol`.
    pub subprotocol_len: usize,
    /// True when permessage-deflate is negotiated; `deflate` holds the
    /// parameters.
    pub has_deflate: bool,
    /// The permessage-deflate parameters (zero when `has_deflate` is false).
    pub deflate: wsh_deflate_params,
    /// Response fields written into the caller's field array; with
    /// WSH_FIELD_ARRAY_TOO_SMALL or WSH_BUFFER_TOO_SMALL the number needed. From
    /// wsh_connect_analyze(): what wsh_connect_respond() without options needs.
    pub field_count: usize,
    /// Response bytes written into the caller's buffer; with
    /// WSH_FIELD_ARRAY_TOO_SMALL or WSH_BUFFER_TOO_SMALL the size needed. From
    /// wsh_connect_analyze(): what wsh_connect_respond() without options needs.
    pub bytes_len: usize,
}

impl wsh_connect_info {
    fn empty(outcome: wsh_connect_outcome) -> Self {
        wsh_connect_info {
            outcome,
            status: 0,
            malformed: false,
            secure: false,
            path: core::ptr::null(),
            path_len: 0,
            authority: core::ptr::null(),
            authority_len: 0,
            origin: core::ptr::null(),
            origin_len: 0,
            subprotocol_count: 0,
            extension_count: 0,
            subprotocol: core::ptr::null(),
            subprotocol_len: 0,
            has_deflate: false,
            deflate: wsh_deflate_params::default(),
            field_count: 0,
            bytes_len: 0,
        }
    }

    /// What the analysis learned (sizes and response details left empty).
    fn of(outcome: &ConnectOutcome<'_>) -> Self {
        use wsh_connect_outcome::*;
        match outcome {
            ConnectOutcome::WebSocket(req) => {
                let mut info = wsh_connect_info::empty(WSH_CONNECT_WEBSOCKET);
                info.status = 200;
                info.secure = req.scheme() == Scheme::Https;
                (info.path, info.path_len) = ptr_len(req.path().as_bytes());
                (info.authority, info.authority_len) = ptr_len(req.authority().as_bytes());
                if let Some(origin) = req.origin() {
                    (info.origin, info.origin_len) = ptr_len(origin);
                }
                info.subprotocol_count = req.subprotocols().count();
                info.extension_count = req.extensions().count();
                info.set_negotiated(req.subprotocol(), req.deflate());
                info
            }
            ConnectOutcome::Rejected(e) => {
                let mut info = wsh_connect_info::empty(WSH_CONNECT_REJECTED);
                info.status = e.status();
                info.malformed = e.is_malformed();
                info
            }
            ConnectOutcome::NotWebSocket(NotWebSocket::NotConnect) => {
                wsh_connect_info::empty(WSH_CONNECT_NOT_CONNECT)
            }
            ConnectOutcome::NotWebSocket(NotWebSocket::PlainConnect) => {
                wsh_connect_info::empty(WSH_CONNECT_PLAIN_CONNECT)
            }
            ConnectOutcome::NotWebSocket(NotWebSocket::OtherProtocol) => {
                wsh_connect_info::empty(WSH_CONNECT_OTHER_PROTOCOL)
            }
        }
    }

    fn set_negotiated(
        &mut self,
        subprotocol: Option<&str>,
        deflate: Option<wshandshake::DeflateParams>,
    ) {
        (self.subprotocol, self.subprotocol_len) = match subprotocol {
            Some(p) => ptr_len(p.as_bytes()),
            None => (core::ptr::null(), 0),
        };
        self.has_deflate = deflate.is_some();
        self.deflate = deflate.map(Into::into).unwrap_or_default();
    }
}

/// The result code of an analysis: the request error of a rejection, WSH_OK
/// otherwise.
fn outcome_result(outcome: &ConnectOutcome<'_>) -> wsh_result {
    match outcome {
        ConnectOutcome::Rejected(e) => (*e).into(),
        ConnectOutcome::WebSocket(_) | ConnectOutcome::NotWebSocket(_) => wsh_result::WSH_OK,
    }
}

/// Stack storage for the lists of a wsh_accept_options.
struct AcceptStorage<'a> {
    headers: [AppField<'a>; WSH_CONNECT_MAX_FIELDS],
    extensions: [&'a str; WSH_CONNECT_MAX_FIELDS],
}

impl AcceptStorage<'_> {
    fn new() -> Self {
        AcceptStorage {
            headers: [("", &[]); WSH_CONNECT_MAX_FIELDS],
            extensions: [""; WSH_CONNECT_MAX_FIELDS],
        }
    }
}

/// Accept options read from C, with the regions they occupy.
struct ParsedAccept<'s> {
    opts: AcceptOptions<'s>,
    arrays: [Region; 2],
}

impl ParsedAccept<'_> {
    /// Every region the options point to.
    fn regions(&self) -> impl Iterator<Item = Region> + '_ {
        let subprotocol = match self.opts.subprotocol {
            SubprotocolChoice::Named(name) => Some(ptr_len(name.as_bytes())),
            SubprotocolChoice::Policy | SubprotocolChoice::None => None,
        };
        let headers = self.opts.headers.iter().map(|&(n, v)| (n.as_bytes(), v));
        let extensions = self.opts.extensions.iter().map(|e| ptr_len(e.as_bytes()));
        self.arrays
            .into_iter()
            .chain(subprotocol)
            .chain(pair_regions(headers))
            .chain(extensions)
    }
}

/// Reads a wsh_accept_options (NULL for the defaults) into `storage`.
///
/// # Safety
/// `options` is NULL or points to a readable wsh_accept_options whose pointers
/// follow its documented contract, all for `'a`.
unsafe fn accept_options<'a, 's>(
    options: *const wsh_accept_options,
    storage: &'s mut AcceptStorage<'a>,
) -> Result<ParsedAccept<'s>, wsh_result> {
    if options.is_null() {
        return Ok(ParsedAccept {
            opts: AcceptOptions::default(),
            arrays: [(core::ptr::null(), 0); 2],
        });
    }
    let opts = *arg!(borrow options);
    let subprotocol = arg!(call subprotocol_choice, &opts);
    let (headers, count) = (&mut storage.headers, opts.header_count);
    let (headers, headers_region) = arg!(call list_into, opts.headers, count, headers, Ok);
    let (extensions, count) = (&mut storage.extensions, opts.extension_count);
    let not_utf8 = text(wsh_result::WSH_INVALID_EXTENSION);
    let (extensions, extensions_region) =
        arg!(call list_into, opts.extensions, count, extensions, not_utf8);
    Ok(ParsedAccept {
        opts: AcceptOptions {
            subprotocol,
            decline_deflate: opts.decline_deflate,
            extensions,
            headers,
        },
        arrays: [headers_region, extensions_region],
    })
}

/// The request, when it is a valid WebSocket request; WSH_WRONG_STATE
/// otherwise.
fn websocket_request<'a>(outcome: ConnectOutcome<'a>) -> Result<ConnectRequest<'a>, wsh_result> {
    match outcome {
        ConnectOutcome::WebSocket(req) => Ok(req),
        ConnectOutcome::Rejected(_) | ConnectOutcome::NotWebSocket(_) => {
            Err(wsh_result::WSH_WRONG_STATE)
        }
    }
}

/// Decides what a request is, from the field list the host's HTTP/2 or HTTP/3
/// stack decoded, with the config's policy (origins, subprotocols,
/// permessage-deflate), without writing a response. Allocates nothing;
/// linear in the fields' size; safe to call from many threads with the same
/// config.
///
/// `config`: borrowed for the call.
/// `fields`, `field_count`: the request's fields, pseudo-header fields first,
/// names as received (lowercase); at most WSH_CONNECT_MAX_FIELDS; borrowed for
/// the call.
/// `info`: receives what the request is (see wsh_connect_info): for a
/// WebSocket request the URI parts, the offers and what the policy would
/// answer, and the sizes wsh_connect_respond() without options needs.
///
/// Returns WSH_OK (WSH_CONNECT_WEBSOCKET or one of the outcomes that are not
/// WebSocket: see `info->outcome`); a WSH_CONNECT_REQUEST_* error (the request
/// is invalid, `info->outcome` is WSH_CONNECT_REJECTED; its status is
/// wsh_result_http_status(result)). `info` is written in those cases. Misuse,
/// with nothing written: WSH_NULL_POINTER (`config` or `info`);
/// WSH_INVALID_ARGUMENT for `(NULL, n > 0)`; WSH_TOO_MANY_FIELDS.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wsh_connect_analyze(
    config: *const wsh_server_config,
    fields: *const wsh_field,
    field_count: usize,
    info: *mut wsh_connect_info,
) -> wsh_result {
    ffi_boundary! {
        let config = arg!(borrow config);
        let info = arg!(out info);
        let mut storage: [Pair<'_>; WSH_CONNECT_MAX_FIELDS] = [EMPTY_PAIR; WSH_CONNECT_MAX_FIELDS];
        let (pairs, _) = arg!(call list_into, fields, field_count, &mut storage, Ok);
        let outcome = analyze_request(&config.config, pairs);
        let mut written = wsh_connect_info::of(&outcome);
        let response = match outcome {
            ConnectOutcome::WebSocket(req) => req.accept(&AcceptOptions::default()).ok(),
            ConnectOutcome::Rejected(e) => Some(rejection(e)),
            ConnectOutcome::NotWebSocket(_) => None,
        };
        if let Some(response) = response {
            written.field_count = response.field_count();
            written.bytes_len = response.bytes_needed();
        }
        info.write(written);
        outcome_result(&outcome)
    }
}

/// Analyzes a request (as wsh_connect_analyze()) and writes its response
/// fields: for a valid WebSocket request, the accept (":status" 200, the
/// selected subprotocol and extensions, your extra fields) as `options` say;
/// for an invalid one, the ready-made rejection; nothing for a request that is
/// not WebSocket. Allocates nothing; safe to call from many threads with the
/// same config. To refuse a valid request, use wsh_connect_reject() instead.
///
/// `config`, `fields`, `field_count`: as for wsh_connect_analyze().
/// `options`: NULL for the defaults (the policy's subprotocol, negotiated
/// permessage-deflate, nothing extra); otherwise as for wsh_server_accept().
/// Extra header names are lowercased on output; fields HTTP/2 and HTTP/3 do
/// not allow (connection-specific ones, te) or that the accept writes itself
/// (sec-websocket-*, content-length) are refused. Borrowed for the call.
/// `buf`, `buf_cap`: receives the names and values, back to back.
/// `out_fields`, `out_cap`: receives the response fields (views into `buf`),
/// :status first, ready for the HTTP/2 or HTTP/3 stack. Neither may overlap
/// the inputs or each other.
/// `info`: receives what was decided and written (see wsh_connect_info); its
/// views point into `fields`.
///
/// Returns WSH_OK (accepted, or not a WebSocket request: see
/// `info->outcome`); a WSH_CONNECT_REQUEST_* error (the rejection is written;
/// send it, then close the stream, resetting it when `info->malformed`);
/// WSH_FIELD_ARRAY_TOO_SMALL or WSH_BUFFER_TOO_SMALL (nothing written to the
/// outputs; `info->field_count` and `info->bytes_len` give both sizes needed:
/// call again). `info` is written in those cases. Misuse, with nothing
/// written: the errors of wsh_server_accept() for bad options
/// (WSH_SUBPROTOCOL_NOT_OFFERED, WSH_INVALID_HEADER_NAME, ...; checked for
/// valid WebSocket requests only, but pointers always); WSH_NULL_POINTER
/// (`config` or `info`); WSH_INVALID_ARGUMENT for `(NULL, n > 0)` or
/// overlapping buffers; WSH_TOO_MANY_FIELDS.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wsh_connect_respond(
    config: *const wsh_server_config,
    fields: *const wsh_field,
    field_count: usize,
    options: *const wsh_accept_options,
    buf: *mut u8,
    buf_cap: usize,
    out_fields: *mut wsh_field,
    out_cap: usize,
    info: *mut wsh_connect_info,
) -> wsh_result {
    ffi_boundary! {
        let config = arg!(borrow config);
        let info = arg!(out info);
        let output = arg!(call FieldOutput::new, buf, buf_cap, out_fields, out_cap);
        let mut storage: [Pair<'_>; WSH_CONNECT_MAX_FIELDS] = [EMPTY_PAIR; WSH_CONNECT_MAX_FIELDS];
        let (pairs, fields_region) = arg!(call list_into, fields, field_count, &mut storage, Ok);
        let mut accept_storage = AcceptStorage::new();
        let accept = arg!(call accept_options, options, &mut accept_storage);
        let inputs = once(fields_region)
            .chain(pair_regions(pairs.iter().copied()))
            .chain(accept.regions());
        let output = try_ffi!(output.check_apart(inputs));
        let outcome = analyze_request(&config.config, pairs);
        let mut written = wsh_connect_info::of(&outcome);
        let response = match outcome {
            ConnectOutcome::WebSocket(req) => try_ffi!(req.accept(&accept.opts)),
            ConnectOutcome::Rejected(e) => rejection(e),
            ConnectOutcome::NotWebSocket(_) => {
                info.write(written);
                return wsh_result::WSH_OK;
            }
        };
        if response.is_accept() {
            written.set_negotiated(response.subprotocol(), response.deflate());
        }
        let result = output.write(&response);
        written.field_count = result.count;
        written.bytes_len = result.bytes;
        info.write(written);
        if result.result != wsh_result::WSH_OK {
            return result.result;
        }
        outcome_result(&outcome)
    }
}

/// Writes the application's own refusal of a request: the :status and extra
/// fields (names lowercased). Use it for a valid request you do not want (401,
/// 403, 404, ...), for an extended CONNECT for a protocol you do not handle
/// (501), or for any request. A body, if any, is yours to send on the stream.
/// Allocates nothing.
///
/// `status`: 300..=599.
/// `headers`, `header_count`: extra fields (token names; values without
/// control bytes but HTAB and without whitespace at either end; not
/// connection-specific, not te); at most WSH_CONNECT_MAX_FIELDS; borrowed for
/// the call.
/// `buf`, `buf_cap`, `out_fields`, `out_cap`: as for wsh_connect_respond().
/// `field_count`, `bytes_len`: receive the fields and bytes written; with
/// WSH_FIELD_ARRAY_TOO_SMALL or WSH_BUFFER_TOO_SMALL, the numbers needed.
///
/// Returns WSH_OK; WSH_FIELD_ARRAY_TOO_SMALL; WSH_BUFFER_TOO_SMALL (both
/// outputs written, nothing else); WSH_INVALID_STATUS;
/// WSH_INVALID_HEADER_NAME; WSH_INVALID_HEADER_VALUE; WSH_RESERVED_HEADER;
/// WSH_NULL_POINTER (`field_count` or `bytes_len`); WSH_INVALID_ARGUMENT for
/// `(NULL, n > 0)` or overlapping buffers; WSH_TOO_MANY_FIELDS.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wsh_connect_reject(
    status: u16,
    headers: *const wsh_header,
    header_count: usize,
    buf: *mut u8,
    buf_cap: usize,
    out_fields: *mut wsh_field,
    out_cap: usize,
    field_count: *mut usize,
    bytes_len: *mut usize,
) -> wsh_result {
    ffi_boundary! {
        let counts = (arg!(out field_count), arg!(out bytes_len));
        let output = arg!(call FieldOutput::new, buf, buf_cap, out_fields, out_cap);
        let mut storage = [("", &[][..]); WSH_CONNECT_MAX_FIELDS];
        let (headers, headers_region) = arg!(call list_into, headers, header_count, &mut storage, Ok);
        let inputs = once(headers_region)
            .chain(pair_regions(headers.iter().map(|&(n, v)| (n.as_bytes(), v))));
        let output = try_ffi!(output.check_apart(inputs));
        let response = try_ffi!(reject(status, headers));
        output.write(&response).report(counts)
    }
}

/// Writes every subprotocol and every extension offer of a valid WebSocket
/// request into caller arrays, analysing the request once: the way to read
/// the offered lists (linear in the fields' size however long they are).
/// Allocates nothing.
///
/// `config`, `fields`, `field_count`: as for wsh_connect_analyze().
/// `subprotocols`, `subprotocol_cap`: receive the offered subprotocols, in
/// the client's order of preference, as views into the caller's fields.
/// `extensions`, `extension_cap`: receive the extension offers, in order over
/// every sec-websocket-extensions field: `name` is the extension's name (e.g.
/// "permessage-deflate"), `value` its raw parameter text as sent (from the
/// first ";", possibly empty); views into the caller's fields.
/// `subprotocol_count`, `extension_count`: receive the list lengths (also
/// with WSH_FIELD_ARRAY_TOO_SMALL: the sizes needed). wsh_connect_analyze()
/// reports them too (`info->subprotocol_count`, `info->extension_count`).
///
/// Returns WSH_OK (both arrays filled); WSH_FIELD_ARRAY_TOO_SMALL when an
/// array is smaller than its list (only the counts are written: call again
/// with arrays that large); WSH_WRONG_STATE when the request is not a valid
/// WebSocket request; WSH_NULL_POINTER (`config` or a count);
/// WSH_INVALID_ARGUMENT for `(NULL, n > 0)`, a misaligned array, or arrays
/// that overlap each other or the fields; WSH_TOO_MANY_FIELDS.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wsh_connect_offers(
    config: *const wsh_server_config,
    fields: *const wsh_field,
    field_count: usize,
    subprotocols: *mut wsh_bytes,
    subprotocol_cap: usize,
    extensions: *mut wsh_field,
    extension_cap: usize,
    subprotocol_count: *mut usize,
    extension_count: *mut usize,
) -> wsh_result {
    ffi_boundary! {
        let config = arg!(borrow config);
        let subprotocol_count = arg!(out subprotocol_count);
        let extension_count = arg!(out extension_count);
        let subprotocols = arg!(call OutputArray::new, subprotocols, subprotocol_cap);
        let extensions = arg!(call OutputArray::new, extensions, extension_cap);
        let mut storage: [Pair<'_>; WSH_CONNECT_MAX_FIELDS] = [EMPTY_PAIR; WSH_CONNECT_MAX_FIELDS];
        let (pairs, fields_region) = arg!(call list_into, fields, field_count, &mut storage, Ok);
        let inputs = || once(fields_region).chain(pair_regions(pairs.iter().copied()));
        let subprotocols = try_ffi!(subprotocols.apart(inputs().chain([extensions.region()])));
        let extensions = try_ffi!(extensions.apart(inputs()));
        let req = try_ffi!(websocket_request(analyze_request(&config.config, pairs)));
        let counts = (req.subprotocols().count(), req.extensions().count());
        subprotocol_count.write(counts.0);
        extension_count.write(counts.1);
        if counts.0 > subprotocols.cap || counts.1 > extensions.cap {
            return wsh_result::WSH_FIELD_ARRAY_TOO_SMALL;
        }
        let subprotocol_items = req.subprotocols().map(|p| wsh_bytes { data: p.as_ptr(), len: p.len() });
        subprotocols.write(counts.0, subprotocol_items);
        extensions.write(counts.1, req.extensions().map(|e| wsh_field::of(e.name_bytes(), e.raw_params())))
    }
}

/// The subprotocol offered at `index` (0-based, the client's order of
/// preference) by a valid WebSocket request. Each call analyses the request
/// again: to read the whole list, use wsh_connect_offers() (one call).
///
/// `config`, `fields`, `field_count`: as for wsh_connect_analyze().
/// `data`, `len`: receive a view into the caller's fields.
///
/// Returns WSH_OK; WSH_OUT_OF_RANGE when `index` >=
/// `info->subprotocol_count`; WSH_WRONG_STATE when the request is not a valid
/// WebSocket request; WSH_NULL_POINTER; WSH_INVALID_ARGUMENT for
/// `(NULL, n > 0)`; WSH_TOO_MANY_FIELDS.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wsh_connect_subprotocol_at(
    config: *const wsh_server_config,
    fields: *const wsh_field,
    field_count: usize,
    index: usize,
    data: *mut *const u8,
    len: *mut usize,
) -> wsh_result {
    ffi_boundary! {
        let config = arg!(borrow config);
        let out = arg!(out data, len);
        let mut storage: [Pair<'_>; WSH_CONNECT_MAX_FIELDS] = [EMPTY_PAIR; WSH_CONNECT_MAX_FIELDS];
        let (pairs, _) = arg!(call list_into, fields, field_count, &mut storage, Ok);
        let req = try_ffi!(websocket_request(analyze_request(&config.config, pairs)));
        put(out, found(req.subprotocols().nth(index), wsh_result::WSH_OUT_OF_RANGE).map(str::as_bytes))
    }
}

/// The extension offer at `index` (0-based, over every
/// sec-websocket-extensions field) of a valid WebSocket request: its name
/// (e.g. "permessage-deflate") and its raw parameter text as sent (from the
/// first ";", possibly empty). Each call analyses the request again: to read
/// the whole list, use wsh_connect_offers() (one call).
///
/// `config`, `fields`, `field_count`: as for wsh_connect_analyze().
/// `name`, `name_len`, `params`, `params_len`: receive views into the
/// caller's fields.
///
/// Returns as wsh_connect_subprotocol_at(), with `info->extension_count` as
/// the bound.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wsh_connect_extension_at(
    config: *const wsh_server_config,
    fields: *const wsh_field,
    field_count: usize,
    index: usize,
    name: *mut *const u8,
    name_len: *mut usize,
    params: *mut *const u8,
    params_len: *mut usize,
) -> wsh_result {
    ffi_boundary! {
        let config = arg!(borrow config);
        let outs = (arg!(out name, name_len), arg!(out params, params_len));
        let mut storage: [Pair<'_>; WSH_CONNECT_MAX_FIELDS] = [EMPTY_PAIR; WSH_CONNECT_MAX_FIELDS];
        let (pairs, _) = arg!(call list_into, fields, field_count, &mut storage, Ok);
        let req = try_ffi!(websocket_request(analyze_request(&config.config, pairs)));
        let ext = found(req.extensions().nth(index), wsh_result::WSH_OUT_OF_RANGE);
        put(outs, ext.map(|e| (e.name().as_bytes(), e.raw_params())))
    }
}
