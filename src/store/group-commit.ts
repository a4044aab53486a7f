/**
 * Group commit on SQLite. Each commit costs an fsync (synchronous=FULL), and fsync, not SQL, is
 * what bounds write throughput. Writes that arrive while one commit is under way are applied
 * together in the next transaction, each in its own savepoint so a failing write rolls back
 * alone, and they share one fsync. Every caller is answered only after the commit that holds
 * its write, so an acknowledged write is durable.
 */
import type BetterSqlite3 from 'better-sqlite3';
import type { Db } from './db.js';
import { inUnitOfWork, outsideUnitOfWork } from './unit-of-work.js';

type Handle = BetterSqlite3.Database;

interface PendingWrite {
  work(handle: Handle): void;
  resolve(): void;
  reject(error: unknown): void;
}

interface Committer {
  queue: PendingWrite[];
  applyOne: (work: (handle: Handle) => void) => void;
  applyAll: (writes: PendingWrite[], outcomes: unknown[]) => void;
}

const committers = new WeakMap<Handle, Committer>();

function committerFor(handle: Handle): Committer {
  let committer = committers.get(handle);
  if (!committer) {
    // A transaction function called inside another runs as a savepoint of it.
    const applyOne = handle.transaction((work: (handle: Handle) => void) => work(handle));
    const applyAll = handle.transaction((writes: PendingWrite[], outcomes: unknown[]) => {
      writes.forEach((write, i) => {
        try {
          applyOne(write.work);
        } catch (error) {
          outcomes[i] = error;
        }
      });
    });
    committer = { queue: [], applyOne, applyAll };
    committers.set(handle, committer);
  }
  return committer;
}

async function flush(db: Db, committer: Committer): Promise<void> {
  // Holding Kysely's connection keeps its queries from interleaving with this transaction.
  await db.kysely.connection().execute(async () => {
    const pending = committer.queue;
    committer.queue = [];
    if (pending.length === 0) return;
    const outcomes: unknown[] = [];
    try {
      committer.applyAll(pending, outcomes);
    } catch (error) {
      for (const p of pending) p.reject(error);
      return;
    }
    pending.forEach((p, i) => (outcomes[i] === undefined ? p.resolve() : p.reject(outcomes[i])));
  });
}

/** Apply `work` (synchronous SQL on the SQLite handle) in the next group commit. */
export function commitTogether(db: Db, work: (handle: Handle) => void): Promise<void> {
  const handle = db.sqlite;
  if (!handle) return Promise.reject(new Error('group commit is for SQLite stores'));
  const committer = committerFor(handle);
  // A unit of work holds Kysely's one connection with its transaction open on this handle:
  // queueing would wait for that connection forever, so the write joins the unit's transaction
  // now (as a savepoint) and commits with it.
  if (inUnitOfWork(db)) {
    try {
      committer.applyOne(work);
      return Promise.resolve();
    } catch (error) {
      return Promise.reject(error);
    }
  }
  return new Promise((resolve, reject) => {
    committer.queue.push({ work, resolve, reject });
    if (committer.queue.length > 1) return;
    // The flush serves every queued caller, so it must not run inside one request's unit of work.
    outsideUnitOfWork(() =>
      setImmediate(() =>
        flush(db, committer).catch((error: unknown) => {
          const stranded = committer.queue;
          committer.queue = [];
          for (const p of stranded) p.reject(error);
        }),
      ),
    );
  });
}
