/** The app Twilio talks to: the voice webhook and the media stream, on one port. */
import { createServer, type Server } from 'node:http';
import express from 'express';
import { WebSocketServer } from 'ws';
import { CallRegistry, twilioWebhookExpress } from 'calltrace/twilio';
import { bridgeMediaStream, type BridgeOptions } from './media-bridge.js';

export interface ServerOptions extends Omit<BridgeOptions, 'calls'> {
  twilioAuthToken: string;
  /** The public base URL Twilio reaches (for signatures and the stream URL), e.g. https://x.ngrok.app */
  publicUrl?: string;
}

export function createVoiceServer(options: ServerOptions): { server: Server; calls: CallRegistry } {
  const calls = new CallRegistry();
  const app = express();
  app.post(
    '/twilio/voice',
    express.urlencoded({ extended: false }),
    twilioWebhookExpress({
      authToken: options.twilioAuthToken,
      registry: calls,
      ...(options.publicUrl ? { publicUrl: () => `${options.publicUrl}/twilio/voice` } : {}),
    }),
    (req, res) => {
      const host = options.publicUrl ? new URL(options.publicUrl).host : req.get('host');
      const scheme = options.publicUrl?.startsWith('https') ? 'wss' : 'ws';
      res
        .type('text/xml')
        .send(
          `<Response><Connect><Stream url="${scheme}://${host}/media-stream"/></Connect></Response>`,
        );
    },
  );
  const server = createServer(app);
  const wss = new WebSocketServer({ server, path: '/media-stream' });
  wss.on('connection', (socket) => bridgeMediaStream(socket, { ...options, calls }));
  return { server, calls };
}
