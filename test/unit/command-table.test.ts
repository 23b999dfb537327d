/**
 * Checks on the whole command table, the one source of dispatch, arity,
 * COMMAND and key extraction:
 *
 * - every command and subcommand is fully described, and its key positions
 *   agree with its syntax: calls generated from the syntax must have their
 *   keys exactly where the table's key extraction finds them;
 * - README.md's command list is the one scripts/command-list.mjs renders.
 *
 * That every command is executed by some test is checked over the whole
 * run by test/setup/command-coverage.ts.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { describeCommand, parseSyntax, type CommandArgument } from '../../src/commands/command-docs.js';
import { allCommandGroups } from '../../src/commands/index.js';
import { arityMatches, CommandTable, type TableEntry } from '../../src/commands/table.js';
import { END_MARKER, renderCommandList, replaceCommandList, START_MARKER } from '../../scripts/command-list.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const table = new CommandTable(allCommandGroups);
const everyEntry = [...table.allEntries()];

interface SampleWord {
  text: string;
  isKey: boolean;
}

interface SampleMode {
  /** Include optional arguments, and repeat multiple ones twice. */
  full: boolean;
  /** Which alternative of each oneof. */
  pick: 'first' | 'last';
}

/**
 * A call built from a syntax tree: tokens, and a plain value for each
 * argument (keys named k0, k1...; numkeys set to the number of keys that
 * follow it).
 */
function sampleCall(args: readonly CommandArgument[], mode: SampleMode): SampleWord[] {
  const out: SampleWord[] = [];
  let keyCounter = 0;
  const emitSequence = (sequence: readonly CommandArgument[]): void => {
    for (let i = 0; i < sequence.length; i++) {
      const arg = sequence[i]!;
      if (arg.name === 'numkeys' && arg.type === 'integer' && !arg.flags.includes('optional') && i + 1 < sequence.length) {
        emit(arg);
        const slot = out[out.length - 1]!;
        const before = out.filter((word) => word.isKey).length;
        emit(sequence[++i]!);
        slot.text = String(out.filter((word) => word.isKey).length - before);
      } else {
        emit(arg);
      }
    }
  };
  const emit = (arg: CommandArgument): void => {
    if (arg.flags.includes('optional') && !mode.full) return;
    const times = arg.flags.includes('multiple') && mode.full ? 2 : 1;
    for (let n = 0; n < times; n++) {
      if (arg.token !== undefined && (n === 0 || arg.flags.includes('multiple_token'))) out.push({ text: arg.token, isKey: false });
      switch (arg.type) {
        case 'pure-token':
          break;
        case 'oneof': {
          const choices = arg.arguments!;
          emit(mode.pick === 'first' ? choices[0]! : choices[choices.length - 1]!);
          break;
        }
        case 'block':
          emitSequence(arg.arguments!);
          break;
        case 'key':
          out.push({ text: `k${keyCounter++}`, isKey: true });
          break;
        case 'integer':
          out.push({ text: '1', isKey: false });
          break;
        case 'double':
          out.push({ text: '1.5', isKey: false });
          break;
        case 'unix-time':
          out.push({ text: '1700000000', isKey: false });
          break;
        case 'pattern':
          out.push({ text: '*', isKey: false });
          break;
        case 'string':
          out.push({ text: 'v', isKey: false });
          break;
      }
    }
  };
  emitSequence(args);
  return out;
}

/** The problems with one entry, as readable lines (empty when it is fine). */
function problemsOf(entry: TableEntry): string[] {
  const spec = entry.spec;
  const problems: string[] = [];
  const prefix = entry.parent ? [entry.parent.spec.name, spec.name] : [spec.name];
  if (spec.summary.trim() === '') problems.push('empty summary');
  if (!/^\d+\.\d+\.\d+$/.test(spec.since)) problems.push(`since "${spec.since}" is not a version`);
  if (!Number.isInteger(spec.arity) || spec.arity === 0 || Math.abs(spec.arity) < prefix.length) problems.push(`invalid arity ${spec.arity}`);
  if (spec.handler === undefined && spec.subcommands === undefined) problems.push('neither a handler nor subcommands');
  if (new Set(spec.flags).size !== spec.flags.length) problems.push('repeated flags');
  if (spec.flags.includes('write') && spec.flags.includes('readonly')) problems.push('both write and readonly');
  if (spec.firstKey === 0) {
    if (spec.lastKey !== 0 || spec.keyStep !== 0) problems.push('no first key but a last key or step');
  } else if (spec.keyStep < 1 || (spec.lastKey >= 0 && spec.lastKey < spec.firstKey) || spec.firstKey < prefix.length) {
    problems.push(`bad key positions ${spec.firstKey}/${spec.lastKey}/${spec.keyStep}`);
  }
  if (spec.subcommands !== undefined && spec.handler === undefined) return problems;
  // A variadic command with no syntax is one Redis documents without
  // arguments (DEBUG): there is nothing to check its arity against.
  if (spec.syntax === undefined && spec.arity < 0 && spec.arity !== -1) return problems;

  let args: CommandArgument[];
  try {
    args = spec.syntax === undefined ? [] : parseSyntax(spec.syntax);
  } catch (error) {
    problems.push((error as Error).message);
    return problems;
  }
  describeCommand(spec, entry.parent !== null);
  const modes: SampleMode[] = [
    { full: false, pick: 'first' },
    { full: true, pick: 'first' },
    { full: true, pick: 'last' },
  ];
  for (const mode of modes) {
    const words = sampleCall(args, mode);
    const argv = [...prefix, ...words.map((word) => word.text)];
    const shown = argv.join(' ');
    // Every call the syntax allows must pass the arity check. The arity may
    // accept shorter calls than the docs show (PFMERGE destkey, in Redis 7.0).
    if (!mode.full && spec.arity > 0 && argv.length !== spec.arity) {
      problems.push(`the shortest call the syntax allows, "${shown}", has ${argv.length} arguments but the arity is ${spec.arity}`);
    } else if (!arityMatches(spec.arity, argv.length)) {
      problems.push(`"${shown}" (from the syntax) does not fit arity ${spec.arity}`);
    }
    const expectedKeys = words.flatMap((word, i) => (word.isKey ? [prefix.length + i] : []));
    let found: number[];
    try {
      found = table.keyPositions(entry, argv);
    } catch (error) {
      problems.push(`key extraction throws on "${shown}": ${(error as Error).message}`);
      continue;
    }
    // A not_key spec (SSUBSCRIBE's shard channels) finds positions that the docs call strings, as Redis documents them.
    const notKeys = spec.keyFlags?.includes('not_key') === true;
    if (!notKeys && JSON.stringify(found) !== JSON.stringify(expectedKeys)) {
      problems.push(`keys of "${shown}": the syntax says positions [${expectedKeys.join(', ')}], the table finds [${found.join(', ')}]`);
    }
  }
  return [...new Set(problems)];
}

describe('the command table', () => {
  it('describes every command completely, with key positions that agree with its syntax', () => {
    const report = everyEntry.flatMap((entry) => problemsOf(entry).map((problem) => `${entry.fullName}: ${problem}`));
    expect(report, report.join('\n')).toEqual([]);
  });

  it('finds a command again after a compat version hides or shows it (the last lookup is remembered)', () => {
    const own = new CommandTable(allCommandGroups);
    const digest = own.lookup('DIGEST');
    expect(digest?.spec.name).toBe('digest');
    // The same name again, as a pipeline repeats it: the same entry.
    expect(own.lookup('DIGEST')).toBe(digest);
    own.showUpTo('7.0');
    expect(own.lookup('DIGEST')).toBeUndefined();
    expect(own.lookup('digest')).toBeUndefined();
    own.showUpTo('');
    expect(own.lookup('DIGEST')).toBe(digest);
    // Another name in between, in another case, and a name that is no command.
    expect(own.lookup('get')?.spec.name).toBe('get');
    expect(own.lookup('GeT')?.spec.name).toBe('get');
    expect(own.lookup('nosuchcommand')).toBeUndefined();
    expect(own.lookup('nosuchcommand')).toBeUndefined();
    expect(own.lookup('digest')).toBe(digest);
  });

  it('counts commands the way COMMAND COUNT does', () => {
    const topLevel = allCommandGroups.reduce((sum, group) => sum + group.length, 0);
    expect(table.size).toBe(topLevel);
    expect(everyEntry.length).toBeGreaterThanOrEqual(topLevel);
  });
});

describe('README.md', () => {
  it("holds the command list generated from the table (node scripts/command-list.mjs --write README.md)", () => {
    const readmePath = path.join(root, 'README.md');
    expect(fs.existsSync(readmePath), 'README.md is missing; it must embed the command list').toBe(true);
    const readme = fs.readFileSync(readmePath, 'utf8');
    expect(
      readme.includes(START_MARKER) && readme.includes(END_MARKER),
      `README.md must contain ${START_MARKER} and ${END_MARKER} lines around the command list`,
    ).toBe(true);
    const expected = replaceCommandList(readme, renderCommandList(allCommandGroups));
    expect(readme, 'README.md command list is stale: run `npm run build && node scripts/command-list.mjs --write README.md`').toBe(expected);
  });
});
