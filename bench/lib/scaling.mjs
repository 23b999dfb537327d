// Section 6: does the per-operation cost stay flat as a structure grows?
// Times ZADD/ZRANK on a sorted set and LPUSH/LPOP on a list at a small and a
// large size, in the same server, and reports the large/small ratio.
import { encodeMany } from './resp.mjs';
import { lacks } from './throughput.mjs';
import { median } from './rb.mjs';
import { textTable, fmt, fmtInt, fmtRatio } from './report.mjs';

const BLOCK = 1000; // commands per timed pipelined write
const PER = 500; // members per command while building

async function timed(c, buf, count) {
  const t0 = performance.now();
  const g = await c.sendRaw(buf, count);
  const dt = performance.now() - t0;
  if (g.errors) throw new Error(`timed block: ${g.errors} error replies, first: ${g.firstError.message}`);
  return dt;
}

async function build(c, head, S, push) {
  const r = await c.bulk(Math.ceil(S / PER), (k) => {
    const a = [...head];
    for (let i = k * PER; i < Math.min(S, (k + 1) * PER); i++) push(a, i);
    return a;
  }, { batch: 20, window: 2 });
  if (r.errors) throw new Error(`build ${head.join(' ')}: ${r.firstError.message}`);
}

/**
 * Both sizes live in the server at once and blocks alternate between them
 * (and flip order every block), so machine noise and drift hit both sizes
 * alike. Each timed block is pre-encoded before the clock starts. Sizes stay
 * put: new ZADD members are removed (untimed) after each block, and every
 * LPUSH block is followed by an LPOP block of the same length.
 * Returns {op: {perOpUs: [small, large], blockMedianUs: [small, large]}}.
 */
async function measure(c, kind, sizes, ops) {
  const keys = sizes.map((S) => `scale:${kind}:${S}`);
  const opsNames = kind === 'zset' ? ['ZADD', 'ZRANK'] : ['LPUSH', 'LPOP'];
  for (let i = 0; i < sizes.length; i++) {
    if (kind === 'zset') await build(c, ['ZADD', keys[i]], sizes[i], (a, j) => a.push(String(j), `m:${j}`));
    else await build(c, ['RPUSH', keys[i]], sizes[i], (a, j) => a.push(`v:${j}`));
  }
  const total = Object.fromEntries(opsNames.map((o) => [o, sizes.map(() => 0)]));
  const blocks = Object.fromEntries(opsNames.map((o) => [o, sizes.map(() => [])]));
  const nBlocks = Math.ceil(ops / BLOCK);
  // The first WARMUP blocks are run but not counted: they absorb JIT warm-up
  // of this client (and of a JS server) which would otherwise land on
  // whichever size happens to go first.
  const WARMUP = 5;
  for (let b = -WARMUP; b < nBlocks; b++) {
    const counted = b >= 0;
    const order = (b + WARMUP) % 2 ? [1, 0] : [0, 1];
    for (const i of order) {
      const S = sizes[i];
      const key = keys[i];
      let first;
      let second;
      if (kind === 'zset') {
        const members = Array.from({ length: BLOCK }, (_, j) => `new:${b + WARMUP}:${j}`);
        // Random scores spread inserts over the whole set, not just its tail.
        first = encodeMany(members.map((m) => ['ZADD', key, String(Math.random() * S), m]));
        second = encodeMany(Array.from({ length: BLOCK }, () => ['ZRANK', key, `m:${Math.floor(Math.random() * S)}`]));
        const t1 = await timed(c, first, BLOCK);
        const r = await c.call('ZREM', key, ...members);
        if (r !== BLOCK) throw new Error(`ZREM cleanup removed ${r} of ${BLOCK}`);
        const t2 = await timed(c, second, BLOCK);
        if (counted) {
          total.ZADD[i] += t1; blocks.ZADD[i].push(t1);
          total.ZRANK[i] += t2; blocks.ZRANK[i].push(t2);
        }
      } else {
        first = encodeMany(Array.from({ length: BLOCK }, (_, j) => ['LPUSH', key, `p:${j}`]));
        second = encodeMany(Array.from({ length: BLOCK }, () => ['LPOP', key]));
        const t1 = await timed(c, first, BLOCK);
        const t2 = await timed(c, second, BLOCK);
        if (counted) {
          total.LPUSH[i] += t1; blocks.LPUSH[i].push(t1);
          total.LPOP[i] += t2; blocks.LPOP[i].push(t2);
        }
      }
    }
  }
  const out = {};
  for (const o of opsNames) {
    out[o] = {
      perOpUs: total[o].map((ms) => (ms * 1000) / (nBlocks * BLOCK)),
      blockMedianUs: blocks[o].map((xs) => (median(xs) * 1000) / BLOCK),
    };
  }
  for (const k of keys) await c.call('DEL', k);
  return out;
}

export async function runScaling(ctx) {
  const sizes = [10000, ctx.opts.quick ? 100000 : 1000000];
  const ops = ctx.opts.quick ? 20000 : 100000;
  const label = (S) => (S >= 1e6 ? `${S / 1e6}M` : `${S / 1e3}k`);
  ctx.print(`\n== Scaling: µs/op at ${label(sizes[0])} vs ${label(sizes[1])} elements, ${fmtInt(ops)} ops per size, pipelined in blocks of ${BLOCK}`);
  const parts = {
    zset: await lacks(ctx.reddish, [['ZADD', '__probe:z', '1', 'm'], ['ZRANK', '__probe:z', 'm'], ['ZREM', '__probe:z', 'm']]),
    list: await lacks(ctx.reddish, [['RPUSH', '__probe:l', 'x'], ['LPUSH', '__probe:l', 'x'], ['LPOP', '__probe:l']]),
  };
  const data = { sizes, ops };
  const rows = [];
  for (const kind of ['zset', 'list']) {
    const opsNames = kind === 'zset' ? ['ZADD', 'ZRANK'] : ['LPUSH', 'LPOP'];
    data[kind] = {};
    if (parts[kind]) {
      for (const o of opsNames) {
        ctx.bars.skipSection('scaling', `${o} µs/op ${label(sizes[1])}/${label(sizes[0])} (reddish)`, '<=', 3, parts[kind]);
        rows.push(['reddish', o, '', '', '', '<= 3x', 'SKIP', parts[kind]]);
      }
      data[kind].skipped = parts[kind];
      continue;
    }
    for (const s of [ctx.redis, ctx.reddish]) {
      ctx.log(`  ${kind} on ${s.name}`);
      const c = await s.client();
      let m;
      let err = null;
      try {
        await c.call('FLUSHALL');
        m = await measure(c, kind, sizes, ops);
      } catch (e) {
        err = e.message;
      } finally {
        c.close();
      }
      data[kind][s.name] = err ? { error: err } : m;
      for (const o of opsNames) {
        const [a, b] = m?.[o].perOpUs ?? [NaN, NaN];
        const ratio = b / a;
        let bar = null;
        if (s === ctx.reddish) {
          bar = ctx.bars.check('scaling', `${o} µs/op ${label(sizes[1])}/${label(sizes[0])} (reddish)`, ratio, '<=', 3, { error: err });
        }
        rows.push([s.name, o, fmt(a, 3), fmt(b, 3), fmtRatio(ratio), bar ? '<= 3x' : '(reference)', bar?.status ?? '', err ?? '']);
      }
    }
  }
  ctx.print(textTable(['server', 'op', `µs/op @${label(sizes[0])}`, `µs/op @${label(sizes[1])}`, 'ratio', 'bar', 'result', 'note'], rows));
  return data;
}
