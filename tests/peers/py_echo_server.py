#!/usr/bin/env python3
"""A Python `websockets` echo server on 127.0.0.1 (tests/peers/run.sh).

    py_echo_server.py [PORT] [--no-subprotocols] [--deflate]

PORT 0 or nothing picks a free port. Selects the subprotocol "chat" when
offered (unless --no-subprotocols), echoes every message, and prints
"listening on <port>" once it accepts connections. With --deflate it accepts
permessage-deflate as websockets does by default (it compresses every
message); without, it declines it. For each connection it prints what it
negotiated, in the C client's format:

    subprotocol: chat | (none)
    deflate: server_no_context_takeover=0 client_no_context_takeover=0 server_max_window_bits=12 client_max_window_bits=12
             (or "deflate: none")

Stops on SIGTERM or SIGINT, and by itself after 120 seconds so a forgotten
server cannot linger.
"""

import asyncio
import signal
import sys

from websockets.asyncio.server import serve
from websockets.extensions.permessage_deflate import PerMessageDeflate

LIFETIME = 120


def describe_deflate(extensions, local_is_server):
    """The negotiated permessage-deflate parameters, as the C client prints them."""
    for extension in extensions:
        if isinstance(extension, PerMessageDeflate):
            if local_is_server:
                server, client = "local", "remote"
            else:
                server, client = "remote", "local"
            return (
                "deflate: "
                f"server_no_context_takeover={int(getattr(extension, server + '_no_context_takeover'))} "
                f"client_no_context_takeover={int(getattr(extension, client + '_no_context_takeover'))} "
                f"server_max_window_bits={getattr(extension, server + '_max_window_bits')} "
                f"client_max_window_bits={getattr(extension, client + '_max_window_bits')}"
            )
    return "deflate: none"


async def echo(ws):
    print(f"subprotocol: {ws.subprotocol or '(none)'}", flush=True)
    print(describe_deflate(ws.protocol.extensions, local_is_server=True), flush=True)
    async for message in ws:
        await ws.send(message)


async def main(port, subprotocols, compression):
    stop = asyncio.get_running_loop().create_future()
    for signo in (signal.SIGTERM, signal.SIGINT):
        asyncio.get_running_loop().add_signal_handler(signo, stop.cancel)
    async with serve(echo, "127.0.0.1", port, subprotocols=subprotocols,
                     compression=compression) as server:
        print(f"listening on {server.sockets[0].getsockname()[1]}", flush=True)
        try:
            await asyncio.wait_for(stop, LIFETIME)
        except (asyncio.CancelledError, asyncio.TimeoutError):
            pass


if __name__ == "__main__":
    flags = [arg for arg in sys.argv[1:] if arg.startswith("--")]
    positional = [arg for arg in sys.argv[1:] if not arg.startswith("--")]
    unknown = set(flags) - {"--no-subprotocols", "--deflate"}
    if unknown or len(positional) > 1:
        sys.exit(f"usage: {sys.argv[0]} [PORT] [--no-subprotocols] [--deflate]")
    asyncio.run(main(
        int(positional[0]) if positional else 0,
        None if "--no-subprotocols" in flags else ["chat"],
        "deflate" if "--deflate" in flags else None,
    ))
