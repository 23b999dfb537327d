/**
 * The HELP reply every container command gives (CONFIG HELP, CLIENT HELP,
 * OBJECT HELP, COMMAND HELP, DEBUG HELP): networking.c's addReplyHelp.
 */
import type { Client } from './types.js';

/**
 * addReplyHelp: every container's HELP is a header, the command's own
 * lines, then HELP's entry, all as status replies.
 */
export function replyHelp(c: Client, container: string, lines: readonly string[]): void {
  c.reply.arrayHeader(lines.length + 3);
  c.reply.simple(container + ' <subcommand> [<arg> [value] [opt] ...]. Subcommands are:');
  for (const line of lines) c.reply.simple(line);
  c.reply.simple('HELP');
  c.reply.simple('    Prints this help.');
}
