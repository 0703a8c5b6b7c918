// The vendor console: provisioning a customer and its license, and lifting a deactivation limit.
import {
  alertMessage,
  expect,
  expectCounts,
  hydrated,
  login,
  loginAs,
  newContext,
  openDevicesTab,
  openResetDialog,
  resetDevice,
  statusMessage,
  test,
} from '../fixtures/keyport';
import { emailTo } from '../fixtures/mail';

test('a vendor admin creates a customer, its manager and an Organisation license; the manager logs in and sees it', async ({
  page,
  browser,
  tenant,
}) => {
  await loginAs(page, tenant, 'vendor');
  await expect(page).toHaveURL((url) => url.pathname === '/admin');
  await expect(page.getByRole('heading', { name: 'Customers', exact: true })).toBeVisible();
  await expect(page.getByTestId('customer-row')).toHaveCount(1);

  await page.getByLabel('Customer name', { exact: true }).fill('Initech');
  await page.getByRole('button', { name: 'Create customer', exact: true }).click();
  await expect(statusMessage(page)).toHaveText('The customer was created.');
  await expect(page.getByRole('heading', { name: 'Initech', exact: true })).toBeVisible();
  await hydrated(page);

  // The buyer's account: an invitation by email; the console never shows the link.
  await page.getByLabel('Name', { exact: true }).fill('Ivy Initech');
  await page.getByLabel('Email', { exact: true }).fill('ivy@initech.example');
  await page.getByRole('button', { name: 'Add account', exact: true }).click();
  await expect(statusMessage(page)).toHaveText('Invitation sent to ivy@initech.example.');
  await expect(page).toHaveURL((url) => url.pathname.startsWith('/admin/customers/') && url.search === '');
  await expect(page.locator('body')).not.toContainText('set-password');
  const invitation = await emailTo('ivy@initech.example', tenant.company, /gave you access/);
  await hydrated(page);

  // Sell an Organisation license with Ivy as its owner: she becomes its manager.
  await page.getByLabel('Type', { exact: true }).selectOption('organisation');
  await page.getByLabel('Owner', { exact: true }).selectOption({ label: 'Ivy Initech <ivy@initech.example>' });
  await page.getByLabel('Subscriptions bought', { exact: true }).fill('2');
  await page.getByRole('button', { name: 'Sell license', exact: true }).click();
  await expect(statusMessage(page)).toHaveText('The license was created.');
  await expect(page.getByTestId('license-key')).toHaveText(/^KP-/);
  const key = (await page.getByTestId('license-key').textContent())!.trim();
  await expect(page).toHaveURL((url) => url.pathname.startsWith('/admin/licenses/') && url.search === '');
  expect(page.url()).not.toContain(key);
  await expectCounts(page, { seats: '1 / 10', devices: '0 / 20', deactivations: '0 / 3' });
  // The key is shown once: Keyport keeps only its hash.
  await hydrated(page);
  await page.reload();
  await expect(page.getByRole('heading', { name: 'CodeGlass', exact: true })).toBeVisible();
  await expect(page.getByTestId('license-key')).toHaveCount(0);

  // The sale emails Ivy her credentials (a new link: the invitation's no longer works). She sets her
  // password with it and sees the license as its manager.
  const credentials = await emailTo('ivy@initech.example', tenant.company, /license portal account/);
  expect(credentials.text).toContain('you manage it');
  expect(credentials.link).not.toBe(invitation.link);
  const ivy = await newContext(browser);
  const ivyPage = await ivy.newPage();
  await ivyPage.goto(credentials.link!);
  await hydrated(ivyPage);
  await ivyPage.getByLabel('New password', { exact: true }).fill('ivy-password-1');
  await ivyPage.getByLabel('Confirm password', { exact: true }).fill('ivy-password-1');
  await ivyPage.getByRole('button', { name: 'Set password', exact: true }).click();
  await expect(ivyPage).toHaveURL((url) => url.pathname === '/login');
  await login(ivyPage, tenant.company, 'ivy@initech.example', 'ivy-password-1');
  await expect(ivyPage.getByTestId('role')).toHaveText('License manager');
  await ivyPage.getByRole('link', { name: 'Licenses', exact: true }).click();
  const rows = ivyPage.getByTestId('license-row');
  await expect(rows).toHaveCount(1);
  await expect(rows).toContainText('1 / 10');
  await ivy.close();
});

test('a customer at the deactivation limit is refused; the vendor admin lifts it and the reset works', async ({
  page,
  browser,
  tenant,
}) => {
  await loginAs(page, tenant, 'manager');
  const licensePath = await openDevicesTab(page);
  await resetDevice(page, "Uma's laptop", 2);
  await resetDevice(page, "Uma's desktop", 1);
  await resetDevice(page, "Morgan's MacBook", 0);
  const refused = await openResetDialog(page, "Morgan's workstation");
  await refused.getByRole('button', { name: 'Reset device', exact: true }).click();
  await expect(alertMessage(page)).toContainText('The deactivation limit is reached');

  const vendor = await newContext(browser);
  const admin = await vendor.newPage();
  await loginAs(admin, tenant, 'vendor');
  await admin.getByRole('link', { name: 'Acme Corp', exact: true }).click();
  await expect(admin.getByRole('heading', { name: 'Acme Corp', exact: true })).toBeVisible();
  await admin.getByTestId('admin-license-row').getByRole('link').click();
  await expect(admin.getByTestId('deactivations')).toHaveText('3 / 3');
  await hydrated(admin);
  await admin.getByLabel('Reason', { exact: true }).fill('Replaced three laptops');
  await admin.getByRole('button', { name: 'Reset deactivation limit', exact: true }).click();
  await expect(statusMessage(admin)).toHaveText(
    'The deactivation limit was reset: every deactivation is available again.',
  );
  await expect(admin.getByTestId('deactivations')).toHaveText('0 / 3');

  // The tenant's audit log says who lifted it and why.
  await admin.goto('/admin/audit?kind=license');
  const row = admin.getByTestId('audit-row').filter({ hasText: 'Deactivation limit reset by the vendor' });
  await expect(row).toHaveCount(1);
  await expect(row).toContainText('Vera Vendor');
  await expect(row).toContainText('Replaced three laptops');
  await vendor.close();

  // Back at the customer: the reset that was refused now works.
  await page.goto(`${licensePath}/devices`);
  await hydrated(page);
  await resetDevice(page, "Morgan's workstation", 2);
});

test('a vendor admin reveals the LicenseSpring shared key and rotates it', async ({ page, tenant }) => {
  await loginAs(page, tenant, 'vendor');
  await page.getByRole('link', { name: 'LicenseSpring SDK', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'LicenseSpring SDK', exact: true })).toBeVisible();
  await expect(page.getByTestId('api-key')).toHaveText(/^[0-9a-f-]{36}$/);
  await expect(page.getByLabel('Public key (PEM)', { exact: true })).toHaveValue(/^-----BEGIN PUBLIC KEY-----\n/);
  // The shared key is not in the page until asked for, and never in the address.
  await expect(page.getByTestId('shared-key')).toHaveCount(0);
  await hydrated(page);
  await page.getByRole('link', { name: 'Reveal', exact: true }).click();
  await expect(page.getByTestId('shared-key')).toHaveText(/^[0-9a-f]{64}$/);
  const before = (await page.getByTestId('shared-key').textContent())!.trim();
  expect(page.url()).not.toContain(before);

  await hydrated(page);
  await page.getByRole('link', { name: 'Rotate shared key', exact: true }).click();
  const dialog = page.getByRole('alertdialog', { name: 'Rotate the shared key?' });
  await dialog.getByRole('button', { name: 'Rotate now', exact: true }).click();
  await expect(statusMessage(page)).toHaveText(
    'The shared key was rotated. Apps built with the old one are refused until they are rebuilt with the new one.',
  );
  await expect(page.getByTestId('shared-key')).toHaveText(/^[0-9a-f]{64}$/);
  const after = (await page.getByTestId('shared-key').textContent())!.trim();
  expect(after).not.toBe(before);
  expect(page.url()).not.toContain(after);

  await page.goto('/admin/audit?kind=signing_key');
  const row = page.getByTestId('audit-row').filter({ hasText: 'LicenseSpring shared key rotated' });
  await expect(row).toHaveCount(1);
  await expect(row).not.toContainText(after);
});

test('a vendor admin sets the email settings; a wrong address is refused and changes nothing', async ({ page, tenant }) => {
  await loginAs(page, tenant, 'vendor');
  await page.getByRole('link', { name: 'Email', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'Email settings', exact: true })).toBeVisible();
  await hydrated(page);
  const language = page.getByLabel('Language of email to people who never chose one', { exact: true });
  const support = page.getByLabel('Support address (replies go here)', { exact: true });
  await expect(language).toHaveValue('en');

  await language.selectOption('de');
  await support.fill('help@localhost');
  await page.getByRole('button', { name: 'Save email settings', exact: true }).click();
  await expect(page.getByRole('alert')).toContainText('Support email');
  await page.goto('/admin/outbox');
  await expect(language).toHaveValue('en');
  await expect(support).toHaveValue('');

  await hydrated(page);
  await language.selectOption('de');
  await support.fill('help@vendor.example');
  await page.getByRole('button', { name: 'Save email settings', exact: true }).click();
  await expect(statusMessage(page)).toHaveText('The email settings were saved.');
  await page.reload();
  await expect(language).toHaveValue('de');
  await expect(support).toHaveValue('help@vendor.example');
});

test('a vendor admin makes a management key, sees it once, the API takes it until it is revoked', async ({
  page,
  request,
  tenant,
}) => {
  await loginAs(page, tenant, 'vendor');
  await page.getByRole('link', { name: 'Integrations', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'Integrations', exact: true })).toBeVisible();
  await expect(page.getByTestId('no-keys')).toBeVisible();
  await hydrated(page);
  await page.getByLabel('Name', { exact: true }).fill('Web shop');
  await page.getByRole('button', { name: 'Create key', exact: true }).click();
  await expect(statusMessage(page)).toHaveText('The key Web shop was created.');
  const key = (await page.getByTestId('api-key').textContent())!.trim();
  expect(key).toMatch(/^kp_[0-9a-f]{64}$/);
  expect(page.url()).not.toContain(key);

  const customers = () =>
    request.get('/api/v1/manage/customers', { headers: { authorization: `Bearer ${key}` } });
  const listed = await customers();
  expect(listed.status()).toBe(200);
  expect((await listed.json()).items.map((c: { name: string }) => c.name)).toContain('Acme Corp');

  // Shown once: the page shows its first characters and when it was last used, never the key.
  await page.reload();
  await expect(page.getByTestId('api-key')).toHaveCount(0);
  await expect(page.locator('body')).not.toContainText(key);
  const row = page.getByTestId('api-key-row').filter({ hasText: 'Web shop' });
  await expect(row).toContainText(key.slice(0, 12));
  await expect(row).not.toContainText('Never');

  await hydrated(page);
  await row.getByRole('button', { name: 'Revoke Web shop', exact: true }).click();
  await expect(statusMessage(page)).toHaveText('The key was revoked. Requests with it are refused from now on.');
  await expect(row).toContainText('Revoked');
  const refused = await customers();
  expect(refused.status()).toBe(401);
  expect((await refused.json()).error).toBe('invalid_key');

  await page.goto('/admin/audit?kind=signing_key');
  await expect(page.getByTestId('audit-row').filter({ hasText: 'Management API key created' })).toHaveCount(1);
  await expect(page.getByTestId('audit-row').filter({ hasText: 'Management API key revoked' })).toHaveCount(1);
});

test('a refused key name changes nothing', async ({ page, tenant }) => {
  await loginAs(page, tenant, 'vendor');
  await page.goto('/admin/integrations');
  await hydrated(page);
  // The browser takes spaces (the field is only `required`); Keyport does not.
  await page.getByLabel('Name', { exact: true }).fill('   ');
  await page.getByRole('button', { name: 'Create key', exact: true }).click();
  await expect(alertMessage(page)).toContainText('Name');
  await page.goto('/admin/integrations');
  await expect(page.getByTestId('no-keys')).toBeVisible();
});

test('a vendor admin registers a webhook endpoint, sees its secret once and deletes it', async ({ page, tenant }) => {
  await loginAs(page, tenant, 'vendor');
  await page.goto('/admin/integrations');
  await expect(page.getByTestId('no-webhooks')).toBeVisible();
  await hydrated(page);
  await page.getByLabel('Endpoint address', { exact: true }).fill('https://hooks.example/keyport');
  // Every event is ticked; this endpoint takes two.
  for (const event of ['license.created', 'license.updated', 'device.deactivated', 'device.limit_refused',
    'deactivation_limit.reached', 'seat.assigned', 'seat.unassigned', 'license.resumed']) {
    await page.getByLabel(event, { exact: true }).uncheck();
  }
  await page.getByRole('button', { name: 'Add endpoint', exact: true }).click();
  await expect(statusMessage(page)).toHaveText('The endpoint https://hooks.example/keyport was added.');
  const secret = (await page.getByTestId('webhook-secret').textContent())!.trim();
  expect(secret).toMatch(/^whsec_[0-9a-f]{64}$/);
  const row = page.getByTestId('webhook-row');
  await expect(row).toHaveCount(1);
  await expect(row).toContainText('license.suspended, device.activated');

  await page.reload();
  await expect(page.getByTestId('webhook-secret')).toHaveCount(0);
  await expect(page.locator('body')).not.toContainText(secret);
  await hydrated(page);
  await row.getByRole('button', { name: 'Delete https://hooks.example/keyport', exact: true }).click();
  await expect(statusMessage(page)).toHaveText('The endpoint was deleted. Nothing more is sent to it.');
  await expect(page.getByTestId('no-webhooks')).toBeVisible();
});
