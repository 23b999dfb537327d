// reddish as bench/hostile.mjs runs it: dist/index.js's startServer in a
// process started with --expose-gc, which runs a full GC when its parent
// sends 'gc' over the IPC channel and answers 'gc-done'. That way "RSS after
// the hostile clients left" measures what the server still holds, not
// garbage V8 has not got round to, without adding a command to the server.
//
//   node --expose-gc bench/lib/gc-server.mjs <port>     (started by hostile.mjs with fork())
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const { startServer } = await import(pathToFileURL(path.join(import.meta.dirname, '../../dist/index.js')).href);
const server = await startServer({ port: Number(process.argv[2]) });
process.on('message', (message) => {
  if (message !== 'gc') return;
  globalThis.gc();
  process.send('gc-done');
});
process.on('SIGTERM', () => server.close().then(() => process.exit(0)));
process.send('ready');
