/**
 * Every command group. The table is built from this list, so adding a group
 * here is what makes its commands exist; COMMAND lists them in this order.
 */
import type { CommandSpec } from './types.js';
import { connectionCommands } from './connection-commands.js';
import { stringCommands } from './strings.js';
import { keyCommands } from './keys.js';
import { hashCommands } from './hashes.js';
import { hashFieldExpiryCommands } from './hash-field-expiry.js';
import { listCommands } from './lists.js';
import { listBlockingCommands } from './list-blocking.js';
import { setCommands } from './sets.js';
import { zsetCommands } from './zsets.js';
import { geoCommands } from './geo.js';
import { bitmapCommands } from './bitmaps.js';
import { hyperloglogCommands } from './hyperloglog.js';
import { sortCommands } from './sort.js';
import { transactionCommands } from './transactions.js';
import { serverCommands } from './server-management.js';
import { slowlogCommands } from './slowlog.js';
import { latencyCommands } from './latency.js';
import { memoryCommands } from './memory.js';
import { clientCommands } from './client.js';
import { aclCommands } from './acl.js';
import { pubsubCommands } from './pubsub.js';
import { scriptingCommands } from './scripting.js';
import { functionCommands } from './functions.js';
import { commandCommands } from './command.js';
import { bfCommands } from './bloom.js';
import { cfCommands } from './cuckoo.js';
import { cmsCommands } from './cms.js';
import { topkCommands } from './topk.js';
import { tdigestCommands } from './tdigest.js';
import { redisBloomGroup } from './module-writes.js';
import { streamCommands } from './streams.js';
import { replicationCommands } from './waitaof.js';
import { appendOnlyFileCommands } from './append-only-file.js';

export const allCommandGroups: ReadonlyArray<readonly CommandSpec[]> = [
  connectionCommands,
  stringCommands,
  keyCommands,
  hashCommands,
  hashFieldExpiryCommands,
  listCommands,
  listBlockingCommands,
  setCommands,
  zsetCommands,
  geoCommands,
  streamCommands,
  bitmapCommands,
  hyperloglogCommands,
  sortCommands,
  transactionCommands,
  serverCommands,
  slowlogCommands,
  latencyCommands,
  appendOnlyFileCommands,
  memoryCommands,
  clientCommands,
  aclCommands,
  pubsubCommands,
  scriptingCommands,
  functionCommands,
  commandCommands,
  replicationCommands,
  redisBloomGroup(bfCommands),
  redisBloomGroup(cfCommands),
  redisBloomGroup(cmsCommands),
  redisBloomGroup(topkCommands),
  redisBloomGroup(tdigestCommands),
];
