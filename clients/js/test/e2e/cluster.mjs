// @relaymesh/client in Node against two pods on real Redis and NATS JetStream: events published on
// the other pod, select_chat, the close-code policy, and a reconnect to pod B when pod A goes away.
import { action, assert, env, Gateway, recordingClient, run, sleep, until } from './harness.mjs';

const keys = { apiKey: env('RELAYMESH_API_KEY'), adminKey: env('RELAYMESH_ADMIN_API_KEY') };
const podA = env('RELAYMESH_POD_A_URL');
const podB = env('RELAYMESH_POD_B_URL');
const gwB = new Gateway(podB, keys);
const clientKey = env('RELAYMESH_CLIENT_KEY');
const company = 'acme';
const agent = 'cluster';
const chats = `websocket.${company}.${agent}.chats`;
const messages = (chat) => `websocket.${company}.${agent}.messages.${chat}`;

/** Publishes probes to a chat on `gw` until one reaches the client (select_chat has no reply). */
async function probeChat(gw, recorder, chat, tag) {
  let i = 0;
  await until(`a probe on ${chat} through ${tag}`, async () => {
    i += 1;
    await gw.publish(messages(chat), { event_id: `${tag}-${i}`, probe: tag });
    await sleep(150);
    return recorder.seen.events.some((e) => e.payload.probe === tag);
  }, 15000);
}

await run('@relaymesh/client against two pods', async (scenario, cleanup) => {
  // Tokens come from pod B, which stays up; the client tries pod A first, then pod B.
  const user = recordingClient({ url: [podA, podB], company, agent, clientKey, token: () => gwB.userToken(company, agent, 'kim') });
  cleanup(async () => user.client.disconnect());

  await scenario('connects to pod A with the token and the client key', async () => {
    user.client.connect();
    await until('ready', () => user.client.state.status === 'ready');
  });

  await scenario('100 events published on pod B reach the client on pod A, each once', async () => {
    await Promise.all(Array.from({ length: 100 }, (_, i) => gwB.publish(chats, { event_id: `cl-${i + 1}`, n: i + 1 })));
    await until('100 events', () => user.seen.events.length >= 100, 20000);
    await sleep(500);
    const ids = new Set(user.seen.events.map((e) => e.eventId));
    assert(user.seen.events.length === 100 && ids.size === 100, `${user.seen.events.length} events, ${ids.size} distinct`);
  });

  await scenario('select_chat on pod A: the chat\'s messages published on pod B arrive', async () => {
    assert(user.client.selectChat('c1'), 'sent');
    await probeChat(gwB, user, 'c1', 'probe-a');
  });

  await scenario('a token for another agent on pod B: 4403, and no retry', async () => {
    const wrong = recordingClient({ url: podB, company, agent, clientKey, token: await gwB.userToken(company, 'elsewhere', 'kim') });
    wrong.client.connect();
    await until('closed', () => wrong.client.state.status === 'closed');
    assert(wrong.client.state.close.code === 4403, JSON.stringify(wrong.client.state));
    await sleep(2000);
    assert(wrong.count('connecting') === 2, `one attempt only: ${JSON.stringify(wrong.seen.states)}`);
  });

  await scenario('pod A goes away: the client reconnects to pod B by itself and selects its chat again', async () => {
    const readyBefore = user.count('ready');
    await action('stop-a');
    await until('ready on pod B', () => user.count('ready') > readyBefore && user.client.state.status === 'ready', 20000);
    const lost = user.seen.states.filter((s) => s.status === 'reconnecting');
    assert(lost.length > 0 && lost.every((s) => !s.close || s.close.retry), `retryable closes: ${JSON.stringify(lost)}`);
    const lastSelect = user.seen.sent.filter((f) => f.type === 'select_chat').at(-1);
    assert(lastSelect.payload.chat_id === 'c1', JSON.stringify(lastSelect));
    await probeChat(gwB, user, 'c1', 'probe-b');
    await gwB.publish(chats, { event_id: 'cl-after', n: 1000 });
    await until('a chats event on pod B', () => user.seen.events.some((e) => e.eventId === 'cl-after'));
    assert(user.seen.duplicates.every((d) => user.seen.events.some((e) => e.eventId === d.eventId)), 'duplicates were seen before');
  });
});
