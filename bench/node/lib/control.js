'use strict';
// The line protocol between the Java harness and a Node process: one JSON command per line on
// stdin, one JSON message per line on stdout. The process exits when stdin closes (the harness
// died or is done), so no Node process outlives the run.
const readline = require('readline');

function send(message) {
  process.stdout.write(JSON.stringify(message) + '\n');
}

function serve(handlers, onEnd) {
  const lines = readline.createInterface({ input: process.stdin });
  let queue = Promise.resolve();
  lines.on('line', (line) => {
    if (!line.trim()) return;
    let command;
    try {
      command = JSON.parse(line);
    } catch (e) {
      send({ type: 'error', message: 'not JSON: ' + line.slice(0, 200) });
      return;
    }
    const handler = handlers[command.cmd];
    if (!handler) {
      send({ type: 'error', id: command.id, message: 'unknown command ' + command.cmd });
      return;
    }
    // Commands run one after another; each answers with {type:'done', id} or an error.
    queue = queue.then(() => handler(command)).then(
      (result) => send(Object.assign({ type: 'done', id: command.id }, result || {})),
      (e) => send({ type: 'error', id: command.id, message: String((e && e.stack) || e) }));
  });
  lines.on('close', () => {
    Promise.resolve(onEnd && onEnd()).finally(() => process.exit(0));
  });
}

/** The shared monotonic clock (CLOCK_MONOTONIC, as Java's System.nanoTime) in nanoseconds. */
function nowNs() {
  return Number(process.hrtime.bigint());
}

module.exports = { send, serve, nowNs };
