//! WebSocket over HTTP/2 and HTTP/3 extended CONNECT (RFC 8441, RFC 9220): one
//! test per rule, the RFC 8441 example exchange, and client/server round trips.

use wshandshake::extended_connect::{
    ConnectClientOptions, ConnectClientRequest, ConnectError, ConnectEstablished, ConnectOutcome,
    ConnectRequest, ConnectResponseError, ConnectResponseOutcome, ENABLE_CONNECT_PROTOCOL, Field,
    H3_SETTINGS_ENABLE_CONNECT_PROTOCOL, NotWebSocket, SETTINGS_ENABLE_CONNECT_PROTOCOL, Scheme,
    analyze_request, reject, rejection,
};
use wshandshake::{
    AcceptOptions, DeflateConfig, DeflateParams, Outcome, ServerConfig, SubprotocolChoice,
    SubprotocolSelection, UsageError, respond,
};
use wshandshake::{ClientOffer, DeflateResponseError as ResponseError};

type Owned = Vec<(Vec<u8>, Vec<u8>)>;

/// The RFC 8441 §5.1 request, with the permessage-deflate offer the task adds.
fn rfc_request() -> Owned {
    owned(&[
        (":method", "CONNECT"),
        (":protocol", "websocket"),
        (":scheme", "https"),
        (":path", "/chat"),
        (":authority", "server.example.com"),
        ("sec-websocket-protocol", "chat, superchat"),
        ("sec-websocket-extensions", "permessage-deflate"),
        ("sec-websocket-version", "13"),
        ("origin", "http://www.example.com"),
    ])
}

fn owned(fields: &[(&str, &str)]) -> Owned {
    fields
        .iter()
        .map(|(n, v)| (n.as_bytes().to_vec(), v.as_bytes().to_vec()))
        .collect()
}

fn borrow(fields: &Owned) -> Vec<Field<'_>> {
    fields
        .iter()
        .map(|(n, v)| (n.as_slice(), v.as_slice()))
        .collect()
}

fn chat_config() -> ServerConfig {
    ServerConfig::builder()
        .subprotocols(["chat"])
        .permessage_deflate(DeflateConfig::default())
        .build()
        .unwrap()
}

fn outcome_of(config: &ServerConfig, fields: &Owned) -> Result<(), ConnectError> {
    let borrowed = borrow(fields);
    match analyze_request(config, &borrowed) {
        ConnectOutcome::WebSocket(_) => Ok(()),
        ConnectOutcome::Rejected(e) => Err(e),
        ConnectOutcome::NotWebSocket(n) => panic!("not a WebSocket request: {n:?}"),
    }
}

fn with(mut fields: Owned, name: &str, value: &str) -> Owned {
    fields.push((name.as_bytes().to_vec(), value.as_bytes().to_vec()));
    fields
}

fn without(fields: Owned, name: &str) -> Owned {
    fields
        .into_iter()
        .filter(|(n, _)| n != name.as_bytes())
        .collect()
}

fn replaced(fields: Owned, name: &str, value: &str) -> Owned {
    fields
        .into_iter()
        .map(|(n, v)| {
            if n == name.as_bytes() {
                (n, value.as_bytes().to_vec())
            } else {
                (n, v)
            }
        })
        .collect()
}

/// Inserts a field right after the pseudo-header fields.
fn with_pseudo(fields: Owned, name: &str, value: &str) -> Owned {
    let mut out = fields;
    let at = out.iter().position(|(n, _)| !n.starts_with(b":")).unwrap();
    out.insert(at, (name.as_bytes().to_vec(), value.as_bytes().to_vec()));
    out
}

fn expect_reject(fields: Owned, e: ConnectError) {
    assert_eq!(outcome_of(&chat_config(), &fields), Err(e), "{fields:?}");
}

fn text_pairs(fields: &[(Vec<u8>, Vec<u8>)]) -> Vec<(String, String)> {
    fields
        .iter()
        .map(|(n, v)| {
            (
                String::from_utf8(n.clone()).unwrap(),
                String::from_utf8(v.clone()).unwrap(),
            )
        })
        .collect()
}

fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
    list.iter()
        .map(|(n, v)| (n.to_string(), v.to_string()))
        .collect()
}

fn accept_default<'a>(req: &ConnectRequest<'a>) -> Vec<(String, String)> {
    text_pairs(&req.accept(&AcceptOptions::default()).unwrap().to_vec())
}

fn websocket<'a>(config: &ServerConfig, fields: &'a [Field<'a>]) -> ConnectRequest<'a> {
    match analyze_request(config, fields) {
        ConnectOutcome::WebSocket(r) => r,
        other => panic!("expected a WebSocket request, got {other:?}"),
    }
}

// ---------------------------------------------------------------- RFC example

#[test]
fn rfc8441_example_exchange() {
    let config = chat_config();
    let request = rfc_request();
    let fields = borrow(&request);
    let req = websocket(&config, &fields);
    assert_eq!(req.scheme(), Scheme::Https);
    assert_eq!(req.path(), "/chat");
    assert_eq!(req.authority(), "server.example.com");
    assert_eq!(req.origin(), Some(&b"http://www.example.com"[..]));
    assert_eq!(
        req.subprotocols().collect::<Vec<_>>(),
        ["chat", "superchat"]
    );
    assert_eq!(req.subprotocol(), Some("chat"));
    assert_eq!(req.extensions().count(), 1);
    assert_eq!(req.field("sec-websocket-version"), Some(&b"13"[..]));
    assert_eq!(
        accept_default(&req),
        pairs(&[
            (":status", "200"),
            ("sec-websocket-protocol", "chat"),
            ("sec-websocket-extensions", "permessage-deflate"),
        ])
    );
}

#[test]
fn client_builds_the_rfc8441_example_request() {
    let offers = [ClientOffer {
        client_max_window_bits: None,
        ..ClientOffer::default()
    }];
    let request = ConnectClientRequest::new(&ConnectClientOptions {
        scheme: Scheme::Https,
        authority: "server.example.com",
        path: "/chat",
        subprotocols: &["chat", "superchat"],
        deflate: &offers,
        origin: Some("http://www.example.com"),
        headers: &[],
    })
    .unwrap();
    let mut got = text_pairs(&request.to_vec());
    let mut want = text_pairs(&rfc_request());
    // Pseudo-header fields come first, in the RFC's order.
    assert_eq!(got[..5], want[..5]);
    got.sort();
    want.sort();
    assert_eq!(got, want);

    let response = owned(&[
        (":status", "200"),
        ("sec-websocket-protocol", "chat"),
        ("sec-websocket-extensions", "permessage-deflate"),
    ]);
    let response_fields = borrow(&response);
    let established = request.check_response(&response_fields).unwrap();
    assert_eq!(
        established,
        ConnectResponseOutcome::Accepted(ConnectEstablished {
            status: 200,
            subprotocol: Some("chat"),
            deflate: Some(DeflateParams {
                server_no_context_takeover: false,
                client_no_context_takeover: false,
                server_max_window_bits: 15,
                client_max_window_bits: 15,
            }),
            deflate_offer_index: Some(0),
        })
    );
}

#[test]
fn settings_constants() {
    assert_eq!(SETTINGS_ENABLE_CONNECT_PROTOCOL, 8);
    assert_eq!(H3_SETTINGS_ENABLE_CONNECT_PROTOCOL, 8);
    assert_eq!(ENABLE_CONNECT_PROTOCOL, 1);
}

// ---------------------------------------------------------------- round trips

/// Client fields -> server -> response fields -> client, through caller buffers.
fn round_trip(
    config: &ServerConfig,
    opts: &ConnectClientOptions<'_>,
    accept: &AcceptOptions<'_>,
) -> (Option<String>, Option<DeflateParams>, Option<DeflateParams>) {
    let client = ConnectClientRequest::new(opts).unwrap();
    let mut req_buf = [0u8; 1024];
    let mut req_fields = [(&[][..], &[][..]); 16];
    let n = client.write(&mut req_buf, &mut req_fields).unwrap();
    let req = websocket(config, &req_fields[..n]);
    let response = req.accept(accept).unwrap();
    let mut resp_buf = [0u8; 1024];
    let mut resp_fields = [(&[][..], &[][..]); 16];
    let m = response.write(&mut resp_buf, &mut resp_fields).unwrap();
    match client.check_response(&resp_fields[..m]).unwrap() {
        ConnectResponseOutcome::Accepted(e) => {
            assert_eq!(e.status, 200);
            assert_eq!(e.subprotocol, response.subprotocol());
            (
                e.subprotocol.map(str::to_owned),
                e.deflate,
                response.deflate(),
            )
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn round_trip_agrees_on_subprotocol_and_deflate() {
    let config = ServerConfig::builder()
        .subprotocols(["v2.chat", "chat"])
        .permessage_deflate(DeflateConfig {
            client_max_window_bits: 10,
            server_no_context_takeover: true,
            ..DeflateConfig::default()
        })
        .build()
        .unwrap();
    let opts = ConnectClientOptions {
        authority: "[::1]:8443",
        path: "/ws?room=1",
        subprotocols: &["chat", "v2.chat"],
        deflate: &[ClientOffer::BROWSER],
        origin: Some("https://example.com"),
        headers: &[("User-Agent", b"wshandshake-test")],
        ..ConnectClientOptions::default()
    };
    let (proto, client_deflate, server_deflate) =
        round_trip(&config, &opts, &AcceptOptions::default());
    assert_eq!(proto.as_deref(), Some("chat"));
    assert_eq!(client_deflate, server_deflate);
    let d = client_deflate.unwrap();
    assert_eq!(d.client_max_window_bits, 10);
    assert!(d.server_no_context_takeover);

    // The application overrides the policy and declines deflate.
    let accept = AcceptOptions {
        subprotocol: SubprotocolChoice::Named("v2.chat"),
        decline_deflate: true,
        ..AcceptOptions::default()
    };
    let (proto, client_deflate, server_deflate) = round_trip(&config, &opts, &accept);
    assert_eq!(proto.as_deref(), Some("v2.chat"));
    assert_eq!((client_deflate, server_deflate), (None, None));
}

#[test]
fn client_offers_several_deflate_configurations_in_order() {
    // RFC 7692 §5.1: offers go in one field in preference order; the response
    // does not say which it answers, so it is the first it is valid for.
    let small = ClientOffer {
        server_max_window_bits: Some(10),
        ..ClientOffer::BROWSER
    };
    let offers = [small, ClientOffer::BROWSER];
    let client = ConnectClientRequest::new(&ConnectClientOptions {
        authority: "server.example.com",
        deflate: &offers,
        ..ConnectClientOptions::default()
    })
    .unwrap();
    let request = text_pairs(&client.to_vec());
    assert!(
        request.contains(&(
            "sec-websocket-extensions".into(),
            "permessage-deflate; server_max_window_bits=10; client_max_window_bits, \
         permessage-deflate; client_max_window_bits"
                .into()
        ))
    );
    let accepted = |extensions: &str| {
        let response = owned(&[(":status", "200"), ("sec-websocket-extensions", extensions)]);
        match client.check_response(&borrow(&response)) {
            Ok(ConnectResponseOutcome::Accepted(e)) => Ok((e.deflate_offer_index, e.deflate)),
            other => Err(format!("{other:?}")),
        }
    };
    let (index, params) = accepted("permessage-deflate; server_max_window_bits=10").unwrap();
    assert_eq!(index, Some(0));
    assert_eq!(params.unwrap().server_max_window_bits, 10);
    // Omitting the window the first offer asked for only fits the second.
    let (index, params) = accepted("permessage-deflate").unwrap();
    assert_eq!(index, Some(1));
    assert_eq!(params.unwrap().server_max_window_bits, 15);
    // A window above the first offer's limit is a valid (unrequested) answer
    // to the second.
    let (index, params) = accepted("permessage-deflate; server_max_window_bits=12").unwrap();
    assert_eq!(index, Some(1));
    assert_eq!(params.unwrap().server_max_window_bits, 12);
    // An answer valid for neither is judged against the preferred offer.
    let response = owned(&[
        (":status", "200"),
        (
            "sec-websocket-extensions",
            "permessage-deflate; client_max_window_bits",
        ),
    ]);
    assert_eq!(
        client.check_response(&borrow(&response)),
        Err(ConnectResponseError::Deflate(
            ResponseError::UnexpectedClientWindow
        ))
    );

    // Against this engine's server: it takes the first offer it supports.
    let config = ServerConfig::builder()
        .permessage_deflate(DeflateConfig::default())
        .build()
        .unwrap();
    let owned_req = client.to_vec();
    let fields = borrow(&owned_req);
    let response = websocket(&config, &fields)
        .accept(&AcceptOptions::default())
        .unwrap()
        .to_vec();
    match client.check_response(&borrow(&response)) {
        Ok(ConnectResponseOutcome::Accepted(e)) => {
            assert_eq!(e.deflate_offer_index, Some(0));
            assert_eq!(e.deflate.unwrap().server_max_window_bits, 10);
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn round_trip_plain_http_without_options() {
    let config = ServerConfig::builder().build().unwrap();
    let opts = ConnectClientOptions {
        scheme: Scheme::Http,
        authority: "localhost:8080",
        ..ConnectClientOptions::default()
    };
    let client = ConnectClientRequest::new(&opts).unwrap();
    let owned_req = client.to_vec();
    assert_eq!(
        text_pairs(&owned_req),
        pairs(&[
            (":method", "CONNECT"),
            (":protocol", "websocket"),
            (":scheme", "http"),
            (":path", "/"),
            (":authority", "localhost:8080"),
            ("sec-websocket-version", "13"),
        ])
    );
    let fields = borrow(&owned_req);
    let req = websocket(&config, &fields);
    assert_eq!(req.scheme(), Scheme::Http);
    let response = req.accept(&AcceptOptions::default()).unwrap();
    assert_eq!(text_pairs(&response.to_vec()), pairs(&[(":status", "200")]));
    let resp = response.to_vec();
    assert_eq!(
        client.check_response(&borrow(&resp)).unwrap(),
        ConnectResponseOutcome::Accepted(ConnectEstablished {
            status: 200,
            subprotocol: None,
            deflate: None,
            deflate_offer_index: None,
        })
    );
}

#[test]
fn client_sees_server_rejections_as_refused() {
    let config = ServerConfig::builder()
        .allowed_origins(["https://good.example"])
        .build()
        .unwrap();
    let opts = ConnectClientOptions {
        authority: "server.example.com",
        origin: Some("https://evil.example"),
        ..ConnectClientOptions::default()
    };
    let client = ConnectClientRequest::new(&opts).unwrap();
    let req = client.to_vec();
    let fields = borrow(&req);
    let ConnectOutcome::Rejected(e) = analyze_request(&config, &fields) else {
        panic!("expected a rejection")
    };
    assert_eq!(e, ConnectError::OriginNotAllowed);
    let resp = rejection(e).to_vec();
    assert_eq!(
        client.check_response(&borrow(&resp)),
        Ok(ConnectResponseOutcome::Refused { status: 403 })
    );
}

/// The same config decides the same way over HTTP/1.1 and extended CONNECT.
#[test]
fn same_policy_as_http1() {
    for selection in [
        SubprotocolSelection::ClientPreference,
        SubprotocolSelection::ServerPreference,
    ] {
        let config = ServerConfig::builder()
            .subprotocols(["superchat", "chat"])
            .subprotocol_selection(selection)
            .permessage_deflate(DeflateConfig {
                server_max_window_bits: 12,
                ..DeflateConfig::default()
            })
            .build()
            .unwrap();
        let http1 = b"GET /chat HTTP/1.1\r\nHost: server.example.com\r\n\
            Upgrade: websocket\r\nConnection: Upgrade\r\n\
            Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\
            Sec-WebSocket-Protocol: chat, superchat\r\n\
            Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits\r\n\
            Sec-WebSocket-Version: 13\r\n\r\n";
        let mut out = [0u8; 1024];
        let r = respond(&config, http1, &mut out).unwrap();
        assert!(matches!(r.outcome, Outcome::UpgradeRequest(_)));

        let request = replaced(
            rfc_request(),
            "sec-websocket-extensions",
            "permessage-deflate; client_max_window_bits",
        );
        let fields = borrow(&request);
        let req = websocket(&config, &fields);
        assert_eq!(req.subprotocol(), r.subprotocol, "{selection:?}");
        assert_eq!(req.deflate(), r.deflate);
    }
}

// ---------------------------------------------------------------- not ours

#[test]
fn requests_that_are_not_websocket_are_left_to_the_host() {
    let config = chat_config();
    let get = owned(&[
        (":method", "GET"),
        (":scheme", "https"),
        (":path", "/"),
        (":authority", "a"),
    ]);
    let connect = owned(&[(":method", "CONNECT"), (":authority", "proxy.example:443")]);
    let udp = replaced(rfc_request(), ":protocol", "connect-udp");
    let cases = [
        (get, NotWebSocket::NotConnect),
        (connect, NotWebSocket::PlainConnect),
        (udp, NotWebSocket::OtherProtocol),
    ];
    for (fields, want) in cases {
        let b = borrow(&fields);
        assert!(
            matches!(analyze_request(&config, &b), ConnectOutcome::NotWebSocket(n) if n == want),
            "{want:?}"
        );
    }
    // WebSocket turned off: any :protocol is another protocol for this server.
    let off = ServerConfig::builder().websocket(false).build().unwrap();
    let r = rfc_request();
    let b = borrow(&r);
    assert!(matches!(
        analyze_request(&off, &b),
        ConnectOutcome::NotWebSocket(NotWebSocket::OtherProtocol)
    ));
    // The host answers an unsupported protocol with 501 (RFC 9220 §3).
    let resp = reject(501, &[]).unwrap();
    assert_eq!(text_pairs(&resp.to_vec()), pairs(&[(":status", "501")]));
}

#[test]
fn protocol_token_is_case_insensitive() {
    assert_eq!(
        outcome_of(
            &chat_config(),
            &replaced(rfc_request(), ":protocol", "WebSocket")
        ),
        Ok(())
    );
}

// ---------------------------------------------------------------- field rules

#[test]
fn field_names_must_be_lowercase_tokens() {
    expect_reject(
        replaced_name(rfc_request(), "origin", "Origin"),
        ConnectError::InvalidFieldName,
    );
    expect_reject(
        with(rfc_request(), "x a", "1"),
        ConnectError::InvalidFieldName,
    );
    expect_reject(with(rfc_request(), "", "1"), ConnectError::InvalidFieldName);
    expect_reject(
        with(rfc_request(), "x-\u{e9}", "1"),
        ConnectError::InvalidFieldName,
    );
    assert_eq!(
        outcome_of(&chat_config(), &with(rfc_request(), "x-ok_1.2~", "1")),
        Ok(())
    );
}

fn replaced_name(fields: Owned, name: &str, new_name: &str) -> Owned {
    fields
        .into_iter()
        .map(|(n, v)| {
            if n == name.as_bytes() {
                (new_name.as_bytes().to_vec(), v)
            } else {
                (n, v)
            }
        })
        .collect()
}

#[test]
fn field_values_without_cr_lf_nul_or_edge_whitespace() {
    for bad in ["a\rb", "a\nb", "a\0b", " a", "a ", "\ta", "a\t"] {
        expect_reject(
            with(rfc_request(), "x-test", bad),
            ConnectError::InvalidFieldValue,
        );
    }
    // Pseudo-header values follow the same rule.
    expect_reject(
        replaced(rfc_request(), ":authority", "server.example.com "),
        ConnectError::InvalidFieldValue,
    );
    // Inner whitespace, empty values and obs-text are fine.
    for ok in ["a b", "", "a\tb", "caf\u{e9}"] {
        assert_eq!(
            outcome_of(&chat_config(), &with(rfc_request(), "x-test", ok)),
            Ok(()),
            "{ok:?}"
        );
    }
}

#[test]
fn pseudo_headers_come_first_once_each_and_known() {
    let mut late = rfc_request();
    let path = late.remove(3);
    late.push(path);
    expect_reject(late, ConnectError::MisplacedPseudoHeader);
    expect_reject(
        with_pseudo(rfc_request(), ":status", "200"),
        ConnectError::UnknownPseudoHeader,
    );
    expect_reject(
        with_pseudo(rfc_request(), ":Path", "/x"),
        ConnectError::UnknownPseudoHeader,
    );
    for name in [":method", ":protocol", ":scheme", ":path", ":authority"] {
        let value = match name {
            ":method" => "CONNECT",
            ":protocol" => "websocket",
            ":scheme" => "https",
            ":path" => "/other",
            _ => "server.example.com",
        };
        expect_reject(
            with_pseudo(rfc_request(), name, value),
            ConnectError::DuplicatePseudoHeader,
        );
    }
}

#[test]
fn method_must_be_connect() {
    expect_reject(
        replaced(rfc_request(), ":method", "GET"),
        ConnectError::MethodNotConnect,
    );
    // Methods are case-sensitive (RFC 9110 §9.1).
    expect_reject(
        replaced(rfc_request(), ":method", "connect"),
        ConnectError::MethodNotConnect,
    );
    expect_reject(
        without(rfc_request(), ":method"),
        ConnectError::MethodNotConnect,
    );
}

#[test]
fn scheme_path_and_authority() {
    expect_reject(
        without(rfc_request(), ":scheme"),
        ConnectError::MissingScheme,
    );
    expect_reject(
        replaced(rfc_request(), ":scheme", "ftp"),
        ConnectError::InvalidScheme,
    );
    expect_reject(
        replaced(rfc_request(), ":scheme", "wss"),
        ConnectError::InvalidScheme,
    );
    expect_reject(without(rfc_request(), ":path"), ConnectError::MissingPath);
    expect_reject(
        replaced(rfc_request(), ":path", ""),
        ConnectError::MissingPath,
    );
    for bad in ["chat", "*", "/a b", "/a#b"] {
        expect_reject(
            replaced(rfc_request(), ":path", bad),
            ConnectError::InvalidPath,
        );
    }
    expect_reject(
        without(rfc_request(), ":authority"),
        ConnectError::MissingAuthority,
    );
    expect_reject(
        replaced(rfc_request(), ":authority", ""),
        ConnectError::MissingAuthority,
    );
    for bad in ["user@server.example.com", "server.example.com/x"] {
        expect_reject(
            replaced(rfc_request(), ":authority", bad),
            ConnectError::InvalidAuthority,
        );
    }
    assert_eq!(
        outcome_of(
            &chat_config(),
            &replaced(rfc_request(), ":path", "/chat?room=1&x=%20")
        ),
        Ok(())
    );
}

#[test]
fn host_must_match_authority() {
    expect_reject(
        with(rfc_request(), "host", "other.example.com"),
        ConnectError::HostMismatch,
    );
    let twice = with(
        with(rfc_request(), "host", "server.example.com"),
        "host",
        "x",
    );
    expect_reject(twice, ConnectError::HostMismatch);
    assert_eq!(
        outcome_of(
            &chat_config(),
            &with(rfc_request(), "host", "Server.Example.com")
        ),
        Ok(())
    );
}

#[test]
fn connection_specific_fields_are_refused() {
    for name in [
        "connection",
        "upgrade",
        "keep-alive",
        "transfer-encoding",
        "proxy-connection",
    ] {
        expect_reject(
            with(rfc_request(), name, "websocket"),
            ConnectError::ConnectionSpecificField,
        );
    }
    expect_reject(
        with(rfc_request(), "te", "gzip"),
        ConnectError::ConnectionSpecificField,
    );
    assert_eq!(
        outcome_of(&chat_config(), &with(rfc_request(), "te", "trailers")),
        Ok(())
    );
}

#[test]
fn connect_has_no_content() {
    expect_reject(
        with(rfc_request(), "content-length", "0"),
        ConnectError::RequestHasContent,
    );
}

#[test]
fn version_must_be_13_exactly_once() {
    expect_reject(
        without(rfc_request(), "sec-websocket-version"),
        ConnectError::MissingVersion,
    );
    expect_reject(
        with(rfc_request(), "sec-websocket-version", "13"),
        ConnectError::DuplicateVersion,
    );
    for bad in ["8", "13, 8", "013", ""] {
        expect_reject(
            replaced(rfc_request(), "sec-websocket-version", bad),
            ConnectError::UnsupportedVersion,
        );
    }
}

#[test]
fn version_rejection_names_version_13_with_400() {
    for e in [
        ConnectError::MissingVersion,
        ConnectError::DuplicateVersion,
        ConnectError::UnsupportedVersion,
    ] {
        assert_eq!(
            text_pairs(&rejection(e).to_vec()),
            pairs(&[(":status", "400"), ("sec-websocket-version", "13")])
        );
    }
    assert_eq!(
        text_pairs(&rejection(ConnectError::MissingPath).to_vec()),
        pairs(&[(":status", "400")])
    );
}

#[test]
fn http1_key_exchange_is_refused() {
    expect_reject(
        with(
            rfc_request(),
            "sec-websocket-key",
            "dGhlIHNhbXBsZSBub25jZQ==",
        ),
        ConnectError::KeyNotAllowed,
    );
    expect_reject(
        with(
            rfc_request(),
            "sec-websocket-accept",
            "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=",
        ),
        ConnectError::KeyNotAllowed,
    );
}

#[test]
fn origin_policy() {
    expect_reject(
        with(rfc_request(), "origin", "http://www.example.com"),
        ConnectError::DuplicateOrigin,
    );
    let listed = ServerConfig::builder()
        .allowed_origins(["HTTP://www.example.com"])
        .build()
        .unwrap();
    assert_eq!(outcome_of(&listed, &rfc_request()), Ok(()));
    assert_eq!(
        outcome_of(
            &listed,
            &replaced(rfc_request(), "origin", "http://evil.example")
        ),
        Err(ConnectError::OriginNotAllowed)
    );
    assert_eq!(
        outcome_of(&listed, &replaced(rfc_request(), "origin", "null")),
        Err(ConnectError::OriginNotAllowed)
    );
    let required = ServerConfig::builder()
        .require_origin(true)
        .build()
        .unwrap();
    assert_eq!(
        outcome_of(&required, &without(rfc_request(), "origin")),
        Err(ConnectError::OriginNotAllowed)
    );
    assert_eq!(ConnectError::OriginNotAllowed.status(), 403);
    assert_eq!(
        text_pairs(&rejection(ConnectError::OriginNotAllowed).to_vec()),
        pairs(&[(":status", "403")])
    );
}

#[test]
fn subprotocol_list_and_selection() {
    expect_reject(
        replaced(rfc_request(), "sec-websocket-protocol", "chat, a/b"),
        ConnectError::InvalidSubprotocolList,
    );
    let required = ServerConfig::builder()
        .subprotocols(["mqtt"])
        .require_subprotocol(true)
        .build()
        .unwrap();
    assert_eq!(
        outcome_of(&required, &rfc_request()),
        Err(ConnectError::NoSubprotocolMatch)
    );
    // The list may span several fields; selection follows the config's rule.
    let split = with(
        replaced(rfc_request(), "sec-websocket-protocol", "superchat"),
        "sec-websocket-protocol",
        "chat",
    );
    let fields = borrow(&split);
    let client_pref = ServerConfig::builder()
        .subprotocols(["chat", "superchat"])
        .build()
        .unwrap();
    assert_eq!(
        websocket(&client_pref, &fields).subprotocol(),
        Some("superchat")
    );
    let server_pref = ServerConfig::builder()
        .subprotocols(["chat", "superchat"])
        .subprotocol_selection(SubprotocolSelection::ServerPreference)
        .build()
        .unwrap();
    assert_eq!(websocket(&server_pref, &fields).subprotocol(), Some("chat"));
    // Nothing supported: no subprotocol field in the response.
    let none = ServerConfig::builder().build().unwrap();
    let req = websocket(&none, &fields);
    assert_eq!(req.subprotocol(), None);
    assert_eq!(accept_default(&req), pairs(&[(":status", "200")]));
}

#[test]
fn extension_list_from_every_field() {
    expect_reject(
        replaced(
            rfc_request(),
            "sec-websocket-extensions",
            "permessage-deflate;",
        ),
        ConnectError::InvalidExtensionList,
    );
    let split = with(
        replaced(
            rfc_request(),
            "sec-websocket-extensions",
            "x-foo, permessage-deflate; server_max_window_bits=7",
        ),
        "sec-websocket-extensions",
        "permessage-deflate; server_max_window_bits=10",
    );
    let fields = borrow(&split);
    let req = websocket(&chat_config(), &fields);
    assert_eq!(req.extensions().count(), 3);
    assert_eq!(req.deflate().unwrap().server_max_window_bits, 10);
    assert_eq!(
        accept_default(&req)[2],
        (
            "sec-websocket-extensions".to_string(),
            "permessage-deflate; server_max_window_bits=10".to_string()
        )
    );
    // Without deflate in the config, nothing is negotiated.
    let plain = ServerConfig::builder().build().unwrap();
    let r = rfc_request();
    let fields = borrow(&r);
    assert_eq!(websocket(&plain, &fields).deflate(), None);
}

#[test]
fn malformed_flags_and_statuses() {
    use ConnectError::*;
    for e in [
        InvalidFieldName,
        InvalidFieldValue,
        MisplacedPseudoHeader,
        UnknownPseudoHeader,
        DuplicatePseudoHeader,
        MethodNotConnect,
        MissingScheme,
        MissingPath,
        MissingAuthority,
        HostMismatch,
        ConnectionSpecificField,
    ] {
        assert!(e.is_malformed(), "{e:?}");
        assert_eq!(e.status(), 400);
    }
    for e in [
        InvalidScheme,
        InvalidPath,
        InvalidAuthority,
        RequestHasContent,
        MissingVersion,
        DuplicateVersion,
        UnsupportedVersion,
        KeyNotAllowed,
        DuplicateOrigin,
        InvalidSubprotocolList,
        NoSubprotocolMatch,
        InvalidExtensionList,
    ] {
        assert!(!e.is_malformed(), "{e:?}");
        assert_eq!(e.status(), 400);
        assert!(!e.description().is_empty());
    }
    assert!(!OriginNotAllowed.is_malformed());
    assert_eq!(
        UnsupportedVersion.to_string(),
        "unsupported sec-websocket-version (400)"
    );
}

/// Removing or duplicating any field the handshake needs never yields a request
/// the server accepts.
#[test]
fn mutations_of_required_fields_are_refused() {
    let base = rfc_request();
    for i in 0..base.len() {
        let name = String::from_utf8(base[i].0.clone()).unwrap();
        let mut dropped = base.clone();
        dropped.remove(i);
        let mut doubled = base.clone();
        doubled.insert(i, base[i].clone());
        let required = name.starts_with(':') || name == "sec-websocket-version";
        if name == ":protocol" {
            // Without :protocol it is a plain CONNECT, not ours.
            let b = borrow(&dropped);
            assert!(matches!(
                analyze_request(&chat_config(), &b),
                ConnectOutcome::NotWebSocket(NotWebSocket::PlainConnect)
            ));
        } else if required {
            assert!(outcome_of(&chat_config(), &dropped).is_err(), "{name}");
        }
        let single = name.starts_with(':') || name == "sec-websocket-version" || name == "origin";
        if single {
            assert!(outcome_of(&chat_config(), &doubled).is_err(), "{name}");
        }
        // Uppercasing a name always breaks the request.
        let mut upper = base.clone();
        upper[i].0.make_ascii_uppercase();
        let b = borrow(&upper);
        assert!(
            !matches!(
                analyze_request(&chat_config(), &b),
                ConnectOutcome::WebSocket(_)
            ),
            "{name}"
        );
    }
}

// ---------------------------------------------------------------- accept options

#[test]
fn accept_options_choose_subprotocol() {
    let r = rfc_request();
    let fields = borrow(&r);
    let req = websocket(&chat_config(), &fields);
    let named = req
        .accept(&AcceptOptions {
            subprotocol: SubprotocolChoice::Named("superchat"),
            ..AcceptOptions::default()
        })
        .unwrap();
    assert_eq!(named.subprotocol(), Some("superchat"));
    let err = req
        .accept(&AcceptOptions {
            subprotocol: SubprotocolChoice::Named("mqtt"),
            ..AcceptOptions::default()
        })
        .unwrap_err();
    assert_eq!(err, UsageError::SubprotocolNotOffered);
    let none = req
        .accept(&AcceptOptions {
            subprotocol: SubprotocolChoice::None,
            decline_deflate: true,
            ..AcceptOptions::default()
        })
        .unwrap();
    assert_eq!(text_pairs(&none.to_vec()), pairs(&[(":status", "200")]));
    assert!(none.is_accept());
    assert_eq!(none.deflate(), None);
}

#[test]
fn accept_options_add_extensions_and_fields() {
    let mut r = rfc_request();
    r[6].1 = b"permessage-deflate, x-foo".to_vec();
    let fields = borrow(&r);
    let req = websocket(&chat_config(), &fields);
    let resp = req
        .accept(&AcceptOptions {
            extensions: &["x-foo; a=1"],
            headers: &[("Set-Cookie", b"id=1"), ("x-trace", b"abc")],
            ..AcceptOptions::default()
        })
        .unwrap();
    assert_eq!(
        text_pairs(&resp.to_vec()),
        pairs(&[
            (":status", "200"),
            ("sec-websocket-protocol", "chat"),
            ("sec-websocket-extensions", "permessage-deflate, x-foo; a=1"),
            ("set-cookie", "id=1"),
            ("x-trace", "abc"),
        ])
    );
    let bad = |opts: AcceptOptions<'_>| req.accept(&opts).unwrap_err();
    assert_eq!(
        bad(AcceptOptions {
            extensions: &["x-foo, x-bar"],
            ..AcceptOptions::default()
        }),
        UsageError::InvalidExtension
    );
    // RFC 6455 section 9.1: only offered extensions; permessage-deflate is
    // the engine's own.
    for (element, err) in [
        ("x-never-offered", UsageError::ExtensionNotOffered),
        (
            "permessage-deflate; server_max_window_bits=10",
            UsageError::ReservedExtension,
        ),
        ("PerMessage-Deflate", UsageError::ReservedExtension),
    ] {
        let extensions = [element];
        assert_eq!(
            bad(AcceptOptions {
                extensions: &extensions,
                ..AcceptOptions::default()
            }),
            err
        );
    }
    for (name, value, err) in [
        ("x a", &b"v"[..], UsageError::InvalidHeaderName),
        (":status", b"204", UsageError::InvalidHeaderName),
        ("x-a", b"v\r\nx: y", UsageError::InvalidHeaderValue),
        ("x-a", b"v\x01", UsageError::InvalidHeaderValue),
        (
            "Sec-WebSocket-Protocol",
            b"chat",
            UsageError::ReservedHeader,
        ),
        ("sec-websocket-extensions", b"x", UsageError::ReservedHeader),
        ("sec-websocket-accept", b"x", UsageError::ReservedHeader),
        ("content-length", b"0", UsageError::ReservedHeader),
        ("Connection", b"close", UsageError::ReservedHeader),
        ("upgrade", b"websocket", UsageError::ReservedHeader),
        ("te", b"trailers", UsageError::ReservedHeader),
    ] {
        let headers = [(name, value)];
        assert_eq!(
            bad(AcceptOptions {
                headers: &headers,
                ..AcceptOptions::default()
            }),
            err,
            "{name}"
        );
    }
}

#[test]
fn custom_rejections() {
    let resp = reject(401, &[("WWW-Authenticate", b"Bearer")]).unwrap();
    assert_eq!(resp.status(), 401);
    assert!(!resp.is_accept());
    assert_eq!(
        text_pairs(&resp.to_vec()),
        pairs(&[(":status", "401"), ("www-authenticate", "Bearer")])
    );
    assert_eq!(
        text_pairs(&reject(404, &[("content-length", b"9")]).unwrap().to_vec()),
        pairs(&[(":status", "404"), ("content-length", "9")])
    );
    assert_eq!(reject(200, &[]).unwrap_err(), UsageError::InvalidStatus);
    assert_eq!(reject(101, &[]).unwrap_err(), UsageError::InvalidStatus);
    assert_eq!(reject(600, &[]).unwrap_err(), UsageError::InvalidStatus);
    assert_eq!(
        reject(403, &[("connection", b"close")]).unwrap_err(),
        UsageError::ReservedHeader
    );
}

// ---------------------------------------------------------------- output storage

#[test]
fn output_reports_sizes_and_writes_nothing_when_short() {
    let r = rfc_request();
    let fields = borrow(&r);
    let req = websocket(&chat_config(), &fields);
    let resp = req.accept(&AcceptOptions::default()).unwrap();
    let count = resp.field_count();
    let bytes = resp.bytes_needed();
    assert_eq!(count, 3);
    assert_eq!(
        bytes,
        ":status200sec-websocket-protocolchatsec-websocket-extensionspermessage-deflate".len()
    );

    let mut small = vec![0u8; bytes - 1];
    let mut slots = [(&[][..], &[][..]); 3];
    assert_eq!(
        resp.write(&mut small, &mut slots),
        Err(UsageError::BufferTooSmall { needed: bytes })
    );
    assert!(slots.iter().all(|(n, v)| n.is_empty() && v.is_empty()));
    assert!(small.iter().all(|&b| b == 0));

    let mut big = vec![0u8; bytes];
    let mut few = [(&[][..], &[][..]); 2];
    assert_eq!(
        resp.write(&mut big, &mut few),
        Err(UsageError::FieldArrayTooSmall { needed: 3 })
    );
    assert!(big.iter().all(|&b| b == 0));

    let mut exact = vec![0u8; bytes];
    let mut seen = Vec::new();
    let n = resp
        .write_each(&mut exact, |n, v| seen.push((n.to_vec(), v.to_vec())))
        .unwrap();
    assert_eq!(n, count);
    assert_eq!(seen, resp.to_vec());
    assert_eq!(
        UsageError::FieldArrayTooSmall { needed: 3 }.to_string(),
        "field array too small: 3 entries needed"
    );
}

#[test]
fn client_request_output_sizes() {
    let client = ConnectClientRequest::new(&ConnectClientOptions {
        authority: "a.example",
        subprotocols: &["chat"],
        ..ConnectClientOptions::default()
    })
    .unwrap();
    assert_eq!(client.field_count(), 7);
    let mut buf = vec![0u8; client.bytes_needed()];
    let mut slots = [(&[][..], &[][..]); 7];
    assert_eq!(client.write(&mut buf, &mut slots), Ok(7));
    assert_eq!(slots[5], (&b"sec-websocket-protocol"[..], &b"chat"[..]));
    let mut short = [(&[][..], &[][..]); 6];
    let mut buf2 = vec![0u8; client.bytes_needed()];
    assert_eq!(
        client.write(&mut buf2, &mut short),
        Err(UsageError::FieldArrayTooSmall { needed: 7 })
    );
}

// ---------------------------------------------------------------- client options

#[test]
fn client_options_are_validated() {
    let base = ConnectClientOptions {
        authority: "server.example.com",
        ..ConnectClientOptions::default()
    };
    let err = |o: ConnectClientOptions<'_>| ConnectClientRequest::new(&o).unwrap_err();
    assert_eq!(
        err(ConnectClientOptions {
            authority: "",
            ..base
        }),
        UsageError::InvalidUrl
    );
    assert_eq!(
        err(ConnectClientOptions {
            authority: "u@h",
            ..base
        }),
        UsageError::InvalidUrl
    );
    assert_eq!(
        err(ConnectClientOptions {
            path: "chat",
            ..base
        }),
        UsageError::InvalidUrl
    );
    assert_eq!(
        err(ConnectClientOptions {
            path: "/a#b",
            ..base
        }),
        UsageError::InvalidUrl
    );
    assert_eq!(
        err(ConnectClientOptions {
            subprotocols: &["a b"],
            ..base
        }),
        UsageError::InvalidHeaderValue
    );
    assert_eq!(
        err(ConnectClientOptions {
            subprotocols: &["chat", "chat"],
            ..base
        }),
        UsageError::InvalidHeaderValue
    );
    assert_eq!(
        err(ConnectClientOptions {
            deflate: &[ClientOffer {
                server_max_window_bits: Some(7),
                ..ClientOffer::default()
            }],
            ..base
        }),
        UsageError::InvalidConfig
    );
    assert_eq!(
        err(ConnectClientOptions {
            deflate: &[ClientOffer::default(), ClientOffer::default()],
            ..base
        }),
        UsageError::InvalidConfig
    );
    assert_eq!(
        err(ConnectClientOptions {
            origin: Some("http://a b"),
            ..base
        }),
        UsageError::InvalidHeaderValue
    );
    for (name, e) in [
        ("Host", UsageError::ReservedHeader),
        ("origin", UsageError::ReservedHeader),
        ("sec-websocket-key", UsageError::ReservedHeader),
        ("Sec-WebSocket-Version", UsageError::ReservedHeader),
        ("connection", UsageError::ReservedHeader),
        ("content-length", UsageError::ReservedHeader),
        (":path", UsageError::InvalidHeaderName),
    ] {
        let headers = [(name, &b"x"[..])];
        assert_eq!(
            err(ConnectClientOptions {
                headers: &headers,
                ..base
            }),
            e,
            "{name}"
        );
    }
    // te: trailers is the one connection-level field HTTP/2 allows.
    let ok = ConnectClientRequest::new(&ConnectClientOptions {
        headers: &[("TE", b"trailers"), ("Cookie", b"a=1")],
        ..base
    })
    .unwrap();
    let fields = ok.to_vec();
    assert_eq!(
        text_pairs(&fields[fields.len() - 2..]),
        pairs(&[("te", "trailers"), ("cookie", "a=1")])
    );
    // Whatever the client writes, the server takes as a WebSocket request.
    let b = borrow(&fields);
    assert!(matches!(
        analyze_request(&chat_config(), &b),
        ConnectOutcome::WebSocket(_)
    ));
}

// ---------------------------------------------------------------- client response checks

/// An owned view of a response outcome, so tests can build responses inline.
#[derive(Debug, PartialEq)]
enum Got {
    Accepted(u16, Option<String>, Option<DeflateParams>),
    Refused(u16),
    Interim(u16),
}

fn check(
    client: &ConnectClientRequest<'_>,
    response: &[(&str, &str)],
) -> Result<Got, ConnectResponseError> {
    let owned = owned(response);
    let fields = borrow(&owned);
    client.check_response(&fields).map(|o| match o {
        ConnectResponseOutcome::Accepted(e) => {
            Got::Accepted(e.status, e.subprotocol.map(str::to_owned), e.deflate)
        }
        ConnectResponseOutcome::Refused { status } => Got::Refused(status),
        ConnectResponseOutcome::Interim { status } => Got::Interim(status),
    })
}

fn chat_client() -> ConnectClientRequest<'static> {
    ConnectClientRequest::new(&ConnectClientOptions {
        authority: "server.example.com",
        subprotocols: &["chat", "superchat"],
        deflate: &[ClientOffer::BROWSER],
        ..ConnectClientOptions::default()
    })
    .unwrap()
}

#[test]
fn client_response_structure() {
    let c = chat_client();
    use ConnectResponseError as E;
    assert_eq!(check(&c, &[("x-a", "1")]), Err(E::MissingStatus));
    for bad in ["2000", "20", "abc", "099", "600", "101", " 200"] {
        let r = check(&c, &[(":status", bad)]);
        assert!(
            r == Err(E::InvalidStatus) || r == Err(E::InvalidFieldValue),
            "{bad}: {r:?}"
        );
    }
    assert_eq!(
        check(&c, &[(":status", "200"), (":status", "200")]),
        Err(E::DuplicatePseudoHeader)
    );
    assert_eq!(
        check(&c, &[(":status", "200"), (":path", "/")]),
        Err(E::UnknownPseudoHeader)
    );
    assert_eq!(
        check(&c, &[("x-a", "1"), (":status", "200")]),
        Err(E::MisplacedPseudoHeader)
    );
    assert_eq!(
        check(&c, &[(":status", "200"), ("X-A", "1")]),
        Err(E::InvalidFieldName)
    );
    assert_eq!(
        check(&c, &[(":status", "200"), ("x-a", "1\r\n")]),
        Err(E::InvalidFieldValue)
    );
    assert_eq!(
        check(&c, &[(":status", "200"), ("upgrade", "websocket")]),
        Err(E::ConnectionSpecificField)
    );
    // Structure is checked whatever the status.
    assert_eq!(
        check(&c, &[(":status", "404"), ("connection", "close")]),
        Err(E::ConnectionSpecificField)
    );
}

#[test]
fn client_response_statuses() {
    let c = chat_client();
    let accepted = |status| Ok(Got::Accepted(status, None, None));
    assert_eq!(check(&c, &[(":status", "200")]), accepted(200));
    assert_eq!(check(&c, &[(":status", "204")]), accepted(204));
    // A successful CONNECT response's content-length is ignored (RFC 9110 §8.6).
    assert_eq!(
        check(&c, &[(":status", "200"), ("content-length", "5")]),
        accepted(200)
    );
    assert_eq!(
        check(&c, &[(":status", "103"), ("link", "</a>")]),
        Ok(Got::Interim(103))
    );
    for status in [301u16, 401, 404, 426, 501] {
        let s = status.to_string();
        // A refusal is not checked for WebSocket fields.
        assert_eq!(
            check(&c, &[(":status", &s), ("sec-websocket-protocol", "mqtt")]),
            Ok(Got::Refused(status))
        );
    }
}

#[test]
fn client_response_subprotocol() {
    let c = chat_client();
    use ConnectResponseError as E;
    assert_eq!(
        check(
            &c,
            &[(":status", "200"), ("sec-websocket-protocol", "superchat")]
        ),
        Ok(Got::Accepted(200, Some("superchat".into()), None))
    );
    for bad in ["mqtt", "Chat", "chat, superchat", ""] {
        assert_eq!(
            check(&c, &[(":status", "200"), ("sec-websocket-protocol", bad)]),
            Err(E::SubprotocolNotOffered),
            "{bad:?}"
        );
    }
    assert_eq!(
        check(
            &c,
            &[
                (":status", "200"),
                ("sec-websocket-protocol", "chat"),
                ("sec-websocket-protocol", "chat")
            ]
        ),
        Err(E::DuplicateSubprotocol)
    );
    let plain = ConnectClientRequest::new(&ConnectClientOptions {
        authority: "a",
        ..ConnectClientOptions::default()
    })
    .unwrap();
    assert_eq!(
        check(
            &plain,
            &[(":status", "200"), ("sec-websocket-protocol", "chat")]
        ),
        Err(E::SubprotocolNotOffered)
    );
}

#[test]
fn client_response_extensions() {
    let c = chat_client();
    use ConnectResponseError as E;
    let ok = check(
        &c,
        &[
            (":status", "200"),
            (
                "sec-websocket-extensions",
                "permessage-deflate; client_max_window_bits=9",
            ),
        ],
    )
    .unwrap();
    let Got::Accepted(_, _, Some(d)) = ok else {
        panic!("{ok:?}")
    };
    assert_eq!(d.client_max_window_bits, 9);
    assert_eq!(
        check(
            &c,
            &[(":status", "200"), ("sec-websocket-extensions", "x-foo")]
        ),
        Err(E::ExtensionNotOffered)
    );
    assert_eq!(
        check(
            &c,
            &[
                (":status", "200"),
                ("sec-websocket-extensions", "permessage-deflate"),
                ("sec-websocket-extensions", "permessage-deflate")
            ]
        ),
        Err(E::DuplicateExtension)
    );
    assert_eq!(
        check(
            &c,
            &[
                (":status", "200"),
                ("sec-websocket-extensions", "permessage-deflate; x=1")
            ]
        ),
        Err(E::Deflate(ResponseError::InvalidParameter))
    );
    assert_eq!(
        check(
            &c,
            &[
                (":status", "200"),
                ("sec-websocket-extensions", "permessage-deflate;")
            ]
        ),
        Err(E::InvalidExtensionList)
    );
    let plain = ConnectClientRequest::new(&ConnectClientOptions {
        authority: "a",
        ..ConnectClientOptions::default()
    })
    .unwrap();
    assert_eq!(
        check(
            &plain,
            &[
                (":status", "200"),
                ("sec-websocket-extensions", "permessage-deflate")
            ]
        ),
        Err(E::ExtensionNotOffered)
    );
}

// ---------------------------------------------------------------- real HTTP/2 peer

/// The Python interpreter with the `h2` package, if any: `WSH_H2_PYTHON`, then the
/// repository's test venv, then `python3`.
fn h2_python() -> Option<String> {
    let repo = concat!(env!("CARGO_MANIFEST_DIR"), "/..");
    let candidates = [
        std::env::var("WSH_H2_PYTHON").ok(),
        std::env::var("WSH_VENV")
            .ok()
            .map(|v| format!("{v}/bin/python")),
        Some(format!("{repo}/.venv/bin/python")),
        Some("python3".to_string()),
    ];
    candidates.into_iter().flatten().find(|py| {
        std::process::Command::new(py)
            .args(["-c", "import h2"])
            .stderr(std::process::Stdio::null())
            .status()
            .is_ok_and(|s| s.success())
    })
}

/// The Python peer, killed when dropped.
struct H2Peer {
    child: std::process::Child,
    stdin: std::process::ChildStdin,
    stdout: std::io::BufReader<std::process::ChildStdout>,
}

impl Drop for H2Peer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn unhex(s: &str) -> Vec<u8> {
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
        .collect()
}

/// The quoted strings of a JSON line, in order (the peer's answers hold only
/// keys, hex strings and one number).
fn quoted(line: &str) -> Vec<&str> {
    line.split('"').skip(1).step_by(2).collect()
}

impl H2Peer {
    fn start(python: &str) -> H2Peer {
        use std::process::{Command, Stdio};
        let script = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../tests/peers/h2_extended_connect.py"
        );
        let mut child = Command::new(python)
            .arg(script)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .unwrap();
        let stdin = child.stdin.take().unwrap();
        let stdout = std::io::BufReader::new(child.stdout.take().unwrap());
        H2Peer {
            child,
            stdin,
            stdout,
        }
    }

    fn ask(&mut self, command: String) -> String {
        use std::io::{BufRead, Write};
        writeln!(self.stdin, "{command}").unwrap();
        self.stdin.flush().unwrap();
        let mut line = String::new();
        self.stdout.read_line(&mut line).unwrap();
        assert!(!line.is_empty(), "the h2 peer exited");
        line
    }

    /// Ends the peer and checks it exits cleanly.
    fn quit(&mut self) {
        use std::io::Write;
        writeln!(self.stdin, "{{\"op\": \"quit\"}}").unwrap();
        self.stdin.flush().unwrap();
        assert!(self.child.wait().unwrap().success());
    }

    fn fields_json(fields: &[(Vec<u8>, Vec<u8>)]) -> String {
        let items: Vec<String> = fields
            .iter()
            .map(|(n, v)| format!("[\"{}\", \"{}\"]", hex(n), hex(v)))
            .collect();
        format!("[{}]", items.join(", "))
    }

    fn fields_from(answer: &str, key: &str) -> Owned {
        let strings = quoted(answer);
        assert_eq!(strings.first(), Some(&key), "{answer}");
        let hexes: Vec<&str> = strings[1..]
            .iter()
            .take_while(|s| **s != "stream")
            .copied()
            .collect();
        hexes
            .chunks(2)
            .map(|p| (unhex(p[0]), unhex(p[1])))
            .collect()
    }

    /// Sends the request from the client; returns what the server decoded and
    /// the stream id.
    fn request(&mut self, fields: &[(Vec<u8>, Vec<u8>)]) -> (Owned, u32) {
        let answer = self.ask(format!(
            "{{\"op\": \"request\", \"fields\": {}}}",
            Self::fields_json(fields)
        ));
        let stream = answer
            .rsplit("\"stream\":")
            .next()
            .unwrap()
            .trim()
            .trim_end_matches('}')
            .trim()
            .parse()
            .unwrap();
        (Self::fields_from(&answer, "server_got"), stream)
    }

    /// Sends the response from the server; returns what the client decoded.
    fn respond(&mut self, stream: u32, fields: &[(Vec<u8>, Vec<u8>)], end_stream: bool) -> Owned {
        let answer = self.ask(format!(
            "{{\"op\": \"respond\", \"stream\": {stream}, \"fields\": {}, \"end_stream\": {end_stream}}}",
            Self::fields_json(fields)
        ));
        Self::fields_from(&answer, "client_got")
    }

    fn echo(&mut self, stream: u32, bytes: &[u8]) -> Vec<u8> {
        let answer = self.ask(format!(
            "{{\"op\": \"data\", \"stream\": {stream}, \"bytes\": \"{}\"}}",
            hex(bytes)
        ));
        unhex(quoted(&answer)[1])
    }
}

/// Our field lists travel over a real HTTP/2 connection on loopback (Python `h2`
/// at both ends): the client's request, the server's 200 and a 403, then
/// WebSocket bytes on the accepted stream. Skipped when `h2` is not installed.
#[test]
fn h2_peer_carries_our_field_lists() {
    let Some(python) = h2_python() else {
        assert!(
            std::env::var_os("WSH_REQUIRE_PEERS").is_none(),
            "WSH_REQUIRE_PEERS is set but no Python with the h2 package was found"
        );
        eprintln!("skipped: no Python with the h2 package (set WSH_H2_PYTHON)");
        return;
    };
    let mut peer = H2Peer::start(&python);

    let client = ConnectClientRequest::new(&ConnectClientOptions {
        authority: "127.0.0.1",
        path: "/chat",
        subprotocols: &["chat", "superchat"],
        deflate: &[ClientOffer::BROWSER],
        origin: Some("http://www.example.com"),
        headers: &[("User-Agent", b"wshandshake-test")],
        ..ConnectClientOptions::default()
    })
    .unwrap();
    let (received, stream) = peer.request(&client.to_vec());
    assert_eq!(received, client.to_vec(), "h2 decodes what we encode");
    let fields = borrow(&received);
    let req = websocket(&chat_config(), &fields);
    let response = req.accept(&AcceptOptions::default()).unwrap().to_vec();
    let got = peer.respond(stream, &response, false);
    assert_eq!(got, response);
    let got_fields = borrow(&got);
    let ConnectResponseOutcome::Accepted(established) = client.check_response(&got_fields).unwrap()
    else {
        panic!("not accepted")
    };
    assert_eq!(established.subprotocol, Some("chat"));
    assert!(established.deflate.is_some());

    // The stream now carries WebSocket frames: a masked text frame "hello".
    let mask = [0x37, 0xfa, 0x21, 0x3d];
    let mut frame = vec![0x81, 0x85];
    frame.extend_from_slice(&mask);
    frame.extend(b"hello".iter().zip(mask.iter().cycle()).map(|(b, m)| b ^ m));
    assert_eq!(peer.echo(stream, &frame), frame);

    // A second stream, refused by the origin policy.
    let strict = ServerConfig::builder()
        .allowed_origins(["https://good.example"])
        .build()
        .unwrap();
    let (received, stream) = peer.request(&client.to_vec());
    let fields = borrow(&received);
    let ConnectOutcome::Rejected(e) = analyze_request(&strict, &fields) else {
        panic!("expected a rejection")
    };
    let got = peer.respond(stream, &rejection(e).to_vec(), true);
    let got_fields = borrow(&got);
    assert_eq!(
        client.check_response(&got_fields),
        Ok(ConnectResponseOutcome::Refused { status: 403 })
    );
    peer.quit();
}
