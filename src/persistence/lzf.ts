/**
 * LZF decompression (Redis's lzf_d.c, by Marc Lehmann, BSD): RDB files and
 * DUMP payloads store strings over 20 bytes LZF-compressed when Redis's
 * rdbcompression is on (the default), so reading what Redis wrote needs it.
 */

/** Decompresses `input` into exactly `length` bytes; null when the data is corrupt or the length wrong. */
export function lzfDecompress(input: Uint8Array, length: number): Buffer | null {
  const output = Buffer.allocUnsafe(length);
  let ip = 0;
  let op = 0;
  const inEnd = input.length;
  while (ip < inEnd) {
    let ctrl = input[ip++]!;
    if (ctrl < 1 << 5) {
      // A literal run of ctrl + 1 bytes.
      ctrl++;
      if (op + ctrl > length || ip + ctrl > inEnd) return null;
      for (let i = 0; i < ctrl; i++) output[op++] = input[ip++]!;
    } else {
      // A back reference: length (ctrl >> 5) + 2, at an offset from here.
      let run = ctrl >> 5;
      let ref = op - ((ctrl & 0x1f) << 8) - 1;
      if (ip >= inEnd) return null;
      if (run === 7) {
        run += input[ip++]!;
        if (ip >= inEnd) return null;
      }
      ref -= input[ip++]!;
      if (op + run + 2 > length || ref < 0) return null;
      // Byte by byte: the source may overlap what this copy writes.
      for (let i = 0; i < run + 2; i++) output[op++] = output[ref++]!;
    }
  }
  return op === length ? output : null;
}

/** lzf_c.c's HLOG: a 64K-entry hash table of three-byte prefixes. */
const HLOG = 16;
const HSIZE = 1 << HLOG;
const MAX_LIT = 1 << 5;
const MAX_OFF = 1 << 13;
const MAX_REF = (1 << 8) + (1 << 3);

/**
 * The hash table is kept between calls (256 KB is too much to allocate per
 * string); a slot belongs to the current call only when its generation
 * stamp matches, so output never depends on earlier inputs.
 */
const table = new Int32Array(HSIZE);
const tableGeneration = new Uint32Array(HSIZE);
let generation = 0;

/**
 * LZF compression as Redis's lzf_c.c does it (VERY_FAST, HLOG 16), output
 * readable by lzf_decompress. Returns null when the result would not fit in
 * `maxLength` bytes, as lzf_compress returns 0: Redis then stores the
 * string verbatim.
 */
export function lzfCompress(input: Uint8Array, maxLength: number): Buffer | null {
  if (maxLength <= 0) return null;
  const output = Buffer.allocUnsafe(maxLength);
  const length = lzfCompressInto(input, input.length, output, maxLength);
  return length === 0 ? null : output.subarray(0, length);
}

/**
 * lzfCompress of the first `inLength` bytes of `input` into `output`
 * (at least `maxLength` long): the compressed length, or 0 when it would
 * not fit in `maxLength`. For callers that compress millions of values
 * into one scratch buffer (a snapshot) rather than a new Buffer each.
 */
export function lzfCompressInto(input: Uint8Array, inLength: number, output: Uint8Array, maxLength: number): number {
  if (inLength === 0 || maxLength <= 0) return 0;
  if (++generation === 0xffffffff) {
    tableGeneration.fill(0);
    generation = 1;
  }
  const gen = generation;
  const outEnd = maxLength;
  let ip = 0;
  let op = 1; // the first literal run's control byte
  let lit = 0;
  let hval = (input[0]! << 8) | input[1]!;
  while (ip < inLength - 2) {
    hval = ((hval << 8) | input[ip + 2]!) >>> 0;
    const slot = ((hval >>> (3 * 8 - HLOG)) - hval * 5) & (HSIZE - 1);
    const ref = tableGeneration[slot] === gen ? table[slot]! : -1;
    table[slot] = ip;
    tableGeneration[slot] = gen;
    let off: number;
    if (
      ref > 0 &&
      ref < ip &&
      (off = ip - ref - 1) < MAX_OFF &&
      input[ref + 2] === input[ip + 2] &&
      input[ref] === input[ip] &&
      input[ref + 1] === input[ip + 1]
    ) {
      let len = 2;
      let maxlen = inLength - ip - len;
      if (maxlen > MAX_REF) maxlen = MAX_REF;
      if (op + 3 + 1 >= outEnd && op - (lit === 0 ? 1 : 0) + 3 + 1 >= outEnd) return 0;
      output[op - lit - 1] = lit - 1; // stop the literal run
      if (lit === 0) op--; // undo an empty run
      do len++;
      while (len < maxlen && input[ref + len] === input[ip + len]);
      len -= 2; // now the match length - 1
      ip++;
      if (len < 7) {
        output[op++] = (off >> 8) + (len << 5);
      } else {
        output[op++] = (off >> 8) + (7 << 5);
        output[op++] = len - 7;
      }
      output[op++] = off & 0xff;
      lit = 0;
      op++; // start a literal run
      ip += len + 1;
      if (ip >= inLength - 2) break;
      // VERY_FAST: hash the two positions before the new one.
      ip -= 2;
      hval = (input[ip]! << 8) | input[ip + 1]!;
      for (let k = 0; k < 2; k++) {
        hval = ((hval << 8) | input[ip + 2]!) >>> 0;
        const s = ((hval >>> (3 * 8 - HLOG)) - hval * 5) & (HSIZE - 1);
        table[s] = ip;
        tableGeneration[s] = gen;
        ip++;
      }
    } else {
      if (op >= outEnd) return 0;
      lit++;
      output[op++] = input[ip++]!;
      if (lit === MAX_LIT) {
        output[op - lit - 1] = lit - 1;
        lit = 0;
        op++;
      }
    }
  }
  if (op + 3 > outEnd) return 0;
  while (ip < inLength) {
    lit++;
    output[op++] = input[ip++]!;
    if (lit === MAX_LIT) {
      output[op - lit - 1] = lit - 1;
      lit = 0;
      op++;
    }
  }
  output[op - lit - 1] = lit - 1;
  if (lit === 0) op--;
  return op;
}
