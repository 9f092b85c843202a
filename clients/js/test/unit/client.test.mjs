import { test, mock, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { RelaymeshClient } from '../../dist/index.js';
import { FakeSocket } from './fake-socket.mjs';

beforeEach(() => {
  FakeSocket.reset();
  mock.timers.enable({ apis: ['setTimeout', 'Date'], now: 1_000_000 });
});
afterEach(() => mock.timers.reset());

/** A client on fake sockets, with what it emitted. */
function client(options = {}) {
  const c = new RelaymeshClient({
    url: 'http://gw.test/base/',
    company: 'acme',
    agent: 'support',
    token: 'tok',
    clientKey: 'pk-1',
    WebSocket: FakeSocket,
    reorderWindowMs: 0,
    backoff: { random: () => 0 },
    ...options,
  });
  const seen = { states: [], events: [], duplicates: [], ready: [], chats: [], errors: [] };
  c.on('state', (s) => seen.states.push(s));
  c.on('event', (e) => seen.events.push(e));
  c.on('duplicate', (e) => seen.duplicates.push(e.eventId));
  c.on('ready', (r) => seen.ready.push(r));
  c.on('chatSelected', (r) => seen.chats.push(r));
  c.on('error', (e) => seen.errors.push(e));
  return { c, seen };
}

/** Lets the token promise resolve. */
const settle = () => new Promise((resolve) => setImmediate(resolve));

test('connects to /ws/{company}/{agent} with the token and the client key, and is ready on ready', async () => {
  const { c, seen } = client();
  c.connect();
  await settle();
  const s = FakeSocket.last();
  assert.equal(s.url, 'ws://gw.test/base/ws/acme/support?token=tok&x-api-key=pk-1');
  assert.deepEqual(c.state, { status: 'connecting', attempt: 0, open: false });
  s.ready();
  assert.equal(c.state.status, 'ready');
  assert.deepEqual(seen.states.map((x) => x.status), ['connecting', 'connecting', 'ready']);
  assert.deepEqual(seen.ready, [{}], 'no since, so no recovered');
});

test('an admin client opens /ws/admin; no client key, no x-api-key; a token function is awaited', async () => {
  const { c } = client({ admin: true, company: undefined, agent: undefined, clientKey: '', token: async () => 'adm' });
  c.connect();
  await settle();
  assert.equal(FakeSocket.last().url, 'ws://gw.test/base/ws/admin?token=adm');
});

test('events reach the app with payload, event id and position; a repeated event_id is dropped', async () => {
  const { c, seen } = client();
  c.connect();
  await settle();
  const s = FakeSocket.last();
  s.ready();
  s.event('a', 'e:1', { text: 'hi' });
  s.event('a', 'e:1', { text: 'hi' });
  s.event('b', 'e:2');
  assert.deepEqual(seen.events.map((e) => [e.eventId, e.position, e.payload.text]),
    [['a', 'e:1', 'hi'], ['b', 'e:2', undefined]]);
  assert.deepEqual(seen.duplicates, ['a']);
  assert.equal(c.lastPosition, 'e:2');
});

test('a retryable close reconnects after the back-off, with since = the last position handed over', async () => {
  const { c, seen } = client();
  c.connect();
  await settle();
  const first = FakeSocket.last();
  first.ready();
  first.event('a', 'e:7');
  first.serverClose(1001, 'going away');
  assert.equal(c.state.status, 'reconnecting');
  assert.equal(c.state.attempt, 1);
  assert.equal(c.state.delayMs, 500);
  assert.deepEqual(c.state.close, { code: 1001, reason: 'going away', name: 'GoingAway', retry: true });
  mock.timers.tick(499);
  await settle();
  assert.equal(FakeSocket.all.length, 1, 'not before the back-off');
  mock.timers.tick(1);
  await settle();
  const second = FakeSocket.last();
  assert.equal(second.query.get('since'), 'e:7');
  second.ready({ recovered: true });
  assert.deepEqual(seen.ready.at(-1), { since: 'e:7', recovered: true });
  assert.equal(c.state.recovered, true);
  second.event('a', 'e:7'); // replayed again: dropped
  second.event('b', 'e:8');
  assert.deepEqual(seen.events.map((e) => e.eventId), ['a', 'b']);
});

test('recovered false is surfaced: the app should reload', async () => {
  const { c, seen } = client();
  c.lastPosition = 'old-epoch:99';
  c.connect();
  await settle();
  FakeSocket.last().ready({ recovered: false });
  assert.deepEqual(seen.ready, [{ since: 'old-epoch:99', recovered: false }]);
  assert.equal(c.state.recovered, false);
});

test('resume: false never sends since', async () => {
  const { c } = client({ resume: false });
  c.lastPosition = 'e:3';
  c.connect();
  await settle();
  assert.equal(FakeSocket.last().query.get('since'), null);
});

for (const code of [4401, 4402, 4403, 4409]) {
  test(`no retry after ${code}: closed, with the error frame that came before it`, async () => {
    const { c } = client();
    c.connect();
    await settle();
    const s = FakeSocket.last();
    s.ready();
    s.receive({ type: 'error', payload: { code: 'X', message: 'no', details: '' } });
    s.serverClose(code, 'X');
    assert.equal(c.state.status, 'closed');
    assert.equal(c.state.byUser, false);
    assert.equal(c.state.close.code, code);
    assert.deepEqual(c.state.error, { code: 'X', message: 'no', details: '' });
    mock.timers.tick(60_000);
    await settle();
    assert.equal(FakeSocket.all.length, 1, 'no second socket');
  });
}

test('the back-off grows with each failed attempt and starts over after a stable connection', async () => {
  const { c } = client();
  c.connect();
  await settle();
  const delays = [];
  for (let i = 0; i < 4; i += 1) {
    FakeSocket.last().serverClose(1006);
    delays.push(c.state.delayMs);
    mock.timers.tick(c.state.delayMs);
    await settle();
  }
  assert.deepEqual(delays, [500, 1000, 2000, 4000]);
  FakeSocket.last().ready();
  mock.timers.tick(10_000);
  FakeSocket.last().serverClose(1006);
  assert.equal(c.state.attempt, 1, 'ready for 10 s: the back-off starts over');
});

test('the chat is selected again after a reconnect, with since; chat_selected is surfaced', async () => {
  const { c, seen } = client();
  const sent = [];
  c.on('sent', (f) => sent.push(f.type));
  assert.equal(c.selectChat('c1'), false, 'not connected: remembered only');
  c.connect();
  await settle();
  const first = FakeSocket.last();
  first.ready();
  assert.deepEqual(first.frames, [{ type: 'select_chat', payload: { chat_id: 'c1' } }]);
  assert.equal(c.selectChat('c2'), true);
  first.event('m', 'e:4');
  first.serverClose(1011);
  mock.timers.tick(500);
  await settle();
  const second = FakeSocket.last();
  second.ready({ recovered: true });
  assert.deepEqual(second.frames, [{ type: 'select_chat', payload: { chat_id: 'c2', since: 'e:4' } }]);
  second.receive({ type: 'chat_selected', payload: { chat_id: 'c2', recovered: true } });
  assert.deepEqual(seen.chats, [{ chatId: 'c2', recovered: true }]);
  assert.deepEqual(sent, ['select_chat', 'select_chat', 'select_chat'], 'every frame sent is told');
});

test('disconnect closes with 1000 and stops; connect starts again', async () => {
  const { c } = client();
  c.connect();
  await settle();
  const s = FakeSocket.last();
  s.ready();
  c.disconnect();
  assert.deepEqual(s.closedWith, { code: 1000, reason: 'closed by the client' });
  assert.equal(c.state.status, 'closed');
  assert.equal(c.state.byUser, true);
  mock.timers.tick(60_000);
  await settle();
  assert.equal(FakeSocket.all.length, 1);
  c.connect();
  await settle();
  assert.equal(FakeSocket.all.length, 2);
});

test('reconnect: false (or a function saying no) stops after any close', async () => {
  const { c } = client({ reconnect: () => false });
  c.connect();
  await settle();
  FakeSocket.last().serverClose(1001);
  assert.equal(c.state.status, 'closed');
  assert.equal(c.state.reconnectOff, true);
});

test('several URLs are tried in turn', async () => {
  const { c } = client({ url: ['ws://a.test', 'ws://b.test'] });
  c.connect();
  await settle();
  FakeSocket.last().serverClose(1006);
  mock.timers.tick(500);
  await settle();
  assert.deepEqual(FakeSocket.all.map((s) => new URL(s.url).host), ['a.test', 'b.test']);
});

test('a token function that fails is retried with back-off, its message in the state', async () => {
  let calls = 0;
  const { c } = client({ token: async () => { calls += 1; if (calls === 1) throw new Error('token service down'); return 't2'; } });
  c.connect();
  await settle();
  assert.equal(c.state.status, 'reconnecting');
  assert.equal(c.state.problem, 'token service down');
  mock.timers.tick(500);
  await settle();
  assert.equal(FakeSocket.last().query.get('token'), 't2');
});

test('ping keep-alive: a ping after the interval of silence; no answer: the socket is given up and reopened', async () => {
  const { c } = client({ pingIntervalMs: 1000, pongTimeoutMs: 500 });
  let rtt;
  c.on('pong', (p) => { rtt = p.rttMs; });
  c.connect();
  await settle();
  const s = FakeSocket.last();
  s.ready();
  mock.timers.tick(1000);
  assert.deepEqual(s.frames, [{ type: 'ping' }]);
  mock.timers.tick(100);
  s.receive({ type: 'pong' });
  assert.equal(rtt, 100);
  mock.timers.tick(1000);
  assert.equal(s.frames.length, 2);
  mock.timers.tick(500);
  assert.equal(c.state.status, 'reconnecting');
  assert.equal(c.state.close.code, 1006);
  assert.deepEqual(s.closedWith, { code: 4000, reason: 'no answer to a ping' });
});

test('an attempt that is not ready in time is given up and retried', async () => {
  const { c } = client({ connectTimeoutMs: 2000 });
  c.connect();
  await settle();
  FakeSocket.last().open();
  mock.timers.tick(2000);
  assert.equal(c.state.status, 'reconnecting');
  assert.equal(c.state.problem, undefined);
  assert.equal(c.state.close.reason, 'not ready in time');
});

test('with a reorder window, overtaken events reach the app in order and since is the highest', async () => {
  const { c, seen } = client({ reorderWindowMs: 40 });
  c.connect();
  await settle();
  const s = FakeSocket.last();
  s.ready();
  s.event('x3', 'e:3');
  s.event('x1', 'e:1');
  s.event('x3', 'e:3');
  s.event('x2', 'e:2');
  assert.deepEqual(seen.events, []);
  mock.timers.tick(40);
  assert.deepEqual(seen.events.map((e) => e.eventId), ['x1', 'x2', 'x3']);
  assert.deepEqual(seen.duplicates, ['x3']);
  assert.equal(seen.events[0].receivedAt, 1_000_000, 'the arrival time, not the hand-over time');
  assert.equal(c.lastPosition, 'e:3');
});

test('a close for good hands over what the window held before the state changes', async () => {
  const { c, seen } = client({ reorderWindowMs: 40 });
  const order = [];
  c.on('event', (e) => order.push(e.eventId));
  c.on('state', (s) => order.push(s.status));
  c.connect();
  await settle();
  const s = FakeSocket.last();
  s.ready();
  s.event('y2', 'e:2');
  s.event('y1', 'e:1');
  s.serverClose(4403);
  assert.deepEqual(order.slice(3), ['y1', 'y2', 'closed']);
  assert.equal(seen.events.length, 2);
});

test('across a reconnect the window keeps what it held: an event lost on the way and replayed goes in its place', async () => {
  const { c, seen } = client({ reorderWindowMs: 40, resumeLookbackMs: 500 });
  c.connect();
  await settle();
  const first = FakeSocket.last();
  first.ready();
  first.event('k1', 'e:1');
  mock.timers.tick(40);
  first.event('k3', 'e:3'); // e:2 was being forwarded to this pod when it stopped
  first.serverClose(1006);
  assert.deepEqual(seen.events.map((e) => e.eventId), ['k1'], 'k3 waits for the replay');
  mock.timers.tick(5000); // longer than the window: still held while reconnecting
  assert.equal(seen.events.length, 1);
  await settle();
  const second = FakeSocket.last();
  assert.equal(second.query.get('since'), 'e:1', 'held events were not handed over, so not resumed past');
  second.ready({ recovered: true });
  second.event('k2', 'e:2');
  second.event('k3', 'e:3');
  mock.timers.tick(40);
  assert.deepEqual(seen.events.map((e) => e.eventId), ['k1', 'k2', 'k3']);
  assert.deepEqual(seen.duplicates, ['k3']);
  assert.equal(c.lastPosition, 'e:3');
});

test('bad frames are reported, not thrown', async () => {
  const { c } = client();
  const bad = [];
  c.on('badFrame', (b) => bad.push(b.raw));
  c.connect();
  await settle();
  const s = FakeSocket.last();
  s.ready();
  s.receive('not json');
  s.receive('[1]');
  assert.deepEqual(bad, ['not json', '[1]']);
  assert.equal(c.state.status, 'ready');
});

test('a user connection needs company and agent', () => {
  assert.throws(() => new RelaymeshClient({ url: 'ws://x', token: 't' }), /company and agent/);
});

test('the resume point follows the highest position handed over, and a new epoch replaces it', async () => {
  const { c } = client();
  c.connect();
  await settle();
  const s = FakeSocket.last();
  s.ready();
  s.event('a', 'e1:10');
  s.event('b', 'e1:9'); // late, without a window: handed over, but the resume point stays
  assert.equal(c.lastPosition, 'e1:10');
  s.event('c', 'e2:1'); // the server's history was reset
  assert.equal(c.lastPosition, 'e2:1');
  s.event('d', 'e2:2');
  assert.equal(c.lastPosition, 'e2:2');
});

test('a reconnect resumes from a little behind the newest position: an event still on its way is replayed, not lost', async () => {
  const { c, seen } = client({ resumeLookbackMs: 500 });
  c.connect();
  await settle();
  const first = FakeSocket.last();
  first.ready();
  first.event('e5', 'e:5');
  mock.timers.tick(1000);
  first.event('e7', 'e:7'); // e:6 is still being forwarded by another pod when the socket drops
  mock.timers.tick(100);
  first.serverClose(1006);
  assert.equal(c.lastPosition, 'e:7', 'the newest position handed over');
  mock.timers.tick(500);
  await settle();
  const second = FakeSocket.last();
  assert.equal(second.query.get('since'), 'e:5', 'the last event from before the look-back');
  second.ready({ recovered: true });
  second.event('e6', 'e:6');
  second.event('e7', 'e:7');
  assert.deepEqual(seen.events.map((e) => e.eventId), ['e5', 'e7', 'e6']);
  assert.deepEqual(seen.duplicates, ['e7']);
});

test('after a quiet spell the resume point is the newest position; lookback 0 always is', async () => {
  for (const [lookback, wait, expected] of [[500, 2000, 'e:9'], [0, 0, 'e:9'], [500, 0, 'e:8']]) {
    FakeSocket.reset();
    const { c } = client({ resumeLookbackMs: lookback });
    c.connect();
    await settle();
    const s = FakeSocket.last();
    s.ready();
    s.event('a', 'e:8');
    s.event('b', 'e:9');
    mock.timers.tick(wait);
    s.serverClose(1006);
    mock.timers.tick(c.state.delayMs);
    await settle();
    assert.equal(FakeSocket.last().query.get('since'), expected, `lookback ${lookback}, quiet ${wait} ms`);
  }
});

test('failed attempts after a loss keep the resume point: the look-back counts from the loss, not the last attempt', async () => {
  const { c } = client({ resumeLookbackMs: 500 });
  c.connect();
  await settle();
  FakeSocket.last().ready();
  FakeSocket.last().event('a', 'e:1');
  FakeSocket.last().event('b', 'e:2');
  FakeSocket.last().serverClose(1006);
  for (let i = 0; i < 3; i += 1) {
    mock.timers.tick(c.state.delayMs);
    await settle();
    assert.equal(FakeSocket.last().query.get('since'), 'e:1', `attempt ${i + 1}`);
    FakeSocket.last().serverClose(1006); // the gateway is still down
  }
  c.disconnect();
  c.connect();
  await settle();
  assert.equal(FakeSocket.last().query.get('since'), 'e:1', 'a disconnect while away keeps it too');
});
