/**
 * The size model behind MEMORY USAGE and used_memory: jemalloc's classes,
 * Redis's string encodings, and a container's figure following its size.
 * (The byte-for-byte agreement with redis-server is checked in
 * test/differential/memory.test.ts.)
 */
import { describe, expect, it } from 'vitest';
import { dictSlots, mallocSize, objectComputeSize, remeasureDue, sdsSize, stringObjectSize } from '../../../src/store/memory-usage.js';
import { RedisHash } from '../../../src/store/hash.js';
import { DEFAULT_ENCODING, RAW_STRING_ENCODING, EMBSTR_STRING_ENCODING, type EncodingConfig } from '../../../src/store/types.js';
import { RedisSet } from '../../../src/store/set.js';
import { QuickList } from '../../../src/store/list.js';

const config: EncodingConfig = DEFAULT_ENCODING;

describe('mallocSize', () => {
  it("rounds to jemalloc's size classes", () => {
    const cases: Array<[number, number]> = [
      [1, 8], [8, 8], [9, 16], [24, 32], [33, 48], [128, 128], [129, 160], [161, 192], [257, 320],
      [1025, 1280], [4097, 5120], [16385, 20480], [1 << 20, 1 << 20], [(1 << 20) + 1, (1 << 20) + (1 << 18)],
    ];
    for (const [n, size] of cases) expect(mallocSize(n), String(n)).toBe(size);
  });
});

describe('strings', () => {
  it('int, embstr and raw as tryObjectEncoding stores them', () => {
    expect(stringObjectSize('12345', 0)).toBe(16);
    expect(stringObjectSize('-9223372036854775808', 0)).toBe(16);
    // One past LLONG_MAX is not an integer: a 19-character embstr.
    expect(stringObjectSize('9223372036854775808', 0)).toBe(mallocSize(16 + 3 + 19 + 1));
    expect(stringObjectSize('007', 0)).toBe(32);
    expect(stringObjectSize('x'.repeat(44), 0)).toBe(64);
    expect(stringObjectSize('x'.repeat(45), 0)).toBe(16 + sdsSize(45));
    // Built in place (APPEND, SETRANGE): raw whatever its length; INCRBYFLOAT's: never int.
    expect(stringObjectSize('abc', RAW_STRING_ENCODING)).toBe(16 + 8);
    expect(stringObjectSize('1.5', EMBSTR_STRING_ENCODING)).toBe(32);
    expect(stringObjectSize('12', EMBSTR_STRING_ENCODING)).toBe(32);
  });
});

describe('containers', () => {
  it("a hashtable set grows with its members, sampled: the figure is the sample's average times the count", () => {
    const set = new RedisSet();
    for (let i = 0; i < 1000; i++) set.add(`member:${String(i).padStart(4, '0')}`, config);
    // 16 (robj) + 56 (dict) + 1024 buckets, then 1000 x (24 + 16) for the entries and their 11-byte sds.
    expect(objectComputeSize(set, 0, 5, config)).toBe(16 + 56 + 8 * 1024 + 1000 * 40);
    expect(objectComputeSize(set, 0, 0, config)).toBe(16 + 56 + 8 * 1024 + 1000 * 40);
    expect(dictSlots(1000)).toBe(1024);
  });

  it('a list is counted by 8 KB quicklist nodes', () => {
    const list = new QuickList();
    for (let i = 0; i < 10000; i++) list.pushTail('x'.repeat(30));
    const size = objectComputeSize(list, 0, 5, config);
    // 32 bytes an entry (1 + 30 + 1), 255 entries a node: 40 nodes of 40 + 8192 bytes.
    expect(size).toBe(16 + 40 + 40 * (40 + mallocSize(7 + 32 * 255)));
  });
});

describe('remeasureDue', () => {
  it('a container of up to 128 elements is measured after every change', () => {
    const list = new QuickList();
    for (let i = 0; i < 128; i++) {
      list.pushTail(`e${i}`);
      expect(remeasureDue(list), `at ${i + 1}`).toBe(true);
    }
  });

  it('past 128, once its size has moved by a sixteenth since it was last measured, either way', () => {
    const hash = new RedisHash();
    for (let i = 0; i < 1600; i++) hash.set(`f${i}`, 'v', config);
    // Never measured: due whatever its size.
    expect(remeasureDue(hash)).toBe(true);
    expect(hash.measuredSize).toBe(1600);
    for (let i = 1600; i < 1706; i++) {
      hash.set(`f${i}`, 'v', config);
      expect(remeasureDue(hash), `at ${i + 1}`).toBe(false);
    }
    hash.set('f1706', 'v', config);
    // 107 more: 107 * 16 >= 1707 (106 * 16 < 1706 was not).
    expect(remeasureDue(hash)).toBe(true);
    expect(hash.measuredSize).toBe(1707);
    for (let i = 0; i < 100; i++) {
      hash.delete(`f${i}`);
      expect(remeasureDue(hash), `after ${i + 1} deleted`).toBe(false);
    }
    hash.delete('f100');
    // 101 fewer: 101 * 16 >= 1606.
    expect(remeasureDue(hash)).toBe(true);
  });

  it('a set is measured the same way, and a type without a remembered size every time', () => {
    const set = new RedisSet();
    for (let i = 0; i < 200; i++) set.add(`m${i}`, config);
    expect(remeasureDue(set)).toBe(true);
    set.add('one-more', config);
    expect(remeasureDue(set)).toBe(false);
    expect(remeasureDue('a string')).toBe(true);
  });
});
