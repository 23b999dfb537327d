/**
 * Random GEO command generator for differential runs: every GEO command
 * with every option (valid, conflicting, misplaced and malformed), over
 * points drawn everywhere on the map with extra weight near the poles
 * (the ±85.05112878 limit and just inside it), on and near the
 * antimeridian (±180), at the origin, and in tight clusters, so that
 * searches cross the cell edges, the wrap-around of the neighbour cells,
 * and meet many equal distances (duplicate coordinates under different
 * names: the sort order of ties is Redis's qsort / pqsort order).
 *
 * A few ZADDs put arbitrary scores (fractions, negatives, huge values,
 * the infinities) in the geo sets, which GEOPOS and the searches decode as
 * Redis's uint64 conversion does. `geobig` gets bulk GEOADDs of 60 points,
 * so it spends most of a run as a skiplist; the small sets stay listpacks.
 */
import type { Rng } from '../helpers/random.js';
import type { Command } from '../helpers/resp-client.js';
import { anyCase, unknownCommand } from './pools.js';

export const GEO_KEYS: readonly string[] = ['geo1', 'geo2', 'geobig', 'dst', 'str'];
const SOURCE_KEYS: readonly string[] = ['geo1', 'geo2', 'geobig', 'geobig', 'nokey', 'str', 'dst'];

const MEMBERS: readonly string[] = Array.from({ length: 24 }, (_, i) => `m${i}`).concat(['', 'a\x00b', '\xff', 'Palermo']);
const BIG_MEMBERS = 400;

/** Fixed points where the arithmetic has edges. */
const SPECIAL_POINTS: ReadonlyArray<readonly [string, string]> = [
  ['0', '0'],
  ['180', '0'],
  ['-180', '0'],
  ['180', '85.05112878'],
  ['-180', '-85.05112878'],
  ['0', '85.05112878'],
  ['0', '-85.05112878'],
  ['179.99999999', '85.05112877'],
  ['-179.99999999', '-85.05112877'],
  ['13.361389', '38.115556'],
  ['15.087269', '37.502669'],
  ['-0', '-0'],
  ['1e-300', '-1e-300'],
  ['0x10', '0x1p3'],
];
const BAD_COORDINATES: readonly string[] = ['180.0000001', '-180.0000001', '85.05112879', '-85.06', 'abc', '', 'inf', '-inf', '1e400', 'nan', '1,5'];

const UNITS: readonly string[] = ['m', 'km', 'ft', 'mi', 'M', 'KM', 'Ft', 'mI'];
const BAD_UNITS: readonly string[] = ['miles', 'cm', '', 'k'];
const RADII: readonly string[] = ['0', '1', '50', '500', '1000', '5000', '20000', '100000', '250000', '1000000', '5000000', '20000000', '0.5', '1e3'];
const BAD_RADII: readonly string[] = ['-1', 'abc', '', '-0.001', 'nan', 'inf'];
const COUNTS: readonly string[] = ['1', '2', '3', '5', '10', '50', '1000', '9223372036854775807'];
const BAD_COUNTS: readonly string[] = ['0', '-1', 'abc', '1.5', '9223372036854775808'];

/** A coordinate pair: anywhere, in a cluster, or on an edge. */
function point(rng: Rng): [string, string] {
  const roll = rng.next();
  if (roll < 0.15) {
    const [lon, lat] = rng.pick(SPECIAL_POINTS);
    return [lon, lat];
  }
  if (roll < 0.3) {
    // The poles' limit and the antimeridian.
    const lat = rng.pick(['85.05112878', '-85.05112878', String(85.05112878 - rng.next() * 0.5), String(-85.05112878 + rng.next() * 0.5), String(rng.next() * 170 - 85)]);
    const lon = rng.pick(['180', '-180', String(180 - rng.next() * 0.5), String(-180 + rng.next() * 0.5), String(rng.next() * 360 - 180)]);
    return [lon, lat];
  }
  if (roll < 0.55) {
    // A cluster round Sicily, with few distinct spots: equal distances.
    const lon = 13 + rng.int(0, 20) / 10;
    const lat = 37 + rng.int(0, 20) / 10;
    return [String(lon), String(lat)];
  }
  const lon = (rng.next() * 360 - 180).toFixed(rng.int(0, 8));
  const lat = (rng.next() * 170.1 - 85.05).toFixed(rng.int(0, 8));
  return [lon, lat];
}

function coordinates(rng: Rng): [string, string] {
  if (rng.chance(0.04)) {
    const bad = rng.pick(BAD_COORDINATES);
    const [lon, lat] = point(rng);
    return rng.chance(0.5) ? [bad, lat] : [lon, bad];
  }
  return point(rng);
}

function member(rng: Rng, key = ''): string {
  if (key === 'geobig' && rng.chance(0.7)) return `p${rng.int(0, BIG_MEMBERS - 1)}`;
  return rng.pick(MEMBERS);
}

function sourceKey(rng: Rng): string {
  return rng.pick(SOURCE_KEYS);
}

function unit(rng: Rng): string {
  return rng.chance(0.03) ? rng.pick(BAD_UNITS) : rng.pick(UNITS);
}

function radius(rng: Rng): string {
  return rng.chance(0.03) ? rng.pick(BAD_RADII) : rng.pick(RADII);
}

/** GEOADD with a random subset of NX, XX, CH (conflicts included) and 1-4 points, or 60 at once to geobig. */
function geoaddCommand(rng: Rng): Command {
  const bulk = rng.chance(0.15);
  const key = bulk ? 'geobig' : rng.chance(0.05) ? rng.pick(['str', 'dst']) : rng.pick(['geo1', 'geo2', 'geobig']);
  const args: string[] = [anyCase(rng, 'GEOADD'), key];
  for (const option of rng.subset(['NX', 'XX', 'CH'], 0.1)) args.push(anyCase(rng, option));
  const points = bulk ? 60 : rng.int(1, 4);
  for (let i = 0; i < points; i++) {
    const [lon, lat] = bulk ? point(rng) : coordinates(rng);
    args.push(lon, lat, member(rng, key));
  }
  if (rng.chance(0.02)) args.push(rng.pick(['1', 'x']));
  return args;
}

/** The options every search takes, in random order; rarely a malformed one. */
function searchOptions(rng: Rng, store: boolean): string[] {
  const options: string[][] = [];
  if (!store || rng.chance(0.03)) {
    for (const option of rng.subset(['WITHDIST', 'WITHHASH', 'WITHCOORD'], 0.4)) options.push([anyCase(rng, option)]);
  }
  if (rng.chance(0.6)) options.push([anyCase(rng, rng.pick(['ASC', 'DESC']))]);
  if (rng.chance(0.5)) {
    const count = [anyCase(rng, 'COUNT'), rng.chance(0.05) ? rng.pick(BAD_COUNTS) : rng.pick(COUNTS)];
    if (rng.chance(0.3)) count.push(anyCase(rng, 'ANY'));
    options.push(count);
  } else if (rng.chance(0.03)) {
    options.push([anyCase(rng, 'ANY')]);
  }
  if (rng.chance(0.02)) options.push([rng.pick(['COUNT', 'WITHDISTS', 'STORE', 'BYRADIUS', 'x'])]);
  return rng.shuffle(options).flat();
}

/** GEORADIUS / GEORADIUSBYMEMBER and their _RO forms, with STORE / STOREDIST on the write forms. */
function georadiusCommand(rng: Rng, name: string): Command {
  const byMember = name.includes('BYMEMBER');
  const key = sourceKey(rng);
  const args: string[] = [anyCase(rng, name), key];
  if (byMember) args.push(member(rng, key));
  else args.push(...coordinates(rng));
  args.push(radius(rng), unit(rng));
  const store = !name.endsWith('_RO') ? rng.chance(0.3) : rng.chance(0.03);
  args.push(...searchOptions(rng, store));
  if (store) args.push(anyCase(rng, rng.pick(['STORE', 'STOREDIST'])), rng.pick(['dst', 'dst', 'geo2', 'str']));
  return args;
}

/** GEOSEARCH / GEOSEARCHSTORE: a centre and a shape (now and then two, or none), options, STOREDIST. */
function geosearchCommand(rng: Rng, name: string): Command {
  const store = name === 'GEOSEARCHSTORE';
  const key = sourceKey(rng);
  const args: string[] = [anyCase(rng, name)];
  if (store) args.push(rng.pick(['dst', 'dst', 'geo2', 'str']));
  args.push(key);
  const parts: string[][] = [];
  const from = (): string[] =>
    rng.chance(0.5) ? [anyCase(rng, 'FROMMEMBER'), member(rng, key)] : [anyCase(rng, 'FROMLONLAT'), ...coordinates(rng)];
  const by = (): string[] => {
    if (rng.chance(0.5)) return [anyCase(rng, 'BYRADIUS'), radius(rng), unit(rng)];
    const side = (): string => (rng.chance(0.03) ? rng.pick(BAD_RADII) : rng.pick(RADII));
    return [anyCase(rng, 'BYBOX'), side(), side(), unit(rng)];
  };
  if (!rng.chance(0.03)) parts.push(from());
  if (rng.chance(0.03)) parts.push(from());
  if (!rng.chance(0.03)) parts.push(by());
  if (rng.chance(0.03)) parts.push(by());
  parts.push(searchOptions(rng, store));
  if (store && rng.chance(0.4)) parts.push([anyCase(rng, 'STOREDIST')]);
  if (!store && rng.chance(0.02)) parts.push([anyCase(rng, 'STOREDIST')]);
  return args.concat(...rng.shuffle(parts));
}

/** ZADD of a score no GEOADD makes: GEOPOS and the searches decode it anyway. */
function oddScoreCommand(rng: Rng): Command {
  const score = rng.pick(['-1.5', '0', '1', '123.7', '1e300', 'inf', '-inf', '4503599627370496', '9007199254740993', '18446744073709551616', '-9223372036854775808', '3471579339700058']);
  return ['ZADD', rng.pick(['geo1', 'geo2']), score, member(rng)];
}

export function createGeoCommandGenerator(): (rng: Rng) => Command {
  return (rng) => {
    const kind = rng.weighted([
      ['GEOADD', 6], ['GEODIST', 2], ['GEOHASH', 1.5], ['GEOPOS', 1.5], ['GEORADIUS', 2], ['GEORADIUS_RO', 1],
      ['GEORADIUSBYMEMBER', 2], ['GEORADIUSBYMEMBER_RO', 1], ['GEOSEARCH', 4], ['GEOSEARCHSTORE', 2],
      ['ZRANGE', 1.5], ['ZADD', 0.4], ['ZREM', 0.5], ['DEL', 0.4], ['SET', 0.2], ['TYPE', 0.3], ['wrong-arity', 0.5], ['unknown', 0.1],
    ] as const);
    const cmd = (name: string): string => anyCase(rng, name);
    switch (kind) {
      case 'GEOADD':
        return geoaddCommand(rng);
      case 'GEODIST': {
        const key = sourceKey(rng);
        const args = [cmd('GEODIST'), key, member(rng, key), member(rng, key)];
        if (rng.chance(0.7)) args.push(unit(rng));
        if (rng.chance(0.02)) args.push('extra');
        return args;
      }
      case 'GEOHASH':
      case 'GEOPOS': {
        const key = sourceKey(rng);
        return [cmd(kind), key, ...Array.from({ length: rng.int(0, 4) }, () => member(rng, key))];
      }
      case 'GEORADIUS':
      case 'GEORADIUS_RO':
      case 'GEORADIUSBYMEMBER':
      case 'GEORADIUSBYMEMBER_RO':
        return georadiusCommand(rng, kind);
      case 'GEOSEARCH':
      case 'GEOSEARCHSTORE':
        return geosearchCommand(rng, kind);
      case 'ZRANGE':
        // Without scores: a STOREDIST destination's distances may differ
        // from Redis's in the last bit (see geo.test.ts), which GEOPOS,
        // GEODIST and the searches read back anyway.
        return [cmd('ZRANGE'), rng.pick(GEO_KEYS), '0', '-1'];
      case 'ZADD':
        return oddScoreCommand(rng);
      case 'ZREM': {
        const key = rng.pick(['geo1', 'geo2', 'dst']);
        return [cmd('ZREM'), key, member(rng, key), member(rng, key)];
      }
      case 'DEL':
        return [cmd('DEL'), rng.pick(['geo1', 'geo2', 'dst', 'str'])];
      case 'SET':
        return [cmd('SET'), 'str', 'x'];
      case 'TYPE':
        return [cmd('TYPE'), rng.pick(GEO_KEYS)];
      case 'wrong-arity': {
        const name = rng.pick(['GEOADD', 'GEODIST', 'GEOHASH', 'GEOPOS', 'GEORADIUS', 'GEORADIUSBYMEMBER', 'GEOSEARCH', 'GEOSEARCHSTORE']);
        const minimum: Record<string, number> = { GEOADD: 5, GEODIST: 4, GEOHASH: 2, GEOPOS: 2, GEORADIUS: 6, GEORADIUSBYMEMBER: 5, GEOSEARCH: 7, GEOSEARCHSTORE: 8 };
        return [cmd(name), ...Array.from({ length: rng.int(0, minimum[name]! - 2) }, () => 'geo1')];
      }
      case 'unknown':
        return unknownCommand(rng);
    }
  };
}
