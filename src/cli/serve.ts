import { createServer, type Server } from 'node:http';
import type { CallIndex } from '../store/call-index.js';
import { createLookupPage } from '../store/page/lookup-page.js';

/** The lookup page on a plain Node HTTP server, loopback only: no Express or Hono needed. */
export function serveLookupPage(
  index: CallIndex,
  spansFile: string | undefined,
  port: number,
): Promise<Server> {
  const handle = createLookupPage({ index, spansFile });
  const server = createServer((req, res) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return void res.writeHead(405).end();
    let url: URL;
    try {
      url = new URL(req.url ?? '/', 'http://127.0.0.1');
    } catch {
      return void res.writeHead(400).end();
    }
    handle('', url.pathname, url.searchParams.get('q') ?? undefined).then(
      (page) =>
        res.writeHead(page.status, page.headers).end(req.method === 'HEAD' ? '' : page.body),
      () => res.writeHead(500).end('lookup failed'),
    );
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve(server));
  });
}
