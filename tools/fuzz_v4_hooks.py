"""schemathesis hooks for the /api/v4 fuzz run (scripts/fuzz-api.sh): every request carries the
Date and HMAC Authorization the LicenseSpring SDK sends, so the fuzzer reaches the parsers and
flows behind the authentication instead of stopping at `missing_headers`."""

import base64
import hashlib
import hmac
import os
from email.utils import formatdate

import schemathesis


@schemathesis.hook
def before_call(context, case, kwargs):
    date = formatdate(usegmt=True)
    digest = hmac.new(
        os.environ["KEYPORT_LS_SHARED_KEY"].encode(),
        f"licenseSpring\ndate: {date}".encode(),
        hashlib.sha256,
    ).digest()
    signature = base64.b64encode(digest).decode()
    api_key = os.environ["KEYPORT_LS_API_KEY"]
    headers = dict(case.headers or {})
    # A header the case leaves out stays out: the fuzzer checks that a request without it is
    # refused. One it generated (any value) becomes the valid one.
    present = {name.lower() for name in headers}
    if "date" in present or "authorization" in present:
        headers = {k: v for k, v in headers.items() if k.lower() not in ("date", "authorization")}
        if "date" in present:
            headers["Date"] = date
        if "authorization" in present:
            headers["Authorization"] = (
                f'algorithm="hmac-sha256",headers="date",signature="{signature}",'
                f'apiKey="{api_key}"'
            )
    case.headers = headers
