/**
 * The pieces of test/helpers/aof.ts that decide what the propagation tests
 * compare: the AOF parser, the SELECT insertion, and the normalisations.
 * A mistake in any of them would pass or fail every scenario at once.
 */
import { describe, expect, it } from 'vitest';
import type { PropagatedCommand } from '../../src/commands/propagation.js';
import {
  AofFormatError,
  AofRenderer,
  PropagationRecorder,
  RANDOM_CHOICE,
  alignTimestamps,
  maskRandomChoices,
  parseAof,
  sortCommands,
  timestampPositions,
} from '../helpers/aof.js';
import { encodeCommand } from '../helpers/resp-client.js';

const aof = (...commands: string[][]): Buffer => Buffer.concat(commands.map((argv) => encodeCommand(argv)));

describe('parseAof', () => {
  it('reads back-to-back multibulk commands, any byte included', () => {
    const binary = '\x00\r\n\xff$*';
    expect(parseAof(aof(['SELECT', '0'], ['SET', 'k', binary], ['APPEND', 'k', '']))).toEqual([['SELECT', '0'], ['SET', 'k', binary], ['APPEND', 'k', '']]);
    expect(parseAof(Buffer.alloc(0))).toEqual([]);
  });

  it('rejects a truncated tail and anything that is not a multibulk', () => {
    const whole = aof(['SET', 'k', 'value']);
    for (let cut = 1; cut < whole.length; cut++) expect(() => parseAof(whole.subarray(0, cut)), `cut at ${cut}`).toThrow(AofFormatError);
    expect(() => parseAof(Buffer.from('PING\r\n'))).toThrow(AofFormatError);
    expect(() => parseAof(Buffer.from('*1\r\n$3\r\nPINGX\r\n'))).toThrow(AofFormatError);
    expect(() => parseAof(Buffer.from('*0\r\n'))).toThrow(AofFormatError);
  });
});

describe('AofRenderer', () => {
  const command = (dbId: number, ...argv: string[]): PropagatedCommand => ({ dbId, argv });

  it('writes SELECT before the first command and wherever the database changes, as feedAppendOnlyFile does', () => {
    const renderer = new AofRenderer();
    expect(renderer.render([command(0, 'SET', 'a', '1'), command(0, 'SET', 'b', '1')])).toEqual([['SELECT', '0'], ['SET', 'a', '1'], ['SET', 'b', '1']]);
    expect(renderer.render([command(0, 'MULTI'), command(0, 'DEL', 'x'), command(3, 'DEL', 'y'), command(3, 'EXEC')])).toEqual([
      ['MULTI'],
      ['DEL', 'x'],
      ['SELECT', '3'],
      ['DEL', 'y'],
      ['EXEC'],
    ]);
    renderer.reset();
    expect(renderer.render([command(3, 'SET', 'c', '1')])).toEqual([['SELECT', '3'], ['SET', 'c', '1']]);
  });

  it('the recorder journals every unit it hears, and forgets them on reset', () => {
    let listener: ((unit: readonly PropagatedCommand[]) => void) | null = null;
    const recorder = new PropagationRecorder({
      subscribe(l) {
        listener = l;
        return () => {
          listener = null;
        };
      },
    });
    listener!([command(1, 'SET', 'a', '1')]);
    const mark = recorder.end();
    listener!([command(1, 'DEL', 'a')]);
    expect(recorder.readFrom(0)).toEqual([['SELECT', '1'], ['SET', 'a', '1'], ['DEL', 'a']]);
    expect(recorder.readFrom(mark)).toEqual([['DEL', 'a']]);
    recorder.reset();
    listener!([command(1, 'SET', 'b', '1')]);
    expect(recorder.readFrom(0)).toEqual([['SELECT', '1'], ['SET', 'b', '1']]);
    recorder.close();
    expect(listener).toBeNull();
  });
});

describe('normalisation', () => {
  it('finds the clock-derived times: SET ... PXAT t and PEXPIREAT key t', () => {
    expect(timestampPositions(['SET', 'k', 'v', 'PXAT', '1700000000000'])).toEqual([4]);
    expect(timestampPositions(['SET', 'k', 'PXAT'])).toEqual([]);
    expect(timestampPositions(['PEXPIREAT', 'k', '1700000000000', 'NX'])).toEqual([2]);
    expect(timestampPositions(['HSET', 'h', 'PXAT', '1'])).toEqual([]);
  });

  it('aligns times within the tolerance and leaves the rest to fail the comparison', () => {
    const reference = [['SET', 'k', 'v', 'PXAT', '1700000000000'], ['PEXPIREAT', 'k', '1700000005000'], ['SET', 'n', '5']];
    const candidate = [['SET', 'k', 'v', 'PXAT', '1700000000400'], ['PEXPIREAT', 'k', '1700000009000'], ['SET', 'n', '5']];
    expect(alignTimestamps(reference, candidate, 1000)).toEqual([['SET', 'k', 'v', 'PXAT', '1700000000000'], ['PEXPIREAT', 'k', '1700000009000'], ['SET', 'n', '5']]);
    // A time where the reference has none is not touched.
    expect(alignTimestamps([['SET', 'k', 'v']], [['SET', 'k', 'v', 'PXAT', '5']])).toEqual([['SET', 'k', 'v', 'PXAT', '5']]);
  });

  it('masks the members a reply chose at random only when each was propagated exactly once', () => {
    const reply = '*2\r\n$2\r\nm3\r\n$2\r\nm1\r\n';
    const journal = [['MULTI'], ['SREM', 's', 'm3'], ['SREM', 's', 'm1'], ['EXEC']];
    expect(maskRandomChoices(journal, reply)).toEqual([['MULTI'], ['SREM', 's', RANDOM_CHOICE], ['SREM', 's', RANDOM_CHOICE], ['EXEC']]);
    expect(maskRandomChoices([['SREM', 's', 'm3']], reply)).toEqual([['SREM', 's', 'm3']]);
    expect(maskRandomChoices([['SREM', 's', 'm2']], '$2\r\nm1\r\n')).toEqual([['SREM', 's', 'm2']]);
    // The key is never taken for a member, even when they are spelled alike.
    expect(maskRandomChoices([['SREM', 'm1', 'm1']], '$2\r\nm1\r\n')).toEqual([['SREM', 'm1', RANDOM_CHOICE]]);
  });

  it('sorts a journal within each run between SELECT, MULTI and EXEC, keeping every command under its database and transaction', () => {
    expect(sortCommands([['DEL', 'b'], ['MULTI'], ['DEL', 'd'], ['DEL', 'c'], ['EXEC'], ['DEL', 'a']])).toEqual([['DEL', 'b'], ['MULTI'], ['DEL', 'c'], ['DEL', 'd'], ['EXEC'], ['DEL', 'a']]);
    expect(sortCommands([['DEL', 'b'], ['DEL', 'a'], ['SELECT', '5'], ['DEL', 'z'], ['DEL', 'c'], ['SELECT', '0'], ['SET', 'x', '1']])).toEqual([
      ['DEL', 'a'],
      ['DEL', 'b'],
      ['SELECT', '5'],
      ['DEL', 'c'],
      ['DEL', 'z'],
      ['SELECT', '0'],
      ['SET', 'x', '1'],
    ]);
  });
});
