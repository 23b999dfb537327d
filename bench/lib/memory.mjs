// Sections 4 and 5: bytes per key / per member, from the server process's RSS
// delta and (where the server reports it) INFO memory used_memory delta.
import { sleep } from './servers.mjs';
import { parseInfo } from './resp.mjs';
import { lacks } from './throughput.mjs';
import { textTable, fmt, fmtInt, fmtRatio } from './report.mjs';

export async function usedMemory(c) {
  const r = await c.call('INFO', 'memory');
  const v = Number(parseInfo(r).used_memory);
  return Number.isFinite(v) && v > 0 ? v : null;
}

/**
 * Restart the server (so earlier sections' freed-but-retained memory does not
 * hide part of the growth), take a baseline, run `load`, let the process
 * settle, and measure again. Node's RSS includes garbage not yet collected
 * after the load; the settle pause gives the GC a chance to run, and what is
 * left is memory the server really holds on to at that point.
 */
export async function measureGrowth(server, load, count, expected, settleMs) {
  await server.restart();
  const c = await server.client();
  try {
    await sleep(settleMs);
    const rss0 = server.rss();
    const um0 = await usedMemory(c);
    const t0 = performance.now();
    await load(c);
    const loadS = (performance.now() - t0) / 1000;
    await sleep(settleMs);
    const rss1 = server.rss();
    const um1 = await usedMemory(c);
    const got = await count(c);
    if (got !== expected) throw new Error(`${server.name}: expected ${expected} items after load, server reports ${got}`);
    await c.call('FLUSHALL');
    return {
      items: expected,
      rssBefore: rss0,
      rssAfter: rss1,
      rssPerItem: rss0 !== null && rss1 !== null ? (rss1 - rss0) / expected : null,
      usedPerItem: um0 !== null && um1 !== null ? (um1 - um0) / expected : null,
      loadSeconds: loadS,
    };
  } finally {
    c.close();
  }
}

async function mustBulk(c, total, gen, opts) {
  const r = await c.bulk(total, gen, opts);
  if (r.errors) throw new Error(`load: ${r.errors} error replies, first: ${r.firstError.message}`);
}

const PER = 500; // members per multi-member command when loading one big key

/** Multi-member command loader: cmd(key, [members...]) for items 0..N-1. */
function multiLoad(N, head, push) {
  return (c) => mustBulk(c, Math.ceil(N / PER), (k) => {
    const args = [...head];
    for (let i = k * PER; i < Math.min(N, (k + 1) * PER); i++) push(args, i);
    return args;
  }, { batch: 20, window: 2 });
}

const KINDS = {
  keys: {
    label: 'string keys (SET key:N <10 B>)',
    probe: [['SET', '__probe', 'x'], ['DBSIZE']],
    // 'v' + 9 digits: exactly 10 bytes and not integer-looking, so Redis keeps
    // it as a string (embstr) rather than its compact int encoding.
    load: (N) => (c) => mustBulk(c, N, (i) => ['SET', `key:${i}`, `v${String(i).padStart(9, '0')}`], { batch: 5000 }),
    count: (c) => c.call('DBSIZE'),
  },
  hash: {
    label: 'hash (HSET h f:N v:N)',
    probe: [['HSET', '__probe:h', 'f', 'v'], ['HLEN', '__probe:h']],
    load: (N) => multiLoad(N, ['HSET', 'h'], (a, i) => a.push(`f:${i}`, `v:${i}`)),
    count: (c) => c.call('HLEN', 'h'),
  },
  set: {
    label: 'set (SADD s m:N)',
    probe: [['SADD', '__probe:s', 'x'], ['SCARD', '__probe:s']],
    load: (N) => multiLoad(N, ['SADD', 's'], (a, i) => a.push(`m:${i}`)),
    count: (c) => c.call('SCARD', 's'),
  },
  zset: {
    label: 'sorted set (ZADD z N m:N)',
    probe: [['ZADD', '__probe:z', '1', 'm'], ['ZCARD', '__probe:z']],
    load: (N) => multiLoad(N, ['ZADD', 'z'], (a, i) => a.push(String(i), `m:${i}`)),
    count: (c) => c.call('ZCARD', 'z'),
  },
};

async function measureKind(ctx, kind, N) {
  const k = KINDS[kind];
  const why = await lacks(ctx.reddish, k.probe);
  if (why) {
    ctx.note(`memory ${kind}: skipped, ${why}`);
    return { kind, items: N, skipped: why };
  }
  const out = { kind, items: N };
  for (const s of [ctx.redis, ctx.reddish]) {
    ctx.log(`  loading ${fmtInt(N)} ${kind === 'keys' ? 'keys' : `${kind} members`} into ${s.name}`);
    try {
      out[s.name] = await measureGrowth(s, k.load(N), k.count, N, ctx.opts.quick ? 300 : 1500);
    } catch (e) {
      out.error = e.message;
      ctx.note(`memory ${kind}: ${e.message}`);
      // A failed load can leave a half-full server; start it afresh.
      await s.restart();
      break;
    }
  }
  const a = out.redis?.rssPerItem;
  const b = out.reddish?.rssPerItem;
  out.ratio = a > 0 && Number.isFinite(b) ? b / a : null;
  return out;
}

function rowsOf(results) {
  return results.map((r) => [
    KINDS[r.kind].label,
    fmtInt(r.items),
    fmt(r.redis?.rssPerItem, 1),
    fmt(r.redis?.usedPerItem, 1),
    fmt(r.reddish?.rssPerItem, 1),
    fmt(r.reddish?.usedPerItem, 1),
    fmtRatio(r.ratio),
    r.skipped || r.error || '',
  ]);
}

const HEAD = ['structure', 'items', 'redis RSS B/item', 'redis used_memory B/item', 'reddish RSS B/item', 'reddish used_memory B/item', 'ratio (RSS)', 'note'];

export async function runMemory(ctx) {
  const N = ctx.opts.quick ? 100000 : 1000000;
  ctx.print(`\n== Memory (core): ${fmtInt(N)} string keys, each server restarted before loading`);
  const core = await measureKind(ctx, 'keys', N);
  ctx.bars.check('memory', 'string key RSS B/key reddish/redis', core.ratio, '<=', 2.5, { skip: core.skipped, error: core.error });
  ctx.print(textTable(HEAD, rowsOf([core])));

  ctx.print(`\n== Memory (data types): one key with ${fmtInt(N)} members each`);
  const types = [];
  for (const kind of ['hash', 'set', 'zset']) types.push(await measureKind(ctx, kind, N));
  ctx.print(textTable(HEAD, rowsOf(types)));
  ctx.print('(RSS-based figures include allocator and, for Node, heap headroom; used_memory is the server\'s own accounting when it reports one.)');
  return { core, types };
}
