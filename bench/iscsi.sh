#!/usr/bin/env bash
# iSCSI benchmark (issue 13): Netroot's target against tgt, in one run, on the same file, in one network
# namespace of its own (loopback only; tgtd always listens on port 3260):
#   - libiscsi's iscsi-perf from one initiator: sequential 128 KiB reads with 32 in flight (target:
#     Netroot >= 2.0x tgt), random 4 KiB reads with 32 in flight (>= 1.5x), 512-byte reads one at a time
#     (>= 1.0x tgt's IOPS);
#   - `qemu-img bench -w` over QEMU's iscsi driver: 4 KiB writes, 32 in flight (>= 1.2x);
#   - 150 initiators at once, each an iscsi-perf process from an address of its own, against each target
#     in turn: what the target delivered in a fixed time once all of them read (>= 1.0x tgt's aggregate);
#   - the Netroot server's peak resident memory after the single-initiator runs (< 256 MB);
#   - fio reading (and writing) the same file locally: the limit no target can pass.
# Each measurement alternates the two targets (which one goes first changes every repetition) after an
# untimed warm-up; cells are medians, ratios the median of the per-pair ratios. Writes its section of
# docs/benchmarks.md (between iscsi-bench markers; bench/run.sh keeps it).
#
#   bench/iscsi.sh                                       # as root; data on tmpfs (/dev/shm), about 12 minutes
#   BENCH_ISCSI_REPS=3 BENCH_ISCSI_SECONDS=3 BENCH_ISCSI_MANY_SECONDS=10 BENCH_ISCSI_OUT=/dev/null bench/iscsi.sh
#   BENCH_ISCSI_JAVA_OPTS=-XX:StartFlightRecording=filename=/tmp/iscsi.jfr,settings=profile bench/iscsi.sh
#   BENCH_ISCSI_TGT_ENV=MALLOC_MMAP_THRESHOLD_=4194304 BENCH_ISCSI_OUT=/tmp/i.md bench/iscsi.sh  # tgt without mmap per 128 KiB read
#
# Knobs: BENCH_ISCSI_DIR (/dev/shm), _REPS (5), _SECONDS (5 per single-initiator run), _GIB (2, the file,
# all of it random data), _QEMU_COUNT (100000 write requests per qemu-img bench run), _INITIATORS (150),
# _MANY_SECONDS (15 per run of the many), _MANY_DEPTH (4 in flight each), _MANY_BLOCKS (256 blocks of
# 512 bytes per request each), _JAVA_OPTS (added to the server's JVM through
# NETROOT_JAVA_OPTS; none by default, as `./netroot serve`), _TGT_ENV (NAME=VALUE... in tgtd's environment; none by default), _OUT (docs/benchmarks.md;
# /dev/null for none), BENCH_KEEP=1 keeps the folder.
# Needs: root (a network namespace), tgt, iscsi-perf (libiscsi-bin), qemu-img with its iscsi driver
# (qemu-utils, qemu-block-extra), fio, a JDK 21+. Space in the folder: the file twice while importing.
set -euo pipefail
REPO=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
. "$REPO/scripts/java-env.sh"
CORE="$REPO/server-core/target"

BENCH_NAME=iscsi-bench
. "$(dirname "$(readlink -f "$0")")/lib.sh"
# the JVM's crash report (and the JIT's replay data, if it was the compiler that crashed), if there is
# one, outside the folder the script removes and not in the working directory
HS_ERR=/tmp/netroot-iscsi-bench-hs_err_pid%p.log
JIT_REPLAY=/tmp/netroot-iscsi-bench-replay_pid%p.log

if [ -z "${BENCH_ISCSI_IN_NS:-}" ]; then
  [ "$(id -u)" = 0 ] || { echo "bench/iscsi.sh: run as root (own network namespace; tgtd listens on port 3260)" >&2; exit 1; }
  for t in tgtd tgtadm iscsi-perf qemu-img fio unshare; do
    command -v "$t" >/dev/null || { echo "bench/iscsi.sh: needs $t (Debian: tgt, libiscsi-bin, qemu-utils qemu-block-extra, fio)" >&2; exit 1; }
  done
  qemu-img --help | grep -q 'Supported formats:.* iscsi' || { echo "bench/iscsi.sh: qemu-img has no iscsi driver (Debian: qemu-block-extra)" >&2; exit 1; }
  # built here, outside the namespace: Maven may need the network
  if [ ! -d "$CORE/lib" ] || [ ! -d "$CORE/test-classes/org/netroot/server/bench" ] || \
     [ -n "$(find "$REPO/server-core/src" "$REPO/pom.xml" "$REPO/server-core/pom.xml" -newer "$CORE/lib" -print -quit 2>/dev/null)" ]; then
    log "building server-core and its bench mains (./mvnw -B -q -DskipTests package -pl server-core -am)"
    (cd "$REPO" && ./mvnw -B -q -DskipTests package -pl server-core -am) >&2
    touch "$CORE/lib"
  fi
  BENCH_ISCSI_IN_NS=1 exec unshare --net -- "$0" "$@"
fi
ip link set lo up
# every address of 10.77.0.0/16 is this host's: initiator i connects to 10.77.x.y and leaves from it, so the
# 150 initiators come from 150 addresses, as 150 PCs would (and Netroot's limit of 16 logins in progress
# per address does not turn a simultaneous start into refused logins)
ip route add local 10.77.0.0/16 dev lo

DIR=${BENCH_ISCSI_DIR:-/dev/shm}
REPS=${BENCH_ISCSI_REPS:-5}
SECS=${BENCH_ISCSI_SECONDS:-5}
GIB=${BENCH_ISCSI_GIB:-2}
QCOUNT=${BENCH_ISCSI_QEMU_COUNT:-100000}
MANY=${BENCH_ISCSI_INITIATORS:-150}
MSECS=${BENCH_ISCSI_MANY_SECONDS:-15}
MDEPTH=${BENCH_ISCSI_MANY_DEPTH:-4}
MBLOCKS=${BENCH_ISCSI_MANY_BLOCKS:-256}
OUT=${BENCH_ISCSI_OUT:-$REPO/docs/benchmarks.md}
read -r -a JAVA_OPTS <<<"${BENCH_ISCSI_JAVA_OPTS:-}"
read -r -a TGT_ENV <<<"${BENCH_ISCSI_TGT_ENV:-}"
WARM_SECS=2
FIO_REPS=3
NR_PORT=3261
TGT_PORT=3260
TGT_CTL=$((1000 + $$ % 9000))   # tgtd's control socket is a file, shared with other namespaces: a port of our own
TGT_IQN=iqn.2026-01.org.bench:tgt
RSS_LIMIT_MB=256

# CPU of this (sub)shell's children reaped so far, into K: read in the shell itself (a $(...) would be a new
# process with children of its own)
child_ticks() { local st f; read -r st <"/proc/$BASHPID/stat"; read -r -a f <<<"${st##*) }"; K=$((f[13] + f[14])); }
HZ=$(getconf CLK_TCK)

JAVA=("$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED)
NETROOT=("${JAVA[@]}" -cp "$CORE/classes:$CORE/lib/*" org.netroot.server.cli.NetrootCli)
BENCH_CP="$CORE/test-classes:$CORE/classes:$CORE/lib/*"
COMMIT=$(git -C "$REPO" rev-parse --short HEAD)$(git -C "$REPO" diff --quiet HEAD -- server-core bench || echo ' + uncommitted changes')

mkdir -p "$DIR"
W=$(mktemp -d "$DIR/netroot-iscsi-bench.XXXXXX")
FSTYPE=$(stat -f -c %T "$W")
DATA="$W/data"
SERVER_PID=""
TGTD_PID=""
cleanup() {
  local rc=$? p
  set +e
  for p in $(jobs -p); do kill "$p" 2>/dev/null; done
  if [ -n "$TGTD_PID" ]; then # tgtd leaves on its own once its targets are gone (SIGTERM alone does not do)
    tgtadm -C "$TGT_CTL" --op delete --force --mode target --tid 1 >/dev/null 2>&1
    tgtadm -C "$TGT_CTL" --op delete --mode system >/dev/null 2>&1
  fi
  for p in $SERVER_PID $TGTD_PID; do kill "$p" 2>/dev/null; done
  for p in $SERVER_PID $TGTD_PID; do
    for _ in $(seq 1 40); do kill -0 "$p" 2>/dev/null || break; sleep 0.25; done
    kill -9 "$p" 2>/dev/null
  done
  if [ "${BENCH_KEEP:-0}" = 1 ]; then log "kept $W"; else rm -rf "$W"; fi
  exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM
initiator() { echo "iqn.2026-01.org.netroot:initiator:$1"; }

run_started

# ---------------------------------------------------------------- the file, Netroot and tgt
log "writing a ${GIB} GiB file of random data in $W ($FSTYPE)"
head -c $((64 << 20)) /dev/urandom >"$W/chunk"
for _ in $(seq 1 $((GIB * 16))); do cat "$W/chunk"; done >"$W/source.img"
rm -f "$W/chunk"
mkdir -p "$DATA"
# through the launcher a user runs (its JVM memory settings included; it execs java, so the PID is the JVM's)
NETROOT_JAVA_OPTS="-XX:ErrorFile=$HS_ERR -XX:ReplayDataFile=$JIT_REPLAY ${JAVA_OPTS[*]}" \
  "$REPO/netroot" serve --data "$DATA" --dhcp off --tftp-port 0 --http-port 0 --iscsi-port "$NR_PORT" \
  --nbd-port 0 --control-port 0 >"$W/serve.log" 2>&1 &
SERVER_PID=$!
disown "$SERVER_PID"
await_server "$W/serve.log" "$SERVER_PID"
RSS_START_KB=$(awk '/^VmRSS:/ {print $2}' "/proc/$SERVER_PID/status")
log "Netroot up (pid $SERVER_PID, iSCSI on port $NR_PORT); a shared raw volume and $MANY clients of it"
# shared: the 150 clients all boot it; the single-initiator runs use the first of them
nr volume create disk --from "$W/source.img" --shared
rm -f "$W/source.img"
FILE="$DATA/volumes/disk.img"
[ -f "$FILE" ] || die "no $FILE after volume create"
out=$(timeout 300 "${JAVA[@]}" -cp "$BENCH_CP" org.netroot.server.bench.ClientsOfOneVolume "$DATA" disk "$MANY" pc- 1 2>&1) \
  || die "adding the clients failed: $out"
log "$out"

env "${TGT_ENV[@]}" tgtd -f -C "$TGT_CTL" >"$W/tgtd.log" 2>&1 &
TGTD_PID=$!
disown "$TGTD_PID"
for _ in $(seq 1 40); do tgtadm -C "$TGT_CTL" --op show --mode target >/dev/null 2>&1 && break; sleep 0.25; done
tgtadm -C "$TGT_CTL" --lld iscsi --op new --mode target --tid 1 -T "$TGT_IQN" >>"$W/tgtadm.log" 2>&1 &&
  tgtadm -C "$TGT_CTL" --lld iscsi --op new --mode logicalunit --tid 1 --lun 1 -b "$FILE" >>"$W/tgtadm.log" 2>&1 &&
  tgtadm -C "$TGT_CTL" --lld iscsi --op bind --mode target --tid 1 -I ALL >>"$W/tgtadm.log" 2>&1 \
  || die "tgt set-up failed: $(cat "$W/tgtadm.log" "$W/tgtd.log")"
TGT_BS=$(tgtadm -C "$TGT_CTL" --op show --mode target | awk -F': ' '/LUN: 1$/ {lun = 1} lun && /Backing store type/ {print $2; exit}')
log "tgtd up (pid $TGTD_PID, port $TGT_PORT, control port $TGT_CTL), LUN 1 = $FILE ($TGT_BS)"
T_SETUP=$EPOCHREALTIME

# ---------------------------------------------------------------- one initiator
pid_of() { if [ "$1" = nr ]; then echo "$SERVER_PID"; else echo "$TGTD_PID"; fi; }
# a failed run: say so plainly when the server behind it is gone
alive_or_die() { # side what
  kill -0 "$(pid_of "$1")" 2>/dev/null && return 0
  if [ "$1" = nr ]; then
    die "the Netroot server exited during $2: $(tail -c 1500 "$W/serve.log") (crash report: ${HS_ERR//%p/$SERVER_PID}, if any)"
  fi
  die "tgtd exited during $2: $(tail -5 "$W/tgtd.log")"
}
url_of() { # side initiator_index address -> the LUN's URL
  if [ "$1" = nr ]; then echo "iscsi://$3:$NR_PORT/iqn.2026-01.org.netroot:pc-$2/0"
  else echo "iscsi://$3:$TGT_PORT/$TGT_IQN/1"; fi
}
# prints "iops server_cpu_seconds client_cpu_seconds"
perf_once() { # side seconds in_flight blocks_per_request random(0|1)
  local side=$1 r=() c0 c1 k0 k1 out pid
  [ "$5" = 1 ] && r=(-r)
  pid=$(pid_of "$side")
  c0=$(ticks "$pid"); child_ticks; k0=$K
  # -t ends the run only if iscsi-perf's once-a-second check lands on the last second: should a busy
  # machine make it skip that one, SIGINT ends it a little later (the average then runs to its last check)
  out=$(timeout -s INT -k 30 $(($2 + 10)) iscsi-perf -i "$(initiator pc-0)" -m "$3" -b "$4" -t "$2" "${r[@]}" \
    "$(url_of "$side" 0 127.0.0.1)" 2>&1 | tr '\r' '\n') || [ $? = 124 ] \
    || { alive_or_die "$side" "iscsi-perf $*"; die "iscsi-perf on $side failed: $(echo "$out" | tail -3)"; }
  c1=$(ticks "$pid"); child_ticks; k1=$K
  echo "$out" | grep -q '^finished' || { alive_or_die "$side" "iscsi-perf $*"; die "iscsi-perf on $side did not finish: $(echo "$out" | tail -3)"; }
  echo "$(echo "$out" | grep -o 'iops average [0-9]*' | tail -1 | awk '{print $3}') $(calc "($c1 - $c0) / $HZ") $(calc "($k1 - $k0) / $HZ")"
}
qwrite_once() { # side -> "iops server_cpu client_cpu": sequential 4 KiB writes through QEMU's iscsi driver
  local side=$1 opts c0 c1 k0 k1 out secs pid
  pid=$(pid_of "$side")
  if [ "$side" = nr ]; then opts="portal=127.0.0.1:$NR_PORT,target=iqn.2026-01.org.netroot:pc-0,lun=0"
  else opts="portal=127.0.0.1:$TGT_PORT,target=$TGT_IQN,lun=1"; fi
  c0=$(ticks "$pid"); child_ticks; k0=$K
  out=$(timeout 600 qemu-img bench -w --pattern=165 -t none -c "${QRUN:-$QCOUNT}" -d 32 -s 4096 \
    --image-opts "driver=iscsi,transport=tcp,$opts,initiator-name=$(initiator pc-0)" 2>&1) \
    || { alive_or_die "$side" "qemu-img bench"; die "qemu-img bench on $side failed: $out"; }
  c1=$(ticks "$pid"); child_ticks; k1=$K
  secs=$(echo "$out" | awk '/Run completed in/ {print $4}')
  [ -n "$secs" ] || die "qemu-img bench on $side: no time in its output: $out"
  echo "$(calc "${QRUN:-$QCOUNT} / $secs") $(calc "($c1 - $c0) / $HZ") $(calc "($k1 - $k0) / $HZ")"
}
ROWS=()
# REPS pairs, alternating which target goes first; sets NR_V TGT_V RATIOS (Netroot / tgt per pair)
pairs() { # label unit fn (called as: fn nr|tgt)
  local label=$1 unit=$2; shift 2
  NR_V=(); TGT_V=(); RATIOS=()
  local i rn rt vn cn kn vt ct kt line=""
  for i in $(seq 1 "$REPS"); do
    if [ $((i % 2)) = 1 ]; then rt=$("$@" tgt); rn=$("$@" nr); else rn=$("$@" nr); rt=$("$@" tgt); fi
    read -r vn cn kn <<<"$rn"; read -r vt ct kt <<<"$rt"
    NR_V+=("$vn"); TGT_V+=("$vt"); RATIOS+=("$(calc "$vn / $vt")")
    line+=" rep $i ($([ $((i % 2)) = 1 ] && echo "tgt first" || echo "Netroot first")): $(fmt "$vn" 0) vs $(fmt "$vt" 0) $unit (server CPU $(fmt "$cn") s vs $(fmt "$ct") s, client CPU $(fmt "$kn") s vs $(fmt "$kt") s);"
    log "$label rep $i: Netroot $(fmt "$vn" 0) vs tgt $(fmt "$vt" 0) $unit"
  done
  echo "- $label, Netroot vs tgt:${line%;}" >>"$W/samples.md"
}
fio_once() { # rw bs engine depth -> iops
  local ro=() field=8 out
  case $1 in *read) ro=(--readonly) ;; *) field=49 ;; esac
  out=$(timeout $((SECS + 60)) fio --name=limit --filename="$FILE" "${ro[@]}" --rw="$1" --bs="$2" --ioengine="$3" \
    --iodepth="$4" --runtime="$SECS" --time_based --invalidate=0 --minimal 2>&1) || die "fio $* failed: $out"
  echo "$out" | tail -1 | cut -d';' -f"$field"
}
FIO_CELL=""
fio_limit() { # label rw bs engine depth bytes_per_request -> sets FIO_CELL
  local label=$1; shift
  local v=() i
  for i in $(seq 1 "$FIO_REPS"); do v+=("$(fio_once "$1" "$2" "$3" "$4")"); done
  echo "- fio $label ($1, bs $2, $3, iodepth $4): ${v[*]} IOPS" >>"$W/samples.md"
  FIO_CELL=$(iops_cell "$5" "${v[@]}")
  log "fio $label: $FIO_CELL"
}
verdict() { awk -v r="$1" -v t="$2" 'BEGIN {print (r + 0 >= t + 0) ? "**met**" : "**missed**"}'; }
iops_cell() { # bytes per request, iops... -> "median IOPS (MiB/s)"
  local bytes=$1; shift
  local m; m=$(printf '%s\n' "$@" | median)
  if [ "$bytes" -ge 65536 ]; then echo "$(fmt "$(calc "$m * $bytes / 1048576")" 0) MiB/s ($(fmt "$m" 0) IOPS)"
  else echo "$(fmt "$m" 0) IOPS ($(fmt "$(calc "$m * $bytes / 1048576")" 1) MiB/s)"; fi
}
row() { # label bytes target
  local r; r=$(printf '%s\n' "${RATIOS[@]}" | median)
  ROWS+=("$1|$(iops_cell "$2" "${NR_V[@]}")|$(iops_cell "$2" "${TGT_V[@]}")|$(fmt "$r")×|$FIO_CELL|≥ $3×|$(verdict "$r" "$3")")
}

log "one initiator: warm-up, then $REPS x ${SECS} s per target and pattern"
for side in nr tgt; do
  perf_once "$side" "$WARM_SECS" 32 256 0 >/dev/null
  perf_once "$side" "$WARM_SECS" 32 8 1 >/dev/null
  perf_once "$side" "$WARM_SECS" 1 1 0 >/dev/null
done
perf_once_seq() { perf_once "$1" "$SECS" 32 256 0; }
pairs "sequential 128 KiB reads, 32 in flight" IOPS perf_once_seq
fio_limit "sequential 128 KiB reads" read 128k libaio 32 131072
row "Sequential reads, 128 KiB, 32 in flight (\`iscsi-perf -m 32 -b 256\`)" 131072 2.0
perf_once_rand() { perf_once "$1" "$SECS" 32 8 1; }
pairs "random 4 KiB reads, 32 in flight" IOPS perf_once_rand
fio_limit "random 4 KiB reads" randread 4k libaio 32 4096
row "Random reads, 4 KiB, 32 in flight (\`iscsi-perf -m 32 -b 8 -r\`)" 4096 1.5
perf_once_qd1() { perf_once "$1" "$SECS" 1 1 0; }
pairs "sequential 512-byte reads, one at a time" IOPS perf_once_qd1
fio_limit "sequential 512-byte reads, one at a time" read 512 psync 1 512
row "Reads, 512 bytes, one at a time (\`iscsi-perf -m 1 -b 1\`, sequential)" 512 1.0

log "writes: qemu-img bench -w, warm-up, then $REPS x $QCOUNT requests per target"
for side in nr tgt; do QRUN=$((QCOUNT / 10)) qwrite_once "$side" >/dev/null; done
pairs "sequential 4 KiB writes through qemu-img bench, 32 in flight" IOPS qwrite_once
fio_limit "sequential 4 KiB writes" write 4k libaio 32 4096
row "Writes, 4 KiB, 32 in flight (\`qemu-img bench -w -d 32 -s 4096\`, sequential)" 4096 1.2

# the server's memory after the single-initiator runs, before the many
read -r HWM_KB RSS_KB < <(awk '/^VmHWM:/ {h = $2} /^VmRSS:/ {r = $2} END {print h, r}' "/proc/$SERVER_PID/status")
TGT_HWM_KB=$(awk '/^VmHWM:/ {print $2}' "/proc/$TGTD_PID/status")
log "Netroot after one initiator: VmHWM $((HWM_KB / 1024)) MiB, VmRSS $((RSS_KB / 1024)) MiB (tgtd VmHWM $((TGT_HWM_KB / 1024)) MiB)"
T_SINGLE=$EPOCHREALTIME

# ---------------------------------------------------------------- 150 initiators at once
# 150 processes on 2 CPUs log in over seconds, so each one's own average covers a window of its own; and
# iscsi-perf -t ends only if its once-a-second check lands on the last second, which a starved process
# can skip (it then reads on until killed). So they run without -t, and the throughput is what the target
# delivered while all of them were reading: the bytes its sockets had acknowledged (ss, TCP payload, iSCSI
# headers included: 48 bytes per 128 KiB) at the start and end of a window of MSECS seconds.
acked() { ss -Htni state established "( sport = :$1 )" | grep -o 'bytes_acked:[0-9]*' | awk -F: '{s += $2; n++} END {printf "%.0f %d", s, n}'; }
# prints "MiB/s server_cpu_seconds login_seconds sessions_at_end failures"
many_once() { # side seconds
  local side=$1 s=$2 i pid port c0 c1 b0 b1 n0 n1 t0 t1 t_login connected=0 fails=0 p="" alive
  local pids=()
  pid=$(pid_of "$side")
  if [ "$side" = nr ]; then port=$NR_PORT; else port=$TGT_PORT; fi
  rm -rf "$W/many"; mkdir -p "$W/many"
  t0=$EPOCHREALTIME
  for i in $(seq 0 $((MANY - 1))); do
    # line-buffered: "connected to" is in the file as soon as the login is done
    stdbuf -oL iscsi-perf -i "$(initiator "pc-$i")" -m "$MDEPTH" -b "$MBLOCKS" \
      "$(url_of "$side" "$i" "10.77.$((i / 250)).$((i % 250 + 1))")" >"$W/many/$i.log" 2>&1 &
    pids+=($!)
  done
  for _ in $(seq 1 600); do
    connected=$(grep -l '^connected to' "$W"/many/*.log | wc -l) || true # none yet: grep fails
    [ "$connected" -ge "$MANY" ] && break
    sleep 0.2
  done
  t_login=$(calc "$EPOCHREALTIME - $t0")
  alive_or_die "$side" "the logins of $MANY initiators"
  sleep 1 # every one past its first reads
  read -r b0 n0 <<<"$(acked "$port")"; c0=$(ticks "$pid"); t0=$EPOCHREALTIME
  sleep "$s"
  alive_or_die "$side" "the reads of $MANY initiators"
  read -r b1 n1 <<<"$(acked "$port")"; c1=$(ticks "$pid"); t1=$EPOCHREALTIME
  for i in "${!pids[@]}"; do
    if kill -0 "${pids[$i]}" 2>/dev/null; then kill -INT "${pids[$i]}"; else fails=$((fails + 1)); echo "gone before the end" >>"$W/many/$i.log"; fi
  done
  for _ in $(seq 1 300); do # up to 60 s to finish what is in flight and log out, then SIGKILL
    alive=0
    for p in "${pids[@]}"; do kill -0 "$p" 2>/dev/null && { alive=1; break; }; done
    [ "$alive" = 0 ] && break
    sleep 0.2
  done
  for p in "${pids[@]}"; do kill -9 "$p" 2>/dev/null || true; done
  p=""
  for i in "${!pids[@]}"; do wait "${pids[$i]}" || echo "exit status $?" >>"$W/many/$i.log"; done
  log "many on $side: all logged in after $(fmt "$t_login" 1) s, reading stopped $(fmt "$(calc "$EPOCHREALTIME - $t1")" 1) s after the window"
  for i in "${!pids[@]}"; do
    if grep -q 'exit status\|gone before\|[Ff]ailed' "$W/many/$i.log"; then
      [ "$p" = logged ] || { log "many on $side: initiator $i: $(tr '\r' '\n' <"$W/many/$i.log" | grep -v '^ *$' | tail -2 | tr '\n' ' ')"; p=logged; }
      grep -q 'gone before' "$W/many/$i.log" || fails=$((fails + 1))
    fi
  done
  [ "$n0" = "$MANY" ] && [ "$n1" = "$MANY" ] || log "many on $side: $n0 sessions at the window's start, $n1 at its end"
  echo "$(calc "($b1 - $b0) / ($t1 - $t0) / 1048576") $(calc "($c1 - $c0) / $HZ") $t_login $n1 $fails"
}
log "$MANY initiators at once: warm-up, then $REPS x ${MSECS} s per target, once all are reading ($MDEPTH in flight, $MBLOCKS blocks per request each)"
for side in nr tgt; do many_once "$side" 2 >/dev/null; done
M_NR=(); M_TGT=(); M_RATIOS=(); line=""
for i in $(seq 1 "$REPS"); do
  if [ $((i % 2)) = 1 ]; then rt=$(many_once tgt "$MSECS"); rn=$(many_once nr "$MSECS")
  else rn=$(many_once nr "$MSECS"); rt=$(many_once tgt "$MSECS"); fi
  read -r vn cn ln en fn <<<"$rn"; read -r vt ct lt et ft <<<"$rt"
  M_NR+=("$vn"); M_TGT+=("$vt"); M_RATIOS+=("$(calc "$vn / $vt")")
  line+=" rep $i ($([ $((i % 2)) = 1 ] && echo "tgt first" || echo "Netroot first")): $(fmt "$vn" 1) vs $(fmt "$vt" 1) MiB/s (all logged in after $(fmt "$ln" 1) s vs $(fmt "$lt" 1) s; server CPU in the window $(fmt "$cn") s vs $(fmt "$ct") s; sessions at its end $en vs $et; failed initiators $fn vs $ft);"
  log "many rep $i: Netroot $(fmt "$vn" 1) vs tgt $(fmt "$vt" 1) MiB/s (logins $(fmt "$ln" 1) s vs $(fmt "$lt" 1) s, $en vs $et sessions, $fn vs $ft failed)"
done
echo "- $MANY initiators at once, Netroot vs tgt:${line%;}" >>"$W/samples.md"
mcell() { local m; m=$(printf '%s\n' "$@" | median); echo "$(fmt "$m" 0) MiB/s (≈ $(fmt "$(calc "$m * 1048576 / ($MBLOCKS * 512)")" 0) reads/s)"; }
r=$(printf '%s\n' "${M_RATIOS[@]}" | median)
ROWS+=("$MANY initiators at once, each sequential $((MBLOCKS / 2)) KiB reads, $MDEPTH in flight; what the target delivered in ${MSECS} s with all of them reading|$(mcell "${M_NR[@]}")|$(mcell "${M_TGT[@]}")|$(fmt "$r")×|—|≥ 1.0×|$(verdict "$r" 1.0)")
read -r HWM_MANY_KB RSS_MANY_KB < <(awk '/^VmHWM:/ {h = $2} /^VmRSS:/ {r = $2} END {print h, r}' "/proc/$SERVER_PID/status")
TGT_HWM_MANY_KB=$(awk '/^VmHWM:/ {print $2}' "/proc/$TGTD_PID/status")
T_END=$EPOCHREALTIME
LOAD1=$(cut -d' ' -f1-3 /proc/loadavg)

# ---------------------------------------------------------------- report
mb() { fmt "$(calc "$1 * 1024 / 1000000")" 0; }   # KiB -> MB
mib() { echo $(($1 / 1024)); }
section() {
  local heap
  local heap heap0
  # the running server's own heap settings
  heap=$("$JAVA_HOME/bin/jcmd" "$SERVER_PID" VM.flags 2>/dev/null | tr ' ' '\n' | awk -F= '/^-XX:MaxHeapSize=/ {printf "%.0f", $2 / 1048576}')
  heap0=$("$JAVA_HOME/bin/jcmd" "$SERVER_PID" VM.flags 2>/dev/null | tr ' ' '\n' | awk -F= '/^-XX:InitialHeapSize=/ {printf "%.0f", $2 / 1048576}')
  echo "<!-- iscsi-bench:begin (written by bench/iscsi.sh) -->"
  echo "## iSCSI: Netroot's target against tgt (issue 13)"
  echo
  echo "\`bench/iscsi.sh\` on $STARTED UTC, commit \`$COMMIT\`, $(nproc) CPUs ($(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo)),"
  echo "load average $LOAD0 at the start and $LOAD1 at the end (the machine is shared: the spread below is partly"
  echo "other people's work; the ratios, each pair measured back to back, are what to compare)."
  echo "Both targets in one network namespace of the script's own, on loopback, exporting **the same file**: a"
  echo "${GIB} GiB raw volume of random data on **$FSTYPE** (\`$DIR\`), so the numbers are the targets' code paths and"
  echo "the page cache, not a disk. Netroot: \`netroot serve --dhcp off --iscsi-port $NR_PORT\` (the launcher's JVM settings:"
  echo "heap $heap0 MiB at first, up to $heap MiB$([ ${#JAVA_OPTS[@]} -gt 0 ] && echo ", plus \`${JAVA_OPTS[*]}\`")), the file made with \`volume create disk --from FILE --shared\`"
  echo "and $MANY clients \`pc-0\`..\`pc-$((MANY - 1))\` booting it (added through one control-API connection by"
  echo "\`org.netroot.server.bench.ClientsOfOneVolume\`), each with its target, LUN 0, CHAP off. tgt $(tgtd --version 2>&1 | head -1):"
  echo "\`tgtd -f\`$([ ${#TGT_ENV[@]} -gt 0 ] && echo " with \`${TGT_ENV[*]}\` in its environment"), one target, LUN 1 backed by the volume's own file (\`data/volumes/disk.img\`) with the default backing store (**$TGT_BS**: reads and writes"
  echo "through the page cache, as Netroot's FileChannel does), bound to ALL initiators. Single-initiator runs use"
  echo "\`pc-0\` (its initiator name for both targets). Clients: libiscsi $(dpkg-query -W -f='${Version}' libiscsi-bin 2>/dev/null)'s \`iscsi-perf\`;"
  echo "QEMU $(qemu-img --version | head -1 | awk '{print $3}')'s \`qemu-img bench -w --pattern=165 -t none -d 32 -s 4096 -c $QCOUNT\` (sequential 4 KiB"
  echo "writes, 0xA5 bytes) through its iscsi driver; $(fio --version) locally on the file, buffered (tmpfs has no O_DIRECT,"
  echo "so libaio's 32 in flight complete one by one inside the submitting call; the limit is the copy from the page cache)."
  echo "${SECS} s per iscsi-perf run; $REPS runs per target alternating which goes first, after an untimed warm-up;"
  echo "cells are medians of the runs, the ratio is the median of the per-pair ratios (Netroot / tgt); fio: median of $FIO_REPS."
  echo "The $MANY initiators: $MANY \`iscsi-perf\` processes started together (no stagger), initiator \`pc-i\` connecting to"
  echo "address 10.77.x.y of a local route (\`ip route add local 10.77.0.0/16 dev lo\`), so each comes from an address of its own"
  echo "as a PC would (Netroot allows 16 logins in progress per address: from one address a simultaneous start would be"
  echo "refused in part); Netroot: each to its own client's target; tgt: all to its one target. Once every one has logged in"
  echo "(and a second more), the bytes the target's $MANY sockets had acknowledged are read with \`ss\` at the start and end of"
  echo "${MSECS} s: their difference over the time is the row's throughput (TCP payload: the iSCSI headers add 48 bytes per"
  echo "$((MBLOCKS / 2)) KiB read). Not the sum of the processes' own averages: on 2 CPUs the $MANY logins take seconds, so those"
  echo "cover windows of their own; and \`iscsi-perf -t\` ends only if its once-a-second check hits the last second, which"
  echo "a starved process may skip (it then reads on). The processes run without \`-t\` and get SIGINT at the end."
  echo "With $MANY readers on $(nproc) CPUs the clients take much of the CPU, for both targets alike."
  echo
  echo "| Measure | Netroot | tgt | Netroot / tgt | fio, local (the limit) | target | verdict |"
  echo "|---|---|---|---|---|---|---|"
  local r; for r in "${ROWS[@]}"; do echo "| ${r//|/ | } |"; done
  echo "| Netroot server's peak resident memory (VmHWM) after the single-initiator runs | $(mib "$HWM_KB") MiB ($(mb "$HWM_KB") MB; VmRSS then $(mib "$RSS_KB") MiB) | tgtd: $(mib "$TGT_HWM_KB") MiB | | | < $RSS_LIMIT_MB MB | $(awk -v k="$HWM_KB" -v l="$RSS_LIMIT_MB" 'BEGIN {print (k * 1024 < l * 1000000) ? "**met**" : "**missed**"}') |"
  echo
  echo "Netroot's resident memory: $(mib "$RSS_START_KB") MiB right after start, peak $(mib "$HWM_KB") MiB after the single-initiator runs, peak"
  echo "$(mib "$HWM_MANY_KB") MiB (VmRSS $(mib "$RSS_MANY_KB") MiB) after the $MANY-initiator runs; tgtd's peak $(mib "$TGT_HWM_MANY_KB") MiB."
  echo
  echo "What checks by hand on this machine (2026-12-01, not part of the script) showed behind three of the rows:"
  echo "- tgt at 128 KiB: its buffer for a command of 128 KiB is over glibc's mmap threshold (128 KiB), so each such read"
  echo "  maps and unmaps a buffer of its own (\`strace -c -f\` on tgtd: one munmap per read, and nearly all its time in"
  echo "  futex, pread and munmap). tgt read 120 KiB requests (\`-b 240\`) at about 4600 per second and 124 KiB ones"
  echo "  (\`-b 248\`) at about 900; with \`MALLOC_MMAP_THRESHOLD_=4194304\` in tgtd's environment it read 128 KiB ones at"
  echo "  about 4800 per second (600 MB/s). The sequential and many-initiator ratios of a default tgt are mostly this."
  echo "  A run of this script with \`BENCH_ISCSI_TGT_ENV=MALLOC_MMAP_THRESHOLD_=4194304\` that day: sequential reads"
  echo "  1367 vs 675 MiB/s, **2.02×** (target 2.0×); 150 initiators 2411 vs 596 MiB/s, **4.06×**; the other rows much as with"
  echo "  a default tgt (random 4 KiB 2.72×, 512 bytes one at a time 0.88×, writes 2.02×)."
  echo "- Netroot's memory: Native Memory Tracking put most of it in the Java heap. With the JDK's default heap (1/64 of"
  echo "  this machine's RAM at first, 380 MiB) the peak after the single-initiator runs was 203-219 MiB in 4 of 8 runs"
  echo "  and 320-348 MiB in the other 4; since 2026-12-01 \`./netroot serve\` starts with a 16 MiB heap that grows with"
  echo "  the load (at most 512 MiB), which this script uses."
  echo "- 512 bytes one at a time was 0.80-1.20× tgt (0.93× in the run before) while every command went from the network"
  echo "  thread to a command thread and its response back: two thread wake-ups per read. Since 2026-12-01 page-cache"
  echo "  reads and writes run on the network thread (\`iscsi/PduPlacement\`)."
  echo "- With Netty 4.2.7 the server's JVM (Temurin 25.0.3+9) crashed 3 times, each about 2 minutes into the random 4 KiB"
  echo "  reads: SIGSEGV in C2 (\`Compile::final_graph_reshaping_walk\`) compiling Netty's"
  echo "  \`ReferenceCountUpdater::retryRelease0\`. Netty 4.2.18 (since 2026-12-01) no longer has that method; should the"
  echo "  JVM crash again, the script stops and names the crash report."
  echo
  echo "The whole run took $(fmt "$(calc "$T_END - $T_START")" 0) s (set-up $(fmt "$(calc "$T_SETUP - $T_START")" 0) s, one initiator $(fmt "$(calc "$T_SINGLE - $T_SETUP")" 0) s,"
  echo "$MANY initiators $(fmt "$(calc "$T_END - $T_SINGLE")" 0) s). Every run (Netroot vs tgt; CPU seconds user+system: the server's"
  echo "all threads, the client's processes):"
  echo
  cat "$W/samples.md"
  echo "<!-- iscsi-bench:end -->"
}
section >"$W/section.md"
cat "$W/section.md"
write_section iscsi-bench "$W/section.md" "$OUT"
