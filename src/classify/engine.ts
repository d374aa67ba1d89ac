/**
 * The classifier: turns a parsed status reply into outcome, bucket, reason and the id of the
 * deciding rule. The knowledge lives in data (rules.ts, receivers.ts, policies.ts); this file turns
 * it into one decision program (classify/program.ts) that the CLI runs in JavaScript and src/sql/
 * compiles to SQL. Cheap checks (receiver, codes, a union of each phase's patterns) come before the
 * rules' own patterns. classify/cache.ts classifies each distinct reply of a log once.
 */
import type { Bucket, Classification, ParsedStatus } from './types.js';
import { domainOfExpr, receiverOfDomainExpr, receiverOfTextExpr } from './receivers.js';
import { RULES, type EngineRuleId, type Rule } from './rules.js';
import { DEFAULT_POLICIES, resolvePolicies, type Policies } from './policies.js';
import type { Reason } from './reasons.js';
import {
  ProgramBuilder,
  and,
  caseOf,
  coalesce,
  eq,
  extract,
  isIn,
  isNull,
  lookup,
  lower,
  not,
  or,
  patternsOf,
  str,
  test,
  NULL,
  type Expr,
  type Program,
} from './program.js';
import { compileProgram } from './program-runner.js';

export interface ClassifyContext {
  /** recipient address or its domain, lower-case, may be '' */
  email?: string;
  /** Policies for ambiguous replies; missing keys take DEFAULT_POLICIES. */
  policies?: Partial<Policies>;
  /**
   * SMTP command the receiver refused (`RCPT`, `DATA`, `MAIL`, `EHLO`, `HELO`, `CONNECT`), when the log
   * records it. Real logs rarely do; when absent the stage is read from the text or assumed to be RCPT.
   */
  command?: string;
}

export type ClassifyResult = Classification & {
  receiver: string | null;
  /** Engine guard or policy that changed the matched rule's verdict (see ENGINE_RULES), when one did. */
  guard?: EngineRuleId;
};

// Stage markers written by sending MTAs into the diagnostic (Postfix "in reply to … command", Exim "after …",
// qmail "does not like recipient" / "failed after I sent the message"). RCPT evidence wins over DATA because
// pipelined sessions report a RCPT refusal at DATA ("550 5.1.1 … User unknown 503 5.0.0 Need RCPT").
const PRE_RCPT_RE =
  /after (?:mail from|ehlo|helo|initial connection|connect)|in reply to (?:mail from|ehlo|helo)\b|refused to talk to me|sender was rejected|my name was rejected|\[mail_from\]/;
const RCPT_RE =
  /after rcpt to|in reply to rcpt to|did not like our rcpt|does not like recipient|\[rcpt_to\]|smtp:rcpt|\b503[ -].{0,40}rcpt|need rcpt|no valid recipients|no recipients specified|valid rcpt command must precede|bad sequence of commands|most progress was rcpt/;
const DATA_RE =
  /after end of data|in reply to end of data|in reply to data\b|did not like our final data|failed after i sent the message|for text command|after data\b/;

// A status word and no failure wording: "delivered", "sent", "ok" … (only when no code and no rule decided).
const DELIVERED_WORD_RE = /^(?:delivered|sent|success|successful|succeeded|ok|accepted|relayed)(?:$|[\s;:,.])/;
const FAILURE_WORD_RE = /fail|bounc|reject|error|denied|unknown|\bnot\b|\bno\b|refused|invalid|block|defer|undeliver|expired|full|exceed|too many/;

/**
 * Characters other than ASCII letters whose JavaScript upper case is one ASCII letter (the dotless ı is
 * "I", the long ſ is "S"): a command compared after toUpperCase() matches them too.
 */
export const UPPER_CASE_EXTRAS: Readonly<Record<string, string>> = { I: '\u0131', S: '\u017f' };

/** `command.trim().toUpperCase() === word`, as a pattern over the command as written. */
function commandIs(word: string): RegExp {
  const letters = [...word].map((c) => `[${c}${c.toLowerCase()}${UPPER_CASE_EXTRAS[c] ?? ''}]`).join('');
  return new RegExp(`^\\s*${letters}\\s*$`);
}

/** A rule's code conditions as a condition. */
function codeCondition(rule: Rule, basic: Expr, enhanced: Expr): Expr[] {
  const conds: Expr[] = [];
  const prefix = (p: string): RegExp => new RegExp(`^${p.replace(/\./g, '\\.')}`);
  if (rule.enhanced) {
    conds.push(or(...rule.enhanced.map((c) => (c.endsWith('.') ? test(enhanced, prefix(c)) : eq(enhanced, str(c))))));
  }
  if (rule.basic) conds.push(or(...rule.basic.map((c) => test(basic, prefix(c)))));
  if (rule.notEnhanced) {
    conds.push(not(or(...rule.notEnhanced.map((c) => (c.endsWith('.') ? test(enhanced, prefix(c)) : eq(enhanced, str(c)))))));
  }
  return conds;
}

/**
 * The classification as a decision program. Inputs: the parsed `basic` and `enhanced` codes ('' for none),
 * the `text`, the recipient `email` (or domain), the SMTP `command` ('' when unknown) and the value of each
 * policy. Outputs: outcome, bucket, reason, rule_id, receiver, guard (null when none).
 */
function buildClassifyProgram(): Program {
  const b = new ProgramBuilder('classify');
  const basic = b.input('basic');
  const enhanced = b.input('enhanced');
  const rawText = b.input('text', 'str', true);
  const email = b.input('email');
  const command = b.input('command');
  const policy: Record<keyof Policies, Expr> = {
    disabledMailbox: b.input('disabled_mailbox'),
    recipientAccessDenied: b.input('recipient_access_denied'),
    icloudInactive: b.input('icloud_inactive'),
    userUnknownAfterData: b.input('unknown_after_data'),
    mailboxFull5xx: b.input('full_mailbox_5xx'),
  };
  const text = b.let('lower_text', lower(rawText));
  // The domain wins over text markers: a Gmail recipient's reply is Google's even when it quotes a
  // Microsoft host name.
  const domain = b.let('domain', domainOfExpr(email));
  const receiver = b.let('receiver', coalesce(receiverOfDomainExpr(domain), receiverOfTextExpr(text)));
  // A 2xx basic and/or 2.x.x enhanced code and no failure code.
  const deliveredByCode = b.let(
    'delivered_by_code',
    and(not(test(basic, /^[^2]/)), not(test(enhanced, /^[^2]/)), or(test(basic, /^2/), test(enhanced, /^2/))),
  );
  // Class digit of a reply: the enhanced code's class when present (more specific), else the basic code's.
  const cls = b.let('class', coalesce(extract(enhanced, /^(\d)/), extract(basic, /^(\d)/)));

  // Rules in order: a known receiver's rules (all before the generic ones), then the generic rules phase by
  // phase, each phase behind the union of its patterns (one scan tells that none of them can match).
  const firstGeneric = RULES.findIndex((r) => !r.receiver);
  if (RULES.slice(firstGeneric).some((r) => r.receiver)) throw new Error('rules.ts: a receiver rule after the generic rules');
  const gates = new Map<string, Expr>();
  for (const phase of new Set(RULES.slice(firstGeneric).map((r) => r.phase))) {
    const res = RULES.filter((r) => !r.receiver && r.phase === phase && r.re).map((r) => `(?:${(r.re as RegExp).source})`);
    if (res.length > 1) gates.set(phase, b.shortcut(`gate_${phase}`, test(text, new RegExp(res.join('|')))));
  }
  const ruleCondition = (r: Rule): Expr => {
    const conds: Expr[] = [];
    if (r.receiver) conds.push(isIn(receiver, r.receiver));
    conds.push(...codeCondition(r, basic, enhanced));
    if (r.re) {
      const gate = r.receiver ? undefined : gates.get(r.phase);
      if (gate) conds.push(gate);
      conds.push(test(text, r.re));
    }
    if (r.unless) conds.push(not(test(text, r.unless)));
    return and(...conds);
  };
  const ruleId = b.let('rule_id', caseOf([[deliveredByCode, NULL], ...RULES.map((r) => [ruleCondition(r), str(r.id)] as const)], NULL));

  // Guards on rules that say the address does not exist.
  const ids = (f: (r: Rule) => boolean): string[] => RULES.filter(f).map((r) => r.id);
  const isAddressRule = isIn(ruleId, ids((r) => r.address === true));
  const stage = b.let(
    'stage',
    caseOf(
      [
        [
          isAddressRule,
          caseOf(
            [
              [test(text, RCPT_RE), str('rcpt')],
              [test(command, commandIs('RCPT')), str('rcpt')],
              [or(...['MAIL', 'EHLO', 'HELO', 'CONNECT'].map((w) => test(command, commandIs(w)))), str('pre-rcpt')],
              [test(command, commandIs('DATA')), str('data')],
              [test(text, PRE_RCPT_RE), str('pre-rcpt')],
              [test(text, DATA_RE), str('data')],
            ],
            str('unknown'),
          ),
        ],
      ],
      str('unknown'),
    ),
  );
  const guard = b.let(
    'guard',
    caseOf(
      [
        // RFC 5321 §3.3: nothing said before RCPT TO can be about the recipient.
        [and(isAddressRule, eq(stage, str('pre-rcpt'))), str('guard-pre-rcpt')],
        // RFC 3463 §3.1: a 4.x.x / 4xx "does not exist" is transient, unless the text itself is final.
        [and(isAddressRule, eq(cls, str('4')), not(isIn(ruleId, ids((r) => r.definitive === true)))), str('guard-temporary')],
        // Policy: "user unknown" after DATA without 5.1.x is also a content-filter answer.
        [
          and(
            isAddressRule,
            eq(stage, str('data')),
            not(isIn(ruleId, ids((r) => r.anyStage === true))),
            not(test(enhanced, /^5\.1\./)),
            eq(policy.userUnknownAfterData, str('unclassified')),
          ),
          str('policy-after-data'),
        ],
      ],
      NULL,
    ),
  );
  const deliveredByWord = b.let(
    'delivered_by_word',
    and(eq(basic, str('')), eq(enhanced, str('')), test(text, DELIVERED_WORD_RE), not(test(text, FAILURE_WORD_RE))),
  );
  const noRule = isNull(ruleId);
  const fallback = (delivered: string | null, temporary: string, other: string): Expr =>
    caseOf([[deliveredByWord, delivered === null ? NULL : str(delivered)], [eq(cls, str('4')), str(temporary)]], str(other));

  const policyRules = (Object.keys(policy) as (keyof Policies)[]).map((k) => {
    // A mailbox-full reply is only a candidate for suppression when the code is permanent.
    const value = k === 'mailboxFull5xx' ? caseOf([[not(eq(cls, str('5'))), str('soft')]], policy[k]) : policy[k];
    return [isIn(ruleId, ids((r) => r.policy === k)), value] as const;
  });
  const bucket = caseOf(
    [
      [deliveredByCode, NULL],
      [noRule, fallback(null, 'soft', 'unclassified')],
      [eq(guard, str('guard-pre-rcpt')), str('blocked')],
      [eq(guard, str('guard-temporary')), str('soft')],
      [eq(guard, str('policy-after-data')), str('unclassified')],
      ...policyRules,
    ],
    lookup(ruleId, RULES.map((r) => [r.id, r.bucket])),
  );
  const reason = caseOf(
    [
      [deliveredByCode, str('delivered')],
      [noRule, fallback('delivered', 'temporary', 'unknown')],
      [eq(guard, str('guard-pre-rcpt')), str('sender-rejected')],
      [eq(guard, str('guard-temporary')), caseOf([[isIn(ruleId, ids((r) => r.reason === 'host-unknown')), str('network-error')]], str('user-unknown-temporary'))],
      [eq(guard, str('policy-after-data')), str('user-unknown-after-data')],
    ],
    coalesce(lookup(ruleId, RULES.map((r) => [r.id, r.reason])), str('unknown')),
  );
  const outcome = caseOf([[or(deliveredByCode, and(noRule, deliveredByWord)), str('delivered')]], str('bounced'));
  const decidingRule = caseOf(
    [
      [deliveredByCode, str('delivered')],
      [noRule, fallback('delivered', 'fallback-4xx', 'fallback-unclassified')],
    ],
    coalesce(ruleId, str('')),
  );
  return b.build({ outcome, bucket, reason, rule_id: decidingRule, receiver, guard });
}

/** The classifier as a decision program (see buildClassifyProgram for its inputs and outputs). */
export const CLASSIFY_PROGRAM: Program = buildClassifyProgram();
const classifier = compileProgram(CLASSIFY_PROGRAM);

export function result(
  outcome: 'delivered' | 'bounced',
  bucket: Bucket | null,
  reason: Reason,
  ruleId: string,
  receiver: string | null,
  guard?: EngineRuleId,
): ClassifyResult {
  const r: ClassifyResult = { outcome, bucket, reason, ruleId, receiver };
  if (guard) r.guard = guard;
  return r;
}

/**
 * Classify a parsed reply. Rule order and guards are documented in classify/rules.ts.
 * Deterministic for equal inputs.
 */
export function classify(parsed: ParsedStatus, ctx?: ClassifyContext): ClassifyResult {
  const pol = ctx?.policies ? resolvePolicies(ctx.policies) : DEFAULT_POLICIES;
  const email = typeof ctx?.email === 'string' ? ctx.email : '';
  const command = typeof ctx?.command === 'string' ? ctx.command : '';
  const [outcome, bucket, reason, ruleId, receiver, guard] = classifier.run([
    parsed.basic ?? '',
    parsed.enhanced ?? '',
    typeof parsed.text === 'string' ? parsed.text : '',
    email,
    command,
    pol.disabledMailbox,
    pol.recipientAccessDenied,
    pol.icloudInactive,
    pol.userUnknownAfterData,
    pol.mailboxFull5xx,
  ]) as [string, string | null, string, string, string | null, string | null];
  return result(outcome as 'delivered' | 'bounced', bucket as Bucket | null, reason as Reason, ruleId, receiver, (guard ?? undefined) as EngineRuleId | undefined);
}

/** The engine's own patterns (stage markers, status words, gates), for the RE2 portability test. */
export const ENGINE_PATTERNS: readonly RegExp[] = [PRE_RCPT_RE, RCPT_RE, DATA_RE, DELIVERED_WORD_RE, FAILURE_WORD_RE, ...patternsOf(CLASSIFY_PROGRAM).map((p) => p.re)];
