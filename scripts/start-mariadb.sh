#!/usr/bin/env bash
# Start (or reuse) the local MariaDB server for the tests of switchboard-jdbc, without Docker or systemd:
# Debian's mariadb-server package on 127.0.0.1:3306, user root with an empty password (as the machines we
# test on are set up). Installs the package with apt-get when it is missing.
#
# Idempotent: a server that answers on 127.0.0.1:3306 is reused. Creates the database `switchboard_test`
# when it does not exist (tests make databases of their own beside it).
#
# Env (optional): MARIADB_START_TIMEOUT=60 (seconds for the server to accept connections)
# stdout: exactly one KEY=VALUE line, MARIADB_JDBC_URL. Everything else goes to stderr.
set -euo pipefail

MARIADB_START_TIMEOUT="${MARIADB_START_TIMEOUT:-60}"
PORT=3306
DATABASE=switchboard_test

log() { echo "[start-mariadb] $*" >&2; }
die() { echo "[start-mariadb] ERROR: $*" >&2; exit 1; }
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; }
sql() { mariadb -h 127.0.0.1 -P "$PORT" -u root -N -B -e "$1"; }

if ! port_open; then
  if ! command -v mariadbd >/dev/null 2>&1 && [ ! -x /usr/sbin/mariadbd ]; then
    [ "$(id -u)" = 0 ] || die "MariaDB is not installed and installing it needs root (apt-get install mariadb-server)"
    log "installing mariadb-server with apt-get"
    apt-get update -qq >&2 || die "apt-get update failed"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends mariadb-server >&2 \
      || die "apt-get install mariadb-server failed"
  fi
  log "starting mariadbd"
  mkdir -p /run/mysqld && chown mysql:mysql /run/mysqld 2>/dev/null || true
  start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd >&2 || die "starting mariadbd failed"
  started=$(date +%s)
  until port_open && sql "select 1" >/dev/null 2>&1; do
    [ $(( $(date +%s) - started )) -lt "$MARIADB_START_TIMEOUT" ] \
      || die "MariaDB did not accept connections on 127.0.0.1:$PORT within ${MARIADB_START_TIMEOUT}s"
    sleep 0.5
  done
fi

sql "select 1" >/dev/null 2>&1 || die "something answers on 127.0.0.1:$PORT but root cannot log in without a password"
sql "create database if not exists $DATABASE" || die "cannot create database $DATABASE"
log "ready: MariaDB $(sql 'select version()') on 127.0.0.1:$PORT, database $DATABASE"
echo "MARIADB_JDBC_URL=jdbc:mariadb://127.0.0.1:$PORT/$DATABASE?user=root"
