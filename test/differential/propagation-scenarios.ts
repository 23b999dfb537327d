/**
 * Scenarios for the propagation tests: each a short list of steps whose
 * journal (what Redis 7.0 appends to its AOF, what reddish propagates) is
 * compared after the last step. Every scenario starts from an empty keyspace
 * with active expiry off, on fresh connections in database 0.
 *
 * The names say what Redis writes; propagation.test.ts holds reddish to it.
 */
import { dumpFooter } from '../../src/persistence/rdb-encoding.js';
import { activeExpiry, anyOrder, blocked, call, on, random, reply, send, sleep, type Step } from '../helpers/aof.js';

export type Scenarios = Record<string, Step[]>;

/** An absolute time a year ahead, in seconds and in milliseconds (EXPIREAT, EXAT, PXAT given by the client). */
const FUTURE_S = String(Math.floor(Date.now() / 1000) + 365 * 24 * 3600);
const FUTURE_MS = String(Number(FUTURE_S) * 1000 + 123);
/** Long past, but not 0 (a time in the past deletes the key). */
const PAST_S = '1000';
const PAST_MS = '1000123';

/** DUMP of the string "v" (as redis-server 7.0.15 writes it), for RESTORE. */
const STRING_PAYLOAD = dumpFooter(Buffer.from('000176', 'hex')).toString('latin1');

/** Lets a key SET with PX 20 expire. */
const LET_EXPIRE: Step = sleep(60);

export const stringScenarios: Scenarios = {
  'SET is journalled verbatim': [call('SET', 'k', 'v'), call('SET', 'k', 'w', 'XX'), call('SET', 'n', 'v', 'NX')],
  'SET keeps the case the client sent': [call('set', 'k', 'v'), call('SeT', 'k', 'w')],
  'SET NX on an existing key and XX on a missing one journal nothing': [call('SET', 'k', 'v'), call('SET', 'k', 'w', 'NX'), call('SET', 'm', 'w', 'XX')],
  'SET EX becomes SET PXAT': [call('SET', 'k', 'v', 'EX', '100')],
  'SET PX becomes SET PXAT': [call('SET', 'k', 'v', 'PX', '100000')],
  'SET EXAT becomes SET PXAT in milliseconds': [call('SET', 'k', 'v', 'EXAT', FUTURE_S)],
  'SET PXAT stays as sent': [call('SET', 'k', 'v', 'PXAT', FUTURE_MS)],
  'SET ex in lower case becomes SET PXAT in upper case': [call('set', 'k', 'v', 'ex', '100')],
  'SET NX EX drops NX in the rewrite': [call('SET', 'k', 'v', 'NX', 'EX', '100')],
  'SET XX GET PX on an existing key drops XX and GET in the rewrite': [call('SET', 'k', 'v'), call('SET', 'k', 'w', 'XX', 'GET', 'PX', '5000')],
  'SET GET without expiry is journalled without GET': [call('SET', 'k', 'v'), call('SET', 'k', 'w', 'GET')],
  'SET without expiry drops every GET and keeps its other options': [call('SET', 'k', 'v', 'EX', '100'), call('SET', 'k', 'w', 'XX', 'get', 'KEEPTTL'), call('SET', 'n', 'x', 'GET', 'NX')],
  'SET KEEPTTL is journalled verbatim': [call('SET', 'k', 'v', 'EX', '100'), call('SET', 'k', 'w', 'KEEPTTL')],
  'SET EXAT in the past is journalled as SET PXAT; the read that finds the key expired journals DEL': [call('SET', 'k', 'v', 'EXAT', PAST_S), call('EXISTS', 'k')],
  'SET with an invalid expire journals nothing': [call('SET', 'k', 'v', 'EX', '0'), call('SET', 'k', 'v', 'PX', '-5')],
  'SETNX journals only when it sets': [call('SETNX', 'k', 'v'), call('SETNX', 'k', 'w')],
  'SETEX becomes SET PXAT': [call('SETEX', 'k', '100', 'v')],
  'PSETEX becomes SET PXAT': [call('PSETEX', 'k', '100000', 'v')],
  'MSET is journalled verbatim': [call('MSET', 'a', '1', 'b', '2')],
  'MSETNX journals only when it sets': [call('MSETNX', 'a', '1', 'b', '2'), call('MSETNX', 'b', '3', 'c', '4')],
  'GETSET becomes SET': [call('GETSET', 'k', 'v'), call('GETSET', 'k', 'w')],
  'GETDEL becomes DEL, and a miss journals nothing': [call('SET', 'k', 'v'), call('GETDEL', 'k'), call('GETDEL', 'k')],
  'GETEX EX becomes PEXPIREAT': [call('SET', 'k', 'v'), call('GETEX', 'k', 'EX', '100')],
  'GETEX PX becomes PEXPIREAT': [call('SET', 'k', 'v'), call('GETEX', 'k', 'PX', '100000')],
  'GETEX EXAT becomes PEXPIREAT in milliseconds': [call('SET', 'k', 'v'), call('GETEX', 'k', 'EXAT', FUTURE_S)],
  'GETEX PXAT becomes PEXPIREAT': [call('SET', 'k', 'v'), call('GETEX', 'k', 'PXAT', FUTURE_MS)],
  'GETEX PERSIST becomes PERSIST, only when there was a TTL': [
    call('SET', 'k', 'v', 'EX', '100'),
    call('GETEX', 'k', 'PERSIST'),
    call('GETEX', 'k', 'PERSIST'),
  ],
  'GETEX without options, or on a missing key, journals nothing': [call('SET', 'k', 'v'), call('GETEX', 'k'), call('GETEX', 'missing', 'EX', '100')],
  'GETEX EXAT in the past becomes DEL': [call('SET', 'k', 'v'), call('GETEX', 'k', 'EXAT', PAST_S)],
  'GETEX PXAT in the past becomes DEL': [call('SET', 'k', 'v'), call('GETEX', 'k', 'PXAT', PAST_MS)],
  'INCR, DECR, INCRBY and DECRBY are journalled verbatim': [call('INCR', 'n'), call('DECR', 'n'), call('INCRBY', 'n', '10'), call('DECRBY', 'n', '3')],
  'INCR on a non-integer journals nothing': [call('SET', 'k', 'abc'), call('INCR', 'k'), call('INCRBY', 'k', '2')],
  'INCRBYFLOAT becomes SET KEEPTTL with the result': [call('INCRBYFLOAT', 'f', '1.5'), call('INCRBYFLOAT', 'f', '0.25'), call('INCRBYFLOAT', 'f', '1e2')],
  'INCRBYFLOAT keeps the TTL through SET KEEPTTL': [call('SET', 'f', '10', 'EX', '100'), call('INCRBYFLOAT', 'f', '-2.5')],
  'APPEND is journalled verbatim, even an empty one': [call('APPEND', 'k', 'ab'), call('APPEND', 'k', ''), call('APPEND', 'e', '')],
  'SETRANGE is journalled verbatim when it writes': [call('SETRANGE', 'k', '3', 'ab'), call('SETRANGE', 'k', '0', 'x')],
  'SETRANGE with an empty value journals nothing': [call('SETRANGE', 'missing', '5', ''), call('SET', 'k', 'abc'), call('SETRANGE', 'k', '1', '')],
};

export const keyScenarios: Scenarios = {
  'DEL is journalled verbatim with every key it was given': [call('SET', 'a', '1'), call('SET', 'b', '2'), call('DEL', 'a', 'missing', 'b')],
  'DEL and UNLINK of missing keys journal nothing': [call('DEL', 'missing'), call('UNLINK', 'missing', 'other')],
  'UNLINK is journalled verbatim': [call('SET', 'a', '1'), call('UNLINK', 'a', 'missing')],
  'RENAME is journalled verbatim, with a TTL too': [call('SET', 'a', '1', 'EX', '100'), call('RENAME', 'a', 'b')],
  'RENAME of a key to itself journals nothing': [call('SET', 'a', '1'), call('RENAME', 'a', 'a'), call('RENAMENX', 'a', 'a')],
  'RENAME of a missing key journals nothing': [call('RENAME', 'missing', 'b')],
  'RENAMENX journals only when it renames': [call('SET', 'a', '1'), call('SET', 'b', '2'), call('RENAMENX', 'a', 'b'), call('RENAMENX', 'a', 'c')],
  'COPY is journalled verbatim': [call('SET', 'a', '1'), call('COPY', 'a', 'b'), call('COPY', 'a', 'b', 'REPLACE'), call('COPY', 'a', 'b', 'DB', '1')],
  'COPY onto an existing key without REPLACE journals nothing': [call('SET', 'a', '1'), call('SET', 'b', '2'), call('COPY', 'a', 'b'), call('COPY', 'missing', 'c')],
  'RESTORE without a TTL is journalled verbatim; with one, as an absolute ABSTTL': [
    call('RESTORE', 'a', '0', STRING_PAYLOAD),
    call('RESTORE', 'a', '0', STRING_PAYLOAD, 'REPLACE'),
    call('RESTORE', 'b', '100000', STRING_PAYLOAD),
    call('RESTORE', 'c', FUTURE_MS, STRING_PAYLOAD, 'ABSTTL'),
  ],
  'RESTORE REPLACE with a TTL already past becomes DEL; a failed RESTORE journals nothing': [
    call('SET', 'a', '1'),
    call('RESTORE', 'a', PAST_MS, STRING_PAYLOAD, 'ABSTTL', 'REPLACE'),
    call('RESTORE', 'b', PAST_MS, STRING_PAYLOAD, 'ABSTTL'),
    call('SET', 'c', '1'),
    call('RESTORE', 'c', '0', STRING_PAYLOAD),
  ],
  // A successful MIGRATE journals DEL of the keys moved (migrate.test.ts checks that on reddish; redis-server needs a target to move to).
  'MIGRATE of a missing key, or to a target that refuses the connection, journals nothing': [
    call('MIGRATE', '127.0.0.1', '1', 'missing', '0', '200'),
    call('SET', 'k', 'v'),
    call('MIGRATE', '127.0.0.1', '1', 'k', '0', '200'),
  ],
  'MOVE is journalled verbatim, a failed one not at all': [
    call('SET', 'a', '1'),
    call('MOVE', 'a', '1'),
    call('MOVE', 'a', '1'),
    call('SELECT', '1'),
    call('SET', 'b', '2'),
    call('MOVE', 'b', '0'),
  ],
  'SWAPDB is journalled verbatim, even of empty databases': [call('SET', 'a', '1'), call('SWAPDB', '0', '1'), call('SWAPDB', '2', '3')],
  'SWAPDB that serves a client blocked in the other database': [
    on('b', 'RPUSH', 'l', 'x'),
    on('a', 'SELECT', '1'),
    send('a', 'BLPOP', 'l', '0'),
    blocked(1),
    on('b', 'SWAPDB', '0', '1'),
    reply('a'),
  ],
  'FLUSHDB and FLUSHALL are journalled even when there is nothing to flush': [
    call('FLUSHDB'),
    call('FLUSHALL'),
    call('SET', 'a', '1'),
    call('FLUSHDB', 'ASYNC'),
    call('SELECT', '2'),
    call('SET', 'b', '1'),
    call('FLUSHALL', 'SYNC'),
  ],
  'EXPIRE becomes PEXPIREAT': [call('SET', 'k', 'v'), call('EXPIRE', 'k', '100')],
  'PEXPIRE becomes PEXPIREAT': [call('SET', 'k', 'v'), call('PEXPIRE', 'k', '100000')],
  'EXPIREAT becomes PEXPIREAT in milliseconds': [call('SET', 'k', 'v'), call('EXPIREAT', 'k', FUTURE_S)],
  'PEXPIREAT is journalled verbatim': [call('SET', 'k', 'v'), call('PEXPIREAT', 'k', FUTURE_MS)],
  'EXPIRE on a missing key journals nothing': [call('EXPIRE', 'missing', '100'), call('PEXPIREAT', 'missing', FUTURE_MS)],
  'EXPIRE with a negative time becomes DEL': [call('SET', 'k', 'v'), call('EXPIRE', 'k', '-1')],
  'PEXPIRE 0 becomes DEL': [call('SET', 'k', 'v'), call('PEXPIRE', 'k', '0')],
  'EXPIREAT in the past becomes DEL': [call('SET', 'k', 'v'), call('EXPIREAT', 'k', PAST_S)],
  'PEXPIREAT in the past becomes DEL': [call('SET', 'k', 'v'), call('PEXPIREAT', 'k', PAST_MS)],
  'EXPIRE NX, XX, GT and LT keep their flag after the rewrite, and journal nothing when refused': [
    call('SET', 'k', 'v'),
    call('EXPIRE', 'k', '100', 'XX'),
    call('EXPIRE', 'k', '100', 'NX'),
    call('EXPIRE', 'k', '200', 'NX'),
    call('EXPIRE', 'k', '50', 'GT'),
    call('EXPIRE', 'k', '300', 'GT'),
    call('PEXPIRE', 'k', '400000', 'LT'),
    call('PEXPIRE', 'k', '100000', 'LT'),
    call('EXPIREAT', 'k', FUTURE_S, 'XX'),
  ],
  'PERSIST journals only when it removes a TTL': [call('SET', 'k', 'v'), call('PERSIST', 'k'), call('EXPIRE', 'k', '100'), call('PERSIST', 'k'), call('PERSIST', 'missing')],
};

export const hashScenarios: Scenarios = {
  'HSET and HMSET are journalled verbatim, even when nothing changes': [
    call('HSET', 'h', 'a', '1', 'b', '2'),
    call('HSET', 'h', 'a', '1'),
    call('HMSET', 'h', 'c', '3'),
  ],
  'HSETNX journals only when it sets': [call('HSETNX', 'h', 'a', '1'), call('HSETNX', 'h', 'a', '2')],
  'HDEL journals only when it deletes': [call('HSET', 'h', 'a', '1', 'b', '2'), call('HDEL', 'h', 'x'), call('HDEL', 'h', 'a', 'x'), call('HDEL', 'h', 'b'), call('HDEL', 'h', 'b')],
  'HINCRBY is journalled verbatim': [call('HINCRBY', 'h', 'n', '5'), call('HINCRBY', 'h', 'n', '-2')],
  'HINCRBYFLOAT becomes HSET with the result': [call('HINCRBYFLOAT', 'h', 'f', '1.5'), call('HINCRBYFLOAT', 'h', 'f', '2.0e1')],
};

export const listScenarios: Scenarios = {
  'pushes are journalled verbatim': [call('LPUSH', 'l', 'a', 'b'), call('RPUSH', 'l', 'c'), call('LPUSHX', 'l', 'd'), call('RPUSHX', 'l', 'e')],
  'LPUSHX and RPUSHX on a missing key journal nothing': [call('LPUSHX', 'missing', 'a'), call('RPUSHX', 'missing', 'a')],
  'LPOP and RPOP are journalled verbatim, with or without a count': [
    call('RPUSH', 'l', 'a', 'b', 'c', 'd', 'e'),
    call('LPOP', 'l'),
    call('RPOP', 'l'),
    call('LPOP', 'l', '2'),
    call('RPOP', 'l', '5'),
  ],
  'LPOP and RPOP of a missing key journal nothing': [call('LPOP', 'missing'), call('RPOP', 'missing', '2')],
  'LPOP with count 0 journals nothing': [call('RPUSH', 'l', 'a'), call('LPOP', 'l', '0')],
  'LSET, LINSERT, LREM and LTRIM are journalled verbatim': [
    call('RPUSH', 'l', 'a', 'b', 'c', 'b'),
    call('LSET', 'l', '0', 'x'),
    call('LINSERT', 'l', 'BEFORE', 'c', 'y'),
    call('LREM', 'l', '0', 'b'),
    call('LTRIM', 'l', '0', '1'),
  ],
  'LINSERT, LREM and LTRIM that change nothing journal nothing': [
    call('RPUSH', 'l', 'a', 'b'),
    call('LINSERT', 'l', 'AFTER', 'missing', 'x'),
    call('LREM', 'l', '0', 'missing'),
    call('LTRIM', 'l', '0', '-1'),
    call('LTRIM', 'missing', '0', '1'),
  ],
  'LMOVE and RPOPLPUSH are journalled verbatim': [
    call('RPUSH', 'src', 'a', 'b', 'c'),
    call('LMOVE', 'src', 'dst', 'LEFT', 'RIGHT'),
    call('RPOPLPUSH', 'src', 'dst'),
    call('LMOVE', 'src', 'src', 'LEFT', 'LEFT'),
    call('LMOVE', 'missing', 'dst', 'LEFT', 'LEFT'),
  ],
  'LMPOP becomes LPOP or RPOP with the count actually popped': [
    call('RPUSH', 'l', 'a', 'b', 'c'),
    call('LMPOP', '2', 'missing', 'l', 'LEFT'),
    call('LMPOP', '1', 'l', 'RIGHT', 'COUNT', '10'),
    call('LMPOP', '1', 'l', 'RIGHT'),
  ],
  'BLPOP and BRPOP served at once become LPOP and RPOP': [call('RPUSH', 'l', 'a', 'b', 'c'), call('BLPOP', 'missing', 'l', '0'), call('BRPOP', 'l', '0')],
  'BLMPOP served at once becomes LPOP or RPOP with a count': [call('RPUSH', 'l', 'a', 'b', 'c'), call('BLMPOP', '0', '1', 'l', 'LEFT', 'COUNT', '2'), call('BLMPOP', '0', '1', 'l', 'RIGHT')],
  'BLMOVE and BRPOPLPUSH served at once become LMOVE and RPOPLPUSH': [
    call('RPUSH', 'src', 'a', 'b'),
    call('BLMOVE', 'src', 'dst', 'RIGHT', 'LEFT', '0'),
    call('BRPOPLPUSH', 'src', 'dst', '0'),
  ],
  'BLPOP served after another client pushes becomes LPOP after the push': [
    send('a', 'BLPOP', 'l', '0'),
    blocked(1),
    on('b', 'RPUSH', 'l', 'x', 'y'),
    reply('a'),
  ],
  'BRPOP served after another client pushes becomes RPOP after the push': [
    send('a', 'BRPOP', 'l', '0'),
    blocked(1),
    on('b', 'LPUSH', 'l', 'x'),
    reply('a'),
  ],
  'BLMPOP served after another client pushes becomes LPOP with the count popped': [
    send('a', 'BLMPOP', '0', '1', 'l', 'LEFT', 'COUNT', '5'),
    blocked(1),
    on('b', 'RPUSH', 'l', 'x', 'y'),
    reply('a'),
  ],
  'BLMOVE served after another client pushes becomes LMOVE with lower-case directions': [
    send('a', 'BLMOVE', 'src', 'dst', 'LEFT', 'RIGHT', '0'),
    blocked(1),
    on('b', 'RPUSH', 'src', 'x'),
    reply('a'),
  ],
  'BRPOPLPUSH served after another client pushes becomes RPOPLPUSH': [
    send('a', 'BRPOPLPUSH', 'src', 'dst', '0'),
    blocked(1),
    on('b', 'RPUSH', 'src', 'x'),
    reply('a'),
  ],
  'two blocked clients served by one push: each pop is its own unit': [
    send('a', 'BLPOP', 'l', '0'),
    blocked(1),
    send('c', 'BRPOP', 'l', '0'),
    blocked(2),
    on('b', 'RPUSH', 'l', 'x', 'y', 'z'),
    reply('a'),
    reply('c'),
  ],
  'a chain of blocked clients: each served move or pop is its own unit after the push': [
    send('a', 'BLMOVE', 'one', 'two', 'LEFT', 'LEFT', '0'),
    blocked(1),
    send('c', 'BLPOP', 'two', '0'),
    blocked(2),
    on('b', 'RPUSH', 'one', 'x'),
    reply('a'),
    reply('c'),
  ],
  'a blocked client served by a MULTI/EXEC push: the pop follows the EXEC': [
    send('a', 'BLPOP', 'l', '0'),
    blocked(1),
    on('b', 'MULTI'),
    on('b', 'RPUSH', 'l', 'x'),
    on('b', 'SET', 'k', 'v'),
    on('b', 'EXEC'),
    reply('a'),
  ],
  'a blocked client in another database: the pop carries its database': [
    on('a', 'SELECT', '3'),
    send('a', 'BLPOP', 'l', '0'),
    blocked(1),
    on('b', 'SELECT', '3'),
    on('b', 'RPUSH', 'l', 'x'),
    reply('a'),
    call('SET', 'k', 'v'),
  ],
  'blocking commands that time out journal nothing': [
    call('BLPOP', 'l', '0.01'),
    call('BRPOP', 'l', '0.01'),
    call('BLMPOP', '0.01', '1', 'l', 'LEFT'),
    call('BLMOVE', 'l', 'd', 'LEFT', 'LEFT', '0.01'),
    call('BRPOPLPUSH', 'l', 'd', '0.01'),
    call('BZPOPMIN', 'z', '0.01'),
    call('BZPOPMAX', 'z', '0.01'),
    call('BZMPOP', '0.01', '1', 'z', 'MIN'),
  ],
};

export const setScenarios: Scenarios = {
  'SADD journals only when it adds': [call('SADD', 's', 'a', 'b'), call('SADD', 's', 'a'), call('SADD', 's', 'a', 'c')],
  'SREM journals only when it removes': [call('SADD', 's', 'a', 'b'), call('SREM', 's', 'x'), call('SREM', 's', 'a', 'x'), call('SREM', 'missing', 'a')],
  'SPOP becomes SREM of the member popped': [call('SADD', 's', 'only'), call('SPOP', 's')],
  'SPOP of a random member becomes SREM of that member': [call('SADD', 's', 'm1', 'm2', 'm3', 'm4'), random('SPOP', 's')],
  'SPOP with a count of at least the size becomes DEL': [call('SADD', 's', 'a', 'b', 'c'), call('SPOP', 's', '3'), call('SADD', 't', 'a'), call('SPOP', 't', '10')],
  'SPOP with a smaller count becomes one SREM per member popped, in MULTI ... EXEC': [call('SADD', 's', 'm1', 'm2', 'm3', 'm4', 'm5', 'm6'), random('SPOP', 's', '2')],
  'SPOP with a count close to the size becomes one SREM per member popped, in MULTI ... EXEC': [call('SADD', 's', 'm1', 'm2', 'm3', 'm4', 'm5', 'm6'), random('SPOP', 's', '5')],
  'SPOP of a missing key, or with count 0, journals nothing': [call('SPOP', 'missing'), call('SPOP', 'missing', '3'), call('SADD', 's', 'a'), call('SPOP', 's', '0')],
  'SMOVE is journalled verbatim, only when it moves': [call('SADD', 's', 'a', 'b'), call('SMOVE', 's', 't', 'a'), call('SMOVE', 's', 't', 'missing'), call('SMOVE', 's', 's', 'b')],
  'SINTERSTORE, SUNIONSTORE and SDIFFSTORE are journalled verbatim': [
    call('SADD', 's1', 'a', 'b'),
    call('SADD', 's2', 'b', 'c'),
    call('SINTERSTORE', 'i', 's1', 's2'),
    call('SUNIONSTORE', 'u', 's1', 's2'),
    call('SDIFFSTORE', 'd', 's1', 's2'),
  ],
  'set stores with an empty result journal only when they delete the destination': [
    call('SADD', 's1', 'a'),
    call('SADD', 's2', 'b'),
    call('SINTERSTORE', 'none', 's1', 's2'),
    call('SET', 'old', 'x'),
    call('SINTERSTORE', 'old', 's1', 's2'),
    call('SDIFFSTORE', 'd', 's1', 's1'),
    call('SUNIONSTORE', 'u', 'missing1', 'missing2'),
  ],
};

export const zsetScenarios: Scenarios = {
  'ZADD journals only when it changes something': [
    call('ZADD', 'z', '1', 'a', '2', 'b'),
    call('ZADD', 'z', '1', 'a'),
    call('ZADD', 'z', 'NX', '5', 'a'),
    call('ZADD', 'z', 'XX', 'CH', '3', 'a'),
    call('ZADD', 'z', 'INCR', '1', 'b'),
    call('ZADD', 'z', 'XX', 'INCR', '1', 'missing'),
  ],
  'ZINCRBY and ZREM are journalled verbatim; a ZREM of nothing is not': [
    call('ZINCRBY', 'z', '2.5', 'a'),
    call('ZADD', 'z', '1', 'b'),
    call('ZREM', 'z', 'b', 'x'),
    call('ZREM', 'z', 'x'),
  ],
  'ZREMRANGEBY* journal only when they remove': [
    call('ZADD', 'z', '1', 'a', '2', 'b', '3', 'c', '4', 'd'),
    call('ZREMRANGEBYRANK', 'z', '0', '0'),
    call('ZREMRANGEBYSCORE', 'z', '2', '2'),
    call('ZREMRANGEBYLEX', 'z', '[c', '[c'),
    call('ZREMRANGEBYRANK', 'z', '5', '9'),
    call('ZREMRANGEBYSCORE', 'z', '100', '200'),
    call('ZREMRANGEBYLEX', 'z', '[x', '[z'),
  ],
  'ZPOPMIN and ZPOPMAX are journalled verbatim': [call('ZADD', 'z', '1', 'a', '2', 'b', '3', 'c', '4', 'd'), call('ZPOPMIN', 'z'), call('ZPOPMAX', 'z', '2'), call('ZPOPMIN', 'z', '10')],
  'ZPOPMIN and ZPOPMAX of a missing key journal nothing': [call('ZPOPMIN', 'missing'), call('ZPOPMAX', 'missing', '3')],
  'ZMPOP becomes ZPOPMIN or ZPOPMAX with the count': [
    call('ZADD', 'z', '1', 'a', '2', 'b', '3', 'c'),
    call('ZMPOP', '2', 'missing', 'z', 'MIN'),
    call('ZMPOP', '1', 'z', 'MAX', 'COUNT', '10'),
    call('ZMPOP', '1', 'z', 'MIN'),
  ],
  'BZPOPMIN, BZPOPMAX and BZMPOP served at once': [
    call('ZADD', 'z', '1', 'a', '2', 'b', '3', 'c', '4', 'd'),
    call('BZPOPMIN', 'missing', 'z', '0'),
    call('BZPOPMAX', 'z', '0'),
    call('BZMPOP', '0', '1', 'z', 'MIN', 'COUNT', '5'),
  ],
  'BZPOPMIN served after another client adds becomes ZPOPMIN': [send('a', 'BZPOPMIN', 'z', '0'), blocked(1), on('b', 'ZADD', 'z', '1', 'x', '2', 'y'), reply('a')],
  'BZPOPMAX served after another client adds becomes ZPOPMAX': [send('a', 'BZPOPMAX', 'z', '0'), blocked(1), on('b', 'ZADD', 'z', '1', 'x', '2', 'y'), reply('a')],
  'BZMPOP served after another client adds becomes ZPOPMAX with the count': [
    send('a', 'BZMPOP', '0', '1', 'z', 'MAX', 'COUNT', '3'),
    blocked(1),
    on('b', 'ZADD', 'z', '1', 'x', '2', 'y'),
    reply('a'),
  ],
  'ZRANGESTORE, ZUNIONSTORE, ZINTERSTORE and ZDIFFSTORE are journalled verbatim': [
    call('ZADD', 'z1', '1', 'a', '2', 'b'),
    call('ZADD', 'z2', '3', 'b', '4', 'c'),
    call('ZRANGESTORE', 'r', 'z1', '0', '-1'),
    call('ZUNIONSTORE', 'u', '2', 'z1', 'z2', 'WEIGHTS', '1', '2'),
    call('ZINTERSTORE', 'i', '2', 'z1', 'z2', 'AGGREGATE', 'MAX'),
    call('ZDIFFSTORE', 'd', '2', 'z1', 'z2'),
  ],
  'zset stores with an empty result journal only when they delete the destination': [
    call('ZADD', 'z1', '1', 'a'),
    call('ZRANGESTORE', 'r', 'z1', '5', '9'),
    call('SET', 'old', 'x'),
    call('ZINTERSTORE', 'old', '2', 'z1', 'missing'),
    call('ZDIFFSTORE', 'd', '1', 'missing'),
    call('ZUNIONSTORE', 'u', '1', 'missing'),
  ],
};

/** GEO commands: GEOADD propagates as the ZADD it turns into (geo.c's replaceClientCommandVector). */
export const geoScenarios: Scenarios = {
  'GEOADD becomes ZADD with the geohash scores and its options; one that changes nothing journals nothing': [
    call('GEOADD', 'g', '13.361389', '38.115556', 'Palermo', '180', '85.05112878', 'edge', '-180', '-85.05112878', 'edge2', '180', '10', 'past2to53'),
    call('geoadd', 'g', 'CH', 'XX', '15.087269', '37.502669', 'Palermo'),
    call('GEOADD', 'g', 'NX', '1', '1', 'Palermo'),
    call('GEOADD', 'g', '200', '1', 'bad'),
  ],
  'GEORADIUS STORE, GEORADIUSBYMEMBER STOREDIST and GEOSEARCHSTORE are journalled verbatim, empty results only when they delete': [
    call('GEOADD', 'g', '13.361389', '38.115556', 'Palermo', '15.087269', '37.502669', 'Catania'),
    call('GEORADIUS', 'g', '15', '37', '200', 'km', 'STORE', 'r1'),
    call('GEORADIUSBYMEMBER', 'g', 'Palermo', '100', 'mi', 'STOREDIST', 'r2'),
    call('GEOSEARCHSTORE', 'r3', 'g', 'FROMLONLAT', '15', '37', 'BYBOX', '400', '400', 'km', 'STOREDIST'),
    call('GEOSEARCHSTORE', 'r3', 'g', 'FROMLONLAT', '0', '0', 'BYRADIUS', '1', 'km'),
    call('GEOSEARCHSTORE', 'r3', 'g', 'FROMLONLAT', '0', '0', 'BYRADIUS', '1', 'km'),
    call('GEORADIUS', 'missing', '15', '37', '200', 'km', 'STORE', 'r1'),
    call('GEOSEARCH', 'g', 'FROMMEMBER', 'Palermo', 'BYRADIUS', '1', 'km'),
  ],
};

export const bitmapAndHllScenarios: Scenarios = {
  'SETBIT journals only when the bit or the length changes': [
    call('SETBIT', 'b', '7', '1'),
    call('SETBIT', 'b', '7', '1'),
    call('SETBIT', 'b', '6', '0'),
    call('SETBIT', 'b', '100', '0'),
    call('SETBIT', 'new', '0', '0'),
  ],
  'BITOP is journalled verbatim; an empty result onto no key journals nothing': [
    call('SET', 'x', 'ab'),
    call('SET', 'y', 'cd'),
    call('BITOP', 'AND', 'dest', 'x', 'y'),
    call('BITOP', 'OR', 'none', 'missing1', 'missing2'),
    call('BITOP', 'OR', 'dest', 'missing1', 'missing2'),
  ],
  'BITFIELD is journalled verbatim only when a SET or INCRBY changes a field': [
    call('BITFIELD', 'b', 'SET', 'u8', '0', '255'),
    call('BITFIELD', 'b', 'SET', 'u8', '0', '255'),
    call('BITFIELD', 'b', 'INCRBY', 'u8', '8', '1', 'GET', 'u8', '0'),
    call('BITFIELD', 'b', 'INCRBY', 'u8', '8', '0'),
    call('BITFIELD', 'b', 'SET', 'u8', '64', '0'),
  ],
  'BITFIELD with only GET journals nothing': [call('SET', 'b', 'x'), call('BITFIELD', 'b', 'GET', 'u8', '0'), call('BITFIELD', 'missing', 'GET', 'u4', '0')],
  'BITFIELD whose INCRBY fails on overflow journals nothing': [call('BITFIELD', 'b', 'SET', 'u8', '0', '250'), call('BITFIELD', 'b', 'OVERFLOW', 'FAIL', 'INCRBY', 'u8', '0', '10')],
  'PFADD journals only when it creates the key or changes a register': [call('PFADD', 'h', 'a', 'b'), call('PFADD', 'h', 'a'), call('PFADD', 'h', 'b', 'c'), call('PFADD', 'e'), call('PFADD', 'e')],
  'PFMERGE is journalled verbatim, even when nothing changes': [call('PFADD', 'h1', 'a'), call('PFADD', 'h2', 'b'), call('PFMERGE', 'd', 'h1', 'h2'), call('PFMERGE', 'd', 'h1'), call('PFMERGE', 'empty')],
  'PFCOUNT is journalled verbatim when it refreshes a stale cached cardinality': [call('PFADD', 'h', 'a', 'b'), call('PFCOUNT', 'h'), call('PFCOUNT', 'h'), call('PFADD', 'h', 'c'), call('PFCOUNT', 'h')],
};

export const sortScenarios: Scenarios = {
  'SORT STORE is journalled verbatim': [call('RPUSH', 'l', '3', '1', '2'), call('SORT', 'l', 'STORE', 'dst'), call('SORT', 'l', 'DESC', 'LIMIT', '0', '2', 'STORE', 'dst')],
  'SORT STORE with an empty result journals only when it deletes the destination': [call('SORT', 'missing', 'STORE', 'dst'), call('SET', 'dst', 'x'), call('SORT', 'missing', 'STORE', 'dst')],
  'SORT without STORE journals nothing': [call('RPUSH', 'l', '3', '1', '2'), call('SORT', 'l'), call('SORT', 'l', 'ALPHA', 'DESC')],
};

export const transactionScenarios: Scenarios = {
  'MULTI/EXEC with writes is wrapped in MULTI ... EXEC': [call('MULTI'), call('SET', 'a', '1'), call('INCR', 'n'), call('GET', 'a'), call('EXEC')],
  'MULTI/EXEC with a single write is not wrapped': [call('MULTI'), call('SET', 'a', '1'), call('GET', 'a'), call('EXEC')],
  'MULTI/EXEC with only reads journals nothing': [call('SET', 'a', '1'), call('MULTI'), call('GET', 'a'), call('EXISTS', 'a'), call('EXEC')],
  'MULTI/EXEC whose writes change nothing journals nothing': [call('MULTI'), call('DEL', 'missing'), call('SREM', 's', 'x'), call('EXEC')],
  'MULTI/EXEC rewrites inside the transaction': [
    call('SADD', 's', 'only'),
    call('MULTI'),
    call('SET', 'a', '1', 'EX', '100'),
    call('INCRBYFLOAT', 'f', '1.5'),
    call('SPOP', 's'),
    call('EXPIRE', 'a', '-1'),
    call('EXEC'),
  ],
  'MULTI/EXEC leaves out a command that failed at run time': [call('SET', 's', 'text'), call('MULTI'), call('INCR', 's'), call('SET', 't', 'v'), call('LPUSH', 's', 'x'), call('INCR', 'n'), call('EXEC')],
  'MULTI/EXEC with SELECT inside': [call('MULTI'), call('SET', 'a', '1'), call('SELECT', '1'), call('SET', 'b', '2'), call('SELECT', '0'), call('SET', 'c', '3'), call('EXEC'), call('SET', 'd', '4')],
  'MULTI/EXEC in another database': [call('SELECT', '2'), call('MULTI'), call('SET', 'a', '1'), call('SET', 'b', '2'), call('EXEC')],
  'MULTI/EXEC with a blocking command that is served at once or not at all': [call('RPUSH', 'l', 'x'), call('MULTI'), call('BLPOP', 'l', '0'), call('BLPOP', 'l', '0'), call('SET', 'k', 'v'), call('EXEC')],
  'MULTI/EXEC with FLUSHALL inside': [call('SET', 'a', '1'), call('MULTI'), call('SET', 'b', '2'), call('FLUSHALL'), call('SET', 'c', '3'), call('EXEC')],
  'DISCARD journals nothing': [call('MULTI'), call('SET', 'a', '1'), call('DISCARD')],
  'an EXEC aborted by a queueing error journals nothing': [call('MULTI'), call('SET', 'a', '1'), call('NOSUCHCOMMAND'), call('EXEC')],
  'an EXEC aborted by WATCH journals nothing': [call('WATCH', 'w'), on('b', 'SET', 'w', '1'), call('MULTI'), call('SET', 'a', '1'), call('EXEC')],
};

export const databaseScenarios: Scenarios = {
  'SELECT is journalled only where the database changes': [
    call('SET', 'a', '1'),
    call('SELECT', '1'),
    call('SET', 'b', '1'),
    call('SET', 'c', '1'),
    call('SELECT', '1'),
    call('SELECT', '0'),
    call('GET', 'a'),
    call('SELECT', '2'),
    call('SET', 'd', '1'),
  ],
  'two clients in different databases take turns': [
    on('a', 'SELECT', '1'),
    on('b', 'SELECT', '2'),
    on('a', 'SET', 'x', '1'),
    on('b', 'SET', 'x', '2'),
    on('b', 'SET', 'y', '2'),
    on('a', 'SET', 'y', '1'),
  ],
  'a scenario that starts in another database starts with its SELECT': [call('SELECT', '9'), call('SET', 'a', '1')],
};

export const expiryScenarios: Scenarios = {
  'a read that finds a key expired journals DEL': [call('SET', 'k', 'v', 'PX', '20'), LET_EXPIRE, call('GET', 'k'), call('GET', 'k')],
  'EXISTS and TTL that find keys expired journal DEL': [call('SET', 'k', 'v', 'PX', '20'), call('SET', 'j', 'v', 'PX', '20'), LET_EXPIRE, call('EXISTS', 'k'), call('TTL', 'j')],
  'a read that finds two keys expired': [call('SET', 'a', '1', 'PX', '20'), call('SET', 'b', '2', 'PX', '20'), LET_EXPIRE, call('MGET', 'a', 'b', 'c')],
  'a write that finds its key expired: DEL, then the write, in MULTI ... EXEC': [call('RPUSH', 'l', 'x'), call('PEXPIRE', 'l', '20'), LET_EXPIRE, call('LPUSH', 'l', 'y')],
  'SET over an expired key': [call('SET', 'k', 'v', 'PX', '20'), LET_EXPIRE, call('SET', 'k', 'w')],
  'SET NX over an expired key': [call('SET', 'k', 'v', 'PX', '20'), LET_EXPIRE, call('SET', 'k', 'w', 'NX')],
  'INCR of an expired key: DEL, then INCR': [call('SET', 'n', '5', 'PX', '20'), LET_EXPIRE, call('INCR', 'n')],
  'a write that finds its key expired and then changes nothing: just the DEL': [call('SADD', 's', 'a'), call('PEXPIRE', 's', '20'), LET_EXPIRE, call('SREM', 's', 'a')],
  'EXPIRE of an expired key: just the DEL': [call('SET', 'k', 'v', 'PX', '20'), LET_EXPIRE, call('EXPIRE', 'k', '100')],
  'DEL of an expired key: just the expiry DEL': [call('SET', 'k', 'v', 'PX', '20'), LET_EXPIRE, call('DEL', 'k')],
  'a store whose sources expired': [call('SADD', 'a', 'x'), call('SADD', 'b', 'y'), call('PEXPIRE', 'a', '20'), call('PEXPIRE', 'b', '20'), LET_EXPIRE, call('SADD', 'c', 'z'), call('SUNIONSTORE', 'd', 'a', 'b', 'c')],
  'RENAME onto an expired key': [call('SET', 'a', '1'), call('SET', 'b', '2', 'PX', '20'), LET_EXPIRE, call('RENAME', 'a', 'b')],
  'MULTI/EXEC that finds a key expired: the DEL goes inside the transaction': [call('SET', 'k', 'v', 'PX', '20'), LET_EXPIRE, call('MULTI'), call('GET', 'k'), call('SET', 'j', 'w'), call('EXEC')],
  'MULTI/EXEC of reads that find a key expired': [call('SET', 'k', 'v', 'PX', '20'), LET_EXPIRE, call('MULTI'), call('GET', 'k'), call('EXEC')],
  'an expired key in another database is deleted there': [call('SELECT', '4'), call('SET', 'k', 'v', 'PX', '20'), LET_EXPIRE, call('SELECT', '0'), call('SET', 'a', '1'), call('SELECT', '4'), call('GET', 'k')],
  'a blocking pop that finds its list expired journals DEL and blocks': [call('RPUSH', 'l', 'x'), call('PEXPIRE', 'l', '20'), LET_EXPIRE, call('BLPOP', 'l', '0.01')],
  'active expiry journals DEL': [call('SET', 'k', 'v', 'PX', '20'), activeExpiry(0, 0)],
  'active expiry in another database journals DEL there': [
    call('SELECT', '5'),
    call('SET', 'k', 'v', 'PX', '20'),
    call('SELECT', '0'),
    call('SET', 'a', '1'),
    activeExpiry(5, 0),
    call('SET', 'b', '1'),
  ],
  'active expiry of several keys journals one DEL each, unwrapped': [
    call('SET', 'a', '1', 'PX', '20'),
    call('SET', 'b', '1', 'PX', '20'),
    call('SET', 'c', '1', 'PX', '20'),
    activeExpiry(0, 0),
  ],
  'SCAN that finds keys expired journals one DEL each, unwrapped': [call('SET', 'a', '1', 'PX', '20'), call('SET', 'b', '1', 'PX', '20'), call('SET', 'c', '1'), LET_EXPIRE, anyOrder('SCAN', '0', 'COUNT', '100')],
  'RANDOMKEY that finds every key expired journals one DEL each, unwrapped': [call('SET', 'a', '1', 'PX', '20'), call('SET', 'b', '1', 'PX', '20'), LET_EXPIRE, anyOrder('RANDOMKEY')],
  'KEYS skips expired keys without deleting them': [call('SET', 'a', '1', 'PX', '20'), call('SET', 'b', '1'), LET_EXPIRE, call('KEYS', '*'), call('DBSIZE')],
  'INCRBYFLOAT of an expired key: DEL, then SET KEEPTTL, in MULTI ... EXEC': [call('SET', 'f', '1.5', 'PX', '20'), LET_EXPIRE, call('INCRBYFLOAT', 'f', '1')],
  'with lazyfree-lazy-expire, expiries journal UNLINK': [
    call('CONFIG', 'SET', 'lazyfree-lazy-expire', 'yes'),
    call('SET', 'k', 'v', 'PX', '20'),
    call('SET', 'j', 'v', 'PX', '20'),
    LET_EXPIRE,
    call('GET', 'k'),
    call('LPUSH', 'j', 'x'),
    call('EXPIRE', 'j', '-1'),
    call('SET', 'g', 'v'),
    call('GETEX', 'g', 'PXAT', PAST_MS),
    call('CONFIG', 'SET', 'lazyfree-lazy-expire', 'no'),
  ],
};

/** A library of one writing function and one reader, for the FUNCTION and FCALL scenarios. */
const LIBRARY = "#!lua name=plib\nredis.register_function('w', function(keys, args) redis.call('SET', keys[1], args[1]) return redis.call('INCR', keys[2]) end)\nredis.register_function{function_name='r', callback=function(keys) return redis.call('GET', keys[1]) end, flags={'no-writes'}}";

/**
 * FUNCTION DUMP of one library (`#!lua name=dumped`, function `from_dump`)
 * made by redis-server 7.0.15, as hex.
 */
const DUMPED_LIBRARY = Buffer.from(
  'f5404f23216c7561206e616d653d64756d7065640a72656469732e72656769737465725f66756e6374696f6e282766726f6d5f64756d70272c2066756e6374696f6e28292072657475726e203120656e64290a0056baad854bdff420',
  'hex',
);

export const scriptingScenarios: Scenarios = {
  "A script's writes are journalled as its effects, wrapped in MULTI/EXEC": [
    call('EVAL', "redis.call('SET', KEYS[1], 'a') redis.call('INCR', KEYS[2]) return 1", '2', 'k', 'n'),
  ],
  "A script's one write is journalled alone": [call('EVAL', "return redis.call('SET', KEYS[1], 'a')", '1', 'k')],
  'A script that only reads journals nothing, by EVAL or EVALSHA': [
    call('SET', 'k', 'v'),
    call('EVAL', "return redis.call('GET', KEYS[1])", '1', 'k'),
    call('SCRIPT', 'LOAD', "return redis.call('GET', KEYS[1])"),
    call('EVALSHA', 'd3c21d0c2b9ca22f82737626a27bcaf5d288f99f', '1', 'k'),
  ],
  "A script's rewritten commands are journalled rewritten": [call('EVAL', "redis.call('SET', KEYS[1], 'a', 'EX', '100') return redis.call('INCRBYFLOAT', KEYS[2], '1.5')", '2', 'k', 'f')],
  'FUNCTION LOAD is journalled verbatim, and FCALL as its effects': [
    call('FUNCTION', 'FLUSH'),
    call('FUNCTION', 'LOAD', LIBRARY),
    call('FCALL', 'w', '2', 'k', 'n', 'v'),
    call('FCALL_RO', 'r', '1', 'k'),
  ],
  'A failed FUNCTION LOAD journals nothing': [call('FUNCTION', 'FLUSH'), call('FUNCTION', 'LOAD', '#!lua name=bad\nreturn 1 +')],
  'FUNCTION DELETE and FUNCTION FLUSH are journalled verbatim': [
    call('FUNCTION', 'FLUSH', 'SYNC'),
    call('FUNCTION', 'LOAD', 'REPLACE', LIBRARY),
    call('FUNCTION', 'DELETE', 'plib'),
    call('FUNCTION', 'DELETE', 'plib'),
    call('FUNCTION', 'FLUSH', 'ASYNC'),
  ],
  'FUNCTION RESTORE is journalled verbatim': [call('FUNCTION', 'FLUSH'), call('FUNCTION', 'RESTORE', DUMPED_LIBRARY.toString('latin1'), 'REPLACE'), call('FCALL', 'from_dump', '0')],
};

/**
 * Streams. IDs are explicit (or `ms-*`), so both servers choose the same
 * ones; XCLAIM's TIME argument, a clock reading, is aligned within the
 * timestamp tolerance.
 */
export const streamScenarios: Scenarios = {
  'XADD with an explicit ID is journalled verbatim': [call('XADD', 's', '1-1', 'f', 'v'), call('xadd', 's', '2', 'f', 'v', 'g', 'w')],
  'XADD ms-* journals the ID it chose': [call('XADD', 's', '5-*', 'f', 'v'), call('XADD', 's', '5-*', 'f', 'w')],
  'XADD NOMKSTREAM on a missing key journals nothing': [call('XADD', 's', 'NOMKSTREAM', '1-1', 'f', 'v')],
  'XADD refused (ID too small, 0-0) journals nothing': [call('XADD', 's', '5-0', 'f', 'v'), call('XADD', 's', '4-0', 'f', 'v'), call('XADD', 's', '0-0', 'f', 'v')],
  'XADD MAXLEN ~ journals MAXLEN = with the length left': [
    call('XADD', 's', '1-1', 'f', 'v'),
    call('XADD', 's', '2-1', 'f', 'v'),
    call('XADD', 's', 'MAXLEN', '~', '1', '3-1', 'f', 'v'),
  ],
  'XADD MINID ~ journals MINID = with the first ID left': [
    call('XADD', 's', '1-1', 'f', 'v'),
    call('XADD', 's', 'MINID', '~', '2', 'LIMIT', '10', '3-*', 'f', 'v'),
  ],
  'XADD MAXLEN = is journalled verbatim': [call('XADD', 's', '1-1', 'f', 'v'), call('XADD', 's', 'MAXLEN', '=', '1', '2-1', 'f', 'v')],
  'XTRIM journals only when it trims, ~ as =': [
    call('XADD', 's', '1-1', 'f', 'v'),
    call('XADD', 's', '2-1', 'f', 'v'),
    call('XADD', 's', '3-1', 'f', 'v'),
    call('XTRIM', 's', 'MAXLEN', '5'),
    call('XTRIM', 's', 'MAXLEN', '2'),
    call('XTRIM', 's', 'MAXLEN', '~', '0'),
    call('XTRIM', 's', 'MINID', '3'),
  ],
  'XDEL journals only when it deletes': [call('XADD', 's', '1-1', 'f', 'v'), call('XDEL', 's', '9-9'), call('XDEL', 's', '1-1', '2-2')],
  'XSETID is journalled verbatim': [call('XADD', 's', '1-1', 'f', 'v'), call('XSETID', 's', '5-0', 'ENTRIESADDED', '3', 'MAXDELETEDID', '2-0')],
  'XGROUP subcommands are journalled verbatim': [
    call('XGROUP', 'CREATE', 's', 'g', '$', 'MKSTREAM'),
    call('XGROUP', 'CREATE', 's', 'g2', '0', 'ENTRIESREAD', '0'),
    call('XGROUP', 'SETID', 's', 'g', '0'),
    call('XGROUP', 'CREATECONSUMER', 's', 'g', 'c'),
    call('XGROUP', 'CREATECONSUMER', 's', 'g', 'c'),
    call('XGROUP', 'DELCONSUMER', 's', 'g', 'c'),
    call('XGROUP', 'DESTROY', 's', 'g2'),
    call('XGROUP', 'DESTROY', 's', 'nosuch'),
  ],
  'XREADGROUP becomes one XCLAIM per entry delivered, in MULTI ... EXEC': [
    call('XADD', 's', '1-1', 'f', 'v'),
    call('XADD', 's', '2-1', 'f', 'v'),
    call('XGROUP', 'CREATE', 's', 'g', '0'),
    call('XREADGROUP', 'GROUP', 'g', 'c', 'STREAMS', 's', '>'),
    call('XREADGROUP', 'GROUP', 'g', 'c', 'STREAMS', 's', '>'),
  ],
  'XREADGROUP NOACK becomes XGROUP CREATECONSUMER and XGROUP SETID': [
    call('XADD', 's', '1-1', 'f', 'v'),
    call('XGROUP', 'CREATE', 's', 'g', '0'),
    call('XREADGROUP', 'GROUP', 'g', 'c', 'NOACK', 'STREAMS', 's', '>'),
  ],
  'XACK is journalled when it acknowledges': [
    call('XADD', 's', '1-1', 'f', 'v'),
    call('XGROUP', 'CREATE', 's', 'g', '0'),
    call('XREADGROUP', 'GROUP', 'g', 'c', 'STREAMS', 's', '>'),
    call('XACK', 's', 'g', '1-1'),
    call('XACK', 's', 'g', '1-1'),
  ],
  'XCLAIM becomes XCLAIM with TIME, RETRYCOUNT, FORCE, JUSTID and LASTID': [
    call('XADD', 's', '1-1', 'f', 'v'),
    call('XGROUP', 'CREATE', 's', 'g', '0'),
    call('XREADGROUP', 'GROUP', 'g', 'c', 'STREAMS', 's', '>'),
    call('XCLAIM', 's', 'g', 'd', '0', '1-1'),
    call('XCLAIM', 's', 'g', 'd', '0', '1-1', 'LASTID', '5-0', 'JUSTID'),
  ],
  'XCLAIM of a deleted entry drops it, journalled as XCLAIM': [
    call('XADD', 's', '1-1', 'f', 'v'),
    call('XADD', 's', '2-1', 'f', 'v'),
    call('XGROUP', 'CREATE', 's', 'g', '0'),
    call('XREADGROUP', 'GROUP', 'g', 'c', 'STREAMS', 's', '>'),
    call('XDEL', 's', '1-1'),
    call('XCLAIM', 's', 'g', 'd', '0', '1-1'),
  ],
  'XAUTOCLAIM becomes one XCLAIM per entry claimed or dropped': [
    call('XADD', 's', '1-1', 'f', 'v'),
    call('XADD', 's', '2-1', 'f', 'v'),
    call('XGROUP', 'CREATE', 's', 'g', '0'),
    call('XREADGROUP', 'GROUP', 'g', 'c', 'STREAMS', 's', '>'),
    call('XDEL', 's', '2-1'),
    call('XAUTOCLAIM', 's', 'g', 'd', '0', '0'),
  ],
};
