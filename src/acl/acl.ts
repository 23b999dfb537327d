/**
 * The server's ACL (acl.c): its users, authentication, the permission
 * check processCommand, EXEC and scripts run, the ACL log, and the ACL
 * file. Every client runs as a user; the default user (all commands, keys
 * and channels, no password unless requirepass sets one) is what a new
 * connection gets, and dispatch skips the whole check for a user whose
 * root selector allows everything (AclUser.unrestricted).
 */
import fs from 'node:fs';
import type { Logger } from 'pino';
import type { Config } from '../config.js';
import {
  aclChangedSinceQueued,
  aclDeniedCommand,
  aclErrors,
  aclRuleErrors,
  aclSetUserFailed,
  aclUnmatchedParenthesis,
} from '../errors.js';
import { clientInfoLine, clientType } from '../commands/client.js';
import { keyAccess, type CommandTable, type TableEntry } from '../commands/table.js';
import type { Client } from '../commands/types.js';
import { stringMatch } from '../text/glob.js';
import {
  ACL_DENIED_AUTH,
  ACL_DENIED_CHANNEL,
  ACL_DENIED_CMD,
  ACL_DENIED_KEY,
  ACL_OK,
  AclLog,
  type AclDenial,
  type AclLogContext,
} from './acl-log.js';
import { AclRuleFailure, hasSpaces, SELECTOR_ALLCHANNELS, SELECTOR_ALLKEYS } from './selector.js';
import { AclUser, type AclContext } from './user.js';

export interface AclServices {
  readonly table: CommandTable;
  readonly config: Config;
  readonly clients: ReadonlyMap<number, Client>;
  readonly logger: Logger;
  readonly now: () => number;
}

/** The outcome of a check: ACL_OK, or the denial and the argv index of the key or channel refused. */
export interface AclVerdict {
  result: typeof ACL_OK | AclDenial;
  index: number;
}

const ALLOWED: AclVerdict = { result: ACL_OK, index: 0 };

/** getAclErrorMessage: what a script is told. */
const SCRIPT_DENIAL: Record<AclDenial, string> = {
  [ACL_DENIED_CMD]: "can't run this command or subcommand",
  [ACL_DENIED_KEY]: "can't access at least one of the keys mentioned in the command arguments",
  [ACL_DENIED_CHANNEL]: "can't publish to the channel mentioned in the command",
  [ACL_DENIED_AUTH]: 'lacking the permissions for the command',
};

/** execCommand's reasons. */
const EXEC_DENIAL: Record<AclDenial, string> = {
  [ACL_DENIED_CMD]: 'no permission to execute the command or subcommand',
  [ACL_DENIED_KEY]: 'no permission to touch the specified keys',
  [ACL_DENIED_CHANNEL]: 'no permission to access one of the channels used as arguments',
  [ACL_DENIED_AUTH]: 'no permission',
};

export class Acl {
  private users = new Map<string, AclUser>();
  readonly defaultUser: AclUser;
  /**
   * Who the server's own clients run as: Redis gives its AOF-loading client
   * and module contexts no user at all (c->user == NULL), which no ACL rule
   * restricts. Never listed, never linked, so ACL SETUSER can't change it.
   */
  readonly internalUser: AclUser;
  readonly log: AclLog;
  readonly context: AclContext;

  constructor(private readonly services: AclServices) {
    const config = services.config;
    this.context = {
      table: services.table,
      pubsubDefault: () => (config.get('acl-pubsub-default') === 'allchannels' ? SELECTOR_ALLCHANNELS : 0),
    };
    this.log = new AclLog(() => config.get('acllog-max-len'));
    this.defaultUser = this.createDefaultUser();
    this.users.set('default', this.defaultUser);
    this.internalUser = new AclUser('default', this.context);
    for (const op of ['+@all', '~*', '&*', 'on', 'nopass']) this.internalUser.apply(op);
    // ACLUpdateDefaultUserPassword: requirepass is the default user's one password.
    config.watch('requirepass', (password) => this.updateDefaultUserPassword(password));
  }

  /** ACLCreateDefaultUser */
  private createDefaultUser(): AclUser {
    const user = new AclUser('default', this.context);
    for (const op of ['+@all', '~*', '&*', 'on', 'nopass']) user.apply(op);
    return user;
  }

  private updateDefaultUserPassword(password: string): void {
    this.defaultUser.apply('resetpass');
    this.defaultUser.apply(password === '' ? 'nopass' : '>' + password);
  }

  getUser(name: string): AclUser | undefined {
    return this.users.get(name);
  }

  /** Every user, by name in byte order (Redis's rax order). */
  allUsers(): AclUser[] {
    return [...this.users.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  // -------------------------------------------------------------------------
  // Authentication
  // -------------------------------------------------------------------------

  /**
   * authRequired: only while the default user needs a password or is off.
   * The client's own flag is read first: the parser asks this for every
   * request of more than 10 arguments (MSET), and the client is already
   * in cache where the default user may not be.
   */
  authRequired(c: Client): boolean {
    if (c.authenticated) return false;
    const user = this.defaultUser;
    return !user.nopass || user.disabled;
  }

  /** clientSetDefaultAuth: a new (or RESET) client is the default user, authenticated if it needs no password. */
  setDefaultAuth(c: Client): void {
    c.user = this.defaultUser;
    c.authenticated = this.defaultUser.nopass && !this.defaultUser.disabled;
  }

  /**
   * ACLAuthenticateUser: AUTH and HELLO AUTH. A failure is logged (reason
   * auth, object the command's name as sent) and says nothing about why.
   */
  authenticate(c: Client, username: string, password: string, commandName: string): boolean {
    const user = this.users.get(username);
    // Checked whatever the user, so that an unknown user costs what a wrong password does.
    const passwordOk = user !== undefined ? user.passwordMatches(password) : false;
    if (user !== undefined && !user.disabled && passwordOk) {
      c.authenticated = true;
      c.user = user;
      return true;
    }
    this.addLogEntry(c, ACL_DENIED_AUTH, c.multi !== null ? 'multi' : 'toplevel', username, commandName, null);
    return false;
  }

  // -------------------------------------------------------------------------
  // Changing users
  // -------------------------------------------------------------------------

  /**
   * ACLStringSetUser: applies every rule to a copy, and only if all are
   * valid to the user (created if new). Returns the error reply, or null.
   * `current` is the client running the command, which is closed after
   * its reply rather than at once when its subscriptions are revoked.
   */
  setUser(name: string, ops: readonly string[], current: Client | null): string | null {
    const merged = mergeSelectorArguments(ops);
    if ('unmatched' in merged) return aclUnmatchedParenthesis(merged.unmatched);
    const existing = this.users.get(name);
    const staged = existing !== undefined ? existing.clone() : new AclUser(name, this.context);
    for (const op of merged.ops) {
      try {
        staged.apply(op);
      } catch (error) {
        if (error instanceof AclRuleFailure) return aclSetUserFailed(op, error.code);
        throw error;
      }
    }
    if (existing !== undefined) {
      this.killRevokedSubscribers(staged, existing, current);
      existing.copyFrom(staged);
    } else {
      this.users.set(name, staged);
    }
    return null;
  }

  /** ACL DELUSER: how many existed; their clients are disconnected. */
  deleteUsers(names: readonly string[], current: Client | null): number {
    let deleted = 0;
    for (const name of names) {
      const user = this.users.get(name);
      if (user === undefined || user === this.defaultUser) continue;
      this.users.delete(name);
      this.disconnectUser(user, current);
      deleted++;
    }
    return deleted;
  }

  /**
   * ACLFreeUserAndKillClients: each client of a removed user falls back to
   * the default user, unauthenticated, and is closed (the current one once
   * its reply is out).
   */
  private disconnectUser(user: AclUser, current: Client | null): void {
    for (const client of this.services.clients.values()) {
      if (client.user !== user) continue;
      client.user = this.defaultUser;
      client.authenticated = false;
      if (client === current) client.closeAfterReply = true;
      else client.kill();
    }
  }

  /**
   * ACLKillPubsubClientsIfNeeded: when a user's channel rules shrink, its
   * subscribed clients holding a channel or pattern no longer allowed are
   * disconnected.
   */
  private killRevokedSubscribers(next: AclUser, original: AclUser, current: Client | null): void {
    if (next.selectors.some((s) => (s.flags & SELECTOR_ALLCHANNELS) !== 0)) return;
    const upcoming = next.selectors.flatMap((s) => s.channels);
    let superset = true;
    for (const s of original.selectors) {
      if ((s.flags & SELECTOR_ALLCHANNELS) !== 0 || s.channels.some((ch) => !upcoming.includes(ch))) {
        superset = false;
        break;
      }
    }
    if (superset) return;
    for (const client of [...this.services.clients.values()]) {
      if (client.user !== original || clientType(client) !== 'pubsub') continue;
      const subs = client.subscriptions!;
      let kill = false;
      for (const pattern of subs.patterns) if (!kill) kill = !channelAllowed(upcoming, pattern, true);
      for (const channel of subs.channels) if (!kill) kill = !channelAllowed(upcoming, channel, false);
      for (const channel of subs.shardChannels) if (!kill) kill = !channelAllowed(upcoming, channel, false);
      if (!kill) continue;
      if (client === current) client.closeAfterReply = true;
      else client.kill();
    }
  }

  // -------------------------------------------------------------------------
  // Permission checks
  // -------------------------------------------------------------------------

  /**
   * ACLCheckAllUserCommandPerm: allowed if any selector allows the whole
   * call. Otherwise the denial to report: the command if no selector ran
   * it, else the key or channel refused furthest into the arguments.
   */
  check(user: AclUser, entry: TableEntry, argv: readonly string[]): AclVerdict {
    if (user.unrestricted) return ALLOWED;
    let keys: number[] | null = null;
    let relevant: AclDenial = ACL_DENIED_CMD;
    let lastIndex = 0;
    for (const selector of user.selectors) {
      let result: typeof ACL_OK | AclDenial = ACL_OK;
      let index = 0;
      if (!selector.allowsCommand(entry, argv)) {
        result = ACL_DENIED_CMD;
      } else {
        if ((selector.flags & SELECTOR_ALLKEYS) === 0 && entry.aclChecksKeys) {
          // Commands whose keys depend on the call find them once for all selectors.
          if (keys === null && entry.spec.keys !== undefined) keys = entry.spec.keys(argv);
          const callFlags = entry.spec.callKeyFlags;
          const denied = selector.deniedKey(entry, argv, keys, callFlags === undefined ? -1 : keyAccess(callFlags(argv)));
          if (denied !== -1) {
            result = ACL_DENIED_KEY;
            index = denied;
          }
        }
        const channels = entry.spec.aclChannels;
        if (result === ACL_OK && channels !== undefined && (selector.flags & SELECTOR_ALLCHANNELS) === 0) {
          const last = channels === 'publish' ? Math.min(1, argv.length - 1) : argv.length - 1;
          for (let i = 1; i <= last; i++) {
            if (!channelAllowed(selector.channels, argv[i]!, channels === 'psubscribe')) {
              result = ACL_DENIED_CHANNEL;
              index = i;
              break;
            }
          }
        }
      }
      if (result === ACL_OK) return ALLOWED;
      if (result > relevant || (result === relevant && index > lastIndex)) {
        relevant = result;
        lastIndex = index;
      }
    }
    return { result: relevant, index: lastIndex };
  }

  /** processCommand's check: the NOPERM reply to give, or null to run the call. */
  deniedAtDispatch(c: Client, entry: TableEntry, argv: readonly string[]): string | null {
    const verdict = this.check(c.user, entry, argv);
    if (verdict.result === ACL_OK) return null;
    this.logDenial(c, verdict, c.multi !== null ? 'multi' : 'toplevel', entry, argv);
    if (verdict.result === ACL_DENIED_CMD) return aclDeniedCommand(entry.fullName);
    return verdict.result === ACL_DENIED_KEY ? aclErrors.deniedKey : aclErrors.deniedChannel;
  }

  /** execCommand's check of each queued call, the ACL having maybe changed since it was queued. */
  deniedInExec(c: Client, entry: TableEntry, argv: readonly string[]): string | null {
    const verdict = this.check(c.user, entry, argv);
    if (verdict.result === ACL_OK) return null;
    this.logDenial(c, verdict, 'multi', entry, argv);
    return aclChangedSinceQueued(EXEC_DENIAL[verdict.result]);
  }

  /** scriptVerifyACL: the script's caller's user; the error text after "ERR ", or null. */
  deniedInScript(caller: Client, entry: TableEntry, argv: readonly string[]): string | null {
    const verdict = this.check(caller.user, entry, argv);
    if (verdict.result === ACL_OK) return null;
    this.logDenial(caller, verdict, 'lua', entry, argv);
    return 'The user executing the script ' + SCRIPT_DENIAL[verdict.result];
  }

  private logDenial(c: Client, verdict: AclVerdict, context: AclLogContext, entry: TableEntry, argv: readonly string[]): void {
    const denial = verdict.result as AclDenial;
    const object = denial === ACL_DENIED_CMD ? entry.fullName : argv[verdict.index]!;
    this.addLogEntry(c, denial, context, c.user.name, object, argv);
  }

  /** addACLLogEntry; `c` is the client to describe (a script's caller, not the script's client). */
  private addLogEntry(c: Client, reason: AclDenial, context: AclLogContext, username: string, object: string, argv: readonly string[] | null): void {
    this.log.add({ reason, context, object, username, time: this.services.now(), clientInfo: clientInfoLine(c, argv) });
  }

  // -------------------------------------------------------------------------
  // Loading and saving
  // -------------------------------------------------------------------------

  /**
   * ACLAppendUserForLoading's check of a config file `user` line: every
   * rule must parse (an unknown command is only reported when loading).
   * Returns the error text, or null.
   */
  validateUserLine(args: readonly string[], seen: ReadonlySet<string>): string | null {
    if (seen.has(args[0]!)) return `Error in user declaration '${args[0]}': ${aclRuleErrors.EALREADY}`;
    const merged = mergeSelectorArguments(args.slice(1));
    if ('unmatched' in merged) return `Error in user declaration '${merged.unmatched}': Wrong format`;
    const scratch = new AclUser(args[0]!, this.context);
    for (let j = 0; j < merged.ops.length; j++) {
      try {
        scratch.apply(merged.ops[j]!);
      } catch (error) {
        if (!(error instanceof AclRuleFailure)) throw error;
        // Redis indexes the whole line (`user name ...`) with the rule's index: kept.
        if (error.code !== 'ENOENT') return `Error in user declaration '${['user', ...args][j]}': ${aclRuleErrors[error.code]}`;
      }
    }
    return null;
  }

  /**
   * ACLLoadConfiguredUsers: the config file's `user` lines, in order; a
   * `user default` line starts from a reset default user. Returns the
   * error to abort startup with, or null.
   */
  loadConfiguredUsers(lines: ReadonlyArray<readonly string[]>): string | null {
    for (const args of lines) {
      const name = args[0]!;
      if (hasSpaces(name)) return 'Spaces not allowed in ACL usernames';
      let user = this.users.get(name);
      if (user === undefined) {
        user = new AclUser(name, this.context);
        this.users.set(name, user);
      } else {
        user.apply('reset');
      }
      for (const op of mergeSelectorArgumentsOrSelf(args.slice(1))) {
        try {
          user.apply(op);
        } catch (error) {
          if (!(error instanceof AclRuleFailure)) throw error;
          return `Error loading ACL rule '${op}' for the user named '${name}': ${aclRuleErrors[error.code]}`;
        }
      }
      if (user.disabled) {
        this.services.logger.info(
          { user: name },
          "The user is disabled (there is no 'on' modifier in the user description). Make sure this is not a configuration error.",
        );
      }
    }
    return null;
  }

  /**
   * ACLLoadFromFile: every line must be a valid `user` line, or nothing
   * changes. On success the users are replaced (the default user keeps its
   * identity, taking the file's rules, or the built-in ones if the file has
   * none) and the clients of the old users are disconnected. Returns the
   * errors as one line, or null.
   */
  loadFile(filename: string, current: Client | null): string | null {
    let text: string;
    try {
      text = fs.readFileSync(filename, 'latin1');
    } catch (error) {
      return `Error loading ACLs, opening file '${filename}': ${describeFsError(error)}`;
    }
    const loaded = new Map<string, AclUser>();
    let errors = '';
    const lines = text.split('\n');
    for (let i = 0; i < lines.length; i++) {
      const line = lines[i]!.replace(/^[ \t\r\n]+|[ \t\r\n]+$/g, '');
      const linenum = i + 1;
      if (line === '') continue;
      const argv = line.split(' ');
      if (argv[0] !== 'user' || argv.length < 2) {
        errors += `${filename}:${linenum} should start with user keyword followed by the username. `;
        continue;
      }
      const name = argv[1]!;
      if (hasSpaces(name)) {
        errors += `'${filename}:${linenum}: username '${name}' contains invalid characters. `;
        continue;
      }
      if (loaded.has(name)) {
        errors += `WARNING: Duplicate user '${name}' found on line ${linenum}. `;
        continue;
      }
      const user = new AclUser(name, this.context);
      loaded.set(name, user);
      const merged = mergeSelectorArguments(argv.slice(2));
      if ('unmatched' in merged) {
        errors += `${filename}:${linenum}: Unmatched parenthesis in selector definition.`;
        continue;
      }
      let syntaxError = false;
      for (const raw of merged.ops) {
        const op = raw.replace(/^[\t\r\n]+|[\t\r\n]+$/g, '');
        try {
          user.apply(op);
        } catch (error) {
          if (!(error instanceof AclRuleFailure)) throw error;
          if (error.code === 'ENOENT') {
            errors += `${filename}:${linenum}: Error in applying operation '${op}': ${aclRuleErrors.ENOENT}. `;
          } else if (!syntaxError) {
            errors += `${filename}:${linenum}: ${aclRuleErrors[error.code]}. `;
            syntaxError = true;
          }
        }
      }
    }
    if (errors !== '') return errors + 'WARNING: ACL errors detected, no change to the previously active ACL rules was performed';
    const fileDefault = loaded.get('default') ?? this.createDefaultUser();
    this.defaultUser.copyFrom(fileDefault);
    loaded.set('default', this.defaultUser);
    const old = this.users;
    this.users = loaded;
    for (const user of old.values()) if (user !== this.defaultUser) this.disconnectUser(user, current);
    return null;
  }

  /** ACLSaveToFile: every user as a `user` line, written to a temporary file and renamed over the old one. */
  saveFile(filename: string): boolean {
    let content = '';
    for (const user of this.allUsers()) content += `user ${user.name} ${user.describe()}\n`;
    const temporary = `${filename}.tmp-${process.pid}-${Date.now()}`;
    try {
      fs.writeFileSync(temporary, content, { encoding: 'latin1', mode: 0o644 });
      fs.renameSync(temporary, filename);
      return true;
    } catch (error) {
      this.services.logger.warn({ err: error }, 'Writing the ACL file for ACL SAVE failed');
      try {
        fs.unlinkSync(temporary);
      } catch {
        // Nothing was written.
      }
      return false;
    }
  }
}

/**
 * ACLCheckChannelAgainstList: a channel name matches the allowed patterns
 * as globs; a PSUBSCRIBE pattern only matches one of them literally.
 */
function channelAllowed(allowed: readonly string[], channel: string, isPattern: boolean): boolean {
  for (const pattern of allowed) {
    if (isPattern ? pattern === channel : stringMatch(pattern, channel)) return true;
  }
  return false;
}

/**
 * ACLMergeSelectorArguments: a selector may come split over several
 * arguments, `(~x` `+get)`; they are joined with spaces. A `(` never
 * closed is an error naming the argument it started at.
 */
export function mergeSelectorArguments(args: readonly string[]): { ops: string[] } | { unmatched: string } {
  const ops: string[] = [];
  let open: string | null = null;
  let openedAt = '';
  for (const op of args) {
    if (op[0] === '(' && op[op.length - 1] !== ')') {
      open = op;
      openedAt = op;
      continue;
    }
    if (open !== null) {
      open += ' ' + op;
      if (op[op.length - 1] === ')') {
        ops.push(open);
        open = null;
      }
      continue;
    }
    ops.push(op);
  }
  if (open !== null) return { unmatched: openedAt };
  return { ops };
}

function mergeSelectorArgumentsOrSelf(args: readonly string[]): string[] {
  const merged = mergeSelectorArguments(args);
  return 'ops' in merged ? merged.ops : [...args];
}

function describeFsError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'No such file or directory';
  if (code === 'EACCES') return 'Permission denied';
  if (code === 'EISDIR') return 'Is a directory';
  return (error as Error).message;
}

