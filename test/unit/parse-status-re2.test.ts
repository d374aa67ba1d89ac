/**
 * The parser, a decision program of RE2-compatible patterns (no lookaround), returns exactly what the
 * reference written with lookarounds returns, on arbitrary strings and on strings built from code-like
 * pieces, where the neighbour rules, the contexts, the plausibility checks and the refinement matter.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hasFailureCode, parseStatus } from '../../src/classify/parse-status.js';
import { parseStatus as parseStatusLookaround } from '../helpers/parse-status-lookaround.js';

// The failure-code detector the classification cache used, with its lookarounds.
const FAILURE_BASIC_RE = /(?<![\w./#=+\-])(?<![\d\]]:)[45]\d\d(?![\w.:/]|-\d{2}(?!\d)|,\d)/;
const FAILURE_ENHANCED_RE = /(?<![\w./])[45]\.\d{1,3}\.\d{1,3}(?!\w|\.\d)/;
const hasFailureCodeLookaround = (s: string): boolean => FAILURE_BASIC_RE.test(s) || FAILURE_ENHANCED_RE.test(s);

const piece = fc.constantFrom(
  '550', '5.1.1', '4.2.2', '2.0.0', '250', '554', '421', '5.7.606', '4.16.55.1', '192.0.2.1', '550-5.1.1', '550-',
  '#', '(#', ')', ':', ']', '[', '-', ',', '.', '/', '=', '+', ' ', 'dsn=', 'smtp;', 'status:', 'said:', 'v', 'x',
  'version', 'port', 'bytes', '12', '01', '2024-05-01', '10:22:33', 'user unknown', 'error_code :', '<<<', "'",
  '5.1.0', '5.0.0', '4.0.0', '2.1.0', '5.01.010', '5.9.0', '5.9.3', '%', 'sec', 'returned', 'message]:', 'code', 'status',
  'exim', 'ver.', 'qmail', '451', '500', '200', '5.1.6', '551', '-'.repeat(12), ' - - - - - ', 'responsecode', 'reason:',
);
const codeLike = fc.array(piece, { maxLength: 20 }).map((a) => a.join(''));

describe('parseStatus as a decision program', () => {
  it('equals the lookaround parser on strings built from code-like pieces', () => {
    fc.assert(
      fc.property(codeLike, codeLike, (a, b) => {
        expect(parseStatus(a, b)).toEqual(parseStatusLookaround(a, b));
      }),
      { numRuns: 5000 },
    );
  });

  it('equals the lookaround parser on arbitrary strings', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 60 }), fc.string({ unit: 'binary', maxLength: 120 }), (a, b) => {
        expect(parseStatus(a, b)).toEqual(parseStatusLookaround(a, b));
      }),
      { numRuns: 2000 },
    );
  });

  it('hasFailureCode equals the lookaround detector', () => {
    fc.assert(
      fc.property(codeLike, (s) => {
        expect(hasFailureCode(s)).toBe(hasFailureCodeLookaround(s));
      }),
      { numRuns: 5000 },
    );
  });
});
