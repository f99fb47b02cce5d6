import { randomBytes } from 'node:crypto';
import { Webhook } from 'standardwebhooks';

/**
 * Standard Webhooks signing (the `standardwebhooks` library): `webhook-signature` carries
 * `v1,<base64 HMAC-SHA256 of "id.timestamp.body">`, one per secret that signs — during a rotation's
 * grace period both the new and the previous secret, separated by a space, so receivers verifying
 * with either keep working.
 */

/** A new endpoint secret: `whsec_` + 32 random bytes in base64. */
export function newWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString('base64')}`;
}

export function signatureHeader(
  secrets: readonly string[],
  id: string,
  timestamp: Date,
  body: string,
): string {
  return secrets.map((secret) => new Webhook(secret).sign(id, timestamp, body)).join(' ');
}

/** The three Standard Webhooks headers of one delivery. */
export function webhookHeaders(
  secrets: readonly string[],
  id: string,
  timestamp: Date,
  body: string,
): Record<string, string> {
  return {
    'webhook-id': id,
    'webhook-timestamp': String(Math.floor(timestamp.getTime() / 1000)),
    'webhook-signature': signatureHeader(secrets, id, timestamp, body),
  };
}
