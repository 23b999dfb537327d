/**
 * PendingWrites: Redis's clients_pending_write list and
 * handleClientsWithPendingWrites, for the Node event loop.
 *
 * A connection that finished a batch does not write at once. It joins this
 * list, and every listed connection writes its batch in the loop's check
 * phase (setImmediate), that is, after the poll phase has handed out every
 * socket that was readable. The replies of one loop turn therefore leave in
 * a burst, as Redis's beforeSleep sends them.
 *
 * Why this matters: on loopback, each write wakes the reading process. A
 * write that lands while the client is still busy with the previous one is
 * cheap; a write spaced out by the next socket's command processing finds
 * the client asleep again and pays for a full wakeup. Profiles of
 * redis-benchmark -P 16 put a third of the server's CPU in those wakeups
 * when every batch was written from its own 'data' callback.
 *
 * Each batch still leaves in one socket write. A batch whose reply is big
 * skips the list and writes at once (Connection.runQueue): its reply rope
 * would otherwise stay alive, and be copied by the scavenger, until the
 * end of the turn.
 */
export interface BatchWriter {
  /** True while listed, so a connection is listed once per turn. */
  writeQueued: boolean;
  /** Writes the batch's replies (and closes, if the batch asked to). */
  finishBatch(): void;
}

export class PendingWrites {
  private list: BatchWriter[] = [];
  private spare: BatchWriter[] = [];
  private immediate: NodeJS.Immediate | null = null;
  private readonly run = (): void => this.flush();

  add(writer: BatchWriter): void {
    if (writer.writeQueued) return;
    writer.writeQueued = true;
    this.list.push(writer);
    if (this.immediate === null) this.immediate = setImmediate(this.run);
  }

  /** Writes every listed batch now (also used by close, so nothing waits on a timer). */
  flush(): void {
    if (this.immediate !== null) {
      clearImmediate(this.immediate);
      this.immediate = null;
    }
    // Swap lists first: a writer may list itself again while we iterate.
    const list = this.list;
    this.list = this.spare;
    for (let i = 0; i < list.length; i++) {
      const writer = list[i]!;
      writer.writeQueued = false;
      writer.finishBatch();
    }
    list.length = 0;
    this.spare = list;
  }
}
