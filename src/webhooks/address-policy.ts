import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';

/**
 * Where a webhook may not point unless WEBHOOK_ALLOW_PRIVATE=1: this host, the networks it
 * sits on and every address that is not a public unicast one. An organizer's key must not
 * turn the worker into a client of the installation's own services (Redis, PostgreSQL, a
 * cloud's metadata endpoint at 169.254.169.254).
 */
// Two lists: a BlockList matches an IPv4 address against its IPv6 rules too (as mapped),
// and ::ffff:0:0/96 must refuse mapped IPv6 addresses, not every IPv4 one.
const FORBIDDEN_V4 = new BlockList();
const FORBIDDEN_V6 = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8], // "this network"
  ['10.0.0.0', 8], // private
  ['100.64.0.0', 10], // carrier-grade NAT
  ['127.0.0.0', 8], // loopback
  ['169.254.0.0', 16], // link-local (cloud metadata)
  ['172.16.0.0', 12], // private
  ['192.0.0.0', 24], // IETF protocol assignments
  ['192.0.2.0', 24], // documentation
  ['192.88.99.0', 24], // 6to4 relay anycast
  ['192.168.0.0', 16], // private
  ['198.18.0.0', 15], // benchmarking
  ['198.51.100.0', 24], // documentation
  ['203.0.113.0', 24], // documentation
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, broadcast
] as const) {
  FORBIDDEN_V4.addSubnet(net, prefix, 'ipv4');
}
for (const [net, prefix] of [
  ['::', 128], // unspecified
  ['::1', 128], // loopback
  ['::', 96], // IPv4-compatible (deprecated)
  ['::ffff:0:0', 96], // IPv4-mapped: would reach any IPv4 address, private ones included
  ['64:ff9b::', 96], // NAT64 (reaches IPv4 through a translator)
  ['64:ff9b:1::', 48], // local-use NAT64
  ['100::', 64], // discard
  ['2001::', 23], // IETF protocol assignments (Teredo, ORCHID...)
  ['2001:db8::', 32], // documentation
  ['2002::', 16], // 6to4 (embeds an IPv4 address)
  ['fc00::', 7], // unique local
  ['fe80::', 10], // link-local
  ['fec0::', 10], // site-local (deprecated)
  ['ff00::', 8], // multicast
] as const) {
  FORBIDDEN_V6.addSubnet(net, prefix, 'ipv6');
}

/** Whether an IP address is loopback, private, link-local, unique-local, mapped or otherwise not public. */
export function isForbiddenAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 4) return FORBIDDEN_V4.check(address, 'ipv4');
  if (family === 6) return FORBIDDEN_V6.check(address, 'ipv6');
  return true;
}

export class ForbiddenDestinationError extends Error {}

export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}

/**
 * Resolves a webhook's host and checks every address it has: one forbidden address refuses
 * the whole host (a name answering both a public and a private address would otherwise be
 * a coin toss away from the private one). Returns the address to connect to, so the caller
 * pins it: the connection goes where the check looked, and a second DNS answer (rebinding)
 * is never asked for.
 */
export async function resolveDestination(hostname: string, allowPrivate: boolean): Promise<ResolvedAddress> {
  const host = hostname.startsWith('[') && hostname.endsWith(']') ? hostname.slice(1, -1) : hostname;
  let addresses: ResolvedAddress[];
  if (isIP(host)) {
    addresses = [{ address: host, family: isIP(host) as 4 | 6 }];
  } else {
    try {
      addresses = (await lookup(host, { all: true, verbatim: true })).map((a) => ({ address: a.address, family: a.family as 4 | 6 }));
    } catch {
      throw new ForbiddenDestinationError(`the host ${host} does not resolve`);
    }
  }
  if (addresses.length === 0) throw new ForbiddenDestinationError(`the host ${host} does not resolve`);
  if (!allowPrivate) {
    const bad = addresses.find((a) => isForbiddenAddress(a.address));
    if (bad) throw new ForbiddenDestinationError('the URL resolves to a loopback, private, link-local or otherwise non-public address');
  }
  return addresses[0];
}
