// Section scripting: EVALSHA throughput at -P 16 and the cost of one
// redis.call, reddish vs redis-server in the same run (issue #9).
//
// - EVALSHA_GET: `return redis.call('GET', KEYS[1])` on key:__rand_int__
//   (the keys exist: prefilled as for the core GET test);
// - EVALSHA_SET_INCR: a script that SETs a key and INCRs it;
// - redis.call cost: one EVAL whose script calls GET 100,000 times, timed
//   from the client; the µs per call is the EVAL's time over 100,000.
import { compare, median } from './rb.mjs';
import { lacks, prefillKeys, spread, RAND_RANGE } from './throughput.mjs';
import { textTable, fmt, fmtInt, fmtRatio } from './report.mjs';
import { createHash } from 'node:crypto';

const SCRIPTS = {
  EVALSHA_GET: "return redis.call('GET', KEYS[1])",
  EVALSHA_SET_INCR: "redis.call('SET', KEYS[1], ARGV[1]) return redis.call('INCR', KEYS[1])",
};
const CALL_LOOP = "local v for i = 1, 100000 do v = redis.call('GET', KEYS[1]) end return v";
const CALLS_PER_LOOP = 100000;
const BAR = 0.6;
const sha1 = (text) => createHash('sha1').update(text).digest('hex');

async function loadScripts(server) {
  const c = await server.client();
  try {
    for (const body of Object.values(SCRIPTS)) {
      const sha = await c.call('SCRIPT', 'LOAD', body);
      if (sha !== sha1(body)) throw new Error(`${server.name}: SCRIPT LOAD answered ${sha}`);
    }
  } finally {
    c.close();
  }
}

/** µs per redis.call: median over `rounds` EVALs of CALL_LOOP. */
async function callCost(server, rounds) {
  const c = await server.client();
  try {
    await c.call('SET', 'loop:key', 'VXK');
    await c.call('EVAL', CALL_LOOP, '1', 'loop:key'); // warm-up (and compile)
    const samples = [];
    for (let i = 0; i < rounds; i++) {
      const t0 = performance.now();
      const reply = await c.call('EVAL', CALL_LOOP, '1', 'loop:key');
      const ms = performance.now() - t0;
      if (reply !== 'VXK') throw new Error(`${server.name}: the loop script answered ${JSON.stringify(reply)}`);
      samples.push((ms * 1000) / CALLS_PER_LOOP);
    }
    return samples;
  } finally {
    c.close();
  }
}

export async function runScripting(ctx) {
  const { redis, reddish, opts, log, print } = ctx;
  const why = await lacks(reddish, [['EVAL', 'return 1', '0']]);
  const P = 16;
  print(`\n== Scripting, -P ${P}, -c ${opts.clients}, -r ${RAND_RANGE}, median of ${opts.rounds} round(s)`);
  const variants = [{ label: 'redis', server: redis }, { label: 'reddish', server: reddish }];
  if (!why) {
    for (const v of variants) {
      const c = await v.server.client();
      try {
        await c.call('FLUSHALL');
        await prefillKeys(c);
      } finally {
        c.close();
      }
      await loadScripts(v.server);
    }
  }
  const tests = Object.entries(SCRIPTS).map(([id, body]) => ({
    id,
    spec: { cmd: ['EVALSHA', sha1(body), '1', 'key:__rand_int__', ...(id === 'EVALSHA_SET_INCR' ? ['1'] : [])] },
    probeN: opts.quick ? 20000 : 100000,
    minN: 10000,
    skip: why ? { redis: why, reddish: why } : undefined,
  }));
  const res = await compare({ tests, variants, P, c: opts.clients, r: RAND_RANGE, rounds: opts.rounds, quick: opts.quick, log });
  const rows = [];
  const data = {};
  for (const t of tests) {
    const a = res[t.id].redis;
    const b = res[t.id].reddish;
    const ratio = a.median && b.median ? b.median / a.median : NaN;
    const bar = ctx.bars.check('scripting', `${t.id} -P ${P} reddish/redis`, ratio, '>=', BAR, { skip: b.skipped, error: a.error || b.error });
    const sp = spread(a.samples, b.samples);
    rows.push([t.id, fmtInt(a.median), fmtInt(b.median), fmtRatio(ratio), Number.isFinite(sp) ? `${Math.round(sp * 100)}%` : 'n/a',
      `>= ${BAR}x`, bar.status, b.skipped || a.error || b.error || '']);
    data[t.id] = { redis: a.median ?? null, reddish: b.median ?? null, ratio, samples: { redis: a.samples ?? [], reddish: b.samples ?? [] } };
  }
  print(`\nScripting -P ${P}\n${textTable(['test', 'redis ops/s', 'reddish ops/s', 'ratio', 'spread', 'bar', 'result', 'note'], rows)}`);

  if (!why) {
    const rounds = Math.max(3, opts.rounds);
    const costs = {};
    for (const v of variants) costs[v.label] = await callCost(v.server, rounds);
    const r = median(costs.redis);
    const d = median(costs.reddish);
    print(`\nredis.call cost (one EVAL calling GET ${CALLS_PER_LOOP.toLocaleString('en-US')} times, median of ${rounds})\n${textTable(
      ['server', 'µs per redis.call', 'samples'],
      [['redis', fmt(r, 3), costs.redis.map((x) => fmt(x, 3)).join(' ')], ['reddish', fmt(d, 3), costs.reddish.map((x) => fmt(x, 3)).join(' ')]])}\nreddish/redis time per call: ${fmt(d / r, 2)}x`);
    data.callCost = { redisUs: r, reddishUs: d, samples: costs };
  } else {
    ctx.note(`scripting: ${why}`);
  }
  return data;
}
