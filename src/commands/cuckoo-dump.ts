/**
 * CF.SCANDUMP and CF.LOADCHUNK (rebloom.c): a cuckoo filter saved and
 * restored chunk by chunk, the first chunk carrying the header. Each
 * command's spec follows its handler; cuckoo.ts lists them with the other
 * CF commands.
 */
import { errors } from '../errors.js';
import { shared } from '../protocol/reply.js';
import type { Client, CommandSpec } from './types.js';
import { CuckooFilter, ProbabilisticError } from '../store/probabilistic/index.js';
import { parseInteger } from '../text/numbers.js';
import { filterStatus, filterStatusError, readFilterOrReply } from './redisbloom.js';

/**
 * A dump position: CF.SCANDUMP and CF.LOADCHUNK check it before the key.
 * Negative positions are refused too, as RedisBloom's own tests expect.
 */
function readPosition(c: Client, text: string, allowZero: boolean): number | null {
  const position = parseInteger(text);
  if (position === null || position < 0 || (position === 0 && !allowZero)) {
    c.reply.error(errors.cfInvalidPosition);
    return null;
  }
  return position;
}

/**
 * CF.SCANDUMP key iterator
 *
 * [next iterator, chunk], [0, nil] at the end or for an empty filter.
 */
function cfScandumpCommand(c: Client, argv: string[]): void {
  const position = readPosition(c, argv[2]!, true);
  if (position === null) return;
  const filter = readFilterOrReply(c, argv[1]!, CuckooFilter);
  if (filter === null) return;
  const chunk = filter.scanDump(position);
  c.reply.arrayHeader(2);
  c.reply.integer(chunk.iter);
  c.reply.bulkOrNull(chunk.data);
}

export const cfScandumpSpec: CommandSpec = {
  name: 'cf.scandump',
  arity: 3,
  flags: ['readonly', 'fast'],
  firstKey: 1,
  lastKey: 1,
  keyStep: 1,
  group: 'cf',
  summary: 'Begins an incremental save of the bloom filter',
  since: '1.0.0',
  complexity: 'O(n), where n is the capacity',
  syntax: 'key iterator:integer',
  handler: cfScandumpCommand,
};

/**
 * CF.LOADCHUNK key iterator data
 *
 * Iterator 1 carries the header and creates the key.
 */
function cfLoadchunkCommand(c: Client, argv: string[]): void {
  const position = readPosition(c, argv[2]!, false);
  if (position === null) return;
  const key = argv[1]!;
  const entry = c.db.lookupWrite(key);
  const status = filterStatus(entry, CuckooFilter);
  try {
    if (position === 1) {
      if (status !== 'empty') {
        c.reply.error(filterStatusError(status));
        return;
      }
      c.db.add(key, CuckooFilter.fromHeader(argv[3]!));
    } else {
      if (status !== 'ok') {
        c.reply.error(filterStatusError(status));
        return;
      }
      (entry! as CuckooFilter).loadChunk(position, argv[3]!);
    }
  } catch (e) {
    if (!(e instanceof ProbabilisticError)) throw e;
    c.reply.error(e.message);
    return;
  }
  c.reply.raw(shared.ok);
}

export const cfLoadchunkSpec: CommandSpec = {
  name: 'cf.loadchunk',
  arity: 4,
  flags: ['write', 'denyoom'],
  firstKey: 1,
  lastKey: 1,
  keyStep: 1,
  group: 'cf',
  summary: 'Restores a filter previously saved using SCANDUMP',
  since: '1.0.0',
  complexity: 'O(n), where n is the capacity',
  syntax: 'key iterator:integer data',
  handler: cfLoadchunkCommand,
};
