/**
 * The adapter table: how to recognise each platform's CSV export from its header (and a few
 * sample rows), and how to map one of its rows to a `SourceRow`.
 *
 * Column names come from each provider's documented export or API fields:
 * Mailgun bounces (address, code, error, created_at — RFC 2822 dates); SendGrid bounces
 * (email, created — unix seconds, reason, status); Postmark bounces (Type, TypeCode, Details,
 * BouncedAt, Tag); Amazon SES bounce notifications (bounceType, bounceSubType,
 * bouncedRecipients[].emailAddress/status/diagnosticCode); Mailchimp cleaned contacts
 * (CLEAN_TIME, CLEAN_CAMPAIGN_TITLE, CLEAN_CAMPAIGN_ID); HubSpot "Export unsubscribes and
 * bounces" (Portal Bounce holds the bounce reason, Global Bounce TRUE); Brevo event logs
 * (event = hard_bounce | soft_bounce | blocked | invalid_email | deferred).
 */
import { COLUMN_ALIASES, detectColumns, normaliseHeader, type ColumnOverrides } from './columns.js';
import type { FormatId, HintKind, PlatformHint, ReadItem } from './row.js';

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
}

export interface CsvAdapter {
  id: FormatId;
  /** Display name, e.g. "Postmark bounces export". */
  label: string;
  /** Every row is one message sent, and bounces carry no reply text: gate on the bounce rate. */
  statusOnly: boolean;
  /** 0 when the header is not this format; higher is a more specific match. */
  detect(h: HeaderIndex, sample: readonly (readonly string[])[]): number;
  /** Resolve column positions once; the returned function maps one row. */
  bind(h: HeaderIndex, ctx: BindContext): (fields: readonly string[], line: number) => ReadItem;
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
const hint = (kind: HintKind, reason: string): PlatformHint => ({ kind, reason });
const kebab = (s: string): string =>
  s
    .replace(/([a-z])([A-Z])/g, '$1-$2')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');

/** A reply code somewhere in the text (basic 2xx–5xx or enhanced x.y.z). */
const HAS_CODE = /(?<![\d.])(?:[245]\d\d|[245]\.\d{1,3}\.\d{1,3})(?![\d.])/;
/** Codes that say nothing specific: "5.0.0", "4.0.0", or a bare basic code. */
const GENERIC_STATUS = /^\s*(?:[245]\.0\.0|[245]\d\d)\s*$/;

// ---------------------------------------------------------------- generic
const generic: CsvAdapter = {
  id: 'generic',
  label: 'CSV bounce log',
  statusOnly: false,
  detect: (h) => (h.find(...COLUMN_ALIASES.email) >= 0 ? 1 : 0),
  bind(h, ctx) {
    const cols = detectColumns(h.header, ctx.overrides, ctx.file);
    const src = sourceIndex(h, ctx);
    return (fields, line) => ({
      line,
      email: f(fields, cols.email),
      status: f(fields, cols.status),
      diagnostic: f(fields, cols.diagnostic),
      campaign: f(fields, cols.campaign),
      date: f(fields, cols.date),
      command: f(fields, cols.command),
      hint: null,
      source: f(fields, src),
      raw: fields,
    });
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
  bind(h, ctx) {
    const [a, c, e, d] = [h.find('address'), h.find('code'), h.find('error'), h.find('createdat')];
    const camp = h.find('campaign', 'tag', 'tags');
    const src = sourceIndex(h, ctx);
    // Mailgun's `code` is the basic reply code; `error` holds the receiver's text and decides.
    return (fields, line) => ({
      line,
      email: f(fields, a),
      status: HAS_CODE.test(f(fields, e)) ? '' : f(fields, c),
      diagnostic: f(fields, e),
      campaign: f(fields, camp),
      date: f(fields, d),
      command: '',
      hint: null,
      source: f(fields, src),
      raw: fields,
    });
  },
};

// ---------------------------------------------------------------- SendGrid
const sendgrid: CsvAdapter = {
  id: 'sendgrid',
  label: 'SendGrid bounces export',
  statusOnly: false,
  detect: (h) => (h.has('email', 'created', 'reason', 'status') ? 10 : 0),
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

// ---------------------------------------------------------------- Postmark
/** Postmark bounce `Type` → hint (Postmark API "Bounce types"). `null` = not a delivery bounce. */
const POSTMARK_TYPES: Record<string, HintKind | null> = {
  hardbounce: 'hard',
  bademailaddress: 'invalid-address',
  transient: 'soft',
  softbounce: 'soft',
  dnserror: 'soft',
  blocked: 'blocked',
  spamnotification: 'blocked',
  dmarcpolicy: 'blocked',
  virusnotification: 'blocked',
  unknown: 'bounced',
  // Not delivery outcomes: the recipient's or the account's own actions, or send-side errors.
  // An auto-reply means the message arrived, but counting it as "delivered" would make a
  // bounces-only export look like a full send log (sent = rows): it is skipped instead.
  autoresponder: null,
  unsubscribe: null,
  subscribe: null,
  addresschange: null,
  challengeverification: null,
  openrelaytest: null,
  spamcomplaint: null,
  manuallydeactivated: null,
  unconfirmed: null,
  smtpapierror: null,
  inbounderror: null,
  templaterenderingfailed: null,
};

const postmark: CsvAdapter = {
  id: 'postmark',
  label: 'Postmark bounces export',
  statusOnly: false,
  detect: (h) => (h.has('email', 'type', 'details') && (h.find('bouncedat') >= 0 || h.find('typecode') >= 0) ? 10 : 0),
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
/** SES bounceType/bounceSubType → hint (SES developer guide, "Bounce types"). */
export function sesHint(bounceType: string, subType: string): PlatformHint {
  const t = bounceType.trim().toLowerCase();
  const s = subType.trim().toLowerCase();
  const reason = `ses-${t || 'undetermined'}${s ? `-${s}` : ''}`;
  if (t === 'permanent') {
    // NoEmail: the receiver said the address does not exist. Suppressed: SES's global list of
    // addresses with a recent history of bouncing as invalid. OnAccountSuppressionList may hold
    // complainers too, so it is only "hard".
    if (s === 'noemail' || s === 'suppressed') return hint('invalid-address', reason);
    if (s === 'contentrejected' || s === 'attachmentrejected') return hint('blocked', reason);
    return hint('hard', reason);
  }
  if (t === 'transient') {
    if (s === 'contentrejected' || s === 'attachmentrejected') return hint('blocked', reason);
    return hint('soft', reason);
  }
  return hint('bounced', reason);
}

const ses: CsvAdapter = {
  id: 'ses',
  label: 'Amazon SES bounce events (CSV)',
  statusOnly: false,
  detect: (h) => (h.find('bouncetype') >= 0 && h.find('emailaddress') >= 0 ? 10 : 0),
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
  detect: (h) => (h.find('portalbounce') >= 0 && h.find('email') >= 0 ? 10 : 0),
  bind(h, ctx) {
    const [a, pb, gb] = [h.find('email'), h.find('portalbounce'), h.find('globalbounce')];
    const src = sourceIndex(h, ctx);
    // Portal Bounce holds the bounce reason (older exports: TRUE); Global Bounce TRUE means the
    // address hard-bounced in three or more HubSpot accounts. Rows that are only unsubscribes
    // or spam reports are not bounces.
    return (fields, line) => {
      const portal = f(fields, pb).trim();
      const global = f(fields, gb).trim();
      const portalBounced = !FALSY.test(portal);
      const globalBounced = TRUTHY.test(global);
      if (!portalBounced && !globalBounced) return { line, skip: 'not-a-bounce', raw: fields };
      return {
        line,
        email: f(fields, a),
        status: '',
        diagnostic: portalBounced && !TRUTHY.test(portal) ? portal : '',
        campaign: '',
        date: '',
        command: '',
        hint: hint('hard', globalBounced && !portalBounced ? 'hubspot-global-bounce' : 'hubspot-portal-bounce'),
        source: f(fields, src),
        raw: fields,
      };
    };
  },
};

// ---------------------------------------------------------------- Brevo
const BREVO_EVENTS: Record<string, HintKind | null> = {
  hardbounce: 'hard',
  hardbounces: 'hard',
  softbounce: 'soft',
  softbounces: 'soft',
  deferred: 'soft',
  blocked: 'blocked',
  invalidemail: 'invalid-address',
  invalid: 'invalid-address',
  delivered: 'delivered',
};

const brevo: CsvAdapter = {
  id: 'brevo',
  label: 'Brevo email events export',
  statusOnly: false,
  detect: (h) => (h.has('email', 'event') && h.find('reason') >= 0 ? 10 : 0),
  bind(h, ctx) {
    const [a, ev, r, d] = [h.find('email'), h.find('event'), h.find('reason'), h.find('date')];
    const camp = h.find('campaignid', 'campaign', 'campaignname', 'tag');
    const src = sourceIndex(h, ctx);
    return (fields, line) => {
      const event = f(fields, ev).trim();
      const key = normaliseHeader(event);
      const kind = BREVO_EVENTS[key];
      // Opens, clicks, requests, unsubscriptions, complaints: not delivery outcomes.
      if (kind === undefined || kind === null) return { line, skip: 'not-a-bounce', raw: fields };
      return {
        line,
        email: f(fields, a),
        status: '',
        diagnostic: f(fields, r),
        campaign: f(fields, camp),
        date: f(fields, d),
        command: '',
        hint: hint(kind, `brevo-${kebab(event)}`),
        source: f(fields, src),
        raw: fields,
      };
    };
  },
};

// ---------------------------------------------------------------- sequencer lead exports
/** Columns that hold a lead's status word or number in Instantly, Smartlead, Lemlist, Apollo, Reply.io, Woodpecker. */
const LEAD_STATUS_COLUMNS = ['emailstatus', 'leadstatus', 'prospectstatus', 'status', 'state', 'leadstate', 'isbounced', 'bounced'];
/** A lead status that means the address bounced: a word containing "bounce", Instantly's -1, or a true bounced flag. */
const BOUNCED_STATUS = /bounce|^-1$/i;
/** Reply-code shapes: a status column holding these is an SMTP log, not a lead export. */
const SMTP_LIKE = /^\s*(?:[245]\d\d\b|[245]\.\d{1,3}\.\d{1,3}\b|(?:smtp|dsn)\s*;)/i;
/** Words a lead status column uses. */
const LEAD_WORD = /^(?:-?[0-3]|bounced?|active|paused|completed?|contacted|not ?contacted|replied|interested|not ?interested|finished|unsubscribed|in ?progress|opened|clicked|verified|unverified|guessed|unavailable|valid|invalid|risky|catch[- ]?all|sent|delivered|new|lead|skipped|blacklist|autoreplied|to-?check|to-?review|stopped|true|false|yes|no|[a-z _-]{0,24})$/i;

const sequencer: CsvAdapter = {
  id: 'sequencer',
  label: 'sequencer lead export (status only)',
  statusOnly: true,
  detect(h, sample) {
    const s = h.find(...LEAD_STATUS_COLUMNS);
    const e = h.find(...COLUMN_ALIASES.email);
    if (s < 0 || e < 0) return 0;
    // A reply-text column means an SMTP log: leave it to the log adapters.
    if (h.find('diagnostic', 'diagnosticcode', 'smtpresponse', 'bouncereason', 'response', 'error', 'reason') >= 0) return 0;
    const values = sample.map((r) => (r[s] ?? '').trim()).filter((v) => v !== '');
    if (values.length === 0) return 0;
    if (values.some((v) => SMTP_LIKE.test(v))) return 0;
    if (!values.every((v) => LEAD_WORD.test(v))) return 0;
    const named = h.find('emailstatus', 'leadstatus', 'prospectstatus', 'isbounced') >= 0;
    return named || values.some((v) => BOUNCED_STATUS.test(v)) ? 8 : 3;
  },
  bind(h, ctx) {
    const s = h.find(...LEAD_STATUS_COLUMNS);
    const a = h.find(...COLUMN_ALIASES.email);
    const camp = h.find('campaign', 'campaignname', 'sequence', 'sequencename', 'campaignid');
    const d = h.find('bouncedat', 'lastcontactedat', 'lastemailsentat', 'date', 'updatedat');
    const src = sourceIndex(h, ctx);
    const isFlag = ['isbounced', 'bounced'].includes(h.names[s] ?? '');
    // Every lead row counts as one message sent; a bounced lead is a bounce of unknown cause.
    return (fields, line) => {
      const v = f(fields, s).trim();
      const bounced = isFlag ? TRUTHY.test(v) : BOUNCED_STATUS.test(v);
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
export const CSV_ADAPTERS: readonly CsvAdapter[] = [mailgun, sendgrid, postmark, ses, mailchimp, hubspot, brevo, sequencer, generic];

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
