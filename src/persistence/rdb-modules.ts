/**
 * The probabilistic types as module values (RDB_TYPE_MODULE_2), under
 * RedisBloom's module type names (MBbloom--, MBbloomCF, CMSk-TYPE,
 * TopK-TYPE, from RedisBloom's RedisModule_CreateDataType calls).
 *
 * The module id is moduleTypeEncodeId: the 9-char name in 6-bit symbols,
 * then a 10-bit encoding version. The body is a sequence of module opcodes
 * (RDB_MODULE_OPCODE_*) ended by EOF, as RM_Save* write them.
 *
 * reddish's structures are not RedisBloom's (its filters size and hash
 * their links differently), so the body is one STRING opcode holding the
 * value's own serialization, under encoding version 1023, a version
 * RedisBloom does not know: its rdb_load refuses a newer version cleanly
 * (returns NULL, "module is not able to load"), where a body in its own
 * version but another layout would trip its load-time asserts. A Redis
 * without the module refuses the value by its id.
 */
import {
  BLOOM_TYPE,
  CMS_TYPE,
  CUCKOO_TYPE,
  CountMinSketch,
  CuckooFilter,
  ProbabilisticError,
  ScalableBloom,
  TOPK_TYPE,
  TopK,
} from '../store/probabilistic/index.js';
import type { RedisObject } from '../store/types.js';
import { RdbCorruptError, need, type RdbReader, type RdbWriter } from './rdb-encoding.js';

const RDB_TYPE_MODULE = 6;
const RDB_TYPE_MODULE_2 = 7;

export const ModuleOpcode = { eof: 0, sint: 1, uint: 2, float: 3, double: 4, string: 5 } as const;

/** The encoding version of reddish's own layout of these types. */
const REDDISH_ENCODING_VERSION = 1023;

const NAME_CHARSET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/** moduleTypeEncodeId. */
export function moduleTypeId(name: string, encodingVersion: number): bigint {
  let id = 0n;
  for (let j = 0; j < 9; j++) id = (id << 6n) | BigInt(NAME_CHARSET.indexOf(name[j]!));
  return (id << 10n) | BigInt(encodingVersion);
}

/** moduleTypeNameByID: the 9-char name in a module id. */
export function moduleTypeName(id: bigint): string {
  let name = '';
  let bits = id >> 10n;
  for (let j = 0; j < 9; j++) {
    name = NAME_CHARSET[Number(bits & 63n)] + name;
    bits >>= 6n;
  }
  return name;
}

interface ModuleCodec {
  serialize(value: RedisObject): string;
  deserialize(data: string): RedisObject;
}

const codecs = new Map<string, ModuleCodec>([
  [BLOOM_TYPE, { serialize: (v) => (v as ScalableBloom).serialize(), deserialize: (d) => ScalableBloom.deserialize(d) }],
  [CUCKOO_TYPE, { serialize: (v) => (v as CuckooFilter).serialize(), deserialize: (d) => CuckooFilter.deserialize(d) }],
  [CMS_TYPE, { serialize: (v) => (v as CountMinSketch).serialize(), deserialize: (d) => CountMinSketch.deserialize(d) }],
  [TOPK_TYPE, { serialize: (v) => (v as TopK).serialize(), deserialize: (d) => TopK.deserialize(d) }],
]);

function codecFor(value: RedisObject): ModuleCodec {
  const codec = codecs.get(value.type);
  if (codec === undefined) throw new Error(`no RDB encoding for values of type ${value.type}`);
  return codec;
}

export function saveModuleObjectType(value: RedisObject): number {
  codecFor(value);
  return RDB_TYPE_MODULE_2;
}

export function saveModuleObject(w: RdbWriter, value: RedisObject): void {
  const codec = codecFor(value);
  w.length64(moduleTypeId(value.type, REDDISH_ENCODING_VERSION));
  w.length(ModuleOpcode.string);
  w.string(codec.serialize(value));
  w.length(ModuleOpcode.eof);
}

export function loadModuleObject(r: RdbReader, type: number): RedisObject {
  const id = need(r.length64());
  const name = moduleTypeName(id);
  const codec = codecs.get(name);
  if (codec === undefined) {
    throw new RdbCorruptError(`The RDB file contains module data I can't load: no matching module type '${name}'`);
  }
  if (type === RDB_TYPE_MODULE || (id & 1023n) !== BigInt(REDDISH_ENCODING_VERSION)) {
    throw new RdbCorruptError(
      `The RDB file contains module data for the module type '${name}', that the responsible module is not able to load. Check for modules log above for additional clues.`,
    );
  }
  if (need(r.length()) !== ModuleOpcode.string) throw new RdbCorruptError(`Error loading data from RDB (short read or EOF). Read performed by module '${name}' about type '${name}'`);
  const data = need(r.string());
  let value: RedisObject;
  try {
    value = codec.deserialize(data);
  } catch (error) {
    if (error instanceof ProbabilisticError || error instanceof RangeError) {
      throw new RdbCorruptError(`The RDB file contains module data for the module type '${name}', that the responsible module is not able to load.`);
    }
    throw error;
  }
  if (need(r.length()) !== ModuleOpcode.eof) {
    throw new RdbCorruptError(`The RDB file contains module data for the module '${name}' that is not terminated by the proper module value EOF marker`);
  }
  return value;
}
