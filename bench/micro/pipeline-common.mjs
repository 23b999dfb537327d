// What pipeline-ab.mjs and pipeline-one.mjs share: redis-benchmark's
// commands as pre-encoded batches of 16, a socket stand-in for Connection,
// and the loop that feeds a build's Connection and flushes its turn.
import { EventEmitter } from 'node:events';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

/** redis-benchmark's commands, with keys drawn from 100k as -r 100000 does. */
export const COMMANDS = {
  PING: () => ['PING'],
  SET: (r) => ['SET', 'key:' + r, 'xxx'],
  GET: (r) => ['GET', 'key:' + r],
  INCR: (r) => ['INCR', 'counter:' + r],
  MSET: (r) => ['MSET', 'key:' + r, 'xxx', 'key:' + (r + 1), 'xxx', 'key:' + (r + 2), 'xxx'],
  // redis-benchmark's MSET: 10 keys, each its own of 100k, 12-digit padded.
  MSET10: (r) => ['MSET', ...Array.from({ length: 10 }, (_, i) => ['key:' + String((r * 7919 + i * 104729) % 100000).padStart(12, '0'), 'VXK']).flat()],
  LPUSH: () => ['LPUSH', 'mylist', 'xxx'],
  RPUSH: () => ['RPUSH', 'mylist', 'xxx'],
  LPOP: () => ['LPOP', 'mylist'],
  RPOP: () => ['RPOP', 'mylist'],
  SADD: (r) => ['SADD', 'myset', 'element:' + r],
  HSET: (r) => ['HSET', 'myhash', 'element:' + r, 'xxx'],
  ZADD: (r) => ['ZADD', 'myzset', String(r), 'element:' + r],
  LRANGE_100: () => ['LRANGE', 'mylist', '0', '99'],
};

/** argv as a RESP multibulk request (latin1 text). */
export function encode(argv) {
  let out = '*' + argv.length + '\r\n';
  for (const a of argv) out += '$' + Buffer.byteLength(a) + '\r\n' + a + '\r\n';
  return out;
}

/**
 * 256 batches of `perBatch` commands (16: as redis-benchmark -P 16 sends
 * them; 1: one request per read, as -P 1 does), from a fixed seed.
 */
export function makeBatches(test, perBatch = 16) {
  let seed = 12345;
  const rand = () => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed % 100000;
  };
  const batches = [];
  for (let b = 0; b < 256; b++) {
    let text = '';
    for (let i = 0; i < perBatch; i++) text += encode(COMMANDS[test](rand()));
    batches.push(Buffer.from(text, 'latin1'));
  }
  return batches;
}

/** Enough of a net.Socket for Connection: writes are counted and dropped. */
class NullSocket extends EventEmitter {
  writableLength = 0;
  remoteAddress = '127.0.0.1';
  remotePort = 40000;
  localAddress = '127.0.0.1';
  localPort = 6379;
  bytes = 0;
  setNoDelay() {}
  pause() {}
  resume() {}
  cork() {}
  uncork() {}
  write(chunk, encoding, callback) {
    this.bytes += chunk.length;
    const cb = typeof encoding === 'function' ? encoding : callback;
    if (cb) cb();
    return true;
  }
  end(callback) {
    if (callback) callback();
  }
  destroy() {}
}

/** A build's server (createServer, with `config`) and a Connection to it on a NullSocket. */
export async function loadBuild(dist, config = {}) {
  const index = await import(pathToFileURL(path.join(dist, 'index.js')).href);
  const { Connection } = await import(pathToFileURL(path.join(dist, 'server', 'connection.js')).href);
  const server = index.createServer({ config: { loglevel: 'warning', ...config } });
  const socket = new NullSocket();
  const connection = new Connection(server, socket, 1, true);
  return { server, connection, socket };
}

/** Feeds batches[first ..] in turn, `count` of them, each followed by the turn's writes. */
export function feedBatches(build, batches, first, count) {
  const { server, connection } = build;
  for (let i = first; i < first + count; i++) {
    const batch = batches[i & 255];
    connection.receive(batch, batch.length);
    server.pendingWrites.flush();
  }
}
