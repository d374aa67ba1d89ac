/**
 * Address normalisation (suppression/address.ts) as a decision program, for the SQL: the form in which an
 * address is counted and suppressed, or null for a field that holds no usable address (the CLI rejects
 * such rows). It follows normaliseEmail step by step, as far as SQL can:
 *
 * - exactly: surrounding spaces (zero-width ones too), `Name <addr>`, `mailto:` with its `?…` part,
 *   controls and formatting characters, the local part's characters and quoting (a quoted local part is
 *   unquoted when it need not be), lower case, a trailing dot, IPv4 address literals, the host-name check
 *   of ASCII domains;
 * - not in SQL, and documented in docs/warehouse.md: Unicode normalisation (NFC: a precomposed "ü" and
 *   "u" + combining diaeresis stay two spellings), IDNA (a punycode domain stays in its `xn--` form, and a
 *   Unicode domain is accepted when its labels are made of letters, digits, `-` and `_`), the canonical
 *   form of IPv6 literals (kept as written, lower-cased), %-escapes in a `mailto:` address (rejected), and
 *   "letters" in a local part that starts with `=`, `+` or `-` (any non-ASCII character counts as one).
 *
 * test/unit/sql-programs.test.ts holds the program to normaliseEmail on every fixture address and on
 * generated ASCII addresses, and shows the differences above.
 */
import {
  ProgramBuilder,
  and,
  caseOf,
  coalesce,
  concat,
  eq,
  extract,
  isIn,
  isNull,
  lower,
  mapMatches,
  not,
  or,
  replace,
  str,
  test,
  NULL,
  type Expr,
  type Program,
} from '../classify/program.js';

/** Spaces at either end, zero-width ones and the byte order mark included (address.ts EDGES). */
const EDGES = /^[\s\u200b-\u200d\u2060\ufeff]+|[\s\u200b-\u200d\u2060\ufeff]+$/;
/** A plain ASCII address whose normal form is its lower case (address.ts PLAIN_ASCII). */
const PLAIN_ASCII = /^[a-z0-9._%][a-z0-9._%+-]*@[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z0-9-]+$/i;
/** Characters no address holds (address.ts FORBIDDEN). */
const FORBIDDEN = /[\u0000-\u001f\u007f-\u009f\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff\ufff9-\ufffb\ufffd]/;
/** An unquoted local part: RFC 5322 atext and dots, plus any non-ASCII character (RFC 6531). */
const DOT_ATOM_LOCAL = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~.\u0080-\uffff-]+$/;
const STRICT_DOT_ATOM = /^[a-z0-9!#$%&'*+/=?^_`{|}~\u0080-\uffff-]+(?:\.[a-z0-9!#$%&'*+/=?^_`{|}~\u0080-\uffff-]+)*$/;
/** A local part that starts like a formula may hold only these ("letters" approximated as non-ASCII). */
const INERT_LOCAL = /^[A-Za-z0-9._+=\u0080-\uffff-]*$/;
const HOST_ASCII = /^[a-z0-9_-]+(?:\.[a-z0-9_-]+)+$/;
const HOST_UNICODE = /^[a-z0-9_\u0080-\uffff-]+(?:\.[a-z0-9_\u0080-\uffff-]+)+$/;
const IPV4 = /^(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(?:\.(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;

const trimEdges = (x: Expr): Expr => replace(x, EDGES, '');
const orEmpty = (x: Expr): Expr => coalesce(x, str(''));

/** An unquoted local part, lower-cased, or null (address.ts normaliseLocal). */
function unquotedLocal(raw: Expr): Expr {
  const l = lower(raw);
  return caseOf(
    [
      [or(not(test(raw, DOT_ATOM_LOCAL)), test(raw, /\s/)), NULL],
      [and(test(l, /^[=+-]/), not(test(l, INERT_LOCAL))), NULL],
    ],
    l,
  );
}

function buildAddressProgram(): Program {
  const b = new ProgramBuilder('address');
  const raw = b.input('email');
  const s1 = b.let('trimmed', trimEdges(raw));
  const angle = b.let('unwrapped', caseOf([[test(s1, /<[^<>]*>/), trimEdges(orEmpty(extract(s1, /<([^<>]*)>/)))]], s1));
  // RFC 6068: the address ends at '?'; %-escapes are not decoded in SQL (such an address is refused).
  const s = b.let(
    'unmailto',
    caseOf(
      [
        [
          test(angle, /^mailto:/i),
          caseOf([[test(angle, /^mailto:[^?]*%/i), NULL]], trimEdges(orEmpty(extract(angle, /^mailto:([^?]*)/i)))),
        ],
      ],
      angle,
    ),
  );
  const sv = orEmpty(s);
  const local = b.let('local', caseOf([[or(isNull(s), test(sv, FORBIDDEN)), NULL]], extract(sv, /^([\s\S]+)@[^@]+$/)));
  const domainRaw = b.let('domain_raw', caseOf([[isNull(local), NULL]], extract(sv, /@([^@]+)$/)));
  const lv = orEmpty(local);

  // A quoted local part: printable characters and spaces, '\' escaping the next one.
  const content = replace(orEmpty(extract(lv, /^"([\s\S]*)"$/)), /\\([\s\S])/, '$1');
  const contentLower = b.let('quoted_lower', lower(content));
  const requoted = concat(
    str('"'),
    mapMatches(contentLower, /[\s\S]/, (c) => caseOf([[isIn(c, ['"', '\\']), concat(str('\\'), c)]], c)),
    str('"'),
  );
  const quoted = caseOf(
    [
      [not(test(lv, /^"(?:[^"\\]|\\[\s\S])+"$/)), NULL],
      [test(content, /[^\S ]/), NULL],
      [test(contentLower, STRICT_DOT_ATOM), unquotedLocal(contentLower)],
    ],
    requoted,
  );
  const localNorm = b.let('local_norm', caseOf([[isNull(local), NULL], [test(lv, /^"/), quoted]], unquotedLocal(lv)));

  // The domain: one trailing dot dropped; an address literal; otherwise lower case and a host name.
  const d0 = replace(orEmpty(domainRaw), /\.$/, '');
  const dl = b.let('domain_lower', lower(d0));
  const literal = orEmpty(extract(d0, /^\[([\s\S]*)\]$/));
  const domainNorm = b.let(
    'domain_norm',
    caseOf(
      [
        [isNull(domainRaw), NULL],
        [test(d0, /^\[[\s\S]*\]$/), caseOf([[test(literal, IPV4), concat(str('['), literal, str(']'))], [test(literal, /^ipv6:[0-9a-f:.]+$/i), concat(str('[IPv6:'), lower(replace(literal, /^ipv6:/i, '')), str(']'))]], NULL)],
        [test(dl, /[^\u0000-\u007f]/), caseOf([[test(dl, HOST_UNICODE), dl]], NULL)],
      ],
      caseOf([[test(dl, HOST_ASCII), dl]], NULL),
    ),
  );
  const address = caseOf(
    [
      [and(test(raw, PLAIN_ASCII), not(test(lower(raw), /xn--/))), lower(raw)],
      [or(eq(sv, str('')), isNull(localNorm), isNull(domainNorm)), NULL],
    ],
    concat(orEmpty(localNorm), str('@'), orEmpty(domainNorm)),
  );
  // A field that is empty once trimmed is a missing address, not an invalid one (count/tally.ts).
  const missing = test(raw, /^\s*$/);
  return b.build({ address: caseOf([[missing, NULL]], address), missing: caseOf([[missing, str('yes')]], str('no')) });
}

/** normaliseEmail as a decision program (input: email; outputs: address or null, missing 'yes'/'no'). */
export const ADDRESS_PROGRAM: Program = buildAddressProgram();
