// The end-to-end tests' toolkit: a scenario runner (ok / not ok lines, stop at the first failure),
// bounded waits, the gateway's HTTP API, actions that ClientSdkIT carries out (restart the jar, stop
// a pod), a recording client and a TCP proxy that can cut the network. Run by ClientSdkIT.
import net from 'node:net';
import readline from 'node:readline';
import WebSocket from 'ws';
import { RelaymeshClient } from '../../dist/index.js';

/** A required environment variable (ClientSdkIT sets them all). */
export function env(name) {
  const value = process.env[name];
  if (!value) {
    throw new Error(`${name} is not set; run this through ClientSdkIT (make test), which starts the gateways`);
  }
  return value;
}

export function assert(condition, message) {
  if (!condition) {
    throw new Error(message);
  }
}

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Waits until `check()` is truthy (returns its value), or fails naming `what`. */
export async function until(what, check, timeoutMs = 10000) {
  const end = Date.now() + timeoutMs;
  let last;
  while (Date.now() < end) {
    try {
      const value = await check();
      if (value) {
        return value;
      }
    } catch (e) {
      last = e;
    }
    await sleep(25);
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? ` (last error: ${last.message})` : ''}`);
}

/** Runs the scenarios in order; prints `ok - name` or `not ok - name: why` and exits 1 on the first failure. */
export async function run(title, body) {
  console.log(`# ${title}`);
  let n = 0;
  const cleanups = [];
  const scenario = async (name, fn) => {
    n += 1;
    const started = Date.now();
    try {
      await fn();
      console.log(`ok ${n} - ${name} (${Date.now() - started} ms)`);
    } catch (e) {
      console.log(`not ok ${n} - ${name}: ${e.message}`);
      console.log(e.stack);
      await Promise.all(cleanups.map((c) => c().catch(() => {})));
      process.exit(1);
    }
  };
  try {
    await body(scenario, (c) => cleanups.push(c));
  } catch (e) {
    console.log(`not ok - ${title}: ${e.stack}`);
    process.exit(1);
  }
  await Promise.all(cleanups.map((c) => c().catch(() => {})));
  console.log(`1..${n}`);
  process.exit(0);
}

// Actions: a line "ACTION name" asks ClientSdkIT to do something only Java can (restart the jar,
// stop a pod); it answers "done name" on standard input.
const answers = readline.createInterface({ input: process.stdin });
const waiting = [];
answers.on('line', (line) => waiting.shift()?.(line));

export async function action(name, timeoutMs = 60000) {
  const answer = new Promise((resolve, reject) => {
    waiting.push(resolve);
    setTimeout(() => reject(new Error(`ClientSdkIT did not answer ACTION ${name} within ${timeoutMs} ms`)), timeoutMs);
  });
  console.log(`ACTION ${name}`);
  const line = await answer;
  assert(line === `done ${name}`, `ACTION ${name} failed: ${line}`);
}

/** The gateway's HTTP API. */
export class Gateway {
  constructor(base, { apiKey, adminKey }) {
    this.base = base;
    this.apiKey = apiKey;
    this.adminKey = adminKey;
  }

  async post(path, key, body) {
    const response = await fetch(`${this.base}${path}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-API-Key': key },
      body: JSON.stringify(body),
    });
    const text = await response.text();
    assert(response.ok, `POST ${path}: HTTP ${response.status} ${text}`);
    return JSON.parse(text);
  }

  async userToken(company, agent, user) {
    return (await this.post('/generate-token', this.apiKey, { company_id: company, agent_id: agent, user_id: user })).token;
  }

  async adminToken(adminId) {
    return (await this.post('/admin/generate-token', this.adminKey, { admin_id: adminId })).token;
  }

  publish(subject, payload) {
    return this.post('/api/v1/publish', this.adminKey, { subject, payload });
  }

  kick(company, agent, user) {
    return this.post('/admin/api/sessions/kick', this.adminKey, { company_id: company, agent_id: agent, user_id: user });
  }
}

/** A RelaymeshClient on the `ws` package (Node 20 has no global WebSocket) that records what it emits. */
export function recordingClient(options) {
  const client = new RelaymeshClient({ WebSocket, backoff: { baseMs: 300, maxMs: 2000 }, ...options });
  const seen = { states: [], events: [], duplicates: [], ready: [], chats: [], errors: [], sent: [] };
  client.on('state', (s) => seen.states.push(s));
  client.on('event', (e) => seen.events.push(e));
  client.on('duplicate', (e) => seen.duplicates.push(e));
  client.on('ready', (r) => seen.ready.push(r));
  client.on('chatSelected', (c) => seen.chats.push(c));
  client.on('error', (e) => seen.errors.push(e));
  client.on('sent', (f) => seen.sent.push(f));
  const count = (status) => seen.states.filter((s) => s.status === status).length;
  return {
    client,
    seen,
    count,
    /** Waits for the next `ready` after the `n`th state change. */
    readyAgain: (what, timeoutMs) => {
      const before = count('ready');
      return until(what, () => count('ready') > before && client.state.status === 'ready', timeoutMs);
    },
    texts: (field = 'n') => seen.events.map((e) => e.payload[field]),
  };
}

/**
 * A TCP proxy in front of a gateway, so a test can cut the network (both sides see the connection
 * drop; new connections are refused until `restore`) and move it to another pod. It remembers the
 * first line of each HTTP request (the WebSocket upgrade's path and query).
 */
export class Proxy {
  constructor(targetPort) {
    this.targetPort = targetPort;
    this.down = false;
    this.sockets = new Set();
    this.requests = [];
    this.server = net.createServer((client) => this.#accept(client));
  }

  async listen() {
    await new Promise((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.port = this.server.address().port;
    return this;
  }

  get url() {
    return `ws://127.0.0.1:${this.port}`;
  }

  #accept(client) {
    if (this.down) {
      client.destroy();
      return;
    }
    const upstream = net.connect(this.targetPort, '127.0.0.1');
    this.sockets.add(client).add(upstream);
    client.once('data', (chunk) => this.requests.push(chunk.toString('latin1').split('\r\n')[0]));
    client.pipe(upstream).pipe(client);
    const end = () => {
      client.destroy();
      upstream.destroy();
      this.sockets.delete(client);
      this.sockets.delete(upstream);
    };
    client.on('error', end).on('close', end);
    upstream.on('error', end).on('close', end);
  }

  /** Drops every connection and refuses new ones. */
  cut() {
    this.down = true;
    for (const s of this.sockets) {
      s.destroy();
    }
    this.sockets.clear();
  }

  /** Lets connections through again, to `port` when given. */
  restore(port = this.targetPort) {
    this.targetPort = port;
    this.down = false;
  }

  close() {
    this.cut();
    return new Promise((resolve) => this.server.close(resolve));
  }
}
