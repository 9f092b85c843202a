'use strict';
// A load-generating client process of the benchmark harness (bench/README.md). It holds many
// WebSocket clients of one system (Relaymesh over `ws`, or Socket.IO over socket.io-client) and
// answers the harness's commands on stdin (lib/control.js):
//   connect  open clients at a bounded rate with bounded retries; connect-to-ready latency
//   stats    per measured phase: frames, distinct (client, event) pairs, duplicates, latency
//            histogram (receive time minus the publisher's sent_ns, one monotonic clock), by server,
//            and by slice of send time when the publisher stamped one (`sl`)
//   reset    forget the phases measured so far
//   churn    connect, wait for ready, disconnect, again, with W workers for S seconds
//   close    close every client (then terminate the ones that do not close within a bound)
// A tick line every second tells the harness how many clients are up and how many frames came.
const { Histogram } = require('./lib/histogram');
const { userToken } = require('./lib/tokens');
const { send, serve, nowNs } = require('./lib/control');
const { open } = require('./lib/connections');

const clients = [];          // {index, server, agent, conn, seen: Map<phase, Uint8Array>, up}
const phases = new Map();    // phase -> stats
let framesTotal = 0;
let closedAfterReady = 0;
const closeReasons = {};
let closing = false;

function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function count(map, key) {
  map[key] = (map[key] || 0) + 1;
}

function phaseStats(phase, servers) {
  let stats = phases.get(phase);
  if (!stats) {
    stats = { frames: 0, distinct: 0, duplicates: 0, hist: new Histogram(), byServer: [], first: [], lastNs: 0,
      slices: [] };
    for (let s = 0; s < servers; s++) {
      stats.byServer.push({ frames: 0, distinct: 0, duplicates: 0, hist: new Histogram() });
      stats.first.push(new Float64Array(1024).fill(NaN));
    }
    phases.set(phase, stats);
  }
  return stats;
}

let serverCount = 1;

function onEvent(client, payload, now) {
  framesTotal++;
  const stats = phaseStats(payload.ph, serverCount);
  const mine = stats.byServer[client.server];
  stats.frames++;
  mine.frames++;
  if (now > stats.lastNs) stats.lastNs = now;
  const seq = payload.seq;
  let seen = client.seen.get(payload.ph);
  if (!seen || seen.length * 8 <= seq) {
    const bigger = new Uint8Array(Math.max(64, (seq >> 3) * 2 + 1));
    if (seen) bigger.set(seen);
    seen = bigger;
    client.seen.set(payload.ph, seen);
  }
  const bit = 1 << (seq & 7);
  if (seen[seq >> 3] & bit) {
    stats.duplicates++;
    mine.duplicates++;
    return;
  }
  seen[seq >> 3] |= bit;
  stats.distinct++;
  mine.distinct++;
  const micros = (now - payload.sent_ns) / 1000;
  stats.hist.record(micros);
  mine.hist.record(micros);
  // Latency by the slice of the step the event was sent in (when the publisher was asked for slices).
  if (payload.sl >= 0 && payload.sl < 10000) {
    while (stats.slices.length <= payload.sl) stats.slices.push(new Histogram());
    stats.slices[payload.sl].record(micros);
  }
  // The first arrival of each event on each server: their difference is what forwarding adds.
  let first = stats.first[client.server];
  if (first.length <= seq) {
    const bigger = new Float64Array(Math.max(seq + 1, first.length * 2)).fill(NaN);
    bigger.set(first);
    first = stats.first[client.server] = bigger;
  }
  if (!(first[seq] <= micros)) first[seq] = micros;
}

function specOf(cmd, entry, attempt) {
  const [server, agent, user] = entry;
  return {
    url: cmd.servers[server], company: cmd.company, agent, user, apiKey: cmd.apiKey,
    token: cmd.kind === 'relaymesh' ? userToken(cmd.tokenKey, { company_id: cmd.company, agent_id: agent,
      user_id: user, expires_at: Math.floor(Date.now() / 1000) + 86400 }) : undefined,
    localAddress: cmd.localAddresses.length ? cmd.localAddresses[(entry.index + attempt) % cmd.localAddresses.length]
      : undefined,
    timeoutMs: cmd.timeoutMs,
  };
}

/** One client: up to cmd.attempts tries; resolves with true when ready. */
function connectOne(cmd, entry, result) {
  return new Promise((resolve) => {
    let attempt = 0;
    const tryOnce = () => {
      const started = nowNs();
      const client = { index: entry.index, server: entry[0], agent: entry[1], conn: null, seen: new Map(), up: false };
      client.conn = open(cmd.kind, specOf(cmd, entry, attempt), {
        ready() {
          client.up = true;
          count(result.byAgent, client.agent);
          result.connectHist.record((nowNs() - started) / 1000);
          clients.push(client);
          resolve(true);
        },
        event(payload, now) { onEvent(client, payload, now); },
        failed(reason) {
          attempt++;
          if (attempt < cmd.attempts && client.conn.retryable() && nowNs() < result.deadlineNs) {
            result.retries++;
            count(result.retryReasons, reason);
            setTimeout(tryOnce, Math.min(2000, 100 * 2 ** attempt));
          } else {
            count(result.errors, reason);
            resolve(false);
          }
        },
        closed(reason) {
          client.up = false;
          if (!closing) {
            closedAfterReady++;
            count(closeReasons, reason);
          }
        },
      });
    };
    tryOnce();
  });
}

async function connect(cmd) {
  serverCount = Math.max(serverCount, cmd.servers.length);
  const entries = cmd.clients.map((entry, i) => Object.assign(entry, { index: clients.length + i }));
  const result = { connectHist: new Histogram(), errors: {}, retryReasons: {}, retries: 0, byAgent: {},
    deadlineNs: nowNs() + cmd.timeoutSec * 1e9 };
  const start = nowNs();
  let next = 0;
  let inflight = 0;
  let ok = 0;
  let failed = 0;
  await new Promise((resolve) => {
    const pump = () => {
      const due = Math.min(entries.length, Math.floor((nowNs() - start) / 1e9 * cmd.rate) + 1);
      while (next < due && inflight < cmd.concurrency && nowNs() < result.deadlineNs) {
        inflight++;
        connectOne(cmd, entries[next++], result).then((up) => {
          inflight--;
          if (up) ok++; else failed++;
        });
      }
      if (ok + failed === entries.length || (nowNs() >= result.deadlineNs && inflight === 0)) {
        resolve();
      } else {
        setTimeout(pump, 5);
      }
    };
    pump();
  });
  const notStarted = entries.length - next;
  if (notStarted > 0) result.errors['not started: connect deadline passed'] = notStarted;
  return { requested: entries.length, ok, failed: failed + notStarted, retries: result.retries,
    errors: result.errors, retryReasons: result.retryReasons, byAgent: result.byAgent, seconds: (nowNs() - start) / 1e9,
    connectUs: result.connectHist.toJSON() };
}

function stats(cmd) {
  const out = {};
  for (const [phase, s] of phases) {
    if (cmd.phases && !cmd.phases.includes(phase)) continue;
    const gap = new Histogram();
    if (s.first.length >= 2) {
      const [a, b] = s.first;
      const n = Math.min(a.length, b.length);
      for (let i = 0; i < n; i++) if (a[i] === a[i] && b[i] === b[i]) gap.record(Math.abs(a[i] - b[i]));
    }
    out[phase] = { frames: s.frames, distinct: s.distinct, duplicates: s.duplicates, lastNs: s.lastNs,
      latencyUs: s.hist.toJSON(),
      forwardGapUs: gap.toJSON(),
      slicesUs: s.slices.map((h) => h.toJSON()),
      byServer: s.byServer.map((m) => ({ frames: m.frames, distinct: m.distinct, duplicates: m.duplicates,
        latencyUs: m.hist.toJSON() })) };
  }
  return { phases: out, clientsUp: clients.filter((c) => c.up).length, closedAfterReady, closeReasons };
}

async function churn(cmd) {
  const hist = new Histogram();
  const closeHist = new Histogram();
  const errors = {};
  let cycles = 0;
  let failures = 0;
  const start = nowNs();
  const endNs = start + cmd.seconds * 1e9;
  const worker = async (w) => {
    for (let round = 0; round < cmd.maxCyclesPerWorker && nowNs() < endNs; round++) {
      const user = `churn-${w}-${round % cmd.usersPerWorker}`;
      const agent = cmd.agents[(w + round) % cmd.agents.length];
      const server = (w + round) % cmd.servers.length;
      const entry = [server, agent, user];
      entry.index = w + round;
      const spec = specOf(cmd, entry, 0);
      const t0 = nowNs();
      let timer = null;
      const outcome = await new Promise((resolve) => {
        let conn = null;
        let readyAt = 0;
        conn = open(cmd.kind, spec, {
          ready() {
            readyAt = nowNs();
            hist.record((readyAt - t0) / 1000);
            setTimeout(() => conn.close(), cmd.holdMs);
          },
          event() {},
          failed(reason) { resolve({ ok: false, reason }); },
          closed() { closeHist.record((nowNs() - readyAt) / 1000 - cmd.holdMs * 1000); resolve({ ok: true }); },
        });
        timer = setTimeout(() => { conn.terminate(); resolve({ ok: false, reason: 'cycle took over ' + cmd.timeoutMs * 2 + ' ms' }); },
          cmd.timeoutMs * 2);
      });
      clearTimeout(timer);
      if (outcome.ok) cycles++; else { failures++; count(errors, outcome.reason); }
    }
  };
  const ticker = setInterval(() => send({ type: 'tick', what: 'churn', cycles, failures }), 1000);
  await Promise.all(Array.from({ length: cmd.workers }, (_, w) => worker(w)));
  clearInterval(ticker);
  return { cycles, failures, errors, seconds: (nowNs() - start) / 1e9, connectUs: hist.toJSON(),
    closeUs: closeHist.toJSON() };
}

async function closeAll(cmd) {
  closing = true;
  const up = clients.filter((c) => c.up);
  for (const c of up) c.conn.close();
  const deadline = nowNs() + (cmd.timeoutSec || 10) * 1e9;
  while (clients.some((c) => c.up) && nowNs() < deadline) await sleep(50);
  let terminated = 0;
  for (const c of clients) if (c.up) { c.conn.terminate(); terminated++; }
  const closed = up.length - terminated;
  clients.length = 0;
  closing = false;
  return { closed, terminated };
}

setInterval(() => {
  if (clients.length) send({ type: 'tick', what: 'clients', up: clients.filter((c) => c.up).length, frames: framesTotal });
}, 1000).unref();

serve({
  connect,
  stats,
  reset: async () => { phases.clear(); for (const c of clients) c.seen.clear(); return {}; },
  churn,
  close: closeAll,
  memory: async () => ({ rssBytes: process.memoryUsage().rss }),
}, () => { closing = true; for (const c of clients) c.conn.terminate(); });
send({ type: 'started', pid: process.pid });
