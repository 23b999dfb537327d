// Part of the `types` section: the hash-field expiration commands against
// reddish's own plain hash commands (redis-server 7.0 has no HSETEX or
// HGETEX to compare with). HSETEX ... EX sets a field and its TTL; HGETEX
// ... EX reads a field and moves its TTL; both are timed against HSET and
// HGET on the same keys, at -P 16. HGET reads hashes whose fields carry
// TTLs, so its number also includes the lazy-expiry check on every lookup.
import { compare } from './rb.mjs';
import { lacks, RAND_RANGE } from './throughput.mjs';
import { textTable, fmtInt, fmtRatio } from './report.mjs';

const pad12 = (i) => String(i).padStart(12, '0');
const P = 16;
/** The bar from the issue: each field-expiry command at least this share of its plain counterpart. */
const BAR = 0.8;

const TESTS = {
  HSET: ['HSET', 'hfe:__rand_int__', 'f', 'v'],
  HSETEX: ['HSETEX', 'hfe:__rand_int__', 'EX', '100000', 'FIELDS', '1', 'f', 'v'],
  HGET: ['HGET', 'hfe:__rand_int__', 'f'],
  HGETEX: ['HGETEX', 'hfe:__rand_int__', 'EX', '100000', 'FIELDS', '1', 'f'],
};
const PAIRS = [['HSETEX', 'HSET'], ['HGETEX', 'HGET']];

/** FLUSHALL; for the reads, every key the run can pick holds a field with a TTL. */
async function prep(server, id) {
  const c = await server.client();
  try {
    await c.call('FLUSHALL');
    if (id !== 'HGET' && id !== 'HGETEX') return;
    const r = await c.bulk(RAND_RANGE, (i) => ['HSETEX', `hfe:${pad12(i)}`, 'EX', '100000', 'FIELDS', '1', 'f', 'VXK'], { batch: 2000 });
    if (r.errors) throw new Error(`prefill: ${r.errors} error replies, first: ${r.firstError.message}`);
  } finally {
    c.close();
  }
}

export async function runHashFieldExpiry(ctx) {
  const { reddish, opts, log } = ctx;
  ctx.print(`\n== Hash-field expiration, reddish against its own HSET/HGET, -P ${P}, -c ${opts.clients}, -r ${RAND_RANGE}, median of ${opts.rounds} round(s)`);
  const why = await lacks(reddish, [['HSETEX', '__probe:h', 'EX', '10', 'FIELDS', '1', 'f', 'v'], ['HGETEX', '__probe:h', 'FIELDS', '1', 'f']]);
  const tests = Object.entries(TESTS).map(([id, cmd]) => ({
    id,
    spec: { cmd },
    probeN: 100000,
    minN: 10000,
    skip: why ? { reddish: why } : undefined,
    prep: (v) => prep(v.server, id),
  }));
  const res = await compare({
    tests, variants: [{ label: 'reddish', server: reddish }], P, c: opts.clients, r: RAND_RANGE, rounds: opts.rounds, quick: opts.quick, log,
  });
  const rows = {};
  const body = [];
  for (const [id, baseId] of PAIRS) {
    const a = res[baseId].reddish;
    const b = res[id].reddish;
    const ratio = a.median && b.median ? b.median / a.median : null;
    const bar = ctx.bars.check('types', `${id}/${baseId} -P ${P} (reddish)`, ratio, '>=', BAR, { skip: b.skipped, error: a.error || b.error });
    rows[id] = { ops: b.median ?? null, baseline: baseId, baselineOps: a.median ?? null, ratio };
    body.push([`${id} / ${baseId}`, fmtInt(b.median), fmtInt(a.median), fmtRatio(ratio), `>= ${BAR}x`, bar?.status ?? '', b.skipped || b.error || a.error || '']);
  }
  ctx.print(`\n${textTable(['test', 'ops/s', 'plain ops/s', 'ratio', 'bar', 'result', 'note'], body)}`);
  return rows;
}
