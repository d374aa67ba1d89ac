/**
 * Agreement with the Sisimai-labelled corpus (test/corpus/README.md). The labels are Sisimai's judgement,
 * not ground truth: every remaining disagreement is reviewed below with the reason, and the test fails when
 * a new one appears or a listed one disappears, so the list stays honest.
 */
import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { classify } from '../../src/classify/engine.js';
import { parseStatus } from '../../src/classify/parse-status.js';

interface CorpusRow {
  id: string;
  sample: string;
  recipient_domain: string;
  smtp_command: string;
  reply_code: string;
  status: string;
  diagnostic: string;
  reason: string;
  hard_bounce: string;
}

const rows: CorpusRow[] = parse(readFileSync(new URL('../corpus/sisimai-bounces.csv', import.meta.url)), {
  columns: true,
  skip_empty_lines: true,
});

/** Not failures, or labels that say nothing about the address (outside the tool's scope: not bounces). */
const OUT_OF_SCOPE = new Set(['delivered', 'feedback', 'vacation', 'onhold', 'undefined', 'filtered', 'suspend', 'norelaying']);
/** Sisimai labels that mean "the sender was refused": none of them may be suppressed. */
const SENDER_SIDE = new Set(['blocked', 'spamdetected', 'policyviolation', 'authfailure', 'badreputation', 'requireptr', 'securityerror', 'rejected']);

const truthInvalid = (r: CorpusRow): boolean =>
  r.reason === 'userunknown' || r.reason === 'hostunknown' || r.reason === 'hasmoved' || (r.reason === 'notaccept' && r.hard_bounce === 'true');

/**
 * Reviewed disagreements: corpus row id → why our decision differs from Sisimai's label.
 * All of them are "Sisimai says invalid, we do not suppress": the safe direction.
 */
const REVIEWED_DISAGREEMENTS: Record<string, string> = {
  '123': 'Text lists three possible causes ("account or domain may not exist, they may be blacklisted, or missing the proper dns entries"); a possible block list means we must not suppress.',
  '129': '"553 neko.example.com does not exist" after end of DATA names a domain other than the recipient\'s (example.net), most likely the sender\'s; nothing says the recipient is missing.',
  '277': '"554 … the domain is not reachable. Please check the domain and try again" reads as a reachability (network) failure, not proof that the domain does not exist.',
  '289': 'Postfix "450 4.1.1 … User unknown in virtual alias table" uses a temporary code (unknown_local_recipient_reject_code=450 / soft_bounce); RFC 3463 class 4 is transient, so we retry (user-unknown-temporary) instead of suppressing.',
  '354': 'Sisimai mislabel noted in the corpus README: "MXIN506 MailFrom domain is listed in Spamhaus" (in reply to MAIL FROM) is a block-list refusal of the sender.',
  '452': '"550 Host does not accept mail" carries RFC 7505 code 5.7.27 "sender address has null MX": the sender\'s domain is the problem, not the recipient\'s.',
  '460': '"Unable to deliver message to <…> (and other recipients in the same domain). Please check if address is correct." does not say the address is unknown; review rather than suppress.',
  '461': 'Same notice as 460 without even the "check if address is correct" hint; nothing says the address does not exist.',
  '571': '"Name service error … type=MX: Malformed or unexpected name server reply" is a DNS server failure (Sisimai labels the identical text networkerror in row 302); retry, do not suppress.',
  '600': '"542 <address> Rejected" with a generic 5.0.0 gives no reason at all; a bare rejection is not proof of nonexistence.',
};

/**
 * Reviewed exceptions to "no sender-side label may be classified invalid-address": row id → why Sisimai's
 * sender-side label is wrong. Currently none are needed; add entries only with a written reason.
 */
const SENDER_SIDE_EXCEPTIONS: Record<string, string> = {};

describe('Sisimai corpus agreement', () => {
  const inScope = rows.filter((r) => !OUT_OF_SCOPE.has(r.reason));
  const verdicts = inScope.map((r) => {
    const parsed = parseStatus(r.status, r.diagnostic);
    // The corpus records the SMTP command; real logs rarely do (then the stage is read from the text).
    const c = classify(parsed, { email: `x@${r.recipient_domain}`, ...(r.smtp_command ? { command: r.smtp_command } : {}) });
    return { row: r, parsed, c, ours: c.bucket === 'invalid-address', truth: truthInvalid(r) };
  });
  const disagreements = verdicts.filter((v) => v.ours !== v.truth);
  const agree = verdicts.length - disagreements.length;
  const pct = (100 * agree) / verdicts.length;

  it('agrees with Sisimai on the invalid-address decision for ≥ 97 % of in-scope rows', () => {
    console.log(`corpus agreement: ${agree} of ${verdicts.length} rows = ${pct.toFixed(2)} %`);
    for (const v of disagreements) {
      console.log(
        `  disagree #${v.row.id} ${v.row.reason} truth=${v.truth} ours=${v.c.bucket}/${v.c.reason} rule=${v.c.ruleId}` +
          `${v.c.guard ? `/${v.c.guard}` : ''} [${v.parsed.basic} ${v.parsed.enhanced}] ${v.row.diagnostic.slice(0, 140)}`,
      );
    }
    expect(verdicts.length).toBe(549);
    expect(pct).toBeGreaterThanOrEqual(97);
  });

  it('keeps the reviewed-disagreement list exact (no new, none stale)', () => {
    const actual = disagreements.map((v) => v.row.id).sort();
    const reviewed = Object.keys(REVIEWED_DISAGREEMENTS).sort();
    expect(actual.filter((id) => !reviewed.includes(id)), 'new unreviewed disagreements').toEqual([]);
    expect(reviewed.filter((id) => !actual.includes(id)), 'listed disagreements that disappeared').toEqual([]);
  });

  it('never suppresses a row Sisimai labels as a sender-side refusal (unless reviewed)', () => {
    const offenders = rows
      .filter((r) => SENDER_SIDE.has(r.reason))
      .filter((r) => {
        const c = classify(parseStatus(r.status, r.diagnostic), { email: `x@${r.recipient_domain}`, ...(r.smtp_command ? { command: r.smtp_command } : {}) });
        return c.bucket === 'invalid-address';
      })
      .map((r) => r.id);
    for (const id of offenders) console.log(`  sender-side row classified invalid: #${id}`);
    expect(offenders.filter((id) => !(id in SENDER_SIDE_EXCEPTIONS))).toEqual([]);
    expect(Object.keys(SENDER_SIDE_EXCEPTIONS).filter((id) => !offenders.includes(id)), 'stale exceptions').toEqual([]);
  });

  it('still never suppresses sender-side rows when the SMTP command is unknown (as in real logs)', () => {
    const offenders = rows
      .filter((r) => SENDER_SIDE.has(r.reason))
      .filter((r) => classify(parseStatus(r.status, r.diagnostic), { email: `x@${r.recipient_domain}` }).bucket === 'invalid-address')
      .map((r) => `${r.id}: ${r.diagnostic.slice(0, 100)}`);
    expect(offenders).toEqual([]);
  });
});
