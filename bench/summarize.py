#!/usr/bin/env python3
"""Prints the medians of bench/run.sh's per-run results as a Markdown table, with ratios to the raw
Reactor Netty baseline, and checks the targets of issue 7.

Usage: summarize.py RESULTS_TSV
"""
import csv
import statistics
import sys

BASELINE = "raw-reactor-netty"
LABELS = {
    "sluice-cli": "Sluice CLI (bin/sluice run bench/fanout.yaml)",
    "sluice-cli-b": "Sluice CLI B (A/B: BENCH_CLI_B_JAVA_OPTS, BENCH_CLI_B_JAR)",
    "sluice-embedded": "Sluice embedded API (java -cp)",
    "raw-reactor-netty": "raw Reactor Netty + Jackson (baseline)",
    "raw-reactor-netty-tuned": "raw Reactor Netty + Jackson, the launcher's JVM flags + own archive",
    "python-aiohttp": "Python asyncio + aiohttp",
    "node-undici": "Node + undici",
    "wrk": "wrk, same nginx (ceiling, no parsing)",
}


def main():
    with open(sys.argv[1], encoding="utf-8") as f:
        rows = list(csv.DictReader(f, delimiter="\t"))
    order, runs = [], {}
    for row in rows:
        if row["client"] not in runs:
            order.append(row["client"])
        runs.setdefault(row["client"], []).append(row)
    medians = {}
    for client in order:
        rs = runs[client]
        ok = sum(r["correct"] == "ok" for r in rs)
        medians[client] = {
            "reqs": statistics.median(float(r["req_per_s"]) for r in rs),
            "wall": statistics.median(float(r["wall_s"]) for r in rs),
            "cpu": statistics.median(float(r["cpu_s"]) for r in rs),
            "rss": statistics.median(float(r["rss_kb"]) for r in rs) / 1024,
            "correct": "ok" if ok == len(rs) else "WRONG (%d of %d ok)" % (ok, len(rs)),
            "rounds": len(rs),
        }
    base = medians.get(BASELINE)
    print("| client | req/s | × raw | wall s | client CPU s | CPU µs/req | peak RSS MB | × raw RSS | correct |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---|")
    for client in order:
        m = medians[client]
        ratio = "%.2f" % (m["reqs"] / base["reqs"]) if base and base["reqs"] else "-"
        rss_ratio = "%.2f" % (m["rss"] / base["rss"]) if base and base["rss"] and client != "wrk" else "-"
        per_request = "-" if client == "wrk" else "%.0f" % (m["cpu"] / m["reqs"] / m["wall"] * 1e6)
        print("| %s | %.0f | %s | %.2f | %.2f | %s | %.0f | %s | %s |" % (
            LABELS.get(client, client), m["reqs"], ratio, m["wall"], m["cpu"], per_request, m["rss"],
            rss_ratio, m["correct"]))
    print()
    print("wrk runs for a fixed time: its wall, CPU and RSS are not comparable with the clients'.")
    cli = medians.get("sluice-cli")
    if not cli:
        return
    if base:
        print("targets (issue 7):")
        check("Sluice CLI >= 1.0x raw Reactor Netty req/s", cli["reqs"] / base["reqs"], 1.0)
        if "python-aiohttp" in medians:
            check("Sluice CLI >= 2.0x asyncio + aiohttp req/s", cli["reqs"] / medians["python-aiohttp"]["reqs"], 2.0)
        if "node-undici" in medians:
            check("Sluice CLI >= 1.0x Node + undici req/s (stretch)", cli["reqs"] / medians["node-undici"]["reqs"], 1.0)
        check("Sluice CLI peak RSS <= 1.2x raw Reactor Netty", base["rss"] / cli["rss"] * 1.2, 1.0,
              shown=cli["rss"] / base["rss"], cmp="<=", bar=1.2)
    tuned = medians.get("raw-reactor-netty-tuned")
    if tuned:
        print("like for like (not a target): Sluice CLI / the baseline under the launcher's JVM flags:"
              " req/s %.2fx, client CPU %.2fx" % (cli["reqs"] / tuned["reqs"], cli["cpu"] / tuned["cpu"]))
    paired_lines = []
    for other in (BASELINE, "raw-reactor-netty-tuned", "python-aiohttp", "node-undici", "sluice-cli-b"):
        ratios = paired(runs, "sluice-cli", other)
        if ratios:
            paired_lines.append("  Sluice CLI / %-25s %s  (median %.2fx)" % (
                other + ":", " ".join("%.2f" % r for r in ratios), statistics.median(ratios)))
    if paired_lines:
        print("req/s ratios per round (both runs of a round close in time; the verdicts above use the medians):")
        print("\n".join(paired_lines))


def paired(runs, one, other):
    """The ratios of {one}'s req/s to {other}'s, round by round, for the rounds both ran in."""
    theirs = {r["round"]: float(r["req_per_s"]) for r in runs.get(other, [])}
    return [float(r["req_per_s"]) / theirs[r["round"]] for r in runs.get(one, [])
            if r["round"] in theirs and theirs[r["round"]] > 0]


def check(what, value, threshold, shown=None, cmp=">=", bar=None):
    shown = value if shown is None else shown
    bar = threshold if bar is None else bar
    verdict = "MET" if value >= threshold else "MISSED"
    print("  %-52s %6.2fx (%s %.1fx)  %s" % (what, shown, cmp, bar, verdict))


if __name__ == "__main__":
    main()
