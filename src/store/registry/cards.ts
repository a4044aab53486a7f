/** SQL for model cards: append a revision, read one (by number, newest, or for a model version), list them. */
import { sql, type Selectable } from 'kysely';
import type { ModelCardRevisionsTable } from '../schema.js';
import type { Q } from './records.js';

/** The editable text columns of a revision, one per card section. */
export type CardTextColumns = Omit<ModelCardRevisionsTable, 'name' | 'revision' | 'model_version' | 'author' | 'created_at'>;

/** A saved revision, with its text. */
export interface CardRevisionRecord {
  name: string;
  revision: number;
  modelVersion: number | null;
  author: string | null;
  createdAt: number;
  sections: CardTextColumns;
}

/** A revision without its text, for history lists. */
export type CardRevisionSummary = Omit<CardRevisionRecord, 'sections'>;

const TEXT_COLUMNS = ['intended_use', 'out_of_scope_use', 'training_data', 'evaluation', 'owners', 'limitations', 'ethical_considerations', 'notes'] as const satisfies readonly (keyof CardTextColumns)[];

const SUMMARY_COLUMNS = ['name', 'revision', 'model_version', 'author', 'created_at'] as const;

function toSummary(row: Pick<Selectable<ModelCardRevisionsTable>, (typeof SUMMARY_COLUMNS)[number]>): CardRevisionSummary {
  return { name: row.name, revision: Number(row.revision), modelVersion: row.model_version === null ? null : Number(row.model_version), author: row.author, createdAt: Number(row.created_at) };
}

function toRecord(row: Selectable<ModelCardRevisionsTable>): CardRevisionRecord {
  const sections = Object.fromEntries(TEXT_COLUMNS.map((c) => [c, row[c]])) as CardTextColumns;
  return { ...toSummary(row), sections };
}

/**
 * Append a revision numbered one past the model's newest, in one statement so that on SQLite no
 * other write can come between reading the number and using it. On PostgreSQL two writers can
 * still pick the same number; the primary key refuses the second, and the caller retries.
 */
export async function insertCardRevision(db: Q, input: { name: string; modelVersion: number | null; author: string | null; createdAt: number; sections: CardTextColumns }): Promise<number> {
  const { sections } = input;
  const row = await db
    .insertInto('model_card_revisions')
    .columns(['name', 'revision', 'model_version', 'author', 'created_at', ...TEXT_COLUMNS])
    .expression((eb) =>
      eb
        .selectFrom('model_card_revisions')
        .select([
          eb.val(input.name).as('name'),
          sql<number>`coalesce(max(revision), 0) + 1`.as('revision'),
          sql<number | null>`cast(${input.modelVersion} as integer)`.as('model_version'),
          eb.val(input.author).as('author'),
          sql<number>`cast(${input.createdAt} as bigint)`.as('created_at'),
          ...TEXT_COLUMNS.map((c) => eb.val(sections[c]).as(c)),
        ])
        .where('name', '=', input.name),
    )
    .returning('revision')
    .executeTakeFirstOrThrow();
  return Number(row.revision);
}

/** One revision by number. */
export async function selectCardRevision(db: Q, name: string, revision: number): Promise<CardRevisionRecord | undefined> {
  const row = await db.selectFrom('model_card_revisions').selectAll().where('name', '=', name).where('revision', '=', revision).executeTakeFirst();
  return row && toRecord(row);
}

/** The newest revision of a model's card, whatever version it describes. */
export async function selectNewestCardRevision(db: Q, name: string): Promise<CardRevisionRecord | undefined> {
  const row = await db.selectFrom('model_card_revisions').selectAll().where('name', '=', name).orderBy('revision', 'desc').limit(1).executeTakeFirst();
  return row && toRecord(row);
}

/**
 * The revision in effect for model version `version`: among revisions saved for a version at or
 * below it, the one for the highest such version (newest revision first on a tie); when there is
 * none, the newest revision saved for no version in particular.
 */
export async function selectCardRevisionForVersion(db: Q, name: string, version: number): Promise<CardRevisionRecord | undefined> {
  const forVersion = await db
    .selectFrom('model_card_revisions')
    .selectAll()
    .where('name', '=', name)
    .where('model_version', '<=', version)
    .orderBy('model_version', 'desc')
    .orderBy('revision', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (forVersion) return toRecord(forVersion);
  const general = await db
    .selectFrom('model_card_revisions')
    .selectAll()
    .where('name', '=', name)
    .where('model_version', 'is', null)
    .orderBy('revision', 'desc')
    .limit(1)
    .executeTakeFirst();
  return general && toRecord(general);
}

/** Every revision of a model's card, newest first, without the text. */
export async function selectCardRevisions(db: Q, name: string): Promise<CardRevisionSummary[]> {
  const rows = await db.selectFrom('model_card_revisions').select(SUMMARY_COLUMNS).where('name', '=', name).orderBy('revision', 'desc').execute();
  return rows.map(toSummary);
}

