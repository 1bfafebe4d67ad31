#!/usr/bin/env python3
"""Checks a client's NDJSON output against the known answer.

Usage: verify.py EXPECTED_JSON OUTPUT_NDJSON
Prints "ok" when the output holds exactly the expected {id, title, author} records (in any order,
each once, no other fields), otherwise "WRONG" and why on stderr. Always exits 0.
"""
import json
import sys


def main():
    with open(sys.argv[1], encoding="utf-8") as f:
        expected = [tuple(e) for e in json.load(f)]
    got, problem = [], None
    try:
        with open(sys.argv[2], encoding="utf-8") as f:
            for number, line in enumerate(f, 1):
                if not line.strip():
                    continue
                record = json.loads(line)
                if sorted(record) != ["author", "id", "title"]:
                    problem = "line %d has fields %s" % (number, sorted(record))
                    break
                got.append((record["id"], record["title"], record["author"]))
    except (OSError, ValueError) as e:
        problem = str(e)
    if problem is None and sorted(got) != expected:
        problem = "%d records, %d expected; %d missing, %d unexpected" % (
            len(got), len(expected), len(set(expected) - set(got)), len(set(got) - set(expected)))
    if problem is None:
        print("ok")
    else:
        print("WRONG")
        print("verify: " + problem, file=sys.stderr)


if __name__ == "__main__":
    main()
