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
