// Deterministic bounce-log generator for the bench (never part of `npm test`).
//   node bench/generate.mjs OUT.csv [--rows N] [--seed S]
// Shape: email,campaign,status,diagnostic,date,message_id,mx; ~20 campaigns; ~30 % of rows reuse an address
// seen before; quoted multi-line diagnostics (Gmail's continuation lines); a mix of delivered,
// invalid-address, soft and blocked replies in the shapes Gmail, Microsoft, Yahoo, Postfix and
// Exim publish. The file is written by streaming, so 5 M rows (~1 GB) need no memory.
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

export async function generate(path, { rows = 1_000_000, seed = 20260905 } = {}) {
  const rnd = prng(seed);
  const out = createWriteStream(path, { highWaterMark: 1 << 20 });
  out.write('email,campaign,status,diagnostic,date,message_id,mx\n');
  const seen = [];
  const base = Date.UTC(2026, 8, 1);
  let batch = [];
  let bytes = 0;
  for (let i = 0; i < rows; i++) {
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
    const line = `${quote(email)},${quote(campaign)},${quote(reply[1])},${quote(reply[2](email, messageId.slice(1, 15)))},${date},${messageId},mx1.${domain}\n`;
    batch.push(line);
    if (batch.length === 5000) {
      const s = batch.join('');
      bytes += s.length;
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
  const path = args[0] && !args[0].startsWith('--') ? args[0] : 'bench/out/bounces.csv';
  const flag = (name, dflt) => {
    const i = args.indexOf(name);
    return i >= 0 ? Number(args[i + 1]) : dflt;
  };
  await generate(path, { rows: flag('--rows', 1_000_000), seed: flag('--seed', 20260905) });
  console.log(`wrote ${path}`);
}
