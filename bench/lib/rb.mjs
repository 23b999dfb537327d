// redis-benchmark driver: one run, per-test calibration, and the alternating
// multi-round comparison used by the throughput sections.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { track } from './servers.mjs';

/**
 * A process's CPU time so far (user + system, /proc/<pid>/stat fields 14
 * and 15), in seconds; null where /proc is missing. Server CPU per op is far
 * less disturbed than ops/s by other work on a shared machine: a preempted
 * server serves fewer ops a second but spends the same CPU on each.
 */
export function cpuSeconds(pid) {
  if (!pid) return null;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return null;
  }
}

export const median = (xs) => {
  if (!xs.length) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

function parseCsv(text) {
  const rows = [];
  for (const line of text.split(/\r?\n/)) {
    if (!line.startsWith('"') || line.startsWith('"test"')) continue;
    const cells = line.split('","').map((c) => c.replace(/^"|"$/g, ''));
    rows.push({ name: cells[0], rps: Number(cells[1]), avgMs: Number(cells[2]), p50Ms: Number(cells[4]), p99Ms: Number(cells[6]) });
  }
  return rows;
}

/**
 * One redis-benchmark run. `spec` is either {t: 'set'} (a built-in test) or
 * {cmd: ['BF.ADD', 'bf', 'e:__rand_int__']} (an explicit command).
 * Resolves with the CSV row of the wanted test.
 */
export function runOnce(port, spec, { n, P, c, r, timeoutMs, extraArgs = [] }) {
  const args = ['-h', '127.0.0.1', '-p', String(port), '-c', String(c), '-n', String(n),
    '-P', String(P), '-r', String(r), '--csv', ...extraArgs];
  if (spec.cmd) args.push(...spec.cmd);
  else args.push('-t', spec.t);
  return new Promise((resolve, reject) => {
    const child = track(spawn('redis-benchmark', args, { stdio: ['ignore', 'pipe', 'pipe'] }));
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => { out += d; });
    child.stderr.on('data', (d) => { err = (err + d).slice(-2000); });
    const timer = setTimeout(() => { child.kill('SIGKILL'); }, timeoutMs);
    child.once('error', (e) => { clearTimeout(timer); reject(e); });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      const rows = parseCsv(out);
      // Built-in lrange tests add an "LPUSH (needed to benchmark LRANGE)" row
      // first, so pick the row whose first word is the test's own name.
      const want = spec.cmd ? null : spec.t.toUpperCase();
      const row = want ? rows.find((x) => x.name.split(' ')[0] === want) : rows[rows.length - 1];
      if (code === 0 && row && Number.isFinite(row.rps) && row.rps > 0) return resolve(row);
      const why = signal === 'SIGKILL' ? `timed out after ${timeoutMs} ms` : `exit ${code ?? signal}`;
      const detail = (err + out).split('\n').filter((l) => l && !l.startsWith('"')).slice(-3).join(' | ');
      reject(new Error(`redis-benchmark ${args.join(' ')}: ${why}${detail ? `: ${detail}` : ''}`));
    });
  });
}

/**
 * Choose n so one run lasts about `targetS` seconds: a short probe run gives
 * the rate. A probe that finished too fast to time reliably (redis-benchmark
 * reports with ms resolution and connection setup is amortised poorly) is
 * repeated at ~0.6 s worth of requests.
 */
export async function calibrate(port, spec, opts, probeN, targetS, prep) {
  let n = probeN;
  let row;
  for (let i = 0; i < 2; i++) {
    await prep?.(n);
    row = await runOnce(port, spec, { ...opts, n, timeoutMs: 120000 });
    if (n / row.rps >= 0.3) break;
    n = Math.ceil(row.rps * 0.6);
  }
  return { n: Math.max(opts.minN ?? 10000, Math.round(row.rps * targetS)), probeRps: row.rps };
}

/**
 * Run every test on every variant, `rounds` times, alternating variants test
 * by test (and rotating which one goes first, every round and from one test
 * to the next, so none always runs on a machine warmed or cooled by the
 * others, even in a one-round --quick run; with two variants the rotation
 * is a plain swap). Returns
 * {[testId]: {[variantLabel]: {samples, median, n} | {error}}}.
 *
 * tests: [{id, spec, probeN, minN, prep?(variant, n)}]
 * variants: [{label, server}]
 */
export async function compare({ tests, variants, P, c, r, rounds, quick, targetS = 2.5, log, extraArgs = [] }) {
  const res = {};
  const plan = {}; // testId -> label -> n
  for (const t of tests) {
    res[t.id] = {};
    plan[t.id] = {};
    for (const v of variants) {
      if (t.skip?.[v.label]) { res[t.id][v.label] = { skipped: t.skip[v.label] }; continue; }
      res[t.id][v.label] = { samples: [], n: 0 };
    }
  }
  // extraArgs: more redis-benchmark options for every run (--tls and its certificates).
  const opts = { P, c, r, extraArgs };
  // Calibration; in quick mode the probe size itself is the run size.
  for (const t of tests) {
    for (const v of variants) {
      const slot = res[t.id][v.label];
      if (slot.skipped) continue;
      try {
        if (quick) {
          // No calibration probe to warm a JIT-compiled server up, so do a
          // short untimed run; otherwise quick numbers mostly time cold code.
          plan[t.id][v.label] = t.probeN;
          const w = Math.max(1000, Math.round(t.probeN / 4));
          await t.prep?.(v, w);
          await runOnce(v.server.port, t.spec, { ...opts, n: w, timeoutMs: 60000 });
          continue;
        }
        const { n, probeRps } = await calibrate(v.server.port, t.spec, { ...opts, minN: t.minN },
          t.probeN, targetS, t.prep && ((nn) => t.prep(v, nn)));
        plan[t.id][v.label] = n;
        log?.(`  calibrate ${t.id.padEnd(12)} P=${P} ${v.label.padEnd(8)} probe ${Math.round(probeRps)} ops/s -> n=${n}`);
      } catch (e) {
        slot.error = e.message;
      }
    }
  }
  for (let round = 0; round < rounds; round++) {
    for (const [ti, t] of tests.entries()) {
      const k = (round + ti) % variants.length;
      for (const v of [...variants.slice(k), ...variants.slice(0, k)]) {
        const slot = res[t.id][v.label];
        if (slot.skipped || slot.error) continue;
        const n = plan[t.id][v.label];
        try {
          await t.prep?.(v, n);
          const cpuBefore = cpuSeconds(v.server.pid);
          const row = await runOnce(v.server.port, t.spec, { ...opts, n, timeoutMs: Math.max(60000, (targetS * 8) * 1000) });
          const cpuAfter = cpuSeconds(v.server.pid);
          if (cpuBefore !== null && cpuAfter !== null) (slot.cpuSamples ??= []).push(((cpuAfter - cpuBefore) * 1e6) / n);
          slot.samples.push(row.rps);
          slot.n = n;
          log?.(`  round ${round + 1}/${rounds} ${t.id.padEnd(12)} P=${P} ${v.label.padEnd(8)} ${Math.round(row.rps).toLocaleString('en-US').padStart(10)} ops/s (n=${n})`);
        } catch (e) {
          slot.error = e.message;
          log?.(`  round ${round + 1}/${rounds} ${t.id} ${v.label}: ERROR ${e.message}`);
        }
      }
    }
  }
  for (const t of tests) {
    for (const v of variants) {
      const slot = res[t.id][v.label];
      if (slot.samples?.length && !slot.error) slot.median = median(slot.samples);
      if (slot.cpuSamples?.length && !slot.error) slot.cpuPerOp = median(slot.cpuSamples);
    }
  }
  return res;
}
