import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '../test-support.js';
import { localRemote } from './local.js';

test('a folder remote answers which objects it holds by listing its prefix folders, for many objects as for few', async () => {
  const dir = tempDir('local-remote');
  try {
    const remote = localRemote('r', dir.path, join(dir.path, 'remote'));
    const oids: string[] = [];
    for (let i = 0; i < 300; i++) {
      const body = `object ${i}`;
      const oid = createHash('md5').update(body).digest('hex');
      oids.push(oid);
      if (i % 3 === 0) {
        writeFileSync(join(dir.path, 'src'), body);
        await remote.upload(oid, join(dir.path, 'src'), body.length);
      }
    }
    const held = oids.filter((_, i) => i % 3 === 0);
    assert.deepEqual([...(await remote.has(oids))].sort(), [...held].sort());
    assert.deepEqual([...(await remote.has(oids.slice(0, 10)))].sort(), held.filter((o) => oids.slice(0, 10).includes(o)).sort());
    assert.deepEqual([...(await remote.list())].sort(), [...held].sort());
    // No temporary file is left beside the objects.
    const prefix = held[0]?.slice(0, 2) ?? '';
    assert.ok(readdirSync(join(dir.path, 'remote', 'files', 'md5', prefix)).every((n) => !n.startsWith('.')));
  } finally {
    dir.remove();
  }
});
