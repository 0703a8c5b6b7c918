// Resetting devices: the confirmation dialog, the status message, the counters and the deactivation limit.
import {
  alertMessage,
  deviceRow,
  deviceRows,
  expect,
  expectCounts,
  hydrated,
  loginAs,
  openDevicesTab,
  openResetDialog,
  resetDevice,
  statusMessage,
  test,
} from '../fixtures/keyport';

test('Cancel changes nothing; Reset device frees the slot and uses one deactivation', async ({ page, tenant }) => {
  await loginAs(page, tenant, 'manager');
  const licensePath = await openDevicesTab(page);
  await expect(deviceRows(page)).toHaveCount(4);

  // Cancel: back to the Devices tab, nothing changed.
  const dialog = await openResetDialog(page, "Uma's laptop");
  await expect(dialog.getByRole('button', { name: 'Reset device', exact: true })).toBeVisible();
  await dialog.getByRole('link', { name: 'Cancel', exact: true }).click();
  await expect(page).toHaveURL((url) => url.pathname === `${licensePath}/devices` && !url.searchParams.has('reset'));
  await expect(page.getByRole('alertdialog')).toHaveCount(0);
  await expect(deviceRows(page)).toHaveCount(4);
  await expect(deviceRow(page, "Uma's laptop")).toHaveCount(1);
  await expectCounts(page, { seats: '2 / 5', devices: '4 / 10', deactivations: '0 / 3' });

  // Reset for real.
  const confirm = await openResetDialog(page, "Uma's laptop");
  await confirm.getByRole('button', { name: 'Reset device', exact: true }).click();
  await expect(statusMessage(page)).toHaveText("Uma's laptop was reset. 2 deactivations left.");
  await expect(page).toHaveURL((url) => url.pathname === `${licensePath}/devices`);
  await expect(page.getByRole('alertdialog')).toHaveCount(0);
  await expect(deviceRows(page)).toHaveCount(3);
  await expect(deviceRow(page, "Uma's laptop")).toHaveCount(0);
  await expectCounts(page, { seats: '2 / 5', devices: '3 / 10', deactivations: '1 / 3' });

  // The change is stored, not just shown: a fresh load agrees.
  await page.goto(`${licensePath}/devices`);
  await hydrated(page);
  await expect(deviceRows(page)).toHaveCount(3);
  await expectCounts(page, { seats: '2 / 5', devices: '3 / 10', deactivations: '1 / 3' });
});

test('with the deactivation limit reached a reset is refused and nothing changes', async ({ page, tenant }) => {
  await loginAs(page, tenant, 'manager');
  const licensePath = await openDevicesTab(page);

  await resetDevice(page, "Uma's laptop", 2);
  await resetDevice(page, "Uma's desktop", 1);
  await resetDevice(page, "Morgan's MacBook", 0);
  await expect(deviceRows(page)).toHaveCount(1);
  await expectCounts(page, { seats: '2 / 5', devices: '1 / 10', deactivations: '3 / 3' });

  const dialog = await openResetDialog(page, "Morgan's workstation");
  await dialog.getByRole('button', { name: 'Reset device', exact: true }).click();
  const alert = alertMessage(page);
  await expect(alert).toHaveCount(1);
  await expect(alert).toContainText('The deactivation limit is reached');
  await expect(alert).toContainText('Contact your vendor to reset the limit.');
  await expect(statusMessage(page).filter({ hasText: 'was reset' })).toHaveCount(0);
  await expect(deviceRow(page, "Morgan's workstation")).toHaveCount(1);
  await expect(deviceRows(page)).toHaveCount(1);
  await expectCounts(page, { seats: '2 / 5', devices: '1 / 10', deactivations: '3 / 3' });

  // Still there after a fresh load.
  await page.goto(`${licensePath}/devices`);
  await expect(deviceRows(page)).toHaveCount(1);
  await expect(deviceRow(page, "Morgan's workstation")).toHaveCount(1);
  await expectCounts(page, { seats: '2 / 5', devices: '1 / 10', deactivations: '3 / 3' });
});

test('a search narrows the Devices tab, and Cancel in a reset found by it goes back to the search', async ({ page, tenant }) => {
  await loginAs(page, tenant, 'manager');
  const licensePath = await openDevicesTab(page);
  await expect(page.getByTestId('device-count')).toHaveText('4 devices');

  const search = page.getByLabel('Find a device by name or hardware ID', { exact: true });
  await search.fill('UMA');
  await page.getByRole('button', { name: 'Search', exact: true }).click();
  await expect(page).toHaveURL((url) => url.pathname === `${licensePath}/devices` && url.searchParams.get('q') === 'UMA');
  await hydrated(page);
  await expect(deviceRows(page)).toHaveCount(2);
  await expect(page.getByTestId('device-count')).toHaveText('2 devices');
  await expect(search).toHaveValue('UMA');

  const dialog = await openResetDialog(page, "Uma's laptop");
  await dialog.getByRole('link', { name: 'Cancel', exact: true }).click();
  await expect(page).toHaveURL((url) => url.searchParams.get('q') === 'UMA' && !url.searchParams.has('reset'));
  await expect(deviceRows(page)).toHaveCount(2);

  await page.getByLabel('Find a device by name or hardware ID', { exact: true }).fill('100%_');
  await page.getByRole('button', { name: 'Search', exact: true }).click();
  await expect(page.getByText('No active device matches this search.')).toBeVisible();
  await expect(deviceRows(page)).toHaveCount(0);
  await expectCounts(page, { seats: '2 / 5', devices: '4 / 10', deactivations: '0 / 3' });
});
