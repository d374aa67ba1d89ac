/**
 * Each distinct reply of a log is classified once. Logs repeat the same few hundred replies,
 * stamped with per-message details (recipients, queue ids, times, IPs): `classifyRow` keys its
 * verdicts by the reply with those details masked (stable-reply.ts), so a log of millions of rows
 * classifies a few hundred texts. Property tests hold the cached path to `classify` itself.
 *
 * Memory is bounded: the cache is cleared when it reaches CACHE_LIMIT entries.
 */
import type { ParsedStatus } from './types.js';
import { hasFailureCode, parseStatus } from './parse-status.js';
import { stableReply } from './stable-reply.js';
import { receiverOfDomain } from './receivers.js';
import { resolvePolicies, type Policies } from './policies.js';
import { classify, result, type ClassifyResult } from './engine.js';

/** When the cache reaches this many entries it is cleared (bounded memory). */
export const CACHE_LIMIT = 100_000;

/**
 * Per context (receiver of the recipient's domain, command, policies) and status: `stable` holds
 * verdicts by the masked reply (the key the verdict is for), and `exact` by raw texts that had
 * nothing to mask or came back word for word, so the most repeated replies ("250 2.0.0 OK", a
 * provider's fixed "user unknown" paragraph) are found without running the masking regex. No key
 * is built by concatenating the row's texts: hashing a fresh 200-character string per row cost
 * more than the classification it saved.
 */
interface StatusCache {
  stable: Map<string, ClassifyResult>;
  exact: Map<string, ClassifyResult>;
  /** By the reply with the recipient's address taken out (withoutRecipient), once it repeats. */
  byRecipient: Map<string, ClassifyResult>;
}
/**
 * Raw texts masking changed, seen once lately: a second sighting puts them in the `exact` map. A
 * reply that repeats word for word although it holds a maskable token (a fixed IP address, a
 * constant id) comes back long before SEEN_LIMIT unique texts pass.
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
 * Parse and classify one log row. The receiver found from the recipient's domain is the only part
 * of the address that can change the verdict, so 50k distinct domains of the same few providers
 * share cache entries. The returned object is shared between rows with the same key: read-only.
 */
export function classifyRow(
  status: string,
  diagnostic: string,
  email: string,
  opts?: { policies?: Partial<Policies>; command?: string },
): ClassifyResult {
  const domReceiver = receiverOfDomain(email);
  const command = opts?.command ?? '';
  const ctxKey = opts?.policies || command !== '' ? `${domReceiver ?? ''}\u0001${command}\u0001${policiesKey(opts?.policies)}` : (domReceiver ?? '');
  let c = cacheFor(ctxKey, status);
  const exact = c.exact.get(diagnostic);
  if (exact !== undefined) return exact;
  // Accepted with a per-message id ("250 2.0.0 OK 1725148800 d2si… - gsmtp") to a known provider's
  // domain: no text is read, so no masking is needed (see isPlainDelivered).
  if (domReceiver !== null && isPlainDelivered(status, diagnostic)) return deliveredTo(domReceiver);
  // The recipient's own address is the detail most replies carry ("Recipient ann@… not found"):
  // with it taken out, such a reply repeats word for word and is found without masking.
  const key = withoutRecipient(diagnostic, email);
  if (key !== null) {
    const hit = c.byRecipient.get(key);
    if (hit !== undefined) return hit;
  }
  // Per-message details (addresses, ids, times) are dropped so repeated replies share one entry.
  const masked = stableReply(diagnostic);
  let r = c.stable.get(masked);
  if (r === undefined) {
    const parsed = parseStatus(status, masked);
    r = classify(parsed, { email, ...(opts?.policies ? { policies: opts.policies } : {}), ...(command ? { command } : {}) });
    decidedCodes.set(r, parsed);
    if (cacheSize >= CACHE_LIMIT) clearClassifyCache();
    c = cacheFor(ctxKey, status);
    c.stable.set(masked, r);
    cacheSize++;
  }
  if (masked === diagnostic) c.exact.set(diagnostic, r);
  else {
    const seenKey = key ?? diagnostic;
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
 * Addresses that masking (stable-reply.ts) replaces as one candidate: a letter or digit at both
 * ends, nothing but letters, digits and `._+-` before the `@`, a dotted domain.
 */
const PLAIN_ADDRESS = /^[a-z0-9](?:[a-z0-9._+-]*[a-z0-9])?@[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)+$/;

/** A character no masked candidate can run through into the address: not a word character or `.+-:@`. */
function separates(code: number): boolean {
  const isWord = (code >= 0x30 && code <= 0x39) || (code >= 0x41 && code <= 0x5a) || (code >= 0x61 && code <= 0x7a) || code === 0x5f;
  return !isWord && code !== 0x2e && code !== 0x2b && code !== 0x2d && code !== 0x3a && code !== 0x40;
}

/**
 * The reply with each copy of the recipient's address taken out, or null when it holds none or
 * a copy touches something masking could join to it ("12:34ann@…", two copies in a row). Two
 * replies whose results are equal mask to the same text (a property test checks it on generated
 * replies and addresses), so they earn the same verdict.
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

export const BARE_SUCCESS_RE = /^\s*(?:2\d\d|2\.\d{1,3}\.\d{1,3})\s*$/;

/**
 * A status column holding one 2xx code and a reply with no 4xx/5xx code: classify() returns
 * "delivered" for it before reading any text (isDeliveredByCode), so the verdict is known
 * without parsing or masking. Only the receiver could still come from the text, which is why
 * classifyRow takes this path only when the recipient's domain already names the receiver.
 */
function isPlainDelivered(status: string, text: string): boolean {
  return BARE_SUCCESS_RE.test(status) && !hasFailureCode(text) && !hasFailureCode(status);
}

const deliveredByReceiver = new Map<string, ClassifyResult>();
function deliveredTo(receiver: string): ClassifyResult {
  let r = deliveredByReceiver.get(receiver);
  if (r === undefined) deliveredByReceiver.set(receiver, (r = result('delivered', null, 'delivered', 'delivered', receiver)));
  return r;
}

function cacheFor(ctxKey: string, status: string): StatusCache {
  let byStatus = contexts.get(ctxKey);
  if (byStatus === undefined) contexts.set(ctxKey, (byStatus = new Map()));
  let c = byStatus.get(status);
  if (c === undefined) byStatus.set(status, (c = { stable: new Map(), exact: new Map(), byRecipient: new Map() }));
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

/** Empty the cache (tests, long-running processes). */
export function clearClassifyCache(): void {
  contexts.clear();
  seen.clear();
  cacheSize = 0;
}

/** Current number of cached distinct replies (for diagnostics and tests). */
export function classifyCacheSize(): number {
  return cacheSize;
}
