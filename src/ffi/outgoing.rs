//! The bytes a handle has to send (the server's response, the client's
//! request), shared by both handles: view, acknowledge, or copy out.

use super::args::{arg, keep_apart, region_of, try_ffi};
use super::handle::Handle;
use super::server::ServerState;
use super::{ptr_len, wsh_result};
use wshandshake::ClientHandshake;

/// A handle's bytes still to send.
pub(crate) trait Outgoing {
    /// The bytes not yet sent.
    fn pending(&self) -> &[u8];
    /// Marks `n` of them sent.
    fn advance(&mut self, n: usize);
}

impl Outgoing for ServerState {
    fn pending(&self) -> &[u8] {
        self.pending_response()
    }
    fn advance(&mut self, n: usize) {
        self.advance_response(n);
    }
}

impl Outgoing for ClientHandshake {
    fn pending(&self) -> &[u8] {
        self.pending_request()
    }
    fn advance(&mut self, n: usize) {
        self.advance_request(n);
    }
}

/// Marks `n` pending bytes sent: WSH_OUT_OF_RANGE (nothing changes) when
/// fewer are pending.
pub(crate) fn advance(handle: &mut impl Outgoing, n: usize) -> wsh_result {
    if n > handle.pending().len() {
        return wsh_result::WSH_OUT_OF_RANGE;
    }
    handle.advance(n);
    wsh_result::WSH_OK
}

/// The body of wsh_server_drain() and wsh_client_drain(): copies pending
/// bytes into the caller's buffer `(buf, cap)`, marks them sent and writes
/// how many; a buffer that overlaps them is WSH_INVALID_ARGUMENT.
///
/// # Safety
/// The C contract (module docs of ffi::args) for every argument.
pub(crate) unsafe fn drain<H: Handle<State: Outgoing>>(
    handle: *mut H,
    buf: *mut u8,
    cap: usize,
    written: *mut usize,
) -> wsh_result {
    let mut state = arg!(mut handle);
    let pending = state.pending();
    // The buffer may be any memory but the pending bytes, the only other
    // memory this call touches.
    try_ffi!(keep_apart(
        &[region_of(buf.cast_const(), cap)],
        [ptr_len(pending)]
    ));
    let buf = arg!(buffer buf, cap);
    let written = arg!(out written);
    let n = state.pending().len().min(buf.len());
    if let (Some(dst), Some(src)) = (buf.get_mut(..n), state.pending().get(..n)) {
        dst.copy_from_slice(src);
    }
    state.advance(n);
    written.write(n);
    wsh_result::WSH_OK
}
