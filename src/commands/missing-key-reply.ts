/**
 * What a command replies when its key is missing: the reply Redis hands
 * lookupKeyReadOrReply (shared.czero, shared.null[c->resp], ...), for the
 * per-type "look up or reply" helpers (setReadOrReply, zsetReadOrReply).
 */
import { shared, type ReplyWriter } from '../protocol/reply.js';

/** Some of these replies depend on the protocol, hence functions of the writer. */
export type MissingKeyReply = (reply: ReplyWriter) => void;

export const missingKeyReply = {
  zero: (reply) => reply.raw(shared.zero),
  null: (reply) => reply.nullBulk(),
  emptyArray: (reply) => reply.raw(shared.emptyArray),
  emptySet: (reply) => reply.setHeader(0),
  emptyScan: (reply) => reply.raw(shared.emptyScan),
} as const satisfies Record<string, MissingKeyReply>;
