#!/usr/bin/env node
// Crash safety of the AOF, the full run of issue 12's test: N cycles (100
// by default) of a writer pipelining acknowledged INCRs and SETs at
// reddish-server, killed with SIGKILL at random moments, restarted, checked.
// Prints the acknowledged writes lost under `appendfsync always` (bar: 0)
// and the loss window in seconds under `everysec` (bar: <= 2 s).
//
//   npm run build && node bench/aof-crash.mjs [--cycles 100] [--policies always,everysec]
//
// See bench/lib/aof-crash.mjs for what a SIGKILL can and cannot lose.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { crashCycles, truncationCheck } from './lib/aof-crash.mjs';

const { values } = parseArgs({
  options: {
    cycles: { type: 'string', default: '100' },
    policies: { type: 'string', default: 'always,everysec' },
    truncations: { type: 'string', default: '10' },
  },
});
const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
const cli = path.join(root, 'dist', 'cli.js');
const cycles = Number(values.cycles);
let failed = false;

for (const policy of values.policies.split(',')) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `reddish-aof-crash-${policy}-`));
  try {
    const started = performance.now();
    const results = await crashCycles({
      cli,
      dir,
      cycles,
      policy,
      onCycle: (r) => process.stdout.write(r.lost === 0 ? '.' : `[${r.cycle}: lost ${r.lost}]`),
    });
    process.stdout.write('\n');
    const acked = results.reduce((sum, r) => sum + r.ackedIncr + r.ackedSets, 0);
    const lost = results.reduce((sum, r) => sum + r.lost, 0);
    const worstWindow = Math.max(...results.map((r) => r.lossSeconds));
    const cyclesWithLoss = results.filter((r) => r.lost > 0).length;
    console.log(
      `appendfsync ${policy}: ${results.length} kill -9 cycles in ${((performance.now() - started) / 1000).toFixed(0)} s, ` +
        `${acked} acknowledged writes, ${lost} lost (${cyclesWithLoss} cycles with a loss), longest loss window ${worstWindow.toFixed(3)} s`,
    );
    const pass = policy === 'always' ? lost === 0 : worstWindow <= 2;
    console.log(`  bar (${policy === 'always' ? '0 lost' : 'loss window <= 2 s'}): ${pass ? 'PASS' : 'FAIL'}`);
    failed ||= !pass;
    if (policy === values.policies.split(',')[0]) {
      let followed = 0;
      const rounds = Number(values.truncations);
      for (let i = 0; i < rounds; i++) {
        const refused = await truncationCheck({ cli, dir, loadTruncated: false });
        const accepted = await truncationCheck({ cli, dir, loadTruncated: true });
        const ok = (refused.atBoundary || !refused.started) && accepted.started && accepted.sizeAfter === accepted.lastWhole;
        if (ok) followed++;
      }
      console.log(`  truncation at random bytes: aof-load-truncated followed in ${followed}/${rounds} rounds (no: refused to start; yes: cut to the last whole command)`);
      failed ||= followed !== rounds;
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
process.exitCode = failed ? 1 : 0;
