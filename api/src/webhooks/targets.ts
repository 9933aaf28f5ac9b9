/**
 * Where a webhook may be delivered. In production only to public addresses: a webhook URL is chosen by
 * whoever holds `webhooks:write`, and without this check it would make the server POST to its own
 * network — the cloud metadata service at 169.254.169.254, an admin panel on 10.0.0.1, a database on
 * localhost (server-side request forgery). Outside production loopback and private receivers are allowed,
 * for the tests, the demo and a developer's own machine.
 *
 * The host is checked when the webhook is created and again at every delivery, because DNS can answer
 * differently later (or on purpose, between two lookups: DNS rebinding). At delivery the connection is
 * made to exactly the addresses that were checked: the request's `lookup` hands them over instead of
 * asking DNS a second time.
 */
import { lookup } from 'node:dns/promises';
import { BlockList, isIP, type LookupFunction } from 'node:net';

export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}

/** Every address a host name resolves to. */
export type Resolver = (hostname: string) => Promise<ResolvedAddress[]>;

export interface WebhookTargetPolicy {
  /** Refuse any target that is or resolves to a non-public address (production). */
  publicOnly: boolean;
  /** The system's resolver (`getaddrinfo`, as any connection would use) unless injected (tests). */
  resolve: Resolver;
}

export const systemResolver: Resolver = async (hostname) =>
  (await lookup(hostname, { all: true, verbatim: true })).map(({ address, family }) => ({ address, family: family === 6 ? 6 : 4 }));

/** Thrown when a target is or resolves to an address that is not public; its code is what the outbox records. */
export class PrivateAddressError extends Error {
  override name = 'PrivateAddressError';
  readonly code = 'webhook-private-address';
  constructor(readonly address: string) {
    super(`${address} is not a public address`);
  }
}

/**
 * Addresses that are not on the public internet (IANA special-purpose registries): this host, private
 * networks, carrier-grade NAT, link-local (cloud metadata), documentation and benchmarking ranges,
 * multicast and reserved. IPv4-mapped, NAT64 and 6to4 IPv6 addresses are judged by the IPv4 address
 * they carry (`embeddedIPv4`).
 */
const NOT_PUBLIC = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.88.99.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const) {
  NOT_PUBLIC.addSubnet(network, prefix, 'ipv4');
}
for (const [network, prefix] of [
  ['::', 96], // unspecified, loopback (::1) and the deprecated IPv4-compatible form
  ['64:ff9b:1::', 48], // local-use NAT64
  ['100::', 64], // discard
  ['2001::', 32], // Teredo
  ['2001:2::', 48], // benchmarking
  ['2001:db8::', 32], // documentation
  ['fc00::', 7], // unique local
  ['fe80::', 10], // link-local
  ['fec0::', 10], // site-local (deprecated)
  ['ff00::', 8], // multicast
] as const) {
  NOT_PUBLIC.addSubnet(network, prefix, 'ipv6');
}

/** The eight 16-bit words of a valid IPv6 address (`::` expanded, a trailing dotted quad as two words). */
function ipv6Words(address: string): number[] {
  const words = (part: string | undefined): number[] =>
    part
      ? part.split(':').flatMap((word) => {
          if (!word.includes('.')) return [parseInt(word, 16)];
          const [a = 0, b = 0, c = 0, d = 0] = word.split('.').map(Number);
          return [(a << 8) | b, (c << 8) | d];
        })
      : [];
  const [head, tail] = address.split('::');
  const left = words(head);
  const right = words(tail);
  return [...left, ...new Array<number>(Math.max(0, 8 - left.length - right.length)).fill(0), ...right];
}

/** The IPv4 address inside an IPv4-mapped (::ffff:0:0/96), NAT64 (64:ff9b::/96) or 6to4 (2002::/16) address. */
function embeddedIPv4(address: string): string | undefined {
  const w = ipv6Words(address);
  const quad = (high: number, low: number) => [high >> 8, high & 0xff, low >> 8, low & 0xff].join('.');
  if (w.slice(0, 5).every((x) => x === 0) && w[5] === 0xffff) return quad(w[6]!, w[7]!);
  if (w[0] === 0x64 && w[1] === 0xff9b && w.slice(2, 6).every((x) => x === 0)) return quad(w[6]!, w[7]!);
  if (w[0] === 0x2002) return quad(w[1]!, w[2]!);
  return undefined;
}

/** True only for an IP address on the public internet; false for anything else, names included. */
export function isPublicAddress(address: string): boolean {
  const bare = address.replace(/^\[(.*)\]$/, '$1').split('%')[0]!; // brackets of a URL host, an IPv6 zone
  const family = isIP(bare);
  if (family === 4) return !NOT_PUBLIC.check(bare, 'ipv4');
  if (family !== 6) return false;
  const embedded = embeddedIPv4(bare);
  return embedded ? isPublicAddress(embedded) : !NOT_PUBLIC.check(bare, 'ipv6');
}

/** A URL's host as a resolver or `isIP` takes it (an IPv6 literal without its brackets). */
export function hostOf(url: URL): string {
  return url.hostname.replace(/^\[(.*)\]$/, '$1');
}

/**
 * The addresses to connect to for `host`: itself when it is an IP address, else what it resolves to.
 * Under `publicOnly` every one of them must be public (a name with one private address among public ones
 * is refused too: which one a connection would use is not ours to choose).
 */
export async function resolveTarget(host: string, policy: WebhookTargetPolicy): Promise<ResolvedAddress[]> {
  const family = isIP(host);
  const addresses: ResolvedAddress[] = family ? [{ address: host, family: family === 6 ? 6 : 4 }] : await policy.resolve(host);
  if (!addresses.length) throw Object.assign(new Error(`${host} has no address`), { code: 'ENOTFOUND' });
  if (policy.publicOnly) {
    const refused = addresses.find((a) => !isPublicAddress(a.address));
    if (refused) throw new PrivateAddressError(refused.address);
  }
  return addresses;
}

/**
 * Why a webhook URL's target is refused under the policy, or undefined. Call after `webhookUrlProblem`
 * (which judges the URL's form). Outside production nothing is resolved.
 */
export async function webhookTargetProblem(url: string, policy: WebhookTargetPolicy): Promise<string | undefined> {
  if (!policy.publicOnly) return undefined;
  const host = hostOf(new URL(url));
  try {
    await resolveTarget(host, policy);
    return undefined;
  } catch (error) {
    if (error instanceof PrivateAddressError) {
      const what = isIP(host) ? 'is' : `resolves to ${error.address}, which is`;
      return `${what} a private, loopback, link-local or otherwise non-public address: in production webhooks go to public addresses only`;
    }
    return `has a host name that does not resolve (${(error as NodeJS.ErrnoException).code ?? 'error'})`;
  }
}

/**
 * A `lookup` for `http.request` that answers with the addresses already resolved and checked, so the
 * connection goes to one of them and nowhere else. (An IP-literal host never reaches a lookup.)
 */
export function pinnedLookup(addresses: readonly ResolvedAddress[]): LookupFunction {
  return (_hostname, options, callback) => {
    const wanted = options.family === 4 || options.family === 'IPv4' ? 4 : options.family === 6 || options.family === 'IPv6' ? 6 : 0;
    const usable = wanted ? addresses.filter((a) => a.family === wanted) : [...addresses];
    const first = usable[0];
    if (!first) {
      callback(Object.assign(new Error('no address of the requested family'), { code: 'ENOTFOUND' }), '', 0);
      return;
    }
    if (options.all) callback(null, usable);
    else callback(null, first.address, first.family);
  };
}
