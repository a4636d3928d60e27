#!/usr/bin/env bash
# Netroot benchmark: measures Netroot and the reference servers side by side in one run, in network
# namespaces this script creates (and removes on exit), and writes docs/benchmarks.md with the ratios.
#
#   sudo bench/run.sh            # everything (about 5-10 minutes on 2 cores)
#   BENCH_ONLY=tftp,http bench/run.sh
#   BENCH_ONLY=dhcp bench/run.sh  # the DHCP storm only (bench/dhcp.sh: perfdhcp vs Netroot, dnsmasq, Kea)
#   BENCH_ONLY=many bench/run.sh  # 200 simulated clients booting at once (bench/many.sh)
#   BENCH_ONLY=newuser bench/run.sh  # the new user path through the app (bench/new-user.sh; not in the default set)
#   BENCH_ONLY=kernel bench/run.sh   # kernel mode, power-on to the kernel's first line (bench/boot.sh; not in the default set)
#
# Knobs (environment): BENCH_ONLY (tftp,http,boot,dhcp,many,newuser,kernel; BENCH_DHCP_* in bench/dhcp.sh, BENCH_MANY_* in bench/many.sh, BENCH_BOOT_* in bench/boot.sh), BENCH_TFTP_REPS (5), BENCH_HTTP_REPS (9), BENCH_HTTP_GETS (8 GETs per sample),
# BENCH_BOOT_REPS (3), BENCH_SIZE_MIB (64), BENCH_OUT (docs/benchmarks.md).
#
# Topology (198.18.0.0/15, RFC 2544 benchmarking space, never leaves the namespaces):
#   client ns "C": bridge br0 198.18.0.10, atftp/curl run here
#     |- veth -> ns "N" eth0 198.18.0.1  Netroot (TFTP :69, HTTP :80), br1 198.18.2.1 + tap0 for QEMU
#     '- veth -> ns "R" eth0 198.18.0.2  dnsmasq TFTP, nginx :80,     br1 198.18.1.1 + tap0 for QEMU
# Each server has its own QEMU segment (br1), so Netroot's and dnsmasq's DHCP never see each other's
# client and the repetitions can alternate between the two without restarting anything.
set -euo pipefail

if [ "$(id -u)" != 0 ]; then
  echo "bench/run.sh: must run as root: it creates network namespaces, bridges and tap devices." >&2
  exit 1
fi

REPO=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
ONLY=${BENCH_ONLY:-tftp,http,boot,dhcp,many}
TFTP_REPS=${BENCH_TFTP_REPS:-5}
HTTP_REPS=${BENCH_HTTP_REPS:-9}
HTTP_GETS=${BENCH_HTTP_GETS:-8}
BOOT_REPS=${BENCH_BOOT_REPS:-3}
SIZE_MIB=${BENCH_SIZE_MIB:-64}
OUT=${BENCH_OUT:-$REPO/docs/benchmarks.md}
# the new user path alone needs none of the servers below and leaves the rest of the report as it is
if [ "$ONLY" = newuser ]; then exec env BENCH_NEWUSER_OUT="$OUT" "$REPO/bench/new-user.sh"; fi
# so does the kernel-mode boot (its own namespaces and servers)
if [ "$ONLY" = kernel ]; then exec env BENCH_BOOT_OUT="$OUT" "$REPO/bench/boot.sh"; fi
TAG="nrb$$"
W=$(mktemp -d /dev/shm/netroot-bench.XXXXXX)   # tmpfs: the disk is not part of what we measure
NS_C="${TAG}c"; NS_N="${TAG}n"; NS_R="${TAG}r"
NR_IP=198.18.0.1; REF_IP=198.18.0.2; CLIENT_IP=198.18.0.10
TGT_CTL=$(( 1000 + $$ % 8000 ))
MAC=52:54:00:00:00:01
# the lab's boot sector: reads LBA 1 through INT 13h, prints "LBA1: <text>" on COM1, writes LBA 2,
# prints "NETROOT-LAB DONE" and exits QEMU with status 33
BOOT_ASM="$REPO/server-core/src/test/resources/lab/bootsector.asm"
BOOT_MARK="NETROOT-LAB DONE"
LBA1_TEXT="NETROOT-BENCH-LBA1-OK"
PIDS=()
TGTD_PID=""

BENCH_NAME=bench
. "$(dirname "$(readlink -f "$0")")/lib.sh"
# kills what still runs in the given namespaces and removes them (the DHCP and many-clients parts)
ns_remove() {
  local ns p
  for ns in "$@"; do
    for p in $(ip netns pids "$ns" 2>/dev/null); do kill -9 "$p" 2>/dev/null; done
    ip netns del "$ns" 2>/dev/null
  done
  return 0
}
want() { [[ ",$ONLY," == *",$1,"* ]]; }
inns() { local ns=$1; shift; ip netns exec "$ns" "$@"; }

cleanup() {
  local rc=$?
  set +e
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null; done
  if [ -n "$TGTD_PID" ]; then
    tgtadm -C "$TGT_CTL" --op delete --mode system >/dev/null 2>&1
    kill "$TGTD_PID" 2>/dev/null; sleep 0.5; kill -9 "$TGTD_PID" 2>/dev/null  # tgtd may ignore SIGTERM
  fi
  sleep 0.5
  for p in "${PIDS[@]}"; do kill -9 "$p" 2>/dev/null; done
  # anything still running inside the namespaces we made (started by us, listed by id)
  for ns in "$NS_C" "$NS_N" "$NS_R" "${NS_DS:-}" "${NS_DP:-}" "${NS_MS:-}" "${NS_MC:-}"; do
    for p in $(ip netns pids "$ns" 2>/dev/null); do kill -9 "$p" 2>/dev/null; done
  done
  for ns in "$NS_C" "$NS_N" "$NS_R" "${NS_DS:-}" "${NS_DP:-}" "${NS_MS:-}" "${NS_MC:-}"; do ip netns del "$ns" 2>/dev/null; done
  rm -f "/var/run/tgtd/socket.$TGT_CTL" "/var/run/tgtd/socket.$TGT_CTL.lock"
  if [ "${BENCH_KEEP:-0}" = 1 ]; then log "kept $W"; else rm -rf "$W"; fi
  exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ---------------------------------------------------------------- tools, JDK, build
for t in ip atftp curl dnsmasq nginx tgtd tgtadm qemu-system-x86_64 nasm sha256sum; do
  command -v "$t" >/dev/null || die "missing tool '$t' (Debian: iproute2 atftp curl dnsmasq-base nginx-light tgt qemu-system-x86 ipxe-qemu nasm)"
done
TIME=/usr/bin/time
[ -x "$TIME" ] || die "missing /usr/bin/time (Debian package: time)"

java_version() { "$1/bin/java" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2; exit}'; }
find_jdk() {
  local c v
  for c in "${JAVA_HOME:-}" /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/*; do
    [ -n "$c" ] && [ -x "$c/bin/javac" ] || continue
    v=$(java_version "$c")
    if [ -n "$v" ] && [ "${v%%.*}" -ge 21 ] 2>/dev/null; then echo "$c"; return 0; fi
  done
  return 1
}
JAVA_HOME=$(find_jdk) || die "no JDK 21 or newer found (checked \$JAVA_HOME and /usr/lib/jvm/*): install one, e.g. Temurin 25, and retry"
export JAVA_HOME
CORE="$REPO/server-core/target"
if [ ! -d "$CORE/classes" ] || [ ! -d "$CORE/lib" ] || \
   [ -n "$(find "$REPO/server-core/src/main" "$REPO/pom.xml" "$REPO/server-core/pom.xml" -newer "$CORE/lib" -print -quit 2>/dev/null)" ]; then
  log "building Netroot (./mvnw -B -q -DskipTests package) with $JAVA_HOME"
  (cd "$REPO" && ./mvnw -B -q -DskipTests package) >"$W/build.log" 2>&1 || { tail -30 "$W/build.log" >&2; die "build failed"; }
  touch "$CORE/lib"
fi
NETROOT=("$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -cp "$CORE/classes:$CORE/lib/*" org.netroot.server.cli.NetrootCli)
COMMIT=$(git -C "$REPO" rev-parse --short HEAD 2>/dev/null || echo unknown)
if [ -n "$(git -C "$REPO" status --porcelain --untracked-files=no -- server-core pom.xml 2>/dev/null)" ]; then COMMIT+=" + uncommitted changes"; fi
MAIN_AT=$(git -C "$REPO" merge-base HEAD main 2>/dev/null | cut -c1-7 || true)
[ -n "$MAIN_AT" ] && [ "$MAIN_AT" != "${COMMIT%% *}" ] && COMMIT+=", contains main $MAIN_AT"

# ---------------------------------------------------------------- small helpers
now() { echo "$EPOCHREALTIME"; }
# CPU seconds (user+system, all threads) used so far by the given processes.
cpu_of() {
  local p t=0 v
  for p in "$@"; do
    [ -r "/proc/$p/stat" ] || continue
    v=$(awk '{sub(/.*\) /, ""); print $12 + $13}' "/proc/$p/stat")
    t=$((t + v))
  done
  calc "$t / $(getconf CLK_TCK)"
}
all_pids() { local p; for p in "$@"; do echo "$p"; pgrep -P "$p" || true; done; }

# the DHCP storm (its own two namespaces, created and removed by bench_dhcp)
. "$REPO/bench/dhcp.sh"
# 200 simulated clients (its own two namespaces)
. "$REPO/bench/many.sh"

# ---------------------------------------------------------------- namespaces
setup_net() {
  ip netns add "$NS_C"; ip netns add "$NS_N"; ip netns add "$NS_R"
  for ns in "$NS_C" "$NS_N" "$NS_R"; do ip -n "$ns" link set lo up; done
  ip -n "$NS_C" link add br0 type bridge
  ip -n "$NS_C" addr add "$CLIENT_IP/24" dev br0
  ip -n "$NS_C" link set br0 up
  local side ns ip
  for side in n r; do
    if [ $side = n ]; then ns=$NS_N; ip=$NR_IP; else ns=$NS_R; ip=$REF_IP; fi
    ip -n "$NS_C" link add "v$side" type veth peer name eth0 netns "$ns"
    ip -n "$NS_C" link set "v$side" master br0
    ip -n "$NS_C" link set "v$side" up
    ip -n "$ns" addr add "$ip/24" dev eth0
    ip -n "$ns" link set eth0 up
    # the QEMU client's own segment
    ip -n "$ns" link add br1 type bridge
    ip -n "$ns" addr add "198.18.$([ $side = n ] && echo 2 || echo 1).1/24" dev br1
    ip -n "$ns" link set br1 up
    inns "$ns" ip tuntap add dev tap0 mode tap
    ip -n "$ns" link set tap0 master br1
    ip -n "$ns" link set tap0 up
  done
}

# ---------------------------------------------------------------- test data
make_files() {
  mkdir -p "$W/files" "$W/out" "$W/tftp-boot"
  log "making a ${SIZE_MIB} MiB random file"
  head -c "$((SIZE_MIB * 1024 * 1024))" /dev/urandom >"$W/files/big.bin"
  BIG_SHA=$(sha256sum "$W/files/big.bin" | cut -d' ' -f1)
  head -c 4096 /dev/urandom >"$W/files/probe.bin"
  # boot disk: the lab's boot sector + text at LBA 1
  nasm -f bin -o "$W/boot.bin" "$BOOT_ASM"
  # 32 MiB: iPXE's INT 13h emulation guesses 255 heads x 63 sectors; a disk under one cylinder
  # (8 MiB) has zero cylinders and every CHS read of the MBR fails ("Input/output error").
  head -c $((32 * 1024 * 1024)) /dev/zero >"$W/disk.img"
  dd if="$W/boot.bin" of="$W/disk.img" conv=notrunc status=none
  printf '%s\0' "$LBA1_TEXT" | dd of="$W/disk.img" bs=512 seek=1 conv=notrunc status=none
  cp "$W/disk.img" "$W/disk-ref.img"
}

# ---------------------------------------------------------------- servers
start_bg() { # name ns cmd... ; stdout+stderr to $W/name.log, pid in variable PID_<name>
  local name=$1 ns=$2; shift 2
  ip netns exec "$ns" "$@" >"$W/$name.log" 2>&1 &   # not through a function: $! must be the server itself
  local pid=$!
  PIDS+=("$pid")
  printf -v "PID_$name" '%s' "$pid"
}

start_dnsmasq_tftp() {
  start_bg dnsmasq_tftp "$NS_R" dnsmasq --no-daemon --conf-file=/dev/null --port=0 --enable-tftp \
    --tftp-root="$W/files" --interface=eth0 --bind-interfaces --pid-file= --log-facility="$W/dnsmasq_tftp.syslog"
}

start_nginx() {
  nginx_conf "$W/nginx" "$REF_IP:80" "location /files/ { alias $W/files/; }"
  start_bg nginx "$NS_R" nginx -e "$W/nginx/error.log" -p "$W/nginx" -c "$W/nginx/nginx.conf"
}

start_netroot() {
  local d="$W/netroot-data"
  mkdir -p "$d"
  # the boot client (offline: the database is opened directly before serve)
  "${NETROOT[@]}" volume create benchvol --from "$W/disk.img" --data "$d" >"$W/netroot-setup.log" 2>&1 || NETROOT_SETUP_ERR="volume create: $(tail -1 "$W/netroot-setup.log")"
  "${NETROOT[@]}" client add pc1 --mac "$MAC" --volume benchvol --data "$d" >>"$W/netroot-setup.log" 2>&1 || NETROOT_SETUP_ERR="${NETROOT_SETUP_ERR:-client add: $(tail -1 "$W/netroot-setup.log")}"
  # DHCP answers the QEMU segment (br1); atftp and curl reach TFTP and HTTP on eth0, so they listen
  # on every address (--listen-all), as the reference servers do
  start_bg netroot "$NS_N" "${NETROOT[@]}" serve --data "$d" --interface br1 --listen-all --dhcp full \
    --range 198.18.2.100-198.18.2.200 --boot-files "$W/files" --control-port 0
  local i
  for i in $(seq 1 240); do
    if grep -q '^Netroot ready' "$W/netroot.log"; then log "$(grep -m1 '^Netroot ready' "$W/netroot.log")"; return 0; fi
    kill -0 "$PID_netroot" 2>/dev/null || break
    sleep 0.25
  done
  tail -20 "$W/netroot.log" >&2
  return 1
}

wait_port() { # ns ip port proto
  local i
  for i in $(seq 1 40); do
    if inns "$1" ss -Hln"${4:0:1}" "( sport = :$3 )" | grep -q .; then return 0; fi
    sleep 0.25
  done
  return 1
}

# ---------------------------------------------------------------- one measurement each
# prints "seconds client_cpu server_cpu" or returns non-zero (reason in $W/last_error)
tftp_once() { # server_ip blksize windowsize(or -) server_pids...
  local ip=$1 blk=$2 win=$3; shift 3
  local out="$W/out/tftp.bin" opts=(--option "blksize $blk") c0 c1 t0 t1
  [ "$win" != - ] && opts+=(--option "windowsize $win")
  rm -f "$out" "$W/time.txt"
  c0=$(cpu_of "$@")
  t0=$(now)
  if ! inns "$NS_C" timeout 90 "$TIME" -f '%U %S' -o "$W/time.txt" atftp "${opts[@]}" -g -r big.bin -l "$out" "$ip" 69 >"$W/atftp.log" 2>&1; then
    echo "atftp failed: $(tr '\n' ' ' <"$W/atftp.log" | cut -c1-160)" >"$W/last_error"; return 1
  fi
  t1=$(now)
  c1=$(cpu_of "$@")
  if [ "$(sha256sum "$out" | cut -d' ' -f1)" != "$BIG_SHA" ]; then
    echo "bytes differ (sha256 mismatch, $(stat -c %s "$out" 2>/dev/null || echo 0) bytes received)" >"$W/last_error"; return 1
  fi
  echo "$(calc "$t1 - $t0") $(awk '{print $1 + $2}' "$W/time.txt" | tail -1) $(calc "$c1 - $c0")"
}

http_once() { # url file|null server_pids...
  # One sample = HTTP_GETS sequential GETs of the file on one keep-alive connection (a single 64 MiB
  # GET lasts ~0.1 s here, too short against the other work on this machine); time = sum of curl's
  # time_total. file: each copy written to tmpfs and sha256-checked; null: to /dev/null, byte count
  # checked, so the client does less work and the servers' difference shows more.
  local url=$1 mode=$2; shift 2
  local c0 c1 res secs size i args=()
  rm -f "$W"/out/http.bin.* "$W/time.txt"
  for i in $(seq 1 "$HTTP_GETS"); do
    if [ "$mode" = null ]; then args+=(-o /dev/null "$url"); else args+=(-o "$W/out/http.bin.$i" "$url"); fi
  done
  c0=$(cpu_of "$@")
  if ! res=$(inns "$NS_C" timeout 120 "$TIME" -f '%U %S' -o "$W/time.txt" curl -sS --fail -w '%{time_total} %{size_download}\n' "${args[@]}" 2>"$W/curl.log"); then
    echo "curl failed: $(tr '\n' ' ' <"$W/curl.log" | cut -c1-160)" >"$W/last_error"; return 1
  fi
  c1=$(cpu_of "$@")
  secs=$(awk '{t += $1} END {printf "%.4f", t}' <<<"$res")
  size=$(awk '{n += $2} END {printf "%d", n}' <<<"$res")
  if [ "$size" != "$((HTTP_GETS * SIZE_MIB * 1024 * 1024))" ]; then
    echo "short transfer: $size bytes received in $HTTP_GETS GETs" >"$W/last_error"; return 1
  fi
  if [ "$mode" = file ]; then
    for i in $(seq 1 "$HTTP_GETS"); do
      if [ "$(sha256sum "$W/out/http.bin.$i" | cut -d' ' -f1)" != "$BIG_SHA" ]; then
        echo "bytes differ (sha256 mismatch in GET $i)" >"$W/last_error"; return 1
      fi
    done
    rm -f "$W"/out/http.bin.*
  fi
  echo "$secs $(awk '{print $1 + $2}' "$W/time.txt" | tail -1) $(calc "$c1 - $c0")"
}

boot_once() { # ns name -> prints seconds from QEMU start to its exit through isa-debug-exit after the marker
  local ns=$1 name=$2 serial="$W/serial-$2.log" mon="$W/mon-$2" t0 t1 rc=0 pid i mi mo
  rm -f "$serial" "$mon.in" "$mon.out" "$W/screen-$name.ppm"
  mkfifo "$mon.in" "$mon.out"
  exec {mi}<>"$mon.in" {mo}<>"$mon.out"   # both ends held open here: QEMU never blocks on them
  t0=$(now)
  # reboot-timeout: SeaBIOS resets 3 s after "No bootable device"; -no-reboot turns that into an exit,
  # so a failed boot costs seconds, not the whole timeout.
  ip netns exec "$ns" qemu-system-x86_64 -accel tcg -display none -m 256 -nodefaults -vga std \
    -serial "file:$serial" -no-reboot -monitor "pipe:$mon" \
    -device isa-debug-exit,iobase=0xf4,iosize=0x04 \
    -netdev tap,id=n0,ifname=tap0,script=no,downscript=no \
    -device e1000,netdev=n0,mac="$MAC" -boot order=n,reboot-timeout=3000 >"$W/qemu-$name.log" 2>&1 &
  pid=$!
  PIDS+=("$pid")
  for i in $(seq 1 $((BOOT_TIMEOUT * 10))); do
    kill -0 "$pid" 2>/dev/null || break
    # every 2 s after 10 s: a picture of the VGA console (iPXE's messages), kept if the boot fails
    if [ "$i" -ge 100 ] && [ $((i % 20)) = 0 ]; then echo "screendump $W/screen-$name.ppm" >&"$mi"; fi
    sleep 0.1
  done
  if kill -0 "$pid" 2>/dev/null; then
    echo "screendump $W/screen-$name.ppm" >&"$mi"; sleep 1
    kill "$pid" 2>/dev/null; sleep 0.3; kill -9 "$pid" 2>/dev/null
  fi
  wait "$pid" || rc=$?
  t1=$(now)
  exec {mi}>&- {mo}>&-
  if [ "$rc" = 33 ] && grep -q "$BOOT_MARK" "$serial" 2>/dev/null && grep -q "$LBA1_TEXT" "$serial"; then
    calc "$t1 - $t0"; return 0
  fi
  local shot=""
  if [ -s "$W/screen-$name.ppm" ]; then
    shot="/tmp/netroot-bench-$name-screen.ppm"; cp "$W/screen-$name.ppm" "$shot"; log "boot $name failed: VGA console in $shot"
  fi
  echo "no boot (QEMU exit $rc after $(fmt "$(calc "$t1 - $t0")" 0) s, serial: '$(tr -d '\r\n' <"$serial" 2>/dev/null | cut -c1-60)'${shot:+, screen: $shot})" >"$W/last_error"
  return 1
}

# ---------------------------------------------------------------- result rows
# A row: label|netroot|reference|ratio|target|verdict ; sample lists go to $W/samples.md
ROWS_TFTP=(); ROWS_HTTP=(); ROWS_BOOT=(); NOTES=(); CPU_NOTES=()
samples() { echo "- $*" >>"$W/samples.md"; }

# measure_pair KIND LABEL REPS NR_CMD... -- REF_CMD...  -> fills NR_S/REF_S (space-separated "secs ccpu scpu" per line)
run_pair() {
  local reps=$1; shift
  local nrcmd=() refcmd=() seen=0 a
  for a in "$@"; do if [ "$a" = -- ]; then seen=1; elif [ $seen = 0 ]; then nrcmd+=("$a"); else refcmd+=("$a"); fi; done
  NR_S=""; REF_S=""; NR_ERR=""; REF_ERR=""
  local r res
  for r in $(seq 1 "$reps"); do
    # alternate who goes first, so a burst of load from elsewhere hits both sides alike
    local order=(nr ref); [ $((r % 2)) = 0 ] && order=(ref nr)
    for who in "${order[@]}"; do
      if [ $who = nr ]; then
        [ -n "$NR_ERR" ] && continue
        if res=$("${nrcmd[@]}"); then NR_S+="$res"$'\n'; else NR_ERR=$(cat "$W/last_error" 2>/dev/null || echo failed); fi
      else
        [ -n "$REF_ERR" ] && continue
        if res=$("${refcmd[@]}"); then REF_S+="$res"$'\n'; else REF_ERR=$(cat "$W/last_error" 2>/dev/null || echo failed); fi
      fi
    done
  done
}
col() { printf '%s' "$1" | awk -v c="$2" 'NF {print $c}'; }
list() { printf '%s' "$1" | awk -v c="$2" 'NF {printf "%s%.3f", (n++ ? ", " : ""), $c}'; }

# ---------------------------------------------------------------- benchmarks
bench_tftp() {
  log "TFTP: probing both servers"
  local nr_ok=1 why=""
  if ! inns "$NS_C" timeout 10 atftp -g -r probe.bin -l "$W/out/probe.bin" "$NR_IP" 69 >"$W/atftp-probe.log" 2>&1 \
     || ! cmp -s "$W/out/probe.bin" "$W/files/probe.bin"; then
    nr_ok=0; why="Netroot TFTP did not serve a 4 KiB file at commit $COMMIT ($(tr '\n' ' ' <"$W/atftp-probe.log" | cut -c1-100))"
    log "TFTP: $why"
  fi
  # warm-up, untimed, three transfers each: Netroot's first two 64 MiB transfers still run partly
  # interpreted (seen here: 2.5 s and 2.0 s, then 0.2-0.3 s); the page cache warms for both.
  local i
  for i in 1 2 3; do
    [ $nr_ok = 1 ] && { tftp_once "$NR_IP" 1468 16 "$PID_netroot" >/dev/null || true; }
    tftp_once "$REF_IP" 1468 16 "$PID_dnsmasq_tftp" >/dev/null || true
  done
  local cfg blk win label target
  for cfg in "1468 16" "1468 -" "512 -"; do
    read -r blk win <<<"$cfg"
    label="blksize $blk"; [ "$win" != - ] && label+=" + windowsize $win"
    target="—"; [ "$cfg" = "1468 16" ] && target="Netroot ≥ 10× faster"
    log "TFTP: $label, $TFTP_REPS repetitions each"
    if [ $nr_ok = 1 ]; then
      run_pair "$TFTP_REPS" tftp_once "$NR_IP" "$blk" "$win" "$PID_netroot" -- tftp_once "$REF_IP" "$blk" "$win" "$PID_dnsmasq_tftp"
    else
      run_pair "$TFTP_REPS" false -- tftp_once "$REF_IP" "$blk" "$win" "$PID_dnsmasq_tftp"; NR_ERR=$why
    fi
    tftp_row "$label" "$target"
  done
}

tftp_row() {
  local label=$1 target=$2 nr ref nrtxt reftxt ratio="—" verdict="—" mib=$SIZE_MIB
  if [ -n "$REF_S" ]; then
    ref=$(col "$REF_S" 1 | median)
    reftxt="$(fmt "$ref") s ($(fmt "$(calc "$mib * 1.048576 / $ref")" 1) MB/s)"
    samples "TFTP $label, dnsmasq: seconds [$(list "$REF_S" 1)], atftp CPU s [$(list "$REF_S" 2)], dnsmasq CPU s [$(list "$REF_S" 3)]"
  else reftxt="not measured: $REF_ERR"; fi
  if [ -n "$NR_S" ]; then
    nr=$(col "$NR_S" 1 | median)
    nrtxt="$(fmt "$nr") s ($(fmt "$(calc "$mib * 1.048576 / $nr")" 1) MB/s)"
    samples "TFTP $label, Netroot: seconds [$(list "$NR_S" 1)], atftp CPU s [$(list "$NR_S" 2)], Netroot CPU s [$(list "$NR_S" 3)]"
  else nrtxt="not measured: $NR_ERR"; fi
  if [ -n "$NR_S" ] && [ -n "$REF_S" ]; then
    ratio="$(fmt "$(calc "$ref / $nr")")× ($(awk -v r="$(calc "$ref / $nr")" 'BEGIN {print (r >= 1 ? "Netroot faster" : "Netroot slower")}'))"
    if [ "$target" != "—" ]; then
      verdict=$(awk -v r="$(calc "$ref / $nr")" 'BEGIN {print (r >= 10 ? "**met**" : "**missed**")}')
    fi
    client_limit_note "TFTP $label (Netroot)" "$NR_S" "$nr"
    cpu_note "TFTP $label" dnsmasq
    if [ "$target" != "—" ]; then
      # can this client show the target at all? atftp's own CPU time per transfer is a floor.
      local need ccpu scpu
      need=$(calc "$ref / 10"); ccpu=$(col "$NR_S" 2 | median); scpu=$(col "$NR_S" 3 | median)
      if awk -v c="$ccpu" -v n="$need" 'BEGIN {exit !(c > n)}'; then
        NOTES+=("TFTP $label: 10× dnsmasq means ≤ $(fmt "$need" 3) s, but atftp alone used $(fmt "$ccpu" 3) s of CPU per transfer from Netroot (Netroot: $(fmt "$scpu" 3) s): with this client the target cannot be shown; the client, not the server, is the limit. Neither side uses a whole core, so the rest is the per-window round trip (ACK → wake-up → next window) on a shared 2-core machine.")
      fi
    fi
  elif [ "$target" != "—" ]; then verdict="not measured"; fi
  ROWS_TFTP+=("$label|$nrtxt|$reftxt|$ratio|$target|$verdict")
}

# If the client used (nearly) a whole core for the whole transfer, the client is what we measured.
cpu_note() { # label ref_name -- compares the servers' CPU per sample (medians) from NR_S/REF_S
  local n r
  n=$(col "$NR_S" 3 | median); r=$(col "$REF_S" 3 | median)
  CPU_NOTES+=("$1: server CPU per sample (median, user+system): Netroot $(fmt "$n" 3) s, $2 $(fmt "$r" 3) s; client CPU: $(fmt "$(col "$NR_S" 2 | median)" 3) s with Netroot, $(fmt "$(col "$REF_S" 2 | median)" 3) s with $2.")
}

client_limit_note() { # label samples median_secs
  local ccpu
  ccpu=$(col "$2" 2 | median)
  if awk -v c="$ccpu" -v t="$3" 'BEGIN {exit !(c >= 0.7 * t)}'; then
    NOTES+=("$1: the client is (close to) the limit: it used $(fmt "$ccpu" 3) s of CPU in a $(fmt "$3" 3) s transfer, i.e. most of one core.")
  fi
}

bench_http() {
  local nr_url="http://$NR_IP/files/big.bin" ref_url="http://$REF_IP/files/big.bin" nr_ok=1 why=""
  log "HTTP: probing both servers"
  if ! inns "$NS_C" curl -sS --fail -m 10 -o "$W/out/probe.bin" "http://$NR_IP/files/probe.bin" 2>"$W/curl-probe.log" \
     || ! cmp -s "$W/out/probe.bin" "$W/files/probe.bin"; then
    nr_ok=0; why="Netroot HTTP did not serve /files/probe.bin ($(tr '\n' ' ' <"$W/curl-probe.log" | cut -c1-100))"
    log "HTTP: $why"
  fi
  local nginx_pids i mode
  nginx_pids=$(all_pids "$PID_nginx" | tr '\n' ' ')
  # warm-up, untimed (JIT, page cache, TCP)
  for i in 1 2 3; do
    [ $nr_ok = 1 ] && { http_once "$nr_url" null "$PID_netroot" >/dev/null || true; }
    http_once "$ref_url" null $nginx_pids >/dev/null || true
  done
  for mode in file null; do
    log "HTTP: $SIZE_MIB MiB to $mode, $HTTP_REPS repetitions each"
    if [ $nr_ok = 1 ]; then
      run_pair "$HTTP_REPS" http_once "$nr_url" $mode "$PID_netroot" -- http_once "$ref_url" $mode $nginx_pids
    else
      run_pair "$HTTP_REPS" false -- http_once "$ref_url" $mode $nginx_pids; NR_ERR=$why
    fi
    if [ $mode = file ]; then
      http_row "$SIZE_MIB MiB file, $HTTP_GETS GETs per sample, curl -o files on tmpfs, sha256 checked" "Netroot ≥ 0.8× nginx"
    else
      http_row "$SIZE_MIB MiB file, $HTTP_GETS GETs per sample, curl -o /dev/null, byte count checked" "—"
    fi
  done
}

http_row() {
  local label=$1 target=$2 nr ref nrtxt reftxt ratio="—" verdict="—" mb
  mb=$(calc "$HTTP_GETS * $SIZE_MIB * 1.048576")
  if [ -n "$REF_S" ]; then
    ref=$(col "$REF_S" 1 | median)
    reftxt="$(fmt "$(calc "$mb / $ref")" 0) MB/s ($(fmt "$ref" 3) s)"
    samples "HTTP $label, nginx: seconds [$(list "$REF_S" 1)], curl CPU s [$(list "$REF_S" 2)], nginx CPU s [$(list "$REF_S" 3)]"
    client_limit_note "HTTP $label (nginx)" "$REF_S" "$ref"
  else reftxt="not measured: $REF_ERR"; fi
  if [ -n "$NR_S" ]; then
    nr=$(col "$NR_S" 1 | median)
    nrtxt="$(fmt "$(calc "$mb / $nr")" 0) MB/s ($(fmt "$nr" 3) s)"
    samples "HTTP $label, Netroot: seconds [$(list "$NR_S" 1)], curl CPU s [$(list "$NR_S" 2)], Netroot CPU s [$(list "$NR_S" 3)]"
    client_limit_note "HTTP $label (Netroot)" "$NR_S" "$nr"
  else nrtxt="not measured: $NR_ERR"; fi
  if [ -n "$NR_S" ] && [ -n "$REF_S" ]; then
    ratio="$(fmt "$(calc "$ref / $nr")") × nginx"
    cpu_note "HTTP $label" nginx
    [ "$target" != "—" ] && verdict=$(awk -v r="$(calc "$ref / $nr")" 'BEGIN {print (r >= 0.8 ? "**met**" : "**missed**")}')
  elif [ "$target" != "—" ]; then verdict="not measured"; fi
  ROWS_HTTP+=("$label|$nrtxt|$reftxt|$ratio|$target|$verdict")
}

start_reference_boot() {
  # DHCP + TFTP (iPXE script) on the reference's QEMU segment; tgt exports the disk as LUN 1
  printf '#!ipxe\nset initiator-iqn iqn.2026-01.org.bench:initiator:pc1\nsanboot iscsi:198.18.1.1:::1:iqn.2026-01.org.bench:ref\n' \
    >"$W/tftp-boot/boot.ipxe"
  cp /usr/lib/ipxe/undionly.kpxe "$W/tftp-boot/" 2>/dev/null || true
  start_bg dnsmasq_boot "$NS_R" dnsmasq --no-daemon --conf-file=/dev/null --port=0 --interface=br1 --bind-interfaces \
    --dhcp-range=198.18.1.100,198.18.1.200,1h --dhcp-leasefile="$W/dnsmasq-boot.leases" --pid-file= \
    --enable-tftp --tftp-root="$W/tftp-boot" --dhcp-userclass=set:ipxe,iPXE \
    --dhcp-boot=tag:ipxe,boot.ipxe --dhcp-boot=tag:!ipxe,undionly.kpxe --log-facility="$W/dnsmasq_boot.syslog"
  ip netns exec "$NS_R" tgtd -f -C "$TGT_CTL" >"$W/tgtd.log" 2>&1 &
  TGTD_PID=$!; disown "$TGTD_PID" 2>/dev/null || true
  PIDS+=("$TGTD_PID")
  local i
  for i in $(seq 1 40); do tgtadm -C "$TGT_CTL" --op show --mode target >/dev/null 2>&1 && break; sleep 0.25; done
  tgtadm -C "$TGT_CTL" --lld iscsi --op new --mode target --tid 1 -T iqn.2026-01.org.bench:ref &&
  tgtadm -C "$TGT_CTL" --lld iscsi --op new --mode logicalunit --tid 1 --lun 1 -b "$W/disk-ref.img" &&
  tgtadm -C "$TGT_CTL" --lld iscsi --op bind --mode target --tid 1 -I ALL
}

bench_boot() {
  BOOT_TIMEOUT=${BENCH_BOOT_TIMEOUT:-150}
  log "BOOT: starting dnsmasq (DHCP+TFTP) and tgt for the reference"
  local ref_ok=1 nr_ok=1 why_ref="" why_nr=""
  start_reference_boot || { ref_ok=0; why_ref="tgt setup failed: $(tail -2 "$W/tgtd.log" | tr '\n' ' ')"; }
  if [ -n "${NETROOT_SETUP_ERR:-}" ]; then nr_ok=0; why_nr="Netroot client setup failed ($NETROOT_SETUP_ERR)"; fi
  if [ $nr_ok = 1 ] && ! inns "$NS_N" ss -Hltn "( sport = :3260 )" | grep -q .; then
    nr_ok=0; why_nr="Netroot does not listen on iSCSI port 3260 at commit $COMMIT (iPXE gets the script, then 'Could not open SAN device')"
  fi
  [ $nr_ok = 1 ] || log "BOOT: Netroot skipped: $why_nr"
  # the first boot of each side is a try: if it fails we do not spend BOOT_REPS x timeout on it
  log "BOOT: $BOOT_REPS repetitions each (QEMU tcg, BIOS, e1000 iPXE ROM; up to ${BOOT_TIMEOUT}s each)"
  if [ $nr_ok = 1 ] && [ $ref_ok = 1 ]; then
    run_pair "$BOOT_REPS" boot_once "$NS_N" netroot -- boot_once "$NS_R" ref
  elif [ $ref_ok = 1 ]; then
    run_pair "$BOOT_REPS" false -- boot_once "$NS_R" ref; NR_ERR=$why_nr
  else
    run_pair "$BOOT_REPS" boot_once "$NS_N" netroot -- false; REF_ERR=$why_ref
  fi
  local nr ref nrtxt reftxt ratio="—" verdict="not measured"
  if [ -n "$REF_S" ]; then
    ref=$(col "$REF_S" 1 | median); reftxt="$(fmt "$ref" 1) s"
    samples "Boot, dnsmasq + tgt: seconds [$(list "$REF_S" 1)]"
  else reftxt="not measured: $REF_ERR"; fi
  if [ -n "$NR_S" ]; then
    nr=$(col "$NR_S" 1 | median); nrtxt="$(fmt "$nr" 1) s"
    samples "Boot, Netroot: seconds [$(list "$NR_S" 1)]"
  else nrtxt="not measured: $NR_ERR"; fi
  if [ -n "$NR_S" ] && [ -n "$REF_S" ]; then
    ratio="$(fmt "$(calc "$nr / $ref")") × reference time"
    verdict=$(awk -v r="$(calc "$nr / $ref")" 'BEGIN {print (r <= 1.1 ? "**met**" : "**missed**")}')
  fi
  ROWS_BOOT+=("BIOS PXE → iPXE → script → iSCSI sanboot → boot sector on COM1|$nrtxt|$reftxt|$ratio|Netroot ≤ 1.1× reference|$verdict")
}

# ---------------------------------------------------------------- report
table() { # rows...
  echo "| case | Netroot | reference | ratio | target | verdict |"
  echo "|---|---|---|---|---|---|"
  local r; for r in "$@"; do echo "| ${r//|/ | } |"; done
}

write_report() {
  local cpu qv jv dv nv tv started=$1 load0=$2
  cpu=$(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo)
  qv=$(qemu-system-x86_64 --version | head -1 | sed 's/QEMU emulator version //')
  jv=$("$JAVA_HOME/bin/java" -version 2>&1 | head -1)
  dv=$(dnsmasq --version | head -1 | awk '{print $3}')
  nv=$(nginx -v 2>&1 | sed 's|.*nginx/||')
  tv=$(tgtd --version 2>&1 | head -1)
  mkdir -p "$(dirname "$OUT")"
  # bench/app.sh's section (the control center), bench/new-user.sh's, bench/tftp-cpu.sh's, bench/volumes.sh's,
  # bench/iscsi.sh's, bench/nbd.sh's, bench/boot.sh's and the installer's (written by hand) are kept as they were
  local app_section="" newuser_section="" tftpcpu_section="" volumes_section="" iscsi_section="" nbd_section=""
  local boot_section="" packaging_section=""
  [ -f "$OUT" ] && tftpcpu_section=$(awk '/tftp-cpu:begin/,/tftp-cpu:end/' "$OUT")
  [ -f "$OUT" ] && app_section=$(awk '/app-bench:begin/,/app-bench:end/' "$OUT")
  [ -f "$OUT" ] && newuser_section=$(awk '/new-user:begin/,/new-user:end/' "$OUT")
  [ -f "$OUT" ] && volumes_section=$(awk '/volumes-bench:begin/,/volumes-bench:end/' "$OUT")
  [ -f "$OUT" ] && iscsi_section=$(awk '/iscsi-bench:begin/,/iscsi-bench:end/' "$OUT")
  [ -f "$OUT" ] && nbd_section=$(awk '/nbd-bench:begin/,/nbd-bench:end/' "$OUT")
  [ -f "$OUT" ] && boot_section=$(awk '/boot-bench:begin/,/boot-bench:end/' "$OUT")
  [ -f "$OUT" ] && packaging_section=$(awk '/packaging:begin/,/packaging:end/' "$OUT")
  {
    echo "# Netroot benchmarks"
    echo
    echo "Written by \`bench/run.sh\` (run as root; it builds the project if needed and creates its own network"
    echo "namespaces). Netroot and the reference run in the same run, on the same machine, alternating"
    echo "repetitions; only the **ratios** are meant to be compared between machines. Absolute numbers on"
    echo "this shared 2-core machine are noisy (LAB.md measured tgt 7.5× slower on another machine of the same kind)."
    echo
    echo "- Date: $started (UTC), Netroot commit \`$COMMIT\`"
    echo "- Machine: $(nproc) CPUs, $cpu, kernel $(uname -r), load average at start $load0, at end $(cut -d' ' -f1-3 /proc/loadavg)"
    echo "- Versions: dnsmasq $dv, nginx $nv, tgt $tv, QEMU $qv, $jv, atftp $(dpkg-query -W -f='${Version}' atftp 2>/dev/null), curl $(curl --version | head -1 | awk '{print $2}')"
    echo "- Topology: client namespace with a bridge; Netroot and the reference each in their own namespace on"
    echo "  a veth into that bridge (198.18.0.0/24); files on tmpfs; every transfer checked with sha256."
    echo
    echo "## TFTP, ${SIZE_MIB} MiB random file, atftp from the client namespace"
    echo
    echo "Median of $TFTP_REPS repetitions after 3 untimed warm-ups each, output written to tmpfs and its"
    echo "sha256 checked every time. Same atftp command for both servers. dnsmasq does not implement RFC 7440"
    echo "windowsize: it ignores the option and sends one block per ACK, so its windowsize row is what atftp"
    echo "gets from dnsmasq with the same command. The rows without windowsize are lock-step TFTP, what BIOS"
    echo "PXE ROMs do. Ratio = dnsmasq time / Netroot time."
    echo
    if want tftp; then table "${ROWS_TFTP[@]}"; else echo "Not run (BENCH_ONLY=$ONLY)."; fi
    echo
    echo "## HTTP, ${SIZE_MIB} MiB boot asset, curl from the client namespace"
    echo
    echo "Median of $HTTP_REPS samples after 3 untimed warm-ups. One sample is $HTTP_GETS sequential GETs of the ${SIZE_MIB} MiB file"
    echo "on one keep-alive connection (one GET lasts about 0.1 s, too short against the other work on this"
    echo "machine); time = sum of curl's time_total. One row writes every copy to tmpfs and checks its sha256;"
    echo "the other writes to /dev/null (byte count checked), so the client does less work."
    echo "Netroot: \`serve --boot-files DIR\`, URL \`http://$NR_IP/files/big.bin\`; nginx: \`sendfile on\`, one worker."
    echo "Ratio = Netroot throughput / nginx throughput."
    echo
    if want http; then table "${ROWS_HTTP[@]}"; else echo "Not run (BENCH_ONLY=$ONLY)."; fi
    echo
    echo "## BIOS PXE to sanboot, QEMU tcg diskless client"
    echo
    echo "Median of $BOOT_REPS boots each: time from QEMU start until the boot sector (\`${BOOT_ASM#$REPO/}\`),"
    echo "loaded from the iSCSI disk, has read LBA 1 through INT 13h, printed its text (\`$LBA1_TEXT\`) and"
    echo "\`$BOOT_MARK\` to COM1 and left QEMU through isa-debug-exit (exit status 33 checked). Netroot: \`serve --dhcp full\` (DHCP, HTTP script, iSCSI LUN 0)."
    echo "Reference: dnsmasq (DHCP + TFTP iPXE script) + tgt (\`tgtd -f -C N\`, LUN 1). QEMU's e1000 ROM is"
    echo "iPXE, so both start with iPXE's DHCP. Ratio = Netroot time / reference time."
    echo
    if want boot; then table "${ROWS_BOOT[@]}"; else echo "Not run (BENCH_ONLY=$ONLY)."; fi
    echo
    if want many; then many_section; else echo "## Many clients at once"; echo; echo "Not run (BENCH_ONLY=$ONLY)."; fi
    echo
    if want dhcp; then dhcp_section; else echo "## DHCP storm"; echo; echo "Not run (BENCH_ONLY=$ONLY)."; fi
    echo
    echo "## Notes"
    echo
    if [ ${#NOTES[@]} = 0 ]; then echo "- No client-side limit seen (the client used well under one core per transfer)."; fi
    local n; for n in "${NOTES[@]}" "${CPU_NOTES[@]}"; do echo "- $n"; done
    echo "- Every repetition's figures (seconds; client and server CPU seconds, user+system, all threads):"
    echo
    cat "$W/samples.md" 2>/dev/null || true
    echo
    echo "Speed is measured here only: no unit test has a timed assertion."
    if [ -n "$app_section" ]; then echo; echo "$app_section"; fi
    if [ -n "$newuser_section" ]; then echo; echo "$newuser_section"; fi
    if [ -n "$tftpcpu_section" ]; then echo; echo "$tftpcpu_section"; fi
    if [ -n "$volumes_section" ]; then echo; echo "$volumes_section"; fi
    if [ -n "$iscsi_section" ]; then echo; echo "$iscsi_section"; fi
    if [ -n "$nbd_section" ]; then echo; echo "$nbd_section"; fi
    if [ -n "$boot_section" ]; then echo; echo "$boot_section"; fi
    if [ -n "$packaging_section" ]; then echo; echo "$packaging_section"; fi
  } >"$OUT"
  log "wrote $OUT"
}

# ---------------------------------------------------------------- main
STARTED=$(date -u '+%Y-%m-%d %H:%M')
LOAD0=$(cut -d' ' -f1-3 /proc/loadavg)
: >"$W/samples.md"
setup_net
make_files
log "starting Netroot, dnsmasq (TFTP) and nginx"
start_dnsmasq_tftp
start_nginx
NETROOT_UP=1
start_netroot || { NETROOT_UP=0; log "Netroot did not start"; }
wait_port "$NS_R" "$REF_IP" 69 u || die "dnsmasq TFTP did not come up: $(cat "$W/dnsmasq_tftp.log")"
wait_port "$NS_R" "$REF_IP" 80 t || die "nginx did not come up: $(cat "$W/nginx/error.log")"
if [ $NETROOT_UP = 0 ]; then PID_netroot=0; fi
want tftp && bench_tftp
want http && bench_http
want boot && bench_boot
want dhcp && bench_dhcp
want many && bench_many
write_report "$STARTED" "$LOAD0"
# the new user path (opt-in: BENCH_ONLY=newuser) rewrites its own section of the report
if want newuser; then BENCH_NEWUSER_OUT="$OUT" "$REPO/bench/new-user.sh" || log "new user path: bench/new-user.sh failed"; fi
# and the kernel-mode boot (opt-in: BENCH_ONLY=...,kernel) its own
if want kernel; then BENCH_BOOT_OUT="$OUT" "$REPO/bench/boot.sh" || log "kernel-mode boot: bench/boot.sh failed"; fi
cat "$OUT"
