// Section "maxmemory": writes at the memory limit, and the lazy-free stalls.
//
// 1. SET -P 16 at maxmemory under allkeys-lru with a full dataset: both
//    servers get the same maxmemory, are filled until they evict, and then
//    take redis-benchmark SETs of new keys, so every SET evicts. Bar >= 0.6x.
// 2. The longest PING wait while a 1M-member set, zset and hash is deleted
//    (DEL, then UNLINK) and while 1M keys are flushed (FLUSHALL, then
//    FLUSHALL ASYNC): a second connection pings in a loop from before the
//    delete until 2 s after it, so a GC pause that follows the delete is
//    caught too. Printed for both servers side by side; no bar (Redis's
//    sync figures are the stalls lazy free exists to avoid).
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { sleep } from './servers.mjs';
import { parseInfo } from './resp.mjs';
import { textTable, fmt, fmtInt, fmtRatio } from './report.mjs';

const run = promisify(execFile);

const MAXMEMORY = 64 * 1024 * 1024;
const VALUE_SIZE = 100;

async function info(c, field) {
  return Number(parseInfo(await c.call('INFO', 'everything'))[field]);
}

/** Fills the server with 100-byte values until it has evicted, under allkeys-lru at MAXMEMORY. */
async function fillToLimit(server) {
  await server.restart();
  const c = await server.client();
  try {
    await c.call('CONFIG', 'SET', 'maxmemory', String(MAXMEMORY), 'maxmemory-policy', 'allkeys-lru');
    const value = 'x'.repeat(VALUE_SIZE);
    let next = 0;
    while ((await info(c, 'evicted_keys')) === 0) {
      const r = await c.bulk(50_000, (i) => ['SET', `fill:${next + i}`, value]);
      if (r.errors) throw new Error(`${server.name}: fill: ${r.firstError.message}`);
      next += 50_000;
      if (next > 10_000_000) throw new Error(`${server.name}: never reached maxmemory`);
    }
    return { keys: await c.call('DBSIZE'), usedMemory: await info(c, 'used_memory') };
  } finally {
    c.close();
  }
}

/** redis-benchmark SET -P 16 of fresh keys (random over 10M, so nearly every SET adds a key and evicts one). */
async function benchmarkSet(server, n, clients) {
  const { stdout } = await run('redis-benchmark', ['-p', String(server.port), '-t', 'set', '-P', '16', '-c', String(clients), '-n', String(n), '-r', '10000000', '-d', String(VALUE_SIZE), '--csv', '-q']);
  const line = stdout.split('\n').find((l) => l.startsWith('"SET"'));
  if (!line) throw new Error(`${server.name}: no SET line in redis-benchmark output: ${stdout}`);
  return Number(JSON.parse(`[${line}]`)[1]);
}

async function evictionThroughput(ctx) {
  const { redis, reddish, opts, print } = ctx;
  const n = opts.quick ? 100_000 : 1_000_000;
  const rounds = [];
  const fill = {};
  for (const server of [redis, reddish]) {
    fill[server.name] = await fillToLimit(server);
  }
  for (let round = 0; round < opts.rounds; round++) {
    const row = {};
    for (const server of [redis, reddish]) row[server.name] = await benchmarkSet(server, n, opts.clients);
    rounds.push(row);
  }
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const redisOps = median(rounds.map((r) => r.redis));
  const reddishOps = median(rounds.map((r) => r.reddish));
  const evicted = {};
  for (const server of [redis, reddish]) {
    const c = await server.client();
    evicted[server.name] = { evictedKeys: await info(c, 'evicted_keys'), keys: await c.call('DBSIZE'), usedMemory: await info(c, 'used_memory') };
    c.close();
  }
  const ratio = reddishOps / redisOps;
  print(`\nSET -P 16 at maxmemory ${MAXMEMORY / 1024 / 1024} MB, allkeys-lru, ${VALUE_SIZE}-byte values, full dataset (median of ${opts.rounds})`);
  print(textTable(['server', 'SET ops/s', 'keys held', 'evicted keys', 'used_memory'], [
    ['redis', fmtInt(redisOps), fmtInt(evicted.redis.keys), fmtInt(evicted.redis.evictedKeys), fmtInt(evicted.redis.usedMemory)],
    ['reddish', fmtInt(reddishOps), fmtInt(evicted.reddish.keys), fmtInt(evicted.reddish.evictedKeys), fmtInt(evicted.reddish.usedMemory)],
  ]));
  const bar = ctx.bars.check('maxmemory', 'SET -P 16 at maxmemory, allkeys-lru', ratio, '>=', 0.6);
  print(`ratio ${fmtRatio(ratio)} (bar >= 0.6x: ${bar.status})`);
  return { redis: redisOps, reddish: reddishOps, ratio, rounds, fill, after: evicted };
}

/** Loads one big value (or 1M keys for 'flush'), then deletes it while pinging; returns the times. */
async function stallOnce(server, what, async, members) {
  await server.restart();
  const c = await server.client();
  const pinger = await server.client();
  try {
    const PER = 1000;
    const cmd = { set: 'SADD', zset: 'ZADD', hash: 'HSET', flush: 'MSET' }[what];
    const r = await c.bulk(Math.ceil(members / PER), (b) => {
      const args = what === 'flush' ? [cmd] : [cmd, 'big'];
      for (let i = b * PER; i < Math.min(members, (b + 1) * PER); i++) {
        if (what === 'set') args.push(`member:${i}`);
        else if (what === 'zset') args.push(String(i), `member:${i}`);
        else if (what === 'hash') args.push(`field:${i}`, `value:${i}`);
        else args.push(`key:${i}`, `value:${i}`);
      }
      return args;
    }, { window: 2 });
    if (r.errors) throw new Error(`${server.name}: load ${what}: ${r.firstError.message}`);
    await sleep(1000);
    let longest = 0;
    let stop = false;
    const loop = (async () => {
      while (!stop) {
        const t = performance.now();
        await pinger.call('PING');
        longest = Math.max(longest, performance.now() - t);
      }
    })();
    await sleep(200);
    const before = longest;
    longest = 0;
    const t0 = performance.now();
    const argv = what === 'flush' ? (async ? ['FLUSHALL', 'ASYNC'] : ['FLUSHALL']) : [async ? 'UNLINK' : 'DEL', 'big'];
    await c.call(...argv);
    const commandMs = performance.now() - t0;
    await sleep(2000);
    stop = true;
    await loop;
    return { commandMs, stallMs: longest, idleStallMs: before };
  } finally {
    c.close();
    pinger.close();
  }
}

async function lazyFreeStalls(ctx) {
  const { redis, reddish, opts, print } = ctx;
  const members = opts.quick ? 100_000 : 1_000_000;
  const cases = [
    ['set', false], ['set', true], ['zset', false], ['zset', true], ['hash', false], ['hash', true], ['flush', false], ['flush', true],
  ];
  const rows = [];
  const out = {};
  for (const [what, async] of cases) {
    const label = what === 'flush' ? (async ? `FLUSHALL ASYNC of ${fmtInt(members)} keys` : `FLUSHALL of ${fmtInt(members)} keys`) : `${async ? 'UNLINK' : 'DEL'} of a ${fmtInt(members)}-member ${what}`;
    const result = {};
    for (const server of [redis, reddish]) result[server.name] = await stallOnce(server, what, async, members);
    out[label] = result;
    rows.push([label, fmt(result.redis.commandMs, 1), fmt(result.redis.stallMs, 1), fmt(result.reddish.commandMs, 1), fmt(result.reddish.stallMs, 1),
      `${fmt(result.redis.idleStallMs, 1)} / ${fmt(result.reddish.idleStallMs, 1)}`]);
  }
  print('\nLongest PING wait while deleting (ms): the delete command, then the longest PING from the delete to 2 s after it');
  print(textTable(['case', 'redis cmd', 'redis PING', 'reddish cmd', 'reddish PING', 'idle PING redis / reddish'], rows));
  return out;
}

export async function runMaxmemory(ctx) {
  const throughput = await evictionThroughput(ctx);
  const stalls = await lazyFreeStalls(ctx);
  return { throughput, stalls };
}
