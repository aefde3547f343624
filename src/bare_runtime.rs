//! What the standard library would otherwise provide, for the build without
//! the `std` feature: a global allocator over libc's malloc family and a panic
//! handler that aborts. That build links no Rust standard library, so it has no
//! panic hook reading `RUST_BACKTRACE` and no backtrace symbolizer opening
//! files: its only imports are the allocator's functions, `abort` and the
//! memory routines the compiler calls (README "Footprint").

use core::alloc::{GlobalAlloc, Layout};
use core::ffi::c_void;

/// malloc's guarantee on every target we build for: 16 bytes on 64-bit glibc,
/// 8 on 32-bit ARM. Larger alignments go through posix_memalign.
const MALLOC_ALIGN: usize = 2 * core::mem::size_of::<usize>();

struct Malloc;

// SAFETY: each method meets GlobalAlloc's contract by the libc function it
// calls: malloc/realloc return blocks aligned to MALLOC_ALIGN (used only when
// the layout asks no more, and, as the standard library does, only when the
// size is at least the alignment), posix_memalign any power-of-two alignment
// of at least a pointer's size, and free accepts what either returned.
unsafe impl GlobalAlloc for Malloc {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        if layout.align() <= MALLOC_ALIGN && layout.align() <= layout.size() {
            // SAFETY: see the impl.
            unsafe { libc::malloc(layout.size()).cast() }
        } else {
            let mut out: *mut c_void = core::ptr::null_mut();
            let align = layout.align().max(core::mem::size_of::<usize>());
            // SAFETY: see the impl; `out` is a valid place for the result.
            match unsafe { libc::posix_memalign(&mut out, align, layout.size()) } {
                0 => out.cast(),
                _ => core::ptr::null_mut(),
            }
        }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, _layout: Layout) {
        // SAFETY: see the impl; `ptr` came from alloc or realloc.
        unsafe { libc::free(ptr.cast()) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        if layout.align() <= MALLOC_ALIGN && layout.align() <= new_size {
            // SAFETY: see the impl; `ptr` came from alloc or realloc.
            unsafe { libc::realloc(ptr.cast(), new_size).cast() }
        } else {
            // The default: a new aligned block, the bytes copied, the old freed.
            // SAFETY: `layout` with `new_size` is valid (GlobalAlloc's contract).
            let new_layout = unsafe { Layout::from_size_align_unchecked(new_size, layout.align()) };
            // SAFETY: see the impl.
            let new = unsafe { self.alloc(new_layout) };
            if !new.is_null() {
                // SAFETY: both blocks hold at least the smaller size and are
                // distinct allocations.
                unsafe {
                    core::ptr::copy_nonoverlapping(ptr, new, layout.size().min(new_size));
                    self.dealloc(ptr, layout);
                }
            }
            new
        }
    }
}

#[global_allocator]
static ALLOCATOR: Malloc = Malloc;

/// The engine has no panic sites (clippy denies them); what remains (core,
/// sha1, base64, httparse) ends the process, as `panic = "abort"` would.
#[panic_handler]
fn panic(_: &core::panic::PanicInfo<'_>) -> ! {
    // SAFETY: abort() has no preconditions.
    unsafe { libc::abort() }
}

/// The precompiled `core` is built to unwind, and its unwind tables name this
/// personality routine. With `panic = "abort"` nothing unwinds, so it is never
/// called; without a definition the library would not link.
#[unsafe(no_mangle)]
extern "C" fn rust_eh_personality() {}
