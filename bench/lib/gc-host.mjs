// Runs a reddish server in a child process started with --expose-gc, so a
// benchmark can ask for a full collection over IPC ('gc' → 'gc-done') and
// read the RSS that is left. Only the memory benchmarks use it.
import { startServer } from '../../dist/index.js';

const [port, requirepass] = process.argv.slice(2);
await startServer({ port: Number(port), requirepass: requirepass || undefined });
process.on('message', (message) => {
  if (message !== 'gc') return;
  // Twice: the second collection frees what the first one's finalizers released.
  global.gc();
  setTimeout(() => {
    global.gc();
    setTimeout(() => process.send('gc-done'), 200);
  }, 100);
});
process.send('ready');
