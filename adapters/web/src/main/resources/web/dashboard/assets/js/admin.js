// The admin dashboard: admin token and the /ws/admin event stream, and the cluster, sessions,
// routes and publish tabs over the admin HTTP API.
import { callJson, dashboardDefaults } from './api.js';
import { ClusterView } from './cluster-view.js';
import { describeClose } from './close-codes.js';
import { EventLog } from './event-log.js';
import { deliveryLatency, redact, shortClock } from './format.js';
import { identifierProblem } from './ids.js';
import { PublishConsole } from './publish-console.js';
import { RelaymeshClient } from './relaymesh-client.js';
import { RoutesView } from './routes-view.js';
import { SessionsView } from './sessions-view.js';
import { StateView } from './state-view.js';
import { load, persist, prefill, save } from './store.js';
import { $, showProblem, showWhere, wireRevealButtons } from './ui.js';

const PAGE = 'admin';
const fields = {
  admin_api_key: $('admin-key'),
  admin_client_key: $('admin-client-key'),
  admin_id: $('admin-id'),
  subscribed_company_id: $('sub-company'),
  subscribed_agent_id: $('sub-agent'),
  auto_reconnect: $('auto-reconnect'),
};
const apiKey = () => fields.admin_api_key.value.trim();
const views = {
  cluster: new ClusterView({ apiKey, el: $ }),
  sessions: new SessionsView({ apiKey, el: $ }),
  routes: new RoutesView({ apiKey, el: $ }),
  publish: new PublishConsole({ apiKey, el: $ }),
};
const log = new EventLog($('log'), {
  stats: $('log-stats'),
  max: 300,
  emptyText: 'Connect to /ws/admin to see agents events here.',
});
const stateView = new StateView($('state'));
let token = load(PAGE, 'token');

// One client per admin client key; Connect with another key makes a new one.
let connection = null;
let connectionFor = null;

function client() {
  const clientKey = fields.admin_client_key.value.trim();
  if (connection && connectionFor === clientKey) {
    return connection;
  }
  const previous = connection;
  connectionFor = clientKey;
  connection = new RelaymeshClient({
    url: location.origin,
    admin: true,
    token: async () => {
      if (!tokenFits() && !(await generateToken())) {
        throw new Error('No new admin token: see the problem under the fields.');
      }
      return token.token;
    },
    // The admin API key stays in headers; the socket gets the public admin client key, if any.
    clientKey,
    reconnect: () => fields.auto_reconnect.checked,
  });
  previous?.disconnect();
  connection.on('state', (state) => {
    stateView.show(state);
    const busy = ['connecting', 'ready', 'reconnecting'].includes(state.status);
    $('connect').disabled = busy;
    $('disconnect').disabled = !busy;
    $('retry').hidden = state.status !== 'reconnecting';
    if ((state.status === 'closed' || state.status === 'reconnecting') && state.close && !state.byUser) {
      const c = describeClose(state.close.code, state.close.reason);
      log.add({ kind: 'closed', at: Date.now(), text: `${c.code} ${c.name}: ${c.words}` });
    }
  });
  connection.on('frame', ({ frame, receivedAt }) => {
    if (frame.type !== 'event') {
      log.add({ kind: frame.type, at: receivedAt, json: frame });
    }
  });
  // Events as the app sees them (in order, each once); a duplicate the client dropped is shown too.
  const showEvent = (e) => log.add({ kind: 'event', at: e.receivedAt,
    json: e.position === undefined ? { type: 'event', payload: e.payload } : { type: 'event', payload: e.payload, position: e.position },
    shown: e.payload, latencyMs: deliveryLatency(e.payload, e.receivedAt) });
  connection.on('event', showEvent);
  connection.on('duplicate', showEvent);
  connection.on('badFrame', ({ raw, receivedAt }) => log.add({ kind: 'bad', at: receivedAt, text: raw }));
  return connection;
}

function subscription() {
  return {
    admin_id: fields.admin_id.value.trim(),
    subscribed_company_id: fields.subscribed_company_id.value.trim() || '*',
    subscribed_agent_id: fields.subscribed_agent_id.value.trim() || '*',
  };
}

function tokenFits() {
  const s = subscription();
  return Boolean(token && token.admin_id === s.admin_id && token.subscribed_company_id === s.subscribed_company_id
    && token.subscribed_agent_id === s.subscribed_agent_id && token.expires_at * 1000 > Date.now() + 10000);
}

function showToken() {
  $('token-info').textContent = token
    ? `Admin token ${redact(token.token)} for ${token.admin_id} (${token.subscribed_company_id}/${token.subscribed_agent_id}), `
      + `expires ${shortClock(token.expires_at * 1000)}.`
    : 'No admin token yet: Connect generates one.';
}

async function generateToken() {
  const problem = $('access-problem');
  const s = subscription();
  if (!apiKey()) {
    showProblem(problem, 'The admin API key is required', fields.admin_api_key);
    return false;
  }
  const idProblem = identifierProblem('Admin id', s.admin_id);
  if (idProblem) {
    showProblem(problem, idProblem, fields.admin_id);
    return false;
  }
  const answer = await callJson('POST', '/admin/generate-token', { apiKey: apiKey(), body: s });
  if (!answer.ok) {
    const fieldOf = { admin_id: fields.admin_id, subscribed_company_id: fields.subscribed_company_id,
      subscribed_agent_id: fields.subscribed_agent_id };
    showProblem(problem, `Admin token not generated. ${answer.problem}`,
      answer.status === 401 ? fields.admin_api_key : fieldOf[answer.field] || null);
    return false;
  }
  showProblem(problem, '');
  token = { token: answer.body.token, expires_at: answer.body.expires_at, ...s };
  save(PAGE, 'token', token);
  showToken();
  return true;
}

async function connect() {
  showProblem($('access-problem'), '');
  if (!tokenFits() && !(await generateToken())) {
    return;
  }
  client().connect();
}

function selectTab(name) {
  for (const tab of ['cluster', 'sessions', 'routes', 'publish']) {
    const selected = tab === name;
    $(`tab-${tab}`).setAttribute('aria-selected', String(selected));
    $(`panel-${tab}`).hidden = !selected;
  }
  if (name === 'sessions' || name === 'routes') {
    views[name].load();
  }
  if (location.hash !== `#${name}`) {
    history.replaceState(null, '', `#${name}`);
  }
}

async function start() {
  wireRevealButtons();
  persist(PAGE, fields);
  const defaults = await dashboardDefaults();
  if (defaults.prefill) {
    prefill({ ...defaults, admin_client_key: defaults.admin_client_api_key }, {
      admin_api_key: fields.admin_api_key,
      admin_client_key: fields.admin_client_key,
      admin_id: fields.admin_id,
    }, ['admin_api_key', 'admin_client_key']);
  }
  showWhere($('where'), defaults);
  showToken();

  $('access-form').addEventListener('submit', (e) => {
    e.preventDefault();
    connect();
  });
  $('generate').addEventListener('click', () => generateToken());
  $('disconnect').addEventListener('click', () => connection?.disconnect());
  $('retry').addEventListener('click', () => connection?.retryNow());
  $('clear').addEventListener('click', () => log.clear());
  fields.admin_api_key.addEventListener('change', () => views.cluster.refresh());
  for (const tab of ['cluster', 'sessions', 'routes', 'publish']) {
    $(`tab-${tab}`).addEventListener('click', () => selectTab(tab));
  }
  const fromHash = location.hash.slice(1);
  selectTab(['cluster', 'sessions', 'routes', 'publish'].includes(fromHash) ? fromHash : 'cluster');
  views.cluster.start();
  document.body.dataset.loaded = 'true';
}

start();
