import { lookup as dnsLookup, LookupAddress, LookupOptions } from 'node:dns';
import { BlockList, isIP } from 'node:net';

/**
 * Why a webhook delivery is refused without being sent: retrying cannot help until the recipient's
 * configuration changes, so the relay parks the delivery instead of trying it again for ever.
 */
export type WebhookRefusalReason = 'bad-url' | 'insecure-url' | 'private-address' | 'redirect';

export class WebhookRefusal extends Error {
  constructor(
    readonly reason: WebhookRefusalReason,
    detail: string,
  ) {
    // The detail names the rule and never the URL (a URL may carry a token in its query).
    super(`webhook refused (${reason}): ${detail}`);
    this.name = 'WebhookRefusal';
  }
}

/** Loopback, private, link-local, CGNAT, unspecified, multicast and reserved ranges (IPv4 and IPv6). */
const INTERNAL = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const)
  INTERNAL.addSubnet(net, prefix, 'ipv4');
for (const [net, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['fc00::', 7],
  ['fe80::', 10],
  ['fec0::', 10],
  ['ff00::', 8],
  ['64:ff9b::', 96],
  ['100::', 64],
] as const)
  INTERNAL.addSubnet(net, prefix, 'ipv6');

/** Whether an IP address is one a webhook may not reach unless its host is allowed. */
export function isInternalAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 4) return INTERNAL.check(address, 'ipv4');
  if (family !== 6) return true;
  // An IPv4-mapped IPv6 address (::ffff:10.0.0.1) is the IPv4 address.
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return INTERNAL.check(mapped[1], 'ipv4');
  return INTERNAL.check(address, 'ipv6');
}

type LookupCallback = (
  error: NodeJS.ErrnoException | null,
  address: string | LookupAddress[],
  family?: number,
) => void;

/**
 * Where a webhook may go: `https` only in production (`http` too elsewhere), and never to an
 * internal address unless its host is in WEBHOOK_ALLOWED_PRIVATE_HOSTS. The address is checked
 * where the connection is made (the socket's own DNS lookup), so a host that resolves to a public
 * address for a check and to an internal one for the connection (DNS rebinding) is refused too.
 */
export class WebhookDestinationPolicy {
  constructor(
    private readonly production: boolean,
    private readonly allowedPrivateHosts: ReadonlySet<string>,
  ) {}

  /** The parsed URL, or a WebhookRefusal for the scheme or an internal IP literal. */
  check(url: string | undefined): URL {
    let parsed: URL;
    try {
      parsed = new URL(url ?? '');
    } catch {
      throw new WebhookRefusal('bad-url', 'not a URL');
    }
    if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:')
      throw new WebhookRefusal('bad-url', 'only http(s) URLs');
    if (this.production && parsed.protocol !== 'https:')
      throw new WebhookRefusal('insecure-url', 'a production hub sends webhooks over https only');
    const host = hostOf(parsed);
    if (isIP(host) && isInternalAddress(host) && !this.allowedPrivateHosts.has(host))
      throw new WebhookRefusal('private-address', 'an internal address that is not allowed');
    return parsed;
  }

  /** A `lookup` for http(s).request that refuses internal addresses of a host that is not allowed. */
  lookupFor(url: URL): (hostname: string, options: LookupOptions, callback: LookupCallback) => void {
    const allowed = this.allowedPrivateHosts.has(hostOf(url));
    return (hostname, options, callback) => {
      dnsLookup(hostname, { ...options, all: true }, (error, addresses: LookupAddress[]) => {
        if (error) return callback(error, []);
        const internal = addresses.some((a) => isInternalAddress(a.address));
        if (internal && !allowed && !addresses.every((a) => this.allowedPrivateHosts.has(a.address))) {
          return callback(
            new WebhookRefusal(
              'private-address',
              'the host resolves to an internal address that is not allowed',
            ),
            [],
          );
        }
        if (options.all) return callback(null, addresses);
        return callback(null, addresses[0].address, addresses[0].family);
      });
    };
  }
}

function hostOf(url: URL): string {
  return url.hostname.toLowerCase().replace(/^\[|\]$/g, '');
}
