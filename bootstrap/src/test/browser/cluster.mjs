// The dashboards against two cluster pods on one Redis and one NATS: a user on pod B, the admin
// page on pod A. The cluster view lists both pods with charts, a publish on pod A reaches pod B,
// a pod that leaves is shown as gone, sessions and routes are found, and a kick crosses pods.
import {
  assert, colouredPixels, env, LATENCY, publishFromBackend, run, scenario, screenshot, textMatches, until, Watch,
} from './lib/harness.mjs';

const podA = env('RELAYMESH_POD_A_URL');
const podB = env('RELAYMESH_POD_B_URL');
const podAId = env('RELAYMESH_POD_A_ID');
const podBId = env('RELAYMESH_POD_B_ID');
const apiKey = env('RELAYMESH_API_KEY');
const adminKey = env('RELAYMESH_ADMIN_API_KEY');
const watch = new Watch([apiKey, adminKey]);
const company = 'acme';
const agent = 'support';
const user = 'bob';

await run('cluster', async (context) => {
  let userPage;
  let adminPage;

  await scenario('cluster mode prefills no key; a user connects on pod B', async () => {
    userPage = watch.page(await context.newPage(), 'user page on pod B');
    await userPage.goto(`${podB}/dashboard/user`);
    await until('the page is loaded', () => userPage.getAttribute('body', 'data-loaded'));
    assert(await userPage.inputValue('#api-key') === '', 'no API key prefilled in cluster mode');
    await textMatches(userPage.locator('#where'), new RegExp(`cluster · pod ${podBId}`), 'the top bar');
    await userPage.fill('#api-key', apiKey);
    await userPage.fill('#company', company);
    await userPage.fill('#agent', agent);
    await userPage.fill('#user', user);
    await userPage.fill('#admin-key', adminKey);
    await userPage.click('#connect');
    await textMatches(userPage.locator('#state-label'), /^Ready$/, 'the connection state');
    await userPage.fill('#chat', 'chat-7');
    await userPage.click('#select-chat');
    await textMatches(userPage.locator('#chat-info'), /Current chat: chat-7/, 'the chat line');
  });

  await scenario('the cluster view on pod A lists both pods', async () => {
    adminPage = watch.page(await context.newPage(), 'admin page on pod A');
    await adminPage.goto(`${podA}/dashboard/admin`);
    await until('the page is loaded', () => adminPage.getAttribute('body', 'data-loaded'));
    assert(await adminPage.inputValue('#admin-key') === '', 'no admin key prefilled in cluster mode');
    await adminPage.fill('#admin-key', adminKey);
    await adminPage.dispatchEvent('#admin-key', 'change');
    await adminPage.fill('#admin-id', 'ops');
    for (const pod of [podAId, podBId]) {
      await textMatches(adminPage.locator(`#pods-body tr[data-pod="${pod}"] td.pod`), new RegExp(`^${pod}$`), `the row of ${pod}`);
    }
    await textMatches(adminPage.locator('#total-pods'), /^2$/, 'two pods in total');
    await textMatches(adminPage.locator('#cluster-status'), new RegExp(`^cluster · answered by ${podAId}`), 'the mode line');
    await textMatches(adminPage.locator(`#pods-body tr[data-pod="${podBId}"] td`).nth(2), /^[1-9]\d*$/,
      'pod B counts the user connection');
    await textMatches(adminPage.locator(`#pods-body tr[data-pod="${podBId}"] td`).nth(1), /^\S+:\d+$/, 'pod B gRPC address');
  });

  await scenario('the publish console on pod A reaches the user on pod B, and the charts draw it', async () => {
    await adminPage.click('#connect');
    await textMatches(adminPage.locator('#state-label'), /^Ready$/, 'the admin socket');
    await adminPage.click('#tab-publish');
    await adminPage.fill('#console-subject', `websocket.${company}.${agent}.chats`);
    await adminPage.fill('#console-payload', '{"event_id": "console-1", "text": "hello across pods"}');
    await adminPage.click('#console-send');
    await textMatches(adminPage.locator('#console-response'), /HTTP 200[\s\S]*"status": "accepted"/, 'the answer');
    const entry = userPage.locator('#log .entry[data-kind="event"]', { hasText: 'console-1' });
    // The first event of a fresh cluster can take over a second (consumers warming up): ms or s.
    await textMatches(entry.locator('.latency'), LATENCY, 'the event on pod B with its latency');

    // Some traffic for the charts: chats and chat messages, from the console and the user page's box.
    for (let i = 2; i <= 16; i += 1) {
      const subject = i % 2 ? `websocket.${company}.${agent}.messages.chat-7` : `websocket.${company}.${agent}.chats`;
      await adminPage.fill('#console-subject', subject);
      await adminPage.fill('#console-payload', JSON.stringify({ event_id: `console-${i}`, text: `update ${i}` }));
      await adminPage.click('#console-send');
      await textMatches(adminPage.locator('#console-response'), new RegExp(`^#${i} `), `publish #${i}`);
      await adminPage.waitForTimeout(250);
    }
    await adminPage.fill('#console-subject', `websocket.${company}.${agent}.agents`);
    await adminPage.fill('#console-payload', '{"event_id": "agents-1", "status": "online"}');
    await adminPage.click('#console-send');
    await textMatches(adminPage.locator('#log .entry[data-kind="event"]').first(), /agents-1/, 'the admin event stream');
    await until('all 16 events on pod B', async () => /events (1[6-9]|[2-9]\d)/.test(await userPage.textContent('#log-stats')), 20000);

    await adminPage.click('#tab-cluster');
    // Steady traffic from backends on both pods for longer than the pods' 10 s stats window, so the
    // charts and percentiles show a steady state rather than the first, slower deliveries.
    const until12s = Date.now() + 12000;
    for (let i = 0; Date.now() < until12s && i < 100; i += 1) {
      await publishFromBackend(i % 2 ? podA : podB, adminKey, `websocket.${company}.${agent}.chats`,
        { event_id: `backend-${i}`, text: `tick ${i}`, sent_at: Date.now() });
      await adminPage.waitForTimeout(200);
    }
    await until('events/s shown on the charts', async () => (await colouredPixels(adminPage, '#chart-events')) > 30, 15000);
    await until('frames/s drawn', async () => (await colouredPixels(adminPage, '#chart-frames')) > 30, 15000);
    await textMatches(adminPage.locator(`#pods-body tr[data-pod="${podBId}"] td`).nth(8), /\d m?s$/, 'pod B p99 latency');
    await screenshot(adminPage, 'admin-cluster');
    await screenshot(userPage, 'user-dashboard-cluster');
  }, 75000);

  await scenario('a pod that leaves the pod directory is shown as gone, and back when it returns', async () => {
    // The gateway answers as it would once pod B stopped: the same body without pod B.
    await adminPage.route('**/admin/api/cluster', async (route) => {
      const response = await route.fetch();
      const body = await response.json();
      body.pods = body.pods.filter((p) => p.pod_id !== podBId);
      await route.fulfill({ response, json: body });
    });
    const row = adminPage.locator(`#pods-body tr[data-pod="${podBId}"]`);
    await until('pod B marked gone', async () => (await row.getAttribute('class') || '').includes('gone'));
    await textMatches(row.locator('td.age'), /^gone since \d\d:\d\d:\d\d$/, 'since when');
    await adminPage.unroute('**/admin/api/cluster');
    await until('pod B live again', async () => !((await row.getAttribute('class')) || '').includes('gone'));
  });

  await scenario('sessions search finds the user on pod B; routes list its keys', async () => {
    await adminPage.click('#tab-sessions');
    await adminPage.fill('#sessions-search', user);
    const row = adminPage.locator('#sessions-body tr', { hasText: `${company}:${agent}:${user}` });
    await textMatches(adminPage.locator('#sessions-status'), new RegExp(`^1 session matching “${user}”$`), 'the search count');
    await textMatches(row, new RegExp(podBId), 'the session row with its pod');
    await screenshot(adminPage, 'admin-sessions');

    await adminPage.click('#tab-routes');
    await adminPage.fill('#routes-search', agent);
    const agentRoute = adminPage.locator('#routes-body tr', { hasText: /chats of an agent/ });
    await textMatches(agentRoute, new RegExp(podBId), 'the agent route on pod B');
    await textMatches(adminPage.locator('#routes-body'), /chat-7/, 'the chat route');
  });

  await scenario('a kick on pod A closes the socket on pod B with 4409', async () => {
    await adminPage.click('#tab-sessions');
    const row = adminPage.locator('#sessions-body tr', { hasText: `${company}:${agent}:${user}` });
    await row.locator('button', { hasText: 'Kick' }).click();
    await adminPage.click('#kick-cancel');
    await userPage.waitForTimeout(500);
    assert(await userPage.getAttribute('#state', 'data-phase') === 'ready', 'Cancel kicks nobody');
    await row.locator('button', { hasText: 'Kick' }).click();
    await adminPage.click('#kick-confirm');
    await textMatches(adminPage.locator('#kick-result'), new RegExp(`^Kicked .*on ${podBId}`), 'the kick result');
    await textMatches(userPage.locator('#state-label'), /^Closed · 4409 SessionKicked$/, 'the user page on pod B');
    await textMatches(userPage.locator('#state-detail'), /An administrator closed this session/, 'the reason in words');
  });

  await scenario('no secret in a URL or the console', async () => {
    const problems = watch.problems();
    assert(problems.length === 0, problems.join('; '));
  });
});
