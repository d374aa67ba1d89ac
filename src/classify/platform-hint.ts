/**
 * Combine the receiver's reply text with the platform's own bounce type, with one precedence:
 *
 * 1. A platform "delivered" (a lead that did not bounce, an SES Delivery, an auto-reply) is delivered.
 * 2. Reply text first: when the status/diagnostic text lets the classifier decide a bucket, it wins
 *    — except that a platform type saying blocked/spam is never turned into invalid-address
 *    (a spam filter's "550 5.1.1"-looking reply must not suppress a real person).
 * 3. Otherwise the platform type decides: invalid-address, soft or blocked as it says; a bare
 *    "hard"/"bounced" stays an unclassified bounce, because it does not prove the address is gone.
 * 4. No text and no type: whatever the classifier says (unclassified).
 */
import { classifyRow } from './cache.js';
import type { ClassifyResult } from './engine.js';
import type { Policies } from './policies.js';
import type { SourceRow } from '../input/row.js';

export type Resolved = ClassifyResult;

export function resolveRow(
  row: Pick<SourceRow, 'status' | 'diagnostic' | 'hint'>,
  email: string,
  opts?: { policies?: Partial<Policies>; command?: string },
): Resolved {
  const cls = classifyRow(row.status, row.diagnostic, email, opts);
  const hint = row.hint;
  if (hint === null) return cls;
  const receiver = cls.receiver;
  if (hint.kind === 'delivered') {
    return { outcome: 'delivered', bucket: null, reason: 'delivered', ruleId: `hint:${hint.reason}`, receiver };
  }
  const hasText = row.status.trim() !== '' || row.diagnostic.trim() !== '';
  const textDecided = hasText && cls.outcome === 'bounced' && cls.bucket !== null && cls.bucket !== 'unclassified';
  if (textDecided) {
    if (hint.kind === 'blocked' && cls.bucket === 'invalid-address') {
      return { outcome: 'bounced', bucket: 'blocked', reason: hint.reason, ruleId: `hint-caps:${hint.reason}`, receiver };
    }
    return cls;
  }
  switch (hint.kind) {
    case 'invalid-address':
    case 'soft':
    case 'blocked':
      return { outcome: 'bounced', bucket: hint.kind, reason: hint.reason, ruleId: `hint:${hint.reason}`, receiver };
    case 'hard':
    case 'bounced':
      return { outcome: 'bounced', bucket: 'unclassified', reason: hint.reason, ruleId: `hint:${hint.reason}`, receiver };
  }
}
