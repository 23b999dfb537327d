import type { EncodingConfig, RedisObject } from '../store/types.js';
import { RdbCorruptError, type RdbReader, type RdbWriter } from './rdb-encoding.js';
import type { RdbSaveOptions } from './rdb-objects.js';

export function saveStreamObject(_w: RdbWriter, _value: RedisObject, _options: RdbSaveOptions): void {
  throw new Error('stream serialization is not built yet');
}

export function loadStreamObject(_r: RdbReader, _type: number, _config: EncodingConfig): RedisObject {
  throw new RdbCorruptError('stream loading is not built yet');
}
