/**
 * The one row shape every input format is read into, and the adapter contract. Each
 * platform export is mapped to `SourceRow` by a small adapter; the audit iterates only this.
 */

/**
 * Formats we read. `generic` is any CSV with a status or reply-text column; the platform ids are
 * their CSV exports; `ses-jsonl`, `mailgun-events`, `sendgrid-events` and `postmark-webhooks` are
 * JSON (an array, JSON Lines, or an API page that wraps an array); `postfix` is a mail log.
 */
export const FORMAT_IDS = [
  'generic',
  'mailgun',
  'sendgrid',
  'sendgrid-activity',
  'postmark',
  'ses',
  'mailchimp',
  'hubspot',
  'brevo',
  'klaviyo',
  'sequencer',
  'ses-jsonl',
  'mailgun-events',
  'sendgrid-events',
  'postmark-webhooks',
  'postfix',
] as const;
export type FormatId = (typeof FORMAT_IDS)[number];

/**
 * What a platform's own bounce type says, which the SMTP-text classifier cannot see.
 * - `invalid-address`: the platform says the mailbox does not exist (SES NoEmail, Brevo invalid_email).
 * - `hard`: a permanent failure of unstated cause (SES Permanent/General, Postmark HardBounce).
 * - `soft`, `blocked`: as the buckets.
 * - `bounced`: bounced, nothing more known (Mailchimp "cleaned", a sequencer's "Bounced").
 * - `delivered`: not a bounce and the message was sent (a lead that did not bounce, an auto-reply).
 */
export type HintKind = 'invalid-address' | 'hard' | 'soft' | 'blocked' | 'bounced' | 'delivered';

export interface PlatformHint {
  kind: HintKind;
  /** kebab-case reason used when the hint decides, e.g. `ses-permanent-noemail`. */
  reason: string;
}

/** One input row, normalised. */
export interface SourceRow {
  /** 1-based physical line where the row starts. */
  line: number;
  /** Recipient as written (normalised later). */
  email: string;
  status: string;
  diagnostic: string;
  /** '' when the row names none (the input's default campaign applies). */
  campaign: string;
  date: string;
  /** SMTP command the receiver refused (`RCPT`, `DATA`, …) when the export records it, else ''. */
  command: string;
  hint: PlatformHint | null;
  /** List/lead source ('' when none), for `--by source`. */
  source: string;
  /** The CSV fields as read ('' for columns a reader that decodes only what it maps skipped); null for non-CSV inputs. */
  raw: readonly string[] | null;
}

/**
 * Why a data row was not classified.
 * - `not-a-bounce`: an event or record that is not a delivery outcome (open, click, unsubscribe,
 *   complaint, a send the platform dropped).
 * - `same-message`: in an export with one row per event, another event of a message that is
 *   counted once from its outcome.
 * - `unknown-record`: a JSON record of another shape than the file's format.
 */
export type SkipReason =
  | 'wrong-field-count'
  | 'missing-email'
  | 'invalid-email'
  | 'not-a-bounce'
  | 'same-message'
  | 'invalid-json'
  | 'unknown-record';

/** Reasons that say the input itself has a problem, as opposed to rows the format says are not counted. */
export const PROBLEM_SKIPS: ReadonlySet<SkipReason> = new Set(['wrong-field-count', 'missing-email', 'invalid-email', 'invalid-json', 'unknown-record']);

export type ReadItem = SourceRow | { line: number; skip: SkipReason; raw: readonly string[] | null };

export function isSkip(item: ReadItem): item is { line: number; skip: SkipReason; raw: readonly string[] | null } {
  return 'skip' in item;
}
