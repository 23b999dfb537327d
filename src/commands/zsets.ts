/**
 * The sorted set command group (Redis's t_zset.c): the list of its specs,
 * in the table's order. Each command's handler and spec live together by
 * subject: zset-members.ts (ZADD, ZINCRBY, ZREM, ZSCORE, ZRANK,
 * ZRANDMEMBER, ZSCAN...), zset-ranges.ts (ZRANGE and its forms,
 * ZRANGESTORE, ZCOUNT, ZREMRANGEBY*), zset-pops.ts (ZPOPMIN/MAX, ZMPOP and
 * the blocking pops) and zset-setops.ts (ZUNION, ZINTER, ZDIFF, their
 * STORE forms, ZINTERCARD).
 */
import type { CommandSpec } from './types.js';
import {
  zaddSpec,
  zcardSpec,
  zincrbySpec,
  zmscoreSpec,
  zrandmemberSpec,
  zrankSpec,
  zremSpec,
  zrevrankSpec,
  zscanSpec,
  zscoreSpec,
} from './zset-members.js';
import { bzmpopSpec, bzpopmaxSpec, bzpopminSpec, zmpopSpec, zpopmaxSpec, zpopminSpec } from './zset-pops.js';
import {
  zcountSpec,
  zlexcountSpec,
  zrangebylexSpec,
  zrangebyscoreSpec,
  zrangeSpec,
  zrangestoreSpec,
  zremrangebylexSpec,
  zremrangebyrankSpec,
  zremrangebyscoreSpec,
  zrevrangebylexSpec,
  zrevrangebyscoreSpec,
  zrevrangeSpec,
} from './zset-ranges.js';
import {
  zdiffSpec,
  zdiffstoreSpec,
  zintercardSpec,
  zinterSpec,
  zinterstoreSpec,
  zunionSpec,
  zunionstoreSpec,
} from './zset-setops.js';

export const zsetCommands: readonly CommandSpec[] = [
  zaddSpec,
  zincrbySpec,
  zremSpec,
  zcardSpec,
  zscoreSpec,
  zmscoreSpec,
  zrankSpec,
  zrevrankSpec,
  zrandmemberSpec,
  zscanSpec,
  zcountSpec,
  zlexcountSpec,
  zrangeSpec,
  zrangestoreSpec,
  zrevrangeSpec,
  zrangebyscoreSpec,
  zrevrangebyscoreSpec,
  zrangebylexSpec,
  zrevrangebylexSpec,
  zremrangebyrankSpec,
  zremrangebyscoreSpec,
  zremrangebylexSpec,
  zpopminSpec,
  zpopmaxSpec,
  bzpopminSpec,
  bzpopmaxSpec,
  zmpopSpec,
  bzmpopSpec,
  zunionSpec,
  zunionstoreSpec,
  zinterSpec,
  zinterstoreSpec,
  zintercardSpec,
  zdiffSpec,
  zdiffstoreSpec,
];
