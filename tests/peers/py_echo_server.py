#!/usr/bin/env python3
"""A Python `websockets` echo server on 127.0.0.1 (tests/peers/run.sh).

    py_echo_server.py [PORT]      (0 or nothing: pick a free port)

Selects the subprotocol "chat" when offered, echoes every message, and
prints "listening on <port>" once it accepts connections. Stops on SIGTERM or
SIGINT, and by itself after 120 seconds so a forgotten server cannot linger.
"""

import asyncio
import signal
import sys

from websockets.asyncio.server import serve

LIFETIME = 120


async def echo(ws):
    async for message in ws:
        await ws.send(message)


async def main(port):
    stop = asyncio.get_running_loop().create_future()
    for signo in (signal.SIGTERM, signal.SIGINT):
        asyncio.get_running_loop().add_signal_handler(signo, stop.cancel)
    async with serve(echo, "127.0.0.1", port, subprotocols=["chat"],
                     compression=None) as server:
        print(f"listening on {server.sockets[0].getsockname()[1]}", flush=True)
        try:
            await asyncio.wait_for(stop, LIFETIME)
        except (asyncio.CancelledError, asyncio.TimeoutError):
            pass


if __name__ == "__main__":
    asyncio.run(main(int(sys.argv[1]) if len(sys.argv) > 1 else 0))
