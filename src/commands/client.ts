import type { CommandSpec } from './types.js';

export const clientCommands: readonly CommandSpec[] = [];
