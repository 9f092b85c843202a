// A WebSocket stand-in for the unit tests: records what the client sends and lets a test play the server.
export class FakeSocket {
  static all = [];

  constructor(url) {
    this.url = url;
    this.readyState = 0;
    this.sent = [];
    this.closedWith = null;
    this.onopen = this.onmessage = this.onclose = this.onerror = null;
    FakeSocket.all.push(this);
  }

  static reset() {
    FakeSocket.all = [];
  }

  static last() {
    return FakeSocket.all.at(-1);
  }

  get query() {
    return new URL(this.url).searchParams;
  }

  get frames() {
    return this.sent.map((s) => JSON.parse(s));
  }

  send(data) {
    if (this.readyState !== 1) throw new Error('not open');
    this.sent.push(data);
  }

  close(code, reason) {
    this.closedWith = { code, reason };
    this.readyState = 3;
  }

  // The server's side.
  open() {
    this.readyState = 1;
    this.onopen?.({});
  }

  receive(frame) {
    this.onmessage?.({ data: typeof frame === 'string' ? frame : JSON.stringify(frame) });
  }

  ready(extra = {}) {
    this.open();
    this.receive({ type: 'ready', ...extra });
  }

  event(id, position, more = {}) {
    this.receive({ type: 'event', payload: { event_id: id, ...more }, ...(position && { position }) });
  }

  serverClose(code, reason = '') {
    this.readyState = 3;
    this.onclose?.({ code, reason });
  }
}
