import assert from 'node:assert/strict';
import { test } from 'node:test';
import { describeEachDialect } from '../../testing/dialects.js';
import * as store from '../../store/registry/cards.js';
import { insertRegisteredModel } from '../../store/registry/models.js';
import type { CardSources } from './facts.js';
import { ModelCards } from './cards.js';
import { EMPTY_SECTIONS } from './sections.js';

/** Saving and listing revisions never reads generated facts; these sources would fail loudly if they did. */
const UNUSED_SOURCES: CardSources = new Proxy({} as CardSources, {
  get: (_target, key) => () => Promise.reject(new Error(`facts source '${String(key)}' read while saving`)),
});

const text = (intended: string) => ({ ...EMPTY_SECTIONS, intended_use: intended });

describeEachDialect('model card revisions in the store', ({ db }) => {
  test('revisions are numbered per model from 1 and listed newest first', async () => {
    const q = db().kysely;
    assert.equal(await store.insertCardRevision(q, { name: 'a', modelVersion: null, author: 'ann', createdAt: 10, sections: text('first') }), 1);
    assert.equal(await store.insertCardRevision(q, { name: 'a', modelVersion: 2, author: null, createdAt: 20, sections: text('second') }), 2);
    assert.equal(await store.insertCardRevision(q, { name: 'b', modelVersion: null, author: null, createdAt: 30, sections: text('other model') }), 1);
    assert.deepEqual(await store.selectCardRevisions(q, 'a'), [
      { name: 'a', revision: 2, modelVersion: 2, author: null, createdAt: 20 },
      { name: 'a', revision: 1, modelVersion: null, author: 'ann', createdAt: 10 },
    ]);
    const first = await store.selectCardRevision(q, 'a', 1);
    assert.equal(first?.sections.intended_use, 'first');
    assert.equal(first?.sections.notes, '');
    assert.equal((await store.selectNewestCardRevision(q, 'a'))?.revision, 2);
    assert.equal(await store.selectCardRevision(q, 'a', 3), undefined);
    assert.deepEqual(await store.selectCardRevisions(q, 'none'), []);
  });

  test('the revision in effect for a version: the highest version at or below it, else the newest general one', async () => {
    const q = db().kysely;
    const save = (modelVersion: number | null, intended: string) => store.insertCardRevision(q, { name: 'm', modelVersion, author: null, createdAt: 1, sections: text(intended) });
    assert.equal(await store.selectCardRevisionForVersion(q, 'm', 1), undefined);
    await save(null, 'general 1'); // 1
    await save(3, 'for v3'); // 2
    await save(null, 'general 2'); // 3
    await save(5, 'for v5'); // 4
    await save(3, 'for v3, fixed'); // 5
    await save(1, 'for v1, written last'); // 6
    const inEffect = async (version: number) => (await store.selectCardRevisionForVersion(q, 'm', version))?.sections.intended_use;
    assert.equal(await inEffect(1), 'for v1, written last');
    assert.equal(await inEffect(2), 'for v1, written last');
    assert.equal(await inEffect(3), 'for v3, fixed');
    assert.equal(await inEffect(4), 'for v3, fixed');
    assert.equal(await inEffect(5), 'for v5');
    assert.equal(await inEffect(40), 'for v5');
    await store.insertCardRevision(q, { name: 'only-general', modelVersion: null, author: null, createdAt: 1, sections: text('g1') });
    await store.insertCardRevision(q, { name: 'only-general', modelVersion: null, author: null, createdAt: 2, sections: text('g2') });
    assert.equal((await store.selectCardRevisionForVersion(q, 'only-general', 7))?.sections.intended_use, 'g2');
  });

  test('concurrent saves of one card each get their own revision number', async () => {
    await insertRegisteredModel(db().kysely, { name: 'busy', description: null, userId: null, tags: [], now: 1 });
    const cards = new ModelCards(db(), UNUSED_SOURCES);
    const saved = await Promise.all(Array.from({ length: 8 }, (_, i) => cards.save('busy', { sections: { notes: `edit ${i}` }, author: `user${i}` })));
    assert.deepEqual(saved.map((s) => s.revision).sort((a, b) => a - b), [1, 2, 3, 4, 5, 6, 7, 8]);
    const listed = await cards.revisions('busy');
    assert.equal(listed.length, 8);
    for (const s of saved) assert.equal((await cards.revision('busy', s.revision)).sections.notes, s.sections.notes);
  });
});
