/**
 * The AOF manifest's text (aof.c's aofInfoFormat and aofLoadManifestFromFile):
 * what reddish writes is what Redis writes, and what Redis refuses reddish
 * refuses with the same words.
 */
import { describe, expect, it } from 'vitest';
import { AofManifest, AofManifestError } from '../../../src/persistence/aof-manifest.js';

const REDIS_EXAMPLE = [
  'file appendonly.aof.2.base.rdb seq 2 type b',
  'file appendonly.aof.1.incr.aof seq 1 type h',
  'file appendonly.aof.2.incr.aof seq 2 type h',
  'file appendonly.aof.4.incr.aof seq 4 type i',
  'file appendonly.aof.5.incr.aof seq 5 type i',
  '',
].join('\n');

describe('AofManifest', () => {
  it('reads and writes the example of aof.c byte for byte', () => {
    const m = AofManifest.parse(REDIS_EXAMPLE);
    expect(m.base).toEqual({ name: 'appendonly.aof.2.base.rdb', seq: 2, type: 'b' });
    expect(m.incrs.map((f) => f.seq)).toEqual([4, 5]);
    expect(m.history).toHaveLength(2);
    expect([m.baseSeq, m.incrSeq]).toEqual([2, 5]);
    expect(m.format()).toBe(REDIS_EXAMPLE);
  });

  it('names files as Redis does and moves the rewritten ones to history', () => {
    const m = AofManifest.parse(REDIS_EXAMPLE);
    expect(m.newIncr('appendonly.aof')).toBe('appendonly.aof.6.incr.aof');
    expect(m.newBase('appendonly.aof', false)).toBe('appendonly.aof.3.base.aof');
    m.markRewrittenIncrsAsHistory(true);
    expect(m.format()).toBe(
      [
        // listAddNodeHead: the rewritten incr files, then the old base, before the older history.
        'file appendonly.aof.3.base.aof seq 3 type b',
        'file appendonly.aof.4.incr.aof seq 4 type h',
        'file appendonly.aof.5.incr.aof seq 5 type h',
        'file appendonly.aof.2.base.rdb seq 2 type h',
        'file appendonly.aof.1.incr.aof seq 1 type h',
        'file appendonly.aof.2.incr.aof seq 2 type h',
        'file appendonly.aof.6.incr.aof seq 6 type i',
        '',
      ].join('\n'),
    );
  });

  it('quotes a file name that needs it (sdscatrepr) and reads it back', () => {
    const m = new AofManifest();
    m.newBase('my file\t.aof', false);
    expect(m.format()).toBe('file "my file\\t.aof.1.base.aof" seq 1 type b\n');
    expect(AofManifest.parse(m.format()).base?.name).toBe('my file\t.aof.1.base.aof');
  });

  it("refuses what Redis refuses, with Redis's words", () => {
    const error = (text: string) => {
      try {
        AofManifest.parse(text);
      } catch (err) {
        return (err as AofManifestError).message;
      }
      return null;
    };
    expect(error('')).toBe('Found an empty AOF manifest');
    expect(error('file a seq 1\n')).toBe('Invalid AOF manifest file format');
    expect(error('file a seq 1 type b\nfile b seq 2 type b\n')).toBe('Found duplicate base file information');
    expect(error('file a seq 2 type i\nfile b seq 1 type i\n')).toBe('Found a non-monotonic sequence number');
    expect(error('file a seq 1 type x\n')).toBe('Unknown AOF file type');
    expect(error('file dir/a seq 1 type i\n')).toBe("File can't be a path, just a filename");
    expect(error('file a seq 1 type i')).toBe('The AOF manifest file contains too long line');
    // Comments are skipped; unknown keys are kept for forward compatibility.
    expect(error('# comment\nfile a seq 1 type i future x\n')).toBeNull();
  });
});
