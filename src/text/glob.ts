/**
 * Glob-style matching for KEYS, SCAN MATCH, PSUBSCRIBE, CONFIG GET and the
 * other pattern arguments: a line-by-line port of Redis 7.0's
 * `stringmatchlen_impl` (util.c), including its quirks, so that every pattern
 * selects exactly the keys Redis would select.
 *
 * Subjects and patterns are latin1 strings (one char per byte). The C code
 * reads through `const char *`, which is signed on x86-64, and that shows in
 * one place: `[a-z]` ranges compare bytes >= 0x80 as negative numbers. Case
 * folding is C's `tolower` in the C locale (Redis never sets LC_CTYPE), so
 * only A-Z fold.
 *
 * Quirks that fall out of the port and that Redis 7.0 really has:
 * - the loop runs only while both pattern and subject remain, so an empty
 *   subject matches only the empty pattern: `*` and `**` don't match "".
 *   (KEYS and SCAN skip matching for the exact pattern `*`, which is how
 *   `KEYS *` still lists the empty key; see {@link compileMatcher}.)
 * - `[]]` matches nothing (the first `]` closes an empty class), `[^` and
 *   an unterminated `[^...` class match any one byte not listed, and `[\`
 *   matches a backslash.
 * - past 1000 nested `*` the matcher answers "no match" for that branch
 *   (Redis 7.0.9's guard against abusive patterns, CVE-2022-36021).
 */

const STAR = 42; // '*'
const QUESTION = 63; // '?'
const LBRACKET = 91; // '['
const RBRACKET = 93; // ']'
const BACKSLASH = 92; // '\\'
const CARET = 94; // '^'
const DASH = 45; // '-'

/** C's tolower in the C locale; negative (signed char) values pass through. */
function tolower(c: number): number {
  return c >= 65 && c <= 90 ? c + 32 : c;
}

/** A byte as the signed `char` that C compares in `[x-y]` ranges. */
function signedChar(c: number): number {
  return c > 127 ? c - 256 : c;
}

/**
 * `*skipLongerMatches`, shared by one top-level match and all its recursion.
 * Matching is synchronous and never re-entered, so a module variable reset
 * by each entry point is safe and cheaper than threading a box through.
 */
let skipLongerMatches = false;

/**
 * stringmatchlen_impl. `p` and `s` are the C pointers as offsets; the C
 * lengths are `pattern.length - p` and `subject.length - s` because every
 * recursive call matches a suffix of both. Reads past the end give NaN where
 * C reads the sds NUL terminator; both compare unequal to every special
 * character, which is all those reads are used for.
 */
function matchImpl(pattern: string, p: number, subject: string, s: number, nocase: boolean, nesting: number): boolean {
  // Protection against abusive patterns.
  if (nesting > 1000) return false;
  const plen = pattern.length;
  const slen = subject.length;

  while (p < plen && s < slen) {
    const pc = pattern.charCodeAt(p);
    switch (pc) {
      case STAR: {
        while (p < plen && pattern.charCodeAt(p + 1) === STAR) p++;
        if (plen - p === 1) return true;
        while (s < slen) {
          if (matchImpl(pattern, p + 1, subject, s, nocase, nesting + 1)) return true;
          if (skipLongerMatches) return false;
          s++;
        }
        // The rest of the pattern matches nowhere in the rest of the subject,
        // so no earlier '*' can help by swallowing more: a longer match for
        // it would only start the rest later in the subject.
        skipLongerMatches = true;
        return false;
      }
      case QUESTION:
        s++;
        break;
      case LBRACKET: {
        p++;
        const not = pattern.charCodeAt(p) === CARET;
        if (not) p++;
        let match = false;
        const sc = subject.charCodeAt(s);
        for (;;) {
          const c0 = pattern.charCodeAt(p);
          if (c0 === BACKSLASH && plen - p >= 2) {
            p++;
            if (pattern.charCodeAt(p) === sc) match = true;
          } else if (c0 === RBRACKET) {
            break;
          } else if (p === plen) {
            // Unterminated class: step back so the shared p++ below lands
            // on the end of the pattern.
            p--;
            break;
          } else if (plen - p >= 3 && pattern.charCodeAt(p + 1) === DASH) {
            let start = signedChar(c0);
            let end = signedChar(pattern.charCodeAt(p + 2));
            let c = signedChar(sc);
            if (start > end) {
              const t = start;
              start = end;
              end = t;
            }
            if (nocase) {
              start = tolower(start);
              end = tolower(end);
              c = tolower(c);
            }
            p += 2;
            if (c >= start && c <= end) match = true;
          } else if (!nocase) {
            if (c0 === sc) match = true;
          } else if (tolower(c0) === tolower(sc)) {
            match = true;
          }
          p++;
        }
        if (not) match = !match;
        if (!match) return false;
        s++;
        break;
      }
      case BACKSLASH:
      default: {
        // A backslash escapes the next byte; a trailing one is literal.
        if (pc === BACKSLASH && plen - p >= 2) p++;
        const lit = pattern.charCodeAt(p);
        const sc = subject.charCodeAt(s);
        if (!nocase) {
          if (lit !== sc) return false;
        } else if (tolower(lit) !== tolower(sc)) {
          return false;
        }
        s++;
        break;
      }
    }
    p++;
    if (s === slen) {
      while (pattern.charCodeAt(p) === STAR) p++;
      break;
    }
  }
  return p === plen && s === slen;
}

/** Redis's `stringmatchlen(pattern, subject, nocase)`: true when `subject` matches. */
export function stringMatch(pattern: string, subject: string, nocase = false): boolean {
  skipLongerMatches = false;
  return matchImpl(pattern, 0, subject, 0, nocase, 0);
}

/** ASCII-only lower-casing (C-locale tolower); JS toLowerCase would fold latin1 letters too. */
function foldCase(s: string): string {
  // Most subjects have no capitals: skip the copy for them.
  let i = 0;
  for (; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 65 && c <= 90) break;
  }
  if (i === s.length) return s;
  let out = s.slice(0, i);
  for (; i < s.length; i++) {
    const c = s.charCodeAt(i);
    out += c >= 65 && c <= 90 ? String.fromCharCode(c + 32) : s[i];
  }
  return out;
}

export type Matcher = (subject: string) => boolean;

const matchAll: Matcher = () => true;

/**
 * A matcher for one pattern, to be called once per key by KEYS and SCAN.
 *
 * The exact pattern `*` matches every subject, the empty one included: that
 * is KEYS's `allkeys` and SCAN's `use_pattern` shortcut, which never call
 * stringmatchlen for it. For every other pattern the result equals
 * {@link stringMatch}; patterns made of literal bytes and at most two `*`
 * (the usual `prefix*`, `*suffix`, `*infix*`, `prefix*suffix`) run as plain
 * string tests instead of the recursive matcher. Callers that must not have
 * the shortcut (PSUBSCRIBE, where `*` doesn't match the channel "") use
 * stringMatch.
 */
export function compileMatcher(pattern: string, nocase = false): Matcher {
  if (pattern === '*') return matchAll;

  // Only '*' and literal bytes qualify; '?', '[' and '\' take the general path.
  const parts = pattern.split('*');
  const simple =
    parts.length <= 3 &&
    !/[?[\\]/.test(pattern) &&
    // "a**b" (an empty middle part) isn't one of the shapes below.
    (parts.length < 3 || parts[1] !== '');
  if (!simple) return (subject) => stringMatch(pattern, subject, nocase);

  const fold = nocase ? foldCase : (x: string): string => x;
  const lits = parts.map(fold);
  if (lits.length === 1) {
    const lit = lits[0]!;
    return (subject) => fold(subject) === lit;
  }
  if (lits.length === 2) {
    const [head, tail] = lits as [string, string];
    // "head*": the subject starts with head; "*tail": it ends with a
    // non-empty tail (tail is non-empty, since "*" alone returned above).
    if (tail === '') return (subject) => fold(subject).startsWith(head);
    if (head === '') return (subject) => fold(subject).endsWith(tail);
    // "head*tail": the '*' gets at least the bytes tail doesn't overlap.
    const min = head.length + tail.length;
    return (subject) => {
      if (subject.length < min) return false;
      const f = fold(subject);
      return f.startsWith(head) && f.endsWith(tail);
    };
  }
  const [head, mid, tail] = lits as [string, string, string];
  if (head === '' && tail === '') return (subject) => fold(subject).includes(mid);
  return (subject) => stringMatch(pattern, subject, nocase);
}

/**
 * A matcher for one glob pattern, for patterns tested again and again (ACL
 * key and channel patterns, on every call of a restricted user): a pattern
 * with no special characters is an equality test, `prefix*` a prefix test,
 * `*` always true; anything else runs stringMatch.
 */
export function compileGlob(pattern: string): (subject: string) => boolean {
  const special = /[*?[\\]/;
  if (pattern === '*') return () => true;
  if (!special.test(pattern)) return (subject) => subject === pattern;
  const prefix = pattern.slice(0, -1);
  if (pattern.endsWith('*') && !special.test(prefix)) return (subject) => subject.startsWith(prefix);
  return (subject) => stringMatch(pattern, subject);
}
