import { describe, it, expect } from 'vitest';
import { errorFromData, errorToData, InputError, OutputError, UsageError, BounceAuditError } from '../../src/errors.js';

describe('errors crossing from a worker thread', () => {
  it.each([
    [new UsageError('bad flag'), UsageError],
    [new InputError('unterminated quoted field', { file: 'log.csv', line: 3, column: 2 }), InputError],
    [new OutputError('disk full'), OutputError],
  ])('keep their kind: %s', (err, Ctor) => {
    const back = errorFromData(errorToData(err));
    expect(back).toBeInstanceOf(Ctor);
    expect(back.message).toBe(err.message);
  });

  it('shift the line of an input error by the lines before the worker part', () => {
    const back = errorFromData(errorToData(new InputError('text after a closing quote', { file: 'log.csv', line: 3, column: 2 })), 1000);
    expect((back as InputError).format()).toBe('log.csv:1003:2: text after a closing quote');
  });

  it.each([new TypeError("Cannot read properties of undefined (reading 'x')"), new Error('plain'), 'a thrown string'])(
    'turn anything else into an internal error, never an input error: %s',
    (err) => {
      const d = errorToData(err);
      expect(d.kind).toBe('internal');
      const back = errorFromData(d);
      expect(back).not.toBeInstanceOf(BounceAuditError);
      expect(back.message).toMatch(/^in a worker thread: /);
    },
  );
});
