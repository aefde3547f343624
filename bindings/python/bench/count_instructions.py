"""Machine instructions per server handshake, counted by valgrind (cachegrind).

The same contenders as bench_handshake.py (wshandshake's only), on the RFC 6455
sample request. Instruction counts do not depend on the machine's load, so
they show what a change to the wrapper costs when the timed bench is too noisy
to tell; times stay the measure of the budgets (bench_handshake.py).

Each contender runs in its own interpreter under ``valgrind --tool=cachegrind
--cache-sim=no``, once with 0 and once with N handshakes after the same
warm-up; the difference divided by N is the count per handshake (start-up and
imports cancel out). PYTHONHASHSEED is fixed so both runs do the same work.

    python bench/count_instructions.py [--handshakes 20000]
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

CONTENDERS = ["raw wsh_respond", "wsh.respond", "wsh.ServerHandshake"]
FIXTURE = Path(__file__).resolve().parents[3] / "tests" / "fixtures" / "requests" / "rfc6455_sample.http"


def run_contender(name: str, handshakes: int) -> None:
    """The child: warm up, then make ``handshakes`` handshakes."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import bench_handshake
    import wshandshake as wsh

    config = wsh.ServerConfig([bench_handshake.SUBPROTOCOL], permessage_deflate=True)
    function = bench_handshake.contenders(config)[name]
    request = FIXTURE.read_bytes()
    for _ in range(200):
        function(request)
    for _ in range(handshakes):
        function(request)


def instructions(name: str, handshakes: int) -> int:
    env = dict(os.environ, PYTHONHASHSEED="0")
    command = [
        "valgrind",
        "--tool=cachegrind",
        "--cache-sim=no",
        "--cachegrind-out-file=/dev/null",
        sys.executable,
        __file__,
        "--child",
        name,
        str(handshakes),
    ]
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=True)
    match = re.search(r"I\s+refs:\s+([\d,]+)", result.stderr)
    if match is None:
        raise SystemExit(f"no instruction count from valgrind for {name}:\n{result.stderr}")
    return int(match.group(1).replace(",", ""))


def main() -> int:
    if len(sys.argv) == 4 and sys.argv[1] == "--child":
        run_contender(sys.argv[2], int(sys.argv[3]))
        return 0
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--handshakes", type=int, default=20000)
    args = parser.parse_args()
    if shutil.which("valgrind") is None:
        raise SystemExit("valgrind is not installed (apt-get install valgrind)")
    counts = {}
    for name in CONTENDERS:
        total = instructions(name, args.handshakes) - instructions(name, 0)
        counts[name] = total / args.handshakes
    print(f"Instructions per handshake ({FIXTURE.name}, {args.handshakes} handshakes)")
    base = counts["raw wsh_respond"]
    for name, count in counts.items():
        print(f"{name:24}{count:>10.0f}{count / base:>9.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
