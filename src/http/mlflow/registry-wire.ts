/** MLflow's RegisteredModel and ModelVersion JSON, and the request fields the registry routes share. */
import { z } from 'zod';
import type { ModelVersionRecord, RegisteredModelRecord } from '../../registry/index.js';
import { int64 } from './wire.js';

/** Versions are strings on the wire; a number is accepted too. */
export const versionField = z.union([z.string(), z.number().int()]).transform(String);

/** The fields of every registry search (GET query or POST body). */
export const searchQuery = z.object({
  filter: z.string().optional(),
  max_results: int64.optional(),
  order_by: z.array(z.string()).optional(),
  page_token: z.string().optional(),
});

const tagOut = z.object({ key: z.string(), value: z.string() });

export const modelVersionOut = z.object({
  name: z.string(),
  version: z.string(),
  creation_timestamp: z.number(),
  last_updated_timestamp: z.number(),
  user_id: z.string().optional(),
  current_stage: z.string(),
  description: z.string().optional(),
  source: z.string(),
  run_id: z.string().optional(),
  status: z.string(),
  status_message: z.string().optional(),
  tags: z.array(tagOut).optional(),
  run_link: z.string().optional(),
  aliases: z.array(z.string()).optional(),
  model_id: z.string().optional(),
});

export const registeredModelOut = z.object({
  name: z.string(),
  creation_timestamp: z.number(),
  last_updated_timestamp: z.number(),
  user_id: z.string().optional(),
  description: z.string().optional(),
  latest_versions: z.array(modelVersionOut).optional(),
  tags: z.array(tagOut).optional(),
  aliases: z.array(z.object({ alias: z.string(), version: z.string() })).optional(),
});

/** Unset fields and empty lists are omitted, as protobuf's JSON printer does. */
function present<T>(value: T | null | undefined): T | undefined {
  if (value === null || value === undefined) return undefined;
  if (Array.isArray(value) && value.length === 0) return undefined;
  return value;
}

/** Drop the keys whose value is undefined, so the JSON carries no nulls. */
function compact<T extends Record<string, unknown>>(object: T): T {
  return Object.fromEntries(Object.entries(object).filter(([, value]) => value !== undefined)) as T;
}

/**
 * A version as MLflow's client reads it. `status` is always sent: an absent enum would decode as
 * PENDING_REGISTRATION and make the client poll for five minutes.
 */
export function encodeModelVersion(v: ModelVersionRecord): z.infer<typeof modelVersionOut> {
  return compact({
    name: v.name,
    version: String(v.version),
    creation_timestamp: v.creationTime,
    last_updated_timestamp: v.lastUpdatedTime,
    user_id: present(v.userId),
    current_stage: v.currentStage,
    description: present(v.description),
    source: v.source,
    run_id: present(v.runId),
    status: v.status || 'READY',
    status_message: present(v.statusMessage),
    tags: present(v.tags),
    run_link: present(v.runLink),
    aliases: present(v.aliases),
    model_id: present(v.modelId),
  });
}

export function encodeRegisteredModel(m: RegisteredModelRecord): z.infer<typeof registeredModelOut> {
  return compact({
    name: m.name,
    creation_timestamp: m.creationTime,
    last_updated_timestamp: m.lastUpdatedTime,
    user_id: present(m.userId),
    description: present(m.description),
    latest_versions: present(m.latestVersions.map(encodeModelVersion)),
    tags: present(m.tags),
    aliases: present(m.aliases.map((a) => ({ alias: a.alias, version: String(a.version) }))),
  });
}
