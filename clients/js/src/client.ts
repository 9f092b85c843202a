// A connection to a Relaymesh gateway that an app can leave running: it reconnects, resumes from
// the last position it handed over, drops duplicates and hands events over in order.

import { backoffDelay, type BackoffOptions } from './backoff.js';
import { describeClose, type CloseInfo } from './close-policy.js';
import { RecentIds } from './dedupe.js';
import { Emitter } from './emitter.js';
import { comparePositions, parsePosition, type ParsedPosition } from './position.js';
import { ReorderBuffer } from './reorder.js';
import type {
  ChatSelectedInfo,
  ClientFrame,
  ClientState,
  ErrorPayload,
  EventPayload,
  ReadyInfo,
  RelaymeshEvent,
} from './types.js';

/** The part of the WebSocket API the client uses: browsers', Node 22's, undici's or the `ws` package's. */
export interface WebSocketLike {
  readonly readyState: number;
  onopen: ((event: any) => void) | null;
  onmessage: ((event: { data: unknown }) => void) | null;
  onclose: ((event: { code: number; reason: string }) => void) | null;
  onerror: ((event: any) => void) | null;
  send(data: string): void;
  close(code?: number, reason?: string): void;
}

export type WebSocketConstructor = new (url: string) => WebSocketLike;

export interface ClientOptions {
  /**
   * The gateway: "wss://gw.example.com" (http(s) works too, and a path prefix is kept). Several
   * URLs are tried in turn, one per attempt; a function is asked anew on each attempt.
   */
  url: string | string[] | ((attempt: number) => string);
  /** The company and agent of a user connection (`/ws/{company}/{agent}`). */
  company?: string;
  agent?: string;
  /** An admin connection (`/ws/admin`) instead. */
  admin?: boolean;
  /** The user or admin token; a function is called before each attempt (refresh it there). */
  token: string | (() => string | Promise<string>);
  /** The public client key (`auth.client_api_key`), sent as `x-api-key`; empty = none. */
  clientKey?: string;
  /** Resume from the last position after a reconnect (default true). */
  resume?: boolean;
  /**
   * Resume from a little behind the newest position: from the last event handed over this long
   * before the connection was lost (default 500). In cluster mode an event can still be on its way
   * from another pod when a later one has arrived; this replays it (the repeats are dropped by
   * `event_id`). 0 = from the newest position.
   */
  resumeLookbackMs?: number;
  /** Whether to reconnect after a close the policy would retry (default true). */
  reconnect?: boolean | ((close: CloseInfo | undefined) => boolean);
  backoff?: BackoffOptions;
  /** How long an event may wait for one that should come before it (default 50; 0 = no wait). */
  reorderWindowMs?: number;
  /** How many event ids to remember for the duplicate check (default 10000). */
  dedupeSize?: number;
  /** A `ping` frame this often once ready (default 25000; 0 = none). */
  pingIntervalMs?: number;
  /** A connection silent this long after a ping is taken for dead and reopened (default 10000). */
  pongTimeoutMs?: number;
  /** An attempt that is not ready within this time is given up and retried (default 15000). */
  connectTimeoutMs?: number;
  /** The WebSocket class, where there is no global one (Node 20: `import WebSocket from 'ws'`). */
  WebSocket?: WebSocketConstructor;
}

/** What a client emits, by name. */
export interface ClientEvents<P extends object = EventPayload> {
  /** Every state change. */
  state: ClientState;
  /** `ready` arrived: the connection is usable. With a resume, says whether the gap was filled. */
  ready: ReadyInfo;
  /** An event, once per `event_id`, in position order within the reorder window. */
  event: RelaymeshEvent<P>;
  /** An event dropped because its `event_id` came before. */
  duplicate: RelaymeshEvent<P>;
  /** The answer to a `select_chat` that carried `since`. */
  chatSelected: ChatSelectedInfo;
  /** An error frame (a close may follow). */
  error: ErrorPayload;
  /** A `pong`, with the round trip of the last ping. */
  pong: { rttMs: number | undefined };
  /** Every frame as it arrived, before duplicate drop and reordering (for logs and tools). */
  frame: { frame: any; raw: string; receivedAt: number };
  /** A frame the client sent (its own `select_chat` after a reconnect and keep-alive pings too). */
  sent: ClientFrame;
  /** A text that is not a JSON object. */
  badFrame: { raw: string; receivedAt: number };
}

const OPEN = 1;

/**
 * A client of the primary protocol. Create it, listen (`on`), then `connect()`. Not thread-safe:
 * use it from one event loop (as browsers and Node do).
 */
export class RelaymeshClient<P extends object = EventPayload> extends Emitter<ClientEvents<P>> {
  private socket: WebSocketLike | null = null;
  private current: ClientState = { status: 'idle' };
  private attempt = 0;
  private opening = 0;
  private readyAt = 0;
  private lastError: ErrorPayload | undefined;
  private position: string | undefined;
  /** Positions handed over lately, oldest first: one from before the look-back, then those within it. */
  private recentPositions: { at: number; position: string }[] = [];
  private resumePoint: string | undefined;
  private chatId: string | undefined;
  private pingSentAt: number | undefined;
  private readonly timers: Record<'retry' | 'ping' | 'pong' | 'connect', ReturnType<typeof setTimeout> | undefined> = {
    retry: undefined,
    ping: undefined,
    pong: undefined,
    connect: undefined,
  };
  private readonly seenIds: RecentIds;
  private readonly reorder: ReorderBuffer<RelaymeshEvent<P> & { parsed: ParsedPosition | null }>;

  constructor(private readonly options: ClientOptions) {
    super();
    if (!options.admin && !(options.company && options.agent)) {
      throw new TypeError('RelaymeshClient: company and agent are required (or admin: true)');
    }
    this.seenIds = new RecentIds(options.dedupeSize ?? 10000);
    this.reorder = new ReorderBuffer(options.reorderWindowMs ?? 50, (e) => this.handOver(e));
  }

  /** The current state. */
  get state(): ClientState {
    return this.current;
  }

  /** The newest position handed to the app (a reconnect resumes a little behind it: `resumeLookbackMs`). */
  get lastPosition(): string | undefined {
    return this.position;
  }

  /** Sets where the next connection resumes from (a position saved elsewhere, or undefined: none). */
  set lastPosition(position: string | undefined) {
    this.position = this.resumePoint = position;
    this.recentPositions = [];
  }

  /** The chat the client selects (again after every reconnect). */
  get selectedChat(): string | undefined {
    return this.chatId;
  }

  /** Connects now; a user's action, so the back-off starts over. */
  connect(): void {
    this.attempt = 0;
    void this.open();
  }

  /** Reconnects now instead of waiting for the scheduled retry. */
  retryNow(): void {
    if (this.current.status === 'reconnecting') {
      void this.open();
    }
  }

  /** Closes with 1000 and stops reconnecting. Held events are handed over first. */
  disconnect(): void {
    this.opening += 1;
    this.stopTimers();
    this.drop(1000, 'closed by the client');
    this.reorder.flush();
    if (this.readyAt) {
      this.settleResumePoint();
      this.readyAt = 0;
    }
    this.set({ status: 'closed', byUser: true, close: describeClose(1000, 'closed by the client') });
  }

  /**
   * Selects the chat whose `messages` events this connection gets, now if ready and again after
   * every reconnect (then with `since`, so that missed messages follow). False when not sent now.
   */
  selectChat(chatId: string): boolean {
    this.chatId = chatId;
    return this.send({ type: 'select_chat', payload: { chat_id: chatId } });
  }

  /** Sends a `ping`; the `pong` event tells the round trip. False when not ready. */
  ping(): boolean {
    const sent = this.send({ type: 'ping' });
    if (sent) {
      this.pingSentAt = Date.now();
    }
    return sent;
  }

  /** Sends a frame when the connection is ready; false otherwise. */
  send(frame: ClientFrame): boolean {
    if (this.current.status !== 'ready' || !this.socket || this.socket.readyState !== OPEN) {
      return false;
    }
    this.socket.send(JSON.stringify(frame));
    this.emit('sent', frame);
    return true;
  }

  private async open(): Promise<void> {
    const me = ++this.opening;
    this.stopTimers();
    this.drop(1000, 'reconnecting');
    this.lastError = undefined;
    this.set({ status: 'connecting', attempt: this.attempt, open: false });
    const o = this.options;
    let url: string;
    let socket: WebSocketLike;
    try {
      const token = typeof o.token === 'function' ? await o.token() : o.token;
      if (me !== this.opening) {
        return; // disconnect() or another connect() came while the token was being fetched
      }
      url = this.url(token);
      const Ctor = o.WebSocket ?? (globalThis as { WebSocket?: WebSocketConstructor }).WebSocket;
      if (!Ctor) {
        throw new Error('no WebSocket here: pass the WebSocket option (e.g. the ws package)');
      }
      socket = new Ctor(url);
    } catch (e) {
      if (me === this.opening) {
        this.lost(undefined, String((e as Error)?.message ?? e));
      }
      return;
    }
    this.socket = socket;
    socket.onopen = () => this.set({ status: 'connecting', attempt: this.attempt, open: true });
    socket.onmessage = (e) => this.message(typeof e.data === 'string' ? e.data : String(e.data));
    socket.onclose = (e) => {
      if (socket === this.socket) {
        this.socket = null;
        this.lost(describeClose(e.code, e.reason || ''));
      }
    };
    socket.onerror = () => {}; // no detail in browsers; the close that follows has the code
    this.timers.connect = setTimeout(() => this.dead('not ready in time'), o.connectTimeoutMs ?? 15000);
  }

  private url(token: string): string {
    const o = this.options;
    const base =
      typeof o.url === 'function' ? o.url(this.attempt) : Array.isArray(o.url) ? o.url[this.attempt % o.url.length]! : o.url;
    const path = o.admin ? '/ws/admin' : `/ws/${encodeURIComponent(o.company!)}/${encodeURIComponent(o.agent!)}`;
    const query = new URLSearchParams({ token });
    if (o.clientKey) {
      query.set('x-api-key', o.clientKey);
    }
    const since = this.resumeFrom();
    if (since) {
      query.set('since', since);
    }
    return `${base.replace(/^http/, 'ws').replace(/\/+$/, '')}${path}?${query}`;
  }

  private resumeFrom(): string | undefined {
    return this.options.resume === false ? undefined : this.resumePoint;
  }

  /**
   * Where a reconnect resumes from, fixed when a ready connection is lost: the lowest position
   * among the last event handed over before the look-back and those handed over within it.
   */
  private settleResumePoint(): void {
    const recent = this.recentPositions;
    const since = Date.now() - (this.options.resumeLookbackMs ?? 500);
    while (recent.length > 1 && recent[1]!.at <= since) {
      recent.shift();
    }
    let point = this.position;
    let low = parsePosition(point);
    for (const r of recent) {
      const p = parsePosition(r.position);
      const c = p && low ? comparePositions(p, low) : null;
      if (c !== null && c < 0) {
        point = r.position;
        low = p;
      }
    }
    this.resumePoint = point;
  }

  private message(raw: string): void {
    const receivedAt = Date.now();
    let frame: any;
    try {
      frame = JSON.parse(raw);
    } catch {
      frame = null;
    }
    if (!frame || typeof frame !== 'object' || typeof frame.type !== 'string') {
      this.emit('badFrame', { raw, receivedAt });
      return;
    }
    this.alive();
    this.emit('frame', { frame, raw, receivedAt });
    const payload = frame.payload;
    switch (frame.type) {
      case 'ready':
        this.ready(frame.recovered, receivedAt);
        break;
      case 'event':
        if (payload && typeof payload === 'object') {
          this.event(payload, frame.position, receivedAt);
        }
        break;
      case 'chat_selected':
        this.emit('chatSelected', { chatId: payload?.chat_id, recovered: payload?.recovered });
        break;
      case 'error':
        this.lastError = payload;
        this.emit('error', payload);
        break;
      case 'pong':
        this.emit('pong', { rttMs: this.pingSentAt === undefined ? undefined : receivedAt - this.pingSentAt });
        this.pingSentAt = undefined;
        break;
    }
  }

  private ready(recovered: unknown, at: number): void {
    clearTimeout(this.timers.connect);
    this.readyAt = at;
    this.reorder.resume();
    const since = this.resumeFrom();
    const info: ReadyInfo = since ? { since, recovered: recovered === true } : {};
    this.set({ status: 'ready', at, ...info });
    this.emit('ready', info);
    if (this.chatId) {
      this.send({ type: 'select_chat', payload: since ? { chat_id: this.chatId, since } : { chat_id: this.chatId } });
    }
    this.alive();
  }

  private event(payload: P, position: unknown, receivedAt: number): void {
    const id = (payload as EventPayload).event_id;
    const event: RelaymeshEvent<P> & { parsed: ParsedPosition | null } = {
      payload,
      receivedAt,
      parsed: parsePosition(position),
    };
    if (typeof id === 'string') {
      event.eventId = id;
    }
    if (typeof position === 'string') {
      event.position = position;
    }
    if (event.eventId !== undefined && this.seenIds.seen(event.eventId)) {
      this.emit('duplicate', strip(event));
      return;
    }
    this.reorder.push(event);
  }

  private handOver(event: RelaymeshEvent<P> & { parsed: ParsedPosition | null }): void {
    if (event.position !== undefined) {
      const last = parsePosition(this.position);
      const p = event.parsed;
      const c = p && last ? comparePositions(p, last) : null;
      // Keep the latest: a late event (older position) does not move the resume point back.
      if (c === null || c > 0) {
        this.position = event.position;
      }
      const recent = this.recentPositions;
      recent.push({ at: event.receivedAt, position: event.position });
      const since = event.receivedAt - (this.options.resumeLookbackMs ?? 500);
      while (recent.length > 1 && recent[1]!.at <= since) {
        recent.shift();
      }
    }
    this.emit('event', strip(event));
  }

  /** Any frame proves the connection alive: the next ping is due a full interval later. */
  private alive(): void {
    if (this.current.status !== 'ready') {
      return;
    }
    clearTimeout(this.timers.pong);
    clearTimeout(this.timers.ping);
    const every = this.options.pingIntervalMs ?? 25000;
    if (every > 0) {
      this.timers.ping = setTimeout(() => {
        this.ping();
        this.timers.pong = setTimeout(() => this.dead('no answer to a ping'), this.options.pongTimeoutMs ?? 10000);
      }, every);
    }
  }

  /** Gives up a socket that does not answer, as if it had dropped. */
  private dead(problem: string): void {
    this.drop(4000, problem);
    this.lost(describeClose(1006, problem));
  }

  private lost(close: CloseInfo | undefined, problem?: string): void {
    this.stopTimers();
    this.reorder.hold(); // until the next ready's replay, or handed over below if this is the end
    if (this.readyAt) {
      this.settleResumePoint(); // only a connection that was ready moves it: failed attempts do not
    }
    const error = this.lastError;
    if (this.readyAt && Date.now() - this.readyAt >= (this.options.backoff?.stableMs ?? 10000)) {
      this.attempt = 0;
    }
    this.readyAt = 0;
    const r = this.options.reconnect ?? true;
    const wanted = typeof r === 'function' ? r(close) : r;
    const why = { ...(close && { close }), ...(error && { error }), ...(problem && { problem }) };
    if ((close && !close.retry) || !wanted) {
      this.reorder.flush();
      this.set({ status: 'closed', byUser: false, ...(!wanted && (!close || close.retry) && { reconnectOff: true }), ...why });
      return;
    }
    this.attempt += 1;
    const delayMs = backoffDelay(this.attempt, this.options.backoff);
    this.timers.retry = setTimeout(() => void this.open(), delayMs);
    this.set({ status: 'reconnecting', attempt: this.attempt, delayMs, retryAt: Date.now() + delayMs, ...why });
  }

  /** Closes the current socket without hearing about it again. */
  private drop(code: number, reason: string): void {
    const s = this.socket;
    if (s) {
      this.socket = null;
      s.onopen = s.onmessage = s.onclose = s.onerror = null;
      try {
        s.close(code, reason);
      } catch {
        // already closing
      }
    }
  }

  private stopTimers(): void {
    for (const k of Object.keys(this.timers) as (keyof typeof this.timers)[]) {
      clearTimeout(this.timers[k]);
      this.timers[k] = undefined;
    }
  }

  private set(state: ClientState): void {
    this.current = state;
    this.emit('state', state);
  }
}

function strip<P extends object>(e: RelaymeshEvent<P> & { parsed?: unknown }): RelaymeshEvent<P> {
  const { parsed: _parsed, ...event } = e;
  return event;
}
