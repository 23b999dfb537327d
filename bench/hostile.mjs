// Memory held for hostile clients that announce more than they send
// (issue #15, defect 1): N connections each send one header and stay open,
// against reddish and against a real redis-server, both started here.
//
//   npm run build && node bench/hostile.mjs [--connections N] [--settle-ms MS]
//
// Headers: `*30000000\r\n` and `*1048577\r\n` (argv counts; redis-parser
// used to reserve a slot for each announced element, about 240 MB and 8 MB
// per connection), and a SET whose value header announces 512 MB minus a
// little (`$536870000`) with 64 KB of it sent. For each: RSS before, with the
// N connections open, and after they closed; the per-connection figure is
// the growth divided by N. reddish runs with --expose-gc and is asked (over
// its IPC channel, not a command) to collect before each reading; Redis has
// no garbage to collect. Bar: at most 1 MB per hostile connection.
import { fork, spawn } from 'node:child_process';
import { once } from 'node:events';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { freePorts, rssBytes, sleep, track, killAllChildren } from './lib/servers.mjs';
import { RespClient } from './lib/resp.mjs';
import { textTable, fmt } from './lib/report.mjs';

const { values: flags } = parseArgs({
  options: {
    connections: { type: 'string', default: '20' },
    'settle-ms': { type: 'string', default: '1500' },
  },
});
const CONNECTIONS = Number(flags.connections);
const SETTLE_MS = Number(flags['settle-ms']);
const MB = 1024 * 1024;

process.on('exit', () => killAllChildren());
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => process.exit(130));

const ROOT = path.resolve(import.meta.dirname, '..');
if (!fs.existsSync(path.join(ROOT, 'dist/index.js'))) {
  console.error('dist/ is missing: run `npm run build` first');
  process.exit(2);
}

async function waitForPing(port) {
  for (let i = 0; i < 100; i++) {
    try {
      const client = await RespClient.connect(port, '127.0.0.1', 1000);
      const reply = await client.call('PING');
      client.close();
      if (reply === 'PONG') return;
    } catch { /* not up yet */ }
    await sleep(100);
  }
  throw new Error(`no server answering on port ${port}`);
}

async function startReddish(port) {
  const child = track(fork(path.join(ROOT, 'bench/lib/gc-server.mjs'), [String(port)], { execArgv: ['--expose-gc'], stdio: ['ignore', 'ignore', 'inherit', 'ipc'] }));
  await once(child, 'message');
  await waitForPing(port);
  return {
    name: 'reddish',
    pid: child.pid,
    async collect() {
      child.send('gc');
      await once(child, 'message');
    },
    async stop() {
      child.kill('SIGTERM');
      await once(child, 'exit');
    },
  };
}

async function startRedis(port) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'reddish-hostile-'));
  const child = track(spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir], { stdio: 'ignore' }));
  await waitForPing(port);
  return {
    name: 'redis-server',
    pid: child.pid,
    async collect() {},
    async stop() {
      child.kill('SIGTERM');
      await once(child, 'exit');
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

const HOSTILE = [
  ['*30000000', () => Buffer.from('*30000000\r\n')],
  ['*1048577', () => Buffer.from('*1048577\r\n')],
  ['SET k <$536870000, 64 KB sent>', () => Buffer.concat([Buffer.from('*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$536870000\r\n'), Buffer.alloc(64 * 1024, 0x61)])],
];

async function openHostile(port, bytes) {
  const sockets = [];
  for (let i = 0; i < CONNECTIONS; i++) {
    const socket = net.connect(port, '127.0.0.1');
    socket.on('error', () => {});
    await once(socket, 'connect');
    socket.write(bytes);
    sockets.push(socket);
  }
  return sockets;
}

async function measure(server, port) {
  const rows = [];
  for (const [label, bytes] of HOSTILE) {
    await server.collect();
    await sleep(SETTLE_MS);
    const before = rssBytes(server.pid);
    const sockets = await openHostile(port, bytes());
    await sleep(SETTLE_MS);
    await server.collect();
    const during = rssBytes(server.pid);
    const closed = sockets.map((socket) => once(socket, 'close'));
    for (const socket of sockets) socket.destroy();
    await Promise.all(closed);
    await sleep(SETTLE_MS);
    await server.collect();
    const after = rssBytes(server.pid);
    rows.push([server.name, label, String(CONNECTIONS), fmt(before / MB, 1), fmt(during / MB, 1), fmt((during - before) / CONNECTIONS / MB, 3), fmt(after / MB, 1)]);
  }
  return rows;
}

const [reddishPort, redisPort] = await freePorts(2);
const rows = [];
for (const [start, port] of [[startReddish, reddishPort], [startRedis, redisPort]]) {
  const server = await start(port);
  try {
    rows.push(...(await measure(server, port)));
  } finally {
    await server.stop();
  }
}
console.log(`RSS with ${CONNECTIONS} hostile connections open, each having sent one header (MB; per connection = growth / ${CONNECTIONS})`);
console.log(textTable(['server', 'header', 'conns', 'RSS before', 'RSS open', 'per conn', 'RSS after close'], rows));
const worst = Math.max(...rows.filter((row) => row[0] === 'reddish').map((row) => Number(row[5])));
console.log(`reddish's worst per-connection growth: ${fmt(worst, 3)} MB (bar: <= 1 MB): ${worst <= 1 ? 'PASS' : 'FAIL'}`);
