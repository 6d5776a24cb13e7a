import ipaddr from 'ipaddr.js';

/** Normalizes "::ffff:10.0.0.1" to "10.0.0.1" so IPv4 ranges match IPv4-mapped peers. */
export function normalizeIp(ip: string): ipaddr.IPv4 | ipaddr.IPv6 | null {
  if (!ipaddr.isValid(ip)) return null;
  const addr = ipaddr.parse(ip);
  return addr.kind() === 'ipv6' && (addr as ipaddr.IPv6).isIPv4MappedAddress() ? (addr as ipaddr.IPv6).toIPv4Address() : addr;
}

/** The widest seat range accepted: a training room is a LAN, never the internet (0.0.0.0/0). */
const WIDEST_PREFIX = { ipv4: 16, ipv6: 64 } as const;

/**
 * Why a seat range cannot be used, in French, or null when it is a CIDR block that starts its
 * network (10.1.2.0/24, not 10.1.2.3/24, which PostgreSQL refuses) and is no wider than WIDEST_PREFIX.
 */
export function cidrProblem(range: string): string | null {
  let net: ipaddr.IPv4 | ipaddr.IPv6;
  let bits: number;
  try {
    [net, bits] = ipaddr.parseCIDR(range);
  } catch {
    return `${range} n’est pas une plage d’adresses (exemple : 10.20.0.0/24).`;
  }
  const start = net.kind() === 'ipv4' ? ipaddr.IPv4.networkAddressFromCIDR(range) : ipaddr.IPv6.networkAddressFromCIDR(range);
  if (start.toNormalizedString() !== net.toNormalizedString()) return `${range} ne commence pas son réseau : écrivez ${start.toString()}/${bits}.`;
  const widest = WIDEST_PREFIX[net.kind()];
  if (bits < widest) return `${range} est trop large : une salle se déclare par une plage de /${widest} au plus.`;
  return null;
}

export function ipInRanges(ip: string, ranges: readonly string[]): boolean {
  const addr = normalizeIp(ip);
  if (!addr) return false;
  return ranges.some((range) => {
    try {
      const [net, bits] = ipaddr.parseCIDR(range);
      return net.kind() === addr.kind() && addr.match([net, bits]);
    } catch {
      return false;
    }
  });
}
