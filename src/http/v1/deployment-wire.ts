/** The JSON shapes of /api/v1/deployments: snake_case on the wire, zod schemas shared with OpenAPI. */
import { z } from 'zod';
import { invalid } from '../../core/errors.js';
import type { Deployment, ResolvedPlan, Target, TrafficPlan, WeightedTarget } from '../../serving/deployments/index.js';

const versionNumber = z.union([z.string(), z.number().int()]).transform(String);

/** `{"version": 3}` or `{"alias": "champion"}`. */
export const targetIn = z
  .object({ version: versionNumber.optional(), alias: z.string().min(1).optional() })
  .strict()
  .refine((t) => (t.version === undefined) !== (t.alias === undefined), 'give exactly one of version or alias');

export const weightedTargetIn = z
  .object({ version: versionNumber.optional(), alias: z.string().min(1).optional(), weight: z.number().min(0) })
  .strict()
  .refine((t) => (t.version === undefined) !== (t.alias === undefined), 'give exactly one of version or alias');

type TargetInput = { version?: string | undefined; alias?: string | undefined };

/** A wire target as the domain's Target. */
export function toTarget(t: TargetInput): Target {
  return t.alias !== undefined ? { alias: t.alias } : { version: t.version ?? '' };
}

/** Traffic from a create/update body: `alias`, `version` (100% to one), or an explicit `traffic` list. */
export function trafficFrom(body: { alias?: string | undefined; version?: string | undefined; traffic?: readonly (TargetInput & { weight: number })[] | undefined }, required: boolean): WeightedTarget[] | undefined {
  const given = [body.alias !== undefined, body.version !== undefined, body.traffic !== undefined].filter(Boolean).length;
  if (given > 1) throw invalid('Give only one of alias, version or traffic');
  if (given === 0) {
    if (required) throw invalid("Missing value for required parameter 'alias', 'version' or 'traffic': a deployment serves an alias (follows it when it moves), a fixed version, or a traffic list like [{\"version\": 1, \"weight\": 90}, {\"version\": 2, \"weight\": 10}]");
    return undefined;
  }
  if (body.alias !== undefined) return [{ alias: body.alias, weight: 100 }];
  if (body.version !== undefined) return [{ version: body.version, weight: 100 }];
  return (body.traffic ?? []).map((t) => ({ ...toTarget(t), weight: t.weight }));
}

const targetOut = z.object({ version: z.string().optional(), alias: z.string().optional() });
const planOut = z.object({ traffic: z.array(targetOut.extend({ weight: z.number() })), shadow: targetOut.nullable() });
const resolvedOut = z.object({ routes: z.array(z.object({ version: z.string(), weight: z.number() })), shadow: z.string().nullable() });

export const deploymentOut = z.object({
  name: z.string(),
  model: z.string(),
  traffic: planOut.shape.traffic,
  shadow: targetOut.nullable(),
  description: z.string().nullable(),
  log_retention_days: z.number(),
  generation: z.number(),
  status: z.enum(['PENDING', 'READY', 'FAILED']),
  status_message: z.string().nullable(),
  serving: resolvedOut.nullable(),
  status_time: z.number(),
  previous: planOut.nullable(),
  creation_time: z.number(),
  last_updated_time: z.number(),
  invocations_url: z.string(),
});

const encodePlan = (p: TrafficPlan) => ({ traffic: p.traffic.map((t) => ({ ...t })), shadow: p.shadow && { ...p.shadow } });

/** A deployment on the wire. */
export function encodeDeployment(d: Deployment): z.infer<typeof deploymentOut> {
  return {
    name: d.name,
    model: d.model,
    traffic: d.traffic.map((t) => ({ ...t })),
    shadow: d.shadow && { ...d.shadow },
    description: d.description,
    log_retention_days: d.logRetentionDays,
    generation: d.generation,
    status: d.status,
    status_message: d.statusMessage,
    serving: d.serving && encodeResolved(d.serving),
    status_time: d.statusTime,
    previous: d.previous && encodePlan(d.previous),
    creation_time: d.creationTime,
    last_updated_time: d.lastUpdatedTime,
    invocations_url: `/api/v1/deployments/${d.name}/invocations`,
  };
}

function encodeResolved(p: ResolvedPlan): z.infer<typeof resolvedOut> {
  return { routes: p.routes.map((r) => ({ ...r })), shadow: p.shadow };
}
