//! Hostile lists cost work in proportion to their length, counted (not timed):
//! the bytes the engine hands to its list grammars (token lists, comma lists,
//! extension elements and their parameters) while answering a request. Each
//! grammar reads its input in one forward pass, so a rescan or a backtracking
//! parser (CVE-2021-32640, CVE-2020-7662) would show as a count far above the
//! request's length.
//!
//! The counter is process-wide, so this file holds one test: nothing else runs
//! in this binary while it counts.

use std::sync::Arc;

use wshandshake::internals::grammar_bytes_handed;
use wshandshake::*;

const SAMPLE: &str = "GET /chat HTTP/1.1\r\nHost: server.example.com\r\nUpgrade: websocket\r\n\
Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n";

/// A config whose limits allow the largest heads (1 MiB, one line may fill it).
fn roomy(subprotocols: &[&str]) -> Arc<ServerConfig> {
    let config = ServerConfig::builder()
        .subprotocols(subprotocols.iter().copied())
        .permessage_deflate(DeflateConfig::default())
        .limits(Limits {
            max_head_bytes: Limits::MAX_HEAD_BYTES_CAP,
            max_headers: Limits::MAX_HEADERS_CAP,
            max_request_line: 8 * 1024,
            max_header_line: Limits::MAX_HEAD_BYTES_CAP,
        })
        .build()
        .unwrap();
    Arc::new(config)
}

fn with_field(line: &str) -> String {
    SAMPLE.replace("\r\n\r\n", &format!("\r\n{line}\r\n\r\n"))
}

/// Grammar bytes for answering `request` once with `respond`, once through
/// a handle fed whole (and accepted when it is an upgrade), and the outcome.
fn work(config: &Arc<ServerConfig>, request: &str) -> (usize, usize, Outcome) {
    let mut out = vec![0u8; 4096];
    let before = grammar_bytes_handed();
    let outcome = respond(config, request.as_bytes(), &mut out)
        .unwrap()
        .outcome;
    let one_shot = grammar_bytes_handed() - before;
    let before = grammar_bytes_handed();
    let mut handle = ServerHandshake::new(config.clone());
    let fed = handle.feed(request.as_bytes()).unwrap().outcome;
    assert_eq!(fed, outcome);
    if matches!(outcome, Outcome::UpgradeRequest(_)) {
        handle.accept(&AcceptOptions::default()).unwrap();
    }
    (one_shot, grammar_bytes_handed() - before, outcome)
}

/// One hostile shape at size `n`: the field line and the outcome it must get.
type Family = fn(usize) -> (String, Outcome);

const WEBSOCKET: Outcome = Outcome::UpgradeRequest(UpgradeTarget::WebSocket);

const FAMILIES: [(&str, Family); 8] = [
    // CVE-2021-32640 (ws): a long run of spaces inside one element.
    ("spaces in a subprotocol", |n| {
        let field = format!("Sec-WebSocket-Protocol: a{}b, chat", " ".repeat(n));
        (
            field,
            Outcome::Rejected(RequestError::InvalidSubprotocolList),
        )
    }),
    // Spaces around commas are valid.
    ("spaces around commas", |n| {
        let spaces = " ".repeat(n / 2);
        (
            format!("Sec-WebSocket-Protocol: x{spaces},{spaces}chat"),
            WEBSOCKET,
        )
    }),
    ("many subprotocols", |n| {
        (
            format!("Sec-WebSocket-Protocol: {}chat", "p, ".repeat(n / 3)),
            WEBSOCKET,
        )
    }),
    // CVE-2020-7662 (websocket-extensions): an unclosed quoted string of
    // escapes, then the same string closed before a deflate offer.
    ("unclosed quoted escapes", |n| {
        let field = format!("Sec-WebSocket-Extensions: a; b=\"{}", "\\c".repeat(n / 2));
        (field, Outcome::Rejected(RequestError::InvalidExtensionList))
    }),
    ("closed quoted escapes", |n| {
        let escapes = "\\c".repeat(n / 2);
        (
            format!("Sec-WebSocket-Extensions: a; b=\"{escapes}\", permessage-deflate"),
            WEBSOCKET,
        )
    }),
    ("many parameters", |n| {
        (
            format!("Sec-WebSocket-Extensions: x{}", "; p=1".repeat(n / 5)),
            WEBSOCKET,
        )
    }),
    // Deflate offers the policy must read to the end and refuse, then one
    // it takes: their parameters are parsed too.
    ("many refused deflate offers", |n| {
        let refused = "permessage-deflate; server_max_window_bits=7, ".repeat(n / 47);
        (
            format!("Sec-WebSocket-Extensions: {refused}permessage-deflate"),
            WEBSOCKET,
        )
    }),
    ("many offers", |n| {
        let offers = "x, ".repeat(n / 3);
        (
            format!("Sec-WebSocket-Extensions: {offers}permessage-deflate"),
            WEBSOCKET,
        )
    }),
];

#[test]
fn hostile_lists_cost_work_in_proportion_to_their_length() {
    let config = roomy(&["chat"]);
    for (name, family) in FAMILIES {
        let mut counts = Vec::new();
        for n in [100_000, 200_000] {
            let (field, want) = family(n);
            let (one_shot, handle, outcome) = work(&config, &with_field(&field));
            assert_eq!(outcome, want, "{name}");
            // Each list is read once today (validation, the policy's choice
            // and the answer share one pass); twice leaves room, once per
            // element would not.
            for (path, count) in [("one-shot", one_shot), ("handle", handle)] {
                assert!(
                    count <= 2 * field.len(),
                    "{name}, {path}: {count} grammar bytes for a {}-byte field",
                    field.len()
                );
            }
            counts.push((one_shot, handle));
        }
        // Twice the list, twice the work (a quadratic parser: four times).
        let ((a1, b1), (a2, b2)) = (counts[0], counts[1]);
        assert!(a2 <= 2 * a1 + 64 && b2 <= 2 * b1 + 64, "{name}: {counts:?}");
    }
}
