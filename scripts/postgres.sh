#!/usr/bin/env bash
# Starts Debian's local PostgreSQL for the tests and gives them an empty database; prints its URL.
# Usage: scripts/postgres.sh [DBNAME]   (default keyport_test; recreated empty on every call)
# Uses $KEYPORT_TEST_DATABASE_URL as it is when set (a server you run yourself).
set -euo pipefail
db=${1:-keyport_test}
case "$db" in *[!a-z0-9_]*|"") echo "postgres.sh: database name must be [a-z0-9_]" >&2; exit 2;; esac
if [ -n "${KEYPORT_TEST_DATABASE_URL:-}" ]; then echo "$KEYPORT_TEST_DATABASE_URL"; exit 0; fi

ver=$(ls /usr/lib/postgresql | sort -n | tail -1)
pg_lsclusters -h | awk '{print $1, $2}' | grep -qx "$ver main" || pg_createcluster "$ver" main >&2
pg_lsclusters -h | awk -v v="$ver" '$1 == v && $2 == "main" {print $4}' | grep -qx online \
  || pg_ctlcluster "$ver" main start >&2
port=$(pg_lsclusters -h | awk -v v="$ver" '$1 == v && $2 == "main" {print $3}')
for _ in $(seq 30); do pg_isready -q -h 127.0.0.1 -p "$port" && break; sleep 1; done

as_pg() { su postgres -c "$1" >&2; }
su postgres -c "psql -p $port -tAc \"SELECT 1 FROM pg_roles WHERE rolname = 'keyport'\"" | grep -q 1 \
  || as_pg "psql -p $port -c \"CREATE ROLE keyport LOGIN PASSWORD 'keyport'\""
# A new database each run: the tests share it, so leftovers from an earlier run must not count.
as_pg "dropdb -p $port --if-exists --force $db"
as_pg "createdb -p $port -O keyport $db"
echo "postgres://keyport:keyport@127.0.0.1:$port/$db"
