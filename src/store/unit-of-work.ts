/**
 * A per-request unit of work. Inside `runInUnitOfWork(db, fn)` every Kysely query of that async
 * context runs on one connection inside one open transaction, so a route's change and its audit
 * entry commit together or not at all. Nested `db.kysely.transaction()` calls become savepoints.
 * It works by wrapping the dialect's driver: services keep calling `db.kysely` as before.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { CompiledQuery, Kysely, type DatabaseConnection, type Dialect, type Driver, type KyselyConfig, type QueryResult, type TransactionSettings } from 'kysely';
import type { Db } from './db.js';
import type { DialectKind } from './dialect.js';

interface Unit {
  readonly driver: UnitOfWorkDriver;
  /** What the unit's queries use; `connection.inner` is the pooled connection itself. */
  readonly connection: SerialConnection;
  /** Once closing, queries of this context (stray background work) use ordinary connections. */
  open: boolean;
  savepoints: number;
  /** Savepoint transactions of one unit run one at a time, as transactions do on SQLite. */
  savepointQueue: Promise<void>;
  releaseSavepointTurn: Array<() => void>;
}

const units = new AsyncLocalStorage<Unit>();
const drivers = new WeakMap<Kysely<never>, UnitOfWorkDriver>();

const raw = (text: string): CompiledQuery => CompiledQuery.raw(text);

/**
 * The unit's connection as its queries see it: one query at a time, in the order asked, because
 * a handler's parallel queries now share one connection (pg refuses overlapping queries on a client).
 */
class SerialConnection implements DatabaseConnection {
  private tail: Promise<unknown> = Promise.resolve();
  /**
   * Set when the unit ends. Work the request started but did not wait for (a deployment resolving
   * its plan in the background) may still hold this connection; its later queries then run on an
   * ordinary connection of their own instead of a transaction that is gone.
   */
  private closed = false;

  constructor(
    readonly inner: DatabaseConnection,
    private readonly driver: Driver,
  ) {}

  executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    if (this.closed) return this.outside<R>(query);
    const result = this.tail.then(() => this.inner.executeQuery<R>(query));
    this.tail = result.catch(() => undefined);
    return result;
  }

  streamQuery<R>(query: CompiledQuery, chunkSize?: number): AsyncIterableIterator<QueryResult<R>> {
    return this.inner.streamQuery<R>(query, chunkSize);
  }

  /** Stop taking queries into the transaction and wait for those already queued. */
  async close(): Promise<void> {
    this.closed = true;
    await this.tail;
  }

  private async outside<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    const connection = await this.driver.acquireConnection();
    try {
      return await connection.executeQuery<R>(query);
    } finally {
      await this.driver.releaseConnection(connection);
    }
  }
}

/** The dialect's driver, plus: a connection asked for inside an open unit is the unit's own. */
class UnitOfWorkDriver implements Driver {
  constructor(
    readonly inner: Driver,
    readonly kind: DialectKind,
  ) {}

  private unitOf(connection?: DatabaseConnection): Unit | undefined {
    const unit = units.getStore();
    if (!unit || unit.driver !== this || !unit.open) return undefined;
    if (connection !== undefined && connection !== unit.connection) return undefined;
    return unit;
  }

  private initialized: Promise<void> | undefined;

  /** Once, whether Kysely or a unit asks first. */
  init(): Promise<void> {
    this.initialized ??= this.inner.init();
    return this.initialized;
  }

  async acquireConnection(): Promise<DatabaseConnection> {
    return this.unitOf()?.connection ?? this.inner.acquireConnection();
  }

  async beginTransaction(connection: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    const unit = this.unitOf(connection);
    if (!unit) return this.inner.beginTransaction(connection, settings);
    const previous = unit.savepointQueue;
    let release!: () => void;
    unit.savepointQueue = new Promise((resolve) => (release = resolve));
    await previous;
    unit.releaseSavepointTurn.push(release);
    unit.savepoints += 1;
    await connection.executeQuery(raw(`savepoint sp_${unit.savepoints}`));
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    const unit = this.unitOf(connection);
    if (!unit) return this.inner.commitTransaction(connection);
    try {
      await connection.executeQuery(raw(`release savepoint sp_${unit.savepoints}`));
    } finally {
      endSavepoint(unit);
    }
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    const unit = this.unitOf(connection);
    if (!unit) return this.inner.rollbackTransaction(connection);
    try {
      await connection.executeQuery(raw(`rollback to savepoint sp_${unit.savepoints}`));
      await connection.executeQuery(raw(`release savepoint sp_${unit.savepoints}`));
    } finally {
      endSavepoint(unit);
    }
  }

  async releaseConnection(connection: DatabaseConnection): Promise<void> {
    // The unit's connection goes back to the pool once, when the unit ends, even when a query
    // that began inside the unit finishes after it.
    if (connection instanceof SerialConnection) return;
    await this.inner.releaseConnection(connection);
  }

  destroy(): Promise<void> {
    return this.inner.destroy();
  }

  /** Open the unit's transaction: SQLite takes the write lock at once so no other process slips in. */
  async begin(connection: DatabaseConnection): Promise<void> {
    if (this.kind === 'sqlite') await connection.executeQuery(raw('begin immediate'));
    else await this.inner.beginTransaction(connection, {});
  }
}

function endSavepoint(unit: Unit): void {
  unit.savepoints -= 1;
  unit.releaseSavepointTurn.pop()?.();
}

/** A dialect whose driver takes part in units of work. */
function unitOfWorkDialect(dialect: Dialect, kind: DialectKind, made: (driver: UnitOfWorkDriver) => void): Dialect {
  return {
    createAdapter: () => dialect.createAdapter(),
    createIntrospector: (db) => dialect.createIntrospector(db),
    createQueryCompiler: () => dialect.createQueryCompiler(),
    createDriver: () => {
      const driver = new UnitOfWorkDriver(dialect.createDriver(), kind);
      made(driver);
      return driver;
    },
  };
}

/** A Kysely instance on `dialect` whose queries join the unit of work of their async context. */
export function createUnitOfWorkKysely<DB>(dialect: Dialect, kind: DialectKind, config: Omit<KyselyConfig, 'dialect'> = {}): Kysely<DB> {
  let driver: UnitOfWorkDriver | undefined;
  const kysely = new Kysely<DB>({ ...config, dialect: unitOfWorkDialect(dialect, kind, (d) => (driver = d)) });
  if (!driver) throw new Error('Kysely did not create its driver');
  drivers.set(kysely as unknown as Kysely<never>, driver);
  return kysely;
}

function driverOf(db: Db): UnitOfWorkDriver {
  const driver = drivers.get(db.kysely as unknown as Kysely<never>);
  if (!driver) throw new Error('this database was not opened with unit-of-work support');
  return driver;
}

/** Whether the calling async context is inside an open unit of work on `db`. */
export function inUnitOfWork(db: Db): boolean {
  const unit = units.getStore();
  return unit !== undefined && unit.open && unit.driver === drivers.get(db.kysely as unknown as Kysely<never>);
}

/**
 * Run `fn` with every query on `db` in one transaction, committed when `fn` resolves and rolled
 * back when it throws. Called inside an open unit on the same database, `fn` joins that unit.
 */
export async function runInUnitOfWork<T>(db: Db, fn: () => Promise<T>): Promise<T> {
  if (inUnitOfWork(db)) return fn();
  const driver = driverOf(db);
  await driver.init();
  const connection = await driver.inner.acquireConnection();
  try {
    await driver.begin(connection);
  } catch (error) {
    await driver.inner.releaseConnection(connection);
    throw error;
  }
  const unit: Unit = { driver, connection: new SerialConnection(connection, driver.inner), open: true, savepoints: 0, savepointQueue: Promise.resolve(), releaseSavepointTurn: [] };
  try {
    const result = await units.run(unit, fn);
    unit.open = false;
    await unit.connection.close();
    await driver.inner.commitTransaction(connection);
    return result;
  } catch (error) {
    // Also when the commit itself failed: no transaction may stay open on a pooled connection.
    unit.open = false;
    await unit.connection.close();
    await driver.inner.rollbackTransaction(connection).catch(() => undefined);
    throw error;
  } finally {
    await driver.inner.releaseConnection(connection);
  }
}

/** Run `fn` (and what it schedules) outside any unit of work, e.g. work shared by many requests. */
export function outsideUnitOfWork<T>(fn: () => T): T {
  return units.exit(fn);
}
