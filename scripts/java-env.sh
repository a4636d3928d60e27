# Sourced by ./netroot, ./run-tests and .ci/run: finds a JDK >= 21 and exports JAVA_HOME.
# The machine's default java may be older (Debian 12 ships 17); we prefer $JAVA_HOME, then
# Temurin 25, then any JDK under /usr/lib/jvm, then java on PATH.
netroot_java_version() {
  "$1/bin/java" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2; exit}'
}
netroot_find_jdk() {
  local c v
  for c in "${JAVA_HOME:-}" /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/temurin-21-jdk-amd64 \
           /usr/lib/jvm/*; do
    [ -n "$c" ] && [ -x "$c/bin/javac" ] || continue
    v=$(netroot_java_version "$c")
    if [ -n "$v" ] && [ "${v%%.*}" -ge 21 ] 2>/dev/null; then echo "$c"; return 0; fi
  done
  if command -v javac >/dev/null 2>&1; then
    c=$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")
    v=$(netroot_java_version "$c")
    if [ -n "$v" ] && [ "${v%%.*}" -ge 21 ] 2>/dev/null; then echo "$c"; return 0; fi
  fi
  return 1
}
if ! JAVA_HOME=$(netroot_find_jdk); then
  echo "netroot: needs a JDK 21 or newer and found none (checked \$JAVA_HOME, /usr/lib/jvm and PATH)." >&2
  echo "netroot: install one (e.g. Debian/Ubuntu: sudo apt install openjdk-21-jdk, or Temurin 21/25) and retry." >&2
  exit 1
fi
export JAVA_HOME
export PATH="$JAVA_HOME/bin:$PATH"
