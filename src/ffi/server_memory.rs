//! A `wsh_server` in memory the caller provides (`wsh_server_size`,
//! `wsh_server_init`): the handle, its field index, head and response buffer
//! in one block, so a handle can live in static or stack memory and nothing is
//! allocated after the config.

use alloc::boxed::Box;
use alloc::sync::Arc;
use core::mem::{MaybeUninit, align_of, size_of};

use super::args::{arg, put};
use super::handle::{Handle, borrow};
use super::server::{ServerState, wsh_server};
use super::server_config::wsh_server_config;
use super::{ffi_boundary, wsh_result};
use wshandshake::{FieldSlot, HandleBuffers, ServerConfig, ServerHandshake};

/// The alignment wsh_server_init() needs for its memory (a multiple of the
/// alignment of every type in the block; 16 on every platform).
pub const WSH_SERVER_ALIGN: usize = 16;

const _: () = assert!(align_of::<wsh_server>() <= WSH_SERVER_ALIGN);
const _: () = assert!(align_of::<FieldSlot>() <= WSH_SERVER_ALIGN);

/// Where the parts of a handle's block start, and its size: the handle, then
/// the field index, the head and the response.
struct Layout {
    slots: (usize, usize),
    head: (usize, usize),
    response: (usize, usize),
    total: usize,
}

impl Layout {
    fn of(config: &ServerConfig) -> Option<Layout> {
        let (head, slots, response) = HandleBuffers::sizes(config);
        let align = align_of::<FieldSlot>();
        let slots_at = size_of::<wsh_server>().checked_add(align - 1)? / align * align;
        let head_at = slots_at.checked_add(slots.checked_mul(size_of::<FieldSlot>())?)?;
        let response_at = head_at.checked_add(head)?;
        let total = response_at.checked_add(response)?;
        (total <= isize::MAX.unsigned_abs()).then_some(Layout {
            slots: (slots_at, slots),
            head: (head_at, head),
            response: (response_at, response),
            total,
        })
    }
}

/// Places a handle for `config` at `mem`.
///
/// # Safety
/// `mem` is valid for writes of `layout.total` bytes, aligned to
/// WSH_SERVER_ALIGN, and stays valid and used by nothing else until the
/// handle is freed (the C contract of wsh_server_init()): that is what the
/// `'static` buffers stand for.
unsafe fn place(config: &Arc<ServerConfig>, mem: *mut u8, layout: &Layout) -> *mut wsh_server {
    // SAFETY: every offset and length is inside the block (Layout::of), the
    // parts do not overlap, and the caller's promise makes the block ours.
    // The slots are written before a reference to them is made; the bytes are
    // zeroed, so no reference covers uninitialized memory.
    unsafe {
        let slots = mem.add(layout.slots.0).cast::<FieldSlot>();
        for i in 0..layout.slots.1 {
            slots.add(i).write(FieldSlot::default());
        }
        let bytes = |(at, len): (usize, usize)| {
            mem.add(at).write_bytes(0, len);
            core::slice::from_raw_parts_mut(mem.add(at), len)
        };
        let buffers = HandleBuffers {
            head: bytes(layout.head),
            spans: core::slice::from_raw_parts_mut(slots, layout.slots.1),
            response: bytes(layout.response),
        };
        let handshake = match ServerHandshake::with_buffers(Arc::clone(config), buffers) {
            Ok(handshake) => handshake,
            // Not reached: the layout gives every buffer its size.
            Err(_) => return core::ptr::null_mut(),
        };
        let handle = mem.cast::<wsh_server>();
        handle.write(wsh_server::wrap(ServerState::new(handshake, true)));
        handle
    }
}

/// Ends a handle from wsh_server_new() or wsh_server_init(); NULL and
/// misaligned pointers are ignored.
///
/// # Safety
/// `ptr` is NULL or a live handle the caller gives up.
pub(crate) unsafe fn free_server(ptr: *mut wsh_server) {
    // SAFETY: forwarded from the caller.
    if unsafe { borrow(ptr.cast_const()) }.is_err() {
        return;
    }
    // SAFETY: a live handle (the caller's promise), moved out once; its memory
    // is not read again as a wsh_server.
    let state = unsafe { ptr.read() }.into_guarded().into_value();
    if !state.placed {
        // SAFETY: made by Box::into_raw in wsh_server_new; MaybeUninit frees
        // the memory without dropping the value moved out above.
        drop(unsafe { Box::from_raw(ptr.cast::<MaybeUninit<wsh_server>>()) });
    }
    drop(state);
}

/// The number of bytes wsh_server_init() needs for a handle of `config`: the
/// handle, its field index (max_headers entries), its head buffer
/// (max_head_bytes) and its response buffer (the response capacity).
///
/// Returns the size, or 0 for a NULL config. Safe to call from any thread.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wsh_server_size(config: *const wsh_server_config) -> usize {
    ffi_boundary! {
        let config = arg!(borrow config, or 0);
        Layout::of(&config.config).map_or(0, |l| l.total)
    }
}

/// Makes a server handshake handle in memory the caller provides: static,
/// stack or pool memory, so that nothing is allocated after the config.
/// The handle behaves as one from wsh_server_new(), and is ended with
/// wsh_server_free(), which leaves the memory to the caller. Its only
/// allocation is the offer index that the first list accessor after a head
/// builds (wsh_server_subprotocol_count(), wsh_server_extension_at(), ...);
/// feeding, inspecting single fields, accepting, rejecting and sending never
/// allocate.
///
/// `config`: borrowed for the call; the handle keeps its own reference.
/// `mem`, `len`: at least wsh_server_size(config) bytes, aligned to
/// WSH_SERVER_ALIGN; its contents need not be initialized. The memory must
/// stay valid, and be used for nothing else, until wsh_server_free() on the
/// handle.
/// `out`: on WSH_OK receives the handle, which points into `mem`.
///
/// Returns WSH_OK; WSH_NULL_POINTER when `config`, `mem` or `out` is NULL;
/// WSH_INVALID_ARGUMENT when `mem` is not aligned to WSH_SERVER_ALIGN;
/// WSH_BUFFER_TOO_SMALL when `len` is below wsh_server_size(config).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wsh_server_init(
    config: *const wsh_server_config,
    mem: *mut u8,
    len: usize,
    out: *mut *mut wsh_server,
) -> wsh_result {
    ffi_boundary! {
        let config = arg!(borrow config);
        let out = arg!(out out);
        let Some(layout) = Layout::of(&config.config) else {
            return wsh_result::WSH_INVALID_CONFIG;
        };
        if mem.is_null() {
            return wsh_result::WSH_NULL_POINTER;
        }
        if !mem.addr().is_multiple_of(WSH_SERVER_ALIGN) {
            return wsh_result::WSH_INVALID_ARGUMENT;
        }
        if len < layout.total {
            return wsh_result::WSH_BUFFER_TOO_SMALL;
        }
        // `len` writable bytes at `mem`, kept for the handle (the C contract),
        // checked above to be non-NULL, aligned and large enough.
        let handle = arg!(run place, &config.config, mem, &layout);
        if handle.is_null() {
            return wsh_result::WSH_PANIC;
        }
        put(out, Ok(handle))
    }
}
