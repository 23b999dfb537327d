// Section pubsub: fan-out of PUBLISH to many subscribers, and SET -P 16
// with keyspace notifications and one pattern subscriber, reddish vs redis.
//
// redis-benchmark cannot subscribe, so fan-out has its own driver over raw
// sockets: one publisher pipelines PUBLISH to one channel, N subscribers
// count the bytes they receive. Every message has the same size, so bytes
// are messages and nothing is parsed on the receiving side. The publisher
// keeps at most WINDOW messages per subscriber undelivered, so the servers'
// output buffers stay far below the pubsub output buffer limit (32mb): a
// subscriber dropped by the server would make the run an ERROR, not a
// number.
import net from 'node:net';
import { compare, cpuSeconds, median } from './rb.mjs';
import { encode, ReplyError } from './resp.mjs';
import { lacks, spread, RAND_RANGE } from './throughput.mjs';
import { textTable, fmt, fmtInt, fmtRatio } from './report.mjs';

const CHANNEL = 'fanout';
const PAYLOAD = 'm'.repeat(64);
/** What each subscriber receives per message (RESP2 `message` frame). */
const FRAME_BYTES = Buffer.byteLength(encode(['message', CHANNEL, PAYLOAD]));
/** The reply to each subscriber's SUBSCRIBE, which comes before its messages. */
const SUBSCRIBED_BYTES = Buffer.byteLength(`*3\r\n$9\r\nsubscribe\r\n$${CHANNEL.length}\r\n${CHANNEL}\r\n:1\r\n`);
/** PUBLISH commands per publisher write. */
const BATCH = 100;
/** Messages a subscriber may lag behind the publisher, on average. */
const WINDOW = 2000;
const FANOUT_BAR = 0.7;
const TARGET_S = 2.5;
const STALL_MS = 10000;

/**
 * Every subscriber reads into this one buffer (Node's `onread`): the
 * driver only counts bytes, and allocating a Buffer per read for hundreds
 * of sockets would make the driver, not the server, the bottleneck.
 */
const READ_BUFFER = Buffer.allocUnsafe(256 * 1024);

/** Opens a socket and resolves once it is connected; `onBytes` makes it a counting reader. */
function connect(port, onBytes) {
  return new Promise((resolve, reject) => {
    const s = net.connect({ port, host: '127.0.0.1', ...(onBytes ? { onread: { buffer: READ_BUFFER, callback: (n) => { onBytes(n); } } } : {}) });
    s.setNoDelay(true);
    s.once('connect', () => { s.off('error', reject); resolve(s); });
    s.once('error', reject);
  });
}

/**
 * N subscribers on one server, connected once and reused by every run on
 * it; and the publisher that drives them.
 */
class FanOut {
  constructor(server, count) {
    this.server = server;
    this.count = count;
    this.sockets = [];
    this.totalBytes = 0;
    this.lost = null;
    this.onProgress = null;
  }

  async open() {
    for (let i = 0; i < this.count; i++) {
      let subscribed = null;
      let own = 0;
      const s = await connect(this.server.port, (n) => {
        this.totalBytes += n;
        own += n;
        // The SUBSCRIBE reply comes first; nothing is published before every subscriber has it.
        if (subscribed !== null && own >= SUBSCRIBED_BYTES) subscribed();
        this.onProgress?.();
      });
      s.on('error', () => {});
      await new Promise((resolve) => {
        subscribed = () => { subscribed = null; resolve(); };
        s.write(encode(['SUBSCRIBE', CHANNEL]));
      });
      s.on('close', () => { this.lost ??= `${this.server.name} closed a subscriber connection`; this.onProgress?.(); });
      this.sockets.push(s);
    }
    this.publisher = await connect(this.server.port);
    this.publisher.on('error', () => {});
    this.publisher.on('data', (chunk) => {
      // PUBLISH answers integers; an error reply means nothing will be delivered.
      if (chunk.includes(45 /* '-' */)) this.lost ??= `${this.server.name} answered PUBLISH with ${chunk.toString('latin1').split('\r\n').find((l) => l.startsWith('-'))}`;
      this.onProgress?.();
    });
    this.publisher.on('drain', () => this.onProgress?.());
    this.batch = Buffer.from(encode(['PUBLISH', CHANNEL, PAYLOAD]).repeat(BATCH));
  }

  /**
   * Publishes `messages` (a multiple of BATCH) and resolves once every
   * subscriber has received all of them: {seconds, delivered, cpuNsPerDelivery}.
   */
  run(messages) {
    const batches = Math.ceil(messages / BATCH);
    const total = batches * BATCH;
    const startBytes = this.totalBytes;
    const wanted = total * this.count * FRAME_BYTES;
    const cpuBefore = cpuSeconds(this.server.pid);
    return new Promise((resolve, reject) => {
      let written = 0;
      const t0 = performance.now();
      let writing = false;
      // A run that stops making progress (a server that stopped delivering) ends as an ERROR.
      let lastBytes = -1;
      const stall = setInterval(() => {
        if (this.totalBytes === lastBytes) this.lost ??= `${this.server.name} delivered nothing for ${STALL_MS / 1000} s`;
        lastBytes = this.totalBytes;
        this.onProgress?.();
      }, STALL_MS);
      const finish = () => {
        clearInterval(stall);
        this.onProgress = null;
      };
      const pump = () => {
        if (this.lost) { finish(); reject(new Error(this.lost)); return; }
        const got = this.totalBytes - startBytes;
        if (got >= wanted) {
          const seconds = (performance.now() - t0) / 1000;
          const cpuAfter = cpuSeconds(this.server.pid);
          finish();
          const delivered = total * this.count;
          resolve({
            seconds,
            delivered,
            rate: delivered / seconds,
            cpuNsPerDelivery: cpuBefore !== null && cpuAfter !== null ? ((cpuAfter - cpuBefore) * 1e9) / delivered : null,
          });
          return;
        }
        if (writing) return;
        writing = true;
        // Average messages delivered per subscriber so far; keep the publisher within WINDOW of it.
        while (written < batches && written * BATCH - got / FRAME_BYTES / this.count < WINDOW) {
          written++;
          if (!this.publisher.write(this.batch)) break;
        }
        writing = false;
      };
      this.onProgress = pump;
      pump();
    });
  }

  close() {
    for (const s of this.sockets) s.destroy();
    this.publisher?.destroy();
  }
}

/** Round-robin the servers (the first one rotates per round), median per server. */
async function fanOutRounds(ctx, sets, n, rounds) {
  const samples = { redis: [], reddish: [] };
  const cpu = { redis: [], reddish: [] };
  const errors = {};
  for (let round = 0; round < rounds; round++) {
    const order = round % 2 ? ['reddish', 'redis'] : ['redis', 'reddish'];
    for (const label of order) {
      if (errors[label] || !sets[label]) continue;
      try {
        const r = await sets[label].run(n[label]);
        samples[label].push(r.rate);
        if (r.cpuNsPerDelivery !== null) cpu[label].push(r.cpuNsPerDelivery);
        ctx.log(`  round ${round + 1}/${rounds} fan-out ${String(sets[label].count).padStart(3)} subs ${label.padEnd(8)} ${fmtInt(r.rate).padStart(12)} msg/s delivered (${n[label]} published)`);
      } catch (e) {
        errors[label] = e.message;
        ctx.log(`  round ${round + 1}/${rounds} fan-out ${label}: ERROR ${e.message}`);
      }
    }
  }
  return { samples, cpu, errors };
}

async function runFanOut(ctx) {
  const { redis, reddish, opts } = ctx;
  const rows = [];
  const why = await lacks(reddish, [['PUBLISH', CHANNEL, 'x']]);
  for (const subscribers of [50, 500]) {
    const name = `fan-out, ${subscribers} subscribers`;
    if (why) {
      rows.push({ subscribers, skipped: why });
      ctx.bars.skipSection('pubsub', `${name}: delivered msg/s reddish/redis`, '>=', FANOUT_BAR, why);
      continue;
    }
    const sets = { redis: new FanOut(redis, subscribers), reddish: new FanOut(reddish, subscribers) };
    try {
      for (const set of Object.values(sets)) await set.open();
      // Warm-up (a JIT-compiled server's first messages time cold code), then size each run to about TARGET_S.
      const probe = Math.max(2 * BATCH, Math.round(200000 / subscribers / BATCH) * BATCH);
      const n = {};
      for (const [label, set] of Object.entries(sets)) {
        await set.run(probe);
        if (opts.quick) { n[label] = probe; continue; }
        const r = await set.run(probe);
        n[label] = Math.max(probe, Math.round((r.rate * TARGET_S) / subscribers / BATCH) * BATCH);
        ctx.log(`  calibrate fan-out ${subscribers} subs ${label.padEnd(8)} probe ${fmtInt(r.rate)} msg/s -> ${n[label]} messages`);
      }
      const res = await fanOutRounds(ctx, sets, n, opts.rounds);
      const a = median(res.samples.redis);
      const b = median(res.samples.reddish);
      const error = res.errors.reddish || res.errors.redis || null;
      const ratio = Number.isFinite(a) && Number.isFinite(b) && !error ? b / a : null;
      const sp = spread(res.samples.redis, res.samples.reddish);
      const bar = ctx.bars.check('pubsub', `${name}: delivered msg/s reddish/redis`, ratio, '>=', FANOUT_BAR, { error });
      rows.push({
        subscribers, published: n, redis: a, reddish: b, ratio, spread: Number.isFinite(sp) ? sp : null,
        cpuNsPerDelivery: { redis: median(res.cpu.redis), reddish: median(res.cpu.reddish) },
        samples: res.samples, error, bar,
      });
    } catch (e) {
      rows.push({ subscribers, error: e.message });
      ctx.bars.check('pubsub', `${name}: delivered msg/s reddish/redis`, NaN, '>=', FANOUT_BAR, { error: e.message });
    } finally {
      for (const set of Object.values(sets)) set.close();
    }
  }
  const ns = (x) => (Number.isFinite(x) ? `${fmt(x, 0)} ns` : 'n/a');
  ctx.print(`\nPub/sub fan-out: one publisher pipelining PUBLISH (${BATCH} per write, ${PAYLOAD.length} B payload), median of ${opts.rounds} round(s); CPU = server CPU per delivered message\n${textTable(
    ['subscribers', 'redis msg/s', 'reddish msg/s', 'ratio', 'spread', 'redis CPU', 'reddish CPU', 'bar', 'result', 'note'],
    rows.map((r) => [r.subscribers, fmtInt(r.redis), fmtInt(r.reddish), fmtRatio(r.ratio),
      Number.isFinite(r.spread) ? `${Math.round(r.spread * 100)}%` : 'n/a',
      ns(r.cpuNsPerDelivery?.redis), ns(r.cpuNsPerDelivery?.reddish),
      `>= ${FANOUT_BAR}x`, r.bar?.status ?? (r.skipped ? 'SKIP' : 'ERROR'), r.skipped || r.error || '']),
  )}`);
  return rows;
}

/**
 * A connection subscribed to every keyspace and keyevent notification,
 * reading (and counting) whatever arrives, as an application's listener would.
 */
class NotificationListener {
  constructor(server) {
    this.server = server;
    /** Notification bytes received (after the PSUBSCRIBE reply). */
    this.bytes = 0;
    /** SETs sent by the redis-benchmark runs it has listened to. */
    this.sets = 0;
    this.lost = null;
    this.closing = false;
  }

  async open() {
    this.socket = await connect(this.server.port, (n) => { this.bytes += n; });
    this.socket.on('error', () => {});
    this.socket.on('close', () => { if (!this.closing) this.lost ??= `${this.server.name} closed the notification subscriber`; });
    this.socket.write(encode(['PSUBSCRIBE', NOTIFY_PATTERN]));
    while (this.bytes < PSUBSCRIBED_BYTES) await new Promise((resolve) => setTimeout(resolve, 5));
    this.bytes -= PSUBSCRIBED_BYTES;
  }

  /**
   * The share of the notifications due that arrived: each SET of
   * redis-benchmark's `key:<12 digits>` earns a keyspace and a keyevent
   * notification, each a frame of known size. Waits for the tail to land.
   */
  async deliveredShare() {
    for (let last = -1; last !== this.bytes;) {
      last = this.bytes;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    return this.sets === 0 ? null : this.bytes / (this.sets * NOTIFY_BYTES_PER_SET);
  }

  close() {
    this.closing = true;
    this.socket?.destroy();
  }
}

const NOTIFY_PATTERN = '__key*__:*';
const PSUBSCRIBED_BYTES = Buffer.byteLength(`*3\r\n$10\r\npsubscribe\r\n$${NOTIFY_PATTERN.length}\r\n${NOTIFY_PATTERN}\r\n:1\r\n`);
const BENCH_KEY = `key:${'0'.repeat(12)}`;
const NOTIFY_BYTES_PER_SET =
  Buffer.byteLength(encode(['pmessage', NOTIFY_PATTERN, `__keyspace@0__:${BENCH_KEY}`, 'set'])) +
  Buffer.byteLength(encode(['pmessage', NOTIFY_PATTERN, '__keyevent@0__:set', BENCH_KEY]));

/** CONFIG SET notify-keyspace-events; returns null when accepted, else the error text. */
async function setNotify(server, flags) {
  const c = await server.client();
  try {
    const r = await c.call('CONFIG', 'SET', 'notify-keyspace-events', flags);
    return r instanceof ReplyError ? r.message : null;
  } finally {
    c.close();
  }
}

async function runNotify(ctx) {
  const { redis, reddish, opts, log } = ctx;
  const P = 16;
  // Whether each server takes KEA: a server that refuses it sits the KEA test out (SKIP).
  const refused = {};
  for (const server of [redis, reddish]) {
    const why = await setNotify(server, 'KEA');
    if (why) refused[server.name] = `${server.name} refuses notify-keyspace-events KEA: ${why}`;
    await setNotify(server, '');
  }
  const listeners = new Map();
  const tests = [
    {
      id: 'SET (notify "")',
      spec: { t: 'set' },
      probeN: 100000,
      minN: 10000,
      prep: async (v) => {
        const why = await setNotify(v.server, '');
        if (why) throw new Error(`CONFIG SET notify-keyspace-events "": ${why}`);
      },
    },
    {
      id: 'SET (KEA, 1 subscriber)',
      spec: { t: 'set' },
      probeN: 100000,
      minN: 10000,
      skip: Object.keys(refused).length ? Object.fromEntries(Object.entries(refused).map(([name, why]) => [name, why])) : undefined,
      prep: async (v, n) => {
        const why = await setNotify(v.server, 'KEA');
        if (why) throw new Error(`CONFIG SET notify-keyspace-events KEA: ${why}`);
        let l = listeners.get(v.label);
        if (l?.lost) throw new Error(l.lost);
        if (!l) {
          l = new NotificationListener(v.server);
          await l.open();
          listeners.set(v.label, l);
        }
        l.sets += n;
      },
    },
  ];
  let res;
  const delivered = {};
  try {
    res = await compare({
      tests, variants: [{ label: 'redis', server: redis }, { label: 'reddish', server: reddish }],
      P, c: opts.clients, r: RAND_RANGE, rounds: opts.rounds, quick: opts.quick, log,
    });
    for (const [label, l] of listeners) delivered[label] = await l.deliveredShare();
  } finally {
    for (const l of listeners.values()) l.close();
    for (const server of [redis, reddish]) await setNotify(server, '');
  }
  const rows = {};
  for (const t of tests) {
    const a = res[t.id].redis;
    const b = res[t.id].reddish;
    const kea = t.id.includes('KEA');
    const lost = kea ? [...listeners.values()].map((l) => l.lost).filter(Boolean) : [];
    // Every SET must have produced its two notifications, or the run timed less work than it claims.
    // (redis-benchmark may send a few more than n, up to clients x pipeline, so only a shortfall counts.)
    const short = kea ? Object.entries(delivered).filter(([, share]) => share !== null && share < 0.999)
      .map(([label, share]) => `${label}'s subscriber got ${(share * 100).toFixed(1)}% of the notification bytes due`) : [];
    const error = a.error || b.error || lost[0] || short[0] || null;
    const skipped = b.skipped || a.skipped || null;
    const ratio = a.median && b.median && !error ? b.median / a.median : null;
    const sp = spread(a.samples, b.samples);
    rows[t.id] = {
      redis: a.median ?? null, reddish: b.median ?? null, ratio, spread: Number.isFinite(sp) ? sp : null,
      cpuPerOp: { redis: a.cpuPerOp ?? null, reddish: b.cpuPerOp ?? null },
      samples: { redis: a.samples ?? [], reddish: b.samples ?? [] }, skipped, error,
      notificationsDelivered: kea ? delivered : undefined,
      result: skipped ? 'SKIP' : error ? 'ERROR' : 'reported',
    };
    if (skipped) ctx.note(`pubsub: ${t.id} -P ${P}: SKIP, ${skipped}`);
    else if (error) ctx.note(`pubsub: ${t.id} -P ${P}: ERROR, ${error}`);
  }
  const cpu = (x) => (x ? `${x.toFixed(2)} µs` : 'n/a');
  ctx.print(`\nKeyspace notifications: redis-benchmark -t set -P ${P} -c ${opts.clients} -r ${RAND_RANGE}, median of ${opts.rounds} round(s); the KEA run has one subscriber on __key*__:* reading every notification (no bar: reported)\n${textTable(
    ['test', 'redis ops/s', 'reddish ops/s', 'ratio', 'spread', 'redis CPU/op', 'reddish CPU/op', 'result', 'note'],
    Object.entries(rows).map(([id, r]) => [id, fmtInt(r.redis), fmtInt(r.reddish), fmtRatio(r.ratio),
      Number.isFinite(r.spread) ? `${Math.round(r.spread * 100)}%` : 'n/a', cpu(r.cpuPerOp.redis), cpu(r.cpuPerOp.reddish), r.result, r.skipped || r.error || '']),
  )}`);
  return rows;
}

export async function runPubsub(ctx) {
  ctx.print(`\n== Pub/sub: fan-out (50 and 500 subscribers) and keyspace notifications, median of ${ctx.opts.rounds} round(s)`);
  const fanOut = await runFanOut(ctx);
  const notify = await runNotify(ctx);
  return { fanOut, notify };
}
