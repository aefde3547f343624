#!/usr/bin/env python3
"""A Python `websockets` client offering permessage-deflate (tests/peers/run.sh).

    py_deflate_client.py URL [--server-max-window-bits N] [--client-max-window-bits N]
                             [--server-no-context-takeover] [--client-no-context-takeover]

Without options it makes websockets' default offer ("permessage-deflate;
client_max_window_bits"); with any, an offer built by
ClientPerMessageDeflateFactory from them. It prints the request's
Sec-WebSocket-Extensions, the response's, and the parameters the connection
uses, in the C client's format:

    offer: permessage-deflate; ...
    extension: permessage-deflate; ...     (or "extension: (none)")
    deflate: server_no_context_takeover=0 client_no_context_takeover=0 server_max_window_bits=10 client_max_window_bits=12

then waits for the server to close and prints "close: CODE". Exit status 0
after a clean close; bounded by 10 seconds.
"""

import argparse
import asyncio

from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed
from websockets.extensions.permessage_deflate import ClientPerMessageDeflateFactory

from py_echo_server import describe_deflate

TIMEOUT = 10


async def main(args):
    custom = (args.server_max_window_bits is not None or args.client_max_window_bits is not None
              or args.server_no_context_takeover or args.client_no_context_takeover)
    if custom:
        factory = ClientPerMessageDeflateFactory(
            server_no_context_takeover=args.server_no_context_takeover,
            client_no_context_takeover=args.client_no_context_takeover,
            server_max_window_bits=args.server_max_window_bits,
            client_max_window_bits=args.client_max_window_bits or True,
        )
        options = {"extensions": [factory], "compression": None}
    else:
        options = {"compression": "deflate"}
    async with connect(args.url, open_timeout=TIMEOUT, **options) as ws:
        print(f"offer: {ws.request.headers.get('Sec-WebSocket-Extensions', '(none)')}")
        print(f"extension: {ws.response.headers.get('Sec-WebSocket-Extensions', '(none)')}")
        print(describe_deflate(ws.protocol.extensions, local_is_server=False), flush=True)
        try:
            await asyncio.wait_for(ws.recv(), TIMEOUT)
            print("unexpected message")
            return 1
        except ConnectionClosed as closed:
            code = closed.rcvd.code if closed.rcvd else None
            print(f"close: {code}")
            return 0 if code == 1000 else 1


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("url")
    parser.add_argument("--server-max-window-bits", type=int)
    parser.add_argument("--client-max-window-bits", type=int)
    parser.add_argument("--server-no-context-takeover", action="store_true")
    parser.add_argument("--client-no-context-takeover", action="store_true")
    raise SystemExit(asyncio.run(main(parser.parse_args())))
