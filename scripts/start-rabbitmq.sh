#!/usr/bin/env bash
# Start (or reuse) the local RabbitMQ node for the tests, without Docker or systemd: the Debian package
# rabbitmq-server (3.10.8 on bookworm), node rabbit@localhost, started with `rabbitmq-server -detached`.
# Installs the package with apt-get when it is missing. Needs root, openssl and a JDK's keytool.
#
# Listeners (loopback only):
#   amqp://127.0.0.1:5672    AMQP 0-9-1, user guest/guest (RabbitMQ allows guest from loopback only)
#   amqps://localhost:5671   AMQP 0-9-1 over TLS, server certificate for CN=localhost
#                            (subjectAltName DNS:localhost, IP:127.0.0.1), no client certificate asked
#
# TLS material, generated once with openssl into RABBITMQ_TLS_DIR (regenerated only when a file is
# missing, the server certificate no longer verifies against the CA, or it expires within a day):
#   ca.pem, ca-key.pem                      test CA (self-signed)
#   server.pem, server-key.pem              server certificate signed by that CA, and its key
#   truststore.p12                          PKCS12 truststore with ca.pem (password: changeit)
#   wrong-ca.pem, wrong-ca-key.pem          a second, unrelated CA, for negative tests
#   wrong-truststore.p12                    PKCS12 truststore with wrong-ca.pem (password: changeit)
#
# Idempotent: a node that answers on 127.0.0.1:5672 is reused. The script merges its listener and TLS
# settings into /etc/rabbitmq/rabbitmq.conf (every other setting there is kept; the file as it was before
# the first change is saved as rabbitmq.conf.orig-switchboard). When the running node does not serve
# the current certificate on 5671, or the file had to change, the RabbitMQ application is restarted
# ONCE to apply it (stop_app + start_app re-read rabbitmq.conf: ~2 s; open connections are dropped; a
# full node restart if that does not bring up the listener); later runs find it and restart nothing.
#
# Env (all optional):
#   RABBITMQ_TLS_DIR=/tmp/switchboard-brokers/rabbitmq-tls   TLS material (see above)
#   RABBITMQ_START_TIMEOUT=60     seconds for the node to boot (and for the lock)
#   RABBITMQ_STOP_TIMEOUT=30      seconds for a graceful shutdown before a restart
#   RABBITMQ_MIN_OPEN_FILES=8192  a running node with a lower open-files limit is restarted once, with the limit
#                                 raised to the hard limit in rabbitmq-env.conf: a quorum queue keeps ~3 files
#                                 open, and leftover test queues exhausted 1,024 (the node then hung in the AMQP
#                                 handshake)
#
# stdout: exactly five KEY=VALUE lines (RABBITMQ_URI, RABBITMQ_TLS_URI, RABBITMQ_TLS_CA,
# RABBITMQ_TLS_TRUSTSTORE, RABBITMQ_TLS_WRONG_TRUSTSTORE). Everything else goes to stderr.
# Stop the node with scripts/stop-rabbitmq.sh; fault injection: scripts/rabbitmq-fault.sh.
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

RABBITMQ_TLS_DIR="${RABBITMQ_TLS_DIR:-/tmp/switchboard-brokers/rabbitmq-tls}"
RABBITMQ_START_TIMEOUT="${RABBITMQ_START_TIMEOUT:-60}"
RABBITMQ_STOP_TIMEOUT="${RABBITMQ_STOP_TIMEOUT:-30}"
RABBITMQ_MIN_OPEN_FILES="${RABBITMQ_MIN_OPEN_FILES:-8192}"
PORT=5672
TLS_PORT=5671
TRUSTSTORE_PASSWORD=changeit
NODE=rabbit@localhost
CONF=/etc/rabbitmq/rabbitmq.conf
ENV_CONF=/etc/rabbitmq/rabbitmq-env.conf
PIDFILE=/var/lib/rabbitmq/mnesia/$NODE.pid
LOG_DIR=/var/log/rabbitmq
LOGFILE=$LOG_DIR/$NODE.log
# one start/restart of this (machine-wide) node at a time; shared with rabbitmq-fault.sh
LOCK_FILE=/tmp/switchboard-brokers/rabbitmq.lock
export PATH="/usr/sbin:/usr/bin:$PATH"

log() { echo "[start-rabbitmq] $*" >&2; }
die() { echo "[start-rabbitmq] ERROR: $*" >&2; exit 1; }
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
now_ms() { date +%s%3N; }
node_pid() { [ -f "$PIDFILE" ] && tr -dc '0-9' < "$PIDFILE"; }
node_alive() { local p; p="$(node_pid)" && [ -n "$p" ] && kill -0 "$p" 2>/dev/null; }
# The node's VM is up (even while booting, before it wrote its pid file): alive pid, or the node name
# registered with the Erlang port mapper.
node_running() { node_alive || { command -v epmd >/dev/null 2>&1 && epmd -names 2>/dev/null | grep -q "^name ${NODE%@*} at port"; }; }
ctl() { timeout "$RABBITMQ_START_TIMEOUT" rabbitmqctl -q "$@"; }

emit_endpoints() {
  echo "RABBITMQ_URI=amqp://guest:guest@127.0.0.1:$PORT/"
  echo "RABBITMQ_TLS_URI=amqps://guest:guest@localhost:$TLS_PORT/"
  echo "RABBITMQ_TLS_CA=$RABBITMQ_TLS_DIR/ca.pem"
  echo "RABBITMQ_TLS_TRUSTSTORE=$RABBITMQ_TLS_DIR/truststore.p12"
  echo "RABBITMQ_TLS_WRONG_TRUSTSTORE=$RABBITMQ_TLS_DIR/wrong-truststore.p12"
}

# Byte offset of the last ~8 KB of the node's log.
recent_log_offset() { local n; n="$(stat -c %s "$LOGFILE" 2>/dev/null || echo 0)"; echo $(( n > 8000 ? n - 8000 : 0 )); }

# The node's log since byte offset $1 (errors first), plus the wrapper's startup files.
show_log_tail() {
  local from="${1:-0}"
  echo "---- $LOGFILE (tail) ----" >&2
  tail -c +"$((from + 1))" "$LOGFILE" 2>/dev/null | tail -30 >&2 || true
  for f in "$LOG_DIR/startup_err" "$LOG_DIR/startup_log"; do
    if [ -s "$f" ]; then echo "---- $f (tail) ----" >&2; tail -15 "$f" >&2 || true; fi
  done
}

# ---- checks -------------------------------------------------------------------------------------
[ "$(id -u)" = 0 ] || die "run as root (apt-get, /etc/rabbitmq; the Debian wrapper switches to the rabbitmq user)"
[[ "$RABBITMQ_START_TIMEOUT" =~ ^[0-9]+$ ]] || die "RABBITMQ_START_TIMEOUT must be a number of seconds"
[[ "$RABBITMQ_STOP_TIMEOUT" =~ ^[0-9]+$ ]] || die "RABBITMQ_STOP_TIMEOUT must be a number of seconds"
[[ "$RABBITMQ_TLS_DIR" = /* && ! "$RABBITMQ_TLS_DIR" =~ [[:space:]] ]] \
  || die "RABBITMQ_TLS_DIR must be an absolute path without spaces (it goes into rabbitmq.conf)"
command -v openssl >/dev/null 2>&1 || die "openssl not found (apt-get install openssl)"
command -v keytool >/dev/null 2>&1 || die "keytool not found: the PKCS12 truststores need a JDK on PATH"

mkdir -p "$(dirname "$LOCK_FILE")"
if [ "${RABBITMQ_LOCK_HELD:-0}" != 1 ]; then   # rabbitmq-fault.sh holds it already when it calls us
  exec 9> "$LOCK_FILE"
  flock -w "$((RABBITMQ_START_TIMEOUT * 2))" 9 \
    || die "another start-rabbitmq.sh / rabbitmq-fault.sh holds $LOCK_FILE"
fi

# ---- install ------------------------------------------------------------------------------------
if [ ! -x /usr/sbin/rabbitmq-server ] || ! command -v rabbitmqctl >/dev/null 2>&1; then
  if port_open "$PORT"; then
    die "something answers on 127.0.0.1:$PORT but the rabbitmq-server package is not installed: cannot manage that broker"
  fi
  log "installing rabbitmq-server with apt-get"
  t0=$(now_ms)
  apt-get update -qq >&2 || die "apt-get update failed"
  # postinst may try to start the service; with no init system that is skipped or fails harmlessly:
  # the node is started below, with our configuration
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends rabbitmq-server >&2 \
    || die "apt-get install rabbitmq-server failed"
  log "installed in $(( $(now_ms) - t0 )) ms"
fi
id rabbitmq >/dev/null 2>&1 || die "user 'rabbitmq' missing: the rabbitmq-server package is broken"

# ---- TLS material (once) ------------------------------------------------------------------------
TLS_FILES=(ca.pem ca-key.pem server.pem server-key.pem wrong-ca.pem wrong-ca-key.pem truststore.p12 wrong-truststore.p12)

tls_material_ok() {
  local f
  for f in "${TLS_FILES[@]}"; do [ -s "$RABBITMQ_TLS_DIR/$f" ] || return 1; done
  openssl verify -CAfile "$RABBITMQ_TLS_DIR/ca.pem" "$RABBITMQ_TLS_DIR/server.pem" >/dev/null 2>&1 || return 1
  openssl x509 -checkend 86400 -noout -in "$RABBITMQ_TLS_DIR/server.pem" >/dev/null 2>&1 || return 1
  # the node runs as rabbitmq: it must be able to read the key through every parent directory
  runuser -u rabbitmq -- test -r "$RABBITMQ_TLS_DIR/server-key.pem" 2>/dev/null || return 1
}

generate_tls_material() {
  local tmp cnf
  mkdir -p "$RABBITMQ_TLS_DIR"
  [ "$(stat -c %u "$RABBITMQ_TLS_DIR")" = 0 ] || die "$RABBITMQ_TLS_DIR is not owned by root: refusing to use it"
  chmod 755 "$RABBITMQ_TLS_DIR"
  tmp="$(mktemp -d "$RABBITMQ_TLS_DIR/.gen.XXXXXX")"
  cnf="$tmp/openssl.cnf"
  # a self-contained config, so the system openssl.cnf's default extensions do not interfere
  cat > "$cnf" <<'EOF'
[req]
distinguished_name = dn
prompt = no
[dn]
CN = unused
[v3_ca]
basicConstraints = critical,CA:TRUE
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash
[v3_server]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature,keyEncipherment
extendedKeyUsage = serverAuth
subjectAltName = DNS:localhost,IP:127.0.0.1
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
EOF
  {
    openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$tmp/ca-key.pem" &&
    openssl req -config "$cnf" -x509 -new -key "$tmp/ca-key.pem" -sha256 -days 3650 -extensions v3_ca \
      -subj "/O=Switchboard tests/CN=Switchboard test CA" -out "$tmp/ca.pem" &&
    openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$tmp/server-key.pem" &&
    openssl req -config "$cnf" -new -key "$tmp/server-key.pem" -subj "/O=Switchboard tests/CN=localhost" \
      -out "$tmp/server.csr" &&
    openssl x509 -req -in "$tmp/server.csr" -CA "$tmp/ca.pem" -CAkey "$tmp/ca-key.pem" \
      -set_serial "0x$(openssl rand -hex 16)" -days 3650 -sha256 -extfile "$cnf" -extensions v3_server \
      -out "$tmp/server.pem" &&
    openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$tmp/wrong-ca-key.pem" &&
    openssl req -config "$cnf" -x509 -new -key "$tmp/wrong-ca-key.pem" -sha256 -days 3650 -extensions v3_ca \
      -subj "/O=Switchboard tests/CN=Switchboard WRONG test CA (negative tests)" -out "$tmp/wrong-ca.pem" &&
    keytool -importcert -noprompt -alias switchboard-test-ca -file "$tmp/ca.pem" \
      -keystore "$tmp/truststore.p12" -storetype PKCS12 -storepass "$TRUSTSTORE_PASSWORD" &&
    keytool -importcert -noprompt -alias switchboard-wrong-ca -file "$tmp/wrong-ca.pem" \
      -keystore "$tmp/wrong-truststore.p12" -storetype PKCS12 -storepass "$TRUSTSTORE_PASSWORD" &&
    openssl verify -CAfile "$tmp/ca.pem" "$tmp/server.pem" &&
    ! openssl verify -CAfile "$tmp/wrong-ca.pem" "$tmp/server.pem"
  } > "$tmp/gen.log" 2>&1 || { cat "$tmp/gen.log" >&2; rm -rf "$tmp"; die "generating the TLS material failed"; }
  # keys: root + group rabbitmq (the node reads server-key.pem); certificates and truststores: world-readable
  chown root:rabbitmq "$tmp"/*.pem "$tmp"/*.p12
  chmod 640 "$tmp"/*-key.pem
  chmod 644 "$tmp"/ca.pem "$tmp"/server.pem "$tmp"/wrong-ca.pem "$tmp"/*.p12
  for f in "${TLS_FILES[@]}"; do mv -f "$tmp/$f" "$RABBITMQ_TLS_DIR/$f"; done
  rm -rf "$tmp"
}

if ! tls_material_ok; then
  log "generating the TLS material in $RABBITMQ_TLS_DIR"
  t0=$(now_ms)
  generate_tls_material
  tls_material_ok || die "TLS material in $RABBITMQ_TLS_DIR unusable (is every parent directory readable by the rabbitmq user?)"
  log "TLS material generated in $(( $(now_ms) - t0 )) ms"
fi

# ---- configuration ------------------------------------------------------------------------------
# rabbitmq.conf: keep every setting of the existing file except the keys managed here (any
# listeners.tcp.* / listeners.ssl.* / ssl_options.* line), then append ours.
MANAGED_BEGIN="# ---- managed by Switchboard scripts/start-rabbitmq.sh: loopback AMQP + AMQPS (TLS) ----"
MANAGED_END="# ---- end of the Switchboard-managed block ----"
desired_conf() {
  if [ -f "$CONF" ]; then
    sed -e "/^$(printf '%s' "$MANAGED_BEGIN" | sed 's/[][\.*^$/]/\\&/g')\$/d" \
        -e "/^$(printf '%s' "$MANAGED_END" | sed 's/[][\.*^$/]/\\&/g')\$/d" \
        -e '/^[[:space:]]*listeners\.tcp\./d' -e '/^[[:space:]]*listeners\.ssl\./d' \
        -e '/^[[:space:]]*ssl_options\./d' "$CONF"
  fi
  cat <<EOF
$MANAGED_BEGIN
listeners.tcp.default = 127.0.0.1:$PORT
listeners.ssl.default = 127.0.0.1:$TLS_PORT
ssl_options.cacertfile = $RABBITMQ_TLS_DIR/ca.pem
ssl_options.certfile = $RABBITMQ_TLS_DIR/server.pem
ssl_options.keyfile = $RABBITMQ_TLS_DIR/server-key.pem
ssl_options.verify = verify_none
ssl_options.fail_if_no_peer_cert = false
$MANAGED_END
EOF
}
conf_changed=0
new_conf="$(desired_conf)"
if [ "$(cat "$CONF" 2>/dev/null)" != "$new_conf" ]; then
  mkdir -p /etc/rabbitmq
  if [ -f "$CONF" ] && [ ! -e "$CONF.orig-switchboard" ]; then cp -p "$CONF" "$CONF.orig-switchboard"; fi
  printf '%s\n' "$new_conf" > "$CONF.tmp.$$"
  chown rabbitmq:rabbitmq "$CONF.tmp.$$"; chmod 644 "$CONF.tmp.$$"
  mv -f "$CONF.tmp.$$" "$CONF"
  conf_changed=1
  log "updated $CONF (listeners 127.0.0.1:$PORT, TLS 127.0.0.1:$TLS_PORT)"
fi
# rabbitmq-env.conf: node name and epmd on loopback; an existing file is kept, missing keys are added
touch "$ENV_CONF"
grep -q '^[[:space:]]*NODENAME=' "$ENV_CONF" || echo "NODENAME=$NODE" >> "$ENV_CONF"
grep -qE '^[[:space:]]*(export[[:space:]]+)?ERL_EPMD_ADDRESS=' "$ENV_CONF" || echo "export ERL_EPMD_ADDRESS=127.0.0.1" >> "$ENV_CONF"
# the node runs as user rabbitmq through su, whose login limits give it 1,024 open files whatever the caller's
# ulimit: rabbitmq-env.conf is sourced by the shell that starts the VM, so the limit is raised there
grep -q '^ulimit -S -n' "$ENV_CONF" \
  || echo "ulimit -S -n \"\$(ulimit -H -n)\" 2>/dev/null || true  # switchboard: quorum queues keep ~3 files open each" >> "$ENV_CONF"
grep -q "^[[:space:]]*NODENAME=$NODE[[:space:]]*\$" "$ENV_CONF" \
  || die "$ENV_CONF sets another NODENAME than $NODE: these scripts manage $NODE only"

# ---- node control -------------------------------------------------------------------------------
# Does the TLS listener serve the current server.pem? (the cheap check that lets a later run skip
# the restart; a listener with an old certificate counts as missing)
tls_listener_ok() {
  local served want
  port_open "$TLS_PORT" || return 1
  served="$(timeout 10 openssl s_client -connect "127.0.0.1:$TLS_PORT" -servername localhost </dev/null 2>/dev/null \
    | openssl x509 -noout -fingerprint -sha256 2>/dev/null)" || return 1
  want="$(openssl x509 -noout -fingerprint -sha256 -in "$RABBITMQ_TLS_DIR/server.pem")"
  [ -n "$served" ] && [ "$served" = "$want" ]
}

wait_ports() {  # $1 = deadline (epoch s), $2 = log offset
  until port_open "$PORT" && port_open "$TLS_PORT"; do
    if [ -f "$PIDFILE" ] && ! node_alive; then
      show_log_tail "$2"; die "the RabbitMQ node exited during startup (logs: $LOG_DIR)"
    fi
    if [ "$(date +%s)" -ge "$1" ]; then
      show_log_tail "$2"
      node_running && log "the node is still running (booting?): the next run waits for it; stop it with $SCRIPT_DIR/stop-rabbitmq.sh"
      die "RabbitMQ not accepting connections on 127.0.0.1:$PORT and :$TLS_PORT after ${RABBITMQ_START_TIMEOUT}s (logs: $LOG_DIR)"
    fi
    sleep 0.2
  done
}

launch_node() {
  local t0 deadline logstart
  mkdir -p "$LOG_DIR" && chown rabbitmq:rabbitmq "$LOG_DIR"
  logstart=$( [ -f "$LOGFILE" ] && stat -c %s "$LOGFILE" || echo 0 )
  node_alive || rm -f "$PIDFILE"   # a stale one would make wait_ports think the new node died
  t0=$(now_ms)
  deadline=$(( $(date +%s) + RABBITMQ_START_TIMEOUT ))
  # own session, no inherited stdout (a caller's $(...) would wait for it) and no lock fd
  (cd / && setsid rabbitmq-server -detached </dev/null >>"$LOG_DIR/switchboard-launch.log" 2>&1 9>&-) \
    || { show_log_tail "$logstart"; die "rabbitmq-server -detached failed (logs: $LOG_DIR)"; }
  # `await_startup` straight after -detached fails (rc 69, node not registered yet): poll the port first
  wait_ports "$deadline" "$logstart"
  if ! ctl await_startup >/dev/null 2>&1; then
    show_log_tail "$logstart"; die "rabbitmqctl await_startup failed (logs: $LOG_DIR)"
  fi
  ensure_pidfile
  log "node started in $(( $(now_ms) - t0 )) ms (pid $(node_pid), node $NODE, logs $LOG_DIR)"
}

# stop-rabbitmq.sh and the checks here use the pid file the node writes at boot; recreate a lost one.
ensure_pidfile() {
  local p
  node_alive && return 0
  p="$(ctl eval 'list_to_integer(os:getpid()).' 2>/dev/null | tr -dc '0-9')" || return 0
  if [ -n "$p" ] && kill -0 "$p" 2>/dev/null; then
    echo "$p" > "$PIDFILE" && chown rabbitmq:rabbitmq "$PIDFILE" && log "recreated $PIDFILE (pid $p)"
  fi
  return 0
}

stop_node() {
  local pid t0
  pid="$(node_pid || true)"
  t0=$(now_ms)
  timeout "$RABBITMQ_STOP_TIMEOUT" rabbitmqctl -q shutdown >/dev/null 2>&1 || {
    log "rabbitmqctl shutdown failed or timed out"
    if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then log "SIGTERM pid $pid"; kill -TERM "$pid" 2>/dev/null || true; fi
  }
  if [ -n "$pid" ]; then
    for _ in $(seq 1 $((RABBITMQ_STOP_TIMEOUT * 10))); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    if kill -0 "$pid" 2>/dev/null; then log "SIGKILL pid $pid"; kill -KILL "$pid" 2>/dev/null || true; sleep 0.5; fi
  fi
  for _ in $(seq 1 50); do port_open "$PORT" || port_open "$TLS_PORT" || break; sleep 0.1; done
  log "node stopped in $(( $(now_ms) - t0 )) ms"
}

# ---- reuse, repair, or start ----------------------------------------------------------------------
t_start=$(now_ms)
if ! port_open "$PORT" && node_running; then
  # booting, or its app was stopped (stop_app, e.g. an interrupted fault test): give it a moment
  log "node $NODE is running but 127.0.0.1:$PORT is closed: waiting for it"
  deadline=$(( $(date +%s) + RABBITMQ_START_TIMEOUT ))
  until port_open "$PORT"; do
    # app neither booting nor running, on a VM up for more than 20 s (not one in its first boot steps)
    if [ "$(ctl eval 'not (rabbit:is_booting() orelse rabbit:is_running()) andalso element(1, erlang:statistics(wall_clock)) > 20000.' 2>/dev/null)" = "true" ]; then
      log "the RabbitMQ application is stopped: rabbitmqctl start_app"
      ctl start_app >&2 || true
    fi
    node_running || break
    if [ "$(date +%s)" -ge "$deadline" ]; then
      show_log_tail "$(recent_log_offset)"
      die "node $NODE is running but 127.0.0.1:$PORT is still closed after ${RABBITMQ_START_TIMEOUT}s; try $SCRIPT_DIR/stop-rabbitmq.sh"
    fi
    sleep 0.5
  done
fi

# The soft open-files limit of the running node (empty if unknown): a node started by the machine may have 1,024,
# which leftover quorum queues of earlier test runs exhaust (the node then stops answering AMQP handshakes).
node_open_files() {
  local p
  p="$(node_pid)" && [ -n "$p" ] && awk '/^Max open files/ {print $4}' "/proc/$p/limits" 2>/dev/null
}

if port_open "$PORT" && ctl eval 'ok.' >/dev/null 2>&1; then
  ensure_pidfile
  open_files="$(node_open_files || true)"
  if [ -n "$open_files" ] && [ "$open_files" != unlimited ] && [ "$open_files" -lt "$RABBITMQ_MIN_OPEN_FILES" ]; then
    log "node $NODE runs with an open-files limit of $open_files (< $RABBITMQ_MIN_OPEN_FILES): restarting it once to raise it (rabbitmq-env.conf)"
    t0=$(now_ms)
    stop_node
    launch_node
    log "node restart took $(( $(now_ms) - t0 )) ms"
  fi
fi

if port_open "$PORT"; then
  if tls_listener_ok && [ "$conf_changed" = 0 ]; then
    node_alive || ensure_pidfile
    log "reusing the running node (pid $(node_pid || echo '?'), TLS listener on 127.0.0.1:$TLS_PORT up)"
    emit_endpoints
    exit 0
  fi
  # not ours to restart if rabbitmqctl cannot reach rabbit@localhost (another broker on the port)
  ctl eval 'ok.' >/dev/null 2>&1 \
    || die "a broker answers on 127.0.0.1:$PORT but 'rabbitmqctl' cannot reach node $NODE: cannot enable the TLS listener on it"
  if [ "$conf_changed" = 1 ]; then why="$CONF changed"; else why="no TLS listener serving $RABBITMQ_TLS_DIR/server.pem on 127.0.0.1:$TLS_PORT"; fi
  n_conn="$(ctl list_connections --no-table-headers pid 2>/dev/null | grep -c . || true)"
  log "applying the TLS listener ($why): restarting the RabbitMQ application once (drops ${n_conn:-?} open connection(s))"
  # On 3.10 `stop_app` + `start_app` re-reads rabbitmq.conf and opens the new listeners (measured
  # 1.7 s, vs ~5 s for a node restart). The PEM cache is cleared so a regenerated certificate at the
  # same path is read again. If the listener still does not serve server.pem: full node restart.
  t0=$(now_ms)
  logstart=$(stat -c %s "$LOGFILE" 2>/dev/null || echo 0)
  if ctl stop_app >/dev/null && ctl eval 'ssl:clear_pem_cache().' >/dev/null && ctl start_app >/dev/null \
      && wait_ports "$(( $(date +%s) + RABBITMQ_START_TIMEOUT ))" "$logstart" && tls_listener_ok; then
    log "application restarted in $(( $(now_ms) - t0 )) ms"
  else
    log "the application restart did not bring up the TLS listener: restarting the node"
    show_log_tail "$logstart"
    stop_node
    launch_node
    log "node restart took $(( $(now_ms) - t0 )) ms"
  fi
else
  port_open "$TLS_PORT" && die "127.0.0.1:$TLS_PORT is in use by another process while :$PORT is closed (see: ss -ltnp 'sport = :$TLS_PORT')"
  log "no node answers on 127.0.0.1:$PORT: starting $NODE"
  launch_node
fi
tls_listener_ok || die "the node is up but 127.0.0.1:$TLS_PORT does not serve $RABBITMQ_TLS_DIR/server.pem (check $CONF and $LOGFILE)"
log "ready in $(( $(now_ms) - t_start )) ms"
emit_endpoints
