//! Structured and byte-level mutations of request heads, shared by the stable
//! smoke test and the property tests.

use super::rng::Rng;

/// Bytes that break or bend HTTP framing when inserted anywhere.
pub const SPECIAL: &[u8] = b"\r\n\0 \t\x0b\x0c";

/// Hand-made seeds besides the captured fixtures: other upgrade shapes the
/// harness configurations can say yes to.
pub fn extra_seeds() -> Vec<Vec<u8>> {
    let ws = |extra: &str| {
        format!(
            "GET /chat?x=1 HTTP/1.1\r\nHost: example.com:8080\r\nUpgrade: websocket\r\n\
             Connection: keep-alive, Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\
             Sec-WebSocket-Version: 13\r\n{extra}\r\n"
        )
        .into_bytes()
    };
    vec![
        ws("Origin: http://example.com\r\nSec-WebSocket-Protocol: chat, v2.chat\r\n\
            Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits; server_max_window_bits=12, permessage-deflate\r\n"),
        ws("Origin: https://app.example\r\nSec-WebSocket-Protocol: v2.chat\r\n\
            Sec-WebSocket-Extensions: x-foo; a=\"b\", permessage-deflate; server_no_context_takeover; client_max_window_bits=9\r\n"),
        ws("Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits=\"10\"; client_no_context_takeover\r\n"),
        ws("Sec-WebSocket-Protocol: superchat\r\nSec-WebSocket-Protocol: chat\r\nContent-Length: 0\r\n"),
        b"GET / HTTP/1.1\r\nHost: a\r\nConnection: Upgrade, HTTP2-Settings\r\nUpgrade: h2c\r\n\
HTTP2-Settings: AAMAAABkAAQAoAAAAAIAAAAA\r\n\r\n"
            .to_vec(),
        b"OPTIONS * HTTP/1.1\r\nHost: a\r\nConnection: upgrade\r\nUpgrade: foo/2, TLS/1.2\r\n\r\n".to_vec(),
        b"GET /index.html HTTP/1.1\r\nHost: a\r\nAccept: */*\r\n\r\n".to_vec(),
        b"GET /chat HTTP/1.0\r\nHost: a\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n".to_vec(),
        b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n\x00\x00\x12\x04\x00".to_vec(),
        b"\r\nGET /lenient HTTP/1.1\nUpgrade: websocket\nConnection: Upgrade\nSec-WebSocket-Key: AQIDBAUGBwgJCgsMDQ4PEA==\n\
Sec-WebSocket-Version: 13\nX-Folded: a\n  b\n\n"
            .to_vec(),
    ]
}

/// Field lines to insert: smuggling shapes, duplicates, bad keys and versions.
pub const LINES: &[&str] = &[
    "Upgrade: h2c",
    "Upgrade: websocket, h2c",
    "Connection: close",
    "Connection: Upgrade, HTTP2-Settings",
    "HTTP2-Settings: AAMAAABkAAQAoAAAAAIAAAAA",
    "HTTP2-Settings: AAMAAABk",
    "Transfer-Encoding: chunked",
    "Content-Length: 5",
    "Content-Length: 0",
    "Content-Length: 00",
    "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25j",
    "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQo=",
    "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQpx",
    "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZR==",
    "Sec-WebSocket-Key: AQIDBAUGBwgJCgsMDQ4PEA==",
    "Sec-WebSocket-Version: 8",
    "Sec-WebSocket-Version: 13",
    "Sec-WebSocket-Version: 13, 8",
    "Host: evil.example",
    "Host: a b",
    "Host: [::1]:80",
    "Host:",
    "Origin: http://example.com",
    "Origin: null",
    "Sec-WebSocket-Protocol: chat",
    "Sec-WebSocket-Protocol: v2.chat, superchat",
    "Sec-WebSocket-Protocol: a b",
    "Sec-WebSocket-Protocol: constructor, __proto__",
    "Sec-WebSocket-Extensions: permessage-deflate",
    "Sec-WebSocket-Extensions: permessage-deflate; server_max_window_bits=8",
    "Sec-WebSocket-Extensions: foo; bar=\"a,b\", permessage-deflate",
    "Sec-WebSocket-Extensions: constructor, hasOwnProperty; __proto__",
    "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits=16",
    "X-Empty:",
    " continuation",
    "Bad Name: x",
    "X: \u{7f}",
];

fn line_spans(head: &[u8]) -> Vec<(usize, usize)> {
    // (start, end including its LF) of each line.
    let mut spans = Vec::new();
    let mut start = 0;
    for (i, &b) in head.iter().enumerate() {
        if b == b'\n' {
            spans.push((start, i + 1));
            start = i + 1;
        }
    }
    spans
}

/// Applies one to three random mutations; `donors` supply spliced values.
pub fn mutate(rng: &mut Rng, input: &[u8], donors: &[Vec<u8>]) -> Vec<u8> {
    let mut v = input.to_vec();
    for _ in 0..1 + rng.below(3) {
        v = mutate_once(rng, &v, donors);
    }
    v
}

/// Applies one random mutation.
pub fn mutate_once(rng: &mut Rng, input: &[u8], donors: &[Vec<u8>]) -> Vec<u8> {
    let mut v = input.to_vec();
    let lines = line_spans(&v);
    // Field lines: neither the request line nor the final empty line.
    let fields: Vec<(usize, usize)> = lines
        .iter()
        .copied()
        .skip(1)
        .filter(|&(s, e)| e - s > 2)
        .collect();
    let pos = rng.below(v.len() + 1);
    match rng.below(16) {
        0 if !v.is_empty() => {
            let i = rng.below(v.len());
            v[i] = rng.byte();
        }
        1 => v.insert(pos, *rng.pick(SPECIAL)),
        2 if !v.is_empty() => {
            let i = rng.below(v.len());
            v[i] = *rng.pick(SPECIAL);
        }
        3 if !v.is_empty() => {
            let len = 1 + rng.below(8.min(v.len()));
            let at = rng.below(v.len() - len + 1);
            v.drain(at..at + len);
        }
        4 if !fields.is_empty() => {
            let (s, e) = *rng.pick(&fields);
            let line = v[s..e].to_vec();
            let at = if rng.chance(1, 2) { e } else { s };
            v.splice(at..at, line);
        }
        5 if !fields.is_empty() => {
            let (s, e) = *rng.pick(&fields);
            v.drain(s..e);
        }
        6 if !fields.is_empty() => {
            let (s, e) = *rng.pick(&fields);
            let colon = v[s..e].iter().position(|&b| b == b':').map_or(e, |c| s + c);
            let mode = rng.below(3);
            for b in &mut v[s..colon] {
                *b = match mode {
                    0 => b.to_ascii_uppercase(),
                    1 => b.to_ascii_lowercase(),
                    _ if rng.chance(1, 2) => b.to_ascii_uppercase(),
                    _ => b.to_ascii_lowercase(),
                };
            }
        }
        7 => {
            let methods: &[&[u8]] = &[
                b"POST", b"get", b"HEAD", b"CONNECT", b"GET ", b"G\0T", b"OPTIONS",
            ];
            let first_space = v.iter().position(|&b| b == b' ').unwrap_or(0);
            v.splice(0..first_space, rng.pick(methods).iter().copied());
        }
        8 => {
            let versions: &[&[u8]] = &[
                b"HTTP/1.0",
                b"HTTP/1.2",
                b"HTTP/2.0",
                b"http/1.1",
                b"HTTP/1.1 ",
                b"HTTP/11",
            ];
            if let Some(at) = v.windows(8).position(|w| w == b"HTTP/1.1") {
                v.splice(at..at + 8, rng.pick(versions).iter().copied());
            }
        }
        9 => {
            let line = rng.pick(LINES);
            let at = lines
                .get(1 + rng.below(lines.len().max(2) - 1))
                .map_or(v.len(), |l| l.0);
            let mut ins = line.as_bytes().to_vec();
            ins.extend_from_slice(b"\r\n");
            v.splice(at..at, ins);
        }
        10 if !v.is_empty() => v.truncate(rng.below(v.len())),
        11 => {
            let tails: &[&[u8]] = &[
                b"\x81\x85\x37\xfa\x21\x3d\x7f\x9f\x4d\x51\x58",
                b"GET /admin HTTP/1.1\r\nHost: internal\r\n\r\n",
                b"\r\n\r\n",
                b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n",
            ];
            let tail = rng.pick(tails);
            v.extend_from_slice(tail);
        }
        12 if !fields.is_empty() && !donors.is_empty() => {
            let donor = rng.pick(donors);
            let dl: Vec<(usize, usize)> = line_spans(donor)
                .into_iter()
                .skip(1)
                .filter(|&(s, e)| e - s > 2)
                .collect();
            if !dl.is_empty() {
                let (ds, de) = *rng.pick(&dl);
                let (s, e) = *rng.pick(&fields);
                v.splice(s..e, donor[ds..de].iter().copied());
            }
        }
        13 if !lines.is_empty() => {
            let (_, e) = *rng.pick(&lines);
            if rng.chance(1, 2) && e >= 2 && v[e - 2] == b'\r' {
                v.remove(e - 2);
            } else {
                v.insert(e, if rng.chance(1, 2) { b' ' } else { b'\t' });
            }
        }
        14 if !fields.is_empty() => {
            let (s, e) = *rng.pick(&fields);
            let line = v[s..e].to_vec();
            let times = [10, 70, 130][rng.below(3)];
            let block: Vec<u8> = line
                .iter()
                .copied()
                .cycle()
                .take(line.len() * times)
                .collect();
            v.splice(s..s, block);
        }
        _ => {
            let n = 1 + rng.below(8);
            let bytes: Vec<u8> = (0..n).map(|_| rng.byte()).collect();
            v.splice(pos..pos, bytes);
        }
    }
    v
}
