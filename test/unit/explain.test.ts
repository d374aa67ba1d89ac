import { describe, expect, it } from 'vitest';
import { explain } from '../../src/classify/explain.js';
import { renderExplain } from '../../src/report/explain.js';
import { Chalk } from 'chalk';

describe('explain', () => {
  it('returns coded data for a user-unknown reply', () => {
    const e = explain('550 5.1.1 <x@example.com>: Recipient address rejected: User unknown in virtual mailbox table', { email: 'x@example.com' });
    expect(e).toMatchObject({
      basic: '550',
      enhanced: '5.1.1',
      enhancedRegistered: true,
      enhancedSummary: 'Bad destination mailbox address',
      receiver: null,
      ruleId: 'user-unknown',
      outcome: 'bounced',
      bucket: 'invalid-address',
      reason: 'user-unknown',
      action: 'suppress',
      guard: null,
    });
    expect(e.ruleSource).toMatch(/RFC 3463/);
    expect(e.basicMeaning).toMatch(/mailbox unavailable/);
  });

  it('explains receiver rules, unregistered codes and policies', () => {
    const e = explain('550 5.4.1 Recipient address rejected: Access denied. AS(201806281) [x.prod.protection.outlook.com]', { email: 'contoso.com' });
    expect(e).toMatchObject({ receiver: 'microsoft', ruleId: 'microsoft-dbeb-access-denied', bucket: 'invalid-address', action: 'suppress' });
    expect(e.policy).toEqual({ name: 'recipientAccessDenied', value: 'invalid-address', flag: '--recipient-access-denied' });
    const ms = explain('550 5.7.606 Access denied, banned sending IP [192.0.2.1]');
    expect(ms).toMatchObject({ enhanced: '5.7.606', enhancedRegistered: false, enhancedClass: 'Permanent Failure', enhancedSubject: 'Security or Policy Status', action: 'fix-sender' });
    const custom = explain('550 5.4.1 Recipient address rejected: Access denied [x.protection.outlook.com]', { policies: { recipientAccessDenied: 'unclassified' } });
    expect(custom).toMatchObject({ bucket: 'unclassified', action: 'review' });
  });

  it('explains guards and actions for every bucket', () => {
    expect(explain('450 4.1.1 <x@example.org>: Recipient address rejected: User unknown')).toMatchObject({ guard: 'guard-temporary', bucket: 'soft', action: 'retry-later' });
    expect(explain('550', { status: '' })).toMatchObject({ bucket: 'unclassified', action: 'review', ruleId: 'fallback-unclassified' });
    expect(explain('250 2.0.0 OK')).toMatchObject({ outcome: 'delivered', bucket: null, action: 'none' });
    expect(explain('', { status: '5.0.0' })).toMatchObject({ enhanced: '5.0.0', enhancedSummary: 'Other undefined Status' });
  });

  it('shows the words the recipient grammar matched', () => {
    const e = explain("550 The mailbox ann@example.com dosn't exist", { email: 'ann@example.com' });
    expect(e.ruleId).toBe('recipient-grammar');
    expect(e.matchedWords).toEqual({ subject: 'mailbox', predicate: "dosn't exist" });
    expect(e.matched).toContain('mailbox');
    expect(renderExplain(e, new Chalk({ level: 0 }))).toMatch(/Matched\s+".*mailbox.*dosn't exist.*"\s+subject "mailbox", predicate "dosn't exist"/);
    expect(explain('550 5.1.1', { status: '' }).matched).toBeNull();
  });

  it('never throws', () => {
    expect(() => explain(undefined as unknown as string, { status: null as unknown as string })).not.toThrow();
  });
});

describe('renderExplain', () => {
  it('prints codes with meanings, receiver, rule with source, bucket, reason and action', () => {
    const out = renderExplain(explain("550-5.1.1 The email account that you tried to reach does not exist. - gsmtp", { email: 'x@gmail.com' }), new Chalk({ level: 0 }));
    expect(out).toContain('Basic code     550');
    expect(out).toContain('Enhanced code  5.1.1  Bad destination mailbox address ([RFC3463]');
    expect(out).toContain('Receiver       google');
    expect(out).toContain('Rule           google-no-such-user  Gmail reply');
    expect(out).toContain('Bucket         invalid-address');
    expect(out).toContain('Reason         user-unknown');
    expect(out).toMatch(/Action\s+suppress/);
    expect(out).not.toMatch(/\u001b\[/);
  });

  it('uses colour only when asked', () => {
    const e = explain('554 5.7.1 Service unavailable; Client host [192.0.2.1] blocked using zen.spamhaus.org');
    expect(renderExplain(e, new Chalk({ level: 1 }))).toMatch(/\u001b\[/);
    expect(renderExplain(e, new Chalk({ level: 0 }))).not.toMatch(/\u001b\[/);
  });

  it('mentions unregistered codes, guards and policies', () => {
    expect(renderExplain(explain('550 5.1.351 Remote server returned unknown recipient'), new Chalk({ level: 0 }))).toContain('not in the IANA registry');
    expect(renderExplain(explain('450 4.1.1 User unknown'), new Chalk({ level: 0 }))).toContain('Guard          guard-temporary');
    expect(renderExplain(explain('550 5.1.1 <x@icloud.com>: inactive email address', { email: 'icloud.com' }), new Chalk({ level: 0 }))).toContain('(change with --icloud-inactive)');
  });
});
