/**
 * The string command group (Redis's t_string.c), in the order COMMAND lists
 * it. Each spec sits beside its handler, by subject: string-values.ts (GET,
 * SET and variants, MGET/MSET), string-counters.ts (INCR..., INCRBYFLOAT)
 * string-ranges.ts (APPEND, STRLEN, SETRANGE, GETRANGE, LCS) and
 * string-digest.ts (Redis 8.4's DIGEST and DELEX).
 *
 * A string value is a latin1 JS string, so every handler is binary safe.
 */
import { decrbySpec, decrSpec, incrbyfloatSpec, incrbySpec, incrSpec } from './string-counters.js';
import { appendSpec, getrangeSpec, lcsSpec, setrangeSpec, strlenSpec, substrSpec } from './string-ranges.js';
import { getdelSpec, getexSpec, getsetSpec, getSpec, mgetSpec, msetexSpec, msetnxSpec, msetSpec, psetexSpec, setexSpec, setnxSpec, setSpec } from './string-values.js';
import { delexSpec, digestSpec } from './string-digest.js';
import type { CommandSpec } from './types.js';

export const stringCommands: readonly CommandSpec[] = [
  getSpec,
  setSpec,
  setnxSpec,
  setexSpec,
  psetexSpec,
  mgetSpec,
  msetSpec,
  msetnxSpec,
  getsetSpec,
  getdelSpec,
  getexSpec,
  incrSpec,
  decrSpec,
  incrbySpec,
  decrbySpec,
  incrbyfloatSpec,
  appendSpec,
  strlenSpec,
  getrangeSpec,
  substrSpec,
  setrangeSpec,
  lcsSpec,
  // Redis 8.4's (string-digest.ts and string-values.ts).
  msetexSpec,
  digestSpec,
  delexSpec,
];
