/**
 * ACL LOG (acl.c's ACLLog): the latest denials, newest first. A denial
 * like one of the ten newest entries (same reason, context, object and
 * user, within a minute) bumps that entry's count and moves it to the
 * front instead of adding another.
 */

/** Why a call was denied: acl.c's ACL_DENIED_* values (the larger wins among selectors). */
export const ACL_OK = 0;
export const ACL_DENIED_CMD = 1;
export const ACL_DENIED_KEY = 2;
export const ACL_DENIED_AUTH = 3;
export const ACL_DENIED_CHANNEL = 4;

export type AclDenial = typeof ACL_DENIED_CMD | typeof ACL_DENIED_KEY | typeof ACL_DENIED_AUTH | typeof ACL_DENIED_CHANNEL;

/** ACL_LOG_CTX_*: where the denied call came from. */
export type AclLogContext = 'toplevel' | 'multi' | 'lua';

const REASON_NAMES: Record<AclDenial, string> = {
  [ACL_DENIED_CMD]: 'command',
  [ACL_DENIED_KEY]: 'key',
  [ACL_DENIED_AUTH]: 'auth',
  [ACL_DENIED_CHANNEL]: 'channel',
};

/** ACL_LOG_GROUPING_MAX_TIME_DELTA */
const GROUPING_MS = 60_000;
/** addACLLogEntry looks this far back for an entry to bump. */
const GROUPING_SCAN = 10;

export interface AclLogEntry {
  count: number;
  reason: AclDenial;
  context: AclLogContext;
  object: string;
  username: string;
  /** Wall-clock ms of the last occurrence. */
  time: number;
  /** The client's CLIENT LIST line at the last occurrence. */
  clientInfo: string;
}

export class AclLog {
  /** Newest first. */
  private entries: AclLogEntry[] = [];

  constructor(private readonly maxLength: () => number) {}

  get length(): number {
    return this.entries.length;
  }

  /** addACLLogEntry */
  add(entry: Omit<AclLogEntry, 'count'>): void {
    const scanned = Math.min(GROUPING_SCAN, this.entries.length);
    for (let i = 0; i < scanned; i++) {
      const current = this.entries[i]!;
      if (
        current.reason === entry.reason &&
        current.context === entry.context &&
        Math.abs(current.time - entry.time) <= GROUPING_MS &&
        current.object === entry.object &&
        current.username === entry.username
      ) {
        this.entries.splice(i, 1);
        this.entries.unshift(current);
        current.clientInfo = entry.clientInfo;
        current.time = entry.time;
        current.count++;
        return;
      }
    }
    this.entries.unshift({ ...entry, count: 1 });
    const max = this.maxLength();
    if (this.entries.length > max) this.entries.length = max;
  }

  reset(): void {
    this.entries = [];
  }

  /** The newest `count` entries. */
  newest(count: number): readonly AclLogEntry[] {
    return this.entries.slice(0, count);
  }

  static reasonName(reason: AclDenial): string {
    return REASON_NAMES[reason];
  }
}
