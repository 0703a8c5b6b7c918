// The offline page's only script: when the server answers again, load the page that was asked for.
// (A timed <meta refresh> would do it without script but reloads under the reader's eyes, which
// WCAG 2.2.1 rules out; this reloads only once the portal is back.)
async function backOnline() {
  try {
    const response = await fetch('/health', { cache: 'no-store' });
    if (response.ok) location.reload();
  } catch {
    // Still offline: the next try comes.
  }
}
window.addEventListener('online', backOnline);
setInterval(backOnline, 5000);
