//! # wshandshake-ffi
//!
//! The C library over the `wshandshake` engine: the stable `extern "C"` API
//! (prefix `wsh_`) in [`ffi`], generated into `include/wshandshake.h` by
//! cbindgen in build.rs, and built as `libwshandshake.so.0` and
//! `libwshandshake.a`. This crate holds the workspace's only `unsafe` code.
//!
//! Rust users want the engine crate, `wshandshake`, not this one.
// no_std always, so both builds see the same prelude; `std` (a default
// feature) adds the panic boundary. Without it (the min-size build, which
// must use panic = "abort") the library needs only libc's malloc family.
#![no_std]
#![deny(unsafe_code)]
#![warn(missing_docs)]

extern crate alloc;
#[cfg(any(feature = "std", test))]
extern crate std;

#[allow(unsafe_code)]
// The FFI docs are C documentation copied into the header by cbindgen: C
// examples such as "[::1]:8443" or bare URLs are not rustdoc links.
#[allow(rustdoc::bare_urls, rustdoc::broken_intra_doc_links)]
pub mod ffi;

#[cfg(all(not(feature = "std"), panic = "unwind", not(test)))]
compile_error!(
    "without the `std` feature the library has no panic boundary and needs \
     panic = \"abort\": build it with `--profile min-size --no-default-features`"
);

// The allocator and panic handler of the build without `std`.
#[cfg(all(not(feature = "std"), not(test)))]
#[allow(unsafe_code)]
mod bare_runtime;

/// The repository README's Rust example (it uses the engine, a dependency of
/// this crate), compiled and run as a doctest so it cannot rot.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;
