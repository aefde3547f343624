//! `wsh_respond`: a whole request in, a whole response out, in one call and
//! without any heap allocation; `wsh_respond_resume` for a read loop, which
//! keeps the scan state in a caller struct so no byte is examined twice.

use super::args::{Out, arg, keep_apart, region_of, try_ffi};
use super::decision::{outcome_result, wsh_decision};
use super::deflate::wsh_deflate_params;
use super::server_config::wsh_server_config;
use super::{ffi_boundary, ptr_len, wsh_result};
use wshandshake::{
    Outcome, RespondProgress, Response, ServerConfig, UpgradeTarget, UsageError, respond_bytes,
    respond_resume_bytes,
};

/// What wsh_respond() decided and wrote.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct wsh_respond_info {
    /// The decision (WSH_DECISION_NEED_MORE when the input holds no complete
    /// head, or when the call returned WSH_BUFFER_TOO_SMALL).
    pub decision: wsh_decision,
    /// HTTP status of the response written: 101, the rejection's 4xx, or 0 when
    /// nothing was written.
    pub status: u16,
    /// Bytes of the request that belong to the head. After a 101 the rest is
    /// the new protocol's; for a request that is not an upgrade, the rest
    /// follows the head as in any HTTP request; after a rejection every byte
    /// is counted (none may be used).
    pub consumed: usize,
    /// Length of the response written at the start of `out` (0 when nothing
    /// was written: incomplete head, not an upgrade, HTTP/2 preface).
    pub response_len: usize,
    /// With WSH_BUFFER_TOO_SMALL: the output size needed (0 otherwise).
    pub needed: usize,
    /// The selected subprotocol, a view into the caller's request bytes (NULL
    /// when none).
    pub subprotocol: *const u8,
    /// Length of `subprotocol`.
    pub subprotocol_len: usize,
    /// For WSH_DECISION_UPGRADE_OTHER: the protocol switched to, a view into
    /// the config (NULL otherwise).
    pub upgrade_protocol: *const u8,
    /// Length of `upgrade_protocol`.
    pub upgrade_protocol_len: usize,
    /// True when permessage-deflate was negotiated; `deflate` holds the
    /// parameters.
    pub has_deflate: bool,
    /// The negotiated permessage-deflate parameters (zero when `has_deflate` is
    /// false).
    pub deflate: wsh_deflate_params,
    /// When `subprotocol` is not NULL: its index in the config's subprotocol
    /// list (the order of wsh_server_config_builder_add_subprotocol() calls), so
    /// a binding can name it without reading `subprotocol`'s bytes. 0 otherwise.
    pub subprotocol_index: usize,
}

impl wsh_respond_info {
    fn empty() -> Self {
        wsh_respond_info {
            decision: wsh_decision::WSH_DECISION_NEED_MORE,
            status: 0,
            consumed: 0,
            response_len: 0,
            needed: 0,
            subprotocol: core::ptr::null(),
            subprotocol_len: 0,
            upgrade_protocol: core::ptr::null(),
            upgrade_protocol_len: 0,
            has_deflate: false,
            deflate: wsh_deflate_params::default(),
            subprotocol_index: 0,
        }
    }
}

/// Handles complete request bytes in one call with the config's policy: writes
/// a 101 for a valid upgrade (the policy's subprotocol, negotiated
/// permessage-deflate), the ready-made rejection for an invalid request, and
/// nothing for a request that is not an upgrade. Allocates nothing on the heap;
/// safe to call from many threads with the same config.
///
/// `config`: borrowed for the call.
/// `request`, `request_len`: the bytes received so far; borrowed for the call.
/// `out`, `out_cap`: the response buffer; must not overlap `request`. 512 bytes
/// fit the usual responses.
/// `info`: receives what was decided (see wsh_respond_info). Its pointers are
/// views into `request` and `config`.
///
/// Returns, like wsh_server_feed(): WSH_NEED_MORE (no complete head yet; call
/// again with more bytes); WSH_OK (an upgrade was accepted, or the request is
/// not an upgrade: see `info->decision`); a WSH_REQUEST_* error (the rejection
/// is in `out`: send it and close). `info` is written in those cases and with
/// WSH_BUFFER_TOO_SMALL, when the response does not fit: then only
/// `info->needed` is set, nothing was decided, and the call may be repeated
/// with a buffer of that size. Misuse, with nothing written: WSH_NULL_POINTER
/// (`config` or `info`); WSH_INVALID_ARGUMENT for `(NULL, n > 0)` or
/// overlapping buffers.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wsh_respond(
    config: *const wsh_server_config,
    request: *const u8,
    request_len: usize,
    out: *mut u8,
    out_cap: usize,
    info: *mut wsh_respond_info,
) -> wsh_result {
    ffi_boundary! {
        let config = arg!(borrow config);
        let info = arg!(out info);
        let (request_region, out_region) = (region_of(request, request_len), region_of(out.cast_const(), out_cap));
        try_ffi!(keep_apart(&[out_region], [request_region]));
        let request = arg!(slice request, request_len);
        let out = arg!(buffer out, out_cap);
        let config = &*config.config;
        report(config, respond_bytes(config, request, out), info)
    }
}

/// Writes what a one-shot call decided into `info` and returns its result
/// code (shared by wsh_respond() and wsh_respond_resume()).
#[inline(always)]
fn report(
    config: &ServerConfig,
    result: Result<(Response<'_>, Option<&[u8]>), UsageError>,
    info: Out<wsh_respond_info>,
) -> wsh_result {
    let (response, subprotocol) = match result {
        Ok(r) => r,
        Err(UsageError::BufferTooSmall { needed }) => {
            info.write(wsh_respond_info {
                needed,
                ..wsh_respond_info::empty()
            });
            return wsh_result::WSH_BUFFER_TOO_SMALL;
        }
        Err(e) => return e.into(),
    };
    let mut written = wsh_respond_info {
        decision: response.outcome.into(),
        status: match response.outcome {
            Outcome::UpgradeRequest(_) => 101,
            Outcome::Rejected(e) => e.status(),
            Outcome::NeedMore | Outcome::NotUpgrade(_) => 0,
        },
        consumed: response.consumed,
        response_len: response.response_len,
        ..wsh_respond_info::empty()
    };
    if let Some(p) = subprotocol {
        (written.subprotocol, written.subprotocol_len) = ptr_len(p);
        // The engine selects one of the config's entries by exact byte
        // comparison, so exactly one of them equals `p`.
        written.subprotocol_index = config
            .subprotocols()
            .iter()
            .position(|s| s.as_bytes() == p)
            .unwrap_or_default();
    }
    if let Outcome::UpgradeRequest(UpgradeTarget::Other(i)) = response.outcome
        && let Some(p) = config.upgrade_protocols().get(i)
    {
        (written.upgrade_protocol, written.upgrade_protocol_len) = ptr_len(p.as_bytes());
    }
    if let Some(d) = response.deflate {
        written.has_deflate = true;
        written.deflate = d.into();
    }
    info.write(written);
    outcome_result(response.outcome)
}

/// Where a read loop around wsh_respond_resume() left off: the scan state of
/// the request head received so far. Zero it before a request's first call
/// (`wsh_respond_progress progress = {0};`) and pass the same struct to every
/// call for that request; the calls update it. The fields other than
/// `scanned` and `examined` are private: do not change them (wrong values
/// cannot make the library misbehave, but may give a wrong verdict).
#[repr(C)]
#[derive(Debug, Clone, Copy, Default)]
pub struct wsh_respond_progress {
    /// Bytes of the request examined so far by the scan (what the next call
    /// need not look at again, like picohttpparser's `last_len`); 0 once a
    /// call decided, ready for the next request.
    pub scanned: usize,
    /// Private: where the line being read starts.
    pub line_start: usize,
    /// Private: header fields counted so far.
    pub header_count: usize,
    /// Private: scan flags.
    pub flags: usize,
    /// Bytes examined by every pass of every call made with this struct (an
    /// upper bound; a measure of work, kept across requests).
    pub examined: usize,
}

impl wsh_respond_progress {
    fn engine(&self) -> RespondProgress {
        RespondProgress::from_words([
            self.scanned,
            self.line_start,
            self.header_count,
            self.flags,
            self.examined,
        ])
    }

    fn set(&mut self, progress: &RespondProgress) {
        let [scanned, line_start, header_count, flags, examined] = progress.to_words();
        *self = wsh_respond_progress {
            scanned,
            line_start,
            header_count,
            flags,
            examined,
        };
    }
}

/// wsh_respond() for a read loop: call it after every read with every byte of
/// the request received so far (the same buffer, grown) and the request's
/// `progress`. Only the bytes no earlier call examined are scanned until the
/// head is complete; the complete head is then parsed once. So the loop's
/// total work is linear in the head's size however the peer splits it
/// (calling wsh_respond() after every read looks at the whole buffer each
/// time: quadratic for a peer that sends a byte per read). Decides exactly
/// as wsh_respond() and the handle do. Allocates nothing on the heap.
///
/// `config`, `request`, `request_len`, `out`, `out_cap`, `info`: as for
/// wsh_respond().
/// `progress`: the request's wsh_respond_progress, zeroed before its first
/// call; read and updated. A call that decides (any result but
/// WSH_NEED_MORE) resets its scan for the next request; a `request_len`
/// below `progress->scanned` starts a new request; with WSH_BUFFER_TOO_SMALL
/// it is left as it was, so the call may be repeated with a larger buffer.
///
/// Returns as wsh_respond(), and WSH_NULL_POINTER for a NULL `progress`
/// (WSH_INVALID_ARGUMENT when it overlaps `request` or `out`).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wsh_respond_resume(
    config: *const wsh_server_config,
    progress: *mut wsh_respond_progress,
    request: *const u8,
    request_len: usize,
    out: *mut u8,
    out_cap: usize,
    info: *mut wsh_respond_info,
) -> wsh_result {
    ffi_boundary! {
        let config = arg!(borrow config);
        let info = arg!(out info);
        let current = *arg!(borrow progress.cast_const());
        let progress_out = arg!(out progress);
        let (request_region, out_region) = (region_of(request, request_len), region_of(out.cast_const(), out_cap));
        let progress_region = region_of(progress.cast_const(), 1);
        try_ffi!(keep_apart(&[out_region, progress_region], [request_region]));
        try_ffi!(keep_apart(&[out_region], [progress_region]));
        let request = arg!(slice request, request_len);
        let out = arg!(buffer out, out_cap);
        let config = &*config.config;
        let mut engine = current.engine();
        let result = respond_resume_bytes(config, &mut engine, request, out);
        let mut updated = current;
        updated.set(&engine);
        progress_out.write(updated);
        report(config, result, info)
    }
}
