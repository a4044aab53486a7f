import { z } from 'zod';
import { CAIRN_VERSION } from '../core/version.js';
import { route, type Route } from './route.js';

const TAG = 'Server';

/** Liveness, version and server-info: what load balancers and the MLflow client probe. */
export const miscRoutes: Route[] = [
  route({
    method: 'GET', paths: ['/health'], tag: TAG, access: 'public',
    permission: { none: 'liveness probe: touches no resource' },
    summary: 'Readiness: answers OK once the database is reachable',
    response: z.string(),
    handler: async ({ services, reply }) => {
      await services.db.ping();
      return reply.type('text/plain; charset=utf-8').send('OK');
    },
  }),
  route({
    method: 'GET', paths: ['/version'], tag: TAG, access: 'public',
    permission: { none: 'the server version: touches no resource' },
    summary: 'The server version, as plain text',
    response: z.string(),
    // The MLflow client reads this to decide whether to send OTLP spans (only to >= 3.4);
    // cairn's own version keeps it on the traces.json artifact path.
    handler: ({ reply }) => reply.type('text/plain; charset=utf-8').send(CAIRN_VERSION),
  }),
  route({
    method: 'GET', paths: ['/api/3.0/mlflow/server-info', '/ajax-api/3.0/mlflow/server-info'], tag: TAG, access: 'public',
    permission: { none: 'server capabilities the client asks for: touches no resource' },
    summary: 'What kind of store the server runs on',
    response: z.object({ store_type: z.string().nullable(), workspaces_enabled: z.boolean() }),
    handler: () => ({ store_type: 'SqlStore', workspaces_enabled: false }),
  }),
];
