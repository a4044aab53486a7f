import { basename } from 'node:path';
import type { FastifyReply } from 'fastify';
import mime from 'mime-types';
import { z } from 'zod';
import type { BlobRead } from '../../artifacts/index.js';
import { CairnError, notFound } from '../../core/errors.js';
import { experimentOfRun, experimentsHoldingArtifact } from '../auth/permission-owners.js';
import { route, type Route } from '../route.js';
import { runIdOf, runRef } from './runs.js';

const TAG = 'Artifacts';
const ROOTS = ['/api/2.0/mlflow-artifacts/artifacts', '/ajax-api/2.0/mlflow-artifacts/artifacts'];
const fileOut = z.object({ path: z.string(), is_dir: z.boolean(), file_size: z.number().optional() });
const restOf = (params: unknown): string => (params as { '*'?: string })['*'] ?? '';

const encodeFiles = (files: { path: string; isDir: boolean; fileSize?: number }[]) =>
  files.map((f) => ({ path: f.path, is_dir: f.isDir, ...(f.fileSize === undefined ? {} : { file_size: f.fileSize }) }));

/** Send a file's bytes with its type guessed from the name, as MLflow's proxy does. */
function sendFile(reply: FastifyReply, file: BlobRead & { key: string }): FastifyReply {
  const name = basename(file.key);
  const type = mime.lookup(name) || 'application/octet-stream';
  return reply
    .type(type.startsWith('text/') ? `${type}; charset=utf-8` : type)
    .header('content-length', file.size)
    .header('content-disposition', `attachment; filename="${name.replace(/["\\\r\n]/g, '_')}"`)
    .header('x-content-type-options', 'nosniff')
    .send(file.stream);
}

const multipartRefusal = (): never => {
  // The client falls back to a plain PUT on exactly this message.
  throw new CairnError('NOT_IMPLEMENTED', 'Multipart upload is not supported for the current artifact repository');
};

/** The artifact proxy (`mlflow-artifacts:/` URIs) and the run-relative artifact reads. */
export const artifactRoutes: Route[] = [
  route({
    method: 'GET', paths: ROOTS, tag: TAG, access: 'read',
    permission: { on: 'experiment', need: 'READ', id: ({ query, services }) => experimentsHoldingArtifact(services, query.path) },
    summary: 'List a folder of artifacts (names, folders, sizes)',
    query: z.object({ path: z.string().optional() }),
    response: z.object({ files: z.array(fileOut).optional() }),
    handler: async ({ query, services }) => {
      const files = await services.artifacts.list(query.path);
      return files.length > 0 ? { files: encodeFiles(files) } : {};
    },
  }),
  route({
    method: 'PUT', paths: ROOTS.map((r) => `${r}/*`), tag: TAG, access: 'write', audit: 'after', raw: true,
    permission: { on: 'experiment', need: 'EDIT', id: ({ request, services }) => experimentsHoldingArtifact(services, restOf(request.params)) },
    summary: 'Upload one artifact file (streamed; the file appears whole or not at all)',
    response: z.object({}),
    handler: async ({ request, reply, services }) => {
      const length = request.headers['content-length'];
      await services.artifacts.upload(restOf(request.params), request.raw, length === undefined ? undefined : Number(length));
      return reply.type('application/json').send({});
    },
  }),
  route({
    method: 'GET', paths: ROOTS.map((r) => `${r}/*`), tag: TAG, access: 'read', audit: 'read', raw: true,
    permission: { on: 'experiment', need: 'READ', id: ({ request, services }) => experimentsHoldingArtifact(services, restOf(request.params)) },
    summary: 'Download one artifact file (streamed)',
    response: z.string(),
    handler: async ({ request, reply, services }) => {
      const file = await services.artifacts.download(restOf(request.params));
      if (!file) throw notFound(`No artifact at '${restOf(request.params)}'`);
      return sendFile(reply, file);
    },
  }),
  route({
    method: 'DELETE', paths: ROOTS.map((r) => `${r}/*`), tag: TAG, access: 'write', audit: 'after', raw: true,
    permission: { on: 'experiment', need: 'MANAGE', id: ({ request, services }) => experimentsHoldingArtifact(services, restOf(request.params)) },
    summary: 'Delete an artifact file or folder',
    response: z.object({}),
    handler: async ({ request, reply, services }) => {
      await services.artifacts.delete(restOf(request.params));
      return reply.type('application/json').send({});
    },
  }),
  ...['create', 'complete', 'abort'].map((step) =>
    route({
      method: 'POST', paths: [`/api/2.0/mlflow-artifacts/mpu/${step}/*`, `/ajax-api/2.0/mlflow-artifacts/mpu/${step}/*`], tag: TAG, access: 'write', audit: 'none', raw: true,
    permission: { none: 'answers NOT_IMPLEMENTED before reading the body or touching storage' },
      summary: `Multipart upload (${step}): not offered; clients fall back to a streamed PUT`,
      response: z.object({}),
      handler: multipartRefusal,
    }),
  ),
  route({
    method: 'GET', paths: ['/api/2.0/mlflow-artifacts/presigned/*', '/ajax-api/2.0/mlflow-artifacts/presigned/*'], tag: TAG, access: 'read', raw: true,
    permission: { none: 'answers NOT_IMPLEMENTED before touching storage' },
    summary: 'Presigned downloads: not offered; clients fall back to the proxied GET',
    response: z.object({}),
    handler: () => {
      throw new CairnError('NOT_IMPLEMENTED', 'Presigned download URLs are not supported by this server; use the proxied artifact download');
    },
  }),
  route({
    method: 'GET', paths: ['/api/2.0/mlflow/artifacts/list', '/ajax-api/2.0/mlflow/artifacts/list'], tag: TAG, access: 'read',
    permission: { on: 'experiment', need: 'READ', id: ({ query, services }) => experimentOfRun(services, runIdOf(query)) },
    summary: 'List a run’s artifacts, with paths relative to the run’s root',
    query: z.object({ ...runRef, path: z.string().optional(), page_token: z.string().optional() }),
    response: z.object({ root_uri: z.string(), files: z.array(fileOut).optional() }),
    handler: async ({ query, services }) => {
      const info = await services.tracking.runs.info(runIdOf(query));
      const files = await services.artifacts.listUnder(info.artifactUri, query.path);
      return { root_uri: info.artifactUri, ...(files.length > 0 ? { files: encodeFiles(files) } : {}) };
    },
  }),
  route({
    method: 'GET', paths: ['/get-artifact', '/ajax-api/2.0/mlflow/get-artifact'], tag: TAG, access: 'read', audit: 'read', raw: true,
    permission: { on: 'experiment', need: 'READ', id: ({ query, services }) => experimentOfRun(services, runIdOf(query)) },
    summary: 'Download a file from a run’s artifacts (used by the web UI)',
    query: z.object({ ...runRef, path: z.string() }),
    response: z.string(),
    handler: async ({ query, reply, services }) => {
      const info = await services.tracking.runs.info(runIdOf(query));
      const file = await services.artifacts.downloadUnder(info.artifactUri, query.path);
      if (!file) throw notFound(`No artifact '${query.path}' in run ${info.runId}`);
      return sendFile(reply, file);
    },
  }),
];
