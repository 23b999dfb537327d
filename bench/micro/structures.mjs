// Micro-benchmark of the sorted set and list structures, straight on the
// classes (no server, no RESP): µs per ZADD / ZRANK / LPUSH / LPOP at 10k
// and 1M members, the 1M/10k ratio (a log-n structure should stay ≤ 3),
// and bytes per member after a full GC.
//
//   npm run build && node --expose-gc bench/micro/structures.mjs
//
// STRUCTURES_DIST=/some/dir points at another build's store/ directory,
// e.g. one made without the rest of the server by
//   npx tsc --outDir /tmp/zs --module nodenext --moduleResolution nodenext \
//     --target es2022 src/store/zset.ts src/store/list.ts
//   STRUCTURES_DIST=/tmp/zs/store node --expose-gc bench/micro/structures.mjs
// STRUCTURES_QUICK=1 uses 100k instead of 1M for the large size. Times are
// CPU time; the 1M figures are bound by memory latency (see the Map.get
// baseline row, which no dict-backed structure can beat).
import { pathToFileURL } from 'node:url';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

const distDir = process.env.STRUCTURES_DIST ?? path.join(import.meta.dirname, '../../dist/store');
const { SortedSet } = await import(pathToFileURL(path.join(distDir, 'zset.js')).href);
const { QuickList } = await import(pathToFileURL(path.join(distDir, 'list.js')).href);

const SMALL = 10_000;
const LARGE = process.env.STRUCTURES_QUICK ? 100_000 : 1_000_000;

if (typeof globalThis.gc !== 'function') {
  console.error('note: run with node --expose-gc for the memory figures');
}

// xorshift32: the same inputs every run.
let seed = 0x1234567;
function rand() {
  seed ^= seed << 13;
  seed ^= seed >>> 17;
  seed ^= seed << 5;
  return (seed >>> 0) / 0x1_0000_0000;
}

/** Realistic scores: millisecond timestamps with a fraction, mostly not small integers. */
function randomScore() {
  return 1.7e12 + Math.floor(rand() * 1e9) + rand();
}

/**
 * CPU µs spent in fn (user + system). CPU time rather than wall time:
 * the machines this runs on are shared, and a descheduled process would
 * otherwise show the neighbours' load. Cache contention still shows.
 */
function time(fn) {
  const t0 = process.cpuUsage();
  fn();
  const d = process.cpuUsage(t0);
  return d.user + d.system;
}

/** Heap + external bytes after full GCs; the pauses let freed ArrayBuffers be swept. */
async function memory() {
  for (let i = 0; i < 2; i++) {
    globalThis.gc?.();
    await sleep(50);
  }
  const m = process.memoryUsage();
  return m.heapUsed + m.external;
}

function buildZset(n) {
  const z = new SortedSet();
  for (let i = 0; i < n; i++) z.add(`member:${i}`, randomScore());
  return z;
}

/** µs per op for adding new members to a set of size n, then removing them again (untimed). */
function zaddNew(z, n, batch, rounds) {
  let us = 0;
  let next = n;
  for (let r = 0; r < rounds; r++) {
    const names = Array.from({ length: batch }, () => `new:${next++}`);
    const scores = Array.from({ length: batch }, randomScore);
    us += time(() => {
      for (let i = 0; i < batch; i++) z.add(names[i], scores[i]);
    });
    for (let i = 0; i < batch; i++) z.remove(names[i]);
  }
  return us / (batch * rounds);
}

/** µs per ZADD that moves an existing member to a new score. */
function zaddUpdate(z, n, ops) {
  const names = Array.from({ length: ops }, () => `member:${Math.floor(rand() * n)}`);
  const scores = Array.from({ length: ops }, randomScore);
  return (
    time(() => {
      for (let i = 0; i < ops; i++) z.add(names[i], scores[i]);
    }) / ops
  );
}

function zrank(z, n, ops) {
  const names = Array.from({ length: ops }, () => `member:${Math.floor(rand() * n)}`);
  let sink = 0;
  const us = time(() => {
    for (let i = 0; i < ops; i++) sink += z.rank(names[i]);
  });
  if (sink < 0) console.log(sink);
  return us / ops;
}

/** The floor under any ZADD/ZRANK: one V8 Map lookup among n string keys. */
function mapGet(n, ops) {
  const map = new Map();
  for (let i = 0; i < n; i++) map.set(`member:${i}`, i);
  const names = Array.from({ length: ops }, () => `member:${Math.floor(rand() * n)}`);
  let sink = 0;
  for (let i = 0; i < 10_000; i++) sink += map.get(names[i]);
  const us = time(() => {
    for (let i = 0; i < ops; i++) sink += map.get(names[i]);
  });
  if (sink < 0) console.log(sink);
  return us / ops;
}

function buildList(n) {
  const list = new QuickList();
  for (let i = 0; i < n; i++) list.pushTail(`element:${i}`);
  return list;
}

/** LPUSH a batch then LPOP it, so the length stays between n and n + batch. */
function listPushPop(list, batch, rounds) {
  const values = Array.from({ length: batch }, (_, i) => `pushed:${i}`);
  let push = 0;
  let pop = 0;
  for (let r = 0; r < rounds; r++) {
    push += time(() => {
      for (let i = 0; i < batch; i++) list.pushHead(values[i]);
    });
    pop += time(() => {
      for (let i = 0; i < batch; i++) list.popHead();
    });
  }
  return { push: push / (batch * rounds), pop: pop / (batch * rounds) };
}

function run(n) {
  const z = buildZset(n);
  // Warm up the same paths at this size before timing.
  zaddNew(z, n, 1000, 3);
  zaddUpdate(z, n, 10_000);
  zrank(z, n, 10_000);
  const result = {
    zaddNew: zaddNew(z, n, Math.min(n / 10, 20_000), n === SMALL ? 20 : 10),
    zaddUpdate: zaddUpdate(z, n, 200_000),
    zrank: zrank(z, n, 200_000),
    mapGet: mapGet(n, 200_000),
  };
  const list = buildList(n);
  listPushPop(list, 1000, 20);
  const lp = listPushPop(list, 1000, 300);
  result.lpush = lp.push;
  result.lpop = lp.pop;
  return result;
}

async function bytesPerMember() {
  const n = LARGE;
  // Strings first, so the figures are the structures' own cost: any
  // implementation has to hold the member strings.
  const names = Array.from({ length: n }, (_, i) => `member:${i}`);
  // Names of 13+ chars are cons strings that V8 flattens (allocating) the
  // first time they are hashed; do that now so it is not billed to the set.
  new Set(names).clear();
  const scores = Array.from({ length: n }, randomScore);
  const base = await memory();
  let z = new SortedSet();
  for (let i = 0; i < n; i++) z.add(names[i], scores[i]);
  const zsetBytes = (await memory() - base) / n;
  // Use each structure after measuring: V8 collects what is dead, even if still in scope.
  if (z.size !== n) throw new Error('zset size');
  z = null;
  const base2 = await memory();
  let list = new QuickList();
  for (let i = 0; i < n; i++) list.pushTail(names[i]);
  const listBytes = (await memory() - base2) / n;
  if (list.length !== n) throw new Error('list length');
  list = null;
  // Many small keys: what an empty and a 5-member sorted set / list cost.
  const keys = 100_000;
  const base3 = await memory();
  let small = Array.from({ length: keys }, () => {
    const s = new SortedSet();
    for (let i = 0; i < 5; i++) s.add(names[i], scores[i]);
    return s;
  });
  const smallZset = (await memory() - base3) / keys;
  if (small.length !== keys) throw new Error('small sets');
  small = null;
  const base4 = await memory();
  let smallLists = Array.from({ length: keys }, () => {
    const l = new QuickList();
    for (let i = 0; i < 5; i++) l.pushTail(names[i]);
    return l;
  });
  const smallList = (await memory() - base4) / keys;
  if (smallLists.length !== keys) throw new Error('small lists');
  smallLists = null;
  if (names.length + scores.length !== 2 * n) throw new Error('inputs');
  return { zsetBytes, listBytes, smallZset, smallList };
}

const small = run(SMALL);
const large = run(LARGE);
const fmt = (x) => x.toFixed(3).padStart(8);
const label = (n) => (n >= 1e6 ? `${n / 1e6}M` : `${n / 1e3}k`);
console.log(`structure micro-benchmark (node ${process.version}); CPU µs/op`);
console.log(`op                     ${label(SMALL).padStart(8)} ${label(LARGE).padStart(8)}    ratio`);
for (const [key, name] of [
  ['zaddNew', 'ZADD (new member)'],
  ['zaddUpdate', 'ZADD (update score)'],
  ['zrank', 'ZRANK'],
  ['mapGet', 'Map.get (baseline)'],
  ['lpush', 'LPUSH'],
  ['lpop', 'LPOP'],
]) {
  const ratio = large[key] / small[key];
  console.log(`${name.padEnd(22)} ${fmt(small[key])} ${fmt(large[key])} ${ratio.toFixed(2).padStart(8)}${ratio > 3 ? '  (> 3)' : ''}`);
}
if (typeof globalThis.gc === 'function') {
  const m = await bytesPerMember();
  console.log(`memory at ${label(LARGE)} members, excluding the member strings themselves:`);
  console.log(`  sorted set: ${m.zsetBytes.toFixed(1)} bytes/member (skiplist pool + dict)`);
  console.log(`  list:       ${m.listBytes.toFixed(1)} bytes/element`);
  console.log(`  a 5-member sorted set: ${m.smallZset.toFixed(0)} bytes; a 5-element list: ${m.smallList.toFixed(0)} bytes`);
}
