#!/bin/sh
# One-shot: create the Temporal databases on PostgreSQL and bring their schemas up to date.
# Safe to run on every `docker compose up`: an existing database is only migrated.
#
#   1. create database temporal, then temporal_visibility (an existing one is kept)
#   2. on a database created just now, set up the schema version table (setup-schema -v 0.0)
#   3. apply the versioned schema migrations the image ships (update-schema)
#
# On failure the container exits non-zero and the Temporal server does not start. A database left
# created but without schema (a crash between steps 1 and 2) needs `docker compose down -v`.
set -eu

: "${POSTGRES_SEEDS:?}" "${POSTGRES_USER:?}" "${SQL_PASSWORD:?}"
port=${DB_PORT:-5432}
schemas=/etc/temporal/schema/postgresql/v12

sql() {
  db=$1
  shift
  temporal-sql-tool --plugin postgres12 --ep "$POSTGRES_SEEDS" -p "$port" -u "$POSTGRES_USER" --db "$db" "$@"
}

# Exit 0 when the database was created, 1 when it already existed; any other failure stops here.
create_database() {
  if out=$(sql "$1" create 2>&1); then
    echo "casflow: created database $1"
    return 0
  fi
  if printf '%s' "$out" | grep -q 'already exists'; then
    echo "casflow: database $1 already exists"
    return 1
  fi
  printf '%s\n' "$out" >&2
  echo "casflow: could not create database $1" >&2
  exit 1
}

prepare() {
  db=$1
  dir=$2
  if create_database "$db"; then
    sql "$db" setup-schema -v 0.0
  fi
  sql "$db" update-schema -d "$schemas/$dir/versioned"
  echo "casflow: schema of $db is current"
}

prepare temporal temporal
prepare temporal_visibility visibility
