import type { CommandSpec } from './types.js';

export const bloomCommands: readonly CommandSpec[] = [];
