// ACL section: SET and GET -P 16 run by a user limited to `~key:* +@read
// +@write` (redis-benchmark --user/-a), on reddish and on redis-server set
// up the same way. Every call goes through the ACL's command bit and key
// pattern checks, the path the default user skips. Bar: >= 0.7x.
import { compare } from './rb.mjs';
import { isUnknownCommand } from './resp.mjs';
import { prefillKeys, spread, RAND_RANGE } from './throughput.mjs';
import { textTable, fmtInt, fmtRatio } from './report.mjs';

const USER = 'aclbench';
const PASSWORD = 'aclbench-pw';
const RULES = ['reset', 'on', `>${PASSWORD}`, '~key:*', '+@read', '+@write'];
const P = 16;
const BAR = 0.7;

async function setUp(server) {
  const c = await server.client();
  try {
    const reply = await c.call('ACL', 'SETUSER', USER, ...RULES);
    if (isUnknownCommand(reply) || reply instanceof Error) return `${server.name}: ACL SETUSER failed: ${reply.message ?? reply}`;
    await c.call('FLUSHALL');
    await prefillKeys(c);
    return null;
  } finally {
    c.close();
  }
}

async function tearDown(server) {
  const c = await server.client();
  try {
    await c.call('ACL', 'DELUSER', USER);
    await c.call('FLUSHALL');
  } finally {
    c.close();
  }
}

export async function runAcl(ctx) {
  const { redis, reddish, opts, log } = ctx;
  ctx.print(`\n== ACL: SET/GET -P ${P} as a user limited to ${RULES.slice(3).join(' ')}, -c ${opts.clients}, -r ${RAND_RANGE}, median of ${opts.rounds} round(s)`);
  const why = (await setUp(redis)) ?? (await setUp(reddish));
  const ids = ['SET', 'GET'];
  const auth = ['--user', USER, '-a', PASSWORD];
  const tests = ids.map((id) => ({
    id,
    spec: { cmd: [...auth, '-t', id.toLowerCase()] },
    probeN: 100000,
    minN: 10000,
    skip: why ? { redis: why, reddish: why } : undefined,
  }));
  const res = await compare({
    tests, variants: [{ label: 'redis', server: redis }, { label: 'reddish', server: reddish }],
    P, c: opts.clients, r: RAND_RANGE, rounds: opts.rounds, quick: opts.quick, log,
  });
  if (!why) {
    await tearDown(redis);
    await tearDown(reddish);
  }
  const out = {};
  const body = [];
  for (const id of ids) {
    const a = res[id].redis;
    const b = res[id].reddish;
    const ratio = a.median && b.median ? b.median / a.median : null;
    const sp = spread(a.samples, b.samples);
    out[id] = { redis: a.median ?? null, reddish: b.median ?? null, ratio, spread: Number.isFinite(sp) ? sp : null,
      samples: { redis: a.samples ?? [], reddish: b.samples ?? [] }, error: a.error || b.error || null, skipped: b.skipped ?? null };
    const bar = ctx.bars.check('acl', `${id} -P ${P} as an ACL user reddish/redis`, ratio, '>=', BAR, { skip: out[id].skipped, error: out[id].error });
    body.push([id, fmtInt(out[id].redis), fmtInt(out[id].reddish), fmtRatio(ratio),
      Number.isFinite(sp) ? `${Math.round(sp * 100)}%` : 'n/a', `>= ${BAR}x`, bar?.status ?? '', out[id].skipped || out[id].error || '']);
  }
  ctx.print(`\nACL user throughput -P ${P}\n${textTable(['test', 'redis ops/s', 'reddish ops/s', 'ratio', 'spread', 'bar', 'result', 'note'], body)}`);
  return out;
}
