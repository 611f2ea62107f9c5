import { lookup } from 'node:dns/promises';
import ipaddr from 'ipaddr.js';

/** Resolves a host name to every address it has (tests pass their own). */
export type ResolveHost = (hostname: string) => Promise<{ address: string; family: number }[]>;

/** The system resolver, every address. */
export const resolveWithSystem: ResolveHost = (hostname) => lookup(hostname, { all: true });

/** Shared with the page, which asks before opening a link to an address that is not public. */
export { isPublicAddress } from '../../../shared/publicAddress';

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
