// @relaymesh/client in Node against the real standalone jar (ClientSdkIT starts it with a client key
// configured, so every socket must carry it): connect, ready, events, select_chat, a reconnect after
// the server closes the socket, the close-code policy, an admin client, a restart of the jar.
import { action, assert, env, Gateway, recordingClient, run, sleep, until } from './harness.mjs';

const base = env('RELAYMESH_URL');
const gw = new Gateway(base, { apiKey: env('RELAYMESH_API_KEY'), adminKey: env('RELAYMESH_ADMIN_API_KEY') });
const clientKey = env('RELAYMESH_CLIENT_KEY');
const adminClientKey = env('RELAYMESH_ADMIN_CLIENT_KEY');
const company = 'acme';
const agent = 'sdk';
const chats = `websocket.${company}.${agent}.chats`;
const messages = (chat) => `websocket.${company}.${agent}.messages.${chat}`;

/** Publishes to a chat until the gateway says a connection got it (select_chat has no reply). */
async function publishOnceSelected(chat, payload) {
  return until(`a connection selecting ${chat}`, async () => (await gw.publish(messages(chat), payload)).delivered === 1);
}

await run('@relaymesh/client against the standalone jar', async (scenario, cleanup) => {
  const user = recordingClient({ url: base, company, agent, clientKey, token: () => gw.userToken(company, agent, 'ada') });
  cleanup(async () => user.client.disconnect());

  await scenario('connects with the token and the client key: connecting, open, then ready', async () => {
    user.client.connect();
    await until('ready', () => user.client.state.status === 'ready');
    const steps = user.seen.states.map((s) => (s.status === 'connecting' ? `connecting${s.open ? '+open' : ''}` : s.status));
    assert(JSON.stringify(steps) === '["connecting","connecting+open","ready"]', `states: ${steps}`);
    assert(JSON.stringify(user.seen.ready) === '[{}]', `no since on a first connect: ${JSON.stringify(user.seen.ready)}`);
  });

  await scenario('chats events reach the app once each, in publish order, with their event_id', async () => {
    for (let n = 1; n <= 20; n += 1) {
      const answer = await gw.publish(chats, { event_id: `sa-${n}`, n });
      assert(answer.delivered === 1, `publish ${n}: ${JSON.stringify(answer)}`);
    }
    await until('20 events', () => user.seen.events.length >= 20);
    assert(JSON.stringify(user.texts()) === JSON.stringify(Array.from({ length: 20 }, (_, i) => i + 1)), `order: ${user.texts()}`);
    assert(user.seen.events.every((e, i) => e.eventId === `sa-${i + 1}` && e.receivedAt > 0), 'event ids');
    assert(user.seen.duplicates.length === 0, 'no duplicate');
  });

  await scenario('select_chat: the chat\'s messages arrive, another chat\'s do not', async () => {
    assert(user.client.selectChat('c1'), 'sent while ready');
    await publishOnceSelected('c1', { event_id: 'probe-1', chat: 'c1' });
    const other = await gw.publish(messages('c2'), { event_id: 'other-1', chat: 'c2' });
    assert(other.delivered === 0, `c2 is not selected: ${JSON.stringify(other)}`);
    await until('the c1 message', () => user.seen.events.some((e) => e.eventId === 'probe-1'));
    await sleep(200);
    assert(!user.seen.events.some((e) => e.payload.chat === 'c2'), 'no c2 message');
  });

  await scenario('ping: the pong comes back with its round trip', async () => {
    const rtt = new Promise((resolve) => user.client.on('pong', (p) => resolve(p.rttMs)));
    assert(user.client.ping(), 'ping sent');
    const ms = await Promise.race([rtt, sleep(5000).then(() => -1)]);
    assert(ms >= 0 && ms < 5000, `round trip ${ms}`);
  });

  await scenario('the server closes the socket (4429 after a burst of frames): the client reconnects and selects its chat again', async () => {
    const readyBefore = user.count('ready');
    for (let i = 0; i < 120 && user.client.state.status === 'ready'; i += 1) {
      user.client.ping();
    }
    await until('the 4429 close', () => user.seen.states.some((s) => s.status === 'reconnecting' && s.close?.code === 4429));
    const lost = user.seen.states.find((s) => s.status === 'reconnecting' && s.close?.code === 4429);
    assert(lost.close.name === 'RateLimitExceeded' && lost.error?.code === 'RateLimitExceeded', JSON.stringify(lost));
    await until('ready again', () => user.count('ready') > readyBefore && user.client.state.status === 'ready', 10000);
    const lastSent = user.seen.sent.filter((f) => f.type === 'select_chat').at(-1);
    assert(lastSent.payload.chat_id === 'c1', `select_chat again: ${JSON.stringify(lastSent)}`);
    await publishOnceSelected('c1', { event_id: 'probe-2', chat: 'c1' });
    await gw.publish(chats, { event_id: 'sa-21', n: 21 });
    await until('the chat message and the chats event after the reconnect',
      () => user.seen.events.some((e) => e.eventId === 'probe-2') && user.seen.events.some((e) => e.eventId === 'sa-21'));
  });

  await scenario('a token for another agent: 4403 InvalidToken, and no retry', async () => {
    const wrong = recordingClient({ url: base, company, agent, clientKey, token: await gw.userToken(company, 'other-agent', 'bob') });
    wrong.client.connect();
    await until('closed', () => wrong.client.state.status === 'closed');
    const s = wrong.client.state;
    assert(s.close.code === 4403 && s.close.retry === false && s.error?.code === 'InvalidToken', JSON.stringify(s));
    await sleep(2000);
    assert(wrong.count('connecting') === 2 && wrong.client.state.status === 'closed', `one attempt only: ${JSON.stringify(wrong.seen.states)}`);
  });

  await scenario('a wrong client key: 4401 InvalidAPIKey, and no retry', async () => {
    const wrong = recordingClient({ url: base, company, agent, clientKey: 'not-the-client-key-000000000',
      token: await gw.userToken(company, agent, 'carl') });
    wrong.client.connect();
    await until('closed', () => wrong.client.state.status === 'closed');
    assert(wrong.client.state.close.code === 4401, JSON.stringify(wrong.client.state));
    await sleep(1500);
    assert(wrong.count('connecting') === 2, 'one attempt only');
  });

  await scenario('a newer client for the same user takes the session: the older gets 4402 and does not come back', async () => {
    const older = recordingClient({ url: base, company, agent, clientKey, token: () => gw.userToken(company, agent, 'dora') });
    const newer = recordingClient({ url: base, company, agent, clientKey, token: () => gw.userToken(company, agent, 'dora') });
    cleanup(async () => newer.client.disconnect());
    older.client.connect();
    await until('the older ready', () => older.client.state.status === 'ready');
    newer.client.connect();
    await until('the older closed', () => older.client.state.status === 'closed');
    assert(older.client.state.close.code === 4402, JSON.stringify(older.client.state));
    await sleep(1500);
    assert(older.client.state.status === 'closed' && newer.client.state.status === 'ready', 'the newer keeps the session');
    newer.client.disconnect();
  });

  await scenario('an operator kicks the user: 4409 SessionKicked, and no retry', async () => {
    const kicked = recordingClient({ url: base, company, agent, clientKey, token: () => gw.userToken(company, agent, 'eve') });
    kicked.client.connect();
    await until('ready', () => kicked.client.state.status === 'ready');
    await gw.kick(company, agent, 'eve');
    await until('closed', () => kicked.client.state.status === 'closed');
    assert(kicked.client.state.close.code === 4409, JSON.stringify(kicked.client.state));
    await sleep(1500);
    assert(kicked.client.state.status === 'closed', 'still closed');
  });

  await scenario('an admin client on /ws/admin gets agents events', async () => {
    const admin = recordingClient({ url: base, admin: true, clientKey: adminClientKey, token: () => gw.adminToken('ops') });
    cleanup(async () => admin.client.disconnect());
    admin.client.connect();
    await until('admin ready', () => admin.client.state.status === 'ready');
    await gw.publish(`websocket.${company}.${agent}.agents`, { event_id: 'agent-1', status: 'online' });
    await until('the agents event', () => admin.seen.events.some((e) => e.eventId === 'agent-1' && e.payload.status === 'online'));
    assert(!user.seen.events.some((e) => e.eventId === 'agent-1'), 'users do not get agents events');
    admin.client.disconnect();
    assert(admin.client.state.status === 'closed' && admin.client.state.byUser, 'disconnected by the app');
  });

  await scenario('the jar restarts: the client reconnects to the new process by itself, chat selected again', async () => {
    const readyBefore = user.count('ready');
    const statesBefore = user.seen.states.length;
    await action('restart');
    await until('ready after the restart', () => user.count('ready') > readyBefore && user.client.state.status === 'ready', 30000);
    // The close first; then, while the jar is down, attempts whose token fetch fails (retried too).
    const lost = user.seen.states.slice(statesBefore).filter((s) => s.status === 'reconnecting');
    assert(lost[0].close?.retry === true, `a retryable close first: ${JSON.stringify(lost[0])}`);
    assert(lost.every((s) => s.close?.retry || s.problem), `every later attempt retried: ${JSON.stringify(lost)}`);
    await publishOnceSelected('c1', { event_id: 'probe-3', chat: 'c1' });
    await gw.publish(chats, { event_id: 'sa-22', n: 22 });
    await until('events after the restart',
      () => user.seen.events.some((e) => e.eventId === 'probe-3') && user.seen.events.some((e) => e.eventId === 'sa-22'));
  });
});
