/**
 * Readable names for the ids the audit reports in JSON: bounce reasons (`user-unknown`,
 * `postmark-hard-bounce`), rejected-row reasons (`missing-email`) and verdicts. The JSON report
 * keeps the ids; the human and Markdown reports show these names.
 */
import type { Status } from '../count/verdict.js';
import type { RejectReason } from '../audit.js';

/** The classifier's reasons (src/classify/reasons.ts) and the readers' own, in a few words. */
const REASON_NAMES: Record<string, string> = {
  'user-unknown': 'user unknown',
  'host-unknown': 'domain does not exist',
  'bad-syntax': 'malformed address',
  'has-moved': 'mailbox moved',
  'mailbox-disabled': 'mailbox disabled',
  'mailbox-full': 'mailbox full',
  'rate-limited': 'rate limited',
  greylisted: 'greylisted',
  expired: 'gave up retrying',
  'message-too-large': 'message too large',
  'network-error': 'DNS or network error',
  'system-error': 'receiver system error',
  temporary: 'temporary failure',
  'user-unknown-temporary': 'user unknown, temporary code',
  'spam-content': 'spam content',
  reputation: 'sender reputation',
  blocklisted: 'sender on a block list',
  authentication: 'SPF/DKIM/DMARC',
  'reverse-dns': 'no reverse DNS',
  'sender-rejected': 'sender refused',
  'relay-denied': 'relay denied',
  'tls-required': 'TLS required',
  'content-rejected': 'content refused',
  virus: 'virus',
  policy: 'receiver policy',
  'user-unknown-after-data': 'user unknown after DATA',
  unknown: 'unrecognised reply',
  delivered: 'delivered',
  'deferred-unresolved': 'still deferred when the log ends',
  'lead-bounced': 'lead marked bounced',
  'listed-bounce': 'listed as bounced, no reason',
};

/** Platform prefixes of the readers' hint reasons (`postmark-hard-bounce`). */
const PLATFORMS: Record<string, string> = {
  postmark: 'Postmark',
  ses: 'SES',
  brevo: 'Brevo',
  mailchimp: 'Mailchimp',
  hubspot: 'HubSpot',
  mailgun: 'Mailgun',
  sendgrid: 'SendGrid',
  klaviyo: 'Klaviyo',
};

/** `user-unknown` → "user unknown"; `postmark-hard-bounce` → "Postmark: hard bounce". */
export function reasonName(id: string): string {
  const known = REASON_NAMES[id];
  if (known !== undefined) return known;
  const dash = id.indexOf('-');
  const platform = dash > 0 ? PLATFORMS[id.slice(0, dash)] : undefined;
  if (platform !== undefined) return `${platform}: ${id.slice(dash + 1).replace(/-/g, ' ')}`;
  return id.replace(/-/g, ' ');
}

const REJECT_NAMES: Record<RejectReason, string> = {
  'wrong-field-count': 'wrong number of fields',
  'missing-email': 'no address',
  'invalid-email': 'not an address',
  'not-a-bounce': 'not a delivery outcome',
  'same-message': 'another event of a counted message',
  'invalid-json': 'not valid JSON',
  'unknown-record': 'a record of another shape',
};

export function rejectName(reason: RejectReason): string {
  return REJECT_NAMES[reason];
}

export const STATUS_LABEL: Record<Status, string> = {
  ok: 'OK',
  warn: 'WARN',
  fail: 'FAIL',
  'low-volume': 'LOW VOLUME',
  unknown: 'UNKNOWN SENT',
};

/** "1 bounce", "2 bounces": a count with its noun. */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;
}
