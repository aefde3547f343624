//! The stable C ABI (prefix `wsh_`), generated into `include/wshandshake.h` by
//! cbindgen. This is the only module with `unsafe` code.
//!
//! One file per C type family: `result` (result codes), `version`,
//! `accept_key`, `limits`, `deflate`, `bytes` (byte strings and header fields
//! passed in), `server_config` (builder and shared config), `decision`,
//! `server` (the handshake handle), `one_shot` (`wsh_respond`), `client_config`
//! (client builder, config, deflate offer, limits), `client` (the client
//! handle), `extended_connect` (field lists and constants shared by both sides
//! of WebSocket over HTTP/2 and HTTP/3), `connect_server`, `connect_client`. A
//! new family gets its own file and reuses the shared helpers: `args` (checked
//! arguments and outputs: the one place raw pointers become references, with
//! the safety argument), `handle` (opaque handles and their poison flag),
//! `accessor` (the shared bodies of the handle accessors, feed and decision
//! calls of server and client), `builder` (the config builders' shared setter
//! and build step), `outgoing` (the bytes a server or client handle has to
//! send, and their drain call), `result_table` (what the one table of result
//! codes in `result` expands to), and in `bytes` the readers of header lists
//! and string lists shared by server, client and extended CONNECT.
//!
//! Rules every exported function follows (tests/ffi_source_rules.rs checks the
//! mechanical ones on the source text):
//! - its body is exactly one `ffi_boundary!` invocation, so no panic crosses
//!   into C: a panic returns the return type's fallback ([`PanicFallback`]) and
//!   poisons the handle being used;
//! - its signature has raw pointers only (never `&T`/`&mut T`), checked with
//!   `arg!`: NULL handle or output -> `WSH_NULL_POINTER`; `(NULL, n > 0)`
//!   input -> `WSH_INVALID_ARGUMENT`; `(NULL, 0)` is empty;
//! - outputs are written only once the call has succeeded (`Out` is validated
//!   first and written last);
//! - `unsafe` blocks live in the shared helpers, each with its `SAFETY:`
//!   comment (clippy enforces it), not in the exported functions;
//! - no global state, no I/O, no environment reads.
#![allow(non_camel_case_types)]
// The C contract of each function is in its doc comment (parameters, ownership,
// lifetimes) rather than in a Rust `# Safety` heading: those docs are the header.
#![allow(clippy::missing_safety_doc)]
#![warn(clippy::undocumented_unsafe_blocks)]

// The order of these modules is the order of the header's sections (cbindgen
// follows it); the comments keep rustfmt from sorting them.

// Library version and result codes.
pub mod version;
// (keep order)
pub mod result;
// (keep order)
pub(crate) mod result_table;
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
pub mod server_memory;
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

// Shared helpers (no exported items): checked arguments and outputs, handles,
// builders.
pub(crate) mod accessor;
pub(crate) mod args;
pub(crate) mod builder;
pub(crate) mod handle;
pub(crate) mod outgoing;

// The panic tests need the boundary, which is the `std` feature.
#[cfg(all(test, feature = "std"))]
mod tests;

pub use result::wsh_result;

/// Runs the body of an exported function and stops any panic at the C boundary.
///
/// Write it as the whole body of the function, so that cbindgen still sees a
/// plain signature:
///
/// ```ignore
/// pub unsafe extern "C" fn wsh_thing_do(thing: *mut wsh_thing) -> wsh_result {
///     ffi_boundary! {
///         let thing = arg!(mut thing);
///         ...
///     }
/// }
/// ```
///
/// The body runs in a closure: `return` (and [`try_ffi!`](args::try_ffi)) leave
/// the body with a value of the function's return type. On a panic the function
/// returns [`PanicFallback::panic_fallback`] for that type (`WSH_PANIC`, NULL,
/// false, 0), and any handle entered with [`arg!`](args::arg) is poisoned by its
/// guard while the panic unwinds.
///
/// Without the `std` feature the build aborts on panic, so there is nothing to
/// catch: the body just runs (still as a closure, for its `return`s).
#[cfg(feature = "std")]
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
#[cfg(not(feature = "std"))]
macro_rules! ffi_boundary {
    ($($body:tt)*) => {{
        #[allow(clippy::redundant_closure_call)]
        let value = (|| { $($body)* })();
        value
    }};
}
pub(crate) use ffi_boundary;

/// The value an exported function returns when its body panicked.
pub trait PanicFallback {
    /// `WSH_PANIC` for results, NULL for pointers, false, 0, or nothing.
    fn panic_fallback() -> Self;
}

/// `PanicFallback` for types whose fallback is their `Default` (false, 0, ()).
macro_rules! default_fallback {
    ($($t:ty),*) => {$(
        impl PanicFallback for $t {
            fn panic_fallback() -> Self {
                <$t>::default()
            }
        }
    )*};
}
default_fallback!((), bool, u16, usize);

impl PanicFallback for wsh_result {
    fn panic_fallback() -> Self {
        wsh_result::WSH_PANIC
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
#[cfg(feature = "std")]
pub fn discard_panic(payload: alloc::boxed::Box<dyn core::any::Any + Send>) {
    use std::panic::{AssertUnwindSafe, catch_unwind};
    if let Err(again) = catch_unwind(AssertUnwindSafe(move || drop(payload))) {
        core::mem::forget(again);
    }
}

/// A borrowed byte string as a C pointer and length.
pub(crate) fn ptr_len(bytes: &[u8]) -> (*const u8, usize) {
    (bytes.as_ptr(), bytes.len())
}
