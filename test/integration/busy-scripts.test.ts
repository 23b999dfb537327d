/**
 * Scripts that run past busy-reply-threshold, on reddish and on
 * redis-server when it is installed (the expectations are Redis's own):
 * the server keeps answering, others get -BUSY (save the allow_busy
 * commands), SCRIPT KILL and FUNCTION KILL stop a script that has not
 * written, UNKILLABLE answers for one that has, and SHUTDOWN NOSAVE ends
 * the server anyway. The threshold is set to 100 ms so that each case
 * takes a fraction of a second.
 *
 * Replies are compared as raw RESP. Where a script is still spinning,
 * the bystander's commands are sent only once the caller's script is known
 * to be busy (a PING answered with -BUSY). Scripts that end by themselves
 * spin for a second: reddish runs in the test's own process, so the
 * bystander's round trips share the event loop with the script's slices,
 * and a shorter spin can end before a loaded machine has let one through.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../../src/index.js';
import { RawClient, encodeCommand, type Command } from '../helpers/resp-client.js';
import { findRedisServer, startRedisServer, type RedisServerHandle } from '../helpers/redis-server.js';

const BUSY_EVAL = '-BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE.\r\n';
const BUSY_FUNCTION = '-BUSY Redis is busy running a script. You can only call FUNCTION KILL or SHUTDOWN NOSAVE.\r\n';
const UNKILLABLE =
  '-UNKILLABLE Sorry the script already executed write commands against the dataset. You can either wait the script termination or kill the server in a hard way using the SHUTDOWN NOSAVE command.\r\n';
const SPIN = 'local i = 0 while true do i = i + 1 end';
const SPIN_SHA = '3fcf51a9b854b8f66cb8685600b0d7df968f4398';

/** Lua that spins until `ms` milliseconds have passed by the server's TIME (Redis 7.0 has no os.clock). */
function spinFor(ms: number): string {
  return (
    "local function now() local t = redis.call('TIME') return t[1] * 1000 + math.floor(t[2] / 1000) end\n" +
    `local started = now() while now() - started < ${ms} do end`
  );
}

interface Target {
  name: 'reddish' | 'redis-server';
  start(): Promise<{ port: number; stop(): Promise<void>; reddish?: RunningServer }>;
}

const targets: Target[] = [
  {
    name: 'reddish',
    async start() {
      const server = await startServer({ port: 0 });
      return { port: server.port, stop: () => server.close(), reddish: server };
    },
  },
];
if (findRedisServer() !== null) {
  targets.push({
    name: 'redis-server',
    async start() {
      const server: RedisServerHandle = await startRedisServer();
      return { port: server.port, stop: () => server.stop() };
    },
  });
}

describe.each(targets)('busy scripts on $name', (target) => {
  let server: Awaited<ReturnType<Target['start']>>;
  const clients: RawClient[] = [];

  beforeEach(async () => {
    server = await target.start();
    const admin = await connect();
    expect((await admin.call('CONFIG', 'SET', 'busy-reply-threshold', '100')).toString()).toBe('+OK\r\n');
  });

  afterEach(async () => {
    for (const client of clients.splice(0)) client.destroy();
    await server.stop();
  });

  async function connect(): Promise<RawClient> {
    const client = await RawClient.connect(server.port, { replyTimeoutMs: 5000 });
    clients.push(client);
    return client;
  }

  /** Sends without waiting for the reply. */
  function send(client: RawClient, ...args: Command): void {
    client.sendRaw(encodeCommand(args));
  }

  async function text(reply: Promise<Buffer>): Promise<string> {
    return (await reply).toString('latin1');
  }

  /** PINGs from `client` until the server answers -BUSY: the script is past the threshold. */
  async function untilBusy(client: RawClient, expected = BUSY_EVAL): Promise<void> {
    for (let i = 0; i < 200; i++) {
      const reply = await text(client.call('PING'));
      if (reply === expected) return;
      expect(reply).toBe('+PONG\r\n');
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    throw new Error('the script never became busy');
  }

  it('a spinning script: others get BUSY, allow_busy commands run, SCRIPT KILL ends it', async () => {
    const caller = await connect();
    const bystander = await connect();
    send(caller, 'EVAL', SPIN, '0');
    send(caller, 'PING');
    await untilBusy(bystander);
    expect(await text(bystander.call('GET', 'k'))).toBe(BUSY_EVAL);
    expect(await text(bystander.call('SCRIPT', 'FLUSH'))).toBe(BUSY_EVAL);
    // A transaction may be opened, but its commands are refused and EXEC aborts.
    expect(await text(bystander.call('MULTI'))).toBe('+OK\r\n');
    expect(await text(bystander.call('SET', 'k', 'v'))).toBe(BUSY_EVAL);
    expect(await text(bystander.call('EXEC'))).toBe('-EXECABORT Transaction discarded because of: ' + BUSY_EVAL.slice(1));
    expect(await text(bystander.call('WATCH', 'k'))).toBe('+OK\r\n');
    expect(await text(bystander.call('UNWATCH'))).toBe('+OK\r\n');
    // An EVAL is busy: FUNCTION's commands answer with EVAL's BUSY text.
    expect(await text(bystander.call('FUNCTION', 'STATS'))).toBe(BUSY_EVAL);
    expect(await text(bystander.call('FUNCTION', 'KILL'))).toBe(BUSY_EVAL);
    expect(await text(bystander.call('SHUTDOWN'))).toBe(BUSY_EVAL);
    expect(await text(bystander.call('SCRIPT', 'KILL'))).toBe('+OK\r\n');
    expect(await text(caller.readReply())).toBe(`-ERR Script killed by user with SCRIPT KILL... script: ${SPIN_SHA}, on @user_script:1.\r\n`);
    // The caller's pipelined PING runs after its script; the server is itself again.
    expect(await text(caller.readReply())).toBe('+PONG\r\n');
    expect(await text(bystander.call('SCRIPT', 'KILL'))).toBe('-NOTBUSY No scripts in execution right now.\r\n');
    expect(await text(bystander.call('SET', 'k', 'v'))).toBe('+OK\r\n');
  });

  it('a script spinning inside pcall is still killed', async () => {
    const caller = await connect();
    const bystander = await connect();
    send(caller, 'EVAL', "local f = function() while 1 do redis.call('PING') end end\nwhile 1 do pcall(f) end", '0');
    await untilBusy(bystander);
    expect(await text(bystander.call('SCRIPT', 'KILL'))).toBe('+OK\r\n');
    expect(await text(caller.readReply())).toMatch(/^-ERR Script killed by user with SCRIPT KILL\.\.\. script: [0-9a-f]{40}, on @user_script:2\.\r\n$/);
    expect(await text(caller.call('PING'))).toBe('+PONG\r\n');
  });

  it('a slow script that ends by itself: its reply comes, and BUSY stops', async () => {
    const caller = await connect();
    const bystander = await connect();
    send(caller, 'EVAL', `${spinFor(1000)}\nredis.call('SET', KEYS[1], 'done')\nreturn 'finished'`, '1', 'k');
    await untilBusy(bystander);
    expect(await text(caller.readReply())).toBe('$8\r\nfinished\r\n');
    expect(await text(bystander.call('GET', 'k'))).toBe('$4\r\ndone\r\n');
  });

  it('a script that wrote cannot be killed; SHUTDOWN NOSAVE ends the server anyway', async () => {
    const caller = await connect();
    const bystander = await connect();
    send(caller, 'EVAL', `redis.call('SET', 'k', 'v')\n${SPIN}`, '0');
    await untilBusy(bystander);
    expect(await text(bystander.call('SCRIPT', 'KILL'))).toBe(UNKILLABLE);
    expect(await text(bystander.call('SHUTDOWN'))).toBe(BUSY_EVAL);
    send(bystander, 'SHUTDOWN', 'NOSAVE');
    expect(await bystander.waitClosed(5000)).toBe(true);
    expect(await caller.waitClosed(5000)).toBe(true);
  });

  it('a busy function: FUNCTION STATS shows it, SCRIPT KILL is refused, FUNCTION KILL ends it', async () => {
    const caller = await connect();
    const bystander = await connect();
    const library = `#!lua name=spinners\nredis.register_function('spin', function(keys, args)\n${SPIN}\nend)`;
    expect(await text(bystander.call('FUNCTION', 'LOAD', library))).toBe('$8\r\nspinners\r\n');
    send(caller, 'FCALL', 'spin', '1', 'key1', 'arg1');
    await untilBusy(bystander, BUSY_FUNCTION);
    const stats = await text(bystander.call('FUNCTION', 'STATS'));
    expect(stats).toMatch(
      /^\*4\r\n\$14\r\nrunning_script\r\n\*6\r\n\$4\r\nname\r\n\$4\r\nspin\r\n\$7\r\ncommand\r\n\*5\r\n\$5\r\nFCALL\r\n\$4\r\nspin\r\n\$1\r\n1\r\n\$4\r\nkey1\r\n\$4\r\narg1\r\n\$11\r\nduration_ms\r\n:\d+\r\n\$7\r\nengines\r\n\*2\r\n\$3\r\nLUA\r\n\*4\r\n\$15\r\nlibraries_count\r\n:1\r\n\$15\r\nfunctions_count\r\n:1\r\n$/,
    );
    expect(await text(bystander.call('SCRIPT', 'KILL'))).toBe(BUSY_FUNCTION);
    expect(await text(bystander.call('FUNCTION', 'KILL'))).toBe('+OK\r\n');
    expect(await text(caller.readReply())).toBe('-ERR Script killed by user with SCRIPT KILL... script: spin, on @user_function:3.\r\n');
    expect(await text(bystander.call('FUNCTION', 'KILL'))).toBe('-NOTBUSY No scripts in execution right now.\r\n');
  });

  it('a client blocked on a key the script pushes is not served while the script runs', async () => {
    const caller = await connect();
    const bystander = await connect();
    const waiter = await connect();
    send(waiter, 'BLPOP', 'q', '0');
    // Let the BLPOP block before the script runs.
    expect(await text(bystander.call('PING'))).toBe('+PONG\r\n');
    await new Promise((resolve) => setTimeout(resolve, 50));
    const order: string[] = [];
    send(caller, 'EVAL', `redis.call('RPUSH', 'q', 'job')\n${spinFor(1000)}\nreturn redis.call('LLEN', 'q')`, '0');
    const callerReply = caller.readReply().then((reply) => {
      order.push('eval');
      return reply.toString('latin1');
    });
    const waiterReply = waiter.readReply().then((reply) => {
      order.push('blpop');
      return reply.toString('latin1');
    });
    await untilBusy(bystander);
    // While the script is busy the waiter has had nothing...
    expect(order).toEqual([]);
    // ...and the script's LLEN still saw the element: the waiter was not served between its calls.
    expect(await callerReply).toBe(':1\r\n');
    expect(await waiterReply).toBe('*2\r\n$1\r\nq\r\n$3\r\njob\r\n');
    expect(order.sort()).toEqual(['blpop', 'eval']);
  });

  if (target.name === 'reddish') {
    it("a busy script's writes still propagate as one unit", async () => {
      const units: string[][] = [];
      const unsubscribe = server.reddish!.server.propagation.subscribe((unit) => units.push(unit.map((c) => c.argv.join(' '))));
      const caller = await connect();
      const bystander = await connect();
      send(caller, 'EVAL', `redis.call('SET', 'a', '1')\n${spinFor(1000)}\nredis.call('SET', 'b', '2')\nreturn 1`, '0');
      await untilBusy(bystander);
      expect(await text(caller.readReply())).toBe(':1\r\n');
      unsubscribe();
      expect(units).toEqual([['MULTI', 'SET a 1', 'SET b 2', 'EXEC']]);
    });
  }
});
