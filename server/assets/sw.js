// Keyport's service worker: keeps the app's static assets and the offline page, and nothing else.
//
// Pages are never stored (a signed-in page holds someone's data) and server functions are not
// touched (they are POSTs). The server writes a hash of the assets into VERSION, so a new release
// is a new worker with a cache of its own, and the old cache is dropped when it takes over.
const VERSION = '__KEYPORT_ASSETS_VERSION__';
const CACHE = `keyport-${VERSION}`;
// What every page loads, at the versioned addresses its pages name (server/src/assets.rs): the WASM,
// its glue, the split WASM's loader and the stylesheet; the server writes the list into FILES.
const PKG = `/pkg/${VERSION}/`;
const FILES = __KEYPORT_ASSET_FILES__;
const ASSETS = FILES.map((name) => PKG + name).concat(['/favicon.svg']);
const OFFLINE_PAGE = '/offline';
const OFFLINE_SCRIPT = '/offline.js';

self.addEventListener('install', (event) => {
  event.waitUntil(
    caches
      .open(CACHE)
      // `no-cache`: the HTTP cache's copy only once the server confirmed it (304) is this release's,
      // so the assets the page itself just loaded are not downloaded a second time.
      .then((cache) => cache.addAll([...ASSETS, OFFLINE_PAGE, OFFLINE_SCRIPT].map((url) => new Request(url, { cache: 'no-cache' }))))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) => Promise.all(keys.filter((key) => key.startsWith('keyport-') && key !== CACHE).map((key) => caches.delete(key))))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;

  if (request.mode === 'navigate') {
    // Online: the server's page, never stored. Offline: the offline page instead of the browser's error.
    event.respondWith(fetch(request).catch(() => caches.match(OFFLINE_PAGE)));
    return;
  }
  if (url.pathname === OFFLINE_SCRIPT) {
    event.respondWith(fetch(request).catch(() => caches.match(OFFLINE_SCRIPT)));
    return;
  }
  // Also the pieces of the split WASM a page fetched when it needed them, not stored beforehand
  // (that would download the vendor console for every customer).
  if (ASSETS.includes(url.pathname) || url.pathname.startsWith(PKG)) {
    // Network first: the assets always match the HTML the server just sent; the copy is for offline.
    event.respondWith(
      fetch(request)
        .then((response) => {
          if (response.ok) {
            const copy = response.clone();
            event.waitUntil(caches.open(CACHE).then((cache) => cache.put(url.pathname, copy)));
          }
          return response;
        })
        .catch(() => caches.match(url.pathname).then((hit) => hit || Response.error())),
    );
  }
});
