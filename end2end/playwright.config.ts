import { defineConfig } from '@playwright/test';
import { BASE_URL, CSR_URL, DATABASE_URL, KEYPORT_BIN, MAILDIR, REPO_ROOT, SMTP_ADDR, listenAddr } from './fixtures/env';

// The machine's network is closed: without these flags Chromium keeps trying to reach Google services.
const chromiumArgs = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

// Playwright starts the webServer before globalSetup, so the fresh database is made in the command itself.
const serverCommand = [
  `test -x ${KEYPORT_BIN} || { echo "${KEYPORT_BIN} is missing: make release (or the Rust tests, for target/debug/keyport) builds it" >&2; exit 1; }`,
  'rm -rf target/e2e',
  'mkdir -p target/e2e',
  `exec ${KEYPORT_BIN}`,
].join(' && ');

export default defineConfig({
  testDir: './tests',
  reporter: 'list',
  workers: 2,
  retries: 0,
  fullyParallel: true,
  forbidOnly: !!process.env.CI,
  timeout: 30_000,
  expect: { timeout: 10_000 },
  use: {
    baseURL: BASE_URL,
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath: '/usr/bin/chromium',
      args: chromiumArgs,
    },
  },
  // Every test runs both ways: hydrated by the WASM, and as plain server-rendered HTML forms.
  projects: [
    { name: 'hydrated', use: { browserName: 'chromium', javaScriptEnabled: true } },
    { name: 'no-js', use: { browserName: 'chromium', javaScriptEnabled: false } },
  ],
  webServer: [
    // A real SMTP server the portal delivers its email to; fixtures/mail.ts reads what it received.
    {
      command: `sh -c 'rm -rf ${MAILDIR} && exec tools/venv/bin/python -m aiosmtpd -n -l ${SMTP_ADDR} -c aiosmtpd.handlers.Mailbox ${MAILDIR}'`,
      cwd: REPO_ROOT,
      port: Number(SMTP_ADDR.split(':')[1]),
      reuseExistingServer: false,
      timeout: 30_000,
      stdout: 'ignore',
      stderr: 'pipe',
    },
    {
      command: `sh -c '${serverCommand}'`,
      cwd: REPO_ROOT,
      env: {
        DATABASE_URL,
        KEYPORT_ADDR: listenAddr(),
        LEPTOS_SITE_ADDR: listenAddr(),
        LEPTOS_SITE_ROOT: 'target/site',
        KEYPORT_DEMO: 'false',
        // Email goes to the SMTP server above, its links to the portal under test.
        KEYPORT_SMTP_URL: `smtp://${SMTP_ADDR}`,
        KEYPORT_MAIL_FROM: 'licenses@keyport.test',
        KEYPORT_PUBLIC_URL: BASE_URL,
        // Every test logs in from 127.0.0.1 and some fail on purpose; the per-address limit is for
        // attackers (server/tests/security.rs tests it), not for one suite's worth of wrong passwords.
        KEYPORT_THROTTLE_ADDRESS_FAILURES: '100000',
        RUST_BACKTRACE: '0',
        // The Trunk build (tests/csr.spec.ts) calls through csr-server.mjs with its own Origin. Chromium
        // also marks those calls same-origin, which the server accepts; allowing the origin keeps the
        // test independent of that.
        KEYPORT_ALLOWED_ORIGINS: new URL(CSR_URL).origin,
      },
      url: `${BASE_URL}/health`,
      // Always our own server on its own port and fresh database: a dev server on :3000 is never reused.
      reuseExistingServer: false,
      timeout: 120_000,
      stdout: 'ignore',
      stderr: 'pipe',
    },
    // dist/ from `make csr` (Trunk), with /api and /health proxied to the server above. Started after
    // it, so its /health answers once both are up; it never builds, so a missing dist/ fails csr.spec.ts
    // only.
    {
      command: 'node end2end/fixtures/csr-server.mjs',
      cwd: REPO_ROOT,
      env: {
        KEYPORT_CSR_ADDR: listenAddr(CSR_URL),
        KEYPORT_BACKEND_URL: BASE_URL,
        KEYPORT_DIST: 'dist',
      },
      url: `${CSR_URL}/health`,
      reuseExistingServer: false,
      timeout: 30_000,
      stdout: 'ignore',
      stderr: 'pipe',
    },
  ],
});
