import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, realpath, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, normalize, sep } from 'node:path';
import fc from 'fast-check';
import { CairnError } from './errors.js';
import { artifactKey, assertNoSymlinkEscape, confine, parseArtifactUri } from './paths.js';

// Random paths built from what traversal attacks are made of: separators and dots in every
// spelling (percent-encoded in upper and lower case, double-encoded, overlong UTF-8, IIS's %u,
// Unicode look-alikes such as the fullwidth full stop and solidus), query/fragment/parameter
// marks, drive letters, schemes, controls and ordinary names.
const ATOMS = [
  '..', '.', '/', '\\', '//', '%2e', '%2E', '%2f', '%2F', '%5c', '%5C', '%25', '%252e', '%252f', '%25252e', '%c0%ae', '%c0%af', '%e0%80%ae',
  '%u002e', '\uff0e', '\uff0f', '\u2215', '\u2024', '\ufe52', '\u2025', '#', '%23', '?', '%3f', ';', '%3b', ':', 'C:', 'file:', 'mlflow-artifacts:',
  '~', '%00', '\u0000', '\n', '\u202e', 'a', 'b', 'é', '模型', ' ', '%20',
] as const;

const atomPath = fc.array(fc.constantFrom(...ATOMS), { maxLength: 14 }).map((parts) => parts.join(''));
const pathLike = fc.oneof(
  { weight: 4, arbitrary: atomPath },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 30 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 30 }) },
);

/** Call `fn`; a refusal must be INVALID_PARAMETER_VALUE, anything else thrown is a bug. */
function acceptedOrRefused<T>(fn: () => T, input: string): T | undefined {
  try {
    return fn();
  } catch (error) {
    assert.ok(error instanceof CairnError && error.code === 'INVALID_PARAMETER_VALUE', `unexpected error for ${JSON.stringify(input)}: ${String(error)}`);
    return undefined;
  }
}

/** Percent-decode as often as it changes anything (at most 8 rounds), leaving malformed escapes alone. */
function decodeAll(raw: string): string {
  let current = raw;
  for (let round = 0; round < 8; round++) {
    let next: string;
    try {
      next = decodeURIComponent(current);
    } catch {
      return current;
    }
    if (next === current) return current;
    current = next;
  }
  return current;
}

const ROOT = join(tmpdir(), 'cairn-property-root');

test('property: an accepted path resolves inside the root, whatever its spelling', () => {
  fc.assert(
    fc.property(pathLike, (raw) => {
      const key = acceptedOrRefused(() => artifactKey(raw), raw);
      if (key === undefined) return;
      const target = confine(ROOT, key);
      assert.ok(target === ROOT || target.startsWith(ROOT + sep), `${JSON.stringify(raw)} -> ${target}`);
      // No segment the operating system would treat as a step up or a reset to the root.
      assert.equal(normalize(key === '' ? '.' : key), key === '' ? '.' : key, `not normal: ${JSON.stringify(key)}`);
      assert.ok(!key.includes('%'), `still encoded: ${JSON.stringify(key)}`);
    }),
    { numRuns: 20_000 },
  );
});

test('property: a path whose fully decoded form steps up or out is refused', () => {
  fc.assert(
    fc.property(pathLike, (raw) => {
      const decoded = decodeAll(raw);
      const segments = decoded.split(/[\\/]/);
      const escapes = segments.includes('..') || decoded.startsWith('/') || decoded.startsWith('\\') || /^[a-z]:/i.test(decoded) || /[#?;\0]/.test(decoded);
      if (!escapes) return;
      assert.throws(() => artifactKey(raw), CairnError, `accepted ${JSON.stringify(raw)} (decoded ${JSON.stringify(decoded)})`);
    }),
    { numRuns: 20_000 },
  );
});

test('property: encoding an accepted key once or twice names the same key', () => {
  fc.assert(
    fc.property(pathLike, (raw) => {
      const key = acceptedOrRefused(() => artifactKey(raw), raw);
      if (key === undefined || key === '') return;
      const once = key.split('/').map(encodeURIComponent).join('/');
      assert.equal(artifactKey(once), key);
      assert.equal(artifactKey(encodeURIComponent(once)), key);
    }),
    { numRuns: 5_000 },
  );
});

test('property: an accepted mlflow-artifacts URI names a key inside the root', () => {
  const authority = fc.constantFrom('', '//host:5000', '//', '//user@host', '//host%2f..', '///');
  const uri = fc.tuple(fc.constantFrom('mlflow-artifacts:', 'MLFLOW-ARTIFACTS:', 'mlflow-artifacts:/', 'file:', 'http:', ''), authority, pathLike).map(([s, a, p]) => `${s}${a}${p}`);
  fc.assert(
    fc.property(uri, (raw) => {
      const key = acceptedOrRefused(() => parseArtifactUri(raw), raw);
      if (key === undefined) return;
      assert.ok(raw.toLowerCase().startsWith('mlflow-artifacts:'), `accepted a foreign scheme: ${JSON.stringify(raw)}`);
      const target = confine(ROOT, key);
      assert.ok(target === ROOT || target.startsWith(ROOT + sep), `${JSON.stringify(raw)} -> ${target}`);
    }),
    { numRuns: 10_000 },
  );
});

test('property: through planted symlinks, an accepted path never resolves outside the real root', async () => {
  const base = await mkdtemp(join(tmpdir(), 'cairn-paths-prop-'));
  try {
    const root = join(base, 'root');
    await mkdir(join(root, 'real', 'deeper'), { recursive: true });
    await mkdir(join(base, 'outside'));
    await symlink(join(base, 'outside'), join(root, 'out'));
    await symlink(join(root, 'real'), join(root, 'in'));
    await symlink('/', join(root, 'real', 'slash'));
    await symlink('..', join(root, 'real', 'up'));
    const realRoot = await realpath(root);
    const names = fc.constantFrom('out', 'in', 'real', 'deeper', 'slash', 'up', 'missing', '.', 'x');
    const keys = fc.array(names, { minLength: 1, maxLength: 6 }).map((parts) => parts.join('/'));
    await fc.assert(
      fc.asyncProperty(keys, async (raw) => {
        const key = artifactKey(raw);
        let resolved: string;
        try {
          resolved = await assertNoSymlinkEscape(realRoot, confine(realRoot, key));
        } catch (error) {
          assert.ok(error instanceof CairnError && error.code === 'INVALID_PARAMETER_VALUE', `unexpected error for ${raw}: ${String(error)}`);
          assert.ok(!String((error as Error).message).includes(base), `the refusal names the server's folders: ${(error as Error).message}`);
          return;
        }
        assert.ok(resolved === realRoot || resolved.startsWith(realRoot + sep), `${raw} -> ${resolved}`);
      }),
      { numRuns: 500 },
    );
  } finally {
    await rm(base, { recursive: true, force: true });
  }
});
