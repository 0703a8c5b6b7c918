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

# The committed seeds (fuzz/seeds/, replayed by `make test` too) start each corpus, so libFuzzer
# mutates real requests rather than finding the JSON grammar from nothing. Corpora stay out of git.
for target in $targets; do
  mkdir -p "corpus/$target"
  cp -n "seeds/$target"/* "corpus/$target/" 2>/dev/null || true
done

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
