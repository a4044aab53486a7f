import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkOutboundUrl, hostAllowed, refusedAddressReason } from './outbound.js';

test('refusal table: loopback, private, link-local, metadata and mapped addresses are refused', () => {
  const refused = [
    '127.0.0.1', '127.8.9.10', '0.0.0.0', '10.0.0.1', '172.16.0.1', '172.31.255.255', '192.168.1.1', '169.254.169.254',
    '100.64.0.1', '224.0.0.1', '255.255.255.255', '192.0.0.170', '198.18.0.1',
    '::1', '::', 'fe80::1', 'fc00::1', 'fd00:ec2::254', 'ff02::1', 'fec0::1',
    '::ffff:127.0.0.1', '::ffff:7f00:1', '::ffff:169.254.169.254', '::ffff:10.1.2.3', '64:ff9b::a9fe:a9fe', '::127.0.0.1',
  ];
  for (const address of refused) assert.notEqual(refusedAddressReason(address), null, address);
  const allowed = ['8.8.8.8', '1.1.1.1', '172.32.0.1', '192.169.0.1', '100.128.0.1', '2606:4700:4700::1111', '::ffff:8.8.8.8', '64:ff9b::808:808'];
  for (const address of allowed) assert.equal(refusedAddressReason(address), null, address);
});

test('host names are judged by every address they resolve to', async () => {
  const resolve = async (host: string) => (host === 'rebind.example' ? ['93.184.216.34', '10.0.0.5'] : ['93.184.216.34']);
  await assert.rejects(checkOutboundUrl('https://rebind.example/hook', [], resolve), /10\.0\.0\.5, a private network/);
  const ok = await checkOutboundUrl('https://hooks.example.com/x', [], resolve);
  assert.deepEqual(ok.addresses, ['93.184.216.34']);
  await assert.rejects(checkOutboundUrl('http://[::ffff:127.0.0.1]:8080/', [], resolve), /loopback/);
  await assert.rejects(checkOutboundUrl('http://169.254.169.254/latest/meta-data', [], resolve), /metadata/);
});

test('the allow-list lets named hosts through, and only http(s) without credentials is accepted', async () => {
  const resolve = async () => ['127.0.0.1'];
  assert.equal((await checkOutboundUrl('http://127.0.0.1:9000/hook', ['127.0.0.1'])).allowListed, true);
  assert.equal((await checkOutboundUrl('http://alerts.internal/hook', ['*.internal'], resolve)).allowListed, true);
  await assert.rejects(checkOutboundUrl('http://alerts.internal/hook', ['other.internal'], resolve), /loopback/);
  await assert.rejects(checkOutboundUrl('file:///etc/passwd', []), /http or https/);
  await assert.rejects(checkOutboundUrl('https://user:pw@example.com/', []), /user name or password/);
  await assert.rejects(checkOutboundUrl('not a url', []), /not a URL/);
  assert.equal(hostAllowed('A.Example.com', ['*.example.com']), true);
  assert.equal(hostAllowed('example.com', ['*.example.com']), false);
});
