#!/usr/bin/env bash
# Installs what building, serving and testing Keyport needs on a fresh Debian machine; skips what is already there.
# Usage: scripts/setup.sh [build|test]   (build: Rust tools only; test: also Chromium, Postgres, npm packages)
set -euo pipefail
cd "$(dirname "$0")/.."

want=${1:-build}
CARGO_LEPTOS_VERSION=0.3.10
TRUNK_VERSION=0.21.14
# wasm-bindgen-cli must equal the wasm-bindgen crate in Cargo.lock exactly.
WASM_BINDGEN_VERSION=$(awk '/^name = "wasm-bindgen"$/{getline; gsub(/version = |"/,""); print; exit}' Cargo.lock 2>/dev/null || true)
WASM_BINDGEN_VERSION=${WASM_BINDGEN_VERSION:-0.2.130}

say() { printf '\033[1m[setup]\033[0m %s\n' "$*"; }

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

if ! wasm-bindgen --version 2>/dev/null | grep -q " $WASM_BINDGEN_VERSION\$"; then
  say "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION (about 8 minutes on 2 cores)"
  # Not --locked: one of its locked dependencies is no longer on the registry.
  cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION" --force
fi

if ! cargo leptos --version 2>/dev/null | grep -q "$CARGO_LEPTOS_VERSION"; then
  say "installing cargo-leptos $CARGO_LEPTOS_VERSION (about 20 minutes on 2 cores)"
  # no_downloads: cargo-leptos must not fetch tools at build time; this script provides them.
  cargo install cargo-leptos@"$CARGO_LEPTOS_VERSION" --locked --features no_downloads
fi

# wasm-opt from npm's binaryen; Debian's (108) builds a WASM that never hydrates.
if [ ! -x tools/node_modules/.bin/wasm-opt ]; then
  say "installing wasm-opt (npm binaryen)"
  (cd tools && npm ci --no-audit --no-fund)
fi

apt_updated=
apt_install() {
  [ -n "$apt_updated" ] || { apt-get update -qq; apt_updated=1; }
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@"
}

if [ "$want" = test ]; then
  command -v chromium >/dev/null || { say "installing Chromium"; apt_install chromium; }
  ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1 || { say "installing PostgreSQL"; apt_install postgresql; }
  # Trunk builds the client-side-rendered portal (make csr); it finds wasm-bindgen and wasm-opt above.
  if ! trunk --version 2>/dev/null | grep -q " $TRUNK_VERSION\$"; then
    say "installing trunk $TRUNK_VERSION (about 6 minutes on 2 cores)"
    # 0.22 needs a newer Rust than this workspace's.
    cargo install trunk@"$TRUNK_VERSION" --locked
  fi
  if [ ! -d end2end/node_modules/@playwright/test ]; then
    say "installing Playwright (without its browser download)"
    (cd end2end && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund)
  fi
  # schemathesis for scripts/fuzz-api.sh, in a venv of its own: Debian's python3 refuses pip
  # installs outside one.
  SCHEMATHESIS_VERSION=$(sed -n 's/^schemathesis==//p' tools/requirements-fuzz.txt)
  if ! tools/venv/bin/st --version 2>/dev/null | grep -q " $SCHEMATHESIS_VERSION\$"; then
    say "installing schemathesis $SCHEMATHESIS_VERSION into tools/venv"
    python3 -c 'import ensurepip' 2>/dev/null || apt_install python3-venv
    python3 -m venv tools/venv
    tools/venv/bin/pip install -q -r tools/requirements-fuzz.txt
  fi
  # LicenseSpring's Python SDK and pytest for scripts/test-sdk.sh, in the same venv. The check also
  # imports the SDK's hardware module, which loads the native hardware-id library: a wheel that
  # installs but does not load on this machine is caught here, not halfway through the tests.
  if ! tools/venv/bin/python - tools/requirements-sdk.txt 2>/dev/null <<'PY'
import importlib.metadata, sys
for line in open(sys.argv[1]):
    if "==" in line and not line.startswith("#"):
        name, version = line.strip().split("==")
        if importlib.metadata.version(name) != version:
            sys.exit(1)
import licensespring.hardware  # noqa: F401  (loads the native library)
PY
  then
    say "installing the LicenseSpring SDK and pytest (tools/requirements-sdk.txt) into tools/venv"
    [ -x tools/venv/bin/python ] || { python3 -c 'import ensurepip' 2>/dev/null || apt_install python3-venv; python3 -m venv tools/venv; }
    tools/venv/bin/pip install -q -r tools/requirements-sdk.txt
    tools/venv/bin/python -c 'import licensespring.hardware' \
      || { echo "setup: the LicenseSpring SDK does not import (its native hardware-id library?)" >&2; exit 1; }
  fi
fi
say "tools ready"
