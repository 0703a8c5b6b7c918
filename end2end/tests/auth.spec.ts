// Sessions: signed-out visitors go to /login and come back to where they were; logging out ends the session on the server.
import { expect, hydrated, submitLogin, test } from '../fixtures/keyport';

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
