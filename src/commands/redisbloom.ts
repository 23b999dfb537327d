/**
 * What rebloom.c's command groups (BF, CF, CMS) share: lookupStatus and its
 * error text (statusStrerror), the read-side lookup built on them, the
 * reply of a creation RedisBloom refuses, and RMUtil_ArgIndex's option search.
 */
import { errors } from '../errors.js';
import { ProbabilisticError } from '../store/probabilistic/index.js';
import type { Value } from '../store/types.js';
import type { Client } from './types.js';
import { isOption } from './parse.js';

/** rebloom.c's lookupStatus: what a key holds, from a filter command's point of view. */
export type FilterStatus = 'ok' | 'empty' | 'mismatch';

/** statusStrerror: the reply for a key that isn't what the command needs. */
export function filterStatusError(status: FilterStatus): string {
  if (status === 'empty') return errors.filterNotFound;
  if (status === 'mismatch') return errors.wrongType;
  return errors.filterItemExists;
}

/** getValue in rebloom.c: 'empty' for no key, 'mismatch' for another type. */
export function filterStatus(value: Value | undefined, kind: abstract new (...args: never[]) => object): FilterStatus {
  if (value === undefined) return 'empty';
  return value instanceof kind ? 'ok' : 'mismatch';
}

/**
 * The filter under `key` for a read-only command (BF.INFO, CF.DEBUG,
 * *.SCANDUMP, ...), or null after replying statusStrerror's text.
 */
export function readFilterOrReply<T extends object>(c: Client, key: string, kind: abstract new (...args: never[]) => T): T | null {
  const entry = c.db.lookupRead(key);
  const status = filterStatus(entry, kind);
  if (status !== 'ok') {
    c.reply.error(filterStatusError(status));
    return null;
  }
  return entry as T;
}

/** Runs `create`, replying its ProbabilisticError's text instead of throwing (CMS, TOPK). */
export function createOrReply<T>(c: Client, create: () => T): T | null {
  try {
    return create();
  } catch (e) {
    if (!(e instanceof ProbabilisticError)) throw e;
    c.reply.error(e.message);
    return null;
  }
}

/**
 * RMUtil_ArgIndex: the position of an option anywhere from `from` on, by
 * exact case-insensitive match, or -1. RedisBloom also looks at the command
 * name and the key, so a key named "NONSCALING" would set the option; we
 * start after the key.
 */
export function argIndex(argv: readonly string[], lowercaseName: string, from: number): number {
  for (let i = from; i < argv.length; i++) {
    if (isOption(argv[i]!, lowercaseName)) return i;
  }
  return -1;
}
