/** Model cards: the authors' text, saved as numbered revisions, and the card in effect for a version. */
import { nowMs } from '../../core/clock.js';
import { invalid, notFound } from '../../core/errors.js';
import type { Db } from '../../store/db.js';
import * as store from '../../store/registry/cards.js';
import { isRetryableConflict, type ModelVersionRecord } from '../../store/registry/records.js';
import { loadModel, loadVersion, requireModel } from '../lookup.js';
import { gatherCardFacts, type CardFacts, type CardSources } from './facts.js';
import { checkSections, EMPTY_SECTIONS, type CardSection, type CardSections } from './sections.js';

/** A saved revision: who saved it when, for which model version, and its text. */
export interface CardRevision {
  readonly name: string;
  readonly revision: number;
  readonly modelVersion: number | null;
  readonly author: string | null;
  readonly createdAt: number;
  readonly sections: CardSections;
}

export type CardRevisionSummary = Omit<CardRevision, 'sections'>;

/** A card as a reader sees it: the revision in effect (null before the first save) and the generated parts. */
export interface ModelCard {
  readonly name: string;
  readonly revision: CardRevisionSummary | null;
  readonly sections: CardSections;
  readonly facts: CardFacts;
}

/** Which card to read: the newest, the one in effect for a model version, or one revision. */
export interface CardSelector {
  readonly version?: string | number | undefined;
  readonly revision?: string | number | undefined;
}

/** What a save carries. */
export interface CardEdit {
  readonly sections: Partial<Record<CardSection, string | undefined>>;
  /** The model version the text describes; absent for the model as a whole. */
  readonly modelVersion?: string | number | undefined;
  readonly author: string | null;
}

/**
 * On PostgreSQL concurrent saves of one card race for the next number and all but one retry; each
 * round one wins, so this many attempts settles that many simultaneous editors of one card.
 */
const SAVE_ATTEMPTS = 10;

function wholeNumber(value: string | number, field: string): number {
  const text = String(value).trim();
  if (!/^[1-9][0-9]{0,8}$/.test(text)) throw invalid(`Invalid value '${String(value)}' for parameter '${field}': a whole number from 1`);
  return Number(text);
}

function summaryOf(r: store.CardRevisionSummary): CardRevisionSummary {
  return { name: r.name, revision: r.revision, modelVersion: r.modelVersion, author: r.author, createdAt: r.createdAt };
}

/** The model's cards: save a revision, list them, read the card in effect. */
export class ModelCards {
  constructor(
    private readonly db: Db,
    private readonly sources: CardSources,
  ) {}

  /** Save the card's text as a new revision; the previous revisions stay as they were. */
  async save(name: string, edit: CardEdit): Promise<CardRevision> {
    const sections = checkSections(edit.sections);
    await requireModel(this.db, name);
    const modelVersion = edit.modelVersion === undefined ? null : (await loadVersion(this.db, name, wholeNumber(edit.modelVersion, 'model_version'))).version;
    for (let attempt = 1; ; attempt++) {
      try {
        const createdAt = nowMs();
        const revision = await store.insertCardRevision(this.db.kysely, { name, modelVersion, author: edit.author, createdAt, sections });
        return { name, revision, modelVersion, author: edit.author, createdAt, sections };
      } catch (error) {
        if (!isRetryableConflict(error) || attempt >= SAVE_ATTEMPTS) throw error;
      }
    }
  }

  /** One revision by number; 404 when the card has no such revision. */
  async revision(name: string, revision: string | number): Promise<CardRevision> {
    await requireModel(this.db, name);
    const n = wholeNumber(revision, 'revision');
    const found = await store.selectCardRevision(this.db.kysely, name, n);
    if (!found) throw notFound(`The model card of '${name}' has no revision ${n}`);
    return found;
  }

  /** Every revision, newest first, without the text. */
  async revisions(name: string): Promise<CardRevisionSummary[]> {
    await requireModel(this.db, name);
    return (await store.selectCardRevisions(this.db.kysely, name)).map(summaryOf);
  }

  /**
   * The card as a reader sees it. With `version`: the revision in effect for that model version
   * (see store.selectCardRevisionForVersion) and facts about that version. With `revision`: that
   * revision. Otherwise the newest revision, with facts about the version it names or else the
   * model's newest version.
   */
  async card(name: string, at: CardSelector = {}): Promise<ModelCard> {
    if (at.version !== undefined && at.revision !== undefined) throw invalid("Give at most one of the parameters 'version' and 'revision'");
    const model = await loadModel(this.db, name);
    let version: ModelVersionRecord | null = null;
    let saved: store.CardRevisionRecord | undefined;
    if (at.version !== undefined) {
      version = await loadVersion(this.db, name, wholeNumber(at.version, 'version'));
      saved = await store.selectCardRevisionForVersion(this.db.kysely, name, version.version);
    } else {
      saved = at.revision !== undefined ? await this.revision(name, at.revision) : await store.selectNewestCardRevision(this.db.kysely, name);
      version = await this.describedVersion(name, saved?.modelVersion ?? null, model.latestVersions);
    }
    const facts = await gatherCardFacts(this.sources, model, version);
    return { name, revision: saved ? summaryOf(saved) : null, sections: saved?.sections ?? EMPTY_SECTIONS, facts };
  }

  /** The version a revision names if it is still live, else the model's newest live version. */
  private async describedVersion(name: string, named: number | null, latest: readonly ModelVersionRecord[]): Promise<ModelVersionRecord | null> {
    if (named !== null) {
      const found = await loadVersion(this.db, name, named).catch(() => undefined);
      if (found) return found;
    }
    return latest.reduce<ModelVersionRecord | null>((newest, v) => (newest === null || v.version > newest.version ? v : newest), null);
  }
}
