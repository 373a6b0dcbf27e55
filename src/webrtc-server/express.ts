import type { Request, Response } from 'express';
import { createWebRTCReportHandler, type ReportBody } from './handler.js';
import type { WebRTCReportOptions } from './options.js';
import { declaredTooLarge, readIterableBody } from './read-body.js';
import type { ExpressHandler } from '../http-shapes.js';

/**
 * Express route handler for browser WebRTC reports (`app.post('/calltrace/webrtc', …)`). Needs no
 * body parser: it reads at most `maxBytes` itself, or uses a body one already parsed. Answers
 * 204, or 400/403 with a short reason and opens nothing.
 */
export function webrtcReportExpress(options: WebRTCReportOptions = {}): ExpressHandler {
  const { handle, maxBytes } = createWebRTCReportHandler(options);
  return (req: Request, res: Response) => {
    const reply = (body: ReportBody) => {
      const result = handle(body);
      if (result.status === 204) res.status(204).end();
      else res.status(result.status).type('text/plain').send(result.error);
    };
    const tooLarge = () =>
      res.status(400).set('connection', 'close').type('text/plain').send('report too large');
    if (req.body !== undefined) return reply(req.body as ReportBody);
    if (declaredTooLarge(req.get('content-length'), maxBytes)) return tooLarge();
    readIterableBody(req, maxBytes).then((bytes) => (bytes ? reply(bytes) : tooLarge()));
  };
}
