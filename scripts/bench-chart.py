#!/usr/bin/env python3
"""Draws the benchmark results as an SVG bar chart and a Markdown table.

Reads target/bench/handshake.json (time, from `cargo bench --bench handshake`)
and, when present, target/bench/callgrind.json (instructions, from
scripts/bench-callgrind.sh). Writes docs/bench-instructions.svg (the README's
chart) and target/bench/bench-time.svg (time varies with machine load, so it is
not committed), and prints the table.

    python3 scripts/bench-chart.py
"""
from __future__ import annotations

import json
import pathlib
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
CASE_ORDER = ["floor", "one-shot", "ffi-one-shot", "handle", "ffi-handle", "handle-bytewise", "tungstenite"]
COLORS = {
    "floor": "#9e9e9e",
    "one-shot": "#1565c0",
    "ffi-one-shot": "#42a5f5",
    "handle": "#2e7d32",
    "ffi-handle": "#66bb6a",
    "handle-bytewise": "#a5d6a7",
    "tungstenite": "#e65100",
}


def load(name: str) -> dict[tuple[str, str], float]:
    path = ROOT / "target" / "bench" / name
    if not path.exists():
        return {}
    data = json.loads(path.read_text())
    key = "ns" if "ns" in data["results"][0] else "instructions"
    return {(r["request"], r["case"]): float(r[key]) for r in data["results"]}


def svg(times: dict[tuple[str, str], float], title: str, unit: str) -> str:
    requests = list(dict.fromkeys(r for r, _ in times))
    cases = [c for c in CASE_ORDER if any((r, c) in times for r in requests)]
    width, bar_h, gap, left = 760, 16, 14, 150
    height = 60 + len(requests) * (len(cases) * bar_h + gap) + 30
    top = max(times.values())
    scale = (width - left - 90) / top
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" font-family="sans-serif" font-size="12">',
        f'<rect width="{width}" height="{height}" fill="white"/>',
        f'<text x="{width / 2}" y="22" text-anchor="middle" font-size="15" font-weight="bold">{title}</text>',
    ]
    y = 44
    for req in requests:
        out.append(f'<text x="8" y="{y + 12}" font-weight="bold">{req}</text>')
        for case in cases:
            value = times.get((req, case))
            if value is None:
                continue
            w = max(1.0, value * scale)
            out.append(f'<text x="{left - 6}" y="{y + 12}" text-anchor="end">{case}</text>')
            out.append(f'<rect x="{left}" y="{y}" width="{w:.1f}" height="{bar_h - 3}" fill="{COLORS.get(case, "#555")}"/>')
            out.append(f'<text x="{left + w + 4:.1f}" y="{y + 12}">{value:,.0f} {unit}</text>')
            y += bar_h
        y += gap
    out.append("</svg>")
    return "\n".join(out)


def table(times: dict, instructions: dict) -> str:
    rows = ["| request | case | ns | x FLOOR (time) | instructions | x FLOOR (instr.) | x tungstenite (time) |", "|---|---|---:|---:|---:|---:|---:|"]
    for req in dict.fromkeys(r for r, _ in times):
        for case in CASE_ORDER:
            if (req, case) not in times:
                continue
            t = times[(req, case)]
            i = instructions.get((req, case))
            fi = instructions.get((req, "floor"))
            rows.append(
                f"| {req} | {case} | {t:,.0f} | {t / times[(req, 'floor')]:.2f} | "
                f"{'' if i is None else f'{i:,.0f}'} | {'' if i is None or not fi else f'{i / fi:.2f}'} | "
                f"{t / times[(req, 'tungstenite')]:.2f} |"
            )
    return "\n".join(rows)


def main() -> int:
    times = load("handshake.json")
    if not times:
        print("run `cargo bench --bench handshake` first", file=sys.stderr)
        return 1
    instructions = load("callgrind.json")
    (ROOT / "docs").mkdir(exist_ok=True)
    (ROOT / "target" / "bench" / "bench-time.svg").write_text(
        svg(times, "Server handshake, ns per handshake (lower is better)", "ns")
    )
    if instructions:
        (ROOT / "docs" / "bench-instructions.svg").write_text(
            svg(instructions, "Server handshake, instructions per handshake (callgrind)", "instr")
        )
    print(table(times, instructions))
    return 0


if __name__ == "__main__":
    sys.exit(main())
