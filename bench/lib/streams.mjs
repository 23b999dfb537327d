// Section streams (issue #11): stream throughput, memory and seek cost,
// reddish vs redis-server in the same run.
//
// Throughput (redis-benchmark -P 16, bar >= 0.6x each):
// - XADD_RAND: XADD s:__rand_int__ * f v, over 100,000 streams;
// - XADD_MAXLEN: XADD to one stream with MAXLEN ~ 1000;
// - XRANGE_10: XRANGE of 10 entries from a random ID of a 100,000-entry stream.
// Consumer groups (a driver of our own, bar >= 0.6x):
// - XREADGROUP COUNT 10 + XACK of what was read, from 10 consumers of one group
//   draining a prefilled stream; entries consumed per second.
// Memory (bar <= 2.5x): RSS growth for 1M entries of two fields in one stream.
// Seek (bar: ratio <= 3): µs per XRANGE of one entry at a random ID, in a
// stream of 10k and of 1M entries; the 1M/10k ratio shows the seek is
// logarithmic, not linear.
import { compare, median } from './rb.mjs';
import { lacks, spread, RAND_RANGE } from './throughput.mjs';
import { measureGrowth } from './memory.mjs';
import { ReplyError } from './resp.mjs';
import { textTable, fmt, fmtInt, fmtRatio } from './report.mjs';

const P = 16;
const BAR = 0.6;
const RANGE_ENTRIES = RAND_RANGE;
const GROUP_ENTRIES = 200000;
const CONSUMERS = 10;

async function mustBulk(c, total, gen, opts) {
  const r = await c.bulk(total, gen, opts);
  if (r.errors) throw new Error(`load: ${r.errors} error replies, first: ${r.firstError.message}`);
}

/** A stream `key` of `n` entries with IDs 1-0 .. n-0 (two fields each). */
async function fillStream(c, key, n) {
  await mustBulk(c, n, (i) => ['XADD', key, `${i + 1}-0`, 'event', `e${i % 100}`, 'value', String(i)], { batch: 5000 });
}

async function prep(server, fn) {
  const c = await server.client();
  try {
    await c.call('FLUSHALL');
    await fn(c);
  } finally {
    c.close();
  }
}

/**
 * CONSUMERS connections each loop XREADGROUP GROUP g c<i> COUNT 10 STREAMS
 * jobs > and XACK the IDs read, until the stream is drained. Returns
 * entries consumed per second.
 */
async function groupDrain(server) {
  await prep(server, async (c) => {
    await fillStream(c, 'jobs', GROUP_ENTRIES);
    const r = await c.call('XGROUP', 'CREATE', 'jobs', 'g', '0');
    if (r instanceof ReplyError) throw r;
  });
  const clients = await Promise.all(Array.from({ length: CONSUMERS }, () => server.client()));
  let consumed = 0;
  const t0 = performance.now();
  try {
    await Promise.all(clients.map(async (c, i) => {
      for (;;) {
        const reply = await c.call('XREADGROUP', 'GROUP', 'g', `c${i}`, 'COUNT', '10', 'STREAMS', 'jobs', '>');
        if (reply instanceof ReplyError) throw reply;
        if (reply === null) return;
        const ids = reply[0][1].map((entry) => entry[0]);
        if (ids.length === 0) return;
        const acked = await c.call('XACK', 'jobs', 'g', ...ids);
        if (acked !== ids.length) throw new Error(`${server.name}: XACK acknowledged ${acked} of ${ids.length}`);
        consumed += ids.length;
      }
    }));
  } finally {
    for (const c of clients) c.close();
  }
  const seconds = (performance.now() - t0) / 1000;
  if (consumed !== GROUP_ENTRIES) throw new Error(`${server.name}: consumed ${consumed} of ${GROUP_ENTRIES}`);
  return consumed / seconds;
}

/** µs per XRANGE key <random id> + COUNT 1 on a stream of n entries, pipelined 100 at a time. */
async function seekCost(server, n, calls) {
  let us = NaN;
  await prep(server, async (c) => {
    await fillStream(c, 'seek', n);
    // Random IDs from a fixed sequence, so both servers seek to the same places.
    let x = 12345;
    const next = () => ((x = (x * 1103515245 + 12345) % 2147483648), (x % n) + 1);
    await c.bulk(calls / 10, () => ['XRANGE', 'seek', `${next()}-0`, '+', 'COUNT', '1'], { batch: 100, window: 1 }); // warm-up
    const t0 = performance.now();
    const r = await c.bulk(calls, () => ['XRANGE', 'seek', `${next()}-0`, '+', 'COUNT', '1'], { batch: 100, window: 1 });
    us = ((performance.now() - t0) * 1000) / calls;
    if (r.errors) throw new Error(`${server.name}: XRANGE failed: ${r.firstError.message}`);
  });
  return us;
}

export async function runStreams(ctx) {
  const { redis, reddish, opts, log, print } = ctx;
  const why = await lacks(reddish, [['XLEN', '__probe']]);
  const variants = [{ label: 'redis', server: redis }, { label: 'reddish', server: reddish }];
  print(`\n== Streams, -P ${P}, -c ${opts.clients}, -r ${RAND_RANGE}, median of ${opts.rounds} round(s)`);
  const tests = [
    { id: 'XADD_RAND', spec: { cmd: ['XADD', 's:__rand_int__', '*', 'f', 'v'] } },
    { id: 'XADD_MAXLEN~1000', spec: { cmd: ['XADD', 'capped', 'MAXLEN', '~', '1000', '*', 'f', 'v'] } },
    {
      id: 'XRANGE_10',
      spec: { cmd: ['XRANGE', 'range', '__rand_int__', '+', 'COUNT', '10'] },
      prep: (v) => prep(v.server, (c) => fillStream(c, 'range', RANGE_ENTRIES)),
    },
  ].map((t) => ({
    probeN: opts.quick ? 20000 : 100000,
    minN: 10000,
    skip: why ? { redis: why, reddish: why } : undefined,
    prep: (v) => prep(v.server, async () => {}),
    ...t,
  }));
  const res = await compare({ tests, variants, P, c: opts.clients, r: RAND_RANGE, rounds: opts.rounds, quick: opts.quick, log });
  const rows = [];
  const data = {};
  for (const t of tests) {
    const a = res[t.id].redis;
    const b = res[t.id].reddish;
    const ratio = a.median && b.median ? b.median / a.median : NaN;
    const bar = ctx.bars.check('streams', `${t.id} -P ${P} reddish/redis`, ratio, '>=', BAR, { skip: b.skipped, error: a.error || b.error });
    const sp = spread(a.samples, b.samples);
    rows.push([t.id, fmtInt(a.median), fmtInt(b.median), fmtRatio(ratio), Number.isFinite(sp) ? `${Math.round(sp * 100)}%` : 'n/a', `>= ${BAR}x`, bar.status, b.skipped || a.error || b.error || '']);
    data[t.id] = { redis: a.median ?? null, reddish: b.median ?? null, ratio };
  }
  print(`\nStreams -P ${P}\n${textTable(['test', 'redis ops/s', 'reddish ops/s', 'ratio', 'spread', 'bar', 'result', 'note'], rows)}`);
  if (why) {
    ctx.note(`streams: ${why}`);
    return data;
  }

  // Consumer groups: 10 consumers, XREADGROUP COUNT 10 + XACK.
  const drains = { redis: [], reddish: [] };
  for (let round = 0; round < opts.rounds; round++) {
    for (const v of round % 2 ? [...variants].reverse() : variants) {
      log(`  group drain round ${round + 1}: ${v.label}`);
      drains[v.label].push(await groupDrain(v.server));
    }
  }
  const dr = median(drains.redis);
  const dd = median(drains.reddish);
  const drainBar = ctx.bars.check('streams', `XREADGROUP COUNT 10 + XACK, ${CONSUMERS} consumers, entries/s reddish/redis`, dd / dr, '>=', BAR);
  print(`\nConsumer group: ${CONSUMERS} consumers draining ${fmtInt(GROUP_ENTRIES)} entries with XREADGROUP COUNT 10 + XACK (median of ${opts.rounds})\n${textTable(
    ['server', 'entries/s', 'samples'],
    [['redis', fmtInt(dr), drains.redis.map(fmtInt).join(' ')], ['reddish', fmtInt(dd), drains.reddish.map(fmtInt).join(' ')]])}\nreddish/redis: ${fmtRatio(dd / dr)} (bar >= ${BAR}x: ${drainBar.status})`);
  data.groupDrain = { redis: dr, reddish: dd, ratio: dd / dr };

  // Memory: 1M entries of two fields in one stream.
  const N = opts.quick ? 100000 : 1000000;
  const memory = {};
  for (const s of [redis, reddish]) {
    log(`  loading ${fmtInt(N)} stream entries into ${s.name}`);
    memory[s.name] = await measureGrowth(
      s,
      (c) => mustBulk(c, N, (i) => ['XADD', 'mem', '*', 'event', `e${i % 100}`, 'value', String(i)], { batch: 5000 }),
      (c) => c.call('XLEN', 'mem'),
      N,
      opts.quick ? 300 : 1500,
    );
  }
  const memRatio = memory.reddish.rssPerItem / memory.redis.rssPerItem;
  const memBar = ctx.bars.check('streams', 'stream entry RSS B/entry reddish/redis', memRatio, '<=', 2.5);
  print(`\nMemory: ${fmtInt(N)} entries (XADD mem * event e<i%100> value <i>), each server restarted before loading\n${textTable(
    ['server', 'RSS B/entry', 'used_memory B/entry'],
    [['redis', fmt(memory.redis.rssPerItem, 1), fmt(memory.redis.usedPerItem, 1)], ['reddish', fmt(memory.reddish.rssPerItem, 1), fmt(memory.reddish.usedPerItem, 1)]])}\nreddish/redis (RSS): ${fmtRatio(memRatio)} (bar <= 2.5x: ${memBar.status})`);
  data.memory = { redis: memory.redis, reddish: memory.reddish, ratio: memRatio };

  // Seek: XRANGE of one entry at a random ID, 10k vs 1M entries.
  const calls = opts.quick ? 20000 : 100000;
  const seek = {};
  for (const s of [redis, reddish]) {
    seek[s.name] = { small: await seekCost(s, 10000, calls), large: await seekCost(s, N, calls) };
    await prep(s, async () => {});
  }
  const seekRatio = seek.reddish.large / seek.reddish.small;
  const seekBar = ctx.bars.check('streams', `reddish XRANGE seek µs at ${fmtInt(N)} / at 10,000 entries`, seekRatio, '<=', 3);
  print(`\nSeek: µs per XRANGE <random id> + COUNT 1 (pipelined 100 deep, ${fmtInt(calls)} calls)\n${textTable(
    ['server', 'µs at 10,000', `µs at ${fmtInt(N)}`, 'ratio'],
    [['redis', fmt(seek.redis.small, 3), fmt(seek.redis.large, 3), fmtRatio(seek.redis.large / seek.redis.small)],
      ['reddish', fmt(seek.reddish.small, 3), fmt(seek.reddish.large, 3), fmtRatio(seekRatio)]])}\nreddish ${fmtInt(N)}/10,000: ${fmtRatio(seekRatio)} (bar <= 3: ${seekBar.status})`);
  data.seek = { ...seek, ratio: seekRatio };
  return data;
}
