# Sourced by the bench/ scripts: the helpers every one of them had written again. Set BENCH_NAME first (the
# log lines' prefix: "nbd-bench", ...).

log() { printf '%s %s: %s\n' "$(date -u +%H:%M:%S)" "${BENCH_NAME:-bench}" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

# Numbers: the median of stdin's lines (exit 1 for none), a number with D decimals, an awk expression.
median() { sort -g | awk '{a[NR]=$1} END {if (NR == 0) exit 1; if (NR % 2) printf "%.4f", a[(NR+1)/2]; else printf "%.4f", (a[NR/2]+a[NR/2+1])/2}'; }
fmt() { awk -v x="$1" -v d="${2:-2}" 'BEGIN {printf "%.*f", d, x}'; }
calc() { awk "BEGIN {printf \"%.4f\", $1}"; }
# CPU ticks (utime+stime, all threads) of process $1
ticks() { awk '{sub(/.*\) /, ""); print $12 + $13}' "/proc/$1/stat"; }
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

# build_if_stale: builds server-core (REPO, CORE set by the script) when its lib/ is missing or older than
# its sources or POMs, so a run always measures the checkout as it is.
build_if_stale() {
  if [ ! -d "$CORE/lib" ] || [ -n "$(find "$REPO/server-core/src/main" "$REPO/pom.xml" "$REPO/server-core/pom.xml" \
      -newer "$CORE/lib" -print -quit 2>/dev/null)" ]; then
    log "building server-core (./mvnw -B -q -DskipTests package -pl server-core -am)"
    (cd "$REPO" && ./mvnw -B -q -DskipTests package -pl server-core -am) >&2
    touch "$CORE/lib"
  fi
}

# nr ARGS...: the netroot CLI (NETROOT, the command the script built) on the script's data folder (DATA),
# its output in W/cli.log; a failure ends the run with the CLI's last lines.
nr() { timeout 300 "${NETROOT[@]}" "$@" --data "$DATA" >>"$W/cli.log" 2>&1 || { tail -5 "$W/cli.log" >&2; die "netroot $* failed"; }; }

# await_server LOG PID: waits up to a minute for "Netroot ready" in the server's LOG; ends the run with the
# log's tail when the server ended or did not get ready.
await_server() {
  local log_file=$1 pid=$2
  for _ in $(seq 1 240); do
    grep -q '^Netroot ready' "$log_file" && return 0
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.25
  done
  grep -q '^Netroot ready' "$log_file" || { tail -20 "$log_file" >&2; die "the server did not start"; }
}

# run_started: what every report's head says of the run (STARTED, LOAD0, T_START) and its empty W/samples.md.
run_started() {
  STARTED=$(date -u '+%Y-%m-%d %H:%M')
  LOAD0=$(cut -d' ' -f1-3 /proc/loadavg)
  T_START=$EPOCHREALTIME
  : >"$W/samples.md"
}

# write_section MARKER SECTION_FILE OUT: puts the section (which begins with "<!-- MARKER:begin" and ends with
# "<!-- MARKER:end -->") into OUT in place of the old one, or at OUT's end; OUT /dev/null writes nothing.
write_section() {
  local marker=$1 section=$2 out=$3 tmp
  [ "$out" = /dev/null ] && return 0
  tmp=$(mktemp "$(dirname "$out")/.bench-section.XXXXXX")
  if [ -f "$out" ] && grep -q "$marker:begin" "$out"; then
    awk -v f="$section" -v b="$marker:begin" -v e="$marker:end" \
      'index($0, b) {while ((getline l < f) > 0) print l; skip=1; next} index($0, e) {skip=0; next} !skip' "$out" >"$tmp"
  else
    { [ -f "$out" ] && cat "$out" && echo; cat "$section"; } >"$tmp"
  fi
  mv "$tmp" "$out"
  log "wrote $out"
}

# nginx_conf DIR LISTEN LOCATIONS: a one-worker nginx (run as root, in the foreground) whose files all stay in
# DIR, listening on LISTEN (ADDRESS:PORT) with LOCATIONS ("root /srv;" or "location /x/ { alias /y/; }") as
# its server block; sendfile on, as a tuned file server has it. Writes DIR/nginx.conf.
nginx_conf() {
  local dir=$1 listen=$2 locations=$3
  mkdir -p "$dir"
  cat >"$dir/nginx.conf" <<NGINX
daemon off;
user root;
worker_processes 1;
pid $dir/nginx.pid;
error_log $dir/error.log;
events { worker_connections 64; }
http {
  sendfile on;
  tcp_nopush on;
  access_log off;
  default_type application/octet-stream;
  client_body_temp_path $dir/body;
  proxy_temp_path $dir/proxy;
  fastcgi_temp_path $dir/fastcgi;
  uwsgi_temp_path $dir/uwsgi;
  scgi_temp_path $dir/scgi;
  server {
    listen $listen;
    $locations
  }
}
NGINX
}
