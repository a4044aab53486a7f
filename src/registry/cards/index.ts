/**
 * Model cards: per registered model, the documentation a reviewer asks for (intended use, training
 * data, evaluation, owners, limitations, risks), written by people and versioned with the model,
 * beside the parts cairn fills in from lineage, tracking and serving. Rendered as Markdown for export.
 */
import type { Db } from '../../store/db.js';
import { ModelCards } from './cards.js';
import type { CardSources } from './facts.js';

export { ModelCards };
export type { CardEdit, CardRevision, CardRevisionSummary, CardSelector, ModelCard } from './cards.js';
export type { CardFacts, CardSources } from './facts.js';
export { cardSourcesFrom, type CardCapabilities } from './sources.js';
export { CARD_LIMITS, CARD_SECTIONS, SECTION_TITLES, type CardSection, type CardSections } from './sections.js';
export { cardMarkdown } from './markdown.js';

/** Build the model-card service over a database and the sources of its generated parts. */
export function createModelCards(db: Db, sources: CardSources): ModelCards {
  return new ModelCards(db, sources);
}
