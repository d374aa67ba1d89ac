/**
 * Postfix and Exim mail logs: the final outcome of each (queue id, recipient) delivery.
 *
 * Postfix `smtp`/`lmtp`/`local`/`virtual` lines carry `to=<…>`, `dsn=X.Y.Z` and `status=sent |
 * bounced | deferred | expired (…reply text…)`. Exim's main log marks deliveries `=>`/`->`,
 * failures `**` and deferrals `==`.
 *
 * A deferral is not an outcome: it is held until the same queue id and recipient reach a final
 * status (then only that one counts), and is counted as a soft bounce only when the message
 * leaves the queue without one (`removed`/`Completed`) or the log ends first. Notifications the
 * MTA itself sends back to the sender (postfix "sender non-delivery notification", Exim `<= <>`)
 * are not campaign mail and are skipped. Memory is bounded by the queue ids in flight: entries
 * are dropped when their message leaves the queue.
 */
import { splitLines } from './lines.js';
import type { ReadItem, SourceRow } from './row.js';

// Timestamps: classic syslog ("Oct  3 10:00:01", no year) or RFC 3339 (rsyslog, journald exports).
const SYSLOG_TS = String.raw`(?<ts>[A-Z][a-z]{2} {1,2}\d{1,2} \d\d:\d\d:\d\d|\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:?\d\d)?)`;
const POSTFIX = new RegExp(`^${SYSLOG_TS} \\S+ postfix[\\w.-]*/[\\w/-]+\\[\\d+\\]: (?<qid>[0-9A-Za-z]+): (?<rest>.*)$`);
const POSTFIX_DELIVERY = /^to=<(?<rcpt>[^>]*)>,(?: orig_to=<(?<orig>[^>]*)>,)?.*?(?:dsn=(?<dsn>[\d.]+),\s*)?status=(?<status>\w+)(?: \((?<text>.*)\))?\s*$/;
const POSTFIX_NDR = /sender (?:non-delivery|delivery status) notification: (?<ndr>[0-9A-Za-z]+)/;
const EXIM = /^(?<ts>\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(?:\.\d+)?)(?: [+-]\d{4})? (?:\[\d+\] )?(?<qid>[0-9A-Za-z]{6}-[0-9A-Za-z]{6,11}-[0-9A-Za-z]{2,4}) (?<rest>.*)$/;
const EXIM_EVENT = /^(?<flag>\*\*|=>|->|==|<=) (?<rest>.*)$/;
/**
 * The recipient part of an Exim delivery line: the address (bare or in `<…>`), optionally followed
 * by the address it was routed from (`final@host <original@host>`), then a colon (`** a@b:
 * Unrouteable address`) or the fields (`R=router T=transport …`). A pipe or file delivery
 * (`=> |/usr/bin/x <a@b>`, `=> /var/mail/a <a@b>`) names the recipient only in the brackets.
 */
const EXIM_RECIPIENT = /^<?(?<addr>[^\s<>]*?)>?:?(?: <(?<orig>[^>]*)>:?)?(?=\s|$)(?<text>.*)$/;

/** Does this text look like a Postfix or Exim log? (any of its first lines matches) */
export function looksLikeMailLog(head: string): boolean {
  const lines = head.split(/\r\n|\n|\r/, 40);
  return lines.some((l) => POSTFIX.test(l) || (EXIM.test(l) && / (?:\*\*|=>|==|<=) /.test(l)));
}

interface Pending {
  row: SourceRow;
}

const dateOf = (ts: string): string => (/^\d{4}-/.test(ts) ? ts : ''); // a yearless syslog stamp would be misdated

export async function* readMailLog(chunks: AsyncIterable<Buffer>, file = 'input'): AsyncGenerator<ReadItem> {
  /** Deferred deliveries awaiting a final status: queue id → recipient → last deferral. */
  const pending = new Map<string, Map<string, Pending>>();
  /** Queue ids of the MTA's own bounce notifications. */
  const ndr = new Set<string>();

  const flush = function* (qid: string): Generator<ReadItem> {
    const m = pending.get(qid);
    if (m) for (const p of m.values()) yield p.row;
    pending.delete(qid);
  };
  const row = (line: number, rcpt: string, status: string, text: string, ts: string, deferred: boolean): SourceRow => ({
    line,
    email: rcpt,
    status,
    diagnostic: text,
    campaign: '',
    date: dateOf(ts),
    command: '',
    hint: deferred ? { kind: 'soft', reason: 'deferred-unresolved' } : null,
    source: '',
    raw: null,
  });
  const final = function* (qid: string, r: SourceRow): Generator<ReadItem> {
    pending.get(qid)?.delete(r.email);
    yield r;
  };
  const defer = (qid: string, r: SourceRow): void => {
    let m = pending.get(qid);
    if (!m) pending.set(qid, (m = new Map()));
    m.set(r.email, { row: r });
  };

  for await (const { line, text } of splitLines(chunks, file)) {
    let m = POSTFIX.exec(text);
    if (m) {
      const { ts, qid, rest } = m.groups as { ts: string; qid: string; rest: string };
      if (rest === 'removed') {
        if (ndr.delete(qid)) continue;
        yield* flush(qid);
        continue;
      }
      const n = POSTFIX_NDR.exec(rest);
      if (n) {
        ndr.add(n.groups!.ndr!);
        continue;
      }
      const d = POSTFIX_DELIVERY.exec(rest);
      if (!d || ndr.has(qid)) continue;
      const { rcpt: to, orig, dsn, status, text: said } = d.groups as { rcpt: string; orig?: string; dsn?: string; status: string; text?: string };
      // orig_to is the address the message was sent to, before an alias or virtual table rewrote it.
      const rcpt = orig || to;
      const reply = said ?? '';
      const code = dsn ?? '';
      if (status === 'deferred') defer(qid, row(line, rcpt, code, reply, ts, true));
      else if (status === 'sent' || status === 'bounced' || status === 'expired') yield* final(qid, row(line, rcpt, code, reply, ts, false));
      continue;
    }
    m = EXIM.exec(text);
    if (m) {
      const { ts, qid, rest } = m.groups as { ts: string; qid: string; rest: string };
      if (rest === 'Completed') {
        if (ndr.delete(qid)) continue;
        yield* flush(qid);
        continue;
      }
      const e = EXIM_EVENT.exec(rest);
      if (!e) continue;
      const { flag, rest: event } = e.groups as { flag: string; rest: string };
      if (flag === '<=') {
        if (event.startsWith('<> ') || event === '<>') ndr.add(qid);
        continue;
      }
      if (ndr.has(qid)) continue;
      const r = EXIM_RECIPIENT.exec(event);
      if (!r) continue;
      const { addr, orig, text: said } = r.groups as { addr: string; orig?: string; text: string };
      // The address the campaign mailed: the original one when the line names it, and the only
      // address of a pipe or file delivery.
      const rcpt = orig && (orig.includes('@') || !addr.includes('@')) ? orig : addr;
      // Exim puts the remote reply after the last ": " of the line; a delivery's reply is in C="…".
      const reply = flag === '=>' || flag === '->' ? (/ C="([^"]*)"/.exec(said)?.[1] ?? '250 delivered') : said.replace(/^\s*:\s*/, '').trim();
      if (flag === '==') defer(qid, row(line, rcpt, '', reply, ts, true));
      else yield* final(qid, row(line, rcpt, flag === '**' ? '' : '250', reply, ts, false));
    }
  }
  // Still queued when the log ends: the last deferral stands as a soft bounce.
  for (const qid of [...pending.keys()]) yield* flush(qid);
}
