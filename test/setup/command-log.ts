/**
 * Records which commands the tests really run. Every server a test starts
 * is closed by it; just before that, the names of the table entries that
 * server called at least once are appended to a file in the directory the
 * global setup (command-coverage.ts) names. A command counts only when a
 * test made the server execute it, not when a test file merely names it.
 */
import fs from 'node:fs';
import path from 'node:path';
import { threadId } from 'node:worker_threads';
import { Server } from '../../src/server/server.js';

const logDirectory = process.env['REDDISH_COMMAND_LOG'];
const patched = Symbol.for('reddish.commandLog');
const prototype = Server.prototype as Server & { [patched]?: true };

if (logDirectory && !prototype[patched]) {
  prototype[patched] = true;
  const close = prototype.close;
  prototype.close = function (this: Server): Promise<void> {
    const executed: string[] = [];
    for (const entry of this.commands.allEntries()) if (entry.stats.calls > 0) executed.push(entry.fullName);
    if (executed.length !== 0) {
      fs.appendFileSync(path.join(logDirectory, `${process.pid}-${threadId}.log`), executed.join('\n') + '\n');
    }
    return close.call(this);
  };
}
