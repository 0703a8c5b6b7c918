import { defineConfig } from '@playwright/test';
import { BASE_URL, DATABASE_URL, KEYPORT_BIN, REPO_ROOT, listenAddr } from './fixtures/env';

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
  `test -x ${KEYPORT_BIN} || { echo "${KEYPORT_BIN} is missing: run cargo leptos build --release first" >&2; exit 1; }`,
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
  webServer: {
    command: `sh -c '${serverCommand}'`,
    cwd: REPO_ROOT,
    env: {
      DATABASE_URL,
      KEYPORT_ADDR: listenAddr(),
      LEPTOS_SITE_ADDR: listenAddr(),
      LEPTOS_SITE_ROOT: 'target/site',
      KEYPORT_DEMO: 'false',
      RUST_BACKTRACE: '0',
    },
    url: `${BASE_URL}/health`,
    // Always our own server on its own port and fresh database: a dev server on :3000 is never reused.
    reuseExistingServer: false,
    timeout: 120_000,
    stdout: 'ignore',
    stderr: 'pipe',
  },
});
