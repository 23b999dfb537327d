#!/usr/bin/env node
// A/B benchmark: this working tree (the candidate) against an earlier commit
// (the baseline), both next to the same redis-server. Builds the baseline in
// a temporary git worktree outside the repo, runs bench/run.mjs with
// --baseline-cmd pointing at it, and removes the worktree at the end, also
// on an error or Ctrl-C. See "A/B against an earlier build" in bench/README.md.
import { spawn, execFileSync } from 'node:child_process';
import { existsSync, lstatSync, mkdtempSync, readFileSync, rmSync, symlinkSync, unlinkSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import os from 'node:os';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const USAGE = `usage: node bench/ab.mjs --base <git rev> [run.mjs flags]   (npm run bench:ab -- --base <rev> ...)
  --base REV            commit to compare against (HEAD~1, a tag, a branch, a sha)
  all other flags go to bench/run.mjs, e.g. --only core,types --rounds 5 --quick;
  defaults here: --only core,types,bloom (the sections that measure the baseline)
  and --out bench/results/ab.json (so a full run's latest.json is kept)
The candidate is this working tree as it is now, uncommitted changes included.
Exit code: run.mjs's; 2 for bad flags or a rev that does not resolve, 4 when
the baseline cannot be built, 130 on Ctrl-C.`;

function parseArgv(argv) {
  let base = null;
  const rest = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '-h' || a === '--help') { console.log(USAGE); process.exit(0); }
    if (a === '--base') { base = argv[++i] ?? null; continue; }
    if (a.startsWith('--base=')) { base = a.slice('--base='.length); continue; }
    if (a === '--baseline-cmd' || a.startsWith('--baseline-cmd=')) {
      console.error(`--baseline-cmd is set by ab.mjs; call bench/run.mjs directly to give your own\n${USAGE}`);
      process.exit(2);
    }
    rest.push(a);
  }
  if (!base) { console.error(`--base is required\n${USAGE}`); process.exit(2); }
  const has = (flag) => rest.some((a) => a === flag || a.startsWith(`${flag}=`));
  if (!has('--only')) rest.push('--only', 'core,types,bloom');
  if (!has('--out')) rest.push('--out', join(ROOT, 'bench/results/ab.json'));
  return { base, rest };
}

const git = (...args) => execFileSync('git', args, { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();

// The one child running at a time (npm ci, tsc, run.mjs), so a signal can be
// passed on to it; the steps themselves check `interrupted` between children.
let current = null;
let interrupted = null;

function run(cmd, args, cwd) {
  if (interrupted) return Promise.reject(new Error(`interrupted (${interrupted})`));
  return new Promise((resolvePromise, reject) => {
    const child = spawn(cmd, args, { cwd, stdio: 'inherit' });
    current = child;
    child.once('error', (e) => { current = null; reject(e); });
    child.once('exit', (code, signal) => {
      current = null;
      if (interrupted) reject(new Error(`interrupted (${interrupted})`));
      else resolvePromise(code ?? (signal ? 128 + (os.constants.signals[signal] ?? 0) : 1));
    });
  });
}

async function mustRun(what, cmd, args, cwd) {
  console.log(`\n[ab] ${what}: ${cmd} ${args.join(' ')}  (in ${cwd})`);
  const code = await run(cmd, args, cwd);
  if (code !== 0) throw Object.assign(new Error(`${what} failed (exit ${code})`), { exitCode: 4 });
}

const tscArgs = (dir) => [join(dir, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.json'];

let tmp = null;
let wt = null;
let cleaned = false;

/** Synchronous and idempotent, so the 'exit' handler can call it too. */
function cleanup() {
  if (cleaned || !tmp) return;
  cleaned = true;
  // Unlink the node_modules symlink first: whatever removes the tree below
  // must never reach the real node_modules through it.
  try {
    const nm = join(wt, 'node_modules');
    if (lstatSync(nm).isSymbolicLink()) unlinkSync(nm);
  } catch { /* not there */ }
  let removed = true;
  try {
    git('worktree', 'remove', '--force', wt);
  } catch (e) {
    removed = false;
    console.error(`[ab] git worktree remove failed (${e.message.split('\n')[0]}); deleting the directory and pruning`);
  }
  try { rmSync(tmp, { recursive: true, force: true }); } catch (e) { console.error(`[ab] could not delete ${tmp}: ${e.message}`); }
  // Prune only when needed: it acts on every worktree of the repository.
  if (!removed) { try { git('worktree', 'prune'); } catch { /* best effort */ } }
  console.log(`[ab] removed the baseline worktree ${wt}`);
}

async function main() {
  const { base, rest } = parseArgv(process.argv.slice(2));
  let sha;
  try {
    sha = git('rev-parse', '--verify', '--quiet', `${base}^{commit}`);
  } catch {
    console.error(`[ab] --base ${base}: not a commit in ${ROOT}`);
    process.exit(2);
  }
  const short = sha.slice(0, 10);
  const head = git('rev-parse', '--short=10', 'HEAD');
  const dirty = git('status', '--porcelain', '--untracked-files=no') !== '';
  console.log(`[ab] baseline: ${base} = ${short} (${git('log', '-1', '--format=%s', sha)})`);
  console.log(`[ab] candidate: this working tree at ${head}${dirty ? ' plus uncommitted changes' : ''}`);

  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    process.on(sig, () => {
      if (!interrupted) console.error(`\n[ab] ${sig}: stopping, then removing the baseline worktree`);
      interrupted = sig;
      // On Ctrl-C the terminal already signalled the child (same process
      // group); a plain `kill` reaches only us, so pass it on.
      try { current?.kill(sig); } catch { /* gone */ }
      if (!current) { cleanup(); process.exit(130); }
    });
  }
  process.on('exit', cleanup);

  let code = 1;
  try {
    await mustRun('build the candidate', process.execPath, tscArgs(ROOT), ROOT);

    tmp = mkdtempSync(join(os.tmpdir(), 'reddish-ab-'));
    wt = join(tmp, short);
    console.log(`\n[ab] git worktree add --detach ${wt} ${short}`);
    git('worktree', 'add', '--detach', wt, sha);

    const lock = (dir) => { try { return readFileSync(join(dir, 'package-lock.json'), 'utf8'); } catch { return null; } };
    const sameLock = lock(ROOT) !== null && lock(ROOT) === lock(wt) && existsSync(join(ROOT, 'node_modules'));
    if (sameLock) {
      symlinkSync(join(ROOT, 'node_modules'), join(wt, 'node_modules'), 'dir');
      console.log('[ab] package-lock.json is identical: node_modules is a symlink to this tree\'s');
    } else {
      await mustRun('install the baseline\'s dependencies (package-lock.json differs)', 'npm', ['ci', '--no-audit', '--no-fund'], wt);
    }
    await mustRun('build the baseline', process.execPath, tscArgs(wt), wt);
    const cli = join(wt, 'dist/cli.js');
    if (!existsSync(cli)) throw Object.assign(new Error(`the baseline build has no ${cli}`), { exitCode: 4 });

    const baselineCmd = `node '${cli.replaceAll("'", "'\\''")}' --port {port} --loglevel warning --save ''`;
    const label = `${base} = ${short}`;
    const args = [join(ROOT, 'bench/run.mjs'), ...rest, '--baseline-cmd', baselineCmd, '--baseline-label', label];
    console.log(`\n[ab] ${process.execPath} ${args.map((a) => (/\s/.test(a) ? JSON.stringify(a) : a)).join(' ')}\n`);
    code = await run(process.execPath, args, ROOT);
  } catch (e) {
    console.error(`\n[ab] ${interrupted ? `interrupted by ${interrupted}` : `FAILED: ${e.message}`}`);
    code = interrupted ? 130 : e.exitCode ?? 1;
  } finally {
    cleanup();
  }
  process.exit(code);
}

main();
