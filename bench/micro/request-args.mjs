// Micro-benchmark behind the framer's argument building (request-parser.ts):
// ns per argument for Buffer#latin1Slice against String.fromCharCode with
// explicit arguments, for the 3- and 16-byte arguments redis-benchmark
// sends, then ns per command for RequestParser.feed on GET and MSET
// pipelines as the server parses them.
//
//   npm run build && node bench/micro/request-args.mjs
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const { RequestParser } = await import(pathToFileURL(path.join(import.meta.dirname, '../../dist/protocol/request-parser.js')).href);

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
for (const [label, batch] of [['RequestParser.feed, GET x16, per command', getBatch], ['RequestParser.feed, MSET (10 keys) x16, per command', msetBatch]]) {
  const parser = new RequestParser({ maxBulkLength: 512 * 1024 * 1024 }, { onCommand: (argv) => { sink += argv.length; }, onProtocolError: () => {}, isAuthRequired: () => false });
  time(label, 20, 16 * 5000, () => { for (let r = 0; r < 5000; r++) parser.feed(batch); });
}
if (sink === 0) console.log('');
