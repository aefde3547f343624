//! Server handshake rules, from RFC 6455 §4.2, RFC 9110 §7.8 and RFC 9112.

mod common;

use std::sync::Arc;

use common::*;
use wshandshake::*;

const SAMPLE: &[u8] = b"GET /chat HTTP/1.1\r\n\
Host: server.example.com\r\n\
Upgrade: websocket\r\n\
Connection: Upgrade\r\n\
Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\
Origin: http://example.com\r\n\
Sec-WebSocket-Protocol: chat, superchat\r\n\
Sec-WebSocket-Version: 13\r\n\r\n";

/// Result of running one request through both paths, which must agree.
struct Run {
    outcome: Outcome,
    consumed: usize,
    response: Vec<u8>,
}

fn one_shot(config: &ServerConfig, input: &[u8]) -> Run {
    let mut out = vec![0u8; 8192];
    let r = respond(config, input, &mut out).unwrap();
    Run {
        outcome: r.outcome,
        consumed: r.consumed,
        response: out[..r.response_len].to_vec(),
    }
}

/// Feeds `input` in chunks of `chunk` bytes; accepts upgrade requests with the
/// default options.
fn handle(config: &Arc<ServerConfig>, input: &[u8], chunk: usize) -> Run {
    let mut hs = ServerHandshake::new(config.clone());
    let mut consumed = 0;
    let mut outcome = Outcome::NeedMore;
    for piece in input.chunks(chunk.max(1)) {
        let f = hs.feed(piece).unwrap();
        consumed += f.consumed;
        outcome = f.outcome;
        if outcome != Outcome::NeedMore {
            break;
        }
    }
    if let Outcome::UpgradeRequest(_) = outcome {
        hs.accept(&AcceptOptions::default()).unwrap();
    }
    Run {
        outcome,
        consumed,
        response: hs.pending_response().to_vec(),
    }
}

/// Runs both paths whole and byte-at-a-time and checks they agree.
fn check(config: &ServerConfig, input: &[u8]) -> Run {
    let arc = Arc::new(config.clone());
    let a = one_shot(config, input);
    for chunk in [input.len().max(1), 1, 7] {
        let b = handle(&arc, input, chunk);
        assert_eq!(a.outcome, b.outcome, "chunk {chunk}");
        assert_eq!(a.response, b.response, "chunk {chunk}");
        if !matches!(a.outcome, Outcome::Rejected(_)) {
            assert_eq!(a.consumed, b.consumed, "chunk {chunk}");
        }
    }
    if !a.response.is_empty() {
        assert_well_formed_response(&a.response);
    }
    a
}

fn default_config() -> ServerConfig {
    ServerConfig::builder().build().unwrap()
}

fn chat_config() -> ServerConfig {
    ServerConfig::builder()
        .subprotocols(["chat", "superchat"])
        .build()
        .unwrap()
}

/// Replaces the line starting with `prefix` (case-sensitive) by `line`, or drops
/// it when `line` is empty.
fn edit(req: &[u8], prefix: &str, line: &str) -> Vec<u8> {
    let text = std::str::from_utf8(req).unwrap();
    let mut out = String::new();
    for l in text.split_inclusive("\r\n") {
        if l.starts_with(prefix) {
            if !line.is_empty() {
                out.push_str(line);
                out.push_str("\r\n");
            }
        } else {
            out.push_str(l);
        }
    }
    out.into_bytes()
}

fn add(req: &[u8], line: &str) -> Vec<u8> {
    let mut v = req[..req.len() - 2].to_vec();
    v.extend_from_slice(line.as_bytes());
    v.extend_from_slice(b"\r\n\r\n");
    v
}

fn rejected(config: &ServerConfig, req: &[u8]) -> (RequestError, Vec<u8>) {
    let r = check(config, req);
    match r.outcome {
        Outcome::Rejected(e) => {
            assert_eq!(status_of(&r.response), e.status());
            assert_eq!(r.consumed, req.len(), "a rejection takes every byte");
            assert_eq!(
                response_header(&r.response, "connection")
                    .map(|c| c.to_ascii_lowercase().contains("close")),
                Some(true)
            );
            (e, r.response)
        }
        other => panic!("expected a rejection, got {other:?}"),
    }
}

#[test]
fn rfc6455_sample_is_accepted() {
    let r = check(&chat_config(), SAMPLE);
    assert_eq!(r.outcome, Outcome::UpgradeRequest(UpgradeTarget::WebSocket));
    assert_eq!(r.consumed, SAMPLE.len());
    assert_eq!(
        std::str::from_utf8(&r.response).unwrap(),
        "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\
         Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\nSec-WebSocket-Protocol: chat\r\n\r\n"
    );
}

#[test]
fn no_subprotocol_when_none_supported() {
    let r = check(&default_config(), SAMPLE);
    assert_eq!(response_header(&r.response, "sec-websocket-protocol"), None);
    assert_eq!(status_of(&r.response), 101);
}

#[test]
fn leftover_bytes_are_not_consumed() {
    let mut input = SAMPLE.to_vec();
    input.extend_from_slice(b"\x81\x85\x37\xfa\x21\x3d\x7f\x9f\x4d\x51\x58");
    let r = check(&chat_config(), &input);
    assert_eq!(r.consumed, SAMPLE.len());
    // The handle reports the same split when the frame arrives in the same read.
    let mut hs = ServerHandshake::new(Arc::new(chat_config()));
    let f = hs.feed(&input[..100]).unwrap();
    assert_eq!((f.outcome, f.consumed), (Outcome::NeedMore, 100));
    let f = hs.feed(&input[100..]).unwrap();
    assert_eq!(f.consumed, SAMPLE.len() - 100);
    assert_eq!(
        &input[100 + f.consumed..],
        b"\x81\x85\x37\xfa\x21\x3d\x7f\x9f\x4d\x51\x58"
    );
}

#[test]
fn every_split_point_gives_the_same_result() {
    let config = Arc::new(
        ServerConfig::builder()
            .subprotocols(["chat"])
            .permessage_deflate(DeflateConfig::default())
            .build()
            .unwrap(),
    );
    for (name, req) in all_fixtures() {
        let whole = one_shot(&config, &req);
        assert!(
            matches!(whole.outcome, Outcome::UpgradeRequest(_)),
            "{name}: {:?}",
            whole.outcome
        );
        for split in 0..=req.len() {
            let mut hs = ServerHandshake::new(config.clone());
            let f1 = hs.feed(&req[..split]).unwrap();
            let (outcome, consumed) = if f1.outcome == Outcome::NeedMore {
                let f2 = hs.feed(&req[split..]).unwrap();
                (f2.outcome, f1.consumed + f2.consumed)
            } else {
                (f1.outcome, f1.consumed)
            };
            assert_eq!(outcome, whole.outcome, "{name} split {split}");
            assert_eq!(consumed, req.len(), "{name} split {split}");
            hs.accept(&AcceptOptions::default()).unwrap();
            assert_eq!(
                hs.pending_response(),
                &whole.response[..],
                "{name} split {split}"
            );
        }
    }
}

#[test]
fn real_clients_are_accepted_with_the_expected_negotiation() {
    let config = ServerConfig::builder()
        .subprotocols(["chat", "superchat"])
        .permessage_deflate(DeflateConfig::default())
        .build()
        .unwrap();
    for (name, req) in all_fixtures() {
        let r = check(&config, &req);
        assert_eq!(
            r.outcome,
            Outcome::UpgradeRequest(UpgradeTarget::WebSocket),
            "{name}"
        );
        let key = {
            let text = String::from_utf8_lossy(&req).into_owned();
            let line = text
                .lines()
                .find(|l| l.to_ascii_lowercase().starts_with("sec-websocket-key:"))
                .unwrap()
                .to_owned();
            line.split_once(':').unwrap().1.trim().to_owned()
        };
        let expected = accept_key(key.as_bytes());
        assert_eq!(
            response_header(&r.response, "sec-websocket-accept"),
            Some(std::str::from_utf8(&expected).unwrap()),
            "{name}"
        );
        let offers_deflate = String::from_utf8_lossy(&req).contains("permessage-deflate");
        assert_eq!(
            response_header(&r.response, "sec-websocket-extensions").is_some(),
            offers_deflate,
            "{name}"
        );
        if [
            "chromium.http",
            "chrome_deflate.http",
            "node-ws.http",
            "rfc6455_sample.http",
        ]
        .contains(&name.as_str())
        {
            assert_eq!(
                response_header(&r.response, "sec-websocket-protocol"),
                Some("chat"),
                "{name}"
            );
        }
    }
}

#[test]
fn method_other_than_get_is_405_with_allow() {
    let req = [b"POST".as_slice(), &SAMPLE[3..]].concat();
    let (e, resp) = rejected(&default_config(), &req);
    assert_eq!(e, RequestError::MethodNotAllowed);
    assert_eq!(response_header(&resp, "allow"), Some("GET"));
}

#[test]
fn version_rules() {
    let c = default_config();
    let (e, resp) = rejected(
        &c,
        &edit(SAMPLE, "Sec-WebSocket-Version", "Sec-WebSocket-Version: 8"),
    );
    assert_eq!(e, RequestError::UnsupportedVersion);
    assert_eq!(status_of(&resp), 426);
    assert_eq!(response_header(&resp, "sec-websocket-version"), Some("13"));
    assert_eq!(response_header(&resp, "upgrade"), Some("websocket"));
    let (e, resp) = rejected(&c, &edit(SAMPLE, "Sec-WebSocket-Version", ""));
    assert_eq!(e, RequestError::MissingVersion);
    assert_eq!(response_header(&resp, "sec-websocket-version"), Some("13"));
    let (e, _) = rejected(&c, &add(SAMPLE, "Sec-WebSocket-Version: 13"));
    assert_eq!(e, RequestError::DuplicateVersion);
}

#[test]
fn key_rules() {
    let c = default_config();
    assert_eq!(
        rejected(&c, &edit(SAMPLE, "Sec-WebSocket-Key", "")).0,
        RequestError::MissingKey
    );
    assert_eq!(
        rejected(
            &c,
            &add(SAMPLE, "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==")
        )
        .0,
        RequestError::DuplicateKey
    );
    for bad in [
        "dGhlIHNhbXBsZSBub25j",         // 15 bytes
        "dGhlIHNhbXBsZSBub25jZQo=",     // 17 bytes
        "dGhlIHNhbXBsZSBub25jZQpx",     // 18 bytes
        "dGhlIHNhbXBsZSBub25jZQ",       // unpadded
        "dGhlIHNhbXBsZSBub25jZQ==AAAA", // long
        "not base64 at all!!!!!!!",
    ] {
        let req = edit(
            SAMPLE,
            "Sec-WebSocket-Key",
            &format!("Sec-WebSocket-Key: {bad}"),
        );
        assert_eq!(rejected(&c, &req).0, RequestError::InvalidKey, "{bad}");
    }
}

#[test]
fn host_rules() {
    let c = default_config();
    assert_eq!(
        rejected(&c, &edit(SAMPLE, "Host", "")).0,
        RequestError::MissingHost
    );
    assert_eq!(
        rejected(&c, &add(SAMPLE, "Host: other")).0,
        RequestError::DuplicateHost
    );
    let lenient = ServerConfig::builder()
        .allow_missing_host(true)
        .build()
        .unwrap();
    assert_eq!(
        check(&lenient, &edit(SAMPLE, "Host", "")).outcome,
        Outcome::UpgradeRequest(UpgradeTarget::WebSocket)
    );
}

#[test]
fn connection_token_list() {
    let c = default_config();
    for ok in [
        "Connection: keep-alive, Upgrade",
        "Connection: UPGRADE",
        "Connection: close,upgrade , x",
    ] {
        let r = check(&c, &edit(SAMPLE, "Connection", ok));
        assert_eq!(
            r.outcome,
            Outcome::UpgradeRequest(UpgradeTarget::WebSocket),
            "{ok}"
        );
    }
    // Split over two field lines.
    let two = add(
        &edit(SAMPLE, "Connection", "Connection: keep-alive"),
        "Connection: upgrade",
    );
    assert_eq!(
        check(&c, &two).outcome,
        Outcome::UpgradeRequest(UpgradeTarget::WebSocket)
    );
    for bad in [
        "Connection: up",
        "Connection: No-Upgrade",
        "Connection: keep-alive",
        "",
    ] {
        let (e, _) = rejected(&c, &edit(SAMPLE, "Connection", bad));
        assert_eq!(e, RequestError::MissingConnectionUpgrade, "{bad}");
    }
}

#[test]
fn upgrade_token_list() {
    let c = default_config();
    for ok in [
        "Upgrade: WebSocket",
        "Upgrade: foo/1, websocket",
        "Upgrade: ,websocket,",
    ] {
        assert_eq!(
            check(&c, &edit(SAMPLE, "Upgrade", ok)).outcome,
            Outcome::UpgradeRequest(UpgradeTarget::WebSocket),
            "{ok}"
        );
    }
    for unsupported in ["Upgrade: websockets", "Upgrade: h2c", "Upgrade: web socket"] {
        let req = edit(SAMPLE, "Upgrade", unsupported);
        let r = check(&c, &req);
        assert_eq!(
            r.outcome,
            Outcome::NotUpgrade(NotUpgrade::UnsupportedProtocol),
            "{unsupported}"
        );
        assert!(r.response.is_empty());
        assert_eq!(r.consumed, req.len());
    }
}

#[test]
fn not_upgrade_requests_are_left_to_the_host() {
    let c = default_config();
    let plain = b"GET /index.html HTTP/1.1\r\nHost: a\r\n\r\nbody";
    let r = check(&c, plain);
    assert_eq!(r.outcome, Outcome::NotUpgrade(NotUpgrade::Plain));
    assert_eq!(r.consumed, plain.len() - 4);
    assert!(r.response.is_empty());
    let http10 = [b"GET /chat HTTP/1.0".as_slice(), &SAMPLE[18..]].concat();
    assert_eq!(
        check(&c, &http10).outcome,
        Outcome::NotUpgrade(NotUpgrade::Http10)
    );
    // The handle exposes the request for the host to serve.
    let mut hs = ServerHandshake::new(Arc::new(c));
    hs.feed(plain).unwrap();
    let req = hs.request().unwrap();
    assert_eq!(req.path(), "/index.html");
    assert_eq!(req.host(), Some("a"));
}

#[test]
fn http2_preface_is_recognised() {
    let c = default_config();
    let preface = b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n\x00\x00\x00\x04";
    let r = one_shot(&c, preface);
    assert_eq!(r.outcome, Outcome::NotUpgrade(NotUpgrade::Http2Preface));
    assert_eq!(r.consumed, 0);
    let mut hs = ServerHandshake::new(Arc::new(c));
    let mut outcome = Outcome::NeedMore;
    for b in preface.chunks(1) {
        outcome = hs.feed(b).unwrap().outcome;
        if outcome != Outcome::NeedMore {
            break;
        }
    }
    assert_eq!(outcome, Outcome::NotUpgrade(NotUpgrade::Http2Preface));
}

#[test]
fn origin_policy() {
    let c = ServerConfig::builder()
        .allowed_origins(["http://example.com", "https://app.example"])
        .build()
        .unwrap();
    assert_eq!(
        check(&c, SAMPLE).outcome,
        Outcome::UpgradeRequest(UpgradeTarget::WebSocket)
    );
    let upper = edit(SAMPLE, "Origin", "Origin: HTTP://EXAMPLE.COM");
    assert_eq!(
        check(&c, &upper).outcome,
        Outcome::UpgradeRequest(UpgradeTarget::WebSocket)
    );
    for bad in [
        "Origin: http://evil.example",
        "Origin: null",
        "Origin: http://example.com.evil",
        "Origin: http://example.co",
    ] {
        let (e, resp) = rejected(&c, &edit(SAMPLE, "Origin", bad));
        assert_eq!(e, RequestError::OriginNotAllowed, "{bad}");
        assert_eq!(status_of(&resp), 403);
    }
    assert_eq!(
        rejected(&c, &add(SAMPLE, "Origin: http://example.com")).0,
        RequestError::DuplicateOrigin
    );
    // Missing Origin: allowed unless required.
    let no_origin = edit(SAMPLE, "Origin", "");
    assert_eq!(
        check(&c, &no_origin).outcome,
        Outcome::UpgradeRequest(UpgradeTarget::WebSocket)
    );
    let required = ServerConfig::builder()
        .allowed_origins(["http://example.com"])
        .require_origin(true)
        .build()
        .unwrap();
    assert_eq!(
        rejected(&required, &no_origin).0,
        RequestError::OriginNotAllowed
    );
    assert!(
        ServerConfig::builder()
            .allowed_origins(["null"])
            .build()
            .is_err()
    );
}

#[test]
fn subprotocol_selection() {
    let client_pref = ServerConfig::builder()
        .subprotocols(["superchat", "chat"])
        .build()
        .unwrap();
    let r = check(&client_pref, SAMPLE);
    assert_eq!(
        response_header(&r.response, "sec-websocket-protocol"),
        Some("chat")
    );
    let server_pref = ServerConfig::builder()
        .subprotocols(["superchat", "chat"])
        .subprotocol_selection(SubprotocolSelection::ServerPreference)
        .build()
        .unwrap();
    let r = check(&server_pref, SAMPLE);
    assert_eq!(
        response_header(&r.response, "sec-websocket-protocol"),
        Some("superchat")
    );
    // Over two field lines, the client's order is kept.
    let split = add(
        &edit(
            SAMPLE,
            "Sec-WebSocket-Protocol",
            "Sec-WebSocket-Protocol: v1",
        ),
        "Sec-WebSocket-Protocol: superchat",
    );
    let r = check(&client_pref, &split);
    assert_eq!(
        response_header(&r.response, "sec-websocket-protocol"),
        Some("superchat")
    );
    // Required and missing.
    let required = ServerConfig::builder()
        .subprotocols(["mqtt"])
        .require_subprotocol(true)
        .build()
        .unwrap();
    assert_eq!(
        rejected(&required, SAMPLE).0,
        RequestError::NoSubprotocolMatch
    );
    // Not a token list.
    let bad = edit(
        SAMPLE,
        "Sec-WebSocket-Protocol",
        "Sec-WebSocket-Protocol: chat, \"super chat\"",
    );
    assert_eq!(
        rejected(&client_pref, &bad).0,
        RequestError::InvalidSubprotocolList
    );
    // Case-sensitive match: "Chat" is not "chat".
    let cased = edit(
        SAMPLE,
        "Sec-WebSocket-Protocol",
        "Sec-WebSocket-Protocol: Chat",
    );
    assert_eq!(
        response_header(
            &check(&client_pref, &cased).response,
            "sec-websocket-protocol"
        ),
        None
    );
}

#[test]
fn extensions_header_grammar() {
    let c = ServerConfig::builder()
        .permessage_deflate(DeflateConfig::default())
        .build()
        .unwrap();
    let ok = add(
        SAMPLE,
        "Sec-WebSocket-Extensions: x-unknown; a=\"1\", permessage-deflate; client_max_window_bits",
    );
    let r = check(&c, &ok);
    assert_eq!(
        response_header(&r.response, "sec-websocket-extensions"),
        Some("permessage-deflate")
    );
    let quoted_comma = add(
        SAMPLE,
        "Sec-WebSocket-Extensions: foo; bar=\"a,b\", permessage-deflate",
    );
    assert_eq!(
        rejected(&c, &quoted_comma).0,
        RequestError::InvalidExtensionList
    );
    let unknown_only = add(SAMPLE, "Sec-WebSocket-Extensions: x-webkit-deflate-frame");
    assert_eq!(
        response_header(
            &check(&c, &unknown_only).response,
            "sec-websocket-extensions"
        ),
        None
    );
    // Without deflate configured, offers are ignored.
    let r = check(&default_config(), &ok);
    assert_eq!(
        response_header(&r.response, "sec-websocket-extensions"),
        None
    );
}

#[test]
fn bodies_are_refused_on_upgrade_requests() {
    let c = default_config();
    assert_eq!(
        rejected(&c, &add(SAMPLE, "Transfer-Encoding: chunked")).0,
        RequestError::RequestHasBody
    );
    assert_eq!(
        rejected(&c, &add(SAMPLE, "Content-Length: 5")).0,
        RequestError::RequestHasBody
    );
    assert_eq!(
        rejected(&c, &add(SAMPLE, "Content-Length: x")).0,
        RequestError::InvalidContentLength
    );
    let two = add(&add(SAMPLE, "Content-Length: 0"), "Content-Length: 0");
    assert_eq!(rejected(&c, &two).0, RequestError::InvalidContentLength);
    assert_eq!(
        check(&c, &add(SAMPLE, "Content-Length: 0")).outcome,
        Outcome::UpgradeRequest(UpgradeTarget::WebSocket)
    );
}

#[test]
fn strict_syntax() {
    let c = default_config();
    let bare_lf = String::from_utf8(SAMPLE.to_vec())
        .unwrap()
        .replace("\r\n", "\n");
    assert_eq!(
        rejected(&c, bare_lf.as_bytes()).0,
        RequestError::BareLineFeed
    );
    let lenient = ServerConfig::builder().allow_bare_lf(true).build().unwrap();
    assert_eq!(
        check(&lenient, bare_lf.as_bytes()).outcome,
        Outcome::UpgradeRequest(UpgradeTarget::WebSocket)
    );
    let space_before_colon = edit(SAMPLE, "Host", "Host : server.example.com");
    assert_eq!(
        rejected(&c, &space_before_colon).0,
        RequestError::MalformedHead
    );
    let nul = edit(SAMPLE, "Origin", "Origin: http://exa\0mple.com");
    assert_eq!(rejected(&c, &nul).0, RequestError::MalformedHead);
    let bare_cr = edit(SAMPLE, "Origin", "Origin: http://exa\rmple.com");
    assert_eq!(rejected(&c, &bare_cr).0, RequestError::MalformedHead);
    let folded = edit(SAMPLE, "Origin", "Origin: http://example.com\r\n x");
    assert_eq!(rejected(&c, &folded).0, RequestError::ObsoleteLineFolding);
}

#[test]
fn obs_fold_is_unfolded_by_the_lenient_handle() {
    let c = Arc::new(
        ServerConfig::builder()
            .allow_obs_fold(true)
            .subprotocols(["superchat"])
            .build()
            .unwrap(),
    );
    let folded = edit(
        SAMPLE,
        "Sec-WebSocket-Protocol",
        "Sec-WebSocket-Protocol: chat,\r\n superchat",
    );
    let r = handle(&c, &folded, 1);
    assert_eq!(r.outcome, Outcome::UpgradeRequest(UpgradeTarget::WebSocket));
    assert_eq!(
        response_header(&r.response, "sec-websocket-protocol"),
        Some("superchat")
    );
}

#[test]
fn limits_at_and_past_the_boundary() {
    let at = |limits: Limits| ServerConfig::builder().limits(limits).build().unwrap();
    let d = Limits::default();
    let exact = at(Limits {
        max_head_bytes: SAMPLE.len(),
        ..d
    });
    assert_eq!(
        check(&exact, SAMPLE).outcome,
        Outcome::UpgradeRequest(UpgradeTarget::WebSocket)
    );
    let over = at(Limits {
        max_head_bytes: SAMPLE.len() - 1,
        ..d
    });
    let (e, resp) = rejected(&over, SAMPLE);
    assert_eq!((e, status_of(&resp)), (RequestError::HeadTooLarge, 431));
    let seven = at(Limits {
        max_headers: 7,
        ..d
    });
    assert_eq!(
        check(&seven, SAMPLE).outcome,
        Outcome::UpgradeRequest(UpgradeTarget::WebSocket)
    );
    let six = at(Limits {
        max_headers: 6,
        ..d
    });
    assert_eq!(rejected(&six, SAMPLE).0, RequestError::TooManyHeaders);
    let line = at(Limits {
        max_request_line: 18,
        ..d
    });
    assert_eq!(
        check(&line, SAMPLE).outcome,
        Outcome::UpgradeRequest(UpgradeTarget::WebSocket)
    );
    let short_line = at(Limits {
        max_request_line: 17,
        ..d
    });
    let (e, resp) = rejected(&short_line, SAMPLE);
    assert_eq!(
        (e, status_of(&resp)),
        (RequestError::RequestLineTooLong, 414)
    );
    let hl = at(Limits {
        max_header_line: 43,
        ..d
    });
    assert_eq!(
        check(&hl, SAMPLE).outcome,
        Outcome::UpgradeRequest(UpgradeTarget::WebSocket)
    );
    let hl_short = at(Limits {
        max_header_line: 42,
        ..d
    });
    assert_eq!(
        rejected(&hl_short, SAMPLE).0,
        RequestError::HeaderLineTooLong
    );
    // A default-limit head just over 16 KiB.
    let mut big = SAMPLE[..SAMPLE.len() - 2].to_vec();
    while big.len() < 16 * 1024 {
        big.extend_from_slice(format!("X-Pad: {}\r\n", "a".repeat(250)).as_bytes());
    }
    big.extend_from_slice(b"\r\n");
    let many = ServerConfig::builder()
        .limits(Limits {
            max_headers: 128,
            ..d
        })
        .build()
        .unwrap();
    assert_eq!(rejected(&many, &big).0, RequestError::HeadTooLarge);
    assert!(
        ServerConfig::builder()
            .limits(Limits {
                max_headers: 129,
                ..d
            })
            .build()
            .is_err()
    );
}

#[test]
fn generic_upgrade_in_client_order() {
    let c = ServerConfig::builder()
        .upgrade_protocols(["foo/2", "TLS/1.2"])
        .build()
        .unwrap();
    let req = b"OPTIONS * HTTP/1.1\r\nHost: a\r\nUpgrade: bar/1, TLS/1.2, foo/2\r\nConnection: Upgrade\r\n\r\n";
    let r = check(&c, req);
    assert_eq!(r.outcome, Outcome::UpgradeRequest(UpgradeTarget::Other(1)));
    assert_eq!(
        std::str::from_utf8(&r.response).unwrap(),
        "HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: TLS/1.2\r\n\r\n"
    );
    // Without Connection: upgrade the Upgrade field is ignored.
    let no_conn = b"GET / HTTP/1.1\r\nHost: a\r\nUpgrade: foo/2\r\n\r\n";
    assert_eq!(
        check(&c, no_conn).outcome,
        Outcome::NotUpgrade(NotUpgrade::UnsupportedProtocol)
    );
    // websocket before foo/2 in the client's order wins.
    let both = edit(SAMPLE, "Upgrade", "Upgrade: websocket, foo/2");
    assert_eq!(
        check(&c, &both).outcome,
        Outcome::UpgradeRequest(UpgradeTarget::WebSocket)
    );
    let ws_off = ServerConfig::builder()
        .websocket(false)
        .upgrade_protocols(["foo/2"])
        .build()
        .unwrap();
    let r = check(
        &ws_off,
        &edit(&add(SAMPLE, ""), "Upgrade", "Upgrade: websocket, foo/2"),
    );
    assert_eq!(r.outcome, Outcome::UpgradeRequest(UpgradeTarget::Other(0)));
}

#[test]
fn h2c_rules() {
    let c = ServerConfig::builder()
        .upgrade_protocols(["h2c"])
        .build()
        .unwrap();
    let good = b"GET / HTTP/1.1\r\nHost: a\r\nConnection: Upgrade, HTTP2-Settings\r\nUpgrade: h2c\r\nHTTP2-Settings: AAMAAABkAAQAoAAAAAIAAAAA\r\n\r\n";
    let r = check(&c, good);
    assert_eq!(r.outcome, Outcome::UpgradeRequest(UpgradeTarget::Other(0)));
    let mut hs = ServerHandshake::new(Arc::new(c.clone()));
    hs.feed(good).unwrap();
    let raw = hs.http2_settings().unwrap();
    let mut out = [0u8; 32];
    let n = wshandshake::decode_http2_settings(raw, &mut out).unwrap();
    assert_eq!(n, 18);
    assert_eq!(&out[..6], &[0, 3, 0, 0, 0, 100]);
    let text = std::str::from_utf8(good).unwrap();
    for bad in [
        text.replace("Connection: Upgrade, HTTP2-Settings", "Connection: Upgrade"),
        text.replace("HTTP2-Settings: AAMAAABkAAQAoAAAAAIAAAAA\r\n", ""),
        text.replace("AAMAAABkAAQAoAAAAAIAAAAA", "AAMAAABkAAQAoAAAAAIAAAAA=="),
        text.replace("AAMAAABkAAQAoAAAAAIAAAAA", "AAMAAA+kAAQAoAAAAAIAAAAA"),
        text.replace("AAMAAABkAAQAoAAAAAIAAAAA", "AAMAAAB"),
        text.replace("AAMAAABkAAQAoAAAAAIAAAAA", "AAMAAABkAAQ"),
        text.replace("\r\n\r\n", "\r\nHTTP2-Settings: AAMAAABk\r\n\r\n"),
    ] {
        let r = check(&c, bad.as_bytes());
        assert_eq!(
            r.outcome,
            Outcome::NotUpgrade(NotUpgrade::UnsupportedProtocol),
            "{bad}"
        );
        assert!(r.response.is_empty());
    }
}

#[test]
fn application_accept_options() {
    let c = Arc::new(
        ServerConfig::builder()
            .subprotocols(["chat"])
            .permessage_deflate(DeflateConfig::default())
            .build()
            .unwrap(),
    );
    let req = add(
        SAMPLE,
        "Sec-WebSocket-Extensions: permessage-deflate, x-foo",
    );
    let mut hs = ServerHandshake::new(c.clone());
    assert_eq!(
        hs.feed(&req).unwrap().outcome,
        Outcome::UpgradeRequest(UpgradeTarget::WebSocket)
    );
    let view = hs.request().unwrap();
    assert_eq!(
        view.subprotocols().collect::<Vec<_>>(),
        ["chat", "superchat"]
    );
    assert_eq!(
        view.extensions().map(|e| e.name()).collect::<Vec<_>>(),
        ["permessage-deflate", "x-foo"]
    );
    assert_eq!(view.path(), "/chat");
    assert_eq!(view.origin(), Some("http://example.com"));
    assert_eq!(hs.subprotocol(), Some("chat"));
    assert!(hs.deflate().is_some());
    assert_eq!(
        hs.accept(&AcceptOptions {
            subprotocol: SubprotocolChoice::Named("mqtt"),
            ..Default::default()
        }),
        Err(UsageError::SubprotocolNotOffered)
    );
    assert_eq!(
        hs.accept(&AcceptOptions {
            headers: &[("Set-Cookie", b"a=b\r\nX: y")],
            ..Default::default()
        }),
        Err(UsageError::InvalidHeaderValue)
    );
    assert_eq!(
        hs.accept(&AcceptOptions {
            headers: &[("Sec-WebSocket-Accept", b"x")],
            ..Default::default()
        }),
        Err(UsageError::ReservedHeader)
    );
    assert_eq!(
        hs.accept(&AcceptOptions {
            extensions: &["x-foo; a=\"b c\""],
            ..Default::default()
        }),
        Err(UsageError::InvalidExtension)
    );
    // One answer per offered extension: the same name twice (any case) would
    // be a 101 a client refuses (ours: a duplicate extension).
    assert_eq!(
        hs.accept(&AcceptOptions {
            extensions: &["x-foo; a=1", "X-Foo"],
            ..Default::default()
        }),
        Err(UsageError::InvalidExtension)
    );
    assert!(
        hs.pending_response().is_empty(),
        "failed accepts write nothing"
    );
    hs.accept(&AcceptOptions {
        subprotocol: SubprotocolChoice::Named("superchat"),
        decline_deflate: true,
        extensions: &["x-foo"],
        headers: &[("Set-Cookie", b"sid=1")],
    })
    .unwrap();
    let resp = hs.pending_response().to_vec();
    assert_well_formed_response(&resp);
    assert_eq!(
        response_header(&resp, "sec-websocket-protocol"),
        Some("superchat")
    );
    assert_eq!(
        response_header(&resp, "sec-websocket-extensions"),
        Some("x-foo")
    );
    assert_eq!(response_header(&resp, "set-cookie"), Some("sid=1"));
    assert_eq!(hs.subprotocol(), Some("superchat"));
    assert_eq!(hs.deflate(), None);
    assert_eq!(
        hs.accept(&AcceptOptions::default()),
        Err(UsageError::WrongState)
    );
    assert_eq!(hs.feed(b"x"), Err(UsageError::WrongState));
    // Drain in small pieces.
    let mut sent = Vec::new();
    let mut buf = [0u8; 10];
    loop {
        let n = hs.drain_response(&mut buf);
        if n == 0 {
            break;
        }
        sent.extend_from_slice(&buf[..n]);
    }
    assert_eq!(sent, resp);
}

#[test]
fn a_request_that_is_not_an_upgrade_may_get_a_plain_2xx_or_3xx() {
    let c = Arc::new(default_config());
    let mut hs = ServerHandshake::new(c);
    let plain = b"GET /index.html HTTP/1.1\r\nHost: example.com\r\n\r\n";
    assert_eq!(
        hs.feed(plain).unwrap().outcome,
        Outcome::NotUpgrade(NotUpgrade::Plain)
    );
    // 1xx is never an answer the application may write; 600 is no status.
    for status in [100, 101, 199, 600] {
        assert_eq!(hs.reject(status, &[], b""), Err(UsageError::InvalidStatus));
    }
    // 204 has no content (RFC 9110 15.3.5).
    assert_eq!(hs.reject(204, &[], b"x"), Err(UsageError::BodyNotAllowed));
    hs.reject(200, &[("Content-Type", b"text/html")], b"<p>hi</p>")
        .unwrap();
    let resp = hs.pending_response().to_vec();
    assert_well_formed_response(&resp);
    assert!(resp.starts_with(b"HTTP/1.1 200 OK\r\n"));
    assert_eq!(response_header(&resp, "content-type"), Some("text/html"));
    assert_eq!(response_header(&resp, "content-length"), Some("9"));
    assert_eq!(response_header(&resp, "connection"), Some("close"));
    assert!(resp.ends_with(b"\r\n\r\n<p>hi</p>"));
    // A 204 goes out without Content-Length or body; a redirect with its Location.
    for (status, headers, start) in [
        (204, &[][..], &b"HTTP/1.1 204 No Content\r\n"[..]),
        (
            301,
            &[("Location", &b"/new"[..])][..],
            &b"HTTP/1.1 301 Moved Permanently\r\n"[..],
        ),
    ] {
        hs.reset();
        hs.feed(plain).unwrap();
        hs.reject(status, headers, b"").unwrap();
        let resp = hs.pending_response().to_vec();
        if status != 204 {
            assert_well_formed_response(&resp);
        }
        assert!(
            resp.starts_with(start),
            "{}",
            String::from_utf8_lossy(&resp)
        );
        assert_eq!(
            response_header(&resp, "content-length").is_some(),
            status != 204
        );
        assert!(resp.ends_with(b"\r\n\r\n"));
    }
    // An upgrade request still takes only a rejection.
    hs.reset();
    hs.feed(SAMPLE).unwrap();
    assert_eq!(hs.reject(200, &[], b""), Err(UsageError::InvalidStatus));
    assert_eq!(hs.reject(204, &[], b""), Err(UsageError::InvalidStatus));
}

#[test]
fn a_rejection_that_sends_upgrade_lists_upgrade_in_connection() {
    let c = Arc::new(default_config());
    let mut hs = ServerHandshake::new(c);
    hs.feed(SAMPLE).unwrap();
    let upgrade: &[(&str, &[u8])] = &[("Upgrade", b"websocket"), ("Sec-WebSocket-Version", b"13")];
    hs.reject(426, upgrade, b"").unwrap();
    let resp = hs.pending_response().to_vec();
    assert_well_formed_response(&resp);
    assert!(resp.starts_with(b"HTTP/1.1 426 Upgrade Required\r\n"));
    assert_eq!(response_header(&resp, "upgrade"), Some("websocket"));
    // RFC 9110 7.8: a sender of Upgrade sends the "upgrade" connection option.
    assert_eq!(response_header(&resp, "connection"), Some("upgrade, close"));
    // The field name is matched case-insensitively; without it, just close.
    for (headers, connection) in [
        (&[("uPgRaDe", &b"foo/2"[..])][..], "upgrade, close"),
        (&[("X-Upgraded", &b"no"[..])][..], "close"),
    ] {
        hs.reset();
        hs.feed(SAMPLE).unwrap();
        hs.reject(426, headers, b"").unwrap();
        let resp = hs.pending_response().to_vec();
        assert_eq!(response_header(&resp, "connection"), Some(connection));
    }
}

#[test]
fn application_rejects() {
    let c = Arc::new(default_config());
    let mut hs = ServerHandshake::new(c);
    hs.feed(SAMPLE).unwrap();
    assert_eq!(hs.reject(200, &[], b""), Err(UsageError::InvalidStatus));
    assert_eq!(
        hs.reject(401, &[("Content-Length", b"1")], b""),
        Err(UsageError::ReservedHeader)
    );
    hs.reject(
        401,
        &[("WWW-Authenticate", b"Bearer realm=\"chat\"")],
        b"login first",
    )
    .unwrap();
    let resp = hs.pending_response().to_vec();
    assert_well_formed_response(&resp);
    assert!(resp.starts_with(b"HTTP/1.1 401 Unauthorized\r\n"));
    assert_eq!(
        response_header(&resp, "www-authenticate"),
        Some("Bearer realm=\"chat\"")
    );
    assert!(resp.ends_with(b"\r\n\r\nlogin first"));
    assert!(!hs.is_accepted());
    // Reuse after reset.
    hs.reset();
    assert_eq!(
        hs.feed(SAMPLE).unwrap().outcome,
        Outcome::UpgradeRequest(UpgradeTarget::WebSocket)
    );
    hs.reject(404, &[], b"").unwrap();
    assert!(
        hs.pending_response()
            .starts_with(b"HTTP/1.1 404 Not Found\r\n")
    );
    // Oversized body for the response buffer.
    hs.reset();
    hs.feed(SAMPLE).unwrap();
    let body = vec![b'x'; 5000];
    assert!(matches!(
        hs.reject(403, &[], &body),
        Err(UsageError::BufferTooSmall { .. })
    ));
}

#[test]
fn one_shot_reports_the_buffer_size_needed() {
    let c = chat_config();
    let mut small = [0u8; 50];
    match respond(&c, SAMPLE, &mut small) {
        Err(UsageError::BufferTooSmall { needed }) => {
            let mut exact = vec![0u8; needed];
            let r = respond(&c, SAMPLE, &mut exact).unwrap();
            assert_eq!(r.response_len, needed);
        }
        other => panic!("{other:?}"),
    }
    // A partial head is NeedMore, nothing written.
    let r = respond(&c, &SAMPLE[..40], &mut small).unwrap();
    assert_eq!(
        (r.outcome, r.consumed, r.response_len),
        (Outcome::NeedMore, 0, 0)
    );
}

#[test]
fn rejection_never_reports_websocket_data() {
    // A request that is refused, followed by bytes shaped like a frame or a
    // smuggled request: all of it is taken, nothing is handed on.
    let c = default_config();
    let mut input = edit(
        SAMPLE,
        "Sec-WebSocket-Version",
        "Sec-WebSocket-Version: 1337",
    );
    input.extend_from_slice(b"GET /admin HTTP/1.1\r\nHost: internal\r\n\r\n");
    let r = check(&c, &input);
    assert!(matches!(
        r.outcome,
        Outcome::Rejected(RequestError::UnsupportedVersion)
    ));
    assert_eq!(r.consumed, input.len());
}

/// The one-byte feed fast path must not take bytes once the head is decided,
/// whichever way it was decided.
#[test]
fn a_byte_after_the_decision_is_refused_whatever_decided_it() {
    let feed_bytewise = |hs: &mut ServerHandshake, input: &[u8]| {
        for b in input.chunks(1) {
            if hs.feed(b).unwrap().outcome != Outcome::NeedMore {
                break;
            }
        }
    };
    // Accepted-to-be, fed a byte at a time.
    let mut hs = ServerHandshake::new(Arc::new(chat_config()));
    feed_bytewise(&mut hs, SAMPLE);
    assert_eq!(
        hs.outcome(),
        Outcome::UpgradeRequest(UpgradeTarget::WebSocket)
    );
    assert_eq!(hs.feed(b"x"), Err(UsageError::WrongState));
    // Rejected in the middle of a line that grew too long.
    let tight = Arc::new(
        ServerConfig::builder()
            .limits(Limits {
                max_header_line: 12,
                ..Limits::default()
            })
            .build()
            .unwrap(),
    );
    let mut hs = ServerHandshake::new(tight.clone());
    feed_bytewise(&mut hs, SAMPLE);
    assert_eq!(
        hs.outcome(),
        Outcome::Rejected(RequestError::HeaderLineTooLong)
    );
    assert_eq!(hs.feed(b"x"), Err(UsageError::WrongState));
    // Rejected for size with part of a chunk left over, then one byte.
    let small = Arc::new(
        ServerConfig::builder()
            .limits(Limits {
                max_head_bytes: 40,
                ..Limits::default()
            })
            .build()
            .unwrap(),
    );
    let mut hs = ServerHandshake::new(small);
    assert_eq!(hs.feed(b"G").unwrap().outcome, Outcome::NeedMore);
    assert!(matches!(
        hs.feed(&SAMPLE[1..]).unwrap().outcome,
        Outcome::Rejected(_)
    ));
    assert_eq!(hs.feed(b"x"), Err(UsageError::WrongState));
    // And a reset starts over.
    hs.reset();
    assert_eq!(hs.feed(b"G").unwrap().outcome, Outcome::NeedMore);
}

/// RFC 7692 §7.1, server side, one row per rule: the server's policy, the
/// client's offers, the response element (None: every offer declined, no
/// extension) and the parameters the server's framing layer must use. Both
/// paths, whole and in chunks (`check`).
#[test]
fn rfc7692_section_7_1_offer_rows() {
    let d = DeflateConfig::default();
    let server10 = DeflateConfig {
        server_max_window_bits: 10,
        ..d
    };
    let client10 = DeflateConfig {
        client_max_window_bits: 10,
        ..d
    };
    let snct = DeflateConfig {
        server_no_context_takeover: true,
        ..d
    };
    let cnct = DeflateConfig {
        client_no_context_takeover: true,
        ..d
    };
    let p = |snct, cnct, server_bits, client_bits| DeflateParams {
        server_no_context_takeover: snct,
        client_no_context_takeover: cnct,
        server_max_window_bits: server_bits,
        client_max_window_bits: client_bits,
    };
    type Row<'a> = (
        &'a str,
        DeflateConfig,
        &'a str,
        Option<(&'a str, DeflateParams)>,
    );
    let rows: Vec<Row<'_>> = vec![
        // §7.1.1.1 server_no_context_takeover.
        (
            "an offered server_no_context_takeover is answered",
            d,
            "permessage-deflate; server_no_context_takeover",
            Some((
                "permessage-deflate; server_no_context_takeover",
                p(true, false, 15, 15),
            )),
        ),
        (
            "the server MAY answer server_no_context_takeover unasked",
            snct,
            "permessage-deflate",
            Some((
                "permessage-deflate; server_no_context_takeover",
                p(true, false, 15, 15),
            )),
        ),
        (
            "server_no_context_takeover with a value: declined",
            d,
            "permessage-deflate; server_no_context_takeover=1",
            None,
        ),
        // §7.1.1.2 client_no_context_takeover.
        (
            "an offered client_no_context_takeover is taken up, so both sides record it",
            d,
            "permessage-deflate; client_no_context_takeover",
            Some((
                "permessage-deflate; client_no_context_takeover",
                p(false, true, 15, 15),
            )),
        ),
        (
            "the server MAY answer client_no_context_takeover unasked",
            cnct,
            "permessage-deflate",
            Some((
                "permessage-deflate; client_no_context_takeover",
                p(false, true, 15, 15),
            )),
        ),
        (
            "client_no_context_takeover with a value: declined",
            d,
            "permessage-deflate; client_no_context_takeover=\"x\"",
            None,
        ),
        // §7.1.2.1 server_max_window_bits.
        (
            "accepted with the same value",
            d,
            "permessage-deflate; server_max_window_bits=10",
            Some((
                "permessage-deflate; server_max_window_bits=10",
                p(false, false, 10, 15),
            )),
        ),
        (
            "accepted with a smaller value (the server's limit)",
            server10,
            "permessage-deflate; server_max_window_bits=12",
            Some((
                "permessage-deflate; server_max_window_bits=10",
                p(false, false, 10, 15),
            )),
        ),
        (
            "never raised above what was asked, not even 8 to 9",
            server10,
            "permessage-deflate; server_max_window_bits=8",
            Some((
                "permessage-deflate; server_max_window_bits=8",
                p(false, false, 8, 15),
            )),
        ),
        (
            "not asked: a reduced window is used without telling (see the policy table)",
            server10,
            "permessage-deflate",
            Some(("permessage-deflate", p(false, false, 10, 15))),
        ),
        (
            "a quoted value is the same value (RFC 6455 §9.1)",
            d,
            "permessage-deflate; server_max_window_bits=\"9\"",
            Some((
                "permessage-deflate; server_max_window_bits=9",
                p(false, false, 9, 15),
            )),
        ),
        (
            "below 8: declined",
            d,
            "permessage-deflate; server_max_window_bits=7",
            None,
        ),
        (
            "above 15: declined",
            d,
            "permessage-deflate; server_max_window_bits=16",
            None,
        ),
        (
            "a leading zero: declined",
            d,
            "permessage-deflate; server_max_window_bits=010",
            None,
        ),
        (
            "without a value: declined",
            d,
            "permessage-deflate; server_max_window_bits",
            None,
        ),
        // §7.1.2.2 client_max_window_bits.
        (
            "not offered: never answered",
            d,
            "permessage-deflate",
            Some(("permessage-deflate", p(false, false, 15, 15))),
        ),
        (
            "not offered and the server needs a smaller client window: declined",
            client10,
            "permessage-deflate",
            None,
        ),
        (
            "offered without a value, server at 15: nothing to answer",
            d,
            "permessage-deflate; client_max_window_bits",
            Some(("permessage-deflate", p(false, false, 15, 15))),
        ),
        (
            "offered without a value: the server's limit is answered",
            client10,
            "permessage-deflate; client_max_window_bits",
            Some((
                "permessage-deflate; client_max_window_bits=10",
                p(false, false, 15, 10),
            )),
        ),
        (
            "offered with a value: echoed, so the server's inflater is no larger",
            d,
            "permessage-deflate; client_max_window_bits=12",
            Some((
                "permessage-deflate; client_max_window_bits=12",
                p(false, false, 15, 12),
            )),
        ),
        (
            "offered with a larger value than the server's limit",
            client10,
            "permessage-deflate; client_max_window_bits=12",
            Some((
                "permessage-deflate; client_max_window_bits=10",
                p(false, false, 15, 10),
            )),
        ),
        (
            "offered with a smaller value than the server's limit",
            client10,
            "permessage-deflate; client_max_window_bits=9",
            Some((
                "permessage-deflate; client_max_window_bits=9",
                p(false, false, 15, 9),
            )),
        ),
        (
            "client_max_window_bits above 15: declined",
            d,
            "permessage-deflate; client_max_window_bits=16",
            None,
        ),
        // §7.1: unknown or repeated parameters decline that offer only.
        (
            "an unknown parameter: declined",
            d,
            "permessage-deflate; x-mode=fast",
            None,
        ),
        (
            "a repeated parameter: declined",
            d,
            "permessage-deflate; client_max_window_bits; client_max_window_bits",
            None,
        ),
        // §5.1 and §7: offers in the client's preference order, first acceptable wins.
        (
            "a declined offer falls back to the next",
            d,
            "permessage-deflate; server_max_window_bits=7, permessage-deflate; server_max_window_bits=11",
            Some((
                "permessage-deflate; server_max_window_bits=11",
                p(false, false, 11, 15),
            )),
        ),
        (
            "the first acceptable offer wins",
            d,
            "permessage-deflate; server_max_window_bits=12, permessage-deflate",
            Some((
                "permessage-deflate; server_max_window_bits=12",
                p(false, false, 12, 15),
            )),
        ),
    ];
    for (rule, deflate, offers, expected) in rows {
        let config = ServerConfig::builder()
            .permessage_deflate(deflate)
            .build()
            .unwrap();
        let req = add(SAMPLE, &format!("Sec-WebSocket-Extensions: {offers}"));
        let run = check(&config, &req);
        assert_eq!(
            run.outcome,
            Outcome::UpgradeRequest(UpgradeTarget::WebSocket),
            "{rule}"
        );
        let answered = response_header(&run.response, "sec-websocket-extensions");
        let mut out = vec![0u8; 4096];
        let negotiated = respond(&config, &req, &mut out).unwrap().deflate;
        assert_eq!(answered, expected.map(|(element, _)| element), "{rule}");
        assert_eq!(negotiated, expected.map(|(_, params)| params), "{rule}");
    }
}

/// The body of a response: what follows the empty line.
fn body_of(response: &[u8]) -> &[u8] {
    let end = response.windows(4).position(|w| w == b"\r\n\r\n").unwrap() + 4;
    &response[end..]
}

#[test]
fn no_body_in_answers_to_head_requests() {
    // RFC 9110 section 9.3.2: the fields a GET would get, no content. A body
    // after them would parse as a second response.
    let config = default_config();
    let head_upgrade = edit(SAMPLE, "GET ", "HEAD /chat HTTP/1.1");
    let arc = Arc::new(config.clone());
    for run in [
        one_shot(&config, &head_upgrade),
        handle(&arc, &head_upgrade, 1),
    ] {
        assert_eq!(
            run.outcome,
            Outcome::Rejected(RequestError::MethodNotAllowed)
        );
        assert_eq!(status_of(&run.response), 405);
        let length = format!("{}", RequestError::MethodNotAllowed.description().len() + 1);
        assert_eq!(
            response_header(&run.response, "content-length"),
            Some(length.as_str())
        );
        assert_eq!(body_of(&run.response), b"");
    }
    // The application's own answer to a HEAD request (upgrade or not).
    for request in [
        head_upgrade.clone(),
        b"HEAD /page HTTP/1.1\r\nHost: a\r\n\r\n".to_vec(),
        b"\r\nHEAD /page HTTP/1.1\r\nHost: a\r\n\r\n".to_vec(),
    ] {
        let mut hs = ServerHandshake::new(arc.clone());
        let outcome = hs.feed(&request).unwrap().outcome;
        if matches!(outcome, Outcome::Rejected(_)) {
            continue;
        }
        hs.reject(401, &[("WWW-Authenticate", b"Basic")], b"login first")
            .unwrap();
        let response = hs.pending_response();
        assert_eq!(status_of(response), 401);
        assert_eq!(response_header(response, "content-length"), Some("11"));
        assert_eq!(body_of(response), b"");
    }
    // A GET still gets its body.
    let mut hs = ServerHandshake::new(arc);
    hs.feed(b"GET /page HTTP/1.1\r\nHost: a\r\n\r\n").unwrap();
    hs.reject(404, &[], b"no such page").unwrap();
    assert_eq!(body_of(hs.pending_response()), b"no such page");
}

#[test]
fn a_304_has_no_body_and_no_content_length() {
    // RFC 9110 section 15.4.5.
    let arc = Arc::new(default_config());
    let mut hs = ServerHandshake::new(arc);
    hs.feed(SAMPLE).unwrap();
    assert_eq!(
        hs.reject(304, &[], b"<html>second response</html>"),
        Err(UsageError::BodyNotAllowed)
    );
    assert_eq!(
        hs.pending_response(),
        b"",
        "a refused reject changes nothing"
    );
    hs.reject(304, &[("ETag", b"\"v1\"")], b"").unwrap();
    let response = hs.pending_response();
    assert_eq!(status_of(response), 304);
    assert_eq!(response_header(response, "content-length"), None);
    assert_eq!(response_header(response, "content-type"), None);
    assert_eq!(response_header(response, "etag"), Some("\"v1\""));
    assert!(response.ends_with(b"\r\n\r\n"));
    assert_eq!(body_of(response), b"");
}

#[test]
fn raw_non_ascii_bytes_in_the_target_are_refused() {
    // RFC 9112 section 3.2: the target is URI syntax, visible ASCII. The
    // strict parser stopped at such bytes and httparse's fallback took them
    // (a 101 for `/caf\xc3\xa9` and a right-to-left override).
    let config = default_config();
    for target in [
        &b"/caf\xc3\xa9"[..],
        b"/\xe2\x80\xae/admin",
        b"/\x80",
        b"/a\xff",
    ] {
        let mut request = b"GET ".to_vec();
        request.extend_from_slice(target);
        request.extend_from_slice(&SAMPLE[9..]);
        let (e, _) = rejected(&config, &request);
        assert_eq!(e, RequestError::MalformedHead, "{target:?}");
        // Not an upgrade either: still refused, never handed on.
        let plain = [&b"GET "[..], target, b" HTTP/1.1\r\nHost: a\r\n\r\n"].concat();
        assert_eq!(rejected(&config, &plain).0, RequestError::MalformedHead);
    }
    // Percent-encoded, the same path is fine.
    let encoded = edit(SAMPLE, "GET ", "GET /caf%C3%A9 HTTP/1.1");
    assert_eq!(
        check(&config, &encoded).outcome,
        Outcome::UpgradeRequest(UpgradeTarget::WebSocket)
    );
}

#[test]
fn host_is_the_authority_of_an_absolute_form_target() {
    // RFC 9112 section 3.2.2: the target's authority rules over Host.
    let config = Arc::new(default_config());
    let request = edit(
        SAMPLE,
        "GET ",
        "GET http://user@target.example:8080/chat?room=1 HTTP/1.1",
    );
    let mut hs = ServerHandshake::new(config.clone());
    assert_eq!(
        hs.feed(&request).unwrap().outcome,
        Outcome::UpgradeRequest(UpgradeTarget::WebSocket)
    );
    let view = hs.request().unwrap();
    assert_eq!(view.host(), Some("target.example:8080"));
    assert_eq!(view.header_str("host"), Some("server.example.com"));
    // Origin-form: the Host field.
    let mut hs = ServerHandshake::new(config);
    hs.feed(SAMPLE).unwrap();
    assert_eq!(hs.request().unwrap().host(), Some("server.example.com"));
}

/// The default field count: a legitimate request that went through a few
/// proxies carries 100 fields and gets its 101 (64 refused it with a 431);
/// one field past the default of 128 is a 431, on both paths.
#[test]
fn default_field_count_takes_a_proxied_request() {
    let config = default_config();
    assert_eq!(config.limits().max_headers, 128);
    let with_fields = |n: usize| {
        let mut req = SAMPLE.to_vec();
        for i in 0..n {
            req = add(
                &req,
                &format!("X-Forwarded-Hop-{i}: 10.0.{}.{}", i / 256, i % 256),
            );
        }
        req
    };
    // SAMPLE has 7 fields.
    let hundred = with_fields(93);
    assert_eq!(
        check(&config, &hundred).outcome,
        Outcome::UpgradeRequest(UpgradeTarget::WebSocket)
    );
    let at_limit = with_fields(121);
    assert_eq!(
        check(&config, &at_limit).outcome,
        Outcome::UpgradeRequest(UpgradeTarget::WebSocket)
    );
    assert_eq!(
        rejected(&config, &with_fields(122)).0,
        RequestError::TooManyHeaders
    );
}

/// RFC 9112 §3.2 and RFC 6455 §3, §4.2.1: an upgrade request's target is
/// origin-form or absolute-form; asterisk-form is for OPTIONS and authority-form
/// for CONNECT; a fragment is never part of a target. `path` is the path part
/// everywhere (no query; for absolute-form no scheme or authority).
#[test]
fn request_target_forms() {
    let c = chat_config();
    let with_target = |target: &str| {
        String::from_utf8(SAMPLE.to_vec())
            .unwrap()
            .replacen("GET /chat ", &format!("GET {target} "), 1)
            .into_bytes()
    };
    for target in [
        "*",
        "server.example.com:80",
        "server.example.com",
        "/chat#section",
        "/chat?x=1#",
        "http://server.example.com/chat#f",
    ] {
        let (e, response) = rejected(&c, &with_target(target));
        assert_eq!(e, RequestError::InvalidTarget, "{target}");
        assert_eq!(status_of(&response), 400, "{target}");
    }
    // Accepted forms, with what the request view reports.
    for (target, path, query) in [
        ("/chat", "/chat", None),
        ("/chat?room=1&x", "/chat", Some("room=1&x")),
        ("//chat", "//chat", None),
        (
            "http://server.example.com/chat?room=1",
            "/chat",
            Some("room=1"),
        ),
        ("https://user@server.example.com:443", "/", None),
        ("ws://server.example.com?x", "/", Some("x")),
    ] {
        let req = with_target(target);
        assert_eq!(
            check(&c, &req).outcome,
            Outcome::UpgradeRequest(UpgradeTarget::WebSocket),
            "{target}"
        );
        let mut hs = ServerHandshake::new(Arc::new(c.clone()));
        hs.feed(&req).unwrap();
        let view = hs.request().unwrap();
        assert_eq!(
            (view.target(), view.path(), view.query()),
            (target, path, query),
            "{target}"
        );
    }
    // A generic upgrade follows the method: OPTIONS * (RFC 2817's TLS upgrade)
    // and CONNECT host:port are their forms, GET * is not, fragments never.
    let g = ServerConfig::builder()
        .upgrade_protocols(["foo/2"])
        .build()
        .unwrap();
    let generic = |line: &str| {
        format!("{line} HTTP/1.1\r\nHost: a\r\nUpgrade: foo/2\r\nConnection: Upgrade\r\n\r\n")
            .into_bytes()
    };
    for line in ["OPTIONS *", "CONNECT a:443", "POST /x", "GET http://a/x"] {
        assert_eq!(
            check(&g, &generic(line)).outcome,
            Outcome::UpgradeRequest(UpgradeTarget::Other(0)),
            "{line}"
        );
    }
    for line in ["GET *", "OPTIONS a:443", "GET a:443", "POST /x#y"] {
        assert_eq!(
            rejected(&g, &generic(line)).0,
            RequestError::InvalidTarget,
            "{line}"
        );
    }
    // Not an upgrade: the target is the host's business, reported as sent.
    let plain = b"OPTIONS * HTTP/1.1\r\nHost: a\r\n\r\n";
    assert_eq!(
        check(&c, plain).outcome,
        Outcome::NotUpgrade(NotUpgrade::Plain)
    );
    let mut hs = ServerHandshake::new(Arc::new(c.clone()));
    hs.feed(plain).unwrap();
    assert_eq!(hs.request().unwrap().path(), "*");
}

/// The lenient unbracketed-IPv6 Host (WebSocket-Node sends `Host: ::1:PORT`):
/// off by default (RFC 3986 §3.2.2 brackets an IP literal, RFC 9112 §3.2 wants a
/// 400 for an invalid Host); on, only the shape is accepted.
#[test]
fn unbracketed_ipv6_host_is_a_lenient_switch() {
    let strict = default_config();
    let lenient = ServerConfig::builder()
        .allow_unbracketed_ipv6_host(true)
        .build()
        .unwrap();
    let with_host = |host: &str| edit(SAMPLE, "Host:", &format!("Host: {host}"));
    for host in [
        "::1:43343",
        "::1",
        "fe80::1:8080",
        "::ffff:127.0.0.1:80",
        "2001:db8::7:9",
    ] {
        let req = with_host(host);
        assert_eq!(
            rejected(&strict, &req).0,
            RequestError::InvalidHost,
            "{host}"
        );
        assert_eq!(
            check(&lenient, &req).outcome,
            Outcome::UpgradeRequest(UpgradeTarget::WebSocket),
            "{host}"
        );
        let mut hs = ServerHandshake::new(Arc::new(lenient.clone()));
        hs.feed(&req).unwrap();
        assert_eq!(hs.request().unwrap().host(), Some(host), "reported as sent");
    }
    // Still refused with the switch on: not that shape.
    for host in [
        "::g:80",
        ":::1",
        "::1:80 x",
        "::1%25eth0:80",
        "1111:2222:3333:4444:5555:6666:7777:8888:65535:12",
    ] {
        assert_eq!(
            rejected(&lenient, &with_host(host)).0,
            RequestError::InvalidHost,
            "{host}"
        );
    }
    // Bracketed literals and names are unaffected either way.
    for config in [&strict, &lenient] {
        for host in ["[::1]:8080", "example.com:80", "127.0.0.1"] {
            assert_eq!(
                check(config, &with_host(host)).outcome,
                Outcome::UpgradeRequest(UpgradeTarget::WebSocket),
                "{host}"
            );
        }
    }
}

#[test]
fn head_detection_does_not_depend_on_the_chunking() {
    // Found by the server_feed fuzz target: a bare LF before "HEAD". Fed a
    // byte at a time the scanner refuses at the first byte, with nothing of
    // the request line seen; whole, the buffer held "HEAD ..." too. Only a
    // complete, parsed head tells a HEAD request (and drops the body), so
    // every chunking answers alike.
    let input = b"\nHEAD 7\r\nUser-AgeContent-Lengt\xff\xff\xff\xff\xff\xff\xff\xff\xffnYQW\x0e8-f=\r\n\r\n";
    let run = check(&default_config(), input);
    assert_eq!(run.outcome, Outcome::Rejected(RequestError::BareLineFeed));
    assert!(!body_of(&run.response).is_empty());
    // A HEAD request whose framing breaks after its request line: the same.
    let framing = b"HEAD / HTTP/1.1\r\nHost: a\nX: y\r\n\r\n";
    let run = check(&default_config(), framing);
    assert_eq!(run.outcome, Outcome::Rejected(RequestError::BareLineFeed));
    assert!(!body_of(&run.response).is_empty());
}
