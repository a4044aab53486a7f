/** /api/v1/alerts (alert history) and /api/v1/retrain-triggers (what the pipelines capability consumes). */
import { z } from 'zod';
import { notFound } from '../../core/errors.js';
import { monitorOfTrigger } from '../auth/permission-owners.js';
import { readableTest } from '../auth/permission-check.js';
import { route, type Route } from '../route.js';

const TAG = 'Alerts';

export const alertRoutes: Route[] = [
  route({
    method: 'GET', paths: ['/api/v1/alerts'], tag: TAG, access: 'read',
    permission: { filters: 'monitor' },
    summary: 'Alert history, newest first: each firing and resolution with the value, the rule, and what every channel answered',
    query: z.object({
      monitor: z.string().optional(),
      state: z.string().optional(),
      before: z.number().int().optional(),
      limit: z.number().int().min(1).max(1000).default(100),
    }),
    response: z.object({ alerts: z.array(z.record(z.string(), z.unknown())) }),
    handler: async ({ query, services, request }) => {
      const readable = await readableTest({ services, request }, 'monitor');
      const alerts = (await services.monitors.alerts(query)).filter((a) => readable(a.monitor));
      return { alerts: alerts.map(({ column_name, deliveries, ...rest }) => ({ ...rest, column: column_name, deliveries: JSON.parse(deliveries) as unknown })) };
    },
  }),
  route({
    method: 'GET', paths: ['/api/v1/retrain-triggers'], tag: TAG, access: 'read',
    permission: { filters: 'monitor' },
    summary: "Retrain triggers left by monitors' 'retrain' channels, oldest first (pending=true: not consumed yet)",
    query: z.object({ pending: z.boolean().default(false), limit: z.number().int().min(1).max(1000).default(100) }),
    response: z.object({ triggers: z.array(z.record(z.string(), z.unknown())) }),
    handler: async ({ query, services, request }) => {
      const readable = await readableTest({ services, request }, 'monitor');
      const triggers = (await services.monitors.retrainTriggers(query)).filter((t) => readable(t.monitor));
      return { triggers: triggers.map(({ payload, ...rest }) => ({ ...rest, payload: JSON.parse(payload) as unknown })) };
    },
  }),
  route({
    method: 'POST', paths: ['/api/v1/retrain-triggers/:trigger_id/consume'], tag: TAG, access: 'write',
    permission: { on: 'monitor', need: 'EDIT', id: ({ params, services }) => monitorOfTrigger(services, params.trigger_id) },
    summary: 'Mark a retrain trigger consumed; of several consumers exactly one succeeds, the others get RESOURCE_DOES_NOT_EXIST',
    params: z.object({ trigger_id: z.string().min(1) }),
    response: z.object({ consumed: z.boolean() }),
    handler: async ({ params, services }) => {
      if (!(await services.monitors.consumeRetrainTrigger(params.trigger_id))) throw notFound(`retrain trigger '${params.trigger_id}' does not exist or was consumed already`);
      return { consumed: true };
    },
  }),
];
