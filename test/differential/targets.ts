/**
 * The two servers a differential test compares.
 *
 * The reference is always a real redis-server. The candidate is reddish by
 * default; DIFF_CANDIDATE=redis makes it a second redis-server instead, which
 * checks the harness and the generators themselves (a redis-vs-redis run must
 * always pass).
 */
import { afterAll, beforeAll } from 'vitest';
import { findRedisServer, startRedisServer, type RedisServerHandle } from '../helpers/redis-server.js';
import type { Endpoint } from './harness.js';

export type CandidateKind = 'reddish' | 'redis';

export interface DifferentialTargets {
  reference: Endpoint;
  candidate: Endpoint;
  /** Stops whatever was started; safe to call more than once. */
  stop(): Promise<void>;
}

/** The candidate selected by DIFF_CANDIDATE ('reddish' unless set to 'redis'). */
export function candidateKind(): CandidateKind {
  const value = (process.env['DIFF_CANDIDATE'] ?? 'reddish').toLowerCase();
  if (value !== 'reddish' && value !== 'redis') {
    throw new Error(`DIFF_CANDIDATE must be 'reddish' or 'redis', not ${JSON.stringify(value)}`);
  }
  return value;
}

/**
 * Whether redis-server is available; if not, logs why the suite is skipped.
 * Use with `describe.skipIf(!redisAvailable('suite name'))`.
 */
export function redisAvailable(suite: string): boolean {
  if (findRedisServer()) return true;
  console.log(`[${suite}] skipped: redis-server is not on PATH (install Redis 7, or set REDIS_SERVER to the binary)`);
  return false;
}

export interface TargetOptions {
  /** Allow DEBUG (DEBUG SLEEP, SET-ACTIVE-EXPIRE) on both servers; Redis's default refuses it. */
  enableDebug?: boolean;
}

const REDIS_DEBUG_ARGS = ['--enable-debug-command', 'yes'];

async function startCandidate(kind: CandidateKind, options: TargetOptions): Promise<{ endpoint: Endpoint; stop(): Promise<void> }> {
  if (kind === 'redis') {
    const server: RedisServerHandle = await startRedisServer({ extraArgs: options.enableDebug ? REDIS_DEBUG_ARGS : [] });
    return { endpoint: { host: server.host, port: server.port, label: 'redis (candidate)' }, stop: () => server.stop() };
  }
  // Imported lazily so that redis-vs-redis runs work without reddish built.
  const { startServer } = await import('../../src/index.js');
  const server = await startServer({ port: 0, config: options.enableDebug ? { 'enable-debug-command': 'yes' } : {} });
  return { endpoint: { host: server.host, port: server.port, label: 'reddish' }, stop: () => server.close() };
}

/** Starts the reference redis-server and the candidate; stops both if either fails. */
export async function startDifferentialTargets(kind: CandidateKind = candidateKind(), options: TargetOptions = {}): Promise<DifferentialTargets> {
  const reference = await startRedisServer({ extraArgs: options.enableDebug ? REDIS_DEBUG_ARGS : [] });
  let candidate: Awaited<ReturnType<typeof startCandidate>>;
  try {
    candidate = await startCandidate(kind, options);
  } catch (error) {
    await reference.stop();
    throw error;
  }
  let stopped: Promise<void> | null = null;
  return {
    reference: { host: reference.host, port: reference.port, label: 'redis' },
    candidate: candidate.endpoint,
    stop() {
      stopped ??= Promise.all([reference.stop(), candidate.stop()]).then(() => undefined);
      return stopped;
    },
  };
}

/**
 * The targets of the enclosing describe block: started in beforeAll and
 * stopped in afterAll. `reference` and `candidate` exist once beforeAll has
 * run, so read them inside tests.
 */
export function useDifferentialTargets(options: TargetOptions = {}): DifferentialTargets {
  let targets: DifferentialTargets | undefined;
  const started = (): DifferentialTargets => {
    if (targets === undefined) throw new Error('useDifferentialTargets: the targets start in beforeAll');
    return targets;
  };
  beforeAll(async () => {
    targets = await startDifferentialTargets(candidateKind(), options);
  });
  afterAll(async () => {
    await targets?.stop();
  });
  return {
    get reference() {
      return started().reference;
    },
    get candidate() {
      return started().candidate;
    },
    stop: () => targets?.stop() ?? Promise.resolve(),
  };
}
