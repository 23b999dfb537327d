import type { CommandSpec } from './types.js';

export const serverCommands: readonly CommandSpec[] = [];
