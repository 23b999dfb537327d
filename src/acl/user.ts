/**
 * An ACL user (acl.c's user): flags, password hashes and selectors, the
 * rules that change them (ACLSetUser), and the description ACL LIST, ACL
 * GETUSER and ACL SAVE print (ACLDescribeUser), rebuilt from the bitmaps
 * exactly as Redis rebuilds it.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { ACL_CATEGORIES } from '../commands/acl-categories.js';
import type { CommandTable, TableEntry } from '../commands/table.js';
import { ACL_READ, ACL_WRITE } from '../commands/table.js';
import {
  AclRuleFailure,
  commandCategories,
  type KeyPattern,
  Selector,
  SELECTOR_ALLCHANNELS,
  SELECTOR_ALLCOMMANDS,
  SELECTOR_ALLKEYS,
  SELECTOR_ROOT,
} from './selector.js';

const USER_ENABLED = 1;
const USER_DISABLED = 2;
const USER_NOPASS = 4;
const USER_SKIP_SANITIZE = 8;
const USER_SANITIZE = 16;

/** ACLUserFlags, in the order ACL LIST and GETUSER print them. */
const USER_FLAG_NAMES: ReadonlyArray<[number, string]> = [
  [USER_ENABLED, 'on'],
  [USER_DISABLED, 'off'],
  [USER_NOPASS, 'nopass'],
  [USER_SKIP_SANITIZE, 'skip-sanitize-payload'],
  [USER_SANITIZE, 'sanitize-payload'],
];

/** ACLHashPassword: SHA-256 of the password's bytes, as lowercase hex. */
export function hashPassword(password: string): string {
  return createHash('sha256').update(Buffer.from(password, 'latin1')).digest('hex');
}

/** ACLCheckPasswordHash: exactly 64 lowercase hex digits. */
function isPasswordHash(hash: string): boolean {
  return /^[0-9a-f]{64}$/.test(hash);
}

/** What the users' rules need from the server: its table and acl-pubsub-default. */
export interface AclContext {
  readonly table: CommandTable;
  /** SELECTOR_ALLCHANNELS when acl-pubsub-default is allchannels, else 0. */
  pubsubDefault(): number;
}

export class AclUser {
  flags = USER_DISABLED;
  /** SHA-256 hex of each password, in the order they were added. */
  passwords: string[] = [];
  /** The root selector first, then the `(...)` ones. */
  selectors: Selector[];
  /**
   * The root selector allows every command, key and channel: dispatch's one
   * check skips the ACL for such a user (the default user, usually).
   */
  unrestricted = false;
  /** ACLDescribeUser's cached string (u->acl_string). */
  private description: string | null = null;

  constructor(
    readonly name: string,
    private readonly context: AclContext,
  ) {
    this.selectors = [new Selector(context.table, SELECTOR_ROOT | context.pubsubDefault())];
    this.refresh();
  }

  get root(): Selector {
    return this.selectors[0]!;
  }

  get enabled(): boolean {
    return (this.flags & USER_ENABLED) !== 0;
  }

  get disabled(): boolean {
    return (this.flags & USER_DISABLED) !== 0;
  }

  get nopass(): boolean {
    return (this.flags & USER_NOPASS) !== 0;
  }

  /** ACLCopyUser: takes `source`'s rules, keeping this user's name. */
  copyFrom(source: AclUser): void {
    this.flags = source.flags;
    this.passwords = [...source.passwords];
    this.selectors = source.selectors.map((s) => s.copy());
    this.description = source.description;
    this.refresh();
  }

  /** An unlinked copy, to stage rules on (ACLCreateUnlinkedUser + ACLCopyUser). */
  clone(): AclUser {
    const copy = new AclUser(this.name, this.context);
    copy.copyFrom(this);
    return copy;
  }

  private refresh(): void {
    const all = SELECTOR_ALLCOMMANDS | SELECTOR_ALLKEYS | SELECTOR_ALLCHANNELS;
    this.unrestricted = (this.root.flags & all) === all;
  }

  /**
   * ACLSetUser: one rule, which may be a whole `(...)` selector. Throws
   * AclRuleFailure with Redis's errno for a bad rule.
   */
  apply(op: string): void {
    this.description = null;
    try {
      this.applyRule(op);
    } finally {
      this.refresh();
    }
  }

  private applyRule(op: string): void {
    if (op.length === 0) return;
    const lower = op.toLowerCase();
    if (lower === 'on') {
      this.flags = (this.flags | USER_ENABLED) & ~USER_DISABLED;
    } else if (lower === 'off') {
      this.flags = (this.flags | USER_DISABLED) & ~USER_ENABLED;
    } else if (lower === 'skip-sanitize-payload') {
      this.flags = (this.flags | USER_SKIP_SANITIZE) & ~USER_SANITIZE;
    } else if (lower === 'sanitize-payload') {
      this.flags = (this.flags | USER_SANITIZE) & ~USER_SKIP_SANITIZE;
    } else if (lower === 'nopass') {
      this.flags |= USER_NOPASS;
      this.passwords = [];
    } else if (lower === 'resetpass') {
      this.flags &= ~USER_NOPASS;
      this.passwords = [];
    } else if (op[0] === '>' || op[0] === '#') {
      let hash: string;
      if (op[0] === '>') {
        hash = hashPassword(op.slice(1));
      } else {
        hash = op.slice(1);
        if (!isPasswordHash(hash)) throw new AclRuleFailure('EBADMSG');
      }
      if (!this.passwords.includes(hash)) this.passwords.push(hash);
      this.flags &= ~USER_NOPASS;
    } else if (op[0] === '<' || op[0] === '!') {
      let hash: string;
      if (op[0] === '<') {
        hash = hashPassword(op.slice(1));
      } else {
        hash = op.slice(1);
        if (!isPasswordHash(hash)) throw new AclRuleFailure('EBADMSG');
      }
      const at = this.passwords.indexOf(hash);
      if (at === -1) throw new AclRuleFailure('ENODEV');
      this.passwords.splice(at, 1);
    } else if (op[0] === '(' && op[op.length - 1] === ')') {
      this.selectors.push(Selector.fromOpSet(this.context.table, this.context.pubsubDefault(), op));
    } else if (lower === 'clearselectors') {
      this.selectors.length = 1;
    } else if (lower === 'reset') {
      this.applyRule('resetpass');
      this.applyRule('resetkeys');
      this.applyRule('resetchannels');
      if (this.context.pubsubDefault() !== 0) this.applyRule('allchannels');
      this.applyRule('off');
      this.applyRule('sanitize-payload');
      this.applyRule('clearselectors');
      this.applyRule('-@all');
    } else {
      this.root.apply(op);
    }
  }

  /**
   * ACLCheckUserCredentials' password part: the password's hash against
   * every stored one, each compared in constant time, and all of them
   * compared whatever the outcome, so that the time says nothing.
   */
  passwordMatches(password: string): boolean {
    if (this.nopass) return true;
    const given = Buffer.from(hashPassword(password), 'latin1');
    let matched = false;
    for (const stored of this.passwords) {
      if (timingSafeEqual(given, Buffer.from(stored, 'latin1'))) matched = true;
    }
    return matched;
  }

  // -------------------------------------------------------------------------
  // Descriptions
  // -------------------------------------------------------------------------

  /** The flags GETUSER lists, in ACLUserFlags order. */
  flagNames(): string[] {
    return USER_FLAG_NAMES.filter(([flag]) => (this.flags & flag) !== 0).map(([, name]) => name);
  }

  /** ACLDescribeUser: the rules ACL LIST and ACL SAVE print after `user <name> `. */
  describe(): string {
    if (this.description !== null) return this.description;
    let out = '';
    for (const name of this.flagNames()) out += name + ' ';
    for (const hash of this.passwords) out += '#' + hash + ' ';
    for (const selector of this.selectors) {
      const text = describeSelector(selector);
      out += (selector.flags & SELECTOR_ROOT) !== 0 ? text : ' (' + text + ')';
    }
    this.description = out;
    return out;
  }
}

/** sdsCatPatternString */
export function describeKeyPattern(p: KeyPattern): string {
  if (p.flags === (ACL_READ | ACL_WRITE)) return '~' + p.pattern;
  return (p.flags === ACL_READ ? '%R~' : '%W~') + p.pattern;
}

/** ACLDescribeSelector */
export function describeSelector(selector: Selector): string {
  let out = '';
  if ((selector.flags & SELECTOR_ALLKEYS) !== 0) out += '~* ';
  else for (const p of selector.patterns) out += describeKeyPattern(p) + ' ';
  if ((selector.flags & SELECTOR_ALLCHANNELS) !== 0) {
    out += '&* ';
  } else {
    out += 'resetchannels ';
    for (const channel of selector.channels) out += '&' + channel + ' ';
  }
  return out + describeCommandRules(selector);
}

/** Every command and subcommand of the table, parents before their subcommands. */
function* everyCommand(table: CommandTable): IterableIterator<TableEntry> {
  for (const entry of table.entries()) {
    yield entry;
    if (entry.subcommands !== null) yield* entry.subcommands.values();
  }
}

/**
 * ACLDescribeSelectorCommandRules: +@all or -@all, then categories chosen
 * greedily (each round the category whose commands agree with the bitmap
 * more than they disagree, with the fewest disagreements, ties to the
 * most agreements), then single commands and first-args for the
 * differences left. The rules are replayed on a scratch selector as they
 * are emitted, and the result must rebuild the bitmap exactly.
 */
export function describeCommandRules(selector: Selector): string {
  const table = selector.table;
  const additive = !selector.canRunFutureCommands;
  const rules: string[] = [additive ? '-@all' : '+@all'];
  const fake = new Selector(table, 0);
  fake.setAll(!additive);
  // The bits no chosen category has explained yet.
  const temp = new Selector(table, 0);
  temp.allowed.set(selector.allowed);
  const applied = new Set<number>();
  const commands = [...everyCommand(table)];
  for (;;) {
    let best = -1;
    let minDiff = Infinity;
    let maxSame = 0;
    for (let j = 0; j < ACL_CATEGORIES.length; j++) {
      if (applied.has(j)) continue;
      const mask = 1 << j;
      let on = 0;
      let off = 0;
      for (const entry of commands) {
        if ((commandCategories(entry) & mask) === 0) continue;
        if (temp.commandBit(entry)) on++;
        else off++;
      }
      const diff = additive ? off : on;
      const same = additive ? on : off;
      if (same > diff && (diff < minDiff || (diff === minDiff && same > maxSame))) {
        best = j;
        minDiff = diff;
        maxSame = same;
      }
    }
    if (best === -1) break;
    const mask = 1 << best;
    fake.setCategory(mask, additive);
    temp.setCategory(mask, !additive);
    rules.push((additive ? '+@' : '-@') + ACL_CATEGORIES[best]);
    applied.add(best);
  }
  // ACLDescribeSelectorCommandRulesSingleCommands
  for (const entry of commands) {
    const userBit = selector.commandBit(entry);
    if (userBit !== fake.commandBit(entry)) {
      rules.push((userBit ? '+' : '-') + entry.fullName);
      fake.changePermission(entry, userBit);
    }
    const firstArgs = selector.firstArgs?.get(entry.aclId);
    if (!userBit && firstArgs !== undefined) for (const arg of firstArgs) rules.push('+' + entry.fullName + '|' + arg);
  }
  for (const entry of commands) {
    if (fake.commandBit(entry) !== selector.commandBit(entry)) {
      // Redis panics here rather than print rules that grant something else.
      throw new Error(`ACL rules '${rules.join(' ')}' do not rebuild the user's command bitmap`);
    }
  }
  return rules.join(' ');
}
