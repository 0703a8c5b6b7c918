"""LicenseSpring's own Python SDK (licensespring 4.0.0) against Keyport's /api/v4: what an app built on
it does (activate by key or by user, check, re-activate, deactivate, product details), the refusals it
must see (device limit, wrong shared key, unknown key), and the response signatures it must enforce.
Every call goes through the SDK; only the tampering proxy touches HTTP itself. Run by scripts/test-sdk.sh.
"""

from __future__ import annotations

import base64
import http.client
import json
import http.server
import os
import subprocess
import threading
from pathlib import Path
from contextlib import contextmanager
from urllib.parse import urlsplit

import pytest
from licensespring.api import APIClient
from licensespring.api.error import ClientError
from licensespring.licensefile.error import LicenseStateException
from licensespring.licensefile.license_manager import LicenseID

from conftest import BASE, BIN, DEMO_PASSWORD, USER, admin, make_world, verifier

DEMO_DEVICES = 4  # licensing::demo seeds four active devices on the demo license
DEMO_LIMIT = 10


def key_of(world) -> LicenseID:
    return LicenseID.from_key(world.license_key)


def names(rows) -> list[str]:
    return [row["Device"] for row in rows]


# ---------------------------------------------------------------------------------------------
# Online, and activation by license key
# ---------------------------------------------------------------------------------------------


def test_is_online(world):
    # A plain GET of http://HOST:PORT (no /api/v4): the SDK wants a 200.
    assert world.manager("laptop").is_online() is True


def test_key_activation_then_check_on_the_same_license(world, portal):
    lic = world.manager("laptop").activate_license(key_of(world))

    # What the SDK kept from the signed activation response.
    assert lic.key() == world.license_key
    assert lic.license_active() and lic.license_enabled() and not lic.is_expired()
    assert lic.max_activations() == DEMO_LIMIT
    assert lic.license_type() in {"perpetual", "time-limited", "subscription"}
    assert lic.validity_period() is not None  # every Keyport license has an end date
    lic.local_check()  # offline: product, hardware id, validity all match

    response = lic.check()
    assert response["license_key"] == world.license_key
    assert response["times_activated"] == DEMO_DEVICES + 1
    assert response["product_details"]["short_code"] == world.product

    # The same license Keyport's own API and portal show: one more device, by license key.
    assert world.license_row()["devices_active"] == DEMO_DEVICES + 1
    (row,) = [r for r in portal.devices() if r["Device"] == "laptop"]
    assert row["Activated by"] == "License key"
    assert any(r["What"] == "Device activated" and r["Device or user"] == "laptop" for r in portal.activity())


def test_the_getters_an_app_reads_have_their_fields(world):
    # A getter whose field never came in the response raises AttributeError in the app.
    lic = world.manager("laptop").activate_license(key_of(world))
    assert lic.is_valid() and not lic.is_floating() and not lic.is_trial()
    assert lic.customer_information()["company_name"] == "Acme Corp"
    # Deactivations are LicenseSpring's transfers: the demo license allows 3, none used.
    assert (lic.transfer_count(), lic.max_transfers()) == (0, 3)
    assert lic.is_device_transfer_allowed() and lic.is_device_transfer_limited()
    assert 363 <= lic.days_remaining() <= 365  # the demo license runs for a year
    assert lic.start_date() < lic.validity_period()
    assert lic.metadata() == {} and lic.features() == [] and lic.custom_fields() == []
    assert lic.get_product_details()["short_code"] == world.product
    assert lic.id() is not None


def test_the_license_file_reloads_and_checks_from_a_new_process(world):
    world.manager("laptop").activate_license(key_of(world))
    # The app restarting: a new manager reads the encrypted license file the activation wrote.
    lic = world.manager("laptop").load_license()
    assert lic.key() == world.license_key
    lic.local_check()
    assert lic.check()["times_activated"] == DEMO_DEVICES + 1


def test_reactivating_an_active_device_takes_no_new_device(world, portal):
    first = world.manager("laptop").activate_license(key_of(world)).check()["times_activated"]
    # The app's license file lost, the same machine activates again.
    again = world.manager("laptop", file_path=str(world.files / "laptop-again")).activate_license(key_of(world))
    assert again.check()["times_activated"] == first == DEMO_DEVICES + 1
    assert world.license_row()["devices_active"] == DEMO_DEVICES + 1
    assert names(portal.devices()).count("laptop") == 1


def test_unknown_license_key_is_refused(world):
    with pytest.raises(ClientError) as refused:
        world.manager("laptop").activate_license(LicenseID.from_key("KP-0000-NOT-A-KEY"))
    assert refused.value.code == "license_not_found", repr(refused.value)
    assert refused.value.status == 400
    assert world.license_row()["devices_active"] == DEMO_DEVICES


def test_product_details(world):
    details = world.manager("laptop").get_product_details()
    assert details["short_code"] == world.product
    # Also through an activated license, which keeps them in its file.
    lic = world.manager("laptop").activate_license(key_of(world))
    assert lic.product_details()["short_code"] == world.product
    assert lic.get_product_details()["short_code"] == world.product


# ---------------------------------------------------------------------------------------------
# Activation by user (email and password of a portal account)
# ---------------------------------------------------------------------------------------------


def test_user_activation_check_and_deactivation(world, portal):
    lic = world.manager("uma-pc").activate_license(LicenseID.from_user(USER, DEMO_PASSWORD))
    assert lic.license_user()["email"] == USER
    assert lic.license_active()
    lic.local_check()
    # check and deactivate send the returned user.email as `username`.
    assert lic.check()["times_activated"] == DEMO_DEVICES + 1

    (row,) = [r for r in portal.devices() if r["Device"] == "uma-pc"]
    assert row["Activated by"] == "Uma User"

    lic.deactivate()
    assert not lic.license_active()
    assert "uma-pc" not in names(portal.devices())
    (event,) = [r for r in portal.activity() if r["What"] == "Device deactivated by the app"]
    assert event["Device or user"] == "uma-pc"
    assert event["Who"] == "Uma User"


def test_wrong_password_and_an_account_without_the_license_are_refused(world):
    with pytest.raises(ClientError) as refused:
        world.manager("uma-pc").activate_license(LicenseID.from_user(USER, "not-the-password"))
    assert (refused.value.status, refused.value.code) == (401, "unauthorized"), repr(refused.value)
    # The vendor admin logs in fine but holds no license of the product.
    with pytest.raises(ClientError) as refused:
        world.manager("vera-pc").activate_license(LicenseID.from_user(world.vendor_admin, DEMO_PASSWORD))
    assert (refused.value.status, refused.value.code) == (400, "license_not_found"), repr(refused.value)
    assert world.license_row()["devices_active"] == DEMO_DEVICES


# ---------------------------------------------------------------------------------------------
# Offline activation: request file in, license file out (Offline Organisation licenses)
# ---------------------------------------------------------------------------------------------


def sell_offline_license(world) -> tuple[str, str, str]:
    """An Offline Organisation license of a product of its own, sold to a new customer of the
    tenant: its key, its product's short code and its id."""
    vendor = ("--company", world.company, "--as", world.vendor_admin)
    customer = admin("customer", "create", *vendor, "--name", "Lab Corp").strip()
    out = admin(
        "license", "create", *vendor, "--customer", customer, "--product", "CodeGlass Offline",
        "--type", "offline_organisation", "--owner-email", "lab@lab.example", "--owner-name", "Lab Owner",
    )
    (license_id,) = [line.split()[1] for line in out.splitlines() if line.startswith("license ") and "key" not in line]
    (key,) = [line.rsplit(" ", 1)[1] for line in out.splitlines() if line.startswith("license key")]
    return key, "codeglass-offline", license_id


def offline_devices(world, license_id: str) -> int:
    rows = json.loads(admin("license", "list", "--company", world.company, "--as", world.vendor_admin, "--json"))
    (row,) = [r for r in rows if r["id"] == license_id]
    return row["devices_active"]


def test_offline_activation_and_deactivation_with_request_files(world, tmp_path):
    key, product, license_id = sell_offline_license(world)
    lab = world.manager("lab-pc", product=product)
    request_path = lab.create_offline_activation_file(LicenseID.from_key(key), str(tmp_path / "req"))
    with open(request_path) as f:
        request = f.read()
    # The request file reaches Keyport from a machine that has a connection; the answer is the
    # license file, whose signature the SDK checks on receipt.
    answer = lab.api_client.send_request(
        method="post", endpoint="/activate_offline", custom_headers={"Content-type": "text/plain"}, data=request
    )
    assert answer.status_code == 200, answer.text
    lic_file = base64.b64encode(answer.content).decode()
    assert lab.api_client.activate_offline_load(lic_file)["license_key"] == key
    tampered = base64.b64encode(answer.content.replace(b'"max_activations":10', b'"max_activations":99')).decode()
    with pytest.raises(ValueError):
        lab.api_client.activate_offline_load(tampered)
    assert offline_devices(world, license_id) == 1

    # On the offline machine: the .lic file activates the app (its guard matches the request).
    lic_path = tmp_path / "ls_activation.lic"
    lic_path.write_text(lic_file)
    lic = lab.activate_license_offline(str(lic_path))
    assert lic.license_active() and not lic.is_expired()
    lic.local_check()
    assert lic.max_activations() == 10

    # Giving the slot back offline: the SDK writes a deactivation file, Keyport reads it.
    back_path = lic.deactivate_offline(str(tmp_path / "back"))
    with open(back_path) as f:
        lab.api_client.deactivate_offline(f.read())
    assert offline_devices(world, license_id) == 0


def test_an_online_license_cannot_be_activated_offline(world, tmp_path):
    lab = world.manager("lab-pc")
    request_path = lab.create_offline_activation_file(key_of(world), str(tmp_path / "req"))
    with open(request_path) as f:
        with pytest.raises(ClientError) as refused:
            lab.api_client.activate_offline(f.read())
    assert (refused.value.status, refused.value.code) == (400, "offline_activation_not_allowed"), repr(refused.value)
    assert world.license_row()["devices_active"] == DEMO_DEVICES


# ---------------------------------------------------------------------------------------------
# Deactivation and the device limit
# ---------------------------------------------------------------------------------------------


def test_deactivation_frees_the_device(world, portal):
    lic = world.manager("laptop").activate_license(key_of(world))
    # A second copy of the app on the same machine (its own license file), activated too: the same device.
    copy = world.manager("laptop", file_path=str(world.files / "laptop-copy")).activate_license(key_of(world))
    assert names(portal.devices()).count("laptop") == 1

    lic.deactivate()
    assert not lic.license_active()
    assert world.license_row()["devices_active"] == DEMO_DEVICES
    assert world.license_row()["deactivations_used"] == 1
    assert "laptop" not in names(portal.devices())
    (event,) = [r for r in portal.activity() if r["What"] == "Device deactivated by the app"]
    assert event["Device or user"] == "laptop"
    # The next machine's app sees the deactivation spent as a transfer.
    assert world.manager("desktop").activate_license(key_of(world)).transfer_count() == 1

    # The server no longer knows the device: the copy that still thinks it is active is refused.
    with pytest.raises(ClientError) as refused:
        copy.check()
    assert refused.value.code == "device_not_found", repr(refused.value)
    assert refused.value.status == 400
    # The deactivated app itself: the SDK's local state wins over the server's refusal, which it
    # still received (the exception's context).
    with pytest.raises(LicenseStateException) as inactive:
        lic.check()
    assert isinstance(inactive.value.__context__, ClientError)
    assert inactive.value.__context__.code == "device_not_found"


def test_deactivations_past_the_licenses_budget_are_refused(world, portal):
    # The demo license allows 3 deactivations (LicenseSpring's transfers); the 4th is refused
    # and the device stays active, as the portal's Reset would be refused.
    licenses = [world.manager(f"pc-{n}").activate_license(key_of(world)) for n in range(4)]
    for lic in licenses[:3]:
        lic.deactivate()
    with pytest.raises(ClientError) as refused:
        licenses[3].deactivate()
    assert (refused.value.status, refused.value.code) == (400, "deactivation_limit_reached"), repr(refused.value)
    assert licenses[3].license_active()
    assert licenses[3].check()["transfer_count"] == 3
    assert world.license_row()["deactivations_used"] == 3
    assert names(portal.devices()).count("pc-3") == 1


def test_device_limit_then_a_deactivation_makes_room(world, portal):
    licenses = [
        world.manager(f"pc-{n}").activate_license(key_of(world)) for n in range(DEMO_LIMIT - DEMO_DEVICES)
    ]
    assert licenses[-1].check()["times_activated"] == DEMO_LIMIT

    with pytest.raises(ClientError) as refused:
        world.manager("one-too-many").activate_license(key_of(world))
    assert refused.value.code == "license_activated_max_times", repr(refused.value)
    assert refused.value.status == 400
    assert world.license_row()["devices_active"] == DEMO_LIMIT
    assert "one-too-many" not in names(portal.devices())

    licenses[0].deactivate()
    lic = world.manager("one-too-many").activate_license(key_of(world))
    assert lic.check()["times_activated"] == DEMO_LIMIT
    assert "one-too-many" in names(portal.devices()) and "pc-0" not in names(portal.devices())


# ---------------------------------------------------------------------------------------------
# Authentication and response signatures
# ---------------------------------------------------------------------------------------------


def test_wrong_shared_key_is_refused_by_the_server(world):
    other = world.shared_key[::-1] if world.shared_key[::-1] != world.shared_key else "0" * 64
    with pytest.raises(ClientError) as refused:
        world.manager("laptop", shared_key=other).activate_license(key_of(world))
    assert refused.value.code == "signature_mismatch", repr(refused.value)
    assert refused.value.status == 401
    assert world.license_row()["devices_active"] == DEMO_DEVICES


def test_unknown_api_key_is_refused_by_the_server(world):
    with pytest.raises(ClientError) as refused:
        world.manager("laptop", api_key="00000000-0000-4000-8000-000000000000").activate_license(key_of(world))
    assert refused.value.code == "invalid_api_key", repr(refused.value)


def test_a_response_signed_by_another_key_is_refused_by_the_sdk(world, tmp_path):
    # The app ships another tenant's public key: nothing this tenant's server signs verifies.
    # pycryptodome says "Invalid signature", or "Plaintext too large" when the signature, read as a
    # number, exceeds the other key's modulus; both are its verification refusing.
    other = make_world(tmp_path / "other")
    assert other.public_key_pem != world.public_key_pem
    app = world.manager("laptop", signature_verifier=verifier(other.public_key_pem))
    refusal = "Invalid signature|Plaintext too large"
    with pytest.raises(ValueError, match=refusal):
        app.activate_license(key_of(world))
    assert not (world.files / "laptop" / "License.key").exists()
    with pytest.raises(ValueError, match=refusal):
        app.get_product_details()
    # The same calls with the tenant's own key go through.
    assert world.manager("laptop").get_product_details()["short_code"] == world.product


class _Proxy(http.server.BaseHTTPRequestHandler):
    """Forwards to Keyport and lets `server.tamper(path, body)` rewrite response bodies."""

    protocol_version = "HTTP/1.1"

    def _forward(self):
        target = urlsplit(BASE)
        length = int(self.headers.get("content-length") or 0)
        body = self.rfile.read(length) if length else None
        # No Accept-Encoding: the body comes back as the bytes that were signed.
        headers = {k: v for k, v in self.headers.items() if k.lower() not in {"host", "accept-encoding", "connection"}}
        upstream = http.client.HTTPConnection(target.hostname, target.port, timeout=30)
        upstream.request(self.command, self.path, body=body, headers=headers)
        response = upstream.getresponse()
        data = self.server.tamper(self.path, response.read())
        self.send_response(response.status)
        for name, value in response.getheaders():
            if name.lower() not in {"content-length", "transfer-encoding", "connection"}:
                self.send_header(name, value)
        self.send_header("content-length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)
        upstream.close()

    do_GET = do_POST = _forward

    def log_message(self, *args):
        pass


@contextmanager
def proxy(tamper):
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Proxy)
    server.tamper = tamper
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def raise_the_limit(path: str, body: bytes) -> bytes:
    """What a cracker's proxy would do: the activation answer with 99 devices instead of 10."""
    if "/activate_license" not in path and "/check_license" not in path:
        return body
    field = b'"max_activations":'
    at = body.find(field)
    assert at >= 0, body
    at += len(field)
    while body[at : at + 1] == b" ":
        at += 1
    assert body[at : at + 2] == b"10", body  # the demo license's limit
    return body[:at] + b"99" + body[at + 2 :]


def test_a_tampered_response_is_refused_by_the_sdk(world):
    # Through the proxy untouched, activation works: what fails below is the edited byte, not the proxy.
    with proxy(lambda path, body: body) as domain:
        lic = world.manager("laptop", api_domain=domain).activate_license(key_of(world))
        assert lic.max_activations() == DEMO_LIMIT
    with proxy(raise_the_limit) as domain:
        app = world.manager("desktop", api_domain=domain)
        with pytest.raises(ValueError, match="Invalid signature"):
            app.activate_license(key_of(world))
        # Nothing was saved: the app holds no license it could run on.
        assert not (world.files / "desktop" / "License.key").exists()
        with pytest.raises(ValueError, match="Invalid signature"):
            world.manager("laptop", api_domain=domain).load_license().check()


# ---------------------------------------------------------------------------------------------
# Moving in: a LicenseSpring export imported (keyport import licensespring), then the same apps
# ---------------------------------------------------------------------------------------------

IMPORT = Path(__file__).resolve().parents[2] / "server" / "tests" / "fixtures" / "licensespring"
NORTHWIND_KEY, NORTHWIND_ID = "H62K-C35N-BS2J-VZ13", 1702983098133459
CLOUD_KEY = "Q7RT-M2KX-8WZP-4LNA"


def imported_world(tmp_path):
    """A tenant with server/tests/fixtures/licensespring imported: the export's bad rows are refused
    (the command exits 1 for them) and the rest is in."""
    w = make_world(tmp_path)
    files = [f"--{name}={IMPORT / file}" for name, file in
             [("licenses", "licenses.csv"), ("users", "users.jsonl"), ("devices", "devices.jsonl")]]
    done = subprocess.run([BIN, "import", "licensespring", "--company", w.company, *files],
                          capture_output=True, text=True, timeout=120, env=os.environ.copy())
    assert done.returncode == 1 and "Licenses: 5 created" in done.stdout, done.stdout + done.stderr
    return w


def api_client(w) -> APIClient:
    return APIClient(api_key=w.api_key, shared_key=w.shared_key, api_protocol="http",
                     api_domain=BASE.removeprefix("http://"), signature_verifier=verifier(w.public_key_pem))


def test_imported_machines_check_without_activating_and_an_imported_key_activates(tmp_path):
    # License keys are unique on a server: the fixture is imported once per database, so one test.
    w = imported_world(tmp_path)
    client = api_client(w)
    # The app on a machine LicenseSpring had activated: its cached key and license id, no new activation.
    checked = client.check_license(product="cgdesk", hardware_id="NW-PC-01", license_key=NORTHWIND_KEY,
                                   license_id=NORTHWIND_ID)
    assert checked["id"] == NORTHWIND_ID  # the license_id the app cached still matches
    assert checked["license_key"] == NORTHWIND_KEY
    assert checked["times_activated"] == 3 and checked["max_activations"] == 3
    # The three imported machines fill the limit: a fourth is refused as LicenseSpring refuses it.
    with pytest.raises(ClientError) as refused:
        client.activate_license(product="cgdesk", hardware_id="NW-NEW-1", license_key=NORTHWIND_KEY)
    assert refused.value.code == "license_activated_max_times", repr(refused.value)

    # Another imported key activates a new machine through the SDK's license manager.
    lic = w.manager("new-laptop", product="cgcloud").activate_license(LicenseID.from_key(CLOUD_KEY))
    assert lic.key() == CLOUD_KEY
    # One machine came with the import (NW-PC-01), the new one is the second of two.
    assert lic.check()["times_activated"] == 2
    lic.local_check()
