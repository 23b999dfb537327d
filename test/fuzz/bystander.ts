/**
 * A well-behaved client on its own connection while a fuzzer attacks the
 * server: every few milliseconds it sends a small pipeline whose answers it
 * knows, checks them byte for byte, and keeps the worst round trip. A server
 * that mixes clients' state, stalls on one client's input or dies shows up
 * here as a wrong answer, a long worst latency or a failure to answer.
 */
import { RawClient } from '../helpers/resp-client.js';
import type { Endpoint } from './wire.js';

export interface BystanderReport {
  /** Pipelines sent and answered. */
  rounds: number;
  /** Wrong or missing answers (at most 10 kept). */
  failures: string[];
  /** The slowest round trip, in ms. */
  worstLatencyMs: number;
}

const wait = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export class Bystander {
  private running = true;
  private readonly report: BystanderReport = { rounds: 0, failures: [], worstLatencyMs: 0 };
  private readonly loop: Promise<void>;

  private constructor(
    private readonly client: RawClient,
    private readonly key: string,
    intervalMs: number,
  ) {
    this.loop = this.run(intervalMs);
  }

  /** Connects and starts checking; `name` keeps its keys apart from other bystanders'. */
  static async start(endpoint: Endpoint, name: string, intervalMs = 5): Promise<Bystander> {
    const client = await RawClient.connect(endpoint.port, { host: endpoint.host, replyTimeoutMs: 30_000 });
    return new Bystander(client, `bystander:${name}:${process.pid}`, intervalMs);
  }

  private fail(message: string): void {
    if (this.report.failures.length < 10) this.report.failures.push(message);
  }

  private async run(intervalMs: number): Promise<void> {
    const { client, key } = this;
    try {
      const reset = await client.call('DEL', key);
      if (!/^:[01]\r\n$/.test(reset.latin1Slice())) this.fail(`DEL answered ${JSON.stringify(reset.latin1Slice())}`);
    } catch (error) {
      this.fail(`no answer to DEL: ${(error as Error).message}`);
      return;
    }
    while (this.running) {
      const round = this.report.rounds + 1;
      const value = `v${round}\x00\xff`;
      const started = performance.now();
      let replies: Buffer[];
      try {
        replies = await client.pipeline([['SET', `${key}:v`, value], ['GET', `${key}:v`], ['INCR', key], ['PING']]);
      } catch (error) {
        this.fail(`round ${round}: ${(error as Error).message}`);
        return;
      }
      this.report.worstLatencyMs = Math.max(this.report.worstLatencyMs, performance.now() - started);
      const got = replies.map((reply) => reply.latin1Slice());
      const expected = ['+OK\r\n', `$${value.length}\r\n${value}\r\n`, `:${round}\r\n`, '+PONG\r\n'];
      if (got.join('') !== expected.join('')) {
        this.fail(`round ${round}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(got)}`);
        return;
      }
      this.report.rounds = round;
      await wait(intervalMs);
    }
  }

  /** Stops, disconnects and returns what it saw. */
  async stop(): Promise<BystanderReport> {
    this.running = false;
    await this.loop;
    await this.client.call('DEL', this.key, `${this.key}:v`).catch(() => undefined);
    await this.client.close();
    return this.report;
  }
}
