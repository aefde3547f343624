//! The engine on a Cortex-M4 without an operating system: answers the RFC 6455
//! sample request (§1.3) with `wshandshake::respond` and a stack buffer, checks
//! the 101 byte for byte, prints it and what the run used (heap, stack) through
//! semihosting, and exits with a semihosting status (0 = pass).
//!
//! Everything a runtime crate would bring is here, briefly: the vector table,
//! the reset code (FPU on, .data copied, .bss zeroed), a bump allocator over a
//! static array, the panic handler and the semihosting calls.
#![no_std]
#![no_main]

extern crate alloc;

use core::alloc::{GlobalAlloc, Layout};
use core::cell::UnsafeCell;
use core::sync::atomic::{AtomicUsize, Ordering};
use wshandshake::ServerConfig;

const REQUEST: &[u8] = b"GET /chat HTTP/1.1\r\nHost: server.example.com\r\nUpgrade: websocket\r\n\
Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\
Origin: http://example.com\r\nSec-WebSocket-Protocol: chat, superchat\r\n\
Sec-WebSocket-Version: 13\r\n\r\n";
/// RFC 6455 §1.3's response to that request, to the byte.
const EXPECTED: &[u8] = b"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n\
Connection: Upgrade\r\nSec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n\
Sec-WebSocket-Protocol: chat\r\n\r\n";

#[unsafe(no_mangle)]
extern "C" fn rust_main() -> ! {
    let stack_before = paint_stack();
    let passed = check();
    let stack_used = stack_used(stack_before);
    let mut line = Line::new();
    line.push(b"heap used: ")
        .number(HEAP.used())
        .push(b" bytes; stack used: ");
    line.number(stack_used).push(b" bytes\n");
    print(line.as_bytes());
    exit(passed)
}

fn check() -> bool {
    let Ok(config) = ServerConfig::builder().subprotocols(["chat"]).build() else {
        print(b"FAIL: the server config did not build\n");
        return false;
    };
    let mut out = [0u8; 512];
    let response = match wshandshake::respond(&config, REQUEST, &mut out) {
        Ok(response) => response,
        Err(_) => {
            print(b"FAIL: respond refused the call\n");
            return false;
        }
    };
    let written = out.get(..response.response_len).unwrap_or_default();
    print(written);
    if written == EXPECTED
        && response.consumed == REQUEST.len()
        && response.subprotocol == Some("chat")
    {
        print(b"PASS: thumbv7em-none-eabihf 101 is RFC 6455 section 1.3 byte for byte\n");
        true
    } else {
        print(b"FAIL: the response differs from RFC 6455 section 1.3\n");
        false
    }
}

// ------------------------------------------------------------ semihosting ---

const SYS_WRITE0: usize = 0x04;
const SYS_EXIT: usize = 0x18;
const ADP_STOPPED_APPLICATION_EXIT: usize = 0x20026;
const ADP_STOPPED_RUN_TIME_ERROR: usize = 0x20023;

/// One semihosting call: BKPT 0xAB with the operation in r0 and its argument in
/// r1 (Arm's semihosting specification).
fn semihosting(operation: usize, argument: usize) -> usize {
    let mut r0 = operation;
    // SAFETY: under QEMU's -semihosting the BKPT traps to the host, which
    // performs the operation and returns in r0. The callers pass for r1 either a
    // plain value (SYS_EXIT) or a pointer to a NUL-terminated buffer that lives
    // across the call (SYS_WRITE0); the host only reads it. Without semihosting
    // the BKPT faults and the fault handler stops the program.
    unsafe { core::arch::asm!("bkpt #0xab", inout("r0") r0, in("r1") argument, options(nostack)) };
    r0
}

fn print(bytes: &[u8]) {
    let mut chunk = [0u8; 129];
    for piece in bytes.chunks(128) {
        let (text, nul) = chunk.split_at_mut(piece.len());
        text.copy_from_slice(piece);
        if let Some(end) = nul.first_mut() {
            *end = 0;
        }
        semihosting(SYS_WRITE0, chunk.as_ptr() as usize);
    }
}

fn exit(passed: bool) -> ! {
    let reason = if passed {
        ADP_STOPPED_APPLICATION_EXIT
    } else {
        ADP_STOPPED_RUN_TIME_ERROR
    };
    loop {
        semihosting(SYS_EXIT, reason);
    }
}

/// A line of text built without allocating.
struct Line {
    bytes: [u8; 96],
    len: usize,
}

impl Line {
    fn new() -> Line {
        Line {
            bytes: [0; 96],
            len: 0,
        }
    }
    fn push(&mut self, text: &[u8]) -> &mut Line {
        for &b in text {
            if let Some(slot) = self.bytes.get_mut(self.len) {
                *slot = b;
                self.len += 1;
            }
        }
        self
    }
    fn number(&mut self, mut n: usize) -> &mut Line {
        let mut digits = [0u8; 10];
        let mut i = digits.len();
        loop {
            i -= 1;
            digits[i] = b'0' + (n % 10) as u8;
            n /= 10;
            if n == 0 || i == 0 {
                break;
            }
        }
        self.push(&digits[i..])
    }
    fn as_bytes(&self) -> &[u8] {
        self.bytes.get(..self.len).unwrap_or_default()
    }
}

// ------------------------------------------------------------------ heap ----

const HEAP_SIZE: usize = 64 * 1024;

/// Hands out memory from a static array and never reuses it: enough for one
/// config and one handshake, and it counts what they took.
struct BumpHeap {
    memory: UnsafeCell<[u8; HEAP_SIZE]>,
    next: AtomicUsize,
}

// SAFETY: `next` is advanced with compare-exchange, so each byte of `memory` is
// handed out at most once and no two allocations alias.
unsafe impl Sync for BumpHeap {}

impl BumpHeap {
    fn used(&self) -> usize {
        self.next.load(Ordering::Relaxed)
    }
}

// SAFETY: alloc returns a block of `layout.size()` bytes at `layout.align()`
// inside `memory`, never handed out before (see Sync above), or null when the
// array is used up; dealloc keeps the block out of use.
unsafe impl GlobalAlloc for BumpHeap {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let base = self.memory.get() as usize;
        let mut next = self.next.load(Ordering::Relaxed);
        loop {
            let start = (base + next).next_multiple_of(layout.align()) - base;
            let Some(end) = start
                .checked_add(layout.size())
                .filter(|&end| end <= HEAP_SIZE)
            else {
                return core::ptr::null_mut();
            };
            match self
                .next
                .compare_exchange(next, end, Ordering::Relaxed, Ordering::Relaxed)
            {
                Ok(_) => return (base + start) as *mut u8,
                Err(seen) => next = seen,
            }
        }
    }
    unsafe fn dealloc(&self, _block: *mut u8, _layout: Layout) {}
}

#[global_allocator]
static HEAP: BumpHeap = BumpHeap {
    memory: UnsafeCell::new([0; HEAP_SIZE]),
    next: AtomicUsize::new(0),
};

// ----------------------------------------------------------------- stack ----

const STACK_PAINT: usize = 32 * 1024;
const PAINT: u32 = 0xDEAD_BEEF;

/// Fills the STACK_PAINT bytes below the caller's stack with PAINT; returns the
/// address where the painted area ends (its top).
#[inline(never)]
fn paint_stack() -> usize {
    let top = stack_pointer() - 256;
    let bottom = top - STACK_PAINT;
    for word in (bottom..top).step_by(4) {
        // SAFETY: [bottom, top) is unused RAM below the live stack (the stack
        // grows down from the top of RAM, the statics sit at its bottom, far
        // below), written before anything runs that could use it.
        unsafe { core::ptr::write_volatile(word as *mut u32, PAINT) };
    }
    top
}

/// How many painted bytes below `top` were overwritten since paint_stack().
fn stack_used(top: usize) -> usize {
    let bottom = top - STACK_PAINT;
    let lowest_touched = (bottom..top)
        .step_by(4)
        // SAFETY: the same painted words, read back.
        .find(|&word| unsafe { core::ptr::read_volatile(word as *const u32) } != PAINT)
        .unwrap_or(top);
    top - lowest_touched + 256
}

fn stack_pointer() -> usize {
    let sp: usize;
    // SAFETY: reads the stack pointer register; no memory is touched.
    unsafe { core::arch::asm!("mov {}, sp", out(reg) sp, options(nomem, nostack)) };
    sp
}

// ------------------------------------------------------- start-up, faults ---

#[panic_handler]
fn panic(_: &core::panic::PanicInfo) -> ! {
    print(b"FAIL: panic\n");
    exit(false)
}

unsafe extern "C" fn fault() -> ! {
    print(b"FAIL: fault exception\n");
    exit(false)
}

unsafe extern "C" {
    fn reset() -> !;
    static _stack_top: u32;
}

/// The Cortex-M vector table: the initial stack pointer, then the reset
/// handler and the 14 system exceptions (all faults end the run).
#[repr(C)]
pub struct VectorTable {
    initial_stack_pointer: *const u32,
    reset: unsafe extern "C" fn() -> !,
    exceptions: [unsafe extern "C" fn() -> !; 14],
}

// SAFETY: the table is read-only data that the hardware reads at reset.
unsafe impl Sync for VectorTable {}

#[unsafe(link_section = ".vector_table")]
#[unsafe(no_mangle)]
pub static VECTOR_TABLE: VectorTable = VectorTable {
    initial_stack_pointer: &raw const _stack_top,
    reset,
    exceptions: [fault; 14],
};

// Reset: the FPU on (full access to CP10/CP11) before any code may use it,
// .data copied from its load address, .bss zeroed, then rust_main.
core::arch::global_asm!(
    ".section .text.reset, \"ax\"",
    ".global reset",
    ".type reset, %function",
    ".thumb_func",
    "reset:",
    "ldr r0, =0xE000ED88",
    "ldr r1, [r0]",
    "orr r1, r1, #0xF00000",
    "str r1, [r0]",
    "dsb",
    "isb",
    "ldr r0, =_sdata",
    "ldr r1, =_edata",
    "ldr r2, =_sidata",
    "1: cmp r0, r1",
    "bhs 2f",
    "ldr r3, [r2], #4",
    "str r3, [r0], #4",
    "b 1b",
    "2: ldr r0, =_sbss",
    "ldr r1, =_ebss",
    "movs r2, #0",
    "3: cmp r0, r1",
    "bhs 4f",
    "str r2, [r0], #4",
    "b 3b",
    "4: bl rust_main",
    "5: b 5b",
    ".ltorg",
);
