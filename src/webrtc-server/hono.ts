import type { Context } from 'hono';
import { createWebRTCReportHandler } from './handler.js';
import type { WebRTCReportOptions } from './options.js';
import { declaredTooLarge, readStreamBody } from './read-body.js';
import type { HonoHandler } from '../http-shapes.js';

/**
 * Hono route handler for browser WebRTC reports (`app.post('/calltrace/webrtc', …)`). Reads at
 * most `maxBytes` of the body; answers 204, or 400/403 with a short reason and opens nothing.
 * Web-standard only.
 */
export function webrtcReportHono(options: WebRTCReportOptions = {}): HonoHandler {
  const { handle, maxBytes } = createWebRTCReportHandler(options);
  return async (c: Context): Promise<Response> => {
    if (declaredTooLarge(c.req.header('content-length'), maxBytes))
      return c.text('report too large', 400);
    const bytes = await readStreamBody(c.req.raw.body, maxBytes);
    if (!bytes) return c.text('report too large', 400);
    const result = handle(bytes);
    if (result.status === 204) return c.body(null, 204);
    return c.text(result.error ?? 'bad report', result.status);
  };
}
