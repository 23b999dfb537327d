/**
 * An ordered map from string keys (compared as JS strings, i.e. by UTF-16
 * code unit, which for latin1 strings is byte order) to values: a B+ tree
 * with leaves linked both ways. Streams use it where Redis uses a rax: the
 * index of stream nodes by their first ID, and the pending-entries lists of
 * consumer groups and consumers (keyed by stream ID, whose 16-char encoding
 * sorts as the IDs do).
 *
 * Seek, insert and delete are O(log n); walking on from a position is O(1)
 * per step. Deletion removes empty nodes but does not merge half-empty
 * ones: a map that shrank keeps the height it had at its largest, which
 * costs a few levels at most and keeps deletion simple.
 */

/** Keys per leaf and children per inner node before a split. */
const MAX_FANOUT = 64;

class Leaf<V> {
  keys: string[] = [];
  values: V[] = [];
  prev: Leaf<V> | null = null;
  next: Leaf<V> | null = null;
}

class Inner<V> {
  /** keys[i] is the smallest key under children[i + 1]. */
  keys: string[] = [];
  children: Array<Inner<V> | Leaf<V>> = [];
}

type TreeNode<V> = Inner<V> | Leaf<V>;

/** A position in the map: a leaf and an index in it. Valid until the map changes. */
export interface MapCursor<V> {
  leaf: Leaf<V>;
  index: number;
}

/** First index whose key is > key. */
function upperBound(keys: readonly string[], key: string): number {
  let lo = 0;
  let hi = keys.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (keys[mid]! <= key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** First index whose key is >= key. */
function lowerBound(keys: readonly string[], key: string): number {
  let lo = 0;
  let hi = keys.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (keys[mid]! < key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export class OrderedMap<V> {
  private root: TreeNode<V> = new Leaf<V>();
  private head: Leaf<V> = this.root as Leaf<V>;
  private tail: Leaf<V> = this.root as Leaf<V>;
  private count = 0;

  get size(): number {
    return this.count;
  }

  /** Leaves and inner nodes (XINFO STREAM's radix-tree-nodes stands in for Redis's rax node count). */
  get nodeCount(): number {
    const walk = (node: TreeNode<V>): number => (node instanceof Leaf ? 1 : node.children.reduce((n, child) => n + walk(child), 1));
    return walk(this.root);
  }

  private leafFor(key: string): Leaf<V> {
    let node = this.root;
    while (node instanceof Inner) node = node.children[upperBound(node.keys, key)]!;
    return node;
  }

  get(key: string): V | undefined {
    const leaf = this.leafFor(key);
    const i = lowerBound(leaf.keys, key);
    return i < leaf.keys.length && leaf.keys[i] === key ? leaf.values[i] : undefined;
  }

  has(key: string): boolean {
    return this.get(key) !== undefined;
  }

  /** Inserts or replaces. */
  set(key: string, value: V): void {
    const split = this.insertInto(this.root, key, value);
    if (split !== null) {
      const root = new Inner<V>();
      root.keys.push(split.key);
      root.children.push(this.root, split.node);
      this.root = root;
    }
  }

  private insertInto(node: TreeNode<V>, key: string, value: V): { key: string; node: TreeNode<V> } | null {
    if (node instanceof Leaf) {
      const i = lowerBound(node.keys, key);
      if (i < node.keys.length && node.keys[i] === key) {
        node.values[i] = value;
        return null;
      }
      // Appending at the tail is the common case (new IDs): push, not splice.
      if (i === node.keys.length) {
        node.keys.push(key);
        node.values.push(value);
      } else {
        node.keys.splice(i, 0, key);
        node.values.splice(i, 0, value);
      }
      this.count++;
      if (node.keys.length <= MAX_FANOUT) return null;
      // A leaf filled by appends splits unevenly so that append-only maps stay dense.
      const at = node === this.tail && i === node.keys.length - 1 ? node.keys.length - 1 : node.keys.length >>> 1;
      const right = new Leaf<V>();
      right.keys = node.keys.splice(at);
      right.values = node.values.splice(at);
      right.prev = node;
      right.next = node.next;
      if (node.next) node.next.prev = right;
      else this.tail = right;
      node.next = right;
      return { key: right.keys[0]!, node: right };
    }
    const ci = upperBound(node.keys, key);
    const split = this.insertInto(node.children[ci]!, key, value);
    if (split === null) return null;
    node.keys.splice(ci, 0, split.key);
    node.children.splice(ci + 1, 0, split.node);
    if (node.children.length <= MAX_FANOUT) return null;
    const at = node.children.length >>> 1;
    const right = new Inner<V>();
    const upKey = node.keys[at - 1]!;
    right.keys = node.keys.splice(at);
    node.keys.pop();
    right.children = node.children.splice(at);
    return { key: upKey, node: right };
  }

  /** Removes `key`; true when it was there. */
  delete(key: string): boolean {
    const removed = this.deleteFrom(this.root, key);
    if (removed === 'absent') return false;
    this.count--;
    // A root with one child is one level too many.
    while (this.root instanceof Inner && this.root.children.length === 1) this.root = this.root.children[0]!;
    if (this.root instanceof Inner && this.root.children.length === 0) {
      const leaf = new Leaf<V>();
      this.root = this.head = this.tail = leaf;
    }
    return true;
  }

  /** 'empty' when `node` lost its last key or child and must be unlinked by its parent. */
  private deleteFrom(node: TreeNode<V>, key: string): 'absent' | 'removed' | 'empty' {
    if (node instanceof Leaf) {
      const i = lowerBound(node.keys, key);
      if (i === node.keys.length || node.keys[i] !== key) return 'absent';
      if (i === 0) {
        node.keys.shift();
        node.values.shift();
      } else {
        node.keys.splice(i, 1);
        node.values.splice(i, 1);
      }
      if (node.keys.length !== 0 || node === this.root) return 'removed';
      if (node.prev) node.prev.next = node.next;
      else this.head = node.next!;
      if (node.next) node.next.prev = node.prev;
      else this.tail = node.prev!;
      return 'empty';
    }
    const ci = upperBound(node.keys, key);
    const result = this.deleteFrom(node.children[ci]!, key);
    if (result !== 'empty') return result;
    node.children.splice(ci, 1);
    node.keys.splice(ci === 0 ? 0 : ci - 1, 1);
    return node.children.length === 0 ? 'empty' : 'removed';
  }

  /** The first entry with key >= `key`, or null. */
  ceiling(key: string): MapCursor<V> | null {
    const leaf = this.leafFor(key);
    return this.normalize(leaf, lowerBound(leaf.keys, key));
  }

  /** The first entry with key > `key`, or null. */
  higher(key: string): MapCursor<V> | null {
    const leaf = this.leafFor(key);
    return this.normalize(leaf, upperBound(leaf.keys, key));
  }

  /** The last entry with key <= `key`, or null. */
  floor(key: string): MapCursor<V> | null {
    const leaf = this.leafFor(key);
    return this.normalizeBack(leaf, upperBound(leaf.keys, key) - 1);
  }

  first(): MapCursor<V> | null {
    return this.normalize(this.head, 0);
  }

  last(): MapCursor<V> | null {
    return this.normalizeBack(this.tail, this.tail.keys.length - 1);
  }

  private normalize(leaf: Leaf<V> | null, index: number): MapCursor<V> | null {
    while (leaf !== null && index >= leaf.keys.length) {
      leaf = leaf.next;
      index = 0;
    }
    return leaf === null ? null : { leaf, index };
  }

  private normalizeBack(leaf: Leaf<V> | null, index: number): MapCursor<V> | null {
    while (leaf !== null && index < 0) {
      leaf = leaf.prev;
      index = leaf === null ? -1 : leaf.keys.length - 1;
    }
    return leaf === null ? null : { leaf, index };
  }

  /** Moves the cursor on; false (and the cursor spent) at the end. */
  next(cursor: MapCursor<V>): boolean {
    cursor.index++;
    const moved = this.normalize(cursor.leaf, cursor.index);
    if (moved === null) return false;
    cursor.leaf = moved.leaf;
    cursor.index = moved.index;
    return true;
  }

  prev(cursor: MapCursor<V>): boolean {
    cursor.index--;
    const moved = this.normalizeBack(cursor.leaf, cursor.index);
    if (moved === null) return false;
    cursor.leaf = moved.leaf;
    cursor.index = moved.index;
    return true;
  }

  static key<V>(cursor: MapCursor<V>): string {
    return cursor.leaf.keys[cursor.index]!;
  }

  static value<V>(cursor: MapCursor<V>): V {
    return cursor.leaf.values[cursor.index]!;
  }

  /** Every entry in key order. */
  *entries(): IterableIterator<[string, V]> {
    for (let leaf: Leaf<V> | null = this.head; leaf !== null; leaf = leaf.next) {
      for (let i = 0; i < leaf.keys.length; i++) yield [leaf.keys[i]!, leaf.values[i]!];
    }
  }

  clear(): void {
    const leaf = new Leaf<V>();
    this.root = this.head = this.tail = leaf;
    this.count = 0;
  }
}
