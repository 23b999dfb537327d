/**
 * The GEO commands through the client libraries applications use: ioredis
 * (RESP2 and RESP3) and node-redis 5's typed methods (geoAdd, geoSearchWith,
 * geoRadiusStore, ...), every command and every error path. Each scenario
 * also runs on redis-server when it is installed, so the values expected
 * here are Redis's own; test/differential/geo.test.ts compares raw bytes.
 */
import { Redis } from 'ioredis';
import { createClient } from 'redis';
import { afterEach, describe, expect, it } from 'vitest';
import { serversUnderTest, useServerUnderTest } from '../helpers/servers-under-test.js';

const PALERMO = { longitude: 13.361389, latitude: 38.115556, member: 'Palermo' };
const CATANIA = { longitude: 15.087269, latitude: 37.502669, member: 'Catania' };

describe.each(serversUnderTest())('GEO on $name', (under) => {
  const server = useServerUnderTest(under);
  const opened: Array<{ disconnect(): unknown }> = [];
  afterEach(async () => {
    for (const client of opened.splice(0)) await client.disconnect();
  });

  function ioredis(protocol: 2 | 3 = 2): Redis {
    const client = new Redis(server.port, { protocol, maxRetriesPerRequest: 0 });
    opened.push(client);
    return client;
  }

  async function nodeRedis(RESP: 2 | 3 = 2) {
    const client = createClient({ url: `redis://127.0.0.1:${server.port}`, RESP });
    await client.connect();
    opened.push({ disconnect: () => client.destroy() });
    return client;
  }

  it('ioredis: GEOADD with NX, XX and CH; GEOPOS, GEOHASH and GEODIST in every unit', async () => {
    const redis = ioredis();
    await redis.flushall();
    expect(await redis.geoadd('sicily', 13.361389, 38.115556, 'Palermo', 15.087269, 37.502669, 'Catania')).toBe(2);
    expect(await redis.geoadd('sicily', 'NX', 1, 1, 'Palermo')).toBe(0);
    expect(await redis.geoadd('sicily', 'XX', 1, 1, 'Agrigento')).toBe(0);
    expect(await redis.geoadd('sicily', 'XX', 'CH', 13.361389, 38.115556, 'Palermo', 13.5, 37.3, 'Agrigento')).toBe(0);
    expect(await redis.geoadd('sicily', 'CH', 13.583333, 37.316667, 'Agrigento')).toBe(1);
    expect(await redis.type('sicily')).toBe('zset');
    expect(await redis.zscore('sicily', 'Palermo')).toBe('3479099956230698');
    expect(await redis.geopos('sicily', 'Palermo', 'Nowhere', 'Catania')).toEqual([
      ['13.36138933897018433', '38.11555639549629859'],
      null,
      ['15.08726745843887329', '37.50266842333162032'],
    ]);
    expect(await redis.geohash('sicily', 'Palermo', 'Catania', 'Nowhere')).toEqual(['sqc8b49rny0', 'sqdtr74hyu0', null]);
    expect(await redis.geodist('sicily', 'Palermo', 'Catania')).toBe('166274.1516');
    expect(await redis.geodist('sicily', 'Palermo', 'Catania', 'KM')).toBe('166.2742');
    expect(await redis.geodist('sicily', 'Palermo', 'Catania', 'mi')).toBe('103.3182');
    expect(await redis.geodist('sicily', 'Palermo', 'Catania', 'ft')).toBe('545518.8700');
    expect(await redis.geodist('sicily', 'Palermo', 'Nowhere')).toBeNull();
    expect(await redis.geodist('nokey', 'a', 'b')).toBeNull();
    expect(await redis.geopos('nokey', 'a')).toEqual([null]);
    expect(await redis.geohash('nokey', 'a')).toEqual([null]);
    // The poles' limit and the antimeridian are valid; a step past them is not.
    expect(await redis.geoadd('edges', 180, 85.05112878, 'ne', -180, -85.05112878, 'sw')).toBe(2);
    expect(await redis.geopos('edges', 'ne', 'sw')).toEqual([
      ['180', '85.0511287799999991'],
      ['-179.99999731779098511', '-85.05112751263942528'],
    ]);
  });

  it('ioredis: every GEO error text', async () => {
    const redis = ioredis();
    await redis.flushall();
    await redis.geoadd('sicily', 13.361389, 38.115556, 'Palermo', 15.087269, 37.502669, 'Catania');
    await redis.set('text', 'x');
    const cases: Array<[Array<string | number>, string]> = [
      [['GEOADD', 'sicily', 180.5, 10, 'x'], 'ERR invalid longitude,latitude pair 180.500000,10.000000'],
      [['GEOADD', 'sicily', 10, -85.06, 'x'], 'ERR invalid longitude,latitude pair 10.000000,-85.060000'],
      [['GEOADD', 'sicily', 'east', 10, 'x'], 'ERR value is not a valid float'],
      [['GEOADD', 'sicily', 'NX', 'XX', 10, 10, 'x'], 'ERR syntax error'],
      [['GEOADD', 'sicily', 10, 10, 'x', 11], 'ERR syntax error'],
      [['GEOADD', 'text', 10, 10, 'x'], 'WRONGTYPE Operation against a key holding the wrong kind of value'],
      [['GEOADD', 'sicily', 10], "ERR wrong number of arguments for 'geoadd' command"],
      [['GEODIST', 'sicily', 'Palermo', 'Catania', 'yd'], 'ERR unsupported unit provided. please use M, KM, FT, MI'],
      [['GEODIST', 'sicily', 'Palermo', 'Catania', 'km', 'x'], 'ERR syntax error'],
      [['GEODIST', 'text', 'a', 'b'], 'WRONGTYPE Operation against a key holding the wrong kind of value'],
      [['GEOPOS', 'text', 'a'], 'WRONGTYPE Operation against a key holding the wrong kind of value'],
      [['GEOHASH', 'text', 'a'], 'WRONGTYPE Operation against a key holding the wrong kind of value'],
      [['GEORADIUS', 'sicily', 15, 37, -5, 'km'], 'ERR radius cannot be negative'],
      [['GEORADIUS', 'sicily', 15, 37, 'far', 'km'], 'ERR need numeric radius'],
      [['GEORADIUS', 'sicily', 15, 37, 5, 'league'], 'ERR unsupported unit provided. please use M, KM, FT, MI'],
      [['GEORADIUS', 'sicily', 15, 37, 5, 'km', 'COUNT', 0], 'ERR COUNT must be > 0'],
      [['GEORADIUS', 'sicily', 15, 37, 5, 'km', 'COUNT', 'all'], 'ERR value is not an integer or out of range'],
      [['GEORADIUS', 'sicily', 15, 37, 5, 'km', 'ANY'], 'ERR the ANY argument requires COUNT argument'],
      [['GEORADIUS', 'sicily', 15, 37, 5, 'km', 'SORTED'], 'ERR syntax error'],
      [['GEORADIUS', 'sicily', 15, 37, 5, 'km', 'WITHDIST', 'STORE', 'dst'], 'ERR STORE option in GEORADIUS is not compatible with WITHDIST, WITHHASH and WITHCOORD options'],
      [['GEORADIUS_RO', 'sicily', 15, 37, 5, 'km', 'STORE', 'dst'], 'ERR syntax error'],
      [['GEORADIUSBYMEMBER_RO', 'sicily', 'Palermo', 5, 'km', 'STOREDIST', 'dst'], 'ERR syntax error'],
      [['GEORADIUSBYMEMBER', 'sicily', 'Nowhere', 5, 'km'], 'ERR could not decode requested zset member'],
      [['GEORADIUS', 'text', 15, 37, 5, 'km'], 'WRONGTYPE Operation against a key holding the wrong kind of value'],
      [['GEOSEARCH', 'sicily', 'BYRADIUS', 5, 'km', 'ASC', 'WITHDIST'], 'ERR exactly one of FROMMEMBER or FROMLONLAT can be specified for GEOSEARCH'],
      [['geosearch', 'sicily', 'FROMMEMBER', 'Palermo', 'ASC', 'WITHDIST', 'WITHHASH'], 'ERR exactly one of BYRADIUS and BYBOX can be specified for geosearch'],
      [['GEOSEARCH', 'sicily', 'FROMLONLAT', 15, 37, 'FROMMEMBER', 'Palermo', 'BYRADIUS', 5, 'km'], 'ERR syntax error'],
      [['GEOSEARCH', 'sicily', 'FROMMEMBER', 'Palermo', 'BYRADIUS', 5, 'km', 'BYBOX', 1, 1, 'km'], 'ERR syntax error'],
      [['GEOSEARCH', 'sicily', 'FROMMEMBER', 'Palermo', 'BYBOX', 1, -1, 'km'], 'ERR height or width cannot be negative'],
      [['GEOSEARCH', 'sicily', 'FROMMEMBER', 'Palermo', 'BYBOX', 'wide', 1, 'km'], 'ERR need numeric width'],
      [['GEOSEARCH', 'sicily', 'FROMMEMBER', 'Palermo', 'BYBOX', 1, 'tall', 'km'], 'ERR need numeric height'],
      [['GEOSEARCH', 'sicily', 'FROMMEMBER', 'Nowhere', 'BYRADIUS', 5, 'km'], 'ERR could not decode requested zset member'],
      [['GEOSEARCH', 'sicily', 'FROMLONLAT', 190, 37, 'BYRADIUS', 5, 'km'], 'ERR invalid longitude,latitude pair 190.000000,37.000000'],
      [['GEOSEARCH', 'sicily', 'FROMMEMBER', 'Palermo', 'BYRADIUS', 5, 'km', 'STOREDIST'], 'ERR syntax error'],
      [['GEOSEARCHSTORE', 'dst', 'sicily', 'FROMMEMBER', 'Palermo', 'BYRADIUS', 5, 'km', 'WITHCOORD'], 'ERR GEOSEARCHSTORE is not compatible with WITHDIST, WITHHASH and WITHCOORD options'],
      [['GEOSEARCHSTORE', 'dst', 'sicily', 'FROMMEMBER', 'Palermo', 'BYRADIUS', 5, 'km', 'STORE', 'x'], 'ERR syntax error'],
    ];
    for (const [command, message] of cases) {
      await expect(redis.call(String(command[0]), ...command.slice(1)), command.join(' ')).rejects.toThrow(message);
    }
  });

  it('ioredis: GEORADIUS and GEORADIUSBYMEMBER with WITH*, COUNT [ANY], ASC/DESC, STORE and STOREDIST', async () => {
    const redis = ioredis();
    await redis.flushall();
    await redis.geoadd('sicily', 13.361389, 38.115556, 'Palermo', 15.087269, 37.502669, 'Catania');
    expect(await redis.georadius('sicily', 15, 37, 200, 'km', 'WITHDIST', 'WITHHASH', 'WITHCOORD', 'ASC')).toEqual([
      ['Catania', '56.4413', 3479447370796909, ['15.08726745843887329', '37.50266842333162032']],
      ['Palermo', '190.4424', 3479099956230698, ['13.36138933897018433', '38.11555639549629859']],
    ]);
    expect(await redis.georadius('sicily', 15, 37, 200, 'km', 'DESC')).toEqual(['Palermo', 'Catania']);
    expect(await redis.georadius('sicily', 15, 37, 200, 'km', 'COUNT', 1)).toEqual(['Catania']);
    expect(await redis.georadius('sicily', 15, 37, 200, 'km', 'COUNT', 1, 'DESC', 'WITHDIST')).toEqual([['Palermo', '190.4424']]);
    expect(await redis.georadius('sicily', 15, 37, 200, 'km', 'COUNT', 5, 'ANY')).toHaveLength(2);
    expect(await redis.georadius('sicily', 15, 37, 10, 'km')).toEqual([]);
    expect(await redis.georadius('nokey', 15, 37, 200, 'km')).toEqual([]);
    expect(await redis.georadius_ro('sicily', 15, 37, 100, 'km', 'WITHDIST')).toEqual([['Catania', '56.4413']]);
    expect(await redis.georadiusbymember('sicily', 'Palermo', 200, 'km', 'WITHDIST', 'ASC')).toEqual([
      ['Palermo', '0.0000'],
      ['Catania', '166.2742'],
    ]);
    expect(await redis.georadiusbymember_ro('sicily', 'Catania', 100, 'km')).toEqual(['Catania']);

    expect(await redis.georadius('sicily', 15, 37, 200, 'km', 'STORE', 'near')).toBe(2);
    expect(await redis.zrange('near', 0, -1, 'WITHSCORES')).toEqual(['Palermo', '3479099956230698', 'Catania', '3479447370796909']);
    await redis.set('dists', 'old', 'EX', 100);
    expect(await redis.georadiusbymember('sicily', 'Palermo', 200, 'km', 'STOREDIST', 'dists')).toBe(2);
    expect(await redis.ttl('dists')).toBe(-1);
    expect(await redis.zrange('dists', 0, -1, 'WITHSCORES')).toEqual(['Palermo', '0', 'Catania', '166.27415156960032']);
    expect(await redis.georadius('sicily', 0, 0, 1, 'km', 'STORE', 'near')).toBe(0);
    expect(await redis.exists('near')).toBe(0);
    expect(await redis.georadiusbymember('nokey', 'x', 1, 'km', 'STORE', 'dists')).toBe(0);
    expect(await redis.exists('dists')).toBe(0);
  });

  it('ioredis: GEOSEARCH and GEOSEARCHSTORE by radius and by box, from a member or a point', async () => {
    const redis = ioredis();
    await redis.flushall();
    await redis.geoadd('sicily', 13.361389, 38.115556, 'Palermo', 15.087269, 37.502669, 'Catania', 12.758489, 38.788135, 'edge1', 17.241510, 38.788135, 'edge2');
    expect(await redis.geosearch('sicily', 'FROMLONLAT', 15, 37, 'BYRADIUS', 200, 'km', 'ASC')).toEqual(['Catania', 'Palermo']);
    expect(await redis.geosearch('sicily', 'FROMLONLAT', 15, 37, 'BYBOX', 400, 400, 'km', 'ASC', 'WITHCOORD', 'WITHDIST', 'WITHHASH')).toEqual([
      ['Catania', '56.4413', 3479447370796909, ['15.08726745843887329', '37.50266842333162032']],
      ['Palermo', '190.4424', 3479099956230698, ['13.36138933897018433', '38.11555639549629859']],
      ['edge2', '279.7403', 3481342659049484, ['17.24151045083999634', '38.78813451624225195']],
      ['edge1', '279.7405', 3479273021651468, ['12.7584877610206604', '38.78813451624225195']],
    ]);
    expect(await redis.geosearch('sicily', 'FROMMEMBER', 'Palermo', 'BYRADIUS', 100, 'km', 'DESC', 'COUNT', 1)).toEqual(['edge1']);
    expect(await redis.geosearch('nokey', 'FROMMEMBER', 'Palermo', 'BYRADIUS', 100, 'km')).toEqual([]);
    expect(await redis.geosearchstore('box', 'sicily', 'FROMLONLAT', 15, 37, 'BYBOX', 400, 400, 'km', 'ASC', 'COUNT', 3)).toBe(3);
    expect(await redis.zrange('box', 0, -1)).toEqual(['Palermo', 'Catania', 'edge2']);
    expect(await redis.geosearchstore('box', 'sicily', 'FROMLONLAT', 15, 37, 'BYRADIUS', 100, 'km', 'STOREDIST')).toBe(1);
    expect(await redis.zrange('box', 0, -1, 'WITHSCORES')).toEqual(['Catania', '56.441257870158204']);
    expect(await redis.geosearchstore('box', 'nokey', 'FROMMEMBER', 'x', 'BYRADIUS', 1, 'km')).toBe(0);
    expect(await redis.exists('box')).toBe(0);
  });

  it('ioredis under RESP3: coordinates come as doubles (which ioredis reads as text), distances as bulk strings', async () => {
    const redis = ioredis(3);
    await redis.flushall();
    await redis.geoadd('sicily', 13.361389, 38.115556, 'Palermo');
    const raw = await redis.call('GEOPOS', 'sicily', 'Palermo', 'Nowhere');
    expect(raw).toEqual([['13.36138933897018433', '38.11555639549629859'], null]);
    expect(await redis.call('GEOSEARCH', 'sicily', 'FROMLONLAT', 13, 38, 'BYRADIUS', 100, 'km', 'WITHDIST', 'WITHCOORD')).toEqual([
      ['Palermo', '34.1601', ['13.36138933897018433', '38.11555639549629859']],
    ]);
    expect(await redis.geodist('sicily', 'Palermo', 'Palermo', 'km')).toBe('0.0000');
  });

  for (const RESP of [2, 3] as const) {
    it(`node-redis RESP${RESP}: the typed GEO methods`, async () => {
      const client = await nodeRedis(RESP);
      await client.flushAll();
      expect(await client.geoAdd('sicily', [PALERMO, CATANIA])).toBe(2);
      expect(await client.geoAdd('sicily', { ...PALERMO, longitude: 1 }, { condition: 'NX' })).toBe(0);
      expect(await client.geoAdd('sicily', { longitude: 13.583333, latitude: 37.316667, member: 'Agrigento' }, { condition: 'XX', CH: true })).toBe(0);
      expect(await client.geoDist('sicily', 'Palermo', 'Catania', 'km')).toBe(166.2742);
      expect(await client.geoDist('sicily', 'Palermo', 'Nowhere')).toBeNull();
      expect(await client.geoHash('sicily', ['Palermo', 'Catania'])).toEqual(['sqc8b49rny0', 'sqdtr74hyu0']);
      const positions = await client.geoPos('sicily', ['Palermo', 'Nowhere']);
      expect(positions[1]).toBeNull();
      expect(Number(positions[0]!.longitude)).toBeCloseTo(13.36138933897018433, 12);
      expect(Number(positions[0]!.latitude)).toBeCloseTo(38.11555639549629859, 12);

      expect(await client.geoSearch('sicily', { longitude: 15, latitude: 37 }, { radius: 200, unit: 'km' }, { SORT: 'ASC' })).toEqual(['Catania', 'Palermo']);
      expect(await client.geoSearch('sicily', 'Palermo', { width: 400, height: 400, unit: 'km' }, { SORT: 'DESC', COUNT: 1 })).toEqual(['Catania']);
      const withInfo = await client.geoSearchWith('sicily', { longitude: 15, latitude: 37 }, { radius: 200, unit: 'km' }, ['WITHDIST', 'WITHHASH', 'WITHCOORD'], { SORT: 'ASC', COUNT: { value: 1 } });
      expect(withInfo).toHaveLength(1);
      expect(withInfo[0]!.member).toBe('Catania');
      expect(withInfo[0]!.distance).toBe('56.4413');
      expect(withInfo[0]!.hash).toBe(3479447370796909);
      // node-redis parses RESP2 text and RESP3 doubles its own ways: compare to 12 places.
      expect(Number(withInfo[0]!.coordinates!.longitude)).toBeCloseTo(15.08726745843887329, 12);
      expect(await client.geoSearchStore('near', 'sicily', 'Catania', { radius: 200, unit: 'km' }, { STOREDIST: true })).toBe(2);
      expect(await client.zScore('near', 'Palermo')).toBeCloseTo(166.27415156960032, 12);

      expect(await client.geoRadius('sicily', { longitude: 15, latitude: 37 }, 200, 'km', { SORT: 'DESC' })).toEqual(['Palermo', 'Catania']);
      expect(await client.geoRadiusRo('sicily', { longitude: 15, latitude: 37 }, 100, 'km')).toEqual(['Catania']);
      expect(await client.geoRadiusByMember('sicily', 'Palermo', 10, 'km')).toEqual(['Palermo']);
      expect(await client.geoRadiusByMemberRo('sicily', 'Catania', 10, 'km')).toEqual(['Catania']);
      expect(await client.geoRadiusStore('sicily', { longitude: 15, latitude: 37 }, 200, 'km', 'stored')).toBe(2);
      expect(await client.geoRadiusByMemberStore('sicily', 'Palermo', 200, 'km', 'stored', { STOREDIST: true, COUNT: 1 })).toBe(1);
      expect(await client.zRangeWithScores('stored', 0, -1)).toEqual([{ value: 'Palermo', score: 0 }]);
      const radiusWith = await client.geoRadiusByMemberWith('sicily', 'Palermo', 200, 'km', ['WITHDIST'], { SORT: 'ASC' });
      expect(radiusWith.map((item) => [item.member, item.distance])).toEqual([
        ['Palermo', '0.0000'],
        ['Catania', '166.2742'],
      ]);
      await expect(client.geoSearch('sicily', 'Nowhere', { radius: 1, unit: 'km' })).rejects.toThrow('ERR could not decode requested zset member');
    });
  }
});
