// Imports a TypeScript module from the tests (see ts-hooks.mjs), e.g.
//   const { runProtocolFuzz } = await importTs('test/fuzz/protocol-fuzz.ts');
import { register } from 'node:module';
import { dirname, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
let registered = false;

/** Imports `path` (relative to the repository root). */
export async function importTs(path) {
  if (!registered) {
    register('./ts-hooks.mjs', import.meta.url);
    registered = true;
  }
  return import(pathToFileURL(resolve(ROOT, path)).href);
}
