/**
 * The generated parts of a model card: what cairn itself knows about a model version (the data it
 * was trained on, its metrics, owners, signature, aliases, deployments). Shown beside the text the
 * authors wrote and never stored, so they are always current and never overwrite that text.
 */
import type { ModelVersionRecord, RegisteredModelRecord } from '../../store/registry/records.js';

/** A dataset version upstream of the model version in the lineage graph. */
export interface TrainingDataset {
  readonly name: string;
  /** The number the dataset registry gave this content, or null when it only knows the digest. */
  readonly version: number | null;
  readonly digest: string;
  readonly source: string | null;
  readonly sourceType: string | null;
}

export interface MetricValue {
  readonly key: string;
  readonly value: number;
}

/** The run that produced the version, with its latest metric values. */
export interface TrainingRun {
  readonly runId: string;
  readonly runName: string;
  readonly userId: string;
  readonly metrics: readonly MetricValue[];
}

/** A `cairn gate` evaluation run that scored the version as candidate. */
export interface GateEvaluation {
  readonly runId: string;
  readonly passed: boolean;
  readonly championVersion: string | null;
  readonly startTime: number;
  readonly metrics: readonly MetricValue[];
}

export interface CardOwner {
  readonly user: string;
  /** Why the user is listed: created the model, created the version, trained it, or manages the model. */
  readonly role: 'model creator' | 'version creator' | 'trained the version' | 'manager';
}

export interface SignatureField {
  readonly name: string | null;
  readonly type: string;
}

export interface CardDeployment {
  readonly name: string;
  readonly status: string;
  /** The versions it routes traffic to, with their weights. */
  readonly routes: readonly { readonly version: string; readonly weight: number }[];
  readonly shadow: string | null;
  /** Whether the described version takes live or shadow traffic in it. */
  readonly servesVersion: boolean;
}

/** Everything generated for one card. */
export interface CardFacts {
  /** The version the facts describe; null when the model has no live version. */
  readonly modelVersion: number | null;
  readonly description: string | null;
  readonly trainingData: readonly TrainingDataset[];
  readonly trainingRun: TrainingRun | null;
  readonly gateEvaluations: readonly GateEvaluation[];
  readonly owners: readonly CardOwner[];
  /** Inputs and outputs from the version's MLmodel; null when it has none or cairn cannot read it. */
  readonly signature: { readonly inputs: readonly SignatureField[]; readonly outputs: readonly SignatureField[] } | null;
  readonly aliases: readonly { readonly alias: string; readonly version: number }[];
  readonly deployments: readonly CardDeployment[];
}

/** What the facts are read from: the other capabilities, each behind one narrow question. */
export interface CardSources {
  /** Dataset versions upstream of a model version in the lineage graph. */
  trainingData(name: string, version: number): Promise<TrainingDataset[]>;
  /** A run with its latest metrics, or undefined when it is gone. */
  run(runId: string): Promise<TrainingRun | undefined>;
  /** The run that produced a logged model (`models:/m-...` sources), or undefined. */
  runOfLoggedModel(modelId: string): Promise<string | undefined>;
  /** Gate evaluation runs that scored version `version` of the model as candidate, newest first. */
  gateEvaluations(name: string, version: number): Promise<GateEvaluation[]>;
  /** The signature in MLmodel under a version's storage location, or null. */
  signature(storageLocation: string): Promise<CardFacts['signature']>;
  /** Deployments of the model. */
  deployments(name: string): Promise<Omit<CardDeployment, 'servesVersion'>[]>;
  /** Users holding MANAGE on the model, when per-resource permissions exist. */
  managers(name: string): Promise<string[]>;
}

/** A part that cannot be read (a missing MLmodel, a deleted run) leaves that part empty, not the card. */
async function orEmpty<T>(read: () => Promise<T>, empty: T): Promise<T> {
  try {
    return await read();
  } catch {
    return empty;
  }
}

function ownersOf(model: RegisteredModelRecord, version: ModelVersionRecord | null, run: TrainingRun | null, managers: readonly string[]): CardOwner[] {
  const owners: CardOwner[] = [];
  const add = (user: string | null | undefined, role: CardOwner['role']): void => {
    if (user && !owners.some((o) => o.user === user && o.role === role)) owners.push({ user, role });
  };
  add(model.userId, 'model creator');
  for (const m of managers) add(m, 'manager');
  add(version?.userId, 'version creator');
  // Tracking records 'unknown' when a client names no user: that is nobody to ask.
  add(run?.userId === 'unknown' ? null : run?.userId, 'trained the version');
  return owners;
}

/** Gather the generated parts of a card for `version` of `model` (null: the model has no live version). */
export async function gatherCardFacts(sources: CardSources, model: RegisteredModelRecord, version: ModelVersionRecord | null): Promise<CardFacts> {
  const n = version?.version ?? null;
  const runId = version ? (version.runId ?? (version.modelId ? await orEmpty(() => sources.runOfLoggedModel(version.modelId as string), undefined) : undefined)) : undefined;
  const [trainingData, trainingRun, gateEvaluations, signature, deployments, managers] = await Promise.all([
    n === null ? [] : orEmpty(() => sources.trainingData(model.name, n), []),
    runId ? orEmpty(() => sources.run(runId), undefined) : undefined,
    n === null ? [] : orEmpty(() => sources.gateEvaluations(model.name, n), []),
    version ? orEmpty(() => sources.signature(version.storageLocation), null) : null,
    orEmpty(() => sources.deployments(model.name), []),
    orEmpty(() => sources.managers(model.name), []),
  ]);
  const serves = (d: Omit<CardDeployment, 'servesVersion'>): boolean => n !== null && (d.routes.some((r) => r.version === String(n)) || d.shadow === String(n));
  return {
    modelVersion: n,
    description: version?.description || model.description,
    trainingData,
    trainingRun: trainingRun ?? null,
    gateEvaluations,
    owners: ownersOf(model, version, trainingRun ?? null, managers),
    signature,
    aliases: model.aliases,
    deployments: deployments.map((d) => ({ ...d, servesVersion: serves(d) })),
  };
}
