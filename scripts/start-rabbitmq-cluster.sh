#!/usr/bin/env bash
# Start (or reuse) a THREE-NODE RabbitMQ cluster on loopback for reliability tests (quorum queues, node
# failures), beside the machine's own node rabbit@localhost (5672), which it never touches: the cluster
# nodes have their own names, ports, config, data, logs and Erlang cookie (see lib/rabbitmq-cluster.sh).
# Same RabbitMQ as start-rabbitmq.sh (Debian package rabbitmq-server 3.10.8, Erlang/OTP 25); the package
# must be installed (start-rabbitmq.sh installs it). Needs root; the nodes run as the rabbitmq user.
#
# Nodes (N = 1, 2, 3; nodes 2 and 3 join node 1 with stop_app / join_cluster / start_app):
#   sbcN@localhost   AMQP 0-9-1 on 127.0.0.1:568N, guest/guest (loopback), Erlang distribution on
#                    127.0.0.1:2568N, plugin rabbitmq_consistent_hash_exchange, no management plugin
#   every node: cluster_partition_handling = pause_minority (a node that sees only itself pauses: its
#   AMQP port closes until it sees a majority again), net_ticktime = RABBITMQ_CLUSTER_NET_TICKTIME,
#   one Erlang scheduler (RABBITMQ_CLUSTER_ERL_ARGS), ~125 MiB RSS each.
#   The vhost "/" has the default queue type RABBITMQ_CLUSTER_DEFAULT_QUEUE_TYPE (quorum): a durable
#   queue declared without x-queue-type is a quorum queue; exclusive, auto-delete and non-durable queues
#   stay classic. A quorum queue gets a member on each of the three nodes and its first leader on the node
#   the declaring client is connected to.
#
# Files, under RABBITMQ_CLUSTER_DIR (default /tmp/switchboard-brokers/rabbitmq-cluster):
#   .erlang.cookie            the cluster's own cookie (generated once; not the main node's)
#   sbcN/rabbitmq.conf, sbcN/enabled_plugins, sbcN/rabbitmq-env.conf (empty)   written on every start
#   sbcN/mnesia/              data (Mnesia, quorum queue logs)     sbcN/log/sbcN@localhost.log
#   sbcN/sbcN@localhost.pid   pid of the node's Erlang VM
# rabbitmqctl by hand (the Debian wrapper /usr/sbin/rabbitmqctl uses the main node's cookie and fails
# with "Invalid challenge reply"):
#   HOME=/tmp/switchboard-brokers/rabbitmq-cluster /usr/lib/rabbitmq/bin/rabbitmqctl -n sbc1@localhost cluster_status
#   (or: rabbitmqctl -n sbc1@localhost --erlang-cookie "$(cat .../rabbitmq-cluster/.erlang.cookie)" ...,
#    or: scripts/rabbitmq-cluster-fault.sh ctl 1 cluster_status)
#
# Idempotent: three running nodes that form the full cluster (seen from node 1: three members, three
# running, no partition) are reused (~0.5 s). Otherwise it starts the nodes whose VM is not running (in
# parallel: a stopped cluster's members wait for each other at boot), start_app's a node whose application
# is stopped, joins a node that is not a member, heals a partition left by a stalled node (application
# restart of the node that reports it), and waits until `cluster_status` shows three running nodes. A
# running node started with other settings (ports, ticktime, Erlang args) is restarted; its data is kept.
# After a change of RABBITMQ_CLUSTER_PORTS or node prefix, stop the old cluster first. A data dir that
# cannot form the cluster again (e.g. one node wiped by hand): scripts/stop-rabbitmq-cluster.sh --wipe.
# Measured on a loaded 2-core machine: cold start (empty data) ~18-27 s, stopped cluster ~11-15 s.
#
# Env (all optional):
#   RABBITMQ_CLUSTER_DIR=/tmp/switchboard-brokers/rabbitmq-cluster   files (see above); lock: <dir>.lock
#   RABBITMQ_CLUSTER_PORTS=5681,5682,5683       AMQP ports of nodes 1,2,3 (127.0.0.1)
#   RABBITMQ_CLUSTER_DIST_PORTS=25681,25682,25683  Erlang distribution ports (default: AMQP port + 20000)
#   RABBITMQ_CLUSTER_NODE_PREFIX=sbc            node names <prefix>1@localhost .. <prefix>3@localhost
#   RABBITMQ_CLUSTER_NET_TICKTIME=60            seconds; how long a silent (not: closed) peer connection
#                                               takes to count as down. A killed node's connections close
#                                               at once, so it does not bound kill -9 recovery (README).
#   RABBITMQ_CLUSTER_ERL_ARGS="+S 1:1"          extra Erlang VM flags per node ("" for the defaults)
#   RABBITMQ_CLUSTER_DEFAULT_QUEUE_TYPE=quorum  quorum or classic: the default queue type of the vhost "/"
#   RABBITMQ_CLUSTER_START_TIMEOUT=90           seconds for the nodes to boot and cluster (and for the lock)
#   RABBITMQ_CLUSTER_STOP_TIMEOUT=30            seconds for a graceful stop of a node being restarted
#
# stdout: exactly two lines,
#   RABBITMQ_CLUSTER_ADDRESSES=127.0.0.1:5681,127.0.0.1:5682,127.0.0.1:5683
#   RABBITMQ_CLUSTER_NODES=sbc1@localhost,sbc2@localhost,sbc3@localhost
# Everything else goes to stderr. Fails (non-zero, with the node's log tail) when a node does not boot or
# the cluster is not complete within RABBITMQ_CLUSTER_START_TIMEOUT.
# Stop: scripts/stop-rabbitmq-cluster.sh [--wipe]; faults: scripts/rabbitmq-cluster-fault.sh.
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
log() { echo "[start-rabbitmq-cluster] $*" >&2; }
die() { echo "[start-rabbitmq-cluster] ERROR: $*" >&2; exit 1; }
# shellcheck source=lib/rabbitmq-cluster.sh
. "$SCRIPT_DIR/lib/rabbitmq-cluster.sh"

check_settings
mkdir -p "$(dirname "$CLUSTER_LOCK_FILE")"
if [ "${RABBITMQ_CLUSTER_LOCK_HELD:-0}" != 1 ]; then
  exec 9> "$CLUSTER_LOCK_FILE"
  flock -w "$((RABBITMQ_CLUSTER_START_TIMEOUT * 2))" 9 \
    || die "another start-rabbitmq-cluster.sh / stop-rabbitmq-cluster.sh / rabbitmq-cluster-fault.sh holds $CLUSTER_LOCK_FILE"
fi

emit() {
  local n a=""
  for n in "${NODE_IDS[@]}"; do a="$a${a:+,}127.0.0.1:$(amqp_port "$n")"; done
  echo "RABBITMQ_CLUSTER_ADDRESSES=$a"
  echo "RABBITMQ_CLUSTER_NODES=$(all_names_csv)"
}

t_start=$(now_ms)

# ---- ports: ours, or free ---------------------------------------------------------------------------
for n in "${NODE_IDS[@]}"; do
  if ! node_vm_running "$n"; then
    for p in "$(amqp_port "$n")" "$(dist_port "$n")"; do
      port_open "$p" && die "127.0.0.1:$p (node $(node_name "$n")) is in use by another process (see: ss -ltnp 'sport = :$p')"
    done
  fi
done

# ---- reuse ------------------------------------------------------------------------------------------
fingerprint_ok() { [ "$(cat "$(node_dir "$1")/launched.fingerprint" 2>/dev/null)" = "$(node_fingerprint "$1")" ]; }
# the default queue type last set on the vhost "/" (cluster data: kept in node 1's dir, gone with --wipe)
DQT_MARKER="$(node_dir 1)/default-queue-type.applied"
all_up=1
[ "$(cat "$DQT_MARKER" 2>/dev/null)" = "$RABBITMQ_CLUSTER_DEFAULT_QUEUE_TYPE" ] || all_up=0
for n in "${NODE_IDS[@]}"; do
  node_vm_running "$n" && fingerprint_ok "$n" && port_open "$(amqp_port "$n")" || { all_up=0; break; }
done
if [ "$all_up" = 1 ] && cluster_complete_from 1; then
  log "reusing the running cluster ($(all_names_csv)) in $(( $(now_ms) - t_start )) ms"
  emit
  exit 0
fi

# ---- restart nodes started with other settings ----------------------------------------------------
stale=()
for n in "${NODE_IDS[@]}"; do
  if node_vm_running "$n" && ! fingerprint_ok "$n"; then stale+=("$n"); fi
done
if [ "${#stale[@]}" -gt 0 ]; then
  # stopped in parallel (~4 s instead of ~4 s each), started again below
  log "node(s) ${stale[*]} run with other settings: restarting them (data kept)"
  for n in "${stale[@]}"; do ( stop_node "$n" ) 9>&- & done
  wait
  for n in "${stale[@]}"; do node_vm_running "$n" && die "could not stop $(node_name "$n") (pid $(node_pid "$n"))"; done
fi

# ---- start the nodes that are not running -----------------------------------------------------------
deadline=$(( $(date +%s) + RABBITMQ_CLUSTER_START_TIMEOUT ))
declare -A offsets=()
launched=()
for n in "${NODE_IDS[@]}"; do
  offsets[$n]="$(log_size "$n")"
  if ! node_vm_running "$n"; then
    launch_node "$n"
    launched+=("$(node_name "$n")")
  fi
done
[ "${#launched[@]}" = 0 ] || log "started ${launched[*]}: waiting for them to boot"

# A VM whose RabbitMQ application is stopped (not booting, e.g. left by an interrupted join or fault
# test) gets start_app; one paused by pause_minority resumes by itself once it sees a majority.
app_stopped() {
  [ "$(ctl "$1" 15 -- eval 'not (rabbit:is_booting() orelse rabbit:is_running()) andalso
      element(1, erlang:statistics(wall_clock)) > 20000 andalso
      rabbit_node_monitor:pause_partition_guard() =:= ok.' 2>/dev/null)" = true ]
}
for n in "${NODE_IDS[@]}"; do
  if ! port_open "$(amqp_port "$n")" && node_vm_running "$n" && app_stopped "$n"; then
    log "the RabbitMQ application of $(node_name "$n") is stopped: start_app"
    ctl "$n" start_app >&2 || true
  fi
done
for n in "${NODE_IDS[@]}"; do wait_node_booted "$n" "$deadline" "${offsets[$n]}"; done
log "three nodes up after $(( $(now_ms) - t_start )) ms"

# ---- form the cluster ---------------------------------------------------------------------------------
# Node 1's view decides; a node it does not list as a member is reset (its own data is discarded) and
# joins node 1.
for n in 2 3; do
  view="$(cluster_view 1)" || die "cannot read the cluster status of $(node_name 1)"
  members="${view#*disk:}"; members="${members%% *}"
  if [[ ",$members," != *",$(node_name "$n"),"* ]]; then
    log "joining $(node_name "$n") to $(node_name 1)"
    t0=$(now_ms)
    # (their output is shown on failure only: 3.10 logs harmless feature-flag warnings and "Failed to
    # create a tracked connection table" errors on every join)
    if ! out="$(ctl "$n" stop_app 2>&1 && ctl "$n" force_reset 2>&1 && ctl "$n" join_cluster "$(node_name 1)" 2>&1 \
        && ctl "$n" start_app 2>&1)"; then
      printf '%s\n' "$out" >&2; show_node_log "$n"
      ctl "$n" start_app >/dev/null 2>&1 || true
      die "$(node_name "$n") could not join $(node_name 1)"
    fi
    wait_node_booted "$n" "$deadline" ""
    log "$(node_name "$n") joined in $(( $(now_ms) - t0 )) ms"
  fi
done

# ---- wait for the full cluster ------------------------------------------------------------------------
heals=0
until cluster_complete_from 1; do
  if [ "$heals" -lt 3 ] && heal_partitions; then heals=$((heals + 1)); continue; fi
  if [ "$(date +%s)" -ge "$deadline" ]; then
    log "cluster as seen from $(node_name 1): $(cluster_view 1 || echo '?')"
    for n in "${NODE_IDS[@]}"; do show_node_log "$n" "${offsets[$n]}"; done
    die "the cluster is not complete (3 running members, no partition) after ${RABBITMQ_CLUSTER_START_TIMEOUT}s; to start from scratch: $SCRIPT_DIR/stop-rabbitmq-cluster.sh --wipe"
  fi
  sleep 0.5
done
for n in "${NODE_IDS[@]}"; do
  port_open "$(amqp_port "$n")" || die "127.0.0.1:$(amqp_port "$n") ($(node_name "$n")) closed again"
done
# ---- default queue type of the vhost "/" ------------------------------------------------------------
# 3.10 keeps it in the vhost's metadata (add_vhost --default-queue-type); the CLI cannot change it on an
# existing vhost, rabbit_vhost:update_metadata can (in place: the vhost's queues and definitions stay).
# With quorum, a durable queue declared without x-queue-type is a quorum queue (replicated on the three
# nodes); exclusive, auto-delete and non-durable ones stay classic (3.10.8, measured).
if [ "$(cat "$DQT_MARKER" 2>/dev/null)" != "$RABBITMQ_CLUSTER_DEFAULT_QUEUE_TYPE" ]; then
  ctl 1 eval "rabbit_misc:execute_mnesia_transaction(fun() -> rabbit_vhost:update_metadata(<<\"/\">>,
      fun(M) -> M#{default_queue_type => <<\"$RABBITMQ_CLUSTER_DEFAULT_QUEUE_TYPE\">>} end) end), ok." >/dev/null \
    && ctl 1 list_vhosts name default_queue_type 2>/dev/null | grep -qx "/[[:space:]]*$RABBITMQ_CLUSTER_DEFAULT_QUEUE_TYPE" \
    || die "could not set the default queue type of the vhost / to $RABBITMQ_CLUSTER_DEFAULT_QUEUE_TYPE"
  echo "$RABBITMQ_CLUSTER_DEFAULT_QUEUE_TYPE" > "$DQT_MARKER"
  log "default queue type of the vhost /: $RABBITMQ_CLUSTER_DEFAULT_QUEUE_TYPE"
fi

pids=""; for n in "${NODE_IDS[@]}"; do pids="$pids $(node_name "$n")=$(node_pid "$n" || echo '?')"; done
log "cluster ready in $(( $(now_ms) - t_start )) ms:$pids (logs: $RABBITMQ_CLUSTER_DIR/sbcN/log)"
emit
