#!/usr/bin/env bash
# make bench: runs keyport-bench against the release server on a fresh SQLite file and, when
# PostgreSQL is installed, on a fresh `keyport_bench` database (never one of the tests').
# $KEYPORT_BENCH_DATABASE_URL replaces the local Postgres (it is used as it is, not emptied).
# Extra arguments go to keyport-bench (`target/release/keyport-bench --help`).
set -euo pipefail
cd "$(dirname "$0")/.."

mkdir -p target/bench
rm -f target/bench/keyport.db target/bench/keyport.db-shm target/bench/keyport.db-wal
databases=(--database "sqlite://target/bench/keyport.db")

# Prints the URL of an empty keyport_bench database on Debian's local cluster (started if needed).
local_postgres() {
  [ -d /usr/lib/postgresql ] || return 1
  env -u KEYPORT_TEST_DATABASE_URL scripts/postgres.sh keyport_bench
}

if [ -n "${KEYPORT_BENCH_DATABASE_URL:-}" ]; then
  databases+=(--database "$KEYPORT_BENCH_DATABASE_URL")
elif url=$(local_postgres); then
  databases+=(--database "$url")
else
  echo "bench: no local PostgreSQL (make setup-test installs it); measuring SQLite only" >&2
fi

exec target/release/keyport-bench --keyport target/release/keyport "${databases[@]}" "$@"
