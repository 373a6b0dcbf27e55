import { CANDIDATE_TYPES, type CandidateType, type SelectedPair } from './report.js';

type StatsEntry = Record<string, unknown>;

/**
 * The candidate pair ICE selected, from `getStats()`: the transport's `selectedCandidatePairId`,
 * or (older browsers) the nominated pair that succeeded. Undefined when there is none.
 */
export async function selectedPair(pc: RTCPeerConnection): Promise<SelectedPair | undefined> {
  const report = await pc.getStats();
  const byId = new Map<string, StatsEntry>();
  report.forEach((s: StatsEntry) => byId.set(s.id as string, s));
  let pair: StatsEntry | undefined;
  for (const s of byId.values()) {
    if (s.type === 'transport' && typeof s.selectedCandidatePairId === 'string') {
      pair = byId.get(s.selectedCandidatePairId);
      if (pair) break;
    }
  }
  if (!pair) {
    for (const s of byId.values())
      if (s.type === 'candidate-pair' && s.nominated && s.state === 'succeeded') pair = s;
  }
  if (!pair) return undefined;
  const local = byId.get(pair.localCandidateId as string);
  const remote = byId.get(pair.remoteCandidateId as string);
  const localType = candidateType(local?.candidateType);
  const remoteType = candidateType(remote?.candidateType);
  if (!localType || !remoteType) return undefined;
  const out: SelectedPair = { local: localType, remote: remoteType };
  if (local?.protocol === 'udp' || local?.protocol === 'tcp') out.protocol = local.protocol;
  const relay = local?.relayProtocol;
  if (relay === 'udp' || relay === 'tcp' || relay === 'tls') out.relayProtocol = relay;
  if (typeof pair.currentRoundTripTime === 'number')
    out.rttMs = Math.round(pair.currentRoundTripTime * 10_000) / 10; // s → ms, 0.1 ms
  return out;
}

export function candidateType(value: unknown): CandidateType | undefined {
  return CANDIDATE_TYPES.includes(value as CandidateType) ? (value as CandidateType) : undefined;
}

/** A candidate's type from the object, or from its SDP line (`… typ srflx …`) where unset. */
export function typeOfCandidate(c: RTCIceCandidate): CandidateType | undefined {
  return candidateType(c.type) ?? candidateType(/ typ (\w+)/.exec(c.candidate)?.[1]);
}
