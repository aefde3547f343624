//! The stable C ABI (prefix `wsh_`), generated into `include/wshandshake.h` by
//! cbindgen. This is the only module with `unsafe` code.
//!
//! One file per C type family: `result` (result codes), `version`, `accept_key`,
//! `limits`, `deflate`, `bytes` (byte strings and header fields passed in),
//! `server_config` (builder and shared config), `decision`, `server` (the
//! handshake handle), `one_shot` (`wsh_respond`), `client_config` (client
//! builder, config, deflate offer, limits), `client` (the client handle),
//! `extended_connect` (field lists and constants shared by both sides of
//! WebSocket over HTTP/2 and HTTP/3), `connect_server`, `connect_client`. A new
//! family gets its own file and reuses the helpers here.
//!
//! Rules every exported function follows (tests/ffi_source_rules.rs checks the
//! mechanical ones on the source text):
//! - its body is exactly one `ffi_boundary!` invocation, so no panic crosses
//!   into C: a panic returns the return type's fallback ([`PanicFallback`]) and
//!   poisons the handle being used;
//! - its signature has raw pointers only (never `&T`/`&mut T`), checked with the
//!   helpers below: NULL handle or output -> `WSH_NULL_POINTER`; `(NULL, n > 0)`
//!   input -> `WSH_INVALID_ARGUMENT`; `(NULL, 0)` is empty;
//! - outputs are written only once the call has succeeded (`Out` is validated
//!   first and written last);
//! - every `unsafe` block carries a `SAFETY:` comment (clippy enforces it);
//! - no global state, no I/O, no environment reads.
#![allow(non_camel_case_types)]
// The C contract of each function is in its doc comment (parameters, ownership,
// lifetimes) rather than in a Rust `# Safety` heading: those docs are the header.
#![allow(clippy::missing_safety_doc)]
#![warn(clippy::undocumented_unsafe_blocks)]

use core::cell::UnsafeCell;
use core::ptr::NonNull;
use core::sync::atomic::{AtomicBool, Ordering};
use std::any::Any;
use std::panic::{AssertUnwindSafe, catch_unwind};

// The order of these modules is the order of the header's sections (cbindgen
// follows it); the comments keep rustfmt from sorting them.

// Library version and result codes.
pub mod version;
// (keep order)
pub mod result;
// Helpers without a handle.
pub mod accept_key;
// Configuration value types.
pub mod limits;
// (keep order)
pub mod deflate;
// Byte strings and header fields passed in.
pub mod bytes;
// Server: config, decision, handle, one-shot.
pub mod server_config;
// (keep order)
pub mod decision;
// (keep order)
pub mod server;
// (keep order)
pub mod one_shot;
// Client: config, handle.
pub mod client_config;
// (keep order)
pub mod client;
// Extended CONNECT (HTTP/2, HTTP/3): shared, server, client.
pub mod extended_connect;
// (keep order)
pub mod connect_server;
// (keep order)
pub mod connect_client;

#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_client;

pub use result::wsh_result;

/// Runs the body of an exported function and stops any panic at the C boundary.
///
/// Write it as the whole body of the function, so that cbindgen still sees a
/// plain signature:
///
/// ```ignore
/// pub unsafe extern "C" fn wsh_thing_do(thing: *mut wsh_thing) -> wsh_result {
///     ffi_boundary! {
///         let thing = try_ffi!(unsafe { handle_mut(thing) });
///         ...
///     }
/// }
/// ```
///
/// The body runs in a closure: `return` (and [`try_ffi!`]) leave the body with a
/// value of the function's return type. On a panic the function returns
/// [`PanicFallback::panic_fallback`] for that type (`WSH_PANIC`, NULL, false, 0),
/// and any handle entered with [`handle_mut`] or [`handle_ref`] is poisoned by its
/// guard while the panic unwinds.
macro_rules! ffi_boundary {
    ($($body:tt)*) => {
        match ::std::panic::catch_unwind(::std::panic::AssertUnwindSafe(|| { $($body)* })) {
            Ok(value) => value,
            Err(payload) => {
                $crate::ffi::discard_panic(payload);
                $crate::ffi::PanicFallback::panic_fallback()
            }
        }
    };
}
pub(crate) use ffi_boundary;

/// Unwraps a `Result` inside an [`ffi_boundary!`] body, or returns its error
/// converted to `wsh_result` (so the function must return `wsh_result`).
macro_rules! try_ffi {
    ($result:expr) => {
        match $result {
            Ok(value) => value,
            Err(error) => return $crate::ffi::result::wsh_result::from(error),
        }
    };
}
pub(crate) use try_ffi;

/// The value an exported function returns when its body panicked.
pub trait PanicFallback {
    /// `WSH_PANIC` for results, NULL for pointers, false, 0, or nothing.
    fn panic_fallback() -> Self;
}

impl PanicFallback for wsh_result {
    fn panic_fallback() -> Self {
        wsh_result::WSH_PANIC
    }
}

impl PanicFallback for () {
    fn panic_fallback() -> Self {}
}

impl PanicFallback for bool {
    fn panic_fallback() -> Self {
        false
    }
}

impl PanicFallback for u16 {
    fn panic_fallback() -> Self {
        0
    }
}

impl PanicFallback for usize {
    fn panic_fallback() -> Self {
        0
    }
}

impl<T> PanicFallback for *const T {
    fn panic_fallback() -> Self {
        core::ptr::null()
    }
}

impl<T> PanicFallback for *mut T {
    fn panic_fallback() -> Self {
        core::ptr::null_mut()
    }
}

/// Drops a caught panic's payload without letting a panicking destructor escape
/// (such a second payload is leaked on purpose: nothing may unwind into C).
#[doc(hidden)]
pub fn discard_panic(payload: Box<dyn Any + Send>) {
    if let Err(again) = catch_unwind(AssertUnwindSafe(move || drop(payload))) {
        core::mem::forget(again);
    }
}

/// The state behind an opaque handle, with its poison flag.
///
/// The C contract says a handle is used by one thread at a time and the library
/// never calls back into C, so at most one call is inside a handle at any time;
/// that is what makes handing out `&mut T` from a shared `&Guarded<T>` sound.
/// The state sits in an `UnsafeCell` so the C pointer never needs to be turned
/// into a Rust `&mut` to the whole handle.
pub(crate) struct Guarded<T> {
    poisoned: AtomicBool,
    /// Test hook: the next entry panics (to test the boundary end to end).
    #[cfg(test)]
    panic_on_entry: AtomicBool,
    value: UnsafeCell<T>,
}

impl<T> Guarded<T> {
    pub(crate) fn into_inner(self) -> T {
        self.value.into_inner()
    }

    pub(crate) fn new(value: T) -> Self {
        Guarded {
            poisoned: AtomicBool::new(false),
            #[cfg(test)]
            panic_on_entry: AtomicBool::new(false),
            value: UnsafeCell::new(value),
        }
    }

    fn check_entry(&self) -> Result<PoisonOnUnwind<'_>, wsh_result> {
        if self.poisoned.load(Ordering::Relaxed) {
            return Err(wsh_result::WSH_POISONED);
        }
        let guard = PoisonOnUnwind {
            poisoned: &self.poisoned,
        };
        #[cfg(test)]
        if self.panic_on_entry.swap(false, Ordering::Relaxed) {
            // resume_unwind skips the panic hook: the test output stays quiet.
            std::panic::resume_unwind(Box::new("wsh test hook: panic on entry"));
        }
        Ok(guard)
    }

    /// Exclusive access to the state, or `WSH_POISONED`.
    ///
    /// # Safety
    /// No other reference to the state may be live while the result is.
    pub(crate) unsafe fn enter_mut(&self) -> Result<Entered<'_, T>, wsh_result> {
        let guard = self.check_entry()?;
        // SAFETY: the caller guarantees exclusivity (one call inside the handle at
        // a time, see the type's docs); the pointer comes from our UnsafeCell.
        let value = unsafe { &mut *self.value.get() };
        Ok(Entered {
            value,
            _guard: guard,
        })
    }

    /// Shared access to the state, or `WSH_POISONED`.
    ///
    /// # Safety
    /// No exclusive reference to the state may be live while the result is.
    pub(crate) unsafe fn enter(&self) -> Result<EnteredRef<'_, T>, wsh_result> {
        let guard = self.check_entry()?;
        // SAFETY: the caller guarantees no `&mut` to the state is live.
        let value = unsafe { &*self.value.get() };
        Ok(EnteredRef {
            value,
            _guard: guard,
        })
    }

    /// True once a panic happened inside the handle.
    pub(crate) fn is_poisoned(&self) -> bool {
        self.poisoned.load(Ordering::Relaxed)
    }

    #[cfg(test)]
    pub(crate) fn panic_on_next_entry(&self) {
        self.panic_on_entry.store(true, Ordering::Relaxed);
    }
}

/// Marks a handle poisoned when dropped during a panic.
pub(crate) struct PoisonOnUnwind<'a> {
    poisoned: &'a AtomicBool,
}

impl Drop for PoisonOnUnwind<'_> {
    fn drop(&mut self) {
        if std::thread::panicking() {
            self.poisoned.store(true, Ordering::Relaxed);
        }
    }
}

/// Exclusive access to a handle's state for the length of one call.
pub(crate) struct Entered<'a, T> {
    value: &'a mut T,
    _guard: PoisonOnUnwind<'a>,
}

impl<T> core::ops::Deref for Entered<'_, T> {
    type Target = T;
    fn deref(&self) -> &T {
        self.value
    }
}

impl<T> core::ops::DerefMut for Entered<'_, T> {
    fn deref_mut(&mut self) -> &mut T {
        self.value
    }
}

/// Shared access to a handle's state for the length of one call.
pub(crate) struct EnteredRef<'a, T> {
    value: &'a T,
    _guard: PoisonOnUnwind<'a>,
}

impl<'a, T> EnteredRef<'a, T> {
    /// The state, for as long as the handle lives (borrowed views handed to C
    /// outlive this guard; their lifetime is the C contract's business).
    pub(crate) fn get(&self) -> &'a T {
        self.value
    }
}

impl<T> core::ops::Deref for EnteredRef<'_, T> {
    type Target = T;
    fn deref(&self) -> &T {
        self.value
    }
}

/// An opaque C handle type whose state is guarded against panics.
pub(crate) trait Handle {
    /// The Rust state behind the handle.
    type State;
    /// The guarded state.
    fn guarded(&self) -> &Guarded<Self::State>;
}

/// Moves a handle to the heap and returns the pointer C will hold.
pub(crate) fn into_raw_handle<H>(handle: H) -> *mut H {
    Box::into_raw(Box::new(handle))
}

/// Checks a handle pointer and returns a shared reference to the handle.
///
/// # Safety
/// `ptr` is NULL or was returned by `into_raw_handle` and not freed since.
pub(crate) unsafe fn handle_from<'a, H>(ptr: *const H) -> Result<&'a H, wsh_result> {
    if ptr.is_null() {
        return Err(wsh_result::WSH_NULL_POINTER);
    }
    if !ptr.is_aligned() {
        return Err(wsh_result::WSH_INVALID_ARGUMENT);
    }
    // SAFETY: non-NULL and aligned; the caller guarantees it points to a live
    // handle. Only a shared reference is made: the state is in an UnsafeCell.
    Ok(unsafe { &*ptr })
}

/// Enters a handle for a call that mutates it.
///
/// # Safety
/// `ptr` is NULL or a live handle from `into_raw_handle`, and no other call is
/// inside the same handle (the one-thread-at-a-time contract).
pub(crate) unsafe fn handle_mut<'a, H: Handle + 'a>(
    ptr: *mut H,
) -> Result<Entered<'a, H::State>, wsh_result> {
    // SAFETY: forwarded from the caller.
    let handle = unsafe { handle_from(ptr.cast_const()) }?;
    // SAFETY: forwarded from the caller (no other call inside this handle).
    unsafe { handle.guarded().enter_mut() }
}

/// Enters a handle for a call that only reads it.
///
/// # Safety
/// As for [`handle_mut`].
pub(crate) unsafe fn handle_ref<'a, H: Handle + 'a>(
    ptr: *const H,
) -> Result<EnteredRef<'a, H::State>, wsh_result> {
    // SAFETY: forwarded from the caller.
    let handle = unsafe { handle_from(ptr) }?;
    // SAFETY: forwarded from the caller (no mutating call inside this handle).
    unsafe { handle.guarded().enter() }
}

/// Frees a handle made by `into_raw_handle`; NULL is a no-op.
///
/// # Safety
/// `ptr` is NULL or a live handle from `into_raw_handle`, not used afterwards.
pub(crate) unsafe fn free_raw_handle<H>(ptr: *mut H) {
    if ptr.is_null() || !ptr.is_aligned() {
        return;
    }
    // SAFETY: the caller hands back ownership of a pointer from Box::into_raw.
    drop(unsafe { Box::from_raw(ptr) });
}

/// Takes back ownership of a handle made by `into_raw_handle`.
///
/// # Safety
/// As for [`free_raw_handle`], and `ptr` is not NULL.
pub(crate) unsafe fn take_raw_handle<H>(ptr: *mut H) -> Box<H> {
    // SAFETY: the caller hands back ownership of a pointer from Box::into_raw.
    unsafe { Box::from_raw(ptr) }
}

/// True when `len` elements of `T` fit in an allocation (at most `isize::MAX`
/// bytes), the precondition of `slice::from_raw_parts`.
fn fits_allocation<T>(len: usize) -> bool {
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
    if ptr.is_null() {
        return if len == 0 {
            Ok(&[])
        } else {
            Err(wsh_result::WSH_INVALID_ARGUMENT)
        };
    }
    if !ptr.is_aligned() || !fits_allocation::<T>(len) {
        return Err(wsh_result::WSH_INVALID_ARGUMENT);
    }
    // SAFETY: non-NULL, aligned, size checked; validity is the caller's promise.
    Ok(unsafe { core::slice::from_raw_parts(ptr, len) })
}

/// Borrows one C input struct; NULL is `WSH_NULL_POINTER`.
///
/// # Safety
/// A non-NULL `ptr` points to a readable, initialized `T` for `'a`.
pub(crate) unsafe fn input_ref<'a, T>(ptr: *const T) -> Result<&'a T, wsh_result> {
    if ptr.is_null() {
        return Err(wsh_result::WSH_NULL_POINTER);
    }
    if !ptr.is_aligned() {
        return Err(wsh_result::WSH_INVALID_ARGUMENT);
    }
    // SAFETY: non-NULL and aligned; readability is the caller's promise.
    Ok(unsafe { &*ptr })
}

/// Borrows C input bytes that must be UTF-8 text (`WSH_INVALID_UTF8` otherwise).
///
/// # Safety
/// As for [`input_slice`].
pub(crate) unsafe fn input_str<'a>(ptr: *const u8, len: usize) -> Result<&'a str, wsh_result> {
    // SAFETY: forwarded from the caller.
    let bytes = unsafe { input_slice(ptr, len) }?;
    core::str::from_utf8(bytes).map_err(|_| wsh_result::WSH_INVALID_UTF8)
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
    if ptr.is_null() {
        return if cap == 0 {
            Ok(&mut [])
        } else {
            Err(wsh_result::WSH_INVALID_ARGUMENT)
        };
    }
    if !fits_allocation::<u8>(cap) {
        return Err(wsh_result::WSH_INVALID_ARGUMENT);
    }
    // SAFETY: non-NULL, size checked; validity and exclusivity are the caller's
    // promise.
    Ok(unsafe { core::slice::from_raw_parts_mut(ptr, cap) })
}

/// True when two byte ranges share at least one byte.
pub(crate) fn overlaps(a: *const u8, a_len: usize, b: *const u8, b_len: usize) -> bool {
    let (a, b) = (a.addr(), b.addr());
    a_len != 0 && b_len != 0 && a < b.saturating_add(b_len) && b < a.saturating_add(a_len)
}

/// A checked, not yet written C output parameter.
///
/// Functions create every `Out` before doing any work (so a NULL output fails
/// the call early) and write them only once the call has succeeded.
pub(crate) struct Out<T>(NonNull<T>);

impl<T> Out<T> {
    /// `WSH_NULL_POINTER` for NULL, `WSH_INVALID_ARGUMENT` when misaligned.
    ///
    /// # Safety
    /// A non-NULL `ptr` is valid for one write of `T` until the call returns.
    pub(crate) unsafe fn new(ptr: *mut T) -> Result<Self, wsh_result> {
        let ptr = NonNull::new(ptr).ok_or(wsh_result::WSH_NULL_POINTER)?;
        if !ptr.as_ptr().is_aligned() {
            return Err(wsh_result::WSH_INVALID_ARGUMENT);
        }
        Ok(Out(ptr))
    }

    /// Writes the output (without reading or dropping what was there).
    pub(crate) fn write(self, value: T) {
        // SAFETY: checked non-NULL and aligned in `new`, whose caller promised it
        // is valid for a write until the call returns.
        unsafe { self.0.as_ptr().write(value) }
    }
}

/// A borrowed byte string as a C pointer and length.
pub(crate) fn ptr_len(bytes: &[u8]) -> (*const u8, usize) {
    (bytes.as_ptr(), bytes.len())
}
