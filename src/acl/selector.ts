/**
 * An ACL selector (acl.c's aclSelector): which commands, keys and channels
 * it allows. Every user has a root selector (the rules written outside
 * parentheses) and may have more, `(...)`; a command runs when any one of
 * them allows all of it.
 *
 * Commands are a bitmap over the table's ACL ids (TableEntry.aclId), plus
 * one more bit that only +@all sets: Redis's reserved "future commands"
 * bit, which ACL LIST reads to start a description with +@all or -@all.
 */
import type { AclRuleError } from '../errors.js';
import { categoryFlag } from '../commands/acl-categories.js';
import { ACL_READ, ACL_WRITE, type CommandTable, type TableEntry } from '../commands/table.js';
import { lookupByFullName } from '../commands/command.js';
import type { CommandGroup } from '../commands/types.js';
import { splitInlineArgs } from '../protocol/inline.js';
import { compileGlob } from '../text/glob.js';

export const SELECTOR_ALLKEYS = 1;
export const SELECTOR_ALLCHANNELS = 2;
export const SELECTOR_ALLCOMMANDS = 4;
export const SELECTOR_ROOT = 8;

/** A key pattern and the permissions it gives (ACL_READ | ACL_WRITE). */
export interface KeyPattern {
  pattern: string;
  flags: number;
  /** The pattern compiled once: checked on every call of a restricted user. */
  matches: (key: string) => boolean;
}

/**
 * RedisBloom's commands are module commands in Redis: category rules and
 * ACL CAT skip them (CMD_MODULE), and a 7.0 module command has no
 * categories, so they never count when a description picks categories.
 */
const MODULE_GROUPS: ReadonlySet<CommandGroup> = new Set(['bf', 'cf', 'cms', 'topk']);

export function isModuleCommand(entry: TableEntry): boolean {
  return MODULE_GROUPS.has(entry.spec.group);
}

/** A command's categories as ACL rules see them (none for a module command). */
export function commandCategories(entry: TableEntry): number {
  return isModuleCommand(entry) ? 0 : entry.aclCategories;
}

/** ACLStringHasSpaces: C's isspace, or a NUL. */
export function hasSpaces(s: string): boolean {
  return /[ \t\n\v\f\r\0]/.test(s);
}

/** Thrown inside rule parsing; carries the errno ACLSetUserStringError names. */
export class AclRuleFailure extends Error {
  constructor(readonly code: AclRuleError) {
    super(code);
  }
}

export class Selector {
  flags: number;
  /** One byte per ACL id, and the future-commands byte at the end. */
  allowed: Uint8Array;
  /** allowed_firstargs: `+select|0` for commands without subcommands, by ACL id. */
  firstArgs: Map<number, string[]> | null = null;
  patterns: KeyPattern[] = [];
  channels: string[] = [];

  constructor(
    readonly table: CommandTable,
    flags: number,
  ) {
    this.flags = flags;
    this.allowed = new Uint8Array(table.aclIdCount + 1);
  }

  copy(): Selector {
    const copy = new Selector(this.table, this.flags);
    copy.allowed.set(this.allowed);
    if (this.firstArgs !== null) copy.firstArgs = new Map([...this.firstArgs].map(([id, args]) => [id, [...args]]));
    copy.patterns = this.patterns.map((p) => ({ ...p }));
    copy.channels = [...this.channels];
    return copy;
  }

  get canRunFutureCommands(): boolean {
    return this.allowed[this.table.aclIdCount] === 1;
  }

  commandBit(entry: TableEntry): boolean {
    return this.allowed[entry.aclId] === 1;
  }

  /** ACLSetSelectorCommandBit: clearing any bit ends ALLCOMMANDS. */
  private setBit(id: number, value: boolean): void {
    if (value) {
      this.allowed[id] = 1;
    } else {
      this.allowed[id] = 0;
      this.flags &= ~SELECTOR_ALLCOMMANDS;
    }
  }

  /** ACLChangeSelectorPerm: a container's rule applies to its subcommands too. */
  changePermission(entry: TableEntry, allow: boolean): void {
    this.setBit(entry.aclId, allow);
    this.firstArgs?.delete(entry.aclId);
    if (entry.subcommands !== null) for (const sub of entry.subcommands.values()) this.setBit(sub.aclId, allow);
  }

  /** ACLSetSelectorCommandBitsForCategoryLogic */
  setCategory(mask: number, allow: boolean): void {
    const visit = (entries: Iterable<TableEntry>): void => {
      for (const entry of entries) {
        if (isModuleCommand(entry)) continue;
        if ((entry.aclCategories & mask) !== 0) this.changePermission(entry, allow);
        if (entry.subcommands !== null) visit(entry.subcommands.values());
      }
    };
    visit(this.table.entries());
  }

  setAll(allow: boolean): void {
    this.allowed.fill(allow ? 1 : 0);
    if (allow) this.flags |= SELECTOR_ALLCOMMANDS;
    else this.flags &= ~SELECTOR_ALLCOMMANDS;
    this.firstArgs = null;
  }

  /** ACLAddAllowedFirstArg: case-insensitively once. */
  private addFirstArg(id: number, arg: string): void {
    this.firstArgs ??= new Map();
    const args = this.firstArgs.get(id) ?? [];
    const lower = arg.toLowerCase();
    if (args.some((a) => a.toLowerCase() === lower)) return;
    args.push(arg);
    this.firstArgs.set(id, args);
  }

  /** ACLSetSelector: one rule; throws AclRuleFailure. */
  apply(op: string): void {
    const lower = op.toLowerCase();
    if (lower === 'allkeys' || op === '~*') {
      this.flags |= SELECTOR_ALLKEYS;
      this.patterns = [];
    } else if (lower === 'resetkeys') {
      this.flags &= ~SELECTOR_ALLKEYS;
      this.patterns = [];
    } else if (lower === 'allchannels' || op === '&*') {
      this.flags |= SELECTOR_ALLCHANNELS;
      this.channels = [];
    } else if (lower === 'resetchannels') {
      this.flags &= ~SELECTOR_ALLCHANNELS;
      this.channels = [];
    } else if (lower === 'allcommands' || lower === '+@all') {
      this.setAll(true);
    } else if (lower === 'nocommands' || lower === '-@all') {
      this.setAll(false);
    } else if (op[0] === '~' || op[0] === '%') {
      this.addKeyPattern(op);
    } else if (op[0] === '&') {
      if ((this.flags & SELECTOR_ALLCHANNELS) !== 0) throw new AclRuleFailure('EISDIR');
      const pattern = op.slice(1);
      if (hasSpaces(pattern)) throw new AclRuleFailure('EINVAL');
      if (!this.channels.includes(pattern)) this.channels.push(pattern);
      this.flags &= ~SELECTOR_ALLCHANNELS;
    } else if (op[0] === '+' && op[1] !== '@') {
      this.allowCommand(op.slice(1));
    } else if (op[0] === '-' && op[1] !== '@') {
      const entry = lookupByFullName(this.table, op.slice(1));
      if (entry === undefined) throw new AclRuleFailure('ENOENT');
      this.changePermission(entry, false);
    } else if ((op[0] === '+' || op[0] === '-') && op[1] === '@') {
      const mask = categoryFlag(op.slice(2));
      if (mask === 0) throw new AclRuleFailure('ENOENT');
      this.setCategory(mask, op[0] === '+');
    } else {
      throw new AclRuleFailure('EINVAL');
    }
  }

  /** `~pattern`, `%R~pattern`, `%W~pattern`, `%RW~pattern` */
  private addKeyPattern(op: string): void {
    if ((this.flags & SELECTOR_ALLKEYS) !== 0) throw new AclRuleFailure('EEXIST');
    let flags = 0;
    let offset = 1;
    if (op[0] === '%') {
      for (; offset < op.length; offset++) {
        const c = op[offset]!.toUpperCase();
        if (c === 'R' && (flags & ACL_READ) === 0) {
          flags |= ACL_READ;
        } else if (c === 'W' && (flags & ACL_WRITE) === 0) {
          flags |= ACL_WRITE;
        } else if (op[offset] === '~') {
          offset++;
          break;
        } else {
          throw new AclRuleFailure('EINVAL');
        }
      }
    } else {
      flags = ACL_READ | ACL_WRITE;
    }
    const pattern = op.slice(offset);
    if (hasSpaces(pattern)) throw new AclRuleFailure('EINVAL');
    const existing = this.patterns.find((p) => p.pattern === pattern);
    if (existing === undefined) this.patterns.push({ pattern, flags, matches: compileGlob(pattern) });
    else existing.flags |= flags;
    this.flags &= ~SELECTOR_ALLKEYS;
  }

  /** `+cmd`, `+container|sub`, and the deprecated first-arg form `+select|0`. */
  private allowCommand(name: string): void {
    const bar = name.lastIndexOf('|');
    if (bar === -1) {
      const entry = lookupByFullName(this.table, name);
      if (entry === undefined) throw new AclRuleFailure('ENOENT');
      this.changePermission(entry, true);
      return;
    }
    const command = lookupByFullName(this.table, name.slice(0, bar));
    const sub = name.slice(bar + 1);
    if (command === undefined) throw new AclRuleFailure('ENOENT');
    if (command.parent !== null) throw new AclRuleFailure('ECHILD');
    if (sub === '') throw new AclRuleFailure('EINVAL');
    if (command.subcommands !== null) {
      const entry = lookupByFullName(this.table, name);
      if (entry === undefined) throw new AclRuleFailure('ENOENT');
      this.changePermission(entry, true);
    } else {
      this.addFirstArg(command.aclId, sub);
    }
  }

  /** aclCreateSelectorFromOpSet: `(rule rule ...)`, split as sdssplitargs splits. */
  static fromOpSet(table: CommandTable, flags: number, opset: string): Selector {
    const selector = new Selector(table, flags);
    const ops = splitInlineArgs(opset.slice(1, -1)) ?? [];
    for (const op of ops) selector.apply(op);
    return selector;
  }

  // -------------------------------------------------------------------------
  // Checks
  // -------------------------------------------------------------------------

  /**
   * ACLSelectorCheckKey for each key of the call: the argv index of the
   * first key no pattern allows, or -1. `positions` are the call's key
   * positions for commands whose keys depend on the call; for the others
   * they are walked from first/last/step without building a list.
   */
  deniedKey(entry: TableEntry, argv: readonly string[], positions: readonly number[] | null, callAccess: number): number {
    const spec = entry.spec;
    if (positions !== null) {
      for (let k = 0; k < positions.length; k++) {
        const position = positions[k]!;
        const access = callAccess !== -1 ? callAccess : k === 0 ? entry.aclFirstKeyAccess : entry.aclKeyAccess;
        if (!this.keyAllowed(argv[position]!, access)) return position;
      }
      return -1;
    }
    const last = spec.lastKey < 0 ? argv.length + spec.lastKey : spec.lastKey;
    for (let position = spec.firstKey; position <= last && position < argv.length; position += spec.keyStep) {
      const access = callAccess !== -1 ? callAccess : position === spec.firstKey ? entry.aclFirstKeyAccess : entry.aclKeyAccess;
      if (!this.keyAllowed(argv[position]!, access)) return position;
    }
    return -1;
  }

  private keyAllowed(key: string, access: number): boolean {
    const patterns = this.patterns;
    for (let i = 0; i < patterns.length; i++) {
      const p = patterns[i]!;
      if ((p.flags & access) === access && p.matches(key)) return true;
    }
    return false;
  }

  /** The command bit, or an allowed first argument (ACLSelectorCheckCmd's first part). */
  allowsCommand(entry: TableEntry, argv: readonly string[]): boolean {
    if ((this.flags & SELECTOR_ALLCOMMANDS) !== 0 || entry.noAuth) return true;
    if (this.allowed[entry.aclId] === 1) return true;
    const args = this.firstArgs?.get(entry.aclId);
    if (args === undefined || argv.length < 2) return false;
    const first = argv[entry.parent !== null ? 2 : 1]!.toLowerCase();
    return args.some((a) => a.toLowerCase() === first);
  }
}
