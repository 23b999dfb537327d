/**
 * The RDB object fuzzer: payloads of every type and encoding (what reddish
 * writes, and the old encodings only Redis versions before 7.0 wrote),
 * mutated (bits flipped, bytes set to edge values, cut, stretched, spliced,
 * ranges dropped or doubled), then loaded with the codec. Each load must
 * end in a value, an empty key or an RdbCorruptError (RESTORE's "Bad data
 * format"), never another exception, and quickly. A value that loads must
 * then work: it is walked, saved and loaded again.
 *
 * npm test runs it briefly (restore.test.ts); bench/rdb-fuzz.mjs runs it
 * for 100k+ mutations and prints the counts.
 */
import { ListpackBuilder } from '../../src/persistence/listpack.js';
import { RdbCorruptError, RdbReader, RdbWriter, dumpFooter } from '../../src/persistence/rdb-encoding.js';
import { RdbType, loadObject, saveObject, saveObjectType } from '../../src/persistence/rdb-objects.js';
import { RedisHash } from '../../src/store/hash.js';
import { QuickList } from '../../src/store/list.js';
import { CountMinSketch, CuckooFilter, ScalableBloom, TopK } from '../../src/store/probabilistic/index.js';
import { RedisSet, setFromMembers } from '../../src/store/set.js';
import { RedisStream } from '../../src/store/stream/stream.js';
import { MAX_ID, MIN_ID, idFromNumbers } from '../../src/store/stream/stream-id.js';
import { DEFAULT_ENCODING, type EncodingConfig, type Value } from '../../src/store/types.js';
import { SortedSet } from '../../src/store/zset.js';
import { Rng } from '../helpers/random.js';

export const fuzzConfig: EncodingConfig = DEFAULT_ENCODING;

function range(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i);
}

/** The values whose payloads are mutated: every type and encoding reddish writes. */
function seedValues(): Value[] {
  const config = fuzzConfig;
  const values: Value[] = ['hello', '12345', 'x'.repeat(80), 'abcabcabcabcabcabcabcabcabcabcabc'];
  const small = new QuickList();
  small.pushTail(['a', 'b', '1', '-100000', 'c'.repeat(70)]);
  const big = new QuickList();
  big.pushTail(range(900).map((i) => (i % 2 ? `e${i}` : String(i))));
  values.push(small, big);
  values.push(setFromMembers(['1', '2', '300000', '-5'], config), setFromMembers(['a', 'b', '3'], config));
  const hash = new RedisHash();
  for (const i of range(5)) hash.set(`f${i}`, i % 2 ? String(i) : `v${i}`, config);
  const bigHash = new RedisHash();
  for (const i of range(150)) bigHash.set(`f${i}`, `v${i}`, config);
  values.push(hash, bigHash);
  const zset = new SortedSet(config);
  for (const i of range(6)) zset.add(`m${i}`, i % 2 ? i : i / 3);
  const bigZset = new SortedSet(config);
  for (const i of range(140)) bigZset.add(`m${i}`, i * 1.25);
  values.push(zset, bigZset);
  const stream = new RedisStream();
  for (const i of range(130)) stream.append(idFromNumbers(1000 + i, i % 2), i % 5 ? ['a', String(i), 'b', 'x'] : ['other', String(i)], 0, config);
  stream.deleteEntry(idFromNumbers(1003, 1));
  values.push(stream);
  const bloom = new ScalableBloom(0.01, 50);
  bloom.add('x');
  const cms = CountMinSketch.initByDim(8, 2);
  cms.incrBy('k', 3);
  values.push(bloom, new CuckooFilter(64), cms, TopK.reserve(2, 4, 3, 0.9));
  return values;
}

/** Old encodings, built by hand: RDB_TYPE_LIST, SET, ZSET (text scores), HASH_ZIPLIST, ZSET_ZIPLIST, LIST_QUICKLIST, HASH_ZIPMAP. */
function legacyPayloads(): Buffer[] {
  const out: Buffer[] = [];
  const ziplist = (entries: string[]): Buffer => {
    const parts: Buffer[] = [];
    let prev = 0;
    let tail = 10;
    for (const entry of entries) {
      const n = /^-?\d+$/.test(entry) ? Number(entry) : NaN;
      const body = Number.isInteger(n) && n >= 0 && n <= 12 ? Buffer.from([0xf1 + n]) : Buffer.concat([Buffer.from([entry.length]), Buffer.from(entry, 'latin1')]);
      const e = Buffer.concat([Buffer.from([prev]), body]);
      tail = 10 + parts.reduce((s, p) => s + p.length, 0);
      parts.push(e);
      prev = e.length;
    }
    const body = Buffer.concat(parts);
    const zl = Buffer.alloc(11 + body.length);
    zl.writeUInt32LE(zl.length, 0);
    zl.writeUInt32LE(tail, 4);
    zl.writeUInt16LE(entries.length, 8);
    body.copy(zl, 10);
    zl[zl.length - 1] = 0xff;
    return zl;
  };
  const blobPayload = (type: number, blob: Buffer): Buffer => {
    const w = new RdbWriter();
    w.type(type);
    w.blob(blob);
    return w.finish();
  };
  out.push(blobPayload(RdbType.hashZiplist, ziplist(['f', 'v', 'g', '7'])));
  out.push(blobPayload(RdbType.zsetZiplist, ziplist(['a', '1', 'b', '2.5'])));
  out.push(blobPayload(RdbType.listZiplist, ziplist(['x', 'y', '3'])));
  out.push(blobPayload(RdbType.hashZipmap, Buffer.from([2, 1, 0x66, 1, 0, 0x76, 1, 0x67, 2, 1, 0x77, 0x77, 0, 0xff])));
  const quicklist = new RdbWriter();
  quicklist.type(RdbType.listQuicklist);
  quicklist.length(2);
  quicklist.blob(ziplist(['a', 'b']));
  quicklist.blob(ziplist(['c', '5']));
  out.push(quicklist.finish());
  const list = new RdbWriter();
  list.type(RdbType.list);
  list.length(3);
  for (const s of ['a', '2', 'c']) list.string(s);
  out.push(list.finish());
  const set = new RdbWriter();
  set.type(RdbType.set);
  set.length(3);
  for (const s of ['1', 'b', '3']) set.string(s);
  out.push(set.finish());
  const zset = new RdbWriter();
  zset.type(RdbType.zset);
  zset.length(2);
  zset.string('a');
  zset.bytes(Buffer.from([3, 0x31, 0x2e, 0x35]));
  zset.string('b');
  zset.bytes(Buffer.from([254]));
  out.push(zset.finish());
  // A listpack hash written by hand, to reach the listpack checks with odd entries.
  const lp = new ListpackBuilder();
  for (const s of ['f', '1', 'g', '-70000']) lp.append(s);
  out.push(blobPayload(RdbType.hashListpack, lp.finish()));
  return out;
}

/** Every seed payload: type byte and object, as DUMP carries it before its footer. */
export function seedPayloads(): Buffer[] {
  const out: Buffer[] = [];
  for (const value of seedValues()) {
    for (const compress of [false, true]) {
      const w = new RdbWriter();
      saveObjectType(w, value, fuzzConfig);
      saveObject(w, value, { compress, config: fuzzConfig });
      out.push(w.finish());
    }
  }
  return [...out, ...legacyPayloads()];
}

const EDGE_BYTES = [0x00, 0x01, 0x3f, 0x40, 0x7f, 0x80, 0x81, 0xc0, 0xc3, 0xf0, 0xf4, 0xfe, 0xff];

/** One mutation of `payload` (never the type byte alone: that only picks another loader). */
export function mutate(rng: Rng, payload: Buffer, other: Buffer): Buffer {
  if (payload.length === 0) return Buffer.from([rng.int(0, 255)]);
  const out = Buffer.from(payload);
  const at = (): number => rng.int(0, out.length - 1);
  switch (rng.int(0, 8)) {
    case 0: {
      const flips = rng.int(1, 4);
      for (let i = 0; i < flips; i++) out[at()]! ^= 1 << rng.int(0, 7);
      return out;
    }
    case 1:
      out[at()] = EDGE_BYTES[rng.int(0, EDGE_BYTES.length - 1)]!;
      return out;
    case 2:
      return out.subarray(0, rng.int(1, Math.max(1, out.length - 1)));
    case 3: {
      const i = at();
      const extra = Buffer.alloc(rng.int(1, 8));
      for (let j = 0; j < extra.length; j++) extra[j] = rng.int(0, 255);
      return Buffer.concat([out.subarray(0, i), extra, out.subarray(i)]);
    }
    case 4: {
      const i = at();
      return Buffer.concat([out.subarray(0, i), out.subarray(Math.min(out.length, i + rng.int(1, 16)))]);
    }
    case 5: {
      const i = at();
      const j = Math.min(out.length, i + rng.int(1, 32));
      return Buffer.concat([out.subarray(0, j), out.subarray(i, j), out.subarray(j)]);
    }
    case 6: {
      // A 32-bit little-endian field (listpack/ziplist/intset headers) set to an edge value.
      if (out.length < 5) return out;
      const i = rng.int(1, out.length - 4);
      out.writeUInt32LE([0, 1, 0xffff, 0x7fffffff, 0xffffffff, out.length][rng.int(0, 5)]!, i);
      return out;
    }
    case 7: {
      const i = at();
      return Buffer.concat([out.subarray(0, i), other.subarray(rng.int(0, other.length - 1))]);
    }
    default: {
      const i = at();
      out[i] = (out[i]! + (rng.chance(0.5) ? 1 : -1)) & 0xff;
      return out;
    }
  }
}

/** Uses a loaded value the way commands would: walk it, save it, load it back. Throws on any inconsistency. */
export function exercise(value: Value): void {
  if (value instanceof QuickList) {
    let n = 0;
    for (const element of value) if (typeof element === 'string') n++;
    if (n !== value.length) throw new Error('list length disagrees with its elements');
    value.range(0, 10);
  } else if (value instanceof RedisSet) {
    for (const member of value.elements()) if (!value.has(member)) throw new Error('set member not found');
  } else if (value instanceof SortedSet) {
    const all = value.rangeByRank(0, value.size - 1);
    if (all.length !== value.size) throw new Error('zset size disagrees with its range');
    for (const [member, score] of all) if (value.score(member) !== score) throw new Error('zset score lookup differs');
    value.validate();
  } else if (value instanceof RedisHash) {
    for (const [field, fieldValue] of value.entries()) if (value.get(field) !== fieldValue) throw new Error('hash field lookup differs');
  } else if (value instanceof RedisStream) {
    const it = value.iterate(MIN_ID, MAX_ID, false);
    let n = 0;
    const fields: string[] = [];
    while (it.next()) {
      fields.length = 0;
      it.fields(fields);
      n++;
    }
    if (n !== value.length) throw new Error('stream length disagrees with its entries');
  }
  const w = new RdbWriter();
  saveObjectType(w, value, fuzzConfig);
  saveObject(w, value, { compress: true, config: fuzzConfig });
  const r = new RdbReader(w.finish());
  const again = loadObject(r, r.type()!, fuzzConfig);
  if (again === null || r.remaining !== 0) throw new Error('a loaded value does not survive its own save');
}

export interface RestoreFuzzReport {
  trials: number;
  loaded: number;
  emptyKeys: number;
  /** RdbCorruptError reasons and how often each came. */
  corrupt: Map<string, number>;
  /** Anything else: a bug. At most 10 kept, with the payload in hex. */
  internal: string[];
  internalCount: number;
  slowestMs: number;
}

/** Loads `trials` mutated payloads; the report counts what became of them. */
export function runRestoreFuzz(seed: number, trials: number): RestoreFuzzReport {
  const rng = new Rng(seed);
  const seeds = seedPayloads();
  const report: RestoreFuzzReport = { trials, loaded: 0, emptyKeys: 0, corrupt: new Map(), internal: [], internalCount: 0, slowestMs: 0 };
  for (let trial = 0; trial < trials; trial++) {
    let payload = seeds[rng.int(0, seeds.length - 1)]!;
    const rounds = rng.chance(0.2) ? rng.int(2, 4) : 1;
    for (let i = 0; i < rounds; i++) payload = mutate(rng, payload, seeds[rng.int(0, seeds.length - 1)]!);
    const started = performance.now();
    try {
      const reader = new RdbReader(payload);
      const type = reader.type();
      const value = type === null ? null : loadObject(reader, type, fuzzConfig);
      if (value === null) report.emptyKeys++;
      else {
        exercise(value);
        report.loaded++;
      }
    } catch (error) {
      if (error instanceof RdbCorruptError) {
        const reason = error.message.replace(/'.*'|\d+/g, '…');
        report.corrupt.set(reason, (report.corrupt.get(reason) ?? 0) + 1);
      } else {
        report.internalCount++;
        if (report.internal.length < 10) report.internal.push(`${String(error)} on ${payload.toString('hex').slice(0, 400)}`);
      }
    }
    const elapsed = performance.now() - started;
    if (elapsed > report.slowestMs) report.slowestMs = elapsed;
  }
  return report;
}

/** A payload with DUMP's footer, as RESTORE takes it. */
export function withFooter(body: Buffer): Buffer {
  return dumpFooter(body);
}
