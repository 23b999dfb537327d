// Section 7: cost of embedding: startServer({port: 0}) + close(), in-process.
import { pathToFileURL } from 'node:url';
import { RespClient } from './resp.mjs';
import { median } from './rb.mjs';
import { textTable, fmt } from './report.mjs';

const CYCLES = 20;

export async function runEmbed(ctx) {
  ctx.print(`\n== Embedding: startServer({ port: 0 }) + close(), ${CYCLES} cycles (${ctx.opts.module})`);
  let mod;
  try {
    mod = await import(pathToFileURL(ctx.opts.module).href);
    if (typeof mod.startServer !== 'function') throw new Error('module has no startServer export');
  } catch (e) {
    const why = `cannot load startServer from ${ctx.opts.module}: ${String(e.message).split('\n')[0]}`;
    ctx.print(`skipped: ${why}`);
    ctx.note(`embed: skipped, ${why}`);
    return { skipped: why };
  }
  const start = [];
  const close = [];
  for (let i = 0; i < CYCLES; i++) {
    const t0 = performance.now();
    const s = await mod.startServer({ port: 0 });
    const t1 = performance.now();
    if (i === 0) {
      // Once, outside the timings: make sure what started really serves.
      if (!(s.port > 0)) throw new Error(`startServer returned port ${s.port}`);
      const c = await RespClient.connect(s.port);
      const r = await c.call('PING');
      c.close();
      if (r !== 'PONG') throw new Error(`embedded server answered PING with ${r}`);
    }
    const t2 = performance.now();
    await s.close();
    const t3 = performance.now();
    start.push(t1 - t0);
    close.push(t3 - t2);
  }
  const total = start.map((x, i) => x + close[i]);
  const out = {
    cycles: CYCLES,
    medianMs: median(total),
    medianStartMs: median(start),
    medianCloseMs: median(close),
    minMs: Math.min(...total),
    maxMs: Math.max(...total),
  };
  ctx.print(textTable(['measure', 'ms'], [
    ['median start+close', fmt(out.medianMs, 3)],
    ['median start', fmt(out.medianStartMs, 3)],
    ['median close', fmt(out.medianCloseMs, 3)],
    ['min / max start+close', `${fmt(out.minMs, 3)} / ${fmt(out.maxMs, 3)}`],
  ]));
  return out;
}
