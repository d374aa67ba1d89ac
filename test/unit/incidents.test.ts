import { describe, expect, it } from 'vitest';
import { detectIncidents, type ReceiverCounts } from '../../src/count/incidents.js';

const rc = (receiver: string, rows: number, invalidAddress: number): ReceiverCounts => ({ receiver, rows, invalidAddress });

type Case = [name: string, counts: ReceiverCounts[], opts: { minInvalid?: number; factor?: number } | undefined, flagged: string[]];

const CASES: Case[] = [
  ['Apple April 2021: bulk false user-unknown', [rc('apple', 1000, 300), rc('google', 5000, 50), rc('microsoft', 3000, 30)], undefined, ['apple']],
  ['no incident when rates are similar', [rc('apple', 1000, 30), rc('google', 5000, 150)], undefined, []],
  ['19 invalid is below the default minimum', [rc('apple', 100, 19), rc('google', 5000, 5)], undefined, []],
  ['exactly 20 invalid meets the minimum', [rc('apple', 100, 20), rc('google', 5000, 5)], undefined, ['apple']],
  ['exactly 5x the others is not "more than" 5x', [rc('apple', 100, 25), rc('google', 1000, 50)], undefined, []],
  ['just above 5x is flagged', [rc('apple', 100, 26), rc('google', 1000, 50)], undefined, ['apple']],
  ['others with zero invalid: any receiver over the minimum qualifies', [rc('apple', 100, 20), rc('google', 1000, 0)], undefined, ['apple']],
  ['single receiver: nothing to compare with', [rc('apple', 1000, 900)], undefined, []],
  ['empty input', [], undefined, []],
  ['others with no rows are ignored', [rc('apple', 100, 50), rc('google', 0, 0)], undefined, []],
  ['custom minInvalid and factor', [rc('apple', 100, 5), rc('google', 1000, 20)], { minInvalid: 5, factor: 2 }, ['apple']],
  ['custom factor too high', [rc('apple', 100, 30), rc('google', 1000, 20)], { factor: 20 }, []],
  ['two receivers can both be incidents against a clean majority', [rc('apple', 200, 60), rc('yahoo', 200, 40), rc('google', 10000, 10)], undefined, ['apple', 'yahoo']],
  ['duplicate receiver entries are merged', [rc('apple', 50, 10), rc('apple', 50, 10), rc('google', 5000, 5)], undefined, ['apple']],
  ['invalid counts larger than rows are capped', [rc('apple', 10, 50), rc('google', 5000, 5)], undefined, []],
  ['negative and non-finite counts are ignored', [rc('apple', -5, 30), rc('bad', Number.NaN, 40), rc('google', 5000, 5)], undefined, []],
];

describe('detectIncidents', () => {
  it.each(CASES)('%s', (_name, counts, opts, flagged) => {
    expect(detectIncidents('spring-sale', counts, opts).map((i) => i.receiver)).toEqual(flagged);
  });

  it('returns the full incident record with rates', () => {
    const [i] = detectIncidents('spring-sale', [rc('apple', 1000, 300), rc('google', 5000, 50), rc('microsoft', 3000, 30)]);
    expect(i).toEqual({ campaign: 'spring-sale', receiver: 'apple', invalidAddress: 300, rows: 1000, rate: 0.3, othersRate: 80 / 8000 });
  });

  it('is pure: does not mutate its input', () => {
    const input = [rc('apple', 100, 30), rc('google', 1000, 1)];
    const copy = structuredClone(input);
    detectIncidents('c', input);
    expect(input).toEqual(copy);
  });
});
