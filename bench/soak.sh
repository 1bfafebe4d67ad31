#!/usr/bin/env bash
# bench/soak.sh [N] - the soak benchmark of issue 8.
#
# Runs N inputs (default 1,000,000) through a Sluice pipeline built with the Java API
# (java/Soak.java: file of URLs -> fetch -> parse: json -> NDJSON outputs + dead-letter file) against
# a loopback server in its own JVM (java/SoakServer.java) that injects the seeded fault mix of
# java/SoakPlan.java: 5xx bursts, 429 + Retry-After, resets before and during bodies, stalls,
# trickles, huge, endless and gzip-bomb bodies, redirect loops and keep-alive connections closed
# under the client; most requests succeed. Short timeouts and 3 attempts keep it to minutes.
# The pipeline JVM runs under -Xmx256m with Netty's leak detector at "advanced" (1 buffer in 128
# tracked, with access records: paranoid would track all of them, far too slow at this volume).
# PASS when (see Soak.java): the report balances; every input id is in outputs + dead letters exactly
# once and ends as planned; no leak report; the live heap is flat (late third <= 1.25 x early third)
# and <= 128 MB; no input took longer than the item bound A(R+1)(W+P+K+T)+(A-1)W and the run ended
# within that bound of the last input starting. Prints the figures and PASS or FAIL; exits 1 on FAIL.
# Environment: SOAK_SEED (default 8), SOAK_JAVA_OPTS adds JVM flags to the pipeline JVM,
# SOAK_TIMEOUT kills a run after so many seconds (default 3600), BENCH_KEEP=1 keeps the work
# directory, SOAK_CONTROL=leak runs the negative control (a buffer leaked every 10th item), which
# must FAIL.
set -euo pipefail

N="${1:-1000000}"
SEED="${SOAK_SEED:-8}"
LIMIT="${SOAK_TIMEOUT:-3600}"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bench="$root/bench"
jar="$root/target/sluice.jar"

if ! [[ "$N" =~ ^[1-9][0-9]*$ && "$SEED" =~ ^[0-9]+$ ]]; then
  echo "soak.sh: N must be a positive integer and SOAK_SEED a non-negative one, got '$N' '$SEED'" >&2
  exit 2
fi
if [[ ! -f "$jar" ]]; then
  echo "soak.sh: building target/sluice.jar" >&2
  (cd "$root" && mvn -B -q -DskipTests package >&2)
fi

work="$(mktemp -d "${TMPDIR:-/tmp}/sluice-soak.XXXXXX")"
server_pid=""
soak_pid=""
cleanup() {
  [[ -n "$soak_pid" ]] && kill "$soak_pid" 2>/dev/null || true
  [[ -n "$server_pid" ]] && kill "$server_pid" 2>/dev/null || true
  if [[ -n "${BENCH_KEEP:-}" ]]; then
    echo "soak.sh: kept $work" >&2
  else
    rm -rf "$work"
  fi
}
trap cleanup EXIT

javac -nowarn -cp "$jar" -d "$work/classes" "$bench/java/SoakPlan.java" "$bench/java/SoakServer.java" \
  "$bench/java/Soak.java" 2> >(grep -v '^Note:' >&2)
logging="-Dlogback.configurationFile=$bench/java/logback.xml"

java -XX:+UseSerialGC -Xmx512m "$logging" -cp "$jar:$work/classes" SoakServer "$N" "$SEED" \
  >"$work/server.out" 2>"$work/server.err" &
server_pid=$!
for _ in $(seq 1 100); do
  grep -q '^port=' "$work/server.out" 2>/dev/null && break
  kill -0 "$server_pid" 2>/dev/null || { cat "$work/server.err" >&2; exit 1; }
  sleep 0.1
done
port="$(sed -n 's/^port=//p' "$work/server.out")"
[[ -n "$port" ]] || { echo "soak.sh: the server did not start" >&2; exit 1; }

read -r -a extra <<<"${SOAK_JAVA_OPTS:-}"
java "${extra[@]}" -XX:+UseSerialGC -Xmx256m -XX:+ExitOnOutOfMemoryError -Dio.netty.leakDetection.level=advanced \
  "$logging" -cp "$jar:$work/classes" Soak "$work" "$N" "$SEED" "$port" ${SOAK_CONTROL:+"$SOAK_CONTROL"} \
  >"$work/soak.out" 2>"$work/soak.err" &
soak_pid=$!
deadline=$((SECONDS + LIMIT))
while kill -0 "$soak_pid" 2>/dev/null; do
  if ((SECONDS >= deadline)); then
    echo "soak.sh: still running after $LIMIT s; killing it (a stuck run)" >&2
    kill "$soak_pid" 2>/dev/null || true
    break
  fi
  sleep 1
done
status=0
wait "$soak_pid" || status=$?
soak_pid=""
cat "$work/soak.out"
leak_lines="$(grep -c 'LEAK:' "$work/soak.err" || true)"
echo "soak: LEAK lines in the pipeline's log: $leak_lines; exit status $status"
if [[ $status -ne 0 ]]; then
  grep -v 'LEAK:' "$work/soak.err" | tail -n 20 >&2 || true
fi
if [[ $status -eq 0 && "$leak_lines" -eq 0 ]] && tail -n 1 "$work/soak.out" | grep -qx PASS; then
  echo "soak.sh: PASS"
else
  echo "soak.sh: FAIL"
  exit 1
fi
