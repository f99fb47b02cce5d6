import type { LookupAddress } from 'node:dns';
import dns from 'node:dns/promises';
import net from 'node:net';

/**
 * SSRF guard for webhook endpoints: which URLs Polaris may call, checked when an endpoint is saved
 * and again on every delivery against the addresses the name resolves to at that moment (the
 * connection is made to the checked address, so a DNS answer cannot change in between).
 */

export interface UrlPolicy {
  /** Production: only https. */
  requireHttps: boolean;
  /** WEBHOOKS_ALLOW_PRIVATE_NETWORKS: private, loopback and link-local targets allowed. */
  allowPrivateNetworks: boolean;
}

export class WebhookUrlError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WebhookUrlError';
  }
}

/** Ranges a webhook may not reach unless private networks are allowed. */
const BLOCKED = new net.BlockList();
for (const [prefix, bits] of [
  ['0.0.0.0', 8], // "this" network
  ['10.0.0.0', 8],
  ['100.64.0.0', 10], // carrier-grade NAT
  ['127.0.0.0', 8], // loopback
  ['169.254.0.0', 16], // link-local (cloud metadata lives here)
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15], // benchmarking
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, broadcast
] as const)
  BLOCKED.addSubnet(prefix, bits, 'ipv4');
for (const [prefix, bits] of [
  ['::', 128],
  ['::1', 128],
  ['fc00::', 7], // unique local
  ['fe80::', 10], // link-local
  ['ff00::', 8], // multicast
  ['64:ff9b::', 96], // NAT64 (maps IPv4 inside)
] as const)
  BLOCKED.addSubnet(prefix, bits, 'ipv6');

/** Whether an address is private, loopback, link-local or otherwise not on the public internet. */
export function isPrivateAddress(address: string): boolean {
  const family = net.isIP(address);
  if (family === 4) return BLOCKED.check(address, 'ipv4');
  if (family === 6) {
    const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
    if (mapped) return BLOCKED.check(mapped[1]!, 'ipv4');
    return BLOCKED.check(address, 'ipv6');
  }
  return true;
}

/** Parses and checks an endpoint URL's form (no DNS). */
export function parseEndpointUrl(raw: string, policy: UrlPolicy): URL {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    throw new WebhookUrlError('Enter a full URL, e.g. https://example.com/webhooks/polaris.');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    throw new WebhookUrlError('Webhook URLs must start with https://.');
  if (policy.requireHttps && url.protocol !== 'https:')
    throw new WebhookUrlError('Webhook URLs must use https:// in production.');
  if (url.username || url.password)
    throw new WebhookUrlError('Put no user name or password in the URL; verify the signature instead.');
  if (url.hash) throw new WebhookUrlError('Webhook URLs cannot have a #fragment.');
  return url;
}

/** The addresses to connect to, or an error when any of them is not allowed. */
export async function resolveAllowed(hostname: string, policy: UrlPolicy): Promise<LookupAddress[]> {
  const host = hostname.replace(/^\[|\]$/g, '');
  let addresses: LookupAddress[];
  if (net.isIP(host)) addresses = [{ address: host, family: net.isIP(host) }];
  else {
    try {
      addresses = await dns.lookup(host, { all: true, verbatim: true });
    } catch {
      throw new WebhookUrlError(`The host ${hostname} could not be resolved.`);
    }
  }
  if (addresses.length === 0) throw new WebhookUrlError(`The host ${hostname} could not be resolved.`);
  if (!policy.allowPrivateNetworks) {
    const blocked = addresses.find((a) => isPrivateAddress(a.address));
    if (blocked)
      throw new WebhookUrlError(
        `${hostname} resolves to ${blocked.address}, a private, loopback or link-local address. Webhooks only go to public addresses (an operator can allow private networks with WEBHOOKS_ALLOW_PRIVATE_NETWORKS=true).`,
      );
  }
  return addresses;
}

/** Full check of a URL an operator enters: form, then where it resolves to now. */
export async function checkEndpointUrl(raw: string, policy: UrlPolicy): Promise<URL> {
  const url = parseEndpointUrl(raw, policy);
  await resolveAllowed(url.hostname, policy);
  return url;
}
