import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { classifyReply, parseStatus } from '../../src/index.js';
import { classifyRow } from '../../src/classify/cache.js';

const rows = parse(readFileSync(new URL('../corpus/sisimai-bounces.csv', import.meta.url)), { columns: true }) as Record<string, string>[];

describe('classifyReply, the library entry', () => {
  it(`gives the CLI's verdict on all ${rows.length} corpus rows`, () => {
    const differ: string[] = [];
    for (const r of rows) {
      const email = `redacted@${r.recipient_domain}`;
      const lib = classifyReply({ status: r.status, diagnostic: r.diagnostic, email, smtpCommand: r.smtp_command });
      const cli = classifyRow(r.status!, r.diagnostic!, email, r.smtp_command ? { command: r.smtp_command } : undefined);
      if (lib.bucket !== cli.bucket || lib.reason !== cli.reason || lib.ruleId !== cli.ruleId) differ.push(`#${r.id}`);
    }
    expect(differ).toEqual([]);
  });

  it('reads the codes, the receiver and the action of one reply', () => {
    expect(classifyReply({ diagnostic: '550-5.1.1 The email account that you tried to reach does not exist. - gsmtp', email: 'Ann@GMail.com' })).toEqual({
      outcome: 'bounced',
      bucket: 'invalid-address',
      reason: 'user-unknown',
      ruleId: 'google-no-such-user',
      guard: null,
      receiver: 'google',
      basicCode: '550',
      enhancedCode: '5.1.1',
      action: 'suppress',
    });
    expect(classifyReply({ status: '250 2.0.0 OK' })).toMatchObject({ outcome: 'delivered', bucket: null, action: 'none' });
  });

  it('applies policies for ambiguous replies and ignores values that are not choices', () => {
    const reply = { status: '550 5.2.1', diagnostic: 'The email account that you tried to reach is disabled. - gsmtp', email: 'a@gmail.com' };
    expect(classifyReply(reply).bucket).toBe('invalid-address');
    expect(classifyReply(reply, { disabledMailbox: 'soft' }).bucket).toBe('soft');
    expect(classifyReply(reply, { disabledMailbox: 'nonsense' as never }).bucket).toBe('invalid-address');
  });

  it('takes missing, null and non-string fields as empty, as a webhook payload may send them', () => {
    expect(classifyReply({})).toMatchObject({ outcome: 'bounced', bucket: 'unclassified', reason: 'unknown' });
    expect(classifyReply({ status: null, diagnostic: 550 as unknown as string, email: null })).toMatchObject({ basicCode: '550' });
  });

  it('exports the status parser', () => {
    expect(parseStatus('5.1.1', '')).toMatchObject({ enhanced: '5.1.1' });
  });
});
