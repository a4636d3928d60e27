#!/usr/bin/env bash
# Checks the .deb as a user's machine would meet it (./run-tests runs it after building the package):
#   1. dpkg -c lists what a user needs and no build leftovers; lintian (when installed) reports no error;
#      the runtime holds every JDK module jdeps says the jars need.
#   2. In a Debian 12 chroot (mmdebstrap, cached) inside its own mount, PID and network namespaces, so
#      this machine is not changed: dpkg -i stops at a non-system user or group netroot (someone's
#      account is not taken over) and finishes once it is gone; the user, group and data folder are
#      there; systemd-analyze verify accepts the unit; the server runs as the unit would run it (its
#      ExecStart, as its User, with its AmbientCapabilities and UMask, through setpriv: systemd is not
#      PID 1 here), serving proxy DHCP on a veth; `netroot status` answers a member of group netroot and
#      tells anyone else how to get the right; a client and its volume are made; the server's RSS when
#      idle is measured. A real PC boots from the installed server: QEMU (BIOS, the e1000's iPXE ROM) on
#      the LAN at the veth's other end, whose DHCP is a dnsmasq "router" beside the server's proxy DHCP:
#      PXE, iPXE, the client's script, sanboot of its volume over iSCSI, whose boot sector (the lab's,
#      server-core/src/test/resources/lab/bootsector.asm) prints on the serial port and writes a marker
#      to the volume.
#   3. An upgrade to a rebuilt package (the same files, a higher version) keeps the client and the
#      volume's bytes, and the new server opens them and boots the PC again; remove keeps the data and
#      the user; purge removes the package's files, /var/lib/netroot and the user and group netroot.
#
#   deb-check.sh DEB            (root; needs mmdebstrap, unshare, ip, systemd-analyze; lintian if installed;
#                                the PC's boot needs qemu-system-x86_64, ipxe-qemu, nasm and dnsmasq, and is
#                                skipped without them, or with NETROOT_DEB_CHECK_BOOT=no)
# Without root it says so and exits 0 (like the lab tests, which skip). NETROOT_DEB_CHECK_CACHE: where the
# chroot's tarball is kept (default /var/cache/netroot-lab, shared with LinuxRootLabTest).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
boot_sector_source="$here/../../../server-core/src/test/resources/lab/bootsector.asm"
cache=${NETROOT_DEB_CHECK_CACHE:-/var/cache/netroot-lab}
tarball="$cache/debian12-packaging-v2.tar"
log() { printf '%s deb-check: %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }
fail() { log "FAILED: $*"; exit 1; }

# The chroot's Debian 12 system, built once per cache: as small as apt makes it, with what the package uses
# or recommends for the server, and systemd (its units let systemd-analyze verify ours, its enable links show
# that postinst enabled the service).
chroot_tarball() {
  [ -s "$tarball" ] && return 0
  mkdir -p "$cache"
  log "building the chroot with mmdebstrap (once per cache: $tarball)"
  mmdebstrap --variant=minbase --mode=root --include=adduser,ipxe,systemd \
    --customize-hook='rm -rf "$1"/var/cache/apt/archives/*.deb "$1"/var/lib/apt/lists/*' \
    --dpkgopt=force-unsafe-io --aptopt='Acquire::Languages "none"' \
    bookworm "$cache/partial-packaging.tar" >&2
  mv "$cache/partial-packaging.tar" "$tarball"
}

# deb-check.sh --prepare: only the chroot's tarball (run-tests starts it beside the Maven build on a machine
# without the cache, so its minutes of download and unpacking overlap the tests)
if [ "${1:-}" = --prepare ]; then
  [ "$(id -u)" = 0 ] && command -v mmdebstrap >/dev/null || exit 0
  chroot_tarball
  exit 0
fi
deb=$(readlink -f "$1")

# ---- inside the namespaces (the script runs itself there: step 2 and 3) ----
if [ "${2:-}" = --in-namespace ]; then
  work=$3 R="$3/root"
  version=$(dpkg-deb -f "$deb" Version)
  unit="$R/usr/lib/systemd/system/netroot-server.service"
  mount --make-rprivate /
  mount -t proc proc /proc # this PID namespace's: nsenter finds its processes by PID
  ip link set lo up
  # the network the server's DHCP serves (proxy mode): SO_BINDTODEVICE and port 67 need its capabilities
  ip link add nr0 type veth peer name nr0-peer
  ip addr add 198.18.5.1/24 dev nr0
  ip link set nr0 up
  ip link set nr0-peer up
  boot=${NETROOT_DEB_CHECK_BOOT:-yes}
  if [ "$boot" = yes ]; then
    # The LAN at nr0's other end, in a network namespace of its own (held by a sleep): bridge lan0 joins
    # nr0-peer and the PC's tap; the home router's dnsmasq on it (198.18.5.2) hands out addresses only.
    unshare --net sleep infinity &
    lan_pid=$!
    lan() { nsenter --target "$lan_pid" --net "$@"; }
    for _ in $(seq 1 50); do [ "$(readlink /proc/$lan_pid/ns/net)" != "$(readlink /proc/self/ns/net)" ] && break; sleep 0.1; done
    [ "$(readlink /proc/$lan_pid/ns/net)" != "$(readlink /proc/self/ns/net)" ] || fail "the LAN's network namespace did not come up"
    ip link set nr0-peer netns "$lan_pid"
    lan ip link set lo up
    lan ip link add lan0 type bridge
    lan ip link set nr0-peer master lan0
    lan ip tuntap add dev tap0 mode tap
    lan ip link set tap0 master lan0
    lan ip addr add 198.18.5.2/24 dev lan0
    for dev in nr0-peer tap0 lan0; do lan ip link set "$dev" up; done
    lan dnsmasq --no-daemon --port=0 --conf-file=/dev/null --interface=lan0 --bind-interfaces --pid-file= --log-dhcp \
      --dhcp-range=198.18.5.100,198.18.5.199,12h --dhcp-leasefile="$work/router.leases" > "$work/router.log" 2>&1 &
  fi
  mkdir -p "$R"
  tar -C "$R" -xf "$tarball"
  mount -t proc proc "$R/proc"
  mount --rbind /dev "$R/dev"
  mount -t tmpfs tmpfs "$R/tmp"
  mount -t tmpfs tmpfs "$R/run"
  in_root() { chroot "$R" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8 "$@"; }
  as_user() { local u=$1; shift; in_root setpriv --reuid="$u" --regid="$u" --init-groups --inh-caps=-all "$@"; }

  log "dpkg -i $(basename "$deb") in the chroot"
  cp "$deb" "$R/tmp/netroot.deb"
  # A person's account that happens to be called netroot is not taken over: the install stops and says
  # why, the account is left as it was; once it is gone, dpkg --configure finishes the install.
  in_root adduser --disabled-password --gecos '' --quiet netroot
  account=$(in_root getent passwd netroot)
  in_root dpkg -i /tmp/netroot.deb > "$work/refused.log" 2>&1 && fail "postinst took over the non-system user netroot: $(cat "$work/refused.log")"
  grep -q "a user named netroot exists and is not a system user" "$work/refused.log" \
    || fail "postinst did not say why it stopped: $(cat "$work/refused.log")"
  [ "$(in_root getent passwd netroot)" = "$account" ] || fail "postinst changed the user netroot: $(in_root getent passwd netroot)"
  in_root deluser --quiet --remove-home netroot >> "$work/refused.log" 2>&1 # (it warns that cron is not there)
  ! in_root getent group netroot >/dev/null || in_root delgroup --quiet netroot
  # nor a group of people called netroot: its members would get the service's control token
  in_root addgroup --quiet netroot
  in_root dpkg --configure netroot > "$work/refused.log" 2>&1 && fail "postinst took over the non-system group netroot"
  grep -q "a group named netroot exists and is not a system group" "$work/refused.log" \
    || fail "postinst did not say why it stopped: $(cat "$work/refused.log")"
  ! in_root getent passwd netroot >/dev/null || fail "postinst made a user netroot beside a non-system group netroot"
  in_root delgroup --quiet netroot
  in_root dpkg --configure netroot > "$work/install.log" 2>&1 || { cat "$work/install.log" >&2; fail "dpkg -i"; }
  grep -q "sudo adduser YOUR-USER netroot" "$work/install.log" || fail "postinst did not tell the admin to join group netroot: $(cat "$work/install.log")"
  in_root getent passwd netroot | grep -q ':/var/lib/netroot:/usr/sbin/nologin$' || fail "no system user netroot: $(in_root getent passwd netroot)"
  in_root getent group netroot >/dev/null || fail "no group netroot"
  [ "$(in_root stat -c '%U:%G %a' /var/lib/netroot)" = "netroot:netroot 750" ] || fail "/var/lib/netroot is $(in_root stat -c '%U:%G %a' /var/lib/netroot)"
  [ -x "$R/usr/bin/netroot" ] && [ -x "$R/usr/bin/netroot-app" ] || fail "netroot and netroot-app are not on PATH"
  [ -L "$R/etc/systemd/system/multi-user.target.wants/netroot-server.service" ] || fail "postinst did not enable the service"
  [ "$(in_root netroot --version | head -1)" = "Netroot $version" ] || fail "netroot --version says '$(in_root netroot --version)', the package is $version"
  [ "$(in_root netroot-app --version)" = "Netroot control center $version" ] || fail "netroot-app --version says '$(in_root netroot-app --version)'"

  log "systemd-analyze verify netroot-server.service"
  verify=$(systemd-analyze verify --root="$R" netroot-server.service 2>&1) || fail "systemd-analyze verify: $verify"
  # a unit of the chroot's own (it has no systemd) may be named; nothing about ours may be
  if printf '%s\n' "$verify" | grep -q netroot; then fail "systemd-analyze verify: $verify"; fi
  log "systemd-analyze security (offline): $(systemd-analyze security --offline=yes --root="$R" netroot-server.service 2>/dev/null \
    | grep -o 'Overall exposure level for netroot-server.service: .*' || echo 'not available')"

  # The service as systemd starts it: its ExecStart, User, Group, AmbientCapabilities (also its bounding
  # set), UMask and NoNewPrivileges, read from the installed unit.
  key() { sed -n "s/^$1=//p" "$unit" | tail -1; }
  exec_start=$(key ExecStart) user=$(key User) group=$(key Group) umask_=$(key UMask)
  caps=$(key AmbientCapabilities | tr 'A-Z' 'a-z' | sed -e 's/cap_/+/g' -e 's/ /,/g')
  [ -n "$exec_start" ] && [ -n "$user" ] && [ -n "$caps" ] || fail "cannot read ExecStart, User, AmbientCapabilities from $unit"
  server_pid=
  start_server() {
    : > "$work/server-$1.log"
    chroot "$R" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8 \
      setpriv --reuid="$user" --regid="$group" --init-groups --inh-caps="-all,$caps" --ambient-caps="-all,$caps" \
      --bounding-set="-all,$caps" --no-new-privs /bin/sh -c "umask $umask_; cd /; exec $exec_start" \
      >> "$work/server-$1.log" 2>&1 &
    server_pid=$!
    for _ in $(seq 1 120); do
      grep -q "control API on" "$work/server-$1.log" && return 0
      kill -0 "$server_pid" 2>/dev/null || { cat "$work/server-$1.log" >&2; fail "the server ended while starting"; }
      sleep 1
    done
    cat "$work/server-$1.log" >&2; fail "the server did not start within 120 s"
  }
  stop_server() { # SIGTERM, as systemctl stop sends it
    kill -TERM "$server_pid"
    for _ in $(seq 1 60); do kill -0 "$server_pid" 2>/dev/null || { wait "$server_pid" || true; return 0; }; sleep 1; done
    fail "the server did not stop within 60 s of SIGTERM"
  }
  # Powers the PC pc1 on (BIOS, its e1000's iPXE ROM, TCG as the lab runs it) on tap0 and waits until its
  # boot sector, loaded from the volume over iSCSI, has printed its lines and left QEMU through
  # isa-debug-exit (status 33: it ran to its end). Its address comes from the router, the rest from the server.
  boot_pc() {
    local serial="$work/serial-$1.log" started=$SECONDS rc=0 acks
    # the router's log, not its lease file: a lease of the first boot would still be in the file at the second
    acks=$(grep -c "DHCPACK(lan0) [0-9.]* 52:54:00:15:00:01" "$work/router.log" || true)
    log "boot $1: a QEMU PC on the LAN boots client pc1's volume"
    lan timeout 240 qemu-system-x86_64 -accel tcg -display none -monitor none -m 256 -no-reboot \
      -serial "file:$serial" -device isa-debug-exit,iobase=0xf4,iosize=0x04 \
      -netdev tap,id=n0,ifname=tap0,script=no,downscript=no -device e1000,netdev=n0,mac=52:54:00:15:00:01 \
      -boot n > "$work/qemu-$1.log" 2>&1 || rc=$?
    local marker="NETROOT-LAB-MARKER-LBA2 written by the boot sector for iqn.2026-01.org.netroot:pc1"
    local written; written=$(dd if="$volume_file" bs=512 skip=2 count=1 status=none | tr -d '\0')
    if [ "$rc" != 33 ] || ! grep -q "LBA1: NETROOT-LAB-LBA1 known string 7f3a" "$serial" || [ "$written" != "$marker" ]; then
      printf -- '--- serial ---\n%s\n--- QEMU ---\n%s\n--- router (dnsmasq) ---\n%s\n--- server ---\n%s\n' "$(cat "$serial")" \
        "$(cat "$work/qemu-$1.log")" "$(tail -40 "$work/router.log")" "$(tail -60 "$work/server-$1.log")" >&2
      fail "boot $1: QEMU's exit status $rc (33: the boot sector ran to its end), LBA 2 holds '$written'"
    fi
    [ "$(grep -c "DHCPACK(lan0) [0-9.]* 52:54:00:15:00:01" "$work/router.log" || true)" -gt "$acks" ] \
      || fail "boot $1: the PC's address did not come from the router: $(tail -20 "$work/router.log")"
    log "boot $1: the PC booted its volume over iSCSI in $((SECONDS - started)) s (the boot sector read LBA 1 and wrote its marker)"
  }

  # What the app's setup saves: proxy DHCP on nr0 (the service reads it; its ExecStart names no interface)
  printf '{"interfaces":["nr0"],"dhcpMode":"PROXY"}\n' > "$R/var/lib/netroot/settings.json"
  in_root chown netroot:netroot /var/lib/netroot/settings.json
  chmod 0600 "$R/var/lib/netroot/settings.json"
  in_root adduser --disabled-password --gecos '' --quiet alice
  in_root adduser --disabled-password --gecos '' --quiet bob
  in_root adduser --quiet alice netroot

  log "the server as the unit runs it: $exec_start (user $user, capabilities $caps, umask $umask_)"
  start_server 1
  status=$(as_user alice netroot status 2>&1) || fail "netroot status as alice (group netroot): $status"
  printf '%s\n' "$status" | grep -q "^DHCP   running on 198.18.5.1 ports 67, 4011/udp (proxy mode on nr0)" \
    || fail "DHCP does not run on nr0 (capabilities?): $status"
  for s in TFTP HTTP iSCSI; do printf '%s\n' "$status" | grep -q "^$s *running" || fail "$s does not run: $status"; done
  if printf '%s\n' "$status" | grep -qi "ipxe"; then fail "the server does not find the iPXE files of Debian's ipxe: $status"; fi
  denied=$(as_user bob netroot status 2>&1) && fail "bob (not in group netroot) was let in: $denied"
  printf '%s\n' "$denied" | grep -q "join it (\`sudo adduser bob netroot\`), then log out and in again" \
    || fail "bob is not told how to get the right: $denied"
  [ "$(in_root stat -c '%G %a' /var/lib/netroot/control.json)" = "netroot 640" ] || fail "control.json: $(in_root stat -c '%U:%G %a' /var/lib/netroot/control.json)"
  if [ "$boot" = yes ]; then
    # the lab's BIOS disk (BootDisks.biosDisk): the boot sector, LBA 1's known string, 16 MiB (iPXE's
    # INT 13h geometry has no cylinder on a disk under 8 MiB)
    nasm -f bin -o "$work/bootsector.bin" "$boot_sector_source"
    truncate -s 16M "$R/srv/pc1.img"
    dd if="$work/bootsector.bin" of="$R/srv/pc1.img" conv=notrunc status=none
    printf 'NETROOT-LAB-LBA1 known string 7f3a\0' | dd of="$R/srv/pc1.img" bs=512 seek=1 conv=notrunc status=none
  else
    head -c 1048576 /dev/urandom > "$R/srv/pc1.img"
  fi
  chmod 0644 "$R/srv/pc1.img"
  as_user alice netroot volume create pc1-disk --from /srv/pc1.img > "$work/cli.log" 2>&1 || { cat "$work/cli.log" >&2; fail "volume create"; }
  as_user alice netroot client add pc1 --mac 52:54:00:15:00:01 --volume pc1-disk > "$work/cli.log" 2>&1 || { cat "$work/cli.log" >&2; fail "client add"; }
  volume_file="$R/var/lib/netroot/volumes/pc1-disk.img"
  [ "$(in_root stat -c '%U %a' /var/lib/netroot/volumes/pc1-disk.img)" = "netroot 600" ] \
    || fail "the volume file is $(in_root stat -c '%U:%G %a' /var/lib/netroot/volumes/pc1-disk.img): UMask?"
  [ "$(sha256sum < "$volume_file")" = "$(sha256sum < "$R/srv/pc1.img")" ] || fail "the volume does not hold the image"
  mib() { awk -v k="$1:" '$1 == k {printf "%d", $2 / 1024}' "$R/proc/$server_pid/status"; }
  rss_start=$(mib VmRSS)
  sleep "${NETROOT_DEB_CHECK_IDLE:-75}" # G1 gives memory back after a quiet minute (G1PeriodicGCInterval)
  # RssFile: pages of files (libjvm, the CDS archive, jars), shared with every other Java of this runtime
  echo "server RSS: $rss_start MiB when ready, $(mib VmRSS) MiB idle after ${NETROOT_DEB_CHECK_IDLE:-75} s" \
    "($(mib RssAnon) MiB of it its own memory, $(mib RssFile) MiB mapped files)" > "$work/rss.txt"
  log "$(cat "$work/rss.txt")"
  if [ "$boot" = yes ]; then
    boot_pc 1
    echo "server RSS after the PC's boot: $(mib VmRSS) MiB" >> "$work/rss.txt"
    log "$(tail -1 "$work/rss.txt")"
  fi
  sum_before=$(sha256sum < "$volume_file")
  stop_server
  grep -q "ERROR" "$work/server-1.log" && fail "the server logged errors: $(grep ERROR "$work/server-1.log")"

  log "upgrade to a rebuilt package"
  rebuilt="$work/rebuilt"
  dpkg-deb -R "$deb" "$rebuilt"
  sed -i "s/^Version: .*/Version: $version+check1/" "$rebuilt/DEBIAN/control"
  dpkg-deb --root-owner-group -Zzstd -z1 --build "$rebuilt" "$R/tmp/netroot-rebuilt.deb" >/dev/null
  in_root dpkg -i /tmp/netroot-rebuilt.deb > "$work/upgrade.log" 2>&1 || { cat "$work/upgrade.log" >&2; fail "the upgrade"; }
  [ "$(in_root dpkg-query -W -f '${Version}' netroot)" = "$version+check1" ] || fail "the upgrade did not install"
  grep -q "sudo adduser" "$work/upgrade.log" && fail "an upgrade repeats the first install's message"
  [ "$(sha256sum < "$volume_file")" = "$sum_before" ] || fail "the upgrade changed the volume's bytes"
  # the marker the first boot wrote is wiped: the boot after the upgrade must write it again
  [ "$boot" = yes ] && dd if=/dev/zero of="$volume_file" bs=512 seek=2 count=1 conv=notrunc status=none
  start_server 2
  clients=$(as_user alice netroot client list 2>&1) || fail "client list after the upgrade: $clients"
  printf '%s\n' "$clients" | grep -q "pc1.*52:54:00:15:00:01.*pc1-disk" || fail "the client is gone after the upgrade: $clients"
  volumes=$(as_user alice netroot volume list 2>&1) || fail "volume list after the upgrade: $volumes"
  printf '%s\n' "$volumes" | grep -q "^pc1-disk" || fail "the volume is gone after the upgrade: $volumes"
  [ "$boot" = yes ] && boot_pc 2
  stop_server
  grep -q "ERROR" "$work/server-2.log" && fail "the upgraded server logged errors: $(grep ERROR "$work/server-2.log")"

  log "remove keeps the data and the user; purge removes them"
  in_root dpkg -r netroot > "$work/remove.log" 2>&1 || { cat "$work/remove.log" >&2; fail "dpkg -r"; }
  [ ! -e "$R/usr/lib/netroot" ] && [ ! -e "$R/usr/bin/netroot" ] || fail "dpkg -r left the program"
  [ -f "$volume_file" ] && in_root getent passwd netroot >/dev/null || fail "dpkg -r removed the data or the user"
  in_root dpkg -P netroot > "$work/purge.log" 2>&1 || { cat "$work/purge.log" >&2; fail "dpkg -P"; }
  [ ! -e "$R/var/lib/netroot" ] || fail "purge left /var/lib/netroot: $(ls -la "$R/var/lib/netroot")"
  ! in_root getent passwd netroot >/dev/null || fail "purge left the user netroot"
  ! in_root getent group netroot >/dev/null || fail "purge left the group netroot"
  left=$(cd "$R" && find usr etc var -path '*netroot*' ! -path 'home/*' 2>/dev/null | grep -v '^var/lib/dpkg/' || true)
  [ -z "$left" ] || fail "purge left: $left"
  log "chroot checks passed"
  exit 0
fi

# ---- on the host: step 1, then the namespaces ----
[ -f "$deb" ] || fail "no package $1 (build it: ./mvnw -B -Pinstallers package -DskipTests)"
version=$(dpkg-deb -f "$deb" Version)
arch=$(dpkg-deb -f "$deb" Architecture)
log "$(basename "$deb"): version $version, $arch, $(du -h "$deb" | cut -f1), installed $(( $(dpkg-deb -f "$deb" Installed-Size) / 1024 )) MiB"
[[ "$version" =~ ^[0-9]+(\.[0-9]+)*(\+[a-z0-9.]+)?$ ]] || fail "version $version is not a plain release version (SNAPSHOT?)"

files=$(dpkg-deb -c "$deb" | awk '{print $6}')
for need in ./usr/bin/netroot ./usr/bin/netroot-app ./usr/lib/netroot/bin/netroot ./usr/lib/netroot/bin/netroot-app \
    ./usr/lib/netroot/lib/runtime/bin/java ./usr/lib/systemd/system/netroot-server.service \
    ./usr/share/applications/netroot-app.desktop ./usr/share/icons/hicolor/256x256/apps/netroot.png \
    ./usr/share/doc/netroot/copyright ./usr/share/doc/netroot/changelog.gz ./usr/lib/netroot/lib/app/libglass.so; do
  printf '%s\n' "$files" | grep -qxF "$need" || fail "the package lacks $need"
done
# Build leftovers: Maven's and jpackage's working files, sources and tests, editor and VCS files, a JDK's
# development parts (jlink leaves headers, man pages and jmods out)
leftovers=$(printf '%s\n' "$files" | grep -E '/target/|\.jpackage\.xml$|-sources\.jar$|-tests\.jar$|test-classes|surefire|maven|\.orig$|\.rej$|~$|\.swp$|\.tmp$|/\.git|\.class$|/include/|/jmods/|/man/man1/j|\.debug$|/demo/|/src\.zip$' || true)
[ -z "$leftovers" ] || fail "build leftovers in the package: $leftovers"
dpkg-deb -c "$deb" | awk '$2 != "root/root" {print}' | grep . && fail "files not owned by root"
log "dpkg -c: the commands, the service, the menu entry and no build leftovers"

if command -v lintian >/dev/null; then
  lint=$(lintian --fail-on error --tag-display-limit 0 "$deb" 2>&1) || { printf '%s\n' "$lint" >&2; fail "lintian reports errors"; }
  log "lintian: no error ($(printf '%s\n' "$lint" | grep -c '^W: ' || true) warnings)"
else
  log "lintian is not installed (Debian: apt-get install lintian): not run"
fi

# Every JDK module the jars need is in the runtime (jlink.modules in packaging/pom.xml)
if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/jdeps" ]; then
  x=$(mktemp -d); trap 'rm -rf "$x"' EXIT
  dpkg-deb -x "$deb" "$x"
  app="$x/usr/lib/netroot/lib/app"
  needed=$("$JAVA_HOME/bin/jdeps" --ignore-missing-deps --multi-release 21 --print-module-deps --class-path "$app/*" "$app"/*.jar 2>/dev/null | tail -1)
  have=$("$x/usr/lib/netroot/lib/runtime/bin/java" --list-modules | sed 's/@.*//')
  for m in ${needed//,/ }; do printf '%s\n' "$have" | grep -qxF "$m" || fail "the runtime lacks module $m (jlink.modules)"; done
  log "jdeps: the runtime has every module the jars need ($needed)"
  rm -rf "$x"; trap - EXIT
fi

if [ "$(id -u)" != 0 ]; then
  log "not root: the chroot install, the service and the upgrade are not checked (CI runs them as root)"
  exit 0
fi
missing=
for tool in mmdebstrap unshare chroot setpriv ip systemd-analyze; do command -v "$tool" >/dev/null || missing="$missing $tool"; done
[ -z "$missing" ] || fail "missing tools:$missing (Debian: mmdebstrap util-linux iproute2 systemd)"
# the PC's boot: QEMU and its iPXE ROM, nasm for the boot sector, dnsmasq as the router (as the lab tests need)
missing=
for tool in qemu-system-x86_64 nasm dnsmasq nsenter timeout; do command -v "$tool" >/dev/null || missing="$missing $tool"; done
[ -f /usr/lib/ipxe/qemu/efi-e1000.rom ] || missing="$missing efi-e1000.rom"
[ -f "$boot_sector_source" ] || missing="$missing $boot_sector_source"
if [ -n "$missing" ]; then
  # CI asks for the boot (NETROOT_DEB_CHECK_BOOT=yes): there a missing tool is a failure, not a skip
  [ "${NETROOT_DEB_CHECK_BOOT:-}" = yes ] && fail "NETROOT_DEB_CHECK_BOOT=yes but missing$missing (Debian: qemu-system-x86 ipxe-qemu nasm dnsmasq-base)"
  log "the PC's boot is not checked: missing$missing (Debian: qemu-system-x86 ipxe-qemu nasm dnsmasq-base)"
  export NETROOT_DEB_CHECK_BOOT=no
fi

chroot_tarball
work=$(mktemp -d /var/tmp/netroot-deb-check.XXXXXX)
trap 'rm -rf "$work"' EXIT
# its own mount, PID and network namespaces: mounts, the server and the dummy interface end with it
# --kill-child: a CI that ends this script ends everything in the namespaces before the trap removes $work
unshare --mount --pid --net --fork --kill-child "$0" "$deb" --in-namespace "$work"
[ -f "$work/rss.txt" ] && cp "$work/rss.txt" "$(dirname "$deb")/deb-check-rss.txt"
log "passed"
