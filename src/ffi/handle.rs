//! Opaque handles: the state behind each C handle type, its poison flag, and
//! how a raw handle pointer is entered, boxed and freed.

use alloc::boxed::Box;
use core::cell::UnsafeCell;
use core::sync::atomic::{AtomicBool, Ordering};

use super::wsh_result;

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
    pub(crate) fn new(value: T) -> Self {
        Guarded {
            poisoned: AtomicBool::new(false),
            #[cfg(test)]
            panic_on_entry: AtomicBool::new(false),
            value: UnsafeCell::new(value),
        }
    }

    /// The state, unless a panic poisoned it.
    pub(crate) fn into_inner(self) -> Result<T, wsh_result> {
        match self.poisoned.into_inner() {
            true => Err(wsh_result::WSH_POISONED),
            false => Ok(self.value.into_inner()),
        }
    }

    /// The state, poisoned or not (for freeing).
    pub(crate) fn into_value(self) -> T {
        self.value.into_inner()
    }

    /// The poison guard of one call, or `WSH_POISONED`.
    fn check_entry(&self) -> Result<PoisonOnUnwind<'_>, wsh_result> {
        if self.poisoned.load(Ordering::Relaxed) {
            return Err(wsh_result::WSH_POISONED);
        }
        #[cfg(test)]
        if self.panic_on_entry.swap(false, Ordering::Relaxed) {
            let _guard = PoisonOnUnwind(&self.poisoned);
            // resume_unwind skips the panic hook: the test output stays quiet.
            std::panic::resume_unwind(Box::new("wsh test hook: panic on entry"));
        }
        Ok(PoisonOnUnwind(&self.poisoned))
    }

    /// Shared access to the state, or `WSH_POISONED`.
    ///
    /// # Safety
    /// No call that mutates the state is inside the handle meanwhile.
    pub(crate) unsafe fn enter(&self) -> Result<Entered<'_, &T>, wsh_result> {
        let guard = self.check_entry()?;
        // SAFETY: no `&mut` to the state is live (the caller's promise).
        let value = unsafe { &*self.value.get() };
        Ok(Entered {
            value,
            _guard: guard,
        })
    }

    #[cfg(test)]
    pub(crate) fn panic_on_next_entry(&self) {
        self.panic_on_entry.store(true, Ordering::Relaxed);
    }
}

/// Marks a handle poisoned when dropped during a panic.
#[cfg_attr(not(feature = "std"), allow(dead_code))]
pub(crate) struct PoisonOnUnwind<'a>(&'a AtomicBool);

impl Drop for PoisonOnUnwind<'_> {
    fn drop(&mut self) {
        // Without `std` a panic aborts: no destructor runs during one.
        #[cfg(feature = "std")]
        if std::thread::panicking() {
            self.0.store(true, Ordering::Relaxed);
        }
    }
}

/// Access to a handle's state for the length of one call (`R` is `&T` or
/// `&mut T`), poisoning the handle if the call panics.
pub(crate) struct Entered<'a, R> {
    value: R,
    _guard: PoisonOnUnwind<'a>,
}

impl<'a, T> Entered<'a, &'a T> {
    /// The state, for as long as the handle lives (borrowed views handed to C
    /// outlive this guard; their lifetime is the C contract's business).
    pub(crate) fn get(&self) -> &'a T {
        self.value
    }
}

impl<T> core::ops::Deref for Entered<'_, &T> {
    type Target = T;
    fn deref(&self) -> &T {
        self.value
    }
}

impl<T> core::ops::Deref for Entered<'_, &mut T> {
    type Target = T;
    fn deref(&self) -> &T {
        self.value
    }
}

impl<T> core::ops::DerefMut for Entered<'_, &mut T> {
    fn deref_mut(&mut self) -> &mut T {
        self.value
    }
}

/// An opaque C handle type whose state is guarded against panics: made from
/// its state, and giving it back.
pub(crate) trait Handle: Sized {
    /// The Rust state behind the handle.
    type State;
    /// The guarded state.
    fn guarded(&self) -> &Guarded<Self::State>;
    /// A handle around `state`.
    fn wrap(state: Self::State) -> Self;
    /// The guarded state, the handle given up.
    fn into_guarded(self) -> Guarded<Self::State>;
}

/// Declares an opaque handle struct (written out above it for cbindgen, with a
/// single field `state: Guarded<State>`) a [`Handle`], with its test hook.
macro_rules! handle_type {
    ($($handle:ident => $state:ty),* $(,)?) => {$(
        impl $crate::ffi::handle::Handle for $handle {
            type State = $state;
            fn guarded(&self) -> &$crate::ffi::handle::Guarded<$state> {
                &self.state
            }
            fn wrap(state: $state) -> Self {
                $handle { state: $crate::ffi::handle::Guarded::new(state) }
            }
            fn into_guarded(self) -> $crate::ffi::handle::Guarded<$state> {
                self.state
            }
        }
        impl $handle {
            /// Test hook: the next call entering this handle panics inside the boundary.
            #[cfg(test)]
            pub(crate) fn panic_on_next_call(&self) {
                self.state.panic_on_next_entry();
            }
        }
    )*};
}
pub(crate) use handle_type;

/// Moves a new handle around `state` to the heap and returns the pointer C holds.
pub(crate) fn into_raw<H: Handle>(state: H::State) -> *mut H {
    Box::into_raw(Box::new(H::wrap(state)))
}

/// Checks a pointer to one `T` (a handle, or an input struct) and borrows it:
/// NULL is `WSH_NULL_POINTER`, a misaligned pointer `WSH_INVALID_ARGUMENT`.
///
/// # Safety
/// A non-NULL `ptr` points to a live, readable `T` for `'a`.
pub(crate) unsafe fn borrow<'a, T>(ptr: *const T) -> Result<&'a T, wsh_result> {
    if ptr.is_null() {
        return Err(wsh_result::WSH_NULL_POINTER);
    }
    if !ptr.is_aligned() {
        return Err(wsh_result::WSH_INVALID_ARGUMENT);
    }
    // SAFETY: non-NULL and aligned; liveness is the caller's promise. Only a
    // shared reference is made: a handle's state is in an UnsafeCell.
    Ok(unsafe { &*ptr })
}

/// Enters a handle for a call that mutates it.
///
/// # Safety
/// `ptr` is NULL or a live handle, and no other call is inside the same handle
/// (the one-thread-at-a-time contract).
pub(crate) unsafe fn enter_mut<'a, H: Handle + 'a>(
    ptr: *mut H,
) -> Result<Entered<'a, &'a mut H::State>, wsh_result> {
    // SAFETY: forwarded from the caller.
    let guarded = unsafe { borrow(ptr.cast_const()) }?.guarded();
    let guard = guarded.check_entry()?;
    // SAFETY: exclusive: no other call is inside the handle (the caller's
    // promise); the pointer comes from the UnsafeCell.
    let value = unsafe { &mut *guarded.value.get() };
    Ok(Entered {
        value,
        _guard: guard,
    })
}

/// Enters a handle for a call that only reads it.
///
/// # Safety
/// As for [`enter_mut`].
pub(crate) unsafe fn enter<'a, H: Handle + 'a>(
    ptr: *const H,
) -> Result<Entered<'a, &'a H::State>, wsh_result> {
    // SAFETY: forwarded from the caller (both calls).
    unsafe { borrow(ptr)?.guarded().enter() }
}

/// Takes back a handle made by [`into_raw`]: `WSH_NULL_POINTER` for NULL.
///
/// # Safety
/// `ptr` is NULL or a live handle from [`into_raw`], not used afterwards.
pub(crate) unsafe fn take<H>(ptr: *mut H) -> Result<H, wsh_result> {
    // SAFETY: forwarded from the caller.
    unsafe { borrow(ptr.cast_const()) }?;
    // SAFETY: the caller hands back ownership of a pointer from Box::into_raw.
    Ok(*unsafe { Box::from_raw(ptr) })
}
