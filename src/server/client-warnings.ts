/**
 * A budget for the warnings one client's behaviour can cause (a bug hit by
 * a command, a query buffer over the limit): a fuzzing or hostile client
 * must not flood the log (a probe wrote 267k lines, 41 MB, in 150 s). At
 * most `perSecond` such lines are written each second, server-wide; the
 * rest are counted and reported in one line when the next second starts.
 */
import { performance } from 'node:perf_hooks';
import type { Logger } from 'pino';

export class ClientWarnings {
  private windowStart = -Infinity;
  private written = 0;
  private suppressed = 0;

  constructor(
    private readonly logger: Logger,
    private readonly perSecond = 10,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** True when a per-client warning may be written now. */
  allow(): boolean {
    const now = this.now();
    if (now - this.windowStart >= 1000) {
      if (this.suppressed !== 0) {
        this.logger.warn({ suppressed: this.suppressed }, 'per-client warnings were suppressed to keep the log small');
      }
      this.windowStart = now;
      this.written = 0;
      this.suppressed = 0;
    }
    if (this.written < this.perSecond) {
      this.written++;
      return true;
    }
    this.suppressed++;
    return false;
  }
}
