/**
 * Request streams at the protocol's edges, sent byte for byte to reddish and
 * to a real redis-server, one connection each (closed by us once the input
 * is out, so each server's whole answer is known): unfinished header lines,
 * lengths outside int64, NUL bytes that Redis's strchr stops at, and
 * headers that announce more than ever arrives.
 */
import { describe, expect, it } from 'vitest';
import { escapeBytes } from '../helpers/resp-client.js';
import { exchange } from '../fuzz/wire.js';
import { redisAvailable, useDifferentialTargets } from './targets.js';

const INLINE_MAX_SIZE = 64 * 1024;

/** An input as the writes that carry it, sent a few ms apart so that each is a read of its own. */
const cases: Array<[label: string, parts: string[]]> = [
  ['an invalid header line whose CR comes later', ['*2\r\n$4\r\nECHO\r\nxyz', '\r\n']],
  ['an invalid header line that ends with its CR', ['*2\r\n$4\r\nECHO\r\nxyz\r', '\n']],
  ['an empty bulk length line split after its CR', ['PING\r\n*1\r\n\r', '\n']],
  ['a count below int64', ['*-9223372036854775809\r\nPING\r\n']],
  ['int64\'s smallest count', ['*-9223372036854775808\r\nPING\r\n']],
  ['a count above int64', ['*9223372036854775808\r\nPING\r\n']],
  ['a bulk length below int64', ['*1\r\n$-9223372036854775809\r\n']],
  ['a bulk length above int64, split', ['*1\r\n$92233720368547', '75808\r\n']],
  ['30 million announced elements, none sent', ['*30000000\r\n']],
  ['30 million announced elements, two sent', ['*30000000\r\n$4\r\nECHO\r\n', '$1\r\nx\r\n']],
  ['a NUL inside a finished bulk', ['*2\r\n$4\r\nECHO\r\n$3\r\na\x00b\r\nPING\r\n']],
  ['a NUL in an inline line', ['PING\x00\r\nPING\r\n']],
  ['a NUL first', ['\x00PING\r\n']],
  ['a NUL in a count line', ['*1\x00\r\n$4\r\nPING\r\n']],
  ['a NUL in a bulk length line', ['PING\r\n*1\r\n$4\x00\r\nPING\r\n']],
  ['a NUL in a bulk length line, then 64 KB', ['PING\r\n*1\r\n$4\x00\r\nPING\r\n', 'x'.repeat(INLINE_MAX_SIZE)]],
  ['a NUL in an inline line, then 64 KB', ['PING\x00\r\n', 'x'.repeat(INLINE_MAX_SIZE)]],
  ['a NUL in a count line, then exactly 64 KB in all', ['*1\x00\r\n', 'x'.repeat(INLINE_MAX_SIZE - 5)]],
];

describe.skipIf(!redisAvailable('protocol edges'))('differential: protocol edges', () => {
  const targets = useDifferentialTargets();

  it.each(cases)('answers %s as redis-server does', async (_label, parts) => {
    const bytes = parts.map((part) => Buffer.from(part, 'latin1'));
    const [ours, theirs] = await Promise.all([
      exchange(targets.candidate, bytes, { gapMs: 20 }),
      exchange(targets.reference, bytes, { gapMs: 20 }),
    ]);
    expect(ours.timedOut || theirs.timedOut).toBe(false);
    expect(escapeBytes(ours.reply)).toBe(escapeBytes(theirs.reply));
  });
});
