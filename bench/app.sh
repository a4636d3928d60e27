#!/usr/bin/env bash
# Control-center benchmark (issue 11): a real server loaded with 200 clients and 20,000 boot events,
# the real app started with `./netroot app` under Xvfb, measured from outside and by the app's own
# probe (app/.../diagnostics/BenchmarkProbe, on only with -Dnetroot.app.stats):
#   - time from `./netroot app` to the first window, and to the window showing the server's clients;
#   - the longest FX-thread pause while 50 boot events per second arrive for 20 s;
#   - the app's resident memory (VmRSS) at the end.
# Writes the "Control center" section of docs/benchmarks.md (between app-bench markers; bench/run.sh
# keeps it). Needs Xvfb (Debian: xvfb). No root needed: the server listens on loopback, ports from the OS.
#
#   bench/app.sh                       # 3 starts, then the 20 s event stream
#   BENCH_APP_STARTS=5 BENCH_APP_OUT=/tmp/app.md bench/app.sh
#   BENCH_APP_JAVA_OPTS=-XX:StartFlightRecording=settings=profile BENCH_APP_JFR=/tmp/app.jfr bench/app.sh   # profile
#   BENCH_APP_JAVA_OPTS=-Djavafx.pulseLogger=true BENCH_APP_LOG=/tmp/app.log bench/app.sh   # slow pulses, by phase
set -euo pipefail
REPO=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
. "$REPO/scripts/java-env.sh"
CLIENTS=${BENCH_APP_CLIENTS:-200}
EVENTS=${BENCH_APP_EVENTS:-20000}
RATE=${BENCH_APP_RATE:-50}
SECONDS_STREAM=${BENCH_APP_SECONDS:-20}
STARTS=${BENCH_APP_STARTS:-3}
OUT=${BENCH_APP_OUT:-$REPO/docs/benchmarks.md}
command -v Xvfb >/dev/null || { echo "bench/app.sh: needs Xvfb (Debian/Ubuntu: sudo apt install xvfb)" >&2; exit 1; }
W=$(mktemp -d /tmp/netroot-app-bench.XXXXXX)
PIDS=()
cleanup() { local p; for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$W"; }
trap cleanup EXIT
log() { printf '%s app-bench: %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }
now_ms() { date +%s%3N; }
stat_of() { awk -v k="$2" '$1 == k {print $2}' "$1" 2>/dev/null || true; }
median() { sort -n | awk '{a[NR]=$1} END {if (NR == 0) print "-"; else if (NR % 2) print a[(NR+1)/2]; else print (a[NR/2]+a[NR/2+1])/2}'; }

log "building the app and its test classes"
(cd "$REPO" && ./mvnw -B -q -DskipTests install -pl server-core,app -am && ./mvnw -B -q test-compile -pl app \
  && ./mvnw -B -q dependency:build-classpath -pl app -Dmdep.includeScope=test -Dmdep.outputFile="$W/cp.txt") >&2
"$REPO/netroot" app --help >/dev/null   # the launcher's own build check, outside the timing
CP="$REPO/app/target/test-classes:$REPO/app/target/classes:$(cat "$W/cp.txt")"

DISPLAY_NUM=$(( 90 + $$ % 100 ))
Xvfb ":$DISPLAY_NUM" -screen 0 1400x900x24 -nolisten tcp >"$W/xvfb.log" 2>&1 & PIDS+=($!)
export DISPLAY=":$DISPLAY_NUM"
sleep 1

DATA="$W/data"
log "loading $CLIENTS clients and $EVENTS boot events into a server on loopback"
"$JAVA_HOME/bin/java" -cp "$CP" org.netroot.app.bench.AppBenchLoad "$DATA" "$W/stats.go" "$CLIENTS" "$EVENTS" \
  "$RATE" "$SECONDS_STREAM" >"$W/load.out" 2>"$W/load.err" & LOAD_PID=$!; PIDS+=($LOAD_PID)
for _ in $(seq 1 1200); do grep -q READY "$W/load.out" 2>/dev/null && break; sleep 0.1; done
grep -q READY "$W/load.out" || { cat "$W/load.err" >&2; echo "bench/app.sh: the loaded server did not start" >&2; exit 1; }

SHOWN=(); LOADED=(); APP_PID=""
for i in $(seq 1 "$STARTS"); do
  rm -f "$W/stats" "$W/stats.go"
  t0=$(now_ms)
  NETROOT_JAVA_OPTS="-Dnetroot.app.stats=$W/stats ${BENCH_APP_JAVA_OPTS:-}" "$REPO/netroot" app --data "$DATA" >"$W/app$i.log" 2>&1 & APP_PID=$!
  PIDS+=($APP_PID)
  for _ in $(seq 1 600); do
    l=$(stat_of "$W/stats" loaded_epoch_ms); [ -n "$l" ] && [ "$l" != 0 ] && break; sleep 0.05
  done
  s=$(stat_of "$W/stats" window_shown_epoch_ms); l=$(stat_of "$W/stats" loaded_epoch_ms)
  [ -n "$s" ] && [ -n "$l" ] && [ "$l" != 0 ] || { cat "$W/app$i.log" >&2; echo "bench/app.sh: the app showed no loaded window" >&2; exit 1; }
  SHOWN+=($(( s - t0 ))); LOADED+=($(( l - t0 )))
  log "start $i: first window after $(( s - t0 )) ms, clients shown after $(( l - t0 )) ms"
  if [ "$i" -lt "$STARTS" ]; then kill "$APP_PID"; wait "$APP_PID" 2>/dev/null || true; fi
done

log "streaming $RATE events/s for $SECONDS_STREAM s into the running app"
sleep 2  # let the last start settle (JIT, first layout) before measuring pauses
touch "$W/stats.go"
for _ in $(seq 1 $(( (SECONDS_STREAM + 30) * 10 ))); do grep -q DONE "$W/load.out" && break; sleep 0.1; done
sleep 1
PAUSE=$(stat_of "$W/stats" max_fx_pause_ms); PAUSE_END=$(stat_of "$W/stats" max_fx_pause_ended_epoch_ms); PROBES=$(stat_of "$W/stats" probes); GOT=$(stat_of "$W/stats" boot_events)
if [ -n "${BENCH_APP_JFR:-}" ]; then   # a recording started by BENCH_APP_JAVA_OPTS, saved before the app is stopped
  "$JAVA_HOME/bin/jcmd" "$APP_PID" JFR.dump filename="$BENCH_APP_JFR" >&2 || true
fi
[ -n "${BENCH_APP_LOG:-}" ] && cp "$W/app$STARTS.log" "$BENCH_APP_LOG"   # the measured app's output, kept
RSS_KB=$(awk '/^VmRSS/ {print $2}' "/proc/$APP_PID/status")
RSS_MB=$(( RSS_KB / 1024 ))
log "longest FX-thread pause: $PAUSE ms, ended at $(date -u -d "@$(( ${PAUSE_END:-0} / 1000 )).$(printf '%03d' $(( ${PAUSE_END:-0} % 1000 )))" '+%H:%M:%S.%3N') UTC (match it in a JFR recording)"
SHOWN_MED=$(printf '%s\n' "${SHOWN[@]}" | median); LOADED_MED=$(printf '%s\n' "${LOADED[@]}" | median)
verdict() { awk -v v="$1" -v t="$2" 'BEGIN {print (v + 0 < t + 0) ? "met" : "missed"}'; }

section() {
  echo "<!-- app-bench:begin (written by bench/app.sh) -->"
  echo "## Control center (app), $CLIENTS clients and $EVENTS boot events"
  echo
  echo "\`bench/app.sh\` on $(date -u '+%Y-%m-%d %H:%M') UTC, commit \`$(cd "$REPO" && git rev-parse --short HEAD)\`:"
  echo "a real server on loopback holding $CLIENTS clients (each with a volume) and $EVENTS boot events; the app"
  echo "started with \`./netroot app --data DIR\` under Xvfb (JavaFX's GTK glass, software rendering), $STARTS times."
  echo "Time is from the launcher's start to the first window shown, and to the window listing the server's"
  echo "clients (all lists and events loaded over the control API). The FX-thread pause is the longest delay a"
  echo "task posted every 10 ms waited for the FX thread ($PROBES probes) while $RATE boot events per second"
  echo "arrived for $SECONDS_STREAM s through the change stream (the app's model held $GOT events at the end)."
  echo "No reference tool: the targets are the issue's."
  echo
  echo "| Measure | Netroot app | Target | |"
  echo "|---|---|---|---|"
  echo "| \`./netroot app\` to first window (median of $STARTS: ${SHOWN[*]} ms) | $SHOWN_MED ms | < 3000 ms | $(verdict "$SHOWN_MED" 3000) |"
  echo "| \`./netroot app\` to clients listed (${LOADED[*]} ms) | $LOADED_MED ms | | |"
  echo "| Longest FX-thread pause at $RATE events/s | $PAUSE ms | < 100 ms | $(verdict "$PAUSE" 100) |"
  echo "| Resident memory (VmRSS) after the stream | $RSS_MB MB | < 400 MB | $(verdict "$RSS_MB" 400) |"
  echo "<!-- app-bench:end -->"
}
section >"$W/section.md"
cat "$W/section.md"
if [ -f "$OUT" ] && grep -q 'app-bench:begin' "$OUT"; then
  awk -v f="$W/section.md" '/app-bench:begin/ {while ((getline l < f) > 0) print l; skip=1; next}
       /app-bench:end/ {skip=0; next} !skip' "$OUT" >"$W/out.md"
  cp "$W/out.md" "$OUT"
else
  { [ -f "$OUT" ] && cat "$OUT" && echo; cat "$W/section.md"; } >"$W/out.md"; cp "$W/out.md" "$OUT"
fi
log "wrote $OUT"
