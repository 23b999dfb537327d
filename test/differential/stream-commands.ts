/**
 * Random stream-command generator for differential runs: XADD (explicit
 * IDs, `ms-*`, trimming options), XRANGE/XREVRANGE, XLEN, XDEL, XTRIM
 * over a small pool of stream keys, with small node sizes set now and then
 * (so `~` trimming meets many node boundaries), some other types' writes
 * (WRONGTYPE both ways), TYPE, OBJECT ENCODING, COPY, RENAME and DEL.
 *
 * IDs are explicit, never `*`, so that the two servers hold the same IDs and
 * every reply compares byte for byte. The generator keeps a clock per key
 * so that most XADDs succeed; some go below the top on purpose.
 */
import type { Rng } from '../helpers/random.js';
import type { Command } from '../helpers/resp-client.js';
import { anyCase } from './pools.js';

export const STREAM_KEYS: readonly string[] = ['s1', 's2', 's3', 'x\x00s'];
/** Keys that may hold a string or a hash instead. */
const OTHER_KEYS: readonly string[] = ['s3', 'str'];

const FIELDS: readonly string[] = ['a', 'b', 'field', 'f\x00', ''];
const VALUES: readonly string[] = ['1', '-7', '123456789012', 'v', '', 'hello', 'x'.repeat(70), '\xff\x00', '9223372036854775807'];
const BAD_IDS: readonly string[] = ['abc', '1-a', '-1', '1--1', '18446744073709551616', '', '1-2-3', ' 5', '+5', '01-1', '5- 1'];
const HUGE_ID = '18446744073709551615-18446744073709551615';

export class StreamCommandGenerator {
  /** The ms the generator believes each key's next entry may use. */
  private readonly clock = new Map<string, number>();
  private readonly seqs = new Map<string, number>();

  constructor(private readonly extra: ((rng: Rng, g: StreamCommandGenerator) => Command | null) | null = null) {}

  key(rng: Rng): string {
    return rng.chance(0.08) ? rng.pick(OTHER_KEYS) : rng.pick(STREAM_KEYS);
  }

  /** An ID near the key's recent entries: mostly above the top, sometimes not. */
  nearId(rng: Rng, key: string): string {
    const ms = this.clock.get(key) ?? 1;
    const roll = rng.next();
    if (roll < 0.06) return rng.pick(BAD_IDS);
    if (roll < 0.1) return rng.pick(['-', '+', '0', '0-0', HUGE_ID]);
    const at = Math.max(0, ms - rng.int(0, 12));
    return rng.chance(0.3) ? String(at) : `${at}-${rng.int(0, 3)}`;
  }

  private fieldsAndValues(rng: Rng): string[] {
    const sameShape = rng.chance(0.7);
    const n = sameShape ? 2 : rng.int(1, 3);
    const out: string[] = [];
    for (let i = 0; i < n; i++) out.push(sameShape ? ['a', 'b'][i]! : rng.pick(FIELDS), rng.pick(VALUES));
    return out;
  }

  private trimOptions(rng: Rng, key: string, forXtrim: boolean): string[] {
    const out: string[] = [];
    const minid = rng.chance(0.4);
    out.push(anyCase(rng, minid ? 'MINID' : 'MAXLEN'));
    const approx = rng.pick(['', '~', '~', '=']);
    if (approx) out.push(approx);
    out.push(minid ? this.nearId(rng, key) : rng.pick(['0', '1', '2', '5', '10', '30', '-1', 'abc']));
    if (rng.chance(forXtrim ? 0.3 : 0.15)) out.push(anyCase(rng, 'LIMIT'), rng.pick(['0', '1', '5', '20', '-1']));
    if (rng.chance(0.03)) out.push(rng.pick(['MAXLEN', 'LIMIT', 'FOO']));
    return out;
  }

  xadd(rng: Rng, key: string): Command {
    const args: string[] = [anyCase(rng, 'XADD'), key];
    if (rng.chance(0.05)) args.push(anyCase(rng, 'NOMKSTREAM'));
    if (rng.chance(0.2)) args.push(...this.trimOptions(rng, key, false));
    const last = this.clock.get(key) ?? 1;
    const seq = this.seqs.get(key) ?? 0;
    const sameMs = rng.chance(0.6);
    const ms = sameMs ? last : last + rng.int(1, 5);
    const roll = rng.next();
    let id: string;
    if (roll < 0.05) id = this.nearId(rng, key);
    else if (roll < 0.25) id = `${ms}-*`;
    else if (roll < 0.26) id = rng.chance(0.15) ? rng.pick([HUGE_ID, '18446744073709551615-*']) : rng.pick(['0-0', '0-*']);
    else {
      const nextSeq = sameMs ? seq + rng.int(1, 3) : rng.int(0, 3);
      id = `${ms}-${nextSeq}`;
      this.seqs.set(key, nextSeq);
    }
    this.clock.set(key, ms);
    args.push(id, ...this.fieldsAndValues(rng));
    if (rng.chance(0.02)) args.pop();
    return args;
  }

  private range(rng: Rng, key: string, rev: boolean): Command {
    const bound = (): string => {
      const id = this.nearId(rng, key);
      return rng.chance(0.15) && id.length > 0 ? '(' + id : id;
    };
    const lo = rng.chance(0.3) ? '-' : bound();
    const hi = rng.chance(0.3) ? '+' : bound();
    const args: string[] = [anyCase(rng, rev ? 'XREVRANGE' : 'XRANGE'), key, rev ? hi : lo, rev ? lo : hi];
    if (rng.chance(0.4)) args.push(anyCase(rng, 'COUNT'), rng.pick(['0', '1', '2', '5', '-1', 'abc']));
    if (rng.chance(0.02)) args.push('COUNT');
    return args;
  }

  next(rng: Rng): Command {
    const key = this.key(rng);
    if (this.extra !== null && rng.chance(0.45)) {
      const command = this.extra(rng, this);
      if (command !== null) return command;
    }
    const roll = rng.next();
    if (roll < 0.4) return this.xadd(rng, key);
    if (roll < 0.5) return this.range(rng, key, false);
    if (roll < 0.56) return this.range(rng, key, true);
    if (roll < 0.6) return [anyCase(rng, 'XLEN'), key];
    if (roll < 0.68) {
      const ids = Array.from({ length: rng.int(1, 3) }, () => this.nearId(rng, key));
      return [anyCase(rng, 'XDEL'), key, ...ids];
    }
    if (roll < 0.75) return [anyCase(rng, 'XTRIM'), key, ...this.trimOptions(rng, key, true)];
    if (roll < 0.77) return ['CONFIG', 'SET', 'stream-node-max-entries', rng.pick(['2', '3', '5', '100', '0'])];
    if (roll < 0.78) return ['CONFIG', 'SET', 'stream-node-max-bytes', rng.pick(['0', '60', '200', '4096'])];
    if (roll < 0.81) return rng.chance(0.5) ? ['SET', rng.pick(OTHER_KEYS), 'v'] : ['HSET', rng.pick(OTHER_KEYS), 'f', 'v'];
    if (roll < 0.83) return [rng.pick(['GET', 'HGET', 'LPUSH']), key, ...(rng.chance(0.5) ? [] : ['f'])];
    if (roll < 0.86) return [rng.pick(['TYPE', 'EXISTS']), key];
    if (roll < 0.87) return ['OBJECT', 'ENCODING', key];
    if (roll < 0.89) return ['COPY', key, rng.pick(STREAM_KEYS), ...(rng.chance(0.5) ? ['REPLACE'] : [])];
    if (roll < 0.9) return ['RENAME', key, rng.pick(STREAM_KEYS)];
    if (roll < 0.92) return ['DEL', key];
    if (roll < 0.93) return [anyCase(rng, rng.pick(['XADD', 'XRANGE', 'XDEL', 'XTRIM', 'XLEN'])), ...(rng.chance(0.5) ? [] : [key])];
    return this.range(rng, key, rng.chance(0.5));
  }
}
