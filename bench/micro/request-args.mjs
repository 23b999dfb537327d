// Micro-benchmark behind the framer's argument building (request-parser.ts):
// ns per argument for Buffer#latin1Slice against String.fromCharCode with
// explicit arguments, for the 3- and 16-byte arguments redis-benchmark
// sends, then ns per command for RequestParser.feed on GET and MSET
// pipelines as the server parses them: whole in one chunk (the fast path),
// cut into 100-byte chunks (most commands split, the state machine), and a
// SET of a 100 KB value arriving in 64 KB reads.
//
//   npm run build && node bench/micro/request-args.mjs [--dist DIR]
//
// --dist points at another build (default dist/), to compare two versions
// of the parser on one machine in one sitting.
import path from 'node:path';
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';

const { values: flags } = parseArgs({ options: { dist: { type: 'string', default: path.join(import.meta.dirname, '../../dist') } } });
const { RequestParser } = await import(pathToFileURL(path.resolve(flags.dist, 'protocol/request-parser.js')).href);

const fromCharCode = String.fromCharCode;
const key = Buffer.from('key:000000012345'.repeat(1000));
const small = Buffer.from('xxx'.repeat(1000));

function time(label, rounds, perRound, fn) {
  let best = Infinity;
  for (let r = 0; r < rounds; r++) {
    const t0 = process.hrtime.bigint();
    fn();
    best = Math.min(best, Number(process.hrtime.bigint() - t0) / perRound);
  }
  console.log(`${label.padEnd(52)} ${best.toFixed(1)} ns`);
}

let sink = 0;
time('16 B latin1Slice', 20, 1e5, () => { for (let r = 0; r < 100; r++) for (let i = 0; i < 1000; i++) sink += key.latin1Slice(i * 16, i * 16 + 16).length; });
time('16 B fromCharCode(16 explicit arguments)', 20, 1e5, () => {
  for (let r = 0; r < 100; r++) for (let i = 0; i < 1000; i++) {
    const b = key; const s = i * 16;
    sink += fromCharCode(b[s], b[s + 1], b[s + 2], b[s + 3], b[s + 4], b[s + 5], b[s + 6], b[s + 7], b[s + 8], b[s + 9], b[s + 10], b[s + 11], b[s + 12], b[s + 13], b[s + 14], b[s + 15]).length;
  }
});
time('3 B latin1Slice', 20, 1e5, () => { for (let r = 0; r < 100; r++) for (let i = 0; i < 1000; i++) sink += small.latin1Slice(i * 3, i * 3 + 3).length; });
time('3 B fromCharCode(3 explicit arguments)', 20, 1e5, () => {
  for (let r = 0; r < 100; r++) for (let i = 0; i < 1000; i++) { const s = i * 3; sink += fromCharCode(small[s], small[s + 1], small[s + 2]).length; }
});

function pipeline(args, count) {
  const one = `*${args.length}\r\n` + args.map((a) => `$${a.length}\r\n${a}\r\n`).join('');
  return Buffer.from(one.repeat(count), 'latin1');
}
const getBatch = pipeline(['GET', 'key:000000012345'], 16);
const msetArgs = ['MSET'];
for (let i = 0; i < 10; i++) msetArgs.push(`key:00000001234${i}`, 'xxx');
const msetBatch = pipeline(msetArgs, 16);
function chunked(batch, size) {
  const chunks = [];
  for (let at = 0; at < batch.length; at += size) chunks.push(batch.subarray(at, at + size));
  return chunks;
}
const bigSet = pipeline(['SET', 'key:000000012345', 'v'.repeat(100 * 1024)], 1);
const cases = [
  ['RequestParser.feed, GET x16, per command', [getBatch], 16],
  ['RequestParser.feed, MSET (10 keys) x16, per command', [msetBatch], 16],
  ['RequestParser.feed, GET x16 in 100 B chunks, per command', chunked(getBatch, 100), 16],
  ['RequestParser.feed, MSET x16 in 100 B chunks, per command', chunked(msetBatch, 100), 16],
  ['RequestParser.feed, SET 100 KB in 64 KB reads, per command', chunked(bigSet, 64 * 1024), 1],
];
for (const [label, chunks, commands] of cases) {
  const parser = new RequestParser({ maxBulkLength: 512 * 1024 * 1024 }, { onCommand: (argv) => { sink += argv.length; }, onProtocolError: () => {}, isAuthRequired: () => false });
  const rounds = commands === 1 ? 500 : 5000;
  time(label, 20, commands * rounds, () => { for (let r = 0; r < rounds; r++) for (const chunk of chunks) parser.feed(chunk); });
}
if (sink === 0) console.log('');
