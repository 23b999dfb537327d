/**
 * The other compact blobs an RDB can hold besides listpacks: the intset
 * (intset.c), which Redis 7.0 still writes for small integer sets, and the
 * ziplist (ziplist.c) and zipmap (zipmap.c), which only older versions
 * wrote and 7.0 still reads. Each reader validates as Redis's deep
 * *ValidateIntegrity does and returns null on any inconsistency.
 */

// ---- intset ----

/** The intset blob of canonical int64 texts (any order): smallest width that fits all, ascending. */
export function writeIntset(members: readonly string[]): Buffer {
  const values = members.map((m) => BigInt(m)).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  let width = 2;
  for (const v of values) {
    if (v < -2147483648n || v > 2147483647n) {
      width = 8;
      break;
    }
    if (v < -32768n || v > 32767n) width = 4;
  }
  const blob = Buffer.alloc(8 + width * values.length);
  blob.writeUInt32LE(width, 0);
  blob.writeUInt32LE(values.length, 4);
  for (let i = 0; i < values.length; i++) {
    const at = 8 + i * width;
    if (width === 2) blob.writeInt16LE(Number(values[i]), at);
    else if (width === 4) blob.writeInt32LE(Number(values[i]), at);
    else blob.writeBigInt64LE(values[i]!, at);
  }
  return blob;
}

/** intsetValidateIntegrity(deep) and the members as text; null when invalid or empty. */
export function readIntset(blob: Buffer): string[] | null {
  if (blob.length < 8) return null;
  const width = blob.readUInt32LE(0);
  if (width !== 2 && width !== 4 && width !== 8) return null;
  const count = blob.readUInt32LE(4);
  if (8 + count * width !== blob.length || count === 0) return null;
  const members = new Array<string>(count);
  let previous: bigint | null = null;
  for (let i = 0; i < count; i++) {
    const at = 8 + i * width;
    const value = width === 2 ? BigInt(blob.readInt16LE(at)) : width === 4 ? BigInt(blob.readInt32LE(at)) : blob.readBigInt64LE(at);
    if (previous !== null && value <= previous) return null;
    previous = value;
    members[i] = value.toString();
  }
  return members;
}

// ---- ziplist ----

const ZIPLIST_HEADER_SIZE = 10;
const ZIP_END = 0xff;
const ZIP_BIG_PREVLEN = 254;

/**
 * ziplistValidateIntegrity(deep) and the entries as text (integers in
 * decimal, as ziplistGet + ll2string give them); null when invalid.
 */
export function readZiplist(zl: Buffer): string[] | null {
  const size = zl.length;
  if (size < ZIPLIST_HEADER_SIZE + 1) return null;
  if (zl.readUInt32LE(0) !== size) return null;
  if (zl[size - 1] !== ZIP_END) return null;
  const tail = zl.readUInt32LE(4);
  if (tail > size - 1) return null;
  const headerCount = zl.readUInt16LE(8);
  const last = size - 1;
  const entries: string[] = [];
  let p = ZIPLIST_HEADER_SIZE;
  let previousStart = -1;
  let previousRawSize = 0;
  while (zl[p] !== ZIP_END) {
    if (p > last) return null;
    // prevlen: one byte, or 254 and four bytes.
    let prevlenSize = 1;
    let prevlen = zl[p]!;
    if (prevlen === ZIP_BIG_PREVLEN) {
      if (p + 5 > last) return null;
      prevlenSize = 5;
      prevlen = zl.readUInt32LE(p + 1);
    }
    if (prevlen !== previousRawSize) return null;
    const e = p + prevlenSize;
    if (e >= last) return null;
    const encoding = zl[e]!;
    let headerSize: number;
    let dataSize: number;
    let text: string | null = null;
    const kind = encoding & 0xc0;
    if (kind === 0x00) {
      headerSize = 1;
      dataSize = encoding & 0x3f;
    } else if (kind === 0x40) {
      if (e + 1 >= last) return null;
      headerSize = 2;
      dataSize = ((encoding & 0x3f) << 8) | zl[e + 1]!;
    } else if (kind === 0x80) {
      if (e + 4 >= last) return null;
      headerSize = 5;
      dataSize = zl.readUInt32BE(e + 1);
    } else {
      headerSize = 1;
      if (encoding === 0xc0) dataSize = 2;
      else if (encoding === 0xd0) dataSize = 4;
      else if (encoding === 0xe0) dataSize = 8;
      else if (encoding === 0xf0) dataSize = 3;
      else if (encoding === 0xfe) dataSize = 1;
      else if (encoding >= 0xf1 && encoding <= 0xfd) {
        dataSize = 0;
        text = String((encoding & 0x0f) - 1);
      } else return null;
    }
    const data = e + headerSize;
    const end = data + dataSize;
    if (end > last) return null;
    if (text === null) {
      if (kind !== 0xc0) text = zl.toString('latin1', data, end);
      else if (dataSize === 1) text = String(zl.readInt8(data));
      else if (dataSize === 2) text = String(zl.readInt16LE(data));
      else if (dataSize === 3) text = String(zl.readIntLE(data, 3));
      else if (dataSize === 4) text = String(zl.readInt32LE(data));
      else text = zl.readBigInt64LE(data).toString();
    }
    entries.push(text);
    previousStart = p;
    previousRawSize = end - p;
    p = end;
  }
  if (p !== last) return null;
  if (previousStart !== -1 && previousStart !== tail) return null;
  if (headerCount !== 0xffff && headerCount !== entries.length) return null;
  return entries;
}

// ---- zipmap ----

const ZIPMAP_BIGLEN = 254;
const ZIPMAP_END = 255;

/** zipmapValidateIntegrity(deep) and the field/value pairs, flat; null when invalid or empty. */
export function readZipmap(zm: Buffer): string[] | null {
  const size = zm.length;
  if (size < 2 || zm[size - 1] !== ZIPMAP_END) return null;
  const last = size - 1;
  const out: string[] = [];
  let p = 1;
  let count = 0;
  const readLength = (): number | null => {
    if (p > last) return null;
    const first = zm[p]!;
    if (first < ZIPMAP_BIGLEN) {
      p += 1;
      return first;
    }
    if (first === ZIPMAP_END || p + 5 > last) return null;
    const length = zm.readUInt32LE(p + 1);
    p += 5;
    return length;
  };
  while (zm[p] !== ZIPMAP_END) {
    const fieldLength = readLength();
    if (fieldLength === null || p + fieldLength > last) return null;
    const field = zm.toString('latin1', p, p + fieldLength);
    p += fieldLength;
    const valueLength = readLength();
    if (valueLength === null || p >= last) return null;
    const free = zm[p++]!;
    if (p + valueLength + free > last) return null;
    const value = zm.toString('latin1', p, p + valueLength);
    p += valueLength + free;
    out.push(field, value);
    count++;
  }
  if (count === 0) return null;
  if (zm[0] !== ZIPMAP_BIGLEN && zm[0] !== count) return null;
  return out;
}
