// Sections 1 and 2: redis-benchmark throughput, redis vs reddish, plus in
// A/B mode (ctx.baseline set) an earlier reddish build measured alongside.
import { compare, median } from './rb.mjs';
import { isUnknownCommand } from './resp.mjs';
import { textTable, fmtInt, fmtRatio, fmtPct, abChange } from './report.mjs';
import { runHashFieldExpiry } from './hash-field-expiry.mjs';

export const RAND_RANGE = 100000;
const pad12 = (i) => String(i).padStart(12, '0');

// One representative call per test, used only to tell "server lacks this
// command" (skip) from "server has it" before spending time benchmarking.
const PROBES = {
  PING_MBULK: [['PING']],
  SET: [['SET', '__probe', 'x']],
  GET: [['GET', '__probe']],
  INCR: [['INCR', '__probe:ctr']],
  MSET: [['MSET', '__probe', 'x', '__probe2', 'y']],
  LPUSH: [['LPUSH', '__probe:l', 'x']],
  RPUSH: [['RPUSH', '__probe:l', 'x']],
  LPOP: [['LPOP', '__probe:l']],
  RPOP: [['RPOP', '__probe:l']],
  SADD: [['SADD', '__probe:s', 'x']],
  HSET: [['HSET', '__probe:h', 'f', 'v']],
  SPOP: [['SADD', '__probe:s', 'x'], ['SPOP', '__probe:s']],
  ZADD: [['ZADD', '__probe:z', '1', 'm']],
  ZPOPMIN: [['ZADD', '__probe:z', '1', 'm'], ['ZPOPMIN', '__probe:z']],
  LRANGE_100: [['LPUSH', '__probe:l', 'x'], ['LRANGE', '__probe:l', '0', '99']],
  LRANGE_600: [['LPUSH', '__probe:l', 'x'], ['LRANGE', '__probe:l', '0', '599']],
};

/**
 * Send each probe command list; returns null when all are known, or a
 * "lacks X" reason for the first unknown one. Probe keys are deleted after.
 */
export async function lacks(server, cmds) {
  const c = await server.client();
  try {
    for (const cmd of cmds) {
      const r = await c.call(...cmd);
      if (isUnknownCommand(r)) return `${server.name} lacks ${cmd[0]} (unknown command)`;
    }
    await c.call('DEL', '__probe', '__probe2', '__probe:ctr', '__probe:l', '__probe:s', '__probe:h', '__probe:z');
    return null;
  } finally {
    c.close();
  }
}

async function mustBulk(c, total, gen, opts) {
  const r = await c.bulk(total, gen, opts);
  if (r.errors) throw new Error(`prefill: ${r.errors} error replies, first: ${r.firstError.message}`);
}

/** Fill key:000000000000..key:000000099999 so GET-style tests hit real keys. */
export async function prefillKeys(c) {
  await mustBulk(c, RAND_RANGE, (i) => ['SET', `key:${pad12(i)}`, 'VXK'], { batch: 2000 });
}

/**
 * FLUSHALL, then put the state a test needs in place. Pop tests get at least
 * as many elements as the run will pop (redis-benchmark may overshoot by up
 * to clients*pipeline), so every pop really removes something; otherwise a
 * run would mostly time "pop from empty key", which is not the data-type
 * work this section is about. This mirrors redis-benchmark's default test
 * order, where LPUSH/RPUSH run before LPOP/RPOP with the same -n.
 */
export async function prepState(server, testId, n, extra) {
  const c = await server.client();
  try {
    const r = await c.call('FLUSHALL');
    if (r instanceof Error) throw new Error(`FLUSHALL failed: ${r.message}`);
    const count = n + extra;
    const per = 500; // members per multi-member command
    const cmds = Math.ceil(count / per);
    const members = (k, f) => {
      const out = [];
      for (let i = k * per; i < Math.min(count, (k + 1) * per); i++) f(out, i);
      return out;
    };
    switch (testId) {
      case 'GET':
        await prefillKeys(c);
        break;
      case 'LPOP':
      case 'RPOP':
        await mustBulk(c, cmds, (k) => ['RPUSH', 'mylist', ...members(k, (o) => o.push('VXK'))]);
        break;
      case 'SPOP':
        await mustBulk(c, cmds, (k) => ['SADD', 'myset', ...members(k, (o, i) => o.push(`element:${pad12(i)}`))]);
        break;
      case 'ZPOPMIN':
        await mustBulk(c, cmds, (k) => ['ZADD', 'myzset', ...members(k, (o, i) => o.push(String(i), `element:${pad12(i)}`))]);
        break;
      default:
        break;
    }
  } finally {
    c.close();
  }
}

// Probe size, which is also the whole run in --quick mode. LRANGE replies are
// 100/600 elements each, so far fewer requests fill the same time.
function probeN(id, P) {
  if (id === 'LRANGE_600') return P === 1 ? 4000 : 10000;
  if (id === 'LRANGE_100') return P === 1 ? 10000 : 30000;
  return P === 1 ? 20000 : 100000;
}

async function runSet(ctx, ids, P) {
  const { redis, reddish, baseline, opts, log } = ctx;
  const tests = [];
  for (const id of ids) {
    const why = await lacks(reddish, PROBES[id]);
    // An older build may lack a command the candidate has: then only the
    // baseline sits that test out, and the candidate still meets its bar.
    const whyBase = baseline && !why ? await lacks(baseline, PROBES[id]) : null;
    const skip = why ? { redis: why, reddish: why, baseline: why } : whyBase ? { baseline: whyBase } : undefined;
    tests.push({
      id,
      spec: { t: id.toLowerCase() },
      probeN: probeN(id, P),
      minN: 10000,
      skip,
      prep: (v, n) => prepState(v.server, id, n, opts.clients * P + 1000),
    });
  }
  const variants = [{ label: 'redis', server: redis }, { label: 'reddish', server: reddish }];
  if (baseline) variants.splice(1, 0, { label: 'baseline', server: baseline });
  const res = await compare({
    tests, variants, P, c: opts.clients, r: RAND_RANGE, rounds: opts.rounds, quick: opts.quick, log,
  });
  const out = {};
  for (const id of ids) {
    const a = res[id].redis;
    const b = res[id].reddish;
    const ratio = a.median && b.median ? b.median / a.median : null;
    out[id] = {
      redis: a.median ?? null,
      reddish: b.median ?? null,
      ratio,
      samples: { redis: a.samples ?? [], reddish: b.samples ?? [] },
      n: { redis: a.n ?? null, reddish: b.n ?? null },
      skipped: b.skipped ?? null,
      error: a.error || b.error || null,
      cpuPerOp: { redis: a.cpuPerOp ?? null, reddish: b.cpuPerOp ?? null },
    };
    if (baseline) {
      const c = res[id].baseline;
      const baselineRatio = a.median && c.median ? c.median / a.median : null;
      Object.assign(out[id], {
        baseline: c.median ?? null,
        baselineRatio,
        ...abChange(ratio, baselineRatio),
        baselineSkipped: c.skipped ?? null,
        baselineError: c.error ?? null,
      });
      out[id].samples.baseline = c.samples ?? [];
      out[id].cpuPerOp.baseline = c.cpuPerOp ?? null;
      const cb = out[id].cpuPerOp.baseline;
      const cc = out[id].cpuPerOp.reddish;
      // More CPU per op is worse: the change is how much less work per CPU second the candidate does.
      out[id].cpuChange = cb && cc ? cb / cc - 1 : null;
      Object.assign(out[id], pairedChanges(c, b));
      out[id].n.baseline = c.n ?? null;
    }
    const sp = spread(...Object.values(out[id].samples));
    out[id].spread = Number.isFinite(sp) ? sp : null;
  }
  return out;
}

/**
 * The change measured round by round: the median over rounds of
 * candidate/baseline ops/s (and of baseline/candidate CPU per op), each
 * pair run back to back in the same round. The host's load moves in
 * phases of seconds to minutes; a ratio of two medians takes each build's
 * median from different phases, a paired ratio does not. Null unless both
 * have a sample in every round.
 */
export function pairedChanges(base, cand) {
  const pair = (bs, cs, f) => (bs?.length >= 1 && bs.length === cs?.length ? median(bs.map((x, i) => f(x, cs[i]))) - 1 : null);
  return {
    pairedChange: base.error || cand.error ? null : pair(base.samples, cand.samples, (b, c) => c / b),
    pairedCpuChange: base.error || cand.error ? null : pair(base.cpuSamples, cand.cpuSamples, (b, c) => b / c),
  };
}

/**
 * Largest (max-min)/median over both servers' samples: how much the rounds
 * disagreed. On a shared 2-core machine this is the noise floor to read a
 * ratio against (n/a with a single round).
 */
export function spread(...sampleLists) {
  let worst = NaN;
  for (const xs of sampleLists) {
    if (!xs || xs.length < 2) continue;
    const v = (Math.max(...xs) - Math.min(...xs)) / median(xs);
    worst = Number.isFinite(worst) ? Math.max(worst, v) : v;
  }
  return worst;
}

const fmtSpread = (sp) => (Number.isFinite(sp) ? `${Math.round(sp * 100)}%` : 'n/a');

function printTable(ctx, title, rows, barFor) {
  if (ctx.baseline) return printAbTable(ctx, title, rows, barFor);
  const body = Object.entries(rows).map(([id, r]) => {
    const bar = barFor(id);
    return [id, fmtInt(r.redis), fmtInt(r.reddish), fmtRatio(r.ratio), fmtSpread(r.spread),
      bar ? `>= ${bar.threshold}x` : '', bar?.status ?? '', r.skipped || r.error || ''];
  });
  ctx.print(`\n${title}\n${textTable(['test', 'redis ops/s', 'reddish ops/s', 'ratio', 'spread', 'bar', 'result', 'note'], body)}`);
}

const abNote = (r) => r.skipped || r.error || (r.baselineSkipped && `baseline: ${r.baselineSkipped}`)
  || (r.baselineError && `baseline: ${r.baselineError}`) || '';

/**
 * A/B table: candidate (this build, "reddish") and baseline (the earlier
 * build) against the same redis, plus the change candidate/baseline.
 */
function printAbTable(ctx, title, rows, barFor) {
  const body = Object.entries(rows).map(([id, r]) => {
    const bar = barFor(id);
    const cpu = (x) => (x ? `${x.toFixed(2)} µs` : 'n/a');
    return [id, fmtInt(r.redis), fmtInt(r.baseline), fmtInt(r.reddish), fmtRatio(r.baselineRatio), fmtRatio(r.ratio),
      fmtPct(r.change), fmtSpread(r.spread), r.regression ? 'REGRESSION?' : '',
      cpu(r.cpuPerOp?.baseline), cpu(r.cpuPerOp?.reddish), fmtPct(r.cpuChange), fmtPct(r.pairedChange), fmtPct(r.pairedCpuChange),
      bar ? `>= ${bar.threshold}x` : '', bar?.status ?? '', abNote(r)];
  });
  ctx.print(`\n${title} (A/B: baseline = earlier build, candidate = this build; CPU = server CPU per op, median)\n${textTable(
    ['test', 'redis ops/s', 'baseline ops/s', 'candidate ops/s', 'base/redis', 'cand/redis', 'cand/base', 'spread', 'a/b',
      'base CPU/op', 'cand CPU/op', 'ops per CPU s', 'paired', 'paired CPU', 'bar', 'result', 'note'], body)}`);
}

/** A/B mode: hand every row to ctx.abRecord for the summary and the JSON. */
function recordAb(ctx, section, rows, P) {
  if (!ctx.baseline) return;
  for (const [id, r] of Object.entries(rows)) {
    ctx.abRecord({
      section, test: `${id} -P ${P}`, ratioName: 'reddish/redis', redis: r.redis, baseline: r.baseline, candidate: r.reddish,
      baselineRatio: r.baselineRatio, candidateRatio: r.ratio, change: r.change, spread: r.spread,
      cpuPerOp: r.cpuPerOp, cpuChange: r.cpuChange, pairedChange: r.pairedChange, pairedCpuChange: r.pairedCpuChange,
      regression: r.regression, note: abNote(r) || null,
    });
  }
}

function addBar(ctx, section, name, r, threshold) {
  return ctx.bars.check(section, name, r.ratio, '>=', threshold, { skip: r.skipped, error: r.error });
}

export async function runCore(ctx) {
  const ids = ['PING_MBULK', 'SET', 'GET', 'INCR', 'MSET'];
  const data = {};
  for (const P of [1, 16]) {
    ctx.print(`\n== Throughput (core), -P ${P}, -c ${ctx.opts.clients}, -r ${RAND_RANGE}, median of ${ctx.opts.rounds} round(s)`);
    const rows = await runSet(ctx, ids, P);
    data[`P${P}`] = rows;
    const bars = {};
    for (const id of ids) {
      if (P === 1) bars[id] = addBar(ctx, 'core', `${id} -P 1 reddish/redis`, rows[id], 0.8);
      else if (id === 'SET' || id === 'GET') bars[id] = addBar(ctx, 'core', `${id} -P 16 reddish/redis`, rows[id], 0.6);
    }
    printTable(ctx, `Throughput (core) -P ${P}`, rows, (id) => bars[id]);
    recordAb(ctx, 'core', rows, P);
  }
  return data;
}

export async function runTypes(ctx) {
  const ids = ['LPUSH', 'RPUSH', 'LPOP', 'RPOP', 'SADD', 'HSET', 'SPOP', 'ZADD', 'ZPOPMIN', 'LRANGE_100', 'LRANGE_600'];
  ctx.print(`\n== Throughput (data types), -P 16, -c ${ctx.opts.clients}, -r ${RAND_RANGE}, median of ${ctx.opts.rounds} round(s)`);
  const rows = await runSet(ctx, ids, 16);
  const bars = {};
  for (const id of ids) bars[id] = addBar(ctx, 'types', `${id} -P 16 reddish/redis`, rows[id], 0.5);
  printTable(ctx, 'Throughput (data types) -P 16', rows, (id) => bars[id]);
  recordAb(ctx, 'types', rows, 16);
  const hashFieldExpiry = await runHashFieldExpiry(ctx);
  return { P16: rows, hashFieldExpiry };
}
