//! Regression tests: bugs found here by fuzzing, known handshake bugs of other
//! projects (each test named after the CVE or issue, showing we are not
//! affected), and hostile-input budgets counted in work, not time.

#[path = "support/mod.rs"]
mod support;

use support::http_check::parse_response;
use support::server_check::{check_server_input, configs};
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
