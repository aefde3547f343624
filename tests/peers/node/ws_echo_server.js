#!/usr/bin/env node
// Minimal `ws` echo server peer on 127.0.0.1 (tests/peers/run.sh).
//
//   node tests/peers/node/ws_echo_server.js [PORT]     (0 or nothing: a free port)
//
// Selects the subprotocol "chat" when offered, accepts permessage-deflate
// (threshold 0: every message is compressed) and echoes every message with
// the opcode it came with. Prints "listening on PORT" once it listens, and
// for each connection the subprotocol and the permessage-deflate parameters
// it agreed on, in the C client's format:
//
//   subprotocol: chat | (none)
//   deflate: server_no_context_takeover=0 client_no_context_takeover=0 server_max_window_bits=15 client_max_window_bits=15
//            (or "deflate: none")
//
// Stops on SIGTERM or SIGINT, and by itself after WS_SERVER_LIFETIME_MS
// (default 120000) so that a forgotten server cannot linger.
'use strict';

const WebSocket = require('ws');

const port = Number(process.argv[2] || 0);
const lifetimeMs = Number(process.env.WS_SERVER_LIFETIME_MS || 120000);

const server = new WebSocket.Server({
  host: '127.0.0.1',
  port,
  perMessageDeflate: { threshold: 0 },
  handleProtocols: (protocols) => (protocols.has('chat') ? 'chat' : false),
});

// ws keeps the agreed parameters in the extension object: its `params` are the
// response's parameters (true for a flag, a number for a window size).
function describeDeflate(ws) {
  const deflate = ws._extensions && ws._extensions['permessage-deflate'];
  if (!deflate || !deflate.params) return 'deflate: none';
  const p = deflate.params;
  const bits = (value) => (typeof value === 'number' ? value : 15);
  return 'deflate: ' +
    `server_no_context_takeover=${p.server_no_context_takeover ? 1 : 0} ` +
    `client_no_context_takeover=${p.client_no_context_takeover ? 1 : 0} ` +
    `server_max_window_bits=${bits(p.server_max_window_bits)} ` +
    `client_max_window_bits=${bits(p.client_max_window_bits)}`;
}

server.on('connection', (ws) => {
  console.log(`subprotocol: ${ws.protocol || '(none)'}`);
  console.log(describeDeflate(ws));
  ws.on('message', (data, isBinary) => ws.send(data, { binary: isBinary }));
});

server.on('listening', () => {
  console.log(`listening on ${server.address().port}`);
});

function stop() {
  for (const client of server.clients) client.terminate();
  server.close(() => process.exit(0));
}
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
setTimeout(stop, lifetimeMs).unref();
