//! Byte strings and header fields passed in by C: `wsh_bytes`, `wsh_header`.

use super::args::{input_slice, input_text};
use super::wsh_result;
use alloc::vec::Vec;

/// A borrowed byte string: `len` bytes at `data`. `(NULL, 0)` is the empty
/// string; `(NULL, n > 0)` is invalid. Not NUL-terminated.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct wsh_bytes {
    /// The first byte (may be NULL when `len` is 0).
    pub data: *const u8,
    /// Number of bytes.
    pub len: usize,
}

/// A header field to add to a response: a name (an HTTP token such as
/// "WWW-Authenticate") and a value (no CR, LF, NUL or other control bytes
/// except HTAB). Both borrowed for the call only; not NUL-terminated.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct wsh_header {
    /// The name's first byte.
    pub name: *const u8,
    /// The name's length.
    pub name_len: usize,
    /// The value's first byte (may be NULL when `value_len` is 0).
    pub value: *const u8,
    /// The value's length.
    pub value_len: usize,
}

/// Borrows a C array of header fields as `(name, value)` pairs.
/// A name that is not UTF-8 cannot be a token: `WSH_INVALID_HEADER_NAME`.
/// More than `max` fields is `WSH_INVALID_ARGUMENT`, checked before anything
/// is allocated: a count from C is bounded by what the call can use, never
/// trusted as an allocation size.
///
/// # Safety
/// `ptr` is NULL or points to `count` readable `wsh_header`s, each of whose
/// byte strings is readable, all for `'a`.
pub(crate) unsafe fn header_list<'a>(
    ptr: *const wsh_header,
    count: usize,
    max: usize,
) -> Result<Vec<(&'a str, &'a [u8])>, wsh_result> {
    if count > max {
        return Err(wsh_result::WSH_INVALID_ARGUMENT);
    }
    // SAFETY: forwarded from the caller.
    let headers = unsafe { input_slice(ptr, count) }?;
    // SAFETY: forwarded from the caller (each field's strings are readable).
    headers.iter().map(|h| unsafe { header_of(h) }).collect()
}

/// Borrows one C header field as `(name, value)`. A name that is not UTF-8
/// cannot be a token: `WSH_INVALID_HEADER_NAME` (after both strings are
/// checked as arguments).
///
/// # Safety
/// The field's byte strings are NULL or readable for their lengths for `'a`.
pub(crate) unsafe fn header_of<'a>(h: &wsh_header) -> Result<(&'a str, &'a [u8]), wsh_result> {
    // SAFETY: forwarded from the caller.
    let (name, value) = unsafe {
        (
            input_slice(h.name, h.name_len)?,
            input_slice(h.value, h.value_len)?,
        )
    };
    let name = core::str::from_utf8(name).map_err(|_| wsh_result::WSH_INVALID_HEADER_NAME)?;
    Ok((name, value))
}

/// Borrows a C array of byte strings as text; bytes that are not UTF-8 give
/// `not_utf8`. More than `max` items is `WSH_INVALID_ARGUMENT`, checked
/// before anything is allocated (as for [`header_list`]).
///
/// # Safety
/// `ptr` is NULL or points to `count` readable `wsh_bytes`, each of whose
/// byte strings is readable, all for `'a`.
pub(crate) unsafe fn text_list<'a>(
    ptr: *const wsh_bytes,
    count: usize,
    max: usize,
    not_utf8: wsh_result,
) -> Result<Vec<&'a str>, wsh_result> {
    if count > max {
        return Err(wsh_result::WSH_INVALID_ARGUMENT);
    }
    // SAFETY: forwarded from the caller.
    let items = unsafe { input_slice(ptr, count) }?;
    // SAFETY: forwarded from the caller (each element's bytes are readable).
    let text_of = |b: &wsh_bytes| unsafe { input_text(b.data, b.len, not_utf8) };
    items.iter().map(text_of).collect()
}
