#!/usr/bin/env bash
# bench/split-memory.sh [BYTES] - the second memory bound of issue 7.
#
# Streams a generated JSON document of BYTES bytes (default 1 GiB), {"items":[...]}, through the
# streaming splitter (Parse.elements at /items) under -Xmx128m, never holding the document.
# PASS when the run completes under the cap, every generated element is counted exactly once, and the live heap (sampled
# after a full GC once a second) stays at or under 32 MB.
set -euo pipefail

BYTES="${1:-1073741824}"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
jar="$root/target/sluice.jar"
if ! [[ "$BYTES" =~ ^[1-9][0-9]*$ ]]; then
  echo "split-memory.sh: BYTES must be a positive integer, got '$BYTES'" >&2
  exit 2
fi
if [[ ! -f "$jar" ]]; then
  (cd "$root" && mvn -B -q -DskipTests package >&2)
fi
work="$(mktemp -d "${TMPDIR:-/tmp}/sluice-split.XXXXXX")"
trap 'rm -rf "$work"' EXIT
javac -nowarn -cp "$jar" -d "$work" "$root/bench/java/SplitBound.java"
start="$(date +%s%N)"
status=0
timeout 300 java -Xmx128m -XX:+ExitOnOutOfMemoryError "-Dlogback.configurationFile=$root/bench/java/logback.xml" \
  -cp "$jar:$work" SplitBound "$BYTES" >"$work/out" 2>"$work/err" || status=$?
end="$(date +%s%N)"
cat "$work/out"
awk -v status="$status" -v wall="$(awk -v s="$start" -v e="$end" 'BEGIN { printf "%.1f", (e - s) / 1e9 }')" '
  /elements=/ {
    split($0, kv, /[ =]/); elements = kv[2]; bytes = kv[4]; live = kv[6]; peak = kv[8]; generated = kv[10]
  }
  END {
    ok = status == 0 && elements > 0 && elements == generated && live <= 32
    printf "split-memory: %s bytes -> %s elements in %s s under -Xmx128m; max live heap %s MB, peak heap used %s MB: %s\n",
      bytes, elements, wall, live, peak, ok ? "PASS" : "FAIL (exit " status ")"
    exit ok ? 0 : 1
  }' "$work/out" || { cat "$work/err" >&2; exit 1; }
