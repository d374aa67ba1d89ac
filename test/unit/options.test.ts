import { describe, it, expect } from 'vitest';
import { parseSent, resolveOptions } from '../../src/cli/options.js';
import { UsageError } from '../../src/errors.js';

describe('resolveOptions', () => {
  it('applies the documented defaults', () => {
    const o = resolveOptions(['a.csv'], {});
    expect(o).toMatchObject({
      inputs: ['a.csv'],
      out: 'suppression.csv',
      format: 'human',
      thresholds: { warnAbove: 0.02, failAbove: 0.05, minSent: 100 },
      campaign: null,
      quiet: false,
      noColor: false,
    });
  });

  it('accepts percentages with a % sign and decimals', () => {
    const o = resolveOptions(['a.csv'], { warnAbove: '1.5%', failAbove: '3' });
    expect(o.thresholds.warnAbove).toBeCloseTo(0.015, 12);
    expect(o.thresholds.failAbove).toBeCloseTo(0.03, 12);
  });

  it('maps --no-out to no output and -o - to stdout', () => {
    expect(resolveOptions(['a.csv'], { out: false }).out).toBeNull();
    expect(resolveOptions(['a.csv'], { out: '-' }).out).toBe('-');
  });

  it.each([
    [{ json: true, out: '-' }, /--json and -o -/],
    [{ warnAbove: '-1' }, /--warn-above takes a percentage/],
    [{ failAbove: 'lots' }, /--fail-above takes a percentage/],
    [{ warnAbove: '5.5' }, /must not be above --fail-above/],
    [{ minSent: '1.5' }, /--min-sent takes a whole number/],
    [{ campaign: '  ' }, /--campaign needs a name/],
    [{ out: '' }, /--out needs a path/],
  ])('rejects %j', (raw, message) => {
    expect(() => resolveOptions(['a.csv'], raw)).toThrow(UsageError);
    expect(() => resolveOptions(['a.csv'], raw)).toThrow(message);
  });

  it('refuses stdin twice', () => {
    expect(() => resolveOptions(['-', '-'], {})).toThrow(/standard input \(-\) can be read only once/);
  });
});

describe('parseSent', () => {
  it('reads NAME=N pairs, splitting on the last =', () => {
    const s = parseSent(['Q3=250', 'a=b=1,000']);
    expect([...s.byCampaign]).toEqual([
      ['Q3', 250],
      ['a=b', 1000],
    ]);
    expect(s.bare).toBeNull();
  });

  it('reads one bare count', () => {
    expect(parseSent(['12000']).bare).toBe(12000);
  });

  it.each([
    [['0'], /above 0/],
    [['1', '2'], /may be given once/],
    [['1', 'A=2'], /not both/],
    [['=5'], /campaign name before "=" is empty/],
    [['A=1', 'A=2'], /twice/],
    [['A=x'], /whole number/],
  ])('rejects %j', (values, message) => {
    expect(() => parseSent(values)).toThrow(message);
  });
});
