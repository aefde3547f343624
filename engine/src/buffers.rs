//! Where a server handle keeps its head, field index and response: its own
//! heap buffers ([`ServerHandshake::new`](crate::ServerHandshake::new)) or
//! buffers the caller provides ([`HandleBuffers`], for a handle that lives in
//! static or stack memory and never touches the heap).

use alloc::vec;
use alloc::vec::Vec;
use core::ops::{Deref, DerefMut};

use crate::request::HeaderSpan;

/// Caller-provided buffers for a server handle
/// ([`ServerHandshake::with_buffers`](crate::ServerHandshake::with_buffers)):
/// `head` of at least `max_head_bytes`, `spans` of at least `max_headers`
/// entries, `response` of at least the response capacity (see
/// [`HandleBuffers::sizes`]). Their contents need not be initialized to
/// anything in particular; the handle overwrites what it reads.
///
/// They are `'static`: a handle that does not own its memory lives as long as
/// the program (a `static` cell, or memory a C caller promises to keep).
#[derive(Debug)]
pub struct HandleBuffers {
    /// The request head.
    pub head: &'static mut [u8],
    /// The field index (one entry per header field).
    pub spans: &'static mut [FieldSlot],
    /// The response.
    pub response: &'static mut [u8],
}

/// One entry of a handle's field index (opaque; `FieldSlot::default()` fills a
/// buffer).
pub type FieldSlot = HeaderSpan;

impl HandleBuffers {
    /// The sizes a config needs: (head bytes, field slots, response bytes).
    pub fn sizes(config: &crate::ServerConfig) -> (usize, usize, usize) {
        (
            config.limits.max_head_bytes,
            config.limits.max_headers,
            config.response_capacity,
        )
    }
}

/// Storage of `T`: a vector the handle owns, or a caller's slice.
#[derive(Debug)]
pub(crate) enum Storage<T: 'static> {
    Owned(Vec<T>),
    Borrowed(&'static mut [T], usize),
}

impl<T: Copy> Storage<T> {
    /// An empty owned buffer of `capacity`.
    pub(crate) fn with_capacity(capacity: usize) -> Self {
        Storage::Owned(Vec::with_capacity(capacity))
    }

    /// An owned buffer of `len` copies of `value`.
    pub(crate) fn filled(value: T, len: usize) -> Self {
        Storage::Owned(vec![value; len])
    }

    /// A caller's slice, `len` of it in use.
    pub(crate) fn borrowed(slice: &'static mut [T], len: usize) -> Self {
        let len = len.min(slice.len());
        Storage::Borrowed(slice, len)
    }

    /// Appends what fits (an owned buffer grows; the handle never needs it
    /// to: its limits bound every write, as its allocation tests show).
    pub(crate) fn extend_from_slice(&mut self, data: &[T]) {
        match self {
            Storage::Owned(v) => v.extend_from_slice(data),
            Storage::Borrowed(slice, len) => {
                let end = len.saturating_add(data.len()).min(slice.len());
                let n = end.saturating_sub(*len);
                if let (Some(dst), Some(src)) = (slice.get_mut(*len..end), data.get(..n)) {
                    dst.copy_from_slice(src);
                }
                *len = end;
            }
        }
    }

    /// Appends one element, if it fits (the byte-at-a-time feed's step: a
    /// plain push, not a one-element copy).
    #[inline]
    pub(crate) fn push(&mut self, value: T) {
        match self {
            Storage::Owned(v) => v.push(value),
            Storage::Borrowed(slice, len) => {
                if let Some(slot) = slice.get_mut(*len) {
                    *slot = value;
                    *len = len.saturating_add(1);
                }
            }
        }
    }

    /// Keeps the first `n` elements.
    pub(crate) fn truncate(&mut self, n: usize) {
        match self {
            Storage::Owned(v) => v.truncate(n),
            Storage::Borrowed(_, len) => *len = n.min(*len),
        }
    }

    /// Empties it.
    pub(crate) fn clear(&mut self) {
        self.truncate(0);
    }
}

impl<T> Deref for Storage<T> {
    type Target = [T];
    fn deref(&self) -> &[T] {
        match self {
            Storage::Owned(v) => v,
            Storage::Borrowed(slice, len) => slice.get(..*len).unwrap_or_default(),
        }
    }
}

impl<T> DerefMut for Storage<T> {
    fn deref_mut(&mut self) -> &mut [T] {
        match self {
            Storage::Owned(v) => v,
            Storage::Borrowed(slice, len) => slice.get_mut(..*len).unwrap_or_default(),
        }
    }
}
