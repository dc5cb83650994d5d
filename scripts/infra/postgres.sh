#!/usr/bin/env bash
# PostgreSQL from Debian's package, our own cluster under $DATA_DIR/postgres, on loopback.
# Usage: postgres.sh up|down
source "$(dirname "$0")/lib.sh"

# The server runs as the `postgres` user, which must be able to enter the cluster's directory. A
# clone in a folder only its owner may enter (root's home, `mktemp -d`) is closed to it, so the
# cluster then lives in /var/lib/nazorg/<hash of $DATA_DIR>/postgres and $DATA_DIR/postgres is a
# symlink to it (README "Where the data lives"). Up and down find the same place.
PG_LINK="$DATA_DIR/postgres"
pg_data_dir() {
  if [ -L "$PG_LINK" ]; then
    readlink "$PG_LINK"
  elif as_user postgres test -x "$DATA_DIR"; then
    echo "$PG_LINK"
  else
    echo "/var/lib/nazorg/$(printf '%s' "$DATA_DIR" | sha256sum | cut -c1-12)/postgres"
  fi
}
PGDATA_DIR="$(pg_data_dir)"

# For a cluster outside $DATA_DIR: its folder (readable by postgres), a note naming the data
# directory it belongs to, and the symlink.
prepare_outside_dir() {
  [ "$PGDATA_DIR" = "$PG_LINK" ] && return 0
  local home
  home="$(dirname "$PGDATA_DIR")"
  mkdir -p "$home"
  chmod 755 "$(dirname "$home")" "$home"
  printf '%s\n' "$DATA_DIR" >"$home/data-dir"
  if [ -d "$PG_LINK" ] && [ ! -L "$PG_LINK" ] && ! rmdir "$PG_LINK" 2>/dev/null; then
    log "$PG_LINK is a directory the postgres user cannot enter; move it away and retry"
    return 1
  fi
  ln -sfn "$PGDATA_DIR" "$PG_LINK"
  log "the postgres user cannot enter $DATA_DIR: cluster kept in $PGDATA_DIR ($PG_LINK links to it)"
}

pg_bin() {
  local dir
  dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  [ -n "$dir" ] && echo "$dir"
}

ensure_databases() {
  local db
  for db in nazorg nazorg_test; do
    if ! PGPASSWORD="$PG_PASSWORD" psql -h "$PG_HOST" -p "$PG_PORT" -U "$PG_USER" -d postgres -tAc \
      "select 1 from pg_database where datname='$db'" | grep -q 1; then
      PGPASSWORD="$PG_PASSWORD" psql -h "$PG_HOST" -p "$PG_PORT" -U "$PG_USER" -d postgres -qc "create database $db"
    fi
  done
}

up() {
  if port_open "$PG_HOST" "$PG_PORT"; then
    log "PostgreSQL already listening on $PG_HOST:$PG_PORT: using it"
    ensure_databases
    return 0
  fi
  if [ -z "$(pg_bin)" ]; then
    log "installing PostgreSQL (Debian package)"
    # No system-wide 'main' cluster: ours lives under $DATA_DIR.
    mkdir -p /etc/postgresql-common
    echo "create_main_cluster = false" >/etc/postgresql-common/createcluster.conf
    apt_install postgresql postgresql-client
  fi
  local bin
  bin="$(pg_bin)"
  prepare_outside_dir
  if [ ! -s "$PGDATA_DIR/PG_VERSION" ]; then
    log "initialising cluster in $PGDATA_DIR"
    mkdir -p "$PGDATA_DIR"
    chown postgres:postgres "$PGDATA_DIR"
    chmod 700 "$PGDATA_DIR"
    local pwfile
    pwfile=$(mktemp)
    echo "$PG_PASSWORD" >"$pwfile"
    chown postgres "$pwfile"
    as_user postgres "$bin/initdb" -D "$PGDATA_DIR" -U "$PG_USER" --pwfile="$pwfile" \
      --auth-local=trust --auth-host=scram-sha-256 -E UTF8 --locale=C.UTF-8 >/dev/null
    rm -f "$pwfile"
  fi
  log "starting PostgreSQL on $PG_HOST:$PG_PORT"
  as_user postgres "$bin/pg_ctl" -D "$PGDATA_DIR" -l "$PGDATA_DIR/server.log" -w -t 60 start \
    -o "-c listen_addresses=$PG_HOST -p $PG_PORT -k $PGDATA_DIR -c max_connections=200 -c fsync=${NAZORG_PG_FSYNC:-on}" >/dev/null
  ensure_databases
}

down() {
  local bin
  bin="$(pg_bin)" || true
  if [ -n "$bin" ] && [ -s "$PGDATA_DIR/postmaster.pid" ]; then
    as_user postgres "$bin/pg_ctl" -D "$PGDATA_DIR" -m fast -w stop >/dev/null && log "PostgreSQL stopped"
  fi
}

"${1:-up}"
