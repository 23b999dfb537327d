/**
 * StreamNode's packed entry format on its own: IDs stored as deltas (the
 * inline ms delta and its escape, the seq as a delta to the master's when
 * the ms is the master's), strings stored as text or as integers, flags
 * set in place. Every entry must read back exactly as it was appended,
 * through the iterator both ways, and deleted entries must be skipped.
 */
import { describe, expect, it } from 'vitest';
import { RedisStream } from '../../../src/store/stream/stream.js';
import { MAX_ID, MIN_ID, formatId, idFromWords, parseId } from '../../../src/store/stream/stream-id.js';
import { DEFAULT_ENCODING, type EncodingConfig } from '../../../src/store/types.js';
import { Rng } from '../../helpers/random.js';

/** Redis's defaults; only the stream limits matter here. */
const config: EncodingConfig = DEFAULT_ENCODING;

/** Strings near the integer encoding's edges, and ordinary text. */
const VALUES = ['0', '00', '042', '7', '-1', '+1', '', ' 1', '1 ', '999999999999999', '1000000000000000', '123456789012', '9223372036854775807', '18446744073709551616', 'e45', 'x'.repeat(70), '\xff\x00', '12a'];

function id(text: string): string {
  return parseId(text, false, true)!.id;
}

function readAll(stream: RedisStream, rev: boolean): Array<[string, string[]]> {
  const out: Array<[string, string[]]> = [];
  const it = stream.iterate(MIN_ID, MAX_ID, rev);
  while (it.next()) out.push([formatId(it.id), it.fields([])]);
  return out;
}

describe('StreamNode packed entries', () => {
  it('reads back IDs across the ms delta and seq encodings', () => {
    const stream = new RedisStream();
    const ids = ['5-0', '5-1', '5-200', '6-0', '67-3', '68-0', '68-1', '1000000-0', '1000000-99999999999', '4294967296-0', '4294967297-5',
      '18446744073709551614-0', '18446744073709551615-18446744073709551614', '18446744073709551615-18446744073709551615'];
    const expected: Array<[string, string[]]> = [];
    ids.forEach((text, i) => {
      const pairs = ['f', VALUES[i % VALUES.length]!];
      expect(stream.append(id(text), pairs, 0, config)).toBeNull();
      expected.push([text, pairs]);
    });
    expect(readAll(stream, false)).toEqual(expected);
    expect(readAll(stream, true)).toEqual([...expected].reverse());
  });

  it('keeps every value, with the master fields or not, and skips deleted entries', () => {
    const rng = new Rng(11);
    const stream = new RedisStream();
    const expected = new Map<string, string[]>();
    let ms = 1;
    let seq = 0;
    for (let i = 0; i < 3000; i++) {
      const roll = rng.next();
      if (roll < 0.5) seq++;
      else {
        ms += roll < 0.8 ? rng.int(1, 62) : rng.int(63, 100000);
        seq = rng.int(0, 300);
      }
      const entryId = idFromWords(0, ms, 0, seq);
      const pairs = rng.chance(0.8) ? ['event', rng.pick(VALUES), 'value', String(rng.int(0, 2000000))] : [rng.pick(VALUES), rng.pick(VALUES)];
      expect(stream.append(entryId, pairs, 0, config)).toBeNull();
      expected.set(formatId(entryId), pairs);
    }
    for (const text of [...expected.keys()]) {
      if (rng.chance(0.2)) {
        expect(stream.deleteEntry(id(text))).toBe(true);
        expected.delete(text);
      }
    }
    expect(readAll(stream, false)).toEqual([...expected.entries()]);
    expect(readAll(stream, true)).toEqual([...expected.entries()].reverse());
    // A bounded range starting and ending between entries.
    const keys = [...expected.keys()];
    const from = keys[100]!;
    const to = keys[160]!;
    const it = stream.iterate(id(from), id(to), false);
    const got: string[] = [];
    while (it.next()) got.push(formatId(it.id));
    expect(got).toEqual(keys.slice(100, 161));
  });
});
