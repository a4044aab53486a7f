/** Prometheus scrape endpoint: per-deployment request, error and latency metrics of this process. */
import { z } from 'zod';
import { readableTest } from '../auth/permission-check.js';
import { route, type Route, type RouteInput } from '../route.js';

/** A label's value in a Prometheus sample line, unescaped; undefined when the line has no such label. */
function labelValue(line: string, label: string): string | undefined {
  const match = new RegExp(`[{,]${label}="((?:[^"\\\\]|\\\\.)*)"`).exec(line);
  return match?.[1]?.replace(/\\(.)/g, (_all, c: string) => (c === 'n' ? '\n' : c));
}

/**
 * The exposition without the samples of deployments and monitors the caller may not read, so a
 * scrape cannot reveal their names or traffic (the HELP and TYPE lines name no resource).
 */
export function keepReadableSamples(text: string, mayReadDeployment: (name: string) => boolean, mayReadMonitor: (name: string) => boolean): string {
  return text
    .split('\n')
    .filter((line) => {
      if (line.startsWith('#')) return true;
      const deployment = labelValue(line, 'deployment');
      if (deployment !== undefined && !mayReadDeployment(deployment)) return false;
      const monitor = labelValue(line, 'monitor');
      return monitor === undefined || mayReadMonitor(monitor);
    })
    .join('\n');
}

async function readableSamples(input: Pick<RouteInput<unknown, unknown, unknown>, 'services' | 'request'>, text: string): Promise<string> {
  return keepReadableSamples(text, await readableTest(input, 'deployment'), await readableTest(input, 'monitor'));
}

export const metricsRoutes: Route[] = [
  route({
    method: 'GET', paths: ['/metrics'], tag: 'Server', access: 'read',
    permission: { filters: ['deployment', 'monitor'] },
    summary: 'Prometheus metrics: cairn_deployment_requests_total, cairn_deployment_errors_total, cairn_deployment_request_duration_seconds, cairn_monitor_value, process metrics; only deployments and monitors the caller may read',
    response: z.string(),
    handler: async ({ services, request, reply }) => {
      const { contentType, body } = await services.serving.metrics.text();
      return reply.type(contentType).send(await readableSamples({ services, request }, body));
    },
  }),
];
