// The user dashboard: token, connection to /ws/{company}/{agent}, chat selection, event log and a
// small publish box.
import { callJson, dashboardDefaults, publish } from './api.js';
import { describeClose } from './close-codes.js';
import { EventLog } from './event-log.js';
import { deliveryLatency, redact, shortClock } from './format.js';
import { identifierProblem } from './ids.js';
import { RelaymeshClient } from './relaymesh-client.js';
import { load, persist, prefill, save } from './store.js';
import { StateView } from './state-view.js';
import { $, showProblem, showWhere, wireRevealButtons } from './ui.js';

const PAGE = 'user';
const fields = {
  api_key: $('api-key'),
  client_key: $('client-key'),
  company_id: $('company'),
  agent_id: $('agent'),
  user_id: $('user'),
  ttl: $('ttl'),
  chat_id: $('chat'),
  admin_api_key: $('admin-key'),
  auto_reconnect: $('auto-reconnect'),
  publish_target: $('publish-target'),
  publish_text: $('publish-text'),
};
const log = new EventLog($('log'), {
  stats: $('log-stats'),
  emptyText: 'Connect to see frames from the gateway here.',
});
const stateView = new StateView($('state'));
let token = load(PAGE, 'token');
let selectedChat = load(PAGE, 'selected_chat');

// One client per socket path and client key; Connect with others makes a new one (so a Connect with
// the same ones resumes after the last event shown).
let connection = null;
let connectionFor = '';

function client() {
  const clientKey = fields.client_key.value.trim();
  const wanted = JSON.stringify([token.company_id, token.agent_id, clientKey]);
  if (connection && connectionFor === wanted) {
    return connection;
  }
  const previous = connection;
  connectionFor = wanted;
  connection = new RelaymeshClient({
    url: location.origin,
    company: token.company_id,
    agent: token.agent_id,
    // Asked before every attempt: a token that ran out while we were away is replaced first.
    token: async () => {
      if (!tokenFits() && !(await generateToken())) {
        throw new Error('No new token: see the problem under the fields.');
      }
      return token.token;
    },
    // The socket gets the public client key only: the general key mints tokens and stays in headers.
    clientKey,
    reconnect: () => fields.auto_reconnect.checked,
  });
  previous?.disconnect();
  if (selectedChat) {
    connection.selectChat(selectedChat);
  }
  connection.on('state', onState);
  connection.on('frame', ({ frame, receivedAt }) => {
    if (frame.type !== 'event' && frame.type !== 'pong') {
      log.add({ kind: frame.type, at: receivedAt, json: frame });
    }
  });
  // Events as the app sees them (in order, each once); a duplicate the client dropped is shown too.
  const showEvent = (e) => log.add({ kind: 'event', at: e.receivedAt, json: eventFrame(e), shown: e.payload,
    latencyMs: deliveryLatency(e.payload, e.receivedAt) });
  connection.on('event', showEvent);
  connection.on('duplicate', showEvent);
  connection.on('pong', ({ rttMs }) => log.add({ kind: 'pong', at: Date.now(), json: { type: 'pong' }, latencyMs: rttMs ?? null }));
  connection.on('sent', (frame) => log.add({ kind: 'sent', at: Date.now(), json: frame }));
  connection.on('badFrame', ({ raw, receivedAt }) => log.add({ kind: 'bad', at: receivedAt, text: raw }));
  connection.on('ready', () => showChat());
  return connection;
}

function eventFrame(e) {
  return e.position === undefined ? { type: 'event', payload: e.payload } : { type: 'event', payload: e.payload, position: e.position };
}

function identity() {
  return {
    company_id: fields.company_id.value.trim(),
    agent_id: fields.agent_id.value.trim(),
    user_id: fields.user_id.value.trim(),
  };
}

/** The saved token is for the identity in the form and has more than 10 s left. */
function tokenFits() {
  const id = identity();
  return Boolean(token && token.company_id === id.company_id && token.agent_id === id.agent_id
    && token.user_id === id.user_id && token.expires_at * 1000 > Date.now() + 10000);
}

function showToken() {
  const info = $('token-info');
  if (!token) {
    info.textContent = 'No token yet: Connect generates one, or use Generate token.';
  } else {
    const expires = new Date(token.expires_at * 1000);
    const state = expires.getTime() <= Date.now() ? 'expired' : `expires ${shortClock(expires.getTime())}`;
    info.textContent = `Token ${redact(token.token)} for ${token.company_id}/${token.agent_id}/${token.user_id}, ${state}.`;
  }
}

async function generateToken() {
  const problem = $('connection-problem');
  const id = identity();
  const checks = [
    [fields.company_id, identifierProblem('Company', id.company_id)],
    [fields.agent_id, identifierProblem('Agent', id.agent_id)],
    [fields.user_id, identifierProblem('User', id.user_id)],
  ];
  if (!fields.api_key.value.trim()) {
    checks.unshift([fields.api_key, 'The API key is required']);
  }
  const bad = checks.find(([, message]) => message);
  if (bad) {
    showProblem(problem, bad[1], bad[0]);
    return false;
  }
  const body = { ...id };
  const ttl = Number(fields.ttl.value);
  if (fields.ttl.value !== '' && Number.isInteger(ttl) && ttl > 0) {
    body.expires_in_seconds = ttl;
  }
  $('generate').disabled = true;
  const answer = await callJson('POST', '/generate-token', { apiKey: fields.api_key.value.trim(), body });
  $('generate').disabled = false;
  if (!answer.ok) {
    const fieldOf = { company_id: fields.company_id, agent_id: fields.agent_id, user_id: fields.user_id,
      expires_in_seconds: fields.ttl };
    const field = answer.status === 401 ? fields.api_key : fieldOf[answer.field] || null;
    showProblem(problem, `Token not generated. ${answer.problem}`, field);
    return false;
  }
  showProblem(problem, '');
  token = { token: answer.body.token, expires_at: answer.body.expires_at, ...id };
  save(PAGE, 'token', token);
  showToken();
  return true;
}

async function connect() {
  showProblem($('connection-problem'), '');
  if (!fields.api_key.value.trim()) {
    showProblem($('connection-problem'), 'The API key is required', fields.api_key);
    return;
  }
  if (!tokenFits() && !(await generateToken())) {
    return;
  }
  log.add({ kind: 'info', at: Date.now(), text: `connecting to /ws/${token.company_id}/${token.agent_id} as ${token.user_id}` });
  client().connect();
}

function onState(state) {
  stateView.show(state);
  const busy = ['connecting', 'ready', 'reconnecting'].includes(state.status);
  $('connect').disabled = busy;
  $('disconnect').disabled = !busy;
  $('retry').hidden = state.status !== 'reconnecting';
  $('ping').disabled = state.status !== 'ready';
  if ((state.status === 'closed' || state.status === 'reconnecting') && state.close && !state.byUser) {
    const c = describeClose(state.close.code, state.close.reason);
    log.add({ kind: 'closed', at: Date.now(), text: `${c.code} ${c.name}${c.reason ? ` (${c.reason})` : ''}: ${c.words}` });
  }
}

function showChat() {
  if (selectedChat) {
    $('chat-info').textContent = `Current chat: ${selectedChat} (selected ${shortClock(Date.now())}). Its messages events arrive too.`;
  }
}

function selectChat() {
  const chatId = fields.chat_id.value.trim();
  const problem = identifierProblem('Chat id', chatId);
  showProblem($('chat-problem'), problem, fields.chat_id);
  if (problem) {
    return;
  }
  selectedChat = chatId;
  save(PAGE, 'selected_chat', chatId);
  if (connection && connection.selectChat(chatId)) {
    showChat();
  } else {
    $('chat-info').textContent = `Chat ${chatId} will be selected once the connection is ready.`;
  }
  showSubject();
}

function subject() {
  const { company_id: c, agent_id: a } = identity();
  if (fields.publish_target.value === 'messages') {
    return selectedChat ? `websocket.${c}.${a}.messages.${selectedChat}` : '';
  }
  return `websocket.${c}.${a}.chats`;
}

function showSubject() {
  const s = subject();
  $('publish-subject').textContent = s ? `Subject: ${s}` : 'Select a chat first.';
}

async function publishTry() {
  const problem = $('publish-problem');
  const response = $('publish-response');
  response.textContent = '';
  const adminKey = fields.admin_api_key.value.trim();
  if (!adminKey) {
    showProblem(problem, 'Publishing needs the admin API key', fields.admin_api_key);
    return;
  }
  const s = subject();
  if (!s) {
    showProblem(problem, 'Select a chat first, or publish to every connection of the agent');
    return;
  }
  showProblem(problem, '');
  const payload = { text: fields.publish_text.value, sent_at: Date.now() };
  const answer = await publish(adminKey, s, payload);
  if (!answer.ok) {
    showProblem(problem, answer.problem, answer.status === 401 ? fields.admin_api_key : null);
    return;
  }
  response.textContent = `${answer.status} ${JSON.stringify(answer.body)}`;
}

async function start() {
  wireRevealButtons();
  persist(PAGE, fields);
  const defaults = await dashboardDefaults();
  if (defaults.prefill) {
    prefill({ ...defaults, client_key: defaults.client_api_key }, {
      api_key: fields.api_key,
      client_key: fields.client_key,
      admin_api_key: fields.admin_api_key,
      company_id: fields.company_id,
      agent_id: fields.agent_id,
      user_id: fields.user_id,
    }, ['api_key', 'client_key', 'admin_api_key']);
  }
  showWhere($('where'), defaults);
  if (selectedChat) {
    fields.chat_id.value = fields.chat_id.value || selectedChat;
    $('chat-info').textContent = `Chat ${selectedChat} will be selected once the connection is ready.`;
  }
  showToken();
  showSubject();

  $('connection-form').addEventListener('submit', (e) => {
    e.preventDefault();
    connect();
  });
  $('generate').addEventListener('click', () => generateToken());
  $('disconnect').addEventListener('click', () => connection?.disconnect());
  $('retry').addEventListener('click', () => connection?.retryNow());
  $('chat-form').addEventListener('submit', (e) => {
    e.preventDefault();
    selectChat();
  });
  $('publish-form').addEventListener('submit', (e) => {
    e.preventDefault();
    publishTry();
  });
  for (const input of [fields.company_id, fields.agent_id, fields.publish_target]) {
    input.addEventListener('input', showSubject);
  }
  for (const input of [fields.company_id, fields.agent_id, fields.user_id]) {
    input.addEventListener('input', showToken);
  }
  $('ping').addEventListener('click', () => connection?.ping());
  $('clear').addEventListener('click', () => log.clear());
  document.body.dataset.loaded = 'true';
}

start();
