//! Byte strings and header fields passed in by C: `wsh_bytes`, `wsh_header`.

use super::{input_slice, wsh_result};

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
    // No list (the usual case): nothing to check or build.
    if ptr.is_null() && count == 0 {
        return Ok(Vec::new());
    }
    if count > max {
        return Err(wsh_result::WSH_INVALID_ARGUMENT);
    }
    // SAFETY: forwarded from the caller.
    let headers = unsafe { input_slice(ptr, count) }?;
    let mut list = Vec::with_capacity(headers.len());
    for h in headers {
        // SAFETY: forwarded from the caller (each field's strings are readable).
        let name = unsafe { input_slice(h.name, h.name_len) }?;
        // SAFETY: as above.
        let value = unsafe { input_slice(h.value, h.value_len) }?;
        let name = core::str::from_utf8(name).map_err(|_| wsh_result::WSH_INVALID_HEADER_NAME)?;
        list.push((name, value));
    }
    Ok(list)
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
    // No list (the usual case): nothing to check or build.
    if ptr.is_null() && count == 0 {
        return Ok(Vec::new());
    }
    if count > max {
        return Err(wsh_result::WSH_INVALID_ARGUMENT);
    }
    // SAFETY: forwarded from the caller.
    let items = unsafe { input_slice(ptr, count) }?;
    let mut list = Vec::with_capacity(items.len());
    for item in items {
        // SAFETY: forwarded from the caller.
        let bytes = unsafe { input_slice(item.data, item.len) }?;
        list.push(core::str::from_utf8(bytes).map_err(|_| not_utf8)?);
    }
    Ok(list)
}
