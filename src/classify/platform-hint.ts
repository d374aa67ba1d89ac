/**
 * Combine the receiver's reply text with the platform's own bounce type, with one precedence:
 *
 * 1. A platform "delivered" (a lead that did not bounce, an SES Delivery, an auto-reply) is delivered.
 * 2. Reply text first: when the status/diagnostic text lets the classifier decide a bucket, it wins
 *    — except that a platform type saying blocked/spam is never turned into invalid-address
 *    (a spam filter's "550 5.1.1"-looking reply must not suppress a real person), and that a
 *    platform recording the failure as permanent (a bounces list, a permanent failure event)
 *    outranks the *code* alone: a 4xx-looking code (Mailgun's 498 for a domain that does not
 *    resolve) does not make such a row a temporary, soft bounce; the text's own reading stands.
 * 3. Otherwise the platform type decides: invalid-address, soft or blocked as it says; a bare
 *    "hard"/"bounced" stays an unclassified bounce, because it does not prove the address is gone.
 * 4. No text and no type: whatever the classifier says (unclassified).
 */
import { classifyRow } from './cache.js';
import type { ClassifyResult } from './engine.js';
import { resolvePolicies, type Policies } from './policies.js';
import { RULES, type Rule } from './rules.js';
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
  const permanent = hint.kind === 'hard' || hint.kind === 'invalid-address';
  if (textDecided && permanent && cls.bucket === 'soft' && (cls.guard === 'guard-temporary' || cls.ruleId === 'fallback-4xx')) {
    // Soft only because of a 4xx class: the platform says the failure was permanent.
    const rule = cls.guard === 'guard-temporary' ? RULE_BY_ID.get(cls.ruleId) : undefined;
    if (rule !== undefined) {
      const bucket = rule.policy ? resolvePolicies(opts?.policies ?? {})[rule.policy] : rule.bucket;
      return { outcome: 'bounced', bucket, reason: rule.reason, ruleId: `${rule.id}+permanent:${hint.reason}`, receiver };
    }
  } else if (textDecided) {
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

const RULE_BY_ID: ReadonlyMap<string, Rule> = new Map(RULES.map((r) => [r.id, r]));
