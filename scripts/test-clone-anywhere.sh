#!/usr/bin/env bash
# CI: "clone anywhere" (issue 14). Clones this repository into a private folder (mode 700, as
# `mktemp -d` makes it; other users, such as `postgres`, cannot enter it), brings PostgreSQL up
# from there with the clone's own scripts on a spare port, and checks that both databases accept
# connections. Stops that PostgreSQL and removes everything again, also when a step fails.
set -euo pipefail
cd "$(dirname "$0")/.."

port="${NAZORG_CLONE_TEST_PGPORT:-55432}"
log() { printf '[clone-anywhere] %s\n' "$*"; }
fail() {
  log "FAILED: $*"
  exit 1
}

if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
  fail "port $port is already in use; set NAZORG_CLONE_TEST_PGPORT to a free one"
fi

dir=$(mktemp -d)
chmod 700 "$dir"
clone="$dir/repo"

cleanup() {
  local status=$?
  set +e
  if [ -d "$clone" ]; then
    env -u NAZORG_DATA_DIR PGPORT="$port" bash "$clone/scripts/infra/postgres.sh" down >/dev/null 2>&1
    # Whatever postgres.sh down missed (a half-started server): stop it by its own pid file.
    local pgdata pid
    pgdata=$(readlink -f "$clone/.data/postgres" 2>/dev/null)
    if [ -n "$pgdata" ] && [ -s "$pgdata/postmaster.pid" ]; then
      pid=$(head -n 1 "$pgdata/postmaster.pid")
      if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
        log "stopping the spare PostgreSQL (pid $pid) that postgres.sh down left running"
        kill -INT "$pid"
        for _ in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
        kill -0 "$pid" 2>/dev/null && kill -KILL "$pid"
      fi
    fi
    # A cluster kept outside the clone (see README "Where the data lives") goes with it; its
    # folder names the data directory it belongs to, so nothing else is ever removed.
    if [ -n "$pgdata" ] && [ "$pgdata" != "$clone/.data/postgres" ] &&
      [ "$(cat "$(dirname "$pgdata")/data-dir" 2>/dev/null)" = "$clone/.data" ]; then
      rm -rf "$(dirname "$pgdata")"
    fi
  fi
  rm -rf "$dir"
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

log "cloning into $clone (parent mode $(stat -c %a "$dir"))"
git clone -q "$(git rev-parse --show-toplevel)" "$clone"

log "postgres.sh up on port $port from the clone"
# NAZORG_DATA_DIR may point elsewhere in the caller's environment: the clone must use its own.
env -u NAZORG_DATA_DIR PGPORT="$port" bash "$clone/scripts/infra/postgres.sh" up ||
  fail "postgres.sh up did not bring PostgreSQL up from a private folder"

for db in nazorg nazorg_test; do
  got=$(PGPASSWORD=nazorg psql -h 127.0.0.1 -p "$port" -U nazorg -d "$db" -tAc 'select current_database()') ||
    fail "no psql connection to database $db on port $port"
  [ "$got" = "$db" ] || fail "database $db answered '$got'"
  log "psql connects to $db on port $port"
done

pg() { PGPASSWORD=nazorg psql -h 127.0.0.1 -p "$port" -U nazorg -d nazorg -v ON_ERROR_STOP=1 -qtAc "$1"; }
down_and_check() {
  env -u NAZORG_DATA_DIR PGPORT="$port" bash "$clone/scripts/infra/postgres.sh" down
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    fail "PostgreSQL still listens on port $port after postgres.sh down"
  fi
}

# Down and up again find the same cluster: what was stored is still there.
pg "create table clone_anywhere (mark text); insert into clone_anywhere values ('kept')"
down_and_check
env -u NAZORG_DATA_DIR PGPORT="$port" bash "$clone/scripts/infra/postgres.sh" up ||
  fail "postgres.sh up did not start the cluster a second time"
[ "$(pg 'select mark from clone_anywhere')" = kept ] || fail "the second start did not find the first one's data"
log "a second postgres.sh up found the same cluster"
down_and_check
log "postgres.sh down stopped it: OK"
