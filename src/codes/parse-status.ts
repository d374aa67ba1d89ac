import type { ParsedStatus } from '../types.js';

/** Minimal first version: extracts the first basic and enhanced code; refined in later commits. */
export function parseStatus(status: string, diagnostic: string): ParsedStatus {
  const text = `${status ?? ''} ${diagnostic ?? ''}`.replace(/\s+/g, ' ').trim().toLowerCase();
  const enhanced = /(?<![\d.])([245]\.\d{1,3}\.\d{1,3})(?![\d.])/.exec(text)?.[1] ?? null;
  const basic = /(?<![\d.])([245]\d\d)(?![\d.])/.exec(text)?.[1] ?? null;
  return { basic, enhanced, text };
}
