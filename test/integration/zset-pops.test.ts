/**
 * ZPOPMIN, ZPOPMAX, ZMPOP and the blocking BZPOPMIN, BZPOPMAX and BZMPOP
 * over real sockets: reply shapes in both protocols, errors, and blocked
 * clients (served first come first served, from the key a write filled,
 * timing out, answering at once inside MULTI). Every expected reply was
 * checked against redis-server 7.0.15 (see zset-server.ts).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RawClient } from '../helpers/resp-client.js';
import {
  EMPTY,
  NIL_ARRAY,
  NULL3,
  OK,
  SYNTAX,
  WRONGTYPE,
  arr,
  blockedClients,
  bulk,
  dbl,
  error,
  expectNoReplyWithin,
  int,
  reply,
  scored2,
  scored3,
  send,
  useZsetTarget,
} from './zset-server.js';

const target = useZsetTarget();
const { call, call3 } = target;

beforeEach(async () => {
  await call('ZADD', 'z', '1', 'a', '2', 'b', '3', 'c', '4', 'd');
});

const MUST_BE_POSITIVE = error('ERR value is out of range, must be positive');

/** [key, member, score] of BZPOPMIN/BZPOPMAX in RESP2. */
function keyed(key: string, member: string, score: string): string {
  return arr(bulk(key), bulk(member), bulk(score));
}

/** [key, [[member, score], ...]] of ZMPOP/BZMPOP in RESP2. */
function mpop(key: string, ...pairs: string[]): string {
  const items: string[] = [];
  for (let i = 0; i < pairs.length; i += 2) items.push(arr(bulk(pairs[i]!), bulk(pairs[i + 1]!)));
  return arr(bulk(key), arr(...items));
}

describe('ZPOPMIN and ZPOPMAX', () => {
  it('pop from either end; RESP3 nests pairs only when a count is given', async () => {
    expect(await call('ZPOPMIN', 'z')).toBe(scored2('a', '1'));
    expect(await call3('ZPOPMAX', 'z')).toBe(arr(bulk('d'), dbl('4')));
    expect(await call3('ZPOPMIN', 'z', '1')).toBe(scored3('b', '2'));
    expect(await call('ZPOPMAX', 'z', '5')).toBe(scored2('c', '3'));
    expect(await call('EXISTS', 'z')).toBe(int(0));
    expect(await call('ZPOPMIN', 'z')).toBe(EMPTY);
    expect(await call3('ZPOPMIN', 'z', '3')).toBe(EMPTY);
  });

  it('a count of 0 pops nothing; a bad count must be positive', async () => {
    expect(await call('ZPOPMIN', 'z', '0')).toBe(EMPTY);
    expect(await call('ZPOPMIN', 'z', '-1')).toBe(MUST_BE_POSITIVE);
    expect(await call('ZPOPMAX', 'z', 'x')).toBe(MUST_BE_POSITIVE);
    expect(await call('ZPOPMIN', 'z', '1', '2')).toBe(SYNTAX);
    expect(await call('ZCARD', 'z')).toBe(int(4));
    await call('SET', 's', 'x');
    expect(await call('ZPOPMIN', 's')).toBe(WRONGTYPE);
    expect(await call('ZPOPMIN', 's', '0')).toBe(WRONGTYPE);
  });

  it('pop in order from a large set', async () => {
    const members: string[] = [];
    for (let i = 0; i < 200; i++) members.push(String(i), `m${i}`);
    await call('ZADD', 'big', ...members);
    expect(await call('ZPOPMIN', 'big', '2')).toBe(scored2('m0', '0', 'm1', '1'));
    expect(await call('ZPOPMAX', 'big', '2')).toBe(scored2('m199', '199', 'm198', '198'));
    expect(await call('ZCARD', 'big')).toBe(int(196));
  });
});

describe('ZMPOP', () => {
  it('pops from the first non-empty key, naming it, in one shape for both protocols', async () => {
    expect(await call('ZMPOP', '2', 'nokey', 'z', 'MIN')).toBe(mpop('z', 'a', '1'));
    expect(await call('ZMPOP', '1', 'z', 'max', 'COUNT', '2')).toBe(mpop('z', 'd', '4', 'c', '3'));
    expect(await call3('ZMPOP', '1', 'z', 'MIN', 'COUNT', '10')).toBe(arr(bulk('z'), scored3('b', '2')));
    expect(await call('EXISTS', 'z')).toBe(int(0));
    expect(await call('ZMPOP', '1', 'z', 'MIN')).toBe(NIL_ARRAY);
    expect(await call3('ZMPOP', '2', 'z', 'y', 'MAX')).toBe(NULL3);
  });

  it('checks numkeys, MIN|MAX and COUNT', async () => {
    expect(await call('ZMPOP', '0', 'z', 'MIN')).toBe(error('ERR numkeys should be greater than 0'));
    expect(await call('ZMPOP', 'x', 'z', 'MIN')).toBe(error('ERR numkeys should be greater than 0'));
    expect(await call('ZMPOP', '2', 'z', 'MIN')).toBe(SYNTAX);
    expect(await call('ZMPOP', '1', 'z', 'LEFT')).toBe(SYNTAX);
    expect(await call('ZMPOP', '1', 'z', 'MIN', 'COUNT', '0')).toBe(error('ERR count should be greater than 0'));
    expect(await call('ZMPOP', '1', 'z', 'MIN', 'COUNT', 'x')).toBe(error('ERR count should be greater than 0'));
    expect(await call('ZMPOP', '1', 'z', 'MIN', 'COUNT', '1', 'COUNT', '1')).toBe(SYNTAX);
    expect(await call('ZMPOP', '1', 'z', 'MIN', 'COUNT')).toBe(SYNTAX);
    await call('SET', 's', 'x');
    expect(await call('ZMPOP', '2', 'nokey', 's', 'MIN')).toBe(WRONGTYPE);
    // Keys after the first sorted set are not looked at.
    expect(await call('ZMPOP', '2', 'z', 's', 'MIN')).toBe(mpop('z', 'a', '1'));
  });
});

describe('BZPOPMIN, BZPOPMAX and BZMPOP with data', () => {
  it('pop at once from the first key that has a sorted set', async () => {
    expect(await call('BZPOPMIN', 'nokey', 'z', '0')).toBe(keyed('z', 'a', '1'));
    expect(await call3('BZPOPMAX', 'z', '0')).toBe(arr(bulk('z'), bulk('d'), dbl('4')));
    expect(await call('BZMPOP', '0', '2', 'nokey', 'z', 'MAX', 'COUNT', '5')).toBe(mpop('z', 'c', '3', 'b', '2'));
    expect(await call('EXISTS', 'z')).toBe(int(0));
  });

  it('check the timeout and the arguments', async () => {
    expect(await call('BZPOPMIN', 'z', '-1')).toBe(error('ERR timeout is negative'));
    expect(await call('BZPOPMIN', 'z', 'x')).toBe(error('ERR timeout is not a float or out of range'));
    expect(await call('BZPOPMAX', 'z', 'inf')).toBe(error('ERR timeout is negative'));
    expect(await call('BZMPOP', 'x', '1', 'z', 'MIN')).toBe(error('ERR timeout is not a float or out of range'));
    // BZMPOP reads its timeout last.
    expect(await call('BZMPOP', 'x', '0', 'z', 'MIN')).toBe(error('ERR numkeys should be greater than 0'));
    expect(await call('BZMPOP', '-1', '1', 'z', 'MIN', 'COUNT', '0')).toBe(error('ERR count should be greater than 0'));
    expect(await call('BZMPOP', '-1', '1', 'z', 'FOO')).toBe(SYNTAX);
    await call('SET', 's', 'x');
    expect(await call('BZPOPMIN', 'nokey', 's', '0')).toBe(WRONGTYPE);
    expect(await call('BZMPOP', '0', '1', 's', 'MIN')).toBe(WRONGTYPE);
  });
});

describe('blocked clients', () => {
  let opened: RawClient[];

  beforeEach(() => {
    opened = [];
  });

  afterEach(async () => {
    await Promise.all(opened.map((c) => c.close()));
    await blockedClients(target, 0);
  });

  async function client(): Promise<RawClient> {
    const c = await target.client();
    opened.push(c);
    return c;
  }

  it('are woken by ZADD, first come first served, one member each', async () => {
    const [c1, c2, c3] = [await client(), await client(), await client()];
    send(c1, 'BZPOPMIN', 'q', '0');
    await blockedClients(target, 1);
    send(c2, 'BZPOPMAX', 'q', '0');
    await blockedClients(target, 2);
    send(c3, 'BZPOPMIN', 'q', '0');
    await blockedClients(target, 3);
    expect(await call('ZADD', 'q', '1', 'one', '2', 'two', '3', 'three', '4', 'four')).toBe(int(4));
    expect(await reply(c1)).toBe(keyed('q', 'one', '1'));
    expect(await reply(c2)).toBe(keyed('q', 'four', '4'));
    expect(await reply(c3)).toBe(keyed('q', 'two', '2'));
    expect(await call('ZRANGE', 'q', '0', '-1')).toBe(arr(bulk('three')));
  });

  it('wait on several keys and are served from the one that got data', async () => {
    const c1 = await client();
    send(c1, 'BZPOPMIN', 'k1', 'k2', '0');
    await blockedClients(target, 1);
    await call('ZADD', 'k2', '5', 'x');
    expect(await reply(c1)).toBe(keyed('k2', 'x', '5'));
    expect(await call('EXISTS', 'k2')).toBe(int(0));
  });

  it('BZMPOP is served COUNT members in its nested shape', async () => {
    const c1 = await client();
    send(c1, 'BZMPOP', '0', '2', 'k1', 'k2', 'MAX', 'COUNT', '2');
    await blockedClients(target, 1);
    await call('ZADD', 'k1', '1', 'a', '2', 'b', '3', 'c');
    expect(await reply(c1)).toBe(mpop('k1', 'c', '3', 'b', '2'));
  });

  it('time out with a null array', async () => {
    const c1 = await client();
    const started = Date.now();
    send(c1, 'BZPOPMIN', 'q', '0.2');
    expect(await reply(c1)).toBe(NIL_ARRAY);
    expect(Date.now() - started).toBeGreaterThanOrEqual(150);
    send(c1, 'BZMPOP', '0.05', '1', 'q', 'MIN');
    expect(await reply(c1)).toBe(NIL_ARRAY);
    await c1.call('HELLO', '3');
    send(c1, 'BZPOPMAX', 'q', '0.05');
    expect(await reply(c1)).toBe(NULL3);
  });

  it('keep waiting when the key turns into another type', async () => {
    const c1 = await client();
    send(c1, 'BZPOPMIN', 'q', '0');
    await blockedClients(target, 1);
    expect(await call('SET', 'q', 'x')).toBe(OK);
    expect(await expectNoReplyWithin(c1, 100)).toBe(true);
    await call('DEL', 'q');
    await call('ZADD', 'q', '1', 'm');
    expect(await reply(c1)).toBe(keyed('q', 'm', '1'));
  });

  it('answer at once inside MULTI, as if timed out', async () => {
    const c1 = await client();
    expect(await c1.call('MULTI')).toEqual(Buffer.from(OK));
    send(c1, 'BZPOPMIN', 'q', '0');
    expect(await reply(c1)).toBe('+QUEUED\r\n');
    send(c1, 'BZMPOP', '0', '1', 'z', 'MIN');
    expect(await reply(c1)).toBe('+QUEUED\r\n');
    send(c1, 'EXEC');
    expect(await reply(c1)).toBe(arr(NIL_ARRAY, mpop('z', 'a', '1')));
  });

  it('are served by a write inside another client’s transaction once it commits', async () => {
    const c1 = await client();
    send(c1, 'BZPOPMAX', 'q', '0');
    await blockedClients(target, 1);
    await call('MULTI');
    await call('ZADD', 'q', '1', 'a', '2', 'b');
    await call('ZREM', 'q', 'b');
    expect(await call('EXEC')).toBe(arr(int(2), int(1)));
    expect(await reply(c1)).toBe(keyed('q', 'a', '1'));
  });
});
