import { resolveTraceOptions, type PeerConnectionTraceOptions } from './options.js';
import type { WebRTCReport } from './report.js';
import { sendReport } from './send.js';
import { selectedPair, typeOfCandidate } from './stats.js';
import { Timeline } from './timeline.js';

export interface PeerConnectionTrace {
  /** The report as it stands now (`undefined` without a `traceparent`). */
  snapshot(): WebRTCReport | undefined;
  /** Records an application failure (e.g. `setRemoteDescription` rejected): its name, outcome `failed`. */
  recordError(error: unknown): void;
  /** Sends the report now, once, and stops watching. Returns whether it went out. */
  send(): boolean;
  /** Removes every listener and timer; does not send. */
  dispose(): void;
}

/** How long to wait for `getStats()` after connecting before reporting without the pair. */
const STATS_WAIT_MS = 1_000;
/**
 * After connecting, how long to wait for ICE gathering to finish, so that a slow STUN or TURN
 * server's candidate (the delay worth seeing) is in the report even when host candidates won.
 */
const GATHER_WAIT_MS = 3_000;

/**
 * Records how `pc` negotiated — signaling, ICE gathering, ICE and connection states, the first
 * local candidate of each type, the selected pair and its RTT, time to connected, failures and
 * ICE restarts — relative to now, and sends one compact report to your server. Listens with
 * `addEventListener` only (the `on…` handlers stay the app's); never throws.
 */
export function instrumentPeerConnection(
  pc: RTCPeerConnection,
  options: PeerConnectionTraceOptions = {},
): PeerConnectionTrace {
  const o = resolveTraceOptions(options);
  const tl = new Timeline(o.maxEvents);
  let sent = false;
  let settling = false;
  let gatheredSinceStart = 0;
  let gatheringCompleted = false;
  const seenErrorCodes = new Set<string>();
  const cleanups: Array<() => void> = [];
  let timer: ReturnType<typeof setTimeout> | undefined;
  let gatheringDone: (() => void) | undefined;

  const snapshot = () => (o.traceparent ? tl.report(o.traceparent, o.callId) : undefined);
  const send = (): boolean => {
    if (sent) return false;
    const report = guard(snapshot);
    if (!report) return false;
    sent = true;
    dispose(); // one report per connection: nothing more to watch
    if (o.onReport) guard(() => o.onReport!(report));
    return o.reportUrl ? sendReport(o.reportUrl, JSON.stringify(report)) : true;
  };
  const dispose = () => cleanups.splice(0).forEach((c) => c());
  const settle = () => {
    clearTimeout(timer);
    if (o.sendOnSettle) send();
  };
  const fail = (reason: string) => {
    tl.failedMs = tl.elapsed();
    tl.outcome = 'failed';
    tl.record('error', reason, tl.failedMs);
    settle();
  };

  const on = <K extends keyof RTCPeerConnectionEventMap>(
    type: K,
    fn: (ev: RTCPeerConnectionEventMap[K]) => void,
  ) => {
    const listener = (ev: RTCPeerConnectionEventMap[K]) => guard(() => fn(ev));
    guard(() => pc.addEventListener(type, listener));
    cleanups.push(() => guard(() => pc.removeEventListener(type, listener)));
  };

  on('signalingstatechange', () => tl.record('signaling', pc.signalingState));
  on('icegatheringstatechange', () => {
    const state = pc.iceGatheringState;
    if (state === 'gathering' && gatheringCompleted) {
      tl.iceRestarts++; // gathering again after it had finished: an ICE restart
      tl.record('ice_restart');
    }
    tl.record('ice_gathering', state);
    if (state === 'gathering') gatheredSinceStart = 0;
    if (state === 'complete') {
      gatheringCompleted = true;
      gatheringDone?.();
      if (gatheredSinceStart === 0 && tl.outcome === 'pending') fail('no_local_candidates');
    }
  });
  on('icecandidate', (ev) => {
    if (!ev.candidate) return;
    gatheredSinceStart++;
    const type = typeOfCandidate(ev.candidate);
    if (type && tl.firstCandidateMs[type] === undefined) {
      tl.firstCandidateMs[type] = tl.elapsed();
      tl.record('candidate', type, tl.firstCandidateMs[type]);
    }
  });
  on('icecandidateerror', (ev) => {
    const code = String(Math.trunc(Number((ev as RTCPeerConnectionIceErrorEvent).errorCode)));
    if (!/^\d{1,3}$/.test(code) || seenErrorCodes.has(code)) return; // one entry per code
    seenErrorCodes.add(code);
    tl.record('candidate_error', code);
  });
  on('iceconnectionstatechange', () => tl.record('ice_connection', pc.iceConnectionState));
  on('connectionstatechange', () => {
    const state = pc.connectionState;
    tl.record('connection', state);
    if (state === 'connected') onConnected();
    else if (state === 'failed') {
      tl.failedMs = tl.elapsed();
      tl.outcome = 'failed';
      settle();
    } else if (state === 'closed' && tl.outcome === 'pending') {
      tl.outcome = 'closed';
      settle();
    }
  });

  function onConnected() {
    tl.outcome = 'connected';
    if (tl.connectedMs === undefined) tl.connectedMs = tl.elapsed();
    if (settling || sent) return;
    settling = true;
    const sleep = (ms: number) => new Promise<undefined>((r) => setTimeout(r, ms, undefined));
    const gathered =
      pc.iceGatheringState === 'complete'
        ? undefined
        : Promise.race([new Promise<void>((r) => (gatheringDone = r)), sleep(GATHER_WAIT_MS)]);
    Promise.resolve(gathered)
      .then(() => Promise.race([selectedPair(pc), sleep(STATS_WAIT_MS)]))
      .then((pair) => {
        if (pair) {
          tl.selectedPair = pair;
          tl.record('selected_pair', `${pair.local}/${pair.remote}`);
        }
      })
      .catch(() => undefined)
      .finally(() => guard(settle));
  }

  if (o.settleTimeoutMs > 0) {
    timer = setTimeout(() => {
      if (tl.outcome !== 'pending') return;
      tl.outcome = 'timeout';
      guard(settle);
    }, o.settleTimeoutMs);
  }
  cleanups.push(() => clearTimeout(timer));

  const onPageHide = () => guard(send);
  if (typeof addEventListener === 'function') {
    guard(() => addEventListener('pagehide', onPageHide));
    cleanups.push(() => guard(() => removeEventListener('pagehide', onPageHide)));
  }

  return {
    snapshot,
    send,
    recordError: (error) => guard(() => fail(errorName(error))),
    dispose,
  };
}

/**
 * The `changePeerConnection` hook for `@openai/agents-realtime`'s `OpenAIRealtimeWebRTC`:
 * instruments the transport's peer connection and hands it back unchanged.
 */
export function tracePeerConnection(
  options: PeerConnectionTraceOptions = {},
): (pc: RTCPeerConnection) => RTCPeerConnection {
  return (pc) => {
    instrumentPeerConnection(pc, options);
    return pc;
  };
}

function errorName(error: unknown): string {
  const name = (error as { name?: unknown } | null)?.name;
  return typeof name === 'string' && /^[A-Za-z][\w.-]{0,63}$/.test(name) ? name : 'Error';
}

function guard<T>(fn: () => T): T | undefined {
  try {
    return fn();
  } catch {
    return undefined;
  }
}
