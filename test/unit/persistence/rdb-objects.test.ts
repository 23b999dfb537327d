/**
 * The RDB object codec on its own: every type and encoding saved and loaded
 * back through reddish's structures, the encodings Redis writes (checked
 * against bytes redis-server 7.0.15 produced), LZF compression, and the
 * integrity checks on corrupt blobs.
 */
import { describe, expect, it } from 'vitest';
import { lzfCompress, lzfDecompress } from '../../../src/persistence/lzf.js';
import { ListpackBuilder, readListpack } from '../../../src/persistence/listpack.js';
import { readIntset, readZiplist, readZipmap, writeIntset } from '../../../src/persistence/compact-encodings.js';
import { RdbReader, RdbWriter } from '../../../src/persistence/rdb-encoding.js';
import { RdbCorruptError, RdbType, loadObject, saveObject, saveObjectType } from '../../../src/persistence/rdb-objects.js';
import { RedisHash } from '../../../src/store/hash.js';
import { QuickList } from '../../../src/store/list.js';
import { RedisSet, setFromMembers } from '../../../src/store/set.js';
import { DEFAULT_ENCODING, typeOf, type EncodingConfig, type Value } from '../../../src/store/types.js';
import { SortedSet } from '../../../src/store/zset.js';
import { CountMinSketch, CuckooFilter, ScalableBloom, TopK } from '../../../src/store/probabilistic/index.js';
import { moduleTypeId, moduleTypeName } from '../../../src/persistence/rdb-modules.js';

const config: EncodingConfig = DEFAULT_ENCODING;

function roundTrip(value: Value, compress = true): { type: number; loaded: Value | null; bytes: Buffer } {
  const w = new RdbWriter();
  saveObjectType(w, value, config);
  saveObject(w, value, { compress, config });
  const bytes = w.finish();
  const r = new RdbReader(bytes);
  const type = r.type()!;
  const loaded = loadObject(r, type, config);
  expect(r.remaining).toBe(0);
  return { type, loaded, bytes };
}

function load(hex: string): Value | null {
  const r = new RdbReader(Buffer.from(hex, 'hex'));
  return loadObject(r, r.type()!, config);
}

function hashOf(entries: Array<[string, string]>): RedisHash {
  const hash = new RedisHash();
  for (const [f, v] of entries) hash.set(f, v, config);
  return hash;
}

function zsetOf(entries: Array<[string, number]>): SortedSet {
  const zset = new SortedSet(config);
  for (const [m, s] of entries) zset.add(m, s);
  return zset;
}

describe('LZF compression', () => {
  it('round-trips through the decompressor and compresses repetitive data', () => {
    const inputs = [
      'a'.repeat(1000),
      'abcabcabcabcabcabcabcabcabcabc',
      Array.from({ length: 500 }, (_, i) => `key:${i % 37}`).join(','),
      'x'.repeat(21) + 'y'.repeat(300) + 'x'.repeat(21),
    ];
    for (const text of inputs) {
      const input = Buffer.from(text, 'latin1');
      const compressed = lzfCompress(input, input.length - 4);
      expect(compressed).not.toBeNull();
      expect(compressed!.length).toBeLessThan(input.length / 2);
      expect(lzfDecompress(compressed!, input.length)?.toString('latin1')).toBe(text);
    }
  });

  it('round-trips random data of many lengths, or says it does not fit', () => {
    let seed = 7;
    const random = (): number => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
    for (let length = 21; length < 3000; length += 37) {
      const input = Buffer.alloc(length);
      // Low-entropy bytes: some matches, some literals.
      for (let i = 0; i < length; i++) input[i] = 97 + Math.floor(random() * (i % 3 === 0 ? 26 : 3));
      const compressed = lzfCompress(input, length - 4);
      if (compressed !== null) expect(lzfDecompress(compressed, length)).toEqual(input);
    }
    expect(lzfCompress(Buffer.from('0123456789abcdefghijklmnopqrstuvwxyz'), 32)).toBeNull();
  });

  it('compresses a 40-byte run exactly as redis-server 7.0.15 does', () => {
    // SET k (40 a's); DUMP k -> 00 c3 09 28 | 01 61 61 e0 1b 00 01 61 61 | footer
    const compressed = lzfCompress(Buffer.from('a'.repeat(40)), 36)!;
    expect(compressed.toString('hex')).toBe('016161e01b00016161');
  });
});

describe('listpack, intset, ziplist, zipmap', () => {
  it('encodes integers and strings as lpAppend does, and reads them back', () => {
    const values = ['0', '127', '128', '-1', '-4096', '4095', '4096', '-32768', '32767', '32768', '8388607', '-8388609', '2147483648', '9223372036854775807', '-9223372036854775808', '9223372036854775808', '01', '-0', '', 'x'.repeat(63), 'y'.repeat(64), 'z'.repeat(4095), 'w'.repeat(4096)];
    const lp = new ListpackBuilder();
    for (const v of values) lp.append(v);
    const blob = lp.finish();
    const entries = readListpack(blob)!;
    expect(entries.map(String)).toEqual(values);
    expect(typeof entries[0]).toBe('number');
    expect(typeof entries[13]).toBe('bigint');
    expect(typeof entries[15]).toBe('string');
  });

  it('refuses a listpack with a wrong size, count, backlen or terminator', () => {
    const lp = new ListpackBuilder();
    lp.append('hello');
    lp.append('42');
    const blob = lp.finish();
    const bad = (mutate: (b: Buffer) => void): Buffer => {
      const copy = Buffer.from(blob);
      mutate(copy);
      return copy;
    };
    expect(readListpack(bad((b) => b.writeUInt32LE(b.length + 1, 0)))).toBeNull();
    expect(readListpack(bad((b) => b.writeUInt16LE(3, 4)))).toBeNull();
    expect(readListpack(bad((b) => (b[b.length - 1] = 0)))).toBeNull();
    expect(readListpack(bad((b) => (b[6 + 6] = 9)))).toBeNull(); // the first entry's backlen
    expect(readListpack(bad((b) => (b[6] = 0xf7)))).toBeNull(); // no such encoding
    expect(readListpack(bad((b) => b.writeUInt16LE(65535, 4)))?.map(String)).toEqual(['hello', '42']);
  });

  it('writes the smallest intset width and refuses unsorted or empty intsets', () => {
    expect(writeIntset(['3', '1', '2']).toString('hex')).toBe('0200000003000000010002000300');
    expect(readIntset(writeIntset(['70000', '-5']))).toEqual(['-5', '70000']);
    expect(readIntset(writeIntset(['9223372036854775807', '1']))).toEqual(['1', '9223372036854775807']);
    expect(readIntset(Buffer.from('0200000002000000020001000', 'hex'))).toBeNull();
    expect(readIntset(Buffer.from('02000000020000000200010000', 'hex').subarray(0, 12))).toBeNull();
    expect(readIntset(Buffer.from('0200000002000000020001000', 'hex'))).toBeNull();
    expect(readIntset(Buffer.from('0200000000000000', 'hex'))).toBeNull();
  });

  it('reads a ziplist (strings and every integer encoding) and a zipmap', () => {
    // A ziplist of "hello", 12 (immediate), 300 (int16), 100000 (int24) built by hand.
    const entries: Buffer[] = [];
    let prev = 0;
    const add = (body: Buffer): void => {
      const entry = Buffer.concat([Buffer.from([prev]), body]);
      entries.push(entry);
      prev = entry.length;
    };
    add(Buffer.concat([Buffer.from([5]), Buffer.from('hello')]));
    add(Buffer.from([0xfd]));
    add(Buffer.from([0xc0, 0x2c, 0x01]));
    add(Buffer.from([0xf0, 0xa0, 0x86, 0x01]));
    const body = Buffer.concat(entries);
    const zl = Buffer.alloc(10 + body.length + 1);
    zl.writeUInt32LE(zl.length, 0);
    zl.writeUInt32LE(10 + body.length - entries[3]!.length, 4);
    zl.writeUInt16LE(4, 8);
    body.copy(zl, 10);
    zl[zl.length - 1] = 0xff;
    expect(readZiplist(zl)).toEqual(['hello', '12', '300', '100000']);
    const wrongTail = Buffer.from(zl);
    wrongTail.writeUInt32LE(10, 4);
    expect(readZiplist(wrongTail)).toBeNull();
    // zipmap: count 1, "f" -> "v" with 0 free bytes.
    expect(readZipmap(Buffer.from([1, 1, 0x66, 1, 0, 0x76, 0xff]))).toEqual(['f', 'v']);
    expect(readZipmap(Buffer.from([2, 1, 0x66, 1, 0, 0x76, 0xff]))).toBeNull();
  });
});

describe('saving and loading values', () => {
  it('strings, integer-encoded and LZF-compressed', () => {
    for (const value of ['', 'hello', '12345', '-2147483648', '9223372036854775807', 'a'.repeat(100), 'é\u0000\u00ff']) {
      const { type, loaded } = roundTrip(value);
      expect(type).toBe(RdbType.string);
      expect(loaded).toBe(value);
    }
    expect(roundTrip('a'.repeat(100)).bytes.length).toBeLessThan(20);
    expect(roundTrip('a'.repeat(100), false).bytes.length).toBe(103);
  });

  it('lists as quicklist 2 of listpacks, split into nodes by list-max-listpack-size', () => {
    const list = new QuickList();
    for (let i = 0; i < 5000; i++) list.pushTail(i % 3 === 0 ? String(i) : `element:${i}`);
    const { type, loaded, bytes } = roundTrip(list, false);
    expect(type).toBe(RdbType.listQuicklist2);
    expect((loaded as QuickList).toArray()).toEqual(list.toArray());
    const nodes = new RdbReader(bytes.subarray(1)).length()!;
    expect(nodes).toBeGreaterThan(5);
  });

  it('sets: intset and hashtable', () => {
    const ints = setFromMembers(['5', '-3', '1000000', '7'], config);
    const a = roundTrip(ints);
    expect(a.type).toBe(RdbType.setIntset);
    expect((a.loaded as RedisSet).encoding()).toBe('intset');
    expect([...(a.loaded as RedisSet).elements()]).toEqual(['-3', '5', '7', '1000000']);
    const mixed = setFromMembers(['a', '1', 'b'.repeat(30)], config);
    const b = roundTrip(mixed);
    expect(b.type).toBe(RdbType.set);
    expect((b.loaded as RedisSet).encoding()).toBe('hashtable');
    expect(new Set((b.loaded as RedisSet).elements())).toEqual(new Set(['a', '1', 'b'.repeat(30)]));
  });

  it('hashes: listpack and hashtable, converted on load as Redis does', () => {
    const small = hashOf([['f1', 'v1'], ['n', '42'], ['empty', '']]);
    const a = roundTrip(small);
    expect(a.type).toBe(RdbType.hashListpack);
    expect([...(a.loaded as RedisHash).entries()]).toEqual([...small.entries()]);
    expect((a.loaded as RedisHash).encoding()).toBe('listpack');
    const big = hashOf(Array.from({ length: 300 }, (_, i): [string, string] => [`field:${i}`, `value:${i}`]));
    const b = roundTrip(big);
    expect(b.type).toBe(RdbType.hash);
    expect((b.loaded as RedisHash).encoding()).toBe('hashtable');
    expect(new Map((b.loaded as RedisHash).entries())).toEqual(new Map(big.entries()));
    const long = hashOf([['f', 'x'.repeat(65)]]);
    expect(roundTrip(long).type).toBe(RdbType.hash);
    expect((roundTrip(long).loaded as RedisHash).encoding()).toBe('hashtable');
  });

  it('sorted sets: listpack (integer and %.17g scores) and skiplist, -0 and infinities kept', () => {
    const small = zsetOf([['a', 1], ['b', 1.5], ['c', -0.1], ['d', Infinity], ['e', -Infinity], ['f', 1e20]]);
    const a = roundTrip(small);
    expect(a.type).toBe(RdbType.zsetListpack);
    expect(ordered(a.loaded as SortedSet)).toEqual(ordered(small));
    const big = zsetOf(Array.from({ length: 200 }, (_, i): [string, number] => [`m${i}`, i / 7]));
    const b = roundTrip(big);
    expect(b.type).toBe(RdbType.zset2);
    expect((b.loaded as SortedSet).encoding(config)).toBe('skiplist');
    expect(ordered(b.loaded as SortedSet)).toEqual(ordered(big));
    const negativeZero = SortedSet.createSkiplist(config);
    negativeZero.add('z', -0);
    for (let i = 0; i < 200; i++) negativeZero.add(`m${i}`, i);
    const c = roundTrip(negativeZero);
    expect(Object.is((c.loaded as SortedSet).score('z'), -0)).toBe(true);
  });
});

function ordered(zset: SortedSet): Array<[string, number]> {
  return zset.rangeByRank(0, zset.size - 1);
}

function listOf(values: string[]): QuickList {
  const list = new QuickList();
  list.pushTail(values);
  return list;
}

/** What saveObjectType + saveObject write, in hex. */
function saved(value: Value): string {
  const w = new RdbWriter();
  saveObjectType(w, value, config);
  saveObject(w, value, { compress: true, config });
  return w.finish().toString('hex');
}

describe('payloads from redis-server 7.0.15', () => {
  // DUMP output, without its 10-byte footer, of values made in redis-server 7.0.15.
  const fromRedis = {
    string: '00c30928016161e01b000161 61',
    list: '12010210100000000300816102816202816302ff',
    intset: '0b0e02000000030000000100020003 00',
    zset: '1114140000000400816102010181620283312e3504ff',
    hash: '10141400000004008266310382763103816e022a01ff',
  };
  const hex = (s: string): string => s.replace(/ /g, '');

  it('writes the same bytes', () => {
    expect(saved('a'.repeat(40))).toBe(hex(fromRedis.string));
    expect(saved(listOf(['a', 'b', 'c']))).toBe(hex(fromRedis.list));
    expect(saved(setFromMembers(['3', '1', '2'], config))).toBe(hex(fromRedis.intset));
    expect(saved(zsetOf([['a', 1], ['b', 1.5]]))).toBe(hex(fromRedis.zset));
    expect(saved(hashOf([['f1', 'v1'], ['n', '42']]))).toBe(hex(fromRedis.hash));
  });

  it('loads each of them', () => {
    expect(load(hex(fromRedis.string))).toBe('a'.repeat(40));
    expect((load(hex(fromRedis.list)) as QuickList).toArray()).toEqual(['a', 'b', 'c']);
    expect([...(load(hex(fromRedis.intset)) as RedisSet).elements()]).toEqual(['1', '2', '3']);
    expect(ordered(load(hex(fromRedis.zset)) as SortedSet)).toEqual([['a', 1], ['b', 1.5]]);
    expect([...(load(hex(fromRedis.hash)) as RedisHash).entries()]).toEqual([['f1', 'v1'], ['n', '42']]);
  });

  it('refuses duplicates and empty collections', () => {
    // A SET (type 2) with the member "a" twice.
    expect(() => load('0202016101 61'.replace(' ', ''))).toThrow(RdbCorruptError);
    // An empty SET: an empty key, not a value.
    expect(load('0200')).toBeNull();
    // A truncated string.
    expect(() => load('000568656c')).toThrow(RdbCorruptError);
  });
});

describe('module values (the probabilistic types)', () => {
  it('round-trip under their RedisBloom type names', () => {
    const bloom = new ScalableBloom(0.01, 100);
    bloom.add('a');
    const cuckoo = new CuckooFilter(1000);
    cuckoo.add('x');
    const cms = CountMinSketch.initByDim(10, 3);
    cms.incrBy('k', 5);
    const topk = TopK.reserve(3, 8, 7, 0.9);
    topk.add('hot');
    for (const value of [bloom, cuckoo, cms, topk]) {
      const { type, loaded, bytes } = roundTrip(value);
      expect(type).toBe(RdbType.module2);
      expect(typeOf(loaded!)).toBe(value.type);
      const reader = new RdbReader(bytes.subarray(1));
      expect(moduleTypeName(reader.length64()!)).toBe(value.type);
    }
    expect((roundTrip(bloom).loaded as ScalableBloom).exists('a')).toBe(true);
    expect((roundTrip(cms).loaded as CountMinSketch).query('k')).toBe(5);
  });

  it("refuses an unknown module type with Redis's reason", () => {
    const w = new RdbWriter();
    w.type(RdbType.module2);
    w.length64(moduleTypeId('Unknown--', 1));
    w.length(0);
    const r = new RdbReader(w.finish());
    expect(() => loadObject(r, r.type()!, config)).toThrow("no matching module type 'Unknown--'");
  });
});
