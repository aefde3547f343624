//! The shared half of the server and client config builders: setters that keep
//! the builder unchanged on a refused value, and the build step.

use alloc::boxed::Box;
use alloc::sync::Arc;

use super::args::{Out, arg, put, try_ffi};
use super::handle::{Entered, Handle};
use super::wsh_result;
use wshandshake::{
    ClientConfig, ClientConfigBuilder, ServerConfig, ServerConfigBuilder, UsageError,
};

/// An engine config builder.
pub(crate) trait Builder: Clone {
    /// What it builds.
    type Config;
    /// Builds it, or reports the first invalid value.
    fn build(self) -> Result<Self::Config, UsageError>;
}

impl Builder for ServerConfigBuilder {
    type Config = ServerConfig;
    fn build(self) -> Result<ServerConfig, UsageError> {
        ServerConfigBuilder::build(self)
    }
}

impl Builder for ClientConfigBuilder {
    type Config = ClientConfig;
    fn build(self) -> Result<ClientConfig, UsageError> {
        ClientConfigBuilder::build(self)
    }
}

/// Applies one setter to a copy of the builder and keeps the copy only when the
/// value was valid, so a refused value leaves the builder unchanged.
pub(crate) fn set<B: Builder>(
    mut builder: Entered<&mut B>,
    change: impl FnOnce(B) -> B,
) -> wsh_result {
    let candidate = change(builder.clone());
    // Setters record their first invalid value, which build() reports; building
    // a throwaway copy is how to learn it now (configs are built rarely).
    match candidate.clone().build() {
        Ok(_) => {
            *builder = candidate;
            wsh_result::WSH_OK
        }
        Err(e) => e.into(),
    }
}

/// The body of a setter whose value is text: the text is checked (bytes that
/// are not UTF-8 give `not_utf8`) before the builder is entered, then applied
/// as [`set`] does.
///
/// # Safety
/// The C contract (module docs of ffi::args) for every pointer argument.
pub(crate) unsafe fn set_text<H: Handle<State: Builder>>(
    builder: *mut H,
    text: *const u8,
    len: usize,
    not_utf8: wsh_result,
    change: impl FnOnce(H::State, &str) -> H::State,
) -> wsh_result {
    let text = arg!(text text, len, not_utf8);
    set(arg!(mut builder), |b| change(b, text))
}

/// The body of a setter whose value is a C struct: the struct is read and
/// converted (an error leaves the builder unchanged) before the builder is
/// entered, then applied as [`set`] does.
///
/// # Safety
/// The C contract (module docs of ffi::args) for both pointers.
pub(crate) unsafe fn set_from<H: Handle<State: Builder>, T: Copy, V>(
    builder: *mut H,
    value: *const T,
    convert: impl FnOnce(T) -> Result<V, wsh_result>,
    change: impl FnOnce(H::State, V) -> H::State,
) -> wsh_result {
    let value = try_ffi!(convert(*arg!(borrow value)));
    set(arg!(mut builder), |b| change(b, value))
}

/// Builds the config of a builder handle taken back from C (consumed whatever
/// the result) and writes the new config handle, owned by the caller, to `out`.
pub(crate) fn build<H, C>(
    builder: H,
    out: Out<*const C>,
    wrap: fn(Arc<<H::State as Builder>::Config>) -> C,
) -> wsh_result
where
    H: Handle,
    H::State: Builder,
{
    let built = builder
        .into_guarded()
        .into_inner()
        .and_then(|b| b.build().map_err(wsh_result::from));
    put(
        out,
        built.map(|config| Box::into_raw(Box::new(wrap(Arc::new(config)))).cast_const()),
    )
}
