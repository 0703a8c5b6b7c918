# Keyport: `make run` serves the portal with demo data; `make test` runs every test.
# Both install what is missing first (scripts/setup.sh), so they work on a fresh Debian machine.

SHELL := /bin/bash
export PATH := $(CURDIR)/tools/node_modules/.bin:$(HOME)/.cargo/bin:$(PATH)
export RUST_BACKTRACE := 0
export LEPTOS_SITE_ROOT := target/site
# Leptos reads the site's file names at compile time; cargo-leptos sets this for its own builds, and
# the same value here lets the debug server the Rust tests build serve the release WASM to Playwright.
export LEPTOS_OUTPUT_NAME := keyport
DATABASE_URL ?= sqlite://keyport.db
# The server the end-to-end, SDK and API fuzz suites start: the release build when run on their own;
# `make test` uses the debug build its Rust tests already made (optimising every dependency a second
# time was 8 of its minutes), serving the same release WASM.
KEYPORT_BIN ?= target/release/keyport
export KEYPORT_BIN
KEYPORT_ADDR ?= 127.0.0.1:3000

.PHONY: run build setup setup-test test fmt-check lint test-rust test-postgres e2e release csr clean

run: setup release
	DATABASE_URL=$(DATABASE_URL) KEYPORT_ADDR=$(KEYPORT_ADDR) target/release/keyport

setup:
	@scripts/setup.sh build

setup-test:
	@scripts/setup.sh test

# The release server and its WASM, built once and used by `run`, `bench` and the suites run on their own.
release:
	cargo leptos build --release --precompress --split

# The client-side-rendered portal (Trunk.toml) in dist/, for tests/csr.spec.ts and static hosting. Its
# WASM builds into target/wasm32-unknown-unknown/wasm-release, apart from cargo-leptos' target/front,
# so neither build undoes the other and a second run only re-runs wasm-bindgen and wasm-opt.
csr:
	@command -v trunk >/dev/null || { echo "trunk is missing: scripts/setup.sh test installs it" >&2; exit 1; }
	trunk build --release

# The same Trunk build unoptimised, for tests/csr.spec.ts in `make test`: it compiles in about half
# the time of the release build, whose size and speed no test checks (the release WASM that is
# measured is cargo-leptos', `make site`).
.PHONY: csr-dev
csr-dev:
	@command -v trunk >/dev/null || { echo "trunk is missing: scripts/setup.sh test installs it" >&2; exit 1; }
	$(CLIPPY) trunk build

# Each step in turn, timed: the table at the end (or at the first failure) says where the time went.
# The lint is part of the builds: clippy compiles the workspace's own crates of the Rust tests, the
# site's hydrate WASM and csr-dev (LINTED, below), so each build's dependencies are compiled once
# instead of once for clippy and again for the build (the server's pass alone was 270 of lint's
# 430 s; the hydrate check, 80 s).
TEST_STEPS := setup-test fmt-check test-databases site-and-clients csr-dev e2e
test:
	@start=$$SECONDS; times=""; \
	for step in $(TEST_STEPS); do \
	  t=$$SECONDS; \
	  $(MAKE) --no-print-directory $$step KEYPORT_BIN=target/debug/keyport LINTED=1 \
	    || { printf "make test: %s failed\n%b" "$$step" "$$times"; exit 1; }; \
	  times="$$times  $$step: $$((SECONDS - t)) s\n"; \
	done; \
	printf "make test: all passed in %d s\n%b" $$((SECONDS - start)) "$$times"

# The site alone (the split release WASM, CSS and assets in target/site), for a server built apart.
.PHONY: site
site:
	$(CLIPPY) cargo leptos build --release --precompress --split --frontend-only

fmt-check:
	cargo fmt --all -- --check

# The three builds (server, hydrate, CSR), checked by clippy alone.
lint: lint-hydrate
	cargo clippy -p licensing -p app -p server -p bench --all-targets --features app/ssr,licensing/server -- -D warnings
	cargo clippy -p frontend -p app --target wasm32-unknown-unknown --no-default-features --features csr -- -D warnings

.PHONY: lint-hydrate
lint-hydrate:
	cargo clippy -p frontend -p app --target wasm32-unknown-unknown --features app/hydrate -- -D warnings

# With LINTED=1 (as `make test` runs them), test-rust, test-postgres, site and csr-dev compile the
# workspace's crates with clippy's driver and `-D warnings`, as `cargo clippy` does, and generate
# their code too (the same code rustc generates: the driver is rustc with clippy's lints added);
# dependencies are compiled by rustc as always. test-postgres sets the same, so it reuses
# test-rust's build.
ifdef LINTED
CLIPPY := RUSTC_WORKSPACE_WRAPPER=clippy-driver CLIPPY_ARGS=-D__CLIPPY_HACKERY__warnings__CLIPPY_HACKERY__
endif

RUST_TESTS := --workspace --exclude frontend --features app/ssr,licensing/server

test-rust:
	$(CLIPPY) cargo test $(RUST_TESTS)

# The same conformance and device API suites against PostgreSQL, in a database of their own (never
# one a developer's ad-hoc test run may have migrated to another schema version). Selected from the
# same packages and features as test-rust, so the test binaries it built are reused, not rebuilt.
test-postgres:
	KEYPORT_TEST_DATABASE_URL=$$(scripts/postgres.sh keyport_make_test) $(CLIPPY) \
	  cargo test $(RUST_TESTS) --test conformance --test api --test authz --test admin_cli --test offline --test security --test faults --test memory --test hostile --test flash --test licensespring --test licensespring_console --test mail --test schema --test manage --test webhooks --test import --test import_console

# test-rust and test-postgres from one build, side by side, as `make test` runs them: a suite
# spends most of its time waiting on the processes it starts (servers, SMTP, retries, kill -9), so
# the two overlap on 2 cores (about 160 s together against 225 s one after the other). Each one's
# output is printed whole when both have ended.
.PHONY: test-databases
test-databases:
	$(CLIPPY) cargo test $(RUST_TESTS) --no-run
	scripts/side-by-side.sh "$(MAKE) --no-print-directory test-rust" "$(MAKE) --no-print-directory test-postgres"

e2e:
	cd end2end && npx playwright test

# The device API fuzzed from its OpenAPI document by schemathesis against the release binary: no 5xx,
# every answer as documented (about 15 s; FUZZ_API_EXAMPLES cases per operation, default 100).
.PHONY: fuzz-api
fuzz-api:
	scripts/fuzz-api.sh $(KEYPORT_BIN)

# LicenseSpring's own Python SDK (tools/requirements-sdk.txt) against /api/v4 of the release binary: key
# and user activation, check, deactivation on the portal's Devices tab, the device limit, refused keys
# and tampered signatures (tests/licensespring_sdk). On SQLite, then on Postgres in a database of its own
# (postgres.sh runs on its own first: its failure must stop the target, not fall back to SQLite).
.PHONY: test-sdk
test-sdk:
	scripts/test-sdk.sh $(KEYPORT_BIN)
	url=$$(scripts/postgres.sh keyport_sdk_test) && KEYPORT_TEST_DATABASE_URL=$$url scripts/test-sdk.sh $(KEYPORT_BIN)

# fuzz-api and test-sdk side by side, as `make test` runs them: each is a Python process driving a
# server that mostly waits for it, so the two share the 2 cores (58 s against 90 s one after
# the other). Each one's output is printed whole when both have ended.
.PHONY: test-clients
test-clients:
	scripts/side-by-side.sh "$(MAKE) --no-print-directory fuzz-api" "$(MAKE) --no-print-directory test-sdk"

# The site's WASM and test-clients side by side, as `make test` runs them: the release WASM build
# uses both cores at first and one at its end (LTO, wasm-bindgen, wasm-opt), and the clients
# need only the debug server, not the site (159 s together against about 210 s in turn).
.PHONY: site-and-clients
site-and-clients:
	scripts/side-by-side.sh "$(MAKE) --no-print-directory site" "$(MAKE) --no-print-directory test-clients"

# The request parsers under libFuzzer (fuzz/: device API JSON bodies, offline activation request
# files, Accept-Language), for FUZZ_SECONDS each (default 60). `make test` does not build this
# (every dependency instrumented: 20+ minutes the first time on 2 cores, cached in
# ~/.cache/keyport/fuzz-target); it replays fuzz/seeds/ and their mutations as a plain test
# (server/tests/parsers.rs). Add an input libFuzzer found to fuzz/seeds/ to keep it.
.PHONY: fuzz fuzz-parsers
fuzz-parsers:
	scripts/fuzz-parsers.sh 10
fuzz:
	scripts/fuzz-parsers.sh $(or $(FUZZ_SECONDS),60)

clean:
	cargo clean
	rm -f keyport.db keyport.db-shm keyport.db-wal

# Load figures for the device API on SQLite and Postgres next to a bare axum endpoint; prints a
# table, asserts nothing (docs/bench.md). Extra flags: make bench BENCH_ARGS="--duration 5".
.PHONY: bench
bench: setup release
	cargo build --release -p bench
	scripts/bench.sh $(BENCH_ARGS)
