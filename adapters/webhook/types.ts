import type { InvitedCall } from '../kit.js';

/** A webhook request as the framework-free handlers see it. */
export interface WebhookRequest {
  /** The full URL the server received (scheme, host, path, query). */
  url: string;
  /** A request header by lower-case name. */
  header(name: string): string | undefined;
  /** The raw body, when the binding has it (read under the handler's `maxBody`). */
  body?: string;
  /** The body an Express parser in front already turned into fields (`express.urlencoded`). */
  form?: Record<string, unknown>;
}

/** What the bindings do with a request: answer it, or run the route (with a call). */
export type WebhookOutcome =
  | { kind: 'reject'; status: number; message: string }
  | {
      kind: 'pass';
      /** Values for `res.locals` / `c.set` (e.g. `openaiEvent`). */
      locals: Record<string, unknown>;
      /** The call the webhook opened, if any (`res.locals.call` / `c.get('call')`). */
      opened?: InvitedCall;
      /** Called once with the route's HTTP status when the response is done. */
      settle(status: number): void;
    };

/** One provider's webhook: verify, parse, open the call. Never throws, never rejects. */
export interface WebhookHandler {
  (request: WebhookRequest): Promise<WebhookOutcome>;
  /** Bodies longer than this are refused (413) before they are read whole. */
  maxBody: number;
}

/** Bodies larger than this are not webhooks: 256 KiB. */
export const MAX_WEBHOOK_BODY = 256 * 1024;

export const reject = (status: number, message: string): WebhookOutcome => ({
  kind: 'reject',
  status,
  message,
});
