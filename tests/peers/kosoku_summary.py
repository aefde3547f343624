#!/usr/bin/env python3
"""Summarises a kosoku (Autobahn testsuite) report directory.

    kosoku_summary.py REPORT_DIR

Reads REPORT_DIR/index.json, prints the number of cases per verdict and every
case that is not plain OK, and exits non-zero when a case's verdict is not OK,
NON-STRICT or INFORMATIONAL, or its closing behaviour is not OK or
INFORMATIONAL, or the report holds no case at all.
"""

import collections
import json
import sys

GOOD_BEHAVIOR = {"OK", "NON-STRICT", "INFORMATIONAL"}
GOOD_CLOSE = {"OK", "INFORMATIONAL"}


def case_key(case_id):
    return tuple(int(part) for part in case_id.split("."))


def main():
    if len(sys.argv) != 2:
        sys.exit(f"usage: {sys.argv[0]} REPORT_DIR")
    with open(f"{sys.argv[1]}/index.json") as f:
        index = json.load(f)
    cases = {}
    for results in index.values():  # one agent: the server under test
        cases.update(results)
    counts = collections.Counter(result["behavior"] for result in cases.values())
    bad = 0
    for case_id in sorted(cases, key=case_key):
        result = cases[case_id]
        behavior, close = result["behavior"], result["behaviorClose"]
        if behavior == "OK" and close == "OK":
            continue
        verdict = "ok" if behavior in GOOD_BEHAVIOR and close in GOOD_CLOSE else "BAD"
        bad += verdict == "BAD"
        print(f"  {verdict}: case {case_id}: {behavior} (close: {close}, "
              f"code {result['remoteCloseCode']})")
    order = ["OK", "NON-STRICT", "INFORMATIONAL", "UNIMPLEMENTED", "FAILED"]
    parts = [f"{counts.get(name, 0)} {name}" for name in order]
    parts += [f"{n} {name}" for name, n in sorted(counts.items()) if name not in order]
    print(f"kosoku: {len(cases)} cases: {', '.join(parts)}")
    if not cases or bad:
        sys.exit(1)


if __name__ == "__main__":
    main()
