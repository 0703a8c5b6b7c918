// Offline activation: a manager of an Offline Organisation license uploads the desktop app's request
// file and downloads a license file that verifies with nothing but the tenant's public key.
import { createPublicKey, verify } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { Page } from '@playwright/test';
import {
  alertMessage,
  expect,
  hydrated,
  licenseTab,
  login,
  loginAs,
  newOfflineTenant,
  openLicense,
  setOwnerPassword,
  test,
  type OfflineTenant,
} from '../fixtures/keyport';

/** An activation request file as the desktop app writes it. */
function requestFile(licenseKey: string, hardwareId: string, deviceName: string): string {
  return JSON.stringify(
    { format: 'keyport-offline-request/1', license_key: licenseKey, hardware_id: hardwareId, device_name: deviceName, os: 'Windows 11' },
    null,
    2,
  );
}

async function openAsManager(page: Page, tenant: OfflineTenant): Promise<string> {
  await setOwnerPassword(page, tenant);
  await login(page, tenant.company, tenant.manager.email, tenant.manager.password);
  const licensePath = await openLicense(page);
  expect(licensePath).toBe(`/licenses/${tenant.licenseId}`);
  await hydrated(page);
  await expect(page.getByRole('heading', { name: 'Offline activation', exact: true })).toBeVisible();
  await expect(page.getByTestId('devices')).toHaveText('0 / 2');
  return licensePath;
}

test('a manager uploads a request file and downloads a license file that verifies with the public key', async ({ page }) => {
  const tenant = await newOfflineTenant();
  const licensePath = await openAsManager(page, tenant);

  await page.getByLabel('Activation request file', { exact: true }).setInputFiles({
    name: 'keyport-request.json',
    mimeType: 'application/json',
    buffer: Buffer.from(requestFile(tenant.licenseKey, 'E2E-HW-1', 'Lab PC')),
  });
  const downloading = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Download license file', exact: true }).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toBe('keyport-license-E2E-HW-1.json');
  const file = JSON.parse(await readFile(await download.path(), 'utf8'));
  expect(file.format).toBe('keyport-offline-license/1');

  // Verified with only the public key the device API serves for the company, as the app does.
  const published = await (await page.request.get(`/api/v1/public-key?company=${tenant.company}`)).json();
  expect(file.key_id).toBe(published.key_id);
  const publicKey = createPublicKey({
    key: { kty: 'OKP', crv: 'Ed25519', x: Buffer.from(published.public_key, 'base64').toString('base64url') },
    format: 'jwk',
  });
  const payload = Buffer.from(file.payload, 'base64');
  const signature = Buffer.from(file.signature, 'base64');
  expect(verify(null, payload, publicKey, signature)).toBe(true);
  const forged = Buffer.from(payload.toString('utf8').replace('"E2E-HW-1"', '"E2E-HW-2"'));
  expect(verify(null, forged, publicKey, signature)).toBe(false);
  const license = JSON.parse(payload.toString('utf8'));
  expect(license).toMatchObject({
    company: tenant.company.toLowerCase(),
    license_id: tenant.licenseId,
    product: 'CodeGlass',
    license_type: 'offline_organisation',
    hardware_id: 'E2E-HW-1',
    device_name: 'Lab PC',
  });
  expect(license.valid_until).toBeGreaterThan(Date.now());

  // The page stayed; the machine took a device slot and is on the Devices tab.
  expect(new URL(page.url()).pathname).toBe(licensePath);
  await page.goto(licensePath);
  await expect(page.getByTestId('devices')).toHaveText('1 / 2');
  await hydrated(page);
  await licenseTab(page, 'Devices').click();
  await expect(page.getByTestId('device-row').filter({ hasText: 'Lab PC' })).toHaveCount(1);
});

test('a request for another license shows why and takes no slot', async ({ page }) => {
  const tenant = await newOfflineTenant();
  const licensePath = await openAsManager(page, tenant);

  await page.getByLabel('Or paste the request', { exact: true }).fill(requestFile('KP-NOT-THIS-LICENSE', 'E2E-HW-1', 'Lab PC'));
  await page.getByRole('button', { name: 'Download license file', exact: true }).click();
  // The error comes back as the page's one-time note, not in the address.
  await expect(page).toHaveURL((url) => url.pathname === licensePath && url.search === '');
  await expect(alertMessage(page)).toHaveText('license_key: this request is for another license.');
  await expect(page.getByTestId('devices')).toHaveText('0 / 2');
  await hydrated(page);
  // Hydration keeps what the server rendered (the note is not fetched a second time).
  await expect(alertMessage(page)).toHaveText('license_key: this request is for another license.');
  // The form is still there to try again.
  await expect(page.getByRole('button', { name: 'Download license file', exact: true })).toBeVisible();
});

test('managers of other license types see no offline activation', async ({ page, tenant }) => {
  await loginAs(page, tenant, 'manager');
  await openLicense(page);
  await expect(page.getByRole('heading', { name: 'Reset license', exact: true })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Offline activation' })).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Download license file' })).toHaveCount(0);
});
