import ipaddr from 'ipaddr.js';

/** Normalizes "::ffff:10.0.0.1" to "10.0.0.1" so IPv4 ranges match IPv4-mapped peers. */
export function normalizeIp(ip: string): ipaddr.IPv4 | ipaddr.IPv6 | null {
  if (!ipaddr.isValid(ip)) return null;
  const addr = ipaddr.parse(ip);
  return addr.kind() === 'ipv6' && (addr as ipaddr.IPv6).isIPv4MappedAddress() ? (addr as ipaddr.IPv6).toIPv4Address() : addr;
}

export function isValidCidr(range: string): boolean {
  try {
    ipaddr.parseCIDR(range);
    return true;
  } catch {
    return false;
  }
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
