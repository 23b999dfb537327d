/**
 * The scripting corpus: Lua scripts and short command sessions, as data,
 * that scripting.test.ts plays against a real redis-server 7.0.15 and the
 * candidate, comparing every reply byte for byte.
 *
 * Every case must be deterministic between two correct servers. That is why
 * no case returns REDIS_VERSION, memory or time readings, tostring() of a
 * table or function (an address), or a set/map in hash order without
 * sorting it first (the `show` helper below sorts table keys), and why every
 * use of math.random seeds it first.
 *
 * Left out on purpose, because Redis 7.0.15 itself misbehaves: `error({})`
 * and any other error table without an `err` field crash the server with a
 * segfault (luaCallFunction formats a NULL message).
 */
import { createHash } from 'node:crypto';
import type { Command } from '../helpers/resp-client.js';

export type Protocol = 2 | 3;

/**
 * One script, run with EVAL (or EVAL_RO) on a fresh connection after
 * FLUSHALL and `setup`, followed by `after` (commands that read what the
 * script changed). The runner plays it once per protocol and, when `viaSha`,
 * once more through SCRIPT LOAD + EVALSHA.
 */
export interface ScriptCase {
  kind: 'script';
  name: string;
  body: string;
  keys: readonly string[];
  args: readonly string[];
  setup: readonly Command[];
  after: readonly Command[];
  protocols: readonly Protocol[];
  /** EVAL_RO / EVALSHA_RO instead of EVAL / EVALSHA. */
  readOnly: boolean;
  viaSha: boolean;
}

/**
 * One step of a session: the named client (each client is its own
 * connection) sends argv and reads its reply, or, with `read`, reads one
 * frame that another client's command caused (a published message).
 */
export type SessionStep = { client: string; argv: Command } | { client: string; read: true };

/** A sequence of commands, possibly from several clients, after FLUSHALL; every reply is compared. */
export interface SessionCase {
  kind: 'session';
  name: string;
  steps: readonly SessionStep[];
  protocols: readonly Protocol[];
}

export type CorpusCase = ScriptCase | SessionCase;

export interface CorpusTheme {
  theme: string;
  cases: readonly CorpusCase[];
}

interface ScriptOptions {
  keys?: readonly string[];
  args?: readonly string[];
  setup?: readonly Command[];
  after?: readonly Command[];
  protocols?: readonly Protocol[];
  readOnly?: boolean;
  viaSha?: boolean;
}

const BOTH: readonly Protocol[] = [2, 3];

function script(name: string, body: string, options: ScriptOptions = {}): ScriptCase {
  return {
    kind: 'script',
    name,
    body,
    keys: options.keys ?? [],
    args: options.args ?? [],
    setup: options.setup ?? [],
    after: options.after ?? [],
    protocols: options.protocols ?? BOTH,
    readOnly: options.readOnly ?? false,
    viaSha: options.viaSha ?? true,
  };
}

/** The same body after redis.setresp(2) and after redis.setresp(3): how the script sees replies. */
function underBothSetresp(name: string, body: string, options: ScriptOptions = {}): ScriptCase[] {
  return ([2, 3] as const).map((resp) => script(`${name} (setresp ${resp})`, `redis.setresp(${resp})\n${body}`, options));
}

export function step(client: string, ...argv: Command): SessionStep {
  return { client, argv };
}

export function read(client: string): SessionStep {
  return { client, read: true };
}

/** A session on one client. */
export function commands(name: string, ...argvs: Command[]): SessionCase {
  return { kind: 'session', name, steps: argvs.map((argv) => step('main', ...argv)), protocols: BOTH };
}

export function session(name: string, ...steps: SessionStep[]): SessionCase {
  return { kind: 'session', name, steps, protocols: BOTH };
}

export function sha1hex(body: string): string {
  return createHash('sha1').update(Buffer.from(body, 'latin1')).digest('hex');
}

/** Lua source as written: backslashes reach Lua unchanged, so Lua's own escapes (\0, \255, \r\n) apply. */
const lua = String.raw;

/**
 * A Lua function that renders any value deterministically: strings with %q,
 * numbers with %.17g, tables with their keys sorted (so sets and maps read
 * back from Redis come out in one order), everything else with tostring.
 */
const SHOW = lua`local function show(v)
  local t = type(v)
  if t == 'string' then return string.format('%q', v) end
  if t == 'number' then return 'n:' .. string.format('%.17g', v) end
  if t ~= 'table' then return tostring(v) end
  local keys = {}
  for k in pairs(v) do keys[#keys + 1] = k end
  table.sort(keys, function(a, b)
    if type(a) ~= type(b) then return type(a) < type(b) end
    return a < b
  end)
  local parts = {}
  for _, k in ipairs(keys) do parts[#parts + 1] = '[' .. show(k) .. ']=' .. show(v[k]) end
  return '{' .. table.concat(parts, ',') .. '}'
end
`;

/** A Lua function that renders a string's bytes as lowercase hex, byte by byte. */
const HEX = lua`local function hex(s)
  local out = {}
  for i = 1, #s do out[#out + 1] = string.format('%02x', string.byte(s, i)) end
  return table.concat(out)
end
`;

// ---------------------------------------------------------------------------
// Lua values converted to replies
// ---------------------------------------------------------------------------

const luaNumbers: CorpusCase[] = [
  script('integer', 'return 42'),
  script('negative integer', 'return -7'),
  script('zero', 'return 0'),
  script('fraction truncates toward zero', 'return 3.99'),
  script('negative fraction truncates toward zero', 'return -3.99'),
  script('0.5 becomes 0', 'return 0.5'),
  script('-0.5 becomes 0', 'return -0.5'),
  script('negative zero', 'return -0'),
  script('2^53', 'return 2^53'),
  script('2^53 + 1 is not representable', 'return 9007199254740993'),
  script('1e15', 'return 1e15'),
  script('1e20 overflows the integer reply', 'return 1e20'),
  script('-1e20 overflows the integer reply', 'return -1e20'),
  script('inf', 'return 1/0'),
  script('-inf', 'return -1/0'),
  script('nan', 'return 0/0'),
  script('largest int64 as a double', 'return 9223372036854775807'),
  script('number from a string', "return tonumber('12.9')"),
  script('numbers inside an array', 'return {1, 2.5, -2.7, 0.5, -0.5, 1e3}'),
  script('huge numbers inside an array', 'return {1e20, 1/0, -1/0, 0/0}'),
];

const luaStrings: CorpusCase[] = [
  script('string', "return 'hello'"),
  script('empty string', "return ''"),
  script('embedded NUL', lua`return "a\0b\0"`),
  script('binary bytes', lua`return "\255\254\0\1\128"`),
  script('CRLF inside a bulk string is kept', lua`return "line\r\nbreak"`),
  script('only CRLF', lua`return "\r\n"`),
  script('long string', "return string.rep('x', 10000)"),
  script('number rendered as string', 'return tostring(12)'),
  script('string that looks like a status', "return 'OK'"),
  script('string that looks like an error', "return '-ERR not an error'"),
  script('binary argument echoed', 'return ARGV[1]', { args: ['\x00\xff\r\n\x01'] }),
];

const luaBooleansAndNil: CorpusCase[] = [
  script('true becomes 1', 'return true'),
  script('false becomes nil', 'return false'),
  script('nil', 'return nil'),
  script('no return statement', 'local x = 1'),
  script('empty body', ''),
  script('booleans inside an array', 'return {true, false, true}'),
  script('true under setresp(3)', 'redis.setresp(3)\nreturn true'),
  script('false under setresp(3)', 'redis.setresp(3)\nreturn false'),
  script('booleans in an array under setresp(3)', 'redis.setresp(3)\nreturn {true, false, 1}'),
  script('nil under setresp(3)', 'redis.setresp(3)\nreturn nil'),
  script('setresp(3) then back to 2 before returning booleans', 'redis.setresp(3)\nredis.setresp(2)\nreturn {true, false}'),
];

const luaTables: CorpusCase[] = [
  script('array', "return {1, 'two', 3}"),
  script('empty table', 'return {}'),
  script('nil ends an array', "return {1, 2, nil, 4}"),
  script('leading nil gives an empty array', 'return {nil, 1}'),
  script('sparse array stops at the hole', 'local t = {}\nt[1] = 1\nt[3] = 3\nreturn t'),
  script('hash part ignored', "return {1, 2, a = 3, b = 'x'}"),
  script('hash part only gives an empty array', "return {a = 1}"),
  script('nested arrays', "return {1, {2, {3, 'x'}}, 'y', {}}"),
  script('deeply nested arrays', 'local t = {1}\nfor i = 1, 50 do t = {t, i} end\nreturn t'),
  script('array of 1000 elements', 'local t = {}\nfor i = 1, 1000 do t[i] = i * 2 end\nreturn t'),
  script('ok and err tables nested in an array', "return {1, {ok = 'fine'}, {err = 'ERR inner'}, 2}"),
  script('array of strings with NUL', lua`return {"a\0", "", "\0"}`),
  script('number keys as strings are hash part', "local t = {}\nt['1'] = 'x'\nreturn t"),
  script('table with false in the array part', "return {false, 'after'}"),
];

const luaStatusAndErrorTables: CorpusCase[] = [
  script('ok table', "return {ok = 'FINE'}"),
  script('ok table with CRLF', lua`return {ok = "a\r\nb"}`),
  script('ok table with empty status', "return {ok = ''}"),
  script('ok table with a number is not a status', 'return {ok = 5}'),
  script('ok table with array part', "return {ok = 'S', 1, 2}"),
  script('err table with a code', "return {err = 'MYCODE something failed'}"),
  script('err table without a code', "return {err = 'nocode'}"),
  script('err table with ERR prefix', "return {err = 'ERR plain'}"),
  script('err table with CRLF', lua`return {err = "ERR a\r\nb"}`),
  script('err table with empty message', "return {err = ''}"),
  script('err wins over ok', "return {err = 'E1 first', ok = 'second'}"),
  script('err table with a number is not an error', 'return {err = 3}'),
  script('err table with source and line fields', "return {err = 'E x', source = 'src', line = 7}"),
];

const luaReplyHelpers: CorpusCase[] = [
  script('status_reply', "return redis.status_reply('FINE')"),
  script('status_reply with a number', 'return redis.status_reply(123)'),
  script('status_reply with CRLF', lua`return redis.status_reply("a\r\nb")`),
  script('status_reply shape', SHOW + "return show(redis.status_reply('X'))"),
  script('status_reply without arguments', 'return redis.status_reply()'),
  script('status_reply with a table', 'return redis.status_reply({})'),
  script('status_reply with two arguments', "return redis.status_reply('a', 'b')"),
  script('error_reply', "return redis.error_reply('MY error text')"),
  script('error_reply with a leading dash', "return redis.error_reply('-CODE text')"),
  script('error_reply without a code', "return redis.error_reply('lowercase text')"),
  script('error_reply with CRLF', lua`return redis.error_reply("X\r\ny")`),
  script('error_reply with an empty string', "return redis.error_reply('')"),
  script('error_reply shape', SHOW + "return show(redis.error_reply('E x'))"),
  script('error_reply without arguments', 'return redis.error_reply()'),
  script('error_reply with a table', 'return redis.error_reply({})'),
  script('error_reply raised with error()', "error(redis.error_reply('RAISED it'))"),
  script('status and error replies inside an array', "return {redis.status_reply('A'), redis.error_reply('B c'), redis.error_reply('-D e')}"),
];

/** RESP3-only reply tables, each with and without redis.setresp(3), under both callers. */
const resp3Returns: Array<[string, string]> = [
  ['map with one key', "return {map = {field = 'value'}}"],
  ['map with number values', 'return {map = {a = 1}}'],
  ['map of arrays', "return {map = {list = {1, 2, 'x'}}}"],
  ['empty map', 'return {map = {}}'],
  ['map with nested map', "return {map = {outer = {map = {inner = true}}}}"],
  ['set with one member', "return {set = {member = true}}"],
  ['empty set', 'return {set = {}}'],
  ['double', 'return {double = 3.14}'],
  ['double integer value', 'return {double = 10}'],
  ['double 0.1', 'return {double = 0.1}'],
  ['double inf', 'return {double = 1/0}'],
  ['double -inf', 'return {double = -1/0}'],
  ['double nan', 'return {double = 0/0}'],
  ['double 1e300', 'return {double = 1e300}'],
  ['double negative zero', 'return {double = -0}'],
  ['double given as a string is ignored', "return {double = '1.5'}"],
  ['big_number', "return {big_number = '123456789012345678901234567890'}"],
  ['big_number with CRLF', lua`return {big_number = "12\r\n34"}`],
  ['verbatim_string', "return {verbatim_string = {format = 'txt', string = 'hello'}}"],
  ['verbatim_string markdown', "return {verbatim_string = {format = 'mkd', string = '# title'}}"],
  ['verbatim_string without string falls through', "return {verbatim_string = {format = 'txt'}}"],
  ['array of RESP3 values', "return {{double = 1.5}, {map = {k = 'v'}}, {set = {m = true}}, true, false}"],
];

const luaResp3Types: CorpusCase[] = resp3Returns.flatMap(([name, body]) => [
  script(name, body),
  script(`${name} after setresp(3)`, `redis.setresp(3)\n${body}`),
]);

// ---------------------------------------------------------------------------
// Replies converted to Lua values
// ---------------------------------------------------------------------------

const replyToLua: CorpusCase[] = [
  ...underBothSetresp('integer reply', SHOW + "return show(redis.call('INCR', 'counter'))"),
  ...underBothSetresp('integer reply returned raw', "return redis.call('INCRBY', 'counter', 5)"),
  ...underBothSetresp('bulk reply', SHOW + "return show(redis.call('GET', 'k'))", { setup: [['SET', 'k', 'v\x00\xff']] }),
  ...underBothSetresp('empty bulk reply', SHOW + "return show(redis.call('GET', 'k'))", { setup: [['SET', 'k', '']] }),
  ...underBothSetresp('nil bulk reply', SHOW + "return show(redis.call('GET', 'missing'))"),
  ...underBothSetresp('nil bulk reply returned raw', "return redis.call('GET', 'missing')"),
  ...underBothSetresp('nil array reply from a non-blocking BLMPOP', SHOW + "return show(redis.call('BLMPOP', 0, 1, 'nolist', 'LEFT'))"),
  ...underBothSetresp('nil array reply from LPOP with a count', SHOW + "return show(redis.call('LPOP', 'nolist', 1))"),
  ...underBothSetresp('nil array reply returned raw', "return redis.call('LPOP', 'nolist', 1)"),
  ...underBothSetresp('status reply', SHOW + "return show(redis.call('SET', 'k', 'v'))"),
  ...underBothSetresp('status reply returned raw', "return redis.call('SET', 'k', 'v')"),
  ...underBothSetresp('PING status', SHOW + "return show(redis.call('PING'))"),
  ...underBothSetresp('TYPE status', SHOW + "return show(redis.call('TYPE', 'k'))", { setup: [['RPUSH', 'k', 'a']] }),
  ...underBothSetresp('error reply through pcall', SHOW + "return show(redis.pcall('INCR', 'k'))", { setup: [['SET', 'k', 'abc']] }),
  ...underBothSetresp('array reply', SHOW + "return show(redis.call('LRANGE', 'l', 0, -1))", { setup: [['RPUSH', 'l', 'a', 'b', '']] }),
  ...underBothSetresp('empty array reply', SHOW + "return show(redis.call('LRANGE', 'missing', 0, -1))"),
  ...underBothSetresp('array with nil elements', SHOW + "return show(redis.call('MGET', 'a', 'missing', 'b'))", { setup: [['MSET', 'a', '1', 'b', '2']] }),
  ...underBothSetresp('nested array reply', SHOW + "return show(redis.call('SCAN', 0))", { setup: [['SET', 'only', '1']] }),
  ...underBothSetresp('HGETALL', SHOW + "return show(redis.call('HGETALL', 'h'))", { setup: [['HSET', 'h', 'f1', 'v1', 'f2', 'v2']] }),
  ...underBothSetresp('HGETALL returned raw, one field', "return redis.call('HGETALL', 'h')", { setup: [['HSET', 'h', 'f1', 'v1']] }),
  ...underBothSetresp('SMEMBERS', SHOW + lua`local r = redis.call('SMEMBERS', 's')
if r.set then return show(r) end
table.sort(r)
return show(r)`, { setup: [['SADD', 's', 'c', 'a', 'b']] }),
  ...underBothSetresp('SMEMBERS returned raw, one member', "return redis.call('SMEMBERS', 's')", { setup: [['SADD', 's', 'only']] }),
  ...underBothSetresp('ZSCORE', SHOW + "return show(redis.call('ZSCORE', 'z', 'm'))", { setup: [['ZADD', 'z', '1.5', 'm']] }),
  ...underBothSetresp('ZSCORE returned raw', "return redis.call('ZSCORE', 'z', 'm')", { setup: [['ZADD', 'z', '2.25', 'm']] }),
  ...underBothSetresp('ZSCORE of an integer score', SHOW + "return show(redis.call('ZSCORE', 'z', 'm'))", { setup: [['ZADD', 'z', '3', 'm']] }),
  ...underBothSetresp('ZSCORE inf', SHOW + "return show(redis.call('ZSCORE', 'z', 'm'))", { setup: [['ZADD', 'z', '-inf', 'm']] }),
  ...underBothSetresp('ZRANGE WITHSCORES', SHOW + "return show(redis.call('ZRANGE', 'z', 0, -1, 'WITHSCORES'))", { setup: [['ZADD', 'z', '1', 'a', '2.5', 'b']] }),
  ...underBothSetresp('ZMSCORE with a missing member', SHOW + "return show(redis.call('ZMSCORE', 'z', 'a', 'nope'))", { setup: [['ZADD', 'z', '0.1', 'a']] }),
  ...underBothSetresp('INCRBYFLOAT is a bulk reply', SHOW + "return show(redis.call('INCRBYFLOAT', 'f', '0.1'))"),
  ...underBothSetresp('INFO is text (type only)', lua`local r = redis.call('INFO', 'keyspace')
if type(r) == 'table' then return {type(r), type(r.verbatim_string), r.verbatim_string.format} end
return type(r)`),
  ...underBothSetresp('setresp applies to later calls only', SHOW + "local a = redis.call('GET', 'missing')\nredis.setresp(3)\nlocal b = redis.call('GET', 'missing')\nreturn show({a, b == nil})"),
  ...underBothSetresp('integer reply beyond 2^53 loses precision', SHOW + "return show(redis.call('INCRBY', 'k', '9007199254740993'))"),
  ...underBothSetresp('negative integer reply', SHOW + "return show(redis.call('DECRBY', 'k', '5'))"),
  ...underBothSetresp('EXISTS integer', SHOW + "return show(redis.call('EXISTS', 'k', 'k', 'missing'))", { setup: [['SET', 'k', '1']] }),
];

// ---------------------------------------------------------------------------
// Error paths
// ---------------------------------------------------------------------------

const runtimeErrors: CorpusCase[] = [
  script("error('x')", "error('x')"),
  script('error with level 0', "error('bare message', 0)"),
  script('error with a number', 'error(42)'),
  script('error(nil)', 'error(nil)'),
  script('error(true)', 'error(true)'),
  script('error with an err table', "error({err = 'X y'})"),
  script('error with an err table without a code', "error({err = 'lowercase'})"),
  script('error on line 3', "local a = 1\nlocal b = 2\nerror('third line')"),
  script('calling nil', 'local f = nil\nf()'),
  script('calling a missing field', 'local t = {}\nt.method()'),
  script('arithmetic on nil', 'local x\nreturn x + 1'),
  script('arithmetic on a string that is not a number', "return 'abc' + 1"),
  script('arithmetic on a numeric string', "return '10' + 1"),
  script('concatenating nil', "return 'a' .. nil"),
  script('indexing nil', 'local t\nreturn t.x'),
  script('comparing number and string', "return 1 < 'x'"),
  script('error inside a nested function', "local function inner() error('deep') end\nlocal function outer() inner() end\nouter()"),
  script('assert false', "assert(false, 'assertion text')"),
  script('assert without message', 'assert(nil)'),
  script('error message with CRLF', lua`error("line1\r\nline2")`),
  script('stack overflow from recursion', 'local function f() return 1 + f() end\nreturn f()'),
  script('error after a write keeps the write', "redis.call('SET', 'k', 'v')\nerror('after write')", { after: [['GET', 'k']] }),
];

const callErrors: CorpusCase[] = [
  script('unknown command', "return redis.call('nocommand')"),
  script('wrong arity', "return redis.call('GET')"),
  script('wrong arity of a container subcommand', "return redis.call('OBJECT', 'ENCODING')"),
  script('WRONGTYPE', "return redis.call('LPUSH', 'k', 'x')", { setup: [['SET', 'k', 'v']] }),
  script('not an integer', "return redis.call('INCR', 'k')", { setup: [['SET', 'k', 'abc']] }),
  script('syntax error in SET options', "return redis.call('SET', 'k', 'v', 'BOGUS')"),
  script('integer overflow', "return redis.call('INCRBY', 'k', '1')", { setup: [['SET', 'k', '9223372036854775807']] }),
  script('redis.call with no arguments', 'return redis.call()'),
  script('redis.call with a table argument', "return redis.call('GET', {})"),
  script('redis.call with a boolean argument', "return redis.call('GET', true)"),
  script('redis.call with nil argument', "return redis.call('GET', nil)"),
  script('redis.call with a float argument', "redis.call('SET', 'k', 0.1)\nreturn redis.call('GET', 'k')"),
  script('float arguments are formatted with %.17g', lua`redis.call('RPUSH', 'l', 1.5, 3.0, 1e20, -0.25, 1/3, 2^53, 1e-5)
return redis.call('LRANGE', 'l', 0, -1)`),
  script('integer argument', "redis.call('SET', 'k', 12)\nreturn redis.call('GET', 'k')"),
  script('command name is case-insensitive', "return redis.call('sEt', 'k', 'v')"),
  script('redis.call error stops the script', "redis.call('SET', 'a', '1')\nredis.call('INCR', 'a', 'extra')\nredis.call('SET', 'b', '2')", { after: [['MGET', 'a', 'b']] }),
  script('redis.pcall returns the error table', SHOW + "return show(redis.pcall('nocommand'))"),
  script('redis.pcall error returned raw', "return redis.pcall('INCR', 'k')", { setup: [['SET', 'k', 'abc']] }),
  script('redis.pcall WRONGTYPE inspected', "local r = redis.pcall('GET', 'l')\nreturn {type(r), r.err}", { setup: [['RPUSH', 'l', 'x']] }),
  script('redis.pcall success is a plain value', SHOW + "return show(redis.pcall('SET', 'k', 'v'))"),
  script('redis.pcall with no arguments', SHOW + 'return show(redis.pcall())'),
  script('redis.pcall with a table argument', SHOW + "return show(redis.pcall('GET', {}))"),
  script('pcall around redis.call', SHOW + "return show({pcall(redis.call, 'nocommand')})"),
  script('pcall around redis.call in a closure', SHOW + "return show({pcall(function() return redis.call('INCR', 'k') end)})", { setup: [['SET', 'k', 'abc']] }),
  script('pcall around a successful redis.call', SHOW + "return show({pcall(redis.call, 'SET', 'k', 'v')})"),
  script('pcall around error with an err table', SHOW + "return show({pcall(error, {err = 'CODE msg'})})"),
  script('pcall around error with a string', SHOW + "return show({pcall(error, 'plain')})"),
  script('pcall around a runtime error', SHOW + 'return show({pcall(function() local x; return x.y end)})'),
  script('script continues after redis.pcall error', "redis.pcall('INCR', 'k')\nredis.call('SET', 'k2', 'ok')\nreturn redis.call('GET', 'k2')", { setup: [['SET', 'k', 'abc']] }),
  script('error reply from redis.call returned via pcall result', "local ok, e = pcall(redis.call, 'GET')\nreturn redis.error_reply(e)"),
];

const compileErrors: CorpusCase[] = [
  script('incomplete expression', 'return 1 +'),
  script('missing end', 'if true then return 1'),
  script('unexpected symbol', 'return )'),
  script('unfinished string', "return 'abc"),
  script('error on line 2', "local a = 1\nlocal = 2"),
  script('assignment to a number', '1 = 2'),
  script('goto is not Lua 5.1', 'goto done\n::done::'),
  script('bitwise operator is not Lua 5.1', 'return 1 & 2'),
  script('integer division is not Lua 5.1', 'return 7 // 2'),
  script('binary garbage', '\x00\xff\xfe'),
  script('a script that is only a comment', '-- nothing here'),
  script('long string literal', 'return [[multi\nline]]'),
];

const sandbox: CorpusCase[] = [
  script('writing a global', 'x = 1'),
  script('writing a global through _G', '_G.x = 1'),
  script('reading an undeclared global', 'return undeclared_name'),
  script('setmetatable on _G', 'setmetatable(_G, {})'),
  script('getmetatable of _G', "local mt = getmetatable(_G)\nreturn type(mt)"),
  script('rawset on _G', "rawset(_G, 'x', 1)"),
  script('rawget on _G of a missing name', "return type(rawget(_G, 'undeclared'))"),
  script('overwriting redis.call', 'redis.call = nil'),
  script('adding a field to string', 'string.foo = 1'),
  script('adding a field to cjson', 'cjson.foo = 1'),
  script('replacing KEYS', 'KEYS = {}'),
  script('modifying a KEYS element', "KEYS[1] = 'changed'\nreturn KEYS", { keys: ['original'] }),
  script('os is missing', 'return os.time()'),
  script('io is missing', "return io.write('x')"),
  script('require is missing', "return require('x')"),
  script('dofile is missing', "return dofile('/etc/passwd')"),
  script('loadfile is missing', "return loadfile('/etc/passwd')"),
  script('print is missing', "print('x')"),
  script('module is missing', "module('x')"),
  script('package is missing', 'return package.loaded'),
  script('debug is missing', 'return debug.getinfo(1)'),
  script('getfenv is missing', 'return getfenv(1) == _G'),
  script('setfenv is missing', 'setfenv(1, {})\nreturn 1'),
  script('newproxy is missing', 'return type(newproxy)'),
  script('loadstring is allowed', "return loadstring('return 1 + 1')()"),
  script('loadstring of bad code', SHOW + "return show({loadstring('return +')})"),
  script('loadstring chunk cannot write globals', "loadstring('y = 1')()"),
  script('load with a function', "local parts = {'return ', '5'}\nlocal i = 0\nreturn load(function() i = i + 1; return parts[i] end)()"),
  script('local variables are fine', 'local x = 1\nx = x + 1\nreturn x'),
  script('globals do not survive between scripts', 'return type(rawget(_G, "leaked"))'),
  script('type of builtins', lua`return {type(pcall), type(xpcall), type(unpack), type(select), type(next), type(rawequal), type(collectgarbage), type(gcinfo), type(coroutine), type(_G)}`),
  script('_G holds the libraries', "return {type(_G.redis), type(_G.string), type(_G.cjson), type(_G.bit), type(_G.struct), type(_G.cmsgpack), type(_G.math), type(_G.table)}"),
];

const notAllowedInScripts: CorpusCase[] = [
  script('EVAL inside a script', "return redis.call('EVAL', 'return 1', '0')"),
  script('EVALSHA inside a script', "return redis.call('EVALSHA', 'e0e1f9fabfc9d4800c877a703b823ac0578ff8db', '0')"),
  script('SCRIPT LOAD inside a script', "return redis.call('SCRIPT', 'LOAD', 'return 1')"),
  script('MULTI inside a script', "return redis.call('MULTI')"),
  script('EXEC inside a script', "return redis.call('EXEC')"),
  script('WATCH inside a script', "return redis.call('WATCH', 'k')"),
  script('SUBSCRIBE inside a script', "return redis.call('SUBSCRIBE', 'ch')"),
  script('PSUBSCRIBE inside a script', "return redis.call('PSUBSCRIBE', 'ch*')"),
  script('noscript error through pcall', SHOW + "return show(redis.pcall('MULTI'))"),
  // Redis 7.0 flags the older blocking commands noscript; BLMPOP and BZMPOP run without blocking.
  script('BLPOP is refused', "return redis.call('BLPOP', 'nolist', 0)"),
  script('BLPOP with data is refused too', "return redis.call('BLPOP', 'l', 0)", { setup: [['RPUSH', 'l', 'a', 'b']] }),
  script('BRPOPLPUSH is refused', "return redis.call('BRPOPLPUSH', 'src', 'dst', 0)"),
  script('BZPOPMIN is refused', "return redis.call('BZPOPMIN', 'z', 0)"),
  script('BLMPOP does not block', "return redis.call('BLMPOP', 0, 1, 'nolist', 'LEFT')"),
  script('BLMPOP with data pops', "return redis.call('BLMPOP', 0, 1, 'l', 'LEFT', 'COUNT', 2)", { setup: [['RPUSH', 'l', 'a', 'b', 'c']], after: [['LRANGE', 'l', '0', '-1']] }),
  script('BZMPOP does not block', "return redis.call('BZMPOP', 0, 1, 'z', 'MIN')"),
  script('BZMPOP with data pops', "return redis.call('BZMPOP', 0, 1, 'z', 'MAX')", { setup: [['ZADD', 'z', '1', 'a', '2.5', 'b']] }),
  script('PUBLISH from a script', "return redis.call('PUBLISH', 'ch', 'message')"),
  script('SELECT inside a script', "redis.call('SELECT', 1)\nredis.call('SET', 'k', 'in db1')\nreturn redis.call('GET', 'k')", {
    after: [['GET', 'k'], ['SELECT', '1'], ['GET', 'k']],
  }),
  script('SELECT an out-of-range db', "return redis.call('SELECT', 99)"),
];

const readOnlyAndShebang: CorpusCase[] = [
  script('EVAL_RO reads', "return redis.call('GET', KEYS[1])", { keys: ['k'], setup: [['SET', 'k', 'v']], readOnly: true }),
  script('EVAL_RO write is refused', "return redis.call('SET', KEYS[1], 'v')", { keys: ['k'], readOnly: true, after: [['EXISTS', 'k']] }),
  script('EVAL_RO write through pcall', SHOW + "return show(redis.pcall('DEL', KEYS[1]))", { keys: ['k'], readOnly: true, setup: [['SET', 'k', 'v']] }),
  script('EVAL_RO with no-writes flag', "#!lua flags=no-writes\nreturn redis.call('GET', 'k')", { setup: [['SET', 'k', 'v']], readOnly: true }),
  script('no-writes flag refuses writes', "#!lua flags=no-writes\nreturn redis.call('SET', 'k', 'v')"),
  script('no-writes flag allows reads', "#!lua flags=no-writes\nreturn redis.call('GET', 'k')", { setup: [['SET', 'k', 'v']] }),
  script('shebang without flags', "#!lua\nreturn redis.call('SET', 'k', 'v')"),
  script('shebang keeps line numbers', "#!lua\nerror('on line two')"),
  script('shebang with several flags', '#!lua flags=no-writes,allow-stale,no-cluster\nreturn 1'),
  script('shebang with allow-oom and allow-cross-slot-keys', '#!lua flags=allow-oom,allow-cross-slot-keys\nreturn 2'),
  script('shebang with empty flags', '#!lua flags=\nreturn 3'),
  script('shebang with an unknown flag', '#!lua flags=bogus\nreturn 1'),
  script('shebang with a name', '#!lua name=mylib\nreturn 1'),
  script('shebang with an unknown option', '#!lua foo=bar\nreturn 1'),
  script('shebang with another engine', '#!python\nreturn 1'),
  script('shebang with no engine', '#!\nreturn 1'),
  script('shebang without a newline', '#!lua flags=no-writes'),
  script('shebang with a syntax error after it', '#!lua\nreturn +'),
  script('hash-bang after the first byte is Lua', ' #!lua\nreturn 1'),
];

/** EVAL and EVALSHA argument errors: sent as plain commands, not built from a body. */
const evalArgumentErrors: CorpusCase[] = [
  commands('numkeys negative', ['EVAL', 'return 1', '-1']),
  commands('numkeys greater than the arguments', ['EVAL', 'return 1', '2', 'a']),
  commands('numkeys not a number', ['EVAL', 'return 1', 'x']),
  commands('numkeys a float', ['EVAL', 'return 1', '1.5', 'a']),
  commands('numkeys too large', ['EVAL', 'return 1', '99999999999999999999']),
  commands('numkeys empty', ['EVAL', 'return 1', '']),
  commands('EVAL without numkeys', ['EVAL', 'return 1']),
  commands('EVAL without arguments', ['EVAL']),
  commands('EVAL_RO without numkeys', ['EVAL_RO', 'return 1']),
  commands('EVALSHA unknown sha', ['EVALSHA', 'ffffffffffffffffffffffffffffffffffffffff', '0']),
  commands('EVALSHA sha too short', ['EVALSHA', 'abc', '0']),
  commands('EVALSHA sha too long', ['EVALSHA', `${sha1hex('return 1')}0`, '0']),
  commands('EVALSHA with numkeys error', ['EVALSHA', 'ffffffffffffffffffffffffffffffffffffffff', '-1']),
  commands('EVALSHA_RO unknown sha', ['EVALSHA_RO', 'ffffffffffffffffffffffffffffffffffffffff', '0']),
  commands('EVALSHA without numkeys', ['EVALSHA', 'ffffffffffffffffffffffffffffffffffffffff']),
  commands('EVALSHA with an uppercase sha', ['SCRIPT', 'LOAD', 'return 11'], ['EVALSHA', sha1hex('return 11').toUpperCase(), '0']),
  commands('EVAL caches the script for EVALSHA', ['EVAL', 'return 12', '0'], ['EVALSHA', sha1hex('return 12'), '0']),
  commands('EVAL registers the script for SCRIPT EXISTS', ['EVAL', 'return 15', '0'], ['SCRIPT', 'EXISTS', sha1hex('return 15')]),
  commands('EVAL with a compile error caches nothing', ['EVAL', 'return +', '0'], ['SCRIPT', 'EXISTS', sha1hex('return +')]),
  commands('command names are case-insensitive', ['eval', 'return 13', '0'], ['evalsha', sha1hex('return 13'), '0'], ['eVaL_rO', 'return 14', '0']),
];

// ---------------------------------------------------------------------------
// Libraries
// ---------------------------------------------------------------------------

const cjsonCases: CorpusCase[] = [
  script('encode an array', "return cjson.encode({1, 2, 3})"),
  script('encode nested values', "return cjson.encode({a = {b = {c = {1, 'x', true, false}}}})"),
  script('encode an object with several keys', "return cjson.encode({a = 1, b = 2, c = {1, 2}})"),
  script('encode an empty table', 'return cjson.encode({})'),
  script('encode a string with escapes', lua`return cjson.encode("q\"b\\s/\n\t\0\1")`),
  script('encode numbers', 'return cjson.encode({1.5, 1/3, 1e20, -0, 100, 0.1})'),
  script('encode inf is an error', 'return cjson.encode(1/0)'),
  script('encode nan is an error', 'return cjson.encode(0/0)'),
  script('encode a boolean and nil', "return {cjson.encode(true), cjson.encode(false), cjson.encode(nil)}"),
  script('encode cjson.null', 'return cjson.encode({cjson.null})'),
  script('encode a sparse array', 'local t = {}\nt[1] = 1\nt[3] = 3\nreturn cjson.encode(t)'),
  script('encode an excessively sparse array', 'local t = {}\nt[1] = 1\nt[20] = 20\nreturn cjson.encode(t)'),
  script('encode a table with mixed keys', "local t = {1, 2}\nt.x = 3\nreturn cjson.encode(t)"),
  script('encode a function is an error', 'return cjson.encode(function() end)'),
  script('encode without arguments', 'return cjson.encode()'),
  script('encode excessive nesting', 'local t = {}\nfor i = 1, 1100 do t = {t} end\nreturn cjson.encode(t)'),
  script('decode an array', SHOW + "return show(cjson.decode('[1, 2.5, \"x\", true, false]'))"),
  script('decode an object', SHOW + lua`return show(cjson.decode('{"a": {"b": [1, 2]}, "c": "d"}'))`),
  script('decode null is cjson.null', lua`local t = cjson.decode('[1, null, 3]')
return {#t, tostring(t[2] == cjson.null), type(t[2])}`),
  script('decode null inside an object', lua`local t = cjson.decode('{"a": null}')
return tostring(t.a == cjson.null)`),
  script('decode numbers', SHOW + lua`return show(cjson.decode('[0, -1, 1e2, 1.5e-3, 12345678901234567890, -0]'))`),
  script('decode a number to a reply', "return cjson.decode('42.9')"),
  script('decode unicode escapes', lua`return cjson.decode('"\\u00e9\\u20ac"')`),
  script('decode invalid json', "return cjson.decode('{bad}')"),
  script('decode truncated json', "return cjson.decode('[1, 2')"),
  script('decode an empty string', "return cjson.decode('')"),
  script('decode excessive nesting', "return cjson.decode(string.rep('[', 1100) .. string.rep(']', 1100))"),
  script('decode without arguments', 'return cjson.decode()'),
  script('round trip of a nested array', lua`return cjson.encode(cjson.decode('[[1,[2,[3]]],"x",{"k":[true]}]'))`),
  script('round trip through redis', lua`redis.call('SET', 'doc', cjson.encode({name = 'n', tags = {'a', 'b'}}))
local doc = cjson.decode(redis.call('GET', 'doc'))
return {doc.name, doc.tags[1], doc.tags[2], #doc.tags}`),
  script('encode an argument', 'return cjson.encode(ARGV)', { args: ['a', '1', ''] }),
];

const cmsgpackCases: CorpusCase[] = [
  script('pack small values', HEX + "return {hex(cmsgpack.pack(1)), hex(cmsgpack.pack(-1)), hex(cmsgpack.pack(0)), hex(cmsgpack.pack(127)), hex(cmsgpack.pack(128))}"),
  script('pack large integers', HEX + 'return {hex(cmsgpack.pack(65536)), hex(cmsgpack.pack(2^40)), hex(cmsgpack.pack(-2^40)), hex(cmsgpack.pack(-200))}'),
  script('pack floats', HEX + 'return {hex(cmsgpack.pack(1.5)), hex(cmsgpack.pack(0.1)), hex(cmsgpack.pack(1/0))}'),
  script('pack strings', HEX + lua`return {hex(cmsgpack.pack('abc')), hex(cmsgpack.pack('')), hex(cmsgpack.pack(string.rep('x', 40))), hex(cmsgpack.pack("\0\255"))}`),
  script('pack booleans and nil', HEX + 'return {hex(cmsgpack.pack(true)), hex(cmsgpack.pack(false)), hex(cmsgpack.pack(nil))}'),
  script('pack an array', HEX + "return hex(cmsgpack.pack({1, 2, 'three'}))"),
  script('pack a map', HEX + "return hex(cmsgpack.pack({a = 1}))"),
  script('pack nested tables', HEX + "return hex(cmsgpack.pack({{1, {2}}, {k = {v = true}}}))"),
  script('pack several values', HEX + "return hex(cmsgpack.pack(1, 'a', true))"),
  script('pack without arguments', 'return cmsgpack.pack()'),
  script('unpack round trip', SHOW + "return show({cmsgpack.unpack(cmsgpack.pack({1, 'two', {3}, true}))})"),
  script('unpack several values', SHOW + "return show({cmsgpack.unpack(cmsgpack.pack(1, 'a', false))})"),
  script('unpack a map', SHOW + "return show(cmsgpack.unpack(cmsgpack.pack({x = 1, y = {2}})))"),
  script('unpack a double', "return tostring(cmsgpack.unpack(cmsgpack.pack(2.75)))"),
  script('unpack bad data', lua`return cmsgpack.unpack("\193")`),
  script('unpack truncated data', lua`return cmsgpack.unpack("\146\1")`),
  script('unpack_one returns an offset', SHOW + "local packed = cmsgpack.pack(7, 8)\nreturn show({cmsgpack.unpack_one(packed)})"),
  script('unpack_limit', SHOW + "local packed = cmsgpack.pack(1, 2, 3)\nreturn show({cmsgpack.unpack_limit(packed, 2)})"),
];

const structCases: CorpusCase[] = [
  script('pack big-endian integers', HEX + "return {hex(struct.pack('>I2', 258)), hex(struct.pack('>i4', -2)), hex(struct.pack('>I8', 1))}"),
  script('pack little-endian integers', HEX + "return {hex(struct.pack('<I2', 258)), hex(struct.pack('<i4', -2))}"),
  script('pack bytes and chars', HEX + "return {hex(struct.pack('b', -1)), hex(struct.pack('B', 255)), hex(struct.pack('c3', 'abc'))}"),
  script('pack a zero-terminated string', HEX + "return hex(struct.pack('s', 'ab'))"),
  script('pack doubles and floats', HEX + "return {hex(struct.pack('<d', 1.5)), hex(struct.pack('>f', 0.5))}"),
  script('pack with alignment', HEX + "return hex(struct.pack('!4 b i4', 1, 2))"),
  script('unpack an integer', SHOW + lua`return show({struct.unpack('>I2', "\1\2")})`),
  script('unpack signed bytes', SHOW + lua`return show({struct.unpack('bB', "\255\255")})`),
  script('unpack with an offset', SHOW + lua`return show({struct.unpack('>I2', "xx\0\5", 3)})`),
  script('unpack a string', SHOW + lua`return show({struct.unpack('c2 s', "hiab\0")})`),
  script('unpack round trip of a double', "return tostring(struct.unpack('<d', struct.pack('<d', 3.25)))"),
  script('size', "return {struct.size('>I4i8'), struct.size('b'), struct.size('!8 b d')}"),
  script('invalid format option', "return struct.pack('y', 1)"),
  script('unpack data too short', lua`return struct.unpack('>I4', "\1")`),
  script('size of a variable-length format', "return struct.size('s')"),
];

const bitCases: CorpusCase[] = [
  script('band bor bxor', 'return {bit.band(0xff, 0x0f), bit.bor(0xf0, 0x0f), bit.bxor(0xff, 0x0f), bit.band(7, 3, 1)}'),
  script('shifts', 'return {bit.lshift(1, 31), bit.lshift(1, 32), bit.rshift(-1, 28), bit.arshift(-256, 4), bit.rshift(256, 4)}'),
  script('tohex', "return {bit.tohex(255), bit.tohex(255, -4), bit.tohex(-1), bit.tohex(0x1234, 2)}"),
  script('tobit', 'return {bit.tobit(2^32 + 1), bit.tobit(-1), bit.tobit(0xffffffff), bit.tobit(1.7)}'),
  script('bnot', 'return {bit.bnot(0), bit.bnot(-1), bit.bnot(5)}'),
  script('rotations and bswap', 'return {bit.rol(1, 33), bit.ror(1, 1), bit.bswap(0x12345678)}'),
  script('bit with a non-number', "return bit.band('x', 1)"),
  script('bit with a numeric string', "return bit.bor('3', 4)"),
];

const stringLibrary: CorpusCase[] = [
  script('format %d with a fraction', "return {string.format('%d', 1.5), string.format('%d', -1.5), string.format('%d', 3)}"),
  script('format %5.2f', "return string.format('[%5.2f] [%-8.3f] [%.0f]', 3.14159, 2.5, 0.5)"),
  script('format %q', lua`return string.format('%q', "a\0b\n\"c\\d\r")`),
  script('format %s', "return string.format('%s|%s|%5s|%-5s|%.2s', 'str', 12, 'ab', 'cd', 'xyz')"),
  script('format %x %X %o', "return string.format('%x %X %o %#x', 255, 255, 8, 255)"),
  script('format %e %g', "return string.format('%e %g %g %g', 12345.678, 0.0001, 1e20, 100)"),
  script('format %c and %%', "return string.format('%c%c%c 100%%', 76, 117, 97)"),
  script('format %i and padding', "return string.format('%05d|%+d|% d|%i', 42, 5, 7, -3)"),
  script('format %s with nil is an error', "return string.format('%s', nil)"),
  script('format with an unknown option', "return string.format('%y', 1)"),
  script('format %d with a string', "return string.format('%d', 'x')"),
  script('rep', "return {string.rep('ab', 3), string.rep('x', 0), string.rep('', 5)}"),
  script('sub with negative indices', "local s = 'hello world'\nreturn {s:sub(1, 5), s:sub(-5), s:sub(-5, -2), s:sub(20), s:sub(0)}"),
  script('byte and char', "return {string.byte('A'), string.byte('abc', 2), string.char(72, 105), string.char()}"),
  script('byte with a range', SHOW + "return show({string.byte('hello', 1, -1)})"),
  script('char out of range', 'return string.char(256)'),
  script('upper lower len reverse', "return {string.upper('abC1'), string.lower('ABc'), string.len('\\0ab'), string.reverse('abc')}"),
  script('gsub with a pattern', "return {string.gsub('hello 123 world 45', '%d+', '#')}"),
  script('gsub with captures', "return {string.gsub('key=val, a=b', '(%w+)=(%w+)', '%2=%1')}"),
  script('gsub with a table', "return {string.gsub('$name is $age', '%$(%w+)', {name = 'Bob', age = '42'})}"),
  script('gsub with a function', "return {string.gsub('abc', '.', function(c) return c:upper() .. '.' end)}"),
  script('gsub with a limit', "return {string.gsub('aaaa', 'a', 'b', 2)}"),
  script('gsub with an anchored pattern', "return {string.gsub('  trim  ', '^%s*(.-)%s*$', '%1')}"),
  script('gsub with an unclosed capture', "return string.gsub('abc', '(', 'x')"),
  script('find plain and pattern', SHOW + "return show({{string.find('a.b.c', '.', 1, true)}, {string.find('a.b.c', '.')}, {string.find('abc123', '%d+')}, {string.find('abc', 'z')}})"),
  script('find with init and captures', SHOW + "return show({string.find('hello world', '(o)(r)', 5)})"),
  script('match', SHOW + "return show({{string.match('2024-01-15', '(%d+)-(%d+)-(%d+)')}, {string.match('abc', 'x')}, {string.match('key = value', '^(%w+)%s*=%s*(%w+)$')}})"),
  script('match with a position capture', SHOW + "return show({string.match('hello', '()ll()')})"),
  script('gmatch', "local out = {}\nfor word in string.gmatch('one two  three', '%a+') do out[#out + 1] = word end\nreturn out"),
  script('gmatch with pairs', "local out = {}\nfor k, v in string.gmatch('a=1, b=2', '(%w+)=(%w+)') do out[#out + 1] = k .. ':' .. v end\nreturn out"),
  script('frontier and character classes', "return {string.gsub('THE (quick) fox', '%f[%a]%a+', 'W')}"),
  script('string methods on a string value', "local s = 'Hello'\nreturn {s:len(), s:upper(), s:rep(2, nil)}"),
  script('string comparison', "return {tostring('a' < 'b'), tostring('Z' < 'a'), tostring('' < 'a'), tostring('10' < '9')}"),
  script('concat numbers and strings', "return 1 .. '' .. 2.5 .. 'x' .. -0"),
  script('string.len of binary argument', 'return string.len(ARGV[1])', { args: ['\x00\x01\x02\xff'] }),
];

const tableLibrary: CorpusCase[] = [
  script('insert', "local t = {1, 2}\ntable.insert(t, 3)\ntable.insert(t, 1, 0)\nreturn t"),
  script('insert at a bad position', 'local t = {1}\ntable.insert(t, 5, 2)\nreturn t'),
  script('remove', SHOW + 'local t = {1, 2, 3, 4}\nlocal a = table.remove(t)\nlocal b = table.remove(t, 1)\nreturn show({a, b, t})'),
  script('remove from an empty table', SHOW + 'local t = {}\nreturn show({table.remove(t)})'),
  script('concat', "return {table.concat({1, 2, 3}), table.concat({'a', 'b'}, ', '), table.concat({1, 2, 3, 4}, '-', 2, 3), table.concat({})}"),
  script('concat with a table element is an error', 'return table.concat({1, {}, 3})'),
  script('sort', "local t = {5, 2, 8, 1, 9}\ntable.sort(t)\nreturn t"),
  script('sort strings', "local t = {'pear', 'apple', 'Banana', ''}\ntable.sort(t)\nreturn t"),
  script('sort with a comparator', 'local t = {5, 2, 8, 1, 9}\ntable.sort(t, function(a, b) return a > b end)\nreturn t'),
  script('sort mixed types is an error', "local t = {1, 'a', 2}\ntable.sort(t)\nreturn t"),
  script('getn and maxn', 'local t = {1, 2, 3}\nt[10] = 10\nreturn {table.getn(t), table.maxn(t), #t}'),
  script('foreach and foreachi', "local out = {}\ntable.foreachi({'a', 'b'}, function(i, v) out[#out + 1] = i .. v end)\nreturn out"),
  script('ipairs stops at nil', "local out = {}\nfor i, v in ipairs({1, 2, nil, 4}) do out[#out + 1] = v end\nreturn out"),
  script('next on an empty table', 'return next({}) == nil'),
];

const mathLibrary: CorpusCase[] = [
  script('floor and ceil', 'return {math.floor(3.7), math.floor(-3.5), math.ceil(3.2), math.ceil(-3.7)}'),
  script('fmod and modulo', SHOW + 'return show({math.fmod(7, 3), math.fmod(-7, 3), -7 % 3, 7 % -3, 5.5 % 2})'),
  script('huge', 'return {tostring(math.huge), tostring(-math.huge), math.huge > 1e308}'),
  script('pi', "return {tostring(math.pi), string.format('%.10f', math.pi)}"),
  script('max and min', 'return {math.max(1, 5, 3), math.min(4, -2, 8), math.max(2.5, 2)}'),
  script('abs and sqrt', "return {math.abs(-5), tostring(math.sqrt(2)), tostring(math.sqrt(-1))}"),
  script('pow and exponent operator', "return {math.pow(2, 10), tostring(2 ^ 0.5), tostring(math.pow(2, -1))}"),
  script('log and exp', "return {string.format('%.10g', math.log(10)), string.format('%.10g', math.exp(1)), string.format('%.10g', math.log10(1000))}"),
  script('modf and frexp', SHOW + 'return show({math.modf(3.75), math.frexp(8)})'),
  script('trigonometry', "return {string.format('%.12f', math.sin(1)), string.format('%.12f', math.cos(0)), string.format('%.12f', math.atan2(1, 1))}"),
  script('random after randomseed', 'math.randomseed(42)\nreturn {math.random(100), math.random(100), math.random(1, 6), math.random(1000000)}'),
  script('random float after randomseed', "math.randomseed(7)\nreturn {string.format('%.17g', math.random()), string.format('%.17g', math.random())}"),
  script('randomseed repeats the sequence', 'math.randomseed(3)\nlocal a = math.random(1000)\nmath.randomseed(3)\nreturn a == math.random(1000)'),
  script('random with an empty interval', 'math.randomseed(1)\nreturn math.random(0)'),
  script('random with too many arguments', 'return math.random(1, 2, 3)'),
  script('floor of a huge number', 'return math.floor(1e300)'),
  script('math with a non-number', "return math.floor('x')"),
  script('math with a numeric string', "return math.floor('4.5')"),
];

const baseLibrary: CorpusCase[] = [
  script('unpack', "return {unpack({1, 2, 3})}"),
  script('unpack with a range', SHOW + "return show({unpack({'a', 'b', 'c', 'd'}, 2, 3)})"),
  script('select #', "return {select('#'), select('#', 1, nil, 3), select('#', nil, nil)}"),
  script('select an index', "return {select(2, 'a', 'b', 'c')}"),
  script('select a negative index', "return {select(-1, 'a', 'b', 'c')}"),
  script('select out of range', "return select(0, 'a')"),
  script('tonumber edge cases', SHOW + lua`return show({tonumber('0x10'), tonumber('1e2'), tonumber(' 5 '), tonumber('5x'), tonumber(''), tonumber('z', 36), tonumber('ff', 16), tonumber('  0x1p4  '), tonumber('.5'), tonumber('5.'), tonumber('inf'), tonumber('nan')})`),
  script('tonumber with a bad base', "return tonumber('10', 99)"),
  script('tostring of numbers', "return {tostring(10 / 2), tostring(1 / 3), tostring(2 ^ 53), tostring(-0), tostring(1e100), tostring(123456789012), tostring(0.1), tostring(1e15), tostring(1e16)}"),
  script('tostring of other values', 'return {tostring(true), tostring(false), tostring(nil)}'),
  script('tostring of nan and inf', 'return {tostring(0/0), tostring(1/0), tostring(-1/0)}'),
  script('number to string coercion in concatenation', "return (10 / 4) .. '|' .. (2 ^ 63) .. '|' .. 1e300"),
  script('type of everything', "return {type(1), type('s'), type({}), type(nil), type(true), type(type), type(coroutine.create(function() end))}"),
  script('_VERSION', 'return _VERSION'),
  script('rawequal rawlen-free rawget', "local t = {a = 1}\nreturn {tostring(rawequal(t, t)), tostring(rawequal({}, {})), rawget(t, 'a')}"),
  script('metatables on local tables', "local t = setmetatable({}, {__index = function(_, k) return k .. '!' end})\nreturn t.hello"),
  script('__tostring metamethod', "local t = setmetatable({}, {__tostring = function() return 'custom' end})\nreturn tostring(t)"),
  script('__call and __add metamethods', 'local mt = {__add = function(a, b) return a.v + b.v end, __call = function(self, x) return self.v * x end}\nlocal a = setmetatable({v = 2}, mt)\nlocal b = setmetatable({v = 3}, mt)\nreturn {a + b, a(10)}'),
  script('coroutine resume and yield', SHOW + "local co = coroutine.create(function(a, b)\n  local c = coroutine.yield(a + b)\n  local d, e = coroutine.yield(c * 2)\n  return d + e\nend)\nlocal r1 = {coroutine.resume(co, 1, 2)}\nlocal r2 = {coroutine.resume(co, 10)}\nlocal r3 = {coroutine.resume(co, 3, 4)}\nlocal r4 = {coroutine.resume(co)}\nreturn show({r1, r2, r3, r4, coroutine.status(co)})"),
  script('coroutine wrap', "local gen = coroutine.wrap(function() for i = 1, 3 do coroutine.yield(i) end end)\nreturn {gen(), gen(), gen()}"),
  script('coroutine error', SHOW + "local co = coroutine.create(function() error('inside') end)\nreturn show({coroutine.resume(co)})"),
  script('coroutine calling redis', "local co = coroutine.create(function() redis.call('SET', 'k', 'from co'); coroutine.yield(redis.call('GET', 'k')) end)\nlocal ok, v = coroutine.resume(co)\nreturn {tostring(ok), v}"),
  script('coroutine status values', "local co\nco = coroutine.create(function() return coroutine.status(co) end)\nlocal before = coroutine.status(co)\nlocal _, inside = coroutine.resume(co)\nreturn {before, inside, coroutine.status(co)}"),
  script('coroutine.running in the main chunk', 'return type(coroutine.running())'),
  script('pcall success shape', SHOW + "return show({pcall(function(a, b) return a, b, nil end, 1, 'x')})"),
  script('pcall with a non-function', SHOW + 'return show({pcall(42)})'),
  script('error with level 2 inside pcall', SHOW + "local function check() error('caller error', 2) end\nreturn show({pcall(function() check() end)})"),
  script('xpcall with a handler', SHOW + "return show({xpcall(function() error('oops') end, function(e) return 'handled: ' .. e end)})"),
  script('xpcall success', SHOW + 'return show({xpcall(function() return 1, 2 end, function(e) return e end)})'),
  script('xpcall with a table error', SHOW + "return show({xpcall(function() error({err = 'T x'}) end, function(e) return type(e) end)})"),
  script('nested pcall', SHOW + "return show({pcall(function() local ok, e = pcall(error, 'inner'); error('outer after ' .. tostring(e)) end)})"),
  script('error object passes through pcall', SHOW + "local ok, e = pcall(error, {code = 5})\nreturn show({ok, type(e)})"),
  script('vararg function', SHOW + "local function f(...) return select('#', ...), {...} end\nreturn show({f(1, nil, 3)})"),
  script('multiple returns adjusted', 'local function f() return 1, 2, 3 end\nreturn {f(), f()}'),
  script('closures and upvalues', 'local function counter() local n = 0; return function() n = n + 1; return n end end\nlocal c = counter()\nc(); c()\nreturn c()'),
  script('numeric for with a float step', 'local out = {}\nfor i = 1, 2, 0.25 do out[#out + 1] = tostring(i) end\nreturn out'),
  script('while and repeat', 'local i, out = 0, {}\nwhile i < 3 do i = i + 1; out[#out + 1] = i end\nrepeat i = i - 1 until i == 0\nreturn {out, i}'),
  script('string keys with pairs sorted', "local t = {b = 2, a = 1, c = 3}\nlocal keys = {}\nfor k in pairs(t) do keys[#keys + 1] = k end\ntable.sort(keys)\nreturn keys"),
  script('collectgarbage count is a number', "return type(collectgarbage('count'))"),
  script('collectgarbage with a bad option', "return collectgarbage('bogus')"),
];

// ---------------------------------------------------------------------------
// The redis table
// ---------------------------------------------------------------------------

const redisApi: CorpusCase[] = [
  script('sha1hex', "return {redis.sha1hex(''), redis.sha1hex('abc'), redis.sha1hex('return 1')}"),
  script('sha1hex of binary data', lua`return redis.sha1hex("\0\255")`),
  script('sha1hex of a number', 'return redis.sha1hex(123)'),
  script('sha1hex without arguments', 'return redis.sha1hex()'),
  script('sha1hex with two arguments', "return redis.sha1hex('a', 'b')"),
  script('sha1hex with a table', 'return redis.sha1hex({})'),
  script('REDIS_VERSION types', 'return {type(redis.REDIS_VERSION), type(redis.REDIS_VERSION_NUM)}'),
  script('REDIS_VERSION_NUM matches REDIS_VERSION', lua`local major, minor, patch = string.match(redis.REDIS_VERSION, '^(%d+)%.(%d+)%.(%d+)$')
return redis.REDIS_VERSION_NUM == tonumber(major) * 65536 + tonumber(minor) * 256 + tonumber(patch)`),
  script('LOG constants', 'return {redis.LOG_DEBUG, redis.LOG_VERBOSE, redis.LOG_NOTICE, redis.LOG_WARNING}'),
  script('REPL constants', 'return {redis.REPL_NONE, redis.REPL_AOF, redis.REPL_SLAVE, redis.REPL_REPLICA, redis.REPL_ALL}'),
  script('log returns nothing', "return redis.log(redis.LOG_DEBUG, 'from a test', 'with', 3, 'parts')"),
  script('log with a bad level', "return redis.log(99, 'x')"),
  script('log with a negative level', "return redis.log(-1, 'x')"),
  script('log with a string level', "return redis.log('warning', 'x')"),
  script('log with one argument', 'return redis.log(redis.LOG_WARNING)'),
  script('log without arguments', 'return redis.log()'),
  script('log with a table message', 'return redis.log(redis.LOG_DEBUG, {})'),
  script('setresp 2 and 3 return nothing', 'return {redis.setresp(2), redis.setresp(3)}'),
  script('setresp 4', 'return redis.setresp(4)'),
  script('setresp 1', 'return redis.setresp(1)'),
  script('setresp without arguments', 'return redis.setresp()'),
  script('setresp with a string', "return redis.setresp('3')"),
  script('setresp with a non-numeric string', "return redis.setresp('x')"),
  script('set_repl with each flag', 'redis.set_repl(redis.REPL_ALL)\nredis.set_repl(redis.REPL_AOF)\nredis.set_repl(redis.REPL_REPLICA)\nredis.set_repl(redis.REPL_NONE)\nredis.set_repl(redis.REPL_ALL)\nreturn 1'),
  script('set_repl with a bad flag', 'return redis.set_repl(99)'),
  script('set_repl with a negative flag', 'return redis.set_repl(-1)'),
  script('set_repl without arguments', 'return redis.set_repl()'),
  script('set_repl with a string', "return redis.set_repl('all')"),
  script('replicate_commands', 'return redis.replicate_commands()'),
  script('replicate_commands type', 'return type(redis.replicate_commands())'),
  script('breakpoint outside the debugger', 'return redis.breakpoint()'),
  script('breakpoint type', 'return type(redis.breakpoint())'),
  script('debug outside the debugger', "return redis.debug('x', 1)"),
  script('acl_check_cmd allowed', "return redis.acl_check_cmd('GET', 'k')"),
  script('acl_check_cmd of a write command', "return redis.acl_check_cmd('SET', 'k', 'v')"),
  script('acl_check_cmd unknown command', "return redis.acl_check_cmd('nocommand')"),
  script('acl_check_cmd without arguments', 'return redis.acl_check_cmd()'),
  script('acl_check_cmd with wrong arity', "return redis.acl_check_cmd('GET')"),
  script('acl_check_cmd with a table', 'return redis.acl_check_cmd({})'),
  script('the redis table has the documented functions', "return {type(redis.call), type(redis.pcall), type(redis.error_reply), type(redis.status_reply), type(redis.sha1hex), type(redis.log), type(redis.setresp), type(redis.set_repl), type(redis.replicate_commands), type(redis.breakpoint), type(redis.debug), type(redis.acl_check_cmd)}"),
  script('redis.call missing on the redis table as a field read', 'return type(redis.nosuchfunction)'),
];

// ---------------------------------------------------------------------------
// KEYS and ARGV
// ---------------------------------------------------------------------------

const manyArgs = Array.from({ length: 500 }, (_, i) => `arg${i}`);

const keysAndArgv: CorpusCase[] = [
  script('counts', 'return {#KEYS, #ARGV}', { keys: ['k1', 'k2'], args: ['a1', 'a2', 'a3'] }),
  script('numkeys 0 with arguments', 'return {#KEYS, ARGV[1], ARGV[2]}', { args: ['x', 'y'] }),
  script('no keys and no arguments', 'return {#KEYS, #ARGV}'),
  script('KEYS returned', 'return KEYS', { keys: ['a', 'b', 'c'] }),
  script('ARGV returned', 'return ARGV', { keys: ['k'], args: ['1', '2'] }),
  script('binary keys and arguments', 'return {KEYS[1], ARGV[1], #KEYS[1], #ARGV[1]}', { keys: ['\x00k\xff'], args: ['\r\n\x00'] }),
  script('empty key and argument', 'return {KEYS[1], ARGV[1], #KEYS[1]}', { keys: [''], args: [''] }),
  script('arguments are strings', 'return {type(ARGV[1]), ARGV[1] + 1, tonumber(ARGV[1]) * 2}', { args: ['20'] }),
  script('missing argument is nil', 'return type(ARGV[5])', { args: ['1'] }),
  script('many arguments', "return {#ARGV, ARGV[1], ARGV[500], table.concat(ARGV, ',', 250, 252)}", { args: manyArgs }),
  script('many keys', 'return {#KEYS, KEYS[1], KEYS[#KEYS]}', { keys: manyArgs.slice(0, 200) }),
  script('keys used with redis.call', "redis.call('SET', KEYS[1], ARGV[1])\nredis.call('SET', KEYS[2], ARGV[2])\nreturn redis.call('MGET', unpack(KEYS))", { keys: ['ka', 'kb'], args: ['va', 'vb'] }),
  script('KEYS and ARGV are fresh for every call', 'return {#KEYS, #ARGV}', { keys: ['only'] }),
  script('long argument', 'return #ARGV[1]', { args: ['z'.repeat(100000)] }),
];

// ---------------------------------------------------------------------------
// Writes done by scripts
// ---------------------------------------------------------------------------

const writes: CorpusCase[] = [
  script('SET then GET', "redis.call('SET', KEYS[1], ARGV[1])\nreturn redis.call('GET', KEYS[1])", { keys: ['k'], args: ['v'], after: [['GET', 'k']] }),
  script('INCR in a loop', "for i = 1, 10 do redis.call('INCR', KEYS[1]) end\nreturn redis.call('GET', KEYS[1])", { keys: ['c'], after: [['GET', 'c']] }),
  script('list building', "for i = 1, 5 do redis.call('RPUSH', 'l', i) end\nreturn redis.call('LRANGE', 'l', 0, -1)", { after: [['LLEN', 'l']] }),
  script('hash writes', "redis.call('HSET', 'h', 'a', 1, 'b', 2)\nreturn redis.call('HINCRBY', 'h', 'a', 10)", { after: [['HGET', 'h', 'a'], ['HLEN', 'h']] }),
  script('expire inside a script', "redis.call('SET', 'k', 'v', 'EX', 100)\nreturn redis.call('TTL', 'k')"),
  script('DEL of several keys', "return redis.call('DEL', 'a', 'b', 'missing')", { setup: [['MSET', 'a', '1', 'b', '2']], after: [['EXISTS', 'a', 'b']] }),
  script('write then read-only error keeps the write', "redis.call('SET', 'w', '1')\nreturn redis.call('LPUSH', 'w', 'x')", { after: [['GET', 'w']] }),
  script('conditional set', "if redis.call('EXISTS', KEYS[1]) == 0 then return redis.call('SET', KEYS[1], ARGV[1]) end\nreturn false", { keys: ['lock'], args: ['owner'], after: [['GET', 'lock']] }),
  script('compare and delete', "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end\nreturn 0", { keys: ['lock'], args: ['owner'], setup: [['SET', 'lock', 'owner']], after: [['EXISTS', 'lock']] }),
  script('sorted set read back', "redis.call('ZADD', 'z', 1, 'a', 2, 'b', 3, 'c')\nreturn redis.call('ZRANGEBYSCORE', 'z', '(1', '+inf')"),
  script('FLUSHDB inside a script', "redis.call('SET', 'x', '1')\nreturn redis.call('FLUSHDB')", { setup: [['SET', 'y', '1']], after: [['DBSIZE']] }),
];

// ---------------------------------------------------------------------------
// SCRIPT subcommands
// ---------------------------------------------------------------------------

const loaded = 'return "loaded"';

const scriptCommand: CorpusCase[] = [
  commands('LOAD returns the sha', ['SCRIPT', 'LOAD', loaded]),
  commands('LOAD is idempotent', ['SCRIPT', 'LOAD', loaded], ['SCRIPT', 'LOAD', loaded]),
  commands('LOAD of a binary body', ['SCRIPT', 'LOAD', 'return "\x00\xff"'], ['EVALSHA', sha1hex('return "\x00\xff"'), '0']),
  commands('LOAD of an empty body', ['SCRIPT', 'LOAD', ''], ['EVALSHA', sha1hex(''), '0']),
  commands('LOAD with a compile error', ['SCRIPT', 'LOAD', 'return +']),
  commands('LOAD with a shebang error', ['SCRIPT', 'LOAD', '#!lua flags=bogus\nreturn 1']),
  commands('LOAD without a body', ['SCRIPT', 'LOAD']),
  commands('LOAD with two bodies', ['SCRIPT', 'LOAD', 'return 1', 'return 2']),
  commands('EXISTS with several shas', ['SCRIPT', 'LOAD', 'return 21'], ['SCRIPT', 'LOAD', 'return 22'], ['SCRIPT', 'EXISTS', sha1hex('return 21'), 'ffffffffffffffffffffffffffffffffffffffff', sha1hex('return 22'), 'short']),
  commands('EXISTS is case-insensitive', ['SCRIPT', 'LOAD', 'return 23'], ['SCRIPT', 'EXISTS', sha1hex('return 23').toUpperCase()]),
  commands('EXISTS without arguments', ['SCRIPT', 'EXISTS']),
  commands('FLUSH', ['SCRIPT', 'LOAD', 'return 31'], ['SCRIPT', 'FLUSH'], ['SCRIPT', 'EXISTS', sha1hex('return 31')], ['EVALSHA', sha1hex('return 31'), '0']),
  commands('FLUSH ASYNC', ['SCRIPT', 'LOAD', 'return 32'], ['SCRIPT', 'FLUSH', 'ASYNC'], ['SCRIPT', 'EXISTS', sha1hex('return 32')]),
  commands('FLUSH SYNC', ['SCRIPT', 'LOAD', 'return 33'], ['SCRIPT', 'FLUSH', 'sync'], ['SCRIPT', 'EXISTS', sha1hex('return 33')]),
  commands('FLUSH with a bad mode', ['SCRIPT', 'FLUSH', 'BAD']),
  commands('FLUSH with two modes', ['SCRIPT', 'FLUSH', 'SYNC', 'ASYNC']),
  commands('FLUSH keeps the keyspace', ['SET', 'k', 'v'], ['SCRIPT', 'FLUSH'], ['GET', 'k']),
  commands('FLUSHALL keeps the scripts', ['SCRIPT', 'LOAD', 'return 34'], ['FLUSHALL'], ['SCRIPT', 'EXISTS', sha1hex('return 34')]),
  commands('KILL with nothing running', ['SCRIPT', 'KILL']),
  commands('KILL with an argument', ['SCRIPT', 'KILL', 'now']),
  commands('DEBUG NO', ['SCRIPT', 'DEBUG', 'NO'], ['EVAL', 'return 35', '0']),
  commands('DEBUG with a bad mode', ['SCRIPT', 'DEBUG', 'MAYBE']),
  commands('DEBUG without a mode', ['SCRIPT', 'DEBUG']),
  commands('HELP', ['SCRIPT', 'HELP']),
  commands('help in lower case', ['script', 'help']),
  commands('HELP with an argument', ['SCRIPT', 'HELP', 'x']),
  commands('unknown subcommand', ['SCRIPT', 'BOGUS']),
  commands('no subcommand', ['SCRIPT']),
  commands('EVAL after FLUSH recompiles', ['EVAL', 'return 36', '0'], ['SCRIPT', 'FLUSH'], ['EVALSHA', sha1hex('return 36'), '0'], ['EVAL', 'return 36', '0'], ['EVALSHA', sha1hex('return 36'), '0']),
];

// ---------------------------------------------------------------------------
// Transactions and several clients
// ---------------------------------------------------------------------------

const transactions: CorpusCase[] = [
  commands('EVAL queued in MULTI', ['MULTI'], ['EVAL', "return redis.call('INCR', KEYS[1])", '1', 'c'], ['EVAL', "return redis.call('INCR', KEYS[1])", '1', 'c'], ['EXEC']),
  commands('EVAL with a compile error in MULTI', ['MULTI'], ['EVAL', 'return +', '0'], ['SET', 'k', 'v'], ['EXEC'], ['GET', 'k']),
  commands('EVAL runtime error in MULTI', ['MULTI'], ['EVAL', "error('in exec')", '0'], ['INCR', 'n'], ['EXEC']),
  commands('EVAL numkeys error in MULTI', ['MULTI'], ['EVAL', 'return 1', '-1'], ['EXEC']),
  commands('EVAL arity error in MULTI aborts EXEC', ['MULTI'], ['EVAL', 'return 1'], ['EXEC']),
  commands('EVALSHA unknown in MULTI', ['MULTI'], ['EVALSHA', 'ffffffffffffffffffffffffffffffffffffffff', '0'], ['EXEC']),
  commands('SCRIPT LOAD in MULTI', ['MULTI'], ['SCRIPT', 'LOAD', 'return 41'], ['EVALSHA', sha1hex('return 41'), '0'], ['EXEC']),
  commands('RESP3 values in EXEC', ['MULTI'], ['EVAL', "return {map = {k = {double = 1.5}}}", '0'], ['EVAL', 'redis.setresp(3)\nreturn {true, false}', '0'], ['EXEC']),
  commands('EVAL_RO in MULTI', ['SET', 'k', 'v'], ['MULTI'], ['EVAL_RO', "return redis.call('GET', 'k')", '0'], ['EVAL_RO', "return redis.call('DEL', 'k')", '0'], ['EXEC']),
  commands('DISCARD drops a queued EVAL', ['MULTI'], ['EVAL', "return redis.call('SET', 'k', 'v')", '0'], ['DISCARD'], ['EXISTS', 'k']),
  session('WATCH then a script writes the key from another client: EXEC aborts',
    step('a', 'SET', 'k', '1'),
    step('a', 'WATCH', 'k'),
    step('b', 'EVAL', "return redis.call('SET', KEYS[1], '2')", '1', 'k'),
    step('a', 'MULTI'),
    step('a', 'GET', 'k'),
    step('a', 'EXEC'),
    step('a', 'GET', 'k')),
  session('WATCH then a script only reads the key: EXEC runs',
    step('a', 'SET', 'k', '1'),
    step('a', 'WATCH', 'k'),
    step('b', 'EVAL', "return redis.call('GET', KEYS[1])", '1', 'k'),
    step('a', 'MULTI'),
    step('a', 'INCR', 'k'),
    step('a', 'EXEC')),
  session('WATCH then a script writes another key: EXEC runs',
    step('a', 'WATCH', 'k'),
    step('b', 'EVAL', "return redis.call('SET', 'other', 'x')", '0'),
    step('a', 'MULTI'),
    step('a', 'SET', 'k', 'mine'),
    step('a', 'EXEC')),
  session('WATCH then a script that fails after writing: EXEC aborts',
    step('a', 'WATCH', 'k'),
    step('b', 'EVAL', "redis.call('SET', 'k', 'x')\nerror('after')", '0'),
    step('a', 'MULTI'),
    step('a', 'GET', 'k'),
    step('a', 'EXEC')),
  session('WATCH then the same client runs the script: EXEC aborts',
    step('a', 'WATCH', 'k'),
    step('a', 'EVAL', "return redis.call('SET', 'k', 'self')", '0'),
    step('a', 'MULTI'),
    step('a', 'GET', 'k'),
    step('a', 'EXEC')),
  session('a script deletes a watched key',
    step('a', 'SET', 'k', '1'),
    step('a', 'WATCH', 'k'),
    step('b', 'EVAL', "return redis.call('DEL', 'k')", '0'),
    step('a', 'MULTI'),
    step('a', 'PING'),
    step('a', 'EXEC')),
  session('SCRIPT FLUSH from another client',
    step('a', 'SCRIPT', 'LOAD', 'return 51'),
    step('b', 'SCRIPT', 'FLUSH'),
    step('a', 'EVALSHA', sha1hex('return 51'), '0')),
  session('a script loaded by one client runs on another',
    step('a', 'SCRIPT', 'LOAD', 'return ARGV[1]'),
    step('b', 'EVALSHA', sha1hex('return ARGV[1]'), '0', 'from b')),
  session('a script publishes to a subscriber',
    step('sub', 'SUBSCRIBE', 'ch'),
    step('pub', 'EVAL', "return redis.call('PUBLISH', 'ch', ARGV[1])", '0', 'hello'),
    read('sub')),
  session('a script write is seen by another client',
    step('a', 'EVAL', "redis.call('RPUSH', 'q', 'job1', 'job2')\nreturn redis.call('LLEN', 'q')", '0'),
    step('b', 'LPOP', 'q')),
];

/**
 * pcall runs its function as a coroutine of its own in reddish (so that a
 * busy script can yield from inside it); these are the places where that
 * could show, each checked against Redis's lua_pcall.
 */
const pcallEdges: CorpusCase[] = [
  script('coroutine.running inside pcall is the main thread', SHOW + 'return show({pcall(function() return coroutine.running() end)})'),
  script('coroutine.yield inside pcall', SHOW + 'return show({pcall(function() coroutine.yield(1) end)})'),
  script('coroutine.yield inside nested pcall', SHOW + 'return show({pcall(pcall, function() coroutine.yield(1) end)})'),
  script('pcall inside a coroutine', SHOW + "local co = coroutine.create(function() local ok, e = pcall(error, 'in co') coroutine.yield(e) return 'end' end)\nlocal a = {coroutine.resume(co)}\nlocal b = {coroutine.resume(co)}\nreturn show({a, b, coroutine.status(co)})"),
  script('coroutine.running in pcall inside a coroutine', SHOW + 'local co = coroutine.create(function() local ok, r = pcall(coroutine.running) return r == coroutine.running() end)\nreturn show({coroutine.resume(co)})'),
  script('yield from pcall inside a coroutine', SHOW + 'local co = coroutine.create(function() return pcall(coroutine.yield, 5) end)\nreturn show({coroutine.resume(co)})'),
  script('pcall recursion to the C stack limit', SHOW + 'local depth = 0\nlocal function f() depth = depth + 1 return pcall(f) end\nlocal r = {f()}\nreturn show({depth, r[1], r[2]})'),
  script('pcall with many results', 'local t = {} for i = 1, 250 do t[i] = i end\nlocal r = {pcall(unpack, t)}\nreturn {#r, r[1] and 1 or 0, r[251]}'),
  script('pcall many times, failing and not', SHOW + "local ok, bad = 0, 0\nfor i = 1, 2000 do local s = pcall(function() if i % 3 == 0 then error('x') end return i end) if s then ok = ok + 1 else bad = bad + 1 end end\nreturn show({ok, bad})"),
  script('pcall of a pcall error keeps the table', SHOW + "return show({pcall(pcall, error, {err = 'ERR inner'})})"),
  script('error after pcall returns is not caught', "pcall(function() end)\nerror('after')"),
  script('redis.call inside pcall inside pcall', SHOW + "return show({pcall(pcall, redis.call, 'SET', 'k', 'v')})", { after: [['GET', 'k']] }),
  script('pcall with a string function', SHOW + "return show({pcall('string')})"),
  script('pcall with nil', SHOW + 'return show({pcall(nil)})'),
  script('select on pcall results', "return select('#', pcall(function() return nil, nil, 3 end))"),
];

/** RESP3 sessions only: the invalidation pushes arrive on the tracking client's own connection. */
function resp3Session(name: string, ...steps: SessionStep[]): SessionCase {
  return { ...session(name, ...steps), protocols: [3] };
}

/**
 * CLIENT TRACKING and scripts: a script's reads make its caller remember
 * the keys the EVAL or FCALL declared (server.script_caller), and EVAL_RO
 * itself remembers nothing. After each write the tracking client PINGs:
 * an invalidation, if any, arrives before the PONG.
 */
const trackingScriptReads: CorpusCase[] = [
  resp3Session(
    'a script read makes the caller track its declared keys',
    step('a', 'CLIENT', 'TRACKING', 'ON'),
    step('a', 'EVAL', "return redis.call('GET', KEYS[1])", '2', 'k1', 'k2'),
    step('b', 'SET', 'k2', 'x'),
    read('a'),
    step('b', 'SET', 'k1', 'x'),
    read('a'),
    step('a', 'PING'),
  ),
  resp3Session(
    'keys a script reads but did not declare are not tracked',
    step('a', 'CLIENT', 'TRACKING', 'ON'),
    step('a', 'EVAL', "return redis.call('GET', 'undeclared')", '0'),
    step('b', 'SET', 'undeclared', 'x'),
    step('a', 'PING'),
  ),
  resp3Session(
    'a script that only writes tracks nothing',
    step('a', 'CLIENT', 'TRACKING', 'ON'),
    step('a', 'EVAL', "return redis.call('SET', KEYS[1], 'v')", '1', 'k'),
    step('b', 'SET', 'k', 'x'),
    step('a', 'PING'),
  ),
  resp3Session(
    'EVAL_RO that reads nothing tracks nothing',
    step('a', 'CLIENT', 'TRACKING', 'ON'),
    step('a', 'EVAL_RO', 'return 1', '1', 'k'),
    step('b', 'SET', 'k', 'x'),
    step('a', 'PING'),
  ),
  resp3Session(
    'EVAL_RO that reads tracks its declared keys',
    step('a', 'CLIENT', 'TRACKING', 'ON'),
    step('a', 'EVAL_RO', "return redis.call('EXISTS', KEYS[1])", '1', 'k'),
    step('b', 'SET', 'k', 'x'),
    read('a'),
    step('a', 'PING'),
  ),
  resp3Session(
    'OPTIN: only after CLIENT CACHING yes',
    step('a', 'CLIENT', 'TRACKING', 'ON', 'OPTIN'),
    step('a', 'EVAL', "return redis.call('GET', KEYS[1])", '1', 'k1'),
    step('a', 'CLIENT', 'CACHING', 'YES'),
    step('a', 'EVAL', "return redis.call('GET', KEYS[1])", '1', 'k2'),
    step('b', 'MSET', 'k1', 'x', 'k2', 'y'),
    read('a'),
    step('a', 'PING'),
  ),
  resp3Session(
    'FCALL reads track the declared keys',
    step('a', 'FUNCTION', 'FLUSH'),
    step('a', 'FUNCTION', 'LOAD', "#!lua name=trk\nredis.register_function('rd', function(keys) return redis.call('GET', keys[1]) end)"),
    step('a', 'CLIENT', 'TRACKING', 'ON'),
    step('a', 'FCALL', 'rd', '1', 'k'),
    step('b', 'SET', 'k', 'x'),
    read('a'),
    step('a', 'PING'),
  ),
];

/**
 * Strings of every length around where the engine's host changes how it
 * copies them (up to 8 bytes read, up to 16 written, in JavaScript; longer
 * through Buffer's latin1 codec), with bytes that are not ASCII.
 */
const boundaryStrings: string[] = [0, 1, 2, 3, 7, 8, 9, 15, 16, 17, 24, 25, 40].map((length) =>
  Array.from({ length }, (_, i) => String.fromCharCode([0xff, 0x00, 0x80, 0x0d, 0x0a, 0x41][i % 6]!)).join(''),
);

/**
 * Where the host moves bytes in and out of the engine: strings of every
 * copying length both ways and command names in any case. (What happens
 * when the engine's memory grows is in test/unit/scripting/lua-engine.test.ts:
 * the sizes it takes are too slow to send to two servers.)
 */
const engineBoundary: CorpusCase[] = [
  script(
    'strings of every copying length, as keys, arguments, command arguments and replies',
    "local out = {}\nfor i = 1, #ARGV do\n  redis.call('SET', KEYS[i], ARGV[i])\n  out[#out + 1] = redis.call('GET', KEYS[i])\n  out[#out + 1] = redis.call('STRLEN', KEYS[i])\nend\nreturn out",
    { keys: boundaryStrings.map((value, i) => `k${i}${value}`), args: boundaryStrings },
  ),
  script('command names in any case', "redis.call('sEt', KEYS[1], 'v')\nreturn {redis.call('get', KEYS[1]), redis.call('GET', KEYS[1]), redis.call('Strlen', KEYS[1])}", { keys: ['name-case'] }),
  script('replies of every copying length', "local out = {}\nfor i = 0, 40 do out[#out + 1] = redis.call('ECHO', string.rep('\\255', i)) end\nreturn out"),
  script('runs after long strings', "redis.call('SET', KEYS[1], ARGV[1])\nreturn {redis.call('GET', KEYS[1]), ARGV[2]}", { keys: ['s'], args: ['xyz', 'tail'] }),
];

export const SCRIPTING_CORPUS: readonly CorpusTheme[] = [
  { theme: 'Lua to reply: numbers', cases: luaNumbers },
  { theme: 'Lua to reply: strings', cases: luaStrings },
  { theme: 'Lua to reply: booleans and nil', cases: luaBooleansAndNil },
  { theme: 'Lua to reply: tables', cases: luaTables },
  { theme: 'Lua to reply: ok and err tables', cases: luaStatusAndErrorTables },
  { theme: 'Lua to reply: status_reply and error_reply', cases: luaReplyHelpers },
  { theme: 'Lua to reply: RESP3 types', cases: luaResp3Types },
  { theme: 'reply to Lua', cases: replyToLua },
  { theme: 'runtime errors', cases: runtimeErrors },
  { theme: 'redis.call errors and redis.pcall', cases: callErrors },
  { theme: 'compile errors', cases: compileErrors },
  { theme: 'sandbox', cases: sandbox },
  { theme: 'commands not allowed or different in scripts', cases: notAllowedInScripts },
  { theme: 'read-only scripts and shebang flags', cases: readOnlyAndShebang },
  { theme: 'EVAL and EVALSHA argument errors', cases: evalArgumentErrors },
  { theme: 'cjson', cases: cjsonCases },
  { theme: 'cmsgpack', cases: cmsgpackCases },
  { theme: 'struct', cases: structCases },
  { theme: 'bit', cases: bitCases },
  { theme: 'string library', cases: stringLibrary },
  { theme: 'table library', cases: tableLibrary },
  { theme: 'math library', cases: mathLibrary },
  { theme: 'base library', cases: baseLibrary },
  { theme: 'pcall as a coroutine', cases: pcallEdges },
  { theme: 'the redis table', cases: redisApi },
  { theme: 'KEYS and ARGV', cases: keysAndArgv },
  { theme: 'the engine boundary', cases: engineBoundary },
  { theme: 'writes', cases: writes },
  { theme: 'SCRIPT', cases: scriptCommand },
  { theme: 'transactions and several clients', cases: transactions },
  { theme: 'client-side caching of script reads', cases: trackingScriptReads },
];
