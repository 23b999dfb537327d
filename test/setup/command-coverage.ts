/**
 * Vitest global setup: when REDDISH_COMMAND_COVERAGE=1 (npm test sets it),
 * the run must execute every command and subcommand in the table at least
 * once, as Garnet keeps a test that fails when an advertised command has no
 * test. command-log.ts records what each test's server executed; after the
 * last file this compares that with the table and fails the run on a gap.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { allCommandGroups } from '../../src/commands/index.js';
import { CommandTable } from '../../src/commands/table.js';

export default function setup(): (() => void) | undefined {
  if (process.env['REDDISH_COMMAND_COVERAGE'] !== '1') return undefined;
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'reddish-command-log-'));
  process.env['REDDISH_COMMAND_LOG'] = directory;
  return () => {
    const executed = new Set<string>();
    for (const file of fs.readdirSync(directory)) {
      for (const name of fs.readFileSync(path.join(directory, file), 'utf8').split('\n')) if (name) executed.add(name);
    }
    fs.rmSync(directory, { recursive: true, force: true });
    const missing: string[] = [];
    for (const entry of new CommandTable(allCommandGroups).allEntries()) {
      // A container (CONFIG, CLIENT...) runs only as its subcommands.
      if (entry.subcommands === null && !executed.has(entry.fullName)) missing.push(entry.fullName);
    }
    if (missing.length !== 0) {
      // Vitest reports an error thrown here but still exits 0, so the exit code is set as well.
      process.stdout.write(`\ncommand coverage: FAILED, no test executed: ${missing.join(', ')}\n`);
      process.exitCode = 1;
      throw new Error(`no test executed these commands: ${missing.join(', ')}`);
    }
  };
}
