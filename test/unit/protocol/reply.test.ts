import { describe, expect, it } from 'vitest';
import { ReplyWriter } from '../../../src/protocol/reply.js';

function written(build: (r: ReplyWriter) => void, protocol: 2 | 3 = 2): string {
  const r = new ReplyWriter();
  r.protocol = protocol;
  build(r);
  const out = r.take();
  if (out === null) return '';
  return typeof out === 'string' ? out : out.map((p) => (typeof p === 'string' ? p : p.latin1Slice())).join('');
}

describe('ReplyWriter', () => {
  it.each<[string, (r: ReplyWriter) => void, string, string]>([
    ['null bulk', (r) => r.nullBulk(), '$-1\r\n', '_\r\n'],
    ['null array', (r) => r.nullArray(), '*-1\r\n', '_\r\n'],
    ['map', (r) => (r.mapHeader(2), r.bulk('a'), r.integer(1), r.bulk('b'), r.integer(2)), '*4\r\n$1\r\na\r\n:1\r\n$1\r\nb\r\n:2\r\n', '%2\r\n$1\r\na\r\n:1\r\n$1\r\nb\r\n:2\r\n'],
    ['set', (r) => (r.setHeader(1), r.bulk('x')), '*1\r\n$1\r\nx\r\n', '~1\r\n$1\r\nx\r\n'],
    ['double', (r) => r.double(1.5), '$3\r\n1.5\r\n', ',1.5\r\n'],
    ['infinite double', (r) => r.double(-Infinity), '$4\r\n-inf\r\n', ',-inf\r\n'],
    ['boolean', (r) => r.bool(true), ':1\r\n', '#t\r\n'],
    ['big number', (r) => r.bigNumber('12345678901234567890'), '$20\r\n12345678901234567890\r\n', '(12345678901234567890\r\n'],
    ['verbatim', (r) => r.verbatim('hi'), '$2\r\nhi\r\n', '=6\r\ntxt:hi\r\n'],
    ['push', (r) => (r.pushHeader(1), r.bulk('m')), '*1\r\n$1\r\nm\r\n', '>1\r\n$1\r\nm\r\n'],
    ['bulk with binary', (r) => r.bulk('\x00\xff\r\n'), '$4\r\n\x00\xff\r\n\r\n', '$4\r\n\x00\xff\r\n\r\n'],
    ['array of bulks or nulls', (r) => r.bulkOrNullArray(['a', null]), '*2\r\n$1\r\na\r\n$-1\r\n', '*2\r\n$1\r\na\r\n_\r\n'],
    ['integer', (r) => r.integer(-9223372036854775808n), ':-9223372036854775808\r\n', ':-9223372036854775808\r\n'],
  ])('encodes %s in RESP2 and RESP3', (_name, build, resp2, resp3) => {
    expect(written(build, 2)).toBe(resp2);
    expect(written(build, 3)).toBe(resp3);
  });

  it('turns CR and LF inside an error into spaces and counts it', () => {
    const r = new ReplyWriter();
    r.error('ERR bad\r\nthing');
    expect(r.take()).toBe('-ERR bad  thing\r\n');
    expect(r.errorCount).toBe(1);
    expect(r.lastErrorCode).toBe('ERR');
  });

  it('spills very large replies into parts without losing bytes', () => {
    const big = 'x'.repeat(9 * 1024 * 1024);
    const text = written((r) => {
      r.integer(1);
      r.bulk(big);
      r.integer(2);
    });
    expect(text).toBe(':1\r\n$' + big.length + '\r\n' + big + '\r\n:2\r\n');
  });

  it('is empty after take()', () => {
    const r = new ReplyWriter();
    r.integer(1);
    r.take();
    expect(r.isEmpty).toBe(true);
    expect(r.take()).toBeNull();
  });
});

describe('ReplyWriter silenced (CLIENT REPLY OFF / SKIP)', () => {
  it('keeps what was written before, drops what is written after, and sends pushes', () => {
    const text = written((r) => {
      r.integer(1);
      r.silence(true);
      r.bulk('dropped');
      r.error('ERR dropped too');
      r.push('>2\r\n$1\r\na\r\n$1\r\nb\r\n');
      r.arrayHeader(0);
      const wasSilenced = r.beginPush();
      r.pushHeader(1);
      r.integer(7);
      r.endPush(wasSilenced);
      r.simple('dropped');
      r.silence(false);
      r.integer(2);
    }, 3);
    expect(text).toBe(':1\r\n>2\r\n$1\r\na\r\n$1\r\nb\r\n>1\r\n:7\r\n:2\r\n');
  });

  it('still counts the errors it drops (INFO errorstats)', () => {
    const r = new ReplyWriter();
    r.silence(true);
    r.error('WRONGTYPE nope');
    expect(r.errorCount).toBe(1);
    expect(r.lastErrorCode).toBe('WRONGTYPE');
    expect(r.take()).toBeNull();
    expect(r.isEmpty).toBe(true);
  });

  it('reports only what will be sent as pending, and drops a spilling reply whole', () => {
    const r = new ReplyWriter();
    r.integer(1);
    r.silence(true);
    r.bulk('x'.repeat(9 * 1024 * 1024));
    expect(r.pendingSize).toBe(4);
    r.push('+p\r\n');
    expect(r.pendingSize).toBe(8);
    expect(r.take()).toBe(':1\r\n+p\r\n');
    // Still silenced after a take: later writes are dropped too.
    r.integer(2);
    expect(r.take()).toBeNull();
  });

  it('rolls back a failed command while silenced without losing what will be sent', () => {
    const r = new ReplyWriter();
    r.integer(1);
    r.silence(true);
    const mark = r.mark();
    r.bulk('half a reply');
    expect(r.rollback(mark)).toBe(true);
    r.silence(false);
    expect(r.take()).toBe(':1\r\n');
  });
});
