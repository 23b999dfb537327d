// Section `persistence`: RDB snapshots against redis-server, configured the
// same. Each server runs in a directory of its own (started here, since
// `dir` is a protected config), holds the same 1M keys, and is measured for:
// - SAVE: time of the synchronous save, and the file's size;
// - load at startup (the bar): the time from spawning the server until it
//   answers PING (not -LOADING) with the dump in its directory, minus the
//   same time with an empty directory, so the process start is not counted;
// - DEBUG RELOAD NOSAVE (empty the dataset, load the file back), reported:
//   in reddish it also pays for collecting the dataset it replaces;
// - BGSAVE: the longest PING round trip seen by a client pinging in a loop
//   while the background save runs (Redis's is the fork; reddish's the
//   slices it serializes between event-loop turns).
// The AOF rows (appendfsync always/everysec, BGREWRITEAOF stall) are added
// to this section by the aof work: push more rows onto `rows` / `ctx.bars`.
import { mkdtempSync, renameSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Server, freePorts, sleep } from './servers.mjs';
import { parseInfo } from './resp.mjs';
import { textTable, fmt, fmtInt, fmtRatio } from './report.mjs';
import { runAofPersistence } from './persistence-aof.mjs';

const KEYS = 1_000_000;
const QUICK_KEYS = 100_000;

/** Starts a copy of a server's command in a directory of its own, with DEBUG allowed. */
async function startInDir(name, template, dir, portRange, root) {
  const [port] = await freePorts(1, portRange);
  const cmd = `${template} --dir ${dir} --dbfilename dump.rdb --enable-debug-command yes`;
  return new Server(name, cmd, port, root).start();
}

async function load(c, keys) {
  const r = await c.bulk(keys, (i) => ['SET', `key:${i}`, `value:${i % 1000}:${'x'.repeat(i % 16)}`]);
  if (r.errors) throw new Error(`load: ${r.errors} errors, first: ${r.firstError.message}`);
  // Some keys with a TTL and a few collections, so the file has more than one record shape.
  const r2 = await c.bulk(keys / 10, (i) => ['PEXPIRE', `key:${i * 10}`, String(3_600_000 + i)]);
  if (r2.errors) throw new Error(`expire: ${r2.errors} errors`);
  const r3 = await c.bulk(1000, (i) => ['HSET', `hash:${i}`, 'a', String(i), 'b', 'text', 'c', String(i * 3)]);
  if (r3.errors) throw new Error(`hset: ${r3.errors} errors`);
}

/** Restarts the server and times it until it answers PING (Server.start polls every 100 ms; this polls faster). */
async function timedStart(server) {
  await server.stop();
  const t0 = performance.now();
  await server.start(120_000, 5);
  return performance.now() - t0;
}

async function timed(fn) {
  const t0 = performance.now();
  const value = await fn();
  return { ms: performance.now() - t0, value };
}

/** The longest PING round trip while a BGSAVE runs, and how long the save took. */
async function bgsaveStall(server) {
  const control = await server.client();
  const pinger = await server.client();
  try {
    const started = await control.call('BGSAVE');
    if (started !== 'Background saving started') throw new Error(`BGSAVE answered ${started?.message ?? started}`);
    const t0 = performance.now();
    let longest = 0;
    let pings = 0;
    let running = true;
    const loop = (async () => {
      while (running) {
        const p0 = performance.now();
        const reply = await pinger.call('PING');
        if (reply !== 'PONG') throw new Error(`PING answered ${reply?.message ?? reply}`);
        longest = Math.max(longest, performance.now() - p0);
        pings++;
      }
    })();
    for (;;) {
      const info = parseInfo(await control.call('INFO', 'persistence'));
      if (info.rdb_bgsave_in_progress === '0') {
        if (info.rdb_last_bgsave_status !== 'ok') throw new Error(`BGSAVE failed: ${info.rdb_last_bgsave_status}`);
        break;
      }
      await sleep(20);
    }
    running = false;
    await loop;
    return { longestPingMs: longest, pings, saveMs: performance.now() - t0 };
  } finally {
    control.close();
    pinger.close();
  }
}

/** The section: the RDB rows here, then the AOF rows (persistence-aof.mjs). */
export async function runPersistence(ctx) {
  return { rdb: await runRdbPersistence(ctx), aof: await runAofPersistence(ctx) };
}

async function runRdbPersistence(ctx) {
  const { opts, print, bars } = ctx;
  const keys = opts.quick ? QUICK_KEYS : KEYS;
  const root = ctx.reddish.cwd;
  print(`\n== persistence: RDB snapshots of ${fmtInt(keys)} keys (+ ${fmtInt(keys / 10)} TTLs, 1000 hashes), ${opts.rounds} round(s)`);
  const results = {};
  for (const [name, template] of [['redis', opts.redisCmd], ['reddish', opts.reddishCmd]]) {
    const dir = mkdtempSync(path.join(os.tmpdir(), `bench-rdb-${name}-`));
    const server = await startInDir(name, template, dir, opts.portRange, root);
    const c = await server.client();
    try {
      await load(c, keys);
      const saves = [];
      const loads = [];
      const stalls = [];
      let size = 0;
      for (let round = 0; round < opts.rounds; round++) {
        const save = await timed(() => c.call('SAVE'));
        if (save.value !== 'OK') throw new Error(`${name} SAVE answered ${save.value?.message ?? save.value}`);
        saves.push(save.ms);
        size = statSync(path.join(dir, 'dump.rdb')).size;
        const reload = await timed(() => c.call('DEBUG', 'RELOAD', 'NOSAVE'));
        if (reload.value !== 'OK') throw new Error(`${name} DEBUG RELOAD answered ${reload.value?.message ?? reload.value}`);
        loads.push(reload.ms);
        stalls.push(await bgsaveStall(server));
      }
      const dbsize = await c.call('DBSIZE');
      c.close();
      // Startup load: with the dump, then without it.
      const withDump = [];
      const empty = [];
      for (let round = 0; round < opts.rounds; round++) withDump.push(await timedStart(server));
      const check = await server.client();
      const loadedKeys = await check.call('DBSIZE');
      check.close();
      if (loadedKeys !== dbsize) throw new Error(`${name} loaded ${loadedKeys} keys at startup, had ${dbsize}`);
      renameSync(path.join(dir, 'dump.rdb'), path.join(dir, 'saved.rdb'));
      for (let round = 0; round < opts.rounds; round++) empty.push(await timedStart(server));
      const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
      results[name] = {
        keys: dbsize,
        saveMs: median(saves),
        startupLoadMs: median(withDump) - median(empty),
        reloadMs: median(loads),
        fileBytes: size,
        bgsaveLongestPingMs: median(stalls.map((s) => s.longestPingMs)),
        bgsaveMs: median(stalls.map((s) => s.saveMs)),
        samples: { saves, loads, stalls, withDump, empty },
      };
    } finally {
      c.close();
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  }
  const redis = results.redis;
  const ours = results.reddish;
  const rows = [
    ['SAVE (ms)', fmt(redis.saveMs, 0), fmt(ours.saveMs, 0), fmtRatio(ours.saveMs / redis.saveMs)],
    ['load at startup (ms)', fmt(redis.startupLoadMs, 0), fmt(ours.startupLoadMs, 0), fmtRatio(ours.startupLoadMs / redis.startupLoadMs)],
    ['DEBUG RELOAD NOSAVE (ms)', fmt(redis.reloadMs, 0), fmt(ours.reloadMs, 0), fmtRatio(ours.reloadMs / redis.reloadMs)],
    ['file size (bytes)', fmtInt(redis.fileBytes), fmtInt(ours.fileBytes), fmtRatio(ours.fileBytes / redis.fileBytes)],
    ['BGSAVE duration (ms)', fmt(redis.bgsaveMs, 0), fmt(ours.bgsaveMs, 0), fmtRatio(ours.bgsaveMs / redis.bgsaveMs)],
    ['longest PING during BGSAVE (ms)', fmt(redis.bgsaveLongestPingMs, 1), fmt(ours.bgsaveLongestPingMs, 1), ''],
  ];
  print(textTable(['measure (median)', 'redis', 'reddish', 'reddish/redis'], rows));
  const quick = opts.quick ? ' (quick: 100k keys)' : '';
  bars.check('persistence', `RDB load time at startup reddish/redis${quick}`, ours.startupLoadMs / redis.startupLoadMs, '<=', 2);
  bars.check('persistence', `RDB file size reddish/redis${quick}`, ours.fileBytes / redis.fileBytes, '<=', 1.05);
  bars.check('persistence', `longest PING stall during BGSAVE of ${fmtInt(keys)} keys (reddish)`, ours.bgsaveLongestPingMs, '<=', 50, { unit: ' ms' });
  return { keys, redis, reddish: ours, rows };
}
