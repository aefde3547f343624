//! Side-by-side handshake benchmark, in one process and one run:
//! FLOOR (httparse + SHA-1 + base64 + copying a minimal 101, no validation),
//! our one-shot and handle paths, and tungstenite's server handshake path.
//!
//! `cargo bench --bench handshake` prints a table of ns per handshake (minimum
//! over interleaved rounds), ratios to FLOOR and to tungstenite, and heap
//! allocations per handshake; it writes `target/bench/handshake.json`.
//!
//! `cargo bench --bench handshake -- --only <case> <request> <iterations>` runs
//! one case alone, for `valgrind --tool=callgrind` instruction counts
//! (see scripts/bench-callgrind.sh).

use std::alloc::{GlobalAlloc, Layout, System};
use std::hint::black_box;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

use wshandshake::{AcceptOptions, DeflateConfig, ServerConfig, ServerHandshake, respond};

struct CountingAllocator;
static ALLOCATIONS: AtomicUsize = AtomicUsize::new(0);

// SAFETY: forwards to the system allocator unchanged; only counts calls.
unsafe impl GlobalAlloc for CountingAllocator {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        // SAFETY: same contract as the caller's.
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: same contract as the caller's.
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        // SAFETY: same contract as the caller's.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static GLOBAL: CountingAllocator = CountingAllocator;

const REQUESTS: [(&str, &[u8]); 3] = [
    (
        "rfc6455",
        include_bytes!("../tests/fixtures/requests/rfc6455_sample.http"),
    ),
    (
        "chrome",
        include_bytes!("../tests/fixtures/requests/chrome_deflate.http"),
    ),
    (
        "3-subprotocols",
        include_bytes!("../tests/fixtures/requests/three_subprotocols.http"),
    ),
];

/// The cost floor: parse, hash, encode, copy. No validation at all.
fn floor(request: &[u8], out: &mut [u8; 256]) -> usize {
    use base64::Engine as _;
    use sha1::Digest as _;
    let mut headers = [httparse::EMPTY_HEADER; 32];
    let mut req = httparse::Request::new(&mut headers);
    let Ok(httparse::Status::Complete(_)) = req.parse(request) else {
        return 0;
    };
    let Some(key) = req
        .headers
        .iter()
        .find(|h| h.name.eq_ignore_ascii_case("sec-websocket-key"))
    else {
        return 0;
    };
    let mut sha = sha1::Sha1::new();
    sha.update(key.value);
    sha.update(b"258EAFA5-E914-47DA-95CA-C5AB0DC85B11");
    let mut accept = [0u8; 28];
    let _ = base64::engine::general_purpose::STANDARD.encode_slice(sha.finalize(), &mut accept);
    const HEAD: &[u8] = b"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ";
    out[..HEAD.len()].copy_from_slice(HEAD);
    out[HEAD.len()..HEAD.len() + 28].copy_from_slice(&accept);
    out[HEAD.len() + 28..HEAD.len() + 32].copy_from_slice(b"\r\n\r\n");
    HEAD.len() + 32
}

/// tungstenite's server path: parse the request, create and write the response.
fn tungstenite_path(request: &[u8], out: &mut Vec<u8>) -> usize {
    use tungstenite::handshake::machine::TryParse as _;
    out.clear();
    let Ok(Some((_, req))) = tungstenite::handshake::server::Request::try_parse(request) else {
        return 0;
    };
    let Ok(resp) = tungstenite::handshake::server::create_response(&req) else {
        return 0;
    };
    let _ = tungstenite::handshake::server::write_response(&mut *out, &resp);
    out.len()
}

/// The same handshakes through the exported C functions (called from Rust: the
/// same code a C caller runs, minus nothing but the call instruction).
mod c_abi {
    use wshandshake_ffi::ffi::deflate::{wsh_deflate_config, wsh_deflate_config_default};
    use wshandshake_ffi::ffi::one_shot::{wsh_respond, wsh_respond_info};
    use wshandshake_ffi::ffi::server::*;
    use wshandshake_ffi::ffi::server_config::*;

    pub struct CAbi {
        pub config: *const wsh_server_config,
        pub server: *mut wsh_server,
        pub info: wsh_respond_info,
    }

    impl CAbi {
        pub fn new() -> Self {
            // SAFETY: every pointer passed is valid for the call; outputs are
            // checked through the returned result codes.
            unsafe {
                let builder = wsh_server_config_builder_new();
                for p in [&b"chat"[..], b"superchat"] {
                    assert_eq!(
                        wsh_server_config_builder_add_subprotocol(builder, p.as_ptr(), p.len())
                            as u32,
                        0
                    );
                }
                let mut deflate = std::mem::MaybeUninit::<wsh_deflate_config>::uninit();
                assert_eq!(wsh_deflate_config_default(deflate.as_mut_ptr()) as u32, 0);
                assert_eq!(
                    wsh_server_config_builder_permessage_deflate(builder, deflate.as_ptr()) as u32,
                    0
                );
                let mut config = std::ptr::null();
                assert_eq!(
                    wsh_server_config_builder_build(builder, &mut config) as u32,
                    0
                );
                let mut server = std::ptr::null_mut();
                assert_eq!(wsh_server_new(config, &mut server) as u32, 0);
                let mut info = std::mem::MaybeUninit::<wsh_respond_info>::zeroed();
                let sample = include_bytes!("../tests/fixtures/requests/rfc6455_sample.http");
                let mut out = [0u8; 1024];
                wsh_respond(
                    config,
                    sample.as_ptr(),
                    sample.len(),
                    out.as_mut_ptr(),
                    out.len(),
                    info.as_mut_ptr(),
                );
                CAbi {
                    config,
                    server,
                    info: info.assume_init(),
                }
            }
        }

        pub fn one_shot(&mut self, request: &[u8], out: &mut [u8]) -> usize {
            // SAFETY: pointers and lengths come from live slices.
            unsafe {
                wsh_respond(
                    self.config,
                    request.as_ptr(),
                    request.len(),
                    out.as_mut_ptr(),
                    out.len(),
                    &mut self.info,
                );
            }
            self.info.response_len
        }

        pub fn handle(&mut self, request: &[u8], out: &mut [u8]) -> usize {
            let mut consumed = 0usize;
            let mut written = 0usize;
            let mut decision = std::mem::MaybeUninit::uninit();
            // SAFETY: pointers and lengths come from live slices and locals.
            unsafe {
                wsh_server_reset(self.server);
                wsh_server_feed(
                    self.server,
                    request.as_ptr(),
                    request.len(),
                    &mut consumed,
                    decision.as_mut_ptr(),
                );
                wsh_server_accept(self.server, std::ptr::null());
                wsh_server_drain(self.server, out.as_mut_ptr(), out.len(), &mut written);
            }
            written
        }
    }
}

struct Cases {
    c_abi: c_abi::CAbi,
    config: ServerConfig,
    handle: ServerHandshake,
    out: [u8; 1024],
    floor_out: [u8; 256],
    tung_out: Vec<u8>,
}

impl Cases {
    fn new() -> Self {
        let config = ServerConfig::builder()
            .subprotocols(["chat", "superchat"])
            .permessage_deflate(DeflateConfig::default())
            .build()
            .expect("valid config");
        let handle = ServerHandshake::new(Arc::new(config.clone()));
        Cases {
            c_abi: c_abi::CAbi::new(),
            config,
            handle,
            out: [0; 1024],
            floor_out: [0; 256],
            tung_out: Vec::with_capacity(1024),
        }
    }

    /// Runs one handshake of `case`; returns the response length.
    fn run(&mut self, case: &str, request: &[u8]) -> usize {
        match case {
            "floor" => floor(request, &mut self.floor_out),
            "one-shot" => {
                respond(&self.config, request, &mut self.out).map_or(0, |r| r.response_len)
            }
            "handle" => {
                self.handle.reset();
                if self.handle.feed(request).is_err()
                    || self.handle.accept(&AcceptOptions::default()).is_err()
                {
                    return 0;
                }
                self.handle.drain_response(&mut self.out)
            }
            "handle-bytewise" => {
                self.handle.reset();
                for b in request.chunks(1) {
                    if self
                        .handle
                        .feed(b)
                        .map_or(true, |f| f.outcome != wshandshake::Outcome::NeedMore)
                    {
                        break;
                    }
                }
                if self.handle.accept(&AcceptOptions::default()).is_err() {
                    return 0;
                }
                self.handle.drain_response(&mut self.out)
            }
            "ffi-one-shot" => self.c_abi.one_shot(request, &mut self.out),
            "ffi-handle" => self.c_abi.handle(request, &mut self.out),
            "tungstenite" => tungstenite_path(request, &mut self.tung_out),
            other => panic!("unknown case {other}"),
        }
    }
}

const CASES: [&str; 7] = [
    "floor",
    "one-shot",
    "ffi-one-shot",
    "handle",
    "ffi-handle",
    "handle-bytewise",
    "tungstenite",
];

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let mut cases = Cases::new();
    if let Some(i) = args.iter().position(|a| a == "--only") {
        let case = args[i + 1].as_str();
        let request = REQUESTS
            .iter()
            .find(|(n, _)| *n == args[i + 2])
            .expect("request name")
            .1;
        let iterations: usize = args[i + 3].parse().expect("iterations");
        let mut total = 0usize;
        for _ in 0..iterations {
            total = total.wrapping_add(cases.run(black_box(case), black_box(request)));
        }
        black_box(total);
        return;
    }
    let rounds: usize = std::env::var("BENCH_ROUNDS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(15);
    let iterations: usize = std::env::var("BENCH_ITERATIONS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(20_000);
    let mut json = String::from("{\"unit\":\"ns per handshake\",\"results\":[");
    println!(
        "{:<16} {:<16} {:>10} {:>9} {:>11} {:>7}",
        "request", "case", "ns", "x FLOOR", "x tungst.", "allocs"
    );
    for (ri, (name, request)) in REQUESTS.iter().enumerate() {
        // Sanity: every case produces a 101.
        for case in CASES {
            let n = cases.run(case, request);
            let out: &[u8] = match case {
                "floor" => &cases.floor_out[..n],
                "tungstenite" => &cases.tung_out[..n],
                _ => &cases.out[..n],
            };
            assert!(
                out.starts_with(b"HTTP/1.1 101"),
                "{case} on {name} did not produce a 101"
            );
        }
        let mut best = [f64::MAX; CASES.len()];
        for _ in 0..rounds {
            for (ci, case) in CASES.iter().enumerate() {
                let start = Instant::now();
                for _ in 0..iterations {
                    black_box(cases.run(black_box(case), black_box(request)));
                }
                let ns = start.elapsed().as_nanos() as f64 / iterations as f64;
                best[ci] = best[ci].min(ns);
            }
        }
        let mut allocs = [0usize; CASES.len()];
        for (ci, case) in CASES.iter().enumerate() {
            let before = ALLOCATIONS.load(Ordering::Relaxed);
            for _ in 0..100 {
                black_box(cases.run(case, request));
            }
            allocs[ci] = (ALLOCATIONS.load(Ordering::Relaxed) - before) / 100;
        }
        let tung = best[CASES.len() - 1];
        for (ci, case) in CASES.iter().enumerate() {
            println!(
                "{:<16} {:<16} {:>10.1} {:>9.2} {:>11.2} {:>7}",
                name,
                case,
                best[ci],
                best[ci] / best[0],
                best[ci] / tung,
                allocs[ci]
            );
            if ri > 0 || ci > 0 {
                json.push(',');
            }
            json.push_str(&format!(
                "{{\"request\":\"{name}\",\"case\":\"{case}\",\"ns\":{:.1},\"allocations\":{}}}",
                best[ci], allocs[ci]
            ));
        }
    }
    json.push_str("]}\n");
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("target/bench");
    let _ = std::fs::create_dir_all(&dir);
    let _ = std::fs::write(dir.join("handshake.json"), json);
}
