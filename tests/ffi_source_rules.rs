//! Rules of src/ffi checked on the source text:
//! - every exported function (`pub extern "C" fn` / `pub unsafe extern "C" fn`)
//!   is `#[unsafe(no_mangle)]`, named `wsh_*`, and its body is exactly one
//!   `ffi_boundary! { ... }` invocation;
//! - the header declares exactly those functions;
//! - the library has no global state, no stdio and no environment reads.

mod ffi_common;

use std::collections::BTreeSet;
use std::fs;
use std::path::PathBuf;

use ffi_common::*;

struct Exported {
    file: String,
    name: String,
    attributes: String,
    body: String,
}

/// Index just past the delimiter that closes the one at `open` (`(`/`{`),
/// skipping string and char literals and comments.
fn matching(src: &[u8], open: usize) -> usize {
    let (o, c) = (src[open], if src[open] == b'(' { b')' } else { b'}' });
    let mut depth = 0usize;
    let mut i = open;
    while i < src.len() {
        match src[i] {
            b'/' if src.get(i + 1) == Some(&b'/') => {
                while i < src.len() && src[i] != b'\n' {
                    i += 1;
                }
            }
            b'/' if src.get(i + 1) == Some(&b'*') => {
                i += 2;
                while i + 1 < src.len() && !(src[i] == b'*' && src[i + 1] == b'/') {
                    i += 1;
                }
                i += 1;
            }
            b'"' => {
                i += 1;
                while src[i] != b'"' {
                    i += if src[i] == b'\\' { 2 } else { 1 };
                }
            }
            b'\'' if src.get(i + 2) == Some(&b'\'') => i += 2,
            b'\'' if src.get(i + 1) == Some(&b'\\') => {
                i += 2;
                while src[i] != b'\'' {
                    i += 1;
                }
            }
            b if b == o => depth += 1,
            b if b == c => {
                depth -= 1;
                if depth == 0 {
                    return i + 1;
                }
            }
            _ => {}
        }
        i += 1;
    }
    panic!("unbalanced delimiters");
}

fn ffi_sources() -> Vec<(String, String)> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("src/ffi");
    let mut files: Vec<_> = fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "rs"))
        .collect();
    files.sort();
    files
        .into_iter()
        .map(|p| {
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            (name, fs::read_to_string(&p).unwrap())
        })
        .collect()
}

fn exported_functions() -> Vec<Exported> {
    let mut found = Vec::new();
    for (file, src) in ffi_sources() {
        let bytes = src.as_bytes();
        let mut from = 0;
        while let Some(at) = src[from..].find("extern \"C\" fn ") {
            let at = from + at;
            let line_start = src[..at].rfind('\n').map_or(0, |i| i + 1);
            let prefix = src[line_start..at].trim();
            if prefix.starts_with("//") {
                // An example in a comment.
                from = at + 1;
                continue;
            }
            assert!(
                prefix == "pub" || prefix == "pub unsafe",
                "{file}: extern \"C\" fn must be `pub` or `pub unsafe`, found {prefix:?}"
            );
            let name_start = at + "extern \"C\" fn ".len();
            let paren = name_start + src[name_start..].find('(').unwrap();
            let name = src[name_start..paren].trim().to_owned();
            let params_end = matching(bytes, paren);
            let body_open = params_end + src[params_end..].find('{').unwrap();
            let body_end = matching(bytes, body_open);
            // Attributes: the lines between the doc comment and the signature.
            let attributes = src[..line_start]
                .lines()
                .rev()
                .take_while(|l| l.trim_start().starts_with("#["))
                .collect::<Vec<_>>()
                .join("\n");
            found.push(Exported {
                file: file.clone(),
                name,
                attributes,
                body: src[body_open + 1..body_end - 1].to_owned(),
            });
            from = body_end;
        }
    }
    found
}

#[test]
fn every_exported_function_body_is_one_boundary_invocation() {
    let functions = exported_functions();
    assert!(
        functions.len() >= 50,
        "found only {} exported functions",
        functions.len()
    );
    for f in &functions {
        let where_ = format!("{}: {}", f.file, f.name);
        assert!(
            f.name.starts_with("wsh_"),
            "{where_}: exported names start with wsh_"
        );
        assert!(
            f.attributes.contains("#[unsafe(no_mangle)]"),
            "{where_}: missing #[unsafe(no_mangle)]"
        );
        let body = f.body.trim();
        assert!(
            body.starts_with("ffi_boundary! {"),
            "{where_}: the body must start with `ffi_boundary! {{`"
        );
        // The macro's braces close at the very end of the body.
        let open = body.find('{').unwrap();
        let close = matching(body.as_bytes(), open);
        assert_eq!(
            body[close..].trim(),
            "",
            "{where_}: nothing may follow the ffi_boundary! invocation"
        );
    }
}

#[test]
fn the_scanner_rejects_an_unwrapped_body() {
    // Self-test of the scanner on a body without the boundary.
    let src = "pub extern \"C\" fn wsh_x(a: u8) -> u8 { let s = \"}\"; a }";
    let open = src.find('{').unwrap();
    let end = matching(src.as_bytes(), open);
    assert_eq!(end, src.len());
    assert!(!src[open + 1..end - 1].trim().starts_with("ffi_boundary!"));
}

#[test]
fn the_header_declares_exactly_the_exported_functions() {
    let exported: BTreeSet<String> = exported_functions().into_iter().map(|f| f.name).collect();
    let declared = header_functions(&committed_header());
    let missing: Vec<_> = exported.difference(&declared).collect();
    let extra: Vec<_> = declared.difference(&exported).collect();
    assert!(
        missing.is_empty(),
        "exported but not in the header: {missing:?}"
    );
    assert!(
        extra.is_empty(),
        "in the header but not exported: {extra:?}"
    );
}

/// Every `.rs` file under `dir`, recursively.
fn rust_files(dir: &std::path::Path, out: &mut Vec<(String, String)>) {
    for entry in fs::read_dir(dir).unwrap() {
        let p = entry.unwrap().path();
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|e| e == "rs") {
            out.push((p.display().to_string(), fs::read_to_string(&p).unwrap()));
        }
    }
}

#[test]
fn no_global_state_stdio_or_environment() {
    let mut sources = Vec::new();
    rust_files(
        &PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("src"),
        &mut sources,
    );
    assert!(sources.len() > 10);
    let forbidden = [
        "static mut",
        "thread_local!",
        "std::env::",
        "env::var",
        "std::io::",
        "std::fs::",
        "println!",
        "eprintln!",
        "print!(",
        "eprint!(",
        "dbg!(",
        "OnceLock",
        "LazyLock",
        "lazy_static",
    ];
    // Immutable statics (lookup tables) are constants; statics that can change
    // are global state.
    let mutable = ["Atomic", "Mutex", "RwLock", "Cell", "Once", "Lazy"];
    for (file, src) in sources {
        if file.ends_with("/ffi/tests.rs") {
            continue;
        }
        // Unit tests may do as they like.
        let code = src.split("#[cfg(test)]\nmod tests").next().unwrap();
        for word in forbidden {
            assert!(!code.contains(word), "{file} contains {word:?}");
        }
        for line in code.lines() {
            let t = line.trim_start();
            let is_static = ["static ", "pub static ", "pub(crate) static "]
                .iter()
                .any(|p| t.starts_with(p));
            assert!(
                !(is_static && mutable.iter().any(|m| t.contains(m))),
                "{file}: mutable global: {line}"
            );
        }
    }
}
