/**
 * The platforms' own words for what happened to a message, as platform hints (src/input/row.ts):
 * what each platform documents as its bounce types, categories and event names. The CSV and JSON
 * readers of a platform share its table here. A hint counts only when the reply text does not
 * decide (src/classify/platform-hint.ts).
 */
import type { HintKind, PlatformHint } from './row.js';

export const hint = (kind: HintKind, reason: string): PlatformHint => ({ kind, reason });

/** `HardBounce` → `hard-bounce`, `UNKNOWN_USER` → `unknown-user`: a platform word as a reason id. */
export const kebab = (s: string): string =>
  s
    .replace(/([a-z])([A-Z])/g, '$1-$2')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');

/** A platform word reduced for lookups: `Hard bounce`, `hard_bounce` and `HARD-BOUNCE` are `hardbounce`. */
export const wordKey = (s: string): string => s.toLowerCase().replace(/[^a-z0-9]+/g, '');

// ---------------------------------------------------------------- Amazon SES
/** SES bounceType/bounceSubType → hint (SES developer guide, "Bounce types"). */
export function sesHint(bounceType: string, subType: string): PlatformHint {
  const t = bounceType.trim().toLowerCase();
  const s = subType.trim().toLowerCase();
  const reason = `ses-${t || 'undetermined'}${s ? `-${s}` : ''}`;
  if (t === 'permanent') {
    // NoEmail: the receiver said the address does not exist. Suppressed: SES's global list of
    // addresses with a recent history of bouncing as invalid. OnAccountSuppressionList may hold
    // complainers too, so it is only "hard".
    if (s === 'noemail' || s === 'suppressed') return hint('invalid-address', reason);
    if (s === 'contentrejected' || s === 'attachmentrejected') return hint('blocked', reason);
    return hint('hard', reason);
  }
  if (t === 'transient') {
    if (s === 'contentrejected' || s === 'attachmentrejected') return hint('blocked', reason);
    return hint('soft', reason);
  }
  return hint('bounced', reason);
}

// ---------------------------------------------------------------- Postmark
/** Postmark bounce `Type` → hint (Postmark API "Bounce types"). `null` = not a delivery bounce. */
export const POSTMARK_TYPES: Record<string, HintKind | null> = {
  hardbounce: 'hard',
  bademailaddress: 'invalid-address',
  transient: 'soft',
  softbounce: 'soft',
  dnserror: 'soft',
  blocked: 'blocked',
  spamnotification: 'blocked',
  dmarcpolicy: 'blocked',
  virusnotification: 'blocked',
  unknown: 'bounced',
  // Not delivery outcomes: the recipient's or the account's own actions, or send-side errors.
  // An auto-reply means the message arrived, but counting it as "delivered" would make a
  // bounces-only export look like a full send log (sent = rows): it is skipped instead.
  autoresponder: null,
  unsubscribe: null,
  subscribe: null,
  addresschange: null,
  challengeverification: null,
  openrelaytest: null,
  spamcomplaint: null,
  manuallydeactivated: null,
  unconfirmed: null,
  smtpapierror: null,
  inbounderror: null,
  templaterenderingfailed: null,
};

// ---------------------------------------------------------------- SendGrid
/**
 * A SendGrid bounce event's `type` (bounce or blocked) and `bounce_classification` (SendGrid
 * docs, "Bounce classifications") → hint. "Invalid Address" is SendGrid saying the mailbox does
 * not exist; Content and Reputation refused the sender; Technical, Frequency and Mailbox
 * Unavailable say nothing about the address existing.
 */
export function sendgridBounceHint(type: string, classification: string): PlatformHint {
  const c = wordKey(classification);
  const reason = `sendgrid-${c ? kebab(classification) : type.trim() ? kebab(type) : 'bounce'}`;
  if (c === 'invalidaddress') return hint('invalid-address', reason);
  if (c === 'content' || c === 'reputation') return hint('blocked', reason);
  if (c === 'frequencyorvolumetoohigh' || c === 'technical') return hint('soft', reason);
  if (wordKey(type) === 'blocked') return hint('blocked', reason);
  return hint('hard', reason);
}

/** SendGrid's message id without the per-event filter suffix (`<id>.filter…`), so every event of a message shares it. */
export function sendgridMessageId(id: string): string {
  const dot = id.indexOf('.filter');
  return dot > 0 ? id.slice(0, dot) : id;
}

/** What a SendGrid event name says about the message (Event Webhook and Email Activity names). */
export type SendgridEventKind = 'sent' | 'delivered' | 'deferred' | 'bounced' | 'not-sent' | 'other';
export const SENDGRID_EVENTS: Record<string, SendgridEventKind> = {
  processed: 'sent',
  delivered: 'delivered',
  deferred: 'deferred',
  bounce: 'bounced',
  bounced: 'bounced',
  blocked: 'bounced',
  block: 'bounced',
  dropped: 'not-sent',
  drop: 'not-sent',
  open: 'other',
  opened: 'other',
  click: 'other',
  clicked: 'other',
  spamreport: 'other',
  spam: 'other',
  unsubscribe: 'other',
  unsubscribed: 'other',
  groupunsubscribe: 'other',
  groupresubscribe: 'other',
};

// ---------------------------------------------------------------- HubSpot
/**
 * HubSpot's documented bounce categories (Email Events API, "Bounce categories"; also the words of
 * the recipients and unsubscribes-and-bounces exports) → hint. UNKNOWN_USER is the receiver saying
 * the address does not exist; DNS_FAILURE is documented as the recipient's DNS being misconfigured
 * at the time of sending, so it is retried, not suppressed; MAILBOX_MISCONFIGURATION is a
 * permanent failure of the mailbox whose cause is not stated.
 */
export const HUBSPOT_CATEGORIES: Record<string, HintKind> = {
  unknownuser: 'invalid-address',
  mailboxfull: 'soft',
  content: 'blocked',
  spam: 'blocked',
  policy: 'blocked',
  greylisting: 'soft',
  mailboxmisconfiguration: 'hard',
  ispmisconfiguration: 'soft',
  domainreputation: 'blocked',
  ipreputation: 'blocked',
  dmarc: 'blocked',
  sendingdomainmisconfiguration: 'blocked',
  timeout: 'soft',
  throttled: 'soft',
  dnsfailure: 'soft',
  temporaryproblem: 'soft',
  filtered: 'blocked',
  uncategorized: 'bounced',
  hubspotglobalbounce: 'hard',
};

/** A HubSpot category word as a hint (`UNKNOWN_USER`, `Unknown user`), or null when the value is not one. */
export function hubspotCategoryHint(value: string): PlatformHint | null {
  const v = value.trim();
  if (v === '' || v.length > 40) return null;
  const kind = HUBSPOT_CATEGORIES[wordKey(v)];
  return kind === undefined ? null : hint(kind, `hubspot-${kebab(v.toLowerCase())}`);
}

// ---------------------------------------------------------------- Brevo (Sendinblue)
/**
 * Brevo's event names (email event logs `event`, and the older Sendinblue logs export's `st_text`)
 * → what the event says about the message. Names as Brevo documents them for its webhooks and
 * event exports: requests/sent, delivered, hard and soft bounces, blocked, invalid email,
 * deferred, error, and the engagement events.
 */
export type BrevoEventKind = 'sent' | 'delivered' | 'deferred' | 'not-sent' | 'other' | HintKind;
export const BREVO_EVENTS: Record<string, BrevoEventKind> = {
  request: 'sent',
  requests: 'sent',
  sent: 'sent',
  delivered: 'delivered',
  hardbounce: 'hard',
  hardbounces: 'hard',
  hardbounced: 'hard',
  softbounce: 'soft',
  softbounces: 'soft',
  softbounced: 'soft',
  deferred: 'deferred',
  blocked: 'blocked',
  invalidemail: 'invalid-address',
  invalid: 'invalid-address',
  error: 'not-sent',
  opened: 'other',
  open: 'other',
  opens: 'other',
  firstopening: 'other',
  uniqueopened: 'other',
  loadedbyproxy: 'other',
  proxyopen: 'other',
  clicks: 'other',
  clicked: 'other',
  click: 'other',
  unsubscribed: 'other',
  unsubscribe: 'other',
  spam: 'other',
  complaint: 'other',
  listaddition: 'other',
};

/**
 * A Brevo event name as written by any of its exports: the exact names above, or a longer label
 * that contains one ("Hard bounced", "Message delivered", "Email opened"); 'other' when nothing
 * in it names a delivery outcome.
 */
export function brevoEventKind(word: string): BrevoEventKind {
  const w = wordKey(word);
  const exact = BREVO_EVENTS[w];
  if (exact !== undefined) return exact;
  if (w.includes('hardbounce')) return 'hard';
  if (w.includes('softbounce')) return 'soft';
  if (w.includes('invalid')) return 'invalid-address';
  if (w.includes('blocked')) return 'blocked';
  if (w.includes('defer')) return 'deferred';
  if (/open|click|unsub|spam|complain|proxy/.test(w)) return 'other';
  if (w.includes('delivered')) return 'delivered';
  if (w.includes('error')) return 'not-sent';
  if (/sent|request/.test(w)) return 'sent';
  return 'other';
}

// ---------------------------------------------------------------- Klaviyo
/**
 * Klaviyo's suppression reasons (API `EmailMarketingSuppression.reason`: HARD_BOUNCE,
 * INVALID_EMAIL, SPAM_COMPLAINT, UNSUBSCRIBE, USER_SUPPRESSED; the app's words for them) → hint,
 * or null for a suppression that is not a bounce. Klaviyo also suppresses after repeated soft
 * bounces under "hard bounce", so a hard bounce does not prove the address is gone.
 */
export const KLAVIYO_REASONS: Record<string, HintKind | null> = {
  hardbounce: 'hard',
  hardbounced: 'hard',
  bounced: 'hard',
  softbounce: 'soft',
  softbounced: 'soft',
  invalidemail: 'invalid-address',
  invalid: 'invalid-address',
  spamcomplaint: null,
  markedasspam: null,
  unsubscribe: null,
  unsubscribed: null,
  usersuppressed: null,
  manuallysuppressed: null,
  manual: null,
  suppressed: null,
};
