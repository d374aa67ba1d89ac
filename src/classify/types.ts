/**
 * Shared vocabulary of the pipeline. Types only: no behaviour lives here.
 */

/** The four bounce buckets. Only `invalid-address` is suppressed and counted toward the gate. */
export const BUCKETS = ['invalid-address', 'soft', 'blocked', 'unclassified'] as const;
export type Bucket = (typeof BUCKETS)[number];

/** A status reply as parsed from the status column and the diagnostic text. */
export interface ParsedStatus {
  /** RFC 5321 basic reply code, e.g. "550"; null when none was found. */
  basic: string | null;
  /** RFC 3463 enhanced status code, e.g. "5.1.1" or "5.1.10"; null when none was found. */
  enhanced: string | null;
  /** Status column and diagnostic text joined, whitespace squeezed, lower-cased: what the text rules read. */
  text: string;
}

/** What one row means, as decided by the classifier. */
export interface Classification {
  /** `delivered` for 2xx replies or words such as "delivered"/"sent"; otherwise `bounced`. */
  outcome: 'delivered' | 'bounced';
  /** The bucket of a bounce; null for a delivered row. */
  bucket: Bucket | null;
  /** Finer reason (kebab-case, documented in docs/classification.md), e.g. "user-unknown"; "delivered" for delivered rows. */
  reason: string;
  /** Id of the rule that decided, for `explain` and bug reports. */
  ruleId: string;
}
