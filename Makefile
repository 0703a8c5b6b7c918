# Keyport: `make run` serves the portal with demo data; `make test` runs every test.
# Both install what is missing first (scripts/setup.sh), so they work on a fresh Debian machine.

SHELL := /bin/bash
export PATH := $(CURDIR)/tools/node_modules/.bin:$(HOME)/.cargo/bin:$(PATH)
export RUST_BACKTRACE := 0
export LEPTOS_SITE_ROOT := target/site
DATABASE_URL ?= sqlite://keyport.db
KEYPORT_ADDR ?= 127.0.0.1:3000

.PHONY: run build setup setup-test test fmt-check lint test-rust test-postgres e2e release clean

run: setup release
	DATABASE_URL=$(DATABASE_URL) KEYPORT_ADDR=$(KEYPORT_ADDR) target/release/keyport

setup:
	@scripts/setup.sh build

setup-test:
	@scripts/setup.sh test

# The release server and its WASM, built once and used by `run` and the end-to-end tests.
release:
	cargo leptos build --release

test: setup-test fmt-check lint test-rust test-postgres release e2e
	@echo "make test: all passed"

fmt-check:
	cargo fmt --all -- --check

lint:
	cargo clippy -p licensing -p app -p server -p bench --all-targets --features app/ssr,licensing/server -- -D warnings
	cargo clippy -p frontend -p app --target wasm32-unknown-unknown --features app/hydrate -- -D warnings

test-rust:
	cargo test --workspace --exclude frontend --features app/ssr,licensing/server

# The same conformance and device API suites against PostgreSQL, in a database of their own (never
# one a developer's ad-hoc test run may have migrated to another schema version).
test-postgres:
	KEYPORT_TEST_DATABASE_URL=$$(scripts/postgres.sh keyport_make_test) \
	  cargo test -p licensing -p server --features licensing/server --test conformance --test api --test authz --test admin_cli --test offline

e2e:
	cd end2end && npx playwright test

clean:
	cargo clean
	rm -f keyport.db keyport.db-shm keyport.db-wal

# Load figures for the device API on SQLite and Postgres next to a bare axum endpoint; prints a
# table, asserts nothing (docs/bench.md). Extra flags: make bench BENCH_ARGS="--duration 5".
.PHONY: bench
bench: setup release
	cargo build --release -p bench
	scripts/bench.sh $(BENCH_ARGS)
