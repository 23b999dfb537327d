/**
 * Random bitmap and HyperLogLog command generator for differential runs:
 * bitmaps, HLLs, plain strings and a few lists and sets share a small key
 * pool, so SETBIT lands on HLLs (corrupting them in arbitrary ways), PFADD
 * meets bitmaps, and every command meets WRONGTYPE.
 */
import type { Rng } from '../helpers/random.js';
import type { Command } from '../helpers/resp-client.js';
import { anyCase } from './pools.js';

const KEYS: readonly string[] = ['bm', 'bm2', 'h1', 'h2', 'h3', 'k', 'x\x00y', '\xffz'];

const HLL_HEADER = 'HYLL\x01\0\0\0' + '\0'.repeat(7) + '\x80';
/** Strings that are, or almost are, HLLs: empty, corrupted sparse opcodes, bad headers. */
const HLL_LIKE: readonly string[] = [
  HLL_HEADER + '\x7f\xff',
  HLL_HEADER + '\x5f\xff',
  HLL_HEADER + '\x7f\xff\x80',
  HLL_HEADER + '\x7f',
  HLL_HEADER + '\x40\x00\x7f\xfe\x00',
  HLL_HEADER + '\xfc' + '\x7f\xfd',
  'HYLL\x00\0\0\0' + '\0'.repeat(8),
  'HYLL\x02\0\0\0' + '\0'.repeat(8) + '\x7f\xff',
  'HYLL',
];

const VALUES: readonly string[] = ['', 'a', 'foobar', '\x00', '\xff\xff', '\x0f\xf0', '\x80\x00\x01', 'x'.repeat(40), '12345', ...HLL_LIKE];

const BIT_OFFSETS: readonly string[] = ['0', '1', '7', '8', '15', '63', '64', '100', '1000', '12345', '80000'];
const BAD_BIT_OFFSETS: readonly string[] = ['-1', '4294967296', 'x', '', '1.5', '#1', ' 1', '01', '9223372036854775808'];
const INDEXES: readonly string[] = [
  '0', '1', '2', '3', '5', '7', '8', '13', '100', '-1', '-2', '-3', '-8', '-9', '-100',
  '9223372036854775807', '-9223372036854775808', 'x', '',
];
const BITFIELD_TYPES: readonly string[] = ['u1', 'i1', 'u2', 'i3', 'u4', 'i5', 'u8', 'i8', 'u16', 'i16', 'u31', 'i32', 'u63', 'i64'];
const BAD_BITFIELD_TYPES: readonly string[] = ['u64', 'i65', 'i0', 'I8', 'x8', 'i', 'i08'];
const BITFIELD_VALUES: readonly string[] = [
  '0', '1', '-1', '2', '7', '-8', '100', '127', '128', '-128', '255', '256', '65535', '-32769',
  '9223372036854775807', '-9223372036854775808', '4611686018427387904', 'x', '1.5',
];

/** Elements that keep landing in the same registers, plus fresh ones. */
function hllElement(rng: Rng): string {
  return rng.chance(0.7) ? `e${rng.int(0, 300)}` : rng.binaryString(rng.int(0, 6));
}

function pickKeys(rng: Rng, min: number, max: number): string[] {
  return Array.from({ length: rng.int(min, max) }, () => rng.pick(KEYS));
}

function bitOffset(rng: Rng): string {
  if (rng.chance(0.08)) return rng.pick(BAD_BIT_OFFSETS);
  return rng.chance(0.5) ? String(rng.int(0, 200)) : rng.pick(BIT_OFFSETS);
}

function bitcount(rng: Rng): Command {
  const args = [anyCase(rng, 'BITCOUNT'), rng.pick(KEYS)];
  const shape = rng.weighted([[0, 3], [2, 6], [3, 4], [1, 0.5], [4, 0.5]] as const);
  if (shape >= 1) args.push(rng.pick(INDEXES));
  if (shape >= 2) args.push(rng.pick(INDEXES));
  if (shape >= 3) args.push(anyCase(rng, rng.pick(['BYTE', 'BIT', 'BIT', 'FOO'])));
  if (shape >= 4) args.push('x');
  return args;
}

function bitpos(rng: Rng): Command {
  const args = [anyCase(rng, 'BITPOS'), rng.pick(KEYS), rng.chance(0.95) ? rng.pick(['0', '1']) : rng.pick(['2', '-1', 'x'])];
  const shape = rng.weighted([[0, 3], [1, 3], [2, 4], [3, 4], [4, 0.5]] as const);
  if (shape >= 1) args.push(rng.pick(INDEXES));
  if (shape >= 2) args.push(rng.pick(INDEXES));
  if (shape >= 3) args.push(anyCase(rng, rng.pick(['BYTE', 'BIT', 'BIT', 'FOO'])));
  if (shape >= 4) args.push('x');
  return args;
}

function bitop(rng: Rng): Command {
  const op = rng.weighted([['AND', 3], ['OR', 3], ['XOR', 3], ['NOT', 3], ['NAND', 0.3]] as const);
  const sources = op === 'NOT' && rng.chance(0.9) ? 1 : rng.int(1, 4);
  return [anyCase(rng, 'BITOP'), anyCase(rng, op), rng.pick(KEYS), ...pickKeys(rng, sources, sources)];
}

function bitfieldOffset(rng: Rng): string {
  if (rng.chance(0.05)) return rng.pick([...BAD_BIT_OFFSETS.filter((o) => o !== '#1'), '#-1', '#4294967296', '#6148914691236517206']);
  if (rng.chance(0.2)) return `#${rng.int(0, 20)}`;
  return String(rng.int(0, 300));
}

function bitfield(rng: Rng, readonly: boolean): Command {
  const args: string[] = [anyCase(rng, readonly ? 'BITFIELD_RO' : 'BITFIELD'), rng.pick(KEYS)];
  for (let ops = rng.int(0, 4); ops > 0; ops--) {
    const op = readonly && rng.chance(0.9) ? 'GET' : rng.weighted([['GET', 3], ['SET', 3], ['INCRBY', 4], ['OVERFLOW', 2], ['FOO', 0.1]] as const);
    args.push(anyCase(rng, op));
    if (op === 'FOO') continue;
    if (op === 'OVERFLOW') {
      args.push(anyCase(rng, rng.chance(0.97) ? rng.pick(['WRAP', 'SAT', 'FAIL']) : 'BOUNCE'));
      continue;
    }
    // Now and then an operation ends early: a syntax error.
    if (rng.chance(0.02)) break;
    args.push(rng.chance(0.96) ? rng.pick(BITFIELD_TYPES) : rng.pick(BAD_BITFIELD_TYPES), bitfieldOffset(rng));
    if (op !== 'GET') args.push(rng.pick(BITFIELD_VALUES));
  }
  return args;
}

function wrongArity(rng: Rng): Command {
  const [name, argc] = rng.pick([
    ['SETBIT', 3], ['SETBIT', 5], ['GETBIT', 2], ['GETBIT', 4], ['BITCOUNT', 1], ['BITPOS', 2],
    ['BITOP', 3], ['BITFIELD', 1], ['BITFIELD_RO', 1], ['PFADD', 1], ['PFCOUNT', 1], ['PFMERGE', 1],
  ] as const);
  return [anyCase(rng, name), ...pickKeys(rng, argc - 1, argc - 1)];
}

/** Returns a generator of bitmap, HLL and string commands over the shared keys. */
export function createBitmapHllGenerator(): (rng: Rng) => Command {
  return (rng) => {
    const kind = rng.weighted([
      ['SETBIT', 14], ['GETBIT', 5], ['BITCOUNT', 6], ['BITPOS', 6], ['BITOP', 4], ['BITFIELD', 8], ['BITFIELD_RO', 2],
      ['PFADD', 12], ['PFADD-many', 1], ['PFCOUNT', 7], ['PFMERGE', 4], ['CONFIG', 0.3],
      ['SET', 5], ['GET', 5], ['APPEND', 2], ['STRLEN', 2], ['DEL', 3],
      ['LPUSH', 1], ['SADD', 1], ['wrong-arity', 1],
      // Bit and HLL writes leave a `raw` string (Redis unshares or creates one), whatever its length.
      ['OBJECT', 3],
    ] as const);
    const key = rng.pick(KEYS);
    const cmd = (name: string): string => anyCase(rng, name);
    switch (kind) {
      case 'SETBIT': {
        const value = rng.chance(0.95) ? rng.pick(['0', '1']) : rng.pick(['2', '-1', 'x', '']);
        return [cmd('SETBIT'), key, bitOffset(rng), value];
      }
      case 'GETBIT': return [cmd('GETBIT'), key, bitOffset(rng)];
      case 'BITCOUNT': return bitcount(rng);
      case 'BITPOS': return bitpos(rng);
      case 'BITOP': return bitop(rng);
      case 'BITFIELD': return bitfield(rng, false);
      case 'BITFIELD_RO': return bitfield(rng, true);
      case 'PFADD': return [cmd('PFADD'), key, ...Array.from({ length: rng.int(0, 6) }, () => hllElement(rng))];
      // Enough elements to fill many registers and push sparse HLLs towards dense.
      case 'PFADD-many': return [cmd('PFADD'), key, ...Array.from({ length: rng.int(50, 400) }, (_, i) => `m${rng.int(0, 5000)}:${i}`)];
      case 'PFCOUNT': return [cmd('PFCOUNT'), ...pickKeys(rng, 1, 3)];
      case 'PFMERGE': return [cmd('PFMERGE'), key, ...pickKeys(rng, 0, 3)];
      case 'CONFIG': return ['CONFIG', 'SET', 'hll-sparse-max-bytes', rng.pick(['0', '30', '300', '3000'])];
      case 'SET': return [cmd('SET'), key, rng.pick(VALUES)];
      case 'GET': return [cmd('GET'), key];
      case 'APPEND': return [cmd('APPEND'), key, rng.pick(VALUES)];
      case 'STRLEN': return [cmd('STRLEN'), key];
      case 'DEL': return [cmd('DEL'), ...pickKeys(rng, 1, 2)];
      case 'LPUSH': return [cmd('LPUSH'), key, 'x'];
      case 'SADD': return [cmd('SADD'), key, 'x'];
      case 'wrong-arity': return wrongArity(rng);
      case 'OBJECT': return [cmd('OBJECT'), 'ENCODING', key];
    }
  };
}
