// Reset license (managers) and the Activity tab that records it.
import {
  alertMessage,
  deviceRows,
  expect,
  expectCounts,
  hydrated,
  loginAs,
  openDevicesTab,
  statusMessage,
  test,
} from '../fixtures/keyport';

function licenseTab(page: import('@playwright/test').Page, name: string) {
  return page.getByRole('navigation', { name: 'License' }).getByRole('link', { name, exact: true });
}

test('a manager resets the whole license and the Activity tab records it', async ({ page, tenant }) => {
  await loginAs(page, tenant, 'manager');
  const licensePath = await openDevicesTab(page);
  await licenseTab(page, 'Overview').click();
  await expect(page).toHaveURL((url) => url.pathname === licensePath);

  // Cancel first: nothing changes.
  await page.getByRole('link', { name: 'Reset license…', exact: true }).click();
  let dialog = page.getByRole('alertdialog');
  await expect(dialog).toContainText('Reset the whole license?');
  await expect(dialog).toContainText('all 4 active devices');
  await dialog.getByRole('link', { name: 'Cancel', exact: true }).click();
  await expect(page.getByRole('alertdialog')).toHaveCount(0);
  await expectCounts(page, { seats: '2 / 5', devices: '4 / 10', deactivations: '0 / 3' });

  await page.getByRole('link', { name: 'Reset license…', exact: true }).click();
  dialog = page.getByRole('alertdialog');
  await dialog.getByRole('button', { name: 'Reset license', exact: true }).click();
  await expect(statusMessage(page)).toHaveText(
    'The license was reset: 4 devices deactivated and 1 license user unassigned. 2 deactivations left.',
  );
  await expectCounts(page, { seats: '1 / 5', devices: '0 / 10', deactivations: '1 / 3' });

  await licenseTab(page, 'Devices').click();
  await expect(deviceRows(page)).toHaveCount(0);

  await licenseTab(page, 'Activity').click();
  await expect(page).toHaveURL((url) => url.pathname === `${licensePath}/activity`);
  const rows = page.getByTestId('activity-row');
  await expect(rows.first()).toContainText('License reset');
  await expect(rows.first()).toContainText('Morgan Manager');
  await expect(rows.first()).toContainText('4 devices deactivated; 1 license user unassigned');
  await expect(rows.filter({ hasText: 'Device activated' })).toHaveCount(4);

  // Stored, not just shown.
  await page.goto(`${licensePath}/activity`);
  await hydrated(page);
  await expect(page.getByTestId('activity-row').first()).toContainText('License reset');
});

test('a license user has no Reset license and no Activity tab', async ({ page, tenant }) => {
  await loginAs(page, tenant, 'user');
  const licensePath = await openDevicesTab(page);
  await expect(licenseTab(page, 'Activity')).toHaveCount(0);
  await licenseTab(page, 'Overview').click();
  await expect(page.getByRole('link', { name: 'Reset license…' })).toHaveCount(0);

  // Opening the URLs directly shows nothing and changes nothing.
  await page.goto(`${licensePath}?confirm=reset-license`);
  await expect(page.getByRole('alertdialog')).toHaveCount(0);
  await page.goto(`${licensePath}/activity`);
  await expect(alertMessage(page)).toHaveText('You do not have permission to do that.');
  await expect(page.getByTestId('activity-row')).toHaveCount(0);
});
