#!/usr/bin/env bash
# Start (or reuse) the local PostgreSQL server for the tests of switchboard-jdbc, without Docker or systemd:
# Debian's postgresql package, cluster "main", on 127.0.0.1:5432 with trust authentication for local TCP
# connections (as the machines we test on are set up). Installs the package with apt-get when it is missing.
#
# Idempotent: a server that answers on 127.0.0.1:5432 is reused. Creates the database `switchboard_test`
# when it does not exist (tests make a schema of their own in it).
#
# Env (optional): POSTGRES_START_TIMEOUT=60 (seconds for the server to accept connections)
# stdout: exactly one KEY=VALUE line, POSTGRES_JDBC_URL. Everything else goes to stderr.
set -euo pipefail

POSTGRES_START_TIMEOUT="${POSTGRES_START_TIMEOUT:-60}"
PORT=5432
DATABASE=switchboard_test

log() { echo "[start-postgres] $*" >&2; }
die() { echo "[start-postgres] ERROR: $*" >&2; exit 1; }
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; }
sql() { psql -h 127.0.0.1 -p "$PORT" -U postgres -d postgres -tAq -v ON_ERROR_STOP=1 -c "$1"; }

if ! port_open; then
  if ! command -v pg_ctlcluster >/dev/null 2>&1; then
    [ "$(id -u)" = 0 ] || die "PostgreSQL is not installed and installing it needs root (apt-get install postgresql)"
    log "installing postgresql with apt-get"
    apt-get update -qq >&2 || die "apt-get update failed"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends postgresql >&2 \
      || die "apt-get install postgresql failed"
  fi
  version="$(ls /etc/postgresql | sort -V | tail -n 1)"
  [ -n "$version" ] || die "no cluster under /etc/postgresql"
  hba="/etc/postgresql/$version/main/pg_hba.conf"
  if ! grep -qE '^host\s+all\s+all\s+127\.0\.0\.1/32\s+trust' "$hba"; then
    log "allowing trust authentication from 127.0.0.1 in $hba (test machines only)"
    sed -i '1i host all all 127.0.0.1/32 trust' "$hba"
  fi
  log "starting cluster $version/main"
  pg_ctlcluster --skip-systemctl-redirect "$version" main start >&2 || die "pg_ctlcluster $version main start failed"
  started=$(date +%s)
  until port_open && sql "select 1" >/dev/null 2>&1; do
    [ $(( $(date +%s) - started )) -lt "$POSTGRES_START_TIMEOUT" ] \
      || die "PostgreSQL did not accept connections on 127.0.0.1:$PORT within ${POSTGRES_START_TIMEOUT}s"
    sleep 0.5
  done
fi

sql "select 1" >/dev/null 2>&1 || die "something answers on 127.0.0.1:$PORT but user postgres cannot log in without a password"
if [ -z "$(sql "select 1 from pg_database where datname = '$DATABASE'")" ]; then
  sql "create database $DATABASE" || die "cannot create database $DATABASE"
fi
log "ready: PostgreSQL $(sql 'show server_version') on 127.0.0.1:$PORT, database $DATABASE"
echo "POSTGRES_JDBC_URL=jdbc:postgresql://127.0.0.1:$PORT/$DATABASE?user=postgres"
