//! Property tests (proptest) on the server core: mutated valid requests never
//! get a 101 unless an independent RFC 6455 check says they are still valid,
//! valid requests assembled from random parts always do, and the one-shot,
//! chunked and byte-at-a-time paths always agree.

#[path = "support/mod.rs"]
mod support;

use std::path::PathBuf;
use std::sync::OnceLock;

use proptest::prelude::*;
use support::http_check::parse_response;
use support::rfc6455::{LineOptions, expected_accept, parse_head, websocket_request_ok};
use support::server_check::{check_server_input, configs, handle_run, one_shot, same};
use wshandshake::*;

fn fixtures() -> &'static [Vec<u8>] {
    static F: OnceLock<Vec<Vec<u8>>> = OnceLock::new();
    F.get_or_init(|| {
        let dir = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/.."))
            .join("tests/fixtures/requests");
        let mut v: Vec<_> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|x| x == "http"))
            .collect();
        v.sort();
        let mut out: Vec<Vec<u8>> = v.iter().map(|p| std::fs::read(p).unwrap()).collect();
        out.extend(support::mutate::extra_seeds());
        out
    })
}

/// One edit of a request head.
#[derive(Debug, Clone)]
enum Edit {
    /// Insert one of CR, LF, NUL, SP, HTAB, VT, FF at a position (modulo length).
    Insert(usize, u8),
    /// Overwrite the byte at a position with one of them.
    Overwrite(usize, u8),
    /// Drop the n-th field line.
    Drop(usize),
    /// Duplicate the n-th field line.
    Duplicate(usize),
    /// Change the case of the n-th field line's name: upper, lower or mixed.
    Recase(usize, u8),
    /// Replace the method.
    Method(&'static str),
    /// Replace the version.
    Version(&'static str),
}

fn special() -> impl Strategy<Value = u8> {
    prop::sample::select(vec![b'\r', b'\n', 0u8, b' ', b'\t', 0x0b, 0x0c])
}

fn edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        (any::<usize>(), special()).prop_map(|(p, b)| Edit::Insert(p, b)),
        (any::<usize>(), special()).prop_map(|(p, b)| Edit::Overwrite(p, b)),
        any::<usize>().prop_map(Edit::Drop),
        any::<usize>().prop_map(Edit::Duplicate),
        (any::<usize>(), 0u8..3).prop_map(|(i, m)| Edit::Recase(i, m)),
        prop::sample::select(vec![
            "POST", "get", "HEAD", "CONNECT", "GET\t", "GE T", "OPTIONS"
        ])
        .prop_map(Edit::Method),
        prop::sample::select(vec![
            "HTTP/1.0",
            "HTTP/1.2",
            "HTTP/2",
            "HTTP/1.1 ",
            "http/1.1",
            "HTTP/1.10"
        ])
        .prop_map(Edit::Version),
    ]
}

/// (start, end) of each field line, LF included.
fn field_lines(v: &[u8]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = 0;
    for (i, &b) in v.iter().enumerate() {
        if b == b'\n' {
            out.push((start, i + 1));
            start = i + 1;
        }
    }
    // Neither the request line (after any empty lines before it, RFC 9112
    // §2.2) nor the final empty line.
    out.into_iter()
        .skip_while(|(s, e)| e - s <= 2)
        .skip(1)
        .filter(|(s, e)| e - s > 2)
        .collect()
}

fn apply(v: &mut Vec<u8>, e: &Edit) {
    let fields = field_lines(v);
    match *e {
        Edit::Insert(p, b) => v.insert(p % (v.len() + 1), b),
        Edit::Overwrite(p, b) if !v.is_empty() => {
            let i = p % v.len();
            v[i] = b;
        }
        Edit::Drop(i) if !fields.is_empty() => {
            let (s, e) = fields[i % fields.len()];
            v.drain(s..e);
        }
        Edit::Duplicate(i) if !fields.is_empty() => {
            let (s, e) = fields[i % fields.len()];
            let line = v[s..e].to_vec();
            v.splice(e..e, line);
        }
        Edit::Recase(i, mode) if !fields.is_empty() => {
            let (s, e) = fields[i % fields.len()];
            let colon = v[s..e].iter().position(|&b| b == b':').map_or(e, |c| s + c);
            for (k, b) in v[s..colon].iter_mut().enumerate() {
                *b = match mode {
                    0 => b.to_ascii_uppercase(),
                    1 => b.to_ascii_lowercase(),
                    _ if k % 2 == 0 => b.to_ascii_uppercase(),
                    _ => b.to_ascii_lowercase(),
                };
            }
        }
        Edit::Method(m) => {
            let sp = v.iter().position(|&b| b == b' ').unwrap_or(0);
            v.splice(0..sp, m.bytes());
        }
        Edit::Version(ver) => {
            if let Some(at) = v.windows(8).position(|w| w == b"HTTP/1.1") {
                v.splice(at..at + 8, ver.bytes());
            }
        }
        _ => {}
    }
}

/// The request as httparse reads `head` (the test oracle for the engine's
/// parser): method, target, minor version and fields, or None when httparse
/// does not find exactly this complete head.
#[allow(clippy::type_complexity)]
fn httparse_view(head: &[u8]) -> Option<(String, String, u8, Vec<(String, Vec<u8>)>)> {
    let mut headers = [httparse::EMPTY_HEADER; 128];
    let mut req = httparse::Request::new(&mut headers);
    match req.parse(head) {
        Ok(httparse::Status::Complete(n)) if n == head.len() => {}
        _ => return None,
    }
    let fields = req
        .headers
        .iter()
        .map(|h| (h.name.to_string(), h.value.to_vec()))
        .collect();
    Some((
        req.method?.to_string(),
        req.path?.to_string(),
        req.version?,
        fields,
    ))
}

/// Checks the engine's reading of `input` against httparse's: a head the
/// engine takes (upgrade or not) is exactly the head httparse parses, with the
/// same request line and fields; a head the engine calls malformed is one
/// httparse refuses or whose target holds a byte outside visible ASCII (which
/// the engine refuses, RFC 9112 §3.2).
fn check_against_httparse(
    hc: &support::server_check::HarnessConfig,
    input: &[u8],
) -> Result<(), String> {
    let mut hs = ServerHandshake::new(hc.config.clone());
    let outcome = hs.feed(input).map_err(|e| format!("feed: {e:?}"))?.outcome;
    match outcome {
        Outcome::UpgradeRequest(_) | Outcome::NotUpgrade(_)
            if outcome != Outcome::NotUpgrade(NotUpgrade::Http2Preface) =>
        {
            let view = hs.request().ok_or("no request view")?;
            let ours = (
                view.method().to_string(),
                view.target().to_string(),
                view.minor_version(),
                view.headers()
                    .map(|(n, v)| (n.to_string(), v.to_vec()))
                    .collect::<Vec<_>>(),
            );
            let theirs = httparse_view(hs.head());
            if theirs.as_ref() != Some(&ours) {
                return Err(format!("[{}] ours {ours:?}, httparse {theirs:?}", hc.name));
            }
        }
        Outcome::Rejected(RequestError::MalformedHead) => {
            let window = &input[..input.len().min(hc.limits.max_head_bytes)];
            let mut headers = [httparse::EMPTY_HEADER; 128];
            let mut req = httparse::Request::new(&mut headers);
            if let Ok(httparse::Status::Complete(_)) = req.parse(window)
                && req
                    .path
                    .is_some_and(|p| p.bytes().all(|b| b.is_ascii_graphic()))
            {
                return Err(format!("[{}] malformed for us, not for httparse", hc.name));
            }
        }
        _ => {}
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    /// The engine's request parser reads the mutated fixtures as httparse
    /// does (httparse as the oracle; see `check_against_httparse`).
    #[test]
    fn the_parser_agrees_with_httparse_on_mutations(
        which in any::<prop::sample::Index>(),
        edits in prop::collection::vec(edit(), 0..4),
        cut in any::<prop::sample::Index>(),
        noise in prop::collection::vec(any::<u8>(), 0..8),
    ) {
        let mut req = which.get(fixtures()).clone();
        for e in &edits {
            apply(&mut req, e);
        }
        let at = cut.index(req.len() + 1);
        req.splice(at..at, noise);
        for hc in configs() {
            if let Err(e) = check_against_httparse(hc, &req) {
                prop_assert!(false, "{:?}: {}\n{:?}", edits, e, String::from_utf8_lossy(&req));
            }
        }
    }

    /// A mutated request gets a 101 only when the independent check still calls
    /// it valid (checked inside `check_server_input` under every configuration,
    /// along with split invariance and response well-formedness).
    #[test]
    fn mutations_never_get_101_unless_still_valid(
        which in any::<prop::sample::Index>(),
        edits in prop::collection::vec(edit(), 1..4),
        sizes in prop::collection::vec(1usize..40, 0..4),
    ) {
        let mut req = which.get(fixtures()).clone();
        for e in &edits {
            apply(&mut req, e);
        }
        for hc in configs() {
            if let Err(e) = check_server_input(hc, &req, &sizes, true) {
                prop_assert!(false, "{:?}: {}", edits, e);
            }
        }
    }

    /// Re-casing field names never changes the outcome or the response.
    #[test]
    fn recasing_names_changes_nothing(which in any::<prop::sample::Index>(), mode in 0u8..3) {
        let req = which.get(fixtures()).clone();
        let mut recased = req.clone();
        for i in 0..field_lines(&req).len() {
            apply(&mut recased, &Edit::Recase(i, mode));
        }
        for hc in configs() {
            let a = one_shot(hc, &req, 4096).unwrap();
            let b = one_shot(hc, &recased, 4096).unwrap();
            prop_assert_eq!(a.outcome, b.outcome);
            prop_assert_eq!(a.response, b.response);
        }
    }

    /// The one-shot call and a handle fed one byte at a time agree on any
    /// bytes: a fixture cut anywhere with arbitrary bytes spliced in.
    #[test]
    fn one_shot_and_bytewise_always_agree(
        which in any::<prop::sample::Index>(),
        cut in any::<prop::sample::Index>(),
        noise in prop::collection::vec(any::<u8>(), 0..24),
        tail in prop::collection::vec(any::<u8>(), 0..8),
    ) {
        let base = which.get(fixtures());
        let at = cut.index(base.len() + 1);
        let mut req = base[..at].to_vec();
        req.extend_from_slice(&noise);
        req.extend_from_slice(&base[at..]);
        req.extend_from_slice(&tail);
        for hc in configs() {
            let once = one_shot(hc, &req, 4096).unwrap();
            let bytes: Vec<&[u8]> = req.chunks(1).collect();
            let mut hs = ServerHandshake::new(hc.config.clone());
            let bytewise = handle_run(&mut hs, &bytes, 1).unwrap();
            let folded = hc.policy.lines.obs_fold
                && once.outcome == Outcome::Rejected(RequestError::ObsoleteLineFolding);
            if !folded
                && let Err(e) = same(&once, &bytewise)
            {
                prop_assert!(false, "[{}] {}", hc.name, e);
            }
        }
    }

    /// Valid requests assembled from random parts (field order, name case, OWS,
    /// extra fields, subprotocol and extension offers) are always upgraded,
    /// with the accept value computed from their key.
    #[test]
    fn valid_requests_from_parts_are_accepted(
        key in prop::array::uniform16(any::<u8>()),
        order in Just(()).prop_perturb(|_, mut rng| {
            let mut idx: Vec<usize> = (0..8).collect();
            for i in (1..idx.len()).rev() {
                idx.swap(i, rng.random_range(0..=i));
            }
            idx
        }),
        upper in prop::collection::vec(any::<bool>(), 8),
        ows in prop::collection::vec(prop::sample::select(vec!["", " ", "\t", "  "]), 8),
        protocols in prop::collection::vec("[a-z][a-z0-9.]{0,6}", 0..4),
        deflate in prop::sample::select(vec![
            "", "permessage-deflate", "permessage-deflate; client_max_window_bits",
            "x-foo; a=\"b\", permessage-deflate; server_max_window_bits=9",
        ]),
    ) {
        let key_text = String::from_utf8(support::rfc6455::base64_encode(&key)).unwrap();
        let mut fields: Vec<(String, String)> = vec![
            ("Host".into(), "example.com:80".into()),
            ("Upgrade".into(), "websocket".into()),
            ("Connection".into(), "keep-alive, Upgrade".into()),
            ("Sec-WebSocket-Key".into(), key_text.clone()),
            ("Sec-WebSocket-Version".into(), "13".into()),
            ("User-Agent".into(), "prop/1.0 (x)".into()),
            ("Sec-WebSocket-Protocol".into(), protocols.join(", ")),
            ("Sec-WebSocket-Extensions".into(), deflate.into()),
        ];
        fields.retain(|(_, v)| !v.is_empty());
        let mut req = String::from("GET /p?q=1 HTTP/1.1\r\n");
        for &i in order.iter().filter(|&&i| i < fields.len()) {
            let (n, v) = &fields[i];
            let n = if upper[i] { n.to_ascii_uppercase() } else { n.to_ascii_lowercase() };
            req.push_str(&format!("{n}:{}{v}{}\r\n", ows[i], ows[(i + 3) % 8]));
        }
        req.push_str("\r\n");
        let head = parse_head(req.as_bytes(), LineOptions::default()).unwrap();
        let hc = &configs()[1];
        prop_assert!(websocket_request_ok(&head, &hc.policy).is_ok());
        let run = one_shot(hc, req.as_bytes(), 4096).unwrap();
        prop_assert_eq!(run.outcome, Outcome::UpgradeRequest(UpgradeTarget::WebSocket), "{}", req);
        let resp = parse_response(&run.response).unwrap();
        let accept = expected_accept(key_text.as_bytes());
        prop_assert_eq!(resp.single("sec-websocket-accept").unwrap(), accept.as_slice());
        check_server_input(hc, req.as_bytes(), &[5], true).unwrap();
    }
}
