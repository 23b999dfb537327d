/**
 * FUNCTION and FCALL cases for the scripting differential test
 * (scripting.test.ts plays them against redis-server 7.0.15 and the
 * candidate, comparing every reply byte for byte).
 *
 * Every case starts with FUNCTION FLUSH: FLUSHALL leaves libraries alone.
 * Redis lists libraries, and a library's functions, in the order of a dict
 * hashed with a seed chosen at random when the server starts, so no case
 * lists more than one library or a library with more than one function;
 * those orders are left to the integration tests, which sort them.
 */
import type { Command } from '../helpers/resp-client.js';
import { commands, session, step, type CorpusTheme, type SessionCase } from './scripting-corpus.js';

/** A session on one client that starts with FUNCTION FLUSH. */
function fresh(name: string, ...argvs: Command[]): SessionCase {
  return commands(name, ['FUNCTION', 'FLUSH'], ...argvs);
}

function load(code: string, ...options: string[]): Command {
  return ['FUNCTION', 'LOAD', ...options, code];
}

/** A library of one function `name` whose body is `body` (keys and args are its parameters). */
function oneFunction(library: string, name: string, body: string, flags?: string): string {
  if (flags === undefined) return `#!lua name=${library}\nredis.register_function('${name}', function(keys, args)\n${body}\nend)`;
  return `#!lua name=${library}\nredis.register_function{function_name='${name}', callback=function(keys, args)\n${body}\nend, flags={${flags}}}`;
}

/** A load whose code registers nothing but runs `body` at load time. */
function loadTime(name: string, body: string): SessionCase {
  return fresh(name, load(`#!lua name=lib\n${body}\nredis.register_function('f', function() return 1 end)`), ['FCALL', 'f', '0']);
}

const metadata: SessionCase[] = [
  fresh('no shebang', load('return 1')),
  fresh('shebang without a newline', load('#!lua name=lib')),
  fresh('unknown engine', load("#!js name=lib\nredis.register_function('f', function() return 1 end)")),
  fresh('engine name without case', load("#!LUA name=lib\nredis.register_function('f', function() return 1 end)"), ['FCALL', 'f', '0']),
  fresh('no library name', load("#!lua\nredis.register_function('f', function() return 1 end)")),
  fresh('name given twice', load("#!lua name=a name=b\nredis.register_function('f', function() return 1 end)")),
  fresh('unknown metadata', load("#!lua name=lib flags=no-writes\nredis.register_function('f', function() return 1 end)")),
  fresh('NAME= in capitals', load("#!lua NAME=lib\nredis.register_function('f', function() return 1 end)")),
  fresh('library name with a dash', load("#!lua name=my-lib\nredis.register_function('f', function() return 1 end)")),
  fresh('empty library name', load("#!lua name=\nredis.register_function('f', function() return 1 end)")),
  fresh('quoted library name with a space', load("#!lua \"name=my lib\"\nredis.register_function('f', function() return 1 end)")),
  fresh('unbalanced quotes in the shebang', load("#!lua \"name=lib\nredis.register_function('f', function() return 1 end)")),
  fresh('a bare #!', load("#!\nredis.register_function('f', function() return 1 end)")),
  fresh('LOAD with an unknown option', load(oneFunction('lib', 'f', 'return 1'), 'NOW')),
  fresh('LOAD REPLACE alone is the code', ['FUNCTION', 'LOAD', 'REPLACE']),
  fresh('LOAD with no code', ['FUNCTION', 'LOAD']),
];

const loading: SessionCase[] = [
  fresh('compile error', load('#!lua name=lib\nreturn 1 +')),
  fresh('no functions registered', load('#!lua name=lib\nlocal x = 1')),
  loadTime('error() is not reachable while loading', "error('boom')"),
  loadTime('the string library is not reachable while loading', "local s = string.format('%d', 1)"),
  loadTime('redis.call is not reachable while loading', "redis.call('SET', 'k', 'v')"),
  loadTime('redis.setresp is not reachable while loading', 'redis.setresp(3)'),
  loadTime('setting a global while loading', 'x = 1'),
  loadTime('redis.log works while loading', "redis.log(redis.LOG_DEBUG, 'loading')"),
  loadTime('the version is there while loading', 'local version = redis.REDIS_VERSION_NUM'),
  loadTime('a local function of the library', 'local function helper() return 2 end'),
  fresh('register_function with no arguments', load('#!lua name=lib\nredis.register_function()')),
  fresh('register_function with three arguments', load("#!lua name=lib\nredis.register_function('f', function() end, 1)")),
  fresh('register_function with a number as the name', load('#!lua name=lib\nredis.register_function(123, function() return 7 end)'), ['FCALL', '123', '0']),
  fresh('register_function with a table as the name', load('#!lua name=lib\nredis.register_function({}, function() end)')),
  fresh('register_function with a non-function callback', load("#!lua name=lib\nredis.register_function('f', 'nope')")),
  fresh('register_function with one non-table argument', load("#!lua name=lib\nredis.register_function('f')")),
  fresh('named arguments: an unknown argument', load("#!lua name=lib\nredis.register_function{function_name='f', callback=function() end, color='red'}")),
  fresh('named arguments: no name', load('#!lua name=lib\nredis.register_function{callback=function() end}')),
  fresh('named arguments: no callback', load("#!lua name=lib\nredis.register_function{function_name='f'}")),
  fresh('named arguments: a non-string name', load('#!lua name=lib\nredis.register_function{function_name={}, callback=function() end}')),
  fresh('named arguments: a non-function callback', load("#!lua name=lib\nredis.register_function{function_name='f', callback=5}")),
  fresh('named arguments: a non-string description', load("#!lua name=lib\nredis.register_function{function_name='f', callback=function() end, description={}}")),
  fresh('named arguments: flags not a table', load("#!lua name=lib\nredis.register_function{function_name='f', callback=function() end, flags='no-writes'}")),
  fresh('named arguments: an unknown flag', load("#!lua name=lib\nredis.register_function{function_name='f', callback=function() end, flags={'no-writes', 'fast'}}")),
  fresh('named arguments: a non-string flag', load("#!lua name=lib\nredis.register_function{function_name='f', callback=function() end, flags={{}}}")),
  fresh('named arguments: flags without case', load("#!lua name=lib\nredis.register_function{function_name='f', callback=function() end, flags={'NO-WRITES', 'Allow-Stale'}}"), ['FUNCTION', 'LIST']),
  fresh('named arguments: a positional element', load("#!lua name=lib\nredis.register_function{'f', function() end}")),
  fresh('a function name with a dash', load("#!lua name=lib\nredis.register_function('my-fn', function() end)")),
  fresh('an empty function name', load("#!lua name=lib\nredis.register_function('', function() end)")),
  fresh('the same function twice in a library', load("#!lua name=lib\nredis.register_function('f', function() end)\nredis.register_function('f', function() end)")),
  fresh('register_function returns nothing', load("#!lua name=lib\nlocal r = redis.register_function('f', function() return 'f' end)\nredis.log(redis.LOG_DEBUG, type(r))"), ['FCALL', 'f', '0']),
  fresh('a library that registers then fails registers nothing', load("#!lua name=lib\nredis.register_function('f', function() end)\nredis.register_function()"), ['FCALL', 'f', '0']),
  fresh('the library exists', load(oneFunction('lib', 'f', 'return 1')), load(oneFunction('lib', 'g', 'return 2'))),
  fresh('REPLACE swaps the library', load(oneFunction('lib', 'f', 'return 1')), load(oneFunction('lib', 'g', 'return 2'), 'replace'), ['FCALL', 'f', '0'], ['FCALL', 'g', '0']),
  fresh('a failed REPLACE keeps the old library', load(oneFunction('lib', 'f', 'return 1')), load('#!lua name=lib\nreturn 1 +', 'REPLACE'), ['FCALL', 'f', '0']),
  fresh('REPLACE that would register nothing keeps the old library', load(oneFunction('lib', 'f', 'return 1')), load('#!lua name=lib\nlocal x = 1', 'REPLACE'), ['FCALL', 'f', '0']),
  fresh('a function name taken by another library', load(oneFunction('lib1', 'f', 'return 1')), load(oneFunction('lib2', 'f', 'return 2')), ['FCALL', 'f', '0']),
  fresh('a function name taken by another library, in other case', load(oneFunction('lib1', 'f', 'return 1')), load(oneFunction('lib2', 'F', 'return 2'))),
  fresh('REPLACE may keep its own function names', load(oneFunction('lib', 'f', 'return 1')), load(oneFunction('lib', 'f', 'return 2'), 'REPLACE'), ['FCALL', 'f', '0']),
  fresh('library names are case-sensitive', load(oneFunction('lib', 'f', 'return 1')), load(oneFunction('LIB', 'g', 'return 2')), ['FCALL', 'g', '0']),
  fresh(
    'FUNCTION LOAD stops a library that runs too long',
    load('#!lua name=lib\nlocal i = 0\nwhile true do i = i + 1 end\nredis.register_function(\'f\', function() end)'),
    ['PING'],
  ),
];

const fcall: SessionCase[] = [
  fresh('FCALL of no function', ['FCALL', 'nope', '0']),
  fresh('FCALL with a bad key count', load(oneFunction('lib', 'f', 'return 1')), ['FCALL', 'f', 'x'], ['FCALL', 'f', '1.5'], ['FCALL', 'f', '-1'], ['FCALL', 'f', '2', 'a']),
  fresh('FCALL of no function with a bad key count', ['FCALL', 'nope', 'x']),
  fresh('FCALL arity', ['FCALL', 'f'], ['FCALL_RO', 'f']),
  fresh('function names match without case', load(oneFunction('lib', 'MyFn', 'return 1')), ['FCALL', 'myfn', '0'], ['FCALL', 'MYFN', '0']),
  fresh(
    'keys and args are the parameters',
    load(oneFunction('lib', 'f', 'return {#keys, #args, keys[1], args[1], args[2]}')),
    ['FCALL', 'f', '1', 'k1', 'a1', 'a2'],
    ['FCALL', 'f', '0'],
  ),
  fresh('KEYS and ARGV are not globals in functions', load(oneFunction('lib', 'f', 'return KEYS')), ['FCALL', 'f', '0']),
  fresh('setting a global in a function', load(oneFunction('lib', 'f', 'x = 1\nreturn 1')), ['FCALL', 'f', '0']),
  fresh('reading an undeclared global in a function', load(oneFunction('lib', 'f', 'return undeclared_thing')), ['FCALL', 'f', '0']),
  fresh('libraries are there when a function runs', load(oneFunction('lib', 'f', "return {string.format('%05d', 42), cjson.encode({1,2}), bit.band(12, 10), struct.pack('>I2', 258)}")), ['FCALL', 'f', '0']),
  fresh('register_function is gone when a function runs', load(oneFunction('lib', 'f', 'return redis.register_function')), ['FCALL', 'f', '0']),
  fresh('calling register_function when a function runs', load(oneFunction('lib', 'f', "redis.register_function('g', function() end)")), ['FCALL', 'f', '0']),
  fresh('a runtime error names the function', load(oneFunction('lib', 'f', "error('oops')")), ['FCALL', 'f', '0']),
  fresh('an error table names the function', load(oneFunction('lib', 'f', "return redis.error_reply('MY custom')")), ['FCALL', 'f', '0']),
  fresh('a redis.call error names the function', load(oneFunction('lib', 'f', "return redis.call('INCR', 'k')")), ['SET', 'k', 'x'], ['FCALL', 'f', '1', 'k']),
  fresh('redis.pcall in a function', load(oneFunction('lib', 'f', "local r = redis.pcall('NOSUCH')\nreturn {type(r), r.err}")), ['FCALL', 'f', '0']),
  fresh(
    'a function writes',
    load(oneFunction('lib', 'f', "redis.call('SET', keys[1], args[1])\nreturn redis.call('INCRBY', keys[2], args[2])")),
    ['FCALL', 'f', '2', 'k', 'n', 'v', '5'],
    ['GET', 'k'],
    ['FCALL', 'f', '2', 'k', 'n', 'w', '5'],
  ),
  fresh('a no-writes function may not write', load(oneFunction('lib', 'f', "return redis.call('SET', 'k', 'v')", "'no-writes'")), ['FCALL', 'f', '0'], ['EXISTS', 'k']),
  fresh('a no-writes function reads', load(oneFunction('lib', 'f', "return redis.call('GET', keys[1])", "'no-writes'")), ['SET', 'k', 'v'], ['FCALL', 'f', '1', 'k'], ['FCALL_RO', 'f', '1', 'k']),
  fresh('FCALL_RO of a function that may write', load(oneFunction('lib', 'f', 'return 1')), ['FCALL_RO', 'f', '0']),
  fresh('FCALL_RO of a function with other flags only', load(oneFunction('lib', 'f', 'return 1', "'allow-stale', 'allow-oom'")), ['FCALL_RO', 'f', '0']),
  fresh('FCALL_RO refuses writes inside', load(oneFunction('lib', 'f', "return redis.call('DEL', 'k')", "'no-writes'")), ['FCALL_RO', 'f', '0']),
  fresh('upvalues live between calls', load("#!lua name=lib\nlocal n = 0\nredis.register_function('inc', function() n = n + 1\nreturn n end)"), ['FCALL', 'inc', '0'], ['FCALL', 'inc', '0']),
  fresh('REPLACE resets upvalues', load("#!lua name=lib\nlocal n = 0\nredis.register_function('inc', function() n = n + 1\nreturn n end)"), ['FCALL', 'inc', '0'], load("#!lua name=lib\nlocal n = 10\nredis.register_function('inc', function() n = n + 1\nreturn n end)", 'REPLACE'), ['FCALL', 'inc', '0']),
  fresh('setresp 3 in a function', load(oneFunction('lib', 'f', "redis.setresp(3)\nreturn redis.call('HGETALL', 'h')")), ['HSET', 'h', 'a', '1'], ['FCALL', 'f', '0']),
  fresh('a function returns a double and a map', load(oneFunction('lib', 'f', "return {double=3.5}")), ['FCALL', 'f', '0']),
  fresh('a function returns nothing', load(oneFunction('lib', 'f', 'local x = 1')), ['FCALL', 'f', '0']),
  fresh('noscript commands from a function', load(oneFunction('lib', 'f', "return redis.call('FUNCTION', 'LIST')")), ['FCALL', 'f', '0']),
  fresh('FCALL from a function', load(oneFunction('lib', 'f', "return redis.call('FCALL', 'f', 0)")), ['FCALL', 'f', '0']),
  fresh('EVAL cannot FCALL', load(oneFunction('lib', 'f', 'return 1')), ['EVAL', "return redis.call('FCALL', 'f', 0)", '0']),
  fresh('FCALL in MULTI', load(oneFunction('lib', 'f', "return redis.call('INCR', keys[1])")), ['MULTI'], ['FCALL', 'f', '1', 'n'], ['FCALL', 'f', '1', 'n'], ['EXEC']),
  fresh('FUNCTION LOAD in MULTI', ['MULTI'], load(oneFunction('lib', 'f', 'return 1')), ['FCALL', 'f', '0'], ['EXEC']),
  fresh('SCRIPT FLUSH leaves functions', load(oneFunction('lib', 'f', 'return 1')), ['SCRIPT', 'FLUSH'], ['FCALL', 'f', '0']),
  fresh('FLUSHALL leaves functions', load(oneFunction('lib', 'f', 'return 1')), ['FLUSHALL'], ['FCALL', 'f', '0']),
  fresh('FUNCTION FLUSH leaves scripts', ['SCRIPT', 'LOAD', 'return 1'], ['FUNCTION', 'FLUSH'], ['SCRIPT', 'EXISTS', 'e0e1f9fabfc9d4800c877a703b823ac0578ff8db']),
];

const management: SessionCase[] = [
  fresh('LIST with no libraries', ['FUNCTION', 'LIST'], ['FUNCTION', 'LIST', 'WITHCODE']),
  fresh('LIST of one library', load(oneFunction('lib', 'f', 'return 1')), ['FUNCTION', 'LIST']),
  fresh('LIST WITHCODE', load(oneFunction('lib', 'f', 'return 1')), ['FUNCTION', 'LIST', 'WITHCODE']),
  fresh(
    'LIST shows a description and flags',
    load("#!lua name=lib\nredis.register_function{function_name='f', callback=function() return 1 end, description='adds one', flags={'allow-cross-slot-keys', 'no-writes', 'no-cluster', 'allow-stale', 'allow-oom'}}"),
    ['FUNCTION', 'LIST'],
  ),
  fresh('LIST with an empty flags table', load("#!lua name=lib\nredis.register_function{function_name='f', callback=function() return 1 end, flags={}}"), ['FUNCTION', 'LIST']),
  fresh(
    'LIST LIBRARYNAME picks by pattern, without case',
    load(oneFunction('alpha', 'fa', 'return 1')),
    load(oneFunction('beta', 'fb', 'return 1')),
    ['FUNCTION', 'LIST', 'LIBRARYNAME', 'al*'],
    ['FUNCTION', 'LIST', 'LIBRARYNAME', 'BETA'],
    ['FUNCTION', 'LIST', 'libraryname', 'zz*'],
    ['FUNCTION', 'LIST', 'WITHCODE', 'LIBRARYNAME', 'b?ta'],
  ),
  fresh('LIST LIBRARYNAME with no pattern', ['FUNCTION', 'LIST', 'LIBRARYNAME']),
  fresh('LIST with an unknown argument', ['FUNCTION', 'LIST', 'ALL']),
  fresh('LIST WITHCODE twice', ['FUNCTION', 'LIST', 'WITHCODE', 'WITHCODE']),
  fresh('LIST LIBRARYNAME twice', ['FUNCTION', 'LIST', 'LIBRARYNAME', 'a', 'LIBRARYNAME', 'b']),
  fresh('STATS with no libraries', ['FUNCTION', 'STATS']),
  fresh('STATS counts libraries and functions', load("#!lua name=lib\nredis.register_function('f', function() end)\nredis.register_function('g', function() end)"), load(oneFunction('lib2', 'h', 'return 1')), ['FUNCTION', 'STATS']),
  fresh('STATS arity', ['FUNCTION', 'STATS', 'x']),
  fresh('DELETE', load(oneFunction('lib', 'f', 'return 1')), ['FUNCTION', 'DELETE', 'lib'], ['FCALL', 'f', '0'], ['FUNCTION', 'DELETE', 'lib'], ['FUNCTION', 'STATS']),
  fresh('DELETE matches the library name exactly', load(oneFunction('lib', 'f', 'return 1')), ['FUNCTION', 'DELETE', 'LIB'], ['FUNCTION', 'DELETE', 'f']),
  fresh('DELETE arity', ['FUNCTION', 'DELETE'], ['FUNCTION', 'DELETE', 'a', 'b']),
  fresh('a deleted function\'s name can be loaded again', load(oneFunction('lib', 'f', 'return 1')), ['FUNCTION', 'DELETE', 'lib'], load(oneFunction('lib2', 'f', 'return 2')), ['FCALL', 'f', '0']),
  fresh('FLUSH modes', load(oneFunction('lib', 'f', 'return 1')), ['FUNCTION', 'FLUSH', 'ASYNC'], ['FCALL', 'f', '0'], ['FUNCTION', 'FLUSH', 'sync'], ['FUNCTION', 'FLUSH', 'now'], ['FUNCTION', 'FLUSH', 'sync', 'x']),
  fresh('KILL with nothing running', ['FUNCTION', 'KILL']),
  fresh('HELP', ['FUNCTION', 'HELP'], ['FUNCTION', 'help']),
  fresh('unknown subcommand and arity', ['FUNCTION', 'NOPE'], ['FUNCTION'], ['FUNCTION', 'HELP', 'x'], ['FUNCTION', 'KILL', 'x'], ['FUNCTION', 'DUMP', 'x']),
];

/**
 * A FUNCTION DUMP payload made by redis-server 7.0.15 (two libraries, one
 * of them long enough for Redis to LZF-compress its code), as hex.
 */
const REDIS_DUMP = Buffer.from(
  'f5c3405a40601523216c7561206e616d653d726573746f7265645f620a20051869732e72656769737465725f66756e6374696f6e28276f7468400f036e272c20e00014136b6579732c2061726773292072657475726e202340130420656e6429f5c340d440f81823216c7561206e616d653d726573746f7265645f610a2d2d20c00d132066726f6d20612064756d70206d616465206279201c116469732d73657276657220372e302e31350a6013122e72656769737465725f66756e6374696f6e7bc008005f60640027404e005f404c0b272c2063616c6c6261636b3dc0230b286b6579732c2061726773292064047475726e20e00131062027202e2e2028401d1f5b315d206f722027272920656e642c20666c6167733d7b276e6f2d77726974650b73277d2c20646573637269704085013d27e004ba01277d0a004770d6362dbc6593',
  'hex',
).toString('latin1');
/** FUNCTION DUMP of no libraries, by redis-server 7.0.15. */
const EMPTY_DUMP = Buffer.from('0a005d9b5c400f7fa2da', 'hex').toString('latin1');

/** The payload with one byte changed, so that its checksum fails. */
function corrupted(payload: string, at: number): string {
  const bytes = Buffer.from(payload, 'latin1');
  bytes[at] = bytes[at]! ^ 1;
  return bytes.toString('latin1');
}

const restore: SessionCase[] = [
  fresh(
    'RESTORE a payload Redis dumped',
    ['FUNCTION', 'RESTORE', REDIS_DUMP],
    ['FCALL', 'from_dump', '0', 'x'],
    ['FCALL', 'other_fn', '2', 'a', 'b'],
    ['FUNCTION', 'LIST', 'LIBRARYNAME', 'restored_a', 'WITHCODE'],
    ['FUNCTION', 'STATS'],
  ),
  // One library collides, so the error does not depend on which library Redis's dict visits first.
  fresh('RESTORE APPEND onto a library of the same name', load(oneFunction('restored_b', 'mine', 'return 1')), ['FUNCTION', 'RESTORE', REDIS_DUMP, 'APPEND'], ['FCALL', 'mine', '0']),
  fresh('RESTORE REPLACE onto the same libraries', ['FUNCTION', 'RESTORE', REDIS_DUMP], ['FUNCTION', 'RESTORE', REDIS_DUMP, 'replace'], ['FUNCTION', 'STATS']),
  fresh('RESTORE FLUSH drops the others', load(oneFunction('mine', 'mine_fn', 'return 1')), ['FUNCTION', 'RESTORE', REDIS_DUMP, 'FLUSH'], ['FCALL', 'mine_fn', '0'], ['FUNCTION', 'STATS']),
  fresh('RESTORE with a function name taken', load(oneFunction('mine', 'from_dump', 'return 1')), ['FUNCTION', 'RESTORE', REDIS_DUMP], ['FUNCTION', 'STATS'], ['FUNCTION', 'RESTORE', REDIS_DUMP, 'REPLACE']),
  fresh('RESTORE of no libraries', load(oneFunction('mine', 'f', 'return 1')), ['FUNCTION', 'RESTORE', EMPTY_DUMP], ['FUNCTION', 'RESTORE', EMPTY_DUMP, 'FLUSH'], ['FUNCTION', 'STATS']),
  fresh('RESTORE with a bad checksum', ['FUNCTION', 'RESTORE', corrupted(REDIS_DUMP, 5)], ['FUNCTION', 'RESTORE', corrupted(EMPTY_DUMP, 9)]),
  fresh('RESTORE of a short payload', ['FUNCTION', 'RESTORE', 'abc'], ['FUNCTION', 'RESTORE', '']),
  fresh('RESTORE with a bad policy', ['FUNCTION', 'RESTORE', REDIS_DUMP, 'MERGE']),
  fresh('RESTORE arity', ['FUNCTION', 'RESTORE'], ['FUNCTION', 'RESTORE', REDIS_DUMP, 'FLUSH', 'x']),
  fresh('DUMP of no libraries', ['FUNCTION', 'DUMP']),
];

/** Several clients around FCALL. */
const clients: SessionCase[] = [
  session(
    'WATCH sees a function\'s write',
    step('a', 'FUNCTION', 'FLUSH'),
    step('a', ...load(oneFunction('lib', 'f', "return redis.call('SET', keys[1], 'x')"))),
    step('a', 'WATCH', 'k'),
    step('b', 'FCALL', 'f', '1', 'k'),
    step('a', 'MULTI'),
    step('a', 'GET', 'k'),
    step('a', 'EXEC'),
  ),
  session(
    'a library loaded on one connection is there on another',
    step('a', 'FUNCTION', 'FLUSH'),
    step('a', ...load(oneFunction('lib', 'f', 'return 1'))),
    step('b', 'FCALL', 'f', '0'),
    step('b', 'FUNCTION', 'DELETE', 'lib'),
    step('a', 'FCALL', 'f', '0'),
  ),
];

export const FUNCTION_CORPUS: readonly CorpusTheme[] = [
  { theme: 'FUNCTION LOAD: library metadata', cases: metadata },
  { theme: 'FUNCTION LOAD: loading and registering', cases: loading },
  { theme: 'FCALL and FCALL_RO', cases: fcall },
  { theme: 'FUNCTION LIST, STATS, DELETE, FLUSH, KILL, HELP', cases: management },
  { theme: 'FUNCTION DUMP and RESTORE', cases: restore },
  { theme: 'functions and several clients', cases: clients },
];
