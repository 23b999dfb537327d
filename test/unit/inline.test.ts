import { describe, expect, it } from 'vitest';
import { splitInlineArgs } from '../../src/protocol/inline.js';

describe('splitInlineArgs', () => {
  it('returns no arguments for empty and blank lines', () => {
    expect(splitInlineArgs('')).toEqual([]);
    expect(splitInlineArgs('   ')).toEqual([]);
    expect(splitInlineArgs(' \t\n\v\f\r ')).toEqual([]);
  });

  it('splits bare words on spaces, tabs and newlines', () => {
    expect(splitInlineArgs('SET key value')).toEqual(['SET', 'key', 'value']);
    expect(splitInlineArgs('  a   b  ')).toEqual(['a', 'b']);
    expect(splitInlineArgs('a\tb\nc\rd')).toEqual(['a', 'b', 'c', 'd']);
  });

  it('keeps \\v and \\f inside a bare word but skips them between words', () => {
    expect(splitInlineArgs('a\vb')).toEqual(['a\vb']);
    expect(splitInlineArgs('a\fb')).toEqual(['a\fb']);
    expect(splitInlineArgs('\va \fb')).toEqual(['a', 'b']);
  });

  it('treats backslashes in bare words literally', () => {
    expect(splitInlineArgs('a\\nb \\x41')).toEqual(['a\\nb', '\\x41']);
  });

  it('reads double-quoted strings with escapes', () => {
    expect(splitInlineArgs('"hello world"')).toEqual(['hello world']);
    expect(splitInlineArgs('""')).toEqual(['']);
    expect(splitInlineArgs('"a\\nb\\rc\\td\\be\\af"')).toEqual(['a\nb\rc\td\be\x07f']);
    expect(splitInlineArgs('"\\\\ \\" \\z \\\'"')).toEqual(['\\ " z \'']);
    expect(splitInlineArgs("\"it's\"")).toEqual(["it's"]);
  });

  it('decodes \\xHH with exactly two hex digits', () => {
    expect(splitInlineArgs('"\\x41\\x62\\xfF\\x00"')).toEqual(['Ab\xff\x00']);
    // Not two hex digits: the backslash just escapes the 'x'.
    expect(splitInlineArgs('"\\x4"')).toEqual(['x4']);
    expect(splitInlineArgs('"\\xg1"')).toEqual(['xg1']);
    expect(splitInlineArgs('"\\x"')).toEqual(['x']);
  });

  it('reads single-quoted strings with only \\\' as an escape', () => {
    expect(splitInlineArgs("'a b'")).toEqual(['a b']);
    expect(splitInlineArgs("'it\\'s'")).toEqual(["it's"]);
    expect(splitInlineArgs("'a\\nb \\x41'")).toEqual(['a\\nb \\x41']);
    expect(splitInlineArgs("'say \"hi\"'")).toEqual(['say "hi"']);
    expect(splitInlineArgs("''")).toEqual(['']);
  });

  it('joins a quote opened mid-word to the word', () => {
    expect(splitInlineArgs('a"b c"')).toEqual(['ab c']);
    expect(splitInlineArgs("key'x y' z")).toEqual(['keyx y', 'z']);
  });

  it('requires a blank or the end after a closing quote', () => {
    expect(splitInlineArgs('"a"b')).toBeNull();
    expect(splitInlineArgs("'a'b")).toBeNull();
    expect(splitInlineArgs('"a""b"')).toBeNull();
    expect(splitInlineArgs('"a" b')).toEqual(['a', 'b']);
    expect(splitInlineArgs('"a"\tb')).toEqual(['a', 'b']);
    expect(splitInlineArgs('"a"\vb')).toEqual(['a', 'b']); // isspace() here, unlike in bare words
  });

  it('rejects unterminated quotes', () => {
    expect(splitInlineArgs('"abc')).toBeNull();
    expect(splitInlineArgs("'abc")).toBeNull();
    expect(splitInlineArgs('SET k "abc\\"')).toBeNull();
    expect(splitInlineArgs('"abc\\')).toBeNull();
  });

  it('stops at a NUL byte as the C string does', () => {
    expect(splitInlineArgs('a\x00b c')).toEqual(['a']);
    expect(splitInlineArgs('a \x00 b')).toEqual(['a']);
    expect(splitInlineArgs('"a\x00b"')).toBeNull();
  });

  it('keeps latin1 bytes unchanged', () => {
    expect(splitInlineArgs('\xe9t\xe9 "\xff\x80"')).toEqual(['\xe9t\xe9', '\xff\x80']);
  });
});
