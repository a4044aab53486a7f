/** What deployments record: feedback by request id, the inference log, and traffic statistics. */
import { z } from 'zod';
import { invalid } from '../../core/errors.js';
import type { JsonValue } from '../../serving/predictions.js';
import { route, type Route } from '../route.js';

const TAG = 'Deployments';
const nameParam = z.object({ name: z.string().min(1) });
const feedbackItem = z.object({ request_id: z.string().min(1).max(128), ground_truth: z.unknown() }).strict();
const HOUR = 3_600_000;

export const deploymentDataRoutes: Route[] = [
  route({
    method: 'POST', paths: ['/api/v1/deployments/:name/feedback'], tag: 'Deployments', access: 'write',
    permission: { on: 'deployment', need: 'EDIT', id: ({ params }) => params.name },
    summary: 'Ground truth for earlier requests, by request id: {request_id, ground_truth} or {feedback: [...]}',
    params: nameParam,
    body: z.object({ request_id: z.string().min(1).max(128).optional(), ground_truth: z.unknown().optional(), feedback: z.array(feedbackItem).max(100_000).optional() }).strict(),
    response: z.object({ accepted: z.number() }),
    handler: async ({ params, body, services }) => {
      const items = body.feedback ?? (body.request_id !== undefined ? [{ request_id: body.request_id, ground_truth: body.ground_truth }] : []);
      if (body.feedback && body.request_id !== undefined) throw invalid('Give either request_id and ground_truth, or a feedback list, not both');
      for (const [i, item] of items.entries()) {
        if (item.ground_truth === undefined) throw invalid(`Missing value for required parameter '${body.feedback ? `feedback[${i}].` : ''}ground_truth'.`);
      }
      return services.serving.feedback(params.name, items.map((f) => ({ requestId: f.request_id, groundTruth: f.ground_truth as JsonValue })));
    },
  }),
  route({
    method: 'GET', paths: ['/api/v1/deployments/:name/inference-log'], tag: TAG, access: 'read',
    permission: { on: 'deployment', need: 'READ', id: ({ params }) => params.name },
    summary: 'Scored requests in a time window (epoch ms, default the last hour), with ground truth joined by request id',
    params: nameParam,
    query: z.object({ from: z.coerce.number().optional(), to: z.coerce.number().optional(), limit: z.coerce.number().int().min(1).max(100_000).default(1000) }),
    response: z.object({ rows: z.array(z.record(z.string(), z.unknown())), truncated: z.boolean() }),
    handler: async ({ params, query, services }) => {
      await services.serving.deployments.get(params.name);
      const to = query.to ?? Date.now() + 1;
      const rows = await services.serving.readInferenceWindow(params.name, query.from ?? to - HOUR, to);
      return { rows: rows.slice(0, query.limit), truncated: rows.length > query.limit };
    },
  }),
  route({
    method: 'GET', paths: ['/api/v1/deployments/:name/stats'], tag: TAG, access: 'read',
    permission: { on: 'deployment', need: 'READ', id: ({ params }) => params.name },
    summary: 'Requests, errors and p50/p95 latency per version and time bucket, from the inference log',
    params: nameParam,
    query: z.object({ minutes: z.coerce.number().min(1).max(7 * 24 * 60).default(60), bucket_seconds: z.coerce.number().int().min(1).max(86_400).default(60) }),
    response: z.object({ buckets: z.array(z.object({ time: z.number(), version: z.string(), shadow: z.boolean(), requests: z.number(), errors: z.number(), p50_ms: z.number(), p95_ms: z.number() })) }),
    handler: async ({ params, query, services }) => {
      const to = Date.now() + 1;
      const buckets = await services.serving.stats(params.name, to - query.minutes * 60_000, to, query.bucket_seconds);
      return { buckets: buckets.map((b) => ({ time: b.time, version: b.version, shadow: b.shadow, requests: b.requests, errors: b.errors, p50_ms: b.p50Ms, p95_ms: b.p95Ms })) };
    },
  }),
];
