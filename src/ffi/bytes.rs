//! Byte strings and header fields passed in by C (`wsh_bytes`, `wsh_header`),
//! and the one reader of C input lists (those and `wsh_field` lists), shared
//! by server, client and extended CONNECT.

use super::args::{Region, arg, region_of};
use super::extended_connect::wsh_field;
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

/// An element of a C input list: `wsh_bytes`, `wsh_header` or `wsh_field`.
pub(crate) trait Element {
    /// The element as borrowed Rust values.
    type Item<'a>;
    /// Checks the element's byte strings as arguments and borrows them.
    ///
    /// # Safety
    /// Its byte strings are NULL or readable for their lengths, for `'a`.
    unsafe fn borrow<'a>(&self) -> Result<Self::Item<'a>, wsh_result>;
}

impl Element for wsh_bytes {
    type Item<'a> = &'a [u8];
    unsafe fn borrow<'a>(&self) -> Result<&'a [u8], wsh_result> {
        Ok(arg!(slice self.data, self.len))
    }
}

/// A name that is not UTF-8 cannot be a token: WSH_INVALID_HEADER_NAME
/// (once both strings are checked as arguments).
impl Element for wsh_header {
    type Item<'a> = (&'a str, &'a [u8]);
    unsafe fn borrow<'a>(&self) -> Result<(&'a str, &'a [u8]), wsh_result> {
        let (name, value) = (
            arg!(slice self.name, self.name_len),
            arg!(slice self.value, self.value_len),
        );
        let name = core::str::from_utf8(name).map_err(|_| wsh_result::WSH_INVALID_HEADER_NAME)?;
        Ok((name, value))
    }
}

impl Element for wsh_field {
    type Item<'a> = (&'a [u8], &'a [u8]);
    unsafe fn borrow<'a>(&self) -> Result<(&'a [u8], &'a [u8]), wsh_result> {
        Ok((
            arg!(slice self.name, self.name_len),
            arg!(slice self.value, self.value_len),
        ))
    }
}

/// The converter of a list of byte strings that must be text: bytes that are
/// not UTF-8 give `not_utf8`.
pub(crate) fn text(not_utf8: wsh_result) -> impl Fn(&[u8]) -> Result<&str, wsh_result> {
    move |bytes| core::str::from_utf8(bytes).map_err(|_| not_utf8)
}

/// Borrows a C input list into a vector, each element converted by `convert`.
/// More than `max` elements is WSH_INVALID_ARGUMENT, checked before anything
/// is allocated: a count from C is bounded by what the call can use, never
/// trusted as an allocation size.
///
/// # Safety
/// `ptr` is NULL or points to `count` readable elements, each of whose byte
/// strings is readable, all for `'a`.
pub(crate) unsafe fn list_vec<'a, E: Element, T>(
    ptr: *const E,
    count: usize,
    max: usize,
    convert: impl Fn(E::Item<'a>) -> Result<T, wsh_result>,
) -> Result<Vec<T>, wsh_result> {
    if count > max {
        return Err(wsh_result::WSH_INVALID_ARGUMENT);
    }
    let items = arg!(slice ptr, count);
    items
        .iter()
        .map(|e| convert(arg!(call E::borrow, e)))
        .collect()
}

/// Borrows a C input list into `storage` (a stack array, so nothing is
/// allocated), each element converted by `convert`; WSH_TOO_MANY_FIELDS when
/// it has more elements than `storage` holds. Returns the filled part and the
/// region the C array occupies (to keep outputs apart from it).
///
/// # Safety
/// As for [`list_vec`].
pub(crate) unsafe fn list_into<'a, 's, E: Element, T>(
    ptr: *const E,
    count: usize,
    storage: &'s mut [T],
    convert: impl Fn(E::Item<'a>) -> Result<T, wsh_result>,
) -> Result<(&'s [T], Region), wsh_result> {
    let items = arg!(slice ptr, count);
    if items.len() > storage.len() {
        return Err(wsh_result::WSH_TOO_MANY_FIELDS);
    }
    for (slot, e) in storage.iter_mut().zip(items) {
        *slot = convert(arg!(call E::borrow, e))?;
    }
    let storage: &'s [T] = storage;
    Ok((
        storage.get(..items.len()).unwrap_or_default(),
        region_of(items.as_ptr(), items.len()),
    ))
}
