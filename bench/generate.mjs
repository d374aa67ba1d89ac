// Deterministic bounce-log generator for the bench (never part of `npm test`).
//   node bench/generate.mjs OUT.csv [--rows N] [--seed S] [--shape NAME]
//   node bench/generate.mjs --list-shapes
// Columns: email,campaign,status,diagnostic,date,message_id,mx; ~20 campaigns; ~30 % of rows reuse
// an address seen before; quoted multi-line diagnostics (Gmail's continuation lines); a mix of
// delivered, invalid-address, soft and blocked replies in the shapes the receivers publish. The
// default shape is the one the bench's main table reports; the other shapes (SHAPES) change what
// makes a log hard and keep the columns. The file is written by streaming, so 5 M rows (~1 GB)
// need no memory.
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';

/** mulberry32: a tiny seeded PRNG, so the same seed writes the same bytes. */
export function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const DOMAINS = ['gmail.com', 'outlook.com', 'hotmail.com', 'yahoo.com', 'aol.com', 'example.org', 'acme-robotics.com', 'northwind.io', 'contoso.com', 'fabrikam.net', 'web.de', 'gmx.net', 'icloud.com', 'globex.co', 'initech.com'];
const NAMES = ['ana', 'ben', 'carla', 'dev', 'eli', 'fatima', 'gus', 'hana', 'ivan', 'jo', 'kai', 'lena', 'milo', 'nora', 'omar', 'pia', 'quinn', 'rosa', 'sven', 'tara'];
const CAMPAIGNS = Array.from({ length: 20 }, (_, i) => `Campaign ${String(i + 1).padStart(2, '0')} ${['launch', 'nurture', 'newsletter', 'promo', 'winback'][i % 5]}`);

// [weight, status, diagnostic(email)] — reply shapes as the receivers publish them.
const REPLIES = [
  [40, '250', () => '250 2.0.0 OK'],
  [30, '250', (_e, id) => `250 2.0.0 OK  1725148800 ${id}.${id.length * 7919}-20020a05 - gsmtp`],
  [6, '250', (e) => `250 2.0.0 OK <${e}> queued as 4F1C2A3B`],
  [3, '550', () => "550-5.1.1 The email account that you tried to reach does not exist. Please try\n550-5.1.1 double-checking the recipient's email address for typos or\n550-5.1.1 unnecessary spaces. For more information, go to\n550 5.1.1  https://support.google.com/mail/?p=NoSuchUser a1-20020a05 - gsmtp"],
  [2, '550 5.1.10', (e) => `550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient ${e} not found by SMTP address lookup`],
  [1, '554', (e) => `554 delivery error: dd This user doesn't have a yahoo.com account (${e}) [0] - mta4012.mail.bf1.yahoo.com`],
  [1, '5.1.1', (e) => `smtp; 550 5.1.1 <${e}>: Recipient address rejected: User unknown in virtual mailbox table`],
  [1, '550', () => '550 Unrouteable address'],
  [1, '5.1.2', (e) => `Host or domain name not found. Name service error for name=${e.split('@')[1]} type=MX: Host not found`],
  [3, '452', () => '452-4.2.2 The email account that you tried to reach is over quota. Please direct\n452 4.2.2 the recipient to https://support.google.com/mail/?p=OverQuotaTemp - gsmtp'],
  [2, '451', () => '451 4.7.1 Greylisting in action, please come back later'],
  [2, '421', () => '421 4.7.0 [TSS04] Messages from 192.0.2.10 temporarily deferred due to unexpected volume or user complaints - 4.16.55.1; see https://postmaster.yahooinc.com/error-codes'],
  [1, '552', () => '552 5.2.2 Mailbox full: quota exceeded'],
  [2, '550', () => "550 5.7.1 Unfortunately, messages from [192.0.2.10] weren't sent. Please contact your Internet service provider since part of their network is on our block list (S3150)."],
  [2, '550', () => "550-5.7.26 Unauthenticated email from sender.example is not accepted due to domain's DMARC policy.\n550-5.7.26 Please contact the administrator of sender.example domain if this was a\n550 5.7.26 legitimate mail. - gsmtp"],
  [1, '554', () => '554 5.7.1 Service unavailable; Client host [192.0.2.10] blocked using zen.spamhaus.org'],
  [1, '550', () => '550 "The mail server detected your message as spam and has prevented delivery."'],
];
const TOTAL_WEIGHT = REPLIES.reduce((s, r) => s + r[0], 0);

const quote = (s) => (/[",\n\r]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s);

// ---------------------------------------------------------------------------------------------
// Shapes besides the default. Real logs differ in what makes them hard to audit: how many rows
// are bounces at all, how many of those are invalid addresses, whether replies carry per-message
// ids (so a cache keyed on the text never hits), whether they quote the recipient (as written, in any case), and
// whether the receiver can be told from the recipient's domain or only from the reply text (a
// company domain whose mail Google, Microsoft or a filtering gateway receives). Each shape below
// sets those knobs; the header and columns are the default's.

/**
 * Reply texts as each receiver writes them, by outcome: [status column, text(c), SMTP stage].
 * c holds the row's details (see rowDetails). The stage ('RCPT TO', 'end of DATA') is what a
 * sending MTA names when it wraps the reply; null marks a text the sending MTA wrote itself,
 * which is never wrapped.
 */
const RCPT = 'RCPT TO';
const DATA = 'end of DATA';
const RECEIVERS = {
  google: {
    delivered: [['250', (c) => `250 2.0.0 OK  ${c.ts} ${c.gsmtp()} - gsmtp`, RCPT]],
    invalid: [
      ['550', (c) => `550-5.1.1 The email account that you tried to reach does not exist. Please try\n550-5.1.1 double-checking the recipient's email address for typos or\n550-5.1.1 unnecessary spaces. For more information, go to\n550 5.1.1  https://support.google.com/mail/?p=NoSuchUser ${c.gsmtp()} - gsmtp`, RCPT],
    ],
    soft: [
      ['452', (c) => `452-4.2.2 The email account that you tried to reach is over quota. Please direct\n452 4.2.2 the recipient to https://support.google.com/mail/?p=OverQuotaTemp ${c.gsmtp()} - gsmtp`, RCPT],
      ['450', (c) => `450-4.2.1 The user you are trying to contact is receiving mail too quickly. Please resend\n450-4.2.1 your message at a later time. If the user is able to receive mail at that time,\n450 4.2.1 your message will be delivered. https://support.google.com/mail/?p=ReceivingRate ${c.gsmtp()} - gsmtp`, RCPT],
    ],
    blocked: [
      ['550', (c) => `550-5.7.26 Unauthenticated email from sender.example is not accepted due to domain's DMARC policy.\n550-5.7.26 Please contact the administrator of sender.example domain if this was a\n550 5.7.26 legitimate mail. ${c.gsmtp()} - gsmtp`, DATA],
      ['550', (c) => `550-5.7.1 [${c.sip}] Our system has detected that this message is likely unsolicited mail. To reduce the\n550-5.7.1 amount of spam sent to Gmail, this message has been blocked. For more information, go to\n550 5.7.1  https://support.google.com/mail/?p=UnsolicitedMessageError ${c.gsmtp()} - gsmtp`, DATA],
    ],
  },
  microsoft: {
    delivered: [['250', (c) => `250 2.6.0 <${c.messageId}> [InternalId=${c.num(13)}, Hostname=${c.msHost()}] ${c.num(5)} bytes in 0.${c.num(3)}, ${c.num(3)}.${c.num(3)} KB/sec Queued mail for delivery`, RCPT]],
    invalid: [
      ['550 5.1.10', (c) => `550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient ${c.rcpt} not found by SMTP address lookup`, RCPT],
      ['550 5.4.1', (c) => `550 5.4.1 Recipient address rejected: Access denied. For more information see https://aka.ms/EXOSmtpErrors [${c.msHost()}]`, RCPT],
    ],
    soft: [
      ['451', (c) => `451 4.7.500 Server busy. Please try again later from [${c.sip}]. (S77719) [${c.msHost()}]`, RCPT],
      ['421', (c) => `421 4.7.650 The mail server [${c.sip}] has been temporarily rate limited due to IP reputation. For e-mail delivery information, see https://postmaster.live.com (S775) [${c.msHost()}]`, RCPT],
    ],
    blocked: [
      ['550', (c) => `550 5.7.1 Unfortunately, messages from [${c.sip}] weren't sent. Please contact your Internet service provider since part of their network is on our block list (S3150). You can also refer your provider to http://mail.live.com/mail/troubleshooting.aspx#errors. [${c.msHost()}]`, RCPT],
      ['550', (c) => `550 5.7.606 Access denied, banned sending IP [${c.sip}]. To request removal from this list please visit https://sender.office.com and follow the directions. For more information please go to http://go.microsoft.com/fwlink/?LinkID=526655 (AS16012609) [${c.msHost()}]`, RCPT],
    ],
  },
  yahoo: {
    delivered: [['250', () => '250 ok dirdel', RCPT]],
    invalid: [['554', (c) => `554 delivery error: dd This user doesn't have a ${c.domain} account (${c.rcpt}) [${c.num(1)}] - mta${c.num(4)}.mail.${c.pick(['bf1', 'gq1', 'ne1'])}.yahoo.com`, RCPT]],
    soft: [['421', (c) => `421 4.7.0 [TSS04] Messages from ${c.sip} temporarily deferred due to unexpected volume or user complaints - 4.16.55.1; see https://postmaster.yahooinc.com/error-codes`, RCPT]],
    blocked: [
      ['553', (c) => `553 5.7.2 [TSS09] All messages from ${c.sip} will be permanently deferred; Retrying will NOT succeed. See https://postmaster.yahooinc.com/error-codes`, RCPT],
      ['554', () => '554 5.7.9 Message not accepted for policy reasons.  See https://postmaster.yahooinc.com/error-codes', DATA],
    ],
  },
  apple: {
    delivered: [['250', (c) => `250 2.0.0 Ok: queued as ${c.qid()}`, RCPT]],
    invalid: [['550', (c) => `550 5.1.1 <${c.rcpt}>: user does not exist`, RCPT]],
    soft: [['452', (c) => `452 4.2.2 <${c.rcpt}>: mailbox full`, RCPT]],
    blocked: [['554', () => '554 5.7.1 [CS01] Message rejected due to local policy. Please visit https://support.apple.com/en-us/HT204137', DATA]],
  },
  'united-internet': {
    delivered: [['250', (c) => `250 Requested mail action okay, completed: id=1${c.alnum(5)}-1${c.alnum(9)}-00${c.alnum(4)}`, RCPT]],
    invalid: [['550', () => '550 Requested action not taken: mailbox unavailable', RCPT]],
    soft: [['452', () => '452 Requested action not taken: insufficient system storage', RCPT]],
    blocked: [['554', (c) => `554-${c.domain} (${c.domain === 'web.de' ? 'mxweb' : 'mxgmx'}${c.num(3)}) Nemesis ESMTP Service not available\n554-No SMTP service\n554 IP address is block listed.`, RCPT]],
  },
  postfix: {
    delivered: [['250', (c) => `250 2.0.0 Ok: queued as ${c.qid()}`, RCPT]],
    invalid: [
      ['5.1.1', (c) => `550 5.1.1 <${c.rcpt}>: Recipient address rejected: User unknown in virtual mailbox table`, RCPT],
      ['5.1.2', (c) => `Host or domain name not found. Name service error for name=${c.domain} type=MX: Host not found`, null],
    ],
    soft: [
      ['450', (c) => `450 4.2.0 <${c.rcpt}>: Recipient address rejected: Greylisted, see http://postgrey.schweikert.ch/help/${c.domain}.html`, RCPT],
      ['452', () => '452 4.3.1 Insufficient system storage', RCPT],
    ],
    blocked: [['554', (c) => `554 5.7.1 Service unavailable; Client host [${c.sip}] blocked using zen.spamhaus.org; https://www.spamhaus.org/query/ip/${c.sip}`, RCPT]],
  },
  exim: {
    delivered: [['250', (c) => `250 OK id=1${c.alnum(5)}-000${c.alnum(3)}-${c.alnum(2)}`, RCPT]],
    invalid: [
      ['550', () => '550 Unrouteable address', RCPT],
      ['550', () => '550 No Such User Here', RCPT],
    ],
    soft: [
      ['451', () => '451 Temporary local problem - please try later', RCPT],
      ['452', () => '452 4.2.2 Mailbox full: quota exceeded', RCPT],
    ],
    blocked: [
      ['550', () => '550 Administrative prohibition', RCPT],
      ['550', (c) => `550 rejected because ${c.sip} is in a black list at zen.spamhaus.org`, RCPT],
    ],
  },
  mimecast: {
    delivered: [['250', (c) => `250 Ok [${c.mimecastTag()}]`, RCPT]],
    invalid: [['550', (c) => `550 Invalid Recipient - https://community.mimecast.com/docs/DOC-1369#550 [${c.mimecastTag()}]`, RCPT]],
    soft: [['451', (c) => `451 Internal resource temporarily unavailable - https://community.mimecast.com/docs/DOC-1369#451 [${c.mimecastTag()}]`, RCPT]],
    blocked: [
      ['554', (c) => `554 Host network not allowed - https://community.mimecast.com/docs/DOC-1369#554 [${c.mimecastTag()}]`, RCPT],
      ['554', (c) => `554 email rejected due to security policies - MCSpamSignature.sa.2.2 [${c.mimecastTag()}]`, DATA],
    ],
  },
  proofpoint: {
    delivered: [['250', (c) => `250 2.0.0 ${c.num(1)}${c.alnum(9)}-1 Message accepted for delivery`, RCPT]],
    invalid: [['550', () => '550 5.1.1 User Unknown', RCPT]],
    soft: [['450', () => '450 4.7.1 Please try again later', RCPT]],
    blocked: [
      ['554', (c) => `554 Blocked - see https://ipcheck.proofpoint.com/?ip=${c.sip}`, RCPT],
      ['554', () => '554 5.7.1 Message blocked due to local policy', DATA],
    ],
  },
  barracuda: {
    delivered: [['250', (c) => `250 Ok ${c.ts}-${c.hex(15)}-0001-${c.alnum(6)}`, RCPT]],
    invalid: [['550', (c) => `550 No such user (${c.rcpt})`, RCPT]],
    soft: [['421', () => '421 Service temporarily unavailable; try again later', RCPT]],
    blocked: [['554', (c) => `554 Service unavailable; Client host [${c.sip}] blocked using Barracuda Reputation; http://www.barracudanetworks.com/reputation/?r=1&ip=${c.sip}`, RCPT]],
  },
  cisco: {
    delivered: [['250', (c) => `250 ok:  Message ${c.num(9)} accepted`, RCPT]],
    invalid: [['550', (c) => `550 #5.1.0 Address rejected ${c.rcpt}`, RCPT]],
    soft: [['452', () => '452 Too many recipients received this hour', RCPT]],
    blocked: [
      ['550', () => '550 #5.7.1 Your access to submit messages to this e-mail system has been rejected.', RCPT],
      ['554', () => "554 Your access to this mail system has been rejected due to the sending MTA's poor reputation. If you believe that this failure is in error, please contact the intended recipient via alternate means.", RCPT],
    ],
  },
};
const OUTCOMES = ['delivered', 'invalid', 'soft', 'blocked'];

/**
 * Who receives mail for the default shape's domains, and the MX host a sending MTA names. The
 * company domains among them run their own Postfix or Exim: the domain names no receiver.
 */
const OWN_DOMAINS = new Map([
  ['gmail.com', ['google', 'gmail-smtp-in.l.google.com', '142.250']],
  ['outlook.com', ['microsoft', 'outlook-com.olc.protection.outlook.com', '52.101']],
  ['hotmail.com', ['microsoft', 'hotmail-com.olc.protection.outlook.com', '52.101']],
  ['yahoo.com', ['yahoo', 'mta6.am0.yahoodns.net', '67.195']],
  ['aol.com', ['yahoo', 'mx-aol.mail.gm0.yahoodns.net', '67.195']],
  ['icloud.com', ['apple', 'mx01.mail.icloud.com', '17.57']],
  ['web.de', ['united-internet', 'mx-ha03.web.de', '212.227']],
  ['gmx.net', ['united-internet', 'mx00.emig.gmx.net', '212.227']],
  ['example.org', ['postfix', 'mx1.example.org', '203.0']],
  ['acme-robotics.com', ['exim', 'mx1.acme-robotics.com', '203.0']],
  ['northwind.io', ['postfix', 'mx1.northwind.io', '203.0']],
  ['contoso.com', ['exim', 'mx1.contoso.com', '203.0']],
  ['fabrikam.net', ['postfix', 'mx1.fabrikam.net', '203.0']],
  ['globex.co', ['exim', 'mx1.globex.co', '203.0']],
  ['initech.com', ['postfix', 'mx1.initech.com', '203.0']],
]);

/**
 * Company domains whose mail a provider or a filtering gateway receives: nothing in the domain
 * says so, only the reply text (Google's "- gsmtp", Microsoft's protection.outlook.com hosts, a
 * gateway's name or links) — and some of those replies ("550 5.1.1 User Unknown") carry no
 * marker at all unless the sending MTA names the host it talked to.
 */
const HOSTED = [
  ['brightwater-labs.com', 'google', 'aspmx.l.google.com', '142.250'],
  ['kestrel-analytics.io', 'google', 'aspmx.l.google.com', '142.250'],
  ['meadowbrook.edu', 'google', 'aspmx.l.google.com', '142.250'],
  ['harborline-freight.com', 'microsoft', 'harborline-freight-com.mail.protection.outlook.com', '52.101'],
  ['lumen-dental.org', 'microsoft', 'lumen-dental-org.mail.protection.outlook.com', '52.101'],
  ['tallgrass-energy.com', 'microsoft', 'tallgrass-energy-com.mail.protection.outlook.com', '52.101'],
  ['cobalt-county.gov', 'microsoft', 'cobalt-county-gov.mail.protection.outlook.com', '52.101'],
  ['veridian-bank.com', 'mimecast', 'us-smtp-inbound-1.mimecast.com', '207.211'],
  ['orbit-insurance.co.uk', 'mimecast', 'eu-smtp-inbound-1.mimecast.com', '195.130'],
  ['pinecrest-health.org', 'proofpoint', 'mx0a-00214301.pphosted.com', '148.163'],
  ['quarry-legal.com', 'proofpoint', 'mx0b-00187601.pphosted.com', '148.163'],
  ['saltmarsh-foods.com', 'barracuda', 'd123.ess.barracudanetworks.com', '209.222'],
  ['ridgeline-mfg.com', 'cisco', 'mx1.ridgeline.iphmx.com', '68.232'],
];
const RECEIVER_OF = new Map([...OWN_DOMAINS, ...HOSTED.map(([d, ...rest]) => [d, rest])]);

/** The default shape's outcome shares, rounded: delivered, invalid, soft, blocked. */
const DEFAULT_MIX = [0.77, 0.09, 0.08, 0.06];
/** A list cleanup or a cold send: few rows delivered, most bounces invalid addresses. */
const BOUNCE_MIX = [0.05, 0.55, 0.25, 0.15];

/**
 * Named shapes. Knobs (each a share of rows; absent is 0):
 * - mix: outcome shares [delivered, invalid, soft, blocked];
 * - ids: rows whose reply carries fresh per-message details (queue and message ids, server
 *   names, times, the sending IP of a pool); the other rows carry fixed ones, so their texts
 *   repeat. Replies a receiver writes with no such detail (Yahoo's `250 ok dirdel`, Exim's
 *   `550 Unrouteable address`) stay fixed either way;
 * - quote: bounces whose text the sending MTA wraps, naming the recipient as written and the
 *   host it talked to (Postfix `<ann@…>: host mx[ip] said: … (in reply to RCPT TO command)`,
 *   Exim `SMTP error from remote mail server after RCPT TO:<ann@…>: …`);
 * - mixedCase: address occurrences written with upper-case letters (`Ann.Lee@GMAIL.COM`); a
 *   mailbox seen again may come back in another spelling;
 * - hosted: new addresses at company domains whose mail Google, Microsoft or a gateway receives.
 * `about` is printed by `--list-shapes` and in the bench's shape table.
 */
export const SHAPES = {
  default: { about: '77 % delivered, 9 % invalid; 30 % of replies carry per-message ids; consumer and company domains, all lower case' },
  'bounce-heavy': { mix: BOUNCE_MIX, ids: 0.3, about: '5 % delivered, 55 % invalid: nearly every row is a bounce to classify, most of them addresses to suppress' },
  'invalid-heavy': { mix: [0.75, 0.2, 0.03, 0.02], ids: 0.3, about: '75 % delivered but 20 % invalid (an old or bought list): a suppression list twice the default\'s' },
  'unique-ids': { mix: DEFAULT_MIX, ids: 1, about: 'default outcome shares; every id, server name, time or IP in a reply is fresh, so most reply texts occur once' },
  'quoted-recipient': { mix: DEFAULT_MIX, ids: 0.3, quote: 0.9, about: 'default outcome shares; 90 % of bounces wrapped by the sending MTA, quoting the recipient and the MX host' },
  'mixed-case': { mix: DEFAULT_MIX, ids: 0.3, quote: 0.5, mixedCase: 0.6, about: 'default outcome shares; 60 % of addresses written with capitals (Ann.Lee@GMAIL.COM), quoted as written in half the bounces' },
  hosted: { mix: DEFAULT_MIX, ids: 0.3, hosted: 0.7, about: 'default outcome shares; 70 % of new addresses at company domains hosted at Google/Microsoft or behind Mimecast, Proofpoint, Barracuda, Cisco' },
  'all-hard': { mix: BOUNCE_MIX, ids: 1, quote: 0.9, mixedCase: 0.6, hosted: 0.7, about: 'every knob at once: 5 % delivered, 55 % invalid, fresh ids, quoted recipients, capitals, hosted domains' },
};
export const SHAPE_NAMES = Object.keys(SHAPES);

const DIGITS = '0123456789';
const LOWER = 'abcdefghijklmnopqrstuvwxyz';
const ALNUM = `${LOWER}${LOWER.toUpperCase()}${DIGITS}`;
const HEX = '0123456789ABCDEF';
const B64URL = `${ALNUM}-_`;

/**
 * Per-row details the reply templates fill in. With `fresh` false every id is a fixed text of
 * the same form (so the reply repeats word for word); with `fresh` true each is drawn anew.
 */
function rowDetails(rnd) {
  const c = { fresh: false, rcpt: '', domain: '', messageId: '', ts: '', sip: '' };
  const draw = (chars, n) => {
    let s = '';
    for (let k = 0; k < n; k++) s += chars[Math.floor(rnd() * chars.length)];
    return s;
  };
  const token = (chars, n, fixed) => (c.fresh ? draw(chars, n) : fixed.repeat(Math.ceil(n / fixed.length)).slice(0, n));
  c.num = (n) => token(DIGITS, n, '4821736590');
  c.hex = (n) => token(HEX, n, '08DC8850F12E1502');
  c.alnum = (n) => token(ALNUM, n, 'tQ7xZc3L');
  c.pick = (list) => (c.fresh ? list[Math.floor(rnd() * list.length)] : list[0]);
  // Gmail's queue id: d2si1234567qkb.123
  c.gsmtp = () => `${token(LOWER, 1, 'd')}${c.num(1)}si${c.num(7)}${token(LOWER, 3, 'qkb')}.${c.fresh ? 1 + Math.floor(rnd() * 400) : 17}`;
  // Exchange Online front-end server: BN1NAM02FT012.eop-nam02.prod.protection.outlook.com
  c.msHost = () => {
    const region = c.pick(['NAM', 'EUR', 'APC']);
    const nn = c.num(2);
    return `${token(LOWER.toUpperCase(), 2, 'BN')}${c.num(1)}${region}${nn}FT${c.num(3)}.eop-${region.toLowerCase()}${nn}.prod.protection.outlook.com`;
  };
  c.qid = () => c.hex(10);
  // Mimecast's session tag: Aj3QXapeMpqZYaeFwWhjzw.us32
  c.mimecastTag = () => `${token(B64URL, 22, 'Aj3QXapeMpqZYaeFwWhjzw')}.${c.pick(['us', 'eu', 'uk'])}${c.fresh ? 1 + Math.floor(rnd() * 400) : 32}`;
  return c;
}

/** Capitalise each dot- or dash-separated word: ann.lee → Ann.Lee. */
const capital = (s) => s.replace(/(^|[.-])([a-z])/g, (_m, p, ch) => p + ch.toUpperCase());
/** The ways a person or a CRM writes an address with capitals. */
const SPELLINGS = [
  (l, d) => `${capital(l)}@${d.toUpperCase()}`,
  (l, d) => `${capital(l)}@${d}`,
  (l, d) => `${l}@${capital(d)}`,
  (l, d) => `${l}@${d}`.toUpperCase(),
  (l, d) => `${capital(l)}@${capital(d)}`,
];

/** Rows of a shape other than the default; the same columns, dates and campaigns. */
function shapedRows(rnd, shape) {
  const { mix, ids = 0, quote: quoteShare = 0, mixedCase = 0, hosted = 0 } = shape;
  const seen = [];
  const base = Date.UTC(2026, 8, 1);
  const c = rowDetails(rnd);
  return (i) => {
    let email;
    if (seen.length > 0 && rnd() < 0.3) {
      email = seen[Math.floor(rnd() * seen.length)];
    } else {
      const domain = rnd() < hosted ? HOSTED[Math.floor(rnd() * HOSTED.length)][0] : DOMAINS[Math.floor(rnd() * DOMAINS.length)];
      email = `${NAMES[Math.floor(rnd() * NAMES.length)]}.${i.toString(36)}@${domain}`;
      if (seen.length < 200_000) seen.push(email);
      else seen[Math.floor(rnd() * seen.length)] = email;
    }
    const at = email.indexOf('@');
    const domain = email.slice(at + 1);
    const written = rnd() < mixedCase ? SPELLINGS[Math.floor(rnd() * SPELLINGS.length)](email.slice(0, at), domain) : email;
    const [receiver, mx, net] = RECEIVER_OF.get(domain);

    let u = rnd();
    let outcome = OUTCOMES[OUTCOMES.length - 1];
    for (let k = 0; k < mix.length; k++) {
      if ((u -= mix[k]) < 0) {
        outcome = OUTCOMES[k];
        break;
      }
    }
    const choices = RECEIVERS[receiver][outcome];
    const [status, text, stage] = choices[Math.floor(rnd() * choices.length)];
    const campaign = CAMPAIGNS[Math.floor(rnd() * CAMPAIGNS.length)];
    const messageId = `<${(base / 1000 + i).toString(36)}.${Math.floor(rnd() * 2 ** 40).toString(36)}@mail.sender.example>`;

    c.fresh = rnd() < ids;
    c.rcpt = written;
    c.domain = domain;
    c.messageId = c.fresh ? messageId.slice(1, -1) : 'tkns00.4dafsgsg@mail.sender.example';
    c.ts = c.fresh ? String(base / 1000 + i * 37) : '1725148800';
    // The sending IP: one address, or one of a sending pool when the row's details are fresh.
    c.sip = c.fresh ? `192.0.2.${1 + Math.floor(rnd() * 254)}` : '192.0.2.10';
    let diagnostic = text(c);
    if (outcome !== 'delivered' && stage !== null && rnd() < quoteShare) {
      const ip = `${net}.${c.fresh ? Math.floor(rnd() * 256) : 14}.${c.fresh ? 1 + Math.floor(rnd() * 254) : 27}`;
      diagnostic =
        stage === RCPT && rnd() < 1 / 3
          ? `SMTP error from remote mail server after RCPT TO:<${written}>: host ${mx} [${ip}]: ${diagnostic}`
          : `<${written}>: host ${mx}[${ip}] said: ${diagnostic.replaceAll('\n', ' ')} (in reply to ${stage} command)`;
    }
    const date = new Date(base + i * 37_000).toISOString();
    return `${quote(written)},${quote(campaign)},${quote(status)},${quote(diagnostic)},${date},${messageId},${mx}\n`;
  };
}

/**
 * Rows of the default shape. Its draws, their order and its text are fixed: the same seed must
 * write the same bytes as every earlier version, so figures measured on it stay comparable.
 */
function defaultRows(rnd) {
  const seen = [];
  const base = Date.UTC(2026, 8, 1);
  return (i) => {
    let email;
    if (seen.length > 0 && rnd() < 0.3) {
      email = seen[Math.floor(rnd() * seen.length)];
    } else {
      email = `${NAMES[Math.floor(rnd() * NAMES.length)]}.${i.toString(36)}@${DOMAINS[Math.floor(rnd() * DOMAINS.length)]}`;
      // Keep a bounded pool of earlier addresses so the generator's own memory stays flat.
      if (seen.length < 200_000) seen.push(email);
      else seen[Math.floor(rnd() * seen.length)] = email;
    }
    let w = rnd() * TOTAL_WEIGHT;
    let reply = REPLIES[0];
    for (const r of REPLIES) {
      if ((w -= r[0]) < 0) {
        reply = r;
        break;
      }
    }
    const campaign = CAMPAIGNS[Math.floor(rnd() * CAMPAIGNS.length)];
    const date = new Date(base + i * 37_000).toISOString();
    const domain = email.slice(email.indexOf('@') + 1);
    const messageId = `<${(base / 1000 + i).toString(36)}.${Math.floor(rnd() * 2 ** 40).toString(36)}@mail.sender.example>`;
    return `${quote(email)},${quote(campaign)},${quote(reply[1])},${quote(reply[2](email, messageId.slice(1, 15)))},${date},${messageId},mx1.${domain}\n`;
  };
}

/**
 * Write a bounce log of `rows` rows in the named shape (see SHAPES). Same path, rows, seed and
 * shape: same bytes.
 */
export async function generate(path, { rows = 1_000_000, seed = 20260905, shape = 'default' } = {}) {
  if (!Object.hasOwn(SHAPES, shape)) throw new Error(`unknown shape "${shape}"; shapes: ${SHAPE_NAMES.join(', ')}`);
  const rnd = prng(seed);
  const row = shape === 'default' ? defaultRows(rnd) : shapedRows(rnd, SHAPES[shape]);
  const out = createWriteStream(path, { highWaterMark: 1 << 20 });
  out.write('email,campaign,status,diagnostic,date,message_id,mx\n');
  let batch = [];
  for (let i = 0; i < rows; i++) {
    batch.push(row(i));
    if (batch.length === 5000) {
      const s = batch.join('');
      batch = [];
      if (!out.write(s)) await once(out, 'drain');
    }
  }
  if (batch.length) out.write(batch.join(''));
  out.end();
  await once(out, 'finish');
  return path;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  if (args.includes('--list-shapes')) {
    for (const [name, { about }] of Object.entries(SHAPES)) console.log(`${name.padEnd(18)} ${about}`);
    process.exit(0);
  }
  const path = args[0] && !args[0].startsWith('--') ? args[0] : 'bench/out/bounces.csv';
  const flag = (name, dflt) => {
    const i = args.indexOf(name);
    return i >= 0 ? args[i + 1] : dflt;
  };
  const shape = flag('--shape', 'default');
  if (!Object.hasOwn(SHAPES, shape)) {
    console.error(`unknown shape "${shape}"; shapes: ${SHAPE_NAMES.join(', ')}`);
    process.exit(2);
  }
  await generate(path, { rows: Number(flag('--rows', 1_000_000)), seed: Number(flag('--seed', 20260905)), shape });
  console.log(`wrote ${path} (${shape})`);
}
