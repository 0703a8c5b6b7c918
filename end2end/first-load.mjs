// The bytes a browser transfers on a cold first load of the login page and of a license's Devices
// tab (signed in), for `make bench`: every response of the page and of its service worker, as sent
// over the wire (compressed). Prints one JSON line.
//
// node end2end/first-load.mjs BASE_URL SESSION_COOKIE DEVICES_PATH   (SESSION_COOKIE: name=value)
import { chromium } from 'playwright';

const [base, sessionCookie, devicesPath] = process.argv.slice(2);
if (!devicesPath || !sessionCookie.includes('=')) {
  console.error('usage: first-load.mjs BASE_URL SESSION_COOKIE DEVICES_PATH');
  process.exit(2);
}

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'],
});

// Loads `path` in a fresh context (no cache, no service worker) with `cookies`, and sums the
// encoded bytes of every response: the page's own, and the service worker's while it installs.
async function coldLoad(path, cookies) {
  const context = await browser.newContext();
  if (cookies) await context.addCookies(cookies);
  const page = await context.newPage();
  let bytes = 0;
  const count = async (cdp) => {
    cdp.on('Network.loadingFinished', (event) => {
      bytes += event.encodedDataLength;
    });
    await cdp.send('Network.enable');
  };
  await count(await context.newCDPSession(page));
  context.on('serviceworker', async (worker) => {
    try {
      await count(await context.newCDPSession(worker));
    } catch {
      // The worker finished before it could be watched.
    }
  });
  const response = await page.goto(base + path, { waitUntil: 'networkidle' });
  if (!response || response.status() !== 200) throw new Error(`GET ${path}: ${response?.status()}`);
  // Hydration done and the service worker installed: nothing more is coming.
  await page.waitForTimeout(1500);
  await page.waitForLoadState('networkidle');
  await context.close();
  return bytes;
}

try {
  const login = await coldLoad('/login');
  const [name, ...value] = sessionCookie.split('=');
  const devices = await coldLoad(devicesPath, [{ name, value: value.join('='), url: base }]);
  console.log(JSON.stringify({ login, devices }));
} finally {
  await browser.close();
}
