/**
 * Which header column holds what. Matching ignores case, spaces, `_`, `-` and a note in brackets
 * at the end, so "Email Address", "email_address" and "EMAIL-ADDRESS (work)" are the same name.
 */
import { InputError } from '../errors.js';

export const ROLES = ['email', 'status', 'diagnostic', 'campaign', 'date', 'command'] as const;
export type Role = (typeof ROLES)[number];

/**
 * Header names recognised without flags, best first: when a file has two candidates
 * (say `campaign_name` and `campaign_id`), the earlier alias wins.
 */
export const COLUMN_ALIASES: Record<Role, readonly string[]> = {
  email: ['email', 'emailaddress', 'address', 'recipient', 'recipientemail', 'rcpt', 'rcptto', 'to', 'leademail', 'workemail', 'contactemail'],
  status: ['status', 'statuscode', 'smtpcode', 'smtpstatus', 'code', 'replycode', 'dsn'],
  diagnostic: [
    'diagnostic',
    'diagnosticcode',
    'smtpresponse',
    'bouncereason',
    'reason',
    'error',
    'response',
    'message',
  ],
  campaign: ['campaign', 'campaignname', 'campaignid'],
  date: ['date', 'timestamp', 'bouncedat', 'bouncedate', 'createdat', 'created', 'eventdate', 'sentat', 'sentdate', 'senddate', 'datetime'],
  // The SMTP command the receiver refused (RCPT, DATA, …); few logs have it, and it only matters
  // for the --unknown-after-data policy.
  command: ['smtpcommand', 'command'],
};

/** Index of each role's column in the header; -1 when the file has none. */
export type ColumnMap = Record<Role, number>;

export type ColumnOverrides = Partial<Record<Role, string>>;

/**
 * A header as it is matched: lower case, without spaces, `_` and `-`, and without a trailing
 * note in brackets (HubSpot's "Sent At (Your time zone)" is "sentat").
 */
export function normaliseHeader(name: string): string {
  return name
    .toLowerCase()
    .replace(/\s*\([^()]*\)\s*$/, '')
    .replace(/[\s_-]+/g, '');
}

/**
 * Map roles to header positions. An override must name an existing header (exact or
 * normalised); a file with no email column is not a bounce log we can audit.
 */
export function detectColumns(header: readonly string[], overrides: ColumnOverrides, file: string): ColumnMap {
  const normalised = header.map(normaliseHeader);
  const map = {} as ColumnMap;
  const taken = new Set<number>();
  for (const role of ROLES) {
    const wanted = overrides[role];
    if (wanted !== undefined) {
      let idx = header.indexOf(wanted);
      if (idx < 0) idx = normalised.indexOf(normaliseHeader(wanted));
      if (idx < 0) {
        throw new InputError(
          `--${role}-column "${wanted}" is not a column of this file; its header has: ${listHeaders(header)}`,
          { file, line: 1 },
        );
      }
      map[role] = idx;
      taken.add(idx);
    }
  }
  for (const role of ROLES) {
    if (map[role] !== undefined) continue;
    map[role] = -1;
    for (const alias of COLUMN_ALIASES[role]) {
      const idx = normalised.findIndex((h, i) => h === alias && !taken.has(i));
      if (idx >= 0) {
        map[role] = idx;
        taken.add(idx);
        break;
      }
    }
  }
  if (map.email < 0) {
    throw new InputError(
      `no email column found; the header has: ${listHeaders(header)}. Name it with --email-column`,
      { file, line: 1 },
    );
  }
  return map;
}

/** Longest piece of an input quoted in a message, in characters. */
const QUOTE_CHARS = 40;
/** Longest list of header names in a message, in characters. */
const LIST_CHARS = 400;

/**
 * A piece of input for a message, quoted and cut to `max` characters: a file read in the wrong
 * encoding can have a "header" of 30 KB, which must not flood the terminal.
 */
export function quoteInput(text: string, max = QUOTE_CHARS): string {
  const chars = [...text];
  return JSON.stringify(chars.length > max ? `${chars.slice(0, max).join('')}…` : text);
}

/** Header names for a message: each quoted and cut, the list cut after LIST_CHARS characters. */
export function listHeaders(header: readonly string[]): string {
  let out = '';
  let shown = 0;
  for (const h of header) {
    const q = quoteInput(h);
    if (shown > 0 && out.length + q.length > LIST_CHARS) break;
    out += (shown > 0 ? ', ' : '') + q;
    shown++;
  }
  return out + (shown < header.length ? `, … (${header.length} columns)` : '');
}
