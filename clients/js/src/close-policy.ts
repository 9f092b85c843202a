// Which closes a client may retry (docs/protocol.md, "Errors and close codes").

/**
 * Closes after which reconnecting cannot help: the API key (4401) or the token (4403) is wrong, a
 * newer connection took the session (4402; retrying would take it back and forth), or an operator
 * kicked the session (4409). Every other close is retried with back-off.
 */
export const NO_RETRY_CODES: ReadonlySet<number> = new Set([4401, 4402, 4403, 4409]);

const NAMES: Record<number, string> = {
  1000: 'NormalClosure',
  1001: 'GoingAway',
  1002: 'BadRequest',
  1005: 'NoStatus',
  1006: 'AbnormalClosure',
  1007: 'BadRequest',
  1008: 'SlowConsumer',
  1011: 'InternalServerError',
  1012: 'ServiceRestart',
  1013: 'ServerFull',
  4400: 'BadRequest',
  4401: 'InvalidAPIKey',
  4402: 'SessionConflict',
  4403: 'InvalidToken',
  4409: 'SessionKicked',
  4429: 'RateLimitExceeded',
};

/** A close as the client saw it. */
export interface CloseInfo {
  code: number;
  /** The close reason the server sent (the error code's name for Relaymesh closes). */
  reason: string;
  /** The protocol's name for the code, e.g. "InvalidToken"; "Close" for a code it does not name. */
  name: string;
  /** Whether the close policy reconnects after it. */
  retry: boolean;
}

/** True when a close with this code is worth a reconnect. */
export function isRetryable(code: number): boolean {
  return !NO_RETRY_CODES.has(code);
}

/** The close `code` with its name and whether the policy retries it. */
export function describeClose(code: number, reason = ''): CloseInfo {
  return { code, reason, name: NAMES[code] ?? 'Close', retry: isRetryable(code) };
}
