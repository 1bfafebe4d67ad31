#!/usr/bin/env python3
"""Summarises where a JFR recording's CPU went.

Usage: jfr-top.py RECORDING.jfr [TOP]

Prints, as shares of all CPU samples (jdk.ExecutionSample: Java code only, JIT and GC threads are
not sampled): the top self frames, self time by library, the share of samples with each Sluice
class on the stack (inclusive), and the JIT compilation and GC pause totals. Needs the JDK's `jfr`.
"""
import collections
import json
import re
import subprocess
import sys

COMPONENTS = [
    ("dev.sluice.", "Sluice"),
    ("net.thisptr.jackson.jq.", "jackson-jq"),
    ("com.fasterxml.jackson.", "Jackson"),
    ("reactor.netty.internal.shaded.reactor.pool.", "reactor-pool"),
    ("reactor.netty.", "Reactor Netty"),
    ("reactor.core.", "Reactor Core"),
    ("io.netty.handler.codec.", "Netty codec (HTTP, gzip)"),
    ("io.netty.buffer.", "Netty buffers"),
    ("io.netty.", "Netty other"),
    ("java.lang.invoke.", "JDK method handles/lambdas"),
    ("java.", "JDK"),
    ("jdk.", "JDK"),
    ("sun.", "JDK"),
]


def name_of(frame):
    method = frame["method"]
    return (method["type"]["name"] + "." + method["name"]).replace("/", ".")


def component(name):
    return next((label for prefix, label in COMPONENTS if name.startswith(prefix)), "other")


def sluice_class(name):
    cls = name.rsplit(".", 1)[0]
    return re.sub(r"\$\$Lambda.*$", "", cls)


def events(path, kinds):
    text = subprocess.run(["jfr", "print", "--json", "--events", kinds, path],
                          check=True, capture_output=True, text=True).stdout
    return json.loads(text)["recording"]["events"]


def millis(duration):
    # JFR JSON durations look like "PT0.001234S"
    m = re.match(r"PT(?:(\d+)M)?([\d.]+)S", duration or "")
    return (int(m.group(1) or 0) * 60 + float(m.group(2))) * 1000 if m else 0.0


def main():
    path, top = sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 20
    tops, parts, inclusive = collections.Counter(), collections.Counter(), collections.Counter()
    total = 0
    for event in events(path, "jdk.ExecutionSample"):
        frames = (event["values"].get("stackTrace") or {}).get("frames") or []
        if not frames:
            continue
        total += 1
        names = [name_of(f) for f in frames]
        tops[names[0]] += 1
        parts[component(names[0])] += 1
        for cls in {sluice_class(n) for n in names if n.startswith("dev.sluice.")}:
            inclusive[cls] += 1
    total = total or 1
    print("%d CPU samples (Java threads)" % total)
    for title, counter in (("top self frames", tops), ("self time by library", parts),
                           ("Sluice classes on the stack (inclusive)", inclusive)):
        print("\n%s:" % title)
        for name, count in counter.most_common(top):
            print("  %5.1f%%  %s" % (100.0 * count / total, name))
    compilations = events(path, "jdk.Compilation")
    gcs = events(path, "jdk.GarbageCollection")
    print("\nJIT: %d compilations recorded (jdk.Compilation, over its threshold), %.0f ms in all" % (
        len(compilations), sum(millis(e["values"].get("duration")) for e in compilations)))
    print("GC: %d collections, %.0f ms of pauses" % (
        len(gcs), sum(millis(e["values"].get("sumOfPauses")) for e in gcs)))


if __name__ == "__main__":
    main()
