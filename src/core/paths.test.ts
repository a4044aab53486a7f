import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, sep } from 'node:path';
import fc from 'fast-check';
import { CairnError } from './errors.js';
import { artifactKey, assertCanonicalKey, assertNoSymlinkEscape, confine, isInside, parseArtifactUri } from './paths.js';

function assertRefused(fn: () => unknown, rule?: RegExp): void {
  assert.throws(fn, (error: unknown) => {
    assert.ok(error instanceof CairnError, `expected CairnError, got ${String(error)}`);
    assert.equal(error.code, 'INVALID_PARAMETER_VALUE');
    if (rule) assert.match(error.message, rule);
    return true;
  });
}

// Attack shapes from shared/ref/mlflow-security-and-scale.md, section B, as they would reach
// artifactKey (after the framework's one round of URL decoding).
const ATTACKS: ReadonlyArray<readonly [string, RegExp]> = [
  ['../', /'\.\.'/],
  ['a/../../etc/passwd', /'\.\.'/],
  ['%2e%2e%2f', /'\.\.'/],
  ['%2e%2e/%2e%2e/etc/passwd', /'\.\.'/],
  ['%252e%252e%252f', /'\.\.'/],
  ['a/%252e%252e%252f%252e%252e%252fetc', /'\.\.'/],
  ['..\\', /backslash/],
  ['\\..\\', /backslash/],
  ['a%5c..%5cb', /backslash/],
  ['#/../', /'#'/],
  ['x#/../../etc', /'#'/],
  ['?../', /'\?'/],
  ['a?../../x', /'\?'/],
  [';/../', /';'/],
  ['a;/../b', /';'/],
  ['/etc/passwd', /absolute/],
  ['%2fetc%2fpasswd', /absolute/],
  ['//proc/self/root', /absolute/],
  ['file:///etc/', /scheme/],
  ['file:etc', /scheme/],
  ['ftp://x/a', /scheme/],
  ['http://169.254.169.254/latest', /scheme/],
  ['C:\\Windows', /backslash|drive/],
  ['C:/Windows/win.ini', /drive/],
  ['~/.ssh/id_rsa', /'~'/],
  ['~root/.ssh', /'~'/],
  ['a\u0000b', /control/],
  ['a%00b', /control/],
  ['a\nb', /control/],
  ['a\u007fb', /control/],
  ['a%', /percent-encoded/],
  ['a%zz', /percent-encoded/],
  ['%c3%28', /percent-encoded/],
  ['%2525252e%2525252e', /still percent-encoded/],
  ['./file:x', /scheme/],
  ['%2e/~/x', /'~'/],
  ['.//C:/x', /drive/],
];

for (const [attack, rule] of ATTACKS) {
  test(`artifactKey refuses ${JSON.stringify(attack)}`, () => {
    assertRefused(() => artifactKey(attack), rule);
  });
}

test('artifactKey keeps ordinary paths and normalises empty and "." segments', () => {
  assert.equal(artifactKey(''), '');
  assert.equal(artifactKey('.'), '');
  assert.equal(artifactKey('./'), '');
  assert.equal(artifactKey('model/MLmodel'), 'model/MLmodel');
  assert.equal(artifactKey('model//./data/'), 'model/data');
  assert.equal(artifactKey('my%20file.txt'), 'my file.txt');
  assert.equal(artifactKey('plots/loss curve (v2).png'), 'plots/loss curve (v2).png');
  assert.equal(artifactKey('données/模型.bin'), 'données/模型.bin');
  assert.equal(artifactKey('a..b/..c/d..'), 'a..b/..c/d..');
  assert.equal(artifactKey('.hidden/x~y'), '.hidden/x~y');
});

test('artifactKey refuses over-long names and paths, and accepts the limits exactly', () => {
  assert.equal(artifactKey('a'.repeat(255)), 'a'.repeat(255));
  assertRefused(() => artifactKey('a'.repeat(256)), /255 bytes/);
  // 'é' is two UTF-8 bytes, so 128 of them pass the limit in bytes though not in characters.
  assertRefused(() => artifactKey('é'.repeat(128)), /255 bytes/);
  const longPath = Array.from({ length: 16 }, () => 'b'.repeat(255)).join('/');
  assert.equal(longPath.length, 4095);
  assert.equal(artifactKey(longPath), longPath);
  assertRefused(() => artifactKey(`${longPath}/cc`), /4096 bytes/);
  assertRefused(() => artifactKey('%41'.repeat(5000)), /4096 bytes/);
});

test('artifactKey error messages do not carry raw control characters', () => {
  assertRefused(() => artifactKey('x\r\nINFO forged log line'), /\\u000d\\u000a/);
});

test('assertCanonicalKey accepts canonical keys and refuses anything else', () => {
  assertCanonicalKey('');
  assertCanonicalKey('1/abc/artifacts/model/MLmodel');
  assertCanonicalKey('100%.txt');
  for (const bad of ['/a', 'a/', 'a//b', './a', 'a/./b', '../a', 'a/..', 'a\\b', 'a\u0000b']) {
    assertRefused(() => assertCanonicalKey(bad));
  }
});

test('confine maps keys inside the root and refuses what would leave it', () => {
  const root = join(tmpdir(), 'cairn-root');
  assert.equal(confine(root, ''), root);
  assert.equal(confine(root, 'a/b.txt'), join(root, 'a', 'b.txt'));
  assert.equal(confine(`${root}/`, 'a'), join(root, 'a'));
  assertRefused(() => confine(root, '../cairn-root-sibling/x'));
  assertRefused(() => confine(root, '/etc/passwd'));
  assert.equal(confine('/', 'etc'), '/etc');
});

test('isInside does not confuse a sibling sharing the prefix with a child', () => {
  assert.equal(isInside('/data/art', '/data/art/x'), true);
  assert.equal(isInside('/data/art', '/data/art'), true);
  assert.equal(isInside('/data/art', '/data/artifacts-other/x'), false);
  assert.equal(isInside('/data/art', '/data'), false);
});

test('property: a path artifactKey accepts is canonical and confine keeps it inside the root', () => {
  const root = join(tmpdir(), 'cairn-prop-root');
  // Bias the alphabet toward the characters attacks are made of.
  const piece = fc.constantFrom('..', '.', '/', '\\', '%', '%2e', '%2f', '%25', '%5c', '#', '?', ';', ':', '~', 'a', 'b', 'é', '\u0000', 'C:', 'file:');
  const pathLike = fc.oneof(fc.array(piece, { maxLength: 12 }).map((parts) => parts.join('')), fc.string({ maxLength: 40 }), fc.string({ unit: 'binary', maxLength: 20 }));
  fc.assert(
    fc.property(pathLike, (raw) => {
      let key: string;
      try {
        key = artifactKey(raw);
      } catch (error) {
        assert.ok(error instanceof CairnError && error.code === 'INVALID_PARAMETER_VALUE', `unexpected error for ${JSON.stringify(raw)}: ${String(error)}`);
        return;
      }
      assert.ok(!key.split('/').includes('..'), `'..' segment in ${JSON.stringify(key)}`);
      assert.ok(!key.startsWith('/'), `absolute key ${JSON.stringify(key)}`);
      assert.ok(!key.includes('\\'), `backslash in ${JSON.stringify(key)}`);
      assertCanonicalKey(key);
      assert.equal(artifactKey(key), key, 'canonical keys are fixed points');
      const target = confine(root, key);
      assert.ok(target === root || target.startsWith(root + sep), `${target} outside ${root}`);
    }),
    { numRuns: 5000 },
  );
});

test('assertNoSymlinkEscape allows real paths and in-root links, refuses links that leave the root', async () => {
  const base = await mkdtemp(join(tmpdir(), 'cairn-paths-'));
  try {
    const root = join(base, 'root');
    const outside = join(base, 'outside');
    await mkdir(join(root, 'real'), { recursive: true });
    await mkdir(outside);
    await writeFile(join(outside, 'secret'), 'x');
    await symlink(outside, join(root, 'escape'));
    await symlink(join(root, 'real'), join(root, 'inner'));
    await symlink(join(base, 'nowhere'), join(root, 'dangling'));
    await symlink(join(root, 'loop'), join(root, 'loop'));

    assert.equal(await assertNoSymlinkEscape(root, join(root, 'real', 'new', 'file')), join(root, 'real', 'new', 'file'));
    assert.equal(await assertNoSymlinkEscape(root, join(root, 'inner', 'x')), join(root, 'real', 'x'));
    assert.equal(await assertNoSymlinkEscape(root, root), root);
    for (const bad of ['escape', 'escape/secret', 'escape/new/file', 'dangling', 'dangling/x', 'loop']) {
      await assert.rejects(assertNoSymlinkEscape(root, join(root, bad)), (error: unknown) => error instanceof CairnError && error.code === 'INVALID_PARAMETER_VALUE', bad);
    }
  } finally {
    await rm(base, { recursive: true, force: true });
  }
});

test('parseArtifactUri takes mlflow-artifacts URIs and refuses other schemes', () => {
  assert.equal(parseArtifactUri('mlflow-artifacts:/1/abc/artifacts/model'), '1/abc/artifacts/model');
  assert.equal(parseArtifactUri('mlflow-artifacts://localhost:5000/1/abc/artifacts'), '1/abc/artifacts');
  assert.equal(parseArtifactUri('mlflow-artifacts:/'), '');
  assert.equal(parseArtifactUri('mlflow-artifacts:'), '');
  assertRefused(() => parseArtifactUri('mlflow-artifacts:/1/../../etc'), /'\.\.'/);
  assertRefused(() => parseArtifactUri('mlflow-artifacts:/1/%252e%252e/x'), /'\.\.'/);
  assertRefused(() => parseArtifactUri('mlflow-artifacts:/1/a#/../../x'), /'#'/);
  assertRefused(() => parseArtifactUri('mlflow-artifacts://host//etc/passwd'), /absolute/);
  assertRefused(() => parseArtifactUri('file:///etc/'), /scheme 'file'/);
  assertRefused(() => parseArtifactUri('ftp://attacker/a'), /scheme 'ftp'/);
  assertRefused(() => parseArtifactUri('s3://bucket/x'), /scheme 's3'/);
  assertRefused(() => parseArtifactUri('/etc/passwd'), /bare path/);
  assertRefused(() => parseArtifactUri('//proc/self/root'), /bare path/);
});
