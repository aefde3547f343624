//! Counts the bytes handed to the list grammars (token lists, comma lists,
//! extension elements and their parameters), for the work-counting tests of
//! hostile lists: each grammar reads its input in one forward pass, so the
//! bytes handed to them bound the work, and a rescan (the ReDoS and
//! re-parse bugs of other projects) shows up as a count above the input's
//! length. Counts only with the hidden `grammar-work` feature (the engine's
//! own tests turn it on); otherwise every call is empty and compiles away.

#[cfg(all(feature = "grammar-work", target_has_atomic = "ptr"))]
static HANDED: core::sync::atomic::AtomicUsize = core::sync::atomic::AtomicUsize::new(0);

/// Records that a grammar starts reading `len` bytes.
#[inline(always)]
pub(crate) fn start(len: usize) {
    // A load and a store, not fetch_add: plain moves, no locked instruction
    // on the hot path of the builds that carry the feature (the benchmark's
    // among them). Threads counting at once may lose counts; the one test
    // that reads it runs alone.
    #[cfg(all(feature = "grammar-work", target_has_atomic = "ptr"))]
    {
        use core::sync::atomic::Ordering::Relaxed;
        HANDED.store(HANDED.load(Relaxed).wrapping_add(len), Relaxed);
    }
    let _ = len;
}

/// Bytes handed to the list grammars so far.
#[cfg(all(feature = "grammar-work", target_has_atomic = "ptr"))]
pub(crate) fn handed() -> usize {
    HANDED.load(core::sync::atomic::Ordering::Relaxed)
}
