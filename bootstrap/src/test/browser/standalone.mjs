// The dashboards against one standalone gateway (the built jar): the user page connects with the
// prefilled keys, shows events with their latency, reconnects after a drop, resumes (since) after a
// drop with the missed event shown once, stops after 4402; the
// admin page shows the pod, kicks the user (4409 on the user page), streams admin events, publishes.
import {
  assert, env, LATENCY, latencyMillis, publishFromBackend, run, scenario, screenshot, textMatches, until, Watch,
} from './lib/harness.mjs';

const base = env('RELAYMESH_URL');
const apiKey = env('RELAYMESH_API_KEY');
const adminKey = env('RELAYMESH_ADMIN_API_KEY');
const watch = new Watch([apiKey, adminKey]);

/** Opens the user page for {@code user} (keys and company/agent prefilled) and connects. */
async function connectedUser(context, name, user) {
  const page = watch.page(await context.newPage(), name);
  await page.goto(`${base}/dashboard/user`);
  await until(`${name}: API key prefilled`, async () => (await page.inputValue('#api-key')) === apiKey);
  if (user) {
    await page.fill('#user', user);
  }
  await page.click('#connect');
  await textMatches(page.locator('#state-label'), /^Ready$/, `${name}: connection state`);
  return page;
}

async function phase(page) {
  return page.getAttribute('#state', 'data-phase');
}

await run('standalone', async (context) => {
  let userPage;
  let identity;

  await scenario('the index page links both dashboards', async () => {
    const page = watch.page(await context.newPage(), 'index');
    await page.goto(`${base}/`);
    await page.click('a[href="/dashboard/user"]');
    await page.waitForURL(`${base}/dashboard/user`);
    await page.goto(`${base}/`);
    await page.click('a[href="/dashboard/admin"]');
    await page.waitForURL(`${base}/dashboard/admin`);
    await page.close();
  });

  await scenario('user dashboard: keys prefilled in standalone, Connect shows ready', async () => {
    userPage = await connectedUser(context, 'user page', null);
    identity = {
      company: await userPage.inputValue('#company'),
      agent: await userPage.inputValue('#agent'),
      user: await userPage.inputValue('#user'),
    };
    assert(identity.company && identity.agent && identity.user, `company/agent/user prefilled: ${JSON.stringify(identity)}`);
    assert(!userPage.url().includes('?'), `the page URL carries no query: ${userPage.url()}`);
    await textMatches(userPage.locator('#token-info'), /^Token .+….+ for /, 'the token line (redacted)');
    await textMatches(userPage.locator('#log'), /"type":"ready"/, 'the ready frame in the log');
  });

  await scenario('published events appear in the log with their delivery latency', async () => {
    await userPage.fill('#chat', 'chat-42');
    await userPage.click('#select-chat');
    await textMatches(userPage.locator('#log .entry[data-kind="sent"]').first(), /select_chat.*chat-42/, 'select_chat sent');
    await textMatches(userPage.locator('#chat-info'), /Current chat: chat-42/, 'the chat line');

    const subject = `websocket.${identity.company}.${identity.agent}.messages.chat-42`;
    const answer = await publishFromBackend(base, adminKey, subject,
      { event_id: 'browser-evt-1', text: 'hello from a backend', sent_at: Date.now() });
    assert(answer.delivered === 1, `delivered to the one user page: ${JSON.stringify(answer)}`);
    const entry = userPage.locator('#log .entry[data-kind="event"]', { hasText: 'browser-evt-1' });
    await textMatches(entry.locator('.body'), /"text":"hello from a backend"/, 'the event payload');
    const latency = await textMatches(entry.locator('.latency'), LATENCY, 'the latency cell');
    const ms = latencyMillis(latency);
    assert(ms >= 0 && ms < 5000, `latency is plausible on one machine: ${latency}`);

    // The page's own publish box: needs the admin key (prefilled in standalone).
    await userPage.fill('#publish-text', 'from the publish box');
    await userPage.click('#publish');
    await textMatches(userPage.locator('#publish-response'), /^200 .*"status":"accepted"/, 'the publish answer');
    await textMatches(userPage.locator('#log .entry[data-kind="event"]').first().locator('.body'),
      /from the publish box/, 'the event from the publish box');
    await textMatches(userPage.locator('#log-stats'), /events 2 .*last latency \d+(\.\d\d)? m?s/, 'the log counters');
    // More events, so the screenshot shows a lively log.
    for (let i = 2; i <= 6; i += 1) {
      await publishFromBackend(base, adminKey, `websocket.${identity.company}.${identity.agent}.chats`,
        { event_id: `browser-evt-${i}`, text: `update ${i}`, sent_at: Date.now() });
    }
    await textMatches(userPage.locator('#log-stats'), /events 7 /, 'seven events counted');
    await screenshot(userPage, 'user-dashboard');
  });

  await scenario('the page modules describe every close code in words and back off with jitter', async () => {
    const result = await userPage.evaluate(async () => {
      const { describeClose, NEEDS_USER_ACTION } = await import('/dashboard/assets/js/close-codes.js');
      const { backoffDelay } = await import('/dashboard/assets/js/relaymesh-client.js');
      const codes = [1000, 1001, 1006, 1008, 1011, 1013, 4400, 4401, 4402, 4403, 4409, 4429];
      const generic = codes.filter((c) => ['Close', 'Application close'].includes(describeClose(c).name));
      const low = [1, 2, 3, 4, 5, 6, 7, 8, 12].map((n) => backoffDelay(n, { random: () => 0 }));
      const high = [1, 2, 3, 4, 5, 6, 7, 8, 12].map((n) => backoffDelay(n, { random: () => 0.999999 }));
      return { generic, needs: [...NEEDS_USER_ACTION].sort(), low, high, kicked: describeClose(4409) };
    });
    assert(result.generic.length === 0, `codes without words: ${result.generic}`);
    assert(JSON.stringify(result.needs) === '[4401,4402,4403,4409]', `no reconnect after ${result.needs}`);
    assert(result.kicked.name === 'SessionKicked', `4409 is SessionKicked: ${JSON.stringify(result.kicked)}`);
    assert(result.low[0] === 500 && result.high[0] === 1000, `first retry within 0.5-1 s: ${result.low[0]}-${result.high[0]}`);
    for (let i = 1; i < result.low.length; i += 1) {
      assert(result.low[i] >= result.low[i - 1], `back-off grows: ${result.low}`);
    }
    assert(result.high.at(-1) === 30000 && result.low.at(-1) === 15000, `capped at 30 s with jitter: ${result.high}`);
  });

  await scenario('a dropped connection reconnects by itself after a back-off', async () => {
    const page = watch.page(await context.newPage(), 'reconnecting page');
    let sockets = 0;
    // The first socket is answered by the test, as a server going down would: close 1001.
    await page.routeWebSocket(/\/ws\//, (ws) => {
      sockets += 1;
      if (sockets === 1) {
        ws.close({ code: 1001, reason: 'server shutting down' });
      } else {
        ws.connectToServer();
      }
    });
    await page.goto(`${base}/dashboard/user`);
    await until('API key prefilled', async () => (await page.inputValue('#api-key')) === apiKey);
    await page.fill('#user', 'rita');
    await page.click('#connect');
    await textMatches(page.locator('#state-label'), /^Reconnecting in .* \(attempt 1\)$/, 'the waiting state');
    await textMatches(page.locator('#state-detail'), /Closed with 1001 Going away\. The server is shutting down or restarting\./,
      'the close in words');
    await textMatches(page.locator('#state-label'), /^Ready$/, 'ready again after the back-off', 5000);
    assert(sockets === 2, `two sockets opened, not ${sockets}`);
    await page.click('#disconnect');
    await textMatches(page.locator('#state-label'), /^Disconnected$/, 'disconnected by the user');
    await page.close();
  });

  await scenario('a connection dropped after events resumes (since): the page says so and shows the missed event once', async () => {
    const page = watch.page(await context.newPage(), 'resuming page');
    const sockets = [];
    await page.routeWebSocket(/\/ws\//, (ws) => {
      sockets.push({ url: ws.url(), page: ws, server: ws.connectToServer() });
    });
    await page.goto(`${base}/dashboard/user`);
    await until('API key prefilled', async () => (await page.inputValue('#api-key')) === apiKey);
    await page.fill('#user', 'ruth');
    await page.click('#connect');
    await textMatches(page.locator('#state-label'), /^Ready$/, 'ready');
    const chats = `websocket.${await page.inputValue('#company')}.${await page.inputValue('#agent')}.chats`;
    await publishFromBackend(base, adminKey, chats, { event_id: 'resume-1', text: 'before the drop' });
    await textMatches(page.locator('#log .entry[data-kind="event"]', { hasText: 'resume-1' }), /before the drop/, 'the first event');
    // The network drops: both sides of the socket close; an event is published while the page is away.
    await sockets[0].server.close({ code: 1001, reason: 'test drop' });
    await sockets[0].page.close({ code: 1001, reason: 'test drop' });
    await textMatches(page.locator('#state-label'), /^Reconnecting in /, 'the page reconnects');
    await publishFromBackend(base, adminKey, chats, { event_id: 'resume-2', text: 'while away' });
    await textMatches(page.locator('#state-label'), /^Ready$/, 'ready again', 5000);
    assert(sockets.length === 2 && /[?&]since=[^&]+/.test(sockets[1].url), `the second socket asks since: ${sockets.map((x) => x.url.replace(/token=[^&]+/, 'token=…'))}`);
    await textMatches(page.locator('#state-detail'), /Resumed after .*: the events missed meanwhile came first\./, 'resumed, in words');
    const missed = page.locator('#log .entry[data-kind="event"]', { hasText: 'resume-2' });
    await textMatches(missed.first(), /while away/, 'the missed event');
    assert(await missed.count() === 1, `the missed event once, not ${await missed.count()}`);
    await page.click('#disconnect');
    await page.close();
  });

  await scenario('a newer connection for the same user closes the older with 4402, which waits for the user', async () => {
    const first = await connectedUser(context, 'first sam', 'sam');
    const second = await connectedUser(context, 'second sam', 'sam');
    await textMatches(first.locator('#state-label'), /^Closed · 4402 SessionConflict$/, 'the older page');
    await textMatches(first.locator('#state-detail'), /A newer connection for the same user took this session over/, 'its words');
    await textMatches(first.locator('#state-action'), /Not reconnecting/, 'no reconnect, said on screen');
    await first.waitForTimeout(1500);
    assert(await phase(first) === 'closed', 'the older page stays closed');
    assert(await phase(second) === 'ready', 'the newer page stays ready');
    await first.close();
    await second.close();
  });

  await scenario('a wrong API key: the token request names it; a wrong client key: the socket closes with 4401 for good', async () => {
    const page = watch.page(await context.newPage(), 'wrong key page');
    await page.goto(`${base}/dashboard/user`);
    await until('API key prefilled', async () => (await page.inputValue('#api-key')) === apiKey);
    await page.fill('#user', 'wendy');
    await page.click('#generate');
    await textMatches(page.locator('#token-info'), /^Token .* for .*\/wendy, expires/, 'a token for wendy');
    await page.fill('#api-key', 'not-the-general-key-000000');
    await page.click('#generate');
    await textMatches(page.locator('#connection-problem'), /^Token not generated\. InvalidAPIKey: /, 'the refused token request');
    assert(await page.getAttribute('#api-key', 'aria-invalid') === 'true', 'the API key field is marked');
    await page.fill('#client-key', 'not-a-client-key-0000000000');
    await page.click('#connect'); // the token still fits: the socket itself meets the wrong client key
    await textMatches(page.locator('#state-label'), /^Closed · 4401 InvalidAPIKey$/, 'the close');
    await textMatches(page.locator('#state-action'), /Check the API key/, 'what to do');
    await page.waitForTimeout(1500);
    assert(await phase(page) === 'closed', 'no reconnect after 4401');
    await page.close();
  });

  let adminPage;
  await scenario('admin dashboard: the cluster view shows this standalone pod', async () => {
    const health = await (await fetch(`${base}/health`)).json();
    adminPage = watch.page(await context.newPage(), 'admin page');
    await adminPage.goto(`${base}/dashboard/admin`);
    await until('admin API key prefilled', async () => (await adminPage.inputValue('#admin-key')) === adminKey);
    const row = adminPage.locator(`#pods-body tr[data-pod="${health.pod_id}"]`);
    await textMatches(row, new RegExp(health.pod_id), 'the pod row');
    await textMatches(adminPage.locator('#cluster-status'), /^standalone · answered by /, 'the mode line');
    await textMatches(adminPage.locator('#total-pods'), /^1$/, 'one pod in total');
    await textMatches(row.locator('td').nth(2), /^[1-9]\d*$/, 'its connection count (the user page)');
  });

  await scenario('admin kicks the user: the user page shows 4409 SessionKicked and does not reconnect', async () => {
    await adminPage.click('#tab-sessions');
    await adminPage.fill('#sessions-search', identity.user);
    const sessionKey = new RegExp(`${identity.company}:${identity.agent}:${identity.user}`);
    const row = adminPage.locator('#sessions-body tr', { hasText: sessionKey });
    await textMatches(row, sessionKey, 'the session found by search');
    await textMatches(adminPage.locator('#sessions-status'), /1 session matching/, 'the search count');
    await row.locator('button', { hasText: 'Kick' }).click();
    await textMatches(adminPage.locator('#kick-text'), new RegExp(`${identity.user}.*4409`), 'the confirmation');
    await adminPage.click('#kick-confirm');
    await textMatches(adminPage.locator('#kick-result'), /^Kicked /, 'the kick result');

    await textMatches(userPage.locator('#state-label'), /^Closed · 4409 SessionKicked$/, 'the user page state');
    await textMatches(userPage.locator('#state-detail'), /An administrator closed this session/, 'the reason in words');
    await textMatches(userPage.locator('#state-action'), /Not reconnecting after a kick/, 'no reconnect, said on screen');
    await userPage.waitForTimeout(2000);
    assert(await phase(userPage) === 'closed', 'the kicked page stays closed');
    await textMatches(adminPage.locator('#sessions-status'), /0 sessions matching/, 'the session is gone from the list');
  });

  await scenario('admin event stream and publish console', async () => {
    await adminPage.click('#tab-cluster');
    await adminPage.click('#connect');
    await textMatches(adminPage.locator('#state-label'), /^Ready$/, 'the admin socket');
    await adminPage.click('#tab-publish');
    await adminPage.fill('#console-subject', `websocket.${identity.company}.${identity.agent}.agents`);
    await adminPage.fill('#console-payload', '{"status": "online", ');
    await textMatches(adminPage.locator('#console-check'), /^Not JSON/, 'invalid JSON is named');
    assert(await adminPage.isDisabled('#console-send'), 'and cannot be sent');
    await adminPage.fill('#console-payload', '{"event_id": "agent-evt-1", "status": "online"}');
    await textMatches(adminPage.locator('#console-check'), /^Valid/, 'valid JSON');
    await adminPage.click('#console-send');
    await textMatches(adminPage.locator('#console-response'), /HTTP 200[\s\S]*"status": "accepted"/, 'the answer');
    const entry = adminPage.locator('#log .entry[data-kind="event"]', { hasText: 'agent-evt-1' });
    await textMatches(entry.locator('.latency'), LATENCY, 'the admin event with its latency (sent_at added)');
  });

  await scenario('no secret in a URL or the console', async () => {
    const problems = watch.problems();
    assert(problems.length === 0, problems.join('; '));
  });
});
