/** Prometheus scrape endpoint: per-deployment request, error and latency metrics of this process. */
import { z } from 'zod';
import { route, type Route } from '../route.js';

export const metricsRoutes: Route[] = [
  route({
    method: 'GET', paths: ['/metrics'], tag: 'Server', access: 'read',
    permission: { none: 'process-wide counters for Prometheus, labelled by deployment name; role-checked' },
    summary: 'Prometheus metrics: cairn_deployment_requests_total, cairn_deployment_errors_total, cairn_deployment_request_duration_seconds, process metrics',
    response: z.string(),
    handler: async ({ services, reply }) => {
      const { contentType, body } = await services.serving.metrics.text();
      return reply.type(contentType).send(body);
    },
  }),
];
