import { describe, it, expect } from 'vitest';
import { addRow, createAggregate, summarise } from '../../src/count/campaigns.js';
import { verdict } from '../../src/count/verdict.js';
import { DEFAULT_THRESHOLDS, type Thresholds } from '../../src/defaults.js';
import type { Classification } from '../../src/classify/types.js';

const T: Thresholds = DEFAULT_THRESHOLDS;
const delivered: Classification = { outcome: 'delivered', bucket: null, reason: 'delivered', ruleId: 't' };
const invalid: Classification = { outcome: 'bounced', bucket: 'invalid-address', reason: 'user-unknown', ruleId: 't' };
const soft: Classification = { outcome: 'bounced', bucket: 'soft', reason: 'mailbox-full', ruleId: 't' };
const blocked: Classification = { outcome: 'bounced', bucket: 'blocked', reason: 'reputation', ruleId: 't' };

describe('verdict at the threshold edges', () => {
  it.each([
    // invalid, sent, status
    [0, 100, 'ok'],
    [2, 100, 'ok'], // exactly 2.00 % is not above warn
    [3, 100, 'warn'],
    [201, 10_000, 'warn'], // 2.01 %
    [5, 100, 'warn'], // exactly 5.00 % is warn, not fail
    [500, 10_000, 'warn'],
    [7, 140, 'warn'], // 5 % computed from other numbers
    [501, 10_000, 'fail'], // 5.01 %
    [6, 100, 'fail'],
    [1, 99, 'low-volume'], // under --min-sent
    [0, 0, 'low-volume'],
  ] as const)('%i invalid of %i sent → %s', (inv, sent, status) => {
    expect(verdict(inv, sent, T).status).toBe(status);
  });

  it('is unknown, with a null rate, when sent is unknown', () => {
    expect(verdict(3, null, T)).toEqual({ rate: null, status: 'unknown' });
  });

  it('honours custom thresholds, including fractional percentages', () => {
    const t = { warnAbove: 0.015, failAbove: 0.025, minSent: 10 };
    expect(verdict(15, 1000, t).status).toBe('ok');
    expect(verdict(16, 1000, t).status).toBe('warn');
    expect(verdict(25, 1000, t).status).toBe('warn');
    expect(verdict(26, 1000, t).status).toBe('fail');
  });
});

describe('summarise', () => {
  it('uses the row count as sent when a campaign has delivered rows, and counts each bucket and reason', () => {
    const agg = createAggregate();
    for (let i = 0; i < 95; i++) addRow(agg, 'A', delivered, null);
    addRow(agg, 'A', invalid, 'google');
    addRow(agg, 'A', invalid, 'google');
    addRow(agg, 'A', soft, null);
    addRow(agg, 'A', blocked, 'microsoft');
    addRow(agg, 'A', { ...invalid, reason: 'host-unknown' }, null);
    const { campaigns, totals } = summarise(agg, T, new Map());
    expect(campaigns).toHaveLength(1);
    expect(campaigns[0]).toEqual({
      campaign: 'A',
      rows: 100,
      sent: 100,
      sentSource: 'rows',
      delivered: 95,
      bounced: 5,
      invalidAddress: 3,
      softBounce: 1,
      blocked: 1,
      unclassified: 0,
      invalidAddressRate: 0.03,
      byReason: { 'user-unknown': 2, 'host-unknown': 1, 'mailbox-full': 1, reputation: 1 },
      status: 'warn',
    });
    expect(totals).toMatchObject({ campaign: null, sent: 100, invalidAddress: 3, status: 'warn' });
  });

  it('leaves sent unknown for a bounces-only campaign, and makes the total unknown too', () => {
    const agg = createAggregate();
    addRow(agg, 'bounces', invalid, null);
    for (let i = 0; i < 200; i++) addRow(agg, 'full', delivered, null);
    const { campaigns, totals } = summarise(agg, T, new Map());
    expect(campaigns.map((c) => [c.campaign, c.sent, c.status])).toEqual([
      ['bounces', null, 'unknown'],
      ['full', 200, 'ok'],
    ]);
    expect(totals.sent).toBeNull();
    expect(totals.invalidAddressRate).toBeNull();
  });

  it('takes --sent over the row count', () => {
    const agg = createAggregate();
    for (let i = 0; i < 6; i++) addRow(agg, 'B', invalid, null);
    const { campaigns } = summarise(agg, T, new Map([['B', 100]]));
    expect(campaigns[0]).toMatchObject({ sent: 100, sentSource: 'flag', invalidAddressRate: 0.06, status: 'fail' });
  });

  it('orders campaigns by name and keeps memory per campaign, not per row', () => {
    const agg = createAggregate();
    for (let i = 0; i < 10_000; i++) addRow(agg, i % 2 ? 'b' : 'a', delivered, i % 3 ? 'google' : null);
    expect(agg.size).toBe(2);
    expect(agg.get('a')!.byReceiver.size).toBe(2);
    expect(summarise(agg, T, new Map()).campaigns.map((c) => c.campaign)).toEqual(['a', 'b']);
  });
});
