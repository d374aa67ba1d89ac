/**
 * The adapter table: how to recognise each platform's CSV export from its header (and a few
 * sample rows), what columns the format needs, and how to map one of its rows to a `SourceRow`
 * (or, for exports with one row per event, to a message event).
 *
 * Column names come from each provider's documented export or API fields:
 * Mailgun bounces (address, code, error, created_at — RFC 2822 dates); SendGrid bounces
 * (email, created — unix seconds, reason, status); SendGrid Email Activity export (processed —
 * unix seconds, message_id, event, email, reason, type, categories, marketing_campaign_name; one
 * row per event); Postmark bounces (Type, TypeCode, Details, BouncedAt, Tag); Amazon SES bounce
 * notifications (bounceType, bounceSubType, bouncedRecipients[].emailAddress/status/diagnosticCode);
 * Mailchimp cleaned contacts (CLEAN_TIME, CLEAN_CAMPAIGN_TITLE, CLEAN_CAMPAIGN_ID); HubSpot
 * "Export unsubscribes and bounces" (Portal Bounce holds the bounce reason or category, Global
 * Bounce TRUE) and a marketing email's recipients export (Recipient, Sent At, Not Sent Reason,
 * Bounce, Bounce Reason); Brevo event logs (email, event, reason, date, campaignId, message-id)
 * and the older Sendinblue logs export (st_text, ts, sub, frm, email, tag, mid); Klaviyo suppressed
 * profiles (Email, Suppression Reason, Suppression Date); sequencer lead exports.
 */
import { COLUMN_ALIASES, detectColumns, normaliseHeader, type ColumnOverrides } from './columns.js';
import type { FormatId, ReadItem, SourceRow } from './row.js';
import type { MessageEvent } from './message-events.js';
import {
  BREVO_EVENTS,
  KLAVIYO_REASONS,
  brevoEventKind,
  POSTMARK_TYPES,
  SENDGRID_EVENTS,
  hint,
  hubspotCategoryHint,
  kebab,
  sendgridBounceHint,
  sendgridMessageId,
  sesHint,
  wordKey,
} from './platform-types.js';

/** Header lookups by normalised name; SES-style dotted paths also match on their last segment. */
export class HeaderIndex {
  readonly names: string[];
  readonly leaf: string[];
  constructor(readonly header: readonly string[]) {
    this.names = header.map(normaliseHeader);
    this.leaf = this.names.map((n) => n.slice(n.lastIndexOf('.') + 1).replace(/\[\d+\]|\.\d+\./g, ''));
  }
  /** Index of the first alias present (exact normalised name first, then dotted leaf), or -1. */
  find(...aliases: string[]): number {
    for (const a of aliases) {
      const i = this.names.indexOf(a);
      if (i >= 0) return i;
    }
    for (const a of aliases) {
      const i = this.leaf.indexOf(a);
      if (i >= 0) return i;
    }
    return -1;
  }
  has(...aliases: string[]): boolean {
    return aliases.every((a) => this.find(a) >= 0);
  }
}

export interface BindContext {
  overrides: ColumnOverrides;
  /** `--source-column`, or null for auto-detection. */
  sourceColumn: string | null;
  file: string;
  /** `--all-rows-bounced`: every row of a file that does not say so is a bounce. */
  allRowsBounced: boolean;
}

export type RowMapper = (fields: readonly string[], line: number) => ReadItem;
export type EventMapper = (fields: readonly string[], line: number) => MessageEvent;

export interface CsvAdapter {
  id: FormatId;
  /** Display name, e.g. "Postmark bounces export". */
  label: string;
  /** Every row is one message sent, and bounces carry no reply text: gate on the bounce rate. */
  statusOnly: boolean;
  /** 0 when the header is not this format; higher is a more specific match. */
  detect(h: HeaderIndex, sample: readonly (readonly string[])[]): number;
  /**
   * What the format needs to tell a bounce from anything else that its header lacks, in words
   * ("an event column (event, st_text)"); empty when the header has it. A file forced into a
   * format it does not fit is refused with this list rather than read as zero bounces.
   */
  missing(h: HeaderIndex, ctx: BindContext): string[];
  /** Resolve column positions once; the returned function maps one row. */
  bind?(h: HeaderIndex, ctx: BindContext): RowMapper;
  /** For exports with one row per event: the returned function maps one row to its event. */
  bindEvents?(h: HeaderIndex, ctx: BindContext): EventMapper;
  /**
   * The positions the mapped row reads, when the adapter can say; the reader then skips decoding
   * the other columns (they reach `raw` as '').
   */
  columnsUsed?(h: HeaderIndex, ctx: BindContext): number[];
}

/** Header names that hold a lead/list source, for `--by source`. */
export const SOURCE_ALIASES = ['source', 'leadsource', 'list', 'listname', 'vendor', 'listsource', 'datasource'];

function sourceIndex(h: HeaderIndex, ctx: BindContext): number {
  if (ctx.sourceColumn !== null) {
    const i = h.header.indexOf(ctx.sourceColumn);
    return i >= 0 ? i : h.names.indexOf(normaliseHeader(ctx.sourceColumn));
  }
  return h.find(...SOURCE_ALIASES);
}

const f = (fields: readonly string[], i: number): string => (i >= 0 ? (fields[i] ?? '') : '');
const need = (h: HeaderIndex, what: string, ...aliases: string[]): string[] => (h.find(...aliases) >= 0 ? [] : [what]);

/** Sample values of column i, trimmed, without empties. */
const valuesOf = (sample: readonly (readonly string[])[], i: number): string[] =>
  i < 0 ? [] : sample.map((r) => (r[i] ?? '').trim()).filter((v) => v !== '');

/** A reply code somewhere in the text (basic 2xx–5xx or enhanced x.y.z). */
const HAS_CODE = /(?<![\d.])(?:[245]\d\d|[245]\.\d{1,3}\.\d{1,3})(?![\d.])/;
/** Codes that say nothing specific: "5.0.0", "4.0.0", or a bare basic code. */
const GENERIC_STATUS = /^\s*(?:[245]\.0\.0|[245]\d\d)\s*$/;

/**
 * Texts that are the whole of a status or reason and name an event that is not a delivery outcome:
 * a suppression list or contact export that also lists unsubscribes and complaints.
 */
/** A status or reply that is only an event word: the row is another event of the message, not a bounce. */
export const NOT_A_BOUNCE_TEXT = /^(?:unsubscribed?|opted[ -]?out|spam[ _-]?(?:complaint|report(?:ed)?)|complaint|complained|marked[ _]as[ _]spam|abuse[ _]report|opened|open|clicked|click|(?:user|manually)[ _-]?suppressed|manual(?:ly)?[ _-]?(?:added|suppressed)?|subscribed|resubscribed)$/i;

// ---------------------------------------------------------------- generic
const generic: CsvAdapter = {
  id: 'generic',
  label: 'CSV bounce log',
  statusOnly: false,
  detect: (h) => (h.find(...COLUMN_ALIASES.email) >= 0 ? 1 : 0),
  missing(h, ctx) {
    if (ctx.allRowsBounced) return [];
    const cols = detectColumns(h.header, ctx.overrides, ctx.file);
    return cols.status >= 0 || cols.diagnostic >= 0 ? [] : ['a status or reply-text column'];
  },
  bind(h, ctx) {
    const cols = detectColumns(h.header, ctx.overrides, ctx.file);
    const src = sourceIndex(h, ctx);
    // --all-rows-bounced: the user vouches that each row is a bounce; without a reply it is one of unknown cause.
    const listed = ctx.allRowsBounced ? hint('bounced', 'listed-bounce') : null;
    return (fields, line) => {
      const status = f(fields, cols.status);
      const diagnostic = f(fields, cols.diagnostic);
      if ((status === '' || diagnostic === '') && NOT_A_BOUNCE_TEXT.test((status || diagnostic).trim())) return { line, skip: 'not-a-bounce', raw: fields };
      return {
        line,
        email: f(fields, cols.email),
        status,
        diagnostic,
        campaign: f(fields, cols.campaign),
        date: f(fields, cols.date),
        command: f(fields, cols.command),
        hint: listed,
        source: f(fields, src),
        raw: fields,
      };
    };
  },
  columnsUsed(h, ctx) {
    const cols = detectColumns(h.header, ctx.overrides, ctx.file);
    return [cols.email, cols.status, cols.diagnostic, cols.campaign, cols.date, cols.command, sourceIndex(h, ctx)];
  },
};

// ---------------------------------------------------------------- Mailgun
const mailgun: CsvAdapter = {
  id: 'mailgun',
  label: 'Mailgun bounces export',
  statusOnly: false,
  detect: (h) => (h.has('address', 'code', 'error', 'createdat') ? 10 : 0),
  missing: (h) => [...need(h, 'an address column', 'address', 'email'), ...need(h, 'a code or error column', 'error', 'code')],
  bind(h, ctx) {
    const a = h.find('address', 'email');
    const [c, e, d] = [h.find('code'), h.find('error'), h.find('createdat')];
    const camp = h.find('campaign', 'tag', 'tags');
    const src = sourceIndex(h, ctx);
    // Every row of Mailgun's bounces list is a permanent failure: the hint says so, so that a code
    // that looks temporary (Mailgun writes 498 for a domain that does not resolve) does not make
    // the row a soft bounce. `error` holds the receiver's text and decides what kind of failure.
    const permanent = hint('hard', 'mailgun-bounce');
    return (fields, line) => ({
      line,
      email: f(fields, a),
      status: HAS_CODE.test(f(fields, e)) ? '' : f(fields, c),
      diagnostic: f(fields, e),
      campaign: f(fields, camp),
      date: f(fields, d),
      command: '',
      hint: permanent,
      source: f(fields, src),
      raw: fields,
    });
  },
};

// ---------------------------------------------------------------- SendGrid bounces
const sendgrid: CsvAdapter = {
  id: 'sendgrid',
  label: 'SendGrid bounces export',
  statusOnly: false,
  detect: (h) => (h.has('email', 'created', 'reason', 'status') && h.find('event') < 0 ? 10 : 0),
  missing: (h) => [...need(h, 'an email column', 'email'), ...need(h, 'a reason or status column', 'reason', 'status')],
  bind(h, ctx) {
    const [a, c, r, s] = [h.find('email'), h.find('created'), h.find('reason'), h.find('status')];
    const camp = h.find('campaign', 'category', 'categories');
    const src = sourceIndex(h, ctx);
    // `status` is often a generic 5.0.0 or a bare 550 while `reason` holds the receiver's reply:
    // the reply text decides, the status column is only used when the text has no code of its own.
    return (fields, line) => {
      const reason = f(fields, r);
      const status = f(fields, s);
      return {
        line,
        email: f(fields, a),
        status: HAS_CODE.test(reason) || (GENERIC_STATUS.test(status) && reason.trim() !== '') ? '' : status,
        diagnostic: reason,
        campaign: f(fields, camp),
        date: f(fields, c),
        command: '',
        hint: null,
        source: f(fields, src),
        raw: fields,
      };
    };
  },
};

// ---------------------------------------------------------------- SendGrid Email Activity (one row per event)
const sendgridActivity: CsvAdapter = {
  id: 'sendgrid-activity',
  label: 'SendGrid Email Activity export (one row per event)',
  statusOnly: false,
  detect(h, sample) {
    if (!h.has('email', 'event') || h.find('messageid', 'msgid', 'sgmessageid') < 0) return 0;
    const events = valuesOf(sample, h.find('event')).map(wordKey);
    // SendGrid's own event names ("processed", "bounce", "open"), not Brevo's ("hard_bounce", "opened").
    const sendgridWords = events.filter((e) => e in SENDGRID_EVENTS).length;
    if (events.length > 0 && sendgridWords < events.length) return 0;
    return h.find('processed') >= 0 || events.includes('processed') ? 12 : 9;
  },
  missing: (h) => [...need(h, 'an email column', 'email'), ...need(h, 'an event column', 'event'), ...need(h, 'a message id column (message_id)', 'messageid', 'msgid', 'sgmessageid')],
  bindEvents(h, ctx) {
    const [a, ev, id, r, t, cls, st] = [h.find('email'), h.find('event'), h.find('messageid', 'msgid', 'sgmessageid'), h.find('reason'), h.find('type'), h.find('bounceclassification'), h.find('status')];
    const camp = h.find('marketingcampaignname', 'campaign', 'categories', 'category');
    const d = h.find('processed', 'timestamp', 'date');
    const src = sourceIndex(h, ctx);
    return (fields, line) => {
      const event = wordKey(f(fields, ev));
      const email = f(fields, a);
      const row: SourceRow = {
        line,
        email,
        status: '',
        diagnostic: '',
        campaign: f(fields, camp),
        date: f(fields, d),
        command: '',
        hint: null,
        source: f(fields, src),
        raw: fields,
      };
      const key = `${sendgridMessageId(f(fields, id))}\n${email.trim().toLowerCase()}`;
      const kind = SENDGRID_EVENTS[event] ?? 'other';
      if (kind === 'sent' || kind === 'delivered') return { outcome: kind, key, row: { ...row, hint: hint('delivered', `sendgrid-${kind === 'sent' ? 'processed' : 'delivered'}`) } };
      if (kind === 'deferred') return { outcome: kind, key, row: { ...row, diagnostic: f(fields, r), hint: hint('soft', 'sendgrid-deferred') } };
      if (kind === 'bounced') {
        const reason = f(fields, r);
        const status = f(fields, st);
        return {
          outcome: kind,
          key,
          row: {
            ...row,
            status: HAS_CODE.test(reason) || (GENERIC_STATUS.test(status) && reason.trim() !== '') ? '' : status,
            diagnostic: reason,
            hint: sendgridBounceHint(event === 'blocked' || event === 'block' ? 'blocked' : f(fields, t), f(fields, cls)),
          },
        };
      }
      return { outcome: kind, key, row };
    };
  },
};

// ---------------------------------------------------------------- Postmark
const postmark: CsvAdapter = {
  id: 'postmark',
  label: 'Postmark bounces export',
  statusOnly: false,
  detect: (h) => (h.has('email', 'type', 'details') && (h.find('bouncedat') >= 0 || h.find('typecode') >= 0) ? 10 : 0),
  missing: (h) => [...need(h, 'an Email column', 'email'), ...need(h, 'a Type column', 'type')],
  bind(h, ctx) {
    const [a, t, d, at] = [h.find('email'), h.find('type'), h.find('details'), h.find('bouncedat')];
    const camp = h.find('tag', 'campaign', 'messagestream');
    const src = sourceIndex(h, ctx);
    // `Description` is Postmark's generic text for the Type ("…unknown user, mailbox not found")
    // and would mislead the classifier: only `Details` (the receiver's reply) is read.
    return (fields, line) => {
      const type = f(fields, t).trim();
      const key = type.toLowerCase();
      const kind = key in POSTMARK_TYPES ? POSTMARK_TYPES[key]! : 'bounced';
      if (kind === null) return { line, skip: 'not-a-bounce', raw: fields };
      return {
        line,
        email: f(fields, a),
        status: '',
        diagnostic: f(fields, d),
        campaign: f(fields, camp),
        date: f(fields, at),
        command: '',
        hint: hint(kind, `postmark-${kebab(type || 'unknown')}`),
        source: f(fields, src),
        raw: fields,
      };
    };
  },
};

// ---------------------------------------------------------------- Amazon SES (flattened to CSV)
const ses: CsvAdapter = {
  id: 'ses',
  label: 'Amazon SES bounce events (CSV)',
  statusOnly: false,
  detect: (h) => (h.find('bouncetype') >= 0 && h.find('emailaddress') >= 0 ? 10 : 0),
  missing: (h) => [...need(h, 'an emailAddress column', 'emailaddress'), ...need(h, 'a bounceType column', 'bouncetype')],
  bind(h, ctx) {
    const a = h.find('bouncedrecipients.emailaddress', 'emailaddress');
    const [bt, bs, st, dc, ts] = [h.find('bouncetype'), h.find('bouncesubtype'), h.find('status'), h.find('diagnosticcode'), h.find('timestamp')];
    const camp = h.find('campaign', 'tags.campaign', 'configurationset');
    const src = sourceIndex(h, ctx);
    return (fields, line) => ({
      line,
      email: f(fields, a),
      status: HAS_CODE.test(f(fields, dc)) ? '' : f(fields, st),
      diagnostic: f(fields, dc),
      campaign: f(fields, camp),
      date: f(fields, ts),
      command: '',
      hint: sesHint(f(fields, bt), f(fields, bs)),
      source: f(fields, src),
      raw: fields,
    });
  },
};

// ---------------------------------------------------------------- Mailchimp cleaned contacts
const mailchimp: CsvAdapter = {
  id: 'mailchimp',
  label: 'Mailchimp cleaned contacts export',
  statusOnly: false,
  detect: (h) => (h.find('cleantime') >= 0 && h.find('emailaddress', 'email') >= 0 ? 10 : 0),
  missing: (h) => [...need(h, 'an Email Address column', 'emailaddress', 'email'), ...need(h, 'a CLEAN_TIME column (only the cleaned export lists bounces)', 'cleantime')],
  bind(h, ctx) {
    const a = h.find('emailaddress', 'email');
    const [t, title, id] = [h.find('cleantime'), h.find('cleancampaigntitle'), h.find('cleancampaignid')];
    const reason = h.find('cleanreason', 'bouncereason', 'reason');
    const src = sourceIndex(h, ctx);
    // "Cleaned" means a hard bounce *or* repeated soft bounces: without a reason it is an
    // unclassified bounce, never proof that the address does not exist.
    return (fields, line) => ({
      line,
      email: f(fields, a),
      status: '',
      diagnostic: f(fields, reason),
      campaign: f(fields, title) || f(fields, id),
      date: f(fields, t),
      command: '',
      hint: hint('bounced', 'mailchimp-cleaned'),
      source: f(fields, src),
      raw: fields,
    });
  },
};

// ---------------------------------------------------------------- HubSpot
const TRUTHY = /^(true|yes|1)$/i;
const FALSY = /^(false|no|0|)$/i;

const hubspot: CsvAdapter = {
  id: 'hubspot',
  label: 'HubSpot unsubscribes and bounces export',
  statusOnly: false,
  detect(h) {
    if (h.find('portalbounce') >= 0 && h.find('email') >= 0) return 10;
    // A marketing email's recipients export: one row per recipient, with its bounce columns.
    if (h.find('recipient', 'email') >= 0 && h.find('bouncereason') >= 0 && (h.find('notsentreason') >= 0 || h.find('bounce', 'bounced') >= 0)) return 10;
    return 0;
  },
  missing(h) {
    if (h.find('portalbounce', 'globalbounce') >= 0) return need(h, 'an Email column', 'email');
    return [...need(h, 'a Recipient or Email column', 'recipient', 'email'), ...need(h, 'a Portal Bounce, Bounce or Bounce Reason column', 'bounce', 'bounced', 'bouncereason')];
  },
  bind(h, ctx) {
    const src = sourceIndex(h, ctx);
    if (h.find('portalbounce', 'globalbounce') < 0) return recipientsExport(h, src);
    const [a, pb, gb] = [h.find('email'), h.find('portalbounce'), h.find('globalbounce')];
    // Portal Bounce holds the bounce reason: the receiver's reply, one of HubSpot's category words
    // (UNKNOWN_USER, MAILBOX_FULL, …), or (older exports) TRUE. Global Bounce TRUE means the address
    // hard-bounced in several HubSpot accounts. Rows that are only unsubscribes or spam reports are
    // not bounces.
    return (fields, line) => {
      const portal = f(fields, pb).trim();
      const global = f(fields, gb).trim();
      const portalBounced = !FALSY.test(portal);
      const globalBounced = TRUTHY.test(global);
      if (!portalBounced && !globalBounced) return { line, skip: 'not-a-bounce', raw: fields };
      const category = portalBounced ? hubspotCategoryHint(portal) : null;
      const text = portalBounced && !TRUTHY.test(portal) && category === null ? portal : '';
      return {
        line,
        email: f(fields, a),
        status: '',
        diagnostic: text,
        campaign: '',
        date: '',
        command: '',
        hint: category ?? hint('hard', globalBounced && !portalBounced ? 'hubspot-global-bounce' : 'hubspot-portal-bounce'),
        source: f(fields, src),
        raw: fields,
      };
    };
  },
};

/** HubSpot's recipients export of one marketing email: every row was a send, unless it names why it was not sent. */
function recipientsExport(h: HeaderIndex, src: number): RowMapper {
  const [a, ns, b, br, sa] = [h.find('recipient', 'email'), h.find('notsentreason'), h.find('bounce', 'bounced'), h.find('bouncereason'), h.find('sentat', 'date')];
  const camp = h.find('emailname', 'campaign', 'campaignname');
  return (fields, line) => {
    if (f(fields, ns).trim() !== '') return { line, skip: 'not-a-bounce', raw: fields };
    const reason = f(fields, br).trim();
    const bounced = b >= 0 ? TRUTHY.test(f(fields, b).trim()) : reason !== '';
    const category = bounced ? hubspotCategoryHint(reason) : null;
    return {
      line,
      email: f(fields, a),
      status: '',
      diagnostic: bounced && category === null ? reason : '',
      campaign: f(fields, camp),
      date: f(fields, sa),
      command: '',
      hint: bounced ? (category ?? hint('bounced', 'hubspot-bounce')) : hint('delivered', 'hubspot-sent'),
      source: f(fields, src),
      raw: fields,
    };
  };
}

// ---------------------------------------------------------------- Brevo (Sendinblue)
const brevo: CsvAdapter = {
  id: 'brevo',
  label: 'Brevo (Sendinblue) email events export (one row per event)',
  statusOnly: false,
  detect(h, sample) {
    const ev = h.find('event', 'sttext');
    if (ev < 0 || h.find('email') < 0) return 0;
    // The older Sendinblue logs export names its columns st_text, ts, sub, frm: that header is Brevo's alone.
    if (h.names[ev] === 'sttext') return 11;
    if (h.find('reason') < 0) return 0;
    // The sampled events must be Brevo's names: SendGrid's "processed", "bounce" or "dropped" are not.
    const events = valuesOf(sample, ev);
    return events.every((e) => wordKey(e) in BREVO_EVENTS || (brevoEventKind(e) !== 'other' && !(wordKey(e) in SENDGRID_EVENTS))) ? 10 : 0;
  },
  missing: (h) => [...need(h, 'an email column', 'email'), ...need(h, 'an event column (event, or st_text in older exports)', 'event', 'sttext')],
  bindEvents(h, ctx) {
    const [a, ev, r] = [h.find('email'), h.find('event', 'sttext'), h.find('reason', 'bouncereason', 'error')];
    const d = h.find('date', 'ts', 'timestamp');
    const camp = h.find('campaignid', 'campaign', 'campaignname', 'tag');
    const id = h.find('messageid', 'mid', 'msgid');
    const subject = h.find('sub', 'subject');
    const src = sourceIndex(h, ctx);
    return (fields, line) => {
      const word = f(fields, ev).trim();
      const email = f(fields, a);
      // One message per id; without an id column, one per recipient and campaign (or subject).
      const key = id >= 0 ? `${f(fields, id)}\n${email.trim().toLowerCase()}` : `${email.trim().toLowerCase()}\n${f(fields, camp)}\n${f(fields, subject)}`;
      const row: SourceRow = { line, email, status: '', diagnostic: '', campaign: f(fields, camp), date: f(fields, d), command: '', hint: null, source: f(fields, src), raw: fields };
      const kind = brevoEventKind(word);
      const reason = `brevo-${kebab(word)}`;
      switch (kind) {
        case 'sent':
        case 'delivered':
          return { outcome: kind, key, row: { ...row, hint: hint('delivered', reason) } };
        case 'deferred':
          return { outcome: kind, key, row: { ...row, diagnostic: f(fields, r), hint: hint('soft', reason) } };
        case 'not-sent':
        case 'other':
          return { outcome: kind, key, row };
        default:
          return { outcome: 'bounced', key, row: { ...row, diagnostic: f(fields, r), hint: hint(kind, reason) } };
      }
    };
  },
};

// ---------------------------------------------------------------- Klaviyo suppressed profiles
const KLAVIYO_REASON_COLUMNS = ['suppressionreason', 'suppressedreason', 'emailsuppressionreason', 'emailsuppressions', 'suppression', 'reason'];

const klaviyo: CsvAdapter = {
  id: 'klaviyo',
  label: 'Klaviyo suppressed profiles export',
  statusOnly: false,
  detect(h, sample) {
    const r = h.find(...KLAVIYO_REASON_COLUMNS);
    if (r < 0 || h.find(...COLUMN_ALIASES.email) < 0) return 0;
    const values = valuesOf(sample, r).map(wordKey);
    const known = values.filter((v) => v in KLAVIYO_REASONS);
    // Nearly every value one of Klaviyo's reasons (a label Klaviyo adds later is read as a bounce of unstated cause).
    if (values.length > 0 && known.length >= values.length * 0.9) return 11;
    return h.names[r]!.startsWith('suppress') || h.names[r] === 'emailsuppressionreason' ? 6 : 0;
  },
  missing: (h) => [...need(h, 'an Email column', ...COLUMN_ALIASES.email), ...need(h, 'a Suppression Reason column', ...KLAVIYO_REASON_COLUMNS)],
  bind(h, ctx) {
    const [a, r] = [h.find(...COLUMN_ALIASES.email), h.find(...KLAVIYO_REASON_COLUMNS)];
    const d = h.find('suppressiondate', 'suppressedat', 'suppressedon', 'timestamp', 'date');
    const src = sourceIndex(h, ctx);
    // Unsubscribes, spam complaints and manual suppressions are on the list, but are not bounces.
    return (fields, line) => {
      const reason = f(fields, r).trim();
      const kind = KLAVIYO_REASONS[wordKey(reason)];
      if (kind === null) return { line, skip: 'not-a-bounce', raw: fields };
      return {
        line,
        email: f(fields, a),
        status: '',
        diagnostic: kind === undefined ? reason : '',
        campaign: '',
        date: f(fields, d),
        command: '',
        hint: hint(kind ?? 'bounced', `klaviyo-${kebab(reason.toLowerCase()) || 'suppressed'}`),
        source: f(fields, src),
        raw: fields,
      };
    };
  },
};

// ---------------------------------------------------------------- sequencer lead exports
/** Columns that hold a lead's status word or number in Instantly, Smartlead, lemlist, Apollo, Reply.io, Woodpecker. */
const LEAD_STATUS_COLUMNS = ['emailstatus', 'leadstatus', 'prospectstatus', 'status', 'state', 'leadstate', 'laststate', 'sequencestatus'];
/** Columns that flag or count a lead's bounces (lemlist's `emailsBounced`, a `bounced` TRUE/FALSE). */
const BOUNCE_FLAG_COLUMNS = ['isbounced', 'bounced', 'emailbounced', 'emailsbounced', 'hasbounced', 'bouncecount', 'bounces'];
/** A lead status that means the address bounced: a word containing "bounce", Instantly's -1, or a true bounced flag. */
const BOUNCED_STATUS = /bounce|^-1$/i;
/** A flag or count that says the lead bounced. */
const BOUNCED_FLAG = /^(?:true|yes|[1-9]\d*)$/i;
/** Reply-code shapes: a status column holding these is an SMTP log, not a lead export. */
const SMTP_LIKE = /^\s*(?:[245]\d\d\b|[245]\.\d{1,3}\.\d{1,3}\b|(?:smtp|dsn)\s*;)/i;
/** Words a lead status column uses. */
const LEAD_WORD = /^(?:-?[0-3]|bounced?|active|paused|completed?|contacted|not ?contacted|replied|interested|not ?interested|finished|unsubscribed|in ?progress|opened|clicked|verified|unverified|guessed|unavailable|valid|invalid|risky|catch[- ]?all|sent|delivered|new|lead|skipped|blacklist|autoreplied|to-?check|to-?review|stopped|true|false|yes|no|[a-z _-]{0,24})$/i;
/** A reply-text column means an SMTP log, not a lead export. */
const REPLY_TEXT_COLUMNS = ['diagnostic', 'diagnosticcode', 'smtpresponse', 'bouncereason', 'response', 'error', 'reason'];

/** Positions of every lead status column of the header (an export may have a verification status beside the lead's state). */
function leadStatusColumns(h: HeaderIndex): number[] {
  const out: number[] = [];
  for (const a of LEAD_STATUS_COLUMNS) {
    const i = h.names.indexOf(a);
    if (i >= 0 && !out.includes(i)) out.push(i);
  }
  return out;
}

const sequencer: CsvAdapter = {
  id: 'sequencer',
  label: 'sequencer lead export (status only)',
  statusOnly: true,
  detect(h, sample) {
    const statuses = leadStatusColumns(h);
    const flag = h.find(...BOUNCE_FLAG_COLUMNS);
    const e = h.find(...COLUMN_ALIASES.email);
    if ((statuses.length === 0 && flag < 0) || e < 0) return 0;
    if (h.find(...REPLY_TEXT_COLUMNS) >= 0) return 0;
    if (statuses.length === 0) return valuesOf(sample, flag).every((v) => BOUNCED_FLAG.test(v) || /^(?:false|no|0)$/i.test(v)) ? 7 : 0;
    const values = statuses.flatMap((s) => valuesOf(sample, s));
    if (values.length === 0) return flag >= 0 ? 7 : 0;
    if (values.some((v) => SMTP_LIKE.test(v))) return 0;
    if (!values.every((v) => LEAD_WORD.test(v))) return 0;
    const named = h.find('emailstatus', 'leadstatus', 'prospectstatus', 'laststate') >= 0 || flag >= 0;
    return named || values.some((v) => BOUNCED_STATUS.test(v)) ? 8 : 3;
  },
  missing: (h) => [
    ...need(h, 'an email column', ...COLUMN_ALIASES.email),
    ...need(h, `a lead status column (${LEAD_STATUS_COLUMNS.join(', ')}) or a bounce column (${BOUNCE_FLAG_COLUMNS.join(', ')})`, ...LEAD_STATUS_COLUMNS, ...BOUNCE_FLAG_COLUMNS),
  ],
  bind(h, ctx) {
    const statuses = leadStatusColumns(h);
    const flag = h.find(...BOUNCE_FLAG_COLUMNS);
    const a = h.find(...COLUMN_ALIASES.email);
    const camp = h.find('campaign', 'campaignname', 'sequence', 'sequencename', 'campaignid');
    const d = h.find('bouncedat', 'lastcontactedat', 'lastemailsentat', 'sentat', 'date', 'updatedat');
    const src = sourceIndex(h, ctx);
    // Every lead row counts as one message sent; a bounced lead is a bounce of unknown cause. Any
    // status column or bounce flag may say so (lemlist keeps the lead's state beside the address's
    // verification status).
    return (fields, line) => {
      const bounced = statuses.some((s) => BOUNCED_STATUS.test(f(fields, s).trim())) || (flag >= 0 && BOUNCED_FLAG.test(f(fields, flag).trim()));
      return {
        line,
        email: f(fields, a),
        status: '',
        diagnostic: '',
        campaign: f(fields, camp),
        date: f(fields, d),
        command: '',
        hint: bounced ? hint('bounced', 'lead-bounced') : hint('delivered', 'lead-sent'),
        source: f(fields, src),
        raw: fields,
      };
    };
  },
};

/** All CSV adapters; detection picks the highest score, `generic` is the fallback. */
export const CSV_ADAPTERS: readonly CsvAdapter[] = [mailgun, sendgrid, sendgridActivity, postmark, ses, mailchimp, hubspot, brevo, klaviyo, sequencer, generic];

export function csvAdapter(id: FormatId): CsvAdapter | undefined {
  return CSV_ADAPTERS.find((a) => a.id === id);
}

/** Adapters scoring above zero, best first (ties keep table order). */
export function rankCsvAdapters(header: readonly string[], sample: readonly (readonly string[])[]): { adapter: CsvAdapter; score: number }[] {
  const h = new HeaderIndex(header);
  return CSV_ADAPTERS.map((adapter) => ({ adapter, score: adapter.detect(h, sample) }))
    .filter((r) => r.score > 0)
    .sort((a, b) => b.score - a.score);
}
