// Sessions: signed-out visitors go to /login and come back to where they were; logging out ends the session on the server.
import { expect, hydrated, loginAs, newContext, statusMessage, submitLogin, test } from '../fixtures/keyport';
import { emailTo, emailsTo } from '../fixtures/mail';

test('login returns to the page asked for; logout ends the session server-side', async ({ page, context, tenant }) => {
  await page.goto('/licenses');
  await expect(page).toHaveURL(
    (url) => url.pathname === '/login' && url.searchParams.get('next') === '/licenses',
  );
  await expect(page.getByRole('heading', { name: 'Log in', exact: true })).toBeVisible();
  await hydrated(page);

  await submitLogin(page, tenant.company, tenant.manager.email, tenant.manager.password);
  await expect(page).toHaveURL((url) => url.pathname === '/licenses');
  await expect(page.getByRole('heading', { name: 'Licenses', exact: true })).toBeVisible();
  await expect(page.getByTestId('license-row')).toHaveCount(1);
  await hydrated(page);

  const sessionCookies = await context.cookies();
  expect(sessionCookies.length).toBeGreaterThan(0);

  await page.getByRole('button', { name: 'Log out', exact: true }).click();
  await expect(page).toHaveURL((url) => url.pathname === '/login');
  await expect(page.getByRole('heading', { name: 'Log in', exact: true })).toBeVisible();

  await page.goto('/dashboard');
  await expect(page).toHaveURL(
    (url) => url.pathname === '/login' && url.searchParams.get('next') === '/dashboard',
  );

  // Replaying the cookies from before the logout must not bring the session back.
  await context.clearCookies();
  await context.addCookies(sessionCookies);
  await page.goto('/dashboard');
  await expect(page).toHaveURL(
    (url) => url.pathname === '/login' && url.searchParams.get('next') === '/dashboard',
  );
  await expect(page.getByTestId('role')).toHaveCount(0);
});

test('forgot password: the same answer for anyone, a reset link by email, and the old sessions end', async ({
  page,
  browser,
  tenant,
}) => {
  // The user is logged in elsewhere (a second browser) before the reset.
  const elsewhere = await newContext(browser);
  try {
    const old = await elsewhere.newPage();
    await loginAs(old, tenant, 'user');
    await expect(old).toHaveURL((url) => url.pathname === '/dashboard');

    await page.goto('/login');
    await page.getByRole('link', { name: 'Forgot your password?', exact: true }).click();
    await expect(page.getByRole('heading', { name: 'Reset your password', exact: true })).toBeVisible();
    await hydrated(page);
    const sent =
      'If an account with that company ID and email exists, a link to choose a new password is on its way to that email. It works once, within one hour.';
    // Nobody by that address: the same answer, and no email.
    await page.getByLabel('Company ID', { exact: true }).fill(tenant.company);
    await page.getByLabel('Email', { exact: true }).fill('nobody@acme.example');
    await page.getByRole('button', { name: 'Send reset link', exact: true }).click();
    await expect(page).toHaveURL((url) => url.pathname === '/login');
    await expect(statusMessage(page)).toHaveText(sent);

    await page.goto('/forgot-password');
    await hydrated(page);
    await page.getByLabel('Company ID', { exact: true }).fill(tenant.company);
    await page.getByLabel('Email', { exact: true }).fill(tenant.user.email);
    await page.getByRole('button', { name: 'Send reset link', exact: true }).click();
    await expect(statusMessage(page)).toHaveText(sent);
    const reset = await emailTo(tenant.user.email, tenant.company, /Reset your .* password/);
    expect(emailsTo('nobody@acme.example', tenant.company)).toBe(0);

    await page.goto(reset.link!);
    await hydrated(page);
    await page.getByLabel('New password', { exact: true }).fill('uma-new-password-1');
    await page.getByLabel('Confirm password', { exact: true }).fill('uma-new-password-1');
    await page.getByRole('button', { name: 'Set password', exact: true }).click();
    await expect(statusMessage(page)).toHaveText('Your password is set. Log in with it now.');
    await page.getByLabel('Password', { exact: true }).fill('uma-new-password-1');
    await page.getByRole('button', { name: 'Log in', exact: true }).click();
    await expect(page).toHaveURL((url) => url.pathname === '/dashboard');

    // The session from before the reset is over, and the account was told of the change.
    await old.goto('/dashboard');
    await expect(old).toHaveURL((url) => url.pathname === '/login');
    await emailTo(tenant.user.email, tenant.company, /password was changed/);
    // The link worked once.
    await page.goto(reset.link!);
    await expect(page.getByText('already used or expired')).toBeVisible();
  } finally {
    await elsewhere.close();
  }
});
