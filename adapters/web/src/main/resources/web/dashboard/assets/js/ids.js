// The identifier rule of the gateway (docs/protocol.md, "WebSocket endpoints": Identifiers), checked before a request is sent.

const IDENTIFIER = /^[^:.*>/\s\u0000-\u001f\u007f]{1,128}$/u;

/** A problem in words, or '' when {@code value} is a valid company, agent, user, chat or admin id. */
export function identifierProblem(label, value) {
  if (!value) {
    return `${label} is required`;
  }
  if ([...value].length > 128) {
    return `${label} is longer than 128 characters`;
  }
  if (!IDENTIFIER.test(value)) {
    return `${label} must not contain : . * > / or spaces`;
  }
  return '';
}
