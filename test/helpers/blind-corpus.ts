/**
 * The blind held-out corpora (test/corpus/blind-replies*.csv, described in test/corpus/README.md): replies
 * labelled by hand from sources the other corpora do not use, committed before the classifier was run on them.
 * Every row is classified exactly as the CLI does (the library entry, with the row's recipient domain and SMTP
 * command); the report prints the figures and every disagreeing row, and the floors hold the measured levels.
 */
import { describe, it, expect } from 'vitest';
import { classifyReply } from '../../src/index.js';
import { readLabelledReplies } from './labelled-corpus.js';

/** What a corpus must keep: each floor is the measured value with a one-point margin (none for wrong suppressions). */
export interface BlindFloor {
  /** Share of rows whose bucket equals the hand label: measured minus one point. */
  agreement: number;
  /** Share of invalid-address rows classified invalid-address: measured minus one point. */
  invalidRecall: number;
  /** Rows not labelled invalid-address but classified invalid-address: at most the measured count. */
  wrongSuppressions: number;
  /** Share of rows left unclassified: measured plus one point. */
  unclassifiedShare: number;
}

function pct(n: number, d: number): string {
  return `${((100 * n) / d).toFixed(1)} % (${n}/${d})`;
}

function figures(file: string) {
  const all = readLabelledReplies(file).map((r) => {
    const c = classifyReply({ status: r.status, diagnostic: r.diagnostic, email: 'x@' + r.recipient_domain, smtpCommand: r.smtp_command });
    return { row: r, bucket: c.bucket ?? 'delivered', reason: c.reason, ruleId: c.ruleId };
  });
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

/** The tests of one blind corpus: the printed report, and its floors. The corpus is classified once, on first use. */
export function describeBlindCorpus(title: string, file: string, floor: BlindFloor): void {
  let cached: ReturnType<typeof figures> | undefined;
  const f = () => (cached ??= figures(file));
  describe(title, () => {
    it('reports the figures and every disagreeing row', () => {
      const x = f();
      const lines = [
        `${file}: ${x.total} rows`,
        `agreement (bucket equal):      ${pct(x.agree.length, x.total)}`,
        `invalid-address recall:        ${pct(x.recalled.length, x.labelledInvalid.length)}`,
        `wrong suppressions:            ${x.wrongSuppressions.length} (${x.wrongSuppressions.map((d) => '#' + d.row.id).join(', ') || 'none'})`,
        `unclassified share:            ${pct(x.unclassified.length, x.total)}`,
        `disagreements (${x.disagreements.length}):`,
        ...x.disagreements.map(
          (d) =>
            `  #${d.row.id} [${d.row.group}] ${JSON.stringify(d.row.diagnostic)} status=${JSON.stringify(d.row.status)} cmd=${JSON.stringify(d.row.smtp_command)}` +
            `\n      label ${d.row.bucket}/${d.row.reason}  classifier ${d.bucket}/${d.reason} (${d.ruleId ?? '-'})`,
        ),
      ];
      console.log(lines.join('\n'));
      expect(x.total).toBeGreaterThanOrEqual(150);
    });

    it('keeps agreement, invalid-address recall and the unclassified share at their measured levels', () => {
      const x = f();
      expect(x.agree.length / x.total).toBeGreaterThanOrEqual(floor.agreement);
      expect(x.recalled.length / x.labelledInvalid.length).toBeGreaterThanOrEqual(floor.invalidRecall);
      expect(x.unclassified.length / x.total).toBeLessThanOrEqual(floor.unclassifiedShare);
    });

    it('suppresses no more addresses wrongly than at the measurement', () => {
      expect(f().wrongSuppressions.length).toBeLessThanOrEqual(floor.wrongSuppressions);
    });
  });
}
