/**
 * DUMP and RESTORE (Redis's cluster.c): a value serialized as an RDB object
 * (type byte and body, see persistence/rdb-objects.ts) followed by the RDB
 * version and a CRC64, so payloads move between reddish and Redis.
 */
import { errors, persistenceErrors } from '../errors.js';
import { shared } from '../protocol/reply.js';
import { RdbReader, RdbWriter, dumpFooter, verifyDumpFooter } from '../persistence/rdb-encoding.js';
import { RdbCorruptError, isRdbObjectType, loadObject, saveObject, saveObjectType } from '../persistence/rdb-objects.js';
import type { Value } from '../store/types.js';
import { isOption, readInteger } from './parse.js';
import type { Client, CommandSpec, ServerContext } from './types.js';


/** createDumpPayload: object type, object, RDB version, CRC64. */
export function createDumpPayload(server: ServerContext, value: Value): Buffer {
  const w = new RdbWriter();
  const config = server.encoding;
  saveObjectType(w, value, config);
  saveObject(w, value, { compress: server.config.get('rdbcompression'), config });
  return dumpFooter(w.finish());
}

/**
 * verifyDumpPayload then rdbLoadObjectType + rdbLoadObject: the value, or
 * null for any payload RESTORE answers "Bad data format" to (corrupt,
 * unknown type, an empty collection, bytes left over are not checked, as
 * in Redis). The caller has verified the footer.
 */
export function loadDumpPayload(server: ServerContext, payload: Buffer): Value | null {
  const reader = new RdbReader(payload.subarray(0, payload.length - 10));
  const type = reader.type();
  if (type === null || !isRdbObjectType(type)) return null;
  try {
    return loadObject(reader, type, server.encoding);
  } catch (error) {
    if (error instanceof RdbCorruptError) return null;
    throw error;
  }
}

/** DUMP key */
function dumpCommand(c: Client, argv: string[]): void {
  const value = c.db.lookupRead(argv[1]!);
  if (value === undefined) {
    c.reply.nullBulk();
    return;
  }
  c.reply.bulkBuffer(createDumpPayload(c.server, value));
}

export const dumpSpec: CommandSpec = {
  name: 'dump',
  arity: 2,
  flags: ['readonly'],
  firstKey: 1,
  lastKey: 1,
  keyStep: 1,
  group: 'generic',
  summary: 'Return a serialized version of the value stored at the specified key.',
  since: '2.6.0',
  complexity:
    'O(1) to access the key and additional O(N*M) to serialize it, where N is the number of Redis objects composing the value and M their average size. For small string values the time complexity is thus O(1)+O(1*M) where M is small, so simply O(1).',
  syntax: 'key',
  handler: dumpCommand,
};

/**
 * RESTORE key ttl serialized-value [REPLACE] [ABSTTL] [IDLETIME seconds] [FREQ frequency]
 *
 * restoreCommand's order: the options left to right, BUSYKEY, the TTL, the
 * footer, the payload. A relative TTL propagates as an absolute one with
 * ABSTTL; a TTL already past deletes the old key (propagated as DEL) and
 * stores nothing.
 */
function restoreCommand(c: Client, argv: string[]): void {
  let replace = false;
  let absttl = false;
  let lfuFreq = -1;
  let lruIdle = -1;
  for (let j = 4; j < argv.length; j++) {
    const additional = argv.length - j - 1;
    const option = argv[j]!;
    if (isOption(option, 'replace')) {
      replace = true;
    } else if (isOption(option, 'absttl')) {
      absttl = true;
    } else if (isOption(option, 'idletime') && additional >= 1 && lfuFreq === -1) {
      const idle = readInteger(c, argv[j + 1]!);
      if (idle === null) return;
      if (idle < 0) {
        c.reply.error(persistenceErrors.invalidIdletime);
        return;
      }
      lruIdle = idle;
      j++;
    } else if (isOption(option, 'freq') && additional >= 1 && lruIdle === -1) {
      const freq = readInteger(c, argv[j + 1]!);
      if (freq === null) return;
      if (freq < 0 || freq > 255) {
        c.reply.error(persistenceErrors.invalidFreq);
        return;
      }
      lfuFreq = freq;
      j++;
    } else {
      c.reply.error(errors.syntax);
      return;
    }
  }
  const db = c.db;
  const key = argv[1]!;
  if (!replace && db.lookupWrite(key) !== undefined) {
    c.reply.error(persistenceErrors.busyKey);
    return;
  }
  let ttl = readInteger(c, argv[2]!);
  if (ttl === null) return;
  if (ttl < 0) {
    c.reply.error(persistenceErrors.invalidTtl);
    return;
  }
  const payload = Buffer.from(argv[3]!, 'latin1');
  if (verifyDumpFooter(payload) === null) {
    c.reply.error(persistenceErrors.badDumpPayload);
    return;
  }
  const value = loadDumpPayload(c.server, payload);
  if (value === null) {
    c.reply.error(persistenceErrors.badDataFormat);
    return;
  }
  const deleted = replace && db.delete(key);
  const server = c.server;
  if (ttl !== 0 && !absttl) ttl += server.clock.now();
  if (ttl !== 0 && ttl <= server.clock.now()) {
    if (deleted) {
      server.propagation.rewrite(['DEL', key]);
      server.events.keyModified(db, key, 'del');
    }
    c.reply.raw(shared.ok);
    return;
  }
  db.add(key, value, 0, server.keyspace.restoredClock(lfuFreq, lruIdle));
  if (ttl !== 0) {
    db.setExpire(key, ttl);
    // Propagate the TTL as an absolute time.
    if (!absttl && server.propagation.active) server.propagation.rewrite([argv[0]!, key, String(ttl), ...argv.slice(3), 'ABSTTL']);
  }
  server.events.keyModified(db, key, 'restore');
  c.reply.raw(shared.ok);
}

export const restoreSpec: CommandSpec = {
  name: 'restore',
  arity: -4,
  flags: ['write', 'denyoom'],
  firstKey: 1,
  lastKey: 1,
  keyStep: 1,
  group: 'generic',
  summary: 'Create a key using the provided serialized value, previously obtained using DUMP.',
  since: '2.6.0',
  complexity:
    'O(1) to create the new key and additional O(N*M) to reconstruct the serialized value, where N is the number of Redis objects composing the value and M their average size. For small string values the time complexity is thus O(1)+O(1*M) where M is small, so simply O(1). However for sorted set values the complexity is O(N*M*log(N)) because inserting values into sorted sets is O(log(N)).',
  syntax: 'key ttl:integer serialized-value:string [REPLACE] [ABSTTL] [IDLETIME seconds:integer] [FREQ frequency:integer]',
  keyFlags: ['OW', 'update'],
  aclCategories: ['keyspace', 'dangerous'],
  handler: restoreCommand,
};
