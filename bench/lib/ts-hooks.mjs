// Module hooks that let the bench scripts import the TypeScript modules the
// tests use (test/fuzz/, test/helpers/), so a fuzzer's generators and RNG are
// written once. Each .ts file is transpiled on load with the typescript
// package (types are erased, nothing is checked), and an import of './x.js'
// from a .ts file finds x.ts when x.js does not exist, as tsc resolves it.
// Registered by ts-import.mjs; see https://nodejs.org/api/module.html#customization-hooks
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

export async function resolve(specifier, context, nextResolve) {
  const parent = context.parentURL;
  if (parent?.endsWith('.ts') && specifier.startsWith('.') && specifier.endsWith('.js')) {
    const asJs = new URL(specifier, parent);
    if (!existsSync(fileURLToPath(asJs))) {
      const asTs = new URL(specifier.slice(0, -3) + '.ts', parent);
      if (existsSync(fileURLToPath(asTs))) return { url: asTs.href, format: 'module', shortCircuit: true };
    }
  }
  return nextResolve(specifier, context);
}

export async function load(url, context, nextLoad) {
  if (!url.endsWith('.ts')) return nextLoad(url, context);
  const file = fileURLToPath(url);
  const { outputText } = ts.transpileModule(await readFile(file, 'utf8'), {
    fileName: file,
    compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, sourceMap: false },
  });
  return { format: 'module', source: outputText, shortCircuit: true };
}
