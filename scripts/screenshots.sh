#!/usr/bin/env bash
# Screenshots of the app for README.md: starts a real Netroot server on loopback with a demo data
# folder (clients, volumes, boot events, a discovered PC), opens the app against it under Xvfb with
# the real GTK glass (not Monocle) and writes a PNG of every view, and of the first-run wizard when
# the app opens one, to docs/screenshots/ (or $1).
#   scripts/screenshots.sh [OUT_DIR]        NETROOT_THEME=dark scripts/screenshots.sh docs/screenshots/dark
# Needs: xvfb (xvfb-run), libgtk-3-0, libgl1, libxtst6. Not part of the test suite.
#
# TODO (issue 11, point 2): boot a real QEMU client while the app runs, so the Clients and Timeline
# shots show a real boot instead of DemoData's published events. The lab tests show how
# (server-core/src/test/java/org/netroot/server/lab/: a network namespace with a veth pair, the server
# listening on the host side with DHCP in full mode, `qemu-system-x86_64 -boot n` with the iPXE ROM on
# a tap/bridge in the namespace); ScreenshotTour would then start the server with that ServerConfig
# instead of TestServer.loopback and wait for ISCSI_FIRST_READ before the shots. Needs root.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/java-env.sh
out="${1:-docs/screenshots}"
mkdir -p "$out"

offline=-o
[ "${NETROOT_ONLINE:-}" = 1 ] && offline=
./mvnw -B -q $offline install -DskipTests -pl server-core
./mvnw -B -q $offline test-compile -pl app
cp_file=app/target/screenshots.classpath
./mvnw -B -q $offline dependency:build-classpath -pl app -Dmdep.includeScope=test -Dmdep.outputFile="$PWD/$cp_file"
classpath="app/target/test-classes:app/target/classes:$(cat "$cp_file")"

# Real glass on GTK under Xvfb; software rendering (Xvfb has no GPU), AWT not headless (tray probe).
xvfb-run -a -s "-screen 0 1400x900x24" \
  java --enable-native-access=ALL-UNNAMED -Dprism.order=sw -Dglass.platform=gtk \
       -Dnetroot.test.console.level=WARN -Dnetroot.test.log=app/target/screenshots.log \
       -cp "$classpath" org.netroot.app.screenshots.ScreenshotTour "$out"
