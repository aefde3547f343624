"""What ``import wshandshake`` costs, beside ``import wsproto`` and ``import websockets``.

Each import runs in a fresh interpreter (``python -c "import X"``), many
times, interleaved; the table shows the best (minimum) wall time of the whole
interpreter run, and the same for ``python -c pass`` so the difference is the
import itself. Also the modules each import loads. Not a test: it prints a table.

    python bench/bench_import.py [--runs 30]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time

#: Bytecode is cached as after any pip install (a PYTHONDONTWRITEBYTECODE
#: environment would make every run compile every module from source).
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}

CONTENDERS = {
    "(nothing)": "pass",
    "wshandshake": "import wshandshake",
    "wshandshake + ServerHandshake": "import wshandshake; wshandshake.ServerHandshake",
    "wshandshake + everything": "import wshandshake as w; [getattr(w, n) for n in w.__all__]",
    "wsproto": "import wsproto",
    "wsproto + WSConnection": "from wsproto import WSConnection",
    "websockets": "import websockets",
    "websockets + ServerProtocol": "from websockets.server import ServerProtocol",
}


def run_once(code: str) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", code], check=True, env=ENV)
    return time.perf_counter() - start


def modules_loaded(code: str) -> int:
    count = "import sys; before = len(sys.modules); " + code + "; print(len(sys.modules) - before)"
    result = subprocess.run(
        [sys.executable, "-c", count], check=True, capture_output=True, text=True, env=ENV
    )
    return int(result.stdout)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    available = {}
    for name, code in CONTENDERS.items():
        try:
            run_once(code)  # also writes the bytecode caches
        except subprocess.CalledProcessError:
            print(f"{name}: not installed, skipped")
            continue
        available[name] = code
    best = {name: float("inf") for name in available}
    for _ in range(args.runs):
        for name, code in available.items():
            best[name] = min(best[name], run_once(code))
    base = best["(nothing)"]
    print(f"python -c '<import>': best of {args.runs} interleaved runs; Python {sys.version.split()[0]}")
    print(f"{'':32}{'interpreter':>12}{'import':>10}{'modules':>9}")
    for name, code in available.items():
        extra = best[name] - base
        print(f"{name:32}{best[name] * 1e3:9.1f} ms{extra * 1e3:7.1f} ms{modules_loaded(code):9d}")
    ours = best["wshandshake"] - base
    for peer in ("wsproto", "websockets"):
        if peer in best:
            print(f"import wshandshake / import {peer}: {ours / max(best[peer] - base, 1e-9):.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
