/**
 * Splitting an inline command line (`SET k "a b"\r\n` typed into telnet) into
 * arguments: a port of Redis's sdssplitargs (sds.c), which redis-cli also
 * uses for its prompt.
 *
 * The line is a latin1 string without its "\r\n". Rules, as in sds.c:
 * - blanks (C isspace: space, \t, \n, \v, \f, \r) separate arguments, but
 *   inside a bare word only space, \t, \n and \r end it, so \v and \f are
 *   kept as argument bytes;
 * - "double quotes" understand \xHH (two hex digits), \n \r \t \b \a, and a
 *   backslash before any other byte yields that byte (\\ and \" included);
 * - 'single quotes' understand only \' ;
 * - quotes can open in the middle of a word (a"b c" is one argument, "ab c"),
 *   but a closing quote must be followed by a blank or the end of the line;
 * - the C string ends at the first NUL byte, so anything after a bare NUL is
 *   ignored and a NUL inside quotes leaves them unterminated.
 * Returns null for unbalanced quotes, [] for a blank line.
 */

const NUL = 0;
const TAB = 9;
const LF = 10;
const CR = 13;
const SPACE = 32;
const DQUOTE = 34;
const SQUOTE = 39;
const BACKSLASH = 92;

/** C isspace() in the C locale. */
function isSpace(c: number): boolean {
  return c === SPACE || (c >= 9 && c <= 13);
}

function hexDigit(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 97 && c <= 102) return c - 87;
  if (c >= 65 && c <= 70) return c - 55;
  return -1;
}

export function splitInlineArgs(line: string): string[] | null {
  // Reading past the end gives NUL, like the C string's terminator.
  const at = (i: number): number => (i < line.length ? line.charCodeAt(i) : NUL);
  const args: string[] = [];
  let p = 0;
  for (;;) {
    while (at(p) !== NUL && isSpace(at(p))) p++;
    if (at(p) === NUL) return args;

    let inq = false; // inside "double quotes"
    let insq = false; // inside 'single quotes'
    let done = false;
    let current = '';
    while (!done) {
      const c = at(p);
      if (inq) {
        if (c === BACKSLASH && at(p + 1) === 120 /* x */ && hexDigit(at(p + 2)) >= 0 && hexDigit(at(p + 3)) >= 0) {
          current += String.fromCharCode(hexDigit(at(p + 2)) * 16 + hexDigit(at(p + 3)));
          p += 3;
        } else if (c === BACKSLASH && at(p + 1) !== NUL) {
          p++;
          switch (at(p)) {
            case 110: // n
              current += '\n';
              break;
            case 114: // r
              current += '\r';
              break;
            case 116: // t
              current += '\t';
              break;
            case 98: // b
              current += '\b';
              break;
            case 97: // a
              current += '\x07';
              break;
            default:
              current += line[p];
              break;
          }
        } else if (c === DQUOTE) {
          // The closing quote must be followed by a space or nothing at all.
          if (at(p + 1) !== NUL && !isSpace(at(p + 1))) return null;
          done = true;
        } else if (c === NUL) {
          return null; // unterminated quotes
        } else {
          current += line[p];
        }
      } else if (insq) {
        if (c === BACKSLASH && at(p + 1) === SQUOTE) {
          p++;
          current += "'";
        } else if (c === SQUOTE) {
          if (at(p + 1) !== NUL && !isSpace(at(p + 1))) return null;
          done = true;
        } else if (c === NUL) {
          return null;
        } else {
          current += line[p];
        }
      } else {
        switch (c) {
          case SPACE:
          case LF:
          case CR:
          case TAB:
          case NUL:
            done = true;
            break;
          case DQUOTE:
            inq = true;
            break;
          case SQUOTE:
            insq = true;
            break;
          default:
            current += line[p];
            break;
        }
      }
      if (at(p) !== NUL) p++;
    }
    args.push(current);
  }
}
