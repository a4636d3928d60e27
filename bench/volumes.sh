#!/usr/bin/env bash
# Volumes benchmark (issue 12): golden images and their qcow2 overlays against raw files, over iSCSI
# from the same client, in one run on one machine:
#   - sequential (128 KiB) and 4 KiB random reads of an overlay over untouched golden data vs the raw
#     golden file itself (libiscsi's iscsi-perf; target: overlay >= 0.9x raw);
#   - 4 KiB random writes to a fresh overlay vs a fresh raw volume (org.netroot.server.bench.
#     IscsiRandomWrites on the test initiator: no stock tool writes through libiscsi here; target >= 0.5x);
#   - `qemu-img bench` on the same kinds of files locally, as the format's own limit;
#   - 50 overlays of the 4 GiB golden image through one control-API connection (org.netroot.server.bench.
#     OverlayClones; target: under 2 s in total), and `netroot volume clone` per call for comparison.
# A real `netroot serve` on loopback (ports from the OS, --dhcp off: no root needed), set up through the
# CLI. Each measurement alternates the two sides, REPS times, after an untimed warm-up; medians reported.
# Writes its section of docs/benchmarks.md (between volumes-bench markers; bench/run.sh keeps it).
#
#   bench/volumes.sh                                   # data folder on tmpfs (/dev/shm), about 4 minutes
#   BENCH_VOLUMES_DIR=/var/tmp bench/volumes.sh        # on a disk: page cache and disk in the numbers
#   BENCH_VOLUMES_REPS=5 BENCH_VOLUMES_SECONDS=10 BENCH_VOLUMES_OUT=/tmp/v.md bench/volumes.sh
#
# Knobs: BENCH_VOLUMES_DIR (/dev/shm), _REPS (3), _SECONDS (5 per iSCSI run), _DEPTH (32 commands in
# flight), _GIB (4, the golden image, all of it random data), _CLONES (50), _QEMU_COUNT (30000 requests
# per qemu-img bench run), _OUT (docs/benchmarks.md; /dev/null for none), BENCH_KEEP=1 keeps the folder.
# Needs: iscsi-perf (Debian: libiscsi-bin), qemu-img (qemu-utils), a JDK 21+. Peak space in the folder:
# the golden image twice while importing, then the golden image plus one written overlay (at most the
# golden image's size; with the subclusters of Netroot's overlays, 4 KiB per 4 KiB written).
set -euo pipefail
REPO=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
. "$REPO/scripts/java-env.sh"
DIR=${BENCH_VOLUMES_DIR:-/dev/shm}
REPS=${BENCH_VOLUMES_REPS:-3}
SECS=${BENCH_VOLUMES_SECONDS:-5}
DEPTH=${BENCH_VOLUMES_DEPTH:-32}
GIB=${BENCH_VOLUMES_GIB:-4}
CLONES=${BENCH_VOLUMES_CLONES:-50}
QCOUNT=${BENCH_VOLUMES_QEMU_COUNT:-30000}
OUT=${BENCH_VOLUMES_OUT:-$REPO/docs/benchmarks.md}
SIZE=$((GIB << 30))
WARM_SECS=2
for t in iscsi-perf qemu-img; do
  command -v "$t" >/dev/null || { echo "bench/volumes.sh: needs $t (Debian: libiscsi-bin, qemu-utils)" >&2; exit 1; }
done

BENCH_NAME=volumes-bench
. "$(dirname "$(readlink -f "$0")")/lib.sh"
HZ=$(getconf CLK_TCK)

CORE="$REPO/server-core/target"
if [ ! -d "$CORE/lib" ] || [ ! -d "$CORE/test-classes/org/netroot/server/bench" ] || \
   [ -n "$(find "$REPO/server-core/src" "$REPO/pom.xml" "$REPO/server-core/pom.xml" -newer "$CORE/lib" -print -quit 2>/dev/null)" ]; then
  log "building server-core and its bench mains (./mvnw -B -q -DskipTests package -pl server-core -am)"
  (cd "$REPO" && ./mvnw -B -q -DskipTests package -pl server-core -am) >&2
  touch "$CORE/lib"
fi
JAVA=("$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED)
NETROOT=("${JAVA[@]}" -cp "$CORE/classes:$CORE/lib/*" org.netroot.server.cli.NetrootCli)
BENCH_CP="$CORE/test-classes:$CORE/classes:$CORE/lib/*"
COMMIT=$(git -C "$REPO" rev-parse --short HEAD)$(git -C "$REPO" diff --quiet HEAD -- server-core bench || echo ' + uncommitted changes')

mkdir -p "$DIR"
W=$(mktemp -d "$DIR/netroot-volumes-bench.XXXXXX")
FSTYPE=$(stat -f -c %T "$W")
DATA="$W/data"
V="$DATA/volumes"
SERVER_PID=""
cleanup() {
  local rc=$?
  set +e
  if [ -n "$SERVER_PID" ]; then
    kill "$SERVER_PID" 2>/dev/null
    for _ in $(seq 1 40); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.25; done
    kill -9 "$SERVER_PID" 2>/dev/null
  fi
  if [ "${BENCH_KEEP:-0}" = 1 ]; then log "kept $W"; else rm -rf "$W"; fi
  exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM
iqn() { echo "iqn.2026-01.org.netroot:$1"; }
initiator() { echo "iqn.2026-01.org.netroot:initiator:$1"; }
MACN=0
volume_client() { # volume: a client of the same name booting it, so its iSCSI target exists (CHAP off)
  MACN=$((MACN + 1))
  nr client add "$1" --mac "$(printf '02:6e:76:00:00:%02x' "$MACN")" --volume "$1" --no-chap # iscsi-perf logs in without CHAP
}

run_started

# ---------------------------------------------------------------- golden data and the server
log "writing a ${GIB} GiB golden image of random data in $W ($FSTYPE)"
head -c $((64 << 20)) /dev/urandom >"$W/chunk"
for _ in $(seq 1 $((GIB * 16))); do cat "$W/chunk"; done >"$W/golden-source.img"
rm -f "$W/chunk"
mkdir -p "$DATA"
"${NETROOT[@]}" serve --data "$DATA" --dhcp off --tftp-port 0 --http-port 0 --iscsi-port 0 --nbd-port 0 --control-port 0 \
  >"$W/serve.log" 2>&1 &
SERVER_PID=$!
await_server "$W/serve.log" "$SERVER_PID"
PORT=$(awk '/iSCSI portal listening/ {print $NF; exit}' "$W/serve.log")
[ -n "$PORT" ] || die "no iSCSI port in the server's log"
log "server up (pid $SERVER_PID, iSCSI on port $PORT); creating volumes through the CLI"

nr volume create golden --from "$W/golden-source.img"
rm -f "$W/golden-source.img"
nr volume golden golden
nr volume clone golden overlay
volume_client golden
volume_client overlay
nr volume clone golden qemu-overlay   # never attached: qemu-img reads it and copies it fresh for writes
# the cluster size and L2 layout Netroot creates, read from an overlay it made (the write patterns follow it)
QINFO=$(qemu-img info --output=json "$V/qemu-overlay.qcow2")
CLUSTER=$(echo "$QINFO" | awk -F': ' '/"cluster-size"/ {gsub(/[^0-9]/, "", $2); print $2; exit}')
[ -n "$CLUSTER" ] || die "no cluster-size in qemu-img info of a Netroot overlay"
CLUSTER_KIB=$((CLUSTER / 1024))
if echo "$QINFO" | grep -q '"extended-l2": true'; then
  LAYOUT="$CLUSTER_KIB KiB clusters of 32 subclusters of $((CLUSTER_KIB / 32)) KiB (extended L2 entries)"
  FIRST_WRITE="reserves a new $CLUSTER_KIB KiB cluster and writes only the subclusters it touches, copying nothing"
else
  LAYOUT="$CLUSTER_KIB KiB clusters (standard L2 entries)"
  FIRST_WRITE="allocates a $CLUSTER_KIB KiB cluster and copies the rest of it from the golden image"
fi
# qemu-img bench has no random mode: sequential with a step of one cluster + 4 KiB, so every request
# falls in a cluster of its own (a fresh overlay allocates on every write, as random writes over a
# large disk mostly do) and stays 4 KiB-aligned
QSTEP=$((CLUSTER + 4096))
QSTEP_KIB=$((QSTEP / 1024))
log "Netroot's overlays: $LAYOUT"
T_SETUP=$EPOCHREALTIME

# ---------------------------------------------------------------- iSCSI reads
# prints "iops server_cpu_seconds"
perf_once() { # client seconds blocks_per_request random(0|1)
  local c=$1 s=$2 b=$3 r=() c0 c1 out
  [ "$4" = 1 ] && r=(-r)
  c0=$(ticks "$SERVER_PID")
  out=$(timeout $((s + 60)) iscsi-perf -i "$(initiator "$c")" -m "$DEPTH" -b "$b" -t "$s" "${r[@]}" \
    "iscsi://127.0.0.1:$PORT/$(iqn "$c")/0" 2>&1 | tr '\r' '\n') || die "iscsi-perf on $c failed: $(echo "$out" | tail -3)"
  c1=$(ticks "$SERVER_PID")
  echo "$out" | grep -q '^finished' || die "iscsi-perf on $c did not finish: $(echo "$out" | tail -3)"
  echo "$(echo "$out" | awk '/iops average/ {v = $3} END {print v}') $(calc "($c1 - $c0) / $HZ")"
}
ROWS=()
NOTES=()
# runs REPS pairs alternating the order; sets A_IOPS B_IOPS RATIOS (B/A per pair) and samples lines
pairs() { # label fn_a args_a... -- fn_b args_b...
  local label=$1; shift
  local a=() b=() seen=0 x
  for x in "$@"; do if [ "$x" = -- ]; then seen=1; elif [ $seen = 0 ]; then a+=("$x"); else b+=("$x"); fi; done
  A_IOPS=(); B_IOPS=(); RATIOS=()
  local i ra rb line=""
  for i in $(seq 1 "$REPS"); do
    if [ $((i % 2)) = 1 ]; then ra=$("${a[@]}"); rb=$("${b[@]}"); else rb=$("${b[@]}"); ra=$("${a[@]}"); fi
    read -r ia ca <<<"$ra"; read -r ib cb <<<"$rb"
    A_IOPS+=("$ia"); B_IOPS+=("$ib"); RATIOS+=("$(calc "$ib / $ia")")
    if [ "$ca" = - ]; then line+=" rep $i: $ia vs $ib IOPS;"; else line+=" rep $i: $ia vs $ib IOPS (server CPU $ca s vs $cb s);"; fi
    log "$label rep $i: $ia vs $ib IOPS"
  done
  echo "- $label:${line%;}" >>"$W/samples.md"
}
verdict() { awk -v r="$1" -v t="$2" 'BEGIN {print (r + 0 >= t + 0) ? "**met**" : "**missed**"}'; }
iops_cell() { # iops... ; bytes per request -> "median IOPS (MiB/s)"
  local bytes=$1; shift
  local m; m=$(printf '%s\n' "$@" | median)
  echo "$(fmt "$m" 0) IOPS ($(fmt "$(calc "$m * $bytes / 1048576")" 1) MiB/s)"
}

log "iSCSI reads: warm-up, then $REPS x ${SECS} s per side, $DEPTH in flight"
for c in golden overlay; do perf_once "$c" "$WARM_SECS" 256 0 >/dev/null; perf_once "$c" "$WARM_SECS" 8 1 >/dev/null; done
pairs "sequential 128 KiB reads, golden raw vs overlay" perf_once golden "$SECS" 256 0 -- perf_once overlay "$SECS" 256 0
r=$(printf '%s\n' "${RATIOS[@]}" | median)
ROWS+=("Sequential reads, 128 KiB, $DEPTH in flight|$(iops_cell 131072 "${B_IOPS[@]}")|$(iops_cell 131072 "${A_IOPS[@]}")|$(fmt "$r")×|≥ 0.9×|$(verdict "$r" 0.9)")
pairs "random 4 KiB reads, golden raw vs overlay" perf_once golden "$SECS" 8 1 -- perf_once overlay "$SECS" 8 1
r=$(printf '%s\n' "${RATIOS[@]}" | median)
ROWS+=("Random reads, 4 KiB, $DEPTH in flight|$(iops_cell 4096 "${B_IOPS[@]}")|$(iops_cell 4096 "${A_IOPS[@]}")|$(fmt "$r")×|≥ 0.9×|$(verdict "$r" 0.9)")

# ---------------------------------------------------------------- iSCSI writes, each run on fresh volumes
# The overlay side is one overlay with its client, emptied with `volume reset` after each run; the raw
# side a fresh sparse raw volume per run (its client and it removed after the run). Retries: the server
# lets a volume go a moment after the session's socket closed.
nr_retry() { local i; for i in $(seq 1 20); do timeout 300 "${NETROOT[@]}" "$@" --data "$DATA" >>"$W/cli.log" 2>&1 && return 0; sleep 0.25; done; tail -5 "$W/cli.log" >&2; die "netroot $* failed"; }
nr volume clone golden wovl
volume_client wovl
RAW_N=0
fresh_raw() { RAW_N=$((RAW_N + 1)); nr volume create "wraw-$RAW_N" --size "${GIB}G" --format raw; volume_client "wraw-$RAW_N"; }
writes_once() { # raw|ovl pattern seconds -> "iops server_cpu note"
  local v c0 c1 out note
  if [ "$1" = raw ]; then v="wraw-$RAW_N"; else v=wovl; fi
  c0=$(ticks "$SERVER_PID")
  out=$(timeout $(($3 + 60)) "${JAVA[@]}" -cp "$BENCH_CP" org.netroot.server.bench.IscsiRandomWrites "$PORT" \
    "$(initiator "$v")" "$(iqn "$v")" "$SIZE" "$3" "$DEPTH" "$2" 2>&1) || die "random writes to $v failed: $out"
  c1=$(ticks "$SERVER_PID")
  note=$(echo "$out" | awk '/^writes/ {printf "%s %s writes in %s s", v, $2, $4}' v="$1")
  if [ "$1" = raw ]; then
    nr_retry client remove "$v"; nr_retry volume remove "$v"
  else
    note+=", grew to $(du -m "$V/wovl.qcow2" | cut -f1) MiB"
    nr_retry volume reset wovl
  fi
  echo "$(echo "$out" | awk '/^writes/ {printf "%.1f", $6}') $(calc "($c1 - $c0) / $HZ") $note"
}
write_pairs() { # pattern label (by hand, not through pairs: the raw volume is made before each pair)
  local i ra rb ia ib ca cb na nb line=""
  A_IOPS=(); B_IOPS=(); RATIOS=()
  for i in $(seq 1 "$REPS"); do
    fresh_raw
    if [ $((i % 2)) = 1 ]; then ra=$(writes_once raw "$1" "$SECS"); rb=$(writes_once ovl "$1" "$SECS")
    else rb=$(writes_once ovl "$1" "$SECS"); ra=$(writes_once raw "$1" "$SECS"); fi
    read -r ia ca na <<<"$ra"; read -r ib cb nb <<<"$rb"
    A_IOPS+=("$ia"); B_IOPS+=("$ib"); RATIOS+=("$(calc "$ib / $ia")")
    line+=" rep $i: $ia vs $ib IOPS (server CPU $ca s vs $cb s; $na; $nb);"
    log "$2 rep $i: raw $ia vs overlay $ib IOPS ($nb)"
  done
  echo "- $2, fresh raw vs fresh overlay:${line%;}" >>"$W/samples.md"
}
log "iSCSI writes: warm-up, then $REPS x ${SECS} s per side and pattern on fresh volumes, $DEPTH in flight"
fresh_raw; writes_once raw uniform "$WARM_SECS" >/dev/null; writes_once ovl uniform "$WARM_SECS" >/dev/null
write_pairs uniform "random 4 KiB writes, uniform over the disk"
r=$(printf '%s\n' "${RATIOS[@]}" | median)
ROWS+=("Random writes, 4 KiB, uniform over the disk, $DEPTH in flight, fresh volumes|$(iops_cell 4096 "${B_IOPS[@]}")|$(iops_cell 4096 "${A_IOPS[@]}")|$(fmt "$r")×|≥ 0.5×|$(verdict "$r" 0.5)")
write_pairs new-clusters "random 4 KiB writes, each to a new $CLUSTER_KIB KiB cluster"
r=$(printf '%s\n' "${RATIOS[@]}" | median)
ROWS+=("Random writes, 4 KiB, each to a cluster not yet written (every overlay write allocates), fresh volumes|$(iops_cell 4096 "${B_IOPS[@]}")|$(iops_cell 4096 "${A_IOPS[@]}")|$(fmt "$r")×|≥ 0.5×|$(verdict "$r" 0.5)")
ISCSI_WRITE_OVL=$(printf '%s\n' "${B_IOPS[@]}" | median)
T_ISCSI=$EPOCHREALTIME

# ---------------------------------------------------------------- qemu-img bench, locally on the files
qbench_once() { # format file write(0|1) -> "iops -"
  local w=() out secs
  [ "$3" = 1 ] && w=(-w --pattern=165)
  out=$(timeout 300 qemu-img bench -f "$1" -t writeback -c "$QCOUNT" -d "$DEPTH" -s 4096 -S "$QSTEP" "${w[@]}" "$2" 2>&1) \
    || die "qemu-img bench on $2 failed: $out"
  secs=$(echo "$out" | awk '/Run completed in/ {print $4}')
  echo "$(fmt "$(calc "$QCOUNT / $secs")" 0) -"
}
fresh_qemu_overlay() { # a byte copy of the fresh, never-attached Netroot overlay, backing path made absolute
  cp --sparse=always "$V/qemu-overlay.qcow2" "$W/q-fresh.qcow2"
  qemu-img rebase -u -f qcow2 -b "$V/golden.img" -F raw "$W/q-fresh.qcow2"
}
q_write_raw() { rm -f "$W/q-fresh.img"; truncate -s "$SIZE" "$W/q-fresh.img"; qbench_once raw "$W/q-fresh.img" 1; rm -f "$W/q-fresh.img"; }
q_write_ovl() { fresh_qemu_overlay; qbench_once qcow2 "$W/q-fresh.qcow2" 1; rm -f "$W/q-fresh.qcow2"; }
log "qemu-img bench: $QCOUNT requests of 4 KiB, $DEPTH in flight, step $QSTEP, $REPS x per side"
qbench_once raw "$V/golden.img" 0 >/dev/null   # warm-up (page cache, if on a disk)
pairs "qemu-img bench reads, golden raw vs Netroot overlay" qbench_once raw "$V/golden.img" 0 -- qbench_once qcow2 "$V/qemu-overlay.qcow2" 0
r=$(printf '%s\n' "${RATIOS[@]}" | median)
ROWS+=("\`qemu-img bench\` reads, 4 KiB, step $QSTEP_KIB KiB, local|$(iops_cell 4096 "${B_IOPS[@]}")|$(iops_cell 4096 "${A_IOPS[@]}")|$(fmt "$r")×|(the format's own limit)|—")
pairs "qemu-img bench writes, fresh raw vs fresh overlay" q_write_raw -- q_write_ovl
r=$(printf '%s\n' "${RATIOS[@]}" | median)
Q_WRITE_OVL=$(printf '%s\n' "${B_IOPS[@]}" | median)
ROWS+=("\`qemu-img bench -w\` writes, 4 KiB, step $QSTEP_KIB KiB, local, fresh files|$(iops_cell 4096 "${B_IOPS[@]}")|$(iops_cell 4096 "${A_IOPS[@]}")|$(fmt "$r")×|(the format's own limit)|—")

# ---------------------------------------------------------------- 50 overlays
log "cloning the golden image $CLONES times through one API connection, $REPS times"
TOTALS=(); MEDIANS=(); line=""
for i in $(seq 1 "$REPS"); do
  out=$(timeout 300 "${JAVA[@]}" -cp "$BENCH_CP" org.netroot.server.bench.OverlayClones "$DATA" golden "$CLONES" "c$i-" 2>&1) \
    || die "cloning failed: $out"
  read -r _ total _ med _ max <<<"$(echo "$out" | grep '^total_ms')"
  TOTALS+=("$total"); MEDIANS+=("$med"); line+=" batch $i: $total ms (median $med ms, max $max ms per clone);"
  log "batch $i: $CLONES overlays in $total ms"
done
echo "- $CLONES overlays through one API connection:${line%;}" >>"$W/samples.md"
CLI_MS=()
for i in 1 2 3; do
  t0=$EPOCHREALTIME; nr volume clone golden "cli-$i"; CLI_MS+=("$(calc "($EPOCHREALTIME - $t0) * 1000")")
done
echo "- \`netroot volume clone\` one call each (JVM start included): ${CLI_MS[*]} ms" >>"$W/samples.md"
CLONE_TOTAL=$(printf '%s\n' "${TOTALS[@]}" | median)
CLONE_MED=$(printf '%s\n' "${MEDIANS[@]}" | median)
CLI_MED=$(printf '%s\n' "${CLI_MS[@]}" | median)
ONDISK=$(du -k "$V/c1-1.qcow2" | cut -f1)
T_END=$EPOCHREALTIME
LOAD1=$(cut -d' ' -f1-3 /proc/loadavg)

# ---------------------------------------------------------------- report
section() {
  echo "<!-- volumes-bench:begin (written by bench/volumes.sh) -->"
  echo "## Volumes: golden images and overlays (issue 12)"
  echo
  echo "\`bench/volumes.sh\` on $STARTED UTC, commit \`$COMMIT\`, $(nproc) CPUs ($(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo)),"
  echo "load average $LOAD0 at the start and $LOAD1 at the end (the machine is shared: the spread below is"
  echo "partly other people's work; the ratios, each side measured back to back, are what to compare)."
  echo "A real \`netroot serve\` on loopback (\`--dhcp off\`, ports from the OS); data folder on **$FSTYPE**"
  echo "(\`$DIR\`) for both sides, so the numbers are the code paths and the page cache, not a disk."
  echo "Golden image: a ${GIB} GiB raw volume, every byte random data (\`volume create --from\`, then"
  echo "\`volume golden\`); overlays made with \`volume clone\`; each volume booted by a client of its own"
  echo "(its iSCSI target, CHAP off). Client on the same machine: libiscsi's \`iscsi-perf\` for reads,"
  echo "\`org.netroot.server.bench.IscsiRandomWrites\` (one session, WRITE(10) with immediate data, 4 KiB-aligned"
  echo "offsets, random bytes) for writes, in two patterns: uniform over the disk (on a fresh overlay the share of"
  echo "writes that allocate falls during the run: see how far each overlay grew, below), and one write per"
  echo "cluster in random order (every overlay write allocates: the worst case). Netroot's overlays have $LAYOUT:"
  echo "the first write into a cluster $FIRST_WRITE. $DEPTH commands in flight, ${SECS} s per run,"
  echo "$REPS runs per side alternating which side goes first, after an untimed warm-up; cells are medians of"
  echo "the runs, the ratio is the median of the per-pair ratios (overlay / raw). Each write run gets a fresh"
  echo "sparse raw volume (removed afterwards) or an empty overlay (\`volume reset\` after each run). \`iscsi-perf -r\` draws 512-byte LBAs, so its 4 KiB"
  echo "reads are not 4 KiB-aligned (about 1 in $(( (CLUSTER / 512 + 3) / 7 )) spans two $CLUSTER_KIB KiB qcow2 clusters), for both sides alike."
  echo "\`qemu-img bench\` (QEMU $(qemu-img --version | head -1 | awk '{print $3}'), \`-t writeback\`, $QCOUNT requests) has"
  echo "no random mode: it runs sequentially with a step of $QSTEP_KIB KiB (\`-S $QSTEP\`), one request per $CLUSTER_KIB KiB"
  echo "cluster, on the golden raw file and a never-attached Netroot overlay (reads), and on a fresh sparse raw"
  echo "file and a byte copy of a fresh Netroot overlay (writes; backing path made absolute with"
  echo "\`qemu-img rebase -u\`). It is local (no iSCSI, no network), so compare its **ratio** with Netroot's."
  echo
  echo "| Measure | overlay (qcow2) | raw | overlay / raw | target | verdict |"
  echo "|---|---|---|---|---|---|"
  local row; for row in "${ROWS[@]}"; do echo "| ${row//|/ | } |"; done
  echo
  echo "Writes that each allocate a cluster of a fresh overlay: Netroot over iSCSI $(fmt "$ISCSI_WRITE_OVL" 0) IOPS,"
  echo "\`qemu-img bench -w\` locally (one write per cluster too) $(fmt "$Q_WRITE_OVL" 0) IOPS: Netroot $(fmt "$(calc "$ISCSI_WRITE_OVL / $Q_WRITE_OVL")")× QEMU's, with iSCSI"
  echo "and loopback TCP on Netroot's side only."
  echo
  echo "| Overlays of the ${GIB} GiB golden image | Netroot | target | verdict |"
  echo "|---|---|---|---|"
  echo "| $CLONES × \`cloneVolume\` through one control-API connection (median of $REPS batches) | $(fmt "$CLONE_TOTAL" 0) ms in total, $(fmt "$CLONE_MED" 1) ms per clone (median) | < 2000 ms in total | $(awk -v t="$CLONE_TOTAL" 'BEGIN {print (t < 2000) ? "**met**" : "**missed**"}') |"
  echo "| \`netroot volume clone\` from the shell, one call (JVM start included; median of 3) | $(fmt "$CLI_MED" 0) ms | | |"
  echo
  echo "A fresh overlay file takes $ONDISK KiB. The whole run took $(fmt "$(calc "$T_END - $T_START")" 0) s (set-up through the CLI $(fmt "$(calc "$T_SETUP - $T_START")" 0) s,"
  echo "iSCSI $(fmt "$(calc "$T_ISCSI - $T_SETUP")" 0) s). Every run (IOPS raw vs overlay; server CPU seconds, user+system, all threads):"
  echo
  cat "$W/samples.md"
  echo "<!-- volumes-bench:end -->"
}
section >"$W/section.md"
cat "$W/section.md"
write_section volumes-bench "$W/section.md" "$OUT"
