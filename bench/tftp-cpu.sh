#!/usr/bin/env bash
# Server CPU per TFTP block, Netroot vs dnsmasq, lock-step (no windowsize) on loopback: both servers
# serve the same file from tmpfs, atftp fetches it to /dev/null, alternating between the servers; the
# server's utime+stime (/proc/PID/stat, clock ticks, all threads) before and after each transfer.
#
#   bench/tftp-cpu.sh                     # blksize 1468 and 512, 3 warm-ups + 7 repetitions each
#   TFTP_CPU_REPS=5 TFTP_CPU_BLKSIZES="1468" TFTP_CPU_SIZE_MIB=64 bench/tftp-cpu.sh
#
# Prints one line per repetition and per block size the median, min and max of ticks per 1000 blocks
# and of the transfer time, and writes its section of docs/benchmarks.md (TFTP_CPU_OUT=FILE elsewhere,
# /dev/null for none; bench/run.sh keeps the section). Needs: atftp, dnsmasq, a built server-core (./mvnw -DskipTests package).
# Runs as root in a network namespace of its own (dnsmasq's TFTP port is always 69); the JIT warms up in
# the untimed transfers first.
set -euo pipefail
if [ -z "${TFTP_CPU_IN_NS:-}" ]; then
  [ "$(id -u)" = 0 ] || { echo "bench/tftp-cpu.sh: run as root (own network namespace, dnsmasq on port 69)" >&2; exit 1; }
  TFTP_CPU_IN_NS=1 exec unshare --net -- "$0" "$@"
fi
ip link set lo up

REPO=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
REPS=${TFTP_CPU_REPS:-7}
WARM=${TFTP_CPU_WARMUPS:-3}
BLKSIZES=${TFTP_CPU_BLKSIZES:-1468 512}
SIZE_MIB=${TFTP_CPU_SIZE_MIB:-64}
BASE=$(( 20000 + $$ % 20000 ))
P_DNSMASQ=69; P_NETROOT=$((BASE + 1)); P_HTTP=$((BASE + 2)); P_ISCSI=$((BASE + 3))
HZ=$(getconf CLK_TCK)
W=$(mktemp -d /dev/shm/netroot-tftp-cpu.XXXXXX)
PIDS=()

cleanup() {
  local p
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  sleep 0.3
  for p in "${PIDS[@]}"; do kill -9 "$p" 2>/dev/null || true; done
  rm -rf "$W"
}
trap cleanup EXIT

if [ -z "${JAVA_HOME:-}" ] && [ -f "$REPO/scripts/java-env.sh" ]; then . "$REPO/scripts/java-env.sh"; fi
CORE="$REPO/server-core/target"
[ -d "$CORE/classes" ] && [ -d "$CORE/lib" ] || { echo "build first: ./mvnw -B -q -DskipTests package" >&2; exit 1; }

head -c "$((SIZE_MIB * 1024 * 1024))" /dev/urandom >"$W/big.bin"
SIZE=$(stat -c %s "$W/big.bin")

dnsmasq --no-daemon --conf-file=/dev/null --port=0 --enable-tftp --tftp-root="$W" \
  --interface=lo --bind-interfaces --pid-file= --log-facility="$W/dnsmasq.syslog" >"$W/dnsmasq.log" 2>&1 &
PID_DNSMASQ=$!; PIDS+=("$PID_DNSMASQ")
mkdir -p "$W/data"
"$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -cp "$CORE/classes:$CORE/lib/*" org.netroot.server.cli.NetrootCli \
  serve --data "$W/data" --dhcp off --boot-files "$W" --tftp-port "$P_NETROOT" --http-port "$P_HTTP" \
  --iscsi-port "$P_ISCSI" --nbd-port 0 --control-port 0 >"$W/netroot.log" 2>&1 &
PID_NETROOT=$!; PIDS+=("$PID_NETROOT")
for _ in $(seq 1 120); do grep -q '^Netroot ready' "$W/netroot.log" && break; sleep 0.25; done
grep -q '^Netroot ready' "$W/netroot.log" || { tail -20 "$W/netroot.log" >&2; exit 1; }

ticks() { awk '{sub(/.*\) /, ""); print $12 + $13}' "/proc/$1/stat"; }
fetch() { # port blksize -> prints "seconds ticks"
  local port=$1 blk=$2 pid t0 t1 c0 c1
  if [ "$port" = "$P_NETROOT" ]; then pid=$PID_NETROOT; else pid=$PID_DNSMASQ; fi
  c0=$(ticks "$pid"); t0=$EPOCHREALTIME
  atftp --option "blksize $blk" -g -r big.bin -l /dev/null 127.0.0.1 "$port" >"$W/atftp.log" 2>&1 \
    || { echo "atftp from port $port failed: $(cat "$W/atftp.log")" >&2; exit 1; }
  t1=$EPOCHREALTIME; c1=$(ticks "$pid")
  echo "$(awk -v a="$t0" -v b="$t1" 'BEGIN {printf "%.3f", b - a}') $((c1 - c0))"
}
stats() { sort -g | awk '{a[NR]=$1} END {m = NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2; printf "median %.2f (min %.2f, max %.2f)", m, a[1], a[NR]}'; }

HEADLINE="TFTP server CPU per block, ${SIZE_MIB} MiB file on tmpfs, atftp to /dev/null over loopback, $HZ ticks/s, commit $(git -C "$REPO" rev-parse --short HEAD)$(git -C "$REPO" diff --quiet HEAD -- server-core || echo ' + changes')"
echo "$HEADLINE"
: >"$W/summary.md"
for blk in $BLKSIZES; do
  blocks=$(( SIZE / blk + 1 ))
  for _ in $(seq 1 "$WARM"); do fetch "$P_NETROOT" "$blk" >/dev/null; fetch "$P_DNSMASQ" "$blk" >/dev/null; done
  : >"$W/nr.txt"; : >"$W/ref.txt"
  for i in $(seq 1 "$REPS"); do
    read -r ns nt < <(fetch "$P_NETROOT" "$blk")
    read -r ds dt < <(fetch "$P_DNSMASQ" "$blk")
    echo "$ns $nt" >>"$W/nr.txt"; echo "$ds $dt" >>"$W/ref.txt"
    echo "  blksize $blk rep $i: Netroot ${ns}s ${nt} ticks, dnsmasq ${ds}s ${dt} ticks"
  done
  per() { awk -v b="$blocks" '{printf "%.3f\n", $2 * 1000 / b}' "$1"; }
  cpu_line="ticks/1000 blocks Netroot $(per "$W/nr.txt" | stats), dnsmasq $(per "$W/ref.txt" | stats)"
  time_line="seconds Netroot $(cut -d' ' -f1 "$W/nr.txt" | stats), dnsmasq $(cut -d' ' -f1 "$W/ref.txt" | stats)"
  # the median of the per-repetition ratios: each pair ran back to back, so a noisy moment hits both
  ratio=$(paste -d' ' "$W/nr.txt" "$W/ref.txt" | awk '$4 > 0 {print $2 / $4}' | stats | awk '{print $2}')
  echo "blksize $blk ($blocks blocks): $cpu_line"
  echo "blksize $blk: $time_line"
  echo "blksize $blk: Netroot CPU / dnsmasq CPU, median of the repetitions' ratios: $ratio"
  echo "| $blk | $ratio | $cpu_line | $time_line |" >>"$W/summary.md"
done

# its own section of docs/benchmarks.md (bench/run.sh keeps it), or TFTP_CPU_OUT=/dev/null
OUT=${TFTP_CPU_OUT:-$REPO/docs/benchmarks.md}
if [ "$OUT" != /dev/null ]; then
  {
    echo "<!-- tftp-cpu:begin (written by bench/tftp-cpu.sh) -->"
    echo "## Lock-step TFTP: server CPU per block, Netroot vs dnsmasq"
    echo
    echo "\`bench/tftp-cpu.sh\` on $(date -u '+%Y-%m-%d %H:%M') UTC: $HEADLINE. The servers alternate, $REPS"
    echo "repetitions after $WARM warm-ups each; CPU is the server process's utime+stime (all threads) around"
    echo "each transfer. Lock-step (no windowsize) is what BIOS PXE ROMs do. Load average at the end:"
    echo "$(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) CPUs (other work on the machine shows as the spread)."
    echo
    echo "| blksize | Netroot CPU / dnsmasq CPU (median of per-repetition ratios; target <= 1.0) | CPU ticks per 1000 blocks | transfer time |"
    echo "|---|---|---|---|"
    cat "$W/summary.md"
    echo "<!-- tftp-cpu:end -->"
  } >"$W/section.md"
  if [ -f "$OUT" ] && grep -q 'tftp-cpu:begin' "$OUT"; then
    awk -v f="$W/section.md" '/tftp-cpu:begin/ {while ((getline l < f) > 0) print l; skip=1; next}
         /tftp-cpu:end/ {skip=0; next} !skip' "$OUT" >"$W/out.md"
  else
    { [ -f "$OUT" ] && cat "$OUT" && echo; cat "$W/section.md"; } >"$W/out.md"
  fi
  cp "$W/out.md" "$OUT"
  echo "wrote $OUT"
fi
