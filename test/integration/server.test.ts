/**
 * Server administration through real sockets: INFO, CONFIG, DEBUG, TIME,
 * LASTSAVE and SHUTDOWN. Replies and error texts were checked against
 * redis-server 7.0.15; where reddish's figures come from Node (memory, CPU)
 * the tests check their form and their movement, not a value.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { once } from 'node:events';
import { Redis } from 'ioredis';
import { pino } from 'pino';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { Config, Server, startServer, type RunningServer } from '../../src/index.js';
import { bytesToHuman, genInfoString, printfFixed } from '../../src/commands/info.js';
import { rewriteConfigText } from '../../src/config-rewrite.js';
import { findRedisServer, repliesFromBoth } from '../helpers/redis-server.js';
import { RawClient, replyToPlain } from '../helpers/resp-client.js';
import { useServer } from '../helpers/server.js';

// This file's ioredis client keeps ioredis's default ready check (an INFO on connect).
// DEBUG is refused by default, as in Redis; this file's server allows it.
const t = useServer({
  clock: 1_700_000_000_000,
  flush: false,
  ioredis: { enableReadyCheck: true },
  config: { 'enable-debug-command': 'yes' },
});
const { clock, call } = t;
// Set once useServer's beforeAll has started the server.
let server: RunningServer;
let redis: Redis;
beforeAll(() => {
  ({ server, redis } = t);
});

beforeEach(async () => {
  await redis.flushall();
});

/** INFO's `name:value` lines as a map (headers and blank lines skipped). */
function parseInfo(text: string): Map<string, string> {
  const fields = new Map<string, string>();
  for (const line of text.split('\r\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const colon = line.indexOf(':');
    fields.set(line.slice(0, colon), line.slice(colon + 1));
  }
  return fields;
}

/** INFO through ioredis, with any number of sections. */
async function info(...sections: string[]): Promise<string> {
  return (await redis.call('INFO', ...sections)) as string;
}

async function infoField(section: string, name: string): Promise<string | undefined> {
  return parseInfo(await info(section)).get(name);
}

function headers(text: string): string[] {
  return text.split('\r\n').filter((line) => line.startsWith('# '));
}

/** A second client; the caller disconnects it. */
async function connect(): Promise<Redis> {
  const client = new Redis(server.url, { lazyConnect: true, maxRetriesPerRequest: 0 });
  await client.connect();
  return client;
}

describe('INFO layout', () => {
  it('prints the default sections in Redis order, CRLF lines, one blank line between sections', async () => {
    const text = await redis.info();
    expect(headers(text)).toEqual([
      '# Server', '# Clients', '# Memory', '# Persistence', '# Stats', '# Replication', '# CPU',
      '# Modules', '# Errorstats', '# Cluster', '# Keyspace',
    ]);
    expect(text.startsWith('# Server\r\nredis_version:7.0.15\r\n')).toBe(true);
    expect(text).toContain('\r\n\r\n# Clients\r\n');
    expect(text.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
  });

  it('prints sections in the server order whatever order they are asked in, names in any case', async () => {
    expect(await info('KEYSPACE', 'cluster')).toBe('# Cluster\r\ncluster_enabled:0\r\n\r\n# Keyspace\r\n');
    expect(await call('INFO', 'cluster', 'cluster')).toBe('$30\r\n# Cluster\r\ncluster_enabled:0\r\n\r\n');
    expect(await call('INFO', 'modules')).toBe('$11\r\n# Modules\r\n\r\n');
  });

  it('adds commandstats with all and everything, and default selects the defaults', async () => {
    expect(headers(await redis.info('all'))).toContain('# Commandstats');
    expect(headers(await redis.info('everything'))).toEqual(headers(await redis.info('all')));
    expect(headers(await info('default', 'commandstats'))).toEqual([
      '# Server', '# Clients', '# Memory', '# Persistence', '# Stats', '# Replication', '# CPU',
      '# Modules', '# Commandstats', '# Errorstats', '# Cluster', '# Keyspace',
    ]);
  });

  it('answers an unknown section with an empty string', async () => {
    expect(await call('INFO', 'nosuchsection')).toBe('$0\r\n\r\n');
  });

  it('is a verbatim string in RESP3', async () => {
    const client = await RawClient.connect(server.port);
    try {
      await client.call('HELLO', '3');
      const reply = (await client.call('INFO', 'cluster')).toString('latin1');
      expect(reply).toBe('=34\r\ntxt:# Cluster\r\ncluster_enabled:0\r\n\r\n');
    } finally {
      await client.close();
    }
  });
});

describe('INFO figures', () => {
  it('describes this server', async () => {
    const fields = parseInfo(await redis.info('server'));
    expect(fields.get('redis_version')).toBe('7.0.15');
    expect(fields.get('reddish_version')).toMatch(/^\d+\.\d+\.\d+/);
    expect(fields.get('tcp_port')).toBe(String(server.port));
    expect(fields.get('process_id')).toBe(String(process.pid));
    expect(fields.get('run_id')).toMatch(/^[0-9a-f]{40}$/);
    expect(fields.get('config_file')).toBe('');
    expect(fields.get('hz')).toBe('10');
  });

  it('reads time from the server clock', async () => {
    const before = parseInfo(await redis.info('server'));
    clock.advance(2 * 86400_000 + 5000);
    const after = parseInfo(await redis.info('server'));
    expect(Number(after.get('uptime_in_seconds')) - Number(before.get('uptime_in_seconds'))).toBe(2 * 86400 + 5);
    expect(Number(after.get('uptime_in_days'))).toBeGreaterThanOrEqual(2);
    expect(after.get('server_time_usec')).toBe(String(clock.now() * 1000));
    expect(after.get('lru_clock')).toBe(String(Math.floor(clock.now() / 1000) & 0xffffff));
  });

  it('counts connected clients as they come and go', async () => {
    const before = Number(await infoField('clients', 'connected_clients'));
    const extra = await connect();
    expect(Number(await infoField('clients', 'connected_clients'))).toBe(before + 1);
    extra.disconnect();
    await expect.poll(async () => Number(await infoField('clients', 'connected_clients'))).toBe(before);
    const stats = parseInfo(await redis.info('stats'));
    expect(Number(stats.get('total_connections_received'))).toBeGreaterThanOrEqual(before + 1);
  });

  it('reports memory from Node in Redis formats', async () => {
    const fields = parseInfo(await redis.info('memory'));
    const used = Number(fields.get('used_memory'));
    expect(used).toBeGreaterThan(0);
    expect(fields.get('used_memory_human')).toBe(bytesToHuman(used));
    expect(Number(fields.get('used_memory_peak'))).toBeGreaterThanOrEqual(used);
    expect(fields.get('used_memory_peak_perc')).toMatch(/^\d+\.\d\d%$/);
    expect(fields.get('maxmemory')).toBe('0');
    expect(fields.get('maxmemory_human')).toBe('0B');
    expect(fields.get('maxmemory_policy')).toBe('noeviction');
    expect(fields.get('total_system_memory')).toBe(String(os.totalmem()));
  });

  it('reports ioredis ready-check and role fields', async () => {
    expect(await infoField('persistence', 'loading')).toBe('0');
    expect(await infoField('replication', 'role')).toBe('master');
    expect(await infoField('cpu', 'used_cpu_user')).toMatch(/^\d+\.\d{6}$/);
  });

  it('follows writes in rdb_changes_since_last_save and keyspace hits and misses', async () => {
    const before = parseInfo(await info('persistence', 'stats'));
    await redis.set('k', 'v');
    await redis.get('k');
    await redis.get('k');
    await redis.get('missing');
    const after = parseInfo(await info('persistence', 'stats'));
    const delta = (name: string) => Number(after.get(name)) - Number(before.get(name));
    expect(delta('rdb_changes_since_last_save')).toBe(1);
    expect(delta('keyspace_hits')).toBe(2);
    expect(delta('keyspace_misses')).toBe(1);
  });

  it('prints one keyspace line per non-empty database with the average TTL', async () => {
    await redis.mset('a', '1', 'b', '2', 'c', '3');
    await redis.pexpire('a', 10_000);
    await redis.pexpire('b', 20_000);
    const other = await connect();
    try {
      await other.select(3);
      await other.set('x', 'y');
      expect(await redis.info('keyspace')).toBe(
        '# Keyspace\r\ndb0:keys=3,expires=2,avg_ttl=15000\r\ndb3:keys=1,expires=0,avg_ttl=0\r\n',
      );
      clock.advance(4000);
      expect(await infoField('keyspace', 'db0')).toBe('keys=3,expires=2,avg_ttl=11000');
    } finally {
      other.disconnect();
    }
  });

  it('counts calls, rejected and failed calls per command and subcommand', async () => {
    await redis.config('RESETSTAT');
    await redis.set('s', 'x');
    await redis.get('s');
    await redis.get('s');
    await redis.config('GET', 'hz');
    await expect(redis.incr('s')).rejects.toThrow('not an integer');
    await expect(redis.call('GET')).rejects.toThrow('wrong number of arguments');
    await expect(redis.call('CONFIG', 'NOPE')).rejects.toThrow('unknown subcommand');
    await expect(redis.call('CONFIG', 'SET', 'hz', 'many')).rejects.toThrow('CONFIG SET failed');
    const stats = await redis.info('commandstats');
    const line = (name: string) => stats.split('\r\n').find((l) => l.startsWith(`cmdstat_${name}:`));
    expect(line('get')).toMatch(/^cmdstat_get:calls=2,usec=\d+,usec_per_call=\d+\.\d\d,rejected_calls=1,failed_calls=0$/);
    expect(line('set')).toMatch(/^cmdstat_set:calls=1,.*,rejected_calls=0,failed_calls=0$/);
    expect(line('incr')).toMatch(/^cmdstat_incr:calls=1,.*,rejected_calls=0,failed_calls=1$/);
    expect(line('config|get')).toMatch(/^cmdstat_config\|get:calls=1,/);
    expect(line('config|set')).toMatch(/^cmdstat_config\|set:calls=1,.*,rejected_calls=0,failed_calls=1$/);
    expect(line('config')).toMatch(/^cmdstat_config:calls=0,usec=0,usec_per_call=0\.00,rejected_calls=1,failed_calls=0$/);
    expect(line('config|resetstat')).toMatch(/^cmdstat_config\|resetstat:calls=1,/);
    expect(line('del')).toBeUndefined();
  });

  it('counts error replies by their code', async () => {
    await redis.config('RESETSTAT');
    await redis.set('s', 'x');
    await expect(redis.call('INCR', 's')).rejects.toThrow('not an integer');
    await expect(redis.call('NOSUCHCOMMAND')).rejects.toThrow('unknown command');
    await expect(redis.call('AUTH', 'pw')).rejects.toThrow('AUTH');
    expect(await redis.info('errorstats')).toBe('# Errorstats\r\nerrorstat_ERR:count=3\r\n');
    expect(await infoField('stats', 'total_error_replies')).toBe('3');
  });

  it('samples instantaneous_ops_per_sec every 100 ms', async () => {
    await redis.info('stats');
    const pipeline = redis.pipeline();
    for (let i = 0; i < 2000; i++) pipeline.ping();
    await pipeline.exec();
    // The figure is the mean of the last 16 rates sampled 100 ms apart.
    await new Promise((resolve) => setTimeout(resolve, 250));
    const fields = parseInfo(await redis.info('stats'));
    expect(Number(fields.get('instantaneous_ops_per_sec'))).toBeGreaterThan(0);
    expect(Number(fields.get('instantaneous_input_kbps'))).toBeGreaterThan(0);
  });
});

describe('INFO formatting helpers', () => {
  it('bytesToHuman matches Redis', () => {
    expect(bytesToHuman(0)).toBe('0B');
    expect(bytesToHuman(1023)).toBe('1023B');
    expect(bytesToHuman(916464)).toBe('894.98K');
    expect(bytesToHuman(12087296)).toBe('11.53M');
    expect(bytesToHuman(25276502016)).toBe('23.54G');
  });

  it('printfFixed rounds exact ties to even like glibc printf', () => {
    expect(printfFixed(0.125, 2)).toBe('0.12');
    expect(printfFixed(0.375, 2)).toBe('0.38');
    expect(printfFixed(930.0909090909, 2)).toBe('930.09');
    expect(printfFixed(0, 2)).toBe('0.00');
    expect(printfFixed(1e21, 2)).toBe('1000000000000000000000.00');
  });

  it('an embedded server that never listened still reports its configured port', () => {
    const idle = new Server({ config: new Config({ port: 6390 }), logger: pino({ level: 'silent' }) });
    expect(parseInfo(genInfoString(idle, ['server'])).get('tcp_port')).toBe('6390');
  });
});

describe('CONFIG GET', () => {
  it('matches globs, aliases and several patterns, each name once', async () => {
    const pairs = (await redis.config('GET', 'maxmemory*')) as string[];
    const names = pairs.filter((_, i) => i % 2 === 0).sort();
    expect(names).toEqual(['maxmemory', 'maxmemory-clients', 'maxmemory-eviction-tenacity', 'maxmemory-policy', 'maxmemory-samples']);
    expect(await redis.config('GET', 'hash-max-ziplist-entries')).toEqual(['hash-max-ziplist-entries', '512']);
    // An exact name comes back as it was asked for; a pattern brings the registered names.
    expect(await redis.config('GET', 'HZ')).toEqual(['HZ', '10']);
    expect(await redis.config('GET', 'H?')).toEqual(['hz', '10']);
    const several = (await redis.config('GET', 'hz', 'HZ', 'h?')) as string[];
    expect(several).toEqual(['hz', '10']);
    expect(await redis.config('GET', 'no-such-param')).toEqual([]);
  });

  it('is a map in RESP3 and needs a pattern', async () => {
    const client = await RawClient.connect(server.port);
    try {
      await client.call('HELLO', '3');
      expect((await client.call('CONFIG', 'GET', 'hz')).toString()).toBe('%1\r\n$2\r\nhz\r\n$2\r\n10\r\n');
    } finally {
      await client.close();
    }
    expect(await call('CONFIG', 'GET')).toBe("-ERR wrong number of arguments for 'config|get' command\r\n");
  });
});

describe('CONFIG SET', () => {
  afterAll(async () => {
    await redis.config('SET', 'hll-sparse-max-bytes', '3000', 'hz', '10', 'maxmemory-policy', 'noeviction');
  });

  it('sets several parameters at once', async () => {
    expect(await call('CONFIG', 'SET', 'hll-sparse-max-bytes', '2kb', 'maxmemory-policy', 'ALLKEYS-LRU')).toBe('+OK\r\n');
    expect(await redis.config('GET', 'hll-sparse-max-bytes')).toEqual(['hll-sparse-max-bytes', '2048']);
    expect(await redis.config('GET', 'maxmemory-policy')).toEqual(['maxmemory-policy', 'allkeys-lru']);
  });

  it('caps hz to 1..500 as Redis does, and the expiry cycle follows', async () => {
    expect(await call('CONFIG', 'SET', 'hz', '0')).toBe('+OK\r\n');
    expect(await redis.config('GET', 'hz')).toEqual(['hz', '1']);
    expect(await call('CONFIG', 'SET', 'hz', '100000')).toBe('+OK\r\n');
    expect(await redis.config('GET', 'hz')).toEqual(['hz', '500']);
    expect(await infoField('server', 'hz')).toBe('500');
    await redis.config('SET', 'hz', '10');
  });

  it('changes nothing when any pair is bad', async () => {
    await redis.config('SET', 'hz', '10', 'maxmemory', '0');
    expect(await call('CONFIG', 'SET', 'hz', '50', 'maxmemory', 'lots')).toBe(
      "-ERR CONFIG SET failed (possibly related to argument 'maxmemory') - argument must be a memory value\r\n",
    );
    expect(await redis.config('GET', 'hz')).toEqual(['hz', '10']);
  });

  it('answers each failure with Redis error text', async () => {
    expect(await call('CONFIG', 'SET', 'nosuch', '1')).toBe("-ERR Unknown option or number of arguments for CONFIG SET - 'nosuch'\r\n");
    expect(await call('CONFIG', 'SET', 'databases', '1')).toBe(
      "-ERR CONFIG SET failed (possibly related to argument 'databases') - can't set immutable config\r\n",
    );
    expect(await call('CONFIG', 'SET', 'hz', 'x')).toBe(
      "-ERR CONFIG SET failed (possibly related to argument 'hz') - argument couldn't be parsed into an integer\r\n",
    );
    expect(await call('CONFIG', 'SET', 'activerehashing', 'maybe')).toBe(
      "-ERR CONFIG SET failed (possibly related to argument 'activerehashing') - argument must be 'yes' or 'no'\r\n",
    );
    expect(await call('CONFIG', 'SET', 'hz', '1', 'hz', '2')).toBe(
      "-ERR CONFIG SET failed (possibly related to argument 'hz') - duplicate parameter\r\n",
    );
    // Names are all looked up before any value is parsed.
    expect(await call('CONFIG', 'SET', 'hz', 'x', 'databases', '1')).toBe(
      "-ERR CONFIG SET failed (possibly related to argument 'databases') - can't set immutable config\r\n",
    );
    expect(await call('CONFIG', 'SET', 'HZ', 'x')).toBe(
      "-ERR CONFIG SET failed (possibly related to argument 'hz') - argument couldn't be parsed into an integer\r\n",
    );
    expect(await call('CONFIG', 'SET', 'maxmemory', '1', 'hz')).toBe('-ERR syntax error\r\n');
    expect(await call('CONFIG', 'SET', 'hz')).toBe("-ERR wrong number of arguments for 'config|set' command\r\n");
  });
});

describe('CONFIG RESETSTAT, HELP and errors', () => {
  it('RESETSTAT zeroes the stats, commandstats, errorstats and keyspace counters', async () => {
    await redis.set('k', 'v');
    await redis.get('k');
    await redis.get('missing');
    await expect(redis.call('NOSUCH')).rejects.toThrow();
    expect(await call('CONFIG', 'RESETSTAT')).toBe('+OK\r\n');
    const fields = parseInfo(await info('stats', 'errorstats'));
    expect(fields.get('keyspace_hits')).toBe('0');
    expect(fields.get('keyspace_misses')).toBe('0');
    expect(fields.get('total_error_replies')).toBe('0');
    expect(fields.get('expired_keys')).toBe('0');
    // RESETSTAT itself and this INFO are counted once they return, as in Redis.
    expect(fields.get('total_commands_processed')).toBe('1');
    const commandstats = (await redis.info('commandstats')).split('\r\n').filter((l) => l.startsWith('cmdstat_'));
    expect(commandstats.map((l) => l.slice(0, l.indexOf(':'))).sort()).toEqual(['cmdstat_config|resetstat', 'cmdstat_info']);
  });

  it('HELP lists the subcommands as status replies', async () => {
    const help = (await redis.call('CONFIG', 'HELP')) as string[];
    expect(help[0]).toBe('CONFIG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:');
    expect(help).toContain('RESETSTAT');
    expect(help.slice(-2)).toEqual(['HELP', '    Prints this help.']);
  });

  it('rejects unknown subcommands and a bare CONFIG as Redis does', async () => {
    expect(await call('CONFIG', 'bogus')).toBe("-ERR unknown subcommand 'bogus'. Try CONFIG HELP.\r\n");
    expect(await call('CONFIG')).toBe("-ERR wrong number of arguments for 'config' command\r\n");
  });

  it('REWRITE needs the config file the server started with', async () => {
    expect(await call('CONFIG', 'REWRITE')).toBe('-ERR The server is running without a config file\r\n');
  });
});

describe('CONFIG REWRITE', () => {
  let dir: string;
  let file: string;
  let withFile: Server;
  let client: RawClient;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'reddish-rewrite-'));
    file = path.join(dir, 'reddish.conf');
    fs.writeFileSync(
      file,
      '# my settings\nport 0\nhash-max-ziplist-entries 64\nclient-query-buffer-limit 100mb\nclient-query-buffer-limit 200mb\nsave ""\n',
    );
    const config = new Config({ port: 0, 'hash-max-listpack-entries': 64, 'client-query-buffer-limit': '200mb', save: '' });
    withFile = new Server({ config, logger: pino({ level: 'silent' }), configFile: file });
    await withFile.listen(0, '127.0.0.1');
    client = await RawClient.connect(withFile.address.port);
  });

  afterAll(async () => {
    await client.close();
    await withFile.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('keeps comments and order, reuses lines, blanks duplicates and appends the rest', async () => {
    await client.call('CONFIG', 'SET', 'hz', '20', 'requirepass', 'a b', 'proto-max-bulk-len', '1gb');
    await client.call('AUTH', 'a b');
    expect((await client.call('CONFIG', 'REWRITE')).toString()).toBe('+OK\r\n');
    expect(fs.readFileSync(file, 'latin1')).toBe(
      [
        '# my settings',
        'port 0',
        'hash-max-listpack-entries 64',
        'client-query-buffer-limit 200mb',
        '',
        // Always written when empty, so Redis's default save points can't come back.
        'save ""',
        '',
        '# Generated by CONFIG REWRITE',
        'requirepass "a b"',
        'hz 20',
        'proto-max-bulk-len 1gb',
        `dir ${JSON.stringify(fs.realpathSync('.'))}`,
        // rewriteConfigUserOption: every ACL user, the default one included, last.
        `user default on #${createHash('sha256').update('a b').digest('hex')} ~* &* +@all`,
        '',
      ].join('\n'),
    );
    expect(fs.readdirSync(dir)).toEqual(['reddish.conf']);
    const info = parseInfo(genInfoString(withFile, ['server']));
    expect(info.get('config_file')).toBe(file);
  });

  it('settles after one more rewrite, as Redis keeps the empty line a final newline leaves', () => {
    const first = fs.readFileSync(file, 'latin1');
    const second = rewriteConfigText(first, withFile.config);
    expect(second).toBe(first + '\n');
    expect(rewriteConfigText(second, withFile.config)).toBe(second);
  });

  it('comments out lines it does not understand and splits output buffer limits per class', () => {
    const config = new Config({ 'client-output-buffer-limit': 'pubsub 1mb 0 0' });
    const text = rewriteConfigText('bogus-directive 1\n', config);
    expect(text.split('\n')).toEqual([
      '# ??? bogus-directive 1',
      '',
      '# Generated by CONFIG REWRITE',
      'save ""',
      'dir ' + JSON.stringify(fs.realpathSync('.')),
      'client-output-buffer-limit pubsub 1mb 0 0',
      '',
    ]);
  });

  it('writes notify-keyspace-events as CONFIG GET prints it, as Redis does', () => {
    const text = rewriteConfigText('', new Config({ 'notify-keyspace-events': 'KEAn' }));
    expect(text.split('\n')).toContain('notify-keyspace-events "AKE"');
    // A line already in the file is rewritten even for the default, as rewriteConfigRewriteLine does.
    expect(rewriteConfigText('notify-keyspace-events KEA\n', new Config()).split('\n')[0]).toBe('notify-keyspace-events ""');
    expect(rewriteConfigText('', new Config())).not.toContain('notify-keyspace-events');
  });

  it('reports a file it cannot write with strerror text', async () => {
    fs.rmSync(dir, { recursive: true, force: true });
    expect((await client.call('CONFIG', 'REWRITE')).toString()).toBe('-ERR Rewriting config file: No such file or directory\r\n');
    fs.mkdirSync(dir);
  });
});

describe('DEBUG', () => {
  it('SLEEP blocks the whole server, so another client waits', async () => {
    const sleeper = await RawClient.connect(server.port);
    const other = await RawClient.connect(server.port);
    try {
      // Both requests reach the kernel in this tick, the sleeper's first,
      // so the server reads it first and the PING waits behind the sleep.
      const started = Date.now();
      sleeper.sendRaw('DEBUG SLEEP 0.3\r\n');
      other.sendRaw('PING\r\n');
      const pong = other.readReply().then((reply) => [reply.toString(), Date.now() - started] as const);
      expect((await sleeper.readReply()).toString()).toBe('+OK\r\n');
      const [reply, elapsed] = await pong;
      expect(reply).toBe('+PONG\r\n');
      expect(elapsed).toBeGreaterThanOrEqual(290);
      expect(await call('DEBUG', 'SLEEP', '0')).toBe('+OK\r\n');
      expect(await call('DEBUG', 'SLEEP', 'abc')).toBe('+OK\r\n');
    } finally {
      await sleeper.close();
      await other.close();
    }
  });

  it('SET-ACTIVE-EXPIRE 0 leaves expired keys nobody touches in DBSIZE', async () => {
    expect(await call('DEBUG', 'SET-ACTIVE-EXPIRE', '0')).toBe('+OK\r\n');
    await redis.set('gone1', 'x', 'PX', 100);
    await redis.set('gone2', 'x', 'PX', 100);
    await redis.set('kept', 'x');
    clock.advance(1000);
    // Several background cycles (hz 10) pass, and an explicit one: none deletes.
    await new Promise((resolve) => setTimeout(resolve, 250));
    expect(server.server.activeExpiry.cycle()).toBe(0);
    expect(await redis.dbsize()).toBe(3);
    expect(await call('DEBUG', 'SET-ACTIVE-EXPIRE', '1')).toBe('+OK\r\n');
    await expect.poll(() => redis.dbsize()).toBe(1);
  });

  it('answers unknown subcommands and wrong counts with one error, and HELP', async () => {
    expect(await call('DEBUG', 'nosuch')).toBe("-ERR unknown subcommand or wrong number of arguments for 'nosuch'. Try DEBUG HELP.\r\n");
    expect(await call('debug', 'sleep', '1', '2')).toBe("-ERR unknown subcommand or wrong number of arguments for 'sleep'. Try DEBUG HELP.\r\n");
    expect(await call('DEBUG')).toBe("-ERR wrong number of arguments for 'debug' command\r\n");
    const help = (await redis.call('DEBUG', 'HELP')) as string[];
    expect(help[0]).toBe('DEBUG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:');
    expect(help).toContain('SLEEP <seconds>');
  });

  it('is refused by default, as enable-debug-command is no in Redis too', async () => {
    const locked = await startServer({ port: 0 });
    const client = await RawClient.connect(locked.port);
    try {
      expect((await client.call('CONFIG', 'GET', 'enable-debug-command')).toString()).toBe('*2\r\n$20\r\nenable-debug-command\r\n$2\r\nno\r\n');
      expect((await client.call('DEBUG', 'SLEEP', '0')).toString()).toBe(
        '-ERR DEBUG command not allowed. If the enable-debug-command option is set to "local", you can run it from a local connection, otherwise you need to set this option in the configuration file, and then restart the server.\r\n',
      );
    } finally {
      await client.close();
      await locked.close();
    }
  });

  const external = Object.values(os.networkInterfaces())
    .flat()
    .find((a) => a !== undefined && a.family === 'IPv4' && !a.internal)?.address;

  it.skipIf(external === undefined)('with enable-debug-command local, is refused to a client that is not on loopback', async () => {
    // Without a password, a server other hosts can reach needs protected-mode off (reddish can't enforce it).
    const open = await startServer({ port: 0, host: '0.0.0.0', config: { 'enable-debug-command': 'local', 'protected-mode': false } });
    const remote = await RawClient.connect(open.port, { host: external });
    const local = await RawClient.connect(open.port);
    try {
      expect((await remote.call('DEBUG', 'SLEEP', '0')).toString()).toMatch(/^-ERR DEBUG command not allowed/);
      expect((await local.call('DEBUG', 'SLEEP', '0')).toString()).toBe('+OK\r\n');
    } finally {
      await remote.close();
      await local.close();
      await open.close();
    }
  });
});

describe('TIME and LASTSAVE', () => {
  it('TIME follows the server clock, as two bulk strings', async () => {
    clock.set(1_800_000_000_456);
    expect(await call('TIME')).toBe('*2\r\n$10\r\n1800000000\r\n$6\r\n456000\r\n');
    clock.advance(544);
    expect(await redis.time()).toEqual(['1800000001', '0']);
  });

  it('LASTSAVE is the start time until something is saved (snapshots.test.ts saves)', async () => {
    expect(await redis.lastsave()).toBe(Math.floor(server.server.startedAt / 1000));
  });
});

describe('SHUTDOWN', () => {
  it('rejects bad option combinations and ABORT without a shutdown in progress', async () => {
    expect(await call('SHUTDOWN', 'sometimes')).toBe('-ERR syntax error\r\n');
    expect(await call('SHUTDOWN', 'SAVE', 'NOSAVE')).toBe('-ERR syntax error\r\n');
    expect(await call('SHUTDOWN', 'ABORT', 'NOW')).toBe('-ERR syntax error\r\n');
    expect(await call('SHUTDOWN', 'ABORT')).toBe('-ERR No shutdown in progress.\r\n');
  });

  it('SAVE fails as a failed final save does when the dump cannot be written', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'reddish-shutdown-'));
    const doomed = await startServer({ port: 0, config: { dir } });
    fs.rmSync(dir, { recursive: true });
    const caller = await RawClient.connect(doomed.port);
    expect(replyToPlain(await caller.call('SHUTDOWN', 'SAVE'))).toEqual(new Error('ERR Errors trying to SHUTDOWN. Check logs.'));
    expect(replyToPlain(await caller.call('PING'))).toBe('PONG');
    caller.close();
    await doomed.close();
  });

  it('writes pending replies, closes every client and emits shutdown without replying', async () => {
    const doomed = await startServer({ port: 0 });
    const caller = await RawClient.connect(doomed.port);
    const bystander = await RawClient.connect(doomed.port);
    const shutdown = once(doomed.server, 'shutdown');
    caller.sendRaw('PING\r\nSHUTDOWN NOSAVE\r\nPING\r\n');
    expect((await caller.readRaw(2000)).toString()).toBe('+PONG\r\n');
    await shutdown;
    expect(caller.closed).toBe(true);
    expect(await bystander.waitClosed(2000)).toBe(true);
    await expect.poll(() => doomed.server.clients.size).toBe(0);
    await doomed.close();
  });

  it('SAVE FORCE stops anyway', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'reddish-shutdown-'));
    const doomed = await startServer({ port: 0, config: { dir } });
    fs.rmSync(dir, { recursive: true });
    const caller = await RawClient.connect(doomed.port);
    const shutdown = once(doomed.server, 'shutdown');
    caller.sendRaw('SHUTDOWN SAVE FORCE\r\n');
    expect((await caller.readRaw(2000)).toString()).toBe('');
    await shutdown;
    await doomed.close();
  });
});

/**
 * Replies that depend on no server state: errors, fixed sections, HELP.
 * Each is sent to both servers and must match byte for byte. (DEBUG HELP
 * differs on purpose: reddish lists only the subcommands it has.)
 */
const DETERMINISTIC: string[][] = [
  ['INFO', 'nosuchsection'],
  ['INFO', 'cluster'],
  ['INFO', 'CLUSTER', 'cluster'],
  ['INFO', 'modules'],
  ['CONFIG'],
  ['CONFIG', 'nosuch'],
  ['CONFIG', 'HELP'],
  ['CONFIG', 'HELP', 'extra'],
  ['CONFIG', 'GET'],
  ['CONFIG', 'GET', 'no-such-parameter'],
  ['CONFIG', 'SET', 'hz'],
  ['CONFIG', 'SET', 'hz', '10', 'maxmemory'],
  ['CONFIG', 'SET', 'nosuch', '1'],
  ['CONFIG', 'SET', 'databases', '1'],
  ['CONFIG', 'SET', 'hz', 'x'],
  ['CONFIG', 'SET', 'maxmemory', 'lots'],
  ['CONFIG', 'SET', 'activerehashing', 'maybe'],
  ['CONFIG', 'SET', 'maxmemory-policy', 'sometimes'],
  ['CONFIG', 'SET', 'hz', '1', 'HZ', '2'],
  ['CONFIG', 'SET', 'hz', 'x', 'databases', '1'],
  ['CONFIG', 'SET', 'databases', '1', 'nosuch', '1'],
  ['CONFIG', 'SET', 'HZ', 'x'],
  ['CONFIG', 'SET', 'DATABASES', '1'],
  ['CONFIG', 'SET', 'hash-max-ziplist-entries', 'x'],
  ['CONFIG', 'SET', 'hz', '007'],
  ['CONFIG', 'SET', 'hz', '99999999999'],
  ['CONFIG', 'SET', 'hz', '99999999999999999999'],
  ['CONFIG', 'SET', 'maxclients', '0'],
  ['CONFIG', 'SET', 'timeout', '-1'],
  ['CONFIG', 'SET', 'maxmemory', '-1'],
  ['CONFIG', 'SET', 'maxmemory-clients', '101%'],
  ['CONFIG', 'SET', 'maxmemory-clients', '-5'],
  ['CONFIG', 'SET', 'hash-max-listpack-entries', '1kb'],
  ['CONFIG', 'SET', 'proto-max-bulk-len', '1000'],
  ['CONFIG', 'SET', 'slowlog-log-slower-than', '-2'],
  ['CONFIG', 'SET', 'appendonly', 'maybe'],
  ['CONFIG', 'SET', 'appendfsync', 'sometimes'],
  ['CONFIG', 'SET', 'loglevel', 'LOUD'],
  ['CONFIG', 'SET', 'enable-debug-command', 'no'],
  ['CONFIG', 'SET', 'enable-protected-configs', 'yes'],
  ['CONFIG', 'SET', 'appendfilename', 'x'],
  ['CONFIG', 'SET', 'dir', '/tmp'],
  ['CONFIG', 'SET', 'dbfilename', 'x.rdb'],
  ['CONFIG', 'SET', 'save', 'abc'],
  ['CONFIG', 'SET', 'save', '3600 1 300'],
  ['CONFIG', 'SET', 'save', '0 1'],
  ['CONFIG', 'SET', 'notify-keyspace-events', 'KEQ'],
  ['CONFIG', 'SET', 'notify-keyspace-events', 'KEAn'],
  ['CONFIG', 'GET', 'notify-keyspace-events'],
  ['CONFIG', 'SET', 'notify-keyspace-events', 'xgEm'],
  ['CONFIG', 'GET', 'notify-keyspace-events'],
  ['CONFIG', 'SET', 'notify-keyspace-events', ''],
  ['CONFIG', 'SET', 'client-output-buffer-limit', 'normal 1 2'],
  ['CONFIG', 'SET', 'client-output-buffer-limit', 'bogus 1 2 3'],
  ['CONFIG', 'SET', 'client-output-buffer-limit', 'master 1 2 3'],
  ['CONFIG', 'SET', 'client-output-buffer-limit', 'pubsub 1x 2 3'],
  ['CONFIG', 'SET', 'client-output-buffer-limit', 'pubsub 1 2 -3'],
  ['CONFIG', 'GET', 'HZ'],
  ['CONFIG', 'REWRITE'],
  ['CONFIG', 'RESETSTAT', 'extra'],
  ['DEBUG'],
  ['DEBUG', 'nosuch'],
  ['debug', 'sleep', '1', '2'],
  ['DEBUG', 'SLEEP', '0'],
  ['DEBUG', 'SET-ACTIVE-EXPIRE', '1'],
  ['TIME', 'extra'],
  ['LASTSAVE', 'extra'],
  ['SHUTDOWN', 'sometimes'],
  ['SHUTDOWN', 'SAVE', 'NOSAVE'],
  ['SHUTDOWN', 'ABORT', 'NOW'],
  ['SHUTDOWN', 'ABORT'],
];

describe.skipIf(findRedisServer() === null)('against redis-server', () => {
  it('deterministic replies match byte for byte', async () => {
    const pairs = await repliesFromBoth(DETERMINISTIC, server.port, { extraArgs: ['--enable-debug-command', 'yes'] });
    for (const { command, ours, theirs } of pairs) {
      expect({ command, reply: ours }).toEqual({ command, reply: theirs });
    }
  });
});
