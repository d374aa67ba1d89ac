/**
 * The classifier: turns a parsed status reply into outcome, bucket, reason and the id of the
 * deciding rule. The knowledge lives in data (rules.ts, receivers.ts, policies.ts); this file is
 * the engine. Cheap checks (receiver, codes) run before any regex, and every regex is compiled
 * once at module load. classify/cache.ts classifies each distinct reply of a log once.
 */
import type { Bucket, Classification, ParsedStatus } from './types.js';
import { domainOf, receiverOf } from './receivers.js';
import { RULES, type EngineRuleId, type Rule } from './rules.js';
import { DEFAULT_POLICIES, resolvePolicies, type Policies } from './policies.js';
import type { Reason } from './reasons.js';

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

type Stage = 'pre-rcpt' | 'rcpt' | 'data' | 'unknown';

// Stage markers written by sending MTAs into the diagnostic (Postfix "in reply to … command", Exim "after …",
// qmail "does not like recipient" / "failed after I sent the message"). RCPT evidence wins over DATA because
// pipelined sessions report a RCPT refusal at DATA ("550 5.1.1 … User unknown 503 5.0.0 Need RCPT").
const PRE_RCPT_RE =
  /after (?:mail from|ehlo|helo|initial connection|connect)|in reply to (?:mail from|ehlo|helo)\b|refused to talk to me|sender was rejected|my name was rejected|\[mail_from\]/;
const RCPT_RE =
  /after rcpt to|in reply to rcpt to|did not like our rcpt|does not like recipient|\[rcpt_to\]|smtp:rcpt|\b503[ -].{0,40}rcpt|need rcpt|no valid recipients|no recipients specified|valid rcpt command must precede|bad sequence of commands|most progress was rcpt/;
const DATA_RE =
  /after end of data|in reply to end of data|in reply to data\b|did not like our final data|failed after i sent the message|for text command|after data\b/;

function stageOf(command: string | undefined, text: string): Stage {
  if (RCPT_RE.test(text)) return 'rcpt';
  const c = typeof command === 'string' ? command.trim().toUpperCase() : '';
  if (c === 'RCPT') return 'rcpt';
  if (c === 'MAIL' || c === 'EHLO' || c === 'HELO' || c === 'CONNECT') return 'pre-rcpt';
  if (c === 'DATA') return 'data';
  if (PRE_RCPT_RE.test(text)) return 'pre-rcpt';
  if (DATA_RE.test(text)) return 'data';
  return 'unknown';
}

const DELIVERED_WORD_RE = /^(?:delivered|sent|success|successful|succeeded|ok|accepted|relayed)(?:$|[\s;:,.])/;
const FAILURE_WORD_RE = /fail|bounc|reject|error|denied|unknown|\bnot\b|\bno\b|refused|invalid|block|defer|undeliver|expired|full|exceed|too many/;

/** A 2xx basic and/or 2.x.x enhanced code and no failure code. */
function isDeliveredByCode(p: ParsedStatus): boolean {
  const b = p.basic;
  const e = p.enhanced;
  if ((b && b[0] !== '2') || (e && e[0] !== '2')) return false;
  return (b !== null && b[0] === '2') || (e !== null && e[0] === '2');
}

/**
 * No code at all and the text starts with a status word ("delivered", "sent", "ok", …) with no failure
 * wording. Only used when no rule matched, so "Sent to too many recipients" stays a bounce.
 */
function isDeliveredByWord(p: ParsedStatus): boolean {
  return p.basic === null && p.enhanced === null && DELIVERED_WORD_RE.test(p.text) && !FAILURE_WORD_RE.test(p.text);
}

function codeMatches(conds: readonly string[], code: string): boolean {
  for (const c of conds) {
    if (c.endsWith('.') ? code.startsWith(c) : code === c) return true;
  }
  return false;
}

function prefixMatches(conds: readonly string[], code: string): boolean {
  for (const c of conds) if (code.startsWith(c)) return true;
  return false;
}

function ruleMatches(rule: Rule, p: ParsedStatus): boolean {
  if (rule.enhanced && !(p.enhanced !== null && codeMatches(rule.enhanced, p.enhanced))) return false;
  if (rule.basic && !(p.basic !== null && prefixMatches(rule.basic, p.basic))) return false;
  if (rule.re && !rule.re.test(p.text)) return false;
  if (rule.unless && rule.unless.test(p.text)) return false;
  return true;
}

// Receiver rules indexed by receiver, so a row only tries its own receiver's rules.
const RECEIVER_RULES = new Map<string, Rule[]>();
const GENERIC_RULES: Rule[] = [];
for (const r of RULES) {
  if (r.receiver) {
    for (const id of r.receiver) {
      const list = RECEIVER_RULES.get(id) ?? [];
      list.push(r);
      RECEIVER_RULES.set(id, list);
    }
  } else {
    GENERIC_RULES.push(r);
  }
}

/**
 * Generic rules grouped by phase, each group with a gate: the union of its rules' text regexes, built once.
 * A text that fails the gate cannot match any text rule of the group, so one scan replaces a dozen (the
 * union costs about half of the separate scans; most rows match none of the sender-side rules).
 */
interface RuleGroup {
  gate: RegExp | null;
  rules: Rule[];
}
const GENERIC_GROUPS: RuleGroup[] = [];
for (const r of GENERIC_RULES) {
  const last = GENERIC_GROUPS[GENERIC_GROUPS.length - 1];
  if (last && last.rules[0]?.phase === r.phase) last.rules.push(r);
  else GENERIC_GROUPS.push({ gate: null, rules: [r] });
}
for (const g of GENERIC_GROUPS) {
  const res = g.rules.filter((r) => r.re).map((r) => `(?:${(r.re as RegExp).source})`);
  g.gate = res.length > 1 ? new RegExp(res.join('|')) : null;
}

/** Class digit of a reply: the enhanced code's class when present (more specific), else the basic code's. */
function classOf(p: ParsedStatus): string | null {
  return p.enhanced?.[0] ?? p.basic?.[0] ?? null;
}

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

function decide(rule: Rule, p: ParsedStatus, receiver: string | null, pol: Policies, command: string | undefined, cls: string | null): ClassifyResult {
  if (rule.address) {
    // The stage matters only for address rules: read it lazily (three regex scans saved on most rows).
    const stage = stageOf(command, p.text);
    // Guard 1 (RFC 5321 §3.3): nothing said before RCPT TO can be about the recipient.
    if (stage === 'pre-rcpt') return result('bounced', 'blocked', 'sender-rejected', rule.id, receiver, 'guard-pre-rcpt');
    // Guard 2 (RFC 3463 §3.1): a 4.x.x / 4xx "does not exist" is transient; retry, never suppress. A text that
    // is itself a final answer (a resolver's NXDOMAIN) is not made temporary by a code stamped on it.
    if (cls === '4' && !rule.definitive) {
      const reason: Reason = rule.reason === 'host-unknown' ? 'network-error' : 'user-unknown-temporary';
      return result('bounced', 'soft', reason, rule.id, receiver, 'guard-temporary');
    }
    // Policy: "user unknown" after DATA without 5.1.x is also a content-filter answer.
    if (stage === 'data' && !rule.anyStage && !(p.enhanced?.startsWith('5.1.') ?? false)) {
      if (pol.userUnknownAfterData === 'unclassified') {
        return result('bounced', 'unclassified', 'user-unknown-after-data', rule.id, receiver, 'policy-after-data');
      }
    }
  }
  let bucket: Bucket = rule.bucket;
  if (rule.policy) {
    // A mailbox-full reply is only a candidate for suppression when the code is permanent.
    bucket = rule.policy === 'mailboxFull5xx' && cls !== '5' ? 'soft' : pol[rule.policy];
  }
  return result('bounced', bucket, rule.reason, rule.id, receiver);
}

/**
 * Classify a parsed reply. Rule order and guards are documented in classify/rules.ts.
 * Deterministic for equal inputs.
 */
export function classify(parsed: ParsedStatus, ctx?: ClassifyContext): ClassifyResult {
  const p: ParsedStatus = { basic: parsed.basic, enhanced: parsed.enhanced, text: parsed.text.toLowerCase() };
  const receiver = receiverOf(domainOf(ctx?.email ?? ''), p.text);
  if (isDeliveredByCode(p)) return result('delivered', null, 'delivered', 'delivered', receiver);

  const pol = ctx?.policies ? resolvePolicies(ctx.policies) : DEFAULT_POLICIES;
  const command = ctx?.command;
  const cls = classOf(p);

  const own = receiver ? RECEIVER_RULES.get(receiver) : undefined;
  if (own) {
    for (const rule of own) {
      if (ruleMatches(rule, p)) return decide(rule, p, receiver, pol, command, cls);
    }
  }
  for (const g of GENERIC_GROUPS) {
    const textMayMatch = g.gate === null || g.gate.test(p.text);
    for (const rule of g.rules) {
      if (rule.re && !textMayMatch) continue;
      if (ruleMatches(rule, p)) return decide(rule, p, receiver, pol, command, cls);
    }
  }
  if (isDeliveredByWord(p)) return result('delivered', null, 'delivered', 'delivered', receiver);
  if (cls === '4') return result('bounced', 'soft', 'temporary', 'fallback-4xx', receiver);
  return result('bounced', 'unclassified', 'unknown', 'fallback-unclassified', receiver);
}

/** The engine's own patterns (stage markers, status words), for the RE2 portability test. */
export const ENGINE_PATTERNS: readonly RegExp[] = [PRE_RCPT_RE, RCPT_RE, DATA_RE, DELIVERED_WORD_RE, FAILURE_WORD_RE];
