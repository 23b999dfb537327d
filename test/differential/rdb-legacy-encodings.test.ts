/**
 * The encodings only older Redis versions wrote, loaded by the codec from
 * Redis's own test files (tests/assets of 7.0.15: zipmap and ziplist
 * hashes, ziplist lists and sorted sets, quicklist v1, intsets, text
 * scores; RDB versions 3 to 9). A test-side walker takes each key's object
 * out of the file; the codec loads it; the value goes into reddish with
 * RESTORE. A redis-server started on the same file must then hold the same
 * keys with the same contents, encodings and digest.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { startServer } from '../../src/index.js';
import { RdbReader, RdbWriter, dumpFooter, need } from '../../src/persistence/rdb-encoding.js';
import { loadObject, saveObject, saveObjectType } from '../../src/persistence/rdb-objects.js';
import type { Value } from '../../src/store/types.js';
import { startRedisServer } from '../helpers/redis-server.js';
import { RawClient, replyToPlain } from '../helpers/resp-client.js';
import { readValue } from './dump-dataset.js';
import { redisAvailable } from './targets.js';

const FIXTURES = path.resolve(import.meta.dirname, '../fixtures/rdb');

interface FileKey {
  db: number;
  key: string;
  value: Value;
  expireAtMs: number | null;
}

/** Just enough of the RDB file format to reach each object (the file loader itself is not this codec's). */
function walkRdb(file: Buffer, server: { encoding: Parameters<typeof loadObject>[2] }): FileKey[] {
  expect(file.subarray(0, 5).toString()).toBe('REDIS');
  const r = new RdbReader(file.subarray(9));
  const keys: FileKey[] = [];
  let db = 0;
  let expireAtMs: number | null = null;
  for (;;) {
    const type = need(r.type());
    if (type === 0xff) return keys;
    if (type === 0xfe) db = need(r.length());
    else if (type === 0xfb) {
      need(r.length());
      need(r.length());
    } else if (type === 0xfd) expireAtMs = need(r.bytes(4)).readUInt32LE(0) * 1000;
    else if (type === 0xfc) expireAtMs = need(r.millisecondTime());
    else if (type === 0xfa) {
      need(r.string());
      need(r.string());
    } else if (type === 0xf9) need(r.bytes(1));
    else if (type === 0xf8) need(r.length());
    else {
      const key = need(r.string());
      const value = loadObject(r, type, server.encoding);
      if (value !== null) keys.push({ db, key, value, expireAtMs });
      expireAtMs = null;
    }
  }
}

describe.skipIf(!redisAvailable('legacy RDB encodings'))('the codec reads what older Redis versions wrote', () => {
  for (const name of fs.readdirSync(FIXTURES).filter((f) => f.endsWith('.rdb'))) {
    it(`loads ${name} as redis-server 7.0.15 does`, async () => {
      const redisServer = await startRedisServer({ extraArgs: ['--dbfilename', name, '--enable-debug-command', 'yes'] });
      const reddishServer = await startServer({ port: 0, config: { 'enable-debug-command': 'yes' } });
      const redis = await RawClient.connect(redisServer.port);
      const reddish = await RawClient.connect(reddishServer.port);
      try {
        // The server's own dir is its helper's; the file goes there and is loaded without saving first.
        fs.copyFileSync(path.join(FIXTURES, name), path.join(redisServer.dir, name));
        expect((await redis.call('DEBUG', 'RELOAD', 'NOSAVE')).toString()).toBe('+OK\r\n');
        const keys = walkRdb(fs.readFileSync(path.join(FIXTURES, name)), reddishServer.server);
        expect(keys.length).toBeGreaterThan(0);
        for (const { db, key, value, expireAtMs } of keys) {
          const w = new RdbWriter();
          saveObjectType(w, value, reddishServer.server.encoding);
          saveObject(w, value, { compress: true, config: reddishServer.server.encoding });
          await reddish.call('SELECT', String(db));
          const ttl = expireAtMs === null ? '0' : String(expireAtMs);
          const args = ['RESTORE', key, ttl, dumpFooter(w.finish()), ...(expireAtMs === null ? [] : ['ABSTTL'])];
          expect((await reddish.callArgs(args)).toString(), key).toBe('+OK\r\n');
        }
        for (const { db, key } of keys) {
          await redis.call('SELECT', String(db));
          await reddish.call('SELECT', String(db));
          expect(await readValue(reddish, key), `${name}: ${key}`).toEqual(await readValue(redis, key));
        }
        expect(replyToPlain(await reddish.call('DBSIZE'))).toBe(replyToPlain(await redis.call('DBSIZE')));
        expect(replyToPlain(await reddish.call('DEBUG', 'DIGEST'))).toBe(replyToPlain(await redis.call('DEBUG', 'DIGEST')));
      } finally {
        await redis.close();
        await reddish.close();
        await redisServer.stop();
        await reddishServer.close();
      }
    });
  }
});
