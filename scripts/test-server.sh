# Sourced by the scripts that test a running keyport binary (fuzz-api.sh, test-sdk.sh): a scratch directory,
# the server started and waited for, and its log checked afterwards.
# Usage: . scripts/test-server.sh NAME; test_server_start BIN PORT [VAR=VALUE...]; ...; test_server_check || status=1
# Sets $work (a temporary directory, removed with the server on exit), $server_pid, $base and $py.
# shellcheck shell=bash

test_server_name=$1
py=tools/venv/bin/python
work=$(mktemp -d)
server_pid=
test_server_cleanup() {
  [ -z "$server_pid" ] || kill "$server_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap test_server_cleanup EXIT

# Plain Python rather than curl, which a fresh Debian machine may not have.
test_server_get() { "$py" -c 'import sys, urllib.request; urllib.request.urlopen(sys.argv[1], timeout=2)' "$1"; }

# Starts BIN serve on 127.0.0.1:PORT with the given settings (they override the defaults here) and
# waits for /health; the log goes to $work/server.log.
test_server_start() {
  local bin=$1 port=$2
  shift 2
  base=http://127.0.0.1:$port
  env KEYPORT_ADDR="127.0.0.1:$port" LEPTOS_OUTPUT_NAME=keyport RUST_LOG="${RUST_LOG:-warn}" "$@" \
    "$bin" serve >"$work/server.log" 2>&1 &
  server_pid=$!
  for _ in $(seq 1 100); do
    test_server_get "$base/health" >/dev/null 2>&1 && return 0
    kill -0 "$server_pid" 2>/dev/null || break
    sleep 0.2
  done
  cat "$work/server.log" >&2
  echo "$test_server_name: keyport did not start" >&2
  exit 1
}

# Fails when the server panicked or died during the run, printing why.
test_server_check() {
  local ok=0
  if grep -qiE 'panicked|stack overflow' "$work/server.log"; then
    echo "$test_server_name: the server panicked:" >&2
    grep -iE -A3 'panicked|stack overflow' "$work/server.log" >&2
    ok=1
  fi
  kill -0 "$server_pid" 2>/dev/null || { echo "$test_server_name: the server died during the run" >&2; ok=1; }
  return "$ok"
}
