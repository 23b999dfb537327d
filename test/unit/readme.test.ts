import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(__dirname, '../..');

describe('README', () => {
  it('shows the embedding example that test/integration/readme-example.test.ts runs', () => {
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    const example = /```ts\n(\/\/ test\/cache\.test\.ts\n[\s\S]*?)```/.exec(readme)?.[1];
    const test = readFileSync(join(root, 'test/integration/readme-example.test.ts'), 'utf8');
    expect(example).toBeDefined();
    expect(test.slice(test.indexOf('\n') + 1)).toBe(example);
  });

  it('gives the install-and-run and install-and-test commands that package.json supports', () => {
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
    expect(readme).toContain('npm ci && npm start -- --port 6379');
    expect(readme).toContain('npm ci && npm test');
    expect(pkg.scripts.prepare).toContain('tsc');
    expect(pkg.scripts.start).toBe('node dist/cli.js');
  });
});
