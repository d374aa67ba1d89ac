/**
 * The reply masking of classify/stable-reply.ts, written as a decision program so that the SQL classifies
 * the same text the CLI does. The CLI classifies each reply with its per-message details (addresses, ids,
 * times, IP addresses, dates) replaced by "~" — that is what its cache keys on — so a verdict is the verdict
 * of the masked text, and the SQL must mask too. stable-reply.ts stays the CLI's (faster) implementation;
 * test/unit/sql-programs.test.ts holds this program equal to its maskAll on generated texts and on every
 * corpus reply, so a change there that is not made here fails the tests.
 *
 * maskAll rewrites each candidate of one global scan (an address, a clock time, or a run of word characters
 * and hyphens joined by dots) with a rule that, for a time, looks at the character after it. Here the text
 * is cut into pieces that together are the text — each candidate, each run of characters that start none,
 * each other single character — and every piece is rewritten on its own. A time followed by a word
 * character is kept; such times and the candidate that follows them form one piece, so that no rewrite
 * needs to see a neighbour.
 */
import {
  ProgramBuilder,
  and,
  caseOf,
  coalesce,
  concat,
  eq,
  extract,
  mapMatches,
  mapSplit,
  not,
  or,
  str,
  test,
  type Expr,
  type Program,
} from '../classify/program.js';

const EMAIL = String.raw`[\w.+-]+@[\w-]+(?:\.[\w-]+)+`;
const TIME = String.raw`\d{1,2}:\d{2}(?::\d{2})?`;
const TOKEN = String.raw`[\w-]+(?:\.[\w-]+)*`;
// The same candidates when they start with a word character (as one does right after a time).
const EMAIL_W = String.raw`\w[\w.+-]*@[\w-]+(?:\.[\w-]+)+`;
const TOKEN_W = String.raw`\w[\w-]*(?:\.[\w-]+)*`;
const AFTER_TIME = `(?:${EMAIL_W}|${TIME}|${TOKEN_W})`;

/**
 * One piece of the text: an address; times each followed by a word character, with the candidate after the
 * last of them; a time; a token; a run of characters that start no candidate; any other character.
 */
const PIECE = new RegExp(`${EMAIL}|(?:${TIME})+${AFTER_TIME}|${TIME}|${TOKEN}|[^\\w.+-]+|[\\s\\S]`);
const TIMES_THEN = new RegExp(`^\\d{1,2}:\\d{2}(?::\\d{2})?\\w`);
const TIMES_PREFIX = new RegExp(`^((?:${TIME})+)${AFTER_TIME}$`);
const AFTER_TIMES = new RegExp(`^(?:${TIME})+(${AFTER_TIME})$`);

/** An id: 8+ characters with a letter and a digit and no five-letter run, or 6+ digits (isVolatileToken). */
function isVolatile(p: Expr): Expr {
  return and(
    test(p, /[\s\S]{6}/),
    test(p, /\d/),
    or(test(p, /^\d{6,}$/), and(test(p, /[\s\S]{8}/), test(p, /[a-z]/i), not(test(p, /[a-z]{5}/i)))),
  );
}

/** One dot-free part: "~" when it is an id, else each hyphen-joined id in it (maskPart). */
function maskPart(p: Expr): Expr {
  return caseOf(
    [
      [isVolatile(p), str('~')],
      [not(test(p, /-/)), p],
    ],
    mapSplit(p, '-', (q) => caseOf([[isVolatile(q), str('~')]], q)),
  );
}

/** One candidate, rewritten as mask() does (a time here is never followed by a word character). */
function maskCandidate(m: Expr): Expr {
  const first = coalesce(extract(m, /^([^.]+)/), str(''));
  const last = coalesce(extract(m, /([^.]+)$/), str(''));
  return caseOf(
    [
      [test(m, /@/), str('~')],
      [not(test(m, /\d/)), m],
      [test(m, /:/), str('~')],
      [or(test(m, /^\d{1,3}(?:\.\d{1,3}){3}$/), test(m, /^\d{4}-\d{2}-\d{2}$/)), str('~')],
      [not(test(m, /\./)), maskPart(m)],
      // A dotted id: letters somewhere, a digit in the last part, and a first part that is not itself an id.
      [and(eq(maskPart(first), first), test(m, /[a-z]/i), test(last, /\d/)), str('~')],
    ],
    mapSplit(m, '.', maskPart),
  );
}

function buildStableReplyProgram(): Program {
  const b = new ProgramBuilder('stable-reply');
  const text = b.input('text');
  const masked = caseOf(
    [
      [
        test(text, /[\d@]/),
        mapMatches(text, PIECE, (piece) =>
          caseOf(
            [
              // Only a piece with a digit or an '@' can change; a run of separators keeps its '@'s.
              [not(test(piece, /[\d@]/)), piece],
              [not(test(piece, /^[\w.+-]/)), piece],
              [
                test(piece, TIMES_THEN),
                concat(coalesce(extract(piece, TIMES_PREFIX), str('')), maskCandidate(coalesce(extract(piece, AFTER_TIMES), str('')))),
              ],
            ],
            maskCandidate(piece),
          ),
        ),
      ],
    ],
    text,
  );
  return b.build({ masked });
}

/** stableReply as a decision program (input: text; output: masked). */
export const STABLE_REPLY_PROGRAM: Program = buildStableReplyProgram();
