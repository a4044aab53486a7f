/** Calls to /api/v1/registry/models/{name}/card for the model card section. */
import { getV1, sendJsonV1 } from '../api/client.js';

/** Section keys in the order the card shows them (the server's CARD_SECTIONS). */
export const CARD_SECTIONS = ['intended_use', 'out_of_scope_use', 'training_data', 'evaluation', 'owners', 'limitations', 'ethical_considerations', 'notes'] as const;
export type CardSection = (typeof CARD_SECTIONS)[number];

export const SECTION_TITLES: Readonly<Record<CardSection, string>> = {
  intended_use: 'Intended use',
  out_of_scope_use: 'Out-of-scope use',
  training_data: 'Training data',
  evaluation: 'Evaluation',
  owners: 'Owners',
  limitations: 'Limitations',
  ethical_considerations: 'Ethical considerations and risks',
  notes: 'Notes',
};

export type CardSections = Record<CardSection, string>;

export interface CardRevision {
  name: string;
  revision: number;
  model_version: number | null;
  author: string | null;
  created_at: number;
}

export interface MetricValue {
  key: string;
  value: number;
}

/** What cairn fills in from lineage, tracking and serving. */
export interface CardFacts {
  model_version: number | null;
  description: string | null;
  training_data: { name: string; version: number | null; digest: string; source: string | null; source_type: string | null }[];
  training_run: { run_id: string; run_name: string; user_id: string; metrics: MetricValue[] } | null;
  gate_evaluations: { run_id: string; passed: boolean; champion_version: string | null; start_time: number; metrics: MetricValue[] }[];
  owners: { user: string; role: string }[];
  signature: { inputs: { name: string | null; type: string }[]; outputs: { name: string | null; type: string }[] } | null;
  aliases: { alias: string; version: number }[];
  deployments: { name: string; status: string; routes: { version: string; weight: number }[]; shadow: string | null; serves_version: boolean }[];
}

export interface ModelCard {
  name: string;
  revision: CardRevision | null;
  sections: CardSections;
  facts: CardFacts;
}

/** Which card to show: the newest, the one in effect for a model version, or one revision. */
export type CardChoice = { kind: 'newest' } | { kind: 'version'; version: string } | { kind: 'revision'; revision: number };

const base = (name: string): string => `registry/models/${encodeURIComponent(name)}/card`;

export function getModelCard(name: string, choice: CardChoice): Promise<ModelCard> {
  const query = choice.kind === 'version' ? { version: choice.version } : choice.kind === 'revision' ? { revision: String(choice.revision) } : {};
  return getV1<ModelCard>(base(name), query);
}

export async function listCardRevisions(name: string): Promise<CardRevision[]> {
  return (await getV1<{ revisions: CardRevision[] }>(`${base(name)}/revisions`)).revisions;
}

/** Save the sections as a new revision, for a model version or (null) the model as a whole. */
export async function saveModelCard(name: string, sections: CardSections, modelVersion: string | null): Promise<CardRevision> {
  const body = modelVersion === null ? { sections } : { sections, model_version: modelVersion };
  return (await sendJsonV1<{ revision: CardRevision }>('PUT', base(name), body)).revision;
}

/** Where the Markdown export of the chosen card is. */
export function cardMarkdownUrl(name: string, choice: CardChoice): string {
  const query = choice.kind === 'version' ? `?version=${encodeURIComponent(choice.version)}` : choice.kind === 'revision' ? `?revision=${choice.revision}` : '';
  return `/api/v1/${base(name)}.md${query}`;
}
