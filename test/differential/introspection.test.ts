/**
 * SLOWLOG, LATENCY and INFO's introspection sections against
 * redis-server 7.0.15: the same sessions on both servers, replies compared
 * byte for byte once the figures that depend on the run (timestamps,
 * durations, client ports, histogram buckets) are replaced by placeholders.
 */
import { describe, expect, it } from 'vitest';
import { RawClient, replyToJs, type CommandArg, type JsReply } from '../helpers/resp-client.js';
import { redisAvailable, useDifferentialTargets } from './targets.js';

/** Plays `steps` on one fresh connection (and `other` for a second client), returning each raw reply. */
async function session(port: number, steps: (call: (...args: CommandArg[]) => Promise<string>, other: RawClient) => Promise<void>): Promise<string[]> {
  const client = await RawClient.connect(port);
  const other = await RawClient.connect(port);
  const out: string[] = [];
  try {
    await steps(async (...args) => {
      const reply = (await client.call(...args)).toString('latin1');
      out.push(reply);
      return reply;
    }, other);
  } finally {
    await client.close();
    await other.close();
  }
  return out;
}

/**
 * A SLOWLOG GET reply with the run's figures replaced: time, µs and ports
 * hidden, and ids counted from the reply's oldest entry (a slow first call
 * on a loaded machine may have taken an id before the test began).
 */
function normalizeSlowlog(raw: string): string {
  const ids = [...raw.matchAll(/\*6\r\n:(\d+)\r\n/g)].map((m) => Number(m[1]));
  const oldest = Math.min(...ids);
  return raw
    .replace(/\*6\r\n:(\d+)\r\n:\d+\r\n:\d+\r\n/g, (_, id: string) => `*6\r\n:+${Number(id) - oldest}\r\n:<time>\r\n:<usec>\r\n`)
    .replace(/\$\d+\r\n127\.0\.0\.1:\d+\r\n/g, '$<len>\r\n127.0.0.1:<port>\r\n');
}

describe.skipIf(!redisAvailable('introspection differential'))('SLOWLOG, LATENCY and INFO sections against redis-server', () => {
  const targets = useDifferentialTargets({ enableDebug: true });
  const both = async (steps: Parameters<typeof session>[1]): Promise<[string[], string[]]> => [
    await session(targets.reference.port, steps),
    await session(targets.candidate.port, steps),
  ];

  it('logs the same entries: trimmed arguments, redacted secrets, EXEC and script commands, client names', async () => {
    const [redis, reddish] = await both(async (call) => {
      // Off first: at the default 10 ms a loaded machine may log the setup calls on one server only.
      await call('CONFIG', 'SET', 'slowlog-log-slower-than', '-1');
      await call('CONFIG', 'SET', 'slowlog-max-len', '128');
      await call('SLOWLOG', 'RESET');
      await call('CONFIG', 'SET', 'slowlog-log-slower-than', '0');
      await call('SET', 'big', 'x'.repeat(200));
      await call('RPUSH', 'many', ...Array.from({ length: 40 }, (_, i) => `e${i}`));
      await call('CLIENT', 'SETNAME', 'watcher');
      await call('AUTH', 'secret');
      await call('AUTH', 'user', 'secret');
      await call('CONFIG', 'SET', 'requirepass', '');
      await call('MULTI');
      await call('INCR', 'counter');
      await call('EXEC');
      await call('EVAL', "redis.call('set', KEYS[1], 'v') return 1", '1', 'k');
      await call('GET', 'missing');
      await call('CONFIG', 'SET', 'slowlog-log-slower-than', '-1');
      await call('SET', 'not', 'logged');
      await call('SLOWLOG', 'LEN');
    });
    expect(reddish).toEqual(redis);
    const [redisLog, reddishLog] = await both(async (call) => {
      await call('SLOWLOG', 'GET', '-1');
      await call('SLOWLOG', 'GET', '2');
      await call('SLOWLOG', 'GET', '0');
    });
    expect(reddishLog.map(normalizeSlowlog)).toEqual(redisLog.map(normalizeSlowlog));
  });

  it('keeps slowlog-max-len entries and answers SLOWLOG errors and HELP alike', async () => {
    const [redis, reddish] = await both(async (call) => {
      await call('SLOWLOG', 'RESET');
      await call('CONFIG', 'SET', 'slowlog-max-len', '2');
      await call('CONFIG', 'SET', 'slowlog-log-slower-than', '0');
      for (let i = 0; i < 5; i++) await call('PING');
      await call('CONFIG', 'SET', 'slowlog-log-slower-than', '-1');
      await call('SLOWLOG', 'LEN');
      await call('CONFIG', 'SET', 'slowlog-max-len', '128');
      await call('SLOWLOG', 'GET', '-2');
      await call('SLOWLOG', 'GET', 'abc');
      await call('SLOWLOG', 'GET', '1', '2');
      await call('SLOWLOG', 'LEN', 'x');
      await call('SLOWLOG', 'NOPE');
      await call('SLOWLOG');
      await call('SLOWLOG', 'HELP');
      await call('SLOWLOG', 'RESET');
      await call('SLOWLOG', 'LEN');
      await call('CONFIG', 'GET', 'slowlog-log-slower-than');
      await call('CONFIG', 'GET', 'slowlog-max-len');
      await call('CONFIG', 'SET', 'slowlog-log-slower-than', '-2');
      await call('CONFIG', 'SET', 'slowlog-log-slower-than', '10000');
    });
    expect(reddish).toEqual(redis);
  });

  it('logs a served BLPOP under the blocked client, and not the blocking call itself', async () => {
    const [redis, reddish] = await both(async (call, other) => {
      // Off while the session is set up: how often INFO must poll depends on the machine.
      await call('CONFIG', 'SET', 'slowlog-log-slower-than', '-1');
      await call('SLOWLOG', 'RESET');
      await call('DEL', 'queue');
      await other.call('CLIENT', 'SETNAME', 'waiter');
      const served = other.call('BLPOP', 'queue', '0');
      // The BLPOP must be waiting before the push.
      for (let i = 0; i < 100; i++) {
        const info = await call('INFO', 'clients');
        if (/blocked_clients:1/.test(info)) break;
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      // The served BLPOP is logged against the threshold in force when it is served.
      await call('CONFIG', 'SET', 'slowlog-log-slower-than', '0');
      await call('RPUSH', 'queue', 'job');
      await served;
      await call('CONFIG', 'SET', 'slowlog-log-slower-than', '-1');
      await call('SLOWLOG', 'GET', '-1');
    });
    // INFO's text differs between the servers; the log is what is compared.
    expect(normalizeSlowlog(reddish.at(-1)!)).toEqual(normalizeSlowlog(redis.at(-1)!));
  });

  it('counts and logs a BLPOP ended by CLIENT UNBLOCK as Redis 7.0.15 does (failed, no arguments)', async () => {
    const lines = (raw: string) =>
      raw
        .split('\r\n')
        .filter((line) => /^(errorstat_|cmdstat_blpop|total_error_replies)/.test(line))
        .map((line) => line.replace(/usec=\d+,usec_per_call=[\d.]+/, 'usec=<usec>'));
    for (const reason of ['TIMEOUT', 'ERROR']) {
      const [redis, reddish] = await both(async (call, other) => {
        await call('CONFIG', 'SET', 'slowlog-log-slower-than', '-1');
        await call('CONFIG', 'RESETSTAT');
        await call('SLOWLOG', 'RESET');
        const id = (await other.call('CLIENT', 'ID')).toString('latin1').slice(1, -2);
        const answered = other.call('BLPOP', 'nothing', '0');
        for (let i = 0; i < 100; i++) {
          if (/blocked_clients:1/.test((await call('INFO', 'clients')))) break;
          await new Promise((resolve) => setTimeout(resolve, 10));
        }
        await call('CONFIG', 'SET', 'slowlog-log-slower-than', '0');
        await call('CLIENT', 'UNBLOCK', id, reason);
        await answered;
        await call('CONFIG', 'SET', 'slowlog-log-slower-than', '-1');
        await call('SLOWLOG', 'GET', '3');
        await call('INFO', 'errorstats', 'commandstats', 'stats');
      });
      const withoutId = (raw: string) => normalizeSlowlog(raw).replace(/UNBLOCK\r\n\$\d+\r\n\d+\r\n/, 'UNBLOCK\r\n<id>\r\n');
      expect(withoutId(reddish.at(-2)!)).toEqual(withoutId(redis.at(-2)!));
      expect(lines(reddish.at(-1)!)).toEqual(lines(redis.at(-1)!));
    }
  });

  it('answers LATENCY subcommands, errors and HELP alike', async () => {
    const [redis, reddish] = await both(async (call) => {
      await call('LATENCY', 'RESET');
      await call('CONFIG', 'SET', 'latency-monitor-threshold', '0');
      await call('LATENCY', 'HELP');
      await call('LATENCY', 'LATEST');
      await call('LATENCY', 'HISTORY', 'command');
      await call('LATENCY', 'GRAPH', 'command');
      await call('LATENCY', 'DOCTOR');
      await call('LATENCY', 'RESET', 'command', 'other');
      await call('LATENCY', 'HISTORY');
      await call('LATENCY', 'LATEST', 'x');
      await call('LATENCY', 'NOPE');
      await call('LATENCY');
      await call('LATENCY', 'HISTOGRAM', 'no-such-command');
      // One name per call: several come back in the config dict's hash order.
      for (const name of ['latency-monitor-threshold', 'latency-tracking', 'latency-tracking-info-percentiles']) await call('CONFIG', 'GET', name);
      await call('CONFIG', 'SET', 'latency-tracking-info-percentiles', '50 abc');
      await call('CONFIG', 'SET', 'latency-tracking-info-percentiles', '101');
      await call('CONFIG', 'SET', 'latency-tracking-info-percentiles', '25.5 75 99.990');
      await call('CONFIG', 'GET', 'latency-tracking-info-percentiles');
      await call('CONFIG', 'SET', 'latency-tracking-info-percentiles', '50 99 99.9');
    });
    expect(reddish).toEqual(redis);
  });

  it('records a DEBUG SLEEP above latency-monitor-threshold as a command event, with the same reports', async () => {
    const digits = (s: string) => s.replace(/\d+/g, 'N');
    const [redis, reddish] = await both(async (call) => {
      await call('LATENCY', 'RESET');
      // Far above what a fast call takes even on a loaded machine, so the sleep is the only event.
      await call('CONFIG', 'SET', 'latency-monitor-threshold', '100');
      await call('DEBUG', 'SLEEP', '0.15');
      await call('CONFIG', 'SET', 'latency-monitor-threshold', '0');
      await call('LATENCY', 'LATEST');
      await call('LATENCY', 'HISTORY', 'command');
      await call('LATENCY', 'GRAPH', 'command');
      await call('LATENCY', 'DOCTOR');
      await call('LATENCY', 'RESET');
    });
    expect(reddish.map(digits)).toEqual(redis.map(digits));
  });

  it('replies LATENCY HISTOGRAM in the same shape, in RESP2 and RESP3', async () => {
    const shape = (raw: string): JsReply => {
      const parsed = replyToJs(Buffer.from(raw, 'latin1'));
      // Bucket bounds depend on timing; the commands, calls and the final cumulative count do not.
      const walk = (v: JsReply): JsReply => {
        if (Array.isArray(v)) {
          const i = v.indexOf('histogram_usec');
          if (i !== -1) {
            const buckets = v[i + 1] as JsReply[];
            return [...v.slice(0, i + 1), buckets.length === 0 ? 'empty' : buckets.at(-1)!];
          }
          return v.map(walk);
        }
        if (v !== null && typeof v === 'object' && !('error' in v)) {
          const out: Record<string, JsReply> = {};
          for (const [k, inner] of Object.entries(v)) {
            out[k] = k === 'histogram_usec' ? Object.values(inner as Record<string, JsReply>).at(-1)! : walk(inner);
          }
          return out;
        }
        return v;
      };
      // Commands come in the command dict's hash order in Redis: sorted by name here.
      const byName = (v: JsReply): JsReply => {
        if (Array.isArray(v)) {
          const pairs: Array<[string, JsReply]> = [];
          for (let i = 0; i < v.length; i += 2) pairs.push([v[i] as string, v[i + 1]!]);
          return pairs.sort((a, b) => (a[0] < b[0] ? -1 : 1));
        }
        if (v !== null && typeof v === 'object' && !('error' in v)) return Object.entries(v).sort((a, b) => (a[0] < b[0] ? -1 : 1));
        return v;
      };
      return byName(walk(parsed));
    };
    for (const protocol of ['2', '3']) {
      const [redis, reddish] = await both(async (call) => {
        await call('HELLO', protocol);
        await call('CONFIG', 'RESETSTAT');
        for (let i = 0; i < 3; i++) await call('SET', 'a', 'b');
        await call('CONFIG', 'GET', 'maxmemory');
        await call('LATENCY', 'HISTOGRAM', 'set', 'config', 'get', 'nope');
        await call('LATENCY', 'HISTOGRAM', 'CONFIG|GET');
      });
      expect(reddish.slice(-2).map(shape)).toEqual(redis.slice(-2).map(shape));
      // The raw headers agree too: a map in RESP3, a flat array in RESP2.
      expect(reddish.at(-1)!.slice(0, 4)).toEqual(redis.at(-1)!.slice(0, 4));
    }
  });

  it('counts errors alike in errorstats and the rejected/failed split of commandstats', async () => {
    const lines = (raw: string) =>
      raw
        .split('\r\n')
        .filter((line) => /^(errorstat_|cmdstat_|total_error_replies)/.test(line) && !/^cmdstat_(config|info|hello|eval)\b/.test(line))
        .map((line) => line.replace(/usec=\d+,usec_per_call=[\d.]+/, 'usec=<usec>'))
        .sort();
    const [redis, reddish] = await both(async (call) => {
      await call('CONFIG', 'RESETSTAT');
      await call('SET', 'str', 'v');
      await call('EVAL', "return redis.call('lpush', KEYS[1], 'x')", '1', 'str');
      await call('EVAL', "return redis.pcall('nosuch')", '0');
      await call('EVAL', "return {err='MYERR custom'}", '0');
      await call('EVAL', "return redis.pcall('lpush', KEYS[1], 'x')", '1', 'str');
      await call('MULTI');
      await call('NOSUCH');
      await call('EXEC');
      await call('MULTI');
      await call('LPUSH', 'str', 'x');
      await call('EXEC');
      await call('GET', 'a', 'b');
      await call('CONFIG', 'NOPE');
      await call('INFO', 'errorstats', 'commandstats', 'stats');
    });
    expect(lines(reddish.at(-1)!)).toEqual(lines(redis.at(-1)!));
  });

  it('prints the same INFO sections for everything, all, default and the introspection sections', async () => {
    const headers = (text: string) => text.match(/^# \w+/gm) ?? [];
    const fields = (text: string) =>
      text
        .split('\r\n')
        .filter((line) => line !== '' && !line.startsWith('#'))
        .map((line) => line.slice(0, line.indexOf(':')));
    const [redis, reddish] = await both(async (call) => {
      await call('CONFIG', 'RESETSTAT');
      await call('SET', 'str', 'v');
      await call('LPUSH', 'str', 'x');
      await call('NOSUCHCOMMAND');
      await call('GET');
      await call('INFO', 'everything');
      await call('INFO', 'all');
      await call('INFO');
      await call('INFO', 'cpu');
      await call('INFO', 'latencystats', 'errorstats');
    });
    const text = (raw: string) => raw.slice(raw.indexOf('\r\n') + 2);
    for (let i = 5; i < 10; i++) expect(headers(text(reddish[i]!))).toEqual(headers(text(redis[i]!)));
    expect(fields(text(reddish[8]!))).toEqual(fields(text(redis[8]!)));
    // Latencystats lines follow the command dict's hash order in Redis: compared as sets.
    const lastInfo = (raw: string) => text(raw).split('\r\n').filter((line) => line !== '');
    const errorstats = (raw: string) => lastInfo(raw).filter((line) => line.startsWith('errorstat_'));
    expect(errorstats(reddish[9]!)).toEqual(errorstats(redis[9]!));
    const latencyNames = (raw: string) =>
      lastInfo(raw)
        .filter((line) => line.startsWith('latency_percentiles_usec_'))
        .map((line) => line.replace(/=\d+\.\d{3}/g, '=<usec>'))
        .sort();
    expect(latencyNames(reddish[9]!)).toEqual(latencyNames(redis[9]!));
  });
});
