// [resume] @relaymesh/client's resume against the real standalone jar: positions on events, since
// on reconnect, recovered true after a network drop, select_chat with since, recovered false after
// a restart (a new epoch). Needs the server side of issue 18 (positions, since, recovered).
import { action, assert, env, Gateway, Proxy, recordingClient, run, sleep, until } from './harness.mjs';

const base = env('RELAYMESH_URL');
const port = Number(new URL(base).port);
const gw = new Gateway(base, { apiKey: env('RELAYMESH_API_KEY'), adminKey: env('RELAYMESH_ADMIN_API_KEY') });
const clientKey = env('RELAYMESH_CLIENT_KEY');
const company = 'acme';
const agent = 'resume';
const chats = `websocket.${company}.${agent}.chats`;
const messages = (chat) => `websocket.${company}.${agent}.messages.${chat}`;
const POSITION = /^[^:]+:\d+$/;
const seq = (p) => BigInt(p.slice(p.lastIndexOf(':') + 1));

await run('@relaymesh/client resumes against the standalone jar', async (scenario, cleanup) => {
  const proxy = await new Proxy(port).listen();
  cleanup(() => proxy.close());
  const user = recordingClient({ url: proxy.url, company, agent, clientKey, token: () => gw.userToken(company, agent, 'rosa') });
  cleanup(async () => user.client.disconnect());

  await scenario('every event carries a position "<epoch>:<seq>", rising in publish order', async () => {
    user.client.connect();
    await until('ready', () => user.client.state.status === 'ready');
    for (let n = 1; n <= 5; n += 1) {
      await gw.publish(chats, { event_id: `live-${n}`, n });
    }
    await until('5 events', () => user.seen.events.length >= 5);
    const positions = user.seen.events.map((e) => e.position);
    assert(positions.every((p) => POSITION.test(p)), `positions: ${positions}`);
    const seqs = positions.map((p) => BigInt(p.split(':').at(-1)));
    assert(seqs.every((s, i) => i === 0 || s > seqs[i - 1]), `rising: ${positions}`);
    assert(user.client.lastPosition === positions.at(-1), `last position ${user.client.lastPosition}`);
  });

  await scenario('a network drop: what was published meanwhile comes after the reconnect, once, in order; recovered: true', async () => {
    const last = user.client.lastPosition;
    proxy.cut();
    await until('reconnecting', () => user.client.state.status === 'reconnecting');
    await sleep(300); // the server notices the dropped socket
    for (let n = 6; n <= 55; n += 1) {
      await gw.publish(chats, { event_id: `missed-${n}`, n });
    }
    const readyBefore = user.count('ready');
    proxy.restore();
    await until('ready again', () => user.count('ready') > readyBefore && user.client.state.status === 'ready', 15000);
    // The SDK resumes from a little behind the newest position (resumeLookbackMs): the repeats are dropped.
    const { since, recovered } = user.seen.ready.at(-1);
    assert(recovered === true, `ready: ${JSON.stringify(user.seen.ready.at(-1))}`);
    assert(user.seen.events.some((e) => e.position === since) && seq(since) <= seq(last), `since ${since} is a position seen, at most ${last}`);
    assert(proxy.requests.at(-1).includes(`since=${encodeURIComponent(since)}`), `the upgrade asked since ${since}: ${proxy.requests.at(-1)}`);
    await gw.publish(chats, { event_id: 'live-56', n: 56 });
    await until('55 + 1 events', () => user.seen.events.length >= 56);
    await sleep(300);
    const ns = user.texts();
    assert(JSON.stringify(ns) === JSON.stringify(Array.from({ length: 56 }, (_, i) => i + 1)), `once each, in order: ${ns}`);
    console.log(`# resumed since ${since} (newest ${last}); ${user.seen.duplicates.length} repeats dropped`);
  });

  await scenario('select_chat with since after a reconnect: the chat\'s missed messages follow; chat_selected says recovered', async () => {
    user.client.selectChat('c9');
    // One event_id for every probe: those published before the selection took effect are in the
    // chat's history too, and a replay from before them must not hand them over again.
    await until('c9 selected', async () => (await gw.publish(messages('c9'), { event_id: 'c9-probe', m: 0 })).delivered === 1);
    await until('the probe', () => user.seen.events.some((e) => e.payload.m === 0));
    const before = user.seen.events.length;
    proxy.cut();
    await until('reconnecting', () => user.client.state.status === 'reconnecting');
    await sleep(300);
    for (let m = 1; m <= 10; m += 1) {
      await gw.publish(messages('c9'), { event_id: `c9-${m}`, m });
    }
    proxy.restore();
    await until('chat_selected', () => user.seen.chats.length > 0, 15000);
    assert(JSON.stringify(user.seen.chats.at(-1)) === JSON.stringify({ chatId: 'c9', recovered: true }),
      `chat_selected: ${JSON.stringify(user.seen.chats)}`);
    const sent = user.seen.sent.filter((f) => f.type === 'select_chat').at(-1);
    assert(POSITION.test(sent.payload.since ?? ''), `select_chat carried since: ${JSON.stringify(sent)}`);
    await until('10 missed messages', () => user.seen.events.length >= before + 10);
    const ms = user.seen.events.slice(before).map((e) => e.payload.m);
    assert(JSON.stringify(ms) === '[1,2,3,4,5,6,7,8,9,10]', `in order, once: ${ms}`);
  });

  await scenario('the jar restarts (a new epoch): recovered: false, then live events of the new epoch', async () => {
    const last = user.client.lastPosition;
    const readyBefore = user.count('ready');
    await action('restart');
    await until('ready after the restart', () => user.count('ready') > readyBefore && user.client.state.status === 'ready', 30000);
    const ready = user.seen.ready.at(-1);
    assert(ready.recovered === false && POSITION.test(ready.since ?? ''), `ready: ${JSON.stringify(ready)}`);
    assert(user.client.state.recovered === false, 'the state says so too');
    await gw.publish(chats, { event_id: 'after-restart', n: 100 });
    await until('the new event', () => user.seen.events.some((e) => e.eventId === 'after-restart'));
    const epoch = (p) => p.slice(0, p.lastIndexOf(':'));
    assert(epoch(user.client.lastPosition) !== epoch(last), `a new epoch: ${last} then ${user.client.lastPosition}`);
  });
});
