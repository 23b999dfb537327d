/**
 * Propagation (Redis's alsoPropagate), held to what Redis 7.0 writes to its
 * AOF: each scenario runs on a redis-server with `appendonly yes` and on
 * reddish, from an empty keyspace, and what reddish propagates, rendered as
 * an AOF (a SELECT wherever the database changes), must equal the commands
 * Redis appended to its incr file. Clock-derived times (SET PXAT, PEXPIREAT)
 * may differ by a second; members chosen at random (SPOP) are masked.
 *
 * Every command with the `write` flag in reddish's table must appear in some
 * scenario, so a new write command cannot land without its journal form.
 *
 * DIFF_CANDIDATE=redis runs the scenarios redis-vs-redis, which checks the
 * harness and the scenarios themselves (that run must always pass);
 * AOF_PRINT=1 prints what Redis journalled for each scenario.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, startServer, type RunningServer } from '../../src/index.js';
import { isNewerThan } from '../../src/compat-version.js';
import {
  PropagationRecorder,
  call,
  formatJournal,
  playSteps,
  describePlay,
  runScenario,
  startAofRedisServer,
  type AofRedisServer,
  sleep,
  type ScenarioTarget,
  type Step,
} from '../helpers/aof.js';
import {
  bitmapAndHllScenarios,
  databaseScenarios,
  expiryScenarios,
  scriptingScenarios,
  geoScenarios,
  hashScenarios,
  keyScenarios,
  listScenarios,
  setScenarios,
  sortScenarios,
  stringScenarios,
  transactionScenarios,
  zsetScenarios,
  type Scenarios,
  streamScenarios,
} from './propagation-scenarios.js';
import { RawClient, replyToJs } from '../helpers/resp-client.js';
import { hashFieldExpiryScenarios } from './propagation-hash-field-expiry-scenarios.js';
import { candidateKind, redisAvailable } from './targets.js';

const groups: Record<string, Scenarios> = {
  strings: stringScenarios,
  keys: keyScenarios,
  hashes: hashScenarios,
  lists: listScenarios,
  sets: setScenarios,
  'sorted sets': zsetScenarios,
  GEO: geoScenarios,
  'bitmaps and HyperLogLog': bitmapAndHllScenarios,
  SORT: sortScenarios,
  transactions: transactionScenarios,
  databases: databaseScenarios,
  expiry: expiryScenarios,
  scripting: scriptingScenarios,
  streams: streamScenarios,
};

/**
 * The probabilistic commands (BF.*, CF.*, CMS.*, TOPK.*) come from
 * RedisBloom, which Debian's redis-server does not load, so there is no AOF
 * to compare with. RedisBloom calls RedisModule_ReplicateVerbatim on every
 * call that gets past its checks, including calls that change nothing (BF.ADD
 * of an item already there, CF.ADDNX of one that exists, CF.DEL of an absent
 * item), and replicates nothing when it replies with an error; so each
 * scenario here states the journal it expects: the successful write calls,
 * verbatim, after the AOF's opening SELECT.
 */
interface ExpectedScenario {
  steps: Step[];
  journal: string[][];
}

/** A scenario whose every call is expected verbatim in the journal (after the opening SELECT 0) unless listed in `silent`. */
function verbatim(steps: string[][], silent: readonly number[] = []): ExpectedScenario {
  return {
    steps: steps.map((argv) => call(...argv)),
    journal: [['SELECT', '0'], ...steps.filter((_, i) => !silent.includes(i))],
  };
}

/** A scenario, or a function that builds it just before it runs (for absolute times near now). */
type ExpectedScenarioSource = ExpectedScenario | (() => ExpectedScenario);

const probabilisticScenarios: Record<string, ExpectedScenarioSource> = {
  'BF.RESERVE, BF.ADD, BF.MADD and BF.INSERT are journalled verbatim, even when no item is new': verbatim([
    ['BF.RESERVE', 'bf', '0.01', '100'],
    ['BF.ADD', 'bf', 'a'],
    ['BF.ADD', 'bf', 'a'],
    ['BF.MADD', 'bf', 'a', 'b'],
    ['BF.INSERT', 'bf', 'ITEMS', 'c', 'd'],
    ['BF.ADD', 'auto', 'x'],
    ['BF.INSERT', 'made', 'CAPACITY', '50', 'ERROR', '0.001', 'ITEMS', 'x'],
  ]),
  'BF.* calls that fail, and BF.* reads, journal nothing': verbatim(
    [
      ['BF.RESERVE', 'bf', '0.01', '100'],
      ['BF.RESERVE', 'bf', '0.01', '100'],
      ['BF.INSERT', 'missing', 'NOCREATE', 'ITEMS', 'x'],
      ['SET', 's', 'v'],
      ['BF.ADD', 's', 'x'],
      ['BF.EXISTS', 'bf', 'x'],
      ['BF.MEXISTS', 'bf', 'x', 'y'],
      ['BF.CARD', 'bf'],
      ['BF.INFO', 'bf'],
    ],
    [1, 2, 4, 5, 6, 7, 8],
  ),
  'CF.RESERVE, CF.ADD, CF.ADDNX, CF.INSERT, CF.INSERTNX, CF.DEL and CF.COMPACT are journalled verbatim': verbatim([
    ['CF.RESERVE', 'cf', '100'],
    ['CF.ADD', 'cf', 'a'],
    ['CF.ADDNX', 'cf', 'a'],
    ['CF.ADDNX', 'cf', 'b'],
    ['CF.INSERT', 'cf', 'ITEMS', 'c'],
    ['CF.INSERTNX', 'cf', 'ITEMS', 'c', 'd'],
    ['CF.INSERT', 'made', 'CAPACITY', '200', 'ITEMS', 'x'],
    ['CF.DEL', 'cf', 'a'],
    ['CF.DEL', 'cf', 'never-added'],
    ['CF.COMPACT', 'cf'],
    ['CF.ADD', 'auto', 'x'],
  ]),
  'CF.* calls that fail, and CF.* reads, journal nothing': verbatim(
    [
      ['CF.RESERVE', 'cf', '100'],
      ['CF.RESERVE', 'cf', '100'],
      ['CF.DEL', 'missing', 'x'],
      ['CF.COMPACT', 'missing'],
      ['CF.INSERT', 'missing', 'NOCREATE', 'ITEMS', 'x'],
      ['CF.EXISTS', 'cf', 'x'],
      ['CF.MEXISTS', 'cf', 'x', 'y'],
      ['CF.COUNT', 'cf', 'x'],
      ['CF.INFO', 'cf'],
    ],
    [1, 2, 3, 4, 5, 6, 7, 8],
  ),
  'CMS.INITBYDIM, CMS.INITBYPROB, CMS.INCRBY and CMS.MERGE are journalled verbatim': verbatim([
    ['CMS.INITBYDIM', 'a', '100', '5'],
    ['CMS.INITBYDIM', 'b', '100', '5'],
    ['CMS.INITBYPROB', 'p', '0.01', '0.01'],
    ['CMS.INCRBY', 'a', 'x', '3', 'y', '1'],
    ['CMS.INCRBY', 'b', 'x', '2'],
    ['CMS.MERGE', 'a', '2', 'a', 'b', 'WEIGHTS', '1', '2'],
  ]),
  'CMS.* calls that fail, and CMS.* reads, journal nothing': verbatim(
    [
      ['CMS.INITBYDIM', 'a', '100', '5'],
      ['CMS.INITBYDIM', 'a', '100', '5'],
      ['CMS.INCRBY', 'missing', 'x', '1'],
      ['CMS.QUERY', 'a', 'x'],
      ['CMS.INFO', 'a'],
    ],
    [1, 2, 3, 4],
  ),
  'TOPK.RESERVE, TOPK.ADD and TOPK.INCRBY are journalled verbatim': verbatim([
    ['TOPK.RESERVE', 't', '3'],
    ['TOPK.ADD', 't', 'a', 'b', 'a'],
    ['TOPK.INCRBY', 't', 'c', '5'],
    ['TOPK.RESERVE', 'u', '2', '50', '4', '0.9'],
  ]),
  'TOPK.* calls that fail, and TOPK.* reads, journal nothing': verbatim(
    [
      ['TOPK.RESERVE', 't', '3'],
      ['TOPK.RESERVE', 't', '3'],
      ['TOPK.ADD', 'missing', 'a'],
      ['TOPK.QUERY', 't', 'a'],
      ['TOPK.COUNT', 't', 'a'],
      ['TOPK.LIST', 't'],
      ['TOPK.INFO', 't'],
    ],
    [1, 2, 3, 4, 5, 6],
  ),
  // rm_tdigest.c: every write ends in RedisModule_ReplicateVerbatim; errors return before it.
  'TDIGEST.CREATE, ADD, MERGE and RESET are journalled verbatim': verbatim([
    ['TDIGEST.CREATE', 'td', 'COMPRESSION', '50'],
    ['TDIGEST.ADD', 'td', '1', '2.5', '3'],
    ['TDIGEST.CREATE', 'other'],
    ['TDIGEST.MERGE', 'dest', '2', 'td', 'other', 'OVERRIDE'],
    ['TDIGEST.MERGE', 'td', '1', 'td'],
    ['TDIGEST.RESET', 'other'],
  ]),
  'TDIGEST.* calls that fail, and TDIGEST.* reads, journal nothing': verbatim(
    [
      ['TDIGEST.CREATE', 'td'],
      ['TDIGEST.CREATE', 'td'],
      ['TDIGEST.ADD', 'td', 'x'],
      ['TDIGEST.ADD', 'missing', '1'],
      ['TDIGEST.MERGE', 'dest', '1', 'missing'],
      ['TDIGEST.QUANTILE', 'td', '0.5'],
      ['TDIGEST.CDF', 'td', '1'],
      ['TDIGEST.MIN', 'td'],
      ['TDIGEST.INFO', 'td'],
      ['TDIGEST.TRIMMED_MEAN', 'td', '0.1', '0.9'],
      ['TDIGEST.RANK', 'td', '1'],
      ['TDIGEST.BYREVRANK', 'td', '0'],
    ],
    [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11],
  ),
  'probabilistic commands keep the case the client sent': verbatim([
    ['bf.add', 'bf', 'a'],
    ['Cf.Add', 'cf', 'a'],
  ]),
  'probabilistic commands inside MULTI/EXEC are wrapped with the rest': {
    steps: [call('MULTI'), call('BF.ADD', 'bf', 'a'), call('CMS.INITBYDIM', 'c', '10', '2'), call('EXEC')],
    journal: [['SELECT', '0'], ['MULTI'], ['BF.ADD', 'bf', 'a'], ['CMS.INITBYDIM', 'c', '10', '2'], ['EXEC']],
  },
  'a probabilistic write that finds its key expired: DEL, then the write, in MULTI ... EXEC': () => {
    // PEXPIREAT is journalled as sent, so an absolute time keeps the expected journal exact.
    const at = String(Date.now() + 1000);
    return {
      steps: [call('BF.RESERVE', 'bf', '0.01', '100'), call('PEXPIREAT', 'bf', at), sleep(1200), call('BF.ADD', 'bf', 'x')],
      journal: [['SELECT', '0'], ['BF.RESERVE', 'bf', '0.01', '100'], ['PEXPIREAT', 'bf', at], ['MULTI'], ['DEL', 'bf'], ['BF.ADD', 'bf', 'x'], ['EXEC']],
    };
  },
};

/** SCANDUMP a filter, then LOADCHUNK each chunk into a new key: each LOADCHUNK is journalled verbatim, binary data and all. */
const dumpAndLoad: Record<string, { create: string[][]; type: 'BF' | 'CF' }> = {
  'BF.LOADCHUNK is journalled verbatim': { create: [['BF.RESERVE', 'src', '0.01', '100'], ['BF.MADD', 'src', 'a', 'b', 'c']], type: 'BF' },
  'CF.LOADCHUNK is journalled verbatim': { create: [['CF.RESERVE', 'src', '100'], ['CF.ADD', 'src', 'a']], type: 'CF' },
};

/** The full names of the commands the steps send ('set', or 'config|set' when argv[1] names a subcommand). */
function commandsSent(steps: readonly Step[], subcommandParents: ReadonlySet<string>): string[] {
  const names: string[] = [];
  for (const step of steps) {
    if (step.kind !== 'call' && step.kind !== 'send') continue;
    const name = step.argv[0]!.toLowerCase();
    names.push(subcommandParents.has(name) && step.argv[1] !== undefined ? `${name}|${step.argv[1].toLowerCase()}` : name);
  }
  return names;
}

describe('propagation coverage', () => {
  it('every write command in the table has a propagation scenario', () => {
    const table = createServer({ port: 0 }).commands;
    const parents = new Set<string>();
    for (const entry of table.entries()) if (entry.subcommands) parents.add(entry.fullName);
    const covered = new Set<string>();
    for (const scenarios of Object.values(groups)) for (const steps of Object.values(scenarios)) for (const name of commandsSent(steps, parents)) covered.add(name);
    for (const source of Object.values(probabilisticScenarios)) {
      const scenario = typeof source === 'function' ? source() : source;
      for (const name of commandsSent(scenario.steps, parents)) covered.add(name);
    }
    // Hash-field expiration: Redis 8 forms, checked in propagation-hash-field-expiry.test.ts.
    for (const { steps } of Object.values(hashFieldExpiryScenarios)) {
      for (const step of steps) if (Array.isArray(step)) covered.add(step[0]!.toLowerCase());
    }
    for (const { create, type } of Object.values(dumpAndLoad)) {
      for (const name of commandsSent(create.map((argv) => call(...argv)), parents)) covered.add(name);
      covered.add(`${type.toLowerCase()}.loadchunk`);
    }
    // Commands newer than 7.0 have no redis-server 7.0.15 to compare with: their propagation is
    // checked in their integration tests (strings-redis8.test.ts: MSETEX, DELEX, SET IF*).
    const writes = [...table.allEntries()]
      .filter((entry) => entry.isWrite && !isNewerThan(entry.spec.since, '7.0'))
      .map((entry) => entry.fullName);
    expect(writes.length).toBeGreaterThan(90);
    expect(writes.filter((name) => !covered.has(name))).toEqual([]);
  });
});

/** The journals a scenario is compared on: redis-server's AOF, and reddish's recorder (or a second AOF). */
interface Targets {
  reference: ScenarioTarget;
  candidate: ScenarioTarget;
}

async function startReddishTarget(): Promise<{ target: ScenarioTarget; stop(): Promise<void> }> {
  // The scenarios turn active expiry off and on with DEBUG, as on redis-server.
  const server: RunningServer = await startServer({ port: 0, config: { 'enable-debug-command': 'yes' } });
  const recorder = new PropagationRecorder(server.server.propagation);
  return {
    target: { label: 'reddish', port: server.port, journal: recorder, afterReset: () => recorder.reset() },
    async stop() {
      recorder.close();
      await server.close();
    },
  };
}

function redisTarget(redis: AofRedisServer, label: string): ScenarioTarget {
  return { label, port: redis.server.port, journal: redis.aof };
}

describe.skipIf(!redisAvailable('propagation'))('propagation: the journal matches the AOF of Redis 7.0', () => {
  let targets: Targets | undefined;
  const stops: Array<() => Promise<void>> = [];

  beforeAll(async () => {
    const redis = await startAofRedisServer();
    stops.push(() => redis.server.stop());
    if (candidateKind() === 'redis') {
      const second = await startAofRedisServer();
      stops.push(() => second.server.stop());
      targets = { reference: redisTarget(redis, 'redis'), candidate: redisTarget(second, 'redis (candidate)') };
    } else {
      const reddish = await startReddishTarget();
      stops.push(() => reddish.stop());
      targets = { reference: redisTarget(redis, 'redis'), candidate: reddish.target };
    }
  });

  afterAll(async () => {
    await Promise.all(stops.map((stop) => stop()));
  });

  for (const [group, scenarios] of Object.entries(groups)) {
    describe(group, () => {
      for (const [name, steps] of Object.entries(scenarios)) {
        it(name, async () => {
          const { reference, candidate } = targets!;
          const outcome = await runScenario(steps, reference, candidate);
          if (process.env['AOF_PRINT']) console.log(`@@ ${group} | ${name}\n${formatJournal(outcome.reference)}`);
          const message = [
            `journal of "${name}"`,
            `  ${reference.label}: ${formatJournal(outcome.reference)}`,
            `  ${candidate.label}: ${formatJournal(outcome.candidate)}`,
            'step by step:',
            outcome.report,
          ].join('\n');
          expect(outcome.candidate, message).toEqual(outcome.reference);
        });
      }
    });
  }
});

describe('propagation of the probabilistic commands (verbatim, as RedisBloom replicates them)', () => {
  let reddish: Awaited<ReturnType<typeof startReddishTarget>> | undefined;

  beforeAll(async () => {
    reddish = await startReddishTarget();
  });

  afterAll(async () => {
    await reddish?.stop();
  });

  for (const [name, source] of Object.entries(probabilisticScenarios)) {
    it(name, async () => {
      const target = reddish!.target;
      const scenario = typeof source === 'function' ? source() : source;
      const played = await playSteps(scenario.steps, [target]);
      const journal = played.flatMap(({ records }) => records[0]!.journalled);
      expect(journal, `step by step:\n${describePlay(played, [target.label])}`).toEqual(scenario.journal);
    });
  }

  for (const [name, { create, type }] of Object.entries(dumpAndLoad)) {
    it(name, async () => {
      const target = reddish!.target;
      const created = await playSteps(create.map((argv) => call(...argv)), [target]);
      expect(created.flatMap(({ records }) => records[0]!.journalled)).toEqual([['SELECT', '0'], ...create]);
      const client = await RawClient.connect(target.port);
      try {
        // SCANDUMP hands out one chunk per call, until it answers iterator 0; reads journal nothing.
        const beforeDump = target.journal.end();
        const chunks: Array<[string, string]> = [];
        let iterator = '0';
        for (;;) {
          const answer = replyToJs(await client.call(`${type}.SCANDUMP`, 'src', iterator));
          if (!Array.isArray(answer) || typeof answer[0] !== 'number') throw new Error(`${type}.SCANDUMP replied ${JSON.stringify(answer)}`);
          // The last answer is iterator 0, with an empty (BF) or null (CF) chunk.
          if (answer[0] === 0) break;
          if (typeof answer[1] !== 'string') throw new Error(`${type}.SCANDUMP replied ${JSON.stringify(answer)}`);
          iterator = String(answer[0]);
          chunks.push([iterator, answer[1]]);
        }
        expect(chunks.length).toBeGreaterThan(0);
        expect(target.journal.readFrom(beforeDump)).toEqual([]);
        const beforeLoad = target.journal.end();
        const loads = chunks.map(([chunkIterator, data]) => [`${type}.LOADCHUNK`, 'dst', chunkIterator, data]);
        for (const argv of loads) expect((await client.callArgs(argv)).toString('latin1')).toBe('+OK\r\n');
        expect(target.journal.readFrom(beforeLoad)).toEqual(loads);
      } finally {
        await client.close();
      }
    });
  }
});
