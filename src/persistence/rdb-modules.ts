import type { RedisObject } from '../store/types.js';
import { RdbCorruptError, type RdbReader, type RdbWriter } from './rdb-encoding.js';

export function saveModuleObjectType(_value: RedisObject): number {
  throw new Error('module type serialization is not built yet');
}

export function saveModuleObject(_w: RdbWriter, _value: RedisObject): void {
  throw new Error('module type serialization is not built yet');
}

export function loadModuleObject(_r: RdbReader, _type: number): RedisObject {
  throw new RdbCorruptError('module loading is not built yet');
}
