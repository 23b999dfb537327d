/**
 * ACL categories (acl.c's ACLCommandCategories), and how the table derives
 * each command's categories. The table computes them once per entry
 * (`TableEntry.aclCategories`, a bit mask in this order), and everything
 * that needs them reads that: COMMAND INFO, COMMAND LIST FILTERBY
 * ACLCAT, ACL CAT and the ACL rules +@category / -@category.
 */
import type { CommandFlag, CommandGroup, CommandSpec } from './types.js';

/** Redis's categories in ACLCommandCategories order: bit i of a mask is ACL_CATEGORIES[i]. */
export const ACL_CATEGORIES: readonly string[] = [
  'keyspace', 'read', 'write', 'set', 'sortedset', 'list', 'hash', 'string', 'bitmap', 'hyperloglog', 'geo',
  'stream', 'pubsub', 'admin', 'fast', 'slow', 'blocking', 'dangerous', 'connection', 'transaction', 'scripting',
];

const CATEGORY_BITS = new Map(ACL_CATEGORIES.map((name, i) => [name, 1 << i]));

/** ACLGetCommandCategoryFlagByName (case-insensitive, as strcasecmp); 0 for an unknown name. */
export function categoryFlag(name: string): number {
  return CATEGORY_BITS.get(name.toLowerCase()) ?? 0;
}

/** The names of the categories in a mask, in Redis's order. */
export function categoryNames(mask: number): string[] {
  return ACL_CATEGORIES.filter((_, i) => (mask & (1 << i)) !== 0);
}

/**
 * The data-type category each group's commands carry. Redis declares these
 * per command in its JSON files; almost every command of a group has its
 * group's category, so the table derives it. `server` and `cluster` commands
 * have none, nor do the RedisBloom groups (Redis 7.0 modules can't add
 * categories).
 */
const GROUP_CATEGORY: Partial<Record<CommandGroup, string>> = {
  generic: 'keyspace',
  string: 'string',
  list: 'list',
  set: 'set',
  'sorted-set': 'sortedset',
  hash: 'hash',
  bitmap: 'bitmap',
  hyperloglog: 'hyperloglog',
  geo: 'geo',
  stream: 'stream',
  pubsub: 'pubsub',
  connection: 'connection',
  transactions: 'transaction',
  scripting: 'scripting',
};

/**
 * A command's ACL categories as a mask, the way Redis builds them: the
 * categories its JSON file declares, plus those setImplicitACLCategories
 * derives from the flags (write → @write, readonly → @read unless
 * scripting, admin → @admin @dangerous, pubsub → @pubsub, blocking →
 * @blocking, fast → @fast else @slow).
 *
 * A spec declares its categories in `aclCategories` where Redis's differ
 * from the default, which is the group's data-type category (nearly every
 * command of a group has it). A container without a handler of its own
 * (CONFIG, OBJECT) has none by default, as in Redis. Examples of declared
 * ones: KEYS ['keyspace', 'dangerous'], DBSIZE ['keyspace'], SORT ['set',
 * 'sortedset', 'list', 'dangerous'], COMMAND ['connection'].
 */
export function deriveAclCategories(spec: CommandSpec): number {
  const categories = new Set<string>();
  const has = (flag: CommandFlag): boolean => spec.flags.includes(flag);
  const pureContainer = spec.subcommands !== undefined && spec.handler === undefined;
  const groupCategory = GROUP_CATEGORY[spec.group];
  const declared = spec.aclCategories;
  if (declared !== undefined) for (const category of declared) categories.add(category);
  else if (groupCategory !== undefined && !pureContainer) categories.add(groupCategory);
  if (has('write')) categories.add('write');
  if (has('readonly') && spec.group !== 'scripting') categories.add('read');
  if (has('admin')) {
    categories.add('admin');
    categories.add('dangerous');
  }
  if (has('pubsub')) categories.add('pubsub');
  if (has('blocking')) categories.add('blocking');
  categories.add(has('fast') ? 'fast' : 'slow');
  let mask = 0;
  for (const category of categories) {
    const bit = CATEGORY_BITS.get(category);
    if (bit === undefined) throw new Error(`command '${spec.name}' declares the unknown ACL category '${category}'`);
    mask |= bit;
  }
  return mask;
}
