/** `calltrace.edge.*`: the call's life across Durable Object activations (see `calltrace/edge`). */
export const EdgeAttr = {
  /** Why this activation picked the call up: `'start'`, `'reconnect'`, `'wake'`, … */
  resumeReason: 'calltrace.edge.resume_reason',
  /** Milliseconds since the call was first seen (its snapshot's `startedAt`). */
  callAgeMs: 'calltrace.edge.call_age_ms',
  /** Marks a `call` root span ended early, on purpose, by its first activation. */
  rootEndedEarly: 'calltrace.edge.root_ended_early',
} as const;

/** Span names of the edge lifecycle, children of the call's root. */
export const EDGE_RESUME_SPAN = 'call.resume';
export const EDGE_END_SPAN = 'call.end';
