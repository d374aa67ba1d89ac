/**
 * Finer bounce reasons: kebab-case id → default bucket and a one-line description (rendered into the
 * reasons table in docs/classification.md). "Default bucket" because a policy (see policies.ts) may move a reason, e.g.
 * `mailbox-disabled` to `soft`.
 */
import type { Bucket } from './types.js';

export interface ReasonInfo {
  readonly bucket: Bucket | null;
  readonly description: string;
}

export const REASONS = {
  // invalid-address: the address does not exist and never will; suppressed.
  'user-unknown': { bucket: 'invalid-address', description: 'The mailbox does not exist at the receiving domain (e.g. 550 5.1.1 user unknown).' },
  'host-unknown': { bucket: 'invalid-address', description: 'The recipient domain does not exist or accepts no mail (no such domain, no MX/A record, null MX).' },
  'bad-syntax': { bucket: 'invalid-address', description: 'The recipient address is syntactically invalid (5.1.3).' },
  'has-moved': { bucket: 'invalid-address', description: 'The mailbox has moved and left no forwarding address (5.1.6, 551 user not local).' },
  'mailbox-disabled': { bucket: 'invalid-address', description: 'The account is disabled or inactive at the provider (policy --disabled-mailbox).' },
  // soft: temporary or recipient-side and retryable.
  'mailbox-full': { bucket: 'soft', description: 'The mailbox is over quota (policy --full-mailbox-5xx for permanent codes).' },
  'rate-limited': { bucket: 'soft', description: 'The receiver throttled the sender: too many messages, recipients or connections.' },
  greylisted: { bucket: 'soft', description: 'Greylisting: the receiver asks the sender to retry later.' },
  expired: { bucket: 'soft', description: 'The sender gave up after retrying for too long (queue lifetime exceeded, timeouts).' },
  'message-too-large': { bucket: 'soft', description: 'The message exceeds the receiver\'s size limit.' },
  'network-error': { bucket: 'soft', description: 'DNS or connection trouble on the way to the receiver (lookup failure, no route, hop count exceeded).' },
  'system-error': { bucket: 'soft', description: 'The receiving system failed internally (disk, mailer, local delivery agent).' },
  temporary: { bucket: 'soft', description: 'A temporary (4xx / 4.x.x) failure with no more specific reason.' },
  'user-unknown-temporary': { bucket: 'soft', description: '"User unknown" or "no such domain" given with a temporary 4xx code: retried, not suppressed.' },
  // blocked: the sender was refused, not the address.
  'spam-content': { bucket: 'blocked', description: 'The message was classified as spam or unsolicited bulk mail.' },
  reputation: { bucket: 'blocked', description: 'The sending IP or domain has a poor reputation or drew complaints.' },
  blocklisted: { bucket: 'blocked', description: 'The sending IP or domain is on a block list (Spamhaus, Barracuda, Microsoft S3150, …).' },
  authentication: { bucket: 'blocked', description: 'SPF, DKIM, DMARC or SMTP authentication failed or was missing.' },
  'reverse-dns': { bucket: 'blocked', description: 'The sending IP has no valid PTR (reverse DNS) record.' },
  'sender-rejected': { bucket: 'blocked', description: 'The envelope sender address or domain was refused (sender verification, unknown sender domain).' },
  'relay-denied': { bucket: 'blocked', description: 'The receiving server refused to relay for the sender.' },
  'tls-required': { bucket: 'blocked', description: 'The receiver or sender required TLS that the other side could not provide.' },
  'content-rejected': { bucket: 'blocked', description: 'The message format or content broke a rule (headers, encoding, attachments, RFC 5322).' },
  virus: { bucket: 'blocked', description: 'The message was found to carry a virus or malware.' },
  policy: { bucket: 'blocked', description: 'Refused by the receiver\'s local policy (access denied, not authorized, policy reasons).' },
  // unclassified: needs a human.
  'user-unknown-after-data': { bucket: 'unclassified', description: '"User unknown" refused after DATA, where content filters also answer so (policy --unknown-after-data).' },
  unknown: { bucket: 'unclassified', description: 'No rule recognised the reply; review it (bounce-audit explain).' },
  // not a bounce.
  delivered: { bucket: null, description: 'The message was delivered (2xx reply or a status word such as "delivered").' },
} as const satisfies Record<string, ReasonInfo>;

export type Reason = keyof typeof REASONS;
