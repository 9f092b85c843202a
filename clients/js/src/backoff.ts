// Reconnect delays: exponential back-off with jitter, so that clients that lost one pod at the same
// moment do not all come back at the same moment.

/** How long to wait before a reconnect attempt. */
export interface BackoffOptions {
  /** The first retry waits between baseMs / 2 and baseMs (default 1000). */
  baseMs?: number;
  /** No wait is longer than this (default 30000). */
  maxMs?: number;
  /** A connection that stayed ready this long starts the back-off over (default 10000). */
  stableMs?: number;
  /** Source of randomness, for tests (default Math.random). */
  random?: () => number;
}

/**
 * The delay before reconnect attempt number `attempt` (1 for the first retry): half of
 * min(maxMs, baseMs * 2^(attempt-1)) fixed, the other half random ("equal jitter").
 */
export function backoffDelay(attempt: number, options: BackoffOptions = {}): number {
  const { baseMs = 1000, maxMs = 30000, random = Math.random } = options;
  const n = Math.max(1, Math.floor(attempt));
  const ceiling = Math.min(maxMs, baseMs * 2 ** Math.min(n - 1, 30));
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}
