/**
 * Whole-buffer writes: write(2) may take fewer bytes than asked (a full
 * disk, a signal), so each loops until every byte is out or it throws.
 */
import fs from 'node:fs';
import type fsp from 'node:fs/promises';

/** Writes all of `bytes` to `fd`, blocking. */
export function writeFully(fd: number, bytes: Buffer): void {
  let offset = 0;
  while (offset < bytes.length) offset += fs.writeSync(fd, bytes, offset, bytes.length - offset);
}

/** Writes all of `chunk` to `file` on the thread pool. */
export async function writeChunk(file: fsp.FileHandle, chunk: Buffer): Promise<void> {
  let offset = 0;
  while (offset < chunk.length) {
    const { bytesWritten } = await file.write(chunk, offset, chunk.length - offset);
    offset += bytesWritten;
  }
}
