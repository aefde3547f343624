//! `wsh_decision`: what the engine decided about a request head.

use super::args::enum_from;
use super::wsh_result;
use wshandshake::{NotUpgrade, Outcome, UpgradeTarget};

/// What the engine decided about the request bytes fed so far.
#[repr(u32)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum wsh_decision {
    /// The head is not complete yet.
    WSH_DECISION_NEED_MORE = 0,
    /// A valid WebSocket upgrade request: inspect it, then accept or reject.
    WSH_DECISION_UPGRADE_WEBSOCKET = 1,
    /// A valid upgrade to another configured protocol (see
    /// wsh_server_upgrade_protocol()): accept or reject.
    WSH_DECISION_UPGRADE_OTHER = 2,
    /// An invalid request: the ready-made rejection is pending; send it and
    /// close. The result code says why.
    WSH_DECISION_REJECTED = 3,
    /// An ordinary HTTP request without Upgrade: serve it yourself (or answer
    /// it with wsh_server_reject()).
    WSH_DECISION_NOT_UPGRADE = 4,
    /// An HTTP/1.0 request: its Upgrade field is ignored (RFC 9110 section 7.8);
    /// serve it as ordinary HTTP.
    WSH_DECISION_NOT_UPGRADE_HTTP10 = 5,
    /// Upgrade names only protocols this server does not switch to (or is not
    /// listed in Connection): serve it as ordinary HTTP.
    WSH_DECISION_NOT_UPGRADE_UNSUPPORTED = 6,
    /// The HTTP/2 connection preface: hand every byte received (wsh_server_head()
    /// then the rest) to an HTTP/2 stack.
    WSH_DECISION_HTTP2_PREFACE = 7,
}

enum_from!(Outcome => wsh_decision {
    Outcome::NeedMore => WSH_DECISION_NEED_MORE,
    Outcome::UpgradeRequest(UpgradeTarget::WebSocket) => WSH_DECISION_UPGRADE_WEBSOCKET,
    Outcome::UpgradeRequest(UpgradeTarget::Other(_)) => WSH_DECISION_UPGRADE_OTHER,
    Outcome::Rejected(_) => WSH_DECISION_REJECTED,
    Outcome::NotUpgrade(NotUpgrade::Plain) => WSH_DECISION_NOT_UPGRADE,
    Outcome::NotUpgrade(NotUpgrade::Http10) => WSH_DECISION_NOT_UPGRADE_HTTP10,
    Outcome::NotUpgrade(NotUpgrade::UnsupportedProtocol) => WSH_DECISION_NOT_UPGRADE_UNSUPPORTED,
    Outcome::NotUpgrade(NotUpgrade::Http2Preface) => WSH_DECISION_HTTP2_PREFACE,
});

/// The result code that goes with an outcome: WSH_NEED_MORE, the request error
/// of a rejection, or WSH_OK for every decided, valid case.
pub(crate) fn outcome_result(outcome: Outcome) -> wsh_result {
    match outcome {
        Outcome::NeedMore => wsh_result::WSH_NEED_MORE,
        Outcome::Rejected(e) => e.into(),
        Outcome::UpgradeRequest(_) | Outcome::NotUpgrade(_) => wsh_result::WSH_OK,
    }
}
