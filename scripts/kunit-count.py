#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Count passed and failed KUnit cases in kunit.py's --json output.

A parameterised case counts once per parameter.  Prints "PASSED FAILED".
"""
import json
import sys


def walk(node, counts):
    subs = node.get("sub_groups") or []
    cases = node.get("test_cases") or []
    for sub in subs:
        walk(sub, counts)
    for case in cases:
        if case.get("sub_groups") or case.get("test_cases"):
            walk(case, counts)
            continue
        status = case.get("status")
        if status == "PASS":
            counts[0] += 1
        elif status != "SKIP":
            counts[1] += 1


def main():
    with open(sys.argv[1]) as f:
        data = json.load(f)
    counts = [0, 0]
    walk(data.get("test") or data, counts)
    print(counts[0], counts[1])


if __name__ == "__main__":
    main()
