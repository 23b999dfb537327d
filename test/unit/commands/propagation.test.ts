// Propagation refills one array per unit instead of allocating one (see
// its `pending` field). These check that reuse changes nothing a listener
// sees: every unit arrives whole and in order, a one-command unit is not
// overwritten by the next one while a listener still runs, and a command a
// listener propagates while a unit is being handed on becomes a unit of
// its own.
import { describe, expect, it } from 'vitest';
import { Propagation, type PropagatedCommand } from '../../../src/commands/propagation.js';

const copy = (unit: readonly PropagatedCommand[]): Array<[number, string]> => unit.map((c) => [c.dbId, c.argv.join(' ')]);

describe('Propagation', () => {
  it('hands on each unit once, one command bare and several wrapped in MULTI/EXEC, and nothing when nobody listens', () => {
    const propagation = new Propagation();
    propagation.alsoPropagate(0, ['SET', 'ignored', '1']);
    propagation.flush();
    const units: Array<Array<[number, string]>> = [];
    propagation.subscribe((unit) => units.push(copy(unit)));
    propagation.alsoPropagate(0, ['SET', 'a', '1']);
    propagation.flush();
    propagation.alsoPropagate(1, ['DEL', 'b']);
    propagation.alsoPropagate(1, ['INCR', 'c']);
    propagation.flush();
    propagation.alsoPropagate(2, ['DEL', 'x']);
    propagation.alsoPropagate(2, ['DEL', 'y']);
    propagation.flush(true);
    propagation.flush();
    propagation.alsoPropagate(0, ['SET', 'd', '2']);
    propagation.flush();
    expect(units).toEqual([
      [[0, 'SET a 1']],
      [[1, 'MULTI'], [1, 'DEL b'], [1, 'INCR c'], [1, 'EXEC']],
      [[2, 'DEL x'], [2, 'DEL y']],
      [[0, 'SET d 2']],
    ]);
  });

  it('a command propagated by a listener while a one-command unit is handed on is a unit of its own, after it', () => {
    const propagation = new Propagation();
    const seen: string[] = [];
    propagation.subscribe((unit) => {
      seen.push(`first: ${copy(unit).map((c) => c[1]).join(', ')}`);
      if (unit[0]!.argv[0] === 'SET') {
        propagation.alsoPropagate(0, ['DEL', 'from-listener']);
        propagation.flush();
      }
    });
    propagation.subscribe((unit) => seen.push(`second: ${copy(unit).map((c) => c[1]).join(', ')}`));
    propagation.alsoPropagate(0, ['SET', 'k', 'v']);
    propagation.flush();
    expect(seen).toEqual(['first: SET k v', 'first: DEL from-listener', 'second: DEL from-listener', 'second: SET k v']);
  });
});
