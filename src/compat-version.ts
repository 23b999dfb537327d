/**
 * The `compat-version` parameter: which Redis reddish presents itself as.
 * Empty (the default) keeps every command reddish has and reports
 * REDIS_VERSION (7.0.15), since reddish does not yet cover any later
 * version's surface in full. A version ("7.0", "7.2", "8.4.0") hides every
 * command and subcommand whose `since` is newer, so a test suite written
 * for that Redis sees what it would see there, and INFO's redis_version
 * and HELLO's version report it.
 */
import { REDIS_VERSION } from './version.js';

/** A version as [major, minor, patch]; a missing patch is every patch of that minor. */
export type VersionParts = readonly [number, number, number];

const VERSION_SYNTAX = /^(\d{1,3})\.(\d{1,3})(?:\.(\d{1,3}))?$/;

/** The oldest version reddish can present: its commands follow 7.0's behaviour. */
const OLDEST: VersionParts = [7, 0, 0];

/** Validates a `compat-version` value; null when accepted. */
export function compatVersionError(value: string): string | null {
  if (value === '') return null;
  const parts = parseVersion(value);
  if (parts === null || compareVersions(parts, OLDEST) < 0) {
    return 'compat-version must be empty or a Redis version from 7.0 on, such as 7.0, 7.2 or 8.4.0';
  }
  return null;
}

/** "7.2" → [7, 2, Infinity] (all of 7.2.x), "7.2.4" → [7, 2, 4]; null if not a version. */
export function parseVersion(value: string): VersionParts | null {
  const m = VERSION_SYNTAX.exec(value);
  if (m === null) return null;
  return [Number(m[1]), Number(m[2]), m[3] === undefined ? Infinity : Number(m[3])];
}

export function compareVersions(a: VersionParts, b: VersionParts): number {
  return a[0] - b[0] || a[1] - b[1] || (a[2] === b[2] ? 0 : a[2] < b[2] ? -1 : 1);
}

/** Whether a command's `since` ("8.4.0") is newer than the compat version; never, for an empty one. */
export function isNewerThan(since: string, compatVersion: string): boolean {
  if (compatVersion === '') return false;
  const limit = parseVersion(compatVersion);
  const parts = parseVersion(since);
  return limit !== null && parts !== null && compareVersions(parts, limit) > 0;
}

/**
 * What INFO redis_version and HELLO version say: REDIS_VERSION when the
 * compat version is empty or 7.0 (reddish follows 7.0.15), else the
 * version given, with a missing patch read as .0 ("7.2" → "7.2.0").
 */
export function reportedRedisVersion(compatVersion: string): string {
  const parts = parseVersion(compatVersion);
  if (parts === null) return REDIS_VERSION;
  if (parts[0] === 7 && parts[1] === 0 && parts[2] === Infinity) return REDIS_VERSION;
  return `${parts[0]}.${parts[1]}.${parts[2] === Infinity ? 0 : parts[2]}`;
}
