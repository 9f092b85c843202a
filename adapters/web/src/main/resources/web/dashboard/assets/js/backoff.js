// Reconnect delays: exponential back-off with jitter, so clients that lost one pod at the same
// moment do not all come back at the same moment.

/**
 * The delay before reconnect attempt number {@code attempt} (1 for the first retry): half of
 * min(max, base * 2^(attempt-1)) fixed, the other half random ("equal jitter").
 *
 * @param {number} attempt 1, 2, 3, ...
 * @param {{baseMs?: number, maxMs?: number, random?: () => number}} [options]
 * @returns {number} milliseconds
 */
export function backoffDelay(attempt, { baseMs = 1000, maxMs = 30000, random = Math.random } = {}) {
  const n = Math.max(1, Math.floor(attempt));
  const ceiling = Math.min(maxMs, baseMs * 2 ** Math.min(n - 1, 30));
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}
