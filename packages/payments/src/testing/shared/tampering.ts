import type { OutgoingNotification } from './notification-outbox.js';

/** The forgeries every signed-webhook emulator can produce from a genuine notification. */
export type Tampering = 'body' | 'signature' | 'missing-signature';

/**
 * A copy of `notification` with one thing wrong: `body` changes one byte (the last digit, so the
 * JSON stays valid and only the signature can tell), `signature` puts a well-formed signature of
 * other bytes in the header, `missing-signature` drops the header.
 */
export function tamper(
  notification: OutgoingNotification,
  kind: Tampering,
  signatureHeader: string,
  signOther: (body: string) => string,
): { body: string; headers: Record<string, string> } {
  const headers = { ...notification.headers };
  let body = notification.body;
  if (kind === 'body') {
    const at = body.search(/\d(?=\D*$)/);
    if (at < 0) throw new Error('nothing to tamper with');
    body = `${body.slice(0, at)}${(Number(body[at]) + 1) % 10}${body.slice(at + 1)}`;
  } else if (kind === 'signature') {
    headers[signatureHeader] = signOther(`${body} `);
  } else {
    delete headers[signatureHeader];
  }
  return { body, headers };
}
