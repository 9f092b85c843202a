// The dashboards in Firefox (Debian's Firefox ESR) against one standalone gateway, the built jar:
// the user page connects with the prefilled keys and shows a published event with its latency;
// the admin page shows the pod and draws its charts, kicks the user (4409 on the user page) and
// streams admin events from its publish console. The flows standalone.mjs checks in Chromium.
import {
  assert, colouredPixels, env, LATENCY, latencyMillis, publishFromBackend, run, scenario, until, Watch,
} from './lib/harness.mjs';
import { join } from 'node:path';
import { fill, launchFirefox, textMatchesIn, valueOf } from './lib/firefox.mjs';

const base = env('RELAYMESH_URL');
const apiKey = env('RELAYMESH_API_KEY');
const adminKey = env('RELAYMESH_ADMIN_API_KEY');
const watch = new Watch([apiKey, adminKey]);

/** The latency cell of the event entry whose text contains {@code eventId}, once it is there. */
function eventLatency(page, eventId) {
  return page.$$eval('#log .entry[data-kind="event"]', (entries, id) => {
    const entry = entries.find((e) => e.textContent.includes(id));
    return entry ? entry.querySelector('.latency')?.textContent || null : null;
  }, eventId);
}

await run('firefox', async (browser) => {
  let userPage;
  let identity;

  await scenario('Firefox: the user dashboard connects with the prefilled keys', async () => {
    userPage = watch.page(await browser.newPage(), 'user page');
    await userPage.goto(`${base}/dashboard/user`);
    await until('API key prefilled', async () => (await valueOf(userPage, '#api-key')) === apiKey);
    await fill(userPage, '#user', 'firefox-fran');
    await userPage.click('#connect');
    await textMatchesIn(userPage, '#state-label', /^Ready$/, 'the connection state');
    identity = {
      company: await valueOf(userPage, '#company'),
      agent: await valueOf(userPage, '#agent'),
      user: await valueOf(userPage, '#user'),
    };
    assert(identity.user === 'firefox-fran', `the typed user: ${JSON.stringify(identity)}`);
    assert(!userPage.url().includes('?'), `the page URL carries no query: ${userPage.url()}`);
    await textMatchesIn(userPage, '#log', /"type":"ready"/, 'the ready frame in the log');
  });

  await scenario('Firefox: a published event appears in the log with its delivery latency', async () => {
    const answer = await publishFromBackend(base, adminKey, `websocket.${identity.company}.${identity.agent}.chats`,
      { event_id: 'firefox-evt-1', text: 'hello Firefox', sent_at: Date.now() });
    assert(answer.delivered === 1, `delivered to the one user page: ${JSON.stringify(answer)}`);
    const latency = await until('the event entry with its latency', () => eventLatency(userPage, 'firefox-evt-1'));
    assert(LATENCY.test(latency), `a latency cell: "${latency}"`);
    const ms = latencyMillis(latency);
    assert(ms >= 0 && ms < 5000, `latency is plausible on one machine: ${latency}`);
    await textMatchesIn(userPage, '#log-stats', /events 1 /, 'the log counter');
  });

  let adminPage;
  await scenario('Firefox: the admin cluster view shows the pod and draws its charts', async () => {
    const health = await (await fetch(`${base}/health`)).json();
    adminPage = watch.page(await browser.newPage(), 'admin page');
    await adminPage.goto(`${base}/dashboard/admin`);
    await until('admin API key prefilled', async () => (await valueOf(adminPage, '#admin-key')) === adminKey);
    await textMatchesIn(adminPage, `#pods-body tr[data-pod="${health.pod_id}"]`, new RegExp(health.pod_id), 'the pod row');
    await textMatchesIn(adminPage, '#total-pods', /^1$/, 'one pod in total');
    // Traffic for the charts, as the Chromium cluster test makes.
    for (let i = 2; i <= 12; i += 1) {
      await publishFromBackend(base, adminKey, `websocket.${identity.company}.${identity.agent}.chats`,
        { event_id: `firefox-evt-${i}`, sent_at: Date.now() });
      await new Promise((resolve) => setTimeout(resolve, 150));
    }
    await until('events/s drawn on the chart', async () => (await colouredPixels(adminPage, '#chart-events')) > 30,
      15000);
    if (process.env.SCREENSHOT_DIR) {
      await adminPage.screenshot({ path: join(process.env.SCREENSHOT_DIR, 'firefox-admin-cluster.png') });
    }
  });

  await scenario('Firefox: the admin kicks the user, whose page shows 4409 SessionKicked and stays closed', async () => {
    await adminPage.click('#tab-sessions');
    await fill(adminPage, '#sessions-search', identity.user);
    await textMatchesIn(adminPage, '#sessions-status', /1 session matching/, 'the search count');
    const clicked = await adminPage.$$eval('#sessions-body tr', (rows, user) => {
      const row = rows.find((r) => r.textContent.includes(user));
      const kick = row && [...row.querySelectorAll('button')].find((b) => b.textContent.includes('Kick'));
      kick?.click();
      return Boolean(kick);
    }, identity.user);
    assert(clicked, 'a Kick button on the session row');
    await textMatchesIn(adminPage, '#kick-text', new RegExp(`${identity.user}.*4409`), 'the confirmation');
    await adminPage.click('#kick-confirm');
    await textMatchesIn(adminPage, '#kick-result', /^Kicked /, 'the kick result');
    await textMatchesIn(userPage, '#state-label', /^Closed · 4409 SessionKicked$/, 'the user page state');
    await textMatchesIn(userPage, '#state-detail', /An administrator closed this session/, 'the reason in words');
    await new Promise((resolve) => setTimeout(resolve, 1500));
    assert(await userPage.$eval('#state', (e) => e.dataset.phase) === 'closed', 'the kicked page stays closed');
  });

  await scenario('Firefox: the admin event stream shows an event sent from the publish console', async () => {
    await adminPage.click('#tab-cluster');
    await adminPage.click('#connect');
    await textMatchesIn(adminPage, '#state-label', /^Ready$/, 'the admin socket');
    await adminPage.click('#tab-publish');
    await fill(adminPage, '#console-subject', `websocket.${identity.company}.${identity.agent}.agents`);
    await fill(adminPage, '#console-payload', '{"event_id": "firefox-agent-1", "status": "online"}');
    await textMatchesIn(adminPage, '#console-check', /^Valid/, 'valid JSON');
    await adminPage.click('#console-send');
    await textMatchesIn(adminPage, '#console-response', /HTTP 200[\s\S]*"status": "accepted"/, 'the answer');
    const latency = await until('the admin event with its latency', () => eventLatency(adminPage, 'firefox-agent-1'));
    assert(LATENCY.test(latency), `a latency cell: "${latency}"`);
  });

  await scenario('Firefox: no page error, no secret in a URL or the console', async () => {
    const problems = watch.problems();
    assert(problems.length === 0, problems.join('; '));
  });
}, launchFirefox);
