/**
 * Exports with one row per *event* (SendGrid's Email Activity export and Event Webhook, Mailgun
 * events, Postmark webhooks, Brevo event logs): one message appears as several rows (processed,
 * deferred, delivered, opened, clicked …), so counting rows would count each message several
 * times. This turns a stream of events into one row per message, from its outcome:
 *
 * - `bounced` or `delivered`: the message's outcome; counted once, from the first such event.
 * - `deferred`: held until the same message has an outcome (then not counted); a message that
 *   ends the export deferred counts once as a soft bounce (`deferred-unresolved`).
 * - `sent` (processed, accepted, requests): held the same way; a message that was sent and has
 *   no outcome in the export counts once as sent, not bounced.
 * - `not-sent` (dropped, suppressed by the platform): never reached a receiver, not counted.
 * - `other` (opens, clicks, unsubscribes, complaints): not a delivery outcome, not counted.
 *
 * Every event is accounted for exactly once: as the message's row, as `not-a-bounce`, or as
 * `same-message` (another event of a message counted from its outcome). Events may come in any
 * order (exports are often newest first). Memory grows with the number of messages in the
 * export: the key of each message is kept to recognise its later events.
 */
import type { ReadItem, SourceRow } from './row.js';

export type EventOutcome = 'sent' | 'delivered' | 'bounced' | 'deferred' | 'not-sent' | 'other';

export interface MessageEvent {
  outcome: EventOutcome;
  /** The message (and recipient) the event is about: its message id, or what the export has instead. */
  key: string;
  /** The row the message counts as, when this event decides it (hint set for delivered/deferred/sent). */
  row: SourceRow;
}

/** A message still waiting for its outcome: its last deferral or its sending event. */
interface Pending {
  row: SourceRow;
  outcome: 'sent' | 'deferred';
}

const DONE = 1;

export class MessageEvents {
  /** Message key → pending event, or DONE once its outcome was counted (or it was not sent). */
  private readonly state = new Map<string, Pending | typeof DONE>();

  /** The items one event yields now (0, 1 or 2: its own, and a pending event it settles). */
  add(ev: MessageEvent): ReadItem[] {
    const { outcome, key, row } = ev;
    if (outcome === 'other') return [skip(row, 'not-a-bounce')];
    const held = this.state.get(key);
    if (held === DONE) return [skip(row, outcome === 'not-sent' ? 'not-a-bounce' : 'same-message')];
    if (outcome === 'sent' || outcome === 'deferred') {
      if (held === undefined) {
        this.state.set(key, { row, outcome });
        return [];
      }
      // A deferral says more than the sending event; a later deferral more than an earlier one.
      if (outcome === 'deferred' || held.outcome === 'sent') {
        this.state.set(key, { row, outcome });
        return [skip(held.row, 'same-message')];
      }
      return [skip(row, 'same-message')];
    }
    this.state.set(key, DONE);
    const own: ReadItem = outcome === 'not-sent' ? skip(row, 'not-a-bounce') : row;
    return held === undefined ? [own] : [own, skip(held.row, 'same-message')];
  }

  /** At the end of the export: each message still waiting counts once, from its last event. */
  *finish(): Generator<ReadItem> {
    for (const [key, held] of this.state) {
      if (held === DONE) continue;
      this.state.set(key, DONE);
      yield held.outcome === 'deferred'
        ? { ...held.row, hint: { kind: 'soft', reason: 'deferred-unresolved' } }
        : { ...held.row, status: '', diagnostic: '', hint: { kind: 'delivered', reason: 'sent-no-outcome' } };
    }
  }
}

function skip(row: SourceRow, reason: 'not-a-bounce' | 'same-message'): ReadItem {
  return { line: row.line, skip: reason, raw: row.raw };
}
