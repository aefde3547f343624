//! Helpers shared by the integration tests.
#![allow(dead_code)]

use std::path::PathBuf;

/// Reads a request fixture from tests/fixtures/requests.
pub fn fixture(name: &str) -> Vec<u8> {
    let path = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/.."))
        .join("tests/fixtures/requests")
        .join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Every `.http` fixture, by file name.
pub fn all_fixtures() -> Vec<(String, Vec<u8>)> {
    let dir =
        PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/..")).join("tests/fixtures/requests");
    let mut out: Vec<(String, Vec<u8>)> = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(|e| {
            let p = e.unwrap().path();
            (p.extension()? == "http").then(|| {
                (
                    p.file_name().unwrap().to_string_lossy().into_owned(),
                    std::fs::read(&p).unwrap(),
                )
            })
        })
        .collect();
    out.sort();
    assert!(out.len() >= 8, "fixtures missing in {}", dir.display());
    out
}

/// A strict check of an HTTP/1.1 response head: one status line, token names,
/// no CR/LF/NUL in values, CRLF line ends, and a Content-Length that matches.
pub fn assert_well_formed_response(resp: &[u8]) {
    let text = resp;
    let end = text
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("response head must end in CRLF CRLF")
        + 4;
    let head = &text[..end];
    let body = &text[end..];
    let head_str = std::str::from_utf8(head).expect("head is ASCII here");
    let mut lines = head_str[..head_str.len() - 4].split("\r\n");
    let status = lines.next().unwrap();
    assert!(status.starts_with("HTTP/1.1 "), "{status}");
    let code: u16 = status[9..12].parse().expect("3-digit status");
    assert!((100..=599).contains(&code));
    assert!(
        !head_str[..head_str.len() - 4].contains('\n')
            || !head_str.replace("\r\n", "").contains('\n')
    );
    let mut content_length = None;
    for line in lines {
        let (name, value) = line.split_once(':').expect("header line has a colon");
        assert!(
            wshandshake::internals::token_list::is_token(name.as_bytes()),
            "bad name {name:?}"
        );
        let value = value.strip_prefix(' ').expect("one space after colon");
        assert!(
            value
                .bytes()
                .all(|b| b == b'\t' || (0x20..0x7f).contains(&b)),
            "bad value {value:?}"
        );
        if name.eq_ignore_ascii_case("content-length") {
            content_length = Some(value.parse::<usize>().unwrap());
        }
    }
    if code == 101 {
        assert!(body.is_empty(), "a 101 has no body");
    } else {
        assert_eq!(
            content_length,
            Some(body.len()),
            "Content-Length matches the body"
        );
    }
    // Parse it again with httparse as an independent parser.
    let mut headers = [httparse::EMPTY_HEADER; 64];
    let mut r = httparse::Response::new(&mut headers);
    assert_eq!(r.parse(resp).unwrap(), httparse::Status::Complete(end));
}

/// The value of header `name` in a response.
pub fn response_header<'a>(resp: &'a [u8], name: &str) -> Option<&'a str> {
    let text = std::str::from_utf8(resp).ok()?;
    let head = &text[..text.find("\r\n\r\n")?];
    head.split("\r\n").skip(1).find_map(|l| {
        let (n, v) = l.split_once(':')?;
        n.eq_ignore_ascii_case(name).then(|| v.trim())
    })
}

/// The status code of a response.
pub fn status_of(resp: &[u8]) -> u16 {
    std::str::from_utf8(&resp[9..12]).unwrap().parse().unwrap()
}
