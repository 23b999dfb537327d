/**
 * OutputBufferLimits: checkClientOutputBufferLimits's rules, on stand-in
 * clients whose output is set by hand and a clock moved by hand. The same
 * limits on real sockets, beside redis-server, are in
 * test/integration/output-buffer-limits.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { Config } from '../../../src/config.js';
import { OutputBufferLimits, parseLimitSettings, SOFT_LIMIT_NOT_REACHED } from '../../../src/server/output-buffer-limits.js';
import type { Connection } from '../../../src/server/connection.js';

/** The parts of a Connection the limits read and write. */
interface StandIn {
  outputBytes: number;
  subscriptions: { total: number } | null;
  softLimitReachedAt: number;
  closingForOutputLimit: boolean;
  closed: boolean;
  closeForOutputLimit(): void;
}

function client(outputBytes: number, subscribed = false): StandIn & Connection {
  const standIn: StandIn = {
    outputBytes,
    subscriptions: subscribed ? { total: 1 } : null,
    softLimitReachedAt: SOFT_LIMIT_NOT_REACHED,
    closingForOutputLimit: false,
    closed: false,
    closeForOutputLimit() {
      this.closingForOutputLimit = true;
    },
  };
  return standIn as StandIn & Connection;
}

function limits(value: string, start = 1_000_000) {
  const config = new Config({ 'client-output-buffer-limit': value });
  const clock = { now: start };
  return { config, clock, limits: new OutputBufferLimits(config, () => clock.now, () => false) };
}

describe('parseLimitSettings', () => {
  it('reads the stored value per class, slave as replica', () => {
    expect(parseLimitSettings('normal 1 2 3 slave 4 5 6 pubsub 7 8 9')).toEqual({
      normal: { hardBytes: 1, softBytes: 2, softSeconds: 3 },
      replica: { hardBytes: 4, softBytes: 5, softSeconds: 6 },
      pubsub: { hardBytes: 7, softBytes: 8, softSeconds: 9 },
    });
  });
});

describe('OutputBufferLimits', () => {
  it('closes a client at its class hard limit, at once', () => {
    const { limits: l } = limits('pubsub 1000 0 0');
    const below = client(999, true);
    const at = client(1000, true);
    expect(l.enforce(below)).toBe(false);
    expect(below.closingForOutputLimit).toBe(false);
    expect(l.enforce(at)).toBe(true);
    expect(at.closingForOutputLimit).toBe(true);
    // Closed once: later output does not close it again.
    expect(l.enforce(at)).toBe(false);
  });

  it('uses the class of the client: normal limits do not apply to a subscriber, nor pubsub ones to a normal client', () => {
    const { limits: l } = limits('normal 0 0 0 pubsub 1000 0 0');
    expect(l.enforce(client(5000, false))).toBe(false);
    expect(l.enforce(client(5000, true))).toBe(true);
    const { limits: normal } = limits('normal 1000 0 0 pubsub 0 0 0');
    expect(normal.enforce(client(5000, false))).toBe(true);
    expect(normal.enforce(client(5000, true))).toBe(false);
  });

  it('closes over the soft limit only when more than soft-seconds whole seconds have passed', () => {
    const { limits: l, clock } = limits('pubsub 0 100 2', 10_500);
    const c = client(100, true);
    expect(l.enforce(c)).toBe(false);
    expect(c.softLimitReachedAt).toBe(10);
    clock.now = 12_999;
    expect(l.enforce(c)).toBe(false);
    clock.now = 13_000;
    expect(l.enforce(c)).toBe(true);
  });

  it('starts the soft limit over when the client is found below it', () => {
    const { limits: l, clock } = limits('pubsub 0 100 1', 10_000);
    const c = client(150, true);
    l.enforce(c);
    clock.now = 11_000;
    c.outputBytes = 50;
    expect(l.enforce(c)).toBe(false);
    expect(c.softLimitReachedAt).toBe(SOFT_LIMIT_NOT_REACHED);
    c.outputBytes = 150;
    clock.now = 12_000;
    expect(l.enforce(c)).toBe(false);
    expect(c.softLimitReachedAt).toBe(12);
  });

  it('does not look at a client holding nothing, as Redis skips one with an empty reply list', () => {
    const { limits: l, clock } = limits('pubsub 0 100 1', 10_000);
    const c = client(150, true);
    l.enforce(c);
    c.outputBytes = 0;
    clock.now = 20_000;
    expect(l.enforce(c)).toBe(false);
    // Its timer was kept: more output finds it over the limit for long enough.
    c.outputBytes = 150;
    expect(l.enforce(c)).toBe(true);
  });

  it('the cron closes the clients that stayed over their soft limit with nothing more written to them', () => {
    const { limits: l, clock } = limits('pubsub 0 100 1', 10_000);
    const over = client(150, true);
    const gone = client(150, true);
    l.enforce(over);
    l.enforce(gone);
    gone.closed = true;
    l.cron();
    expect(over.closingForOutputLimit).toBe(false);
    clock.now = 12_000;
    l.cron();
    expect(over.closingForOutputLimit).toBe(true);
    expect(gone.closingForOutputLimit).toBe(false);
  });

  it('follows CONFIG SET', () => {
    const { limits: l, config } = limits('pubsub 0 0 0');
    const c = client(5000, true);
    expect(l.enforce(c)).toBe(false);
    expect(config.setMany([['client-output-buffer-limit', 'pubsub 4kb 0 0']])).toBeNull();
    expect(l.enforce(c)).toBe(true);
  });
});
