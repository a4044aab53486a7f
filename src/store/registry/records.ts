/** The registry's records as the store returns them, and helpers every registry query shares. */
import { sql, type Kysely, type RawBuilder, type SqlBool, type Transaction } from 'kysely';
import type { Database } from '../schema.js';

/** A query runner: the database or an open transaction. */
export type Q = Kysely<Database> | Transaction<Database>;

export interface KeyValue {
  key: string;
  value: string;
}

/** One model version, identified by its model's name and its number. */
export interface VersionKey {
  name: string;
  version: number;
}

/** A live (not deleted) model version with its tags and the aliases pointing at it. */
export interface ModelVersionRecord {
  name: string;
  version: number;
  creationTime: number;
  lastUpdatedTime: number;
  description: string | null;
  userId: string | null;
  currentStage: string;
  source: string;
  /** Where the version's files are; what get-download-uri answers. */
  storageLocation: string;
  runId: string | null;
  runLink: string | null;
  status: string;
  statusMessage: string | null;
  modelId: string | null;
  tags: KeyValue[];
  aliases: string[];
}

/** A registered model with its tags, aliases and the latest live version in each stage. */
export interface RegisteredModelRecord {
  name: string;
  creationTime: number;
  lastUpdatedTime: number;
  description: string | null;
  userId: string | null;
  tags: KeyValue[];
  aliases: { alias: string; version: number }[];
  latestVersions: ModelVersionRecord[];
}

/**
 * `(name, version) in (values ...)` for a list of keys. Row values work on both engines; the
 * cast tells PostgreSQL the parameter is an integer (an untyped VALUES parameter would be text).
 */
export function versionKeyIn(nameColumn: string, versionColumn: string, keys: readonly VersionKey[]): RawBuilder<SqlBool> {
  const rows = keys.map((k) => sql`(${k.name}, cast(${k.version} as integer))`);
  return sql<SqlBool>`(${sql.ref(nameColumn)}, ${sql.ref(versionColumn)}) in (values ${sql.join(rows)})`;
}

/** Both engines' unique-key violations (a duplicate name, or two writers picking one version number). */
export function isUniqueViolation(error: unknown): boolean {
  const e = error as { code?: string; message?: string };
  return e.code === '23505' || e.code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || e.code === 'SQLITE_CONSTRAINT_UNIQUE' || /UNIQUE constraint failed/.test(e.message ?? '');
}

/** Transient lock conflicts worth retrying: SQLite's busy writer, PostgreSQL's serialization failure. */
export function isRetryableConflict(error: unknown): boolean {
  const e = error as { code?: string };
  return isUniqueViolation(error) || e.code === 'SQLITE_BUSY' || e.code === '40001' || e.code === '40P01';
}

/** Split a long list so no single statement carries too many bound parameters. */
export function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let at = 0; at < items.length; at += size) out.push(items.slice(at, at + size));
  return out;
}
