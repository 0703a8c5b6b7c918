// Languages: the portal speaks the browser's language (Accept-Language), and the switcher changes
// it for good (a cookie), with and without JavaScript.
import { alertMessage, expect, hydrated, jsEnabled, test } from '../fixtures/keyport';

test.describe('a German browser', () => {
  test.use({ locale: 'de-DE', extraHTTPHeaders: { 'Accept-Language': 'de-DE,de;q=0.9,en;q=0.8' } });

  test('gets the login page in German; the switcher changes to French and back', async ({ page }) => {
    const catalogs: string[] = [];
    page.on('requestfinished', (request) => {
      const file = new URL(request.url()).pathname.split('/').pop()!;
      if (file.endsWith('.ftl')) catalogs.push(file);
    });
    await page.goto('/login');
    await expect(page.locator('html')).toHaveAttribute('lang', 'de');
    await expect(page.getByRole('heading', { name: 'Anmelden', exact: true })).toBeVisible();
    await expect(page.getByLabel('Firmen-ID', { exact: true })).toBeVisible();
    await hydrated(page);
    // The WASM carries no catalog: the German one alone is fetched, once (the preload is the
    // request the WASM makes).
    if (jsEnabled()) expect(catalogs).toEqual(['locale-de.ftl']);
    // Hydration renders the same words as the server did.
    await expect(page.getByRole('button', { name: 'Anmelden', exact: true })).toBeVisible();

    await page.getByLabel('Sprache', { exact: true }).selectOption('fr');
    await page.getByRole('button', { name: 'Wechseln', exact: true }).click();
    await expect(page.getByRole('heading', { name: 'Connexion', exact: true })).toBeVisible();
    await expect(page.locator('html')).toHaveAttribute('lang', 'fr');
    await expect(page).toHaveURL((url) => url.pathname === '/login');
    await expect(page.getByLabel('Identifiant de l’entreprise', { exact: true })).toBeVisible();
    await hydrated(page);

    await page.getByLabel('Langue', { exact: true }).selectOption('de');
    await page.getByRole('button', { name: 'Changer', exact: true }).click();
    await expect(page.getByRole('heading', { name: 'Anmelden', exact: true })).toBeVisible();
    await expect(page.locator('html')).toHaveAttribute('lang', 'de');
    await hydrated(page);
  });

  test('errors and signed-in pages are German; the top bar switches to Spanish and stays', async ({ page, tenant }) => {
    await page.goto('/login');
    await hydrated(page);
    await page.getByLabel('Firmen-ID', { exact: true }).fill(tenant.company);
    await page.getByLabel('E-Mail', { exact: true }).fill(tenant.manager.email);
    await page.getByLabel('Passwort', { exact: true }).fill('not-the-password');
    await page.getByRole('button', { name: 'Anmelden', exact: true }).click();
    await expect(alertMessage(page)).toHaveText('Firmen-ID, E-Mail oder Passwort ist falsch.');

    // Without JavaScript the failed form came back empty.
    await page.getByLabel('Firmen-ID', { exact: true }).fill(tenant.company);
    await page.getByLabel('E-Mail', { exact: true }).fill(tenant.manager.email);
    await page.getByLabel('Passwort', { exact: true }).fill(tenant.manager.password);
    await page.getByRole('button', { name: 'Anmelden', exact: true }).click();
    await expect(page).toHaveURL((url) => url.pathname === '/dashboard');
    await expect(page.getByRole('heading', { name: 'Willkommen, Morgan Manager', exact: true })).toBeVisible();
    await expect(page.getByTestId('role')).toHaveText('Lizenzmanager');
    await hydrated(page);

    await page.getByRole('link', { name: 'Lizenzen', exact: true }).click();
    await expect(page).toHaveURL((url) => url.pathname === '/licenses');
    await page.getByLabel('Sprache', { exact: true }).selectOption('es');
    await page.getByRole('button', { name: 'Wechseln', exact: true }).click();
    // Back on the same page, in Spanish.
    await expect(page).toHaveURL((url) => url.pathname === '/licenses');
    await expect(page.getByRole('heading', { name: 'Licencias', exact: true })).toBeVisible();
    await expect(page.locator('html')).toHaveAttribute('lang', 'es');
    await hydrated(page);

    // The choice outlives the page: the cookie wins over the browser's German.
    await page.getByRole('link', { name: 'Panel', exact: true }).click();
    await expect(page.getByRole('heading', { name: 'Bienvenido, Morgan Manager', exact: true })).toBeVisible();
  });
});

test('an unknown browser language gets English', async ({ page }) => {
  await page.setExtraHTTPHeaders({ 'Accept-Language': 'ja-JP,ja;q=0.9' });
  await page.goto('/login');
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  await expect(page.getByRole('heading', { name: 'Log in', exact: true })).toBeVisible();
  await hydrated(page);
  await expect(page.getByLabel('Language', { exact: true })).toHaveValue('en');
});
