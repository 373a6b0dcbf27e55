/**
 * WebRTC reports. 1. Server: one typical browser report (20 timeline entries) validated and
 *    written as a span, vs writing the very same span from the parsed JSON without any checks
 *    (what validation and the handler add). Target ≤ 1.5x.
 * 2. Browser: one timeline entry recorded by the bounded recorder vs pushing the same entry
 *    onto a plain array. Target ≤ 3x (a peer connection has a few dozen entries in all).
 */
import { trace } from '@opentelemetry/api';
import { BasicTracerProvider, NoopSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { createWebRTCReportHandler } from '../src/webrtc-server/index.js';
import { recordReportSpan } from '../src/webrtc-server/span.js';
import { Timeline } from '../src/webrtc/timeline.js';
import type { ReportEvent, WebRTCReport } from '../src/webrtc/report.js';
import { measure, report } from './harness.js';

const provider = new BasicTracerProvider({ spanProcessors: [new NoopSpanProcessor()] });
trace.setGlobalTracerProvider(provider);
const tracer = provider.getTracer('bench');
const PARENT = {
  traceId: '0af7651916cd43dd8448eb211c80319c',
  spanId: 'b7ad6b7169203331',
  traceFlags: 1,
};

const states = ['new', 'checking', 'connected', 'completed'];
const events: ReportEvent[] = Array.from({ length: 20 }, (_, i) => ({
  t: i * 7,
  e: i % 2 ? 'ice_connection' : 'connection',
  v: states[i % 4] === 'completed' && i % 2 === 0 ? 'connecting' : states[i % 4]!,
}));
const body = JSON.stringify({
  v: 1,
  traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
  callId: 'call-1',
  elapsedMs: 400,
  outcome: 'connected',
  connectedMs: 120,
  firstCandidateMs: { host: 10, srflx: 80 },
  selectedPair: { local: 'srflx', remote: 'host', protocol: 'udp', rttMs: 12.5 },
  iceRestarts: 0,
  droppedEvents: 0,
  events,
} satisfies WebRTCReport);

const { handle } = createWebRTCReportHandler();
if (handle(body).status !== 204) throw new Error('bench report rejected');

const [server, plain] = await measure(
  [
    { name: 'handleWebRTCReport', fn: () => handle(body) },
    {
      name: 'JSON.parse + same span, unchecked',
      fn: () => {
        const r = JSON.parse(body) as WebRTCReport;
        recordReportSpan(tracer, r, PARENT, Date.now());
      },
    },
  ],
  { iterations: 5_000, rounds: 7 },
);
report('server: one report (20 entries)', server!, plain!, { max: 1.5 });

let timeline = new Timeline(64);
let array: ReportEvent[] = [];
let n = 0;
let m = 0;
const [recorder, push] = await measure(
  [
    {
      name: 'Timeline.record',
      fn: () => {
        if (++n % 64 === 0) timeline = new Timeline(64);
        timeline.record('connection', 'connected');
      },
    },
    {
      name: 'array push',
      fn: () => {
        if (++m % 64 === 0) array = [];
        array.push({ t: Math.round(performance.now()), e: 'connection', v: 'connected' });
      },
    },
  ],
  { iterations: 50_000, rounds: 7 },
);
report('browser: one timeline entry', recorder!, push!, { max: 3 });
