//! The server-side invariants: run one input through the one-shot call and
//! through handles fed in different chunkings, check each run against the
//! independent models, and check the runs agree.

use std::sync::{Arc, OnceLock};

use wshandshake::OfferIndex;
use wshandshake::internals::ElementsVisited;
use wshandshake::internals::server::HTTP2_PREFACE;
use wshandshake::{
    AcceptOptions, DeflateConfig, DeflateParams, Limits, NotUpgrade, Outcome, RequestError,
    RespondProgress, ServerConfig, ServerHandshake, SubprotocolChoice, SubprotocolSelection,
    UpgradeTarget, UsageError, respond, respond_resume,
};

use super::chunking::split;
use super::grammar_check::{check_response_element, expected_negotiation, extension_list_model};
use super::http_check::{
    ParsedResponse, is_head_request, list_elements, parse_response, parse_response_to, token,
};
use super::rfc6455::{
    Head, LineOptions, ModelScan, Policy, expected_accept, generic_upgrade_ok, model_scan,
    parse_head, websocket_request_ok,
};

/// A server configuration together with the independent model of its policy.
#[derive(Debug, Clone)]
pub struct HarnessConfig {
    /// Short name for messages.
    pub name: &'static str,
    /// The engine's configuration.
    pub config: Arc<ServerConfig>,
    /// The same policy for the independent check.
    pub policy: Policy,
    /// permessage-deflate policy, when enabled.
    pub deflate: Option<DeflateConfig>,
    /// Limits in force.
    pub limits: Limits,
}

#[derive(Default)]
struct Spec {
    name: &'static str,
    lines: LineOptions,
    allow_missing_host: bool,
    websocket_off: bool,
    subprotocols: &'static [&'static str],
    server_preference: bool,
    require_subprotocol: bool,
    origins: Option<&'static [&'static str]>,
    require_origin: bool,
    upgrade_protocols: &'static [&'static str],
    deflate: Option<DeflateConfig>,
    limits: Option<Limits>,
}

fn build(spec: Spec) -> HarnessConfig {
    let mut b = ServerConfig::builder()
        .allow_bare_lf(spec.lines.bare_lf)
        .allow_obs_fold(spec.lines.obs_fold)
        .allow_missing_host(spec.allow_missing_host)
        .websocket(!spec.websocket_off)
        .subprotocols(spec.subprotocols.iter().copied())
        .subprotocol_selection(if spec.server_preference {
            SubprotocolSelection::ServerPreference
        } else {
            SubprotocolSelection::ClientPreference
        })
        .require_subprotocol(spec.require_subprotocol)
        .require_origin(spec.require_origin)
        .upgrade_protocols(spec.upgrade_protocols.iter().copied());
    if let Some(o) = spec.origins {
        b = b.allowed_origins(o.iter().copied());
    }
    if let Some(d) = spec.deflate {
        b = b.permessage_deflate(d);
    }
    let limits = spec.limits.unwrap_or_default();
    b = b.limits(limits);
    let config = Arc::new(b.build().expect("harness config is valid"));
    HarnessConfig {
        name: spec.name,
        config,
        policy: Policy {
            lines: spec.lines,
            allow_missing_host: spec.allow_missing_host,
            websocket: !spec.websocket_off,
            subprotocols: spec.subprotocols.iter().map(|s| s.to_string()).collect(),
            server_preference: spec.server_preference,
            require_subprotocol: spec.require_subprotocol,
            origins: spec
                .origins
                .map(|o| o.iter().map(|s| s.to_string()).collect()),
            require_origin: spec.require_origin,
            upgrade_protocols: spec
                .upgrade_protocols
                .iter()
                .map(|s| s.to_string())
                .collect(),
        },
        deflate: spec.deflate,
        limits,
    }
}

/// The configurations every server target cycles through.
pub fn configs() -> &'static [HarnessConfig] {
    static CONFIGS: OnceLock<Vec<HarnessConfig>> = OnceLock::new();
    CONFIGS.get_or_init(|| {
        vec![
            build(Spec {
                name: "default",
                ..Spec::default()
            }),
            build(Spec {
                name: "chat+deflate+h2c",
                subprotocols: &["chat", "superchat"],
                deflate: Some(DeflateConfig::default()),
                upgrade_protocols: &["h2c"],
                ..Spec::default()
            }),
            build(Spec {
                name: "strict-policy",
                subprotocols: &["v2.chat", "chat"],
                server_preference: true,
                require_subprotocol: true,
                origins: Some(&["http://example.com", "https://app.example"]),
                require_origin: true,
                deflate: Some(DeflateConfig {
                    server_max_window_bits: 10,
                    client_max_window_bits: 12,
                    server_no_context_takeover: true,
                    client_no_context_takeover: false,
                }),
                upgrade_protocols: &["h2c", "foo/2", "TLS/1.2"],
                ..Spec::default()
            }),
            build(Spec {
                name: "lenient",
                lines: LineOptions {
                    bare_lf: true,
                    obs_fold: true,
                },
                allow_missing_host: true,
                subprotocols: &["chat"],
                deflate: Some(DeflateConfig {
                    server_max_window_bits: 15,
                    client_max_window_bits: 9,
                    server_no_context_takeover: false,
                    client_no_context_takeover: true,
                }),
                ..Spec::default()
            }),
            build(Spec {
                name: "small-limits",
                subprotocols: &["chat"],
                deflate: Some(DeflateConfig::default()),
                // Small enough that fuzz inputs of a few hundred bytes reach
                // every limit.
                limits: Some(Limits {
                    max_head_bytes: 480,
                    max_headers: 10,
                    max_request_line: 64,
                    max_header_line: 160,
                }),
                upgrade_protocols: &["h2c"],
                ..Spec::default()
            }),
            build(Spec {
                name: "generic-only",
                websocket_off: true,
                upgrade_protocols: &["h2c", "foo/2"],
                ..Spec::default()
            }),
        ]
    })
}

/// Which way a run went through the engine.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Path {
    /// `respond`.
    OneShot,
    /// `ServerHandshake::feed` then `accept` with default options.
    Handle,
}

/// What one run produced.
#[derive(Debug, Clone)]
pub struct Run {
    /// How it ran.
    pub path: Path,
    /// The outcome.
    pub outcome: Outcome,
    /// Bytes reported as taken.
    pub consumed: usize,
    /// Bytes offered to the engine (the handle stops feeding once decided).
    pub fed: usize,
    /// The response bytes.
    pub response: Vec<u8>,
    /// The selected subprotocol.
    pub subprotocol: Option<String>,
    /// The negotiated permessage-deflate parameters.
    pub deflate: Option<DeflateParams>,
    /// What the handle's request view said, when it offered one.
    pub view: Option<ViewFacts>,
}

/// What `ServerHandshake::request()` reported.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ViewFacts {
    /// Method.
    pub method: String,
    /// Target.
    pub target: String,
    /// Fields in order.
    pub fields: Vec<(String, Vec<u8>)>,
    /// Offered subprotocols.
    pub subprotocols: Vec<String>,
}

fn view_facts(hs: &ServerHandshake) -> Option<ViewFacts> {
    let v = hs.request()?;
    if model_path(v.target()).is_some_and(|p| p != v.path())
        || v.header_count() != v.headers().count()
    {
        return Some(ViewFacts {
            method: "<inconsistent view>".into(),
            target: String::new(),
            fields: Vec::new(),
            subprotocols: Vec::new(),
        });
    }
    Some(ViewFacts {
        method: v.method().to_owned(),
        target: v.target().to_owned(),
        fields: v
            .headers()
            .map(|(n, val)| (n.to_owned(), val.to_vec()))
            .collect(),
        subprotocols: v.subprotocols().map(str::to_owned).collect(),
    })
}

/// The path a target names (RFC 9112 §3.2, RFC 3986 §3): an origin-form
/// target up to its query or fragment; an absolute-form one after its scheme,
/// `://` and authority, `/` when that leaves nothing. None for other forms.
fn model_path(target: &str) -> Option<&str> {
    let resource = if target.starts_with('/') {
        target
    } else {
        let (scheme, rest) = target.split_once("://")?;
        let mut chars = scheme.chars();
        let scheme_ok = chars.next().is_some_and(|c| c.is_ascii_alphabetic())
            && chars.all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c));
        if !scheme_ok {
            return None;
        }
        let authority_len = rest.find(['/', '?', '#']).unwrap_or(rest.len());
        &rest[authority_len..]
    };
    let path = resource.split(['?', '#']).next().unwrap_or_default();
    Some(if path.is_empty() { "/" } else { path })
}

/// The handle's view of the request agrees with the independent parse.
fn check_view(view: &ViewFacts, head: &Head) -> Result<(), String> {
    if view.method.as_bytes() != head.method || view.target.as_bytes() != head.target {
        return Err(format!("view says {} {}", view.method, view.target));
    }
    if view.fields.len() != head.fields.len() {
        return Err(format!(
            "view has {} fields, the head {}",
            view.fields.len(),
            head.fields.len()
        ));
    }
    for ((name, value), f) in view.fields.iter().zip(&head.fields) {
        if name.as_bytes() != f.name || (!head.folded && *value != f.value) {
            return Err(format!("view field {name}: {value:?} differs"));
        }
    }
    let offered: Vec<Vec<u8>> = head
        .list("sec-websocket-protocol")
        .into_iter()
        .filter(|e| std::str::from_utf8(e).is_ok())
        .collect();
    if !head.folded
        && view
            .subprotocols
            .iter()
            .map(|s| s.as_bytes().to_vec())
            .collect::<Vec<_>>()
            != offered
    {
        return Err(format!("view offers {:?}", view.subprotocols));
    }
    Ok(())
}

/// The one-shot call with an output buffer of `out_len` bytes; a too-small
/// buffer must report the exact size, which must then suffice.
pub fn one_shot(hc: &HarnessConfig, input: &[u8], out_len: usize) -> Result<Run, String> {
    let mut out = vec![0u8; out_len];
    let r = match respond(&hc.config, input, &mut out) {
        Ok(r) => r,
        Err(UsageError::BufferTooSmall { needed }) => {
            if needed <= out_len {
                return Err(format!("BufferTooSmall needs {needed} with {out_len}"));
            }
            out = vec![0u8; needed];
            let r = respond(&hc.config, input, &mut out)
                .map_err(|e| format!("second respond with {needed} bytes: {e:?}"))?;
            if r.response_len != needed {
                return Err(format!("needed {needed} but wrote {}", r.response_len));
            }
            r
        }
        Err(e) => return Err(format!("respond failed: {e:?}")),
    };
    if r.response_len > out.len() {
        return Err("response_len beyond the buffer".into());
    }
    Ok(Run {
        path: Path::OneShot,
        outcome: r.outcome,
        consumed: r.consumed,
        fed: input.len(),
        response: out[..r.response_len].to_vec(),
        subprotocol: r.subprotocol.map(str::to_owned),
        deflate: r.deflate,
        view: None,
    })
}

/// Feeds `pieces` into `hs` until decided, accepts an upgrade with default
/// options, and drains the response `drain` bytes at a time.
pub fn handle_run(hs: &mut ServerHandshake, pieces: &[&[u8]], drain: usize) -> Result<Run, String> {
    let mut consumed = 0usize;
    let mut fed = 0usize;
    let mut outcome = Outcome::NeedMore;
    let mut rest = pieces.iter();
    for piece in rest.by_ref() {
        let f = hs
            .feed(piece)
            .map_err(|e| format!("feed refused while reading: {e:?}"))?;
        if f.consumed > piece.len() {
            return Err("a feed took more than it was given".into());
        }
        fed += piece.len();
        consumed += f.consumed;
        outcome = f.outcome;
        if outcome == Outcome::NeedMore {
            if f.consumed != piece.len() {
                return Err("NeedMore without taking the whole piece".into());
            }
        } else {
            break;
        }
    }
    if hs.outcome() != outcome {
        return Err(format!(
            "outcome() {:?} but feed said {outcome:?}",
            hs.outcome()
        ));
    }
    if outcome != Outcome::NeedMore {
        let next = rest.next().copied().unwrap_or_default();
        if hs.feed(next) != Err(UsageError::WrongState) {
            return Err("feeding after the decision is not WrongState".into());
        }
    }
    let proposed = (hs.subprotocol().map(str::to_owned), hs.deflate());
    let view = view_facts(hs);
    if let Outcome::UpgradeRequest(_) = outcome {
        if hs.request().is_none() {
            return Err("an upgrade request without a request view".into());
        }
        hs.accept(&AcceptOptions::default())
            .map_err(|e| format!("default accept failed: {e:?}"))?;
        if !hs.is_accepted() {
            return Err("accepted handle does not say so".into());
        }
        let chosen = (hs.subprotocol().map(str::to_owned), hs.deflate());
        if chosen != proposed {
            return Err(format!("proposed {proposed:?} but accepted {chosen:?}"));
        }
    }
    let pending = hs.pending_response().to_vec();
    let mut drained = Vec::new();
    let mut buf = vec![0u8; drain.max(1)];
    loop {
        let n = hs.drain_response(&mut buf);
        if n == 0 {
            break;
        }
        drained.extend_from_slice(&buf[..n]);
    }
    if drained != pending || !hs.pending_response().is_empty() {
        return Err("drained bytes differ from the pending response".into());
    }
    let (subprotocol, deflate) = if hs.is_accepted() {
        (hs.subprotocol().map(str::to_owned), hs.deflate())
    } else {
        (None, None)
    };
    Ok(Run {
        path: Path::Handle,
        outcome,
        consumed,
        fed,
        response: pending,
        subprotocol,
        deflate,
        view,
    })
}

const REJECTION_STATUSES: &[u16] = &[400, 403, 405, 414, 426, 431];

fn check_rejection(e: RequestError, resp: &ParsedResponse, to_head: bool) -> Result<(), String> {
    if !REJECTION_STATUSES.contains(&e.status()) || resp.status != e.status() {
        return Err(format!("{e:?} answered with {}", resp.status));
    }
    for (name, value) in &resp.fields {
        let ok = match name.to_ascii_lowercase().as_str() {
            "connection" => list_elements(value)
                .iter()
                .any(|t| t.eq_ignore_ascii_case(b"close")),
            "content-type" => value == b"text/plain; charset=utf-8",
            "content-length" => true,
            "allow" => e.status() == 405 && value == b"GET",
            "upgrade" => e.status() == 426 && value == b"websocket",
            "sec-websocket-version" => e.status() == 426 && value == b"13",
            _ => false,
        };
        if !ok {
            return Err(format!("unexpected rejection field {name}: {value:?}"));
        }
    }
    resp.single("connection")?;
    let mut body = e.description().as_bytes().to_vec();
    body.push(b'\n');
    if to_head {
        body.clear();
    }
    if resp.body != body {
        return Err("rejection body is not the fixed description".into());
    }
    Ok(())
}

fn check_limits(hc: &HarnessConfig, head_bytes: &[u8], head: &Head) -> Result<(), String> {
    let l = &hc.limits;
    if head_bytes.len() > l.max_head_bytes
        || head.fields.len() > l.max_headers
        || head.request_line_len > l.max_request_line
        || head.longest_field_line > l.max_header_line
    {
        return Err(format!(
            "a head past the limits was accepted: {} bytes, {} fields, lines {}/{}",
            head_bytes.len(),
            head.fields.len(),
            head.request_line_len,
            head.longest_field_line
        ));
    }
    Ok(())
}

fn expected_subprotocol(hc: &HarnessConfig, offered: &[Vec<u8>]) -> Option<String> {
    let supported = &hc.policy.subprotocols;
    if hc.policy.server_preference {
        supported
            .iter()
            .find(|s| offered.iter().any(|o| o == s.as_bytes()))
            .cloned()
    } else {
        offered.iter().find_map(|o| {
            supported
                .iter()
                .find(|s| s.as_bytes() == o.as_slice())
                .cloned()
        })
    }
}

fn check_websocket_101(hc: &HarnessConfig, head: &Head, run: &Run) -> Result<(), String> {
    let facts = websocket_request_ok(head, &hc.policy)
        .map_err(|why| format!("101 for a request the independent check refuses: {why}"))?;
    let resp = parse_response(&run.response)?;
    if resp.status != 101 || !resp.body.is_empty() {
        return Err("an upgrade answered with something else than a bare 101".into());
    }
    if !resp.single("upgrade")?.eq_ignore_ascii_case(b"websocket") {
        return Err("Upgrade is not websocket".into());
    }
    if !list_elements(resp.single("connection")?)
        .iter()
        .any(|t| t.eq_ignore_ascii_case(b"upgrade"))
    {
        return Err("Connection does not list upgrade".into());
    }
    if resp.single("sec-websocket-accept")? != expected_accept(&facts.key).as_slice() {
        return Err("wrong Sec-WebSocket-Accept".into());
    }
    let want_protocol = expected_subprotocol(hc, &facts.offered);
    let got_protocol: Vec<&[u8]> = resp.values("sec-websocket-protocol").collect();
    match (&want_protocol, got_protocol.as_slice()) {
        (None, []) => {}
        (Some(w), [g]) if w.as_bytes() == *g => {}
        _ => {
            return Err(format!(
                "subprotocol {got_protocol:?}, expected {want_protocol:?}"
            ));
        }
    }
    if run.subprotocol != want_protocol {
        return Err(format!("reported subprotocol {:?}", run.subprotocol));
    }
    let elements: Vec<_> = facts
        .extension_values
        .iter()
        .flat_map(|v| extension_list_model(v).unwrap_or_default())
        .collect();
    let want_deflate = hc.deflate.and_then(|d| expected_negotiation(&elements, &d));
    let got_ext: Vec<&[u8]> = resp.values("sec-websocket-extensions").collect();
    match (&want_deflate, got_ext.as_slice()) {
        (None, []) => {}
        (Some((offer, params)), [element]) => check_response_element(element, offer, params)?,
        _ => return Err(format!("extensions {got_ext:?}, expected {want_deflate:?}")),
    }
    if run.deflate != want_deflate.map(|(_, p)| p) {
        return Err(format!("reported deflate {:?}", run.deflate));
    }
    for (name, _) in &resp.fields {
        let known = [
            "upgrade",
            "connection",
            "sec-websocket-accept",
            "sec-websocket-protocol",
            "sec-websocket-extensions",
        ];
        if !known.contains(&name.to_ascii_lowercase().as_str()) {
            return Err(format!("unexpected 101 field {name}"));
        }
    }
    Ok(())
}

fn check_generic_101(hc: &HarnessConfig, head: &Head, i: usize, run: &Run) -> Result<(), String> {
    let protocol = hc
        .policy
        .upgrade_protocols
        .get(i)
        .ok_or(format!("UpgradeTarget::Other({i}) out of range"))?;
    generic_upgrade_ok(head, &hc.policy, protocol)
        .map_err(|why| format!("101 to {protocol} for a request the check refuses: {why}"))?;
    let resp = parse_response(&run.response)?;
    if resp.status != 101 || !resp.body.is_empty() || resp.fields.len() != 2 {
        return Err("generic upgrade answer is not a bare 101 with two fields".into());
    }
    if resp.single("upgrade")? != protocol.as_bytes()
        || !resp.single("connection")?.eq_ignore_ascii_case(b"upgrade")
    {
        return Err("generic 101 fields".into());
    }
    Ok(())
}

/// Checks one run of `input` (of which the run was offered `run.fed` bytes).
pub fn check_run(hc: &HarnessConfig, input: &[u8], run: &Run) -> Result<(), String> {
    let fed = &input[..run.fed];
    if run.consumed > run.fed {
        return Err(format!("consumed {} of {} fed", run.consumed, run.fed));
    }
    let scan = model_scan(fed, hc.policy.lines);
    match run.outcome {
        Outcome::NeedMore => {
            if !run.response.is_empty() {
                return Err("NeedMore with a response".into());
            }
            let want = if run.path == Path::OneShot {
                0
            } else {
                run.fed
            };
            if run.consumed != want {
                return Err(format!("NeedMore consumed {}", run.consumed));
            }
            if scan != ModelScan::Partial || fed.len() > hc.limits.max_head_bytes {
                return Err(format!("NeedMore although the model finds {scan:?}"));
            }
        }
        Outcome::Rejected(e) => {
            if run.consumed != run.fed {
                return Err(format!(
                    "rejection consumed {} of {}: bytes left as if WebSocket data",
                    run.consumed, run.fed
                ));
            }
            // The answer to a HEAD request drops its body once the head was
            // parsed (an analysis rejection); a framing error keeps it, as
            // its request line may be cut where the chunking cut it. Either
            // way every chunking must answer alike (checked by `same`).
            let to_head = is_head_request(fed)
                && parse_response_to(&run.response, true).is_ok_and(|r| r.body.is_empty());
            let resp = parse_response_to(&run.response, to_head)?;
            check_rejection(e, &resp, to_head)?;
        }
        Outcome::NotUpgrade(NotUpgrade::Http2Preface) => {
            if !fed.starts_with(&HTTP2_PREFACE[..18]) || !run.response.is_empty() {
                return Err("Http2Preface without the preface".into());
            }
            // Documented: the one-shot takes nothing; the handle counts the
            // 18 bytes it buffered, which the host replays from head().
            let want = if run.path == Path::OneShot { 0 } else { 18 };
            if run.consumed != want {
                return Err(format!("preface consumed {}", run.consumed));
            }
        }
        Outcome::NotUpgrade(kind) => {
            if !run.response.is_empty() {
                return Err("NotUpgrade with a response".into());
            }
            let ModelScan::Complete(n) = scan else {
                return Err(format!("decided, but the model finds {scan:?}"));
            };
            if run.consumed != n {
                return Err(format!(
                    "NotUpgrade consumed {} but the head is {n}",
                    run.consumed
                ));
            }
            let head = parse_head(&fed[..n], hc.policy.lines)
                .map_err(|why| format!("NotUpgrade for a malformed head: {why}"))?;
            check_limits(hc, &fed[..n], &head)?;
            if let Some(view) = &run.view {
                check_view(view, &head)?;
            }
            let has_upgrade = head.count("upgrade") > 0;
            let ok = match kind {
                NotUpgrade::Plain => !has_upgrade,
                NotUpgrade::Http10 => has_upgrade && head.version == b"HTTP/1.0",
                NotUpgrade::UnsupportedProtocol => {
                    has_upgrade
                        && !(hc.policy.websocket && head.list_has("upgrade", "websocket"))
                        && hc
                            .policy
                            .upgrade_protocols
                            .iter()
                            .all(|p| generic_upgrade_ok(&head, &hc.policy, p).is_err())
                }
                NotUpgrade::Http2Preface => false,
            };
            if !ok {
                return Err(format!("{kind:?} does not fit the head"));
            }
        }
        Outcome::UpgradeRequest(target) => {
            let ModelScan::Complete(n) = scan else {
                return Err(format!("decided, but the model finds {scan:?}"));
            };
            if run.consumed != n {
                return Err(format!(
                    "upgrade consumed {} but the head is {n}",
                    run.consumed
                ));
            }
            let head = parse_head(&fed[..n], hc.policy.lines)
                .map_err(|why| format!("101 for a malformed head: {why}"))?;
            check_limits(hc, &fed[..n], &head)?;
            if let Some(view) = &run.view {
                check_view(view, &head)?;
            }
            match target {
                UpgradeTarget::WebSocket => check_websocket_101(hc, &head, run)?,
                UpgradeTarget::Other(i) => check_generic_101(hc, &head, i, run)?,
            }
        }
    }
    Ok(())
}

/// Checks two runs of the same input agree.
pub fn same(a: &Run, b: &Run) -> Result<(), String> {
    if a.outcome != b.outcome {
        return Err(format!(
            "{:?} {:?} vs {:?} {:?}",
            a.path, a.outcome, b.path, b.outcome
        ));
    }
    if a.response != b.response {
        return Err(format!(
            "responses differ:\n{}\n---\n{}",
            String::from_utf8_lossy(&a.response),
            String::from_utf8_lossy(&b.response)
        ));
    }
    if (&a.subprotocol, a.deflate) != (&b.subprotocol, b.deflate) {
        return Err("selections differ".into());
    }
    if let (Some(x), Some(y)) = (&a.view, &b.view)
        && x != y
    {
        return Err(format!("request views differ: {x:?} vs {y:?}"));
    }
    let comparable = !matches!(
        a.outcome,
        Outcome::Rejected(_) | Outcome::NeedMore | Outcome::NotUpgrade(NotUpgrade::Http2Preface)
    );
    if comparable && a.consumed != b.consumed {
        return Err(format!("consumed {} vs {}", a.consumed, b.consumed));
    }
    Ok(())
}

/// Counts of what a server check saw.
#[derive(Debug, Clone, Copy, Default)]
pub struct Seen {
    /// 101 to WebSocket.
    pub websocket: usize,
    /// 101 to another protocol.
    pub generic: usize,
    /// Rejections.
    pub rejected: usize,
    /// Not upgrades.
    pub not_upgrade: usize,
    /// Incomplete heads.
    pub need_more: usize,
}

impl Seen {
    /// Adds one outcome.
    pub fn add(&mut self, o: Outcome) {
        match o {
            Outcome::UpgradeRequest(UpgradeTarget::WebSocket) => self.websocket += 1,
            Outcome::UpgradeRequest(_) => self.generic += 1,
            Outcome::Rejected(_) => self.rejected += 1,
            Outcome::NotUpgrade(_) => self.not_upgrade += 1,
            Outcome::NeedMore => self.need_more += 1,
        }
    }
}

/// The checks that depend on how a run was fed (the rest is shared by every
/// run with the same outcome and response, which [`same`] compares).
pub fn check_run_consumption(run: &Run) -> Result<(), String> {
    if run.consumed > run.fed {
        return Err(format!("consumed {} of {} fed", run.consumed, run.fed));
    }
    let want = match (run.outcome, run.path) {
        (Outcome::Rejected(_), _) | (Outcome::NeedMore, Path::Handle) => run.fed,
        (Outcome::NeedMore, Path::OneShot) => 0,
        (Outcome::NotUpgrade(NotUpgrade::Http2Preface), Path::OneShot) => 0,
        (Outcome::NotUpgrade(NotUpgrade::Http2Preface), Path::Handle) => 18,
        _ => return Ok(()),
    };
    if run.consumed != want {
        return Err(format!(
            "{:?} {:?} consumed {} of {} fed (want {want})",
            run.path, run.outcome, run.consumed, run.fed
        ));
    }
    Ok(())
}

/// Runs `input` one-shot, in the chunking `sizes`, whole through a reused
/// handle and (when `bytewise`) a byte at a time; checks one run fully against
/// the independent models, the others' consumption, and that all agree.
/// Returns the one-shot outcome.
pub fn check_server_input(
    hc: &HarnessConfig,
    input: &[u8],
    sizes: &[usize],
    bytewise: bool,
) -> Result<Outcome, String> {
    let ctx = |e: String| {
        format!(
            "[{}] {e}\ninput: {:?}",
            hc.name,
            String::from_utf8_lossy(input)
        )
    };
    let out_len = [4096, 64, 200][input.len() % 3];
    let once = one_shot(hc, input, out_len).map_err(ctx)?;
    let mut hs = ServerHandshake::new(hc.config.clone());
    let chunked = handle_run(&mut hs, &split(input, sizes), 1 + input.len() % 97).map_err(ctx)?;
    hs.reset();
    let whole = handle_run(&mut hs, &[input], 4096).map_err(ctx)?;
    check_run(hc, input, &whole).map_err(|e| ctx(format!("handle: {e}")))?;
    let mut others = vec![("chunks", chunked)];
    if bytewise {
        let bytes: Vec<&[u8]> = input.chunks(1).collect();
        let mut fresh = ServerHandshake::new(hc.config.clone());
        others.push(("bytewise", handle_run(&mut fresh, &bytes, 7).map_err(ctx)?));
    }
    // The one-shot path refuses obs-fold even when lenient (only the handle
    // owns a copy to unfold); documented, so checked on its own then.
    let folded_exception = hc.policy.lines.obs_fold
        && once.outcome == Outcome::Rejected(RequestError::ObsoleteLineFolding)
        && whole.outcome != once.outcome;
    if folded_exception {
        check_run(hc, input, &once).map_err(|e| ctx(format!("one-shot: {e}")))?;
    } else {
        others.push(("one-shot", once.clone()));
    }
    for (name, run) in &others {
        check_run_consumption(run).map_err(|e| ctx(format!("{name}: {e}")))?;
        same(run, &whole).map_err(|e| ctx(format!("{name} vs whole (chunks {sizes:?}): {e}")))?;
    }
    check_resume(hc, input, sizes, &once).map_err(|e| ctx(format!("resume: {e}")))?;
    walk_every_list(hc, input).map_err(|e| ctx(format!("lists: {e}")))?;
    Ok(once.outcome)
}

/// The one-shot read loop with a progress, the input grown in `sizes`
/// pieces: the same decision and response as the one-shot on the whole, and
/// each byte examined a bounded number of times.
fn check_resume(
    hc: &HarnessConfig,
    input: &[u8],
    sizes: &[usize],
    once: &Run,
) -> Result<(), String> {
    let mut progress = RespondProgress::default();
    let mut out = vec![0u8; 8192];
    let mut have = 0;
    for piece in split(input, sizes) {
        have += piece.len();
        let r = respond_resume(&hc.config, &mut progress, &input[..have], &mut out)
            .map_err(|e| format!("{e:?}"))?;
        if r.outcome == Outcome::NeedMore && have < input.len() {
            continue;
        }
        if (r.outcome, &out[..r.response_len]) != (once.outcome, &once.response[..]) {
            return Err(format!(
                "{:?} after {have} bytes, one-shot {:?}",
                r.outcome, once.outcome
            ));
        }
        // A rejection takes every byte given, so only the others compare.
        let decided = !matches!(r.outcome, Outcome::NeedMore | Outcome::Rejected(_));
        if decided && r.consumed != once.consumed {
            return Err(format!("consumed {} vs {}", r.consumed, once.consumed));
        }
        break;
    }
    // A scan of every byte, a parse attempt per call that starts a request,
    // two parses of the head.
    let bound = 4 * input.len().min(hc.limits.max_head_bytes) + 4;
    if progress.bytes_examined() > bound {
        return Err(format!(
            "{} bytes examined for {}",
            progress.bytes_examined(),
            input.len()
        ));
    }
    Ok(())
}

/// Feeds the input whole, then reads every offered list through the index
/// the C accessors use, element by element, and checks it against the
/// request's iterators.
fn walk_every_list(hc: &HarnessConfig, input: &[u8]) -> Result<(), String> {
    let mut hs = ServerHandshake::new(hc.config.clone());
    hs.feed(input).map_err(|e| format!("{e:?}"))?;
    let Some(view) = hs.request() else {
        return Ok(());
    };
    let head = view.head();
    let index = OfferIndex::build(&view);
    let subprotocols: Vec<&str> = view.subprotocols().collect();
    if index.subprotocol_count() != subprotocols.len() {
        return Err("subprotocol count differs".into());
    }
    for (i, p) in subprotocols.iter().enumerate() {
        if index.subprotocol(head, i) != Some(*p) {
            return Err(format!("subprotocol {i} differs"));
        }
    }
    let extensions: Vec<_> = view.extensions().collect();
    if index.extension_count() != extensions.len()
        || index.extension(head, extensions.len()).is_some()
    {
        return Err("extension count differs".into());
    }
    let mut visited = subprotocols.len();
    for (i, e) in extensions.iter().enumerate() {
        if index.extension(head, i) != Some(*e) {
            return Err(format!("extension {i} differs"));
        }
        let params: Vec<_> = e.params().collect();
        if index.param_count(i) != Some(params.len()) {
            return Err(format!("parameter count of extension {i} differs"));
        }
        for (j, p) in params.iter().enumerate() {
            if index.param(head, i, j) != Some(*p) {
                return Err(format!("parameter {j} of extension {i} differs"));
            }
        }
        visited += 1 + params.len();
    }
    if index.elements_visited() != visited {
        return Err(format!(
            "{} elements visited for {visited}",
            index.elements_visited()
        ));
    }
    Ok(())
}

/// Exercises the application's choices on a decided request: accept options
/// or a custom rejection built from `choice`; every call either fails with a
/// usage error that leaves the handle usable, or writes a well-formed response
/// carrying exactly the validated values.
pub fn check_application_choices(
    hc: &HarnessConfig,
    input: &[u8],
    choice: &[u8],
) -> Result<(), String> {
    let mut hs = ServerHandshake::new(hc.config.clone());
    let f = hs.feed(input).map_err(|e| format!("{e:?}"))?;
    let pick = |i: usize| choice.get(i).copied().unwrap_or(0);
    let text = String::from_utf8_lossy(choice.get(3..).unwrap_or_default()).into_owned();
    let mut parts = text.split('|');
    let mut next = || parts.next().unwrap_or("").to_owned();
    let (n1, v1, n2, v2, ext, named) = (next(), next(), next(), next(), next(), next());
    let headers: Vec<(&str, &[u8])> = [(n1.as_str(), v1.as_bytes()), (n2.as_str(), v2.as_bytes())]
        .into_iter()
        .take(usize::from(pick(0) % 3))
        .collect();
    let valid_value = |v: &[u8]| {
        !v.iter()
            .any(|&b| b == b'\r' || b == b'\n' || b == 0 || (b < 0x20 && b != b'\t') || b == 0x7f)
    };
    let headers_valid = headers
        .iter()
        .all(|(n, v)| token(n.as_bytes()) && valid_value(v));
    match f.outcome {
        Outcome::UpgradeRequest(UpgradeTarget::WebSocket) if pick(1) % 2 == 0 => {
            let offered: Vec<String> = hs
                .request()
                .map(|r| r.subprotocols().map(str::to_owned).collect())
                .unwrap_or_default();
            let named_choice = if offered.is_empty() || pick(2) % 2 == 0 {
                named.clone()
            } else {
                offered[usize::from(pick(2)) % offered.len()].clone()
            };
            let ext_list: Vec<&str> = if ext.is_empty() {
                vec![]
            } else {
                vec![ext.as_str()]
            };
            let subprotocol = match pick(1) / 2 % 3 {
                0 => SubprotocolChoice::Policy,
                1 => SubprotocolChoice::None,
                _ => SubprotocolChoice::Named(&named_choice),
            };
            let opts = AcceptOptions {
                subprotocol,
                decline_deflate: pick(2) & 4 != 0,
                extensions: &ext_list,
                headers: &headers,
            };
            match hs.accept(&opts) {
                Ok(()) => {
                    if !headers_valid {
                        return Err(format!("accepted invalid headers {headers:?}"));
                    }
                    if let SubprotocolChoice::Named(n) = subprotocol
                        && !offered.iter().any(|o| o == n)
                    {
                        return Err(format!("selected {n:?}, not offered"));
                    }
                    let resp = parse_response(hs.pending_response())?;
                    for (n, v) in &headers {
                        if !resp.values(n).any(|got| got == *v) {
                            return Err(format!("header {n} missing from the 101"));
                        }
                    }
                    for e in &ext_list {
                        if extension_list_model(e.as_bytes()).map(|l| l.len()) != Some(1) {
                            return Err(format!("accepted bad extension element {e:?}"));
                        }
                        // RFC 6455 section 9.1: offered, and not the engine's
                        // own permessage-deflate.
                        let name = e.split(';').next().unwrap_or("").trim();
                        let offered = hs.request().is_some_and(|r| {
                            r.extensions().any(|o| o.name().eq_ignore_ascii_case(name))
                        });
                        if !offered || name.eq_ignore_ascii_case("permessage-deflate") {
                            return Err(format!("accepted extension element {e:?}"));
                        }
                    }
                }
                Err(
                    UsageError::InvalidHeaderName
                    | UsageError::InvalidHeaderValue
                    | UsageError::ReservedHeader
                    | UsageError::SubprotocolNotOffered
                    | UsageError::InvalidExtension
                    | UsageError::ExtensionNotOffered
                    | UsageError::ReservedExtension
                    | UsageError::BufferTooSmall { .. },
                ) => {
                    hs.accept(&AcceptOptions::default())
                        .map_err(|e| format!("default accept after a refused one: {e:?}"))?;
                    parse_response(hs.pending_response())?;
                }
                Err(e) => return Err(format!("unexpected accept error {e:?}")),
            }
        }
        Outcome::UpgradeRequest(_) | Outcome::NotUpgrade(_) => {
            if f.outcome == Outcome::NotUpgrade(NotUpgrade::Http2Preface) {
                return Ok(());
            }
            let status = u16::from_le_bytes([pick(1), pick(2)]) % 700;
            let body = v2.as_bytes();
            match hs.reject(status, &headers, body) {
                Ok(()) => {
                    // A plain answer (200..) only for a request that is not an upgrade.
                    let lowest = match f.outcome {
                        Outcome::NotUpgrade(_) => 200,
                        _ => 300,
                    };
                    if !(lowest..=599).contains(&status) || !headers_valid {
                        return Err(format!("reject({status}, {headers:?}) accepted"));
                    }
                    let to_head = is_head_request(input);
                    let resp = parse_response_to(hs.pending_response(), to_head)?;
                    let sent = if to_head { &b""[..] } else { body };
                    if resp.status != status || resp.body != sent {
                        return Err("custom rejection status or body differs".into());
                    }
                    if (status == 204 || status == 304) && !body.is_empty() {
                        return Err(format!("a {status} with a body accepted"));
                    }
                    // RFC 9110 7.8: Upgrade goes with the "upgrade" connection option.
                    let sends_upgrade = headers
                        .iter()
                        .any(|(n, _)| n.eq_ignore_ascii_case("upgrade"));
                    let lists_upgrade = resp.values("connection").any(|v| {
                        v.split(|&b| b == b',')
                            .any(|t| t.trim_ascii().eq_ignore_ascii_case(b"upgrade"))
                    });
                    if sends_upgrade != lists_upgrade {
                        return Err("Upgrade and Connection: upgrade disagree".into());
                    }
                    for (n, v) in &headers {
                        if !resp.values(n).any(|got| got == *v) {
                            return Err(format!("header {n} missing from the rejection"));
                        }
                    }
                }
                Err(
                    UsageError::InvalidStatus
                    | UsageError::InvalidHeaderName
                    | UsageError::InvalidHeaderValue
                    | UsageError::ReservedHeader
                    | UsageError::BodyNotAllowed
                    | UsageError::BufferTooSmall { .. },
                ) => {
                    hs.reject(403, &[], b"")
                        .map_err(|e| format!("plain reject after a refused one: {e:?}"))?;
                    parse_response_to(hs.pending_response(), is_head_request(input))?;
                }
                Err(e) => return Err(format!("unexpected reject error {e:?}")),
            }
        }
        _ => {
            if hs.accept(&AcceptOptions::default()) != Err(UsageError::WrongState) {
                return Err("accept outside Decided/upgrade is not WrongState".into());
            }
        }
    }
    Ok(())
}
