import type { NextFunction, Request, Response } from 'express';
import { createLookupPage, type LookupPageOptions } from './lookup-page.js';
import type { ExpressHandler } from '../../http-shapes.js';

/**
 * The lookup page as Express middleware: `app.use('/calls', callLookupRouter({ index }))`.
 * Answers GET/HEAD only; anything else goes to `next()`.
 */
export function callLookupRouter(options: LookupPageOptions): ExpressHandler {
  const handle = createLookupPage(options);
  return (req: Request, res: Response, next: NextFunction) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return next();
    const q = typeof req.query.q === 'string' ? req.query.q : undefined;
    handle(req.baseUrl, req.path, q).then(
      (r) => res.status(r.status).set(r.headers).send(r.body),
      next,
    );
  };
}
