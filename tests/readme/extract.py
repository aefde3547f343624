#!/usr/bin/env python3
"""Prints the README code block that follows `<!-- readme-test: NAME -->`.

    python3 tests/readme/extract.py c-server > /tmp/example.c
"""
import pathlib
import re
import sys

readme = (pathlib.Path(__file__).resolve().parents[2] / "README.md").read_text()
name = sys.argv[1]
match = re.search(r"<!-- readme-test: " + re.escape(name) + r" -->\s*```[a-z]*\n(.*?)```", readme, re.S)
if not match:
    sys.exit(f"no README block marked readme-test: {name}")
sys.stdout.write(match.group(1))
