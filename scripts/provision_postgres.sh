#!/usr/bin/env bash
# Make a PostgreSQL server answer on 127.0.0.1 for the `postgres` tests: install
# Debian's postgresql when missing, start its cluster, and create the test role and
# database. Prints the SQLAlchemy URL on the last line. Safe to run repeatedly.
set -euo pipefail

PGUSER_NAME="${ENVFOUNDRY_PG_USER:-envfoundry}"
PGPASS="${ENVFOUNDRY_PG_PASSWORD:-envfoundry}"
PGDB="${ENVFOUNDRY_PG_DB:-envfoundry_test}"
PGPORT="${ENVFOUNDRY_PG_PORT:-5432}"

SUDO=""
if [ "$(id -u)" != "0" ]; then SUDO="sudo"; fi

if ! command -v pg_lsclusters >/dev/null 2>&1; then
  echo "postgres: installing postgresql from Debian" >&2
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq postgresql >/dev/null
fi

VERSION="$(pg_lsclusters -h | awk 'NR==1 {print $1}')"
CLUSTER="$(pg_lsclusters -h | awk 'NR==1 {print $2}')"
if [ -z "$VERSION" ]; then
  VERSION="$(ls /usr/lib/postgresql | sort -n | tail -1)"
  CLUSTER=main
  $SUDO pg_createcluster "$VERSION" "$CLUSTER" >&2
fi
STATUS="$(pg_lsclusters -h | awk -v v="$VERSION" -v c="$CLUSTER" '$1==v && $2==c {print $4}')"
if [ "$STATUS" != "online" ]; then
  echo "postgres: starting cluster $VERSION/$CLUSTER" >&2
  $SUDO pg_ctlcluster "$VERSION" "$CLUSTER" start
fi

for _ in $(seq 1 30); do
  if $SUDO -u postgres psql -qAtc "select 1" >/dev/null 2>&1 || su postgres -c "psql -qAtc 'select 1'" >/dev/null 2>&1; then break; fi
  sleep 1
done

psql_admin() { su postgres -c "psql -v ON_ERROR_STOP=1 -qAt -c \"$1\""; }
if [ "$(psql_admin "select 1 from pg_roles where rolname='$PGUSER_NAME'")" != "1" ]; then
  psql_admin "create role $PGUSER_NAME login password '$PGPASS' createdb" >&2
fi
# tests drop their scratch databases WITH (FORCE): that may end any session in them,
# whichever role opened it (not only the test role's own)
psql_admin "grant pg_signal_backend to $PGUSER_NAME" >&2
if [ "$(psql_admin "select 1 from pg_database where datname='$PGDB'")" != "1" ]; then
  psql_admin "create database $PGDB owner $PGUSER_NAME" >&2
fi
echo "postgres: cluster $VERSION/$CLUSTER online, database $PGDB ready" >&2
echo "postgresql+psycopg://$PGUSER_NAME:$PGPASS@127.0.0.1:$PGPORT/$PGDB"
