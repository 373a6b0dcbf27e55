import type { Context } from 'hono';
import { createLookupPage, type LookupPageOptions } from './lookup-page.js';
import type { HonoHandler } from '../../http-shapes.js';

/**
 * The lookup page as a Hono handler, mounted on a path and its subpaths:
 * `app.get('/calls', h); app.get('/calls/*', h)` with `h = callLookupRoute({ index })`.
 */
export function callLookupRoute(options: LookupPageOptions): HonoHandler {
  const handle = createLookupPage(options);
  return async (c: Context): Promise<Response> => {
    const base = c.req.routePath.replace(/\/\*$/, '');
    const path = c.req.path.startsWith(base) ? c.req.path.slice(base.length) : c.req.path;
    const r = await handle(base, path || '/', c.req.query('q'));
    return c.html(r.body, r.status as 200, r.headers);
  };
}
