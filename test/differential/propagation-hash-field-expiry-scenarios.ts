/**
 * Scenarios for propagation-hash-field-expiry.test.ts: what the hash-field
 * expiration commands propagate (their journal form).
 * redis-server 7.0.15 has no such commands and journals nothing to compare
 * with, so each scenario states the journal Redis 8 writes, from its source:
 *
 * - 8.0 `src/t_hash.c` hexpireGenericCommand: H(P)EXPIRE(AT) become
 *   HPEXPIREAT with the absolute ms time, keeping the condition, and only
 *   the fields whose TTL was set (numfields rewritten); nothing when none
 *   was; a field deleted because the time is past goes as HDEL
 *   (propagateHashFieldDeletion), and the command itself not at all.
 * - hpersistCommand: verbatim when a TTL was removed (dirty++).
 * - hgetdelCommand: `HDEL key field...` (FIELDS and numfields dropped).
 * - hgetexCommand: HPEXPIREAT (EX/PX/EXAT rewritten to ms) or HPERSIST;
 *   HDELs only when the time was past.
 * - hsetexCommand: EX/PX/EXAT become PXAT <ms>; past time: HDELs only.
 * - hincrbyfloatCommand: `HSETEX key KEEPTTL FIELDS 1 field value` (reddish
 *   keeps 7.0's HSET for a field without TTL, which the 7.0 AOF test checks).
 * - lazy and active field expiry: one HDEL per field (hashTypeGetValue,
 *   onFieldExpire / listpackExExpire); active expiry never wraps them.
 *
 * The server runs on a ManualClock so the absolute times are exact.
 */

export const START = 1_700_000_000_000;
export const START_S = START / 1000;

/** A step: a command to send, or time moving / an active expiry cycle. */
export type FieldExpiryStep = string[] | { advance: number } | 'active-expiry-cycle';

export interface FieldExpiryScenario {
  steps: FieldExpiryStep[];
  /** The journal after the opening SELECT 0. */
  journal: string[][];
}

export const hashFieldExpiryScenarios: Record<string, FieldExpiryScenario> = {
  'H*EXPIRE* become HPEXPIREAT in ms with only the fields they set; a failed condition journals nothing': {
    steps: [
      ['HSET', 'h', 'a', '1', 'b', '2', 'c', '3'],
      ['HEXPIRE', 'h', '100', 'FIELDS', '3', 'a', 'x', 'b'],
      ['HPEXPIRE', 'h', '500', 'NX', 'FIELDS', '2', 'c', 'a'],
      ['HEXPIREAT', 'h', String(START_S + 50), 'fields', '1', 'a'],
      ['hpexpireat', 'h', String(START + 7), 'XX', 'FIELDS', '1', 'a'],
      ['HEXPIRE', 'h', '10', 'NX', 'FIELDS', '1', 'a'],
    ],
    journal: [
      ['HSET', 'h', 'a', '1', 'b', '2', 'c', '3'],
      ['HPEXPIREAT', 'h', String(START + 100_000), 'FIELDS', '2', 'a', 'b'],
      ['HPEXPIREAT', 'h', String(START + 500), 'NX', 'FIELDS', '1', 'c'],
      ['HPEXPIREAT', 'h', String(START + 50_000), 'fields', '1', 'a'],
      ['hpexpireat', 'h', String(START + 7), 'XX', 'FIELDS', '1', 'a'],
    ],
  },
  'a time already past journals an HDEL per field, not the command': {
    steps: [
      ['HSET', 'h', 'a', '1', 'b', '2', 'c', '3'],
      ['HEXPIRE', 'h', '0', 'FIELDS', '3', 'a', 'b', 'x'],
      ['HPEXPIREAT', 'h', '1', 'FIELDS', '1', 'c'],
    ],
    journal: [['HSET', 'h', 'a', '1', 'b', '2', 'c', '3'], ['MULTI'], ['HDEL', 'h', 'a'], ['HDEL', 'h', 'b'], ['EXEC'], ['HDEL', 'h', 'c']],
  },
  'HPERSIST is journalled verbatim when it removed a TTL': {
    steps: [
      ['HSET', 'h', 'a', '1', 'b', '2'],
      ['HPEXPIREAT', 'h', String(START + 1000), 'FIELDS', '1', 'a'],
      ['HPERSIST', 'h', 'FIELDS', '2', 'a', 'b'],
      ['HPERSIST', 'h', 'FIELDS', '2', 'a', 'b'],
    ],
    journal: [
      ['HSET', 'h', 'a', '1', 'b', '2'],
      ['HPEXPIREAT', 'h', String(START + 1000), 'FIELDS', '1', 'a'],
      ['HPERSIST', 'h', 'FIELDS', '2', 'a', 'b'],
    ],
  },
  'HGETDEL becomes HDEL of the fields asked; a miss journals nothing': {
    steps: [
      ['HSET', 'h', 'a', '1', 'b', '2'],
      ['HGETDEL', 'h', 'FIELDS', '2', 'a', 'x'],
      ['HGETDEL', 'h', 'FIELDS', '1', 'x'],
      ['HGETDEL', 'h', 'FIELDS', '1', 'b'],
    ],
    journal: [['HSET', 'h', 'a', '1', 'b', '2'], ['HDEL', 'h', 'a', 'x'], ['HDEL', 'h', 'b']],
  },
  'HGETEX becomes HPEXPIREAT or HPERSIST; a past time HDELs; a plain read journals nothing': {
    steps: [
      ['HSET', 'h', 'a', '1', 'b', '2'],
      ['HGETEX', 'h', 'EX', '10', 'FIELDS', '2', 'a', 'x'],
      ['HGETEX', 'h', 'PXAT', String(START + 99), 'FIELDS', '1', 'b'],
      ['HGETEX', 'h', 'PERSIST', 'FIELDS', '1', 'a'],
      ['HGETEX', 'h', 'FIELDS', '1', 'a'],
      ['HGETEX', 'h', 'EXAT', '1', 'FIELDS', '1', 'a'],
    ],
    journal: [
      ['HSET', 'h', 'a', '1', 'b', '2'],
      ['HPEXPIREAT', 'h', String(START + 10_000), 'FIELDS', '2', 'a', 'x'],
      ['HPEXPIREAT', 'h', String(START + 99), 'FIELDS', '1', 'b'],
      ['HPERSIST', 'h', 'FIELDS', '1', 'a'],
      ['HDEL', 'h', 'a'],
    ],
  },
  'HSETEX EX, PX and EXAT become PXAT; PXAT and KEEPTTL stay; a past time HDELs': {
    steps: [
      ['HSETEX', 'h', 'FNX', 'EX', '10', 'FIELDS', '1', 'a', '1'],
      ['HSETEX', 'h', 'PX', '20', 'FIELDS', '1', 'b', '2'],
      ['HSETEX', 'h', 'EXAT', String(START_S + 30), 'FIELDS', '1', 'c', '3'],
      ['HSETEX', 'h', 'PXAT', String(START + 40), 'FIELDS', '1', 'd', '4'],
      ['HSETEX', 'h', 'KEEPTTL', 'FIELDS', '1', 'a', 'x'],
      ['HSETEX', 'h', 'FNX', 'FIELDS', '1', 'a', 'y'],
      ['HSETEX', 'n', 'PXAT', '1', 'FIELDS', '1', 'a', '1'],
    ],
    journal: [
      ['HSETEX', 'h', 'FNX', 'PXAT', String(START + 10_000), 'FIELDS', '1', 'a', '1'],
      ['HSETEX', 'h', 'PXAT', String(START + 20), 'FIELDS', '1', 'b', '2'],
      ['HSETEX', 'h', 'PXAT', String(START + 30_000), 'FIELDS', '1', 'c', '3'],
      ['HSETEX', 'h', 'PXAT', String(START + 40), 'FIELDS', '1', 'd', '4'],
      ['HSETEX', 'h', 'KEEPTTL', 'FIELDS', '1', 'a', 'x'],
      ['HDEL', 'n', 'a'],
    ],
  },
  'HINCRBYFLOAT of a field with a TTL becomes HSETEX KEEPTTL': {
    steps: [
      ['HSET', 'h', 'f', '1', 'g', '1'],
      ['HPEXPIREAT', 'h', String(START + 1000), 'FIELDS', '1', 'f'],
      ['HINCRBYFLOAT', 'h', 'f', '0.5'],
      ['HINCRBYFLOAT', 'h', 'g', '0.5'],
    ],
    journal: [
      ['HSET', 'h', 'f', '1', 'g', '1'],
      ['HPEXPIREAT', 'h', String(START + 1000), 'FIELDS', '1', 'f'],
      ['HSETEX', 'h', 'KEEPTTL', 'FIELDS', '1', 'f', '1.5'],
      ['HSET', 'h', 'g', '1.5'],
    ],
  },
  'a read that finds fields expired journals their HDELs; so does the active cycle, unwrapped': {
    steps: [
      ['HSET', 'h', 'a', '1', 'b', '2', 'c', '3'],
      ['HSET', 'g', 'a', '1', 'b', '2'],
      ['HPEXPIREAT', 'h', String(START + 10), 'FIELDS', '2', 'a', 'b'],
      ['HPEXPIREAT', 'g', String(START + 10), 'FIELDS', '2', 'a', 'b'],
      { advance: 11 },
      ['HGET', 'h', 'c'],
      ['HSET', 'h', 'd', '4'],
      'active-expiry-cycle',
    ],
    journal: [
      ['HSET', 'h', 'a', '1', 'b', '2', 'c', '3'],
      ['HSET', 'g', 'a', '1', 'b', '2'],
      ['HPEXPIREAT', 'h', String(START + 10), 'FIELDS', '2', 'a', 'b'],
      ['HPEXPIREAT', 'g', String(START + 10), 'FIELDS', '2', 'a', 'b'],
      ['MULTI'],
      ['HDEL', 'h', 'a'],
      ['HDEL', 'h', 'b'],
      ['EXEC'],
      ['HSET', 'h', 'd', '4'],
      ['HDEL', 'g', 'a'],
      ['HDEL', 'g', 'b'],
    ],
  },
};
