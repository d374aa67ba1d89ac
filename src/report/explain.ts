/**
 * Human rendering of an `Explanation` (src/explain.ts) for `bounce-audit explain`. Returns a string;
 * colours only with a chalk instance that has them, so piped output and tests stay plain.
 */
import type { ChalkInstance } from 'chalk';
import type { Explanation } from '../classify/explain.js';

const ACTION_TEXT: Record<Explanation['action'], string> = {
  suppress: 'suppress: add the address to the suppression list and never mail it again',
  'retry-later': 'retry later: the failure is temporary or on the recipient side; do not suppress yet',
  'fix-sender': 'fix the sender: the receiver refused the sender (reputation, authentication, content, policy); the address may be fine',
  review: 'review: the reply does not say clearly what failed; check it by hand before suppressing',
  none: 'none: the message was delivered',
};

/** `c`: a chalk instance at level 0 for plain text. */
export function renderExplain(e: Explanation, c: ChalkInstance): string {
  const bucketColor =
    e.bucket === 'invalid-address' ? c.red : e.bucket === 'blocked' ? c.magenta : e.bucket === 'soft' ? c.yellow : e.bucket === 'unclassified' ? c.cyan : c.green;
  const label = (s: string): string => c.bold(s.padEnd(15));
  const lines: string[] = [];
  if (e.input.status) lines.push(`${label('Status column')}${e.input.status}`);
  lines.push(`${label('Reply text')}${e.input.text || c.dim('(empty)')}`);
  if (e.input.email) lines.push(`${label('Recipient')}${e.input.email}`);
  lines.push('');
  lines.push(`${label('Basic code')}${e.basic ?? c.dim('none found')}${e.basicMeaning ? c.dim(`  ${e.basicMeaning}`) : ''}`);
  if (e.enhanced) {
    const meaning = e.enhancedRegistered
      ? `${e.enhancedSummary} (${e.enhancedReference})`
      : `not in the IANA registry; class: ${e.enhancedClass ?? '?'}, subject: ${e.enhancedSubject ?? 'unregistered'}`;
    lines.push(`${label('Enhanced code')}${e.enhanced}${c.dim(`  ${meaning}`)}`);
  } else {
    lines.push(`${label('Enhanced code')}${c.dim('none found')}`);
  }
  lines.push(`${label('Receiver')}${e.receiver ?? c.dim('unknown')}`);
  lines.push(`${label('Rule')}${e.ruleId}${e.ruleSource ? c.dim(`  ${e.ruleSource}`) : ''}`);
  if (e.matched) {
    const words = e.matchedWords ? c.dim(`  subject "${e.matchedWords.subject}", predicate "${e.matchedWords.predicate}"`) : '';
    lines.push(`${label('Matched')}"${e.matched}"${words}`);
  }
  if (e.guard) lines.push(`${label('Guard')}${e.guard}${e.guardNote ? c.dim(`  ${e.guardNote}`) : ''}`);
  if (e.policy) lines.push(`${label('Policy')}${e.policy.name} = ${e.policy.value}${c.dim(`  (change with ${e.policy.flag})`)}`);
  lines.push(`${label('Bucket')}${bucketColor(e.bucket ?? 'delivered')}`);
  lines.push(`${label('Reason')}${e.reason}${e.reasonDescription ? c.dim(`  ${e.reasonDescription}`) : ''}`);
  lines.push(`${label('Action')}${bucketColor(ACTION_TEXT[e.action])}`);
  return `${lines.join('\n')}\n`;
}
