/**
 * FUNCTION's libraries (Redis 7.0's functions.c): the library and function
 * dictionaries, loading a library's code into the functions engine, and
 * the dump format FUNCTION DUMP and RESTORE share with Redis.
 *
 * Redis's dictionaries differ in case rules, and so do these maps:
 * library names match exactly, function names without case (FCALL MYFN
 * runs myfn), and within one library function names match exactly again.
 */
import { functionErrors } from '../errors.js';
import { splitInlineArgs } from '../protocol/inline.js';
import { RdbReader, RdbWriter, RdbOpcode, dumpFooter, verifyDumpFooter } from '../persistence/rdb-encoding.js';
import type { LuaEngine, RegisteredFunction } from './lua-engine.js';

/** The one engine Redis 7.0 registers; engine names match without case. */
export const LUA_ENGINE_NAME = 'LUA';

export interface LibraryFunction extends RegisteredFunction {
  readonly library: FunctionLibrary;
}

export interface FunctionLibrary {
  readonly name: string;
  readonly engine: string;
  /** The code as loaded, shebang included (FUNCTION LIST WITHCODE, DUMP). */
  readonly code: string;
  /** In registration order. */
  readonly functions: Map<string, LibraryFunction>;
}

/** Redis's functionsLibCtx: the libraries, and every function by name (without case). */
export class LibrarySet {
  readonly libraries = new Map<string, FunctionLibrary>();
  readonly functions = new Map<string, LibraryFunction>();
  /** Per engine, as FUNCTION STATS counts them: it counts a library's functions even where two differ only by case. */
  functionsCount = 0;
  /** used_memory_functions: the bytes of the libraries' names and code and of their functions' names and descriptions. */
  cacheMemory = 0;

  link(library: FunctionLibrary): void {
    for (const fn of library.functions.values()) {
      const key = fn.name.toLowerCase();
      if (!this.functions.has(key)) this.functions.set(key, fn);
    }
    this.libraries.set(library.name, library);
    this.functionsCount += library.functions.size;
    this.cacheMemory += librarySize(library);
  }

  unlink(library: FunctionLibrary): void {
    for (const fn of library.functions.values()) {
      const key = fn.name.toLowerCase();
      if (this.functions.get(key) === fn) this.functions.delete(key);
    }
    this.libraries.delete(library.name);
    this.functionsCount -= library.functions.size;
    this.cacheMemory -= librarySize(library);
  }

  /** A registered function of a library outside this set whose name is taken here. */
  collision(library: FunctionLibrary): LibraryFunction | undefined {
    for (const fn of library.functions.values()) if (this.functions.has(fn.name.toLowerCase())) return fn;
    return undefined;
  }
}

function librarySize(library: FunctionLibrary): number {
  let size = library.name.length + library.code.length;
  for (const fn of library.functions.values()) size += fn.name.length + (fn.description?.length ?? 0);
  return size;
}

/** The shebang of a library: `#!<engine> name=<library>`, and the code after the shebang line. */
interface LibraryMetadata {
  engine: string;
  name: string;
  code: string;
}

/** functionExtractLibMetaData. */
function extractMetadata(payload: string): LibraryMetadata | string {
  if (!payload.startsWith('#!')) return functionErrors.missingMetadata;
  // Redis reads the payload as a C string here: a NUL ends the search for the newline.
  const nul = payload.indexOf('\0');
  const end = payload.indexOf('\n');
  if (end === -1 || (nul !== -1 && nul < end)) return functionErrors.invalidMetadata;
  const parts = splitInlineArgs(payload.slice(0, end));
  if (parts === null || parts.length === 0) return functionErrors.invalidMetadata;
  let name: string | null = null;
  for (const part of parts.slice(1)) {
    if (part.slice(0, 5).toLowerCase() === 'name=') {
      if (name !== null) return functionErrors.nameGivenTwice;
      name = part.slice(5);
      continue;
    }
    return functionErrors.invalidMetadataValue(part);
  }
  if (name === null) return functionErrors.noLibraryName;
  return { engine: parts[0]!.slice(2), name, code: payload.slice(end) };
}

/** functionsVerifyName: [a-zA-Z0-9_]+. */
function validName(name: string): boolean {
  return /^[a-zA-Z0-9_]+$/.test(name);
}

/** What FUNCTION LOAD's timeout check needs: when the load started, in ms. */
export interface LoadClock {
  startLoad(timeoutMs: number): void;
  endLoad(): void;
}

export class FunctionLibraries {
  current = new LibrarySet();

  constructor(
    private readonly engine: () => LuaEngine,
    private readonly clock: LoadClock,
  ) {}

  /**
   * functionsCreateWithLibraryCtx: compiles `code` into `set`. Returns the
   * library's name, or the error text. `timeoutMs` 0 means no limit (a
   * restore, as Redis loads an RDB).
   */
  create(code: string, replace: boolean, set: LibrarySet, timeoutMs: number): string | { error: string } {
    const metadata = extractMetadata(code);
    if (typeof metadata === 'string') return { error: metadata };
    if (!validName(metadata.name)) return { error: functionErrors.badName };
    if (metadata.engine.toUpperCase() !== LUA_ENGINE_NAME) return { error: functionErrors.engineNotFound(metadata.engine) };
    const old = set.libraries.get(metadata.name);
    if (old !== undefined && !replace) return { error: functionErrors.libraryExists(metadata.name) };
    if (old !== undefined) set.unlink(old);

    const engine = this.engine();
    this.clock.startLoad(timeoutMs);
    let registered: RegisteredFunction[] | string;
    try {
      registered = engine.loadLibrary(metadata.code, timeoutMs > 0);
    } finally {
      this.clock.endLoad();
    }
    const fail = (error: string): { error: string } => {
      if (typeof registered !== 'string') for (const fn of registered) engine.freeFunction(fn.id);
      if (old !== undefined) set.link(old);
      return { error };
    };
    // The engine's texts have no code; Redis's addReplyErrorSds gives them ERR.
    if (typeof registered === 'string') return fail('ERR ' + registered);
    if (registered.length === 0) return fail(functionErrors.noFunctions);

    const library: FunctionLibrary = { name: metadata.name, engine: LUA_ENGINE_NAME, code, functions: new Map() };
    for (const fn of registered) library.functions.set(fn.name, { ...fn, library });
    const taken = set.collision(library);
    if (taken !== undefined) return fail(functionErrors.functionExists(taken.name));
    set.link(library);
    if (old !== undefined) this.free(old);
    return library.name;
  }

  /** FUNCTION DELETE. */
  delete(name: string): boolean {
    const library = this.current.libraries.get(name);
    if (library === undefined) return false;
    this.current.unlink(library);
    this.free(library);
    return true;
  }

  /** FUNCTION FLUSH: the engine's state stays, as Redis keeps its Lua state. */
  flush(): void {
    this.freeAll(this.current);
    this.current = new LibrarySet();
  }

  lookup(name: string): LibraryFunction | undefined {
    return this.current.functions.get(name.toLowerCase());
  }

  /**
   * FUNCTION DUMP (rdbSaveFunctions plus the DUMP footer): each library as
   * RDB_OPCODE_FUNCTION2 and its code, then the RDB version and CRC64.
   */
  dump(): Buffer {
    const writer = new RdbWriter();
    for (const library of this.current.libraries.values()) {
      writer.type(RdbOpcode.function2);
      writer.string(library.code);
    }
    return dumpFooter(writer.finish());
  }

  /** FUNCTION RESTORE: null, or the error text. */
  restore(payload: Buffer, policy: 'append' | 'replace' | 'flush'): string | null {
    const version = verifyDumpFooter(payload);
    if (version === null) return functionErrors.badPayload;
    const restored = new LibrarySet();
    const reader = new RdbReader(payload);
    let error: string | null = null;
    // The last 10 bytes are the version and checksum.
    while (error === null && payload.length - reader.position > 10) {
      const type = reader.type();
      if (type === null) error = functionErrors.cannotReadType;
      else if (type !== RdbOpcode.function2 && type !== RdbOpcode.function) error = functionErrors.notAFunction;
      else error = this.loadFromDump(reader, type, restored);
    }
    if (error === null) {
      if (policy === 'flush') {
        this.freeAll(this.current);
        this.current = restored;
        return null;
      }
      error = this.join(restored, policy === 'replace');
      if (error === null) return null;
    }
    this.freeAll(restored);
    return error;
  }

  /**
   * An RDB file's FUNCTION or FUNCTION2 opcode, read into the current
   * libraries (rdbFunctionLoad at load time); `replace` for DEBUG RELOAD's
   * duplicates. Null, or the error text Redis logs.
   */
  loadFromRdb(reader: RdbReader, type: number, replace: boolean): string | null {
    return this.loadFromDump(reader, type, this.current, replace);
  }

  /** rdbFunctionLoad: one library from a dump (7.0 GA's form, or 7.0 rc1/rc2's with the name and engine apart). */
  private loadFromDump(reader: RdbReader, type: number, into: LibrarySet, replace = false): string | null {
    let code: string | null;
    if (type === RdbOpcode.function) {
      const name = reader.string();
      if (name === null) return functionErrors.dumpField('library name');
      const engine = reader.string();
      if (engine === null) return functionErrors.dumpField('engine name');
      const hasDescription = reader.length();
      if (hasDescription === null) return functionErrors.dumpField('library description indicator');
      if (hasDescription !== 0 && reader.string() === null) return functionErrors.dumpField('library description');
      const blob = reader.string();
      if (blob === null) return functionErrors.dumpField('library blob');
      code = `#!${engine} name=${name}\n${blob}`;
    } else {
      code = reader.string();
      if (code === null) return functionErrors.dumpField('library payload');
    }
    const created = this.create(code, replace, into, 0);
    return typeof created === 'string' ? null : created.error;
  }

  /** libraryJoin: adds `source`'s libraries to the current ones, or changes nothing and says why. */
  private join(source: LibrarySet, replace: boolean): string | null {
    const target = this.current;
    const replaced: FunctionLibrary[] = [];
    const undo = (error: string): string => {
      for (const library of replaced) target.link(library);
      return error;
    };
    for (const library of source.libraries.values()) {
      const old = target.libraries.get(library.name);
      if (old === undefined) continue;
      if (!replace) return undo(functionErrors.libraryExistsOnRestore(library.name));
      target.unlink(old);
      replaced.push(old);
    }
    for (const fn of source.functions.values()) {
      if (target.functions.has(fn.name.toLowerCase())) return undo(functionErrors.functionExists(fn.name));
    }
    for (const library of source.libraries.values()) target.link(library);
    source.libraries.clear();
    source.functions.clear();
    for (const library of replaced) this.free(library);
    return null;
  }

  private free(library: FunctionLibrary): void {
    const engine = this.engine();
    for (const fn of library.functions.values()) engine.freeFunction(fn.id);
  }

  private freeAll(set: LibrarySet): void {
    for (const library of set.libraries.values()) this.free(library);
  }
}

