/**
 * The stable part of a reply text, for caching classifications.
 *
 * Receivers repeat the same few hundred replies, but stamp each with per-message details:
 * the recipient (`<ann@example.com>: Recipient address rejected`), queue and message ids
 * (Gmail's `d2si1234567qkb.123 - gsmtp`, Microsoft's `[BN1NAM02FT012.eop-nam02…]`), times and
 * IP addresses. Keyed on the raw text, a cache of verdicts almost never hits on a real log.
 * Replacing those details with a placeholder turns millions of distinct texts back into a few
 * hundred. The classifier then reads the stable text itself, so every row with the same key
 * gets the verdict the stable text earns — the corpus and receiver tables check that this
 * verdict equals the one the original text earns.
 *
 * Every alternative starts at a word boundary, so the scan stays linear in the text (a pattern
 * with no anchor would rescan each long token from every position).
 *
 * What is replaced (never SMTP codes: `550`, `5.1.1`, `550-5.1.1` and `5.7.606` survive):
 * - e-mail addresses;
 * - tokens of 8+ letters/digits/`_`/`-` holding both a letter and a digit (ids, host labels), but
 *   no run of 5 letters: such a token carries a word a rule may read (`spamhaus550`);
 * - runs of 6+ digits (timestamps, numeric ids);
 * - IPv4 addresses, clock times and ISO dates;
 * - dotted ids (`tkns01.9hvnrai.55433-20020a05`): a whole dot-joined token with letters and digits
 *   whose last part holds a digit. Host names end in letters (`….prod.outlook.com`) and codes
 *   (`5.1.1`) have no letters, so neither is touched. Without this, Gmail-style queue ids made
 *   every "250 2.0.0 OK" a distinct key: on the bench log a third of all rows missed the cache.
 */
const VOLATILE =
  /\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+|\b(?=[a-z_-]*\d)(?=[\d_-]*[a-z])(?![a-z\d_-]*[a-z]{5})[a-z\d_-]{8,}\b|\b\d{6,}\b|\b\d{1,3}(?:\.\d{1,3}){3}\b|\b\d{1,2}:\d{2}(?::\d{2})?\b|\b\d{4}-\d{2}-\d{2}\b|(?<![\w.@-])(?=[\w.-]*[a-z])[a-z\d_-]+(?:\.[a-z\d_-]+)*\.(?=[a-z_-]*\d)[a-z\d_-]+(?![\w.@-])/gi;

export function stableReply(text: string): string {
  return text.replace(VOLATILE, '~');
}
