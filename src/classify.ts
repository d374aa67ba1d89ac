import type { Classification, ParsedStatus } from './types.js';
import { parseStatus } from './codes/parse-status.js';

export interface ClassifyContext {
  /** recipient address or its domain, lower-case, may be '' */
  email?: string;
}

/** Minimal first version (code-only); the rule tables replace this in later commits. */
export function classify(parsed: ParsedStatus, _ctx?: ClassifyContext): Classification & { receiver: string | null } {
  if (parsed.basic?.startsWith('2') || parsed.enhanced?.startsWith('2.')) {
    return { outcome: 'delivered', bucket: null, reason: 'delivered', ruleId: 'delivered', receiver: null };
  }
  if (parsed.enhanced === '5.1.1' || parsed.enhanced === '5.1.2') {
    return { outcome: 'bounced', bucket: 'invalid-address', reason: 'user-unknown', ruleId: 'code-5.1.1', receiver: null };
  }
  if (parsed.basic?.startsWith('4') || parsed.enhanced?.startsWith('4.')) {
    return { outcome: 'bounced', bucket: 'soft', reason: 'temporary', ruleId: 'code-4xx', receiver: null };
  }
  return { outcome: 'bounced', bucket: 'unclassified', reason: 'unknown', ruleId: 'fallback', receiver: null };
}

export function classifyRow(status: string, diagnostic: string, email: string): Classification & { receiver: string | null } {
  return classify(parseStatus(status, diagnostic), { email });
}

export function receiverOf(_domain: string, _text: string): string | null {
  return null;
}
