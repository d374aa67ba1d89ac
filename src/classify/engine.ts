/**
 * Classifier: turns a parsed status reply into outcome, bucket, reason and the id of the deciding rule.
 * The knowledge lives in data (src/codes/rules.ts, receivers.ts, policies.ts); this file is the engine.
 *
 * Hot path (millions of rows): `classifyRow` caches by the distinct (status, diagnostic, receiver-of-domain,
 * command, policies) key, so a log with a few hundred distinct replies classifies each reply once. The cache
 * is cleared when it reaches CACHE_LIMIT entries, keeping memory bounded on logs of all-distinct texts.
 * Inside `classify`, cheap checks (receiver, codes) run before any regex, and every regex is compiled once
 * at module load.
 */
import type { Bucket, Classification, ParsedStatus } from './types.js';
import { parseStatus } from './parse-status.js';
import { stableReply } from './stable-reply.js';
import { domainOf, receiverOf, receiverOfDomain, receiverOfText } from './receivers.js';
import { RULES, type EngineRuleId, type Rule } from './rules.js';
import { DEFAULT_POLICIES, resolvePolicies, type Policies } from './policies.js';
import type { Reason } from './reasons.js';

export { receiverOf } from './receivers.js';
export { REASONS, type Reason } from './reasons.js';
export { DEFAULT_POLICIES, POLICY_DOCS, type Policies } from './policies.js';

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

/** When the cache of classifyRow reaches this many entries it is cleared (bounded memory). */
export const CACHE_LIMIT = 100_000;

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

const DELIVERED_WORD_RE = /^(?:delivered|sent|success|successful|succeeded|ok|accepted|relayed)(?=$|[\s;:,.])/;
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

function result(
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

function decide(rule: Rule, p: ParsedStatus, receiver: string | null, pol: Policies, command: string | undefined, cls: string | null): ClassifyResult | null {
  if (rule.address) {
    // The stage matters only for address rules: read it lazily (three regex scans saved on most rows).
    const stage = stageOf(command, p.text);
    // Guard 1 (RFC 5321 §3.3): nothing said before RCPT TO can be about the recipient.
    if (stage === 'pre-rcpt') return result('bounced', 'blocked', 'sender-rejected', rule.id, receiver, 'guard-pre-rcpt');
    // Guard 2 (RFC 3463 §3.1): a 4.x.x / 4xx "does not exist" is transient; retry, never suppress.
    if (cls === '4') {
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
 * Classify a parsed reply. Rule order and guards are documented in src/codes/rules.ts.
 * Never throws; deterministic for equal inputs.
 */
export function classify(parsed: ParsedStatus, ctx?: ClassifyContext): ClassifyResult {
  try {
    const p: ParsedStatus = {
      basic: typeof parsed?.basic === 'string' ? parsed.basic : null,
      enhanced: typeof parsed?.enhanced === 'string' ? parsed.enhanced : null,
      text: typeof parsed?.text === 'string' ? parsed.text.toLowerCase() : '',
    };
    const receiver = receiverOf(domainOf(ctx?.email ?? ''), p.text);
    if (isDeliveredByCode(p)) return result('delivered', null, 'delivered', 'delivered', receiver);

    const pol = ctx?.policies ? resolvePolicies(ctx.policies) : DEFAULT_POLICIES;
    const command = ctx?.command;
    const cls = classOf(p);

    const own = receiver ? RECEIVER_RULES.get(receiver) : undefined;
    if (own) {
      for (const rule of own) {
        if (ruleMatches(rule, p)) {
          const r = decide(rule, p, receiver, pol, command, cls);
          if (r) return r;
        }
      }
    }
    for (const g of GENERIC_GROUPS) {
      const textMayMatch = g.gate === null || g.gate.test(p.text);
      for (const rule of g.rules) {
        if (rule.re && !textMayMatch) continue;
        if (ruleMatches(rule, p)) {
          const r = decide(rule, p, receiver, pol, command, cls);
          if (r) return r;
        }
      }
    }
    if (isDeliveredByWord(p)) return result('delivered', null, 'delivered', 'delivered', receiver);
    if (cls === '4') return result('bounced', 'soft', 'temporary', 'fallback-4xx', receiver);
    return result('bounced', 'unclassified', 'unknown', 'fallback-unclassified', receiver);
  } catch {
    return result('bounced', 'unclassified', 'unknown', 'fallback-unclassified', null);
  }
}

/**
 * Cache of classifyRow. Context (receiver of the domain, command, policies) → status → texts. Each status
 * holds two maps: `stable` by the reply with per-message details masked (the key the verdict is for), and
 * `exact` by raw texts that had nothing to mask or came back word for word, so the most repeated replies
 * ("250 2.0.0 OK", a provider's fixed "user unknown" paragraph) are found without running the masking
 * regex at all. No key is built by
 * concatenating the row's texts: hashing a fresh 200-character cons string per row cost more than the
 * classification it saved.
 */
interface StatusCache {
  stable: Map<string, ClassifyResult>;
  exact: Map<string, ClassifyResult>;
  /** By the reply with the recipient's address taken out (withoutRecipient), once it repeats. */
  byRecipient: Map<string, ClassifyResult>;
}
/**
 * Raw texts masking changed, seen once lately (any context or status): a second sighting puts
 * them in the `exact` map of the status they came back with. A reply that repeats word for word
 * although it holds a maskable token (a fixed IP address, a constant id: the bench log's Gmail
 * NoSuchUser paragraph ends in one) comes back long before SEEN_LIMIT unique texts pass. One
 * set for all statuses: one per status held ~20 MB more at peak on the bench log.
 */
const seen = new Set<string>();
const SEEN_LIMIT = 1024;
const contexts = new Map<string, Map<string, StatusCache>>();
let cacheSize = 0;
const policyKeys = new WeakMap<object, string>();
/** Codes the cached verdict was decided on, for callers that also need them (the suppression list). */
const decidedCodes = new WeakMap<ClassifyResult, ParsedStatus>();

function policiesKey(p: Partial<Policies> | undefined): string {
  if (!p) return '';
  let k = policyKeys.get(p);
  if (k === undefined) {
    const r = resolvePolicies(p);
    k = `${r.disabledMailbox}|${r.recipientAccessDenied}|${r.icloudInactive}|${r.userUnknownAfterData}|${r.mailboxFull5xx}`;
    policyKeys.set(p, k);
  }
  return k;
}

/**
 * Parse and classify one log row. Results are cached by (status, diagnostic, receiver of the recipient
 * domain, command, policies): the receiver found from the domain is the only part of the address that can
 * change the verdict, so 50k distinct domains of the same few providers share cache entries.
 * The returned object is shared between rows with the same key: treat it as read-only.
 */
export function classifyRow(
  status: string,
  diagnostic: string,
  email: string,
  opts?: { policies?: Partial<Policies>; command?: string },
): ClassifyResult {
  const st = typeof status === 'string' ? status : '';
  const raw = typeof diagnostic === 'string' ? diagnostic : '';
  const domReceiver = receiverOfDomain(typeof email === 'string' ? email : '');
  const command = opts?.command ?? '';
  const ctxKey = opts?.policies || command !== '' ? `${domReceiver ?? ''}\u0001${command}\u0001${policiesKey(opts?.policies)}` : (domReceiver ?? '');
  let c = cacheFor(ctxKey, st);
  const exact = c.exact.get(raw);
  if (exact !== undefined) return exact;
  // Accepted with a per-message id ("250 2.0.0 OK 1725148800 d2si… - gsmtp") to a known provider's
  // domain: no text is read, so no masking is needed (see isPlainDelivered).
  if (domReceiver !== null && isPlainDelivered(st, raw)) return deliveredTo(domReceiver);
  // The recipient's own address is the detail most replies carry ("Recipient ann@… not found"):
  // with it taken out, such a reply repeats word for word and is found without masking.
  const key = typeof email === 'string' ? withoutRecipient(raw, email) : null;
  if (key !== null) {
    const hit = c.byRecipient.get(key);
    if (hit !== undefined) return hit;
  }
  // Per-message details (addresses, ids, times) are dropped so repeated replies share one entry.
  const dg = stableReply(raw);
  let r = c.stable.get(dg);
  if (r === undefined) {
    const parsed = parseStatus(st, dg);
    r = classify(parsed, {
      email: typeof email === 'string' ? email : '',
      ...(opts?.policies ? { policies: opts.policies } : {}),
      ...(opts?.command ? { command: opts.command } : {}),
    });
    decidedCodes.set(r, parsed);
    if (cacheSize >= CACHE_LIMIT) clearClassifyCache();
    c = cacheFor(ctxKey, st);
    c.stable.set(dg, r);
    cacheSize++;
  }
  // Raw texts that masking left alone, and masked ones that came back word for word, are
  // found in `exact` next time: no masking regex for a reply that repeats.
  if (dg === raw) c.exact.set(raw, r);
  else {
    const seenKey = key ?? raw;
    if (seen.has(seenKey)) {
      seen.delete(seenKey);
      if (cacheSize >= CACHE_LIMIT) return r;
      (key !== null ? c.byRecipient : c.exact).set(seenKey, r);
      cacheSize++;
    } else {
      if (seen.size >= SEEN_LIMIT) seen.clear();
      seen.add(seenKey);
    }
  }
  return r;
}

/**
 * Addresses that masking (src/codes/stable-reply.ts) replaces as one token: a letter or digit
 * at both ends, nothing but letters, digits and `._+-` before the `@`, a dotted domain.
 */
const PLAIN_ADDRESS = /^[a-z0-9](?:[a-z0-9._+-]*[a-z0-9])?@[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)+$/;

/** A character no masked token can run through into the address: not a word character or `.+-:@`. */
function separates(code: number): boolean {
  const isWord = (code >= 0x30 && code <= 0x39) || (code >= 0x41 && code <= 0x5a) || (code >= 0x61 && code <= 0x7a) || code === 0x5f;
  return !isWord && code !== 0x2e && code !== 0x2b && code !== 0x2d && code !== 0x3a && code !== 0x40;
}

/**
 * The reply with each copy of the recipient's address taken out, or null when it holds none or
 * a copy touches something masking could join to it ("12:34ann@…", two copies in a row). Two
 * replies whose results are equal mask to the same text (a property test checks it on
 * generated replies and addresses), so they earn the same verdict.
 */
export function withoutRecipient(text: string, email: string): string | null {
  if (email.length < 5) return null;
  let at = text.indexOf(email);
  if (at < 0 || !PLAIN_ADDRESS.test(email)) return null;
  while (at >= 0) {
    const end = at + email.length;
    if ((at > 0 && !separates(text.charCodeAt(at - 1))) || (end < text.length && !separates(text.charCodeAt(end)))) return null;
    at = text.indexOf(email, end);
  }
  return text.replaceAll(email, '\u0000');
}

// What parse-status.ts accepts as a 4xx/5xx basic or enhanced code, anywhere in a text (the same
// lookarounds, restricted to classes 4 and 5): when neither occurs, every code found is 2xx.
const FAILURE_BASIC_RE = /(?<![\w./#=+\-])(?<![\d\]]:)[45]\d\d(?![\w.:/]|-\d{2}(?!\d)|,\d)/;
const FAILURE_ENHANCED_RE = /(?<![\w./])[45]\.\d{1,3}\.\d{1,3}(?!\w|\.\d)/;
const BARE_SUCCESS_RE = /^\s*(?:2\d\d|2\.\d{1,3}\.\d{1,3})\s*$/;

/**
 * A status column holding one 2xx code and a reply with no 4xx/5xx code: classify() returns
 * "delivered" for it before reading any text (isDeliveredByCode), so the verdict is known
 * without parsing or masking. Only the receiver could still come from the text, which is why
 * classifyRow takes this path only when the recipient's domain already names the receiver.
 */
function isPlainDelivered(status: string, text: string): boolean {
  return BARE_SUCCESS_RE.test(status) && !FAILURE_BASIC_RE.test(text) && !FAILURE_ENHANCED_RE.test(text) && !FAILURE_BASIC_RE.test(status);
}

const deliveredByReceiver = new Map<string, ClassifyResult>();
function deliveredTo(receiver: string): ClassifyResult {
  let r = deliveredByReceiver.get(receiver);
  if (r === undefined) deliveredByReceiver.set(receiver, (r = result('delivered', null, 'delivered', 'delivered', receiver)));
  return r;
}

function cacheFor(ctxKey: string, st: string): StatusCache {
  let byStatus = contexts.get(ctxKey);
  if (byStatus === undefined) contexts.set(ctxKey, (byStatus = new Map()));
  let c = byStatus.get(st);
  if (c === undefined) byStatus.set(st, (c = { stable: new Map(), exact: new Map(), byRecipient: new Map() }));
  return c;
}

/**
 * The basic and enhanced codes a classifyRow verdict was decided on (parsed from the reply with
 * per-message details masked, which never touches a code), or null for a result classifyRow did
 * not produce.
 */
export function decidedCodesOf(r: ClassifyResult): { basic: string | null; enhanced: string | null } | null {
  return decidedCodes.get(r) ?? null;
}

/** Empty the classifyRow cache (tests, long-running processes). */
export function clearClassifyCache(): void {
  contexts.clear();
  seen.clear();
  cacheSize = 0;
}

/** Current number of cached distinct replies (for diagnostics and tests). */
export function classifyCacheSize(): number {
  return cacheSize;
}

// Re-exported for callers that want to reproduce classifyRow's receiver logic.
export { receiverOfDomain, receiverOfText };
