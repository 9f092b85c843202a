// The user dashboard: token, connection to /ws/{company}/{agent}, chat selection, event log and a
// small publish box.
import { callJson, dashboardDefaults, publish } from './api.js';
import { GatewayConnection, socketUrl } from './connection.js';
import { EventLog } from './event-log.js';
import { deliveryLatency, millis, redact, shortClock } from './format.js';
import { identifierProblem } from './ids.js';
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
let pingSentAt = 0;

const connection = new GatewayConnection({
  url: () => socketUrl(`/ws/${encodeURIComponent(token.company_id)}/${encodeURIComponent(token.agent_id)}`, {
    token: token.token,
    // The socket gets the public client key only: the general key mints tokens and stays in headers.
    'x-api-key': fields.client_key.value.trim(),
  }),
  autoReconnect: () => fields.auto_reconnect.checked,
  onState: onState,
  onFrame: onFrame,
  onBadFrame: (raw, at) => log.add({ kind: 'bad', at, text: raw }),
  afterReady: () => {
    if (selectedChat) {
      sendSelectChat(selectedChat);
    }
  },
});

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
  connection.connect();
}

function onState(state) {
  stateView.show(state);
  const busy = ['connecting', 'open', 'ready', 'waiting'].includes(state.phase);
  $('connect').disabled = busy;
  $('disconnect').disabled = !busy;
  $('retry').hidden = state.phase !== 'waiting';
  $('ping').disabled = state.phase !== 'ready';
  if (state.phase === 'closed' || state.phase === 'waiting') {
    if (state.close && !state.byUser) {
      const c = state.close;
      log.add({ kind: 'closed', at: Date.now(), text: `${c.code} ${c.name}${c.reason ? ` (${c.reason})` : ''}: ${c.words}` });
    }
  }
  if (state.phase === 'waiting' && !tokenFits() && fields.api_key.value.trim()) {
    // The token ran out while we were away: get a fresh one before the retry fires.
    generateToken();
  }
}

function onFrame(frame, raw, at) {
  const type = frame && typeof frame.type === 'string' ? frame.type : 'frame';
  if (type === 'event') {
    log.add({ kind: 'event', at, json: frame, shown: frame.payload, latencyMs: deliveryLatency(frame.payload, at) });
  } else if (type === 'pong') {
    log.add({ kind: 'pong', at, json: frame, latencyMs: pingSentAt ? at - pingSentAt : null });
    pingSentAt = 0;
  } else {
    log.add({ kind: type, at, json: frame });
  }
}

function sendSelectChat(chatId) {
  const frame = { type: 'select_chat', payload: { chat_id: chatId } };
  if (connection.send(frame)) {
    log.add({ kind: 'sent', at: Date.now(), json: frame });
    $('chat-info').textContent = `Current chat: ${chatId} (selected ${shortClock(Date.now())}). Its messages events arrive too.`;
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
  if (connection.phase === 'ready') {
    sendSelectChat(chatId);
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
  $('disconnect').addEventListener('click', () => connection.disconnect());
  $('retry').addEventListener('click', () => connection.retryNow());
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
  $('ping').addEventListener('click', () => {
    pingSentAt = Date.now();
    if (connection.send({ type: 'ping' })) {
      log.add({ kind: 'sent', at: pingSentAt, json: { type: 'ping' } });
    }
  });
  $('clear').addEventListener('click', () => log.clear());
  document.body.dataset.loaded = 'true';
}

start();
