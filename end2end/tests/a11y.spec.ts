// Accessibility: axe (WCAG 2.0/2.1 A and AA) on every page of the portal and the vendor console,
// a keyboard-only reset, and the phone layout at 375 px.
import AxeBuilder from '@axe-core/playwright';
import {
  alertMessage,
  createUser,
  deviceRow,
  expect,
  expectCounts,
  hydrated,
  jsEnabled,
  licenseTab,
  loginAs,
  openDevicesTab,
  openLicense,
  statusMessage,
  submitLogin,
  test,
} from '../fixtures/keyport';
import type { BrowserContext, Locator, Page } from '@playwright/test';
import { BASE_URL } from '../fixtures/env';
import { emailTo } from '../fixtures/mail';

const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

/** Runs axe on the page as it is now and fails with a readable list of what it found. */
async function expectAccessible(page: Page, what: string): Promise<void> {
  const results = await new AxeBuilder({ page }).withTags(WCAG_TAGS).analyze();
  const found = results.violations.map(
    (v) =>
      `${v.id} (${v.impact}): ${v.help}\n` +
      v.nodes.map((n) => `    ${n.target.join(' ')}: ${n.failureSummary?.replace(/\n\s*/g, ' ')}`).join('\n'),
  );
  expect(found, `axe violations on ${what} (${page.url()})`).toEqual([]);
}

/**
 * axe runs as a script in the page, which a context without JavaScript cannot do. In the no-js
 * project the axe tests keep JavaScript on but never load the app's JS and WASM, so axe sees the
 * server-rendered HTML a browser without JavaScript gets, and every click is a plain link or form.
 */
async function withoutApp(context: BrowserContext): Promise<void> {
  if (!jsEnabled()) {
    await context.route(/\/pkg\/[^?#]*\.(js|wasm)([?#].*)?$/, (route) => route.abort());
  }
}

test.describe('axe', () => {
  test.use({ javaScriptEnabled: true });
  test.beforeEach(async ({ context }) => withoutApp(context));

  test('every portal page passes axe (WCAG 2.1 A/AA)', async ({ page, browser, tenant }) => {
    test.slow();
    await page.goto('/login');
    await hydrated(page);
    await expectAccessible(page, 'the login page');

    await submitLogin(page, tenant.company, tenant.manager.email, 'wrong-password');
    await expect(alertMessage(page)).toBeVisible();
    await expectAccessible(page, 'the login page with an error');

    await loginAs(page, tenant, 'manager');
    await expect(page.getByTestId('role')).toHaveText('License manager');
    await expectAccessible(page, 'the dashboard');

    await page.goto('/licenses');
    await expect(page.getByTestId('license-row')).toHaveCount(1);
    await hydrated(page);
    await expectAccessible(page, 'the Licenses list');

    const licensePath = await openLicense(page);
    await expect(page.getByRole('heading', { name: 'License', exact: true })).toBeVisible();
    await expect(page.getByRole('meter', { name: 'Seats used: 2 of 5' })).toBeVisible();
    await expectAccessible(page, 'the license Overview tab');

    await licenseTab(page, 'Devices').click();
    await expect(deviceRow(page, "Uma's laptop")).toHaveCount(1);
    await expectAccessible(page, 'the Devices tab');
    await deviceRow(page, "Uma's laptop").getByRole('link', { name: "Reset Uma's laptop", exact: true }).click();
    await expect(page.getByRole('alertdialog')).toBeVisible();
    await expectAccessible(page, 'the reset confirmation');

    await page.goto(`${licensePath}/users`);
    await hydrated(page);
    await expect(page.getByTestId('user-row').first()).toBeVisible();
    await expectAccessible(page, 'the Users tab');
    await createUser(page, { name: 'Axe Link', email: 'axe@acme.example' });
    const { link } = await emailTo('axe@acme.example', tenant.company, /gave you access/);
    await expectAccessible(page, 'the Users tab with a pending invitation');

    await licenseTab(page, 'Activity').click();
    await expect(page.getByTestId('activity-row').first()).toBeVisible();
    await expectAccessible(page, 'the Activity tab');

    await page.goto('/help/seats');
    await expectAccessible(page, 'the seats help page');

    // The new user's browser: no session.
    const context = await browser.newContext({ baseURL: BASE_URL });
    try {
      await withoutApp(context);
      const stranger = await context.newPage();
      await stranger.goto(link!);
      await expect(stranger.getByRole('heading', { name: 'Set your password', exact: true })).toBeVisible();
      await hydrated(stranger);
      await expectAccessible(stranger, 'the set-password page');
    } finally {
      await context.close();
    }
  });

  test('every vendor console page passes axe (WCAG 2.1 A/AA)', async ({ page, tenant }) => {
    await loginAs(page, tenant, 'vendor');
    await expect(page.getByRole('heading', { name: 'Customers', exact: true })).toBeVisible();
    await expectAccessible(page, 'the customers page');

    await page.getByRole('link', { name: 'Acme Corp', exact: true }).click();
    await expect(page.getByRole('heading', { name: 'Acme Corp', exact: true })).toBeVisible();
    await hydrated(page);
    await expectAccessible(page, 'a customer page');

    await page.getByTestId('admin-license-row').getByRole('link').click();
    await expect(page.getByTestId('seats')).toHaveText('2 / 5');
    await expect(page.getByRole('meter', { name: 'Devices active: 4 of 10' })).toBeVisible();
    await hydrated(page);
    await expectAccessible(page, 'a license page of the console');

    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Audit log', exact: true }).click();
    await expect(page.getByTestId('audit-row').first()).toBeVisible();
    await expectAccessible(page, 'the audit log');
  });
});

/** Presses Tab until `target` has the focus (at most `max` times). */
async function tabTo(page: Page, target: Locator, max = 40): Promise<void> {
  for (let i = 0; i < max; i++) {
    if (await target.evaluate((el) => el === document.activeElement).catch(() => false)) return;
    await page.keyboard.press('Tab');
  }
  await expect(target).toBeFocused();
}

// Offline exists only for the hydrated app (it notices) and its service worker (the offline page).
test('offline: the banner with disabled buttons, and the offline page, pass axe', async ({ page, context, tenant }) => {
  test.skip(!jsEnabled(), 'offline tolerance is the hydrated app');
  await loginAs(page, tenant, 'manager');
  await openDevicesTab(page);
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
  });
  await context.setOffline(true);
  await expect(page.locator('#offline-banner')).toBeVisible();
  await expectAccessible(page, 'the Devices tab offline');
  await page.goto('/licenses');
  await expect(page.getByRole('heading', { name: 'You are offline', exact: true })).toBeVisible();
  await expectAccessible(page, 'the offline page');
  await context.setOffline(false);
});

test('keyboard only: skip link, log in, reach the Devices tab and reset a device', async ({ page, tenant }) => {
  await page.goto('/login');
  await hydrated(page);
  // The company field has the focus from the start; the skip link is before it in the tab order.
  await page.keyboard.press('Shift+Tab');
  const skip = page.getByRole('link', { name: 'Skip to content', exact: true });
  await expect(skip).toBeFocused();
  await expect(skip).toBeInViewport();

  await tabTo(page, page.getByLabel('Company ID', { exact: true }));
  await page.keyboard.type(tenant.company);
  await page.keyboard.press('Tab');
  await page.keyboard.type(tenant.manager.email);
  await page.keyboard.press('Tab');
  await page.keyboard.type(tenant.manager.password);
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL((url) => url.pathname === '/dashboard');
  await hydrated(page);
  // The login page's hydrated form navigates in place: the address changes before the dashboard
  // has replaced the login page's <main>, so a skip made earlier would focus the page going away.
  await expect(page.getByRole('link', { name: 'View your license', exact: true })).toBeVisible();

  // The first Tab on a page reaches the skip link; Enter moves the focus into <main>.
  await page.keyboard.press('Tab');
  await expect(skip).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.locator('main#main')).toBeFocused();

  await tabTo(page, page.getByRole('link', { name: 'View your license', exact: true }));
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL((url) => url.pathname === '/licenses');
  await tabTo(page, page.getByTestId('license-row').getByRole('link'));
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL((url) => /^\/licenses\/[^/]+$/.test(url.pathname));
  await tabTo(page, licenseTab(page, 'Devices'));
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL((url) => url.pathname.endsWith('/devices'));

  const reset = deviceRow(page, "Uma's laptop").getByRole('link', { name: "Reset Uma's laptop", exact: true });
  await tabTo(page, reset);
  // The focus shows (:focus-visible), not just the browser's default.
  await expect(reset).toHaveCSS('outline-style', 'solid');
  await page.keyboard.press('Enter');
  // The confirmation takes the focus, so the next Tab is its button.
  const dialog = page.getByRole('alertdialog');
  await expect(dialog).toContainText("Reset Uma's laptop?");
  await expect(dialog).toBeFocused();
  await page.keyboard.press('Tab');
  await expect(dialog.getByRole('button', { name: 'Reset device', exact: true })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(statusMessage(page)).toHaveText("Uma's laptop was reset. 2 deactivations left.");
  await expectCounts(page, { seats: '2 / 5', devices: '3 / 10', deactivations: '1 / 3' });
});

async function expectNoHorizontalScroll(page: Page, what: string): Promise<void> {
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  expect(width, `page width of ${what}`).toBeLessThanOrEqual(375);
}

test.describe('phone layout (375 px)', () => {
  test.use({ viewport: { width: 375, height: 740 } });

  test('dashboard, Devices and Users tabs fit the screen; a device can be reset', async ({ page, tenant }, info) => {
    await loginAs(page, tenant, 'manager');
    await expect(page.getByTestId('role')).toHaveText('License manager');
    await expectNoHorizontalScroll(page, 'the dashboard');
    await screenshot(page, info.project.name, 'dashboard');

    await openDevicesTab(page);
    await hydrated(page);
    await expectNoHorizontalScroll(page, 'the Devices tab');
    await screenshot(page, info.project.name, 'devices');
    const reset = deviceRow(page, "Uma's laptop").getByRole('link', { name: "Reset Uma's laptop", exact: true });
    await expect(reset).toBeVisible();
    // Inside the screen's width, not in a part of a table that only scrolls into view.
    await reset.scrollIntoViewIfNeeded();
    const box = (await reset.boundingBox())!;
    expect(box.x).toBeGreaterThanOrEqual(0);
    expect(box.x + box.width).toBeLessThanOrEqual(375);
    await reset.click();
    const dialog = page.getByRole('alertdialog');
    await expect(dialog).toBeVisible();
    await expectNoHorizontalScroll(page, 'the reset confirmation');
    await dialog.getByRole('button', { name: 'Reset device', exact: true }).click();
    await expect(statusMessage(page)).toHaveText("Uma's laptop was reset. 2 deactivations left.");

    await licenseTab(page, 'Users').click();
    await expect(page.getByTestId('user-row').first()).toBeVisible();
    await expectNoHorizontalScroll(page, 'the Users tab');
    await screenshot(page, info.project.name, 'users');
  });
});

/** Full-page screenshots for a human to look at, when KEYPORT_SCREENSHOTS names a folder. */
async function screenshot(page: Page, project: string, name: string): Promise<void> {
  const dir = process.env.KEYPORT_SCREENSHOTS;
  if (!dir) return;
  await page.screenshot({ path: `${dir}/${project}-${name}.png`, fullPage: true });
}
