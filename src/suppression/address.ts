/**
 * Address normalisation: the form in which an address is counted, de-duplicated and suppressed.
 */
// Normalisation: trim, strip `mailto:` and `<…>`, lower-case. The address check is
// deliberately permissive (RFC 5321 allows far more than most validators accept) but
// requires one @, no spaces, and a dotted domain.
const MAILTO = /^mailto:/i;
const ANGLE = /<([^<>]*)>/;
const ADDRESS = /^[^\s@<>()[\],;:"]+@[^\s@<>()[\],;:"]+\.[^\s@<>()[\],;:".]+$/;

/**
 * An address already in normal form (lower case, nothing to strip), which the steps below would
 * return unchanged: most rows of a log, checked with one regex instead of six string operations.
 */
const ALREADY_NORMAL = /^[a-z0-9._%+-]+@[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z0-9-]+$/;

/** The normalised address, or null when the field holds no usable address. */
export function normaliseEmail(raw: string): string | null {
  if (ALREADY_NORMAL.test(raw)) return raw;
  let s = raw.trim();
  if (s === '') return null;
  const angle = ANGLE.exec(s);
  if (angle) s = angle[1]!.trim();
  s = s.replace(MAILTO, '').trim().toLowerCase();
  // Trailing dot of a fully qualified domain is not part of the mailbox name.
  if (s.endsWith('.')) s = s.slice(0, -1);
  return ADDRESS.test(s) ? s : null;
}
