# 200 simulated clients booting at once, sourced by bench/run.sh (BENCH_ONLY=many or the default set).
# The load generator is test code (server-core/src/test/java/org/netroot/server/bench/ManyClients.java): on
# virtual threads, each client does DHCP through one relay socket, GETs its iPXE script from its leased
# address, logs in to its iSCSI target from that address and READs 1 MiB (READ(10)).
#
# Topology: ns "<tag>ms" eth0 198.19.0.1/16 (Netroot) <-veth-> ns "<tag>mc" eth0 198.19.0.2/16 (the clients).
# Range 198.19.16.1-198.19.31.254 is made local in the clients' namespace (ip route add local ... dev lo),
# so each simulated client can use its own leased address as a source, like a real machine.
# Knobs: BENCH_MANY_CLIENTS (200), BENCH_MANY_REPS (3; the first against a freshly started server).

MANY_N=${BENCH_MANY_CLIENTS:-200}
MANY_REPS=${BENCH_MANY_REPS:-3}
NS_MS="${TAG}ms"; NS_MC="${TAG}mc"
ROWS_MANY=(); MANY_LINES=()

many_cleanup() {
  ns_remove "$NS_MS" "$NS_MC"
}

bench_many() {
  local d="$W/many-data" cp="$CORE/test-classes:$CORE/classes:$CORE/lib/*" out="$W/many.out" rep pid i
  if [ ! -f "$CORE/test-classes/org/netroot/server/bench/ManyClients.class" ] || \
     [ -n "$(find "$REPO/server-core/src/test/java/org/netroot/server/bench" -newer "$CORE/test-classes/org/netroot/server/bench/ManyClients.class" -print -quit)" ]; then
    log "MANY: compiling the load generator (./mvnw -q -DskipTests test-compile)"
    (cd "$REPO" && ./mvnw -B -q -DskipTests test-compile) >"$W/build-test.log" 2>&1 || { tail -20 "$W/build-test.log" >&2; ROWS_MANY+=("$MANY_N clients|not measured: test-compile failed|—|—|—|—"); return 0; }
  fi
  ip netns add "$NS_MS"; ip netns add "$NS_MC"
  ip -n "$NS_MS" link set lo up; ip -n "$NS_MC" link set lo up
  ip -n "$NS_MS" link add eth0 type veth peer name eth0 netns "$NS_MC"
  ip -n "$NS_MS" addr add 198.19.0.1/16 dev eth0; ip -n "$NS_MC" addr add 198.19.0.2/16 dev eth0
  ip -n "$NS_MS" link set eth0 up; ip -n "$NS_MC" link set eth0 up
  ip -n "$NS_MC" route add local 198.19.16.0/20 dev lo
  mkdir -p "$d"
  log "MANY: creating $MANY_N clients and volumes (offline, through LocalControl)"
  "$JAVA_HOME/bin/java" -cp "$cp" org.netroot.server.bench.ManyClients setup "$d" "$MANY_N" >"$W/many-setup.log" 2>&1 \
    || { tail -5 "$W/many-setup.log" >&2; ROWS_MANY+=("$MANY_N clients|not measured: setup failed ($(tail -1 "$W/many-setup.log"))|—|—|—|—"); many_cleanup; return 0; }
  ip netns exec "$NS_MS" "${NETROOT[@]}" serve --data "$d" --interface eth0 --dhcp full \
    --range 198.19.16.1-198.19.31.254 --control-port 0 >"$W/many-netroot.log" 2>&1 &
  pid=$!; PIDS+=("$pid")
  for i in $(seq 1 240); do grep -q '^Netroot ready' "$W/many-netroot.log" && break; kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
  if ! grep -q '^Netroot ready' "$W/many-netroot.log"; then
    ROWS_MANY+=("$MANY_N clients|not measured: Netroot did not start ($(tail -1 "$W/many-netroot.log"))|—|—|—|—"); many_cleanup; return 0
  fi
  local walls="" c0 c1
  for rep in $(seq 1 "$MANY_REPS"); do
    log "MANY: $MANY_N clients at once, run $rep of $MANY_REPS"
    c0=$(cpu_of "$pid")
    inns "$NS_MC" timeout 120 "$JAVA_HOME/bin/java" -cp "$cp" org.netroot.server.bench.ManyClients run "$MANY_N" 198.19.0.1 198.19.0.2 >"$out" 2>&1 || true
    c1=$(cpu_of "$pid")
    local wall done_n line
    wall=$(awk '/^wall_ms/ {print $2}' "$out"); done_n=$(awk '/^completed/ {print $2}' "$out")
    line="run $rep$([ "$rep" = 1 ] && echo ' (server just started)'): ${done_n:-0} of $MANY_N clients done, wall ${wall:-?} ms, Netroot CPU $(fmt "$(calc "$c1 - $c0")" 2) s"
    for ph in dhcp script login read total; do
      line+="; $ph $(awk -v p="${ph}_ms" '$1 == p {printf "p50 %s p90 %s p99 %s max %s", $3, $5, $7, $9}' "$out")"
    done
    [ "$(awk '/^failure/' "$out" | head -1)" ] && line+="; first failure: $(awk '/^failure/ {sub(/^failure /, ""); print; exit}' "$out" | cut -c1-160)"
    samples "Many clients, $line"
    MANY_LINES+=("$line")
    if [ "${done_n:-0}" = "$MANY_N" ]; then walls+="$wall "; fi
    cp "$out" "$W/many.out.$rep"
  done
  kill "$pid" 2>/dev/null || true; sleep 1; kill -9 "$pid" 2>/dev/null || true
  many_cleanup
  local med verdict="**missed**" out1="$W/many.out.1" last="$W/many.out.$MANY_REPS"
  if [ -n "$walls" ]; then
    med=$(tr ' ' '\n' <<<"$walls" | awk 'NF' | median)
    awk -v m="$med" 'BEGIN {exit !(m < 10000)}' && verdict="**met**"
    ROWS_MANY+=("$MANY_N clients: DHCP → script → iSCSI login → 1 MiB READ(10)|$(fmt "$(calc "$med / 1000")" 2) s wall (median of $(wc -w <<<"$walls") complete runs)|—|—|all done in < 10 s|$verdict")
  else
    ROWS_MANY+=("$MANY_N clients: DHCP → script → iSCSI login → 1 MiB READ(10)|no run completed all clients|—|—|all done in < 10 s|**missed**")
  fi
}

many_section() {
  echo "## $MANY_N clients booting at once (DHCP, script, iSCSI login, 1 MiB read)"
  echo
  echo "\`server-core/src/test/java/org/netroot/server/bench/ManyClients.java\` (test code, not a unit test) creates"
  echo "$MANY_N clients, each with a 2 MiB volume, through \`LocalControl\` before \`serve --dhcp full\` starts in its own"
  echo "namespace. Then, in a client namespace, one virtual thread per client: DHCP DISCOVER/REQUEST relayed through one"
  echo "UDP socket (giaddr 198.19.0.2), HTTP GET of \`/boot/<mac>.ipxe\` from the leased address, iSCSI login (no CHAP)"
  echo "to the client's own target from that address and one READ(10) of 1 MiB. All $MANY_N start together; wall time is"
  echo "from the first DISCOVER to the last byte read. $MANY_REPS runs against one server (run 1 right after it started,"
  echo "JIT cold); percentiles per phase in milliseconds. No reference server: the target is absolute."
  echo
  echo "| case | Netroot | reference | ratio | target | verdict |"
  echo "|---|---|---|---|---|---|"
  local r; for r in "${ROWS_MANY[@]}"; do echo "| ${r//|/ | } |"; done
  echo
  for r in "${MANY_LINES[@]}"; do echo "- $r"; done
}
