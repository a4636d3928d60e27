#!/usr/bin/env bash
# NBD benchmark (issue 14): Netroot's NBD server against qemu-nbd, in one run, exporting the same file,
# on loopback:
#   - fio's nbd engine (libnbd) as the client for both: sequential 128 KiB reads and random 4 KiB reads,
#     32 in flight each, and random 4 KiB reads one at a time (the round trip);
#   - fio reading the file locally: the limit no server can pass.
# Before any timing, `qemu-img compare` reads the whole export from each server against the file.
# Each measurement alternates the two servers (which one goes first changes every repetition) after an
# untimed warm-up; cells are medians, ratios the median of the per-pair ratios (Netroot / qemu-nbd). No
# root needed: a real `netroot serve` with ports from the OS, qemu-nbd on a free port. Writes its section
# of docs/benchmarks.md (between nbd-bench markers; bench/run.sh keeps it).
#
#   bench/nbd.sh                                         # data on tmpfs (/dev/shm), about 4 minutes
#   BENCH_NBD_REPS=3 BENCH_NBD_SECONDS=2 BENCH_NBD_OUT=/dev/null bench/nbd.sh   # a quick look, no report
#
# Knobs: BENCH_NBD_DIR (/dev/shm), _REPS (5), _SECONDS (5 per fio run), _MIB (1024, the file, all of it
# random data), _DEPTH (32 in flight), _OUT (docs/benchmarks.md; /dev/null for none), BENCH_KEEP=1 keeps
# the folder. Needs: fio with its nbd engine (Debian's fio has it: `fio --enghelp` lists nbd), qemu-nbd and
# qemu-img (qemu-utils), python3 (a free port for qemu-nbd), a JDK 21+. Space in the folder: the file twice
# while importing.
set -euo pipefail
REPO=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
. "$REPO/scripts/java-env.sh"
CORE="$REPO/server-core/target"

BENCH_NAME=nbd-bench
. "$(dirname "$(readlink -f "$0")")/lib.sh"

for t in fio qemu-nbd qemu-img python3; do
  command -v "$t" >/dev/null || { echo "bench/nbd.sh: needs $t (Debian: fio, qemu-utils, python3)" >&2; exit 1; }
done
fio --enghelp 2>&1 | grep -qw nbd || { echo "bench/nbd.sh: this fio has no nbd engine (it needs libnbd)" >&2; exit 1; }
build_if_stale

DIR=${BENCH_NBD_DIR:-/dev/shm}
REPS=${BENCH_NBD_REPS:-5}
SECS=${BENCH_NBD_SECONDS:-5}
MIB=${BENCH_NBD_MIB:-1024}
DEPTH=${BENCH_NBD_DEPTH:-32}
OUT=${BENCH_NBD_OUT:-$REPO/docs/benchmarks.md}
WARM_SECS=2
FIO_REPS=3

# CPU of this (sub)shell's children reaped so far, into K: read in the shell itself (a $(...) would be a new
# process with children of its own)
child_ticks() { local st f; read -r st <"/proc/$BASHPID/stat"; read -r -a f <<<"${st##*) }"; K=$((f[13] + f[14])); }
HZ=$(getconf CLK_TCK)

JAVA=("$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED)
NETROOT=("${JAVA[@]}" -cp "$CORE/classes:$CORE/lib/*" org.netroot.server.cli.NetrootCli)
COMMIT=$(git -C "$REPO" rev-parse --short HEAD)$(git -C "$REPO" diff --quiet HEAD -- server-core bench || echo ' + uncommitted changes')

mkdir -p "$DIR"
W=$(mktemp -d "$DIR/netroot-nbd-bench.XXXXXX")
FSTYPE=$(stat -f -c %T "$W")
DATA="$W/data"
SERVER_PID=""
QNBD_PID=""
cleanup() {
  local rc=$? p
  set +e
  for p in $QNBD_PID $SERVER_PID; do kill "$p" 2>/dev/null; done
  for p in $QNBD_PID $SERVER_PID; do
    for _ in $(seq 1 40); do kill -0 "$p" 2>/dev/null || break; sleep 0.25; done
    kill -9 "$p" 2>/dev/null
  done
  if [ "${BENCH_KEEP:-0}" = 1 ]; then log "kept $W"; else rm -rf "$W"; fi
  exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM

run_started

# ---------------------------------------------------------------- the file, Netroot and qemu-nbd
log "writing a $MIB MiB file of random data in $W ($FSTYPE)"
head -c $((64 << 20)) /dev/urandom >"$W/chunk"
# head ends the copies once it has MIB (a file under 64 MiB: mid-chunk): that SIGPIPE (141) is no failure
for _ in $(seq 1 $(((MIB + 63) / 64))); do cat "$W/chunk"; done | head -c $((MIB << 20)) >"$W/source.img" \
  || { s=("${PIPESTATUS[@]}"); [ "${s[0]}" = 141 ] && [ "${s[1]}" = 0 ]; }
rm -f "$W/chunk"
mkdir -p "$DATA"
# through the launcher a user runs (its JVM memory settings; it execs java, so the PID is the JVM's)
"$REPO/netroot" serve --data "$DATA" --dhcp off --tftp-port 0 --http-port 0 --iscsi-port 0 --nbd-port 0 \
  --control-port 0 >"$W/serve.log" 2>&1 &
SERVER_PID=$!
await_server "$W/serve.log" "$SERVER_PID"
NR_PORT=$(awk '/NBD server listening on/ {print $NF; exit}' "$W/serve.log")
[ -n "$NR_PORT" ] || die "no NBD port in the server's log"
# a raw volume of the file, booted by a client whose reserved address is loopback: NBD serves a client's
# volume only at its own address
nr volume create disk --from "$W/source.img"
nr client add pc --mac 02:6e:62:00:00:01 --volume disk --no-chap --ip 127.0.0.1
rm -f "$W/source.img"
FILE="$DATA/volumes/disk.img"
[ -f "$FILE" ] || die "no $FILE after volume create"
QPORT=$(free_port)
# read-only: Netroot has the file open read-write; both read through the page cache (qemu-nbd's default
# cache=writeback, aio=threads), as Netroot's FileChannel does
qemu-nbd -f raw -r -x disk -b 127.0.0.1 -p "$QPORT" --persistent -e 8 "$FILE" >"$W/qemu-nbd.log" 2>&1 &
QNBD_PID=$!
for _ in $(seq 1 40); do python3 - "$QPORT" 2>/dev/null <<'EOF' && break
import socket, sys
socket.create_connection(("127.0.0.1", int(sys.argv[1])), 1).close()
EOF
  sleep 0.25
done
kill -0 "$QNBD_PID" 2>/dev/null || die "qemu-nbd did not start: $(cat "$W/qemu-nbd.log")"
RSS_START_KB=$(awk '/^VmRSS:/ {print $2}' "/proc/$SERVER_PID/status")
log "Netroot up (pid $SERVER_PID, NBD on port $NR_PORT), qemu-nbd up (pid $QNBD_PID, port $QPORT), both on $FILE"

url_of() { if [ "$1" = nr ]; then echo "nbd://127.0.0.1:$NR_PORT/disk"; else echo "nbd://127.0.0.1:$QPORT/disk"; fi; }
pid_of() { if [ "$1" = nr ]; then echo "$SERVER_PID"; else echo "$QNBD_PID"; fi; }
name_of() { if [ "$1" = nr ]; then echo Netroot; else echo qemu-nbd; fi; }
for side in nr qnbd; do
  out=$(timeout 600 qemu-img compare -f raw -F raw "$FILE" "$(url_of "$side")" 2>&1) \
    || die "qemu-img compare of $(name_of "$side")'s export against the file: $out"
  log "$(name_of "$side"): $out"
done
T_SETUP=$EPOCHREALTIME

# ---------------------------------------------------------------- fio over NBD
alive_or_die() { # side what
  kill -0 "$(pid_of "$1")" 2>/dev/null || die "$(name_of "$1") exited during $2: $(tail -c 1500 "$W/serve.log" "$W/qemu-nbd.log")"
}
# prints "iops server_cpu_seconds client_cpu_seconds"
fio_nbd() { # side seconds rw bs depth
  local side=$1 pid c0 c1 k0 k1 out
  pid=$(pid_of "$side")
  c0=$(ticks "$pid"); child_ticks; k0=$K
  out=$(timeout $(($2 + 60)) fio --name=nbd --ioengine=nbd --uri="$(url_of "$side")" --rw="$3" --bs="$4" \
    --iodepth="$5" --runtime="$2" --time_based --minimal 2>&1) \
    || { alive_or_die "$side" "fio $*"; die "fio on $(name_of "$side") failed: $(echo "$out" | tail -3)"; }
  c1=$(ticks "$pid"); child_ticks; k1=$K
  echo "$(echo "$out" | tail -1 | cut -d';' -f8) $(calc "($c1 - $c0) / $HZ") $(calc "($k1 - $k0) / $HZ")"
}
ROWS=()
# REPS pairs, alternating which server goes first; sets NR_V QN_V RATIOS (Netroot / qemu-nbd per pair)
pairs() { # label rw bs depth
  local label=$1 i rn rq vn cn kn vq cq kq line=""
  NR_V=(); QN_V=(); RATIOS=()
  for i in $(seq 1 "$REPS"); do
    if [ $((i % 2)) = 1 ]; then rq=$(fio_nbd qnbd "$SECS" "$2" "$3" "$4"); rn=$(fio_nbd nr "$SECS" "$2" "$3" "$4")
    else rn=$(fio_nbd nr "$SECS" "$2" "$3" "$4"); rq=$(fio_nbd qnbd "$SECS" "$2" "$3" "$4"); fi
    read -r vn cn kn <<<"$rn"; read -r vq cq kq <<<"$rq"
    NR_V+=("$vn"); QN_V+=("$vq"); RATIOS+=("$(calc "$vn / $vq")")
    line+=" rep $i ($([ $((i % 2)) = 1 ] && echo "qemu-nbd first" || echo "Netroot first")): $(fmt "$vn" 0) vs $(fmt "$vq" 0) IOPS (server CPU $(fmt "$cn") s vs $(fmt "$cq") s, client CPU $(fmt "$kn") s vs $(fmt "$kq") s);"
    log "$label rep $i: Netroot $(fmt "$vn" 0) vs qemu-nbd $(fmt "$vq" 0) IOPS"
  done
  echo "- $label, Netroot vs qemu-nbd:${line%;}" >>"$W/samples.md"
}
fio_once() { # rw bs engine depth -> iops
  local out
  out=$(timeout $((SECS + 60)) fio --name=limit --filename="$FILE" --readonly --rw="$1" --bs="$2" --ioengine="$3" \
    --iodepth="$4" --runtime="$SECS" --time_based --invalidate=0 --minimal 2>&1) || die "fio $* failed: $out"
  echo "$out" | tail -1 | cut -d';' -f8
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
iops_cell() { # bytes per request, iops... -> "median IOPS (MiB/s)"
  local bytes=$1; shift
  local m; m=$(printf '%s\n' "$@" | median)
  if [ "$bytes" -ge 65536 ]; then echo "$(fmt "$(calc "$m * $bytes / 1048576")" 0) MiB/s ($(fmt "$m" 0) IOPS)"
  else echo "$(fmt "$m" 0) IOPS ($(fmt "$(calc "$m * $bytes / 1048576")" 1) MiB/s)"; fi
}
row() { # label bytes
  local r; r=$(printf '%s\n' "${RATIOS[@]}" | median)
  ROWS+=("$1|$(iops_cell "$2" "${NR_V[@]}")|$(iops_cell "$2" "${QN_V[@]}")|$(fmt "$r")×|$FIO_CELL")
}

log "warm-up, then $REPS x ${SECS} s per server and pattern"
for side in nr qnbd; do
  fio_nbd "$side" "$WARM_SECS" read 128k "$DEPTH" >/dev/null
  fio_nbd "$side" "$WARM_SECS" randread 4k "$DEPTH" >/dev/null
  fio_nbd "$side" "$WARM_SECS" randread 4k 1 >/dev/null
done
pairs "sequential 128 KiB reads, $DEPTH in flight" read 128k "$DEPTH"
fio_limit "sequential 128 KiB reads" read 128k libaio "$DEPTH" 131072
row "Sequential reads, 128 KiB, $DEPTH in flight (\`fio --ioengine=nbd --rw=read --bs=128k --iodepth=$DEPTH\`)" 131072
pairs "random 4 KiB reads, $DEPTH in flight" randread 4k "$DEPTH"
fio_limit "random 4 KiB reads" randread 4k libaio "$DEPTH" 4096
row "Random reads, 4 KiB, $DEPTH in flight (\`--rw=randread --bs=4k --iodepth=$DEPTH\`)" 4096
pairs "random 4 KiB reads, one at a time" randread 4k 1
fio_limit "random 4 KiB reads, one at a time" randread 4k psync 1 4096
row "Random reads, 4 KiB, one at a time (\`--rw=randread --bs=4k --iodepth=1\`)" 4096

read -r HWM_KB RSS_KB < <(awk '/^VmHWM:/ {h = $2} /^VmRSS:/ {r = $2} END {print h, r}' "/proc/$SERVER_PID/status")
QN_HWM_KB=$(awk '/^VmHWM:/ {print $2}' "/proc/$QNBD_PID/status")
EVENTS=$(grep -c 'boot event NBD_CONNECT' "$W/serve.log" || true)
T_END=$EPOCHREALTIME
LOAD1=$(cut -d' ' -f1-3 /proc/loadavg)

# ---------------------------------------------------------------- report
mib() { echo $(($1 / 1024)); }
section() {
  local heap heap0 libnbd
  heap=$("$JAVA_HOME/bin/jcmd" "$SERVER_PID" VM.flags 2>/dev/null | tr ' ' '\n' | awk -F= '/^-XX:MaxHeapSize=/ {printf "%.0f", $2 / 1048576}')
  heap0=$("$JAVA_HOME/bin/jcmd" "$SERVER_PID" VM.flags 2>/dev/null | tr ' ' '\n' | awk -F= '/^-XX:InitialHeapSize=/ {printf "%.0f", $2 / 1048576}')
  libnbd=$(dpkg-query -W -f='${Version}' libnbd0 2>/dev/null || echo "?")
  echo "<!-- nbd-bench:begin (written by bench/nbd.sh) -->"
  echo "## NBD: Netroot's server against qemu-nbd (issue 14)"
  echo
  echo "\`bench/nbd.sh\` on $STARTED UTC, commit \`$COMMIT\`, $(nproc) CPUs ($(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo)),"
  echo "load average $LOAD0 at the start and $LOAD1 at the end (the machine is shared: the spread below is partly"
  echo "other people's work; the ratios, each pair measured back to back, are what to compare)."
  echo "Both servers on loopback exporting **the same file**: a $MIB MiB raw volume of random data on **$FSTYPE**"
  echo "(\`$DIR\`), so the numbers are the servers' code paths and the page cache, not a disk. Netroot: \`netroot serve"
  echo "--dhcp off --nbd-port 0\` (the launcher's JVM settings: heap $heap0 MiB at first, up to $heap MiB here), the volume made"
  echo "with \`volume create disk --from FILE\`, its client \`pc\` with the reserved address 127.0.0.1 (NBD serves a client's"
  echo "volume only at its own address), export \`disk\`. qemu-nbd $(qemu-nbd --version | head -1 | awk '{print $2}'): \`qemu-nbd -f raw -r -x disk"
  echo "--persistent\` on the volume's own file (\`data/volumes/disk.img\`; read-only, its defaults otherwise: cache=writeback,"
  echo "aio=threads, so both read through the page cache). Client for both: $(fio --version)'s nbd engine (libnbd $libnbd), one"
  echo "connection; structured replies, as libnbd asks for them. Before the runs \`qemu-img compare\` read each whole export"
  echo "and found it identical to the file. ${SECS} s per run; $REPS runs per server alternating which goes first, after an"
  echo "untimed warm-up; cells are medians of the runs, the ratio is the median of the per-pair ratios (Netroot / qemu-nbd)."
  echo "fio locally on the file (buffered: tmpfs has no O_DIRECT) is the limit: the copy from the page cache; median of $FIO_REPS."
  echo
  echo "| Measure | Netroot | qemu-nbd | Netroot / qemu-nbd | fio, local (the limit) |"
  echo "|---|---|---|---|---|"
  local r; for r in "${ROWS[@]}"; do echo "| ${r//|/ | } |"; done
  echo
  echo "Netroot's resident memory: $(mib "$RSS_START_KB") MiB right after start, peak $(mib "$HWM_KB") MiB (VmRSS $(mib "$RSS_KB") MiB) at the end;"
  echo "qemu-nbd's peak $(mib "$QN_HWM_KB") MiB. The server recorded $EVENTS NBD_CONNECT events (fio's nbd engine connects once to"
  echo "learn the size, then for the run)."
  echo
  echo "The whole run took $(fmt "$(calc "$T_END - $T_START")" 0) s (set-up and the compares $(fmt "$(calc "$T_SETUP - $T_START")" 0) s)."
  echo "Every run (Netroot vs qemu-nbd; CPU seconds user+system: the server's all threads, fio's):"
  echo
  cat "$W/samples.md"
  echo "<!-- nbd-bench:end -->"
}
section >"$W/section.md"
cat "$W/section.md"
write_section nbd-bench "$W/section.md" "$OUT"
