#!/usr/bin/env bash
# Screenshots of the app for README.md: starts a real Netroot server on loopback with a demo data
# folder (clients, volumes, boot events, a discovered PC), opens the app against it under Xvfb with
# the real GTK glass (not Monocle) and writes a PNG of every view, and of the first-run wizard when
# the app opens one, to docs/screenshots/ (or $1).
#   scripts/screenshots.sh [OUT_DIR]        NETROOT_THEME=dark scripts/screenshots.sh docs/screenshots/dark
# Needs: xvfb (xvfb-run), libgtk-3-0, libgl1, libxtst6. Not part of the test suite.
#
# As root with QEMU installed (NETROOT_QEMU=0 turns it off), a real PC boots while the app runs: the
# script makes a network namespace with bridge br0 (198.18.77.1/24) and tap0, runs the server (full
# DHCP on br0) and the app inside it, and ScreenshotTour powers on a BIOS QEMU PC (iPXE ROM) as the
# client "office-pc"; the Clients and Timeline shots then show its real boot up to the first iSCSI read.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/java-env.sh
out="${1:-docs/screenshots}"
mkdir -p "$out"

offline=-o
[ "${NETROOT_ONLINE:-}" = 1 ] && offline=
./mvnw -B -q $offline install -DskipTests -pl server-core -am
./mvnw -B -q $offline test-compile -pl app
cp_file=app/target/screenshots.classpath
./mvnw -B -q $offline dependency:build-classpath -pl app -Dmdep.includeScope=test -Dmdep.outputFile="$PWD/$cp_file"
classpath="app/target/test-classes:app/target/classes:$(cat "$cp_file")"

run_in=()
qemu=false
if [ "$(id -u)" = 0 ] && [ "${NETROOT_QEMU:-1}" != 0 ] && command -v qemu-system-x86_64 >/dev/null \
   && [ -e /usr/lib/ipxe/qemu/pxe-e1000.rom ] && command -v ip >/dev/null; then
  ns="nr-shots-$$"
  ip netns add "$ns"
  trap 'ip netns pids "$ns" 2>/dev/null | xargs -r kill -9; ip netns del "$ns"' EXIT
  ip -n "$ns" link set lo up
  ip -n "$ns" link add br0 type bridge
  ip -n "$ns" addr add 198.18.77.1/24 dev br0
  ip -n "$ns" link set br0 up
  ip -n "$ns" tuntap add dev tap0 mode tap
  ip -n "$ns" link set tap0 master br0 up
  run_in=(ip netns exec "$ns")
  qemu=true
else
  echo "no real QEMU boot (needs root, qemu-system-x86, ipxe-qemu): the shots show published demo events" >&2
fi

# Real glass on GTK under Xvfb; software rendering (Xvfb has no GPU), AWT not headless (tray probe).
"${run_in[@]}" xvfb-run -a -s "-screen 0 1400x900x24" \
  java --enable-native-access=ALL-UNNAMED -Dprism.order=sw -Dglass.platform=gtk -Dnetroot.tour.qemu=$qemu \
       -Dnetroot.test.console.level=WARN -Dnetroot.test.log=app/target/screenshots.log \
       -cp "$classpath" org.netroot.app.screenshots.ScreenshotTour "$out"
