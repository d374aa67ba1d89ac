/**
 * The event records of Mailgun, SendGrid and Postmark as JSON (webhook posts saved to a file, or
 * API pages), mapped to message events (src/input/message-events.ts), and how a record's shape
 * names its platform. Amazon SES notifications have their own reader (ses-notifications.ts).
 *
 * Field names follow each platform's documentation:
 * - Mailgun events (webhooks' `event-data`, the events API's `items`): `event` (accepted,
 *   delivered, failed with `severity` permanent/temporary, rejected, opened, clicked,
 *   unsubscribed, complained, stored), `recipient`, `delivery-status` (`code`, `enhanced-code`,
 *   `message`, `description`), `reason` (bounce, suppress-bounce, …), `message.headers.message-id`,
 *   `timestamp` (unix seconds), `tags`, `campaigns`, `user-variables`.
 * - SendGrid Event Webhook: `email`, `event` (processed, dropped, delivered, deferred, bounce,
 *   open, click, spamreport, unsubscribe, group_unsubscribe, group_resubscribe), `sg_message_id`,
 *   `smtp-id`, `reason`, `status`, `response`, `type` (bounce or blocked), `bounce_classification`,
 *   `timestamp` (unix seconds), `category`, `marketing_campaign_name`.
 * - Postmark webhooks: `RecordType` (Bounce, Delivery, Open, Click, SpamComplaint,
 *   SubscriptionChange); a bounce has `Type`, `Email`, `Details`, `BouncedAt`, `MessageID`, `Tag`;
 *   a delivery `Recipient`, `DeliveredAt`, `Details`. The bounces API's records are bounces without
 *   `RecordType`.
 */
import type { FormatId, SourceRow } from './row.js';
import type { MessageEvent } from './message-events.js';
import { POSTMARK_TYPES, SENDGRID_EVENTS, hint, kebab, sendgridBounceHint, sendgridMessageId, wordKey } from './platform-types.js';

type Json = Record<string, unknown>;
const obj = (v: unknown): Json | null => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : null);
const str = (v: unknown): string => (typeof v === 'string' ? v : typeof v === 'number' && Number.isFinite(v) ? String(v) : '');
const first = (v: unknown): string => (Array.isArray(v) ? str(v[0]) : str(v));

/** The JSON event formats this module reads. */
export type JsonEventFormat = Extract<FormatId, 'mailgun-events' | 'sendgrid-events' | 'postmark-webhooks'>;

/** Which platform wrote a record, from the keys only its records have; null for none of them. */
export function jsonShapeOf(record: Json): FormatId | null {
  const sns = obj(record.Sns) ?? record;
  if ('notificationType' in record || ('eventType' in record && 'mail' in record) || (sns.Type === 'Notification' && typeof sns.Message === 'string')) return 'ses-jsonl';
  if (obj(record['event-data']) || ('event' in record && 'recipient' in record && ('delivery-status' in record || 'severity' in record || 'log-level' in record || 'message' in record))) return 'mailgun-events';
  if ('event' in record && 'email' in record && ('sg_event_id' in record || 'sg_message_id' in record || 'smtp-id' in record)) return 'sendgrid-events';
  if ('RecordType' in record || ('Type' in record && 'TypeCode' in record && 'Email' in record)) return 'postmark-webhooks';
  return null;
}

function row(line: number, fields: Partial<SourceRow> & { email: string }): SourceRow {
  return { line, status: '', diagnostic: '', campaign: '', date: '', command: '', hint: null, source: '', raw: null, ...fields };
}


/** Unix seconds (Mailgun, SendGrid) as an ISO date; '' when absent. */
function unixDate(v: unknown): string {
  const n = typeof v === 'number' ? v : typeof v === 'string' && /^\d+(\.\d+)?$/.test(v) ? Number(v) : NaN;
  return Number.isFinite(n) ? new Date(Math.round(n * 1000)).toISOString() : '';
}

// ---------------------------------------------------------------- Mailgun
function mailgunEvent(record: Json, line: number): MessageEvent | null {
  const e = obj(record['event-data']) ?? record;
  const event = str(e.event).toLowerCase();
  const recipient = str(e.recipient);
  const message = obj(e.message);
  const headers = obj(message?.headers);
  const id = str(headers?.['message-id']) || str(e.id);
  const ds = obj(e['delivery-status']);
  const code = str(ds?.code);
  const enhanced = str(ds?.['enhanced-code']);
  const text = [str(ds?.message), str(ds?.description)].filter((t) => t.trim() !== '').join(' ');
  const firstCampaign: unknown = Array.isArray(e.campaigns) ? e.campaigns[0] : undefined;
  const campaign = str(obj(firstCampaign)?.name) || str(firstCampaign) || first(e.tags) || str(obj(e['user-variables'])?.campaign);
  const base = row(line, { email: recipient, campaign, date: unixDate(e.timestamp) });
  const key = `${id}\n${recipient.toLowerCase()}`;
  switch (event) {
    case 'accepted':
      return { outcome: 'sent', key, row: { ...base, hint: hint('delivered', 'mailgun-accepted') } };
    case 'delivered':
      return { outcome: 'delivered', key, row: { ...base, hint: hint('delivered', 'mailgun-delivered') } };
    case 'failed': {
      const reason = str(e.reason).toLowerCase();
      // Mailgun did not try: the address is on the account's bounce, unsubscribe or complaint list.
      if (reason.startsWith('suppress')) return { outcome: 'not-sent', key, row: base };
      const status = [code, enhanced].filter((c) => c !== '').join(' ');
      if (str(e.severity).toLowerCase() === 'temporary') {
        return { outcome: 'deferred', key, row: { ...base, status, diagnostic: text, hint: hint('soft', 'mailgun-temporary') } };
      }
      // A permanent failure: Mailgun gave up (its own codes, such as 498 for a domain that does not resolve, included).
      return { outcome: 'bounced', key, row: { ...base, status, diagnostic: text, hint: hint('hard', `mailgun-${reason ? kebab(reason) : 'permanent'}`) } };
    }
    // Mailgun's older event names: `bounced` (a hard bounce) and `dropped` (given up, or suppressed).
    case 'bounced':
      return { outcome: 'bounced', key, row: { ...base, status: code, diagnostic: text || str(e.error) || str(e.description), hint: hint('hard', 'mailgun-bounced') } };
    case 'dropped': {
      const reason = str(e.reason).toLowerCase();
      if (reason === '' || reason.startsWith('suppress') || reason === 'hardfail') return { outcome: 'not-sent', key, row: base };
      return { outcome: 'bounced', key, row: { ...base, status: code, diagnostic: text || str(e.description), hint: hint('hard', `mailgun-dropped-${kebab(reason)}`) } };
    }
    case 'rejected':
      return { outcome: 'not-sent', key, row: base };
    case '':
      return null;
    default:
      return { outcome: 'other', key, row: base };
  }
}

// ---------------------------------------------------------------- SendGrid

function sendgridEvent(record: Json, line: number): MessageEvent | null {
  const event = wordKey(str(record.event));
  if (event === '') return null;
  const email = str(record.email);
  const id = sendgridMessageId(str(record.sg_message_id)) || str(record['smtp-id']);
  const campaign = str(record.marketing_campaign_name) || first(record.category);
  const base = row(line, { email, campaign, date: unixDate(record.timestamp) });
  const key = `${id}\n${email.toLowerCase()}`;
  const reason = str(record.reason);
  const kind = SENDGRID_EVENTS[event] ?? 'other';
  switch (kind) {
    case 'sent':
      return { outcome: kind, key, row: { ...base, hint: hint('delivered', 'sendgrid-processed') } };
    case 'delivered':
      return { outcome: kind, key, row: { ...base, hint: hint('delivered', 'sendgrid-delivered') } };
    case 'deferred':
      return { outcome: kind, key, row: { ...base, diagnostic: str(record.response) || reason, hint: hint('soft', 'sendgrid-deferred') } };
    case 'bounced':
      return {
        outcome: kind,
        key,
        row: { ...base, status: str(record.status), diagnostic: reason, hint: sendgridBounceHint(event.startsWith('block') ? 'blocked' : str(record.type), str(record.bounce_classification)) },
      };
    default:
      return { outcome: kind, key, row: base };
  }
}

// ---------------------------------------------------------------- Postmark
function postmarkEvent(record: Json, line: number): MessageEvent | null {
  const type = str(record.RecordType).toLowerCase();
  const id = str(record.MessageID);
  const campaign = str(record.Tag);
  if (type === 'delivery') {
    const email = str(record.Recipient);
    return { outcome: 'delivered', key: `${id}\n${email.toLowerCase()}`, row: row(line, { email, campaign, date: str(record.DeliveredAt), hint: hint('delivered', 'postmark-delivery') }) };
  }
  const email = str(record.Email) || str(record.Recipient);
  const key = `${id}\n${email.toLowerCase()}`;
  const base = row(line, { email, campaign, date: str(record.BouncedAt) || str(record.ReceivedAt) });
  if (type === 'bounce' || (type === '' && 'Type' in record)) {
    const bounceType = str(record.Type).trim();
    const k = bounceType.toLowerCase();
    const kind = k in POSTMARK_TYPES ? POSTMARK_TYPES[k]! : 'bounced';
    if (kind === null) return { outcome: 'other', key, row: base };
    // Only Details is the receiver's reply; Description is Postmark's generic text for the type.
    return { outcome: 'bounced', key, row: { ...base, diagnostic: str(record.Details), hint: hint(kind, `postmark-${kebab(bounceType || 'unknown')}`) } };
  }
  if (type === '') return null;
  return { outcome: 'other', key, row: base };
}

/** The message event of one record in `format`; null when the record is not of that platform's shape. */
export function jsonEvent(format: JsonEventFormat, record: Json, line: number): MessageEvent | null {
  if (format === 'mailgun-events') return mailgunEvent(record, line);
  if (format === 'sendgrid-events') return sendgridEvent(record, line);
  return postmarkEvent(record, line);
}
