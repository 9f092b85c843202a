// [resume] @relaymesh/client's resume and ordering against two pods on real Redis and NATS
// JetStream: the client on pod A loses its network, events are published meanwhile, and it comes
// back on pod B with since: every missed event once, in order, recovered: true; and pod A stopped
// while events are being published (issue 18's test, through the SDK). Needs the server side of
// issue 18 (positions, since, recovered).
import { action, assert, env, Gateway, Proxy, recordingClient, run, sleep, until } from './harness.mjs';

const keys = { apiKey: env('RELAYMESH_API_KEY'), adminKey: env('RELAYMESH_ADMIN_API_KEY') };
const podA = env('RELAYMESH_POD_A_URL');
const podB = env('RELAYMESH_POD_B_URL');
const gwA = new Gateway(podA, keys);
const gwB = new Gateway(podB, keys);
const clientKey = env('RELAYMESH_CLIENT_KEY');
const company = 'acme';
const agent = 'cresume';
const chats = `websocket.${company}.${agent}.chats`;
const seqOf = (p) => BigInt(p.slice(p.lastIndexOf(':') + 1));

/** Positions handed to the app that are lower than one handed over before them. */
function outOfOrder(events) {
  let bad = 0;
  for (let i = 1; i < events.length; i += 1) {
    if (seqOf(events[i].position) < seqOf(events[i - 1].position)) bad += 1;
  }
  return bad;
}

await run('@relaymesh/client resumes across pods', async (scenario, cleanup) => {
  const proxy = await new Proxy(Number(new URL(podA).port)).listen();
  cleanup(() => proxy.close());
  // A wider reorder window than the default 50 ms: on a busy test machine a forwarded event can
  // take longer than that to overtake; the test is of the SDK's ordering, not of the machine.
  const reorderWindowMs = 500;
  const user = recordingClient({ url: proxy.url, company, agent, clientKey, reorderWindowMs,
    token: () => gwB.userToken(company, agent, 'lee') });
  const arrived = [];
  user.client.on('frame', ({ frame }) => frame.type === 'event' && arrived.push(frame));
  cleanup(async () => user.client.disconnect());

  await scenario('events published on both pods at once reach the app in position order, each once', async () => {
    user.client.connect();
    await until('ready', () => user.client.state.status === 'ready');
    await Promise.all(Array.from({ length: 300 }, (_, i) =>
      (i % 2 ? gwA : gwB).publish(chats, { event_id: `o-${i}`, n: i })));
    await until('300 events', () => user.seen.events.length >= 300, 30000);
    await sleep(500);
    assert(user.seen.events.length === 300, `${user.seen.events.length} events handed over`);
    assert(user.seen.events.every((e) => /^[^:]+:\d+$/.test(e.position)), 'every event has a position');
    console.log(`# ${outOfOrder(arrived)} of ${arrived.length} frames arrived out of order; the app got them in order`);
    assert(outOfOrder(user.seen.events) === 0, `${outOfOrder(user.seen.events)} events out of order`);
  });

  await scenario('pod A out of reach, 1,000 events published, back through pod B: all 1,000 once, in order, recovered: true', async () => {
    const before = user.seen.events.length;
    const last = user.client.lastPosition;
    proxy.cut();
    await until('reconnecting', () => user.client.state.status === 'reconnecting');
    await sleep(500);
    for (let i = 0; i < 1000; i += 100) {
      await Promise.all(Array.from({ length: 100 }, (_, j) => gwB.publish(chats, { event_id: `away-${i + j}`, n: i + j })));
    }
    const readyBefore = user.count('ready');
    proxy.restore(Number(new URL(podB).port));
    await until('ready on pod B', () => user.count('ready') > readyBefore && user.client.state.status === 'ready', 20000);
    const { since, recovered } = user.seen.ready.at(-1);
    assert(recovered === true && seqOf(since) <= seqOf(last), `ready: ${JSON.stringify(user.seen.ready.at(-1))}, newest ${last}`);
    await until('1,000 missed events', () => user.seen.events.length >= before + 1000, 30000);
    await sleep(500);
    const got = user.seen.events.slice(before);
    const ids = new Set(got.map((e) => e.eventId));
    assert(got.length === 1000 && ids.size === 1000, `${got.length} events, ${ids.size} distinct`);
    assert(outOfOrder(got) === 0, `${outOfOrder(got)} out of order`);
    const all = user.seen.events.map((e) => e.eventId);
    assert(new Set(all).size === all.length, 'no event handed over twice in the whole run');
    assert([...ids].every((id) => id.startsWith('away-')), 'only the missed events after the reconnect');
    console.log(`# resumed since ${since} (newest ${last}); ${user.seen.duplicates.length} repeats dropped`);
  });

  await scenario('pod A stops while 1,000 events are being published: the app sees 1,000 once, in order, recovered: true', async () => {
    const onA = recordingClient({ url: [podA, podB], company, agent: 'kill', clientKey, reorderWindowMs,
      token: () => gwB.userToken(company, 'kill', 'max') });
    cleanup(async () => onA.client.disconnect());
    onA.client.connect();
    await until('ready on pod A', () => onA.client.state.status === 'ready');
    const subject = `websocket.${company}.kill.chats`;
    let published = 0;
    const publishing = (async () => {
      for (let i = 0; i < 1000; i += 20) {
        await Promise.all(Array.from({ length: 20 }, (_, j) => gwB.publish(subject, { event_id: `k-${i + j}`, n: i + j })));
        published += 20;
        await sleep(20);
      }
    })();
    await until('a third published', () => published >= 300, 20000);
    const readyBefore = onA.count('ready');
    await action('stop-a');
    await publishing;
    await until('ready on pod B', () => onA.count('ready') > readyBefore && onA.client.state.status === 'ready', 20000);
    await until('1,000 events', () => onA.seen.events.length >= 1000, 30000);
    await sleep(500);
    const ready = onA.seen.ready.at(-1);
    const ids = new Set(onA.seen.events.map((e) => e.eventId));
    console.log(`# pod A stopped after ${published} publishes; resumed since ${ready.since}; `
      + `${onA.seen.duplicates.length} repeats dropped; ${outOfOrder(onA.seen.events)} out of order`);
    assert(ready.recovered === true, `ready: ${JSON.stringify(ready)}`);
    assert(onA.seen.events.length === 1000 && ids.size === 1000, `${onA.seen.events.length} events, ${ids.size} distinct`);
    assert(outOfOrder(onA.seen.events) === 0, `${outOfOrder(onA.seen.events)} out of order`);
  });
});
