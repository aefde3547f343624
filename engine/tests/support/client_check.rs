//! The client-side invariants: a server response fed to `ClientHandshake` in
//! different chunkings, checked against an independent reading of RFC 6455
//! §4.1 (what a client must verify in a 101) and RFC 9112 framing.

use std::sync::{Arc, OnceLock};

use wshandshake::{
    ClientConfig, ClientHandshake, ClientKey, ClientLimits, ClientOffer, ClientOutcome,
    DeflateParams, ServerConfig, SubprotocolMode, UsageError, respond,
};

use super::chunking::split;
use super::grammar_check::{OfferModel, extension_list_model, offer_model};
use super::http_check::{field_byte, list_elements, token, trim_ows};
use super::rfc6455::{LineOptions, Policy, expected_accept, parse_head, websocket_request_ok};

/// The nonce every client check uses: RFC 6455's sample, so the sample
/// response (`s3pPLMBiTxaQ9kYGzzhZRbK+xOo=`) is the valid one.
pub const NONCE: [u8; 16] = *b"the sample nonce";

/// A client configuration and what the independent check needs to know of it.
#[derive(Debug, Clone)]
pub struct ClientHarness {
    /// Short name for messages.
    pub name: &'static str,
    /// The engine's configuration.
    pub config: Arc<ClientConfig>,
    /// Offered subprotocols.
    pub subprotocols: Vec<String>,
    /// Browser mode: offering subprotocols and getting none fails.
    pub browser: bool,
    /// The permessage-deflate offer, if any.
    pub deflate: Option<ClientOffer>,
    /// Names of other offered extensions.
    pub extensions: Vec<String>,
    /// Response head limit.
    pub max_head_bytes: usize,
}

/// The client configurations the client checks cycle through.
pub fn client_configs() -> &'static [ClientHarness] {
    static CONFIGS: OnceLock<Vec<ClientHarness>> = OnceLock::new();
    CONFIGS.get_or_init(|| {
        let strict_offer = ClientOffer {
            server_no_context_takeover: true,
            client_no_context_takeover: false,
            server_max_window_bits: Some(10),
            client_max_window_bits: Some(Some(12)),
        };
        let make = |name,
                    b: wshandshake::ClientConfigBuilder,
                    subs: &[&str],
                    browser,
                    deflate,
                    exts: &[&str],
                    head| {
            ClientHarness {
                name,
                config: Arc::new(b.build().expect("client harness config is valid")),
                subprotocols: subs.iter().map(|s| s.to_string()).collect(),
                browser,
                deflate,
                extensions: exts.iter().map(|s| s.to_string()).collect(),
                max_head_bytes: head,
            }
        };
        vec![
            make(
                "plain",
                ClientConfig::builder("ws://server.example.com/chat"),
                &[],
                true,
                None,
                &[],
                16 * 1024,
            ),
            make(
                "chat+deflate",
                ClientConfig::builder("ws://server.example.com/chat")
                    .subprotocols(["chat", "superchat"])
                    .permessage_deflate(ClientOffer::default())
                    .extension("x-foo; a=1"),
                &["chat", "superchat"],
                true,
                Some(ClientOffer::default()),
                &["x-foo"],
                16 * 1024,
            ),
            make(
                "rfc-mode+small",
                ClientConfig::builder("ws://[::1]:9001/a?b=c")
                    .subprotocols(["chat"])
                    .subprotocol_mode(SubprotocolMode::Rfc6455)
                    .permessage_deflate(strict_offer)
                    .limits(ClientLimits {
                        max_head_bytes: 512,
                        max_headers: 10,
                        max_body_bytes: 64,
                    }),
                &["chat"],
                false,
                Some(strict_offer),
                &[],
                512,
            ),
        ]
    })
}

/// What one client run produced.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClientRun {
    /// The outcome after the input (and `finish` when it stayed NeedMore).
    pub outcome: ClientOutcome,
    /// Bytes taken.
    pub consumed: usize,
    /// Bytes offered.
    pub fed: usize,
    /// Final status.
    pub status: Option<u16>,
    /// Selected subprotocol.
    pub subprotocol: Option<String>,
    /// Negotiated deflate.
    pub deflate: Option<DeflateParams>,
    /// Accepted extension elements.
    pub extensions: Vec<String>,
    /// Body of a refusal.
    pub body: Vec<u8>,
}

fn client_run(h: &ClientHarness, pieces: &[&[u8]]) -> Result<ClientRun, String> {
    let mut c = ClientHandshake::with_key(h.config.clone(), ClientKey::from_nonce(NONCE));
    let (mut consumed, mut fed) = (0, 0);
    let mut outcome = ClientOutcome::NeedMore;
    for piece in pieces {
        let f = c
            .feed(piece)
            .map_err(|e| format!("feed refused while undecided: {e:?}"))?;
        if f.consumed > piece.len() {
            return Err("a feed took more than it was given".into());
        }
        consumed += f.consumed;
        fed += piece.len();
        outcome = f.outcome;
        if outcome == ClientOutcome::NeedMore {
            if f.consumed != piece.len() {
                return Err("NeedMore without taking the whole piece".into());
            }
        } else {
            break;
        }
    }
    if outcome == ClientOutcome::NeedMore {
        outcome = c.finish().map_err(|e| format!("finish: {e:?}"))?;
        if outcome == ClientOutcome::NeedMore {
            return Err("still NeedMore after finish".into());
        }
    }
    if c.feed(b"x") != Err(UsageError::WrongState) || c.finish() != Err(UsageError::WrongState) {
        return Err("a decided client takes more input".into());
    }
    if c.outcome() != outcome {
        return Err("outcome() disagrees with feed".into());
    }
    Ok(ClientRun {
        outcome,
        consumed,
        fed,
        status: c.status(),
        subprotocol: c.subprotocol().map(str::to_owned),
        deflate: c.deflate(),
        extensions: c.extensions().map(str::to_owned).collect(),
        body: c.body().to_vec(),
    })
}

/// A strictly parsed response head.
#[derive(Debug, Clone)]
struct Head {
    minor: u8,
    status: u16,
    fields: Vec<(Vec<u8>, Vec<u8>)>,
}

impl Head {
    fn values<'s>(&'s self, name: &'s str) -> impl Iterator<Item = &'s [u8]> + 's {
        self.fields
            .iter()
            .filter(move |(n, _)| n.eq_ignore_ascii_case(name.as_bytes()))
            .map(|(_, v)| v.as_slice())
    }
}

/// Parses one response head at the start of `input`: (head, its length).
/// Empty lines before the status line are skipped: the client tolerates them
/// as a server does before a request line (RFC 9112 §2.2 grants that to
/// servers only; accepting them is lenient, not unsafe).
fn parse_status_head(input: &[u8]) -> Result<(Head, usize), String> {
    let mut skipped = 0;
    while input[skipped..].starts_with(b"\r\n") {
        skipped += 2;
    }
    let (head, len) = parse_status_head_at(&input[skipped..])?;
    Ok((head, skipped + len))
}

fn parse_status_head_at(input: &[u8]) -> Result<(Head, usize), String> {
    let end = input
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .ok_or("no complete head")?
        + 4;
    // Every line of the head, CR LF included; the split leaves one empty tail.
    let text = &input[..end - 3];
    let mut lines = text.split(|&b| b == b'\n');
    let status_line = lines.next().ok_or("empty")?;
    let sl = status_line.strip_suffix(b"\r").ok_or("bare LF")?;
    if sl.len() < 12 || &sl[..7] != b"HTTP/1." || !sl[7].is_ascii_digit() || sl[8] != b' ' {
        return Err("bad status line".into());
    }
    if !sl[9..12].iter().all(u8::is_ascii_digit) || sl.get(12).is_some_and(|&b| b != b' ') {
        return Err("bad status code".into());
    }
    if sl.len() > 13 && !sl[13..].iter().all(|&b| field_byte(b)) {
        return Err("bad reason".into());
    }
    let status = sl[9..12]
        .iter()
        .fold(0u16, |n, &d| n * 10 + u16::from(d - b'0'));
    let mut fields = Vec::new();
    for line in lines {
        let line = line.strip_suffix(b"\r").ok_or("bare LF")?;
        if line.contains(&b'\r') {
            return Err("bare CR".into());
        }
        let colon = line.iter().position(|&b| b == b':').ok_or("no colon")?;
        let (name, value) = (&line[..colon], trim_ows(&line[colon + 1..]));
        if !token(name) || !value.iter().all(|&b| field_byte(b)) {
            return Err("bad field line".into());
        }
        fields.push((name.to_vec(), value.to_vec()));
    }
    Ok((
        Head {
            minor: sl[7] - b'0',
            status,
            fields,
        },
        end,
    ))
}

/// RFC 6455 §4.1: may a client with `h` accept this 101? Ok with the expected
/// subprotocol, deflate parameters and extension names.
fn accept_ok(
    h: &ClientHarness,
    head: &Head,
) -> Result<(Option<String>, Option<DeflateParams>), String> {
    if head.minor != 1 || head.status != 101 {
        return Err("not an HTTP/1.1 101".into());
    }
    let upgrade: Vec<&[u8]> = head.values("upgrade").flat_map(list_elements).collect();
    if upgrade.len() != 1 || !upgrade[0].eq_ignore_ascii_case(b"websocket") {
        return Err("Upgrade is not exactly websocket".into());
    }
    if !head
        .values("connection")
        .flat_map(list_elements)
        .any(|t| t.eq_ignore_ascii_case(b"upgrade"))
    {
        return Err("Connection lacks upgrade".into());
    }
    let key = super::rfc6455::base64_encode(&NONCE);
    let accepts: Vec<&[u8]> = head.values("sec-websocket-accept").collect();
    if accepts != [expected_accept(&key).as_slice()] {
        return Err("accept missing, repeated or wrong".into());
    }
    let protos: Vec<&[u8]> = head.values("sec-websocket-protocol").collect();
    let subprotocol = match protos.as_slice() {
        [] if h.browser && !h.subprotocols.is_empty() => return Err("no subprotocol".into()),
        [] => None,
        [one] => {
            let p = trim_ows(one);
            if list_elements(one).len() != 1 || !h.subprotocols.iter().any(|s| s.as_bytes() == p) {
                return Err("subprotocol not offered or several".into());
            }
            Some(String::from_utf8_lossy(p).into_owned())
        }
        _ => return Err("several subprotocol fields".into()),
    };
    let mut names: Vec<Vec<u8>> = Vec::new();
    let mut deflate = None;
    for v in head.values("sec-websocket-extensions") {
        let elements = extension_list_model(v).ok_or("extension syntax")?;
        for e in elements {
            let lower = e.name.to_ascii_lowercase();
            if names.contains(&lower) {
                return Err("extension accepted twice".into());
            }
            names.push(lower.clone());
            if lower == b"permessage-deflate" {
                let offer = h.deflate.ok_or("deflate not offered")?;
                let r = offer_model(&e).ok_or("bad deflate parameters")?;
                deflate = Some(client_deflate_params(&offer, &r)?);
            } else if !h
                .extensions
                .iter()
                .any(|x| x.as_bytes().eq_ignore_ascii_case(&lower))
            {
                return Err("extension not offered".into());
            }
        }
    }
    Ok((subprotocol, deflate))
}

/// RFC 7692 §7.1 from the client's side.
fn client_deflate_params(offer: &ClientOffer, r: &OfferModel) -> Result<DeflateParams, String> {
    if offer.server_no_context_takeover && !r.snct {
        return Err("server_no_context_takeover missing".into());
    }
    let server = match (r.smwb, offer.server_max_window_bits) {
        (Some(got), Some(asked)) if got > asked => return Err("server window raised".into()),
        (Some(got), _) => got,
        (None, Some(asked)) => asked,
        (None, None) => 15,
    };
    let client = match (r.cmwb, offer.client_max_window_bits) {
        (None, offered) => offered.flatten().unwrap_or(15),
        (Some(Some(got)), Some(asked)) if asked.is_none_or(|a| got <= a) => got,
        _ => return Err("client window not allowed".into()),
    };
    Ok(DeflateParams {
        server_no_context_takeover: r.snct,
        client_no_context_takeover: r.cnct || offer.client_no_context_takeover,
        server_max_window_bits: server,
        client_max_window_bits: client,
    })
}

/// Checks a run against the independent reading of `input`.
fn check_client_run(h: &ClientHarness, input: &[u8], run: &ClientRun) -> Result<(), String> {
    if run.consumed > run.fed {
        return Err(format!("consumed {} of {}", run.consumed, run.fed));
    }
    // Skip interim 1xx heads (other than 101) as the client must.
    let mut at = 0;
    let final_head = loop {
        match parse_status_head(&input[at..]) {
            Ok((head, len)) if (100..200).contains(&head.status) && head.status != 101 => at += len,
            Ok((head, len)) => break Some((head, at, at + len)),
            Err(_) => break None,
        }
    };
    match run.outcome {
        ClientOutcome::NeedMore => return Err("NeedMore after finish".into()),
        ClientOutcome::Failed(_) => {
            if run.consumed != run.fed {
                return Err(format!(
                    "Failed but consumed {} of {}",
                    run.consumed, run.fed
                ));
            }
        }
        ClientOutcome::Accepted => {
            let (head, start, end) =
                final_head.ok_or("Accepted a response the model cannot parse")?;
            if end - start > h.max_head_bytes {
                return Err("accepted a head past the limit".into());
            }
            let (subprotocol, deflate) =
                accept_ok(h, &head).map_err(|why| format!("Accepted although {why}"))?;
            if run.consumed != end {
                return Err(format!(
                    "Accepted consumed {} but the head ends at {end}",
                    run.consumed
                ));
            }
            if run.subprotocol != subprotocol || run.deflate != deflate {
                return Err(format!(
                    "reported {:?}/{:?}, expected {subprotocol:?}/{deflate:?}",
                    run.subprotocol, run.deflate
                ));
            }
            if run.status != Some(101) || !run.body.is_empty() {
                return Err("Accepted with a status or body".into());
            }
        }
        ClientOutcome::Refused(status) => {
            let (head, _, end) = final_head.ok_or("Refused a response the model cannot parse")?;
            if head.status != status || !(200..=599).contains(&status) || run.status != Some(status)
            {
                return Err(format!("Refused({status}) for a {} head", head.status));
            }
            if run.consumed < end {
                return Err("Refused before the head ended".into());
            }
            let lengths: Vec<&[u8]> = head.values("content-length").collect();
            // RFC 9112 §6.3: a 204 or 304 ends at its blank line whatever
            // Content-Length says.
            let bodiless = matches!(status, 204 | 304);
            if bodiless && (run.consumed != end || !run.body.is_empty()) {
                return Err(format!("a {status} took {} body bytes", run.consumed - end));
            }
            if !bodiless
                && head.values("transfer-encoding").next().is_none()
                && let [cl] = lengths.as_slice()
                && let Some(n) = std::str::from_utf8(cl)
                    .ok()
                    .and_then(|s| s.parse::<usize>().ok())
                && cl.iter().all(u8::is_ascii_digit)
                && (run.consumed != end + n || run.body != input[end..end + n])
            {
                return Err(format!(
                    "Content-Length {n} but consumed {} body {}",
                    run.consumed - end,
                    run.body.len()
                ));
            }
        }
    }
    Ok(())
}

/// Feeds `input` whole, in `sizes` chunks and a byte at a time (when
/// `bytewise`); checks the whole run and that all agree.
pub fn check_client_input(
    h: &ClientHarness,
    input: &[u8],
    sizes: &[usize],
    bytewise: bool,
) -> Result<ClientOutcome, String> {
    let ctx = |e: String| {
        format!(
            "[{}] {e}\ninput: {:?}",
            h.name,
            String::from_utf8_lossy(input)
        )
    };
    let whole = client_run(h, &[input]).map_err(ctx)?;
    check_client_run(h, input, &whole).map_err(|e| ctx(format!("whole: {e}")))?;
    let mut others = vec![("chunks", client_run(h, &split(input, sizes)).map_err(ctx)?)];
    if bytewise {
        let bytes: Vec<&[u8]> = input.chunks(1).collect();
        others.push(("bytewise", client_run(h, &bytes).map_err(ctx)?));
    }
    for (name, run) in others {
        let mut a = run.clone();
        let mut b = whole.clone();
        if matches!(a.outcome, ClientOutcome::Failed(_)) {
            if a.consumed != a.fed {
                return Err(ctx(format!("{name}: Failed without taking everything")));
            }
            (a.consumed, a.fed, b.consumed, b.fed) = (0, 0, 0, 0);
        }
        (a.fed, b.fed) = (0, 0);
        if a != b {
            return Err(ctx(format!(
                "{name} vs whole (chunks {sizes:?}):\n{a:?}\n{b:?}"
            )));
        }
    }
    Ok(whole.outcome)
}

/// The client's request passes the independent server-side check and our
/// server; the server's 101 is then accepted by the client with the same
/// negotiation.
pub fn check_round_trip(h: &ClientHarness, server: &ServerConfig) -> Result<(), String> {
    let key = ClientKey::from_nonce(NONCE);
    let request = h.config.request(&key);
    let head = parse_head(&request, LineOptions::default()).map_err(|e| format!("request: {e}"))?;
    let policy = Policy {
        websocket: true,
        ..Policy::default()
    };
    websocket_request_ok(&head, &policy)
        .map_err(|e| format!("request refused by the model: {e}"))?;
    let mut out = vec![0u8; 4096];
    let r = respond(server, &request, &mut out).map_err(|e| format!("{e:?}"))?;
    let response = &out[..r.response_len];
    let mut c = ClientHandshake::with_key(h.config.clone(), key);
    let f = c.feed(response).map_err(|e| format!("{e:?}"))?;
    if let wshandshake::Outcome::Rejected(e) = r.outcome {
        // The server's refusal is a well-formed final response to the client.
        return match f.outcome {
            ClientOutcome::Refused(s) if s == e.status() && f.consumed == response.len() => Ok(()),
            other => Err(format!("client says {other:?} to a {} refusal", e.status())),
        };
    }
    if r.outcome != wshandshake::Outcome::UpgradeRequest(wshandshake::UpgradeTarget::WebSocket) {
        // A server without WebSocket hands the request to its HTTP stack.
        return Ok(());
    }
    let acceptable = !(h.browser && !h.subprotocols.is_empty() && r.subprotocol.is_none());
    match f.outcome {
        ClientOutcome::Accepted if acceptable => {
            if c.subprotocol() != r.subprotocol || c.deflate() != r.deflate {
                return Err(format!(
                    "client sees {:?}/{:?}, server chose {:?}/{:?}",
                    c.subprotocol(),
                    c.deflate(),
                    r.subprotocol,
                    r.deflate
                ));
            }
        }
        ClientOutcome::Failed(wshandshake::ResponseError::MissingSubprotocol) if !acceptable => {}
        other => return Err(format!("client says {other:?} to our 101")),
    }
    Ok(())
}

/// Server responses to start from: valid 101s for each configuration, interim
/// responses, refusals framed every way.
pub fn client_seeds() -> Vec<Vec<u8>> {
    let ok = |extra: &str| {
        format!(
            "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\
             Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n{extra}\r\n"
        )
        .into_bytes()
    };
    let mut v = vec![
        ok(""),
        ok("Sec-WebSocket-Protocol: chat\r\n"),
        ok(
            "Sec-WebSocket-Protocol: superchat\r\nSec-WebSocket-Extensions: permessage-deflate; client_max_window_bits=9\r\n",
        ),
        ok(
            "Sec-WebSocket-Protocol: chat\r\nSec-WebSocket-Extensions: permessage-deflate; server_no_context_takeover; server_max_window_bits=9, x-foo; a=1\r\n",
        ),
        ok(
            "Sec-WebSocket-Extensions: permessage-deflate; server_no_context_takeover; server_max_window_bits=10; client_max_window_bits=12\r\n",
        ),
        b"HTTP/1.1 403 Forbidden\r\nContent-Length: 5\r\n\r\nnope!".to_vec(),
        b"HTTP/1.1 401 Unauthorized\r\nTransfer-Encoding: chunked\r\n\r\n4\r\nauth\r\n0\r\n\r\n"
            .to_vec(),
        b"HTTP/1.1 426 Upgrade Required\r\nSec-WebSocket-Version: 13\r\n\r\nuntil close".to_vec(),
        b"HTTP/1.1 302 Found\r\nLocation: /x\r\nContent-Length: 0\r\n\r\n".to_vec(),
        b"HTTP/1.1 304 Not Modified\r\nContent-Length: 4\r\n\r\n".to_vec(),
    ];
    let mut interim = b"HTTP/1.1 100 Continue\r\n\r\n".to_vec();
    interim.extend(ok("Sec-WebSocket-Protocol: chat\r\n"));
    v.push(interim);
    let mut frames = ok("");
    frames.extend_from_slice(b"\x81\x05hello");
    v.push(frames);
    v
}
