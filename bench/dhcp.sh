# DHCP storm benchmark, sourced by bench/run.sh (BENCH_ONLY=dhcp or the default set): ISC's perfdhcp
# (Debian: kea-admin) against Netroot (serve --dhcp full), dnsmasq and Kea (kea-dhcp4-server, memfile),
# one server at a time in the same namespace, same run. perfdhcp sends to the server's address from its
# own, so it speaks as a relay agent (giaddr = 198.19.0.2): every server serves relayed requests here.
#
# Topology: ns "<tag>ds" eth0 198.19.0.1/16 (the server) <-veth-> ns "<tag>dp" eth0 198.19.0.2/16 (perfdhcp).
# Range 198.19.1.0-198.19.255.254 (65,000 addresses): a ramp never runs the pool out.
#
# Per server and repetition: a fresh server, an untimed warm-up (JIT), then a ramp of rates (-r), each for
# DHCP_STEP_S seconds; max sustained rate = the highest step with < 1% drops (DISCOVER-OFFER and
# REQUEST-ACK drops over packets sent). Then a fresh server and DHCP_FIXED_RATE/s for DHCP_FIXED_S s:
# drop rate and the server's CPU time (utime+stime from /proc/PID/stat).
# Knobs: BENCH_DHCP_REPS (2), BENCH_DHCP_RATES ("250 500 1000 2000 4000 8000 16000"), BENCH_DHCP_STEP_S (4),
# BENCH_DHCP_FIXED_RATE (1000), BENCH_DHCP_FIXED_S (10), BENCH_DHCP_WARMUP ("500 5": rate and seconds).

DHCP_REPS=${BENCH_DHCP_REPS:-2}
DHCP_RATES=${BENCH_DHCP_RATES:-"250 500 1000 2000 4000 8000 16000"}
DHCP_STEP_S=${BENCH_DHCP_STEP_S:-4}
DHCP_FIXED_RATE=${BENCH_DHCP_FIXED_RATE:-1000}
DHCP_FIXED_S=${BENCH_DHCP_FIXED_S:-10}
# untimed warm-up before each ramp and fixed run, "RATE SECONDS": a fresh JVM compiles its hot path in the first
# thousands of packets (C2), dnsmasq and Kea do not need it but get the same
read -r DHCP_WARM_RATE DHCP_WARM_S <<<"${BENCH_DHCP_WARMUP:-500 5}"
NS_DS="${TAG}ds"; NS_DP="${TAG}dp"
DHCP_SRV=198.19.0.1; DHCP_RELAY=198.19.0.2
DHCP_RANGE_START=198.19.1.0; DHCP_RANGE_END=198.19.255.254
ROWS_DHCP=(); DHCP_NOTES=()
DHCP_PID=""

dhcp_tools() {
  local missing=()
  command -v perfdhcp >/dev/null || missing+=(kea-admin)
  command -v kea-dhcp4 >/dev/null || missing+=(kea-dhcp4-server)
  [ ${#missing[@]} = 0 ] && return 0
  log "DHCP: installing ${missing[*]} (apt-get)"
  DEBIAN_FRONTEND=noninteractive apt-get install -y "${missing[@]}" >"$W/apt.log" 2>&1 || return 1
  # the package may start a machine-wide kea-dhcp4 service; we run our own in a namespace only
  command -v perfdhcp >/dev/null && command -v kea-dhcp4 >/dev/null
}

dhcp_net() {
  ip netns add "$NS_DS"; ip netns add "$NS_DP"
  ip -n "$NS_DS" link set lo up; ip -n "$NS_DP" link set lo up
  ip -n "$NS_DS" link add eth0 type veth peer name eth0 netns "$NS_DP"
  ip -n "$NS_DS" addr add "$DHCP_SRV/16" dev eth0; ip -n "$NS_DP" addr add "$DHCP_RELAY/16" dev eth0
  ip -n "$NS_DS" link set eth0 up; ip -n "$NS_DP" link set eth0 up
}

dhcp_cleanup() {
  dhcp_stop
  ns_remove "$NS_DS" "$NS_DP"
}

dhcp_stop() {
  [ -n "$DHCP_PID" ] || return 0
  kill "$DHCP_PID" 2>/dev/null
  local i; for i in $(seq 1 40); do kill -0 "$DHCP_PID" 2>/dev/null || break; sleep 0.1; done
  kill -9 "$DHCP_PID" 2>/dev/null; wait "$DHCP_PID" 2>/dev/null
  DHCP_PID=""
  sleep 0.3
}

# starts a fresh server of the given kind in NS_DS; DHCP_PID is its pid (the server itself, for /proc)
dhcp_start() {
  local kind=$1 d="$W/dhcp-$1" i
  rm -rf "$d"; mkdir -p "$d"
  case $kind in
    netroot)
      ip netns exec "$NS_DS" "${NETROOT[@]}" serve --data "$d" --interface eth0 --dhcp full \
        --range "$DHCP_RANGE_START-$DHCP_RANGE_END" --control-port 0 >"$d/log" 2>&1 &
      DHCP_PID=$!; PIDS+=("$DHCP_PID")
      for i in $(seq 1 240); do
        grep -q '^Netroot ready' "$d/log" && return 0
        kill -0 "$DHCP_PID" 2>/dev/null || break
        sleep 0.25
      done
      echo "Netroot did not start: $(tail -3 "$d/log" | tr '\n' ' ' | cut -c1-200)" >"$W/last_error"; return 1 ;;
    dnsmasq)
      # --no-ping: dnsmasq otherwise pings each new address and waits for silence before offering;
      # --leasefile-ro: no lease file rewrite per lease (it rewrites the whole file on each change)
      ip netns exec "$NS_DS" dnsmasq --no-daemon --conf-file=/dev/null --port=0 --interface=eth0 --bind-interfaces \
        --dhcp-range="$DHCP_RANGE_START,$DHCP_RANGE_END,255.255.0.0,1h" --dhcp-lease-max=200000 \
        --leasefile-ro --no-ping --quiet-dhcp --pid-file= --log-facility="$d/syslog" >"$d/log" 2>&1 &
      DHCP_PID=$! ;;
    kea)
      cat >"$d/kea.json" <<EOF
{ "Dhcp4": {
    "interfaces-config": { "interfaces": [ "eth0" ], "dhcp-socket-type": "udp" },
    "lease-database": { "type": "memfile", "persist": true, "name": "$d/leases.csv", "lfc-interval": 0 },
    "valid-lifetime": 3600,
    "subnet4": [ { "subnet": "198.19.0.0/16", "pools": [ { "pool": "$DHCP_RANGE_START - $DHCP_RANGE_END" } ] } ],
    "loggers": [ { "name": "kea-dhcp4", "output_options": [ { "output": "$d/kea.log" } ], "severity": "WARN" } ]
} }
EOF
      KEA_PIDFILE_DIR="$d" KEA_LOCKFILE_DIR="$d" ip netns exec "$NS_DS" kea-dhcp4 -c "$d/kea.json" >"$d/log" 2>&1 &
      DHCP_PID=$! ;;
  esac
  PIDS+=("$DHCP_PID")
  for i in $(seq 1 40); do
    inns "$NS_DS" ss -Hlnu "( sport = :67 )" | grep -q . && return 0
    kill -0 "$DHCP_PID" 2>/dev/null || break
    sleep 0.25
  done
  echo "$kind did not start: $(tail -3 "$d/log" | tr '\n' ' ' | cut -c1-200)" >"$W/last_error"; return 1
}

# one perfdhcp run; prints "rate exchanges_per_s drop_pct server_cpu_s" (drop_pct over both exchanges)
perf_once() { # rate seconds
  local out="$W/perfdhcp.out" c0 c1
  c0=$(cpu_of "$DHCP_PID")
  # -R: that many simulated clients (random MACs), far more than a run can use; -d 2: a reply later than
  # 2 s is a drop; -W: wait 0.5 s after the run for replies in flight
  inns "$NS_DP" timeout $(( $2 + 20 )) perfdhcp -4 -g single -l "$DHCP_RELAY" -r "$1" -R 1000000 -p "$2" -d 2 \
    -W 500000 "$DHCP_SRV" >"$out" 2>&1 || true
  c1=$(cpu_of "$DHCP_PID")
  awk -v r="$1" -v cpu="$(calc "$c1 - $c0")" '
    /^Rate:/ {rate = $2}
    /^sent packets:/ {sent += $3}
    /^drops:/ {drops += $2}
    END {if (sent == 0) {print r, 0, 100, cpu} else printf "%s %.1f %.2f %s\n", r, rate, 100 * drops / sent, cpu}' "$out"
}

dhcp_ramp() { # kind -> "max_rate exchanges_at_max" ; steps logged to the samples
  local kind=$1 r res best=0 bestx=0 steps=""
  dhcp_start "$kind" || { echo "- DHCP $kind: $(cat "$W/last_error")" >>"$W/samples.md"; return 1; }
  perf_once "$DHCP_WARM_RATE" "$DHCP_WARM_S" >/dev/null   # warm-up, untimed: JIT for Netroot, caches for all
  for r in $DHCP_RATES; do
    res=$(perf_once "$r" "$DHCP_STEP_S")
    steps+="${steps:+, }$r/s → $(awk '{printf "%s ex/s %.2f%% drops", $2, $3}' <<<"$res")"
    if awk '{exit !($3 < 1)}' <<<"$res"; then best=$r; bestx=$(awk '{print $2}' <<<"$res")
    elif awk '{exit !($3 >= 20)}' <<<"$res"; then break; fi   # far past the knee: the next steps only drop more
  done
  dhcp_stop
  samples "DHCP ramp, $kind: $steps"
  echo "$best $bestx"
}

dhcp_fixed() { # kind -> "rate exchanges drop_pct cpu"
  local kind=$1 res
  dhcp_start "$kind" || return 1
  perf_once "$DHCP_WARM_RATE" "$DHCP_WARM_S" >/dev/null
  res=$(perf_once "$DHCP_FIXED_RATE" "$DHCP_FIXED_S")
  dhcp_stop
  samples "DHCP fixed $DHCP_FIXED_RATE/s for $DHCP_FIXED_S s, $kind: $(awk '{printf "%s ex/s, %.2f%% drops, server CPU %.2f s", $2, $3, $4}' <<<"$res")"
  echo "$res"
}

bench_dhcp() {
  if ! dhcp_tools; then
    ROWS_DHCP+=("not measured: perfdhcp/kea-dhcp4 missing and apt-get install kea-admin kea-dhcp4-server failed|—|—|—|—|—")
    return 0
  fi
  dhcp_net
  local rep kind order res
  declare -A MAXR=() MAXX=() FIXD=() FIXX=() FIXC=()
  for rep in $(seq 1 "$DHCP_REPS"); do
    order=(netroot dnsmasq kea); [ $((rep % 2)) = 0 ] && order=(kea dnsmasq netroot)
    for kind in "${order[@]}"; do
      log "DHCP: $kind, repetition $rep: ramp $DHCP_RATES/s, ${DHCP_STEP_S}s each; then $DHCP_FIXED_RATE/s for ${DHCP_FIXED_S}s"
      if res=$(dhcp_ramp "$kind"); then MAXR[$kind]+="${res% *} "; MAXX[$kind]+="${res#* } "; fi
      if res=$(dhcp_fixed "$kind"); then
        FIXX[$kind]+="$(awk '{print $2}' <<<"$res") "; FIXD[$kind]+="$(awk '{print $3}' <<<"$res") "
        FIXC[$kind]+="$(awk '{print $4}' <<<"$res") "
      fi
    done
  done
  dhcp_cleanup
  local label
  for kind in netroot dnsmasq kea; do
    case $kind in netroot) label="Netroot (serve --dhcp full)";; dnsmasq) label="dnsmasq $(dnsmasq --version | head -1 | awk '{print $3}')";;
      kea) label="Kea $(kea-dhcp4 -v 2>/dev/null | head -1) (memfile on tmpfs, lfc off)";; esac
    if [ -z "${MAXR[$kind]:-}" ]; then ROWS_DHCP+=("$label|not measured|—|—|—|—"); continue; fi
    local mr mx fx fd fc
    mr=$(med "${MAXR[$kind]}"); mx=$(med "${MAXX[$kind]}")
    fx=$(med "${FIXX[$kind]:-0}"); fd=$(med "${FIXD[$kind]:-100}"); fc=$(med "${FIXC[$kind]:-0}")
    eval "DHCP_${kind}_MAX=$mr DHCP_${kind}_FIXD=$fd"
    ROWS_DHCP+=("$label|$(fmt "$mr" 0)/s ($(fmt "$mx" 0) exchanges/s) [$(echo ${MAXR[$kind]} | tr ' ' ',')]|$(fmt "$fx" 0)/s|$(fmt "$fd" 2) % [$(echo ${FIXD[$kind]} | tr ' ' ',')]|$(fmt "$(calc "$fc * 1000 / ($DHCP_FIXED_RATE * $DHCP_FIXED_S)")" 3) ms|$(dhcp_ratio "$mr")")
  done
  local verdict
  if [ -n "${DHCP_netroot_MAX:-}" ] && [ -n "${DHCP_dnsmasq_MAX:-}" ]; then
    verdict=$(awk -v n="$DHCP_netroot_MAX" -v d="$DHCP_dnsmasq_MAX" -v nd="$DHCP_netroot_FIXD" -v dd="$DHCP_dnsmasq_FIXD" \
      'BEGIN {print ((n >= d && nd <= dd + 0.5) ? "**met**" : "**missed**")}')
    DHCP_VERDICT="Netroot/dnsmasq max sustained rate: $(fmt "$(calc "$DHCP_netroot_MAX / ($DHCP_dnsmasq_MAX > 0 ? $DHCP_dnsmasq_MAX : 1)")")×; target ≥ 1.0× dnsmasq and no more drops than dnsmasq at $DHCP_FIXED_RATE/s: $verdict"
  else
    DHCP_VERDICT="Netroot/dnsmasq: not measured"
  fi
}

med() { tr ' ' '\n' <<<"$1" | awk 'NF' | median; }   # median of a space-separated list

dhcp_ratio() { # max rate of this row -> ratio to dnsmasq's
  local d
  d=$(med "${MAXR[dnsmasq]:-}" 2>/dev/null) || { echo "—"; return; }
  awk -v n="$1" -v d="$d" 'BEGIN {if (d > 0) printf "%.2f×", n / d; else print "—"}'
}

dhcp_section() {
  echo "## DHCP storm, full mode, perfdhcp as a relay agent"
  echo
  echo "perfdhcp $(perfdhcp -v 2>&1 | awk '{print $2}') (\`-4 -g single -l $DHCP_RELAY -R 1000000 -d 2 $DHCP_SRV\`) in its own namespace"
  echo "sends DISCOVER/REQUEST to the server's address, so every request is relayed (giaddr $DHCP_RELAY); range"
  echo "$DHCP_RANGE_START-$DHCP_RANGE_END (/16). One server at a time in the server namespace, each started fresh for"
  echo "every ramp and every fixed-load run, with an untimed warm-up of $DHCP_WARM_S s at $DHCP_WARM_RATE/s. Ramp: rates $DHCP_RATES/s for"
  echo "$DHCP_STEP_S s each; **max sustained** = the highest rate with < 1% drops (drops of DISCOVER-OFFER and"
  echo "REQUEST-ACK over packets sent; a reply later than 2 s is a drop). Fixed load: $DHCP_FIXED_RATE/s for $DHCP_FIXED_S s."
  echo "Medians of $DHCP_REPS repetitions (all values in brackets), order of servers alternating."
  echo "dnsmasq: \`--leasefile-ro --no-ping\` (no lease file rewrite per lease, no ICMP check before an offer)."
  echo "Netroot: \`serve --dhcp full --range ...\`, leases in H2 on tmpfs, each written before its ACK."
  echo "The fixed-load run is the sustained figure: a short ramp step can hide work a server defers (Netroot"
  echo "queues four boot events per exchange for a writer thread that stores each in H2 and looks up the client)."
  echo
  echo "| server | max sustained rate (4-way exchanges/s there) [per rep] | exchanges/s at $DHCP_FIXED_RATE/s | drops at $DHCP_FIXED_RATE/s [per rep] | server CPU per exchange at $DHCP_FIXED_RATE/s | max rate / dnsmasq |"
  echo "|---|---|---|---|---|---|"
  local r; for r in "${ROWS_DHCP[@]}"; do echo "| ${r//|/ | } |"; done
  echo
  echo "${DHCP_VERDICT:-}"
}
