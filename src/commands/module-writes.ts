/**
 * How a RedisBloom write is announced. RedisBloom sends no keyspace
 * notifications, but each of its writes ends in RedisModule_ReplicateVerbatim
 * when it succeeds: the command propagates as sent, and dirty rises by one.
 * commands/index.ts wraps every write of the BF, CF, CMS and TOPK groups
 * with redisBloomGroup.
 */
import { SIGNAL_ONLY } from '../store/keyspace-events.js';
import type { Client, CommandHandler, CommandSpec } from './types.js';

/**
 * Redis still signals a key a module opened for writing (moduleCloseKey's
 * signalModifiedKey), so the seat hears the change as SIGNAL_ONLY; and
 * RedisModule_ReplicateVerbatim adds one to dirty.
 */
const MODULE_WRITE_EVENT = SIGNAL_ONLY;

/**
 * Each RedisBloom write ends in RedisModule_ReplicateVerbatim when it
 * succeeds: the command propagates as sent, and dirty rises by one.
 */
export function replicateVerbatimOnSuccess(handler: CommandHandler): CommandHandler {
  return (c, argv) => {
    const errorsBefore = c.reply.errorCount;
    handler(c, argv);
    if (c.reply.errorCount === errorsBefore) c.server.events.keyModified(c.db, argv[1]!, MODULE_WRITE_EVENT);
  };
}

/**
 * A command that replied an error element inside its array after changing a
 * key still changed it, and RedisBloom replicates it: the error makes
 * replicateVerbatimOnSuccess skip it, so these commands announce it
 * themselves.
 */
export function signalPartialWrite(c: Client, key: string): void {
  c.server.events.keyModified(c.db, key, MODULE_WRITE_EVENT);
}

/**
 * A RedisBloom group (BF, CF, CMS, TOPK) as the module registers it: each
 * write ends in RedisModule_ReplicateVerbatim when it succeeds, so its
 * handler is wrapped to announce the change as a module's write.
 */
export function redisBloomGroup(specs: readonly CommandSpec[]): readonly CommandSpec[] {
  return specs.map((spec) =>
    spec.flags.includes('write') ? { ...spec, handler: replicateVerbatimOnSuccess(spec.handler!) } : spec,
  );
}
