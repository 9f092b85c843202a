'use strict';
// One client connection of either system behind one interface, so the load client treats both
// alike: open(spec, hooks) calls hooks.ready() once the server says the connection is usable,
// hooks.event(payload, nowNs) for each event frame, hooks.failed(reason) when it never got ready
// and hooks.closed(reason) when a ready connection ends. Both use the `ws` package underneath
// (socket.io-client does in Node), with permessage-deflate off.
const WebSocket = require('ws');
const { io } = require('socket.io-client');
const { nowNs } = require('./control');

function openRelaymesh(spec, hooks) {
  // The key is optional: without a client key configured the token alone opens the socket, and
  // the shipped cluster config refuses the server key there.
  const key = spec.apiKey ? `&x-api-key=${encodeURIComponent(spec.apiKey)}` : '';
  const url = `${spec.url}/ws/${spec.company}/${spec.agent}?token=${spec.token}${key}`;
  const ws = new WebSocket(url, { localAddress: spec.localAddress, perMessageDeflate: false,
    handshakeTimeout: spec.timeoutMs });
  let ready = false;
  let refused = null;
  const timer = setTimeout(() => { if (!ready) { refused = refused || 'timeout'; ws.terminate(); } }, spec.timeoutMs);
  ws.on('message', (data) => {
    const frame = JSON.parse(data.toString());
    const now = nowNs();
    if (frame.type === 'event') {
      hooks.event(frame.payload, now);
    } else if (frame.type === 'ready') {
      ready = true;
      clearTimeout(timer);
      hooks.ready();
    } else if (frame.type === 'error') {
      refused = 'frame:' + (frame.payload && frame.payload.code);
    }
  });
  ws.on('error', (e) => { refused = refused || 'error:' + (e.code || e.message); });
  ws.on('close', (code) => {
    clearTimeout(timer);
    if (ready) hooks.closed('close:' + code + (refused ? ' ' + refused : ''));
    else hooks.failed(refused || 'close:' + code);
  });
  return {
    close() { ws.close(1000); },
    terminate() { ws.terminate(); },
    // An error frame is the server's answer (bad key or token, ServerFull, …): trying again changes nothing.
    retryable() { return !refused || !refused.startsWith('frame:'); },
  };
}

function openSocketIo(spec, hooks) {
  const socket = io(spec.url, { transports: ['websocket'], auth: { company: spec.company, agent: spec.agent,
    user: spec.user }, reconnection: false, forceNew: true, timeout: spec.timeoutMs,
  localAddress: spec.localAddress, perMessageDeflate: false });
  let ready = false;
  socket.on('connect', () => { ready = true; hooks.ready(); });
  socket.on('connect_error', (e) => { socket.close(); hooks.failed('connect_error:' + e.message); });
  socket.on('event', (payload) => hooks.event(payload, nowNs()));
  socket.on('disconnect', (reason) => { if (ready) hooks.closed('disconnect:' + reason); });
  return {
    close() { socket.close(); },
    terminate() { socket.close(); },
    retryable() { return true; },
  };
}

function open(kind, spec, hooks) {
  if (kind === 'relaymesh') return openRelaymesh(spec, hooks);
  if (kind === 'socketio') return openSocketIo(spec, hooks);
  throw new Error('unknown kind ' + kind);
}

module.exports = { open };
