/**
 * Is an outbound URL safe to call? Webhooks are URLs users type, so a careless or hostile one could
 * make the server call its own admin ports, the cloud metadata service (169.254.169.254) or
 * machines on the private network (SSRF). A URL passes when it is http(s) and every address its
 * host resolves to is public — or when the operator's allow-list names the host.
 */
import { lookup as dnsLookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { CairnError } from './errors.js';

/** Host names (exact, or `*.example.com`) the operator allows even when they resolve to private addresses. */
export type OutboundAllowList = readonly string[];

/** Resolves a host name to its addresses (node:dns by default; tests pass their own). */
export type Resolve = (host: string) => Promise<readonly string[]>;

const systemResolve: Resolve = async (host) => (await dnsLookup(host, { all: true, verbatim: true })).map((a) => a.address);

function ipv4Parts(address: string): number[] | null {
  const parts = address.split('.');
  if (parts.length !== 4) return null;
  const numbers = parts.map(Number);
  return numbers.every((n, i) => /^\d{1,3}$/.test(parts[i]!) && n <= 255) ? numbers : null;
}

/** Why an IPv4 address is refused, or null when it is public. */
function refusedIpv4(address: string): string | null {
  const p = ipv4Parts(address);
  if (!p) return 'not an IPv4 address';
  const [a, b] = p as [number, number, number, number];
  if (a === 0) return 'the "this network" range 0.0.0.0/8';
  if (a === 127) return 'loopback';
  if (a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168)) return 'a private network';
  if (a === 100 && b >= 64 && b <= 127) return 'carrier-grade NAT (100.64.0.0/10)';
  if (a === 169 && b === 254) return 'link-local (incl. the cloud metadata service)';
  if (a === 192 && b === 0 && p[2] === 0) return 'IETF protocol assignments (192.0.0.0/24)';
  if (a === 198 && (b === 18 || b === 19)) return 'benchmarking (198.18.0.0/15)';
  if (a >= 224) return 'multicast or reserved';
  return null;
}

/** Expand an IPv6 address to its 8 groups, or null. */
function ipv6Groups(address: string): number[] | null {
  let text = address.toLowerCase().split('%')[0]!;
  const tail = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (tail) {
    const p = ipv4Parts(tail[1]!);
    if (!p) return null;
    text = `${text.slice(0, -tail[1]!.length)}${((p[0]! << 8) | p[1]!).toString(16)}:${((p[2]! << 8) | p[3]!).toString(16)}`;
  }
  const halves = text.split('::');
  if (halves.length > 2) return null;
  const head = halves[0] ? halves[0].split(':') : [];
  const rest = halves.length === 2 && halves[1] ? halves[1].split(':') : [];
  const missing = 8 - head.length - rest.length;
  if ((halves.length === 2 && missing < 1) || (halves.length === 1 && missing !== 0)) return null;
  const groups = [...head, ...Array<string>(halves.length === 2 ? missing : 0).fill('0'), ...rest].map((g) => (/^[0-9a-f]{1,4}$/.test(g) ? parseInt(g, 16) : Number.NaN));
  return groups.every(Number.isFinite) ? groups : null;
}

/** Why an IPv6 address is refused, or null when it is public. */
function refusedIpv6(address: string): string | null {
  const g = ipv6Groups(address);
  if (!g) return 'not an IPv6 address';
  if (g.every((x) => x === 0)) return 'the unspecified address';
  if (g.slice(0, 7).every((x) => x === 0) && g[7] === 1) return 'loopback';
  const embedded = `${g[6]! >> 8}.${g[6]! & 255}.${g[7]! >> 8}.${g[7]! & 255}`;
  // IPv4-mapped (::ffff:a.b.c.d) and the NAT64 prefix reach an IPv4 host: judge that host.
  if (g.slice(0, 5).every((x) => x === 0) && g[5] === 0xffff) return refusedIpv4(embedded);
  if (g[0] === 0x64 && g[1] === 0xff9b && g.slice(2, 6).every((x) => x === 0)) return refusedIpv4(embedded);
  if (g.slice(0, 6).every((x) => x === 0)) return 'IPv4-compatible (deprecated)';
  // fc00::/7 also holds AWS's IPv6 metadata address fd00:ec2::254.
  if ((g[0]! & 0xfe00) === 0xfc00) return 'a unique local (private) network';
  if ((g[0]! & 0xffc0) === 0xfe80) return 'link-local';
  if ((g[0]! & 0xffc0) === 0xfec0) return 'site-local';
  if ((g[0]! & 0xff00) === 0xff00) return 'multicast';
  return null;
}

/** Why an IP address may not be called, or null when it is a public address. */
export function refusedAddressReason(address: string): string | null {
  const family = isIP(address);
  if (family === 4) return refusedIpv4(address);
  if (family === 6) return refusedIpv6(address);
  return 'not an IP address';
}

/** Whether the allow-list names the host (exactly, or by a `*.domain` wildcard). */
export function hostAllowed(host: string, allow: OutboundAllowList): boolean {
  const h = host.toLowerCase().replace(/^\[|\]$/g, '');
  return allow.some((entry) => {
    const e = entry.toLowerCase().replace(/^\[|\]$/g, '');
    return e === h || (e.startsWith('*.') && h.endsWith(e.slice(1)));
  });
}

/** A URL that passed the check, and the addresses it may be reached at. */
export interface CheckedUrl {
  url: URL;
  addresses: readonly string[];
  /** True when the allow-list let it through. */
  allowListed: boolean;
}

/**
 * Check an outbound URL: http(s) only, no credentials in it, and a host that is allow-listed or
 * resolves only to public addresses. Throws INVALID_PARAMETER_VALUE saying why.
 * @example await checkOutboundUrl('https://hooks.slack.com/services/T/B/x', [])
 */
export async function checkOutboundUrl(raw: string, allow: OutboundAllowList, resolve: Resolve = systemResolve): Promise<CheckedUrl> {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new CairnError('INVALID_PARAMETER_VALUE', `'${raw}' is not a URL`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new CairnError('INVALID_PARAMETER_VALUE', `outbound URL must be http or https, got ${url.protocol}`);
  if (url.username || url.password) throw new CairnError('INVALID_PARAMETER_VALUE', 'outbound URL must not carry a user name or password');
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const allowListed = hostAllowed(host, allow);
  let addresses: readonly string[];
  if (isIP(host)) addresses = [host];
  else {
    try {
      addresses = await resolve(host);
    } catch (error) {
      throw new CairnError('INVALID_PARAMETER_VALUE', `cannot resolve outbound host '${host}': ${(error as Error).message}`);
    }
    if (addresses.length === 0) throw new CairnError('INVALID_PARAMETER_VALUE', `outbound host '${host}' has no address`);
  }
  if (!allowListed) {
    for (const address of addresses) {
      const reason = refusedAddressReason(address);
      if (reason) throw new CairnError('INVALID_PARAMETER_VALUE', `outbound URL refused: ${host} is ${address}, ${reason}; list the host in --outbound-allow to permit it`);
    }
  }
  return { url, addresses, allowListed };
}
