/**
 * Every command group. The table is built from this list, so adding a group
 * here is what makes its commands exist.
 */
import type { CommandSpec } from './types.js';
import { connectionCommands } from './connection.js';
import { stringCommands } from './strings.js';
import { keyCommands } from './keys.js';
import { serverCommands } from './server.js';
import { clientCommands } from './client.js';
import { commandCommands } from './command.js';
import { transactionCommands } from './transactions.js';
import { bloomCommands } from './bloom.js';
import { bitmapCommands } from './bitmaps.js';
import { hyperloglogCommands } from './hyperloglog.js';

export const allCommandGroups: ReadonlyArray<readonly CommandSpec[]> = [
  connectionCommands,
  stringCommands,
  keyCommands,
  serverCommands,
  clientCommands,
  commandCommands,
  transactionCommands,
  bloomCommands,
  bitmapCommands,
  hyperloglogCommands,
];
