/**
 * What our Express and Hono bindings return, described structurally so that the public types
 * of `calltrace/store`, `calltrace/twilio`, `calltrace/openai-sip` and `calltrace/webrtc-server`
 * import neither express nor hono: an app that uses one framework (or none) typechecks with
 * `skipLibCheck: false` without the other's types installed. Inside, the bindings keep the
 * frameworks' real types. The parameters are `any` on purpose: these values are only handed
 * to `app.use`/`app.post`, which call them with their own request types.
 */

/** Express middleware or route handler: pass it to `app.use(…)`, `app.post(…)`. */
export type ExpressHandler = (req: any, res: any, next: (error?: unknown) => void) => void;

/** Hono middleware or handler: pass it to `app.use(…)`, `app.post(…)`. */
export type HonoHandler = (c: any, next: () => Promise<void>) => Promise<Response | void>;
