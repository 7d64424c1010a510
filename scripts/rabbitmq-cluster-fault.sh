#!/usr/bin/env bash
# Fault injection on the three-node test cluster of start-rabbitmq-cluster.sh (sbc1..3@localhost, AMQP
# 127.0.0.1:5681..5683), for reliability tests that run it through ProcessBuilder. N is 1, 2 or 3.
# Never acts on the machine's own node rabbit@localhost: a node's VM is found by its pid file and checked
# on the process itself (a beam.smp whose environment names sbcN@localhost and this cluster's data dir).
#
#   bash scripts/rabbitmq-cluster-fault.sh kill N      # SIGKILL node N's Erlang VM (a crash: its client
#                                                      # connections are reset, its peers see it down at
#                                                      # once); waits until the process has exited
#                                                      # (0.03-0.2 s)
#   bash scripts/rabbitmq-cluster-fault.sh start N     # starts node N again (no VM start if it runs) and
#                                                      # waits until it is back in the cluster: booted, AMQP
#                                                      # port open, listed as running by itself and a peer,
#                                                      # no partition (one left by a frozen node is healed by
#                                                      # restarting the application of the node reporting it)
#                                                      # (~6-10 s after a kill; up to ~19 s on a loaded machine)
#   bash scripts/rabbitmq-cluster-fault.sh leader QUEUE [VHOST]
#                                                      # prints N of the node that leads the quorum queue
#                                                      # QUEUE (vhost "/" by default), as its Raft members
#                                                      # report it (`rabbitmq-queues quorum_status`); waits
#                                                      # while an election is under way (~0.4-0.9 s)
#   bash scripts/rabbitmq-cluster-fault.sh pid N       # prints the pid of node N's Erlang VM (fails if it
#                                                      # is not running)
#   bash scripts/rabbitmq-cluster-fault.sh ctl N ARGS  # rabbitmqctl ARGS against node N with the cluster's
#                                                      # cookie (e.g. `ctl 1 cluster_status`); its output
#
# stdout: the number (leader), the pid (pid), rabbitmqctl's output (ctl), nothing otherwise. stderr: what
# was done and how long it took (`kill` also prints the epoch milliseconds of the kill). Exits non-zero on
# failure. A killed node stays down until `start N` or the next start-rabbitmq-cluster.sh (tests: in a
# finally block). With pause_minority, killing TWO nodes pauses the third (its AMQP port closes) until one
# is back.
# Env: the RABBITMQ_CLUSTER_* settings of start-rabbitmq-cluster.sh (RABBITMQ_CLUSTER_DIR, ..._START_TIMEOUT
# bounds `start` and `leader`).
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
log() { echo "[rabbitmq-cluster-fault] $*" >&2; }
die() { echo "[rabbitmq-cluster-fault] ERROR: $*" >&2; exit 1; }
# shellcheck source=lib/rabbitmq-cluster.sh
. "$SCRIPT_DIR/lib/rabbitmq-cluster.sh"

usage() { echo "usage: $0 kill N | start N | leader QUEUE [VHOST] | pid N | ctl N RABBITMQCTL-ARGS..." >&2; exit 2; }
[ $# -ge 2 ] || usage
action="$1"; shift
case "$action" in
  kill|start|pid) [ $# -eq 1 ] || usage; check_node_id "$1" ;;
  leader) [ $# -ge 1 ] && [ $# -le 2 ] || usage ;;
  ctl) check_node_id "$1" ;;
  *) usage ;;
esac
check_settings

# Serialise with start/stop of the cluster (not for `pid`, `leader` and `ctl`, which change nothing).
take_lock() {
  mkdir -p "$(dirname "$CLUSTER_LOCK_FILE")"
  exec 9> "$CLUSTER_LOCK_FILE"
  flock -w "$((RABBITMQ_CLUSTER_START_TIMEOUT * 2))" 9 \
    || die "another start-rabbitmq-cluster.sh / stop-rabbitmq-cluster.sh / rabbitmq-cluster-fault.sh holds $CLUSTER_LOCK_FILE"
}

# Is node N back: its own view and one running peer's view list it as running, no partition.
node_back() {
  local n="$1" m v name; name="$(node_name "$n")"
  v="$(cluster_view "$n" 10)" || return 1
  [[ "$v" == *" partitions:" ]] || return 1
  v="${v%% *}"; v="${v#running:}"                     # the running nodes, comma-separated
  [[ ",$v," == *",$name,"* ]] || return 1
  for m in "${NODE_IDS[@]}"; do
    [ "$m" != "$n" ] && [[ ",$v," == *",$(node_name "$m"),"* ]] || continue
    [[ ",$(cluster_view "$m" 10 | cut -d' ' -f1 | sed 's/^running://')," == *",$name,"* ]] && return 0
  done
  return 1
}

t0=$(now_ms)
case "$action" in
  pid)
    node_pid "$1" || die "node $(node_name "$1") is not running"
    ;;
  ctl)
    n="$1"; shift
    ctl "$n" "$@"
    ;;
  kill)
    n="$1"
    take_lock
    pid="$(node_pid "$n")" || die "node $(node_name "$n") is not running"
    is_node_vm "$n" "$pid" || die "pid $pid is not the VM of $(node_name "$n")"
    kill -KILL "$pid"
    t_kill=$(now_ms)
    for _ in $(seq 1 250); do proc_alive "$pid" || break; sleep 0.02; done
    proc_alive "$pid" && die "pid $pid still alive 5 s after SIGKILL"
    log "kill $n: SIGKILL $(node_name "$n") (pid $pid) at $t_kill (epoch ms); gone after $(( $(now_ms) - t0 )) ms"
    ;;
  start)
    n="$1"
    take_lock
    for p in "$(amqp_port "$n")" "$(dist_port "$n")"; do
      node_vm_running "$n" || ! port_open "$p" || die "127.0.0.1:$p is in use by another process"
    done
    from="$(log_size "$n")"
    deadline=$(( $(date +%s) + RABBITMQ_CLUSTER_START_TIMEOUT ))
    if node_vm_running "$n"; then
      log "node $(node_name "$n") is running (pid $(node_pid "$n")): waiting until it is in the cluster"
    else
      launch_node "$n"
    fi
    wait_node_booted "$n" "$deadline" "$from"
    t_booted=$(now_ms)
    heals=0
    until node_back "$n"; do
      if [ "$heals" -lt 3 ] && heal_partitions; then heals=$((heals + 1)); continue; fi
      if [ "$(date +%s)" -ge "$deadline" ]; then
        log "cluster as seen from $(node_name "$n"): $(cluster_view "$n" || echo '?')"
        show_node_log "$n" "$from"
        die "$(node_name "$n") booted but is not back in the cluster after ${RABBITMQ_CLUSTER_START_TIMEOUT}s"
      fi
      sleep 0.3
    done
    log "start $n: $(node_name "$n") (pid $(node_pid "$n")) back in the cluster after $(( $(now_ms) - t0 )) ms (booted after $(( t_booted - t0 )) ms)"
    ;;
  leader)
    queue="$1"; vhost="${2:-/}"
    deadline=$(( $(date +%s) + RABBITMQ_CLUSTER_START_TIMEOUT ))
    while :; do
      out=""
      for m in "${NODE_IDS[@]}"; do   # ask the first running node that answers
        port_open "$(amqp_port "$m")" || continue
        if out="$(cd / && HOME="$RABBITMQ_CLUSTER_DIR" timeout 30 "$RABBIT_BIN/rabbitmq-queues" -q -n "$(node_name "$m")" \
            quorum_status -p "$vhost" "$queue" --formatter json 2>&1)"; then break; fi
        case "$out" in *not_found*|*"classic queue"*|*"stream queue"*|*"of a stream"*) die "queue '$queue' (vhost $vhost): $(tr "\n" " " <<< "$out")" ;; esac
        out=""
      done
      # one row per member: {"Node Name":"sbc2@localhost","Raft State":"leader",...}
      leaders="$(tr -d '\n' <<< "$out" | grep -o '"Node Name":"[^"]*","Raft State":"leader"' | cut -d'"' -f4 || true)"
      if [ -n "$leaders" ] && [ "$(wc -l <<< "$leaders")" = 1 ] && n="$(node_of_name "$leaders")" \
          && port_open "$(amqp_port "$n")"; then
        log "leader of '$queue' (vhost $vhost): $leaders, in $(( $(now_ms) - t0 )) ms"
        echo "$n"
        exit 0
      fi
      if [ "$(date +%s)" -ge "$deadline" ]; then
        [ -n "$out" ] && printf '%s\n' "$out" >&2
        die "no single running leader of quorum queue '$queue' (vhost $vhost) after ${RABBITMQ_CLUSTER_START_TIMEOUT}s"
      fi
      sleep 0.2
    done
    ;;
esac
