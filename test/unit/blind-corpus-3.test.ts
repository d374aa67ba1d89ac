/**
 * The third blind held-out corpus (test/corpus/blind-replies-3.csv, described in test/corpus/README.md): replies
 * from sources none of the other corpora use, labelled by hand by someone who did not read the rules, and
 * committed before the classifier was run on them. Every row is classified exactly as the CLI does (the library
 * entry, with the row's recipient domain and SMTP command), and the figures are printed with every disagreeing row.
 *
 * SKIPPED UNTIL THE ONE MEASUREMENT. Nobody who works on the rules may see this corpus classified, so every test
 * here is `it.skip` and nothing is classified while they are skipped. After the rule work, the lead engineer runs
 * the report once (turn the first `it.skip` into `it` and run
 * `npx vitest run test/unit/blind-corpus-3.test.ts`), reports the figures whatever they are, writes them into
 * FLOOR below (the same margins as blind-corpus.test.ts and blind-corpus-2.test.ts) and then turns all three
 * tests into `it`. The TODO floors are NaN on purpose: no comparison with NaN passes, so an accidental unskip
 * without the measured values fails rather than passing silently.
 */
import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { classifyReply } from '../../src/index.js';

interface Row {
  id: string;
  group: string;
  recipient_domain: string;
  smtp_command: string;
  status: string;
  diagnostic: string;
  bucket: string;
  reason: string;
}

const rows = parse(readFileSync(new URL('../corpus/blind-replies-3.csv', import.meta.url)), { columns: true }) as Row[];

/** TODO(lead engineer): replace with the measured value at the one measurement. Not a number until then. */
const TODO = Number.NaN;

/**
 * Floors to be fixed at the first and only measurement, before any rule sees this corpus. TODO: set each from that
 * run, with the margins of blind-corpus.test.ts, and note the measured figures here.
 */
const FLOOR = {
  /** Share of rows whose bucket equals the hand label: measured minus one point. */
  agreement: TODO,
  /** Share of invalid-address rows classified invalid-address: measured minus one point. */
  invalidRecall: TODO,
  /** Rows not labelled invalid-address but classified invalid-address: at most the measured count. */
  wrongSuppressions: TODO,
  /** Share of rows left unclassified: measured plus one point. */
  unclassifiedShare: TODO,
};

function pct(n: number, d: number): string {
  return `${((100 * n) / d).toFixed(1)} % (${n}/${d})`;
}

interface Result {
  row: Row;
  bucket: string;
  reason: string;
  ruleId: string | undefined;
}

/** Classifies the corpus on first use only, so that nothing is classified while the tests are skipped. */
let cached: Result[] | undefined;
function results(): Result[] {
  cached ??= rows.map((r) => {
    const c = classifyReply({
      status: r.status,
      diagnostic: r.diagnostic,
      email: 'x@' + r.recipient_domain,
      smtpCommand: r.smtp_command,
    });
    return { row: r, bucket: c.bucket ?? 'delivered', reason: c.reason, ruleId: c.ruleId };
  });
  return cached;
}

function figures() {
  const all = results();
  const labelledInvalid = all.filter((x) => x.row.bucket === 'invalid-address');
  return {
    total: all.length,
    agree: all.filter((x) => x.bucket === x.row.bucket),
    labelledInvalid,
    recalled: labelledInvalid.filter((x) => x.bucket === 'invalid-address'),
    wrongSuppressions: all.filter((x) => x.row.bucket !== 'invalid-address' && x.bucket === 'invalid-address'),
    unclassified: all.filter((x) => x.bucket === 'unclassified'),
    disagreements: all.filter((x) => x.bucket !== x.row.bucket),
  };
}

describe('third blind held-out corpus', () => {
  // Skipped until the one measurement (see the header): turning this into `it` is that measurement.
  it.skip('reports the figures and every disagreeing row', () => {
    const f = figures();
    const lines = [
      `blind corpus 3: ${f.total} rows`,
      `agreement (bucket equal):      ${pct(f.agree.length, f.total)}`,
      `invalid-address recall:        ${pct(f.recalled.length, f.labelledInvalid.length)}`,
      `wrong suppressions:            ${f.wrongSuppressions.length} (${f.wrongSuppressions.map((x) => '#' + x.row.id).join(', ') || 'none'})`,
      `unclassified share:            ${pct(f.unclassified.length, f.total)}`,
      `disagreements (${f.disagreements.length}):`,
      ...f.disagreements.map(
        (x) =>
          `  #${x.row.id} [${x.row.group}] ${JSON.stringify(x.row.diagnostic)} status=${JSON.stringify(x.row.status)} cmd=${JSON.stringify(x.row.smtp_command)}` +
          `\n      label ${x.row.bucket}/${x.row.reason}  classifier ${x.bucket}/${x.reason} (${x.ruleId ?? '-'})`,
      ),
    ];
    console.log(lines.join('\n'));
    expect(f.total).toBeGreaterThanOrEqual(150);
  });

  // Skipped until FLOOR holds the measured values (TODO above).
  it.skip('keeps agreement, invalid-address recall and the unclassified share at their measured levels', () => {
    const f = figures();
    expect(f.agree.length / f.total).toBeGreaterThanOrEqual(FLOOR.agreement);
    expect(f.recalled.length / f.labelledInvalid.length).toBeGreaterThanOrEqual(FLOOR.invalidRecall);
    expect(f.unclassified.length / f.total).toBeLessThanOrEqual(FLOOR.unclassifiedShare);
  });

  // Skipped until FLOOR holds the measured values (TODO above).
  it.skip('suppresses no more addresses wrongly than at the measurement', () => {
    expect(figures().wrongSuppressions.length).toBeLessThanOrEqual(FLOOR.wrongSuppressions);
  });
});
