//! Writes an output field list into storage the caller owns.
//!
//! Every name and value is copied, back to back, into one caller byte buffer; the
//! `(name, value)` pairs handed back are slices of that buffer. Nothing is
//! allocated, and the same list is produced however it is asked for: measured
//! ([`field_count`], [`bytes_needed`]), written ([`write`], [`write_each`]) or
//! owned ([`to_vec`]). Copying also lets application-supplied names be lowercased
//! on the way out, as HTTP/2 and HTTP/3 require.

use crate::error::UsageError;
use alloc::{vec, vec::Vec};

use super::Field;

/// Receives a field list piece by piece.
pub(crate) trait FieldWriter {
    /// Starts a field named `name`, lowercased when `lowercase` is set.
    fn name(&mut self, name: &[u8], lowercase: bool);
    /// Appends `piece` to the current field's value.
    fn value(&mut self, piece: &[u8]);
    /// Ends the current field.
    fn end(&mut self);

    /// A whole field whose name is already lowercase.
    fn field(&mut self, name: &[u8], value: &[u8]) {
        self.name(name, false);
        self.value(value);
        self.end();
    }
}

/// Something that produces a field list (a response or a request).
pub(crate) trait EmitFields {
    /// Sends every field, in order, to `sink`. Must be deterministic: the list is
    /// produced more than once per write.
    fn emit<S: FieldWriter>(&self, sink: &mut S);
}

/// The public output methods of a type that implements [`EmitFields`] (the
/// server's response and the client's request offer the same five), written
/// once. `$order` completes the sentence on field order in `write`'s docs.
macro_rules! field_output_methods {
    ($order:literal) => {
        /// Number of fields in the list.
        pub fn field_count(&self) -> usize {
            $crate::extended_connect::field_output::field_count(self)
        }

        /// Bytes the names and values take together in the caller's buffer.
        pub fn bytes_needed(&self) -> usize {
            $crate::extended_connect::field_output::bytes_needed(self)
        }

        #[doc = concat!(
            "Copies the fields into `buf` and fills `fields` with `(name, value)` slices of it",
            $order,
            "; returns the field count. Writes nothing and reports ",
            "[`UsageError::FieldArrayTooSmall`] or [`UsageError::BufferTooSmall`] with ",
            "the size needed when either is too small."
        )]
        pub fn write<'b>(
            &self,
            buf: &'b mut [u8],
            fields: &mut [Field<'b>],
        ) -> Result<usize, UsageError> {
            $crate::extended_connect::field_output::write(self, buf, fields)
        }

        /// Copies the fields into `buf` and calls `each` with every `(name, value)`
        /// pair, in order; returns the field count. For callers that keep their
        /// own field array type.
        pub fn write_each<'b>(
            &self,
            buf: &'b mut [u8],
            each: impl FnMut(&'b [u8], &'b [u8]),
        ) -> Result<usize, UsageError> {
            $crate::extended_connect::field_output::write_each(self, buf, each)
        }

        /// The fields as owned `(name, value)` pairs.
        pub fn to_vec(&self) -> alloc::vec::Vec<(alloc::vec::Vec<u8>, alloc::vec::Vec<u8>)> {
            $crate::extended_connect::field_output::to_vec(self)
        }
    };
}
pub(crate) use field_output_methods;

/// Counts fields and bytes.
#[derive(Default)]
struct Measure {
    fields: usize,
    bytes: usize,
}

impl FieldWriter for Measure {
    fn name(&mut self, name: &[u8], _lowercase: bool) {
        self.bytes = self.bytes.saturating_add(name.len());
    }
    fn value(&mut self, piece: &[u8]) {
        self.bytes = self.bytes.saturating_add(piece.len());
    }
    fn end(&mut self) {
        self.fields = self.fields.saturating_add(1);
    }
}

/// Copies the bytes into a buffer already known to be large enough.
struct Copy<'x> {
    buf: &'x mut [u8],
    len: usize,
}

impl Copy<'_> {
    fn push(&mut self, bytes: &[u8]) -> Option<&mut [u8]> {
        let end = self.len.saturating_add(bytes.len());
        let dst = self.buf.get_mut(self.len..end)?;
        dst.copy_from_slice(bytes);
        self.len = end;
        Some(dst)
    }
}

impl FieldWriter for Copy<'_> {
    fn name(&mut self, name: &[u8], lowercase: bool) {
        if let Some(dst) = self.push(name)
            && lowercase
        {
            dst.make_ascii_lowercase();
        }
    }
    fn value(&mut self, piece: &[u8]) {
        self.push(piece);
    }
    fn end(&mut self) {}
}

/// Walks the same list again over the filled buffer and hands out slices of it.
struct Split<'b, F> {
    buf: &'b [u8],
    pos: usize,
    name_start: usize,
    name_end: usize,
    each: F,
}

impl<'b, F: FnMut(&'b [u8], &'b [u8])> FieldWriter for Split<'b, F> {
    fn name(&mut self, name: &[u8], _lowercase: bool) {
        self.name_start = self.pos;
        self.pos = self.pos.saturating_add(name.len());
        self.name_end = self.pos;
    }
    fn value(&mut self, piece: &[u8]) {
        self.pos = self.pos.saturating_add(piece.len());
    }
    fn end(&mut self) {
        let buf = self.buf;
        let name = buf.get(self.name_start..self.name_end).unwrap_or_default();
        let value = buf.get(self.name_end..self.pos).unwrap_or_default();
        (self.each)(name, value);
    }
}

fn measure<E: EmitFields>(e: &E) -> Measure {
    let mut m = Measure::default();
    e.emit(&mut m);
    m
}

/// How many fields the list has.
pub(crate) fn field_count<E: EmitFields>(e: &E) -> usize {
    measure(e).fields
}

/// How many bytes the names and values take together.
pub(crate) fn bytes_needed<E: EmitFields>(e: &E) -> usize {
    measure(e).bytes
}

/// Copies the list into `buf` and calls `each` once per field, in order, with
/// slices of `buf`. Returns the number of fields. Nothing is written unless `buf`
/// is large enough.
pub(crate) fn write_each<'b, E: EmitFields>(
    e: &E,
    buf: &'b mut [u8],
    each: impl FnMut(&'b [u8], &'b [u8]),
) -> Result<usize, UsageError> {
    let m = measure(e);
    if buf.len() < m.bytes {
        return Err(UsageError::BufferTooSmall { needed: m.bytes });
    }
    let mut copy = Copy {
        buf: &mut *buf,
        len: 0,
    };
    e.emit(&mut copy);
    let frozen: &'b [u8] = buf;
    let mut split = Split {
        buf: frozen,
        pos: 0,
        name_start: 0,
        name_end: 0,
        each,
    };
    e.emit(&mut split);
    Ok(m.fields)
}

/// Copies the list into `buf` and fills `fields` with slices of it. Returns the
/// number of fields. Nothing is written unless both are large enough.
pub(crate) fn write<'b, E: EmitFields>(
    e: &E,
    buf: &'b mut [u8],
    fields: &mut [Field<'b>],
) -> Result<usize, UsageError> {
    let m = measure(e);
    if fields.len() < m.fields {
        return Err(UsageError::FieldArrayTooSmall { needed: m.fields });
    }
    let mut slots = fields.iter_mut();
    write_each(e, buf, |name, value| {
        if let Some(slot) = slots.next() {
            *slot = (name, value);
        }
    })
}

/// The list as owned `(name, value)` pairs.
pub(crate) fn to_vec<E: EmitFields>(e: &E) -> Vec<(Vec<u8>, Vec<u8>)> {
    let mut buf = vec![0u8; bytes_needed(e)];
    let mut out = Vec::new();
    // The buffer is sized from the same list, so the write cannot fail.
    let _ = write_each(e, &mut buf, |name, value| {
        out.push((name.to_vec(), value.to_vec()));
    });
    out
}
