/**
 * `explain`: everything the classifier knows about one reply, as coded data (the renderer is
 * src/report/explain.ts). Pure: no I/O, no colours, no caches.
 */
import type { Bucket } from './types.js';
import { classify, type ClassifyResult } from './engine.js';
import { parseStatus } from './parse-status.js';
import { describeClassSubject, lookupEnhanced } from './enhanced-status-codes.js';
import { basicMeaning } from './basic-reply-codes.js';
import { ENGINE_RULES, RECIPIENT_PREDICATE_WORDS, RECIPIENT_SUBJECT_WORDS, ruleById, ruleSource } from './rules.js';
import { POLICY_DOCS, resolvePolicies, type Policies } from './policies.js';
import { REASONS, type Reason } from './reasons.js';

import { ACTIONS, type Action } from './actions.js';

export { ACTIONS, type Action };

export interface Explanation {
  input: { status: string; text: string; email: string };
  /** RFC 5321 basic reply code and its meaning. */
  basic: string | null;
  basicMeaning: string | null;
  /** RFC 3463 enhanced status code and its IANA registry meaning (null meaning when unregistered). */
  enhanced: string | null;
  enhancedRegistered: boolean;
  enhancedSummary: string | null;
  enhancedDescription: string | null;
  enhancedReference: string | null;
  enhancedClass: string | null;
  enhancedSubject: string | null;
  receiver: string | null;
  ruleId: string;
  ruleSource: string | null;
  /** The words of the reply the deciding rule's pattern matched (null for code-only and engine decisions). */
  matched: string | null;
  /** For the recipient grammar: the subject and the negative predicate it found. */
  matchedWords: { subject: string; predicate: string } | null;
  /** Engine guard or policy that changed the rule's verdict, with its note. */
  guard: string | null;
  guardNote: string | null;
  /** The policy that decided the bucket, when one did. */
  policy: { name: keyof Policies; value: string; flag: string } | null;
  outcome: 'delivered' | 'bounced';
  bucket: Bucket | null;
  reason: string;
  reasonDescription: string | null;
  action: Action;
}

export interface ExplainOptions {
  status?: string;
  email?: string;
  policies?: Partial<Policies>;
  command?: string;
}

/** Explain one reply text (optionally with its status column and recipient). Never throws. */
export function explain(text: string, opts?: ExplainOptions): Explanation {
  const status = typeof opts?.status === 'string' ? opts.status : '';
  const diag = typeof text === 'string' ? text : '';
  const email = typeof opts?.email === 'string' ? opts.email : '';
  const parsed = parseStatus(status, diag);
  const c: ClassifyResult = classify(parsed, {
    email,
    ...(opts?.policies ? { policies: opts.policies } : {}),
    ...(opts?.command ? { command: opts.command } : {}),
  });
  const entry = lookupEnhanced(parsed.enhanced);
  const cs = parsed.enhanced ? describeClassSubject(parsed.enhanced) : { class: null, subject: null };
  const rule = ruleById(c.ruleId);
  const pol = resolvePolicies(opts?.policies);
  const policy = rule?.policy && !c.guard ? { name: rule.policy, value: pol[rule.policy], flag: POLICY_DOCS[rule.policy].flag } : null;
  const hit = rule?.re ? rule.re.exec(parsed.text.toLowerCase()) : null;
  const matched = hit ? hit[0].trim() : null;
  const subject = matched ? RECIPIENT_SUBJECT_WORDS.exec(` ${matched} `) : null;
  const predicate = matched ? RECIPIENT_PREDICATE_WORDS.exec(` ${matched} `) : null;
  const matchedWords = rule?.id === 'recipient-grammar' && subject?.[1] && predicate?.[1] ? { subject: subject[1], predicate: predicate[1] } : null;
  const reasonInfo = (REASONS as Record<string, { description: string }>)[c.reason as Reason];
  return {
    input: { status, text: diag, email },
    basic: parsed.basic,
    basicMeaning: basicMeaning(parsed.basic),
    enhanced: parsed.enhanced,
    enhancedRegistered: entry !== null,
    enhancedSummary: entry?.summary ?? null,
    enhancedDescription: entry?.description ?? null,
    enhancedReference: entry?.reference ?? null,
    enhancedClass: cs.class,
    enhancedSubject: cs.subject,
    receiver: c.receiver,
    ruleId: c.ruleId,
    ruleSource: ruleSource(c.ruleId),
    matched,
    matchedWords,
    guard: c.guard ?? null,
    guardNote: c.guard ? ENGINE_RULES[c.guard] : null,
    policy,
    outcome: c.outcome,
    bucket: c.bucket,
    reason: c.reason,
    reasonDescription: reasonInfo?.description ?? null,
    action: ACTIONS[c.bucket ?? 'delivered'],
  };
}
