//! Regression tests: bugs found here by fuzzing, known handshake bugs of other
//! projects (each test named after the CVE or issue, showing we are not
//! affected), and hostile-input budgets counted in work, not time.

#[path = "support/mod.rs"]
mod support;

use std::sync::Arc;

use support::http_check::parse_response;
use support::server_check::{check_server_input, configs};
use wshandshake::internals::BytesScanned;
use wshandshake::*;

const SAMPLE: &str = "GET /chat HTTP/1.1\r\n\
Host: server.example.com\r\n\
Upgrade: websocket\r\n\
Connection: Upgrade\r\n\
Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\
Origin: http://example.com\r\n\
Sec-WebSocket-Protocol: chat, superchat\r\n\
Sec-WebSocket-Version: 13\r\n\r\n";

fn config() -> ServerConfig {
    ServerConfig::builder().build().unwrap()
}

fn outcome(config: &ServerConfig, request: &[u8]) -> Outcome {
    let mut out = vec![0u8; 8192];
    respond(config, request, &mut out).unwrap().outcome
}

/// Runs the full invariant check (one-shot, chunked, whole, bytewise) under
/// every harness configuration.
fn invariants_hold(request: &[u8]) {
    for hc in configs() {
        check_server_input(hc, request, &[3, 1, 40], true).unwrap_or_else(|e| panic!("{e}"));
    }
}

// ---- Found by this harness -------------------------------------------------

#[test]
fn absolute_form_targets_keep_a_consistent_view() {
    // The checker compares path() with its own reading of absolute-form
    // targets too (it once skipped them).
    for target in [
        "http://server.example.com/chat?x=1",
        "ws://server.example.com:80",
        "HTTPS://server.example.com?q#f",
        "http://user@server.example.com/a/b#frag",
    ] {
        let request = SAMPLE.replacen("GET /chat ", &format!("GET {target} "), 1);
        invariants_hold(request.as_bytes());
    }
}

#[test]
fn fuzz_client_reads_no_body_after_a_304_or_204() {
    // Found by the client_feed fuzz target: a 304 carrying `Content-Length: 4`
    // ends at its blank line (RFC 9112 §6.3); the model wanted four body bytes.
    use support::client_check::{check_client_input, client_configs};
    for input in [
        &b"HTTP/1.1 304 Not Modified\r\nContent-Length: 4\r\n\r\nnope!!"[..],
        b"HTTP/1.1 204 No Content\r\nContent-Length: 2\r\n\r\nab",
    ] {
        for h in client_configs() {
            let outcome =
                check_client_input(h, input, &[3, 1, 40], true).unwrap_or_else(|e| panic!("{e}"));
            assert!(
                matches!(outcome, ClientOutcome::Refused(304 | 204)),
                "{outcome:?}"
            );
        }
    }
}

#[test]
fn fuzz_host_with_invalid_value_is_refused() {
    // Found by tests/fuzz_smoke.rs: `Host: server.example.c m` got a 101.
    // RFC 9112 §3.2: a Host with an invalid value MUST get a 400.
    for bad in [
        "server.example.c m",
        "a/b",
        "user@host",
        "host:port",
        "[::1",
        "[::1]x",
        "[zz]",
        "a\"b",
        "%zz",
        "<script>",
    ] {
        let req = SAMPLE.replace("server.example.com", bad);
        assert_eq!(
            outcome(&config(), req.as_bytes()),
            Outcome::Rejected(RequestError::InvalidHost),
            "{bad}"
        );
        invariants_hold(req.as_bytes());
    }
    for good in [
        "",
        "example.com",
        "example.com:8080",
        "127.0.0.1:36899",
        "[::1]:80",
        "[v1.fe80::a+en1]",
        "xn--bcher-kva.example",
        "caf%C3%A9.example",
        "host:",
    ] {
        let req = SAMPLE.replace("server.example.com", good);
        assert_eq!(
            outcome(&config(), req.as_bytes()),
            Outcome::UpgradeRequest(UpgradeTarget::WebSocket),
            "{good:?}"
        );
    }
    let mut out = [0u8; 512];
    let req = SAMPLE.replace("server.example.com", "a b");
    let r = respond(&config(), req.as_bytes(), &mut out).unwrap();
    let resp = parse_response(&out[..r.response_len]).unwrap();
    assert_eq!(resp.status, 400);
    assert_eq!(r.consumed, req.len());
}

#[test]
fn fuzz_long_line_crossing_the_head_limit_gets_one_verdict() {
    // Found by this harness: a header line longer than max_header_line that
    // also crosses max_head_bytes was HeadTooLarge one-shot (which scanned past
    // the limit to the line's end) but HeaderLineTooLong through the handle.
    // The one-shot now looks at no more than the handle buffers.
    let limits = Limits {
        max_head_bytes: 600,
        max_headers: 12,
        max_request_line: 80,
        max_header_line: 200,
    };
    let c = ServerConfig::builder().limits(limits).build().unwrap();
    let req = format!(
        "GET / HTTP/1.1\r\nHost: a\r\nX: {}\r\n\r\n",
        "a".repeat(700)
    );
    assert_eq!(
        outcome(&c, req.as_bytes()),
        Outcome::Rejected(RequestError::HeaderLineTooLong)
    );
    invariants_hold(req.as_bytes());
    // Many short lines past the limit: HeadTooLarge on both paths.
    let many = format!(
        "GET / HTTP/1.1\r\nHost: a\r\n{}\r\n",
        "X: 1\r\n".repeat(200)
    );
    invariants_hold(many.as_bytes());
}

#[test]
fn fuzz_one_shot_work_is_bounded_by_the_head_limit() {
    // The one-shot used to search the whole input for line ends: 8 MiB without
    // an LF were scanned to the end. Now the verdict comes from the first
    // max_head_bytes bytes, like the handle's.
    let mut input = b"GET / HTTP/1.1\r\nX: ".to_vec();
    input.resize(8 << 20, b'a');
    assert_eq!(
        outcome(&config(), &input),
        Outcome::Rejected(RequestError::HeaderLineTooLong)
    );
    let mut hs = ServerHandshake::new(Arc::new(config()));
    let f = hs.feed(&input).unwrap();
    assert_eq!(
        f.outcome,
        Outcome::Rejected(RequestError::HeaderLineTooLong)
    );
    assert_eq!(f.consumed, input.len());
    assert!(hs.bytes_scanned() <= config().limits().max_head_bytes);
}

#[test]
fn fuzz_overlong_line_ending_in_bare_lf_gets_one_verdict() {
    // Found by the server_feed fuzz target: a request line (or field line)
    // longer than its limit and ending in a bare LF was RequestLineTooLong when
    // fed byte by byte (known before the LF) but BareLineFeed when fed whole
    // (the line end was judged before the length).
    let limits = Limits {
        max_head_bytes: 600,
        max_headers: 12,
        max_request_line: 80,
        max_header_line: 200,
    };
    let c = ServerConfig::builder().limits(limits).build().unwrap();
    let long_request_line = format!("GET /{} HTTP/1.1\nHost: a\r\n\r\n", "_".repeat(100));
    let long_field_line = format!("GET / HTTP/1.1\r\nX: {}\nHost: a\r\n\r\n", "_".repeat(300));
    for (req, want) in [
        (long_request_line, RequestError::RequestLineTooLong),
        (long_field_line, RequestError::HeaderLineTooLong),
    ] {
        assert_eq!(outcome(&c, req.as_bytes()), Outcome::Rejected(want));
        assert_eq!(bytewise(&c, req.as_bytes()).0, Outcome::Rejected(want));
        invariants_hold(req.as_bytes());
    }
    // At exactly the limit plus a bare LF, both ways say BareLineFeed.
    let at_limit = format!("GET /{} HTTP/1.1\nHost: a\r\n\r\n", "_".repeat(67));
    assert_eq!(at_limit.find('\n'), Some(81));
    assert_eq!(
        outcome(&c, at_limit.as_bytes()),
        Outcome::Rejected(RequestError::BareLineFeed)
    );
    assert_eq!(
        bytewise(&c, at_limit.as_bytes()).0,
        Outcome::Rejected(RequestError::BareLineFeed)
    );
    invariants_hold(at_limit.as_bytes());
}

#[test]
fn fuzz_request_view_never_reports_a_non_utf8_subprotocol_as_empty() {
    // Found by tests/fuzz_smoke.rs: on a request that is not a WebSocket
    // upgrade (so its Sec-WebSocket-Protocol is not validated), the handle's
    // view listed a non-UTF-8 element as "". It is now skipped.
    let req = b"GET / HTTP/1.1\r\nHost: a\r\nSec-WebSocket-Protocol: \xffchat, superchat\r\n\r\n";
    let mut hs = ServerHandshake::new(Arc::new(config()));
    assert_eq!(
        hs.feed(req).unwrap().outcome,
        Outcome::NotUpgrade(NotUpgrade::Plain)
    );
    let offered: Vec<&str> = hs.request().unwrap().subprotocols().collect();
    assert_eq!(offered, ["superchat"]);
    invariants_hold(req);
}

// ---- Known handshake bugs of other projects ---------------------------------

/// A config whose limits allow the largest heads (1 MiB, one line may fill it).
fn roomy(subprotocols: &[&str], deflate: bool) -> ServerConfig {
    let mut b = ServerConfig::builder()
        .subprotocols(subprotocols.iter().copied())
        .limits(Limits {
            max_head_bytes: Limits::MAX_HEAD_BYTES_CAP,
            max_headers: Limits::MAX_HEADERS_CAP,
            max_request_line: 8 * 1024,
            max_header_line: Limits::MAX_HEAD_BYTES_CAP,
        });
    if deflate {
        b = b.permessage_deflate(DeflateConfig::default());
    }
    b.build().unwrap()
}

/// SAMPLE with one more field line.
fn with_field(line: &str) -> String {
    SAMPLE.replace("\r\n\r\n", &format!("\r\n{line}\r\n\r\n"))
}

/// Feeds a byte at a time until decided; returns the outcome, the bytes fed
/// and the bytes scanned.
fn bytewise(config: &ServerConfig, input: &[u8]) -> (Outcome, usize, usize) {
    let mut hs = ServerHandshake::new(Arc::new(config.clone()));
    let mut fed = 0;
    for b in input.chunks(1) {
        fed += 1;
        let f = hs.feed(b).unwrap();
        if f.outcome != Outcome::NeedMore {
            return (f.outcome, fed, hs.bytes_scanned());
        }
    }
    (Outcome::NeedMore, fed, hs.bytes_scanned())
}

#[test]
fn cve_2023_43669_tungstenite_quadratic_header_rescans() {
    // tungstenite re-parsed the whole head on every read, so a slow client
    // sending a long head byte by byte cost O(n²). Here each byte is examined
    // once, whatever the chunking.
    let c = roomy(&[], false);
    let filler = format!("X-Filler: {}", "a".repeat(200_000));
    let req = with_field(&filler);
    let (o, fed, scanned) = bytewise(&c, req.as_bytes());
    assert_eq!(o, Outcome::UpgradeRequest(UpgradeTarget::WebSocket));
    assert_eq!((fed, scanned), (req.len(), req.len()));
    let mut hs = ServerHandshake::new(Arc::new(c));
    for piece in req.as_bytes().chunks(7) {
        hs.feed(piece).unwrap();
    }
    assert_eq!(hs.bytes_scanned(), req.len());
}

#[test]
fn cve_2024_37890_ws_many_headers_is_431_not_a_crash() {
    // ws crashed on a request with more headers than server.maxHeadersCount
    // (the header object was undefined). Here: 431, at the limit, after
    // scanning no further than the first field line past it.
    let c = config();
    let limit = c.limits().max_headers;
    let mut req = String::from("GET /chat HTTP/1.1\r\n");
    let mut end_of_first_extra = 0;
    for i in 0..5000 {
        req.push_str(&format!("X-H{i}: v\r\n"));
        if i == limit {
            end_of_first_extra = req.len();
        }
    }
    req.push_str("\r\n");
    let (o, fed, scanned) = bytewise(&c, req.as_bytes());
    assert_eq!(o, Outcome::Rejected(RequestError::TooManyHeaders));
    assert_eq!(RequestError::TooManyHeaders.status(), 431);
    assert_eq!((fed, scanned), (end_of_first_extra, end_of_first_extra));
    let mut out = [0u8; 512];
    let r = respond(&c, req.as_bytes(), &mut out).unwrap();
    assert_eq!(r.outcome, Outcome::Rejected(RequestError::TooManyHeaders));
    assert_eq!(r.consumed, req.len());
    assert_eq!(parse_response(&out[..r.response_len]).unwrap().status, 431);
    // At the configured cap too.
    let capped = roomy(&[], false);
    let (o, ..) = bytewise(&capped, req.as_bytes());
    assert_eq!(o, Outcome::Rejected(RequestError::TooManyHeaders));
}

#[test]
fn cve_2021_32640_ws_redos_in_sec_websocket_protocol() {
    // ws split Sec-WebSocket-Protocol with a backtracking regex: a value of
    // many spaces without a comma took seconds per request. Here the list is
    // split in one pass.
    let c = roomy(&["chat"], false);
    let spaces = " ".repeat(400_000);
    let hostile = with_field(&format!("Sec-WebSocket-Protocol: a{spaces}b, chat"))
        .replace("Sec-WebSocket-Protocol: chat, superchat\r\n", "");
    // (tests/grammar_work.rs counts the work of this and the other hostile
    // lists below.)
    // "a  ...  b" is not a token: the whole list is refused, promptly.
    assert_eq!(
        outcome(&c, hostile.as_bytes()),
        Outcome::Rejected(RequestError::InvalidSubprotocolList)
    );
    // Spaces around commas are fine and still linear.
    let padded = with_field(&format!("Sec-WebSocket-Protocol: x{spaces},{spaces}chat"))
        .replace("Sec-WebSocket-Protocol: chat, superchat\r\n", "");
    let mut out = vec![0u8; 4096];
    let r = respond(&c, padded.as_bytes(), &mut out).unwrap();
    assert_eq!(r.subprotocol, Some("chat"));
}

#[test]
fn ws_extension_named_constructor_is_ignored_cleanly() {
    // ws looked offered extension names up in a plain object, so an offer
    // named `constructor` hit Object.prototype and crashed the server. Here
    // names are only compared with what is configured.
    for c in [config(), roomy(&["chat"], true)] {
        for offers in [
            "constructor",
            "__proto__",
            "hasOwnProperty; toString=1",
            "constructor; __proto__, valueOf",
        ] {
            let req = with_field(&format!("Sec-WebSocket-Extensions: {offers}"));
            let mut out = vec![0u8; 4096];
            let r = respond(&c, req.as_bytes(), &mut out).unwrap();
            assert_eq!(r.outcome, Outcome::UpgradeRequest(UpgradeTarget::WebSocket));
            assert_eq!(r.deflate, None);
            let resp = parse_response(&out[..r.response_len]).unwrap();
            assert_eq!(resp.values("sec-websocket-extensions").count(), 0);
            invariants_hold(req.as_bytes());
        }
        let req = SAMPLE.replace("chat, superchat", "constructor, __proto__");
        let mut out = vec![0u8; 4096];
        let r = respond(&c, req.as_bytes(), &mut out).unwrap();
        assert_eq!(r.outcome, Outcome::UpgradeRequest(UpgradeTarget::WebSocket));
        assert_eq!(r.subprotocol, None);
    }
}

#[test]
fn cve_2020_7662_websocket_extensions_redos() {
    // websocket-extensions (Node and Ruby) parsed the header with a regex that
    // backtracked exponentially on an unclosed quoted string of escapes. Here:
    // one pass, a 400 for the broken header, a 101 for the closed one.
    let c = roomy(&[], true);
    let escapes = "\\c".repeat(200_000);
    let unclosed = with_field(&format!("Sec-WebSocket-Extensions: a; b=\"{escapes}"));
    let closed = with_field(&format!(
        "Sec-WebSocket-Extensions: a; b=\"{escapes}\", permessage-deflate"
    ));
    assert_eq!(
        outcome(&c, unclosed.as_bytes()),
        Outcome::Rejected(RequestError::InvalidExtensionList)
    );
    let mut out = vec![0u8; 4096];
    let r = respond(&c, closed.as_bytes(), &mut out).unwrap();
    assert_eq!(r.outcome, Outcome::UpgradeRequest(UpgradeTarget::WebSocket));
    assert!(r.deflate.is_some());
}

#[test]
fn ws_1235_quoted_comma_never_splits_an_offer() {
    // A comma inside a quoted parameter value must not start a new offer
    // (ws #1235): `foo; bar="a, permessage-deflate"` is not two offers.
    let c = roomy(&[], true);
    for header in [
        "foo; bar=\"a,b\"",
        "foo; bar=\"a, permessage-deflate\"",
        "foo; bar=\"x\\\", permessage-deflate; y=\\\"\"",
    ] {
        let req = with_field(&format!("Sec-WebSocket-Extensions: {header}"));
        assert_eq!(
            outcome(&c, req.as_bytes()),
            Outcome::Rejected(RequestError::InvalidExtensionList),
            "{header}"
        );
        assert_eq!(
            wshandshake::internals::extension_grammar::Extensions::new(header.as_bytes())
                .filter(|e| e.name() == "permessage-deflate")
                .count(),
            0
        );
    }
}

#[test]
fn keys_of_15_17_18_bytes_that_pass_a_naive_length_check() {
    // A key must be base64 of exactly 16 bytes. 24 characters (a naive length
    // check) also encode 17 (one '=') or 18 (no '=') bytes; 15 bytes encode to
    // 20. Non-canonical padding bits, the URL-safe alphabet and surrounding
    // junk are refused too.
    let enc =
        |n: usize| String::from_utf8(support::rfc6455::base64_encode(&vec![0x5a; n])).unwrap();
    let mut bad = vec![
        enc(15),
        enc(17),
        enc(18),
        format!("{}    ", enc(15)),
        "dGhlIHNhbXBsZSBub25jZR==".to_string(),
        "-_hlIHNhbXBsZSBub25jZQ==".to_string(),
        "dGhlIHNhbXBsZSBub25jZQ=".to_string(),
        "dGhlIHNhbXBsZSBub25jZQ===".to_string(),
        "dGhlIHNhbXBsZSBub25jZQ==, dGhlIHNhbXBsZSBub25jZQ==".to_string(),
    ];
    assert_eq!(enc(17).len(), 24);
    assert_eq!(enc(18).len(), 24);
    bad.push(String::new());
    for key in bad {
        let req = SAMPLE.replace("dGhlIHNhbXBsZSBub25jZQ==", &key);
        assert_eq!(
            outcome(&config(), req.as_bytes()),
            Outcome::Rejected(RequestError::InvalidKey),
            "{key:?}"
        );
        invariants_hold(req.as_bytes());
    }
    assert_eq!(
        outcome(
            &config(),
            SAMPLE
                .replace("dGhlIHNhbXBsZSBub25jZQ==", &enc(16))
                .as_bytes()
        ),
        Outcome::UpgradeRequest(UpgradeTarget::WebSocket)
    );
}

#[test]
fn websocket_smuggling_through_a_non_101() {
    // Reverse proxies have been tricked into tunnelling a raw TCP stream when a
    // backend answered an upgrade attempt with a non-101 (e.g. a bad version
    // answered 426): the client then speaks "WebSocket" to whatever follows.
    // Here, after any rejection every byte fed is taken and nothing is ever
    // reported as the new protocol's data, at every split point.
    let smuggled = "GET /internal/admin HTTP/1.1\r\nHost: localhost\r\n\r\n";
    for bad in [
        SAMPLE.replace("Version: 13", "Version: 1337"),
        SAMPLE.replace("dGhlIHNhbXBsZSBub25jZQ==", "x"),
        SAMPLE.replace("GET", "POST"),
        with_field("Content-Length: 48"),
        with_field("Transfer-Encoding: chunked"),
    ] {
        let input = format!("{bad}{smuggled}\u{81}\u{85}");
        let bytes = input.as_bytes();
        let mut out = [0u8; 1024];
        let r = respond(&config(), bytes, &mut out).unwrap();
        assert!(matches!(r.outcome, Outcome::Rejected(_)), "{bad}");
        assert_eq!(r.consumed, bytes.len());
        assert_ne!(parse_response(&out[..r.response_len]).unwrap().status, 101);
        for cut in 0..=bytes.len() {
            let mut hs = ServerHandshake::new(Arc::new(config()));
            let mut taken = 0;
            let mut fed = 0;
            for piece in [&bytes[..cut], &bytes[cut..]] {
                match hs.feed(piece) {
                    Ok(f) => {
                        taken += f.consumed;
                        fed += piece.len();
                    }
                    Err(e) => assert_eq!(e, UsageError::WrongState),
                }
            }
            assert!(matches!(hs.outcome(), Outcome::Rejected(_)));
            assert_eq!(taken, fed, "cut {cut}");
            assert!(!hs.is_accepted());
            assert!(hs.accept(&AcceptOptions::default()).is_err());
        }
        invariants_hold(input.as_bytes());
    }
}

#[test]
fn h2c_smuggling_shapes_are_never_upgraded() {
    // h2c smuggling: an attacker asks a proxy to pass `Upgrade: h2c` to a
    // backend, then talks HTTP/2 past the proxy's rules. Only a complete,
    // well-formed h2c request (RFC 7540 §3.2.1) may be upgraded, and only when
    // the server enables h2c.
    let good = "GET / HTTP/1.1\r\nHost: a\r\nConnection: Upgrade, HTTP2-Settings\r\n\
                Upgrade: h2c\r\nHTTP2-Settings: AAMAAABkAAQAoAAAAAIAAAAA\r\n\r\n";
    let h2c = ServerConfig::builder()
        .upgrade_protocols(["h2c"])
        .build()
        .unwrap();
    assert_eq!(
        outcome(&h2c, good.as_bytes()),
        Outcome::UpgradeRequest(UpgradeTarget::Other(0))
    );
    // Not configured: never an upgrade.
    assert_eq!(
        outcome(&config(), good.as_bytes()),
        Outcome::NotUpgrade(NotUpgrade::UnsupportedProtocol)
    );
    let unsupported = Outcome::NotUpgrade(NotUpgrade::UnsupportedProtocol);
    for bad in [
        good.replace("HTTP2-Settings: AAMAAABkAAQAoAAAAAIAAAAA\r\n", ""),
        good.replace(
            "\r\n\r\n",
            "\r\nHTTP2-Settings: AAMAAABkAAQAoAAAAAIAAAAA\r\n\r\n",
        ),
        good.replace("\r\n\r\n", "\r\nHTTP2-Settings: AAMAAABk\r\n\r\n"),
        good.replace("Connection: Upgrade, HTTP2-Settings", "Connection: Upgrade"),
        good.replace(
            "Connection: Upgrade, HTTP2-Settings",
            "Connection: HTTP2-Settings",
        ),
        good.replace("Connection: Upgrade, HTTP2-Settings\r\n", ""),
        good.replace("AAMAAABkAAQAoAAAAAIAAAAA", "AAMAAABkAAQAoAAAAAIAAAAA=="),
        good.replace("AAMAAABkAAQAoAAAAAIAAAAA", "AAMAAA+kAAQAoAAAAAIAAAAA"),
        good.replace("AAMAAABkAAQAoAAAAAIAAAAA", "AAMAAABkAAQAoAAAAAIAAAA"),
        good.replace("AAMAAABkAAQAoAAAAAIAAAAA", "AAMAAAB"),
    ] {
        assert_eq!(outcome(&h2c, bad.as_bytes()), unsupported, "{bad}");
        assert_eq!(outcome(&config(), bad.as_bytes()), unsupported, "{bad}");
        invariants_hold(bad.as_bytes());
    }
    // HTTP/1.0 and a missing Host are never upgraded either.
    let http10 = good.replace("HTTP/1.1", "HTTP/1.0");
    assert_eq!(
        outcome(&h2c, http10.as_bytes()),
        Outcome::NotUpgrade(NotUpgrade::Http10)
    );
    let no_host = good.replace("Host: a\r\n", "");
    assert_eq!(
        outcome(&h2c, no_host.as_bytes()),
        Outcome::Rejected(RequestError::MissingHost)
    );
}

// ---- Hostile-input budgets (work counted in bytes scanned) ------------------

#[test]
fn budget_max_size_head_fed_a_byte_at_a_time() {
    let c = config();
    let limit = c.limits().max_head_bytes;
    let mut req = SAMPLE.trim_end_matches("\r\n").to_string();
    req.push_str("\r\nX-Pad: ");
    while req.len() + 4 < limit {
        req.push('p');
        if req.len().is_multiple_of(7000) {
            req.push_str("\r\nX-Pad: ");
        }
    }
    req.push_str("\r\n\r\n");
    assert_eq!(req.len(), limit);
    let (o, fed, scanned) = bytewise(&c, req.as_bytes());
    assert_eq!(o, Outcome::UpgradeRequest(UpgradeTarget::WebSocket));
    assert_eq!((fed, scanned), (limit, limit));
    // One byte more is refused after scanning no more than the limit.
    let over = req.replacen("X-Pad: ", "X-Pad: q", 1);
    let (o, fed, scanned) = bytewise(&c, over.as_bytes());
    assert_eq!(o, Outcome::Rejected(RequestError::HeadTooLarge));
    assert_eq!(fed, limit + 1);
    assert!(scanned <= limit);
    invariants_hold(req.as_bytes());
    invariants_hold(over.as_bytes());
}

#[test]
fn budget_thousand_subprotocols_and_extension_offers() {
    // One header with a thousand (then two thousand) elements: decided, with
    // every byte scanned once and the head within the limit.
    let c = roomy(&["chat"], true);
    for n in [1000, 2000] {
        let protocols: Vec<String> = (0..n).map(|i| format!("p{i}")).collect();
        let offers = vec!["x-ext; a=1; b=\"2\""; n].join(", ");
        let req = SAMPLE
            .replace(
                "chat, superchat",
                &format!("{}, chat", protocols.join(", ")),
            )
            .replace(
                "\r\n\r\n",
                &format!("\r\nSec-WebSocket-Extensions: {offers}, permessage-deflate\r\n\r\n"),
            );
        let (o, fed, scanned) = bytewise(&c, req.as_bytes());
        assert_eq!(o, Outcome::UpgradeRequest(UpgradeTarget::WebSocket));
        assert_eq!((fed, scanned), (req.len(), req.len()));
        assert!(req.len() <= c.limits().max_head_bytes);
        let mut out = vec![0u8; 4096];
        let r = respond(&c, req.as_bytes(), &mut out).unwrap();
        assert_eq!(r.subprotocol, Some("chat"));
        assert!(r.deflate.is_some());
    }
    // A thousand offers under the default limits: a clean 431, not work.
    let offers = vec!["permessage-deflate; client_max_window_bits"; 1000].join(", ");
    let req = with_field(&format!("Sec-WebSocket-Extensions: {offers}"));
    let (o, fed, scanned) = bytewise(&config(), req.as_bytes());
    assert_eq!(o, Outcome::Rejected(RequestError::HeaderLineTooLong));
    assert!(scanned <= config().limits().max_header_line + SAMPLE.len());
    assert!(fed < req.len());
}

#[test]
fn budget_long_quoted_strings() {
    let c = roomy(&[], true);
    let long = "t".repeat(500_000);
    for (header, want) in [
        (
            format!("permessage-deflate; x=\"{long}\", permessage-deflate"),
            Outcome::UpgradeRequest(UpgradeTarget::WebSocket),
        ),
        (
            format!("x; y=\"{long}"),
            Outcome::Rejected(RequestError::InvalidExtensionList),
        ),
        (
            format!("x; y=\"{long} \""),
            Outcome::Rejected(RequestError::InvalidExtensionList),
        ),
    ] {
        let req = with_field(&format!("Sec-WebSocket-Extensions: {header}"));
        let (o, _, scanned) = bytewise(&c, req.as_bytes());
        assert_eq!(o, want);
        assert_eq!(scanned, req.len());
        assert_eq!(outcome(&c, req.as_bytes()), want);
    }
}

// ---- docs/SECURITY.md stays true --------------------------------------------

#[test]
fn strict_refusals_documented_in_security_md() {
    use RequestError::*;
    let c = config();
    let cases: Vec<(String, Outcome)> = vec![
        (
            SAMPLE.replacen("\r\n", "\n", 2),
            Outcome::Rejected(BareLineFeed),
        ),
        (
            SAMPLE.replace("Upgrade\r\n", "Upg\rrade\r\n"),
            Outcome::Rejected(MalformedHead),
        ),
        (
            SAMPLE.replace("Upgrade\r\n", "Upgrade\0\r\n"),
            Outcome::Rejected(MalformedHead),
        ),
        (
            SAMPLE.replace("Upgrade\r\n", "Upgrade\x0b\r\n"),
            Outcome::Rejected(MalformedHead),
        ),
        (
            SAMPLE.replace("Connection: Upgrade\r\n", "Connection: x,\r\n Upgrade\r\n"),
            Outcome::Rejected(ObsoleteLineFolding),
        ),
        (
            SAMPLE.replace("Connection:", "Connection :"),
            Outcome::Rejected(MalformedHead),
        ),
        (
            SAMPLE.replacen("\r\n", "\r\n X: 1\r\n", 1),
            Outcome::Rejected(MalformedHead),
        ),
        (
            SAMPLE.replace("Host: server.example.com\r\n", ""),
            Outcome::Rejected(MissingHost),
        ),
        (with_field("Host: b"), Outcome::Rejected(DuplicateHost)),
        (
            SAMPLE.replace("server.example.com", "a b"),
            Outcome::Rejected(InvalidHost),
        ),
        (
            with_field("Transfer-Encoding: chunked"),
            Outcome::Rejected(RequestHasBody),
        ),
        (
            with_field("Content-Length: 1"),
            Outcome::Rejected(RequestHasBody),
        ),
        (
            with_field("Content-Length: 0\r\nContent-Length: 0"),
            Outcome::Rejected(InvalidContentLength),
        ),
        (
            with_field("Content-Length: -0"),
            Outcome::Rejected(InvalidContentLength),
        ),
        (
            SAMPLE.replace("GET", "POST"),
            Outcome::Rejected(MethodNotAllowed),
        ),
        (
            SAMPLE.replace("Connection: Upgrade", "Connection: keep-alive"),
            Outcome::Rejected(MissingConnectionUpgrade),
        ),
        (
            SAMPLE.replace("Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n", ""),
            Outcome::Rejected(MissingKey),
        ),
        (
            with_field("Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ=="),
            Outcome::Rejected(DuplicateKey),
        ),
        (
            SAMPLE.replace("Sec-WebSocket-Version: 13\r\n", ""),
            Outcome::Rejected(MissingVersion),
        ),
        (
            with_field("Sec-WebSocket-Version: 13"),
            Outcome::Rejected(DuplicateVersion),
        ),
        (
            SAMPLE.replace("Version: 13", "Version: 8"),
            Outcome::Rejected(UnsupportedVersion),
        ),
        (
            with_field("Origin: http://b.example"),
            Outcome::Rejected(DuplicateOrigin),
        ),
        (
            SAMPLE.replace("chat, superchat", "chat, a/b"),
            Outcome::Rejected(InvalidSubprotocolList),
        ),
        (
            with_field("Sec-WebSocket-Extensions: foo; bar=\"a,b\""),
            Outcome::Rejected(InvalidExtensionList),
        ),
        (
            SAMPLE.replace("HTTP/1.1", "HTTP/1.0"),
            Outcome::NotUpgrade(NotUpgrade::Http10),
        ),
        (
            SAMPLE.replace("Upgrade: websocket", "Upgrade: h2c"),
            Outcome::NotUpgrade(NotUpgrade::UnsupportedProtocol),
        ),
        (
            with_field("Sec-WebSocket-Extensions: constructor, __proto__"),
            Outcome::UpgradeRequest(UpgradeTarget::WebSocket),
        ),
    ];
    for (req, want) in cases {
        assert_eq!(outcome(&c, req.as_bytes()), want, "{req:?}");
        invariants_hold(req.as_bytes());
    }
    let origins = ServerConfig::builder()
        .allowed_origins(["https://app.example"])
        .build()
        .unwrap();
    for origin in ["http://example.com", "null"] {
        let req = SAMPLE.replace("http://example.com", origin);
        assert_eq!(
            outcome(&origins, req.as_bytes()),
            Outcome::Rejected(OriginNotAllowed)
        );
    }
    let required = ServerConfig::builder()
        .subprotocols(["mqtt"])
        .require_subprotocol(true)
        .build()
        .unwrap();
    assert_eq!(
        outcome(&required, SAMPLE.as_bytes()),
        Outcome::Rejected(NoSubprotocolMatch)
    );
    // Limits and their statuses.
    assert_eq!(
        Limits::default(),
        Limits {
            max_head_bytes: 16 * 1024,
            max_headers: 128,
            max_request_line: 8 * 1024,
            max_header_line: 8 * 1024,
        }
    );
    assert_eq!(ServerConfig::default().response_capacity(), 4096);
    for (e, status) in [
        (HeadTooLarge, 431),
        (TooManyHeaders, 431),
        (HeaderLineTooLong, 431),
        (RequestLineTooLong, 414),
    ] {
        assert_eq!(e.status(), status);
    }
}
