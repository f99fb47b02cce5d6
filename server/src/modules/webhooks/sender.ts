import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import { resolveAllowed, WebhookUrlError, type UrlPolicy } from './url-guard.ts';

/** The outcome of one delivery attempt. */
export interface SendResult {
  /** 2xx. */
  ok: boolean;
  /** HTTP status, or null when no response arrived (refused, timeout, blocked). */
  status: number | null;
  latencyMs: number;
  /** Why it failed, for the delivery log (never includes the body we sent). */
  error: string | null;
}

export type Send = (url: string, body: string, headers: Record<string, string>) => Promise<SendResult>;

const RESPONSE_SNIPPET_BYTES = 512;

/**
 * POSTs one signed event. The host is resolved and checked (url-guard) right before connecting and
 * the socket connects to exactly the checked address. Redirects are not followed: a 3xx is a failed
 * attempt (a redirect could point anywhere, including a private address).
 */
export function createSender(policy: UrlPolicy, timeoutMs: number): Send {
  return async (rawUrl, body, headers) => {
    const started = performance.now();
    const elapsed = () => Math.round(performance.now() - started);
    const url = new URL(rawUrl);
    let addresses;
    try {
      addresses = await resolveAllowed(url.hostname, policy);
    } catch (error) {
      return { ok: false, status: null, latencyMs: elapsed(), error: (error as Error).message };
    }
    const pinned = addresses[0]!;
    const lookup: LookupFunction = (_host, options, callback) => {
      if (options.all) callback(null, [{ address: pinned.address, family: pinned.family }]);
      else callback(null, pinned.address, pinned.family);
    };
    const client = url.protocol === 'https:' ? https : http;
    return new Promise<SendResult>((resolve) => {
      const req = client.request(
        url,
        {
          method: 'POST',
          lookup,
          timeout: timeoutMs,
          headers: {
            'content-type': 'application/json',
            'content-length': Buffer.byteLength(body),
            'user-agent': 'Polaris-Express-Webhooks/1',
            ...headers,
          },
        },
        (res) => {
          const status = res.statusCode ?? 0;
          const chunks: Buffer[] = [];
          let size = 0;
          res.on('data', (chunk: Buffer) => {
            if (size < RESPONSE_SNIPPET_BYTES) chunks.push(chunk);
            size += chunk.length;
          });
          res.on('end', () => {
            const ok = status >= 200 && status < 300;
            const snippet = Buffer.concat(chunks).subarray(0, RESPONSE_SNIPPET_BYTES).toString('utf8');
            resolve({
              ok,
              status,
              latencyMs: elapsed(),
              error: ok
                ? null
                : status >= 300 && status < 400
                  ? `Answered ${status} (redirects are not followed)`
                  : `Answered ${status}${snippet ? `: ${snippet}` : ''}`,
            });
          });
          res.on('error', (err) => resolve({ ok: false, status, latencyMs: elapsed(), error: err.message }));
        },
      );
      req.on('timeout', () => req.destroy(new WebhookUrlError(`No answer within ${timeoutMs} ms`)));
      req.on('error', (err) =>
        resolve({ ok: false, status: null, latencyMs: elapsed(), error: err.message || String(err) }),
      );
      req.end(body);
    });
  };
}
