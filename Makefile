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
	cargo clippy -p licensing -p app -p server --all-targets --features app/ssr,licensing/server -- -D warnings
	cargo clippy -p frontend -p app --target wasm32-unknown-unknown --features app/hydrate -- -D warnings

test-rust:
	cargo test --workspace --exclude frontend --features app/ssr,licensing/server

# The same conformance suite against PostgreSQL.
test-postgres:
	KEYPORT_TEST_DATABASE_URL=$$(scripts/postgres.sh) cargo test -p licensing --features server --test conformance

e2e:
	cd end2end && npx playwright test

clean:
	cargo clean
	rm -f keyport.db keyport.db-shm keyport.db-wal
