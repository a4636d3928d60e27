#!/usr/bin/env bash
# New user path benchmark (issue 11): a TestFX robot drives the real app from an empty data folder
# through the first-run wizard to a discovered PC adopted and booting its own volume, counting clicks,
# keystrokes and typed texts (target: 10 or fewer, no terminal, no file edited). The PC is QEMU (BIOS,
# e1000 iPXE ROM) on a tap of bridge br0 (198.18.88.1/24) in a network namespace this script makes and
# removes; the app runs inside it under Xvfb with the real GTK glass, as scripts/screenshots.sh does.
# Writes the "New user path" section of docs/benchmarks.md (between new-user markers; bench/run.sh keeps
# it, and runs this script with BENCH_ONLY=newuser).
#   sudo bench/new-user.sh                  BENCH_NEWUSER_OUT=/tmp/n.md sudo bench/new-user.sh
# Needs root (namespace, bridge, tap; DHCP and iSCSI ports), qemu-system-x86 and ipxe-qemu, xvfb, and
# Debian's ipxe package for the boot files check (/usr/lib/ipxe/undionly.kpxe).
set -euo pipefail
REPO=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
OUT=${BENCH_NEWUSER_OUT:-$REPO/docs/benchmarks.md}
skip() { echo "bench/new-user.sh: skipped: $*" >&2; exit 0; }
[ "$(id -u)" = 0 ] || skip "needs root (a network namespace with a bridge and a tap; the server's DHCP and iSCSI ports)"
command -v qemu-system-x86_64 >/dev/null || skip "needs QEMU (Debian: apt install qemu-system-x86)"
[ -e /usr/lib/ipxe/qemu/pxe-e1000.rom ] || skip "needs QEMU's iPXE ROMs (Debian: apt install ipxe-qemu)"
command -v xvfb-run >/dev/null || skip "needs Xvfb (Debian: apt install xvfb)"
command -v ip >/dev/null || skip "needs ip (Debian: apt install iproute2)"
[ -e /usr/lib/ipxe/undionly.kpxe ] || echo "bench/new-user.sh: no /usr/lib/ipxe/undionly.kpxe (Debian: apt install ipxe): the wizard's boot files page will say so" >&2
. "$REPO/scripts/java-env.sh"
log() { printf '%s new-user: %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }

W=$(mktemp -d /tmp/netroot-newuser-bench.XXXXXX)
ns="nr-newuser-$$"
cleanup() {
  ip netns pids "$ns" 2>/dev/null | xargs -r kill -9 2>/dev/null || true
  ip netns del "$ns" 2>/dev/null || true
  if [ "${KEEP_W:-0}" = 1 ]; then echo "bench/new-user.sh: kept $W (app log, QEMU logs, data folder)" >&2; else rm -rf "$W"; fi
}
trap cleanup EXIT

log "building the app and its test classes"
# One reactor run: the app's classpath then names server-core/target/classes of this tree, not the
# snapshot jar in ~/.m2 (which other checkouts share).
(cd "$REPO" && ./mvnw -B -q test-compile dependency:build-classpath -pl app -am \
   -Dmdep.includeScope=test -Dmdep.outputFile="$W/cp.txt") >&2
CP="$REPO/app/target/test-classes:$REPO/app/target/classes:$(cat "$W/cp.txt")"

log "network namespace $ns: bridge br0 198.18.88.1/24 with tap0 (the PC's cable) and a veth (the rest of the LAN)"
ip netns add "$ns"
ip -n "$ns" link set lo up
ip -n "$ns" link add br0 type bridge
ip -n "$ns" addr add 198.18.88.1/24 dev br0
ip -n "$ns" link set br0 up
ip -n "$ns" tuntap add dev tap0 mode tap
ip -n "$ns" link set tap0 master br0 up
# The rest of the LAN: a bridge whose only port is the tap of a PC not yet powered on has no carrier,
# and the wizard's probe rightly calls it down. A veth port gives br0 the carrier a switch would.
ip -n "$ns" link add lan0 type veth peer name lan1
ip -n "$ns" link set lan0 master br0 up
ip -n "$ns" link set lan1 up

log "the robot walks the new user path (up to a few minutes: QEMU tcg boots slowly)"
set +e
ip netns exec "$ns" xvfb-run -a -s "-screen 0 1400x900x24" \
  "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -Dprism.order=sw -Dglass.platform=gtk -Dtestfx.robot=glass \
    -Dnetroot.test.console.level=WARN -Dnetroot.test.log="$W/app.log" \
    -Djava.io.tmpdir="$W" -Dnetroot.bench.bridge=br0 -Dnetroot.bench.tap=tap0 \
    -Dnetroot.bench.commit="$(cd "$REPO" && git rev-parse --short HEAD)" \
    -cp "$CP" org.netroot.app.bench.NewUserPath "$OUT"
rc=$?
set -e
case $rc in
  0) log "done: the PC read its own volume; see $OUT" ;;
  2) log "the path stopped short (reason above); what it reached is in $OUT"; KEEP_W=1 ;;
  *) log "failed (exit $rc)"; tail -30 "$W/app.log" 2>/dev/null >&2 || true; KEEP_W=1 ;;
esac
exit "$rc"
