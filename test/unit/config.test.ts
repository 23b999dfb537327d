/**
 * The configuration registry (src/config.ts) without a server: parsing of
 * every value type, Redis's error texts (checked against redis-server
 * 7.0.15), aliases, mutability, protected parameters, the refusals that
 * keep configuration from lying, and watchers.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import {
  Config,
  ConfigError,
  configParams,
  findParam,
  formatParamValue,
  listenAddresses,
  parseMemory,
  parseParamValue,
  type ConfigValue,
  type ParamSpec,
} from '../../src/config.js';
import { deniedByProtectedMode } from '../../src/server/protected-mode.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

function spec(name: string): ParamSpec {
  const found = findParam(name);
  if (!found) throw new Error(`no parameter ${name}`);
  return found;
}

/** What parseParamValue makes of a text: the value, or { error }. */
function parse(name: string, raw: string, current?: ConfigValue): ConfigValue | { error: string } {
  const result = parseParamValue(spec(name), raw, current);
  return 'error' in result ? { error: result.error } : result.value;
}

/** The reply CONFIG SET would give for these pairs on a fresh configuration. */
function configSet(pairs: Array<[string, string]>, options: { isLocal?: boolean; config?: Config } = {}): string | null {
  return (options.config ?? new Config()).setMany(pairs, { isLocal: options.isLocal ?? false });
}

function failed(name: string, reason: string): string {
  return `ERR CONFIG SET failed (possibly related to argument '${name}') - ${reason}`;
}

/** The open files limit /proc reports, or null off Linux. */
function openFilesLimit(): number | null {
  try {
    return Number(/^Max open files\s+(\d+)/m.exec(fs.readFileSync('/proc/self/limits', 'latin1'))![1]);
  } catch {
    return null;
  }
}

describe('parsing each type', () => {
  it('booleans are yes or no in any case', () => {
    expect(parse('activerehashing', 'yes')).toBe(true);
    expect(parse('activerehashing', 'NO')).toBe(false);
    expect(parse('activerehashing', '1')).toEqual({ error: "argument must be 'yes' or 'no'" });
    expect(parse('activerehashing', '')).toEqual({ error: "argument must be 'yes' or 'no'" });
  });

  it('integers follow string2ll: no sign but minus, no leading zeros, within a long long', () => {
    expect(parse('hz', '50')).toBe(50);
    expect(parse('list-max-listpack-size', '-5')).toBe(-5);
    expect(parse('slowlog-log-slower-than', '-1')).toBe(-1);
    for (const bad of ['007', '+5', '-0', '5.0', ' 5', '', '1kb', '99999999999999999999']) {
      expect(parse('hz', bad), bad).toEqual({ error: "argument couldn't be parsed into an integer" });
    }
  });

  it('integer bounds are printed as Redis prints its C limits', () => {
    expect(parse('hz', '99999999999')).toEqual({ error: 'argument must be between 0 and 2147483647 inclusive' });
    expect(parse('maxclients', '0')).toEqual({ error: 'argument must be between 1 and 4294967295 inclusive' });
    expect(parse('slowlog-log-slower-than', '-2')).toEqual({ error: 'argument must be between -1 and 9223372036854775807 inclusive' });
    expect(parse('list-max-listpack-size', '-2147483649')).toEqual({
      error: 'argument must be between -2147483648 and 2147483647 inclusive',
    });
    expect(parse('active-expire-effort', '11')).toEqual({ error: 'argument must be between 1 and 10 inclusive' });
  });

  it('hz is capped to 1..500 once accepted', () => {
    expect(parse('hz', '0')).toBe(1);
    expect(parse('hz', '501')).toBe(500);
    expect(parse('hz', '2147483647')).toBe(500);
  });

  it('memory sizes take k/m/g (powers of 1000) and kb/mb/gb (powers of 1024) in any case', () => {
    expect(parseMemory('1')).toBe(1);
    expect(parseMemory('1b')).toBe(1);
    expect(parseMemory('2k')).toBe(2000);
    expect(parseMemory('2KB')).toBe(2048);
    expect(parseMemory('3m')).toBe(3_000_000);
    expect(parseMemory('3Mb')).toBe(3 * 1024 * 1024);
    expect(parseMemory('1g')).toBe(1e9);
    expect(parseMemory('1gb')).toBe(1024 ** 3);
    // memtoull reads no digits at all as 0.
    expect(parseMemory('')).toBe(0);
    expect(parseMemory('kb')).toBe(0);
    for (const bad of ['-1', '1tb', '1 kb', '1.5mb', 'lots']) expect(parseMemory(bad), bad).toBeNull();
    expect(parse('hash-max-listpack-value', '1kb')).toBe(1024);
    expect(parse('hash-max-listpack-value', '-1')).toEqual({ error: 'argument must be a memory value' });
    expect(parse('proto-max-bulk-len', '1000')).toEqual({ error: 'argument must be between 1048576 and 9223372036854775807 inclusive' });
  });

  it('percent memory values are stored negative and printed with %', () => {
    const clients = spec('maxmemory-clients');
    // Only 0 is accepted (reddish has no client eviction), but the parse comes first.
    expect(parse('maxmemory-clients', '0%')).toBe(0);
    expect(formatParamValue(clients, -10)).toBe('10%');
    expect(formatParamValue(clients, 0)).toBe('0');
    expect(parse('maxmemory-clients', '101%')).toEqual({ error: 'percentage argument must be less or equal to 100' });
    expect(parse('maxmemory-clients', '-5')).toEqual({ error: 'argument must be a memory or percent value' });
    expect(parse('maxmemory-clients', '%')).toEqual({ error: 'argument must be a memory or percent value' });
  });

  it('enums match in any case, store the canonical word and list the words in Redis order', () => {
    expect(parse('maxmemory-policy', 'ALLKEYS-LFU')).toBe('allkeys-lfu');
    expect(parse('appendfsync', 'sometimes')).toEqual({ error: 'argument(s) must be one of the following: everysec, always, no' });
    expect(parse('loglevel', 'nothing')).toEqual({ error: 'argument(s) must be one of the following: debug, verbose, notice, warning' });
    expect(parse('enable-debug-command', 'maybe')).toEqual({ error: 'argument(s) must be one of the following: no, yes, local' });
  });

  it('strings are taken as given unless the parameter checks them', () => {
    expect(parse('requirepass', 'a b "c"')).toBe('a b "c"');
    expect(parse('dbfilename', '')).toBe('');
    expect(parse('dbfilename', 'a/b')).toEqual({ error: "dbfilename can't be a path, just a filename" });
    expect(parse('appendfilename', '')).toEqual({ error: "appendfilename can't be empty" });
    expect(parse('appendfilename', 'a\\b')).toEqual({ error: "appendfilename can't be a path, just a filename" });
    expect(parse('appenddirname', 'x/y')).toEqual({ error: "appenddirname can't be a path, just a dirname" });
  });
});

describe('multi-word values', () => {
  it('save takes pairs of seconds (at least 1) and changes, as strtoll reads them', () => {
    const save = spec('save');
    expect(parse('save', '3600 1 300 100')).toBe('3600 1 300 100');
    expect(parse('save', '+60 0')).toBe('60 0');
    expect(parse('save', '')).toBe('');
    for (const bad of ['abc', '3600', '0 1', '60 -1', '3600  1', ' 60 0', '1x 1']) {
      expect(parseParamValue(save, bad), bad).toEqual({ error: 'Invalid save parameters' });
    }
  });

  it('client-output-buffer-limit merges the classes named into the current value', () => {
    const defaults = 'normal 0 0 0 slave 268435456 67108864 60 pubsub 33554432 8388608 60';
    expect(parse('client-output-buffer-limit', 'pubsub 1mb 2kb 3')).toBe('normal 0 0 0 slave 268435456 67108864 60 pubsub 1048576 2048 3');
    // `replica` is `slave`; class names in any case; later groups override earlier ones.
    expect(parse('client-output-buffer-limit', 'REPLICA 1 2 3 slave 4 5 6')).toBe('normal 0 0 0 slave 4 5 6 pubsub 33554432 8388608 60');
    expect(parse('client-output-buffer-limit', 'normal 0 0 30', 'normal 0 0 0 slave 1 2 3 pubsub 4 5 6')).toBe(
      'normal 0 0 30 slave 1 2 3 pubsub 4 5 6',
    );
    expect(parse('client-output-buffer-limit', '')).toBe(defaults);
    // Every class's limits are enforced, the normal class's too.
    expect(parse('client-output-buffer-limit', 'normal 1mb 256kb 10')).toBe('normal 1048576 262144 10 slave 268435456 67108864 60 pubsub 33554432 8388608 60');
    expect(parse('client-output-buffer-limit', 'normal 1 2')).toEqual({ error: 'Wrong number of arguments in buffer limit configuration.' });
    for (const bad of ['bogus 1 2 3', 'master 1 2 3']) {
      expect(parse('client-output-buffer-limit', bad), bad).toEqual({ error: 'Invalid client class specified in buffer limit configuration.' });
    }
    for (const bad of ['pubsub 1x 2 3', 'pubsub 1 -2 3', 'pubsub 1 2 -3', 'pubsub 1 2 3s']) {
      expect(parse('client-output-buffer-limit', bad), bad).toEqual({
        error: 'Error in hard, soft or soft_seconds setting in buffer limit configuration.',
      });
    }
  });

  it('bind takes up to 16 addresses, and listenAddresses translates Redis wildcards and optional ones', () => {
    expect(parse('bind', '10.0.0.1')).toBe('10.0.0.1');
    expect(parse('bind', '  -::1 ')).toBe('-::1');
    expect(parse('bind', '127.0.0.1   ::1')).toBe('127.0.0.1 ::1');
    expect(parse('bind', '')).toEqual({ error: 'bind needs at least one address' });
    expect(parse('bind', Array(17).fill('127.0.0.1').join(' '))).toEqual({ error: 'Too many bind addresses specified.' });
    expect(listenAddresses('* -::* -::1 127.0.0.1')).toEqual([
      { host: '0.0.0.0', optional: false },
      { host: '::', optional: true },
      { host: '::1', optional: true },
      { host: '127.0.0.1', optional: false },
    ]);
  });
});

describe('dir', () => {
  it('accepts an existing directory and stores it absolute, without changing the working directory', () => {
    const before = process.cwd();
    const cwd = fs.realpathSync('.');
    const tmp = fs.realpathSync(os.tmpdir());
    expect(parse('dir', tmp)).toBe(tmp);
    expect(parse('dir', '.')).toBe(cwd);
    expect(parse('dir', path.relative(cwd, tmp))).toBe(tmp);
    expect(new Config().get('dir')).toBe(cwd);
    expect(process.cwd()).toBe(before);
  });

  it('refuses what chdir would refuse, with strerror text', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'reddish-dir-'));
    try {
      const file = path.join(dir, 'file');
      fs.writeFileSync(file, '');
      expect(parse('dir', path.join(dir, 'missing'))).toEqual({ error: 'No such file or directory' });
      expect(parse('dir', '')).toEqual({ error: 'No such file or directory' });
      expect(parse('dir', file)).toEqual({ error: 'Not a directory' });
      expect(parse('dir', path.join(file, 'below'))).toEqual({ error: 'Not a directory' });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('names and aliases', () => {
  it('finds a parameter by its name or an old alias, in any case', () => {
    expect(findParam('HZ')?.name).toBe('hz');
    expect(findParam('hash-max-ziplist-entries')?.name).toBe('hash-max-listpack-entries');
    expect(findParam('slave-read-only')?.name).toBe('replica-read-only');
    expect(findParam('lua-time-limit')?.name).toBe('busy-reply-threshold');
    expect(findParam('no-such-thing')).toBeUndefined();
  });

  it('CONFIG GET matches aliases too, echoes an exact name as asked, and lists each name once', () => {
    const config = new Config({ 'hash-max-listpack-entries': 64 });
    expect(config.matching(['hash-max-ziplist-entries'])).toEqual([['hash-max-ziplist-entries', '64']]);
    expect(config.matching(['HZ', 'hz', 'h?'])).toEqual([['HZ', '10']]);
    expect(config.matching(['hash-max-*-entries']).sort()).toEqual([
      ['hash-max-listpack-entries', '64'],
      ['hash-max-ziplist-entries', '64'],
    ]);
    expect(config.matching(['nosuch', 'nosuch*'])).toEqual([]);
  });

  it('setting an alias sets the parameter, and errors name the alias as registered', () => {
    const config = new Config();
    expect(config.setMany([['HASH-MAX-ZIPLIST-ENTRIES', '7']])).toBeNull();
    expect(config.get('hash-max-listpack-entries')).toBe(7);
    expect(config.setMany([['Hash-Max-Ziplist-Entries', 'x']])).toBe(
      failed('hash-max-ziplist-entries', "argument couldn't be parsed into an integer"),
    );
    expect(config.setMany([['hash-max-ziplist-entries', '1'], ['hash-max-listpack-entries', '2']])).toBe(
      failed('hash-max-listpack-entries', 'duplicate parameter'),
    );
  });

  it('the typed accessor gives each value its type', () => {
    const config = new Config({ hz: 20, appendonly: 'no', 'maxmemory-policy': 'allkeys-lru', 'hash-max-listpack-value': '1kb' });
    const hz: number = config.get('hz');
    const appendonly: boolean = config.get('appendonly');
    const policy: 'noeviction' | 'allkeys-lru' | string = config.get('maxmemory-policy');
    expect([hz, appendonly, policy]).toEqual([20, false, 'allkeys-lru']);
    // A memory value given with a unit reads back in bytes.
    expect(config.get('hash-max-listpack-value')).toBe(1024);
  });

  it('a misspelt parameter name does not compile, nor a value of the wrong type', () => {
    const file = path.join(root, 'test', 'unit', '__config-typos.ts');
    fs.writeFileSync(
      file,
      [
        "import { Config } from '../../src/config.js';",
        'const config = new Config();',
        "const n: number = config.get('hz');",
        "config.get('hzz');",
        "const s: string = config.get('hz');",
        "const level: 'noeviction' = config.get('loglevel');",
        "new Config({ 'hash-max-listpack-entrys': 1 });",
        'void n; void s; void level;',
      ].join('\n'),
    );
    try {
      const program = ts.createProgram([file], { strict: true, noEmit: true, module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext, target: ts.ScriptTarget.ES2022, types: ['node'], skipLibCheck: true });
      const lines = ts
        .getPreEmitDiagnostics(program)
        .filter((d) => d.file?.fileName === file)
        .map((d) => d.file!.getLineAndCharacterOfPosition(d.start!).line + 1);
      // Lines 4 to 7 are each wrong; lines 1 to 3 are right.
      expect([...new Set(lines)].sort()).toEqual([4, 5, 6, 7]);
    } finally {
      fs.rmSync(file, { force: true });
    }
  }, 60_000);
});

describe('CONFIG SET order and atomicity', () => {
  it('refuses immutable parameters at run time, though a config file or startServer may set them', () => {
    expect(configSet([['databases', '4']])).toBe(failed('databases', "can't set immutable config"));
    expect(configSet([['DATABASES', '4']])).toBe(failed('DATABASES', "can't set immutable config"));
    expect(new Config({ databases: 4 }).get('databases')).toBe(4);
    for (const p of configParams.filter((q) => !q.mutable)) {
      expect(configSet([[p.name, formatParamValue(p, new Config().get(p.name))]]), p.name).toBe(failed(p.name, "can't set immutable config"));
    }
  });

  it('looks up every name before parsing any value, and the first problem wins', () => {
    expect(configSet([['hz', 'x'], ['databases', '1']])).toBe(failed('databases', "can't set immutable config"));
    expect(configSet([['databases', '1'], ['nosuch', '1']])).toBe(failed('databases', "can't set immutable config"));
    expect(configSet([['nosuch', '1'], ['databases', '1']])).toBe("ERR Unknown option or number of arguments for CONFIG SET - 'nosuch'");
    expect(configSet([['hz', 'x'], ['appendonly', 'yes']])).toBe(failed('hz', "argument couldn't be parsed into an integer"));
  });

  it('changes nothing, and tells no watcher, when any pair fails', () => {
    const config = new Config();
    const seen: ConfigValue[] = [];
    config.watch('hz', (v) => seen.push(v));
    expect(config.setMany([['hz', '50'], ['maxmemory-clients', '10mb']])).toBe(
      failed('maxmemory-clients', 'reddish has no client eviction; only 0 is accepted'),
    );
    expect(config.get('hz')).toBe(10);
    expect(seen).toEqual([10]);
    expect(config.setMany([['hz', '50'], ['maxmemory-clients', '0']])).toBeNull();
    expect(seen).toEqual([10, 50]);
  });
});

describe('protected parameters', () => {
  const missing = path.join(os.tmpdir(), 'reddish-no-such-dir');

  it('refuses dir and dbfilename unless enable-protected-configs allows the client', () => {
    expect(configSet([['dir', os.tmpdir()]])).toBe(failed('dir', "can't set protected config"));
    expect(configSet([['dbfilename', 'x.rdb']])).toBe(failed('dbfilename', "can't set protected config"));
    const yes = new Config({ 'enable-protected-configs': 'yes' });
    expect(yes.setMany([['dir', missing]])).toBe(failed('dir', 'No such file or directory'));
    expect(yes.setMany([['dir', os.tmpdir()], ['dbfilename', 'x.rdb']])).toBeNull();
    expect(yes.get('dir')).toBe(path.resolve(os.tmpdir()));
    const local = new Config({ 'enable-protected-configs': 'local' });
    expect(local.setMany([['dbfilename', 'x.rdb']], { isLocal: false })).toBe(failed('dbfilename', "can't set protected config"));
    expect(local.setMany([['dbfilename', 'x.rdb']], { isLocal: true })).toBeNull();
  });

  it('enable-protected-configs and enable-debug-command default to no and are immutable, as in Redis', () => {
    const config = new Config();
    expect(config.get('enable-protected-configs')).toBe('no');
    expect(config.get('enable-debug-command')).toBe('no');
    expect(configSet([['enable-debug-command', 'yes']])).toBe(failed('enable-debug-command', "can't set immutable config"));
  });
});

/** For each `missing` parameter: a value that would switch it on, and its off values. */
const ENABLING: Record<string, { on: string[]; off: string[] }> = {
  daemonize: { on: ['yes'], off: ['no'] },
  'maxmemory-clients': { on: ['1', '10%', '1gb'], off: ['0', '0%'] },
  'cluster-enabled': { on: ['yes'], off: ['no'] },
  'tls-replication': { on: ['yes'], off: ['no'] },
  'tls-cluster': { on: ['yes'], off: ['no'] },
};

describe('parameters that would switch on missing behaviour', () => {
  const missingParams = configParams.filter((p) => p.effect.kind === 'missing');

  it('are exactly the ones this test knows how to switch on', () => {
    expect(missingParams.map((p) => p.name).sort()).toEqual(Object.keys(ENABLING).sort());
  });

  it.each(missingParams.map((p) => [p.name, p] as const))('%s refuses what would switch it on, and accepts its off values', (name, p) => {
    if (p.effect.kind !== 'missing') throw new Error('unreachable');
    const reason = `reddish has no ${p.effect.lacks}; ${p.effect.accepted}`;
    for (const on of ENABLING[name]!.on) {
      expect(parseParamValue(p, on), on).toEqual({ error: reason });
      if (p.mutable) expect(configSet([[name, on]]), on).toBe(failed(name, reason));
      expect(() => new Config({ [name]: on }), on).toThrow(new ConfigError(name, reason));
    }
    for (const off of ENABLING[name]!.off) {
      expect('error' in parseParamValue(p, off), off).toBe(false);
      if (p.mutable) expect(configSet([[name, off]]), off).toBeNull();
      expect(() => new Config({ [name]: off }), off).not.toThrow();
    }
    // The default is off.
    expect(p.effect.isOff(new Config().get(p.name))).toBe(true);
  });

  it('typed overrides take the same checks as texts', () => {
    expect(() => new Config({ 'cluster-enabled': true })).toThrow("Bad configuration for 'cluster-enabled': reddish has no cluster mode; only 'no' is accepted");
    expect(() => new Config({ 'maxmemory-clients': 1024 })).toThrow(ConfigError);
    expect(() => new Config({ timeout: 0, appendonly: false, 'maxmemory-clients': 0 })).not.toThrow();
    expect(() => new Config({ hz: 'often' })).toThrow("Bad configuration for 'hz': argument couldn't be parsed into an integer");
    expect(() => new Config({ 'no-such-thing': 1 } as never)).toThrow("Unknown configuration parameter 'no-such-thing'");
  });
});

describe('protected mode', () => {
  // Enforced per connection now (server/protected-mode.ts): no configuration is refused for it.
  it('accepts every bind, with or without a password', () => {
    for (const open of [{ bind: '0.0.0.0' }, { bind: '*' }, { bind: '0.0.0.0', requirepass: 'x' }, { bind: '-::1' }]) {
      expect(() => new Config(open), JSON.stringify(open)).not.toThrow();
    }
    const config = new Config({ bind: '0.0.0.0', requirepass: 'x' });
    expect(config.setMany([['requirepass', '']])).toBeNull();
    expect(config.setMany([['protected-mode', 'no']])).toBeNull();
    expect(config.setMany([['protected-mode', 'yes']])).toBeNull();
  });

  it('denies a client that is not on loopback while the default user has no password', () => {
    const config = new Config();
    expect(deniedByProtectedMode(config, true, '192.0.2.2')).toBe(true);
    expect(deniedByProtectedMode(config, true, '::ffff:192.0.2.2')).toBe(true);
    // islocalClient compares with 127.0.0.1 and ::1 exactly.
    expect(deniedByProtectedMode(config, true, '127.0.0.2')).toBe(true);
    for (const local of ['127.0.0.1', '::1', '::ffff:127.0.0.1']) expect(deniedByProtectedMode(config, true, local), local).toBe(false);
    // A password on the default user (requirepass or ACL SETUSER) lets every address in.
    expect(deniedByProtectedMode(config, false, '192.0.2.2')).toBe(false);
    expect(deniedByProtectedMode(new Config({ 'protected-mode': 'no' }), true, '192.0.2.2')).toBe(false);
  });
});

describe('maxclients and the open files limit', () => {
  const files = openFilesLimit();

  it.skipIf(files === null)('CONFIG SET refuses more clients than the process may open files for, as updateMaxclients does', () => {
    expect(configSet([['maxclients', String(files! - 32)]])).toBeNull();
    expect(configSet([['maxclients', String(files! - 31)]])).toBe(
      failed('maxclients', `The operating system is not able to handle the specified number of clients, try with ${files! - 32}`),
    );
  });

  it.skipIf(files === null)('a startup value beyond the limit is lowered to it, as adjustOpenFilesLimit does', () => {
    expect(new Config({ maxclients: 4294967295 }).get('maxclients')).toBe(files! - 32);
    expect(new Config({ maxclients: 5 }).get('maxclients')).toBe(5);
  });
});

describe('watchers', () => {
  it('are called at once, then after each change, with the value and the parameter name', () => {
    const config = new Config({ 'zset-max-listpack-entries': 5 });
    const seen: Array<[ConfigValue, string]> = [];
    config.watch('zset-max-ziplist-entries', (value, name) => seen.push([value, name]));
    config.watch('zset-max-listpack-entries', (value, name) => seen.push([value, name]));
    expect(seen).toEqual([
      [5, 'zset-max-listpack-entries'],
      [5, 'zset-max-listpack-entries'],
    ]);
    expect(config.setMany([['zset-max-ziplist-entries', '9']])).toBeNull();
    expect(seen.slice(2)).toEqual([
      [9, 'zset-max-listpack-entries'],
      [9, 'zset-max-listpack-entries'],
    ]);
  });

  it('see every pair of a CONFIG SET stored by the time the first is told, as Redis sets all before applying any', () => {
    const config = new Config();
    let policyWhenHzChanged: string | undefined;
    config.watch('hz', () => (policyWhenHzChanged = config.get('maxmemory-policy')));
    expect(config.setMany([['hz', '20'], ['maxmemory-policy', 'allkeys-lfu']])).toBeNull();
    expect(config.get('hz')).toBe(20);
    expect(policyWhenHzChanged).toBe('allkeys-lfu');
  });

  it('refuse an unknown name', () => {
    expect(() => new Config().watch('nosuch', () => {})).toThrow("Unknown configuration parameter 'nosuch'");
  });
});

describe('the registry', () => {
  it('has a valid default for every parameter, which reads back as itself', () => {
    const config = new Config();
    for (const p of configParams) {
      const value = config.get(p.name);
      const text = formatParamValue(p, value);
      expect(parseParamValue(p, text, value), p.name).toEqual({ value });
    }
  });

  it('gives every inert parameter a reason', () => {
    for (const p of configParams) if (p.effect.kind === 'inert') expect(p.effect.why, p.name).not.toBe('');
  });

  it("lists every inert and missing parameter under DESIGN.md's Contradictions", () => {
    const design = fs.readFileSync(path.join(root, 'docs', 'DESIGN.md'), 'utf8');
    const contradictions = design.slice(design.indexOf('## Contradictions'));
    const unlisted = configParams.filter((p) => p.effect.kind !== 'works' && !contradictions.includes(`\`${p.name}\``)).map((p) => p.name);
    expect(unlisted).toEqual([]);
  });
});
