//! The shared bodies of the server and client handle calls: reading
//! accessors, feeding bytes, and the decision so far. Each one enters the
//! handle first, then checks the outputs, and writes them only when the call
//! succeeds, so every accessor checks its arguments in the same order.
//!
//! These helpers are `unsafe fn`s whose only requirement is the C contract
//! (module docs of ffi::args) for the arguments they get: exported functions
//! call them with `arg!(run ..)` on their own parameters.

use super::args::{Out, OutBytes, Sink, arg, put, try_ffi};
use super::handle::Handle;
use super::wsh_result;
use wshandshake::UsageError;

/// A C output as passed in, as raw pointers: checked before any work (NULL
/// is WSH_NULL_POINTER), written with a `V` on success.
pub(crate) trait RawOut<V> {
    /// The checked output.
    type Checked: Sink<V>;
    /// Checks the pointers.
    ///
    /// # Safety
    /// The C contract for each output pointer.
    unsafe fn check(self) -> Result<Self::Checked, wsh_result>;
}

/// One value.
impl<T> RawOut<T> for *mut T {
    type Checked = Out<T>;
    unsafe fn check(self) -> Result<Out<T>, wsh_result> {
        Ok(arg!(out self))
    }
}

/// A byte string: `(data, len)`.
impl RawOut<&[u8]> for (*mut *const u8, *mut usize) {
    type Checked = OutBytes;
    unsafe fn check(self) -> Result<OutBytes, wsh_result> {
        Ok(arg!(out self.0, self.1))
    }
}

/// Two outputs written together (a field's name and value).
impl<A: RawOut<VA>, B: RawOut<VB>, VA, VB> RawOut<(VA, VB)> for (A, B) {
    type Checked = (A::Checked, B::Checked);
    unsafe fn check(self) -> Result<Self::Checked, wsh_result> {
        Ok((arg!(call A::check, self.0), arg!(call B::check, self.1)))
    }
}

/// The body of a reading accessor: enters `handle` for reading, checks `out`,
/// and writes what `read` finds (nothing when it returns an error).
///
/// # Safety
/// The C contract for `handle` and `out`.
pub(crate) unsafe fn read<'a, H: Handle + 'a, V>(
    handle: *const H,
    out: impl RawOut<V>,
    read: impl FnOnce(&'a H::State) -> Result<V, wsh_result>,
) -> wsh_result {
    let state = arg!(ref handle);
    let out = arg!(call RawOut::check, out);
    put(out, read(state.get()))
}

/// The body of the by-name header accessors: `find` looks up the `nth`
/// field named `name` (see [`nth_named`]).
///
/// # Safety
/// The C contract for every pointer argument.
pub(crate) unsafe fn read_named<'a, H: Handle + 'a>(
    handle: *const H,
    name: *const u8,
    name_len: usize,
    nth: usize,
    value: *mut *const u8,
    value_len: *mut usize,
    find: impl FnOnce(&'a H::State, &[u8], usize) -> Result<&'a [u8], wsh_result>,
) -> wsh_result {
    let state = arg!(ref handle);
    let name = arg!(slice name, name_len);
    let value = arg!(out value, value_len);
    put(value, find(state.get(), name, nth))
}

/// The value of the `nth` field named `name` (ASCII case-insensitively) in a
/// list of fields; WSH_NOT_FOUND when there are not that many.
pub(crate) fn nth_named<'a>(
    fields: impl Iterator<Item = (&'a str, &'a [u8])>,
    name: &[u8],
    nth: usize,
) -> Result<&'a [u8], wsh_result> {
    let mut same_name = fields.filter(|(n, _)| n.as_bytes().eq_ignore_ascii_case(name));
    same_name
        .nth(nth)
        .map(|(_, v)| v)
        .ok_or(wsh_result::WSH_NOT_FOUND)
}

/// The value of the by-index header accessors: the field's name and value as
/// byte strings, WSH_OUT_OF_RANGE past the last field.
pub(crate) fn field_bytes<'a>(
    field: Option<(&'a str, &'a [u8])>,
) -> Result<(&'a [u8], &'a [u8]), wsh_result> {
    let field = field.map(|(name, value)| (name.as_bytes(), value));
    field.ok_or(wsh_result::WSH_OUT_OF_RANGE)
}

/// A handshake that decides from the bytes fed to it: the server's and the
/// client's.
pub(crate) trait Decides {
    /// The engine's decision.
    type Outcome: Copy;
    /// The C enum for it.
    type Decision: From<Self::Outcome>;
    /// Feeds bytes: how many were taken, and the decision so far.
    fn feed_bytes(&mut self, data: &[u8]) -> Result<(usize, Self::Outcome), UsageError>;
    /// The decision so far.
    fn decision(&self) -> Self::Outcome;
    /// The result code that goes with a decision (WSH_NEED_MORE, WSH_OK, or
    /// the peer's error).
    fn result_of(outcome: Self::Outcome) -> wsh_result;
}

/// The decision type of a handle's handshake.
pub(crate) type DecisionOf<H> = <<H as Handle>::State as Decides>::Decision;

/// The body of wsh_server_feed() and wsh_client_feed(): both outputs are
/// written whenever the bytes were fed.
///
/// # Safety
/// The C contract for every argument.
pub(crate) unsafe fn feed<H: Handle<State: Decides>>(
    handle: *mut H,
    data: *const u8,
    len: usize,
    consumed: *mut usize,
    decision: *mut DecisionOf<H>,
) -> wsh_result {
    let mut state = arg!(mut handle);
    let data = arg!(slice data, len);
    let outs = (arg!(out consumed), arg!(out decision));
    let (taken, outcome) = try_ffi!(state.feed_bytes(data));
    outs.put((taken, outcome.into()));
    H::State::result_of(outcome)
}

/// The body of wsh_server_decision() and wsh_client_outcome().
///
/// # Safety
/// The C contract for both arguments.
pub(crate) unsafe fn decision_so_far<H: Handle<State: Decides>>(
    handle: *const H,
    decision: *mut DecisionOf<H>,
) -> wsh_result {
    let state = arg!(ref handle);
    let outcome = state.decision();
    arg!(out decision).write(outcome.into());
    H::State::result_of(outcome)
}
