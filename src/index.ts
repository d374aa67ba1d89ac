/**
 * bounce-audit as a library: the judgement the CLI makes, for one bounce at a time (a webhook
 * handler that classifies each bounce as it arrives). The same engine, rules and policies as
 * the CLI; no I/O, no state besides the classifier's bounded cache.
 *
 *   import { classifyReply, parseStatus } from 'bounce-audit';
 *   classifyReply({ diagnostic: "554 delivery error: dd This user doesn't have a yahoo.com account", email: 'x@yahoo.com' })
 *   // → { outcome: 'bounced', bucket: 'invalid-address', reason: 'user-unknown', ruleId: 'yahoo-no-account', … }
 */
import { parseStatus } from './classify/parse-status.js';
import { classifyRow, decidedCodesOf } from './classify/cache.js';
import { resolvePolicies, type Policies } from './classify/policies.js';
import { normaliseEmail } from './suppression/address.js';
import { ACTIONS, type Action } from './classify/actions.js';
import type { Bucket, ParsedStatus } from './classify/types.js';

export { parseStatus };
export type { Bucket, ParsedStatus, Policies, Action };
export { REASONS, type Reason } from './classify/reasons.js';
export { POLICY_DOCS, DEFAULT_POLICIES } from './classify/policies.js';

/** One bounce as a platform or a mail server reports it. Every field is optional. */
export interface BounceReply {
  /** The status column: a basic code ("550"), an enhanced code ("5.1.1"), or both. */
  status?: string | null;
  /** The receiver's reply text (SMTP diagnostic), e.g. "550 5.1.1 <ann@example.com>: User unknown". */
  diagnostic?: string | null;
  /** The recipient address: receiver-specific rules apply by its domain. */
  email?: string | null;
  /** The SMTP command the receiver refused (RCPT, DATA, MAIL, …), when known. */
  smtpCommand?: string | null;
}

export interface ReplyClassification {
  /** `delivered` for a 2xx reply or a word such as "delivered"; otherwise `bounced`. */
  outcome: 'delivered' | 'bounced';
  /** invalid-address (suppress), soft (retry later), blocked (the sender was refused), unclassified; null when delivered. */
  bucket: Bucket | null;
  /** Finer reason id, e.g. `user-unknown`, `blocklisted` (docs/classification.md lists them). */
  reason: string;
  /** Id of the rule (or engine guard) that decided. */
  ruleId: string;
  /** Engine guard or policy that changed the rule's verdict, or null. */
  guard: string | null;
  /** Receiver group detected (google, microsoft, yahoo, …), or null. */
  receiver: string | null;
  /** RFC 5321 basic reply code found, or null. */
  basicCode: string | null;
  /** RFC 3463 enhanced status code found, or null. */
  enhancedCode: string | null;
  /** What to do: suppress, retry-later, fix-sender, review, none. */
  action: Action;
}

const text = (v: unknown): string => (typeof v === 'string' ? v : v === null || v === undefined ? '' : String(v));

/**
 * Classify one bounce. `policies` sets the buckets of the genuinely ambiguous replies (the CLI's
 * --disabled-mailbox, --recipient-access-denied, … flags); unknown keys and values are ignored.
 */
export function classifyReply(reply: BounceReply, policies?: Partial<Policies>): ReplyClassification {
  const status = text(reply.status);
  const diagnostic = text(reply.diagnostic);
  const email = text(reply.email);
  const command = text(reply.smtpCommand).trim();
  // The CLI's own path: the address as the audit normalises it, the reply through the same cache.
  const r = classifyRow(status, diagnostic, normaliseEmail(email) ?? email.trim().toLowerCase(), {
    ...(policies ? { policies: resolvePolicies(policies) } : {}),
    ...(command ? { command } : {}),
  });
  const parsed = decidedCodesOf(r) ?? parseStatus(status, diagnostic);
  return {
    outcome: r.outcome,
    bucket: r.bucket,
    reason: r.reason,
    ruleId: r.ruleId,
    guard: r.guard ?? null,
    receiver: r.receiver,
    basicCode: parsed.basic,
    enhancedCode: parsed.enhanced,
    action: ACTIONS[r.bucket ?? 'delivered'],
  };
}
