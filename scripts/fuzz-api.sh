#!/usr/bin/env bash
# Fuzzes the device API, the LicenseSpring-compatible API and the management API from their own OpenAPI documents with schemathesis: no 5xx, and every answer as documented.
# Usage: scripts/fuzz-api.sh [BINARY]   (default target/release/keyport; FUZZ_API_EXAMPLES cases per operation, default 100)
# Starts the binary on a fresh SQLite database on port FUZZ_API_PORT (default 3150) with the demo tenants and
# throttle limits high enough that the fuzzer reaches the parsers and services instead of the 429 refusal.
set -euo pipefail
cd "$(dirname "$0")/.."

bin=${1:-target/release/keyport}
port=${FUZZ_API_PORT:-3150}
examples=${FUZZ_API_EXAMPLES:-100}
st=tools/venv/bin/st

[ -x "$bin" ] || { echo "fuzz-api: $bin is missing (make release builds it)" >&2; exit 1; }
[ -x "$st" ] || { echo "fuzz-api: $st is missing (scripts/setup.sh test installs it)" >&2; exit 1; }

. scripts/test-server.sh fuzz-api
test_server_start "$bin" "$port" DATABASE_URL="sqlite://$work/fuzz.db" KEYPORT_DEMO=true \
  KEYPORT_THROTTLE_ACCOUNT_FAILURES=1000000 KEYPORT_THROTTLE_ADDRESS_FAILURES=1000000

# A real device token, so the fuzzer also reaches the check-in and deactivation code behind the token
# check (it still sends requests without one and with broken ones).
token=$("$py" - "$base/api/v1/activations" <<'PY'
import json, sys, urllib.request
body = {"company": "CodeGlass", "email": "manager@acme.example", "password": "keyport-demo",
        "hardware_id": "fuzz-host", "device_name": "fuzz", "os": "Linux"}
request = urllib.request.Request(sys.argv[1], data=json.dumps(body).encode(),
                                 headers={"content-type": "application/json"})
print(json.load(urllib.request.urlopen(request, timeout=10))["device_token"])
PY
)
[ -n "$token" ] || { echo "fuzz-api: the demo activation failed" >&2; exit 1; }

status=0
# --seed: the same cases every run, so a failure in CI reproduces with the same command.
# One worker: schemathesis's threads trip over each other in Python 3.11's ast module ("AST
# constructor recursion depth mismatch"), and the run is short anyway.
"$st" --config-file tools/fuzz-api.toml run "$base/api/v1/openapi.json" \
  --url "$base/api/v1" \
  --checks all \
  --max-examples "$examples" \
  --seed "${FUZZ_API_SEED:-20261128}" \
  --workers 1 \
  --request-timeout 10 \
  --header "Authorization: Bearer $token" \
  --generation-database none \
  --no-color || status=$?

# The LicenseSpring-compatible API, signed by tools/fuzz_v4_hooks.py with the demo tenant's keys.
# Without `missing_required_header`: the contract answers a missing `Authorization` or `Date` with
# 400 `missing_headers` (what the SDK expects), where that check insists on 401;
# server/tests/licensespring.rs checks those refusals.
keys=$(DATABASE_URL="sqlite://$work/fuzz.db" "$bin" licensespring-keys --company CodeGlass --json)
read -r api_key shared_key < <("$py" -c 'import json, sys; k = json.load(sys.stdin); print(k["api_key"], k["shared_key"])' <<<"$keys")
KEYPORT_LS_API_KEY=$api_key KEYPORT_LS_SHARED_KEY=$shared_key PYTHONPATH=tools SCHEMATHESIS_HOOKS=fuzz_v4_hooks \
  "$st" --config-file tools/fuzz-api.toml run "$base/api/v4/openapi.json" \
  --url "$base/api/v4" \
  --checks all \
  --exclude-checks missing_required_header \
  --max-examples "$examples" \
  --seed "${FUZZ_API_SEED:-20261128}" \
  --workers 1 \
  --request-timeout 10 \
  --generation-database none \
  --no-color || status=$?

# The management API with a key of the demo tenant (its orders create customers and licenses: the
# database is this run's own).
manage_key=$(DATABASE_URL="sqlite://$work/fuzz.db" "$bin" api-key create --company CodeGlass \
  --as admin@codeglass.example --name fuzz | sed -n 's/^key (shown once): //p')
[ -n "$manage_key" ] || { echo "fuzz-api: making a management key failed" >&2; exit 1; }
"$st" --config-file tools/fuzz-api.toml run "$base/api/v1/manage/openapi.json" \
  --url "$base/api/v1/manage" \
  --checks all \
  --max-examples "$examples" \
  --seed "${FUZZ_API_SEED:-20261128}" \
  --workers 1 \
  --request-timeout 10 \
  --header "Authorization: Bearer $manage_key" \
  --generation-database none \
  --no-color || status=$?

test_server_check || status=1
exit "$status"
