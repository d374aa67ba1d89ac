/**
 * Classification rules as data. The engine (src/classify/engine.ts) tries them in array order and the first match
 * decides. Each rule: id, optional receiver(s), optional code conditions (cheap, checked before any regex),
 * one regex compiled at module load (texts are lower-cased and whitespace-squeezed by parseStatus), an
 * optional `unless` regex, the bucket and reason, and a `source` note (RFC section, the receiver's published
 * reply text, or the corpus sample family the phrasing comes from).
 *
 * RULE ORDER — "read the text first, use the code as tie-breaker", and never suppress on a sender refusal:
 *   1. receiver rules: a known receiver's documented replies, because receivers reuse codes against their
 *      registered meaning (Microsoft 5.1.10/5.4.1, Yandex 5.7.1 "No such user!", AT&T 5.2.1, GMX without codes);
 *   2. sender-refusal and recipient-side-soft text (block lists, reputation, SPF/DKIM/DMARC, PTR, spam, virus,
 *      relay, TLS, sender address; mailbox full, rate limits, local-delivery failures). These come BEFORE
 *      "user unknown" wording: when a reply carries both kinds of evidence (a Spamhaus block answered as
 *      "5.1.0", "user unknown … blocked using …") the sender-side reading is the one that does not suppress a
 *      real person. A wrong "blocked" costs a review; a wrong "invalid" loses a subscriber for good;
 *   3. address-nonexistence text (user unknown & its families in several languages, host unknown, moved,
 *      bad syntax, disabled accounts). Recipient-specific refusals that merely look like policy, such as
 *      "Recipient address rejected: Access denied" (Microsoft directory-based edge blocking), are decided here
 *      by a policy, before the generic "access denied" of step 4;
 *   4. the remaining text: size, greylisting, expiry, network and system errors, generic policy refusals;
 *   5. codes alone (RFC 3463 / RFC 5321 / RFC 7504 meanings) as tie-breakers;
 *   6. fallbacks in the engine (4xx → soft/temporary, anything else → unclassified).
 * Guards applied by the engine to every rule marked `address: true` (see classify.ts): a temporary class
 * (4xx / 4.x.x) turns it soft; a refusal before RCPT (MAIL/EHLO/connect) cannot be about the recipient;
 * a refusal after DATA goes through the `userUnknownAfterData` policy unless the rule is `anyStage`.
 */
import type { Bucket } from './types.js';
import type { Policies } from './policies.js';
import type { Reason } from './reasons.js';

export type RulePhase = 'receiver' | 'sender' | 'address' | 'other' | 'code';

export interface Rule {
  readonly id: string;
  readonly phase: RulePhase;
  /** Only for these receivers (see receivers.ts). */
  readonly receiver?: readonly string[];
  /** Enhanced code conditions: exact ("5.1.1") or prefix ending in "." ("5.7."). Any one must match. */
  readonly enhanced?: readonly string[];
  /** Basic code conditions: exact ("521") or a prefix ("5", "55"). Any one must match. */
  readonly basic?: readonly string[];
  /** Enhanced codes that keep the rule from applying, written as `enhanced`. */
  readonly notEnhanced?: readonly string[];
  /** Text condition on the lower-cased, squeezed status + diagnostic text. */
  readonly re?: RegExp;
  /** The rule does not apply when this matches. */
  readonly unless?: RegExp;
  readonly bucket: Bucket;
  readonly reason: Reason;
  /** The bucket comes from this policy instead of `bucket`. */
  readonly policy?: keyof Policies;
  /** The rule says the address does not exist: subject to the engine's stage and class guards. */
  readonly address?: boolean;
  /** The receiver documents this reply as final whatever the SMTP stage (exempt from the after-DATA policy). */
  readonly anyStage?: boolean;
  /**
   * The text is a definitive answer whatever the code: a resolver's "Host not found" (NXDOMAIN, as opposed to
   * "Host not found, try again") is final even when a platform stamps its own 4xx-looking code on it.
   */
  readonly definitive?: boolean;
  readonly source: string;
}

// Shared pieces of wording (plain strings so several rules can reuse them; each regex is built once below).
const NONEXISTENT_USER = [
  String.raw`user(?:name)? unknown`,
  String.raw`unknown (?:user|recipient|local[- ]part|mailbox|addressee)`,
  String.raw`recipient unknown`,
  String.raw`addressee unknown`,
  String.raw`unknown or illegal (?:user|alias)`,
  String.raw`no such (?:user|mailbox|recipient|account|person|local user|address)`,
  String.raw`(?:user|mailbox|recipient|account|address|e-?mail account|email address) (?:does ?n[o']?t|doesn't|do not|did not) exist`,
  String.raw`\buser not exists?\b`,
  String.raw`(?:user|recipient|mailbox|address|account) (?:was )?not found`,
  String.raw`recip(?:ient)?notfound`,
  String.raw`not found by smtp address lookup`,
  String.raw`invalid (?:recipient|mailbox|user|address|e-?mail address|final delivery userid)`,
  String.raw`(?:recipient|mailbox|user) (?:address )?(?:is )?invalid`,
  String.raw`mailbox (?:is )?unavailable`,
  String.raw`mailbox not available`,
  String.raw`no mailbox here by that name`,
  String.raw`not listed in (?:the )?(?:domino )?directory`,
  String.raw`not listed in public name & address book`,
  String.raw`not in my (?:\S+ )?(?:valid ?rcpt(?:to)?|recipients?) list`,
  String.raw`recipient address rejected: undeliverable address`,
  String.raw`(?:usuario|destinatario) (?:\S+ ){0,3}no se encuentra|no se encuentra en el directorio`,
  // "Recipient address rejected:" is Postfix's prefix for any reason; only a bare "address rejected" counts.
  String.raw`address rejected(?:$|\s*[^\s:])`,
  String.raw`unrout(?:e)?able address`,
  String.raw`bad destination mailbox address`,
  String.raw`this user doesn't have a \S+ account`,
  String.raw`address couldn't be found`,
  String.raw`account (?:has been |was )?(?:closed|terminated|deleted|removed)`,
  String.raw`no longer (?:exists|a valid)`,
  // German
  String.raw`(?:empf(?:ä|ae)nger|benutzer|nutzer|adresse|postfach|mailbox)\S* (?:ist )?unbekannt`,
  String.raw`unbekannte[rs]? (?:empf(?:ä|ae)nger|benutzer|adresse)`,
  String.raw`existiert nicht`,
  String.raw`kein(?:en)? (?:solche[rn]?|derartige[rn]?) (?:benutzer|empf(?:ä|ae)nger|postfach)`,
  // French
  String.raw`(?:destinataire|utilisateur|adresse) (?:\S+ ){0,6}(?:inconnue?|invalide|inexistante?)`,
  String.raw`n['’ ]existe pas`,
  String.raw`bo[iî]te (?:aux lettres )?(?:inexistante|introuvable)`,
  // Spanish
  String.raw`(?:usuario|destinatario|buz[oó]n|direcci[oó]n) (?:\S+ ){0,3}(?:desconocid[oa]|no existe|inexistente|no v[aá]lid[oa]|inv[aá]lid[oa])`,
  // Italian
  String.raw`(?:utente|destinatario|indirizzo|casella) (?:\S+ ){0,3}(?:sconosciut[oa]|inesistente|non esiste|non valid[oa])`,
  // Portuguese
  String.raw`(?:usu[aá]rio|utilizador|destinat[aá]rio|endere[cç]o|caixa postal) (?:\S+ ){0,3}(?:desconhecid[oa]|inexistente|n[aã]o existe|inv[aá]lid[oa])`,
  // Dutch, Polish
  String.raw`onbekende (?:gebruiker|ontvanger)|bestaat niet`,
  String.raw`nieznany (?:u[zż]ytkownik|adresat)|(?:u[zż]ytkownik|adres) nie istnieje`,
  // Japanese
  String.raw`(?:ユーザ|宛先|アドレス|受信者)\S{0,6}(?:不明|存在しません|存在しない|見つかりません|ありません)`,
  String.raw`ディレクトリ\S{0,12}(?:見つかりません|ありません|登録されていません)`,
  String.raw`宛先不明`,
  // Russian
  String.raw`нет такого (?:пользователя|адреса|ящика)`,
  String.raw`(?:пользователь|адрес|почтовый ящик|ящик|получатель) (?:\S+ ){0,2}не (?:найден|существует)`,
  // Chinese, Korean
  String.raw`(?:用户|用戶|收件人|地址|帐户|账户|帳戶|邮箱|信箱)\S{0,4}不存在`,
  String.raw`존재하지 않는 (?:사용자|주소|계정)`,
].join('|');

const NONEXISTENT_HOST = [
  String.raw`host unknown`,
  String.raw`unknown host`,
  String.raw`unknown domain`,
  String.raw`(?:host|domain)(?: or domain)?(?: name)? not found`,
  String.raw`host \S+ not found`,
  String.raw`domain (?:\S+ )?(?:does ?n[o']?t|doesn't) exist`,
  String.raw`no such domain`,
  String.raw`invalid (?:recipient )?domain\b`,
  String.raw`illegal host/domain`,
  String.raw`unroutable domain|unrouteable domain`,
  String.raw`couldn't find any host`,
  String.raw`couldn't find a mail exchanger`,
  String.raw`no mx (?:record )?(?:found|for)`,
  String.raw`null mx`,
  String.raw`(?:host|domain)(?:/domain)? does not accept mail`,
  String.raw`doesn't receive email`,
  String.raw`indicated no smtp service`,
  String.raw`bad destination system address`,
  String.raw`dns lookup failure`,
  String.raw`domaine? (?:\S+ )?inexistante?`,
  String.raw`domain existiert nicht`,
  String.raw`name or service not known`,
  String.raw`unrout(?:e)?able mail domain`,
  String.raw`nullmx`,
  String.raw`no route (?:found )?to domain`,
  String.raw`no such host`,
  String.raw`non-?existent (?:hosts?|domain)`,
  String.raw`nonexistentdomain|domainnonexistent`,
  String.raw`domain (?:\S+ )?does not accept mail`,
  String.raw`(?:able|unable) to find the recipient domain`,
  String.raw`dominio (?:\S+ )?(?:inesistente|inexistente|no existe|non esiste)`,
  String.raw`домен\S* (?:\S+ )?не существует`,
  String.raw`域名不存在`,
  String.raw`ドメイン\S{0,6}(?:見つかりません|存在しません)`,
].join('|');


/**
 * The recipient grammar: a recipient subject near a negative predicate, in either order, with at most three
 * words between them ("user unknown", "the mailbox ann@example.com dosn't exist", "unknown local part",
 * "BAD_RECIPIENT", "Пользователь не найден"). Word lists are data so that a SQL generator can build the same
 * pattern; misspellings receivers actually write are listed with the words. Boundaries are written as
 * "not a letter or digit" rather than \b, so that underscores separate words (UNKNOWN_USER).
 */
export const RECIPIENT_GRAMMAR = {
  subjects: [
    String.raw`user(?:name)?s?`, String.raw`mail-?box(?:es)?`, String.raw`mail box`, String.raw`recipi?ents?`, String.raw`recipent`,
    String.raw`reciepient`, String.raw`receipient`, String.raw`accounts?`, String.raw`e-?mail (?:address|account)`,
    String.raw`addressee`, String.raw`adressee`, String.raw`address`, String.raw`adress`, String.raw`local[- ]?part`, String.raw`rcpt`,
    String.raw`destination`, String.raw`alias`, String.raw`mail file`,
    // German, French, Spanish, Portuguese, Italian, Polish, Russian
    String.raw`empf(?:ä|ae)nger(?:adresse)?`, String.raw`benutzer(?:name)?`, String.raw`nutzer`, String.raw`postfach`, String.raw`adresse`, String.raw`konto`,
    String.raw`destinataire`, String.raw`utilisateur`, String.raw`bo[iî]te(?: aux lettres)?`, String.raw`compte`,
    String.raw`usuario`, String.raw`destinatario`, String.raw`buz[oó]n`, String.raw`direcci[oó]n`, String.raw`cuenta`,
    String.raw`usu[aá]rio`, String.raw`utilizador`, String.raw`destinat[aá]rio`, String.raw`endere[cç]o`, String.raw`caixa(?: postal)?`, String.raw`conta`,
    String.raw`utente`, String.raw`indirizzo`, String.raw`casella`,
    String.raw`u[zż]ytkownik`, String.raw`adresat`, String.raw`skrzynk\S*`,
    String.raw`пользовател\S*`, String.raw`адрес\S*`, String.raw`ящик\S*`, String.raw`получател\S*`, String.raw`аккаунт\S*`,
    String.raw`nazw\S* u[zż]ytkownika`, String.raw`người dùng`, String.raw`địa chỉ`, String.raw`hộp thư`, String.raw`tài khoản`,
  ],
  /** Predicates that follow the subject ("user unknown", "address does not exist"). */
  after: [
    String.raw`unknown`, String.raw`unkown`, String.raw`not found`, String.raw`not exists?`, String.raw`no exists?`,
    String.raw`(?:does|do|did|dose) ?n[o']?t? exi?s?i?sts?`, String.raw`(?:could ?n[o']?t|cannot|can't) be found`, String.raw`doesn'?t exi?s?i?sts?`, String.raw`dosn'?t exi?sts?`, String.raw`don'?t exists?`,
    String.raw`(?:is|are) not exists?`, String.raw`(?:is|are) invalid`, String.raw`invalid`, String.raw`(?:is )?not (?:a )?valid`, String.raw`(?:is )?not (?:a )?known`,
    String.raw`(?:is )?unavailable`, String.raw`not available`, String.raw`(?:is )?not ok`, String.raw`(?:is )?not a member`,
    String.raw`cannot be verified`, String.raw`could not be verified`, String.raw`not listed`, String.raw`(?:is )?not recogni[sz]ed`,
    String.raw`(?:is )?not (?:in|on) (?:the |our |this )?(?:\S+ )?(?:list|directory|table|database)`, String.raw`not activated`, String.raw`never activated`,
    String.raw`nonexistent`, String.raw`non-existent`, String.raw`inexistent`,
    String.raw`unbekannt`, String.raw`existiert nicht`, String.raw`nicht vorhanden`, String.raw`nicht gefunden`, String.raw`ung(?:ü|ue)ltig`,
    String.raw`inconnue?`, String.raw`inexistante?`, String.raw`introuvable`, String.raw`invalide`, String.raw`n['’ ]existe pas`,
    String.raw`desconocid[oa]`, String.raw`no existe`, String.raw`inexistente`, String.raw`no v[aá]lid[oa]`, String.raw`inv[aá]lid[oa]`, String.raw`no encontrad[oa]`,
    String.raw`desconhecid[oa]`, String.raw`n[aã]o existe`, String.raw`n[aã]o encontrad[oa]`,
    String.raw`sconosciut[oa]`, String.raw`inesistente`, String.raw`non esiste`, String.raw`non valid[oa]`, String.raw`non trovat[oa]`,
    String.raw`nie istnieje`, String.raw`nieznan\S*`, String.raw`nie znalezion\S*`,
    String.raw`не найден\S*`, String.raw`не существует`, String.raw`неизвест\S*`,
    String.raw`(?:is ?n[o']?t|is not) (?:a )?local (?:account|user|recipient|mailbox)`, String.raw`không tồn tại`, String.raw`không hợp lệ`,
  ],
  /** Predicates that precede the subject ("unknown user", "no such mailbox", "a nonexistent user"). */
  before: [
    String.raw`unknown`, String.raw`unkown`, String.raw`invalid`, String.raw`nonexistent`, String.raw`non-existent`, String.raw`inexistent`,
    String.raw`no such`, String.raw`bad`, String.raw`illegal`, String.raw`unrout(?:e)?able`, String.raw`wrong`, String.raw`unavailable`,
    String.raw`not (?:a )?valid`, String.raw`not (?:a )?known`, String.raw`no(?: valid)?`,
    String.raw`(?:don'?t|doesn'?t|does not) exists?(?: that| this| the| such)?`, String.raw`(?:does ?n[o']?t|doesn'?t) have an?`,
    String.raw`unbekannte[rs]?`, String.raw`kein(?:en)?`, String.raw`nieznany`, String.raw`несуществующ\S*`, String.raw`неизвестн\S*`,
    String.raw`nieprawid[lł]ow\S*`, String.raw`nie ma takiej`, String.raw`nie ma takiego`, String.raw`không tìm thấy`,
    String.raw`(?:does ?n[o']?t|doesn'?t|do not) handle (?:e-?)?mail for(?: that| this| the)?`,
  ],
} as const;

const GRAMMAR_LEFT = String.raw`(?:^|[^a-z0-9])`;
const GRAMMAR_RIGHT = String.raw`(?:[^a-z0-9]|$)`;
// Up to three words between subject and predicate; separators include underscores and punctuation.
// Platform tokens join the words with nothing at all (InvalidRecipient, NoMailbox, UserUnknown, lower-cased
// by the parser), so the gap may also be empty.
const GRAMMAR_GAP = String.raw`(?:(?:[\s_:;,'"<>()\[\]/.-]+[^\s_]+){0,3}?[\s_:;,'"<>()\[\]/.-]+)?`;
/** Words of a list as one alternative; a space inside a word may also be written as `_` or left out (not_found, notfound). */
const alt = (words: readonly string[]): string => `(?:${words.map((w) => w.replaceAll(' ', '[ _]?')).join('|')})`;
/** Subject … predicate, or predicate … subject. */
export const RECIPIENT_GRAMMAR_SOURCE =
  `${GRAMMAR_LEFT}${alt(RECIPIENT_GRAMMAR.subjects)}${GRAMMAR_GAP}${alt(RECIPIENT_GRAMMAR.after)}${GRAMMAR_RIGHT}` +
  `|${GRAMMAR_LEFT}${alt(RECIPIENT_GRAMMAR.before)}${GRAMMAR_GAP}${alt(RECIPIENT_GRAMMAR.subjects)}${GRAMMAR_RIGHT}` +
  // "E-mail" alone is a subject only before a predicate ("Email not exist"): "no email …" says nothing.
  `|${GRAMMAR_LEFT}e-?mail${GRAMMAR_GAP}${alt(RECIPIENT_GRAMMAR.after)}${GRAMMAR_RIGHT}` +
  // Chinese and Japanese write no spaces: the predicate follows the subject within a few characters.
  String.raw`|(?:用户|用戶|收件人|地址|帐户|账户|帳戶|帐号|账号|邮箱|信箱|ユーザー?|宛先|アドレス|受信者|アカウント|メールボックス)\S{0,8}?(?:不存在|未找到|找不到|无效|無效|不明|未开通|未開通|未激活|存在しません|存在しない|見つかりません|ありません|登録されていません|登録がありません|持っていません|持っておりません)` +
  // Japanese also puts the predicate first: 不明なユーザー, 存在しない宛先.
  String.raw`|(?:不明な|存在しない|無効な)(?:ユーザー?|宛先|アドレス|受信者|アカウント|メールボックス)`;
/**
 * Words that put the sender, not the recipient, in the sentence: a grammar match next to them is not proof that
 * the recipient is missing ("Sender address rejected: User unknown", "Submission from dynamic IP address rejected").
 */
export const RECIPIENT_GRAMMAR_VETO = String.raw`too many (?:invalid|unknown|bad|non-?existent) recipients|your (?:account|ip|server|host|domain)|\bsender\b|\bmail from\b|envelope from|\bip address\b|from address|temporar|unknown address error`;

/** Subject words and negative-predicate words, for `explain` to show which words decided. */
export const RECIPIENT_SUBJECT_WORDS = new RegExp(`${GRAMMAR_LEFT}(${alt(RECIPIENT_GRAMMAR.subjects)})${GRAMMAR_RIGHT}`);
export const RECIPIENT_PREDICATE_WORDS = new RegExp(`${GRAMMAR_LEFT}(${alt([...RECIPIENT_GRAMMAR.after, ...RECIPIENT_GRAMMAR.before])})${GRAMMAR_RIGHT}`);

/**
 * The host grammar: a destination-host subject (host, domain, mail server, MX, and their translations) near a
 * "does not exist" predicate, in either order ("host name is unknown", "BadDomain", "Domaine introuvable",
 * "不明なメールサーバー"). Sender, client and HELO words veto it: those sentences are about the sender's host.
 */
export const HOST_GRAMMAR = {
  subjects: [
    String.raw`host(?: name)?s?`, String.raw`domain(?: name)?s?`, String.raw`mail server`, String.raw`mx(?: records?)?`, String.raw`mail exchangers?`,
    String.raw`domaine`, String.raw`domein(?:naam)?`, String.raw`dominio`, String.raw`dom[ií]nio`, String.raw`домен\S*`, String.raw`domen\S*`, String.raw`tên miền`,
  ],
  after: [
    String.raw`(?:is )?unknown`, String.raw`(?:was )?not found`, String.raw`(?:does ?n[o']?t|doesn't|do not) exists?`, String.raw`not exists?`,
    String.raw`(?:is )?invalid`, String.raw`(?:is )?not valid`, String.raw`(?:could ?n[o']?t|cannot) be (?:found|resolved)`, String.raw`not resolvable`,
    String.raw`introuvable`, String.raw`inconnue?`, String.raw`inexistante?`, String.raw`no existe`, String.raw`inexistente`, String.raw`non esiste`, String.raw`inesistente`,
    String.raw`nicht gefunden`, String.raw`existiert nicht`, String.raw`unbekannt`, String.raw`не существует`, String.raw`не найден\S*`,
    String.raw`nie istnieje`, String.raw`không tồn tại`, String.raw`(?:is )?inactive`,
  ],
  before: [
    String.raw`unknown`, String.raw`invalid`, String.raw`bad`, String.raw`no such`, String.raw`non-?existent`, String.raw`unresolvable`, String.raw`unbekannte`,
    String.raw`nie ma takiej`, String.raw`nieprawid[lł]ow\S*`, String.raw`không tìm thấy`, String.raw`geen`, String.raw`kein(?:e|en)?`,
  ],
} as const;
export const HOST_GRAMMAR_SOURCE =
  `${GRAMMAR_LEFT}${alt(HOST_GRAMMAR.subjects)}${GRAMMAR_GAP}${alt(HOST_GRAMMAR.after)}${GRAMMAR_RIGHT}` +
  `|${GRAMMAR_LEFT}${alt(HOST_GRAMMAR.before)}${GRAMMAR_GAP}${alt(HOST_GRAMMAR.subjects)}${GRAMMAR_RIGHT}` +
  String.raw`|(?:域名|ドメイン|メールサーバー?|邮件服务器|郵件伺服器)\S{0,8}?(?:不存在|不明|找不到|見つかりません|存在しません)|(?:不明な|存在しない|無効な)(?:ドメイン|メールサーバー?)`;
export const HOST_GRAMMAR_VETO = String.raw`\bsender\b|\bmail from\b|envelope from|from address|\bhelo\b|\behlo\b|\bclient\b|reverse|\bptr\b|\brdns\b|your (?:host|domain|server)|temporar|try again|\bown domain`;

/** Disabled, locked, closed or never-activated accounts: an account subject near a "switched off" predicate. */
const DISABLED_SUBJECTS = String.raw`(?:mail-?box|mail box|account|user|address|recipient|e-?mail account|compte|cuenta|conta|konto|casella|casilla|buz[oó]n|postfach|учетн\S* запис\S*|аккаунт\S*|ящик\S*|帐户|账户|帳戶|帐号|账号|用户|アカウント)`;
const DISABLED_PREDICATES = String.raw`(?:disabled|deactivated|inactive|suspended|locked|frozen|closed|terminated|expired|discontinued|forbidden|not active|never (?:been )?activated|pending activation|deaktiviert|gesperrt|d[ée]sactiv[ée]e?|suspendue?|deshabilitad[oa]|desactivad[oa]|desativad[oa]|disattivat[oa]|expirad[oa]|caducad[oa]|vencid[oa]|inactiv[oa]|sospes[oa]|zablokowane|nieaktywne|заблокирован\S*|отключен\S*)`;
const MAILBOX_DISABLED_SOURCE =
  `${GRAMMAR_LEFT}${DISABLED_SUBJECTS}(?:[\\s:;,'"<>()\\[\\]-]+[^\\s_]+){0,3}?[\\s:;,'"<>()\\[\\]-]+(?:is |has been |was |ist |est |está |esta |è )?${DISABLED_PREDICATES}${GRAMMAR_RIGHT}` +
  String.raw`|(?:deactivated|disabled|inactive|suspended|locked|closed|expired) (?:mail-?box|account|recipient|user)` +
  String.raw`|(?:recipient|user)(?:'s)? account is (?:blocked|bloque)|compte du destinataire est bloque|mailbox disabled|mailbox closed` +
  String.raw`|(?:帐户|账户|帳戶|帐号|账号|用户|邮箱)\S{0,12}?(?:冻结|凍結|禁用|停用|休眠|冬眠)|アカウント\S{0,6}?(?:無効|停止|休眠)`;

const rx = (s: string): RegExp => new RegExp(s);

/** The rule table. Order is precedence; see the header comment. */
export const RULES: readonly Rule[] = [
  // ── 1. Receiver rules ────────────────────────────────────────────────────────────────────────────────
  {
    id: 'google-groups-ambiguous',
    phase: 'receiver',
    receiver: ['google-groups'],
    unless: /\b5\.1\.1\b|tried to reach does not exist/,
    re: /./,
    bucket: 'unclassified',
    reason: 'unknown',
    source: 'Google Groups notice "the group you tried to contact may not exist, or you may not have permission to post": cannot tell a missing group from a permission refusal',
  },
  {
    id: 'google-account-disabled',
    phase: 'receiver',
    receiver: ['google'],
    re: /account that you tried to reach is (?:disabled|inactive)|account you tried to reach is (?:disabled|inactive)/,
    bucket: 'invalid-address',
    reason: 'mailbox-disabled',
    policy: 'disabledMailbox',
    address: true,
    anyStage: true,
    source: 'Gmail reply "550 5.2.1 The email account that you tried to reach is disabled" / "… is inactive"',
  },
  {
    id: 'google-no-such-user',
    phase: 'receiver',
    receiver: ['google', 'google-groups'],
    re: /account that you tried to reach does not exist|p=nosuchuser/,
    bucket: 'invalid-address',
    reason: 'user-unknown',
    address: true,
    anyStage: true,
    source: 'Gmail reply "550-5.1.1 The email account that you tried to reach does not exist" (support.google.com/mail/?p=NoSuchUser)',
  },
  {
    id: 'google-over-quota',
    phase: 'receiver',
    receiver: ['google'],
    re: /out of storage space|over ?quota|overquotatemp|overquotaperm|inbox is full/,
    bucket: 'soft',
    reason: 'mailbox-full',
    source: 'Gmail replies "452 4.2.2 The recipient\'s inbox is out of storage space" and "552 5.2.2 … out of storage space and inactive" (OverQuotaTemp/OverQuotaPerm)',
  },
  {
    id: 'google-receiving-rate',
    phase: 'receiver',
    receiver: ['google'],
    re: /receiving mail (?:at a rate|too quickly)|rate that prevents additional messages/,
    bucket: 'soft',
    reason: 'rate-limited',
    source: 'Gmail reply "450/550 5.2.1 The user you are trying to contact is receiving mail at a rate that prevents additional messages from being delivered"',
  },
  {
    id: 'microsoft-recipient-not-found',
    phase: 'receiver',
    receiver: ['microsoft'],
    re: /resolver\.adr\.(?:recipnotfound|recipientnotfound|exrecipnotfound)|recipient not found by smtp address lookup/,
    bucket: 'invalid-address',
    reason: 'user-unknown',
    address: true,
    anyStage: true,
    source: 'Microsoft 365/Exchange NDR "550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP address lookup" (5.1.10 reused; IANA X.1.10 is null MX)',
  },
  {
    id: 'microsoft-dbeb-access-denied',
    phase: 'receiver',
    receiver: ['microsoft'],
    enhanced: ['5.4.1', '5.7.1', '5.0.0'],
    re: /recipient address rejected: access denied/,
    bucket: 'invalid-address',
    reason: 'user-unknown',
    policy: 'recipientAccessDenied',
    address: true,
    anyStage: true,
    source: 'Microsoft 365 "550 5.4.1 Recipient address rejected: Access denied" = directory-based edge blocking: recipient not in the tenant directory (5.4.1 reused; IANA X.4.1 is "no answer from host")',
  },
  {
    id: 'microsoft-mailbox-full',
    phase: 'receiver',
    receiver: ['microsoft'],
    re: /storedrv\.deliver:? mailbox full|quotaexceeded|mailbox (?:is )?full/,
    bucket: 'soft',
    reason: 'mailbox-full',
    source: 'Exchange NDR "552/550 5.2.2 STOREDRV.Deliver: mailbox full" (MapiExceptionShutoffQuotaExceeded)',
  },
  {
    id: 'microsoft-restriction',
    phase: 'receiver',
    receiver: ['microsoft'],
    re: /resolver\.rst\.|restricted to|not authorized to send/,
    unless: /sizelimit|too large/,
    bucket: 'blocked',
    reason: 'policy',
    source: 'Exchange NDR "5.7.1 RESOLVER.RST.NotAuthorized / AuthRequired": delivery restriction on the sender, not a missing mailbox',
  },
  {
    id: 'yahoo-no-account',
    phase: 'receiver',
    receiver: ['yahoo'],
    re: /this user doesn't have a \S+ account|dd sorry your message to \S+ cannot be delivered\. this account does not exist/,
    bucket: 'invalid-address',
    reason: 'user-unknown',
    address: true,
    anyStage: true,
    source: 'Yahoo sender hub error codes: "554 delivery error: dd This user doesn\'t have a yahoo.com account" = the address does not exist',
  },
  {
    id: 'yahoo-mailbox-disabled',
    phase: 'receiver',
    receiver: ['yahoo'],
    re: /mailbox is disabled|554\.30|account (?:has been |is )?(?:disabled|deactivated)/,
    bucket: 'invalid-address',
    reason: 'mailbox-disabled',
    policy: 'disabledMailbox',
    address: true,
    anyStage: true,
    source: 'Yahoo reply "554 delivery error: dd Sorry, your message to … cannot be delivered. This mailbox is disabled (554.30)"',
  },
  {
    id: 'yahoo-deferred-reputation',
    phase: 'receiver',
    receiver: ['yahoo'],
    re: /\[ts0\d\]|\[tss0\d\]|temporarily deferred due to (?:unexpected volume|user complaints)/,
    bucket: 'blocked',
    reason: 'reputation',
    source: 'Yahoo sender hub: "421 4.7.0 [TSS04] Messages from … temporarily deferred due to unexpected volume or user complaints"',
  },
  {
    id: 'apple-inactive',
    phase: 'receiver',
    receiver: ['apple'],
    re: /inactive email address/,
    bucket: 'invalid-address',
    reason: 'mailbox-disabled',
    policy: 'icloudInactive',
    address: true,
    anyStage: true,
    source: 'iCloud reply "550 5.1.1 <…>: inactive email address"',
  },
  {
    id: 'att-addressee-unknown',
    phase: 'receiver',
    receiver: ['att'],
    enhanced: ['5.2.1', '5.1.1'],
    re: /addressee unknown/,
    bucket: 'invalid-address',
    reason: 'user-unknown',
    address: true,
    source: 'AT&T reply "550 5.2.1 <…>... Addressee unknown, relay=[…]" (5.2.1 reused; IANA X.2.1 is "mailbox disabled")',
  },
  {
    id: 'yandex-no-such-user',
    phase: 'receiver',
    receiver: ['yandex'],
    re: /no such user/,
    bucket: 'invalid-address',
    reason: 'user-unknown',
    address: true,
    anyStage: true,
    source: 'Yandex reply "550 5.7.1 No such user!" (5.7.1 reused; IANA X.7.1 is "delivery not authorized")',
  },
  {
    id: 'mailru-user-blocked',
    phase: 'receiver',
    receiver: ['mailru'],
    re: /(?:user|account|mailbox) (?:is )?(?:blocked|disabled)|mailbox is frozen/,
    bucket: 'invalid-address',
    reason: 'mailbox-disabled',
    policy: 'disabledMailbox',
    address: true,
    // Mail.ru refuses unknown and disabled mailboxes after the message data: final at any stage.
    anyStage: true,
    source: 'Mail.ru reply "550 Message was not accepted -- invalid mailbox. Local mailbox … is unavailable: account is disabled"',
  },
  {
    id: 'mailru-user-not-found',
    phase: 'receiver',
    receiver: ['mailru'],
    re: /user not found|invalid mailbox|mailbox (?:is )?unavailable/,
    bucket: 'invalid-address',
    reason: 'user-unknown',
    address: true,
    // Mail.ru refuses unknown and disabled mailboxes after the message data: final at any stage.
    anyStage: true,
    source: 'Mail.ru reply "550 Message was not accepted -- invalid mailbox. Local mailbox … is unavailable: user not found"',
  },
  {
    id: 'united-internet-mailbox-unavailable',
    phase: 'receiver',
    receiver: ['united-internet'],
    re: /requested action not taken: mailbox unavailable|mailbox unavailable/,
    // GMX prefixes "mailbox unavailable" to sender-side refusals too ("… invalid DNS MX or A/AAAA resource record").
    unless: /spam|policy|block|reputation|ip address|\bsender\b|resource record|\bdns\b/,
    bucket: 'invalid-address',
    reason: 'user-unknown',
    address: true,
    source: 'GMX/WEB.DE/mail.com reply "550 Requested action not taken: mailbox unavailable" (no enhanced code) for a non-existent mailbox',
  },
  {
    id: 'united-internet-size',
    phase: 'receiver',
    receiver: ['united-internet'],
    re: /mail size limit exceeded/,
    bucket: 'soft',
    reason: 'message-too-large',
    source: '1&1/IONOS reply "552 Mail size limit exceeded" (postmaster.1and1.com/en/error-messages)',
  },
  {
    id: 'verizon-wireless-no-recipient',
    phase: 'receiver',
    receiver: ['verizon-wireless'],
    re: /no valid recipients for this mm|no such user/,
    bucket: 'invalid-address',
    reason: 'user-unknown',
    address: true,
    source: 'Verizon Wireless MMS/SMS gateway (vzwpix.com/vtext.com) "No valid recipients for this MM": the number has no mailbox',
  },
  {
    id: 'barracuda-no-such-user',
    phase: 'receiver',
    receiver: ['barracuda'],
    re: /cuda_nsu|no such user/,
    bucket: 'invalid-address',
    reason: 'user-unknown',
    address: true,
    source: 'Barracuda Email Security Gateway: "550 No such user (…)" / log tag cuda_nsu (no such user, recipient verification)',
  },
  {
    id: 'mimecast-invalid-recipient',
    phase: 'receiver',
    receiver: ['mimecast'],
    re: /invalid recipient/,
    bucket: 'invalid-address',
    reason: 'user-unknown',
    address: true,
    source: 'Mimecast SMTP error "550 Invalid Recipient" (recipient not in the customer\'s directory)',
  },
  {
    id: 'mimecast-policy',
    phase: 'receiver',
    receiver: ['mimecast'],
    re: /host network not allowed|administrative prohibition|security polic|anti-spoofing|rejected by|envelope rejected/,
    bucket: 'blocked',
    reason: 'policy',
    source: 'Mimecast SMTP errors "554 Host network not allowed", "550 Administrative prohibition", "554 email rejected due to security policies"',
  },
  {
    id: 'cisco-address-rejected',
    phase: 'receiver',
    receiver: ['cisco'],
    re: /#5\.1\.0 address rejected/,
    bucket: 'invalid-address',
    reason: 'user-unknown',
    address: true,
    source: 'Cisco Secure Email (IronPort) LDAP accept query failure "550 #5.1.0 Address rejected"',
  },
  {
    id: 'orange-invalid-recipient',
    phase: 'receiver',
    receiver: ['orange'],
    re: /destinataire invalide|invalid recipient|ofr_?\d*_?416/,
    bucket: 'invalid-address',
    reason: 'user-unknown',
    address: true,
    source: 'Orange reply "550 5.1.1 Adresse d au moins un destinataire invalide. Invalid recipient. OFR_416"',
  },

  // ── 2. Sender refusals and recipient-side soft conditions (before nonexistence wording) ────────────────
  {
    id: 'blocklisted',
    phase: 'sender',
    re: /spamhaus|spamcop|\bsorbs\b|dnsbl|\brbl\b|\/rbl\/|abuseat|\bcbl\b|uceprotect|barracuda ?(?:central|reputation)|barracudacentral|blocked using|block ?list|blacklist|black list|banned sending ip|\bs3150\b|ip (?:address )?(?:is )?(?:blocked|listed|banned)|blocked ip|client host \S* ?blocked|(?:is|are|been|currently) (?:black)?listed (?:in|on|at|by) |dnsbl-lookup|ipcheck\.proofpoint|bloquee/,
    unless: /grey ?list|gray ?list/,
    bucket: 'blocked',
    reason: 'blocklisted',
    source: 'Block-list replies: Spamhaus/SORBS/CBL/Barracuda "blocked using …", Microsoft "5.7.606 banned sending IP" and "S3150 block list", Proofpoint dnsbl-lookup',
  },
  {
    id: 'authentication',
    phase: 'sender',
    re: /dmarc|\bspf\b|dkim|unauthenticated|authentication[ _]?(?:is )?(?:required|checks?|failed|results|level)|smtp auth|sender is unauthenticated|not pass authentication|fails? to pass authentication|arc validation|5\.7\.2[0-36]\b|5\.7\.50[89]|5\.7\.51[05]/,
    bucket: 'blocked',
    reason: 'authentication',
    source: 'RFC 7372 X.7.20–X.7.26 and receivers\' DMARC/SPF/DKIM replies (Gmail 5.7.26, Microsoft 5.7.509/5.7.515)',
  },
  {
    id: 'reverse-dns',
    phase: 'sender',
    re: /reverse dns|\bptr\b|\brdns\b|reverse (?:dns )?lookup|ip name lookup failed|no reverse|without a valid (?:hostname|reverse)|5\.7\.25\b/,
    bucket: 'blocked',
    reason: 'reverse-dns',
    source: 'RFC 7372 X.7.25 "Reverse DNS validation failed"; Gmail/Comcast PTR requirements',
  },
  {
    id: 'reputation',
    phase: 'sender',
    re: /reputation|user complaints|unexpected volume|sender score|suspicious due to|poor sending|weren't sent\. please contact your internet service provider|messages from \S+ weren't sent|5\.7\.7\d\d|4\.7\.650/,
    bucket: 'blocked',
    reason: 'reputation',
    source: 'Reputation replies: Gmail "very low reputation of the sending IP", Microsoft "4.7.650 rate limited due to IP reputation" and "SC-004 messages weren\'t sent", Yahoo TSS04',
  },
  {
    id: 'virus',
    phase: 'sender',
    re: /virus|malware|infected|trojan/,
    bucket: 'blocked',
    reason: 'virus',
    source: 'Content scanners: "550 Virus Detected; Content Rejected"',
  },
  {
    id: 'spam-content',
    phase: 'sender',
    re: /spam|\bube\b|垃圾邮件|dt:spm|unsolicited|junk mail|bulk mail|content rejected|uribl|surbl|blacklisted url|message (?:content )?(?:was )?(?:rejected|refused) as/,
    bucket: 'blocked',
    reason: 'spam-content',
    source: 'Spam filters: amavis "554 5.7.0 Reject, id=… - SPAM", "550 5.7.1 Message content rejected, UBE", URIBL hits',
  },
  {
    id: 'relay-denied',
    phase: 'sender',
    re: /relay(?:ing)?[ _]?(?:access )?(?:denied|disallowed|not permitted|prohibited|not allowed)|retransmiss[aã]o negada|retransmisi[oó]n denegada|relais (?:refus|interdit)|not permitted to relay|use me .{0,80}as a relay|unable to relay|we do not relay|open relay|relay quota|not in my list of allowed rcpthosts|relay(?:ing)? disabled|cannot deliver mail for <|relay rejected|(?:^|[^a-z])no[ _]relay(?:ing)?(?:$|[^a-z])/,
    bucket: 'blocked',
    reason: 'relay-denied',
    source: 'RFC 5321 §3.6.2 relaying; Sendmail "Relaying denied", qmail "not in my list of allowed rcpthosts"',
  },
  {
    id: 'tls-required',
    phase: 'sender',
    re: /tls required|requires? tls|must issue a starttls|must[ _]?issue[ _]?(?:a[ _]?)?start[ _]?tls|starttls (?:is )?required|requiretls|encryption required|does not support tls|certificate (?:\S+ ){0,4}(?:not (?:signed|trusted|valid)|verification failed|untrusted)|(?:tls|ssl) (?:handshake|negotiation) failed|5\.7\.10\b|5\.7\.30\b/,
    bucket: 'blocked',
    reason: 'tls-required',
    source: 'RFC 3207 STARTTLS ("530 Must issue a STARTTLS command first"), RFC 8689 X.7.30 REQUIRETLS, RFC 5248 X.7.10',
  },
  {
    id: 'sender-address',
    phase: 'sender',
    re: /sender (?:address |domain )?(?:is )?(?:rejected|refused|denied|invalid|unknown|not allowed|verify failed|verification failed)|sender rejected|domain of sender|unroutable sender|sender verification|sender domain|(?:mail ?from|envelope from|from:?) (?:address |domain )?(?:is )?(?:invalid|rejected|listed|not allowed)|from: ?domain is invalid|invalid[ _]?sender|denies the sender|(?:niew[lł]a[sś]ciw|nieprawid[lł]ow)\S* adres nadawcy|sender address has null mx|use the smtp server of your isp|invalid dns (?:mx|a\b)|sender has no |sending domain |unauthori[sz]ed sender|sender (?:address |email )?(?:is )?not (?:registered|allowed|authori[sz]ed|permitted)|not in my domain|mail ?from\S* (?:\S+ )?mismatch|mismatch\S* (?:with )?(?:header from|client ip)|bad outbound sender|your envelope sender|your from address|not allowed to send (?:from|as)|(?:発信者|送信者|差出人|发件人|發件人|寄件人)\S{0,6}(?:拒否|被拒|拒绝|無効|无效|不存在)/,
    bucket: 'blocked',
    reason: 'sender-rejected',
    source: 'Sender checks: "501 5.1.8 Sender address rejected", "553 5.1.8 Domain of sender address … does not exist", Cox/Charter "5.1.0 sender rejected", Apple private relay "5.1.1 <bounce address>: unauthorized sender", "MAIL FROM mismatches client IP", "sender is not in my domain"',
  },
  {
    id: 'sender-codes',
    phase: 'sender',
    enhanced: ['5.1.7', '5.1.8', '5.7.27', '4.1.7', '4.1.8'],
    unless: /user unknown|unknown user|no such user|recipient/,
    bucket: 'blocked',
    reason: 'sender-rejected',
    source: 'RFC 3463 X.1.7 "bad sender\'s mailbox address syntax", X.1.8 "bad sender\'s system address"; RFC 7505 X.7.27 "sender address has null MX"',
  },
  {
    id: 'delay-warning',
    phase: 'sender',
    re: /not yet been delivered|will continue to try|遅延|再試行|重试|delivery attempts will continue|will be retried until|warning only|still being retried|has not been completed|could not be delivered for more than|still undelivered|retry time not reached|has been frozen/,
    bucket: 'soft',
    reason: 'expired',
    source: 'Delay notices: Postfix "THIS IS A WARNING ONLY … will be retried until", Exim "has not yet been delivered … Delivery attempts will continue", Exchange "Delivery has not been completed"; the message is still being retried',
  },
  {
    id: 'content-refusal',
    phase: 'sender',
    re: /mime\/reject|line (?:is )?too long|\bmacros?\b|content[ _]?rejected|bare (?:lf|cr|newline|linefeed)|multi-recipient bounce|invalid structure|without (?:a )?(?:valid )?(?:to|from|date|subject|message-id):? (?:fields?|headers?)|missing a valid address in from|valid date: header|charset|invalid data in message|invalid message content|message is malformed|malformed (?:message|mime|header)|bare linefeeds|line length exceeded|content reject|disallowed attach|attach type|allegato|password[ -]protected|encrypted (?:zip|archive|attachment)|content[ _]error/,
    bucket: 'blocked',
    reason: 'content-rejected',
    source: 'RFC 3463 X.6.x; message-format refusals: "552 MIME/REJECT: Invalid structure", "Messages without To: fields are not accepted", a charset refused, Exchange "BareLinefeedsAreIllegal"',
  },
  {
    id: 'message-refused',
    phase: 'sender',
    re: /will not accept (?:delivery of )?this message|not accepting (?:messages|mail) from|refused to accept (?:this|your) message/,
    bucket: 'blocked',
    reason: 'policy',
    source: 'Refusals of the message rather than the recipient: AOL "521 5.2.1 : AOL will not accept delivery of this message"',
  },
  {
    id: 'mailbox-full',
    phase: 'sender',
    re: /mailbox[ _]?(?:is )?full|空间不足|空間不足|容量不足|mailbox\S* .{0,40}exceed|over ?quota|quota (?:is )?exceeded|exceeded .{0,20}quota|(?:disk|storage|mailbox) quota|insufficient (?:disk |storage )?space|not enough (?:disk |storage )?space|(?:storage )?space not enough|not enough storage|storage space|exhausted allowed storage|quota exceed|file too large|too many messages on the server|speichervolumen|out of storage|mail ?folder is full|inbox is full|account is full|is full|too much mail data|bo[iî]te (?:aux lettres )?pleine|postfach (?:ist )?voll|speicherplatz|(?:buz[oó]n|correo|casilla|bandeja) (?:\S+ ){0,3}(?:est[aá] )?llen[oa]|briefkasten (?:ist )?voll|(?:mailbox|postbus|postvak) (?:is )?vol\b|(?:メールボックス|受信箱)\S{0,3}(?:一杯|いっぱい|満杯|満タン)|(?:邮箱|信箱|郵箱)\S{0,2}(?:已满|满了|已滿)|casella (?:di posta )?piena|caixa (?:postal )?(?:est[aá] )?cheia|переполнен|容量/,
    unless: /(?:message|mail) size/,
    bucket: 'soft',
    reason: 'mailbox-full',
    policy: 'mailboxFull5xx',
    source: 'RFC 3463 X.2.2 "mailbox full"; RFC 5321 552/452 storage replies; Postfix/Dovecot/Exchange quota wording',
  },
  {
    id: 'rate-limited',
    phase: 'sender',
    re: /rate limit|rate-limit|ratelimit|max(?:imum)? (?:number of )?defers|rcpt attempts|przekroczono limit|send(?:ing)? rate (?:is )?exceeded|too many (?:recipients|messages|connections|mails|emails|concurrent)|frequency limited|sent to too many recipients|throttl|(?:daily|hourly) (?:sending |relay )?(?:quota|limit)|sending (?:quota|limit)|max(?:imum)? (?:number of )?messages? per (?:connection|session)|received this hour|max(?:imum)? (?:number of )?(?:e-?mails|messages|mails) (?:per|an|a) (?:hour|day|minute)|too fast|rate that prevents/,
    bucket: 'soft',
    reason: 'rate-limited',
    source: 'Throttling replies: "452 4.3.2 Connection rate limit exceeded", GoDaddy "550 5.1.1 … has sent to too many recipients this hour" (5.1.1 reused)',
  },
  {
    id: 'local-delivery-error',
    phase: 'sender',
    re: /procmail: (?:couldn't|lock failure|error|unable|can't)|pipe to \||\|ifs=|mail\.local: |unknown mailer error|mailer error|unable to contact ldap|error writing message|write error|unable to write|could not be stored|temporary internal error|internal error occurred|backend failure|command died with status|child process of \S+ transport returned/,
    unless: /mail\.local: unknown user/,
    bucket: 'soft',
    reason: 'system-error',
    source: 'Local delivery agents (procmail, pipe, mail.local, Exim pipe transports, Dovecot LDA/LMTP "Temporary internal error") and write errors on the receiving host: the account exists',
  },
  {
    id: 'dns-temporary',
    phase: 'sender',
    re: /host not found, try again|malformed or unexpected name server reply|name server: \S+: host name lookup failure|temporary (?:dns|lookup) failure|servfail/,
    bucket: 'soft',
    reason: 'network-error',
    source: 'Postfix/Sendmail temporary resolver failures (TRY_AGAIN, SERVFAIL): "Host not found, try again"',
  },
  {
    id: 'message-too-large',
    phase: 'sender',
    re: /message (?:is )?too (?:big|large|long)|message[ _]?too[ _]?(?:big|large)|wiadomo\S* zbyt (?:d[lł]uga|du[zż]a)|dung lượng (?:\S+ ){0,4}vượt|exceeded[ _]?quota|(?:^|[^a-z])too[ _]?(?:big|large)(?:$|[^a-z])|taille (?:du message )?trop grande|message trop (?:gros|volumineux)|(?:nachricht|mail) (?:ist )?zu gro(?:ß|ss)|mensaje demasiado grande|(?:message|mail) (?:size|length) (?:limit )?exceed|exceeds (?:the )?(?:fixed )?(?:maximum|max) (?:message )?size|size limit exceeded|message size exceeds|recipsizelimit|line limit exceeded|too large for this recipient|(?:is|are) (?:more|larger|bigger) than \S+ (?:bytes|kb|mb|kilobytes|megabytes)\b/,
    bucket: 'soft',
    reason: 'message-too-large',
    source: 'RFC 3463 X.2.3/X.3.4; RFC 1870 SIZE; "552 5.3.4 Message size exceeds fixed maximum message size"',
  },

  // ── 3. Address nonexistence ──────────────────────────────────────────────────────────────────────────
  {
    id: 'recipient-access-denied',
    phase: 'address',
    re: /recipient address rejected: access denied/,
    bucket: 'invalid-address',
    reason: 'user-unknown',
    policy: 'recipientAccessDenied',
    address: true,
    source: 'Postfix check_recipient_access / Microsoft DBEB wording "Recipient address rejected: Access denied": a refusal of that recipient, not of the sender',
  },
  {
    id: 'mailbox-disabled',
    phase: 'address',
    re: rx(MAILBOX_DISABLED_SOURCE),
    unless: /sending|outgoing|outbound|\bsender\b|from your|your (?:account|mailbox|domain|ip|server|subscription)|mail server (?:has been )?suspended/,
    bucket: 'invalid-address',
    reason: 'mailbox-disabled',
    policy: 'disabledMailbox',
    address: true,
    // Content filters pretend "user unknown", not "account disabled": this wording is final at any stage.
    anyStage: true,
    source: 'RFC 3463 X.2.1 "mailbox disabled, not accepting messages", RFC 5248 X.7.13 "user account disabled"; providers\' "account disabled/inactive/locked/closed/expired" replies, Zimbra account statuses, and their translations',
  },
  {
    id: 'has-moved',
    phase: 'address',
    re: /has moved|no forwarding address|no longer (?:on (?:this )?server|at this address|in use|active|valid here)|no longer accepts (?:mail|messages|e-?mail)|больше не принима\S* (?:писем|почту|сообщени)|n['’ ]accepte plus|destinataire a chang|not our (?:\S+ ){0,2}(?:user|customer|client)s?|not (?:a )?user of this (?:server|system|domain)|user not local|moved (?:permanently|away)|(?:メールボックス|アドレス|宛先)\S{0,3}(?:移動|移転)|(?:邮箱|地址)\S{0,3}已迁移/,
    bucket: 'invalid-address',
    reason: 'has-moved',
    address: true,
    source: 'RFC 3463 X.1.6 "destination mailbox has moved, no forwarding address"; RFC 5321 551 "user not local"',
  },
  {
    id: 'bad-syntax',
    phase: 'address',
    re: /bad (?:destination )?mailbox address syntax|local[ -]?part (?:is )?too long|(?:address|path|domain) (?:is )?too long|cannot exceed \d+ characters|non-ascii characters in the local[ -]part|mailbox[ _]?name[ _]?not[ _]?allowed|cú pháp (?:\S+ ){0,3}(?:sai|không đúng)|(?:^|[^a-z])invalid[ _]?e-?mail(?:[ _]?address)?(?:$|[^a-z])|a valid (?:e-?mail )?address is required|(?:recipient )?address syntax|syntax (?:error|incorrect) in (?:recipient )?address|invalid (?:address )?syntax|mailbox name not allowed|malformed recipient|restricted characters in address|bad chars in command|invalid characters in (?:recipient|address)|need fully-qualified address|(?:地址|邮箱|郵箱|アドレス)\S{0,4}(?:格式错误|格式不正确|格式錯誤|形式(?:が)?(?:正しくありません|不正|エラー)|書式エラー)/,
    bucket: 'invalid-address',
    reason: 'bad-syntax',
    address: true,
    source: 'RFC 3463 X.1.3 "bad destination mailbox address syntax"; RFC 5321 553 "mailbox name not allowed"',
  },
  {
    id: 'dns-no-such-host',
    phase: 'address',
    re: /host or domain name not found\. name service error for name=\S+ type=\S+: host not found(?:$|[^,])/,
    bucket: 'invalid-address',
    reason: 'host-unknown',
    address: true,
    definitive: true,
    source: 'Postfix resolver result "Host or domain name not found … Host not found" (NXDOMAIN): final whatever code a platform stamps on it; "Host not found, try again" (TRY_AGAIN) is temporary and decided earlier by dns-temporary',
  },
  {
    id: 'host-unknown',
    phase: 'address',
    re: rx(NONEXISTENT_HOST),
    unless: /invalid domain name/,
    bucket: 'invalid-address',
    reason: 'host-unknown',
    address: true,
    source: 'RFC 3463 X.1.2 "bad destination system address"; RFC 7505 null MX; MTA wording "Host unknown", "No such domain", "couldn\'t find a mail exchanger"',
  },
  {
    id: 'host-grammar',
    phase: 'address',
    re: rx(HOST_GRAMMAR_SOURCE),
    unless: rx(HOST_GRAMMAR_VETO),
    bucket: 'invalid-address',
    reason: 'host-unknown',
    address: true,
    source: 'RFC 3463 X.1.2 in receivers\' and platforms\' own words: a destination-host subject (host, domain, mail server, MX, and their translations) near a "does not exist" predicate, with sender, client and HELO words as a veto',
  },
  {
    id: 'user-unknown',
    phase: 'address',
    re: rx(NONEXISTENT_USER),
    unless: /\bip address rejected|too many (?:invalid|unknown|bad|non-?existent) recipients/,
    bucket: 'invalid-address',
    reason: 'user-unknown',
    address: true,
    source: 'RFC 3463 X.1.1; Postfix "User unknown in … table", Sendmail "User unknown", qmail "no mailbox here by that name", Exim "Unrouteable address", Exchange "Unknown Recipient", Domino "not listed in Domino Directory", and their translations',
  },  {
    id: 'recipient-grammar',
    phase: 'address',
    re: rx(RECIPIENT_GRAMMAR_SOURCE),
    unless: rx(RECIPIENT_GRAMMAR_VETO),
    bucket: 'invalid-address',
    reason: 'user-unknown',
    address: true,
    source: 'RFC 3463 X.1.1 in receivers\' own words: a recipient subject (user, mailbox, recipient, account, address, local part, and their translations) near a negative predicate (unknown, not found, does not exist, invalid, not known, unavailable, not OK, not a member, …), with sender words as a veto',
  },


  // ── 4. Remaining text ────────────────────────────────────────────────────────────────────────────────
  {
    id: 'greylisted',
    phase: 'other',
    re: /grey ?list|gray ?list|greylisted|try again in \d+ (?:seconds|minutes)/,
    bucket: 'soft',
    reason: 'greylisted',
    source: 'Greylisting (e.g. Postgrey "450 4.2.0 Recipient address rejected: Greylisted")',
  },
  {
    id: 'content-rejected',
    phase: 'other',
    re: /header error|headers? too (?:large|long)|invalid data in message|multiple (?:addresses in from|subject headers)|not rfc ?5322 compliant|8-bit data|illegal attachment|attachment|duplicate header|content presents a potential security issue|message content|purported responsible address/,
    bucket: 'blocked',
    reason: 'content-rejected',
    source: 'RFC 3463 X.6.x content errors; Gmail "message is not RFC 5322 compliant", "illegal attachment"',
  },
  {
    id: 'expired',
    phase: 'other',
    re: /message expired|expired|maximum number of delivery attempts|retry timeout exceeded|could not (?:be )?deliver(?:ed)? (?:for|after|within)|not delivered within|giving up|in the queue too long|delivery failed \d+ attempts|unable to deliver .{0,40}after|has been delayed|will be retried|deleted from queue|timed out|timeout|gave up|give ?up|abgelaufen|vencid[oa]|caducad[oa]|verlopen|期限切れ|已过期|已過期/,
    bucket: 'soft',
    reason: 'expired',
    source: 'RFC 3463 X.4.7 "delivery time expired"; MTA queue-lifetime and timeout messages',
  },
  {
    id: 'network-error',
    phase: 'other',
    re: /hop count|too many hops|loop detected|too many received|end of socket stream|communication[ _]?failure|connection attempt failed|no smtp servers (?:were |are )?available|mất kết nối|\bdns[ _]?failure|routing loop|mail loop|name service error|lookup failure|connection refused|no route to host|failed to connect|lost connection|connection reset|network error|not reachable|did not accept our requests to connect|unable to connect|couldn't establish|wasn't able to establish|host not reachable|nxdomain|netzwerkfehler|verbindungsfehler|netwerkfout|error de red|不可达|不可達|无法连接|無法連線|接続できません|ネットワークエラー/,
    bucket: 'soft',
    reason: 'network-error',
    source: 'RFC 3463 X.4.x network and routing; MTA connection/DNS failures',
  },
  {
    id: 'system-error',
    phase: 'other',
    re: /internal (?:system )?error|system error|mailbox[ _]?(?:is )?busy|(?:^|[^a-z])transient(?: bounce| failure)?(?:$|[^a-z])|queue file write error|operating system error|service (?:currently )?unavailable|temporar(?:y|ily)|try again later|please try later|insufficient (?:system )?(?:resources|permission)|resources temporarily unavailable|could not load|local error|duplicated message-id|vor(?:ü|ue)bergehend|tijdelijke? (?:fout|storing)|error temporal|一時的|暂时|暫時/,
    bucket: 'soft',
    reason: 'system-error',
    source: 'RFC 3463 X.3.x mail system status; RFC 5321 421/451/452',
  },
  {
    id: 'policy',
    phase: 'other',
    re: /access denied|not authori[sz]ed|not permitted|too many (?:invalid|unknown|bad|non-?existent) recipients|your (?:account|subscription) (?:has been |is )?(?:suspended|disabled|blocked|locked|deactivated)|dictionary attack|\bip\b[^.]{0,30}(?:filtered|check error|prison|jail)|(?:mail )?server (?:has been )?suspended|client[ _]?not[ _]?permitted|\bbanned\b|no access (?:for|from) (?:this|your) ip|denied by policy|polic(?:y|ies)|prohibited|prohibition|client host rejected|not allowed|\bblocked\b|refused|rejected by|rejete|abuse|your access to submit messages|synchronization error|protocol violation|not in (?:the )?(?:whitelist|allowlist)|dynamic ip|residential ip|\bhelo\b|\behlo\b|blockiert|geblokkeerd|bloquead[oa]|rechazad[oa]|による拒否|被拒|拒绝|拒收/,
    bucket: 'blocked',
    reason: 'policy',
    source: 'RFC 3463 X.7.1 "delivery not authorized, message refused"; RFC 5321 550/554 policy refusals',
  },

  // ── 5. Codes alone (tie-breakers) ────────────────────────────────────────────────────────────────────
  {
    id: 'code-521-556',
    phase: 'code',
    basic: ['521', '556'],
    // Postscreen and other front ends answer 521 when they drop a client: a 5.5.x, 5.6.x or 5.7.x status
    // says the refusal is about the session, not about the domain.
    notEnhanced: ['5.5.', '5.6.', '5.7.'],
    bucket: 'invalid-address',
    reason: 'host-unknown',
    address: true,
    source: 'RFC 7504: 521 "host does not accept mail", 556 "domain does not accept mail"',
  },
  {
    id: 'code-x.1.1',
    phase: 'code',
    enhanced: ['5.1.1', '4.1.1'],
    bucket: 'invalid-address',
    reason: 'user-unknown',
    address: true,
    source: 'RFC 3463 X.1.1 "bad destination mailbox address"',
  },
  {
    id: 'code-x.1.2',
    phase: 'code',
    enhanced: ['5.1.2', '4.1.2', '5.1.10', '4.1.10'],
    bucket: 'invalid-address',
    reason: 'host-unknown',
    address: true,
    source: 'RFC 3463 X.1.2 "bad destination system address"; RFC 7505 X.1.10 "recipient address has null MX"',
  },
  {
    id: 'code-x.1.3',
    phase: 'code',
    enhanced: ['5.1.3', '4.1.3'],
    bucket: 'invalid-address',
    reason: 'bad-syntax',
    address: true,
    source: 'RFC 3463 X.1.3 "bad destination mailbox address syntax"',
  },
  {
    id: 'code-x.1.6',
    phase: 'code',
    enhanced: ['5.1.6', '4.1.6'],
    bucket: 'invalid-address',
    reason: 'has-moved',
    address: true,
    source: 'RFC 3463 X.1.6 "destination mailbox has moved, no forwarding address"',
  },
  {
    id: 'code-x.4.4',
    phase: 'code',
    enhanced: ['5.4.4'],
    bucket: 'invalid-address',
    reason: 'host-unknown',
    address: true,
    source: 'RFC 3463 X.4.4 "unable to route" (e.g. DNS returns only an SOA record for the domain)',
  },
  {
    id: 'code-mailbox-disabled',
    phase: 'code',
    enhanced: ['5.2.1', '5.7.13'],
    bucket: 'invalid-address',
    reason: 'mailbox-disabled',
    policy: 'disabledMailbox',
    address: true,
    source: 'RFC 3463 X.2.1 "mailbox disabled, not accepting messages"; RFC 5248 X.7.13 "user account disabled"',
  },
  {
    id: 'code-x.2.2',
    phase: 'code',
    enhanced: ['5.2.2', '4.2.2'],
    bucket: 'soft',
    reason: 'mailbox-full',
    policy: 'mailboxFull5xx',
    source: 'RFC 3463 X.2.2 "mailbox full"',
  },
  {
    id: 'code-too-large',
    phase: 'code',
    enhanced: ['5.2.3', '4.2.3', '5.3.4', '4.3.4'],
    bucket: 'soft',
    reason: 'message-too-large',
    source: 'RFC 3463 X.2.3 "message length exceeds administrative limit", X.3.4 "message too big for system"',
  },
  {
    id: 'code-x.4',
    phase: 'code',
    enhanced: ['5.4.', '4.4.'],
    bucket: 'soft',
    reason: 'network-error',
    source: 'RFC 3463 X.4.x network and routing status',
  },
  {
    id: 'code-x.3',
    phase: 'code',
    enhanced: ['5.3.', '4.3.'],
    bucket: 'soft',
    reason: 'system-error',
    source: 'RFC 3463 X.3.x mail system status',
  },
  {
    id: 'code-x.6',
    phase: 'code',
    enhanced: ['5.6.'],
    bucket: 'blocked',
    reason: 'content-rejected',
    source: 'RFC 3463 X.6.x message content or media status',
  },
  {
    id: 'code-x.7',
    phase: 'code',
    enhanced: ['5.7.'],
    bucket: 'blocked',
    reason: 'policy',
    source: 'RFC 3463 X.7.x security or policy status (X.7.1 "delivery not authorized, message refused")',
  },
  {
    id: 'code-552',
    phase: 'code',
    basic: ['552'],
    bucket: 'soft',
    reason: 'mailbox-full',
    policy: 'mailboxFull5xx',
    source: 'RFC 5321 §4.2.3 552 "requested mail action aborted: exceeded storage allocation"',
  },
];

/** Decisions taken by the engine itself (guards and fallbacks), described for `explain`. */
export const ENGINE_RULES = {
  delivered: 'RFC 5321 §4.2.1 2yz positive completion / RFC 3463 class 2, or a status word such as "delivered"',
  'guard-temporary': 'RFC 3463 §3.1 / RFC 5321 §4.2.1: a 4xx / 4.x.x reply is transient; a "does not exist" with it is retried, not suppressed',
  'guard-pre-rcpt': 'RFC 5321 §3.3: a refusal of MAIL FROM, EHLO/HELO or the connection precedes RCPT TO and cannot concern the recipient',
  'policy-after-data': 'Policy userUnknownAfterData: "user unknown" refused after DATA without a 5.1.x code is also what content filters answer',
  'fallback-4xx': 'RFC 5321 §4.2.1 4yz transient negative completion with no more specific evidence',
  'fallback-unclassified': 'No text or code evidence decides (e.g. a bare 550 or 5.0.0): needs review',
} as const;

export type EngineRuleId = keyof typeof ENGINE_RULES;

const BY_ID: ReadonlyMap<string, Rule> = new Map(RULES.map((r) => [r.id, r]));

/** Rule by id (for `explain`); null for engine decisions and unknown ids. */
export function ruleById(id: string): Rule | null {
  return BY_ID.get(id) ?? null;
}

/** Source note of any rule id, including engine decisions. */
export function ruleSource(id: string): string | null {
  return BY_ID.get(id)?.source ?? (ENGINE_RULES as Record<string, string>)[id] ?? null;
}
