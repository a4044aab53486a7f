import assert from 'node:assert/strict';
import { test } from 'node:test';
import { describeEachDialect } from '../testing/dialects.js';
import { createAuth } from './index.js';
import { atLeast, effectiveLevel, parseLevel, readableHas } from './permissions.js';
import { Permissions } from './permissions-service.js';
import type { Principal } from './roles.js';

test('effective level: admins MANAGE everything, grants beat the default, roles cap both', () => {
  assert.equal(effectiveLevel('admin', 'NONE', 'NONE'), 'MANAGE');
  assert.equal(effectiveLevel('member', undefined, 'READ'), 'READ');
  assert.equal(effectiveLevel('member', 'NONE', 'MANAGE'), 'NONE');
  assert.equal(effectiveLevel('member', 'MANAGE', 'NONE'), 'MANAGE');
  assert.equal(effectiveLevel('viewer', 'MANAGE', 'NONE'), 'READ');
  assert.equal(effectiveLevel('viewer', undefined, 'EDIT'), 'READ');
  assert.equal(effectiveLevel('viewer', undefined, 'NONE'), 'NONE');
  assert.ok(atLeast('EDIT', 'READ') && !atLeast('READ', 'EDIT'));
  assert.equal(parseLevel(' edit '), 'EDIT');
  assert.throws(() => parseLevel('WRITE'), /must be one of NONE, READ, EDIT, MANAGE/);
});

describeEachDialect('per-resource permission grants', (ctx) => {
  const user = (userId: string, name: string, role: 'viewer' | 'member' | 'admin'): Principal => ({ kind: 'user', userId, name, role, via: 'password' });

  test('levels, search filters, creator grants, rename and forget under both defaults', async () => {
    const auth = createAuth(ctx.db());
    const ann = await auth.users.create({ name: 'ann', password: 'correct horse battery', role: 'member' });
    const bob = await auth.users.create({ name: 'bob', password: 'correct horse battery', role: 'member' });
    const annP = user(ann.userId, 'ann', 'member');
    const bobP = user(bob.userId, 'bob', 'member');
    const closed = new Permissions(ctx.db(), 'NONE');
    const open = new Permissions(ctx.db(), 'READ');

    await closed.grantCreator(annP, 'experiment', '7');
    assert.equal(await closed.levelOn(annP, 'experiment', ['7']), 'MANAGE');
    assert.equal(await closed.levelOn(bobP, 'experiment', ['7']), 'NONE');
    assert.equal(await open.levelOn(bobP, 'experiment', ['7']), 'READ');
    // A path inside two experiments needs the permission on both: the lower level counts.
    assert.equal(await closed.levelOn(annP, 'experiment', ['7', '8']), 'NONE');
    assert.equal(await closed.levelOn({ kind: 'anonymous', authEnabled: false }, 'experiment', ['7']), 'MANAGE');
    assert.equal(await closed.levelOn({ kind: 'anonymous', authEnabled: true }, 'experiment', ['7']), 'NONE');

    await closed.grant('experiment', '8', 'bob', 'READ', 'ann');
    await closed.grant('experiment', '9', 'bob', 'NONE');
    assert.deepEqual(await closed.readable(bobP, 'experiment'), { only: ['8'] });
    assert.deepEqual(await open.readable(bobP, 'experiment'), { except: ['9'] });
    assert.deepEqual(await closed.readable(user('x', 'root', 'admin'), 'experiment'), { all: true });
    assert.ok(readableHas({ except: ['9'] }, '7') && !readableHas({ except: ['9'] }, '9') && !readableHas({ only: ['8'] }, '7'));

    const listed = await closed.list({ user: 'bob' });
    assert.deepEqual(listed.map((g) => [g.resourceId, g.permission, g.updatedBy]), [['8', 'READ', 'ann'], ['9', 'NONE', null]]);
    await closed.revoke('experiment', '9', 'bob');
    await assert.rejects(closed.revoke('experiment', '9', 'bob'), /has no permission grant/);
    await assert.rejects(closed.grant('experiment', '8', 'nobody', 'READ'), /User 'nobody' does not exist/);

    await closed.grantCreator(annP, 'registered_model', 'm');
    await closed.grant('registered_model', 'm', 'bob', 'EDIT');
    await closed.rename('registered_model', 'm', 'm2');
    assert.equal(await closed.levelOn(bobP, 'registered_model', ['m2']), 'EDIT');
    assert.equal(await closed.levelOn(bobP, 'registered_model', ['m']), 'NONE');
    await closed.forget('registered_model', 'm2');
    assert.deepEqual(await closed.list({ kind: 'registered_model' }), []);
    // A new resource under an old name starts with its creator's grant only.
    await closed.grant('dataset', 'd', 'bob', 'MANAGE');
    await closed.grantCreator(annP, 'dataset', 'd');
    assert.deepEqual((await closed.list({ kind: 'dataset', id: 'd' })).map((g) => [g.user, g.permission]), [['ann', 'MANAGE']]);
  });
});
