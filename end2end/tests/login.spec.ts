// Logging in: the dashboard greets the account with its role; bad credentials all get the same answer.
import { alertMessage, expect, hydrated, jsEnabled, loginAs, openDevicesTab, submitLogin, test } from '../fixtures/keyport';

const BAD_CREDENTIALS = 'The company ID, email or password is incorrect.';

test('a license manager lands on the dashboard with their name and role', async ({ page, tenant }) => {
  await loginAs(page, tenant, 'manager');
  await expect(page).toHaveURL((url) => url.pathname === '/dashboard');
  await expect(page.getByRole('heading', { name: 'Welcome, Morgan Manager', exact: true })).toBeVisible();
  await expect(page.getByTestId('role')).toHaveText('License manager');
  // Every signed-in page carries the navigation and the way out.
  await expect(page.getByRole('link', { name: 'Dashboard', exact: true })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Licenses', exact: true })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Log out', exact: true })).toBeVisible();
});

test('a license user sees the user role', async ({ page, tenant }) => {
  await loginAs(page, tenant, 'user');
  await expect(page).toHaveURL((url) => url.pathname === '/dashboard');
  await expect(page.getByRole('heading', { name: /^Welcome, / })).toBeVisible();
  await expect(page.getByTestId('role')).toHaveText('License user');
});

test('wrong company, email or password: one message, still on /login, with what was typed but the password', async ({ page, tenant }) => {
  const { company, manager } = tenant;
  const attempts = [
    { what: 'unknown company', company: `${company}X`, email: manager.email, password: manager.password },
    { what: 'unknown email', company, email: 'nobody@acme.example', password: manager.password },
    { what: 'wrong password', company, email: manager.email, password: 'not-the-password' },
  ];
  for (const attempt of attempts) {
    await test.step(attempt.what, async () => {
      await page.goto('/login');
      await hydrated(page);
      await submitLogin(page, attempt.company, attempt.email, attempt.password);
      await expect(alertMessage(page)).toHaveText(BAD_CREDENTIALS);
      await expect(page).toHaveURL((url) => url.pathname === '/login');
      await expect(page.getByRole('heading', { name: 'Log in', exact: true })).toBeVisible();
      await expect(page.getByTestId('role')).toHaveCount(0);
      // Without JavaScript the page was loaded anew: it still shows what was typed, for a retry.
      await expect(page.getByLabel('Company ID', { exact: true })).toHaveValue(attempt.company);
      await expect(page.getByLabel('Email', { exact: true })).toHaveValue(attempt.email);
    });
  }
  // What was typed is shown once: a later visit starts empty.
  await page.goto('/login');
  await expect(page.getByLabel('Email', { exact: true })).toHaveValue('');
});

test('the page names its assets at an address of this build, which the browser keeps for a year', async ({ page, request }) => {
  await page.goto('/login');
  await hydrated(page);
  const href = await page.locator('link#leptos').getAttribute('href');
  expect(href).toMatch(/^\/pkg\/[0-9a-f]{16}\/keyport\.css$/);
  const css = await request.get(href!, { headers: { 'accept-encoding': 'br' } });
  expect(css.status()).toBe(200);
  expect(css.headers()['cache-control']).toBe('public, max-age=31536000, immutable');
  expect(css.headers()['content-encoding']).toBe('br');
  // Another build's address is not this build's file.
  expect((await request.get(href!.replace(/[0-9a-f]{16}/, '0123456789abcdef'))).status()).toBe(404);
  // The page's styles come from it (a card's rounded corners are the stylesheet's alone).
  await expect(page.locator('.card').first()).toHaveCSS('border-top-left-radius', '8px');
});

test('the login page loads the WASM shell only; a license page loads its own piece and hydrates', async ({ page, tenant }) => {
  test.skip(!jsEnabled(), 'without JavaScript no WASM is loaded');
  const pieces: string[] = [];
  page.on('request', (request) => {
    const file = new URL(request.url()).pathname.split('/').pop()!;
    if (file.endsWith('.wasm')) pieces.push(file);
  });
  await page.goto('/login');
  await hydrated(page);
  expect(pieces).toEqual(['keyport.wasm']);

  await loginAs(page, tenant, 'manager');
  const licensePath = await openDevicesTab(page);
  pieces.length = 0;
  await page.goto(`${licensePath}/devices`);
  await hydrated(page);
  expect(pieces).toContain('keyport.wasm');
  expect(pieces.some((file) => /^split_portal_view_\d+\.wasm$/.test(file))).toBe(true);
  // The vendor console's piece is not among them.
  expect(pieces.filter((file) => file.includes('console'))).toEqual([]);
  await expect(page.getByTestId('device-row').first()).toBeVisible();
});

test('a page opened directly names its piece of the WASM for the browser to fetch beside the main one', async ({ page }) => {
  const response = await page.goto('/forgot-password');
  const html = await response!.text();
  const preloads = [...html.matchAll(/<link\b[^>]*>/g)]
    .map(([link]) => link)
    .filter((link) => link.includes('rel="preload"'))
    .map((link) => /href="([^"]+\.wasm)"/.exec(link)?.[1]?.split('/').pop())
    .filter((file): file is string => file !== undefined);
  expect(preloads).toContain('keyport.wasm');
  expect(preloads.some((file) => /^split_account_view_\d+\.wasm$/.test(file))).toBe(true);
});
