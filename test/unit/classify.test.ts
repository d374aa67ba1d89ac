import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { classify } from '../../src/classify/engine.js';
import { CACHE_LIMIT, classifyCacheSize, classifyRow, clearClassifyCache } from '../../src/classify/cache.js';
import { DEFAULT_POLICIES, POLICY_DOCS } from '../../src/classify/policies.js';
import { REASONS } from '../../src/classify/reasons.js';
import { receiverOf } from '../../src/classify/receivers.js';
import { parseStatus } from '../../src/classify/parse-status.js';
import { RULES } from '../../src/classify/rules.js';
import { BUCKETS } from '../../src/classify/types.js';

type Case = [name: string, domain: string, status: string, text: string, bucket: string | null, reason?: string];

const KEY_CASES: Case[] = [
  // Text first, code as tie-breaker.
  ['Yahoo dd no account (554, no enhanced code)', 'yahoo.com', '', "554 delivery error: dd This user doesn't have a yahoo.com account (x@yahoo.com) [0] - mta1061.mail.ne1.yahoo.com", 'invalid-address', 'user-unknown'],
  ['Microsoft 5.1.10 RecipientNotFound', 'outlook.com', '', '550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP address lookup', 'invalid-address', 'user-unknown'],
  ['5.0.0 with "User unknown"', 'example.jp', '', '550 5.0.0 <x@example.jp>... User unknown', 'invalid-address', 'user-unknown'],
  ['GMX mailbox unavailable', 'gmx.de', '', '550 Requested action not taken: mailbox unavailable', 'invalid-address', 'user-unknown'],
  ['Yandex 5.7.1 No such user!', 'yandex.ru', '', '550 5.7.1 No such user!', 'invalid-address', 'user-unknown'],
  ['Microsoft S3150 block list', 'hotmail.com', '', "550 5.7.1 Unfortunately, messages from [192.0.2.1] weren't sent. Please contact your Internet service provider since part of their network is on our block list (S3150).", 'blocked', 'blocklisted'],
  ['Gmail 5.7.26 DMARC', 'gmail.com', '', "550-5.7.26 Unauthenticated email from example.com is not accepted due to domain's 550-5.7.26 DMARC policy. - gsmtp", 'blocked', 'authentication'],
  ['550 5.1.1 without text (code tie-break)', 'example.com', '550 5.1.1', '', 'invalid-address', 'user-unknown'],
  ['bare 5.1.1 status', 'example.com', '5.1.1', '', 'invalid-address', 'user-unknown'],
  ['bare 550 without text', 'example.com', '550', '', 'unclassified', 'unknown'],
  ['bare 5.0.0', 'example.com', '5.0.0', '', 'unclassified', 'unknown'],
  ['4.x.x user unknown is not suppressed', 'example.org', '', '450 4.1.1 <x@example.org>: Recipient address rejected: User unknown in virtual alias table', 'soft', 'user-unknown-temporary'],
  ['4xx no such user is not suppressed', 'example.org', '', '450 No such user here', 'soft', 'user-unknown-temporary'],
  ['Spamhaus wearing a 5.1.1 code', 'example.org', '', '550 5.1.1 Service unavailable; client [192.0.2.1] blocked using zen.spamhaus.org', 'blocked', 'blocklisted'],
  ['user unknown + block list: sender side wins', 'example.org', '', '550 user unknown or blocked using bl.spamcop.net', 'blocked', 'blocklisted'],
  ['Microsoft DBEB 5.4.1', 'contoso.com', '', '550 5.4.1 Recipient address rejected: Access denied. AS(201806281) [DM6NAM12FT021.eop-nam12.prod.protection.outlook.com]', 'invalid-address', 'user-unknown'],
  ['generic access denied is sender side', 'example.org', '', '550 5.7.1 <sender@example.com>... Access denied', 'blocked', 'policy'],
  ['Gmail disabled account (policy default: suppress)', 'gmail.com', '', '550-5.2.1 The email account that you tried to reach is disabled. - gsmtp', 'invalid-address', 'mailbox-disabled'],
  ['Yahoo mailbox disabled 554.30', 'yahoo.com', '', '554 delivery error: dd Sorry, your message to x@yahoo.com cannot be delivered. This mailbox is disabled (554.30). - mta1234.mail.gq1.yahoo.com', 'invalid-address', 'mailbox-disabled'],
  ['iCloud inactive (policy default: suppress)', 'icloud.com', '', '550 5.1.1 <x@icloud.com>: inactive email address', 'invalid-address', 'mailbox-disabled'],
  ['mailbox full with 5.2.2 stays soft', 'example.org', '', '552 5.2.2 <x@example.org>: Recipient address rejected: Mailbox full', 'soft', 'mailbox-full'],
  ['over quota wearing 5.1.1', 'example.org', '', '552 sorry, mailbox x@example.org is over quota temporarily (#5.1.1)', 'soft', 'mailbox-full'],
  ['rate limit wearing 5.1.1', 'example.com', '', '550 5.1.1 <x@example.com> - 192.0.2.1 has sent to too many recipients this hour. IB607', 'soft', 'rate-limited'],
  ['greylisting', 'example.com', '', '450 4.2.0 <x@example.com>: Recipient address rejected: Greylisted, see http://postgrey.schweikert.ch/', 'soft', 'greylisted'],
  ['expired', 'example.com', '', '554 4.4.7 Message expired: unable to deliver in 840 minutes.<421 4.4.2 Connection timed out>', 'soft', 'expired'],
  ['message too large', 'example.com', '', '552 5.3.4 Message size exceeds fixed maximum message size', 'soft', 'message-too-large'],
  ['no such domain', 'example.invalid', '', 'Host or domain name not found. Name service error for name=example.invalid type=A: Host not found', 'invalid-address', 'host-unknown'],
  ['temporary DNS failure', 'example.com', '', 'Name service error for domain example.com: Host not found, try again', 'soft', 'network-error'],
  ['null MX of the recipient', 'example.net', '', '556 5.1.10 Recipient address has null MX', 'invalid-address', 'host-unknown'],
  ['null MX of the sender (5.7.27)', 'example.net', '', '550 5.7.27 Sender address has null MX', 'blocked', 'sender-rejected'],
  ['sender domain does not exist', 'example.jp', '', '553 5.1.8 <s@host.example.com>... Domain of sender address s@host.example.com does not exist', 'blocked', 'sender-rejected'],
  ['PTR missing', 'example.net', '', '550 5.7.25 [192.0.2.1] The IP address sending this message does not have a PTR record setup', 'blocked', 'reverse-dns'],
  ['relaying denied', 'example.net', '', '550 5.7.1 <x@example.net>... Relaying denied', 'blocked', 'relay-denied'],
  ['TLS required', 'example.net', '', '530 5.7.0 Must issue a STARTTLS command first', 'blocked', 'tls-required'],
  ['spam content', 'example.net', '', '554 5.7.0 Reject, id=12345 - SPAM', 'blocked', 'spam-content'],
  ['virus', 'example.net', '', '550 Virus Detected; Content Rejected', 'blocked', 'virus'],
  ['has moved', 'example.go.jp', '', '550 5.1.6 recipient no longer on server: x@example.go.jp', 'invalid-address', 'has-moved'],
  ['bad syntax', 'example.com', '', '501 5.1.3 Bad destination mailbox address syntax', 'invalid-address', 'bad-syntax'],
  ['refusal before RCPT cannot be about the recipient', 'example.org', '', 'SMTP error from remote mail server after MAIL FROM:<s@example.com>: 550 5.1.1 <s@example.com>... User unknown', 'blocked', 'sender-rejected'],
  ['German', 'example.de', '', '550 5.1.1 Empfänger unbekannt', 'invalid-address', 'user-unknown'],
  ['French', 'example.fr', '', "550 5.1.1 Adresse d au moins un destinataire invalide. Invalid recipient. OFR_416 [416]", 'invalid-address', 'user-unknown'],
  ['French n\'existe pas', 'example.fr', '', "550 L'adresse n'existe pas", 'invalid-address', 'user-unknown'],
  ['Spanish', 'example.es', '', '550 Usuario desconocido', 'invalid-address', 'user-unknown'],
  ['Italian', 'example.it', '', '550 Utente sconosciuto', 'invalid-address', 'user-unknown'],
  ['Portuguese', 'example.com.br', '', '550 Usuário inexistente', 'invalid-address', 'user-unknown'],
  ['Japanese', 'example.jp', '', 'ユーザー Neko (x@example.jp) は Domino ディレクトリには見つかりません。', 'invalid-address', 'user-unknown'],
  ['Russian', 'example.ru', '', '550 нет такого пользователя', 'invalid-address', 'user-unknown'],
  ['Chinese', 'example.cn', '', '550 用户不存在', 'invalid-address', 'user-unknown'],
  // Text first, code as tie-breaker; wording families.
  ['5.7.1 with "no mailbox found" is an invalid address', 'example.com', '', '550 5.7.1 No mailbox found', 'invalid-address', 'user-unknown'],
  ['"account expired" is a disabled account, not a queue expiry', 'example.com', '', '550 account expired', 'invalid-address', 'mailbox-disabled'],
  ['the specific failure in a transcript decides, not the closing summary', 'example.com', '', '503 All recipients are invalid 554 5.0.0 Service unavailable', 'invalid-address', 'user-unknown'],
  ['MIME/REJECT with 552 is content, not mailbox full', 'example.net', '', '552 MIME/REJECT: Invalid structure', 'blocked', 'content-rejected'],
  ['MAIL FROM mismatching the client IP is a sender refusal', 'example.net', '', '554 Connection refused. Your MAIL FROM mismatches client IP 192.0.2.7', 'blocked', 'sender-rejected'],
  ['5.1.1 quoting the sender bounce address with "unauthorized sender"', 'privaterelay.appleid.com', '', '550 5.1.1 <bounce+b53c9e@mail.sender.example>: unauthorized sender', 'blocked', 'sender-rejected'],
  ['bare token with underscores', 'example.com', '', '550 BAD_RECIPIENT', 'invalid-address', 'user-unknown'],
  ['misspelled predicate', 'example.com', '', "550 The mailbox ann@example.com dosn't exist", 'invalid-address', 'user-unknown'],
  ['Mailgun 498 NXDOMAIN is a permanent DNS answer', 'exampel.com', '', '498 No MX for exampel.com. Host or domain name not found. Name service error for name=exampel.com type=A: Host not found', 'invalid-address', 'host-unknown'],
  ['TRY_AGAIN stays temporary', 'example.com', '', '498 Host or domain name not found. Name service error for name=example.com type=MX: Host not found, try again', 'soft', 'network-error'],
  ['"Name or service not known"', 'example.com', '', 'Name or service not known', 'invalid-address', 'host-unknown'],
  ['null MX wording', 'nullmx.example', '', 'Domain nullmx.example does not accept mail (nullMX)', 'invalid-address', 'host-unknown'],
  ['delay warning is soft', 'example.com', '', 'Your message to ann@example.com has not yet been delivered. The server will continue to try delivering it.', 'soft', 'expired'],
  ['receiver-side write error is soft', 'example.com', '', '451 4.3.0 <ann@example.com> Temporary internal error', 'soft'],
  ['sender words veto the grammar', 'example.com', '', '550 5.7.1 Submission from dynamic IP address rejected', 'blocked'],
  ['Russian', 'example.ru', '', '550 Пользователь не найден', 'invalid-address', 'user-unknown'],
  ['Polish', 'example.pl', '', '550 5.1.1 Konto nie istnieje', 'invalid-address', 'user-unknown'],
  // Platform tokens: a capital before a lower-case letter, or a separator, starts a word.
  ['CamelCase token', 'example.com', '', 'InactiveMailbox', 'invalid-address', 'mailbox-disabled'],
  ['CamelCase token with a long path', 'example.com', '', 'UserNotLocalTryAlternatePath', 'invalid-address', 'has-moved'],
  ['token mixing _ and -', 'example.com', '', 'bounce_inactive-mailbox', 'invalid-address', 'mailbox-disabled'],
  ['UPPER_SNAKE token', 'example.com', '', 'MAILBOX_FULL', 'soft', 'mailbox-full'],
  ['token in the status column', 'example.com', 'MailboxFull', '', 'soft', 'mailbox-full'],
  ['a token without a subject stays unclassified', 'example.com', '', 'DoesNotExist', 'unclassified', 'unknown'],
  ['a sentence is not split as a token', 'example.com', '', 'Contact your IT HelpDesk', 'unclassified', 'unknown'],
  // Status labels and replies in other languages.
  ['German mailbox full', 'example.de', '', '552 Briefkasten ist voll', 'soft', 'mailbox-full'],
  ['Dutch: no mail server for the domain', 'example.nl', '', 'Geen mailserver gevonden voor dit domein', 'invalid-address', 'host-unknown'],
  ['Spanish account expired for lack of use', 'example.com.ar', '', '550 La cuenta ha caducado por falta de uso', 'invalid-address', 'mailbox-disabled'],
  ['Spanish delivery time expired', 'example.es', '', 'Plazo de entrega vencido', 'soft', 'expired'],
  ['Japanese mailbox full', 'example.jp', '', '受信箱がいっぱいです', 'soft', 'mailbox-full'],
  ['Chinese address format error', 'example.cn', '', '收件人地址格式不正确', 'invalid-address', 'bad-syntax'],
  ['German temporary error', 'example.de', '', '451 Vorübergehender Fehler, bitte später erneut versuchen', 'soft'],
  ['qmail validrcptto', 'example.org', '', '553 sorry, this recipient is not in my valid rcpt list (#5.7.1)', 'invalid-address', 'user-unknown'],
  ['Postfix address verification', 'example.org', '', '550 5.1.1 <x@example.org>: Recipient address rejected: undeliverable address: host mx.example.org said: 550 no mailbox', 'invalid-address', 'user-unknown'],
  ['message larger than a byte limit', 'example.com', '', '552 Message is larger than 26214400 bytes', 'soft', 'message-too-large'],
  ['hourly message maximum', 'example.com', '', 'Sender has reached the maximum messages per hour allowed', 'soft', 'rate-limited'],
  ['an untrusted certificate is a TLS refusal', 'example.com', '', '4.7.5 TLS certificate verification failed for mx.example.com', 'blocked', 'tls-required'],
  ['password-protected archive', 'example.com', '', '554 Password-protected archives are not accepted', 'blocked', 'content-rejected'],
  // 521 is "host does not accept mail" unless its status says the session was refused.
  ['521 without a status is a domain that accepts no mail', 'example.com', '', '521 Host does not accept mail', 'invalid-address', 'host-unknown'],
  ['521 with a protocol status is not about the domain', 'example.com', '', '521 5.5.1 Protocol error', 'unclassified'],
  ['521 with a policy status is a block', 'example.com', '', '521 5.7.1 Go away', 'blocked'],
  ['Mail.ru refuses a disabled mailbox after DATA', 'mail.ru', '', 'SMTP error from remote mail server after end of data: 550 Message was not accepted -- invalid mailbox. Local mailbox x@mail.ru is unavailable: account is disabled', 'invalid-address', 'mailbox-disabled'],
  // Delivered rows.
  ['250 delivered', 'example.com', '', '250 2.0.0 OK 1234 - gsmtp', null, 'delivered'],
  ['2.0.0 status', 'example.com', '2.0.0', '', null, 'delivered'],
  ['status word delivered', 'example.com', 'delivered', '', null, 'delivered'],
  ['status word sent', 'example.com', 'sent', '', null, 'delivered'],
  ['status word success', 'example.com', 'Success', '', null, 'delivered'],
  ['status word ok with 250', 'example.com', 'ok', '250 Message accepted', null, 'delivered'],
  ['word "sent" in a failure is not delivered', 'example.com', '', 'Sent to too many recipients', 'soft'],
];

describe('classify: key cases', () => {
  it.each(KEY_CASES)('%s', (_name, domain, status, text, bucket, reason) => {
    const c = classifyRow(status, text, `x@${domain}`);
    expect(c.bucket).toBe(bucket);
    expect(c.outcome).toBe(bucket === null ? 'delivered' : 'bounced');
    if (reason) expect(c.reason).toBe(reason);
  });
});

describe('policies', () => {
  const row = (status: string, text: string, domain: string, policies?: object, command?: string) =>
    classify(parseStatus(status, text), { email: `x@${domain}`, ...(policies ? { policies } : {}), ...(command ? { command } : {}) });

  it('defaults are what the README documents', () => {
    expect(DEFAULT_POLICIES).toEqual({
      disabledMailbox: 'invalid-address',
      recipientAccessDenied: 'invalid-address',
      icloudInactive: 'invalid-address',
      userUnknownAfterData: 'unclassified',
      mailboxFull5xx: 'soft',
    });
    for (const [key, doc] of Object.entries(POLICY_DOCS)) {
      expect(doc.default).toBe(DEFAULT_POLICIES[key as keyof typeof DEFAULT_POLICIES]);
      expect(doc.choices).toContain(doc.default);
      expect(doc.flag).toMatch(/^--[a-z0-9-]+$/);
      expect(doc.reasoning.length).toBeGreaterThan(100);
    }
  });

  it('disabledMailbox', () => {
    const t = '550-5.2.1 The email account that you tried to reach is disabled. - gsmtp';
    expect(row('', t, 'gmail.com').bucket).toBe('invalid-address');
    expect(row('', t, 'gmail.com', { disabledMailbox: 'soft' }).bucket).toBe('soft');
  });

  it('recipientAccessDenied', () => {
    const t = '550 5.4.1 Recipient address rejected: Access denied [x.prod.protection.outlook.com]';
    expect(row('', t, 'contoso.com').bucket).toBe('invalid-address');
    expect(row('', t, 'contoso.com', { recipientAccessDenied: 'unclassified' }).bucket).toBe('unclassified');
    expect(row('', t, 'contoso.com', { recipientAccessDenied: 'blocked' }).bucket).toBe('blocked');
  });

  it('icloudInactive', () => {
    const t = '550 5.1.1 <x@icloud.com>: inactive email address';
    expect(row('', t, 'icloud.com', { icloudInactive: 'soft' }).bucket).toBe('soft');
  });

  it('userUnknownAfterData applies only when the command says DATA and nothing shows an RCPT refusal', () => {
    const t = '550 Unknown user x@docomo.ne.jp';
    expect(row('', t, 'docomo.ne.jp').bucket).toBe('invalid-address'); // command unknown → assume RCPT
    expect(row('', t, 'docomo.ne.jp', undefined, 'RCPT').bucket).toBe('invalid-address');
    const afterData = row('', t, 'docomo.ne.jp', undefined, 'DATA');
    expect([afterData.bucket, afterData.reason]).toEqual(['unclassified', 'user-unknown-after-data']);
    expect(row('', t, 'docomo.ne.jp', { userUnknownAfterData: 'invalid-address' }, 'DATA').bucket).toBe('invalid-address');
    // Pipelined RCPT refusal reported at DATA, and a 5.1.x code, are still invalid.
    expect(row('', `${t} 503 Bad sequence of commands`, 'docomo.ne.jp', undefined, 'DATA').bucket).toBe('invalid-address');
    expect(row('', '550 5.1.1 <x@example.org>... User unknown', 'example.org', undefined, 'DATA').bucket).toBe('invalid-address');
    // The text itself can tell the stage.
    expect(row('', 'host mx.example.jp said: 550 Unknown user x@example.jp (in reply to end of DATA command)', 'example.jp').bucket).toBe('unclassified');
  });

  it('mailboxFull5xx only affects permanent codes', () => {
    expect(row('', '552 5.2.2 Mailbox full', 'example.org', { mailboxFull5xx: 'invalid-address' }).bucket).toBe('invalid-address');
    expect(row('', '452 4.2.2 Mailbox full', 'example.org', { mailboxFull5xx: 'invalid-address' }).bucket).toBe('soft');
  });

  it('ignores invalid policy values', () => {
    expect(row('', '552 5.2.2 Mailbox full', 'example.org', { mailboxFull5xx: 'nonsense' }).bucket).toBe('soft');
  });
});

describe('REASONS and rules tables', () => {
  it('every rule reason is a documented reason with a bucket', () => {
    for (const r of RULES) {
      expect(REASONS, r.id).toHaveProperty(r.reason);
      expect(BUCKETS).toContain(r.bucket);
      expect(r.source.length, `${r.id} needs a source note`).toBeGreaterThan(10);
    }
    for (const [id, info] of Object.entries(REASONS)) {
      expect(id).toMatch(/^[a-z]+(?:-[a-z0-9]+)*$/);
      expect(info.bucket === null || BUCKETS.includes(info.bucket)).toBe(true);
    }
  });

  it('rule ids are unique', () => {
    const ids = RULES.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('reason buckets agree with the rules that use them under default policies', () => {
    for (const r of RULES) {
      if (!r.policy) expect(REASONS[r.reason].bucket, r.id).toBe(r.bucket);
    }
  });
});

describe('receiverOf', () => {
  it.each([
    ['gmail.com', '', 'google'],
    ['googlemail.com', '', 'google'],
    ['hotmail.co.uk', '', 'microsoft'],
    ['live.fr', '', 'microsoft'],
    ['msn.com', '', 'microsoft'],
    ['yahoo.co.jp', '', 'yahoo'],
    ['aol.com', '', 'yahoo'],
    ['me.com', '', 'apple'],
    ['gmx.at', '', 'united-internet'],
    ['web.de', '', 'united-internet'],
    ['yandex.com.tr', '', 'yandex'],
    ['inbox.ru', '', 'mailru'],
    ['live.example.com', '', null],
    ['example.com', '550 5.1.1 ... - gsmtp', 'google'],
    ['contoso.com', 'host contoso-com.mail.protection.outlook.com said: 550', 'microsoft'],
    ['example.com', 'mx01.mail.icloud.com said', 'apple'],
    ['example.com', 'mx0a-001.pphosted.com', 'proofpoint'],
    ['example.com', 'us-smtp-inbound-1.mimecast.com', 'mimecast'],
    ['example.com', 'mx1.iphmx.com', 'cisco'],
    ['example.com', '', null],
    ['', '', null],
  ])('%s / %s → %s', (domain, text, id) => {
    expect(receiverOf(domain, text)).toBe(id);
  });
});

describe('classifyRow cache', () => {
  it('returns the same verdict for repeated replies and keys by receiver, not address', () => {
    clearClassifyCache();
    const a = classifyRow('', '550 5.1.1 user unknown', 'a@example.com');
    const b = classifyRow('', '550 5.1.1 user unknown', 'b@example.org');
    expect(b).toBe(a);
    expect(classifyCacheSize()).toBe(1);
    classifyRow('', '550 5.1.1 user unknown', 'c@gmail.com');
    expect(classifyCacheSize()).toBe(2);
  });

  it('finds a reply that repeats word for word without masking it again, although it holds an id', () => {
    clearClassifyCache();
    const t = "550 5.7.1 Unfortunately, messages from [192.0.2.10] weren't sent (S3150).";
    const first = classifyRow('550', t, 'a@example.com');
    expect(first).toEqual(classify(parseStatus('550', t), { email: 'a@example.com' }));
    expect(classifyCacheSize()).toBe(1); // the masked text's verdict
    expect(classifyRow('550', t, 'b@example.com')).toBe(first);
    expect(classifyCacheSize()).toBe(2); // seen twice: kept as it is
    expect(classifyRow('550', t, 'c@example.com')).toBe(first);
    expect(classifyCacheSize()).toBe(2);
    // Another address in the same place shares the masked text's verdict.
    expect(classifyRow('550', t.replace('10]', '11]'), 'd@example.com')).toBe(first);
    clearClassifyCache();
  });

  it('stays bounded', () => {
    clearClassifyCache();
    for (let i = 0; i < CACHE_LIMIT + 10; i++) classifyRow('', `550 5.1.1 user ${i} unknown`, 'x@example.com');
    expect(classifyCacheSize()).toBeLessThanOrEqual(CACHE_LIMIT);
    clearClassifyCache();
  });

  it('separates policies and commands in the key', () => {
    const t = '550 Unknown user x@example.jp';
    expect(classifyRow('', t, 'x@example.jp').bucket).toBe('invalid-address');
    expect(classifyRow('', t, 'x@example.jp', { command: 'DATA' }).bucket).toBe('unclassified');
    expect(classifyRow('', t, 'x@example.jp', { command: 'DATA', policies: { userUnknownAfterData: 'invalid-address' } }).bucket).toBe('invalid-address');
  });
});

describe('properties', () => {
  it('classify/classifyRow never throw and are deterministic on arbitrary strings (incl. unicode)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 200 }), fc.string({ unit: 'binary', maxLength: 200 }), fc.string({ maxLength: 30 }), (s, d, e) => {
        const x = classify(parseStatus(s, d), { email: e });
        const y = classify(parseStatus(s, d), { email: e });
        expect(x).toEqual(y);
        expect(['delivered', 'bounced']).toContain(x.outcome);
        expect(x.bucket === null || BUCKETS.includes(x.bucket)).toBe(true);
        expect(REASONS).toHaveProperty(x.reason);
        expect(classifyRow(s, d, e)).toEqual(x);
      }),
      { numRuns: 1500 },
    );
  });

  it('a 4xx reply is never suppressed', () => {
    fc.assert(
      fc.property(fc.constantFrom('450', '451', '452', '421'), fc.constantFrom('4.1.1', '4.2.2', '4.0.0', ''), fc.constantFrom('user unknown', 'no such user', 'host unknown', 'mailbox unavailable', ''), (b, e, t) => {
        expect(classifyRow('', `${b} ${e} ${t}`, 'x@example.com').bucket).not.toBe('invalid-address');
      }),
    );
  });
});
