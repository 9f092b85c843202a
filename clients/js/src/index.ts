// @relaymesh/client: the client of the Relaymesh WebSocket gateway's primary protocol.
export { RelaymeshClient } from './client.js';
export type { ClientEvents, ClientOptions, WebSocketConstructor, WebSocketLike } from './client.js';
export { backoffDelay } from './backoff.js';
export type { BackoffOptions } from './backoff.js';
export { describeClose, isRetryable, NO_RETRY_CODES } from './close-policy.js';
export type { CloseInfo } from './close-policy.js';
export { comparePositions, parsePosition } from './position.js';
export type { ParsedPosition } from './position.js';
export { RecentIds } from './dedupe.js';
export { ReorderBuffer } from './reorder.js';
export type {
  ChatSelectedInfo,
  ClientFrame,
  ClientState,
  ClientStatus,
  ErrorPayload,
  EventPayload,
  ReadyInfo,
  RelaymeshEvent,
  ServerFrame,
} from './types.js';
