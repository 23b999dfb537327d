// RdbLoader stages the keys it reads and stores them after the file's EOF
// opcode (see the `staged` field). These check that staging changes nothing
// a user can see: keys, TTLs and databases land as the file says, a
// duplicated key is refused with Redis's message and the keys before it
// stay (rdbLoadRioWithLoadingCtx stops at the bad record), a truncated file
// keeps what came before the cut, and DEBUG RELOAD MERGE's last-one-wins.
import { describe, expect, it } from 'vitest';
import { Keyspace } from '../../../src/store/keyspace.js';
import { DEFAULT_ENCODING } from '../../../src/store/types.js';
import type { FunctionLibraries } from '../../../src/scripting/functions.js';
import { RdbLoader, RdbLoadError, type RdbLoadOptions } from '../../../src/persistence/rdb-file.js';

const noFunctions = {
  loadFromRdb: () => {
    throw new Error('this file has no functions');
  },
} as unknown as FunctionLibraries;

/** An RDB 10 file, built opcode by opcode, with the checksum left at 0 (not checked, as rdbchecksum no would write it). */
class RdbBytes {
  private readonly parts: Buffer[] = [Buffer.from('REDIS0010', 'latin1')];

  private string(text: string): Buffer {
    if (text.length >= 0x40) throw new Error('short strings only');
    return Buffer.concat([Buffer.from([text.length]), Buffer.from(text, 'latin1')]);
  }

  select(db: number): this {
    this.parts.push(Buffer.from([0xfe, db]));
    return this;
  }

  set(key: string, value: string, expireAtMs?: number): this {
    if (expireAtMs !== undefined) {
      const at = Buffer.alloc(9);
      at[0] = 0xfc;
      at.writeBigInt64LE(BigInt(expireAtMs), 1);
      this.parts.push(at);
    }
    this.parts.push(Buffer.from([0]), this.string(key), this.string(value));
    return this;
  }

  /** The whole file, or the first `cut` bytes of it. */
  bytes(cut?: number): Buffer {
    const whole = Buffer.concat([...this.parts, Buffer.from([0xff]), Buffer.alloc(8)]);
    return cut === undefined ? whole : whole.subarray(0, cut);
  }
}

function load(keyspace: Keyspace, data: Buffer, options: Partial<RdbLoadOptions> = {}): RdbLoader {
  keyspace.now = Date.now(); // as Snapshots.loader sets it
  const loader = new RdbLoader({ keyspace, functions: noFunctions, encoding: { ...DEFAULT_ENCODING } }, data, {
    dropExpired: true,
    verifyChecksum: true,
    maxmemoryPolicy: 'noeviction',
    ...options,
  });
  loader.loadAll();
  return loader;
}

function loadError(keyspace: Keyspace, data: Buffer): RdbLoadError {
  try {
    load(keyspace, data);
  } catch (error) {
    if (error instanceof RdbLoadError) return error;
    throw error;
  }
  throw new Error('the file loaded');
}

function entries(keyspace: Keyspace, db: number): Array<[string, unknown, number | undefined]> {
  const database = keyspace.databases[db]!;
  return database.dict
    .keys()
    .sort()
    .map((key) => [key, database.dict.get(key), database.expires.get(key)]);
}

describe('RdbLoader', () => {
  const future = Date.now() + 3_600_000;

  it('stores every key in the database its SELECTDB named, with its TTL, across many staging chunks', () => {
    const file = new RdbBytes().select(0);
    for (let i = 0; i < 10_000; i++) file.set(`a${i}`, `v${i}`, i % 7 === 0 ? future + i : undefined);
    file.select(3);
    for (let i = 0; i < 5_000; i++) file.set(`b${i}`, `w${i}`, i % 5 === 0 ? future - i : undefined);
    file.select(0).set('last', 'one');
    const keyspace = new Keyspace(16);
    const loader = load(keyspace, file.bytes());
    expect(loader.result.keysLoaded).toBe(15_001);
    const db0 = keyspace.databases[0]!;
    const db3 = keyspace.databases[3]!;
    expect(db0.dict.size).toBe(10_001);
    expect(db3.dict.size).toBe(5_000);
    for (let i = 0; i < 10_000; i++) {
      expect(db0.dict.get(`a${i}`)).toBe(`v${i}`);
      expect(db0.expires.get(`a${i}`)).toBe(i % 7 === 0 ? future + i : undefined);
    }
    for (let i = 0; i < 5_000; i++) {
      expect(db3.dict.get(`b${i}`)).toBe(`w${i}`);
      expect(db3.expires.get(`b${i}`)).toBe(i % 5 === 0 ? future - i : undefined);
    }
    expect(db0.dict.get('last')).toBe('one');
    expect(db0.expires.size + db3.expires.size).toBe(Math.ceil(10_000 / 7) + 5_000 / 5);
  });

  it("refuses a duplicated key with Redis's message and keeps the keys before it, not those after", () => {
    const file = new RdbBytes().select(0).set('k1', 'a').set('k2', 'b').select(2).set('x', '1').set('x', '2').set('after', 'z');
    const keyspace = new Keyspace(16);
    const error = loadError(keyspace, file.bytes());
    expect(error.logLines).toEqual(["RDB has duplicated key 'x' in DB 2", 'Duplicated key found in RDB file']);
    expect(entries(keyspace, 0)).toEqual([['k1', 'a', undefined], ['k2', 'b', undefined]]);
    // Which copy of x is left is moot: Redis panics here (serverPanic), and reddish's callers stop.
    expect(keyspace.databases[2]!.dict.keys()).toEqual(['x']);
  });

  it('a duplicate before a corrupt record is the error reported', () => {
    const good = new RdbBytes().select(0).set('k', 'a').set('k', 'b').set('m', 'c');
    const keyspace = new Keyspace(16);
    const error = loadError(keyspace, good.bytes(good.bytes().length - 12));
    expect(error.logLines[0]).toBe("RDB has duplicated key 'k' in DB 0");
  });

  it('a truncated file is refused as a short read, and the keys before the cut stay', () => {
    const file = new RdbBytes().select(0).set('one', '1').set('two', '2', future).set('three', '3');
    const whole = file.bytes();
    const keyspace = new Keyspace(16);
    const error = loadError(keyspace, whole.subarray(0, whole.length - 9 - 4));
    expect(error.logLines[0]).toBe('Short read or OOM loading DB. Unrecoverable error, aborting now.');
    expect(entries(keyspace, 0)).toEqual([['one', '1', undefined], ['two', '2', future]]);
  });

  it('MERGE: the last copy of a key in the file wins, and a copy without TTL clears the TTL', () => {
    const keyspace = new Keyspace(16);
    keyspace.databases[0]!.add('k', 'old');
    keyspace.databases[0]!.expires.set('k', future);
    const file = new RdbBytes().select(0).set('k', 'first', future + 1).set('k', 'second').set('j', 'x', future + 2).set('j', 'y', future + 3);
    load(keyspace, file.bytes(), { allowDuplicates: true });
    expect(entries(keyspace, 0)).toEqual([['j', 'y', future + 3], ['k', 'second', undefined]]);
  });

  it('keys whose TTL has passed are dropped unless dropExpired is false', () => {
    const file = new RdbBytes().select(0).set('gone', 'x', Date.now() - 1000).set('kept', 'y');
    const dropped = new Keyspace(16);
    expect(load(dropped, file.bytes()).result.keysExpired).toBe(1);
    expect(entries(dropped, 0).map((e) => e[0])).toEqual(['kept']);
    const preamble = new Keyspace(16);
    load(preamble, file.bytes(), { dropExpired: false });
    expect(entries(preamble, 0).map((e) => e[0])).toEqual(['gone', 'kept']);
  });

  it('loads in slices: step() with a past deadline makes progress and finishes', () => {
    const file = new RdbBytes().select(0);
    for (let i = 0; i < 20_000; i++) file.set(`k${i}`, `v${i}`);
    const keyspace = new Keyspace(16);
    const loader = new RdbLoader({ keyspace, functions: noFunctions, encoding: { ...DEFAULT_ENCODING } }, file.bytes(), {
      dropExpired: true,
      verifyChecksum: true,
      maxmemoryPolicy: 'noeviction',
    });
    let steps = 0;
    while (!loader.step(0)) steps++;
    expect(steps).toBeGreaterThan(10);
    expect(keyspace.databases[0]!.dict.size).toBe(20_000);
    expect(keyspace.databases[0]!.dict.get('k19999')).toBe('v19999');
  });
});
