#!/usr/bin/env bash
# Builds the .deb from the jpackage app-image (packaging/pom.xml runs it; profile deb):
#   build-deb.sh APP_IMAGE ICON_DIR VERSION ARCH MAINTAINER OUT_DIR  ->  OUT_DIR/netroot_VERSION_ARCH.deb
# The tree: /usr/lib/netroot (the app-image), /usr/bin/netroot and netroot-app (links to its launchers),
# the unit netroot-server.service, the menu entry and its icons, the docs; DEBIAN/ holds the control
# file and the maintainer scripts of this folder. Every file belongs to root (dpkg-deb --root-owner-group).
set -euo pipefail
app_image=$1 icons=$2 version=$3 arch=$4 maintainer=$5 out=$6
here=$(cd "$(dirname "$0")" && pwd)
tree="$out/deb/netroot"
rm -rf "$out/deb"
mkdir -p "$tree/DEBIAN" "$tree/usr/lib" "$tree/usr/bin" "$tree/usr/lib/systemd/system" "$tree/usr/share/applications" \
  "$tree/usr/share/doc/netroot" "$tree/usr/share/lintian/overrides"

cp -a "$app_image" "$tree/usr/lib/netroot"
# The installed commands and the app use the service's data folder for every user (api.DataFolder);
# --data DIR or $NETROOT_DATA still choose another. jpackage writes [JavaOptions] last in each launcher's .cfg.
for cfg in "$tree"/usr/lib/netroot/lib/app/*.cfg; do
  tail -1 "$cfg" | grep -q '^java-options=' || { echo "build-deb.sh: $cfg does not end in [JavaOptions]" >&2; exit 1; }
  echo "java-options=-Dnetroot.data=/var/lib/netroot" >> "$cfg"
done
ln -s ../lib/netroot/bin/netroot "$tree/usr/bin/netroot"
ln -s ../lib/netroot/bin/netroot-app "$tree/usr/bin/netroot-app"

install -m 0644 "$here/netroot-server.service" "$tree/usr/lib/systemd/system/"
install -m 0644 "$here/netroot-app.desktop" "$tree/usr/share/applications/"
for png in "$icons"/netroot-*.png; do
  size=$(basename "$png" .png); size=${size#netroot-}
  install -D -m 0644 "$png" "$tree/usr/share/icons/hicolor/${size}x${size}/apps/netroot.png"
done
install -m 0644 "$here/copyright" "$here/README.Debian" "$tree/usr/share/doc/netroot/"
install -d "$tree/usr/share/man/man1"
for page in netroot.1 netroot-app.1; do gzip -9n < "$here/$page" > "$tree/usr/share/man/man1/$page.gz"; done
install -m 0644 "$here/lintian-overrides" "$tree/usr/share/lintian/overrides/netroot"
# Debian's changelog of a native package: one entry, this build
{
  echo "netroot ($version) unstable; urgency=medium"
  echo
  echo "  * Netroot $version, built from the project's sources (packaging/pom.xml)."
  echo
  echo " -- $maintainer  $(date -R -d "@${SOURCE_DATE_EPOCH:-$(date +%s)}")"
} | gzip -9n > "$tree/usr/share/doc/netroot/changelog.gz"

# jpackage leaves its own icon copies and its app-image record (for a later jpackage run), and jlink
# read-only legal files: files 0644, programs and folders 0755
rm -f "$tree"/usr/lib/netroot/lib/*.png "$tree"/usr/lib/netroot/lib/app/.jpackage.xml
find "$tree" -type d -exec chmod 0755 {} +
find "$tree" -type f -exec chmod u+w,go-w {} +
# Debian ships programs and libraries stripped (dh_strip's options); the JDK's and JavaFX's come with their
# symbol tables (libjvm.so: 30 of its 37 MB). A crash report then names native frames by offset.
find "$tree/usr/lib/netroot" -type f \( -name '*.so' -o -perm -u+x \) -print0 | while IFS= read -r -d '' f; do
  [ "$(head -c 4 "$f" | od -An -c | tr -d ' ')" = '177ELF' ] || continue
  case "$f" in
    *.so) strip --remove-section=.comment --remove-section=.note --strip-unneeded "$f" ;;
    *) strip --remove-section=.comment --remove-section=.note "$f" ;;
  esac
done

install -m 0755 "$here/postinst" "$here/prerm" "$here/postrm" "$tree/DEBIAN/"
installed_size=$(du -sk --apparent-size --exclude=DEBIAN "$tree" | cut -f1)
sed -e "s|@VERSION@|$version|" -e "s|@ARCH@|$arch|" -e "s|@MAINTAINER@|$maintainer|" \
    -e "s|@INSTALLED_SIZE@|$installed_size|" "$here/control" > "$tree/DEBIAN/control"
( cd "$tree" && find . -path ./DEBIAN -prune -o -type f -printf '%P\n' | LC_ALL=C sort | xargs -d '\n' md5sum ) \
  > "$tree/DEBIAN/md5sums"
chmod 0644 "$tree/DEBIAN/control" "$tree/DEBIAN/md5sums"

deb="$out/netroot_${version}_${arch}.deb"
# xz, Debian's default: the smallest, and every dpkg reads it (zstd is 15x faster to make but 12% larger here)
dpkg-deb --root-owner-group -Zxz --build "$tree" "$deb" >/dev/null
echo "build-deb.sh: $deb ($(du -h "$deb" | cut -f1), installed $((installed_size / 1024)) MiB)"
