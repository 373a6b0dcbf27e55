/**
 * The edge lifecycle (calltrace/edge) on the paths a Durable Object runs once per call and once
 * per activation, against the plain `startCall` + `end` it replaces (one span each):
 * 1. `openEdgeCall`: start the root, snapshot it, end it at once. Target ≤ 1.5x.
 * 2. `resumeCall`: validate a stored snapshot, rebuild the root context, record `call.resume`.
 *    Target ≤ 1.5x.
 * 3. The snapshot's JSON round trip (what storage / `serializeAttachment` costs) vs one span.
 */
import { trace } from '@opentelemetry/api';
import { BasicTracerProvider, NoopSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { startCall } from '../src/call.js';
import { openEdgeCall, resumeCall } from '../src/edge/index.js';
import { measure, report } from './harness.js';

trace.setGlobalTracerProvider(
  new BasicTracerProvider({ spanProcessors: [new NoopSpanProcessor()] }),
);

const stored = JSON.parse(JSON.stringify(openEdgeCall({ callId: 'bench' }).snapshot));
let sink = 0;

const [plain, open, resume, roundTrip] = await measure(
  [
    { name: 'startCall+end', fn: () => startCall({ callId: 'bench' }).end() },
    { name: 'openEdgeCall', fn: () => (sink += openEdgeCall({ callId: 'bench' }).callId.length) },
    { name: 'resumeCall', fn: () => (sink += resumeCall(stored)!.callId.length) },
    { name: 'snapshot JSON', fn: () => (sink += JSON.stringify(stored).length) },
  ],
  { iterations: 5_000 },
);
report('open a call at the edge', open!, plain!, { max: 1.5 });
report('resume after a wake', resume!, plain!, { max: 1.5 });
report('persist the snapshot', roundTrip!, plain!);
if (sink < 0) console.log(sink);
