#!/usr/bin/env node
// Minimal `ws` client peer: opens one WebSocket connection and exits.
//
//   node tests/peers/node/ws_client.js URL [PROTOCOL...]
//
// Offers the given subprotocols with permessage-deflate enabled.  If the
// server accepts, sends one text message "hello", prints what comes back and
// closes.  Exit status: 0 after a clean open/close, 1 on a refused or failed
// handshake.  Always gives up after WS_CLIENT_TIMEOUT_MS (default 5000 ms).
'use strict';

const WebSocket = require('ws');

const [url, ...protocols] = process.argv.slice(2);
if (!url) {
  console.error('usage: ws_client.js URL [PROTOCOL...]');
  process.exit(2);
}
const timeoutMs = Number(process.env.WS_CLIENT_TIMEOUT_MS || 5000);
const timer = setTimeout(() => {
  console.error(`ws_client: timed out after ${timeoutMs} ms`);
  process.exit(1);
}, timeoutMs);

const ws = new WebSocket(url, protocols, {
  perMessageDeflate: true,
  handshakeTimeout: timeoutMs,
});

ws.on('open', () => {
  console.log(`open protocol=${JSON.stringify(ws.protocol)} extensions=${JSON.stringify(ws.extensions)}`);
  ws.send('hello');
});
ws.on('message', (data) => {
  console.log(`message ${JSON.stringify(data.toString())}`);
  ws.close(1000);
});
ws.on('close', (code) => {
  console.log(`close ${code}`);
  clearTimeout(timer);
  process.exit(0);
});
ws.on('unexpected-response', (req, res) => {
  console.error(`ws_client: unexpected response ${res.statusCode}`);
  clearTimeout(timer);
  process.exit(1);
});
ws.on('error', (err) => {
  console.error(`ws_client: ${err.message}`);
  clearTimeout(timer);
  process.exit(1);
});
