"""Fixtures for driving LicenseSpring's own Python SDK against a running Keyport (scripts/test-sdk.sh).

The runner starts `keyport serve` and hands over, in the environment:
  KEYPORT_BIN       the keyport binary, for the admin commands that create each test's tenant
  DATABASE_URL      the database that server uses (SQLite file or Postgres)
  KEYPORT_SDK_BASE  the server's base URL, http://127.0.0.1:PORT
  KEYPORT_SDK_RUN   a random tag, so company IDs never repeat across runs on a shared Postgres

Every test gets a tenant of its own (`keyport demo-tenant`): the demo license (10 devices, 4 of them
active, 3 deactivations) and its key, so no test depends on what another one activated.
"""

from __future__ import annotations

import html.parser
import itertools
import json
import os
import subprocess
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import requests
from licensespring.api.signature import SignatureVerifier
from licensespring.hardware import HardwareIdProvider
from licensespring.licensefile.config import Configuration
from licensespring.licensefile.license_manager import LicenseManager

DEMO_PASSWORD = "keyport-demo"
MANAGER = "manager@acme.example"
USER = "user@acme.example"

BIN = os.environ["KEYPORT_BIN"]
BASE = os.environ["KEYPORT_SDK_BASE"].rstrip("/")
RUN = os.environ.get("KEYPORT_SDK_RUN") or uuid.uuid4().hex[:8]
_companies = itertools.count(1)


def admin(*args: str) -> str:
    """Runs a `keyport` admin command on the server's database; returns its standard output."""
    done = subprocess.run(
        [BIN, *args], capture_output=True, text=True, timeout=60, env=os.environ.copy()
    )
    assert done.returncode == 0, f"keyport {' '.join(args)} failed:\n{done.stderr}"
    return done.stdout


@dataclass
class World:
    """One tenant made by `keyport demo-tenant`, with what an app and the portal need of it."""

    company: str
    product: str
    license_key: str
    license_id: str
    api_key: str
    shared_key: str
    public_key_pem: str
    files: Path
    devices: dict = field(default_factory=dict)

    def config(self, device: str, **overrides) -> Configuration:
        """The SDK's configuration for the app on one simulated machine: its own hardware id, host name
        and license-file directory, Keyport's address and keys."""
        settings = dict(
            product=self.product,
            api_key=self.api_key,
            shared_key=self.shared_key,
            api_protocol="http",
            api_domain=BASE.removeprefix("http://"),
            signature_verifier=verifier(self.public_key_pem),
            hardware_id_provider=self.device(device),
            file_path=str(self.files / device),
        )
        settings.update(overrides)
        return Configuration(**settings)

    def manager(self, device: str, **overrides) -> LicenseManager:
        return LicenseManager(self.config(device, **overrides))

    def device(self, name: str) -> type:
        """A hardware-id provider class for the machine `name` (its host name; the Devices tab shows
        it). The SDK takes a class, and also calls `get_id` unbound, so nothing reads `self`."""
        if name not in self.devices:
            hardware_id = uuid.uuid4().hex * 2  # 64 hex digits, as the native library makes

            class Device(HardwareIdProvider):
                def get_id(self=None):
                    return hardware_id

                def get_hostname(self=None):
                    return name

                # The base class resolves the host name; these machines exist only here.
                def get_ip(self=None):
                    return "127.0.0.1"

                def get_os_ver(self=None):
                    return "Linux-pytest"

            Device.hardware_id = hardware_id
            self.devices[name] = Device
        return self.devices[name]

    def license_row(self) -> dict:
        """The license as `keyport license list` reports it (devices_active, deactivations_used...)."""
        rows = json.loads(
            admin("license", "list", "--company", self.company, "--as", self.vendor_admin, "--json")
        )
        (row,) = [r for r in rows if r["id"] == self.license_id]
        return row

    @property
    def vendor_admin(self) -> str:
        # licensing::demo::admin_email: the vendor's name (here the company ID) as a host name.
        return f"admin@{''.join(c for c in self.company.lower() if c.isalnum() or c == '-')}.example"


def verifier(public_key_pem: str) -> type:
    """What the SDK checks response signatures with: its own class with Keyport's key in place of
    LicenseSpring's hard-coded one (the SDK's only hook for a key)."""
    return type("KeyportKey", (SignatureVerifier,), {"PUBLIC_KEY": public_key_pem})


@pytest.fixture
def world(tmp_path) -> World:
    return make_world(tmp_path)


def make_world(files: Path) -> World:
    company = f"Sdk{RUN}n{next(_companies)}"
    out = admin("demo-tenant", "--company", company)
    (license_key,) = [line.split(": ", 1)[1] for line in out.splitlines() if line.startswith("license key: ")]
    keys = json.loads(admin("licensespring-keys", "--company", company, "--json"))
    assert len(keys["products"]) == 1, keys
    w = World(
        company=company,
        product=keys["products"][0],
        license_key=license_key,
        license_id="",
        api_key=keys["api_key"],
        shared_key=keys["shared_key"],
        public_key_pem=keys["public_key_pem"],
        files=files,
    )
    rows = json.loads(admin("license", "list", "--company", company, "--as", w.vendor_admin, "--json"))
    assert len(rows) == 1, rows
    w.license_id = rows[0]["id"]
    return w


# ---------------------------------------------------------------------------------------------
# The portal, as a person sees it: logged in as the license manager, the license's tabs
# ---------------------------------------------------------------------------------------------


class _Rows(html.parser.HTMLParser):
    """The rows of a portal table (`<tr data-testid=...>`), each as {data-label of a cell: its text}."""

    def __init__(self, testid: str):
        super().__init__()
        self.testid, self.rows, self._row, self._label = testid, [], None, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "tr" and attrs.get("data-testid") == self.testid:
            self._row = {}
        elif tag == "td" and self._row is not None and "data-label" in attrs:
            self._label = attrs["data-label"]
            self._row[self._label] = ""

    def handle_endtag(self, tag):
        if tag == "td":
            self._label = None
        elif tag == "tr" and self._row is not None:
            self.rows.append(self._row)
            self._row = None

    def handle_data(self, data):
        if self._row is not None and self._label is not None:
            self._row[self._label] += data


class Portal:
    def __init__(self, world: World, email: str = MANAGER):
        self.world = world
        self.http = requests.Session()
        # The portal's pages post with Sec-Fetch-Site; English, so the texts below match.
        self.http.headers.update({"sec-fetch-site": "same-origin", "accept-language": "en"})
        r = self.http.post(
            f"{BASE}/api/login",
            data={"company": world.company, "email": email, "password": DEMO_PASSWORD},
            headers={"accept": "application/json"},
            allow_redirects=False,
        )
        assert r.status_code == 200 and "keyport_session" in self.http.cookies, (r.status_code, r.text)

    def _rows(self, tab: str, testid: str) -> list[dict]:
        r = self.http.get(f"{BASE}/licenses/{self.world.license_id}/{tab}", allow_redirects=False)
        assert r.status_code == 200, (tab, r.status_code)
        parser = _Rows(testid)
        parser.feed(r.text)
        return parser.rows

    def devices(self) -> list[dict]:
        """The Devices tab: the active devices (Device, OS, Activated by, ...)."""
        return self._rows("devices", "device-row")

    def activity(self) -> list[dict]:
        """The Activity tab: the license's audit log, newest first (Who, What, Device or user, ...)."""
        return self._rows("activity", "activity-row")


@pytest.fixture
def portal(world) -> Portal:
    return Portal(world)
