/**
 * BullMQ's documented flow (Queue, Worker, QueueEvents) on reddish and on
 * redis-server when it is installed; both must come out the same. BullMQ
 * runs nearly everything as Lua scripts (cmsgpack, unpack, XADD for its
 * events, ZADD/ZPOPMIN for delays and priorities) and reads its events
 * with XREAD BLOCK, so this exercises scripting and streams together.
 *
 * 200 jobs: 180 that succeed (added in bulk), 10 delayed, 5 that fail
 * twice and succeed on the third attempt with a fixed backoff, 3 that
 * always fail, and 2 removed before any worker sees them. A second queue
 * checks that priorities order the work. Real time is used: BullMQ keeps
 * its own clock on the client, so the server's fake clock cannot drive its
 * delays; the delays here are short.
 */
import { Queue, QueueEvents, Worker, type Job } from 'bullmq';
import { afterEach, describe, expect, it } from 'vitest';
import { serversUnderTest, useServerUnderTest } from '../helpers/servers-under-test.js';

interface JobData {
  kind: 'ok' | 'delayed' | 'flaky' | 'fail' | 'removed';
  n: number;
}

/** What a run of the scenario leaves behind, to compare between servers. */
interface Outcome {
  completed: number;
  failed: Array<{ n: number; reason: string; attempts: number }>;
  flakyAttempts: number[];
  delayedWaitedMs: boolean;
  removedSeen: number;
  returnSum: number;
  eventsCompleted: number;
  eventsFailed: number;
  counts: Record<string, number>;
}

describe.each(serversUnderTest())('BullMQ on $name', (under) => {
  const server = useServerUnderTest(under);
  const closers: Array<() => Promise<unknown>> = [];
  afterEach(async () => {
    for (const close of closers.splice(0).reverse()) await close();
  });

  function connection(): { host: string; port: number } {
    return { host: '127.0.0.1', port: server.port };
  }

  it('a Queue and a Worker process 200 jobs with delays, retries, failures and removals', { timeout: 60_000 }, async () => {
    const name = `jobs-${under.name}`;
    const queue = new Queue<JobData>(name, { connection: connection() });
    closers.push(() => queue.close());
    await queue.obliterate({ force: true });
    const events = new QueueEvents(name, { connection: connection() });
    closers.push(() => events.close());
    await events.waitUntilReady();
    let eventsCompleted = 0;
    let eventsFailed = 0;
    events.on('completed', () => eventsCompleted++);
    events.on('failed', () => eventsFailed++);

    const addedAt = Date.now();
    await queue.addBulk(Array.from({ length: 180 }, (_, n) => ({ name: 'ok', data: { kind: 'ok' as const, n } })));
    for (let n = 0; n < 10; n++) await queue.add('delayed', { kind: 'delayed', n }, { delay: 300 });
    for (let n = 0; n < 5; n++) await queue.add('flaky', { kind: 'flaky', n }, { attempts: 3, backoff: { type: 'fixed', delay: 50 } });
    for (let n = 0; n < 3; n++) await queue.add('fail', { kind: 'fail', n }, { attempts: 2, backoff: { type: 'fixed', delay: 20 } });
    const doomed = [await queue.add('removed', { kind: 'removed', n: 0 }), await queue.add('removed', { kind: 'removed', n: 1 })];
    for (const job of doomed) await job.remove();
    expect(await queue.getJob(doomed[0]!.id!)).toBeUndefined();

    let removedSeen = 0;
    let returnSum = 0;
    const delayedStarts: number[] = [];
    const flakyAttempts = new Map<number, number>();
    const worker = new Worker<JobData, number>(
      name,
      async (job: Job<JobData>) => {
        const { kind, n } = job.data;
        if (kind === 'removed') removedSeen++;
        if (kind === 'delayed') delayedStarts.push(Date.now());
        if (kind === 'flaky') {
          flakyAttempts.set(n, job.attemptsMade + 1);
          if (job.attemptsMade < 2) throw new Error(`flaky ${n} attempt ${job.attemptsMade + 1}`);
        }
        if (kind === 'fail') throw new Error(`fail ${n}`);
        return n;
      },
      { connection: connection(), concurrency: 8 },
    );
    closers.push(() => worker.close());
    worker.on('completed', (_job, result) => {
      returnSum += result;
    });

    // 180 + 10 + 5 complete; 3 fail for good.
    const deadline = Date.now() + 45_000;
    for (;;) {
      const counts = await queue.getJobCounts('completed', 'failed');
      if (counts['completed'] === 195 && counts['failed'] === 3) break;
      if (Date.now() > deadline) throw new Error(`jobs did not finish: ${JSON.stringify(counts)}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    // The events stream may trail the counts a little.
    while ((eventsCompleted < 195 || eventsFailed < 3) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));

    const failedJobs = await queue.getFailed();
    const outcome: Outcome = {
      completed: (await queue.getJobCounts('completed'))['completed']!,
      failed: failedJobs
        .map((job) => ({ n: job.data.n, reason: job.failedReason, attempts: job.attemptsMade }))
        .sort((a, b) => a.n - b.n),
      flakyAttempts: [...flakyAttempts.entries()].sort((a, b) => a[0] - b[0]).map(([, attempts]) => attempts),
      delayedWaitedMs: delayedStarts.length === 10 && delayedStarts.every((started) => started - addedAt >= 300),
      removedSeen,
      returnSum,
      eventsCompleted,
      eventsFailed,
      counts: await queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized'),
    };
    // Sum of n over completed jobs: 0..179, 0..9 and 0..4.
    expect(outcome).toEqual({
      completed: 195,
      failed: [0, 1, 2].map((n) => ({ n, reason: `fail ${n}`, attempts: 2 })),
      flakyAttempts: [3, 3, 3, 3, 3],
      delayedWaitedMs: true,
      removedSeen: 0,
      returnSum: (179 * 180) / 2 + 45 + 10,
      eventsCompleted: 195,
      eventsFailed: 3,
      counts: { waiting: 0, active: 0, delayed: 0, prioritized: 0 },
    });
  });

  it('priorities order the work of a single worker', { timeout: 30_000 }, async () => {
    const name = `prio-${under.name}`;
    const queue = new Queue(name, { connection: connection() });
    closers.push(() => queue.close());
    await queue.obliterate({ force: true });
    for (const [label, priority] of [
      ['low', 10],
      ['high', 1],
      ['mid', 5],
      ['higher-than-low', 7],
      ['top', 1],
    ] as const) {
      await queue.add(label, { label }, { priority });
    }
    expect((await queue.getJobCounts('prioritized'))['prioritized']).toBe(5);
    const order: string[] = [];
    const worker = new Worker(
      name,
      async (job) => {
        order.push(job.name);
      },
      { connection: connection(), concurrency: 1 },
    );
    closers.push(() => worker.close());
    const deadline = Date.now() + 20_000;
    while (order.length < 5 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 25));
    // Equal priorities keep the order they were added in.
    expect(order).toEqual(['high', 'top', 'mid', 'higher-than-low', 'low']);
  });
});
