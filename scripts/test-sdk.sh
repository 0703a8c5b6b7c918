#!/usr/bin/env bash
# Runs LicenseSpring's own Python SDK against Keyport's /api/v4 (tests/licensespring_sdk, pytest) on a running binary.
# Usage: scripts/test-sdk.sh [BINARY] [PYTEST ARGS...]   (default target/release/keyport)
# Serves a fresh SQLite database on port SDK_TEST_PORT (default 3160), or the Postgres database of
# $KEYPORT_TEST_DATABASE_URL when set (make test-sdk passes one from scripts/postgres.sh). The tests make
# their tenants with the binary's admin commands on the same database, under company IDs tagged with a
# random run tag, so runs on a shared Postgres never collide.
set -euo pipefail
cd "$(dirname "$0")/.."

bin=${1:-target/release/keyport}
[ $# -eq 0 ] || shift
port=${SDK_TEST_PORT:-3160}

[ -x "$bin" ] || { echo "test-sdk: $bin is missing (make release builds it)" >&2; exit 1; }
tools/venv/bin/python -c 'import licensespring, pytest' 2>/dev/null \
  || { echo "test-sdk: the LicenseSpring SDK is missing from tools/venv (scripts/setup.sh test installs it)" >&2; exit 1; }
bin=$(realpath "$bin")

. scripts/test-server.sh test-sdk
database=${KEYPORT_TEST_DATABASE_URL:-sqlite://$work/sdk.db}
# The server and the admin commands the tests run read the same variable.
export DATABASE_URL=$database
# Every request of the tests comes from 127.0.0.1, so the per-address throttle (refused license-key
# activations count) is raised; the per-account one stays as shipped. No demo seeding: each test
# creates its own tenant.
test_server_start "$bin" "$port" KEYPORT_DEMO=false KEYPORT_THROTTLE_ADDRESS_FAILURES=1000000

status=0
# -p no:cacheprovider and no bytecode: nothing written into the source tree. The SDK's license files go to pytest's
# tmp_path, under $work, via --basetemp.
PYTHONDONTWRITEBYTECODE=1 KEYPORT_BIN=$bin KEYPORT_SDK_BASE=$base KEYPORT_SDK_RUN=$(od -An -N4 -tx1 /dev/urandom | tr -d ' \n') \
  "$py" -m pytest tests/licensespring_sdk -p no:cacheprovider --basetemp="$work/pytest" -q -rfE "$@" || status=$?

test_server_check || status=1
if [ "$status" -ne 0 ]; then
  echo "test-sdk: server log (last 40 lines):" >&2
  tail -n 40 "$work/server.log" >&2
fi
exit "$status"
