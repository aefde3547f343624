"""Server handshake cost in Python: wshandshake vs websockets vs wsproto.

One process, one run, the same three requests for every contender
(tests/fixtures/requests/: the RFC 6455 sample, a real Chrome request with a
permessage-deflate offer, a request offering three subprotocols). Every
contender does the same work: parse the request, select subprotocol "chat",
negotiate permessage-deflate when offered, produce the 101 response bytes.

Contenders:
- ``wsh.respond``: the one-call fast path (one foreign call per handshake);
- ``wsh.ServerHandshake``: the object path, a new handshake per connection:
  ServerHandshake(config), feed, accept, data_to_send, close;
- ``wsh.ServerHandshake (reset)``: one handshake object reused with reset();
- ``websockets``: sans-I/O ``ServerProtocol``: receive_data, events_received,
  accept, send_response, data_to_send;
- ``wsproto``: ``WSConnection(ConnectionType.SERVER)``: receive_data,
  next event, send(AcceptConnection);
- ``raw wsh_respond``: for reference, the foreign call ``respond()`` makes
  (declared argtypes, the same arguments) with the response bytes copied out
  and no Python wrapper around it: the floor of the fast path. The wrapper
  ratios (``respond()`` <= 1.25x, the object path <= 2x) are against it.

Times are the best (minimum) per-handshake time over interleaved rounds, so a
busy machine disturbs the figures less. By default each round is timed with
this process's CPU time (``time.process_time``): on a shared machine, time
spent waiting for a core does not count; ``--clock wall`` uses
``time.perf_counter``. Not a test: it prints a table.

    python bench/bench_handshake.py [--rounds 15] [--target-ms 20] [--clock cpu|wall]
"""

from __future__ import annotations

import argparse
import platform
import sys
import time
from pathlib import Path
from typing import Callable

import wshandshake as wsh

try:
    from websockets.extensions.permessage_deflate import ServerPerMessageDeflateFactory
    from websockets.server import ServerProtocol
except ImportError:  # pragma: no cover
    ServerProtocol = None  # type: ignore[assignment,misc]

try:
    from wsproto import ConnectionType, WSConnection
    from wsproto.events import AcceptConnection, Request
    from wsproto.extensions import PerMessageDeflate
except ImportError:  # pragma: no cover
    WSConnection = None  # type: ignore[assignment,misc]

REQUESTS = ["rfc6455_sample.http", "chrome_deflate.http", "three_subprotocols.http"]
SUBPROTOCOL = "chat"

#: Targets from the issue: how many times faster than each peer.
TARGETS = {
    ("wsh.respond", "websockets"): 40,
    ("wsh.respond", "wsproto"): 60,
    ("wsh.ServerHandshake", "websockets"): 15,
    ("wsh.ServerHandshake", "wsproto"): 25,
}


def find_fixtures(explicit: str | None) -> Path:
    if explicit:
        return Path(explicit)
    return Path(__file__).resolve().parents[3] / "tests" / "fixtures" / "requests"


def contenders(config: wsh.ServerConfig) -> dict[str, Callable[[bytes], bytes]]:
    """name -> function(request) returning the 101 bytes."""
    respond = wsh.respond
    ServerHandshake = wsh.ServerHandshake

    def fast_path(request: bytes) -> bytes:
        return respond(config, request).response

    def object_path(request: bytes) -> bytes:
        hs = ServerHandshake(config)
        hs.feed(request)
        hs.accept()
        response = hs.data_to_send()
        hs.close()
        return response

    reused = ServerHandshake(config)

    def object_reset(request: bytes) -> bytes:
        reused.reset()
        reused.feed(request)
        reused.accept()
        return reused.data_to_send()

    from wshandshake import _ffi

    raw_respond = _ffi.raw.wsh_respond
    scratch = _ffi.scratch()
    pointer = config._ptr

    def raw_call(request: bytes) -> bytes:
        # The foreign call respond() makes, with the same declared argtypes
        # and arguments, and the response bytes copied out: no wrapper.
        raw_respond(
            pointer, request, len(request), scratch.out_arg, scratch.cap_arg, scratch.info_ref
        )
        return scratch.out[: scratch.info.response_len]  # type: ignore[return-value]

    result: dict[str, Callable[[bytes], bytes]] = {
        "wsh.respond": fast_path,
        "wsh.ServerHandshake": object_path,
        "wsh.ServerHandshake (reset)": object_reset,
    }

    if ServerProtocol is not None:

        def websockets_path(request: bytes) -> bytes:
            protocol = ServerProtocol(
                subprotocols=[SUBPROTOCOL],  # type: ignore[list-item]
                extensions=[ServerPerMessageDeflateFactory()],
            )
            protocol.receive_data(request)
            event = protocol.events_received()[0]
            protocol.send_response(protocol.accept(event))  # type: ignore[arg-type]
            return b"".join(protocol.data_to_send())

        result["websockets"] = websockets_path

    if WSConnection is not None:

        def wsproto_path(request: bytes) -> bytes:
            connection = WSConnection(ConnectionType.SERVER)
            connection.receive_data(request)
            event = next(connection.events())
            assert isinstance(event, Request)
            subprotocol = SUBPROTOCOL if SUBPROTOCOL in event.subprotocols else None
            return connection.send(
                AcceptConnection(subprotocol=subprotocol, extensions=[PerMessageDeflate()])
            )

        result["wsproto"] = wsproto_path

    result["raw wsh_respond"] = raw_call
    return result


def header_value(response: bytes, name: str) -> str | None:
    for line in response.split(b"\r\n\r\n", 1)[0].split(b"\r\n")[1:]:
        key, _, value = line.partition(b":")
        if key.strip().lower() == name.lower().encode():
            return value.strip().decode("latin-1")
    return None


def check(name: str, request_name: str, response: bytes, reference: bytes) -> None:
    """Every contender must produce an equivalent 101."""
    if not response.startswith(b"HTTP/1.1 101 "):
        raise SystemExit(f"{name} on {request_name}: not a 101: {response[:60]!r}")
    for field in ("Sec-WebSocket-Accept", "Sec-WebSocket-Protocol"):
        if header_value(response, field) != header_value(reference, field):
            raise SystemExit(f"{name} on {request_name}: different {field}")
    ours = header_value(reference, "Sec-WebSocket-Extensions")
    theirs = header_value(response, "Sec-WebSocket-Extensions")
    if (ours is None) != (theirs is None):
        raise SystemExit(f"{name} on {request_name}: permessage-deflate differs")


CLOCKS = {"cpu": time.process_time, "wall": time.perf_counter}


def calibrate(function: Callable[[bytes], bytes], request: bytes, target: float) -> int:
    number = 1
    while True:
        start = time.perf_counter()
        for _ in range(number):
            function(request)
        elapsed = time.perf_counter() - start
        if elapsed >= target / 4 or number >= 1 << 20:
            return max(1, int(number * target / max(elapsed, 1e-9)))
        number *= 2


def measure(
    functions: dict[str, Callable[[bytes], bytes]],
    request: bytes,
    rounds: int,
    target: float,
    clock: Callable[[], float],
) -> dict[str, float]:
    numbers = {name: calibrate(f, request, target) for name, f in functions.items()}
    best = {name: float("inf") for name in functions}
    for _ in range(rounds):
        for name, function in functions.items():
            number = numbers[name]
            start = clock()
            for _ in range(number):
                function(request)
            best[name] = min(best[name], (clock() - start) / number)
    return best


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=15, help="interleaved rounds (best of)")
    parser.add_argument("--target-ms", type=float, default=20.0, help="length of one round")
    parser.add_argument("--fixtures", help="directory of the request fixtures")
    parser.add_argument(
        "--clock", choices=sorted(CLOCKS), default="cpu", help="process CPU time or wall time"
    )
    args = parser.parse_args()

    fixtures = find_fixtures(args.fixtures)
    config = wsh.ServerConfig([SUBPROTOCOL], permessage_deflate=True)
    functions = contenders(config)
    peers = [p for p in ("websockets", "wsproto") if p in functions]

    versions = [f"wshandshake {wsh.__version__}", f"Python {platform.python_version()}"]
    for module in ("websockets", "wsproto"):
        try:
            versions.append(f"{module} {__import__(module).__version__}")
        except (ImportError, AttributeError):
            pass
    clock_name = "CPU time" if args.clock == "cpu" else "wall time"
    print(
        f"Server handshake, microseconds per handshake ({clock_name}, best of "
        f"{args.rounds} interleaved rounds of ~{args.target_ms:g} ms)"
    )
    print("; ".join(versions) + f"; {platform.machine()}")
    print()

    results: dict[str, dict[str, float]] = {}
    for request_name in REQUESTS:
        request = (fixtures / request_name).read_bytes()
        reference = functions["wsh.respond"](request)
        for name, function in functions.items():
            check(name, request_name, function(request), reference)
        results[request_name] = measure(
            functions, request, args.rounds, args.target_ms / 1000, CLOCKS[args.clock]
        )

    names = list(functions)
    ours_names = [
        "wsh.respond",
        "wsh.ServerHandshake",
        "wsh.ServerHandshake (reset)",
        "raw wsh_respond",
    ]
    width = max(len(f"{o} vs {p}") for o in ours_names for p in ["websockets"]) + 2
    print(f"{'':{width}}" + "".join(f"{r[:-5]:>22}" for r in REQUESTS))
    for name in names:
        cells = "".join(f"{results[r][name] * 1e6:>19.2f} us" for r in REQUESTS)
        print(f"{name:{width}}{cells}")
    print()
    print("Wrapper cost (wshandshake time / raw wsh_respond time, the same foreign call):")
    for ours, budget in (
        ("wsh.respond", 1.25),
        ("wsh.ServerHandshake", 2.0),
        ("wsh.ServerHandshake (reset)", None),
    ):
        ratios = [results[r][ours] / results[r]["raw wsh_respond"] for r in REQUESTS]
        verdict = ""
        if budget is not None:
            verdict = f"   budget <= {budget}x: " + (
                "met" if max(ratios) <= budget else f"NOT met (max {max(ratios):.2f}x)"
            )
        cells = "".join(f"{ratio:>21.2f}x" for ratio in ratios)
        print(f"{ours + ' / raw':{width}}{cells}{verdict}")
    print()
    print("How many times faster (peer time / wshandshake time):")
    for ours in ours_names:
        for peer in peers:
            ratios = [results[r][peer] / results[r][ours] for r in REQUESTS]
            target = TARGETS.get((ours, peer))
            verdict = ""
            if target is not None:
                verdict = f"   target >= {target}x: " + (
                    "met" if min(ratios) >= target else f"NOT met (min {min(ratios):.1f}x)"
                )
            cells = "".join(f"{ratio:>21.1f}x" for ratio in ratios)
            print(f"{ours + ' vs ' + peer:{width}}{cells}{verdict}")
    print()
    print("Foreign (ctypes) calls per handshake: wsh.respond 1; wsh.ServerHandshake 4 with a")
    print("pooled handle (feed, accept, drain; reset on close), 5 for a config's first one")
    print("(+ new); wsh.ServerHandshake (reset) 4 (reset, feed, accept, drain).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
