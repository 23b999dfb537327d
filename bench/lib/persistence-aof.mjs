// Section `persistence` (issue 12), the AOF rows: SET -P 16 with
// appendonly yes under appendfsync always and everysec, reddish against a
// redis-server configured the same (bar >= 0.8x each), and the longest
// PING stall seen while BGREWRITEAOF rewrites a loaded dataset.
//
// Each policy gets its own pair of servers, started on fresh temporary
// directories (so neither writes into the repository, and `dir`, a
// protected config, need not be changed live), with automatic rewrites off.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { compare } from './rb.mjs';
import { freePorts, Server, sleep } from './servers.mjs';
import { fmt, fmtInt, fmtRatio, textTable } from './report.mjs';
import { RespClient, parseInfo } from './resp.mjs';
import { RAND_RANGE, spread } from './throughput.mjs';

const AOF_ARGS = (policy, dir) => `--dir ${dir} --appendonly yes --appendfsync ${policy} --auto-aof-rewrite-percentage 0 --aof-use-rdb-preamble yes`;

async function withAofServers(ctx, policy, body) {
  const dirs = [0, 1].map(() => fs.mkdtempSync(path.join(os.tmpdir(), `reddish-bench-aof-${policy}-`)));
  const [p1, p2] = await freePorts(2, ctx.opts.portRange);
  const redis = new Server('redis', `${ctx.opts.redisCmd.replace('--appendonly no', '')} ${AOF_ARGS(policy, dirs[0])}`, p1, ctx.redis.cwd);
  const reddish = new Server('reddish', `${ctx.opts.reddishCmd} ${AOF_ARGS(policy, dirs[1])}`, p2, ctx.reddish.cwd);
  try {
    await redis.start();
    await reddish.start();
    return await body(redis, reddish);
  } finally {
    await redis.stop();
    await reddish.stop();
    for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
  }
}

async function setThroughput(ctx, policy) {
  return withAofServers(ctx, policy, async (redis, reddish) => {
    const P = 16;
    const res = await compare({
      tests: [{ id: 'SET', spec: { t: 'set' }, probeN: ctx.opts.quick ? 20000 : 50000, minN: 10000 }],
      variants: [{ label: 'redis', server: redis }, { label: 'reddish', server: reddish }],
      P, c: ctx.opts.clients, r: RAND_RANGE, rounds: ctx.opts.rounds, quick: ctx.opts.quick, log: ctx.log,
    });
    const a = res.SET.redis;
    const b = res.SET.reddish;
    const ratio = a.median && b.median ? b.median / a.median : null;
    return { redis: a.median ?? null, reddish: b.median ?? null, ratio, spread: spread(a.samples ?? [], b.samples ?? []), error: a.error || b.error || null };
  });
}

/**
 * Loads `keys` small strings, then runs BGREWRITEAOF while one client
 * PINGs in a loop; returns the longest gap between PING replies (ms) and
 * the rewrite's duration.
 */
async function rewriteStall(server, keys) {
  const c = await RespClient.connect(server.port);
  const ping = await RespClient.connect(server.port);
  try {
    await c.bulk(keys, (i) => ['SET', `key:${i}`, `value:${i}`], { batch: 1000, window: 4 });
    // Let the fsyncs of the load settle.
    await sleep(1500);
    let running = true;
    let longest = 0;
    const loop = (async () => {
      let last = performance.now();
      while (running) {
        await ping.call('PING');
        const now = performance.now();
        longest = Math.max(longest, now - last);
        last = now;
      }
    })();
    await sleep(200);
    const started = performance.now();
    await c.call('BGREWRITEAOF');
    for (;;) {
      const info = parseInfo(await c.call('INFO', 'persistence'));
      if (info.aof_rewrite_in_progress === '0' && info.aof_rewrite_scheduled === '0') break;
      await sleep(20);
    }
    const seconds = (performance.now() - started) / 1000;
    await sleep(200);
    running = false;
    await loop;
    return { longestMs: longest, seconds };
  } finally {
    c.close();
    ping.close();
  }
}

export async function runAofPersistence(ctx) {
  const out = {};
  const rows = [];
  for (const policy of ['always', 'everysec']) {
    ctx.print(`\n== Persistence: SET -P 16 with appendonly yes, appendfsync ${policy}, median of ${ctx.opts.rounds} round(s)`);
    const r = await setThroughput(ctx, policy);
    out[`SET_P16_${policy}`] = r;
    const bar = ctx.bars.check('persistence', `SET -P 16 appendfsync ${policy} reddish/redis`, r.ratio, '>=', 0.8, { error: r.error });
    rows.push([`SET -P 16 (${policy})`, fmtInt(r.redis), fmtInt(r.reddish), fmtRatio(r.ratio), Number.isFinite(r.spread) ? `${Math.round(r.spread * 100)}%` : 'n/a', '>= 0.8x', bar.status]);
  }
  ctx.print(`\n${textTable(['test', 'redis ops/s', 'reddish ops/s', 'ratio', 'spread', 'bar', 'result'], rows)}`);

  const keys = ctx.opts.quick ? 100_000 : 1_000_000;
  ctx.print(`\n== Persistence: longest PING stall during BGREWRITEAOF of ${fmtInt(keys)} keys (appendfsync everysec)`);
  const stalls = await withAofServers(ctx, 'everysec', async (redis, reddish) => ({
    redis: await rewriteStall(redis, keys),
    reddish: await rewriteStall(reddish, keys),
  }));
  out.bgrewriteaofStall = { keys, ...stalls };
  // The stall bar (50 ms, set for BGSAVE) applied to the rewrite as well.
  ctx.bars.check('persistence', `longest PING stall during BGREWRITEAOF of ${fmtInt(keys)} keys`, stalls.reddish.longestMs, '<=', 50, { unit: ' ms' });
  ctx.print(textTable(['server', 'longest PING stall', 'rewrite time'], [
    ['redis', `${fmt(stalls.redis.longestMs, 1)} ms`, `${fmt(stalls.redis.seconds, 2)} s`],
    ['reddish', `${fmt(stalls.reddish.longestMs, 1)} ms`, `${fmt(stalls.reddish.seconds, 2)} s`],
  ]));
  return out;
}
