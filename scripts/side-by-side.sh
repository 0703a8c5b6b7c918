#!/usr/bin/env bash
# Runs each argument as a shell command, all at once, each one's output kept in a file of its own;
# when all have ended, prints each output whole (never interleaved) and fails if any failed.
# Usage: scripts/side-by-side.sh "make test-rust" "make test-postgres"
set -uo pipefail
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
pids=()
n=0
for command in "$@"; do
  bash -c "$command" > "$dir/$n" 2>&1 &
  pids+=($!)
  n=$((n + 1))
done
failed=()
n=0
for command in "$@"; do
  if ! wait "${pids[$n]}"; then failed+=("$command"); fi
  n=$((n + 1))
done
n=0
for command in "$@"; do
  printf '\n==== %s ====\n' "$command"
  cat "$dir/$n"
  n=$((n + 1))
done
if [ ${#failed[@]} -gt 0 ]; then
  printf '\nside-by-side: failed: %s\n' "${failed[@]}"
  exit 1
fi
