#!/usr/bin/env node
// reddish benchmark suite: compares reddish with a real redis-server started
// side by side, prints tables plus a Markdown summary of every bar, and
// writes bench/results/latest.json. See bench/README.md.
import { parseArgs } from 'node:util';
import { mkdirSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import os from 'node:os';
import { Server, freePorts, killAllChildren } from './lib/servers.mjs';
import { parseInfo } from './lib/resp.mjs';
import { Bars, mdTable, fmtInt, fmtRatio, fmtPct, AB_LIMIT } from './lib/report.mjs';
import { runCore, runTypes } from './lib/throughput.mjs';
import { runBloom } from './lib/bloom.mjs';
import { runGeo } from './lib/geo.mjs';
import { runMemory } from './lib/memory.mjs';
import { runMaxmemory } from './lib/maxmemory.mjs';
import { runScaling } from './lib/scaling.mjs';
import { runEmbed } from './lib/embed.mjs';
import { runPubsub } from './lib/pubsub.mjs';
import { runScripting } from './lib/scripting.mjs';
import { runStreams } from './lib/streams.mjs';
import { runAcl } from './lib/acl.mjs';
import { runPersistence } from './lib/persistence.mjs';
import { runTls } from './lib/tls.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const SECTIONS = ['core', 'types', 'bloom', 'memory', 'maxmemory', 'scaling', 'pubsub', 'scripting', 'streams', 'acl', 'persistence', 'tls', 'embed'];
// Sections that also measure the --baseline-cmd server in A/B mode.
const AB_SECTIONS = ['core', 'types', 'bloom'];
const USAGE = `usage: node bench/run.mjs [options]   (npm run bench builds first)
  --quick               1 round, small n, 100k items instead of 1M: trial runs only,
                        results are labelled as not meeting the spec
  --only LIST           comma list of ${SECTIONS.join('|')} (default: all)
  --rounds N            rounds per throughput test (default 3; 1 with --quick)
  --clients N           redis-benchmark -c (default 50)
  --reddish-cmd CMD     command template, {port} is replaced
                        (default: node dist/cli.js --port {port} --loglevel warning --save '')
  --redis-cmd CMD       (default: redis-server --port {port} --save '' --appendonly no)
  --baseline-cmd CMD    A/B mode: a third server, an earlier reddish build, measured
                        with the other two in ${AB_SECTIONS.join(', ')}; tests whose ratio is
                        more than ${AB_LIMIT * 100}% below the baseline's are flagged REGRESSION?
                        (bench/ab.mjs builds a git rev and sets this for you)
  --baseline-label TXT  what the baseline is, for the report (default: the command)
  --module PATH         module exporting startServer (default: dist/index.js)
  --port-range A-B      pick server ports from this range (default: OS-assigned)
  --out FILE            JSON output (default: bench/results/latest.json)`;

function parseOptions() {
  const { values } = parseArgs({
    options: {
      quick: { type: 'boolean', default: false },
      only: { type: 'string' },
      rounds: { type: 'string' },
      clients: { type: 'string', default: '50' },
      'reddish-cmd': { type: 'string', default: "node dist/cli.js --port {port} --loglevel warning --save ''" },
      'redis-cmd': { type: 'string', default: "redis-server --port {port} --save '' --appendonly no" },
      'baseline-cmd': { type: 'string' },
      'baseline-label': { type: 'string' },
      module: { type: 'string', default: join(ROOT, 'dist/index.js') },
      'port-range': { type: 'string' },
      out: { type: 'string', default: join(ROOT, 'bench/results/latest.json') },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) { console.log(USAGE); process.exit(0); }
  const only = values.only ? values.only.split(',').map((s) => s.trim()).filter(Boolean) : SECTIONS;
  const bad = only.filter((s) => !SECTIONS.includes(s));
  if (bad.length) { console.error(`unknown section(s): ${bad.join(', ')}\n${USAGE}`); process.exit(2); }
  const rounds = values.rounds ? Number(values.rounds) : values.quick ? 1 : 3;
  const clients = Number(values.clients);
  if (!(rounds >= 1) || !(clients >= 1)) { console.error(`bad --rounds/--clients\n${USAGE}`); process.exit(2); }
  let portRange = null;
  if (values['port-range']) {
    const m = /^(\d+)-(\d+)$/.exec(values['port-range']);
    if (!m) { console.error(`bad --port-range\n${USAGE}`); process.exit(2); }
    portRange = [Number(m[1]), Number(m[2])];
  }
  return {
    quick: values.quick, only, rounds, clients, portRange,
    reddishCmd: values['reddish-cmd'], redisCmd: values['redis-cmd'],
    baselineCmd: values['baseline-cmd'] ?? null, baselineLabel: values['baseline-label'] ?? values['baseline-cmd'] ?? null,
    module: resolve(values.module), out: resolve(values.out),
  };
}

async function serverVersion(server) {
  try {
    const c = await server.client();
    const info = parseInfo(await c.call('INFO', 'server'));
    c.close();
    return info.redis_version ?? info.reddish_version ?? null;
  } catch {
    return null;
  }
}

/**
 * A/B summary: a Markdown table of every compared test, flagged ones first
 * named in a line of their own, ready to quote in a commit or review.
 */
function printAb(print, ab, opts) {
  const flagged = ab.filter((r) => r.regression);
  const compared = ab.filter((r) => r.change !== null);
  print(`\n== A/B: candidate (this build) vs baseline (${opts.baselineLabel}), median of ${opts.rounds} round(s)${opts.quick ? ', QUICK MODE' : ''}`);
  print(`${compared.length} of ${ab.length} tests compared; ${flagged.length} flagged REGRESSION? (candidate ratio more than ${AB_LIMIT * 100}% below the baseline's)${flagged.length ? `: ${flagged.map((r) => `${r.section} ${r.test} ${fmtPct(r.change)}`).join(', ')}` : ''}.`);
  if (opts.rounds < 3) print(`With ${opts.rounds} round(s) a single noisy run decides the median; use --rounds 5 or more before acting on a flag.`);
  print('');
  const spreadPct = (x) => (Number.isFinite(x) ? `${Math.round(x * 100)}%` : 'n/a');
  // change = candidate ratio / baseline ratio - 1; where both ratios are
  // against the same redis median this is candidate/baseline ops/s.
  // Server CPU per op (median) is the steadier figure on a busy machine:
  // 'per CPU s' is how much more work the candidate does per CPU second.
  // 'paired' and 'paired CPU' are the same changes taken round by round
  // (median of each round's candidate/baseline), which the host's slow
  // swings of load move less than a ratio of two medians.
  const cpu = (x) => (x ? `${x.toFixed(2)} µs` : 'n/a');
  const pct = (x) => (x === undefined || x === null ? 'n/a' : fmtPct(x));
  print(mdTable(['section', 'test', 'ratio', 'redis ops/s', 'baseline ops/s', 'candidate ops/s', 'baseline ratio', 'candidate ratio', 'change', 'spread', 'a/b',
    'base CPU/op', 'cand CPU/op', 'per CPU s', 'paired', 'paired CPU'],
    ab.map((r) => [r.section, r.test, r.ratioName,
      r.redis === null && r.section === 'bloom' ? '' : fmtInt(r.redis), fmtInt(r.baseline), fmtInt(r.candidate), fmtRatio(r.baselineRatio), fmtRatio(r.candidateRatio),
      fmtPct(r.change), spreadPct(r.spread), r.regression ? 'REGRESSION?' : (r.note ?? ''),
      cpu(r.cpuPerOp?.baseline), cpu(r.cpuPerOp?.reddish), r.cpuChange === undefined ? 'n/a' : fmtPct(r.cpuChange),
      pct(r.pairedChange), pct(r.pairedCpuChange)])));
}

async function main() {
  const opts = parseOptions();
  const t0 = Date.now();
  const print = (s) => console.log(s);
  const log = (s) => console.log(s);
  const bars = new Bars();

  try {
    execFileSync('redis-benchmark', ['--version'], { stdio: 'ignore' });
  } catch {
    console.error('redis-benchmark not found on PATH');
    process.exit(2);
  }

  const cleanup = (code) => { killAllChildren('SIGKILL'); process.exit(code); };
  process.on('SIGINT', () => { console.error('\ninterrupted: stopping servers'); cleanup(130); });
  process.on('SIGTERM', () => cleanup(143));
  process.on('exit', () => killAllChildren('SIGKILL'));

  print(`reddish bench — ${new Date().toISOString()}, node ${process.version}, ${os.cpus().length} CPUs, load ${os.loadavg().map((x) => x.toFixed(2)).join(' ')}`);
  if (opts.quick) print('*** QUICK MODE: 1 round, small n, 100k items. Trial run only; these numbers do not meet the spec. ***');
  print(`sections: ${opts.only.join(', ')}; rounds: ${opts.rounds}; clients: ${opts.clients}`);

  const needServers = opts.only.some((s) => s !== 'embed');
  const abMode = opts.baselineCmd !== null && opts.only.some((s) => AB_SECTIONS.includes(s));
  if (opts.baselineCmd !== null && !abMode) print(`--baseline-cmd ignored: only ${AB_SECTIONS.join(', ')} measure a baseline`);
  else if (abMode && opts.only.some((s) => !AB_SECTIONS.includes(s))) {
    print(`A/B mode: ${opts.only.filter((s) => !AB_SECTIONS.includes(s)).join(', ')} measure(s) this build only, without the baseline`);
  }
  const [p1, p2, p3] = needServers ? await freePorts(abMode ? 3 : 2, opts.portRange) : [null, null];
  const redis = new Server('redis', opts.redisCmd, p1, ROOT);
  const reddish = new Server('reddish', opts.reddishCmd, p2, ROOT);
  const baseline = abMode ? new Server('baseline', opts.baselineCmd, p3, ROOT) : null;
  const servers = [redis, reddish, baseline].filter(Boolean);
  const meta = {
    date: new Date().toISOString(), quick: opts.quick, rounds: opts.rounds, clients: opts.clients,
    sections: opts.only, node: process.version, cpus: os.cpus().length, loadavgAtStart: os.loadavg(),
    redisCmd: opts.redisCmd, reddishCmd: opts.reddishCmd, ports: { redis: p1, reddish: p2 },
  };
  // Which build "reddish" is: the commit, and whether the tree had changes.
  try {
    const git = (...a) => execFileSync('git', a, { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    meta.git = { commit: git('rev-parse', 'HEAD'), dirty: git('status', '--porcelain', '--untracked-files=no') !== '' };
  } catch { /* not a git checkout */ }
  if (abMode) {
    Object.assign(meta, { baselineCmd: opts.baselineCmd, baselineLabel: opts.baselineLabel, abLimit: AB_LIMIT });
    meta.ports.baseline = p3;
  }
  const results = {};
  const events = [];

  if (needServers) {
    try {
      for (const s of servers) await s.start();
    } catch (e) {
      console.error(`\nFATAL: ${e.message}`);
      for (const s of servers) await s.stop();
      process.exit(3);
    }
    meta.redisVersion = await serverVersion(redis);
    meta.reddishVersion = await serverVersion(reddish);
    print(`redis ${meta.redisVersion ?? '?'} on :${p1} (pid ${redis.pid}); reddish on :${p2} (pid ${reddish.pid}): \`${opts.reddishCmd}\``);
    if (baseline) {
      meta.baselineVersion = await serverVersion(baseline);
      print(`A/B mode: baseline on :${p3} (pid ${baseline.pid}): \`${opts.baselineCmd}\`${opts.baselineLabel !== opts.baselineCmd ? ` (${opts.baselineLabel})` : ''}; "candidate" is the reddish above`);
    }
  }

  // Notes are findings without a bar (a skipped measurement, a failed
  // sub-check); they are repeated in the summary so none gets lost.
  const notes = [];
  // A/B rows (candidate and baseline against redis), one per throughput test.
  const ab = [];
  const ctx = {
    redis, reddish, baseline, opts, bars, print, log, note: (s) => notes.push(s), abRecord: (row) => ab.push(row),
  };
  // The types section ends with GEO's GEOADD / GEOSEARCH over 100k points.
  const types = async (c) => ({ ...(await runTypes(c)), geo: await runGeo(c) });
  const runners = { core: runCore, types, bloom: runBloom, memory: runMemory, maxmemory: runMaxmemory, scaling: runScaling, pubsub: runPubsub, scripting: runScripting, streams: runStreams, acl: runAcl, persistence: runPersistence, tls: runTls, embed: runEmbed };
  for (const name of SECTIONS) {
    if (!opts.only.includes(name)) continue;
    if (name !== 'embed') {
      // A server that crashed in the previous section is restarted so later
      // sections still report; the crash is recorded.
      for (const s of servers) {
        if (s.alive) continue;
        const ev = `${s.name} was not running before section ${name} (${JSON.stringify(s.exitInfo)}): ${s.stderr.trim().split('\n').slice(-3).join(' | ')}`;
        print(`!! ${ev}; restarting`);
        events.push(ev);
        try {
          await s.start();
        } catch (e) {
          console.error(`\nFATAL: ${e.message}`);
          process.exit(3);
        }
      }
    }
    const ts = Date.now();
    try {
      results[name] = await runners[name](ctx);
    } catch (e) {
      print(`\n!! section ${name} failed: ${e.stack ?? e.message}`);
      results[name] = { error: e.message };
      bars.check(name, `(section ${name})`, NaN, '', null, { error: e.message, unit: '' });
    }
    results[name] ??= {};
    results[name].seconds = (Date.now() - ts) / 1000;
  }

  for (const s of servers) await s.stop();
  meta.durationSeconds = (Date.now() - t0) / 1000;
  meta.loadavgAtEnd = os.loadavg();

  const counts = {};
  for (const b of bars.list) counts[b.status] = (counts[b.status] ?? 0) + 1;
  print(`\n== Summary${opts.quick ? ' (QUICK MODE: trial run, does not meet the spec)' : ''}`);
  print(`${Object.entries(counts).map(([k, v]) => `${v} ${k}`).join(', ') || 'no bars'} — ${meta.durationSeconds.toFixed(0)} s total\n`);
  print(bars.markdown());
  if (abMode) printAb(print, ab, opts);
  // Everything here runs on the same few cores as whatever else the machine
  // is doing; say how busy it was so a reader can judge the ratios.
  const busy = Math.max(meta.loadavgAtStart[0], meta.loadavgAtEnd[0]);
  print(`\nLoad average (1 min) at start ${meta.loadavgAtStart[0].toFixed(2)}, at end ${meta.loadavgAtEnd[0].toFixed(2)} on ${meta.cpus} CPUs${busy > meta.cpus / 2 ? ': other work was competing for the CPUs; treat ratios near a bar as noise (see the spread column, or rerun with more --rounds)' : ''}.`);
  if (results.embed && !results.embed.skipped && !results.embed.error) {
    print(`\nEmbedding: median startServer+close ${results.embed.medianMs.toFixed(2)} ms over ${results.embed.cycles} cycles.`);
  }
  if (notes.length) print(`\nNotes:\n${notes.map((e) => `- ${e}`).join('\n')}`);
  if (events.length) print(`\nEvents:\n${events.map((e) => `- ${e}`).join('\n')}`);
  print(`\nSection times: ${Object.entries(results).map(([k, v]) => `${k} ${v.seconds.toFixed(0)} s`).join(', ')}`);

  mkdirSync(dirname(opts.out), { recursive: true });
  const out = { meta, bars: bars.list, counts, notes, events, results };
  if (abMode) out.ab = ab;
  writeFileSync(opts.out, `${JSON.stringify(out, null, 2)}\n`);
  print(`\nJSON written to ${opts.out}`);
  // A failed bar is a finding, not a crash: exit 0 (server start failures exit 3 above).
  process.exit(0);
}

main().catch((e) => {
  console.error(`\nFATAL: ${e.stack ?? e.message}`);
  killAllChildren('SIGKILL');
  process.exit(1);
});
