/**
 * XXH3_64bits (seed 0, default secret), the hash behind Redis 8.4's DIGEST.
 * Expected values were computed with libxxhash 0.8.1's XXH3_64bits (the
 * library Redis 8.4 vendors as deps/xxhash), one input per length class
 * of the algorithm: 0, 1-3, 4-8, 9-16, 17-128, 129-240 and the long,
 * striped path past 240 bytes (more than one 1024-byte block).
 */
import { describe, expect, it } from 'vitest';
import { xxh3 } from '../../../src/store/xxh3.js';

const hex = (input: Buffer): string => xxh3(input).toString(16);

describe('xxh3', () => {
  it('matches libxxhash on every length class', () => {
    expect(hex(Buffer.alloc(0))).toBe('2d06800538d394c2');
    expect(hex(Buffer.from('a'))).toBe('e6c632b61e964e1f');
    expect(hex(Buffer.from('hello'))).toBe('9555e8555c62dcfd');
    expect(hex(Buffer.from('12345'))).toBe('f34099ede96b5581');
    expect(hex(Buffer.from('hello world!'))).toBe('e155d613728f4b18');
    expect(hex(Buffer.from('x'.repeat(40)))).toBe('22822823e92f81cc');
    expect(hex(Buffer.from('x'.repeat(100)))).toBe('c90984ffdf50ce42');
    expect(hex(Buffer.from('y'.repeat(200)))).toBe('78c5ae5cf7b1237e');
    const long = Buffer.alloc(1280);
    for (let i = 0; i < long.length; i++) long[i] = i & 0xff;
    expect(hex(long)).toBe('4844b009e164352e');
  });
});
