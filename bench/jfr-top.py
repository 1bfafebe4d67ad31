#!/usr/bin/env python3
"""Summarises the CPU samples (jdk.ExecutionSample) of a JFR recording.

Usage: jfr-top.py RECORDING.jfr [TOP]

Prints, as shares of all samples: the top frames (the method on CPU), the top packages of those
frames, and the first dev.sluice frame of each stack (which Sluice code the time is spent under).
Needs the JDK's `jfr` tool on PATH.
"""
import collections
import json
import subprocess
import sys


def frame_name(frame):
    method = frame["method"]
    return method["type"]["name"] + "." + method["name"]


def package(name):
    cls = name.rsplit(".", 1)[0]
    parts = cls.split(".")
    return ".".join(parts[:3]) if len(parts) > 3 else ".".join(parts[:-1]) or cls


def main():
    path, top = sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 25
    text = subprocess.run(["jfr", "print", "--json", "--events", "jdk.ExecutionSample", path],
                          check=True, capture_output=True, text=True).stdout
    events = json.loads(text)["recording"]["events"]
    tops, packages, sluice = collections.Counter(), collections.Counter(), collections.Counter()
    for event in events:
        frames = (event["values"].get("stackTrace") or {}).get("frames") or []
        if not frames:
            continue
        name = frame_name(frames[0])
        tops[name] += 1
        packages[package(name)] += 1
        first = next((frame_name(f) for f in frames if frame_name(f).startswith("dev.sluice.")), "(no dev.sluice frame)")
        sluice[first] += 1
    total = sum(tops.values()) or 1
    print("%d CPU samples" % total)
    for title, counter in (("top frames", tops), ("top packages of the top frame", packages),
                           ("first dev.sluice frame on the stack", sluice)):
        print("\n%s:" % title)
        for name, count in counter.most_common(top):
            print("  %5.1f%%  %s" % (100.0 * count / total, name))


if __name__ == "__main__":
    main()
