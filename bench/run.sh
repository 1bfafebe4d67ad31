#!/usr/bin/env bash
# bench/run.sh [N] [C] - the fanout-json benchmark of issue 7, side by side in one run.
#
# Generates N items, serves them from a private nginx on 127.0.0.1, and runs every client in
# alternating rounds: the Sluice CLI (bench/fanout.yaml), the Sluice embedded API, a hand-written
# raw Reactor Netty + Jackson baseline (under the JVM's defaults, and tuned: the CLI launcher's JVM
# flags and a class-data archive of its own), Python asyncio + aiohttp, Node + undici, and wrk as the
# origin's ceiling. Prints one table of medians with each row's ratio to the raw baseline.
#
# Environment (all optional):
#   BENCH_ROUNDS=3            rounds; every client runs once per round, the order rotating
#   BENCH_CLIENTS="..."       a subset of: sluice-cli sluice-embedded raw-reactor-netty
#                             raw-reactor-netty-tuned python-aiohttp node-undici wrk (and
#                             sluice-cli-b, not run by default)
#   BENCH_TIMEOUT=300         seconds one client run may take before it is killed
#   BENCH_WRK_SECONDS=5       how long wrk runs
#   BENCH_JAVA_OPTS=""        extra JVM flags for the embedded and raw Java clients
#   BENCH_CLI_JAVA_OPTS=""    JAVA_OPTS for bin/sluice (e.g. -XX:StartFlightRecording=...)
#   BENCH_CLI_B_JAVA_OPTS=""  JAVA_OPTS for the client sluice-cli-b: the same CLI run with other JVM
#                             flags, for an A/B of launcher choices within one alternating run
#   BENCH_CLI_B_JAR=FILE      the jar sluice-cli-b runs (default target/sluice.jar): an A/B of two builds
#   BENCH_CLI_B_LAUNCHER=FILE the launcher sluice-cli-b runs (default bin/sluice): an older checkout's
#                             bin/sluice runs that checkout's target/sluice.jar with its own JVM flags
#   BENCH_KEEP=1              keep the work directory (data, outputs, logs) instead of deleting it
#   BENCH_RESULTS=FILE        also copy the raw per-run results (TSV) to FILE
set -euo pipefail

N="${1:-20000}"
C="${2:-64}"
ROUNDS="${BENCH_ROUNDS:-3}"
CLIENTS="${BENCH_CLIENTS:-sluice-cli sluice-embedded raw-reactor-netty raw-reactor-netty-tuned python-aiohttp node-undici wrk}"
TIMEOUT="${BENCH_TIMEOUT:-300}"
WRK_SECONDS="${BENCH_WRK_SECONDS:-5}"

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bench="$root/bench"

for value in "$N" "$C" "$ROUNDS" "$TIMEOUT" "$WRK_SECONDS"; do
  if ! [[ "$value" =~ ^[1-9][0-9]*$ ]]; then
    echo "run.sh: N, C and the BENCH_* counts must be positive integers, got '$value'" >&2
    exit 2
  fi
done

log() { echo "bench: $*" >&2; }

# ---------------------------------------------------------------- what the clients need
apt_updated=""
apt_install() {
  if [[ -z "$apt_updated" ]]; then
    log "apt-get update"
    apt-get update -qq >&2
    apt_updated=1
  fi
  log "apt-get install $*"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >&2
}

aiohttp_python() {
  local py
  for py in /usr/bin/python3 "$(command -v python3 || true)"; do
    if [[ -x "$py" ]] && "$py" -c 'import aiohttp' 2>/dev/null; then
      echo "$py"
      return 0
    fi
  done
  return 1
}

install_missing() {
  command -v nginx >/dev/null || apt_install nginx-light || apt_install nginx
  command -v wrk >/dev/null || apt_install wrk
  [[ -x /usr/bin/time ]] || apt_install time
  aiohttp_python >/dev/null || apt_install python3-aiohttp
  command -v node >/dev/null || apt_install nodejs npm
  if [[ ! -f "$bench/node/node_modules/undici/package.json" ]]; then
    log "npm ci (undici) in bench/node"
    (cd "$bench/node" && npm ci --no-audit --no-fund --loglevel=error >&2)
  fi
  if [[ ! -f "$root/target/sluice.jar" ]]; then
    log "building target/sluice.jar"
    (cd "$root" && mvn -B -q -DskipTests package >&2)
  fi
}

install_missing
PY="$(aiohttp_python)"
JAR="$root/target/sluice.jar"

# ---------------------------------------------------------------- data and origin server
work="$(mktemp -d "${TMPDIR:-/tmp}/sluice-bench.XXXXXX")"
chmod 755 "$work" # nginx workers run as nobody and must read the data

cleanup() {
  local pid
  if [[ -f "$work/nginx.pid" ]]; then
    pid="$(cat "$work/nginx.pid")"
    kill -QUIT "$pid" 2>/dev/null || true
    for _ in $(seq 50); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.1
    done
  fi
  if [[ -n "${BENCH_KEEP:-}" ]]; then
    log "kept $work"
  else
    rm -rf "$work"
  fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

port="$("$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
base="http://127.0.0.1:$port"
index_url="$base/index.json"

log "generating N=$N items in $work"
"$PY" "$bench/gen.py" "$work" "$N" "$base"

mkdir -p "$work/nginx-temp" "$work/out" "$work/logs" "$work/classes"
cat >"$work/nginx.conf" <<EOF
worker_processes 1;
pid $work/nginx.pid;
error_log $work/nginx-error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  default_type application/json;
  sendfile on;
  tcp_nodelay on;
  keepalive_requests 100000000;
  keepalive_timeout 600s;
  client_body_temp_path $work/nginx-temp/body;
  proxy_temp_path $work/nginx-temp/proxy;
  fastcgi_temp_path $work/nginx-temp/fastcgi;
  server {
    listen 127.0.0.1:$port backlog=4096;
    root $work/www;
  }
}
EOF
nginx -p "$work" -c "$work/nginx.conf" -e "$work/nginx-error.log"
for _ in $(seq 100); do
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    break
  fi
  sleep 0.1
done
log "nginx (pid $(cat "$work/nginx.pid")) serves $base"

log "compiling the Java clients against $JAR"
javac -nowarn -cp "$JAR" -d "$work/classes" "$bench"/java/SluiceEmbedded.java "$bench"/java/RawReactorNetty.java
# The Java clients run with the JVM's defaults, as a user would launch them; bin/sluice chooses its own.
read -r -a java_opts <<<"${BENCH_JAVA_OPTS:-}"
java_opts+=("-Dlogback.configurationFile=$bench/java/logback.xml")

# The tuned baseline: the same hand-written program run the way bin/sluice runs the CLI, so that the
# CLI's lead over the baseline can be split into what the launcher's JVM choices give any program on
# this stack and what is left for Sluice itself. It gets the launcher's flags (printed by the
# launcher), Netty's flight-recorder events off (as the CLI turns them off) and a class-data archive
# of its own, dumped once from a training run over the first 1,000 items (the launcher dumps the
# CLI's from its own training run). A dynamic archive needs the classes in a jar.
tuned_opts=()
if [[ " $CLIENTS " == *" raw-reactor-netty-tuned "* ]]; then
  mapfile -t tuned_opts < <(SLUICE_PRINT_JVM_FLAGS=1 "$root/bin/sluice")
  tuned_opts+=(-Dio.netty.jfr.enabled=false "-Dlogback.configurationFile=$bench/java/logback.xml")
  (cd "$work/classes" && jar cf "$work/raw.jar" RawReactorNetty*.class)
  "$PY" -c 'import json, sys; print(json.dumps(json.load(open(sys.argv[1]))[:1000]))' \
    "$work/www/index.json" >"$work/www/training.json"
  log "dumping the tuned baseline's class-data archive"
  java "${tuned_opts[@]}" "-XX:ArchiveClassesAtExit=$work/raw.jsa" -cp "$JAR:$work/raw.jar" RawReactorNetty \
    "$base/training.json" "$C" "$work/out/training.ndjson" >"$work/logs/training.log" 2>&1
  tuned_opts+=("-XX:SharedArchiveFile=$work/raw.jsa" -Xlog:cds=off)
fi

# bin/sluice dumps its class-data archive on the first run after a build (about 5 s); do that now,
# so that no round pays for it.
if [[ " $CLIENTS " == *" sluice-cli "* ]]; then
  "$root/bin/sluice" --version >/dev/null
fi
if [[ " $CLIENTS " == *" sluice-cli-b "* ]]; then
  env -u SLUICE_JAR ${BENCH_CLI_B_JAR:+"SLUICE_JAR=$BENCH_CLI_B_JAR"} "${BENCH_CLI_B_LAUNCHER:-$root/bin/sluice}" --version >/dev/null
fi

# ---------------------------------------------------------------- one client run
results="$work/results.tsv"
printf 'client\tround\twall_s\tcpu_s\trss_kb\treq_per_s\tcorrect\n' >"$results"

run_client() {
  local name="$1" round="$2"
  local out="$work/out/$name.$round.ndjson" errors="$work/out/$name.$round.errors.ndjson"
  local logf="$work/logs/$name.$round.log" timef="$work/logs/$name.$round.time"
  local -a cmd
  case "$name" in
    sluice-cli)
      cmd=(env "JAVA_OPTS=${BENCH_CLI_JAVA_OPTS:-}" "BENCH_INDEX_URL=$index_url" "BENCH_C=$C"
        "BENCH_OUT=$out" "BENCH_ERRORS=$errors" "$root/bin/sluice" run "$bench/fanout.yaml") ;;
    sluice-cli-b)
      # Another launcher runs its own checkout's jar unless BENCH_CLI_B_JAR names one.
      local b_jar="${BENCH_CLI_B_JAR:-}"
      if [[ -z "$b_jar" && -z "${BENCH_CLI_B_LAUNCHER:-}" ]]; then
        b_jar="$JAR"
      fi
      cmd=(env -u SLUICE_JAR "JAVA_OPTS=${BENCH_CLI_B_JAVA_OPTS:-}" ${b_jar:+"SLUICE_JAR=$b_jar"} "BENCH_INDEX_URL=$index_url"
        "BENCH_C=$C" "BENCH_OUT=$out" "BENCH_ERRORS=$errors" "${BENCH_CLI_B_LAUNCHER:-$root/bin/sluice}" run "$bench/fanout.yaml") ;;
    sluice-embedded)
      cmd=(java "${java_opts[@]}" -cp "$JAR:$work/classes" SluiceEmbedded "$index_url" "$C" "$out" "$errors") ;;
    raw-reactor-netty)
      cmd=(java "${java_opts[@]}" -cp "$JAR:$work/classes" RawReactorNetty "$index_url" "$C" "$out") ;;
    raw-reactor-netty-tuned)
      cmd=(java "${tuned_opts[@]}" -cp "$JAR:$work/raw.jar" RawReactorNetty "$index_url" "$C" "$out") ;;
    python-aiohttp)
      cmd=("$PY" "$bench/python/fanout_aiohttp.py" "$index_url" "$C" "$out") ;;
    node-undici)
      cmd=(node "$bench/node/fanout_undici.mjs" "$index_url" "$C" "$out") ;;
    wrk)
      cmd=(env "BENCH_N=$N" wrk -t1 "-c$C" "-d${WRK_SECONDS}s" -s "$bench/wrk/items.lua" "$base") ;;
    *)
      echo "run.sh: unknown client '$name'" >&2
      exit 2 ;;
  esac
  local start end status=0
  start="$(date +%s%N)"
  /usr/bin/time -f '%U %S %M' -o "$timef" timeout -k 10 "$TIMEOUT" "${cmd[@]}" >"$logf" 2>&1 || status=$?
  end="$(date +%s%N)"
  local user sys rss wall cpu reqs correct
  read -r user sys rss < <(tail -n 1 "$timef")
  wall="$(awk -v s="$start" -v e="$end" 'BEGIN { printf "%.3f", (e - s) / 1e9 }')"
  cpu="$(awk -v u="$user" -v s="$sys" 'BEGIN { printf "%.2f", u + s }')"
  if [[ "$name" == wrk ]]; then
    reqs="$(awk '/^Requests\/sec:/ { printf "%.0f", $2 }' "$logf")"
    if [[ $status -eq 0 && -n "$reqs" ]] && ! grep -q -e 'Non-2xx' -e 'Socket errors' "$logf"; then
      correct=ok
    else
      correct=WRONG
    fi
    reqs="${reqs:-0}"
  else
    reqs="$(awk -v n="$N" -v w="$wall" 'BEGIN { printf "%.0f", n / w }')"
    if [[ $status -eq 0 ]]; then
      correct="$("$PY" "$bench/verify.py" "$work/expected.json" "$out" 2>>"$logf")"
    else
      correct=WRONG
    fi
  fi
  if [[ "$correct" != ok ]]; then
    log "$name round $round: exit $status, output $correct; last lines of its log:"
    tail -n 5 "$logf" >&2
  fi
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$name" "$round" "$wall" "$cpu" "$rss" "$reqs" "$correct" >>"$results"
  log "$(printf '%-18s round %s: %8s req/s %8s s wall %7s s cpu %7s MB %s' \
    "$name" "$round" "$reqs" "$wall" "$cpu" "$((rss / 1024))" "$correct")"
  rm -f "$out" "$errors"
}

# ---------------------------------------------------------------- rounds, rotating the order
read -r -a clients <<<"$CLIENTS"
for round in $(seq "$ROUNDS"); do
  count="${#clients[@]}"
  for i in $(seq 0 $((count - 1))); do
    run_client "${clients[$(((i + round - 1) % count))]}" "$round"
  done
done

if [[ -n "${BENCH_RESULTS:-}" ]]; then
  cp "$results" "$BENCH_RESULTS"
fi
echo
echo "fanout-json N=$N C=$C, $ROUNDS round(s), $(nproc) cores; medians:"
"$PY" "$bench/summarize.py" "$results"
