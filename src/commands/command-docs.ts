/**
 * What COMMAND DOCS and COMMAND INFO say about a command's arguments and
 * keys, derived from the table alone: the argument tree from a spec's
 * `syntax`, the key specs from its key positions.
 *
 * The syntax is Redis's docs notation (see CommandSpec.syntax):
 *
 *   key value [NX | XX] [GET] [EX seconds:integer | PX milliseconds:integer | KEEPTTL]
 *
 * `name` is a string argument, `name:type` a typed one, `key` (or `:key`) a
 * key; an UPPERCASE word is a token, which names the argument after it or,
 * alone, is a pure-token; `[ ]` is optional, `( )` groups, `a | b` chooses;
 * `x [x ...]` makes x "multiple". The result has the shape of Redis 7.0's
 * argument tables (src/commands/*.json, reply built by addReplyCommandArgList).
 */
import type { CommandSpec } from './types.js';

export type ArgumentType =
  | 'string'
  | 'integer'
  | 'double'
  | 'key'
  | 'pattern'
  | 'unix-time'
  | 'pure-token'
  | 'oneof'
  | 'block';

export type ArgumentFlag = 'optional' | 'multiple' | 'multiple_token';

/** One entry of COMMAND DOCS "arguments". */
export interface CommandArgument {
  name: string;
  type: ArgumentType;
  /** For keys: which of the command's key specs finds this key. */
  keySpecIndex?: number;
  token?: string;
  /** In Redis's reply order: optional, multiple, multiple_token. */
  flags: ArgumentFlag[];
  /** For oneof and block. */
  arguments?: CommandArgument[];
}

/** One entry of COMMAND INFO's key specifications. */
export interface KeySpec {
  /** Access flags (RO, RW, access...), plus `incomplete` for a spec that can't name every key. */
  flags: string[];
  beginSearch: { type: 'index'; index: number } | { type: 'keyword'; keyword: string; startfrom: number } | { type: 'unknown' };
  findKeys:
    | { type: 'range'; lastkey: number; keystep: number; limit: number }
    | { type: 'keynum'; keynumidx: number; firstkey: number; keystep: number }
    | { type: 'unknown' };
}

export interface CommandDescription {
  arguments: CommandArgument[];
  keySpecs: KeySpec[];
}

/** A spec that may declare keyFlags/aclCategories (both are CommandSpec fields). */
export type DocumentedSpec = CommandSpec;

const VALUE_TYPES = new Set<string>(['string', 'integer', 'double', 'key', 'pattern', 'unix-time']);
const FLAG_ORDER: readonly ArgumentFlag[] = ['optional', 'multiple', 'multiple_token'];

// ---------------------------------------------------------------------------
// Parsing: text → a raw tree of words and groups
// ---------------------------------------------------------------------------

type RawItem =
  | { kind: 'word'; text: string }
  | { kind: 'group'; optional: boolean; alternatives: RawItem[][]; repeat: boolean }
  /** `x [x ...]` after merging: the repeated items. */
  | { kind: 'repeat'; items: RawItem[] };

export class SyntaxSpecError extends Error {
  override name = 'SyntaxSpecError';
}

function tokenize(syntax: string): string[] {
  return syntax.match(/\.\.\.|[[\]()|]|[^\s[\]()|]+/g) ?? [];
}

/** A token is a word without lowercase letters: NX, EX, `*`, `=`, `~`. */
function isTokenWord(item: RawItem | undefined): item is { kind: 'word'; text: string } {
  return item !== undefined && item.kind === 'word' && !/[a-z:]/.test(item.text);
}

class Parser {
  private pos = 0;
  constructor(
    private readonly words: string[],
    private readonly syntax: string,
  ) {}

  fail(message: string): never {
    throw new SyntaxSpecError(`${message} in syntax ${JSON.stringify(this.syntax)}`);
  }

  /** Alternatives up to `close` (or the end when close is null). */
  alternatives(close: string | null): { alternatives: RawItem[][]; repeat: boolean } {
    const alternatives: RawItem[][] = [[]];
    let repeat = false;
    for (;;) {
      const word = this.words[this.pos];
      if (word === undefined) {
        if (close !== null) this.fail(`missing '${close}'`);
        break;
      }
      this.pos++;
      if (word === close) break;
      const current = alternatives[alternatives.length - 1]!;
      if (repeat) this.fail("'...' must end its group");
      if (word === '|') {
        if (current.length === 0) this.fail("empty alternative before '|'");
        alternatives.push([]);
      } else if (word === '[' || word === '(') {
        const inner = this.alternatives(word === '[' ? ']' : ')');
        current.push({ kind: 'group', optional: word === '[', ...inner });
      } else if (word === ']' || word === ')') {
        this.fail(`unexpected '${word}'`);
      } else if (word === '...') {
        if (close !== ']' || alternatives.length > 1 || current.length === 0) this.fail("'...' outside '[x ...]'");
        repeat = true;
      } else {
        current.push({ kind: 'word', text: word });
      }
    }
    if (alternatives[alternatives.length - 1]!.length === 0 && (alternatives.length > 1 || close !== null)) {
      this.fail('empty group or alternative');
    }
    return { alternatives, repeat };
  }
}

/** Text of raw items, to tell whether `[x ...]` repeats what precedes it. */
function rawText(items: readonly RawItem[]): string {
  return items
    .map((item) => {
      if (item.kind === 'word') return item.text;
      if (item.kind === 'repeat') return `{${rawText(item.items)}}`;
      const inner = item.alternatives.map(rawText).join(' | ');
      return item.optional ? `[${inner}${item.repeat ? ' ...' : ''}]` : `(${inner})`;
    })
    .join(' ');
}

/** Folds `x [x ...]` and `k v [k v ...]` into one repeat item. */
function mergeRepeats(items: readonly RawItem[], fail: (message: string) => never): RawItem[] {
  const out: RawItem[] = [];
  for (const item of items) {
    if (item.kind !== 'group' || !item.repeat) {
      out.push(item);
      continue;
    }
    const repeated = item.alternatives[0]!;
    const preceding = out.slice(out.length - repeated.length);
    if (preceding.length !== repeated.length || rawText(preceding) !== rawText(repeated)) {
      fail(`'[${rawText(repeated)} ...]' does not repeat the arguments before it`);
    }
    out.splice(out.length - repeated.length, repeated.length, { kind: 'repeat', items: repeated });
  }
  return out;
}

// ---------------------------------------------------------------------------
// Conversion: raw tree → Redis's argument tree
// ---------------------------------------------------------------------------

function addFlag(arg: CommandArgument, flag: ArgumentFlag): void {
  if (!arg.flags.includes(flag)) arg.flags.push(flag);
  arg.flags.sort((a, b) => FLAG_ORDER.indexOf(a) - FLAG_ORDER.indexOf(b));
}

/**
 * Unnamed groups get the names of their members joined with '-'. Redis's
 * JSON files name them by hand ("condition", "expiration"); clients such as
 * redis-cli show tokens and member names, never a group's own name.
 */
function joinNames(args: readonly CommandArgument[]): string {
  return args.map((arg) => arg.name).join('-');
}

class Converter {
  constructor(private readonly fail: (message: string) => never) {}

  sequence(raw: readonly RawItem[]): CommandArgument[] {
    const items = mergeRepeats(raw, this.fail);
    const out: CommandArgument[] = [];
    for (let i = 0; i < items.length; i++) {
      const item = items[i]!;
      if (isTokenWord(item)) {
        const next = items[i + 1];
        if (next !== undefined && !isTokenWord(next)) {
          out.push(this.withToken(this.item(next), item.text));
          i++;
        } else {
          // `""` is MIGRATE's empty-string key: a pure token whose text is empty.
          const token = item.text === '""' ? '' : item.text;
          out.push({ name: token === '' ? 'empty_string' : item.text.toLowerCase(), type: 'pure-token', token, flags: [] });
        }
      } else {
        out.push(this.item(item));
      }
    }
    return out;
  }

  private item(item: RawItem): CommandArgument {
    if (item.kind === 'word') return this.word(item.text);
    if (item.kind === 'repeat') return this.repeat(item.items);
    const alternatives = item.alternatives.map((alternative) => this.alternative(alternative));
    const arg: CommandArgument =
      alternatives.length === 1
        ? alternatives[0]!
        : { name: joinNames(alternatives), type: 'oneof', flags: [], arguments: alternatives };
    if (item.optional) addFlag(arg, 'optional');
    return arg;
  }

  private word(text: string): CommandArgument {
    const colon = text.indexOf(':');
    const name = colon === -1 ? text : text.slice(0, colon);
    const type = colon === -1 ? (name === 'key' ? 'key' : 'string') : text.slice(colon + 1);
    if (!/^[a-z][a-z0-9_-]*$/.test(name)) this.fail(`bad argument name '${name}'`);
    if (!VALUE_TYPES.has(type)) this.fail(`unknown argument type '${type}'`);
    return { name, type: type as ArgumentType, flags: [] };
  }

  /** `x [x ...]`, `TOKEN x [TOKEN x ...]`, `TOKEN a b [TOKEN a b ...]` or `k v [k v ...]`. */
  private repeat(items: RawItem[]): CommandArgument {
    let arg: CommandArgument;
    if (items.length === 1) {
      arg = this.item(items[0]!);
    } else if (isTokenWord(items[0]) && !isTokenWord(items[1])) {
      arg = this.alternative(items);
      addFlag(arg, 'multiple_token');
    } else {
      const members = this.sequence(items);
      arg = { name: joinNames(members), type: 'block', flags: [], arguments: members };
    }
    addFlag(arg, 'multiple');
    return arg;
  }

  /** One alternative of a group: `TOKEN a b` is a block led by its token. */
  private alternative(items: RawItem[]): CommandArgument {
    const merged = mergeRepeats(items, this.fail);
    const first = merged[0];
    if (isTokenWord(first) && merged.length > 2) {
      return { name: first.text.toLowerCase(), type: 'block', token: first.text, flags: [], arguments: this.sequence(merged.slice(1)) };
    }
    const members = this.sequence(merged);
    if (members.length === 1) return members[0]!;
    return { name: joinNames(members), type: 'block', flags: [], arguments: members };
  }

  /** A token names the argument after it; a group it leads is named after it, as Redis does. */
  private withToken(arg: CommandArgument, token: string): CommandArgument {
    // `TOKEN [OTHER x]` is a block of one optional argument led by TOKEN (XINFO STREAM's `FULL [COUNT count]`).
    if (arg.token !== undefined && arg.flags.includes('optional')) return { name: token.toLowerCase(), type: 'block', token, flags: [], arguments: [arg] };
    if (arg.token !== undefined) this.fail(`token ${token} before an argument that has one (${arg.token})`);
    arg.token = token;
    if (arg.type === 'oneof' || arg.type === 'block') arg.name = token.toLowerCase();
    return arg;
  }
}

/** The argument tree of a syntax string. Throws SyntaxSpecError on malformed syntax. */
export function parseSyntax(syntax: string): CommandArgument[] {
  const parser = new Parser(tokenize(syntax), syntax);
  const { alternatives } = parser.alternatives(null);
  if (alternatives.length > 1) parser.fail("top-level '|' (wrap the choice in '( )')");
  return new Converter((message) => parser.fail(message)).sequence(alternatives[0]!);
}

// ---------------------------------------------------------------------------
// Key specs
// ---------------------------------------------------------------------------

/** Every key argument in the tree, depth first (the order Redis lists them). */
function keyArguments(args: readonly CommandArgument[], out: CommandArgument[] = []): CommandArgument[] {
  for (const arg of args) {
    if (arg.type === 'key') out.push(arg);
    if (arg.arguments) keyArguments(arg.arguments, out);
  }
  return out;
}

/**
 * The flags of a command's keys (key specs, GETKEYSANDFLAGS). By default
 * the most common pair in Redis's JSON files: RO + access for commands that
 * don't write (the command reads the value), RW + access + update for
 * those that do (it may read and modify it), which is also the safe
 * superset for a client that routes or checks by these flags.
 */
export function keyFlags(spec: CommandSpec): readonly string[] {
  const declared = spec.keyFlags;
  if (declared !== undefined) return declared;
  return spec.flags.includes('write') ? ['RW', 'access', 'update'] : ['RO', 'access'];
}

/**
 * The key specs of a command, and each key argument's key_spec_index.
 *
 * Without a `keys` function the keys are exactly first/last/step, which is
 * one index + range spec, as Redis derives for first/last/step (lastkey is
 * relative to the first key unless negative).
 *
 * With a `keys` function the positions depend on the call, so the specs come
 * from the syntax: keys at fixed positions before the first optional or
 * variable argument get index specs, `numkeys key [key ...]` gets a keynum
 * spec (ZUNIONSTORE, EVAL, LMPOP), and any other key argument (behind a
 * STORE or STREAMS option) shares one unknown spec flagged `incomplete`, the
 * way Redis describes keys it can't locate without parsing the call.
 */
/** How many argv slots a mandatory argument takes, or null when its width varies. */
function fixedWidth(arg: CommandArgument): number | null {
  if (arg.flags.length !== 0 || arg.type === 'oneof') return null;
  const token = arg.token !== undefined && arg.type !== 'pure-token' ? 1 : 0;
  if (arg.type !== 'block') return token + 1;
  let width = token;
  for (const child of arg.arguments ?? []) {
    const w = fixedWidth(child);
    if (w === null) return null;
    width += w;
  }
  return width;
}

/**
 * `TOKEN (key [key ...] other [other ...])`, XREAD's STREAMS: Redis's
 * keyword key spec, searching for the token from the first argument after
 * the fixed ones, the keys being the first half of what follows it.
 */
function keywordKeySpec(args: readonly CommandArgument[], firstPosition: number, flags: readonly string[]): KeySpec | null {
  let startfrom = firstPosition;
  let fixed = true;
  for (const arg of args) {
    const inner = arg.type === 'block' ? arg.arguments ?? [] : [];
    if (arg.token !== undefined && inner.length === 2 && inner[0]!.type === 'key' && inner[0]!.flags.includes('multiple') && inner[1]!.flags.includes('multiple')) {
      inner[0]!.keySpecIndex = 0;
      return {
        flags: [...flags],
        beginSearch: { type: 'keyword', keyword: arg.token, startfrom },
        findKeys: { type: 'range', lastkey: -1, keystep: 1, limit: 2 },
      };
    }
    const width = fixed ? fixedWidth(arg) : null;
    if (width === null) fixed = false;
    else startfrom += width;
  }
  return null;
}

function buildKeySpecs(spec: CommandSpec, args: readonly CommandArgument[], firstPosition: number): KeySpec[] {
  const flags = keyFlags(spec);
  const keys = keyArguments(args);
  if (spec.keys === undefined) {
    for (const key of keys) key.keySpecIndex = 0;
    if (spec.firstKey === 0) return [];
    const lastkey = spec.lastKey < 0 ? spec.lastKey : spec.lastKey - spec.firstKey;
    return [
      {
        flags: [...flags],
        beginSearch: { type: 'index', index: spec.firstKey },
        findKeys: { type: 'range', lastkey, keystep: spec.keyStep, limit: 0 },
      },
    ];
  }

  const keyword = keywordKeySpec(args, firstPosition, flags);
  if (keyword !== null) return [keyword];
  const specs: KeySpec[] = [];
  let position = firstPosition;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    const next = args[i + 1];
    if (arg.name === 'numkeys' && arg.type === 'integer' && !arg.flags.includes('optional') && next?.type === 'key' && next.flags.includes('multiple') && next.token === undefined) {
      next.keySpecIndex = specs.length;
      specs.push({
        flags: [...flags],
        beginSearch: { type: 'index', index: position },
        findKeys: { type: 'keynum', keynumidx: 0, firstkey: 1, keystep: 1 },
      });
      break;
    }
    const fixedWidth = arg.flags.length === 0 && arg.type !== 'oneof' && arg.type !== 'block';
    if (!fixedWidth) break;
    if (arg.token !== undefined && arg.type !== 'pure-token') position++;
    if (arg.type === 'key') {
      arg.keySpecIndex = specs.length;
      specs.push({
        flags: [...flags],
        beginSearch: { type: 'index', index: position },
        findKeys: { type: 'range', lastkey: 0, keystep: 1, limit: 0 },
      });
    }
    position++;
  }
  const unplaced = keys.filter((key) => key.keySpecIndex === undefined);
  if (unplaced.length > 0 || specs.length === 0) {
    for (const key of unplaced) key.keySpecIndex = specs.length;
    specs.push({ flags: [...flags, 'incomplete'], beginSearch: { type: 'unknown' }, findKeys: { type: 'unknown' } });
  }
  return specs;
}

const descriptions = new WeakMap<CommandSpec, CommandDescription>();

/**
 * The arguments and key specs of a command or subcommand (a subcommand's
 * arguments start at argv[2]). Computed once per spec.
 */
export function describeCommand(spec: CommandSpec, isSubcommand: boolean): CommandDescription {
  let description = descriptions.get(spec);
  if (description === undefined) {
    const args = spec.syntax === undefined ? [] : parseSyntax(spec.syntax);
    description = { arguments: args, keySpecs: buildKeySpecs(spec, args, isSubcommand ? 2 : 1) };
    descriptions.set(spec, description);
  }
  return description;
}
