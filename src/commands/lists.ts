/**
 * The list command group (Redis's t_list.c), without the blocking family
 * (list-blocking.ts), in the order COMMAND lists it. The commands live by
 * subject: list-push-pop.ts (the ends: push, pop, LMOVE, LMPOP) and
 * list-elements.ts (by index or value: LLEN, LRANGE, LINDEX, LSET, LINSERT,
 * LREM, LTRIM, LPOS); what they share is in list-type.ts.
 */
import { lindexSpec, linsertSpec, llenSpec, lposSpec, lrangeSpec, lremSpec, lsetSpec, ltrimSpec } from './list-elements.js';
import {
  lmoveSpec,
  lmpopSpec,
  lpopSpec,
  lpushSpec,
  lpushxSpec,
  rpoplpushSpec,
  rpopSpec,
  rpushSpec,
  rpushxSpec,
} from './list-push-pop.js';
import type { CommandSpec } from './types.js';

export const listCommands: readonly CommandSpec[] = [
  lpushSpec,
  rpushSpec,
  lpushxSpec,
  rpushxSpec,
  lpopSpec,
  rpopSpec,
  llenSpec,
  lrangeSpec,
  lindexSpec,
  lsetSpec,
  linsertSpec,
  lremSpec,
  ltrimSpec,
  lposSpec,
  lmoveSpec,
  rpoplpushSpec,
  lmpopSpec,
];
