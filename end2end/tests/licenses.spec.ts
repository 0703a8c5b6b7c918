// The license and its devices: one row per customer, the counters, and who sees which devices.
import {
  ALL_DEVICES,
  MANAGER_DEVICES,
  USER_DEVICES,
  deviceRow,
  deviceRows,
  expect,
  expectCounts,
  loginAs,
  test,
} from '../fixtures/keyport';

const FRESH = { seats: '2 / 5', devices: '4 / 10', deactivations: '0 / 3' };

test('the manager sees one license, its counters and all four devices', async ({ page, tenant }) => {
  await loginAs(page, tenant, 'manager');

  await page.getByRole('link', { name: 'Licenses', exact: true }).click();
  await expect(page).toHaveURL((url) => url.pathname === '/licenses');
  await expect(page.getByRole('heading', { name: 'Licenses', exact: true })).toBeVisible();
  const rows = page.getByTestId('license-row');
  await expect(rows).toHaveCount(1);

  // The row links to the license, named after the product; the license page's heading is that product.
  const link = rows.getByRole('link').first();
  await expect(link).toHaveAttribute('href', /^\/licenses\/[^/?#]+$/);
  const product = (await link.innerText()).trim();
  expect(product).not.toBe('');
  await link.click();
  await expect(page).toHaveURL((url) => /^\/licenses\/[^/]+$/.test(url.pathname));
  const licensePath = new URL(page.url()).pathname;
  await expect(page.getByRole('heading', { name: product, exact: true })).toBeVisible();
  await expect(page.getByRole('navigation', { name: 'License' }).getByRole('link', { name: 'Overview', exact: true })).toBeVisible();
  await expectCounts(page, FRESH);

  await page.getByRole('navigation', { name: 'License' }).getByRole('link', { name: 'Devices', exact: true }).click();
  await expect(page).toHaveURL((url) => url.pathname === `${licensePath}/devices`);
  await expectCounts(page, FRESH);
  await expect(deviceRows(page)).toHaveCount(4);
  for (const name of ALL_DEVICES) {
    await expect(deviceRow(page, name)).toHaveCount(1);
    await expect(deviceRow(page, name).getByRole('link', { name: `Reset ${name}`, exact: true })).toBeVisible();
  }

  await page.getByRole('navigation', { name: 'License' }).getByRole('link', { name: 'Overview', exact: true }).click();
  await expect(page).toHaveURL((url) => url.pathname === licensePath);
  await expectCounts(page, FRESH);
});

test("a license user sees only their own two devices", async ({ page, tenant }) => {
  await loginAs(page, tenant, 'user');

  await page.getByRole('link', { name: 'Licenses', exact: true }).click();
  const rows = page.getByTestId('license-row');
  await expect(rows).toHaveCount(1);
  await rows.getByRole('link').first().click();
  await expect(page).toHaveURL((url) => /^\/licenses\/[^/]+$/.test(url.pathname));
  await page.getByRole('navigation', { name: 'License' }).getByRole('link', { name: 'Devices', exact: true }).click();
  await expect(page).toHaveURL((url) => url.pathname.endsWith('/devices'));

  await expect(deviceRows(page)).toHaveCount(2);
  for (const name of USER_DEVICES) {
    await expect(deviceRow(page, name)).toHaveCount(1);
  }
  for (const name of MANAGER_DEVICES) {
    await expect(deviceRow(page, name)).toHaveCount(0);
    await expect(page.getByText(name)).toHaveCount(0);
  }
});
