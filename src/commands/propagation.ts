/**
 * The propagation list: what each execution unit changed, in the form
 * Redis 7.0 writes to its AOF and replication stream (server.c's
 * `alsoPropagate` and `propagatePendingCommands`).
 *
 * - `call()` propagates a command whose run changed `dirty`, as its argv,
 *   or as the argv the handler rewrote it to (`rewrite`: EXPIRE becomes
 *   PEXPIREAT, SET EX becomes SET PXAT, SPOP becomes SREM, ...).
 * - A handler or the server may add commands of its own (`alsoPropagate`):
 *   the DEL of a key that expired, LPOP for a served BLPOP.
 * - When the outermost call ends, the unit's commands go to the listeners
 *   at once, wrapped in MULTI ... EXEC when there is more than one, as
 *   Redis 7.0 wraps them (a lazily expired key's DEL then the command; an
 *   EXEC's writes).
 *
 * Nothing is collected while nobody listens, so this costs the hot path a
 * single check. The journal will be the listener; today only tests are.
 */

export interface PropagatedCommand {
  readonly dbId: number;
  readonly argv: readonly string[];
}

/**
 * Gets each execution unit's commands, MULTI/EXEC-wrapped where Redis
 * wraps them. The array is valid only during the call (it is reused):
 * a listener that keeps the unit copies it.
 */
export type PropagationListener = (unit: readonly PropagatedCommand[]) => void;

const MULTI: readonly string[] = ['MULTI'];
const EXEC: readonly string[] = ['EXEC'];

export class Propagation {
  private listeners: PropagationListener[] = [];
  /**
   * Redis's server.also_propagate: the running unit's commands so far,
   * `pending[0 .. pendingCount)`. The array is kept and refilled rather
   * than replaced per unit: with the AOF on, every write is a unit, and a
   * fresh array each time (with its backing store) was most of the garbage
   * the journal added to a SET.
   */
  private pending: PropagatedCommand[] = [];
  private pendingCount = 0;
  /** The unit of one command, handed to listeners in a reused array (a fresh one while it is in use). */
  private readonly single: PropagatedCommand[] = [undefined as unknown as PropagatedCommand];
  private flushing = false;
  /**
   * The running command's choices; Redis keeps them on the client (its
   * rewritten c->argv, CLIENT_PREVENT_PROP, CLIENT_FORCE_*). call() saves
   * and restores them around nested calls (EXEC's commands).
   */
  rewritten: readonly string[] | null = null;
  /**
   * How deep in call() the server is (Redis's in_nested_call): the unit
   * is handed on, and blocked clients served, only when the outermost
   * call ends.
   */
  depth = 0;
  prevented = false;
  forced = false;

  /** lazyfree-lazy-expire, followed by the server: expiry deletes with UNLINK, not DEL. */
  lazyExpire = false;

  /** True when someone listens; handlers may skip building a rewritten argv otherwise. */
  get active(): boolean {
    return this.listeners.length !== 0;
  }

  subscribe(listener: PropagationListener): () => void {
    this.listeners = [...this.listeners, listener];
    return () => {
      this.listeners = this.listeners.filter((l) => l !== listener);
    };
  }

  /** alsoPropagate: adds a command to the running unit. */
  alsoPropagate(dbId: number, argv: readonly string[]): void {
    if (this.listeners.length !== 0) this.pending[this.pendingCount++] = { dbId, argv };
  }

  /**
   * How the deletion of a key whose time has passed propagates (Redis's
   * propagateDeletion): UNLINK under lazyfree-lazy-expire, DEL otherwise.
   */
  expiredDeletion(key: string): readonly string[] {
    return [this.lazyExpire ? 'UNLINK' : 'DEL', key];
  }

  /** rewriteClientCommandVector: the running command propagates as `argv` (if it changed anything). */
  rewrite(argv: readonly string[]): void {
    this.rewritten = argv;
  }

  /** preventCommandPropagation: the running command is not propagated as itself. */
  prevent(): void {
    this.prevented = true;
  }

  /** forceCommandPropagation: the running command is propagated even if it changed nothing (FLUSHDB of an empty db). */
  force(): void {
    this.forced = true;
  }

  /**
   * call(): the command has run. It is propagated, as `argv` or as its
   * rewrite, when it changed something (or forced it), unless it
   * prevented it. The caller then restores the enclosing command's choices.
   */
  commandDone(dbId: number, argv: readonly string[], changed: boolean): void {
    if ((changed || this.forced) && !this.prevented) this.alsoPropagate(dbId, this.rewritten ?? argv);
  }

  /**
   * propagatePendingCommands: hands the unit to the listeners, wrapped in
   * MULTI/EXEC when it holds more than one command, unless `noTransaction`
   * (active expiry, and SCAN and RANDOMKEY, whose lazily expired keys'
   * DELs Redis does not wrap).
   */
  flush(noTransaction = false): void {
    const count = this.pendingCount;
    if (count === 0) return;
    const pending = this.pending;
    this.pendingCount = 0;
    let unit: PropagatedCommand[];
    if (count === 1 && !this.flushing) {
      unit = this.single;
      unit[0] = pending[0]!;
    } else {
      unit = pending.slice(0, count);
      if (count > 1 && !noTransaction) unit = [{ dbId: unit[0]!.dbId, argv: MULTI }, ...unit, { dbId: unit[count - 1]!.dbId, argv: EXEC }];
    }
    // Cleared now: what a listener propagates starts a unit of its own, in the same array.
    for (let i = 0; i < count; i++) pending[i] = undefined as unknown as PropagatedCommand;
    const outer = this.flushing;
    this.flushing = true;
    try {
      for (const listener of this.listeners) listener(unit);
    } finally {
      this.flushing = outer;
      if (unit === this.single) unit[0] = undefined as unknown as PropagatedCommand;
    }
  }
}
