/**
 * Scripting against redis-server 7.0.15: every case of the corpus
 * (scripting-corpus.ts) is played on the reference and on the candidate,
 * and the two transcripts (each command with its raw reply bytes) must be
 * identical.
 *
 * A script case runs on a fresh connection: FLUSHALL, its setup, EVAL (or
 * EVAL_RO) of the body, then its `after` commands. It runs once over RESP2
 * and once after HELLO 3 (unless the case names fewer protocols), and once
 * more through SCRIPT LOAD + EVALSHA under its first protocol. A session
 * case plays its commands, from one or several clients, each on its own
 * connection. Every transcript ends with a PING on each connection, so that
 * a stray extra reply would show up as a difference.
 *
 * SCRIPTING_CORPUS_DUMP=<file> appends the reference transcripts to a file,
 * for reading what Redis answered, each followed by the candidate's when
 * the two differ.
 */
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { RawClient, escapeBytes, formatCommand, isErrorReply, type Command } from '../helpers/resp-client.js';
import { FUNCTION_CORPUS } from './function-corpus.js';
import { SCRIPTING_CORPUS, sha1hex, type Protocol, type ScriptCase, type SessionCase } from './scripting-corpus.js';
import type { Endpoint } from './harness.js';
import { redisAvailable, useDifferentialTargets } from './targets.js';

const REPLY_TIMEOUT_MS = 3000;

/** The connections of one case on one server, opened on first use. */
class CaseConnections {
  private readonly clients = new Map<string, RawClient>();

  constructor(private readonly endpoint: Endpoint, private readonly protocol: Protocol) {}

  async get(name: string): Promise<RawClient> {
    let client = this.clients.get(name);
    if (client === undefined) {
      client = await RawClient.connect(this.endpoint.port, { host: this.endpoint.host, replyTimeoutMs: REPLY_TIMEOUT_MS });
      this.clients.set(name, client);
      if (this.protocol === 3) {
        // HELLO's reply names the server and the connection id: only checked for not being an error.
        const hello = await client.call('HELLO', '3');
        if (isErrorReply(hello)) throw new Error(`${this.endpoint.label}: HELLO 3 failed: ${escapeBytes(hello)}`);
      }
    }
    return client;
  }

  names(): string[] {
    return [...this.clients.keys()];
  }

  async closeAll(): Promise<void> {
    await Promise.all([...this.clients.values()].map((client) => client.close()));
  }
}

class Transcript {
  readonly lines: string[] = [];

  async call(connections: CaseConnections, client: string, argv: Command): Promise<Buffer> {
    const reply = await (await connections.get(client)).callArgs(argv);
    this.lines.push(`${client}: ${formatCommand(argv, 60)} => ${escapeBytes(reply)}`);
    return reply;
  }

  async read(connections: CaseConnections, client: string): Promise<void> {
    const reply = await (await connections.get(client)).readReply();
    this.lines.push(`${client}: <read> => ${escapeBytes(reply)}`);
  }

  /** A PING on every connection: a reply nobody read would come out here instead of PONG. */
  async pingAll(connections: CaseConnections): Promise<void> {
    for (const name of connections.names()) await this.call(connections, name, ['PING']);
  }
}

function evalCommand(c: ScriptCase, via: 'eval' | 'evalsha'): Command {
  const name = via === 'eval' ? (c.readOnly ? 'EVAL_RO' : 'EVAL') : c.readOnly ? 'EVALSHA_RO' : 'EVALSHA';
  const script = via === 'eval' ? c.body : sha1hex(c.body);
  return [name, script, String(c.keys.length), ...c.keys, ...c.args];
}

async function playScript(endpoint: Endpoint, c: ScriptCase, protocol: Protocol, via: 'eval' | 'evalsha'): Promise<string[]> {
  const connections = new CaseConnections(endpoint, protocol);
  const transcript = new Transcript();
  try {
    await transcript.call(connections, 'main', ['FLUSHALL']);
    for (const argv of c.setup) await transcript.call(connections, 'main', argv);
    if (via === 'evalsha') await transcript.call(connections, 'main', ['SCRIPT', 'LOAD', c.body]);
    await transcript.call(connections, 'main', evalCommand(c, via));
    for (const argv of c.after) await transcript.call(connections, 'main', argv);
    await transcript.pingAll(connections);
  } finally {
    await connections.closeAll();
  }
  return transcript.lines;
}

async function playSession(endpoint: Endpoint, c: SessionCase, protocol: Protocol): Promise<string[]> {
  const connections = new CaseConnections(endpoint, protocol);
  const transcript = new Transcript();
  try {
    await transcript.call(connections, c.steps[0]?.client ?? 'main', ['FLUSHALL']);
    for (const step of c.steps) {
      if ('read' in step) await transcript.read(connections, step.client);
      else await transcript.call(connections, step.client, step.argv);
    }
    await transcript.pingAll(connections);
  } finally {
    await connections.closeAll();
  }
  return transcript.lines;
}

const dumpFile = process.env['SCRIPTING_CORPUS_DUMP'];

async function expectSameTranscript(
  targets: { reference: Endpoint; candidate: Endpoint },
  title: string,
  play: (endpoint: Endpoint) => Promise<string[]>,
): Promise<void> {
  const [expected, got] = await Promise.all([play(targets.reference), play(targets.candidate)]);
  if (dumpFile) {
    const same = got.length === expected.length && got.every((line, i) => line === expected[i]);
    const candidatePart = same ? '' : `-- ${targets.candidate.label}:\n${got.join('\n')}\n`;
    fs.appendFileSync(dumpFile, `## ${title}\n${expected.join('\n')}\n${candidatePart}\n`);
  }
  expect(got, `${title}: ${targets.candidate.label} differs from redis`).toEqual(expected);
}

const CORPUS = [...SCRIPTING_CORPUS, ...FUNCTION_CORPUS];
const caseCount = CORPUS.reduce((sum, theme) => sum + theme.cases.length, 0);

describe.skipIf(!redisAvailable('scripting differential'))(`scripting against redis-server (${caseCount} cases)`, () => {
  const targets = useDifferentialTargets();

  it('the corpus has unique case names within each theme', () => {
    for (const theme of CORPUS) {
      const names = theme.cases.map((c) => c.name);
      expect(new Set(names).size, theme.theme).toBe(names.length);
    }
  });

  for (const theme of CORPUS) {
    describe(theme.theme, () => {
      for (const c of theme.cases) {
        for (const protocol of c.protocols) {
          const title = `${theme.theme} > ${c.name} [RESP${protocol}]`;
          it(`${c.name} [RESP${protocol}]`, async () => {
            await expectSameTranscript(targets, title, (endpoint) =>
              c.kind === 'script' ? playScript(endpoint, c, protocol, 'eval') : playSession(endpoint, c, protocol),
            );
          });
        }
        if (c.kind === 'script' && c.viaSha) {
          const protocol = c.protocols[0] ?? 2;
          const title = `${theme.theme} > ${c.name} [EVALSHA RESP${protocol}]`;
          it(`${c.name} [EVALSHA RESP${protocol}]`, async () => {
            await expectSameTranscript(targets, title, (endpoint) => playScript(endpoint, c, protocol, 'evalsha'));
          });
        }
      }
    });
  }
});
