// Losing the connection: the hydrated page keeps what it shows, says it is offline and since when,
// turns off every change with the reason on the button, and reloads its data when the server is
// back. Opening the portal while offline shows Keyport's offline page. (JavaScript only: without
// it there is no page code to notice, and the browser shows its own error.)
import {
  deviceRow,
  deviceRows,
  expect,
  expectCounts,
  hydrated,
  jsEnabled,
  loginAs,
  openDevicesTab,
  openResetDialog,
  test,
} from '../fixtures/keyport';

test.beforeEach(() => {
  test.skip(!jsEnabled(), 'offline tolerance is the hydrated app and its service worker');
});

const banner = (page: import('@playwright/test').Page) => page.locator('#offline-banner');

test('offline: the page stays, changes are off with the reason, and data reloads on reconnect', async ({
  page,
  context,
  request,
  tenant,
}) => {
  await loginAs(page, tenant, 'manager');
  await openDevicesTab(page);
  await expect(deviceRows(page)).toHaveCount(4);
  await expect(banner(page)).toHaveCount(0);

  await context.setOffline(true);
  await expect(banner(page)).toContainText('You are offline.');
  await expect(banner(page)).toContainText(/Showing what was loaded at \d{4}-\d\d-\d\d \d\d:\d\d UTC\./);
  // What the page had is still there.
  await expect(deviceRows(page)).toHaveCount(4);
  const logout = page.getByRole('button', { name: /Log out/ });
  await expect(logout).toBeDisabled();
  await expect(logout).toHaveAccessibleName(/Offline: reconnect to use this/);

  // A confirmation opens, but its button is off: nothing is sent, nothing is queued.
  const dialog = await openResetDialog(page, "Uma's laptop");
  const confirm = dialog.getByRole('button', { name: /Reset device/ });
  await expect(confirm).toBeDisabled();
  await expect(confirm).toHaveAccessibleName(/Offline: reconnect to use this/);
  await dialog.getByRole('link', { name: 'Cancel', exact: true }).click();

  // Meanwhile the desktop app activates a device (the test's own request context is not offline).
  const activated = await request.post('/api/v1/activations', {
    data: {
      company: tenant.company,
      email: tenant.user.email,
      password: tenant.user.password,
      hardware_id: 'hw-while-offline',
      device_name: 'Activated while offline',
      os: 'Debian 13',
    },
  });
  expect(activated.status()).toBe(201);
  await expect(deviceRows(page)).toHaveCount(4);

  await context.setOffline(false);
  await expect(banner(page)).toHaveCount(0);
  // Reconnecting reloads the page's data without a reload of the page.
  await expect(deviceRow(page, 'Activated while offline')).toHaveCount(1);
  await expectCounts(page, { seats: '2 / 5', devices: '5 / 10', deactivations: '0 / 3' });
  await expect(page.getByRole('button', { name: 'Log out', exact: true })).toBeEnabled();
});

test('opening the portal offline shows the offline page, which loads the portal once back', async ({
  page,
  context,
  tenant,
}) => {
  await loginAs(page, tenant, 'manager');
  // The service worker installs on the first visit and keeps the assets and the offline page.
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
  });

  await context.setOffline(true);
  await page.goto('/licenses');
  await expect(page.getByRole('heading', { name: 'You are offline', exact: true })).toBeVisible();
  await expect(page.locator('body')).not.toHaveAttribute('data-hydrated', 'true');

  await expect(page.getByRole('link', { name: 'Try again', exact: true })).toBeVisible();

  // Back online, the offline page loads the page that was asked for by itself.
  await context.setOffline(false);
  await expect(page.getByRole('heading', { name: 'Licenses', exact: true })).toBeVisible();
  await expect(page).toHaveURL((url) => url.pathname === '/licenses');
  await hydrated(page);
});
