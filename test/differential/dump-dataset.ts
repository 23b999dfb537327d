/**
 * A dataset with every value type and encoding Redis 7.0 has, for the
 * persistence tests (DUMP/RESTORE, DEBUG DIGEST, MIGRATE), and a reader
 * that describes a key's value completely enough to compare two servers.
 */
import { replyToPlain, type Command, type PlainReply, type RawClient } from '../helpers/resp-client.js';

interface DatasetKey {
  key: string;
  /** Whether Redis and reddish must write the same DUMP bytes (no hashtable iteration order involved). */
  deterministic: boolean;
}

function range(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i);
}

function build(): { commands: Command[]; keys: DatasetKey[] } {
  const commands: Command[] = [];
  const keys: DatasetKey[] = [];
  const add = (key: string, deterministic: boolean, ...cmds: Command[]): void => {
    commands.push(...cmds);
    keys.push({ key, deterministic });
  };
  // Strings: int-encoded, embstr, raw, LZF-compressible, incompressible, binary, 64-bit integers.
  add('s:int', true, ['SET', 's:int', '12345']);
  add('s:neg', true, ['SET', 's:neg', '-2147483648']);
  add('s:big', true, ['SET', 's:big', '9223372036854775807']);
  add('s:short', true, ['SET', 's:short', 'hello']);
  add('s:empty', true, ['SET', 's:empty', '']);
  add('s:long', true, ['SET', 's:long', 'abc'.repeat(200)]);
  add('s:random', true, ['SET', 's:random', Buffer.from(range(300).map((i) => (i * 7919 + 13) % 256))]);
  add('s:binary', true, ['SET', 's:binary', Buffer.from([0, 1, 2, 255, 254, 13, 10])]);
  add('s:float', true, ['SET', 's:float', '3.14'], ['INCRBYFLOAT', 's:float', '1']);
  add('s:appended', true, ['SET', 's:appended', '12'], ['APPEND', 's:appended', '34']);
  add('s:ttl', true, ['SET', 's:ttl', 'v', 'PX', '1000000']);
  // Lists: one node, many nodes, integers, long elements.
  add('l:small', true, ['RPUSH', 'l:small', 'a', 'b', 'c', '1', '-1', '100000']);
  add('l:big', true, ['RPUSH', 'l:big', ...range(3000).map((i) => (i % 2 ? `element-${i}` : String(i * 1000)))]);
  add('l:long', true, ['RPUSH', 'l:long', 'x'.repeat(5000), 'y'.repeat(9000), 'z']);
  // Sets: intset (16, 32, 64-bit), hashtable.
  add('set:int16', true, ['SADD', 'set:int16', '1', '2', '3', '-7']);
  add('set:int32', true, ['SADD', 'set:int32', '1', '100000']);
  add('set:int64', true, ['SADD', 'set:int64', '1', '9223372036854775807', '-9223372036854775808']);
  add('set:ht', false, ['SADD', 'set:ht', 'a', 'b', 'c', '1']);
  add('set:bigint', false, ['SADD', 'set:bigint', ...range(600).map(String)]);
  // Hashes: listpack, hashtable by count, hashtable by length.
  add('h:lp', true, ['HSET', 'h:lp', 'f1', 'v1', 'n', '42', 'neg', '-5000', 'e', '']);
  add('h:count', false, ['HSET', 'h:count', ...range(200).flatMap((i) => [`f${i}`, `v${i}`])]);
  add('h:long', false, ['HSET', 'h:long', 'f', 'v'.repeat(100)]);
  // Sorted sets: listpack (integer, fractional, infinite scores), skiplist.
  add('z:lp', true, ['ZADD', 'z:lp', '1', 'a', '1.5', 'b', '-0.1', 'c', 'inf', 'd', '-inf', 'e', '1e20', 'f', '0', 'g']);
  add('z:skip', true, ['ZADD', 'z:skip', ...range(200).flatMap((i) => [String(i / 7), `m${i}`])]);
  add('z:longmember', true, ['ZADD', 'z:longmember', '1', 'm'.repeat(100), '2', 'n']);
  // Streams: several nodes, same and different fields, deletions, groups with PELs and consumers.
  add(
    'x:full',
    false,
    ...range(250).map((i): Command => ['XADD', 'x:full', `${1000 + Math.floor(i / 3)}-${i % 3}`, ...(i % 7 === 0 ? ['other', String(i)] : ['a', String(i), 'b', `v${i}`])]),
    ['XDEL', 'x:full', '1001-1', '1010-0', '1020-2'],
    ['XGROUP', 'CREATE', 'x:full', 'g1', '0'],
    ['XREADGROUP', 'GROUP', 'g1', 'alice', 'COUNT', '3', 'STREAMS', 'x:full', '>'],
    ['XREADGROUP', 'GROUP', 'g1', 'bob', 'COUNT', '2', 'STREAMS', 'x:full', '>'],
    ['XACK', 'x:full', 'g1', '1000-1'],
    ['XGROUP', 'CREATE', 'x:full', 'g2', '$'],
    ['XGROUP', 'CREATECONSUMER', 'x:full', 'g2', 'carol'],
  );
  add('x:empty', false, ['XGROUP', 'CREATE', 'x:empty', 'g', '$', 'MKSTREAM']);
  add('x:emptied', true, ['XADD', 'x:emptied', '5-5', 'f', 'v'], ['XDEL', 'x:emptied', '5-5']);
  add('x:trimmed', true, ...range(30).map((i): Command => ['XADD', 'x:trimmed', 'MAXLEN', '10', `${i + 1}-0`, 'n', String(i)]));
  return { commands, keys };
}

/** A description with clock readings (consumer seen-times, delivery times) masked: two servers differ there. */
export function maskTimes(value: PlainReply): PlainReply {
  if (Array.isArray(value)) return value.map(maskTimes);
  if (typeof value === 'number' && value > 1e12) return 'time';
  return value;
}

export const dumpDataset = build();

/** A description of the value at `key` on a server: type, encoding, contents, whether it has a TTL. */
export async function readValue(client: RawClient, key: string): Promise<PlainReply> {
  const get = async (...args: Command): Promise<PlainReply> => replyToPlain(await client.callArgs(args));
  const type = await get('TYPE', key);
  const encoding = await get('OBJECT', 'ENCODING', key);
  const ttl = Number(await get('PTTL', key));
  let contents: PlainReply;
  switch (type) {
    case 'string':
      contents = await get('GET', key);
      break;
    case 'list':
      contents = await get('LRANGE', key, '0', '-1');
      break;
    case 'set':
      contents = ((await get('SMEMBERS', key)) as string[]).sort();
      break;
    case 'hash':
      contents = pairs((await get('HGETALL', key)) as string[]).sort();
      break;
    case 'zset':
      contents = await get('ZRANGE', key, '0', '-1', 'WITHSCORES');
      break;
    case 'stream':
      contents = [await get('XRANGE', key, '-', '+'), withoutRaxNodes((await get('XINFO', 'STREAM', key, 'FULL')) as PlainReply[])];
      break;
    default:
      contents = await get('DUMP', key);
  }
  return [type, encoding, ttl > 0 ? 'ttl' : String(ttl), contents];
}

/** XINFO STREAM's radix-tree-nodes counts Redis's rax nodes, which reddish only approximates. */
function withoutRaxNodes(info: PlainReply[]): PlainReply[] {
  const at = info.indexOf('radix-tree-nodes');
  return at < 0 ? info : [...info.slice(0, at), ...info.slice(at + 2)];
}

function pairs(flat: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < flat.length; i += 2) out.push(`${flat[i]}=${flat[i + 1]}`);
  return out;
}
