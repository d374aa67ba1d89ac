/**
 * The IANA "SMTP Enhanced Status Codes" registry, Enumerated Status Codes sub-registry
 * (https://www.iana.org/assignments/smtp-enhanced-status-codes), as a typed table.
 *
 * Origin: transcribed from test/corpus/enhanced-status-codes.csv, which was itself transcribed from a copy of
 * IANA's smtp-enhanced-status-codes-3.csv (X.0.0 … X.7.28) plus X.7.29 (RFC 8617) and X.7.30 (RFC 8689)
 * added from their RFCs. Structure of the codes: RFC 3463 §2 (class.subject.detail); class 2 = success,
 * 4 = persistent transient failure, 5 = permanent failure. Re-check the last rows against the live registry.
 *
 * Codes that receivers use but IANA does not register (Microsoft 5.1.351, 5.7.606, 4.7.650, …) are valid
 * syntax and are parsed, but `lookupEnhanced` returns null for them; only the class and subject are known.
 */

export interface EnhancedStatusEntry {
  /** subject.detail with the class written as X, e.g. "X.1.1" */
  readonly code: string;
  readonly summary: string;
  readonly description: string;
  readonly reference: string;
}

export const ENHANCED_STATUS_CODES = [
  { code: "X.0.0", summary: "Other undefined Status", description: "Other undefined status is the only undefined error code. It should be used for all errors for which only the class of the error is known.", reference: "[RFC3463] (Standards Track)" },
  { code: "X.1.0", summary: "Other address status", description: "Something about the address specified in the message caused this DSN.", reference: "[RFC3463] (Standards Track)" },
  { code: "X.1.1", summary: "Bad destination mailbox address", description: "The mailbox specified in the address does not exist. For Internet mail names, this means the address portion to the left of the \"@\" sign is invalid. This code is only useful for permanent failures.", reference: "[RFC3463] (Standards Track)" },
  { code: "X.1.2", summary: "Bad destination system address", description: "The destination system specified in the address does not exist or is incapable of accepting mail. For Internet mail names, this means the address portion to the right of the \"@\" is invalid for mail. This code is only useful for permanent failures.", reference: "[RFC3463] (Standards Track)" },
  { code: "X.1.3", summary: "Bad destination mailbox address syntax", description: "The destination address was syntactically invalid. This can apply to any field in the address. This code is only useful for permanent failures.", reference: "[RFC3463] (Standards Track)" },
  { code: "X.1.4", summary: "Destination mailbox address ambiguous", description: "The mailbox address as specified matches one or more recipients on the destination system. This may result if a heuristic address mapping algorithm is used to map the specified address to a local mailbox name.", reference: "[RFC3463] (Standards Track)" },
  { code: "X.1.5", summary: "Destination address valid", description: "This mailbox address as specified was valid. This status code should be used for positive delivery reports.", reference: "[RFC3463] (Standards Track)" },
  { code: "X.1.6", summary: "Destination mailbox has moved, No forwarding address", description: "The mailbox address provided was at one time valid, but mail is no longer being accepted for that address. This code is only useful for permanent failures.", reference: "[RFC3463] (Standards Track)" },
  { code: "X.1.7", summary: "Bad sender's mailbox address syntax", description: "The sender's address was syntactically invalid. This can apply to any field in the address.", reference: "[RFC3463] (Standards Track)" },
  { code: "X.1.8", summary: "Bad sender's system address", description: "The sender's system specified in the address does not exist or is incapable of accepting return mail. For domain names, this means the address portion to the right of the \"@\" is invalid for mail.", reference: "[RFC3463] (Standards Track)" },
  { code: "X.1.9", summary: "Message relayed to non-compliant mailer", description: "The mailbox address specified was valid, but the message has been relayed to a system that does not speak this protocol; no further information can be provided.", reference: "[RFC3886] (Standards Track)" },
  { code: "X.1.10", summary: "Recipient address has null MX", description: "This status code is returned when the associated address is marked as invalid using a null MX.", reference: "[RFC7505] (Standards Track); [RFC7504] (Standards Track)" },
  { code: "X.2.0", summary: "Other or undefined mailbox status", description: "The mailbox exists, but something about the destination mailbox has caused the sending of this DSN.", reference: "[RFC3463] (Standards Track)" },
  { code: "X.2.1", summary: "Mailbox disabled, not accepting messages", description: "The mailbox exists, but is not accepting messages. This may be a permanent error if the mailbox will never be re-enabled or a transient error if the mailbox is only temporarily disabled.", reference: "[RFC3463] (Standards Track)" },
  { code: "X.2.2", summary: "Mailbox full", description: "The mailbox is full because the user has exceeded a per-mailbox administrative quota or physical capacity. The general semantics implies that the recipient can delete messages to make more space available. This code should be used as a persistent transient failure.", reference: "[RFC3463] (Standards Track)" },
  { code: "X.2.3", summary: "Message length exceeds administrative limit", description: "A per-mailbox administrative message length limit has been exceeded. This status code should be used when the per-mailbox message length limit is less than the general system limit. This code should be used as a permanent failure.", reference: "[RFC3463] (Standards Track)" },
  { code: "X.2.4", summary: "Mailing list expansion problem", description: "The mailbox is a mailing list address and the mailing list was unable to be expanded. This code may represent a permanent failure or a persistent transient failure.", reference: "[RFC3463] (Standards Track)" },
  { code: "X.3.0", summary: "Other or undefined mail system status", description: "The destination system exists and normally accepts mail, but something about the system has caused the generation of this DSN.", reference: "[RFC3463] (Standards Track)" },
  { code: "X.3.1", summary: "Mail system full", description: "Mail system storage has been exceeded. The general semantics imply that the individual recipient may not be able to delete material to make room for additional messages. This is useful only as a persistent transient error.", reference: "[RFC3463] (Standards Track)" },
  { code: "X.3.2", summary: "System not accepting network messages", description: "The host on which the mailbox is resident is not accepting messages. Examples of such conditions include an imminent shutdown, excessive load, or system maintenance. This is useful for both permanent and persistent transient errors.", reference: "[RFC3463] (Standards Track); [RFC7504] (Standards Track)" },
  { code: "X.3.3", summary: "System not capable of selected features", description: "Selected features specified for the message are not supported by the destination system. This can occur in gateways when features from one domain cannot be mapped onto the supported feature in another.", reference: "[RFC3463] (Standards Track)" },
  { code: "X.3.4", summary: "Message too big for system", description: "The message is larger than per-message size limit. This limit may either be for physical or administrative reasons. This is useful only as a permanent error.", reference: "[RFC3463] (Standards Track)" },
  { code: "X.3.5", summary: "System incorrectly configured", description: "The system is not configured in a manner that will permit it to accept this message.", reference: "[RFC3463] (Standards Track)" },
  { code: "X.3.6", summary: "Requested priority was changed", description: "The message was accepted for relay/delivery, but the requested priority (possibly the implied default) was not honoured. The human readable text after the status code contains the new priority, followed by SP (space) and explanatory human readable text.", reference: "[RFC6710] (Standards Track)" },
  { code: "X.4.0", summary: "Other or undefined network or routing status", description: "Something went wrong with the networking, but it is not clear what the problem is, or the problem cannot be well expressed with any of the other provided detail codes.", reference: "[RFC3463] (Standards Track)" },
  { code: "X.4.1", summary: "No answer from host", description: "The outbound connection attempt was not answered, because either the remote system was busy, or was unable to take a call. This is useful only as a persistent transient error.", reference: "[RFC3463] (Standards Track)" },
  { code: "X.4.2", summary: "Bad connection", description: "The outbound connection was established, but was unable to complete the message transaction, either because of time-out, or inadequate connection quality. This is useful only as a persistent transient error.", reference: "[RFC3463] (Standards Track)" },
  { code: "X.4.3", summary: "Directory server failure", description: "The network system was unable to forward the message, because a directory server was unavailable. This is useful only as a persistent transient error. The inability to connect to an Internet DNS server is one example of the directory server failure error.", reference: "[RFC3463] (Standards Track)" },
  { code: "X.4.4", summary: "Unable to route", description: "The mail system was unable to determine the next hop for the message because the necessary routing information was unavailable from the directory server. This is useful for both permanent and persistent transient errors. A DNS lookup returning only an SOA (Start of Administration) record for a domain name is one example of the unable to route error.", reference: "[RFC3463] (Standards Track)" },
  { code: "X.4.5", summary: "Mail system congestion", description: "The mail system was unable to deliver the message because the mail system was congested. This is useful only as a persistent transient error.", reference: "[RFC3463] (Standards Track)" },
  { code: "X.4.6", summary: "Routing loop detected", description: "A routing loop caused the message to be forwarded too many times, either because of incorrect routing tables or a user- forwarding loop. This is useful only as a persistent transient error.", reference: "[RFC3463] (Standards Track)" },
  { code: "X.4.7", summary: "Delivery time expired", description: "The message was considered too old by the rejecting system, either because it remained on that host too long or because the time-to-live value specified by the sender of the message was exceeded. If possible, the code for the actual problem found when delivery was attempted should be returned rather than this code.", reference: "[RFC3463] (Standards Track)" },
  { code: "X.5.0", summary: "Other or undefined protocol status", description: "Something was wrong with the protocol necessary to deliver the message to the next hop and the problem cannot be well expressed with any of the other provided detail codes.", reference: "[RFC3463] (Standards Track)" },
  { code: "X.5.1", summary: "Invalid command", description: "A mail transaction protocol command was issued which was either out of sequence or unsupported. This is useful only as a permanent error.", reference: "[RFC3463] (Standards Track)" },
  { code: "X.5.2", summary: "Syntax error", description: "A mail transaction protocol command was issued which could not be interpreted, either because the syntax was wrong or the command is unrecognized. This is useful only as a permanent error.", reference: "[RFC3463] (Standards Track)" },
  { code: "X.5.3", summary: "Too many recipients", description: "More recipients were specified for the message than could have been delivered by the protocol. This error should normally result in the segmentation of the message into two, the remainder of the recipients to be delivered on a subsequent delivery attempt. It is included in this list in the event that such segmentation is not possible.", reference: "[RFC3463] (Standards Track)" },
  { code: "X.5.4", summary: "Invalid command arguments", description: "A valid mail transaction protocol command was issued with invalid arguments, either because the arguments were out of range or represented unrecognized features. This is useful only as a permanent error.", reference: "[RFC3463] (Standards Track)" },
  { code: "X.5.5", summary: "Wrong protocol version", description: "A protocol version mis-match existed which could not be automatically resolved by the communicating parties.", reference: "[RFC3463] (Standards Track)" },
  { code: "X.5.6", summary: "Authentication Exchange line is too long", description: "This enhanced status code SHOULD be returned when the server fails the AUTH command due to the client sending a [BASE64] response which is longer than the maximum buffer size available for the currently selected SASL mechanism. This is useful for both permanent and persistent transient errors.", reference: "[RFC4954] (Standards Track)" },
  { code: "X.6.0", summary: "Other or undefined media error", description: "Something about the content of a message caused it to be considered undeliverable and the problem cannot be well expressed with any of the other provided detail codes.", reference: "[RFC3463] (Standards Track)" },
  { code: "X.6.1", summary: "Media not supported", description: "The media of the message is not supported by either the delivery protocol or the next system in the forwarding path. This is useful only as a permanent error.", reference: "[RFC3463] (Standards Track)" },
  { code: "X.6.2", summary: "Conversion required and prohibited", description: "The content of the message must be converted before it can be delivered and such conversion is not permitted. Such prohibitions may be the expression of the sender in the message itself or the policy of the sending host.", reference: "[RFC3463] (Standards Track)" },
  { code: "X.6.3", summary: "Conversion required but not supported", description: "The message content must be converted in order to be forwarded but such conversion is not possible or is not practical by a host in the forwarding path. This condition may result when an ESMTP gateway supports 8bit transport but is not able to downgrade the message to 7 bit as required for the next hop.", reference: "[RFC3463] (Standards Track)" },
  { code: "X.6.4", summary: "Conversion with loss performed", description: "This is a warning sent to the sender when message delivery was successfully but when the delivery required a conversion in which some data was lost. This may also be a permanent error if the sender has indicated that conversion with loss is prohibited for the message.", reference: "[RFC3463] (Standards Track)" },
  { code: "X.6.5", summary: "Conversion Failed", description: "A conversion was required but was unsuccessful. This may be useful as a permanent or persistent temporary notification.", reference: "[RFC3463] (Standards Track)" },
  { code: "X.6.6", summary: "Message content not available", description: "The message content could not be fetched from a remote system. This may be useful as a permanent or persistent temporary notification.", reference: "[RFC4468] (Standards Track)" },
  { code: "X.6.7", summary: "Non-ASCII addresses not permitted for that sender/recipient", description: "This indicates the reception of a MAIL or RCPT command that non-ASCII addresses are not permitted", reference: "[RFC6531] (Standards track)" },
  { code: "X.6.8", summary: "UTF-8 string reply is required, but not permitted by the SMTP client", description: "This indicates that a reply containing a UTF-8 string is required to show the mailbox name, but that form of response is not permitted by the SMTP client.", reference: "[RFC6531] (Standards track)" },
  { code: "X.6.9", summary: "UTF-8 header message cannot be transferred to one or more recipients, so the message must be rejected", description: "This indicates that transaction failed after the final \".\" of the DATA command.", reference: "[RFC6531] (Standards track)" },
  { code: "X.6.10", summary: "", description: "This is a duplicate of X.6.8 and is thus deprecated.", reference: "[RFC6531] (Standards track)" },
  { code: "X.7.0", summary: "Other or undefined security status", description: "Something related to security caused the message to be returned, and the problem cannot be well expressed with any of the other provided detail codes. This status code may also be used when the condition cannot be further described because of security policies in force.", reference: "[RFC3463] (Standards Track)" },
  { code: "X.7.1", summary: "Delivery not authorized, message refused", description: "The sender is not authorized to send to the destination. This can be the result of per-host or per-recipient filtering. This memo does not discuss the merits of any such filtering, but provides a mechanism to report such. This is useful only as a permanent error.", reference: "[RFC3463] (Standards Track)" },
  { code: "X.7.2", summary: "Mailing list expansion prohibited", description: "The sender is not authorized to send a message to the intended mailing list. This is useful only as a permanent error.", reference: "[RFC3463] (Standards Track)" },
  { code: "X.7.3", summary: "Security conversion required but not possible", description: "A conversion from one secure messaging protocol to another was required for delivery and such conversion was not possible. This is useful only as a permanent error.", reference: "[RFC3463] (Standards Track)" },
  { code: "X.7.4", summary: "Security features not supported", description: "A message contained security features such as secure authentication that could not be supported on the delivery protocol. This is useful only as a permanent error.", reference: "[RFC3463] (Standards Track)" },
  { code: "X.7.5", summary: "Cryptographic failure", description: "A transport system otherwise authorized to validate or decrypt a message in transport was unable to do so because necessary information such as key was not available or such information was invalid.", reference: "[RFC3463] (Standards Track)" },
  { code: "X.7.6", summary: "Cryptographic algorithm not supported", description: "A transport system otherwise authorized to validate or decrypt a message was unable to do so because the necessary algorithm was not supported.", reference: "[RFC3463] (Standards Track)" },
  { code: "X.7.7", summary: "Message integrity failure", description: "A transport system otherwise authorized to validate a message was unable to do so because the message was corrupted or altered. This may be useful as a permanent, transient persistent, or successful delivery code.", reference: "[RFC3463] (Standards Track)" },
  { code: "X.7.8", summary: "Authentication credentials invalid", description: "This response to the AUTH command indicates that the authentication failed due to invalid or insufficient authentication credentials. In this case, the client SHOULD ask the user to supply new credentials (such as by presenting a password dialog box).", reference: "[RFC4954] (Standards Track)" },
  { code: "X.7.9", summary: "Authentication mechanism is too weak", description: "This response to the AUTH command indicates that the selected authentication mechanism is weaker than server policy permits for that user. The client SHOULD retry with a new authentication mechanism.", reference: "[RFC4954] (Standards Track)" },
  { code: "X.7.10", summary: "Encryption Needed", description: "This indicates that external strong privacy layer is needed in order to use the requested authentication mechanism. This is primarily intended for use with clear text authentication mechanisms. A client which receives this may activate a security layer such as TLS prior to authenticating, or attempt to use a stronger mechanism.", reference: "[RFC5248] (Best current practice)" },
  { code: "X.7.11", summary: "Encryption required for requested authentication mechanism", description: "This response to the AUTH command indicates that the selected authentication mechanism may only be used when the underlying SMTP connection is encrypted. Note that this response code is documented here for historical purposes only. Modern implementations SHOULD NOT advertise mechanisms that are not permitted due to lack of encryption, unless an encryption layer of sufficient strength is currently being employed.", reference: "[RFC4954] (Standards Track)" },
  { code: "X.7.12", summary: "A password transition is needed", description: "This response to the AUTH command indicates that the user needs to transition to the selected authentication mechanism. This is typically done by authenticating once using the [PLAIN] authentication mechanism. The selected mechanism SHOULD then work for authentications in subsequent sessions.", reference: "[RFC4954] (Standards Track)" },
  { code: "X.7.13", summary: "User Account Disabled", description: "Sometimes a system administrator will have to disable a user's account (e.g., due to lack of payment, abuse, evidence of a break-in attempt, etc). This error code occurs after a successful authentication to a disabled account. This informs the client that the failure is permanent until the user contacts their system administrator to get the account re-enabled. It differs from a generic authentication failure where the client's best option is to present the passphrase entry dialog in case the user simply mistyped their passphrase.", reference: "[RFC5248] (Best current practice)" },
  { code: "X.7.14", summary: "Trust relationship required", description: "The submission server requires a configured trust relationship with a third-party server in order to access the message content. This value replaces the prior use of X.7.8 for this error condition. thereby updating [RFC4468].", reference: "[RFC5248] (Best current practice)" },
  { code: "X.7.15", summary: "Priority Level is too low", description: "The specified priority level is below the lowest priority acceptable for the receiving SMTP server. This condition might be temporary, for example the server is operating in a mode where only higher priority messages are accepted for transfer and delivery, while lower priority messages are rejected.", reference: "[RFC6710] (Standards Track)" },
  { code: "X.7.16", summary: "Message is too big for the specified priority", description: "The message is too big for the specified priority. This condition might be temporary, for example the server is operating in a mode where only higher priority messages below certain size are accepted for transfer and delivery.", reference: "[RFC6710] (Standards Track)" },
  { code: "X.7.17", summary: "Mailbox owner has changed", description: "This status code is returned when a message is received with a Require-Recipient-Valid-Since field or RRVS extension and the receiving system is able to determine that the intended recipient mailbox has not been under continuous ownership since the specified date-time.", reference: "[RFC7293] (Standards Track)" },
  { code: "X.7.18", summary: "Domain owner has changed", description: "This status code is returned when a message is received with a Require-Recipient-Valid-Since field or RRVS extension and the receiving system wishes to disclose that the owner of the domain name of the recipient has changed since the specified date-time.", reference: "[RFC7293] (Standards Track)" },
  { code: "X.7.19", summary: "RRVS test cannot be completed", description: "This status code is returned when a message is received with a Require-Recipient-Valid-Since field or RRVS extension and the receiving system cannot complete the requested evaluation because the required timestamp was not recorded. The message originator needs to decide whether to reissue the message without RRVS protection.", reference: "[RFC7293] (Standards Track)" },
  { code: "X.7.20", summary: "No passing DKIM signature found", description: "This status code is returned when a message did not contain any passing DKIM signatures. (This violates the advice of Section 6.1 of [RFC6376].)", reference: "[RFC7372] (Standards Track); [RFC6376] (Standards Track)" },
  { code: "X.7.21", summary: "No acceptable DKIM signature found", description: "This status code is returned when a message contains one or more passing DKIM signatures, but none are acceptable. (This violates the advice of Section 6.1 of [RFC6376].)", reference: "[RFC7372] (Standards Track); [RFC6376] (Standards Track)" },
  { code: "X.7.22", summary: "No valid author-matched DKIM signature found", description: "This status code is returned when a message contains one or more passing DKIM signatures, but none are acceptable because none have an identifier(s) that matches the author address(es) found in the From header field. This is a special case of X.7.21. (This violates the advice of Section 6.1 of [RFC6376].)", reference: "[RFC7372] (Standards Track); [RFC6376] (Standards Track)" },
  { code: "X.7.23", summary: "SPF validation failed", description: "This status code is returned when a message completed an SPF check that produced a \"fail\" result, contrary to local policy requirements. Used in place of 5.7.1 as described in Section 8.4 of [RFC7208].", reference: "[RFC7372] (Standards Track); [RFC7208] (Standards Track)" },
  { code: "X.7.24", summary: "SPF validation error", description: "This status code is returned when evaluation of SPF relative to an arriving message resulted in an error. Used in place of 4.4.3 or 5.5.2 as described in Sections 8.6 and 8.7 of [RFC7208].", reference: "[RFC7372] (Standards Track); [RFC7208] (Standards Track)" },
  { code: "X.7.25", summary: "Reverse DNS validation failed", description: "This status code is returned when an SMTP client's IP address failed a reverse DNS validation check, contrary to local policy requirements.", reference: "[RFC7372] (Standards Track); [RFC7601] (Standards Track)" },
  { code: "X.7.26", summary: "Multiple authentication checks failed", description: "This status code is returned when a message failed more than one message authentication check, contrary to local policy requirements. The particular mechanisms that failed are not specified.", reference: "[RFC7372] (Standards Track)" },
  { code: "X.7.27", summary: "Sender address has null MX", description: "This status code is returned when the associated sender address has a null MX, and the SMTP receiver is configured to reject mail from such sender (e.g., because it could not return a DSN).", reference: "[RFC7505] (Standards Track)" },
  { code: "X.7.28", summary: "Mail flood detected", description: "The message appears to be part of a mail flood of similar abusive message.", reference: "[draft-levine-mailbomb-header]" },
  { code: "X.7.29", summary: "ARC validation failure", description: "This status code may be returned when a message fails ARC validation.", reference: "[RFC8617] (Experimental)" },
  { code: "X.7.30", summary: "REQUIRETLS support required", description: "This indicates that the message was not able to be forwarded because it was received with a REQUIRETLS requirement and none of the SMTP servers to which the message could be forwarded provide this support.", reference: "[RFC8689] (Standards Track)" },
] as const satisfies readonly EnhancedStatusEntry[];

export type RegisteredSubjectDetail = (typeof ENHANCED_STATUS_CODES)[number]['code'];

/** RFC 3463 §3.1: meaning of the class digit. */
export const STATUS_CLASSES = {
  '2': 'Success',
  '4': 'Persistent Transient Failure',
  '5': 'Permanent Failure',
} as const;

/** RFC 3463 §3.2–3.9: meaning of the subject digit. */
export const STATUS_SUBJECTS = {
  '0': 'Other or Undefined Status',
  '1': 'Addressing Status',
  '2': 'Mailbox Status',
  '3': 'Mail System Status',
  '4': 'Network and Routing Status',
  '5': 'Mail Delivery Protocol Status',
  '6': 'Message Content or Media Status',
  '7': 'Security or Policy Status',
} as const;

const BY_CODE: ReadonlyMap<string, EnhancedStatusEntry> = new Map(ENHANCED_STATUS_CODES.map((e) => [e.code, e]));
const CODE_RE = /^([245])\.(\d{1,3})\.(\d{1,3})$/;

/**
 * Registry entry of an enhanced status code such as "5.1.1" (any class), or null when the subject.detail
 * is not registered (e.g. Microsoft's 5.1.351) or the input is not a code.
 */
export function lookupEnhanced(code: string | null | undefined): EnhancedStatusEntry | null {
  if (!code) return null;
  const m = CODE_RE.exec(code);
  if (!m) return null;
  return BY_CODE.get(`X.${Number(m[2])}.${Number(m[3])}`) ?? null;
}

/** Class and subject meanings of any syntactically valid code, registered or not. */
export function describeClassSubject(code: string): { class: string | null; subject: string | null } {
  const m = CODE_RE.exec(code);
  if (!m) return { class: null, subject: null };
  const cls = (STATUS_CLASSES as Record<string, string>)[m[1] ?? ''] ?? null;
  const subject = (STATUS_SUBJECTS as Record<string, string>)[String(Number(m[2]))] ?? null;
  return { class: cls, subject };
}
