// WebSocket close codes of the Relaymesh protocol (docs/protocol.md, "Errors and close codes") and the
// standard ones a browser can see, in words a person can act on. Whether to reconnect is the
// client SDK's policy (relaymesh-client.js); this module only puts it in words.
import { NO_RETRY_CODES } from './relaymesh-client.js';

/** Codes after which reconnecting cannot help: the user has to change something first. */
export const NEEDS_USER_ACTION = NO_RETRY_CODES;

const CODES = {
  1000: { name: 'Normal closure', words: 'The connection was closed normally.' },
  1001: { name: 'Going away', words: 'The server is shutting down or restarting.' },
  1005: { name: 'No status', words: 'The connection was closed without a status code.' },
  1006: {
    name: 'Abnormal closure',
    words: 'The connection dropped without a close frame: the server is unreachable, was killed, or the network failed.',
  },
  1008: {
    name: 'SlowConsumer',
    words: 'Policy violation: this client did not read its events fast enough and its send buffer stayed full.',
  },
  1009: { name: 'Message too big', words: 'A message was larger than the other side accepts.' },
  1011: {
    name: 'InternalServerError',
    words: 'The server could not serve the connection (its session store or route registry failed). Retry later.',
  },
  1012: { name: 'Service restart', words: 'The server is restarting.' },
  1013: { name: 'ServerFull', words: 'The pod is at its connection cap. Try again later or connect to another pod.' },
  4400: {
    name: 'BadRequest',
    words: 'The server refused a malformed frame, an oversized frame or an invalid company/agent in the URL.',
  },
  4401: { name: 'InvalidAPIKey', words: 'The API key is missing or wrong for this endpoint.' },
  4402: { name: 'SessionConflict', words: 'A newer connection for the same user took this session over.' },
  4403: {
    name: 'InvalidToken',
    words: 'The token is missing, invalid, expired, or was issued for another company/agent.',
  },
  4409: { name: 'SessionKicked', words: 'An administrator closed this session.' },
  4429: { name: 'RateLimitExceeded', words: 'This client sent frames faster than the rate limit allows.' },
};

const ACTIONS = {
  4401: 'Check the API key, then connect again.',
  4402: 'Not reconnecting, so the two connections do not take the session from each other in turn. Connect again to take it back.',
  4403: 'Generate a new token (or check company and agent), then connect again.',
  4409: 'Not reconnecting after a kick. Connect again when you are allowed to.',
};

/**
 * What a close means.
 *
 * @param {number} code the close code
 * @param {string} [reason] the close reason the server sent
 * @returns {{code: number, name: string, words: string, reason: string, needsUserAction: boolean, action: string}}
 */
export function describeClose(code, reason = '') {
  const known = CODES[code];
  let name;
  let words;
  if (known) {
    ({ name, words } = known);
  } else if (code >= 4000 && code < 5000) {
    name = 'Application close';
    words = 'The server closed the connection with a code this page does not know.';
  } else {
    name = 'Close';
    words = 'The connection was closed.';
  }
  const needsUserAction = NEEDS_USER_ACTION.has(code);
  return { code, name, words, reason: reason || '', needsUserAction, action: ACTIONS[code] || '' };
}

/** Every code this page describes in words, for the tests and the help text. */
export function describedCodes() {
  return Object.keys(CODES).map(Number);
}
