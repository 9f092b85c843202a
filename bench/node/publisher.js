'use strict';
// The publishing side of the benchmark harness, one process per run, as each system's backend
// publishes: to NATS JetStream for Relaymesh (the `nats` client, awaiting each publish
// acknowledgement, Nats-Msg-Id = event_id), or through @socket.io/redis-emitter into Redis for
// Socket.IO. Command `publish` sends `rate` events per second for `seconds` (event i is due at
// start + i/rate, at most `maxInflight` unacknowledged), round-robin over `targets` (a subject, or a
// room), each payload padded to `payloadBytes` of JSON and stamped just before it is handed to the
// client library: sent_ns (CLOCK_MONOTONIC, shared with the load clients on this machine) and sent_at
// (epoch ms, for people). With `sliceMs`, each payload also carries `sl`: which slice of that many ms
// since the step's start it was sent in (the clients keep a latency histogram per slice: the cold
// window by half-second).
const { performance } = require('perf_hooks');
const { Histogram } = require('./lib/histogram');
const { send, serve, nowNs } = require('./lib/control');

let publishOne = null;
let shutdown = async () => {};
let asyncFailures = 0;
process.on('unhandledRejection', () => { asyncFailures++; });

function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function connect(cmd) {
  if (cmd.kind === 'nats') {
    const { connect: natsConnect } = require('nats');
    const nc = await natsConnect({ servers: cmd.url, name: 'bench-publisher' });
    const js = nc.jetstream();
    publishOne = (target, payload, json) => js.publish(target, Buffer.from(json), { msgID: payload.event_id,
      timeout: 5000 });
    shutdown = () => nc.drain();
  } else if (cmd.kind === 'socketio') {
    const { createClient } = require('redis');
    const { Emitter } = require('@socket.io/redis-emitter');
    const redis = createClient({ url: cmd.url });
    redis.on('error', () => { asyncFailures++; });
    await redis.connect();
    const emitter = new Emitter(redis);
    // The emitter does not wait for Redis; PUBLISH replies come back in order on the same connection,
    // so a PING after a burst tells when Redis has taken everything before it.
    publishOne = (target, payload) => { emitter.to(target).emit('event', payload); return null; };
    publishOne.flush = () => redis.ping();
    shutdown = () => redis.quit();
  } else {
    throw new Error('unknown kind ' + cmd.kind);
  }
  return {};
}

function payloadFor(cmd, seq, start) {
  const payload = { event_id: `${cmd.runId}-${cmd.ph}-${seq}`, ph: cmd.ph, seq, sent_at: 0, sent_ns: 0, pad: '' };
  payload.sent_at = performance.timeOrigin + performance.now();
  payload.sent_ns = nowNs();
  if (cmd.sliceMs > 0) payload.sl = Math.floor((payload.sent_ns - start) / 1e6 / cmd.sliceMs);
  const length = Buffer.byteLength(JSON.stringify(payload));
  payload.pad = 'x'.repeat(Math.max(0, cmd.payloadBytes - length));
  return payload;
}

async function publish(cmd) {
  const planned = Math.round(cmd.rate * cmd.seconds);
  const perTarget = new Array(cmd.targets.length).fill(0);
  const ackHist = new Histogram();
  const errors = {};
  let inflight = 0;
  let published = 0;
  let acked = 0;
  let failed = 0;
  let maxLagUs = 0;
  const failuresBefore = asyncFailures;
  const start = nowNs();
  const hardEnd = start + (cmd.seconds + cmd.graceSec) * 1e9;
  const ticker = setInterval(() => send({ type: 'tick', what: 'publish', ph: cmd.ph, published, acked }), 1000);
  let seq = 0;
  while (seq < planned && nowNs() < hardEnd) {
    const now = nowNs();
    const due = Math.min(planned, Math.floor((now - start) / 1e9 * cmd.rate) + 1);
    while (seq < due && inflight < cmd.maxInflight) {
      const lag = (now - start) / 1e3 - seq / cmd.rate * 1e6;
      if (lag > maxLagUs) maxLagUs = lag;
      const target = seq % cmd.targets.length;
      const payload = payloadFor(cmd, seq, start);
      const json = JSON.stringify(payload);
      const sentNs = payload.sent_ns;
      seq++;
      published++;
      const pending = publishOne(cmd.targets[target], payload, json);
      if (pending) {
        inflight++;
        pending.then(() => {
          inflight--;
          acked++;
          perTarget[target]++;
          ackHist.record((nowNs() - sentNs) / 1000);
        }, (e) => {
          inflight--;
          failed++;
          const key = String(e && (e.code || e.message)).slice(0, 120);
          errors[key] = (errors[key] || 0) + 1;
        });
      } else {
        acked++;
        perTarget[target]++;
      }
    }
    await sleep(1);
  }
  const sendEnd = nowNs();
  while (inflight > 0 && nowNs() < hardEnd) await sleep(2);
  if (publishOne.flush) await publishOne.flush();
  clearInterval(ticker);
  failed += asyncFailures - failuresBefore;
  return { ph: cmd.ph, startNs: start, planned, published, acked, failed, unsettled: inflight, errors, perTarget,
    sendSeconds: (sendEnd - start) / 1e9, achievedRate: published / ((sendEnd - start) / 1e9),
    maxLagMs: maxLagUs / 1000, ackUs: ackHist.toJSON() };
}

serve({ connect, publish, close: async () => { await shutdown(); return {}; } }, () => shutdown());
send({ type: 'started', pid: process.pid });
