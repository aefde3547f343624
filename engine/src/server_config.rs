//! Server policy: built once, immutable afterwards, shared by every handshake.

use crate::error::{RequestError, UsageError};
use crate::head_scanner::{Limits, LineRules};
use crate::permessage_deflate::DeflateConfig;
use crate::token_list::{CommaList, for_each_token, is_token};
use alloc::{string::String, vec::Vec};

/// How the server picks one subprotocol from the client's offer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SubprotocolSelection {
    /// The first protocol in the client's order that the server supports (the
    /// rule MDN describes; the default).
    #[default]
    ClientPreference,
    /// The first protocol in the server's configured order that the client offered.
    ServerPreference,
}

/// An immutable server configuration. Build it with [`ServerConfig::builder`].
#[derive(Debug, Clone)]
pub struct ServerConfig {
    pub(crate) limits: Limits,
    pub(crate) line_rules: LineRules,
    pub(crate) allow_missing_host: bool,
    pub(crate) allow_unbracketed_ipv6_host: bool,
    pub(crate) websocket: bool,
    pub(crate) subprotocols: Vec<String>,
    pub(crate) selection: SubprotocolSelection,
    pub(crate) require_subprotocol: bool,
    pub(crate) origins: Option<Vec<String>>,
    pub(crate) require_origin: bool,
    pub(crate) upgrade_protocols: Vec<String>,
    pub(crate) deflate: Option<DeflateConfig>,
    pub(crate) response_capacity: usize,
}

impl Default for ServerConfig {
    fn default() -> Self {
        ServerConfig {
            limits: Limits::default(),
            line_rules: LineRules::default(),
            allow_missing_host: false,
            allow_unbracketed_ipv6_host: false,
            websocket: true,
            subprotocols: Vec::new(),
            selection: SubprotocolSelection::ClientPreference,
            require_subprotocol: false,
            origins: None,
            require_origin: false,
            upgrade_protocols: Vec::new(),
            deflate: None,
            response_capacity: 4096,
        }
    }
}

impl ServerConfig {
    /// A builder with the documented defaults: WebSocket enabled, no
    /// subprotocols, no extensions, any origin, strict parsing, 16 KiB heads,
    /// 128 header fields, 8 KiB lines, 4 KiB response buffer.
    pub fn builder() -> ServerConfigBuilder {
        ServerConfigBuilder {
            config: ServerConfig::default(),
            error: None,
        }
    }

    /// The limits in force.
    pub fn limits(&self) -> &Limits {
        &self.limits
    }

    /// The supported subprotocols, in the server's order.
    pub fn subprotocols(&self) -> &[String] {
        &self.subprotocols
    }

    /// The generic upgrade protocols, besides `websocket`.
    pub fn upgrade_protocols(&self) -> &[String] {
        &self.upgrade_protocols
    }

    /// The permessage-deflate policy, when enabled.
    pub fn deflate(&self) -> Option<&DeflateConfig> {
        self.deflate.as_ref()
    }

    /// Capacity of a handshake handle's response buffer.
    pub fn response_capacity(&self) -> usize {
        self.response_capacity
    }

    /// True when the server supports subprotocol `name` (exact match).
    #[inline]
    pub(crate) fn supports_subprotocol(&self, name: &[u8]) -> bool {
        self.subprotocols.iter().any(|s| s.as_bytes() == name)
    }

    /// Checks the client's offered subprotocols, given as the lines of the
    /// field (every element must be a token), and picks one with the configured
    /// selection rule: one pass that splits, checks and matches (plus a rescan
    /// for server preference). Shared by the HTTP/1.1 and the extended CONNECT
    /// handshakes.
    pub(crate) fn select_subprotocol<'a, I>(
        &self,
        lines: I,
    ) -> Result<Option<&'a [u8]>, RequestError>
    where
        I: Iterator<Item = &'a [u8]> + Clone,
    {
        let mut chosen = None;
        for line in lines.clone() {
            let all_tokens = for_each_token(line, |offered| {
                if chosen.is_none() && self.supports_subprotocol(offered) {
                    chosen = Some(offered);
                }
            });
            if !all_tokens {
                return Err(RequestError::InvalidSubprotocolList);
            }
        }
        if chosen.is_some() && self.selection == SubprotocolSelection::ServerPreference {
            chosen = self.subprotocols.iter().find_map(|s| {
                lines
                    .clone()
                    .flat_map(CommaList::new)
                    .find(|o| s.as_bytes() == *o)
            });
        }
        Ok(chosen)
    }

    pub(crate) fn origin_allowed(&self, origin: Option<&[u8]>) -> bool {
        let Some(list) = &self.origins else {
            return origin.is_some() || !self.require_origin;
        };
        match origin {
            None => !self.require_origin,
            Some(o) if o.eq_ignore_ascii_case(b"null") => false,
            Some(o) => list
                .iter()
                .any(|allowed| allowed.as_bytes().eq_ignore_ascii_case(o)),
        }
    }
}

/// Builds a [`ServerConfig`]; the first invalid setting is reported by `build`.
#[derive(Debug, Clone)]
pub struct ServerConfigBuilder {
    config: ServerConfig,
    error: Option<UsageError>,
}

/// True for `token [ "/" token ]`, the Upgrade protocol syntax (RFC 9110 §7.8).
pub(crate) fn is_protocol(p: &[u8]) -> bool {
    match p.iter().position(|&b| b == b'/') {
        Some(i) => {
            is_token(p.get(..i).unwrap_or_default())
                && is_token(p.get(i.saturating_add(1)..).unwrap_or_default())
        }
        None => is_token(p),
    }
}

impl ServerConfigBuilder {
    fn fail(&mut self, e: UsageError) {
        self.error.get_or_insert(e);
    }

    /// Supported subprotocols in the server's order of preference (tokens).
    pub fn subprotocols<I, S>(mut self, protocols: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        for p in protocols {
            self = self.add_subprotocol(p);
        }
        self
    }

    /// Adds one supported subprotocol (a token).
    pub fn add_subprotocol(mut self, protocol: impl Into<String>) -> Self {
        let p = protocol.into();
        if is_token(p.as_bytes()) {
            self.config.subprotocols.push(p);
        } else {
            self.fail(UsageError::InvalidConfig);
        }
        self
    }

    /// How one subprotocol is chosen from the client's offer.
    pub fn subprotocol_selection(mut self, selection: SubprotocolSelection) -> Self {
        self.config.selection = selection;
        self
    }

    /// Refuse (400) WebSocket requests that offer no supported subprotocol.
    pub fn require_subprotocol(mut self, required: bool) -> Self {
        self.config.require_subprotocol = required;
        self
    }

    /// Allowed origins (exact, ASCII case-insensitive, e.g. `https://example.com`).
    /// Once a list is set, `Origin: null` is refused.
    pub fn allowed_origins<I, S>(mut self, origins: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        let list = self.config.origins.get_or_insert_with(Vec::new);
        let mut bad = false;
        for o in origins {
            let o: String = o.into();
            if o.is_empty()
                || o.eq_ignore_ascii_case("null")
                || o.bytes().any(|b| !(0x21..0x7f).contains(&b))
            {
                bad = true;
            } else {
                list.push(o);
            }
        }
        if bad {
            self.fail(UsageError::InvalidConfig);
        }
        self
    }

    /// Refuse (403) requests without an Origin field (browsers always send one).
    pub fn require_origin(mut self, required: bool) -> Self {
        self.config.require_origin = required;
        self
    }

    /// Whether WebSocket upgrades are handled (default true). Turn off for a
    /// server that only switches to generic protocols.
    pub fn websocket(mut self, enabled: bool) -> Self {
        self.config.websocket = enabled;
        self
    }

    /// Other protocols the server may switch to (`h2c`, `TLS/1.2`, `foo/2`),
    /// chosen in the client's `Upgrade` order.
    pub fn upgrade_protocols<I, S>(mut self, protocols: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        for p in protocols {
            let p: String = p.into();
            if is_protocol(p.as_bytes()) && !p.eq_ignore_ascii_case("websocket") {
                self.config.upgrade_protocols.push(p);
            } else {
                self.fail(UsageError::InvalidConfig);
            }
        }
        self
    }

    /// Enables permessage-deflate with this policy.
    pub fn permessage_deflate(mut self, deflate: DeflateConfig) -> Self {
        if deflate.is_valid() {
            self.config.deflate = Some(deflate);
        } else {
            self.fail(UsageError::InvalidConfig);
        }
        self
    }

    /// Size limits (see [`Limits`] for the defaults).
    pub fn limits(mut self, limits: Limits) -> Self {
        if limits.max_headers == 0
            || limits.max_headers > Limits::MAX_HEADERS_CAP
            || limits.max_head_bytes < 16
            || limits.max_head_bytes > Limits::MAX_HEAD_BYTES_CAP
            || limits.max_request_line == 0
            || limits.max_header_line == 0
        {
            self.fail(UsageError::InvalidConfig);
        } else {
            self.config.limits = limits;
        }
        self
    }

    /// Lenient: accept lines ending in a bare LF (legacy devices). Off by default.
    pub fn allow_bare_lf(mut self, allow: bool) -> Self {
        self.config.line_rules.allow_bare_lf = allow;
        self
    }

    /// Lenient: unfold obsolete line folding instead of refusing it. Off by default.
    /// Applies to the handle path, which owns a copy of the head.
    pub fn allow_obs_fold(mut self, allow: bool) -> Self {
        self.config.line_rules.allow_obs_fold = allow;
        self
    }

    /// Lenient: accept a WebSocket request without Host. Off by default.
    pub fn allow_missing_host(mut self, allow: bool) -> Self {
        self.config.allow_missing_host = allow;
        self
    }

    /// Lenient: accept a Host that is an IPv6 address without its brackets,
    /// optionally followed by `:port` (WebSocket-Node sends `Host: ::1:8080`).
    /// Off by default. The risk: such a value has no single reading (`::1:8080`
    /// is also a whole IPv6 address, without a port), so a proxy in front may
    /// route it elsewhere than the application reads it; the value is only
    /// checked for its shape (hex digits, `:` and `.`, at least two colons) and
    /// handed to the application as sent.
    pub fn allow_unbracketed_ipv6_host(mut self, allow: bool) -> Self {
        self.config.allow_unbracketed_ipv6_host = allow;
        self
    }

    /// Capacity of each handle's response buffer (default 4096, at least 256).
    pub fn response_capacity(mut self, bytes: usize) -> Self {
        if (256..=1 << 20).contains(&bytes) {
            self.config.response_capacity = bytes;
        } else {
            self.fail(UsageError::InvalidConfig);
        }
        self
    }

    /// Finishes the configuration, or reports the first invalid setting.
    pub fn build(self) -> Result<ServerConfig, UsageError> {
        match self.error {
            Some(e) => Err(e),
            None => Ok(self.config),
        }
    }
}
