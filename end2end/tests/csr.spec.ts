// The Trunk build (dist/, `make csr`): the same portal rendered in the browser, calling the server
// functions of the test server through a same-origin proxy (fixtures/csr-server.mjs).
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import {
  deviceRow,
  deviceRows,
  expect,
  expectCounts,
  hydrated,
  openDevicesTab,
  openResetDialog,
  statusMessage,
  submitLogin,
  test,
} from '../fixtures/keyport';
import { BASE_URL, CSR_URL, REPO_ROOT } from '../fixtures/env';

// A client-side-rendered page is empty without JavaScript: nothing to test in the no-js project.
test.skip(({ javaScriptEnabled }) => javaScriptEnabled === false, 'the CSR build needs JavaScript');

test('log in and reset a device in the client-side-rendered build', async ({ page, browser, tenant }) => {
  expect(
    existsSync(path.join(REPO_ROOT, 'dist', 'index.html')),
    'dist/index.html is missing: run `make csr` (trunk build --release) first',
  ).toBe(true);

  // Every server function call leaves from the page's own origin (the proxy), never to the server's.
  const serverFnCalls: string[] = [];
  page.on('request', (req) => {
    if (new URL(req.url()).pathname.startsWith('/api/')) serverFnCalls.push(req.url());
  });

  // What the static host sends is the empty shell: the page below is the WASM's doing.
  const shell = await page.request.get(`${CSR_URL}/login`);
  expect(shell.ok()).toBe(true);
  expect(await shell.text()).not.toContain('Log in');

  await page.goto(`${CSR_URL}/login`);
  await expect(page.getByRole('heading', { name: 'Log in', exact: true })).toBeVisible();
  await hydrated(page);
  // The portal's stylesheet loaded from where index.html links it (/pkg/keyport.css).
  await expect
    .poll(() =>
      page.evaluate(() =>
        Array.from(document.styleSheets).some((s) => s.href?.endsWith('/pkg/keyport.css') && s.cssRules.length > 0),
      ),
    )
    .toBe(true);

  await submitLogin(page, tenant.company, tenant.manager.email, tenant.manager.password);
  await expect(page).toHaveURL((url) => url.origin === new URL(CSR_URL).origin && url.pathname === '/dashboard');

  const licensePath = await openDevicesTab(page);
  await expect(deviceRows(page)).toHaveCount(4);
  await expectCounts(page, { seats: '2 / 5', devices: '4 / 10', deactivations: '0 / 3' });

  const dialog = await openResetDialog(page, "Uma's laptop");
  await dialog.getByRole('button', { name: 'Reset device', exact: true }).click();
  await expect(statusMessage(page)).toHaveText("Uma's laptop was reset. 2 deactivations left.");
  await expect(page).toHaveURL((url) => url.pathname === `${licensePath}/devices`);
  await expect(deviceRows(page)).toHaveCount(3);
  await expect(deviceRow(page, "Uma's laptop")).toHaveCount(0);
  await expectCounts(page, { seats: '2 / 5', devices: '3 / 10', deactivations: '1 / 3' });

  // A fresh load of the CSR app (the session cookie survives it) agrees.
  await page.goto(`${CSR_URL}${licensePath}/devices`);
  await hydrated(page);
  await expect(deviceRows(page)).toHaveCount(3);

  expect(serverFnCalls.length).toBeGreaterThan(0);
  for (const url of serverFnCalls) expect(new URL(url).origin).toBe(new URL(CSR_URL).origin);

  // The server stored it: its own server-rendered Devices tab, read with the same session (the cookie
  // belongs to the host, whatever the port) and without JavaScript, shows the same.
  const ssr = await browser.newContext({ storageState: await page.context().storageState(), javaScriptEnabled: false });
  try {
    const server = await ssr.newPage();
    await server.goto(`${BASE_URL}${licensePath}/devices`);
    await expect(server).toHaveURL(`${BASE_URL}${licensePath}/devices`);
    await expect(deviceRows(server)).toHaveCount(3);
    await expect(deviceRow(server, "Uma's laptop")).toHaveCount(0);
    await expectCounts(server, { seats: '2 / 5', devices: '3 / 10', deactivations: '1 / 3' });
  } finally {
    await ssr.close();
  }
});

test.describe('in the browser’s language', () => {
  test.use({ locale: 'de-DE' });

  test('the CSR build picks the language as the server does', async ({ page }) => {
    await page.goto(`${CSR_URL}/login`);
    await expect(page.getByRole('button', { name: 'Anmelden', exact: true })).toBeVisible();
    await expect(page.locator('html')).toHaveAttribute('lang', 'de');
  });
});
