/**
 * Receiver incidents: one receiver answering "user unknown" far more often than the rest
 * of the campaign's receivers is more likely a receiver fault than a bad list. Apple, for example, sent false
 * "user unknown" replies in bulk for several hours in April 2021. Such rows deserve review before their
 * addresses are suppressed. Pure function over per-receiver counts.
 */

export interface ReceiverCounts {
  receiver: string;
  rows: number;
  invalidAddress: number;
}

export interface Incident {
  campaign: string;
  receiver: string;
  invalidAddress: number;
  rows: number;
  /** invalidAddress / rows of this receiver */
  rate: number;
  /** combined invalid-address rate of all other receivers in the campaign */
  othersRate: number;
}

export const DEFAULT_INCIDENT_MIN_INVALID = 20;
export const DEFAULT_INCIDENT_FACTOR = 5;

/**
 * Flag receivers whose invalid-address replies are both numerous (≥ minInvalid, default 20) and far above
 * the rest of the campaign (rate > factor × the others' combined rate, default 5×). When the others have no
 * invalid-address replies at all, any receiver meeting minInvalid qualifies (rate > 5 × 0). A campaign
 * with a single receiver has nothing to compare with and yields no incident. Rows with non-finite or
 * negative counts are ignored; receivers listed twice are merged. Result is sorted by rate, descending.
 */
export function detectIncidents(
  campaign: string,
  perReceiver: ReceiverCounts[],
  opts?: { minInvalid?: number; factor?: number },
): Incident[] {
  const minInvalid = opts?.minInvalid ?? DEFAULT_INCIDENT_MIN_INVALID;
  const factor = opts?.factor ?? DEFAULT_INCIDENT_FACTOR;
  const merged = new Map<string, { rows: number; invalid: number }>();
  for (const r of perReceiver ?? []) {
    if (!r || typeof r.receiver !== 'string') continue;
    const rows = Number(r.rows);
    const invalid = Number(r.invalidAddress);
    if (!Number.isFinite(rows) || !Number.isFinite(invalid) || rows < 0 || invalid < 0) continue;
    const m = merged.get(r.receiver) ?? { rows: 0, invalid: 0 };
    m.rows += rows;
    m.invalid += Math.min(invalid, rows);
    merged.set(r.receiver, m);
  }
  let totalRows = 0;
  let totalInvalid = 0;
  for (const m of merged.values()) {
    totalRows += m.rows;
    totalInvalid += m.invalid;
  }
  const out: Incident[] = [];
  for (const [receiver, m] of merged) {
    if (m.rows === 0 || m.invalid < minInvalid) continue;
    const otherRows = totalRows - m.rows;
    if (otherRows <= 0) continue;
    const rate = m.invalid / m.rows;
    const othersRate = (totalInvalid - m.invalid) / otherRows;
    if (rate > factor * othersRate) {
      out.push({ campaign, receiver, invalidAddress: m.invalid, rows: m.rows, rate, othersRate });
    }
  }
  return out.sort((a, b) => b.rate - a.rate || a.receiver.localeCompare(b.receiver));
}
