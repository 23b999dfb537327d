/**
 * Live SCAN cursors over one collection (HSCAN, SSCAN): a cursor names a
 * JS Map iterator parked where the last call stopped. A Map iterator keeps
 * its place while entries are added and deleted, which gives SCAN's
 * guarantee: an element present for the whole iteration is returned
 * exactly once; one added or removed meanwhile may or may not be.
 *
 * Redis's dictScan needs no state because its cursor is a bucket position;
 * a Map has no such position, so the cursor is a handle instead. The
 * handles are issued by the keyspace (unique across keys), so a cursor
 * from another key, or one forgotten here, simply starts a new iteration
 * and a client always terminates.
 */

/** How many iterations over one collection may be in flight at once. */
const MAX_CURSORS_PER_COLLECTION = 16;

export interface ElementScanPage<T> {
  /** The cursor to continue from; '0' when the iteration is complete. */
  cursor: string;
  items: T[];
}

export class ScanCursors<T> {
  private readonly live = new Map<string, Iterator<T>>();

  /**
   * One step: up to `count` items from where `cursor` left off. `start`
   * opens a fresh iterator (cursor 0 or unknown); `issue` names a new cursor.
   */
  step(cursor: string, count: number, start: () => Iterator<T>, issue: () => string): ElementScanPage<T> {
    let iterator = cursor === '0' ? undefined : this.live.get(cursor);
    if (iterator === undefined) iterator = start();
    else this.live.delete(cursor);
    const items: T[] = [];
    while (items.length < count) {
      const next = iterator.next();
      if (next.done) return { cursor: '0', items };
      items.push(next.value);
    }
    const nextCursor = issue();
    if (this.live.size >= MAX_CURSORS_PER_COLLECTION) {
      this.live.delete(this.live.keys().next().value as string);
    }
    this.live.set(nextCursor, iterator);
    return { cursor: nextCursor, items };
  }
}
