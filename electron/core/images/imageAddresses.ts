import { lookup } from 'node:dns/promises';
import ipaddr from 'ipaddr.js';

/** Resolves a host name to every address it has (tests pass their own). */
export type ResolveHost = (hostname: string) => Promise<{ address: string; family: number }[]>;

/** The system resolver, every address. */
export const resolveWithSystem: ResolveHost = (hostname) => lookup(hostname, { all: true });

/**
 * True only for a public unicast address. Loopback, private, link-local, CGNAT, multicast,
 * unspecified, broadcast, reserved, IPv6 unique-local and link-local, and the IPv4-mapped and
 * embedding forms of them (ipaddr.js names each range) are refused: an image link in a reply
 * must never make the core talk to this machine or the user's network.
 */
export function isPublicAddress(address: string): boolean {
  if (!ipaddr.isValid(address)) return false;
  let parsed = ipaddr.parse(address);
  if (parsed.kind() === 'ipv6' && (parsed as ipaddr.IPv6).isIPv4MappedAddress()) {
    parsed = (parsed as ipaddr.IPv6).toIPv4Address();
  }
  return parsed.range() === 'unicast';
}

/**
 * A resolver for the end-to-end tests only, from `CAUSERIE_TEST_HOSTS` ("pixels.test=127.0.0.1"):
 * it answers for names under the reserved `.test` domain, which no real resolver ever answers,
 * and those names' addresses are allowed as given (a test's image server lives on loopback).
 * Every other name goes to the system resolver and the public-address rule.
 */
export function testHostsFrom(spec: string | undefined): Map<string, string> {
  const hosts = new Map<string, string>();
  for (const pair of (spec ?? '').split(',')) {
    const [name, address] = pair.split('=').map((part) => part.trim().toLowerCase());
    if (name?.endsWith('.test') && address && ipaddr.isValid(address)) hosts.set(name, address);
  }
  return hosts;
}
