import { describe, it, expect } from 'vitest';
import { listNames, formatRate, table } from '../../src/report/text.js';

describe('report text helpers', () => {
  it('lists up to five names, then says how many more', () => {
    expect(listNames(['a', 'b'])).toBe('a, b');
    expect(listNames(Array.from({ length: 100_000 }, (_, i) => `c${i}`))).toBe('c0, c1, c2, c3, c4 and 99,995 more');
  });

  it('formats rates as percentages with two decimals, and unknown as a dash', () => {
    expect(formatRate(0.024)).toBe('2.40%');
    expect(formatRate(null)).toBe('—');
  });

  it('aligns the first column left and the others right, ignoring colour codes', () => {
    expect(table([['Campaign', 'Sent'], ['\u001b[1mQ3\u001b[22m', '250']])).toBe('Campaign  Sent\n\u001b[1mQ3\u001b[22m         250');
  });
});
