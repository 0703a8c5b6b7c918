#!/usr/bin/env bash
# Runs each cargo-fuzz target in fuzz/ (the request parsers) for a short time; fails on any crash.
# Usage: scripts/fuzz-parsers.sh [SECONDS]   (per target, default 20; FUZZ_TARGETS to pick some)
# Stable Rust: cargo-fuzz passes nightly-only -Z flags (sanitizer, coverage instrumentation), which
# RUSTC_BOOTSTRAP=1 allows on the one stable toolchain this project has; libFuzzer itself is built
# by libfuzzer-sys with the system C++ compiler. AddressSanitizer works with it; FUZZ_SANITIZER=none
# builds without, should a machine's toolchain lack the ASan runtime.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH=$HOME/.cargo/bin:$PATH
export RUSTC_BOOTSTRAP=1

seconds=${1:-20}
# Outside the checkout, like cargo's registry: every dependency is built instrumented (about 20
# minutes the first time on 2 cores), and a clean checkout (CI) should pay that once per machine,
# rebuilding only Keyport's own crates.
export CARGO_TARGET_DIR=${KEYPORT_FUZZ_TARGET_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/keyport/fuzz-target}
sanitizer=${FUZZ_SANITIZER:-address}
CARGO_FUZZ_VERSION=0.13.2

if ! cargo fuzz --version 2>/dev/null | grep -q " $CARGO_FUZZ_VERSION\$"; then
  echo "[fuzz] installing cargo-fuzz $CARGO_FUZZ_VERSION (about 2 minutes on 2 cores)"
  cargo install cargo-fuzz@"$CARGO_FUZZ_VERSION" --locked
fi
command -v c++ >/dev/null || { echo "fuzz-parsers: libFuzzer needs a C++ compiler (apt-get install g++)" >&2; exit 1; }

cd fuzz
targets=${FUZZ_TARGETS:-$(cargo fuzz list)}

# A valid input per target to start from, so libFuzzer mutates real requests rather than finding
# the JSON grammar from nothing in a few seconds. Corpora stay out of git (.gitignore).
seed() { mkdir -p "corpus/$1"; [ -e "corpus/$1/seed-$2" ] || printf '%s' "$3" >"corpus/$1/seed-$2"; }
seed device_api_json login '{"company":"CodeGlass","email":"user@acme.example","password":"keyport-demo","hardware_id":"a1b2c3","device_name":"Uma'"'"'s laptop","os":"Windows 11"}'
seed device_api_json key '{"license_key":"KP-0123ABCD","hardware_id":"a1","device_name":"<b>x</b>","os":null}'
seed offline_request request '{"format":"keyport-offline-request/1","license_key":"KP-0123ABCD","hardware_id":"a1b2c3","device_name":"Build agent","os":"Ubuntu 24.04"}'
seed accept_language header 'de-CH,de;q=0.9,fr;q=0.8,en-US;q=0.5,*;q=0.1'

status=0
for target in $targets; do
  echo "[fuzz] $target for ${seconds}s"
  # -rss_limit_mb: a parser that allocates without bound fails as a crash; -max_len: past the
  # largest body the server reads (16 KiB) nothing new is reached.
  if ! cargo fuzz run --release --sanitizer "$sanitizer" "$target" -- \
    -max_total_time="$seconds" -max_len=20000 -rss_limit_mb=2048 -print_final_stats=1; then
    echo "[fuzz] $target crashed; the input is in fuzz/artifacts/$target/" >&2
    status=1
  fi
done
exit "$status"
