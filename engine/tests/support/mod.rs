//! Invariant checkers shared by the stable tests (`tests/fuzz_smoke.rs`,
//! `tests/properties.rs`, `tests/regressions.rs`) and the cargo-fuzz targets in
//! `fuzz/fuzz_targets/`, which include this directory with
//! `#[path = "../../tests/support/mod.rs"] mod support;`.
//!
//! Everything here depends on `wshandshake` and `std` only, and re-derives the
//! rules it checks (HTTP syntax, RFC 6455 §4.2.1, SHA-1, base64) without the
//! engine's code, so that the engine is judged by an independent reading.
//!
//! Generic pieces (`rng`, `chunking`, `http_check`, `mutate`) are meant for
//! every target; a new target (client feed, extended CONNECT, FFI) adds one
//! checker module here and one small file in `fuzz/fuzz_targets/`.
#![allow(dead_code)]

pub mod chunking;
pub mod client_check;
pub mod grammar_check;
pub mod http_check;
pub mod mutate;
pub mod rfc6455;
pub mod rng;
pub mod server_check;
