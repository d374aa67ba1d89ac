/**
 * One log row as the CLI reads it, as decision programs. The CLI (classify/cache.ts classifyRow) masks the
 * per-message details out of each reply and classifies each distinct masked reply once, for the receiver
 * the recipient's domain names; the SQL does the same in two steps:
 *
 * - ROW_PREP_PROGRAM, for every row: the address normalised (address-program.ts), the reply masked
 *   (stable-reply-program.ts) and the receiver of the recipient's domain (the only part of the address a
 *   verdict depends on);
 * - REPLY_PROGRAM, once per distinct (status, masked reply, receiver of the domain, command): the status
 *   parsed (classify/parse-status.ts) and the reply classified (classify/engine.ts), with the policies as
 *   inputs.
 *
 * ROW_PROGRAM is both in one, for the `bounce_audit_classify` function.
 */
import { ProgramBuilder, coalesce, lower, replace, str, type Expr, type Program } from '../classify/program.js';
import { PARSE_PROGRAM } from '../classify/parse-status.js';
import { CLASSIFY_PROGRAM } from '../classify/engine.js';
import { domainOfExpr, receiverOfDomainExpr } from '../classify/receivers.js';
import { DEFAULT_POLICIES, POLICY_DOCS, type Policies } from '../classify/policies.js';
import { STABLE_REPLY_PROGRAM } from './stable-reply-program.js';
import { ADDRESS_PROGRAM } from './address-program.js';

/** The classify program's input for each policy. */
export const POLICY_INPUTS: Readonly<Record<keyof Policies, string>> = {
  disabledMailbox: 'disabled_mailbox',
  recipientAccessDenied: 'recipient_access_denied',
  icloudInactive: 'icloud_inactive',
  userUnknownAfterData: 'unknown_after_data',
  mailboxFull5xx: 'full_mailbox_5xx',
};

/** The per-row part, inside a program being built. */
function prep(b: ProgramBuilder, diagnostic: Expr, email: Expr): { address: Expr; missing: Expr; masked: Expr; recipient: Expr; receiverKey: Expr } {
  const addr = b.use(ADDRESS_PROGRAM, { email }, 'addr');
  const address = b.let('address', addr.address!);
  // An address that does not normalise is classified as written, lower-cased (what the library does).
  const recipient = b.let('recipient', coalesce(address, lower(replace(email, /^\s+|\s+$/, ''))));
  const masked = b.let('masked', b.use(STABLE_REPLY_PROGRAM, { text: diagnostic }, 'mask').masked!);
  const receiverKey = coalesce(receiverOfDomainExpr(domainOfExpr(recipient)), str(''));
  return { address, missing: addr.missing!, masked, recipient, receiverKey };
}

/** The per-reply part, inside a program being built. */
function reply(b: ProgramBuilder, status: Expr, masked: Expr, email: Expr, command: Expr, policies: Record<string, Expr>): Record<string, Expr> {
  const parsed = b.use(PARSE_PROGRAM, { status, diagnostic: masked }, 'parse');
  const basic = b.let('basic_code', parsed.basic!);
  const enhanced = b.let('enhanced_code', parsed.enhanced!);
  const text = b.let('text', parsed.text!);
  const verdict = b.use(
    CLASSIFY_PROGRAM,
    { basic: coalesce(basic, str('')), enhanced: coalesce(enhanced, str('')), text, email, command, ...policies },
    'classify',
  );
  return {
    outcome: verdict.outcome!,
    bucket: verdict.bucket!,
    reason: verdict.reason!,
    rule_id: verdict.rule_id!,
    receiver: verdict.receiver!,
    guard: verdict.guard!,
    basic_code: basic,
    enhanced_code: enhanced,
  };
}

const policyInputs = (b: ProgramBuilder): Record<string, Expr> =>
  Object.fromEntries(Object.values(POLICY_INPUTS).map((name) => [name, b.input(name)]));

function buildPrep(): Program {
  const b = new ProgramBuilder('bounce-audit-row');
  const diagnostic = b.input('diagnostic');
  const email = b.input('email');
  const p = prep(b, diagnostic, email);
  return b.build({ address: p.address, missing_address: p.missing, masked: p.masked, recipient: p.recipient, receiver_key: p.receiverKey });
}

function buildReply(): Program {
  const b = new ProgramBuilder('bounce-audit-reply');
  const status = b.input('status');
  const masked = b.input('masked');
  const email = b.input('email');
  const command = b.input('command');
  return b.build(reply(b, status, masked, email, command, policyInputs(b)));
}

function buildRow(): Program {
  const b = new ProgramBuilder('bounce-audit');
  const status = b.input('status');
  const diagnostic = b.input('diagnostic');
  const email = b.input('email');
  const command = b.input('command');
  const p = prep(b, diagnostic, email);
  return b.build({ ...reply(b, status, p.masked, p.recipient, command, policyInputs(b)), address: p.address, missing_address: p.missing });
}

/** Per row. Inputs: diagnostic, email. Outputs: address (null when not an address), missing_address ('yes'/'no'), masked, recipient, receiver_key. */
export const ROW_PREP_PROGRAM: Program = buildPrep();
/** Per distinct reply. Inputs: status, masked, email, command, the policies. Outputs: the verdict and the codes. */
export const REPLY_PROGRAM: Program = buildReply();
/** Both, for one row. Inputs: status, diagnostic, email, command, the policies. */
export const ROW_PROGRAM: Program = buildRow();

/** The policy inputs as constants, from policy values (defaults for the ones not given). */
export function policyConstants(p?: Partial<Policies>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of Object.keys(POLICY_DOCS) as (keyof Policies)[]) out[POLICY_INPUTS[key]] = p?.[key] ?? DEFAULT_POLICIES[key];
  return out;
}
