/**
 * The command table: every command reddish knows, declared once in its
 * group's module and gathered here. Dispatch, the arity check, COMMAND
 * (COUNT, INFO, DOCS, LIST, GETKEYS) and key extraction all read it, so a
 * command that is not in the table does not exist.
 */
import { isNewerThan } from '../compat-version.js';
import { deriveAclCategories } from './acl-categories.js';
import { keyFlagsAt } from './command-docs.js';
import type { LatencyHistogram } from '../server/hdr-histogram.js';
import type { CommandHandler, CommandSpec } from './types.js';

/** ACL key permissions (acl.c's ACL_READ_PERMISSION, ACL_WRITE_PERMISSION). */
export const ACL_READ = 1;
export const ACL_WRITE = 2;

/** INFO commandstats for one command, and its latencies for INFO latencystats (null until its first tracked call). */
export interface CommandStats {
  calls: number;
  usec: number;
  rejectedCalls: number;
  failedCalls: number;
  histogram: LatencyHistogram | null;
}

/**
 * A command with its resolved full name ('get', 'config|get') and call
 * statistics. Each server builds its own table, so statistics are per server.
 */
export interface TableEntry {
  readonly spec: CommandSpec;
  /*
   * spec's fields that dispatch and call() read for every command, copied
   * here. Specs are object literals, each with its own set of optional
   * fields, so they have dozens of shapes: a load of `entry.spec.handler`
   * at a site that has run a few different commands is megamorphic (a
   * stub-cache probe), while every entry has the one shape makeEntry gives
   * it. perf of LPUSH -P 16 after redis-benchmark's warm-up showed
   * Builtins_LoadIC_Megamorphic at 1.4% of the server's samples under
   * dispatch. An in-process run of one command never sees it: there each
   * site has seen a single spec shape.
   */
  readonly handler: CommandHandler | undefined;
  readonly arity: number;
  readonly protectedBy: CommandSpec['protectedBy'];
  readonly touchesArbitraryKeys: boolean;
  readonly fullName: string;
  readonly parent: TableEntry | null;
  readonly subcommands: Map<string, TableEntry> | null;
  readonly isWrite: boolean;
  /** CMD_READONLY: a tracking client's call remembers its keys (client-side caching). */
  readonly isReadonly: boolean;
  readonly isBlocking: boolean;
  readonly noAuth: boolean;
  /** CMD_NOSCRIPT: refused when a script calls it. */
  readonly isNoscript: boolean;
  /** CMD_MAY_REPLICATE: counted as a write in a read-only script. */
  readonly mayReplicate: boolean;
  /** CMD_ALLOW_BUSY: runs while a script is past busy-reply-threshold (others get -BUSY). */
  readonly allowBusy: boolean;
  /** The command's bit in an ACL user's command bitmap (Redis's cmd->id). */
  readonly aclId: number;
  /** ACL categories as a mask over ACL_CATEGORIES (acl-categories.ts). */
  readonly aclCategories: number;
  /**
   * The permission a %R~ / %W~ pattern must give for this command's keys
   * (ACLSelectorCheckKey): ACCESS needs read, INSERT/DELETE/UPDATE write,
   * from the same key-spec flags COMMAND INFO prints.
   */
  readonly aclKeyAccess: number;
  /** The same for the call's first key (firstKeyFlags: a STORE destination, an LMOVE source). */
  readonly aclFirstKeyAccess: number;
  /** doesCommandHaveKeys, less key specs flagged not_key (a shard channel), which ACL checks skip. */
  readonly aclChecksKeys: boolean;
  readonly stats: CommandStats;
}

export class CommandTable {
  private readonly byName = new Map<string, TableEntry>();
  /**
   * The same entries under their upper-case names too: clients send `GET`
   * or `get`, and finding either without lowercasing saves a string
   * allocation per command on the hot path.
   */
  private readonly byExactName = new Map<string, TableEntry>();

  /**
   * The last name looked up and its entry. A pipeline repeats one command
   * (the request parser hands out the same name string while the bytes
   * repeat), and comparing against the last name costs less than hashing
   * it into the map: about a tenth of INCR's in-process time was the map.
   */
  private lastName: string | null = null;
  private lastEntry: TableEntry | undefined = undefined;

  /**
   * Every entry, hidden or not, with each container's full set of
   * subcommands: the maps above (and each entry's `subcommands`) hold only
   * what the compat version shows.
   */
  private readonly declared: Array<{ entry: TableEntry; subcommands: TableEntry[] }> = [];

  /** EXEC, which call() never propagates as itself. */
  readonly exec: TableEntry | undefined;

  /** How many ACL ids were given: the size of an ACL user's command bitmap. */
  readonly aclIdCount: number;

  constructor(groups: ReadonlyArray<readonly CommandSpec[]>) {
    const ids = { next: 0 };
    for (const group of groups) {
      for (const spec of group) {
        if (this.declared.some((d) => d.entry.spec.name === spec.name)) throw new Error(`command '${spec.name}' is declared twice`);
        const entry = makeEntry(spec, null, ids);
        this.declared.push({ entry, subcommands: entry.subcommands ? [...entry.subcommands.values()] : [] });
      }
    }
    this.aclIdCount = ids.next;
    this.showUpTo('');
    this.exec = this.byName.get('exec');
  }

  /**
   * compat-version: hides every command and subcommand newer than
   * `version` ('' hides nothing). A hidden command is absent from every
   * lookup, COMMAND's lists and counts, exactly as if it did not exist;
   * the maps are rebuilt here so that dispatch pays nothing per call.
   */
  showUpTo(version: string): void {
    this.lastName = null;
    this.lastEntry = undefined;
    this.byName.clear();
    this.byExactName.clear();
    for (const { entry, subcommands } of this.declared) {
      const spec = entry.spec;
      if (isNewerThan(spec.since, version)) continue;
      this.byName.set(spec.name, entry);
      this.byExactName.set(spec.name, entry);
      this.byExactName.set(spec.name.toUpperCase(), entry);
      if (entry.subcommands) {
        entry.subcommands.clear();
        for (const sub of subcommands) {
          if (!isNewerThan(sub.spec.since, version)) entry.subcommands.set(sub.spec.name, sub);
        }
      }
    }
  }

  /** The entry for a top-level command name (any case), or undefined. */
  lookup(name: string): TableEntry | undefined {
    if (name === this.lastName) return this.lastEntry;
    const entry = this.byExactName.get(name) ?? this.byName.get(name.toLowerCase());
    this.lastName = name;
    this.lastEntry = entry;
    return entry;
  }

  get size(): number {
    return this.byName.size;
  }

  entries(): IterableIterator<TableEntry> {
    return this.byName.values();
  }

  /** Every command and subcommand entry (INFO commandstats, CONFIG RESETSTAT). */
  *allEntries(): IterableIterator<TableEntry> {
    for (const entry of this.byName.values()) {
      yield entry;
      if (entry.subcommands) yield* entry.subcommands.values();
    }
  }

  /**
   * The positions of the keys in a call (COMMAND GETKEYS, blocking wake-ups,
   * WATCH). Returns [] for keyless commands.
   */
  keyPositions(entry: TableEntry, argv: readonly string[]): number[] {
    const spec = entry.spec;
    if (spec.keys) return spec.keys(argv);
    if (spec.firstKey === 0) return [];
    const last = spec.lastKey < 0 ? argv.length + spec.lastKey : spec.lastKey;
    const positions: number[] = [];
    for (let i = spec.firstKey; i <= last && i < argv.length; i += spec.keyStep) positions.push(i);
    return positions;
  }
}

function makeEntry(spec: CommandSpec, parent: TableEntry | null, ids: { next: number }): TableEntry {
  const fullName = parent ? parent.fullName + '|' + spec.name : spec.name;
  const entry: TableEntry = {
    spec,
    handler: spec.handler,
    arity: spec.arity,
    protectedBy: spec.protectedBy,
    touchesArbitraryKeys: spec.touchesArbitraryKeys === true,
    fullName,
    parent,
    subcommands: spec.subcommands ? new Map() : null,
    isWrite: spec.flags.includes('write'),
    isReadonly: spec.flags.includes('readonly'),
    isBlocking: spec.flags.includes('blocking'),
    noAuth: spec.flags.includes('no_auth'),
    isNoscript: spec.flags.includes('noscript'),
    mayReplicate: spec.flags.includes('may_replicate'),
    allowBusy: spec.flags.includes('allow_busy'),
    aclId: ids.next++,
    aclCategories: deriveAclCategories(spec),
    aclKeyAccess: keyAccess(keyFlagsAt(spec, 1)),
    aclFirstKeyAccess: keyAccess(keyFlagsAt(spec, 0)),
    aclChecksKeys: (spec.keys !== undefined || spec.firstKey !== 0) && !(spec.keyFlags ?? []).includes('not_key'),
    stats: { calls: 0, usec: 0, rejectedCalls: 0, failedCalls: 0, histogram: null },
  };
  if (spec.subcommands) {
    for (const sub of spec.subcommands) entry.subcommands!.set(sub.name, makeEntry(sub, entry, ids));
  }
  return entry;
}

/** ACLSelectorCheckKey: ACCESS needs read permission; INSERT, DELETE and UPDATE need write. */
export function keyAccess(flags: readonly string[]): number {
  const known = accessByFlags.get(flags);
  if (known !== undefined) return known;
  let access = 0;
  if (flags.includes('access')) access |= ACL_READ;
  if (flags.includes('insert') || flags.includes('delete') || flags.includes('update')) access |= ACL_WRITE;
  accessByFlags.set(flags, access);
  return access;
}

/** keyAccess by flags array: a callKeyFlags function returns one of a few constant arrays. */
const accessByFlags = new WeakMap<readonly string[], number>();

/** Redis's arity rule: exact when positive, a minimum when negative. */
export function arityMatches(arity: number, argc: number): boolean {
  return arity > 0 ? argc === arity : argc >= -arity;
}
