// The frames of the primary protocol (docs/protocol.md, "Frames") and what the client hands the app.

import type { CloseInfo } from './close-policy.js';

/** An event's payload: the published JSON object. `event_id` is always there for HTTP publishes. */
export interface EventPayload {
  event_id?: string;
  [field: string]: unknown;
}

/** An error frame's payload. */
export interface ErrorPayload {
  code: string;
  message: string;
  details?: string;
}

/** Frames the server sends. */
export type ServerFrame<P extends object = EventPayload> =
  | { type: 'ready'; recovered?: boolean }
  | { type: 'event'; payload: P; position?: string }
  | { type: 'chat_selected'; payload: { chat_id: string; recovered?: boolean } }
  | { type: 'error'; payload: ErrorPayload }
  | { type: 'pong' };

/** Frames the client sends. */
export type ClientFrame =
  | { type: 'select_chat'; payload: { chat_id: string; since?: string } }
  | { type: 'ping' };

/** An event as the app gets it: once per `event_id`, in position order. */
export interface RelaymeshEvent<P extends object = EventPayload> {
  payload: P;
  /** `payload.event_id`, when it is a string. */
  eventId?: string;
  /** Where the event sits in the server's history ("<epoch>:<seq>"), when the server sent one. */
  position?: string;
  /** When the frame arrived (epoch ms), before any wait in the reorder window. */
  receivedAt: number;
}

/** What `ready` said. */
export interface ReadyInfo {
  /** The position the client asked to resume from (the `since` parameter), if any. */
  since?: string;
  /**
   * Only when `since` was given: true when every missed event follows (before live ones), false
   * when the gap could not be filled (the app should reload its state).
   */
  recovered?: boolean;
}

/** What `chat_selected` said after a `select_chat` with `since`. */
export interface ChatSelectedInfo {
  chatId: string;
  recovered?: boolean;
}

/** The client's state: one of five, with why it is there. */
export type ClientState =
  | { status: 'idle' }
  /** A socket is opening (`open` once the upgrade is done and the client waits for `ready`). */
  | { status: 'connecting'; attempt: number; open: boolean }
  | { status: 'ready'; at: number; since?: string; recovered?: boolean }
  /** The connection was lost and a retry is scheduled at `retryAt` (epoch ms). */
  | {
      status: 'reconnecting';
      attempt: number;
      delayMs: number;
      retryAt: number;
      close?: CloseInfo;
      error?: ErrorPayload;
      problem?: string;
    }
  /**
   * Stopped: by the app (`byUser`), by a close the policy does not retry, or because the app's
   * `reconnect` said no (`reconnectOff`).
   */
  | { status: 'closed'; byUser: boolean; reconnectOff?: boolean; close?: CloseInfo; error?: ErrorPayload; problem?: string };

export type ClientStatus = ClientState['status'];
