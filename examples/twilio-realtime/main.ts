export {};

/**
 * `npx tsx examples/twilio-realtime/main.ts`
 * Without OPENAI_API_KEY: the offline run (fake Realtime API, simulated Twilio).
 * With it: listens on PORT (default 3000) for your Twilio number's voice webhook.
 */
if (!process.env.OPENAI_API_KEY) {
  await import('./offline.js');
} else {
  const { startLive } = await import('./live.js');
  await startLive();
}
