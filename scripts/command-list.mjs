#!/usr/bin/env node
/**
 * The README's command list, generated from the command table so that it
 * can't drift from what the server actually answers to.
 *
 *   node scripts/command-list.mjs                   print the list (Markdown)
 *   node scripts/command-list.mjs --write README.md replace the list in README.md
 *   node scripts/command-list.mjs --check README.md exit 1 if README.md's list is stale
 *
 * The list sits between two marker lines, which must each be alone on
 * their line:
 *
 *   <!-- commands:start -->
 *   ...generated...
 *   <!-- commands:end -->
 *
 * Everything between them is replaced; the markers themselves stay. Reads
 * the built table in dist/, so run `npm run build` first.
 * test/unit/command-table.test.ts renders the list from the sources with
 * the same function and fails when README.md differs.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const START_MARKER = '<!-- commands:start -->';
export const END_MARKER = '<!-- commands:end -->';

/** Headings for Redis's group names; a group missing here is shown by its own name. */
const GROUP_TITLES = {
  generic: 'Keys',
  string: 'Strings',
  list: 'Lists',
  set: 'Sets',
  'sorted-set': 'Sorted sets',
  hash: 'Hashes',
  pubsub: 'Pub/Sub',
  transactions: 'Transactions',
  connection: 'Connection',
  server: 'Server',
  scripting: 'Scripting',
  hyperloglog: 'HyperLogLog',
  cluster: 'Cluster',
  geo: 'Geospatial',
  stream: 'Streams',
  bitmap: 'Bitmaps',
  bf: 'Bloom filters',
  cf: 'Cuckoo filters',
  cms: 'Count-min sketch',
  topk: 'Top-K',
};

/** A summary inside a Markdown table cell. */
function cell(text) {
  return text.replace(/\|/g, '\\|').replace(/\s+/g, ' ').trim();
}

/**
 * The Markdown list for the given command groups (the modules' CommandSpec
 * lists, as src/commands/index.ts gathers them): one table per Redis group,
 * groups in the order their first command appears, commands sorted by name,
 * a container's subcommands listed as `CONFIG GET` rather than the container.
 *
 * @param {ReadonlyArray<ReadonlyArray<{name: string, group: string, summary: string, subcommands?: ReadonlyArray<{name: string, summary: string}>}>>} commandGroups
 * @returns {string}
 */
export function renderCommandList(commandGroups) {
  /** @type {Map<string, Array<[string, string]>>} */
  const byGroup = new Map();
  let commands = 0;
  for (const specs of commandGroups) {
    for (const spec of specs) {
      commands++;
      if (!byGroup.has(spec.group)) byGroup.set(spec.group, []);
      const list = byGroup.get(spec.group);
      const name = spec.name.toUpperCase();
      if (spec.subcommands) {
        for (const sub of spec.subcommands) list.push([`${name} ${sub.name.toUpperCase()}`, sub.summary]);
      } else {
        list.push([name, spec.summary]);
      }
    }
  }
  const lines = [`reddish answers to ${commands} commands. This list is generated from the command table by \`scripts/command-list.mjs\`.`];
  for (const [group, list] of byGroup) {
    list.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    lines.push('', `### ${GROUP_TITLES[group] ?? group}`, '', '| Command | Summary |', '| --- | --- |');
    for (const [name, summary] of list) lines.push(`| \`${name}\` | ${cell(summary)} |`);
  }
  return lines.join('\n') + '\n';
}

/**
 * `text` with the part between the markers replaced by `list`. Throws if
 * the markers are missing, repeated or out of order.
 *
 * @param {string} text
 * @param {string} list
 * @returns {string}
 */
export function replaceCommandList(text, list) {
  const start = text.indexOf(START_MARKER);
  const end = text.indexOf(END_MARKER);
  if (start === -1 || end === -1 || end < start) {
    throw new Error(`the markers ${START_MARKER} and ${END_MARKER} must both be present, in that order`);
  }
  if (text.indexOf(START_MARKER, start + 1) !== -1 || text.indexOf(END_MARKER, end + 1) !== -1) {
    throw new Error('the command list markers appear more than once');
  }
  const newline = text.includes('\r\n') ? '\r\n' : '\n';
  const body = list.replace(/\n/g, newline);
  return text.slice(0, start + START_MARKER.length) + newline + body + text.slice(end);
}

async function main(argv) {
  const here = path.dirname(fileURLToPath(import.meta.url));
  const built = path.join(here, '..', 'dist', 'commands', 'index.js');
  if (!fs.existsSync(built)) {
    console.error(`command-list: ${built} is missing; run \`npm run build\` first`);
    return 2;
  }
  const { allCommandGroups } = await import(pathToFileURL(built).href);
  const list = renderCommandList(allCommandGroups);
  const [mode, file] = argv;
  if (mode === undefined) {
    process.stdout.write(list);
    return 0;
  }
  if ((mode !== '--write' && mode !== '--check') || file === undefined || argv.length > 2) {
    console.error('usage: command-list.mjs [--write FILE | --check FILE]');
    return 2;
  }
  const current = fs.readFileSync(file, 'utf8');
  let updated;
  try {
    updated = replaceCommandList(current, list);
  } catch (error) {
    console.error(`command-list: ${file}: ${error.message}`);
    return 1;
  }
  if (mode === '--check') {
    if (updated === current) return 0;
    console.error(`command-list: the command list in ${file} is stale; run \`node scripts/command-list.mjs --write ${file}\``);
    return 1;
  }
  if (updated !== current) fs.writeFileSync(file, updated);
  return 0;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = await main(process.argv.slice(2));
}
