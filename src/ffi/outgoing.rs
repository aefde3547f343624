//! The bytes a handle has to send (the server's response, the client's
//! request), shared by both handles: view, acknowledge, or copy out.

use super::args::{Out, output_slice, overlaps};
use super::server::ServerState;
use super::wsh_result;
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

/// Copies pending bytes into the caller's buffer `(buf, cap)`, marks them
/// sent and writes how many; a buffer that overlaps them is
/// WSH_INVALID_ARGUMENT.
///
/// # Safety
/// `buf` is NULL or valid for writes of `cap` bytes, `written` NULL or valid
/// for one write, for the call.
pub(crate) unsafe fn drain(
    handle: &mut impl Outgoing,
    buf: *mut u8,
    cap: usize,
    written: *mut usize,
) -> Result<(), wsh_result> {
    let pending = handle.pending();
    if overlaps(buf.cast_const(), cap, pending.as_ptr(), pending.len()) {
        return Err(wsh_result::WSH_INVALID_ARGUMENT);
    }
    // SAFETY: forwarded from the caller; checked above not to overlap the
    // pending bytes, the only other memory this call touches.
    let buf = unsafe { output_slice(buf, cap) }?;
    // SAFETY: forwarded from the caller.
    let written = unsafe { Out::new(written) }?;
    let n = handle.pending().len().min(buf.len());
    if let (Some(dst), Some(src)) = (buf.get_mut(..n), handle.pending().get(..n)) {
        dst.copy_from_slice(src);
    }
    handle.advance(n);
    written.write(n);
    Ok(())
}
