// The vendor console's import: an upload refused, then a LicenseSpring export uploaded, followed
// while it runs (polling once hydrated, reloading itself without JavaScript), its report shown and
// downloaded, and the set-password emails sent to the people it brought in.
import { alertMessage, expect, hydrated, loginAs, statusMessage, test } from '../fixtures/keyport';
import { emailTo } from '../fixtures/mail';

test('a vendor uploads a LicenseSpring export, follows it to its report and invites the people it brought in', async ({
  page,
  tenant,
}) => {
  await loginAs(page, tenant, 'vendor');
  await page.getByRole('link', { name: 'Import', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'Import from LicenseSpring', exact: true })).toBeVisible();
  await hydrated(page);

  // Nothing chosen: refused, nothing queued.
  await page.getByRole('button', { name: 'Start the import', exact: true }).click();
  await expect(alertMessage(page)).toContainText('choose at least one file');
  await expect(page.getByTestId('imports-empty')).toBeVisible();

  // Keys are unique on a server: this tenant's own.
  const tag = tenant.company.toUpperCase();
  const licenses = [
    'license__id,license__license_key,product__short_code,customer__email,customer__first_name,customer__last_name,customer__company_name,license__max_activations,license__max_license_users',
    `900001,IMPA-${tag},cgdesk,ada@northwind.example,Ada,Byron,Northwind Traders,3,5`,
    `900002,IMPB-${tag},cgdesk,eve@contoso.example,Eve,Moneypenny,Contoso,1,1`,
  ].join('\n');
  const users = [
    '{"license": 900002, "email": "eve@contoso.example", "is_manager": true}',
    '{"license": 900002, "email": "bob@contoso.example", "first_name": "Bob"}',
  ].join('\n');
  const file = (name: string, text: string) => ({ name, mimeType: 'text/plain', buffer: Buffer.from(text) });
  await hydrated(page);
  await page.getByTestId('licenses-file').setInputFiles(file('licenses.csv', licenses));
  await page.getByTestId('users-file').setInputFiles(file('users.jsonl', users));
  await page.getByRole('button', { name: 'Start the import', exact: true }).click();
  await expect(page).toHaveURL((url) => /^\/admin\/import\/[^/]+$/.test(url.pathname));

  // The server's runner takes it within a second or two; the page follows it to its end.
  await expect(page.getByTestId('import-status')).toHaveText('Done', { timeout: 20_000 });
  const report = page.getByTestId('import-report');
  await expect(report).toContainText('Licenses: 2 created, 0 already there');
  await expect(report).toContainText('users file, line 2: Max license users number reached (1)');

  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByTestId('report-download').click(),
  ]);
  expect(download.suggestedFilename()).toMatch(/^import-.+\.txt$/);

  // Ada and Eve came in without a password: one email each.
  await page.getByRole('link', { name: 'All imports', exact: true }).click();
  await expect(page.getByTestId('import-row')).toHaveCount(1);
  await expect(page.getByTestId('awaiting-password')).toHaveText(
    '2 imported people have no password yet and no usable set-password link.',
  );
  await hydrated(page);
  await page.getByRole('button', { name: 'Send set-password emails', exact: true }).click();
  await expect(statusMessage(page)).toContainText('2 set-password invitations queued');
  await expect(page.getByTestId('awaiting-password')).toHaveText(
    '0 imported people have no password yet and no usable set-password link.',
  );
  const invitation = await emailTo('eve@contoso.example', tenant.company, /gave you access/);
  expect(invitation.link).toContain('/set-password?token=');
});
