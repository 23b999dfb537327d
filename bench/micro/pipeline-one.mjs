#!/usr/bin/env node
// The server's own cost per pipelined command, for ONE build per process:
// the same path as pipeline-ab.mjs (Connection.receive() on a socket
// stand-in, batches of 16 commands, the end-of-turn write), but without
// the other build in the same heap. Run it once per build, alternating, and
// compare the lowest figures: the machine's other tenants only ever add time.
//
// Why a second script: with both builds in one process, each build's
// figures move with what the other one left in the heap and the JIT's
// shared state. Session 10 measured SET at -34% between 3a86059 and main
// that way, and -10% (medians) with a process per build.
//
//   npm run build && node bench/micro/pipeline-one.mjs [--dist dist] [--test INCR] [--seconds 2] [--config '{"latency-tracking":"no"}']
//
// Prints one line: the test and the ns per command.
import { EventEmitter } from 'node:events';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const args = process.argv.slice(2);
function flag(name, fallback) {
  const i = args.indexOf('--' + name);
  return i === -1 ? fallback : args[i + 1];
}
const dist = path.resolve(flag('dist', 'dist'));
const test = flag('test', 'INCR');
const seconds = Number(flag('seconds', '2'));
const config = JSON.parse(flag('config', '{}'));

/** redis-benchmark's commands, with keys drawn from 100k as -r 100000 does. */
const COMMANDS = {
  PING: () => ['PING'],
  SET: (r) => ['SET', 'key:' + r, 'xxx'],
  GET: (r) => ['GET', 'key:' + r],
  INCR: (r) => ['INCR', 'counter:' + r],
  MSET: (r) => ['MSET', 'key:' + r, 'xxx', 'key:' + (r + 1), 'xxx', 'key:' + (r + 2), 'xxx'],
  LPUSH: () => ['LPUSH', 'mylist', 'xxx'],
  RPUSH: () => ['RPUSH', 'mylist', 'xxx'],
  LPOP: () => ['LPOP', 'mylist'],
  SADD: (r) => ['SADD', 'myset', 'element:' + r],
  HSET: (r) => ['HSET', 'myhash', 'element:' + r, 'xxx'],
  ZADD: (r) => ['ZADD', 'myzset', String(r), 'element:' + r],
};
if (COMMANDS[test] === undefined) {
  console.error(`unknown test ${test}: one of ${Object.keys(COMMANDS).join(', ')}`);
  process.exit(2);
}

function encode(argv) {
  let out = '*' + argv.length + '\r\n';
  for (const a of argv) out += '$' + Buffer.byteLength(a) + '\r\n' + a + '\r\n';
  return out;
}

let seed = 12345;
const rand = () => {
  seed = (seed * 1103515245 + 12345) & 0x7fffffff;
  return seed % 100000;
};
const batches = [];
for (let b = 0; b < 256; b++) {
  let text = '';
  for (let i = 0; i < 16; i++) text += encode(COMMANDS[test](rand()));
  batches.push(Buffer.from(text, 'latin1'));
}

/** Enough of a net.Socket for Connection: writes are dropped. */
class NullSocket extends EventEmitter {
  writableLength = 0;
  remoteAddress = '127.0.0.1';
  remotePort = 40000;
  localAddress = '127.0.0.1';
  localPort = 6379;
  setNoDelay() {}
  pause() {}
  resume() {}
  cork() {}
  uncork() {}
  write(chunk, encoding, callback) {
    const cb = typeof encoding === 'function' ? encoding : callback;
    if (cb) cb();
    return true;
  }
  end(callback) {
    if (callback) callback();
  }
  destroy() {}
}

const index = await import(pathToFileURL(path.join(dist, 'index.js')).href);
const { Connection } = await import(pathToFileURL(path.join(dist, 'server', 'connection.js')).href);
const server = index.createServer({ config: { loglevel: 'warning', ...config } });
const connection = new Connection(server, new NullSocket(), 1, true);
const started = performance.now();
const end = started + seconds * 1000;
let sent = 0;
while (performance.now() < end) {
  for (let i = 0; i < 1000; i++) {
    const batch = batches[sent++ & 255];
    connection.receive(batch, batch.length);
    server.pendingWrites.flush();
  }
}
console.log(test, (((performance.now() - started) * 1e6) / (sent * 16)).toFixed(0), 'ns/cmd');
process.exit(0);
