/**
 * The rows the SQL is held to the CLI on: every row of both corpora, every row of every fixture as the
 * CLI's readers read it, and generated replies (the bench generator's log shapes, and replies that mix
 * codes, words and per-message noise). Each case is what bounce_audit_classify takes.
 */
import { createReadStream, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, extname, join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { openInput } from '../../src/input/open-input.js';
import { isSkip, type SourceRow } from '../../src/input/row.js';
import { InputError } from '../../src/errors.js';
import { classifyRow } from '../../src/classify/cache.js';
import { normaliseEmail } from '../../src/suppression/address.js';
import type { Policies } from '../../src/classify/policies.js';
import { prng } from '../../bench/generate.mjs';
import { FIXTURES, ROOT } from './run-cli.js';

export interface ReplyCase {
  /** Where the row comes from, for failure messages. */
  from: string;
  status: string;
  diagnostic: string;
  email: string;
  command: string;
}

const CORPUS = join(ROOT, 'test', 'corpus');

export function corpusCases(): ReplyCase[] {
  const out: ReplyCase[] = [];
  for (const f of readdirSync(CORPUS).filter((n) => n.endsWith('.csv') && n !== 'enhanced-status-codes.csv')) {
    const rows = parse(readFileSync(join(CORPUS, f)), { columns: true }) as Record<string, string>[];
    for (const r of rows) {
      out.push({ from: `${f}#${r.id}`, status: r.status ?? '', diagnostic: r.diagnostic ?? '', email: `redacted@${r.recipient_domain ?? ''}`, command: r.smtp_command ?? '' });
    }
  }
  return out;
}

/** Every fixture file, read by the CLI's own readers: its rows and what the audit needs to know of it. */
export interface FixtureRows {
  file: string;
  /** The campaign of rows without one (the file's base name). */
  campaign: string;
  rows: SourceRow[];
  /** Rows carry a platform's own bounce type (verdicts the SQL does not make), or the input is a lead export. */
  usesHints: boolean;
}

export async function fixtureFiles(): Promise<FixtureRows[]> {
  const files = [
    ...readdirSync(FIXTURES).filter((f) => /\.(csv|txt)$/.test(f)).map((f) => join(FIXTURES, f)),
    ...readdirSync(join(FIXTURES, 'platforms')).map((f) => join(FIXTURES, 'platforms', f)),
  ];
  const out: FixtureRows[] = [];
  for (const file of files) {
    let opened;
    try {
      opened = await openInput(createReadStream(file), file, { format: null, encoding: null, overrides: {}, sourceColumn: null });
    } catch (e) {
      // A file the CLI refuses (a lead export without bounce evidence, a workbook) has no rows to compare.
      if (e instanceof InputError) continue;
      throw e;
    }
    const rows: SourceRow[] = [];
    for await (const batch of opened.batches) for (const item of batch) if (!isSkip(item)) rows.push(item);
    out.push({ file, campaign: basename(file, extname(file)), rows, usesHints: opened.statusOnly || rows.some((r) => r.hint !== null) });
  }
  return out;
}

export async function fixtureCases(): Promise<ReplyCase[]> {
  return (await fixtureFiles()).flatMap((f) =>
    f.rows.map((r) => ({ from: `${basename(f.file)}:${r.line}`, status: r.status, diagnostic: r.diagnostic, email: r.email, command: r.command })),
  );
}

/** Rows of the bench generator's log shapes (per-message ids, hosted domains, wrapped replies …). */
export async function benchShapeCases(rowsPerShape: number): Promise<ReplyCase[]> {
  const gen = (await import(join(ROOT, 'bench', 'generate.mjs'))) as {
    generate: (path: string, o: { rows: number; seed?: number; shape: string }) => Promise<void>;
    SHAPE_NAMES: string[];
  };
  const dir = mkdtempSync(join(tmpdir(), 'bounce-audit-sql-cases-'));
  const out: ReplyCase[] = [];
  try {
    for (const shape of gen.SHAPE_NAMES) {
      const path = join(dir, `${shape}.csv`);
      await gen.generate(path, { rows: rowsPerShape, seed: 20261201, shape });
      const rows = parse(readFileSync(path), { columns: true }) as Record<string, string>[];
      rows.forEach((r, i) => out.push({ from: `bench ${shape} row ${i + 2}`, status: r.status ?? '', diagnostic: r.diagnostic ?? '', email: r.email ?? '', command: '' }));
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return out;
}

const PIECES = [
  '550', '5.1.1', '550-5.1.1', '554', '5.7.1', '452', '4.2.2', '421', '4.7.0', '250', '2.0.0', '5.0.0', '5.1.0', '4.0.0', '521', '556', '5.1.10', '5.4.1', '5.2.1',
  '#5.1.1', '(#5.1.1)', 'dsn=5.1.2', 'smtp;', 'said:', 'status:', 'error_code :', '552 bytes', 'port 465', 'exim 4.94.2', 'v 5.1.1',
  'user unknown', 'no such user', 'unknown recipient', 'mailbox unavailable', 'mailbox full', 'over quota', 'does not exist', 'address rejected',
  'recipient address rejected: access denied', 'account disabled', 'inactive email address', 'host not found', 'no such domain', 'greylisted',
  'try again later', 'rate limit', 'spamhaus', 'blocked using', 'dmarc', 'spf', 'reverse dns', 'relay denied', 'tls required', 'virus', 'spam',
  'sender address rejected', 'mail from', 'after end of data', 'in reply to rcpt to', 'after mail from', 'delivered', 'sent', 'ok', 'queued as',
  'gsmtp', 'protection.outlook.com', 'yahoodns.net', 'mimecast', 'pphosted.com', 'barracuda', 'iphmx.com', 'mail.ru', 'yandex',
  'Benutzer unbekannt', 'Empfänger unbekannt', 'utilisateur inconnu', 'usuario desconocido', 'Пользователь не найден', '用户不存在', 'ユーザ不明',
  'ÄÖÜ', 'İNVALİD', 'ΣΑΣ', '\u00a0', '\t', '\n', '\r\n', ' ', ' ', ' ', '-', ':', ';', ',', '.', '(', ')', '[', ']', '<', '>', "'", '"',
];

/** A per-message detail: an address, an id, a time, an IP address, a date, a queue id. */
function noise(r: () => number): string {
  const n = Math.floor(r() * 1e9);
  switch (Math.floor(r() * 9)) {
    case 0:
      return `<${['ann', 'b.o', 'x+y', 'user.name'][n % 4]}@${['example.com', 'gmail.com', 'mx.example.org', 'sub.d-1.co.uk'][n % 4]}>`;
    case 1:
      return `${n.toString(36)}${(n * 7).toString(36)}`;
    case 2:
      return `${n % 24}:${String(n % 60).padStart(2, '0')}:${String((n >> 3) % 60).padStart(2, '0')}`;
    case 3:
      return `192.0.2.${n % 256}`;
    case 4:
      return `2026-${String((n % 12) + 1).padStart(2, '0')}-${String((n % 28) + 1).padStart(2, '0')}`;
    case 5:
      return `${n}`;
    case 6:
      return `tkns${n % 100}.${n.toString(36)}.${n % 99999}-20020a05`;
    case 7:
      return `a1-${n}`;
    default:
      return `id=${n.toString(16)}`;
  }
}

/** Replies that mix codes, words (in several languages and cases) and per-message noise. */
export function mixedCases(count: number, seed = 20261202): ReplyCase[] {
  const r = prng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  const domains = ['gmail.com', 'outlook.com', 'hotmail.co.uk', 'yahoo.fr', 'aol.com', 'icloud.com', 'web.de', 'gmx.at', 'yandex.ru', 'mail.ru', 'att.net', 'orange.fr', 'googlegroups.com', 'example.com', 'company.io', 'GMAIL.COM', 'vtext.com'];
  const commands = ['', '', '', 'RCPT', 'DATA', 'MAIL', 'ehlo', 'connect', 'maıl'];
  const text = (n: number): string => {
    const parts: string[] = [];
    for (let i = 0; i < n; i++) parts.push(r() < 0.2 ? noise(r) : pick(PIECES));
    return parts.join(r() < 0.7 ? ' ' : '');
  };
  const out: ReplyCase[] = [];
  for (let i = 0; i < count; i++) {
    out.push({
      from: `mixed #${i}`,
      status: r() < 0.4 ? '' : text(1 + Math.floor(r() * 3)),
      diagnostic: text(Math.floor(r() * 14)),
      email: `${pick(['ann', 'Bob', 'c.d+e', ' x '])}@${pick(domains)}`,
      command: pick(commands),
    });
  }
  return out;
}

/** The CLI's verdict for a case, the way the audit and the library reach it (classify/cache.ts classifyRow). */
export function cliVerdict(c: ReplyCase, policies?: Partial<Policies>): { bucket: string | null; reason: string; rule_id: string } {
  const email = normaliseEmail(c.email) ?? c.email.trim().toLowerCase();
  const opts = { ...(policies && Object.keys(policies).length ? { policies } : {}), ...(c.command ? { command: c.command } : {}) };
  const v = classifyRow(c.status, c.diagnostic, email, Object.keys(opts).length ? opts : undefined);
  return { bucket: v.bucket, reason: v.reason, rule_id: v.ruleId };
}
