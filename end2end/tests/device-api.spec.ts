// The desktop app and the portal together: devices activated through the API appear on the
// Devices tab, a reset there ends the app's next check-in, and the Activity tab records it all.
import { type APIRequestContext } from '@playwright/test';
import {
  deviceRow,
  deviceRows,
  expect,
  expectCounts,
  loginAs,
  openDevicesTab,
  resetDevice,
  test,
  type Tenant,
} from '../fixtures/keyport';

async function activate(request: APIRequestContext, tenant: Tenant, hardwareId: string, name: string) {
  const response = await request.post('/api/v1/activations', {
    data: {
      company: tenant.company,
      email: tenant.user.email,
      password: tenant.user.password,
      hardware_id: hardwareId,
      device_name: name,
      os: 'Fedora 41',
    },
  });
  expect(response.status()).toBe(201);
  expect(response.headers()['keyport-signature']).toBeTruthy();
  return (await response.json()).device_token as string;
}

test('devices activated by the app show in the portal; a reset there ends the next check-in', async ({
  page,
  request,
  tenant,
}) => {
  const buildToken = await activate(request, tenant, 'hw-build-box', 'Build box');
  const spareToken = await activate(request, tenant, 'hw-spare', 'Spare laptop');

  await loginAs(page, tenant, 'manager');
  const licensePath = await openDevicesTab(page);
  await expect(deviceRows(page)).toHaveCount(6);
  await expect(deviceRow(page, 'Build box')).toContainText('Fedora 41');
  await expect(deviceRow(page, 'Build box')).toContainText('Uma User');
  await expectCounts(page, { seats: '2 / 5', devices: '6 / 10', deactivations: '0 / 3' });

  await resetDevice(page, 'Build box', 2);
  const gone = await request.get('/api/v1/device', { headers: { Authorization: `Bearer ${buildToken}` } });
  expect(gone.status()).toBe(410);
  expect((await gone.json()).error).toBe('device_deactivated');
  const alive = await request.get('/api/v1/device', { headers: { Authorization: `Bearer ${spareToken}` } });
  expect(alive.status()).toBe(200);

  await page.getByRole('navigation', { name: 'License' }).getByRole('link', { name: 'Activity', exact: true }).click();
  await expect(page).toHaveURL((url) => url.pathname === `${licensePath}/activity`);
  const rows = page.getByTestId('activity-row');
  await expect(rows.first()).toContainText('Device reset');
  await expect(rows.first()).toContainText('Build box');
  await expect(rows.filter({ hasText: 'Device activated' }).filter({ hasText: 'Spare laptop' })).toHaveCount(1);
  await expect(rows.filter({ hasText: 'Device activated' }).filter({ hasText: 'Build box' })).toHaveCount(1);
});
