//! The client side of extended CONNECT (RFC 8441, RFC 9220) over C field
//! lists: `wsh_connect_client_request` writes the request fields,
//! `wsh_connect_client_check_response` judges the server's response fields.
//! Both take the same options and keep no state.

use super::args::{Region, arg, choose, try_ffi};
use super::bytes::{list_into, text};
use super::bytes::{wsh_bytes, wsh_header};
use super::client_config::wsh_deflate_offer;
use super::deflate::wsh_deflate_params;
use super::extended_connect::{
    AppField, EMPTY_PAIR, FieldOutput, Pair, WSH_CONNECT_MAX_DEFLATE_OFFERS,
    WSH_CONNECT_MAX_FIELDS, pair_regions, wsh_field,
};
use super::{ffi_boundary, ptr_len, wsh_result};
use wshandshake::extended_connect::{
    ConnectClientOptions, ConnectClientRequest, ConnectResponseOutcome, Scheme,
};

/// The :scheme of an extended CONNECT (wsh_connect_client_options).
#[repr(u32)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum wsh_scheme {
    /// "https", for a wss URI (the default).
    WSH_SCHEME_HTTPS = 0,
    /// "http", for a ws URI.
    WSH_SCHEME_HTTP = 1,
}

/// What an extended CONNECT client asks for. A zero-initialized struct is the
/// default but for `authority`, which is required: scheme https, path "/", no
/// subprotocols, no permessage-deflate, no origin, no extra fields. Everything
/// it points to is borrowed for the call only; byte strings are not
/// NUL-terminated.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct wsh_connect_client_options {
    /// A wsh_scheme value.
    pub scheme: u32,
    /// :authority, the host and port of the WebSocket URI (e.g.
    /// "server.example.com" or "[::1]:8443"), without userinfo. Required.
    pub authority: *const u8,
    /// Length of `authority`.
    pub authority_len: usize,
    /// :path, the path and query of the WebSocket URI, starting with "/";
    /// `(NULL, 0)` means "/".
    pub path: *const u8,
    /// Length of `path`.
    pub path_len: usize,
    /// Subprotocols to offer, in order of preference (unique tokens).
    pub subprotocols: *const wsh_bytes,
    /// Number of elements in `subprotocols`.
    pub subprotocol_count: usize,
    /// The permessage-deflate offers, in order of preference (RFC 7692
    /// section 5.1: the server accepts the first it supports), or NULL for
    /// none. wsh_connect_client_info.deflate_offer_index tells which one the
    /// response accepted.
    pub deflate: *const wsh_deflate_offer,
    /// Number of offers at `deflate`, at most WSH_CONNECT_MAX_DEFLATE_OFFERS;
    /// 0 with a non-NULL `deflate` means one offer, so a single offer needs
    /// only the pointer.
    pub deflate_count: usize,
    /// The origin field (e.g. "https://example.com"; visible ASCII), or NULL
    /// for none.
    pub origin: *const u8,
    /// Length of `origin` (0 when `origin` is NULL).
    pub origin_len: usize,
    /// Extra fields (token names, lowercased on output; values without control
    /// bytes but HTAB and without whitespace at either end; not host, origin,
    /// content-length, sec-websocket-* or connection-specific fields).
    pub headers: *const wsh_header,
    /// Number of elements in `headers`.
    pub header_count: usize,
}

/// What the server's response to an extended CONNECT means
/// (wsh_connect_client_info).
#[repr(u32)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum wsh_connect_client_outcome {
    /// A 2xx: the stream now carries WebSocket frames.
    WSH_CONNECT_CLIENT_ACCEPTED = 0,
    /// A 3xx, 4xx or 5xx: no WebSocket. The response's fields (e.g. a 401's
    /// www-authenticate) and body are still yours to act on.
    WSH_CONNECT_CLIENT_REFUSED = 1,
    /// An informational 1xx: the final response is still to come; check it
    /// when it arrives.
    WSH_CONNECT_CLIENT_INTERIM = 2,
}

/// What wsh_connect_client_check_response() found.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct wsh_connect_client_info {
    /// What the response means.
    pub outcome: wsh_connect_client_outcome,
    /// The :status.
    pub status: u16,
    /// WSH_CONNECT_CLIENT_ACCEPTED: the subprotocol the server selected, a view
    /// into the response fields passed in (NULL when none).
    pub subprotocol: *const u8,
    /// Length of `subprotocol`.
    pub subprotocol_len: usize,
    /// True when permessage-deflate was agreed on; `deflate` holds the
    /// parameters.
    pub has_deflate: bool,
    /// The permessage-deflate parameters, for the framing layer (zero when
    /// `has_deflate` is false).
    pub deflate: wsh_deflate_params,
    /// With `has_deflate`: which of the options' deflate offers the response
    /// accepted (0 for the first). The response does not name it: it is the
    /// first offer the response is a valid answer to. 0 otherwise.
    pub deflate_offer_index: usize,
}

/// Stack storage for the lists of a wsh_connect_client_options.
struct ClientStorage<'a> {
    subprotocols: [&'a str; WSH_CONNECT_MAX_FIELDS],
    headers: [AppField<'a>; WSH_CONNECT_MAX_FIELDS],
    deflate: [wshandshake::ClientOffer; WSH_CONNECT_MAX_DEFLATE_OFFERS],
}

impl ClientStorage<'_> {
    fn new() -> Self {
        ClientStorage {
            subprotocols: [""; WSH_CONNECT_MAX_FIELDS],
            headers: [("", &[]); WSH_CONNECT_MAX_FIELDS],
            deflate: [wshandshake::ClientOffer::BROWSER; WSH_CONNECT_MAX_DEFLATE_OFFERS],
        }
    }
}

/// A checked request read from C, with the regions its options occupy.
struct ParsedRequest<'s> {
    request: ConnectClientRequest<'s>,
    arrays: [Region; 2],
}

impl ParsedRequest<'_> {
    /// Every region the options point to.
    fn regions(&self) -> impl Iterator<Item = Region> + '_ {
        let o = self.request.options();
        let texts = [Some(o.authority), Some(o.path), o.origin]
            .into_iter()
            .flatten()
            .chain(o.subprotocols.iter().copied())
            .map(|t| ptr_len(t.as_bytes()));
        let headers = o.headers.iter().map(|&(n, v)| (n.as_bytes(), v));
        self.arrays
            .into_iter()
            .chain(texts)
            .chain(pair_regions(headers))
    }
}

/// Reads and checks a wsh_connect_client_options into `storage`.
///
/// # Safety
/// `options` is NULL or points to a readable wsh_connect_client_options whose
/// pointers follow its documented contract, all for `'a`.
unsafe fn client_request<'a, 's>(
    options: *const wsh_connect_client_options,
    storage: &'s mut ClientStorage<'a>,
) -> Result<ParsedRequest<'s>, wsh_result> {
    let o = *arg!(borrow options);
    let scheme = choose(
        o.scheme,
        &[
            (wsh_scheme::WSH_SCHEME_HTTPS as u32, Scheme::Https),
            (wsh_scheme::WSH_SCHEME_HTTP as u32, Scheme::Http),
        ],
    )?;
    let authority = arg!(text o.authority, o.authority_len, wsh_result::WSH_INVALID_URL);
    let path = arg!(text o.path, o.path_len, wsh_result::WSH_INVALID_URL);
    let path = if o.path.is_null() { "/" } else { path };
    let offer_count = match (o.deflate.is_null(), o.deflate_count) {
        (false, 0) => 1,
        (_, n) => n,
    };
    if offer_count > WSH_CONNECT_MAX_DEFLATE_OFFERS {
        return Err(wsh_result::WSH_TOO_MANY_FIELDS);
    }
    let offers = arg!(slice o.deflate, offer_count);
    for (slot, offer) in storage.deflate.iter_mut().zip(offers) {
        *slot = offer.to_offer().ok_or(wsh_result::WSH_INVALID_CONFIG)?;
    }
    let origin = match (o.origin.is_null(), o.origin_len) {
        (true, 0) => None,
        (true, _) => return Err(wsh_result::WSH_INVALID_ARGUMENT),
        (false, len) => Some(arg!(text o.origin, len, wsh_result::WSH_INVALID_HEADER_VALUE)),
    };
    let (subprotocols, count) = (&mut storage.subprotocols, o.subprotocol_count);
    let not_utf8 = text(wsh_result::WSH_INVALID_HEADER_VALUE);
    let (subprotocols, subprotocols_region) =
        arg!(call list_into, o.subprotocols, count, subprotocols, not_utf8);
    let (headers, count) = (&mut storage.headers, o.header_count);
    let (headers, headers_region) = arg!(call list_into, o.headers, count, headers, Ok);
    let request = ConnectClientRequest::new(&ConnectClientOptions {
        scheme,
        authority,
        path,
        subprotocols,
        deflate: storage.deflate.get(..offer_count).unwrap_or_default(),
        origin,
        headers,
    })?;
    Ok(ParsedRequest {
        request,
        arrays: [subprotocols_region, headers_region],
    })
}

/// Writes the field list of an extended CONNECT request for WebSocket
/// (RFC 8441 section 4): :method CONNECT, :protocol websocket, :scheme, :path,
/// :authority, then sec-websocket-protocol, sec-websocket-extensions,
/// sec-websocket-version 13, origin and the extra fields. Hand them to the
/// HTTP/2 or HTTP/3 stack once the server's SETTINGS carried
/// WSH_SETTINGS_ENABLE_CONNECT_PROTOCOL (or
/// WSH_H3_SETTINGS_ENABLE_CONNECT_PROTOCOL) = 1. Allocates nothing; safe to
/// call from any thread.
///
/// `options`: what to ask for; borrowed for the call.
/// `buf`, `buf_cap`: receives the names and values, back to back.
/// `out_fields`, `out_cap`: receives the fields (views into `buf`). Neither
/// may overlap the options' bytes or each other.
/// `field_count`, `bytes_len`: receive the fields and bytes written; with
/// WSH_FIELD_ARRAY_TOO_SMALL or WSH_BUFFER_TOO_SMALL, the numbers needed.
///
/// Returns WSH_OK; WSH_FIELD_ARRAY_TOO_SMALL; WSH_BUFFER_TOO_SMALL (both
/// counts written, nothing else). Invalid options: WSH_INVALID_URL (a bad or
/// missing authority, a bad path); WSH_INVALID_HEADER_VALUE (a subprotocol
/// that is not a token or is repeated, a bad origin); WSH_INVALID_CONFIG (a
/// deflate window outside 8..=15, the same deflate offer twice);
/// WSH_INVALID_HEADER_NAME, WSH_RESERVED_HEADER (extra fields);
/// WSH_INVALID_ARGUMENT (an unknown scheme, `(NULL, n > 0)`, overlapping
/// buffers); WSH_TOO_MANY_FIELDS (also more than
/// WSH_CONNECT_MAX_DEFLATE_OFFERS deflate offers);
/// WSH_NULL_POINTER (`options`, `field_count` or `bytes_len`).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wsh_connect_client_request(
    options: *const wsh_connect_client_options,
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
        let mut storage = ClientStorage::new();
        let parsed = arg!(call client_request, options, &mut storage);
        let output = try_ffi!(output.check_apart(parsed.regions()));
        output.write(&parsed.request).report(counts)
    }
}

/// Judges the server's response field list (as the HTTP/2 or HTTP/3 stack
/// decoded it) against the request the same options produce. Any 2xx accepts
/// (RFC 9110 section 9.3.6): the subprotocol must be one offered, the
/// extensions the permessage-deflate offer's with parameters that fit it. A
/// 1xx is interim; 3xx to 5xx refuse. A malformed list is an error whatever
/// its status. Allocates nothing; safe to call from any thread.
///
/// `options`: the options the request was made from; borrowed for the call.
/// `fields`, `field_count`: the response's fields, :status first, names as
/// received; at most WSH_CONNECT_MAX_FIELDS; borrowed for the call.
/// `info`: receives what the response means; its view points into `fields`.
///
/// Returns WSH_OK (accepted, refused or interim: see `info->outcome`); a
/// WSH_CONNECT_RESPONSE_* error (the response breaks the rules: fail the
/// WebSocket connection and reset the stream; nothing written). Misuse, with
/// nothing written: the option errors of wsh_connect_client_request();
/// WSH_NULL_POINTER (`options` or `info`); WSH_INVALID_ARGUMENT for
/// `(NULL, n > 0)`; WSH_TOO_MANY_FIELDS.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wsh_connect_client_check_response(
    options: *const wsh_connect_client_options,
    fields: *const wsh_field,
    field_count: usize,
    info: *mut wsh_connect_client_info,
) -> wsh_result {
    ffi_boundary! {
        let info = arg!(out info);
        let mut storage = ClientStorage::new();
        let parsed = arg!(call client_request, options, &mut storage);
        let mut field_storage: [Pair<'_>; WSH_CONNECT_MAX_FIELDS] =
            [EMPTY_PAIR; WSH_CONNECT_MAX_FIELDS];
        let (pairs, _) = arg!(call list_into, fields, field_count, &mut field_storage, Ok);
        let outcome = try_ffi!(parsed.request.check_response(pairs));
        let mut written = wsh_connect_client_info {
            outcome: wsh_connect_client_outcome::WSH_CONNECT_CLIENT_ACCEPTED,
            status: 0,
            subprotocol: core::ptr::null(),
            subprotocol_len: 0,
            has_deflate: false,
            deflate: wsh_deflate_params::default(),
            deflate_offer_index: 0,
        };
        match outcome {
            ConnectResponseOutcome::Accepted(established) => {
                written.status = established.status;
                if let Some(p) = established.subprotocol {
                    (written.subprotocol, written.subprotocol_len) = ptr_len(p.as_bytes());
                }
                if let (Some(d), Some(index)) = (established.deflate, established.deflate_offer_index) {
                    written.has_deflate = true;
                    written.deflate = d.into();
                    written.deflate_offer_index = index;
                }
            }
            ConnectResponseOutcome::Refused { status } => {
                written.outcome = wsh_connect_client_outcome::WSH_CONNECT_CLIENT_REFUSED;
                written.status = status;
            }
            ConnectResponseOutcome::Interim { status } => {
                written.outcome = wsh_connect_client_outcome::WSH_CONNECT_CLIENT_INTERIM;
                written.status = status;
            }
        }
        info.write(written);
        wsh_result::WSH_OK
    }
}
