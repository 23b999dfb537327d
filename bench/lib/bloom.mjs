// Section 3: Bloom filter commands, against reddish only (stock Redis 7 has
// no BF.*): throughput relative to reddish's own SET/GET, memory per item,
// and the measured false-positive rate.
import { compare } from './rb.mjs';
import { isUnknownCommand, ReplyError } from './resp.mjs';
import { sleep } from './servers.mjs';
import { RAND_RANGE, prefillKeys, spread } from './throughput.mjs';
import { textTable, fmt, fmtInt, fmtRatio, fmtPct, abChange } from './report.mjs';

const pad12 = (i) => String(i).padStart(12, '0');

/** null if all BF commands used here are known, else the reason to skip. */
async function bloomMissing(server) {
  const c = await server.client();
  try {
    const probes = [
      ['BF.RESERVE', '__probe:bf', '0.01', '100'],
      ['BF.ADD', '__probe:bf', 'x'],
      ['BF.EXISTS', '__probe:bf', 'x'],
      ['BF.MEXISTS', '__probe:bf', 'x', 'y'],
      ['BF.INFO', '__probe:bf'],
    ];
    for (const p of probes) {
      const r = await c.call(...p);
      if (isUnknownCommand(r)) return `server lacks BF.* (${p[0]}: unknown command)`;
    }
    const madd = await c.call('BF.MADD', '__probe:bf', 'a', 'b');
    await c.call('DEL', '__probe:bf');
    return { hasMadd: !isUnknownCommand(madd) };
  } finally {
    c.close();
  }
}

async function check(c, ...cmd) {
  const r = await c.call(...cmd);
  if (r instanceof ReplyError) throw new Error(`${cmd[0]}: ${r.message}`);
  return r;
}

/** Add items gen(0..N-1) to filter `key`, BF.MADD if the server has it. */
async function addItems(c, key, N, gen, hasMadd) {
  const per = 500;
  const r = hasMadd
    ? await c.bulk(Math.ceil(N / per), (k) => {
      const a = ['BF.MADD', key];
      for (let i = k * per; i < Math.min(N, (k + 1) * per); i++) a.push(gen(i));
      return a;
    }, { batch: 20, window: 2 })
    : await c.bulk(N, (i) => ['BF.ADD', key, gen(i)], { batch: 5000 });
  if (r.errors) throw new Error(`bloom load: ${r.errors} error replies, first: ${r.firstError.message}`);
}

async function prep(server, id, hasMadd) {
  const c = await server.client();
  try {
    await check(c, 'FLUSHALL');
    // The filter is reserved at the size of the -r key space so BF.ADD and
    // BF.EXISTS time one right-sized filter. Auto-created filters start at a
    // small default capacity and stack sub-filters as they grow, which would
    // time the implementation's scaling policy rather than the add/check.
    if (id === 'BF.ADD' || id === 'BF.EXISTS') await check(c, 'BF.RESERVE', 'bf', '0.01', String(RAND_RANGE));
    // Lookups are timed against populated structures on both sides: GET hits
    // existing keys and BF.EXISTS checks items that were added.
    if (id === 'GET') await prefillKeys(c);
    if (id === 'BF.EXISTS') await addItems(c, 'bf', RAND_RANGE, (i) => `e:${pad12(i)}`, hasMadd);
  } finally {
    c.close();
  }
}

/**
 * hasMadd: whether reddish has BF.MADD. baseSupport (A/B mode only): the
 * baseline's bloomMissing() answer, a reason string if it lacks BF.*.
 */
async function throughput(ctx, hasMadd, baseSupport) {
  // SET/GET are given in explicit command form rather than `-t set/get`, so
  // both sides of each comparison go through the identical redis-benchmark
  // path: one key argument with __rand_int__ in it, same argument count as
  // the BF command (SET key val ~ BF.ADD key item; GET key ~ BF.EXISTS key
  // item), same fixed -r range.
  const specs = {
    SET: ['SET', 'key:__rand_int__', 'xxx'],
    'BF.ADD': ['BF.ADD', 'bf', 'e:__rand_int__'],
    GET: ['GET', 'key:__rand_int__'],
    'BF.EXISTS': ['BF.EXISTS', 'bf', 'e:__rand_int__'],
  };
  const abMode = Boolean(ctx.baseline);
  const withBase = abMode && typeof baseSupport !== 'string';
  const madd = { reddish: hasMadd, baseline: withBase && baseSupport.hasMadd };
  const tests = Object.entries(specs).map(([id, cmd]) => ({
    id, spec: { cmd }, probeN: 100000, minN: 10000,
    prep: (v) => prep(v.server, id, madd[v.label]),
  }));
  const variants = [{ label: 'reddish', server: ctx.reddish }];
  if (withBase) variants.push({ label: 'baseline', server: ctx.baseline });
  const res = await compare({
    tests, variants,
    P: 16, c: ctx.opts.clients, r: RAND_RANGE, rounds: ctx.opts.rounds, quick: ctx.opts.quick, log: ctx.log,
  });
  const pairs = [['BF.ADD', 'SET'], ['BF.EXISTS', 'GET']];
  const out = {};
  const rows = [];
  for (const [bf, base] of pairs) {
    const a = res[bf].reddish;
    const b = res[base].reddish;
    const ratio = a.median && b.median ? a.median / b.median : null;
    const bar = ctx.bars.check('bloom', `${bf} / reddish ${base} (-P 16)`, ratio, '>=', 0.5, { error: a.error || b.error });
    out[bf] = { opsPerSec: a.median ?? null, samples: a.samples, [base]: b.median ?? null, baseSamples: b.samples, ratio, error: a.error || b.error || null };
    if (!abMode) {
      rows.push([bf, fmtInt(a.median), base, fmtInt(b.median), fmtRatio(ratio), '>= 0.5x', bar.status, a.error || b.error || '']);
      continue;
    }
    // A/B: the bar's ratio (BF op / the same server's SET or GET) for this
    // build and for the baseline build, each measured on its own server.
    const ba = res[bf].baseline ?? {};
    const bb = res[base].baseline ?? {};
    const baselineRatio = ba.median && bb.median ? ba.median / bb.median : null;
    const sp = spread(a.samples, b.samples, ba.samples, bb.samples);
    const ch = abChange(ratio, baselineRatio);
    const note = out[bf].error || (withBase ? (ba.error || bb.error) && `baseline: ${ba.error || bb.error}` : `baseline: ${baseSupport}`) || '';
    out[bf].ab = {
      baseline: { opsPerSec: ba.median ?? null, samples: ba.samples ?? [], [base]: bb.median ?? null, baseSamples: bb.samples ?? [] },
      baselineRatio, ...ch,
      opsChange: a.median && ba.median ? a.median / ba.median - 1 : null,
      spread: Number.isFinite(sp) ? sp : null,
    };
    ctx.abRecord({
      section: 'bloom', test: `${bf} -P 16`, ratioName: `${bf}/${base}`, redis: null, baseline: ba.median ?? null, candidate: a.median ?? null,
      baselineRatio, candidateRatio: ratio, change: ch.change, spread: out[bf].ab.spread, regression: ch.regression, note: note || null,
    });
    rows.push([bf, base, fmtInt(ba.median), fmtInt(bb.median), fmtInt(a.median), fmtInt(b.median), fmtRatio(baselineRatio), fmtRatio(ratio),
      fmtPct(ch.change), Number.isFinite(sp) ? `${Math.round(sp * 100)}%` : 'n/a', ch.regression ? 'REGRESSION?' : '', '>= 0.5x', bar.status, note]);
  }
  if (!abMode) ctx.print(textTable(['command', 'ops/s', 'baseline', 'baseline ops/s', 'ratio', 'bar', 'result', 'note'], rows));
  else {
    ctx.print('A/B: ratio = BF op / the same server\'s SET or GET; baseline = earlier build, candidate = this build');
    ctx.print(textTable(['command', 'vs', 'baseline BF ops/s', 'baseline vs ops/s', 'candidate BF ops/s', 'candidate vs ops/s',
      'base ratio', 'cand ratio', 'cand/base', 'spread', 'a/b', 'bar', 'result', 'note'], rows));
  }
  return out;
}

async function memoryAndFp(ctx, hasMadd) {
  const N = ctx.opts.quick ? 100000 : 1000000;
  const server = ctx.reddish;
  await server.restart(); // clean baseline, as in the memory section
  const c = await server.client();
  try {
    const settle = ctx.opts.quick ? 300 : 1500;
    await sleep(settle);
    const rss0 = server.rss();
    await check(c, 'BF.RESERVE', 'm', '0.01', String(N));
    ctx.log(`  adding ${fmtInt(N)} items to m (${hasMadd ? 'BF.MADD' : 'BF.ADD'}, pipelined)`);
    await addItems(c, 'm', N, (i) => `item:${i}`, hasMadd);
    await sleep(settle);
    const rss1 = server.rss();
    let size = await check(c, 'BF.INFO', 'm', 'SIZE');
    // RedisBloom answers a bare integer; accept ["Size", n] too.
    if (Array.isArray(size)) size = Number(size[size.length - 1]);
    size = Number(size);

    // False negatives must be zero; check a sample of members first.
    const sample = Math.min(N, 10000);
    let misses = 0;
    await c.bulk(Math.ceil(sample / 500), (k) => ['BF.MEXISTS', 'm', ...Array.from({ length: 500 }, (_, j) => `item:${k * 500 + j}`)],
      { batch: 20, onReplies: (rs) => { for (const x of rs) { if (!Array.isArray(x)) { misses += 500; continue; } for (const v of x) if (Number(v) !== 1) misses++; } } });

    let positives = 0;
    let answered = 0;
    ctx.log(`  checking ${fmtInt(N)} non-members with BF.MEXISTS`);
    const r = await c.bulk(Math.ceil(N / 500), (k) => {
      const a = ['BF.MEXISTS', 'm'];
      for (let i = k * 500; i < Math.min(N, (k + 1) * 500); i++) a.push(`absent:${i}`);
      return a;
    }, {
      batch: 20,
      window: 2,
      onReplies: (rs) => {
        for (const x of rs) {
          if (!Array.isArray(x)) continue;
          answered += x.length;
          for (const v of x) if (Number(v) === 1) positives++;
        }
      },
    });
    if (r.errors) throw new Error(`BF.MEXISTS: ${r.firstError.message}`);
    await c.call('FLUSHALL');
    const optimalBytes = (-Math.log(0.01) / Math.LN2 ** 2) / 8;
    const out = {
      items: N,
      rssPerItem: rss0 !== null && rss1 !== null ? (rss1 - rss0) / N : null,
      infoSizePerItem: Number.isFinite(size) ? size / N : null,
      optimalBytesPerItem: optimalBytes,
      falseNegativesInSample: misses,
      sampleChecked: sample,
      nonMembersChecked: answered,
      falsePositiveRate: answered ? positives / answered : null,
    };
    ctx.print(`\nBloom filter m: BF.RESERVE m 0.01 ${N}, ${fmtInt(N)} items added`);
    ctx.print(textTable(['measure', 'value'], [
      ['bytes/item from RSS delta', fmt(out.rssPerItem)],
      ['bytes/item from BF.INFO m SIZE', fmt(out.infoSizePerItem)],
      ['bytes/item, optimal bit array at 1%', fmt(optimalBytes)],
      [`false-positive rate (${fmtInt(answered)} non-members)`, out.falsePositiveRate === null ? 'n/a' : `${(out.falsePositiveRate * 100).toFixed(3)}%`],
      [`false negatives (${fmtInt(sample)} members sampled)`, String(misses)],
    ]));
    return out;
  } finally {
    c.close();
  }
}

export async function runBloom(ctx) {
  ctx.print(`\n== Probabilistic (reddish only): BF.ADD vs SET, BF.EXISTS vs GET, -P 16, -r ${RAND_RANGE}, median of ${ctx.opts.rounds} round(s)`);
  const support = await bloomMissing(ctx.reddish);
  if (typeof support === 'string') {
    ctx.print(`skipped: ${support}`);
    ctx.bars.skipSection('bloom', 'BF.ADD / reddish SET (-P 16)', '>=', 0.5, support);
    ctx.bars.skipSection('bloom', 'BF.EXISTS / reddish GET (-P 16)', '>=', 0.5, support);
    return { skipped: support };
  }
  const baseSupport = ctx.baseline ? await bloomMissing(ctx.baseline) : null;
  if (typeof baseSupport === 'string') ctx.note(`bloom A/B: the baseline is not measured, ${baseSupport}`);
  const tp = await throughput(ctx, support.hasMadd, baseSupport);
  let mem;
  try {
    mem = await memoryAndFp(ctx, support.hasMadd);
  } catch (e) {
    ctx.print(`bloom memory/false-positive check failed: ${e.message}`);
    ctx.note(`bloom memory/false-positive check failed: ${e.message}`);
    mem = { error: e.message };
  }
  return { throughput: tp, memory: mem };
}
