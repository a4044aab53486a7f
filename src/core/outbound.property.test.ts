import assert from 'node:assert/strict';
import { isIP } from 'node:net';
import { test } from 'node:test';
import fc from 'fast-check';
import { CairnError } from './errors.js';
import { checkOutboundUrl, refusedAddressReason } from './outbound.js';

const byte = fc.integer({ min: 0, max: 255 });

/** IPv4 addresses from every refused range (loopback, private, link-local/metadata, CGNAT, this-network, multicast). */
const internalIpv4 = fc.oneof(
  fc.tuple(fc.constant(127), byte, byte, byte),
  fc.tuple(fc.constant(10), byte, byte, byte),
  fc.tuple(fc.constant(172), fc.integer({ min: 16, max: 31 }), byte, byte),
  fc.tuple(fc.constant(192), fc.constant(168), byte, byte),
  fc.tuple(fc.constant(169), fc.constant(254), byte, byte),
  fc.tuple(fc.constant(100), fc.integer({ min: 64, max: 127 }), byte, byte),
  fc.tuple(fc.constant(0), byte, byte, byte),
  fc.tuple(fc.integer({ min: 224, max: 255 }), byte, byte, byte),
);

const hex = (n: number): string => n.toString(16);

/** The ways a URL can spell one IPv4 host: dotted, one decimal/hex/octal number, short forms, IPv6-mapped. */
function spellings([a, b, c, d]: [number, number, number, number]): string[] {
  const whole = ((a << 24) >>> 0) + (b << 16) + (c << 8) + d;
  return [
    `${a}.${b}.${c}.${d}`,
    String(whole),
    `0x${hex(whole)}`,
    `0${whole.toString(8)}`,
    `0x${hex(a)}.0x${hex(b)}.0x${hex(c)}.0x${hex(d)}`,
    `0${a.toString(8)}.0${b.toString(8)}.0${c.toString(8)}.0${d.toString(8)}`,
    `${a}.${(b << 16) + (c << 8) + d}`,
    `${a}.${b}.${(c << 8) + d}`,
    `[::ffff:${a}.${b}.${c}.${d}]`,
    `[::ffff:${hex((a << 8) + b)}:${hex((c << 8) + d)}]`,
    `[0:0:0:0:0:ffff:${a}.${b}.${c}.${d}]`,
    `[64:ff9b::${a}.${b}.${c}.${d}]`,
  ];
}

const noDns = async (host: string): Promise<readonly string[]> => {
  throw new Error(`no DNS lookup expected for ${host}`);
};

async function refused(url: string, resolve = noDns): Promise<boolean> {
  try {
    await checkOutboundUrl(url, [], resolve);
    return false;
  } catch (error) {
    assert.ok(error instanceof CairnError && error.code === 'INVALID_PARAMETER_VALUE', `unexpected error for ${url}: ${String(error)}`);
    return true;
  }
}

test('property: an internal IPv4 address is refused however the URL spells it', async () => {
  await fc.assert(
    fc.asyncProperty(internalIpv4, fc.constantFrom('http', 'https', 'HTTP'), fc.constantFrom('', ':80', ':8080', ':65535'), async (parts, scheme, port) => {
      for (const host of spellings(parts)) {
        const url = `${scheme}://${host}${port}/latest/meta-data`;
        assert.ok(await refused(url), `accepted ${url}`);
        assert.ok(await refused(`${scheme}://hooks.example.com@${host}${port}/`), `accepted userinfo trick to ${host}`);
      }
    }),
    { numRuns: 300 },
  );
});

test('property: a host name is refused when any address it resolves to is internal', async () => {
  const publicIpv4 = fc.tuple(fc.integer({ min: 1, max: 9 }), byte, byte, byte).map((p) => p.join('.'));
  const internal = internalIpv4.map((p) => p.join('.'));
  await fc.assert(
    fc.asyncProperty(fc.array(publicIpv4, { maxLength: 3 }), internal, fc.nat(), async (publics, bad, at) => {
      const addresses = [...publics];
      addresses.splice(at % (publics.length + 1), 0, bad);
      assert.ok(await refused('https://rebinding.example/hook', async () => addresses), `accepted ${addresses.join(', ')}`);
    }),
    { numRuns: 300 },
  );
});

test('property: whatever URL passes the check is http(s), without credentials, and reaches public addresses only', async () => {
  // Any string at all, or URL-shaped strings from the pieces SSRF payloads are made of.
  const piece = fc.constantFrom('http://', 'https://', 'ftp://', 'file:///', 'gopher://', '//', '@', ':', '[', ']', '::1', '::ffff:', '127.0.0.1', '169.254.169.254', '0x7f.1', '2130706433', 'localhost', 'example.com', '%2e', '#', '?', '/', '\\', '.', 'a');
  const url = fc.oneof(fc.array(piece, { maxLength: 8 }).map((p) => p.join('')), fc.string({ maxLength: 40 }), fc.webUrl());
  const pool = ['93.184.216.34', '127.0.0.1', '10.1.2.3', '169.254.169.254', '::1', 'fd00:ec2::254', '2606:4700::1111'];
  const resolver = fc.shuffledSubarray(pool, { minLength: 1 }).map((addresses) => async () => addresses);
  await fc.assert(
    fc.asyncProperty(url, resolver, async (raw, resolve) => {
      let checked;
      try {
        checked = await checkOutboundUrl(raw, [], resolve);
      } catch (error) {
        assert.ok(error instanceof CairnError && error.code === 'INVALID_PARAMETER_VALUE', `unexpected error for ${JSON.stringify(raw)}: ${String(error)}`);
        return;
      }
      assert.ok(['http:', 'https:'].includes(checked.url.protocol), `scheme ${checked.url.protocol}`);
      assert.equal(checked.url.username + checked.url.password, '');
      assert.ok(checked.addresses.length > 0);
      for (const address of checked.addresses) {
        assert.ok(isIP(address) !== 0, `not an address: ${address}`);
        assert.equal(refusedAddressReason(address), null, `${JSON.stringify(raw)} reaches ${address}`);
      }
    }),
    { numRuns: 3_000 },
  );
});
