// The long run of the RDB object fuzzer that `npm test` runs briefly
// (test/fuzz/restore-fuzz.ts): mutated DUMP/RESTORE payloads of every type
// and encoding, loaded with the codec. Every load must end in a value, an
// empty key or Redis's corruption error ("Bad data format"), never another
// exception, and no load may stall.
//
//   node bench/rdb-fuzz.mjs [--mutations N] [--seed S]
//
// Prints how many mutations loaded, were empty keys or were refused (by
// reason), the internal errors found (the bug count, which must be 0) and the
// slowest single load. Exit code 0 when nothing was found.
//
// RDB files are not fuzzed here yet: the file loader (header, aux fields,
// opcodes) is the snapshots work's; once it exports a loader this script is
// where its fuzzing belongs.
import { parseArgs } from 'node:util';
import { importTs } from './lib/ts-import.mjs';

const { values: flags } = parseArgs({
  options: {
    mutations: { type: 'string', default: '100000' },
    seed: { type: 'string', default: String(Date.now() % 1_000_000_007) },
  },
});
const mutations = Number(flags.mutations);
const seed = Number(flags.seed);
const { runRestoreFuzz } = await importTs('test/fuzz/restore-fuzz.ts');

const started = performance.now();
const report = runRestoreFuzz(seed, mutations);
const seconds = (performance.now() - started) / 1000;
const refused = [...report.corrupt.values()].reduce((a, b) => a + b, 0);

console.log(`RDB object fuzz: ${report.trials.toLocaleString('en')} mutations, seed ${seed}, ${seconds.toFixed(1)} s`);
console.log(`  loaded (and walked, saved, reloaded): ${report.loaded.toLocaleString('en')}`);
console.log(`  empty keys (RESTORE: Bad data format): ${report.emptyKeys.toLocaleString('en')}`);
console.log(`  refused as corrupt (Bad data format): ${refused.toLocaleString('en')}`);
for (const [reason, count] of [...report.corrupt].sort((a, b) => b[1] - a[1])) {
  console.log(`    ${String(count).padStart(8)}  ${reason}`);
}
console.log(`  internal errors: ${report.internalCount}`);
for (const line of report.internal) console.log(`    ${line}`);
console.log(`  slowest load: ${report.slowestMs.toFixed(1)} ms`);
process.exitCode = report.internalCount === 0 ? 0 : 1;
