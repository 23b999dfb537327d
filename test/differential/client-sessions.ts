/**
 * Sessions of several named clients, played the same way against
 * redis-server and reddish, for the differential tests of MONITOR, CLIENT
 * PAUSE and CLIENT REPLY. Each step records what its client received, with
 * what differs between two servers by nature masked:
 *
 * - each client's address (in MONITOR lines and CLIENT LIST) becomes its
 *   name, and its id (CLIENT LIST's id=, HELLO's id) becomes `#name`;
 * - MONITOR's timestamp becomes `TS`, after checking that it is a
 *   `seconds.microseconds` time within a minute of now.
 *
 * Every client connects, and learns its id and address (CLIENT INFO),
 * before the first step, so that nothing of that shows in a MONITOR.
 */
import { encodeCommand, formatCommand, RawClient, type CommandArg } from '../helpers/resp-client.js';

export type Step =
  /** `client` sends argv and reads `frames` replies (default 1). */
  | { kind: 'call'; client: string; argv: CommandArg[]; frames?: number; pick?: (reply: string) => string }
  /** `client` sends argv without waiting: it is paused, blocked, or its reply is dropped. */
  | { kind: 'send'; client: string; argv: CommandArg[] }
  /** `client` reads `frames` replies caused by earlier steps. */
  | { kind: 'read'; client: string; frames: number }
  /** Nothing reaches `client` within `ms` (or whatever does is recorded). */
  | { kind: 'quiet'; client: string; ms: number }
  /** `client` (a MONITOR) reads lines until the one showing `ECHO <marker>`, which `by` sends. */
  | { kind: 'monitorUntil'; client: string; by: string; marker: string }
  | { kind: 'sleep'; ms: number };

export const call = (client: string, ...argv: CommandArg[]): Step => ({ kind: 'call', client, argv });
export const callN = (client: string, frames: number, ...argv: CommandArg[]): Step => ({ kind: 'call', client, argv, frames });
/** A call whose reply is recorded only as `pick` renders it (one INFO field, some CLIENT LIST fields). */
export const callPick = (client: string, pick: (reply: string) => string, ...argv: CommandArg[]): Step => ({ kind: 'call', client, argv, pick });
/** HELLO 3, whose reply holds the client's id: only its first line (`%7`) is recorded. */
export const hello3 = (client: string): Step => callPick(client, (reply) => reply.slice(0, reply.indexOf('\r\n')), 'HELLO', '3');
export const send = (client: string, ...argv: CommandArg[]): Step => ({ kind: 'send', client, argv });
export const read = (client: string, frames = 1): Step => ({ kind: 'read', client, frames });
export const quiet = (client: string, ms = 150): Step => ({ kind: 'quiet', client, ms });
export const monitorUntil = (client: string, by: string, marker: string): Step => ({ kind: 'monitorUntil', client, by, marker });
export const sleep = (ms: number): Step => ({ kind: 'sleep', ms });

/** `+<seconds>.<micros> [<db> <address>] <args>` */
const MONITOR_LINES = /\+(\d+)\.\d{6} \[\d+ [^\]\r\n]+\][^\r\n]*\r\n/g;

/** The value of one `field:value` line of an INFO reply. */
export function infoField(field: string): (reply: string) => string {
  return (reply) => {
    const match = new RegExp(`\\r\\n${field}:([^\\r]*)\\r\\n`).exec(reply);
    return `${field}:${match === null ? '<missing>' : match[1]}`;
  };
}

/**
 * CLIENT LIST reduced to some fields per client, sorted by client name
 * (ids are masked to names before `pick` sees the reply).
 */
export function clientListFields(...fields: string[]): (reply: string) => string {
  return (reply) => {
    const body = reply.slice(reply.indexOf('\r\n') + 2, -2);
    return body
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => {
        const pairs = new Map(line.split(' ').map((pair) => [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)]));
        return [pairs.get('id'), ...fields.map((f) => `${f}=${pairs.get(f)}`)].join(' ');
      })
      .sort()
      .join(' | ');
  };
}

interface Named {
  client: RawClient;
  id: string;
  addr: string;
}

/** Plays `steps` against the server on `port` with clients `names`; returns one line per step. */
export async function playSession(port: number, names: readonly string[], steps: readonly Step[]): Promise<string[]> {
  const clients = new Map<string, Named>();
  const out: string[] = [];
  try {
    for (const name of names) {
      const client = await RawClient.connect(port, { replyTimeoutMs: 3000 });
      const info = (await client.call('CLIENT', 'INFO')).toString('latin1');
      clients.set(name, { client, id: /id=(\d+)/.exec(info)![1]!, addr: / addr=(\S+)/.exec(info)![1]! });
    }
    await clients.get(names[0]!)!.client.call('FLUSHALL');
    const get = (name: string): RawClient => {
      const named = clients.get(name);
      if (named === undefined) throw new Error(`no client named ${name}`);
      return named.client;
    };
    const mask = (text: string): string => {
      text = maskMonitorLines(text);
      for (const [name, { id, addr }] of clients) {
        text = text.split(addr).join(name);
        // CLIENT LIST's id=, and HELLO's "id" entry.
        text = text.replace(new RegExp(`id=${id}(?!\\d)`, 'g'), `id=#${name}`).split(`$2\r\nid\r\n:${id}\r\n`).join(`$2\r\nid\r\n:#${name}\r\n`);
      }
      return text;
    };
    for (const step of steps) {
      switch (step.kind) {
        case 'call': {
          const c = get(step.client);
          const frames = [(await c.call(...step.argv)).toString('latin1')];
          for (let i = 1; i < (step.frames ?? 1); i++) frames.push((await c.readReply()).toString('latin1'));
          const shown = frames.map((f) => (step.pick ? step.pick(mask(f)) : mask(f)));
          out.push(`${step.client} ${formatCommand(step.argv, 40)} => ${JSON.stringify(shown)}`);
          break;
        }
        case 'send':
          get(step.client).sendRaw(encodeCommand(step.argv));
          out.push(`${step.client} sent ${formatCommand(step.argv, 40)}`);
          break;
        case 'read': {
          const c = get(step.client);
          const frames: string[] = [];
          for (let i = 0; i < step.frames; i++) frames.push(mask((await c.readReply()).toString('latin1')));
          out.push(`${step.client} <= ${JSON.stringify(frames)}`);
          break;
        }
        case 'quiet': {
          const bytes = await get(step.client).readRaw(step.ms);
          out.push(`${step.client} quiet: ${JSON.stringify(mask(bytes.toString('latin1')))}`);
          break;
        }
        case 'monitorUntil': {
          await get(step.by).call('ECHO', step.marker);
          const monitor = get(step.client);
          const lines: string[] = [];
          for (;;) {
            const line = (await monitor.readReply()).toString('latin1');
            lines.push(mask(line));
            if (line.includes(`"ECHO" "${step.marker}"`)) break;
          }
          out.push(`${step.client} monitor:\n  ${lines.join('\n  ')}`);
          break;
        }
        case 'sleep':
          await new Promise((resolve) => setTimeout(resolve, step.ms));
          break;
      }
    }
    // Nothing unexpected may be left unread on any client.
    for (const [name, { client }] of clients) {
      const rest = await client.readRaw(50);
      if (rest.length !== 0) out.push(`${name} left unread: ${JSON.stringify(mask(rest.toString('latin1')))}`);
    }
  } finally {
    for (const { client } of clients.values()) await client.close();
  }
  return out;
}

/** MONITOR lines with their timestamps checked and masked; anything else as it is. */
function maskMonitorLines(text: string): string {
  return text.replace(MONITOR_LINES, (line: string, seconds: string) =>
    Math.abs(Number(seconds) - Date.now() / 1000) > 60 ? `${line}<timestamp far from now>` : line.replace(/^\+\d+\.\d{6}/, '+TS'),
  );
}
