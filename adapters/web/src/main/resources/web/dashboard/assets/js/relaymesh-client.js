// Built from clients/js (npm run build:dashboard there); do not edit: make test checks it matches.
// src/backoff.ts
function backoffDelay(attempt, options = {}) {
  const { baseMs = 1e3, maxMs = 3e4, random = Math.random } = options;
  const n = Math.max(1, Math.floor(attempt));
  const ceiling = Math.min(maxMs, baseMs * 2 ** Math.min(n - 1, 30));
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}

// src/close-policy.ts
var NO_RETRY_CODES = /* @__PURE__ */ new Set([4401, 4402, 4403, 4409]);
var NAMES = {
  1e3: "NormalClosure",
  1001: "GoingAway",
  1002: "BadRequest",
  1005: "NoStatus",
  1006: "AbnormalClosure",
  1007: "BadRequest",
  1008: "SlowConsumer",
  1011: "InternalServerError",
  1012: "ServiceRestart",
  1013: "ServerFull",
  4400: "BadRequest",
  4401: "InvalidAPIKey",
  4402: "SessionConflict",
  4403: "InvalidToken",
  4409: "SessionKicked",
  4429: "RateLimitExceeded"
};
function isRetryable(code) {
  return !NO_RETRY_CODES.has(code);
}
function describeClose(code, reason = "") {
  return { code, reason, name: NAMES[code] ?? "Close", retry: isRetryable(code) };
}

// src/dedupe.ts
var RecentIds = class {
  constructor(max) {
    this.max = max;
  }
  max;
  ids = /* @__PURE__ */ new Set();
  /** True when `id` was seen among the last `max` ids; remembers it either way. */
  seen(id) {
    if (this.ids.has(id)) {
      return true;
    }
    this.ids.add(id);
    if (this.ids.size > this.max) {
      this.ids.delete(this.ids.values().next().value);
    }
    return false;
  }
  get size() {
    return this.ids.size;
  }
};

// src/emitter.ts
var Emitter = class {
  listeners = {};
  /** Calls `fn` for every `type`; returns the function that stops it. */
  on(type, fn) {
    (this.listeners[type] ??= /* @__PURE__ */ new Set()).add(fn);
    return () => this.off(type, fn);
  }
  off(type, fn) {
    this.listeners[type]?.delete(fn);
  }
  emit(type, value) {
    this.listeners[type]?.forEach((fn) => {
      try {
        fn(value);
      } catch (e) {
        setTimeout(() => {
          throw e;
        });
      }
    });
  }
};

// src/position.ts
function parsePosition(position) {
  if (typeof position !== "string") {
    return null;
  }
  const colon = position.lastIndexOf(":");
  const seq = position.slice(colon + 1);
  if (colon < 0 || !/^\d{1,40}$/.test(seq)) {
    return null;
  }
  return { epoch: position.slice(0, colon), seq: seq.replace(/^0+(?=\d)/, "") };
}
function comparePositions(a, b) {
  if (a.epoch !== b.epoch) {
    return null;
  }
  if (a.seq.length !== b.seq.length) {
    return a.seq.length - b.seq.length;
  }
  return a.seq < b.seq ? -1 : a.seq > b.seq ? 1 : 0;
}

// src/reorder.ts
var ReorderBuffer = class {
  constructor(windowMs, release, maxHeld = 1e3) {
    this.windowMs = windowMs;
    this.release = release;
    this.maxHeld = maxHeld;
  }
  windowMs;
  release;
  maxHeld;
  held = [];
  timer;
  last = null;
  paused = false;
  push(item) {
    const p = item.parsed;
    if (this.windowMs <= 0 || !p) {
      this.out(item);
      return;
    }
    const first = this.held[0];
    if (first && comparePositions(first.item.parsed, p) === null) {
      this.flush();
    }
    const behind = this.last ? comparePositions(p, this.last) : null;
    if (behind !== null && behind <= 0) {
      this.out(item);
      return;
    }
    let i = this.held.length;
    while (i > 0 && comparePositions(this.held[i - 1].item.parsed, p) > 0) {
      i -= 1;
    }
    this.held.splice(i, 0, { item, due: Date.now() + this.windowMs });
    if (this.held.length > this.maxHeld) {
      this.out(this.held.shift().item);
    }
    this.schedule();
  }
  /**
   * Keeps what is held past its window until {@link resume}: across a reconnect, so that an event
   * lost on the way to the old connection, and replayed on the new one, still goes in its place.
   */
  hold() {
    this.paused = true;
    this.cancel();
  }
  /** Ends a {@link hold}: every held item waits one more window, for what the replay brings. */
  resume() {
    if (!this.paused) {
      return;
    }
    this.paused = false;
    const due = Date.now() + this.windowMs;
    this.held.forEach((h) => h.due = Math.max(h.due, due));
    this.schedule();
  }
  /** Releases everything held, in order (on a close for good: the app gets what arrived). */
  flush() {
    const held = this.held;
    this.held = [];
    this.paused = false;
    this.cancel();
    held.forEach((h) => this.out(h.item));
  }
  get size() {
    return this.held.length;
  }
  out(item) {
    const p = item.parsed;
    const c = p && this.last ? comparePositions(p, this.last) : null;
    if (p && (c === null || c > 0)) {
      this.last = p;
    }
    this.release(item);
  }
  schedule() {
    if (this.timer === void 0 && !this.paused && this.held.length) {
      const due = Math.min(...this.held.map((h) => h.due));
      this.timer = setTimeout(() => this.tick(), Math.max(0, due - Date.now()));
    }
  }
  tick() {
    this.timer = void 0;
    const now = Date.now();
    let upTo = -1;
    this.held.forEach((h, i) => {
      if (h.due <= now) upTo = i;
    });
    this.held.splice(0, upTo + 1).forEach((h) => this.out(h.item));
    this.schedule();
  }
  cancel() {
    if (this.timer !== void 0) {
      clearTimeout(this.timer);
      this.timer = void 0;
    }
  }
};

// src/client.ts
var OPEN = 1;
var RelaymeshClient = class extends Emitter {
  constructor(options) {
    super();
    this.options = options;
    if (!options.admin && !(options.company && options.agent)) {
      throw new TypeError("RelaymeshClient: company and agent are required (or admin: true)");
    }
    this.seenIds = new RecentIds(options.dedupeSize ?? 1e4);
    this.reorder = new ReorderBuffer(options.reorderWindowMs ?? 50, (e) => this.handOver(e));
  }
  options;
  socket = null;
  current = { status: "idle" };
  attempt = 0;
  opening = 0;
  readyAt = 0;
  lastError;
  position;
  /** Positions handed over lately, oldest first: one from before the look-back, then those within it. */
  recentPositions = [];
  resumePoint;
  chatId;
  pingSentAt;
  timers = {
    retry: void 0,
    ping: void 0,
    pong: void 0,
    connect: void 0
  };
  seenIds;
  reorder;
  /** The current state. */
  get state() {
    return this.current;
  }
  /** The newest position handed to the app (a reconnect resumes a little behind it: `resumeLookbackMs`). */
  get lastPosition() {
    return this.position;
  }
  /** Sets where the next connection resumes from (a position saved elsewhere, or undefined: none). */
  set lastPosition(position) {
    this.position = this.resumePoint = position;
    this.recentPositions = [];
  }
  /** The chat the client selects (again after every reconnect). */
  get selectedChat() {
    return this.chatId;
  }
  /** Connects now; a user's action, so the back-off starts over. */
  connect() {
    this.attempt = 0;
    void this.open();
  }
  /** Reconnects now instead of waiting for the scheduled retry. */
  retryNow() {
    if (this.current.status === "reconnecting") {
      void this.open();
    }
  }
  /** Closes with 1000 and stops reconnecting. Held events are handed over first. */
  disconnect() {
    this.opening += 1;
    this.stopTimers();
    this.drop(1e3, "closed by the client");
    this.reorder.flush();
    if (this.readyAt) {
      this.settleResumePoint();
      this.readyAt = 0;
    }
    this.set({ status: "closed", byUser: true, close: describeClose(1e3, "closed by the client") });
  }
  /**
   * Selects the chat whose `messages` events this connection gets, now if ready and again after
   * every reconnect (then with `since`, so that missed messages follow). False when not sent now.
   */
  selectChat(chatId) {
    this.chatId = chatId;
    return this.send({ type: "select_chat", payload: { chat_id: chatId } });
  }
  /** Sends a `ping`; the `pong` event tells the round trip. False when not ready. */
  ping() {
    const sent = this.send({ type: "ping" });
    if (sent) {
      this.pingSentAt = Date.now();
    }
    return sent;
  }
  /** Sends a frame when the connection is ready; false otherwise. */
  send(frame) {
    if (this.current.status !== "ready" || !this.socket || this.socket.readyState !== OPEN) {
      return false;
    }
    this.socket.send(JSON.stringify(frame));
    this.emit("sent", frame);
    return true;
  }
  async open() {
    const me = ++this.opening;
    this.stopTimers();
    this.drop(1e3, "reconnecting");
    this.lastError = void 0;
    this.set({ status: "connecting", attempt: this.attempt, open: false });
    const o = this.options;
    let url;
    let socket;
    try {
      const token = typeof o.token === "function" ? await o.token() : o.token;
      if (me !== this.opening) {
        return;
      }
      url = this.url(token);
      const Ctor = o.WebSocket ?? globalThis.WebSocket;
      if (!Ctor) {
        throw new Error("no WebSocket here: pass the WebSocket option (e.g. the ws package)");
      }
      socket = new Ctor(url);
    } catch (e) {
      if (me === this.opening) {
        this.lost(void 0, String(e?.message ?? e));
      }
      return;
    }
    this.socket = socket;
    socket.onopen = () => this.set({ status: "connecting", attempt: this.attempt, open: true });
    socket.onmessage = (e) => this.message(typeof e.data === "string" ? e.data : String(e.data));
    socket.onclose = (e) => {
      if (socket === this.socket) {
        this.socket = null;
        this.lost(describeClose(e.code, e.reason || ""));
      }
    };
    socket.onerror = () => {
    };
    this.timers.connect = setTimeout(() => this.dead("not ready in time"), o.connectTimeoutMs ?? 15e3);
  }
  url(token) {
    const o = this.options;
    const base = typeof o.url === "function" ? o.url(this.attempt) : Array.isArray(o.url) ? o.url[this.attempt % o.url.length] : o.url;
    const path = o.admin ? "/ws/admin" : `/ws/${encodeURIComponent(o.company)}/${encodeURIComponent(o.agent)}`;
    const query = new URLSearchParams({ token });
    if (o.clientKey) {
      query.set("x-api-key", o.clientKey);
    }
    const since = this.resumeFrom();
    if (since) {
      query.set("since", since);
    }
    return `${base.replace(/^http/, "ws").replace(/\/+$/, "")}${path}?${query}`;
  }
  resumeFrom() {
    return this.options.resume === false ? void 0 : this.resumePoint;
  }
  /**
   * Where a reconnect resumes from, fixed when a ready connection is lost: the lowest position
   * among the last event handed over before the look-back and those handed over within it.
   */
  settleResumePoint() {
    const recent = this.recentPositions;
    const since = Date.now() - (this.options.resumeLookbackMs ?? 500);
    while (recent.length > 1 && recent[1].at <= since) {
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
  message(raw) {
    const receivedAt = Date.now();
    let frame;
    try {
      frame = JSON.parse(raw);
    } catch {
      frame = null;
    }
    if (!frame || typeof frame !== "object" || typeof frame.type !== "string") {
      this.emit("badFrame", { raw, receivedAt });
      return;
    }
    this.alive();
    this.emit("frame", { frame, raw, receivedAt });
    const payload = frame.payload;
    switch (frame.type) {
      case "ready":
        this.ready(frame.recovered, receivedAt);
        break;
      case "event":
        if (payload && typeof payload === "object") {
          this.event(payload, frame.position, receivedAt);
        }
        break;
      case "chat_selected":
        this.emit("chatSelected", { chatId: payload?.chat_id, recovered: payload?.recovered });
        break;
      case "error":
        this.lastError = payload;
        this.emit("error", payload);
        break;
      case "pong":
        this.emit("pong", { rttMs: this.pingSentAt === void 0 ? void 0 : receivedAt - this.pingSentAt });
        this.pingSentAt = void 0;
        break;
    }
  }
  ready(recovered, at) {
    clearTimeout(this.timers.connect);
    this.readyAt = at;
    this.reorder.resume();
    const since = this.resumeFrom();
    const info = since ? { since, recovered: recovered === true } : {};
    this.set({ status: "ready", at, ...info });
    this.emit("ready", info);
    if (this.chatId) {
      this.send({ type: "select_chat", payload: since ? { chat_id: this.chatId, since } : { chat_id: this.chatId } });
    }
    this.alive();
  }
  event(payload, position, receivedAt) {
    const id = payload.event_id;
    const event = {
      payload,
      receivedAt,
      parsed: parsePosition(position)
    };
    if (typeof id === "string") {
      event.eventId = id;
    }
    if (typeof position === "string") {
      event.position = position;
    }
    if (event.eventId !== void 0 && this.seenIds.seen(event.eventId)) {
      this.emit("duplicate", strip(event));
      return;
    }
    this.reorder.push(event);
  }
  handOver(event) {
    if (event.position !== void 0) {
      const last = parsePosition(this.position);
      const p = event.parsed;
      const c = p && last ? comparePositions(p, last) : null;
      if (c === null || c > 0) {
        this.position = event.position;
      }
      const recent = this.recentPositions;
      recent.push({ at: event.receivedAt, position: event.position });
      const since = event.receivedAt - (this.options.resumeLookbackMs ?? 500);
      while (recent.length > 1 && recent[1].at <= since) {
        recent.shift();
      }
    }
    this.emit("event", strip(event));
  }
  /** Any frame proves the connection alive: the next ping is due a full interval later. */
  alive() {
    if (this.current.status !== "ready") {
      return;
    }
    clearTimeout(this.timers.pong);
    clearTimeout(this.timers.ping);
    const every = this.options.pingIntervalMs ?? 25e3;
    if (every > 0) {
      this.timers.ping = setTimeout(() => {
        this.ping();
        this.timers.pong = setTimeout(() => this.dead("no answer to a ping"), this.options.pongTimeoutMs ?? 1e4);
      }, every);
    }
  }
  /** Gives up a socket that does not answer, as if it had dropped. */
  dead(problem) {
    this.drop(4e3, problem);
    this.lost(describeClose(1006, problem));
  }
  lost(close, problem) {
    this.stopTimers();
    this.reorder.hold();
    if (this.readyAt) {
      this.settleResumePoint();
    }
    const error = this.lastError;
    if (this.readyAt && Date.now() - this.readyAt >= (this.options.backoff?.stableMs ?? 1e4)) {
      this.attempt = 0;
    }
    this.readyAt = 0;
    const r = this.options.reconnect ?? true;
    const wanted = typeof r === "function" ? r(close) : r;
    const why = { ...close && { close }, ...error && { error }, ...problem && { problem } };
    if (close && !close.retry || !wanted) {
      this.reorder.flush();
      this.set({ status: "closed", byUser: false, ...!wanted && (!close || close.retry) && { reconnectOff: true }, ...why });
      return;
    }
    this.attempt += 1;
    const delayMs = backoffDelay(this.attempt, this.options.backoff);
    this.timers.retry = setTimeout(() => void this.open(), delayMs);
    this.set({ status: "reconnecting", attempt: this.attempt, delayMs, retryAt: Date.now() + delayMs, ...why });
  }
  /** Closes the current socket without hearing about it again. */
  drop(code, reason) {
    const s = this.socket;
    if (s) {
      this.socket = null;
      s.onopen = s.onmessage = s.onclose = s.onerror = null;
      try {
        s.close(code, reason);
      } catch {
      }
    }
  }
  stopTimers() {
    for (const k of Object.keys(this.timers)) {
      clearTimeout(this.timers[k]);
      this.timers[k] = void 0;
    }
  }
  set(state) {
    this.current = state;
    this.emit("state", state);
  }
};
function strip(e) {
  const { parsed: _parsed, ...event } = e;
  return event;
}
export {
  NO_RETRY_CODES,
  RecentIds,
  RelaymeshClient,
  ReorderBuffer,
  backoffDelay,
  comparePositions,
  describeClose,
  isRetryable,
  parsePosition
};
