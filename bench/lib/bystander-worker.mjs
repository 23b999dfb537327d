// A bystander (test/fuzz/bystander.ts) in a worker thread of its own, so
// that its round trips time the server, not the pauses of the fuzzer that
// shares its process. See startWorkerBystander.
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { importTs } from './ts-import.mjs';

/** Starts a bystander on `endpoint` in a worker; stop() ends it and returns its report. */
export async function startWorkerBystander(endpoint, name) {
  const worker = new Worker(new URL(import.meta.url), { workerData: { endpoint, name } });
  // A worker that dies takes its report with it; say so in the report instead of crashing the run.
  let failure = null;
  worker.on('error', (error) => {
    failure = error;
  });
  const next = () => new Promise((resolve) => {
    worker.once('message', resolve);
    worker.once('exit', () => resolve(null));
  });
  if ((await next()) === null) throw new Error(`the bystander worker for port ${endpoint.port} died: ${failure?.message}`);
  return {
    async stop() {
      const report = next();
      worker.postMessage('stop');
      const result = await report;
      await worker.terminate();
      return result ?? { rounds: 0, failures: [`the bystander worker died: ${failure?.message}`], worstLatencyMs: 0 };
    },
  };
}

if (!isMainThread) {
  const { Bystander } = await importTs('test/fuzz/bystander.ts');
  const bystander = await Bystander.start(workerData.endpoint, workerData.name);
  parentPort.postMessage('started');
  parentPort.once('message', async () => parentPort.postMessage(await bystander.stop()));
}
