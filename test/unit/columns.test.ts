import { describe, it, expect } from 'vitest';
import { detectColumns, normaliseHeader } from '../../src/input/columns.js';

describe('column detection', () => {
  it.each([
    ['email', 'email'],
    ['Email', 'email'],
    ['Email Address', 'email'],
    ['EMAIL_ADDRESS', 'email'],
    ['address', 'email'],
    ['recipient', 'email'],
    ['rcpt', 'email'],
    ['to', 'email'],
  ])('recognises %s as the email column', (header) => {
    expect(detectColumns([header, 'x'], {}, 'f.csv').email).toBe(0);
  });

  it.each([
    ['status', 'status'],
    ['code', 'status'],
    ['smtp_code', 'status'],
    ['status_code', 'status'],
    ['Status Code', 'status'],
    ['dsn', 'status'],
    ['diagnostic', 'diagnostic'],
    ['diagnostic_code', 'diagnostic'],
    ['reason', 'diagnostic'],
    ['error', 'diagnostic'],
    ['message', 'diagnostic'],
    ['response', 'diagnostic'],
    ['smtp_response', 'diagnostic'],
    ['bounce_reason', 'diagnostic'],
    ['campaign', 'campaign'],
    ['campaign_name', 'campaign'],
    ['Campaign Name', 'campaign'],
    ['campaign_id', 'campaign'],
    ['date', 'date'],
    ['timestamp', 'date'],
    ['bounced_at', 'date'],
    ['created_at', 'date'],
    ['created', 'date'],
  ] as const)('recognises %s as the %s column', (header, role) => {
    expect(detectColumns(['email', header], {}, 'f.csv')[role]).toBe(1);
  });

  it('ignores case, spaces, underscores and hyphens', () => {
    expect(normaliseHeader(' Bounce-Reason_ ')).toBe('bouncereason');
  });

  it('prefers the better alias when two candidates exist, whatever their order', () => {
    const cols = detectColumns(['campaign_id', 'email', 'campaign_name'], {}, 'f.csv');
    expect(cols.campaign).toBe(2);
  });

  it('returns -1 for roles the file lacks', () => {
    expect(detectColumns(['email'], {}, 'f.csv')).toEqual({ email: 0, status: -1, diagnostic: -1, campaign: -1, date: -1, command: -1 });
  });

  it('takes overrides by exact or normalised name', () => {
    const cols = detectColumns(['Mail', 'Reply Code', 'email'], { email: 'mail', status: 'reply_code' }, 'f.csv');
    expect(cols.email).toBe(0);
    expect(cols.status).toBe(1);
  });

  it('fails naming the headers it saw when there is no email column', () => {
    expect(() => detectColumns(['name', 'phone'], {}, 'f.csv')).toThrow(/no email column found; the header has: "name", "phone"/);
  });
});
