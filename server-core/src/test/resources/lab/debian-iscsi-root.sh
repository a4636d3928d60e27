#!/usr/bin/env bash
# Builds a BIOS disk image whose Debian boots with its root file system on iSCSI, for LinuxRootLabTest:
#   partition 1, FAT: SYSLINUX, the kernel and the initramfs (what iPXE's sanboot hands the BIOS
#     through INT 13h: SYSLINUX reads the kernel and initramfs over iSCSI through iPXE);
#   partition 2, ext4 labelled netroot-root: Debian 12 (minbase, linux-image-amd64, open-iscsi).
# The initramfs logs in with open-iscsi's own initiator from what iPXE left in the iBFT (target,
# initiator name, CHAP): ISCSI_AUTO=true in /etc/iscsi/iscsi.initramfs. Its init is a short script
# (/sbin/netroot-lab-init) that counts boots in a file on the root file system, prints what it
# found on the serial console, and powers the PC off.
#
#   debian-iscsi-root.sh CACHE_DIR OUT_IMAGE
#
# The Debian tree comes from mmdebstrap (Debian mirror through apt's sources) once per CACHE_DIR and
# recipe version; later runs reuse its tarball. Needs root (mmdebstrap, file ownership), mmdebstrap,
# syslinux, mtools, dosfstools, e2fsprogs, fdisk (sfdisk).
set -euo pipefail
CACHE=$1
OUT=$2
RECIPE=v1
TARBALL="$CACHE/debian12-iscsi-root-$RECIPE.tar"
mkdir -p "$CACHE"
log() { printf '%s debian-iscsi-root: %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }

if [ ! -s "$TARBALL" ]; then
  log "building the Debian tree with mmdebstrap (once per cache: $TARBALL)"
  mmdebstrap --variant=minbase --mode=root \
    --include=linux-image-amd64,open-iscsi,initramfs-tools,udev,kmod,e2fsprogs \
    --customize-hook='echo "ISCSI_AUTO=true" > "$1/etc/iscsi/iscsi.initramfs"' \
    --customize-hook='echo netroot-lab > "$1/etc/hostname"' \
    --customize-hook='printf "%s\n" "LABEL=netroot-root / ext4 defaults 0 1" > "$1/etc/fstab"' \
    --customize-hook='chroot "$1" update-initramfs -u -k all' \
    --customize-hook='rm -rf "$1"/var/cache/apt/archives/*.deb "$1"/var/lib/apt/lists/*' \
    --dpkgopt=force-unsafe-io --dpkgopt='path-exclude=/usr/share/doc/*' --dpkgopt='path-exclude=/usr/share/man/*' \
    --dpkgopt='path-exclude=/usr/share/locale/*' --aptopt='Acquire::Languages "none"' \
    bookworm "$CACHE/partial-$RECIPE.tar" # mmdebstrap knows the format by the name's ending: .tar
  mv "$CACHE/partial-$RECIPE.tar" "$TARBALL"
fi

W=$(mktemp -d "$(dirname "$OUT")/.debian-root.XXXXXX")
trap 'rm -rf "$W"' EXIT
mkdir "$W/root"
tar -C "$W/root" -xf "$TARBALL"
cat > "$W/root/sbin/netroot-lab-init" <<'INIT'
#!/bin/sh
# PID 1 of the lab's Linux PC: root is on iSCSI (open-iscsi in the initramfs, from the iBFT).
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -o remount,rw /
say() { echo "NETROOT-LINUX: $*" > /dev/ttyS0; }
say "root $(grep ' / ' /proc/mounts | cut -d' ' -f1) mounted read-write"
for s in /sys/class/iscsi_session/session*; do
  [ -d "$s" ] && say "iscsi session to $(cat "$s/targetname") as $(cat "$s/initiatorname")"
done
mkdir -p /var/lib/netroot-lab
count=$(cat /var/lib/netroot-lab/boots 2>/dev/null || echo 0)
say "boots recorded before this one: $count, last note: $(cat /var/lib/netroot-lab/note 2>/dev/null || echo none)"
count=$((count + 1))
echo "$count" > /var/lib/netroot-lab/boots
echo "written by boot $count" > /var/lib/netroot-lab/note
sync
say "boot $count wrote its note; powering off"
echo o > /proc/sysrq-trigger
sleep 30
INIT
chmod 755 "$W/root/sbin/netroot-lab-init"

KERNEL=$(ls "$W"/root/boot/vmlinuz-* | head -1)
INITRD=$(ls "$W"/root/boot/initrd.img-* | head -1)
cat > "$W/syslinux.cfg" <<'CFG'
SERIAL 0 115200
DEFAULT linux
PROMPT 0
TIMEOUT 0
LABEL linux
  KERNEL /vmlinuz
  APPEND initrd=/initrd.img root=LABEL=netroot-root rw ip=dhcp console=ttyS0,115200 init=/sbin/netroot-lab-init panic=-1
CFG

FAT_MIB=160
ROOT_MIB=1200
mkfs.vfat -n NETROOTBOOT -C "$W/fat.img" $((FAT_MIB * 1024)) >/dev/null
mcopy -i "$W/fat.img" "$KERNEL" ::vmlinuz
mcopy -i "$W/fat.img" "$INITRD" ::initrd.img
mcopy -i "$W/fat.img" "$W/syslinux.cfg" ::syslinux.cfg
syslinux --install "$W/fat.img"
mkfs.ext4 -q -L netroot-root -d "$W/root" "$W/ext4.img" "${ROOT_MIB}M"

rm -f "$OUT"
truncate -s $((1 + FAT_MIB + ROOT_MIB + 1))M "$OUT"
sfdisk -q "$OUT" <<TABLE
label: dos
start=1MiB, size=${FAT_MIB}MiB, type=c, bootable
start=$((1 + FAT_MIB))MiB, size=${ROOT_MIB}MiB, type=83
TABLE
dd if=/usr/lib/syslinux/mbr/mbr.bin of="$OUT" bs=440 count=1 conv=notrunc status=none
dd if="$W/fat.img" of="$OUT" bs=1M seek=1 conv=notrunc,sparse status=none
dd if="$W/ext4.img" of="$OUT" bs=1M seek=$((1 + FAT_MIB)) conv=notrunc,sparse status=none
log "wrote $OUT ($(du -h --apparent-size "$OUT" | cut -f1) virtual, $(du -h "$OUT" | cut -f1) used)"
