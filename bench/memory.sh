#!/usr/bin/env bash
# bench/memory.sh [LINES] [PAUSE_MS] - the memory bound of issue 7 (first part).
#
# Runs a Sluice pipeline of a LINES-line URL file (default 1,000,000) -> map -> NDJSON file behind a
# slow sink (a pause of PAUSE_MS, default 30, before every 10,000 items) under -Xmx128m, logs every
# GC, and forces a full GC once a second from outside (jcmd GC.run) to sample the live heap.
# PASS when:
#   1. the run completes under -Xmx128m (exit 0) and writes LINES records;
#   2. the live heap stays within a quarter of the cap: every sample <= 32 MB;
#   3. the live heap is flat: the largest sample of the second half of the run is at most the
#      largest of the first half + 8 MB (it does not grow with the number of items read);
# and prints the max heap used (before any GC) for the record.
# Environment: MEMORY_JAVA_OPTS adds JVM flags (the heap cap stays -Xmx128m); BENCH_KEEP=1 keeps
# the work directory; MEMORY_CONTROL=1 runs the negative control (the sink collects every item
# before writing), which must FAIL.
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
java "${extra[@]}" "-Xmx${XMX_MB}m" -XX:+ExitOnOutOfMemoryError "-Xlog:gc:file=$work/gc.log" \
  "-Dlogback.configurationFile=$bench/java/logback.xml" \
  -cp "$jar:$work/classes" MemoryBound "$work/urls.txt" "$work/out.ndjson" "$PAUSE_MS" \
  ${MEMORY_CONTROL:+unbounded} \
  >"$work/stdout" 2>"$work/stderr" &
jpid=$!
trap 'kill "$jpid" 2>/dev/null || true; cleanup' EXIT
# Once a second, a full GC from outside (jcmd GC.run) measures the live heap; 60 s at most.
deadline=$((SECONDS + 60))
while kill -0 "$jpid" 2>/dev/null; do
  if ((SECONDS >= deadline)); then
    echo "memory.sh: still running after 60 s; killing it" >&2
    kill "$jpid" 2>/dev/null || true
    sleep 2
    kill -9 "$jpid" 2>/dev/null || true
    break
  fi
  sleep 1
  jcmd "$jpid" GC.run >/dev/null 2>&1 || true
done
status=0
wait "$jpid" || status=$?
end="$(date +%s%N)"
written=0
if [[ -f "$work/out.ndjson" ]]; then
  written="$(wc -l <"$work/out.ndjson")"
fi
wall="$(awk -v s="$start" -v e="$end" 'BEGIN { printf "%.1f", (e - s) / 1e9 }')"

# GC lines look like: [1.412s][info][gc] GC(3) Pause Full (System.gc()) 61M->9M(128M) 23.1ms
# Every GC gives "heap used before" (the peak); the System.gc() ones give the live heap after.
awk -v status="$status" -v written="$written" -v lines="$LINES" -v xmx="$XMX_MB" -v wall="$wall" '
  match($0, /[0-9]+M->[0-9]+M\([0-9]+M\)/) {
    split(substr($0, RSTART, RLENGTH), parts, /M->|M\(|M\)/)
    gcs++
    if (parts[1] + 0 > peak) peak = parts[1] + 0
    if ($0 ~ /Pause Full \((Diagnostic Command|System.gc\(\))\)/) { samples++; live[samples] = parts[2] + 0 }
  }
  END {
    maxLive = 0; firstHalf = 0; secondHalf = 0
    for (i = 1; i <= samples; i++) {
      if (live[i] > maxLive) maxLive = live[i]
      if (i <= samples / 2) { if (live[i] > firstHalf) firstHalf = live[i] }
      else if (live[i] > secondHalf) secondHalf = live[i]
    }
    completed = (status == 0 && written == lines)
    bounded = (samples > 0 && maxLive <= xmx / 4)
    flat = (samples >= 4 && secondHalf <= firstHalf + 8)
    printf "memory: %d lines -> %d written in %s s under -Xmx%dm (exit %d), %d GCs\n", lines, written, wall, xmx, status, gcs
    printf "memory: max heap used %d MB (before any GC); live heap after %d full GCs: max %d MB (first half %d MB, second half %d MB)\n", peak, samples, maxLive, firstHalf, secondHalf
    printf "memory: completed %s; live heap <= %d MB %s; flat (second half <= first half + 8 MB) %s\n", \
      completed ? "yes" : "NO", xmx / 4, bounded ? "yes" : "NO", flat ? "yes" : (samples < 4 ? "NO (fewer than 4 samples)" : "NO")
    print (completed && bounded && flat) ? "PASS" : "FAIL"
  }' "$work/gc.log" | tee "$work/verdict"
if [[ $status -ne 0 ]]; then
  tail -n 20 "$work/stderr" >&2
fi
grep -qx PASS "$work/verdict"
