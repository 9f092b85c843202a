'use strict';
// A Socket.IO 4 server of the comparison: @socket.io/redis-adapter on the harness's redis-server,
// WebSocket transport only, permessage-deflate off (as Relaymesh). A client sends its company and
// agent in the handshake auth and joins the room "{company}:{agent}"; the publisher emits to that
// room through @socket.io/redis-emitter. Prints {"type":"listening","port":N} once it accepts
// connections; exits when stdin closes. Arguments: --port=N (0 = any free) --redis=redis://host:port
const http = require('http');
const { Server } = require('socket.io');
const { createAdapter } = require('@socket.io/redis-adapter');
const { createClient } = require('redis');
const { send, serve } = require('./lib/control');

const args = Object.fromEntries(process.argv.slice(2).map((a) => a.replace(/^--/, '').split('=')));
const ID = /^[^:.*>/\s]{1,128}$/;

async function main() {
  const pub = createClient({ url: args.redis });
  const sub = pub.duplicate();
  pub.on('error', (e) => send({ type: 'log', message: 'redis pub: ' + e.message }));
  sub.on('error', (e) => send({ type: 'log', message: 'redis sub: ' + e.message }));
  await Promise.all([pub.connect(), sub.connect()]);
  const httpServer = http.createServer();
  const io = new Server(httpServer, { adapter: createAdapter(pub, sub), transports: ['websocket'],
    perMessageDeflate: false, serveClient: false });
  io.on('connection', (socket) => {
    const { company, agent } = socket.handshake.auth || {};
    if (!ID.test(String(company)) || !ID.test(String(agent))) {
      socket.disconnect(true);
      return;
    }
    socket.join(`${company}:${agent}`);
  });
  await new Promise((resolve) => httpServer.listen(Number(args.port || 0), '127.0.0.1', resolve));
  serve({ stats: async () => ({ clients: io.engine.clientsCount, rssBytes: process.memoryUsage().rss }) },
    () => { io.close(); return Promise.all([pub.quit(), sub.quit()]).catch(() => {}); });
  send({ type: 'listening', port: httpServer.address().port, pid: process.pid });
}

main().catch((e) => {
  send({ type: 'error', message: String(e.stack || e) });
  process.exit(1);
});
