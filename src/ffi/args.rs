//! Checked C arguments: the only place raw pointers from C become Rust
//! references.
//!
//! # The safety argument (made once, here)
//!
//! The macros below are used only in the bodies of exported
//! `unsafe extern "C" fn`s, on that function's own parameters or on the fields
//! of an input struct such a parameter points to, and in the shared bodies
//! those functions call with `arg!(run ..)` / `arg!(call ..)` (the `unsafe
//! fn`s of `accessor`, `outgoing` and `builder`), on the parameters they were
//! passed unchanged. Each function's C contract
//! (the header's conventions, restated in its doc comment) is that:
//! - a handle argument is NULL or a live handle of its type, made by this
//!   library and not yet freed, and no other call is inside the same handle
//!   (one thread at a time; a `const` handle may be shared by reading calls);
//! - an input `(ptr, len)` is NULL or readable for `len` elements, an input
//!   struct pointer NULL or readable, for the length of the call;
//! - an output pointer is NULL or writable for the length of the call, and an
//!   output buffer `(ptr, cap)` is NULL or writable for `cap` bytes and
//!   overlaps no other argument (where it could, the function checks it).
//!
//! The helpers check what can be checked (NULL, alignment, sizes an allocation
//! cannot have); that contract is the rest of each `unsafe` block's argument.

use core::ptr::NonNull;

use super::wsh_result;

/// Unwraps a `Result` inside an [`ffi_boundary!`](super::ffi_boundary) body or
/// a helper, or returns its error converted to `wsh_result` (as the code
/// itself, or as `Err(code)`: see [`Failure`]); `try_ffi!(r, or fallback)`
/// returns `fallback` instead.
macro_rules! try_ffi {
    ($result:expr) => {
        match $result {
            Ok(value) => value,
            Err(error) => {
                return $crate::ffi::args::Failure::failure($crate::ffi::result::wsh_result::from(
                    error,
                ))
            }
        }
    };
    ($result:expr, or $fallback:expr) => {
        match $result {
            Ok(value) => value,
            Err(_) => return $fallback,
        }
    };
}
pub(crate) use try_ffi;

/// What a function returns when [`try_ffi!`] (and so [`arg!`]) fails: an
/// exported function or a shared body returns the code itself, a helper that
/// produces a value returns `Err(code)`.
pub(crate) trait Failure {
    /// The return value for the error `code`.
    fn failure(code: wsh_result) -> Self;
}

impl Failure for wsh_result {
    fn failure(code: wsh_result) -> Self {
        code
    }
}

impl<T> Failure for Result<T, wsh_result> {
    fn failure(code: wsh_result) -> Self {
        Err(code)
    }
}

/// `arg!(mut h)`: enters handle `h` for a mutating call; `arg!(ref h)`: for a
/// reading call; `arg!(borrow p)`: borrows a config handle or input struct;
/// `arg!(slice p, n)`: an input array; `arg!(text p, n)`: input UTF-8
/// (`WSH_INVALID_UTF8` otherwise; `arg!(text p, n, err)` returns `err`);
/// `arg!(buffer p, n)`: an output byte buffer; `arg!(out p)`: one output;
/// `arg!(out p, n)`: a byte-string output pair; `arg!(call f, args..)`: an
/// unsafe helper whose only requirement is the C contract for its arguments,
/// returning a `Result` to unwrap (`arg!(run f, args..)`: one whose value is
/// returned as it is). Each returns the function's error (`try_ffi!`) when the
/// check fails; `, or fallback` returns `fallback`.
///
/// See the module docs for the safety argument.
macro_rules! arg {
    (mut $h:expr $(, or $f:expr)?) => {
        $crate::ffi::args::arg!(@check $crate::ffi::handle::enter_mut($h) $(, or $f)?)
    };
    (ref $h:expr $(, or $f:expr)?) => {
        $crate::ffi::args::arg!(@check $crate::ffi::handle::enter($h) $(, or $f)?)
    };
    (borrow $p:expr $(, or $f:expr)?) => {
        $crate::ffi::args::arg!(@check $crate::ffi::handle::borrow($p) $(, or $f)?)
    };
    (slice $p:expr, $n:expr) => {
        $crate::ffi::args::arg!(@check $crate::ffi::args::input_slice($p, $n))
    };
    (text $p:expr, $n:expr) => {
        $crate::ffi::args::arg!(text $p, $n, $crate::ffi::result::wsh_result::WSH_INVALID_UTF8)
    };
    (text $p:expr, $n:expr, $err:expr) => {
        $crate::ffi::args::arg!(@check $crate::ffi::args::input_text($p, $n, $err))
    };
    // The caller gives the handle up.
    (take $p:expr) => {
        $crate::ffi::args::arg!(@check $crate::ffi::handle::take($p))
    };
    (free $p:expr) => {
        drop($crate::ffi::args::arg!(@unchecked $crate::ffi::handle::take($p)))
    };
    (buffer $p:expr, $n:expr) => {
        $crate::ffi::args::arg!(@check $crate::ffi::args::output_slice($p, $n))
    };
    (out $p:expr) => {
        $crate::ffi::args::arg!(@check $crate::ffi::args::Out::new($p))
    };
    (out $p:expr, $n:expr) => {
        $crate::ffi::args::arg!(@check $crate::ffi::args::OutBytes::new($p, $n))
    };
    (call $f:path, $($a:expr),* $(,)?) => {
        $crate::ffi::args::arg!(@check $f($($a),*))
    };
    (run $f:path, $($a:expr),* $(,)?) => {
        $crate::ffi::args::arg!(@unchecked $f($($a),*))
    };
    // The one unsafe block every form expands to: a call of an unsafe helper
    // of this crate on the arguments the form names.
    (@check $call:expr $(, or $f:expr)?) => {
        $crate::ffi::args::try_ffi!($crate::ffi::args::arg!(@unchecked $call) $(, or $f)?)
    };
    (@unchecked $call:expr) => {
        // SAFETY: the C contract (module docs of ffi::args): each helper these
        // forms call requires only that contract for the arguments it gets.
        unsafe { $call }
    };
}
pub(crate) use arg;

/// True when `len` elements of `T` fit in an allocation (at most `isize::MAX`
/// bytes), the precondition of `slice::from_raw_parts`.
pub(crate) fn fits_allocation<T>(len: usize) -> bool {
    len.checked_mul(core::mem::size_of::<T>())
        .is_some_and(|bytes| bytes <= isize::MAX.unsigned_abs())
}

/// Borrows a C input array `(ptr, len)` for the length of the call.
/// `(NULL, 0)` is empty; `(NULL, n > 0)`, a misaligned pointer or an impossible
/// length are `WSH_INVALID_ARGUMENT`.
///
/// # Safety
/// A non-NULL `ptr` is valid for reads of `len` elements for `'a`, and nothing
/// writes to them meanwhile.
pub(crate) unsafe fn input_slice<'a, T>(ptr: *const T, len: usize) -> Result<&'a [T], wsh_result> {
    match ptr.is_null() {
        true if len == 0 => Ok(&[]),
        false if ptr.is_aligned() && fits_allocation::<T>(len) => {
            // SAFETY: non-NULL, aligned, size checked; validity is the caller's promise.
            Ok(unsafe { core::slice::from_raw_parts(ptr, len) })
        }
        _ => Err(wsh_result::WSH_INVALID_ARGUMENT),
    }
}

/// Borrows C input bytes that must be UTF-8 text (`not_utf8` otherwise).
///
/// # Safety
/// As for [`input_slice`].
pub(crate) unsafe fn input_text<'a>(
    ptr: *const u8,
    len: usize,
    not_utf8: wsh_result,
) -> Result<&'a str, wsh_result> {
    // SAFETY: forwarded from the caller.
    let bytes = unsafe { input_slice(ptr, len) }?;
    core::str::from_utf8(bytes).map_err(|_| not_utf8)
}

/// Borrows a C output buffer `(ptr, cap)` for the length of the call.
/// `(NULL, 0)` is an empty buffer; `(NULL, n > 0)` is `WSH_INVALID_ARGUMENT`.
///
/// # Safety
/// A non-NULL `ptr` is valid for writes of `cap` bytes for `'a` and overlaps no
/// other buffer of the call.
pub(crate) unsafe fn output_slice<'a>(
    ptr: *mut u8,
    cap: usize,
) -> Result<&'a mut [u8], wsh_result> {
    match ptr.is_null() {
        true if cap == 0 => Ok(&mut []),
        false if fits_allocation::<u8>(cap) => {
            // SAFETY: non-NULL, size checked; validity and exclusivity are the
            // caller's promise.
            Ok(unsafe { core::slice::from_raw_parts_mut(ptr, cap) })
        }
        _ => Err(wsh_result::WSH_INVALID_ARGUMENT),
    }
}

/// A region of memory a call reads or writes: its first byte and its length.
pub(crate) type Region = (*const u8, usize);

/// The region `len` elements of `T` at `ptr` occupy.
pub(crate) fn region_of<T>(ptr: *const T, len: usize) -> Region {
    (ptr.cast(), len.saturating_mul(core::mem::size_of::<T>()))
}

/// True when two regions share at least one byte.
fn overlaps((a, a_len): Region, (b, b_len): Region) -> bool {
    let (a, b) = (a.addr(), b.addr());
    a_len != 0 && b_len != 0 && a < b.saturating_add(b_len) && b < a.saturating_add(a_len)
}

/// WSH_INVALID_ARGUMENT when any of a call's `outputs` overlaps any of the
/// `inputs` it reads: the check of every call whose buffers could overlap.
pub(crate) fn keep_apart(
    outputs: &[Region],
    inputs: impl IntoIterator<Item = Region>,
) -> Result<(), wsh_result> {
    let overlapping = |input: Region| outputs.iter().any(|&output| overlaps(output, input));
    match inputs.into_iter().any(overlapping) {
        true => Err(wsh_result::WSH_INVALID_ARGUMENT),
        false => Ok(()),
    }
}

/// A checked, not yet written C output parameter.
///
/// Functions check every output before doing any work (so a NULL output fails
/// the call early) and write them only once the call has succeeded.
pub(crate) struct Out<T>(NonNull<T>);

impl<T> Out<T> {
    /// `WSH_NULL_POINTER` for NULL, `WSH_INVALID_ARGUMENT` when misaligned.
    ///
    /// # Safety
    /// A non-NULL `ptr` is valid for one write of `T` until the call returns.
    pub(crate) unsafe fn new(ptr: *mut T) -> Result<Self, wsh_result> {
        let ptr = NonNull::new(ptr).ok_or(wsh_result::WSH_NULL_POINTER)?;
        match ptr.as_ptr().is_aligned() {
            true => Ok(Out(ptr)),
            false => Err(wsh_result::WSH_INVALID_ARGUMENT),
        }
    }

    /// Writes the output (without reading or dropping what was there).
    pub(crate) fn write(self, value: T) {
        // SAFETY: checked non-NULL and aligned in `new`, whose caller promised it
        // is valid for a write until the call returns.
        unsafe { self.0.as_ptr().write(value) }
    }
}

/// A checked byte-string output: a pointer and a length, written together.
pub(crate) struct OutBytes(Out<*const u8>, Out<usize>);

impl OutBytes {
    /// # Safety
    /// As for [`Out::new`], for each pointer.
    pub(crate) unsafe fn new(data: *mut *const u8, len: *mut usize) -> Result<Self, wsh_result> {
        // SAFETY: forwarded from the caller.
        Ok(OutBytes(unsafe { Out::new(data) }?, unsafe {
            Out::new(len)
        }?))
    }
}

/// Checked outputs that take a `V`: the shared end of every accessor.
pub(crate) trait Sink<V> {
    /// Writes `value`.
    fn put(self, value: V);
}

impl<T> Sink<T> for Out<T> {
    fn put(self, value: T) {
        self.write(value);
    }
}

impl Sink<&[u8]> for OutBytes {
    fn put(self, bytes: &[u8]) {
        self.0.write(bytes.as_ptr());
        self.1.write(bytes.len());
    }
}

impl<A: Sink<VA>, B: Sink<VB>, VA, VB> Sink<(VA, VB)> for (A, B) {
    fn put(self, (a, b): (VA, VB)) {
        self.0.put(a);
        self.1.put(b);
    }
}

/// Writes `value` to `sink` when it is Ok and returns `WSH_OK`, or returns the
/// error with nothing written: the end of every accessor.
pub(crate) fn put<V>(sink: impl Sink<V>, value: Result<V, wsh_result>) -> wsh_result {
    match value {
        Ok(value) => {
            sink.put(value);
            wsh_result::WSH_OK
        }
        Err(e) => e,
    }
}

/// `Ok(value)`, or the error when it is absent.
pub(crate) fn found<T>(value: Option<T>, absent: wsh_result) -> Result<T, wsh_result> {
    value.ok_or(absent)
}

/// The value of a C enum passed as `uint32_t` (an out-of-range C enum value
/// must not reach Rust as an enum): `WSH_INVALID_ARGUMENT` for other numbers.
pub(crate) fn choose<T: Copy>(number: u32, table: &[(u32, T)]) -> Result<T, wsh_result> {
    table
        .iter()
        .find(|(n, _)| *n == number)
        .map(|&(_, value)| value)
        .ok_or(wsh_result::WSH_INVALID_ARGUMENT)
}

/// Copies a value of `len` bytes from `bytes` into a caller buffer. The size is
/// written into `written` also when the buffer is too small
/// (`WSH_BUFFER_TOO_SMALL`), so the caller learns the size needed.
pub(crate) fn copy_out(
    buf: &mut [u8],
    written: Out<usize>,
    len: usize,
    bytes: impl Iterator<Item = u8>,
) -> wsh_result {
    written.write(len);
    if len > buf.len() {
        return wsh_result::WSH_BUFFER_TOO_SMALL;
    }
    buf.iter_mut().zip(bytes).for_each(|(dst, b)| *dst = b);
    wsh_result::WSH_OK
}

/// Field-for-field conversions between a C struct and the engine's struct of
/// the same fields: `same_fields!(wsh_limits <=> Limits { a, b })` both ways,
/// `same_fields!(Engine => wsh_x { a, b })` one way.
macro_rules! same_fields {
    ($c:ident <=> $engine:ident { $($field:ident),* $(,)? }) => {
        $crate::ffi::args::same_fields!($c => $engine { $($field),* });
        $crate::ffi::args::same_fields!($engine => $c { $($field),* });
    };
    ($from:ident => $to:ident { $($field:ident),* $(,)? }) => {
        impl From<$from> for $to {
            fn from(v: $from) -> Self {
                $to { $($field: v.$field),* }
            }
        }
    };
}
pub(crate) use same_fields;

/// `From` an engine enum for a C enum, as a table of patterns:
/// `enum_from!(Engine => wsh_x { Engine::A => WSH_X_A, .. })`.
macro_rules! enum_from {
    ($from:ty => $to:ident { $($pattern:pat => $variant:ident),* $(,)? }) => {
        impl From<$from> for $to {
            fn from(value: $from) -> Self {
                match value {
                    $($pattern => $to::$variant,)*
                }
            }
        }
    };
}
pub(crate) use enum_from;
