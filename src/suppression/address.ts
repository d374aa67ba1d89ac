/**
 * Address normalisation: the one form in which an address is counted, de-duplicated, suppressed
 * and matched against a lead list. Two spellings of one mailbox must come out equal, or a
 * suppressed address is mailed again under its other spelling; and text that cannot be an
 * address must come out as null, or it is written into lists people import.
 *
 * The form (docs/merge-and-clean.md#how-addresses-are-normalised):
 * - `Name <addr>`, `mailto:` (with its `?subject=…` part and %-escapes) and surrounding
 *   spaces (zero-width ones too) are taken off.
 * - Unicode NFC: a precomposed "ü" and "u" + combining diaeresis are one address.
 * - The domain in one form, Unicode (UTS #46, as browsers map host names): `xn--mller-kva.de`
 *   and `müller.de` are one domain; it is lower-cased, a trailing dot dropped. An IP literal
 *   (`[192.0.2.1]`, `[IPv6:2001:db8::1]`) is kept in its canonical form.
 * - The local part is lower-cased. RFC 5321 lets a receiver treat `John` and `john` as two
 *   mailboxes, but receivers do not: every major provider and the common MTAs match local
 *   parts without case. A list keyed by case would keep mailing `John@` after `john@` bounced.
 * - A quoted local part (RFC 5321 Quoted-string, with RFC 6531 UTF-8) is accepted; when its
 *   content needs no quotes (`"john"@x`), it is written without them, as RFC 5321 says it is
 *   the same mailbox.
 * - Rejected (null): controls (NUL …), zero-width and bidirectional formatting characters
 *   inside the address, spaces outside quotes, a domain without a dot or that is not a host
 *   name, and an address that starts with `=`, `+` or `-` and holds a character a spreadsheet
 *   formula could be built from (`|`, `!`, `'` …): such an address is written unquoted into CSV
 *   files (output/csv-record.ts), so it must be inert. Consecutive dots (`a..b@`) are accepted:
 *   some Japanese mobile carriers issued such addresses, and they bounce like any other.
 */
import { domainToASCII, domainToUnicode } from 'node:url';
import { isIPv6 } from 'node:net';

/**
 * A plain ASCII address (nothing to strip, no formula-like start), whose normal form is its
 * lower-case spelling unless a domain label is punycode: most rows of a log, checked with one
 * regex instead of the full path.
 */
const PLAIN_ASCII = /^(?![+-])[a-z0-9._%+-]+@[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z0-9-]+$/i;

const MAILTO = /^mailto:/i;
const ANGLE = /<([^<>]*)>/;
/** Spaces at either end, zero-width ones and the byte order mark included. */
const EDGES = /^[\s\u200b-\u200d\u2060\ufeff]+|[\s\u200b-\u200d\u2060\ufeff]+$/g;
/**
 * Characters no address holds anywhere: C0 and C1 controls, DEL, the soft hyphen, zero-width and
 * bidirectional formatting characters, interlinear annotation marks and the replacement character
 * (a byte that was not text).
 */
// eslint-disable-next-line no-control-regex
const FORBIDDEN = /[\u0000-\u001f\u007f-\u009f\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff\ufff9-\ufffb\ufffd]/;
/** One atom of an unquoted local part: RFC 5322 atext, plus any non-ASCII character (RFC 6531). */
const DOT_ATOM_LOCAL = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~.\u0080-\u{10ffff}-]+$/u;
/** A strict RFC 5322 dot-atom: what a quoted local part may be written as without its quotes. */
const STRICT_DOT_ATOM = /^[a-z0-9!#$%&'*+/=?^_`{|}~\u0080-\u{10ffff}-]+(?:\.[a-z0-9!#$%&'*+/=?^_`{|}~\u0080-\u{10ffff}-]+)*$/u;
/** A local part that starts like a formula may hold only these (see output/csv-record.ts). */
const INERT_LOCAL = /^[\p{L}\p{N}._+=-]*$/u;
/** The ASCII form of a host name: at least two labels of letters, digits, `-` and `_`. */
const HOST = /^[a-z0-9_-]+(?:\.[a-z0-9_-]+)+$/;
const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(?:\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;

/** The normalised address, or null when the field holds no usable address. */
export function normaliseEmail(raw: string): string | null {
  if (PLAIN_ASCII.test(raw)) {
    const lower = raw.toLowerCase();
    if (!lower.includes('xn--')) return lower;
  }
  let s = raw.replace(EDGES, '');
  if (s === '') return null;
  const angle = ANGLE.exec(s);
  if (angle) s = angle[1]!.replace(EDGES, '');
  if (MAILTO.test(s)) {
    // RFC 6068: the address ends at `?` (subject, body …) and may be %-escaped.
    s = s.replace(MAILTO, '');
    const q = s.indexOf('?');
    if (q >= 0) s = s.slice(0, q);
    try {
      s = decodeURIComponent(s).replace(EDGES, '');
    } catch {
      return null;
    }
  }
  s = s.normalize('NFC');
  if (FORBIDDEN.test(s)) return null;
  const at = s.lastIndexOf('@');
  if (at <= 0 || at === s.length - 1) return null;
  const local = normaliseLocal(s.slice(0, at));
  if (local === null) return null;
  const domain = normaliseDomain(s.slice(at + 1));
  return domain === null ? null : `${local}@${domain}`;
}

function normaliseLocal(raw: string): string | null {
  if (raw.startsWith('"')) return quotedLocal(raw);
  if (!DOT_ATOM_LOCAL.test(raw) || /\s/.test(raw)) return null;
  const local = raw.toLowerCase();
  const c = local.charCodeAt(0);
  if ((c === 0x3d || c === 0x2b || c === 0x2d) && !INERT_LOCAL.test(local)) return null;
  return local;
}

/**
 * RFC 5321 Quoted-string (with RFC 6531 UTF-8): printable characters and spaces, `\` escaping
 * the next one. Normal form: the content lower-cased, unquoted when it is a plain dot-atom,
 * otherwise quoted with only `"` and `\` escaped.
 */
function quotedLocal(raw: string): string | null {
  if (raw.length < 2 || !raw.endsWith('"')) return null;
  let content = '';
  for (let i = 1; i < raw.length - 1; i++) {
    let ch = raw[i]!;
    if (ch === '"') return null;
    if (ch === '\\') {
      if (i + 1 >= raw.length - 1) return null;
      ch = raw[++i]!;
    }
    content += ch;
  }
  // Spaces are the only white space a quoted string may hold (controls were refused already).
  if (content === '' || /[^\S ]/.test(content)) return null;
  const lower = content.toLowerCase();
  if (STRICT_DOT_ATOM.test(lower)) return normaliseLocal(lower);
  return `"${lower.replace(/["\\]/g, '\\$&')}"`;
}

function normaliseDomain(raw: string): string | null {
  let d = raw.endsWith('.') ? raw.slice(0, -1) : raw;
  if (d.startsWith('[') && d.endsWith(']')) return addressLiteral(d.slice(1, -1));
  d = d.toLowerCase();
  // The Unicode form of the domain; ASCII domains without a punycode label are that already.
  // eslint-disable-next-line no-control-regex
  if (/[^\u0000-\u007f]/.test(d) || d.includes('xn--')) {
    const u = domainToUnicode(d);
    if (u === '') return null;
    d = u.normalize('NFC');
  }
  const ascii = /[^\u0000-\u007f]/.test(d) ? domainToASCII(d) : d;
  return HOST.test(ascii) ? d : null;
}

/** RFC 5321 address literal: IPv4 as written, IPv6 in its canonical form (RFC 5952). */
function addressLiteral(lit: string): string | null {
  if (IPV4.test(lit)) return `[${lit}]`;
  const m = /^ipv6:(.+)$/i.exec(lit);
  if (m === null || !isIPv6(m[1]!)) return null;
  return `[IPv6:${new URL(`http://[${m[1]!}]/`).hostname.slice(1, -1)}]`;
}
