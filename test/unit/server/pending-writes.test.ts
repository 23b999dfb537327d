/**
 * PendingWrites (server/pending-writes.ts): each listed connection writes
 * its batch once, in the loop's check phase after the reads of the turn,
 * in the order listed; flush() writes at once (shutdown); a writer that
 * lists itself again while being flushed waits for the next turn.
 */
import { expect, it } from 'vitest';
import { PendingWrites, type BatchWriter } from '../../../src/server/pending-writes.js';

function writer(log: string[], name: string, onFinish?: () => void): BatchWriter {
  return {
    writeQueued: false,
    finishBatch() {
      log.push(name);
      onFinish?.();
    },
  };
}

const checkPhase = () => new Promise<void>((resolve) => setImmediate(resolve));

it('writes each listed batch once, in order, on the check phase and not before', async () => {
  const log: string[] = [];
  const pending = new PendingWrites();
  const a = writer(log, 'a');
  const b = writer(log, 'b');
  pending.add(a);
  pending.add(b);
  pending.add(a);
  expect(a.writeQueued).toBe(true);
  // Still this turn: a timer-free microtask does not flush.
  await Promise.resolve();
  expect(log).toEqual([]);
  await checkPhase();
  expect(log).toEqual(['a', 'b']);
  expect([a.writeQueued, b.writeQueued]).toEqual([false, false]);
  await checkPhase();
  expect(log).toEqual(['a', 'b']);
});

it('flush() writes at once and cancels the scheduled run', async () => {
  const log: string[] = [];
  const pending = new PendingWrites();
  pending.add(writer(log, 'a'));
  pending.flush();
  expect(log).toEqual(['a']);
  await checkPhase();
  expect(log).toEqual(['a']);
});

it('a writer that lists itself again during the flush is written on the next turn', async () => {
  const log: string[] = [];
  const pending = new PendingWrites();
  let again = true;
  const a: BatchWriter = writer(log, 'a', () => {
    if (again) {
      again = false;
      pending.add(a);
    }
  });
  pending.add(a);
  pending.flush();
  expect(log).toEqual(['a']);
  expect(a.writeQueued).toBe(true);
  await checkPhase();
  expect(log).toEqual(['a', 'a']);
});
