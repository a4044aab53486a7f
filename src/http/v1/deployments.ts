/** /api/v1/deployments: managed deployments (CRUD, rollback), scoring, feedback, the inference log. */
import { z } from 'zod';
import { CairnError } from '../../core/errors.js';
import { readableTest } from '../auth/permission-check.js';
import { route, type Route } from '../route.js';
import { deploymentOut, encodeDeployment, targetIn, toTarget, trafficFrom, weightedTargetIn } from './deployment-wire.js';
import { deploymentDataRoutes } from './deployment-data.js';

const TAG = 'Deployments';
const nameParam = z.object({ name: z.string().min(1) });
const one = z.object({ deployment: deploymentOut });
const versionNumber = z.union([z.string(), z.number().int()]).transform(String);

export const deploymentRoutes: Route[] = [
  route({
    method: 'POST', paths: ['/api/v1/deployments'], tag: TAG, access: 'write',
    permission: { creates: 'deployment', newId: ({ body }) => body.name, also: [{ on: 'registered_model', need: 'READ', id: ({ body }) => body.model }] },
    summary: 'Create a deployment of a registered model: an alias to follow, a fixed version, or weighted traffic (canary), with an optional shadow',
    body: z.object({
      name: z.string().min(1),
      model: z.string().min(1),
      alias: z.string().min(1).optional(),
      version: versionNumber.optional(),
      traffic: z.array(weightedTargetIn).optional(),
      shadow: targetIn.nullable().optional(),
      description: z.string().max(5000).nullable().optional(),
      log_retention_days: z.number().int().optional(),
    }).strict(),
    response: one,
    handler: async ({ body, services }) => {
      const deployment = await services.serving.deployments.create({
        name: body.name,
        model: body.model,
        traffic: trafficFrom(body, true) ?? [],
        shadow: body.shadow ? toTarget(body.shadow) : null,
        description: body.description ?? null,
        logRetentionDays: body.log_retention_days,
      });
      // Load it now, so the first request does not pay for the download; a failure is on the row.
      void services.serving.live.warm(deployment.name).catch(() => undefined);
      return { deployment: encodeDeployment(deployment) };
    },
  }),
  route({
    method: 'GET', paths: ['/api/v1/deployments'], tag: TAG, access: 'read',
    permission: { filters: 'deployment' },
    summary: 'List deployments (of one model, with ?model=)',
    query: z.object({ model: z.string().optional() }),
    response: z.object({ deployments: z.array(deploymentOut) }),
    handler: async ({ query, services, request }) => {
      const readable = await readableTest({ services, request }, 'deployment');
      return { deployments: (await services.serving.deployments.list(query.model)).filter((d) => readable(d.name)).map(encodeDeployment) };
    },
  }),
  route({
    method: 'GET', paths: ['/api/v1/deployments/:name'], tag: TAG, access: 'read',
    permission: { on: 'deployment', need: 'READ', id: ({ params }) => params.name },
    summary: 'Get a deployment: its traffic plan, and what is serving (status, versions, the reason a load failed)',
    params: nameParam,
    response: one,
    handler: async ({ params, services }) => ({ deployment: encodeDeployment(await services.serving.deployments.get(params.name)) }),
  }),
  route({
    method: 'PATCH', paths: ['/api/v1/deployments/:name'], tag: TAG, access: 'write',
    permission: { on: 'deployment', need: 'EDIT', id: ({ params }) => params.name },
    summary: 'Change traffic (alias, version or weights), shadow (null removes it), description or log retention; takes effect within a second',
    params: nameParam,
    body: z.object({
      alias: z.string().min(1).optional(),
      version: versionNumber.optional(),
      traffic: z.array(weightedTargetIn).optional(),
      shadow: targetIn.nullable().optional(),
      description: z.string().max(5000).nullable().optional(),
      log_retention_days: z.number().int().optional(),
    }).strict(),
    response: one,
    handler: async ({ params, body, services }) => {
      const deployment = await services.serving.deployments.update(params.name, {
        traffic: trafficFrom(body, false),
        shadow: body.shadow === undefined ? undefined : body.shadow && toTarget(body.shadow),
        description: body.description,
        logRetentionDays: body.log_retention_days,
      });
      return { deployment: encodeDeployment(deployment) };
    },
  }),
  route({
    method: 'POST', paths: ['/api/v1/deployments/:name/rollback'], tag: TAG, access: 'write',
    permission: { on: 'deployment', need: 'EDIT', id: ({ params }) => params.name },
    summary: 'Return to the traffic plan before the last change (a second rollback goes forward again)',
    params: nameParam,
    response: one,
    handler: async ({ params, services }) => ({ deployment: encodeDeployment(await services.serving.deployments.rollback(params.name)) }),
  }),
  route({
    method: 'DELETE', paths: ['/api/v1/deployments/:name'], tag: TAG, access: 'write',
    permission: { on: 'deployment', need: 'MANAGE', id: ({ params }) => params.name, forgets: true },
    summary: 'Delete a deployment (its inference log stays until retention removes it)',
    params: nameParam,
    response: z.object({}),
    handler: async ({ params, services }) => {
      await services.serving.deployments.delete(params.name);
      return {};
    },
  }),
  route({
    method: 'POST', paths: ['/api/v1/deployments/:name/invocations'], tag: TAG, access: 'read', audit: 'none', raw: true,
    permission: { on: 'deployment', need: 'READ', id: ({ params }) => params.name },
    summary: "Score with MLflow's scoring protocol (JSON dataframe_split/records, instances, inputs, or CSV); the X-Cairn-Version header says which version answered",
    params: nameParam,
    response: z.object({ predictions: z.unknown() }),
    handler: async ({ params, request, reply, services }) => {
      const { name } = params;
      const body = await readBody(request.raw, services.config.bodyLimitBytes);
      const header = request.headers['x-request-id'];
      const answer = await services.serving.score({ deployment: name, body, contentType: request.headers['content-type'], requestId: Array.isArray(header) ? header[0] : header });
      return reply
        .header('x-cairn-version', answer.version)
        .header('x-request-id', answer.requestId)
        .type('application/json')
        .send(JSON.stringify({ predictions: answer.predictions }));
    },
  }),
  ...deploymentDataRoutes,
];

/** The request body as text, refusing more than `limit` bytes with a 413. */
async function readBody(stream: NodeJS.ReadableStream, limit: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    size += (chunk as Buffer).length;
    if (size > limit) throw new CairnError('REQUEST_LIMIT_EXCEEDED', `The request body is larger than the limit of ${limit} bytes.`, { httpStatus: 413 });
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}
