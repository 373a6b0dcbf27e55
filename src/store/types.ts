/** One call as the index returns it. Numbers come back as their last four digits only. */
export interface IndexedCall {
  callId: string;
  traceId: string | null;
  provider: string | null;
  /** The provider's id: Twilio CallSid, OpenAI `rtc_…`. */
  providerCallId: string | null;
  /** OpenAI Realtime session id (`sess_…`), from the session span. */
  openaiSessionId: string | null;
  direction: string | null;
  callerLast4: string | null;
  calleeLast4: string | null;
  startedAt: Date | null;
  endedAt: Date | null;
  durationMs: number | null;
  /** `in-progress` until the call ends, then the status it ended with. */
  status: string | null;
  /** Worst and median first-audio latency of the call, ms; null until the Realtime work records it. */
  firstAudioMaxMs: number | null;
  firstAudioP50Ms: number | null;
  error: boolean;
  /** From `traceUrlTemplate`; null without one. */
  traceUrl: string | null;
}

/** A partial update of one call; absent fields keep their stored value. Numbers in any format. */
export interface CallUpdate {
  callId: string;
  traceId?: string;
  provider?: string;
  providerCallId?: string;
  openaiSessionId?: string;
  direction?: string;
  /** Caller's number: protected (hash + last four) before it is queued. */
  from?: string;
  /** Callee's number: protected the same way. */
  to?: string;
  startedAt?: Date;
  endedAt?: Date;
  status?: string;
  firstAudioMaxMs?: number;
  firstAudioP50Ms?: number;
  error?: boolean;
}

/** The row written to the database (numbers already protected). Internal. */
export interface CallRow {
  callId: string;
  traceId?: string;
  provider?: string;
  providerCallId?: string;
  openaiSessionId?: string;
  direction?: string;
  callerHash?: string;
  callerLast4?: string;
  calleeHash?: string;
  calleeLast4?: string;
  startedAt?: Date;
  endedAt?: Date;
  status?: string;
  firstAudioMaxMs?: number;
  firstAudioP50Ms?: number;
  error?: boolean;
}

export interface LookupOptions {
  /** Most results, newest first. Default: 50 (at most 500). */
  limit?: number;
}
