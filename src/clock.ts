/**
 * The server's source of time. Expiry, TTLs, TIME and idle times all read
 * it, so a test can swap in a ManualClock and move time forward without
 * sleeping.
 */
export interface Clock {
  /** Milliseconds since the Unix epoch. */
  now(): number;
}

export const systemClock: Clock = {
  now: () => Date.now(),
};

/** A clock that only moves when told to: `clock.advance(5000)`. */
export class ManualClock implements Clock {
  private current: number;

  constructor(startMs: number = Date.now()) {
    this.current = startMs;
  }

  now(): number {
    return this.current;
  }

  /** Moves time forward by `ms` milliseconds. */
  advance(ms: number): void {
    if (!(ms >= 0)) throw new RangeError('ManualClock.advance needs a non-negative number of milliseconds');
    this.current += ms;
  }

  /** Sets the time to an absolute epoch-milliseconds value. */
  set(epochMs: number): void {
    this.current = epochMs;
  }
}
