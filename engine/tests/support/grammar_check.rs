//! Independent models of the header grammars (RFC 9110 §5.6 lists and tokens,
//! RFC 6455 §9.1 extension lists, RFC 7692 §7 parameters) and the checks that
//! compare the engine's parsers and negotiation with them.

use wshandshake::internals::extension_grammar::{self, Extensions};
use wshandshake::internals::permessage_deflate;
use wshandshake::internals::token_list::{self, CommaList};
use wshandshake::{ClientOffer, DeflateConfig, DeflateParams};

use super::http_check::{list_elements, tchar, token, trim_ows};

/// One lexical item of an extension list.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Lex {
    Token(Vec<u8>),
    /// A quoted string, already unescaped (only tokens may be quoted).
    Quoted(Vec<u8>),
    Semi,
    Equals,
    Comma,
}

/// Lexes as far as possible; the flag is false when lexing stopped at an error.
fn lex(v: &[u8]) -> (Vec<Lex>, bool) {
    let mut out = Vec::new();
    let mut i = 0;
    while i < v.len() {
        match v[i] {
            b' ' | b'\t' => i += 1,
            b';' => {
                out.push(Lex::Semi);
                i += 1;
            }
            b'=' => {
                out.push(Lex::Equals);
                i += 1;
            }
            b',' => {
                out.push(Lex::Comma);
                i += 1;
            }
            b'"' => {
                i += 1;
                let mut s = Vec::new();
                loop {
                    let Some(&c) = v.get(i) else {
                        return (out, false);
                    };
                    i += 1;
                    match c {
                        b'"' => break,
                        b'\\' => match v.get(i) {
                            Some(&e) if tchar(e) => {
                                s.push(e);
                                i += 1;
                            }
                            _ => return (out, false),
                        },
                        c if tchar(c) => s.push(c),
                        _ => return (out, false),
                    }
                }
                if s.is_empty() {
                    return (out, false);
                }
                out.push(Lex::Quoted(s));
            }
            c if tchar(c) => {
                let start = i;
                while i < v.len() && tchar(v[i]) {
                    i += 1;
                }
                out.push(Lex::Token(v[start..i].to_vec()));
            }
            _ => return (out, false),
        }
    }
    (out, true)
}

/// An extension element as the model reads it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ModelExt {
    /// Extension token.
    pub name: Vec<u8>,
    /// Parameters: name and unescaped value.
    pub params: Vec<(Vec<u8>, Option<Vec<u8>>)>,
}

fn segment(items: &[Lex]) -> Option<ModelExt> {
    let (Lex::Token(name), mut rest) = (items.first()?, &items[1..]) else {
        return None;
    };
    let mut params = Vec::new();
    while !rest.is_empty() {
        let [Lex::Semi, Lex::Token(p), tail @ ..] = rest else {
            return None;
        };
        match tail {
            [Lex::Equals, Lex::Token(v) | Lex::Quoted(v), more @ ..] => {
                params.push((p.clone(), Some(v.clone())));
                rest = more;
            }
            [Lex::Equals, ..] => return None,
            _ => {
                params.push((p.clone(), None));
                rest = tail;
            }
        }
    }
    Some(ModelExt {
        name: name.clone(),
        params,
    })
}

/// The elements a streaming parser can report before the first syntax error,
/// and whether the whole value is valid.
pub fn extension_prefix_model(v: &[u8]) -> (Vec<ModelExt>, bool) {
    let (items, lexed_all) = lex(v);
    let segments: Vec<&[Lex]> = items.split(|i| *i == Lex::Comma).collect();
    let last = segments.len() - 1;
    let mut out = Vec::new();
    for (n, seg) in segments.iter().enumerate() {
        let complete = n < last || lexed_all;
        if seg.is_empty() {
            continue;
        }
        match segment(seg) {
            Some(e) if complete => out.push(e),
            Some(_) => return (out, false),
            None => return (out, false),
        }
    }
    (out, lexed_all)
}

/// The elements of a valid extension list, or None when it is invalid.
pub fn extension_list_model(v: &[u8]) -> Option<Vec<ModelExt>> {
    let (elements, ok) = extension_prefix_model(v);
    ok.then_some(elements)
}

fn engine_elements(v: &[u8]) -> Vec<ModelExt> {
    Extensions::new(v)
        .map(|e| ModelExt {
            name: e.name().as_bytes().to_vec(),
            params: e
                .params()
                .map(|p| {
                    (
                        p.name().as_bytes().to_vec(),
                        p.value().map(|v| v.unescaped().collect()),
                    )
                })
                .collect(),
        })
        .collect()
}

/// Writes a model element back as text (values as bare tokens).
pub fn write_element(e: &ModelExt) -> Vec<u8> {
    let mut out = e.name.clone();
    for (p, v) in &e.params {
        out.extend_from_slice(b"; ");
        out.extend_from_slice(p);
        if let Some(v) = v {
            out.push(b'=');
            out.extend_from_slice(v);
        }
    }
    out
}

/// Compares the engine's extension grammar with the model on one value.
pub fn check_extension_grammar(v: &[u8]) -> Result<(), String> {
    let (prefix, ok) = extension_prefix_model(v);
    let engine = extension_grammar::validate(v);
    match (&engine, ok) {
        (Ok(n), true) if *n == prefix.len() => {}
        (Err(e), false) if e.offset <= v.len() => {}
        _ => {
            return Err(format!(
                "validate {engine:?} but the model says valid={ok} with {} elements: {:?}",
                prefix.len(),
                String::from_utf8_lossy(v)
            ));
        }
    }
    let streamed = engine_elements(v);
    if streamed != prefix {
        return Err(format!(
            "Extensions yields {streamed:?}, model {prefix:?} for {:?}",
            String::from_utf8_lossy(v)
        ));
    }
    // Writing the elements back and parsing again gives the same elements.
    let joined: Vec<u8> = prefix
        .iter()
        .map(write_element)
        .collect::<Vec<_>>()
        .join(&b", "[..]);
    if extension_grammar::validate(&joined) != Ok(prefix.len())
        || engine_elements(&joined) != prefix
    {
        return Err(format!(
            "round trip differs for {:?}",
            String::from_utf8_lossy(&joined)
        ));
    }
    Ok(())
}

/// Compares the comma-list and token helpers with the model. `data` is cut at
/// LF into several field values of one list.
pub fn check_token_list(data: &[u8]) -> Result<(), String> {
    if token_list::is_token(data) != token(data) {
        return Err(format!("is_token disagrees on {data:?}"));
    }
    if token_list::trim_ows(data) != trim_ows(data) {
        return Err(format!("trim_ows disagrees on {data:?}"));
    }
    let values: Vec<&[u8]> = data.split(|&b| b == b'\n').collect();
    let mut all = Vec::new();
    for v in &values {
        let engine: Vec<&[u8]> = CommaList::new(v).collect();
        let model = list_elements(v);
        if engine != model {
            return Err(format!("CommaList {engine:?} but model {model:?}"));
        }
        // Elements are in order, inside the value, and never contain a comma or
        // surrounding whitespace.
        let base = v.as_ptr() as usize;
        let mut last_end = 0;
        for e in &engine {
            let start = e.as_ptr() as usize - base;
            if start < last_end || start + e.len() > v.len() {
                return Err("element outside its value or out of order".into());
            }
            last_end = start + e.len();
            if e.contains(&b',') || trim_ows(e) != *e || e.is_empty() {
                return Err(format!("bad element {e:?}"));
            }
        }
        all.extend(model);
    }
    let probes: Vec<Vec<u8>> = all
        .iter()
        .take(4)
        .map(|e| e.to_ascii_uppercase())
        .chain([b"upgrade".to_vec(), b"websocket".to_vec(), data.to_vec()])
        .collect();
    for probe in &probes {
        let engine = token_list::list_contains(values.iter().copied(), probe);
        let model = all.iter().any(|e| e.eq_ignore_ascii_case(probe));
        if engine != model {
            return Err(format!(
                "list_contains({probe:?}) = {engine}, model {model}"
            ));
        }
    }
    Ok(())
}

/// The permessage-deflate parameters of one offer, as the model reads them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct OfferModel {
    /// server_no_context_takeover
    pub snct: bool,
    /// client_no_context_takeover
    pub cnct: bool,
    /// server_max_window_bits
    pub smwb: Option<u8>,
    /// client_max_window_bits; `Some(None)` without a value.
    pub cmwb: Option<Option<u8>>,
}

impl OfferModel {
    /// The same offer as the engine's client-side type.
    pub fn client_offer(&self) -> ClientOffer {
        ClientOffer {
            server_no_context_takeover: self.snct,
            client_no_context_takeover: self.cnct,
            server_max_window_bits: self.smwb,
            client_max_window_bits: self.cmwb,
        }
    }
}

/// RFC 7692 §7.1.2: `8`..`15`, decimal, no leading zero.
fn window(v: &[u8]) -> Option<u8> {
    match v {
        [d @ b'8'..=b'9'] => Some(d - b'0'),
        [b'1', d @ b'0'..=b'5'] => Some(10 + d - b'0'),
        _ => None,
    }
}

/// Reads an element's parameters; None for unknown, repeated or bad ones.
pub fn offer_model(e: &ModelExt) -> Option<OfferModel> {
    let mut m = OfferModel::default();
    let mut seen: Vec<&[u8]> = Vec::new();
    for (name, value) in &e.params {
        if seen.contains(&name.as_slice()) {
            return None;
        }
        seen.push(name);
        match (name.as_slice(), value) {
            (b"server_no_context_takeover", None) => m.snct = true,
            (b"client_no_context_takeover", None) => m.cnct = true,
            (b"server_max_window_bits", Some(v)) => m.smwb = Some(window(v)?),
            (b"client_max_window_bits", None) => m.cmwb = Some(None),
            (b"client_max_window_bits", Some(v)) => m.cmwb = Some(Some(window(v)?)),
            _ => return None,
        }
    }
    Some(m)
}

/// What a server with `cfg` must agree to for `offer` (None: decline it).
pub fn expected_for_offer(offer: &OfferModel, cfg: &DeflateConfig) -> Option<DeflateParams> {
    let client = match offer.cmwb {
        None if cfg.client_max_window_bits < 15 => return None,
        None => 15,
        Some(None) => cfg.client_max_window_bits,
        Some(Some(asked)) => asked.min(cfg.client_max_window_bits),
    };
    Some(DeflateParams {
        server_no_context_takeover: offer.snct || cfg.server_no_context_takeover,
        // The server takes up a client's offer to reset its context, so both
        // sides record the same parameters.
        client_no_context_takeover: cfg.client_no_context_takeover || offer.cnct,
        server_max_window_bits: offer.smwb.unwrap_or(15).min(cfg.server_max_window_bits),
        client_max_window_bits: client,
    })
}

/// The first acceptable permessage-deflate offer among `elements`.
pub fn expected_negotiation(
    elements: &[ModelExt],
    cfg: &DeflateConfig,
) -> Option<(OfferModel, DeflateParams)> {
    elements
        .iter()
        .filter(|e| e.name.eq_ignore_ascii_case(b"permessage-deflate"))
        .find_map(|e| {
            let o = offer_model(e)?;
            Some((o, expected_for_offer(&o, cfg)?))
        })
}

/// Checks a response element the server wrote for `offer`: one element, our
/// name, parameters RFC 7692 allows for that offer, and the engine's own
/// client-side check accepts it with the same parameters.
pub fn check_response_element(
    element: &[u8],
    offer: &OfferModel,
    expected: &DeflateParams,
) -> Result<(), String> {
    let text = String::from_utf8_lossy(element);
    let parsed =
        extension_list_model(element).ok_or(format!("response element {text:?} does not parse"))?;
    let [e] = parsed.as_slice() else {
        return Err(format!("response {text:?} is not one element"));
    };
    if e.name != b"permessage-deflate" {
        return Err(format!(
            "response element named {:?}",
            String::from_utf8_lossy(&e.name)
        ));
    }
    let r = offer_model(e).ok_or(format!("response {text:?} has bad parameters"))?;
    if offer.snct && !r.snct {
        return Err("offer asked server_no_context_takeover, response lacks it".into());
    }
    match (r.cmwb, offer.cmwb) {
        (None, _) => {}
        (Some(None), _) | (Some(Some(_)), None) => {
            return Err("client_max_window_bits not allowed in this response".into());
        }
        (Some(Some(got)), Some(Some(asked))) if got > asked => {
            return Err("client window raised".into());
        }
        _ => {}
    }
    if let (Some(got), Some(asked)) = (r.smwb, offer.smwb)
        && got > asked
    {
        return Err("server window raised".into());
    }
    let engine = Extensions::new(element)
        .next()
        .ok_or("the engine does not parse its own element")?;
    let client_view = offer
        .client_offer()
        .check_response(&engine)
        .map_err(|err| format!("check_response refuses {text:?}: {err:?}"))?;
    let mut want = *expected;
    want.client_no_context_takeover |= offer.cnct;
    // The server answers server_max_window_bits only when asked: unasked, the
    // client sizes its inflater for 15 bits, which decodes any smaller window
    // the server's compressor uses.
    if offer.smwb.is_none() {
        want.server_max_window_bits = 15;
    }
    if client_view != want {
        return Err(format!(
            "client sees {client_view:?}, server agreed {expected:?}"
        ));
    }
    Ok(())
}

/// A deflate policy from two bytes.
pub fn deflate_config_from(a: u8, b: u8) -> DeflateConfig {
    DeflateConfig {
        server_max_window_bits: if a & 8 != 0 { 15 } else { 8 + (a & 7) },
        client_max_window_bits: if b & 8 != 0 { 15 } else { 8 + (b & 7) },
        server_no_context_takeover: a & 0x10 != 0,
        client_no_context_takeover: b & 0x10 != 0,
    }
}

/// Negotiates on an arbitrary offer value and checks the result against the
/// model; then checks a client offer built from the same bytes round-trips.
pub fn check_deflate(cfg: &DeflateConfig, offers: &[u8]) -> Result<(), String> {
    let (elements, _) = extension_prefix_model(offers);
    let engine = permessage_deflate::negotiate(Extensions::new(offers), cfg);
    let model = expected_negotiation(&elements, cfg);
    match (engine, model) {
        (None, None) => {}
        (Some(acc), Some((offer, expected))) => {
            if acc.params != expected {
                return Err(format!("agreed {:?}, model {expected:?}", acc.params));
            }
            let mut element = Vec::new();
            acc.write(|b| element.extend_from_slice(b));
            check_response_element(&element, &offer, &expected)?;
        }
        (e, m) => {
            return Err(format!(
                "negotiate {e:?}, model {m:?} for {:?}",
                String::from_utf8_lossy(offers)
            ));
        }
    }
    Ok(())
}

/// A client offer from a byte; written, negotiated by a default server, and
/// the response checked by the same offer.
pub fn check_client_offer_round_trip(b: u8, c: u8) -> Result<(), String> {
    let bits = |x: u8| 8 + (x % 8);
    let offer = ClientOffer {
        server_no_context_takeover: b & 1 != 0,
        client_no_context_takeover: b & 2 != 0,
        server_max_window_bits: (b & 4 != 0).then(|| bits(c)),
        client_max_window_bits: match (b >> 3) & 3 {
            0 => None,
            1 => Some(None),
            _ => Some(Some(bits(c >> 3))),
        },
    };
    let mut text = Vec::new();
    offer.write(|x| text.extend_from_slice(x));
    let elements = extension_list_model(&text).ok_or("client offer does not parse")?;
    let model = elements
        .first()
        .and_then(offer_model)
        .ok_or("client offer parameters")?;
    if model.client_offer() != offer {
        return Err(format!("offer {offer:?} reads back as {model:?}"));
    }
    let cfg = deflate_config_from(c, b.rotate_left(3));
    check_deflate(&cfg, &text)
}
