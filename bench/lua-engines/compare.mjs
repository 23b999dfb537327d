// Measures reddish's Lua engine against the alternatives it was chosen over
// (docs/DESIGN.md, "Scripting"): speed of the EVALSHA path, cost of one
// redis.call, and fidelity to Redis 7.0.15's Lua 5.1 and its libraries.
//
//   (cd ../.. && npx tsc -p .)   # ours is imported from dist/
//   npm install && node compare.mjs [--rounds 5] [--round-ms 1000]
//
// Every engine gets the same host behaviour: redis.call('GET', k) is answered
// by a JS function with a fixed 3-byte value, so the figures compare the
// engines and their JS boundary, not a keyspace. The expected fidelity
// answers come from a real redis-server, started here on a unix socket.
import { createHash } from 'node:crypto';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import net from 'node:net';
import { LuaEngine as ReddishLuaEngine } from '../../dist/scripting/lua-engine.js';
import { LuaWasmEngine } from 'lua-redis-wasm';
import { LuaFactory, LUA_REGISTRYINDEX as WASMOON_REGISTRY } from 'wasmoon';
import fengari from 'fengari';

const options = parseOptions(process.argv.slice(2));

const GET_SCRIPT = "return redis.call('GET', KEYS[1])";
const LOOP_CALLS = 100_000;
const LOOP_SCRIPT = `for i = 1, ${LOOP_CALLS} do redis.call('GET', KEYS[1]) end return 'done'`;
/** Keys cycle through this many names, so consecutive calls differ. */
const KEY_COUNT = 1000;
const KEYS = Array.from({ length: KEY_COUNT }, (_, i) => `key:${i}`);
const VALUE = 'bar';

// ---------------------------------------------------------------------------
// Fidelity probes: each is a chunk that returns a string, so the answer does
// not depend on how an engine converts a Lua number into a reply. Binary
// results are hex-encoded inside Lua. Everything an engine cannot run (a
// missing library, a syntax it rejects) comes back as "ERROR: ..." and so is
// a mismatch.
const HEX = "local function hex(s) local o = {} for i = 1, #s do o[#o + 1] = string.format('%02x', string.byte(s, i)) end return table.concat(o) end ";
const PROBES = [
  ['tostring(10/2)', 'return tostring(10/2)'],
  ['tostring(3.0)', 'return tostring(3.0)'],
  ["('%d'):format(1.5)", "local ok, r = pcall(string.format, '%d', 1.5) return tostring(ok) .. ' ' .. tostring(r)"],
  ["('%d'):format(2^31)", "return string.format('%d', 2^31)"],
  ["('%d'):format(2^53)", "return string.format('%d', 2^53)"],
  ["('%x'):format(2^32+15)", "local ok, r = pcall(string.format, '%x', 2^32 + 15) return tostring(ok) .. ' ' .. tostring(r)"],
  ["('%5.2f'):format(1/3)", "return string.format('%5.2f', 1/3)"],
  ["('%q'):format('a\\nb\\0')", "return string.format('%q', 'a\\nb\\0')"],
  ['tostring(2^53)', 'return tostring(2^53)'],
  ['tostring(2^31)', 'return tostring(2^31)'],
  ['tostring(9007199254740993)', 'return tostring(9007199254740993)'],
  ['tostring(1e15)', 'return tostring(1e15)'],
  ['tostring(123456789012345)', 'return tostring(123456789012345)'],
  ['tostring(-0.0)', 'return tostring(-0.0)'],
  ['tostring(math.huge)', 'return tostring(math.huge) .. ' + "' ' .. tostring(-math.huge)"],
  ['tostring(0/0)', 'return tostring(0/0)'],
  ["tonumber('1e1')", "return tostring(tonumber('1e1'))"],
  ["tonumber('0x10')", "return tostring(tonumber('0x10'))"],
  ['10 // 3 (syntax)', "local f, e = (loadstring or load)('return 10 // 3') if f then return tostring(f()) end return 'compile error'"],
  ['goto (syntax)', "local f = (loadstring or load)('goto x ::x:: return 1') return f and 'compiles' or 'compile error'"],
  ['3 & 5 (syntax)', "local f = (loadstring or load)('return 3 & 5') if f then return tostring(f()) end return 'compile error'"],
  ['type(unpack)', 'return type(unpack)'],
  ['unpack({1,2,3})', "return table.concat({(unpack or table.unpack)({1, 2, 3})}, ',')"],
  ['type(table.unpack)', 'return type(table.unpack)'],
  ['type(table.getn)', 'return type(table.getn)'],
  ['table.getn({1,2,3})', 'return tostring(table.getn({1, 2, 3}))'],
  ['type(table.maxn)', 'return type(table.maxn)'],
  ['type(loadstring)', 'return type(loadstring)'],
  // Redis raises an error on reading a global that does not exist; rawget
  // asks without tripping it, so the probe is about the library, not wording.
  ["rawget(_G, 'setfenv')", "return type(rawget(_G, 'setfenv'))"],
  ['type(math.pow)', 'return type(math.pow)'],
  ['type(math.log10)', 'return type(math.log10)'],
  ['type(math.type)', 'return type(math.type)'],
  ["rawget(_G, 'utf8')", "return type(rawget(_G, 'utf8'))"],
  ['os, io, require, print', "return type(rawget(_G, 'os')) .. ' ' .. type(rawget(_G, 'io')) .. ' ' .. type(rawget(_G, 'require')) .. ' ' .. type(rawget(_G, 'print'))"],
  ["select('#', 1, nil, 3)", "return tostring(select('#', 1, nil, 3))"],
  ["#'a\\0b'", "return tostring(#'a\\0b')"],
  ["string.rep('ab', 3, ',')", "return string.rep('ab', 3, ',')"],
  ['table.concat({1, 10/2, 2.5})', "return table.concat({1, 10/2, 2.5}, ',')"],
  ['t[1.0] and float keys', "local t = {} t[1.0] = 'a' t[2^1] = 'b' local k = {} for key in pairs(t) do k[#k + 1] = tostring(key) end table.sort(k) return t[1] .. t[2] .. ' ' .. table.concat(k, ',')"],
  ['global write', "local ok = pcall(function() probe_global = 1 end) return tostring(ok)"],
  ['bit.band / bit.tohex', "return tostring(bit.band(0xff, 0x0f)) .. ' ' .. bit.tohex(255) .. ' ' .. tostring(bit.lshift(1, 31))"],
  ['cjson.encode', "return cjson.encode({1, 2, 3.5, 'x', true})"],
  ['cjson.encode map', "return cjson.encode({a = 1})"],
  ['cjson.decode', "local v = cjson.decode('{\"a\":[1,2,{\"b\":null}],\"c\":1e3}') return tostring(v.a[2]) .. ' ' .. tostring(v.c) .. ' ' .. tostring(v.a[3].b == cjson.null)"],
  ['cmsgpack.pack hex', HEX + "return hex(cmsgpack.pack({1, 2, 'x', 300, -1, 1.5}))"],
  ['cmsgpack.unpack', HEX + "local a, b = cmsgpack.unpack(cmsgpack.pack(7, 'x')) return tostring(a) .. ' ' .. b"],
  ['cmsgpack.pack(2^40)', HEX + 'return hex(cmsgpack.pack(2^40))'],
  ["struct.pack('>I2', 258)", HEX + "return hex(struct.pack('>I2', 258))"],
  ["struct.pack('l') size", "return tostring(#struct.pack('l', 1))"],
  ["struct.unpack('<i4')", "return tostring((struct.unpack('<i4', '\\255\\255\\255\\255')))"],
  ["redis.sha1hex('abc')", "return redis.sha1hex('abc')"],
  ['math.random after randomseed', "math.randomseed(1) return tostring(math.random(1000))"],
];

// ---------------------------------------------------------------------------
// The engines. Each adapter gives: prepare(script) -> run(key) (the script
// compiled once, then run with KEYS = {key}), and probe(script) -> string.

async function createOurs() {
  let nextId = 1;
  const engine = new ReddishLuaEngine({
    // The real host answers with RESP for the script's protocol.
    call: () => '$3\r\nbar\r\n',
    log: () => {},
    setRepl: () => {},
    aclCheck: () => 1,
    interrupt: () => 0,
  });
  const compile = (script) => {
    const id = nextId++;
    const failure = engine.compile(id, sha1(script), script, 0);
    if (failure !== null) throw new Error(failure.trim());
    return id;
  };
  return {
    name: 'reddish (Lua 5.1 wasm, ours)',
    prepare(script) {
      const id = compile(script);
      return (key) => engine.run(id, [key], [], 2, true, false).reply;
    },
    probe(script) {
      let id;
      try {
        id = compile(script);
      } catch (error) {
        return `ERROR: ${error.message}`;
      }
      return decodeResp(engine.run(id, [], [], 2, true, false).reply);
    },
  };
}

async function createLuaRedisWasm() {
  const value = Buffer.from(VALUE);
  const engine = await LuaWasmEngine.create({
    host: { redisCall: () => value, redisPcall: () => value, log: () => {} },
  });
  const keyBuffers = new Map(KEYS.map((key) => [key, [Buffer.from(key)]]));
  const noArgs = [];
  return {
    name: 'lua-redis-wasm (Lua 5.1 wasm)',
    // Its API takes the script source on every call (no compile-once entry
    // point), so this is the closest it has to EVALSHA.
    prepare(script) {
      const source = Buffer.from(script);
      return (key) => engine.evalWithArgs(source, keyBuffers.get(key) ?? [Buffer.from(key)], noArgs);
    },
    probe(script) {
      try {
        const reply = engine.evalWithArgs(script, [], []);
        if (Buffer.isBuffer(reply)) return reply.toString('latin1');
        if (reply !== null && typeof reply === 'object' && 'err' in reply) {
          return `ERROR: ${reply.code ? `${reply.code} ` : ''}${reply.err.toString('latin1')}`;
        }
        return `(${typeof reply}) ${String(reply)}`;
      } catch (error) {
        return `ERROR: ${error.message}`;
      }
    },
  };
}

async function createWasmoon() {
  const lua = await new LuaFactory().createEngine();
  // The brief's host: a `redis` table with a JS `call`, through wasmoon's own
  // function bridge.
  lua.global.set('redis', { call: () => VALUE, pcall: () => VALUE });
  const L = lua.global.address;
  const api = lua.global.lua;
  const compile = (script) => {
    if (api.luaL_loadstring(L, script) !== 0) {
      const message = api.lua_tolstring(L, -1, null);
      api.lua_settop(L, -2);
      throw new Error(message);
    }
    return api.luaL_ref(L, WASMOON_REGISTRY);
  };
  // The per-call path uses the C API directly (what a server would do), not
  // wasmoon's convenience conversions: KEYS as a fresh table, then a pcall of
  // the compiled chunk.
  const call = (ref, key) => {
    api.lua_createtable(L, key === undefined ? 0 : 1, 0);
    if (key !== undefined) {
      api.lua_pushstring(L, key);
      api.lua_rawseti(L, -2, 1n);
    }
    api.lua_setglobal(L, 'KEYS');
    api.lua_rawgeti(L, WASMOON_REGISTRY, BigInt(ref));
    const status = api.lua_pcallk(L, 0, 1, 0, 0, null);
    const text = api.lua_type(L, -1) === 4 ? api.lua_tolstring(L, -1, null) : `(${api.lua_typename(L, api.lua_type(L, -1))})`;
    api.lua_settop(L, -2);
    return status === 0 ? text : `ERROR: ${text}`;
  };
  return {
    name: 'wasmoon (Lua 5.4 wasm)',
    prepare(script) {
      const ref = compile(script);
      return (key) => call(ref, key);
    },
    probe(script) {
      try {
        return call(compile(script));
      } catch (error) {
        return `ERROR: ${error.message}`;
      }
    },
  };
}

async function createFengari() {
  const { lua, lauxlib, lualib, to_luastring: toLua, to_jsstring: toJs } = fengari;
  const L = lauxlib.luaL_newstate();
  lualib.luaL_openlibs(L);
  const value = toLua(VALUE);
  // Reads its arguments into JS strings, as every other engine's bridge
  // hands them to the host (a server needs them to dispatch the command).
  const redisCall = (state) => {
    const argc = lua.lua_gettop(state);
    const argv = new Array(argc);
    for (let i = 0; i < argc; i++) argv[i] = lua.lua_tojsstring(state, i + 1);
    lua.lua_pushstring(state, value);
    return 1;
  };
  lua.lua_createtable(L, 0, 2);
  lua.lua_pushjsfunction(L, redisCall);
  lua.lua_setfield(L, -2, toLua('call'));
  lua.lua_pushjsfunction(L, redisCall);
  lua.lua_setfield(L, -2, toLua('pcall'));
  lua.lua_setglobal(L, toLua('redis'));
  const luaKeys = new Map(KEYS.map((key) => [key, toLua(key)]));
  const keysName = toLua('KEYS');
  const compile = (script) => {
    if (lauxlib.luaL_loadstring(L, toLua(script)) !== 0) {
      const message = lua.lua_tojsstring(L, -1);
      lua.lua_pop(L, 1);
      throw new Error(message);
    }
    return lauxlib.luaL_ref(L, lua.LUA_REGISTRYINDEX);
  };
  const call = (ref, key) => {
    lua.lua_createtable(L, key === undefined ? 0 : 1, 0);
    if (key !== undefined) {
      lua.lua_pushstring(L, luaKeys.get(key) ?? toLua(key));
      lua.lua_rawseti(L, -2, 1);
    }
    lua.lua_setglobal(L, keysName);
    lua.lua_rawgeti(L, lua.LUA_REGISTRYINDEX, ref);
    const status = lua.lua_pcall(L, 0, 1, 0);
    const type = lua.lua_type(L, -1);
    const text = type === lua.LUA_TSTRING ? toJs(lua.lua_tostring(L, -1)) : `(${toJs(lua.lua_typename(L, type))})`;
    lua.lua_pop(L, 1);
    return status === 0 ? text : `ERROR: ${text}`;
  };
  return {
    name: 'fengari (Lua 5.3 in JS)',
    prepare(script) {
      const ref = compile(script);
      return (key) => call(ref, key);
    },
    probe(script) {
      try {
        return call(compile(script));
      } catch (error) {
        return `ERROR: ${error.message}`;
      }
    },
  };
}

// ---------------------------------------------------------------------------
// Measurements.

/** a) Script runs per second, the script compiled once; median of the rounds. */
function measureScriptRate(engine) {
  const run = engine.prepare(GET_SCRIPT);
  const check = replyText(run(KEYS[0]));
  if (!check.includes(VALUE)) throw new Error(`${engine.name}: GET script answered ${JSON.stringify(check)}`);
  const timeRound = (budgetMs) => {
    let calls = 0;
    const start = process.hrtime.bigint();
    const budget = BigInt(budgetMs) * 1_000_000n;
    let elapsed = 0n;
    do {
      for (let i = 0; i < KEY_COUNT; i++) run(KEYS[i]);
      calls += KEY_COUNT;
      elapsed = process.hrtime.bigint() - start;
    } while (elapsed < budget);
    return calls / (Number(elapsed) / 1e9);
  };
  timeRound(Math.min(300, options.roundMs)); // warm-up: JIT and the engine's caches
  const rates = [];
  for (let round = 0; round < options.rounds; round++) rates.push(timeRound(options.roundMs));
  return { median: median(rates), samples: rates };
}

/** b) Microseconds per redis.call, from one script that calls GET in a loop. */
function measureCallCost(engine) {
  const run = engine.prepare(LOOP_SCRIPT);
  const check = replyText(run(KEYS[0]));
  if (!check.includes('done')) throw new Error(`${engine.name}: loop script answered ${JSON.stringify(check)}`);
  const perCall = [];
  for (let round = 0; round < options.rounds; round++) {
    const start = process.hrtime.bigint();
    run(KEYS[round % KEY_COUNT]);
    perCall.push(Number(process.hrtime.bigint() - start) / 1000 / LOOP_CALLS);
  }
  return { median: median(perCall), samples: perCall };
}

/** c) How many probes answer as Redis 7.0.15 does. */
function measureFidelity(engine, expected) {
  const answers = PROBES.map(([, script]) => engine.probe(script));
  const matches = answers.filter((answer, i) => answer === expected[i]).length;
  return { matches, answers };
}

// ---------------------------------------------------------------------------
// The reference: a real redis-server.

async function expectedFromRedis() {
  const dir = mkdtempSync(join(tmpdir(), 'lua-engines-'));
  const socketPath = join(dir, 'redis.sock');
  const server = spawn(options.redisServer, ['--port', '0', '--unixsocket', socketPath, '--save', '', '--appendonly', 'no', '--dir', dir], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  try {
    const client = await connectWithRetry(socketPath);
    const version = await client.command(['INFO', 'server']).then((info) => /redis_version:(\S+)/.exec(info)?.[1] ?? '?');
    const answers = [];
    for (const [, script] of PROBES) answers.push(await client.command(['EVAL', script, '0']));
    client.close();
    return { version, answers };
  } finally {
    server.kill();
    await new Promise((resolve) => (server.exitCode !== null ? resolve() : server.once('exit', resolve)));
    rmSync(dir, { recursive: true, force: true });
  }
}

async function connectWithRetry(socketPath) {
  for (let attempt = 0; ; attempt++) {
    try {
      return await connect(socketPath);
    } catch (error) {
      if (attempt >= 100) throw error;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}

/** A minimal RESP2 client: one command at a time; bulk, status, integer, nil and error replies. */
function connect(socketPath) {
  return new Promise((resolve, reject) => {
    const socket = net.createConnection(socketPath);
    let buffer = Buffer.alloc(0);
    let pending = null;
    socket.on('data', (chunk) => {
      buffer = Buffer.concat([buffer, chunk]);
      if (pending === null) return;
      const parsed = parseReply(buffer);
      if (parsed === null) return;
      buffer = buffer.subarray(parsed.length);
      const done = pending;
      pending = null;
      done(parsed.value);
    });
    socket.once('error', reject);
    socket.once('connect', () =>
      resolve({
        command(argv) {
          return new Promise((done) => {
            pending = done;
            let text = `*${argv.length}\r\n`;
            for (const arg of argv) text += `$${Buffer.byteLength(arg)}\r\n${arg}\r\n`;
            socket.write(text);
          });
        },
        close() {
          socket.end();
        },
      }),
    );
  });
}

function parseReply(buffer) {
  const lineEnd = buffer.indexOf('\r\n');
  if (lineEnd < 0) return null;
  const line = buffer.toString('latin1', 1, lineEnd);
  switch (buffer[0]) {
    case 0x24: {
      const length = Number(line);
      if (length < 0) return { value: '(nil)', length: lineEnd + 2 };
      if (buffer.length < lineEnd + 2 + length + 2) return null;
      return { value: buffer.toString('latin1', lineEnd + 2, lineEnd + 2 + length), length: lineEnd + 2 + length + 2 };
    }
    case 0x2d:
      return { value: `ERROR: ${line}`, length: lineEnd + 2 };
    case 0x2b:
    case 0x3a:
      return { value: `(${buffer[0] === 0x2b ? 'status' : 'integer'}) ${line}`, length: lineEnd + 2 };
    default:
      throw new Error(`unexpected reply ${JSON.stringify(buffer.toString('latin1', 0, 40))}`);
  }
}

/** Our engine's result is RESP already; the probes always return one reply. */
function decodeResp(resp) {
  return parseReply(Buffer.from(resp, 'latin1'))?.value ?? `unparsed ${JSON.stringify(resp)}`;
}

// ---------------------------------------------------------------------------
// Helpers and the report.

function replyText(reply) {
  if (typeof reply === 'string') return reply;
  if (Buffer.isBuffer(reply)) return reply.toString('latin1');
  return JSON.stringify(reply);
}

function sha1(text) {
  return createHash('sha1').update(text, 'latin1').digest('hex');
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

function parseOptions(argv) {
  const parsed = { rounds: 5, roundMs: 1000, redisServer: 'redis-server', showProbes: true };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    if (flag === '--rounds') parsed.rounds = Number(argv[++i]);
    else if (flag === '--round-ms') parsed.roundMs = Number(argv[++i]);
    else if (flag === '--redis-server') parsed.redisServer = argv[++i];
    else if (flag === '--no-probes') parsed.showProbes = false;
    else {
      console.error('usage: node compare.mjs [--rounds N] [--round-ms MS] [--redis-server PATH] [--no-probes]');
      process.exit(2);
    }
  }
  if (!(parsed.rounds >= 1) || !(parsed.roundMs >= 1)) {
    console.error('--rounds and --round-ms must be positive');
    process.exit(2);
  }
  return parsed;
}

function table(header, rows) {
  const widths = header.map((cell, i) => Math.max(String(cell).length, ...rows.map((row) => String(row[i]).length)));
  const line = (cells) => `| ${cells.map((cell, i) => String(cell).padEnd(widths[i])).join(' | ')} |`;
  return [line(header), `| ${widths.map((w) => '-'.repeat(w)).join(' | ')} |`, ...rows.map(line)].join('\n');
}

function clip(text, width = 34) {
  const flat = text.replace(/\r/g, '\\r').replace(/\n/g, '\\n').replace(/\0/g, '\\0');
  return flat.length > width ? `${flat.slice(0, width - 1)}…` : flat;
}

async function main() {
  const reference = await expectedFromRedis();
  const engines = [];
  for (const create of [createOurs, createLuaRedisWasm, createWasmoon, createFengari]) engines.push(await create());

  const failing = PROBES.filter((_, i) => reference.answers[i].startsWith('ERROR')).map(([name]) => name);
  // Error wording is the host's business in some engines; the probes are meant to compare values.
  if (failing.length > 0) console.warn(`warning: redis-server answered these probes with an error: ${failing.join('; ')}`);

  const results = [];
  for (const engine of engines) {
    const rate = measureScriptRate(engine);
    const call = measureCallCost(engine);
    const fidelity = measureFidelity(engine, reference.answers);
    results.push({ engine, rate, call, fidelity });
  }

  console.log(`Node ${process.version}, ${process.platform}/${process.arch}; reference redis-server ${reference.version}`);
  console.log(`a) median of ${options.rounds} rounds of >= ${options.roundMs} ms; b) median of ${options.rounds} runs of ${LOOP_CALLS.toLocaleString('en')} calls; c) of ${PROBES.length} probes\n`);
  console.log(
    table(
      ['engine', 'a) EVALSHA-path runs/s', 'b) µs per redis.call', `c) probes matching Redis ${reference.version}`],
      results.map(({ engine, rate, call, fidelity }) => [
        engine.name,
        Math.round(rate.median).toLocaleString('en'),
        call.median.toFixed(3),
        `${fidelity.matches} / ${PROBES.length}`,
      ]),
    ),
  );
  console.log('\nlua-redis-wasm has no compile-once entry point: its a) includes compiling the script on every run.');
  console.log('wasmoon and fengari have no Redis libraries (bit, cjson, cmsgpack, struct, redis.*): those probes count as mismatches.');
  console.log('\nsamples, a) runs/s:');
  for (const { engine, rate } of results) console.log(`  ${engine.name}: ${rate.samples.map((v) => Math.round(v)).join(', ')}`);
  console.log('samples, b) µs per call:');
  for (const { engine, call } of results) console.log(`  ${engine.name}: ${call.samples.map((v) => v.toFixed(3)).join(', ')}`);

  if (options.showProbes) {
    console.log(`\nfidelity probes (= matches Redis ${reference.version}):\n`);
    console.log(
      table(
        ['probe', `redis ${reference.version}`, ...results.map(({ engine }) => engine.name.split(' ')[0])],
        PROBES.map(([name], i) => [
          clip(name, 30),
          clip(reference.answers[i]),
          ...results.map(({ fidelity }) => (fidelity.answers[i] === reference.answers[i] ? '=' : clip(fidelity.answers[i], 28))),
        ]),
      ),
    );
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
