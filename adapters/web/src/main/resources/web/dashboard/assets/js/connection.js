// One gateway WebSocket with its state, error frames and automatic reconnect.
import { backoffDelay } from './backoff.js';
import { describeClose } from './close-codes.js';

/** A connection that stayed ready this long resets the back-off. */
const STABLE_MS = 10000;

/**
 * A WebSocket to a Relaymesh endpoint. Phases: idle, connecting (socket opening), open (waiting for
 * "ready"), ready, waiting (a reconnect is scheduled) and closed (stopped: by the user, or by a close
 * that needs the user's action). Listeners get every change through {@code onState} and every frame
 * through {@code onFrame}. The URL is asked for anew on each attempt because it carries the token.
 */
export class GatewayConnection {
  /**
   * @param {{
   *   url: () => string,
   *   onState: (state: object) => void,
   *   onFrame: (frame: object, raw: string, receivedAt: number) => void,
   *   onBadFrame?: (raw: string, receivedAt: number) => void,
   *   autoReconnect?: () => boolean,
   *   backoff?: object,
   *   afterReady?: () => void,
   * }} options
   */
  constructor(options) {
    this.options = options;
    this.socket = null;
    this.attempt = 0;
    this.timer = null;
    this.readyAt = 0;
    this.lastError = null;
    this.state = { phase: 'idle' };
  }

  /** Connects now (a user action: the back-off starts over). */
  connect() {
    this.attempt = 0;
    this.#open();
  }

  /** Closes with 1000 and stops reconnecting. */
  disconnect() {
    this.#cancelTimer();
    if (this.socket) {
      const socket = this.socket;
      this.socket = null;
      this.#detach(socket);
      socket.close(1000, 'closed by the user');
    }
    this.#set({ phase: 'closed', close: describeClose(1000, 'closed by the user'), byUser: true });
  }

  /** Sends a frame; false when the socket is not open. */
  send(frame) {
    if (!this.socket || this.socket.readyState !== WebSocket.OPEN) {
      return false;
    }
    this.socket.send(JSON.stringify(frame));
    return true;
  }

  get phase() {
    return this.state.phase;
  }

  #open() {
    this.#cancelTimer();
    if (this.socket) {
      const old = this.socket;
      this.socket = null;
      this.#detach(old);
      old.close(1000, 'reconnecting');
    }
    this.lastError = null;
    let socket;
    try {
      socket = new WebSocket(this.options.url());
    } catch (e) {
      this.#set({ phase: 'closed', problem: e.message, close: null });
      return;
    }
    this.socket = socket;
    this.#set({ phase: 'connecting', attempt: this.attempt });
    socket.onopen = () => this.#set({ phase: 'open', attempt: this.attempt });
    socket.onmessage = (e) => this.#message(e.data);
    socket.onclose = (e) => this.#closed(socket, e.code, e.reason);
    // onerror carries no detail in browsers; the close event that follows has the code.
    socket.onerror = () => {};
  }

  #message(raw) {
    const receivedAt = Date.now();
    let frame;
    try {
      frame = JSON.parse(raw);
    } catch {
      this.options.onBadFrame?.(raw, receivedAt);
      return;
    }
    if (frame && frame.type === 'ready') {
      this.readyAt = receivedAt;
      this.#set({ phase: 'ready', since: receivedAt });
    } else if (frame && frame.type === 'error') {
      this.lastError = frame.payload || null;
    }
    this.options.onFrame(frame, raw, receivedAt);
    if (frame && frame.type === 'ready') {
      this.options.afterReady?.();
    }
  }

  #closed(socket, code, reason) {
    if (socket !== this.socket) {
      return; // an old socket we replaced or closed ourselves
    }
    this.socket = null;
    const close = describeClose(code, reason);
    const error = this.lastError;
    if (this.readyAt && Date.now() - this.readyAt >= STABLE_MS) {
      this.attempt = 0;
    }
    this.readyAt = 0;
    const wanted = this.options.autoReconnect ? this.options.autoReconnect() : true;
    if (close.needsUserAction || !wanted) {
      this.#set({ phase: 'closed', close, error, byUser: false, autoReconnectOff: !wanted && !close.needsUserAction });
      return;
    }
    this.attempt += 1;
    const delay = backoffDelay(this.attempt, this.options.backoff);
    const retryAt = Date.now() + delay;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.#open();
    }, delay);
    this.#set({ phase: 'waiting', close, error, attempt: this.attempt, retryAt });
  }

  /** Reconnects now instead of waiting for the scheduled attempt. */
  retryNow() {
    if (this.state.phase === 'waiting') {
      this.#open();
    }
  }

  #detach(socket) {
    socket.onopen = null;
    socket.onmessage = null;
    socket.onclose = null;
    socket.onerror = null;
  }

  #cancelTimer() {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
  }

  #set(state) {
    this.state = state;
    this.options.onState(state);
  }
}

/** ws:// or wss:// URL of {@code path} on this page's own server. */
export function socketUrl(path, params) {
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  // An empty value (no client key configured) is left out rather than sent as "key=".
  const query = new URLSearchParams(Object.entries(params).filter(([, v]) => v)).toString();
  return `${scheme}//${location.host}${path}${query ? `?${query}` : ''}`;
}
