/**
 * Receiver detection: which mailbox provider or filtering gateway wrote a reply. Receivers reuse codes
 * against their registered meaning (Microsoft 5.1.10 and 5.4.1, Yandex 5.7.1 "No such user!", GMX with no
 * enhanced code), so receiver rules run before generic ones.
 *
 * Two sources, in this order:
 * 1. the recipient domain (consumer domains whose MX is known: gmail.com → google, …); a map lookup;
 * 2. markers the receiver leaves in its reply text (Google's "- gsmtp" suffix, Microsoft's
 *    "protection.outlook.com" host names and "RESOLVER.ADR" component ids, Yahoo's "yahoodns.net" MTAs,
 *    gateway names such as mimecast, pphosted, iphmx …). This catches custom domains hosted at a provider.
 */

import { caseOf, coalesce, extract, lookup, lower, replace, str, test, NULL, type Expr } from './program.js';

/** Exact consumer domains → receiver id. Sources: each provider's own help pages on its addresses. */
export const RECEIVER_DOMAINS: ReadonlyMap<string, string> = new Map<string, string>([
  ['gmail.com', 'google'],
  ['googlemail.com', 'google'],
  ['googlegroups.com', 'google-groups'],
  ['outlook.com', 'microsoft'],
  ['msn.com', 'microsoft'],
  ['passport.com', 'microsoft'],
  ['ymail.com', 'yahoo'],
  ['rocketmail.com', 'yahoo'],
  ['aol.com', 'yahoo'],
  ['aim.com', 'yahoo'],
  ['verizon.net', 'yahoo'],
  ['icloud.com', 'apple'],
  ['me.com', 'apple'],
  ['mac.com', 'apple'],
  ['privaterelay.appleid.com', 'apple'],
  ['web.de', 'united-internet'],
  ['mail.com', 'united-internet'],
  ['email.com', 'united-internet'],
  ['ya.ru', 'yandex'],
  ['narod.ru', 'yandex'],
  ['mail.ru', 'mailru'],
  ['bk.ru', 'mailru'],
  ['inbox.ru', 'mailru'],
  ['list.ru', 'mailru'],
  ['internet.ru', 'mailru'],
  ['zoho.com', 'zoho'],
  ['zohomail.com', 'zoho'],
  ['fastmail.com', 'fastmail'],
  ['fastmail.fm', 'fastmail'],
  ['orange.fr', 'orange'],
  ['wanadoo.fr', 'orange'],
  ['laposte.net', 'laposte'],
  ['free.fr', 'free'],
  ['qq.com', 'qq'],
  ['comcast.net', 'comcast'],
  ['att.net', 'att'],
  ['sbcglobal.net', 'att'],
  ['bellsouth.net', 'att'],
  ['cox.net', 'cox'],
  ['charter.net', 'charter'],
  ['spectrum.net', 'charter'],
  ['vtext.com', 'verizon-wireless'],
  ['vzwpix.com', 'verizon-wireless'],
  ['docomo.ne.jp', 'docomo'],
  ['ezweb.ne.jp', 'kddi'],
  ['au.com', 'kddi'],
  ['t-online.de', 't-online'],
  ['proton.me', 'proton'],
  ['protonmail.com', 'proton'],
]);

/**
 * Provider families registered under many country TLDs (hotmail.co.uk, yahoo.fr, gmx.at, yandex.com.tr …):
 * matched on the first label of the registrable domain.
 */
export const RECEIVER_FAMILIES: ReadonlyMap<string, string> = new Map<string, string>([
  ['hotmail', 'microsoft'],
  ['live', 'microsoft'],
  ['outlook', 'microsoft'],
  ['windowslive', 'microsoft'],
  ['yahoo', 'yahoo'],
  ['gmx', 'united-internet'],
  ['yandex', 'yandex'],
]);

/** The public suffix after a family's first label: "fr", "co.uk", "com.tw", "info". */
const SUFFIX = String.raw`(?:[a-z]{2,3}|info)(?:\.[a-z]{2,3})?`;
const SUFFIX_RE = new RegExp(`^${SUFFIX}$`);

/**
 * Markers in the reply text → receiver. Order matters only where two could match the same text; gateways
 * come first because a gateway in front of a mailbox provider writes the reply itself.
 * Sources: host names and component ids visible in the providers' published replies.
 */
export const TEXT_MARKERS: ReadonlyArray<readonly [RegExp, string]> = [
  [/mimecast/, 'mimecast'],
  [/pphosted\.com|proofpoint/, 'proofpoint'],
  [/barracuda|cuda_nsu|\bcudamail/, 'barracuda'],
  [/messagelabs|symantec\.cloud/, 'messagelabs'],
  [/iphmx\.com|ironport/, 'cisco'],
  [/trendmicro|tmes\.trendmicro|in\.tmes\./, 'trendmicro'],
  [/\bgsmtp\b|gmail-smtp-in|aspmx\.l\.google\.com|googlemail\.com\b/, 'google'],
  [
    /protection\.outlook\.com|\.prod\.outlook\.com|exchangelabs\.com|\bresolver\.(?:adr|rst)\b|\bstoredrv\b|postmaster\.live\.com|sender\.office\.com|mx\d?\.hotmail\.com/,
    'microsoft',
  ],
  [/yahoodns\.net|\.mail\.yahoo\.com|yahooinc\.com|postmaster\.verizonmedia\.com|senders\.yahooinc/, 'yahoo'],
  [/\bmail\.icloud\.com|\.me\.com\b|support\.apple\.com|privaterelay\.appleid\.com/, 'apple'],
  [/\bmxgmx|gmx\.(?:net|de|com)\b|\bweb\.de\b|postmaster\.1and1|\bionos\b|kundenserver\.de|mail\.com \(mx/, 'united-internet'],
  [/yandex/, 'yandex'],
  [/\bmxs\.mail\.ru|help\.mail\.ru|\bmail\.ru\b/, 'mailru'],
  [/\bzoho(?:mail)?\.com|\bzoho\b/, 'zoho'],
  [/messagingengine\.com|fastmail/, 'fastmail'],
  [/orange\.fr|wanadoo\.fr|\bofr\d*_\d+|\bmwinf/, 'orange'],
  [/\bqq\.com\b/, 'qq'],
  [/comcast\.net/, 'comcast'],
];

/** Domain part of an address (or the input itself when it has no '@'), lower-cased and trimmed. */
export function domainOf(emailOrDomain: string): string {
  if (typeof emailOrDomain !== 'string' || emailOrDomain === '') return '';
  const at = emailOrDomain.lastIndexOf('@');
  const d = at >= 0 ? emailOrDomain.slice(at + 1) : emailOrDomain;
  let out = d.trim().toLowerCase();
  // Trailing '>' (from "<a@b.com>") or root dot: rare, so test the last character before any regex work.
  const lastChar = out.charCodeAt(out.length - 1);
  if (lastChar === 0x3e /* > */ || lastChar === 0x2e /* . */) out = out.replace(/[>.\s]+$/, '');
  return out;
}

/**
 * Receiver from the recipient address or domain alone; null when the domain is not a known
 * consumer domain.
 */
export function receiverOfDomain(domain: string): string | null {
  const d = domainOf(domain);
  if (!d) return null;
  const exact = RECEIVER_DOMAINS.get(d);
  if (exact) return exact;
  // hotmail.co.uk / yahoo.com.tw / gmx.at: first label is the family and the rest is a public suffix such
  // as "fr" or "co.uk"; "live.example.com" is somebody's own domain and is not matched. The family
  // is looked up before the suffix is tested: most domains belong to no family.
  const dot = d.indexOf('.');
  if (dot > 0) {
    const fam = RECEIVER_FAMILIES.get(d.slice(0, dot));
    if (fam && SUFFIX_RE.test(d.slice(dot + 1))) return fam;
  }
  return null;
}
/** Receiver from markers in the (lower-cased) reply text; null when none is present. */
export function receiverOfText(text: string): string | null {
  if (typeof text !== 'string' || text === '') return null;
  for (const [re, id] of TEXT_MARKERS) if (re.test(text)) return id;
  return null;
}

/**
 * Receiver id (`google`, `microsoft`, `yahoo`, `apple`, `united-internet`, `yandex`, `mailru`, `zoho`,
 * `fastmail`, `orange`, `mimecast`, `proofpoint`, `barracuda`, `messagelabs`, `cisco`, `trendmicro`, …) or
 * null. The domain wins over text markers: a Gmail recipient's reply is Google's even when it quotes a
 * Microsoft host name.
 */
export function receiverOf(domain: string, text: string): string | null {
  return receiverOfDomain(domain) ?? receiverOfText(typeof text === 'string' ? text.toLowerCase() : '');
}

// --- the same detection as decision-program expressions (classify/program.ts) ------------------

/**
 * domainOf as an expression: the text after the last '@' (or all of it), trimmed, lower-cased, without
 * trailing '>', '.' or spaces.
 */
export function domainOfExpr(emailOrDomain: Expr): Expr {
  const afterAt = caseOf([[test(emailOrDomain, /@/), coalesce(extract(emailOrDomain, /@([^@]+)$/), str(''))]], emailOrDomain);
  return replace(lower(replace(afterAt, /^\s+|\s+$/, '')), /[>.\s]+$/, '');
}

/** receiverOfDomain as an expression over a domain as domainOfExpr gives it. */
export function receiverOfDomainExpr(domain: Expr): Expr {
  return coalesce(
    lookup(domain, [...RECEIVER_DOMAINS]),
    caseOf([[test(domain, new RegExp(`^[^.]+\\.${SUFFIX}$`)), lookup(coalesce(extract(domain, /^([^.]+)\./), str('')), [...RECEIVER_FAMILIES])]], NULL),
  );
}

/** receiverOfText as an expression over a lower-cased reply text. */
export function receiverOfTextExpr(text: Expr): Expr {
  return caseOf(
    TEXT_MARKERS.map(([re, id]) => [test(text, re), str(id)] as const),
    NULL,
  );
}
