/**
 * The pure parts of the GEO port that the differential tests reach only
 * through whole replies: pqsort's contract, the correctly rounded sin,
 * cos and asin (checked on arguments where glibc 2.36 is not correctly
 * rounded, against values computed to 300 bits with mpmath), llrint's
 * half-to-even in the distance format, and the geohash round trip.
 */
import { describe, expect, it } from 'vitest';
import { Rng } from '../../helpers/random.js';
import { crAsin, crCos, crSin } from '../../../src/store/correctly-rounded.js';
import {
  decodeScore,
  distanceIfWithin,
  encodeScore,
  encodeScoreText,
  geoDistance,
  geoDistancePrecise,
  mayPrintDifferently,
  ShapeTest,
  standardGeohash,
  type GeoShape,
} from '../../../src/store/geohash.js';
import { pqsort } from '../../../src/store/pqsort.js';
import { formatFixedPoint } from '../../../src/text/numbers.js';

describe('pqsort', () => {
  it('puts the wanted index range where a full sort would, the rest on the right side of it', () => {
    const rng = new Rng(7);
    for (let round = 0; round < 300; round++) {
      const n = rng.int(1, 120);
      // Few distinct keys: many ties, as equal distances give.
      const items = Array.from({ length: n }, (_, id) => ({ key: rng.int(0, 9), id }));
      const left = rng.int(0, n - 1);
      const right = rng.int(left, n - 1);
      const sorted = [...items].sort((a, b) => a.key - b.key);
      const partial = [...items];
      pqsort(partial, (a, b) => (a.key > b.key ? 1 : a.key === b.key ? 0 : -1), left, right);
      expect(partial.slice(left, right + 1).map((p) => p.key)).toEqual(sorted.slice(left, right + 1).map((p) => p.key));
      for (let i = 0; i < left; i++) expect(partial[i]!.key).toBeLessThanOrEqual(partial[left]!.key);
      for (let i = right + 1; i < n; i++) expect(partial[i]!.key).toBeGreaterThanOrEqual(partial[right]!.key);
      expect(new Set(partial.map((p) => p.id)).size).toBe(n);
    }
  });
});

describe('correctly rounded sin, cos and asin', () => {
  // [x, sin(x), cos(x)] rounded to nearest from 300-bit values; glibc's sin is one unit off on each x.
  const sinCos: ReadonlyArray<[number, number, number]> = [
    [0.7001698398135995, 0.6443475786001772, 0.7647327624419451],
    [0.6523817409350712, 0.6070807527975707, 0.7946401447087448],
    [1.8037187511614468, 0.9729959910567155, -0.23082201235488753],
    [0.2782756064686076, 0.274698000728064, 0.9615305551026471],
  ];
  // [a, asin(a)], where glibc's asin is one unit off.
  const asins: ReadonlyArray<[number, number]> = [
    [0.9720282504220696, 1.333717714370058],
    [0.7299720025026105, 0.8182809864032247],
    [0.18099397393618455, 0.18199702333277532],
  ];

  it('rounds to the nearest double', () => {
    for (const [x, sin, cos] of sinCos) {
      expect(crSin(x)).toBe(sin);
      expect(crSin(-x)).toBe(-sin);
      expect(crCos(x)).toBe(cos);
    }
    for (const [a, asin] of asins) expect(crAsin(a)).toBe(asin);
  });

  it('agrees with Math.* to within one unit across the GEO arguments, and exactly at the special points', () => {
    const rng = new Rng(11);
    for (let i = 0; i < 20000; i++) {
      const x = (rng.next() * 2 - 1) * Math.PI;
      const a = rng.next();
      for (const [mine, v8] of [[crSin(x), Math.sin(x)], [crCos(x), Math.cos(x)], [crAsin(a), Math.asin(a)]] as const) {
        expect(Math.abs(mine - v8)).toBeLessThanOrEqual(Math.abs(v8) * 2 ** -52);
      }
    }
    expect(crSin(0)).toBe(0);
    expect(crCos(0)).toBe(1);
    expect(crAsin(0)).toBe(0);
    expect(crAsin(1)).toBe(Math.PI / 2);
  });
});

describe('formatFixedPoint (fixedpoint_d2string)', () => {
  it('rounds ties to even, as llrint does', () => {
    // 0.00025 * 10^4 and 0.00035 * 10^4 are exactly 2.5 and 3.5 in doubles.
    expect(formatFixedPoint(0.00025, 4)).toBe('0.0002');
    expect(formatFixedPoint(0.00035, 4)).toBe('0.0004');
    expect(formatFixedPoint(0, 4)).toBe('0.0000');
    expect(formatFixedPoint(166.27415156960032, 4)).toBe('166.2742');
    expect(formatFixedPoint(-1.5, 4)).toBe('-1.5000');
    expect(formatFixedPoint(20037726.37, 4)).toBe('20037726.3700');
  });
});

describe('mayPrintDifferently (which WITHDIST distances are worked out again)', () => {
  it('flags a distance next to a four-decimal rounding boundary, and one near the antipode', () => {
    const centre = decodeScore(5066551907190826);
    const p3 = decodeScore(3479485348015207);
    const metres = geoDistance(centre[0], centre[1], p3[0], p3[1]);
    // Redis 7.0.15 prints 19478485.3194 ft (test/differential/geo.test.ts); V8's functions alone give .3193.
    expect(mayPrintDifferently(metres, 0.3048)).toBe(true);
    expect(formatFixedPoint(geoDistancePrecise(centre[0], centre[1], p3[0], p3[1]) / 0.3048, 4)).toBe('19478485.3194');
    expect(mayPrintDifferently(20_000_000, 1)).toBe(true);
  });

  it('leaves the distances away from a boundary alone', () => {
    expect(mayPrintDifferently(1234.56781, 1)).toBe(false);
    expect(mayPrintDifferently(19478485.3194 * 0.3048, 0.3048)).toBe(false);
    expect(mayPrintDifferently(12345.67895, 1000)).toBe(false);
    // 1234.56785 m is 12345678.5 scaled: halfway, to within 1e-14 of it.
    expect(mayPrintDifferently(1234.56785, 1)).toBe(true);
  });
});

describe('geohash scores', () => {
  it('encodes Palermo as Redis does and decodes the centre of its cell', () => {
    expect(encodeScore(13.361389, 38.115556)).toBe(3479099956230698);
    expect(decodeScore(3479099956230698)).toEqual([13.361389338970184, 38.1155563954963]);
    expect(standardGeohash(3479099956230698)).toBe('sqc8b49rny0');
  });

  it('gives the exact integer text past 2^53, where the score itself rounds', () => {
    // +180 sets bit 53: 10138940401276181 is odd, so no double holds it;
    // Redis's ZSCORE then shows 10138940401276180.
    expect(encodeScoreText(180, 10)).toBe('10138940401276181');
    expect(encodeScore(180, 10)).toBe(10138940401276180);
  });
});

describe('ShapeTest', () => {
  // Its early rejections (the cell row, the longitude band) must never
  // drop a point that decoding the score and measuring its distance, as
  // geoWithinShape does, would keep: checked on points around the edges
  // of the circle, near the poles and across the antimeridian.
  it('keeps exactly the points decodeScore + distanceIfWithin keeps, with the same distance and point', () => {
    const rng = new Rng(14);
    let kept = 0;
    for (let round = 0; round < 400; round++) {
      const near = rng.int(0, 3);
      const longitude = near === 1 ? 180 - rng.next() * 0.5 : rng.next() * 360 - 180;
      const latitude = near === 2 ? 85.05112878 - rng.next() * 6 : near === 3 ? -85.05112878 + rng.next() * 6 : rng.next() * 170 - 85;
      const radiusKm = [0, 0.01, 1, 20, 300, 3000, 9000, 19000][rng.int(0, 7)]!;
      const shape: GeoShape = { type: 'radius', longitude, latitude, conversion: 1000, radius: radiusKm, width: 0, height: 0 };
      const test = new ShapeTest(shape);
      for (let i = 0; i < 400; i++) {
        // Candidates scattered up to a few radii away, some exactly on the centre's row or column.
        const spread = Math.max(radiusKm / 111, 0.0001) * 1.5;
        let lon = longitude + (rng.next() * 2 - 1) * spread / Math.max(Math.cos((latitude * Math.PI) / 180), 0.05);
        let lat = i % 17 === 0 ? latitude : latitude + (rng.next() * 2 - 1) * spread;
        if (i % 23 === 0) lon = longitude;
        lon = ((((lon + 180) % 360) + 360) % 360) - 180;
        lat = Math.max(-85.05112878, Math.min(85.05112878, lat));
        const score = encodeScore(lon, lat);
        const [x, y] = decodeScore(score);
        const expected = distanceIfWithin(shape, x, y, false);
        const got = test.test(score);
        expect(got).toBe(expected);
        if (got !== -1) {
          kept++;
          expect([test.longitude, test.latitude]).toEqual([x, y]);
        }
      }
    }
    // Enough points fall inside for the check to mean something.
    expect(kept).toBeGreaterThan(20000);
  });
});
