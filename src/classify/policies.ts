/**
 * Policies for the genuinely ambiguous replies. Plain data: the CLI exposes one flag per
 * policy and docs/classification.md documents each with the reasoning below.
 */
import type { Bucket } from './types.js';

export interface Policies {
  /** Gmail "account … is disabled/inactive", Yahoo "This mailbox is disabled (554.30)", generic "account disabled". */
  disabledMailbox: 'invalid-address' | 'soft';
  /** "Recipient address rejected: Access denied" (Microsoft 365 5.4.1 directory-based edge blocking, Postfix access maps). */
  recipientAccessDenied: 'invalid-address' | 'blocked' | 'unclassified';
  /** iCloud "550 5.1.1 <…>: inactive email address". */
  icloudInactive: 'invalid-address' | 'soft';
  /** "User unknown" refused after DATA (when the command is known) with no 5.1.x code and no sign of an RCPT-stage refusal. */
  userUnknownAfterData: 'invalid-address' | 'unclassified';
  /** Mailbox-full replies carrying a permanent 5xx code. */
  mailboxFull5xx: 'soft' | 'invalid-address';
}

export const DEFAULT_POLICIES: Readonly<Policies> = Object.freeze({
  disabledMailbox: 'invalid-address',
  recipientAccessDenied: 'invalid-address',
  icloudInactive: 'invalid-address',
  userUnknownAfterData: 'unclassified',
  mailboxFull5xx: 'soft',
});

export interface PolicyDoc<K extends keyof Policies> {
  readonly flag: string;
  /** One line for --help: which replies the policy decides. */
  readonly summary: string;
  readonly choices: readonly Policies[K][];
  readonly default: Policies[K];
  readonly reasoning: string;
}

export const POLICY_DOCS: { readonly [K in keyof Policies]: PolicyDoc<K> } = {
  disabledMailbox: {
    flag: '--disabled-mailbox',
    summary: 'disabled/inactive accounts (Gmail 5.2.1, Yahoo 554.30)',
    choices: ['invalid-address', 'soft'],
    default: 'invalid-address',
    reasoning:
      'Gmail answers "5.2.1 The email account that you tried to reach is disabled" (or inactive) and Yahoo "This mailbox is disabled (554.30)" for accounts the provider has switched off. Nobody reads them, providers close or recycle them rather than re-enable them, and Gmail and Yahoo both count repeated mail to disabled accounts against the sender, much as they count unknown users. A careful sender suppresses them; choose "soft" only if your audience often reactivates accounts.',
  },
  recipientAccessDenied: {
    flag: '--recipient-access-denied',
    summary: '"Recipient address rejected: Access denied" (Microsoft 5.4.1)',
    choices: ['invalid-address', 'blocked', 'unclassified'],
    default: 'invalid-address',
    reasoning:
      'Microsoft 365 answers "550 5.4.1 Recipient address rejected: Access denied" when directory-based edge blocking finds no such recipient in the tenant directory; the same wording from Postfix access maps is also recipient-specific. The address does not exist for that organisation, so the default suppresses it. The text names the recipient, not the sender, so it is not treated as a sender block. Choose "unclassified" while a tenant is migrating (hybrid Exchange set-ups can reject real users for hours).',
  },
  icloudInactive: {
    flag: '--icloud-inactive',
    summary: 'iCloud "inactive email address"',
    choices: ['invalid-address', 'soft'],
    default: 'invalid-address',
    reasoning:
      'iCloud answers "550 5.1.1 <…>: inactive email address" for addresses Apple has deactivated; the code is the registered "bad destination mailbox" code and the account does not come back. The default suppresses. Apple did send false "user unknown" replies in bulk in April 2021; that kind of event is caught by receiver-incident detection, not by this policy.',
  },
  userUnknownAfterData: {
    flag: '--unknown-after-data',
    summary: '"user unknown" refused after DATA',
    choices: ['invalid-address', 'unclassified'],
    default: 'unclassified',
    reasoning:
      'A real "user unknown" comes in reply to RCPT TO. When a log records that the refusal came after DATA (the message content was already sent) with no 5.1.x code and no sign of a pipelined RCPT refusal, content filters are known to answer "User unknown" to reject a message (Japanese mobile carriers do so). Suppressing a real person is the worst mistake, so the default sends these rows to review. The stage comes from an smtp_command column or from the transcript (Postfix "in reply to end of DATA command"); with neither, the refusal is assumed to be at RCPT and this policy does not apply.',
  },
  mailboxFull5xx: {
    flag: '--full-mailbox-5xx',
    summary: 'mailbox-full replies with 5xx codes',
    choices: ['soft', 'invalid-address'],
    default: 'soft',
    reasoning:
      'Receivers answer a full mailbox with 452/4.2.2 or with permanent-looking 552/5.2.2 codes; RFC 5321 (section 4.5.3.1.10) even asks clients to treat some 552 replies as temporary. A full mailbox usually belongs to a real person who may clear it, so the default keeps it soft. Choose "invalid-address" to suppress abandoned over-quota mailboxes (e.g. Gmail "out of storage space and inactive") after your own retry window.',
  },
};

/** Bucket decided by a policy value. */
export function policyBucket(value: Policies[keyof Policies]): Bucket {
  return value;
}

/** Merge caller overrides over the defaults, ignoring unknown or invalid values (never throws). */
export function resolvePolicies(p?: Partial<Policies> | null): Policies {
  if (!p) return DEFAULT_POLICIES;
  const out: Policies = { ...DEFAULT_POLICIES };
  for (const key of Object.keys(POLICY_DOCS) as (keyof Policies)[]) {
    const v = p[key];
    if (v !== undefined && (POLICY_DOCS[key].choices as readonly string[]).includes(v)) {
      (out as unknown as Record<string, string>)[key] = v;
    }
  }
  return out;
}
