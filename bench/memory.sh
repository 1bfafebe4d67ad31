#!/usr/bin/env bash
# bench/memory.sh [LINES] [PAUSE_MS] - the memory bound of issue 7 (first part).
#
# Runs a Sluice pipeline of a LINES-line URL file (default 1,000,000) -> map -> NDJSON file behind a
# slow sink (a pause of PAUSE_MS, default 30, before every 10,000 items) under -Xmx128m, logs every
# GC, and prints the heap used before and after each collection. PASS when:
#   1. the run completes under -Xmx128m and writes LINES records;
#   2. the live heap (heap used after a GC) never exceeds half the cap: max after-GC <= 64 MB;
#   3. the live heap is flat: the largest after-GC value in the second half of the run is at most
#      1.25 x the largest in the first half + 4 MB (no growth with the number of items read).
# Environment: MEMORY_JAVA_OPTS adds JVM flags (the heap cap stays -Xmx128m); BENCH_KEEP=1 keeps
# the work directory.
set -euo pipefail

LINES="${1:-1000000}"
PAUSE_MS="${2:-30}"
XMX_MB=128
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bench="$root/bench"
jar="$root/target/sluice.jar"

if ! [[ "$LINES" =~ ^[1-9][0-9]*$ && "$PAUSE_MS" =~ ^[0-9]+$ ]]; then
  echo "memory.sh: LINES must be a positive integer and PAUSE_MS a non-negative one, got '$LINES' '$PAUSE_MS'" >&2
  exit 2
fi
if [[ ! -f "$jar" ]]; then
  echo "memory.sh: building target/sluice.jar" >&2
  (cd "$root" && mvn -B -q -DskipTests package >&2)
fi

work="$(mktemp -d "${TMPDIR:-/tmp}/sluice-memory.XXXXXX")"
cleanup() {
  if [[ -n "${BENCH_KEEP:-}" ]]; then
    echo "memory.sh: kept $work" >&2
  else
    rm -rf "$work"
  fi
}
trap cleanup EXIT

awk -v n="$LINES" 'BEGIN { for (i = 1; i <= n; i++) printf "http://127.0.0.1:9/items/%d.json\n", i }' >"$work/urls.txt"
javac -nowarn -cp "$jar" -d "$work/classes" "$bench/java/MemoryBound.java"

read -r -a extra <<<"${MEMORY_JAVA_OPTS:-}"
start="$(date +%s%N)"
status=0
timeout -k 10 120 java "${extra[@]}" "-Xmx${XMX_MB}m" "-Xlog:gc:file=$work/gc.log" \
  "-Dlogback.configurationFile=$bench/java/logback.xml" \
  -cp "$jar:$work/classes" MemoryBound "$work/urls.txt" "$work/out.ndjson" "$PAUSE_MS" \
  >"$work/stdout" 2>"$work/stderr" || status=$?
end="$(date +%s%N)"
written="$(wc -l <"$work/out.ndjson" 2>/dev/null || echo 0)"
wall="$(awk -v s="$start" -v e="$end" 'BEGIN { printf "%.1f", (e - s) / 1e9 }')"

# GC lines look like: [0.412s][info][gc] GC(3) Pause Young (Normal) (G1 Evacuation Pause) 61M->9M(128M) 3.1ms
awk -v status="$status" -v written="$written" -v lines="$LINES" -v xmx="$XMX_MB" -v wall="$wall" '
  match($0, /[0-9]+M->[0-9]+M\([0-9]+M\)/) {
    split(substr($0, RSTART, RLENGTH), parts, /M->|M\(|M\)/)
    gcs++; before[gcs] = parts[1]; after[gcs] = parts[2]
  }
  END {
    maxBefore = 0; maxAfter = 0; firstHalf = 0; secondHalf = 0
    for (i = 1; i <= gcs; i++) {
      if (before[i] > maxBefore) maxBefore = before[i]
      if (after[i] > maxAfter) maxAfter = after[i]
      if (i <= gcs / 2) { if (after[i] > firstHalf) firstHalf = after[i] }
      else if (after[i] > secondHalf) secondHalf = after[i]
    }
    completed = (status == 0 && written == lines)
    bounded = (maxAfter <= xmx / 2)
    flat = (gcs >= 4 && secondHalf <= firstHalf * 1.25 + 4)
    printf "memory: %d lines -> %d written in %s s under -Xmx%dm (exit %d), %d GCs\n", lines, written, wall, xmx, status, gcs
    printf "memory: max heap used %d MB before a GC, max live heap %d MB after a GC (first half %d MB, second half %d MB)\n", maxBefore, maxAfter, firstHalf, secondHalf
    printf "memory: completed %s, live heap <= %d MB %s, flat (second half <= 1.25 x first + 4 MB) %s\n", \
      completed ? "yes" : "NO", xmx / 2, bounded ? "yes" : "NO", flat ? "yes" : (gcs < 4 ? "NO (fewer than 4 GCs)" : "NO")
    print (completed && bounded && flat) ? "PASS" : "FAIL"
  }' "$work/gc.log" | tee "$work/verdict"
if [[ $status -ne 0 ]]; then
  tail -n 20 "$work/stderr" >&2
fi
grep -qx PASS "$work/verdict"
