/**
 * Amazon SES notifications (read from JSON Lines or a JSON array by src/input/json-records.ts),
 * as delivered by SNS (optionally still wrapped in the SNS envelope, whose `Message` is the
 * notification as a JSON string, or in the `Records[].Sns` of the event SNS hands to Lambda) or
 * by SES event publishing (`eventType` instead of `notificationType`).
 *
 * - Bounce: one row per `bounce.bouncedRecipients[]` entry, with its `status` and
 *   `diagnosticCode` and the notification's `bounceType`/`bounceSubType` as the hint.
 * - Delivery: one delivered row per `delivery.recipients[]`, so a log of bounces *and*
 *   deliveries gives the number sent.
 * - Anything else (Send, Open, Complaint, DeliveryDelay, …): skipped as not-a-bounce; a
 *   DeliveryDelay always ends in a later Delivery or Bounce, so counting it would double-count.
 * - A line that is not valid JSON, or not an SES notification: skipped with its line number.
 */
import { sesHint } from './platform-types.js';
import type { ReadItem } from './row.js';

type Json = Record<string, unknown>;
const obj = (v: unknown): Json | null => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : null);
const str = (v: unknown): string => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '');

/** The SES notification inside a line: unwraps the SNS envelope when present. */
function notificationOf(value: unknown): Json | null {
  // A record of the event SNS hands to AWS Lambda (`Records[].Sns`) holds the envelope.
  const o = obj(obj(value)?.Sns) ?? obj(value);
  if (!o) return null;
  if (typeof o.Message === 'string' && (o.Type === 'Notification' || 'TopicArn' in o)) {
    try {
      return obj(JSON.parse(o.Message));
    } catch {
      return null;
    }
  }
  return o;
}

/** Campaign from SES message tags (`mail.tags.campaign[0]`), else ''. */
function campaignOf(mail: Json | null): string {
  const tags = obj(mail?.tags);
  if (!tags) return '';
  for (const key of ['campaign', 'Campaign', 'campaign_id', 'campaignId']) {
    const v = tags[key];
    if (Array.isArray(v) && v.length) return str(v[0]);
    if (typeof v === 'string') return v;
  }
  return '';
}

/** Rows of one parsed line. Pure, for table tests. */
export function sesRows(value: unknown, line: number): ReadItem[] {
  const n = notificationOf(value);
  if (!n) return [{ line, skip: 'invalid-json', raw: null }];
  const type = str(n.notificationType ?? n.eventType);
  const mail = obj(n.mail);
  const campaign = campaignOf(mail);
  if (type === 'Bounce') {
    const b = obj(n.bounce);
    const recipients = Array.isArray(b?.bouncedRecipients) ? (b!.bouncedRecipients as unknown[]) : [];
    if (!b || recipients.length === 0) return [{ line, skip: 'missing-email', raw: null }];
    const h = sesHint(str(b.bounceType), str(b.bounceSubType));
    return recipients.map((r) => {
      const rec = obj(r) ?? {};
      const diag = str(rec.diagnosticCode);
      return {
        line,
        email: str(rec.emailAddress),
        status: /\d\d\d|\d\.\d/.test(diag) ? '' : str(rec.status),
        diagnostic: diag,
        campaign,
        date: str(b.timestamp) || str(mail?.timestamp),
        command: '',
        hint: h,
        source: '',
        raw: null,
      };
    });
  }
  if (type === 'Delivery') {
    const d = obj(n.delivery);
    const recipients = Array.isArray(d?.recipients) ? (d!.recipients as unknown[]) : [];
    if (!d || recipients.length === 0) return [{ line, skip: 'missing-email', raw: null }];
    return recipients.map((r) => ({
      line,
      email: str(r),
      status: '',
      diagnostic: str(d.smtpResponse),
      campaign,
      date: str(d.timestamp),
      command: '',
      hint: { kind: 'delivered', reason: 'ses-delivery' },
      source: '',
      raw: null,
    }));
  }
  if (type === '') return [{ line, skip: 'invalid-json', raw: null }];
  return [{ line, skip: 'not-a-bounce', raw: null }];
}
