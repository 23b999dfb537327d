/**
 * What the stream command modules share: looking a stream up (with
 * WRONGTYPE), reading IDs and counts as t_stream.c reads them, and the
 * entry replies (streamReplyWithRange).
 */
import { errors, streamErrors } from '../errors.js';
import { RedisStream } from '../store/stream/stream.js';
import { formatId, incrId, decrId, parseId, type StreamId } from '../store/stream/stream-id.js';
import { parseInteger } from '../text/numbers.js';
import type { MissingKeyReply } from './missing-key-reply.js';
import { replyEntries } from './stream-reply.js';
import type { Client } from './types.js';

/**
 * lookupKeyRead/Write + checkType for streams: the stream, undefined when
 * the key is missing (after replying `missing` if given), null after
 * replying WRONGTYPE (or `missing`).
 */
export function lookupStream(c: Client, key: string, write: boolean, missing?: MissingKeyReply): RedisStream | undefined | null {
  const value = write ? c.db.lookupWrite(key) : c.db.lookupRead(key);
  if (value === undefined) {
    if (missing === undefined) return undefined;
    missing(c.reply);
    return null;
  }
  if (value instanceof RedisStream) return value;
  c.reply.error(errors.wrongType);
  return null;
}

/** streamParseIDOrReply / streamParseStrictIDOrReply: an ID, or null after the error. */
export function readStreamId(c: Client, text: string, missingSeqMax: boolean, strict: boolean): StreamId | null {
  const parsed = parseId(text, missingSeqMax, strict);
  if (parsed === null) {
    c.reply.error(streamErrors.invalidId);
    return null;
  }
  return parsed.id;
}

/**
 * streamParseIntervalIDOrReply plus XRANGE's adjustment: `(id` excludes
 * the ID, made inclusive by stepping one up (start) or down (end).
 */
export function readIntervalId(c: Client, text: string, isEnd: boolean): StreamId | null {
  const exclusive = text.length > 1 && text.charCodeAt(0) === 40; /* ( */
  const id = readStreamId(c, exclusive ? text.slice(1) : text, isEnd, exclusive);
  if (id === null || !exclusive) return id;
  const stepped = isEnd ? decrId(id) : incrId(id);
  if (stepped === null) c.reply.error(isEnd ? streamErrors.invalidEnd : streamErrors.invalidStart);
  return stepped;
}

/** getLongLongFromObjectOrReply: a number, or null after "value is not an integer". */
export function readLongLong(c: Client, text: string): number | null {
  const n = parseInteger(text);
  if (n === null) c.reply.error(errors.notInteger);
  return n;
}

/** One entry as streamReplyWithRange sends it: [id, [field, value, ...]]. */
export function replyEntry(c: Client, id: StreamId, fields: readonly string[]): void {
  const reply = c.reply;
  reply.arrayHeader(2);
  reply.bulk(formatId(id));
  reply.arrayHeader(fields.length);
  for (let i = 0; i < fields.length; i++) reply.bulk(fields[i]!);
}

/**
 * streamReplyWithRange without a group: up to `count` (0 = all) entries
 * between start and end, as an array. Returns how many were sent.
 */
export function replyRange(c: Client, stream: RedisStream, start: StreamId, end: StreamId, count: number, rev: boolean): number {
  return replyEntries(c, stream.iterate(start, end, rev), count);
}
