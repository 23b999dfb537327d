// GEO throughput, part of the `types` section: GEOADD and GEOSEARCH
// BYRADIUS over 100k points, redis vs reddish at -P 16 (bar >= 0.6x).
//
// redis-benchmark fills each __rand_int__ with a 12-digit zero-padded number
// below -r (100000), so "__rand_int__e-3" is a longitude in [0, 100) and
// "__rand_int__e-4" a latitude in [0, 10): strtod reads the padded digits
// with their exponent. The points cover about 12 million km² (a strip of
// the tropics from Africa to the Pacific), about one point per 120 km².
import { compare } from './rb.mjs';
import { isUnknownCommand, ReplyError } from './resp.mjs';
import { RAND_RANGE, spread } from './throughput.mjs';
import { textTable, fmtInt, fmtRatio } from './report.mjs';

const pad12 = (i) => String(i).padStart(12, '0');
const GEO_KEY = 'geo:points';
const BAR = 0.6;

/**
 * GEOADD of a random point under a random one of 100k member names, and
 * GEOSEARCH around a random one of the 100k members within 20 km, nearest
 * first with distances (a "what is near this place" query; about ten
 * matches among the couple of hundred candidates of its nine cells).
 */
const TESTS = {
  GEOADD: ['GEOADD', GEO_KEY, '__rand_int__e-3', '__rand_int__e-4', 'm:__rand_int__'],
  GEOSEARCH: ['GEOSEARCH', GEO_KEY, 'FROMMEMBER', 'm:__rand_int__', 'BYRADIUS', '20', 'km', 'ASC', 'WITHDIST'],
};

/** A deterministic pseudo-random stream (mulberry32), so both servers get the same 100k points. */
function points(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) % RAND_RANGE;
  };
}

/** FLUSHALL; for GEOSEARCH, the 100k members m:000000000000.. placed as GEOADD's random points would be. */
async function prep(server, id) {
  const c = await server.client();
  try {
    const r = await c.call('FLUSHALL');
    if (r instanceof ReplyError) throw new Error(`FLUSHALL failed: ${r.message}`);
    if (id !== 'GEOSEARCH') return;
    const next = points(0x6e0);
    const per = 500;
    const load = await c.bulk(Math.ceil(RAND_RANGE / per), (k) => {
      const args = ['GEOADD', GEO_KEY];
      for (let i = k * per; i < Math.min(RAND_RANGE, (k + 1) * per); i++) args.push(`${pad12(next())}e-3`, `${pad12(next())}e-4`, `m:${pad12(i)}`);
      return args;
    }, { batch: 20, window: 2 });
    if (load.errors) throw new Error(`GEOADD load: ${load.errors} error replies, first: ${load.firstError.message}`);
    const card = await c.call('ZCARD', GEO_KEY);
    if (card !== RAND_RANGE) throw new Error(`GEOADD load: ZCARD ${card}, expected ${RAND_RANGE}`);
  } finally {
    c.close();
  }
}

async function lacksGeo(server) {
  const c = await server.client();
  try {
    const r = await c.call('GEOADD', '__probe:geo', '1', '1', 'm');
    await c.call('DEL', '__probe:geo');
    return isUnknownCommand(r) ? `${server.name} lacks GEOADD (unknown command)` : null;
  } finally {
    c.close();
  }
}

/** Runs the GEO tests at -P 16 against redis and reddish, prints its table and checks the bar. */
export async function runGeo(ctx) {
  const { redis, reddish, opts, log } = ctx;
  const P = 16;
  ctx.print(`\n== GEO throughput, -P ${P}, -c ${opts.clients}, -r ${RAND_RANGE} (100k points), median of ${opts.rounds} round(s)`);
  const why = await lacksGeo(reddish);
  const tests = Object.entries(TESTS).map(([id, cmd]) => ({
    id,
    spec: { cmd },
    probeN: id === 'GEOSEARCH' ? 20000 : 100000,
    minN: 10000,
    skip: why ? { redis: why, reddish: why } : undefined,
    prep: (v) => prep(v.server, id),
  }));
  const variants = [{ label: 'redis', server: redis }, { label: 'reddish', server: reddish }];
  const res = await compare({ tests, variants, P, c: opts.clients, r: RAND_RANGE, rounds: opts.rounds, quick: opts.quick, log });
  const rows = {};
  const body = [];
  for (const id of Object.keys(TESTS)) {
    const a = res[id].redis;
    const b = res[id].reddish;
    const ratio = a.median && b.median ? b.median / a.median : null;
    const row = {
      redis: a.median ?? null, reddish: b.median ?? null, ratio,
      samples: { redis: a.samples ?? [], reddish: b.samples ?? [] },
      cpuPerOp: { redis: a.cpuPerOp ?? null, reddish: b.cpuPerOp ?? null },
      skipped: b.skipped ?? null, error: a.error || b.error || null,
    };
    const sp = spread(row.samples.redis, row.samples.reddish);
    row.spread = Number.isFinite(sp) ? sp : null;
    rows[id] = row;
    const bar = ctx.bars.check('types', `${id} (GEO, 100k points) -P ${P} reddish/redis`, ratio, '>=', BAR, { skip: row.skipped, error: row.error });
    // Server CPU per op is far less disturbed than ops/s by other work on a
    // shared machine: shown beside the ratio, as a second reading of it.
    const cpu = (x) => (x ? `${x.toFixed(1)} µs` : 'n/a');
    const cpuRatio = row.cpuPerOp.redis && row.cpuPerOp.reddish ? row.cpuPerOp.redis / row.cpuPerOp.reddish : null;
    body.push([id, fmtInt(row.redis), fmtInt(row.reddish), fmtRatio(ratio), row.spread === null ? 'n/a' : `${Math.round(row.spread * 100)}%`,
      cpu(row.cpuPerOp.redis), cpu(row.cpuPerOp.reddish), fmtRatio(cpuRatio), `>= ${BAR}x`, bar?.status ?? '', row.skipped || row.error || '']);
  }
  ctx.print(`\nGEO throughput -P ${P}\n${textTable(['test', 'redis ops/s', 'reddish ops/s', 'ratio', 'spread', 'redis CPU/op', 'reddish CPU/op', 'CPU ratio', 'bar', 'result', 'note'], body)}`);
  return { P16: rows };
}
