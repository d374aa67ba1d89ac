/**
 * Suppression CSV shapes for the tools people import them into (`--profile`). Pure: columns and
 * one record per entry, written by the one CSV record writer (output/csv-record.ts).
 *
 * - generic: every column we know (the default; also what `--merge` keeps).
 * - hubspot, klaviyo: a single `Email` column — what their suppression/blocklist imports map.
 * - mailgun: `address,code,error,created_at` — the columns of Mailgun's bounce list CSV import
 *   (created_at in RFC 2822, like their bounces API).
 * - instantly, smartlead: a single `email` column for their blocklist uploads.
 * - plain: one address per line, no header.
 */
import { SUPPRESSION_COLUMNS, suppressionRecord, type LineRenderer, type SuppressionEntry } from './list.js';
import { parseLogDate } from './dates.js';
import { csvRecord } from '../output/csv-record.js';

/** The tools a suppression CSV can be shaped for (`--profile`). */
export const PROFILES = ['generic', 'hubspot', 'klaviyo', 'mailgun', 'instantly', 'smartlead', 'plain'] as const;
export type Profile = (typeof PROFILES)[number];

/** Header of the profile, or null for no header line. */
export function profileColumns(profile: Profile): readonly string[] | null {
  switch (profile) {
    case 'generic':
      return SUPPRESSION_COLUMNS;
    case 'hubspot':
    case 'klaviyo':
      return ['Email'];
    case 'mailgun':
      return ['address', 'code', 'error', 'created_at'];
    case 'instantly':
    case 'smartlead':
      return ['email'];
    case 'plain':
      return null;
  }
}

/** RFC 2822 date for Mailgun, or '' when unknown. */
function rfc2822(iso: string | null): string {
  if (!iso) return '';
  const ms = parseLogDate(iso);
  return Number.isNaN(ms) ? '' : new Date(ms).toUTCString().replace('GMT', '+0000');
}

export function profileRecord(profile: Profile, e: SuppressionEntry): string[] {
  switch (profile) {
    case 'generic':
      return suppressionRecord(e);
    case 'mailgun':
      return [e.email, e.basicCode ?? '550', e.diagnostic || e.reason, rfc2822(e.firstBouncedAt)];
    default:
      return [e.email];
  }
}

/** One CSV line of the profile for an entry. */
export function profileLine(profile: Profile): LineRenderer {
  return (e) => csvRecord(profileRecord(profile, e), { address: 0 });
}

/** The profile's header line, or '' when it has none. */
export function profileHeader(profile: Profile): string {
  const columns = profileColumns(profile);
  return columns !== null ? csvRecord(columns) : '';
}
