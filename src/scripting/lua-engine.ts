/**
 * The Lua engine: Redis 7.0.15's Lua 5.1 and its libraries, compiled to
 * WebAssembly with the glue of native/lua/reddish_lua.c (a port of Redis's
 * script_lua.c). This class only moves bytes across the boundary:
 *
 * - scripts, KEYS and ARGV go in as latin1 bytes (reddish's strings are
 *   binary-safe latin1);
 * - redis.call's arguments come out as pointer/length pairs, and the
 *   command's RESP reply goes back in, for the engine to parse as Redis's
 *   redisProtocolToLuaType does;
 * - the script's result comes out as RESP already encoded for the caller's
 *   protocol, plus the error replies it contains, for the statistics.
 *
 * Every run and every redis.call crosses this boundary, so it is kept
 * cheap: where the engine's buffers are is read from its exchange words
 * rather than asked for with a call, and short strings (command names,
 * small replies) are copied in JavaScript, which costs less than a call
 * into Buffer's native latin1 codec.
 *
 * Why this engine, and what the alternatives measured: docs/DESIGN.md,
 * "Scripting".
 */
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
/** Same relative place from src/scripting (vitest) and dist/scripting (the build). */
const ENGINE_MODULE = '../../native/lua/build/redis-lua.cjs';

/** What the engine asks of the server while a script runs. */
export interface ScriptHost {
  /** redis.call / redis.pcall: runs `argv` and returns its RESP reply, encoded for `resp`. */
  call(argv: string[], resp: 2 | 3): string;
  /** redis.log, at a Redis log level (0 debug ... 3 warning). */
  log(level: number, message: string): void;
  /** redis.set_repl, flags already checked. */
  setRepl(flags: number): void;
  /** redis.acl_check_cmd: 1 allowed, 0 denied, -1 no such command. */
  aclCheck(argv: string[]): number;
  /**
   * The count hook, every 100,000 instructions: 0 run on, 1 yield to the
   * event loop, 2 kill; while a library loads, 3 stops the load (its time is up).
   */
  interrupt(): number;
}

/** A script's run: its reply, or that it yielded and must be resumed. */
export interface ScriptOutcome {
  readonly finished: boolean;
  /** RESP for the caller (empty while not finished). */
  readonly reply: string;
  /**
   * Each error reply written, by its code; '' for one that skips the error
   * statistics (an error a command already counted, raised by redis.call).
   */
  readonly errorCodes: readonly string[];
}

/** A function a library registered as it loaded (redis.register_function). */
export interface RegisteredFunction {
  /** The engine's number for it, to run and to free it. */
  readonly id: number;
  readonly name: string;
  readonly description: string | null;
  /** Redis's SCRIPT_FLAG_* bits. */
  readonly flags: number;
}

interface EngineModule {
  HEAPU8: Uint8Array;
  reddishHost: unknown;
  _rl_init(functions: number): number;
  _rl_load_library(length: number, timed: number): number;
  _rl_free_function(id: number): void;
  _rl_reset(): void;
  _rl_memory(): number;
  _rl_compile(id: number, length: number, skip: number): number;
  _rl_run(id: number, nkeys: number, nargs: number, resp: number, flags: number, hook: number): number;
  _rl_resume(): number;
  _rl_reserve(size: number): number;
  _rl_exchange(): number;
}

/** The engine's exchange words (reddish_lua.c's EXCHANGE_*), as indexes of 32-bit words from rl_exchange(). */
const EXCHANGE_INPUT = 0;
const EXCHANGE_INPUT_CAPACITY = 1;
const EXCHANGE_OUTPUT = 2;
const EXCHANGE_OUTPUT_LENGTH = 3;
const EXCHANGE_ERROR_CODES = 4;
const EXCHANGE_ERROR_CODES_LENGTH = 5;

/**
 * Up to this length, a string is written into the engine's memory by a
 * JavaScript loop, which costs less than a call into Buffer's latin1
 * encoder (measured: 5-16 bytes in about half the time; past 16 the
 * encoder wins). Reading has its own limit: readLatin1's cases.
 */
const SHORT_WRITE = 16;

type EngineFactory = (module: Partial<EngineModule>) => unknown;

const RUN_EVAL_MODE = 1;
const NO_ERRORS: readonly string[] = [];

export class LuaEngine {
  private readonly module: EngineModule;
  /** A Buffer over the engine's memory; rebuilt when the memory grows. */
  private heap: Buffer;
  private heapSource: ArrayBufferLike;
  /** The same memory as 32-bit words, for redis.call's pointer/length pairs (4-byte aligned). */
  private words: Uint32Array;
  /** The exchange words' first index in `words`. */
  private readonly exchange: number;

  /**
   * `functions`: this is the functions engine's Lua state (function_lua.c),
   * not EVAL's. Redis keeps the two apart, and so does reddish: one module
   * instance each.
   */
  constructor(host: ScriptHost, functions = false) {
    const factory = require(ENGINE_MODULE) as EngineFactory;
    const module: Partial<EngineModule> = {};
    module.reddishHost = {
      call: (pairs: number, argc: number, resp: number): number => this.writeInput(host.call(this.readArgv(pairs, argc), resp === 3 ? 3 : 2)),
      log: (level: number, pointer: number, length: number): void => {
        host.log(level, this.memory().toString('latin1', pointer, pointer + length));
      },
      setRepl: (flags: number): void => host.setRepl(flags),
      aclCheck: (pairs: number, argc: number): number => host.aclCheck(this.readArgv(pairs, argc)),
      interrupt: (): number => host.interrupt(),
    };
    // Compiled synchronously (WASM_ASYNC_COMPILATION=0): the module is ready when the factory returns.
    factory(module);
    this.module = module as EngineModule;
    this.heapSource = this.module.HEAPU8.buffer;
    this.heap = Buffer.from(this.heapSource);
    this.words = new Uint32Array(this.heapSource);
    this.exchange = this.module._rl_exchange() >>> 2;
    this.module._rl_init(functions ? 1 : 0);
    // The input buffer's place and room are in the exchange words from here on.
    this.module._rl_reserve(0);
  }

  /**
   * Compiles a script body under its SHA1 as script `id`; `skip` bytes (a
   * shebang line, without its newline) are left out. Returns null, or the
   * error reply ("Error compiling script ...").
   */
  compile(id: number, sha: string, body: string, skip: number): string | null {
    const text = sha + body;
    const at = this.module._rl_reserve(text.length);
    this.memory().latin1Write(text, at);
    if (this.module._rl_compile(id, text.length, skip) === 0) return null;
    return this.output();
  }

  /**
   * Runs script `id` with KEYS `argv[keysStart..argsStart)` and ARGV
   * `argv[argsStart..]` (as globals when `evalMode`), replying in `resp`.
   */
  run(id: number, argv: readonly string[], keysStart: number, argsStart: number, resp: 2 | 3, evalMode: boolean, hook: boolean): ScriptOutcome {
    let size = 0;
    for (let i = keysStart; i < argv.length; i++) size += 4 + argv[i]!.length;
    const at = this.inputRoom(size);
    writeStrings(this.memory(), at, argv, keysStart);
    const status = this.module._rl_run(id, argsStart - keysStart, argv.length - argsStart, resp, evalMode ? RUN_EVAL_MODE : 0, hook ? 1 : 0);
    return this.outcome(status);
  }

  /**
   * FUNCTION LOAD's engine step: runs a library's code (after its shebang
   * line) so that it registers its functions. Returns them, or the error
   * text. `timed`: the load may be stopped by interrupt() answering 3.
   */
  loadLibrary(code: string, timed: boolean): RegisteredFunction[] | string {
    const at = this.module._rl_reserve(code.length);
    this.memory().latin1Write(code, at);
    if (this.module._rl_load_library(code.length, timed ? 1 : 0) !== 0) return this.output();
    // The records are read where the engine wrote them, without a copy.
    const heap = this.memory();
    const start = this.words[this.exchange + EXCHANGE_OUTPUT]!;
    const bytes = heap.subarray(start, start + this.words[this.exchange + EXCHANGE_OUTPUT_LENGTH]!);
    const registered: RegisteredFunction[] = [];
    let offset = 0;
    while (offset < bytes.length) {
      const id = bytes.readUInt32LE(offset);
      const flags = bytes.readUInt32LE(offset + 4);
      const nameLength = bytes.readUInt32LE(offset + 8);
      offset += 12;
      const name = latin1(heap, start + offset, start + offset + nameLength);
      offset += nameLength;
      const descriptionLength = bytes.readUInt32LE(offset);
      offset += 4;
      let description: string | null = null;
      if (descriptionLength !== 0xffffffff) {
        description = latin1(heap, start + offset, start + offset + descriptionLength);
        offset += descriptionLength;
      }
      registered.push({ id, name, description, flags });
    }
    return registered;
  }

  /** A function of a deleted or replaced library goes. */
  freeFunction(id: number): void {
    this.module._rl_free_function(id);
  }

  /** Goes on with a script that yielded. */
  resume(): ScriptOutcome {
    return this.outcome(this.module._rl_resume());
  }

  /** SCRIPT FLUSH: a fresh Lua state. */
  reset(): void {
    this.module._rl_reset();
  }

  /** used_memory_lua: what Lua has allocated. */
  usedMemory(): number {
    return this.module._rl_memory();
  }

  private outcome(status: number): ScriptOutcome {
    if (status !== 0) return { finished: false, reply: '', errorCodes: NO_ERRORS };
    const heap = this.memory();
    const words = this.words;
    const codesLength = words[this.exchange + EXCHANGE_ERROR_CODES_LENGTH]!;
    let errorCodes = NO_ERRORS;
    if (codesLength !== 0) {
      const at = words[this.exchange + EXCHANGE_ERROR_CODES]!;
      errorCodes = latin1(heap, at, at + codesLength - 1).split('\n');
    }
    return { finished: true, reply: this.output(), errorCodes };
  }

  /** What the last run, compile or load wrote to the output. */
  private output(): string {
    const heap = this.memory();
    const at = this.words[this.exchange + EXCHANGE_OUTPUT]!;
    return readLatin1(heap, at, at + this.words[this.exchange + EXCHANGE_OUTPUT_LENGTH]!);
  }

  private readArgv(pairs: number, argc: number): string[] {
    const heap = this.memory();
    const words = this.words;
    let pair = pairs >>> 2;
    const argv = new Array<string>(argc);
    for (let i = 0; i < argc; i++, pair += 2) {
      const pointer = words[pair]!;
      argv[i] = readLatin1(heap, pointer, pointer + words[pair + 1]!);
    }
    return argv;
  }

  /** Puts a reply where the engine reads it; returns its length. */
  private writeInput(text: string): number {
    const length = text.length;
    // The room first: rl_reserve may grow the memory, which replaces the heap view.
    const at = this.inputRoom(length);
    writeLatin1(this.memory(), at, text);
    return length;
  }

  /**
   * Where `size` bytes of input go, followed by a NUL as rl_reserve leaves
   * them: the input buffer as it is when they fit, else after rl_reserve
   * grows it.
   */
  private inputRoom(size: number): number {
    const heap = this.memory();
    const words = this.words;
    if (size >= words[this.exchange + EXCHANGE_INPUT_CAPACITY]!) return this.module._rl_reserve(size);
    const at = words[this.exchange + EXCHANGE_INPUT]!;
    heap[at + size] = 0;
    return at;
  }

  private memory(): Buffer {
    // Growing the memory detaches the old buffer, which then reads as empty.
    // length, not byteLength: both read 0 once detached, and length is inlined (byteLength is a call).
    if (this.heap.length !== 0) return this.heap;
    const source = this.module.HEAPU8.buffer;
    if (source !== this.heapSource) {
      this.heapSource = source;
      this.heap = Buffer.from(source);
      this.words = new Uint32Array(source);
    }
    return this.heap;
  }
}

/** Buffer's own latin1 decoder, without toString's argument checks: this runs for every redis.call argument. */
function latin1(heap: Buffer, start: number, end: number): string {
  return (heap as Buffer & { latin1Slice(start: number, end: number): string }).latin1Slice(start, end);
}

/**
 * A string of the engine's memory. Up to 8 bytes (command names, small
 * replies) it is made by one String.fromCharCode, about a third of the
 * cost of a call into Buffer's decoder; longer ones (keys) are decoded by
 * Buffer, which a loop of concatenations would make slower.
 */
function readLatin1(h: Buffer, s: number, end: number): string {
  switch (end - s) {
    case 0:
      return '';
    case 1:
      return String.fromCharCode(h[s]!);
    case 2:
      return String.fromCharCode(h[s]!, h[s + 1]!);
    case 3:
      return String.fromCharCode(h[s]!, h[s + 1]!, h[s + 2]!);
    case 4:
      return String.fromCharCode(h[s]!, h[s + 1]!, h[s + 2]!, h[s + 3]!);
    case 5:
      return String.fromCharCode(h[s]!, h[s + 1]!, h[s + 2]!, h[s + 3]!, h[s + 4]!);
    case 6:
      return String.fromCharCode(h[s]!, h[s + 1]!, h[s + 2]!, h[s + 3]!, h[s + 4]!, h[s + 5]!);
    case 7:
      return String.fromCharCode(h[s]!, h[s + 1]!, h[s + 2]!, h[s + 3]!, h[s + 4]!, h[s + 5]!, h[s + 6]!);
    case 8:
      return String.fromCharCode(h[s]!, h[s + 1]!, h[s + 2]!, h[s + 3]!, h[s + 4]!, h[s + 5]!, h[s + 6]!, h[s + 7]!);
    default:
      return latin1(h, s, end);
  }
}

/** A latin1 string into the engine's memory at `at` (each character's low byte, as Buffer's latin1 encoder writes it). */
function writeLatin1(heap: Buffer, at: number, text: string): void {
  const length = text.length;
  if (length > SHORT_WRITE) {
    heap.latin1Write(text, at);
    return;
  }
  for (let i = 0; i < length; i++) heap[at + i] = text.charCodeAt(i);
}

/** `values[from..]`, each as a 4-byte little-endian length and its bytes. */
function writeStrings(heap: Buffer, offset: number, values: readonly string[], from: number): void {
  for (let i = from; i < values.length; i++) {
    const value = values[i]!;
    const length = value.length;
    heap[offset] = length & 0xff;
    heap[offset + 1] = (length >>> 8) & 0xff;
    heap[offset + 2] = (length >>> 16) & 0xff;
    heap[offset + 3] = length >>> 24;
    writeLatin1(heap, offset + 4, value);
    offset += 4 + length;
  }
}
