//! Reads raw request bytes from a file (or stdin) and prints what the server
//! engine decides and the response it would send.
//!
//! ```text
//! cargo run -p wshandshake --example decide -- tests/fixtures/requests/chromium.http
//! printf 'GET / HTTP/1.1\r\nHost: a\r\n\r\n' | cargo run -p wshandshake --example decide
//! ```

use std::io::{Read, Write};
use std::sync::Arc;

use wshandshake::{AcceptOptions, DeflateConfig, Outcome, ServerConfig, ServerHandshake};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut input = Vec::new();
    match std::env::args_os().nth(1) {
        Some(path) => input = std::fs::read(path)?,
        None => {
            std::io::stdin().read_to_end(&mut input)?;
        }
    }
    let config = Arc::new(
        ServerConfig::builder()
            .subprotocols(["chat", "superchat"])
            .permessage_deflate(DeflateConfig::default())
            .upgrade_protocols(["h2c"])
            .build()?,
    );
    let mut handshake = ServerHandshake::new(config);
    let feed = handshake.feed(&input)?;
    println!("decision: {:?}", feed.outcome);
    println!("consumed: {} of {} bytes", feed.consumed, input.len());
    match feed.outcome {
        Outcome::NeedMore => println!("the head is incomplete"),
        Outcome::UpgradeRequest(_) => {
            if let Some(request) = handshake.request() {
                println!("target: {}", request.target());
                println!(
                    "offered subprotocols: {:?}",
                    request.subprotocols().collect::<Vec<_>>()
                );
                let offers: Vec<_> = request.extensions().map(|e| e.name()).collect();
                println!("offered extensions: {offers:?}");
            }
            handshake.accept(&AcceptOptions::default())?;
            println!("selected subprotocol: {:?}", handshake.subprotocol());
            println!("permessage-deflate: {:?}", handshake.deflate());
        }
        Outcome::Rejected(e) => println!("rejected: {e}"),
        Outcome::NotUpgrade(why) => println!("not an upgrade ({why:?}): serve it as ordinary HTTP"),
    }
    let leftover = input.get(feed.consumed..).unwrap_or_default();
    if !leftover.is_empty() && !matches!(feed.outcome, Outcome::Rejected(_)) {
        println!("bytes after the head: {}", leftover.len());
    }
    let response = handshake.pending_response();
    if !response.is_empty() {
        println!("--- response ({} bytes) ---", response.len());
        std::io::stdout().write_all(response)?;
    }
    Ok(())
}
