/**
 * The servers an integration test runs its scenario on, for tests that
 * check behaviour through a client library (or over time) rather than by
 * comparing bytes: reddish always, and a real redis-server when one is
 * installed, so that the test's expectations are shown to be Redis's own.
 *
 *   describe.each(serversUnderTest())('on $name', (target) => {
 *     const server = useServerUnderTest(target);
 *     it('...', async () => { ... server.port ... server.reddish?.clients ... });
 *   });
 */
import { afterAll, beforeAll } from 'vitest';
import { startServer, type RunningServer } from '../../src/index.js';
import { findRedisServer, startRedisServer } from './redis-server.js';

export interface ServerUnderTest {
  readonly name: 'reddish' | 'redis-server';
}

export interface StartedServer {
  readonly port: number;
  /** The reddish server, for a look at its internals; undefined on redis-server. */
  readonly reddish: RunningServer['server'] | undefined;
}

/** reddish, then redis-server if it is on PATH. */
export function serversUnderTest(): ServerUnderTest[] {
  const list: ServerUnderTest[] = [{ name: 'reddish' }];
  if (findRedisServer() !== null) list.push({ name: 'redis-server' });
  return list;
}

/** Starts the server in beforeAll and stops it in afterAll; its fields exist once beforeAll has run. */
export function useServerUnderTest(target: ServerUnderTest): StartedServer {
  let port: number | undefined;
  let reddish: RunningServer | undefined;
  let stop: (() => Promise<void>) | undefined;
  beforeAll(async () => {
    if (target.name === 'reddish') {
      reddish = await startServer({ port: 0 });
      port = reddish.port;
      stop = () => reddish!.close();
    } else {
      const redis = await startRedisServer();
      port = redis.port;
      stop = () => redis.stop();
    }
  });
  afterAll(async () => {
    await stop?.();
  });
  return {
    get port() {
      if (port === undefined) throw new Error('useServerUnderTest: the server starts in beforeAll');
      return port;
    },
    get reddish() {
      return reddish?.server;
    },
  };
}
