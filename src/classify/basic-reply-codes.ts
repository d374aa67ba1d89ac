/**
 * Meanings of the RFC 5321 basic reply codes (§4.2.2, §4.2.3) seen in bounce logs, plus RFC 7504's 521/556.
 * Used by `explain`; the classifier itself reads only the first digit and a few specific codes.
 */
export const BASIC_REPLY_CODES = {
  '250': 'Requested mail action okay, completed (RFC 5321)',
  '251': 'User not local; will forward (RFC 5321)',
  '252': 'Cannot VRFY user, but will accept message and attempt delivery (RFC 5321)',
  '421': 'Service not available, closing transmission channel (RFC 5321)',
  '450': 'Requested mail action not taken: mailbox unavailable, e.g. busy or temporarily blocked (RFC 5321)',
  '451': 'Requested action aborted: local error in processing (RFC 5321)',
  '452': 'Requested action not taken: insufficient system storage (RFC 5321)',
  '455': 'Server unable to accommodate parameters (RFC 5321)',
  '500': 'Syntax error, command unrecognized (RFC 5321)',
  '501': 'Syntax error in parameters or arguments (RFC 5321)',
  '502': 'Command not implemented (RFC 5321)',
  '503': 'Bad sequence of commands (RFC 5321)',
  '504': 'Command parameter not implemented (RFC 5321)',
  '521': 'Host does not accept mail (RFC 7504)',
  '550': 'Requested action not taken: mailbox unavailable, e.g. not found, no access, or refused for policy reasons (RFC 5321)',
  '551': 'User not local; please try <forward-path> (RFC 5321)',
  '552': 'Requested mail action aborted: exceeded storage allocation (RFC 5321)',
  '553': 'Requested action not taken: mailbox name not allowed, e.g. syntax incorrect (RFC 5321)',
  '554': 'Transaction failed / no SMTP service here (RFC 5321)',
  '555': 'MAIL FROM/RCPT TO parameters not recognized or not implemented (RFC 5321)',
  '556': 'Domain does not accept mail (RFC 7504)',
} as const;

const CLASS_MEANING = {
  '2': 'Positive completion (RFC 5321 §4.2.1)',
  '4': 'Transient negative completion: retry later (RFC 5321 §4.2.1)',
  '5': 'Permanent negative completion (RFC 5321 §4.2.1)',
} as const;

/** Meaning of a basic reply code: the specific code's when listed, else its class's. */
export function basicMeaning(code: string | null | undefined): string | null {
  if (!code) return null;
  const exact = (BASIC_REPLY_CODES as Record<string, string>)[code];
  if (exact) return exact;
  return (CLASS_MEANING as Record<string, string>)[code[0] ?? ''] ?? null;
}
