//! The client side of the opening handshake, through the public API: request
//! building from URLs, response rules, split invariance, refusals, and round
//! trips against our own server.

use std::sync::Arc;

use wshandshake::internals::BytesScanned;
use wshandshake::{
    AcceptOptions, ClientConfig, ClientHandshake, ClientKey, ClientLimits, ClientOffer,
    ClientOutcome, DeflateConfig, DeflateParams, Outcome, ResponseError, ServerConfig,
    ServerHandshake, SubprotocolMode, SubprotocolSelection, UpgradeTarget, UsageError, respond,
};

const SAMPLE_ACCEPT: &str = "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=";

fn sample_key() -> ClientKey {
    ClientKey::from_nonce(*b"the sample nonce")
}

fn request_text(url: &str) -> String {
    let config = ClientConfig::builder(url).build().unwrap();
    String::from_utf8(config.request(&ClientKey::from_nonce([0; 16]))).unwrap()
}

fn request_line_and_host(url: &str) -> (String, String) {
    let text = request_text(url);
    let mut lines = text.split("\r\n");
    let request_line = lines.next().unwrap().to_owned();
    let host = lines
        .find_map(|l| l.strip_prefix("Host: "))
        .unwrap()
        .to_owned();
    (request_line, host)
}

// ---------------------------------------------------------------- request side

#[test]
fn url_to_request_line_and_host() {
    for (url, line, host, secure) in [
        (
            "ws://[::1]:9000/x?y",
            "GET /x?y HTTP/1.1",
            "[::1]:9000",
            false,
        ),
        (
            "wss://example.com:443/",
            "GET / HTTP/1.1",
            "example.com",
            true,
        ),
        (
            "ws://example.com:80",
            "GET / HTTP/1.1",
            "example.com",
            false,
        ),
        (
            "ws://example.com:443/a",
            "GET /a HTTP/1.1",
            "example.com:443",
            false,
        ),
        (
            "wss://example.com:80/a",
            "GET /a HTTP/1.1",
            "example.com:80",
            true,
        ),
        (
            "WSS://Example.COM/Chat",
            "GET /Chat HTTP/1.1",
            "example.com",
            true,
        ),
        (
            "wS://127.0.0.1:8080?q=1",
            "GET /?q=1 HTTP/1.1",
            "127.0.0.1:8080",
            false,
        ),
        (
            "ws://h/p%20q?a=%2F&b",
            "GET /p%20q?a=%2F&b HTTP/1.1",
            "h",
            false,
        ),
        (
            "wss://[2001:db8::7]/",
            "GET / HTTP/1.1",
            "[2001:db8::7]",
            true,
        ),
    ] {
        assert_eq!(
            request_line_and_host(url),
            (line.to_owned(), host.to_owned()),
            "{url}"
        );
        let config = ClientConfig::builder(url).build().unwrap();
        assert_eq!(config.secure(), secure, "{url}");
    }
}

#[test]
fn invalid_urls_produce_no_request() {
    for bad in [
        "ws://example.com/#frag",
        "ws://example.com#",
        "http://example.com/",
        "ws://user:pass@example.com/",
        "ws:///path",
        "ws://exa mple.com/",
        "ws://example.com/a b",
        "ws://example.com/%GG",
        "ws://example.com/\n",
        "ws://[::1/",
        "ws://[::1]:0/",
        "ws://example.com:99999/",
    ] {
        assert_eq!(
            ClientConfig::builder(bad).build(),
            Err(UsageError::InvalidUrl),
            "{bad:?}"
        );
    }
}

#[test]
fn deterministic_key_and_header_order() {
    let config = ClientConfig::builder("ws://server.example.com/chat")
        .origin("http://example.com")
        .subprotocols(["chat", "superchat"])
        .build()
        .unwrap();
    // RFC 6455 §1.2's sample request, with our header order.
    assert_eq!(
        String::from_utf8(config.request(&sample_key())).unwrap(),
        "GET /chat HTTP/1.1\r\nHost: server.example.com\r\nUpgrade: websocket\r\n\
         Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\
         Sec-WebSocket-Version: 13\r\nOrigin: http://example.com\r\n\
         Sec-WebSocket-Protocol: chat, superchat\r\n\r\n"
    );
    let zero = ClientKey::from_nonce([0; 16]);
    assert_eq!(zero.as_str(), "AAAAAAAAAAAAAAAAAAAAAA==");
    let client = ClientHandshake::with_key(config, zero);
    assert!(
        String::from_utf8_lossy(client.request())
            .contains("\r\nSec-WebSocket-Key: AAAAAAAAAAAAAAAAAAAAAA==\r\n")
    );
}

#[test]
fn os_keys_are_fresh() {
    let config = Arc::new(ClientConfig::builder("ws://h/").build().unwrap());
    let a = ClientHandshake::new(config.clone()).unwrap();
    let b = ClientHandshake::new(config).unwrap();
    assert_ne!(a.key(), b.key());
    assert_ne!(a.request(), b.request());
}

#[test]
fn invalid_request_inputs() {
    let b = || ClientConfig::builder("ws://h/");
    assert_eq!(
        b().subprotocols(["a", "a"]).build(),
        Err(UsageError::DuplicateSubprotocol)
    );
    assert_eq!(
        b().add_subprotocol("a,b").build(),
        Err(UsageError::InvalidSubprotocol)
    );
    assert_eq!(
        b().origin("http://a/path").build(),
        Err(UsageError::InvalidOrigin)
    );
    assert_eq!(
        b().extension("x; y, z").build(),
        Err(UsageError::InvalidExtension)
    );
    assert_eq!(
        b().header("Connection", "close").build(),
        Err(UsageError::ReservedHeader)
    );
    assert_eq!(
        b().header("X-Split", "a\r\n\r\nGET / HTTP/1.1").build(),
        Err(UsageError::InvalidHeaderValue)
    );
    assert_eq!(
        b().header("X:Y", "a").build(),
        Err(UsageError::InvalidHeaderName)
    );
}

// ---------------------------------------------------------------- response side

/// Everything a client run decides, for comparing runs.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Run {
    outcome: ClientOutcome,
    /// Input offset where the handshake stopped taking bytes (None after Failed,
    /// where every byte of the last call is taken).
    stopped_at: Option<usize>,
    status: Option<u16>,
    subprotocol: Option<String>,
    deflate: Option<DeflateParams>,
    extensions: Vec<String>,
    headers: Vec<(String, Vec<u8>)>,
    body: Vec<u8>,
}

fn run_chunks(mut client: ClientHandshake, input: &[u8], chunks: &[usize]) -> Run {
    let mut offset = 0;
    let mut outcome = ClientOutcome::NeedMore;
    let mut bounds = chunks.iter().copied().chain(std::iter::repeat(usize::MAX));
    while offset < input.len() && outcome == ClientOutcome::NeedMore {
        let n = bounds.next().unwrap().min(input.len() - offset);
        let fed = client.feed(&input[offset..offset + n]).unwrap();
        assert!(fed.consumed <= n);
        if fed.outcome == ClientOutcome::NeedMore {
            assert_eq!(fed.consumed, n, "NeedMore takes every byte");
        }
        offset += fed.consumed;
        outcome = fed.outcome;
    }
    if outcome == ClientOutcome::NeedMore {
        outcome = client.finish().unwrap();
    }
    assert_eq!(client.feed(b"more"), Err(UsageError::WrongState));
    Run {
        outcome,
        stopped_at: (!matches!(outcome, ClientOutcome::Failed(_))).then_some(offset),
        status: client.status(),
        subprotocol: client.subprotocol().map(str::to_owned),
        deflate: client.deflate(),
        extensions: client.extensions().map(str::to_owned).collect(),
        headers: client
            .response()
            .map(|r| {
                r.headers()
                    .map(|(n, v)| (n.to_owned(), v.to_vec()))
                    .collect()
            })
            .unwrap_or_default(),
        body: client.body().to_vec(),
    }
}

fn full_config() -> Arc<ClientConfig> {
    Arc::new(
        ClientConfig::builder("ws://server.example.com/chat")
            .subprotocols(["chat", "superchat"])
            .permessage_deflate(ClientOffer::default())
            .extension("x-foo")
            .build()
            .unwrap(),
    )
}

fn new_client(config: &Arc<ClientConfig>) -> ClientHandshake {
    ClientHandshake::with_key(config.clone(), sample_key())
}

fn accepted_101(extra: &str) -> String {
    format!(
        "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\
         Sec-WebSocket-Accept: {SAMPLE_ACCEPT}\r\n{extra}\r\n"
    )
}

#[test]
fn rfc6455_sample_exchange() {
    let config = Arc::new(
        ClientConfig::builder("ws://server.example.com/chat")
            .origin("http://example.com")
            .subprotocols(["chat", "superchat"])
            .build()
            .unwrap(),
    );
    let response = accepted_101("Sec-WebSocket-Protocol: chat\r\n");
    let run = run_chunks(new_client(&config), response.as_bytes(), &[]);
    assert_eq!(run.outcome, ClientOutcome::Accepted);
    assert_eq!(run.stopped_at, Some(response.len()));
    assert_eq!(run.subprotocol.as_deref(), Some("chat"));
    assert_eq!(run.status, Some(101));
}

/// Responses covering every path: accept with everything negotiated, interim
/// responses, each refusal framing, and failures.
fn split_cases() -> Vec<(Arc<ClientConfig>, Vec<u8>, ClientOutcome)> {
    let full = full_config();
    let small = Arc::new(
        ClientConfig::builder("ws://h/")
            .limits(ClientLimits {
                max_head_bytes: 80,
                max_headers: 3,
                max_body_bytes: 8,
            })
            .build()
            .unwrap(),
    );
    let accept = accepted_101(
        "Sec-WebSocket-Protocol: superchat\r\n\
         Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits=12, x-foo\r\n",
    );
    let mut cases = vec![
        (
            full.clone(),
            accept.clone(),
            ClientOutcome::Accepted,
        ),
        (
            full.clone(),
            format!(
                "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </s.css>\r\n\r\n{accept}frames"
            ),
            ClientOutcome::Accepted,
        ),
        (
            full.clone(),
            "HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: Bearer\r\nContent-Length: 12\r\n\r\nlogin first!NEXT".into(),
            ClientOutcome::Refused(401),
        ),
        (
            full.clone(),
            "HTTP/1.1 403 Forbidden\r\nTransfer-Encoding: chunked\r\n\r\n4;a=b\r\nno w\r\n3\r\nay!\r\n0\r\nX-Why: origin\r\n\r\nNEXT".into(),
            ClientOutcome::Refused(403),
        ),
        (
            full.clone(),
            "HTTP/1.1 302 Found\r\nLocation: wss://elsewhere/\r\nConnection: close\r\n\r\nsee elsewhere".into(),
            ClientOutcome::Refused(302),
        ),
        (
            full.clone(),
            "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 204 No Content\r\n\r\nNEXT".into(),
            ClientOutcome::Refused(204),
        ),
        (
            full.clone(),
            accepted_101("").replace(SAMPLE_ACCEPT, "x3JJHMbDL1EzLkh9GBhXDw=="),
            ClientOutcome::Failed(ResponseError::WrongAccept),
        ),
        (
            full.clone(),
            accepted_101("Sec-WebSocket-Protocol: chat\r\nSec-WebSocket-Extensions: x-bar\r\n"),
            ClientOutcome::Failed(ResponseError::UnexpectedExtension),
        ),
        (
            full.clone(),
            "HTTP/1.1 500 Oops\r\nTransfer-Encoding: chunked\r\n\r\n4\r\nabc\r\n".into(),
            ClientOutcome::Failed(ResponseError::InvalidChunkedBody),
        ),
        (
            full.clone(),
            "HTTP/1.1 101 S\r\nUpgrade: websocket\r".into(),
            ClientOutcome::Failed(ResponseError::IncompleteHead),
        ),
        (
            full,
            "HTTP/1.1 401 U\r\nContent-Length: 10\r\n\r\nshort".into(),
            ClientOutcome::Failed(ResponseError::IncompleteBody),
        ),
        (
            small.clone(),
            format!("HTTP/1.1 200 OK\r\nX-Pad: {}\r\n\r\n", "p".repeat(80)),
            ClientOutcome::Failed(ResponseError::HeadTooLarge),
        ),
        (
            small.clone(),
            "HTTP/1.1 200 OK\r\nA: 1\r\nB: 2\r\nC: 3\r\nD: 4\r\n\r\n".into(),
            ClientOutcome::Failed(ResponseError::TooManyHeaders),
        ),
        (
            small.clone(),
            "HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n0123456789".into(),
            ClientOutcome::Failed(ResponseError::BodyTooLarge),
        ),
        (
            small,
            "HTTP/1.1 200 OK\nA: 1\r\n\r\n".into(),
            ClientOutcome::Failed(ResponseError::MalformedHead),
        ),
    ]
    .into_iter()
    .map(|(c, s, o)| (c, s.into_bytes(), o))
    .collect::<Vec<_>>();
    // A WebSocket frame (and a byte that is not UTF-8) after the head.
    cases[0].1.extend_from_slice(b"\x81\x02hi\xff");
    cases
}

#[test]
fn split_invariance() {
    for (config, input, expected) in split_cases() {
        let whole = run_chunks(new_client(&config), &input, &[]);
        assert_eq!(
            whole.outcome,
            expected,
            "{:?}",
            String::from_utf8_lossy(&input)
        );
        let bytewise = run_chunks(new_client(&config), &input, &[1; 4096]);
        assert_eq!(bytewise, whole, "byte at a time");
        for split in 0..=input.len() {
            let run = run_chunks(new_client(&config), &input, &[split]);
            assert_eq!(run, whole, "split at {split}");
        }
        for step in [2, 3, 7, 64] {
            let run = run_chunks(new_client(&config), &input, &vec![step; input.len()]);
            assert_eq!(run, whole, "steps of {step}");
        }
    }
}

#[test]
fn accepted_details_and_leftover() {
    let (config, input, _) = split_cases().swap_remove(0);
    let run = run_chunks(new_client(&config), &input, &[]);
    assert_eq!(run.subprotocol.as_deref(), Some("superchat"));
    assert_eq!(
        run.extensions,
        ["permessage-deflate; client_max_window_bits=12", "x-foo"]
    );
    assert_eq!(
        run.deflate,
        Some(DeflateParams {
            server_no_context_takeover: false,
            client_no_context_takeover: false,
            server_max_window_bits: 15,
            client_max_window_bits: 12,
        })
    );
    assert_eq!(&input[run.stopped_at.unwrap()..], b"\x81\x02hi\xff");
}

#[test]
fn interim_then_accept_keeps_frames() {
    let (config, input, _) = split_cases().swap_remove(1);
    let run = run_chunks(new_client(&config), &input, &[]);
    assert_eq!(run.outcome, ClientOutcome::Accepted);
    assert_eq!(&input[run.stopped_at.unwrap()..], b"frames");
    // The exposed head is the 101's, not an interim one.
    assert!(run.headers.iter().any(|(n, _)| n == "Sec-WebSocket-Accept"));
    assert!(!run.headers.iter().any(|(n, _)| n == "Link"));
}

#[test]
fn refusals_are_exposed() {
    let cases = split_cases();
    let run = run_chunks(new_client(&cases[2].0), &cases[2].1, &[]);
    assert_eq!(run.outcome, ClientOutcome::Refused(401));
    assert_eq!(run.body, b"login first!");
    assert_eq!(&cases[2].1[run.stopped_at.unwrap()..], b"NEXT");
    assert!(
        run.headers
            .contains(&("WWW-Authenticate".to_owned(), b"Bearer".to_vec()))
    );

    let run = run_chunks(new_client(&cases[3].0), &cases[3].1, &[]);
    assert_eq!(run.outcome, ClientOutcome::Refused(403));
    assert_eq!(run.body, b"no way!");
    assert_eq!(&cases[3].1[run.stopped_at.unwrap()..], b"NEXT");

    let mut client = new_client(&cases[4].0);
    let fed = client.feed(&cases[4].1).unwrap();
    assert_eq!(fed.outcome, ClientOutcome::NeedMore);
    let response = client.response().unwrap();
    assert_eq!(response.status(), 302);
    assert_eq!(response.reason(), "Found");
    assert_eq!(response.header_str("location"), Some("wss://elsewhere/"));
    assert_eq!(client.finish(), Ok(ClientOutcome::Refused(302)));
    assert_eq!(client.body(), b"see elsewhere");
    assert_eq!(client.subprotocol(), None);
    assert_eq!(client.deflate(), None);
}

#[test]
fn body_too_large_keeps_the_head() {
    let config = Arc::new(
        ClientConfig::builder("ws://h/")
            .limits(ClientLimits {
                max_body_bytes: 3,
                ..ClientLimits::default()
            })
            .build()
            .unwrap(),
    );
    let mut client = new_client(&config);
    let fed = client
        .feed(b"HTTP/1.1 413 Content Too Large\r\nContent-Length: 4\r\n\r\nabcd")
        .unwrap();
    assert_eq!(
        fed.outcome,
        ClientOutcome::Failed(ResponseError::BodyTooLarge)
    );
    assert_eq!(client.response().unwrap().status(), 413);
    assert!(client.body().is_empty());
}

#[test]
fn rfc6455_mode_allows_a_missing_subprotocol() {
    let make = |mode| {
        Arc::new(
            ClientConfig::builder("ws://h/")
                .subprotocols(["chat"])
                .subprotocol_mode(mode)
                .build()
                .unwrap(),
        )
    };
    let browser = run_chunks(
        new_client(&make(SubprotocolMode::Browser)),
        accepted_101("").as_bytes(),
        &[],
    );
    assert_eq!(
        browser.outcome,
        ClientOutcome::Failed(ResponseError::MissingSubprotocol)
    );
    let rfc = run_chunks(
        new_client(&make(SubprotocolMode::Rfc6455)),
        accepted_101("").as_bytes(),
        &[],
    );
    assert_eq!(rfc.outcome, ClientOutcome::Accepted);
    assert_eq!(rfc.subprotocol, None);
}

#[test]
fn each_response_rule_has_its_error() {
    use ResponseError::*;
    let config = full_config();
    let accept_line = format!("Sec-WebSocket-Accept: {SAMPLE_ACCEPT}\r\n");
    let ok_head = "HTTP/1.1 101 Switching Protocols\r\n";
    let both = "Upgrade: websocket\r\nConnection: Upgrade\r\n";
    let proto = "Sec-WebSocket-Protocol: chat\r\n";
    let cases: Vec<(String, ResponseError)> = vec![
        (
            format!("HTTP/1.1 101 S\r\nConnection: Upgrade\r\n{accept_line}{proto}\r\n"),
            MissingUpgrade,
        ),
        (
            format!("HTTP/1.1 101 S\r\nUpgrade: websocket\r\n{accept_line}{proto}\r\n"),
            MissingConnectionUpgrade,
        ),
        (format!("{ok_head}{both}{proto}\r\n"), MissingAccept),
        (
            format!("{ok_head}{both}{accept_line}{accept_line}{proto}\r\n"),
            DuplicateAccept,
        ),
        (
            format!("{ok_head}{both}Sec-WebSocket-Accept: dGhlIHNhbXBsZSBub25jZQ==\r\n{proto}\r\n"),
            WrongAccept,
        ),
        (
            format!("{ok_head}{both}{accept_line}Sec-WebSocket-Protocol: other\r\n\r\n"),
            UnexpectedSubprotocol,
        ),
        (
            format!("{ok_head}{both}{accept_line}\r\n"),
            MissingSubprotocol,
        ),
        (
            format!("{ok_head}{both}{accept_line}{proto}{proto}\r\n"),
            DuplicateSubprotocol,
        ),
        (
            format!(
                "{ok_head}{both}{accept_line}{proto}Sec-WebSocket-Extensions: x-foo, x-foo\r\n\r\n"
            ),
            DuplicateExtension,
        ),
        (
            format!(
                "{ok_head}{both}{accept_line}{proto}Sec-WebSocket-Extensions: x-unknown\r\n\r\n"
            ),
            UnexpectedExtension,
        ),
        (
            format!(
                "{ok_head}{both}{accept_line}{proto}Sec-WebSocket-Extensions: x-foo; =\r\n\r\n"
            ),
            InvalidExtensions,
        ),
        (
            format!(
                "{ok_head}{both}{accept_line}{proto}Sec-WebSocket-Extensions: permessage-deflate; server_max_window_bits=16\r\n\r\n"
            ),
            InvalidDeflateParameter,
        ),
        (
            format!(
                "{ok_head}{both}{accept_line}{proto}Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits\r\n\r\n"
            ),
            UnexpectedClientWindowBits,
        ),
        (
            format!("HTTP/1.0 101 S\r\n{both}{accept_line}{proto}\r\n"),
            InvalidVersion,
        ),
        ("HTTP/1.1 700 What\r\n\r\n".into(), InvalidStatus),
        (
            "HTTP/1.1 200 OK\r\nContent-Length: x\r\n\r\n".into(),
            InvalidContentLength,
        ),
        (
            "HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n".into(),
            InvalidContentLength,
        ),
        (
            "HTTP/1.1 101\r\nUpgrade : websocket\r\n\r\n".into(),
            MalformedHead,
        ),
        ("GET / HTTP/1.1\r\n\r\n".into(), MalformedHead),
    ];
    for (response, expected) in cases {
        let run = run_chunks(new_client(&config), response.as_bytes(), &[]);
        assert_eq!(run.outcome, ClientOutcome::Failed(expected), "{response:?}");
        // No negotiation result leaks out of a failed handshake.
        assert_eq!((run.subprotocol, run.deflate), (None, None));
        assert!(run.extensions.is_empty());
    }
    // DeflateWindowTooLarge, MissingServerNoContextTakeover and
    // MissingServerMaxWindowBits need a stricter offer.
    let strict = Arc::new(
        ClientConfig::builder("ws://h/")
            .permessage_deflate(ClientOffer {
                server_no_context_takeover: true,
                client_no_context_takeover: false,
                server_max_window_bits: Some(9),
                client_max_window_bits: Some(Some(10)),
            })
            .build()
            .unwrap(),
    );
    for (ext, expected) in [
        (
            "permessage-deflate; server_max_window_bits=9",
            MissingServerNoContextTakeover,
        ),
        (
            "permessage-deflate; server_no_context_takeover; server_max_window_bits=10",
            DeflateWindowTooLarge,
        ),
        (
            "permessage-deflate; server_no_context_takeover; server_max_window_bits=9; \
             client_max_window_bits=11",
            DeflateWindowTooLarge,
        ),
        (
            "permessage-deflate; server_no_context_takeover; client_max_window_bits=10",
            MissingServerMaxWindowBits,
        ),
    ] {
        let response = accepted_101(&format!("Sec-WebSocket-Extensions: {ext}\r\n"));
        let run = run_chunks(new_client(&strict), response.as_bytes(), &[]);
        assert_eq!(run.outcome, ClientOutcome::Failed(expected), "{ext}");
    }
}

#[test]
fn many_interim_responses_are_examined_once() {
    let config = full_config();
    let mut input = "HTTP/1.1 100 Continue\r\n\r\n".repeat(2000).into_bytes();
    input.extend_from_slice(accepted_101("Sec-WebSocket-Protocol: chat\r\n").as_bytes());
    for step in [input.len(), 1000, 1] {
        let mut client = new_client(&config);
        let mut offset = 0;
        while client.outcome() == ClientOutcome::NeedMore {
            let end = (offset + step).min(input.len());
            offset += client.feed(&input[offset..end]).unwrap().consumed;
        }
        assert_eq!(client.outcome(), ClientOutcome::Accepted);
        assert_eq!(offset, input.len());
        // Every head byte was examined exactly once.
        assert_eq!(client.bytes_scanned(), input.len());
    }
}

// ---------------------------------------------------------------- round trips

fn server_configs() -> Vec<ServerConfig> {
    let deflates = [
        None,
        Some(DeflateConfig::default()),
        Some(DeflateConfig {
            server_max_window_bits: 12,
            ..DeflateConfig::default()
        }),
        Some(DeflateConfig {
            client_max_window_bits: 11,
            ..DeflateConfig::default()
        }),
        Some(DeflateConfig {
            server_no_context_takeover: true,
            client_no_context_takeover: true,
            ..DeflateConfig::default()
        }),
        Some(DeflateConfig {
            server_max_window_bits: 8,
            client_max_window_bits: 8,
            server_no_context_takeover: false,
            client_no_context_takeover: false,
        }),
    ];
    let protocol_sets: [&[&str]; 4] = [&[], &["chat"], &["superchat", "chat"], &["v1", "v2"]];
    let mut out = Vec::new();
    for deflate in deflates {
        for protocols in protocol_sets {
            for selection in [
                SubprotocolSelection::ClientPreference,
                SubprotocolSelection::ServerPreference,
            ] {
                for require in [false, true] {
                    let mut b = ServerConfig::builder()
                        .subprotocols(protocols.iter().copied())
                        .subprotocol_selection(selection)
                        .require_subprotocol(require);
                    if let Some(d) = deflate {
                        b = b.permessage_deflate(d);
                    }
                    out.push(b.build().unwrap());
                }
            }
        }
    }
    out
}

fn client_configs() -> Vec<ClientConfig> {
    let unlimited = ClientOffer {
        client_max_window_bits: None,
        ..ClientOffer::default()
    };
    let small = ClientOffer {
        server_max_window_bits: Some(10),
        client_max_window_bits: Some(Some(9)),
        ..ClientOffer::default()
    };
    let eight = ClientOffer {
        client_no_context_takeover: true,
        server_max_window_bits: Some(8),
        ..ClientOffer::default()
    };
    let snct = ClientOffer {
        server_no_context_takeover: true,
        ..ClientOffer::default()
    };
    // Offer lists, each in the client's order of preference.
    let offers: [&[ClientOffer]; 9] = [
        &[],
        &[ClientOffer::default()],
        &[unlimited],
        &[snct],
        &[small],
        &[eight],
        &[small, ClientOffer::default()],
        &[unlimited, ClientOffer::default()],
        &[eight, snct, unlimited],
    ];
    let protocol_sets: [&[&str]; 5] = [
        &[],
        &["chat"],
        &["chat", "superchat"],
        &["superchat", "chat"],
        &["v2", "v1", "x"],
    ];
    let mut out = Vec::new();
    for (i, offer) in offers.into_iter().enumerate() {
        for protocols in protocol_sets {
            for mode in [SubprotocolMode::Browser, SubprotocolMode::Rfc6455] {
                let mut b = ClientConfig::builder("ws://127.0.0.1:9001/echo?x=1")
                    .origin("http://localhost:3000")
                    .subprotocols(protocols.iter().copied())
                    .subprotocol_mode(mode);
                for o in offer {
                    b = b.add_permessage_deflate(*o);
                }
                if i % 2 == 1 {
                    b = b
                        .header("Authorization", "Bearer abc")
                        .header("User-Agent", "wshandshake-test");
                }
                out.push(b.build().unwrap());
            }
        }
    }
    out
}

/// Checks that both sides agree after one exchange.
fn assert_agree(
    client: &ClientHandshake,
    client_outcome: ClientOutcome,
    server_outcome: Outcome,
    server_subprotocol: Option<&str>,
    server_deflate: Option<DeflateParams>,
    context: &str,
) {
    let config = client.config();
    match server_outcome {
        Outcome::UpgradeRequest(UpgradeTarget::WebSocket) => {
            let browser_fails = server_subprotocol.is_none()
                && !config.subprotocols().is_empty()
                && config.subprotocol_mode() == SubprotocolMode::Browser;
            if browser_fails {
                assert_eq!(
                    client_outcome,
                    ClientOutcome::Failed(ResponseError::MissingSubprotocol),
                    "{context}"
                );
                return;
            }
            assert_eq!(client_outcome, ClientOutcome::Accepted, "{context}");
            assert_eq!(client.subprotocol(), server_subprotocol, "{context}");
            match (client.deflate(), server_deflate) {
                (None, None) => {}
                (Some(c), Some(s)) => {
                    assert_eq!(
                        (c.server_no_context_takeover, c.client_max_window_bits),
                        (s.server_no_context_takeover, s.client_max_window_bits),
                        "{context}"
                    );
                    // The client's inflater is sized for the server's window:
                    // exactly what it asked for, or 15 when it did not ask (the
                    // server then uses a smaller window without telling).
                    let index = client.deflate_offer_index().unwrap();
                    let asked = config.deflate_offers()[index].server_max_window_bits;
                    assert_eq!(
                        c.server_max_window_bits,
                        asked.map_or(15, |_| s.server_max_window_bits),
                        "{context}"
                    );
                    assert!(
                        c.server_max_window_bits >= s.server_max_window_bits,
                        "{context}"
                    );
                    // The server takes up an offered client_no_context_takeover,
                    // so both sides record the same value.
                    assert_eq!(
                        c.client_no_context_takeover, s.client_no_context_takeover,
                        "{context}"
                    );
                }
                other => panic!("deflate disagreement {other:?}: {context}"),
            }
            assert_eq!(
                client.extension_count(),
                usize::from(server_deflate.is_some()),
                "{context}"
            );
        }
        Outcome::Rejected(e) => {
            assert_eq!(
                client_outcome,
                ClientOutcome::Refused(e.status()),
                "{context}"
            );
            assert!(!client.body().is_empty(), "{context}");
        }
        other => panic!("unexpected server outcome {other:?}: {context}"),
    }
}

#[test]
fn round_trip_one_shot_server() {
    let servers = server_configs();
    let clients: Vec<Arc<ClientConfig>> = client_configs().into_iter().map(Arc::new).collect();
    let mut exchanges = 0;
    let mut seen = std::collections::HashMap::<&str, usize>::new();
    let mut out = vec![0u8; 4096];
    for (si, server) in servers.iter().enumerate() {
        for (ci, client_config) in clients.iter().enumerate() {
            let key = ClientKey::from_nonce([(si * 31 + ci) as u8; 16]);
            let mut client = ClientHandshake::with_key(client_config.clone(), key);
            let request = client.request().to_vec();
            let r = respond(server, &request, &mut out).unwrap();
            assert_eq!(r.consumed, request.len());
            let response = &out[..r.response_len];
            let fed = client.feed(response).unwrap();
            assert_eq!(fed.consumed, response.len());
            let context = format!(
                "server {si} client {ci}\n{}\n{}",
                String::from_utf8_lossy(&request),
                String::from_utf8_lossy(response)
            );
            assert_agree(
                &client,
                fed.outcome,
                r.outcome,
                r.subprotocol,
                r.deflate,
                &context,
            );
            let kind = match fed.outcome {
                ClientOutcome::Accepted if client.deflate().is_some() => "accepted with deflate",
                ClientOutcome::Accepted if client.subprotocol().is_some() => {
                    "accepted with subprotocol"
                }
                ClientOutcome::Accepted => "accepted plain",
                ClientOutcome::Refused(_) => "refused",
                ClientOutcome::Failed(_) => "failed",
                ClientOutcome::NeedMore => "need more",
            };
            *seen.entry(kind).or_default() += 1;
            exchanges += 1;
        }
    }
    assert_eq!(exchanges, servers.len() * clients.len());
    // Every kind of result occurs, so the agreement checks above all ran.
    for kind in [
        "accepted with deflate",
        "accepted with subprotocol",
        "accepted plain",
        "refused",
        "failed",
    ] {
        assert!(seen.get(kind).copied().unwrap_or(0) > 0, "{kind}: {seen:?}");
    }
    assert_eq!(seen.get("need more"), None);
}

#[test]
fn round_trip_handle_server_in_chunks() {
    let servers: Vec<Arc<ServerConfig>> = server_configs().into_iter().map(Arc::new).collect();
    let clients: Vec<Arc<ClientConfig>> = client_configs().into_iter().map(Arc::new).collect();
    for (si, server_config) in servers.iter().enumerate().step_by(3) {
        let mut server = ServerHandshake::new(server_config.clone());
        for (ci, client_config) in clients.iter().enumerate() {
            server.reset();
            let mut client = ClientHandshake::new(client_config.clone()).unwrap();
            // Client -> server through a small buffer, in 7-byte pieces.
            let mut wire = Vec::new();
            let mut piece = [0u8; 7];
            loop {
                let n = client.drain_request(&mut piece);
                if n == 0 {
                    break;
                }
                wire.extend_from_slice(&piece[..n]);
            }
            let mut outcome = Outcome::NeedMore;
            for chunk in wire.chunks(7) {
                outcome = server.feed(chunk).unwrap().outcome;
                if outcome != Outcome::NeedMore {
                    break;
                }
            }
            if let Outcome::UpgradeRequest(_) = outcome {
                server
                    .accept(&AcceptOptions {
                        headers: &[("X-Server", b"ours")],
                        ..AcceptOptions::default()
                    })
                    .unwrap();
            }
            let subprotocol = server.subprotocol().map(str::to_owned);
            let deflate = server.deflate();
            // Server -> client, byte at a time, followed by a frame.
            let mut response = server.pending_response().to_vec();
            response.extend_from_slice(b"\x81\x00");
            let mut client_outcome = ClientOutcome::NeedMore;
            let mut offset = 0;
            while client_outcome == ClientOutcome::NeedMore && offset < response.len() {
                let fed = client.feed(&response[offset..offset + 1]).unwrap();
                offset += fed.consumed;
                client_outcome = fed.outcome;
            }
            let context = format!("server {si} client {ci}");
            assert_agree(
                &client,
                client_outcome,
                outcome,
                subprotocol.as_deref(),
                deflate,
                &context,
            );
            if client_outcome == ClientOutcome::Accepted {
                assert_eq!(&response[offset..], b"\x81\x00", "{context}");
                assert_eq!(
                    client.response().unwrap().header("x-server"),
                    Some(&b"ours"[..])
                );
            }
        }
    }
}

#[test]
fn round_trip_with_raw_extensions_accepted_by_the_application() {
    let client_config = Arc::new(
        ClientConfig::builder("wss://[::1]:8443/")
            .permessage_deflate(ClientOffer::default())
            .extension("x-foo; level=2")
            .extension("x-bar")
            .build()
            .unwrap(),
    );
    let server_config = Arc::new(
        ServerConfig::builder()
            .permessage_deflate(DeflateConfig::default())
            .build()
            .unwrap(),
    );
    let mut client = new_client(&client_config);
    let mut server = ServerHandshake::new(server_config);
    let fed = server.feed(client.request()).unwrap();
    assert_eq!(
        fed.outcome,
        Outcome::UpgradeRequest(UpgradeTarget::WebSocket)
    );
    let request = server.request().unwrap();
    assert_eq!(request.host(), Some("[::1]:8443"));
    let offered: Vec<String> = request.extensions().map(|e| e.name().to_owned()).collect();
    assert_eq!(offered, ["permessage-deflate", "x-foo", "x-bar"]);
    server
        .accept(&AcceptOptions {
            extensions: &["x-foo; level=1"],
            ..AcceptOptions::default()
        })
        .unwrap();
    let fed = client.feed(server.pending_response()).unwrap();
    assert_eq!(fed.outcome, ClientOutcome::Accepted);
    assert_eq!(
        client.extensions().collect::<Vec<_>>(),
        ["permessage-deflate", "x-foo; level=1"]
    );
    assert_eq!(client.deflate(), server.deflate());
}

/// Deterministic xorshift, so failures reproduce.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

#[test]
fn mutated_responses_are_split_invariant_and_never_wrongly_accepted() {
    let cases = split_cases();
    let alphabet = b"\r\n :;,=\"0aZ\x00\xff\t1-";
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let mut accepted = 0;
    for _ in 0..400 {
        let (config, original, _) = &cases[rng.below(cases.len())];
        let mut input = original.clone();
        for _ in 0..1 + rng.below(3) {
            let at = rng.below(input.len());
            match rng.below(3) {
                0 => input[at] = alphabet[rng.below(alphabet.len())],
                1 => {
                    input.remove(at);
                }
                _ => input.insert(at, alphabet[rng.below(alphabet.len())]),
            }
        }
        let whole = run_chunks(new_client(config), &input, &[]);
        let pieces: Vec<usize> = (0..input.len()).map(|_| 1 + rng.below(9)).collect();
        assert_eq!(
            run_chunks(new_client(config), &input, &pieces),
            whole,
            "{:?}",
            String::from_utf8_lossy(&input)
        );
        if whole.outcome == ClientOutcome::Accepted {
            accepted += 1;
            // Whatever was mutated, an accepted head still carries the right
            // accept value, an offered subprotocol and only offered extensions.
            let head = &input[..whole.stopped_at.unwrap()];
            let text = String::from_utf8_lossy(head);
            assert!(text.contains(SAMPLE_ACCEPT), "{text:?}");
            let offered = config.subprotocols();
            assert!(
                whole
                    .subprotocol
                    .as_ref()
                    .is_some_and(|p| offered.contains(p)),
                "{text:?}"
            );
            for e in &whole.extensions {
                let name = e.split(';').next().unwrap().trim().to_ascii_lowercase();
                assert!(name == "permessage-deflate" || name == "x-foo", "{text:?}");
            }
        }
    }
    // Some mutations (e.g. in the reason phrase or the frame bytes) keep the
    // response valid; the property above was exercised.
    assert!(accepted > 0);
}

/// The deflate parameters a row expects, written out.
fn params(snct: bool, cnct: bool, server_bits: u8, client_bits: u8) -> DeflateParams {
    DeflateParams {
        server_no_context_takeover: snct,
        client_no_context_takeover: cnct,
        server_max_window_bits: server_bits,
        client_max_window_bits: client_bits,
    }
}

/// RFC 7692 §7.1, client side, one row per rule: what the client offered, the
/// server's response element, and the parameters the client must use or the
/// error that fails the connection. Each row is fed whole and a byte at a time.
#[test]
fn rfc7692_section_7_1_response_rows() {
    use ResponseError::*;
    let bare = ClientOffer {
        server_no_context_takeover: false,
        client_no_context_takeover: false,
        server_max_window_bits: None,
        client_max_window_bits: None,
    };
    let snct = ClientOffer {
        server_no_context_takeover: true,
        ..bare
    };
    let cnct = ClientOffer {
        client_no_context_takeover: true,
        ..bare
    };
    let server10 = ClientOffer {
        server_max_window_bits: Some(10),
        ..bare
    };
    let client_any = ClientOffer {
        client_max_window_bits: Some(None),
        ..bare
    };
    let client12 = ClientOffer {
        client_max_window_bits: Some(Some(12)),
        ..bare
    };
    let rows: Vec<(
        &str,
        ClientOffer,
        &str,
        Result<DeflateParams, ResponseError>,
    )> = vec![
        // §7.1.1.1 server_no_context_takeover.
        (
            "the server accepts an offered server_no_context_takeover by answering it",
            snct,
            "permessage-deflate; server_no_context_takeover",
            Ok(params(true, false, 15, 15)),
        ),
        (
            "an offered server_no_context_takeover missing from the response",
            snct,
            "permessage-deflate",
            Err(MissingServerNoContextTakeover),
        ),
        (
            "the server MAY answer server_no_context_takeover unasked",
            bare,
            "permessage-deflate; server_no_context_takeover",
            Ok(params(true, false, 15, 15)),
        ),
        (
            "server_no_context_takeover has no value",
            snct,
            "permessage-deflate; server_no_context_takeover=1",
            Err(InvalidDeflateParameter),
        ),
        // §7.1.1.2 client_no_context_takeover.
        (
            "the server MAY answer client_no_context_takeover unasked; the client then resets",
            bare,
            "permessage-deflate; client_no_context_takeover",
            Ok(params(false, true, 15, 15)),
        ),
        (
            "an offered client_no_context_takeover binds the client even when not answered",
            cnct,
            "permessage-deflate",
            Ok(params(false, true, 15, 15)),
        ),
        (
            "client_no_context_takeover has no value",
            cnct,
            "permessage-deflate; client_no_context_takeover=\"x\"",
            Err(InvalidDeflateParameter),
        ),
        // §7.1.2.1 server_max_window_bits.
        (
            "the same value as offered",
            server10,
            "permessage-deflate; server_max_window_bits=10",
            Ok(params(false, false, 10, 15)),
        ),
        (
            "a smaller value than offered",
            server10,
            "permessage-deflate; server_max_window_bits=8",
            Ok(params(false, false, 8, 15)),
        ),
        (
            "a larger value than offered",
            server10,
            "permessage-deflate; server_max_window_bits=11",
            Err(DeflateWindowTooLarge),
        ),
        (
            "an offered server_max_window_bits missing from the response",
            server10,
            "permessage-deflate",
            Err(MissingServerMaxWindowBits),
        ),
        (
            "the server MAY answer server_max_window_bits unasked",
            bare,
            "permessage-deflate; server_max_window_bits=12",
            Ok(params(false, false, 12, 15)),
        ),
        (
            "neither offered nor answered: the largest window",
            bare,
            "permessage-deflate",
            Ok(params(false, false, 15, 15)),
        ),
        (
            "a quoted value is the same value (RFC 6455 §9.1)",
            server10,
            "permessage-deflate; server_max_window_bits=\"9\"",
            Ok(params(false, false, 9, 15)),
        ),
        (
            "server_max_window_bits below 8",
            bare,
            "permessage-deflate; server_max_window_bits=7",
            Err(InvalidDeflateParameter),
        ),
        (
            "server_max_window_bits above 15",
            server10,
            "permessage-deflate; server_max_window_bits=16",
            Err(InvalidDeflateParameter),
        ),
        (
            "server_max_window_bits with a leading zero",
            server10,
            "permessage-deflate; server_max_window_bits=09",
            Err(InvalidDeflateParameter),
        ),
        (
            "server_max_window_bits without a value",
            server10,
            "permessage-deflate; server_max_window_bits",
            Err(InvalidDeflateParameter),
        ),
        // §7.1.2.2 client_max_window_bits.
        (
            "not offered: the response MUST NOT carry client_max_window_bits",
            bare,
            "permessage-deflate; client_max_window_bits=10",
            Err(UnexpectedClientWindowBits),
        ),
        (
            "offered without a value, not answered: the largest window",
            client_any,
            "permessage-deflate",
            Ok(params(false, false, 15, 15)),
        ),
        (
            "offered without a value, limited by the server",
            client_any,
            "permessage-deflate; client_max_window_bits=9",
            Ok(params(false, false, 15, 9)),
        ),
        (
            "offered with a value, not answered: the client keeps its own limit",
            client12,
            "permessage-deflate",
            Ok(params(false, false, 15, 12)),
        ),
        (
            "offered with a value, answered with a smaller one",
            client12,
            "permessage-deflate; client_max_window_bits=11",
            Ok(params(false, false, 15, 11)),
        ),
        (
            "offered with a value, answered with a larger one",
            client12,
            "permessage-deflate; client_max_window_bits=13",
            Err(DeflateWindowTooLarge),
        ),
        (
            "client_max_window_bits in a response has a value",
            client_any,
            "permessage-deflate; client_max_window_bits",
            Err(UnexpectedClientWindowBits),
        ),
        (
            "client_max_window_bits above 15",
            client_any,
            "permessage-deflate; client_max_window_bits=16",
            Err(InvalidDeflateParameter),
        ),
        // §7.1: parameters not defined for a response, or repeated.
        (
            "an unknown parameter",
            bare,
            "permessage-deflate; x-mode=fast",
            Err(InvalidDeflateParameter),
        ),
        (
            "a repeated parameter",
            snct,
            "permessage-deflate; server_no_context_takeover; server_no_context_takeover",
            Err(InvalidDeflateParameter),
        ),
    ];
    for (rule, offer, element, expected) in rows {
        let config = Arc::new(
            ClientConfig::builder("ws://h/")
                .permessage_deflate(offer)
                .build()
                .unwrap(),
        );
        let response = accepted_101(&format!("Sec-WebSocket-Extensions: {element}\r\n"));
        for chunks in [&[][..], &[1; 512][..]] {
            let run = run_chunks(new_client(&config), response.as_bytes(), chunks);
            match expected {
                Ok(want) => {
                    assert_eq!(run.outcome, ClientOutcome::Accepted, "{rule}");
                    assert_eq!(run.deflate, Some(want), "{rule}");
                    assert_eq!(run.extensions, [element], "{rule}");
                }
                Err(e) => {
                    assert_eq!(run.outcome, ClientOutcome::Failed(e), "{rule}");
                    assert_eq!(run.deflate, None, "{rule}");
                }
            }
        }
    }
}

/// RFC 7692 §5.1: several offers in the client's order of preference. The
/// response does not say which it accepts: it is the first offer the element is
/// a valid answer to, reported with its index and parameters.
#[test]
fn several_deflate_offers_in_preference_order() {
    use ResponseError::*;
    let small = ClientOffer {
        server_no_context_takeover: false,
        client_no_context_takeover: false,
        server_max_window_bits: Some(10),
        client_max_window_bits: Some(None),
    };
    let config = Arc::new(
        ClientConfig::builder("ws://h/")
            .permessage_deflate(small)
            .add_permessage_deflate(ClientOffer::default())
            .extension("x-foo")
            .build()
            .unwrap(),
    );
    assert_eq!(config.deflate_offers(), [small, ClientOffer::default()]);
    assert_eq!(config.deflate_offer(), Some(&small));
    let request = String::from_utf8(config.request(&sample_key())).unwrap();
    assert!(
        request.contains(
            "\r\nSec-WebSocket-Extensions: permessage-deflate; server_max_window_bits=10; \
             client_max_window_bits, permessage-deflate; client_max_window_bits, x-foo\r\n"
        ),
        "{request}"
    );
    assert_eq!(request.len(), config.request_len());
    type Matched = Result<(usize, DeflateParams), ResponseError>;
    let rows: [(&str, Matched); 5] = [
        (
            "permessage-deflate; server_max_window_bits=10",
            Ok((0, params(false, false, 10, 15))),
        ),
        (
            "permessage-deflate; server_max_window_bits=9; client_max_window_bits=12",
            Ok((0, params(false, false, 9, 12))),
        ),
        // Not an answer to the first offer (its server window is missing).
        ("permessage-deflate", Ok((1, params(false, false, 15, 15)))),
        // Too large for the first offer; the second did not ask, so any window.
        (
            "permessage-deflate; server_max_window_bits=12",
            Ok((1, params(false, false, 12, 15))),
        ),
        // Wrong for both: the error against the preferred offer.
        (
            "permessage-deflate; client_max_window_bits",
            Err(UnexpectedClientWindowBits),
        ),
    ];
    for (element, expected) in rows {
        let response = accepted_101(&format!("Sec-WebSocket-Extensions: {element}\r\n"));
        let mut client = new_client(&config);
        let outcome = client.feed(response.as_bytes()).unwrap().outcome;
        match expected {
            Ok((index, want)) => {
                assert_eq!(outcome, ClientOutcome::Accepted, "{element}");
                assert_eq!(client.deflate_offer_index(), Some(index), "{element}");
                assert_eq!(client.deflate(), Some(want), "{element}");
                assert_eq!(client.extensions().collect::<Vec<_>>(), [element]);
            }
            Err(e) => {
                assert_eq!(outcome, ClientOutcome::Failed(e), "{element}");
                assert_eq!(client.deflate_offer_index(), None, "{element}");
            }
        }
    }
    // The first offer's error when none matches, whatever the later ones say.
    let strict = ClientOffer {
        server_no_context_takeover: true,
        ..ClientOffer::default()
    };
    let c = Arc::new(
        ClientConfig::builder("ws://h/")
            .permessage_deflate(strict)
            .add_permessage_deflate(small)
            .build()
            .unwrap(),
    );
    let response =
        accepted_101("Sec-WebSocket-Extensions: permessage-deflate; server_max_window_bits=11\r\n");
    assert_eq!(
        run_chunks(new_client(&c), response.as_bytes(), &[]).outcome,
        ClientOutcome::Failed(MissingServerNoContextTakeover)
    );
    // One permessage-deflate element only, however many offers.
    let twice = accepted_101(
        "Sec-WebSocket-Extensions: permessage-deflate; server_max_window_bits=10, \
         permessage-deflate\r\n",
    );
    assert_eq!(
        run_chunks(new_client(&config), twice.as_bytes(), &[]).outcome,
        ClientOutcome::Failed(DuplicateExtension)
    );
    // Builder rules: `permessage_deflate` replaces, the same offer twice and an
    // invalid later offer are refused.
    let replaced = ClientConfig::builder("ws://h/")
        .add_permessage_deflate(small)
        .permessage_deflate(ClientOffer::default())
        .build()
        .unwrap();
    assert_eq!(replaced.deflate_offers(), [ClientOffer::default()]);
    assert_eq!(
        ClientConfig::builder("ws://h/")
            .add_permessage_deflate(small)
            .add_permessage_deflate(small)
            .build(),
        Err(UsageError::InvalidExtension)
    );
    assert_eq!(
        ClientConfig::builder("ws://h/")
            .add_permessage_deflate(small)
            .add_permessage_deflate(ClientOffer {
                server_max_window_bits: Some(16),
                ..small
            })
            .build(),
        Err(UsageError::InvalidExtension)
    );
}

/// Our server picks the first offer it accepts; the client finds the same one.
#[test]
fn several_offers_round_trip_with_our_server() {
    let limited_client = DeflateConfig {
        client_max_window_bits: 10,
        ..DeflateConfig::default()
    };
    let unlimited = ClientOffer {
        client_max_window_bits: None,
        ..ClientOffer::default()
    };
    let small = ClientOffer {
        server_max_window_bits: Some(9),
        client_max_window_bits: None,
        ..ClientOffer::default()
    };
    // (server policy, offers, index the client reports)
    let cases = [
        // Neither small offer lets the server limit the client: the browsers'
        // offer, third, is the one accepted.
        (
            limited_client,
            vec![small, unlimited, ClientOffer::default()],
            2,
        ),
        (
            DeflateConfig::default(),
            vec![small, ClientOffer::default()],
            0,
        ),
        (DeflateConfig::default(), vec![unlimited, small], 0),
    ];
    for (policy, offers, index) in cases {
        let mut b = ClientConfig::builder("ws://127.0.0.1/");
        for o in &offers {
            b = b.add_permessage_deflate(*o);
        }
        let mut client = ClientHandshake::with_key(b.build().unwrap(), sample_key());
        let server = ServerConfig::builder()
            .permessage_deflate(policy)
            .build()
            .unwrap();
        let mut out = vec![0u8; 1024];
        let request = client.request().to_vec();
        let r = respond(&server, &request, &mut out).unwrap();
        let fed = client.feed(&out[..r.response_len]).unwrap();
        assert_eq!(fed.outcome, ClientOutcome::Accepted, "{offers:?}");
        assert_eq!(client.deflate_offer_index(), Some(index), "{offers:?}");
        let (c, s) = (client.deflate().unwrap(), r.deflate.unwrap());
        assert_eq!(c.client_max_window_bits, s.client_max_window_bits);
        assert_eq!(c.server_max_window_bits, s.server_max_window_bits);
    }
}
