# Shared by start-rabbitmq-cluster.sh, stop-rabbitmq-cluster.sh and rabbitmq-cluster-fault.sh (sourced,
# not run): where the three-node test cluster lives, how its nodes are started, found and reached.
# The settings (env) are documented in start-rabbitmq-cluster.sh. Callers define log() and die().
#
# Isolation from the machine's own node (rabbit@localhost, AMQP 5672, distribution 25672, /etc/rabbitmq,
# /var/lib/rabbitmq, /var/log/rabbitmq): the cluster nodes get their own name, ports, config, plugins
# file, data, logs and pid file (all under RABBITMQ_CLUSTER_DIR), and their own Erlang cookie, so they
# cannot even connect to rabbit@localhost. They only share its epmd (127.0.0.1:4369). The Debian
# wrappers /usr/sbin/rabbitmq* are not used (rabbitmq-server's wrapper writes /var/log/rabbitmq/startup_*;
# rabbitmqctl's switches to HOME=/var/lib/rabbitmq, the main node's cookie): these scripts call
# /usr/lib/rabbitmq/bin/* directly, with HOME=RABBITMQ_CLUSTER_DIR (which holds .erlang.cookie).

RABBITMQ_CLUSTER_DIR="${RABBITMQ_CLUSTER_DIR:-/tmp/switchboard-brokers/rabbitmq-cluster}"
RABBITMQ_CLUSTER_NODE_PREFIX="${RABBITMQ_CLUSTER_NODE_PREFIX:-sbc}"
RABBITMQ_CLUSTER_PORTS="${RABBITMQ_CLUSTER_PORTS:-5681,5682,5683}"
RABBITMQ_CLUSTER_DIST_PORTS="${RABBITMQ_CLUSTER_DIST_PORTS:-}"
RABBITMQ_CLUSTER_NET_TICKTIME="${RABBITMQ_CLUSTER_NET_TICKTIME:-60}"
RABBITMQ_CLUSTER_ERL_ARGS="${RABBITMQ_CLUSTER_ERL_ARGS-+S 1:1}"
RABBITMQ_CLUSTER_DEFAULT_QUEUE_TYPE="${RABBITMQ_CLUSTER_DEFAULT_QUEUE_TYPE:-quorum}"
RABBITMQ_CLUSTER_START_TIMEOUT="${RABBITMQ_CLUSTER_START_TIMEOUT:-90}"
RABBITMQ_CLUSTER_STOP_TIMEOUT="${RABBITMQ_CLUSTER_STOP_TIMEOUT:-30}"

RABBIT_BIN=/usr/lib/rabbitmq/bin
COOKIE_FILE="$RABBITMQ_CLUSTER_DIR/.erlang.cookie"
# one start / stop / fault action on the cluster at a time (not the main node's lock: independent)
CLUSTER_LOCK_FILE="$RABBITMQ_CLUSTER_DIR.lock"
MAIN_NODE_PORTS=(5672 5671 25672 4369)
export PATH="/usr/sbin:/usr/bin:/sbin:/bin:$PATH"

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
now_ms() { date +%s%3N; }

# ---- settings -----------------------------------------------------------------------------------
IFS=, read -r -a AMQP_PORTS <<< "$RABBITMQ_CLUSTER_PORTS"
if [ -n "$RABBITMQ_CLUSTER_DIST_PORTS" ]; then
  IFS=, read -r -a DIST_PORTS <<< "$RABBITMQ_CLUSTER_DIST_PORTS"
else
  DIST_PORTS=()
  for p in "${AMQP_PORTS[@]}"; do DIST_PORTS+=("$((p + 20000))"); done   # RabbitMQ's own rule
fi
NODE_IDS=(1 2 3)

check_settings() {
  local p all=()
  [ "${#AMQP_PORTS[@]}" = 3 ] || die "RABBITMQ_CLUSTER_PORTS must list three ports (got '$RABBITMQ_CLUSTER_PORTS')"
  [ "${#DIST_PORTS[@]}" = 3 ] || die "RABBITMQ_CLUSTER_DIST_PORTS must list three ports (got '$RABBITMQ_CLUSTER_DIST_PORTS')"
  for p in "${AMQP_PORTS[@]}" "${DIST_PORTS[@]}"; do
    [[ "$p" =~ ^[0-9]+$ ]] && [ "$p" -gt 1024 ] && [ "$p" -lt 65536 ] || die "invalid port '$p'"
    for q in "${MAIN_NODE_PORTS[@]}"; do [ "$p" != "$q" ] || die "port $p belongs to the machine's node rabbit@localhost (or its epmd)"; done
    for q in "${all[@]}"; do [ "$p" != "$q" ] || die "port $p is given twice"; done
    all+=("$p")
  done
  [[ "$RABBITMQ_CLUSTER_NODE_PREFIX" =~ ^[a-z][a-z0-9_-]*$ ]] && [ "$RABBITMQ_CLUSTER_NODE_PREFIX" != rabbit ] \
    || die "RABBITMQ_CLUSTER_NODE_PREFIX must be a lower-case name other than 'rabbit'"
  [[ "$RABBITMQ_CLUSTER_DIR" = /* && ! "$RABBITMQ_CLUSTER_DIR" =~ [[:space:]] ]] \
    || die "RABBITMQ_CLUSTER_DIR must be an absolute path without spaces"
  case "$RABBITMQ_CLUSTER_DIR" in /etc/rabbitmq*|/var/lib/rabbitmq*|/var/log/rabbitmq*|/) die "RABBITMQ_CLUSTER_DIR may not be $RABBITMQ_CLUSTER_DIR" ;; esac
  for v in RABBITMQ_CLUSTER_NET_TICKTIME RABBITMQ_CLUSTER_START_TIMEOUT RABBITMQ_CLUSTER_STOP_TIMEOUT; do
    [[ "${!v}" =~ ^[1-9][0-9]*$ ]] || die "$v must be a positive number of seconds"
  done
  case "$RABBITMQ_CLUSTER_DEFAULT_QUEUE_TYPE" in quorum|classic) ;; *) die "RABBITMQ_CLUSTER_DEFAULT_QUEUE_TYPE must be quorum or classic" ;; esac
  [ "$(id -u)" = 0 ] || die "run as root (the nodes run as the rabbitmq user, like the packaged node)"
  [ -x "$RABBIT_BIN/rabbitmq-server" ] && [ -x "$RABBIT_BIN/rabbitmqctl" ] \
    || die "RabbitMQ is not installed ($RABBIT_BIN missing): run scripts/start-rabbitmq.sh once (it installs the package)"
  id rabbitmq >/dev/null 2>&1 || die "user 'rabbitmq' missing: the rabbitmq-server package is broken"
}

# node_name N / node_dir N / amqp_port N / dist_port N, for N in 1..3
node_name() { echo "${RABBITMQ_CLUSTER_NODE_PREFIX}$1@localhost"; }
node_dir() { echo "$RABBITMQ_CLUSTER_DIR/${RABBITMQ_CLUSTER_NODE_PREFIX}$1"; }
amqp_port() { echo "${AMQP_PORTS[$(($1 - 1))]}"; }
dist_port() { echo "${DIST_PORTS[$(($1 - 1))]}"; }
pid_file() { echo "$(node_dir "$1")/$(node_name "$1").pid"; }
log_file() { echo "$(node_dir "$1")/log/$(node_name "$1").log"; }
node_of_name() {  # sbc2@localhost -> 2
  local n
  for n in "${NODE_IDS[@]}"; do [ "$(node_name "$n")" = "$1" ] && { echo "$n"; return 0; }; done
  return 1
}
check_node_id() { [[ "${1:-}" =~ ^[123]$ ]] || die "node number must be 1, 2 or 3 (got '${1:-}')"; }

# ---- processes ----------------------------------------------------------------------------------
# Is pid $2 the Erlang VM of cluster node $1? Checked on the process itself (never trusts a pid file
# alone): a beam.smp whose environment names this node and this cluster's data dir. The machine's node
# rabbit@localhost can never match.
is_node_vm() {
  local env
  [ -n "$2" ] && [ -r "/proc/$2/environ" ] || return 1
  case "$(readlink "/proc/$2/exe" 2>/dev/null)" in */beam.smp) ;; *) return 1 ;; esac
  env="$(tr '\0' '\n' < "/proc/$2/environ" 2>/dev/null)" || return 1
  grep -qx "RABBITMQ_NODENAME=$(node_name "$1")" <<< "$env" \
    && grep -qx "RABBITMQ_MNESIA_BASE=$(node_dir "$1")/mnesia" <<< "$env"
}

# The pid of node N's VM, or nothing (exit 1): the pid file first, else a scan of the rabbitmq user's
# beam.smp processes (a VM that has not written its pid file yet, or lost it).
node_pid() {
  local p
  p="$({ tr -dc '0-9' < "$(pid_file "$1")"; } 2>/dev/null || true)"
  if is_node_vm "$1" "$p"; then echo "$p"; return 0; fi
  for p in $(pgrep -u rabbitmq -x beam.smp 2>/dev/null || true); do
    if is_node_vm "$1" "$p"; then echo "$p"; return 0; fi
  done
  return 1
}
node_vm_running() { node_pid "$1" >/dev/null; }
# Is process $1 alive? A zombie is not: it has exited (sockets closed) and only waits to be reaped by
# pid 1, which on these machines can take a second or two.
proc_alive() { local s; s="$(cut -d')' -f2 "/proc/$1/stat" 2>/dev/null | awk '{print $1}')" && [ -n "$s" ] && [ "$s" != Z ]; }

# rabbitmqctl against cluster node N, with the cluster's cookie (HOME), bounded.
# Usage: ctl N [timeout_s] -- args...   or   ctl N args...
ctl() {
  local n="$1" t="$RABBITMQ_CLUSTER_START_TIMEOUT"; shift
  if [ "${2:-}" = -- ]; then t="$1"; shift 2; fi
  (cd / && HOME="$RABBITMQ_CLUSTER_DIR" timeout "$t" "$RABBIT_BIN/rabbitmqctl" -q -n "$(node_name "$n")" "$@")
}

# Node N's view of the cluster as one line "running:<nodes> disk:<nodes> partitions:<nodes>", each a
# sorted comma-separated list of node names (partitions: the peers it saw in a network partition;
# empty when there is none).
cluster_view() {
  ctl "$1" "${2:-15}" -- eval '
    L = fun(Ns) -> string:join([atom_to_list(N) || N <- lists:sort(Ns)], ",") end,
    io:format("running:~s disk:~s partitions:~s~n",
      [L(rabbit_nodes:all_running()), L(rabbit_nodes:all()), L(rabbit_node_monitor:partitions())]).' 2>/dev/null \
    | grep '^running:' | tail -1
}

all_names_csv() { local n s=""; for n in "${NODE_IDS[@]}"; do s="$s${s:+,}$(node_name "$n")"; done; echo "$s"; }

# Is the cluster complete as seen from node N: all three are members, running, no partition?
cluster_complete_from() {
  local v want; want="$(all_names_csv)"
  v="$(cluster_view "$1" "${2:-15}")" || return 1
  [ "$v" = "running:$want disk:$want partitions:" ]
}

# A network partition that outlives its cause: after a node was frozen (SIGSTOP) or stalled for longer
# than net_ticktime, its peers counted it as down, and once it runs again Mnesia stays split
# ("inconsistent_database, running_partitioned_network") although every node is up and connected;
# pause_minority does not act then, because every node sees a majority. The cure is to restart the
# RabbitMQ application on one side. heal_partitions: if a node (with its AMQP port open) still reports a
# partition 2 s after a first look, restart the application (stop_app + start_app, ~2 s; its clients
# are disconnected) of the node that reports the most partitioned peers. Returns 1 if there was nothing
# to heal.
partitioned_node() {
  local n v p c best="" bestc=0
  for n in "${NODE_IDS[@]}"; do
    port_open "$(amqp_port "$n")" || continue
    v="$(cluster_view "$n" 10)" || continue
    p="${v##*partitions:}"
    [ -n "$p" ] || continue
    c="$(tr ',' '\n' <<< "$p" | grep -c .)"
    if [ "$c" -ge "$bestc" ]; then best="$n"; bestc="$c"; fi
  done
  [ -n "$best" ] && echo "$best"
}
heal_partitions() {
  local n
  partitioned_node >/dev/null || return 1
  sleep 2
  n="$(partitioned_node)" || return 1
  log "$(node_name "$n") reports a network partition ($(cluster_view "$n" 10 | sed 's/.*partitions://')): restarting its RabbitMQ application"
  ctl "$n" stop_app >/dev/null 2>&1 || true
  ctl "$n" start_app >/dev/null 2>&1 || log "start_app of $(node_name "$n") failed"
  return 0
}

# The log of node N since byte offset $2 (default: its last 30 lines), and its launch output.
show_node_log() {
  local n="$1" from="${2:-}" f; f="$(log_file "$n")"
  echo "---- $f (tail) ----" >&2
  if [ -n "$from" ]; then tail -c +"$((from + 1))" "$f" 2>/dev/null | tail -30 >&2 || true
  else tail -30 "$f" >&2 2>/dev/null || true; fi
  f="$(node_dir "$n")/log/launch.log"
  if [ -s "$f" ]; then echo "---- $f (tail) ----" >&2; tail -10 "$f" >&2 || true; fi
}
log_size() { stat -c %s "$(log_file "$1")" 2>/dev/null || echo 0; }

# ---- configuration --------------------------------------------------------------------------------
# rabbitmq.conf of node N (RABBITMQ_CONFIG_FILE; nothing from /etc/rabbitmq is read)
node_conf() {
  cat <<EOF
# generated by Switchboard scripts/start-rabbitmq-cluster.sh (node $1 of 3); rewritten on every start
listeners.tcp.default = 127.0.0.1:$(amqp_port "$1")
cluster_partition_handling = pause_minority
net_ticktime = $RABBITMQ_CLUSTER_NET_TICKTIME
EOF
}
ENABLED_PLUGINS='[rabbitmq_consistent_hash_exchange].'

# What a running node was started with; a difference means it must be restarted.
node_fingerprint() {
  printf '%s\n' "$(node_conf "$1")" "$ENABLED_PLUGINS" "dist=$(dist_port "$1")" "erl=$RABBITMQ_CLUSTER_ERL_ARGS" \
    | md5sum | cut -c1-32
}

# Writes the cookie (once) and node N's files; the node runs as the rabbitmq user.
prepare_node_files() {
  local n="$1" d; d="$(node_dir "$n")"
  mkdir -p "$RABBITMQ_CLUSTER_DIR"
  chown rabbitmq:rabbitmq "$RABBITMQ_CLUSTER_DIR"; chmod 750 "$RABBITMQ_CLUSTER_DIR"
  if [ ! -s "$COOKIE_FILE" ]; then
    # the cluster's own cookie: it is not the main node's (/var/lib/rabbitmq/.erlang.cookie)
    (umask 077; head -c 256 /dev/urandom | base64 | tr -dc 'A-Z' | head -c 20 > "$COOKIE_FILE.tmp")
    [ "$(wc -c < "$COOKIE_FILE.tmp")" = 20 ] || die "could not generate $COOKIE_FILE"
    chown rabbitmq:rabbitmq "$COOKIE_FILE.tmp"; chmod 400 "$COOKIE_FILE.tmp"; mv -f "$COOKIE_FILE.tmp" "$COOKIE_FILE"
  fi
  mkdir -p "$d/mnesia" "$d/log"
  node_conf "$n" > "$d/rabbitmq.conf"
  echo "$ENABLED_PLUGINS" > "$d/enabled_plugins"
  : > "$d/rabbitmq-env.conf"   # read instead of /etc/rabbitmq/rabbitmq-env.conf
  chown -R rabbitmq:rabbitmq "$d"
}

# Starts node N's VM (detached; returns at once). The caller waits with wait_node_booted.
launch_node() {
  local n="$1" d; d="$(node_dir "$n")"
  node_vm_running "$n" && return 0
  rm -f "$(pid_file "$n")"
  prepare_node_files "$n"
  node_fingerprint "$n" > "$d/launched.fingerprint"
  echo "$(date -Is) launch" >> "$d/log/launch.log"
  # An empty environment plus exactly these settings: nothing leaks in from the caller or from
  # /etc/rabbitmq. -detached: the VM forks off, its parent exits.
  (cd / && setsid runuser -u rabbitmq -- env -i \
      PATH=/usr/bin:/bin LANG=C.UTF-8 LC_ALL=C.UTF-8 HOME="$RABBITMQ_CLUSTER_DIR" \
      RABBITMQ_NODENAME="$(node_name "$n")" \
      RABBITMQ_CONF_ENV_FILE="$d/rabbitmq-env.conf" \
      RABBITMQ_CONFIG_FILE="$d/rabbitmq.conf" \
      RABBITMQ_ADVANCED_CONFIG_FILE="$d/advanced.config" \
      RABBITMQ_ENABLED_PLUGINS_FILE="$d/enabled_plugins" \
      RABBITMQ_MNESIA_BASE="$d/mnesia" \
      RABBITMQ_LOG_BASE="$d/log" \
      RABBITMQ_PID_FILE="$(pid_file "$n")" \
      RABBITMQ_DIST_PORT="$(dist_port "$n")" \
      ERL_EPMD_ADDRESS=127.0.0.1 \
      RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS="$RABBITMQ_CLUSTER_ERL_ARGS -kernel inet_dist_use_interface {127,0,0,1}" \
      "$RABBIT_BIN/rabbitmq-server" -detached </dev/null >>"$d/log/launch.log" 2>&1 9>&-) \
    || { show_node_log "$n"; die "rabbitmq-server -detached failed for $(node_name "$n")"; }
}

# Waits until node N's VM runs and its AMQP port accepts and `await_startup` returns (the RabbitMQ
# application booted; a restarted member boots only once it has synced with a running member).
# $2 = deadline (epoch s), $3 = log offset for the error report.
wait_node_booted() {
  local n="$1" deadline="$2" from="${3:-}" seen=0
  until port_open "$(amqp_port "$n")"; do
    if node_vm_running "$n"; then seen=1
    elif [ "$seen" = 1 ] || [ -s "$(pid_file "$n")" ]; then
      show_node_log "$n" "$from"; die "node $(node_name "$n") exited during startup (logs: $(node_dir "$n")/log)"
    fi
    if [ "$(date +%s)" -ge "$deadline" ]; then
      show_node_log "$n" "$from"
      die "node $(node_name "$n") not accepting AMQP on 127.0.0.1:$(amqp_port "$n") after ${RABBITMQ_CLUSTER_START_TIMEOUT}s (logs: $(node_dir "$n")/log)"
    fi
    sleep 0.2
  done
  ctl "$n" "$(( deadline - $(date +%s) > 5 ? deadline - $(date +%s) : 5 ))" -- await_startup >/dev/null 2>&1 \
    || { show_node_log "$n" "$from"; die "rabbitmqctl await_startup failed for $(node_name "$n")"; }
}

# Graceful stop of node N's VM (rabbitmqctl shutdown), SIGTERM / SIGKILL after RABBITMQ_CLUSTER_STOP_TIMEOUT.
stop_node() {
  local n="$1" pid
  pid="$(node_pid "$n")" || return 0
  ctl "$n" "$RABBITMQ_CLUSTER_STOP_TIMEOUT" -- shutdown >/dev/null 2>&1 || {
    log "rabbitmqctl shutdown of $(node_name "$n") failed or timed out: SIGTERM pid $pid"
    is_node_vm "$n" "$pid" && kill -TERM "$pid" 2>/dev/null || true
  }
  for _ in $(seq 1 $((RABBITMQ_CLUSTER_STOP_TIMEOUT * 10))); do proc_alive "$pid" || break; sleep 0.1; done
  if proc_alive "$pid" && is_node_vm "$n" "$pid"; then
    log "SIGKILL $(node_name "$n") (pid $pid)"; kill -KILL "$pid" 2>/dev/null || true; sleep 0.3
  fi
  rm -f "$(pid_file "$n")"
}
