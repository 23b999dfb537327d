import type { CommandSpec } from './types.js';

export const commandCommands: readonly CommandSpec[] = [];
