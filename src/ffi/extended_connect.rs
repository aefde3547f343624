//! WebSocket over HTTP/2 and HTTP/3 (extended CONNECT, RFC 8441 and RFC 9220):
//! what both sides share. `wsh_field` (one header field of a field list), the
//! SETTINGS constants, and the helpers that move field lists across the
//! boundary without touching the heap: C arrays in are copied into bounded
//! stack arrays of Rust pairs, lists out are copied into the caller's byte
//! buffer and field array.
//!
//! The server side is in `connect_server`, the client side in `connect_client`.

use core::mem::MaybeUninit;

use super::args::{Out, Region, arg, fits_allocation, keep_apart, region_of};
use super::{ptr_len, wsh_result};
use wshandshake::UsageError;
use wshandshake::extended_connect::{
    ConnectClientRequest, ConnectResponse, ENABLE_CONNECT_PROTOCOL,
    H3_SETTINGS_ENABLE_CONNECT_PROTOCOL, SETTINGS_ENABLE_CONNECT_PROTOCOL,
};

/// The HTTP/2 SETTINGS parameter a server sends with value
/// WSH_ENABLE_CONNECT_PROTOCOL before clients may use extended CONNECT
/// (SETTINGS_ENABLE_CONNECT_PROTOCOL, RFC 8441 section 3).
pub const WSH_SETTINGS_ENABLE_CONNECT_PROTOCOL: u16 = 0x08;

/// The HTTP/3 SETTINGS parameter with the same meaning and number
/// (SETTINGS_ENABLE_CONNECT_PROTOCOL, RFC 9220 section 3).
pub const WSH_H3_SETTINGS_ENABLE_CONNECT_PROTOCOL: u64 = 0x08;

/// The value of the SETTINGS parameter that enables extended CONNECT.
pub const WSH_ENABLE_CONNECT_PROTOCOL: u32 = 1;

/// The most elements a list passed to an extended CONNECT function may have
/// (request or response fields, extra headers, subprotocols, extensions): more
/// give WSH_TOO_MANY_FIELDS. The lists are copied into fixed arrays on the
/// stack, which is what keeps these functions free of heap allocation.
pub const WSH_CONNECT_MAX_FIELDS: usize = 128;

/// The most permessage-deflate offers a wsh_connect_client_options may carry
/// (more give WSH_TOO_MANY_FIELDS); they too are copied onto the stack.
pub const WSH_CONNECT_MAX_DEFLATE_OFFERS: usize = 8;

// The header needs literals; these keep them equal to the core's constants.
const _: () = assert!(WSH_SETTINGS_ENABLE_CONNECT_PROTOCOL == SETTINGS_ENABLE_CONNECT_PROTOCOL);
const _: () =
    assert!(WSH_H3_SETTINGS_ENABLE_CONNECT_PROTOCOL == H3_SETTINGS_ENABLE_CONNECT_PROTOCOL);
const _: () = assert!(WSH_ENABLE_CONNECT_PROTOCOL == ENABLE_CONNECT_PROTOCOL);
const _: () = assert!(WSH_CONNECT_MAX_FIELDS == wshandshake::Limits::MAX_HEADERS_CAP);

/// One header field of an HTTP/2 or HTTP/3 field list, as the stack decodes
/// it or takes it: pseudo-header fields (":method", ":status", ...) first, then
/// regular fields with lowercase names. Not NUL-terminated.
///
/// In an input list (a request or response the stack decoded) the bytes are
/// borrowed for the call only. In an output list the engine fills in, the
/// pointers are views into the caller's byte buffer passed to the same call.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct wsh_field {
    /// The name's first byte (may be NULL when `name_len` is 0).
    pub name: *const u8,
    /// The name's length.
    pub name_len: usize,
    /// The value's first byte (may be NULL when `value_len` is 0).
    pub value: *const u8,
    /// The value's length.
    pub value_len: usize,
}

/// One field as the core takes it.
pub(crate) type Pair<'a> = (&'a [u8], &'a [u8]);

/// An extra field the application adds to an output list, as the core takes it.
pub(crate) type AppField<'a> = (&'a str, &'a [u8]);

/// The empty pair, to initialize stack storage.
pub(crate) const EMPTY_PAIR: Pair<'static> = (&[], &[]);

/// The regions of a list of pairs' names and values.
pub(crate) fn pair_regions<'p>(
    pairs: impl IntoIterator<Item = (&'p [u8], &'p [u8])>,
) -> impl Iterator<Item = Region> {
    pairs
        .into_iter()
        .flat_map(|(name, value)| [ptr_len(name), ptr_len(value)])
}

/// A caller's output array `(ptr, cap)` of `T`, checked but not yet borrowed.
pub(crate) struct OutputArray<T> {
    ptr: *mut T,
    pub(crate) cap: usize,
}

impl wsh_field {
    /// A field of borrowed name and value bytes.
    pub(crate) fn of(name: &[u8], value: &[u8]) -> Self {
        wsh_field {
            name: name.as_ptr(),
            name_len: name.len(),
            value: value.as_ptr(),
            value_len: value.len(),
        }
    }
}

impl<T> OutputArray<T> {
    /// `(NULL, n > 0)`, a misaligned pointer or an impossible size are
    /// WSH_INVALID_ARGUMENT; `(NULL, 0)` is an empty array.
    ///
    /// # Safety
    /// A non-NULL `ptr` is valid for writes of `cap` elements until the call
    /// returns (it need not be initialized).
    pub(crate) unsafe fn new(ptr: *mut T, cap: usize) -> Result<Self, wsh_result> {
        let valid = match ptr.is_null() {
            true => cap == 0,
            false => ptr.is_aligned() && fits_allocation::<T>(cap),
        };
        valid
            .then_some(OutputArray { ptr, cap })
            .ok_or(wsh_result::WSH_INVALID_ARGUMENT)
    }

    /// The array's bytes.
    pub(crate) fn region(&self) -> Region {
        region_of(self.ptr.cast_const(), self.cap)
    }

    /// The array, once it overlaps none of `inputs` (WSH_INVALID_ARGUMENT).
    pub(crate) fn apart(
        self,
        inputs: impl IntoIterator<Item = Region>,
    ) -> Result<Self, wsh_result> {
        keep_apart(&[self.region()], inputs).map(|()| self)
    }

    /// The array's slots (none for NULL), to write the outputs into.
    fn slots(&mut self) -> &mut [MaybeUninit<T>] {
        if self.ptr.is_null() {
            return &mut [];
        }
        // SAFETY: non-NULL, aligned and size checked in `new`, whose caller
        // promised the array valid for writes and used by nothing else during
        // the call; MaybeUninit: it need not be initialized.
        unsafe { core::slice::from_raw_parts_mut(self.ptr.cast(), self.cap) }
    }

    /// Writes `count` items when they fit (WSH_FIELD_ARRAY_TOO_SMALL
    /// otherwise, nothing written). The caller checked the array
    /// [`OutputArray::apart`] from what `items` reads.
    pub(crate) fn write(mut self, count: usize, items: impl IntoIterator<Item = T>) -> wsh_result {
        if count > self.cap {
            return wsh_result::WSH_FIELD_ARRAY_TOO_SMALL;
        }
        for (slot, item) in self.slots().iter_mut().zip(items) {
            slot.write(item);
        }
        wsh_result::WSH_OK
    }
}

impl OutputArray<u8> {
    /// The byte buffer (empty for NULL), for the engine to write into.
    fn bytes(&mut self) -> &mut [u8] {
        if self.ptr.is_null() {
            return &mut [];
        }
        // SAFETY: as for `slots`: non-NULL and size checked in `new`, whose
        // caller promised it valid for writes and used by nothing else.
        unsafe { core::slice::from_raw_parts_mut(self.ptr, self.cap) }
    }
}

/// A field list the engine writes out (a server response or a client request).
pub(crate) trait FieldList {
    /// Number of fields.
    fn count(&self) -> usize;
    /// Bytes the names and values take together.
    fn bytes(&self) -> usize;
    /// Copies the list into `buf` and hands out each pair, in order.
    fn write_each<'b>(
        &self,
        buf: &'b mut [u8],
        each: impl FnMut(&'b [u8], &'b [u8]),
    ) -> Result<usize, UsageError>;
}

/// The engine's two output field lists have the same three methods.
macro_rules! field_list {
    ($($list:ident),*) => {$(
        impl FieldList for $list<'_> {
            fn count(&self) -> usize {
                self.field_count()
            }
            fn bytes(&self) -> usize {
                self.bytes_needed()
            }
            fn write_each<'b>(
                &self,
                buf: &'b mut [u8],
                each: impl FnMut(&'b [u8], &'b [u8]),
            ) -> Result<usize, UsageError> {
                $list::write_each(self, buf, each)
            }
        }
    )*};
}
field_list!(ConnectResponse, ConnectClientRequest);

/// The caller's storage for an output field list, checked but not yet
/// borrowed: the byte buffer and the field array.
pub(crate) struct FieldOutput {
    buf: OutputArray<u8>,
    fields: OutputArray<wsh_field>,
}

/// What writing a list into a [`FieldOutput`] did.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Written {
    /// WSH_OK, WSH_FIELD_ARRAY_TOO_SMALL or WSH_BUFFER_TOO_SMALL.
    pub(crate) result: wsh_result,
    /// Fields written, or needed when too small.
    pub(crate) count: usize,
    /// Bytes written, or needed when too small.
    pub(crate) bytes: usize,
}

impl Written {
    /// Writes the field count and byte length (also when too small: the
    /// sizes needed) and returns the result.
    pub(crate) fn report(self, (count, bytes): (Out<usize>, Out<usize>)) -> wsh_result {
        count.write(self.count);
        bytes.write(self.bytes);
        self.result
    }
}

/// A [`FieldOutput`] checked to overlap none of the call's inputs.
pub(crate) struct ApartOutput(FieldOutput);

impl FieldOutput {
    /// Checks the pointers: `(NULL, n > 0)`, a misaligned field array, an
    /// impossible size, or a byte buffer that overlaps the field array are
    /// WSH_INVALID_ARGUMENT.
    ///
    /// # Safety
    /// The buffer is NULL or valid for writes of `buf_cap` bytes and the array
    /// NULL or valid for `fields_cap` fields until the call returns.
    pub(crate) unsafe fn new(
        buf: *mut u8,
        buf_cap: usize,
        fields: *mut wsh_field,
        fields_cap: usize,
    ) -> Result<Self, wsh_result> {
        let buf = arg!(call OutputArray::new, buf, buf_cap);
        let fields = arg!(call OutputArray::new, fields, fields_cap);
        keep_apart(&[buf.region()], [fields.region()])?;
        Ok(FieldOutput { buf, fields })
    }

    /// The two regions the output occupies.
    fn regions(&self) -> [Region; 2] {
        [self.buf.region(), self.fields.region()]
    }

    /// WSH_INVALID_ARGUMENT when the output overlaps any of the regions the
    /// call reads.
    pub(crate) fn check_apart(
        self,
        inputs: impl IntoIterator<Item = Region>,
    ) -> Result<ApartOutput, wsh_result> {
        keep_apart(&self.regions(), inputs).map(|()| ApartOutput(self))
    }
}

impl ApartOutput {
    /// Copies `list` into the caller's storage when both parts are large
    /// enough (nothing is written otherwise).
    /// Valid for writes since [`FieldOutput::new`] (whose caller promised it)
    /// and apart from every input since [`FieldOutput::check_apart`].
    pub(crate) fn write(self, list: &impl FieldList) -> Written {
        let ApartOutput(mut out) = self;
        let (count, bytes) = (list.count(), list.bytes());
        let too_small = |result| Written {
            result,
            count,
            bytes,
        };
        if out.fields.cap < count {
            return too_small(wsh_result::WSH_FIELD_ARRAY_TOO_SMALL);
        }
        if out.buf.cap < bytes {
            return too_small(wsh_result::WSH_BUFFER_TOO_SMALL);
        }
        let (buf, slots) = (out.buf.bytes(), out.fields.slots());
        let mut slots = slots.iter_mut();
        let written = list.write_each(buf, |name, value| {
            if let Some(slot) = slots.next() {
                slot.write(wsh_field::of(name, value));
            }
        });
        match written {
            Ok(count) => Written {
                result: wsh_result::WSH_OK,
                count,
                bytes,
            },
            // Not reached: both sizes were checked above.
            Err(e) => too_small(e.into()),
        }
    }
}
