/**
 * Hands the report to the browser so it survives the page closing: `sendBeacon` first, then
 * `fetch` with `keepalive`. Sent as `text/plain` (a CORS-safelisted type: no preflight).
 * Never throws; returns whether the browser accepted it.
 */
export function sendReport(url: string, json: string): boolean {
  try {
    if (typeof navigator !== 'undefined' && typeof navigator.sendBeacon === 'function') {
      if (navigator.sendBeacon(url, json)) return true;
    }
  } catch {}
  try {
    if (typeof fetch !== 'function') return false;
    fetch(url, {
      method: 'POST',
      body: json,
      keepalive: true,
      headers: { 'content-type': 'text/plain;charset=UTF-8' },
    }).catch(() => undefined);
    return true;
  } catch {
    return false;
  }
}
