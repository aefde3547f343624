//! permessage-deflate negotiation (RFC 7692 §7), server side, and the response
//! rules a client checks.
//!
//! The engine only negotiates parameters; compressing frames is the framing
//! layer's job. [`DeflateParams`] tells that layer how to configure zlib.

use crate::byte_scan::eq_lowercase_name;
use crate::extension_grammar::{Extension, Param};

/// The extension token.
pub(crate) const NAME: &str = "permessage-deflate";

/// What the server is willing to do. Defaults accept every offer with the
/// largest windows and context takeover allowed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DeflateConfig {
    /// Largest LZ77 window (bits, 8..=15) the server's compressor will use.
    /// Answered as `server_max_window_bits` only to an offer that carries the
    /// parameter; otherwise used without telling (the client's 15-bit inflater
    /// decodes it), since some clients refuse an unrequested value.
    pub server_max_window_bits: u8,
    /// Largest window (bits, 8..=15) the server lets the client's compressor use.
    /// Below 15, offers that do not allow limiting the client are declined.
    pub client_max_window_bits: u8,
    /// The server resets its compression context after every message.
    pub server_no_context_takeover: bool,
    /// The server asks the client to reset its context after every message.
    pub client_no_context_takeover: bool,
}

impl Default for DeflateConfig {
    fn default() -> Self {
        DeflateConfig {
            server_max_window_bits: 15,
            client_max_window_bits: 15,
            server_no_context_takeover: false,
            client_no_context_takeover: false,
        }
    }
}

impl DeflateConfig {
    /// True when every value is in range.
    pub fn is_valid(&self) -> bool {
        (8..=15).contains(&self.server_max_window_bits)
            && (8..=15).contains(&self.client_max_window_bits)
    }
}

/// The parameters both sides agreed on; what the framing layer must use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct DeflateParams {
    /// The server resets its compression context after each message.
    pub server_no_context_takeover: bool,
    /// The client resets its compression context after each message.
    pub client_no_context_takeover: bool,
    /// Window bits the server's compressor uses (the client's decompressor needs).
    pub server_max_window_bits: u8,
    /// Window bits the client's compressor uses (the server's decompressor needs).
    pub client_max_window_bits: u8,
}

/// The parameters of one offer, after syntax checks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
struct Offer {
    server_no_context_takeover: bool,
    client_no_context_takeover: bool,
    server_max_window_bits: Option<u8>,
    /// `Some(None)`: offered without a value.
    client_max_window_bits: Option<Option<u8>>,
}

/// Parses `8`..`15` written without leading zeros (RFC 7692 §7.1.2).
fn window_bits(param: &Param<'_>) -> Option<u8> {
    let v = param.value()?;
    let mut digits = v.unescaped();
    let first = digits.next()?;
    let second = digits.next();
    if digits.next().is_some() {
        return None;
    }
    let n = match (first, second) {
        (b'8'..=b'9', None) => first.wrapping_sub(b'0'),
        (b'1', Some(b'0'..=b'5')) => 10u8.wrapping_add(second.unwrap_or(b'0').wrapping_sub(b'0')),
        _ => return None,
    };
    Some(n)
}

/// True for the extension token `permessage-deflate` (tokens compare without
/// regard to case; `name` is a token, as the extension grammar guarantees).
#[inline]
pub(crate) fn is_deflate_name(name: &[u8]) -> bool {
    eq_lowercase_name(name, NAME.as_bytes())
}

/// Reads one offer's parameters; None when a parameter is unknown, duplicated or
/// has an invalid value (that offer is declined, RFC 7692 §5).
fn parse_offer(ext: &Extension<'_>) -> Option<Offer> {
    let mut reader = OfferReader::default();
    for p in ext.params() {
        reader.add(&p);
    }
    reader.finish()
}

/// Reads an offer one parameter at a time, so that the grammar pass that
/// validates an extension element can read the offer in the same pass.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct OfferReader {
    offer: Offer,
    seen: u8,
    declined: bool,
}

impl OfferReader {
    /// Takes the next parameter of the offer.
    pub(crate) fn add(&mut self, p: &Param<'_>) {
        if !self.declined && self.read(p).is_none() {
            self.declined = true;
        }
    }

    fn read(&mut self, p: &Param<'_>) -> Option<()> {
        // Matched on the length first, so that each compare is of a known
        // size (a few word compares instead of a byte-by-byte match).
        let name = p.name_bytes();
        let bit = match name.len() {
            26 if name == b"server_no_context_takeover" => 1,
            26 if name == b"client_no_context_takeover" => 2,
            22 if name == b"server_max_window_bits" => 4,
            22 if name == b"client_max_window_bits" => 8,
            _ => return None,
        };
        if self.seen & bit != 0 {
            return None;
        }
        self.seen |= bit;
        match bit {
            1 | 2 => {
                if p.value().is_some() {
                    return None;
                }
                if bit == 1 {
                    self.offer.server_no_context_takeover = true;
                } else {
                    self.offer.client_no_context_takeover = true;
                }
            }
            4 => self.offer.server_max_window_bits = Some(window_bits(p)?),
            _ => {
                self.offer.client_max_window_bits = Some(match p.value() {
                    None => None,
                    Some(_) => Some(window_bits(p)?),
                })
            }
        }
        Some(())
    }

    fn finish(self) -> Option<Offer> {
        (!self.declined).then_some(self.offer)
    }

    /// Applies the server's policy to the offer read. None: decline it.
    pub(crate) fn accept(self, config: &DeflateConfig) -> Option<Accepted> {
        self.finish().and_then(|o| accept_offer(&o, config))
    }
}

/// The outcome of accepting one offer: the agreed parameters and which of them
/// the response element spells out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Accepted {
    /// What both sides use.
    pub params: DeflateParams,
    /// Write `server_max_window_bits=<n>` in the response.
    write_server_bits: bool,
    /// Write `client_max_window_bits=<n>` in the response.
    write_client_bits: bool,
}

/// Writes the value of a `Sec-WebSocket-Extensions` answer with `push`: the
/// negotiated permessage-deflate element first, then the application's extra
/// elements, comma-separated (the 101 and the extended CONNECT response share it).
/// Inlined: on the 101's path a call cost 12 instructions a handshake.
#[inline(always)]
pub(crate) fn write_answer(
    deflate: Option<&Accepted>,
    extra: &[&str],
    mut push: impl FnMut(&[u8]),
) {
    let mut first = true;
    if let Some(d) = deflate {
        d.write(&mut push);
        first = false;
    }
    for e in extra {
        if !first {
            push(b", ");
        }
        push(e.as_bytes());
        first = false;
    }
}

impl Accepted {
    /// Writes the response element into `out` with `push`, e.g.
    /// `permessage-deflate; server_no_context_takeover; client_max_window_bits=10`.
    pub(crate) fn write(&self, mut push: impl FnMut(&[u8])) {
        push(NAME.as_bytes());
        if self.params.server_no_context_takeover {
            push(b"; server_no_context_takeover");
        }
        if self.params.client_no_context_takeover {
            push(b"; client_no_context_takeover");
        }
        if self.write_server_bits {
            push(b"; server_max_window_bits=");
            push(bits_text(self.params.server_max_window_bits));
        }
        if self.write_client_bits {
            push(b"; client_max_window_bits=");
            push(bits_text(self.params.client_max_window_bits));
        }
    }
}

fn bits_text(bits: u8) -> &'static [u8] {
    match bits {
        8 => b"8",
        9 => b"9",
        10 => b"10",
        11 => b"11",
        12 => b"12",
        13 => b"13",
        14 => b"14",
        _ => b"15",
    }
}

/// Applies the server's policy to one offer (RFC 7692 §7.1). None: decline it.
fn accept_offer(offer: &Offer, config: &DeflateConfig) -> Option<Accepted> {
    let server_bits = match offer.server_max_window_bits {
        // Never raise what the client asked for: a requested 8 stays 8.
        Some(asked) => asked.min(config.server_max_window_bits),
        None => config.server_max_window_bits,
    };
    // §7.1.2.1 lets a server answer server_max_window_bits unasked, but some
    // clients (nhooyr.io/websocket 1.8.7) then refuse the connection. A smaller
    // window needs no agreement: the client's inflater, sized for 15 bits when it
    // did not ask, decodes any smaller window. So it is answered only when asked.
    let write_server_bits = offer.server_max_window_bits.is_some();
    let (client_bits, write_client_bits) = match offer.client_max_window_bits {
        // §7.1.2.2: without the parameter in the offer the response must not carry
        // it, so a server that needs a smaller client window must decline.
        None if config.client_max_window_bits < 15 => return None,
        None => (15, false),
        Some(None) => (
            config.client_max_window_bits,
            config.client_max_window_bits < 15,
        ),
        Some(Some(asked)) => (asked.min(config.client_max_window_bits), true),
    };
    Some(Accepted {
        params: DeflateParams {
            server_no_context_takeover: offer.server_no_context_takeover
                || config.server_no_context_takeover,
            // The client offered to reset its context: take it up, so both sides
            // record the same parameters (a server may always include it).
            client_no_context_takeover: config.client_no_context_takeover
                || offer.client_no_context_takeover,
            server_max_window_bits: server_bits,
            client_max_window_bits: client_bits,
        },
        write_server_bits,
        write_client_bits,
    })
}

/// Picks the first acceptable permessage-deflate offer among `offers` (in the
/// client's order), skipping other extensions and malformed offers. (The
/// HTTP/1.1 server reads offers with [`OfferReader`] during the grammar pass.)
#[cfg(any(feature = "extended-connect", feature = "test-internals", test))]
pub(crate) fn negotiate<'a>(
    offers: impl Iterator<Item = Extension<'a>>,
    config: &DeflateConfig,
) -> Option<Accepted> {
    offers
        .filter(|e| is_deflate_name(e.name_bytes()))
        .find_map(|e| parse_offer(&e).and_then(|o| accept_offer(&o, config)))
}

/// Why a server's permessage-deflate response element is not acceptable.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ResponseError {
    /// Unknown, duplicated or malformed parameter.
    InvalidParameter,
    /// `client_max_window_bits` in the response although the offer did not carry it,
    /// or without a value (§7.1.2.2).
    UnexpectedClientWindow,
    /// A window larger than the offer allowed.
    WindowTooLarge,
    /// The offer asked for `server_no_context_takeover` and the response lacks it.
    MissingServerNoContextTakeover,
    /// The offer carried `server_max_window_bits` and the response lacks it: the
    /// server did not agree to the window the client's decompressor is sized for
    /// (§7.1.2.1: a server accepts the parameter by answering it).
    MissingServerMaxWindowBits,
}

/// What a client offered, for checking the response (the client-side offer).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClientOffer {
    /// Ask the server not to take over context.
    pub server_no_context_takeover: bool,
    /// Tell the server the client will not take over context.
    pub client_no_context_takeover: bool,
    /// Ask the server to use at most this window (8..=15).
    pub server_max_window_bits: Option<u8>,
    /// Offer `client_max_window_bits`; `Some(None)` offers it without a value,
    /// telling the server it may limit the client's window.
    pub client_max_window_bits: Option<Option<u8>>,
}

impl Default for ClientOffer {
    /// [`ClientOffer::BROWSER`].
    fn default() -> Self {
        ClientOffer::BROWSER
    }
}

impl ClientOffer {
    /// The offer browsers send: `permessage-deflate; client_max_window_bits`.
    /// A constant, so that `&[ClientOffer::BROWSER]` lives as long as needed.
    pub const BROWSER: ClientOffer = ClientOffer {
        server_no_context_takeover: false,
        client_no_context_takeover: false,
        server_max_window_bits: None,
        client_max_window_bits: Some(None),
    };

    /// True when every window value is in 8..=15.
    pub fn is_valid(&self) -> bool {
        let ok = |b: u8| (8..=15).contains(&b);
        self.server_max_window_bits.is_none_or(ok)
            && self.client_max_window_bits.flatten().is_none_or(ok)
    }

    /// Writes the offer element (e.g. `permessage-deflate; client_max_window_bits`).
    pub fn write(&self, mut push: impl FnMut(&[u8])) {
        push(NAME.as_bytes());
        if self.server_no_context_takeover {
            push(b"; server_no_context_takeover");
        }
        if self.client_no_context_takeover {
            push(b"; client_no_context_takeover");
        }
        if let Some(b) = self.server_max_window_bits {
            push(b"; server_max_window_bits=");
            push(bits_text(b));
        }
        match self.client_max_window_bits {
            None => {}
            Some(None) => push(b"; client_max_window_bits"),
            Some(Some(b)) => {
                push(b"; client_max_window_bits=");
                push(bits_text(b));
            }
        }
    }

    /// Checks a server's response element against this offer (RFC 7692 §7.1) and
    /// returns the parameters to use.
    pub fn check_response(&self, ext: &Extension<'_>) -> Result<DeflateParams, ResponseError> {
        let r = parse_offer(ext).ok_or(ResponseError::InvalidParameter)?;
        self.check_parsed(&r)
    }

    fn check_parsed(&self, r: &Offer) -> Result<DeflateParams, ResponseError> {
        if self.server_no_context_takeover && !r.server_no_context_takeover {
            return Err(ResponseError::MissingServerNoContextTakeover);
        }
        let server_bits = match (r.server_max_window_bits, self.server_max_window_bits) {
            (Some(got), Some(asked)) if got > asked => return Err(ResponseError::WindowTooLarge),
            (Some(got), _) => Some(got),
            // Reported after the checks of the parameters present.
            (None, Some(_)) => None,
            // §7.1.2.1: the server may answer server_max_window_bits unasked;
            // without it the server's window is the largest.
            (None, None) => Some(15),
        };
        let client_bits = match (r.client_max_window_bits, self.client_max_window_bits) {
            (None, None) => 15,
            (None, Some(offered)) => offered.unwrap_or(15),
            (Some(None), _) | (Some(Some(_)), None) => {
                return Err(ResponseError::UnexpectedClientWindow);
            }
            (Some(Some(got)), Some(Some(asked))) if got > asked => {
                return Err(ResponseError::WindowTooLarge);
            }
            (Some(Some(got)), Some(_)) => got,
        };
        let server_bits = server_bits.ok_or(ResponseError::MissingServerMaxWindowBits)?;
        Ok(DeflateParams {
            server_no_context_takeover: r.server_no_context_takeover,
            client_no_context_takeover: r.client_no_context_takeover
                || self.client_no_context_takeover,
            server_max_window_bits: server_bits,
            client_max_window_bits: client_bits,
        })
    }
}

/// Finds which of several offers (in the client's order of preference, RFC 7692
/// §5.1) a response element accepts: the response does not say, so it is the
/// first offer it is a valid answer to. Returns that offer's index and the
/// parameters to use; when it answers none, the error against the first offer
/// (the one the client preferred). `offers` must not be empty.
#[cfg(any(feature = "client", feature = "extended-connect"))]
pub(crate) fn match_response(
    offers: &[ClientOffer],
    ext: &Extension<'_>,
) -> Result<(usize, DeflateParams), ResponseError> {
    let r = parse_offer(ext).ok_or(ResponseError::InvalidParameter)?;
    let mut first_error = ResponseError::InvalidParameter;
    for (index, offer) in offers.iter().enumerate() {
        match offer.check_parsed(&r) {
            Ok(params) => return Ok((index, params)),
            Err(e) if index == 0 => first_error = e,
            Err(_) => {}
        }
    }
    Err(first_error)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extension_grammar::Extensions;

    fn negotiate_str(header: &str, config: &DeflateConfig) -> Option<String> {
        let accepted = negotiate(Extensions::new(header.as_bytes()), config)?;
        let mut out = Vec::new();
        accepted.write(|b| out.extend_from_slice(b));
        Some(String::from_utf8(out).unwrap())
    }

    #[test]
    fn browser_offer_with_defaults() {
        let d = DeflateConfig::default();
        assert_eq!(
            negotiate_str("permessage-deflate; client_max_window_bits", &d).as_deref(),
            Some("permessage-deflate")
        );
    }

    #[test]
    fn rfc7692_examples() {
        let d = DeflateConfig::default();
        // §7.1.3 style offers: the first acceptable offer wins.
        assert_eq!(
            negotiate_str(
                "permessage-deflate; client_max_window_bits; server_max_window_bits=10, permessage-deflate; client_max_window_bits",
                &d
            )
            .as_deref(),
            Some("permessage-deflate; server_max_window_bits=10")
        );
        assert_eq!(
            negotiate_str("permessage-deflate; server_no_context_takeover", &d).as_deref(),
            Some("permessage-deflate; server_no_context_takeover")
        );
    }

    #[test]
    fn never_raises_eight() {
        let d = DeflateConfig::default();
        assert_eq!(
            negotiate_str("permessage-deflate; server_max_window_bits=8", &d).as_deref(),
            Some("permessage-deflate; server_max_window_bits=8")
        );
        assert_eq!(
            negotiate_str("permessage-deflate; client_max_window_bits=8", &d).as_deref(),
            Some("permessage-deflate; client_max_window_bits=8")
        );
    }

    #[test]
    fn bad_offers_fall_back_to_the_next() {
        let d = DeflateConfig::default();
        for bad in [
            "permessage-deflate; server_max_window_bits=7",
            "permessage-deflate; server_max_window_bits=16",
            "permessage-deflate; server_max_window_bits=010",
            "permessage-deflate; server_max_window_bits",
            "permessage-deflate; server_no_context_takeover=1",
            "permessage-deflate; foo",
            "permessage-deflate; server_no_context_takeover; server_no_context_takeover",
        ] {
            assert_eq!(negotiate_str(bad, &d), None, "{bad}");
            let with_fallback = format!("{bad}, permessage-deflate");
            assert_eq!(
                negotiate_str(&with_fallback, &d).as_deref(),
                Some("permessage-deflate"),
                "{bad}"
            );
        }
        // Quoted values are fine.
        assert_eq!(
            negotiate_str("permessage-deflate; server_max_window_bits=\"9\"", &d).as_deref(),
            Some("permessage-deflate; server_max_window_bits=9")
        );
    }

    #[test]
    fn server_limits() {
        let d = DeflateConfig {
            server_max_window_bits: 12,
            client_max_window_bits: 11,
            server_no_context_takeover: true,
            client_no_context_takeover: true,
        };
        assert_eq!(
            negotiate_str("permessage-deflate; client_max_window_bits", &d).as_deref(),
            Some(
                "permessage-deflate; server_no_context_takeover; client_no_context_takeover; \
                 client_max_window_bits=11"
            )
        );
        // The reduced server window is used without telling a client that did
        // not ask, and answered to one that did.
        let silent = negotiate(
            Extensions::new(b"permessage-deflate; client_max_window_bits"),
            &d,
        )
        .unwrap();
        assert_eq!(silent.params.server_max_window_bits, 12);
        assert_eq!(
            negotiate_str(
                "permessage-deflate; server_max_window_bits=14; client_max_window_bits",
                &d
            )
            .as_deref(),
            Some(
                "permessage-deflate; server_no_context_takeover; client_no_context_takeover; \
                 server_max_window_bits=12; client_max_window_bits=11"
            )
        );
        // The client cannot be limited: decline.
        assert_eq!(negotiate_str("permessage-deflate", &d), None);
    }

    #[test]
    fn client_checks_response() {
        let offer = ClientOffer::default();
        let ok = |s: &str| offer.check_response(&Extensions::new(s.as_bytes()).next().unwrap());
        assert_eq!(ok("permessage-deflate").unwrap().client_max_window_bits, 15);
        assert_eq!(
            ok("permessage-deflate; client_max_window_bits=9")
                .unwrap()
                .client_max_window_bits,
            9
        );
        assert_eq!(
            ok("permessage-deflate; client_max_window_bits"),
            Err(ResponseError::UnexpectedClientWindow)
        );
        assert_eq!(
            ok("permessage-deflate; x=1"),
            Err(ResponseError::InvalidParameter)
        );
        let strict = ClientOffer {
            server_no_context_takeover: true,
            client_no_context_takeover: false,
            server_max_window_bits: Some(10),
            client_max_window_bits: None,
        };
        let check = |s: &str| strict.check_response(&Extensions::new(s.as_bytes()).next().unwrap());
        assert_eq!(
            check("permessage-deflate; server_max_window_bits=10"),
            Err(ResponseError::MissingServerNoContextTakeover)
        );
        assert_eq!(
            check("permessage-deflate; server_no_context_takeover; server_max_window_bits=11"),
            Err(ResponseError::WindowTooLarge)
        );
        assert_eq!(
            check(
                "permessage-deflate; server_no_context_takeover; server_max_window_bits=10; \
                 client_max_window_bits=10"
            ),
            Err(ResponseError::UnexpectedClientWindow)
        );
        // §7.1.2.1: the server accepts server_max_window_bits by answering it.
        assert_eq!(
            check("permessage-deflate; server_no_context_takeover"),
            Err(ResponseError::MissingServerMaxWindowBits)
        );
        let p = check("permessage-deflate; server_no_context_takeover; server_max_window_bits=9")
            .unwrap();
        assert_eq!(p.server_max_window_bits, 9);
    }
}
