// The Users tab (license managers): creating accounts, assigning and unassigning seats up to the
// seat limit, making someone a manager, invitations by email; and what a license user may not do.
import {
  alertMessage,
  createUser,
  expect,
  expectCounts,
  hydrated,
  licenseTab,
  login,
  loginAs,
  newContext,
  openLicense,
  openUsersTab,
  statusMessage,
  submitCreateUser,
  test,
  userRow,
  userRows,
  type Tenant,
} from '../fixtures/keyport';
import { emailTo } from '../fixtures/mail';
import type { Browser } from '@playwright/test';

const SEAT_LIMIT = 'Max license users number reached (5 seats). Buy additional subscriptions to assign more users.';

/** Logs `email` in from a browser of their own and returns the dashboard's role. */
async function roleOf(browser: Browser, tenant: Tenant, email: string, password: string): Promise<string> {
  const context = await newContext(browser);
  try {
    const page = await context.newPage();
    await login(page, tenant.company, email, password);
    await expect(page).toHaveURL((url) => url.pathname === '/dashboard');
    return (await page.getByTestId('role').innerText()).trim();
  } finally {
    await context.close();
  }
}

test('a manager fills the seats to the limit, is refused the next one, and unassigns Uma', async ({ page, tenant }) => {
  await loginAs(page, tenant, 'manager');
  const licensePath = await openUsersTab(page);
  await expectCounts(page, { seats: '2 / 5', devices: '4 / 10', deactivations: '0 / 3' });
  await expect(page.getByTestId('seats-left')).toHaveText('2 of 5 seats used; 3 left.');
  await expect(userRows(page)).toHaveCount(2);
  await expect(userRow(page, 'Morgan Manager')).toContainText('License manager');
  await expect(userRow(page, 'Morgan Manager')).toContainText('Last manager');
  await expect(userRow(page, 'Uma User')).toContainText('License user');
  await expect(userRow(page, 'Uma User')).toContainText('user@acme.example');
  await expect(page.getByText('Every account of your company already has a seat.')).toBeVisible();

  // Created with a password and a seat.
  await createUser(page, { name: 'Ada Lovelace', email: 'ada@acme.example', password: 'ada-password-1' });
  await expect(userRow(page, 'Ada Lovelace')).toContainText('License user');
  await expect(page.getByTestId('seats-left')).toHaveText('3 of 5 seats used; 2 left.');

  // Created without a seat, then assigned one.
  await createUser(page, { name: 'Ben Carter', email: 'ben@acme.example', password: 'ben-password-1', assign: false });
  await expect(page.getByTestId('seats')).toHaveText('3 / 5');
  await page.getByRole('combobox', { name: 'Account', exact: true }).selectOption({ label: 'Ben Carter <ben@acme.example>' });
  await page.getByRole('button', { name: 'Assign license user', exact: true }).click();
  await expect(statusMessage(page)).toHaveText('Ben Carter is now a license user.');
  await expect(userRow(page, 'Ben Carter')).toHaveCount(1);
  await expect(page.getByTestId('seats-left')).toHaveText('4 of 5 seats used; 1 left.');

  await createUser(page, { name: 'Cleo Diaz', email: 'cleo@acme.example', password: 'cleo-password-1' });
  await expect(page.getByTestId('seats-left')).toHaveText('5 of 5 seats used; none left.');
  await expect(page.getByTestId('seats')).toHaveText('5 / 5');

  // The sixth is refused, and no account is left behind: nobody is waiting to be assigned.
  await submitCreateUser(page, { name: 'Dan Evans', email: 'dan@acme.example', password: 'dan-password-1' });
  await expect(alertMessage(page)).toHaveText(SEAT_LIMIT);
  const help = page.getByRole('link', { name: 'How to buy additional subscriptions', exact: true });
  await expect(help).toHaveAttribute('href', '/help/seats');
  await expect(statusMessage(page)).toHaveCount(0);
  await expect(userRows(page)).toHaveCount(5);
  await expect(userRow(page, 'Dan Evans')).toHaveCount(0);
  await expect(page.getByText('Every account of your company already has a seat.')).toBeVisible();
  await expect(page.getByTestId('seats-left')).toHaveText('5 of 5 seats used; none left.');
  await expectCounts(page, { seats: '5 / 5', devices: '4 / 10', deactivations: '0 / 3' });

  await help.click();
  await expect(page).toHaveURL((url) => url.pathname === '/help/seats');
  await expect(page.getByRole('heading', { name: 'Max license users number reached', exact: true })).toBeVisible();

  // Unassigning frees the seat and deactivates Uma's two devices without using a deactivation.
  await page.goto(`${licensePath}/users`);
  await hydrated(page);
  await expect(page.getByTestId('seats-left')).toHaveText('5 of 5 seats used; none left.');
  await userRow(page, 'Uma User').getByRole('link', { name: 'Unassign Uma User', exact: true }).click();
  const dialog = page.getByRole('alertdialog');
  await expect(dialog).toHaveCount(1);
  await expect(dialog).toContainText('Unassign Uma User?');
  await expect(dialog).toContainText('2 devices');
  await dialog.getByRole('button', { name: 'Unassign user', exact: true }).click();
  await expect(statusMessage(page)).toHaveText('Uma User was unassigned; 2 devices deactivated (no deactivation used).');
  await expect(page.getByRole('alertdialog')).toHaveCount(0);
  await expect(userRow(page, 'Uma User')).toHaveCount(0);
  await expect(page.getByTestId('seats-left')).toHaveText('4 of 5 seats used; 1 left.');
  await expectCounts(page, { seats: '4 / 5', devices: '2 / 10', deactivations: '0 / 3' });
  // Uma keeps her account: she can be assigned again.
  await expect(page.getByRole('combobox', { name: 'Account', exact: true })).toContainText('Uma User <user@acme.example>');
});

test.describe('a customer with three subscriptions', () => {
  test.use({ subscriptions: 3 });

  test('one license with 15 seats; a new user logs in as a license user, Uma is made a manager', async ({
    page,
    browser,
    tenant,
  }) => {
    await loginAs(page, tenant, 'manager');
    await page.getByRole('link', { name: 'Licenses', exact: true }).click();
    const rows = page.getByTestId('license-row');
    await expect(rows).toHaveCount(1);
    await expect(rows).toContainText('2 / 15');

    await openUsersTab(page);
    await expect(page.getByTestId('seats')).toHaveText('2 / 15');
    await expect(page.getByTestId('seats-left')).toHaveText('2 of 15 seats used; 13 left.');
    await createUser(page, { name: 'Ada Lovelace', email: 'ada@acme.example', password: 'ada-password-1' });
    await expect(page.getByTestId('seats-left')).toHaveText('3 of 15 seats used; 12 left.');

    await userRow(page, 'Uma User').getByRole('button', { name: 'Make manager: Uma User', exact: true }).click();
    await expect(statusMessage(page)).toHaveText('Uma User is now a license manager.');
    await expect(userRow(page, 'Uma User')).toContainText('License manager');
    await expect(userRow(page, 'Uma User').getByRole('button', { name: 'Make license user: Uma User', exact: true })).toBeVisible();
    // Two managers now: Morgan is no longer the last one.
    await expect(userRow(page, 'Morgan Manager')).not.toContainText('Last manager');
    await expect(
      userRow(page, 'Morgan Manager').getByRole('button', { name: 'Make license user: Morgan Manager', exact: true }),
    ).toBeVisible();
    await expect(page.getByTestId('seats-left')).toHaveText('3 of 15 seats used; 12 left.');

    expect(await roleOf(browser, tenant, 'ada@acme.example', 'ada-password-1')).toBe('License user');
    expect(await roleOf(browser, tenant, tenant.user.email, tenant.user.password)).toBe('License manager');
  });
});

test('an invitation email lets the new user choose a password and log in', async ({ page, browser, tenant }) => {
  await loginAs(page, tenant, 'manager');
  await openUsersTab(page);
  await createUser(page, { name: 'Lin Link', email: 'lin@acme.example' });
  // The link goes to Lin by email, never to the manager's page or address.
  await expect(page).toHaveURL((url) => url.pathname.endsWith('/users') && url.search === '');
  await expect(page.locator('body')).not.toContainText('set-password');
  await expect(userRow(page, 'Lin Link').getByTestId('invitation-pending')).toHaveText('Invitation pending');
  const first = await emailTo('lin@acme.example', tenant.company, /^Morgan Manager gave you access to /);
  expect(first.from).toContain('licenses@keyport.test');
  expect(first.html).toContain('Lin Link');

  // Resent: a new link, and the first one no longer works.
  await hydrated(page);
  await userRow(page, 'Lin Link').getByRole('button', { name: 'Resend the invitation to Lin Link', exact: true }).click();
  await expect(statusMessage(page)).toHaveText(
    'A new invitation was sent to lin@acme.example. The link sent before no longer works.',
  );
  let email = first;
  await expect
    .poll(async () => (email = await emailTo('lin@acme.example', tenant.company, /gave you access/)).link)
    .not.toBe(first.link);
  const link = email.link!;

  // Opened by the new user: a browser of their own, without the manager's session.
  const context = await newContext(browser);
  try {
    const lin = await context.newPage();
    await lin.goto(first.link!);
    await expect(lin.getByText('already used or expired')).toBeVisible();
    await lin.goto(link);
    await expect(lin.getByRole('heading', { name: 'Set your password', exact: true })).toBeVisible();
    await expect(lin.getByText('lin@acme.example')).toBeVisible();
    await hydrated(lin);
    await lin.getByLabel('New password', { exact: true }).fill('lin-password-1');
    await lin.getByLabel('Confirm password', { exact: true }).fill('lin-password-1');
    await lin.getByRole('button', { name: 'Set password', exact: true }).click();

    await expect(lin).toHaveURL(
      (url) =>
        url.pathname === '/login' &&
        url.searchParams.get('password_set') === '1' &&
        // Company IDs are matched case-insensitively and kept lowercased.
        url.searchParams.get('company') === tenant.company.toLowerCase() &&
        url.searchParams.get('email') === 'lin@acme.example',
    );
    await expect(statusMessage(lin)).toHaveText('Your password is set. Log in with it now.');
    await hydrated(lin);
    await expect(lin.getByLabel('Company ID', { exact: true })).toHaveValue(tenant.company.toLowerCase());
    await expect(lin.getByLabel('Email', { exact: true })).toHaveValue('lin@acme.example');
    await lin.getByLabel('Password', { exact: true }).fill('lin-password-1');
    await lin.getByRole('button', { name: 'Log in', exact: true }).click();
    await expect(lin).toHaveURL((url) => url.pathname === '/dashboard');
    await expect(lin.getByRole('heading', { name: 'Welcome, Lin Link', exact: true })).toBeVisible();
    await expect(lin.getByTestId('role')).toHaveText('License user');
  } finally {
    await context.close();
  }
});

test('a license user has no Users tab; opening it directly is refused with 403', async ({ page, tenant }) => {
  await loginAs(page, tenant, 'user');
  const licensePath = await openLicense(page);
  await expect(licenseTab(page, 'Overview')).toBeVisible();
  await expect(licenseTab(page, 'Devices')).toBeVisible();
  await expect(licenseTab(page, 'Users')).toHaveCount(0);

  const response = await page.goto(`${licensePath}/users`);
  expect(response?.status()).toBe(403);
  await hydrated(page);
  await expect(alertMessage(page)).toHaveText('You do not have permission to do that.');
  await expect(userRows(page)).toHaveCount(0);
  await expect(page.getByTestId('seats-left')).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Create user' })).toHaveCount(0);
});
