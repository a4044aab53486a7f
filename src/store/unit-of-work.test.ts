import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { sql, type Kysely } from 'kysely';
import { describeEachDialect } from '../testing/dialects.js';
import type { Db } from './db.js';
import { commitTogether } from './group-commit.js';
import { inUnitOfWork, runInUnitOfWork } from './unit-of-work.js';

const scratch = (db: Db): Kysely<{ uow_notes: { id: string } }> => db.kysely as unknown as Kysely<{ uow_notes: { id: string } }>;

async function ids(db: Db): Promise<string[]> {
  const rows = await scratch(db).selectFrom('uow_notes').select('id').orderBy('id').execute();
  return rows.map((r) => r.id);
}

async function note(db: Db, id: string): Promise<void> {
  await scratch(db).insertInto('uow_notes').values({ id }).execute();
}

describeEachDialect('unit of work', ({ db, dialect }) => {
  before(async () => {
    await sql`create table uow_notes (id text primary key)`.execute(db().kysely);
  });

  test('a unit commits every query of its context when the function resolves', async () => {
    const answer = await runInUnitOfWork(db(), async () => {
      assert.equal(inUnitOfWork(db()), true);
      await note(db(), 'a1');
      await Promise.all([note(db(), 'a2'), note(db(), 'a3')]);
      return 'done';
    });
    assert.equal(answer, 'done');
    assert.equal(inUnitOfWork(db()), false);
    assert.deepEqual((await ids(db())).filter((id) => id.startsWith('a')), ['a1', 'a2', 'a3']);
  });

  test('an error rolls back everything the unit wrote, nested transactions included', async () => {
    await assert.rejects(
      runInUnitOfWork(db(), async () => {
        await note(db(), 'b1');
        await db().kysely.transaction().execute(async (tx) => {
          await (tx as unknown as Kysely<{ uow_notes: { id: string } }>).insertInto('uow_notes').values({ id: 'b2' }).execute();
        });
        throw new Error('handler failed after writing');
      }),
      /handler failed after writing/,
    );
    assert.deepEqual((await ids(db())).filter((id) => id.startsWith('b')), []);
  });

  test('a failing nested transaction is a savepoint: only its own writes roll back', async () => {
    await runInUnitOfWork(db(), async () => {
      await note(db(), 'c1');
      await assert.rejects(
        db().kysely.transaction().execute(async (tx) => {
          await (tx as unknown as Kysely<{ uow_notes: { id: string } }>).insertInto('uow_notes').values({ id: 'c2' }).execute();
          // A duplicate key fails inside the savepoint.
          await (tx as unknown as Kysely<{ uow_notes: { id: string } }>).insertInto('uow_notes').values({ id: 'c1' }).execute();
        }),
      );
      await db().kysely.transaction().execute(async (tx) => {
        await (tx as unknown as Kysely<{ uow_notes: { id: string } }>).insertInto('uow_notes').values({ id: 'c3' }).execute();
      });
    });
    assert.deepEqual((await ids(db())).filter((id) => id.startsWith('c')), ['c1', 'c3']);
  });

  test('an inner unit on the same database joins the outer one', async () => {
    await assert.rejects(
      runInUnitOfWork(db(), async () => {
        await runInUnitOfWork(db(), () => note(db(), 'd1'));
        throw new Error('outer failed');
      }),
    );
    assert.deepEqual((await ids(db())).filter((id) => id.startsWith('d')), []);
  });

  test('many units at once all commit, and reads outside them never wait forever', async () => {
    const writes = Array.from({ length: 40 }, (_, i) =>
      runInUnitOfWork(db(), async () => {
        await note(db(), `e${String(i).padStart(2, '0')}`);
        await scratch(db()).selectFrom('uow_notes').select('id').execute();
      }),
    );
    const reads = Array.from({ length: 10 }, () => ids(db()));
    await Promise.all([...writes, ...reads]);
    assert.equal((await ids(db())).filter((id) => id.startsWith('e')).length, 40);
  });

  test('work the unit started but did not await runs on ordinary connections after it ends', async () => {
    let stray: Promise<void> | undefined;
    await runInUnitOfWork(db(), async () => {
      stray = new Promise((resolve) => setTimeout(resolve, 20)).then(() => note(db(), 'f1'));
    });
    await stray;
    assert.deepEqual((await ids(db())).filter((id) => id.startsWith('f')), ['f1']);
  });

  if (dialect === 'sqlite') {
    test('a group-commit write inside a unit joins the unit and rolls back with it', async () => {
      const write = (id: string) => commitTogether(db(), (handle) => handle.prepare('insert into uow_notes (id) values (?)').run(id));
      await assert.rejects(
        runInUnitOfWork(db(), async () => {
          await write('g1');
          throw new Error('rolled back');
        }),
      );
      await runInUnitOfWork(db(), async () => {
        await write('g2');
        await note(db(), 'g3');
      });
      // Outside a unit, writes queue for the next group commit as before, even while units run.
      await Promise.all([write('g4'), runInUnitOfWork(db(), () => note(db(), 'g5')), write('g6')]);
      assert.deepEqual((await ids(db())).filter((id) => id.startsWith('g')), ['g2', 'g3', 'g4', 'g5', 'g6']);
    });
  }
});
