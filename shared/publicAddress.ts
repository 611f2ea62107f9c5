import ipaddr from 'ipaddr.js';

/**
 * True only for a public unicast IP address. Loopback, private, link-local, CGNAT, multicast,
 * unspecified, broadcast, reserved, IPv6 unique-local and link-local, and the IPv4-mapped and
 * embedding forms of them (ipaddr.js names each range) are not: the core refuses to fetch images
 * from them, and the page asks before opening a link to one. Pure, for both processes.
 */
export function isPublicAddress(address: string): boolean {
  if (!ipaddr.isValid(address)) return false;
  let parsed = ipaddr.parse(address);
  if (parsed.kind() === 'ipv6' && (parsed as ipaddr.IPv6).isIPv4MappedAddress()) {
    parsed = (parsed as ipaddr.IPv6).toIPv4Address();
  }
  return parsed.range() === 'unicast';
}
